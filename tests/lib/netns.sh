#!/bin/bash
# shellcheck shell=bash
#
# tests/lib/netns.sh - real time daemons running in private network
# namespaces, for the end-to-end tests (sourced; needs root). Builds on
# daemons.sh (the extracted packages).
#
#   netns_pair S C ADDR_S ADDR_C   two namespaces joined by a veth pair (/30)
#   netns_start_chronyd NS CONF LOG [ARG...]
#                                  chronyd -x -d -u root ARG... -f CONF in NS
#   netns_start_ntpsec NS CONF LOG NTPsec's ntpd -n -c CONF in NS
#                                  (CONF must say `disable ntp`, `disable kernel`)
#   netns_stop PID                 TERM, then KILL after 5 s; only our daemons
#   netns_ntpq DIR                 makes DIR/ntpq: NTPsec's ntpq from the cache
#   netns_run NS CMD...            CMD in NS with a private, empty /run
#   netns_cleanup                  stops what was started, deletes the namespaces
#
# Other generations (see daemons.sh; GEN is deb12, deb13 or ntporg):
#   netns_start_gen DAEMON GEN NS CONF LOG [ARG...]
#                                  DAEMON chrony|ntpsec|ntp of GEN in NS; a
#                                  Debian 13 daemon runs as `chroot ROOT` on a
#                                  copy of CONF inside the root, with tmpfs over
#                                  ROOT/run, ROOT/var/lib, ROOT/var/log; ntp
#                                  (ntporg) is ntp.org's ntpd -n -c CONF
#   netns_tools DAEMON GEN DIR     makes DIR/chronyc or DIR/ntpq (+ DIR/ntpdc
#                                  for ntporg): that generation's monitor tool
#                                  (Debian 13's through chroot)
#   netns_conf_path                the path a started daemon got its CONF at
#                                  (NETNS_CONF; inside the root for deb13)
#
# The PID of a started daemon is left in NETNS_PID (the daemon's own: every
# step execs). Safety (DAEMONS.md): no daemon can touch the clock (chronyd
# -x; ntpd with `disable ntp`/`disable kernel`; both under setpriv without
# CAP_SYS_TIME), each in a mount namespace with tmpfs over /run, /var/lib
# and /var/log; traffic stays in the namespaces; every wait is bounded; only
# the PIDs started here are signalled.

_NETNS_NAMES=()
_NETNS_PIDS=()
NETNS_PID=

netns_pair() {	# S C ADDR_S ADDR_C
	ip netns add "$1" || return 1
	_NETNS_NAMES+=("$1")
	ip netns add "$2" || return 1
	_NETNS_NAMES+=("$2")
	ip -n "$1" link add vs type veth peer name vc netns "$2" &&
		ip -n "$1" addr add "$3/30" dev vs &&
		ip -n "$2" addr add "$4/30" dev vc &&
		ip -n "$1" link set vs up && ip -n "$2" link set vc up &&
		ip -n "$1" link set lo up && ip -n "$2" link set lo up
}

# _netns_start NS COMM LOG CMD...: CMD in NS, its own mount namespace with
# tmpfs over /run /var/lib /var/log, without CAP_SYS_TIME; waits (3 s at
# most) until the process is COMM.
# With NETNS_ROOT set (a Debian 13 root), the tmpfs go over that root's
# folders and CMD is run through `chroot NETNS_ROOT`.
_netns_start() {
	local ns=$1 comm=$2 log=$3 i
	shift 3
	ip netns exec "$ns" unshare -m --propagation private sh -c '
		r=$1
		shift
		for d in /run /var/lib /var/log; do
			mount -t tmpfs -o mode=0755,size=16m ntpwiz-netns "$r$d" || exit 1
		done
		for d in /run/chrony /var/lib/chrony /var/log/chrony /var/lib/ntpsec /var/log/ntpsec /var/lib/ntp /var/log/ntp; do
			mkdir -p "$r$d" || exit 1
		done
		if [ -n "$r" ]; then
			mount -t proc proc "$r/proc" || exit 1
			exec setpriv --bounding-set=-sys_time --inh-caps=-all -- chroot "$r" "$@"
		fi
		exec setpriv --bounding-set=-sys_time --inh-caps=-all -- "$@"' netns-daemon "${NETNS_ROOT-}" "$@" \
		</dev/null >>"$log" 2>&1 &
	NETNS_PID=$!
	_NETNS_PIDS+=("$NETNS_PID")
	for i in $(seq 1 30); do
		[ "$(cat "/proc/$NETNS_PID/comm" 2>/dev/null)" = "$comm" ] && return 0
		[ -d "/proc/$NETNS_PID" ] || break
		sleep 0.1
	done
	[ "$(cat "/proc/$NETNS_PID/comm" 2>/dev/null)" = "$comm" ]
}

netns_start_chronyd() {	# NS CONF LOG [ARG...]
	local ns=$1 conf=$2 log=$3 bin
	shift 3
	bin=$(daemons_bin chrony) || return 1
	_netns_start "$ns" chronyd "$log" "$bin" -x -d -u root "$@" -f "$conf"
}

netns_start_ntpsec() {	# NS CONF LOG
	local bin
	bin=$(daemons_bin ntpsec) || return 1
	if ! grep -qx 'disable ntp' "$2" || ! grep -qx 'disable kernel' "$2"; then
		echo "netns_start_ntpsec: $2 must say 'disable ntp' and 'disable kernel'" >&2
		return 1
	fi
	_netns_start "$1" ntpd "$3" "$bin" -n -c "$2"
}

NETNS_CONF=
_NETNS_STAGED=()

netns_start_gen() {	# DAEMON GEN NS CONF LOG [ARG...]
	local daemon=$1 gen=$2 ns=$3 conf=$4 log=$5 root dir
	shift 5
	case $daemon in
	chrony | ntpsec | ntp) ;;
	*) echo "netns_start_gen: unknown daemon '$daemon'" >&2; return 1 ;;
	esac
	if [ "$daemon" != chrony ] &&
		{ ! grep -qx 'disable ntp' "$conf" || ! grep -qx 'disable kernel' "$conf"; }; then
		echo "netns_start_gen: $conf must say 'disable ntp' and 'disable kernel'" >&2
		return 1
	fi
	NETNS_CONF=$conf
	case $daemon:$gen in
	chrony:deb12 | ntpsec:deb12)
		[ "$daemon" = chrony ] && { netns_start_chronyd "$ns" "$conf" "$log" "$@"; return; }
		netns_start_ntpsec "$ns" "$conf" "$log"
		return ;;
	chrony:deb13 | ntpsec:deb13)
		root=$(daemons_root13 "$daemon") || return 1
		dir=$(mktemp -d "$root/tmp/ntpwiz-netns.XXXXXX") || return 1
		_NETNS_STAGED+=("$dir")
		chmod 755 "$dir"
		cp "$conf" "$dir/" || return 1
		NETNS_CONF=${dir#"$root"}/${conf##*/}
		if [ "$daemon" = chrony ]; then
			NETNS_ROOT=$root _netns_start "$ns" chronyd "$log" \
				/usr/sbin/chronyd -x -d -u root "$@" -f "$NETNS_CONF"
		else
			NETNS_ROOT=$root _netns_start "$ns" ntpd "$log" /usr/sbin/ntpd -n -c "$NETNS_CONF"
		fi
		return ;;
	ntp:ntporg)
		dir=$(daemons_ntporg_dir) || return 1
		_netns_start "$ns" ntpd "$log" "$dir/ntpd" -n -c "$conf" "$@"
		return ;;
	esac
	echo "netns_start_gen: no generation '$gen' for $daemon" >&2
	return 1
}

netns_tools() {	# DAEMON GEN DIR
	local daemon=$1 gen=$2 dir=$3 root t
	mkdir -p "$dir" || return 1
	case $daemon:$gen in
	chrony:deb12)
		ln -sf "$(daemons_cache_dir)/chrony/usr/bin/chronyc" "$dir/chronyc" ;;
	ntpsec:deb12)
		netns_ntpq "$dir" ;;
	chrony:deb13 | ntpsec:deb13)
		root=$(daemons_root13 "$daemon") || return 1
		t=chronyc
		[ "$daemon" = ntpsec ] && t=ntpq
		printf '#!/bin/sh\nexec chroot %s /usr/bin/%s "$@"\n' "$root" "$t" >"$dir/$t" &&
			chmod 755 "$dir/$t" ;;
	ntp:ntporg)
		root=$(daemons_ntporg_dir) || return 1
		ln -sf "$root/ntpq" "$dir/ntpq" && ln -sf "$root/ntpdc" "$dir/ntpdc" ;;
	*)
		echo "netns_tools: no generation '$gen' for $daemon" >&2
		return 1 ;;
	esac
}

netns_stop() {	# PID
	local pid=$1 i=0 comm
	[ -n "$pid" ] || return 0
	comm=$(cat "/proc/$pid/comm" 2>/dev/null)
	case $comm in chronyd | ntpd) ;; *) return 0 ;; esac
	kill -TERM "$pid" 2>/dev/null
	while [ -d "/proc/$pid" ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# NTPsec's ntpq is Python: its modules and libntpc.so from python3-ntp.
netns_ntpq() {	# DIR
	local dir=$1 cache f
	cache=$(daemons_cache_dir)
	[ -x "$cache/ntpsec/usr/bin/ntpq" ] || return 1
	command -v python3 >/dev/null 2>&1 || return 1
	mkdir -p "$dir/pyntp/ntp" || return 1
	for f in "$cache"/python3-ntp/usr/lib/python3/dist-packages/ntp/*.py; do
		ln -sf "$f" "$dir/pyntp/ntp/" || return 1
	done
	f=$(ls "$cache"/python3-ntp/usr/lib/x86_64-linux-gnu/ntp/libntpc.so.1.* 2>/dev/null | head -n 1)
	[ -n "$f" ] || return 1
	ln -sf "$f" "$dir/pyntp/ntp/libntpc.so"
	printf '#!/bin/sh\nPYTHONPATH=%s exec python3 %s "$@"\n' "$dir/pyntp" \
		"$cache/ntpsec/usr/bin/ntpq" >"$dir/ntpq" && chmod 755 "$dir/ntpq"
}

netns_run() {	# NS CMD...
	local ns=$1
	shift
	ip netns exec "$ns" unshare -m --propagation private sh -c \
		'mount -t tmpfs -o size=1m ntpwiz-netns-run /run && exec "$@"' netns-run "$@"
}

netns_cleanup() {
	local pid ns
	for pid in "${_NETNS_PIDS[@]}"; do
		netns_stop "$pid"
	done
	_NETNS_PIDS=()
	for ns in "${_NETNS_NAMES[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	_NETNS_NAMES=()
	for ns in "${_NETNS_STAGED[@]}"; do
		rm -rf "$ns"
	done
	_NETNS_STAGED=()
}
