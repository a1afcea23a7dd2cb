#!/bin/bash
# readme-screens.sh: prints each wizard page as tmux shows it at 80x24, for
# README.md ("The wizard, page by page"). Not a test: run it by hand after
# changing a page, and paste its output into README.md.
#   bash tests/tui/readme-screens.sh [NTPWIZ] > /tmp/screens.md
# A sandbox root (Debian 12 with its stock chrony.conf) is made and removed;
# nothing else is written, and the Test button is not pressed (the network
# is never used).
set -u
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
NTPWIZ=${1:-$srcdir/ntpwiz}
# A fixed root path, so the screens in README.md do not change with each run.
T=/tmp/ntpwiz-readme
[ -e "$T" ] && { echo "$T exists; remove it first" >&2; exit 1; }
mkdir -p "$T"
SOCK=ntpwiz-screens-$$
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT
mkdir -p "$T/root/etc/chrony"
cp "$srcdir/tests/data/roots/debian12-os-release" "$T/root/etc/os-release"
cp "$srcdir/tests/data/roots/debian12-chrony.conf" "$T/root/etc/chrony/chrony.conf"

screen() { tm capture-pane -p -t s; }
wait_for() {
	for ((i = 0; i < 200; i++)); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	echo "timed out waiting for: $1" >&2
	exit 1
}
keys() { tm send-keys -t s "$@"; }
shot() { # TITLE
	printf '### %s\n\n```\n' "$1"
	screen | sed -e 's/[[:space:]]*$//'
	printf '```\n\n'
}

tm new-session -d -s s -x 80 -y 24 "env TERM=xterm LANG=C.UTF-8 $NTPWIZ --root $T/root"
tm set-option -t s status off >/dev/null
wait_for "1/9 Welcome"
shot "1. Welcome"
keys Enter
wait_for "2/9 Time daemon"
shot "2. Time daemon"
keys Enter
wait_for "is not installed under"
keys Enter
wait_for "3/9 Time servers"
shot "3. Time servers"
keys F12
wait_for "4/9 Leap seconds"
shot "4. Leap seconds"
keys F12
wait_for "5/9 Access policy"
keys Down Space Tab Tab
keys -l "192.168.1.0/24"
sleep 0.3
shot "5. Access policy"
keys F12
wait_for "6/9 Advanced"
sleep 0.3
shot "6. Advanced (skippable: Next changes nothing)"
keys F12
wait_for "7/9 Summary"
shot "7. Summary and preview"
keys BTab BTab BTab Enter
wait_for "@@"
shot "7. Summary: the diff against the current file"
keys Escape
sleep 0.3
keys Tab Tab Enter
wait_for "now?"
keys BTab Enter
wait_for "8/9 Apply"
sleep 0.3
shot "8. Apply"
keys F12
wait_for "9/9 Peers"
shot "9. Peers"
