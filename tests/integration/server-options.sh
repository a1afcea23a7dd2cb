#!/bin/bash
# server-options.sh: a server option the chosen daemon cannot express is
# said on stderr, never dropped silently
# (issue 14: `iburst` and `prefer` vanished for systemd-timesyncd, `iburst`
# for OpenNTPD, with no word). `ntpwiz render` as an operator runs it.
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"

root=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
cat >"$T_TMP/p.cfg" <<'EOF2'
version = 1;
servers = ( { host = "192.0.2.1"; iburst = true; prefer = true; } );
EOF2

run_ntpwiz render "$T_TMP/p.cfg" --daemon timesyncd --root "$root"
expect "timesyncd: renders (exit 0)" '[ "$RC" -eq 0 ]'
expect "timesyncd: says iburst is not used (stderr: $ERR)" \
	'contains "$ERR" "p.cfg:2: warning: servers[0].iburst: timesyncd: this daemon has no iburst" &&
	 contains "$OUT" "# WARNING: servers[].iburst is not written"'
expect "timesyncd: says prefer becomes the order" \
	'contains "$ERR" "p.cfg:2: warning: servers[0].prefer: timesyncd: this daemon has no prefer; the preferred servers are listed first instead"'
expect "timesyncd: the server is written" 'contains "$OUT" "NTP=192.0.2.1"'

run_ntpwiz render "$T_TMP/p.cfg" --daemon openntpd --root "$root"
expect "openntpd: renders (exit 0)" '[ "$RC" -eq 0 ]'
# OpenNTPD queries quickly at start on its own: iburst is what it does.
expect "openntpd: iburst is what OpenNTPD does anyway: no warning (stderr: $ERR)" \
	'! contains "$ERR" "iburst"'
expect "openntpd: prefer is carried (weight 10), no word about it" \
	'contains "$OUT" "server 192.0.2.1 weight 10" && ! contains "$ERR" "prefer"'

run_ntpwiz render "$T_TMP/p.cfg" --daemon chrony --root "$root"
expect "chrony: both carried, nothing on stderr" \
	'[ "$RC" -eq 0 ] && contains "$OUT" "server 192.0.2.1 iburst prefer" && [ -z "$ERR" ]'

# the distribution's default servers were not written by the operator
run_ntpwiz render "$srcdir/profiles/client.cfg" --daemon openntpd --root "$root"
expect "defaults (client.cfg) on openntpd: no warning" '[ "$RC" -eq 0 ] && [ -z "$ERR" ]'
finish
