#!/bin/bash
# cli.sh: ntpwiz render / preview end to end, as an operator runs them, in
# sandbox roots: exit codes, the exact messages, and that nothing is written.
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"

DEBIAN=$(cat "$srcdir/tests/data/roots/debian12-os-release")
root=$(new_root "$DEBIAN")

# --- a host with a newline: exit 1, the field named, nothing written ---------
cat >"$T_TMP/bad.cfg" <<'P'
version = 1;
daemon = "chrony";
servers = (
  { host = "pool.ntp.org\ncmdallow all"; kind = "pool"; }
);
P
before=$(tree_state "$root")
run_ntpwiz render "$T_TMP/bad.cfg" --root "$root"
check "newline host: exit 1" [ "$RC" -eq 1 ]
expect "newline host: message names file, line and field" \
	'[ "$ERR" = "$T_TMP/bad.cfg:4: servers[0].host: contains a newline, which would start a new directive" ]' 
check "newline host: nothing on stdout" [ -z "$OUT" ]
run_ntpwiz preview "$T_TMP/bad.cfg" --root "$root"
check "newline host: preview exits 1 too" [ "$RC" -eq 1 ]
check "newline host: nothing written under the root" [ "$(tree_state "$root")" = "$before" ]

# --- every hostile class is refused end to end --------------------------------
while IFS='|' read -r class value reason; do
	[ -n "$class" ] || continue
	printf 'version = 1;\ndaemon = "ntpsec";\nservers = ( { host = "%s"; } );\n' "$value" >"$T_TMP/h.cfg"
	run_ntpwiz render "$T_TMP/h.cfg" --root "$root"
	expect "hostile $class: refused with \"$reason\"" \
		'[ "$RC" -eq 1 ] && [ -z "$OUT" ] && contains "$ERR" "h.cfg:3: servers[0].host: " && contains "$ERR" "$reason"' 
done <<'CASES'
carriage return|a.example\rrestrict default|carriage return
space option|pool.ntp.org noselect|whitespace
tab option|pool.ntp.org\tminpoll -7|whitespace
hash|pool.ntp.org#x|comment
semicolon|pool.ntp.org;x|comment
double quote|pool.ntp.org\"|quote
single quote|pool'ntp.org|quote
brackets|[2001:db8::1]|bracket
leading dash|-4|starts with '-'
long label|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example|longer than 63
backslash|pool.ntp.org\\\\|backslash
CASES
printf 'version = 1;\nrestrict = { policy = "lan"; allow = [ "192.168.1.5/24" ]; };\n' >"$T_TMP/c.cfg"
run_ntpwiz render "$T_TMP/c.cfg" --root "$root"
expect "bad CIDR: refused, field and line named" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "c.cfg:2: restrict.allow[0]: has bits set after the prefix length"'

# --- all errors at once, in line order -----------------------------------------
cat >"$T_TMP/three.cfg" <<'P'
version = 1;
daemon = "chrony";
servers = ( { host = "a b"; }, { host = "ok.example"; minpoll = 30; } );
leap = { mode = "sometimes"; };
P
run_ntpwiz render "$T_TMP/three.cfg" --root "$root"
expect "three mistakes: exit 1" '[ "$RC" -eq 1 ]'
expect "three mistakes: three messages" \
	'[ "$(printf "%s\n" "$ERR" | grep -c "^$T_TMP/three.cfg:")" -eq 3 ]'

# --- a daemon that cannot express the choice ------------------------------------
printf 'version = 1;\ndaemon = "ntpsec";\nleap = { mode = "smear"; };\n' >"$T_TMP/smear.cfg"
run_ntpwiz render "$T_TMP/smear.cfg" --root "$root"
expect "smear on ntpsec: exit 1 naming daemon and mode" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "smear.cfg:3: leap.mode: ntpsec cannot do leap mode \"smear\""'
run_ntpwiz render "$T_TMP/smear.cfg" --root "$root" --daemon chrony
expect "--daemon overrides the profile" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "smoothtime 400 0.001024 leaponly"'

# --- render: the built-in default and the family's servers -----------------------
run_ntpwiz render --root "$root"
expect "default render: exit 0" '[ "$RC" -eq 0 ]'
expect "default render on Debian: chrony with the Debian pool" \
	'contains "$OUT" "pool 2.debian.pool.ntp.org iburst" && contains "$OUT" "# /etc/chrony/chrony.conf: chrony"'
amzn=$(new_root 'ID="amzn"
VERSION_ID="2023"')
run_ntpwiz render --root "$amzn"
expect "default render on Amazon Linux: the Amazon Time Sync Service" \
	'contains "$OUT" "server 169.254.169.123 iburst prefer minpoll 4 maxpoll 4" && contains "$OUT" "# /etc/chrony.conf:"'

# --- preview: new file, changed file, unchanged file ------------------------------
run_ntpwiz preview --root "$root"
expect "preview, no file yet: exit 0" '[ "$RC" -eq 0 ]'
expect "preview, no file yet: says it would be created" \
	'contains "$OUT" "/etc/chrony/chrony.conf does not exist yet"'
expect "preview, no file yet: hunk from nothing" 'contains "$OUT" "@@ -0,0 +1,"'
mkdir -p "$root/etc/chrony"
cp "$srcdir/tests/data/roots/debian12-chrony.conf" "$root/etc/chrony/chrony.conf"
before=$(tree_state "$root")
run_ntpwiz preview --root "$root"
expect "preview, stock file: shows what goes away" 'contains "$OUT" "-confdir /etc/chrony/conf.d"'
expect "preview, stock file: shows what comes" 'contains "$OUT" "+port 0"'
expect "preview writes nothing" '[ "$(tree_state "$root")" = "$before" ]'
"$NTPWIZ" render --root "$root" >"$root/etc/chrony/chrony.conf"
run_ntpwiz preview --root "$root"
expect "preview, same bytes: nothing would change" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "already has exactly these bytes" && ! contains "$OUT" "@@"'

# --- usage errors ---------------------------------------------------------------
run_ntpwiz render --daemon ntimed --root "$root"
expect "unknown daemon: exit 1, names the choices" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "expected one of: ntp, ntpsec"'
run_ntpwiz render --root "$T_TMP/does-not-exist"
expect "missing root: exit 1" '[ "$RC" -eq 1 ] && contains "$ERR" "--root"'
run_ntpwiz render "$T_TMP/nope.cfg" --root "$root"
expect "missing profile: exit 1, says why" '[ "$RC" -eq 1 ] && contains "$ERR" "No such file"'
run_ntpwiz frobnicate
expect "unknown command: exit 1" '[ "$RC" -eq 1 ] && contains "$ERR" "unknown command"'
run_ntpwiz --root "$root" </dev/null
expect "no command: the wizard (line mode without a terminal); no input: exit 1, says so" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "nothing was written"'
run_ntpwiz --help
expect "--help: exit 0, lists render and preview" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "  render" && contains "$OUT" "  preview"'
run_ntpwiz --version
expect "--version" '[ "$RC" -eq 0 ] && contains "$OUT" "ntpwiz "'

# --- numbers in config text ignore the locale --------------------------------------
printf 'version = 1;\ndaemon = "chrony";\noptions = { makestep = { threshold = 0.5; limit = 3; }; };\n' >"$T_TMP/ms.cfg"
if locale -a 2>/dev/null | grep -qi '^de_DE.utf8$'; then
	LC_ALL=de_DE.UTF-8 run_ntpwiz render "$T_TMP/ms.cfg" --root "$root"
	expect "German locale: makestep 0.5, not 0,5" 'contains "$OUT" "makestep 0.5 3"'
fi

finish
