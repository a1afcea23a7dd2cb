#!/bin/bash
# testlib.sh: small helpers for the shell tests (sourced). Counts checks and
# ends with the plain "N passed, M failed" line.
#
# Expects NTPWIZ (the binary) and srcdir from the test environment; both
# default to the build tree for running a test by hand.

: "${srcdir:=$(dirname "${BASH_SOURCE[0]}")/../..}"
srcdir=$(cd "$srcdir" && pwd) # tests may cd; automake's srcdir is relative
: "${NTPWIZ:=$srcdir/ntpwiz}"
T_PASS=0
T_FAIL=0
T_TMP=$(mktemp -d /tmp/ntpwiz-test.XXXXXX)
trap 'rm -rf "$T_TMP"' EXIT

ok() { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
not_ok() { T_FAIL=$((T_FAIL + 1)); echo "not ok - $*"; }

# check DESCRIPTION COMMAND...: passes when the command succeeds
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# new_root FAMILY-OS-RELEASE-TEXT: prints a fresh sandbox root directory
new_root() {
	local root
	root=$(mktemp -d "$T_TMP/root.XXXXXX")
	mkdir -p "$root/etc"
	printf '%s\n' "$1" >"$root/etc/os-release"
	echo "$root"
}

# run_ntpwiz ARGS...: runs the binary; sets RC, OUT (stdout), ERR (stderr)
run_ntpwiz() {
	"$NTPWIZ" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}

# tree_state DIR: a listing of every file with its checksum and mode
tree_state() {
	(cd "$1" && find . -printf '%p %m %y\n' | sort && find . -type f -exec sha256sum {} + | sort)
}

# skip_or_fail REASON: exit 77 (skip), or fail when CI is set (CI must not
# skip a test for want of a tool that autogen.sh installs)
skip_or_fail() {
	if [ -n "${CI-}" ]; then
		echo "FAIL (CI is set): $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] && [ "$T_PASS" -gt 0 ]
}

# contains HAYSTACK NEEDLE: the needle is a plain string, not a pattern
contains() { [[ $1 == *"$2"* ]]; }

# expect DESCRIPTION 'CONDITION': passes when the bash condition holds
expect() {
	if eval "$2"; then ok "$1"; else not_ok "$1"; fi
}
