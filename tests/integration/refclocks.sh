#!/bin/bash
# refclocks.sh: issue 16 section 5 through the command line: reference
# clocks (PPS, SHM, SOCK, PHC) rendered for chrony, NTPsec and ntp.org
# (exact lines), checked by every real parser available (Debian 12 and 13,
# ntp.org 4.2.8: tests/lib/daemons.sh), imported back from each daemon's
# syntax (render -> import -> render gives the same bytes), refused with a
# message naming the daemon where the daemon cannot express them, validated
# field by field, and warned about (a device missing under the root, a PPS
# with nothing to number its seconds).
#
# Safety: render and import only, each under --root in a temp folder. The
# daemons only parse: chronyd -p (it does not start refclocks), ntp.org's
# --saveconfigquit (stops before the configuration is applied), and NTPsec's
# ntpd in private network, IPC, mount and PID namespaces without
# CAP_SYS_TIME (daemons.sh). NTPsec does start its refclocks: its shm
# segment is created in the private IPC namespace, and it tries to open the
# PPS device named in the file, so the parser checks run only when no such
# device exists on this machine (checked below); nothing real is opened.

# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"
# shellcheck source=tests/lib/roots.sh
. "$srcdir/tests/lib/roots.sh"
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"

PARSERS=yes
if ! daemons_fetch >/dev/null 2>&1 || ! daemons_can_isolate; then
	[ -n "${CI-}" ] && { echo "not ok - the real daemons are not available"; exit 1; }
	PARSERS=no
	echo "# the real daemons are not available here: parser checks skipped"
fi
# the devices the rendered files name: none may exist here (NTPsec opens them)
for dev in /dev/pps0 /dev/pps1 /dev/ptp0 /dev/ntpwiz-gps0pps; do
	if [ -e "$dev" ]; then
		echo "# $dev exists on this machine: NTPsec would open it; parser checks skipped"
		PARSERS=no
	fi
done

prof() { printf 'version = 1;\n%s\n' "$1" >"$T_TMP/p.cfg"; }
ROOT=$(golden_root)
render_p() { run_ntpwiz render --root "$ROOT" --daemon "$1" "$T_TMP/p.cfg"; }

declare -A CONF=([chrony]=/etc/chrony/chrony.conf [ntpsec]=/etc/ntpsec/ntp.conf
	[ntp]=/etc/ntp.conf)

# parsers NAME DAEMON: the rendered $OUT passes every generation's parser
parsers() {
	local g msg out=$OUT
	[ "$PARSERS" = yes ] || return 0
	printf '%s\n' "$out" >"$T_TMP/$2.conf"
	for g in $(daemons_gens "$2"); do
		if msg=$(daemon_check "$2" "$T_TMP/$2.conf" "$g" 2>&1); then
			ok "$1: $2 ($g, $(daemons_version "$2" "$g")) accepts it"
		else
			not_ok "$1: $2 ($g) accepts it"
			printf '%s\n' "$msg" | sed 's/^/#   /'
		fi
	done
}

# roundtrip NAME DAEMON: $OUT placed where DAEMON reads it imports to a
# profile that renders the same bytes; IMPORTED holds that profile
roundtrip() {
	local first=$OUT r
	r=$(golden_root)
	mkdir -p "$r$(dirname "${CONF[$2]}")"
	printf '%s\n' "$first" >"$r${CONF[$2]}"
	run_ntpwiz import --root "$r" --daemon "$2"
	printf '%s\n' "$OUT" >"$T_TMP/imported.cfg"
	IMPORTED=$OUT
	IMPORT_NOTES=$ERR
	run_ntpwiz render --root "$ROOT" --daemon "$2" "$T_TMP/imported.cfg"
	if [ "$RC" = 0 ] && [ "$OUT" = "$first" ]; then
		ok "$1: $2: render -> import -> render gives the same file"
	else
		not_ok "$1: $2: render -> import -> render gives the same file"
		diff <(printf '%s\n' "$first") <(printf '%s\n' "$OUT") | sed 's/^/#   /'
		printf '%s\n' "$IMPORT_NOTES" | sed 's/^/#   notes: /'
	fi
}

SERVER='servers = ( { host = "2.debian.pool.ntp.org"; kind = "pool"; iburst = true; } );'

# --- chrony: the four drivers ----------------------------------------------------
prof "$SERVER
refclocks = (
  { driver = \"shm\"; unit = 0; refid = \"GPS\"; offset = 0.5; delay = 0.2; noselect = true; },
  { driver = \"pps\"; device = \"/dev/pps0\"; refid = \"PPS\"; lock = \"GPS\"; },
  { driver = \"sock\"; device = \"/run/chrony.ttyS0.sock\"; refid = \"SOCK\"; },
  { driver = \"phc\"; device = \"/dev/ptp0\"; poll = 3; dpoll = -2; }
);"
render_p chrony
WANT=$'refclock SHM 0 refid GPS offset 0.5 delay 0.2 noselect\nrefclock PPS /dev/pps0 refid PPS lock GPS\nrefclock SOCK /run/chrony.ttyS0.sock refid SOCK\nrefclock PHC /dev/ptp0 poll 3 dpoll -2'
expect "chrony: the gpsd pair, SOCK and PHC, written as chrony.conf(5) spells them" \
	'[ "$RC" = 0 ] && contains "$OUT" "# Reference clocks (the profile" && contains "$OUT" "$WANT"'
expect "chrony: a device missing under the root is a warning (stderr and the file), not an error" \
	'[ "$RC" = 0 ] && contains "$ERR" "p.cfg:5: warning: refclocks[1].device: /dev/pps0 does not exist under the root in use" && contains "$ERR" "refclocks[3].device: /dev/ptp0 does not exist" && contains "$OUT" "# WARNING: refclocks[1]: /dev/pps0 does not exist here yet"'
expect "chrony: no warning for the socket, which chronyd creates itself" \
	'! contains "$ERR" "chrony.ttyS0.sock does not exist"'
CHRONY_ALL=$OUT
parsers "chrony 4 drivers" chrony
OUT=$CHRONY_ALL
roundtrip "chrony 4 drivers" chrony
expect "chrony: imported back to the same profile keys" \
	'contains "$IMPORTED" "{ driver = \"shm\"; unit = 0; refid = \"GPS\"; offset = 0.5; delay = 0.2; noselect = true; }" && contains "$IMPORTED" "{ driver = \"pps\"; device = \"/dev/pps0\"; refid = \"PPS\"; lock = \"GPS\"; }" && contains "$IMPORTED" "{ driver = \"sock\"; device = \"/run/chrony.ttyS0.sock\"; refid = \"SOCK\"; }" && contains "$IMPORTED" "{ driver = \"phc\"; device = \"/dev/ptp0\"; poll = 3; dpoll = -2; }"'

# the devices exist under the root: no warning
R2=$(golden_root)
mkdir -p "$R2/dev" && : >"$R2/dev/pps0" && : >"$R2/dev/ptp0"
run_ntpwiz render --root "$R2" --daemon chrony "$T_TMP/p.cfg"
expect "chrony: devices present under the root: no warning" \
	'[ "$RC" = 0 ] && ! contains "$ERR" "does not exist" && ! contains "$OUT" "WARNING"'

# --- a stratum-1 host: refclocks only --------------------------------------------
prof 'servers = ();
restrict = { policy = "public"; };
refclocks = (
  { driver = "shm"; unit = 0; refid = "GPS"; offset = 0.5; delay = 0.2; noselect = true; },
  { driver = "pps"; device = "/dev/pps0"; refid = "PPS"; lock = "GPS"; prefer = true; }
);'
render_p chrony
expect "stratum 1: servers = (); with refclocks renders no server and no default pool" \
	'[ "$RC" = 0 ] && ! contains "$OUT" "pool " && ! contains "$OUT" "server " && contains "$OUT" "refclock PPS /dev/pps0 refid PPS lock GPS prefer"'
expect "stratum 1: the locked PPS gets no warning about its seconds" '! contains "$ERR" "numbers the seconds"'
parsers "stratum 1" chrony
roundtrip "stratum 1" chrony
expect "stratum 1: imported as servers = (); (no invented servers, no note about them)" \
	'contains "$IMPORTED" "servers = (" && ! contains "$IMPORTED" "host =" && ! contains "$IMPORT_NOTES" "default servers"'
prof 'servers = ();'
render_p chrony
expect "an empty server list without refclocks is still refused" \
	'[ "$RC" = 1 ] && contains "$ERR" "servers: is empty"'

# --- the known trap: a PPS with nothing to number its seconds ---------------------
prof 'servers = ();
restrict = { policy = "public"; };
refclocks = ( { driver = "pps"; device = "/dev/pps0"; refid = "PPS"; } );'
render_p chrony
expect "PPS alone (no lock, no other source): a warning saying why, on stderr and in the file" \
	'[ "$RC" = 0 ] && contains "$ERR" "warning: refclocks[0]: a PPS marks the start of each second but not which second it is" && contains "$OUT" "# WARNING: A PPS gives no full time"'
prof "$SERVER
refclocks = ( { driver = \"shm\"; unit = 0; refid = \"GPS\"; poll = 4; },
  { driver = \"pps\"; device = \"/dev/pps0\"; refid = \"PPS\"; poll = 4; } );"
run_ntpwiz render --root "$ROOT" --daemon ntp "$T_TMP/p.cfg"
expect "ntp.org: a PPS without a prefer source: warned (ntpd uses it only while the prefer source is selected)" \
	'[ "$RC" = 0 ] && contains "$ERR" "refclocks[1]: ntp uses a PPS only while its prefer source is selected"'

# --- NTPsec ----------------------------------------------------------------------
prof "$SERVER
refclocks = (
  { driver = \"shm\"; unit = 0; refid = \"GPS\"; offset = 0.5; prefer = true; poll = 4; },
  { driver = \"pps\"; device = \"/dev/pps1\"; refid = \"PPS\"; },
  { driver = \"pps\"; device = \"/dev/ntpwiz-gps0pps\"; refid = \"PPS2\"; noselect = true; }
);"
render_p ntpsec
WANT=$'refclock shm unit 0 minpoll 4 maxpoll 4 refid GPS time1 0.5 prefer\nrefclock pps unit 1 ppspath /dev/pps1 refid PPS\nrefclock pps unit 0 ppspath /dev/ntpwiz-gps0pps refid PPS2 noselect'
expect "ntpsec: refclock shm/pps with unit, ppspath, minpoll = maxpoll, refid, time1" \
	'[ "$RC" = 0 ] && contains "$OUT" "$WANT"'
parsers "ntpsec shm+pps" ntpsec
roundtrip "ntpsec shm+pps" ntpsec
expect "ntpsec: imported back: ppspath is the device, time1 the offset" \
	'contains "$IMPORTED" "{ driver = \"pps\"; device = \"/dev/pps1\"; refid = \"PPS\"; }" && contains "$IMPORTED" "{ driver = \"shm\"; unit = 0; refid = \"GPS\"; offset = 0.5; prefer = true; poll = 4; }"'

# --- ntp.org 4.2.8 --------------------------------------------------------------
prof "$SERVER
refclocks = (
  { driver = \"shm\"; unit = 0; refid = \"GPS\"; offset = 0.5; prefer = true; poll = 4; },
  { driver = \"pps\"; device = \"/dev/pps0\"; refid = \"PPS\"; poll = 4; }
);"
render_p ntp
WANT=$'server 127.127.28.0 minpoll 4 maxpoll 4 prefer\nfudge 127.127.28.0 refid GPS time1 0.5\nserver 127.127.22.0 minpoll 4 maxpoll 4\nfudge 127.127.22.0 refid PPS'
expect "ntp.org: server 127.127.28.0 + fudge, server 127.127.22.0 + fudge" \
	'[ "$RC" = 0 ] && contains "$OUT" "$WANT"'
parsers "ntp.org shm+pps" ntp
roundtrip "ntp.org shm+pps" ntp
expect "ntp.org: imported back: 127.127.22.0 is /dev/pps0, fudge time1 the offset" \
	'contains "$IMPORTED" "{ driver = \"pps\"; device = \"/dev/pps0\"; refid = \"PPS\"; poll = 4; }" && contains "$IMPORTED" "offset = 0.5; prefer = true; poll = 4;"'

# --- refusals naming the daemon ---------------------------------------------------
refuse() {	# NAME DAEMON REFCLOCK-GROUP MESSAGE
	prof "$SERVER
refclocks = ( $3 );"
	render_p "$2"
	expect "$1" '[ "$RC" = 1 ] && [ -z "$OUT" ] && contains "$ERR" "$4"'
}
refuse "ntp.org: a PPS device other than /dev/ppsN is refused with the reason" ntp \
	'{ driver = "pps"; device = "/dev/ntpwiz-gps0pps"; refid = "PPS"; }' \
	"p.cfg:3: refclocks[0].device: ntp: ntp.org's PPS driver (type 22) reads /dev/ppsN for unit N (0-3)"
for d in ntp ntpsec; do
	refuse "$d: sock is refused (chrony's)" $d '{ driver = "sock"; device = "/run/chrony.ttyS0.sock"; }' \
		"refclocks[0].driver: $d: the sock driver (gpsd's socket) is chrony's"
	refuse "$d: phc is refused (chrony's)" $d '{ driver = "phc"; device = "/dev/ptp0"; }' \
		"refclocks[0].driver: $d: PTP hardware clocks (the phc driver) are read by chrony only"
	refuse "$d: delay is refused" $d '{ driver = "shm"; unit = 0; delay = 0.2; }' \
		"refclocks[0].delay: $d: this daemon has no delay for a reference clock"
	refuse "$d: dpoll is refused" $d '{ driver = "shm"; unit = 0; dpoll = -2; }' \
		"refclocks[0].dpoll: $d: dpoll is chrony's driver poll"
	refuse "$d: lock is refused, pointing at prefer" $d \
		'{ driver = "shm"; unit = 0; refid = "GPS"; }, { driver = "pps"; device = "/dev/pps0"; lock = "GPS"; }' \
		"refclocks[1].lock: $d: this daemon cannot lock a PPS to one clock: it uses the PPS while its prefer source is selected"
done
refuse "ntp.org: a poll below ntpd's range is refused" ntp '{ driver = "shm"; unit = 0; poll = 1; }' \
	"refclocks[0].poll: ntp: takes a poll between 3 and 17"
refuse "openntpd: refused, naming OpenNTPD's sensor" openntpd '{ driver = "shm"; unit = 0; }' \
	"refclocks[0]: openntpd: OpenNTPD reads reference clocks only as OpenBSD's kernel timedelta sensors"
refuse "timesyncd: refused" timesyncd '{ driver = "shm"; unit = 0; }' \
	"refclocks[0]: timesyncd: systemd-timesyncd is an SNTP client and reads no reference clock"

# --- validation: each key, named with the reason -----------------------------------
invalid() {	# NAME REFCLOCK-GROUP(S) MESSAGE
	prof "$SERVER
refclocks = ( $2 );"
	render_p chrony
	expect "$1" '[ "$RC" = 1 ] && [ -z "$OUT" ] && contains "$ERR" "$3"'
}
invalid "device: a relative path" '{ driver = "pps"; device = "dev/pps0"; }' \
	"p.cfg:3: refclocks[0].device: is not an absolute path"
invalid "device: a comment character" '{ driver = "pps"; device = "/dev/pps0#x"; }' \
	"refclocks[0].device: contains a character other than letters, digits and / . _ - +"
invalid "device: a shell character" '{ driver = "sock"; device = "/run/x;reboot"; }' \
	"refclocks[0].device: contains a character other than letters, digits and / . _ - +"
invalid "device: missing for pps" '{ driver = "pps"; refid = "PPS"; }' \
	"refclocks[0].device: is missing; the pps, sock and phc drivers need the device's path"
invalid "device: given for shm" '{ driver = "shm"; device = "/dev/shm0"; }' \
	"refclocks[0].device: is not used by the shm driver"
invalid "unit: shm 4" '{ driver = "shm"; unit = 4; }' \
	"refclocks[0].unit: must be between 0 and 3"
invalid "unit: on a pps" '{ driver = "pps"; device = "/dev/pps0"; unit = 1; }' \
	"refclocks[0].unit: is only used by the shm driver"
invalid "refid: five characters" '{ driver = "shm"; unit = 0; refid = "GPS12"; }' \
	"refclocks[0].refid: is longer than 4 characters"
invalid "refid: a space" '{ driver = "shm"; unit = 0; refid = "G S"; }' \
	"refclocks[0].refid: may hold only letters and digits"
invalid "offset: out of range" '{ driver = "shm"; unit = 0; offset = 100.0; }' \
	"refclocks[0].offset: must be between -60 and 60 (seconds)"
invalid "delay: negative" '{ driver = "shm"; unit = 0; delay = -0.1; }' \
	"refclocks[0].delay: must be between 0 and 10"
invalid "poll: out of range" '{ driver = "shm"; unit = 0; poll = 30; }' \
	"refclocks[0].poll: must be between -7 and 24"
invalid "driver: unknown" '{ driver = "nmea"; device = "/dev/gps0"; }' \
	'refclocks[0].driver: unknown value "nmea"; expected one of: pps, shm, sock, phc'
invalid "driver: missing" '{ unit = 0; }' "refclocks[0]: needs a driver: pps, shm, sock or phc"
invalid "an unknown key" '{ driver = "shm"; unit = 0; stratum = 1; }' \
	'refclocks[0]: unknown key "stratum"'
invalid "lock: names no refclock" '{ driver = "pps"; device = "/dev/pps0"; lock = "GPS"; }' \
	"refclocks[0].lock: names no refclock"
invalid "lock: on a shm" '{ driver = "shm"; unit = 0; refid = "A"; }, { driver = "shm"; unit = 1; lock = "A"; }' \
	"refclocks[1].lock: only a pps refclock is locked to another one"
invalid "lock: to another pps" '{ driver = "pps"; device = "/dev/pps0"; refid = "A"; }, { driver = "pps"; device = "/dev/pps1"; lock = "A"; }' \
	"refclocks[1].lock: names another pps refclock"
invalid "refid: used twice" '{ driver = "shm"; unit = 0; refid = "GPS"; }, { driver = "shm"; unit = 1; refid = "GPS"; }' \
	"refclocks[1].refid: is used by another refclock"
invalid "the same clock twice" '{ driver = "shm"; unit = 0; }, { driver = "shm"; unit = 0; }' \
	"refclocks[1].unit: is the same clock as another refclock"

# --- the escape hatch does not bypass the model ----------------------------------
prof "$SERVER
extra = { chrony = ( \"refclock SHM 0 refid GPS\" ); };"
render_p chrony
expect "extra: chrony's refclock is refused as an operator line, pointing at the profile" \
	'[ "$RC" = 1 ] && contains "$ERR" "ntpwiz writes chrony'"'"'s \"refclock\" itself from the profile"'
prof "$SERVER
extra = { ntpsec = ( \"refclock shm unit 0 refid GPS\" ); };"
render_p ntpsec
expect "extra: NTPsec's refclock shm is refused as an operator line" \
	'[ "$RC" = 1 ] && contains "$ERR" "ntpwiz writes ntpsec'"'"'s \"refclock shm\" reference clocks itself from the profile; set refclocks there"'
prof "$SERVER
extra = { ntpsec = ( \"refclock nmea unit 0 refid NMEA\" ); };"
render_p ntpsec
expect "extra: NTPsec's refclock nmea (not modelled) stays an operator line" '[ "$RC" = 0 ] && contains "$OUT" "refclock nmea unit 0 refid NMEA"'

# --- import of others' files: what is not carried is noted ---------------------------
r=$(golden_root)
mkdir -p "$r/etc/chrony"
printf '%s\n' 'pool 2.debian.pool.ntp.org iburst' \
	'refclock SHM 0:perm=0644 refid NMEA precision 1e-1 offset 0.9999 delay 0.2 noselect' \
	'refclock PPS /dev/pps0 lock NMEA refid PPS trust' >"$r/etc/chrony/chrony.conf"
run_ntpwiz import --root "$r" --daemon chrony
expect "import chrony: the refclocks are carried" \
	'[ "$RC" = 0 ] && contains "$OUT" "{ driver = \"shm\"; unit = 0; refid = \"NMEA\"; offset = 0.9999; delay = 0.2; noselect = true; }" && contains "$OUT" "{ driver = \"pps\"; device = \"/dev/pps0\"; refid = \"PPS\"; lock = \"NMEA\"; }"'
expect "import chrony: options ntpwiz does not write are noted, with the line" \
	'contains "$ERR" ":2" && contains "$ERR" "precision 1e-1" && contains "$ERR" ":perm=0644" && contains "$ERR" "trust"'

r=$(golden_root)
printf '%s\n' 'server 127.127.20.0 mode 17 minpoll 4 maxpoll 4 prefer' 'fudge 127.127.20.0 flag1 0 time2 0.115' \
	'server 127.127.22.0 minpoll 4 maxpoll 4' 'fudge 127.127.22.0 refid PPS flag3 1' \
	'server pool.ntp.org iburst' >"$r/etc/ntp.conf"
run_ntpwiz import --root "$r" --daemon ntp
expect "import ntp.org: driver 22 is carried, flag3 noted; driver 20 (NMEA) noted" \
	'[ "$RC" = 0 ] && contains "$OUT" "{ driver = \"pps\"; device = \"/dev/pps0\"; refid = \"PPS\"; poll = 4; }" && contains "$ERR" "flag3 1" && contains "$ERR" "127.127.20.0"'

# --- audit: the PPS trap in an existing file ---------------------------------------
r=$(golden_root)
mkdir -p "$r/etc/chrony"
printf '%s\n' 'refclock PPS /dev/pps0 refid PPS' 'allow' >"$r/etc/chrony/chrony.conf"
run_ntpwiz audit --root "$r" --daemon chrony
expect "audit: a lone PPS (no lock, no other source) is pps-unnumbered, with its line" \
	'contains "$OUT" "pps-unnumbered" && contains "$OUT" "chrony.conf:1"'
printf '%s\n' 'refclock SHM 0 refid GPS delay 0.2 noselect' 'refclock PPS /dev/pps0 refid PPS lock GPS' 'allow' >"$r/etc/chrony/chrony.conf"
run_ntpwiz audit --root "$r" --daemon chrony
expect "audit: the gpsd pair with lock is not" '! contains "$OUT" "pps-unnumbered"'

# --- negative controls: the parsers do judge refclock lines --------------------------
if [ "$PARSERS" = yes ]; then
	printf 'refclock SHM 0 refid TOOLONG\n' >"$T_TMP/bad-chrony.conf"
	for g in $(daemons_gens chrony); do
		msg=$(daemon_check chrony "$T_TMP/bad-chrony.conf" "$g" 2>&1)
		expect "control: chrony ($g) refuses a five-character refid (chronyd -p checks refclock options)" \
			'contains "$msg" "Fatal error" && contains "$msg" "refclock" && contains "$msg" "line 1"'
	done
	printf 'refclock shm unit 0 refid GPS bogus\n' >"$T_TMP/bad-ntpsec.conf"
	for g in $(daemons_gens ntpsec); do
		msg=$(daemon_check ntpsec "$T_TMP/bad-ntpsec.conf" "$g" 2>&1)
		expect "control: ntpsec ($g) refuses an unknown refclock option" 'contains "$msg" "syntax error"'
	done
	printf 'fudge 127.127.28.0 refid GPS bogus 1\n' >"$T_TMP/bad-ntp.conf"
	msg=$(daemon_check ntp "$T_TMP/bad-ntp.conf" 2>&1)
	expect "control: ntp.org refuses an unknown fudge option" 'contains "$msg" "syntax error"'
fi

finish
