#!/bin/bash
# apply-chrony-e2e.sh: ntpwiz apply, end to end, with real daemons.
#
# A chrony profile is applied into a sandbox Debian 12 root
# (--root DIR --restart). The stand-in `systemctl restart chrony` starts the
# REAL chronyd on the file ntpwiz wrote, in network namespace C; it syncs to
# a second real chronyd serving time in namespace S; the two are joined by
# a veth pair whose private addresses exist only in those namespaces.
# ntpwiz itself runs in C, so its verify step's real `chronyc -n -c sources`
# reaches the new daemon on 127.0.0.1:323 (the written bindcmdaddress).
# Then we wait (bounded) for chronyc to show the server selected ('*').
#
# Safety (DAEMONS.md): both chronyd run with -x (no clock control), -d (so
# the PID we hold is the daemon's), -u root, under setpriv without
# CAP_SYS_TIME, each in its own mount namespace with tmpfs over /run,
# /var/lib and /var/log; ntpwiz runs with the host's / read-only
# (hostguard.sh). Only the processes started here are killed, by PID, and
# the namespaces are deleted on exit. Every wait is bounded.
#
# Exit: 0 pass, 1 fail, 77 skip (not root, no namespaces, no chrony
# binaries); with CI set, a missing prerequisite fails instead.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"

skip_or_fail() {
	if [ -n "${CI-}" ]; then
		echo "FAIL (CI is set): $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip_or_fail "needs root (ip netns, veth pairs)"
for t in ip unshare setpriv setsid timeout python3; do
	command -v "$t" >/dev/null 2>&1 || skip_or_fail "$t not found"
done
daemons_fetch || skip_or_fail "cannot download the chrony package (apt-get download chrony)"
CHRONYD=$(daemons_bin chrony) || skip_or_fail "no chronyd in the daemon cache"
CHRONYC=$(daemons_cache_dir)/chrony/usr/bin/chronyc
[ -x "$CHRONYC" ] || skip_or_fail "no chronyc in the daemon cache"

# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

NS_S=ntpwiz-e2e-s-$$
NS_C=ntpwiz-e2e-c-$$
ADDR_S=10.231.77.1
ADDR_C=10.231.77.2
SERVER_PID=
WATCHER_PID=
CLIENT_PIDFILE=$T_TMP/client-chronyd.pid
T_START=$(date +%s)
MAX_SECONDS=120 # the whole test, a safety net for every loop below

cleanup() {
	local pid
	[ -n "$WATCHER_PID" ] && kill "$WATCHER_PID" 2>/dev/null
	for pid in "$SERVER_PID" "$(cat "$CLIENT_PIDFILE" 2>/dev/null)"; do
		stop_chronyd "$pid"
	done
	ip netns del "$NS_C" 2>/dev/null
	ip netns del "$NS_S" 2>/dev/null
	rm -rf "$T_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# stop_chronyd PID: TERM, then KILL after 5 s; only if PID is a chronyd.
stop_chronyd() {
	local pid=$1 i=0
	[ -n "$pid" ] || return 0
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = chronyd ] || return 0
	kill -TERM "$pid" 2>/dev/null
	while [ -d "/proc/$pid" ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null
	return 0
}

# --- two namespaces joined by a veth pair (created inside them) ---------------
ip netns add "$NS_S" || skip_or_fail "cannot create network namespaces (ip netns add)"
ip netns add "$NS_C" || skip_or_fail "cannot create network namespaces (ip netns add)"
if ! ip -n "$NS_S" link add vs type veth peer name vc netns "$NS_C" ||
	! ip -n "$NS_S" addr add "$ADDR_S/30" dev vs ||
	! ip -n "$NS_C" addr add "$ADDR_C/30" dev vc ||
	! ip -n "$NS_S" link set vs up || ! ip -n "$NS_C" link set vc up ||
	! ip -n "$NS_S" link set lo up || ! ip -n "$NS_C" link set lo up; then
	skip_or_fail "cannot set up the veth pair between the namespaces"
fi
expect "C reaches S over the veth pair, not through any other route" \
	'ip -n "$NS_C" route get "$ADDR_S" | grep -q "dev vc" && [ "$(ip -n "$NS_C" route show | wc -l)" -eq 1 ]'

# chronyd_argv CONF EXTRA...: prints (NUL-separated) the command that runs
# chronyd -x -d -u root EXTRA... -f CONF without CAP_SYS_TIME, in a new mount
# namespace with tmpfs over /run, /var/lib and /var/log, in whatever network
# namespace it is started. Every step execs, so the PID of the started job
# is chronyd's own. Used for the server below and by the restart hook.
chronyd_argv() {	# CONF EXTRA...
	local conf=$1
	shift
	printf '%s\0' unshare -m --propagation private sh -c '
		for d in /run /var/lib /var/log; do
			mount -t tmpfs -o mode=0755,size=16m ntpwiz-e2e "$d" || exit 1
		done
		mkdir -p /run/chrony /var/lib/chrony /var/log/chrony || exit 1
		exec setpriv --bounding-set=-sys_time --inh-caps=-all -- "$@"' chronyd-e2e \
		"$CHRONYD" -x -d -u root "$@" -f "$conf"
}

# --- the server: real chronyd in S -------------------------------------------
cat >"$T_TMP/server.conf" <<EOF
# a test time server: its own clock at stratum 3, for the veth peer only
local stratum 3
allow $ADDR_C/32
bindaddress $ADDR_S
port 123
cmdport 0
EOF
mapfile -d '' server_cmd < <(chronyd_argv "$T_TMP/server.conf" -4)
ip netns exec "$NS_S" "${server_cmd[@]}" </dev/null >"$T_TMP/server.log" 2>&1 &
SERVER_PID=$!
# bounded: until the exec chain (ip, unshare, sh, setpriv) reaches chronyd;
# 0.5 s was not enough on a loaded machine (load 14 on 2 cores)
for _ in $(seq 1 50); do
	[ "$(cat "/proc/$SERVER_PID/comm" 2>/dev/null)" = chronyd ] && break
	[ -d "/proc/$SERVER_PID" ] || break
	sleep 0.1
done
if [ "$(cat "/proc/$SERVER_PID/comm" 2>/dev/null)" != chronyd ]; then
	not_ok "the server chronyd is running in S"
	sed 's/^/#   /' "$T_TMP/server.log"
	finish
	exit 1
fi
ok "the server chronyd is running in S (PID $SERVER_PID)"

# --- the sandbox root, the profile, and the stand-in restart ------------------
root=$(mktemp -d "$T_TMP/root.XXXXXX")
mkdir -p "$root/etc/chrony" "$root/lib/systemd"
cp "$srcdir/tests/data/roots/debian12-os-release" "$root/etc/os-release"
cp "$srcdir/tests/data/roots/debian12-chrony.conf" "$root/etc/chrony/chrony.conf"
printf '#!/bin/sh\nexit 0\n' >"$root/lib/systemd/systemd"
chmod 755 "$root/lib/systemd/systemd"
# chrony is installed there (apply's pre-flight refuses a daemon that is not)
mkdir -p "$root/usr/sbin"
printf '#!/bin/sh\nexit 0\n' >"$root/usr/sbin/chronyd"
chmod 755 "$root/usr/sbin/chronyd"
cat >"$T_TMP/e2e.cfg" <<EOF
version = 1;
daemon = "chrony";
servers = ( { host = "$ADDR_S"; kind = "server"; iburst = true; minpoll = -2; maxpoll = -2; } );
leap = { mode = "step"; };
restrict = { policy = "client-only"; };
apply = { backup = true; restart = true; stop_conflicting = true; install = false; };
EOF

# PATH for ntpwiz: the stand-in systemctl, the REAL chronyc (verify) and the
# REAL chronyd (its checker, chronyd -p).
bindir=$T_TMP/bin
mkdir -p "$bindir"
ln -s "$srcdir/tests/lib/standins/systemctl" "$bindir/systemctl"
ln -s "$CHRONYC" "$bindir/chronyc"
ln -s "$CHRONYD" "$bindir/chronyd"

# The stand-in systemctl calls this for "restart chrony": stop the chronyd
# this test started before (by its PID), start a new one on the config
# ntpwiz wrote, in its own session so ntpwiz's command timeout cannot kill
# it, and report failure if it does not stay up, as systemd would.
{
	echo '#!/bin/bash'
	echo '[ "$1" = chrony ] || exit 0'
	declare -f stop_chronyd
	cat <<'EOF'
stop_chronyd "$(cat "$E2E_PIDFILE" 2>/dev/null)"
rm -f "$E2E_PIDFILE"
echo "=== restart at $(date +%s.%N)" >>"$E2E_CLIENT_LOG"
mapfile -d '' cmd <"$E2E_CHRONYD_ARGV"
setsid "${cmd[@]}" </dev/null >>"$E2E_CLIENT_LOG" 2>&1 &
echo $! >"$E2E_PIDFILE"
date +%s.%N >"$E2E_STARTED"
pid=$!
for _ in $(seq 1 30); do # up to 3 s for the exec chain to reach chronyd
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = chronyd ] && break
	[ -d "/proc/$pid" ] || break
	sleep 0.1
done
sleep 0.3 # and it stays up
[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = chronyd ] || { echo "chronyd did not start; see its log" >&2; exit 1; }
exit 0
EOF
} >"$T_TMP/restart-hook"
chmod 755 "$T_TMP/restart-hook"
chronyd_argv "$root/etc/chrony/chrony.conf" >"$T_TMP/client.argv"
export E2E_CHRONYD_ARGV=$T_TMP/client.argv E2E_PIDFILE=$CLIENT_PIDFILE E2E_CLIENT_LOG=$T_TMP/client.log \
	E2E_STARTED=$T_TMP/client.started CHRONYD NTPWIZ_STANDIN_LOG=$T_TMP/standin.log \
	STANDIN_RESTART_HOOK=$T_TMP/restart-hook
: >"$NTPWIZ_STANDIN_LOG"

# --- ntpwiz apply, inside C ----------------------------------------------------
# A watcher polls the client's sources every 0.1 s (at most 25 s) from
# before the apply, so the time to '*' is measured, not just bounded.
selected_file=$T_TMP/selected
(
	for _ in $(seq 1 250); do
		if ip netns exec "$NS_C" timeout 2 "$CHRONYC" -h 127.0.0.1 -n -c sources 2>/dev/null |
			awk -F, -v a="$ADDR_S" '$2 == "*" && $3 == a { f = 1 } END { exit !f }'; then
			date +%s.%N >"$selected_file"
			exit 0
		fi
		sleep 0.1
	done
) &
WATCHER_PID=$!
t0=$(date +%s.%N)
ip netns exec "$NS_C" env PATH="$bindir:$PATH" bash -c \
	"$(declare -f _hostguard_mounts hostguard_exec); hostguard_exec \"\$@\"" e2e \
	"$NTPWIZ" apply "$T_TMP/e2e.cfg" --root "$root" --restart >"$T_TMP/out" 2>"$T_TMP/err"
RC=$?
t1=$(date +%s.%N)
OUT=$(cat "$T_TMP/out")
ERR=$(cat "$T_TMP/err")
printf '%s\n' "$OUT" | sed 's/^/#   /'
expect "apply --root --restart with real chronyd: exit 0" '[ "$RC" -eq 0 ]'
expect "apply: the verify step line says ok" 'printf "%s\n" "$OUT" | grep -qE "^  ok +verify( |$)"'
expect "apply: last line starts with 'changed:'" '[[ $(printf "%s\n" "$OUT" | tail -n 1) == changed:* ]]'
expect "apply: the restart went through the stand-in systemctl" \
	'grep -qx "systemctl restart chrony" "$NTPWIZ_STANDIN_LOG"'
expect "apply: the real chronyd checker ran and passed" \
	'printf "%s\n" "$OUT" | grep -qE "^  ok +check( |$)"'
if [ "$RC" -ne 0 ]; then
	printf '#   stdout:\n%s\n#   stderr:\n%s\n#   client chronyd log:\n' "$OUT" "$ERR"
	sed 's/^/#   /' "$T_TMP/client.log" 2>/dev/null
fi

"$NTPWIZ" render "$T_TMP/e2e.cfg" --root "$root" >"$T_TMP/expect.conf"
check "apply: the file is exactly what 'ntpwiz render' prints" cmp -s "$root/etc/chrony/chrony.conf" "$T_TMP/expect.conf"
expect "apply: the stock file was backed up byte for byte" \
	'cmp -s "$(ls "$root"/var/backups/ntpwiz/etc_chrony_chrony.conf.* | head -n 1)" "$srcdir/tests/data/roots/debian12-chrony.conf"'

client_pid=$(cat "$CLIENT_PIDFILE" 2>/dev/null)
expect "the client chronyd runs on the file ntpwiz wrote" \
	'[ "$(cat "/proc/$client_pid/comm" 2>/dev/null)" = chronyd ] && tr "\0" " " <"/proc/$client_pid/cmdline" | grep -q -- "-x -d -u root -f $root/etc/chrony/chrony.conf"'
expect "the client chronyd is in namespace C, not the host's" \
	'[ "$(readlink "/proc/$client_pid/ns/net")" = "$(ip netns exec "$NS_C" readlink /proc/self/ns/net)" ] && [ "$(readlink "/proc/$client_pid/ns/net")" != "$(readlink /proc/self/ns/net)" ]'

# --- bounded wait for the server to be selected ('*') ---------------------------
selected=
for _ in $(seq 1 100); do # 100 x 0.2 s = 20 s after the apply returned
	[ $(($(date +%s) - T_START)) -lt "$MAX_SECONDS" ] || break
	if [ -s "$selected_file" ]; then
		selected=$(cat "$selected_file")
		break
	fi
	sleep 0.2
done
kill "$WATCHER_PID" 2>/dev/null
wait "$WATCHER_PID" 2>/dev/null
WATCHER_PID=
sources=$(ip netns exec "$NS_C" timeout 5 "$CHRONYC" -h 127.0.0.1 -n -c sources 2>/dev/null)
started=$(cat "$T_TMP/client.started" 2>/dev/null || echo "$t0")
expect "chronyc -n -c sources shows $ADDR_S selected ('*') within 20 s" '[ -n "$selected" ]'
if [ -n "$selected" ]; then
	awk -v a="$t0" -v b="$t1" -v s="$started" -v c="$selected" 'BEGIN {
		printf "# timings: apply took %.2f s; server selected (*) %.2f s after the real chronyd was started, %.2f s after apply started, %+.2f s relative to apply returning\n",
			b - a, c - s, c - a, c - b }'
else
	printf '#   last sources:\n%s\n#   client log:\n' "$sources"
	sed 's/^/#   /' "$T_TMP/client.log"
fi

# --- and now the host already matches ---------------------------------------------
ip netns exec "$NS_C" env PATH="$bindir:$PATH" bash -c \
	"$(declare -f _hostguard_mounts hostguard_exec); hostguard_exec \"\$@\"" e2e \
	"$NTPWIZ" check "$T_TMP/e2e.cfg" --root "$root" >/dev/null 2>&1
rc=$?
expect "check after the apply: exit 0" '[ "$rc" -eq 0 ]'

finish
