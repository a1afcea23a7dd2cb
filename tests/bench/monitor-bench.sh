#!/bin/bash
# monitor-bench.sh: what `ntpwiz monitor` costs while it watches a live
# daemon (benchmark, not a test; run with "make bench" on a build without
# sanitizers).
#
# A real chronyd serves time in network namespace S; a real chronyd client
# runs in C (tests/lib/netns.sh). `ntpwiz monitor --daemon chrony` runs in C
# in an 80x24 tmux pane at the default interval (2 s) for DURATION seconds
# (default 60), RUNS times (default 3). From /proc/PID we read the CPU time
# ntpwiz itself used (schedstat, in ns; else utime+stime), the CPU time of the
# chronyc children it ran and reaped (cutime+cstime), and its peak RSS
# (VmHWM). Reported as medians and as ratios to the targets: under 1% of one
# core (ntpwiz itself) and under 10 MiB peak RSS. Then the same while
# paused (space): the idle monitor should use nothing. With BENCH_NTPSEC=1,
# also against NTPsec's ntpd (its ntpq is Python: the children cost more).
#
# Needs root (namespaces), tmux and the daemon cache; prints why and exits
# 0 when it cannot run.
set -u
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${NTPWIZ:=$srcdir/ntpwiz}"
DURATION=${DURATION:-60}
RUNS=${RUNS:-3}
TARGET_CPU_PCT=1
TARGET_RSS_KIB=10240
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
# shellcheck source=tests/lib/netns.sh
. "$srcdir/tests/lib/netns.sh"

cannot() {
	echo "monitor-bench: not run: $*"
	exit 0
}
[ "$(id -u)" = 0 ] || cannot "needs root (network namespaces)"
command -v tmux >/dev/null 2>&1 || cannot "tmux not found"
daemons_fetch >/dev/null 2>&1 && daemons_bin chrony >/dev/null 2>&1 || cannot "no chronyd in the daemon cache"
if ldd "$NTPWIZ" | grep -q 'libasan\|libubsan'; then
	echo "warning: $NTPWIZ is a sanitizer build; its figures say nothing about the targets." >&2
fi

tmp=$(mktemp -d /tmp/ntpwiz-monbench.XXXXXX)
NS_S=ntpwiz-mb-s-$$
NS_C=ntpwiz-mb-c-$$
ADDR_S=10.231.80.1
ADDR_C=10.231.80.2
tm() { tmux -S "$tmp/tmux" "$@"; }
trap 'tm kill-server 2>/dev/null; netns_cleanup; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

netns_pair "$NS_S" "$NS_C" "$ADDR_S" "$ADDR_C" || cannot "cannot create network namespaces"
mkdir -p "$tmp/bin"
ln -s "$(daemons_cache_dir)/chrony/usr/bin/chronyc" "$tmp/bin/chronyc"
printf 'local stratum 3\nallow %s/32\nbindaddress %s\nport 123\ncmdport 0\n' "$ADDR_C" "$ADDR_S" >"$tmp/server.conf"
printf 'server %s iburst minpoll -2 maxpoll -2\nbindcmdaddress 127.0.0.1\nport 0\n' "$ADDR_S" >"$tmp/client.conf"
netns_start_chronyd "$NS_S" "$tmp/server.conf" "$tmp/server.log" -4 || cannot "the server chronyd did not start"
netns_start_chronyd "$NS_C" "$tmp/client.conf" "$tmp/client.log" || cannot "the client chronyd did not start"
HZ=$(getconf CLK_TCK)

# measure DAEMON SECONDS [pause]: prints "own_s children_s rss_kib"
measure() {
	local daemon=$1 secs=$2 pause=${3-} pane pid i a b
	tm kill-server 2>/dev/null
	sleep 0.2
	tm -f /dev/null new-session -d -s mb -x 80 -y 24 \
		"ip netns exec $NS_C unshare -m --propagation private sh -c 'mount -t tmpfs x /run && exec env TERM=xterm-256color PATH=$tmp/bin:\$PATH $NTPWIZ monitor --daemon $daemon'; sleep 30"
	pane=$(tm display-message -p -t mb '#{pane_pid}')
	pid=
	for i in $(seq 1 50); do
		pid=$(ps -o pid= --ppid "$pane" | tr -d ' ' | head -n 1)
		[ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = ntpwiz ] && break
		sleep 0.1
	done
	[ -n "$pid" ] || return 1
	sleep 3 # start-up and the first answers are not the steady state
	[ -n "$pause" ] && tm send-keys -t mb ' ' && sleep 0.5
	a=$(cpu "$pid")
	sleep "$secs"
	b=$(cpu "$pid")
	rss=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	tm send-keys -t mb q
	awk -v a="$a" -v b="$b" -v rss="$rss" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		printf "%.4f %.3f %d\n", y[1] - x[1], y[2] - x[2], rss }'
}

# cpu PID: "own children" in seconds. Its own from schedstat (ns, exact),
# else utime+stime; its reaped children's from cutime+cstime (clock ticks).
cpu() {
	local own
	own=$(awk '{ printf "%.6f", $1 / 1e9 }' "/proc/$1/schedstat" 2>/dev/null) ||
		own=$(awk -v hz="$HZ" '{ printf "%.6f", ($14 + $15) / hz }' "/proc/$1/stat")
	awk -v own="$own" -v hz="$HZ" '{ printf "%s %.6f", own, ($16 + $17) / hz }' "/proc/$1/stat"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

report() {	# LABEL SECONDS FILE
	local own kids rss
	own=$(cut -d' ' -f1 "$3" | median)
	kids=$(cut -d' ' -f2 "$3" | median)
	rss=$(cut -d' ' -f3 "$3" | median)
	awk -v l="$1" -v s="$2" -v own="$own" -v kids="$kids" -v rss="$rss" -v n="$(wc -l <"$3")" \
		-v tc=$TARGET_CPU_PCT -v tr=$TARGET_RSS_KIB 'BEGIN {
		pct = 100 * own / s; pctk = 100 * (own + kids) / s
		printf "%-24s %d x %d s: ntpwiz %.4f s CPU = %.4f%% of a core = %.4f x target (%d%%); with its children %.2f s = %.3f%%; peak RSS %d KiB = %.2f x target (%d KiB)\n",
			l, n, s, own, pct, pct / tc, tc, own + kids, pctk, rss, rss / tr, tr }'
}

echo "ntpwiz monitor, interval 2 s (default), $DURATION s per run, CLK_TCK $HZ"
: >"$tmp/chrony"
for _ in $(seq 1 "$RUNS"); do
	measure chrony "$DURATION" >>"$tmp/chrony" || cannot "could not find the monitor's PID"
done
sed 's/^/  run: own_s children_s rss_kib = /' "$tmp/chrony"
report "chrony, refreshing" "$DURATION" "$tmp/chrony"
: >"$tmp/paused"
measure chrony "$((DURATION / 2))" pause >>"$tmp/paused"
report "chrony, paused (idle)" "$((DURATION / 2))" "$tmp/paused"

if [ "${BENCH_NTPSEC-}" = 1 ] && netns_ntpq "$tmp/bin" && daemons_bin ntpsec >/dev/null 2>&1; then
	netns_stop "$NETNS_PID"
	printf 'disable ntp\ndisable kernel\nrestrict default ignore\nrestrict 127.0.0.1\nrestrict %s nomodify noquery\nserver %s iburst minpoll 3 maxpoll 3\ndisable ntp\ndisable kernel\n' \
		"$ADDR_S" "$ADDR_S" >"$tmp/ntp.conf"
	if netns_start_ntpsec "$NS_C" "$tmp/ntp.conf" "$tmp/ntpd.log"; then
		: >"$tmp/ntpsec"
		for _ in $(seq 1 "$RUNS"); do
			measure ntpsec "$DURATION" >>"$tmp/ntpsec"
		done
		report "ntpsec (ntpq is Python)" "$DURATION" "$tmp/ntpsec"
	fi
fi
