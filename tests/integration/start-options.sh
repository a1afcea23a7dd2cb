#!/bin/bash
# start-options.sh: issue 16 section 7, the profile's
#   start = { user = "NAME"; family = "any"|"ipv4"|"ipv6"; };
# through `ntpwiz preview/apply/rollback/import --root SANDBOX`, on Debian,
# RHEL (Fedora) and Alpine layouts: the bytes written to the distribution's
# defaults file (/etc/default/chrony DAEMON_OPTS, /etc/sysconfig/chronyd
# OPTIONS, /etc/sysconfig/ntpd OPTIONS, /etc/conf.d/chronyd ARGS), an
# existing -u/-4/-6 replaced and the operator's other options kept, the
# service's own user writing nothing, the refusals (naming the daemon and
# the field), backup and rollback of both files as one change, import.
#
# Real daemons (when they are cached and namespaces can be made, as root):
# Debian 12's chronyd started the way chrony.service does
# (chronyd $DAEMON_OPTS, with the file ntpwiz wrote sourced) plus -x -d and
# a test config in a private network namespace: it runs as the user named
# and binds the NTP port for the family asked; NTPsec's ntpd, under setpriv
# without CAP_SYS_TIME, with disable ntp / disable kernel, binds only the
# family of -4 / -6 and takes -u (it logs its attempt to drop root, which
# the missing capability makes fail: the safety rule, not the option).
#
# Safety: every ntpwiz run has --root under a temp folder, with the stand-in
# systemctl/chronyc first on PATH (tests/lib/standins); as root the script
# runs with the host's / read-only (hostguard.sh). The daemons run only in
# namespaces made here (unshare -n: loopback only), chronyd with -x, ntpd
# under setpriv --bounding-set=-sys_time; each is killed by its PID.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

export PATH="$srcdir/tests/lib/standins:$PATH"
export NTPWIZ_STANDIN_LOG="$T_TMP/standin.log"
unset STANDIN_FAIL_RESTART STANDIN_FAIL STANDIN_IS_ACTIVE STANDIN_IS_ENABLED \
	STANDIN_RESTART_HOOK STANDIN_STOP_HOOK STANDIN_CHRONYC STANDIN_CHRONYC_FAIL_FIRST \
	STANDIN_CHRONYC_SYNC_AT STANDIN_JOURNAL STANDIN_JOURNAL_FAIL STANDIN_NTPQ STANDIN_NTPCTL
cache=${NTPWIZ_TEST_CACHE:-$HOME/.cache/ntpwiz-tests}

json() {
	python3 -c 'import json,sys; j=json.loads(sys.argv[2]); v=eval(sys.argv[1]); print(json.dumps(v) if not isinstance(v,str) else v)' "$1" "$OUT" 2>/dev/null
}

# profile NAME DAEMON START [SERVER]: a client profile with this start group
profile() {
	cat >"$T_TMP/$1.cfg" <<P
version = 1;
daemon = "$2";
servers = ( { host = "${4:-192.0.2.1}"; kind = "server"; iburst = true; } );
restrict = { policy = "client-only"; };
start = { $3 };
P
}

# new_root OS-RELEASE DAEMON-BINARIES...: a sandbox root with systemd (or
# OpenRC for Alpine), stub daemons and an /etc/passwd with the test's user
new_sandbox() {
	local r os=$1
	shift
	r=$(mktemp -d "$T_TMP/root.XXXXXX")
	mkdir -p "$r/etc/default" "$r/etc/sysconfig" "$r/etc/conf.d" "$r/usr/sbin" "$r/usr/bin"
	cp "$srcdir/tests/data/roots/$os-os-release" "$r/etc/os-release"
	if [ "$os" = alpine322 ]; then
		mkdir -p "$r/sbin" "$r/etc/init.d" "$r/etc/runlevels/default"
		printf '#!/bin/sh\nexit 0\n' >"$r/sbin/openrc-run"
		printf '#!/bin/sh\nexit 0\n' >"$r/etc/init.d/chronyd"
		chmod 755 "$r/sbin/openrc-run" "$r/etc/init.d/chronyd"
	else
		mkdir -p "$r/lib/systemd"
		printf '#!/bin/sh\nexit 0\n' >"$r/lib/systemd/systemd"
		chmod 755 "$r/lib/systemd/systemd"
	fi
	for f in "$@"; do
		printf '#!/bin/sh\nexit 0\n' >"$r$f"
		chmod 755 "$r$f"
	done
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'ntpwiz-t:x:990:990::/nonexistent:/usr/sbin/nologin' \
		'chrony2:x:991:991::/nonexistent:/usr/sbin/nologin' >"$r/etc/passwd"
	echo "$r"
}

# --- the packages' own defaults files (cached Debian 12; else their text) ---------------
if [ -f "$cache/deb12/chrony/etc/default/chrony" ]; then
	cp "$cache/deb12/chrony/etc/default/chrony" "$T_TMP/default-chrony"
else
	printf '%s\n' '# This is a configuration file for /etc/init.d/chrony and' \
		'# /lib/systemd/system/chrony.service; it allows you to pass various options to' \
		'# the chrony daemon without editing the init script or service file.' '' \
		'# Options to pass to chrony.' 'DAEMON_OPTS="-F 1"' >"$T_TMP/default-chrony"
fi
check "fixture: Debian's /etc/default/chrony has DAEMON_OPTS=\"-F 1\"" \
	grep -qx 'DAEMON_OPTS="-F 1"' "$T_TMP/default-chrony"
# Fedora's chrony.spec writes this file; Alpine's aports main/chrony/chronyd.confd
printf '# Command-line options for chronyd\nOPTIONS="-F 2"\n' >"$T_TMP/sysconfig-chronyd"
printf '%s\n' '# /etc/conf.d/chronyd' '' 'CFGFILE="/etc/chrony/chrony.conf"' '' 'ARGS=""' '' \
	'test -c /dev/rtc && {' "       grep -q '^rtcfile' \"\${CFGFILE}\" && ARGS=\"\${ARGS} -s\"" '}' \
	>"$T_TMP/confd-chronyd"

DEF=/etc/default/chrony
CONF=/etc/chrony/chrony.conf

# === Debian 12: chrony ==============================================================
profile deb-u4 chrony 'user = "ntpwiz-t"; family = "ipv4";'
root=$(new_sandbox debian12 /usr/sbin/chronyd)
cp "$T_TMP/default-chrony" "$root$DEF"
sed 's|^DAEMON_OPTS="-F 1"$|DAEMON_OPTS="-F 1 -u ntpwiz-t -4"|' "$T_TMP/default-chrony" >"$T_TMP/want1"

run_ntpwiz preview "$T_TMP/deb-u4.cfg" --root "$root"
expect "preview: exit 0, names $DEF and DAEMON_OPTS, shows the line it would write" \
	'[ "$RC" = 0 ] && contains "$OUT" "ntpwiz would also change $DEF" && contains "$OUT" "DAEMON_OPTS: -u ntpwiz-t -4" && printf "%s\n" "$OUT" | grep -qxF "+DAEMON_OPTS=\"-F 1 -u ntpwiz-t -4\"" && printf "%s\n" "$OUT" | grep -qxF -- "-DAEMON_OPTS=\"-F 1\""'
run_ntpwiz check "$T_TMP/deb-u4.cfg" --root "$root"
expect "check: exit 2 (changes needed)" '[ "$RC" = 2 ]'
run_ntpwiz apply "$T_TMP/deb-u4.cfg" --root "$root" --json
expect "apply: exit 0, defaults_path $DEF, defaults_changed true" \
	'[ "$RC" = 0 ] && [ "$(json "j[\"defaults_path\"]")" = "$DEF" ] && [ "$(json "j[\"defaults_changed\"]")" = true ]'
check "apply: $DEF is the stock file with -u ntpwiz-t -4 added to DAEMON_OPTS, every other byte kept" \
	cmp -s "$root$DEF" "$T_TMP/want1"
bk=$(ls "$root/var/backups/ntpwiz/" | grep '^etc_default_chrony\.' || true)
expect "apply: a backup etc_default_chrony.STAMP with the stock bytes" \
	'[ -n "$bk" ] && cmp -s "$root/var/backups/ntpwiz/$bk" "$T_TMP/default-chrony"'
expect "apply: the config file was written too" '[ -s "$root$CONF" ]'
cp "$root$CONF" "$T_TMP/conf1"
run_ntpwiz apply "$T_TMP/deb-u4.cfg" --root "$root" --json
expect "a second apply: exit 0, nothing changed" \
	'[ "$RC" = 0 ] && [ "$(json "j[\"changed\"]")" = false ] && [ "$(json "j[\"defaults_changed\"]")" = false ]'
run_ntpwiz preview "$T_TMP/deb-u4.cfg" --root "$root"
expect "preview after apply: the defaults file already starts the daemon as asked" \
	'[ "$RC" = 0 ] && contains "$OUT" "$DEF already starts the daemon as the profile asks"'

# import reads the options back
run_ntpwiz import --root "$root" --daemon chrony
expect "import: the profile has start = { user = \"ntpwiz-t\"; family = \"ipv4\"; }" \
	'[ "$RC" = 0 ] && printf "%s\n" "$OUT" | grep -qxF "start = { user = \"ntpwiz-t\"; family = \"ipv4\"; };"'
printf '%s\n' "$OUT" >"$T_TMP/imported.cfg"
run_ntpwiz check "$T_TMP/imported.cfg" --root "$root"
expect "the imported profile: check says nothing to change (exit 0)" '[ "$RC" = 0 ]'

# a second change (another server, -6, the service's own user): rollback
# walks back both files of that run
profile deb-6 chrony 'user = "_chrony"; family = "ipv6";' 192.0.2.2
run_ntpwiz apply "$T_TMP/deb-6.cfg" --root "$root"
expect "another apply: -4 becomes -6, -u ntpwiz-t goes (_chrony is the service's own user)" \
	'[ "$RC" = 0 ] && grep -qx "DAEMON_OPTS=\"-F 1 -6\"" "$root$DEF" && [ "$(grep -c "^DAEMON_OPTS=" "$root$DEF")" = 1 ] && grep -q "192.0.2.2" "$root$CONF"'
run_ntpwiz rollback --root "$root"
expect "rollback: exit 0, $DEF and $CONF both have the first apply's bytes again" \
	'[ "$RC" = 0 ] && cmp -s "$root$DEF" "$T_TMP/want1" && cmp -s "$root$CONF" "$T_TMP/conf1"'
expect "rollback: says it restored $DEF" 'contains "$OUT$ERR" "$DEF restored from"'

# the operator's other options are kept; an existing -u and -6 are replaced
root=$(new_sandbox debian12 /usr/sbin/chronyd)
printf '# mine\nDAEMON_OPTS="-F 1 -r -u root -6 -m" # keep this comment\n' >"$root$DEF"
run_ntpwiz apply "$T_TMP/deb-u4.cfg" --root "$root"
expect "-u root and -6 replaced, -F 1 -r -m and the comment kept, nothing doubled" \
	'[ "$RC" = 0 ] && [ "$(cat "$root$DEF")" = "$(printf "# mine\nDAEMON_OPTS=\"-F 1 -r -m -u ntpwiz-t -4\" # keep this comment")" ]'

# the service's own user on a root without the file: nothing written
profile deb-own chrony 'user = "_chrony";'
root=$(new_sandbox debian12 /usr/sbin/chronyd)
run_ntpwiz apply "$T_TMP/deb-own.cfg" --root "$root" --json
expect "user _chrony (Debian's chrony already runs as _chrony): no $DEF written" \
	'[ "$RC" = 0 ] && [ ! -e "$root$DEF" ] && [ "$(json "j[\"defaults_changed\"]")" = false ]'

# family "any" removes -4/-6
profile deb-any chrony 'family = "any";'
root=$(new_sandbox debian12 /usr/sbin/chronyd)
printf 'DAEMON_OPTS="-4 -F 1"\n' >"$root$DEF"
run_ntpwiz apply "$T_TMP/deb-any.cfg" --root "$root"
expect "family any: -4 removed, -F 1 kept" '[ "$RC" = 0 ] && [ "$(cat "$root$DEF")" = "DAEMON_OPTS=\"-F 1\"" ]'

# a value ntpwiz does not edit: refused, saying what to add by hand
root=$(new_sandbox debian12 /usr/sbin/chronyd)
printf 'DAEMON_OPTS="$EXTRA -F 1"\n' >"$root$DEF"
before=$(tree_state "$root")
run_ntpwiz apply "$T_TMP/deb-u4.cfg" --root "$root"
expect "DAEMON_OPTS with \$: exit 1, names the variable and -u ntpwiz-t -4 to add by hand, nothing written" \
	'[ "$RC" = 1 ] && contains "$ERR" "DAEMON_OPTS is set in a way ntpwiz does not edit" && contains "$ERR" "add -u ntpwiz-t -4" && [ "$(tree_state "$root")" = "$before" ]'

# --- refusals: the daemon and the field named, nothing written -----------------------
profile nouser chrony 'user = "nobody7";'
root=$(new_sandbox debian12 /usr/sbin/chronyd)
cp "$T_TMP/default-chrony" "$root$DEF"
before=$(tree_state "$root")
run_ntpwiz apply "$T_TMP/nouser.cfg" --root "$root"
expect "a user not in the target's /etc/passwd: exit 1, names start.user and the user, nothing written" \
	'[ "$RC" = 1 ] && contains "$ERR" "start.user" && contains "$ERR" "nobody7" && contains "$ERR" "/etc/passwd" && [ "$(tree_state "$root")" = "$before" ]'
run_ntpwiz render "$T_TMP/nouser.cfg" --root "$root"
expect "render refuses it too (exit 1)" '[ "$RC" = 1 ] && contains "$ERR" "start.user"'

profile o-user openntpd 'user = "ntpwiz-t";'
profile o-fam openntpd 'family = "ipv6";'
profile t-user timesyncd 'user = "ntpwiz-t";'
profile t-fam timesyncd 'family = "ipv4";'
profile n-user ntpsec 'user = "ntpwiz-t";'
root=$(new_sandbox debian12 /usr/sbin/chronyd)
before=$(tree_state "$root")
run_ntpwiz apply "$T_TMP/o-user.cfg" --root "$root"
expect "OpenNTPD with start.user: exit 1, names OpenNTPD, start.user and its privilege separation" \
	'[ "$RC" = 1 ] && contains "$ERR" "start.user" && contains "$ERR" "OpenNTPD has no -u" && contains "$ERR" "separates privileges"'
run_ntpwiz apply "$T_TMP/o-fam.cfg" --root "$root"
expect "OpenNTPD with start.family ipv6: exit 1, names start.family, says it has no -4/-6" \
	'[ "$RC" = 1 ] && contains "$ERR" "start.family" && contains "$ERR" "OpenNTPD has no -4 or -6"'
run_ntpwiz apply "$T_TMP/t-user.cfg" --root "$root"
expect "timesyncd with start.user: exit 1, points at its unit (systemd-timesync)" \
	'[ "$RC" = 1 ] && contains "$ERR" "start.user" && contains "$ERR" "systemd-timesyncd.service"'
run_ntpwiz apply "$T_TMP/t-fam.cfg" --root "$root"
expect "timesyncd with start.family: exit 1, names start.family" \
	'[ "$RC" = 1 ] && contains "$ERR" "start.family" && contains "$ERR" "systemd-timesyncd"'
run_ntpwiz apply "$T_TMP/n-user.cfg" --root "$root"
expect "NTPsec on Debian with start.user: exit 1, names the wrapper that appends its own -u" \
	'[ "$RC" = 1 ] && contains "$ERR" "start.user" && contains "$ERR" "ntp-systemd-wrapper" && contains "$ERR" "-u ntpsec:ntpsec"'
expect "no refusal wrote anything" '[ "$(tree_state "$root")" = "$before" ]'

profile bad-fam chrony 'family = "ipv5";'
run_ntpwiz render "$T_TMP/bad-fam.cfg"
expect "family = \"ipv5\": a profile error naming start.family and the accepted values" \
	'[ "$RC" = 1 ] && contains "$ERR" "start.family" && contains "$ERR" "any, ipv4, ipv6"'
profile bad-user chrony 'user = "-x";'
run_ntpwiz render "$T_TMP/bad-user.cfg"
expect "user = \"-x\": refused, naming start.user" '[ "$RC" = 1 ] && contains "$ERR" "start.user"'

# === RHEL (Fedora 43): chrony and ntp.org's ntpd ========================================
profile rh-c chrony 'user = "chrony2"; family = "ipv6";'
root=$(new_sandbox fedora43 /usr/sbin/chronyd)
cp "$T_TMP/sysconfig-chronyd" "$root/etc/sysconfig/chronyd"
run_ntpwiz apply "$T_TMP/rh-c.cfg" --root "$root"
expect "Fedora chrony: /etc/sysconfig/chronyd OPTIONS=\"-F 2 -u chrony2 -6\", the comment kept" \
	'[ "$RC" = 0 ] && [ "$(cat "$root/etc/sysconfig/chronyd")" = "$(printf "# Command-line options for chronyd\nOPTIONS=\"-F 2 -u chrony2 -6\"")" ] && [ -s "$root/etc/chrony.conf" ]'
run_ntpwiz rollback --root "$root"
expect "Fedora: rollback restores /etc/sysconfig/chronyd's bytes and removes the new config" \
	'[ "$RC" = 0 ] && cmp -s "$root/etc/sysconfig/chronyd" "$T_TMP/sysconfig-chronyd" && [ ! -e "$root/etc/chrony.conf" ]'
profile rh-n ntp 'family = "ipv4";'
root=$(new_sandbox fedora43 /usr/sbin/ntpd)
printf 'OPTIONS="-g"\n' >"$root/etc/sysconfig/ntpd"
run_ntpwiz apply "$T_TMP/rh-n.cfg" --root "$root"
expect "RHEL ntpd: /etc/sysconfig/ntpd OPTIONS=\"-g -4\"" \
	'[ "$RC" = 0 ] && [ "$(cat "$root/etc/sysconfig/ntpd")" = "OPTIONS=\"-g -4\"" ]'

# === Alpine 3.22 (OpenRC): chrony ==========================================================
profile al chrony 'user = "ntpwiz-t"; family = "ipv4";'
root=$(new_sandbox alpine322 /usr/sbin/chronyd)
cp "$T_TMP/confd-chronyd" "$root/etc/conf.d/chronyd"
sed 's|^ARGS=""$|ARGS="-u ntpwiz-t -4"|' "$T_TMP/confd-chronyd" >"$T_TMP/want-al"
run_ntpwiz apply "$T_TMP/al.cfg" --root "$root"
expect "Alpine: /etc/conf.d/chronyd ARGS=\"-u ntpwiz-t -4\", the script lines after it kept" \
	'[ "$RC" = 0 ] && cmp -s "$root/etc/conf.d/chronyd" "$T_TMP/want-al"'
run_ntpwiz rollback --root "$root"
expect "Alpine: rollback restores /etc/conf.d/chronyd" \
	'[ "$RC" = 0 ] && cmp -s "$root/etc/conf.d/chronyd" "$T_TMP/confd-chronyd"'

# === real daemons: what the written options do =======================================
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"
chronyd_bin=$(daemons_bin chrony 2>/dev/null || true)
ntpsec_bin=$(daemons_bin ntpsec 2>/dev/null || true)
if [ "$(id -u)" != 0 ] || ! daemons_can_isolate || [ ! -x "$chronyd_bin" ]; then
	echo "# real daemons skipped: needs root, namespaces and the cached Debian 12 chronyd"
else
	mkdir -p "$T_TMP/run"
	chmod 755 "$T_TMP" "$T_TMP/run"
	printf '%s\n' 'port 11123' 'allow' 'cmdport 0' 'bindcmdaddress /' \
		"pidfile $T_TMP/run/chronyd.pid" >"$T_TMP/real.conf"
	# run_chronyd ROOT: chronyd as chrony.service starts it, with the root's
	# /etc/default/chrony; prints "USER SOCKET..." of the NTP port
	run_chronyd() {
		timeout 30 unshare -n bash -c '
ip link set lo up
. "$1/etc/default/chrony"
"$2" $DAEMON_OPTS -x -d -f "$3" >"$4" 2>&1 &
pid=$!
for i in $(seq 1 20); do sleep 0.5; ss -H -uln | grep -q ":11123 " && break; done
echo "$(ps -o user= -p $pid)" $(ss -H -uln | awk "{print \$4}" | grep ":11123$" | sort)
kill $pid; wait $pid' _ "$1" "$chronyd_bin" "$T_TMP/real.conf" "$T_TMP/chronyd.log"
	}
	for fam in ipv4 ipv6 any; do
		profile "real-$fam" chrony "user = \"nobody\"; family = \"$fam\";"
		root=$(new_sandbox debian12 /usr/sbin/chronyd)
		echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >>"$root/etc/passwd"
		cp "$T_TMP/default-chrony" "$root$DEF"
		run_ntpwiz apply "$T_TMP/real-$fam.cfg" --root "$root"
		got=$(run_chronyd "$root")
		case $fam in
		ipv4) want="nobody 0.0.0.0:11123" ;;
		ipv6) want="nobody [::]:11123" ;;
		any) want="nobody 0.0.0.0:11123 [::]:11123" ;;
		esac
		expect "real chronyd 4.3 with the written DAEMON_OPTS ($(grep '^DAEMON_OPTS=' "$root$DEF")): runs as nobody, NTP port on $fam (got: $got)" \
			'[ "$RC" = 0 ] && [ "$got" = "$want" ]'
	done
	if [ -x "$ntpsec_bin" ] && command -v setpriv >/dev/null 2>&1; then
		printf '%s\n' 'server 127.0.0.1 iburst' 'disable ntp' 'disable kernel' \
			"driftfile $T_TMP/ntp.drift" >"$T_TMP/ntp.conf"
		# run_ntpsec OPTIONS...: the sockets of port 123 NTPsec binds
		run_ntpsec() {
			timeout 30 unshare -n bash -c '
ip link set lo up
conf=$1 log=$2 bin=$3; shift 3
setpriv --bounding-set=-sys_time --inh-caps=-all "$bin" -n "$@" -c "$conf" >"$log" 2>&1 &
pid=$!
for i in $(seq 1 20); do sleep 0.5; ss -H -uln | grep -q ":123 " && break; done
echo $(ss -H -uln | awk "{print \$4}" | grep ":123$" | grep -v "127.0.0.1\|::1" | sort)
kill $pid 2>/dev/null; wait $pid' _ "$T_TMP/ntp.conf" "$T_TMP/ntpsec.log" "$ntpsec_bin" "$@"
		}
		expect "real NTPsec ntpd -4: only the IPv4 wildcard" '[ "$(run_ntpsec -4)" = "0.0.0.0:123" ]'
		expect "real NTPsec ntpd -6: only the IPv6 wildcard" '[ "$(run_ntpsec -6)" = "[::]:123" ]'
		run_ntpsec -4 -u nobody >/dev/null
		expect "real NTPsec ntpd -u nobody: taken (it tries to drop root, which setpriv forbids)" \
			'grep -q "Command line: .* -u nobody" "$T_TMP/ntpsec.log" && grep -q "drop root privs" "$T_TMP/ntpsec.log"'
	fi
fi

# Arch: no verified file: refused
profile arch chrony 'family = "ipv4";'
root=$(new_sandbox debian12 /usr/sbin/chronyd)
printf 'ID=arch\nNAME="Arch Linux"\n' >"$root/etc/os-release"
run_ntpwiz render "$T_TMP/arch.cfg" --root "$root"
expect "Arch: refused, naming start and saying ntpwiz does not know where its options live" \
	'[ "$RC" = 1 ] && contains "$ERR" "start" && contains "$ERR" "does not know where"'

finish
