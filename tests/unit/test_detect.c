/*
 * test_detect: what detect_run finds in small system images built in the
 * fake (Debian 12, Alpine, Arch, RHEL, Devuan, Void, a bare chroot), who
 * owns /usr/sbin/ntpd, which commands run on the host and that none runs
 * under --root; and once with the real sysops in a temporary root.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detect.h"
#include "fake_sysops.h"
#include "sysops.h"
#include "testhelp.h"

static struct detect_info info;
static char sandbox[64];

static void setup_fixture(void)
{
	fake_sysops_reset();
	ck_assert_int_eq(sysops_set_root(NULL), 0); /* the host, until a test says otherwise */
	sandbox[0] = '\0';
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void teardown_fixture(void)
{
	sysops_install(NULL);
	sysops_set_root(NULL);
	if (sandbox[0])
		nftw(sandbox, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* --root DIR: a real directory, so that sysops_root_is_host() is false;
 * the files still come from the fake. */
static void use_sandbox_root(void)
{
	snprintf(sandbox, sizeof(sandbox), "/tmp/ntpwiz-detect-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(sandbox));
	ck_assert_int_eq(sysops_set_root(sandbox), 0);
	ck_assert(!sysops_root_is_host());
}

static void file(const char *path)
{
	fake_sysops_put(1, path, "\177ELF");
}

static void text(const char *path, const char *data)
{
	fake_sysops_put(1, path, data);
}

static void link_to(const char *path, const char *target)
{
	fake_sysops_symlink(1, path, target);
}

static const struct detect_daemon *daemon_of(enum daemon_id id)
{
	ck_assert_ptr_eq(info.daemons[id].backend, backend_find(id));
	return &info.daemons[id];
}

static void assert_not_installed(enum daemon_id id)
{
	const struct detect_daemon *d = daemon_of(id);

	ck_assert_msg(!d->installed, "%s should not be installed (binary %s)", d->backend->name,
	              d->binary);
	ck_assert(!d->enabled);
	ck_assert(!d->running);
	ck_assert_str_eq(d->binary, "");
	ck_assert_str_eq(d->version, "");
}

/* --- images ------------------------------------------------------------------------ */

#define DPKG_CHRONY                                                                                \
	"Package: chrony\n"                                                                        \
	"Status: install ok installed\n"                                                           \
	"Priority: optional\n"                                                                     \
	"Architecture: amd64\n"                                                                    \
	"Version: 4.3-2+deb12u1\n"                                                                 \
	"Description: Versatile implementation of the Network Time Protocol\n"                     \
	" It consists of a pair of programs:\n"                                                    \
	" .\n"                                                                                     \
	" Package: not-a-field\n"                                                                  \
	"\n"
#define DPKG_TIMESYNCD                                                                             \
	"Package: systemd-timesyncd\n"                                                             \
	"Status: install ok installed\n"                                                           \
	"Version: 252.30-1~deb12u2\n"                                                              \
	"\n"
#define DPKG_NTPDATE                                                                               \
	"Package: ntpdate\n"                                                                       \
	"Status: install ok installed\n"                                                           \
	"Version: 1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1+deb12u1\n"                                       \
	"\n"
#define DPKG_OPENNTPD_REMOVED                                                                      \
	"Package: openntpd\n"                                                                      \
	"Status: deinstall ok config-files\n"                                                      \
	"Version: 1:6.2p3-4.1\n"                                                                   \
	"\n"

static void debian12_base(void)
{
	text("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"
	                        "VERSION_ID=\"12\"\n");
	file("/usr/bin/apt-get");
	file("/lib/systemd/systemd");
	link_to("/sbin/init", "/lib/systemd/systemd");
	fake_sysops_mkdir(1, "/etc/init.d");
}

/* chrony installed and enabled, systemd-timesyncd left enabled too. */
static void debian12_chrony_timesyncd(void)
{
	debian12_base();
	text("/var/lib/dpkg/status", DPKG_OPENNTPD_REMOVED DPKG_CHRONY DPKG_TIMESYNCD DPKG_NTPDATE);
	file("/usr/sbin/chronyd");
	text("/etc/chrony/chrony.conf", "pool 2.debian.pool.ntp.org iburst\n");
	text("/etc/openntpd/ntpd.conf", "servers pool.ntp.org\n"); /* left by the removed package */
	text("/lib/systemd/system/chrony.service", "[Unit]\n");
	link_to("/etc/systemd/system/multi-user.target.wants/chrony.service",
	        "/lib/systemd/system/chrony.service");
	link_to("/etc/systemd/system/chronyd.service", "/lib/systemd/system/chrony.service");
	file("/lib/systemd/systemd-timesyncd");
	text("/lib/systemd/system/systemd-timesyncd.service", "[Unit]\n");
	link_to("/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service",
	        "/lib/systemd/system/systemd-timesyncd.service");
}

START_TEST(debian12_conflict)
{
	const struct detect_daemon *c, *t, *o;

	use_sandbox_root();
	debian12_chrony_timesyncd();
	detect_run(&info);

	ck_assert_int_eq(info.distro.family, FAMILY_DEBIAN);
	ck_assert_str_eq(info.distro.version_id, "12");
	ck_assert(!info.ec2);
	ck_assert_int_eq(info.init, INIT_SYSTEMD);
	ck_assert(!info.init_running);
	ck_assert_str_eq(detect_init_name(info.init), "systemd");
	ck_assert_int_eq(info.pkg, PKG_APT);
	ck_assert_str_eq(detect_pkg_name(info.pkg), "apt-get");
	ck_assert(info.pkgdb_read);

	c = daemon_of(DAEMON_CHRONY);
	ck_assert(c->installed);
	ck_assert_str_eq(c->binary, "/usr/sbin/chronyd");
	ck_assert_str_eq(c->version, "4.3-2+deb12u1");
	ck_assert(c->config_exists);
	ck_assert(c->enabled);
	ck_assert(!c->running); /* not the host: unknown */

	t = daemon_of(DAEMON_TIMESYNCD);
	ck_assert(t->installed);
	ck_assert_str_eq(t->binary, "/lib/systemd/systemd-timesyncd");
	ck_assert_str_eq(t->version, "252.30-1~deb12u2");
	ck_assert(!t->config_exists); /* ntpwiz's drop-in is not there yet */
	ck_assert(t->enabled);

	/* removed, its conffile left behind: not installed, the file is seen */
	o = daemon_of(DAEMON_OPENNTPD);
	ck_assert(!o->installed);
	ck_assert(o->config_exists);
	assert_not_installed(DAEMON_NTP);
	assert_not_installed(DAEMON_NTPSEC);

	ck_assert(info.ntpdate_installed); /* from dpkg alone: no binary planted */
	ck_assert_int_eq(info.enabled_count, 2);
	ck_assert_str_eq(fake_sysops_exec_log(), "");
}
END_TEST

/* The wants link under the alias name counts; a masked unit does not. */
START_TEST(debian_alias_and_mask)
{
	use_sandbox_root();
	debian12_base();
	text("/var/lib/dpkg/status", DPKG_CHRONY DPKG_TIMESYNCD);
	file("/usr/sbin/chronyd");
	link_to("/etc/systemd/system/multi-user.target.wants/chronyd.service",
	        "/lib/systemd/system/chrony.service");
	file("/lib/systemd/systemd-timesyncd");
	link_to("/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service",
	        "/lib/systemd/system/systemd-timesyncd.service");
	link_to("/etc/systemd/system/systemd-timesyncd.service", "/dev/null");
	detect_run(&info);

	ck_assert(daemon_of(DAEMON_CHRONY)->enabled);
	ck_assert(daemon_of(DAEMON_TIMESYNCD)->installed);
	ck_assert(!daemon_of(DAEMON_TIMESYNCD)->enabled);
	ck_assert_int_eq(info.enabled_count, 1);
	ck_assert(!info.ntpdate_installed);
}
END_TEST

START_TEST(alpine_openntpd_openrc)
{
	const struct detect_daemon *o;

	use_sandbox_root();
	text("/etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n");
	file("/sbin/apk");
	file("/bin/busybox");
	link_to("/sbin/init", "/bin/busybox");
	text("/etc/inittab", "::sysinit:/sbin/openrc sysinit\n");
	file("/sbin/openrc");
	file("/sbin/openrc-run");
	text("/lib/apk/db/installed", "C:Q1abc=\nP:busybox\nV:1.36.1-r29\nA:x86_64\n\n"
	                              "C:Q1def=\nP:openntpd\nV:6.8_p1-r8\nA:x86_64\nF:usr/sbin\n"
	                              "R:ntpd\nR:ntpctl\n\n");
	file("/usr/sbin/ntpd");
	file("/usr/sbin/ntpctl");
	text("/etc/ntpd.conf", "servers pool.ntp.org\n");
	text("/etc/init.d/openntpd", "#!/sbin/openrc-run\n");
	link_to("/etc/runlevels/default/openntpd", "/etc/init.d/openntpd");
	detect_run(&info);

	ck_assert_int_eq(info.distro.family, FAMILY_ALPINE);
	ck_assert_int_eq(info.init, INIT_OPENRC);
	ck_assert_str_eq(detect_init_name(info.init), "openrc");
	ck_assert_int_eq(info.pkg, PKG_APK);
	ck_assert_str_eq(detect_pkg_name(info.pkg), "apk");
	o = daemon_of(DAEMON_OPENNTPD);
	ck_assert(o->installed);
	ck_assert_str_eq(o->binary, "/usr/sbin/ntpd");
	ck_assert_str_eq(o->version, "6.8_p1-r8");
	ck_assert(o->config_exists);
	ck_assert(o->enabled);
	assert_not_installed(DAEMON_NTP);
	assert_not_installed(DAEMON_NTPSEC);
	assert_not_installed(DAEMON_CHRONY);
	assert_not_installed(DAEMON_TIMESYNCD);
	ck_assert_int_eq(info.enabled_count, 1);
	ck_assert(!info.ntpdate_installed);
}
END_TEST

/* Arch: merged /usr (/sbin, /usr/sbin and /lib are links), pacman's local db. */
START_TEST(arch_ntp_pacman)
{
	const struct detect_daemon *n, *t;

	use_sandbox_root();
	text("/etc/os-release", "NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n");
	link_to("/sbin", "usr/bin");
	link_to("/usr/sbin", "bin");
	link_to("/lib", "usr/lib");
	file("/usr/bin/pacman");
	file("/usr/lib/systemd/systemd");
	link_to("/usr/bin/init", "../lib/systemd/systemd");
	file("/usr/lib/systemd/systemd-timesyncd");
	file("/usr/bin/ntpd");
	file("/usr/bin/ntpdate");
	file("/usr/bin/ntpdc");
	text("/etc/ntp.conf", "server 0.arch.pool.ntp.org iburst\n");
	text("/var/lib/pacman/local/ALPM_DB_VERSION", "9\n");
	text("/var/lib/pacman/local/ntp-4.2.8.p18-3/desc", "%NAME%\nntp\n");
	text("/var/lib/pacman/local/systemd-257.5-1/desc", "%NAME%\nsystemd\n");
	text("/var/lib/pacman/local/systemd-libs-257.5-1/desc", "%NAME%\nsystemd-libs\n");
	link_to("/etc/systemd/system/multi-user.target.wants/ntpd.service",
	        "/usr/lib/systemd/system/ntpd.service");
	detect_run(&info);

	ck_assert_int_eq(info.distro.family, FAMILY_ARCH);
	ck_assert_int_eq(info.init, INIT_SYSTEMD);
	ck_assert_int_eq(info.pkg, PKG_PACMAN);
	ck_assert_str_eq(detect_pkg_name(info.pkg), "pacman");
	ck_assert(info.pkgdb_read);
	n = daemon_of(DAEMON_NTP);
	ck_assert(n->installed);
	ck_assert_str_eq(n->binary, "/usr/sbin/ntpd"); /* through the /usr/sbin link */
	ck_assert_str_eq(n->version, "4.2.8.p18-3");
	ck_assert(n->config_exists);
	ck_assert(n->enabled);
	assert_not_installed(DAEMON_NTPSEC);
	assert_not_installed(DAEMON_OPENNTPD);
	t = daemon_of(DAEMON_TIMESYNCD);
	ck_assert(t->installed);
	ck_assert_str_eq(t->binary, "/lib/systemd/systemd-timesyncd");
	ck_assert_str_eq(t->version, "257.5-1"); /* part of the systemd package there */
	ck_assert(!t->enabled);
	ck_assert(info.ntpdate_installed);
	ck_assert_int_eq(info.enabled_count, 1);
}
END_TEST

START_TEST(rhel_chronyd_rpm)
{
	const struct detect_daemon *c;

	use_sandbox_root();
	text("/etc/os-release", "NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\n"
	                        "ID_LIKE=\"fedora\"\nVERSION_ID=\"9.4\"\n");
	file("/usr/bin/dnf");
	file("/usr/bin/yum");
	text("/var/lib/rpm/rpmdb.sqlite", "SQLite format 3");
	file("/usr/lib/systemd/systemd");
	link_to("/sbin/init", "../lib/systemd/systemd");
	file("/usr/sbin/chronyd");
	text("/etc/chrony.conf", "pool 2.rhel.pool.ntp.org iburst\n");
	link_to("/etc/systemd/system/multi-user.target.wants/chronyd.service",
	        "/usr/lib/systemd/system/chronyd.service");
	detect_run(&info);

	ck_assert_int_eq(info.distro.family, FAMILY_RHEL);
	ck_assert_int_eq(info.init, INIT_SYSTEMD);
	ck_assert_int_eq(info.pkg, PKG_DNF);
	ck_assert(!info.pkgdb_read);
	c = daemon_of(DAEMON_CHRONY);
	ck_assert(c->installed);
	ck_assert_str_eq(c->binary, "/usr/sbin/chronyd");
	ck_assert_str_eq(c->version, ""); /* rpm's database is not read */
	ck_assert(c->config_exists);
	ck_assert(c->enabled);
	assert_not_installed(DAEMON_TIMESYNCD);
	ck_assert_int_eq(info.enabled_count, 1);
}
END_TEST

START_TEST(bare_chroot)
{
	use_sandbox_root();
	fake_sysops_mkdir(1, "/tmp");
	detect_run(&info);

	ck_assert_int_eq(info.distro.family, FAMILY_GENERIC);
	ck_assert_int_eq(info.init, INIT_NONE);
	ck_assert_str_eq(detect_init_name(info.init), "none");
	ck_assert_int_eq(info.pkg, PKG_NONE);
	ck_assert_str_eq(detect_pkg_name(info.pkg), "none");
	ck_assert(!info.pkgdb_read);
	ck_assert(!info.ec2);
	for (int id = DAEMON_AUTO + 1; id < DAEMON_COUNT; id++) {
		assert_not_installed((enum daemon_id)id);
		ck_assert(!info.daemons[id].config_exists);
	}
	ck_assert(!info.ntpdate_installed);
	ck_assert_int_eq(info.enabled_count, 0);
}
END_TEST

/* Found by tests/fuzz/fuzz_pkgdb: a mounted system's package database put an
 * escape sequence into the version `ntpwiz detect --root` prints. */
START_TEST(pkgdb_control_characters)
{
	use_sandbox_root();
	debian12_base();
	file("/usr/sbin/chronyd");
	text("/var/lib/dpkg/status", "Package: chrony\r\n"
	                             "Status: install ok installed\r\n"
	                             "Version: 4.3\033]0;owned\007-2\r\n"
	                             "\r\n");
	file("/usr/sbin/ntpd");
	text("/lib/apk/db/installed", "P:openntpd\nV:6.2\033[2J_p3\x7f-r1\n\n");
	detect_run(&info);

	ck_assert(daemon_of(DAEMON_CHRONY)->installed);
	ck_assert_str_eq(daemon_of(DAEMON_CHRONY)->version, "4.3?]0;owned?-2");
	ck_assert_str_eq(daemon_of(DAEMON_OPENNTPD)->version, "6.2?[2J_p3?-r1");
}
END_TEST

/* --- who owns /usr/sbin/ntpd --------------------------------------------------------- */

static const struct owner_case {
	const char *what;
	const char *dpkg;   /* /var/lib/dpkg/status, NULL: none */
	const char *pacman; /* a /var/lib/pacman/local entry, NULL: none */
	const char *files[3];
	enum daemon_id owner;
	const char *version;
} owner_cases[] = {
    {"Debian 12: ntp is transitional to ntpsec",
     "Package: ntp\nStatus: install ok installed\n"
     "Version: 1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1+deb12u1\n\n"
     "Package: ntpsec\nStatus: install ok installed\nVersion: 1.2.2+dfsg1-1+deb12u1\n\n",
     NULL,
     {"/usr/bin/ntpmon"},
     DAEMON_NTPSEC,
     "1.2.2+dfsg1-1+deb12u1"},
    {"Debian 11: ntp.org's ntp",
     "Package: ntp\nStatus: install ok installed\nVersion: 1:4.2.8p15+dfsg-1\n\n",
     NULL,
     {"/usr/bin/ntpdc"},
     DAEMON_NTP,
     "1:4.2.8p15+dfsg-1"},
    {"Debian: openntpd (ntpd, ntpctl, openntpd)",
     "Package: openntpd\nStatus: install ok installed\nVersion: 1:6.2p3-4.1\n\n",
     NULL,
     {"/usr/sbin/ntpctl", "/usr/sbin/openntpd"},
     DAEMON_OPENNTPD,
     "1:6.2p3-4.1"},
    {"Debian: a held ntp, ntpsec removed with its conffiles kept",
     "Package: ntpsec\nStatus: deinstall ok config-files\nVersion: 1.2.2+dfsg1-1\n\n"
     "Package: ntp\nStatus: hold ok installed\nVersion: 1:4.2.8p15+dfsg-1\n\n",
     NULL,
     {NULL},
     DAEMON_NTP,
     "1:4.2.8p15+dfsg-1"},
    {"Arch: ntpsec from pacman", NULL, "ntpsec-1.2.3-2", {NULL}, DAEMON_NTPSEC, "1.2.3-2"},
    {"rpm: ntpsec's ntpmon",
     NULL,
     NULL,
     {"/usr/bin/ntpmon", "/usr/sbin/ntpkeygen"},
     DAEMON_NTPSEC,
     ""},
    {"rpm: OpenNTPD's ntpctl", NULL, NULL, {"/usr/sbin/ntpctl"}, DAEMON_OPENNTPD, ""},
    {"rpm: ntp.org's ntpdc",
     NULL,
     NULL,
     {"/usr/sbin/ntpdc", "/usr/sbin/ntp-keygen"},
     DAEMON_NTP,
     ""},
    {"no database, no marks: ntp.org", NULL, NULL, {NULL}, DAEMON_NTP, ""},
    {"dpkg knows no ntpd (hand-built NTPsec): the marks decide",
     "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n\n",
     NULL,
     {"/usr/libexec/ntpsec/rotate-stats"},
     DAEMON_NTPSEC,
     ""},
};

static const enum daemon_id ntpds[] = {DAEMON_NTP, DAEMON_NTPSEC, DAEMON_OPENNTPD};

START_TEST(ntpd_owner)
{
	const struct owner_case *oc = &owner_cases[_i];

	use_sandbox_root();
	text("/etc/os-release", "ID=debian\n");
	file("/usr/sbin/ntpd");
	if (oc->dpkg)
		text("/var/lib/dpkg/status", oc->dpkg);
	if (oc->pacman) {
		char p[128];
		snprintf(p, sizeof(p), "/var/lib/pacman/local/%s/desc", oc->pacman);
		text(p, "%NAME%\n");
	}
	for (size_t i = 0; i < 3 && oc->files[i]; i++)
		file(oc->files[i]);
	detect_run(&info);

	for (size_t i = 0; i < sizeof(ntpds) / sizeof(ntpds[0]); i++) {
		const struct detect_daemon *d = daemon_of(ntpds[i]);
		if (ntpds[i] == oc->owner) {
			ck_assert_msg(d->installed, "%s: %s not found", oc->what, d->backend->name);
			ck_assert_str_eq(d->binary, "/usr/sbin/ntpd");
			ck_assert_str_eq(d->version, oc->version);
		} else {
			ck_assert_msg(!d->installed, "%s: %s found too", oc->what,
			              d->backend->name);
		}
	}
}
END_TEST

/* --- init systems ------------------------------------------------------------------- */

/* Devuan: sysvinit-core's /sbin/init, the systemd package still installed. */
START_TEST(sysvinit_rc_links)
{
	use_sandbox_root();
	text("/etc/os-release", "ID=devuan\nID_LIKE=debian\n");
	file("/sbin/init");
	file("/lib/systemd/systemd");
	text("/etc/inittab", "id:2:initdefault:\n");
	text("/var/lib/dpkg/status", DPKG_CHRONY);
	file("/usr/sbin/chronyd");
	link_to("/etc/rc2.d/S01chrony", "../init.d/chrony");
	link_to("/etc/rc2.d/S01chrony-wait", "../init.d/chrony-wait");
	file("/lib/systemd/systemd-timesyncd");
	link_to("/etc/rc2.d/K01systemd-timesyncd", "../init.d/systemd-timesyncd");
	detect_run(&info);

	ck_assert_int_eq(info.init, INIT_SYSVINIT);
	ck_assert_str_eq(detect_init_name(info.init), "sysvinit");
	ck_assert(daemon_of(DAEMON_CHRONY)->enabled);
	ck_assert(daemon_of(DAEMON_TIMESYNCD)->installed);
	ck_assert(!daemon_of(DAEMON_TIMESYNCD)->enabled);
	ck_assert_int_eq(info.enabled_count, 1);
}
END_TEST

START_TEST(runit_service_links)
{
	use_sandbox_root();
	text("/etc/os-release", "NAME=\"Void\"\nID=\"void\"\n");
	link_to("/sbin/init", "runit-init");
	file("/sbin/runit-init");
	text("/etc/runit/1", "#!/bin/sh\n");
	file("/usr/bin/chronyd");
	link_to("/var/service/chronyd", "/etc/sv/chronyd");
	detect_run(&info);

	ck_assert_int_eq(info.init, INIT_RUNIT);
	ck_assert_str_eq(detect_init_name(info.init), "runit");
	ck_assert_str_eq(daemon_of(DAEMON_CHRONY)->binary, "/usr/bin/chronyd");
	ck_assert(daemon_of(DAEMON_CHRONY)->enabled);
	ck_assert_int_eq(info.enabled_count, 1);
}
END_TEST

static const struct init_case {
	const char *files[3];
	const char *dir;
	enum init_system init;
} init_cases[] = {
    {{"/usr/lib/systemd/systemd"}, NULL, INIT_SYSTEMD}, /* a container image: no /sbin/init */
    {{"/sbin/openrc"}, NULL, INIT_OPENRC},
    {{"/usr/bin/runsvdir"}, "/etc/sv", INIT_RUNIT},
    {{"/usr/bin/runsvdir"}, NULL, INIT_NONE}, /* runsvdir alone is no init */
    {{NULL}, "/etc/init.d", INIT_SYSVINIT},
    {{"/sbin/init", "/lib/systemd/systemd", "/etc/inittab"}, NULL, INIT_SYSVINIT},
    {{NULL}, "/run/systemd/system", INIT_NONE}, /* a stale /run in a mounted system */
};

START_TEST(init_table)
{
	const struct init_case *ic = &init_cases[_i];

	use_sandbox_root();
	for (size_t i = 0; i < 3 && ic->files[i]; i++)
		file(ic->files[i]);
	if (ic->dir)
		fake_sysops_mkdir(1, ic->dir);
	detect_run(&info);
	ck_assert_str_eq(detect_init_name(info.init), detect_init_name(ic->init));
}
END_TEST

START_TEST(pkg_table)
{
	static const struct {
		const char *file;
		const char *name;
	} cases[] = {
	    {"/usr/bin/apt-get", "apt-get"}, {"/usr/bin/dnf", "dnf"}, {"/usr/bin/yum", "yum"},
	    {"/usr/bin/zypper", "zypper"},   {"/sbin/apk", "apk"},    {"/usr/bin/pacman", "pacman"},
	};

	use_sandbox_root();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_sysops_reset();
		file(cases[i].file);
		detect_run(&info);
		ck_assert_str_eq(detect_pkg_name(info.pkg), cases[i].name);
	}
	ck_assert_str_eq(detect_pkg_name(PKG_COUNT), "none");
	ck_assert_str_eq(detect_init_name(INIT_COUNT), "none");
}
END_TEST

/* --- the running system ---------------------------------------------------------------- */

static void booted_debian(void)
{
	debian12_chrony_timesyncd();
	fake_sysops_mkdir(1, "/run/systemd/system");
}

START_TEST(host_asks_systemctl)
{
	ck_assert(sysops_root_is_host());
	booted_debian();
	/* timesyncd is no longer enabled, but it is still running */
	ck_assert_int_eq(sysops_unlink_root("/etc/systemd/system/sysinit.target.wants/"
	                                    "systemd-timesyncd.service"),
	                 0);
	fake_sysops_on_exec("systemctl is-active chrony", 0, "active\n", "");
	fake_sysops_on_exec("systemctl is-active systemd-timesyncd", 0, "active\n", "");
	detect_run(&info);

	ck_assert_int_eq(info.init, INIT_SYSTEMD);
	ck_assert(info.init_running);
	ck_assert(daemon_of(DAEMON_CHRONY)->enabled);
	ck_assert(daemon_of(DAEMON_CHRONY)->running);
	ck_assert(!daemon_of(DAEMON_TIMESYNCD)->enabled);
	ck_assert(daemon_of(DAEMON_TIMESYNCD)->running);
	ck_assert_int_eq(info.enabled_count, 2); /* running counts: still a conflict */
	/* only the installed daemons are asked, by their Debian unit names */
	ck_assert_str_eq(fake_sysops_exec_log(),
	                 "systemctl is-active chrony\nsystemctl is-active systemd-timesyncd\n");
	ck_assert_int_eq(fake_sysops_exec_last_timeout(), 3000);
}
END_TEST

START_TEST(host_inactive_or_stuck)
{
	booted_debian();
	fake_sysops_on_exec("systemctl is-active chrony", 3, "inactive\n", "");
	fake_sysops_on_exec("systemctl is-active systemd-timesyncd", FAKE_EXEC_TIMEOUT, "", "");
	detect_run(&info);

	ck_assert(!daemon_of(DAEMON_CHRONY)->running);
	ck_assert(!daemon_of(DAEMON_TIMESYNCD)->running);
	ck_assert_int_eq(info.enabled_count, 2); /* both still enabled */
}
END_TEST

START_TEST(host_without_systemctl)
{
	booted_debian();
	detect_run(&info); /* no answer scripted: systemctl is missing (ENOENT) */
	ck_assert(!daemon_of(DAEMON_CHRONY)->running);
	ck_assert(daemon_of(DAEMON_CHRONY)->enabled);
	ck_assert_int_eq(info.enabled_count, 2);
}
END_TEST

/* systemd installed but not booted (a container): no systemctl. */
START_TEST(host_not_booted)
{
	debian12_chrony_timesyncd();
	fake_sysops_on_exec("systemctl", 0, "active\n", "");
	detect_run(&info);
	ck_assert_int_eq(info.init, INIT_SYSTEMD);
	ck_assert(!info.init_running);
	ck_assert(!daemon_of(DAEMON_CHRONY)->running);
	ck_assert_str_eq(fake_sysops_exec_log(), "");
}
END_TEST

/* Issue 14, D2: Debian 12 with chrony on another init system as PID 1;
 * the host asks that init system's own status command. */
static void debian12_chrony_on(const char *marker)
{
	text("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"
	                        "VERSION_ID=\"12\"\n");
	file("/usr/bin/apt-get");
	fake_sysops_mkdir(1, "/etc/init.d");
	file(marker);
	text("/var/lib/dpkg/status", DPKG_CHRONY);
	file("/usr/sbin/chronyd");
}

START_TEST(host_sysvinit_asks_service)
{
	debian12_chrony_on("/etc/inittab");
	fake_sysops_on_exec("service chrony status", 0, "chronyd is running.\n", "");
	detect_run(&info);
	ck_assert_int_eq(info.init, INIT_SYSVINIT);
	ck_assert(daemon_of(DAEMON_CHRONY)->running);
	ck_assert_str_eq(fake_sysops_exec_log(), "service chrony status\n");
	ck_assert_int_eq(fake_sysops_exec_last_timeout(), 3000);

	fake_sysops_reset();
	debian12_chrony_on("/etc/inittab");
	fake_sysops_on_exec("service chrony status", 3, "chronyd is not running ... failed!\n", "");
	detect_run(&info);
	ck_assert(!daemon_of(DAEMON_CHRONY)->running);
}
END_TEST

START_TEST(host_openrc_asks_rc_service)
{
	debian12_chrony_on("/sbin/openrc-run");
	fake_sysops_on_exec("rc-service chrony status", 0, " * status: started\n", "");
	detect_run(&info);
	ck_assert_int_eq(info.init, INIT_OPENRC);
	ck_assert(daemon_of(DAEMON_CHRONY)->running);
	ck_assert_str_eq(fake_sysops_exec_log(), "rc-service chrony status\n");

	fake_sysops_reset();
	debian12_chrony_on("/sbin/openrc-run");
	fake_sysops_on_exec("rc-service chrony status", 3, " * status: stopped\n", "");
	detect_run(&info);
	ck_assert(!daemon_of(DAEMON_CHRONY)->running);
}
END_TEST

/* sv status exits 0 for a service that is down too: its output says. */
START_TEST(host_runit_asks_sv)
{
	debian12_chrony_on("/etc/runit/1");
	fake_sysops_on_exec("sv status chrony", 0, "run: chrony: (pid 512) 40s\n", "");
	detect_run(&info);
	ck_assert_int_eq(info.init, INIT_RUNIT);
	ck_assert(daemon_of(DAEMON_CHRONY)->running);
	ck_assert_str_eq(fake_sysops_exec_log(), "sv status chrony\n");

	fake_sysops_reset();
	debian12_chrony_on("/etc/runit/1");
	fake_sysops_on_exec("sv status chrony", 0, "down: chrony: 3s, normally up\n", "");
	detect_run(&info);
	ck_assert(!daemon_of(DAEMON_CHRONY)->running);
}
END_TEST

START_TEST(sandbox_sysvinit_runs_nothing)
{
	use_sandbox_root();
	debian12_chrony_on("/etc/inittab");
	fake_sysops_on_exec("service", 0, "", "");
	detect_run(&info);
	ck_assert(!daemon_of(DAEMON_CHRONY)->running);
	ck_assert_str_eq(fake_sysops_exec_log(), "");
}
END_TEST

/* --root: the same image, a stale /run and EC2 DMI files in it: no command
 * runs at all and the machine's DMI data is not the image's. */
START_TEST(sandbox_runs_nothing)
{
	use_sandbox_root();
	booted_debian();
	text("/sys/devices/virtual/dmi/id/sys_vendor", "Amazon EC2\n");
	fake_sysops_on_exec("systemctl", 0, "active\n", "");
	detect_run(&info);

	ck_assert_int_eq(info.init, INIT_SYSTEMD);
	ck_assert(!info.init_running);
	ck_assert(!info.ec2);
	for (int id = DAEMON_AUTO + 1; id < DAEMON_COUNT; id++)
		ck_assert(!info.daemons[id].running);
	ck_assert_int_eq(info.enabled_count, 2);
	ck_assert_str_eq(fake_sysops_exec_log(), "");
	ck_assert_int_eq(fake_sysops_exec_last_timeout(), -1);
}
END_TEST

START_TEST(ec2)
{
	/* the host's DMI data (Nitro) */
	text("/etc/os-release", "ID=ubuntu\nID_LIKE=debian\n");
	text("/sys/devices/virtual/dmi/id/sys_vendor", "Amazon EC2\n");
	detect_run(&info);
	ck_assert(info.ec2);

	/* Xen-based instances: the vendor is Xen, the BIOS says amazon */
	fake_sysops_reset();
	text("/sys/devices/virtual/dmi/id/sys_vendor", "Xen\n");
	text("/sys/devices/virtual/dmi/id/bios_version", "4.11.amazon\n");
	detect_run(&info);
	ck_assert(info.ec2);

	fake_sysops_reset();
	text("/sys/devices/virtual/dmi/id/sys_vendor", "QEMU\n");
	detect_run(&info);
	ck_assert(!info.ec2);

	/* Amazon Linux, even in a sandbox */
	fake_sysops_reset();
	use_sandbox_root();
	text("/etc/os-release", "NAME=\"Amazon Linux\"\nID=\"amzn\"\nID_LIKE=\"fedora\"\n");
	detect_run(&info);
	ck_assert_int_eq(info.distro.family, FAMILY_AMAZON);
	ck_assert(info.ec2);
}
END_TEST

/* --- the real sysops in a temporary root ------------------------------------------------ */

static void real_mkdirs(const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", sandbox, rel);
	for (char *s = p + strlen(sandbox) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

static void real_put(const char *rel, const char *data)
{
	char p[256], dir[256];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", rel);
	*strrchr(dir, '/') = '\0';
	real_mkdirs(dir);
	snprintf(p, sizeof(p), "%s/%s", sandbox, rel);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(data, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void real_link(const char *rel, const char *target)
{
	char p[256], dir[256];

	snprintf(dir, sizeof(dir), "%s", rel);
	*strrchr(dir, '/') = '\0';
	real_mkdirs(dir);
	snprintf(p, sizeof(p), "%s/%s", sandbox, rel);
	ck_assert_int_eq(symlink(target, p), 0);
}

START_TEST(real_debian_tree)
{
	const struct detect_daemon *c, *t;

	sysops_install(NULL);
	use_sandbox_root();
	real_put("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
	real_put("var/lib/dpkg/status", DPKG_TIMESYNCD DPKG_CHRONY);
	real_put("usr/bin/apt-get", "");
	real_put("lib/systemd/systemd", "");
	real_link("sbin/init", "/lib/systemd/systemd");
	real_put("usr/sbin/chronyd", "");
	real_put("etc/chrony/chrony.conf", "pool 2.debian.pool.ntp.org iburst\n");
	real_put("lib/systemd/system/chrony.service", "[Unit]\nDescription=chrony\n");
	/* absolute targets: they resolve inside the root, not on this machine */
	real_link("etc/systemd/system/multi-user.target.wants/chrony.service",
	          "/lib/systemd/system/chrony.service");
	real_link("etc/systemd/system/chronyd.service", "/lib/systemd/system/chrony.service");
	/* timesyncd installed, enabled, then masked */
	real_put("lib/systemd/systemd-timesyncd", "");
	real_put("lib/systemd/system/systemd-timesyncd.service", "[Unit]\n");
	real_link("etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service",
	          "/lib/systemd/system/systemd-timesyncd.service");
	real_link("etc/systemd/system/systemd-timesyncd.service", "/dev/null");
	real_mkdirs("run/systemd/system");
	detect_run(&info);

	ck_assert_int_eq(info.distro.family, FAMILY_DEBIAN);
	ck_assert_int_eq(info.init, INIT_SYSTEMD);
	ck_assert(!info.init_running);
	ck_assert_int_eq(info.pkg, PKG_APT);
	c = daemon_of(DAEMON_CHRONY);
	ck_assert(c->installed);
	ck_assert_str_eq(c->binary, "/usr/sbin/chronyd");
	ck_assert_str_eq(c->version, "4.3-2+deb12u1");
	ck_assert(c->config_exists);
	ck_assert(c->enabled);
	ck_assert(!c->running);
	t = daemon_of(DAEMON_TIMESYNCD);
	ck_assert(t->installed);
	ck_assert_str_eq(t->version, "252.30-1~deb12u2");
	ck_assert(!t->enabled);
	assert_not_installed(DAEMON_NTPSEC);
	assert_not_installed(DAEMON_NTP);
	assert_not_installed(DAEMON_OPENNTPD);
	ck_assert(!info.ntpdate_installed);
	ck_assert_int_eq(info.enabled_count, 1);
}
END_TEST

/* --- the fake itself: what apply's tests will lean on ------------------------------------ */

START_TEST(fake_files)
{
	struct sysops_stat st;
	char **names, *data;
	size_t n, len;

	/* a write needs its directory, keeps mode and owner, replaces a link */
	errno = 0;
	ck_assert_int_eq(sysops_write_root_file("/etc/chrony/chrony.conf", "x\n", 2, 0644), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(sysops_mkdirs_root("/etc/chrony/conf.d", 0750), 0);
	ck_assert_int_eq(
	    sysops_write_root_file_owned("/etc/chrony/chrony.conf", "x\n", 2, 0640, 0, 101), 0);
	ck_assert_int_eq(sysops_stat_root("/etc/chrony/chrony.conf", &st), 0);
	ck_assert(st.exists && st.is_reg && !st.is_link);
	ck_assert_uint_eq(st.mode, 0640);
	ck_assert_uint_eq(st.gid, 101);
	ck_assert_int_eq(sysops_stat_root("/etc/chrony/conf.d", &st), 0);
	ck_assert(st.is_dir);
	ck_assert_uint_eq(st.mode, 0750);
	ck_assert_uint_eq(fake_sysops_write_count(), 1);
	fake_sysops_symlink(1, "/etc/ntp.conf", "/etc/ntpsec/ntp.conf");
	ck_assert_int_eq(sysops_stat_root("/etc/ntp.conf", &st), 0);
	ck_assert(st.exists && st.is_link);
	ck_assert_int_eq(sysops_write_root_file("/etc/ntp.conf", "y\n", 2, 0644), 0);
	ck_assert_int_eq(sysops_stat_root("/etc/ntp.conf", &st), 0);
	ck_assert(st.is_reg);
	ck_assert_ptr_null(fake_sysops_get(1, "/etc/ntpsec/ntp.conf", NULL));

	/* links in the middle are followed, the last one by reads only */
	fake_sysops_symlink(1, "/lib", "usr/lib");
	fake_sysops_put(1, "/usr/lib/os-release", "ID=arch\n");
	fake_sysops_symlink(1, "/etc/os-release", "../usr/lib/os-release");
	ck_assert_int_eq(sysops_read_root_file("/etc/os-release", &data, &len), 0);
	ck_assert_str_eq(data, "ID=arch\n");
	free(data);
	ck_assert_int_eq(sysops_stat_root("/lib/os-release", &st), 0);
	ck_assert(st.is_reg);

	/* direct children only, sorted; the host name space is separate */
	fake_sysops_put(0, "/etc/hostonly", "");
	ck_assert_int_eq(sysops_list_root_dir("/etc", &names, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(names[0], "chrony");
	ck_assert_str_eq(names[1], "ntp.conf");
	ck_assert_str_eq(names[2], "os-release");
	sysops_free_names(names, n);
	ck_assert_int_eq(sysops_list_root_dir("/etc/ntp.conf", &names, &n), -1);
	ck_assert_int_eq(sysops_list_root_dir("/nowhere", &names, &n), -1);
	ck_assert_int_eq(errno, ENOENT);

	ck_assert_int_eq(sysops_unlink_root("/etc/chrony"), -1);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_int_eq(sysops_unlink_root("/etc/ntp.conf"), 0);
	ck_assert_int_eq(sysops_unlink_root("/etc/ntp.conf"), -1);
	ck_assert_int_eq(errno, ENOENT);

	fake_sysops_fail("read", "/etc/os-release", EACCES);
	ck_assert_int_eq(sysops_read_root_file("/etc/os-release", &data, &len), -1);
	ck_assert_int_eq(errno, EACCES);
	fake_sysops_fail_writes(EROFS);
	ck_assert_int_eq(sysops_write_root_file("/etc/x", "", 0, 0644), -1);
	ck_assert_int_eq(errno, EROFS);
}
END_TEST

START_TEST(fake_exec_clock)
{
	const char *argv1[] = {"systemctl", "is-active", "chronyd", NULL};
	const char *argv2[] = {"chronyc", "-n", "-c", "sources", NULL};
	const char *argv3[] = {"ntpq", "-pn", NULL};
	struct sysops_exec_result r;

	ck_assert_int_eq(sysops_now(), FAKE_SYSOPS_NOW);
	ck_assert_uint_eq(sysops_euid(), 0);
	fake_sysops_set_now(1800000000);
	fake_sysops_set_euid(1000);
	ck_assert_int_eq(sysops_now(), 1800000000);
	ck_assert_uint_eq(sysops_euid(), 1000);

	/* word boundaries: "... chrony" is not "... chronyd" */
	fake_sysops_on_exec("systemctl is-active chrony", 0, "active\n", "");
	fake_sysops_on_exec("systemctl is-active", 3, "inactive\n", "");
	fake_sysops_on_exec("chronyc", 1, "506 Cannot talk to daemon\n", "");
	ck_assert_int_eq(sysops_exec(argv1, 3000, &r), 0);
	ck_assert_int_eq(r.status, 3);
	ck_assert_str_eq(r.out, "inactive\n");
	sysops_exec_result_free(&r);
	ck_assert_int_eq(sysops_exec(argv2, 5000, &r), 0);
	ck_assert_int_eq(r.status, 1);
	ck_assert_uint_eq(r.out_len, strlen("506 Cannot talk to daemon\n"));
	ck_assert_str_eq(r.errout, "");
	sysops_exec_result_free(&r);
	ck_assert_int_eq(sysops_exec(argv3, 2000, &r), -1);
	ck_assert_int_eq(r.err, ENOENT);
	sysops_exec_result_free(&r);
	ck_assert_str_eq(fake_sysops_exec_log(),
	                 "systemctl is-active chronyd\nchronyc -n -c sources\nntpq -pn\n");
	ck_assert_int_eq(fake_sysops_exec_last_timeout(), 2000);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("detect");
	TCase *tc = tcase_create("images");

	tcase_add_checked_fixture(tc, setup_fixture, teardown_fixture);
	tcase_add_test(tc, debian12_conflict);
	tcase_add_test(tc, pkgdb_control_characters);
	tcase_add_test(tc, debian_alias_and_mask);
	tcase_add_test(tc, alpine_openntpd_openrc);
	tcase_add_test(tc, arch_ntp_pacman);
	tcase_add_test(tc, rhel_chronyd_rpm);
	tcase_add_test(tc, bare_chroot);
	tcase_add_loop_test(tc, ntpd_owner, 0, (int)(sizeof(owner_cases) / sizeof(owner_cases[0])));
	tcase_add_test(tc, sysvinit_rc_links);
	tcase_add_test(tc, runit_service_links);
	tcase_add_loop_test(tc, init_table, 0, (int)(sizeof(init_cases) / sizeof(init_cases[0])));
	tcase_add_test(tc, pkg_table);
	tcase_add_test(tc, host_asks_systemctl);
	tcase_add_test(tc, host_inactive_or_stuck);
	tcase_add_test(tc, host_without_systemctl);
	tcase_add_test(tc, host_not_booted);
	tcase_add_test(tc, host_sysvinit_asks_service);
	tcase_add_test(tc, host_openrc_asks_rc_service);
	tcase_add_test(tc, host_runit_asks_sv);
	tcase_add_test(tc, sandbox_sysvinit_runs_nothing);
	tcase_add_test(tc, sandbox_runs_nothing);
	tcase_add_test(tc, ec2);
	tcase_add_test(tc, real_debian_tree);
	suite_add_tcase(s, tc);

	tc = tcase_create("fake");
	tcase_add_checked_fixture(tc, setup_fixture, teardown_fixture);
	tcase_add_test(tc, fake_files);
	tcase_add_test(tc, fake_exec_clock);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
