#!/bin/bash
# tests/vm/ntporg-deb.sh - Debian packages `ntp` and `ntpdate` of ntp.org's
# own 4.2.8p10 (thirdparty/ntp-4.2.8p10.tar.gz), for the real-host tier's
# seed state (tests/vm/sc-ntporg.sh): the seeds ran ntp.org's ntpd and
# ntpdate from Debian/Ubuntu packages; Debian 12 and 13 have none (their
# ntp is NTPsec). Prints the folder that holds the two .debs:
#
#   DIR/ntp_4.2.8p10-0ntpwiz1_amd64.deb       (version 2:4.2.8p10-0ntpwiz1)
#   DIR/ntpdate_4.2.8p10-0ntpwiz1_amd64.deb
#   DIR/Packages      their apt index stanzas (dpkg-scanpackages, ./NAME)
#   DIR/build.log
#
# Laid out like Debian 11's ntp 1:4.2.8p15+dfsg-1 as far as ntpwiz and an
# operator see it: /usr/sbin/ntpd, /usr/bin/ntpq, ntpdc, ntp-keygen,
# /usr/sbin/ntptime; ntp.service running /usr/lib/ntp/ntp-systemd-wrapper
# (ntpd -p /run/ntpd.pid $NTPD_OPTS -u ntp:ntp, NTPD_OPTS='-g' in
# /etc/default/ntp), an LSB /etc/init.d/ntp, Debian 11's stock
# /etc/ntp.conf (pool 0-3.debian.pool.ntp.org), all conffiles; the postinst
# makes the ntp user and /var/lib/ntp and starts the service;
# Provides/Conflicts/Replaces time-daemon, as Debian's time daemons do (so
# installing chrony removes it, and it removes systemd-timesyncd). Epoch 2:
# higher than Debian 12's transitional ntp (1:4.2.8p15+dfsg-2~1.2.2...), so
# `apt-get install ntp` picks it from a repository that holds both.
# ntpdate: /usr/sbin/ntpdate, /usr/sbin/ntpdate-debian, /etc/default/ntpdate
# (Debian 11's, without its if-up.d and dhclient hooks).
#
# Not Debian's build: no OpenSSL (--without-crypto: no autokey, MD5/SHA1
# keys only), no reference clocks, no ntpsnmpd, no AppArmor profile, no DHCP
# hook, no man pages. Built with Linux capabilities (libcap: -u drops root
# and keeps CAP_SYS_TIME, as Debian's does); libcap-dev comes from `apt-get
# download` + dpkg -x, nothing is installed on this machine.
#
# Cached outside the tree in ${NTPWIZ_TEST_CACHE:-~/.cache/ntpwiz-tests}/
# ntporg-deb/KEY, KEY = a hash of this script, the tarball and the
# libcap-dev package it built with. Only dpkg-deb builds the packages: never
# install them on this machine (they start an ntpd that steers the clock).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${NTPWIZ_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ntpwiz-tests}/ntporg-deb
VERSION=2:4.2.8p10-0ntpwiz1
FVERSION=${VERSION#*:}

tarball=
for f in "${NTPWIZ_NTP_TARBALL-}" "$here/../../../shared/thirdparty/ntp-4.2.8p10.tar.gz" \
	/work/shared/thirdparty/ntp-4.2.8p10.tar.gz; do
	[ -n "$f" ] && [ -f "$f" ] && { tarball=$f; break; }
done
[ -n "$tarball" ] || { echo "ntporg-deb.sh: ntp-4.2.8p10.tar.gz not found (set NTPWIZ_NTP_TARBALL)" >&2; exit 1; }
for t in dpkg-deb dpkg-scanpackages make cc flock apt-get; do
	command -v "$t" >/dev/null || { echo "ntporg-deb.sh: $t not found" >&2; exit 1; }
done
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock -w 1800 9 || { echo "ntporg-deb.sh: timed out waiting for $cache/.lock" >&2; exit 1; }

# libcap-dev, unpacked (never installed): its version is part of the key
capdeb=$(ls "$cache"/libcap-dev_*.deb 2>/dev/null | tail -n 1 || true)
if [ -z "$capdeb" ]; then
	(cd "$cache" && apt-get download libcap-dev >/dev/null 2>&1) ||
		{ echo "ntporg-deb.sh: apt-get download libcap-dev failed" >&2; exit 1; }
	capdeb=$(ls "$cache"/libcap-dev_*.deb | tail -n 1)
fi
# The compile is cached apart from the packaging (it takes 2 minutes on a
# quiet machine, 22 under a load of 12): build-CKEY/, CKEY = the recipe, the
# tarball and libcap-dev; the packages: KEY = this script and CKEY.
CONF_OPTS='--prefix=/usr --sysconfdir=/etc --enable-linuxcaps --without-crypto --disable-all-clocks --disable-parse-clocks --without-ntpsnmpd'
CONF_CFLAGS='-O2 -fcommon -Wno-error'
recipe="drop the __sun #if in libntp/work_thread.c; ./configure $CONF_OPTS CFLAGS=$CONF_CFLAGS (libcap-dev unpacked); make -j2"
ckey=$( { echo "$recipe"; sha256sum <"$tarball"; basename "$capdeb"; } | sha256sum | cut -c1-16)
bdir=$cache/build-$ckey
key=$( { cat "$0"; echo "$ckey"; } | sha256sum | cut -c1-16)
dir=$cache/$key
if [ -s "$dir/Packages" ] && [ -s "$dir/ntp_${FVERSION}_amd64.deb" ] && [ -s "$dir/ntpdate_${FVERSION}_amd64.deb" ]; then
	echo "$dir"
	exit 0
fi
t0=$(date +%s)

# the binaries and COPYRIGHT, at their places in the source tree
BINS="ntpd/ntpd ntpq/ntpq ntpdc/ntpdc util/ntp-keygen util/ntptime ntpdate/ntpdate COPYRIGHT"
compile() {	# OUT
	set -e
	local out=$1 work=$1.work sys src f
	sys=$work/sysroot
	echo "== $(date -u) ntp.org 4.2.8p10 from $tarball, libcap from $(basename "$capdeb")"
	echo "== recipe: $recipe"
	mkdir -p "$work"
	dpkg-deb -x "$capdeb" "$sys"
	# the -dev package's libcap.so points at libcap.so.2, which is this machine's
	ln -sf /lib/x86_64-linux-gnu/libcap.so.2 "$sys/usr/lib/x86_64-linux-gnu/libcap.so"
	tar -xzf "$tarball" -C "$work"
	src=$(echo "$work"/ntp-*)
	cd "$src"
	# thirdparty/README.md's recipe: glibc >= 2.34's PTHREAD_STACK_MIN
	sed -i '/^#ifndef __sun$/,+5d' libntp/work_thread.c
	# shellcheck disable=SC2086  # the options are words
	./configure $CONF_OPTS CFLAGS="$CONF_CFLAGS" CPPFLAGS="-I$sys/usr/include" \
		LDFLAGS="-L$sys/usr/lib/x86_64-linux-gnu"
	grep -q '^#define HAVE_LINUX_CAPABILITIES 1' config.h || { echo "no Linux capabilities: -u would be refused"; exit 1; }
	make -j2
	for f in $BINS; do install -D -m 644 "$f" "$out/$f"; done
	cd /
	rm -rf "$work"
	echo "== compiled after $(($(date +%s) - t0)) s"
}

package() {	# SRC (the compile's output)
	set -e
	local src=$1 p
	stage_ntp "$src" "$tmp/ntp"
	stage_ntpdate "$src" "$tmp/ntpdate"
	for p in ntp ntpdate; do
		control "$p" "$tmp/$p"
		dpkg-deb --root-owner-group -Zxz --build "$tmp/$p" "$tmp/${p}_${FVERSION}_amd64.deb"
	done
	(cd "$tmp" && dpkg-scanpackages -m . /dev/null >Packages 2>/dev/null)
	grep -q "^Version: $VERSION\$" "$tmp/Packages"
	rm -rf "$tmp/ntp" "$tmp/ntpdate"
	echo "== packaged after $(($(date +%s) - t0)) s"
}

# bin FILE MODE DEST: installs a stripped binary
bin() { install -D -m 755 "$1" "$2"; strip --strip-unneeded "$2"; }

# docs SRC ROOT PACKAGE: copyright (ntp.org's COPYRIGHT, Latin-1 in the
# tarball, as UTF-8) and a changelog that says what this build is
docs() {
	local d=$2/usr/share/doc/$3
	install -d "$d"
	iconv -f ISO-8859-1 -t UTF-8 "$1/COPYRIGHT" >"$d/copyright"
	cat >"$d/changelog.Debian" <<EOF
$3 ($VERSION) unstable; urgency=medium

  * ntp.org's ntp 4.2.8p10, packaged for ntpwiz's real-host tests by
    tests/vm/ntporg-deb.sh (not Debian's packaging; see its header).

 -- ntpwiz tests <ntpwiz-tests@example.org>  Tue, 08 Dec 2026 00:00:00 +0000
EOF
	gzip -9n "$d/changelog.Debian"
}

stage_ntp() {	# SRC ROOT
	local s=$1 r=$2
	bin "$s/ntpd/ntpd" "$r/usr/sbin/ntpd"
	bin "$s/util/ntptime" "$r/usr/sbin/ntptime"
	bin "$s/ntpq/ntpq" "$r/usr/bin/ntpq"
	bin "$s/ntpdc/ntpdc" "$r/usr/bin/ntpdc"
	bin "$s/util/ntp-keygen" "$r/usr/bin/ntp-keygen"
	install -d "$r/etc/default" "$r/etc/init.d" "$r/lib/systemd/system" "$r/usr/lib/ntp" \
		"$r/usr/share/doc/ntp" "$r/DEBIAN"
	docs "$s" "$r" ntp
	echo "NTPD_OPTS='-g'" >"$r/etc/default/ntp"
	# Debian 11's stock /etc/ntp.conf (ntp 1:4.2.8p15+dfsg-1, debian/ntp.conf)
	cat >"$r/etc/ntp.conf" <<'EOF'
# /etc/ntp.conf, configuration for ntpd; see ntp.conf(5) for help

driftfile /var/lib/ntp/ntp.drift

# Leap seconds definition provided by tzdata
leapfile /usr/share/zoneinfo/leap-seconds.list

# Enable this if you want statistics to be logged.
#statsdir /var/log/ntpstats/

statistics loopstats peerstats clockstats
filegen loopstats file loopstats type day enable
filegen peerstats file peerstats type day enable
filegen clockstats file clockstats type day enable


# You do need to talk to an NTP server or two (or three).
#server ntp.your-provider.example

# pool.ntp.org maps to about 1000 low-stratum NTP servers.  Your server will
# pick a different set every time it starts up.  Please consider joining the
# pool: <http://www.pool.ntp.org/join.html>
pool 0.debian.pool.ntp.org iburst
pool 1.debian.pool.ntp.org iburst
pool 2.debian.pool.ntp.org iburst
pool 3.debian.pool.ntp.org iburst


# Access control configuration; see /usr/share/doc/ntp-doc/html/accopt.html for
# details.  The web page <http://support.ntp.org/bin/view/Support/AccessRestrictions>
# might also be helpful.
#
# Note that "restrict" applies to both servers and clients, so a configuration
# that might be intended to block requests from certain clients could also end
# up blocking replies from your own upstream servers.

# By default, exchange time with everybody, but don't allow configuration.
restrict -4 default kod notrap nomodify nopeer noquery limited
restrict -6 default kod notrap nomodify nopeer noquery limited

# Local users may interrogate the ntp server more closely.
restrict 127.0.0.1
restrict ::1

# Needed for adding pool entries
restrict source notrap nomodify noquery

# Clients from this (example!) subnet have unlimited access, but only if
# cryptographically authenticated.
#restrict 192.168.123.0 mask 255.255.255.0 notrust


# If you want to provide time to your local subnet, change the next line.
# (Again, the address is an example only.)
#broadcast 192.168.123.255

# If you want to listen to time broadcasts on your local subnet, de-comment the
# next lines.  Please do this only if you trust everybody on the network!
#disable auth
#broadcastclient
EOF
	# Debian 11's unit and wrapper (debian/ntp.service, ntp-systemd-wrapper)
	cat >"$r/lib/systemd/system/ntp.service" <<'EOF'
[Unit]
Description=Network Time Service
Documentation=man:ntpd(8)
After=network.target
Conflicts=systemd-timesyncd.service

[Service]
Type=forking
# Debian uses a shell wrapper to process /etc/default/ntp
# and select DHCP-provided NTP servers if available
ExecStart=/usr/lib/ntp/ntp-systemd-wrapper
PrivateTmp=true

[Install]
WantedBy=multi-user.target
EOF
	cat >"$r/usr/lib/ntp/ntp-systemd-wrapper" <<'EOF'
#!/bin/sh

DAEMON=/usr/sbin/ntpd
PIDFILE=/run/ntpd.pid
LOCKFILE=/run/lock/ntpdate

if [ -r /etc/default/ntp ]; then
	. /etc/default/ntp
fi

if [ -e /run/ntp.conf.dhcp ]; then
	NTPD_OPTS="$NTPD_OPTS -c /run/ntp.conf.dhcp"
fi

RUNASUSER=ntp
UGID=$(getent passwd $RUNASUSER | cut -f 3,4 -d:) || true
if test "$(uname -s)" = "Linux"; then
	NTPD_OPTS="$NTPD_OPTS -u $UGID"
fi

# wait for an ntpdate that holds the lock, as Debian's does
(
	flock -w 180 9 || true
	exec $DAEMON -p $PIDFILE $NTPD_OPTS
) 9>$LOCKFILE
EOF
	chmod 755 "$r/usr/lib/ntp/ntp-systemd-wrapper"
	cat >"$r/etc/init.d/ntp" <<'EOF'
#!/bin/sh

### BEGIN INIT INFO
# Provides:        ntp
# Required-Start:  $network $remote_fs $syslog
# Required-Stop:   $network $remote_fs $syslog
# Default-Start:   2 3 4 5
# Default-Stop:    1
# Short-Description: Start NTP daemon
### END INIT INFO

PATH=/sbin:/bin:/usr/sbin:/usr/bin

. /lib/lsb/init-functions

DAEMON=/usr/sbin/ntpd
PIDFILE=/run/ntpd.pid

test -x $DAEMON || exit 5

if [ -r /etc/default/ntp ]; then
	. /etc/default/ntp
fi

if [ -e /run/ntp.conf.dhcp ]; then
	NTPD_OPTS="$NTPD_OPTS -c /run/ntp.conf.dhcp"
fi

LOCKFILE=/run/lock/ntpdate

RUNASUSER=ntp
UGID=$(getent passwd $RUNASUSER | cut -f 3,4 -d:) || true
if test "$(uname -s)" = "Linux"; then
	NTPD_OPTS="$NTPD_OPTS -u $UGID"
fi

case $1 in
	start)
		log_daemon_msg "Starting NTP server" "ntpd"
		if [ -z "$UGID" ]; then
			log_failure_msg "user \"$RUNASUSER\" does not exist"
			exit 1
		fi
		(
			flock -w 180 9
			start-stop-daemon --start --quiet --oknodo --pidfile $PIDFILE --startas $DAEMON -- -p $PIDFILE $NTPD_OPTS
		) 9>$LOCKFILE
		log_end_msg $?
		;;
	stop)
		log_daemon_msg "Stopping NTP server" "ntpd"
		start-stop-daemon --stop --quiet --oknodo --pidfile $PIDFILE --retry=TERM/30/KILL/5 --exec $DAEMON
		log_end_msg $?
		rm -f $PIDFILE
		;;
	restart|force-reload)
		$0 stop && sleep 2 && $0 start
		;;
	try-restart)
		if $0 status >/dev/null; then
			$0 restart
		else
			exit 0
		fi
		;;
	reload)
		exit 3
		;;
	status)
		status_of_proc $DAEMON "NTP server"
		;;
	*)
		echo "Usage: $0 {start|stop|restart|try-restart|force-reload|status}"
		exit 2
		;;
esac
EOF
	chmod 755 "$r/etc/init.d/ntp"
	printf '/etc/default/ntp\n/etc/init.d/ntp\n/etc/ntp.conf\n' >"$r/DEBIAN/conffiles"
	# maintainer scripts: what debhelper generates for a unit plus an init
	# script, and Debian 11's user and folders
	cat >"$r/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
	if ! getent passwd ntp >/dev/null; then
		adduser --system --quiet --group --no-create-home --home /nonexistent ntp
	fi
	for d in /var/lib/ntp /var/log/ntpstats; do
		mkdir -p "$d"
		chown ntp:ntp "$d"
	done
fi
if [ "$1" = configure ] || [ "$1" = abort-upgrade ] || [ "$1" = abort-deconfigure ] || [ "$1" = abort-remove ]; then
	if command -v deb-systemd-helper >/dev/null; then
		deb-systemd-helper unmask ntp.service >/dev/null || true
		if deb-systemd-helper --quiet was-enabled ntp.service; then
			deb-systemd-helper enable ntp.service >/dev/null || true
		else
			deb-systemd-helper update-state ntp.service >/dev/null || true
		fi
	fi
	if [ -x /etc/init.d/ntp ]; then
		update-rc.d ntp defaults >/dev/null
		if [ -n "$2" ]; then a=restart; else a=start; fi
		invoke-rc.d --skip-systemd-native ntp $a || exit 1
	fi
	if [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null || true
		if [ -n "$2" ]; then a=restart; else a=start; fi
		deb-systemd-invoke $a ntp.service >/dev/null || true
	fi
fi
exit 0
EOF
	cat >"$r/DEBIAN/prerm" <<'EOF'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
	deb-systemd-invoke stop ntp.service >/dev/null || true
fi
if [ -x /etc/init.d/ntp ] && [ "$1" = remove ]; then
	invoke-rc.d --skip-systemd-native ntp stop || exit 1
fi
exit 0
EOF
	cat >"$r/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
	systemctl --system daemon-reload >/dev/null || true
fi
if [ "$1" = remove ] && command -v deb-systemd-helper >/dev/null; then
	deb-systemd-helper mask ntp.service >/dev/null || true
fi
if [ "$1" = purge ]; then
	if command -v deb-systemd-helper >/dev/null; then
		deb-systemd-helper purge ntp.service >/dev/null || true
		deb-systemd-helper unmask ntp.service >/dev/null || true
	fi
	update-rc.d ntp remove >/dev/null || true
	rm -rf /var/lib/ntp /var/log/ntpstats
fi
exit 0
EOF
	chmod 755 "$r/DEBIAN/postinst" "$r/DEBIAN/prerm" "$r/DEBIAN/postrm"
}

stage_ntpdate() {	# SRC ROOT
	local s=$1 r=$2
	bin "$s/ntpdate/ntpdate" "$r/usr/sbin/ntpdate"
	install -d "$r/etc/default" "$r/usr/share/doc/ntpdate" "$r/DEBIAN"
	docs "$s" "$r" ntpdate
	# Debian 11's debian/ntpdate.default and ntpdate-debian
	cat >"$r/etc/default/ntpdate" <<'EOF'
# The settings in this file are used by the program ntpdate-debian, but not
# by the upstream program ntpdate.

# Set to "yes" to take the server list from /etc/ntp.conf, from package ntp,
# so you only have to keep it in one place.
NTPDATE_USE_NTP_CONF=yes

# List of NTP servers to use  (Separate multiple servers with spaces.)
# Not used if NTPDATE_USE_NTP_CONF is yes.
NTPSERVERS="0.debian.pool.ntp.org 1.debian.pool.ntp.org 2.debian.pool.ntp.org 3.debian.pool.ntp.org"

# Additional options to pass to ntpdate
NTPOPTIONS=""
EOF
	cat >"$r/usr/sbin/ntpdate-debian" <<'EOF'
#!/bin/sh

if [ -r /etc/default/ntpdate ]; then
	. /etc/default/ntpdate
fi

if [ "$NTPDATE_USE_NTP_CONF" = yes ]; then
	for f in /run/ntp.conf.dhcp /etc/ntp.conf; do
		if [ -r "$f" ]; then
			file=$f
		elif [ -r "$f.dhcp" ]; then
			file=$f.dhcp
		else
			continue
		fi
		NTPSERVERS=$(sed -rne 's/^(server|peer|pool)[[:space:]]+([-_.:[:alnum:]]+).*$/\2/p' "$file" | grep -v '^127\.127\.') || true
		[ -n "$NTPSERVERS" ] && break
	done
fi

exec /usr/sbin/ntpdate $NTPOPTIONS "$@" $NTPSERVERS
EOF
	chmod 755 "$r/usr/sbin/ntpdate-debian"
	echo /etc/default/ntpdate >"$r/DEBIAN/conffiles"
}

control() {	# PACKAGE ROOT
	local p=$1 r=$2 glibc size deps desc extra
	glibc=$(find "$r/usr" -type f -perm -u+x -exec objdump -T {} + 2>/dev/null |
		grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
	size=$(du -sk --exclude=DEBIAN "$r" | cut -f1)
	case $p in
	ntp)
		deps="adduser, libc6 (>= $glibc), libcap2 (>= 1:2.10), netbase"
		extra="Pre-Depends: init-system-helpers (>= 1.54~)
Suggests: ntpdate
Conflicts: time-daemon
Replaces: time-daemon
Provides: time-daemon"
		desc="Network Time Protocol daemon and utility programs (ntp.org, for ntpwiz's tests)
 ntp.org's reference ntpd 4.2.8p10, built from the release tarball for
 ntpwiz's real-host tests (tests/vm/ntporg-deb.sh), laid out like Debian
 11's ntp package: ntpd, ntpq, ntpdc, ntp-keygen, ntptime, ntp.service and
 /etc/init.d/ntp, /etc/default/ntp, /etc/ntp.conf. Not Debian's build: no
 OpenSSL (no autokey), no reference clocks, no AppArmor profile, no DHCP
 hook. Not for production use." ;;
	ntpdate)
		deps="libc6 (>= $glibc), netbase"
		extra="Conflicts: ntpsec-ntpdate
Replaces: ntpsec-ntpdate"
		desc="client for setting system time from NTP servers (ntp.org, for ntpwiz's tests)
 ntp.org's ntpdate 4.2.8p10 and Debian 11's ntpdate-debian wrapper, built
 for ntpwiz's real-host tests (tests/vm/ntporg-deb.sh). Without Debian's
 if-up.d and dhclient hooks. Not for production use." ;;
	esac
	cat >"$r/DEBIAN/control" <<EOF
Package: $p
Source: ntp
Version: $VERSION
Architecture: amd64
Maintainer: ntpwiz tests <ntpwiz-tests@example.org>
Installed-Size: $size
Depends: $deps
$extra
Section: net
Priority: optional
Homepage: https://www.ntp.org/
Description: $desc
EOF
}

# (not under `if`: that would turn set -e off inside)
set +e
if [ ! -x "$bdir/ntpd/ntpd" ] || [ ! -s "$bdir/COPYRIGHT" ]; then
	rm -rf "$bdir.tmp"
	mkdir -p "$bdir.tmp"
	(compile "$bdir.tmp") >"$bdir.tmp/../build-$ckey.log" 2>&1
	rc=$?
	if [ "$rc" != 0 ]; then
		echo "ntporg-deb.sh: the ntp.org build failed; the last lines of $cache/build-$ckey.log:" >&2
		tail -n 20 "$cache/build-$ckey.log" >&2
		rm -rf "$bdir.tmp"
		exit 1
	fi
	for old in "$cache"/build-*; do
		case $old in "$bdir" | "$bdir".* | "$cache/build-$ckey.log") ;; *) rm -rf "$old" ;; esac
	done
	mv "$bdir.tmp" "$bdir"
fi
tmp=$dir.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
log=$tmp/build.log
cp "$cache/build-$ckey.log" "$log" 2>/dev/null
(package "$bdir") >>"$log" 2>&1
rc=$?
set -e
if [ "$rc" = 0 ]; then
	# packages of older keys go
	for old in "$cache"/[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]; do
		[ -d "$old" ] && [ "$old" != "$dir" ] && rm -rf "$old"
	done
	rm -rf "$dir"
	mv "$tmp" "$dir"
	echo "$dir"
else
	echo "ntporg-deb.sh: packaging failed; the last lines of $log:" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
