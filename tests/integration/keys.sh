#!/bin/bash
# keys.sh: symmetric keys and operator lines (issue 16 sections 2 and 8),
# as an operator runs them, in a Debian 12 sandbox root.
#
# 1. The leak test: every command (render, preview, apply, check, import,
#    audit, rollback, with and without --json, and the error paths with bad
#    key files) runs with a key file whose secrets are markers; all their
#    output and every file under the sandbox that others may read are
#    searched for every spelling of every secret (hex upper and lower case,
#    the ASCII text and its hex). One hit fails the test.
# 2. What apply writes: the daemon's key file with mode 0640 and the
#    daemon's group, backed up in the private backup folder, rolled back
#    with the config; a key missing from the file stops apply before any
#    byte is written.
# 3. The real parsers: the rendered chrony, NTPsec and ntp.org files with
#    keys and operator lines pass daemon_check (Debian 12, Debian 13,
#    ntp.org 4.2.8p10), and chronyd 4.3 and NTPsec load the key files
#    ntpwiz writes without a complaint (negative controls: a bad key is
#    reported by the same runs).
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"

# the secrets: markers that appear nowhere else
AES=5EC12E7A11CE0FF1CEC0FFEE0BADF00D     # 16 bytes
SHA=D15C10531A5E5EC12E75EC12E7DEADBEEF0FF1CE # 20 bytes
ASC=Zq7wLeakMe9                       # ASCII, 11 characters
ASC_HEX=$(printf '%s' "$ASC" | od -An -tx1 | tr -d ' \n')

root=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
mkdir -p "$root/etc/ntpwiz"
printf 'root:x:0:\n_chrony:x:113:\nntpsec:x:114:\n' >"$root/etc/group"
keyfile=$root/etc/ntpwiz/keys
write_keys() {
	cat >"$keyfile" <<EOF
# operator's keys
1 AES128 HEX:$AES
2 SHA1 HEX:$SHA
3 MD5 ASCII:$ASC
EOF
	chmod 600 "$keyfile"
}
write_keys
cat >"$T_TMP/chrony.cfg" <<'EOF'
version = 1;
daemon = "chrony";
servers = ( { host = "192.0.2.1"; key = 1; }, { host = "192.0.2.2"; key = 2; },
            { host = "192.0.2.3"; key = 3; } );
keys = { file = "/etc/ntpwiz/keys"; };
extra = { chrony = ( "maxchange 1000 1 2", "logchange 0.5" );
          ntpsec = ( "tinker panic 0" ); ntp = ( "tinker panic 0" ); };
EOF
sed 's/"chrony";/"ntpsec";/' "$T_TMP/chrony.cfg" >"$T_TMP/ntpsec.cfg"


# every 8-character piece of every spelling of every secret: a part of a
# secret is a leak too
secrets=("$AES" "${AES,,}" "$SHA" "${SHA,,}" "$ASC" "$ASC_HEX" "${ASC_HEX^^}")
: >"$T_TMP/pieces"
for sec in "${secrets[@]}"; do
	for ((i = 0; i + 8 <= ${#sec}; i++)); do
		printf '%s\n' "${sec:i:8}" >>"$T_TMP/pieces"
	done
done
# scan_files: every file under the sandbox that others may read (run while
# the key files exist: after each apply)
file_leaks=
scan_files() {
	while IFS= read -r -d '' f; do
		grep -qF -f "$T_TMP/pieces" "$f" && file_leaks="$file_leaks ${f#"$root"}"
	done < <(find "$root" -type f -perm -o+r -print0)
	scans=$((${scans:-0} + 1))
}
ALL=$T_TMP/all-output
: >"$ALL"
# run ARGS...: run_ntpwiz, keeping every byte it printed
run() {
	run_ntpwiz "$@"
	{ printf '%s\n' "$OUT"; printf '%s\n' "$ERR"; } >>"$ALL"
}

# ---- 1. every command ----
run render "$T_TMP/chrony.cfg" --root "$root"
expect "render: exit 0, key options and keyfile written (stderr: $ERR)" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "server 192.0.2.1 iburst key 1" &&
	 contains "$OUT" "keyfile /etc/chrony/chrony.keys"'
expect "render: operator lines last, under their comment" \
	'contains "$OUT" "# Operator lines (the profile'"'"'s extra)" &&
	 [ "$(printf "%s\n" "$OUT" | tail -n 2 | tr "\n" "|")" = "maxchange 1000 1 2|logchange 0.5|" ]'
run render "$T_TMP/chrony.cfg" --root "$root" --json
run preview "$T_TMP/chrony.cfg" --root "$root"
expect "preview: names the keys as \"key N (TYPE, set)\"" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "==> /etc/chrony/chrony.keys would hold (mode 0640): key 1 (AES128CMAC, set), key 2 (SHA1, set), key 3 (MD5, set)"'
run preview "$T_TMP/chrony.cfg" --root "$root" --json
run check "$T_TMP/chrony.cfg" --root "$root"
expect "check before apply: changes needed (exit 2)" '[ "$RC" -eq 2 ]'
run check "$T_TMP/chrony.cfg" --root "$root" --json
run apply "$T_TMP/chrony.cfg" --root "$root" --yes
expect "apply: exit 0 (stderr: $ERR)" '[ "$RC" -eq 0 ]'
scan_files
expect "apply: the keys step names the keys, not the secrets" \
	'contains "$OUT" "/etc/chrony/chrony.keys from /etc/ntpwiz/keys: key 1 (AES128CMAC, set), key 2 (SHA1, set), key 3 (MD5, set)"'
kf=$root/etc/chrony/chrony.keys
expect "apply: the daemon's key file is 0640 root:_chrony" \
	'[ "$(stat -c %a:%u:%g "$kf")" = 640:0:113 ]'
expect "apply: the key file holds the keys in chrony's syntax" \
	'grep -qx "1 AES128 HEX:$AES" "$kf" && grep -qx "2 SHA1 HEX:$SHA" "$kf" &&
	 grep -qx "3 MD5 HEX:${ASC_HEX^^}" "$kf"'
expect "apply: backups are private (folder 0700, files 0600)" \
	'[ "$(stat -c %a "$root/var/backups/ntpwiz")" = 700 ] &&
	 [ -z "$(find "$root/var/backups/ntpwiz" -type f ! -perm 600)" ]'
run check "$T_TMP/chrony.cfg" --root "$root" --json
expect "check after apply: nothing to change (exit 0)" '[ "$RC" -eq 0 ]'
run apply "$T_TMP/chrony.cfg" --root "$root" --yes --json
run import --root "$root" --daemon chrony
expect "import: keys.file and the server keys come back; extra lines kept with a note" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "keys = { file = \"/etc/chrony/chrony.keys\"; };" &&
	 contains "$OUT" "key = 3;" && contains "$OUT" "chrony = ( \"maxchange 1000 1 2\", \"logchange 0.5\" );" &&
	 contains "$ERR" "kept as an operator line (extra.chrony)"'
printf '%s\n' "$OUT" >"$T_TMP/imported.cfg"
run import --root "$root" --daemon chrony --json
run render "$T_TMP/imported.cfg" --root "$root"
expect "import then render: the same file" \
	'[ "$RC" -eq 0 ] && [ "$OUT" = "$(cat "$root/etc/chrony/chrony.conf")" ]'
run audit --root "$root" --daemon chrony
expect "audit: no key finding for a 0640 key file" '! contains "$OUT" "key-file-readable"'
chmod 644 "$kf"
run audit --root "$root" --daemon chrony
expect "audit: a key file everyone may read is high" \
	'contains "$OUT" "high: key-file-readable: every user on this host can read the secret keys in /etc/chrony/chrony.keys"'
run audit --root "$root" --daemon chrony --json
chmod 640 "$kf"

# the error paths: none may quote a secret
printf '4 AES128 HEX:%s\n' "$SHA" >>"$keyfile"
before=$(tree_state "$root")
run apply "$T_TMP/chrony.cfg" --root "$root" --yes
expect "bad key line: refused with its line, nothing written" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "/etc/ntpwiz/keys:5: key 4: AES128CMAC needs a secret of 16 bytes" &&
	 [ "$(tree_state "$root")" = "$before" ]'
run preview "$T_TMP/chrony.cfg" --root "$root" --json
write_keys
printf '5 SHA1 HEX:%sZZ\n5 MD5 %s#x\n9 BOGUS %s\n' "$SHA" "$ASC" "$AES" >>"$keyfile"
run render "$T_TMP/chrony.cfg" --root "$root"
run check "$T_TMP/chrony.cfg" --root "$root" --json
expect "bad hex, a comment character, an unknown type: three refusals (exit 1)" \
	'[ "$RC" -eq 1 ]'
write_keys
sed -i '/^2 /d' "$keyfile"
before=$(tree_state "$root")
run apply "$T_TMP/chrony.cfg" --root "$root" --yes
expect "a key a server uses but the file lacks: refused before anything is written" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "servers[1].key: key 2 is not in /etc/ntpwiz/keys" &&
	 [ "$(tree_state "$root")" = "$before" ]'
run apply "$T_TMP/chrony.cfg" --root "$root" --yes --json
write_keys
chmod 644 "$keyfile"
run apply "$T_TMP/chrony.cfg" --root "$root" --yes
expect "a key file everyone may read: refused" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "keys.file: every user may read /etc/ntpwiz/keys"'
chmod 600 "$keyfile"
run render "$T_TMP/chrony.cfg" --root "$root" --daemon openntpd
expect "OpenNTPD: a server key is refused, naming the daemon" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "servers[0].key: OpenNTPD has no symmetric keys"'
run render "$T_TMP/chrony.cfg" --root "$root" --daemon timesyncd
expect "timesyncd: a server key is refused, naming the daemon" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "servers[0].key: systemd-timesyncd has no symmetric keys"'
run render "$T_TMP/chrony.cfg" --root "$root" --daemon ntp
expect "ntp (NTPsec on Debian 12): AES128 is taken" '[ "$RC" -eq 0 ]'

# NTPsec: its own file, group and syntax
run apply "$T_TMP/ntpsec.cfg" --root "$root" --yes
scan_files
nk=$root/etc/ntpsec/ntp.keys
expect "NTPsec: apply writes ntp.keys 0640 root:ntpsec (stderr: $ERR)" \
	'[ "$RC" -eq 0 ] && [ "$(stat -c %a:%u:%g "$nk")" = 640:0:114 ] &&
	 grep -qx "1 AES-128 $AES" "$nk" && grep -qx "3 MD5 ${ASC_HEX^^}" "$nk"'
expect "NTPsec: keys and trustedkey in ntp.conf, the operator line last" \
	'grep -qx "keys /etc/ntpsec/ntp.keys" "$root/etc/ntpsec/ntp.conf" &&
	 grep -qx "trustedkey 1 2 3" "$root/etc/ntpsec/ntp.conf" &&
	 [ "$(tail -n 1 "$root/etc/ntpsec/ntp.conf")" = "tinker panic 0" ]'
run import --root "$root" --daemon ntpsec
expect "NTPsec: import reads the key file back in ntpd's syntax" \
	'contains "$OUT" "keys = { file = \"/etc/ntpsec/ntp.keys\"; format = \"ntp\"; };"'
run rollback --root "$root" --yes
expect "rollback: the key file goes back with the config" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "/etc/ntpsec/ntp.keys removed (there was none before)" &&
	 [ ! -e "$nk" ] && [ ! -e "$root/etc/ntpsec/ntp.conf" ] && [ -e "$kf" ]'
run rollback --root "$root" --yes --json
expect "rollback again: chrony's key file and config are gone as before" \
	'[ ! -e "$kf" ] && [ ! -e "$root/etc/chrony/chrony.conf" ]'

# the operator lines: refused where they would weaken the access policy
cat >"$T_TMP/bad-extra.cfg" <<'EOF'
version = 1;
daemon = "chrony";
servers = ( { host = "192.0.2.1"; } );
extra = { chrony = ( "cmdallow all" ); };
EOF
run render "$T_TMP/bad-extra.cfg" --root "$root"
expect "extra: cmdallow is refused, pointing at the access policy" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "bad-extra.cfg:4: extra.chrony[0]: chrony'"'"'s \"cmdallow\" decides who may reach or control the daemon; set that with the access policy"'

# ---- the verdict on leaks ----
scan_files
leak=$(grep -oF -f "$T_TMP/pieces" "$ALL" | sort -u | head -n 3 | tr '\n' ' ')$file_leaks
expect "no piece of a secret in any output ($(wc -l <"$ALL") lines) or in any file others may read ($scans scans)${leak:+: LEAK $leak}" \
	'[ -z "$leak" ] && [ -s "$ALL" ] && [ "$(wc -l <"$T_TMP/pieces")" -gt 100 ]'
# ...and the search can find one: the secrets are in the operator's file
expect "control: the search finds the secrets in the operator's key file" \
	'grep -qF "$AES" "$keyfile" && grep -qF "$ASC" "$keyfile"'

# ---- 3. the real parsers ----
. "$srcdir/tests/lib/daemons.sh" || exit 99
parsers() {
	daemons_fetch && daemons_can_isolate
}
if ! parsers; then
	skip_or_fail "no daemon packages or namespaces for the real parsers"
	finish
	exit
fi
kdir=$(mktemp -d "$T_TMP/kd.XXXXXX")
chmod 755 "$T_TMP" "$kdir"
# chrony: the whole config through chronyd -p (Debian 12 and 13)
run render "$T_TMP/chrony.cfg" --root "$root"
printf '%s\n' "$OUT" >"$kdir/chrony.conf"
for g in $(daemons_gens chrony); do
	daemons_prepare chrony "$g" >/dev/null 2>&1 || { skip_or_fail "no chrony $g"; continue; }
	expect "chrony $g accepts the file with keys and operator lines" \
		'daemon_check chrony "$kdir/chrony.conf" "$g"'
done
# chronyd 4.3 loads the key file ntpwiz writes (-Q: no clock, reads keys)
run apply "$T_TMP/chrony.cfg" --root "$root" --yes
cp "$root/etc/chrony/chrony.keys" "$kdir/chrony.keys"
chronyd_keys() { # KEYFILE: chronyd's complaints about it
	local bin
	bin=$(daemons_bin chrony) || return 2
	printf 'server 127.0.0.1 key 1\nkeyfile %s\n' "$1" >"$kdir/q.conf"
	timeout -s KILL 15 unshare -n "$bin" -Q -u root -d -t 1 -f "$kdir/q.conf" 2>&1 |
		grep -E "key|Key" || true
}
out=$(chronyd_keys "$kdir/chrony.keys")
expect "chronyd 4.3 -Q loads ntpwiz's key file without a complaint (said: $out)" '[ -z "$out" ]'
{ cat "$kdir/chrony.keys"; echo "7 AES128 HEX:0011"; } >"$kdir/bad.keys"
out=$(chronyd_keys "$kdir/bad.keys")
expect "control: chronyd 4.3 -Q reports a bad key (said: $out)" \
	'contains "$out" "Invalid length of AES128 key 7"'
# An authenticated exchange: a chronyd 4.3 server (-x: no clock control)
# and a chronyd -Q client (measures, sets nothing) in a private network
# namespace, both reading the key file ntpwiz wrote; with one byte of the
# client's key changed, no answer is taken (the control).
exchange() { # CLIENT-KEYFILE: chronyd -Q's verdict
	local bin
	bin=$(daemons_bin chrony) || return 2
	printf 'port 11123\nallow 127.0.0.1\nkeyfile %s\nlocal stratum 3\nbindcmdaddress /\ncmdport 0\npidfile %s\n' \
		"$kdir/chrony.keys" "$kdir/srv.pid" >"$kdir/srv.conf"
	printf 'server 127.0.0.1 port 11123 key 1 iburst minpoll -4 maxpoll -4\nkeyfile %s\ncmdport 0\nbindcmdaddress /\npidfile %s\n' \
		"$1" "$kdir/cli.pid" >"$kdir/cli.conf"
	timeout -s KILL 40 unshare -n bash -c '
		ip link set lo up || exit 3
		"$1" -x -d -u root -f "$2" >/dev/null 2>&1 & s=$!
		sleep 1
		"$1" -Q -u root -t 8 -f "$3" 2>&1
		kill "$s"; wait "$s" 2>/dev/null' ntpwiz-exchange "$bin" "$kdir/srv.conf" "$kdir/cli.conf"
}
out=$(exchange "$kdir/chrony.keys")
expect "chronyd 4.3 client and server authenticate with ntpwiz's AES128 key (said: $(printf '%s' "$out" | tail -n 2 | tr '\n' ' '))" \
	'contains "$out" "System clock wrong by"'
# the marker AES ends in D: the last byte changes from ...0D to ...00
sed -E 's/^(1 AES128 HEX:.*)D$/\10/' "$kdir/chrony.keys" >"$kdir/other.keys"
out=$(exchange "$kdir/other.keys")
expect "control: with a different key the client takes no answer (said: $(printf '%s' "$out" | tail -n 2 | tr '\n' ' '))" \
	'! contains "$out" "System clock wrong by" && contains "$out" "No suitable source"'
# NTPsec and ntp.org: the config with its keys line pointing at the key file
run render "$T_TMP/ntpsec.cfg" --root "$root"
printf '%s\n' "$OUT" | sed "s|^keys /etc/ntpsec/ntp.keys|keys $kdir/ntp.keys|" >"$kdir/ntpsec.conf"
run apply "$T_TMP/ntpsec.cfg" --root "$root" --yes
cp "$root/etc/ntpsec/ntp.keys" "$kdir/ntp.keys"
chmod 644 "$kdir/ntp.keys" # read by the daemon in a namespace, a copy of test markers
# NTPsec reads its keys at start: an "AUTH: authreadkeys:" complaint is a
# refusal (daemons.sh); Debian 13's runs in its root, so the key file goes there
ntpsec_check() { # KEYFILE GEN
	local conf=$kdir/ntpsec-$2.conf kpath=$1 r13
	if [ "$2" = deb13 ]; then
		r13=$(daemons_root13 ntpsec) || return 2
		mkdir -p "$r13/tmp/ntpwiz-keys.$$" && cp "$1" "$r13/tmp/ntpwiz-keys.$$/ntp.keys" || return 2
		kpath=/tmp/ntpwiz-keys.$$/ntp.keys
	fi
	sed "s|^keys $kdir/ntp.keys|keys $kpath|" "$kdir/ntpsec.conf" >"$conf"
	daemon_check ntpsec "$conf" "$2"
	local rc=$?
	[ -n "${r13-}" ] && rm -rf "$r13/tmp/ntpwiz-keys.$$"
	return "$rc"
}
{ cat "$kdir/ntp.keys"; echo "7 AES-128 0011"; echo "8 NOSUCHTYPE 00112233445566778899AABBCCDDEEFF"; } >"$kdir/bad-ntp.keys"
chmod 644 "$kdir/bad-ntp.keys"
for g in $(daemons_gens ntpsec); do
	daemons_prepare ntpsec "$g" >/dev/null 2>&1 || { skip_or_fail "no ntpsec $g"; continue; }
	expect "NTPsec $g accepts the file with keys, trustedkey and operator lines, and loads the key file" \
		'ntpsec_check "$kdir/ntp.keys" "$g"'
	expect "control: NTPsec $g complains about a bad key file" \
		'! ntpsec_check "$kdir/bad-ntp.keys" "$g" 2>"$T_TMP/ntpsec-bad.err" &&
		 grep -q "AUTH: authreadkeys" "$T_TMP/ntpsec-bad.err" && ! grep -q "added" "$T_TMP/ntpsec-bad.err"; cat "$T_TMP/ntpsec-bad.err" >&2'
done
# ntp.org 4.2.8p10: MD5 and SHA1 keys only
cat >"$T_TMP/ntp.cfg" <<'EOF'
version = 1;
daemon = "ntp";
servers = ( { host = "192.0.2.2"; key = 2; }, { host = "192.0.2.3"; key = 3; } );
keys = { file = "/etc/ntpwiz/keys"; };
extra = { ntp = ( "tinker panic 0" ); };
EOF
rroot=$(new_root 'ID=arch')
mkdir -p "$rroot/etc/ntpwiz" && cp -p "$keyfile" "$rroot/etc/ntpwiz/keys"
run render "$T_TMP/ntp.cfg" --root "$rroot"
printf '%s\n' "$OUT" >"$kdir/ntp.conf"
expect "ntp.org render: keys /etc/ntp.keys and trustedkey 2 3 (stderr: $ERR)" \
	'[ "$RC" -eq 0 ] && grep -qx "keys /etc/ntp.keys" "$kdir/ntp.conf" && grep -qx "trustedkey 2 3" "$kdir/ntp.conf"'
if daemons_prepare ntp >/dev/null 2>&1; then
	expect "ntp.org 4.2.8p10 accepts the file with keys, trustedkey and operator lines" \
		'daemon_check ntp "$kdir/ntp.conf"'
else
	skip_or_fail "no ntp.org build"
fi
finish
