#!/bin/bash
# wizard-operator.sh: the newt wizard as a new operator meets it (issue 15),
# driven through tmux on the real binary in sandbox roots: the Summary shows
# every character of the file at every width the wizard accepts (lines are
# wrapped with a mark, not clipped); the replay hint after saving can be
# pasted (quoted, with --root); Apply's pre-flight refuses on the daemon page
# and on Apply, before anything is touched.
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

tui_start op 80 24 || skip_or_fail "cannot start a tmux server"

# --- friction: the Welcome page says when there is more below the fold -----------------
# Debian 12's stock chrony.conf: the wizard starts from it and lists the 7
# lines it cannot carry over, which do not fit 80x24
ROOT=$(new_tui_root)
mkdir -p "$ROOT/etc/chrony"
cp "$srcdir/tests/data/roots/debian12-chrony.conf" "$ROOT/etc/chrony/chrony.conf"
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
check "welcome with a long list: the page" wait_for "1/9 Welcome"
expect "welcome: a visible mark says there is more below" \
	'screen | grep -qE "\([0-9]+ more lines below"'
keys C-c
shell_done

# --- defect 2: the Summary shows the whole file, at 80 and 100 columns --------------
# ntp.org's LAN line is 83 columns; its last word, noquery, is the DRDoS
# protection. The root already has exactly that file: the wizard starts from
# it, and the diff view says nothing will change.
cat >"$T_TMP/ntp.cfg" <<'P'
version = 1;
daemon = "ntp";
servers = ( { host = "192.0.2.10"; kind = "server"; iburst = true; } );
leap = { mode = "step"; };
restrict = { policy = "lan"; allow = [ "192.168.1.0/24" ]; };
P
ROOT=$(new_tui_root)
# ntp.org's ntpd on the root (as tests/lib/roots.sh's golden_root): else
# Debian's "ntp" is NTPsec, whose LAN lines are shorter
mkdir -p "$ROOT/usr/sbin" && : >"$ROOT/usr/sbin/ntpd" && : >"$ROOT/usr/sbin/ntpdc"
"$NTPWIZ" render "$T_TMP/ntp.cfg" --root "$ROOT" >"$T_TMP/ntp.conf"
cp "$T_TMP/ntp.conf" "$ROOT/etc/ntp.conf"
LONG=$(awk 'length > 78' "$T_TMP/ntp.conf" | head -1)
expect "the file has a line wider than the preview (the restrict line)" \
	'[[ $LONG == "restrict 192.168.1.0 mask 255.255.255.0 "*" noquery" ]]'
to_summary() {
	wait_for "1/9 Welcome" && keys Enter
	wait_for "2/9 Time daemon" && keys Enter
	wait_for "is not installed under" && keys Enter
	wait_for "3/9 Time servers" && keys F12
	wait_for "4/9 Leap seconds" && keys F12
	wait_for "5/9 Access policy" && keys F12
	wait_for "6/9 Advanced" && keys F12
	wait_for "7/9 Summary"
}
# rows of the preview box, the frame and the scroll bar taken off
preview_rows() { screen | sed -n 's/^ *│ \(.*\)│ *$/\1/p' | sed 's/[▒↑↓■] *$//; s/ *$//'; }
for size in 80x24 100x30; do
	tm resize-window -t tui -x "${size%x*}" -y "${size#*x}"
	run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
	check "$size: the Summary page" to_summary
	keys Tab Tab # Apply -> Cancel -> the file
	for ((i = 0; i < 30; i++)); do keys Down; done
	sleep 0.3
	# put the wrapped line back together: a row ending in \ continues
	joined=$(preview_rows | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | grep -F "restrict 192.168.1.0")
	expect "$size: the restrict line is shown whole, noquery included" \
		'[ "$joined" = "$LONG" ]'
	if [ "$size" = 80x24 ]; then
		expect "$size: the wrap is marked and explained" \
			'screen | grep -qF "continues on the next row"'
	fi
	keys Tab Enter # the file -> Show diff
	check "$size: the diff view says nothing will change, whole sentence" \
		wait_for "already has exactly these bytes: nothing will change."
	keys C-c
	shell_done
done
tm resize-window -t tui -x 80 -y 24

# --- defect 3: the replay hint can be pasted (quoted, --root) -------------------------
ROOT=$(new_tui_root)
mkdir -p "$T_TMP/my profiles"
PROFILE="$T_TMP/my profiles/op.cfg"
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "1/9 Welcome" && keys Enter
wait_for "2/9 Time daemon" && keys Enter
wait_for "is not installed under" && keys Enter
wait_for "3/9 Time servers" && keys F12
wait_for "4/9 Leap seconds" && keys F12
wait_for "5/9 Access policy" && keys F12
wait_for "6/9 Advanced" && keys F12
check "hint: the Summary page" wait_for "7/9 Summary"
keys BTab BTab Enter # Apply -> Back -> Save profile...
check "hint: the save dialog" wait_for "Save the choices as a profile, to the file:"
keys C-u
keys -l "$PROFILE"
keys Enter
check "hint: saved" wait_for "Replay it with:"
expect "hint: the profile was saved" '[ -s "$PROFILE" ]'
expect "hint: quoted, with --root" \
	'contains "$(screen_text)" "Replay it with: ntpwiz apply '"'"'$PROFILE'"'"' --root $ROOT"'
keys Enter
keys C-c
shell_done

# --- defect 4: the pre-flight, on the daemon page and on Apply --------------------------
# A Debian 12 root with systemd and an enabled systemd-timesyncd, no chrony:
# applying would switch the services to a daemon that is not there.
ROOT=$(new_tui_root)
mkdir -p "$ROOT/etc/systemd/system/sysinit.target.wants" "$ROOT/lib/systemd/system"
printf '#!/bin/sh\nexit 0\n' >"$ROOT/lib/systemd/systemd"
chmod 755 "$ROOT/lib/systemd/systemd"
: >"$ROOT/lib/systemd/system/systemd-timesyncd.service"
printf '#!/bin/sh\n' >"$ROOT/lib/systemd/systemd-timesyncd"
chmod 755 "$ROOT/lib/systemd/systemd-timesyncd"
ln -s /lib/systemd/system/systemd-timesyncd.service \
	"$ROOT/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service"
before=$(tree_state "$ROOT")
run_in_pane "clear; PATH=$srcdir/tests/lib/standins:\$PATH NTPWIZ_STANDIN_LOG=$T_TMP/standin.log $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "1/9 Welcome" && keys Enter
wait_for "2/9 Time daemon" && keys Home Enter # chrony, the first row
check "pre-flight: said on the daemon page" wait_for "Apply would be refused"
expect "pre-flight: names the daemon and what to do" \
	'contains "$(screen_text)" "chrony is not installed under $ROOT: install the package chrony inside that system first"'
keys Enter
wait_for "3/9 Time servers" && keys F12
wait_for "4/9 Leap seconds" && keys F12
wait_for "5/9 Access policy" && keys F12
wait_for "6/9 Advanced" && keys F12
check "pre-flight: the Summary" wait_for "7/9 Summary"
keys F12
check "pre-flight: Apply refuses with the reason, before the confirmation" \
	wait_for "Apply would be refused, before changing anything:"
expect "pre-flight: no 'Write ... now?' question" '! screen | grep -qF "now? Under --root"'
keys Enter
check "pre-flight: still on the Summary" wait_for "7/9 Summary"
keys C-c
shell_done
expect "pre-flight: nothing written, no service command" \
	'[ "$(tree_state "$ROOT")" = "$before" ] && ! grep -q "^systemctl" "$T_TMP/standin.log" 2>/dev/null'

# --- defect 8: OpenNTPD's leap page says what its file says ---------------------------
ROOT=$(new_tui_root)
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "1/9 Welcome" && keys Enter
wait_for "2/9 Time daemon" && keys Home Down Down Down Enter # chrony, ntpsec, ntp, openntpd
wait_for "openntpd is not installed under" && keys Enter
wait_for "3/9 Time servers" && keys F12
check "openntpd: the leap page" wait_for "4/9 Leap seconds"
expect "openntpd: the page says it has no leap setting, as the file does" \
	'contains "$(screen_text)" "OpenNTPD has no leap-second setting"'
expect "openntpd: the page does not say the kernel inserts the second" \
	'! contains "$(screen_text)" "kernel inserts"'
keys C-c
shell_done

# --- defect 9: LANG=C must not drop a character silently -------------------------------
ROOT=$(new_tui_root)
run_in_pane "clear; env LANG=C LC_ALL=C LANGUAGE= $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "1/9 Welcome" && keys Enter
wait_for "2/9 Time daemon" && keys Enter
wait_for "is not installed under" && keys Enter
check "LANG=C: the servers page" wait_for "3/9 Time servers"
keys Tab Enter # list -> Add
wait_for "Add a server"
keys -l "zeit.bücher.de"
check "LANG=C: a non-ASCII character is refused with the reason" \
	wait_for "not ASCII was typed"
keys Enter
sleep 0.3
expect "LANG=C: Enter does not add zeit.bcher.de" \
	'screen | grep -qF "Add a server" && ! screen | grep -qF "server zeit.bcher.de"'
keys C-u
keys -l "zeit.example.de"
check "LANG=C: once cleared, an ASCII name is taken" wait_gone "not ASCII was typed"
keys Enter
check "LANG=C: the ASCII name is added" wait_for "server zeit.example.de"
keys C-c
shell_done

# --- defects 11 and 12: Alt+letter is not Esc; Enter in the networks field is Next; ---
# Ctrl-C after a failed apply does not say "after applying"
mkdir -p "$T_TMP/badbin"
printf '#!/bin/sh\necho "Invalid directive at line 3" >&2\nexit 1\n' >"$T_TMP/badbin/chronyd"
chmod 755 "$T_TMP/badbin/chronyd"
ROOT=$(new_tui_root)
run_in_pane "clear; PATH=$T_TMP/badbin:\$PATH $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "1/9 Welcome" && keys Enter
wait_for "2/9 Time daemon" && keys Enter
wait_for "is not installed under" && keys Enter
wait_for "3/9 Time servers" && keys F12
check "alt: the leap page" wait_for "4/9 Leap seconds"
keys M-n
sleep 0.5
expect "Alt-N (ESC n) does not go back a page" \
	'screen | grep -qF "4/9 Leap seconds" && ! screen | grep -qF "3/9 Time servers"'
keys M-b
sleep 0.5
expect "Alt-B neither" 'screen | grep -qF "4/9 Leap seconds"'
keys F12
check "enter: the policy page" wait_for "5/9 Access policy"
keys Down Space Tab Tab
keys -l "192.168.1.0/24"
keys Enter
check "Enter in the networks field goes on to the next page (not Back)" wait_for "6/9 Advanced"
keys F12
check "Next on the Advanced page: the Summary" wait_for "7/9 Summary"
keys F12
check "failed apply: the confirmation" wait_for "now? Under --root"
keys BTab Enter
check "failed apply: the Apply page says it failed" wait_for "Invalid directive at line 3"
keys C-c
shell_done
expect "Ctrl-C after a failed apply: does not say 'after applying'" \
	'! screen | grep -qF "interrupted after applying" && screen | grep -qF "applying had failed"'
expect "failed apply: nothing written" '[ ! -e "$ROOT/etc/chrony/chrony.conf" ]'

# --- friction: below 80x24 a message, not a broken page; what was done stays on the -----
# terminal after the wizard ends
ROOT=$(new_tui_root)
tm resize-window -t tui -x 60 -y 20
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
check "60x20: says to enlarge the terminal" wait_for "Enlarge the terminal to 80x24"
expect "60x20: no page is drawn" '! screen | grep -qF "1/9 Welcome"'
tm resize-window -t tui -x 80 -y 24
check "enlarged to 80x24: the Welcome page" wait_for "1/9 Welcome"
keys Enter
wait_for "2/9 Time daemon" && keys Enter
wait_for "is not installed under" && keys Enter
wait_for "3/9 Time servers" && keys F12
wait_for "4/9 Leap seconds" && keys F12
wait_for "5/9 Access policy" && keys F12
wait_for "6/9 Advanced" && keys F12
wait_for "7/9 Summary" && keys F12
wait_for "now? Under --root" && keys BTab Enter
check "apply page" wait_for "changed: $ROOT/etc/chrony/chrony.conf"
keys F12
wait_for "9/9 Peers" && keys F12
check "the wizard ends" shell_done
expect "after the wizard: the terminal says what was written and how the service stands" \
	'contains "$(screen_text)" "ntpwiz: changed: $ROOT/etc/chrony/chrony.conf"'
ROOT=$(new_tui_root)
run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
wait_for "1/9 Welcome" && keys Escape
wait_for "Quit the wizard?" && keys BTab Enter
check "quit at once" shell_done
expect "after quitting: the terminal says nothing was written" \
	'screen | grep -qF "ntpwiz: nothing was written."'

# --- defects 6 and 7: Remove and Test take the marked servers; marks are [x]; ----------
# every verdict of Test is readable. Test probes: only without network.
add_server() { # HOST: from the list (or Add when it is empty)
	keys Enter
	wait_for "Add a server" && keys -l "$1" && keys Enter
	wait_for "server $1"
}
if [ "${NTPWIZ_TUI_NONET-}" = 1 ]; then
	ROOT=$(new_tui_root)
	run_in_pane "clear; $NTPWIZ --root $ROOT; echo rc=\$?"
	wait_for "1/9 Welcome" && keys Enter
	wait_for "2/9 Time daemon" && keys Enter
	wait_for "is not installed under" && keys Enter
	check "servers: the page" wait_for "3/9 Time servers"
	keys Tab Tab Tab Enter # list -> Add, Edit, Remove: the pool goes
	wait_for "Add at least one time server."
	add_server 192.0.2.1
	for h in 192.0.2.2 192.0.2.3 192.0.2.4 192.0.2.5; do
		keys Tab # list -> Add
		add_server "$h"
	done
	expect "servers: five rows, none marked, shown as [ ]" \
		'[ "$(screen | grep -c "\[ \] server 192.0.2.[1-5]")" = 5 ]'
	keys Home Space Space Space Space Space
	check "marks: shown as [x], not by colour alone" wait_for "[x] server 192.0.2.5"
	expect "marks: all five marked" '[ "$(screen | grep -c "\[x\] server 192.0.2.[1-5]")" = 5 ]'
	keys Tab Tab Tab Tab Enter # list -> Add, Edit, Remove, Test
	check "test: the five verdicts" wait_for "192.0.2.5: not usable"
	expect "test: every verdict is on the screen (none clipped)" \
		'for h in 1 2 3 4 5; do screen | grep -qF "192.0.2.$h: not usable" || exit 1; done'
	keys BTab BTab BTab BTab # Test -> Remove -> Edit -> Add -> list
	keys Home Space Down Space # marks 1 and 3 off again: 2, 4, 5 stay marked
	check "marks: unmarked rows show [ ]" wait_for "[ ] server 192.0.2.3"
	keys Tab Tab Tab Enter # -> Remove
	check "remove: the marked servers went" wait_gone "server 192.0.2.5"
	expect "remove: exactly the unmarked ones (192.0.2.1, .3) are left" \
		'screen | grep -qF "server 192.0.2.1" && screen | grep -qF "server 192.0.2.3" && ! screen | grep -qF "server 192.0.2.2" && ! screen | grep -qF "server 192.0.2.4"'
	keys Tab Tab Tab Tab Enter # list -> Test, nothing marked
	check "test without marks: says which server it tests" \
		wait_for "No server is marked (Space marks one): tested the highlighted"
	keys C-c
	shell_done
fi

finish
