#!/bin/bash
# apply-sandbox.sh: issue 14, defects 5 and 8, through `ntpwiz apply --root
# SANDBOX` as an operator runs it.
#  - A logdir or drift file the daemon's systemd unit makes read-only
#    (Debian's chrony.service: ProtectSystem=strict) is refused before
#    anything is written, naming the field, the path, the unit and the
#    paths it may write; the unit file under the root and its drop-ins
#    count (ReadWritePaths= in a drop-in makes /srv writable); an unknown
#    unit is a warning; a system without systemd is not checked.
#  - After a restart, the unit's error messages since the restart
#    (journalctl -u UNIT --since @T -p err) are a failed daemon-log step.
#  - verify tells "running, not yet synchronised" from "synchronised"
#    (text and --json), with the bound it waited.
#
# Safety: every ntpwiz run has --root under a temp folder, with the stand-in
# systemctl/chronyc/journalctl first on PATH (tests/lib/standins); as root
# the script runs with the host's / read-only (hostguard.sh).

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
	STANDIN_RESTART_HOOK STANDIN_STOP_HOOK STANDIN_CHRONYC STANDIN_CHRONYC_FAIL_FIRST \
	STANDIN_CHRONYC_SYNC_AT STANDIN_JOURNAL STANDIN_JOURNAL_FAIL STANDIN_NTPQ STANDIN_NTPCTL
CONF=/etc/chrony/chrony.conf

# profile NAME DAEMON EXTRA-OPTIONS: a client profile with these options
profile() {
	cat >"$T_TMP/$1.cfg" <<P
version = 1;
daemon = "$2";
servers = ( { host = "192.0.2.1"; kind = "server"; iburst = true; } );
leap = { mode = "step"; };
restrict = { policy = "client-only"; };
options = { $3 };
apply = { backup = true; restart = true; stop_conflicting = true; install = false; };
P
}
profile srvlog chrony 'logdir = "/srv/chrony-log";'
profile varlog chrony 'logdir = "/var/log/chrony";'
profile srvdrift chrony 'driftfile = "/srv/chrony/drift";'
profile plain chrony ''
profile ntpsec-srv ntpsec 'logdir = "/srv/ntpstats";'
profile ntpsec-tmp ntpsec 'logdir = "/tmp/ntpstats";'
profile openntpd openntpd ''
profile ntpsec ntpsec ''

# new_root [OS-RELEASE-FILE] [sysv]: a Debian 12 root with chrony and NTPsec
# installed (stub binaries), a systemd system unless "sysv"
new_root12() {
	local r
	r=$(mktemp -d "$T_TMP/root.XXXXXX")
	mkdir -p "$r/etc" "$r/usr/sbin" "$r/usr/bin"
	cp "${1:-$srcdir/tests/data/roots/debian12-os-release}" "$r/etc/os-release"
	if [ "${2-}" = sysv ]; then
		mkdir -p "$r/etc/init.d" "$r/sbin"
		printf '#!/bin/sh\nexit 0\n' >"$r/sbin/init"
		# the packages' init scripts: apply enables them with the
		# target's update-rc.d (the stand-in chroot), as on Debian 12
		printf '#!/bin/sh\nexit 0\n' >"$r/etc/init.d/chrony"
		printf '#!/bin/sh\nexit 0\n' >"$r/etc/init.d/ntpsec"
	else
		mkdir -p "$r/lib/systemd"
		printf '#!/bin/sh\nexit 0\n' >"$r/lib/systemd/systemd"
	fi
	for f in /usr/sbin/chronyd /usr/sbin/ntpd /usr/bin/ntpmon; do
		printf '#!/bin/sh\nexit 0\n' >"$r$f"
		chmod 755 "$r$f"
	done
	chmod 755 "$r/lib/systemd/systemd" "$r/sbin/init" 2>/dev/null
	echo "$r"
}
json() {
	python3 -c 'import json,sys; j=json.loads(sys.argv[2]); v=eval(sys.argv[1]); print(json.dumps(v) if not isinstance(v,str) else v)' "$1" "$OUT" 2>/dev/null
}

# --- defect 5: Debian 12's chrony.service makes /srv read-only ------------------------
root=$(new_root12)
before=$(tree_state "$root")
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/srvlog.cfg" --root "$root"
expect "logdir /srv/chrony-log on Debian 12: apply refuses with exit 1" '[ "$RC" = 1 ]'
expect "the refusal names the field, the path, the unit and its setting" \
	'contains "$ERR" "options.logdir" && contains "$ERR" "/srv/chrony-log" && contains "$ERR" "chrony.service" && contains "$ERR" "ProtectSystem=strict"'
expect "the refusal names the paths the unit lets chronyd write (/var/log/chrony, /var/lib/chrony)" \
	'contains "$ERR" "/var/log/chrony" && contains "$ERR" "/var/lib/chrony"'
expect "the refusal says where the facts came from (Debian 12's chrony package)" \
	'contains "$ERR" "Debian 12"'
expect "refused before anything was touched: the tree is exactly as before" \
	'[ "$(tree_state "$root")" = "$before" ]'
expect "refused before anything was touched: no service command ran" \
	'! grep -q "^systemctl" "$NTPWIZ_STANDIN_LOG"'

expect "the refusal says the folder must exist and belong to the daemon's user (a real guest: a root-owned folder gave 'Permission denied')" \
	'contains "$ERR" "the folder must exist, and belong to the user chrony runs as"'

root=$(new_root12)
run_ntpwiz apply "$T_TMP/srvlog.cfg" --root "$root" --json
expect "--json: the refusal is in errors[], result not ok, exit 1" \
	'[ "$RC" = 1 ] && [ "$(json "any(\"/srv/chrony-log\" in e[\"message\"] for e in j[\"errors\"])")" = true ]'

root=$(new_root12)
run_ntpwiz apply "$T_TMP/srvdrift.cfg" --root "$root"
expect "driftfile /srv/chrony/drift: refused the same way, naming options.driftfile" \
	'[ "$RC" = 1 ] && contains "$ERR" "options.driftfile" && contains "$ERR" "/srv/chrony/drift" && [ ! -e "$root$CONF" ]'

root=$(new_root12)
run_ntpwiz apply "$T_TMP/varlog.cfg" --root "$root"
expect "logdir /var/log/chrony (the unit's LogsDirectory): applied, exit 0" \
	'[ "$RC" = 0 ] && grep -qx "logdir /var/log/chrony" "$root$CONF"'

# the unit file under the root is what counts, with its drop-ins
root=$(new_root12)
mkdir -p "$root/lib/systemd/system" "$root/etc/systemd/system/chrony.service.d"
unit12=$HOME/.cache/ntpwiz-tests/deb12/chrony/lib/systemd/system/chrony.service
if [ -f "${NTPWIZ_DAEMON_CACHE:-${NTPWIZ_TEST_CACHE:-$HOME/.cache/ntpwiz-tests}/deb12}/chrony/lib/systemd/system/chrony.service" ]; then
	unit12=${NTPWIZ_DAEMON_CACHE:-${NTPWIZ_TEST_CACHE:-$HOME/.cache/ntpwiz-tests}/deb12}/chrony/lib/systemd/system/chrony.service
fi
if [ -f "$unit12" ]; then
	cp "$unit12" "$root/lib/systemd/system/chrony.service"
else
	printf '[Service]\nProtectSystem=strict\nReadWritePaths=/run\nStateDirectory=chrony\nLogsDirectory=chrony\n' \
		>"$root/lib/systemd/system/chrony.service"
fi
run_ntpwiz apply "$T_TMP/srvlog.cfg" --root "$root"
expect "the package's own unit file under the root: /srv/chrony-log refused, the file named" \
	'[ "$RC" = 1 ] && contains "$ERR" "/lib/systemd/system/chrony.service"'
printf '[Service]\nReadWritePaths=/srv/chrony-log\n' >"$root/etc/systemd/system/chrony.service.d/log.conf"
run_ntpwiz apply "$T_TMP/srvlog.cfg" --root "$root"
expect "a drop-in with ReadWritePaths=/srv/chrony-log: accepted, exit 0, logdir written" \
	'[ "$RC" = 0 ] && grep -qx "logdir /srv/chrony-log" "$root$CONF"'

# an unknown unit: a warning, not a refusal
printf 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\nVERSION_ID="11"\nID=debian\n' >"$T_TMP/os11"
root=$(new_root12 "$T_TMP/os11")
run_ntpwiz apply "$T_TMP/srvlog.cfg" --root "$root"
expect "Debian 11 (no unit file, no table row): applied with exit 0 and a warning naming the path and unit" \
	'[ "$RC" = 0 ] && contains "$ERR" "/srv/chrony-log" && contains "$ERR" "chrony.service" && grep -qx "logdir /srv/chrony-log" "$root$CONF"'
root=$(new_root12 "$T_TMP/os11")
run_ntpwiz apply "$T_TMP/plain.cfg" --root "$root"
expect "no logdir, default drift file: no warning about the unit" \
	'[ "$RC" = 0 ] && ! contains "$ERR" "chrony.service"'

# sysvinit: no unit, nothing to refuse
root=$(new_root12 "" sysv)
run_ntpwiz apply "$T_TMP/srvlog.cfg" --root "$root"
expect "sysvinit root: /srv/chrony-log applied (no systemd sandbox), no unit warning" \
	'[ "$RC" = 0 ] && ! contains "$ERR" "chrony.service" && grep -qx "logdir /srv/chrony-log" "$root$CONF"'

# NTPsec's unit has only PrivateTmp
root=$(new_root12)
run_ntpwiz apply "$T_TMP/ntpsec-srv.cfg" --root "$root"
expect "NTPsec, statistics in /srv/ntpstats: applied (ntpsec.service has no ProtectSystem)" \
	'[ "$RC" = 0 ] && grep -q "/srv/ntpstats" "$root/etc/ntpsec/ntp.conf"'
root=$(new_root12)
run_ntpwiz apply "$T_TMP/ntpsec-tmp.cfg" --root "$root"
expect "NTPsec, statistics in /tmp/ntpstats: refused (PrivateTmp=true: a private /tmp)" \
	'[ "$RC" = 1 ] && contains "$ERR" "PrivateTmp" && contains "$ERR" "ntpsec.service" && [ ! -e "$root/etc/ntpsec/ntp.conf" ]'

# --- defect 5: the daemon's own log after the restart --------------------------------
root=$(new_root12)
: >"$NTPWIZ_STANDIN_LOG"
t0=$(date +%s)
STANDIN_JOURNAL='Could not create directory /var/log/chrony/x : Read-only file system' \
	run_ntpwiz apply "$T_TMP/varlog.cfg" --root "$root" --restart
expect "an error in the unit's journal since the restart: exit 1" '[ "$RC" = 1 ]'
expect "a FAILED daemon-log step quotes the daemon's message" \
	'printf "%s\n" "$OUT" | grep -qE "^  FAILED +daemon-log .*Read-only file system"'
expect "journalctl was asked for chrony.service's errors since the restart (-u, --since @T, -p err)" \
	'grep -E "^journalctl .*-u chrony.service" "$NTPWIZ_STANDIN_LOG" | grep -- "-p err" | grep -qE -- "--since @[0-9]+"'
since=$(sed -nE 's/^journalctl .*--since @([0-9]+).*/\1/p' "$NTPWIZ_STANDIN_LOG" | head -n 1)
expect "--since is the time of the restart (within 60 s of the test's clock)" \
	'[ -n "$since" ] && [ $((since - t0)) -ge -2 ] && [ $((since - t0)) -le 60 ]'
root=$(new_root12)
run_ntpwiz apply "$T_TMP/varlog.cfg" --root "$root" --restart
expect "no error in the journal: an ok daemon-log step, exit 0" \
	'[ "$RC" = 0 ] && printf "%s\n" "$OUT" | grep -qE "^  ok +daemon-log"'
# NTPsec 1.2.2 (a real Debian 12 guest, tests/vm/sc-daemons.sh) logs this at
# priority err at every start, with Debian's own ntp.conf too: its built-in
# statistics folder, which the package does not make. Not about a file that
# turns no statistics on; about one that does (logdir -> statsdir), it is.
NTPSEC_STATS='statistics directory /var/log/ntpsec/ does not exist or is unwriteable, error No such file or directory'
root=$(new_root12)
STANDIN_JOURNAL=$NTPSEC_STATS run_ntpwiz apply "$T_TMP/ntpsec.cfg" --root "$root" --restart --json
expect "NTPsec's start-up note about its default statistics folder, no statistics in the file: exit 0, daemon-log ok, errors []" \
	'[ "$RC" = 0 ] && [ "$(json "[x[\"result\"] for x in j[\"steps\"] if x[\"name\"] == \"daemon-log\"][0]")" = ok ] && [ "$(json "len(j[\"errors\"])")" = 0 ]'
expect "... and the ok step names what it left aside" \
	'contains "$(json "[x[\"detail\"] for x in j[\"steps\"] if x[\"name\"] == \"daemon-log\"][0]")" "left aside, logged at every start: statistics directory /var/log/ntpsec/"'
root=$(new_root12)
STANDIN_JOURNAL=${NTPSEC_STATS//\/var\/log\/ntpsec/\/srv\/ntpstats} run_ntpwiz apply "$T_TMP/ntpsec-srv.cfg" --root "$root" --restart
expect "the same message when the file turns statistics on (logdir /srv/ntpstats): exit 1, a FAILED daemon-log step" \
	'[ "$RC" = 1 ] && printf "%s\n" "$OUT" | grep -qE "^  FAILED +daemon-log .*statistics directory /srv/ntpstats/"'
root=$(new_root12 "" sysv)
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/varlog.cfg" --root "$root"
expect "sysvinit root, not restarted: journalctl is not asked" \
	'! grep -q "^journalctl" "$NTPWIZ_STANDIN_LOG"'

# --- defect 8: running, not yet synchronised vs synchronised -------------------------
root=$(new_root12)
STANDIN_CHRONYC=unsynced run_ntpwiz apply "$T_TMP/plain.cfg" --root "$root" --restart --verify-timeout 2 --json
expect "a daemon that answers but selects no source: exit 0, not rolled back" \
	'[ "$RC" = 0 ] && [ "$(json "j[\"rolled_back\"]")" = false ] && [ -f "$root$CONF" ]'
expect "--json: verified true, synchronised false, sync_wait_s 2" \
	'[ "$(json "j[\"verified\"]")" = true ] && [ "$(json "j[\"synchronised\"]")" = false ] && [ "$(json "j[\"sync_wait_s\"]")" = 2 ]'
expect "--json: the verify step says running, not yet synchronised, and the bound" \
	'json "[s[\"detail\"] for s in j[\"steps\"] if s[\"name\"] == \"verify\"][0]" | grep -q "not yet synchronised.*2 s"'
root=$(new_root12)
STANDIN_CHRONYC=unsynced run_ntpwiz apply "$T_TMP/plain.cfg" --root "$root" --restart --verify-timeout 2
expect "text: '  ok       verify  ... running, not yet synchronised'" \
	'printf "%s\n" "$OUT" | grep -qE "^  ok +verify .*running, not yet synchronised"'
root=$(new_root12)
run_ntpwiz apply "$T_TMP/plain.cfg" --root "$root" --restart --verify-timeout 2 --json
expect "a source selected: synchronised true, the verify step says synchronised" \
	'[ "$RC" = 0 ] && [ "$(json "j[\"synchronised\"]")" = true ] && json "[s[\"detail\"] for s in j[\"steps\"] if s[\"name\"] == \"verify\"][0]" | grep -q " synchronised"'
root=$(new_root12)
sync_at=$(awk -v n="$(date +%s.%N)" 'BEGIN { printf "%.2f", n + 1.5 }')
STANDIN_CHRONYC_SYNC_AT=$sync_at run_ntpwiz apply "$T_TMP/plain.cfg" --root "$root" --restart --verify-timeout 10 --json
expect "selects its source 1.5 s after the restart: verify waits for it (synchronised true)" \
	'[ "$RC" = 0 ] && [ "$(json "j[\"synchronised\"]")" = true ]'
root=$(new_root12)
STANDIN_CHRONYC=506 run_ntpwiz apply "$T_TMP/plain.cfg" --root "$root" --restart --verify-timeout 1 --json
expect "no answer at all: still a failed verify and a rollback, synchronised false" \
	'[ "$RC" = 1 ] && [ "$(json "j[\"rolled_back\"]")" = true ] && [ "$(json "j[\"synchronised\"]")" = false ]'

# timesyncd: verify's "timedatectl show-timesync" has no table; the sync
# state comes from the monitor's "timedatectl timesync-status" (a real
# synced answer, tests/data/peers/timesyncd-synced.txt)
mkdir -p "$T_TMP/tdbin"
cat >"$T_TMP/tdbin/timedatectl" <<T
#!/bin/sh
printf '%s %s\n' timedatectl "\$*" >>"$NTPWIZ_STANDIN_LOG"
case "\$*" in
*timesync-status*) cat "$srcdir/tests/data/peers/timesyncd-synced.txt" ;;
*show-timesync*) printf '%s\n' 'SystemNTPServers=' 'FallbackNTPServers=' 'ServerName=192.0.2.1' 'ServerAddress=192.0.2.1' 'PollIntervalUSec=1min 4s' 'Frequency=1375320' ;;
*) exit 1 ;;
esac
T
chmod 755 "$T_TMP/tdbin/timedatectl"
profile timesyncd timesyncd ''
root=$(new_root12)
mkdir -p "$root/lib/systemd/system"
: >"$root/lib/systemd/system/systemd-timesyncd.service"
printf '#!/bin/sh\n' >"$root/lib/systemd/systemd-timesyncd"
chmod 755 "$root/lib/systemd/systemd-timesyncd"
PATH="$T_TMP/tdbin:$PATH" run_ntpwiz apply "$T_TMP/timesyncd.cfg" --root "$root" --restart --verify-timeout 2 --json
expect "timesyncd synced (timesync-status shows its server): synchronised true" \
	'[ "$RC" = 0 ] && [ "$(json "j[\"synchronised\"]")" = true ]'

# --- defect 8: OpenNTPD sets the clock at start (-s in /etc/default/openntpd) --------
# The packages' own defaults files (tests/lib/daemons.sh's Debian 12 cache),
# else their text as read from the packages.
cache12=${NTPWIZ_DAEMON_CACHE:-${NTPWIZ_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ntpwiz-tests}/deb12}
if [ -f "$cache12/openntpd/etc/default/openntpd" ]; then
	cp "$cache12/openntpd/etc/default/openntpd" "$T_TMP/default-openntpd"
else
	printf '%s\n' '# /etc/default/openntpd' '' \
		"# Append '-s' to set the system time when starting in case the offset" \
		'# between the local clock and the servers is more than 180 seconds.' \
		'# For other options, see man ntpd(8).' \
		'DAEMON_OPTS="-f /etc/openntpd/ntpd.conf"' >"$T_TMP/default-openntpd"
fi
if [ -f "$cache12/ntpsec/etc/default/ntpsec" ]; then
	cp "$cache12/ntpsec/etc/default/ntpsec" "$T_TMP/default-ntpsec"
else
	printf '%s\n' 'NTPD_OPTS="-g -N"' '' '# Set to "yes" to ignore DHCP servers returned by DHCP.' \
		'IGNORE_DHCP=""' >"$T_TMP/default-ntpsec"
fi
sed 's|^DAEMON_OPTS="-f /etc/openntpd/ntpd.conf"$|DAEMON_OPTS="-f /etc/openntpd/ntpd.conf -s"|' \
	"$T_TMP/default-openntpd" >"$T_TMP/default-openntpd.want"
check "fixture: the stock file's DAEMON_OPTS line is the one expected" \
	test "$(grep -c -- '-s"$' "$T_TMP/default-openntpd.want")" = 1

# an OpenNTPD root: /usr/sbin/ntpd and ntpctl (OpenNTPD's mark), its defaults file
new_root_openntpd() {
	local r
	r=$(mktemp -d "$T_TMP/root.XXXXXX")
	mkdir -p "$r/etc/default" "$r/usr/sbin" "$r/lib/systemd"
	cp "$srcdir/tests/data/roots/debian12-os-release" "$r/etc/os-release"
	for f in /lib/systemd/systemd /usr/sbin/ntpd /usr/sbin/ntpctl; do
		printf '#!/bin/sh\nexit 0\n' >"$r$f"
		chmod 755 "$r$f"
	done
	cp "$T_TMP/default-openntpd" "$r/etc/default/openntpd"
	echo "$r"
}
ODEF=/etc/default/openntpd
OCONF=/etc/openntpd/ntpd.conf

root=$(new_root_openntpd)
run_ntpwiz preview "$T_TMP/openntpd.cfg" --root "$root"
expect "preview: names /etc/default/openntpd and shows the -s line it would write" \
	'[ "$RC" = 0 ] && contains "$OUT" "$ODEF" && printf "%s\n" "$OUT" | grep -qxF "+DAEMON_OPTS=\"-f /etc/openntpd/ntpd.conf -s\""'
# -s steps only an offset over 180 s (OpenNTPD's ntpd.h SETTIME_MIN_OFFSET;
# Debian's defaults file says so): a real Debian 12 guest 4.3 s off was
# slewed for minutes with or without it (tests/vm/README, sc-daemons.sh)
expect "preview: says what -s does as OpenNTPD does it (steps at start only when more than 180 s off)" \
	'contains "$OUT" "adding -s: OpenNTPD sets the clock at start only when it is more than 180 s off"'
run_ntpwiz check "$T_TMP/openntpd.cfg" --root "$root"
expect "check: exit 2 (changes needed)" '[ "$RC" = 2 ]'
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/openntpd.cfg" --root "$root" --json
expect "apply: exit 0, defaults_path /etc/default/openntpd, defaults_changed true" \
	'[ "$RC" = 0 ] && [ "$(json "j[\"defaults_path\"]")" = "$ODEF" ] && [ "$(json "j[\"defaults_changed\"]")" = true ]'
check "apply: /etc/default/openntpd is the stock file with -s added to DAEMON_OPTS, every other byte kept" \
	cmp -s "$root$ODEF" "$T_TMP/default-openntpd.want"
bk=$(ls "$root/var/backups/ntpwiz/" | grep '^etc_default_openntpd\.' || true)
expect "apply: a backup etc_default_openntpd.STAMP with the stock bytes" \
	'[ -n "$bk" ] && cmp -s "$root/var/backups/ntpwiz/$bk" "$T_TMP/default-openntpd"'
expect "apply: the config file was written too" '[ -s "$root$OCONF" ]'
run_ntpwiz apply "$T_TMP/openntpd.cfg" --root "$root" --json
expect "a second apply: exit 0, nothing changed, defaults_changed false" \
	'[ "$RC" = 0 ] && [ "$(json "j[\"changed\"]")" = false ] && [ "$(json "j[\"defaults_changed\"]")" = false ]'
run_ntpwiz check "$T_TMP/openntpd.cfg" --root "$root"
expect "check after apply: exit 0" '[ "$RC" = 0 ]'
run_ntpwiz preview "$T_TMP/openntpd.cfg" --root "$root"
expect "preview after apply: the defaults file already has -s" \
	'contains "$OUT" "$ODEF already has -s"'

# rollback walks back both files of the run
run_ntpwiz rollback --root "$root"
expect "rollback: exit 0, /etc/default/openntpd has the stock bytes again, the config is gone (there was none)" \
	'[ "$RC" = 0 ] && cmp -s "$root$ODEF" "$T_TMP/default-openntpd" && [ ! -e "$root$OCONF" ]'

# only the defaults file differs: it alone is written, and the daemon restarted
root=$(new_root_openntpd)
run_ntpwiz apply "$T_TMP/openntpd.cfg" --root "$root"
cp "$T_TMP/default-openntpd" "$root$ODEF"
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/openntpd.cfg" --root "$root" --restart
expect "-s removed by hand: apply puts it back and restarts openntpd" \
	'[ "$RC" = 0 ] && cmp -s "$root$ODEF" "$T_TMP/default-openntpd.want" && grep -qx "systemctl restart openntpd" "$NTPWIZ_STANDIN_LOG"'

# a start that fails: both files back to their old bytes
root=$(new_root_openntpd)
STANDIN_FAIL_RESTART=1 run_ntpwiz apply "$T_TMP/openntpd.cfg" --root "$root" --restart
expect "restart fails: exit 1, /etc/default/openntpd has its old bytes, no config file left" \
	'[ "$RC" = 1 ] && cmp -s "$root$ODEF" "$T_TMP/default-openntpd" && [ ! -e "$root$OCONF" ]'

# the operator's own -s (another place in the options) is left alone
root=$(new_root_openntpd)
sed -i 's|^DAEMON_OPTS=.*|DAEMON_OPTS="-s -f /etc/openntpd/ntpd.conf"|' "$root$ODEF"
cp "$root$ODEF" "$T_TMP/own"
run_ntpwiz apply "$T_TMP/openntpd.cfg" --root "$root" --json
expect "DAEMON_OPTS already has -s: the file is not touched, defaults_changed false" \
	'[ "$RC" = 0 ] && cmp -s "$root$ODEF" "$T_TMP/own" && [ "$(json "j[\"defaults_changed\"]")" = false ]'

# D11 (a real Debian 12 guest, tests/vm/sc-daemons.sh): NTPsec removed by apt
# when OpenNTPD came (dpkg "rc") keeps /etc/init.d/ntpsec and its rc?.d
# links; systemd's sysv generator still starts ntpsec.service at boot, and
# that script runs /usr/sbin/ntpd, now OpenNTPD's. apply disables it.
root=$(new_root_openntpd)
mkdir -p "$root/etc/init.d" "$root/etc/rc2.d" "$root/etc/rc3.d" "$root/etc/rc5.d" "$root/var/lib/dpkg"
printf '#!/bin/sh\nexit 0\n' >"$root/etc/init.d/ntpsec"
for l in 2 3 5; do ln -s ../init.d/ntpsec "$root/etc/rc$l.d/S01ntpsec"; done
printf 'Package: openntpd\nStatus: install ok installed\nVersion: 1:6.2p3-4.2+b1\n\nPackage: ntpsec\nStatus: deinstall ok config-files\nVersion: 1.2.2+dfsg1-1+deb12u1\n\n' \
	>"$root/var/lib/dpkg/status"
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/openntpd.cfg" --root "$root" --restart --json
expect "NTPsec removed (rc) with its init script and S links left: apply exits 0 and disables ntpsec (got: $(grep ntpsec "$NTPWIZ_STANDIN_LOG" | tr '\n' ';'))" \
	'[ "$RC" = 0 ] && grep -qE "^systemctl .*disable ntpsec$" "$NTPWIZ_STANDIN_LOG"'
root=$(new_root_openntpd)
mkdir -p "$root/etc/init.d"
printf '#!/bin/sh\nexit 0\n' >"$root/etc/init.d/ntpsec"
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/openntpd.cfg" --root "$root" --restart
expect "an init script without start links is not started at boot: ntpsec is left alone" \
	'[ "$RC" = 0 ] && ! grep -q "ntpsec" "$NTPWIZ_STANDIN_LOG"'

# NTPsec: Debian's /etc/default/ntpsec already has -g
root=$(new_root12)
mkdir -p "$root/etc/default"
cp "$T_TMP/default-ntpsec" "$root/etc/default/ntpsec"
run_ntpwiz apply "$T_TMP/ntpsec.cfg" --root "$root" --json
expect "NTPsec with Debian's NTPD_OPTS (-g): the defaults file is not touched" \
	'[ "$RC" = 0 ] && cmp -s "$root/etc/default/ntpsec" "$T_TMP/default-ntpsec" && [ "$(json "j[\"defaults_changed\"]")" = false ]'

finish
