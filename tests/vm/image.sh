#!/bin/bash
# tests/vm/image.sh - the Debian guest image of the real-host tier, built
# only from Debian packages with mmdebstrap and cached outside the source
# tree, keyed by a hash of what built it (this script, the package lists,
# the suite, the mirror). Prints the cache folder that holds it:
#
#   DIR/base.raw      ext4 root file system (sparse), booted with -kernel
#   DIR/vmlinuz       the guest's kernel and initramfs (no boot loader)
#   DIR/initrd.img
#   DIR/id_ed25519    the test's ssh key (root's authorized_keys in the image)
#   DIR/build.log     everything the build printed
#
#   image.sh [SUITE]      SUITE defaults to bookworm (Debian 12, systemd)
#
# The daemons are not installed: they sit in a local trusted apt repository
# inside the image (/srv/repo), each resolved alone in the fresh root (they
# conflict), so `ntpwiz apply` with apply.install = true uses the real apt.
# Downloaded .debs are kept (DIR/../debs-SUITE) so a rebuild is cheap.
set -eu
suite=${1:-bookworm}
mirror=${NTPWIZ_VM_MIRROR:-http://deb.debian.org/debian}
here=$(cd "$(dirname "$0")" && pwd)
cache=${NTPWIZ_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ntpwiz-tests}/vm

# What the guest has installed: systemd as PID 1, ssh, networkd, the
# Debian default timesyncd (the seed state), and the libraries the ntpwiz
# built on the host needs (the host is Debian 12 like the guest), including
# gcc-12's sanitizer runtimes because CI's build under test is an ASan build.
include=systemd,systemd-sysv,udev,dbus,kmod,linux-image-amd64,initramfs-tools,iproute2,openssh-server,procps,less,tzdata,systemd-timesyncd,libnewt0.52,libslang2,libconfig9,ncurses-term,libasan8,libubsan1
# What the local repository holds (each resolved alone, with Recommends).
repo_pkgs="chrony ntpsec python3-ntp ntp ntpdate ntpsec-ntpdate ntpsec-ntpdig openntpd systemd-timesyncd"

key=$( { cat "$0"; echo "$suite $mirror $include $repo_pkgs"; } | sha256sum | cut -c1-16)
dir=$cache/$suite-$key
if [ -s "$dir/base.raw" ] && [ -s "$dir/vmlinuz" ] && [ -s "$dir/id_ed25519" ]; then
	echo "$dir"
	exit 0
fi
for t in mmdebstrap mkfs.ext4 dpkg-scanpackages ssh-keygen; do
	command -v "$t" >/dev/null || { echo "image.sh: $t not found (./autogen.sh installs the test dependencies)" >&2; exit 1; }
done
mkdir -p "$cache"
exec 9>"$cache/.lock-$suite"
flock -w 1800 9 || { echo "image.sh: timed out waiting for $cache/.lock-$suite" >&2; exit 1; }
if [ -s "$dir/base.raw" ]; then echo "$dir"; exit 0; fi	# built while we waited

# stale images of this suite (other keys) go: the hash changed
rm -rf "$cache/$suite"-*
tmp=$dir.tmp
rm -rf "$tmp"
mkdir -p "$tmp" "$cache/debs-$suite" "$cache/repo-debs-$suite"
root=$tmp/root
log=$tmp/build.log
ssh-keygen -q -t ed25519 -N '' -C ntpwiz-vm-test -f "$tmp/id_ed25519"

cat >"$tmp/customize.sh" <<'EOF'
#!/bin/sh
# mmdebstrap customize hook: $1 is the new root
set -eu
r=$1
echo ntpwiz-guest >"$r/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 ntpwiz-guest\n' >"$r/etc/hosts"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$r/etc/fstab"
mkdir -p "$r/etc/systemd/network"
printf '[Match]\nName=eth0\n\n[Network]\nAddress=10.231.77.2/24\n' >"$r/etc/systemd/network/10-eth0.network"
chroot "$r" systemctl enable systemd-networkd
chroot "$r" systemctl mask systemd-networkd-wait-online.service
# the seed state: Debian's default timesyncd, told about the host-side server
mkdir -p "$r/etc/systemd/timesyncd.conf.d"
printf '[Time]\nNTP=10.231.77.1\n' >"$r/etc/systemd/timesyncd.conf.d/ntpwiz-test.conf"
mkdir -p "$r/root/.ssh"
chmod 700 "$r/root/.ssh"
cp "$NTPWIZ_VM_PUBKEY" "$r/root/.ssh/authorized_keys"
echo 'UseDNS no' >"$r/etc/ssh/sshd_config.d/ntpwiz-test.conf"
# the driver waits for this line on the serial console
cat >"$r/etc/systemd/system/ntpwiz-up.service" <<'UNIT'
[Unit]
Description=tell the test driver the guest is up
After=ssh.service systemd-networkd.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo NTPWIZ-GUEST-UP > /dev/ttyS0'
[Install]
WantedBy=multi-user.target
UNIT
chroot "$r" systemctl enable ntpwiz-up.service
# the local repository: each daemon resolved alone in this fresh root
mkdir -p "$r/srv/repo/partial"
cp "$NTPWIZ_VM_REPO_CACHE"/*.deb "$r/srv/repo/" 2>/dev/null || true
for p in $NTPWIZ_VM_REPO_PKGS; do
	chroot "$r" apt-get -q -y -o Dir::Cache::archives=/srv/repo/ -o APT::Install-Recommends=true \
		--download-only install "$p"
done
rm -rf "$r/srv/repo/partial" "$r/srv/repo/lock"
(cd "$r/srv/repo" && dpkg-scanpackages -m . >Packages 2>/dev/null)
echo 'deb [trusted=yes] file:/srv/repo ./' >"$r/etc/apt/sources.list"
rm -f "$r"/etc/apt/sources.list.d/*
chroot "$r" apt-get -q update
cp "$r"/srv/repo/*.deb "$NTPWIZ_VM_REPO_CACHE/"
: >"$r/etc/resolv.conf"
EOF
chmod +x "$tmp/customize.sh"

t0=$(date +%s)
{
	echo "== mmdebstrap $suite ($(date -u))"
	NTPWIZ_VM_PUBKEY=$tmp/id_ed25519.pub NTPWIZ_VM_REPO_PKGS=$repo_pkgs \
	NTPWIZ_VM_REPO_CACHE=$cache/repo-debs-$suite \
	mmdebstrap --variant=minbase --include="$include" \
		--skip=download/empty --skip=essential/unlink \
		--setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
		--setup-hook="sync-in $cache/debs-$suite /var/cache/apt/archives/" \
		--customize-hook="sync-out /var/cache/apt/archives $cache/debs-$suite" \
		--customize-hook="$tmp/customize.sh \"\$1\"" \
		"$suite" "$root" "$mirror"
	# the kernel and initramfs are booted directly
	cp -L "$root/vmlinuz" "$tmp/vmlinuz"
	cp -L "$root/initrd.img" "$tmp/initrd.img"
	rm -f "$root"/var/cache/apt/archives/*.deb
	echo "== mkfs.ext4"
	mkfs.ext4 -q -L root -d "$root" "$tmp/base.raw" 3G
	rm -rf "$root"
	echo "== built in $(($(date +%s) - t0)) s"
} >"$log" 2>&1 || {
	echo "image.sh: building the $suite image failed; the last lines of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
}
mv "$tmp" "$dir"
echo "$dir"
