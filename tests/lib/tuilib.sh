#!/bin/bash
# tuilib.sh: drive the real wizard in a tmux pane (sourced after testlib.sh).
# One tmux server per script, on its own socket (ntpwiz-<name>-$$), killed
# on exit. The pane runs a plain bash whose prompt tells when a command has
# ended. Every wizard run must have --root SANDBOX.

TUI_PROMPT='TUIPROMPT$ '
TUI_PROMPT_SEEN='TUIPROMPT$' # capture-pane drops trailing blanks

# tui_start NAME COLS ROWS: the server and the pane
tui_start() {
	TUI_SOCK=ntpwiz-$1-$$
	trap 'tmux -L "$TUI_SOCK" kill-server >/dev/null 2>&1; rm -rf "$T_TMP"' EXIT
	tmux -L "$TUI_SOCK" new-session -d -s tui -x "$2" -y "$3" \
		"env PS1='$TUI_PROMPT' TERM=xterm bash --norc --noprofile" || return 1
	tmux -L "$TUI_SOCK" set-option -t tui status off >/dev/null
	wait_for "$TUI_PROMPT_SEEN"
}
tm() { tmux -L "$TUI_SOCK" "$@"; }
screen() { tm capture-pane -p -t tui; }
keys() { tm send-keys -t tui "$@"; }
run_in_pane() { keys -l "$1"; keys Enter; }

# wait_for TEXT [SECONDS]: polls the screen until TEXT shows (default 15 s)
wait_for() {
	local text=$1 limit=${2:-15} i
	for ((i = 0; i < limit * 20; i++)); do
		screen | grep -qF -- "$text" && return 0
		sleep 0.05
	done
	echo "# timed out waiting for: $text" >&2
	screen | sed 's/^/# | /' >&2
	return 1
}

# wait_gone TEXT: polls until TEXT is no longer on the screen
wait_gone() {
	local i
	for ((i = 0; i < 200; i++)); do
		screen | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	return 1
}

# shell_done: waits until the command in the pane ended; sets PANE_RC
shell_done() {
	wait_for "rc=" 20 || return 1
	PANE_RC=$(screen | sed -n 's/.*rc=\([0-9]*\).*/\1/p' | tail -1)
}

# screen_text: the screen's text with the frame characters and the runs of
# blanks taken out and the rows joined, for text a dialog reflowed
screen_text() {
	screen | sed 's/[│┤├┌┐└┘─▒↑↓■]//g; s/^ *//; s/ *$//' | tr '\n' ' ' | tr -s ' '
}

# new_tui_root: a Debian 12 sandbox root (os-release only)
# a Debian 12 sandbox root (testlib.sh's new_root)
new_tui_root() { new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")"; }
