#!/bin/bash
# monitor-e2e.sh: `ntpwiz monitor --once` against real daemons.
#
# A real chronyd serves time in network namespace S. In namespace C, joined
# to S by a veth pair, one client at a time syncs to it: chronyd and NTPsec's
# ntpd of Debian 12 (4.3, 1.2.2) and of Debian 13 (4.6.1, 1.2.3, run in
# their trixie roots through chroot), and ntp.org's ntpd 4.2.8p10 on
# ntpwiz's client-only restrict lines. `ntpwiz monitor --once` run in C with
# that generation's chronyc/ntpq must show the server as the selected peer
# ('*') within a bounded wait, and with the client stopped print one line
# saying so and exit 1.
#
# Safety: see tests/lib/netns.sh (no clock control, private namespaces,
# tmpfs over the daemons' folders, only our PIDs signalled, bounded waits).
# ntpwiz runs in C with a private empty /run, so chronyc cannot reach a
# chronyd of the host through its Unix socket.
#
# Exit: 0 pass, 1 fail, 77 skip (not root, no namespaces, no daemons); with
# CI set, a missing prerequisite fails instead.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034,SC2016
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
# shellcheck source=tests/lib/netns.sh
. "$srcdir/tests/lib/netns.sh"

skip_or_fail() { daemons_skip_or_fail "$@"; }

[ "$(id -u)" = 0 ] || skip_or_fail "needs root (ip netns, veth pairs)"
for t in ip unshare setpriv timeout python3; do
	command -v "$t" >/dev/null 2>&1 || skip_or_fail "$t not found"
done
daemons_fetch || skip_or_fail "cannot download the daemons (apt-get download)"
daemons_bin chrony >/dev/null || skip_or_fail "no chronyd in the daemon cache"
daemons_bin ntpsec >/dev/null || skip_or_fail "no NTPsec ntpd in the daemon cache"
for d in chrony ntpsec; do
	daemons_root13 "$d" >/dev/null || skip_or_fail "no Debian 13 root for $d (mmdebstrap)"
done
daemons_ntporg_dir >/dev/null || skip_or_fail "no ntp.org ntpd (build from ntp-4.2.8p10.tar.gz failed)"

# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

NS_S=ntpwiz-mon-s-$$
NS_C=ntpwiz-mon-c-$$
ADDR_S=10.231.78.1
ADDR_C=10.231.78.2
T_START=$(date +%s)
MAX_SECONDS=420 # the whole test: a safety net for every loop below

trap 'netns_cleanup; rm -rf "$T_TMP"' EXIT
trap 'exit 1' INT TERM HUP

netns_pair "$NS_S" "$NS_C" "$ADDR_S" "$ADDR_C" ||
	skip_or_fail "cannot create network namespaces joined by a veth pair"

# monitor ARGS...: ntpwiz monitor in C, $bindir first in PATH; sets RC, OUT, ERR
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

# --- the Prometheus text of a real daemon (issue 17) ---------------------------------------
# shellcheck source=tests/lib/promtool.sh
. "$srcdir/tests/lib/promtool.sh"
if PROMTOOL=$(promtool_find); then
	echo "# promtool: $PROMTOOL"
else
	[ -n "${CI-}" ] && skip_or_fail "promtool cannot be had (apt-get download prometheus failed)"
	PROMTOOL=
fi
# prom_valid WHAT: the last monitor output passes promtool (when there)
# and tests/lib/promcheck.py; SAMPLES holds its samples
prom_valid() {
	local verdict
	if [ -n "$PROMTOOL" ]; then
		verdict=$("$PROMTOOL" check metrics <"$T_TMP/out" 2>&1)
		expect "$1: promtool check metrics finds nothing${verdict:+ ($verdict)}" '[ -z "$verdict" ]'
	fi
	verdict=$(python3 "$srcdir/tests/lib/promcheck.py" "$T_TMP/out" 2>&1)
	expect "$1: promcheck.py finds nothing${verdict:+ ($verdict)}" '[ -z "$verdict" ]'
	SAMPLES=$(python3 "$srcdir/tests/lib/promcheck.py" --dump "$T_TMP/out" 2>/dev/null)
}
# prom_up V DAEMON: --format prometheus of a daemon that follows $ADDR_S
prom_up() {
	pd=$2
	monitor --format prometheus --daemon "$pd"
	prom_valid "$1 --format prometheus"
	printf '%s\n' "$OUT" | grep -v '^#' | sed 's/^/#   prom: /'
	expect "$1 --format prometheus: exit 0, up, stratum 4, $ADDR_S selected and reachable" \
		'[ "$RC" = 0 ] && grep -qxF "ntpwiz_daemon_up{daemon=\"$pd\"} 1" <<<"$SAMPLES" && grep -qxF "ntpwiz_stratum{} 4" <<<"$SAMPLES" && grep -q "^ntpwiz_selected_source_info{.*source=\"$ADDR_S\"} 1$" <<<"$SAMPLES" && grep -qxF "ntpwiz_source_reachable{source=\"$ADDR_S\"} 1" <<<"$SAMPLES"'
}
# prom_down V DAEMON: the same once the daemon is stopped
prom_down() {
	pd=$2
	monitor --format prometheus --daemon "$pd"
	prom_valid "$1 stopped --format prometheus"
	expect "$1 stopped --format prometheus: exit 1, daemon_up 0, state not-running, nothing else" \
		'[ "$RC" = 1 ] && grep -qxF "ntpwiz_daemon_up{daemon=\"$pd\"} 0" <<<"$SAMPLES" && grep -q "state=\"not-running\"" <<<"$SAMPLES" && [ "$(wc -l <<<"$SAMPLES")" = 3 ]'
}
one_line() { [ -n "$1" ] && [ "$(printf '%s\n' "$1" | wc -l)" = 1 ]; }
no_sys_time() { [ $((0x$(awk '/^CapBnd:/ { print $2 }' "/proc/$1/status") >> 25 & 1)) = 0 ]; }

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

# --- chronyd clients in C --------------------------------------------------------------
cat >"$T_TMP/client.conf" <<EOF
server $ADDR_S iburst minpoll -2 maxpoll -2
bindcmdaddress 127.0.0.1
port 0
EOF
chrony_client() { # GEN VERSION
	local gen=$1 ver=$2 v="chrony $2" client
	bindir=$T_TMP/bin-chrony-$gen
	netns_tools chrony "$gen" "$bindir" || skip_or_fail "no chronyc of $gen"
	netns_start_gen chrony "$gen" "$NS_C" "$T_TMP/client.conf" "$T_TMP/client-$gen.log" ||
		{ sed 's/^/#   /' "$T_TMP/client-$gen.log"; skip_or_fail "the $v client did not start"; }
	client=$NETNS_PID
	if wait_selected chrony 20; then
		ok "$v: monitor --once shows $ADDR_S selected ('*') after $TOOK s"
	else
		not_ok "$v: monitor --once shows $ADDR_S selected ('*') within 20 s"
		printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
	fi
	printf '%s\n' "$OUT" | sed 's/^/#   /'
	expect "$v: the client that ran is chronyd $ver" \
		'grep -q "chronyd version $ver starting" "$T_TMP/client-$gen.log"'
	expect "$v: exit 0 and nothing on stderr" '[ "$RC" = 0 ] && [ -z "$ERR" ]'
	expect "$v: the first line names the daemon and the command" \
		'[ "$(printf "%s\n" "$OUT" | head -n 1)" = "chrony (chosen with --daemon): chronyc -n -c -m sources tracking" ]'
	expect "$v: the status line says synchronised, stratum 4, reference $ADDR_S" \
		'printf "%s\n" "$OUT" | sed -n 2p | grep -q "^synchronised, stratum 4, leap: none, reference $ADDR_S, last update "'
	expect "$v: the server's row: stratum 3, mode ^, reach history shown" \
		'printf "%s\n" "$OUT" | grep -Eq "^\* $ADDR_S +3 \^ +[-0-9]+ +0\.25 [.#]{8} "'
	monitor --json --daemon chrony
	expect "$v: --json says ok and the first peer is selected" \
		'[ "$RC" = 0 ] && printf "%s" "$OUT" | python3 -c "import json,sys; d=json.load(sys.stdin); p=d[\"peers\"][0]; sys.exit(not (d[\"state\"]==\"ok\" and p[\"tally\"]==\"*\" and p[\"class\"]==\"selected\" and p[\"remote\"]==\"$ADDR_S\" and d[\"status\"][\"synchronised\"]))"'
	prom_up "$v" chrony
	expect "$v --format prometheus: synchronised, leap none, tracking's offset and root distance (under 1 s)" \
		'grep -qxF "ntpwiz_synchronised{} 1" <<<"$SAMPLES" && grep -qxF "ntpwiz_leap_status{status=\"none\"} 1" <<<"$SAMPLES" && awk "/^ntpwiz_offset_seconds\{\} / { o = 1; if (\$2 < -1 || \$2 > 1) bad = 1 } /^ntpwiz_root_distance_seconds\{\} / { d = 1; if (\$2 <= 0 || \$2 > 1) bad = 1 } END { exit !(o && d && !bad) }" <<<"$SAMPLES"'

	netns_stop "$client"
	monitor --once --daemon chrony
	expect "$v stopped: exit 1, nothing on stdout" '[ "$RC" = 1 ] && [ -z "$OUT" ]'
	expect "$v stopped: one line saying so" \
		'one_line "$ERR" && starts_with "$ERR" "ntpwiz: chronyd is not running (chronyc: 506 Cannot talk to daemon); start "'
	printf '#   %s\n' "$ERR"
	prom_down "$v" chrony
}
chrony_client deb12 4.3
chrony_client deb13 4.6.1

# --- NTPsec clients in C -----------------------------------------------------------------
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
ntpsec_client() { # GEN VERSION
	local gen=$1 ver=$2 v="NTPsec $2" ntpd
	bindir=$T_TMP/bin-ntpsec-$gen
	netns_tools ntpsec "$gen" "$bindir" || skip_or_fail "cannot set up NTPsec's ntpq of $gen (python3-ntp)"
	netns_start_gen ntpsec "$gen" "$NS_C" "$T_TMP/ntp.conf" "$T_TMP/ntpd-$gen.log" ||
		{ sed 's/^/#   /' "$T_TMP/ntpd-$gen.log"; skip_or_fail "$v's ntpd did not start"; }
	ntpd=$NETNS_PID
	expect "$v: ntpd runs without CAP_SYS_TIME" 'no_sys_time "$ntpd"'
	if wait_selected ntpsec 40; then
		ok "$v: monitor --once shows $ADDR_S selected ('*') after $TOOK s"
	else
		not_ok "$v: monitor --once shows $ADDR_S selected ('*') within 40 s"
		printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
	fi
	printf '%s\n' "$OUT" | sed 's/^/#   /'
	expect "$v: the daemon that ran is ntpsec-$ver" 'grep -q "ntpd ntpsec-$ver" "$T_TMP/ntpd-$gen.log"'
	expect "$v: the server's row: refid, stratum 3, type u, poll 8" \
		'printf "%s\n" "$OUT" | grep -Eq "^\* $ADDR_S +127\.127\.1\.1 +3 u +[-0-9]+ +8 [.#]{8} "'
	expect "$v: the status line comes from ntpd (stratum 4, reference $ADDR_S)" \
		'printf "%s\n" "$OUT" | sed -n 2p | grep -q "stratum 4, reference $ADDR_S, last update "'
	netns_run "$NS_C" env PATH="$bindir:$PATH" ntpq -n -c "rv 0 leap,stratum,refid,reftime,offset,rootdelay,rootdisp" 2>&1 |
		sed 's/^/#   ntpq rv: /'
	monitor --json --daemon ntpsec
	expect "$v --json: ntpq's offset, rootdelay and rootdisp read (numbers, not null)" \
		'[ "$RC" = 0 ] && printf "%s" "$OUT" | python3 -c "import json,sys; s=json.load(sys.stdin)[\"status\"]; ok=all(type(s[k]) in (int, float) for k in (\"offset\", \"root_delay\", \"root_dispersion\", \"root_distance\")); ok or print(\"#  \", s); sys.exit(not ok)"'
	prom_up "$v" ntpsec

	netns_stop "$ntpd"
	monitor --once --daemon ntpsec
	expect "$v stopped: exit 1, one line saying so (ntpq itself exits 0)" \
		'[ "$RC" = 1 ] && [ -z "$OUT" ] && one_line "$ERR" && starts_with "$ERR" "ntpwiz: ntpd is not running (ntpq: Socket error; probably ntpd is not running); start "'
	printf '#   %s\n' "$ERR"
	prom_down "$v" ntpsec
}
ntpsec_client deb12 1.2.2
ntpsec_client deb13 1.2.3

# --- ntp.org's ntpd in C ---------------------------------------------------------------------
# ntpwiz's client-only restrict lines (as `ntpwiz render --daemon ntp`
# writes them), the clock-control switches and this lab's server.
cat >"$T_TMP/ntporg.conf" <<EOF
disable ntp
disable kernel
driftfile /var/lib/ntp/ntp.drift
restrict -4 default ignore
restrict -6 default ignore
restrict source notrap nomodify noquery
restrict 127.0.0.1
restrict ::1
restrict $ADDR_S nomodify notrap nopeer noquery
server $ADDR_S iburst minpoll 3 maxpoll 3
disable ntp
disable kernel
EOF
v="ntp.org 4.2.8p10"
bindir=$T_TMP/bin-ntporg
netns_tools ntp ntporg "$bindir" || skip_or_fail "no ntp.org ntpq"
netns_start_gen ntp ntporg "$NS_C" "$T_TMP/ntporg.conf" "$T_TMP/ntporg.log" ||
	{ sed 's/^/#   /' "$T_TMP/ntporg.log"; skip_or_fail "ntp.org's ntpd did not start"; }
NTPD=$NETNS_PID
expect "$v: ntpd runs without CAP_SYS_TIME" 'no_sys_time "$NTPD"'
if wait_selected ntp 60; then
	ok "$v: monitor --once shows $ADDR_S selected ('*') after $TOOK s"
else
	not_ok "$v: monitor --once shows $ADDR_S selected ('*') within 60 s"
	printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
	tail -n 20 "$T_TMP/ntporg.log" | sed 's/^/#   log: /'
fi
printf '%s\n' "$OUT" | sed 's/^/#   /'
expect "$v: the daemon that ran is ntpd 4.2.8p10" 'grep -q "ntpd 4.2.8p10@" "$T_TMP/ntporg.log"'
expect "$v: exit 0 and nothing on stderr" '[ "$RC" = 0 ] && [ -z "$ERR" ]'
# ntp.org's ntpq shows the refid of a chronyd with `local stratum` as
# LOCAL(1) where NTPsec shows 127.127.1.1 (observed)
expect "$v: the server's row: refid LOCAL(1), stratum 3, type u, poll 8" \
	'printf "%s\n" "$OUT" | grep -Eq "^\* $ADDR_S +LOCAL\(1\) +3 u +[-0-9]+ +8 [.#]{8} "'
expect "$v: the status line comes from ntpd (stratum 4, reference $ADDR_S)" \
	'printf "%s\n" "$OUT" | sed -n 2p | grep -q "stratum 4, reference $ADDR_S, last update "'
netns_run "$NS_C" "$bindir/ntpq" -pn 2>&1 | sed 's/^/#   ntpq -pn: /'
netns_run "$NS_C" "$bindir/ntpq" -n -c "rv 0 leap,stratum,refid,reftime,offset,rootdelay,rootdisp" 2>&1 |
	sed 's/^/#   ntpq rv: /'
monitor --json --daemon ntp
expect "$v --json: ntpq's offset, rootdelay and rootdisp read (numbers, not null)" \
	'[ "$RC" = 0 ] && printf "%s" "$OUT" | python3 -c "import json,sys; s=json.load(sys.stdin)[\"status\"]; ok=all(type(s[k]) in (int, float) for k in (\"offset\", \"root_delay\", \"root_dispersion\", \"root_distance\")); ok or print(\"#  \", s); sys.exit(not ok)"'
prom_up "$v" ntp

netns_stop "$NTPD"
monitor --once --daemon ntp
expect "$v stopped: exit 1, nothing on stdout, one line saying ntpd is not running (ntpq itself exits 0)" \
	'[ "$RC" = 1 ] && [ -z "$OUT" ] && one_line "$ERR" && starts_with "$ERR" "ntpwiz: ntpd is not running (ntpq: read: Connection refused); start "'
printf '#   %s\n' "$ERR"
prom_down "$v" ntp

finish
