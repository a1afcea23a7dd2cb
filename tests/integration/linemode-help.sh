#!/bin/bash
# linemode-help.sh: "?" in line mode on a pipe shows the page's help: what
# every field means (the per-server options and issue 16's Advanced rows
# were missing) and how to answer in line mode, not the screen's keys
# ("Space marks a server", "Show diff", buttons that line mode has not).
# The answers after "?" give the same file as without it.
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

new_lm_root() { new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")"; }
lm() {
	printf '%s' "$2" | timeout 20 "$NTPWIZ" --text --root "$1" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
}
# The help printed after the Nth answer "?": from that answer's line to
# "(Enter < to go back ...)", which ends every help.
help_block() { awk -v n="$1" '/: \?$/ { k++; on = (k == n); next } on && /^\(Enter < to go back/ { exit } on' "$T_TMP/out"; }

# chrony, a LAN server: "?" at the servers question, at the first Advanced
# row and at the profile question; the other answers as linemode-advanced.sh
answers() {
	printf 'chrony\n%sy\nstep\nlan\n192.168.1.0/24\n%s\n\n\n\n\n\n\n\n\n%s%s\ny\n' \
		"$1" "$1" "$1" "$2"
}
root=$(new_lm_root)
lm "$root" "$(answers '?
' "$T_TMP/help.cfg")"
expect "with \"?\" three times: exit 0, the file written" '[ "$RC" = 0 ] && [ -s "$root/etc/chrony/chrony.conf" ]'
expect "... asked at the servers, the first Advanced row and the profile" \
	'[ "$(grep -c ": ?\$" "$T_TMP/out")" = 3 ] && grep -q "Keep these servers? \[Y/n\]: ?\$" "$T_TMP/out" && grep -B1 ": ?\$" "$T_TMP/out" | grep -q "Sources that must agree" && grep -B1 ": ?\$" "$T_TMP/out" | grep -q "Save the choices as a profile?"'
cp "$root/etc/chrony/chrony.conf" "$T_TMP/with-help.conf"

help_block 1 >"$T_TMP/servers.help"
expect "servers: the per-server options are explained" \
	'(for w in "noselect:" "trust (chrony):" "xleave:" "maxdelay:" "Key ID:"; do grep -qF "$w" "$T_TMP/servers.help" || exit 1; done)'
expect "servers: how to type the list in line mode" \
	'grep -qF "Answer n to \"Keep these servers?\" to type the list anew" "$T_TMP/servers.help"'
expect "servers: not the screen's keys" '! grep -qF "Space marks" "$T_TMP/servers.help" && ! grep -q "Add, Edit and Remove" "$T_TMP/servers.help"'

help_block 2 >"$T_TMP/advanced.help"
expect "advanced: every row issue 16 added is explained" \
	'(for w in "Serve NTS (chrony and NTPsec)" "Hardware timestamping (chrony)" "Reference clocks (chrony, NTPsec," "Key file and its format" "start options -u" "Operator lines: directives"; do grep -qF "$w" "$T_TMP/advanced.help" || exit 1; done)'
expect "advanced: line mode's keys (-N removes a line), not the screen's" \
	'grep -qF -- "-N removes line N" "$T_TMP/advanced.help" && ! grep -qF "Up and Down move" "$T_TMP/advanced.help"'

help_block 3 >"$T_TMP/summary.help"
expect "summary: what a file name does here, not the screen's buttons" \
	'grep -qF "A file name saves the profile" "$T_TMP/summary.help" && ! grep -qF "Show diff" "$T_TMP/summary.help"'

root=$(new_lm_root)
lm "$root" "$(answers '' "$T_TMP/plain.cfg")"
expect "the same answers without \"?\": the same bytes" \
	'[ "$RC" = 0 ] && cmp -s "$T_TMP/with-help.conf" "$root/etc/chrony/chrony.conf"'
expect "... and the same profile" 'cmp -s "$T_TMP/help.cfg" "$T_TMP/plain.cfg"'

finish
