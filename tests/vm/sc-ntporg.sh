# shellcheck shell=bash
# tests/vm/sc-ntporg.sh - issue 14, scenario 1 with the seeds' daemon:
# ntp.org's ntpd and ntpdate (what the seed documents installed), from
# Debian packages built by tests/vm/ntporg-deb.sh (Debian 12 and 13 have
# no ntp.org ntpd). Sourced by scenario.sh after its helpers; runs the ids
# of VM_SCENARIOS it knows:
#
#  ntp1  the seed state: the packages added to the guest's /srv/repo, then
#        `apt-get install ntp ntpdate` as the seeds did: ntp.org's ntpd
#        running as user ntp, enabled; ntpdate installed; `ntpwiz detect`
#        names ntp.org's ntpd (not NTPsec) installed/enabled/running and
#        ntpdate; `ntpwiz audit` on Debian 11's stock ntp.conf
#  ntp2  `ntpwiz apply` of an ntp.org profile (install = true; the seeds'
#        daemon kept, ntpwiz's file): ntpd restarted on it, ntpdate purged
#        (/usr/sbin/ntpdate gone), '*' on the host-side server, check 0, a
#        second apply changes and restarts nothing
#  ntp3  `ntpwiz apply` of chrony (install = true) from there: ntp removed
#        by apt (time-daemon), chrony running and enabled, '*', check 0
#  ntp4  `ntpwiz apply` of ntp.org again (install = true): apt installs our
#        ntp from /srv/repo (chrony goes), ntpd running, '*', check 0
#
# A wrapper with none of scenario.sh's own ids (1-5) ends the test here.

ntporg_ids=" ntp1 ntp2 ntp3 ntp4 "
case " $VM_SCENARIOS " in *" ntp"[1-4]" "*) ;; *) return 0 ;; esac

NTPORG_VERSION=2:4.2.8p10-0ntpwiz1
# ntpd_start: PID and start time (/proc/PID/stat field 22) of each ntpd
ntpd_start() { proc_start ntpd; }
pkg_version() { vm_ssh "dpkg-query -W -f='\${Version}' $1 2>/dev/null"; }
# detect_row JSON DAEMON: "installed/enabled/running package version"
detect_row() {
	json_field "$1" "[\"%s/%s/%s %s %s\" % (x[\"installed\"], x[\"enabled\"], x[\"running\"], x[\"package\"], x[\"version\"]) for x in j[\"daemons\"] if x[\"daemon\"]==\"$2\"][0]"
}
cat >"$T_TMP/ntporg.cfg" <<EOF
version = 1;
daemon = "ntp";
servers = ( { host = "$VM_ADDR_HOST"; iburst = true; } );
apply = { install = true; };
EOF
vm_put "$T_TMP/ntporg.cfg" /root/p/ || abort "the ntp.org profile copied into the guest"

# --- ntp1: the seeds' state ---------------------------------------------------
vm_log "== scenario ntp1: the seeds' ntp + ntpdate (ntp.org 4.2.8p10, ntporg-deb.sh)"
t0=$(date +%s)
DEBDIR=$(bash "$srcdir/tests/vm/ntporg-deb.sh") || abort "ntporg-deb.sh built the ntp and ntpdate packages"
vm_log "ntporg-deb.sh: $DEBDIR in $(($(date +%s) - t0)) s"
# the guest has no dpkg-scanpackages or apt-ftparchive (minbase): the
# stanzas come from the host's dpkg-scanpackages (DIR/Packages), appended
# to the repository's index, then apt-get update on the file: repository
vm_log "index tools in the guest: $(vm_ssh 'command -v dpkg-scanpackages apt-ftparchive || echo none')"
vm_ssh 'mkdir -p /srv/repo/ntporg-incoming' >/dev/null &&
	vm_put "$DEBDIR"/ntp_*.deb "$DEBDIR"/ntpdate_*.deb "$DEBDIR/Packages" /srv/repo/ntporg-incoming/ ||
	abort "the packages copied into the guest"
vm_ssh 'cd /srv/repo && mv ntporg-incoming/*.deb . && cat ntporg-incoming/Packages >>Packages && rm -r ntporg-incoming && apt-get -q update' >/dev/null ||
	abort "the packages added to /srv/repo (apt-get update)"
CAND=$(vm_ssh "apt-cache policy ntp | sed -n 's/^ *Candidate: //p'")
expect "apt's candidate for ntp is ours ($NTPORG_VERSION), not the transitional NTPsec one (got $CAND)" \
	'[ "$CAND" = "$NTPORG_VERSION" ]'
# the seeds: `apt-get install ntp` (their ntpdate was installed before)
t0=$(date +%s)
OUT=$(vm_ssh 'DEBIAN_FRONTEND=noninteractive apt-get install -y ntp ntpdate')
RC=$?
vm_log "seed: apt-get install ntp ntpdate took $(($(date +%s) - t0)) s, exit $RC"
expect "seed: apt-get install ntp ntpdate exits 0" '[ "$RC" = 0 ]'
expect "seed: ntp and ntpdate $NTPORG_VERSION installed (dpkg ii)" \
	'[ "$(pkg_state ntp)$(pkg_state ntpdate)" = "ii ii " ] && [ "$(pkg_version ntp)" = "$NTPORG_VERSION" ]'
expect "seed: NTPsec is not installed (not pulled in)" '[ "$(pkg_state ntpsec)" != "ii " ]'
expect "seed: ntp.service active and enabled" '[ "$(unit_state ntp)" = active/enabled ]'
NTPD_USER=$(vm_ssh 'ps -o user= -p "$(pidof ntpd)"')
expect "seed: ntpd runs as user ntp (the unit's -u ntp:ntp; got $NTPD_USER)" '[ "$NTPD_USER" = ntp ]'
NTPD_V=$(vm_ssh '/usr/sbin/ntpd --version' 2>&1)
expect "seed: /usr/sbin/ntpd is ntp.org's 4.2.8p10 (got: $NTPD_V)" 'contains "$NTPD_V" "ntpd 4.2.8p10"'
expect "seed: /usr/sbin/ntpdate belongs to our ntpdate package" \
	'[ "$(vm_ssh "dpkg -S /usr/sbin/ntpdate")" = "ntpdate: /usr/sbin/ntpdate" ]'
if [ "$VM_INIT" = systemd ]; then
	# ntp Provides/Conflicts time-daemon, as systemd-timesyncd does: apt removes it
	vm_log "seed: systemd-timesyncd after installing ntp: dpkg '$(pkg_state systemd-timesyncd)', $(unit_state systemd-timesyncd)"
	expect "seed: systemd-timesyncd does not run beside ntpd" \
		'[ "$(vm_ssh "systemctl is-active systemd-timesyncd")" != active ]'
fi
NTPQ=$(vm_ssh 'ntpq -pn')
expect "seed: ntpq -pn (the seeds' check) answers with its peer table" \
	'contains "$NTPQ" remote && contains "$NTPQ" refid && ! contains "$NTPQ" "***"'
DET=$(vm_ssh "$NW detect")
vm_log "seed: ntpwiz detect said:"$'\n'"$DET"
J=$(vm_ssh "$NW detect --json")
ROW=$(detect_row "$J" ntp)
expect "seed: detect --json: ntp (ntp.org) installed/enabled/running, package ntp $NTPORG_VERSION (got $ROW)" \
	'[ "$ROW" = "True/True/True ntp $NTPORG_VERSION" ]'
ROW=$(detect_row "$J" ntpsec)
expect "seed: detect --json: ntpsec not installed, not running (got $ROW)" 'case $ROW in False/*/False*) true ;; *) false ;; esac'
expect "seed: detect --json: ntpdate_installed true" '[ "$(json_field "$J" "j[\"ntpdate_installed\"]")" = True ]'
expect "seed: detect's text names ntpdate as installed and ntp with our version" \
	'contains "$DET" "installed (deprecated" && printf "%s\n" "$DET" | grep -Eq "^ntp +yes +$NTPORG_VERSION +yes +yes"'
AUD=$(vm_ssh "$NW audit")
ARC=$?
vm_log "seed: ntpwiz audit said (exit $ARC):"$'\n'"$AUD"
J=$(vm_ssh "$NW audit --json")
IDS=$(json_field "$J" '" ".join(sorted(set(f["id"] for f in j["findings"])))')
HIGH=$(json_field "$J" 'j["high"]')
vm_log "seed: audit findings: $IDS (high $HIGH)"
# Debian 11's stock file: restrict -4/-6 default kod notrap nomodify nopeer
# noquery limited shuts the amplification door, 127.0.0.1/::1 may query:
# no high finding. What it must name: ntpdate installed (info), 4.2.8p10
# older than 4.2.8p15's CVE fixes (medium), and the leapfile's state from
# the guest's own tzdata: expired (medium), expiring within 28 days (info)
# or nothing
LEAP=$(vm_ssh 'e=$(sed -n "s/^#@[[:space:]]*//p" /usr/share/zoneinfo/leap-seconds.list); n=$(($(date +%s) + 2208988800)); if [ "$e" -le "$n" ]; then echo leap-file-expired; elif [ $((e - n)) -lt $((28 * 86400)) ]; then echo leap-file-expiring; fi')
WANT_IDS=$(printf '%s\n' daemon-version-old ntpdate-installed $LEAP | sort | tr '\n' ' ')
expect "seed: audit of the stock ntp.conf: exit 0, no high finding (got exit $ARC, high $HIGH)" \
	'[ "$ARC" = 0 ] && [ "$HIGH" = 0 ]'
expect "seed: audit's findings are exactly: ${WANT_IDS% } (got $IDS)" '[ "$IDS " = "$WANT_IDS" ]'
expect "seed: audit read /etc/ntp.conf as ntp.org's file (daemons: $(json_field "$J" 'j["daemons"]'))" \
	'[ "$(json_field "$J" "j[\"daemons\"]")" = ntp ] && [ "$(json_field "$J" "\"/etc/ntp.conf\" in j[\"files\"]")" = True ]'
expect "seed: audit raises no amplification finding on the stock restrict lines" \
	'! contains "$IDS" ntp-default-noquery && ! contains "$IDS" ntp-monitor-exposed && ! contains "$IDS" ntp-no-default-restrict'

# --- ntp2: ntpwiz's file for the seeds' daemon --------------------------------
if runs ntp2; then
	vm_log "== scenario ntp2: ntpwiz apply of ntp.org (the seeds' daemon kept)"
	SEED_PID=$(ntpd_start)
	t0=$(date +%s)
	OUT=$(vm_ssh "$NW --json apply /root/p/ntporg.cfg")
	RC=$?
	vm_log "apply ntp.org took $(($(date +%s) - t0)) s, exit $RC; steps: $(json_field "$OUT" '"; ".join(s["name"]+"="+s["result"] for s in j["steps"])')"
	expect "ntp apply: exits 0" '[ "$RC" = 0 ]'
	expect "ntp apply: no step failed (got: $(failed_steps "$OUT"))" '[ -z "$(failed_steps "$OUT")" ]'
	expect "ntp apply: the install step is skipped (ntp is installed)" '[ "$(step_result "$OUT" install)" = skipped ]'
	expect "ntp apply: ntpdate purged (purge-ntpdate ok, dpkg: '$(pkg_state ntpdate)')" \
		'[ "$(step_result "$OUT" purge-ntpdate)" = ok ] && [ "$(pkg_state ntpdate)" != "ii " ]'
	expect "ntp apply: /usr/sbin/ntpdate is gone" '! vm_ssh "test -e /usr/sbin/ntpdate"'
	expect "ntp apply: restarted and verified" \
		'[ "$(json_field "$OUT" "(j[\"restarted\"], j[\"verified\"])")" = "(True, True)" ]'
	AFTER=$(ntpd_start)
	expect "ntp apply: ntpd was restarted (seed $SEED_PID, now $AFTER)" '[ -n "$AFTER" ] && [ "$SEED_PID" != "$AFTER" ]'
	expect "ntp apply: ntp.service active and enabled, ntpd still runs as ntp" \
		'[ "$(unit_state ntp)" = active/enabled ] && [ "$(vm_ssh "ps -o user= -p \$(pidof ntpd)")" = ntp ]'
	expect "ntp apply: /etc/ntp.conf has the profile's server line" \
		'vm_ssh "grep -qx \"server $VM_ADDR_HOST iburst\" /etc/ntp.conf"'
	if wait_star "$SYNC_BOUND"; then
		ok "ntp apply: monitor --once shows '*' on $VM_ADDR_HOST $TOOK s after the apply returned"
		vm_log "time to '*' (ntp.org ntpd) after the apply: $TOOK s"
	else
		not_ok "ntp apply: monitor --once shows '*' on $VM_ADDR_HOST within $SYNC_BOUND s"
	fi
	vm_log "monitor --once: $(vm_ssh "$NW monitor --once")"
	vm_ssh "$NW check /root/p/ntporg.cfg" >/dev/null
	RC=$?
	expect "ntp: ntpwiz check exits 0 after the apply" '[ "$RC" = 0 ]'
	J=$(vm_ssh "$NW detect --json")
	expect "ntp: detect --json: ntpdate no longer installed" '[ "$(json_field "$J" "j[\"ntpdate_installed\"]")" = False ]'
	BEFORE=$(ntpd_start)
	SUM=$(vm_ssh 'sha256sum /etc/ntp.conf')
	t0=$(date +%s)
	OUT=$(vm_ssh "$NW --json apply /root/p/ntporg.cfg")
	RC=$?
	vm_log "apply 2 (ntp.org, no change) took $(($(date +%s) - t0)) s, exit $RC"
	expect "ntp apply 2: exits 0, no change, no restart" \
		'[ "$RC" = 0 ] && [ "$(json_field "$OUT" "(j[\"changed\"], j[\"restarted\"])")" = "(False, False)" ]'
	expect "ntp apply 2: restarted nothing (ntpd PID:start time before $BEFORE, after $(ntpd_start))" \
		'[ -n "$BEFORE" ] && [ "$BEFORE" = "$(ntpd_start)" ]'
	expect "ntp apply 2: left the file's bytes alone" '[ "$SUM" = "$(vm_ssh "sha256sum /etc/ntp.conf")" ]'
fi

# --- ntp3: from the seeds' daemon to chrony -----------------------------------
if runs ntp3; then
	vm_log "== scenario ntp3: ntpwiz apply of chrony (install = true) from ntp.org's ntpd"
	t0=$(date +%s)
	OUT=$(vm_ssh "$NW --json apply /root/p/chrony.cfg")
	RC=$?
	vm_log "apply chrony took $(($(date +%s) - t0)) s, exit $RC; steps: $(json_field "$OUT" '"; ".join(s["name"]+"="+s["result"] for s in j["steps"])')"
	vm_log "ntp after it: dpkg '$(pkg_state ntp)', $(unit_state ntp)"
	expect "chrony apply: exits 0, no step failed (got: $(failed_steps "$OUT"))" \
		'[ "$RC" = 0 ] && [ -z "$(failed_steps "$OUT")" ]'
	expect "chrony apply: chrony installed, active and enabled" \
		'[ "$(pkg_state chrony)" = "ii " ] && [ "$(unit_state chrony)" = active/enabled ]'
	ST=$(unit_state ntp)
	expect "chrony apply: ntp neither running nor enabled (dpkg '$(pkg_state ntp)', $ST), no ntpd process" \
		'case $ST in active/* | */enabled) false ;; *) true ;; esac && ! vm_ssh "pidof ntpd" >/dev/null'
	if wait_star "$SYNC_BOUND"; then
		ok "chrony apply: '*' on $VM_ADDR_HOST $TOOK s after the apply returned"
		vm_log "time to '*' (chrony, after ntp.org) after the apply: $TOOK s"
	else
		not_ok "chrony apply: '*' on $VM_ADDR_HOST within $SYNC_BOUND s"
	fi
	vm_ssh "$NW check /root/p/chrony.cfg" >/dev/null
	RC=$?
	expect "chrony: ntpwiz check exits 0" '[ "$RC" = 0 ]'
	J=$(vm_ssh "$NW detect --json")
	ROW=$(detect_row "$J" ntp)
	WANT=$([ "$(pkg_state ntp)" = "ii " ] && echo True || echo False)
	expect "chrony: detect's ntp row agrees with dpkg ('$(pkg_state ntp)'): installed $WANT, not running (got $ROW)" \
		'case $ROW in "$WANT"/*/False*) true ;; *) false ;; esac'
fi

# --- ntp4: apply installs ntp.org's ntpd through apt ---------------------------
if runs ntp4; then
	vm_log "== scenario ntp4: ntpwiz apply of ntp.org with install = true from chrony"
	t0=$(date +%s)
	OUT=$(vm_ssh "$NW --json apply /root/p/ntporg.cfg")
	RC=$?
	vm_log "apply ntp.org (install) took $(($(date +%s) - t0)) s, exit $RC; steps: $(json_field "$OUT" '"; ".join(s["name"]+"="+s["result"] for s in j["steps"])')"
	vm_log "chrony after it: dpkg '$(pkg_state chrony)', $(unit_state chrony)"
	expect "ntp install apply: exits 0, no step failed (got: $(failed_steps "$OUT"))" \
		'[ "$RC" = 0 ] && [ -z "$(failed_steps "$OUT")" ]'
	expect "ntp install apply: apt installed ntp $NTPORG_VERSION (install ok; got $(pkg_state ntp)$(pkg_version ntp))" \
		'[ "$(step_result "$OUT" install)" = ok ] && [ "$(pkg_state ntp)" = "ii " ] && [ "$(pkg_version ntp)" = "$NTPORG_VERSION" ]'
	# (the package comes back with its kept /etc/ntp.conf, already ntpwiz's
	# bytes from ntp2: the install still gets enable, restart and verify)
	expect "ntp install apply: enabled, restarted and verified (got $(json_field "$OUT" "(j[\"restarted\"], j[\"verified\"])"))" \
		'[ "$(json_field "$OUT" "(j[\"restarted\"], j[\"verified\"])")" = "(True, True)" ] && [ "$(step_result "$OUT" enable)" = ok ]'
	expect "ntp install apply: ntp active and enabled, chrony not running" \
		'[ "$(unit_state ntp)" = active/enabled ] && ! vm_ssh "pidof chronyd" >/dev/null'
	expect "ntp install apply: /etc/ntp.conf has the profile's server line" \
		'vm_ssh "grep -qx \"server $VM_ADDR_HOST iburst\" /etc/ntp.conf"'
	if wait_star "$SYNC_BOUND"; then
		ok "ntp install apply: '*' on $VM_ADDR_HOST $TOOK s after the apply returned"
		vm_log "time to '*' (ntp.org ntpd, installed by apply) after the apply: $TOOK s"
	else
		not_ok "ntp install apply: '*' on $VM_ADDR_HOST within $SYNC_BOUND s"
	fi
	vm_ssh "$NW check /root/p/ntporg.cfg" >/dev/null
	RC=$?
	expect "ntp install apply: ntpwiz check exits 0" '[ "$RC" = 0 ]'
fi

# scenario.sh's own scenarios (seed -> chrony) start from timesyncd: not after these
case " $VM_SCENARIOS " in *" 1 "*) ;; *)
	vm_log "total $(vm_elapsed) s (ntp.org scenarios:$ntporg_ids)"
	finish
	exit ;;
esac
