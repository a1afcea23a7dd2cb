#!/bin/bash
# audit-daemon.sh: ntpwiz audit sees what the daemon sees (issue 12,
# defects 9-13), through `ntpwiz audit --root SANDBOX` as an operator runs it:
#  9  a timesyncd host: the files timesyncd reads are audited and named;
#  10 the daemon's own checker (chronyd -p, OpenNTPD ntpd -n) is run on the
#     file, and where there is none (NTPsec, ntp.org) or it is not installed,
#     the table of what each version refuses; a refused file is high;
#  11 a time source that can never work (ntp.org pool under nopeer without
#     "restrict source"; every server noselect; no source at all) is high;
#  12 OpenNTPD "listen on *" is judged by the directive, not by a comment;
#  13 an expired leap-second list is medium only when the daemon reads it.
# The real chronyd and OpenNTPD (Debian 12, tests/lib/daemons.sh) are put on
# PATH for the checker cases; they only ever run with -p / -n.
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"
. "$srcdir/tests/lib/daemons.sh"

DEBIAN=$(cat "$srcdir/tests/data/roots/debian12-os-release")
ROOTS=$srcdir/tests/data/roots
D=$srcdir/tests/data/audit

leap_list() { # ROOT NTP-SECONDS
	mkdir -p "$1/usr/share/zoneinfo/right"
	printf '#\tleap-seconds.list (test copy)\n#$\t3960835200\n#@\t%s\n3692217600\t37\t# 1 Jan 2017\n' \
		"$2" >"$1/usr/share/zoneinfo/leap-seconds.list"
	: >"$1/usr/share/zoneinfo/right/UTC"
}

# root_with PATH-IN-ROOT FILE [NTP-SECONDS]: a Debian 12 root holding FILE
# there and a leap-second list (default: valid until 2099)
root_with() {
	local r
	r=$(new_root "$DEBIAN")
	mkdir -p "$r$(dirname "$1")"
	cp "$2" "$r$1"
	leap_list "$r" "${3:-6311088000}"
	echo "$r"
}

# dpkg_status ROOT PACKAGE VERSION BINARY: the package is installed (its
# binary, an empty stand-in, and the package database entry)
dpkg_status() {
	mkdir -p "$1/var/lib/dpkg" "$1$(dirname "$4")"
	: >"$1$4"
	printf 'Package: %s\nStatus: install ok installed\nVersion: %s\n\n' "$2" "$3" \
		>>"$1/var/lib/dpkg/status"
}

# --- 9: timesyncd ---------------------------------------------------------------------------
root=$(root_with /etc/systemd/timesyncd.conf "$D/timesyncd-main.conf")
run_ntpwiz audit --root "$root" --daemon timesyncd --json
expect "9 timesyncd.conf only: the daemon is named in --json" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "\"daemons\":\"timesyncd\""'
expect "9 timesyncd.conf only: the file audited is named in --json" \
	'contains "$OUT" "\"files\":[\"/etc/systemd/timesyncd.conf\"]"'
expect "9 timesyncd.conf only: no no-config finding" '! contains "$OUT" "no-config"'
run_ntpwiz audit --root "$root"
expect "9 timesyncd.conf only, no --daemon: audit of timesyncd, the file named" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "audit of timesyncd:" && contains "$OUT" "/etc/systemd/timesyncd.conf" && ! contains "$OUT" "no-config"'
mkdir -p "$root/etc/systemd/timesyncd.conf.d"
printf '[Time]\nNTP=\nFallbackNTP=\n' >"$root/etc/systemd/timesyncd.conf.d/50-empty.conf"
run_ntpwiz audit --root "$root" --daemon timesyncd
expect "9/11 a drop-in that empties NTP= and FallbackNTP=: no server at all, high, exit 3" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "high: no-usable-source:" && contains "$OUT" "50-empty.conf"'
run_ntpwiz audit --root "$root" --daemon timesyncd --json
expect "9 both files named in --json" \
	'contains "$OUT" "\"files\":[\"/etc/systemd/timesyncd.conf\",\"/etc/systemd/timesyncd.conf.d/50-empty.conf\"]"'

# --- 11: a time source that can never work --------------------------------------------------------
root=$(root_with /etc/ntp.conf "$D/ntp-pool-nopeer.conf")
run_ntpwiz audit --root "$root" --daemon ntp
expect "11 ntp.org pool under restrict default nopeer, no restrict source: high on the pool line, exit 3" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/ntp.conf:8: high: ntp-pool-nopeer:"'
expect "11 ... and the host can never get time: no-usable-source" \
	'contains "$OUT" "high: no-usable-source:"'
printf 'restrict source notrap nomodify noquery\n' >>"$root/etc/ntp.conf"
run_ntpwiz audit --root "$root" --daemon ntp
expect "11 the same with restrict source: no such finding, exit 0" \
	'[ "$RC" -eq 0 ] && ! contains "$OUT" "ntp-pool-nopeer" && ! contains "$OUT" "no-usable-source"'
root=$(root_with /etc/ntpsec/ntp.conf "$D/ntp-pool-nopeer.conf")
run_ntpwiz audit --root "$root" --daemon ntpsec
expect "11 the same file on NTPsec (nopeer is a no-op there): no ntp-pool-nopeer" \
	'! contains "$OUT" "ntp-pool-nopeer" && ! contains "$OUT" "no-usable-source"'
printf 'server 192.0.2.1 iburst noselect\npool 2.debian.pool.ntp.org noselect\n' >"$T_TMP/noselect.conf"
root=$(root_with /etc/chrony/chrony.conf "$T_TMP/noselect.conf")
run_ntpwiz audit --root "$root" --daemon chrony
expect "11 chrony, every source noselect: high, exit 3, the lines named" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/chrony/chrony.conf: high: no-usable-source:" && contains "$OUT" "line 1" && contains "$OUT" "line 2"'
printf 'constraints from "https://www.google.com/"\n' >"$T_TMP/constraints.conf"
root=$(root_with /etc/openntpd/ntpd.conf "$T_TMP/constraints.conf")
run_ntpwiz audit --root "$root" --daemon openntpd
expect "11 OpenNTPD with only a constraint: no time source, high" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "high: no-usable-source:"'
printf 'refclock SHM 0 refid GPS\nallow 192.168.0.0/16\nratelimit\n' >"$T_TMP/refclock.conf"
root=$(root_with /etc/chrony/chrony.conf "$T_TMP/refclock.conf")
run_ntpwiz audit --root "$root" --daemon chrony
expect "11 a chrony GNSS server with only a refclock has a source: no no-usable-source" \
	'! contains "$OUT" "no-usable-source"'

printf 'server [NET_NTP_STATIC_SERVER] iburst minpoll 6 maxpoll 12\nbindcmdaddress 127.0.0.1\n' >"$T_TMP/placeholder.conf"
root=$(root_with /etc/chrony/chrony.conf "$T_TMP/placeholder.conf")
run_ntpwiz audit --root "$root" --daemon chrony
expect "11 a hardening guide's template placeholder as the only server never resolves: high, line named" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "high: no-usable-source:" && contains "$OUT" "line 1"'

# --- 12: OpenNTPD listen on * with a comment that mentions a firewall ------------------------------
root=$(root_with /etc/openntpd/ntpd.conf "$D/openntpd-listen-firewall-comment.conf")
run_ntpwiz audit --root "$root" --daemon openntpd
expect "12 listen on * stays medium whatever a comment says" \
	'contains "$OUT" "/etc/openntpd/ntpd.conf:5: medium: openntpd-listen:"'

# --- 13: the leap-second list's severity follows what the daemon reads -------------------------------
EXPIRED=3944332800 # 2024-12-28
root=$(root_with /etc/openntpd/ntpd.conf "$ROOTS/debian12-openntpd.conf" $EXPIRED)
run_ntpwiz audit --root "$root"
expect "13 OpenNTPD never reads the list: an expired list is info" \
	'contains "$OUT" "/usr/share/zoneinfo/leap-seconds.list:3: info: leap-file-expired:" && ! contains "$OUT" "medium: leap-file-expired"'
root=$(root_with /etc/systemd/timesyncd.conf "$D/timesyncd-main.conf" $EXPIRED)
run_ntpwiz audit --root "$root"
expect "13 timesyncd never reads the list: info" \
	'contains "$OUT" "info: leap-file-expired:" && ! contains "$OUT" "medium: leap-file-expired"'
root=$(root_with /etc/chrony/chrony.conf "$ROOTS/debian12-chrony.conf" $EXPIRED)
run_ntpwiz audit --root "$root"
expect "13 chrony with leapsectz right/UTC does not read the list: info" \
	'contains "$OUT" "info: leap-file-expired:" && ! contains "$OUT" "medium: leap-file-expired"'
printf 'pool 2.debian.pool.ntp.org iburst\nleapseclist /usr/share/zoneinfo/leap-seconds.list\n' >"$T_TMP/leapseclist.conf"
root=$(root_with /etc/chrony/chrony.conf "$T_TMP/leapseclist.conf" $EXPIRED)
dpkg_status "$root" chrony 4.6.1-3 /usr/sbin/chronyd
run_ntpwiz audit --root "$root"
expect "13 chrony 4.6 with leapseclist reads it: medium, on the list's #@ line" \
	'contains "$OUT" "/usr/share/zoneinfo/leap-seconds.list:3: medium: leap-file-expired:"'
root=$(root_with /etc/ntpsec/ntp.conf "$ROOTS/debian12-ntpsec.conf" $EXPIRED)
run_ntpwiz audit --root "$root"
expect "13 NTPsec's leapfile reads it: medium" \
	'contains "$OUT" "medium: leap-file-expired:"'

# --- 10: what the daemon itself refuses: the table (no checker on PATH) ------------------------------
export PATH="$T_TMP/nobin:/usr/bin:/bin"
root=$(root_with /etc/chrony/chrony.conf "$T_TMP/leapseclist.conf")
dpkg_status "$root" chrony 4.3-2+deb12u1 /usr/sbin/chronyd
run_ntpwiz audit --root "$root" --daemon chrony
expect "10 chrony 4.3 and leapseclist, no chronyd to ask: the table says chrony refuses it, high, exit 3" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/chrony/chrony.conf:2: high: daemon-refuses:" && contains "$OUT" "4.3"'
root=$(root_with /etc/chrony/chrony.conf "$T_TMP/leapseclist.conf")
dpkg_status "$root" chrony 4.6.1-3 /usr/sbin/chronyd
run_ntpwiz audit --root "$root" --daemon chrony
expect "10 chrony 4.6.1 and leapseclist: accepted, exit 0" \
	'[ "$RC" -eq 0 ] && ! contains "$OUT" "daemon-refuses"'
root=$(root_with /etc/ntpsec/ntp.conf "$D/ntpsec-preempt.conf")
dpkg_status "$root" ntpsec 1.2.2+dfsg1-1+deb12u1 /usr/sbin/ntpd
run_ntpwiz audit --root "$root" --daemon ntpsec
expect "10 NTPsec 1.2.2 and preempt on a server line: the syntax error is named on its line" \
	'contains "$OUT" "/etc/ntpsec/ntp.conf:9: medium: daemon-refuses-word:" && contains "$OUT" "preempt"'
root=$(root_with /etc/ntpsec/ntp.conf "$D/ntpsec-lowpriotrap.conf")
run_ntpwiz audit --root "$root" --daemon ntpsec
expect "10 NTPsec: lowpriotrap ends the restrict line, so its noquery is lost: high ntp-default-noquery, exit 3" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/ntpsec/ntp.conf:1: high: ntp-default-noquery:" && contains "$OUT" "/etc/ntpsec/ntp.conf:1: medium: daemon-refuses-word:"'
printf 'restrict default kod limited nomodify noquery\nrestrict 127.0.0.1\nrestrict ::1\nrefclock gpsd unit 0 minpoll 4 maxpoll 4 flag1 1\n' >"$T_TMP/gpsd-json.conf"
root=$(root_with /etc/ntpsec/ntp.conf "$T_TMP/gpsd-json.conf")
run_ntpwiz audit --root "$root" --daemon ntpsec
expect "10 NTPsec's gpsd JSON refclock (no such driver in Debian's build: ntpd exits): high daemon-refuses on line 4" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/ntpsec/ntp.conf:4: high: daemon-refuses:"'
printf 'restrict default ignore\nrestrict source nomodify noquery\nrestrict 127.0.0.1\nrestrict ::1\nrefclock gpsd\nserver 192.0.2.1 nts\n' >"$T_TMP/ntporg-refclock.conf"
root=$(root_with /etc/ntp.conf "$T_TMP/ntporg-refclock.conf")
run_ntpwiz audit --root "$root" --daemon ntp
expect "10 ntp.org 4.2.8 has no refclock directive: the line is refused, high" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/ntp.conf:5: high: daemon-refuses-line:"'
expect "10 ntp.org 4.2.8 has no nts: named on its line" \
	'contains "$OUT" "/etc/ntp.conf:6: medium: daemon-refuses-word:"'
printf 'servers pool.ntp.org trusted\n' >"$T_TMP/trusted.conf"
root=$(root_with /etc/openntpd/ntpd.conf "$T_TMP/trusted.conf")
run_ntpwiz audit --root "$root" --daemon openntpd
expect "10 OpenNTPD portable and trusted, no ntpd to ask: the table says it does not start, high" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/openntpd/ntpd.conf:1: high: daemon-refuses:"'

# --- 10: the real checkers ------------------------------------------------------------------------
if ! daemons_fetch >"$T_TMP/fetch.log" 2>&1; then
	cat "$T_TMP/fetch.log"
	finish_skip=1
fi
if [ -z "${finish_skip-}" ]; then
	mkdir -p "$T_TMP/bin"
	ln -s "$(daemons_bin chrony)" "$T_TMP/bin/chronyd"
	ln -s "$(daemons_bin openntpd)" "$T_TMP/bin/openntpd"
	export PATH="$T_TMP/bin:/usr/bin:/bin"
	root=$(root_with /etc/chrony/chrony.conf "$T_TMP/leapseclist.conf")
	run_ntpwiz audit --root "$root" --daemon chrony
	expect "10 chronyd -p (4.3) refuses leapseclist: high, on line 2, the daemon's words, exit 3" \
		'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/chrony/chrony.conf:2: high: daemon-refuses:" && contains "$OUT" "chronyd -p" && contains "$OUT" "leapseclist"'
	root=$(root_with /etc/chrony/chrony.conf "$ROOTS/debian12-chrony.conf")
	run_ntpwiz audit --root "$root" --daemon chrony
	expect "10 chronyd -p accepts Debian's own chrony.conf: no finding" \
		'[ "$RC" -eq 0 ] && contains "$OUT" "0 high, 0 medium, 0 info"'
	# OpenNTPD's ntpd -n resolves "listen on" names: run it without a network
	if daemons_can_isolate; then
		root=$(root_with /etc/openntpd/ntpd.conf "$T_TMP/trusted.conf")
		OUT=$(_daemons_unshare -n "$NTPWIZ" audit --root "$root" --daemon openntpd 2>&1)
		RC=$?
		expect "10 OpenNTPD's ntpd -n refuses trusted: high, line 1, exit 3" \
			'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/openntpd/ntpd.conf:1: high: daemon-refuses:" && contains "$OUT" "syntax error"'
		root=$(root_with /etc/openntpd/ntpd.conf "$ROOTS/debian12-openntpd.conf")
		OUT=$(_daemons_unshare -n "$NTPWIZ" audit --root "$root" --daemon openntpd 2>&1)
		RC=$?
		expect "10 OpenNTPD's ntpd -n accepts Debian's own file: no finding" \
			'[ "$RC" -eq 0 ] && contains "$OUT" "0 high, 0 medium, 0 info"'
	else
		echo "# no private network namespace here: OpenNTPD's checker not run"
	fi
else
	echo "# the Debian daemons could not be fetched: the real checkers were not run"
	[ -n "${CI-}" ] && not_ok "CI: daemons_fetch failed"
fi

finish
