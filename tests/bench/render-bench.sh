#!/bin/bash
# render-bench.sh: whole-process cost of "ntpwiz render PROFILE" (benchmark,
# not a test; run with "make bench" on a build without sanitizers).
#
# Reports the median wall time and peak RSS of N runs for shipped profiles
# in a Debian 12 sandbox root, the ratio to the targets (3 ms, 4 MiB), and
# the ratio to starting /bin/true, the floor of any process.
set -eu
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${NTPWIZ:=$srcdir/ntpwiz}"
: "${BENCHRUN:=$srcdir/tests/bench/benchrun}"
RUNS=${RUNS:-500}
TARGET_MS=3
TARGET_KIB=4096

if ldd "$NTPWIZ" | grep -q 'libasan\|libubsan'; then
	echo "warning: $NTPWIZ is a sanitizer build; its figures say nothing about the targets." >&2
	echo "         Build without --enable-sanitizers (e.g. in a separate build directory)." >&2
fi
root=$(mktemp -d /tmp/ntpwiz-bench.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc"
cp "$srcdir/tests/data/roots/debian12-os-release" "$root/etc/os-release"

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

floor=$("$BENCHRUN" -n "$RUNS" -- /bin/true)
floor_ms=$(field median_ms "$floor")
printf '%-34s %s\n' "/bin/true (process floor)" "$floor"
for p in client lan-server public-server; do
	for d in chrony ntpsec; do
		line=$("$BENCHRUN" -n "$RUNS" -- "$NTPWIZ" render "$srcdir/profiles/$p.cfg" --daemon "$d" --root "$root")
		ms=$(field median_ms "$line")
		kib=$(field max_rss_kib "$line")
		printf '%-34s %s\n' "render $p.cfg --daemon $d" "$line"
		awk -v ms="$ms" -v kib="$kib" -v f="$floor_ms" -v tm=$TARGET_MS -v tk=$TARGET_KIB 'BEGIN {
			printf "%-34s median %.3f ms = %.2f x target (%d ms), %.1f x /bin/true; peak RSS %d KiB = %.2f x target (%d KiB)\n",
				"", ms, ms / tm, tm, ms / f, kib, kib / tk, tk }'
	done
done
