#!/bin/bash
# promtool.sh: finds promtool for the Prometheus output tests (sourced).
#
#   promtool_find    echo the path of a promtool that runs, fetching it
#                    into the cache when missing; returns 1 when it cannot
#                    be had (the caller then uses tests/lib/promcheck.py)
#
# Debian's `prometheus` package has promtool. It is never installed on the
# machine (the package would start a Prometheus server): `apt-get download`
# + `dpkg -x` into $(daemons_test_cache)/promtool, like tests/lib/daemons.sh
# does for the time daemons. A binary on PATH or $PROMTOOL is used first.

# shellcheck source=tests/lib/daemons.sh
. "${srcdir:?}/tests/lib/daemons.sh"

promtool_find() {
	local cache dir deb log bin
	if [ -n "${PROMTOOL-}" ] && "$PROMTOOL" --version >/dev/null 2>&1; then
		printf '%s\n' "$PROMTOOL"
		return 0
	fi
	if bin=$(command -v promtool) && "$bin" --version >/dev/null 2>&1; then
		printf '%s\n' "$bin"
		return 0
	fi
	cache=$(daemons_test_cache)/promtool
	bin=$cache/root/usr/bin/promtool
	if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
		printf '%s\n' "$bin"
		return 0
	fi
	command -v apt-get >/dev/null && command -v dpkg >/dev/null || return 1
	mkdir -p "$cache/debs" || return 1
	log=$cache/apt-download.log
	(
		# one download at a time when several tests ask together
		flock 9
		[ -x "$bin" ] && exit 0
		deb=$(ls "$cache/debs"/prometheus_*.deb 2>/dev/null | head -n 1)
		if [ -z "$deb" ]; then
			(cd "$cache/debs" && timeout 600 apt-get download prometheus) >"$log" 2>&1 || exit 1
			deb=$(ls "$cache/debs"/prometheus_*.deb 2>/dev/null | head -n 1)
		fi
		[ -n "$deb" ] || exit 1
		rm -rf "$cache/root.new"
		dpkg -x "$deb" "$cache/root.new" && rm -rf "$cache/root" && mv "$cache/root.new" "$cache/root"
	) 9>"$cache/.lock" || {
		echo "promtool_find: cannot fetch Debian's prometheus package (see $log)" >&2
		return 1
	}
	[ -x "$bin" ] && "$bin" --version >/dev/null 2>&1 || return 1
	printf '%s\n' "$bin"
}
