#!/bin/bash
# debian13-root.sh: ntpwiz on a real Debian 13 minbase root (mmdebstrap
# --variant=minbase --include=chrony,tzdata trixie; tests/lib/daemons.sh,
# daemons_root13), with Debian 13's own chronyd 4.6.1 run on what ntpwiz
# wrote (issue 13):
#  - detect reads chrony's version from the root's dpkg database;
#  - the step configuration rendered for that root reads tzdata's leap
#    second list (leapseclist), because chrony is 4.6 and the root has the
#    list but no right/UTC; the real chronyd logs "Using leap second list",
#    and the negative control (ntpwiz's old "leapsectz right/UTC") logs
#    "failed leap second check";
#  - import of Debian 13's stock chrony.conf, then apply --root, keeps the
#    DHCP and drop-in folders: the real chronyd on the applied file uses a
#    server from a sources.d file and one from /run/chrony-dhcp (negative
#    control: the same profile without keep does not), and a second apply
#    changes nothing.
#
# Safety: the shared root is never written. Everything runs inside the
# host guard (private mount namespace, host / read-only), on an overlay of
# the root whose upper layer is in this test's temp folder. chronyd runs
# with -x (no clock control), through chroot, in a private network
# namespace that has only lo; it is killed by PID. No packet leaves it.
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
if [ "${NTPWIZ_HOSTGUARD-}" != 1 ]; then
	# built (or found) before the guard makes the cache read-only
	daemons_root13 chrony >/dev/null || true
fi
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

[ "$(id -u)" = 0 ] || skip_or_fail "needs root (overlay mount, chroot, network namespace)"
R13=$(daemons_root13 chrony 2>/dev/null) || skip_or_fail "no Debian 13 root for chrony (daemons_root13 chrony)"
[ -x "$R13/usr/sbin/chronyd" ] || skip_or_fail "$R13 has no chronyd"
daemons_can_isolate || skip_or_fail "cannot create private namespaces here"

STANDINS=$srcdir/tests/lib/standins
export PATH="$STANDINS:$PATH"
export NTPWIZ_STANDIN_LOG="$T_TMP/standin.log"

# overlay NAME: a writable view of the Debian 13 root (writes go to T_TMP)
overlay() {
	local o=$T_TMP/$1
	mkdir -p "$o.up" "$o.work" "$o"
	mount -t overlay "ntpwiz-$1" -o "lowerdir=$R13,upperdir=$o.up,workdir=$o.work" "$o" || return 1
	echo "$o"
}
cleanup() { for m in "$T_TMP"/*.work; do umount "${m%.work}" 2>/dev/null; done; rm -rf "$T_TMP"; }
trap cleanup EXIT

# chronyd_run ROOT CONF SECONDS [CHRONYC-ARGS]: Debian 13's chronyd -x on
# CONF (a path inside ROOT) for SECONDS in a private network namespace;
# its log goes to $T_TMP/chronyd.log, the chronyc output (asked once the
# daemon answers) to $T_TMP/chronyc.out.
chronyd_run() {
	local root=$1 conf=$2 secs=$3
	shift 3
	: >"$T_TMP/chronyc.out"
	unshare -n bash -c '
		root=$1 conf=$2 secs=$3 out=$4; shift 4
		ip link set lo up
		chroot "$root" /usr/sbin/chronyd -x -d -u root -f "$conf" &
		pid=$!
		if [ $# -gt 0 ]; then
			for _ in $(seq 1 $((secs * 5))); do
				if chroot "$root" /usr/bin/chronyc -h 127.0.0.1 "$@" >"$out" 2>/dev/null &&
					[ -s "$out" ]; then
					break
				fi
				sleep 0.2
			done
		else
			sleep "$secs"
		fi
		kill "$pid"; wait "$pid"
	' chronyd "$root" "$conf" "$secs" "$T_TMP/chronyc.out" "$@" >"$T_TMP/chronyd.log" 2>&1
}

O=$(overlay a) || skip_or_fail "cannot mount an overlay of $R13"

# --- detect: the version from the root's dpkg database ----------------------------------
run_ntpwiz detect --root "$O" --json
expect "detect: Debian 13, chrony installed, version from dpkg" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "\"version_id\":\"13\"" && printf "%s" "$OUT" | grep -q "\"daemon\":\"chrony\",\"installed\":true,\"binary\":\"/usr/sbin/chronyd\",\"version\":\"4\.6\.[0-9]*-[^\"]*\",\"version_source\":\"dpkg\""' ||
	printf '%s\n' "$OUT" | sed 's/^/#   /'
expect "detect: Debian's default daemon is timesyncd" 'contains "$OUT" "\"default_daemon\":\"timesyncd\""'

# --- render: leapseclist, because chrony is 4.6 and the list is there ---------------------
check "the root has tzdata's list and no right/UTC (Debian 13's tzdata)" \
	[ -f "$O/usr/share/zoneinfo/leap-seconds.list" ] && [ ! -e "$O/usr/share/zoneinfo/right/UTC" ]
run_ntpwiz render "$srcdir/profiles/client.cfg" --daemon chrony --root "$O"
printf '%s\n' "$OUT" >"$T_TMP/step.conf"
expect "render: leapseclist for chrony 4.6 with the list" \
	'[ "$RC" -eq 0 ] && grep -qx "leapseclist /usr/share/zoneinfo/leap-seconds.list" "$T_TMP/step.conf"'
expect "render: no leapsectz where right/UTC is missing" '! grep -q "^leapsectz" "$T_TMP/step.conf"'

mkdir -p "$O/tmp/ntpwiz"
cp "$T_TMP/step.conf" "$O/tmp/ntpwiz/step.conf"
sed 's|^leapseclist .*|leapsectz right/UTC|' "$T_TMP/step.conf" >"$O/tmp/ntpwiz/old.conf"
chronyd_run "$O" /tmp/ntpwiz/step.conf 3
sed 's/^/#   chronyd: /' "$T_TMP/chronyd.log" | head -8
expect "real chronyd 4.6.1 on ntpwiz's step file: uses the leap second list" \
	'grep -q "chronyd version 4\.6" "$T_TMP/chronyd.log" && grep -q "Using leap second list /usr/share/zoneinfo/leap-seconds.list" "$T_TMP/chronyd.log"'
expect "real chronyd 4.6.1 on ntpwiz's step file: no failed leap second check" \
	'! grep -q "failed leap second check" "$T_TMP/chronyd.log"'
chronyd_run "$O" /tmp/ntpwiz/old.conf 3
expect "negative control: leapsectz right/UTC there fails the leap second check" \
	'grep -q "Timezone right/UTC failed leap second check" "$T_TMP/chronyd.log" && ! grep -q "Using leap second list" "$T_TMP/chronyd.log"'

# --- import Debian 13's stock file, apply: DHCP and drop-in folders stay -----------------
B=$(overlay b) || exit 1
check "the root holds Debian 13's stock chrony.conf (as in tests/data/roots)" \
	cmp -s "$B/etc/chrony/chrony.conf" "$srcdir/tests/data/roots/debian13-chrony.conf"
run_ntpwiz import --root "$B" --daemon chrony
printf '%s\n' "$OUT" >"$T_TMP/stock.cfg"
expect "import: the stock file's folders are kept in the profile" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "keep = { dhcp_servers = true; drop_in_dirs = true; };"'
expect "import: no note says a folder will no longer be read" \
	'! contains "$ERR" "will no longer be read" && ! contains "$ERR" "leapseclist"' ||
	printf '%s\n' "$ERR" | sed 's/^/#   /'
printf 'server 192.0.2.77 iburst\n' >"$B/etc/chrony/sources.d/local.sources"
mkdir -p "$B/run/chrony-dhcp"
printf 'server 192.0.2.88 iburst\n' >"$B/run/chrony-dhcp/eth0.sources"
sum_before=$(sha256sum <"$B/etc/chrony/sources.d/local.sources")
run_ntpwiz apply "$T_TMP/stock.cfg" --root "$B"
expect "apply --root: exit 0" '[ "$RC" -eq 0 ]' || printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
A=$B/etc/chrony/chrony.conf
for line in "sourcedir /run/chrony-dhcp" "sourcedir /etc/chrony/sources.d" \
	"confdir /etc/chrony/conf.d" "leapseclist /usr/share/zoneinfo/leap-seconds.list" \
	"pool 2.debian.pool.ntp.org iburst"; do
	expect "applied file keeps: $line" 'grep -qx "$line" "$A"'
done
check "the sources.d file is untouched" [ "$(sha256sum <"$B/etc/chrony/sources.d/local.sources")" = "$sum_before" ]
chronyd_run "$B" /etc/chrony/chrony.conf 10 -n sources
sed 's/^/#   chronyc: /' "$T_TMP/chronyc.out"
expect "real chronyd on the applied file uses the sources.d server" 'grep -q "192\.0\.2\.77" "$T_TMP/chronyc.out"'
expect "real chronyd on the applied file uses the DHCP server" 'grep -q "192\.0\.2\.88" "$T_TMP/chronyc.out"'
run_ntpwiz apply "$T_TMP/stock.cfg" --root "$B"
expect "a second apply changes nothing" '[ "$RC" -eq 0 ] && contains "$OUT" "already has these bytes"'

# apply --root runs this machine's checker: Debian 12's chronyd 4.3 would
# refuse leapseclist, so a checker older than the target's chrony is not
# asked (and the report says why); on a root whose chrony is 4.3 it is.
if bin12=$(daemons_bin chrony 2>/dev/null) && [ -x "$bin12" ]; then
	D=$(overlay d) || exit 1
	PATH="$(dirname "$bin12"):$PATH" run_ntpwiz apply "$T_TMP/stock.cfg" --root "$D"
	expect "apply with chronyd 4.3 as this machine's checker: exit 0" '[ "$RC" -eq 0 ]' ||
		printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
	expect "the 4.3 checker is skipped, and the report says why" \
		'printf "%s\n" "$OUT" | grep -qE "^  skipped +check +this machine.s chronyd is version 4\.3, older than the target.s 4\.6"' ||
		printf '%s\n' "$OUT" | sed 's/^/#   /'
	expect "control: chronyd 4.3 itself refuses the file (so the skip is needed)" \
		'! "$bin12" -p -f "$D/etc/chrony/chrony.conf" >/dev/null 2>&1'
	# control: a Debian 12 root (chrony 4.3 in its dpkg database): checked
	E=$(mktemp -d "$T_TMP/deb12.XXXXXX")
	mkdir -p "$E/etc" "$E/var/lib/dpkg" "$E/usr/sbin" "$E/usr/share/zoneinfo/right"
	cp "$srcdir/tests/data/roots/debian12-os-release" "$E/etc/os-release"
	printf 'Package: chrony\nStatus: install ok installed\nVersion: 4.3-2+deb12u1\n\n' >"$E/var/lib/dpkg/status"
	: >"$E/usr/sbin/chronyd"
	: >"$E/usr/share/zoneinfo/right/UTC"
	: >"$E/usr/share/zoneinfo/leap-seconds.list"
	PATH="$(dirname "$bin12"):$PATH" run_ntpwiz apply "$T_TMP/stock.cfg" --root "$E"
	expect "control: Debian 12 root: leapsectz, and chronyd 4.3 checks and accepts it" \
		'[ "$RC" -eq 0 ] && grep -qx "leapsectz right/UTC" "$E/etc/chrony/chrony.conf" && printf "%s\n" "$OUT" | grep -qE "^  ok +check +chronyd -p -f accepted"' ||
		printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
else
	not_ok "Debian 12's chronyd (daemons_bin chrony) is missing: the checker case is not run"
fi

# negative control: the same profile without keep loses both servers
C=$(overlay c) || exit 1
grep -v '^keep = ' "$T_TMP/stock.cfg" >"$T_TMP/nokeep.cfg"
printf 'server 192.0.2.77 iburst\n' >"$C/etc/chrony/sources.d/local.sources"
mkdir -p "$C/run/chrony-dhcp"
printf 'server 192.0.2.88 iburst\n' >"$C/run/chrony-dhcp/eth0.sources"
run_ntpwiz apply "$T_TMP/nokeep.cfg" --root "$C"
chronyd_run "$C" /etc/chrony/chrony.conf 10 -n sources
expect "negative control (no keep): chronyd answers, without the sources.d and DHCP servers" \
	'[ -s "$T_TMP/chronyc.out" ] && ! grep -q "192\.0\.2\.77" "$T_TMP/chronyc.out" && ! grep -q "192\.0\.2\.88" "$T_TMP/chronyc.out"'

check "the shared Debian 13 root is unchanged (no ntpwiz file in it)" \
	[ ! -e "$R13/tmp/ntpwiz" ] && cmp -s "$R13/etc/chrony/chrony.conf" "$srcdir/tests/data/roots/debian13-chrony.conf"
finish
