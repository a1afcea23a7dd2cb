#!/bin/bash
# golden.sh: every shipped profile x every daemon, rendered for a Debian 12
# sandbox root, must match tests/data/golden byte for byte:
#   PROFILE.DAEMON.conf  the file ntpwiz writes (checked again by the real
#                        daemons in daemon-parsers.sh)
#   PROFILE.DAEMON.warn  the warnings printed beside it, if any
#   PROFILE.DAEMON.err   what ntpwiz says when the daemon cannot express the
#                        profile (exit 1, nothing on stdout)
# "golden.sh --update" rewrites them; review the diff before committing.
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"

update=no
[ "${1:-}" = --update ] && update=yes
golden=$srcdir/tests/data/golden
daemons="ntp ntpsec chrony openntpd timesyncd"
# shellcheck source=tests/lib/roots.sh
. "$srcdir/tests/lib/roots.sh"
root=$(golden_root)	# Debian 12 with its leap files and ntp.org's ntpd (roots.sh)
[ $update = yes ] && mkdir -p "$golden"

cd "$srcdir" || exit 1
nprofiles=0
for profile in profiles/*.cfg; do
	nprofiles=$((nprofiles + 1))
	name=$(basename "$profile" .cfg)
	for d in $daemons; do
		run_ntpwiz render "$profile" --daemon "$d" --root "$root"
		base=$golden/$name.$d
		if [ $update = yes ]; then
			rm -f "$base.conf" "$base.err" "$base.warn"
			if [ "$RC" -eq 0 ]; then
				cp "$T_TMP/out" "$base.conf"
				[ -s "$T_TMP/err" ] && cp "$T_TMP/err" "$base.warn"
			else
				cp "$T_TMP/err" "$base.err"
			fi
			continue
		fi
		if [ -f "$base.conf" ]; then
			check "$name x $d: renders (exit $RC)" [ "$RC" -eq 0 ]
			check "$name x $d: bytes match $name.$d.conf" cmp -s "$T_TMP/out" "$base.conf"
			if [ -f "$base.warn" ]; then
				check "$name x $d: warnings match $name.$d.warn" cmp -s "$T_TMP/err" "$base.warn"
			else
				check "$name x $d: no message" [ ! -s "$T_TMP/err" ] || sed 's/^/#   /' "$T_TMP/err"
			fi
		elif [ -f "$base.err" ]; then
			check "$name x $d: refused (exit $RC)" [ "$RC" -eq 1 ]
			check "$name x $d: nothing on stdout" [ ! -s "$T_TMP/out" ]
			check "$name x $d: message matches $name.$d.err" cmp -s "$T_TMP/err" "$base.err"
		else
			not_ok "$name x $d: no golden file (run make update-golden and review it)"
		fi
		if ! cmp -s "$T_TMP/out" "$base.conf" 2>/dev/null && [ -f "$base.conf" ]; then
			diff -u "$base.conf" "$T_TMP/out" | sed 's/^/#   /' | head -40
		fi
	done
done
[ $update = yes ] && { echo "golden files written to $golden"; exit 0; }
check "the shipped profiles were found ($nprofiles)" [ "$nprofiles" -ge 5 ]
# every profile renders for at least one daemon, and all five daemons are covered
for d in $daemons; do
	check "some profile renders for $d" compgen -G "$golden/*.$d.conf" >/dev/null
done
finish
