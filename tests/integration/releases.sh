#!/bin/bash
# releases.sh: today's distribution releases (issue 13), each from its real
# os-release text (tests/data/roots/*-os-release; origins in
# tests/data/roots/README), in a sandbox root that is a systemd (or OpenRC)
# system: ntpwiz apply --root with the release's default daemon and no
# servers in the profile writes the release's config path with its default
# servers (NTS on Ubuntu 25.10+), enables the release's service name (the
# stand-in systemctl records it), and detect names the default daemon and
# the package to install. Then what the packages really install: "ntp" on
# Debian 12 with the transitional package writes NTPsec's file for the
# installed NTPsec (detect says so), on RHEL 10 and Amazon Linux 2023 it is
# refused with the reason and nothing is written.
#
# Safety: every ntpwiz run has --root under a temp folder, inside the host
# guard (as root: private mount namespace, host / read-only); service
# commands are the stand-ins of tests/lib/standins.
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

export PATH="$srcdir/tests/lib/standins:$PATH"
export NTPWIZ_STANDIN_LOG="$T_TMP/standin.log"
ROOTS=$srcdir/tests/data/roots

# release_root NAME INIT: a root with NAME's os-release; INIT systemd|openrc
release_root() {
	local r
	r=$(mktemp -d "$T_TMP/$1.XXXXXX")
	mkdir -p "$r/etc"
	cp "$ROOTS/$1-os-release" "$r/etc/os-release"
	if [ "$2" = systemd ]; then
		mkdir -p "$r/usr/lib/systemd"
		printf '#!/bin/sh\n' >"$r/usr/lib/systemd/systemd"
	else
		mkdir -p "$r/sbin"
		printf '#!/bin/sh\n' >"$r/sbin/openrc-run"
	fi
	echo "$r"
}

cat >"$T_TMP/defaults.cfg" <<'P'
version = 1;
apply = { backup = true; restart = true; stop_conflicting = true; install = false; };
P

json_field() {	# JSON-TEXT PYTHON-EXPR over j
	python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}

# name | init | default daemon | config path | service | package | server lines (;-separated)
while IFS='|' read -r name init daemon conf service package servers; do
	[ -n "$name" ] || continue
	r=$(release_root "$name" "$init")
	# the daemon's binary (a stub nothing runs): apply's pre-flight refuses a
	# daemon that is not installed under the root
	case $daemon in
	chrony) bin=/usr/sbin/chronyd ;;
	timesyncd) bin=/usr/lib/systemd/systemd-timesyncd ;;
	esac
	mkdir -p "$r${bin%/*}" && printf '#!/bin/sh\n' >"$r$bin" && chmod 755 "$r$bin"
	run_ntpwiz detect --root "$r" --json
	expect "$name: detect names the default daemon $daemon" \
		'[ "$(json_field "$OUT" "j[\"default_daemon\"]")" = "$daemon" ]'
	expect "$name: $daemon's package there is $package" \
		'[ "$(json_field "$OUT" "[d[\"install_package\"] for d in j[\"daemons\"] if d[\"daemon\"] == \"$daemon\"][0]")" = "$package" ]'
	: >"$NTPWIZ_STANDIN_LOG"
	run_ntpwiz apply "$T_TMP/defaults.cfg" --root "$r" --daemon "$daemon"
	expect "$name: apply --daemon $daemon exits 0" '[ "$RC" -eq 0 ]' ||
		printf '%s\n%s\n' "$OUT" "$ERR" | sed 's/^/#   /'
	expect "$name: $daemon's file is $conf" '[ -f "$r$conf" ] && head -1 "$r$conf" | grep -q "^# $conf: "'
	IFS=';' read -ra want <<<"$servers"
	for line in "${want[@]}"; do
		expect "$name: $conf has \"$line\"" 'grep -qxF "$line" "$r$conf"'
	done
	n_sources=$(grep -cE '^(server|pool) ' "$r$conf")
	[ "$daemon" = timesyncd ] || expect "$name: only the default sources (${#want[@]})" '[ "$n_sources" -eq "${#want[@]}" ]'
	if [ "$init" = systemd ]; then
		expect "$name: the service $service is enabled in the root" \
			'grep -qx "systemctl --root=$r enable $service" "$NTPWIZ_STANDIN_LOG"' ||
			sed 's/^/#   /' "$NTPWIZ_STANDIN_LOG"
	else
		expect "$name: no systemctl on OpenRC; the report names $service" \
			'! grep -q "^systemctl" "$NTPWIZ_STANDIN_LOG" && contains "$OUT" "$service"' ||
			printf '%s\n' "$OUT" | sed 's/^/#   /'
	fi
done <<'TABLE'
debian13|systemd|timesyncd|/etc/systemd/timesyncd.conf.d/ntpwiz.conf|systemd-timesyncd|systemd-timesyncd|NTP=2.debian.pool.ntp.org
ubuntu2404|systemd|timesyncd|/etc/systemd/timesyncd.conf.d/ntpwiz.conf|systemd-timesyncd|systemd-timesyncd|NTP=ntp.ubuntu.com 2.ubuntu.pool.ntp.org
ubuntu2604|systemd|chrony|/etc/chrony/chrony.conf|chrony|chrony|server 1.ntp.ubuntu.com iburst prefer nts;server 2.ntp.ubuntu.com iburst prefer nts;server 3.ntp.ubuntu.com iburst prefer nts;server 4.ntp.ubuntu.com iburst prefer nts
rhel10|systemd|chrony|/etc/chrony.conf|chronyd|chrony|pool 2.rhel.pool.ntp.org iburst
rocky10|systemd|chrony|/etc/chrony.conf|chronyd|chrony|pool 2.rocky.pool.ntp.org iburst
alma10|systemd|chrony|/etc/chrony.conf|chronyd|chrony|pool 2.almalinux.pool.ntp.org iburst
fedora43|systemd|chrony|/etc/chrony.conf|chronyd|chrony|pool 2.fedora.pool.ntp.org iburst
alpine322|openrc|chrony|/etc/chrony/chrony.conf|chronyd|chrony|pool pool.ntp.org iburst
opensuse-leap16|systemd|chrony|/etc/chrony.conf|chronyd|chrony|pool 2.opensuse.pool.ntp.org iburst
amzn2023|systemd|chrony|/etc/chrony.conf|chronyd|chrony|server 169.254.169.123 iburst prefer minpoll 4 maxpoll 4;pool time.aws.com iburst
TABLE

# NTS needs chrony's cookie dump on Ubuntu 26.04 (chrony 4.x, ntsdumpdir)
r=$(release_root ubuntu2604 systemd)
run_ntpwiz render "$T_TMP/defaults.cfg" --root "$r" --daemon chrony
expect "ubuntu2604: NTS servers come with ntsdumpdir" 'contains "$OUT" "ntsdumpdir /var/lib/chrony"'
# Ubuntu 24.04 still has the plain pools: no NTS
r=$(release_root ubuntu2404 systemd)
run_ntpwiz render "$T_TMP/defaults.cfg" --root "$r" --daemon chrony
expect "ubuntu2404: chrony gets Ubuntu's pools without NTS" \
	'contains "$OUT" "pool ntp.ubuntu.com iburst" && ! contains "$OUT" " nts"'

# --- what a package really installs -------------------------------------------------------
# Debian 12 with the "ntp" package: transitional, installs NTPsec.
r=$(release_root debian12 systemd)
mkdir -p "$r/var/lib/dpkg" "$r/usr/sbin" "$r/usr/bin"
cat >"$r/var/lib/dpkg/status" <<'DPKG'
Package: ntp
Status: install ok installed
Version: 1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1+deb12u1
Depends: ntpsec

Package: ntpsec
Status: install ok installed
Version: 1.2.2+dfsg1-1+deb12u1

DPKG
printf '\177ELF' >"$r/usr/sbin/ntpd"
printf '#!/usr/bin/python3\n' >"$r/usr/bin/ntpmon"
run_ntpwiz detect --root "$r" --json
expect "debian12+ntp: detect: ntp's package is there, NTPsec is what it installs" \
	'[ "$(json_field "$OUT" "[(d[\"installed\"], d[\"package\"], d[\"provided_by\"]) for d in j[\"daemons\"] if d[\"daemon\"] == \"ntp\"][0]")" = "(False, '"'"'ntp'"'"', '"'"'ntpsec'"'"')" ]' ||
	printf '%s\n' "$OUT" | sed 's/^/#   /'
expect "debian12+ntp: detect: ntpsec installed, version from dpkg" \
	'[ "$(json_field "$OUT" "[(d[\"installed\"], d[\"version\"], d[\"version_source\"]) for d in j[\"daemons\"] if d[\"daemon\"] == \"ntpsec\"][0]")" = "(True, '"'"'1.2.2+dfsg1-1+deb12u1'"'"', '"'"'dpkg'"'"')" ]'
run_ntpwiz detect --root "$r"
expect "debian12+ntp: detect's text names the transitional package and the file" \
	'contains "$OUT" "Package ntp 1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1+deb12u1 is installed: a transitional package that installs ntpsec, which reads /etc/ntpsec/ntp.conf."'
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/defaults.cfg" --root "$r" --daemon ntp
expect "debian12+ntp: apply --daemon ntp exits 0" '[ "$RC" -eq 0 ]' || printf '%s\n' "$ERR" | sed 's/^/#   /'
expect "debian12+ntp: it says why it writes NTPsec's file" \
	'contains "$ERR" "transitional package that installs NTPsec" && contains "$ERR" "/etc/ntpsec/ntp.conf"'
expect "debian12+ntp: the file the installed NTPsec reads is written, in NTPsec's language" \
	'[ -f "$r/etc/ntpsec/ntp.conf" ] && grep -q "^restrict default ignore$" "$r/etc/ntpsec/ntp.conf" && ! grep -q notrap "$r/etc/ntpsec/ntp.conf"'
expect "debian12+ntp: nothing at /etc/ntp.conf, which nothing reads" '[ ! -e "$r/etc/ntp.conf" ]'
expect "debian12+ntp: the ntpsec service is enabled" 'grep -qx "systemctl --root=$r enable ntpsec" "$NTPWIZ_STANDIN_LOG"'
expect "debian12+ntp: the file says why" 'grep -q "^# ntpd (ntp.org) was asked for" "$r/etc/ntpsec/ntp.conf"'
# negative control: with ntp.org's own ntpd there (built from source), ntp stays ntp
r2=$(release_root debian12 systemd)
mkdir -p "$r2/usr/sbin"
printf '\177ELF' >"$r2/usr/sbin/ntpd"
printf '\177ELF' >"$r2/usr/sbin/ntpdc"
run_ntpwiz apply "$T_TMP/defaults.cfg" --root "$r2" --daemon ntp
expect "control: ntp.org's ntpd built from source: /etc/ntp.conf in ntp.org's language" \
	'[ "$RC" -eq 0 ] && [ -f "$r2/etc/ntp.conf" ] && grep -q "^restrict -4 default ignore$" "$r2/etc/ntp.conf" && [ ! -e "$r2/etc/ntpsec/ntp.conf" ]'

for name in rhel10 rocky10 alma10 amzn2023; do
	r=$(release_root "$name" systemd)
	before=$(tree_state "$r")
	run_ntpwiz apply "$T_TMP/defaults.cfg" --root "$r" --daemon ntp
	expect "$name: ntp is refused (exit 1) with the reason" \
		'[ "$RC" -eq 1 ] && contains "$ERR" "no ntpd" && contains "$ERR" "use chrony"' || printf '%s\n' "$ERR" | sed 's/^/#   /'
	expect "$name: nothing written" '[ "$(tree_state "$r")" = "$before" ]'
done
# --- rpm versions: read by rpm itself (rpm --root), else unknown ---------------------------
r=$(release_root rhel10 systemd)
mkdir -p "$r/usr/lib/sysimage/rpm" "$r/usr/sbin"
printf '\177ELF' >"$r/usr/sbin/chronyd"
run_ntpwiz detect --root "$r" --json
expect "rhel10, no rpm program here: chrony installed, version unknown" \
	'[ "$(json_field "$OUT" "[(d[\"installed\"], d[\"version\"]) for d in j[\"daemons\"] if d[\"daemon\"] == \"chrony\"][0]")" = "(True, '"'"''"'"')" ] && [ "$(json_field "$OUT" "(j[\"rpm_database\"], j[\"rpm_read\"])")" = "(True, False)" ]'
run_ntpwiz detect --root "$r"
expect "rhel10, no rpm program: detect says why the versions are unknown" 'contains "$OUT" "no rpm program to read it"'
run_ntpwiz render "$T_TMP/defaults.cfg" --root "$r" --daemon chrony
expect "rhel10, version unknown: the file says so" 'contains "$OUT" "chrony'"'"'s version on this system is unknown"'
# a stand-in rpm answers as rpm -q --qf does
mkdir -p "$T_TMP/rpmbin"
cat >"$T_TMP/rpmbin/rpm" <<'RPM'
#!/bin/sh
printf '%s\n' "$*" >>"$NTPWIZ_STANDIN_LOG.rpm"
for a in "$@"; do
	case $a in
	chrony) echo "chrony 4.6.1-1.el10" ;;
	-*|--*|/*|%*) ;;
	*) echo "package $a is not installed"; st=1 ;;
	esac
done
exit ${st:-0}
RPM
chmod 755 "$T_TMP/rpmbin/rpm"
mkdir -p "$r/usr/share/zoneinfo"
: >"$r/usr/share/zoneinfo/leap-seconds.list"
PATH="$T_TMP/rpmbin:$PATH" run_ntpwiz detect --root "$r" --json
expect "rhel10 with rpm: chrony's version from rpm --root" \
	'[ "$(json_field "$OUT" "[(d[\"version\"], d[\"version_source\"]) for d in j[\"daemons\"] if d[\"daemon\"] == \"chrony\"][0]")" = "('"'"'4.6.1-1.el10'"'"', '"'"'rpm'"'"')" ]'
expect "rhel10 with rpm: it was asked with --root and the root's database" \
	'grep -q "^--root $r --dbpath /usr/lib/sysimage/rpm -q --qf " "$NTPWIZ_STANDIN_LOG.rpm"'
PATH="$T_TMP/rpmbin:$PATH" run_ntpwiz render "$T_TMP/defaults.cfg" --root "$r" --daemon chrony
expect "rhel10 with chrony 4.6 and the list: leapseclist" \
	'contains "$OUT" "leapseclist /usr/share/zoneinfo/leap-seconds.list" && ! contains "$OUT" "is unknown"'
finish
