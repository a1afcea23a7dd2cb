#!/bin/sh
# autogen.sh: install missing build dependencies (Debian/Ubuntu as root),
# regenerate the autotools files, then run ./configure with the given args.
set -e
cd "$(dirname "$0")"

# tool or file -> Debian package that provides it
deps="autoreconf:autoconf automake:automake libtoolize:libtool autopoint:autopoint
pkg-config:pkg-config msgfmt:gettext make:make cc:gcc tmux:tmux clang:clang
pc:libconfig:libconfig-dev pc:ncursesw:libncurses-dev pc:libnewt:libnewt-dev pc:check:check"

missing=""
for d in $deps; do
	case "$d" in
	pc:*) mod=${d#pc:}; mod=${mod%%:*}; pkg=${d##*:}
	      command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$mod" && continue ;;
	*)    tool=${d%%:*}; pkg=${d#*:}
	      command -v "$tool" >/dev/null 2>&1 && continue ;;
	esac
	missing="$missing $pkg"
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "autogen.sh: installing build dependencies:$missing"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
	else
		echo "autogen.sh: missing build dependencies; install these packages (Debian names):" >&2
		echo "  $missing" >&2
		echo "  (Fedora: autoconf automake libtool gettext-devel pkgconf libconfig-devel ncurses-devel newt-devel check-devel tmux)" >&2
		exit 1
	fi
fi

autoreconf -fi
./configure "$@"
