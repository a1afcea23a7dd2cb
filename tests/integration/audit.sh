#!/bin/bash
# audit.sh: ntpwiz audit on sandbox roots, as an operator runs it: Debian
# 12's shipped ntpsec, chrony and OpenNTPD configs pass (exit 0, no high
# finding); the same ntpsec.conf without noquery fails (exit 3) with the
# finding's id, file and line; --json, --daemon, a profile as the intent,
# an expired leap-second list named by its date.
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"

DEBIAN=$(cat "$srcdir/tests/data/roots/debian12-os-release")
ROOTS=$srcdir/tests/data/roots

# leap_list ROOT NTP-SECONDS: a leap-seconds.list expiring then
leap_list() {
	mkdir -p "$1/usr/share/zoneinfo/right"
	printf '#\tleap-seconds.list (test copy)\n#$\t3960835200\n#@\t%s\n3692217600\t37\t# 1 Jan 2017\n' \
		"$2" >"$1/usr/share/zoneinfo/leap-seconds.list"
	: >"$1/usr/share/zoneinfo/right/UTC"
}

debian_root() {
	local r
	r=$(new_root "$DEBIAN")
	mkdir -p "$r/etc/ntpsec" "$r/etc/chrony" "$r/etc/openntpd"
	cp "$ROOTS/debian12-ntpsec.conf" "$r/etc/ntpsec/ntp.conf"
	cp "$ROOTS/debian12-chrony.conf" "$r/etc/chrony/chrony.conf"
	cp "$ROOTS/debian12-openntpd.conf" "$r/etc/openntpd/ntpd.conf"
	leap_list "$r" 6311088000 # 2099-12-28
	echo "$r"
}

# --- Debian's shipped defaults: no high finding ------------------------------------
root=$(debian_root)
before=$(tree_state "$root")
run_ntpwiz audit --root "$root"
expect "Debian defaults: exit 0" '[ "$RC" -eq 0 ]'
expect "Debian defaults: all three audited, no finding at all" \
	'contains "$OUT" "audit of chrony,ntpsec,openntpd: 0 high, 0 medium, 0 info"'
expect "Debian defaults: nothing on stderr" '[ -z "$ERR" ]'
expect "audit writes nothing" '[ "$(tree_state "$root")" = "$before" ]'
run_ntpwiz audit --root "$root" --json
expect "--json: one line, counts and daemons" \
	'[ "$RC" -eq 0 ] && [ "$(printf "%s\n" "$OUT" | wc -l)" -eq 1 ] && contains "$OUT" "\"command\":\"audit\"" && contains "$OUT" "\"daemons\":\"chrony,ntpsec,openntpd\",\"files\":[\"/etc/chrony/chrony.conf\",\"/etc/ntpsec/ntp.conf\",\"/etc/openntpd/ntpd.conf\"],\"high\":0,\"medium\":0,\"info\":0,\"findings\":[]"'

# --- no noquery: high, exit 3, id, file and line --------------------------------------
cp "$srcdir/tests/data/audit/ntpsec-no-noquery.conf" "$root/etc/ntpsec/ntp.conf"
run_ntpwiz audit --root "$root"
expect "no noquery: exit 3" '[ "$RC" -eq 3 ]'
expect "no noquery: the finding with its file, line, severity and id" \
	'contains "$OUT" "/etc/ntpsec/ntp.conf:47: high: ntp-default-noquery: the default restrict line has no noquery"'
expect "no noquery: the fix is printed" 'contains "$OUT" "    fix: add noquery to this line"'
expect "no noquery: counted" 'contains "$OUT" "1 high, 0 medium, 0 info"'
run_ntpwiz audit --root "$root" --json
expect "no noquery --json: exit 3, the finding as an object" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "\"high\":1" && contains "$OUT" "{\"id\":\"ntp-default-noquery\",\"severity\":\"high\",\"file\":\"/etc/ntpsec/ntp.conf\",\"line\":47,\"what\":\"the default restrict line has no noquery"'
run_ntpwiz audit --root "$root" --daemon chrony
expect "--daemon chrony: only chrony is audited, exit 0" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "audit of chrony:" && ! contains "$OUT" "ntp-default-noquery"'
run_ntpwiz audit --root "$root" --daemon ntimed
expect "--daemon unknown: exit 1, the choices named" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "expected one of: ntp, ntpsec"'

# --- no default restrict at all, enable mode7: high --------------------------------------
printf 'server 192.0.2.1 iburst\nenable mode7\n' >"$root/etc/ntpsec/ntp.conf"
run_ntpwiz audit --root "$root" --daemon ntpsec
expect "no restrict default: exit 3, whole-file finding, mode7 on line 2" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/ntpsec/ntp.conf: high: ntp-no-default-restrict:" && contains "$OUT" "/etc/ntpsec/ntp.conf:2: high: ntp-mode7:"'

# --- ntpwiz's own output passes ----------------------------------------------------------
for d in ntpsec ntp chrony; do
	r=$(new_root "$DEBIAN")
	leap_list "$r" 6311088000
	# ntp.org's ntpd built from source: on Debian 12 without it, "ntp"
	# writes NTPsec's file (release.c)
	[ "$d" = ntp ] && mkdir -p "$r/usr/sbin" && : >"$r/usr/sbin/ntpd" && : >"$r/usr/sbin/ntpdc"
	for p in client lan-server public-server; do
		conf=$("$NTPWIZ" render --root "$r" --daemon "$d" "$srcdir/profiles/$p.cfg" 2>/dev/null | sed -n '1s/^# \([^:]*\):.*/\1/p')
		mkdir -p "$r$(dirname "$conf")"
		"$NTPWIZ" render --root "$r" --daemon "$d" "$srcdir/profiles/$p.cfg" >"$r$conf" 2>/dev/null
		run_ntpwiz audit --root "$r" --daemon "$d" "$srcdir/profiles/$p.cfg"
		expect "ntpwiz's $p config for $d: no finding, measured against its own profile" \
			'[ "$RC" -eq 0 ] && contains "$OUT" "0 high, 0 medium, 0 info"' || printf '%s\n' "$OUT" | sed 's/^/#   /'
	done
done

# --- chrony: the command port open to the network; a profile that says client -------------
root=$(debian_root)
cat >>"$root/etc/chrony/chrony.conf" <<'C'
cmdallow 192.0.2.0/24
bindcmdaddress 0.0.0.0
allow all
C
run_ntpwiz audit --root "$root" --daemon chrony
expect "chrony cmdallow + bindcmdaddress: exit 3, chrony-cmd-exposed on the cmdallow line" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/chrony/chrony.conf:48: high: chrony-cmd-exposed:"'
expect "chrony allow without ratelimit: medium" \
	'contains "$OUT" "/etc/chrony/chrony.conf:50: medium: chrony-no-ratelimit:"'
run_ntpwiz audit --root "$root" --daemon chrony "$srcdir/profiles/client.cfg"
expect "allow all on a host whose profile says client-only: high serves-on-client" \
	'[ "$RC" -eq 3 ] && contains "$OUT" "/etc/chrony/chrony.conf:50: high: serves-on-client:"'
run_ntpwiz audit --root "$root" --daemon chrony "$T_TMP/nope.cfg"
expect "a missing profile: exit 1" '[ "$RC" -eq 1 ] && contains "$ERR" "nope.cfg"'

# --- OpenNTPD listen on * -------------------------------------------------------------------
echo 'listen on *' >>"$root/etc/openntpd/ntpd.conf"
run_ntpwiz audit --root "$root" --daemon openntpd
expect "OpenNTPD listen on * without a firewall note: medium, exit 0" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "/etc/openntpd/ntpd.conf:27: medium: openntpd-listen:"'

# --- the leap-second list -------------------------------------------------------------------
root=$(debian_root)
leap_list "$root" 3944332800 # 2024-12-28
run_ntpwiz audit --root "$root"
expect "expired leap list: medium, its date and its #@ line named, exit 0" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "/usr/share/zoneinfo/leap-seconds.list:3: medium: leap-file-expired: the leap-second list expired on 2024-12-28"'
rm "$root/usr/share/zoneinfo/leap-seconds.list"
run_ntpwiz audit --root "$root"
expect "missing leap list: ntpsec's leapfile line is named" \
	'contains "$OUT" "/etc/ntpsec/ntp.conf:4: medium: leap-file-missing:"'

# --- a root with no time daemon --------------------------------------------------------------
root=$(new_root "$DEBIAN")
leap_list "$root" 6311088000
run_ntpwiz audit --root "$root"
expect "nothing configured: exit 0, said so" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "info: no-config: no time daemon'"'"'s configuration file was found"'
run_ntpwiz audit --root "$T_TMP/missing-root"
expect "missing root: exit 1" '[ "$RC" -eq 1 ] && contains "$ERR" "--root"'
run_ntpwiz --help
expect "--help documents exit status 3" 'contains "$OUT" "3 a high finding"'

finish
