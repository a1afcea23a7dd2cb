#!/bin/bash
# tui/i18n.sh: the wizard (newt) and the monitor (ncurses) in German and
# French under a UTF-8 locale, at 80x24 in tmux: the catalogs' texts appear
# with their accents and umlauts drawn as such (not as '?' or escapes), and
# the frames still line up.
#
# The catalogs are compiled from po/*.po into our temp folder
# (NTPWIZ_LOCALEDIR). The wizard runs on a sandbox --root and is left with
# Ctrl-C before anything is written; the monitor asks a stand-in chronyc
# that never answers (no daemon, no network).

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"
for t in tmux msgfmt; do
	command -v "$t" >/dev/null 2>&1 || skip_or_fail "$t not found"
done

SOCK=ntpwiz-i18n-$$
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$T_TMP"' EXIT
screen() { tm capture-pane -p -t s; }
wait_for() { # TEXT: polls the screen for up to 15 s
	for ((i = 0; i < 300; i++)); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	echo "# timed out waiting for: $1" >&2
	screen | sed 's/^/# | /' >&2
	return 1
}

for lang in de fr; do
	mkdir -p "$T_TMP/locale/$lang/LC_MESSAGES"
	msgfmt -o "$T_TMP/locale/$lang/LC_MESSAGES/ntpwiz.mo" "$srcdir/po/$lang.po" ||
		not_ok "$lang: the catalog compiles"
done
ROOT=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
mkdir -p "$T_TMP/bin"
printf '#!/bin/sh\nexec sleep 30\n' >"$T_TMP/bin/chronyc" # never answers
chmod +x "$T_TMP/bin/chronyc"
ENV="env LANG=C.UTF-8 LC_ALL=C.UTF-8 NTPWIZ_LOCALEDIR=$T_TMP/locale TERM=xterm"

run() { # LANG COMMAND...: a fresh 80x24 pane running COMMAND
	tm kill-server >/dev/null 2>&1 && sleep 0.3
	tm new-session -d -s s -x 80 -y 24 "$ENV LANGUAGE=$1 ${*:2}; sleep 30" ||
		skip_or_fail "cannot start a tmux server"
	tm set-option -t s status off >/dev/null
}
# A frame line of the wizard's window: │ at both ends, the right one in column 79.
# Counted in characters (wc -m under the UTF-8 locale), not bytes.
frames_line_up() {
	local line n
	while IFS= read -r line; do
		n=$(printf '%s' "$line" | LC_ALL=C.UTF-8 wc -m)
		[ "$n" -eq 79 ] || return 1 # " │" ... "│": the window's right edge is column 79
	done < <(screen | grep '│')
}

# --- the wizard -----------------------------------------------------------------
before=$(tree_state "$ROOT")
run de "$NTPWIZ" --root "$ROOT"
check "de: the wizard's welcome page in German" wait_for "ntpwiz richtet den Zeitdienst ein"
expect "de: umlauts drawn as such (Zurück, Schließen or Abbrechen)" 'screen | grep -qF "Zurück"'
expect "de: the window's frame lines up with umlauts inside" frames_line_up
tm send-keys -t s C-c
gone() { for ((i = 0; i < 100; i++)); do screen | grep -qF -- "$1" || return 0; sleep 0.05; done; return 1; }
check "de: Ctrl-C leaves the wizard and clears its screen" gone "Zurück"
run fr "$NTPWIZ" --root "$ROOT"
check "fr: the wizard in French, accents drawn (Précédent)" wait_for "Précédent"
expect "fr: the window's frame lines up with accents inside" frames_line_up
tm send-keys -t s C-c
sleep 0.3
expect "the wizard wrote nothing" '[ "$(tree_state "$ROOT")" = "$before" ]'

# --- the monitor ------------------------------------------------------------------
run de "PATH=$T_TMP/bin:\$PATH" "$NTPWIZ" monitor --daemon chrony
check "de: the monitor asks, in German (Abfrage läuft)" wait_for "Abfrage läuft..."
tm send-keys -t s '?'
check "de: the monitor's help in German with umlauts" wait_for "öfter / seltener aktualisieren"
tm send-keys -t s q q
run fr "PATH=$T_TMP/bin:\$PATH" "$NTPWIZ" monitor --daemon chrony
check "fr: the monitor in French" wait_for "interrogation..."
tm send-keys -t s '?'
check "fr: the monitor's help in French" wait_for "actualiser plus / moins souvent"
tm send-keys -t s q q
finish
