#!/bin/bash
# tests/fleet/guest.sh IDX CTLDIR - one guest of the fleet harness, run in
# the background by tests/fleet/fleet.sh (one process per guest: vmlib.sh
# keeps one guest per process in globals).
#
# Boots a throw-away overlay of the Debian 12 systemd image (tests/vm/image.sh,
# the same key as tests/vm: nothing is added to the image) in its own
# namespace ntpwiz-vm-$$ with tap0 (10.231.77.1 and 10.231.77.3) and one
# chronyd -x on each address (the "two servers"; neither can touch the
# machine's clock), then prepares the guest the same way for every method:
#   - python3 from the image's local repository (/srv/repo; Ansible needs it
#     on the target) and python3-apt with its two small dependencies, copied
#     in as .debs (the role's package_facts and apt tasks need it; the image's
#     repository does not hold it), installed with one `apt-get install`;
#   - the ntpwiz under test at /usr/local/bin/ntpwiz (vm_put_binary);
# chrony is NOT installed: each method installs it itself.
# Then writes CTLDIR/IDX.ready (the namespace and the ssh control socket
# through which fleet.sh and ansible reach the guest) and holds the guest
# until CTLDIR/IDX.stop appears (or FLEET_HOLD seconds pass, or TERM).
# The EXIT trap (vm_cleanup) ends QEMU, both chronyd and ssh by PID and
# deletes the namespace, also on failure.
#
# Environment: FLEET_NAME (log folder prefix), NTPWIZ (the binary),
# FLEET_DEBS (folder with the python3-apt .debs), FLEET_HOLD (default 10800).

IDX=$1
CTLDIR=$2
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
srcdir=$(cd "$srcdir" && pwd)
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
# shellcheck source=tests/lib/netns.sh
. "$srcdir/tests/lib/netns.sh"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"
# shellcheck source=tests/vm/vmlib.sh
. "$srcdir/tests/vm/vmlib.sh"

trap vm_cleanup EXIT
trap 'exit 1' INT TERM HUP

die() {
	vm_log "FAILED: $*"
	echo "$*" >"$CTLDIR/$IDX.failed"
	VM_ABORTED=1
	exit 1
}

VM_ADDR_HOST2=10.231.77.3
vm_init "${FLEET_NAME:-fleet}-$IDX" bookworm systemd || die "image"
vm_net_up || die "namespace"
ip -n "$VM_NS" addr add "$VM_ADDR_HOST2/24" dev tap0 || die "second address"
cat >"$VM_WORK/server2.conf" <<EOF
# the second host-side time server (same rules as the first)
local stratum 9
allow $VM_ADDR_GUEST
bindaddress $VM_ADDR_HOST2
cmdport 0
pidfile $VM_WORK/server2.pid
EOF
netns_start_chronyd "$VM_NS" "$VM_WORK/server2.conf" "$VM_LOGDIR/server2-chronyd.log" || die "second chronyd"
vm_log "second server: $VM_ADDR_HOST2, chronyd -x PID $NETNS_PID"

vm_boot || die "boot"
t=$(date +%s)
vm_ssh "mkdir -p /root/fleet-debs" >/dev/null || die "mkdir"
vm_put "$FLEET_DEBS"/*.deb /root/fleet-debs/ || die "copy the python3-apt debs"
vm_ssh "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 /root/fleet-debs/*.deb" >/dev/null ||
	die "apt-get install python3 python3-apt"
PREP=$(($(date +%s) - t))
vm_log "prepared: python3 and python3-apt installed in $PREP s"
vm_put_binary "$NTPWIZ" /usr/local/bin/ntpwiz || die "ntpwiz copied"
vm_ssh "ntpwiz --version | head -n 1; dpkg-query -W -f='\${db:Status-Abbrev} \${Package}\n' chrony systemd-timesyncd 2>&1; systemctl is-active systemd-timesyncd" ||
	true

printf 'ns=%s\nctl=%s\nboot=%s\nprep=%s\nlogdir=%s\n' "$VM_NS" "$VM_WORK/ssh.ctl" "$VM_BOOT_SECONDS" "$PREP" "$VM_LOGDIR" \
	>"$CTLDIR/$IDX.ready.tmp" && mv "$CTLDIR/$IDX.ready.tmp" "$CTLDIR/$IDX.ready"
vm_log "ready; holding until $CTLDIR/$IDX.stop"

mapfile -t OPTS < <(_vm_ssh_opts)
end=$(($(date +%s) + ${FLEET_HOLD:-10800}))
last=$(date +%s)
while [ "$(date +%s)" -lt "$end" ]; do
	[ -e "$CTLDIR/$IDX.stop" ] && break
	[ -d "/proc/$VM_QEMU_PID" ] || die "QEMU ended while held"
	# keep the control master alive (ControlPersist) and see the guest answers
	if [ $(($(date +%s) - last)) -ge 60 ]; then
		timeout 60 ip netns exec "$VM_NS" ssh "${OPTS[@]}" "root@$VM_ADDR_GUEST" true >/dev/null 2>&1 ||
			vm_log "keep-alive ssh failed"
		last=$(date +%s)
	fi
	sleep 2
done
vm_log "released"
exit 0
