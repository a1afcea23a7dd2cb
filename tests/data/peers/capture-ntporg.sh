#!/bin/bash
# capture-ntporg.sh OUTDIR: captures ntp.org ntpq 4.2.8p10's output from a
# real ntpd 4.2.8p10 (built by tests/lib/daemons.sh) for tests/data/peers.
# Run by hand as root; not part of make check.
#
#   S  10.231.93.1 chronyd `local stratum 3`, 10.231.93.5 chronyd stratum 5
#   C  10.231.93.2 ntp.org ntpd (disable ntp, disable kernel, no
#      CAP_SYS_TIME) with those two servers and 10.231.93.9 (nobody)
#
# Writes OUTDIR/ntporg-*.txt|.out|.err (see tests/data/peers/README).
# Safety as tests/lib/netns.sh: private namespaces, no clock control, our
# PIDs only, bounded waits.
set -u
: "${srcdir:=$(cd "$(dirname "$0")/../../.." && pwd)}"
. "$srcdir/tests/lib/daemons.sh"
. "$srcdir/tests/lib/netns.sh"
out=${1:?usage: capture-ntporg.sh OUTDIR}
mkdir -p "$out"
tmp=$(mktemp -d /tmp/ntpwiz-capture.XXXXXX)
S=ntpwiz-cap-s-$$
C=ntpwiz-cap-c-$$
trap 'netns_cleanup; rm -rf "$tmp"' EXIT
daemons_fetch && bin=$(daemons_ntporg_dir) || exit 1
netns_pair "$S" "$C" 10.231.93.1 10.231.93.2 || exit 1
ip -n "$S" addr add 10.231.93.5/30 dev vs 2>/dev/null ||
	ip -n "$S" addr add 10.231.93.5/32 dev vs
ip -n "$C" route add 10.231.93.5/32 dev vc
ip -n "$C" route add 10.231.93.9/32 dev vc
for a in 1:3 5:5; do
	printf 'local stratum %s\nallow 10.231.93.2/32\nbindaddress 10.231.93.%s\ncmdport 0\n' \
		"${a#*:}" "${a%:*}" >"$tmp/s${a%:*}.conf"
	netns_start_chronyd "$S" "$tmp/s${a%:*}.conf" "$tmp/s${a%:*}.log" -4 || exit 1
done
ntpq() { netns_run "$C" env PATH="$bin:$PATH" ntpq "$@"; }
rvpeers() { ntpq -n -c "rv 0 leap,stratum,refid,reftime" -c peers; }

# unsynced: only the dead server
cat >"$tmp/unsync.conf" <<EOF
disable ntp
disable kernel
restrict default ignore
restrict 127.0.0.1
server 10.231.93.9 iburst minpoll 3 maxpoll 3
disable ntp
disable kernel
EOF
netns_start_gen ntp ntporg "$C" "$tmp/unsync.conf" "$tmp/unsync.log" || exit 1
pid=$NETNS_PID
sleep 12
rvpeers >"$out/ntporg-unsynced.txt" 2>&1
ntpq -pn >"$out/ntporg-pn-unsynced.txt" 2>&1
netns_stop "$pid"

# synced: two servers and the dead one
cat >"$tmp/sync.conf" <<EOF
disable ntp
disable kernel
restrict default ignore
restrict 127.0.0.1
restrict 10.231.93.1 nomodify notrap nopeer noquery
restrict 10.231.93.5 nomodify notrap nopeer noquery
server 10.231.93.1 iburst minpoll 3 maxpoll 3
server 10.231.93.5 iburst minpoll 3 maxpoll 3
server 10.231.93.9 iburst minpoll 3 maxpoll 3
disable ntp
disable kernel
EOF
netns_start_gen ntp ntporg "$C" "$tmp/sync.conf" "$tmp/sync.log" || exit 1
pid=$NETNS_PID
for _ in $(seq 1 120); do
	ntpq -pn 2>/dev/null | grep -q '^\*' && break
	sleep 0.5
done
sleep 20
rvpeers >"$out/ntporg-synced.txt" 2>&1
ntpq -pn >"$out/ntporg-pn-synced.txt" 2>&1
netns_stop "$pid"

# not running: stdout and stderr apart, and the exit status
ntpq -pn >"$out/ntporg-not-running.out" 2>"$out/ntporg-not-running.err"
echo "ntpq -pn exit status with no ntpd: $?"
head -n 3 "$tmp"/*.log
