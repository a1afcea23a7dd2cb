#!/bin/bash
# linemode-keys.sh: line mode on a pipe (issue 16): a server's noselect,
# trust, xleave, maxdelay and key; the key file questions (keys.format,
# keys.file) checked as the profile checks them, with the profile's own
# messages; a key the file lacks refused on the Servers question; operator
# lines (extra.chrony) added, removed and refused with extra.c's reason;
# the profile and the file written; no secret in any transcript.
#
# Safety: every run has --root under a temp folder; as root the script runs
# with the host's / read-only (hostguard.sh).

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

AES=5EC12E7A11CE0FF1CEC0FFEE0BADF00D
SHA=D15C10531A5E5EC12E75EC12E7DEADBEEF0FF1CE
ALL=$T_TMP/transcripts
: >"$ALL"

new_lm_root() {
	local root
	root=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
	mkdir -p "$root/etc/ntpwiz"
	printf '1 AES128 HEX:%s\n2 SHA1 HEX:%s\n' "$AES" "$SHA" >"$root/etc/ntpwiz/keys"
	chmod 600 "$root/etc/ntpwiz/keys"
	cp "$root/etc/ntpwiz/keys" "$root/etc/ntpwiz/open-keys"
	chmod 644 "$root/etc/ntpwiz/open-keys"
	echo "$root"
}
lm() {
	printf '%s' "$2" | timeout 20 "$NTPWIZ" --text --root "$1" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
	# line mode breaks prose at 79 columns: J is the text with the rows
	# joined and the blanks squeezed
	J=$(tr '\n' ' ' <"$T_TMP/out" | tr -s ' ')
	cat "$T_TMP/out" "$T_TMP/err" >>"$ALL"
}
# the answers up to the Advanced questions of chrony, client-only
SERVERS='chrony
n
192.0.2.1 key 1 noselect
192.0.2.2 key 2 maxdelay 0.05
192.0.2.3 trust xleave
192.0.2.4

step
client-only



'

# --- everything set ----------------------------------------------------------------
root=$(new_lm_root)
lm "$root" "$SERVERS"'
/etc/ntpwiz/keys


maxchange 1000 1 2
logchange 0.5
-1

'"$T_TMP/set.cfg"'
y
'
expect "all set: exit 0" '[ "$RC" = 0 ]'
expect "the server syntax names the new words" \
	'contains "$J" "[noselect] [trust] [xleave] [maxdelay SECONDS] [key ID]"'
expect "the key questions were asked" \
	'contains "$OUT" "Format of the key file: chrony or ntp" && contains "$OUT" "Key file the servers'"'"' keys come from"'
expect "the operator lines question, and the list after each answer" \
	'contains "$OUT" "Operator lines for chrony that ntpwiz does not write (extra.chrony)" && contains "$OUT" "  2) logchange 0.5"'
expect "the preview names the keys, never a secret" \
	'contains "$OUT" "==> Keys: /etc/chrony/chrony.keys (mode 0640, from /etc/ntpwiz/keys): key 1 (AES128CMAC, set), key 2 (SHA1, set)"'
P=$(cat "$T_TMP/set.cfg" 2>/dev/null)
expect "the profile: every server option" \
	'contains "$P" "{ host = \"192.0.2.1\"; kind = \"server\"; iburst = true; key = 1; noselect = true; }" && contains "$P" "{ host = \"192.0.2.2\"; kind = \"server\"; iburst = true; key = 2; maxdelay = 0.05; }" && contains "$P" "{ host = \"192.0.2.3\"; kind = \"server\"; iburst = true; trust = true; xleave = true; }"'
expect "the profile: the key file and the one operator line kept" \
	'contains "$P" "keys = { file = \"/etc/ntpwiz/keys\"; };" && contains "$P" "  chrony = ( \"logchange 0.5\" );" && ! contains "$P" maxchange'
conf=$root/etc/chrony/chrony.conf
expect "the file: the server lines" \
	'grep -qx "server 192.0.2.1 iburst key 1 noselect" "$conf" && grep -qx "server 192.0.2.2 iburst key 2 maxdelay 0.05" "$conf" && grep -qx "server 192.0.2.3 iburst trust xleave" "$conf"'
expect "the file: keyfile and the operator line" \
	'grep -qx "keyfile /etc/chrony/chrony.keys" "$conf" && grep -qx "logchange 0.5" "$conf" && ! grep -q maxchange "$conf"'
expect "the daemon's key file: mode 0640" '[ "$(stat -c %a "$root/etc/chrony/chrony.keys")" = 640 ]'
"$NTPWIZ" render --root "$root" "$T_TMP/set.cfg" >"$T_TMP/replay.conf" 2>/dev/null
expect "the saved profile renders the bytes written" 'cmp -s "$T_TMP/replay.conf" "$conf"'

# --- the key file, refused with the profile's messages ---------------------------------
# the profile's reason for a keys.file value (render's message after "keys.file: ")
reason_of() {
	printf 'version = 1;\ndaemon = "chrony";\nservers = ( { host = "192.0.2.1"; key = 1; } );\nkeys = { file = "%s"; };\n' "$2" >"$T_TMP/r.cfg"
	"$NTPWIZ" render --root "$1" "$T_TMP/r.cfg" 2>&1 >/dev/null | sed -n 's/.*keys\.file: //p' | head -1
}
for bad in etc/ntpwiz/keys /etc/ntpwiz/nokeys /etc/ntpwiz/open-keys; do
	root=$(new_lm_root)
	why=$(reason_of "$root" "$bad")
	lm "$root" "$SERVERS"'
'"$bad"'
'
	expect "keys.file $bad: refused, exit 1, nothing written" \
		'[ "$RC" = 1 ] && [ -n "$why" ] && [ ! -e "$root/etc/chrony/chrony.conf" ]'
	expect "... with the profile's message ($why)" \
		'contains "$J" "Not accepted: keys.file: $why" && contains "$ERR" "was not accepted (keys.file: $why)"'
done

# --- a key the file does not have -------------------------------------------------------
root=$(new_lm_root)
lm "$root" "$SERVERS"'
/etc/ntpwiz/keys



'"$T_TMP/k.cfg"'
n
'
expect "control: key 1 and 2 from the file: accepted" '[ "$RC" = 0 ]'
root=$(new_lm_root)
lm "$root" 'chrony
n
192.0.2.1 key 7
192.0.2.2

step
client-only




/etc/ntpwiz/keys
'
expect "key 7: refused at the key file question, exit 1" \
	'[ "$RC" = 1 ] && contains "$J" "Not accepted: server 192.0.2.1 uses key 7, which /etc/ntpwiz/keys does not have"'
expect "... nothing written" '[ ! -e "$root/etc/chrony/chrony.conf" ] && [ ! -e "$root/etc/chrony/chrony.keys" ]'
expect "an empty key file answer with a key in use: refused" \
	'printf "%s" "chrony
n
192.0.2.1 key 1

step
client-only





" | timeout 20 "$NTPWIZ" --text --root "$root" 2>&1 | tee -a "$ALL" | tr "\n" " " | tr -s " " | grep -qF "server 192.0.2.1 uses key 1; name the key file that has it (keys.file)"'
expect "a key ID out of range: refused on the Servers question" \
	'printf "chrony\nn\n192.0.2.1 key 70000\n" | timeout 20 "$NTPWIZ" --text --root "$root" 2>&1 | tee -a "$ALL" | grep -qF "Not accepted: Key: must be a key ID between 1 and 65535"'
expect "OpenNTPD has no keys: refused on the Servers question" \
	'printf "openntpd\nn\n192.0.2.1 key 1\n" | timeout 20 "$NTPWIZ" --text --root "$root" 2>&1 | tee -a "$ALL" | grep -qF "Key: OpenNTPD has no symmetric keys"'

# --- operator lines refused with extra.c's reason ------------------------------------------
root=$(new_lm_root)
lm "$root" "$SERVERS"'
/etc/ntpwiz/keys


allow 10/8
'
expect "allow: refused, pointing at the access policy, exit 1" \
	'[ "$RC" = 1 ] && contains "$J" "Not accepted: extra.chrony: chrony'"'"'s \"allow\" decides who may reach or control the daemon; set that with the access policy"'
expect "... nothing written" '[ ! -e "$root/etc/chrony/chrony.conf" ]'
lm "$root" "$SERVERS"'
/etc/ntpwiz/keys


logchange 0.5 # note
'
expect "a comment character: refused" '[ "$RC" = 1 ] && contains "$J" "Not accepted: extra.chrony: holds '"'"'#'"'"'"'

# --- leak check: every transcript ------------------------------------------------------------
: >"$T_TMP/pieces"
for sec in "$AES" "${AES,,}" "$SHA" "${SHA,,}"; do
	for ((i = 0; i + 8 <= ${#sec}; i++)); do printf '%s\n' "${sec:i:8}" >>"$T_TMP/pieces"; done
done
expect "control: the search finds the secrets in the key file written" \
	'grep -qF -f "$T_TMP/pieces" "$(ls "$T_TMP"/root.*/etc/chrony/chrony.keys | head -1)"'
expect "no piece of a secret in any transcript ($(wc -l <"$ALL") lines)" '! grep -qF -f "$T_TMP/pieces" "$ALL"'

finish
