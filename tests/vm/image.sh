#!/bin/bash
# tests/vm/image.sh - a Debian guest image of the real-host tier, built
# only from Debian packages with mmdebstrap and cached outside the source
# tree, keyed by a hash of what built it (this script, the suite, the init
# system, the mirror, the package lists). Prints the cache folder that
# holds it:
#
#   DIR/base.raw      ext4 root file system (sparse), booted with -kernel
#   DIR/vmlinuz       the guest's kernel and initramfs (no boot loader)
#   DIR/initrd.img
#   DIR/id_ed25519    the test's ssh key (root's authorized_keys in the image)
#   DIR/repo.list     the packages of the local repository (/srv/repo)
#   DIR/build.log     everything the build printed, with its time
#
#   image.sh [SUITE [INIT]]
#     SUITE  bookworm (Debian 12, the default) | trixie (Debian 13)
#     INIT   systemd (default) | sysvinit | openrc | runit: the package that
#            is PID 1 (systemd-sysv, sysvinit-core, openrc, runit-init)
#
# The daemons are not installed: they sit in a local trusted apt repository
# inside the image (/srv/repo), each resolved alone in the fresh root (they
# conflict), so `ntpwiz apply` with apply.install = true uses the real apt.
# Downloaded .debs are kept (DIR/../debs-SUITE, repo-debs-SUITE) so a
# rebuild is cheap. The ntpwiz under test is not in the image: the scenario
# copies it in, with any of its libraries the guest lacks (tests/vm/README).
set -eu
suite=${1:-bookworm}
init=${2:-systemd}
mirror=${NTPWIZ_VM_MIRROR:-http://deb.debian.org/debian}
cache=${NTPWIZ_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ntpwiz-tests}/vm

case $suite in
bookworm | trixie) ;;
*) echo "image.sh: unknown suite $suite (bookworm, trixie)" >&2; exit 2 ;;
esac
# What the guest has installed, per init system: PID 1, ssh, a static
# address, and the seed state. The cloud kernel flavour (virtio, no
# hardware drivers) is smaller to unpack and quicker to boot; the initramfs
# holds only the modules listed below (MODULES=list). tzdata as on every
# Debian host (what ntpwiz writes for chrony's leap seconds depends on it).
common=udev,kmod,linux-image-cloud-amd64,initramfs-tools,iproute2,openssh-server,procps,tzdata
case $init in
systemd)
	# Debian's default: systemd-timesyncd (the seed state)
	include=$common,systemd,systemd-sysv,dbus,systemd-timesyncd
	repo_pkgs="chrony ntpsec python3-ntp ntp ntpdate ntpsec-ntpdate ntpsec-ntpdig openntpd systemd-timesyncd" ;;
sysvinit)
	# no time daemon: systemd-timesyncd needs systemd as PID 1
	include=$common,sysvinit-core,sysv-rc,initscripts,ifupdown
	repo_pkgs="chrony ntpsec python3-ntp ntp ntpdate ntpsec-ntpdate ntpsec-ntpdig openntpd" ;;
openrc)
	include=$common,sysvinit-core,openrc,ifupdown
	repo_pkgs="chrony ntpsec python3-ntp ntpdate ntpsec-ntpdate openntpd" ;;
runit)
	include=$common,runit-init,runit-services,ifupdown
	repo_pkgs="chrony ntpsec python3-ntp ntpdate ntpsec-ntpdate openntpd" ;;
*) echo "image.sh: unknown init system $init (systemd, sysvinit, openrc, runit)" >&2; exit 2 ;;
esac
initrd_modules="virtio_pci virtio_blk ext4 crc32c_generic"

key=$( { cat "$0"; echo "$suite $init $mirror $include $repo_pkgs $initrd_modules"; } | sha256sum | cut -c1-16)
dir=$cache/$suite-$init-$key
if [ -s "$dir/base.raw" ] && [ -s "$dir/vmlinuz" ] && [ -s "$dir/id_ed25519" ]; then
	echo "$dir"
	exit 0
fi
for t in mmdebstrap mkfs.ext4 dpkg-scanpackages ssh-keygen flock; do
	command -v "$t" >/dev/null || { echo "image.sh: $t not found (./autogen.sh installs the test dependencies)" >&2; exit 1; }
done
mkdir -p "$cache"
# one build per suite at a time: they share the suite's .deb caches
exec 9>"$cache/.lock-$suite"
flock -w 3600 9 || { echo "image.sh: timed out waiting for $cache/.lock-$suite" >&2; exit 1; }
if [ -s "$dir/base.raw" ]; then echo "$dir"; exit 0; fi	# built while we waited

# stale images of this suite and init system (other keys) go: the hash
# changed; so do images of the first layout (SUITE-HASH, systemd only)
rm -rf "$cache/$suite-$init"-*
for old in "$cache/$suite"-*; do
	case ${old##*/} in "$suite"-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f])
		rm -rf "$old" ;;
	esac
done
tmp=$dir.tmp
rm -rf "$tmp"
mkdir -p "$tmp" "$cache/debs-$suite" "$cache/repo-debs-$suite"
root=$tmp/root
log=$tmp/build.log
ssh-keygen -q -t ed25519 -N '' -C ntpwiz-vm-test -f "$tmp/id_ed25519"

# before the kernel's package runs mkinitramfs: only the modules the guest
# needs to mount its root (virtio disk, ext4), not MODULES=most (which took
# most of a cold build's 30 minutes under TCG-sized load)
cat >"$tmp/essential.sh" <<'EOF'
#!/bin/sh
set -eu
r=$1
mkdir -p "$r/etc/initramfs-tools/conf.d" "$r/usr/share/initramfs-tools/modules.d"
echo MODULES=list >"$r/etc/initramfs-tools/conf.d/ntpwiz-test"
for m in $NTPWIZ_VM_INITRD_MODULES; do echo "$m"; done >"$r/usr/share/initramfs-tools/modules.d/ntpwiz-test"
EOF

cat >"$tmp/customize.sh" <<'EOF'
#!/bin/sh
# mmdebstrap customize hook: $1 is the new root
set -eu
r=$1
init=$NTPWIZ_VM_INIT
echo ntpwiz-guest >"$r/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 ntpwiz-guest\n' >"$r/etc/hosts"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$r/etc/fstab"
mkdir -p "$r/root/.ssh"
chmod 700 "$r/root/.ssh"
cp "$NTPWIZ_VM_PUBKEY" "$r/root/.ssh/authorized_keys"
mkdir -p "$r/etc/ssh/sshd_config.d"
echo 'UseDNS no' >"$r/etc/ssh/sshd_config.d/ntpwiz-test.conf"
if [ "$init" = systemd ]; then
	mkdir -p "$r/etc/systemd/network"
	printf '[Match]\nName=eth0\n\n[Network]\nAddress=10.231.77.2/24\n' >"$r/etc/systemd/network/10-eth0.network"
	chroot "$r" systemctl enable systemd-networkd
	chroot "$r" systemctl mask systemd-networkd-wait-online.service
	# the seed state: Debian's default timesyncd, told about the host-side server
	mkdir -p "$r/etc/systemd/timesyncd.conf.d"
	printf '[Time]\nNTP=10.231.77.1\n' >"$r/etc/systemd/timesyncd.conf.d/ntpwiz-test.conf"
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
else
	printf 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n\taddress 10.231.77.2/24\n' \
		>"$r/etc/network/interfaces"
	cat >"$r/etc/init.d/ntpwiz-up" <<'SCRIPT'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          ntpwiz-up
# Required-Start:    $remote_fs $network ssh
# Required-Stop:
# Default-Start:     2 3 4 5
# Default-Stop:
# Short-Description: tell the test driver the guest is up
### END INIT INFO
[ "$1" = start ] && echo NTPWIZ-GUEST-UP >/dev/ttyS0
exit 0
SCRIPT
	chmod 755 "$r/etc/init.d/ntpwiz-up"
	case $init in
	sysvinit) chroot "$r" update-rc.d ntpwiz-up defaults ;;
	openrc) chroot "$r" rc-update add ntpwiz-up default ;;
	runit)
		mkdir -p "$r/etc/sv/ntpwiz-up"
		printf '#!/bin/sh\necho NTPWIZ-GUEST-UP >/dev/ttyS0\nexec sleep infinity\n' >"$r/etc/sv/ntpwiz-up/run"
		chmod 755 "$r/etc/sv/ntpwiz-up/run"
		ln -s /etc/sv/ntpwiz-up "$r/etc/runit/runsvdir/default/ntpwiz-up" ;;
	esac
fi
# the local repository: each daemon resolved alone in this fresh root; a
# package the suite lacks is left out (repo.list says what is there).
# --reinstall: a package the root already has (systemd-timesyncd, the
# seed state) is downloaded too, so the guest can install it again after
# apt removed it (scenario 5: "systemd-timesyncd has no installation
# candidate" when only the list named it)
mkdir -p "$r/srv/repo/partial"
cp "$NTPWIZ_VM_REPO_CACHE"/*.deb "$r/srv/repo/" 2>/dev/null || true
: >"$NTPWIZ_VM_REPO_LIST"
for p in $NTPWIZ_VM_REPO_PKGS; do
	if chroot "$r" apt-get -q -y -o Dir::Cache::archives=/srv/repo/ -o APT::Install-Recommends=true \
		--download-only --reinstall install "$p"; then
		echo "$p" >>"$NTPWIZ_VM_REPO_LIST"
	else
		echo "image.sh: $p cannot be resolved in this suite: left out of /srv/repo"
	fi
done
rm -rf "$r/srv/repo/partial" "$r/srv/repo/lock"
# every package the list names must be there as a .deb, or the guest's apt
# knows a name it cannot install
for p in $(cat "$NTPWIZ_VM_REPO_LIST"); do
	ls "$r/srv/repo/${p}_"*.deb >/dev/null 2>&1 || {
		echo "image.sh: $p was resolved but no ${p}_*.deb is in /srv/repo" >&2
		exit 1
	}
done
# keep only what the resolutions above chose (the cache holds other suites' picks)
(cd "$r/srv/repo" && dpkg-scanpackages -m . >Packages 2>/dev/null)
echo 'deb [trusted=yes] file:/srv/repo ./' >"$r/etc/apt/sources.list"
rm -f "$r"/etc/apt/sources.list.d/*
# the lists stay in the image (--skip=cleanup/apt/lists): an operator's
# host has them, and the guest need not run apt-get update under TCG
chroot "$r" apt-get -q update
cp "$r"/srv/repo/*.deb "$NTPWIZ_VM_REPO_CACHE/"
: >"$r/etc/resolv.conf"
EOF
chmod +x "$tmp/customize.sh" "$tmp/essential.sh"

t0=$(date +%s)
{
	echo "== mmdebstrap $suite $init ($(date -u))"
	NTPWIZ_VM_PUBKEY=$tmp/id_ed25519.pub NTPWIZ_VM_REPO_PKGS=$repo_pkgs NTPWIZ_VM_INIT=$init \
	NTPWIZ_VM_REPO_CACHE=$cache/repo-debs-$suite NTPWIZ_VM_REPO_LIST=$tmp/repo.list \
	NTPWIZ_VM_INITRD_MODULES=$initrd_modules \
	mmdebstrap --variant=minbase --include="$include" \
		--skip=download/empty --skip=essential/unlink --skip=cleanup/apt/lists \
		--setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
		--setup-hook="sync-in $cache/debs-$suite /var/cache/apt/archives/" \
		--essential-hook="$tmp/essential.sh \"\$1\"" \
		--customize-hook="sync-out /var/cache/apt/archives $cache/debs-$suite" \
		--customize-hook="$tmp/customize.sh \"\$1\"" \
		"$suite" "$root" "$mirror"
	echo "== mmdebstrap done after $(($(date +%s) - t0)) s"
	# the kernel and initramfs are booted directly
	k=$(ls "$root"/boot/vmlinuz-* | tail -n 1)
	cp -L "$k" "$tmp/vmlinuz"
	cp -L "$root/boot/initrd.img-${k##*/vmlinuz-}" "$tmp/initrd.img"
	ls -l "$tmp/vmlinuz" "$tmp/initrd.img"
	rm -f "$root"/var/cache/apt/archives/*.deb
	echo "== mkfs.ext4"
	mkfs.ext4 -q -L root -d "$root" "$tmp/base.raw" 3G
	rm -rf "$root"
	echo "== built in $(($(date +%s) - t0)) s"
} >"$log" 2>&1 || {
	echo "image.sh: building the $suite $init image failed; the last lines of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
}
mv "$tmp" "$dir"
echo "$dir"
