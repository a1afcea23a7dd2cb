# roots.sh: sandbox roots shared by the golden and import tests (source
# after testlib.sh).
#
# golden_root: the root the golden files are rendered for: Debian 12 with
# tzdata's leap files (right/UTC and leap-seconds.list, as Debian 12's
# tzdata ships them) and ntp.org's ntpd built from source (/usr/sbin/ntpd
# beside ntpdc, the mark detect knows it by; without it, "ntp" on Debian 12
# renders NTPsec's file, see src/release.c). No package database: the
# daemons' versions are unknown, so chrony gets the form every chrony 4
# accepts.
golden_root() {
	local r
	r=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
	mkdir -p "$r/usr/share/zoneinfo/right" "$r/usr/sbin"
	: >"$r/usr/share/zoneinfo/right/UTC"
	: >"$r/usr/share/zoneinfo/leap-seconds.list"
	: >"$r/usr/sbin/ntpd"
	: >"$r/usr/sbin/ntpdc"
	echo "$r"
}
