#!/bin/bash
# monitor-e2e.sh: `ntpwiz monitor --once` against real daemons.
#
# A real chronyd serves time in network namespace S. In namespace C, joined
# to S by a veth pair, first a real chronyd client and then (separately) a
# real NTPsec ntpd client sync to it; `ntpwiz monitor --once` run in C must
# show the server as the selected peer ('*') within a bounded wait, and with
# the client stopped print one line saying so and exit 1.
#
# Safety: see tests/lib/netns.sh (no clock control, private namespaces,
# tmpfs over the daemons' folders, only our PIDs signalled, bounded waits).
# ntpwiz runs in C with a private empty /run, so chronyc cannot reach a
# chronyd of the host through its Unix socket.
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
daemons_fetch || skip_or_fail "cannot download the daemons (apt-get download)"
daemons_bin chrony >/dev/null || skip_or_fail "no chronyd in the daemon cache"
daemons_bin ntpsec >/dev/null || skip_or_fail "no NTPsec ntpd in the daemon cache"

# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

NS_S=ntpwiz-mon-s-$$
NS_C=ntpwiz-mon-c-$$
ADDR_S=10.231.78.1
ADDR_C=10.231.78.2
T_START=$(date +%s)
MAX_SECONDS=150 # the whole test: a safety net for every loop below

trap 'netns_cleanup; rm -rf "$T_TMP"' EXIT
trap 'exit 1' INT TERM HUP

netns_pair "$NS_S" "$NS_C" "$ADDR_S" "$ADDR_C" ||
	skip_or_fail "cannot create network namespaces joined by a veth pair"
bindir=$T_TMP/bin
mkdir -p "$bindir"
ln -s "$(daemons_cache_dir)/chrony/usr/bin/chronyc" "$bindir/chronyc"
netns_ntpq "$bindir" || skip_or_fail "cannot set up NTPsec's ntpq (python3-ntp)"

# monitor ARGS...: ntpwiz monitor in C; sets RC, OUT, ERR
monitor() {
	netns_run "$NS_C" env PATH="$bindir:$PATH" "$NTPWIZ" monitor "$@" \
		>"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}

# wait_selected DAEMON SECONDS: runs monitor --once every 0.5 s until the
# server's row starts with '*'; TOOK says how long that took.
wait_selected() {
	local daemon=$1 limit=$2 t0 i
	t0=$(date +%s.%N)
	for i in $(seq 1 $((limit * 2))); do
		[ $(($(date +%s) - T_START)) -lt "$MAX_SECONDS" ] || return 1
		monitor --once --daemon "$daemon"
		if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -q "^\* $ADDR_S "; then
			TOOK=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
			return 0
		fi
		sleep 0.5
	done
	return 1
}

starts_with() { case $1 in "$2"*) return 0 ;; esac; return 1; }
one_line() { [ -n "$1" ] && [ "$(printf '%s\n' "$1" | wc -l)" = 1 ]; }

# --- the server in S -----------------------------------------------------------------
cat >"$T_TMP/server.conf" <<EOF
local stratum 3
allow $ADDR_C/32
bindaddress $ADDR_S
port 123
cmdport 0
EOF
netns_start_chronyd "$NS_S" "$T_TMP/server.conf" "$T_TMP/server.log" -4 ||
	{ sed 's/^/#   /' "$T_TMP/server.log"; skip_or_fail "the server chronyd did not start"; }
ok "a chronyd server runs in S ($ADDR_S)"

# --- a chronyd client in C -------------------------------------------------------------
cat >"$T_TMP/client.conf" <<EOF
server $ADDR_S iburst minpoll -2 maxpoll -2
bindcmdaddress 127.0.0.1
port 0
EOF
netns_start_chronyd "$NS_C" "$T_TMP/client.conf" "$T_TMP/client.log" ||
	{ sed 's/^/#   /' "$T_TMP/client.log"; skip_or_fail "the client chronyd did not start"; }
CLIENT=$NETNS_PID
if wait_selected chrony 20; then
	ok "chrony: monitor --once shows $ADDR_S selected ('*') after $TOOK s"
else
	not_ok "chrony: monitor --once shows $ADDR_S selected ('*') within 20 s"
	printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
fi
printf '%s\n' "$OUT" | sed 's/^/#   /'
expect "chrony: exit 0 and nothing on stderr" '[ "$RC" = 0 ] && [ -z "$ERR" ]'
expect "chrony: the first line names the daemon and the command" \
	'[ "$(printf "%s\n" "$OUT" | head -n 1)" = "chrony (chosen with --daemon): chronyc -n -c -m sources tracking" ]'
expect "chrony: the status line says synchronised, stratum 4, reference $ADDR_S" \
	'printf "%s\n" "$OUT" | sed -n 2p | grep -q "^synchronised, stratum 4, leap: none, reference $ADDR_S, last update "'
expect "chrony: the server's row: stratum 3, mode ^, reach history shown" \
	'printf "%s\n" "$OUT" | grep -Eq "^\* $ADDR_S +3 \^ +[-0-9]+ +0\.25 [.#]{8} "'
monitor --json --daemon chrony
expect "chrony: --json says ok and the first peer is selected" \
	'[ "$RC" = 0 ] && printf "%s" "$OUT" | python3 -c "import json,sys; d=json.load(sys.stdin); p=d[\"peers\"][0]; sys.exit(not (d[\"state\"]==\"ok\" and p[\"tally\"]==\"*\" and p[\"class\"]==\"selected\" and p[\"remote\"]==\"$ADDR_S\" and d[\"status\"][\"synchronised\"]))"'

netns_stop "$CLIENT"
monitor --once --daemon chrony
expect "chrony stopped: exit 1, nothing on stdout" '[ "$RC" = 1 ] && [ -z "$OUT" ]'
expect "chrony stopped: one line saying so" \
	'one_line "$ERR" && starts_with "$ERR" "ntpwiz: chronyd is not running (chronyc: 506 Cannot talk to daemon); start "'
printf '#   %s\n' "$ERR"

# --- an NTPsec client in C ---------------------------------------------------------------
cat >"$T_TMP/ntp.conf" <<EOF
disable ntp
disable kernel
driftfile /var/lib/ntpsec/ntp.drift
restrict default ignore
restrict 127.0.0.1
restrict ::1
restrict $ADDR_S nomodify noquery
server $ADDR_S iburst minpoll 3 maxpoll 3
disable ntp
disable kernel
EOF
netns_start_ntpsec "$NS_C" "$T_TMP/ntp.conf" "$T_TMP/ntpd.log" ||
	{ sed 's/^/#   /' "$T_TMP/ntpd.log"; skip_or_fail "NTPsec's ntpd did not start"; }
NTPD=$NETNS_PID
expect "ntpd runs without CAP_SYS_TIME" \
	'[ $(( 0x$(awk "/^CapBnd:/ { print \$2 }" /proc/$NTPD/status) >> 25 & 1 )) = 0 ]'
if wait_selected ntpsec 40; then
	ok "ntpsec: monitor --once shows $ADDR_S selected ('*') after $TOOK s"
else
	not_ok "ntpsec: monitor --once shows $ADDR_S selected ('*') within 40 s"
	printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
fi
printf '%s\n' "$OUT" | sed 's/^/#   /'
expect "ntpsec: the server's row: refid, stratum 3, type u, poll 8" \
	'printf "%s\n" "$OUT" | grep -Eq "^\* $ADDR_S +127\.127\.1\.1 +3 u +[-0-9]+ +8 [.#]{8} "'
expect "ntpsec: the status line comes from ntpd (stratum 4, reference $ADDR_S)" \
	'printf "%s\n" "$OUT" | sed -n 2p | grep -q "stratum 4, reference $ADDR_S, last update "'

netns_stop "$NTPD"
monitor --once --daemon ntpsec
expect "ntpsec stopped: exit 1, one line saying so (ntpq itself exits 0)" \
	'[ "$RC" = 1 ] && [ -z "$OUT" ] && one_line "$ERR" && starts_with "$ERR" "ntpwiz: ntpd is not running (ntpq: Socket error; probably ntpd is not running); start "'
printf '#   %s\n' "$ERR"

finish
