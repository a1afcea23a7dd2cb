#!/bin/bash
# cli-operator.sh: the command line as a new operator meets it (issue 15):
# monitor --once says "not running" for ntp.org's ntpd that is not running;
# detect's columns stay in line with a long version; LANGUAGE=de works
# without a LANG naming a real locale; every command has its own --help
# (usage, options, exit codes).
#
# Safety: read-only commands; --root under a temp folder; stand-in ntpq.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"
: "${abs_top_builddir:=$srcdir}"

# --- defect 12: ntp.org's ntpq when no ntpd listens -----------------------------------
# ntp.org 4.2.8p10's ntpq, run by hand against a localhost where nothing
# listens, printed "ntpq: read: Connection refused" on stderr and exited 0.
mkdir -p "$T_TMP/bin"
printf '#!/bin/sh\necho "ntpq: read: Connection refused" >&2\nexit 0\n' >"$T_TMP/bin/ntpq"
chmod 755 "$T_TMP/bin/ntpq"
PATH="$T_TMP/bin:$PATH" run_ntpwiz monitor --once --daemon ntp </dev/null
expect "monitor --once, ntp.org's ntpd not running: exit 1, says not running" \
	'[ "$RC" = 1 ] && contains "$ERR" "ntpd is not running" && ! contains "$ERR" "nothing ntpwiz can read"'

# --- defect 12: detect's columns with a long version -----------------------------------
ROOT=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
mkdir -p "$ROOT/usr/sbin" "$ROOT/usr/bin" "$ROOT/var/lib/dpkg"
printf '#!/bin/sh\n' >"$ROOT/usr/sbin/ntpd"
printf '#!/bin/sh\n' >"$ROOT/usr/bin/ntpmon"
chmod 755 "$ROOT/usr/sbin/ntpd" "$ROOT/usr/bin/ntpmon"
cat >"$ROOT/var/lib/dpkg/status" <<'S'
Package: ntpsec
Status: install ok installed
Architecture: amd64
Version: 1.2.2+dfsg1-1+deb12u1~bpo11+1.some.long.local.suffix

S
run_ntpwiz detect --root "$ROOT"
table=$(printf '%s\n' "$OUT" | sed -n '/^daemon /,/^$/p')
col=$(printf '%s\n' "$table" | head -1 | awk '{ print index($0, "enabled") }')
misaligned=$(printf '%s\n' "$table" | sed 1d | grep -v '^$' | grep -v '^Conflict' |
	awk -v c="$col" 'substr($0, c, 3) != "no " && substr($0, c, 3) != "yes"')
expect "detect: the long version is shown whole" 'contains "$table" "1.2.2+dfsg1-1+deb12u1~bpo11+1.some.long.local.suffix"'
expect "detect: every row's 'enabled' value is under its heading" '[ -n "$col" ] && [ -z "$misaligned" ]'

# --- defect 12: LANGUAGE=de without a LANG that names a real locale --------------------
if [ -f "$abs_top_builddir/po/de.gmo" ]; then
	mkdir -p "$T_TMP/locale/de/LC_MESSAGES"
	cp "$abs_top_builddir/po/de.gmo" "$T_TMP/locale/de/LC_MESSAGES/ntpwiz.mo"
	for env in "LANG=" "LANG=C" "LANG=xx_YY.UTF-8"; do
		help=$(env -u LC_ALL -u LC_MESSAGES $env LANGUAGE=de NTPWIZ_LOCALEDIR="$T_TMP/locale" \
			"$NTPWIZ" --help 2>/dev/null | head -1)
		expect "LANGUAGE=de with $env: --help is German" '[ -n "$help" ] && [[ $help != Usage:* ]]'
	done
else
	echo "# po/de.gmo not built: the LANGUAGE checks are left out"
fi

# --- friction: every command has its own --help ------------------------------------------
global=$(LC_ALL=C "$NTPWIZ" --help)
commands=$(sed -n '/^Commands:/,/^$/p' <<<"$global" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
goptions=$(sed -n '/^Options:/,/^$/p' <<<"$global" | grep -o -- '--[a-z][a-z-]*' | sort -u)
expect "--help names at least six commands" '[ "$(wc -l <<<"$commands")" -ge 6 ]'
expect "--help says each command has its own help" 'contains "$global" "ntpwiz COMMAND --help"'
for cmd in $commands; do
	run_ntpwiz "$cmd" --help
	expect "$cmd --help: exit 0, its own usage line" \
		'[ "$RC" = 0 ] && [[ $(head -1 <<<"$OUT") == "Usage: ntpwiz $cmd "* ]]'
	expect "$cmd --help: options and exit status, not the global help" \
		'contains "$OUT" "Options:" && contains "$OUT" "Exit status:" && ! contains "$OUT" "Commands:"'
	unknown=
	for o in $(sed -n '/^Options:/,/^$/p' <<<"$OUT" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -qx -- "$o" <<<"$goptions" || unknown="$unknown $o"
	done
	expect "$cmd --help: every option it names is a real one (unknown:$unknown)" '[ -z "$unknown" ]'
	expect "$cmd --help: fits 80 columns" '! awk "length > 79" <<<"$OUT" | grep -q .'
	run_ntpwiz --root / "$cmd" -h
	expect "$cmd -h after another option: the same help" '[ "$RC" = 0 ] && [[ $OUT == "Usage: ntpwiz $cmd "* ]]'
done
run_ntpwiz check --help
expect "check --help: names exit status 2" 'contains "$OUT" "2 apply would change it"'
run_ntpwiz nosuch --help
expect "an unknown command with --help: the global help" '[ "$RC" = 0 ] && contains "$OUT" "Commands:"'

# --- README/first run: the manual pages render cleanly whatever the prefix ---------------
# make distcheck installs under a long folder: groff warned "cannot adjust line"
# on FILES, where the profile folder (prefix + share/ntpwiz/profiles) is set.
if command -v man >/dev/null 2>&1 && [ -f "$abs_top_builddir/Makefile" ]; then
	LONG=/tmp/$(printf 'a-rather-long-build-folder-name-%.0s' 1 2 3 4)/_inst/share/ntpwiz/profiles
	for page in ntpwiz.8 ntpwiz-profile.5; do
		# the recipe make would run, up to its output redirection
		recipe=$(make -s -n -B -C "$abs_top_builddir" "man/$page" profiledir="$LONG" 2>/dev/null |
			grep -F "$page.in" | head -1)
		recipe=${recipe#*&& }
		recipe=${recipe%% >*}
		(cd "$abs_top_builddir" && eval "$recipe") >"$T_TMP/$page" 2>/dev/null
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$T_TMP/$page" >"$T_TMP/$page.txt" 2>"$T_TMP/$page.err"
		expect "$page with a ${#LONG}-character profile folder: renders without warnings ($(head -1 "$T_TMP/$page.err"))" \
			'grep -qF "a-rather-long-build-folder-name" "$T_TMP/$page.txt" && [ ! -s "$T_TMP/$page.err" ]'
	done
fi

finish
