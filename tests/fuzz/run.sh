#!/bin/bash
# tests/fuzz/run.sh - build the libFuzzer targets with clang, apart from the
# main (gcc) build, and run them for a bounded time. See tests/fuzz/README.
#
#   run.sh build                   build every target
#   run.sh run [SECONDS [TARGET...]]
#                                  build, then fuzz each target for SECONDS
#                                  (default 60); exit 1 if any crashed
#   run.sh repro TARGET FILE...    build, then run the inputs through TARGET
#                                  once (reproduce a crash; exit 0 = fixed)
#
# Environment (`make fuzz` and `make check` set these; the defaults work in
# a configured source tree):
#   FUZZ_CC        clang with libFuzzer (default: clang)
#   FUZZ_TARGETS   the targets' sources, tests/fuzz/fuzz_NAME.c, in the order
#                  they run (Makefile.am's list; default: every fuzz_*.c)
#   FUZZ_SOURCES   the core library's sources (non-.c names are ignored;
#                  default: src/*.c except main.c and cli.c)
#   FUZZ_CPPFLAGS  include and library flags for them (default: the
#                  configured tree and pkg-config libconfig)
#   FUZZ_LIBS      libraries (default: pkg-config libconfig)
#   FUZZ_BUILD     where binaries, the working corpus and crashes go
#                  (default: ./fuzz-build of the build tree)
#   srcdir, abs_top_builddir  as in the test environment
#
# The committed seeds in tests/fuzz/corpus/TARGET are only read; what the
# fuzzer finds goes to FUZZ_BUILD/corpus/TARGET, a crash to
# FUZZ_BUILD/artifacts/TARGET-crash-*. Every run is bounded by
# -max_total_time, and each input by -timeout.

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${srcdir:=$here/../..}"
srcdir=$(cd "$srcdir" && pwd)
: "${abs_top_builddir:=$srcdir}"
: "${FUZZ_CC:=clang}"
: "${FUZZ_BUILD:=$abs_top_builddir/fuzz-build}"
if [ -z "${FUZZ_SOURCES-}" ]; then
	FUZZ_SOURCES=
	for f in "$srcdir"/src/*.c; do
		case ${f##*/} in main.c | cli.c) ;; *) FUZZ_SOURCES+=" src/${f##*/}" ;; esac
	done
fi
if [ -z "${FUZZ_CPPFLAGS-}" ]; then
	FUZZ_CPPFLAGS="-I$abs_top_builddir -I$srcdir/src $(pkg-config --cflags libconfig 2>/dev/null)"
fi
if [ -z "${FUZZ_LIBS-}" ]; then
	FUZZ_LIBS=$(pkg-config --libs libconfig 2>/dev/null || echo -lconfig)
fi
# shellcheck disable=SC2054  # commas inside one flag
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
CFLAGS=(-g -O1 -std=gnu11 -w -DLOCALEDIR='"/nonexistent"' -DPROFILEDIR="\"$srcdir/profiles\"")

# The targets' names (NAME of fuzz_NAME.c), one per line.
targets() {
	local f
	if [ -n "${FUZZ_TARGETS-}" ]; then
		for f in $FUZZ_TARGETS; do
			f=${f##*/fuzz_}
			echo "${f%.c}"
		done
	else
		for f in "$here"/fuzz_*.c; do
			f=${f##*/fuzz_}
			echo "${f%.c}"
		done
	fi
}

die() {
	echo "run.sh: $*" >&2
	exit 2
}

# newer FILE THAN...: 0 when FILE is missing or older than any of the rest
stale() {
	local f=$1 d
	shift
	[ -e "$f" ] || return 0
	for d in "$@"; do
		[ "$d" -nt "$f" ] && return 0
	done
	return 1
}

build() {
	local src obj objs=() t headers
	command -v "$FUZZ_CC" >/dev/null 2>&1 || die "$FUZZ_CC not found (set FUZZ_CC)"
	[ -f "$abs_top_builddir/config.h" ] || die "no config.h in $abs_top_builddir: run configure first"
	mkdir -p "$FUZZ_BUILD/obj" || die "cannot create $FUZZ_BUILD"
	# Any header change rebuilds everything: simple, and the core is small.
	mapfile -t headers < <(ls "$srcdir"/src/*.h "$here"/*.h "$abs_top_builddir/config.h")
	for src in $FUZZ_SOURCES; do
		case $src in *.c) ;; *) continue ;; esac
		obj=$FUZZ_BUILD/obj/$(basename "${src%.c}").o
		if stale "$obj" "$srcdir/$src" "${headers[@]}"; then
			echo "  FUZZCC   $src"
			# shellcheck disable=SC2086  # flag lists
			"$FUZZ_CC" "${CFLAGS[@]}" "${SAN[@]}" -fsanitize=fuzzer-no-link $FUZZ_CPPFLAGS \
				-c "$srcdir/$src" -o "$obj" || die "cannot compile $src with $FUZZ_CC"
		fi
		objs+=("$obj")
	done
	for t in $(targets); do
		[ -f "$here/fuzz_$t.c" ] || die "target $t: tests/fuzz/fuzz_$t.c is missing"
		if stale "$FUZZ_BUILD/fuzz_$t" "$here/fuzz_$t.c" "${objs[@]}" "${headers[@]}"; then
			echo "  FUZZLD   fuzz_$t"
			# shellcheck disable=SC2086
			"$FUZZ_CC" "${CFLAGS[@]}" "${SAN[@]}" -fsanitize=fuzzer $FUZZ_CPPFLAGS -I"$here" \
				"$here/fuzz_$t.c" "${objs[@]}" $FUZZ_LIBS -o "$FUZZ_BUILD/fuzz_$t" ||
				die "cannot build fuzz_$t"
		fi
	done
}

# run_one TARGET SECONDS: prints one summary line; 0 ok, 1 crash/failure
run_one() {
	local t=$1 secs=$2 log rc execs rate cov corpus dict=() seeds=() crash
	mkdir -p "$FUZZ_BUILD/corpus/$t" "$FUZZ_BUILD/artifacts" "$FUZZ_BUILD/logs" "$FUZZ_BUILD/tmp"
	log=$FUZZ_BUILD/logs/$t.log
	[ -f "$here/dict/$t.dict" ] && dict=(-dict="$here/dict/$t.dict")
	[ -d "$here/corpus/$t" ] && seeds=("$here/corpus/$t")
	# detect_leaks: a leak is a finding like any other. TMPDIR: a target's
	# scratch files stay in FUZZ_BUILD even when it dies.
	TMPDIR=$FUZZ_BUILD/tmp ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		timeout -s KILL $((secs + 120)) \
		"$FUZZ_BUILD/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=8192 -print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$FUZZ_BUILD/artifacts/$t-" \
		"$FUZZ_BUILD/corpus/$t" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
	corpus=$(find "$FUZZ_BUILD/corpus/$t" -type f | wc -l)
	if [ "$rc" = 0 ]; then
		echo "fuzz_$t: ${secs} s, ${execs:-?} executions, ${rate:-?}/s, ${cov:-cov: ?}, working corpus $corpus inputs: no crash"
		return 0
	fi
	crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	echo "fuzz_$t: FAILED (exit $rc) after ${execs:-?} executions; input: ${crash:-none saved}"
	grep -E 'ERROR|fuzz property failed|SUMMARY|runtime error' "$log" | head -n 5 | sed 's/^/    /'
	echo "    log: $log"
	[ -n "$crash" ] && echo "    reproduce: bash $here/run.sh repro $t $crash"
	return 1
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case $cmd in
build)
	build
	;;
run)
	secs=${1:-60}
	[ $# -gt 0 ] && shift
	case $secs in '' | *[!0-9]*) die "SECONDS must be a whole number, not '$secs'" ;; esac
	build
	list=("$@")
	[ ${#list[@]} -gt 0 ] || mapfile -t list < <(targets)
	failed=0
	for t in "${list[@]}"; do
		run_one "$t" "$secs" || failed=1
	done
	exit "$failed"
	;;
repro)
	[ $# -ge 2 ] || die "usage: run.sh repro TARGET FILE..."
	t=$1
	shift
	build
	mkdir -p "$FUZZ_BUILD/tmp"
	TMPDIR=$FUZZ_BUILD/tmp ASAN_OPTIONS=detect_leaks=1:symbolize=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$FUZZ_BUILD/fuzz_$t" -runs=1 "$@"
	;;
*)
	die "unknown command '$cmd' (build, run, repro)"
	;;
esac
