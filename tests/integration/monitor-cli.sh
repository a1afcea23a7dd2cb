#!/bin/bash
# monitor-cli.sh: `ntpwiz monitor --once/--json` as a user sees it, with a
# stand-in tool first on PATH that prints a captured output of the real
# one (tests/data/peers) and exits as it did; no daemon, no root needed.
# The same against real daemons: monitor-e2e.sh; the ncurses view:
# tests/tui/monitor.sh.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

DATA=$srcdir/tests/data/peers
bin=$T_TMP/bin
mkdir -p "$bin"
# standin NAME: NAME prints $STANDIN_OUT on stdout, $STANDIN_ERR on stderr,
# logs its arguments, and exits $STANDIN_RC.
standin() {
	cat >"$bin/$1" <<'EOF'
#!/bin/sh
echo "$0 $*" >>"$STANDIN_LOG"
[ -n "$STANDIN_OUT" ] && cat "$STANDIN_OUT"
[ -n "$STANDIN_ERR" ] && cat "$STANDIN_ERR" >&2
exit "${STANDIN_RC:-0}"
EOF
	chmod 755 "$bin/$1"
}
for t in chronyc ntpq ntpctl timedatectl; do standin "$t"; done
export STANDIN_LOG=$T_TMP/standin.log

# mon OUTFILE ERRFILE RC ARGS...: ntpwiz monitor ARGS with the stand-ins
mon() {
	STANDIN_OUT=$1 STANDIN_ERR=$2 STANDIN_RC=$3
	export STANDIN_OUT STANDIN_ERR STANDIN_RC
	shift 3
	: >"$STANDIN_LOG"
	PATH="$bin:$PATH" run_ntpwiz monitor "$@" </dev/null
}

mon "$DATA/chrony-synced.csv" "" 0 --once --daemon chrony
expect "chrony --once: exit 0, nothing on stderr" '[ "$RC" = 0 ] && [ -z "$ERR" ]'
expect "chrony --once: the command it ran" \
	'[ "$(cat "$STANDIN_LOG")" = "$bin/chronyc -n -c -m sources tracking" ]'
expect "chrony --once: the table" '[ "$(printf "%s\n" "$OUT" | sed -n "3,6p")" = "$(printf "%s\n" \
	"  remote          st t when poll reach      offset   error" \
	"* 10.231.91.1      3 ^    1 0.25 ########   0.0008  0.0041" \
	"+ 10.231.91.5      5 ^    0 0.25 ########   0.0005  0.0032" \
	"? 10.231.91.3      0 ^    -    1 ........   0.0000  0.0000")" ]'
expect "chrony --once: title and status lines" \
	'[ "$(printf "%s\n" "$OUT" | sed -n 1p)" = "chrony (chosen with --daemon): chronyc -n -c -m sources tracking" ] && printf "%s\n" "$OUT" | sed -n 2p | grep -q "^synchronised, stratum 4, leap: none, reference 10.231.91.1, last update 02:41:55 UTC ("'

mon "$DATA/chrony-506.out" "" 1 --once --daemon chrony
expect "chrony not running: exit 1, stdout empty, one line on stderr" \
	'[ "$RC" = 1 ] && [ -z "$OUT" ] && [ "$(printf "%s\n" "$ERR" | wc -l)" = 1 ]'
expect "chrony not running: the line says why and what to do" \
	'[[ $ERR == "ntpwiz: chronyd is not running (chronyc: 506 Cannot talk to daemon); start "* ]]'

mon "" "$DATA/ntpsec-socket-error.err" 0 --once --daemon ntpsec
expect "ntpq exits 0 with a socket error: still exit 1 and one line" \
	'[ "$RC" = 1 ] && [ -z "$OUT" ] && [[ $ERR == "ntpwiz: ntpd is not running (ntpq: Socket error; probably ntpd is not running); "* ]] && [ "$(printf "%s\n" "$ERR" | wc -l)" = 1 ]'

mon "$DATA/chrony-human-table.txt" "" 0 --once --daemon chrony
expect "output that is not chronyc's CSV: exit 1, says so" \
	'[ "$RC" = 1 ] && [[ $ERR == "ntpwiz: chronyc printed nothing ntpwiz can read (MS Name/IP address"* ]]'

mon "$DATA/ntpsec-odd.txt" "" 0 --once --daemon ntpsec
expect "a line ntpq printed that is not a peer is shown as printed, after '!'" \
	'[ "$RC" = 0 ] && printf "%s\n" "$OUT" | grep -qx "!  this line is not a peer"'
expect "NTS cookies show in the t column" \
	'printf "%s\n" "$OUT" | grep -Eq "^\* 162\.159\.200\.1 +10\.21\.8\.4 +3 8 "'

mon "$DATA/openntpd-synced.txt" "" 0 --json --daemon openntpd
expect "--json: one valid object; state ok; OpenNTPD's selected peer and sensor" \
	'[ "$RC" = 0 ] && printf "%s" "$OUT" | python3 -c "
import json, sys
d = json.load(sys.stdin)
p = d[\"peers\"]
ok = (d[\"command\"] == \"monitor\" and d[\"state\"] == \"ok\" and d[\"answered\"] and
      d[\"status\"][\"synchronised\"] and d[\"status\"][\"stratum\"] == 2 and
      p[0][\"tally\"] == \"*\" and p[0][\"class\"] == \"selected\" and p[0][\"offset_ms\"] == -0.412 and
      p[0][\"reach\"] == -1 and p[0][\"when\"] is None and p[4][\"remote\"] == \"nmea0\" and
      d[\"raw_stdout\"] == open(\"$DATA/openntpd-synced.txt\").read())
sys.exit(not ok)"'

mon "" "$DATA/timesyncd-nobus.err" 1 --json --daemon timesyncd
expect "--json when the daemon is not there: exit 1, state not-running, the message" \
	'[ "$RC" = 1 ] && printf "%s" "$OUT" | python3 -c "
import json, sys
d = json.load(sys.stdin)
sys.exit(not (d[\"state\"] == \"not-running\" and not d[\"answered\"] and d[\"peers\"] == [] and
              d[\"message\"].startswith(\"systemd-timesyncd is not running (timedatectl: System has not been booted\")))"'

mkdir -p "$T_TMP/empty"
PATH="$T_TMP/empty" "$NTPWIZ" monitor --once --daemon chrony >"$T_TMP/out" 2>"$T_TMP/err"
RC=$? OUT=$(cat "$T_TMP/out") ERR=$(cat "$T_TMP/err")
expect "no chronyc on PATH: exit 1, says it is not installed" \
	'[ "$RC" = 1 ] && [[ $ERR == "ntpwiz: chronyc (it asks chronyd for its peers) is not installed: not found on PATH; install the chrony package" ]]'

run_ntpwiz monitor --once --interval 0
expect "--interval 0 is refused, naming the option and the range" \
	'[ "$RC" = 1 ] && [ "$ERR" = "ntpwiz: --interval: \"0\" is not a number of seconds from 0.5 to 3600" ]'
run_ntpwiz monitor --once --daemon bogus
expect "--daemon bogus is refused with the list" \
	'[ "$RC" = 1 ] && [[ $ERR == "ntpwiz: --daemon: unknown daemon \"bogus\"; expected one of: ntp, "* ]]'
run_ntpwiz monitor --daemon chrony </dev/null
expect "the live view without a terminal: exit 1, points to --once and --json" \
	'[ "$RC" = 1 ] && [ "$ERR" = "ntpwiz: monitor needs a terminal; --once prints one table, --json one JSON object" ]'

finish
