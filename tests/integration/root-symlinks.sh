#!/bin/bash
# root-symlinks.sh: every file ntpwiz reads under --root, planted as a
# symlink that points out of the root (absolute, and "../.." relative), and
# as a folder on the way that does: os-release (detect), the daemon's config
# (import, preview, audit), the leap-second list (audit), dpkg's status
# (detect), the backups (rollback). The file outside carries a marker that
# must never show up, and nothing outside is ever written.
# (test_sysops runs the same escapes with openat2 and with the by-hand walk.)
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"

DEBIAN=$(cat "$srcdir/tests/data/roots/debian12-os-release")
out=$T_TMP/outside
mkdir -p "$out/etc/chrony" "$out/zoneinfo" "$out/dpkg" "$out/backups"
# the outside files: each a valid file of its kind, with a marker
printf 'ID=escaped\nPRETTY_NAME="ESCAPED-OS"\n' >"$out/os-release"
printf 'server escaped.example iburst\ncmdallow all\nbindcmdaddress 0.0.0.0\n' >"$out/chrony.conf"
cp "$out/chrony.conf" "$out/etc/chrony/chrony.conf"
printf '#@\t3155760000\n' >"$out/leap-seconds.list" # 2000-01-01: expired
printf 'Package: chrony\nStatus: install ok installed\nVersion: 0.1-ESCAPED\n\n' >"$out/status"
cp "$out/chrony.conf" "$out/backups/etc_chrony_chrony.conf.20260101T000000Z"
outside_before=$(tree_state "$out")

# up DIR: the "../" chain from DIR (a host path) to the host's /
up() {
	local chain=
	for _ in $(echo "$1" | tr '/' ' '); do chain="../$chain"; done
	echo "$chain"
}

# plant ROOT PATH TARGET KIND: PATH under ROOT becomes a link to TARGET on the
# host (KIND abs: /TARGET; rel: ../../TARGET from PATH's folder)
plant() {
	local root=$1 p=$2 target=$3 kind=$4 dir
	dir=$(dirname "$root$p")
	mkdir -p "$dir"
	rm -rf "${root:?}$p"
	if [ "$kind" = abs ]; then
		ln -s "$target" "$root$p"
	else
		ln -s "$(up "$dir")${target#/}" "$root$p"
	fi
}

debian_root() {
	local r
	r=$(new_root "$DEBIAN")
	mkdir -p "$r/usr/sbin" "$r/etc/chrony"
	: >"$r/usr/sbin/chronyd"
	printf 'pool inside.example iburst\n' >"$r/etc/chrony/chrony.conf"
	echo "$r"
}

for kind in abs rel; do
	# --- os-release ---------------------------------------------------------------
	r=$(debian_root)
	plant "$r" /etc/os-release "$out/os-release" $kind
	expect "$kind link, /etc/os-release: seen from the host, it leads out of the root" \
		'grep -q ESCAPED-OS "$r/etc/os-release"'
	run_ntpwiz detect --root "$r" --json
	expect "$kind link, /etc/os-release: detect does not read the host's file" \
		'[ "$RC" -eq 0 ] && ! contains "$OUT" "ESCAPED" && ! contains "$OUT" "escaped"'

	# --- the daemon's config: the file, and its folder --------------------------------
	for what in file folder; do
		r=$(debian_root)
		if [ $what = file ]; then
			plant "$r" /etc/chrony/chrony.conf "$out/chrony.conf" $kind
		else
			plant "$r" /etc/chrony "$out/etc/chrony" $kind
		fi
		expect "$kind link, chrony.conf's $what: seen from the host, it leads out of the root" \
			'grep -q escaped.example "$r/etc/chrony/chrony.conf"'
		run_ntpwiz import --root "$r" --daemon chrony
		expect "$kind link, chrony.conf's $what: import does not read the host's file" \
			'! contains "$OUT$ERR" "escaped.example"'
		run_ntpwiz preview --root "$r" --daemon chrony
		expect "$kind link, chrony.conf's $what: preview's diff does not show it" \
			'! contains "$OUT$ERR" "escaped.example"'
		run_ntpwiz audit --root "$r" --daemon chrony
		expect "$kind link, chrony.conf's $what: audit finds nothing of it" \
			'[ "$RC" -ne 3 ] && ! contains "$OUT" "chrony-cmd"'
	done

	# --- the leap-second list ------------------------------------------------------------
	r=$(debian_root)
	plant "$r" /usr/share/zoneinfo/leap-seconds.list "$out/leap-seconds.list" $kind
	run_ntpwiz audit --root "$r"
	expect "$kind link, leap-seconds.list: audit does not read the host's file" \
		'! contains "$OUT" "2000-01-01"'
	r=$(debian_root)
	plant "$r" /usr/share/zoneinfo "$out/zoneinfo" $kind
	cp "$out/leap-seconds.list" "$out/zoneinfo/"
	run_ntpwiz audit --root "$r"
	expect "$kind link, /usr/share/zoneinfo folder: audit does not read the host's list" \
		'! contains "$OUT" "2000-01-01"'
	rm "$out/zoneinfo/leap-seconds.list"

	# --- dpkg's status -----------------------------------------------------------------------
	r=$(debian_root)
	plant "$r" /var/lib/dpkg/status "$out/status" $kind
	run_ntpwiz detect --root "$r" --json
	expect "$kind link, dpkg status: detect shows no version from the host's file" \
		'[ "$RC" -eq 0 ] && ! contains "$OUT" "ESCAPED"'
	r=$(debian_root)
	plant "$r" /var/lib/dpkg "$out/dpkg" $kind
	cp "$out/status" "$out/dpkg/status"
	run_ntpwiz detect --root "$r" --json
	expect "$kind link, /var/lib/dpkg folder: detect shows no version from the host's file" \
		'! contains "$OUT" "ESCAPED"'
	rm "$out/dpkg/status"

	# --- the backups ---------------------------------------------------------------------------
	for what in file folder; do
		r=$(debian_root)
		mkdir -p "$r/var/backups/ntpwiz"
		chmod 700 "$r/var/backups/ntpwiz"
		if [ $what = file ]; then
			plant "$r" /var/backups/ntpwiz/etc_chrony_chrony.conf.20260101T000000Z \
				"$out/backups/etc_chrony_chrony.conf.20260101T000000Z" $kind
		else
			plant "$r" /var/backups/ntpwiz "$out/backups" $kind
		fi
		run_ntpwiz rollback --root "$r" --no-restart
		expect "$kind link, a backup $what: rollback does not restore the host's file" \
			'! grep -q escaped.example "$r/etc/chrony/chrony.conf" 2>/dev/null'
	done
done
check "nothing outside the roots was written" [ "$(tree_state "$out")" = "$outside_before" ]

finish
