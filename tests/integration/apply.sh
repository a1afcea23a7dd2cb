#!/bin/bash
# apply.sh: ntpwiz apply / check / rollback / detect end to end, as an
# operator runs them, in sandbox roots (Debian 12, systemd), with stand-in
# systemctl/chronyc/ntpq first on PATH (tests/lib/standins): exit codes,
# the lines on the screen, the exact bytes of the file and of its backups,
# and which service commands ran, in order.
#
# Safety: every ntpwiz run has --root under a temp folder (the "needs root"
# refusal is checked as user nobody); as root the whole script runs in a
# private mount namespace where the host's / is read-only (hostguard.sh),
# so a bug that ignores --root fails here instead of touching /etc.
# No real daemon runs here (see apply-chrony-e2e.sh); the real chronyd is
# only used as the syntax checker (chronyd -p), when it can be fetched.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# The daemon cache is filled before entering the guard (it writes the tree).
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
if [ "${NTPWIZ_HOSTGUARD-}" != 1 ]; then
	daemons_fetch >/dev/null 2>&1 || true
fi
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

STANDINS=$srcdir/tests/lib/standins
export PATH="$STANDINS:$PATH"
export NTPWIZ_STANDIN_LOG="$T_TMP/standin.log"
unset STANDIN_FAIL_RESTART STANDIN_FAIL STANDIN_IS_ACTIVE STANDIN_IS_ENABLED \
	STANDIN_RESTART_HOOK STANDIN_STOP_HOOK STANDIN_CHRONYC STANDIN_CHRONYC_FAIL_FIRST STANDIN_NTPQ
STOCK=$srcdir/tests/data/roots/debian12-chrony.conf
CONF=/etc/chrony/chrony.conf
BK_RE='^/var/backups/ntpwiz/etc_chrony_chrony\.conf\.[0-9]{8}T[0-9]{6}Z(\.[0-9]+)?$'
STEP_RE='^  (ok|skipped|FAILED) +'

if [ "$(id -u)" = 0 ]; then
	expect "host guard: the machine's /etc is read-only for this test" 'hostguard_active'
fi

# --- fixtures -------------------------------------------------------------------
profile() {	# NAME HOST STOP_CONFLICTING [DAEMON]
	cat >"$T_TMP/$1.cfg" <<P
version = 1;
daemon = "${4:-chrony}";
servers = ( { host = "$2"; kind = "server"; iburst = true; } );
leap = { mode = "step"; };
restrict = { policy = "client-only"; };
apply = { backup = true; restart = true; stop_conflicting = $3; install = false; };
P
}
profile A ntp-a.example true
profile B ntp-b.example true
profile A-keep ntp-a.example false
profile N ntp-a.example true ntpsec
profile O ntp-a.example true openntpd
PA=$T_TMP/A.cfg
PB=$T_TMP/B.cfg

# daemon_in_root ROOT DAEMON: plants the files detect takes for an installed
# chrony, ntpsec or openntpd (stubs; nothing runs them)
daemon_in_root() {
	local f
	case $2 in
	chrony) set -- "$1" /usr/sbin/chronyd ;;
	ntpsec) set -- "$1" /usr/sbin/ntpd /usr/bin/ntpmon ;;
	openntpd) set -- "$1" /usr/sbin/ntpd /usr/sbin/ntpctl ;;
	esac
	for f in "${@:2}"; do
		mkdir -p "$1${f%/*}"
		printf '#!/bin/sh\nexit 0\n' >"$1$f"
		chmod 755 "$1$f"
	done
}

# new_apply_root [stock|bare]: a Debian 12 root that is a systemd system
# (DIR/lib/systemd/systemd); "stock" adds Debian's stock chrony.conf, "bare"
# leaves out systemd.
new_apply_root() {
	local r
	r=$(mktemp -d "$T_TMP/root.XXXXXX")
	mkdir -p "$r/etc"
	cp "$srcdir/tests/data/roots/debian12-os-release" "$r/etc/os-release"
	if [ "${1-}" != bare ]; then
		mkdir -p "$r/lib/systemd"
		printf '#!/bin/sh\nexit 0\n' >"$r/lib/systemd/systemd"
		chmod 755 "$r/lib/systemd/systemd"
		# chrony is installed there: apply refuses a daemon that is not
		# (apply-preflight.sh)
		daemon_in_root "$r" chrony
	fi
	if [ "${1-}" = stock ]; then
		mkdir -p "$r/etc/chrony"
		cp "$STOCK" "$r$CONF"
		chmod 644 "$r$CONF"
	fi
	echo "$r"
}

reset_log() { : >"$NTPWIZ_STANDIN_LOG"; }
# The systemctl calls since reset_log, one per line, "--root=DIR" shown as
# "--root=ROOT" so expectations can be written literally.
systemctl_calls() {	# ROOT
	grep '^systemctl ' "$NTPWIZ_STANDIN_LOG" | sed "s|--root=$1 |--root=ROOT |g"
}
count_lines() {	# REGEX FILE
	grep -cE "$1" "$2"
}

# Elapsed seconds of the last timed_ntpwiz.
timed_ntpwiz() {
	local t0 t1
	t0=$(date +%s.%N)
	run_ntpwiz "$@"
	t1=$(date +%s.%N)
	ELAPSED=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

last_line() { printf '%s\n' "$OUT" | tail -n 1; }
# step_line RESULT NAME: OUT has a step line "  RESULT   NAME ..."
step_line() { printf '%s\n' "$OUT" | grep -qE "^  $1 +$2( |\$)"; }
has_step() { printf '%s\n' "$OUT" | grep -qE "${STEP_RE}$1( |\$)"; }

# The step lines are the only ones besides the last; errors go to stderr
# as "WHERE: message".
errors_well_formed() {
	[ -n "$ERR" ] && ! printf '%s\n' "$ERR" | grep -vqE '^[^ :][^:]*: .+'
}

# json EXPR: evaluates a Python expression over the parsed stdout (j);
# prints str as is, bool as true/false, None as null, others as JSON.
json() {
	python3 - "$1" "$OUT" <<'PY'
import json, sys
j = json.loads(sys.argv[2])
v = eval(sys.argv[1], {"j": j, "len": len, "isinstance": isinstance, "list": list, "dict": dict, "str": str})
if isinstance(v, bool):
    print("true" if v else "false")
elif v is None:
    print("null")
elif isinstance(v, str):
    print(v)
else:
    print(json.dumps(v))
PY
}
# OUT is exactly one JSON object (json.loads refuses trailing data).
json_one_object() {
	python3 -c 'import json,sys; sys.exit(0 if isinstance(json.loads(sys.stdin.read()), dict) else 1)' <<<"$OUT" 2>/dev/null
}
json_step() {	# NAME: the result of the first step NAME, "" if none
	json "next((s['result'] for s in j['steps'] if s['name'] == '$1'), '')" 2>/dev/null
}

# A listing that changes when anything is written: names, inodes, mtimes,
# modes, sizes, symlink targets, and every file's checksum.
tree_stamp() {
	(cd "$1" && find . -printf '%p %i %T@ %m %s %y %l\n' | sort &&
		find . -type f -exec sha256sum {} + | sort)
}
no_tmp_files() { [ -z "$(find "$1" -name '*.ntpwiz-tmp')" ]; }
backups_of() {	# ROOT [PREFIX]: backup file names, sorted
	local f
	for f in "$1/var/backups/ntpwiz/${2:-etc_chrony_chrony.conf}".*; do
		[ -e "$f" ] && printf '%s\n' "${f##*/}"
	done | sort
}
# backup timestamp within 10 minutes of now, in UTC
backup_time_is_utc_now() {	# NAME
	local ts when now
	ts=$(sed -nE 's/.*\.([0-9]{8})T([0-9]{2})([0-9]{2})([0-9]{2})Z(\.[0-9]+)?(\.absent)?$/\1 \2:\3:\4/p' <<<"$1")
	[ -n "$ts" ] || return 1
	when=$(TZ=UTC date -d "$ts" +%s) || return 1
	now=$(date +%s)
	[ $((now - when)) -ge -60 ] && [ $((now - when)) -le 600 ]
}

# --- 1. first apply: the rendered bytes, the stock file backed up --------------
root=$(new_apply_root stock)
"$NTPWIZ" render "$PA" --root "$root" >"$T_TMP/expect.A"
"$NTPWIZ" render "$PB" --root "$root" >"$T_TMP/expect.B"
check "fixture: render of profile A works" [ -s "$T_TMP/expect.A" ]
expect "fixture: A and B differ" '! cmp -s "$T_TMP/expect.A" "$T_TMP/expect.B"'
reset_log
# A timezone far from UTC: the backup's name must still be in UTC.
TZ=Pacific/Kiritimati run_ntpwiz apply "$PA" --root "$root"
expect "first apply: exit 0" '[ "$RC" -eq 0 ]'
check "first apply: the file is exactly what 'ntpwiz render' prints" cmp -s "$root$CONF" "$T_TMP/expect.A"
expect "first apply: last line starts with 'changed:'" '[[ $(last_line) == changed:* ]]'
expect "first apply: '  ok       write      /etc/chrony/chrony.conf' line" \
	'printf "%s\n" "$OUT" | grep -qE "^  ok +write +/etc/chrony/chrony\.conf"'
expect "first apply: an ok backup step" 'step_line ok backup'
mapfile -t bks < <(backups_of "$root")
expect "first apply: exactly one backup" '[ "${#bks[@]}" -eq 1 ]'
expect "first apply: backup named etc_chrony_chrony.conf.YYYYmmddTHHMMSSZ" \
	'[[ "/var/backups/ntpwiz/${bks[0]}" =~ $BK_RE ]]'
expect "first apply: backup timestamp is the current UTC time (TZ set elsewhere)" \
	'backup_time_is_utc_now "${bks[0]}"'
check "first apply: backup holds the stock file byte for byte" cmp -s "$root/var/backups/ntpwiz/${bks[0]}" "$STOCK"
expect "first apply: the file's mode stays 0644" '[ "$(stat -c %a "$root$CONF")" = 644 ]'
expect "first apply (--root, no --restart): only 'systemctl --root=DIR enable chrony' ran" \
	'[ "$(systemctl_calls "$root")" = "systemctl --root=ROOT enable chrony" ]'
check "first apply: no temporary file left" no_tmp_files "$root"
[ "$RC" -eq 0 ] || printf '  # stdout:\n%s\n  # stderr:\n%s\n' "$OUT" "$ERR"

# --- 2. second apply: unchanged, nothing written, no service command -----------
before=$(tree_stamp "$root")
sleep 1.1 # a rewrite would show in the mtimes and the backup names
reset_log
run_ntpwiz apply "$PA" --root "$root"
expect "second apply: exit 0" '[ "$RC" -eq 0 ]'
expect "second apply: last line starts with 'unchanged:'" '[[ $(last_line) == unchanged:* ]]'
expect "second apply: no file written, renamed or added (names, inodes, mtimes, bytes)" \
	'[ "$(tree_stamp "$root")" = "$before" ]'
expect "second apply: no systemctl command ran" '[ -z "$(systemctl_calls "$root")" ]'
expect "second apply: no write step reported ok" '! step_line ok write'
run_ntpwiz apply "$PA" --root "$root" --restart
expect "unchanged with --restart: exit 0, still no systemctl command (no restart)" \
	'[ "$RC" -eq 0 ] && [ -z "$(systemctl_calls "$root")" ] && [ "$(tree_stamp "$root")" = "$before" ]'

# --- 3. check: 2 before, 0 after, 1 on error; never writes ----------------------
root=$(new_apply_root stock)
before=$(tree_stamp "$root")
reset_log
run_ntpwiz check "$PA" --root "$root"
expect "check on the stock file: exit 2" '[ "$RC" -eq 2 ]'
expect "check: wrote nothing" '[ "$(tree_stamp "$root")" = "$before" ]'
expect "check: ran no systemctl command" '[ -z "$(systemctl_calls "$root")" ]'
run_ntpwiz check "$PA" --root "$root" --json
expect "check --json: one object, changed true, command check" \
	'[ "$RC" -eq 2 ] && json_one_object && [ "$(json "j[\"changed\"]")" = true ] && [ "$(json "j[\"command\"]")" = check ]'
run_ntpwiz apply "$PA" --root "$root"
run_ntpwiz check "$PA" --root "$root"
expect "check after apply: exit 0" '[ "$RC" -eq 0 ]'
run_ntpwiz check "$PB" --root "$root"
expect "check with another profile after apply: exit 2" '[ "$RC" -eq 2 ]'
broot=$(new_apply_root)
run_ntpwiz check "$PA" --root "$broot"
expect "check with no config file yet: exit 2" '[ "$RC" -eq 2 ]'
printf 'version = 1;\ndaemon = "chrony";\nservers = ( { host = "a b"; } );\n' >"$T_TMP/bad.cfg"
run_ntpwiz check "$T_TMP/bad.cfg" --root "$root"
expect "check with an invalid profile: exit 1, error on stderr" '[ "$RC" -eq 1 ] && [ -n "$ERR" ]'
before=$(tree_stamp "$root")
run_ntpwiz apply "$T_TMP/bad.cfg" --root "$root"
expect "apply with an invalid profile: exit 1, nothing written" \
	'[ "$RC" -eq 1 ] && [ "$(tree_stamp "$root")" = "$before" ] && contains "$ERR" "bad.cfg:3: servers[0].host"'

# --- 4. --json ------------------------------------------------------------------
root=$(new_apply_root stock)
run_ntpwiz apply "$PA" --root "$root" --json
expect "--json: exit 0 and stdout is exactly one JSON object" '[ "$RC" -eq 0 ] && json_one_object'
expect "--json: command apply, daemon chrony, service chrony" \
	'[ "$(json "j[\"command\"]")/$(json "j[\"daemon\"]")/$(json "j[\"service\"]")" = apply/chrony/chrony ]'
expect "--json: path /etc/chrony/chrony.conf" '[ "$(json "j[\"path\"]")" = "$CONF" ]'
expect "--json: changed true, restarted false, verified false, rolled_back false" \
	'[ "$(json "[j[\"changed\"], j[\"restarted\"], j[\"verified\"], j[\"rolled_back\"]]")" = "[true, false, false, false]" ]'
bk=$(json 'j["backup"]' 2>/dev/null)
expect "--json: backup is /var/backups/ntpwiz/etc_chrony_chrony.conf.TIMESTAMP (in the root)" '[[ $bk =~ $BK_RE ]]'
check "--json: the backup it names holds the stock bytes" cmp -s "$root$bk" "$STOCK"
expect "--json: steps is a list of {name,result,detail}, write ok" \
	'[ "$(json "all(set(s) >= {\"name\", \"result\", \"detail\"} for s in j[\"steps\"])")" = true ] && [ "$(json_step write)" = ok ]'
expect "--json: errors is an empty list, warnings a list" \
	'[ "$(json "j[\"errors\"]")" = "[]" ] && [ "$(json "isinstance(j[\"warnings\"], list)")" = true ]'
run_ntpwiz apply "$PA" --root "$root" --json
expect "--json, unchanged: one object, changed false, no backup" \
	'[ "$RC" -eq 0 ] && json_one_object && [ "$(json "j[\"changed\"]")" = false ] && [[ $(json "j[\"backup\"]") =~ ^(|null)$ ]]'

# --- 5. --no-restart / --root / --restart ----------------------------------------
root=$(new_apply_root stock)
reset_log
run_ntpwiz apply "$PA" --root "$root" --no-restart --json
expect "--no-restart: exit 0, file written" '[ "$RC" -eq 0 ] && cmp -s "$root$CONF" "$T_TMP/expect.A"'
expect "--no-restart: no 'systemctl restart' ran" '! systemctl_calls "$root" | grep -q " restart "'
expect "--no-restart: restart step skipped, restarted false" \
	'[ "$(json_step restart)" = skipped ] && [ "$(json "j[\"restarted\"]")" = false ]'
root=$(new_apply_root stock)
reset_log
run_ntpwiz apply "$PA" --root "$root" --no-restart
expect "--no-restart, text: a '  skipped  restart' line" 'step_line skipped restart'
root=$(new_apply_root stock)
reset_log
run_ntpwiz apply "$PA" --root "$root" --restart --json
expect "--root --restart: exit 0" '[ "$RC" -eq 0 ]'
expect "--root --restart: 'systemctl --root=DIR enable chrony' then 'systemctl restart chrony'" \
	'[ "$(systemctl_calls "$root")" = "$(printf "systemctl --root=ROOT enable chrony\nsystemctl restart chrony")" ]'
expect "--root --restart: verified with 'chronyc -n -c sources'" \
	'grep -qx "chronyc -n -c sources" "$NTPWIZ_STANDIN_LOG" && [ "$(json_step verify)" = ok ]'
expect "--root --restart: restarted true, verified true" \
	'[ "$(json "[j[\"restarted\"], j[\"verified\"], j[\"rolled_back\"]]")" = "[true, true, false]" ]'
root=$(new_apply_root stock)
reset_log
run_ntpwiz apply "$PA" --root "$root" --restart
expect "--root --restart, text: '  ok       verify' line, last line changed:" \
	'step_line ok verify && step_line ok restart && [[ $(last_line) == changed:* ]]'

# --- 6. a restart that fails: old bytes back, restarted again, rolled back --------
root=$(new_apply_root stock)
reset_log
STANDIN_FAIL_RESTART=1 run_ntpwiz apply "$PA" --root "$root" --restart
expect "failing restart: exit 1" '[ "$RC" -eq 1 ]'
check "failing restart: the file holds the OLD (stock) bytes" cmp -s "$root$CONF" "$STOCK"
expect "failing restart: last line starts with 'rolled back:'" '[[ $(last_line) == "rolled back:"* ]]'
expect "failing restart: a '  FAILED   restart' line" 'step_line FAILED restart'
expect "failing restart: the service was restarted again after putting the bytes back" \
	'[ "$(systemctl_calls "$root" | grep -c "^systemctl restart chrony$")" -eq 2 ]'
expect "failing restart: errors on stderr as 'WHERE: message'" 'errors_well_formed'
check "failing restart: no temporary file left" no_tmp_files "$root"
root=$(new_apply_root stock)
STANDIN_FAIL_RESTART=1 run_ntpwiz apply "$PA" --root "$root" --restart --json
expect "failing restart --json: one object, rolled_back true, errors not empty" \
	'[ "$RC" -eq 1 ] && json_one_object && [ "$(json "j[\"rolled_back\"]")" = true ] && [ "$(json "len(j[\"errors\"]) > 0")" = true ]'
# no file before: the new one is removed again
root=$(new_apply_root)
mkdir -p "$root/etc/chrony"
STANDIN_FAIL_RESTART=1 run_ntpwiz apply "$PA" --root "$root" --restart
expect "failing restart, no file before: exit 1, the new file removed again" \
	'[ "$RC" -eq 1 ] && [ ! -e "$root$CONF" ] && [ ! -L "$root$CONF" ]'
mapfile -t bks < <(backups_of "$root")
expect "no file before: recorded as an empty NAME.TIMESTAMP.absent backup" \
	'[ "${#bks[@]}" -eq 1 ] && [[ ${bks[0]} == *Z.absent || ${bks[0]} =~ Z\.[0-9]+\.absent$ ]] && [ ! -s "$root/var/backups/ntpwiz/${bks[0]}" ]'

# --- 7. a daemon that never answers: verify fails within --verify-timeout --------
root=$(new_apply_root stock)
reset_log
STANDIN_CHRONYC=506 timed_ntpwiz apply "$PA" --root "$root" --restart --verify-timeout 1
expect "verify gets '506 Cannot talk to daemon': exit 1, rolled back" \
	'[ "$RC" -eq 1 ] && [[ $(last_line) == "rolled back:"* ]] && step_line FAILED verify'
check "verify 506: the file holds the OLD bytes" cmp -s "$root$CONF" "$STOCK"
expect "verify 506: retried (chronyc asked more than once)" \
	'[ "$(count_lines "^chronyc " "$NTPWIZ_STANDIN_LOG")" -ge 2 ]'
expect "verify 506: done within 10 s with --verify-timeout 1 (took ${ELAPSED} s)" \
	'awk -v e="$ELAPSED" "BEGIN { exit !(e < 10) }"'
expect "verify 506: kept asking for the whole --verify-timeout 1 before giving up (took ${ELAPSED} s)" \
	'awk -v e="$ELAPSED" "BEGIN { exit !(e >= 1) }"'
expect "verify 506: restarted again after the rollback" \
	'[ "$(systemctl_calls "$root" | grep -c "^systemctl restart chrony$")" -eq 2 ]'
root=$(new_apply_root stock)
STANDIN_CHRONYC=hang timed_ntpwiz apply "$PA" --root "$root" --restart --verify-timeout 1
expect "verify never answers (chronyc hangs): exit 1, rolled back, old bytes, within 10 s (took ${ELAPSED} s)" \
	'[ "$RC" -eq 1 ] && [[ $(last_line) == "rolled back:"* ]] && cmp -s "$root$CONF" "$STOCK" && awk -v e="$ELAPSED" "BEGIN { exit !(e < 10) }"'
root=$(new_apply_root stock)
reset_log
answer_at=$(awk -v n="$(date +%s.%N)" 'BEGIN { printf "%.3f", n + 0.8 }')
STANDIN_CHRONYC_ANSWER_AT=$answer_at timed_ntpwiz apply "$PA" --root "$root" --restart --verify-timeout 1 --json
expect "daemon answers 0.8 s after the restart, --verify-timeout 1: verified, not rolled back (took ${ELAPSED} s)" \
	'[ "$RC" -eq 0 ] && [ "$(json "[j[\"verified\"], j[\"rolled_back\"]]")" = "[true, false]" ] && cmp -s "$root$CONF" "$T_TMP/expect.A"'
[ "$RC" -eq 0 ] || echo "#   verify step: $(json "next(s['detail'] for s in j['steps'] if s['name'] == 'verify')" 2>/dev/null); chronyc calls: $(count_lines "^chronyc " "$NTPWIZ_STANDIN_LOG")"
root=$(new_apply_root stock)
reset_log
STANDIN_CHRONYC_FAIL_FIRST=2 run_ntpwiz apply "$PA" --root "$root" --restart --verify-timeout 10 --json
expect "daemon answers on the 3rd try: exit 0, verified, new bytes kept" \
	'[ "$RC" -eq 0 ] && [ "$(json "j[\"verified\"]")" = true ] && cmp -s "$root$CONF" "$T_TMP/expect.A"'
expect "daemon answers on the 3rd try: chronyc asked at least 3 times" \
	'[ "$(count_lines "^chronyc " "$NTPWIZ_STANDIN_LOG")" -ge 3 ]'

# --- 8. a symlink at the target: refused, nothing written --------------------------
root=$(new_apply_root)
mkdir -p "$root/etc/chrony" "$T_TMP/outside"
printf 'outside the root\n' >"$T_TMP/outside/chrony.conf"
ln -s "$T_TMP/outside/chrony.conf" "$root$CONF"
before=$(tree_stamp "$root")
outside_before=$(tree_stamp "$T_TMP/outside")
reset_log
run_ntpwiz apply "$PA" --root "$root" --restart
expect "symlink at the target: exit 1" '[ "$RC" -eq 1 ]'
expect "symlink at the target: the link is untouched" \
	'[ -L "$root$CONF" ] && [ "$(readlink "$root$CONF")" = "$T_TMP/outside/chrony.conf" ]'
expect "symlink at the target: its target outside the root is untouched" \
	'[ "$(tree_stamp "$T_TMP/outside")" = "$outside_before" ]'
expect "symlink at the target: nothing written under the root (no backup either)" \
	'[ "$(tree_stamp "$root")" = "$before" ]'
expect "symlink at the target: no service command" '[ -z "$(systemctl_calls "$root")" ]'
expect "symlink at the target: the error names the file" 'contains "$ERR" "chrony.conf"'
# a symlinked parent folder pointing outside: whatever happens, nothing outside changes
root=$(new_apply_root)
mkdir -p "$T_TMP/outside-dir"
printf 'outside\n' >"$T_TMP/outside-dir/chrony.conf"
ln -s "$T_TMP/outside-dir" "$root/etc/chrony"
outside_before=$(tree_stamp "$T_TMP/outside-dir")
run_ntpwiz apply "$PA" --root "$root"
expect "symlinked /etc/chrony pointing outside: nothing outside the root changed" \
	'[ "$(tree_stamp "$T_TMP/outside-dir")" = "$outside_before" ]'

# --- 9. missing /etc/chrony: created 0755, file 0644 -------------------------------
root=$(new_apply_root)
(umask 022 && run_ntpwiz apply "$PA" --root "$root" && exit "$RC")
rc=$?
expect "missing /etc/chrony: exit 0" '[ "$rc" -eq 0 ]'
expect "missing /etc/chrony: folder created 0755" '[ -d "$root/etc/chrony" ] && [ "$(stat -c %a "$root/etc/chrony")" = 755 ]'
expect "missing /etc/chrony: file 0644 with the rendered bytes" \
	'[ "$(stat -c %a "$root$CONF")" = 644 ] && cmp -s "$root$CONF" "$T_TMP/expect.A"'
root=$(new_apply_root)
(umask 077 && run_ntpwiz apply "$PA" --root "$root" && exit "$RC")
rc=$?
expect "missing /etc/chrony under umask 077: exit 0" '[ "$rc" -eq 0 ]'
expect "missing /etc/chrony under umask 077: folder still 0755, file still 0644" \
	'[ "$(stat -c %a "$root/etc/chrony")" = 755 ] && [ "$(stat -c %a "$root$CONF")" = 644 ]'

# --- 10. the old file's mode and owner are kept -------------------------------------
if [ "$(id -u)" = 0 ]; then
	root=$(new_apply_root stock)
	chmod 640 "$root$CONF"
	chown 123:456 "$root$CONF"
	run_ntpwiz apply "$PA" --root "$root"
	expect "old mode 0640 and owner 123:456 kept" \
		'[ "$RC" -eq 0 ] && [ "$(stat -c "%a %u:%g" "$root$CONF")" = "640 123:456" ] && cmp -s "$root$CONF" "$T_TMP/expect.A"'
fi

# --- 11. rollback ------------------------------------------------------------------
root=$(new_apply_root stock)
run_ntpwiz apply "$PA" --root "$root"
run_ntpwiz rollback --root "$root"
expect "rollback after an apply: exit 0" '[ "$RC" -eq 0 ]'
check "rollback after an apply: the stock bytes are back" cmp -s "$root$CONF" "$STOCK"
root=$(new_apply_root stock)
run_ntpwiz apply "$PA" --root "$root"
run_ntpwiz apply "$PB" --root "$root" # most likely the same second: a ".1" backup
run_ntpwiz rollback --root "$root" --json
expect "rollback --json: exit 0, one object, command rollback" \
	'[ "$RC" -eq 0 ] && json_one_object && [ "$(json "j[\"command\"]")" = rollback ]'
check "rollback after A then B: A's bytes are back (the newest backup)" cmp -s "$root$CONF" "$T_TMP/expect.A"
root=$(new_apply_root)
run_ntpwiz apply "$PA" --root "$root"
run_ntpwiz rollback --root "$root"
expect "rollback when there was no file before (.absent): exit 0, the file is gone" \
	'[ "$RC" -eq 0 ] && [ ! -e "$root$CONF" ]'
root=$(new_apply_root stock)
before=$(tree_stamp "$root")
run_ntpwiz rollback --root "$root"
expect "rollback with no backup: exit 1, nothing changed" \
	'[ "$RC" -eq 1 ] && [ -n "$ERR" ] && [ "$(tree_stamp "$root")" = "$before" ]'

# --- 12. a conflicting, enabled systemd-timesyncd ------------------------------------
timesyncd_root() {
	local r
	r=$(new_apply_root stock)
	mkdir -p "$r/etc/systemd/system/sysinit.target.wants" "$r/lib/systemd/system"
	: >"$r/lib/systemd/system/systemd-timesyncd.service"
	printf '#!/bin/sh\n' >"$r/lib/systemd/systemd-timesyncd"
	chmod 755 "$r/lib/systemd/systemd-timesyncd"
	ln -s /lib/systemd/system/systemd-timesyncd.service \
		"$r/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service"
	echo "$r"
}
root=$(timesyncd_root)
reset_log
run_ntpwiz apply "$PA" --root "$root"
expect "enabled timesyncd, stop_conflicting: exit 0" '[ "$RC" -eq 0 ]'
expect "enabled timesyncd: 'systemctl --root=DIR disable systemd-timesyncd' ran" \
	'systemctl_calls "$root" | grep -qx "systemctl --root=ROOT disable systemd-timesyncd"'
expect "enabled timesyncd: disabled before chrony is enabled" \
	'[ "$(systemctl_calls "$root")" = "$(printf "systemctl --root=ROOT disable systemd-timesyncd\nsystemctl --root=ROOT enable chrony")" ]'
expect "enabled timesyncd under --root: no 'systemctl stop' (nothing is running there)" \
	'! systemctl_calls "$root" | grep -q "^systemctl stop "'
root=$(timesyncd_root)
reset_log
run_ntpwiz apply "$T_TMP/A-keep.cfg" --root "$root"
expect "stop_conflicting = false: exit 0, timesyncd left alone" \
	'[ "$RC" -eq 0 ] && ! grep -q "systemd-timesyncd" "$NTPWIZ_STANDIN_LOG" && [ -L "$root/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service" ]'
expect "stop_conflicting = false: chrony still enabled" \
	'systemctl_calls "$root" | grep -qx "systemctl --root=ROOT enable chrony"'

# --- 13. backups: 12 applies alternating two profiles keep the newest 10 --------------
# The applies run back to back from the start of a second, as a script or a
# config management run would: most (often all) get the same timestamp, so
# the ".N" names are what keeps them apart, and what says which is newest.
root=$(new_apply_root stock)
cp "$STOCK" "$T_TMP/bk.prev"
sleep "$(awk -v n="$(date +%N)" 'BEGIN { printf "%.3f", (1e9 - n) / 1e9 + 0.005 }')"
for i in $(seq 1 12); do
	if [ $((i % 2)) = 1 ]; then p=$PA; else p=$PB; fi
	cp "$T_TMP/bk.prev" "$T_TMP/bk.expect.$i"
	"$NTPWIZ" apply "$p" --root "$root" --json >"$T_TMP/bk.json.$i" 2>&1
	echo $? >"$T_TMP/bk.rc.$i"
	cp "$root$CONF" "$T_TMP/bk.prev"
done
names=()
all_ok=1
for i in $(seq 1 12); do
	OUT=$(cat "$T_TMP/bk.json.$i")
	if [ "$(cat "$T_TMP/bk.rc.$i")" != 0 ] || [ "$(json 'j["changed"]' 2>/dev/null)" != true ]; then all_ok=0; fi
	names[i]=$(json 'j["backup"]' 2>/dev/null)
done
echo "# backups reported: ${names[*]##*/}"
expect "12 alternating applies: each exit 0 and changed" '[ "$all_ok" = 1 ]'
expect "12 alternating applies: 12 different backup names (a name is never reused)" \
	'[ "$(printf "%s\n" "${names[@]}" | grep -cE "$BK_RE")" -eq 12 ] && [ "$(printf "%s\n" "${names[@]}" | sort -u | wc -l)" -eq 12 ]'
expect "12 alternating applies: 10 backups kept" '[ "$(backups_of "$root" | wc -l)" -eq 10 ]'
kept_ok=1
for i in $(seq 3 12); do
	cmp -s "$root${names[i]}" "$T_TMP/bk.expect.$i" || kept_ok=0
done
expect "12 alternating applies: the 10 newest are kept, each holding the bytes it replaced" '[ "$kept_ok" = 1 ]'
expect "12 alternating applies: the 2 oldest were the ones removed" \
	'[ ! -e "$root${names[1]}" ] && [ ! -e "$root${names[2]}" ]'
run_ntpwiz rollback --root "$root"
check "12 alternating applies, then rollback: the bytes from before the 12th apply (A's) are back" \
	cmp -s "$root$CONF" "$T_TMP/expect.A"

# --- 14. the daemon's own checker ----------------------------------------------------
root=$(new_apply_root stock)
run_ntpwiz apply "$PA" --root "$root" --json
expect "no chronyd on PATH: the checker step is reported as skipped" '[ "$(json_step check)" = skipped ]'
mkdir -p "$T_TMP/badbin"
cat >"$T_TMP/badbin/chronyd" <<EOF
#!/bin/sh
printf 'chronyd %s\n' "\$*" >>"\$NTPWIZ_STANDIN_LOG"
[ "\$1" = -p ] && [ "\$2" = -f ] && cp "\$3" "$T_TMP/checked.conf"
echo "\$3" >"$T_TMP/checked.path"
echo "Fatal error : Invalid directive at line 3 in file \$3" >&2
exit 1
EOF
chmod 755 "$T_TMP/badbin/chronyd"
root=$(new_apply_root stock)
before=$(tree_stamp "$root")
reset_log
PATH="$T_TMP/badbin:$PATH" run_ntpwiz apply "$PA" --root "$root" --restart
expect "checker rejects: exit 1, the complaint shown" '[ "$RC" -eq 1 ] && contains "$ERR$OUT" "Invalid directive at line 3"'
expect "checker rejects: it was run as 'chronyd -p -f FILE' on the rendered bytes" \
	'grep -qE "^chronyd -p -f [^ ]+$" "$NTPWIZ_STANDIN_LOG" && cmp -s "$T_TMP/checked.conf" "$T_TMP/expect.A"'
expect "checker rejects: nothing written, no service command" \
	'[ "$(tree_stamp "$root")" = "$before" ] && [ -z "$(systemctl_calls "$root")" ]'
expect "checker rejects: its temporary file is removed" '[ ! -e "$(cat "$T_TMP/checked.path")" ]'
if chronyd_bin=$(daemons_bin chrony 2>/dev/null); then
	mkdir -p "$T_TMP/realbin"
	ln -s "$chronyd_bin" "$T_TMP/realbin/chronyd"
	root=$(new_apply_root stock)
	PATH="$T_TMP/realbin:$PATH" run_ntpwiz apply "$PA" --root "$root" --json
	expect "real chronyd on PATH: its checker accepts the file, step ok, written" \
		'[ "$RC" -eq 0 ] && [ "$(json_step check)" = ok ] && cmp -s "$root$CONF" "$T_TMP/expect.A"'
else
	echo "# (real chronyd not available: the real-checker case is left out)"
fi
# OpenNTPD says "configuration OK" on stderr when it accepts a file. Run in a
# private network namespace: ntpd -n may resolve names, and no packet may
# leave the machine.
if openntpd_bin=$(daemons_bin openntpd 2>/dev/null) && [ "$(id -u)" = 0 ]; then
	mkdir -p "$T_TMP/realbin"
	ln -sf "$openntpd_bin" "$T_TMP/realbin/openntpd"
	root=$(new_apply_root)
	daemon_in_root "$root" openntpd
	ntpwiz=$NTPWIZ
	NTPWIZ=unshare PATH="$T_TMP/realbin:$PATH" \
		run_ntpwiz -n -- "$ntpwiz" apply "$T_TMP/O.cfg" --root "$root" --json
	NTPWIZ=$ntpwiz
	expect "real OpenNTPD on PATH: its checker accepts the file, step ok, written" \
		'[ "$RC" -eq 0 ] && [ "$(json_step check)" = ok ] && [ -s "$root/etc/openntpd/ntpd.conf" ]'
else
	echo "# (real OpenNTPD not available or not root: its real-checker case is left out)"
fi

# --- 15. no init system: nothing to enable ---------------------------------------------
root=$(new_apply_root bare)
reset_log
run_ntpwiz apply "$PA" --root "$root" --restart
expect "no init system under the root: exit 0, written, no systemctl command" \
	'[ "$RC" -eq 0 ] && cmp -s "$root$CONF" "$T_TMP/expect.A" && [ -z "$(systemctl_calls "$root")" ]'

# --- 16. ntpsec: ntpq's output decides (it exits 0 on every error) ----------------------
root=$(new_apply_root)
daemon_in_root "$root" ntpsec
mkdir -p "$root/etc/ntpsec"
cp "$srcdir/tests/data/roots/debian12-ntpsec.conf" "$root/etc/ntpsec/ntp.conf"
"$NTPWIZ" render "$T_TMP/N.cfg" --root "$root" >"$T_TMP/expect.N"
reset_log
run_ntpwiz apply "$T_TMP/N.cfg" --root "$root" --restart --json
expect "ntpsec --restart: exit 0, path /etc/ntpsec/ntp.conf, service ntpsec, verified" \
	'[ "$RC" -eq 0 ] && [ "$(json "j[\"path\"]")/$(json "j[\"service\"]")/$(json "j[\"verified\"]")" = /etc/ntpsec/ntp.conf/ntpsec/true ] && cmp -s "$root/etc/ntpsec/ntp.conf" "$T_TMP/expect.N"'
expect "ntpsec --restart: 'systemctl restart ntpsec', verified with 'ntpq -pn'" \
	'systemctl_calls "$root" | grep -qx "systemctl restart ntpsec" && grep -qx "ntpq -pn" "$NTPWIZ_STANDIN_LOG"'
mapfile -t bks < <(backups_of "$root" etc_ntpsec_ntp.conf)
expect "ntpsec: backup etc_ntpsec_ntp.conf.TIMESTAMP holds the stock file" \
	'[ "${#bks[@]}" -eq 1 ] && cmp -s "$root/var/backups/ntpwiz/${bks[0]}" "$srcdir/tests/data/roots/debian12-ntpsec.conf"'
root=$(new_apply_root)
daemon_in_root "$root" ntpsec
mkdir -p "$root/etc/ntpsec"
cp "$srcdir/tests/data/roots/debian12-ntpsec.conf" "$root/etc/ntpsec/ntp.conf"
STANDIN_NTPQ=refused run_ntpwiz apply "$T_TMP/N.cfg" --root "$root" --restart --verify-timeout 1
expect "ntpq says '***Socket error' (exit 0): verify fails, rolled back, old bytes" \
	'[ "$RC" -eq 1 ] && [[ $(last_line) == "rolled back:"* ]] && cmp -s "$root/etc/ntpsec/ntp.conf" "$srcdir/tests/data/roots/debian12-ntpsec.conf"'

# --- 17. detect --------------------------------------------------------------------------
detect_says() {	# PYTHON-CONDITION over the parsed JSON j (helpers: walk)
	python3 - "$1" "$OUT" <<'PY'
import json, sys
j = json.loads(sys.argv[2])
def walk(o):
    yield o
    if isinstance(o, dict):
        for v in o.values():
            yield from walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from walk(v)
def has(key, value):
    return any(isinstance(o, dict) and o.get(key) == value for o in walk(j))
def daemon(name):
    for o in walk(j):
        if isinstance(o, dict):
            if name in (o.get("name"), o.get("daemon"), o.get("id")):
                return o
            if isinstance(o.get(name), dict):
                return o[name]
    return None
sys.exit(0 if eval(sys.argv[1]) else 1)
PY
}
root=$(new_apply_root)
mkdir -p "$root/usr/sbin"
printf '#!/bin/sh\n' >"$root/usr/sbin/chronyd"
chmod 755 "$root/usr/sbin/chronyd"
run_ntpwiz detect --root "$root" --json
expect "detect --json: exit 0, one JSON object" '[ "$RC" -eq 0 ] && json_one_object'
expect "detect --json: family debian" 'detect_says "has(\"family\", \"debian\")"'
expect "detect --json: init systemd" 'detect_says "has(\"init\", \"systemd\") or has(\"init_system\", \"systemd\")"'
expect "detect --json: chrony installed (DIR/usr/sbin/chronyd exists)" \
	'detect_says "(daemon(\"chrony\") or {}).get(\"installed\") is True"'
root=$(new_apply_root bare)
run_ntpwiz detect --root "$root" --json
expect "detect --json without chronyd and systemd: chrony not installed, init not systemd" \
	'[ "$RC" -eq 0 ] && detect_says "(daemon(\"chrony\") or {}).get(\"installed\") is not True and not has(\"init\", \"systemd\")"'

# --- 18. not root and no --root: refused ------------------------------------------------
# As root this runs as user nobody, so nothing on the host could be written
# even by a bug; --root / is the same as no --root.
if [ "$(id -u)" = 0 ]; then
	chmod 711 "$T_TMP"
	mkdir -p "$T_TMP/nobody"
	cp "$PA" "$T_TMP/nobody/A.cfg"
	: >"$T_TMP/nobody/standin.log"
	chmod 755 "$T_TMP/nobody"
	chmod 644 "$T_TMP/nobody/A.cfg"
	chmod 666 "$T_TMP/nobody/standin.log"
	as_user() { NTPWIZ_STANDIN_LOG=$T_TMP/nobody/standin.log setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	mkdir -p "$T_TMP/nobody"
	cp "$PA" "$T_TMP/nobody/A.cfg"
	as_user() { "$@"; }
fi
for r in "" "--root /"; do
	# shellcheck disable=SC2086  # $r is empty or two words
	as_user "$NTPWIZ" apply "$T_TMP/nobody/A.cfg" $r >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	ERR=$(cat "$T_TMP/err")
	expect "not root, ${r:-no --root}: apply refuses with exit 1 and says it needs root" \
		'[ "$RC" -eq 1 ] && [[ ${ERR,,} == *root* ]]'
done
expect "not root: no service command was run" '! grep -q "^systemctl" "$T_TMP/nobody/standin.log" 2>/dev/null'

finish
