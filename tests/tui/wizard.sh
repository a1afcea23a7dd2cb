#!/bin/bash
# wizard.sh: the newt wizard driven through tmux (send-keys, capture-pane)
# at 80x24, as a person would use it, on the real binary in a sandbox root
# (Debian 12): choose chrony, set two servers, pick the LAN policy, look at
# the file and the diff, save a profile, apply; the written file must be
# what "ntpwiz render SAVED" prints and "ntpwiz check SAVED" must find
# nothing to change. Then: Cancel halfway writes nothing and gives the
# shell back with the terminal settings unchanged; Ctrl-C likewise; a
# resize redraws the page at the new size.
#
# Safety: as root the script runs without network (unshare -n: the Test
# button, which looks names up, can reach nothing) and with the host's /
# read-only (hostguard.sh); every ntpwiz run has --root. The tmux server
# has its own socket (-L) and is killed on exit.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"

skip_or_fail() {
	if [ -n "${CI-}" ]; then
		echo "FAIL (CI is set): $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

command -v tmux >/dev/null 2>&1 || skip_or_fail "tmux not found (autogen.sh installs it)"
# tools this script uses besides tmux (a minimal root such as debian:12 lacks them)
for tool in pgrep; do
	command -v "$tool" >/dev/null 2>&1 || skip_or_fail "$tool not found (package procps; autogen.sh installs it)"
done
if [ "$(id -u)" = 0 ] && [ "${NTPWIZ_TUI_NONET-}" != 1 ]; then
	command -v unshare >/dev/null 2>&1 || skip_or_fail "unshare not found"
	NTPWIZ_TUI_NONET=1 exec unshare -n bash "$0" "$@"
fi
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

SOCK=ntpwiz-tui-$$
PROMPT='TUIPROMPT$ '
PROMPT_SEEN='TUIPROMPT$' # capture-pane drops trailing blanks
tm() { tmux -L "$SOCK" "$@"; }
cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$T_TMP"
}
trap cleanup EXIT

screen() { tm capture-pane -p -t tui; }

# wait_for TEXT [SECONDS]: polls the screen until TEXT shows (default 15 s)
wait_for() {
	local text=$1 limit=${2:-15} i
	for ((i = 0; i < limit * 20; i++)); do
		if screen | grep -qF -- "$text"; then
			return 0
		fi
		sleep 0.05
	done
	echo "# timed out waiting for: $text" >&2
	screen | sed 's/^/# | /' >&2
	return 1
}

# wait_gone TEXT: polls until TEXT is no longer on the screen
wait_gone() {
	local text=$1 i
	for ((i = 0; i < 200; i++)); do
		screen | grep -qF -- "$text" || return 0
		sleep 0.05
	done
	return 1
}

keys() { tm send-keys -t tui "$@"; }

# A shell in an 80x24 pane; its prompt tells when a command has ended.
tm new-session -d -s tui -x 80 -y 24 "env PS1='$PROMPT' TERM=xterm bash --norc --noprofile" ||
	skip_or_fail "cannot start a tmux server"
tm set-option -t tui status off >/dev/null
wait_for "$PROMPT_SEEN" || skip_or_fail "the shell in tmux did not start"

# run_in_pane CMD: types CMD and Enter
run_in_pane() { keys -l "$1"; keys Enter; }

# shell_done: waits until the command in the pane ended; sets PANE_RC
shell_done() {
	wait_for "rc=" 20 || return 1
	PANE_RC=$(screen | sed -n 's/.*rc=\([0-9]*\).*/\1/p' | tail -1)
}

new_tui_root() {
	local r
	r=$(mktemp -d "$T_TMP/root.XXXXXX")
	mkdir -p "$r/etc"
	cp "$srcdir/tests/data/roots/debian12-os-release" "$r/etc/os-release"
	echo "$r"
}

stty_snapshot() { # FILE: the pane's terminal settings
	run_in_pane "clear; stty -a > $1; echo snap=done"
	wait_for "snap=done"
}

# === 1. a complete run ============================================================
ROOT=$(new_tui_root)
PROFILE=$T_TMP/saved.cfg
stty_snapshot "$T_TMP/stty.before"
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"

check "welcome page at 80x24" wait_for "1/9 Welcome"
expect "welcome: what was detected" 'screen | grep -qF "Debian GNU/Linux 12 (bookworm)" && screen | grep -qF "none installed"'
keys Enter
check "daemon page" wait_for "2/9 Time daemon"
expect "daemon page: chrony first, marked not installed" \
	'screen | grep -qE "│ chrony +not installed"'
keys Enter # Enter on the list takes the highlighted daemon
check "not installed under the root: said so" wait_for "is not installed under $ROOT"
keys Enter
check "servers page" wait_for "3/9 Time servers"
expect "servers page: pre-filled with Debian's pool" 'screen | grep -qF "pool   2.debian.pool.ntp.org"'
# Remove the pool (no name is looked up in this test), add two addresses.
keys Tab Tab Tab Enter
check "remove: the list is empty, Next says why" wait_for "Add at least one time server."
keys Enter # the focus is on Add when the list is empty
check "add dialog" wait_for "Add a server"
keys -l "a b"
check "an invalid host is explained next to the field while typing" \
	wait_for "Host: contains whitespace, which would add options to the directive"
keys C-u
keys -l "192.0.2.10"
check "the explanation goes once the host is valid" wait_gone "contains whitespace"
keys Enter
check "first server added" wait_for "server 192.0.2.10"
keys Tab Enter
check "add dialog again" wait_for "Add a server"
keys -l "192.0.2.11"
keys Enter
check "second server added" wait_for "server 192.0.2.11"
expect "Next is available again" '! screen | grep -qF "Add at least one time server."'
# Test probes the servers over NTP: only without network (unshare -n as
# root), where 192.0.2.x cannot be reached and no packet leaves the host.
if [ "${NTPWIZ_TUI_NONET-}" = 1 ]; then
	keys Tab Tab Tab Tab Enter # list -> Add, Edit, Remove, Test
	check "Test probes the servers and says why one is not usable" \
		wait_for "192.0.2.11: not usable: cannot be reached"
else
	keys Tab Tab Tab Tab # to Test, not pressed: this network is the host's
fi
keys F12
check "leap page" wait_for "4/9 Leap seconds"
expect "leap: step is the default and explained" \
	'screen | grep -qF "(*) Step (recommended)" && screen | grep -qF "the kernel inserts or deletes"'

# --- a resize redraws the page at the new size, and back ---
tm resize-window -t tui -x 100 -y 30
check "resize to 100x30: the window is drawn wider" \
	wait_for " ┌──────────────────────────────────────┤ 4/9 Leap seconds ├──────────────────────────────────────┐"
tm resize-window -t tui -x 80 -y 24
check "resize back to 80x24: redrawn to fit" \
	wait_for " ┌────────────────────────────┤ 4/9 Leap seconds ├────────────────────────────┐"
expect "after the resize the choice is still there" 'screen | grep -qF "(*) Step (recommended)"'

keys F12
check "policy page" wait_for "5/9 Access policy"
keys Down Space
check "LAN without networks: Next says why" \
	wait_for "Networks: enter at least one network to serve"
keys Tab Tab
keys -l "192.168.1.5/24"
check "a network with host bits is explained while typing" wait_for "has bits set after the prefix"
keys C-u
keys -l "192.168.1.0/24"
check "a valid network: the explanation goes" wait_gone "has bits set"
keys F12
# issue 16: the Advanced page, skipped with Next (its fields: chrony, LAN)
check "advanced page" wait_for "6/9 Advanced"
expect "advanced page: the rows for chrony on a LAN, empty (the defaults)" \
	'screen | grep -qF "Sources that must agree before the clock is set" && screen | grep -qF "Orphan mode" && ! screen | grep -qF "HTTPS time constraints"'
keys F12
check "summary page" wait_for "7/9 Summary"
expect "summary: the daemon, the path under the root, the choices" \
	'screen | grep -qF "chrony -> $ROOT/etc/chrony/chrony.conf;" && screen | grep -qF "servers: 2, leap: step, access: lan"'
expect "summary: the exact file" \
	'screen | grep -qF "# /etc/chrony/chrony.conf: chrony configuration written by ntpwiz." && screen | grep -qF "server 192.0.2.10 iburst"'
keys BTab BTab BTab Enter # Apply -> Back -> Save profile -> Show diff
check "the diff view" wait_for "/etc/chrony/chrony.conf does not exist yet; it will be created."
expect "the diff adds the file" 'screen | grep -qF "@@ -0,0 +1,"'
keys BTab BTab Enter # -> Back -> Save profile
check "save dialog" wait_for "Save the choices as a profile, to the file:"
keys C-u
keys -l "$PROFILE"
keys Enter
check "saved, and how to replay it" wait_for "Replay it with: ntpwiz apply $PROFILE"
keys Enter
keys Tab Tab Enter # Save profile -> Back -> Apply
check "apply asks first" wait_for "now? Under --root the service is enabled for the next boot,"
keys BTab Enter # "Not yet" has the focus; Apply is left of it
check "apply page: the outcome" wait_for "changed: $ROOT/etc/chrony/chrony.conf"
expect "apply page: the steps" 'screen | grep -qE "^ │ ok +write +/etc/chrony/chrony.conf"'
expect "after applying, Cancel is Close" 'screen | grep -qF "│ Close │"'
keys F12
check "peers page" wait_for "9/9 Peers"
expect "peers: under --root nothing runs, and it says why" 'screen | grep -qF "Under --root"'
keys F12
check "finish: the wizard ends" shell_done
expect "finish: exit 0" '[ "$PANE_RC" = 0 ]'
expect "finish: the shell prompt is back" 'screen | grep -qF "$PROMPT_SEEN"'
stty_snapshot "$T_TMP/stty.after"
check "finish: terminal settings as before" cmp -s "$T_TMP/stty.before" "$T_TMP/stty.after"

CONF=$ROOT/etc/chrony/chrony.conf
check "the file was written" [ -f "$CONF" ]
check "the profile was saved" [ -f "$PROFILE" ]
expect "the profile holds the choices" \
	'grep -qF "{ host = \"192.0.2.10\"; kind = \"server\"; iburst = true; }" "$PROFILE" && grep -qF "policy = \"lan\"; allow = [ \"192.168.1.0/24\" ];" "$PROFILE"'
run_ntpwiz render "$PROFILE" --root "$ROOT"
expect "the written file is what the saved profile renders, byte for byte" \
	'[ "$RC" = 0 ] && "$NTPWIZ" render "$PROFILE" --root "$ROOT" | cmp -s - "$CONF"'
expect "the file serves the LAN and syncs to both servers" \
	'grep -qx "allow 192.168.1.0/24" "$CONF" && grep -qx "server 192.0.2.10 iburst" "$CONF" && grep -qx "server 192.0.2.11 iburst" "$CONF"'
run_ntpwiz check "$PROFILE" --root "$ROOT"
expect "ntpwiz check SAVED: the host already matches (exit 0)" '[ "$RC" = 0 ]'

# === 2. Cancel halfway writes nothing =================================================
ROOT2=$(new_tui_root)
before=$(tree_state "$ROOT2")
run_in_pane "clear; $NTPWIZ --root $ROOT2; echo rc=\$?"
wait_for "1/9 Welcome" && keys Enter
wait_for "2/9 Time daemon" && keys Enter
wait_for "is not installed under" && keys Enter
wait_for "3/9 Time servers" && keys F12
check "cancel run: on the leap page" wait_for "4/9 Leap seconds"
keys BTab Enter # from the first choice back to Cancel
check "cancel asks before discarding" wait_for "Quit the wizard? Your answers are discarded"
keys Enter # "Stay" has the focus
check "Stay keeps the page" wait_gone "Quit the wizard?"
expect "still on the leap page" 'screen | grep -qF "4/9 Leap seconds"'
keys Enter # Cancel still has the focus
wait_for "Quit the wizard?"
keys BTab Enter # Quit
check "cancel: the wizard ends" shell_done
expect "cancel: exit 1" '[ "$PANE_RC" = 1 ]'
expect "cancel: the shell prompt is back" 'screen | grep -qF "$PROMPT_SEEN"'
expect "cancel: nothing written under the root" '[ "$(tree_state "$ROOT2")" = "$before" ]'
stty_snapshot "$T_TMP/stty.cancel"
check "cancel: terminal settings as before" cmp -s "$T_TMP/stty.before" "$T_TMP/stty.cancel"

# === 3. Ctrl-C mid-wizard ===============================================================
run_in_pane "clear; $NTPWIZ --root $ROOT2; echo rc=\$?"
wait_for "1/9 Welcome" && keys Enter
wait_for "2/9 Time daemon" && keys Enter
wait_for "is not installed under" && keys Enter
check "ctrl-c run: on the servers page" wait_for "3/9 Time servers"
keys C-c
check "ctrl-c: the wizard ends" shell_done
expect "ctrl-c: exit 130 and a line saying nothing was written" \
	'[ "$PANE_RC" = 130 ] && screen | grep -qF "ntpwiz: interrupted; the configuration was not written."'
expect "ctrl-c: nothing written under the root" '[ "$(tree_state "$ROOT2")" = "$before" ]'
stty_snapshot "$T_TMP/stty.ctrlc"
check "ctrl-c: terminal settings as before" cmp -s "$T_TMP/stty.before" "$T_TMP/stty.ctrlc"

# === 4. SIGTERM (a shutdown, a closed session) =========================================
run_in_pane "clear; $NTPWIZ --root $ROOT2; echo rc=\$?"
check "sigterm run: on the welcome page" wait_for "1/9 Welcome"
shell_pid=$(tm list-panes -t tui -F '#{pane_pid}')
wiz_pid=$(tr -d ' ' <"/proc/$shell_pid/task/$shell_pid/children")
expect "sigterm: the wizard is the shell's child" '[ -n "$wiz_pid" ] && grep -q ntpwiz "/proc/$wiz_pid/cmdline"'
[ -n "$wiz_pid" ] && kill -TERM "$wiz_pid"
check "sigterm: the wizard ends" shell_done
expect "sigterm: exit 143, nothing written" \
	'[ "$PANE_RC" = 143 ] && [ "$(tree_state "$ROOT2")" = "$before" ]'
stty_snapshot "$T_TMP/stty.term"
check "sigterm: terminal settings as before" cmp -s "$T_TMP/stty.before" "$T_TMP/stty.term"

# === 5. the terminal goes away (its window closed, its tmux server killed) ==============
# The wizard must end, not stay behind reading a dead terminal (it did:
# a busy loop that also ignored SIGTERM).
HUP_SOCK=ntpwiz-tui-hup-$$
tmux -L "$HUP_SOCK" new-session -d -s hup -x 80 -y 24 "sh -c '$NTPWIZ --root $ROOT2; sleep 30'"
for ((i = 0; i < 100; i++)); do
	hup_pid=$(pgrep -f "^$NTPWIZ --root $ROOT2\$" | head -1)
	[ -n "$hup_pid" ] && tmux -L "$HUP_SOCK" capture-pane -p -t hup | grep -qF "1/9 Welcome" && break
	sleep 0.05
done
expect "hang-up: the wizard runs in its own tmux server" '[ -n "$hup_pid" ]'
tmux -L "$HUP_SOCK" kill-server
for ((i = 0; i < 100; i++)); do
	[ -n "$hup_pid" ] && [ -d "/proc/$hup_pid" ] || break
	sleep 0.05
done
expect "hang-up: the wizard ends when its terminal goes away" '[ -n "$hup_pid" ] && [ ! -d "/proc/$hup_pid" ]'
[ -n "$hup_pid" ] && kill -KILL "$hup_pid" 2>/dev/null
expect "hang-up: nothing written under the root" '[ "$(tree_state "$ROOT2")" = "$before" ]'

finish
