# shellcheck shell=bash
# tests/vm/sc-daemons.sh - the real-host tier's scenarios for NTPsec and
# OpenNTPD (issue 14, scenarios 1 and 6), sourced by scenario.sh once the
# guest is up and the build under test is in it, when VM_SCENARIOS names
# one of them; it runs them and ends the test (finish; exit).
#
#   1n  the seed flow -> NTPsec: from Debian's default systemd-timesyncd,
#       `ntpwiz apply` of an ntpsec profile with apply.install = true
#   1o  -> OpenNTPD, the same with an openntpd profile
#   6n, 6o  scenario 6 for that daemon: `ntpwiz audit` on the package's
#       STOCK configuration (its ntp.conf / ntpd.conf and defaults file,
#       taken from the .deb in /srv/repo, md5 equal to dpkg's conffile
#       record), put in place of ntpwiz's files for the audit and put back
#       after; the raw monitor output kept (tests/data/peers fixtures)
#
# Chained in one guest (TCG is slow: one boot, one install each):
# timesyncd (the seed) -> NTPsec -> OpenNTPD. So 1n starts from the seed,
# and 1o starts from NTPsec as 1n left it: each apply installs its daemon
# with apply.install = true and switches from the one before (apt removes
# it: they all conflict on time-daemon), which is issue 14's defect 2 for
# real. Scenario 6's detect check runs at every step for chrony, NTPsec,
# OpenNTPD and timesyncd (dpkg "ii" vs "rc" vs absent; systemctl).
#
# Before 1o the guest's clock is set 300 s ahead (the guest's clock is its
# own): OpenNTPD's -s, which ntpwiz puts in /etc/default/openntpd on a first
# install (issue 14, defect 8), steps an offset over 180 s at start
# (ntpd.h: SETTIME_MIN_OFFSET 180); `ntpwiz probe` of the host-side server
# from the guest then shows the offset gone. Without -s OpenNTPD would slew
# 300 s at 500 ppm (days).
#
# Uses scenario.sh's helpers (vm_ssh, expect, json_field, step_result,
# failed_steps, pkg_state, wait_star, unit_state) and its variables (NW,
# VM_ADDR_HOST, T_TMP). systemd guests only (timesyncd is the seed).

[ "$VM_INIT" = systemd ] || abort "sc-daemons.sh needs a systemd guest (the seed is systemd-timesyncd)"

# dm DAEMON: sets D_PKG D_SVC D_CONF D_DEF D_PROC for ntpwiz's daemon name
dm() {
	D_DEF=
	case $1 in
	ntpsec) D_PKG=ntpsec D_SVC=ntpsec D_CONF=/etc/ntpsec/ntp.conf D_DEF=/etc/default/ntpsec D_PROC=ntpd ;;
	openntpd) D_PKG=openntpd D_SVC=openntpd D_CONF=/etc/openntpd/ntpd.conf D_DEF=/etc/default/openntpd D_PROC=ntpd ;;
	timesyncd) D_PKG=systemd-timesyncd D_SVC=systemd-timesyncd D_CONF=/etc/systemd/timesyncd.conf D_PROC=systemd-timesyncd ;;
	chrony) D_PKG=chrony D_SVC=chrony D_CONF=/etc/chrony/chrony.conf D_PROC=chronyd ;;
	esac
}

# detect_all WHEN: detect --json's installed/enabled/running for each daemon
# equal dpkg's "ii" and systemctl is-enabled / is-active
detect_all() {
	local j d got want st
	j=$(vm_ssh "$NW detect --json")
	for d in chrony ntpsec openntpd timesyncd; do
		dm "$d"
		got=$(json_field "$j" "[\"%s/%s/%s\" % (x[\"installed\"], x[\"enabled\"], x[\"running\"]) for x in j[\"daemons\"] if x[\"daemon\"]==\"$d\"][0]")
		st=$(pkg_state "$D_PKG" | tr -d ' ')
		want=$([ "$st" = ii ] && echo True || echo False)
		want=$want/$(vm_ssh "systemctl is-enabled --quiet $D_SVC 2>/dev/null" >/dev/null && echo True || echo False)
		want=$want/$(vm_ssh "systemctl is-active --quiet $D_SVC" >/dev/null && echo True || echo False)
		expect "$1: detect's $d installed/enabled/running = $got; dpkg (${st:-none}) and systemd say $want" \
			'[ "$got" = "$want" ]'
	done
}

# guest_offset: the host-side server's offset as `ntpwiz probe` sees it from
# the guest, in ms (the probe's own NTP client; "" if it did not answer)
guest_offset() {
	vm_ssh "$NW --json probe $VM_ADDR_HOST" | python3 -c 'import json,sys
for l in sys.stdin:
    if l.startswith("{"):
        j = json.loads(l)
        print("%.3f" % (j["hosts"][0]["addresses"][0]["offset"] * 1000))' 2>/dev/null
}

# vm_long SECONDS CMD: runs CMD in the guest detached from the ssh session
# (vm_ssh gives up after 900 s and its end kills what runs: the first run's
# apply, installing ntpsec with python3 under TCG, was killed that way
# half-way through dpkg), polls every 10 s for at most SECONDS, prints CMD's
# output (stdout and stderr) and returns its exit status (124: still
# running at the bound)
vm_long() {
	local bound=$1 t0 rc
	shift
	vm_ssh "rm -f /root/long.out /root/long.rc; nohup sh -c '$* >/root/long.out 2>&1; echo \$? >/root/long.rc' >/dev/null 2>&1 &" >/dev/null
	t0=$(date +%s)
	while [ $(($(date +%s) - t0)) -lt "$bound" ]; do
		sleep 10
		rc=$(vm_ssh "cat /root/long.rc 2>/dev/null" 2>/dev/null) && [ -n "$rc" ] && break
	done
	vm_ssh "cat /root/long.out" 2>/dev/null
	[ -n "$rc" ] || return 124
	return "$rc"
}

DM_PREV=timesyncd
DM_PROBED=

# seed_flow DAEMON ID SERVER-OPTIONS: scenario 1 (ID 1n / 1o) for DAEMON,
# switching from DM_PREV
seed_flow() {
	local d=$1 id=$2 opts=$3 prev=$DM_PREV bound OUT RC T SYNCED DETAIL ST BEFORE AFTER SUM MON off
	local P_PKG P_SVC
	dm "$prev"
	P_PKG=$D_PKG P_SVC=$D_SVC
	dm "$d"
	vm_log "== scenario $id: seed flow ($prev -> $d, apply.install = true)"
	cat >"$T_TMP/$d.cfg" <<EOF
version = 1;
daemon = "$d";
servers = ( { host = "$VM_ADDR_HOST";$opts } );
apply = { install = true; };
EOF
	vm_put "$T_TMP/$d.cfg" /root/p/ || abort "profile $d.cfg copied into the guest"
	expect "$id before: $P_SVC is active and enabled (got $(unit_state "$P_SVC"))" \
		'[ "$(unit_state "$P_SVC")" = active/enabled ]'
	expect "$id before: $D_PKG is not installed (dpkg '$(pkg_state "$D_PKG")')" '[ "$(pkg_state "$D_PKG")" != "ii " ]'
	if [ "$d" = openntpd ]; then
		# defect 8: start OpenNTPD far enough off for its -s to step
		vm_ssh 'date -s "+300 seconds" >/dev/null' >/dev/null
		off=$(guest_offset)
		vm_log "$id: the guest's clock set 300 s ahead; probe offset of the host-side server now $off ms"
		expect "$id before: the guest is about 300 s off the host-side server (probe: $off ms)" \
			'python3 -c "import sys; sys.exit(not abs(abs(float(\"$off\")) - 300000) < 5000)"'
	fi

	T=$(date +%s)
	OUT=$(vm_long 2400 "$NW --json apply /root/p/$d.cfg")
	RC=$?
	T=$(($(date +%s) - T))
	vm_log "$id: apply 1 (install $d, switch from $prev) took $T s, exit $RC"
	expect "$id apply 1 printed its --json report" 'json_field "$OUT" "j[\"steps\"]" >/dev/null'
	vm_log "$id: steps: $(json_field "$OUT" '"; ".join(s["name"]+"="+s["result"]+" "+s["detail"][:160] for s in j["steps"])')"
	expect "$id apply 1 exits 0" '[ "$RC" = 0 ]'
	expect "$id apply 1: no step failed (got: $(failed_steps "$OUT"))" '[ -z "$(failed_steps "$OUT")" ]'
	expect "$id apply 1: --json errors [] (got: $(json_field "$OUT" 'j["errors"]'); warnings: $(json_field "$OUT" 'j["warnings"]'))" \
		'[ "$(json_field "$OUT" "len(j[\"errors\"])")" = 0 ]'
	expect "$id apply 1: restarted and verified" \
		'[ "$(json_field "$OUT" "(j[\"restarted\"], j[\"verified\"])")" = "(True, True)" ]'
	if [ "$d" = openntpd ]; then
		expect "$id apply 1: OpenNTPD's own check (ntpd -n) ran on the file (got: $(step_result "$OUT" check))" \
			'[ "$(step_result "$OUT" check)" = ok ]'
	fi
	expect "$id: $D_PKG is installed (dpkg ii)" '[ "$(pkg_state "$D_PKG")" = "ii " ]'
	expect "$id: $D_SVC is running and enabled" '[ "$(unit_state "$D_SVC")" = active/enabled ]'
	ST=$(unit_state "$P_SVC")
	expect "$id: $P_SVC is neither running nor enabled (got $ST; dpkg '$(pkg_state "$P_PKG")')" \
		'case $ST in active/* | */enabled) false ;; *) true ;; esac'
	expect "$id: $D_CONF has the profile's server line" \
		'vm_ssh "grep -Eq \"^server $VM_ADDR_HOST( |\$)\" $D_CONF"'

	# defect 8: verify tells "running, not yet synchronised" from "synchronised"
	SYNCED=$(json_field "$OUT" 'j["synchronised"]')
	DETAIL=$(json_field "$OUT" '[s["detail"] for s in j["steps"] if s["name"] == "verify"][0]')
	MON=$(vm_ssh "$NW monitor --once")
	vm_log "$id: verify said synchronised=$SYNCED ($DETAIL)"
	if [ "$SYNCED" = True ]; then
		expect "$id: verify said synchronised, and monitor --once right after shows '*' on $VM_ADDR_HOST" \
			'printf "%s\n" "$MON" | grep -q "^\* $VM_ADDR_HOST "'
	else
		expect "$id: verify said not synchronised, in words: 'running, not yet synchronised' (got: $DETAIL)" \
			'[ "$SYNCED" = False ] && contains "$DETAIL" "not yet synchronised"'
	fi
	if [ "$d" = openntpd ]; then
		expect "$id: /etc/default/openntpd has -s in DAEMON_OPTS (defect 8)" \
			'vm_ssh "grep -Eq \"^DAEMON_OPTS=.*(^|[ \\\"])-s( |\\\"|\$)\" /etc/default/openntpd"'
		expect "$id: the running OpenNTPD was started with -s" \
			'vm_ssh "for p in \$(pidof ntpd); do tr \"\\0\" \" \" </proc/\$p/cmdline; echo; done" | grep -Eq "(^| )-s( |$)"'
		off=$(guest_offset)
		vm_log "$id: probe offset of the host-side server after apply 1: $off ms"
		expect "$id: OpenNTPD stepped the clock at start: probe offset now under 1 s (got $off ms; was about -300000)" \
			'[ -n "$off" ] && python3 -c "import sys; sys.exit(not abs(float(\"$off\")) < 1000)"'
		vm_ssh "journalctl -b -u openntpd --no-pager | tail -n 20" >/dev/null
	fi

	bound=$SYNC_BOUND
	[ "$d" = openntpd ] && bound=${NTPWIZ_VM_SYNC_BOUND_OPENNTPD:-600}
	if wait_star "$bound"; then
		ok "$id: monitor --once shows '*' on $VM_ADDR_HOST $TOOK s after apply 1 returned (bound $bound s)"
		vm_log "$id: time to '*' after apply 1: $TOOK s (apply took $T s)"
	else
		not_ok "$id: monitor --once shows '*' on $VM_ADDR_HOST within $bound s"
	fi
	MON=$(vm_ssh "$NW monitor --once")
	vm_log "$id: monitor --once:"$'\n'"$MON"
	if [ -z "$DM_PROBED" ]; then
		# ntpwiz's own NTP client, from the guest, across the tap device
		PROBE=$(vm_ssh "$NW probe $VM_ADDR_HOST")
		RC=$?
		expect "$id: probe $VM_ADDR_HOST from the guest: exit 0, usable at stratum 8 (got: $(printf '%s' "$PROBE" | tail -n 1))" \
			'[ "$RC" = 0 ] && contains "$PROBE" "$VM_ADDR_HOST: usable: $VM_ADDR_HOST answers at stratum 8"'
		DM_PROBED=1
	fi
	detect_all "$id after apply 1"
	dm "$d"	# (detect_all went through every daemon's names)
	vm_ssh "$NW check /root/p/$d.cfg" >/dev/null
	RC=$?
	expect "$id: ntpwiz check exits 0 after the apply" '[ "$RC" = 0 ]'

	BEFORE=$(proc_start "$D_PROC")
	SUM=$(vm_ssh "sha256sum $D_CONF $D_DEF")
	T=$(date +%s)
	OUT=$(vm_ssh "$NW --json apply /root/p/$d.cfg")
	RC=$?
	vm_log "$id: apply 2 (no change) took $(($(date +%s) - T)) s, exit $RC"
	expect "$id apply 2 exits 0" '[ "$RC" = 0 ]'
	expect "$id apply 2 reports no change and no restart" \
		'[ "$(json_field "$OUT" "(j[\"changed\"], j[\"restarted\"])")" = "(False, False)" ]'
	AFTER=$(proc_start "$D_PROC")
	expect "$id apply 2 restarted nothing ($D_PROC PID:start time: $AFTER)" \
		'[ "$BEFORE" = "$AFTER" ] && [ -n "$AFTER" ]'
	expect "$id apply 2 left $D_CONF${D_DEF:+ and $D_DEF} alone" \
		'[ "$SUM" = "$(vm_ssh "sha256sum $D_CONF $D_DEF")" ]'
	DM_PREV=$d
}

# stock_audit DAEMON ID: scenario 6 (6n / 6o): audit on the package's stock
# configuration. What an operator should get (computed in the guest, not
# assumed): no high finding; the leap list's expiry, as the guest's own
# list says it: expired is medium where the daemon reads it (NTPsec's
# leapfile) and info where it does not (OpenNTPD), expiring within 28 days
# is info; a leftover note for each daemon that
# apt removed but left its file (dpkg "rc"), here NTPsec under 6o; nothing
# else.
stock_audit() {
	local d=$1 id=$2 deb md5 rec A T ids want exp now leap_sev rc_notes RC x
	dm "$d"
	vm_log "== scenario $id: audit on $D_PKG's stock configuration"
	deb=$(vm_ssh "ls /srv/repo/${D_PKG}_*.deb | head -n 1")
	vm_ssh "rm -rf /root/stock-$d && dpkg-deb -x $deb /root/stock-$d && cp -p $D_CONF /root/ntpwiz-$d.conf ${D_DEF:+&& cp -p $D_DEF /root/ntpwiz-$d.default}" >/dev/null ||
		abort "$id: the stock files taken from $deb"
	md5=$(vm_ssh "md5sum </root/stock-$d$D_CONF | cut -d' ' -f1")
	rec=$(vm_ssh "dpkg-query -W -f='\${Conffiles}\n' $D_PKG | awk '\$1 == \"$D_CONF\" {print \$2}'")
	expect "$id: the stock $D_CONF (from $deb) is dpkg's conffile (md5 $md5, dpkg $rec)" \
		'[ -n "$md5" ] && [ "$md5" = "$rec" ]'
	vm_ssh "cp /root/stock-$d$D_CONF $D_CONF ${D_DEF:+&& cp /root/stock-$d$D_DEF $D_DEF}" >/dev/null
	A=$(vm_ssh "$NW --json audit")
	T=$(vm_ssh "$NW audit")
	vm_log "$id: ntpwiz audit on the stock files:"$'\n'"$T"
	vm_ssh "cp -p /root/ntpwiz-$d.conf $D_CONF ${D_DEF:+&& cp -p /root/ntpwiz-$d.default $D_DEF}" >/dev/null
	vm_ssh "$NW check /root/p/$d.cfg" >/dev/null
	RC=$?
	expect "$id: ntpwiz's files back in place (check exits 0)" '[ "$RC" = 0 ]'

	ids=$(json_field "$A" '" ".join(sorted("%s:%s" % (f["id"], f["severity"]) for f in j["findings"]))')
	exp=$(vm_ssh "awk '/^#@/ {print \$2 - 2208988800}' /usr/share/zoneinfo/leap-seconds.list")
	now=$(vm_ssh 'date +%s')
	want=
	if [ -n "$exp" ] && [ "$exp" -le "$now" ]; then
		leap_sev=info
		[ "$d" = ntpsec ] && leap_sev=medium	# its stock file has "leapfile"
		want="leap-file-expired:$leap_sev"
	elif [ -n "$exp" ] && [ $((exp - now)) -lt $((28 * 86400)) ]; then
		want="leap-file-expiring:info"	# audit.c's LEAP_SOON_DAYS
	fi
	vm_log "$id: the guest's leap-seconds.list expires $(date -u -d "@${exp:-0}" +%F) (now $(date -u -d "@$now" +%F))"
	# a daemon whose package is in dpkg's "rc" state and whose file is still there
	rc_notes=
	for x in chrony ntpsec openntpd; do
		dm "$x"
		if [ "$(pkg_state "$D_PKG" | tr -d ' ')" = rc ] && vm_ssh "test -e $D_CONF" >/dev/null; then
			rc_notes="$rc_notes leftover-config:info"
		fi
	done
	dm "$d"
	want=$(printf '%s\n' $want $rc_notes | sort | tr '\n' ' ' | sed 's/ *$//;s/^ *//')
	expect "$id: audit of $d's stock files: exit 0, 0 high (got $(json_field "$A" 'j["high"]'))" \
		'[ "$(json_field "$A" "j[\"high\"]")" = 0 ]'
	expect "$id: audit names $d and $D_CONF" \
		'[ "$(json_field "$A" "j[\"daemons\"]")" = "$d" ] && [ "$(json_field "$A" "\"$D_CONF\" in j[\"files\"]")" = True ]'
	expect "$id: the findings are what an operator should get, and no others (want: ${want:-none}; got: ${ids:-none})" \
		'[ "$ids" = "$want" ]'
	vm_log "$id: audit findings on the stock configuration: ${ids:-none}"
	# the live daemon's raw monitor output, for tests/data/peers
	case $d in
	ntpsec)
		vm_ssh "ntpq -pn" >"$VM_LOGDIR/ntpsec-live-pn.txt"
		vm_ssh "ntpq -n -c 'rv 0 leap,stratum,refid,reftime,offset,rootdelay,rootdisp' -c peers" >"$VM_LOGDIR/ntpsec-live.txt" ;;
	openntpd) vm_ssh "ntpctl -s all" >"$VM_LOGDIR/openntpd-live.txt" ;;
	esac
}

vm_log "== seed: systemd-timesyncd (scenarios $VM_SCENARIOS, chained: timesyncd -> NTPsec -> OpenNTPD)"
expect "seed: systemd-timesyncd is active and enabled" '[ "$(unit_state systemd-timesyncd)" = active/enabled ]'
expect "seed: the image kept its apt lists (ntpsec and openntpd from /srv/repo)" \
	'vm_ssh "apt-cache policy ntpsec openntpd | grep -c file:/srv/repo" | grep -qx 2'
detect_all "seed"
# python3 (NTPsec's ntpq and python3-ntp need it) is installed before the
# seed flow, as on most Debian hosts: under TCG its byte-compiling took
# most of the first run's apply, and ntpwiz gives apt-get 15 minutes
# (INSTALL_TIMEOUT_MS). ntpsec, python3-ntp and the switch itself stay in
# the timed apply.
if runs 1n && [ "$(pkg_state python3)" != "ii " ]; then
	T=$(date +%s)
	vm_long 2400 "DEBIAN_FRONTEND=noninteractive apt-get install -y python3" >/dev/null
	RC=$?
	vm_log "python3 installed before the seed flow in $(($(date +%s) - T)) s, exit $RC"
	expect "seed: python3 installed from /srv/repo (exit $RC), timesyncd still active and enabled" \
		'[ "$RC" = 0 ] && [ "$(unit_state systemd-timesyncd)" = active/enabled ]'
fi
for sc in n:ntpsec o:openntpd; do
	x=${sc%%:*}
	runs "1$x" || continue
	opts=" iburst = true;"
	[ "${sc#*:}" = openntpd ] && opts=""	# OpenNTPD has no iburst
	seed_flow "${sc#*:}" "1$x" "$opts"
	runs "6$x" && stock_audit "${sc#*:}" "6$x"
done
vm_log "total $(vm_elapsed) s"
finish
exit
