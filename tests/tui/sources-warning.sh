#!/bin/bash
# sources-warning.sh: with fewer than 4 time sources the wizard warns that
# a falseticker cannot be outvoted, without refusing (issue 16 section 3):
# on the newt Servers page (tmux) and in line mode on a pipe. A pool counts
# as several sources, so Debian's default pool gives no warning.
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

WARN="Only 2 time source(s): with fewer than 4, a falseticker"

# --- line mode on a pipe ---------------------------------------------------------
lm() {
	printf '%s' "$2" | timeout 20 "$NTPWIZ" --text --root "$1" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
}
root=$(new_tui_root)
lm "$root" 'chrony
n
192.0.2.10
192.0.2.11

step
client-only







n
'
# (line mode wraps at 80 columns: the words are compared with the breaks joined)
flat() { printf '%s' "$OUT" | tr '\n' ' ' | tr -s ' '; }
expect "line mode, 2 servers: warned, falseticker named" \
	'contains "$(flat)" "Note: $WARN (a server with the wrong time) cannot be outvoted. ntp.org and chrony advise 4 or more; a pool counts as several."'
expect "line mode, 2 servers: the answers go on (leap question asked next), nothing refused" \
	'[ "$RC" = 1 ] && contains "$OUT" "Leap seconds" && contains "$OUT" "Not applied; nothing was written." && ! contains "$OUT" "Not accepted"'
lm "$root" 'chrony
y
step
client-only







n
'
expect "line mode, Debian's pool (several sources): no warning" \
	'contains "$OUT" "2.debian.pool.ntp.org" && ! contains "$OUT" "falseticker"'
lm "$root" 'chrony
n
192.0.2.10
192.0.2.11
192.0.2.12
192.0.2.13

step
client-only







n
'
expect "line mode, 4 servers: no warning" '! contains "$OUT" "falseticker"'

# --- the newt Servers page under tmux ------------------------------------------------
tui_start sources 80 24 || skip_or_fail "cannot start a tmux server"
ROOT=$(new_tui_root)
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
check "welcome page" wait_for "Welcome ├"
keys Enter
check "daemon page" wait_for "Time daemon ├"
keys Enter
wait_for "is not installed under $ROOT" && keys Enter
check "servers page" wait_for "Time servers ├"
expect "Debian's pool: no warning" '! screen | grep -qF "falseticker"'
keys Tab Tab Tab Enter # Remove the pool
check "the list is empty" wait_for "Add at least one time server."
keys Enter
check "add dialog" wait_for "Add a server"
keys -l "192.0.2.10"
keys Enter
check "one server: warned" wait_for "Only 1 time source(s): with fewer than 4, a falseticker"
keys Tab Enter
wait_for "Add a server"
keys -l "192.0.2.11"
keys Enter
check "two servers: the warning says 2" wait_for "$WARN"
expect "the warning refuses nothing: Next is available" '! screen | grep -qF "Add at least one time server."'
keys F12 # Next
check "Next goes on to the leap page" wait_for "Leap seconds ├"
keys Escape
check "Esc goes back to the servers page, the warning still there" wait_for "$WARN"
keys C-c
shell_done
expect "the wizard ended on Ctrl-C, nothing written" '[ ! -e "$ROOT/etc/chrony/chrony.conf" ]'

finish
