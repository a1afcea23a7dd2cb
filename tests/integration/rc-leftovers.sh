#!/bin/bash
# rc-leftovers.sh: a package removed but not purged (dpkg's "rc" state)
# leaves its configuration file behind. Seen on a real Debian 12 guest
# (issue 14): with only timesyncd installed, `ntpwiz audit` said "audit of
# chrony,ntpsec,openntpd,timesyncd" and audited files no daemon reads. On a
# sandbox root as an operator runs it: timesyncd installed (its binary and
# an "ii" dpkg stanza), chrony in state "rc" with its chrony.conf left:
# detect says chrony is not installed; audit audits timesyncd only and
# notes the leftover file.
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"

DEBIAN=$(cat "$srcdir/tests/data/roots/debian12-os-release")
ROOTS=$srcdir/tests/data/roots

root=$(new_root "$DEBIAN")
mkdir -p "$root/etc/chrony" "$root/etc/systemd/timesyncd.conf.d" "$root/lib/systemd" \
	"$root/var/lib/dpkg"
cp "$ROOTS/debian12-chrony.conf" "$root/etc/chrony/chrony.conf"
printf '[Time]\nNTP=192.0.2.1\n' >"$root/etc/systemd/timesyncd.conf.d/ntpwiz.conf"
: >"$root/lib/systemd/systemd-timesyncd"
chmod 755 "$root/lib/systemd/systemd-timesyncd"
cat >"$root/var/lib/dpkg/status" <<'DPKG'
Package: systemd-timesyncd
Status: install ok installed
Version: 252.36-1~deb12u1

Package: chrony
Status: deinstall ok config-files
Version: 4.3-2+deb12u1
DPKG

run_ntpwiz detect --root "$root" --json
expect "detect: exit 0" '[ "$RC" -eq 0 ]'
expect "detect: timesyncd installed, chrony (rc) not" \
	'python3 -c "import json,sys; d={x[\"daemon\"]: x for x in json.loads(sys.argv[1])[\"daemons\"]}; sys.exit(0 if d[\"timesyncd\"][\"installed\"] and not d[\"chrony\"][\"installed\"] else 1)" "$OUT"'
run_ntpwiz audit --root "$root"
expect "audit: exit 0 (got $RC)" '[ "$RC" -eq 0 ]'
expect "audit: only timesyncd is audited (got: $(printf '%s\n' "$OUT" | tail -n 1))" \
	'contains "$OUT" "audit of timesyncd:"'
expect "audit: the leftover chrony.conf is a note, not audited" \
	'contains "$OUT" "/etc/chrony/chrony.conf: info: leftover-config: chrony is not installed"'
finish
