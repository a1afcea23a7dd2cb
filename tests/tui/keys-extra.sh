#!/bin/bash
# keys-extra.sh: the issue-16 settings that had no way into the wizard,
# driven through the real wizard under tmux in a Debian 12 sandbox root:
#
# 1. A server's options in the edit dialog: noselect, trust, xleave,
#    maxdelay and the key ID; the dialog names a key only as
#    "key 1 (AES128CMAC, set)".
# 2. Edit keeps what the dialog does not show: an imported server's
#    minpoll/maxpoll survive Edit + OK (they were dropped).
# 3. The Advanced page: keys.format and keys.file, checked as the profile
#    checks them (relative path, missing, readable by others: the same
#    messages as `ntpwiz render`); a server's key the file lacks is refused
#    on the Servers page before it can be left.
# 4. Operator lines: Add refuses "allow ..." on the spot with extra.c's
#    reason, takes "logchange 0.5"; Remove takes one away.
# 5. The Summary shows the keys (never a secret), Save profile... writes
#    every setting, Apply writes them into chrony.conf.
# 6. Leak check: no piece of a secret on any screen captured.
#
# Safety: as root the script runs without network (unshare -n) and with the
# host's / read-only (hostguard.sh); every ntpwiz run has --root. The tmux
# server has its own socket and is killed on exit.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"
command -v tmux >/dev/null 2>&1 || skip_or_fail "tmux not found (autogen.sh installs it)"
if [ "$(id -u)" = 0 ] && [ "${NTPWIZ_TUI_NONET-}" != 1 ]; then
	command -v unshare >/dev/null 2>&1 || skip_or_fail "unshare not found"
	NTPWIZ_TUI_NONET=1 exec unshare -n bash "$0" "$@"
fi
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/tuilib.sh
. "$srcdir/tests/lib/tuilib.sh"

AES=5EC12E7A11CE0FF1CEC0FFEE0BADF00D
SHA=D15C10531A5E5EC12E75EC12E7DEADBEEF0FF1CE

tui_start keys-extra 80 24 || skip_or_fail "cannot start a tmux server"
ROOT=$(new_tui_root)
mkdir -p "$ROOT/etc/ntpwiz" "$ROOT/etc/chrony"
printf '1 AES128 HEX:%s\n2 SHA1 HEX:%s\n' "$AES" "$SHA" >"$ROOT/etc/ntpwiz/keys"
chmod 600 "$ROOT/etc/ntpwiz/keys"
printf '1 AES128 HEX:%s\n' "$AES" >"$ROOT/etc/ntpwiz/open-keys"
chmod 644 "$ROOT/etc/ntpwiz/open-keys"
# the current file the wizard starts from: one server with options the
# edit dialog does not show
printf 'server 192.0.2.9 iburst minpoll 3 maxpoll 5\n' >"$ROOT/etc/chrony/chrony.conf"

# wait_text TEXT: polls until TEXT shows in screen_text (rows joined: a
# message a dialog wrapped)
wait_text() {
	local i
	for ((i = 0; i < 300; i++)); do
		screen_text | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	echo "# timed out waiting for: $1" >&2
	screen | sed 's/^/# | /' >&2
	return 1
}

# every screen looked at is kept for the leak check
SHOTS=$T_TMP/screens
: >"$SHOTS"
shot() { screen >>"$SHOTS"; }

# what the profile path gives as the reason (the same message on the page)
reason_of() { # KEYSFILE -> the render error's text after "keys.file: "
	printf 'version = 1;\ndaemon = "chrony";\nservers = ( { host = "192.0.2.1"; key = 1; } );\nkeys = { file = "%s"; };\n' "$1" >"$T_TMP/r.cfg"
	"$NTPWIZ" render --root "$ROOT" "$T_TMP/r.cfg" 2>&1 >/dev/null | sed -n 's/.*keys\.file: //p' | head -1
}
R_REL=$(reason_of etc/ntpwiz/keys)
R_MISSING=$(reason_of /etc/ntpwiz/nokeys)
R_OPEN=$(reason_of /etc/ntpwiz/open-keys)
expect "the profile's reasons (relative, missing, readable by others) are known" \
	'[ -n "$R_REL" ] && [ -n "$R_MISSING" ] && [ -n "$R_OPEN" ]'

run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "Welcome ├" && keys Enter
wait_for "Time daemon ├" && keys Enter # chrony
wait_for "is not installed under $ROOT" && keys Enter
check "the Servers page, the imported server listed" wait_for "192.0.2.9"

# --- 2. Edit + OK keeps minpoll/maxpoll ------------------------------------------
keys Enter # Edit the highlighted server
check "the edit dialog" wait_for "Edit server"
expect "the dialog has noselect, trust, xleave, maxdelay and Key ID" \
	'screen | grep -qF "noselect (monitor only)" && screen | grep -qF "trust (assume always true)" && screen | grep -qF "xleave (interleaved mode)" && screen | grep -qF "maxdelay (seconds):" && screen | grep -qF "Key ID:"'
shot
keys Enter # OK in the host field
check "saved" wait_gone "Edit server"

# --- 1. a new server with noselect, maxdelay and key 1 ----------------------------
keys Tab Enter # Add
check "the add dialog" wait_for "Add a server"
keys -l 192.0.2.1
keys Tab Tab Tab Space # noselect
keys Tab Tab Tab Tab Tab Tab
keys -l 0.05 # maxdelay
keys Tab
keys -l 1 # Key ID
check "no key file yet: the dialog says where it is named" \
	wait_for "the key file is named on the Advanced page"
shot
keys Enter
check "the list shows the options" wait_for "192.0.2.1 iburst noselect maxdelay 0.05 key"
shot
keys F12
wait_for "Leap seconds ├" && keys F12
wait_for "Access policy ├" && keys F12
check "the Advanced page" wait_for "6/9 Advanced ├"
check "... without a key file the server's key is the page's problem" \
	wait_for "server 192.0.2.1 uses key 1; name the key file that has it"
expect "the rows: key file format and key file, the scroll note" \
	'screen | grep -qF "Format of the key file" && screen | grep -qF "Up and Down move between the fields"'
shot
keys F12
sleep 0.5
expect "... and Next stays on the page" 'screen | grep -qF "6/9 Advanced"'

# --- 3. keys.file, checked as the profile checks it ------------------------------
keys Down Down Down Down # minsources -> maxdistance -> hwtimestamp -> keys.format -> keys.file
keys -l etc/ntpwiz/keys
check "a relative path: the profile's message" wait_for "$R_REL"
keys C-u
keys -l /etc/ntpwiz/nokeys
check "a missing file: the profile's message ($R_MISSING)" wait_for "$R_MISSING"
keys C-u
keys -l /etc/ntpwiz/open-keys
check "readable by others: the profile's message" wait_for "${R_OPEN:0:40}"
shot
keys C-u
keys -l /etc/ntpwiz/keys
check "the right file: accepted" wait_gone "name the key file"
shot

# --- 4. operator lines --------------------------------------------------------------
keys Down Down Down Right # start.user, start.family, the list, then Add line
keys Enter
check "the Add line dialog" wait_for "Add an operator line for chrony"
keys -l "allow 10/8"
check "allow is refused on the spot, pointing at the access policy" \
	wait_text "chrony's \"allow\" decides who may reach or control the daemon; set that with the access policy"
expect "... OK is not taken" 'screen_text | grep -qF "set that with the access policy"'
shot
keys Enter
sleep 0.5
expect "... Enter keeps the dialog open" 'screen | grep -qF "Add an operator line"'
keys C-u
keys -l "logchange 0.5"
check "logchange is accepted" wait_gone "decides who may reach"
keys Enter
check "the line is listed" wait_for "logchange 0.5"
keys Enter # Add line again (the focus is back on the button)
wait_for "Add an operator line for chrony"
keys -l "maxchange 1000 1 2"
keys Enter
check "a second line" wait_for "maxchange 1000 1 2"
keys Down Enter # Add line -> Remove (the list is on the line just added)
check "Remove takes it away" wait_gone "maxchange 1000 1 2"
shot

# --- a key the file does not have: refused before leaving the Servers page --------
keys Escape # Back to Access policy
wait_for "Access policy ├" && keys Escape
wait_for "Leap seconds ├" && keys Escape
check "the Servers page again" wait_for "Time servers ├"
keys Down Enter # Edit 192.0.2.1
wait_for "Edit server"
check "the dialog names the key, never its secret" wait_for "key 1 (AES128CMAC, set)"
shot
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab BSpace
keys -l 7
check "key 7: not in the file, said in the dialog" wait_for "key 7 is not in /etc/ntpwiz/keys"
keys Enter
check "the Servers page refuses it" \
	wait_for "server 192.0.2.1 uses key 7, which /etc/ntpwiz/keys does not have"
shot
keys F12
sleep 0.5
expect "... and Next stays on the page" 'screen | grep -qF "Time servers ├"'
keys Enter
wait_for "Edit server"
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab BSpace
keys -l 2
keys Enter
check "key 2: the problem goes" wait_gone "which /etc/ntpwiz/keys does not have"
keys F12
wait_for "Leap seconds ├" && keys F12
wait_for "Access policy ├" && keys F12
wait_for "6/9 Advanced ├" && keys F12

# --- 5. Summary, Save profile..., Apply -------------------------------------------------
check "the Summary" wait_for "7/9 Summary"
keys Tab Tab # Apply -> Cancel -> the file's view
for _ in $(seq 1 40); do keys Down; done
check "the Summary names the keys, never a secret" wait_text "key 2 (SHA1, set)"
S=$(screen_text)
expect "... the key file, its mode and its source" \
	'contains "$S" "==> Keys: /etc/chrony/chrony.keys (mode 0640, from /etc/ntpwiz/keys)"'
shot
keys Tab Tab Enter # the view -> Show diff -> Save profile...
check "the save dialog" wait_for "Save the choices as a profile, to the file:"
keys C-u
keys -l "$T_TMP/p.cfg"
keys Enter
check "saved" wait_for "Replay it with:"
keys Enter
P=$(cat "$T_TMP/p.cfg" 2>/dev/null)
expect "the profile: the imported server keeps minpoll 3 and maxpoll 5" \
	'contains "$P" "{ host = \"192.0.2.9\"; kind = \"server\"; iburst = true; minpoll = 3; maxpoll = 5; }"'
expect "the profile: noselect, key 2, maxdelay" \
	'contains "$P" "{ host = \"192.0.2.1\"; kind = \"server\"; iburst = true; key = 2; noselect = true; maxdelay = 0.05; }"'
expect "the profile: the key file and the operator line" \
	'contains "$P" "keys = { file = \"/etc/ntpwiz/keys\"; };" && contains "$P" "  chrony = ( \"logchange 0.5\" );"'
expect "the profile: no removed line, no secret" \
	'! contains "$P" maxchange && ! grep -qiF -e "$AES" -e "$SHA" "$T_TMP/p.cfg"'
keys F12
wait_for "now? Under --root" && keys BTab Enter
check "applied under the root" wait_for "changed: $ROOT/etc/chrony/chrony.conf" 30
shot
C=$(cat "$ROOT/etc/chrony/chrony.conf")
expect "chrony.conf: the servers with their options" \
	'grep -qx "server 192.0.2.9 iburst minpoll 3 maxpoll 5" "$ROOT/etc/chrony/chrony.conf" && grep -qx "server 192.0.2.1 iburst key 2 noselect maxdelay 0.05" "$ROOT/etc/chrony/chrony.conf"'
expect "chrony.conf: keyfile and the operator line" \
	'grep -qx "keyfile /etc/chrony/chrony.keys" "$ROOT/etc/chrony/chrony.conf" && grep -qx "logchange 0.5" "$ROOT/etc/chrony/chrony.conf" && ! grep -q maxchange "$ROOT/etc/chrony/chrony.conf"'
expect "chrony.keys: mode 0640" '[ "$(stat -c %a "$ROOT/etc/chrony/chrony.keys")" = 640 ]'
keys C-c
shell_done

# --- 6. leak check: every screen captured -------------------------------------------------
: >"$T_TMP/pieces"
for sec in "$AES" "${AES,,}" "$SHA" "${SHA,,}"; do
	for ((i = 0; i + 8 <= ${#sec}; i++)); do printf '%s\n' "${sec:i:8}" >>"$T_TMP/pieces"; done
done
expect "screens were captured ($(grep -c . "$SHOTS") rows)" '[ "$(grep -c . "$SHOTS")" -gt 200 ]'
expect "control: the search finds the secrets in the operator's key file" \
	'grep -qF -f "$T_TMP/pieces" "$ROOT/etc/ntpwiz/keys"'
expect "no piece of a secret on any screen" '! grep -qF -f "$T_TMP/pieces" "$SHOTS"'

finish
