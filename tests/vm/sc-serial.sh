# shellcheck shell=bash
# shellcheck disable=SC2016,SC2034,SC2154  # expect's conditions are eval'd; srcdir and the rest come from scenario.sh
# tests/vm/sc-serial.sh - scenario 5 of the real-host tier (issue 14): line
# mode on the guest's serial console, as a rescue-shell user has it. Sourced
# by scenario.sh (VM_SCENARIOS containing 5; systemd guests), after the
# other scenarios, in the same guest: chrony is installed by then
# (scenario 1), so the set-up typed here costs a restart, not an apt-get
# install under TCG (if chrony is not installed, the install question is
# answered y and apply installs it from /srv/repo).
#
# Test-time change, inside the throw-away overlay only (the image is not
# touched): a drop-in for serial-getty@ttyS0 that logs root in on the
# console (agetty --autologin root) with TERM=vt100, as on a rescue console.
# The console is QEMU's chardev socket (vmlib.sh); tests/lib/serialconsole.py
# types into it and keeps the transcript (logs/NAME/serial-console.txt).
#
# On the console: stty cols 80; `TERM=dumb ntpwiz` (no --text) must start
# line mode on its own (the first question, then Ctrl-D: input ended, exit
# 1, nothing written); then `ntpwiz --text` with TERM=vt100, answered as an
# operator would: chrony, the host-side server 10.231.77.1 with prefer,
# step (after ? for its help; and again after < from the next question),
# lan 10.231.77.0/24, Enter on every Advanced row, a profile to save, y.
# Checked: the questions and the preview on the console, no escape
# sequence and no line wider than 80 columns in what ntpwiz printed, the
# file shown = the file written (sha256 over ssh) = `ntpwiz render` of the
# saved profile, the diff against the old file, the result line and exit 0;
# chrony active and enabled, `ntpwiz monitor --once` '*' on 10.231.77.1
# (over ssh, and typed on the console).

if [ "$VM_INIT" != systemd ]; then
	vm_log "scenario 5 needs systemd's serial-getty (skipped on $VM_INIT)"
	return 0
fi
vm_log "== scenario 5: line mode on the serial console (ttyS0, TERM=vt100, 80 columns)"
SC_PY=$srcdir/tests/lib/serialconsole.py
SC_TXT=$VM_LOGDIR/serial-console.txt
SC_CONF=/etc/chrony/chrony.conf
SC_PROFILE=/root/serial-console.cfg

# the test-time change: root logged in on ttyS0 by agetty, TERM=vt100
vm_ssh 'dmesg -n 1; mkdir -p /etc/systemd/system/serial-getty@ttyS0.service.d &&
cat >/etc/systemd/system/serial-getty@ttyS0.service.d/ntpwiz-test-autologin.conf <<EOF
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --noclear --keep-baud 115200,57600,38400,9600 - vt100
EOF
systemctl daemon-reload && systemctl restart serial-getty@ttyS0.service' >/dev/null
expect "serial: serial-getty@ttyS0 runs with the autologin drop-in" \
	'vm_ssh "systemctl is-active --quiet serial-getty@ttyS0.service"'

SC_OLD=$(vm_ssh "cat $SC_CONF" 2>/dev/null)
SC_OLDSUM=$(vm_ssh "sha256sum <$SC_CONF" 2>/dev/null)
SC_INSTALLED=$(pkg_state chrony)
vm_log "before the console session: chrony dpkg '$SC_INSTALLED', $(unit_state chrony)"

# what the operator types, and what is waited for before each answer
cat >"$T_TMP/serial.dialogue" <<'EOF'
send ''
expect 180 'root@ntpwiz-guest:~# $'
send 'bind "set enable-bracketed-paste off"; stty cols 80 rows 24; export TERM=vt100; echo "TERM=$TERM size=$(stty size)"; echo READY-$((40+2))'
expect 60 '^READY-42$'
expect 30 '# $'
# a console without terminfo: plain `ntpwiz` must choose line mode itself
send 'TERM=dumb ntpwiz; echo "DUMB-$((40+2)) rc=$?"'
expect 300 '^\[1/7\] Time daemon$'
expect 60 '^Choice \[\d+\]: $'
ctrl d
expect 60 '^DUMB-42 rc=\d+$'
expect 30 '# $'
send 'echo BEGIN-$((40+2)); ntpwiz --text; echo "END-$((40+2)) rc=$?"'
expect 30 '^BEGIN-42$'
expect 300 '^\[1/7\] Time daemon$'
expect 60 '^Choice \[\d+\]: $'
send chrony
answer 60 'Install it when applying\? \[[yYnN/]+\]: $' '^\[2/7\] Time servers$' y
expect 60 '^Keep these servers\? \[Y/n\]: $'
send n
expect 60 'Server 1: $'
send '10.231.77.1 prefer'
expect 60 'Server 2: $'
send ''
expect 60 '^\[3/7\] Leap seconds$'
expect 60 '^Choice \[\d+\]: $'
# the operator asks for help, then goes back once from the next question
send '?'
expect 60 'Enter < to go back to the previous question\.\)$'
expect 60 '^Choice \[\d+\]: $'
send step
expect 60 '^\[4/7\] Access policy$'
expect 60 '^Choice \[\d+\]: $'
send '<'
expect 60 '^\[3/7\] Leap seconds$'
expect 60 '^Choice \[\d+\]: $'
send step
expect 60 '^\[4/7\] Access policy$'
expect 60 '^Choice \[\d+\]: $'
send lan
expect 60 'Networks to serve[^\n]*: $'
send '10.231.77.0/24'
expect 60 '^\[5/7\] Advanced$'
answer 60 '(\): |Operator line \d+: )$' '^\[6/7\] Summary$' ''
expect 120 'Save the choices as a profile\?[^[]*\[\]: $'
send @PROFILE@
expect 60 '^\[7/7\] '
expect 60 '\? \[y/N\]: $'
send y
expect 900 '^END-42 rc=\d+$'
expect 30 '# $'
EOF
sed -i "s|@PROFILE@|$SC_PROFILE|" "$T_TMP/serial.dialogue"
t0=$(date +%s)
python3 "$SC_PY" "$VM_WORK/serial.sock" "$SC_TXT" "$T_TMP/serial.dialogue" >>"$VM_LOG" 2>&1
RC=$?
SC_SECONDS=$(($(date +%s) - t0))
vm_log "console session: exit $RC after $SC_SECONDS s (transcript $SC_TXT)"
expect "serial: the whole set-up was typed on the console (serialconsole.py exit $RC; see steps.log)" '[ "$RC" = 0 ]'
SC=$(cat "$SC_TXT" 2>/dev/null)

# --- what the operator saw ------------------------------------------------------
expect "serial: the console is 80x24 with TERM=vt100 (stty size)" 'contains "$SC" "TERM=vt100 size=24 80"'
expect "serial: TERM=dumb ntpwiz started line mode (the numbered first question)" \
	'contains "$SC" "[1/7] Time daemon"'
SC_DUMB=$(printf '%s\n' "$SC" | sed -n 's/^DUMB-42 rc=\([0-9]*\)$/\1/p')
expect "serial: Ctrl-D at the first question: 'input ended', exit 1, nothing written (got $SC_DUMB)" \
	'[ "$SC_DUMB" = 1 ] && contains "$SC" "the input ended before the last answer; nothing was written"'
# what ntpwiz --text printed: from BEGIN-42 to END-42 (the answers' echo included)
SC_RUN=$(printf '%s\n' "$SC" | sed -n '/^BEGIN-42$/,/^END-42 rc=/p')
printf '%s\n' "$SC_RUN" >"$T_TMP/run.txt"
SC_RC=$(printf '%s\n' "$SC_RUN" | sed -n 's/^END-42 rc=\([0-9]*\)$/\1/p')
expect "serial: ntpwiz --text exits 0 (got $SC_RC)" '[ "$SC_RC" = 0 ]'
for q in "[1/7] Time daemon" "[2/7] Time servers" "[3/7] Leap seconds" "[4/7] Access policy" \
	"[5/7] Advanced" "[6/7] Summary" "[7/7] "; do
	expect "serial: the console asked '$q'" 'grep -qF -- "$q" "$T_TMP/run.txt"'
done
# the old file's first source (after scenario 1: server 10.231.77.1 iburst;
# after 3c: the chrony package's own file, a Debian pool)
SC_OLDSRC=$(grep -m1 -E '^(server|pool) ' <<<"$SC_OLD")
SC_OLDKIND=${SC_OLDSRC%% *} SC_OLDHOST=$(cut -d' ' -f2 <<<"$SC_OLDSRC")
expect "serial: ? at the leap question printed its help (and how to go back)" \
	'grep -qF "(Enter < to go back to the previous question.)" "$T_TMP/run.txt"'
expect "serial: < at the access question went back to the leap question (asked twice)" \
	'[ "$(grep -c "^\[3/7\] Leap seconds$" "$T_TMP/run.txt")" = 2 ]'
# the servers question lists the sources of the file ntpwiz starts from:
# chrony.conf after scenario 1; after 3c (timesyncd back, chrony removed by
# its install) timesyncd's drop-in
SC_FROM=$(tr '\n' ' ' <"$T_TMP/run.txt" | sed -n 's/.*Starting from the current \([^ ]*\) (.*/\1/p')
SC_LISTED=$(sed -n 's/^  1) \(server\|pool\) \+\([^ ]*\).*/\2/p' "$T_TMP/run.txt" | head -n 1)
expect "serial: the servers question listed a source of the file ntpwiz said it started from ($SC_FROM: $SC_LISTED)" \
	'[ -n "$SC_LISTED" ] && [ -n "$SC_FROM" ] && vm_ssh "grep -qF -- $SC_LISTED $SC_FROM"'
expect "serial: the preview names the file (==> The chrony configuration ntpwiz would write to $SC_CONF:)" \
	'grep -qxF "==> The chrony configuration ntpwiz would write to $SC_CONF:" "$T_TMP/run.txt"'
expect "serial: the diff is shown (==> Changes to $SC_CONF:, --- / +++ and the new server line)" \
	'grep -qxF "==> Changes to $SC_CONF:" "$T_TMP/run.txt" && grep -qxF "+server 10.231.77.1 iburst prefer" "$T_TMP/run.txt"'
# (bash 5.2 wraps each prompt in ESC[?2004h / ESC[?2004l, bracketed paste,
# unless told not to: the first line typed turns that off, so any escape
# sequence from here on is ntpwiz's)
expect "serial: the diff takes out the old file's source line (-$SC_OLDSRC, read over ssh before)" \
	'[ -n "$SC_OLDSRC" ] && grep -qxF -- "-$SC_OLDSRC" "$T_TMP/run.txt"'
ESC=$(printf '\033')
SC_ESC=$(grep -c "$ESC" "$T_TMP/run.txt")
expect "serial: no escape sequence in what ntpwiz printed (TERM=vt100, line mode; lines with ESC: $SC_ESC)" \
	'[ "$SC_ESC" = 0 ]'
# every line ntpwiz printed fits 80 columns, but for the file's own lines
# (the preview and the diff show the file as it is: Debian's chrony.conf
# has an 81-column comment) and the replay command (one line, to paste);
# as tests/integration/linemode-console.sh says it
SC_WIDE=$(awk '
	/^==> The .* would write to / || /^==> Changes to / { file = 1; next }
	/^==> / || /^Save the choices/ || /^  (warning|error): / || /^\[[0-9]\/[0-9]\] / { file = 0 }
	file { next }
	/^Replay it with: / { next }
	length($0) > 80 { print NR ": " length($0) ": " $0 }' "$T_TMP/run.txt")
expect "serial: no line wider than 80 columns (got: $(printf '%s' "$SC_WIDE" | head -n 3 | tr "\n" "|"))" '[ -z "$SC_WIDE" ]'
# the result line: the last line ntpwiz printed
SC_RESULT=$(sed -n '/^END-42 rc=/{x;p;q};h' "$T_TMP/run.txt")
vm_log "console result line: $SC_RESULT"
expect "serial: the result line says what changed (got: $SC_RESULT)" '[ "$SC_RESULT" = "changed: $SC_CONF" ]'
expect "serial: the console shows every apply step ok or skipped (no FAILED)" \
	'grep -qE "^  ok +write " "$T_TMP/run.txt" && ! grep -qE "^  FAILED " "$T_TMP/run.txt"'

# --- what is on the system ------------------------------------------------------
# the file shown in the preview: the lines after its header, up to the next ==>
SC_SHOWN=$(printf '%s\n' "$SC_RUN" | sed -n "\\|^==> The chrony configuration ntpwiz would write to $SC_CONF:\$|,/^==> /p" | sed '1d;$d')
SC_NEW=$(vm_ssh "cat $SC_CONF")
SC_RENDER=$(vm_ssh "$NW render $SC_PROFILE" 2>/dev/null)
SC_SHOWNSUM=$(printf '%s\n' "$SC_SHOWN" | sha256sum)
SC_NEWSUM=$(vm_ssh "sha256sum <$SC_CONF")
if grep -qE '^  ok +render +rendered again' "$T_TMP/run.txt"; then
	# this apply installed chrony: the preview was rendered for an unknown
	# version, the file for the installed one, and the console said so
	# (the render step); only the comments about the version may differ
	expect "serial: $SC_CONF has the directives shown on the console (rendered again after the install, as the console said; comments may differ)" \
		'[ -n "$SC_SHOWN" ] && [ "$(grep -v "^#" <<<"$SC_NEW")" = "$(grep -v "^#" <<<"$SC_SHOWN")" ]'
else
	expect "serial: $SC_CONF holds exactly the bytes shown on the console (sha256 ${SC_NEWSUM%% *})" \
		'[ -n "$SC_SHOWN" ] && [ "$SC_NEWSUM" = "$SC_SHOWNSUM" ]'
fi
expect "serial: ... which is what the saved profile renders (ntpwiz render $SC_PROFILE)" \
	'[ "$SC_NEW" = "$SC_RENDER" ]'
expect "serial: the file changed (old sha256 ${SC_OLDSUM%% *})" \
	'[ "$SC_OLDSUM" != "$(vm_ssh "sha256sum <$SC_CONF")" ]'
expect "serial: the file has the answers (server 10.231.77.1 iburst prefer, allow 10.231.77.0/24)" \
	'grep -qx "server 10.231.77.1 iburst prefer" <<<"$SC_NEW" && grep -qx "allow 10.231.77.0/24" <<<"$SC_NEW"'
expect "serial: chrony is running and enabled (systemd)" '[ "$(unit_state chrony)" = active/enabled ]'
if wait_star "$SYNC_BOUND"; then
	ok "serial: monitor --once (over ssh) shows '*' on $VM_ADDR_HOST $TOOK s after the console session"
	vm_log "time to '*' after the console's apply: $TOOK s"
else
	not_ok "serial: monitor --once shows '*' on $VM_ADDR_HOST within $SYNC_BOUND s"
fi
vm_ssh "$NW check $SC_PROFILE" >/dev/null
RC=$?
expect "serial: ntpwiz check of the saved profile exits 0" '[ "$RC" = 0 ]'

# the operator looks at the peers on the console too
cat >"$T_TMP/serial2.dialogue" <<'EOF'
send ''
expect 60 '# $'
send 'ntpwiz monitor --once; echo "MON-$((40+2)) rc=$?"'
expect 120 '^MON-42 rc=\d+$'
expect 30 '# $'
EOF
python3 "$SC_PY" "$VM_WORK/serial.sock" "$T_TMP/serial2.txt" "$T_TMP/serial2.dialogue" >>"$VM_LOG" 2>&1
RC=$?
cat "$T_TMP/serial2.txt" >>"$SC_TXT"
SC_MON=$(sed -n '/ntpwiz monitor --once;/,/^MON-42 rc=/p' "$T_TMP/serial2.txt" | sed 1d)
expect "serial: monitor --once typed on the console shows '*' on $VM_ADDR_HOST, no escape sequence" \
	'[ "$RC" = 0 ] && grep -qE "^\* $VM_ADDR_HOST " <<<"$SC_MON" && ! grep -q "$ESC" <<<"$SC_MON"'
SC_WIDE=$(awk 'length($0) > 80 { print length($0) ": " $0 }' <<<"$SC_MON")
expect "serial: monitor --once on the 80-column console: no line wider than 80 (got: $(printf '%s' "$SC_WIDE" | head -n 2))" \
	'[ -z "$SC_WIDE" ]'
