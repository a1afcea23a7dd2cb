#!/bin/bash
# debian-package.sh: the Debian package (debian/), as a user gets it.
#
# Builds it with `dpkg-buildpackage -us -uc -b` from a clean export of the
# committed tree (`git archive HEAD`: what is not committed is not tested),
# runs lintian on the .changes and the .deb (no error or warning that is
# not overridden with a reason), installs it with `apt-get install
# ./ntpwiz_*.deb` into a fresh Debian 12 minbase root (mmdebstrap; its
# tarball is cached), the dependencies coming from Debian's registry, runs
# ntpwiz there (--version, man -w, render of an installed profile,
# LANGUAGE=de --help), purges it and checks that nothing is left.
#
# Safety: the root has a policy-rc.d that refuses every service start, and
# the package is installed without Recommends (the time daemons): no daemon
# is ever installed or started. Everything is removed from a trap.
#
# Exit: 0 pass, 1 fail, 77 skip (not root, no dpkg-buildpackage, debhelper,
# build dependencies, mmdebstrap or git); with CI set, a missing
# prerequisite fails instead.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034,SC2016
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

[ "$(id -u)" = 0 ] || skip_or_fail "needs root (chroot into the Debian root, mmdebstrap)"
for t in git dpkg-buildpackage dpkg-checkbuilddeps dh mmdebstrap lintian flock; do
	command -v "$t" >/dev/null 2>&1 || skip_or_fail "$t not found (autogen.sh installs it)"
done
git -C "$srcdir" rev-parse --verify -q HEAD >/dev/null || skip_or_fail "$srcdir is not a git checkout"
missing=$(cd "$srcdir" && dpkg-checkbuilddeps 2>&1) || skip_or_fail "build dependencies missing: $missing"

ROOT=$T_TMP/root
cleanup() {
	if [ -d "$ROOT/proc" ] && mountpoint -q "$ROOT/proc"; then umount "$ROOT/proc"; fi
	rm -rf "$T_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- the build, from a clean export ---------------------------------------------------------
B=$T_TMP/build
mkdir -p "$B/src"
git -C "$srcdir" archive --format=tar HEAD | tar -x -C "$B/src"
expect "the export has debian/ and no build products" \
	'[ -x "$B/src/debian/rules" ] && [ ! -e "$B/src/configure" ] && [ ! -e "$B/src/ntpwiz" ]'
t0=$(date +%s)
# without make's variables: under `make check` MAKEFLAGS carries the outer
# run's TEST_LOGS (every suite, the real-host guest first) into the package
# build's own make check (seen: a CI run's package build still testing after
# 26 minutes); a package build never runs under a make
(cd "$B/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u MAKEFILES \
	dpkg-buildpackage -us -uc -b) >"$B/build.log" 2>&1
RC=$?
BUILD_S=$(($(date +%s) - t0))
version=$(dpkg-parsechangelog -l "$B/src/debian/changelog" -S Version)
deb=$B/ntpwiz_${version}_$(dpkg --print-architecture).deb
changes=$B/ntpwiz_${version}_$(dpkg --print-architecture).changes
echo "# dpkg-buildpackage -us -uc -b: ${BUILD_S} s (DEB_BUILD_OPTIONS='${DEB_BUILD_OPTIONS-}')"
expect "dpkg-buildpackage -us -uc -b: exit 0, builds $(basename "$deb") and its .changes" \
	'[ "$RC" = 0 ] && [ -f "$deb" ] && [ -f "$changes" ]'
if [ "$RC" != 0 ] || [ ! -f "$deb" ]; then
	tail -n 30 "$B/build.log" | sed 's/^/#   build: /'
	finish
	exit 1
fi
if [[ " ${DEB_BUILD_OPTIONS-} " == *" nocheck "* ]]; then
	expect "nocheck: no unit suite ran" '! grep -q "^PASS: tests/unit/" "$B/build.log"'
else
	expect "the build ran the unit suites, all passed" \
		'[ "$(grep -c "^PASS: tests/unit/" "$B/build.log")" -ge 20 ] && ! grep -q "^FAIL: " "$B/build.log" && ! grep -Eq "^(PASS|FAIL|SKIP|ERROR): tests/(integration|tui|vm|fuzz)/" "$B/build.log"'
fi

contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
for f in /usr/sbin/ntpwiz /usr/share/man/man8/ntpwiz.8.gz /usr/share/man/man5/ntpwiz-profile.5.gz \
	/usr/share/bash-completion/completions/ntpwiz /usr/share/ntpwiz/profiles/client.cfg \
	/usr/share/locale/de/LC_MESSAGES/ntpwiz.mo /usr/share/locale/fr/LC_MESSAGES/ntpwiz.mo \
	/usr/share/doc/ntpwiz/examples/ntpwiz-prometheus.timer; do
	expect "the package has $f" 'grep -qx -- "$f" <<<"$contents"'
done
expect "the package ships no /var/backups (ntpwiz makes its folder when it first backs up)" \
	'! grep -q "^/var" <<<"$contents"'
fields=$(dpkg-deb -f "$deb" Depends Recommends Suggests)
printf '%s\n' "$fields" | sed 's/^/#   /'
expect "the daemons are recommended, not depended on" \
	'grep -q "^Recommends:.*chrony" <<<"$fields" && ! grep -Eq "^Depends:.*(chrony|ntpsec|openntpd|timesyncd)" <<<"$fields"'

lint=$(lintian --tag-display-limit 0 "$changes" "$deb" 2>&1)
printf '%s\n' "$lint" | sed 's/^/#   lintian: /'
expect "lintian on the .changes and the .deb: no error, no warning" '! grep -Eq "^(E|W): " <<<"$lint"'

# --- a fresh Debian 12 root, cached as a tarball ----------------------------------------------
cache=$(daemons_test_cache)/deb12-minbase
tarball=$cache/root.tar
stamp="mmdebstrap --variant=minbase --include=man-db bookworm; policy-rc.d exit 101"
mkdir -p "$cache"
(
	flock -w 1200 9 || exit 1
	[ -f "$tarball" ] && [ "$(cat "$cache/stamp" 2>/dev/null)" = "$stamp" ] && exit 0
	hook='printf "#!/bin/sh\nexit 101\n" >"$1/usr/sbin/policy-rc.d" && chmod 755 "$1/usr/sbin/policy-rc.d"'
	mmdebstrap --variant=minbase --include=man-db --essential-hook="$hook" bookworm \
		"$cache/root.new.tar" >"$cache/build.log" 2>&1 || exit 1
	mv "$cache/root.new.tar" "$tarball" && printf '%s\n' "$stamp" >"$cache/stamp"
) 9>"$cache/.lock" || skip_or_fail "cannot build the Debian 12 root (mmdebstrap; log in $cache/build.log)"
mkdir -p "$ROOT"
tar -xf "$tarball" -C "$ROOT"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mount -t proc proc "$ROOT/proc"
in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
# every path of the root, but what apt and dpkg keep about themselves and
# ldconfig's cache (libc's trigger writes it when any library comes or goes)
tree() {
	(cd "$ROOT" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/cache/apt \
		-o -path ./var/lib/apt -o -path ./var/log -o -path ./var/cache/man -o -path ./var/cache/debconf \
		-o -path ./var/lib/dpkg -o -path ./var/cache/ldconfig \) -prune -o -print | sort)
}
in_root apt-get update -qq >"$T_TMP/apt.log" 2>&1 || skip_or_fail "apt-get update in the root failed (no network?)"
before=$(tree)
cp "$deb" "$ROOT/tmp/"
t0=$(date +%s)
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	"/tmp/$(basename "$deb")" >"$T_TMP/install.log" 2>&1
RC=$?
echo "# apt-get install ./$(basename "$deb"): $(($(date +%s) - t0)) s"
grep -E "^(Setting up|Unpacking) " "$T_TMP/install.log" | sed 's/^/#   /'
expect "apt-get install ./ntpwiz_*.deb in a fresh Debian 12 root: exit 0, the dependencies from the registry" \
	'[ "$RC" = 0 ] && grep -q "^Setting up ntpwiz " "$T_TMP/install.log" && grep -q "^Setting up libnewt" "$T_TMP/install.log"'
[ "$RC" = 0 ] || tail -n 20 "$T_TMP/install.log" | sed 's/^/#   /'
expect "no time daemon came with it" \
	'! in_root dpkg -l chrony ntpsec openntpd systemd-timesyncd 2>/dev/null | grep -q "^ii"'

out=$(in_root ntpwiz --version 2>&1)
expect "ntpwiz --version: ntpwiz $version, built with its libraries" \
	'[ "$(head -n 1 <<<"$out")" = "ntpwiz $version" ] && grep -q "^Built with: libconfig" <<<"$out"'
out=$(in_root man -w ntpwiz 2>&1)
expect "man -w ntpwiz: the installed page ($out)" '[ "$out" = /usr/share/man/man8/ntpwiz.8.gz ]'
out=$(in_root man -w 5 ntpwiz-profile 2>&1)
expect "man -w 5 ntpwiz-profile ($out)" '[ "$out" = /usr/share/man/man5/ntpwiz-profile.5.gz ]'
out=$(in_root ntpwiz render --daemon chrony /usr/share/ntpwiz/profiles/client.cfg 2>/dev/null)
RC=$?
expect "render of an installed profile for chrony: exit 0, a chrony.conf with a pool or server line" \
	'[ "$RC" = 0 ] && grep -Eq "^(pool|server) " <<<"$out" && grep -q "^makestep " <<<"$out"'
out=$(in_root env LANGUAGE=de ntpwiz --help 2>&1 | head -n 1)
expect "LANGUAGE=de ntpwiz --help is German ($out)" '[ -n "$out" ] && [[ $out != Usage:* ]] && [[ $out == Aufruf:* ]]'
out=$(in_root env LANGUAGE=fr ntpwiz --help 2>&1 | head -n 1)
expect "LANGUAGE=fr ntpwiz --help is French ($out)" '[ -n "$out" ] && [[ $out != Usage:* ]]'
out=$(in_root bash -c '. /usr/share/bash-completion/completions/ntpwiz && COMP_WORDS=(ntpwiz --daemon ch) COMP_CWORD=2 && _ntpwiz && echo "${COMPREPLY[*]}"' 2>&1)
expect "the bash completion loads and completes --daemon ch ($out)" '[ "$out" = chrony ]'

# ntpwiz apply makes /var/backups/ntpwiz (0700) when it first backs up; a
# real apply is not run here (it would configure this root), so its folder
# is made the way apply makes it, to see purge take it away
in_root mkdir -p -m 0700 /var/backups/ntpwiz
in_root sh -c 'echo old >/var/backups/ntpwiz/chrony.conf.20261207T000000Z'
in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q --autoremove ntpwiz >"$T_TMP/purge.log" 2>&1
RC=$?
expect "apt-get purge --autoremove ntpwiz: exit 0, the package and its dependencies gone" \
	'[ "$RC" = 0 ] && ! in_root dpkg -l ntpwiz 2>/dev/null | grep -q "^[ir]" && ! in_root dpkg -l "libnewt*" 2>/dev/null | grep -q "^ii"'
after=$(tree)
left=$(diff <(printf '%s\n' "$before") <(printf '%s\n' "$after"))
expect "nothing is left: the root's files are those before the install${left:+ (diff: $left)}" '[ -z "$left" ]'
expect "no ntpwiz path anywhere but the copied .deb and the logs" \
	'[ -z "$(cd "$ROOT" && find . -xdev -path ./proc -prune -o -path ./tmp -prune -o -path ./var/log -prune -o -name "*ntpwiz*" -print)" ]'

finish
