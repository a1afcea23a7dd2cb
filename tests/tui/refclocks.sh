#!/bin/bash
# refclocks.sh: reference clocks on the wizard's Advanced page (issue 16
# section 5) under tmux: a LAN server's page has the refclocks field across
# the page's width; the gpsd pair typed there is explained while wrong,
# reaches the file applied under --root; the next run starts from that
# file and shows them in the field; emptying the field removes them.
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

tui_start refclocks 80 24 || skip_or_fail "cannot start a tmux server"
ROOT=$(new_tui_root)
CONF=$ROOT/etc/chrony/chrony.conf
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "Welcome ├" && keys Enter
wait_for "Time daemon ├" && keys Enter # chrony
wait_for "is not installed under $ROOT" && keys Enter
wait_for "Time servers ├" && keys F12
wait_for "Leap seconds ├" && keys F12
wait_for "Access policy ├" && keys Down Space
wait_for "Networks: enter at least one network" && keys Tab Tab
keys -l "192.168.1.0/24"
wait_gone "enter at least one network" && keys F12
check "the Advanced page" wait_for "6/9 Advanced ├"
# the rows scroll at 80x24 (a sub-form): Down moves inside it, Tab would
# leave it for the buttons
keys Down Down Down Down Down # minsources -> maxdistance -> orphan -> nts -> hwtimestamp -> refclocks
sleep 0.5
expect "a LAN server's page has the refclocks question and its example" \
	'screen | grep -qF "Reference clocks, separated by" && screen | grep -qF "shm 0 refid GPS delay 0.2 noselect"'
keys -l "pps /dev/pps0 lock GPS"
check "a lock naming no refclock is explained while typing" wait_for "refclocks[0].lock: names no refclock"
keys F12
sleep 0.5
expect "... and Next stays on the page" 'screen | grep -qF "6/9 Advanced"'
keys C-u
keys -l "shm 0 refid GPS offset 0.5 delay 0.2 noselect; pps /dev/pps0 refid PPS lock GPS"
check "the gpsd pair is accepted: the explanation goes" wait_gone "names no refclock"
keys F12
check "the Summary" wait_for "7/9 Summary"
keys F12
wait_for "now? Under --root" && keys BTab Enter # apply into the sandbox root
check "applied under the root" wait_for "changed: $CONF" 30
expect "the file has the gpsd pair" \
	'grep -qx "refclock SHM 0 refid GPS offset 0.5 delay 0.2 noselect" "$CONF" && grep -qx "refclock PPS /dev/pps0 refid PPS lock GPS" "$CONF"'
keys C-c
wait_for "rc=" 10

# the next run starts from that file: the field shows them; emptied, they go
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "Welcome ├" && keys Enter
wait_for "Time daemon ├" && keys Enter
wait_for "is not installed under $ROOT" && keys Enter
wait_for "Time servers ├" && keys F12
wait_for "Leap seconds ├" && keys F12
wait_for "Access policy ├" && keys F12
check "the Advanced page again" wait_for "6/9 Advanced ├"
keys Down Down Down Down Down
sleep 0.5
expect "the field shows the refclocks of the current file, from their start" \
	'screen | grep -qF "shm 0 refid GPS offset 0.5 delay 0.2 noselect; pps /dev/pps0"'
keys End C-u
sleep 0.3
keys F12
check "the Summary again" wait_for "7/9 Summary"
keys F12
wait_for "now? Under --root" && keys BTab Enter
check "applied again" wait_for "changed: $CONF" 30
expect "an emptied field removes the refclocks from the file" '! grep -q "^refclock" "$CONF" && grep -q "^allow 192.168.1.0/24" "$CONF"'
keys C-c
shell_done

finish
