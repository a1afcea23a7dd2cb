#!/bin/bash
# wild.sh: the corpus of real configuration files written by others
# (tests/data/wild/, origins and licences in its README). For each FILE.conf
# and its FILE.expect:
#   1. `ntpwiz import --json` in a Debian 12 sandbox root holding the file
#      where its daemon reads it carries the meaning the expectation names
#      (servers and their options, policy and networks, leap mode, the
#      lines that must be named in notes; tests/lib/wild_expect.py);
#   2. `ntpwiz render` of the imported profile succeeds and keeps the
#      meaning in the file itself (render-present / render-absent lines);
#   3. the real daemon's parser accepts the rendered file, for every daemon
#      generation tests/lib/daemons.sh offers (daemons_gens);
#   4. `ntpwiz audit` exits 3 with a finding that says why when the real
#      daemon refuses the original or can never get time from it
#      ("refused: yes"), and names no such finding otherwise.
# Audit runs with the real chronyd and OpenNTPD on PATH (their checkers,
# -p / -n only) and, where namespaces can be made, without a network.
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"
. "$srcdir/tests/lib/daemons.sh"
# daemons_gens and daemon_check's GEN come with tests/lib/daemons.sh's
# Debian 13 / ntp.org generations; before them, Debian 12 only.
GENS=1
type daemons_gens >/dev/null 2>&1 || { GENS=; daemons_gens() { echo deb12; }; }
check_gen() { # DAEMON FILE GEN
	if [ -n "$GENS" ]; then daemon_check "$1" "$2" "$3"; else daemon_check "$1" "$2"; fi
}

W=$srcdir/tests/data/wild
DEBIAN=$(cat "$srcdir/tests/data/roots/debian12-os-release")
command -v python3 >/dev/null 2>&1 || skip_or_fail "python3 is needed to read the expectations"
wexp() { python3 "$srcdir/tests/lib/wild_expect.py" "$@"; }

# the default place of each daemon's file in a Debian 12 root
default_path() {
	case $1 in
	chrony) echo /etc/chrony/chrony.conf ;;
	ntpsec) echo /etc/ntpsec/ntp.conf ;;
	ntp) echo /etc/ntp.conf ;;
	openntpd) echo /etc/openntpd/ntpd.conf ;;
	timesyncd) echo /etc/systemd/timesyncd.conf ;;
	esac
}

# The checkers audit runs (chronyd -p, OpenNTPD's ntpd -n) on PATH.
HAVE_DAEMONS=
if daemons_fetch >"$T_TMP/fetch.log" 2>&1; then
	HAVE_DAEMONS=1
	mkdir -p "$T_TMP/bin"
	ln -s "$(daemons_bin chrony)" "$T_TMP/bin/chronyd"
	ln -s "$(daemons_bin openntpd)" "$T_TMP/bin/openntpd"
	export PATH="$T_TMP/bin:$PATH"
else
	sed 's/^/# /' "$T_TMP/fetch.log"
	[ -n "${CI-}" ] && not_ok "CI: the Debian daemons could not be fetched"
fi
ISOLATE=
daemons_can_isolate && ISOLATE=1
# expect_or_show DESCRIPTION CONDITION DETAILS: a check, and on failure its
# details as comments
expect_or_show() {
	if eval "$2"; then
		ok "$1"
	else
		not_ok "$1"
		printf '%s\n' "$3" | sed '/^$/d; s/^/#   /'
	fi
}

# audit_cmd ARGS...: ntpwiz audit, without a network when we can make that
audit_cmd() {
	if [ -n "$ISOLATE" ]; then
		_daemons_unshare -n "$NTPWIZ" audit "$@"
	else
		"$NTPWIZ" audit "$@"
	fi
}

files=0
not_run=0
for conf in "$W"/*.conf; do
	name=$(basename "$conf" .conf)
	exp=${conf%.conf}.expect
	files=$((files + 1))
	# WILD_ONLY="NAME ...": only those files (to look at one by hand)
	[ -z "${WILD_ONLY:-}" ] || [[ " $WILD_ONLY " == *" $name "* ]] || continue
	if [ ! -f "$exp" ]; then
		not_ok "$name: has an expectation file"
		continue
	fi
	daemon=$(wexp get "$exp" daemon)
	path=$(wexp get "$exp" path)
	[ -n "$path" ] || path=$(default_path "$daemon")
	root=$(new_root "$DEBIAN")
	mkdir -p "$root$(dirname "$path")" "$root/usr/share/zoneinfo/right"
	cp "$conf" "$root$path"
	printf '#\tleap-seconds.list (test copy)\n#@\t6311088000\n' >"$root/usr/share/zoneinfo/leap-seconds.list"
	: >"$root/usr/share/zoneinfo/right/UTC"
	# ntp files are rendered for ntp.org's ntpd (its marks, as golden_root
	# has them), so ntp.org's parser judges ntp.org's language: without
	# them Debian 12's "ntp" renders NTPsec's (refclock lines, issue 16)
	if [ "$daemon" = ntp ]; then
		mkdir -p "$root/usr/sbin"
		: >"$root/usr/sbin/ntpd"
		: >"$root/usr/sbin/ntpdc"
	fi

	# 1. import
	run_ntpwiz import --root "$root" --daemon "$daemon" --json
	printf '%s\n' "$OUT" >"$T_TMP/$name.json"
	diffs=$(wexp import "$exp" "$T_TMP/$name.json")
	expect_or_show "$name: import keeps the meaning ($daemon, $path)" \
		'[ "$RC" -eq 0 ] && [ -z "$diffs" ]' "$diffs
$ERR"

	# 2. render the imported profile
	python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1])).get("profile",""))' \
		"$T_TMP/$name.json" >"$T_TMP/$name.cfg" 2>/dev/null
	"$NTPWIZ" render --root "$root" "$T_TMP/$name.cfg" >"$T_TMP/$name.rendered" 2>"$T_TMP/$name.render-err"
	rc=$?
	# what import's notes said (not the profile itself) and render's warnings
	python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])).get("notes",[])))' \
		"$T_TMP/$name.json" >"$T_TMP/$name.notes" 2>/dev/null
	diffs=$(wexp render "$exp" "$T_TMP/$name.rendered" "$T_TMP/$name.notes" "$T_TMP/$name.render-err")
	expect_or_show "$name: render of the imported profile succeeds and keeps the meaning" \
		'[ "$rc" -eq 0 ] && [ -z "$diffs" ]' "$diffs
$(sed 's/^/stderr: /' "$T_TMP/$name.render-err")"

	# 3. the real parsers accept the rendered file
	if [ "$rc" -eq 0 ] && [ -n "$HAVE_DAEMONS" ]; then
		for gen in $(daemons_gens "$daemon"); do
			check_gen "$daemon" "$T_TMP/$name.rendered" "$gen" 2>"$T_TMP/$name.check"
			crc=$?
			if [ "$crc" -eq 2 ]; then
				not_run=$((not_run + 1))
				echo "# $name: $daemon's parser ($gen) could not run: $(head -1 "$T_TMP/$name.check")"
				[ -n "${CI-}" ] && not_ok "$name: $daemon's parser ($gen) ran"
				continue
			fi
			expect_or_show "$name: $daemon's own parser ($gen) accepts the rendered file" \
				'[ "$crc" -eq 0 ]' "$(cat "$T_TMP/$name.check")"
		done
	fi

	# 4. audit: exit 3 exactly where the daemon refuses the file or never gets time
	OUT=$(audit_cmd --root "$root" --daemon "$daemon" 2>&1)
	RC=$?
	why=$(printf '%s\n' "$OUT" | grep -E ': high: (daemon-refuses|daemon-refuses-line|no-usable-source|ntp-pool-nopeer):')
	if [ "$(wexp get "$exp" refused)" = yes ]; then
		expect_or_show "$name: audit exits 3 and says the daemon refuses it or never gets time" \
			'[ "$RC" -eq 3 ] && [ -n "$why" ]' "$OUT"
	else
		expect_or_show "$name: audit finds nothing the daemon refuses and a source that can work" \
			'[ "$RC" -ne 1 ] && [ -z "$why" ]' "$OUT"
	fi
done

expect "the corpus holds at least 40 files ($files)" '[ "$files" -ge 40 ]'
[ "$not_run" -gt 0 ] && echo "# $not_run parser runs could not be made here"
finish
