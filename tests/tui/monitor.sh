#!/bin/bash
# tui/monitor.sh: the ncurses monitor under tmux, against a real chronyd.
#
# A chronyd server in namespace S, a chronyd client in namespace C (see
# tests/lib/netns.sh); `ntpwiz monitor --daemon chrony` runs in C inside a
# tmux pane of 80x24 (our own server, its socket in our temp folder), once with
# TERM=xterm-256color and once with TERM=vt100. We read the screen with
# capture-pane and check what a user would see: the server's row with '*',
# the status line, and what q, space, r, +, -, n, v and ? do; a resize;
# and that the terminal is handed back sane after q, Ctrl-C and SIGTERM.
#
# Exit: 0 pass, 1 fail, 77 skip (not root, no tmux, no namespaces, no
# chrony); with CI set, a missing prerequisite fails instead.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
# shellcheck source=tests/lib/netns.sh
. "$srcdir/tests/lib/netns.sh"

skip_or_fail() {
	if [ -n "${CI-}" ]; then
		echo "FAIL (CI is set): $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip_or_fail "needs root (ip netns, veth pairs)"
for t in ip unshare setpriv tmux; do
	command -v "$t" >/dev/null 2>&1 || skip_or_fail "$t not found"
done
daemons_fetch || skip_or_fail "cannot download the daemons (apt-get download)"
daemons_bin chrony >/dev/null || skip_or_fail "no chronyd in the daemon cache"

# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

NS_S=ntpwiz-tui-s-$$
NS_C=ntpwiz-tui-c-$$
ADDR_S=10.231.79.1
ADDR_C=10.231.79.2
RUNS=0
T_START=$(date +%s)
MAX_SECONDS=180

# our own tmux server, its socket in our temp folder
tm() { tmux -S "$T_TMP/tmux-$RUNS" "$@"; }
trap 'tm kill-server 2>/dev/null; netns_cleanup; rm -rf "$T_TMP"' EXIT
trap 'exit 1' INT TERM HUP

netns_pair "$NS_S" "$NS_C" "$ADDR_S" "$ADDR_C" ||
	skip_or_fail "cannot create network namespaces joined by a veth pair"
bindir=$T_TMP/bin
mkdir -p "$bindir"
ln -s "$(daemons_cache_dir)/chrony/usr/bin/chronyc" "$bindir/chronyc"

cat >"$T_TMP/server.conf" <<EOF
local stratum 3
allow $ADDR_C/32
bindaddress $ADDR_S
port 123
cmdport 0
EOF
cat >"$T_TMP/client.conf" <<EOF
server $ADDR_S iburst minpoll -2 maxpoll -2
bindcmdaddress 127.0.0.1
port 0
EOF
netns_start_chronyd "$NS_S" "$T_TMP/server.conf" "$T_TMP/server.log" -4 ||
	skip_or_fail "the server chronyd did not start"
netns_start_chronyd "$NS_C" "$T_TMP/client.conf" "$T_TMP/client.log" ||
	skip_or_fail "the client chronyd did not start"

screen() { tm capture-pane -p -t mon; }
line() { screen | sed -n "$1p"; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT (a fixed string)
wait_for() {
	local i
	for i in $(seq 1 $((${2:-5} * 10))); do
		[ $(($(date +%s) - T_START)) -lt "$MAX_SECONDS" ] || return 1
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# expect_soon NAME CONDITION [SECONDS]: the condition (as for expect) comes
# true within SECONDS (default 5). The title's right end says "asking..."
# while chronyc runs, so a check of line 1 waits for the daemon's answer
# instead of reading the one moment it happened to capture.
expect_soon() {
	local i
	for i in $(seq 1 $((${3:-5} * 10))); do
		[ $(($(date +%s) - T_START)) -lt "$MAX_SECONDS" ] || break
		eval "$2" && break
		sleep 0.1
	done
	if eval "$2"; then
		ok "$1"
	else
		not_ok "$1"
		screen | sed -n '1p;24p' | sed 's/^/#   screen: /'
	fi
}
# start TERM: a fresh session running the monitor; the pane's shell prints
# the exit status and the terminal settings when it ends.
start() {
	tm kill-server 2>/dev/null
	# a new server each time: a dying one must not take the new session
	RUNS=$((RUNS + 1))
	tm -f /dev/null new-session -d -s mon -x 80 -y 24 \
		"ip netns exec $NS_C unshare -m --propagation private sh -c 'mount -t tmpfs x /run && exec env TERM=$1 PATH=$bindir:\$PATH $NTPWIZ monitor --daemon chrony'; echo \"__EXIT__ \$?\"; stty -a; sleep 60"
	tm set-option -t mon status off >/dev/null
}
# The terminal is sane again: canonical mode and echo on.
sane() {
	screen | grep -q "__EXIT__ $1" && screen | grep -qw icanon && screen | grep -qw echo &&
		! screen | grep -qw -- -icanon && ! screen | grep -qw -- -echo
}

for term in xterm-256color vt100; do
	start "$term"
	wait_for "* $ADDR_S" 20
	expect "$term: the server's row is shown selected ('*')" \
		'screen | grep -Eq "^\* $ADDR_S +3 \^ +[-0-9]+ +0\.25 [.#]{8} "'
	expect_soon "$term: the title names the daemon and the refresh interval" \
		'line 1 | grep -q "ntpwiz monitor: chrony (chosen with --daemon) .* every 2 s"'
	wait_for "synchronised, stratum 4" 10
	expect "$term: the status line says synchronised, stratum 4, reference $ADDR_S" \
		'line 2 | grep -q "^synchronised, stratum 4, leap: none, reference $ADDR_S"'
	expect "$term: column titles and the legend" \
		'line 4 | grep -q "remote .*reach .*offset" && line 23 | grep -q "^\* selected  + candidate"'
	expect "$term: the key line" 'line 24 | grep -q "q quit  space pause  r refresh"'
	printf '%s\n' "$(screen | head -n 6)" | sed 's/^/#   /'

	tm send-keys -t mon '?'
	wait_for "Keys"
	expect "$term: ? shows the help" 'screen | grep -q "space    pause / resume the refresh"'
	tm send-keys -t mon x
	wait_for "* $ADDR_S"
	expect "$term: any key leaves the help" '! screen | grep -q "space    pause / resume"'

	tm send-keys -t mon v
	wait_for "Output of chronyc"
	expect "$term: v shows chronyc's output exactly (CSV)" \
		'screen | grep -q "^Output of chronyc -n -c -m sources tracking (exit status 0):" && screen | grep -Eq "^\^,\*,$ADDR_S,3,-2,[0-7]+,"'
	tm send-keys -t mon v
	wait_for "* $ADDR_S"
	expect "$term: v again: back to the table" '! screen | grep -q "^Output of chronyc"'

	tm send-keys -t mon +
	expect_soon "$term: + refreshes less often (5 s)" 'line 1 | grep -q "every 5 s" && line 24 | grep -q "refresh every 5 s"'
	# At 1 s a loaded machine's chronyc may take longer than the interval:
	# the title then says "asking..." most of the time, truthfully; the key
	# line keeps the interval until the next key.
	tm send-keys -t mon - -
	expect_soon "$term: - - refreshes more often (1 s)" 'line 1 | grep -Eq "every 1 s|asking\.\.\." && line 24 | grep -q "refresh every 1 s"'

	tm send-keys -t mon ' '
	wait_for "paused"
	sleep 0.3
	before=$(screen)
	sleep 2.5
	after=$(screen)
	expect "$term: space pauses: the screen does not change for 2.5 s" \
		'line 1 | grep -q "paused" && [ "$before" = "$after" ]'
	tm send-keys -t mon r
	for _ in $(seq 1 30); do
		[ "$(screen)" != "$before" ] && break
		sleep 0.1
	done
	expect "$term: r refreshes now, even paused" '[ "$(screen)" != "$before" ] && screen | grep -q "^\* $ADDR_S "'
	tm send-keys -t mon ' '
	expect_soon "$term: space again resumes" 'line 1 | grep -Eq "every 1 s|asking\.\.\." && ! line 1 | grep -q paused'

	tm send-keys -t mon n
	wait_for "showing names"
	expect "$term: n switches to names (chronyc -N)" 'line 24 | grep -q "showing names"'
	tm send-keys -t mon v
	wait_for "Output of chronyc -N"
	expect "$term: the raw view shows the names command ran" 'screen | grep -q "^Output of chronyc -N -c -m sources tracking"'
	tm send-keys -t mon v n

	tm resize-window -t mon -x 100 -y 30
	expect_soon "$term: resized to 100x30: title across the width, keys on the last line" \
		'[ "$(line 1 | sed "s/ *$//" | wc -c)" -gt 90 ] && line 30 | grep -q "q quit"'
	tm resize-window -t mon -x 60 -y 20
	expect_soon "$term: at 60x20 it says it needs 80x24" 'line 1 | grep -q "The terminal is 60x20; the monitor needs 80x24"'
	tm resize-window -t mon -x 80 -y 24
	expect_soon "$term: back at 80x24 the table returns" 'screen | grep -q "^\* $ADDR_S "'

	tm send-keys -t mon q
	wait_for "__EXIT__" 5
	expect "$term: q quits with status 0 and the terminal is sane (icanon, echo)" 'sane 0'
	expect "$term: the monitor's screen is gone after q" '! screen | grep -q "q quit  space pause"'
done

# Ctrl-C and SIGTERM leave through the same door.
start xterm-256color
wait_for "* $ADDR_S" 20
tm send-keys -t mon C-c
wait_for "__EXIT__" 5
expect "Ctrl-C: exit 0, terminal sane" 'sane 0'

start vt100
wait_for "* $ADDR_S" 20
pane=$(tm display-message -p -t mon '#{pane_pid}')
mon_pid=$(ps -o pid= --ppid "$pane" | tr -d ' ' | head -n 1)
expect "SIGTERM: the monitor is the pane's child (PID $mon_pid)" \
	'[ -n "$mon_pid" ] && tr "\0" " " </proc/$mon_pid/cmdline | grep -q "ntpwiz monitor"'
[ -n "$mon_pid" ] && kill -TERM "$mon_pid"
wait_for "__EXIT__" 5
expect "SIGTERM: exit 0, terminal sane" 'sane 0'

# A tool that hangs never freezes the view, and leaving kills it.
hung=$T_TMP/hung
mkdir -p "$hung"
printf '#!/bin/sh\necho $$ >%s/pid\nexec sleep 60\n' "$hung" >"$hung/chronyc"
chmod 755 "$hung/chronyc"
RUNS=$((RUNS + 1))
tm -f /dev/null new-session -d -s mon -x 80 -y 24 \
	"env TERM=xterm-256color PATH=$hung:\$PATH $NTPWIZ monitor --daemon chrony; echo \"__EXIT__ \$?\"; stty -a; sleep 60"
wait_for "asking chronyc" 5
expect "hung chronyc: the view says it is asking" 'line 1 | grep -q "asking\.\.\." && line 2 | grep -q "^asking chronyc\.\.\."'
tm send-keys -t mon '?'
# Bounds here tell "at once" from "after the 10 s the monitor gives chronyc"
# (MONITOR_TIMEOUT_MS), with room for a loaded CI machine.
wait_for "Keys" 5
expect "hung chronyc: keys still work (? shows the help within 5 s, before the 10 s timeout)" 'screen | grep -q "space    pause / resume"'
hung_pid=$(cat "$hung/pid" 2>/dev/null)
expect "hung chronyc: it runs (PID $hung_pid)" '[ -n "$hung_pid" ] && [ -d /proc/$hung_pid ]'
t0=$(date +%s%N)
tm send-keys -t mon q
wait_for "__EXIT__" 8
expect "hung chronyc: q quits at once (under 5 s, not after the 10 s timeout), terminal sane" \
	'sane 0 && [ $((($(date +%s%N) - t0) / 1000000)) -lt 5000 ]'
expect "hung chronyc: quitting killed it" '[ ! -d /proc/$hung_pid ]'

finish
