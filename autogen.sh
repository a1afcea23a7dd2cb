#!/bin/sh
# autogen.sh: install missing build dependencies (Debian/Ubuntu as root),
# regenerate the autotools files, then run ./configure with the given args.
set -e
cd "$(dirname "$0")"

# tool or file -> Debian package that provides it
deps="autoreconf:autoconf automake:automake libtoolize:libtool autopoint:autopoint
pkg-config:pkg-config msgfmt:gettext make:make cc:gcc
pc:libconfig:libconfig-dev pc:ncursesw:libncurses-dev pc:libnewt:libnewt-dev pc:slang:libslang2-dev pc:check:check"
# only the tests use these; without them those tests skip (outside CI)
testdeps="tmux:tmux man:man-db col:bsdextrautils ansible-playbook:ansible-core clang:clang
ip:iproute2 pgrep:procps unshare:util-linux setpriv:util-linux python3:python3
qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils mmdebstrap:mmdebstrap
dpkg-scanpackages:dpkg-dev
dh:debhelper lintian:lintian
yamllint:yamllint pycodestyle:pycodestyle pylint:pylint file:/usr/lib/python3/dist-packages/voluptuous:python3-voluptuous
file:/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a:libclang-rt-dev"

missing_of() {
	for d in "$@"; do
		case "$d" in
		pc:*) mod=${d#pc:}; mod=${mod%%:*}; pkg=${d##*:}
		      command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$mod" && continue ;;
		file:*) glob=${d#file:}; glob=${glob%:*}; pkg=${d##*:}
		      ls $glob >/dev/null 2>&1 && continue ;; # libFuzzer's runtime is only recommended by clang
		*)    tool=${d%%:*}; pkg=${d#*:}
		      command -v "$tool" >/dev/null 2>&1 && continue ;;
		esac
		printf ' %s' "$pkg"
	done
}
missing=$(missing_of $deps)
missing_tests=$(missing_of $testdeps)

if [ -n "$missing$missing_tests" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "autogen.sh: installing build and test dependencies:$missing$missing_tests"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing $missing_tests
elif [ -n "$missing" ]; then
	echo "autogen.sh: missing build dependencies; install these packages (Debian names):" >&2
	echo "  $missing" >&2
	echo "  (Fedora: autoconf automake libtool gettext-devel pkgconf libconfig-devel ncurses-devel newt-devel check-devel)" >&2
	exit 1
elif [ -n "$missing_tests" ]; then
	echo "autogen.sh: some tests will be skipped; for all of them install (Debian names):$missing_tests" >&2
fi

autoreconf -fi
./configure "$@"
