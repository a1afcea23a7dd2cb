#!/bin/bash
# selection.sh: issue 16 sections 1, 3 and 4 through the command line:
# OpenNTPD's HTTPS constraints (written by default, changed, switched off),
# source selection (minsources, maxdistance, noselect, trust, xleave,
# maxdelay) and orphan mode. Each setting is rendered for every daemon,
# checked by every real parser available (Debian 12, Debian 13, ntp.org
# 4.2.8: tests/lib/daemons.sh), imported back from the daemon's own syntax
# (render -> import -> render gives the same bytes), and refused with a
# message naming the daemon where the daemon cannot express it.
#
# Safety: render and import only, each under --root in a temp folder; the
# daemons only parse (chronyd -p, openntpd -n, ntpd in private namespaces
# without CAP_SYS_TIME, as daemons.sh runs them).

# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"
# shellcheck source=tests/lib/roots.sh
. "$srcdir/tests/lib/roots.sh"
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh"

DEBIAN=$(cat "$srcdir/tests/data/roots/debian12-os-release")
PARSERS=yes
if ! daemons_fetch >/dev/null 2>&1 || ! daemons_can_isolate; then
	[ -n "${CI-}" ] && { echo "not ok - the real daemons are not available"; exit 1; }
	PARSERS=no
	echo "# the real daemons are not available here: parser checks skipped"
fi

prof() { printf 'version = 1;\n%s\n' "$1" >"$T_TMP/p.cfg"; }
render_p() { run_ntpwiz render --root "$(golden_root)" --daemon "$1" "$T_TMP/p.cfg"; }

declare -A CONF=([chrony]=/etc/chrony/chrony.conf [ntpsec]=/etc/ntpsec/ntp.conf
	[ntp]=/etc/ntp.conf [openntpd]=/etc/openntpd/ntpd.conf
	[timesyncd]=/etc/systemd/timesyncd.conf.d/ntpwiz.conf)

# parsers NAME DAEMON: the rendered $OUT passes every generation's parser
parsers() {
	local g msg
	[ "$PARSERS" = yes ] || return 0
	[ "$2" = timesyncd ] && return 0 # no parser (DAEMONS.md)
	printf '%s\n' "$OUT" >"$T_TMP/$2.conf"
	for g in $(daemons_gens "$2"); do
		if msg=$(daemon_check "$2" "$T_TMP/$2.conf" "$g" 2>&1); then
			ok "$1: $2 ($g, $(daemons_version "$2" "$g")) accepts it"
		else
			not_ok "$1: $2 ($g) accepts it"
			printf '%s\n' "$msg" | sed 's/^/#   /'
		fi
	done
}

# roundtrip NAME DAEMON: $OUT placed where DAEMON reads it on a Debian root
# (ntp: golden_root's ntp.org) imports to a profile that renders the same bytes
roundtrip() {
	local first=$OUT r
	r=$(golden_root)
	mkdir -p "$r$(dirname "${CONF[$2]}")"
	printf '%s\n' "$first" >"$r${CONF[$2]}"
	run_ntpwiz import --root "$r" --daemon "$2"
	printf '%s\n' "$OUT" >"$T_TMP/imported.cfg"
	IMPORTED=$OUT
	IMPORT_NOTES=$ERR
	run_ntpwiz render --root "$(golden_root)" --daemon "$2" "$T_TMP/imported.cfg"
	if [ "$RC" = 0 ] && [ "$OUT" = "$first" ]; then
		ok "$1: $2: render -> import -> render gives the same file"
	else
		not_ok "$1: $2: render -> import -> render gives the same file"
		diff <(printf '%s\n' "$first") <(printf '%s\n' "$OUT") | sed 's/^/#   /'
		printf '%s\n' "$IMPORT_NOTES" | sed 's/^/#   notes: /'
	fi
}

# --- section 1: OpenNTPD constraints -------------------------------------------
prof 'servers = ( { host = "2.debian.pool.ntp.org"; kind = "pool"; } );'
render_p openntpd
expect "1: OpenNTPD gets OpenBSD's default constraints when the profile names none" \
	'[ "$RC" = 0 ] && contains "$OUT" $'"'"'constraint from "9.9.9.9"\nconstraint from "2620:fe::fe"\nconstraints from "www.google.com"'"'"
expect "1: no warning for the defaults" '[ -z "$ERR" ]'
parsers "1 defaults" openntpd
roundtrip "1 defaults" openntpd
expect "1: OpenBSD's defaults import as no setting (the default)" \
	'! contains "$IMPORTED" "constraints"'

prof 'servers = ( { host = "2.debian.pool.ntp.org"; kind = "pool"; } );
constraints = ( "https://www.google.com/search?q=openntpd", { from = "time.example.org"; all = false; },
  "192.0.2.7", { from = "198.51.100.9"; all = true; } );'
render_p openntpd
expect "1: the profile's constraints replace the defaults, constraint/constraints as asked" \
	'[ "$RC" = 0 ] && contains "$OUT" $'"'"'constraints from "https://www.google.com/search?q=openntpd"\nconstraint from "time.example.org"\nconstraint from "192.0.2.7"\nconstraints from "198.51.100.9"'"'"' && ! contains "$OUT" "9.9.9.9"'
parsers "1 custom" openntpd
roundtrip "1 custom" openntpd
expect "1: imported back as the profile said" \
	'contains "$IMPORTED" "{ from = \"time.example.org\"; all = false; }" && contains "$IMPORTED" "\"192.0.2.7\"" && contains "$IMPORTED" "{ from = \"198.51.100.9\"; all = true; }"'

prof 'servers = ( { host = "2.debian.pool.ntp.org"; kind = "pool"; } );
constraints = false;'
render_p openntpd
expect "1: constraints = false writes none" \
	'[ "$RC" = 0 ] && ! contains "$OUT" "constraint from" && ! contains "$OUT" "constraints from"'
expect "1: ... and warns, on stderr and in the file" \
	'contains "$ERR" "warning: constraints: switched off" && contains "$OUT" "# WARNING: constraints = false"'
parsers "1 off" openntpd
roundtrip "1 off" openntpd
expect "1: a file without constraint lines imports as constraints = false" \
	'contains "$IMPORTED" "constraints = false;"'

for d in chrony ntpsec ntp timesyncd; do
	prof 'servers = ( { host = "ntp1.example.com"; } );
constraints = ( "www.example.com" );'
	render_p $d
	expect "1: constraints listed for $d: refused, naming the daemon" \
		'[ "$RC" = 1 ] && contains "$ERR" "p.cfg:3: constraints: $d: HTTPS time constraints are OpenNTPD'"'"'s" && [ -z "$OUT" ]'
	prof 'servers = ( { host = "ntp1.example.com"; } );
constraints = false;'
	render_p $d
	expect "1: constraints = false for $d: nothing to refuse" '[ "$RC" = 0 ] && ! contains "$ERR" "constraints"'
done
for bad in '"http://example.com/"' '"https://"' '"https://example.com/a b"' '"ex ample.com"' \
	'"https://example.com/#x"' '"fe80::1%eth0"' '"-n"'; do
	prof "constraints = ( $bad );"
	run_ntpwiz render --root "$(golden_root)" --daemon openntpd "$T_TMP/p.cfg"
	expect "1: constraint $bad is refused by the profile" \
		'[ "$RC" = 1 ] && contains "$ERR" "constraints[0]" && [ -z "$OUT" ]'
done
prof 'constraints = ( );'
render_p openntpd
expect "1: an empty list is refused (false switches them off)" \
	'[ "$RC" = 1 ] && contains "$ERR" "constraints: is empty"'

# --- section 3: source selection -------------------------------------------------
SEL='servers = (
  { host = "ntp1.example.com"; trust = true; },
  { host = "ntp2.example.com"; noselect = true; },
  { host = "ntp3.example.com"; },
  { host = "2.debian.pool.ntp.org"; kind = "pool"; }
);
selection = { minsources = 3; maxdistance = 1.5; };'
prof "$SEL"
render_p chrony
expect "3: chrony: minsources, maxdistance, trust, noselect" \
	'[ "$RC" = 0 ] && contains "$OUT" $'"'"'minsources 3\nmaxdistance 1.5'"'"' && contains "$OUT" "server ntp1.example.com iburst trust" && contains "$OUT" "server ntp2.example.com iburst noselect"'
parsers "3" chrony
roundtrip "3" chrony
for d in ntpsec ntp; do
	prof "$SEL"
	render_p $d
	expect "3: $d: tos minsane/maxdist, true, noselect" \
		'[ "$RC" = 0 ] && contains "$OUT" "tos minsane 3 maxdist 1.5" && contains "$OUT" "server ntp1.example.com iburst true" && contains "$OUT" "server ntp2.example.com iburst noselect"'
	parsers "3" $d
	roundtrip "3" $d
done
prof 'servers = ( { host = "ntp1.example.com"; iburst = false; } );
selection = { maxdistance = 2.5; };'
render_p timesyncd
expect "3: timesyncd: maxdistance is RootDistanceMaxSec=" '[ "$RC" = 0 ] && contains "$OUT" "RootDistanceMaxSec=2.5"'
roundtrip "3" timesyncd

prof 'servers = ( { host = "ntp1.example.com"; xleave = true; maxdelay = 0.03; } );'
render_p chrony
expect "3: chrony: xleave and maxdelay" '[ "$RC" = 0 ] && contains "$OUT" "server ntp1.example.com iburst xleave maxdelay 0.03"'
parsers "3 xleave" chrony
roundtrip "3 xleave" chrony

# what a daemon cannot express
for d in openntpd timesyncd; do
	prof 'servers = ( { host = "ntp1.example.com"; } );
selection = { minsources = 2; };'
	render_p $d
	expect "3: minsources for $d: refused, naming the daemon" \
		'[ "$RC" = 1 ] && contains "$ERR" "p.cfg:3: selection.minsources: $d: this daemon cannot require several agreeing sources" && [ -z "$OUT" ]'
	prof 'servers = ( { host = "ntp1.example.com"; noselect = true; }, { host = "ntp2.example.com"; } );'
	render_p $d
	expect "3: noselect for $d: refused, naming the daemon" \
		'[ "$RC" = 1 ] && contains "$ERR" "p.cfg:2: servers[0].noselect: $d:"'
	prof 'servers = ( { host = "ntp1.example.com"; trust = true; } );'
	render_p $d
	expect "3: trust for $d: written nowhere, said as a warning" \
		'[ "$RC" = 0 ] && contains "$ERR" "warning: servers[0].trust: $d:" && contains "$OUT" "# WARNING: servers[].trust is not written"'
done
prof 'servers = ( { host = "ntp1.example.com"; } );
selection = { maxdistance = 1.0; };'
render_p openntpd
expect "3: maxdistance for openntpd: refused, naming the daemon" \
	'[ "$RC" = 1 ] && contains "$ERR" "selection.maxdistance: openntpd: this daemon has no limit"'
for d in ntpsec ntp openntpd timesyncd; do
	prof 'servers = ( { host = "ntp1.example.com"; maxdelay = 0.5; } );'
	render_p $d
	expect "3: maxdelay for $d: refused, naming the daemon" \
		'[ "$RC" = 1 ] && contains "$ERR" "servers[0].maxdelay: $d: maxdelay is chrony'"'"'s"'
	prof 'servers = ( { host = "ntp1.example.com"; xleave = true; } );'
	render_p $d
	expect "3: xleave for $d: not written, said as a warning" \
		'[ "$RC" = 0 ] && contains "$ERR" "warning: servers[0].xleave: $d:" && ! contains "$OUT" " xleave"'
done
prof 'servers = ( { host = "ntp1.example.com"; } ); selection = { minsources = 17; };'
render_p chrony
expect "3: minsources 17: out of range, the range said" '[ "$RC" = 1 ] && contains "$ERR" "selection.minsources: must be between 1 and 16"'
prof 'servers = ( { host = "ntp1.example.com"; } ); selection = { maxdistance = 0; };'
render_p chrony
expect "3: maxdistance 0: out of range" '[ "$RC" = 1 ] && contains "$ERR" "selection.maxdistance: must be above 0"'
prof 'servers = ( { host = "ntp1.example.com"; noselect = true; prefer = true; } );'
render_p chrony
expect "3: noselect with prefer: refused" '[ "$RC" = 1 ] && contains "$ERR" "servers[0].noselect: a server that is never selected"'

# --- section 4: orphan mode ---------------------------------------------------------
ORPHAN='servers = ( { host = "ntp1.example.com"; }, { host = "2.debian.pool.ntp.org"; kind = "pool"; } );
restrict = { policy = "lan"; allow = [ "192.168.0.0/16" ]; };
orphan = { stratum = 10; };'
prof "$ORPHAN"
render_p chrony
expect "4: chrony: local stratum 10 orphan" '[ "$RC" = 0 ] && contains "$OUT" "local stratum 10 orphan"'
parsers "4" chrony
roundtrip "4" chrony
for d in ntpsec ntp; do
	prof "$ORPHAN"
	render_p $d
	expect "4: $d: tos orphan 10" '[ "$RC" = 0 ] && contains "$OUT" "tos orphan 10"'
	parsers "4" $d
	roundtrip "4" $d
done
prof "${ORPHAN/lan\"; allow = \[ \"192.168.0.0\/16\" \]/public\"}"
render_p chrony
expect "4: the public policy takes orphan mode too" '[ "$RC" = 0 ] && contains "$OUT" "local stratum 10 orphan"'
prof 'servers = ( { host = "ntp1.example.com"; } );
orphan = { stratum = 10; };'
for d in chrony ntpsec ntp; do
	render_p $d
	expect "4: orphan on a client-only host ($d): refused" \
		'[ "$RC" = 1 ] && contains "$ERR" "p.cfg:3: orphan.stratum: orphan mode makes this host a time source"'
done
prof 'servers = ( { host = "ntp1.example.com"; } );
restrict = { policy = "public"; listen = [ "192.0.2.1" ]; };
orphan = { stratum = 10; };'
render_p openntpd
expect "4: orphan for openntpd: refused, naming the daemon" \
	'[ "$RC" = 1 ] && contains "$ERR" "orphan.stratum: openntpd: this daemon has no orphan mode"'
prof 'servers = ( { host = "ntp1.example.com"; } ); restrict = { policy = "public"; }; orphan = { stratum = 16; };'
render_p chrony
expect "4: stratum 16: out of range" '[ "$RC" = 1 ] && contains "$ERR" "orphan.stratum: must be a stratum between 1 and 15"'

# import: what ntpwiz does not write is noted, never silently kept or dropped
r=$(golden_root)
mkdir -p "$r/etc/chrony"
printf 'server ntp1.example.com iburst\nlocal stratum 8\nport 0\n' >"$r/etc/chrony/chrony.conf"
run_ntpwiz import --root "$r" --daemon chrony
expect "4: chrony's local without orphan is noted, not imported as orphan mode" \
	'! contains "$OUT" "orphan" && contains "$ERR" "without orphan"'
printf 'server ntp1.example.com iburst\nlocal stratum 8 orphan\nport 0\n' >"$r/etc/chrony/chrony.conf"
run_ntpwiz import --root "$r" --daemon chrony
expect "4: orphan on a host that serves no one is noted and not kept" \
	'! contains "$OUT" "orphan =" && contains "$ERR" "orphan mode would serve no one"'
mkdir -p "$r/etc/ntpsec"
printf 'server ntp1.example.com iburst\ntos minsane 2 minclock 4 maxdist 2\n' >"$r/etc/ntpsec/ntp.conf"
run_ntpwiz import --root "$r" --daemon ntpsec
expect "3: tos minsane/maxdist imported, minclock noted" \
	'contains "$OUT" "selection = { minsources = 2; maxdistance = 2.0; };" && contains "$ERR" "minclock 4"'

finish
