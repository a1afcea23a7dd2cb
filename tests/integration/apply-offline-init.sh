#!/bin/bash
# apply-offline-init.sh (issue 14, defects D3 and D4): `ntpwiz apply --root`
# on a sysvinit, OpenRC or runit system that is not running (a disk mounted
# in a rescue shell) enables the daemon for the next boot with the target's
# own tools, run through chroot (sysvinit, OpenRC) or with the link Debian's
# runit-helper makes (runit), instead of "skipped enable".
#
# Sandbox roots (Debian 12) with the stand-in chroot first on PATH
# (tests/lib/standins/chroot: logs its argv and acts out update-rc.d and
# rc-update on the files under the root). Every ntpwiz run has --root.
#
#  1. sysvinit, chrony with K01chrony links only (disabled, as on the guest):
#     chroot ROOT update-rc.d chrony enable; S01chrony in rc2-5; exit 0.
#  2. sysvinit, chrony with no rc links at all: `defaults` first, then
#     `enable` (Debian's update-rc.d refuses enable without links).
#  3. OpenRC: chroot ROOT rc-update add chrony default; the runlevel link.
#  4. runit: /etc/runit/runsvdir/default/chrony -> /etc/sv/chrony, no chroot;
#     without /etc/sv/chrony the step fails, says what is missing, exit 1.

# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

STANDINS=$srcdir/tests/lib/standins
export PATH="$STANDINS:$PATH"
export NTPWIZ_STANDIN_LOG="$T_TMP/standin.log"
unset STANDIN_FAIL
ROOTS=$srcdir/tests/data/roots

cat >"$T_TMP/p.cfg" <<'P'
version = 1;
apply = { backup = true; restart = true; stop_conflicting = true; install = false; };
P

# init_root INIT: a Debian 12 root with chrony installed (a stub binary)
init_root() {
	local r
	r=$(mktemp -d "$T_TMP/$1.XXXXXX")
	mkdir -p "$r/etc/init.d" "$r/usr/sbin" "$r/etc/chrony"
	cp "$ROOTS/debian12-os-release" "$r/etc/os-release"
	printf '#!/bin/sh\n' >"$r/usr/sbin/chronyd" && chmod 755 "$r/usr/sbin/chronyd"
	printf '#!/bin/sh\n' >"$r/etc/init.d/chrony" && chmod 755 "$r/etc/init.d/chrony"
	case $1 in
	sysvinit) : >"$r/etc/inittab" ;;
	openrc) mkdir -p "$r/sbin" "$r/etc/runlevels/default" && printf '#!/bin/sh\n' >"$r/sbin/openrc-run" ;;
	runit) mkdir -p "$r/etc/runit/runsvdir/default" "$r/usr/bin" && : >"$r/etc/runit/1" ;;
	esac
	echo "$r"
}

# 1. sysvinit, disabled (K links everywhere)
r=$(init_root sysvinit)
for l in 0 1 2 3 4 5 6; do mkdir -p "$r/etc/rc$l.d" && ln -s ../init.d/chrony "$r/etc/rc$l.d/K01chrony"; done
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/p.cfg" --root "$r" --daemon chrony
expect "sysvinit: apply exits 0" '[ "$RC" = 0 ]'
expect "sysvinit: enable runs the target's update-rc.d through chroot" \
	'grep -qx "chroot $r update-rc.d chrony enable" "$NTPWIZ_STANDIN_LOG"'
expect "sysvinit: no defaults when links exist" \
	'! grep -q "update-rc.d chrony defaults" "$NTPWIZ_STANDIN_LOG"'
expect "sysvinit: S01chrony in rc2.d..rc5.d" \
	'[ -L "$r/etc/rc2.d/S01chrony" ] && [ -L "$r/etc/rc5.d/S01chrony" ] && [ ! -e "$r/etc/rc2.d/K01chrony" ]'
if ! command -v chronyd >/dev/null 2>&1; then
	expect "sysvinit: the skipped check says the checker is this machine's chronyd" \
		'contains "$OUT" "chronyd not found on this machine (under --root the checker is this machine'"'"'s daemon"'
fi
expect "sysvinit: no 'skipped enable'" '! contains "$OUT$ERR" "inside the target system"'
expect "sysvinit: the enable step names the command" \
	'contains "$OUT$ERR" "chroot $r update-rc.d chrony enable"'
run_ntpwiz detect --root "$r" --json
expect "sysvinit: detect then sees chrony enabled" \
	'python3 -c "import json,sys; j=json.loads(sys.argv[1]); sys.exit(0 if [d for d in j[\"daemons\"] if d[\"daemon\"]==\"chrony\"][0][\"enabled\"] else 1)" "$OUT"'

# 2. sysvinit, no links at all
r=$(init_root sysvinit)
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/p.cfg" --root "$r" --daemon chrony
expect "sysvinit, no links: exit 0" '[ "$RC" = 0 ]'
expect "sysvinit, no links: defaults, then enable" \
	'[ "$(grep update-rc.d "$NTPWIZ_STANDIN_LOG")" = "chroot $r update-rc.d chrony defaults
chroot $r update-rc.d chrony enable" ]'
expect "sysvinit, no links: S01chrony in rc2.d" '[ -L "$r/etc/rc2.d/S01chrony" ]'

# 3. OpenRC
r=$(init_root openrc)
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/p.cfg" --root "$r" --daemon chrony
expect "openrc: exit 0" '[ "$RC" = 0 ]'
expect "openrc: chroot ROOT rc-update add chrony default" \
	'grep -qx "chroot $r rc-update add chrony default" "$NTPWIZ_STANDIN_LOG"'
expect "openrc: the default runlevel link" '[ -L "$r/etc/runlevels/default/chrony" ]'
expect "openrc: no 'skipped enable'" '! contains "$OUT$ERR" "inside the target system"'

# 4. runit
r=$(init_root runit)
mkdir -p "$r/etc/sv/chrony" && printf '#!/bin/sh\nexec chronyd -d\n' >"$r/etc/sv/chrony/run"
: >"$NTPWIZ_STANDIN_LOG"
run_ntpwiz apply "$T_TMP/p.cfg" --root "$r" --daemon chrony
expect "runit: exit 0" '[ "$RC" = 0 ]'
expect "runit: the runsvdir link, as runit-helper makes it" \
	'[ "$(readlink "$r/etc/runit/runsvdir/default/chrony")" = /etc/sv/chrony ]'
expect "runit: no chroot" '! grep -q "^chroot" "$NTPWIZ_STANDIN_LOG"'
expect "runit: no 'skipped enable'" '! contains "$OUT$ERR" "inside the target system"'
r=$(init_root runit)
run_ntpwiz apply "$T_TMP/p.cfg" --root "$r" --daemon chrony
expect "runit, no /etc/sv/chrony: no link" '[ ! -e "$r/etc/runit/runsvdir/default/chrony" ] && [ ! -L "$r/etc/runit/runsvdir/default/chrony" ]'
expect "runit, no /etc/sv/chrony: says what is missing" 'contains "$OUT$ERR" "/etc/sv/chrony does not exist"'
expect "runit, no /etc/sv/chrony: exit 1 (the enable step failed)" '[ "$RC" = 1 ]'

finish
