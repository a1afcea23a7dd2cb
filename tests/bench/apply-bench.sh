#!/bin/bash
# apply-bench.sh: whole-process cost of "ntpwiz apply PROFILE --root DIR
# --no-restart" (benchmark, not a test; run with "make bench" on a build
# without sanitizers).
#
# Two cases, in a Debian 12 sandbox root:
#   changed    every run changes the file: two profiles alternate, so each
#              run backs up, writes (temp file, fsync, rename, fsync of the
#              folder) and prunes the backups to 10
#   unchanged  the file already has the rendered bytes: nothing is written
# Each is run with no init system under the root (nothing is spawned: the
# cost of ntpwiz alone) and as a systemd root (the changed case then also
# runs the stand-in "systemctl --root=DIR enable", a /bin/sh process).
#
# Reports medians (tests/bench/benchrun), the ratio to the 5 ms target,
# and proves the unchanged case wrote nothing: the file's inode and mtime
# and the root's listing are the same after all runs, and strace shows no
# open for writing, rename, unlink, mkdir or write to a file.
#
# The changed case alternates through a /bin/sh wrapper that only uses
# builtins and then execs ntpwiz; its cost is measured the same way (the
# wrapper exec'ing /bin/true) and reported, and subtracted in the "net"
# figure. fsync cost depends on the file system of the bench folder
# (BENCH_TMPDIR, default $TMPDIR or /tmp), which is printed.
#
# As root, everything runs with the host's / read-only (hostguard.sh) and
# the stand-ins first on PATH: no real systemctl can run.
set -u
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
: "${NTPWIZ:=$srcdir/ntpwiz}"
: "${BENCHRUN:=$srcdir/tests/bench/benchrun}"
RUNS=${RUNS:-200}
TARGET_MS=5

if ldd "$NTPWIZ" | grep -q 'libasan\|libubsan'; then
	echo "warning: $NTPWIZ is a sanitizer build; its figures say nothing about the targets." >&2
fi
for t in "$NTPWIZ" "$BENCHRUN"; do
	[ -x "$t" ] || { echo "apply-bench: $t not built" >&2; exit 2; }
done
tmp=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/ntpwiz-apply-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
export PATH="$srcdir/tests/lib/standins:$PATH"
export NTPWIZ_STANDIN_LOG=$tmp/standin.log
: >"$NTPWIZ_STANDIN_LOG"
CONF=/etc/chrony/chrony.conf

for p in A B; do
	cat >"$tmp/$p.cfg" <<P
version = 1;
daemon = "chrony";
servers = ( { host = "ntp-$p.example"; kind = "server"; iburst = true; } );
apply = { backup = true; restart = true; stop_conflicting = true; install = false; };
P
done

new_root() {	# NAME systemd|none
	local r=$tmp/$1
	mkdir -p "$r/etc/chrony"
	cp "$srcdir/tests/data/roots/debian12-os-release" "$r/etc/os-release"
	cp "$srcdir/tests/data/roots/debian12-chrony.conf" "$r$CONF"
	if [ "$2" = systemd ]; then
		mkdir -p "$r/lib/systemd"
		printf '#!/bin/sh\n' >"$r/lib/systemd/systemd"
		chmod 755 "$r/lib/systemd/systemd"
		# chrony installed there: apply's pre-flight refuses one that is not
		mkdir -p "$r/usr/sbin"
		printf '#!/bin/sh\n' >"$r/usr/sbin/chronyd"
		chmod 755 "$r/usr/sbin/chronyd"
	fi
	echo "$r"
}

# strace_writes OUTFILE CMD...: runs CMD under strace; sets STRACE_WRITES to
# the calls that open a file for writing, rename, unlink, mkdir, link,
# chmod/chown, or write to anything but stdout/stderr.
strace_writes() {
	local out=$1
	shift
	strace -f -qq -e trace=open,openat,openat2,creat,rename,renameat,renameat2,write,unlink,unlinkat,mkdir,mkdirat,link,linkat,symlink,symlinkat,fchmod,fchmodat,fchown,fchownat \
		-o "$out" "$@" >/dev/null 2>&1
	STRACE_WRITES=$(grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|rename|unlink|mkdir|link\(|creat\(|chmod|chown|write\([0-9]+' "$out" |
		grep -vE 'write\([12], ' | grep -v '/dev/null' || true)
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
report() {	# LABEL BENCHRUN-LINE [FLOOR_MS]
	local ms
	ms=$(field median_ms "$2")
	printf '%-44s %s\n' "$1" "$2"
	awk -v ms="$ms" -v t=$TARGET_MS -v f="${3:-}" 'BEGIN {
		if (f != "")
			printf "%-44s median %.3f ms = %.2f x target (%d ms); net of the wrapper %.3f ms = %.2f x target\n",
				"", ms, ms / t, t, ms - f, (ms - f) / t
		else
			printf "%-44s median %.3f ms = %.2f x target (%d ms)\n", "", ms, ms / t, t }'
}

# The alternating wrapper: builtins only, then exec.
# alternate STATE X Y CMD...: runs "CMD... X", next time "CMD... Y", ...
cat >"$tmp/alternate" <<'W'
#!/bin/sh
state=$1 x=$2 y=$3
shift 3
read -r s <"$state" || s=x
if [ "$s" = x ]; then
	echo y >"$state"
	exec "$@" "$x"
fi
echo x >"$state"
exec "$@" "$y"
W
chmod 755 "$tmp/alternate"
echo x >"$tmp/wrapper.state"

echo "file system of the bench folder ($tmp): $(stat -f -c %T "$tmp")"
floor=$("$BENCHRUN" -q -n "$RUNS" -- /bin/true)
report "/bin/true (process floor)" "$floor"
wrap=$("$BENCHRUN" -q -n "$RUNS" -- "$tmp/alternate" "$tmp/wrapper.state" x y /bin/true)
report "alternate wrapper -> /bin/true" "$wrap"
wrap_ms=$(field median_ms "$wrap")

for init in none systemd; do
	root=$(new_root "root-$init" "$init")
	# changed: every run rewrites the file
	echo x >"$tmp/state"
	: >"$NTPWIZ_STANDIN_LOG"
	ino_before=$(stat -c %i "$root$CONF")
	line=$("$BENCHRUN" -q -n "$RUNS" -- "$tmp/alternate" "$tmp/state" "$tmp/A.cfg" "$tmp/B.cfg" \
		"$NTPWIZ" apply --root "$root" --no-restart) || { echo "apply failed" >&2; exit 1; }
	report "apply, changed, init $init" "$line" "$wrap_ms"
	nbk=$(find "$root/var/backups/ntpwiz" -type f | wc -l)
	printf '%-44s file replaced (inode %s -> %s), %s backups kept, %s systemctl calls in %s runs\n' "" \
		"$ino_before" "$(stat -c %i "$root$CONF")" "$nbk" \
		"$(grep -c '^systemctl ' "$NTPWIZ_STANDIN_LOG")" "$((RUNS + 10))"

	# unchanged: the file already holds what A renders
	"$NTPWIZ" apply "$tmp/A.cfg" --root "$root" --no-restart >/dev/null 2>&1 || { echo "apply failed" >&2; exit 1; }
	: >"$NTPWIZ_STANDIN_LOG"
	stamp() { stat -c '%i %Y.%y %s' "$root$CONF"; (cd "$root" && find . -printf '%p %i %T@ %s\n' | sort) | sha256sum; }
	before=$(stamp)
	line=$("$BENCHRUN" -q -n "$RUNS" -- "$NTPWIZ" apply "$tmp/A.cfg" --root "$root" --no-restart) ||
		{ echo "apply failed" >&2; exit 1; }
	report "apply, unchanged, init $init" "$line"
	after=$(stamp)
	if [ "$before" = "$after" ]; then
		printf '%-44s no write: inode, mtime and the whole listing unchanged after %s runs (%s)\n' "" \
			"$((RUNS + 10))" "$(stat -c 'inode %i, mtime %y' "$root$CONF")"
	else
		printf '%-44s WRITE DETECTED: the root changed during the unchanged runs\n' ""
	fi
	printf '%-44s %s systemctl calls\n' "" "$(grep -c '^systemctl ' "$NTPWIZ_STANDIN_LOG")"
	if command -v strace >/dev/null 2>&1; then
		strace_writes "$tmp/strace.$init" "$NTPWIZ" apply "$tmp/A.cfg" --root "$root" --no-restart
		total=$(wc -l <"$tmp/strace.$init")
		if [ -z "$STRACE_WRITES" ]; then
			printf '%-44s strace: %s traced calls, no open for writing, rename, unlink, mkdir or write other than to stdout/stderr\n' "" "$total"
		else
			printf '%-44s strace: WRITES SEEN:\n' ""
			printf '%s\n' "$STRACE_WRITES" | sed 's/^/      /'
		fi
		# control: the same detector on a run that does change the file
		strace_writes "$tmp/strace-control.$init" "$NTPWIZ" apply "$tmp/B.cfg" --root "$root" --no-restart
		printf '%-44s strace control (a changed run): %s such calls, e.g. %s\n' "" \
			"$(printf '%s\n' "$STRACE_WRITES" | grep -c .)" \
			"$(printf '%s\n' "$STRACE_WRITES" | grep -m1 -oE '^[0-9]+ +rename[a-z0-9]*\([^)]*\)' | cut -c1-120)"
	fi
done
