#!/bin/bash
# advanced.sh: the wizard's Advanced page (issue 16) under tmux: the rows
# for the chosen daemon only, a value typed there reaches the Summary's file,
# a value out of range is explained and keeps Next unavailable.
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

tui_start advanced 80 24 || skip_or_fail "cannot start a tmux server"
ROOT=$(new_tui_root)
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "Welcome ├" && keys Enter
wait_for "Time daemon ├" && keys Enter # chrony
wait_for "is not installed under $ROOT" && keys Enter
wait_for "Time servers ├" && keys F12
wait_for "Leap seconds ├" && keys F12
wait_for "Access policy ├" && keys F12 # client only
check "the Advanced page" wait_for "6/9 Advanced ├"
expect "chrony, client only: minsources and maxdistance, no orphan mode, no constraints" \
	'screen | grep -qF "Sources that must agree" && screen | grep -qF "Largest root distance" && ! screen | grep -qF "Orphan mode" && ! screen | grep -qF "HTTPS"'
# every word of a hint is on the screen, wrapped rather than cut at the
# page's edge (it was cut: "4 outvotes one bad serve"); the rows scroll
# (issue 16's rows are taller than 80x24): the scroll bar is right of them
expect "the hints are whole: \"... 4 outvotes one bad\" then \"server\" on the next line" \
	'screen | grep -qE "empty: the default \(1\); 1 to 16; 4 outvotes one bad +([↑↓▮▒] +)?│" && screen | grep -qE "^ │ {16}server +([↑↓▮▒] +)?│"'
expect "the rows scroll at 80x24: the page says how to move, the buttons are still on the screen" \
	'screen | grep -qF "Up and Down move between the fields below; Tab goes to the buttons." && screen | grep -qF "Next" && screen | grep -qF "Back"'
# F1: the page's help covers every row (issue 16 added six; the help named
# none of them) and says how to move on the screen, not line mode's keys
keys F1
check "F1 opens the Advanced page's help" wait_for "Settings most hosts leave as they are"
# the text scrolls (Tab gives it the focus): a page at a time, every page kept
keys Tab
screen >"$T_TMP/help.txt"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	keys NPage
	sleep 0.3
	screen >>"$T_TMP/help.txt"
done
expect "F1 explains the rows issue 16 added: NTS, timestamping, clocks, keys, start options, operator lines" \
	'(for p in "Serve NTS (chrony and NTPsec)" "Hardware timestamping (chrony)" "Reference clocks (chrony, NTPsec, ntpd)" "Key file and its format" "Run as user and address family" "Operator lines: directives"; do grep -qF "$p" "$T_TMP/help.txt" || exit 1; done)'
expect "F1, at its end: the screen's keys, not line mode's" \
	'screen | grep -qF "Up and Down move between the fields; the page scrolls" && ! grep -qF "removes line N" "$T_TMP/help.txt"'
keys Tab Enter # OK (Esc followed at once by typing reads as Alt and a key)
check "OK closes the help, the page is back" wait_gone "Up and Down move between the fields; the page scrolls"
keys -l "17"
check "17 is explained while typing" wait_for "selection.minsources: must be between 1 and 16"
keys F12
sleep 0.5
expect "... and Next stays on the page" 'screen | grep -qF "6/9 Advanced"'
keys BSpace BSpace
keys -l "3"
check "3 is accepted: the explanation goes" wait_gone "must be between 1 and 16"
# Down moves inside the scrolling rows: maxdistance, hwtimestamp, user, family
keys Down Down Down Down
sleep 0.5
# issue 16 section 7: the start options, for chrony on Debian (/etc/default/chrony)
expect "the start options' rows: user (-u) and address family (-4/-6), their hints whole" \
	'screen | grep -qF "Run the daemon as this user (-u)" && screen | grep -qF "Address family (-4/-6)" && screen | grep -qF "empty: as the service does now; a user of this system" && screen | grep -qF "empty: as now; any, ipv4 or ipv6"'
expect "the buttons are still on the screen with the last rows in view" \
	'screen | grep -qF "Next" && screen | grep -qF "Back"'
keys -l "ipv5"
check "ipv5 in the address family is explained while typing" wait_for 'start.family: must be "any", "ipv4" or "ipv6"'
keys BSpace
keys -l "4"
check "ipv4 is accepted" wait_gone 'start.family: must be'
keys F12
check "the Summary" wait_for "7/9 Summary"
keys F12
wait_for "now? Under --root" && keys BTab Enter # apply into the sandbox root
check "applied under the root" wait_for "changed: $ROOT/etc/chrony/chrony.conf" 30
expect "the file written has minsources 3, and no maxdistance (left empty)" \
	'grep -qx "minsources 3" "$ROOT/etc/chrony/chrony.conf" && ! grep -q maxdistance "$ROOT/etc/chrony/chrony.conf"'
expect "the start option is in /etc/default/chrony: Debian's DAEMON_OPTS with -4" \
	'grep -qx "DAEMON_OPTS=\"-F 1 -4\"" "$ROOT/etc/default/chrony"'
keys C-c
shell_done

finish
