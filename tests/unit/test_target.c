/*
 * test_target: rendering for what is really on the target (issue 13):
 * the daemon's version from the package database (dpkg, rpm through
 * "rpm --root"), the leap files under the root, the choice of chrony's
 * leapseclist / leapsectz and ntpd's leapfile, what a release's package
 * really installs (Debian's "ntp" is NTPsec; RHEL has no ntpd), and the
 * releases' own defaults.
 */
#include "config.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "backend.h"
#include "detect.h"
#include "fake_sysops.h"
#include "import.h"
#include "profile.h"
#include "release.h"
#include "sysops.h"
#include "target.h"
#include "testhelp.h"

static struct setup S;
static struct errlist E;
static struct strbuf out;
static char sandbox[64];

static void setup_fixture(void)
{
	fake_sysops_reset();
	ck_assert_int_eq(sysops_set_root(NULL), 0);
	sandbox[0] = '\0';
	model_init(&S);
	struct server srv;
	model_server_init(&srv);
	snprintf(srv.host, sizeof(srv.host), "ntp.example");
	srv.iburst = true;
	errlist_init(&E);
	ck_assert_int_ge(model_add_server(&S, &srv, "servers[0]", &E), 0);
	strbuf_init(&out);
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
	strbuf_free(&out);
	errlist_free(&E);
	sysops_install(NULL);
	sysops_set_root(NULL);
	if (sandbox[0])
		nftw(sandbox, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void use_sandbox_root(void)
{
	snprintf(sandbox, sizeof(sandbox), "/tmp/ntpwiz-target-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(sandbox));
	ck_assert_int_eq(sysops_set_root(sandbox), 0);
}

/* Facts as target_read would leave them. */
static struct target_facts facts(const char *version, bool leap_list, bool right_utc)
{
	struct target_facts t;

	target_init(&t);
	t.looked = true;
	if (version) {
		snprintf(t.version, sizeof(t.version), "%s", version);
		ck_assert_int_eq(target_parse_version(version, &t.major, &t.minor), 0);
	}
	t.leap_list = leap_list;
	t.right_utc = right_utc;
	return t;
}

static const char *render(const struct backend *b, const struct target_facts *t)
{
	out.len = 0;
	if (out.buf)
		out.buf[0] = '\0';
	ck_assert_msg(backend_render_for(b, &S, FAMILY_DEBIAN, t, &out, &E) == 0, "render failed");
	return strbuf_str(&out);
}

#define HAS(text, s) ck_assert_msg(strstr((text), (s)) != NULL, "missing \"%s\" in:\n%s", (s), (text))
#define HASNT(text, s) ck_assert_msg(strstr((text), (s)) == NULL, "unexpected \"%s\" in:\n%s", (s), (text))

START_TEST(version_parsing)
{
	int a = 0, b = 0;

	ck_assert_int_eq(target_parse_version("4.6.1-3", &a, &b), 0);
	ck_assert_int_eq(a, 4);
	ck_assert_int_eq(b, 6);
	ck_assert_int_eq(target_parse_version("4.3-2+deb12u1", &a, &b), 0);
	ck_assert_int_eq(b, 3);
	ck_assert_int_eq(target_parse_version("1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1", &a, &b), 0);
	ck_assert_int_eq(a, 4);
	ck_assert_int_eq(b, 2);
	ck_assert_int_eq(target_parse_version("4.6.1-r0", &a, &b), 0);
	ck_assert_int_eq(b, 6);
	ck_assert_int_eq(target_parse_version("4", &a, &b), 0);
	ck_assert_int_eq(a, 4);
	ck_assert_int_eq(b, 0);
	ck_assert_int_eq(target_parse_version("", &a, &b), -1);
	ck_assert_int_eq(target_parse_version("x4.6", &a, &b), -1);
	ck_assert_int_eq(target_parse_version(":4.6", &a, &b), -1);
}
END_TEST

/* Debian 13: chrony 4.6.1, tzdata's list, no right/ zones. */
START_TEST(chrony_46_with_list_gets_leapseclist)
{
	struct target_facts t = facts("4.6.1-3", true, false);
	const char *text = render(&backend_chrony, &t);

	HAS(text, "\nleapseclist /usr/share/zoneinfo/leap-seconds.list\n");
	HASNT(text, "leapsectz");
	HAS(text, "leapsecmode system\n");
	HASNT(text, "unknown");
	/* no exact version in the file: an upgrade must not change it */
	HASNT(text, "4.6.1");
}
END_TEST

/* Debian 12: chrony 4.3 refuses leapseclist; right/UTC exists. */
START_TEST(chrony_43_gets_leapsectz)
{
	struct target_facts t = facts("4.3-2+deb12u1", true, true);
	const char *text = render(&backend_chrony, &t);

	HAS(text, "\nleapsectz right/UTC\n");
	HASNT(text, "leapseclist");
}
END_TEST

START_TEST(chrony_leapsectz_only_where_right_utc_exists)
{
	struct target_facts t = facts("4.3-2", true, false);
	const char *text = render(&backend_chrony, &t);

	HASNT(text, "leapsectz");
	HASNT(text, "leapseclist /");
	HAS(text, "# No right/UTC zone here (package tzdata-legacy), and chrony before 4.6 has "
	          "no leapseclist:\n");
	HAS(text, "leapsecmode system\n");

	t = facts("4.6.1-3", false, false);
	text = render(&backend_chrony, &t);
	HASNT(text, "leapsectz");
	HASNT(text, "leapseclist");
	HAS(text, "# chronyd follows the leap second announcements of its servers.\n");

	/* 4.6 without a list but with the zone: the zone */
	t = facts("4.6.1-3", false, true);
	text = render(&backend_chrony, &t);
	HAS(text, "\nleapsectz right/UTC\n");
}
END_TEST

START_TEST(chrony_unknown_version_writes_the_common_form)
{
	struct target_facts t = facts(NULL, true, true);
	const char *text = render(&backend_chrony, &t);

	HAS(text, "# chrony's version on this system is unknown: written in the form\n"
	          "# every chrony 4 accepts (leapseclist needs chrony 4.6).\n"
	          "leapsectz right/UTC\n");
	HASNT(text, "leapseclist /");

	/* unknown version, only the list (Debian 13 read without a package
	 * database): nothing every version accepts reads it */
	t = facts(NULL, true, false);
	text = render(&backend_chrony, &t);
	HASNT(text, "leapsectz");
	HASNT(text, "leapseclist /");
	HAS(text, "is unknown");
}
END_TEST

START_TEST(chrony_smear_and_slew_use_the_same_source)
{
	struct target_facts t = facts("4.6.1-3", true, false);
	const char *text;

	S.leap = LEAP_SLEW;
	text = render(&backend_chrony, &t);
	HAS(text, "leapseclist /usr/share/zoneinfo/leap-seconds.list\nleapsecmode slew\n");
	S.leap = LEAP_IGNORE;
	text = render(&backend_chrony, &t);
	HASNT(text, "leapseclist");
	HAS(text, "leapsecmode ignore\n");
}
END_TEST

START_TEST(nothing_looked_at_is_the_classic_form)
{
	struct target_facts t;
	const char *text;

	target_init(&t);
	text = render(&backend_chrony, &t);
	HAS(text, "\nleapsectz right/UTC\n");
	HASNT(text, "unknown");
	text = render(&backend_ntpsec, &t);
	HAS(text, "\nleapfile /usr/share/zoneinfo/leap-seconds.list\n");
}
END_TEST

START_TEST(ntpd_leapfile_only_where_the_file_exists)
{
	struct target_facts t = facts("1.2.3+dfsg1-8", true, false);

	HAS(render(&backend_ntpsec, &t), "\nleapfile /usr/share/zoneinfo/leap-seconds.list\n");
	HAS(render(&backend_ntp, &t), "\nleapfile /usr/share/zoneinfo/leap-seconds.list\n");
	t = facts("1.2.3+dfsg1-8", false, true);
	HASNT(render(&backend_ntpsec, &t), "leapfile");
	HAS(render(&backend_ntpsec, &t), "# No /usr/share/zoneinfo/leap-seconds.list here");
	HASNT(render(&backend_ntp, &t), "leapfile");
}
END_TEST

/* A Debian 13 root as mmdebstrap --include=chrony,tzdata leaves it. */
static void debian13_chrony(void)
{
	fake_sysops_put(1, "/etc/os-release", "ID=debian\nVERSION_ID=\"13\"\n");
	fake_sysops_put(1, "/var/lib/dpkg/status",
	                "Package: chrony\nStatus: install ok installed\nVersion: 4.6.1-3\n\n"
	                "Package: tzdata\nStatus: install ok installed\nVersion: 2026f-0+deb13u1\n\n");
	fake_sysops_put(1, "/usr/sbin/chronyd", "\177ELF");
	fake_sysops_put(1, "/usr/share/zoneinfo/leap-seconds.list", "#@\t3991680000\n");
}

START_TEST(target_read_takes_version_and_files)
{
	struct detect_info host;
	struct target_facts t;

	use_sandbox_root();
	debian13_chrony();
	detect_run(&host);
	target_init(&t);
	target_read(&t, &backend_chrony, &host);
	ck_assert(t.looked);
	ck_assert_str_eq(t.version, "4.6.1-3");
	ck_assert_str_eq(t.version_source, "dpkg");
	ck_assert_int_eq(t.major, 4);
	ck_assert_int_eq(t.minor, 6);
	ck_assert(t.leap_list);
	ck_assert(!t.right_utc);
	HAS(render(&backend_chrony, &t), "\nleapseclist /usr/share/zoneinfo/leap-seconds.list\n");
	/* ntpsec is not installed there: its version is unknown */
	target_read(&t, &backend_ntpsec, &host);
	ck_assert_str_eq(t.version, "");
	ck_assert_int_eq(t.major, -1);
}
END_TEST

/* RHEL 10 under --root: rpm's database is read by rpm itself. */
static void rhel10_chrony(void)
{
	fake_sysops_put(1, "/etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"10.0\"\n");
	fake_sysops_mkdir(1, "/usr/lib/sysimage/rpm");
	fake_sysops_put(1, "/usr/sbin/chronyd", "\177ELF");
}

START_TEST(rpm_versions_come_from_rpm_root)
{
	struct detect_info host;

	use_sandbox_root();
	rhel10_chrony();
	fake_sysops_on_exec("rpm", 1, "chrony 4.6.1-1.el10\npackage ntp is not installed\n", "");
	detect_run(&host);
	ck_assert(host.rpmdb_present);
	ck_assert(host.rpm_read);
	ck_assert_str_eq(host.daemons[DAEMON_CHRONY].version, "4.6.1-1.el10");
	ck_assert_str_eq(host.daemons[DAEMON_CHRONY].version_source, "rpm");
	/* one run, with the root and the database found there */
	char want[256];
	snprintf(want, sizeof(want),
	         "rpm --root %s --dbpath /usr/lib/sysimage/rpm -q --qf %%{NAME} "
	         "%%{VERSION}-%%{RELEASE}\\n chrony ",
	         sandbox);
	ck_assert_msg(strncmp(fake_sysops_exec_log(), want, strlen(want)) == 0, "ran: %s",
	              fake_sysops_exec_log());
	/* and only one */
	ck_assert_ptr_null(strstr(fake_sysops_exec_log() + 1, "\nrpm "));
}
END_TEST

START_TEST(no_rpm_program_means_unknown)
{
	struct detect_info host;
	struct target_facts t;

	use_sandbox_root();
	rhel10_chrony();
	detect_run(&host); /* nothing scripted: rpm is not found (ENOENT) */
	ck_assert(host.rpmdb_present);
	ck_assert(!host.rpm_read);
	ck_assert(host.daemons[DAEMON_CHRONY].installed);
	ck_assert_str_eq(host.daemons[DAEMON_CHRONY].version, "");
	target_init(&t);
	target_read(&t, &backend_chrony, &host);
	HAS(render(&backend_chrony, &t), "is unknown");
}
END_TEST

START_TEST(rpm_is_not_asked_without_its_database)
{
	struct detect_info host;

	use_sandbox_root();
	debian13_chrony();
	fake_sysops_on_exec("rpm", 0, "chrony 9.9-1\n", "");
	detect_run(&host);
	ck_assert(!host.rpmdb_present);
	ck_assert_ptr_null(strstr(fake_sysops_exec_log(), "rpm"));
	ck_assert_str_eq(host.daemons[DAEMON_CHRONY].version, "4.6.1-3");
}
END_TEST

/* Debian 12 with the "ntp" package: a transitional package for NTPsec. */
static void debian12_ntp_transitional(void)
{
	fake_sysops_put(1, "/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
	fake_sysops_put(1, "/var/lib/dpkg/status",
	                "Package: ntp\nStatus: install ok installed\n"
	                "Version: 1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1+deb12u1\n\n"
	                "Package: ntpsec\nStatus: install ok installed\n"
	                "Version: 1.2.2+dfsg1-1+deb12u1\n\n");
	fake_sysops_put(1, "/usr/sbin/ntpd", "\177ELF");
	fake_sysops_put(1, "/usr/bin/ntpmon", "#!/usr/bin/python3\n");
}

START_TEST(detect_shows_the_transitional_package)
{
	struct detect_info host;
	const struct detect_daemon *ntp;

	use_sandbox_root();
	debian12_ntp_transitional();
	detect_run(&host);
	ntp = &host.daemons[DAEMON_NTP];
	ck_assert(!ntp->installed);
	ck_assert_str_eq(ntp->package, "ntp");
	ck_assert_str_eq(ntp->package_version, "1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1+deb12u1");
	ck_assert_ptr_eq(ntp->provided_by, &backend_ntpsec);
	ck_assert(host.daemons[DAEMON_NTPSEC].installed);
	ck_assert_ptr_null(host.daemons[DAEMON_NTPSEC].provided_by);
	ck_assert_str_eq(host.daemons[DAEMON_NTPSEC].version, "1.2.2+dfsg1-1+deb12u1");
}
END_TEST

static struct distro distro_of(const char *os_release)
{
	struct distro d;

	distro_parse_os_release(os_release, &d);
	return d;
}

START_TEST(ntp_on_debian12_writes_ntpsec)
{
	struct distro d = distro_of("ID=debian\nVERSION_ID=\"12\"\n");
	struct detect_info host;
	struct target_facts t;
	const struct backend *b;

	memset(&host, 0, sizeof(host));
	target_init(&t);
	b = release_resolve(&d, &backend_ntp, &host, &t, &E);
	ck_assert_ptr_eq(b, &backend_ntpsec);
	ck_assert_int_eq(t.asked, DAEMON_NTP);
	ck_assert_str_eq(t.asked_package, "ntp");
	ck_assert_uint_eq(errlist_count(&E, ERR_WARNING), 2);
	ck_assert_uint_eq(errlist_count(&E, ERR_ERROR), 0);
	HAS(E.v[0].message, "transitional package that installs NTPsec");
	HAS(E.v[1].message, "/etc/ntpsec/ntp.conf");
	t.looked = true;
	t.leap_list = true;
	const char *text = render(b, &t);
	HAS(text, "# /etc/ntpsec/ntp.conf: ntpsec configuration");
	HAS(text, "# ntpd (ntp.org) was asked for. This system's \"ntp\" package installs NTPsec,\n");
	HASNT(text, "notrap"); /* NTPsec's language */
}
END_TEST

START_TEST(an_installed_ntpd_is_kept)
{
	struct distro d = distro_of("ID=debian\nVERSION_ID=\"13\"\n");
	struct detect_info host;

	memset(&host, 0, sizeof(host));
	host.daemons[DAEMON_NTP].installed = true; /* built from source */
	ck_assert_ptr_eq(release_resolve(&d, &backend_ntp, &host, NULL, &E), &backend_ntp);
	ck_assert_uint_eq(errlist_count(&E, ERR_WARNING), 0);
}
END_TEST

/* issue 14 (the seeds' ntpd on a real Debian 12 guest): the repository
 * offers ntp.org's own "ntp" (a local build, epoch 2); apt's candidate
 * does not depend on ntpsec, so apply installs and writes ntp.org's ntpd,
 * not NTPsec. Transitional candidate, no candidate, or not apt: as before. */
START_TEST(ntp_real_package_in_the_repository)
{
	struct distro d = distro_of("ID=debian\nVERSION_ID=\"12\"\n");
	struct detect_info host;
	struct target_facts t;

	memset(&host, 0, sizeof(host));
	host.pkg = PKG_APT;
	fake_sysops_on_exec(
	    "apt-cache show --no-all-versions ntp", 0,
	    "Package: ntp\nSource: ntp\nVersion: 2:4.2.8p10-0ntpwiz1\n"
	    "Architecture: amd64\nDepends: adduser, libc6 (>= 2.34), libcap2 "
	    "(>= 1:2.10), netbase\nConflicts: time-daemon\nProvides: time-daemon\n"
	    "Description: Network Time Protocol daemon\n ntpsec is not a dependency\n\n",
	    "");
	target_init(&t);
	ck_assert_ptr_eq(release_resolve(&d, &backend_ntp, &host, &t, &E), &backend_ntp);
	ck_assert_uint_eq(errlist_count(&E, ERR_WARNING), 0);
	ck_assert_int_eq(t.asked, DAEMON_AUTO);
	HAS(fake_sysops_exec_log(), "apt-cache show --no-all-versions ntp");

	/* Debian 12's own candidate: transitional */
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("apt-cache show --no-all-versions ntp", 0,
	                    "Package: ntp\nVersion: 1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1+deb12u1\n"
	                    "Architecture: all\nDepends: ntpsec\n\n",
	                    "");
	ck_assert_ptr_eq(release_resolve(&d, &backend_ntp, &host, NULL, &E), &backend_ntpsec);
	/* an alternative counts too */
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("apt-cache show --no-all-versions ntp", 0,
	                    "Package: ntp\nPre-Depends: foo | ntpsec (>= 1.2)\n\n", "");
	ck_assert_ptr_eq(release_resolve(&d, &backend_ntp, &host, NULL, &E), &backend_ntpsec);
	/* a name that only starts like it does not */
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("apt-cache show --no-all-versions ntp", 0,
	                    "Package: ntp\nDepends: ntpsec-doc\n\n", "");
	ck_assert_ptr_eq(release_resolve(&d, &backend_ntp, &host, NULL, &E), &backend_ntp);
	/* no candidate at all (Debian 13): apt-cache fails */
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("apt-cache show --no-all-versions ntp", 100, "",
	                    "E: No packages found\n");
	ck_assert_ptr_eq(release_resolve(&d, &backend_ntp, &host, NULL, &E), &backend_ntpsec);
	/* not apt: never asked */
	fake_sysops_reset_exec_log();
	host.pkg = PKG_NONE;
	ck_assert_ptr_eq(release_resolve(&d, &backend_ntp, &host, NULL, &E), &backend_ntpsec);
	ck_assert_str_eq(fake_sysops_exec_log(), "");
}
END_TEST

START_TEST(ntp_elsewhere)
{
	struct detect_info host;
	struct distro d;

	memset(&host, 0, sizeof(host));
	/* Debian 11 still had ntp.org's ntpd */
	d = distro_of("ID=debian\nVERSION_ID=\"11\"\n");
	ck_assert_ptr_eq(release_resolve(&d, &backend_ntp, &host, NULL, &E), &backend_ntp);
	/* RHEL 10 and its rebuilds: none at all */
	d = distro_of("ID=\"rocky\"\nVERSION_ID=\"10.0\"\n");
	ck_assert_ptr_null(release_resolve(&d, &backend_ntp, &host, NULL, &E));
	ck_assert_uint_eq(errlist_count(&E, ERR_ERROR), 1);
	HAS(E.v[0].message, "RHEL 8 and later");
	d = distro_of("ID=amzn\nVERSION_ID=\"2023\"\n");
	ck_assert_ptr_null(release_resolve(&d, &backend_ntp, &host, NULL, &E));
	/* the others are untouched */
	ck_assert_ptr_eq(release_resolve(&d, &backend_chrony, &host, NULL, &E), &backend_chrony);
	d = distro_of("ID=ubuntu\nVERSION_ID=\"22.04\"\n");
	ck_assert_ptr_eq(release_resolve(&d, &backend_ntp, &host, NULL, &E), &backend_ntp);
	d = distro_of("ID=ubuntu\nVERSION_ID=\"24.04\"\n");
	ck_assert_ptr_eq(release_resolve(&d, &backend_ntp, &host, NULL, &E), &backend_ntpsec);
}
END_TEST

START_TEST(version_ids_compare_by_number)
{
	ck_assert_int_lt(release_version_cmp("24.04", "25.10"), 0);
	ck_assert_int_gt(release_version_cmp("26.04", "25.10"), 0);
	ck_assert_int_eq(release_version_cmp("25.10", "25.10"), 0);
	ck_assert_int_eq(release_version_cmp("10.0", "10"), 0);
	ck_assert_int_gt(release_version_cmp("10.1", "10"), 0);
	ck_assert_int_gt(release_version_cmp("3.22.1", "3.22"), 0);
	ck_assert_int_lt(release_version_cmp("3.9", "3.22"), 0);
	ck_assert_int_gt(release_version_cmp("2023", "2"), 0);
	ck_assert_int_lt(release_version_cmp("9", "12"), 0);
}
END_TEST

START_TEST(release_defaults)
{
	struct distro d;
	struct setup s;

	d = distro_of("ID=ubuntu\nVERSION_ID=\"26.04\"\n");
	ck_assert_int_eq(release_default_daemon(&d), DAEMON_CHRONY);
	model_init(&s);
	ck_assert_int_eq(distro_apply_default_servers(&d, &s, &E), 0);
	ck_assert_uint_eq(s.nservers, 4);
	ck_assert_str_eq(s.servers[0].host, "1.ntp.ubuntu.com");
	ck_assert_str_eq(s.servers[3].host, "4.ntp.ubuntu.com");
	ck_assert(s.servers[0].nts);
	ck_assert(s.servers[0].prefer);
	ck_assert_int_eq(s.servers[0].kind, SERVER_KIND_SERVER);

	d = distro_of("ID=ubuntu\nVERSION_ID=\"24.04\"\n");
	ck_assert_int_eq(release_default_daemon(&d), DAEMON_TIMESYNCD);
	model_init(&s);
	ck_assert_int_eq(distro_apply_default_servers(&d, &s, &E), 0);
	ck_assert_str_eq(s.servers[0].host, "ntp.ubuntu.com");
	ck_assert(!s.servers[0].nts);

	d = distro_of("ID=debian\nVERSION_ID=\"13\"\n");
	ck_assert_int_eq(release_default_daemon(&d), DAEMON_TIMESYNCD);
	d = distro_of("ID=\"almalinux\"\nVERSION_ID=\"10.0\"\n");
	ck_assert_int_eq(release_default_daemon(&d), DAEMON_CHRONY);
	d = distro_of("ID=alpine\nVERSION_ID=3.22.1\n");
	ck_assert_int_eq(release_default_daemon(&d), DAEMON_CHRONY);
	d = distro_of("ID=gentoo\n");
	ck_assert_int_eq(release_default_daemon(&d), DAEMON_AUTO);
}
END_TEST


/* --- keep: the distribution's DHCP and drop-in folders ------------------------------- */

static const char *render_family(const struct backend *b, enum distro_family f)
{
	struct target_facts t = facts("4.6.1-3", true, false);

	out.len = 0;
	if (out.buf)
		out.buf[0] = '\0';
	ck_assert_msg(backend_render_for(b, &S, f, &t, &out, &E) == 0, "render failed");
	return strbuf_str(&out);
}

START_TEST(keep_profile_round_trip)
{
	struct setup s;
	struct strbuf text;

	ck_assert_int_eq(profile_parse("version = 1;\nkeep = { dhcp_servers = true; };\n", "p.cfg",
	                               &s, &E),
	                 0);
	ck_assert(s.keep.dhcp_servers);
	ck_assert(!s.keep.drop_in_dirs);
	ck_assert_int_eq(s.keep.line, 2);
	strbuf_init(&text);
	ck_assert_int_eq(profile_format(&s, &text, &E), 0);
	HAS(strbuf_str(&text), "\nkeep = { dhcp_servers = true; drop_in_dirs = false; };\n");
	/* the default writes no keep group: older profiles stay byte for byte */
	model_init(&s);
	text.len = 0;
	ck_assert_int_eq(profile_format(&s, &text, &E), 0);
	HASNT(strbuf_str(&text), "keep");
	strbuf_free(&text);
	/* unknown keys are errors, as everywhere in a profile */
	ck_assert_int_eq(profile_parse("version = 1;\nkeep = { dhcp = true; };\n", "p.cfg", &s, &E),
	                 -1);
	HAS(E.v[E.n - 1].message, "dhcp_servers, drop_in_dirs");
}
END_TEST

START_TEST(keep_chrony_on_debian)
{
	const char *text;

	text = render_family(&backend_chrony, FAMILY_DEBIAN);
	HASNT(text, "sourcedir");
	HASNT(text, "confdir");
	S.keep.dhcp_servers = S.keep.drop_in_dirs = true;
	text = render_family(&backend_chrony, FAMILY_UBUNTU);
	HAS(text, "server ntp.example iburst\n# Time servers from DHCP (keep.dhcp_servers).\n"
	          "sourcedir /run/chrony-dhcp\n"
	          "# The distribution's drop-in folder for sources (keep.drop_in_dirs).\n"
	          "sourcedir /etc/chrony/sources.d\n");
	/* confdir last, as in Debian 13's file */
	HAS(text, "\nconfdir /etc/chrony/conf.d\n");
	ck_assert_str_eq(strrchr(text, '\n') - strlen("confdir /etc/chrony/conf.d"),
	                 "confdir /etc/chrony/conf.d\n");
	ck_assert_uint_eq(errlist_count(&E, ERR_WARNING), 0);
}
END_TEST

START_TEST(keep_chrony_elsewhere)
{
	const char *text;

	S.keep.dhcp_servers = S.keep.drop_in_dirs = true;
	text = render_family(&backend_chrony, FAMILY_RHEL);
	HAS(text, "\nsourcedir /run/chrony-dhcp\n");
	HASNT(text, "confdir");
	HAS(text, "# WARNING: keep.drop_in_dirs: this distribution's chrony has no drop-in folders.");
	ck_assert_uint_eq(errlist_count(&E, ERR_WARNING), 1);
	text = render_family(&backend_chrony, FAMILY_SUSE);
	HAS(text, "\ninclude /etc/chrony.d/*.conf\n");
	HASNT(text, "sourcedir");
	HAS(text, "# WARNING: keep.dhcp_servers:");
	ck_assert_uint_eq(errlist_count(&E, ERR_WARNING), 2);
	text = render_family(&backend_chrony, FAMILY_ALPINE);
	HASNT(text, "sourcedir");
	HAS(text, "# WARNING: keep.dhcp_servers:");
	ck_assert_uint_eq(errlist_count(&E, ERR_WARNING), 4);
}
END_TEST

START_TEST(keep_other_daemons_say_how)
{
	S.keep.dhcp_servers = true;
	HAS(render_family(&backend_ntpsec, FAMILY_DEBIAN), "/run/ntpsec/ntp.conf.dhcp");
	HASNT(render_family(&backend_ntpsec, FAMILY_RHEL), "ntp.conf.dhcp");
	HAS(render_family(&backend_timesyncd, FAMILY_DEBIAN),
	    "# Time servers from DHCP (keep.dhcp_servers): timesyncd also uses\n");
	S.keep.dhcp_servers = false;
	HASNT(render_family(&backend_timesyncd, FAMILY_DEBIAN), "DHCP");
}
END_TEST

/* Debian 13's stock chrony.conf, as tests/data/roots/debian13-chrony.conf has it. */
static const char debian13_stock[] =
    "pool 2.debian.pool.ntp.org iburst\n"
    "sourcedir /run/chrony-dhcp\n"
    "sourcedir /etc/chrony/sources.d\n"
    "keyfile /etc/chrony/chrony.keys\n"
    "driftfile /var/lib/chrony/chrony.drift\n"
    "rtcsync\n"
    "makestep 1 3\n"
    "leapseclist /usr/share/zoneinfo/leap-seconds.list\n"
    "confdir /etc/chrony/conf.d\n"
    "sourcedir /etc/chrony/mine.d\n";

START_TEST(import_keeps_the_stock_folders)
{
	struct import_notes notes;
	struct setup s;

	model_init(&s);
	import_notes_init(&notes);
	ck_assert_int_eq(import_chrony(debian13_stock, strlen(debian13_stock), &s, &notes, &E), 0);
	ck_assert(s.keep.dhcp_servers);
	ck_assert(s.keep.drop_in_dirs);
	ck_assert_int_eq(s.keep.line, 2);
	/* notes: the folder ntpwiz does not know; not the stock folders nor
	 * tzdata's list. The keyfile is read as keys.file (issue 16); that no
	 * server uses it is import_file's note, after the whole file. */
	ck_assert_str_eq(s.keys.file, "/etc/chrony/chrony.keys");
	for (size_t i = 0; i < notes.n; i++) {
		ck_assert_msg(strstr(notes.v[i].text, "chrony-dhcp") == NULL &&
		                  strstr(notes.v[i].text, "sources.d") == NULL &&
		                  strstr(notes.v[i].text, "conf.d") == NULL &&
		                  strstr(notes.v[i].text, "leapseclist") == NULL,
		              "unexpected note on %s", notes.v[i].text);
	}
	ck_assert_uint_eq(notes.n, 1);
	ck_assert_str_eq(notes.v[0].text, "sourcedir /etc/chrony/mine.d");
	import_notes_free(&notes);
	/* a leapseclist elsewhere is named */
	model_init(&s);
	import_notes_init(&notes);
	ck_assert_int_eq(import_chrony("pool p.example\nleapseclist /etc/leap.list\n", 40, &s, &notes,
	                               &E),
	                 0);
	ck_assert_uint_eq(notes.n, 1);
	HAS(notes.v[0].reason, "tzdata's list");
	import_notes_free(&notes);
}
END_TEST

/* audit checks the list chrony's leapseclist names, as ntpd's leapfile:
 * missing and expired lists are findings at that line. */
START_TEST(audit_follows_leapseclist)
{
	const char conf[] = "pool p.example\nleapseclist /var/lib/chrony/leap.list\n";
	struct detect_info host;
	struct audit_report rep;
	bool expired = false, missing = false;

	use_sandbox_root();
	debian13_chrony();
	fake_sysops_put(1, "/etc/chrony/chrony.conf", conf);
	detect_run(&host);
	audit_report_init(&rep);
	ck_assert_int_eq(audit_run(&host, &backend_chrony, NULL, &rep, &E), 0);
	for (size_t i = 0; i < rep.n; i++)
		missing |= strcmp(rep.v[i].id, "leap-file-missing") == 0 && rep.v[i].line == 2;
	ck_assert_msg(missing, "no leap-file-missing finding at the leapseclist line");
	audit_report_free(&rep);
	/* the list exists and expired (Debian 13's expires 2027-06-28) */
	fake_sysops_put(1, "/var/lib/chrony/leap.list", "#@\t3991680000\n");
	fake_sysops_set_now(3991680000 - 2208988800LL + 86400);
	audit_report_init(&rep);
	ck_assert_int_eq(audit_run(&host, &backend_chrony, NULL, &rep, &E), 0);
	for (size_t i = 0; i < rep.n; i++)
		expired |= strcmp(rep.v[i].id, "leap-file-expired") == 0 &&
		           strcmp(rep.v[i].file, "/var/lib/chrony/leap.list") == 0;
	ck_assert_msg(expired, "no leap-file-expired finding for the leapseclist file");
	audit_report_free(&rep);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup_fixture, teardown_fixture);
	tcase_add_test(tc, version_parsing);
	tcase_add_test(tc, chrony_46_with_list_gets_leapseclist);
	tcase_add_test(tc, chrony_43_gets_leapsectz);
	tcase_add_test(tc, chrony_leapsectz_only_where_right_utc_exists);
	tcase_add_test(tc, chrony_unknown_version_writes_the_common_form);
	tcase_add_test(tc, chrony_smear_and_slew_use_the_same_source);
	tcase_add_test(tc, nothing_looked_at_is_the_classic_form);
	tcase_add_test(tc, ntpd_leapfile_only_where_the_file_exists);
	tcase_add_test(tc, target_read_takes_version_and_files);
	tcase_add_test(tc, rpm_versions_come_from_rpm_root);
	tcase_add_test(tc, no_rpm_program_means_unknown);
	tcase_add_test(tc, rpm_is_not_asked_without_its_database);
	tcase_add_test(tc, detect_shows_the_transitional_package);
	tcase_add_test(tc, ntp_on_debian12_writes_ntpsec);
	tcase_add_test(tc, an_installed_ntpd_is_kept);
	tcase_add_test(tc, ntp_elsewhere);
	tcase_add_test(tc, ntp_real_package_in_the_repository);
	tcase_add_test(tc, version_ids_compare_by_number);
	tcase_add_test(tc, release_defaults);
	tcase_add_test(tc, keep_profile_round_trip);
	tcase_add_test(tc, keep_chrony_on_debian);
	tcase_add_test(tc, keep_chrony_elsewhere);
	tcase_add_test(tc, keep_other_daemons_say_how);
	tcase_add_test(tc, import_keeps_the_stock_folders);
	tcase_add_test(tc, audit_follows_leapseclist);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
