#!/bin/bash
# monitor-prometheus.sh: `ntpwiz monitor --format prometheus` (and
# --output) as node_exporter's textfile collector reads it. Stand-ins first
# on PATH print captured outputs of the real tools (tests/data/peers), as in
# monitor-cli.sh; no daemon, no root needed. The real daemons' side is in
# monitor-e2e.sh.
#
# Every output is checked twice: by `promtool check metrics` (Debian's
# prometheus package, fetched into the test cache by tests/lib/promtool.sh,
# never installed) and by tests/lib/promcheck.py, which also refuses what
# promtool lets through (a duplicate series; node_exporter would then drop
# the whole file). Without promtool the test goes on with promcheck.py
# alone, except under CI, where promtool must be there.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034,SC2016
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"
# shellcheck source=tests/lib/promtool.sh
. "$srcdir/tests/lib/promtool.sh"

command -v python3 >/dev/null || skip_or_fail "python3 not found (tests/lib/promcheck.py)"
PROMCHECK="python3 $srcdir/tests/lib/promcheck.py"
if PROMTOOL=$(promtool_find); then
	echo "# promtool: $PROMTOOL ($("$PROMTOOL" --version 2>&1 | head -n 1))"
else
	[ -n "${CI-}" ] && skip_or_fail "promtool cannot be had (apt-get download prometheus failed)"
	PROMTOOL=
	echo "# promtool cannot be had: tests/lib/promcheck.py alone checks the format"
fi

DATA=$srcdir/tests/data/peers
bin=$T_TMP/bin
mkdir -p "$bin"
for t in chronyc ntpq ntpctl timedatectl; do
	cat >"$bin/$t" <<'SH'
#!/bin/sh
echo "$0 $*" >>"$STANDIN_LOG"
[ -n "$STANDIN_OUT" ] && cat "$STANDIN_OUT"
[ -n "$STANDIN_ERR" ] && cat "$STANDIN_ERR" >&2
exit "${STANDIN_RC:-0}"
SH
	chmod 755 "$bin/$t"
done
export STANDIN_LOG=$T_TMP/standin.log

# prom OUTFILE ERRFILE RC DAEMON [ARGS...]: ntpwiz monitor --format
# prometheus with the stand-ins; RC OUT ERR as run_ntpwiz sets them, and
# SAMPLES: every sample as promcheck.py --dump prints it
prom() {
	STANDIN_OUT=$1 STANDIN_ERR=$2 STANDIN_RC=$3
	export STANDIN_OUT STANDIN_ERR STANDIN_RC
	local daemon=$4
	shift 4
	: >"$STANDIN_LOG"
	PATH="$bin:$PATH" run_ntpwiz monitor --daemon "$daemon" --format prometheus "$@" </dev/null
	SAMPLES=$(printf '%s\n' "$OUT" | $PROMCHECK --dump 2>/dev/null)
}

# valid WHAT [FILE]: the output (or FILE) passes promtool and promcheck.py
valid() {
	local f=${2:-$T_TMP/out} verdict
	if [ -n "$PROMTOOL" ]; then
		verdict=$("$PROMTOOL" check metrics <"$f" 2>&1)
		expect "$1: promtool check metrics finds nothing${verdict:+ ($verdict)}" \
			'[ -z "$verdict" ]'
	fi
	verdict=$($PROMCHECK "$f" 2>&1)
	expect "$1: promcheck.py finds nothing${verdict:+ ($verdict)}" '[ -z "$verdict" ]'
}

# has LINE...: each line is a sample, exactly (promcheck --dump form)
has() {
	local l
	for l in "$@"; do grep -qxF -- "$l" <<<"$SAMPLES" || return 1; done
}
# lacks NAME...: no sample of these metrics
lacks() {
	local n
	for n in "$@"; do grep -q "^$n{" <<<"$SAMPLES" && return 1; done
	return 0
}
families() { grep -c '^# TYPE ' "$T_TMP/out"; }

# --- the checkers catch what they must (else the checks below prove nothing) ---------------
bad=$T_TMP/bad.prom
printf '# HELP x_seconds a\n# TYPE x_seconds gauge\nx_seconds{a="b\\q"} 1\n' >"$bad"
expect "checkers: an invalid escape in a label value is refused by promcheck.py" \
	'! $PROMCHECK "$bad" 2>/dev/null'
[ -n "$PROMTOOL" ] && expect "checkers: ... and by promtool" '! "$PROMTOOL" check metrics <"$bad" >/dev/null 2>&1'
printf '# TYPE x_milliseconds gauge\nx_milliseconds 1\n' >"$bad"
expect "checkers: no HELP and a non-base unit are refused by promcheck.py" \
	'! $PROMCHECK "$bad" 2>/dev/null'
[ -n "$PROMTOOL" ] && expect "checkers: ... and by promtool" '! "$PROMTOOL" check metrics <"$bad" >/dev/null 2>&1'
printf '# HELP x a\n# TYPE x gauge\nx{s="1"} 1\nx{s="1"} 2\n' >"$bad"
expect "checkers: a duplicate series is refused by promcheck.py" '! $PROMCHECK "$bad" 2>/dev/null'
printf '# HELP x a\n# TYPE x gauge\nx 1\n# HELP y a\n# TYPE y gauge\ny 1\nx 2\n' >"$bad"
expect "checkers: a family split in two is refused by promcheck.py" '! $PROMCHECK "$bad" 2>/dev/null'

# --- chrony, synchronised -------------------------------------------------------------------
prom "$DATA/chrony-synced.csv" "" 0 chrony
expect "chrony synced: exit 0, nothing on stderr, the usual command" \
	'[ "$RC" = 0 ] && [ -z "$ERR" ] && [ "$(cat "$STANDIN_LOG")" = "$bin/chronyc -n -c -m sources tracking" ]'
valid "chrony synced"
expect "chrony synced: up, daemon and why as labels" \
	'has "ntpwiz_daemon_up{daemon=\"chrony\"} 1" "ntpwiz_daemon_info{chosen=\"option\",daemon=\"chrony\",state=\"ok\",tool=\"chronyc\"} 1"'
expect "chrony synced: synchronised, stratum, tracking's offset and root distance" \
	'has "ntpwiz_synchronised{} 1" "ntpwiz_stratum{} 4" "ntpwiz_offset_seconds{} -1.576e-06" "ntpwiz_root_delay_seconds{} 6.137e-06" "ntpwiz_root_dispersion_seconds{} 1.631e-06" "ntpwiz_root_distance_seconds{} 4.6995e-06"'
expect "chrony synced: leap as a state set" \
	'has "ntpwiz_leap_status{status=\"none\"} 1" "ntpwiz_leap_status{status=\"insert\"} 0" "ntpwiz_leap_status{status=\"delete\"} 0" "ntpwiz_leap_status{status=\"alarm\"} 0"'
expect "chrony synced: the reference time, the selected source as a label" \
	'has "ntpwiz_last_update_timestamp_seconds{} 1795315315" "ntpwiz_selected_source_info{name=\"\",reference=\"10.231.91.1\",source=\"10.231.91.1\"} 1"'
expect "chrony synced: sources by class, 2 reachable, nothing unparsed" \
	'has "ntpwiz_sources{class=\"selected\"} 1" "ntpwiz_sources{class=\"candidate\"} 1" "ntpwiz_sources{class=\"rejected\"} 1" "ntpwiz_sources{class=\"falseticker\"} 0" "ntpwiz_sources_reachable{} 2" "ntpwiz_monitor_unparsed_lines{} 0"'
expect "chrony synced: per source; chronyc's offset sign turned into NTP's (local clock behind: +)" \
	'has "ntpwiz_source_info{class=\"selected\",name=\"\",source=\"10.231.91.1\"} 1" "ntpwiz_source_reach{source=\"10.231.91.1\"} 255" "ntpwiz_source_stratum{source=\"10.231.91.5\"} 5" "ntpwiz_source_offset_seconds{source=\"10.231.91.1\"} -8.33e-07" "ntpwiz_source_reachable{source=\"10.231.91.3\"} 0" "ntpwiz_source_poll_seconds{source=\"10.231.91.1\"} 0.25"'
expect "chrony synced: a source never heard from has no offset (chronyc prints 0 for it)" \
	'! grep -q "ntpwiz_source_offset_seconds{source=\"10.231.91.3\"}" <<<"$SAMPLES" && ! grep -q "last_reply_age_seconds{source=\"10.231.91.3\"}" <<<"$SAMPLES"'
now=$(date +%s)
ts=$(sed -n 's/^ntpwiz_monitor_timestamp_seconds{} //p' <<<"$SAMPLES")
expect "chrony synced: the monitor's timestamp is now (within 60 s of $now: $ts)" \
	'[ -n "$ts" ] && [ $((now - ts)) -ge -60 ] && [ $((now - ts)) -le 60 ]'
expect "chrony synced: every metric has the ntpwiz_ prefix, one HELP and TYPE each" \
	'! grep -v "^#" "$T_TMP/out" | grep -qv "^ntpwiz_" && [ "$(grep -c "^# HELP" "$T_TMP/out")" = "$(families)" ]'

# --- chrony, not synchronised: nothing made up ----------------------------------------------
prom "$DATA/chrony-unsync.csv" "" 0 chrony
valid "chrony unsynced"
expect "chrony unsynced: up, not synchronised, leap alarm" \
	'[ "$RC" = 0 ] && has "ntpwiz_daemon_up{daemon=\"chrony\"} 1" "ntpwiz_synchronised{} 0" "ntpwiz_leap_status{status=\"alarm\"} 1"'
expect "chrony unsynced: no stratum 0, offset, root figures (chrony's 1 s placeholders) or selected source" \
	'lacks ntpwiz_stratum ntpwiz_offset_seconds ntpwiz_root_distance_seconds ntpwiz_root_delay_seconds ntpwiz_selected_source_info ntpwiz_last_update_timestamp_seconds && ! grep -q "^# HELP ntpwiz_offset_seconds" "$T_TMP/out"'
expect "chrony unsynced: 0 reachable sources" 'has "ntpwiz_sources_reachable{} 0"'

# --- ntpd / NTPsec ---------------------------------------------------------------------------
prom "$DATA/ntpsec-sysvars.txt" "" 0 ntpsec
valid "ntpsec with offset, rootdelay, rootdisp"
expect "ntpsec: asks ntpq for the root figures too" \
	'[ "$(cat "$STANDIN_LOG")" = "$bin/ntpq -n -c rv 0 leap,stratum,refid,reftime,offset,rootdelay,rootdisp -c peers" ]'
expect "ntpsec: offset and root figures from ms to seconds" \
	'has "ntpwiz_synchronised{} 1" "ntpwiz_stratum{} 4" "ntpwiz_offset_seconds{} -2.871e-06" "ntpwiz_root_delay_seconds{} 8.0032e-05" "ntpwiz_root_dispersion_seconds{} 0.001109817" "ntpwiz_root_distance_seconds{} 0.001149833"'
expect "ntpsec: the pool entry with the server's address is not a second series, nor a source" \
	'[ "$(grep -c "^ntpwiz_source_info{.*source=\"10.231.91.1\"" <<<"$SAMPLES")" = 1 ] && has "ntpwiz_sources{class=\"pool\"} 1" "ntpwiz_sources_reachable{} 2"'
expect "ntpsec: delay and jitter per source, in seconds" \
	'has "ntpwiz_source_delay_seconds{source=\"10.231.91.1\"} 8e-05" "ntpwiz_source_jitter_seconds{source=\"10.231.91.1\"} 1.39e-05" "ntpwiz_source_offset_seconds{source=\"10.231.91.1\"} -2.9e-06"'
prom "$DATA/ntpsec-synced.txt" "" 0 ntpsec
valid "ntpsec capture without the root figures"
expect "ntpsec, leap=11 (disable ntp): not synchronised though a peer is selected; no root figures" \
	'has "ntpwiz_synchronised{} 0" "ntpwiz_leap_status{status=\"alarm\"} 1" "ntpwiz_selected_source_info{name=\"\",reference=\"10.231.91.1\",source=\"10.231.91.1\"} 1" && lacks ntpwiz_offset_seconds ntpwiz_root_distance_seconds'
prom "$DATA/ntpsec-odd.txt" "" 0 ntpsec
valid "ntpsec odd lines (IPv6, NTS, a junk line)"
expect "ntpsec odd: the line it cannot read is counted" 'has "ntpwiz_monitor_unparsed_lines{} 1"'
prom "$DATA/ntporg-synced.txt" "" 0 ntp
valid "ntp.org ntpq"
expect "ntp.org: daemon label ntp, stratum 4" \
	'[ "$RC" = 0 ] && has "ntpwiz_daemon_up{daemon=\"ntp\"} 1" "ntpwiz_stratum{} 4"'

# --- OpenNTPD, timesyncd ---------------------------------------------------------------------
prom "$DATA/openntpd-synced.txt" "" 0 openntpd
valid "openntpd"
expect "openntpd: synchronised, stratum 2; no system offset or root figures (ntpctl has none)" \
	'has "ntpwiz_synchronised{} 1" "ntpwiz_stratum{} 2" && lacks ntpwiz_offset_seconds ntpwiz_root_distance_seconds ntpwiz_leap_status ntpwiz_source_reach'
expect "openntpd: the pool name as a label; a peer not valid is not reachable" \
	'has "ntpwiz_source_info{class=\"selected\",name=\"from pool pool.ntp.org\",source=\"162.159.200.1\"} 1" "ntpwiz_source_reachable{source=\"198.51.100.7\"} 0" "ntpwiz_source_offset_seconds{source=\"162.159.200.1\"} -0.000412"'
prom "$DATA/timesyncd-synced.txt" "" 0 timesyncd
valid "timesyncd"
expect "timesyncd: offset and root distance from timedatectl" \
	'has "ntpwiz_synchronised{} 1" "ntpwiz_offset_seconds{} -0.004077" "ntpwiz_root_distance_seconds{} 0.008322" "ntpwiz_leap_status{status=\"none\"} 1" && lacks ntpwiz_root_delay_seconds'

# --- label values are escaped ---------------------------------------------------------------
printf '%s\n' '^,*,odd"name\with,3,6,377,5,0.001,0.001,0.01' \
	'0AE75B01,odd"name\with,4,1795315315.3,-0.0001,0,0,0,0,0,0.01,0.001,64.0,Normal' >"$T_TMP/odd.csv"
prom "$T_TMP/odd.csv" "" 0 chrony
valid "a source name with a quote and a backslash"
expect "a quote and a backslash in a name are escaped in the label" \
	'grep -qF "ntpwiz_source_info{source=\"odd\\\"name\\\\with\",name=\"\",class=\"selected\"} 1" "$T_TMP/out"'

# --- the daemon does not answer: a well-formed file that says so -----------------------------
prom "$DATA/chrony-506.out" "" 1 chrony
valid "chrony not running"
expect "chrony not running: exit 1 (as --once), the reason on stderr" \
	'[ "$RC" = 1 ] && [[ $ERR == "ntpwiz: chronyd is not running (chronyc: 506 Cannot talk to daemon)" ]]'
expect "chrony not running: daemon_up 0, state not-running, timestamp; nothing else" \
	'has "ntpwiz_daemon_up{daemon=\"chrony\"} 0" "ntpwiz_daemon_info{chosen=\"option\",daemon=\"chrony\",state=\"not-running\",tool=\"chronyc\"} 1" && [ "$(wc -l <<<"$SAMPLES")" = 3 ] && [ "$(families)" = 3 ]'
prom "" "$DATA/ntpsec-socket-error.err" 0 ntpsec
valid "ntpq socket error (exit 0)"
expect "ntpq exits 0 with a socket error: still daemon_up 0 and exit 1" \
	'[ "$RC" = 1 ] && has "ntpwiz_daemon_up{daemon=\"ntpsec\"} 0" && lacks ntpwiz_synchronised ntpwiz_sources'
prom "$DATA/chrony-human-table.txt" "" 0 chrony
valid "an answer ntpwiz cannot read"
expect "an answer it cannot read: daemon_up 0, state unparseable" \
	'[ "$RC" = 1 ] && has "ntpwiz_daemon_info{chosen=\"option\",daemon=\"chrony\",state=\"unparseable\",tool=\"chronyc\"} 1"'
mkdir -p "$T_TMP/empty"
PATH="$T_TMP/empty" "$NTPWIZ" monitor --daemon chrony --format prometheus >"$T_TMP/out" 2>"$T_TMP/err"
RC=$? SAMPLES=$($PROMCHECK --dump "$T_TMP/out" 2>/dev/null)
valid "no chronyc on PATH"
expect "no chronyc on PATH: exit 1, state no-command" \
	'[ "$RC" = 1 ] && has "ntpwiz_daemon_up{daemon=\"chrony\"} 0" "ntpwiz_daemon_info{chosen=\"option\",daemon=\"chrony\",state=\"no-command\",tool=\"chronyc\"} 1"'

# --- --output: replaced atomically ----------------------------------------------------------
dir=$T_TMP/textfile
mkdir -p "$dir"
prom "$DATA/chrony-synced.csv" "" 0 chrony --output "$dir/ntpwiz.prom"
expect "--output: exit 0, nothing on stdout or stderr" '[ "$RC" = 0 ] && [ -z "$OUT" ] && [ -z "$ERR" ]'
valid "--output file" "$dir/ntpwiz.prom"
expect "--output: mode 644, the same metrics as on stdout, no temporary file left" \
	'[ "$(stat -c %a "$dir/ntpwiz.prom")" = 644 ] && grep -qx "ntpwiz_stratum 4" "$dir/ntpwiz.prom" && [ "$(ls -A "$dir")" = ntpwiz.prom ]'
exec 7<"$dir/ntpwiz.prom"
ino=$(stat -c %i "$dir/ntpwiz.prom")
prom "$DATA/chrony-506.out" "" 1 chrony --output "$dir/ntpwiz.prom"
expect "--output, daemon down: exit 1, the file replaced by one that says so" \
	'[ "$RC" = 1 ] && grep -qx "ntpwiz_daemon_up{daemon=\"chrony\"} 0" "$dir/ntpwiz.prom" && [ "$(ls -A "$dir")" = ntpwiz.prom ]'
expect "--output: a new file renamed over the old (a reader of the old one still has it whole)" \
	'[ "$(stat -c %i "$dir/ntpwiz.prom")" != "$ino" ] && grep -qx "ntpwiz_stratum 4" <&7'
exec 7<&-
valid "--output file, daemon down" "$dir/ntpwiz.prom"
prom "$DATA/chrony-synced.csv" "" 0 chrony --output "$T_TMP/no/such/dir/x.prom"
expect "--output into a missing folder: exit 1, says which file and why" \
	'[ "$RC" = 1 ] && [ "$ERR" = "ntpwiz: cannot write $T_TMP/no/such/dir/x.prom: No such file or directory" ]'

# --- the options ----------------------------------------------------------------------------
run_ntpwiz monitor --format xml
expect "--format xml is refused with the list" \
	'[ "$RC" = 1 ] && [ "$ERR" = "ntpwiz: --format: \"xml\" is not one of table, json, prometheus (--json is --format json)" ]'
run_ntpwiz monitor --json --format prometheus
expect "--json with --format prometheus is refused" '[ "$RC" = 1 ] && [[ $ERR == "ntpwiz: --format: \"prometheus\" is not one of "* ]]'
run_ntpwiz monitor --once --output "$T_TMP/t.txt"
expect "--output of the table is refused" \
	'[ "$RC" = 1 ] && [ "$ERR" = "ntpwiz: --output writes --format json or prometheus, not the table" ] && [ ! -e "$T_TMP/t.txt" ]'
run_ntpwiz detect --format prometheus
expect "--format with another command is refused" \
	'[ "$RC" = 1 ] && [ "$ERR" = "ntpwiz: --format and --output are for the monitor command" ]'
STANDIN_OUT=$DATA/chrony-synced.csv STANDIN_ERR= STANDIN_RC=0 PATH="$bin:$PATH" \
	run_ntpwiz monitor --daemon chrony --format json --output "$T_TMP/m.json"
expect "--format json --output: the JSON object in the file, with the root figures" \
	'[ "$RC" = 0 ] && python3 -c "
import json, sys
d = json.load(open(\"$T_TMP/m.json\"))
s = d[\"status\"]
sys.exit(not (d[\"state\"] == \"ok\" and s[\"offset\"] == -1.576e-06 and s[\"root_distance\"] == 4.6995e-06))"'
STANDIN_OUT=$DATA/chrony-unsync.csv PATH="$bin:$PATH" run_ntpwiz monitor --daemon chrony --json
expect "--json keeps the daemon's own figures (chrony unsynced: its 1 s root delay placeholder)" \
	'[ "$RC" = 0 ] && printf "%s" "$OUT" | python3 -c "
import json, sys
s = json.load(sys.stdin)[\"status\"]
sys.exit(not (s[\"root_delay\"] == 1.0 and s[\"offset\"] == 0.0))"'
STANDIN_OUT=$DATA/openntpd-synced.txt PATH="$bin:$PATH" run_ntpwiz monitor --daemon openntpd --json
expect "--json: OpenNTPD has no offset or root figures: null" \
	'[ "$RC" = 0 ] && printf "%s" "$OUT" | python3 -c "
import json, sys
s = json.load(sys.stdin)[\"status\"]
sys.exit(not (s[\"offset\"] is None and s[\"root_distance\"] is None))"'

# --- examples/ntpwiz-prometheus.service and .timer ------------------------------------------
ex=$srcdir/examples
expect "the example service writes the textfile collector's folder with --output" \
	'grep -qx "ExecStart=/usr/sbin/ntpwiz monitor --format prometheus --output /var/lib/prometheus/node-exporter/ntpwiz.prom" "$ex/ntpwiz-prometheus.service"'
expect "the example timer runs it every minute" \
	'grep -qx "OnCalendar=\*-\*-\* \*:\*:00" "$ex/ntpwiz-prometheus.timer"'
if command -v systemd-analyze >/dev/null; then
	# verified with this build's binary in /usr/sbin/ntpwiz's place
	mkdir -p "$T_TMP/units"
	sed "s|/usr/sbin/ntpwiz|$NTPWIZ|" "$ex/ntpwiz-prometheus.service" >"$T_TMP/units/ntpwiz-prometheus.service"
	cp "$ex/ntpwiz-prometheus.timer" "$T_TMP/units/"
	verdict=$(cd "$T_TMP/units" && systemd-analyze verify --man=no ./ntpwiz-prometheus.service ./ntpwiz-prometheus.timer 2>&1)
	expect "systemd-analyze verify accepts the service and the timer${verdict:+ ($verdict)}" '[ -z "$verdict" ]'
else
	echo "# systemd-analyze not found: the units' syntax is not checked"
fi

finish
