#!/bin/bash
# apply-slow-enable.sh (issue 14, seen on the real-host tier): enabling and
# disabling a service are not cut off at the 90 s a restart gets. On the
# Debian 12 guest under TCG and load, `systemctl disable chrony` took 67 s
# once and more than 90 s in rollback ("no answer after 90 s", exit 1, the
# command killed half-way) and so did `systemctl enable chrony`: they run
# systemd-sysv-install (update-rc.d, insserv) besides the links, work a
# daemon-reload and package scripts do, which the install step already
# gives 15 minutes. Killing them half-way leaves the boot links half-changed.
#
# Sandbox: a Debian 12 systemd root with chrony installed (a stub) and
# systemd-timesyncd enabled (its wants link); the systemctl stand-in first on
# PATH sleeps 95 s on enable and disable (STANDIN_SLOW), then acts out
# --root. `ntpwiz apply --root` of a chrony profile must disable timesyncd
# and enable chrony, exit 0, no failed step. Every ntpwiz run has --root.

# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

export PATH="$srcdir/tests/lib/standins:$PATH"
export NTPWIZ_STANDIN_LOG="$T_TMP/standin.log"
unset STANDIN_FAIL STANDIN_IS_ENABLED STANDIN_IS_ACTIVE
export STANDIN_SLOW="enable disable" STANDIN_SLOW_S=95

r=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
mkdir -p "$r/usr/sbin" "$r/etc/chrony" "$r/lib/systemd/system" "$r/etc/systemd/system/sysinit.target.wants" "$r/sbin"
printf '#!/bin/sh\n' >"$r/usr/sbin/chronyd" && chmod 755 "$r/usr/sbin/chronyd"
mkdir -p "$r/lib/systemd" && printf '#!/bin/sh\n' >"$r/lib/systemd/systemd"
ln -s /lib/systemd/systemd "$r/sbin/init"	# detect: systemd is the init system
: >"$r/lib/systemd/system/chrony.service"
: >"$r/lib/systemd/system/systemd-timesyncd.service"
printf '#!/bin/sh\n' >"$r/lib/systemd/systemd-timesyncd" && chmod 755 "$r/lib/systemd/systemd-timesyncd"
ln -s /lib/systemd/system/systemd-timesyncd.service "$r/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service"
cat >"$T_TMP/p.cfg" <<'P'
version = 1;
daemon = "chrony";
servers = ( { host = "192.0.2.1"; iburst = true; } );
apply = { backup = true; restart = true; stop_conflicting = true; install = false; };
P

t0=$(date +%s)
run_ntpwiz --json apply "$T_TMP/p.cfg" --root "$r"
took=$(($(date +%s) - t0))
echo "# apply took $took s; stand-in calls:"; sed 's/^/#   /' "$NTPWIZ_STANDIN_LOG"
expect "both slow steps ran to their end (apply took $took s >= 190 s)" '[ "$took" -ge 190 ]'
expect "apply --root with a 95 s enable and disable exits 0 (got $RC; stderr: $ERR)" '[ "$RC" = 0 ]'
expect "no step says 'no answer after'" '! contains "$OUT$ERR" "no answer after"'
expect "no failed step" '! contains "$OUT" "\"result\":\"failed\""'
expect "chrony is enabled for the next boot in the root" \
	'[ -L "$r/etc/systemd/system/multi-user.target.wants/chrony.service" ]'
expect "systemd-timesyncd is disabled in the root" \
	'[ ! -e "$r/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service" ]'
expect "systemctl enable and disable were called with --root" \
	'grep -q "enable.*chrony" "$NTPWIZ_STANDIN_LOG" && grep -q "disable.*systemd-timesyncd" "$NTPWIZ_STANDIN_LOG"'
finish
