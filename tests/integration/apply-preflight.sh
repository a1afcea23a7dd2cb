#!/bin/bash
# apply-preflight.sh: apply refuses before touching anything when it can
# know up front that it cannot finish (issue 15, defect 4): the chosen
# daemon is not installed (and will not be), the init system's command is
# missing, the config folder cannot be written. The refusal names what is
# missing and how to fix it; the tree and the services are left exactly
# as they were. The same pre-flight runs in line mode before the last
# question is acted on.
#
# Safety: every ntpwiz run has --root under a temp folder, with the
# stand-in systemctl first on PATH (tests/lib/standins); as root the script
# runs with the host's / read-only (hostguard.sh).

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

STANDINS=$srcdir/tests/lib/standins
export PATH="$STANDINS:$PATH"
export NTPWIZ_STANDIN_LOG="$T_TMP/standin.log"
unset STANDIN_FAIL_RESTART STANDIN_FAIL STANDIN_IS_ACTIVE STANDIN_IS_ENABLED \
	STANDIN_RESTART_HOOK STANDIN_STOP_HOOK

cat >"$T_TMP/A.cfg" <<'P'
version = 1;
daemon = "chrony";
servers = ( { host = "192.0.2.1"; kind = "server"; iburst = true; } );
leap = { mode = "step"; };
restrict = { policy = "client-only"; };
apply = { backup = true; restart = true; stop_conflicting = true; install = false; };
P

# A Debian 12 root that is a systemd system with systemd-timesyncd enabled,
# as a freshly built debian:12 root is; "chrony" adds chronyd.
new_root_timesyncd() {
	local r
	r=$(mktemp -d "$T_TMP/root.XXXXXX")
	mkdir -p "$r/etc/systemd/system/sysinit.target.wants" "$r/lib/systemd/system"
	cp "$srcdir/tests/data/roots/debian12-os-release" "$r/etc/os-release"
	printf '#!/bin/sh\nexit 0\n' >"$r/lib/systemd/systemd"
	chmod 755 "$r/lib/systemd/systemd"
	: >"$r/lib/systemd/system/systemd-timesyncd.service"
	printf '#!/bin/sh\n' >"$r/lib/systemd/systemd-timesyncd"
	chmod 755 "$r/lib/systemd/systemd-timesyncd"
	ln -s /lib/systemd/system/systemd-timesyncd.service \
		"$r/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service"
	if [ "${1-}" = chrony ]; then
		mkdir -p "$r/usr/sbin"
		printf '#!/bin/sh\nexit 0\n' >"$r/usr/sbin/chronyd"
		chmod 755 "$r/usr/sbin/chronyd"
	fi
	echo "$r"
}

# --- the chosen daemon is not installed under the root ------------------------------
root=$(new_root_timesyncd)
before=$(tree_state "$root")
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/A.cfg" --root "$root"
expect "chrony not installed: apply refuses with exit 1" '[ "$RC" = 1 ]'
expect "chrony not installed: the error names the daemon, the package and what to do" \
	'contains "$ERR" "chrony is not installed under $root" && contains "$ERR" "install the package chrony inside that system first"'
expect "chrony not installed: no service command ran (timesyncd not disabled)" \
	'! grep -q "^systemctl" "$NTPWIZ_STANDIN_LOG"'
expect "chrony not installed: the tree is exactly as before (no file, no backup)" \
	'[ "$(tree_state "$root")" = "$before" ]'
expect "chrony not installed: timesyncd is still enabled" \
	'[ -L "$root/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service" ]'

# --- line mode: the same refusal, before anything is written --------------------------
root=$(new_root_timesyncd)
before=$(tree_state "$root")
: >"$NTPWIZ_STANDIN_LOG"
printf 'chrony\ny\nstep\nclient-only\n\n\n\n\ny\n' |
	timeout 20 "$NTPWIZ" --text --root "$root" >"$T_TMP/out" 2>"$T_TMP/err"
RC=$?
# line mode breaks long lines between words: compare with the lines joined
OUT=$(tr -s ' \n' '  ' <"$T_TMP/out")
ERR=$(cat "$T_TMP/err")
expect "line mode, chrony not installed: exit 1, says why" \
	'[ "$RC" = 1 ] && contains "$OUT$ERR" "chrony is not installed under $root"'
expect "line mode, chrony not installed: told on the daemon question, and again instead of the Write question" \
	'[[ $OUT == *"[1/7]"*"Apply would be refused: chrony is not installed under $root"*"[2/7]"* ]] && ! contains "$OUT" "now (under --root"'
expect "line mode, chrony not installed: nothing changed" \
	'[ "$(tree_state "$root")" = "$before" ] && ! grep -q "^systemctl" "$NTPWIZ_STANDIN_LOG"'

# --- chrony installed: the same root applies (the pre-flight passes) -------------------
root=$(new_root_timesyncd chrony)
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/A.cfg" --root "$root"
expect "chrony installed: apply works (exit 0), timesyncd disabled, chrony enabled" \
	'[ "$RC" = 0 ] && grep -q "disable systemd-timesyncd" "$NTPWIZ_STANDIN_LOG" && grep -q "enable chrony" "$NTPWIZ_STANDIN_LOG"'

# --- the init system's command is missing ----------------------------------------------
root=$(new_root_timesyncd chrony)
before=$(tree_state "$root")
mkdir -p "$T_TMP/nobin"
run_ntpwiz_path() { # PATH ARGS...: run_ntpwiz with this PATH for ntpwiz only
	local p=$1
	shift
	env PATH="$p" "$NTPWIZ" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}
run_ntpwiz_path "$T_TMP/nobin" apply "$T_TMP/A.cfg" --root "$root"
expect "no systemctl on PATH: exit 1, the error names the command" \
	'[ "$RC" = 1 ] && contains "$ERR" "the command systemctl was not found"'
expect "no systemctl on PATH: the tree is exactly as before" \
	'[ "$(tree_state "$root")" = "$before" ]'

# --- the config folder cannot be written (read-only) ------------------------------------
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1; then
	root=$(new_root_timesyncd chrony)
	mkdir -p "$root/etc/chrony"
	before=$(tree_state "$root")
	unshare -m bash -c 'mount --bind "$1/etc" "$1/etc" && mount -o remount,bind,ro "$1/etc" &&
		exec "$2" apply "$3" --root "$1"' _ "$root" "$NTPWIZ" "$T_TMP/A.cfg" \
		>"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	ERR=$(cat "$T_TMP/err")
	expect "read-only /etc under the root: exit 1, names the folder" \
		'[ "$RC" = 1 ] && contains "$ERR" "/etc/chrony: cannot write in this folder"'
	expect "read-only /etc under the root: no backup, no service command" \
		'[ "$(tree_state "$root")" = "$before" ]'
elif [ "$(id -u)" != 0 ]; then
	root=$(new_root_timesyncd chrony)
	mkdir -p "$root/etc/chrony"
	chmod 555 "$root/etc/chrony"
	before=$(tree_state "$root")
	run_ntpwiz apply "$T_TMP/A.cfg" --root "$root"
	expect "unwritable /etc/chrony under the root: exit 1, names the folder" \
		'[ "$RC" = 1 ] && contains "$ERR" "/etc/chrony: cannot write in this folder"'
	expect "unwritable /etc/chrony: the tree is exactly as before" \
		'[ "$(tree_state "$root")" = "$before" ]'
	chmod 755 "$root/etc/chrony"
fi

finish
