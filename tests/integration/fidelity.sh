#!/bin/bash
# fidelity.sh: import -> profile -> render keeps what the operator meant
# (issue 12, defects 1-8 and 14-16), through the command line and line mode
# on sandbox roots. Each block names the defect it guards.
#
# Safety: every command has --root under a temp folder; nothing is applied
# outside it, no daemon runs, no network is used.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"
# shellcheck source=tests/lib/roots.sh
. "$srcdir/tests/lib/roots.sh"

DEBIAN=$(cat "$srcdir/tests/data/roots/debian12-os-release")

# root_with PATH TEXT: a Debian root holding TEXT at PATH
root_with() {
	local r
	r=$(new_root "$DEBIAN")
	mkdir -p "$r$(dirname "$1")"
	printf '%s\n' "$2" >"$r$1"
	echo "$r"
}

# imp DAEMON PATH TEXT: imports TEXT placed at PATH; OUT = profile, ERR = notes
imp() {
	local r
	r=$(root_with "$2" "$3")
	run_ntpwiz import --root "$r" --daemon "$1"
	printf '%s\n' "$OUT" >"$T_TMP/imported.cfg"
}

# prof TEXT: writes a profile to $T_TMP/p.cfg (version line added)
prof() { printf 'version = 1;\n%s\n' "$1" >"$T_TMP/p.cfg"; }

# render_p DAEMON: renders $T_TMP/p.cfg for DAEMON on a fresh Debian root
# golden_root: Debian 12 with ntp.org's ntpd, so "ntp" is ntp.org's (tests/lib/roots.sh)
render_p() { run_ntpwiz render --root "$(golden_root)" --daemon "$1" "$T_TMP/p.cfg"; }

# lm ANSWERS: line mode on a fresh Debian root, answers piped in
lm() {
	LMROOT=$(new_root "$DEBIAN")
	printf '%s' "$1" | timeout 20 "$NTPWIZ" --text --root "$LMROOT" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}

CHRONY=/etc/chrony/chrony.conf
NTPSEC=/etc/ntpsec/ntp.conf
OPENNTPD=/etc/openntpd/ntpd.conf

# --- defect 2: chrony's short network forms ---------------------------------------
imp chrony $CHRONY 'server ntp1.example.net iburst
allow 10/8
allow 192.168/16
allow 172.16/12
allow 127.0.0.1/8
allow 198.51
ratelimit interval 3 burst 8 leak 2'
expect "2: chrony short forms import as a LAN server" 'contains "$OUT" "policy = \"lan\""'
expect "2: every short form kept, normalised" \
	'contains "$OUT" "allow = [ \"10.0.0.0/8\", \"192.168.0.0/16\", \"172.16.0.0/12\", \"127.0.0.0/8\", \"198.51.0.0/16\" ]"'
expect "2: no allow line is noted" '! contains "$ERR" "allow"'
run_ntpwiz render --root "$(new_root "$DEBIAN")" "$T_TMP/imported.cfg"
expect "2: the render serves the LAN (no port 0)" \
	'contains "$OUT" "allow 192.168.0.0/16" && ! contains "$OUT" "port 0"'
prof 'restrict = { policy = "lan"; allow = [ "10/8", "192.168" ]; };'
render_p chrony
expect "2: a profile takes the short forms too, written normalised" \
	'[ "$RC" = 0 ] && contains "$OUT" $'"'"'allow 10.0.0.0/8\nallow 192.168.0.0/16'"'"

# --- defect 3: everyone, in any spelling, is public (never a LAN) -------------------
for spelling in "allow" "allow all"; do
	imp chrony $CHRONY "server ntp1.example.net iburst
$spelling
ratelimit interval 3 burst 8 leak 2"
	expect "3: chrony '$spelling' imports as public, without a note" \
		'contains "$OUT" "policy = \"public\"" && ! contains "$OUT" "allow = " && [ -z "$ERR" ]'
done
for spelling in "allow 0/0" "allow 0.0.0.0/0" "allow all 0/0"; do
	imp chrony $CHRONY "server ntp1.example.net iburst
$spelling"
	expect "3: chrony '$spelling' (all of IPv4) imports as public, the widening to IPv6 noted" \
		'contains "$OUT" "policy = \"public\"" && ! contains "$OUT" "allow = " &&
		 contains "$ERR" ":2: will be dropped: $spelling: this serves every host of one address family"'
done
imp chrony $CHRONY 'server ntp1.example.net iburst
allow ::/0
allow 192.168.1.0/24'
expect "3: chrony 'allow ::/0' is public, not a LAN with all of IPv6" \
	'contains "$OUT" "policy = \"public\"" && ! contains "$OUT" "::/0"'
expect "3: ... and the widening to IPv4 is noted on its line" \
	'contains "$ERR" ":2: will be dropped: allow ::/0: this serves every host of one address family"'
imp ntpsec $NTPSEC 'server ntp1.example.net iburst
restrict default ignore
restrict 0.0.0.0 mask 0.0.0.0 kod limited nomodify noquery
restrict source nomodify noquery
restrict 127.0.0.1
restrict ::1'
expect "3: ntpd 'restrict 0.0.0.0 mask 0.0.0.0' serving is public" \
	'contains "$OUT" "policy = \"public\"" && ! contains "$OUT" "allow ="'
for net in "0/0" "0.0.0.0/0" "::/0" "all" "10.0.0.0/0"; do
	prof "restrict = { policy = \"lan\"; allow = [ \"$net\" ]; };"
	render_p chrony
	expect "3: profile allow '$net' for a LAN is refused, saying why" \
		'[ "$RC" = 1 ] && contains "$ERR" "every host" && contains "$ERR" "public policy"'
done
# On a pipe a refused answer ends line mode (issue 15): one run per value.
n=0
for net in "0/0" "::/0" "all"; do
	lm 'chrony
y
step
lan
'"$net"'
'
	[ "$RC" = 1 ] && grep -q "was not accepted (Networks: .*every host.*public policy" "$T_TMP/err" && n=$((n + 1))
done
expect "3: line mode refuses 0/0, ::/0 and all as LAN networks, saying why" '[ "$n" = 3 ]'

# --- defect 4: netmask notation in the network field is one network -----------------
lm 'chrony
y
step
lan
192.168.1.0 255.255.255.0, 10.0.0.0 mask 255.0.0.0









'"$T_TMP/lm4.cfg"'
y
'
expect "4: line mode: '192.168.1.0 255.255.255.0' is one /24 network (saved profile)" \
	'[ "$RC" = 0 ] && grep -qF "allow = [ \"192.168.1.0/24\", \"10.0.0.0/8\" ];" "$T_TMP/lm4.cfg"'
expect "4: ... and the written file serves that network, no /32 hosts" \
	'grep -qx "allow 192.168.1.0/24" "$LMROOT$CHRONY" && ! grep -q "/32" "$LMROOT$CHRONY"'
n=0
for net in "192.168.1.0 255.0.255.0|is not one network" "192.168.1.7 255.255.255.0|has bits set" \
	"10.0.0.0/8 255.255.255.0|is not one network"; do
	lm 'chrony
y
step
lan
'"${net%%|*}"'
'
	[ "$RC" = 1 ] && contains "$ERR" "was not accepted (Networks: ${net%%|*}: ${net#*|}" && n=$((n + 1))
done
expect "4: a mask that is not contiguous, host bits and a doubled prefix are refused" '[ "$n" = 3 ]'

# --- defect 16: smaller ones seen on real files -------------------------------------
imp openntpd $OPENNTPD 'server a.example.net weight 2
server b.example.net weight 10
servers pool.ntp.org'
expect "16: OpenNTPD weight 2 is kept as weight 2, without a note" \
	'contains "$OUT" "host = \"a.example.net\"; kind = \"server\"; iburst = true; weight = 2; }" && [ -z "$ERR" ]'
run_ntpwiz render --root "$(new_root "$DEBIAN")" "$T_TMP/imported.cfg"
expect "16: ... and rendered back as weight 2 (weight 10 stays prefer)" \
	'contains "$OUT" $'"'"'server a.example.net weight 2\nserver b.example.net weight 10\nservers pool.ntp.org\n'"'"
prof 'servers = ( { host = "a.example.net"; weight = 11; } );'
render_p openntpd
expect "16: a weight outside 1-10 is refused with the range" '[ "$RC" = 1 ] && contains "$ERR" "weight: must be between 1 and 10"'
imp openntpd $OPENNTPD 'server ntp.example.net:123
server b.example.net'
expect "16: host:port is refused for its port, not as a bad IPv6 address" \
	'contains "$ERR" "server ntp.example.net:123: host: has a port number" && ! contains "$ERR" "IPv6"'
prof 'servers = ( { host = "10.0.0.1:1123"; } );'
render_p chrony
expect "16: ... in a profile too" '[ "$RC" = 1 ] && contains "$ERR" "has a port number"'
imp ntpsec $NTPSEC 'server ntp1.example.net iburst
restrict default kod limited nomodify noquery
restrict 192.0.2.10 nomodify
restrict source nomodify noquery
restrict 127.0.0.1
restrict ::1'
expect "16: NTPsec's monitoring-host restrict line: the reason is that it lets the host query" \
	'contains "$ERR" ":3: will be dropped: restrict 192.0.2.10 nomodify: this line lets these hosts query ntpd'"'"'s status (ntpq, mode 6"'
imp chrony $CHRONY 'server ntp1.example.net iburst'
expect "16: chrony without makestep: no 'threshold 0.0' in the profile, makestep = false" \
	'! contains "$OUT" "threshold = 0.0" && contains "$OUT" "makestep = false;"'
run_ntpwiz render --root "$(new_root "$DEBIAN")" "$T_TMP/imported.cfg"
expect "16: ... and the render has no makestep line" '[ "$RC" = 0 ] && ! contains "$OUT" "makestep"'
imp chrony $CHRONY $'server ntp1.example.net iburst\nlogchange\t0.5'
expect "16: a TAB in a source line is shown as a TAB in the notes, not '?'" \
	'contains "$ERR" $'"'"'logchange\t0.5'"'"' && ! contains "$ERR" "logchange?0.5"'
tabbed=$'server ntp1.example.net iburst\nlogchange\t0.5'
run_ntpwiz import --json --root "$(root_with $CHRONY "$tabbed")" --daemon chrony
expect "16: ... and as \\t in JSON" 'contains "$OUT" "\"text\":\"logchange\\t0.5\""'

# --- defect 7: no silent default servers ----------------------------------------------
imp ntpsec $NTPSEC 'server 127.127.20.0 mode 17 prefer
fudge 127.127.20.0 flag1 1
restrict default kod limited nomodify noquery'
expect "7: a refclock-only file: the profile shows the servers that will be used" \
	'contains "$OUT" "host = \"2.debian.pool.ntp.org\""'
expect "7: ... and an IMPORTANT note names the refclock line and those servers" \
	'contains "$ERR" "IMPORTANT: servers: no usable time server was imported; these lines name time sources ntpwiz does not carry: /etc/ntpsec/ntp.conf:1 (server 127.127.20.0 mode 17 prefer)" &&
	 contains "$ERR" "default servers instead: 2.debian.pool.ntp.org"'
imp openntpd $OPENNTPD 'sensor *
constraints from "https://www.google.com"
listen on *'
# issue 16: constraints are carried now, so only the sensor line names a
# source ntpwiz does not carry
expect "7: OpenNTPD with only sensor and constraints: the note names the sensor line" \
	'contains "$ERR" "IMPORTANT: servers:" && contains "$ERR" "ntpd.conf:1 (sensor *)" && ! contains "$ERR" "ntpd.conf:2 (constraints from"'
expect "7: ... and the constraint is carried into the profile" \
	'contains "$OUT" "constraints = (" && contains "$OUT" "\"https://www.google.com\""'
imp chrony $CHRONY '#pool 2.debian.pool.ntp.org iburst
#server ntp.example.net'
expect "7: every line commented out: said, with the servers used instead" \
	'contains "$ERR" "IMPORTANT: servers: no time server is configured in this file; the profile uses the distribution'"'"'s default servers instead: 2.debian.pool.ntp.org"'
run_ntpwiz import --json --root "$(root_with $CHRONY '# nothing')" --daemon chrony
expect "7: JSON marks that note high" 'contains "$OUT" "\"text\":\"servers\"" && contains "$OUT" "\"high\":true"'

# --- defect 8: timesyncd: Servers= is read, and what is written is what is used -------
TSC=/etc/systemd/timesyncd.conf
TSD=/etc/systemd/timesyncd.conf.d/ntpwiz.conf
r8=$(root_with $TSC '[Time]
Servers=ntp1.school.example ntp2.school.example')
run_ntpwiz import --root "$r8" --daemon timesyncd
printf '%s\n' "$OUT" >"$T_TMP/ts.cfg"
expect "8: Servers= (the older key) is read as servers" \
	'contains "$OUT" "host = \"ntp1.school.example\"" && contains "$OUT" "host = \"ntp2.school.example\"" && ! contains "$ERR" "Servers="'
run_ntpwiz render --root "$r8" --daemon timesyncd "$T_TMP/ts.cfg"
mkdir -p "$r8/etc/systemd/timesyncd.conf.d"
printf '%s\n' "$OUT" >"$r8$TSD"
run_ntpwiz import --root "$r8" --daemon timesyncd
expect "8: after writing ntpwiz's drop-in, the effective servers are still the school's" \
	'contains "$OUT" "host = \"ntp1.school.example\"" && contains "$OUT" "host = \"ntp2.school.example\"" && ! contains "$OUT" "debian.pool"'
prof 'daemon = "timesyncd"; servers = ( { host = "ntp1.example.net"; }, { host = "ntp2.example.net"; } );'
r8=$(root_with /usr/lib/systemd/timesyncd.conf.d/zz-vendor.conf '[Time]
NTP=vendor.example.com')
run_ntpwiz render --root "$r8" "$T_TMP/p.cfg"
expect "8: a drop-in read after ntpwiz's that adds servers: refused, naming it" \
	'[ "$RC" = 1 ] && contains "$ERR" "timesyncd would use \"ntp1.example.net ntp2.example.net vendor.example.com\", not the profile'"'"'s \"ntp1.example.net ntp2.example.net\": /usr/lib/systemd/timesyncd.conf.d/zz-vendor.conf is read after"'
run_ntpwiz preview --root "$r8" "$T_TMP/p.cfg"
expect "8: ... preview refuses too" '[ "$RC" = 1 ] && contains "$ERR" "zz-vendor.conf"'
r8=$(root_with /run/systemd/timesyncd.conf.d/zz-clear.conf '[Time]
NTP=')
run_ntpwiz render --root "$r8" "$T_TMP/p.cfg"
expect "8: a later drop-in with an empty NTP= (which clears ntpwiz's servers): refused" \
	'[ "$RC" = 1 ] && contains "$ERR" "timesyncd would use \"\"" && contains "$ERR" "zz-clear.conf"'
r8=$(root_with /run/systemd/timesyncd.conf.d/00-early.conf '[Time]
NTP=early.example.com')
mkdir -p "$r8/etc/systemd"
printf '[Time]\nNTP=main.example.com\n' >"$r8$TSC"
run_ntpwiz render --root "$r8" "$T_TMP/p.cfg"
expect "8: timesyncd.conf and drop-ins read before ntpwiz's: its empty NTP= clears them, accepted" \
	'[ "$RC" = 0 ] && contains "$OUT" "NTP=ntp1.example.net ntp2.example.net"'

# --- defect 5: leap smearing servers ------------------------------------------------
run_ntpwiz render --root "$(new_root "$DEBIAN")" --daemon chrony "$srcdir/profiles/ec2.cfg"
expect "5: ec2.cfg (all Amazon, smearing): no leapsectz, and the file says it follows the smear" \
	'[ "$RC" = 0 ] && ! grep -q "^leapsectz" <<<"$OUT" && contains "$OUT" "# Leap seconds: every server smears the leap second, so this host"'
run_ntpwiz render --root "$(new_root "$DEBIAN")" --daemon ntpsec "$srcdir/profiles/ec2.cfg"
expect "5: ... for NTPsec: no leapfile" '[ "$RC" = 0 ] && ! grep -q "^leapfile" <<<"$OUT" && contains "$OUT" "follows their clock"'
AMZN='NAME="Amazon Linux"
ID="amzn"
VERSION_ID="2023"'
run_ntpwiz render --root "$(new_root "$AMZN")" --daemon chrony
expect "5: the Amazon Linux default (169.254.169.123): no local leap second" \
	'[ "$RC" = 0 ] && contains "$OUT" "server 169.254.169.123" && ! grep -q "^leapsectz" <<<"$OUT"'
prof 'servers = ( { host = "169.254.169.123"; }, { host = "time.google.com"; }, { host = "2.debian.pool.ntp.org"; kind = "pool"; } );'
render_p chrony
expect "5: smearing and non-smearing servers mixed: refused, naming both groups" \
	'[ "$RC" = 1 ] && contains "$ERR" "servers: 169.254.169.123, time.google.com smear leap seconds and 2.debian.pool.ntp.org do not"'
r5=$(new_root "$DEBIAN")
before=$(tree_state "$r5")
run_ntpwiz apply --root "$r5" --yes "$T_TMP/p.cfg"
expect "5: ... apply refuses it and writes nothing" \
	'[ "$RC" = 1 ] && contains "$ERR" "smear leap seconds and" && [ "$(tree_state "$r5")" = "$before" ]'
prof 'servers = ( { host = "time.google.com"; } ); leap = { mode = "smear"; };'
render_p chrony
expect "5: a smear of our own on top of smearing servers: refused" \
	'[ "$RC" = 1 ] && contains "$ERR" "leap.mode: the servers (time.google.com) smear leap seconds already"'
lm 'chrony
n
time.google.com
2.debian.pool.ntp.org pool

'
expect "5: line mode: mixing is refused naming both groups" \
	'[ "$RC" = 1 ] && contains "$ERR" "time.google.com smear leap seconds and 2.debian.pool.ntp.org do not"'
lm 'chrony
n
time1.google.com

step
'
expect "5: line mode: all-Google is accepted" '! contains "$OUT" "Not accepted"'
expect "5: line mode: the Leap question says the host follows the smear" \
	'contains "$OUT" "Every server (time1.google.com) smears leap seconds, so this host follows their smear"'
imp chrony $CHRONY 'server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4
pool 2.debian.pool.ntp.org iburst
leapsectz right/UTC'
expect "5: import of a mix: an IMPORTANT note naming both groups" \
	'contains "$ERR" "IMPORTANT: servers: 169.254.169.123 smear leap seconds and 2.debian.pool.ntp.org do not"'
imp chrony $CHRONY 'server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4
leapsectz right/UTC'
expect "5: import of all-smearing servers with leapsectz: noted that no local leap is written" \
	'contains "$ERR" "leap: every server (169.254.169.123) smears leap seconds: ntpwiz writes no leap-second source of its own"'

# --- defect 6: smoothtime by meaning, with the operator's numbers ----------------------
imp chrony $CHRONY 'server ntp1.example.net iburst
leapsecmode slew
maxslewrate 1000
smoothtime 400 0.001 leaponly'
expect "6: Red Hat's 'smoothtime 400 0.001 leaponly' imports as smear, parameters kept, no note" \
	'contains "$OUT" "leap = { mode = \"smear\"; smear = { maxfreq = 400.0; maxwander = 0.001; }; };" && [ -z "$ERR" ]'
run_ntpwiz render --root "$(new_root "$DEBIAN")" "$T_TMP/imported.cfg"
expect "6: ... and renders them back" '[ "$RC" = 0 ] && contains "$OUT" $'"'"'maxslewrate 1000\nsmoothtime 400 0.001 leaponly'"'"
imp chrony $CHRONY 'server ntp1.example.net iburst
smoothtime 50000 0.01 leaponly'
expect "6: any numbers, even without leapsecmode: still a smear, numbers kept" \
	'contains "$OUT" "smear = { maxfreq = 50000.0; maxwander = 0.01; }"'
prof 'leap = { mode = "step"; smear = { maxfreq = 400.0; maxwander = 0.001; }; };'
render_p chrony
expect "6: smear parameters without leap mode smear are refused" '[ "$RC" = 1 ] && contains "$ERR" "leap.smear: is only used by leap mode smear"'
prof 'leap = { mode = "smear"; smear = { maxfreq = 0.0; }; };'
render_p chrony
expect "6: a maxfreq of 0 is refused with the range" '[ "$RC" = 1 ] && contains "$ERR" "maxfreq must be above 0"'

# --- defect 1: listen addresses ------------------------------------------------------
imp openntpd $OPENNTPD 'servers pool.ntp.org
listen on 192.168.1.1'
expect "1: OpenNTPD 'listen on 192.168.1.1' imports as that address, not every interface" \
	'contains "$OUT" "restrict = { policy = \"public\"; listen = [ \"192.168.1.1\" ]; };" && [ -z "$ERR" ]'
run_ntpwiz render --root "$(new_root "$DEBIAN")" "$T_TMP/imported.cfg"
expect "1: ... and renders 'listen on 192.168.1.1', never 'listen on *'" \
	'[ "$RC" = 0 ] && grep -qx "listen on 192.168.1.1" <<<"$OUT" && ! contains "$OUT" "listen on *"'
for d in chrony ntpsec ntp; do
	run_ntpwiz render --root "$(new_root "$DEBIAN")" --daemon $d "$T_TMP/imported.cfg"
	printf '%s\n' "$OUT" >"$T_TMP/listen.$d.conf"
done
expect "1: chrony binds its server port to it (bindaddress)" 'grep -qx "bindaddress 192.168.1.1" "$T_TMP/listen.chrony.conf"'
expect "1: NTPsec: interface ignore wildcard/all, then listen on it and localhost" \
	'grep -qx "interface ignore wildcard" "$T_TMP/listen.ntpsec.conf" && grep -qx "interface listen 192.168.1.1" "$T_TMP/listen.ntpsec.conf" && grep -qx "interface listen 127.0.0.1" "$T_TMP/listen.ntpsec.conf"'
imp openntpd $OPENNTPD 'servers pool.ntp.org
listen on 192.168.1.1
listen on *'
expect "1: 'listen on *' beside an address: every address, the other line noted" \
	'! contains "$OUT" "listen = " && contains "$ERR" ":2: will be dropped: 192.168.1.1: listen on * already serves on every address"'
prof 'daemon = "openntpd"; restrict = { policy = "lan"; allow = [ "192.168.1.0/24" ]; listen = [ "192.168.1.1" ]; };'
render_p openntpd
expect "1: an OpenNTPD LAN server with a listen address is expressible (warned: no access list)" \
	'[ "$RC" = 0 ] && grep -qx "listen on 192.168.1.1" <<<"$OUT" && contains "$ERR" "OpenNTPD has no access list"'
prof 'daemon = "openntpd"; restrict = { policy = "lan"; allow = [ "192.168.1.0/24" ]; };'
render_p openntpd
expect "1: ... without one it is still refused, and the message names restrict.listen" \
	'[ "$RC" = 1 ] && contains "$ERR" "restrict.listen"'
imp chrony $CHRONY 'server ntp1.example.net iburst
allow 192.168.1.0/24
bindaddress 192.168.1.1
ratelimit interval 3 burst 8 leak 2'
expect "1: chrony's bindaddress imports as a listen address" \
	'contains "$OUT" "listen = [ \"192.168.1.1\" ]" && [ -z "$ERR" ]'
for bad in '"ntp.example.net"|is a name' '"0.0.0.0"|every address of this host' '"::"|every address of this host' '"192.168.1.0/24"|'; do
	val=${bad%%|*}
	why=${bad##*|}
	prof "restrict = { policy = \"public\"; listen = [ $val ]; };"
	render_p chrony
	expect "1: listen $val is refused${why:+ ($why)}" '[ "$RC" = 1 ] && contains "$ERR" "restrict.listen[0]: " && contains "$ERR" "$why"'
done
prof 'restrict = { policy = "client-only"; listen = [ "192.168.1.1" ]; };'
render_p chrony
expect "1: listen addresses with client-only are refused" '[ "$RC" = 1 ] && contains "$ERR" "listen addresses are only used when serving time"'
prof 'restrict = { policy = "public"; listen = [ "192.168.1.1", "10.0.0.1" ]; };'
render_p chrony
expect "1: chrony: two IPv4 listen addresses are refused (one bindaddress per family)" \
	'[ "$RC" = 1 ] && contains "$ERR" "chrony serves on one IPv4 and one IPv6 address at most"'
if [ -n "${NTPWIZ_SKIP_DAEMONS-}" ]; then
	echo "# real parsers skipped (NTPWIZ_SKIP_DAEMONS)"
else
	# shellcheck source=tests/lib/daemons.sh
	. "$srcdir/tests/lib/daemons.sh"
	if daemons_fetch >/dev/null 2>&1; then
		for d in chrony ntpsec; do
			check "1: the real $d parser accepts the listen render" daemon_check $d "$T_TMP/listen.$d.conf"
		done
		run_ntpwiz render --root "$(new_root "$DEBIAN")" --daemon openntpd "$T_TMP/imported.cfg"
		printf '%s\n' "$OUT" >"$T_TMP/listen.openntpd.conf"
		check "1: the real OpenNTPD parser accepts the listen render" daemon_check openntpd "$T_TMP/listen.openntpd.conf"
	else
		echo "# the real daemons could not be fetched: parser checks left to daemon-parsers.sh"
	fi
fi

# --- defect 14: every key a daemon cannot write is warned about, per daemon -----------
# KEY | profile text | the daemons that cannot write it (the others must be silent)
while IFS='|' read -r key text cannot; do
	[ -n "$key" ] || continue
	srv='servers = ( { host = "ntp1.example.net"; } );'
	[[ $text == servers* ]] && srv=
	prof "$srv $text"
	for d in chrony ntpsec ntp openntpd timesyncd; do
		render_p $d
		if [[ " $cannot " == *" $d "* ]]; then
			expect "14: $key x $d: warned on stderr and in the file" \
				'[ "$RC" = 0 ] && contains "$ERR" "$key: $d: " && grep -qF "# WARNING: ${key/\[0\]/[]}" <<<"$OUT"'
		else
			expect "14: $key x $d: written, no warning" '[ "$RC" = 0 ] && ! contains "$ERR" "$key"'
		fi
	done
done <<'ROWS'
options.makestep|options = { makestep = { threshold = 0.5; limit = 1; }; };|ntpsec ntp openntpd timesyncd
options.makestep|options = { makestep = false; };|ntpsec ntp openntpd timesyncd
options.rtcsync|options = { rtcsync = false; };|ntpsec ntp timesyncd
options.logdir|options = { logdir = "/var/log/ntpstats"; };|openntpd timesyncd
options.driftfile|options = { driftfile = "/var/lib/x/drift"; };|openntpd timesyncd
servers[0].weight|servers = ( { host = "ntp1.example.net"; weight = 3; } );|chrony ntpsec ntp timesyncd
servers[0].iburst|servers = ( { host = "ntp1.example.net"; iburst = false; } );|openntpd
servers[0].iburst|servers = ( { host = "ntp1.example.net"; iburst = true; } );|timesyncd
servers[0].prefer|servers = ( { host = "ntp1.example.net"; iburst = false; prefer = true; } );|timesyncd
ROWS
prof 'servers = ( { host = "ntp1.example.net"; } ); options = { makestep = { threshold = 0.5; limit = 1; }; };'
render_p chrony
expect "14: chrony writes the makestep it was given" '[ "$RC" = 0 ] && grep -qx "makestep 0.5 1" <<<"$OUT"'

# --- defect 15: daemon = "auto" uses what detect knows, and says why -------------------
r15=$(new_root "$DEBIAN")
mkdir -p "$r15/usr/lib/systemd"
install -m 755 /dev/null "$r15/usr/lib/systemd/systemd-timesyncd"
run_ntpwiz render --root "$r15"
expect "15: only systemd-timesyncd installed: auto picks it, and says why" \
	'[ "$RC" = 0 ] && [[ $OUT == "# /etc/systemd/timesyncd.conf.d/ntpwiz.conf: timesyncd"* ]] &&
	 contains "$ERR" "ntpwiz: daemon \"auto\" chose timesyncd: it is the time daemon installed"'
RHEL='NAME="Rocky Linux"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.4"'
r15=$(new_root "$RHEL")
mkdir -p "$r15/usr/sbin"
install -m 755 /dev/null "$r15/usr/sbin/ntpd"
install -m 755 /dev/null "$r15/usr/sbin/ntpdc"
printf 'server ntp1.example.net iburst\n' >"$r15/etc/ntp.conf"
run_ntpwiz render --root "$r15"
expect "15: ntp.org's ntpd (ntpdc beside it) with /etc/ntp.conf: auto picks ntp, not NTPsec" \
	'[ "$RC" = 0 ] && [[ $OUT == "# /etc/ntp.conf: ntp configuration"* ]] && contains "$ERR" "chose ntp: it is the time daemon installed"'
r15=$(new_root "$DEBIAN")
mkdir -p "$r15/usr/lib/systemd" "$r15/usr/sbin" "$r15/etc/systemd/system/multi-user.target.wants"
install -m 755 /dev/null "$r15/usr/lib/systemd/systemd-timesyncd"
install -m 755 /dev/null "$r15/usr/sbin/chronyd"
ln -s /lib/systemd/system/chrony.service "$r15/etc/systemd/system/multi-user.target.wants/chrony.service"
mkdir -p "$r15/sbin" "$r15/lib/systemd" && install -m 755 /dev/null "$r15/lib/systemd/systemd" &&
	ln -s /lib/systemd/systemd "$r15/sbin/init" # systemd is the init system
prof 'servers = ( { host = "ntp1.example.net"; } );'
run_ntpwiz check --root "$r15" --json "$T_TMP/p.cfg"
expect "15: two installed, chrony enabled: auto picks chrony; JSON says why" \
	'contains "$OUT" "\"daemon\":\"chrony\",\"daemon_reason\":\"chrony: it is enabled to start at boot\""'
r15=$(new_root "$DEBIAN")
run_ntpwiz render --root "$r15"
expect "15: nothing installed: the distribution's default, said so" \
	'[ "$RC" = 0 ] && contains "$ERR" "chose chrony: nothing is installed; Debian'"'"'s full NTP daemon is chrony"'

finish
