#!/bin/bash
# linemode.sh: the wizard's line mode as a script or a rescue shell uses it,
# on the real binary in sandbox roots: piped answers write the same file as
# the profile they stand for; input that ends early writes nothing and says
# so; </dev/null never hangs; TERM=dumb (or unknown to terminfo) on a real
# terminal picks line mode, and --text forces it.
#
# Safety: every run has --root under a temp folder; as root the script runs
# with the host's / read-only (hostguard.sh). The tmux server (for a real
# terminal) has its own socket and is killed on exit.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

# a Debian 12 sandbox root (testlib.sh's new_root)
new_lm_root() { new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")"; }

# lm ROOT ANSWERS [ARGS...]: line mode with these answers on stdin
lm() {
	local root=$1 answers=$2
	shift 2
	printf '%s' "$answers" | timeout 20 "$NTPWIZ" --text --root "$root" "$@" \
		>"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}

# --- piped answers: the file the equivalent profile renders --------------------
ROOT=$(new_lm_root)
cat >"$T_TMP/expected.cfg" <<'P'
version = 1;
daemon = "chrony";
servers = (
  { host = "0.pool.ntp.org"; kind = "pool"; iburst = true; },
  { host = "ntp1.example.net"; kind = "server"; iburst = true; prefer = true; }
);
leap = { mode = "step"; };
restrict = { policy = "lan"; allow = [ "192.168.1.0/24", "fd00::/8" ]; };
P
ANSWERS='chrony
n
0.pool.ntp.org pool
ntp1.example.net prefer

step
lan
192.168.1.0/24 fd00::/8









'"$T_TMP/saved.cfg"'
y
'
lm "$ROOT" "$ANSWERS"
CONF=$ROOT/etc/chrony/chrony.conf
expect "piped answers: exit 0" '[ "$RC" = 0 ]'
expect "piped answers: nothing on stderr" '[ -z "$ERR" ]'
expect "piped answers: numbered questions with defaults in brackets" \
	'contains "$OUT" "[1/7] Time daemon" && contains "$OUT" "Choice [1]: chrony" && contains "$OUT" "[4/7] Access policy"'
expect "piped answers: the preview is printed before the last question" \
	'[[ $OUT == *"==> The chrony configuration ntpwiz would write to /etc/chrony/chrony.conf:"*"allow fd00::/8"*"[y/N]: y"* ]]'
expect "piped answers: the file is what the equivalent profile renders" \
	'"$NTPWIZ" render "$T_TMP/expected.cfg" --root "$ROOT" | cmp -s - "$CONF"'
expect "piped answers: and what the saved profile renders" \
	'"$NTPWIZ" render "$T_TMP/saved.cfg" --root "$ROOT" | cmp -s - "$CONF"'
run_ntpwiz check "$T_TMP/saved.cfg" --root "$ROOT"
expect "piped answers: check SAVED finds nothing to change" '[ "$RC" = 0 ]'
expect "piped answers: the outcome line" 'contains "$OUT" "changed: $CONF"'

# --- input that ends before the last answer writes nothing -----------------------
full=$(printf '%s' "$ANSWERS" | wc -l)
for cut in 0 1 3 6 8 $((full - 1)); do
	root=$(new_lm_root)
	before=$(tree_state "$root")
	rm -f "$T_TMP/saved.cfg"
	lm "$root" "$(printf '%s' "$ANSWERS" | head -n "$cut")"
	expect "stdin closed after $cut answers: exit 1, says nothing was written" \
		'[ "$RC" = 1 ] && [ "$ERR" = "ntpwiz: the input ended before the last answer; nothing was written." ]'
	expect "stdin closed after $cut answers: nothing written, no profile" \
		'[ "$(tree_state "$root")" = "$before" ] && [ ! -e "$T_TMP/saved.cfg" ]'
done

# --- </dev/null: no hang ----------------------------------------------------------
root=$(new_lm_root)
start=$(date +%s)
timeout 10 "$NTPWIZ" --root "$root" </dev/null >"$T_TMP/out" 2>"$T_TMP/err"
RC=$?
expect "</dev/null: line mode ends at once with exit 1 (not 124 from timeout)" '[ "$RC" = 1 ]'
expect "</dev/null: took under 10 s" '[ $(( $(date +%s) - start )) -lt 10 ]'
expect "</dev/null: says nothing was written" 'grep -qF "nothing was written" "$T_TMP/err"'

# --- a script's wrong answer is explained, and it stops there ----------------------
# (a retry would take the next line, meant for the next question: issue 15)
root=$(new_lm_root)
lm "$root" 'chrony
y
sometimes
never
often
'
expect "a wrong answer on a pipe: exit 1, names the question and the answer" \
	'[ "$RC" = 1 ] && contains "$ERR" "Leap seconds: the answer \"sometimes\" was not accepted" && contains "$ERR" "nothing was written"'
expect "the wrong answer is explained once, the next lines are not taken" \
	'[ "$(grep -c "Not accepted: enter a number from 1 to 4, or a name from the list" "$T_TMP/out")" = 1 ] && ! grep -qx never "$T_TMP/out"'
expect "the leap question names what chrony does not offer (nothing) and ntpsec would" \
	'! contains "$OUT" "not offered:"'
lm "$root" 'ntpsec
y
'
expect "ntpsec: smear, slew and ignore are listed as not offered, with the reason" \
	'contains "$OUT" "not offered: smear (ntpsec cannot do leap mode \"smear\""'

# --- a real terminal: TERM=dumb / unknown picks line mode; --text forces it -------
if command -v tmux >/dev/null 2>&1; then
	SOCKS=()
	trap 'for s in "${SOCKS[@]}"; do tmux -L "$s" kill-server >/dev/null 2>&1; done; rm -rf "$T_TMP"' EXIT
	root=$(new_lm_root)
	n=0
	for term in dumb vt-nonexistent-42 xterm; do
		extra=
		[ "$term" = xterm ] && extra=--text
		# one tmux server per case: a new server on a socket whose old
		# server is still shutting down would not start
		SOCK=ntpwiz-lm-$$-$((n++))
		SOCKS+=("$SOCK")
		tmux -L "$SOCK" new-session -d -x 80 -y 24 \
			"env TERM=$term $NTPWIZ --root $root $extra; echo rc=\$?; sleep 60"
		seen=no
		for ((i = 0; i < 200; i++)); do
			if tmux -L "$SOCK" capture-pane -p | grep -qF "Choice [1]:"; then
				seen=yes
				break
			fi
			sleep 0.05
		done
		expect "TERM=$term $extra on a terminal: line mode asks the first question" '[ "$seen" = yes ]'
		[ "$seen" = yes ] || tmux -L "$SOCK" capture-pane -p | sed 's/^/# | /'
		tmux -L "$SOCK" send-keys C-d
		for ((i = 0; i < 200; i++)); do
			tmux -L "$SOCK" capture-pane -p | grep -q "rc=" && break
			sleep 0.05
		done
		expect "TERM=$term: end of input (Ctrl-D) on the terminal: exit 1, nothing written" \
			'tmux -L "$SOCK" capture-pane -p | grep -qx "rc=1" && [ ! -e "$root/etc/chrony" ]'
		tmux -L "$SOCK" kill-server >/dev/null 2>&1
	done
elif [ -n "${CI-}" ]; then
	not_ok "tmux is needed for the terminal checks (CI)"
else
	echo "# tmux not found: the terminal checks are skipped"
fi

finish
