#!/bin/bash
# import.sh: ntpwiz import on sandbox roots.
#  - round trip: every golden config (tests/data/golden/*.conf), put at its
#    daemon's path, imported and rendered again for the same daemon gives
#    the same bytes, with no note (ntpwiz's own file maps completely);
#  - switching daemons: imported from daemon A and rendered for B, it
#    gives the golden file of B for the same profile. Stated exceptions,
#    checked as such: OpenNTPD keeps no poll settings (ec2: minpoll 4
#    maxpoll 4 is gone, and with it OpenNTPD's own warning comment), and
#    timesyncd keeps no kind, preference or per-server poll (ec2 from
#    timesyncd: the same hosts in the same order), and OpenNTPD holds no
#    networks (lan-router from OpenNTPD: public, on the same address only);
#  - Debian 12's shipped files: what does not map is listed, line by line;
#  - --json, and a root without the file.
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"

DEBIAN=$(cat "$srcdir/tests/data/roots/debian12-os-release")
# shellcheck source=tests/lib/roots.sh
. "$srcdir/tests/lib/roots.sh"
golden=$srcdir/tests/data/golden

# conf_path DAEMON: where the daemon's file lives on Debian (from its render)
conf_path() {
	"$NTPWIZ" render --root "$(golden_root)" --daemon "$1" 2>/dev/null | sed -n '1s/^# \([^:]*\):.*/\1/p'
}
declare -A path
for d in ntp ntpsec chrony openntpd timesyncd; do
	path[$d]=$(conf_path "$d")
done
check "the daemons' paths are known" [ -n "${path[timesyncd]}" ] && [ -n "${path[ntpsec]}" ]

# import_golden FILE DAEMON: prints a root holding FILE at DAEMON's path; the
# profile goes to $T_TMP/p.cfg, the notes to $T_TMP/notes
import_golden() {
	local r
	r=$(golden_root)
	mkdir -p "$r$(dirname "${path[$2]}")"
	cp "$1" "$r${path[$2]}"
	"$NTPWIZ" import --root "$r" --daemon "$2" >"$T_TMP/p.cfg" 2>"$T_TMP/notes"
	echo "$?"
}

hosts_of() { grep -oE '^(server|servers|pool) [^ ]+|NTP=.*' "$1" | sed 's/^[a-z]* //; s/^NTP=//' | tr ' ' '\n'; }

n=0
for f in "$golden"/*.conf; do
	base=$(basename "$f" .conf)
	profile=${base%.*}
	a=${base##*.}
	rc=$(import_golden "$f" "$a")
	n=$((n + 1))
	check "$base: import exits 0" [ "$rc" -eq 0 ]
	expect "$base: ntpwiz's own file imports with no note" '[ ! -s "$T_TMP/notes" ]' ||
		sed 's/^/#   /' "$T_TMP/notes"
	cp "$T_TMP/p.cfg" "$T_TMP/$base.cfg"
	for g in "$golden/$profile".*.conf; do
		b=$(basename "$g" .conf)
		b=${b##*.}
		"$NTPWIZ" render --root "$(golden_root)" --daemon "$b" "$T_TMP/$base.cfg" >"$T_TMP/out" 2>/dev/null
		what="$profile: import $a, render $b"
		if [ "$profile.$a" = ec2.openntpd ] && [ "$b" != openntpd ]; then
			# OpenNTPD writes no poll settings: they cannot come back
			sed 's/ minpoll 4 maxpoll 4$//; /^PollInterval/d' "$g" >"$T_TMP/expected"
			check "$what: the bytes, less the poll settings OpenNTPD cannot hold" cmp -s "$T_TMP/out" "$T_TMP/expected"
		elif [ "$profile.$a" = ec2.openntpd ]; then
			# the warning about those poll settings goes with them
			grep -v '^# WARNING: OpenNTPD chooses its own poll interval' "$g" >"$T_TMP/expected"
			check "$what: the bytes, less the warning about poll settings" cmp -s "$T_TMP/out" "$T_TMP/expected"
		elif [ "$profile.$a" = lan-router.openntpd ]; then
			# OpenNTPD's file holds no networks (it has no access list):
			# the LAN server comes back public, on the same address only
			expect "$what: public, still only on 192.168.1.1 (OpenNTPD holds no networks)" \
				'grep -q "policy = \"public\"; listen = \[ \"192.168.1.1\" \];" "$T_TMP/$base.cfg" &&
				 grep -Eq "^(bindaddress|interface listen|listen on) 192.168.1.1$" "$T_TMP/out" &&
				 ! grep -Eq "^listen on \*|^allow 192" "$T_TMP/out"'
		elif [ "$b" = timesyncd ]; then
			# iburst/prefer, which timesyncd cannot write, are said in the file
			# when the profile has them: imported from another daemon they
			# are there, from timesyncd's own file they are not
			grep -v '^# WARNING: servers\[\]\.' "$g" >"$T_TMP/expected"
			grep -v '^# WARNING: servers\[\]\.' "$T_TMP/out" >"$T_TMP/got"
			check "$what: the bytes, less the warnings about iburst and prefer" cmp -s "$T_TMP/got" "$T_TMP/expected"
			if [ "$a" != timesyncd ]; then
				expect "$what: iburst not used is said in the file" 'grep -q "^# WARNING: servers\[\]\.iburst is not written" "$T_TMP/out"'
			else
				expect "$what: nothing said about iburst (timesyncd's file has none)" '! grep -q "iburst" "$T_TMP/out"'
			fi
		elif [ "$a" = timesyncd ] && [ "$b" != timesyncd ]; then
			check "$what: the same hosts in the same order (timesyncd keeps no kind or preference)" \
				[ "$(hosts_of "$T_TMP/out")" = "$(hosts_of "$g")" ]
		else
			check "$what: the bytes of $profile.$b.conf" cmp -s "$T_TMP/out" "$g"
		fi || diff -u "$g" "$T_TMP/out" | sed 's/^/#   /' | head -20
	done
done
check "golden files found ($n)" [ "$n" -ge 20 ]

# --- Debian 12's shipped files: each line that does not map is listed -------------------
rc=$(import_golden "$srcdir/tests/data/roots/debian12-chrony.conf" chrony)
notes=$(cat "$T_TMP/notes")
expect "Debian chrony.conf: exit 0, the pool carried" \
	'[ "$rc" -eq 0 ] && grep -q "host = \"2.debian.pool.ntp.org\"; kind = \"pool\"; iburst = true;" "$T_TMP/p.cfg"'
# the stock folders (confdir, sources.d, DHCP) are kept through keep.* (issue 13)
expect "Debian chrony.conf: the drop-in and DHCP folders are kept, not dropped" \
	'! contains "$notes" "conf.d" && ! contains "$notes" "sourcedir" && grep -qx "keep = { dhcp_servers = true; drop_in_dirs = true; };" "$T_TMP/p.cfg"'
# issue 16: maxupdateskew is documented and not written by ntpwiz: kept as an
# operator line (extra.chrony) for the operator to confirm, no longer dropped
expect "Debian chrony.conf: keyfile, ntsdumpdir, logdir without log listed; maxupdateskew kept in extra" \
	'contains "$notes" ":18: will be dropped: keyfile /etc/chrony/chrony.keys: no server uses a key" && contains "$notes" ":25: will be dropped: ntsdumpdir" && contains "$notes" ":31: will be dropped: logdir" && contains "$notes" ":34: kept as is: maxupdateskew 100.0: kept as an operator line (extra.chrony)" &&
	 grep -qx "  chrony = ( \"maxupdateskew 100.0\" );" "$T_TMP/p.cfg"'
expect "Debian chrony.conf: 4 notes, one per line that does not map" '[ "$(printf "%s\n" "$notes" | wc -l)" -eq 4 ]'
rc=$(import_golden "$srcdir/tests/data/roots/debian12-ntpsec.conf" ntpsec)
notes=$(cat "$T_TMP/notes")
expect "Debian ntpsec: public policy, four pools" \
	'[ "$rc" -eq 0 ] && grep -q "policy = \"public\"" "$T_TMP/p.cfg" && [ "$(grep -c "kind = \"pool\"" "$T_TMP/p.cfg")" -eq 4 ]'
# issue 16: tos minsane is carried (selection.minsources), minclock listed
expect "Debian ntpsec: tos minsane carried, minclock listed" \
	'grep -qx "selection = { minsources = 3; };" "$T_TMP/p.cfg" && contains "$notes" "ntp.conf:24: will be dropped: minclock 4: ntpwiz does not write this tos option"'
expect "Debian ntpsec: tos lines kept in extra (issue 16), the default restrict's flags listed" \
	'contains "$notes" "ntp.conf:20: kept as is: tos maxclock 11: kept as an operator line (extra.ntpsec)" && contains "$notes" "ntp.conf:47: will be dropped: restrict default kod nomodify nopeer noquery limited: ntpwiz writes restrict default kod limited nomodify noquery"'

# --- timesyncd: a drop-in ntpwiz does not write is kept as is ----------------------------
r=$(golden_root)
mkdir -p "$r/etc/systemd/timesyncd.conf.d"
printf '[Time]\nNTP=a.example\nConnectionRetrySec=5\n' >"$r/etc/systemd/timesyncd.conf"
printf '[Time]\nNTP=b.example\n' >"$r/etc/systemd/timesyncd.conf.d/50-site.conf"
run_ntpwiz import --root "$r" --daemon timesyncd
expect "timesyncd: servers from the main file and drop-ins, in order" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "{ host = \"a.example\"; kind = \"server\"; iburst = false; },
  { host = \"b.example\"; kind = \"server\"; iburst = false; }"'
expect "timesyncd: a setting in the main file is kept as is" \
	'[ "$ERR" = "/etc/systemd/timesyncd.conf:3: kept as is: ConnectionRetrySec=5: ntpwiz does not write this setting" ]'

# --- --json, auto, errors ----------------------------------------------------------------------
rc=$(import_golden "$golden/lan-server.ntp.conf" ntp)
r=$(new_root "$DEBIAN")	# no daemon installed: "auto" goes by the file (golden_root has ntpd)
mkdir -p "$r/etc/chrony"
printf 'pool p.example iburst\nbogus line\n' >"$r/etc/chrony/chrony.conf"
run_ntpwiz import --root "$r" --json
expect "--json (daemon found by its file): one line with the profile and the notes" \
	'[ "$RC" -eq 0 ] && [ "$(printf "%s\n" "$OUT" | wc -l)" -eq 1 ] && contains "$OUT" "\"command\":\"import\",\"daemon\":\"chrony\",\"path\":\"/etc/chrony/chrony.conf\",\"profile\":\"# ntpwiz profile" && contains "$OUT" "\"notes\":[{\"file\":\"/etc/chrony/chrony.conf\",\"line\":2,\"text\":\"bogus line\",\"fate\":\"dropped\",\"reason\":\"ntpwiz does not write this directive\",\"high\":false}]"'
run_ntpwiz import --root "$(golden_root)" --daemon ntpsec
expect "no file: exit 1, the path named" \
	'[ "$RC" -eq 1 ] && [ -z "$OUT" ] && contains "$ERR" "/etc/ntpsec/ntp.conf: there is no configuration file to import"'
printf 'pool a.example\0\n' >"$r/etc/chrony/chrony.conf"
run_ntpwiz import --root "$r" --daemon chrony
expect "a NUL byte: exit 1, said so" '[ "$RC" -eq 1 ] && contains "$ERR" "NUL byte"'

# --- the real daemons accept what Debian's files become ----------------------------------
# Debian 12's shipped chrony, NTPsec and OpenNTPD files, imported and
# rendered for each of those daemons, pass that daemon's own parser.
. "$srcdir/tests/lib/daemons.sh"
if daemons_fetch >/dev/null 2>&1 && daemons_can_isolate; then
	for a in chrony ntpsec openntpd; do
		rc=$(import_golden "$srcdir/tests/data/roots/debian12-$a.conf" "$a")
		cp "$T_TMP/p.cfg" "$T_TMP/debian-$a.cfg"
		for b in chrony ntpsec openntpd; do
			"$NTPWIZ" render --root "$(golden_root)" --daemon "$b" "$T_TMP/debian-$a.cfg" \
				>"$T_TMP/debian-$a.$b.conf" 2>/dev/null
			daemon_check "$b" "$T_TMP/debian-$a.$b.conf" 2>"$T_TMP/derr"
			drc=$?
			check "Debian's $a file, imported and rendered for $b: $b's parser accepts it" [ "$drc" -eq 0 ] ||
				sed 's/^/#   /' "$T_TMP/derr"
		done
	done
elif [ -n "${CI-}" ]; then
	not_ok "the real daemons are needed in CI (daemons_fetch / namespaces failed)"
else
	echo "# skipped: the real daemons' parsers (no daemon cache or no namespaces here)"
fi

finish
