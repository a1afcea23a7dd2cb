#!/bin/bash
# drdos-proof.sh: ntpwiz's access policies, proven against the real daemons.
#
# For each daemon and generation -- chrony 4.3 and 4.6.1, NTPsec 1.2.2 and
# 1.2.3, OpenNTPD 6.2p3 of Debian 12 and of Debian 13 (those run in their
# trixie roots through chroot), and ntp.org's own ntpd 4.2.8p10 -- and for
# each policy (client-only, lan, public), `ntpwiz render --daemon D` writes
# the config, the daemon runs on it in network namespace S, and other hosts
# query it across veth pairs:
#
#   C1 10.233.1.2 --- 10.233.1.1  S  10.233.3.1 --- 10.233.3.2 U
#   C2 10.233.2.2 --- 10.233.2.1
#
# U is a real chronyd serving time: the profile's only server, so the host
# under test syncs through ntpwiz's own restrict lines. The lan profile
# allows 10.233.1.0/24 (C1 inside, C2 outside). Packets come from
# tests/lib/ntpprobe.py (bounded; namespace addresses only) and from the real
# ntpq and chronyc. The checks:
#   client-only  no time (mode 3), no mode 6 (raw READVAR and `ntpq -c rv`),
#                no mode 7 (MON_GETLIST_1; for ntp.org also its own
#                `ntpdc -c monlist -c sysinfo` and `ntpq -c rv`), chrony's
#                UDP 323 unreachable
#   lan          time for C1, nothing for C2, rate limited, no mode 6/7
#   public       time for both, a 30-packet burst in 1 s rate limited (KoD or
#                drops), no mode 6/7, no reply larger than its request
#   all          localhost monitoring works (chronyc, ntpq, ntpctl in S)
# OpenNTPD lan is refused by ntpwiz (checked, then skipped). OpenNTPD has no
# rate limiting: its public burst is checked to be answered in full, which
# is what ntpwiz's warning in that file says.
# Negative controls prove the checks can fail: NTPsec (1.2.2 and 1.2.3) with
# a LAN restrict line that lacks noquery answers mode 6 with a bigger reply
# (12 -> 360 bytes; a bare `restrict default` does not: NTPsec keeps remote
# mode 6 closed there); ntp.org's ntpd with a restrict line without noquery
# answers mode 6 and `ntpq -c rv` from C1, and with `enable mode7` as well
# answers mode 7 (raw MON_GETLIST_1 and `ntpdc -c monlist -c sysinfo`); chrony (4.3 and 4.6.1) `allow all` without ratelimit answers the
# whole burst, chrony with `cmdallow all` answers on UDP 323.
#
# Safety (DAEMONS.md): no clock control anywhere. chronyd -x -d -u root;
# NTPsec with `disable ntp` and `disable kernel` first and last; OpenNTPD -d;
# all under setpriv without CAP_SYS_TIME, each in its own mount namespace
# with tmpfs over /run, /var/lib and /var/log (of its Debian 13 root, for
# those; OpenNTPD 6.2p3 of Debian 12 gets its user `ntpd` from a copy of
# /etc/passwd bind-mounted in that namespace only; the Debian 13 root has
# the user). Traffic stays inside the namespaces; only processes started here are
# killed, by PID; the namespaces are deleted on exit; every wait is bounded.
#
# Exit: 0 pass, 1 fail, 77 skip (not root, no namespaces, no daemons); with
# CI set, a missing prerequisite fails instead.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034,SC2016
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"

skip_or_fail() { daemons_skip_or_fail "$@"; }

[ "$(id -u)" = 0 ] || skip_or_fail "needs root (ip netns, veth pairs)"
for t in ip unshare setpriv nsenter timeout python3; do
	command -v "$t" >/dev/null 2>&1 || skip_or_fail "$t not found"
done
daemons_fetch || skip_or_fail "cannot download the daemon packages (apt-get download chrony ntpsec python3-ntp openntpd)"
CACHE=$(daemons_cache_dir)
CHRONYD=$(daemons_bin chrony) || skip_or_fail "no chronyd in the daemon cache"
NTPSEC=$(daemons_bin ntpsec) || skip_or_fail "no NTPsec ntpd in the daemon cache"
OPENNTPD=$(daemons_bin openntpd) || skip_or_fail "no OpenNTPD ntpd in the daemon cache"
NTPORG=$(daemons_ntporg_dir) || skip_or_fail "no ntp.org ntpd (build from ntp-4.2.8p10.tar.gz failed)"
declare -A ROOT13
for d in chrony ntpsec openntpd; do
	ROOT13[$d]=$(daemons_root13 "$d") || skip_or_fail "no Debian 13 root for $d (mmdebstrap)"
done
CHRONYC=$CACHE/chrony/usr/bin/chronyc
NTPQ=$CACHE/ntpsec/usr/bin/ntpq
NTPCTL=$CACHE/openntpd/usr/sbin/ntpctl
NTP_PY=$CACHE/python3-ntp/usr/lib/python3/dist-packages
NTPC_LIB=$CACHE/python3-ntp/usr/lib/x86_64-linux-gnu/ntp
for f in "$CHRONYC" "$NTPQ" "$NTPCTL" "$NTP_PY/ntp/ntpc.py"; do
	[ -e "$f" ] || skip_or_fail "$f missing from the daemon cache"
done
PROBE=$srcdir/tests/lib/ntpprobe.py

# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

NS_S=ntpwiz-drdos-s-$$
NS_C1=ntpwiz-drdos-c1-$$
NS_C2=ntpwiz-drdos-c2-$$
NS_U=ntpwiz-drdos-u-$$
S1=10.233.1.1 # S as C1 sees it
C1=10.233.1.2
S2=10.233.2.1 # S as C2 sees it
C2=10.233.2.2
SU=10.233.3.1
U=10.233.3.2
LAN=10.233.1.0/24
UPSTREAM_PID=
DPID=
T_START=$(date +%s)
MAX_SECONDS=1500 # the whole test, a safety net for every loop below

# stop_pid PID NAME: TERM, then KILL after 3 s; only if PID is still NAME
# (or still on its way there: ip, unshare, sh and setpriv exec each other).
# Its children (OpenNTPD's privilege-separated processes) likewise.
ours() { # PID NAME
	case $(cat "/proc/$1/comm" 2>/dev/null) in
	"$2" | ip | unshare | sh | setpriv | chroot) return 0 ;;
	*) return 1 ;;
	esac
}
stop_pid() {
	local pid=$1 name=$2 kids k i=0
	[ -n "$pid" ] || return 0
	ours "$pid" "$name" || return 0
	kids=$(cat "/proc/$pid/task/"*/children 2>/dev/null)
	kill -TERM "$pid" 2>/dev/null
	while [ -d "/proc/$pid" ] && [ "$i" -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ours "$pid" "$name" && kill -KILL "$pid" 2>/dev/null
	for k in $kids; do
		[ "$(cat "/proc/$k/comm" 2>/dev/null)" = "$name" ] && kill -KILL "$k" 2>/dev/null
	done
	wait "$pid" 2>/dev/null
	return 0
}

# wait_until SECONDS CMD...: runs CMD every 0.2 s until it succeeds (0) or
# SECONDS have passed (1)
wait_until() {
	local end=$(($(date +%s%N) / 1000000 + $1 * 1000))
	shift
	while :; do
		"$@" && return 0
		[ $(($(date +%s%N) / 1000000)) -lt "$end" ] || return 1
		sleep 0.2
	done
}

cleanup() {
	[ -n "$DPID" ] && stop_pid "$DPID" "$DNAME"
	[ -n "$UPSTREAM_PID" ] && stop_pid "$UPSTREAM_PID" chronyd
	local ns
	for ns in "$NS_C1" "$NS_C2" "$NS_U" "$NS_S"; do
		ip netns del "$ns" 2>/dev/null
	done
	for ns in "${STAGED[@]}"; do
		rm -rf "$ns"
	done
	rm -rf "$T_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

in_time() { [ $(($(date +%s) - T_START)) -lt "$MAX_SECONDS" ]; }

# --- four namespaces, three veth pairs -------------------------------------------
for ns in "$NS_S" "$NS_C1" "$NS_C2" "$NS_U"; do
	ip netns add "$ns" || skip_or_fail "cannot create network namespaces (ip netns add)"
	ip -n "$ns" link set lo up || skip_or_fail "cannot bring lo up in $ns"
done
veth() { # NS_A DEV_A ADDR_A NS_B DEV_B ADDR_B
	ip -n "$1" link add "$2" type veth peer name "$5" netns "$4" &&
		ip -n "$1" addr add "$3/24" dev "$2" && ip -n "$4" addr add "$6/24" dev "$5" &&
		ip -n "$1" link set "$2" up && ip -n "$4" link set "$5" up
}
if ! veth "$NS_S" vs1 "$S1" "$NS_C1" vc1 "$C1" || ! veth "$NS_S" vs2 "$S2" "$NS_C2" vc2 "$C2" ||
	! veth "$NS_S" vsu "$SU" "$NS_U" vu "$U"; then
	skip_or_fail "cannot set up the veth pairs"
fi
expect "C1, C2 and U each have one route, their own veth link (no way out of the namespaces)" \
	'(for ns in "$NS_C1" "$NS_C2" "$NS_U"; do [ "$(ip -n "$ns" route show | wc -l)" -eq 1 ] || exit 1; done)'

# --- running a daemon in S (or U) without clock control --------------------------
# sandboxed NS ROOT CMD...: runs CMD in namespace NS, in a new mount
# namespace with tmpfs over /run, /var/lib and /var/log (plus the folders the
# daemons want), a fake user `ntpd` for OpenNTPD, the rest of / read-only,
# and no CAP_SYS_TIME. With ROOT (a Debian 13 root) those folders are
# ROOT's, ROOT gets a /proc, and CMD runs through `chroot ROOT`. Every step
# execs, so $! is the daemon's PID.
sandboxed() {
	local ns=$1
	shift
	ip netns exec "$ns" unshare -m --propagation private sh -c '
		r=$1
		shift
		for d in /run /var/lib /var/log; do
			mount -t tmpfs -o mode=0755,size=16m ntpwiz-drdos "$r$d" || exit 1
		done
		for d in /run/chrony /var/lib/chrony /var/log/chrony /var/lib/ntpsec /var/log/ntpsec \
			/var/lib/ntp /var/lib/openntpd/run /var/lib/openntpd/db /run/openntpd; do
			mkdir -p "$r$d" || exit 1
		done
		if [ -n "$r" ]; then
			mount -t proc proc "$r/proc" || exit 1
			mount -o remount,bind,ro / 2>/dev/null
			exec setpriv --bounding-set=-sys_time --inh-caps=-all -- chroot "$r" "$@"
		fi
		mount --bind "$PASSWD" /etc/passwd || exit 1
		mount -o remount,bind,ro / 2>/dev/null
		exec setpriv --bounding-set=-sys_time --inh-caps=-all -- "$@"' drdos "$@" </dev/null &
}
# stage13 DAEMON FILE: copies FILE into this run's folder in DAEMON's Debian
# 13 root (made here, in the main shell, so cleanup removes it); prints the
# path inside the root
STAGED=()
declare -A STAGE13
for d in chrony ntpsec openntpd; do
	STAGE13[$d]=$(mktemp -d "${ROOT13[$d]}/tmp/ntpwiz-drdos.XXXXXX") || skip_or_fail "cannot write to ${ROOT13[$d]}/tmp"
	STAGED+=("${STAGE13[$d]}")
	chmod 755 "${STAGE13[$d]}"
done
stage13() {
	cp "$2" "${STAGE13[$1]}/" && echo "${STAGE13[$1]#"${ROOT13[$1]}"}/${2##*/}"
}
# A copy of /etc/passwd with OpenNTPD's privilege-separation user, whose home
# is the chroot OpenNTPD enters (Debian's package creates this user).
PASSWD=$T_TMP/passwd
export PASSWD
{
	grep -v '^ntpd:' /etc/passwd
	echo 'ntpd:x:64123:64123:OpenNTPD (test):/var/lib/openntpd:/usr/sbin/nologin'
} >"$PASSWD"

ntpq() { # NS ARGS...: NTPsec's ntpq (Python) from the cache, bounded
	local ns=$1
	shift
	ip netns exec "$ns" env PYTHONPATH="$NTP_PY" LD_LIBRARY_PATH="$NTPC_LIB" \
		timeout 20 python3 "$NTPQ" "$@" 2>&1
}
chronyc() { # NS ARGS...
	local ns=$1
	shift
	ip netns exec "$ns" timeout 10 "$CHRONYC" "$@" 2>&1
}
ntpctl() { # ARGS...: in the daemon's own mount namespace (its socket is there)
	if [ "$DGEN" = deb13 ]; then
		timeout 10 nsenter -t "$DPID" -m -n chroot "${ROOT13[openntpd]}" /usr/sbin/ntpctl "$@" 2>&1
	else
		timeout 10 nsenter -t "$DPID" -m -n "$NTPCTL" "$@" 2>&1
	fi
}
orgq() { # NS ARGS...: ntp.org's ntpq, bounded
	local ns=$1
	shift
	ip netns exec "$ns" timeout 20 "$NTPORG/ntpq" "$@" 2>&1
}
orgdc() { # NS ARGS...: ntp.org's ntpdc (mode 7), bounded
	local ns=$1
	shift
	ip netns exec "$ns" timeout 20 "$NTPORG/ntpdc" "$@" 2>&1
}

# probe NS KIND ADDR [OPTIONS]: prints ntpprobe.py's KEY=VALUE line
probe() {
	local ns=$1
	shift
	ip netns exec "$ns" timeout 20 python3 "$PROBE" "$@"
}

# --- the upstream server in U --------------------------------------------------------
cat >"$T_TMP/upstream.conf" <<EOF
# the test's time source: its own clock at stratum 3, for S only
local stratum 3
allow $SU/32
bindaddress $U
cmdport 0
EOF
sandboxed "$NS_U" "" "$CHRONYD" -x -d -u root -4 -f "$T_TMP/upstream.conf" >"$T_TMP/upstream.log" 2>&1
UPSTREAM_PID=$!
# bounded: until the exec chain reaches chronyd (0.5 s was too short under
# load 15 on 2 cores)
upstream_up() { [ "$(cat "/proc/$UPSTREAM_PID/comm" 2>/dev/null)" = chronyd ]; }
wait_until 5 upstream_up
if [ "$(cat "/proc/$UPSTREAM_PID/comm" 2>/dev/null)" != chronyd ]; then
	not_ok "the upstream chronyd runs in U"
	sed 's/^/#   /' "$T_TMP/upstream.log"
	finish
	exit 1
fi
ok "the upstream chronyd runs in U (PID $UPSTREAM_PID)"

# --- the daemon under test --------------------------------------------------------
# start_daemon DAEMON GEN CONF: starts it in S; sets DPID, DNAME, DLOG, DGEN
start_daemon() {
	local daemon=$1 gen=$2 conf=$3 c
	DLOG=$T_TMP/$daemon.$RANDOM.log
	DGEN=$gen
	DNAME=ntpd
	[ "$daemon" = chrony ] && DNAME=chronyd
	case $daemon:$gen in
	chrony:deb12) sandboxed "$NS_S" "" "$CHRONYD" -x -d -u root -4 -f "$conf" >"$DLOG" 2>&1 ;;
	ntpsec:deb12) sandboxed "$NS_S" "" "$NTPSEC" -n -c "$conf" >"$DLOG" 2>&1 ;;
	openntpd:deb12) sandboxed "$NS_S" "" "$OPENNTPD" -d -f "$conf" >"$DLOG" 2>&1 ;;
	ntp:ntporg) sandboxed "$NS_S" "" "$NTPORG/ntpd" -n -c "$conf" >"$DLOG" 2>&1 ;;
	*:deb13)
		c=$(stage13 "$daemon" "$conf") || return 1
		case $daemon in
		chrony) sandboxed "$NS_S" "${ROOT13[chrony]}" /usr/sbin/chronyd -x -d -u root -4 -f "$c" ;;
		ntpsec) sandboxed "$NS_S" "${ROOT13[ntpsec]}" /usr/sbin/ntpd -n -c "$c" ;;
		openntpd) sandboxed "$NS_S" "${ROOT13[openntpd]}" /usr/sbin/ntpd -d -f "$c" ;;
		esac >"$DLOG" 2>&1 ;;
	esac
	DPID=$!
	# bounded: until the exec chain has reached the daemon (or it failed)
	wait_until 3 is_daemon
}
is_daemon() { [ "$(cat "/proc/$DPID/comm" 2>/dev/null)" = "$DNAME" ]; }
stop_daemon() {
	stop_pid "$DPID" "$DNAME"
	DPID=
}

# local_monitor DAEMON: the daemon's monitor, run in S on localhost; prints
# its output, succeeds when it shows the daemon answered
local_monitor() {
	local out
	case $1 in
	chrony)
		out=$(ip netns exec "$NS_S" timeout 2 "$CHRONYC" -h 127.0.0.1 -n tracking 2>&1)
		printf '%s\n' "$out"
		[[ $out == *"Reference ID"* ]] ;;
	ntpsec)
		out=$(ntpq "$NS_S" -c 'timeout 500' -c rv 127.0.0.1)
		printf '%s\n' "$out"
		[[ $out == *"version="* ]] ;;
	ntp)
		out=$(orgq "$NS_S" -c 'timeout 500' -c rv 127.0.0.1)
		printf '%s\n' "$out"
		[[ $out == *"version="* ]] ;;
	openntpd)
		out=$(ntpctl -s status)
		printf '%s\n' "$out"
		[[ $out == *"peers valid"* ]] ;;
	esac
}
local_monitor_quiet() { is_daemon && local_monitor "$1" >/dev/null; }
# synced DAEMON: the daemon selected U as its source
synced() {
	case $1 in
	chrony) ip netns exec "$NS_S" timeout 2 "$CHRONYC" -h 127.0.0.1 -n -c sources 2>&1 | grep -q "^\\^,\\*,$U," ;;
	ntpsec) ntpq "$NS_S" -c 'timeout 500' -pn 127.0.0.1 | grep -q "^\\*$U " ;;
	ntp) orgq "$NS_S" -c 'timeout 500' -pn 127.0.0.1 | grep -q "^\\*$U " ;;
	*) return 1 ;;
	esac
}

# render DAEMON POLICY OUT: ntpwiz's config for the test profile
render() {
	local daemon=$1 policy=$2 poll="" allow=""
	case $daemon in
	chrony) poll="minpoll = -2; maxpoll = -2;" ;;
	ntpsec) poll="minpoll = 0; maxpoll = 0;" ;;
	ntp) poll="minpoll = 3; maxpoll = 3;" ;;
	esac
	[ "$policy" = lan ] && allow="allow = [ \"$LAN\" ];"
	cat >"$T_TMP/profile.cfg" <<EOF
version = 1;
daemon = "chrony";
servers = ( { host = "$U"; kind = "server"; iburst = true; $poll } );
leap = { mode = "step"; };
restrict = { policy = "$policy"; $allow };
EOF
	root=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
	run_ntpwiz render "$T_TMP/profile.cfg" --daemon "$daemon" --root "$root"
	cp "$T_TMP/out" "$3"
}

# adapt DAEMON IN OUT: only what DAEMONS.md requires for safety
adapt() {
	case $1 in
	ntpsec | ntp)
		{
			echo 'disable ntp'
			echo 'disable kernel'
			cat "$2"
			echo
			echo 'disable ntp'
			echo 'disable kernel'
		} >"$3" ;;
	*) cp "$2" "$3" ;;
	esac
}

# --- the checks -------------------------------------------------------------------
# Probes run in parallel where they cannot disturb each other (different
# client addresses, or no service at all), each into its own result file;
# the assertions read the files afterwards. Within one client address the
# order is kept: a single time request, then the control queries, then the
# burst, so the burst's rate limiting is not confused with earlier traffic.
R=$T_TMP/r
mkdir -p "$R"
# waitp PID...: waits for these background jobs only (a bare `wait` would
# also wait for the daemons); P collects them
waitp() {
	local p
	for p in "$@"; do wait "$p"; done
}
P=()
pr() { # NAME NS ARGS...: probe into $R/NAME
	local name=$1
	shift
	probe "$@" >"$R/$name" 2>&1
}
# pv NAME KEY: one value of the probe result $R/NAME ("?" if missing)
pv() {
	local line
	line=" $(<"$R/$1") "
	if [[ $line =~ \ $2=([^ ]*)\  ]]; then
		echo "${BASH_REMATCH[1]}"
	else
		echo "?"
	fi
}
# controls NAME NS ADDR: mode 6, mode 7 and ntpq -c rv from NS, in parallel;
# against ntp.org's ntpd (DNAME_IS=ntp) its own ntpq and ntpdc -c monlist
controls() {
	local name=$1 ns=$2 addr=$3 P=()
	pr "$name.m6" "$ns" mode6 "$addr" --wait 1 & P+=($!)
	pr "$name.m7" "$ns" mode7 "$addr" --wait 1 & P+=($!)
	if [ "${CUR_DAEMON-}" = ntp ]; then
		orgq "$ns" -c 'timeout 1500' -c rv "$addr" >"$R/$name.ntpq" & P+=($!)
		orgdc "$ns" -c 'timeout 1500' -c monlist -c sysinfo "$addr" >"$R/$name.ntpdc" & P+=($!)
	else
		ntpq "$ns" -c 'timeout 1500' -c rv "$addr" >"$R/$name.ntpq" & P+=($!)
	fi
	waitp "${P[@]}"; P=()
}
# cmdport NAME NS ADDR: chrony's command port, raw and with chronyc
cmdport() {
	local P=()
	pr "$1.cmd" "$2" cmd "$3" --wait 1 & P+=($!)
	chronyc "$2" -h "$3" -n tracking >"$R/$1.chronyc" & P+=($!)
	waitp "${P[@]}"; P=()
}
expect_controls() { # NAME NSLABEL ADDR TAG
	local name=$1 who=$2 addr=$3 tag=$4
	expect "$tag: no answer to a mode 6 READVAR (12 bytes) from $who ($(pv "$name.m6" replies) replies)" \
		'[ "$(pv "$name.m6" sent)" = 1 ] && [ "$(pv "$name.m6" replies)" = 0 ]'
	expect "$tag: no answer to a mode 7 MON_GETLIST_1 (48 bytes) from $who ($(pv "$name.m7" replies) replies)" \
		'[ "$(pv "$name.m7" sent)" = 1 ] && [ "$(pv "$name.m7" replies)" = 0 ]'
	expect "$tag: 'ntpq -c rv $addr' from $who gets no variables ($(grep -m1 . "$R/$name.ntpq" | tr -d '*'))" \
		'! grep -q "version=" "$R/$name.ntpq"'
	if [ "${CUR_DAEMON-}" = ntp ]; then
		expect "$tag: 'ntpdc -c monlist -c sysinfo $addr' from $who gets no answer ($(grep -m1 . "$R/$name.ntpdc" | tr -d '*'))" \
			'grep -q "timed out" "$R/$name.ntpdc" && ! ntpdc_answered "$R/$name.ntpdc"'
	fi
}
# ntpdc got an answer: a list, a sysinfo, or an error the server sent
# (each observed in the controls below)
ntpdc_answered() { grep -qE '^remote address|^system peer:|^\*\*\*Server reports' "$1"; }
expect_cmdport() { # NAME NSLABEL ADDR TAG
	local name=$1 who=$2 addr=$3 tag=$4
	expect "$tag: chrony's command port UDP 323 does not answer $who ($(pv "$name.cmd" replies) replies)" \
		'[ "$(pv "$name.cmd" sent)" = 1 ] && [ "$(pv "$name.cmd" replies)" = 0 ]'
	expect "$tag: 'chronyc -h $addr tracking' from $who gets nothing ($(head -n 1 "$R/$name.chronyc"))" \
		'! grep -q "Reference ID" "$R/$name.chronyc"'
}
# no larger reply than request, over every time probe named
expect_no_amplification() { # TAG NAME...
	local tag=$1 n big=0 worst=0 m
	shift
	for n in "$@"; do
		m=$(pv "$n" max_reply_bytes)
		[ "$m" -gt "$(pv "$n" min_request_bytes)" ] && big=1
		[ "$m" -gt "$worst" ] && worst=$m
	done
	expect "$tag: no reply larger than its request (48 bytes; largest reply $worst)" '[ "$big" = 0 ]'
}

SUMMARY=()
note() { SUMMARY+=("$*"); echo "# $*"; }
burst_note() { # NAME
	echo "sent $(pv "$1" sent), replies $(pv "$1" replies): served $(pv "$1" served), KoD $(pv "$1" kod) ($(pv "$1" kod_codes))"
}

# run_case DAEMON GEN POLICY
run_case() {
	local daemon=$1 gen=$2 policy=$3 tag conf mon t0 P=()
	tag="$daemon $(daemons_version "$daemon" "$gen")/$policy"
	CUR_DAEMON=$daemon
	in_time || { not_ok "$tag: out of time (the whole test may take $MAX_SECONDS s)"; return; }
	rm -f "$R"/*
	render "$daemon" "$policy" "$T_TMP/$daemon-$policy.rendered"
	if [ "$daemon" = openntpd ] && [ "$policy" = lan ] && [ "$gen" != deb12 ]; then
		return # refused by ntpwiz: checked once, with deb12
	fi
	if [ "$daemon" = openntpd ] && [ "$policy" = lan ]; then
		expect "$tag: ntpwiz refuses it (exit 1) and says why" \
			'[ "$RC" -eq 1 ] && contains "$ERR" "OpenNTPD cannot serve only some networks"'
		note "$tag: refused by ntpwiz (OpenNTPD has no client access list); nothing to run"
		return
	fi
	expect "$tag: ntpwiz render exit 0" '[ "$RC" -eq 0 ]' || return
	conf=$T_TMP/$daemon-$policy.conf
	adapt "$daemon" "$T_TMP/$daemon-$policy.rendered" "$conf"
	t0=$(date +%s)
	start_daemon "$daemon" "$gen" "$conf"

	# Localhost monitoring, which also tells us the daemon is up.
	if wait_until 15 local_monitor_quiet "$daemon"; then mon=0; else mon=1; fi
	local_monitor "$daemon" >"$T_TMP/mon"
	expect "$tag: the daemon runs in S and answers its local monitor ($(head -n 1 "$T_TMP/mon"))" '[ "$mon" = 0 ]'
	if [ "$mon" != 0 ]; then
		sed 's/^/#   /' "$DLOG" "$T_TMP/mon" | tail -n 30
		stop_daemon
		return
	fi
	if [ "$daemon" != openntpd ]; then
		wait_until 25 synced "$daemon"
		expect "$tag: it syncs to U ($U) through ntpwiz's restrict lines (after $(($(date +%s) - t0)) s)" 'synced "$daemon"'
	fi

	case $policy in
	client-only)
		pr c1.time "$NS_C1" time "$S1" --count 3 --spread 0.5 --wait 1 & P+=($!)
		controls c1 "$NS_C1" "$S1" & P+=($!)
		[ "$daemon" = chrony ] && cmdport c1 "$NS_C1" "$S1" & P+=($!)
		waitp "${P[@]}"; P=()
		expect "$tag: no answer to 3 time requests (mode 3) from C1 ($(pv c1.time replies) replies)" \
			'[ "$(pv c1.time sent)" = 3 ] && [ "$(pv c1.time replies)" = 0 ]'
		expect_controls c1 C1 "$S1" "$tag"
		note "$tag: C1: 3 time requests, $(pv c1.time replies) replies ($(pv c1.time icmp_refused) ICMP port unreachable); mode 6/7: no reply"
		;;
	lan)
		{
			pr c1.time "$NS_C1" time "$S1"
			controls c1 "$NS_C1" "$S1"
			[ "$daemon" = chrony ] && cmdport c1 "$NS_C1" "$S1"
			sleep 1
			pr c1.burst "$NS_C1" time "$S1" --count 30 --spread 1 --wait 1
		} & P+=($!)
		{
			pr c2.time "$NS_C2" time "$S2" --count 3 --spread 0.5 --wait 1
			controls c2 "$NS_C2" "$S2"
		} & P+=($!)
		waitp "${P[@]}"; P=()
		expect "$tag: time answered for C1, inside $LAN (48 -> $(pv c1.time reply_bytes) bytes)" \
			'[ "$(pv c1.time served)" = 1 ]'
		expect "$tag: no time for C2, outside $LAN ($(pv c2.time sent) sent, $(pv c2.time replies) replies)" \
			'[ "$(pv c2.time sent)" = 3 ] && [ "$(pv c2.time replies)" = 0 ]'
		expect_controls c1 C1 "$S1" "$tag"
		expect_controls c2 C2 "$S2" "$tag"
		expect "$tag: a burst of 30 in 1 s from C1 is rate limited ($(burst_note c1.burst))" \
			'[ "$(pv c1.burst served)" -ge 1 ] && [ "$(pv c1.burst served)" -lt 30 ]'
		expect_no_amplification "$tag" c1.time c1.burst
		note "$tag: C1 time 48 -> $(pv c1.time reply_bytes) bytes; C2: 3 sent, $(pv c2.time replies) replies; C1 burst: $(burst_note c1.burst); mode 6/7: no reply"
		;;
	public)
		{
			pr c1.time "$NS_C1" time "$S1"
			controls c1 "$NS_C1" "$S1"
			[ "$daemon" = chrony ] && cmdport c1 "$NS_C1" "$S1"
		} & P+=($!)
		pr c2.burst "$NS_C2" time "$S2" --count 30 --spread 1 --wait 1 & P+=($!)
		waitp "${P[@]}"; P=()
		expect "$tag: time answered for C1 (48 -> $(pv c1.time reply_bytes) bytes)" \
			'[ "$(pv c1.time served)" = 1 ]'
		expect_controls c1 C1 "$S1" "$tag"
		if [ "$daemon" = openntpd ]; then
			expect "$tag: OpenNTPD answers all of a 1 s burst: no rate limiting, as ntpwiz warns in the file ($(burst_note c2.burst))" \
				'[ "$(pv c2.burst served)" = 30 ] && grep -q "^# WARNING: OpenNTPD has no rate limiting" "$conf"'
		else
			expect "$tag: a burst of 30 in 1 s from C2 is rate limited ($(burst_note c2.burst))" \
				'[ "$(pv c2.burst served)" -ge 1 ] && [ "$(pv c2.burst served)" -lt 30 ]'
		fi
		expect_no_amplification "$tag" c1.time c2.burst
		note "$tag: C1 time 48 -> $(pv c1.time reply_bytes) bytes; C2 burst: $(burst_note c2.burst); mode 6/7: no reply"
		;;
	esac
	[ "$daemon" = chrony ] && expect_cmdport c1 C1 "$S1" "$tag"

	if local_monitor "$daemon" >"$T_TMP/mon"; then mon=0; else mon=1; fi
	expect "$tag: localhost monitoring still works after the probes" '[ "$mon" = 0 ]'
	expect "$tag: the daemon is still running" 'is_daemon'
	stop_daemon
}

# DRDOS_DAEMONS (DAEMON:GEN words) / DRDOS_POLICIES narrow the run when
# debugging by hand.
for dg in ${DRDOS_DAEMONS:-chrony:deb12 chrony:deb13 ntpsec:deb12 ntpsec:deb13 ntp:ntporg openntpd:deb12 openntpd:deb13}; do
	for policy in ${DRDOS_POLICIES:-client-only lan public}; do
		run_case "${dg%:*}" "${dg#*:}" "$policy"
	done
done

# --- negative controls: the same checks DO fail on unsafe configs ------------------
in_time || not_ok "negative controls: out of time"

# NTPsec with a LAN restrict line that lacks noquery answers mode 6 from C1.
# (Observed: NTPsec 1.2.2 refuses remote mode 6 under a bare `restrict
# default`, and with no restrict line at all; a network's own line without
# noquery opens it, which is why ntpwiz's lan lines carry noquery.)
CUR_DAEMON=ntpsec
{
	echo 'disable ntp'
	echo 'disable kernel'
	echo "server $U iburst minpoll 3 maxpoll 3"
	echo 'restrict default'
	echo "restrict ${LAN%/*} mask 255.255.255.0 kod limited nomodify"
	echo 'restrict 127.0.0.1'
	echo 'disable ntp'
	echo 'disable kernel'
} >"$T_TMP/unsafe-ntpsec.conf"
for gen in deb12 deb13; do
	v="NTPsec $(daemons_version ntpsec $gen)"
	start_daemon ntpsec $gen "$T_TMP/unsafe-ntpsec.conf"
	wait_until 15 local_monitor_quiet ntpsec
	rm -f "$R"/*
	controls x "$NS_C1" "$S1"
	expect "control: $v with 'restrict ${LAN%/*} mask 255.255.255.0 kod limited nomodify' (no noquery) answers mode 6 from C1 with more bytes (12 -> $(pv x.m6 reply_bytes))" \
		'[ "$(pv x.m6 replies)" -ge 1 ] && [ "$(pv x.m6 max_reply_bytes)" -gt 12 ]'
	expect "control: ... and 'ntpq -c rv $S1' from C1 gets its variables" 'grep -q "version=" "$R/x.ntpq"'
	note "control: $v LAN line without noquery: mode 6 READVAR 12 bytes -> $(pv x.m6 reply_bytes) bytes"
	stop_daemon
done

# ntp.org's ntpd 4.2.8p10: a restrict line without noquery answers mode 6
# (raw READVAR and its own `ntpq -c rv`) from C1, 12 -> about 400 bytes; mode
# 7 needs `enable mode7` as well (4.2.8 has it off by default), and then
# `ntpdc -c sysinfo` is answered; the monlist of CVE-2013-5211 itself is
# answered with "data not found" (8 bytes) by this version.
CUR_DAEMON=ntp
for m7 in off on; do
	{
		echo 'disable ntp'
		echo 'disable kernel'
		echo "server $U iburst minpoll 3 maxpoll 3"
		echo 'restrict default kod limited nomodify notrap nopeer'
		echo 'restrict 127.0.0.1'
		[ "$m7" = on ] && echo 'enable mode7'
		echo 'disable ntp'
		echo 'disable kernel'
	} >"$T_TMP/unsafe-ntporg-$m7.conf"
	start_daemon ntp ntporg "$T_TMP/unsafe-ntporg-$m7.conf"
	wait_until 15 local_monitor_quiet ntp
	rm -f "$R"/*
	# the monlist lists clients that sent time requests: send one first
	pr x.time "$NS_C1" time "$S1"
	controls x "$NS_C1" "$S1"
	what="ntp.org 4.2.8p10 with 'restrict default kod limited nomodify notrap nopeer' (no noquery)"
	[ "$m7" = on ] && what="$what and 'enable mode7'"
	expect "control: $what answers mode 6 from C1 with more bytes (12 -> $(pv x.m6 reply_bytes))" \
		'[ "$(pv x.m6 replies)" -ge 1 ] && [ "$(pv x.m6 max_reply_bytes)" -gt 12 ]'
	expect "control: ... and ntp.org's 'ntpq -c rv $S1' from C1 gets its variables" 'grep -q "version=" "$R/x.ntpq"'
	if [ "$m7" = on ]; then
		# 4.2.8p10 answers every monlist with INFO_ERR_NODATA (its
		# mon_getlist() does nothing else since 4.2.7p26): 8 bytes
		expect "control: ... and answers mode 7 from C1 (MON_GETLIST_1 48 -> $(pv x.m7 reply_bytes) bytes)" \
			'[ "$(pv x.m7 replies)" -ge 1 ]'
		expect "control: ... 'ntpdc -c monlist -c sysinfo $S1' from C1: monlist 'data not found', sysinfo answered" \
			'grep -q "Server reports data not found" "$R/x.ntpdc" && grep -q "^system peer:" "$R/x.ntpdc"'
		sed 's/^/#   ntpdc: /' "$R/x.ntpdc" | head -n 6
	else
		expect "observed: without 'enable mode7' it does not answer mode 7 ($(pv x.m7 replies) replies; $(grep -m1 . "$R/x.ntpdc" | tr -d '*'))" \
			'[ "$(pv x.m7 replies)" = 0 ] && ! ntpdc_answered "$R/x.ntpdc"'
	fi
	note "control: $what: mode 6 READVAR 12 -> $(pv x.m6 reply_bytes) bytes; mode 7 MON_GETLIST_1 48 -> $(pv x.m7 reply_bytes) bytes ($(pv x.m7 replies) replies)"
	stop_daemon
done
CUR_DAEMON=chrony

# chrony with `allow all`, no ratelimit, and its command port open to all.
cat >"$T_TMP/unsafe-chrony.conf" <<EOF
server $U iburst minpoll -2 maxpoll -2
allow all
bindcmdaddress 0.0.0.0
cmdallow all
EOF
for gen in deb12 deb13; do
	v="chrony $(daemons_version chrony $gen)"
	start_daemon chrony $gen "$T_TMP/unsafe-chrony.conf"
	wait_until 15 local_monitor_quiet chrony
	rm -f "$R"/*
	pr x.burst "$NS_C2" time "$S2" --count 30 --spread 1 --wait 1 & P+=($!)
	cmdport x "$NS_C1" "$S1" & P+=($!)
	waitp "${P[@]}"; P=()
	expect "control: $v 'allow all' without ratelimit answers the whole burst ($(burst_note x.burst))" \
		'[ "$(pv x.burst served)" = 30 ]'
	expect "control: $v with 'cmdallow all' answers UDP 323 from C1 ($(pv x.cmd reply_bytes) bytes) and chronyc there" \
		'[ "$(pv x.cmd replies)" -ge 1 ] && grep -q "Reference ID" "$R/x.chronyc"'
	note "control: $v 'allow all', no ratelimit: burst $(burst_note x.burst); 'cmdallow all': UDP 323 request $(pv x.cmd request_bytes) -> reply $(pv x.cmd reply_bytes) bytes"
	stop_daemon
done

echo "# summary:"
printf '#   %s\n' "${SUMMARY[@]}"
echo "# took $(($(date +%s) - T_START)) s"
finish
