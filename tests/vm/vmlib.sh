#!/bin/bash
# shellcheck shell=bash
#
# tests/vm/vmlib.sh - one Debian guest under QEMU for the real-host tier
# (sourced by the scenario scripts after testlib.sh, daemons.sh, netns.sh).
#
#   vm_init NAME [SUITE [INIT]]
#                           work folder, logs, the image of SUITE (bookworm)
#                           with INIT (systemd) as PID 1 (tests/vm/image.sh)
#   vm_net_up               namespace ntpwiz-vm-$$ with tap0 (10.231.77.1)
#                           and a chronyd -x serving time on that address
#   vm_boot                 boots a throw-away qcow2 overlay of the image in
#                           the namespace; waits (bounded) for ssh
#   vm_ssh CMD              runs CMD in the guest (as root), output on stdout
#                           and in the step log; returns CMD's exit status
#   vm_put FILE... DEST     scp into the guest
#   vm_down                 power off (or wait for QEMU to end after reboot)
#   $VM_WORK/serial.sock    the guest's serial console (ttyS0) as a Unix
#                           socket one client at a time can read and type
#                           into (tests/lib/serialconsole.py); everything
#                           the guest writes to it is also logged to
#                           serial.cur (the boot marker, serial.log)
#   vm_cleanup              (the trap) ends QEMU and chronyd by PID, closes
#                           ssh, deletes the namespace; prints the logs when
#                           a check failed
#
# Safety: the guest reaches only the namespace (tap0 and a chronyd -x that
# cannot touch the machine's clock); the guest's clock is its own. Every
# wait is bounded. Only the PIDs started here are signalled.

VM_ADDR_HOST=10.231.77.1
VM_ADDR_GUEST=10.231.77.2
VM_NS=
VM_QEMU_PID=
VM_BOOTS=0
VM_T0=$(date +%s)

vm_elapsed() { echo $(($(date +%s) - VM_T0)); }

# vm_log TEXT: a line in the step log (and on stdout, for the test's log)
vm_log() {
	printf '[%4ss] %s\n' "$(vm_elapsed)" "$*" | tee -a "$VM_LOG"
}

vm_init() {	# NAME [SUITE [INIT]]
	local name=$1 suite=${2:-bookworm} init=${3:-systemd}
	VM_WORK=$T_TMP/vm
	VM_LOGDIR=${abs_top_builddir:-$srcdir}/tests/vm/logs/$name${NTPWIZ_VM_LOG_SUFFIX-}
	rm -rf "$VM_LOGDIR"
	mkdir -p "$VM_WORK" "$VM_LOGDIR" || return 1
	VM_LOG=$VM_LOGDIR/steps.log
	VM_SERIAL=$VM_LOGDIR/serial.log
	: >"$VM_LOG"
	: >"$VM_SERIAL"
	local t=$(date +%s)
	VM_IMAGE=$(bash "$srcdir/tests/vm/image.sh" "$suite" "$init") || return 1
	vm_log "image $VM_IMAGE ready in $(($(date +%s) - t)) s"
	cp "$VM_IMAGE/id_ed25519" "$VM_WORK/key" && chmod 600 "$VM_WORK/key"
	qemu-img create -q -f qcow2 -F raw -b "$VM_IMAGE/base.raw" "$VM_WORK/overlay.qcow2" >>"$VM_LOG" 2>&1
}

# KVM only where /dev/kvm really works: present, usable, and not the nested
# PVM host (kvm_pvm) on which a stock Debian kernel does not boot.
vm_accel() {
	if [ -n "${NTPWIZ_VM_ACCEL-}" ]; then
		echo "$NTPWIZ_VM_ACCEL"
	elif [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ] &&
		{ [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
		echo kvm
	else
		echo tcg
	fi
}

vm_net_up() {
	VM_NS=ntpwiz-vm-$$
	ip netns add "$VM_NS" || return 1
	_NETNS_NAMES+=("$VM_NS")
	ip -n "$VM_NS" link set lo up &&
		ip -n "$VM_NS" tuntap add dev tap0 mode tap &&
		ip -n "$VM_NS" addr add "$VM_ADDR_HOST/24" dev tap0 &&
		ip -n "$VM_NS" link set tap0 up || return 1
	cat >"$VM_WORK/server.conf" <<EOF
# the host-side time server: no sources, serves its own (untouched) clock
local stratum 8
allow $VM_ADDR_GUEST
bindaddress $VM_ADDR_HOST
cmdport 0
pidfile $VM_WORK/server.pid
EOF
	# tap0 has no carrier until QEMU opens it: chronyd binds anyway
	netns_start_chronyd "$VM_NS" "$VM_WORK/server.conf" "$VM_LOGDIR/server-chronyd.log" || return 1
	vm_log "namespace $VM_NS: tap0 $VM_ADDR_HOST, chronyd -x PID $NETNS_PID"
}

_vm_ssh_opts() {
	printf '%s\n' -i "$VM_WORK/key" -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=10 \
		-o ControlMaster=auto -o "ControlPath=$VM_WORK/ssh.ctl" -o ControlPersist=900 \
		-o ServerAliveInterval=10 -o ServerAliveCountMax=6
}

vm_ssh() {	# CMD (a shell command line run by the guest's root shell)
	local out rc opts
	mapfile -t opts < <(_vm_ssh_opts)
	{
		printf '[%4ss] guest# %s\n' "$(vm_elapsed)" "$*"
	} >>"$VM_LOG"
	out=$(timeout 900 ip netns exec "$VM_NS" ssh "${opts[@]}" "root@$VM_ADDR_GUEST" "$*" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" >>"$VM_LOG"
	printf '       (exit %s)\n' "$rc" >>"$VM_LOG"
	[ -n "$out" ] && printf '%s\n' "$out"
	return "$rc"
}

vm_put() {	# FILE... DEST
	local opts args=("$@") dest
	mapfile -t opts < <(_vm_ssh_opts)
	dest=${args[-1]}
	unset 'args[-1]'
	echo "[$(vm_elapsed)s] scp ${args[*]} -> guest:$dest" >>"$VM_LOG"
	timeout 300 ip netns exec "$VM_NS" scp -q "${opts[@]}" "${args[@]}" "root@$VM_ADDR_GUEST:$dest" >>"$VM_LOG" 2>&1
}

_vm_ssh_close() {
	local opts
	[ -S "$VM_WORK/ssh.ctl" ] || return 0
	mapfile -t opts < <(_vm_ssh_opts)
	timeout 10 ip netns exec "$VM_NS" ssh "${opts[@]}" -O exit "root@$VM_ADDR_GUEST" >/dev/null 2>&1
	rm -f "$VM_WORK/ssh.ctl"
}

# vm_boot: start QEMU on the overlay; wait for the boot marker and ssh.
# Sets VM_BOOT_SECONDS.
vm_boot() {
	local accel cpu append t0 i up
	accel=$(vm_accel)
	append="root=/dev/vda rw console=ttyS0 net.ifnames=0 quiet"
	if [ "$accel" = kvm ]; then
		cpu="-accel kvm -cpu host,-arch-capabilities"
	else
		cpu="-accel tcg,thread=single -cpu max"
		# the TSC ran 0.5 % slow under TCG: more than some daemons can slew
		append="$append clocksource=hpet"
	fi
	rm -f "$VM_WORK/qemu.pid" "$VM_WORK/serial.sock"
	t0=$(date +%s)
	# shellcheck disable=SC2086
	ip netns exec "$VM_NS" qemu-system-x86_64 $cpu -m 1024 -smp 1 -nodefaults -no-user-config \
		-kernel "$VM_IMAGE/vmlinuz" -initrd "$VM_IMAGE/initrd.img" -append "$append" \
		-drive "file=$VM_WORK/overlay.qcow2,if=virtio,format=qcow2,cache=unsafe" \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
		-device virtio-net-pci,netdev=n0 -device virtio-rng-pci \
		-chardev "socket,id=ser0,path=$VM_WORK/serial.sock,server=on,wait=off,logfile=$VM_WORK/serial.cur,logappend=on" \
		-serial chardev:ser0 \
		-display none -monitor none -no-reboot -daemonize -pidfile "$VM_WORK/qemu.pid" \
		>>"$VM_LOG" 2>&1 || { vm_log "QEMU did not start"; return 1; }
	VM_QEMU_PID=$(cat "$VM_WORK/qemu.pid")
	VM_BOOTS=$((VM_BOOTS + 1))
	vm_log "boot $VM_BOOTS: QEMU ($accel) PID $VM_QEMU_PID"
	up=no
	for i in $(seq 1 600); do
		grep -q NTPWIZ-GUEST-UP "$VM_WORK/serial.cur" 2>/dev/null && { up=yes; break; }
		[ -d "/proc/$VM_QEMU_PID" ] || { vm_log "QEMU ended during boot"; _vm_serial_keep; return 1; }
		sleep 1
	done
	_vm_serial_keep
	[ "$up" = yes ] || { vm_log "no boot marker after 600 s"; return 1; }
	vm_log "boot $VM_BOOTS: marker on the serial console after $(($(date +%s) - t0)) s"
	for i in $(seq 1 30); do
		vm_ssh true >/dev/null 2>&1 && break
		sleep 2
	done
	vm_ssh true >/dev/null 2>&1 || { vm_log "ssh did not answer"; return 1; }
	VM_BOOT_SECONDS=$(($(date +%s) - t0))
	vm_log "boot $VM_BOOTS: up (ssh answers) after $VM_BOOT_SECONDS s"
}

_vm_serial_keep() {
	cat "$VM_WORK/serial.cur" >>"$VM_SERIAL" 2>/dev/null
	: >"$VM_WORK/serial.cur" 2>/dev/null
}

# vm_wait_gone SECONDS: wait for QEMU to end (after a reboot or poweroff;
# -no-reboot makes a reboot end QEMU)
vm_wait_gone() {
	local i t0
	t0=$(date +%s)
	_vm_ssh_close
	for i in $(seq 1 "$1"); do
		[ -d "/proc/$VM_QEMU_PID" ] || {
			_vm_serial_keep
			vm_log "QEMU ended $(($(date +%s) - t0)) s after the shutdown began"
			return 0
		}
		sleep 1
	done
	_vm_serial_keep
	vm_log "QEMU still running $1 s after the shutdown began"
	return 1
}

vm_cleanup() {
	local comm
	_vm_ssh_close
	if [ -n "$VM_QEMU_PID" ] && [ -d "/proc/$VM_QEMU_PID" ]; then
		comm=$(cat "/proc/$VM_QEMU_PID/comm" 2>/dev/null)
		case $comm in qemu-system-x86*)
			kill -TERM "$VM_QEMU_PID" 2>/dev/null
			for _ in $(seq 1 50); do [ -d "/proc/$VM_QEMU_PID" ] || break; sleep 0.1; done
			kill -KILL "$VM_QEMU_PID" 2>/dev/null ;;
		esac
	fi
	[ -n "${VM_WORK-}" ] && _vm_serial_keep
	[ -n "${VM_MOUNTED-}" ] && umount "$VM_MOUNTED"
	netns_cleanup
	if [ "${T_FAIL:-0}" -gt 0 ] || [ "${VM_ABORTED:-0}" = 1 ]; then
		echo "---- step log ($VM_LOG) ----"
		cat "$VM_LOG" 2>/dev/null
		echo "---- serial console, last 60 lines ($VM_SERIAL) ----"
		tail -n 60 "$VM_SERIAL" 2>/dev/null
	fi
	rm -rf "$T_TMP"
}

# vm_put_binary FILE DEST: copies the host-built FILE to DEST in the guest,
# with each shared library it needs (ldd on the host) whose soname the
# guest's dynamic linker does not know, into /usr/local/lib/ntpwiz-host
# (registered with ldconfig). On a Debian 12 guest that is nothing but the
# sanitizer runtimes; on Debian 13 also libconfig.so.9 (Debian 13 has
# libconfig.so.11). Sets VM_COPIED_LIBS (the sonames copied).
vm_put_binary() {	# FILE DEST
	local known so path libs=()
	vm_put "$1" "$2" || return 1
	known=$(vm_ssh "ldconfig -p" 2>/dev/null) || return 1
	VM_COPIED_LIBS=
	while read -r so _ path _; do
		case $path in /*) ;; *) continue ;; esac
		printf '%s\n' "$known" | grep -q "^[[:space:]]*$so " && continue
		libs+=("$(readlink -f "$path")")
		VM_COPIED_LIBS="$VM_COPIED_LIBS $so"
	done < <(ldd "$1")
	[ ${#libs[@]} -gt 0 ] || return 0
	vm_ssh "mkdir -p /usr/local/lib/ntpwiz-host" >/dev/null || return 1
	vm_put "${libs[@]}" /usr/local/lib/ntpwiz-host/ || return 1
	# the copies keep their real names; the sonames are made by ldconfig
	vm_ssh "echo /usr/local/lib/ntpwiz-host >/etc/ld.so.conf.d/ntpwiz-host.conf && ldconfig" >/dev/null
	vm_log "copied the host's$VM_COPIED_LIBS (the guest has no such library)"
}
