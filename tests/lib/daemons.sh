#!/bin/bash
# shellcheck shell=bash
#
# tests/lib/daemons.sh - check a configuration file with each NTP daemon's
# own parser.  Sourced by test scripts (bash); it sets no shell options and
# no traps in the caller: every function that needs a temp dir or a trap
# runs its body in a subshell.
#
#   daemons_cache_dir            echo the cache folder for downloaded daemons
#   daemons_fetch                download + extract chrony, ntpsec,
#                                python3-ntp, openntpd (idempotent, locked)
#   daemons_bin DAEMON           echo the binary of chrony|ntpsec|openntpd
#   daemons_can_isolate          0 if private namespaces can be made here
#   daemon_check DAEMON FILE     run DAEMON's parser on FILE; DAEMON is
#                                chrony|ntpsec|ntp|openntpd|timesyncd
#
# daemon_check exit status: 0 accepted, 1 rejected (the daemon's complaint
# lines are printed on stderr), 2 the check itself could not run (missing
# binary, no namespaces, timeout; also explained on stderr).
#
# SAFETY (see /work/shared/DAEMONS.md): the machine's clock is never touched.
# Nothing here installs a package; binaries come from `apt-get download` +
# `dpkg -x` into the cache folder.  chronyd runs only with -p, OpenNTPD only
# with -n (in a private network namespace), ntpsec's ntpd only inside private
# network + mount + PID namespaces, under setpriv without CAP_SYS_TIME, with
# `disable ntp` and `disable kernel` in its configuration, and is killed by
# PID.  No traffic leaves the private namespaces (only `lo` exists there).

_DAEMONS_PKGS="chrony ntpsec python3-ntp openntpd"

# Repository top, from this file's location (tests/lib/daemons.sh).
_daemons_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
_daemons_top=$(cd "$_daemons_lib_dir/../.." && pwd)

# How long ntpsec may take to read its configuration, in 0.1 s steps.
: "${NTPWIZ_NTPSEC_POLLS:=50}"

daemons_cache_dir() {
	printf '%s\n' "${NTPWIZ_DAEMON_CACHE:-${abs_top_builddir:-$_daemons_top}/.cache/daemons}"
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
# chrony: chronyd -p
# ---------------------------------------------------------------------------
# `chronyd -p -f FILE` parses FILE (and the files it includes), prints the
# parsed directives on stdout and exits; it opens no socket and writes no
# file (checked with strace).  A parse error is `Fatal error : ... at line N`
# on stderr with exit 1 (first error only).  Removed directives (commandkey,
# linux_hz, generatecommandkey) only print "... directive is no longer
# supported" and exit 0: we count ANY stderr output as a failure, because a
# directive the daemon ignores is a bug in what we wrote.
_daemons_check_chrony() {	# FILE
	local bin err rc
	bin=$(daemons_bin chrony) || return 2
	err=$("$bin" -p -f "$1" 2>&1 >/dev/null)
	rc=$?
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
_daemons_check_openntpd() {	# FILE
	local bin out rc bad
	bin=$(daemons_bin openntpd) || return 2
	if ! daemons_can_isolate; then
		echo "openntpd: cannot create a private network namespace here (need root or user namespaces): not running ntpd -n, which may resolve names" >&2
		return 2
	fi
	out=$(_daemons_unshare -n timeout -s KILL 20 "$bin" -n -f "$1" 2>&1)
	rc=$?
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
_daemons_ntpsec_inner() {	# BIN CONF LOG POLLS DONE_REGEX
	local bin=$1 conf=$2 log=$3 polls=$4 done_re=$5 d pid i
	if ! mount --make-rprivate /; then
		echo "ntpwiz-harness: cannot make mount propagation private"
		return 3
	fi
	for d in /var/lib /var/log; do
		if ! mount -t tmpfs -o mode=0755,size=16m ntpwiz-check "$d"; then
			echo "ntpwiz-harness: cannot mount a tmpfs over $d"
			return 3
		fi
		mkdir -p "$d/ntpsec"
	done
	mount -o remount,bind,ro / 2>/dev/null || true
	if ! ip link set lo up; then
		echo "ntpwiz-harness: cannot bring lo up"
		return 3
	fi
	setpriv --bounding-set=-sys_time --inh-caps=-all -- "$bin" -n -c "$conf" &
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
		if (l ~ /^CLOCK: leapsecond file / &&
		    l !~ /good hash signature|: loaded, |expire/) {
			print fixpath(l); bad++; next
		}
	}
	END { exit(bad > 0) }' "$1"
}

# ntp.org 4.2.8 has no binary on Debian 12: the `ntp` package there is
# 1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1+deb12u1, a transitional package that only
# depends on ntpsec (checked with `apt-cache policy ntp` / `apt-cache show
# ntp`).  So an ntp.org config is checked with ntpsec's parser, the closest
# real parser available, after removing only what ntp.org has and ntpsec
# lacks or ignores: the `notrap` and `nopeer` flags on restrict lines (no-ops
# in ntpsec: it logs "restrict ... ignored") and `-4`/`-6` right after
# `restrict`.  Line numbers are kept.  Anything else ntp.org-only (e.g.
# `enable mode7`, `crypto`, autokey) is reported as an error by ntpsec.
# If a real ntp 4.2.8 package becomes available, use `ntpd --saveconfigquit F`
# and read its stderr (it exits 0 even on syntax errors).
_daemons_ntp_to_ntpsec() {	# reads stdin, writes stdout
	awk '
	$1 == "restrict" {
		out = "restrict"; i = 2
		if ($2 == "-4" || $2 == "-6") i = 3
		for (; i <= NF; i++)
			if ($i != "notrap" && $i != "nopeer") out = out " " $i
		print out; next
	}
	{ print }'
}

_daemons_check_ntpsec() {	# FILE MODE(ntpsec|ntp)
	local file=$1 mode=$2 bin tmp copy log rc errs label userns=()
	bin=$(daemons_bin ntpsec) || return 2
	if ! daemons_can_isolate; then
		echo "ntpsec: cannot create private network/mount/PID namespaces here (need root or user namespaces, and unshare, setpriv, ip): not starting ntpd" >&2
		return 2
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/ntpwiz-ntpsec.XXXXXX") || return 2
	# shellcheck disable=SC2064  # expand $tmp now
	trap "rm -rf '$tmp'" EXIT
	chmod 755 "$tmp"
	copy=$tmp/ntp.conf
	log=$tmp/ntpd.log
	{
		echo 'disable ntp'
		echo 'disable kernel'
		if [ "$mode" = ntp ]; then
			_daemons_ntp_to_ntpsec <"$file"
		else
			cat "$file"
		fi
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
		-n -m -p --kill-child --mount-proc \
		bash -c "$(declare -f _daemons_ntpsec_inner)"'; _daemons_ntpsec_inner "$@"' \
		ntpwiz-ntpsec "$bin" "$copy" "$log" "$NTPWIZ_NTPSEC_POLLS" "$_DAEMONS_NTPSEC_DONE" \
		>>"$log" 2>&1
	rc=$?
	if [ "$rc" != 0 ]; then
		echo "ntpsec: the check itself failed (status $rc); ntpd's output:" >&2
		sed 's/^/  /' "$log" >&2
		return 2
	fi
	label=$file
	[ "$mode" = ntp ] && label="$file (ntp.org config, checked with ntpsec's parser)"
	errs=$(_daemons_ntpsec_verdict "$log" "$copy" "$label" 2)
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

# daemon_check DAEMON FILE
# Runs in a subshell: own temp dirs and traps, safe to run in parallel.
daemon_check() (
	if [ $# != 2 ]; then
		echo "usage: daemon_check chrony|ntpsec|ntp|openntpd|timesyncd FILE" >&2
		exit 2
	fi
	if [ ! -r "$2" ] || [ -d "$2" ]; then
		echo "daemon_check: cannot read $2" >&2
		exit 2
	fi
	case $1 in
	chrony)    _daemons_check_chrony "$2" ;;
	openntpd)  _daemons_check_openntpd "$2" ;;
	ntpsec)    _daemons_check_ntpsec "$2" ntpsec ;;
	ntp)       _daemons_check_ntpsec "$2" ntp ;;
	timesyncd) _daemons_check_timesyncd "$2" ;;
	*)
		echo "daemon_check: unknown daemon '$1' (chrony|ntpsec|ntp|openntpd|timesyncd)" >&2
		exit 2 ;;
	esac
)
