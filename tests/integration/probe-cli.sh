#!/bin/bash
# probe-cli.sh: ntpwiz probe's command line, as an operator meets it: bad
# hosts and out-of-range options are refused before any packet is sent,
# with the field and the range named, and the exit status is 1. Needs no
# root and sends nothing (probe.sh talks to real servers).
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"

run_ntpwiz probe
expect "no host: exit 1, says what is missing" \
	'[ "$RC" -eq 1 ] && [ -z "$OUT" ] && [ "$ERR" = "ntpwiz: probe needs at least one HOST" ]'

run_ntpwiz probe 'pool.ntp.org noselect' ok.example 'a;b'
expect "bad hosts: exit 1, nothing on stdout (nothing probed)" '[ "$RC" -eq 1 ] && [ -z "$OUT" ]'
expect "bad hosts: each named with its reason, the good one not" \
	'[ "$ERR" = "host \"pool.ntp.org noselect\": contains whitespace, which would add options to the directive
host \"a;b\": contains a comment or scope character (# ; ! %), which daemons treat specially" ]'

run_ntpwiz probe $'a\nb'
expect "a newline in a host is shown escaped, not printed raw" \
	'[ "$RC" -eq 1 ] && [ "$ERR" = "host \"a\\x0ab\": contains a newline, which would start a new directive" ]'

for c in 0 17 -1 abc 4x ''; do
	run_ntpwiz probe ok.example --count "$c"
	expect "--count '$c': refused with the range" \
		'[ "$RC" -eq 1 ] && [ -z "$OUT" ] && [ "$ERR" = "ntpwiz: --count: \"$c\" is not a number of samples from 1 to 16" ]'
done
for t in 49 60001 1s ''; do
	run_ntpwiz probe ok.example --timeout "$t"
	expect "--timeout '$t': refused with the range" \
		'[ "$RC" -eq 1 ] && [ -z "$OUT" ] && [ "$ERR" = "ntpwiz: --timeout: \"$t\" is not a number of milliseconds from 50 to 60000" ]'
done
run_ntpwiz render --count 2
expect "--count with another command: refused" \
	'[ "$RC" -eq 1 ] && [ "$ERR" = "ntpwiz: --count and --timeout are for the probe command" ]'

run_ntpwiz probe 'bad host' --count 2 --timeout 300 --json
expect "--json on bad input: one object with the options, no hosts, the error (also on stderr, as apply does)" \
	'[ "$RC" -eq 1 ] && [ "$ERR" = "host \"bad host\": contains whitespace, which would add options to the directive" ] && [ "$OUT" = "{\"command\":\"probe\",\"count\":2,\"timeout_ms\":300,\"spacing_ms\":250,\"max_distance\":1.500000000,\"elapsed_ms\":0,\"usable\":false,\"hosts\":[],\"errors\":[{\"where\":\"host \\\"bad host\\\"\",\"message\":\"contains whitespace, which would add options to the directive\"}],\"warnings\":[]}" ]'

run_ntpwiz --help
expect "--help lists probe and its options" \
	'contains "$OUT" "  probe    HOST...    ask the servers for the time, all at once" && contains "$OUT" "  --count N  " && contains "$OUT" "  --timeout MS  "'

finish
