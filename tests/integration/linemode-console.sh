#!/bin/bash
# linemode-console.sh: line mode as a serial console shows it (issue 14,
# scenario 5): TERM=dumb, 80 columns. A whole set-up into a sandbox root,
# answered on a pipe, must print no escape sequence and no line wider than
# 80 columns, apart from the file's own lines (the preview and the diff show
# the file as it is) and the replay command (kept on one line to be pasted).
# The real console run is tests/vm/sc-serial.sh; there the apply's step lines
# (e.g. "ok backup /var/backups/ntpwiz/...", 87 columns) and warnings ran
# past the 80th column: they are now broken between words like the prose.
#
# Safety: every run has --root under a temp folder; as root the script runs
# with the host's / read-only (hostguard.sh).

# shellcheck disable=SC2034  # variables read by expect's conditions
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

# too_wide FILE: the lines wider than 80 columns that are ntpwiz's own
# (not the file shown in the preview or its diff, not the replay command)
too_wide() {
	awk '
		/^==> The .* would write to / || /^==> Changes to / { file = 1; next }
		/^==> / || /^Save the choices/ || /^  (warning|error): / || /^\[[0-9]\/[0-9]\] / { file = 0 }
		file { next }
		/^Replay it with: / { next }
		length($0) > 80 { printf "%d (%d columns): %s\n", NR, length($0), $0 }
	' "$1"
}

ESC=$(printf '\033')
ROOT=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
mkdir -p "$ROOT/etc/chrony"
printf 'server 10.231.77.1 iburst\n' >"$ROOT/etc/chrony/chrony.conf"

# 1. the console's own answers (chrony, the server with prefer, step, lan,
# every Advanced row kept, a profile, y): the apply's step lines
printf '%s\n' chrony n '10.231.77.1 prefer' '' step lan 10.231.77.0/24 '' '' '' '' '' '' '' '' '' \
	"$T_TMP/p1.cfg" y |
	TERM=dumb COLUMNS=80 timeout 30 "$NTPWIZ" --text --root "$ROOT" >"$T_TMP/out1" 2>&1
RC=$?
WIDE=$(too_wide "$T_TMP/out1")
expect "console set-up: exit 0 (written under the sandbox root)" \
	'[ "$RC" = 0 ] && grep -qx "server 10.231.77.1 iburst prefer" "$ROOT/etc/chrony/chrony.conf"'
expect "console set-up: the apply's step lines are shown (ok write, ok backup)" \
	'grep -qE "^  ok +write " "$T_TMP/out1" && grep -qE "^  ok +backup" "$T_TMP/out1"'
expect "console set-up: no line of ntpwiz's wider than 80 columns (got: $(printf '%s' "$WIDE" | head -n 3))" \
	'[ -z "$WIDE" ]'
expect "console set-up: a broken step line goes on indented under it" \
	'grep -A1 -E "^  skipped +check " "$T_TMP/out1" | sed -n 2p | grep -qE "^      [^ ]"'
expect "console set-up: no escape sequence with TERM=dumb" '! grep -q "$ESC" "$T_TMP/out1"'
expect "console set-up: the backup's path is whole on one line (a word is never split)" \
	'grep -qE "(^| )/var/backups/ntpwiz/etc_chrony_chrony\.conf\.[0-9]{8}T[0-9]{6}Z$" "$T_TMP/out1"'

# 2. warnings after the preview (a PPS device missing under --root): broken
# between words too, each continuation under its warning
printf 'server 10.231.77.1 iburst\n' >"$ROOT/etc/chrony/chrony.conf"
printf '%s\n' chrony y step lan 10.231.77.0/24 '' '' '' '' '' 'pps /dev/pps0 refid PPS' '' '' '' \
	"$T_TMP/p2.cfg" n |
	TERM=dumb COLUMNS=80 timeout 30 "$NTPWIZ" --text --root "$ROOT" >"$T_TMP/out2" 2>&1
RC=$?
WIDE=$(too_wide "$T_TMP/out2")
JOINED=$(sed 's/^ *//' "$T_TMP/out2" | tr '\n' ' ')
expect "warnings: the refclock's device warning is shown, whole" \
	'grep -q "^  warning: /etc/chrony/chrony.conf: refclocks\[0\]\.device:" "$T_TMP/out2" && contains "$JOINED" "refclocks[0].device: /dev/pps0 does not exist under the root in use; the daemon opens it when it starts, so make sure it appears at boot"'
expect "warnings: no line of ntpwiz's wider than 80 columns (got: $(printf '%s' "$WIDE" | head -n 3))" \
	'[ -z "$WIDE" ]'
expect "warnings: declined, exit 0 after saving the profile" '[ "$RC" = 0 ] && [ -s "$T_TMP/p2.cfg" ]'
finish
