#!/bin/bash
# tests/vm/scenario.sh - the real-host tier's scenarios on one Debian guest
# under QEMU (tests/vm/README), driven over ssh. Sourced by a thin wrapper
# per guest (debian12-systemd.sh, debian13-systemd.sh, debian12-sysvinit.sh)
# that sets:
#
#   VM_NAME       the log folder's name (tests/vm/logs/NAME)
#   VM_SUITE      bookworm | trixie
#   VM_INIT       systemd | sysvinit | openrc | runit (PID 1 of the image)
#   VM_SCENARIOS  which of 1, 2, 3, 3b, 3c, 4, 5 run ("1 2 3 4"; 3, 3b and 3c
#                 need systemd's drop-ins)
#
#  1. the seed flow: the image's seed state (Debian's default
#     systemd-timesyncd on systemd; no time daemon elsewhere), then `ntpwiz
#     apply` of a chrony profile with apply.install = true: chrony installed
#     from the image's local repository, timesyncd stopped and disabled,
#     chrony enabled and running, `ntpwiz monitor --once` shows '*' on the
#     host-side server, `ntpwiz check` exits 0, a second apply changes and
#     restarts nothing (same daemon PIDs and start times)
#  2. reboot: chrony starts at boot, timesyncd does not, '*' again
#  3. rollback for real: a drop-in whose ExecStartPre refuses the new file
#     -> exit 1 with the reason, old bytes back, chrony running on them;
#     then `ntpwiz rollback` walks back one backup and restarts chrony
#  4. the rescue flow: the guest powered off, its disk (a raw copy) mounted
#     on the host with a loop device, `ntpwiz apply --root MNT`, booted:
#     chrony enabled at boot and synchronised
#  3b. (own guest, debian12-systemd-logdir.sh) a logdir chrony.service makes
#     read-only is refused naming the unit; a drop-in with ReadWritePaths=
#     lets it through, and the daemon-log step finds no error
#  3c. rollback past the fresh install (issue 14, defect 1): `ntpwiz
#     rollback` walks back the rescue's apply, the refused one, then the
#     first apply that installed chrony: chrony stopped and disabled, and
#     systemd-timesyncd (removed by apt when chrony came) named with the
#     command to install it again, exit 1; that command run in the guest
#     brings timesyncd back, synchronised (if apt did not remove it, the
#     rollback starts it itself)
#  5. line mode on the serial console (tests/vm/sc-serial.sh): a whole
#     set-up typed at `ntpwiz --text` on ttyS0 (TERM=vt100, 80 columns)
#  6 (part): at each step, detect's installed/enabled/running for chrony
#     and timesyncd agree with dpkg-query and the init system (a package
#     that apt removed but did not purge, dpkg's "rc", is not installed)
#
# ntpwiz inside the guest is the build under test, copied in, with the
# host's copies of the libraries the guest lacks (vm_put_binary: the
# sanitizer runtimes; on Debian 13 also libconfig.so.9).
#
# Exit: 0 pass, 1 fail, 77 skip (not root, no qemu/mmdebstrap, no chrony
# package); with CI set, a missing prerequisite fails instead.

# shellcheck disable=SC2034  # variables read by expect's conditions
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
srcdir=$(cd "$srcdir" && pwd)
: "${NTPWIZ:=${abs_top_builddir:-$srcdir}/ntpwiz}"
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
# shellcheck source=tests/lib/netns.sh
. "$srcdir/tests/lib/netns.sh"

# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"	# skip_or_fail: exit 77, or 1 when CI is set

: "${VM_NAME:=debian12-systemd}" "${VM_SUITE:=bookworm}" "${VM_INIT:=systemd}" "${VM_SCENARIOS:=1 2 3 4}"
[ "$(id -u)" = 0 ] || skip_or_fail "needs root (network namespace, tap device, loop mount)"
for t in qemu-system-x86_64 qemu-img mmdebstrap mkfs.ext4 dpkg-scanpackages ssh scp ssh-keygen ip losetup python3; do
	command -v "$t" >/dev/null 2>&1 || skip_or_fail "$t not found (./autogen.sh installs the test dependencies)"
done
[ -c /dev/net/tun ] || skip_or_fail "no /dev/net/tun (the guest's tap device)"
case " $VM_SCENARIOS " in *" 4 "*)
	# the rescue flow loop-mounts the guest's disk on the host
	losetup -f >/dev/null 2>&1 || skip_or_fail "no free loop device (losetup -f; the rescue flow mounts the guest's disk)" ;;
esac
[ -x "$NTPWIZ" ] || skip_or_fail "no ntpwiz binary at $NTPWIZ"
daemons_fetch || skip_or_fail "cannot download the chrony package (apt-get download chrony)"
# shellcheck source=tests/vm/vmlib.sh
. "$srcdir/tests/vm/vmlib.sh"

trap vm_cleanup EXIT
trap 'exit 1' INT TERM HUP

abort() {	# MESSAGE: a step the rest depends on failed
	not_ok "$*"
	VM_ABORTED=1
	finish
	exit 1
}

SYNC_BOUND=${NTPWIZ_VM_SYNC_BOUND:-90} # seconds from apply/boot to '*' (TCG)
NW='env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 /usr/local/bin/ntpwiz'

vm_init "$VM_NAME" "$VM_SUITE" "$VM_INIT" ||
	abort "the $VM_SUITE $VM_INIT image is built (see $VM_LOGDIR and the cache's build.log)"
vm_log "guest: $VM_SUITE, $VM_INIT as PID 1, scenarios $VM_SCENARIOS"
vm_net_up || abort "namespace with tap0 and the host-side chronyd -x"
vm_boot || abort "the guest boots and answers ssh"
ok "boot 1: guest up in $VM_BOOT_SECONDS s ($(vm_accel))"

runs() { case " $VM_SCENARIOS " in *" $1 "*) return 0 ;; esac; return 1; }

# --- the init system, as the operator would ask it -----------------------------
# Each is one shell line run in the guest; @ is the service's name.
case $VM_INIT in
systemd)
	I_ACTIVE='systemctl is-active --quiet @'
	I_ENABLED='systemctl is-enabled --quiet @ 2>/dev/null'
	I_DISABLE_STOP='systemctl disable --now @'
	I_REBOOT='systemctl reboot'
	I_POWEROFF='systemctl poweroff'
	I_PID1='systemd' ;;
sysvinit)
	I_ACTIVE='service @ status >/dev/null 2>&1'
	I_ENABLED='ls /etc/rc2.d/S[0-9][0-9]@ >/dev/null 2>&1'
	I_DISABLE_STOP='service @ stop && update-rc.d @ disable'
	I_REBOOT='reboot'
	I_POWEROFF='poweroff'
	I_PID1='init' ;;
openrc)
	I_ACTIVE='rc-service @ status >/dev/null 2>&1'
	I_ENABLED='[ -e /etc/runlevels/default/@ ]'
	I_DISABLE_STOP='rc-service @ stop && rc-update del @ default'
	I_REBOOT='reboot'
	I_POWEROFF='poweroff'
	I_PID1='init' ;;
runit)
	I_ACTIVE='sv status @ 2>/dev/null | grep -q ^run:'
	I_ENABLED='[ -e /etc/runit/runsvdir/default/@ ]'
	I_DISABLE_STOP='sv stop @ && rm /etc/runit/runsvdir/default/@'
	I_REBOOT='reboot'
	I_POWEROFF='poweroff'
	I_PID1='runit' ;;
esac
icmd() { printf '%s\n' "${1//@/$2}"; }	# TEMPLATE SERVICE
PID1=$(vm_ssh 'cat /proc/1/comm')
expect "the guest's PID 1 is $VM_INIT's ($I_PID1; got $PID1)" '[ "$PID1" = "$I_PID1" ]'
unit_state() {	# SERVICE: "active/enabled", "inactive/disabled", ...
	local a=inactive e=disabled
	vm_ssh "$(icmd "$I_ACTIVE" "$1")" >/dev/null && a=active
	vm_ssh "$(icmd "$I_ENABLED" "$1")" >/dev/null && e=enabled
	echo "$a/$e"
}
# chrony_start: PID and start time (clock ticks since boot, /proc/PID/stat
# field 22) of each chronyd process: a restart changes them
# proc_start NAME: "PID:start-time " of each NAME process in the guest (a
# restart changes both; the second applies compare them)
proc_start() {
	vm_ssh "for p in \$(pidof $1); do echo \"\$p:\$(cut -d' ' -f22 /proc/\$p/stat)\"; done | sort | tr '\n' ' '"
}
chrony_start() { proc_start chronyd; }
# link_in DIR LINK: LINK (a path inside the offline system under DIR) is a
# symlink whose target exists in that system; an absolute target is read
# under DIR (test -e would follow it into the host's own /etc)
link_in() {
	local t
	[ -L "$1$2" ] || return 1
	t=$(readlink "$1$2")
	case $t in /*) [ -e "$1$t" ] ;; *) [ -e "$(dirname "$1$2")/$t" ] ;; esac
}
# chrony_enabled_in DIR: the offline system under DIR starts chrony at boot
chrony_enabled_in() {
	case $VM_INIT in
	systemd) link_in "$1" /etc/systemd/system/multi-user.target.wants/chrony.service ;;
	sysvinit) ls "$1"/etc/rc2.d/S[0-9][0-9]chrony >/dev/null 2>&1 ;;
	openrc) link_in "$1" /etc/runlevels/default/chrony ;;
	runit) link_in "$1" /etc/runit/runsvdir/default/chrony ;;
	esac
}

# --- the build under test, its data and the profiles -------------------------
profiledir=$(grep -a -o '/[[:alnum:]/._-]*/ntpwiz/profiles' "$NTPWIZ" | head -n 1)
vm_ssh "mkdir -p /usr/local/bin ${profiledir:-/usr/local/share/ntpwiz/profiles} /root/p" >/dev/null
vm_put_binary "$NTPWIZ" /usr/local/bin/ntpwiz || abort "ntpwiz (and the libraries the guest lacks) copied into the guest"
vm_put "$srcdir"/profiles/*.cfg "${profiledir:-/usr/local/share/ntpwiz/profiles}/" ||
	abort "profiles copied into the guest"
V=$(vm_ssh "$NW --version" 2>&1)
VRC=$?
# "env: '/usr/local/bin/ntpwiz': Permission denied" names ntpwiz too: the
# first line must be the version, and the exit 0 (the rest needs it)
case $VRC:$(printf '%s' "$V" | head -n 1) in
0:"ntpwiz "[0-9]*) ok "the host-built ntpwiz runs in the $VM_SUITE guest (copied:${VM_COPIED_LIBS:- nothing}; got: $(printf '%s' "$V" | head -n 2 | tr '\n' ' '))" ;;
*) abort "the host-built ntpwiz runs in the $VM_SUITE guest (exit $VRC: $(printf '%s' "$V" | head -n 2 | tr '\n' ' '))" ;;
esac

mkprofile() {	# NAME EXTRA-SERVER-OPTIONS
	cat >"$T_TMP/$1.cfg" <<EOF
version = 1;
daemon = "chrony";
servers = ( { host = "$VM_ADDR_HOST"; iburst = true;$2 } );
apply = { install = true; };
EOF
}
mkprofile chrony ""
mkprofile chrony-prefer " prefer = true;"
vm_put "$T_TMP/chrony.cfg" "$T_TMP/chrony-prefer.cfg" /root/p/ || abort "profiles copied into the guest"

# json_field OUTPUT PYTHON-EXPR: evaluates EXPR with j = the object on
# OUTPUT's JSON line (vm_ssh gives stdout and stderr together: a failed step
# also says so on stderr, on its own line before the JSON)
json_field() {
	python3 -c 'import json,sys
j=json.loads([l for l in sys.argv[1].splitlines() if l.startswith("{")][-1])
print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}
step_result() {	# JSON NAME: the results of the steps called NAME, comma-separated
	json_field "$1" "\",\".join(s[\"result\"] for s in j[\"steps\"] if s[\"name\"]==\"$2\")"
}
failed_steps() {	# JSON: "name: detail" of each failed step
	json_field "$1" '"; ".join(s["name"]+": "+s["detail"] for s in j["steps"] if s["result"]=="failed")'
}
pkg_state() {	# PACKAGE: dpkg's two-letter state ("ii", "rc"), "" if unknown
	vm_ssh "dpkg-query -W -f='\${db:Status-Abbrev}' $1 2>/dev/null"
}
# wait_star SECONDS: polls `ntpwiz monitor --once` until the host-side
# server's row starts with '*'; TOOK says after how many seconds
wait_star() {
	local t0 out
	t0=$(date +%s)
	while [ $(($(date +%s) - t0)) -lt "$1" ]; do
		out=$(vm_ssh "$NW monitor --once")
		if printf '%s\n' "$out" | grep -q "^\* $VM_ADDR_HOST "; then
			TOOK=$(($(date +%s) - t0))
			return 0
		fi
		sleep 2
	done
	TOOK=$1
	return 1
}

# detect_agrees WHEN: scenario 6's check, for chrony and (on systemd)
# timesyncd: detect's installed/enabled/running equal dpkg's "ii" and what
# the init system says (a package in dpkg's "rc" state is not installed)
detect_agrees() {
	local j d svc pkg want got
	j=$(vm_ssh "$NW detect --json")
	for d in chrony timesyncd; do
		case $d in
		chrony) svc=chrony pkg=chrony ;;
		timesyncd)
			[ "$VM_INIT" = systemd ] || continue
			svc=systemd-timesyncd pkg=systemd-timesyncd ;;
		esac
		got=$(json_field "$j" "[\"%s/%s/%s\" % (x[\"installed\"], x[\"enabled\"], x[\"running\"]) for x in j[\"daemons\"] if x[\"daemon\"]==\"$d\"][0]")
		want=$([ "$(pkg_state $pkg)" = "ii " ] && echo True || echo False)
		want=$want/$(vm_ssh "$(icmd "$I_ENABLED" $svc)" >/dev/null && echo True || echo False)
		want=$want/$(vm_ssh "$(icmd "$I_ACTIVE" $svc)" >/dev/null && echo True || echo False)
		expect "$1: detect's $d installed/enabled/running = $got; dpkg ($(pkg_state $pkg | tr -d ' ')) and $VM_INIT say $want" \
			'[ "$got" = "$want" ]'
	done
}

# NTPsec and OpenNTPD (1n 6n 1o 6o): their own file, which ends the test
case " $VM_SCENARIOS " in *" 1n "* | *" 1o "*) . "$srcdir/tests/vm/sc-daemons.sh" ;; esac
# the seeds' ntp.org ntpd + ntpdate (ids ntp1-ntp4; tests/vm/sc-ntporg.sh)
. "$srcdir/tests/vm/sc-ntporg.sh"

# --- 1. the seed flow ---------------------------------------------------------
vm_log "== scenario 1: seed flow (-> chrony, apply.install = true)"
if [ "$VM_INIT" = systemd ]; then
	expect "seed: systemd-timesyncd is active and enabled" \
		'[ "$(unit_state systemd-timesyncd)" = active/enabled ]'
else
	expect "seed: no time daemon runs (no chronyd, ntpd, openntpd)" \
		'! vm_ssh "pidof chronyd ntpd openntpd" >/dev/null'
fi
expect "seed: chrony is not installed" '[ "$(pkg_state chrony)" != "ii " ]'
expect "seed: the image kept its apt lists (no apt-get update needed)" \
	'vm_ssh "apt-cache policy chrony | grep -q file:/srv/repo"'
detect_agrees "seed"

t0=$(date +%s)
OUT=$(vm_ssh "$NW --json apply /root/p/chrony.cfg")
RC=$?
APPLY1=$(($(date +%s) - t0))
APPLY1_BK=$(json_field "$OUT" '[s["detail"].split()[0] for s in j["steps"] if s["name"] == "backup"][0]')
vm_log "apply 1 (install chrony) took $APPLY1 s, exit $RC"
expect "apply 1 exits 0" '[ "$RC" = 0 ]'
expect "apply 1: no step failed (got: $(failed_steps "$OUT"))" '[ -z "$(failed_steps "$OUT")" ]'
expect "apply 1: chronyd's own syntax check ran on the file (the install came first; got: $(step_result "$OUT" check))" \
	'[ "$(step_result "$OUT" check)" = ok ]'
expect "apply 1: restarted and verified" \
	'[ "$(json_field "$OUT" "(j[\"restarted\"], j[\"verified\"])")" = "(True, True)" ]'
expect "chrony is installed (dpkg ii)" '[ "$(pkg_state chrony)" = "ii " ]'
expect "chrony is running and enabled ($VM_INIT)" '[ "$(unit_state chrony)" = active/enabled ]'
if [ "$VM_INIT" = systemd ]; then
	ST=$(unit_state systemd-timesyncd)
	expect "systemd-timesyncd is neither running nor enabled (got $ST)" \
		'case $ST in active/* | */enabled) false ;; *) true ;; esac'
	vm_log "systemd-timesyncd after apply 1: dpkg '$(pkg_state systemd-timesyncd)'"
fi
expect "/etc/chrony/chrony.conf has the profile's server line" \
	'vm_ssh "grep -qx \"server $VM_ADDR_HOST iburst\" /etc/chrony/chrony.conf"'
if wait_star "$SYNC_BOUND"; then
	ok "monitor --once shows '*' on $VM_ADDR_HOST $TOOK s after apply 1 returned"
	vm_log "time to '*' after apply 1: $TOOK s"
else
	not_ok "monitor --once shows '*' on $VM_ADDR_HOST within $SYNC_BOUND s"
fi
# scenario 6 (part): ntpwiz's own NTP client, from the guest, against the
# host-side chronyd (local stratum 8) across the tap device
PROBE=$(vm_ssh "$NW probe $VM_ADDR_HOST")
RC=$?
expect "probe $VM_ADDR_HOST from the guest: exit 0, usable at stratum 8 (got: $(printf '%s' "$PROBE" | tail -n 1))" \
	'[ "$RC" = 0 ] && contains "$PROBE" "$VM_ADDR_HOST: usable: $VM_ADDR_HOST answers at stratum 8"'
detect_agrees "after apply 1"
vm_ssh "$NW check /root/p/chrony.cfg" >/dev/null
RC=$?
expect "ntpwiz check exits 0 after the apply" '[ "$RC" = 0 ]'
BEFORE=$(chrony_start)
SUM=$(vm_ssh 'sha256sum /etc/chrony/chrony.conf')
t0=$(date +%s)
OUT=$(vm_ssh "$NW --json apply /root/p/chrony.cfg")
RC=$?
vm_log "apply 2 (no change) took $(($(date +%s) - t0)) s, exit $RC"
expect "apply 2 exits 0" '[ "$RC" = 0 ]'
expect "apply 2 reports no change and no restart" \
	'[ "$(json_field "$OUT" "(j[\"changed\"], j[\"restarted\"])")" = "(False, False)" ]'
AFTER=$(chrony_start)
expect "apply 2 restarted nothing (chronyd PID:start time: $AFTER)" \
	'[ "$BEFORE" = "$AFTER" ] && [ -n "$AFTER" ]'
expect "apply 2 left the file's bytes alone" '[ "$SUM" = "$(vm_ssh "sha256sum /etc/chrony/chrony.conf")" ]'

# NTPWIZ_VM_STOP_AFTER=1: only the seed flow (to show a defect quickly)
if [ "${NTPWIZ_VM_STOP_AFTER-}" = 1 ]; then
	vm_log "total $(vm_elapsed) s (stopped after scenario 1)"
	finish
	exit
fi

# --- 2. reboot ----------------------------------------------------------------
if runs 2; then
	vm_log "== scenario 2: reboot"
	vm_ssh "$I_REBOOT" >/dev/null 2>&1
	# (bounded like the boot: under TCG and load a sysvinit/OpenRC shutdown
	# took more than 180 s, most of it in hwclock and the unmounts)
	vm_wait_gone 600 || abort "the guest went down for the reboot within 600 s"
	vm_boot || abort "the guest boots again"
	ok "boot $VM_BOOTS: guest up in $VM_BOOT_SECONDS s"
	expect "after reboot: chrony started at boot (running, enabled)" \
		'[ "$(unit_state chrony)" = active/enabled ]'
	if [ "$VM_INIT" = systemd ]; then
		expect "after reboot: systemd-timesyncd did not start" \
			'[ "$(vm_ssh "systemctl is-active systemd-timesyncd")" != active ]'
	fi
	if wait_star "$SYNC_BOUND"; then
		ok "after reboot: '*' on $VM_ADDR_HOST $TOOK s after ssh answered"
		vm_log "time to '*' after reboot: $TOOK s"
	else
		not_ok "after reboot: '*' on $VM_ADDR_HOST within $SYNC_BOUND s"
	fi
	detect_agrees "after reboot"
fi

# --- 3. rollback for real (systemd: the refusal is a unit drop-in) ------------
if runs 3 && [ "$VM_INIT" = systemd ]; then
	vm_log "== scenario 3: a start systemd refuses is rolled back; ntpwiz rollback"
	SUM1=$(vm_ssh 'sha256sum /etc/chrony/chrony.conf')
	vm_ssh 'mkdir -p /etc/systemd/system/chrony.service.d && cat >/etc/systemd/system/chrony.service.d/ntpwiz-test-refuse.conf <<EOF
[Service]
ExecStartPre=/bin/sh -c "if grep -q prefer /etc/chrony/chrony.conf; then echo refused by the test drop-in >&2; exit 1; fi"
EOF
systemctl daemon-reload' >/dev/null
	t0=$(date +%s)
	OUT=$(vm_ssh "$NW apply /root/p/chrony-prefer.cfg")
	RC=$?
	vm_log "apply 3 (refused start) took $(($(date +%s) - t0)) s, exit $RC"
	expect "refused start: apply exits 1" '[ "$RC" = 1 ]'
	expect "refused start: the reason is printed (restarting chrony failed)" \
		'contains "$OUT" "restarting chrony failed"'
	expect "refused start: the output says it rolled back" 'contains "$OUT" "rolled back"'
	expect "refused start: /etc/chrony/chrony.conf has its old bytes" \
		'[ "$SUM1" = "$(vm_ssh "sha256sum /etc/chrony/chrony.conf")" ]'
	expect "refused start: chrony runs again on the old bytes" '[ "$(unit_state chrony)" = active/enabled ]'
	if wait_star "$SYNC_BOUND"; then
		ok "refused start: '*' on $VM_ADDR_HOST again $TOOK s after the rollback"
	else
		not_ok "refused start: '*' on $VM_ADDR_HOST within $SYNC_BOUND s after the rollback"
	fi
	vm_ssh 'rm -r /etc/systemd/system/chrony.service.d && systemctl daemon-reload' >/dev/null
	OUT=$(vm_ssh "$NW apply /root/p/chrony-prefer.cfg")
	RC=$?
	expect "without the drop-in the prefer profile applies (exit 0)" '[ "$RC" = 0 ]'
	expect "the new file has prefer" 'vm_ssh "grep -q prefer /etc/chrony/chrony.conf"'
	BEFORE=$(chrony_start)
	OUT=$(vm_ssh "$NW rollback")
	RC=$?
	AFTER=$(chrony_start)
	expect "ntpwiz rollback exits 0" '[ "$RC" = 0 ]'
	expect "ntpwiz rollback put back the bytes of the apply before" \
		'[ "$SUM1" = "$(vm_ssh "sha256sum /etc/chrony/chrony.conf")" ]'
	expect "ntpwiz rollback restarted chrony (was: $BEFORE; now: $AFTER)" \
		'[ "$BEFORE" != "$AFTER" ] && [ "$(unit_state chrony)" = active/enabled ]'
fi

# --- 3b. a log folder the unit cannot write (issue 14, defect 5) -------------
# Its own guest (wrapper debian12-systemd-logdir.sh, scenarios "1 3b"): the
# applies here would add backups to the chain scenario 3c walks back.
if runs 3b && [ "$VM_INIT" = systemd ]; then
	# Debian's chrony.service has ProtectSystem=strict: /srv is read-only for
	# chronyd. apply refuses it before touching anything, naming the real unit;
	# a drop-in with ReadWritePaths= makes it writable, and then the daemon
	# creates the folder for real and logs no error since the restart.
	vm_log "== scenario 3b: logdir outside what chrony.service lets chronyd write"
	for n in srvlog; do
		cat >"$T_TMP/$n.cfg" <<-EOF
	version = 1;
	daemon = "chrony";
	servers = ( { host = "$VM_ADDR_HOST"; iburst = true; } );
	options = { logdir = "/srv/chrony-log"; };
	apply = { install = true; };
	EOF
	done
	vm_put "$T_TMP/srvlog.cfg" /root/p/ || abort "profiles copied into the guest"
	SUM1=$(vm_ssh 'sha256sum /etc/chrony/chrony.conf')
	BEFORE=$(chrony_start)
	OUT=$(vm_ssh "$NW apply /root/p/srvlog.cfg 2>&1")
	RC=$?
	vm_log "apply (logdir /srv/chrony-log) exit $RC"
	expect "logdir /srv/chrony-log: apply refuses (exit 1)" '[ "$RC" = 1 ]'
	expect "the refusal names the unit file, ProtectSystem=strict and /var/log/chrony" \
		'contains "$OUT" "/lib/systemd/system/chrony.service" && contains "$OUT" "ProtectSystem=strict" && contains "$OUT" "/var/log/chrony"'
	expect "refused: the file and the running daemon are untouched" \
		'[ "$SUM1" = "$(vm_ssh "sha256sum /etc/chrony/chrony.conf")" ] && [ "$BEFORE" = "$(chrony_start)" ]'
	vm_ssh 'mkdir -p /etc/systemd/system/chrony.service.d && printf "[Service]\nReadWritePaths=/srv/chrony-log\n" >/etc/systemd/system/chrony.service.d/ntpwiz-test-log.conf && mkdir -p /srv/chrony-log && chown _chrony:_chrony /srv/chrony-log && systemctl daemon-reload' >/dev/null
	OUT=$(vm_ssh "$NW --json apply /root/p/srvlog.cfg")
	RC=$?
	expect "with a drop-in ReadWritePaths=/srv/chrony-log: apply exits 0 (failed: $(failed_steps "$OUT"))" '[ "$RC" = 0 ]'
	expect "the daemon-log step found no error in chrony.service's journal since the restart" \
		'[ "$(step_result "$OUT" daemon-log)" = ok ]'
	expect "--json says whether chrony is synchronised (synchronised, sync_wait_s present)" \
		'[ -n "$(json_field "$OUT" "j[\"synchronised\"]")" ] && [ -n "$(json_field "$OUT" "j[\"sync_wait_s\"]")" ]'
	vm_ssh 'rm -r /etc/systemd/system/chrony.service.d && systemctl daemon-reload' >/dev/null
	OUT=$(vm_ssh "$NW apply /root/p/chrony-prefer.cfg")
	expect "back to the prefer profile: chrony active and enabled" '[ "$(unit_state chrony)" = active/enabled ]'
fi

# --- 4. the rescue flow -------------------------------------------------------
if runs 4; then
	vm_log "== scenario 4: rescue: offline disk, ntpwiz apply --root, boot"
	vm_ssh "$(icmd "$I_DISABLE_STOP" chrony) && rm /etc/chrony/chrony.conf" >/dev/null
	expect "rescue: chrony disabled and stopped before the power-off" \
		'[ "$(unit_state chrony)" = inactive/disabled ]'
	vm_ssh "$I_POWEROFF" >/dev/null 2>&1
	vm_wait_gone 600 || abort "the guest powered off within 600 s"
	MNT=$T_TMP/mnt
	mkdir -p "$MNT"
	qemu-img convert -O raw "$VM_WORK/overlay.qcow2" "$VM_WORK/rescue.raw" >>"$VM_LOG" 2>&1 ||
		abort "the guest's disk converted to a raw image"
	mount -o loop "$VM_WORK/rescue.raw" "$MNT" >>"$VM_LOG" 2>&1 || abort "the raw disk loop-mounted on the host"
	VM_MOUNTED=$MNT
	OUT=$("$NTPWIZ" --root "$MNT" apply "$T_TMP/chrony.cfg" 2>&1)
	RC=$?
	printf 'host# ntpwiz --root %s apply chrony.cfg\n%s\n       (exit %s)\n' "$MNT" "$OUT" "$RC" >>"$VM_LOG"
	expect "rescue: ntpwiz --root MNT apply exits 0" '[ "$RC" = 0 ]'
	expect "rescue: chrony is enabled at boot in the offline system ($VM_INIT)" 'chrony_enabled_in "$MNT"'
	expect "rescue: the file is written in the offline system" \
		'grep -qx "server $VM_ADDR_HOST iburst" "$MNT/etc/chrony/chrony.conf"'
	umount "$MNT" && VM_MOUNTED=
	qemu-img create -q -f qcow2 -F raw -b "$VM_WORK/rescue.raw" "$VM_WORK/overlay.qcow2" >>"$VM_LOG" 2>&1
	vm_boot || abort "the rescued guest boots"
	ok "boot $VM_BOOTS (rescued disk): guest up in $VM_BOOT_SECONDS s"
	expect "rescued: chrony started at boot (running, enabled)" '[ "$(unit_state chrony)" = active/enabled ]'
	if wait_star "$SYNC_BOUND"; then
		ok "rescued: '*' on $VM_ADDR_HOST $TOOK s after ssh answered"
		vm_log "time to '*' after the rescue boot: $TOOK s"
	else
		not_ok "rescued: '*' on $VM_ADDR_HOST within $SYNC_BOUND s"
	fi
	detect_agrees "rescued"
fi
# --- 3c. rollback past the fresh install (issue 14, defect 1) ----------------
# Walks back the backups scenarios 1, 3 and 4 made, in that order.
if runs 3c && [ "$VM_INIT" = systemd ]; then
	vm_log "== scenario 3c: ntpwiz rollback back to before chrony was installed"
	rollback_json() {	# runs `ntpwiz --json rollback`; OUT, RC, BK (the backup restored)
		OUT=$(vm_ssh "$NW --json rollback")
		RC=$?
		BK=$(json_field "$OUT" 'j["backup"]')
		vm_log "rollback: exit $RC, backup $BK, steps: $(json_field "$OUT" '"; ".join(s["name"]+"="+s["result"] for s in j["steps"])')"
	}
	# 3c-a: the rescue's apply (under --root: the file was absent, chrony enabled
	# by it, nothing ran before): back to that state, exit 0
	rollback_json
	expect "rollback 1: the rescue's .absent backup, exit 0, complete (got $RC, $BK)" \
		'[ "$RC" = 0 ] && [[ $BK == *.absent ]] && [ "$(json_field "$OUT" "str(j[\"complete\"]) + \" \" + j[\"record\"]")" = "True found" ]'
	expect "rollback 1: chrony.conf gone, chrony stopped and disabled (as before the rescue's apply)" \
		'! vm_ssh "test -e /etc/chrony/chrony.conf" && [ "$(unit_state chrony)" = inactive/disabled ]'
	# 3c-b: the refused apply's backup (the first apply's bytes): chrony enabled
	# and running before it, so it is restarted on them and verified
	rollback_json
	expect "rollback 2: exit 0, chrony restarted and verified on the first apply's bytes" \
		'[ "$RC" = 0 ] && [ "$(step_result "$OUT" verify)" = ok ] && [ "$(unit_state chrony)" = active/enabled ] && [ "$SUM1" = "$(vm_ssh "sha256sum /etc/chrony/chrony.conf")" ]'
	# 3c-c: the first apply, which installed chrony
	TS_PKG=$(pkg_state systemd-timesyncd)
	vm_log "systemd-timesyncd's package state before rollback 3: '$TS_PKG'"
	rollback_json
	# apply 1 installed chrony before it took the backup (so that chronyd
	# checks the file first): what it backed up was the package's own
	# chrony.conf, which comes back; the package stays (named below).
	# Debian's chrony.conf is no conffile: the postinst copies
	# /usr/share/chrony/chrony.conf (dpkg-deb -I: not in conffiles)
	STOCK=$(vm_ssh "md5sum </usr/share/chrony/chrony.conf | cut -d' ' -f1")
	NOW=$(vm_ssh "md5sum </etc/chrony/chrony.conf | cut -d' ' -f1")
	expect "rollback 3: the first apply's backup (got $BK; apply 1 made $APPLY1_BK)" \
		'[ -n "$BK" ] && [ "$BK" = "$APPLY1_BK" ]'
	expect "rollback 3: chrony.conf is chrony's package's own again (md5 $NOW; /usr/share/chrony/chrony.conf $STOCK)" \
		'[ -n "$STOCK" ] && [ "$NOW" = "$STOCK" ]'
	expect "rollback 3: chrony is stopped and disabled (got $(unit_state chrony))" \
		'[ "$(unit_state chrony)" = inactive/disabled ]'
	# (apt may have brought dependencies too: each is named, chrony among them)
	expect "rollback 3: the installed chrony is named with its command" \
		'[ "$(json_field "$OUT" "\"apt-get purge -y chrony\" in [b[\"command\"] for b in j[\"by_hand\"] if b[\"action\"] == \"remove\"]")" = True ]'
	if [ "$TS_PKG" = "ii " ]; then
		expect "rollback 3 (timesyncd still installed): exit 2, timesyncd active and enabled again" \
			'[ "$RC" = 2 ] && [ "$(unit_state systemd-timesyncd)" = active/enabled ] && [ "$(step_result "$OUT" verify)" = ok ]'
	else
		TS_CMD=$(json_field "$OUT" '" ".join(b["command"] for b in j["by_hand"] if b["action"] == "install" and b["package"] == "systemd-timesyncd")')
		expect "rollback 3 (apt removed timesyncd): exit 1, services_restored false, errors not empty" \
			'[ "$RC" = 1 ] && [ "$(json_field "$OUT" "(j[\"services_restored\"], j[\"complete\"], len(j[\"errors\"]) > 0)")" = "(False, False, True)" ]'
		expect "rollback 3: a failed step reinstall, never 'old contents'" \
			'[ "$(step_result "$OUT" reinstall)" = failed ] && ! contains "$OUT" "old contents"'
		expect "rollback 3: the command to install systemd-timesyncd again (got: $TS_CMD)" \
			'[ "$TS_CMD" = "apt-get install -y -o Dpkg::Options::=--force-confold systemd-timesyncd" ]'
		TEXT=$(vm_ssh "$NW rollback" 2>&1)
		expect "rollback 4 (nothing left): exit 1, 'no backup left'" 'contains "$TEXT" "no backup left"'
		t0=$(date +%s)
		vm_ssh "$TS_CMD" >/dev/null 2>&1
		RC=$?
		vm_log "the printed command took $(($(date +%s) - t0)) s, exit $RC"
		expect "the printed command runs (exit 0)" '[ "$RC" = 0 ]'
		expect "after it: systemd-timesyncd active and enabled (got $(unit_state systemd-timesyncd))" \
			'[ "$(unit_state systemd-timesyncd)" = active/enabled ]'
		if wait_star "$SYNC_BOUND"; then
			ok "after it: '*' on $VM_ADDR_HOST $TOOK s later (timesyncd)"
		else
			not_ok "after it: '*' on $VM_ADDR_HOST within $SYNC_BOUND s (timesyncd)"
		fi
	fi
fi
# --- 5. line mode on the serial console (after 3c: its applies add no backup there)
runs 5 && . "$srcdir/tests/vm/sc-serial.sh"
vm_log "total $(vm_elapsed) s"
finish
