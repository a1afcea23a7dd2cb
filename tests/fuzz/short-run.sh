#!/bin/bash
# tests/fuzz/short-run.sh - the short fuzz run of `make check` (and so of
# CI): every target (FUZZ_TARGETS in Makefile.am) for NTPWIZ_FUZZ_SECONDS each
# (default 20), built with clang + libFuzzer apart from the main build.
# A crash, a leak, undefined behaviour or a broken property fails the test
# and names the saved input and the command that reproduces it.
#
# Exit: 0 pass, 1 fail, 77 skip (no clang with libFuzzer: configure's
# FUZZ_CC is empty); with CI set, a missing clang fails instead.

: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

skip_or_fail() {
	if [ -n "${CI-}" ]; then
		echo "FAIL (CI is set): $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

[ -n "${FUZZ_CC-}" ] || skip_or_fail "configure found no clang that builds libFuzzer targets (install clang, or set FUZZ_CC, and re-run configure)"
command -v timeout >/dev/null 2>&1 || skip_or_fail "timeout not found"
secs=${NTPWIZ_FUZZ_SECONDS:-20}
run="$srcdir/tests/fuzz/run.sh"

if bash "$run" build >"$T_TMP/build.log" 2>&1; then
	ok "the fuzz targets build with $FUZZ_CC -fsanitize=fuzzer,address,undefined"
else
	not_ok "the fuzz targets build with $FUZZ_CC"
	sed 's/^/#   /' "$T_TMP/build.log" | tail -n 30
	finish
	exit 1
fi

while read -r t; do
	if bash "$run" run "$secs" "$t" >"$T_TMP/$t.out" 2>&1; then
		ok "$(grep "^fuzz_$t:" "$T_TMP/$t.out")"
	else
		not_ok "fuzz_$t for $secs s"
		grep -v '^  FUZZ' "$T_TMP/$t.out" | sed 's/^/#   /'
	fi
done < <(for f in ${FUZZ_TARGETS:-"$srcdir"/tests/fuzz/fuzz_*.c}; do
	f=${f##*/fuzz_}
	echo "${f%.c}"
done)
finish
