#!/bin/bash
# advanced-nts.sh: the wizard's Advanced page rows of issue 16 sections 6
# and 7 under tmux (80x24): chrony on a LAN shows "Serve NTS" and
# "Hardware timestamping"; a bad interface name is explained while typed
# and keeps Next unavailable; the certificate and key typed there and "*"
# are in the file applied under --root.
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
command -v openssl >/dev/null 2>&1 || skip_or_fail "openssl is needed to make a throwaway certificate"
if [ "$(id -u)" = 0 ] && [ "${NTPWIZ_TUI_NONET-}" != 1 ]; then
	command -v unshare >/dev/null 2>&1 || skip_or_fail "unshare not found"
	NTPWIZ_TUI_NONET=1 exec unshare -n bash "$0" "$@"
fi
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/tuilib.sh
. "$srcdir/tests/lib/tuilib.sh"

tui_start advanced-nts 80 24 || skip_or_fail "cannot start a tmux server"
ROOT=$(new_tui_root)
mkdir -p "$ROOT/etc/chrony"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$ROOT/etc/chrony/k.pem" -out "$ROOT/etc/chrony/c.pem" -days 2 -subj /CN=ntp.example \
	>/dev/null 2>&1 || skip_or_fail "openssl cannot make a certificate here"
chmod 640 "$ROOT/etc/chrony/k.pem"
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "Welcome ├" && keys Enter
wait_for "Time daemon ├" && keys Enter # chrony
wait_for "is not installed under $ROOT" && keys Enter
wait_for "Time servers ├" && keys F12
wait_for "Leap seconds ├" && keys F12
wait_for "Access policy ├" && keys Down Space Tab Tab
keys -l "192.168.1.0/24"
keys F12
check "the Advanced page" wait_for "6/9 Advanced ├"
# the rows scroll at 80x24 (a sub-form): Down moves inside it, Tab would
# leave it for the buttons
keys Down Down Down # minsources -> maxdistance -> orphan -> NTS
keys -l "/etc/chrony/c.pem /etc/chrony/k.pem"
keys Down
keys -l "eth0;x"
sleep 0.5
expect "chrony on a LAN: the NTS and hardware timestamping rows are on the 80x24 page" \
	'screen | grep -qF "Serve NTS: certificate chain and private key (two paths)" && screen | grep -qF "Hardware timestamping on these interfaces"'
check "a bad interface name is explained while typing" \
	wait_for "options.hwtimestamp: is not an interface name"
keys F12
sleep 0.5
expect "... and Next stays on the page" 'screen | grep -qF "6/9 Advanced"'
keys C-u
keys -l "*"
check "* is accepted: the explanation goes" wait_gone "is not an interface name"
keys F12
check "the Summary" wait_for "7/9 Summary"
expect "the Summary's head names the NTS-KE port" \
	'screen_text | grep -qF "NTS: clients also need TCP port 4460"'
keys F12
wait_for "now? Under --root" && keys BTab Enter # apply into the sandbox root
check "applied under the root" wait_for "changed: $ROOT/etc/chrony/chrony.conf" 30
expect "the file written serves NTS with the typed files and timestamps on *" \
	'grep -qx "ntsservercert /etc/chrony/c.pem" "$ROOT/etc/chrony/chrony.conf" && grep -qx "ntsserverkey /etc/chrony/k.pem" "$ROOT/etc/chrony/chrony.conf" && grep -qx "hwtimestamp \*" "$ROOT/etc/chrony/chrony.conf"'
keys C-c
shell_done

finish
