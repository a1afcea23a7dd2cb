#!/bin/bash
# shellcheck shell=bash
#
# tests/lib/daemons.sh - the real NTP daemons of each generation, and a check
# of a configuration file with each daemon's own parser.  Sourced by test
# scripts (bash); it sets no shell options and no traps in the caller: every
# function that needs a temp dir or a trap runs its body in a subshell.
#
# Generations (GEN):
#   deb12   Debian 12 packages (chrony 4.3, NTPsec 1.2.2, OpenNTPD 6.2p3),
#           `apt-get download` + `dpkg -x`, run from the extracted tree
#   deb13   Debian 13 (trixie) packages (chrony 4.6.1, NTPsec 1.2.3,
#           OpenNTPD 6.2p3): one mmdebstrap minbase root per daemon (they
#           conflict), run with `chroot ROOT` (glibc 2.38+ needed)
#   ntporg  ntp.org's own ntpd/ntpq/ntpdc 4.2.8p10, built from
#           /work/shared/thirdparty/ntp-4.2.8p10.tar.gz (NTPWIZ_NTP_TARBALL)
#
# Interface (stable; other tests call it):
#   daemons_test_cache           echo the cache top:
#                                ${NTPWIZ_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ntpwiz-tests}
#   daemons_cache_dir            echo the Debian 12 package cache
#                                (NTPWIZ_DAEMON_CACHE, else TOP/deb12)
#   daemons_fetch                download + extract Debian 12's chrony, ntpsec,
#                                python3-ntp, openntpd (idempotent, locked)
#   daemons_bin DAEMON           echo the Debian 12 binary of chrony|ntpsec|openntpd
#   daemons_root13 DAEMON        echo the Debian 13 root holding DAEMON
#                                (chrony|ntpsec|openntpd; +tzdata; ntpsec also
#                                python3-ntp for ntpq); built if missing or
#                                stale (locked, ~2 min each here); status 1 and
#                                the reason on stderr if it cannot be built
#   daemons_ntporg_dir           echo the folder holding ntp.org's ntpd, ntpq,
#                                ntpdc (built if missing/stale: locked, 2-12 min)
#   daemons_gens DAEMON          print the generations available for DAEMON:
#                                chrony|ntpsec|openntpd: deb12 deb13;
#                                ntp: ntporg; timesyncd: deb12
#   daemons_prepare DAEMON [GEN] make sure GEN of DAEMON exists (fetch, build
#                                root or ntp.org); status 1 + reason if not
#   daemons_can_isolate          0 if private namespaces can be made here
#   daemons_version DAEMON [GEN] print the version of that daemon binary
#                                (4.3, 1.2.3, 6.2p3, 4.2.8p10...) as it says
#                                itself (OpenNTPD: its package's version)
#   daemon_check DAEMON FILE [GEN]
#                                run DAEMON's parser of generation GEN on FILE;
#                                DAEMON is chrony|ntpsec|ntp|openntpd|timesyncd;
#                                GEN defaults to deb12, ntporg for ntp
#   daemons_skip_or_fail REASON  exit 1 under CI (CI=true), else exit 77
#
# Running a Debian 13 daemon yourself: `chroot "$(daemons_root13 chrony)"
# /usr/sbin/chronyd ...`, with every file it reads inside that root (make a
# folder with `mktemp -d ROOT/tmp/ntpwiz-XXXXXX` and pass the path without
# the ROOT prefix), under the same rules as below (clock control off, private
# namespaces, tmpfs over ROOT/run, ROOT/var/lib and ROOT/var/log in a private
# mount namespace, so the shared root is not written).  The roots are shared
# by every test run and helper: never change anything else in them; to use
# one as an `ntpwiz --root` sandbox (apply, detect), copy it first
# (`cp -a ROOT "$T_TMP/root"`, ~150 MB) or bind-mount it read-only.
# tests/lib/netns.sh starts a daemon of any generation in a network
# namespace (netns_start_gen DAEMON GEN NS CONF LOG) and puts that
# generation's chronyc/ntpq/ntpdc in a folder for PATH (netns_tools).
#
# Caches live outside the source tree, under daemons_test_cache: deb12/
# (downloaded .debs, extracted), deb13/chrony|ntpsec|openntpd (the roots),
# ntporg/ (the build).  Each is made under a flock of its own (several test
# runs can share them) and carries a stamp of what built it (package file
# name; mmdebstrap arguments; tarball checksum + recipe): a missing or
# different stamp rebuilds it.
#
# daemon_check exit status: 0 accepted, 1 rejected (the daemon's complaint
# lines are printed on stderr), 2 the check itself could not run (missing
# binary or root, no namespaces, timeout; also explained on stderr).
#
# SAFETY (see /work/shared/DAEMONS.md): the machine's clock is never touched.
# Nothing here installs a package on the machine; binaries come from `apt-get
# download` + `dpkg -x` into the cache folder, from mmdebstrap roots, or from
# the ntp.org build.  chronyd runs only with -p, OpenNTPD only with -n (in a
# private network namespace), NTPsec's and ntp.org's ntpd only inside private
# network + mount + PID namespaces, under setpriv without CAP_SYS_TIME
# (NTPsec with `disable ntp` and `disable kernel` in its configuration;
# ntp.org only parses with --saveconfigquit), and are killed by PID.  No
# traffic leaves the private namespaces (only `lo` exists there).

_DAEMONS_PKGS="chrony ntpsec python3-ntp openntpd"

# Repository top, from this file's location (tests/lib/daemons.sh).
_daemons_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
_daemons_top=$(cd "$_daemons_lib_dir/../.." && pwd)

# How long ntpsec may take to read its configuration, in 0.1 s steps.
: "${NTPWIZ_NTPSEC_POLLS:=50}"

daemons_test_cache() {
	printf '%s\n' "${NTPWIZ_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ntpwiz-tests}"
}

daemons_cache_dir() {
	printf '%s\n' "${NTPWIZ_DAEMON_CACHE:-$(daemons_test_cache)/deb12}"
}

daemons_skip_or_fail() {	# REASON
	if [ -n "${CI-}" ]; then
		echo "FAIL (CI is set): $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

# ---------------------------------------------------------------------------
# Fetching
# ---------------------------------------------------------------------------

_daemons_have_pkg() {	# CACHE PKG
	[ -f "$1/.stamp.$2" ] && [ -d "$1/$2" ]
}

_daemons_find_deb() {	# DEBDIR PKG: echo the newest downloaded PKG_*.deb
	local f last=
	for f in "$1/$2"_*.deb; do
		[ -f "$f" ] && last=$f
	done
	[ -n "$last" ] && printf '%s\n' "$last"
}

_daemons_download() {	# DEBDIR PKG LOG
	(cd "$1" && apt-get download "$2") >"$3" 2>&1
}

_daemons_fetch_locked() {	# CACHE PKG...
	local cache=$1 pkg deb log updated=0
	shift
	log=$cache/.apt-download.log
	for pkg in "$@"; do
		_daemons_have_pkg "$cache" "$pkg" && continue	# done while we waited
		deb=$(_daemons_find_deb "$cache/debs" "$pkg")
		if [ -z "$deb" ]; then
			if ! command -v apt-get >/dev/null 2>&1; then
				echo "daemons_fetch: apt-get not found: cannot get package $pkg (Debian/Ubuntu only)" >&2
				return 1
			fi
			if ! _daemons_download "$cache/debs" "$pkg" "$log"; then
				if [ "$(id -u)" = 0 ] && [ "$updated" = 0 ]; then
					updated=1
					echo "daemons_fetch: apt-get download $pkg failed; running apt-get update -qq once" >&2
					apt-get update -qq >&2 || true
					_daemons_download "$cache/debs" "$pkg" "$log" || {
						echo "daemons_fetch: cannot download package $pkg even after apt-get update:" >&2
						sed 's/^/  /' "$log" >&2
						return 1
					}
				else
					echo "daemons_fetch: cannot download package $pkg (apt-get download failed; not retrying: apt-get update needs root or was already run):" >&2
					sed 's/^/  /' "$log" >&2
					return 1
				fi
			fi
			deb=$(_daemons_find_deb "$cache/debs" "$pkg")
			if [ -z "$deb" ]; then
				echo "daemons_fetch: apt-get download $pkg succeeded but no ${pkg}_*.deb appeared in $cache/debs" >&2
				return 1
			fi
		fi
		# Each package in its own folder: ntpsec and openntpd both ship
		# /usr/sbin/ntpd.
		rm -rf "${cache:?}/$pkg" "${cache:?}/$pkg.tmp"
		if ! mkdir "$cache/$pkg.tmp" || ! dpkg -x "$deb" "$cache/$pkg.tmp"; then
			echo "daemons_fetch: cannot extract $deb (removed; it will be downloaded again next time)" >&2
			rm -rf "${cache:?}/$pkg.tmp" "$deb"
			return 1
		fi
		mv "$cache/$pkg.tmp" "$cache/$pkg" || return 1
		basename "$deb" >"$cache/.stamp.$pkg"
	done
	return 0
}

daemons_fetch() {
	local cache pkg missing=()
	cache=$(daemons_cache_dir)
	for pkg in $_DAEMONS_PKGS; do
		_daemons_have_pkg "$cache" "$pkg" || missing+=("$pkg")
	done
	[ "${#missing[@]}" = 0 ] && return 0	# fast path: no lock needed

	if ! mkdir -p "$cache/debs"; then
		echo "daemons_fetch: cannot create $cache/debs" >&2
		return 1
	fi
	if ! command -v flock >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
		echo "daemons_fetch: need flock and dpkg (Debian/Ubuntu) to get the daemons" >&2
		return 1
	fi
	(
		if ! flock -w 600 9; then
			echo "daemons_fetch: timed out waiting for the lock $cache/.lock" >&2
			exit 1
		fi
		_daemons_fetch_locked "$cache" "${missing[@]}"
	) 9>"$cache/.lock"
}

daemons_bin() {
	local cache p
	cache=$(daemons_cache_dir)
	case ${1-} in
	chrony)   p=$cache/chrony/usr/sbin/chronyd ;;
	ntpsec)   p=$cache/ntpsec/usr/sbin/ntpd ;;
	openntpd) p=$cache/openntpd/usr/sbin/ntpd ;;
	*)
		echo "daemons_bin: unknown daemon '${1-}' (chrony|ntpsec|openntpd)" >&2
		return 2 ;;
	esac
	printf '%s\n' "$p"
	if [ ! -x "$p" ]; then
		echo "daemons_bin: $p is missing; run daemons_fetch first" >&2
		return 1
	fi
}

# ---------------------------------------------------------------------------
# Debian 13 roots (mmdebstrap)
# ---------------------------------------------------------------------------
# One minbase root per daemon (chrony, ntpsec and openntpd conflict).  A
# policy-rc.d that refuses every service start is put in before the daemon is
# installed, so the package's postinst cannot start anything.  The stamp
# (ROOT/.ntpwiz-stamp) holds the recipe; another recipe rebuilds the root.

_DAEMONS_ROOT13_RECIPE=1
_DAEMONS_ROOT13_SUITE=trixie

_daemons_root13_include() {	# DAEMON
	case $1 in
	chrony)   echo chrony,tzdata ;;
	ntpsec)   echo ntpsec,python3-ntp,tzdata ;;
	openntpd) echo openntpd,tzdata ;;
	*) return 1 ;;
	esac
}

_daemons_root13_stamp() {	# DAEMON
	printf 'recipe %s: mmdebstrap --variant=minbase --include=%s %s (policy-rc.d exit 101)\n' \
		"$_DAEMONS_ROOT13_RECIPE" "$(_daemons_root13_include "$1")" "$_DAEMONS_ROOT13_SUITE"
}

_daemons_root13_ok() {	# DIR DAEMON
	[ -f "$1/.ntpwiz-stamp" ] && [ "$(cat "$1/.ntpwiz-stamp")" = "$(_daemons_root13_stamp "$2")" ]
}

_daemons_root13_build() {	# DIR DAEMON (under the lock)
	local dir=$1 daemon=$2 tmp log rc hook
	_daemons_root13_ok "$dir" "$daemon" && return 0	# built while we waited
	tmp=$dir.tmp
	log=$dir.log
	rm -rf "${tmp:?}"
	# shellcheck disable=SC2016  # $1 is mmdebstrap's, expanded in its hook
	hook='printf "#!/bin/sh\nexit 101\n" >"$1/usr/sbin/policy-rc.d" && chmod 755 "$1/usr/sbin/policy-rc.d"'
	echo "daemons_root13: building the Debian 13 root for $daemon in $dir (mmdebstrap, once; log in $log)" >&2
	mmdebstrap --variant=minbase --include="$(_daemons_root13_include "$daemon")" \
		--essential-hook="$hook" "$_DAEMONS_ROOT13_SUITE" "$tmp" >"$log" 2>&1
	rc=$?
	if [ "$rc" != 0 ] || [ ! -d "$tmp/usr/sbin" ]; then
		echo "daemons_root13: mmdebstrap failed (status $rc) for $daemon; last lines of $log:" >&2
		tail -n 15 "$log" | sed 's/^/  /' >&2
		rm -rf "${tmp:?}"
		return 1
	fi
	_daemons_root13_stamp "$daemon" >"$tmp/.ntpwiz-stamp" || return 1
	rm -rf "${dir:?}"
	mv "$tmp" "$dir"
}

daemons_root13() {	# DAEMON
	local daemon=${1-} top dir
	if ! _daemons_root13_include "$daemon" >/dev/null; then
		echo "daemons_root13: unknown daemon '$daemon' (chrony|ntpsec|openntpd)" >&2
		return 2
	fi
	top=$(daemons_test_cache)/deb13
	dir=$top/$daemon
	if ! _daemons_root13_ok "$dir" "$daemon"; then
		if ! command -v mmdebstrap >/dev/null 2>&1 || ! command -v flock >/dev/null 2>&1; then
			echo "daemons_root13: no Debian 13 root for $daemon in $dir, and mmdebstrap or flock is missing to build it" >&2
			return 1
		fi
		if [ "$(id -u)" != 0 ]; then
			echo "daemons_root13: no Debian 13 root for $daemon in $dir; building one (and chroot into it) needs root" >&2
			return 1
		fi
		mkdir -p "$top" || return 1
		(
			if ! flock -w 1200 9; then
				echo "daemons_root13: timed out waiting for the lock $top/.lock.$daemon" >&2
				exit 1
			fi
			_daemons_root13_build "$dir" "$daemon"
		) 9>"$top/.lock.$daemon" || return 1
	fi
	printf '%s\n' "$dir"
}

# ---------------------------------------------------------------------------
# ntp.org 4.2.8p10 (built from the release tarball)
# ---------------------------------------------------------------------------
# The recipe of /work/shared/thirdparty/README.md.  The stamp is the
# tarball's SHA-256 plus the recipe; another tarball or recipe rebuilds.

_DAEMONS_NTPORG_CONFIGURE='--without-crypto --disable-all-clocks --disable-parse-clocks --without-ntpsnmpd'
_DAEMONS_NTPORG_CFLAGS='-O1 -fcommon -Wno-error'

_daemons_ntporg_tarball() {
	local f
	for f in "${NTPWIZ_NTP_TARBALL-}" "$_daemons_top/../shared/thirdparty/ntp-4.2.8p10.tar.gz" \
		/work/shared/thirdparty/ntp-4.2.8p10.tar.gz; do
		[ -n "$f" ] && [ -f "$f" ] && { printf '%s\n' "$f"; return 0; }
	done
	echo "daemons_ntporg_dir: ntp-4.2.8p10.tar.gz not found (set NTPWIZ_NTP_TARBALL)" >&2
	return 1
}

_daemons_ntporg_stamp() {	# TARBALL
	local sum
	sum=$(sha256sum <"$1") || return 1
	printf 'recipe 1: %s; drop the __sun #if in libntp/work_thread.c; ./configure %s CFLAGS="%s"; make\n' \
		"${sum%% *}" "$_DAEMONS_NTPORG_CONFIGURE" "$_DAEMONS_NTPORG_CFLAGS"
}

_daemons_ntporg_ok() {	# DIR STAMP
	[ -f "$1/.ntpwiz-stamp" ] && [ "$(cat "$1/.ntpwiz-stamp")" = "$2" ] &&
		[ -x "$1/ntpd" ] && [ -x "$1/ntpq" ] && [ -x "$1/ntpdc" ]
}

_daemons_ntporg_build() {	# TOP TARBALL STAMP (under the lock)
	local top=$1 tarball=$2 stamp=$3 build log src
	_daemons_ntporg_ok "$top/bin" "$stamp" && return 0
	build=$top/build
	log=$top/build.log
	rm -rf "${build:?}" "${top:?}/bin.tmp"
	mkdir -p "$build" "$top/bin.tmp" || return 1
	echo "daemons_ntporg_dir: building ntp.org ntpd 4.2.8p10 in $build (once, about 2 minutes; log in $log)" >&2
	# shellcheck disable=SC2086  # the configure options are words
	if ! (
		set -e
		tar -xzf "$tarball" -C "$build"
		src=$(echo "$build"/ntp-*)
		cd "$src"
		sed -i '/^#ifndef __sun$/,+5d' libntp/work_thread.c
		./configure $_DAEMONS_NTPORG_CONFIGURE CFLAGS="$_DAEMONS_NTPORG_CFLAGS"
		make -j2
		cp ntpd/ntpd ntpq/ntpq ntpdc/ntpdc "$top/bin.tmp/"
	) >"$log" 2>&1; then
		echo "daemons_ntporg_dir: the ntp.org build failed; last lines of $log:" >&2
		tail -n 15 "$log" | sed 's/^/  /' >&2
		rm -rf "${build:?}" "${top:?}/bin.tmp"
		return 1
	fi
	printf '%s\n' "$stamp" >"$top/bin.tmp/.ntpwiz-stamp" || return 1
	rm -rf "${top:?}/bin" "${build:?}"
	mv "$top/bin.tmp" "$top/bin"
}

daemons_ntporg_dir() {
	local top tarball stamp
	top=$(daemons_test_cache)/ntporg
	tarball=$(_daemons_ntporg_tarball) || return 1
	stamp=$(_daemons_ntporg_stamp "$tarball") || return 1
	if ! _daemons_ntporg_ok "$top/bin" "$stamp"; then
		for t in flock make cc; do
			if ! command -v "$t" >/dev/null 2>&1; then
				echo "daemons_ntporg_dir: $t not found: cannot build ntp.org ntpd" >&2
				return 1
			fi
		done
		mkdir -p "$top" || return 1
		(
			if ! flock -w 1800 9; then
				echo "daemons_ntporg_dir: timed out waiting for the lock $top/.lock" >&2
				exit 1
			fi
			_daemons_ntporg_build "$top" "$tarball" "$stamp"
		) 9>"$top/.lock" || return 1
	fi
	printf '%s\n' "$top/bin"
}

# ---------------------------------------------------------------------------
# Generations
# ---------------------------------------------------------------------------

daemons_gens() {	# DAEMON
	case ${1-} in
	chrony | ntpsec | openntpd) echo deb12 deb13 ;;
	ntp) echo ntporg ;;
	timesyncd) echo deb12 ;;
	*)
		echo "daemons_gens: unknown daemon '${1-}' (chrony|ntpsec|ntp|openntpd|timesyncd)" >&2
		return 2 ;;
	esac
}

_daemons_default_gen() {	# DAEMON
	case $1 in ntp) echo ntporg ;; *) echo deb12 ;; esac
}

daemons_prepare() {	# DAEMON [GEN]
	local daemon=${1-} gen=${2-}
	[ -n "$gen" ] || gen=$(_daemons_default_gen "$daemon")
	case " $(daemons_gens "$daemon") " in
	*" $gen "*) ;;
	*)
		echo "daemons_prepare: no generation '$gen' for $daemon (have: $(daemons_gens "$daemon" 2>/dev/null))" >&2
		return 2 ;;
	esac
	case $daemon:$gen in
	timesyncd:*) return 0 ;;
	*:deb12) daemons_fetch ;;
	*:deb13) daemons_root13 "$daemon" >/dev/null ;;
	ntp:ntporg) daemons_ntporg_dir >/dev/null ;;
	esac
}

daemons_version() {	# DAEMON [GEN]
	local daemon=${1-} gen=${2-} root out
	[ -n "$gen" ] || gen=$(_daemons_default_gen "$daemon")
	daemons_prepare "$daemon" "$gen" || return 1
	case $daemon:$gen in
	chrony:deb12) out=$("$(daemons_bin chrony)" -v) ;;
	ntpsec:deb12) out=$("$(daemons_bin ntpsec)" --version) ;;
	openntpd:deb12) out=$(cat "$(daemons_cache_dir)/.stamp.openntpd") ;;
	chrony:deb13) out=$(chroot "$(daemons_root13 chrony)" /usr/sbin/chronyd -v) ;;
	ntpsec:deb13) out=$(chroot "$(daemons_root13 ntpsec)" /usr/sbin/ntpd --version) ;;
	openntpd:deb13)
		root=$(daemons_root13 openntpd) || return 1
		# shellcheck disable=SC2016  # dpkg-query's format
		out=$(chroot "$root" dpkg-query -W -f '${Version}' openntpd) ;;
	ntp:ntporg) out=$("$(daemons_ntporg_dir)/ntpd" --version) ;;
	*) return 1 ;;
	esac
	# chronyd (chrony) version 4.3 (...); ntpd ntpsec-1.2.2 ...;
	# openntpd_1%3a6.2p3-4.2_amd64.deb, 1:6.2p3-4.2+b2; ntpd 4.2.8p10@1.3728 ...
	printf '%s\n' "$out" | head -n 1 | sed -E 's/^chronyd \(chrony\) version ([^ ]+).*/\1/;
		s/^ntpd ntpsec-([0-9.]+).*/\1/; s/^ntpd ([0-9][^@ ]*)@.*/\1/;
		s/^openntpd_1%3a([^-]+)-.*/\1/; s/^1:([^-]+)-.*/\1/'
}

# ---------------------------------------------------------------------------
# Namespaces
# ---------------------------------------------------------------------------

# unshare as root, or as a normal user through a user namespace.
_daemons_unshare() {
	if [ "$(id -u)" = 0 ]; then
		unshare "$@"
	else
		unshare --map-root-user "$@"
	fi
}

# 0 if we can make the private network/mount/PID namespaces the ntpsec and
# openntpd checks need (and have the tools used inside them).
daemons_can_isolate() {
	local t
	for t in unshare setpriv ip timeout; do
		command -v "$t" >/dev/null 2>&1 || return 1
	done
	_daemons_unshare -n -m -p --kill-child --mount-proc \
		sh -c 'ip link set lo up && mount -t tmpfs ntpwiz-probe /mnt' \
		>/dev/null 2>&1
}

# ---------------------------------------------------------------------------
# Debian 13: a file inside the root, a command in the root
# ---------------------------------------------------------------------------
# _daemons_stage13 DAEMON FILE: copies FILE into a new folder under ROOT/tmp
# and sets _D13_ROOT, _D13_TMP (host path of the folder, removed by the
# caller's EXIT trap) and _D13_FILE (the copy's path inside the root).
_daemons_stage13() {	# DAEMON FILE
	_D13_ROOT=$(daemons_root13 "$1") || return 2
	_D13_TMP=$(mktemp -d "$_D13_ROOT/tmp/ntpwiz-check.XXXXXX") || return 2
	# shellcheck disable=SC2064  # expand now
	trap "rm -rf '$_D13_TMP'" EXIT
	chmod 755 "$_D13_TMP"
	cp "$2" "$_D13_TMP/${2##*/}" || return 2
	_D13_FILE=${_D13_TMP#"$_D13_ROOT"}/${2##*/}
}

# _daemons_relabel INNER LABEL: stdin to stdout with INNER replaced by LABEL
_daemons_relabel() {
	awk -v a="$1" -v b="$2" '{
		while ((i = index($0, a)) > 0)
			$0 = substr($0, 1, i - 1) b substr($0, i + length(a))
		print
	}'
}

# ---------------------------------------------------------------------------
# chrony: chronyd -p
# ---------------------------------------------------------------------------
# `chronyd -p -f FILE` parses FILE (and the files it includes), prints the
# parsed directives on stdout and exits; it opens no socket and writes no
# file (checked with strace).  A parse error is `Fatal error : ... at line N`
# on stderr with exit 1 (first error only).  Removed directives (commandkey,
# linux_hz, generatecommandkey) only print "... directive is no longer
# supported" and exit 0: we count ANY stderr output as a failure, because a
# directive the daemon ignores is a bug in what we wrote.
# Debian 13's chronyd runs as `chroot ROOT chronyd -p` in a private network
# namespace, on a copy of FILE inside the root (so the stock file's confdir
# and sourcedir lines read the root's folders).
_daemons_check_chrony() {	# FILE GEN
	local bin err rc
	if [ "$2" = deb13 ]; then
		_daemons_stage13 chrony "$1" || return 2
		if ! daemons_can_isolate; then
			echo "chrony (Debian 13): cannot create a private network namespace here" >&2
			return 2
		fi
		err=$(_daemons_unshare -n timeout -s KILL 20 chroot "$_D13_ROOT" \
			/usr/sbin/chronyd -p -f "$_D13_FILE" 2>&1 >/dev/null)
		rc=$?
		err=$(printf '%s' "$err" | _daemons_relabel "$_D13_FILE" "$1")
	else
		bin=$(daemons_bin chrony) || return 2
		err=$("$bin" -p -f "$1" 2>&1 >/dev/null)
		rc=$?
	fi
	if [ "$rc" != 0 ] || [ -n "$err" ]; then
		[ -n "$err" ] || err="chronyd -p exited with status $rc"
		printf '%s\n' "$err" >&2
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------------------
# OpenNTPD: ntpd -n
# ---------------------------------------------------------------------------
# `ntpd -n -f FILE` prints `configuration OK` (stderr) and exits 0, or
# `FILE:N: syntax error` (several) and exits 1.  It resolves the names of
# `listen on NAME` itself, so it runs in a private network namespace: no DNS
# query can leave the machine (a name there then fails to resolve, which is
# right: `listen on` wants an address).
# Debian's build has no libtls and prints `constraint configured without
# libtls support` for constraint(s) lines: that line is tolerated (the config
# is valid and works on builds with libtls, e.g. OpenBSD); any OTHER line
# besides `configuration OK` counts as failure, since openntpd prints nothing
# else for a config it fully accepts.
_daemons_check_openntpd() {	# FILE GEN
	local bin out rc bad
	if ! daemons_can_isolate; then
		echo "openntpd: cannot create a private network namespace here (need root or user namespaces): not running ntpd -n, which may resolve names" >&2
		return 2
	fi
	if [ "$2" = deb13 ]; then
		_daemons_stage13 openntpd "$1" || return 2
		out=$(_daemons_unshare -n timeout -s KILL 20 chroot "$_D13_ROOT" \
			/usr/sbin/ntpd -n -f "$_D13_FILE" 2>&1)
		rc=$?
		out=$(printf '%s\n' "$out" | _daemons_relabel "$_D13_FILE" "$1")
	else
		bin=$(daemons_bin openntpd) || return 2
		out=$(_daemons_unshare -n timeout -s KILL 20 "$bin" -n -f "$1" 2>&1)
		rc=$?
	fi
	bad=$(printf '%s\n' "$out" | grep -vE '^(configuration OK|constraint configured without libtls support)$' | grep -v '^$')
	if [ "$rc" = 0 ] && [ -z "$bad" ] && printf '%s\n' "$out" | grep -qx 'configuration OK'; then
		return 0
	fi
	if [ -z "$out" ]; then
		echo "openntpd: ntpd -n exited with status $rc and printed nothing (could not run it in a private network namespace?)" >&2
		return 2
	fi
	printf '%s\n' "${bad:-$out}" >&2
	return 1
}

# ---------------------------------------------------------------------------
# ntpsec: start it, read the CONFIG: lines, kill it
# ---------------------------------------------------------------------------
# ntpsec has no dry-run.  We copy FILE, add `disable ntp` and `disable kernel`
# (first AND last, so a later `enable` in FILE cannot win; ntpsec applies
# enable/disable in file order), and start `ntpd -n -c COPY` inside new
# network (only `lo`, up), mount and PID namespaces, under
# `setpriv --bounding-set=-sys_time --inh-caps=-all`.  In the mount namespace
# (propagation made private) tmpfs is mounted over /var/lib and /var/log,
# with empty ntpsec/ folders as a package install would have, and the rest of
# / is remounted read-only (best effort): nothing ntpd writes (driftfile,
# statsdir, logfile, NTS keys) can reach the real disk.  We poll its output
# (every 0.1 s, at most NTPWIZ_NTPSEC_POLLS = 5 s) until it logs the OpenSSL
# version, which ntpd does after getconfig() and loop_config() have run, i.e.
# after all parse-time and apply-time CONFIG: messages; then kill it by PID
# and wait for it.  The namespace's init is our inner shell: when it ends, the
# kernel kills anything left in the PID namespace, and `timeout` + unshare
# --kill-child bound the whole thing.
#
# Verdict: every `CONFIG:` line is an error except the allow-list below.
# Observed with ntpsec 1.2.2 (Debian 12):
#   benign:
#     CONFIG: readconfig: parsing file: /tmp/.../ntp.conf
#     (and its sibling `CONFIG: readconfig: parsing directory: DIR` for an
#     includefile naming a folder)
#   errors:
#     CONFIG: line 3 column 34 syntax error
#     CONFIG: syntax error in /tmp/.../ntp.conf line 3, column 34
#     CONFIG: restrict nopeer ignored
#     CONFIG: restrict notrap ignored
#     CONFIG: line 5 column 0 Built without LEAP_SMEAR support.
#     CONFIG: attempt to configure invalid address 224.0.1.1
#     CONFIG: minpoll: provided value (99) is too large [0-17])
#     CONFIG: config_vars(): unexpected token 326
#     CONFIG: configpeers: Ignoring duplicate '127.0.0.1'
#     CONFIG: restrict default: KOD does nothing without LIMITED.
#     CONFIG: failed to open '/nonexistent': No such file or directory
#     CONFIG: Couldn't open </nonexistent>
#     CONFIG: Cannot open logfile /x/y.log: No such file or directory
#   (`lowpriotrap` gives the `syntax error` pair.)
# Line numbers in the errors are corrected for the two lines we prepend and
# the copy's path is replaced by FILE's name.
# Also errors: `CLOCK: leapsecond file ('F'): stat failed: ...` (a leapfile
# that does not exist) and other leapsecond-file failures; and lines of our
# own harness (`ntpwiz-harness:`), e.g. ntpd exiting early or hanging.
# Not errors (observed, not about the config's validity):
#   RESTRICT: Specific restriction will break 127.0.0.1  (any `server` that
#     is a local address; only test configs do that)
#   CLOCK: leapsecond file (...): expired less than 148 days ago  (depends on
#     the test machine's tzdata and date, not on the config)
#   CLOCK: start_kern_loop/set_freq: ... ntp_adjtime: Operation not permitted
#     (proof that CAP_SYS_TIME is gone), INIT:, IO:, DNS:, NTSc:, statistics
#     directory ... lines.
# Limits: only what ntpd itself reports is checked; `server 0.0.0.0` and
# `server 999.1.1.1` (taken as a host name, resolved later) print nothing.
# `restrict HOSTNAME` is resolved while parsing and always fails here (no DNS
# in the namespace).

_DAEMONS_NTPSEC_DONE='INIT: (Built with )?OpenSSL |NTSc: |statistics directory '

# Runs as PID 1 of the new namespaces, via bash -c "$(declare -f ...)".
# stdout/stderr are already the log file LOG (opened outside, so it stays
# writable after / is made read-only here).
# ROOT empty: BIN and CONF are host paths; else a Debian 13 root: BIN and
# CONF are paths inside ROOT, ntpd runs through `chroot ROOT`, and the tmpfs
# go over ROOT's /var/lib, /var/log and /run (plus a /proc of this PID
# namespace), so the shared root is never written.
_daemons_ntpsec_inner() {	# BIN CONF LOG POLLS DONE_REGEX ROOT
	local bin=$1 conf=$2 log=$3 polls=$4 done_re=$5 root=${6-} d pid i
	local chroot_argv=()
	if ! mount --make-rprivate /; then
		echo "ntpwiz-harness: cannot make mount propagation private"
		return 3
	fi
	for d in /var/lib /var/log ${root:+/run}; do
		if ! mount -t tmpfs -o mode=0755,size=16m ntpwiz-check "$root$d"; then
			echo "ntpwiz-harness: cannot mount a tmpfs over $root$d"
			return 3
		fi
		mkdir -p "$root$d/ntpsec"
	done
	if [ -n "$root" ]; then
		mount -t proc proc "$root/proc" 2>/dev/null || true
		chroot_argv=(chroot "$root")
	else
		mount -o remount,bind,ro / 2>/dev/null || true
	fi
	if ! ip link set lo up; then
		echo "ntpwiz-harness: cannot bring lo up"
		return 3
	fi
	setpriv --bounding-set=-sys_time --inh-caps=-all -- "${chroot_argv[@]}" "$bin" -n -c "$conf" &
	pid=$!
	i=0
	while [ "$i" -lt "$polls" ]; do
		grep -qE "$done_re" "$log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	if ! grep -qE "$done_re" "$log"; then
		if kill -0 "$pid" 2>/dev/null; then
			echo "ntpwiz-harness: ntpd did not finish reading its configuration within $((polls / 10)) s"
		else
			echo "ntpwiz-harness: ntpd exited before it finished reading its configuration"
		fi
	fi
	kill -TERM "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# Classify ntpd's log: print the error lines, exit 1 if there are any.
_daemons_ntpsec_verdict() {	# LOG COPY LABEL OFFSET
	awk -v copy="$2" -v label="$3" -v off="$4" '
	function fixlines(s,    out, n) {
		# "line N" -> "line N-off": we prepended off lines to the copy
		out = ""
		while (match(s, /line [0-9]+/)) {
			n = substr(s, RSTART + 5, RLENGTH - 5) - off
			out = out substr(s, 1, RSTART - 1) "line " n
			s = substr(s, RSTART + RLENGTH)
		}
		return out s
	}
	function fixpath(s,    i) {
		while ((i = index(s, copy)) > 0)
			s = substr(s, 1, i - 1) label substr(s, i + length(copy))
		return s
	}
	{
		l = $0
		sub(/^[0-9][0-9T:.+-]* ntpd\[[0-9]+\]: /, "", l)
		if (l ~ /^ntpwiz-harness: /) { print l; bad++; next }
		if (l ~ /^CONFIG: /) {
			if (l ~ /^CONFIG: readconfig: parsing (file|directory): /)
				next
			print fixpath(fixlines(l)); bad++; next
		}
		# issue 16: a key file ntpd cannot read, or a key it refuses
		if (l ~ /^AUTH: authreadkeys: / && l !~ /^AUTH: authreadkeys: (reading|added [0-9]+ keys)/) {
			print fixpath(l); bad++; next
		}
		if (l ~ /^CLOCK: leapsecond file / &&
		    l !~ /good hash signature|: loaded, |expire/) {
			print fixpath(l); bad++; next
		}
	}
	END { exit(bad > 0) }' "$1"
}

# A private IPC namespace (-i) too: a refclock shm line makes ntpd create
# the SysV shared memory segment gpsd writes (issue 16 section 5), which
# must not appear on the host.
_daemons_check_ntpsec() {	# FILE GEN
	local file=$1 gen=${2:-deb12} bin tmp copy log rc errs label userns=()
	local root='' incopy
	if ! daemons_can_isolate; then
		echo "ntpsec: cannot create private network/mount/PID namespaces here (need root or user namespaces, and unshare, setpriv, ip): not starting ntpd" >&2
		return 2
	fi
	if [ "$gen" = deb13 ]; then
		root=$(daemons_root13 ntpsec) || return 2
		bin=/usr/sbin/ntpd
		tmp=$(mktemp -d "$root/tmp/ntpwiz-ntpsec.XXXXXX") || return 2
	else
		bin=$(daemons_bin ntpsec) || return 2
		tmp=$(mktemp -d "${TMPDIR:-/tmp}/ntpwiz-ntpsec.XXXXXX") || return 2
	fi
	# shellcheck disable=SC2064  # expand $tmp now
	trap "rm -rf '$tmp'" EXIT
	chmod 755 "$tmp"
	copy=$tmp/ntp.conf
	incopy=${copy#"$root"}
	log=$tmp/ntpd.log
	{
		echo 'disable ntp'
		echo 'disable kernel'
		cat "$file"
		echo
		echo 'disable ntp'
		echo 'disable kernel'
	} >"$copy" || return 2
	: >"$log"
	[ "$(id -u)" = 0 ] || userns=(--map-root-user)
	# The inner shell polls $log while ntpd appends to it: on purpose.
	# shellcheck disable=SC2094
	timeout -s KILL $((NTPWIZ_NTPSEC_POLLS / 10 + 15)) \
		unshare "${userns[@]}" \
		-n -i -m -p --kill-child --mount-proc \
		bash -c "$(declare -f _daemons_ntpsec_inner)"'; _daemons_ntpsec_inner "$@"' \
		ntpwiz-ntpsec "$bin" "$incopy" "$log" "$NTPWIZ_NTPSEC_POLLS" "$_DAEMONS_NTPSEC_DONE" "$root" \
		>>"$log" 2>&1
	rc=$?
	if [ "$rc" != 0 ]; then
		echo "ntpsec: the check itself failed (status $rc); ntpd's output:" >&2
		sed 's/^/  /' "$log" >&2
		return 2
	fi
	label=$file
	errs=$(_daemons_ntpsec_verdict "$log" "$incopy" "$label" 2)
	rc=$?
	[ "$rc" = 0 ] && return 0
	printf '%s\n' "$errs" >&2
	if grep -q '^ntpwiz-harness: ' "$log"; then
		echo "ntpsec: last lines of ntpd's output:" >&2
		tail -n 20 "$log" | sed 's/^/  /' >&2
		# ntpd hanging is our problem (2); ntpd exiting early is the
		# config's (1).
		grep -q '^ntpwiz-harness: ntpd did not finish' "$log" && return 2
	fi
	return 1
}

# ---------------------------------------------------------------------------
# ntp.org 4.2.8p10: ntpd --saveconfigquit
# ---------------------------------------------------------------------------
# `ntpd -n -c FILE --saveconfigquit=OUT` parses FILE, writes the
# configuration as ntpd understood it to OUT and exits 0, errors or not: the
# verdict is in its log (stderr).  It runs in new network (only `lo`), mount
# and PID namespaces, with tmpfs over /var/lib and /var/log, under setpriv
# without CAP_SYS_TIME.  Observed with 4.2.8p10:
#   benign:  `ntpd 4.2.8p10@... : Starting`, `Command line: ...`,
#            `proto: precision = ...`, `Cannot set RLIMIT_MEMLOCK: ...`
#            (no CAP_SYS_RESOURCE in a user namespace), `configuration saved
#            to OUT`
#   errors:  `line 1 column 13 syntax error, unexpected T_String, ...` and
#            `syntax error in FILE line 1, column 13` (an unknown flag or
#            keyword; only the first per line), `getconfig: Couldn't open
#            </nonexistent>` (includefile), `line 1 column 0 Built without
#            LEAP_SMEAR support.`
# Every other line counts as an error, as does a missing `configuration
# saved` line.  Limits (observed): --saveconfigquit stops before the
# configuration is applied, so a leapfile or logfile that cannot be opened,
# `minpoll 99`, `restrict HOSTNAME` and `restrict 192.168.0.0/16` print
# nothing.

_daemons_ntporg_inner() {	# NTPD CONF OUT
	local d
	mount --make-rprivate / || { echo "ntpwiz-harness: cannot make mount propagation private"; return 3; }
	for d in /var/lib /var/log; do
		mount -t tmpfs -o mode=0755,size=16m ntpwiz-check "$d" ||
			{ echo "ntpwiz-harness: cannot mount a tmpfs over $d"; return 3; }
	done
	# OUT's folder stays writable when / is made read-only
	mount --bind "${3%/*}" "${3%/*}" ||
		{ echo "ntpwiz-harness: cannot bind-mount ${3%/*}"; return 3; }
	mount -o remount,bind,ro / 2>/dev/null || true
	ip link set lo up || { echo "ntpwiz-harness: cannot bring lo up"; return 3; }
	setpriv --bounding-set=-sys_time --inh-caps=-all -- "$1" -n -c "$2" --saveconfigquit="$3"
}

_daemons_check_ntporg() {	# FILE
	local file=$1 dir tmp log rc errs userns=()
	dir=$(daemons_ntporg_dir) || return 2
	if ! daemons_can_isolate; then
		echo "ntp.org ntpd: cannot create private network/mount/PID namespaces here: not starting ntpd" >&2
		return 2
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/ntpwiz-ntporg.XXXXXX") || return 2
	# shellcheck disable=SC2064  # expand $tmp now
	trap "rm -rf '$tmp'" EXIT
	chmod 755 "$tmp"
	log=$tmp/ntpd.log
	[ "$(id -u)" = 0 ] || userns=(--map-root-user)
	timeout -s KILL 30 unshare "${userns[@]}" -n -i -m -p --kill-child --mount-proc \
		bash -c "$(declare -f _daemons_ntporg_inner)"'; _daemons_ntporg_inner "$@"' \
		ntpwiz-ntporg "$dir/ntpd" "$file" "$tmp/saved.conf" >"$log" 2>&1
	rc=$?
	if [ "$rc" != 0 ] || grep -q '^ntpwiz-harness: ' "$log"; then
		echo "ntp.org ntpd: the check itself failed (status $rc); its output:" >&2
		sed 's/^/  /' "$log" >&2
		return 2
	fi
	errs=$(awk -v saved="$tmp/saved.conf" '
	{
		l = $0
		sub(/^ *[0-9]+ [A-Z][a-z][a-z] [0-9:]+ ntpd\[[0-9]+\]: /, "", l)
		if (l ~ /^ntpd 4\.[0-9.p]+@.*: Starting$/ || l ~ /^Command line: / ||
		    l ~ /^proto: precision = / || l ~ /^Cannot set RLIMIT_MEMLOCK: / ||
		    l == "" )
			next
		if (l == "configuration saved to " saved) { saved_ok = 1; next }
		print l; bad++
	}
	END {
		if (!saved_ok) { print "ntpwiz-harness: ntpd did not say \"configuration saved\""; bad++ }
		exit(bad > 0)
	}' "$log")
	rc=$?
	[ "$rc" = 0 ] && return 0
	printf '%s\n' "$errs" >&2
	return 1
}

# ---------------------------------------------------------------------------
# systemd-timesyncd: strict lint (there is no parser to run)
# ---------------------------------------------------------------------------
# A drop-in for /etc/systemd/timesyncd.conf.d/: blank lines and comments
# (first non-blank `#` or `;`) allowed; the first other line must be exactly
# `[Time]`; no other section; `Key=Value` lines with only the keys timesyncd
# knows; NTP=/FallbackNTP= values are space-separated host names / IPv4 /
# IPv6 literals (characters A-Z a-z 0-9 . : -; empty resets the list); the
# *Sec keys take a systemd time span (`5`, `30s`, `34min 8s`).  No line may end
# in a backslash (timesyncd would join it with the next line) and no control
# characters or CR.
_daemons_check_timesyncd() {	# FILE
	local errs
	if ! errs=$(LC_ALL=C awk -v f="$1" '
	function err(msg) { printf "%s:%d: %s\n", f, NR, msg; bad++ }
	BEGIN { sect = 0; bad = 0 }
	{
		l = $0
		t = l; gsub(/\t/, " ", t)
		if (t ~ /[[:cntrl:]]/) { err("control character (CR?) in line"); next }
		if (l ~ /\\$/) { err("line ends in a backslash: timesyncd joins it with the next line"); next }
		if (l ~ /^[ \t]*$/ || l ~ /^[ \t]*[#;]/) next
		if (!sect) {
			sect = 1
			if (l != "[Time]") { err("first line that is not a comment must be [Time], not: " l); next }
			next
		}
		if (l ~ /^[ \t]*\[/) {
			if (l != "[Time]") err("unknown section: " l)
			next
		}
		if (l !~ /^[A-Za-z]+[ \t]*=/) { err("not a Key=Value line: " l); next }
		key = l; sub(/[ \t]*=.*/, "", key)
		val = substr(l, index(l, "=") + 1)
		sub(/^[ \t]+/, "", val); sub(/[ \t]+$/, "", val)
		if (key == "NTP" || key == "FallbackNTP") {
			n = split(val, w, /[ \t]+/)
			for (i = 1; i <= n; i++) {
				if (w[i] == "") continue
				if (w[i] !~ /^[A-Za-z0-9.:-]+$/ || w[i] ~ /^[-.]/)
					err(key ": not a host name or address: " w[i])
			}
		} else if (key == "RootDistanceMaxSec" || key == "PollIntervalMinSec" ||
		    key == "PollIntervalMaxSec" || key == "ConnectionRetrySec" ||
		    key == "SaveIntervalSec") {
			v = val; gsub(/[ \t]+/, "", v)
			if (v !~ /^([0-9]+(\.[0-9]+)?(usec|us|msec|ms|seconds|second|sec|s|minutes|minute|min|m|hours|hour|hr|h|days|day|d|weeks|week|w|months|month|M|years|year|y)?)+$/)
				err(key ": not a time span: " val)
		} else {
			err("unknown key for [Time]: " key)
		}
	}
	END {
		if (!sect) { printf "%s: no [Time] section\n", f; bad++ }
		exit(bad > 0)
	}' "$1"); then
		printf '%s\n' "$errs" >&2
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------------------

# daemon_check DAEMON FILE [GEN]
# Runs in a subshell: own temp dirs and traps, safe to run in parallel.
daemon_check() (
	if [ $# != 2 ] && [ $# != 3 ]; then
		echo "usage: daemon_check chrony|ntpsec|ntp|openntpd|timesyncd FILE [GEN]" >&2
		exit 2
	fi
	daemon=$1 file=$2 gen=${3-}
	[ -n "$gen" ] || gen=$(_daemons_default_gen "$daemon")
	gens=$(daemons_gens "$daemon") || exit 2
	case " $gens " in
	*" $gen "*) ;;
	*)
		echo "daemon_check: no generation '$gen' for $daemon (have: $gens)" >&2
		exit 2 ;;
	esac
	if [ ! -r "$file" ] || [ -d "$file" ]; then
		echo "daemon_check: cannot read $file" >&2
		exit 2
	fi
	case $daemon in
	chrony)    _daemons_check_chrony "$file" "$gen" ;;
	openntpd)  _daemons_check_openntpd "$file" "$gen" ;;
	ntpsec)    _daemons_check_ntpsec "$file" "$gen" ;;
	ntp)       _daemons_check_ntporg "$file" ;;
	timesyncd) _daemons_check_timesyncd "$file" ;;
	esac
)
