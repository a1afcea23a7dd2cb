#!/bin/bash
# tui/monitor-console.sh: `ntpwiz monitor --once` on an 80-column terminal
# (issue 14 scenario 5: typed on a Debian 12 guest's serial console, its
# status line "synchronised, stratum 9, leap: none, reference 10.231.77.1,
# last update 01:05:09 UTC (16 s ago)" was 95 columns and the terminal
# wrapped it mid-word). Under tmux at 80x24, with a stand-in chronyc
# printing a captured output of the real one (tests/data/peers, as
# monitor-cli.sh does; no daemon): no line wider than the terminal (tmux's
# capture-pane -J joins what the terminal wrapped), the status line broken
# after a comma with every item whole, the table under it. On a pipe the
# status stays one line (monitor-cli.sh).
#
# Exit: 0 pass, 1 fail, 77 skip (no tmux); with CI set, that fails instead.

# shellcheck disable=SC2034  # variables read by expect's conditions
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"
command -v tmux >/dev/null 2>&1 || skip_or_fail "tmux not found"
# shellcheck source=tests/lib/tuilib.sh
. "$srcdir/tests/lib/tuilib.sh"

bin=$T_TMP/bin
mkdir -p "$bin"
cat >"$bin/chronyc" <<EOF
#!/bin/sh
cat "$srcdir/tests/data/peers/chrony-synced.csv"
EOF
chmod 755 "$bin/chronyc"

cols=80
tui_start "monitor-console-$cols" "$cols" 24 || { not_ok "tmux pane ${cols}x24"; finish; exit 1; }
run_in_pane "clear; PATH='$bin':\$PATH '$NTPWIZ' monitor --once --daemon chrony; echo rc=\$?"
shell_done
SCREEN=$(tm capture-pane -p -J -t tui | sed 's/ *$//')
WIDE=$(printf '%s\n' "$SCREEN" | awk -v c="$cols" 'length($0) > c { print length($0) ": " $0 }')
JOINED=$(printf '%s\n' "$SCREEN" | sed 's/^ *//' | tr '\n' ' ')
expect "${cols} columns: monitor --once exits 0" '[ "$PANE_RC" = 0 ]'
expect "${cols} columns: no line wider than the terminal (the terminal wrapped nothing; got: $(printf '%s' "$WIDE" | head -n 2))" \
	'[ -z "$WIDE" ]'
expect "${cols} columns: the status line's items, each whole" \
	'contains "$JOINED" "synchronised, stratum 4, leap: none, reference 10.231.91.1, last update 02:41:55 UTC ("'
expect "${cols} columns: the status line broken after a comma, its rest indented by 2" \
	'printf "%s\n" "$SCREEN" | sed -n 2p | grep -q "^synchronised, stratum 4, .*,$" && printf "%s\n" "$SCREEN" | sed -n 3p | grep -q "^  last update 02:41:55 UTC ("'
expect "${cols} columns: the table with '*' on 10.231.91.1" \
	'printf "%s\n" "$SCREEN" | grep -q "^\* 10\.231\.91\.1 "'
finish
