#!/bin/bash
# rollback-install.sh (issue 14, defect 1): `ntpwiz rollback` after an apply
# that brought in a daemon which had no config file before (the ".absent"
# backup) puts the services back as they were, or says plainly what it
# cannot restore and the command to run, with an exit status that is not 0.
#
# Sandbox roots (Debian 12, systemd) with the stand-in systemctl, chronyc
# and timedatectl first on PATH (tests/lib/standins). Every ntpwiz run has
# --root under a temp folder; as root the script runs inside the host guard
# (tests/lib/hostguard.sh), where the machine's / is read-only.
#
#  1. apply --root --restart switches an enabled systemd-timesyncd to chrony
#     (chrony installed, no chrony.conf yet); rollback --root --restart
#     removes chrony.conf, stops and disables chrony, enables and starts
#     timesyncd again and verifies it (timedatectl), exit 0; then the same
#     without --restart (enable/disable for the next boot only), and --json.
#  2. The record a host apply leaves when it installed chrony and apt
#     removed NTPsec on the way (the disk mounted under --root, as in a
#     rescue shell): rollback disables chrony and says that NTPsec must be
#     installed again and chrony removed, with the commands; exit 1; never
#     "has its old contents again"; --json agrees (errors, by_hand).
#  3. An installed package left behind while the old daemon is back: exit 2
#     with the command; a record that is missing or damaged is "nothing
#     recorded": the file is restored as before, with a warning.

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
	STANDIN_NTPQ STANDIN_TIMEDATECTL
CONF=/etc/chrony/chrony.conf
BKDIR=/var/backups/ntpwiz

if [ "$(id -u)" = 0 ]; then
	expect "host guard: the machine's /etc is read-only for this test" 'hostguard_active'
fi

cat >"$T_TMP/A.cfg" <<'P'
version = 1;
daemon = "chrony";
servers = ( { host = "ntp-a.example"; kind = "server"; iburst = true; } );
apply = { backup = true; restart = true; stop_conflicting = true; install = false; };
P
PA=$T_TMP/A.cfg

stub() {	# ROOT PATH...: empty executables detect takes for installed binaries
	local f
	for f in "${@:2}"; do
		mkdir -p "$1${f%/*}"
		printf '#!/bin/sh\nexit 0\n' >"$1$f"
		chmod 755 "$1$f"
	done
}
wants() {	# ROOT TARGET UNIT: an enablement link, as systemctl enable makes
	mkdir -p "$1/etc/systemd/system/$2.wants"
	ln -sfn "/lib/systemd/system/$3.service" "$1/etc/systemd/system/$2.wants/$3.service"
}
enabled() {	# ROOT UNIT
	compgen -G "$1/etc/systemd/system/*.wants/$2.service" >/dev/null
}

# A Debian 12 systemd root with systemd-timesyncd installed and enabled, and
# chrony installed (its binary) but never configured: no chrony.conf.
fresh_root() {
	local r
	r=$(mktemp -d "$T_TMP/root.XXXXXX")
	mkdir -p "$r/etc" "$r/lib/systemd/system"
	cp "$srcdir/tests/data/roots/debian12-os-release" "$r/etc/os-release"
	stub "$r" /lib/systemd/systemd /lib/systemd/systemd-timesyncd /usr/sbin/chronyd
	: >"$r/lib/systemd/system/systemd-timesyncd.service"
	wants "$r" sysinit.target systemd-timesyncd
	echo "$r"
}

reset_log() { : >"$NTPWIZ_STANDIN_LOG"; }
service_calls() {	# ROOT: systemctl and timedatectl calls since reset_log
	grep -E '^(systemctl|timedatectl) ' "$NTPWIZ_STANDIN_LOG" | sed "s|--root=$1 |--root=ROOT |g"
}
last_line() { printf '%s\n' "$OUT" | tail -n 1; }
step_line() { printf '%s\n' "$OUT" | grep -qE "^  $1 +$2( |\$)"; }
json() {
	python3 - "$1" "$OUT" <<'PY'
import json, sys
j = json.loads(sys.argv[2])
v = eval(sys.argv[1], {"j": j, "len": len, "all": all, "any": any, "set": set})
if isinstance(v, bool):
    print("true" if v else "false")
elif isinstance(v, str):
    print(v)
else:
    print(json.dumps(v))
PY
}

# --- 1. fresh chrony over timesyncd, rolled back with --restart --------------------
root=$(fresh_root)
reset_log
run_ntpwiz apply "$PA" --root "$root" --restart
expect "apply over timesyncd: exit 0, chrony.conf written, a .absent backup" \
	'[ "$RC" -eq 0 ] && [ -s "$root$CONF" ] && compgen -G "$root$BKDIR/etc_chrony_chrony.conf.*.absent" >/dev/null'
expect "apply: timesyncd disabled, chrony enabled (the stand-in's links)" \
	'! enabled "$root" systemd-timesyncd && enabled "$root" chrony'
[ "$RC" -eq 0 ] || printf '  # stdout:\n%s\n  # stderr:\n%s\n' "$OUT" "$ERR"
reset_log
run_ntpwiz rollback --root "$root" --restart
printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
expect "rollback --restart: exit 0" '[ "$RC" -eq 0 ]'
expect "rollback: chrony.conf is gone again" '[ ! -e "$root$CONF" ]'
expect "rollback: chrony stopped, then disabled; timesyncd enabled, then started" \
	'[ "$(service_calls "$root" | grep ^systemctl)" = "$(printf "%s\n" "systemctl stop chrony" "systemctl --root=ROOT disable chrony" "systemctl --root=ROOT enable systemd-timesyncd" "systemctl start systemd-timesyncd")" ]'
expect "rollback: timesyncd verified as apply verifies (timedatectl show-timesync)" \
	'service_calls "$root" | grep -qx "timedatectl show-timesync" && step_line ok verify'
expect "rollback: chrony no longer enabled, timesyncd enabled again" \
	'! enabled "$root" chrony && enabled "$root" systemd-timesyncd'
expect "rollback: one step line each for stop, disable, enable, start" \
	'step_line ok stop && step_line ok disable && step_line ok enable && step_line ok start'
expect "rollback: the last line says the file is gone again, not 'old contents'" \
	'[[ $(last_line) == "rolled back: $root$CONF removed again"* ]] && ! contains "$OUT" "old contents"'
expect "rollback: nothing on stderr" '[ -z "$ERR" ]'
reset_log
run_ntpwiz rollback --root "$root"
expect "a second rollback: no backup left, exit 1, no service command" \
	'[ "$RC" -eq 1 ] && contains "$ERR" "no backup left" && [ -z "$(service_calls "$root")" ]'

# the same under --root without --restart: enabled for the next boot only
root=$(fresh_root)
run_ntpwiz apply "$PA" --root "$root"
reset_log
run_ntpwiz rollback --root "$root" --json
expect "rollback --json (no --restart): exit 0, one object, command rollback" \
	'[ "$RC" -eq 0 ] && [ "$(json "j[\"command\"]")" = rollback ]'
expect "rollback --json: only 'disable chrony' and 'enable systemd-timesyncd' (under --root)" \
	'[ "$(service_calls "$root")" = "$(printf "%s\n" "systemctl --root=ROOT disable chrony" "systemctl --root=ROOT enable systemd-timesyncd")" ]'
expect "rollback --json: steps rollback/disable/enable ok, start skipped" \
	'[ "$(json "[s[\"name\"] + \"=\" + s[\"result\"] for s in j[\"steps\"]]")" = '"'"'["rollback=ok", "disable=ok", "enable=ok", "start=skipped"]'"'"' ]'
expect "rollback --json: services_restored and complete true, by_hand and errors empty" \
	'[ "$(json "[j[\"services_restored\"], j[\"complete\"], j[\"by_hand\"], j[\"errors\"]]")" = "[true, true, [], []]" ]'
expect "rollback --json: the record was found" '[ "$(json "j[\"record\"]")" = found ]'

# --- 2. a host apply installed chrony, apt removed NTPsec: the disk under --root ------
# What ntpwiz apply leaves on a host (tests/README, "rollback records"): the
# .absent marker and its record, chrony installed and enabled, NTPsec's
# package removed (dpkg's "rc" state), its config file still there.
host_root() {	# the record's extra lines on stdin
	local r stamp=20261207T120000Z
	r=$(mktemp -d "$T_TMP/root.XXXXXX")
	mkdir -p "$r/etc/chrony" "$r/etc/ntpsec" "$r/var/lib/dpkg" "$r$BKDIR"
	cp "$srcdir/tests/data/roots/debian12-os-release" "$r/etc/os-release"
	stub "$r" /lib/systemd/systemd /usr/sbin/chronyd
	wants "$r" multi-user.target chrony
	cp "$srcdir/tests/data/roots/debian12-ntpsec.conf" "$r/etc/ntpsec/ntp.conf"
	cat >"$r/var/lib/dpkg/status" <<'S'
Package: chrony
Status: install ok installed
Version: 4.3-2+deb12u1

Package: ntpsec
Status: deinstall ok config-files
Version: 1.2.2+dfsg1-1+deb12u1
S
	"$NTPWIZ" render "$PA" --root "$r" >"$r$CONF"
	: >"$r$BKDIR/etc_chrony_chrony.conf.$stamp.absent"
	{
		echo "# ntpwiz: what the apply that made etc_chrony_chrony.conf.$stamp.absent changed besides the file"
		echo "ntpwiz-changes 1"
		echo "daemon chrony"
		cat
	} >"$r$BKDIR/changes.etc_chrony_chrony.conf.$stamp.absent"
	echo "$r"
}
root=$(host_root <<'R'
before-enabled ntpsec
before-running ntpsec
installed chrony
removed ntpsec
enabled chrony
started chrony
R
)
APT_NTPSEC="apt-get install -y -o Dpkg::Options::=--force-confold ntpsec"
APT_CHRONY="apt-get purge -y chrony"
reset_log
run_ntpwiz rollback --root "$root"
printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
expect "removed NTPsec: exit 1 (no working state could be restored)" '[ "$RC" -eq 1 ]'
expect "removed NTPsec: chrony.conf is gone, NTPsec's file untouched" \
	'[ ! -e "$root$CONF" ] && cmp -s "$root/etc/ntpsec/ntp.conf" "$srcdir/tests/data/roots/debian12-ntpsec.conf"'
expect "removed NTPsec: chrony disabled (its file is gone)" \
	'[ "$(service_calls "$root")" = "systemctl --root=ROOT disable chrony" ] && ! enabled "$root" chrony'
expect "removed NTPsec: never 'has its old contents again'" '! contains "$OUT$ERR" "old contents"'
expect "removed NTPsec: a FAILED step names NTPsec and the command, inside the root" \
	'step_line FAILED reinstall && contains "$OUT" "chroot $root $APT_NTPSEC"'
expect "removed NTPsec: the error on stderr says what and what to run" \
	'contains "$ERR" "ntpsec" && contains "$ERR" "$APT_NTPSEC"'
expect "removed NTPsec: the installed chrony is named with its command" \
	'contains "$OUT" "chroot $root $APT_CHRONY"'
expect "removed NTPsec: the last lines say the rollback is incomplete and list the commands" \
	'printf "%s\n" "$OUT" | grep -q "^rollback incomplete: " && [ "$(printf "%s\n" "$OUT" | grep -cE "^    chroot ")" -eq 2 ]'
# the same state again, in JSON
root=$(host_root <<'R'
before-enabled ntpsec
before-running ntpsec
installed chrony
removed ntpsec
enabled chrony
started chrony
R
)
run_ntpwiz rollback --root "$root" --json
expect "removed NTPsec --json: exit 1, services_restored false, complete false" \
	'[ "$RC" -eq 1 ] && [ "$(json "[j[\"services_restored\"], j[\"complete\"], j[\"rolled_back\"]]")" = "[false, false, true]" ]'
expect "removed NTPsec --json: errors not empty, a step reinstall failed" \
	'[ "$(json "len(j[\"errors\"]) > 0 and any(s[\"name\"] == \"reinstall\" and s[\"result\"] == \"failed\" for s in j[\"steps\"])")" = true ]'
expect "removed NTPsec --json: by_hand lists install ntpsec and remove chrony, with commands" \
	'[ "$(json "[(b[\"action\"], b[\"package\"], b[\"command\"]) for b in j[\"by_hand\"]]")" = "$(printf "[[\"install\", \"ntpsec\", \"chroot %s %s\"], [\"remove\", \"chrony\", \"chroot %s %s\"]]" "$root" "$APT_NTPSEC" "$root" "$APT_CHRONY")" ]'

# --- 3. leftovers, and records that are missing or damaged ---------------------------
# NTPsec was stopped and disabled, not removed (still installed): it comes
# back; chrony, which the apply installed, stays: exit 2 with its command.
root=$(host_root <<'R'
before-enabled ntpsec
installed chrony
disabled ntpsec
enabled chrony
R
)
stub "$root" /usr/sbin/ntpd /usr/bin/ntpmon
sed -i 's/^Status: deinstall ok config-files/Status: install ok installed/' "$root/var/lib/dpkg/status"
reset_log
run_ntpwiz rollback --root "$root"
expect "ntpsec still installed: exit 2 (working state back, a package left)" '[ "$RC" -eq 2 ]'
expect "ntpsec still installed: chrony disabled, ntpsec enabled again" \
	'[ "$(service_calls "$root")" = "$(printf "%s\n" "systemctl --root=ROOT disable chrony" "systemctl --root=ROOT enable ntpsec")" ] && enabled "$root" ntpsec'
expect "ntpsec still installed: the command to remove chrony, a warning, no error" \
	'contains "$OUT" "chroot $root $APT_CHRONY" && contains "$ERR" "warning" && ! contains "$ERR" "error"'
expect "ntpsec still installed: last lines 'rolled back:' then 'to finish by hand'" \
	'printf "%s\n" "$OUT" | grep -q "^rolled back: $root$CONF removed again" && printf "%s\n" "$OUT" | grep -q "^to finish by hand, run:"'

# no record (an older ntpwiz made the backup): the file as before, a warning
root=$(fresh_root)
run_ntpwiz apply "$PA" --root "$root"
rm -f "$root$BKDIR"/changes.*
reset_log
run_ntpwiz rollback --root "$root"
expect "no record: exit 0, the file gone, no service command" \
	'[ "$RC" -eq 0 ] && [ ! -e "$root$CONF" ] && [ -z "$(service_calls "$root")" ]'
expect "no record: a warning says the services were not changed back" \
	'contains "$ERR" "warning" && contains "$ERR" "no record"'
# damaged record: the same, saying so
root=$(fresh_root)
run_ntpwiz apply "$PA" --root "$root"
for f in "$root$BKDIR"/changes.*; do printf 'ntpwiz-changes 1\ndaemon chrony\nenabled $(reboot)\n' >"$f"; done
reset_log
run_ntpwiz rollback --root "$root" --json
expect "damaged record: exit 0, nothing but the file, record damaged, a warning" \
	'[ "$RC" -eq 0 ] && [ ! -e "$root$CONF" ] && [ -z "$(service_calls "$root")" ] && [ "$(json "j[\"record\"]")" = damaged ] && [ "$(json "len(j[\"warnings\"]) > 0")" = true ]'

finish
