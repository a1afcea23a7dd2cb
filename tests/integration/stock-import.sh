#!/bin/bash
# stock-import.sh: each distribution's own configuration file, as its package
# ships it, imported by ntpwiz and rendered again, passes the parser of the
# daemon that package installs -- for Debian 12 (chrony 4.3, NTPsec 1.2.2,
# OpenNTPD 6.2p3: the extracted .debs) and Debian 13 (chrony 4.6.1, NTPsec
# 1.2.3, OpenNTPD 6.2p3: the trixie roots), and for ntp.org's ntpd 4.2.8p10
# with the ntp.org files of the test corpus (tests/data/golden/*.ntp.conf;
# no distribution ships ntp.org's ntpd any more, so there is no stock file).
#
# For each file:
#   1. the stock file itself passes that generation's parser (a checker that
#      refuses the distribution's own file would be wrong, not ntpwiz);
#      except, as observed, Debian 12's ntp.conf, whose `nopeer` NTPsec 1.2.2
#      reports as ignored (and nothing else);
#   2. `ntpwiz import --root SANDBOX --daemon D` exits 0 on a sandbox root
#      holding the file at D's path and that release's os-release;
#   3. `ntpwiz render --root SANDBOX --daemon D` of the imported profile
#      exits 0 and the same generation's parser accepts the result.
# The import notes are shown (# lines), not asserted: what is kept or
# dropped is import.sh's business.
# A negative control shows step 3 can fail: the rendered Debian 13 chrony
# file with Debian 13's `leapseclist` line appended is refused by chrony 4.3.
#
# Exit: 0 pass, 1 fail, 77 skip (no daemons, no namespaces); with CI set, a
# missing prerequisite fails instead.

# shellcheck disable=SC2016
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
skip_or_fail() { daemons_skip_or_fail "$@"; }
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

daemons_can_isolate || skip_or_fail "cannot create private namespaces (needs root or user namespaces)"
for d in chrony ntpsec openntpd ntp; do
	for g in $(daemons_gens "$d"); do
		daemons_prepare "$d" "$g" || skip_or_fail "no $d of generation $g"
	done
done

# path_of DAEMON: the daemon's file on Debian
declare -A path=([chrony]=/etc/chrony/chrony.conf [ntpsec]=/etc/ntpsec/ntp.conf
	[openntpd]=/etc/openntpd/ntpd.conf [ntp]=/etc/ntp.conf)

# stock DAEMON GEN: the file the package ships
stock() {
	local cache
	cache=$(daemons_cache_dir)
	case $1:$2 in
	chrony:deb12) echo "$cache/chrony/usr/share/chrony/chrony.conf" ;; # postinst copies it to /etc
	ntpsec:deb12) echo "$cache/ntpsec/etc/ntpsec/ntp.conf" ;;
	openntpd:deb12) echo "$cache/openntpd/etc/openntpd/ntpd.conf" ;;
	*:deb13) echo "$(daemons_root13 "$1")${path[$1]}" ;;
	esac
}

# os_release GEN: that release's os-release text
os_release() {
	case $1 in
	deb12 | ntporg) cat "$srcdir/tests/data/roots/debian12-os-release" ;;
	deb13) cat "$(daemons_root13 chrony)/usr/lib/os-release" ;;
	esac
}

# round DAEMON GEN FILE LABEL: steps 1-3
round() {
	local d=$1 g=$2 f=$3 label=$4 v r msg
	v="$d $(daemons_version "$d" "$g")"
	msg=$(daemon_check "$d" "$f" "$g" 2>&1)
	rc=$?
	if [ "$d:$g" = ntpsec:deb12 ]; then
		# Debian 12's own file says `restrict default kod nomodify nopeer
		# noquery limited`; NTPsec 1.2.2 ignores nopeer and says so (Debian
		# 13's file dropped the flag)
		expect "$label: $v complains only 'restrict nopeer ignored' about the file itself" \
			'[ "$rc" = 1 ] && [ "$msg" = "CONFIG: restrict nopeer ignored" ]' ||
			printf '%s\n' "$msg" | sed 's/^/#   /'
	elif [ "$rc" = 0 ]; then
		ok "$label: $v accepts the file itself"
	else
		not_ok "$label: $v accepts the file itself"
		printf '%s\n' "$msg" | sed 's/^/#   /'
	fi
	r=$(new_root "$(os_release "$g")")
	mkdir -p "$r$(dirname "${path[$d]}")"
	cp "$f" "$r${path[$d]}"
	run_ntpwiz import --root "$r" --daemon "$d"
	expect "$label: ntpwiz import exits 0" '[ "$RC" -eq 0 ]'
	[ -n "$ERR" ] && printf '%s\n' "$ERR" | sed 's/^/#   note: /'
	printf '%s\n' "$OUT" >"$T_TMP/p.cfg"
	run_ntpwiz render --root "$r" --daemon "$d" "$T_TMP/p.cfg"
	expect "$label: ntpwiz render of the imported profile exits 0" '[ "$RC" -eq 0 ]' ||
		printf '%s\n' "$ERR" | sed 's/^/#   /'
	printf '%s\n' "$OUT" >"$T_TMP/rendered.conf"
	LAST_RENDERED=$T_TMP/$label.rendered
	LAST_RENDERED=${LAST_RENDERED// /_}
	cp "$T_TMP/rendered.conf" "$LAST_RENDERED"
	if msg=$(daemon_check "$d" "$T_TMP/rendered.conf" "$g" 2>&1); then
		ok "$label: $v accepts what ntpwiz writes from it"
	else
		not_ok "$label: $v accepts what ntpwiz writes from it"
		printf '%s\n' "$msg" | sed 's/^/#   /'
		sed 's/^/#   | /' "$T_TMP/rendered.conf"
	fi
}

T0=$(date +%s)
for g in deb12 deb13; do
	for d in chrony ntpsec openntpd; do
		f=$(stock "$d" "$g")
		if [ ! -s "$f" ]; then
			not_ok "$g $d: the package's own file is there ($f)"
			continue
		fi
		round "$d" "$g" "$f" "$g stock $d"
		[ "$d:$g" = chrony:deb13 ] && RENDERED13=$LAST_RENDERED
	done
done

# ntp.org: the ntp files of the corpus (the golden files; the import fuzz
# corpus holds the same files behind a selector byte)
n=0
for f in "$srcdir"/tests/data/golden/*.ntp.conf; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	round ntp ntporg "$f" "ntp.org $(basename "$f")"
done
expect "ntp.org: the corpus has ntp files ($n)" '[ "$n" -gt 0 ]'

# negative control: step 3's check can fail
if [ -n "${RENDERED13-}" ]; then
	{
		cat "$RENDERED13"
		echo 'leapseclist /usr/share/zoneinfo/leap-seconds.list'
	} >"$T_TMP/control.conf"
	msg=$(daemon_check chrony "$T_TMP/control.conf" deb12 2>&1)
	rc=$?
	expect "control: the rendered Debian 13 chrony file plus a leapseclist line is refused by chrony 4.3 ($msg)" \
		'[ "$rc" = 1 ] && contains "$msg" "Invalid directive"'
fi
echo "# took $(($(date +%s) - T0)) s"
finish
