#!/bin/bash
# linemode-operator.sh: line mode as a new operator and a script use it
# (issue 15): a refused answer on a pipe aborts instead of shifting the
# answers after it; the profile named is saved even when the file is not
# written; the replay hint can be pasted (quoted, with --root); a refused
# value is never offered as the [default]; `?` shows the help and `<` goes
# back; long lines break between words.
#
# Safety: every run has --root under a temp folder; as root the script runs
# with the host's / read-only (hostguard.sh). A printed replay hint is only
# run after checking that it carries --root with the sandbox.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

# a Debian 12 sandbox root (testlib.sh's new_root)
new_lm_root() { new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")"; }

# lm ROOT ANSWERS [ARGS...]: line mode with these answers on stdin, run in
# the folder $T_TMP/cwd (so a stray relative file shows up there)
mkdir -p "$T_TMP/cwd"
lm() {
	local root=$1 answers=$2
	shift 2
	(cd "$T_TMP/cwd" && printf '%s' "$answers" | timeout 20 "$NTPWIZ" --text --root "$root" "$@" \
		>"$T_TMP/out" 2>"$T_TMP/err")
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}

# --- defect 1: one refused answer must not shift the answers after it --------------
# The issue's own script: leap "5" is refused; its retry used to take "2"
# (slew), the policy took the network, and so on: exit 0, a profile named "y".
ROOT=$(new_lm_root)
before=$(tree_state "$ROOT")
lm "$ROOT" $'1\ny\n5\n2\n192.168.1.0/24\n\ny\ny\n'
expect "refused answer on a pipe: exit 1" '[ "$RC" = 1 ]'
expect "refused answer on a pipe: the message names the question and the answer" \
	'contains "$ERR" "Leap seconds" && contains "$ERR" "\"5\"" && contains "$ERR" "nothing was written"'
expect "refused answer on a pipe: nothing written under the root" '[ "$(tree_state "$ROOT")" = "$before" ]'
expect "refused answer on a pipe: no profile saved (no file named y)" \
	'[ -z "$(ls -A "$T_TMP/cwd")" ]'
expect "refused answer on a pipe: asked once, not again" \
	'[ "$(grep -c "^\[3/7\]" "$T_TMP/out")" = 1 ] && ! grep -q "^\[4/7\]" "$T_TMP/out"'

# --- defect 5: the profile named is saved when the file is not written ---------------
ROOT=$(new_lm_root)
before=$(tree_state "$ROOT")
mkdir -p "$T_TMP/my profiles"
P5="$T_TMP/my profiles/p5.cfg"
lm "$ROOT" $'chrony\ny\nstep\nclient-only\n\n\n\n\n\n\n'"$P5"$'\nn\n'
expect "declined writing: the profile is saved all the same" '[ -s "$P5" ]'
expect "declined writing: nothing written under the root" '[ "$(tree_state "$ROOT")" = "$before" ]'
expect "declined writing: it says the profile was saved and the file not written" \
	'contains "$OUT" "Profile saved: $P5" && contains "$OUT" "nothing was written"'
expect "declined writing after saving: exit 0" '[ "$RC" = 0 ]'
"$NTPWIZ" render "$P5" --root "$ROOT" >"$T_TMP/p5.conf" 2>/dev/null
expect "declined writing: the saved profile holds the answers (renders chrony, client-only)" \
	'grep -q "^pool 2.debian.pool.ntp.org iburst" "$T_TMP/p5.conf"'

# --- defect 3: the replay hint is a command that can be pasted ------------------------
# a relative name: saved in the current folder, and the hint gives the full path
hint=$(printf '%s\n' "$OUT" | sed -n 's/.*[Rr]eplay it with: //p' | sed 's/)$//' | head -1)
expect "replay hint (line mode): printed" '[ -n "$hint" ]'
# split it as a shell would, without running it
eval "set -- $hint"
args=("$@")
expect "replay hint (line mode): ntpwiz apply FILE, the path with a space is one word" \
	'[ "${args[0]}" = ntpwiz ] && [ "${args[1]}" = apply ] && [ "${args[2]}" = "$P5" ]'
has_root=no
for ((i = 0; i < ${#args[@]} - 1; i++)); do
	[ "${args[i]}" = --root ] && [ "${args[i + 1]}" = "$ROOT" ] && has_root=yes
done
expect "replay hint (line mode): carries --root with the sandbox" '[ "$has_root" = yes ]'
if [ "$has_root" = yes ]; then
	(cd "$T_TMP/cwd" && "$NTPWIZ" "${args[@]:1}" >"$T_TMP/replay.out" 2>&1)
	expect "replay hint (line mode): pasted, it writes the sandbox's chrony.conf" \
		'[ -f "$ROOT/etc/chrony/chrony.conf" ] && "$NTPWIZ" render "$P5" --root "$ROOT" | cmp -s - "$ROOT/etc/chrony/chrony.conf"'
fi
ROOT=$(new_lm_root)
lm "$ROOT" $'chrony\ny\nstep\nclient-only\n\n\n\n\n\n\nrel.cfg\nn\n'
expect "a relative profile name: saved in the current folder, shown with its full path" \
	'[ -s "$T_TMP/cwd/rel.cfg" ] && contains "$OUT" "Profile saved: $T_TMP/cwd/rel.cfg"'
rm -f "$T_TMP/cwd/rel.cfg"

# --- defect 12: a refused value is not offered as the [default] ------------------------
# at a terminal-like retry the LAN field's default must not be the refused text
ROOT=$(new_lm_root)
lm "$ROOT" $'chrony\ny\nstep\nlan\n192.168.1.5/24\n'
expect "a refused network on a pipe: exit 1, the answer named" \
	'[ "$RC" = 1 ] && contains "$ERR" "\"192.168.1.5/24\""'
# interactive retries are on a terminal (see the tmux part below)

# --- friction: ? shows the page's help, < goes back -------------------------------------
ROOT=$(new_lm_root)
lm "$ROOT" $'chrony\ny\n?\n<\ny\nslew\n<\nstep\nclient-only\n\n\n\n\n\n\n\nn\n'
expect "? prints the help of the question and asks again" \
	'contains "$OUT" "A leap second is an extra second inserted at midnight UTC"'
expect "< goes back to the previous question" \
	'[ "$(grep -c "^\[2/7\]" "$T_TMP/out")" = 2 ]'
expect "the answer after going back is the one used (step)" \
	'contains "$OUT" "leapsecmode system" && [ "$RC" = 1 ] && contains "$OUT" "nothing was written"'
expect "line mode's lines fit 80 columns (broken between words)" \
	'! sed "/^==> The /,/^Save the choices/d" "$T_TMP/out" | awk "length > 80" | grep -q .'

# --- defect 8: OpenNTPD's leap question says what its file says -----------------------
ROOT=$(new_lm_root)
lm "$ROOT" $'openntpd\ny\n'
OUTJ=$(tr -s ' \n' '  ' <"$T_TMP/out")
expect "openntpd: the leap question says OpenNTPD has no leap setting" \
	'contains "$OUTJ" "OpenNTPD has no leap-second setting"'
expect "openntpd: and not that the kernel inserts the second" '! contains "$OUTJ" "kernel inserts"'

# --- defect 10: hosts no server can be, NTS on an address, a URL; scoped link-local --
for case in "0.0.0.0|unspecified address" "::|unspecified address" "224.0.1.1|multicast" \
	"ff02::101|multicast" "192.0.2.1 nts|NTS needs the server's name" \
	"http://time.example.com|is a URL" "2001:db8::1%eth0|link-local"; do
	host=${case%%|*}
	why=${case#*|}
	ROOT=$(new_lm_root)
	lm "$ROOT" "chrony"$'\nn\n'"$host"$'\n'
	ERRJ=$(printf '%s' "$ERR" | tr -s ' \n' '  ')
	expect "server \"$host\": refused, the reason says: $why" \
		'[ "$RC" = 1 ] && contains "$ERRJ" "$why"'
done
ROOT=$(new_lm_root)
lm "$ROOT" $'chrony\nn\nfe80::1%eth0\n\nstep\nclient-only\n\n\n\n\n\n\n\ny\n'
expect "fe80::1%eth0 for chrony: accepted and written as is" \
	'[ "$RC" = 0 ] && grep -qx "server fe80::1%eth0 iburst" "$ROOT/etc/chrony/chrony.conf"'
ROOT=$(new_lm_root)
# ntp.org's ntpd on the root (as tests/lib/roots.sh's golden_root): else Debian's
# "ntp" is NTPsec and its file is /etc/ntpsec/ntp.conf
mkdir -p "$ROOT/usr/sbin" && : >"$ROOT/usr/sbin/ntpd" && : >"$ROOT/usr/sbin/ntpdc"
lm "$ROOT" $'ntp\nn\nfe80::1%eth0\n\nstep\nclient-only\n\n\n\n\n\ny\n'
expect "fe80::1%eth0 for ntpd: accepted and written as is" \
	'[ "$RC" = 0 ] && grep -qx "server fe80::1%eth0 iburst" "$ROOT/etc/ntp.conf"'
ROOT=$(new_lm_root)
lm "$ROOT" $'openntpd\nn\nfe80::1%eth0\n\nstep\nclient-only\n\n\n\ny\n'
expect "fe80::1%eth0 for OpenNTPD: refused with the reason" \
	'[ "$RC" = 1 ] && contains "$(printf "%s" "$OUT$ERR" | tr -s " \n" "  ")" "OpenNTPD does not take a link-local address with an interface name" && [ ! -e "$ROOT/etc/openntpd" ]'

# --- a terminal: a refused LAN network is explained and not the [default] -------------
if command -v tmux >/dev/null 2>&1; then
	SOCK=ntpwiz-lmo-$$
	trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1; rm -rf "$T_TMP"' EXIT
	root=$(new_lm_root)
	tmux -L "$SOCK" new-session -d -x 80 -y 24 \
		"env TERM=dumb $NTPWIZ --root $root; echo rc=\$?; sleep 60"
	tw() { # TEXT: wait for it on the screen
		local i
		for ((i = 0; i < 200; i++)); do
			tmux -L "$SOCK" capture-pane -p | grep -qF -- "$1" && return 0
			sleep 0.05
		done
		tmux -L "$SOCK" capture-pane -p | sed 's/^/# | /'
		return 1
	}
	tk() { tmux -L "$SOCK" send-keys "$@"; }
	tw "Choice [1]:" && tk -l chrony && tk Enter
	tw "Keep these servers?" && tk -l y && tk Enter
	tw "[3/7]" && tk Enter
	tw "[4/7]" && tk -l lan && tk Enter
	tw "Networks to serve" && tk -l 192.168.1.5/24 && tk Enter
	check "terminal: the refused network is explained" tw "Not accepted:"
	expect "terminal: the retry offers no refused [default]" \
		'! tmux -L "$SOCK" capture-pane -p | grep -F "Networks to serve" | tail -1 | grep -qF "[192.168.1.5/24]"'
	tk C-d
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
elif [ -n "${CI-}" ]; then
	not_ok "tmux is needed for the terminal checks (CI)"
fi

finish
