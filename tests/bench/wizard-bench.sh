#!/bin/bash
# wizard-bench.sh: how fast the wizard shows its first page, and that it
# uses no CPU while it waits (benchmark, not a test; "make bench" on a build
# without sanitizers).
#
# Start to first page: each run starts the wizard in a fresh 80x24 tmux
# session through stampexec, which writes CLOCK_MONOTONIC to a file and
# then executes ntpwiz; ntpwiz, with NTPWIZ_BENCH_FIRST_DRAW=FILE in its
# environment, writes CLOCK_MONOTONIC to FILE right after the first page's
# newtRefresh (the page is then written to the terminal). The difference
# is the time from exec to the first page: loading, detection of the
# system, newt's start and the first draw. ntpwiz also writes the CPU time
# it used until then (CLOCK_PROCESS_CPUTIME_ID), which a busy machine does
# not inflate the way it inflates wall time. This is used rather than
# polling capture-pane because a poll measures tmux and the poll interval
# as much as the wizard. Reported: the median of RUNS runs (default 30) and
# its ratio to the target (50 ms), in a Debian 12 sandbox root and on this
# host itself (detection asks the init system there; nothing is written).
#
# Idle: with the first page shown, utime+stime of the wizard from
# /proc/PID/stat over 5 s of waiting for a key; the target is 0 ticks.
set -u
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${NTPWIZ:=$srcdir/ntpwiz}"
: "${STAMPEXEC:=$srcdir/tests/bench/stampexec}"
RUNS=${RUNS:-30}
TARGET_MS=50
IDLE_S=5

if ! command -v tmux >/dev/null 2>&1; then
	echo "wizard-bench: tmux not found" >&2
	exit 1
fi
if ldd "$NTPWIZ" | grep -q 'libasan\|libubsan'; then
	echo "warning: $NTPWIZ is a sanitizer build; its figures say nothing about the targets." >&2
	echo "         Build without --enable-sanitizers (e.g. in a separate build directory)." >&2
fi
tmp=$(mktemp -d /tmp/ntpwiz-wbench.XXXXXX)
SOCK=ntpwiz-wbench-$$
cleanup() {
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
root=$tmp/root
mkdir -p "$root/etc"
cp "$srcdir/tests/data/roots/debian12-os-release" "$root/etc/os-release"
tmux -L "$SOCK" new-session -d -s keep -x 80 -y 24 "sleep 3600"

# first_page ARGS...: one run; prints milliseconds, or nothing on failure.
# "floor" as the only argument times a process that only stamps (stampexec
# starting stampexec): what any program costs to start on this machine now.
first_page() {
	local i cmd="$NTPWIZ $*"
	rm -f "$tmp/start" "$tmp/drawn"
	[ "$*" = floor ] && cmd="$STAMPEXEC $tmp/drawn true"
	tmux -L "$SOCK" new-session -d -s run -x 80 -y 24 \
		"env NTPWIZ_BENCH_FIRST_DRAW=$tmp/drawn TERM=xterm $STAMPEXEC $tmp/start $cmd"
	for ((i = 0; i < 400; i++)); do
		[ -s "$tmp/drawn" ] && break
		sleep 0.025
	done
	tmux -L "$SOCK" kill-session -t run >/dev/null 2>&1
	[ -s "$tmp/drawn" ] && [ -s "$tmp/start" ] || return 1
	# wall ms, CPU ms (the floor writes no CPU time: 0)
	awk -v a="$(cat "$tmp/start")" 'NR == 1 { printf "%.3f %.3f\n", ($1 - a) * 1000, $2 * 1000 }' "$tmp/drawn"
}

report() { # LABEL ARGS...
	local label=$1 ms
	shift
	: >"$tmp/samples"
	for ((r = 0; r < RUNS; r++)); do
		ms=$(first_page "$@") || {
			echo "wizard-bench: a run did not draw its first page" >&2
			exit 1
		}
		echo "$ms" >>"$tmp/samples"
	done
	cpu=$(awk '{ print $2 }' "$tmp/samples" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	sort -g "$tmp/samples" | awk -v label="$label" -v t=$TARGET_MS -v f="${FLOOR_MS:-0}" -v cpu="$cpu" '
		{ v[NR] = $1 }
		END {
			m = v[int((NR + 1) / 2)]
			printf "%-40s runs=%d median %.2f ms", label, NR, m
			if (label !~ /^floor/)
				printf " = %.2f x target (%d ms)", m / t, t
			if (f > 0)
				printf ", %.1f x the start of a trivial process", m / f
			printf "; min %.2f, max %.2f ms", v[1], v[NR]
			if (label !~ /^floor/)
				printf "; CPU to first page: median %.2f ms = %.2f x target", cpu, cpu / t
			printf "\n"
		}'
}

report "floor: a process that only stamps" floor
FLOOR_MS=$(awk '{ print $1 }' "$tmp/samples" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
report "first page, sandbox root (Debian 12)" --root "$root"
report "first page, this host (no --root)"

# idle: the wizard waits for a key on its first page
rm -f "$tmp/drawn"
tmux -L "$SOCK" new-session -d -s idle -x 80 -y 24 \
	"env NTPWIZ_BENCH_FIRST_DRAW=$tmp/drawn TERM=xterm $NTPWIZ --root $root"
for ((i = 0; i < 400; i++)); do
	[ -s "$tmp/drawn" ] && break
	sleep 0.025
done
pid=$(tmux -L "$SOCK" list-panes -t idle -F '#{pane_pid}')
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
t0=$(ticks)
sleep "$IDLE_S"
t1=$(ticks)
hz=$(getconf CLK_TCK)
printf '%-40s utime+stime over %d s idle: %d ticks (1 tick = %d ms); target 0\n' \
	"idle wizard (pid $pid)" "$IDLE_S" $((t1 - t0)) $((1000 / hz))
