#!/bin/bash
#
# tests/integration/daemon-parsers.sh - every golden config is accepted by
# the real daemon's own parser (automake test: exit 0 pass, 1 fail, 77 skip).
#
#   GOLDEN_DIR   folder with PROFILE.DAEMON.conf files
#                (default: $srcdir/tests/data/golden), DAEMON one of
#                ntp ntpsec chrony openntpd timesyncd
#   CI           when set, a missing prerequisite fails instead of skipping
#
# Every file goes through every generation of its daemon (daemons_gens):
# Debian 12's chrony 4.3, NTPsec 1.2.2 and OpenNTPD 6.2p3, Debian 13's chrony
# 4.6.1, NTPsec 1.2.3 and OpenNTPD 6.2p3 (in trixie roots, through chroot),
# and ntp.org's ntpd 4.2.8p10 for the ntp files.
#
# Also runs negative controls: for each checker and generation a
# deliberately broken config must be rejected (for the reason we expect) and
# a small good one accepted, so a checker that silently accepts everything
# cannot make this test pass.  And one check that needs no ntpwiz at all:
# Debian 13's own stock chrony.conf (leapseclist) passes chrony 4.6.1 and is
# refused by chrony 4.3 at its leapseclist line.
# See tests/lib/daemons.sh for how each daemon is run (safely: no clock
# control, private namespaces, nothing written outside temp folders).

srcdir=${srcdir:-$(dirname "$0")/../..}
GOLDEN_DIR=${GOLDEN_DIR:-$srcdir/tests/data/golden}

# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh" || exit 99

skip_or_fail() { daemons_skip_or_fail "$@"; }
if ! daemons_fetch; then
	skip_or_fail "cannot download the daemon packages (apt-get download chrony ntpsec python3-ntp openntpd)"
fi
if ! daemons_can_isolate; then
	skip_or_fail "cannot create private network/mount/PID namespaces (needs root or user namespaces, unshare, setpriv, ip)"
fi
for d in chrony ntpsec openntpd ntp; do
	for g in $(daemons_gens "$d"); do
		daemons_prepare "$d" "$g" || skip_or_fail "no $d of generation $g (see above)"
		echo "# $d ($g): version $(daemons_version "$d" "$g")"
	done
done

passed=0
failed=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ntpwiz-daemon-parsers.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

ok() {
	echo "ok - $1"
	passed=$((passed + 1))
}

not_ok() {	# NAME [DETAILS]
	echo "not ok - $1"
	[ -n "${2-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'
	failed=$((failed + 1))
}

# --- golden files -----------------------------------------------------------

declare -A seen=()
if [ -d "$GOLDEN_DIR" ]; then
	for f in "$GOLDEN_DIR"/*.conf; do
		[ -e "$f" ] || continue
		name=${f##*/}
		daemon=${name%.conf}
		daemon=${daemon##*.}
		case $daemon in
		ntp | ntpsec | chrony | openntpd | timesyncd) ;;
		*)
			not_ok "$name" "unknown daemon '$daemon' in the name (want PROFILE.DAEMON.conf, DAEMON ntp|ntpsec|chrony|openntpd|timesyncd)"
			continue ;;
		esac
		seen[$daemon]=1
		for gen in $(daemons_gens "$daemon"); do
			if msg=$(daemon_check "$daemon" "$f" "$gen" 2>&1); then
				ok "$name ($gen)"
			else
				not_ok "$name ($gen)" "$msg"
			fi
		done
	done
fi
for daemon in chrony ntpsec openntpd ntp; do
	if [ -z "${seen[$daemon]-}" ]; then
		not_ok "golden: no *.$daemon.conf in $GOLDEN_DIR (a test that checks nothing must not pass)"
	fi
done

# --- negative and positive controls -----------------------------------------

# control DAEMON EXPECT NAME REGEX CONTENT
#   EXPECT accept: daemon_check must succeed.
#   EXPECT reject: daemon_check must fail with status 1 and its message must
#   match REGEX (so it fails for the reason we planted, not another one).
# Each control runs on every generation of DAEMON (CONTROL_GENS overrides).
control() {
	local daemon=$1 expect=$2 name=$3 re=$4 content=$5 f msg rc gen
	f=$tmp/$name.$daemon.conf
	printf '%s\n' "$content" >"$f"
	for gen in ${CONTROL_GENS:-$(daemons_gens "$daemon")}; do
		msg=$(daemon_check "$daemon" "$f" "$gen" 2>&1)
		rc=$?
		if [ "$expect" = accept ]; then
			if [ "$rc" = 0 ]; then
				ok "control: $daemon ($gen) accepts $name"
			else
				not_ok "control: $daemon ($gen) accepts $name" "$msg"
			fi
		elif [ "$rc" = 1 ] && printf '%s\n' "$msg" | grep -qE -- "$re"; then
			ok "control: $daemon ($gen) rejects $name"
		else
			not_ok "control: $daemon ($gen) rejects $name (status $rc, want 1 and /$re/)" "$msg"
		fi
	done
}

control chrony accept good '' \
'pool 2.debian.pool.ntp.org iburst maxsources 4
server ntp.example.org iburst minpoll 4 maxpoll 10
driftfile /var/lib/chrony/chrony.drift
makestep 1 3
rtcsync
leapsectz right/UTC'
control chrony reject syntax-error 'Fatal error.*line 1' \
'server ntp.example.org iburst bogusoption'
control chrony reject trailing-comment 'Fatal error.*line 2' \
'driftfile /var/lib/chrony/chrony.drift
pool 2.debian.pool.ntp.org iburst # comment'

control ntpsec accept good '' \
'driftfile /var/lib/ntpsec/ntp.drift
leapfile /usr/share/zoneinfo/leap-seconds.list
pool 0.debian.pool.ntp.org iburst
server ntp.example.org iburst
restrict default kod limited nomodify noquery
restrict 127.0.0.1
restrict ::1'
control ntpsec reject syntax-error 'line 2 column [0-9]+ syntax error' \
'restrict default kod limited nomodify noquery
server ntp.example.org iburst bogusoption'
control ntpsec reject ignored-nopeer 'restrict nopeer ignored' \
'restrict default kod limited nomodify nopeer noquery'
control ntpsec reject unknown-flag-lowpriotrap 'line 1 column [0-9]+ syntax error' \
'restrict default kod limited nomodify noquery lowpriotrap'
control ntpsec reject leapsmear 'LEAP_SMEAR' \
'leapsmearinterval 86400'
control ntpsec reject invalid-address 'invalid address 224\.0\.1\.1' \
'server 224.0.1.1 iburst'

control ntp accept good '' \
'driftfile /var/lib/ntp/ntp.drift
pool 0.debian.pool.ntp.org iburst
restrict -4 default kod notrap nomodify nopeer noquery limited
restrict -6 default kod notrap nomodify nopeer noquery limited
restrict 127.0.0.1
restrict ::1
restrict source notrap nomodify noquery'
control ntp reject syntax-error 'line 2 column [0-9]+ syntax error' \
'restrict -4 default kod notrap nomodify nopeer noquery limited
server ntp.example.org iburst bogusoption'
control ntp reject unknown-flag 'line 1 column [0-9]+ syntax error' \
'restrict default kod limited nomodify noquery nosuchflag'
control ntp reject unknown-keyword 'line 2 column 0 syntax error' \
'driftfile /var/lib/ntp/ntp.drift
leapsecmode slew'
control ntp reject leapsmear 'Built without LEAP_SMEAR support' \
'leapsmearinterval 86400'
control ntp reject missing-include "getconfig: Couldn't open </nonexistent/ntp.conf>" \
'includefile /nonexistent/ntp.conf'

control openntpd accept good '' \
'servers pool.ntp.org
server ntp.example.org weight 5
listen on *'
control openntpd reject syntax-error ':1: syntax error' \
'servers pool.ntp.org iburst'

control timesyncd accept good '' \
'# ntpwiz drop-in
[Time]
NTP=0.debian.pool.ntp.org 192.0.2.1 2001:db8::1
FallbackNTP=
PollIntervalMaxSec=34min 8s'
control timesyncd reject trailing-backslash ':3: line ends in a backslash' \
'[Time]
NTP=0.debian.pool.ntp.org
FallbackNTP=1.debian.pool.ntp.org \
RootDistanceMaxSec=5'
control timesyncd reject no-section ':1: first line' \
'NTP=0.debian.pool.ntp.org'
control timesyncd reject bad-host ':2: NTP: not a host name' \
'[Time]
NTP=a.example.org;rm'
control timesyncd reject unknown-key ':2: unknown key' \
'[Time]
Servers=a.example.org'

# --- Debian 13's own chrony.conf: a check without ntpwiz ------------------------------
# The stock file of Debian 13's chrony package uses leapseclist (chrony >=
# 4.6): chrony 4.6.1 accepts it, 4.3 refuses it at that line.
stock13=$tmp/debian13-chrony.conf
if cp "$(daemons_root13 chrony)/etc/chrony/chrony.conf" "$stock13"; then
	line=$(grep -n '^leapseclist ' "$stock13" | cut -d: -f1)
	if [ -n "$line" ]; then
		ok "Debian 13's stock chrony.conf says leapseclist (line $line)"
	else
		not_ok "Debian 13's stock chrony.conf says leapseclist"
	fi
	if msg=$(daemon_check chrony "$stock13" deb13 2>&1); then
		ok "Debian 13's stock chrony.conf: chrony 4.6.1 accepts it"
	else
		not_ok "Debian 13's stock chrony.conf: chrony 4.6.1 accepts it" "$msg"
	fi
	msg=$(daemon_check chrony "$stock13" deb12 2>&1)
	rc=$?
	if [ "$rc" = 1 ] && printf '%s\n' "$msg" | grep -q "Invalid directive at line ${line:-?} in file $stock13"; then
		ok "Debian 13's stock chrony.conf: chrony 4.3 refuses its leapseclist line"
	else
		not_ok "Debian 13's stock chrony.conf: chrony 4.3 refuses its leapseclist line (status $rc)" "$msg"
	fi
else
	not_ok "Debian 13's stock chrony.conf can be read from the root"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] || exit 1
exit 0
