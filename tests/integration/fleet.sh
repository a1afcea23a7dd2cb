#!/bin/bash
# fleet.sh: the fleet examples do what README says, against sandbox roots.
#  - examples/ansible/ntpwiz.yml (the ntpwiz.ntp.ntpwiz module) run with
#    `ansible-playbook -c local`: changed on the first run, unchanged on
#    the second, nothing written in --check mode, --diff shows the config
#    file's change, a bad profile fails the host with ntpwiz's message.
#  - examples/cloud-init/user-data.yaml: its write_files and runcmd, with
#    every absolute path moved under the sandbox root, write the same file
#    the profile renders, and report unchanged when run again.
. "$(dirname "$0")/../lib/testlib.sh"
command -v ansible-playbook >/dev/null || skip_or_fail "ansible-playbook not installed (Debian: ansible-core)"
python3 -c 'import yaml' 2>/dev/null || skip_or_fail "python3-yaml not installed"

debian_root() {
	local root
	root=$(mktemp -d "$T_TMP/root.XXXXXX")
	mkdir -p "$root/etc/chrony" "$root/var/log"
	cp "$srcdir/tests/data/roots/debian12-os-release" "$root/etc/os-release"
	cp "$srcdir/tests/data/roots/debian12-chrony.conf" "$root/etc/chrony/chrony.conf"
	echo "$root"
}

# --- Ansible ---------------------------------------------------------------------
export LC_ALL=C.UTF-8 ANSIBLE_NOCOLOR=1 ANSIBLE_LOCAL_TEMP=$T_TMP/ansible-local \
	ANSIBLE_REMOTE_TEMP=$T_TMP/ansible-remote HOME=$T_TMP ANSIBLE_RETRY_FILES_ENABLED=0 \
	ANSIBLE_COLLECTIONS_PATH=$srcdir/contrib/ansible PYTHONDONTWRITEBYTECODE=1
root=$(debian_root)
profile=$T_TMP/site.cfg
cp "$srcdir/profiles/lan-server.cfg" "$profile"
playbook() { # ARGS...: sets RC and OUT
	OUT=$(ansible-playbook -i localhost, -c local "$srcdir/examples/ansible/ntpwiz.yml" \
		-e ansible_become=false -e ansible_python_interpreter=/usr/bin/python3 \
		-e ntpwiz_bin="$NTPWIZ" -e ntpwiz_root="$root" \
		-e ntpwiz_profile="$profile" "$@" 2>&1)
	RC=$?
}
# The result of one task: "changed", "ok", "skipping" or "fatal".
task_result() { awk -v t="TASK [$1" 'index($0, t) == 1 { f = 1; next }
	f && /^(changed|ok|skipping|fatal):/ { sub(/:.*/, ""); print; exit }' <<<"$OUT"; }
recap() { sed -n "s/^localhost *: .*$1=\([0-9]*\).*/\1/p" <<<"$OUT"; }
APPLY="Apply the profile (ntpwiz.ntp.ntpwiz)"

conf=$root/etc/chrony/chrony.conf
stock=$srcdir/tests/data/roots/debian12-chrony.conf
"$NTPWIZ" render "$profile" --root "$root" >"$T_TMP/expected.conf"
before=$(tree_state "$root")
playbook --check --diff
expect "ansible: --check --diff on a stock host succeeds, reporting a change" \
	'[ $RC -eq 0 ] && [ "$(task_result "$APPLY")" = changed ] && [ "$(recap changed)" = 1 ]' || echo "$OUT"
expect "ansible: --check --diff shows the config file's diff with its path" \
	'grep -q "^--- before: /etc/chrony/chrony.conf" <<<"$OUT" && grep -q "^+++ after: /etc/chrony/chrony.conf" <<<"$OUT" && grep -qx "+allow 192.168.0.0/16" <<<"$OUT" && grep -qx -- "-pool 2.debian.pool.ntp.org iburst" <<<"$OUT"'
expect "ansible: --check --diff names it would change" \
	'grep -q "/etc/chrony/chrony.conf: would change, backup none" <<<"$OUT"'
expect "ansible: --check --diff wrote nothing" '[ "$(tree_state "$root")" = "$before" ]'

playbook
expect "ansible: first run succeeds" '[ $RC -eq 0 ] && [ "$(recap failed)" = 0 ]' || echo "$OUT"
expect "ansible: first run, the module reports changed" '[ "$(task_result "$APPLY")" = changed ]'
expect "ansible: the written file is what the profile renders" 'cmp -s "$conf" "$T_TMP/expected.conf"'
expect "ansible: a backup of the stock file was made" \
	'cmp -s "$stock" "$(ls "$root"/var/backups/ntpwiz/etc_chrony_chrony.conf.* | head -1)"'
expect "ansible: the debug task names the file and the backup" \
	'grep -q "/etc/chrony/chrony.conf: changed, backup /var/backups/ntpwiz/etc_chrony_chrony.conf" <<<"$OUT"'

before=$(tree_state "$root")
playbook --diff
expect "ansible: second run succeeds with changed=0" '[ $RC -eq 0 ] && [ "$(recap changed)" = 0 ]'
expect "ansible: second run, the module reports ok, no diff" \
	'[ "$(task_result "$APPLY")" = ok ] && ! grep -q "^--- before" <<<"$OUT"'
expect "ansible: second run wrote nothing" '[ "$(tree_state "$root")" = "$before" ]'
playbook --check
expect "ansible: --check on the unchanged host reports changed=0" '[ $RC -eq 0 ] && [ "$(recap changed)" = 0 ]'

sed -i 's/policy = "lan";/policy = "public";/; /allow = /d' "$profile"
playbook --check --diff
expect "ansible: --check with a changed profile reports a change and succeeds" \
	'[ $RC -eq 0 ] && [ "$(recap changed)" = 1 ]'
expect "ansible: --check --diff shows the access change" \
	'grep -qx "+allow all" <<<"$OUT" && grep -qx -- "-allow 192.168.0.0/16" <<<"$OUT"'
expect "ansible: --check wrote nothing" '[ "$(tree_state "$root")" = "$before" ]'
playbook
expect "ansible: the changed profile is applied" \
	'[ $RC -eq 0 ] && [ "$(task_result "$APPLY")" = changed ] && grep -qx "allow all" "$conf"'

before=$(tree_state "$root")
printf 'version = 1;\ndaemon = "chrony";\nservers = ( { host = "bad host"; } );\n' >"$profile"
playbook
expect "ansible: a bad profile fails the host" '[ $RC -ne 0 ] && [ "$(recap failed)" = 1 ]'
expect "ansible: the failure shows ntpwiz's message with field and reason, and its exit status" \
	'grep -q "profile_content:3: servers\[0\].host: contains whitespace" <<<"$OUT" && grep -q "\"rc\": 1" <<<"$OUT"'
expect "ansible: a bad profile changed nothing under the root" '[ "$(tree_state "$root")" = "$before" ]'

# --- cloud-init --------------------------------------------------------------------
root=$(debian_root)
userdata=$srcdir/examples/cloud-init/user-data.yaml
expect "cloud-init: the file starts with #cloud-config" '[ "$(head -1 "$userdata")" = "#cloud-config" ]'
# write_files under the root, and runcmd as shell lines with paths moved there.
python3 - "$userdata" "$root" >"$T_TMP/runcmd.sh" <<'PY' || not_ok "cloud-init: user-data parses"
import os, re, shlex, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
root = sys.argv[2]
assert set(doc) <= {"write_files", "runcmd"}, sorted(doc)
for f in doc["write_files"]:
    path = os.path.join(root, f["path"].lstrip("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as out:
        out.write(f["content"])
    os.chmod(path, int(f["permissions"], 8))
moved = lambda s: re.sub(r"(?<![\w./-])/(etc|var)/", root + r"/\1/", s)
for cmd in doc["runcmd"]:
    line = moved(cmd if isinstance(cmd, str) else " ".join(shlex.quote(moved(a)) for a in cmd))
    print(line)
PY
mkdir -p "$T_TMP/bin"
printf '#!/bin/sh\nexec "%s" "$@" --root "%s"\n' "$NTPWIZ" "$root" >"$T_TMP/bin/ntpwiz"
chmod +x "$T_TMP/bin/ntpwiz"
expect "cloud-init: the profile it writes is valid" \
	'"$NTPWIZ" render "$root/etc/ntpwiz/site.cfg" --root "$root" >"$T_TMP/expected.conf"'
PATH="$T_TMP/bin:$PATH" bash -e "$T_TMP/runcmd.sh" >"$T_TMP/runcmd.out" 2>&1
expect "cloud-init: runcmd succeeds" '[ $? -eq 0 ]' || cat "$T_TMP/runcmd.out"
json=$root/var/log/ntpwiz-first-boot.json
expect "cloud-init: the JSON report says changed" 'grep -q "\"changed\":true" "$json"'
expect "cloud-init: the written file is what the profile renders" \
	'cmp -s "$root/etc/chrony/chrony.conf" "$T_TMP/expected.conf"'
PATH="$T_TMP/bin:$PATH" bash -e "$T_TMP/runcmd.sh" >"$T_TMP/runcmd.out" 2>&1
expect "cloud-init: run again, the report says unchanged" '[ $? -eq 0 ] && grep -q "\"changed\":false" "$json"'
finish
