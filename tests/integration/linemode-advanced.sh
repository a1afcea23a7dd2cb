#!/bin/bash
# linemode-advanced.sh: line mode's Advanced questions (issue 16) on a pipe:
# a newcomer answers them with Enter and gets the same file as before;
# (then Enter on the operator lines question, extra.<daemon>, which
# linemode-keys.sh tests) answers set minsources, maxdistance and orphan
# mode (chrony, LAN), the start options (start.user, start.family:
# /etc/default/chrony) and
# OpenNTPD's constraints; a wrong answer is refused with the range.
#
# Safety: every run has --root under a temp folder; as root the script runs
# with the host's / read-only (hostguard.sh).

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

new_lm_root() { new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")"; }
lm() {
	printf '%s' "$2" | timeout 20 "$NTPWIZ" --text --root "$1" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}

# --- Enter on every Advanced question changes nothing -----------------------------
root=$(new_lm_root)
lm "$root" 'chrony
y
step
lan
192.168.1.0/24









'"$T_TMP/enter.cfg"'
y
'
expect "Enter on every advanced question: exit 0, written" '[ "$RC" = 0 ] && [ -s "$root/etc/chrony/chrony.conf" ]'
expect "the advanced questions were asked (chrony, LAN: eight rows)" \
	'contains "$OUT" "Advanced" && contains "$OUT" "Sources that must agree" && contains "$OUT" "Largest root distance" && contains "$OUT" "Orphan mode" && contains "$OUT" "Serve NTS" && contains "$OUT" "Hardware timestamping" && contains "$OUT" "Reference clocks" && contains "$OUT" "Run the daemon as this user (-u)" && contains "$OUT" "Address family (-4/-6)"'
expect "... and nothing of them is in the profile or the file, no defaults file" \
	'! grep -q "selection\|orphan\|^start" "$T_TMP/enter.cfg" && ! grep -q "minsources\|maxdistance\|local stratum" "$root/etc/chrony/chrony.conf" && [ ! -e "$root/etc/default/chrony" ]'
printf 'version = 1;\ndaemon = "chrony";\nservers = ( { host = "2.debian.pool.ntp.org"; kind = "pool"; } );\nrestrict = { policy = "lan"; allow = [ "192.168.1.0/24" ]; };\n' >"$T_TMP/same.cfg"
"$NTPWIZ" render --root "$root" "$T_TMP/same.cfg" >"$T_TMP/same.conf" 2>/dev/null
expect "the file is the bytes the profile without them renders" 'cmp -s "$T_TMP/same.conf" "$root/etc/chrony/chrony.conf"'

# --- answers set them ---------------------------------------------------------------
root=$(new_lm_root)
printf 'root:x:0:0::/root:/bin/sh\nntpwiz-t:x:990:990::/:/bin/false\n' >"$root/etc/passwd"
lm "$root" 'chrony
y
step
lan
192.168.1.0/24
3
1.5
10



ntpwiz-t
ipv4

'"$T_TMP/set.cfg"'
y
'
expect "answers: exit 0" '[ "$RC" = 0 ]'
expect "the profile has them" \
	'grep -qx "selection = { minsources = 3; maxdistance = 1.5; };" "$T_TMP/set.cfg" && grep -qx "orphan = { stratum = 10; };" "$T_TMP/set.cfg"'
expect "the file has them" \
	'grep -qx "minsources 3" "$root/etc/chrony/chrony.conf" && grep -qx "maxdistance 1.5" "$root/etc/chrony/chrony.conf" && grep -qx "local stratum 10 orphan" "$root/etc/chrony/chrony.conf"'
expect "start options: the preview shows the defaults file's diff before anything is written" \
	'contains "$OUT" "==> ntpwiz would also change the daemon'"'"'s start options:" && printf "%s\n" "$OUT" | grep -qxF "+DAEMON_OPTS=\"-F 1 -u ntpwiz-t -4\""'
expect "start options: the profile has start = { user; family; }" \
	'grep -qx "start = { user = \"ntpwiz-t\"; family = \"ipv4\"; };" "$T_TMP/set.cfg"'
expect "start options: /etc/default/chrony has Debian's DAEMON_OPTS with -u ntpwiz-t -4" \
	'grep -qx "DAEMON_OPTS=\"-F 1 -u ntpwiz-t -4\"" "$root/etc/default/chrony"'

# --- start.family: a wrong answer is refused, naming the field ---------------------------
root=$(new_lm_root)
lm "$root" 'chrony
y
step
client-only




ipv5
'
expect "start.family ipv5: refused with the accepted values, nothing written" \
	'[ "$RC" = 1 ] && contains "$OUT" "Not accepted: start.family: must be \"any\", \"ipv4\" or \"ipv6\"" && [ ! -e "$root/etc/chrony/chrony.conf" ]'

# --- refclocks (issue 16 section 5): add, see, remove -------------------------------------
root=$(new_lm_root)
lm "$root" 'chrony
y
step
lan
192.168.1.0/24





shm 0 refid GPS offset 0.5 delay 0.2 noselect; pps /dev/pps0 refid PPS lock GPS



'"$T_TMP/rc.cfg"'
y
'
expect "refclocks: typed on one line, both in the profile" \
	'[ "$RC" = 0 ] && grep -qF "{ driver = \"shm\"; unit = 0; refid = \"GPS\"; offset = 0.5; delay = 0.2; noselect = true; }" "$T_TMP/rc.cfg" && grep -qF "{ driver = \"pps\"; device = \"/dev/pps0\"; refid = \"PPS\"; lock = \"GPS\"; }" "$T_TMP/rc.cfg"'
expect "refclocks: ... and in the file" \
	'grep -qx "refclock SHM 0 refid GPS offset 0.5 delay 0.2 noselect" "$root/etc/chrony/chrony.conf" && grep -qx "refclock PPS /dev/pps0 refid PPS lock GPS" "$root/etc/chrony/chrony.conf"'
expect "refclocks: the missing device is a warning the summary shows, not a refusal" \
	'contains "$OUT" "/dev/pps0 does not exist"'
# the next run starts from that file: the question shows them; none removes them
lm "$root" 'chrony
y
step
lan






none



'"$T_TMP/rc2.cfg"'
y
'
# (the prompt wraps at the terminal's width: compared with the lines joined)
JOINED=$(printf '%s' "$OUT" | tr -s ' \n' '  ')
expect "refclocks: the current ones are shown as the answer Enter keeps" \
	'[ "$RC" = 0 ] && contains "$JOINED" "[shm 0 refid GPS offset 0.5 delay 0.2 noselect; pps /dev/pps0 refid PPS lock GPS]"'
expect "refclocks: none removes them from the profile and the file" \
	'! grep -q refclock "$T_TMP/rc2.cfg" "$root/etc/chrony/chrony.conf"'
root=$(new_lm_root)
lm "$root" 'chrony
y
step
lan
192.168.1.0/24





pps dev/pps0
'
expect "refclocks: a relative device is refused with the field and the reason, nothing written" \
	'[ "$RC" = 1 ] && contains "$OUT" "Not accepted: refclocks[0].device: is not an absolute path" && [ ! -e "$root/etc/chrony/chrony.conf" ]'
root=$(new_lm_root)
lm "$root" 'chrony
y
step
lan
192.168.1.0/24





pps /dev/pps0 lock GPS
'
expect "refclocks: a lock naming no refclock is refused" \
	'[ "$RC" = 1 ] && contains "$OUT" "refclocks[0].lock: names no refclock"'

# --- client-only: no orphan question ---------------------------------------------------
root=$(new_lm_root)
lm "$root" 'chrony
y
step
client-only






'"$T_TMP/client.cfg"'
n
'
expect "client-only: orphan mode and refclocks are not asked" '! contains "$OUT" "Orphan mode" && ! contains "$OUT" "Reference clocks" && contains "$OUT" "Sources that must agree"'

# --- a wrong answer: refused with the range, on a pipe it stops there ------------------
root=$(new_lm_root)
lm "$root" 'chrony
y
step
client-only
17
'
expect "minsources 17: refused with the range, nothing written" \
	'[ "$RC" = 1 ] && contains "$OUT" "Not accepted: selection.minsources: must be between 1 and 16" && [ ! -e "$root/etc/chrony/chrony.conf" ]'

# --- OpenNTPD: constraints --------------------------------------------------------------
root=$(new_lm_root)
lm "$root" 'openntpd
y
step
client-only
off

'"$T_TMP/off.cfg"'
y
'
expect "openntpd: only the rows it can do (no minsources), constraints asked" \
	'[ "$RC" = 0 ] && contains "$OUT" "HTTPS time constraints" && ! contains "$OUT" "Sources that must agree"'
expect "openntpd: off writes constraints = false and no constraint line, with the warning" \
	'grep -qx "constraints = false;" "$T_TMP/off.cfg" && ! grep -q "^constraint" "$root/etc/openntpd/ntpd.conf" && grep -q "WARNING: constraints = false" "$root/etc/openntpd/ntpd.conf"'
root=$(new_lm_root)
lm "$root" 'openntpd
y
step
client-only


'"$T_TMP/def.cfg"'
y
'
expect "openntpd: Enter keeps OpenBSD's defaults" \
	'[ "$RC" = 0 ] && grep -qx "constraint from \"9.9.9.9\"" "$root/etc/openntpd/ntpd.conf" && ! grep -q constraints "$T_TMP/def.cfg"'

finish
