#!/bin/bash
# shellcheck shell=bash
#
# tests/lib/hostguard.sh - run test code that writes "under --root" in a
# private mount namespace where the machine's own root file system is
# read-only, so a bug that ignores --root fails with EROFS instead of
# writing the real /etc, /var/lib, /var/log, /var/backups or /run.
#
#   hostguard_enter "$@"   at the top of a script, BEFORE anything creates
#                          temp files: as root, re-runs the script inside
#                          the guard (non-root: returns at once, since the
#                          host's system folders are not writable anyway)
#   hostguard_exec CMD...  runs one command inside the guard (as root)
#   hostguard_active       0 when /etc is not writable here
#
# Inside the guard only the temp folders (/tmp, $TMPDIR) and the folders in
# NTPWIZ_HOSTGUARD_RW (space-separated) stay writable, plus the mounts that
# are separate file systems already (/dev, /proc, /sys, /run/netns, ...).
# Files opened before entering (e.g. automake's .log) stay writable.

_hostguard_mounts() {
	local d
	mount --make-rprivate / || return 1
	# shellcheck disable=SC2086  # a list of folders
	for d in /tmp "${TMPDIR:-/tmp}" ${NTPWIZ_HOSTGUARD_RW-}; do
		[ -d "$d" ] || continue
		mountpoint -q "$d" && continue
		mount --bind "$d" "$d" || return 1
	done
	mount -o remount,bind,ro / || return 1
}

hostguard_active() {
	[ ! -w /etc ]
}

hostguard_enter() {
	[ "$(id -u)" = 0 ] || return 0
	if [ "${NTPWIZ_HOSTGUARD-}" = 1 ]; then
		if ! _hostguard_mounts; then
			echo "hostguard: cannot make the host's root file system read-only in a private mount namespace" >&2
			exit 99
		fi
		return 0
	fi
	if ! command -v unshare >/dev/null 2>&1; then
		echo "hostguard: unshare not found: refusing to run as root without the guard" >&2
		exit 99
	fi
	NTPWIZ_HOSTGUARD=1 exec unshare -m --propagation private bash "$0" "$@"
}

hostguard_exec() {
	if [ "$(id -u)" != 0 ]; then
		"$@"
		return
	fi
	unshare -m --propagation private bash -c \
		"$(declare -f _hostguard_mounts)"'
		_hostguard_mounts || { echo "hostguard: cannot set up the guard" >&2; exit 99; }
		exec "$@"' hostguard "$@"
}
