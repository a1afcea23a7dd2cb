#!/bin/bash
# probe.sh: ntpwiz probe against real time servers in private network
# namespaces.
#
#   S (servers)  10.231.88.1-3  three real chronyd, `local stratum` 2, 3, 5
#                10.231.88.4    a small responder whose clock is 0.4 s
#                               behind (also fd42:231:88::4), so offsets
#                               have a size and a sign to get right
#                10.231.88.9    nobody: the dead address (ARP goes
#                               unanswered, so requests just vanish)
#                10.231.88.5    Debian 13's chronyd 4.6.1 (in its trixie
#                               root, through chroot), `local stratum` 4
#   K (ntpsec)   10.231.89.2    a real NTPsec ntpd with `restrict default
#                               kod limited` and a tight `limit`: it answers
#                               a burst with Kiss-o'-Death RATE. (chrony 4.3
#                               cannot send KoD at all: `ratelimit ... kod`
#                               arrived in a later version; 4.3 rejects it.)
#   C (client)   ntpwiz probe and the reference `chronyd -Q` run here; veth
#                pairs join C to S and to K.
#
# Checked: the strata reported are the configured ones; the offsets agree
# within 1 ms with `chronyd -Q "server ADDR iburst"` (no clock change)
# against the same server; the dead address times out and the whole probe
# still ends within its budget (about one probe, not four); the KoD RATE
# is recognised; a name with several addresses (IPv4 and IPv6, from a
# private /etc/hosts bind-mounted in a mount namespace) is probed on all of
# them; an unresolvable name and a refused port are explained.
#
# Safety (DAEMONS.md): chronyd -x -d -u root, ntpsec with `disable ntp` and
# `disable kernel`, both without CAP_SYS_TIME (setpriv) and with tmpfs over
# /run, /var/lib and /var/log in their own mount namespace. Traffic stays in
# the namespaces made here (no route leads out of them). Everything started
# here is killed by PID; the namespaces are deleted on exit; waits are
# bounded.
#
# Exit: 0 pass, 1 fail, 77 skip (not root, no namespaces, no daemons); with
# CI set, a missing prerequisite fails instead.

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
for t in ip unshare setpriv timeout python3; do
	command -v "$t" >/dev/null 2>&1 || skip_or_fail "$t not found"
done
daemons_fetch || skip_or_fail "cannot download the daemon packages (apt-get download)"
CHRONYD=$(daemons_bin chrony) || skip_or_fail "no chronyd in the daemon cache"
NTPSEC=$(daemons_bin ntpsec) || skip_or_fail "no NTPsec ntpd in the daemon cache"
daemons_root13 chrony >/dev/null || skip_or_fail "no Debian 13 root for chrony (mmdebstrap)"

# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"
: "${NTPWIZ:=$srcdir/ntpwiz}"
RESPONDER=$srcdir/tests/lib/ntp-responder.py

NS_S=ntpwiz-probe-s-$$
NS_C=ntpwiz-probe-c-$$
NS_K=ntpwiz-probe-k-$$
NET=10.231.88
KNET=10.231.89
PIDS=()

cleanup() {
	local pid comm
	for pid in "${PIDS[@]}"; do
		comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
		case $comm in chronyd | ntpd | python3 | timeout) kill -TERM "$pid" 2>/dev/null ;; esac
	done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 1 30); do
			[ -d "/proc/$pid" ] || break
			sleep 0.1
		done
		comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
		case $comm in chronyd | ntpd | python3 | timeout) kill -KILL "$pid" 2>/dev/null ;; esac
	done
	netns_cleanup # the Debian 13 chronyd servers, and their staged files
	ip netns del "$NS_C" 2>/dev/null
	ip netns del "$NS_S" 2>/dev/null
	ip netns del "$NS_K" 2>/dev/null
	rm -rf "$T_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- the namespaces ----------------------------------------------------------
for ns in "$NS_S" "$NS_C" "$NS_K"; do
	ip netns add "$ns" || skip_or_fail "cannot create network namespaces (ip netns add)"
	ip -n "$ns" link set lo up
done
if ! ip -n "$NS_S" link add vs type veth peer name vc netns "$NS_C" ||
	! ip -n "$NS_K" link add vk type veth peer name vck netns "$NS_C" ||
	! ip -n "$NS_C" addr add "$NET.100/24" dev vc ||
	! ip -n "$NS_C" addr add fd42:231:88::100/64 dev vc nodad ||
	! ip -n "$NS_C" addr add "$KNET.1/24" dev vck ||
	! ip -n "$NS_K" addr add "$KNET.2/24" dev vk ||
	! ip -n "$NS_S" addr add fd42:231:88::4/64 dev vs nodad; then
	skip_or_fail "cannot set up the veth pairs between the namespaces"
fi
for i in 1 2 3 4 5; do
	ip -n "$NS_S" addr add "$NET.$i/24" dev vs
done
ip -n "$NS_S" link set vs up
ip -n "$NS_C" link set vc up
ip -n "$NS_C" link set vck up
ip -n "$NS_K" link set vk up
expect "C has no route out: only the two test subnets (and one IPv6 one)" \
	'[ "$(ip -n "$NS_C" -4 route show | wc -l)" -eq 2 ] && ! ip -n "$NS_C" -4 route show | grep -q default'

# daemon_argv PROGRAM ARG...: prints (NUL-separated) the command that runs
# PROGRAM without CAP_SYS_TIME in a new mount namespace with tmpfs over
# /run, /var/lib and /var/log. Every step execs, so the PID of the started
# job is the daemon's own.
daemon_argv() {
	printf '%s\0' unshare -m --propagation private sh -c '
		for d in /run /var/lib /var/log; do
			mount -t tmpfs -o mode=0755,size=16m ntpwiz-probe "$d" || exit 1
		done
		mkdir -p /run/chrony /var/lib/chrony /var/lib/ntpsec /var/log/ntpsec || exit 1
		exec setpriv --bounding-set=-sys_time --inh-caps=-all -- "$@"' probe-daemon "$@"
}

# start_in NS LOG PROGRAM ARG...: starts it in the background in NS.
start_in() {
	local ns=$1 log=$2 cmd
	shift 2
	mapfile -d '' cmd < <(daemon_argv "$@")
	ip netns exec "$ns" "${cmd[@]}" </dev/null >"$log" 2>&1 &
	PIDS+=($!)
}

# --- the servers -----------------------------------------------------------------
STRATA=(x 2 3 5)
for i in 1 2 3; do
	cat >"$T_TMP/chrony$i.conf" <<EOF
# a test time server: its own clock at stratum ${STRATA[$i]}
local stratum ${STRATA[$i]}
allow all
bindaddress $NET.$i
port 123
cmdport 0
bindcmdaddress /
EOF
	start_in "$NS_S" "$T_TMP/chrony$i.log" "$CHRONYD" -4 -x -d -u root -f "$T_TMP/chrony$i.conf"
done
ip netns exec "$NS_S" python3 "$RESPONDER" --bind "$NET.4" --bind fd42:231:88::4 \
	--stratum 4 --offset -0.4 --lifetime 300 >"$T_TMP/responder.log" 2>&1 &
PIDS+=($!)
cat >"$T_TMP/ntp.conf" <<EOF
# answers anyone, but rate-limits them with KoD RATE
disable ntp
disable kernel
restrict default kod limited nomodify noquery
limit average 0.5 burst 2 kod 1
EOF
start_in "$NS_K" "$T_TMP/ntpsec.log" "$NTPSEC" -n -c "$T_TMP/ntp.conf"
# Debian 13's chronyd 4.6.1, a plain server
printf 'local stratum 4\nallow all\nbindaddress %s\ncmdport 0\nbindcmdaddress /\n' \
	"$NET.5" >"$T_TMP/chrony13.conf"
netns_start_gen chrony deb13 "$NS_S" "$T_TMP/chrony13.conf" "$T_TMP/chrony13.log" -4 ||
	{ sed 's/^/#   /' "$T_TMP/chrony13.log"; skip_or_fail "Debian 13's chronyd did not start"; }

# probe ARGS...: ntpwiz probe inside C; sets RC, OUT, ERR, WALL_MS
probe() {
	local t0 t1
	t0=$(date +%s%N)
	ip netns exec "$NS_C" "$NTPWIZ" probe "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	t1=$(date +%s%N)
	WALL_MS=$(((t1 - t0) / 1000000))
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}

# jf HOST KEY...: from the JSON in $OUT, the host's KEYs (status, summary)
# or, for a.KEY, its first address's (a.stratum); "-" when absent.
jf() {
	python3 -c '
import json, sys
j = json.loads(sys.stdin.read())
h = [h for h in j["hosts"] if h["host"] == sys.argv[1]][0]
print(" ".join(str(h["addresses"][0].get(k[2:], "-") if k[:2] == "a." else h.get(k, "-"))
               for k in sys.argv[2:]))' "$@" <<<"$OUT"
}

# jaddrs HOST: "ADDRESS STATUS" per address of HOST, sorted
jaddrs() {
	python3 -c '
import json, sys
j = json.loads(sys.stdin.read())
h = [h for h in j["hosts"] if h["host"] == sys.argv[1]][0]
for a in sorted(h["addresses"], key=lambda a: a["address"]):
    print(a["address"], a["status"])' "$1" <<<"$OUT"
}

# Bounded wait until the chronyd servers answer (the responder answers at once).
ready=
for _ in $(seq 1 40); do
	probe "$NET.1" "$NET.2" "$NET.3" "$NET.5" --count 1 --timeout 200
	if [ "$RC" -eq 0 ]; then
		ready=1
		break
	fi
	sleep 0.1
done
if [ -z "$ready" ]; then
	not_ok "the four chronyd servers answer within 5 s"
	for i in 1 2 3 13; do sed "s/^/#   chrony$i: /" "$T_TMP/chrony$i.log"; done
	finish
	exit 1
fi
ok "the four chronyd servers answer (4.3 at $NET.1-3, 4.6.1 at $NET.5)"

# --- three live servers and one dead address (the issue's "done when") --------
probe "$NET.1" "$NET.2" "$NET.3" "$NET.9" --json
printf '%s\n' "$OUT" >"$T_TMP/four.json"
expect "3 live + 1 dead: exit 1 (one host is not usable)" '[ "$RC" -eq 1 ] && [ -z "$ERR" ]'
for i in 1 2 3; do
	expect "$NET.$i: usable, stratum ${STRATA[$i]} as configured, 4 of 4 answered" \
		'[ "$(jf "$NET.$i" status a.stratum a.refid a.sent a.answered)" = "ok ${STRATA[$i]} 127.127.1.1 4 4" ]'
done
expect "$NET.9: no answer, 4 requests sent, none answered" \
	'[ "$(jf "$NET.9" status a.sent a.answered a.stratum)" = "no-answer 4 0 -" ]'
elapsed=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["elapsed_ms"])' <<<"$OUT")
# (4 - 1) x 250 ms + 1000 ms: the dead address's last request times out. In
# series it would be 3 x 750 ms + 1750 ms = 4000 ms. The upper bound leaves
# room for a loaded CI machine (two cores, tests in parallel, ASan) and still
# tells parallel from serial; the speed itself is measured in tests/bench.
expect "the four are probed at once: the probe ends at its budget of 1750 ms, far from 4000 ms in series (took $elapsed ms)" \
	'[ "$elapsed" -ge 1740 ] && [ "$elapsed" -le 3000 ]'
four_wall=$WALL_MS
probe "$NET.9"
echo "# timings: 3 live + 1 dead probed in $four_wall ms (wall); the dead address alone in $WALL_MS ms"

probe "$NET.1" "$NET.2" "$NET.3" "$NET.9"
printf '%s\n' "$OUT" | sed 's/^/#   /'
expect "text: a table row per address with the stratum and refid" \
	'printf "%s\n" "$OUT" | grep -qE "^$NET.2 +$NET.2 +3  127\.127\.1\.1 +none +[-+][0-9]+\.[0-9]{3} +[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]{3} +4/4  ok$"'
expect "text: the dead address's row says 0/4 and no answer" \
	'printf "%s\n" "$OUT" | grep -qE "^$NET.9 +$NET.9 +- +- +- +- +- +- +0/4  no answer$"'
expect "text: the summary line for the dead address" \
	'printf "%s\n" "$OUT" | grep -qxF "$NET.9: not usable: no answer from $NET.9 within 1000 ms"'
expect "text: a usable summary line for $NET.3 at stratum 5" \
	'printf "%s\n" "$OUT" | grep -qE "^$NET.3: usable: $NET.3 answers at stratum 5, offset [-+][0-9.]+ ms, delay [0-9.]+ ms, root distance [0-9.]+ ms \(1 of 1 addresses usable\)$"'
probe "$NET.1" "$NET.2" "$NET.3"
expect "three live servers only: exit 0" '[ "$RC" -eq 0 ]'

# --- offsets agree with chronyd -Q against the same server ------------------------
# chronyd -Q prints "System clock wrong by X seconds (ignored)", X > 0 when
# our clock is behind the server's: the same sign as ntpwiz's offset. Both
# references run at once (each takes a few seconds).
qpids=()
for a in "$NET.1" "$NET.4" "$NET.5"; do
	mapfile -d '' q < <(daemon_argv timeout 30 "$CHRONYD" -Q -t 15 -d -u root "server $a iburst")
	ip netns exec "$NS_C" "${q[@]}" </dev/null >"$T_TMP/q-$a.log" 2>&1 &
	PIDS+=($!)
	qpids+=($!)
done
probe "$NET.1" "$NET.4" "$NET.5" --json
wait "${qpids[@]}"
for a in "$NET.1" "$NET.4" "$NET.5"; do
	theirs=$(sed -n 's/.*System clock wrong by \(-\{0,1\}[0-9.]*\) seconds.*/\1/p' "$T_TMP/q-$a.log" | tail -n 1)
	ours=$(jf "$a" a.offset)
	echo "# offset of $a: ntpwiz $ours s, chronyd -Q ${theirs:-?} s"
	expect "$a: the offset is within 1 ms of chronyd -Q's" \
		'[ -n "$theirs" ] && awk -v a="$ours" -v b="$theirs" "BEGIN { d = a - b; exit !(d < 0.001 && d > -0.001) }"'
	[ -n "$theirs" ] || sed 's/^/#   chronyd -Q: /' "$T_TMP/q-$a.log"
done
expect "$NET.4 (0.4 s behind): ntpwiz says about -400 ms" \
	'awk -v a="$(jf "$NET.4" a.offset)" "BEGIN { exit !(a < -0.39 && a > -0.41) }"'

# --- Debian 13's chronyd 4.6.1 ----------------------------------------------------------
probe "$NET.5" --json
expect "chrony 4.6.1 ($NET.5): usable, stratum 4 as configured, 4 of 4 answered" \
	'[ "$(jf "$NET.5" status a.stratum a.refid a.sent a.answered)" = "ok 4 127.127.1.1 4 4" ]' ||
	sed 's/^/#   /' "$T_TMP/chrony13.log"
expect "chrony 4.6.1: the server that answered is chronyd 4.6.1" \
	'grep -q "chronyd version 4.6.1 starting" "$T_TMP/chrony13.log"'

# --- Kiss-o'-Death from NTPsec ------------------------------------------------------
probe "$KNET.2" --json
printf '%s\n' "$OUT" >"$T_TMP/kod1.json"
expect "NTPsec's KoD RATE is recognised: kod RATE, the burst stops (2 sent, 1 answered)" \
	'[ "$(jf "$KNET.2" a.kod a.sent a.answered)" = "RATE 2 1" ]'
expect "NTPsec not synchronised to anything: stratum 0 with refid INIT, leap alarm" \
	'[ "$(jf "$KNET.2" status a.stratum a.refid a.leap)" = "unsynchronised 0 INIT alarm" ]'
probe "$KNET.2"
expect "right after: KoD RATE and no time at all, in words" \
	'[ "$RC" -eq 1 ] && printf "%s\n" "$OUT" | grep -qxF "$KNET.2: not usable: $KNET.2 sent Kiss-o'"'"'-Death RATE (rate limited) and no time" &&
	 printf "%s\n" "$OUT" | grep -qE "^$KNET.2 +$KNET.2 .* 0/1  KoD, KoD RATE$"'
[ "$RC" -eq 1 ] || sed 's/^/#   /' "$T_TMP/kod1.json"

# --- a name with several addresses, IPv4 and IPv6 -------------------------------------
printf '%s multi.probe.test\n' "$NET.4" "fd42:231:88::4" "$NET.9" >"$T_TMP/hosts"
ip netns exec "$NS_C" unshare -m --propagation private sh -c \
	'mount --bind "$1" /etc/hosts && exec "$2" probe multi.probe.test --json' sh \
	"$T_TMP/hosts" "$NTPWIZ" >"$T_TMP/out" 2>"$T_TMP/err"
RC=$?
OUT=$(cat "$T_TMP/out")
expect "multi.probe.test: all three addresses probed (two usable, the dead one not): exit 0" \
	'[ "$RC" -eq 0 ] && [ "$(jaddrs multi.probe.test | tr "\n" " ")" = "$NET.4 ok $NET.9 no-answer fd42:231:88::4 ok " ]'
expect "multi.probe.test: the summary counts 2 of 3 addresses usable" \
	'jf multi.probe.test summary | grep -q "(2 of 3 addresses usable)$"'

# --- names that do not resolve, ports nobody listens on -------------------------------
probe no-such-host.invalid
expect "an unresolvable name: exit 1, said so" \
	'[ "$RC" -eq 1 ] && printf "%s\n" "$OUT" | grep -q "^no-such-host.invalid: not usable: cannot resolve the name: "'
# "At once": well before the (long) timeout, not after it; a loaded CI
# machine took over 1 s for the whole run with the default 1 s timeout.
probe 127.0.0.1 --timeout 20000
expect "nothing on 127.0.0.1:123 in C: unreachable at once (ICMP port unreachable), not after the 20 s timeout (took $WALL_MS ms)" \
	'[ "$RC" -eq 1 ] && printf "%s\n" "$OUT" | grep -qxF "127.0.0.1: not usable: 127.0.0.1 cannot be reached: Connection refused" && [ "$WALL_MS" -lt 10000 ]'

finish
