#!/bin/bash
# probe-bench.sh: what probing N servers at once buys (benchmark, not a
# test; run with "make bench" on a build without sanitizers, as root).
#
# 16 servers that each answer after 100 ms: one small responder
# (tests/lib/ntp-responder.py --delay-ms 100) on 16 addresses in a private
# network namespace, since netem is not available here. ntpwiz runs in a
# second namespace joined to it by a veth pair. Reported, as medians of
# RUNS (SEQ_RUNS for the slow one-at-a-time loops):
#
#   ntpwiz probe, 1 server                 the floor: one probe
#   ntpwiz probe, all 16 at once           target: within 1.5 x the floor
#   ntpwiz probe, 16 one after another     target: all-at-once >= 8 x faster
#   ntpwiz probe --count 1, 1 and 16 at once   (one sample, like ntpdig)
#   ntpdig, 1 and 16 one after another     (NTPsec's SNTP client, if it runs):
#                                          target: ntpwiz --count 1 at once
#                                          >= 8 x faster
#
# ntpwiz takes 4 samples 250 ms apart per address by default, so one probe
# costs about 0.75 s + one round trip; ntpdig takes 1 sample by default, so
# it is compared with --count 1. ntpdig comes
# from the ntpsec-ntpdig package (apt-get download, extracted into the
# daemon cache, never installed); it only prints the offset unless given -S
# or -s, and it runs without CAP_SYS_TIME anyway.
set -u
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${NTPWIZ:=$srcdir/ntpwiz}"
: "${BENCHRUN:=$srcdir/tests/bench/benchrun}"
RUNS=${RUNS:-7}
SEQ_RUNS=${SEQ_RUNS:-3}
N=16
DELAY_MS=100
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"

if [ "$(id -u)" != 0 ]; then
	echo "probe-bench: skipped: needs root for the network namespaces"
	exit 0
fi
if ldd "$NTPWIZ" | grep -q 'libasan\|libubsan'; then
	echo "warning: $NTPWIZ is a sanitizer build; its figures say nothing about the targets." >&2
	echo "         Build without --enable-sanitizers (e.g. in a separate build directory)." >&2
fi

NS_S=ntpwiz-bench-s-$$
NS_C=ntpwiz-bench-c-$$
NET=10.231.90
tmp=$(mktemp -d /tmp/ntpwiz-probe-bench.XXXXXX)
RESPONDER_PID=
cleanup() {
	if [ -n "$RESPONDER_PID" ] && [ "$(cat "/proc/$RESPONDER_PID/comm" 2>/dev/null)" = python3 ]; then
		kill "$RESPONDER_PID" 2>/dev/null
		wait "$RESPONDER_PID" 2>/dev/null
	fi
	ip netns del "$NS_C" 2>/dev/null
	ip netns del "$NS_S" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$NS_S" && ip netns add "$NS_C" &&
	ip -n "$NS_S" link add vs type veth peer name vc netns "$NS_C" &&
	ip -n "$NS_C" addr add "$NET.100/24" dev vc &&
	ip -n "$NS_S" link set vs up && ip -n "$NS_C" link set vc up &&
	ip -n "$NS_S" link set lo up && ip -n "$NS_C" link set lo up || {
	echo "probe-bench: cannot set up the network namespaces" >&2
	exit 1
}
addrs=()
binds=()
for i in $(seq 1 $N); do
	ip -n "$NS_S" addr add "$NET.$i/24" dev vs
	addrs+=("$NET.$i")
	binds+=(--bind "$NET.$i")
done
# Bounded: it exits by itself after 15 minutes whatever happens here.
ip netns exec "$NS_S" python3 "$srcdir/tests/lib/ntp-responder.py" "${binds[@]}" \
	--delay-ms $DELAY_MS --lifetime 900 >"$tmp/responder.log" 2>&1 &
RESPONDER_PID=$!
for _ in $(seq 1 50); do
	grep -q ready "$tmp/responder.log" && break
	sleep 0.1
done
if ! ip netns exec "$NS_C" "$NTPWIZ" probe "${addrs[@]}" >"$tmp/check.out"; then
	echo "probe-bench: the responder does not answer on all $N addresses:" >&2
	cat "$tmp/check.out" "$tmp/responder.log" >&2
	exit 1
fi
sed -n '2p' "$tmp/check.out" | sed 's/^/  (one row of the 16: /; s/$/)/'

# ntpdig: NTPsec's SNTP client (Python), with a private copy of the ntp
# module that has libntpc.so beside it (ntpc.py looks there first).
NTPDIG=
cache=$(daemons_cache_dir)
if [ ! -x "$cache/ntpsec-ntpdig/usr/bin/ntpdig" ] && command -v apt-get >/dev/null &&
	daemons_fetch >/dev/null 2>&1; then
	(
		flock -w 120 9 || exit 1
		cd "$cache/debs" && { ls ntpsec-ntpdig_*.deb >/dev/null 2>&1 || apt-get download ntpsec-ntpdig >/dev/null 2>&1; } &&
			rm -rf "../ntpsec-ntpdig.tmp" && mkdir "../ntpsec-ntpdig.tmp" &&
			dpkg -x ntpsec-ntpdig_*.deb "../ntpsec-ntpdig.tmp" &&
			mv "../ntpsec-ntpdig.tmp" "../ntpsec-ntpdig"
	) 9>"$cache/.lock"
fi
pyntp=$cache/python3-ntp/usr/lib/python3/dist-packages/ntp
if [ -x "$cache/ntpsec-ntpdig/usr/bin/ntpdig" ] && [ -d "$pyntp" ]; then
	mkdir -p "$tmp/py"
	cp -r "$pyntp" "$tmp/py/ntp"
	cp "$cache"/python3-ntp/usr/lib/x86_64-linux-gnu/ntp/libntpc.so.1* "$tmp/py/ntp/" 2>/dev/null
	ln -sf "$(cd "$tmp/py/ntp" && ls libntpc.so.1.* | head -n 1)" "$tmp/py/ntp/libntpc.so"
	NTPDIG=$cache/ntpsec-ntpdig/usr/bin/ntpdig
	if ! ip netns exec "$NS_C" env PYTHONPATH="$tmp/py" setpriv --bounding-set=-sys_time \
		--inh-caps=-all -- python3 "$NTPDIG" "$NET.1" >"$tmp/ntpdig.out" 2>&1; then
		echo "  ntpdig does not run here; left out:"
		sed 's/^/    /' "$tmp/ntpdig.out"
		NTPDIG=
	else
		echo "  (ntpdig says: $(cat "$tmp/ntpdig.out"))"
	fi
else
	echo "  ntpdig not available (apt-get download ntpsec-ntpdig failed); left out"
fi

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# bench LABEL RUNS WARMUP COMMAND...: one benchrun line, inside C; the median
bench() {
	local label=$1 runs=$2 warm=$3 line
	shift 3
	if ! line=$(ip netns exec "$NS_C" "$BENCHRUN" -q -n "$runs" -w "$warm" -- "$@"); then
		echo "probe-bench: $label failed" >&2
		exit 1
	fi
	printf '%-44s %s\n' "$label" "$line" >&2
	field median_ms "$line"
}

cat >"$tmp/one-by-one" <<'EOF'
#!/bin/bash
# one-by-one COMMAND... ::: ADDRESS...: COMMAND ADDRESS for each, in turn
cmd=()
while [ "$1" != ::: ]; do cmd+=("$1"); shift; done
shift
for a; do "${cmd[@]}" "$a" >/dev/null || exit 1; done
EOF
chmod 755 "$tmp/one-by-one"

echo "16 servers answering after ${DELAY_MS} ms; medians of $RUNS runs ($SEQ_RUNS for one-at-a-time):"
one=$(bench "ntpwiz probe, 1 server" "$RUNS" 1 "$NTPWIZ" probe "$NET.1")
all=$(bench "ntpwiz probe, $N servers at once" "$RUNS" 1 "$NTPWIZ" probe "${addrs[@]}")
seq=$(bench "ntpwiz probe, $N servers one after another" "$SEQ_RUNS" 0 \
	"$tmp/one-by-one" "$NTPWIZ" probe ::: "${addrs[@]}")
one1=$(bench "ntpwiz probe --count 1, 1 server" "$RUNS" 1 "$NTPWIZ" probe --count 1 "$NET.1")
all1=$(bench "ntpwiz probe --count 1, $N servers at once" "$RUNS" 1 \
	"$NTPWIZ" probe --count 1 "${addrs[@]}")
dig1=
digseq=
if [ -n "$NTPDIG" ]; then
	dig=(env PYTHONPATH="$tmp/py" setpriv --bounding-set=-sys_time --inh-caps=-all -- python3 "$NTPDIG")
	dig1=$(bench "ntpdig, 1 server" "$RUNS" 1 "${dig[@]}" "$NET.1")
	digseq=$(bench "ntpdig, $N servers one after another" "$SEQ_RUNS" 0 \
		"$tmp/one-by-one" "${dig[@]}" ::: "${addrs[@]}")
fi

awk -v one="$one" -v all="$all" -v seq="$seq" -v one1="$one1" -v all1="$all1" \
	-v d1="$dig1" -v dseq="$digseq" -v n=$N 'BEGIN {
	printf "\n%d at once: median %.0f ms = %.2f x one server (%.0f ms); target <= 1.5 x: %s\n",
		n, all, all / one, one, (all / one <= 1.5 ? "met" : "MISSED")
	printf "one after another with ntpwiz: median %.0f ms; at once is %.1f x faster; target >= 8 x: %s\n",
		seq, seq / all, (seq / all >= 8 ? "met" : "MISSED")
	printf "--count 1: %d at once: median %.0f ms = %.2f x one server (%.0f ms); target <= 1.5 x: %s\n",
		n, all1, all1 / one1, one1, (all1 / one1 <= 1.5 ? "met" : "MISSED")
	if (dseq != "") {
		printf "one after another with ntpdig (1 sample each): median %.0f ms (%.0f ms for one);\n", dseq, d1
		printf "  ntpwiz --count 1 at once is %.1f x faster; target >= 8 x: %s\n",
			dseq / all1, (dseq / all1 >= 8 ? "met" : "MISSED")
		printf "  (ntpwiz at once with its default 4 samples: %.1f x faster)\n", dseq / all
	}
}'
