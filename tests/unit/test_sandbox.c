/*
 * test_sandbox: what a daemon's systemd unit lets it write (issue 14,
 * defect 5): the table of the units Debian 12 and 13 ship, the unit
 * parser (ProtectSystem=, ProtectHome=, PrivateTmp=, ReadWritePaths= and
 * the *Directory= settings, resets, prefixes), and the unit file and its
 * drop-ins read under a root through sysops.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "detect.h"
#include "fake_sysops.h"
#include "sandbox.h"
#include "sysops.h"
#include "testhelp.h"

static struct sandbox from_table(const char *id, const char *version, enum daemon_id d)
{
	struct sandbox sb;
	const char *origin = NULL;
	const char *text = sandbox_table_unit(id, version, d, &origin);

	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(origin, "/lib/systemd/system/"));
	sandbox_init(&sb, "x.service");
	sandbox_parse(&sb, text, strlen(text));
	return sb;
}

static void assert_writable(const struct sandbox *sb, const char *path, bool want,
                            const char *want_why)
{
	const char *why = NULL;
	bool got = sandbox_writable(sb, path, &why);

	ck_assert_msg(got == want, "%s: writable %d, expected %d", path, got, want);
	if (!want)
		ck_assert_str_eq(why, want_why);
}

START_TEST(debian_chrony_is_strict)
{
	static const char *const versions[] = {"12", "13"};

	for (size_t i = 0; i < 2; i++) {
		struct sandbox sb = from_table("debian", versions[i], DAEMON_CHRONY);
		char paths[512];

		ck_assert(sb.known);
		ck_assert_int_eq(sb.protect_system, SANDBOX_PS_STRICT);
		assert_writable(&sb, "/var/log/chrony", true, "");
		assert_writable(&sb, "/var/log/chrony/sub", true, "");
		assert_writable(&sb, "/var/lib/chrony", true, "");
		assert_writable(&sb, "/run/chrony", true, "");
		assert_writable(&sb, "/var/spool/x", true, "");
		assert_writable(&sb, "/srv/chrony-log", false, "ProtectSystem=strict");
		assert_writable(&sb, "/var/log", false, "ProtectSystem=strict");
		/* a name that only starts like a writable folder */
		assert_writable(&sb, "/var/log/chrony-old", false, "ProtectSystem=strict");
		assert_writable(&sb, "/etc/chrony", false, "ProtectSystem=strict");
		assert_writable(&sb, "/home/op/log", false, "ProtectHome=yes");
		assert_writable(&sb, "/tmp/chrony", false, "PrivateTmp=yes");
		sandbox_paths_text(&sb, paths, sizeof(paths));
		ck_assert_str_eq(paths, "/run /run/chrony /var/lib/chrony /var/log/chrony /var/spool");
	}
}
END_TEST

START_TEST(debian_ntpsec_has_only_private_tmp)
{
	struct sandbox sb = from_table("debian", "12", DAEMON_NTPSEC);

	ck_assert_int_eq(sb.protect_system, SANDBOX_PS_NO);
	assert_writable(&sb, "/srv/ntpstats", true, "");
	assert_writable(&sb, "/var/log/ntpsec", true, "");
	assert_writable(&sb, "/home/op", true, "");
	assert_writable(&sb, "/tmp/ntpstats", false, "PrivateTmp=yes");
	assert_writable(&sb, "/var/tmp/x", false, "PrivateTmp=yes");
	sb = from_table("debian", "13", DAEMON_NTPSEC);
	assert_writable(&sb, "/tmp/ntpstats", false, "PrivateTmp=yes");
}
END_TEST

START_TEST(debian_openntpd_is_full)
{
	struct sandbox sb = from_table("debian", "12", DAEMON_OPENNTPD);

	ck_assert_int_eq(sb.protect_system, SANDBOX_PS_FULL);
	assert_writable(&sb, "/etc/openntpd", false, "ProtectSystem=full");
	assert_writable(&sb, "/usr/share/x", false, "ProtectSystem=yes");
	assert_writable(&sb, "/var/lib/openntpd", true, "");
	assert_writable(&sb, "/root/x", false, "ProtectHome=yes");
}
END_TEST

START_TEST(unknown_releases_have_no_row)
{
	ck_assert_ptr_null(sandbox_table_unit("debian", "11", DAEMON_CHRONY, NULL));
	ck_assert_ptr_null(sandbox_table_unit("ubuntu", "24.04", DAEMON_CHRONY, NULL));
	ck_assert_ptr_null(sandbox_table_unit("fedora", "41", DAEMON_CHRONY, NULL));
	ck_assert_ptr_null(sandbox_table_unit("debian", "12", DAEMON_NTP, NULL));
	ck_assert_ptr_null(sandbox_table_unit("debian", "12", DAEMON_TIMESYNCD, NULL));
}
END_TEST

START_TEST(parser_follows_systemd)
{
	struct sandbox sb;
	const char *why;
	static const char unit[] = "[Unit]\n"
	                           "ReadWritePaths=/not-a-service-setting\n"
	                           "[Service]\n"
	                           "# ReadWritePaths=/commented\n"
	                           "ProtectSystem = true\n"
	                           "ReadWritePaths=-/a +/b\n"
	                           "ReadWritePaths=\n"
	                           "ReadWritePaths=/c\n"
	                           "StateDirectory=one two:link\n"
	                           "LogsDirectory=l\n"
	                           "CacheDirectory=c\n"
	                           "ProtectHome=read-only\n";

	sandbox_init(&sb, "t.service");
	sandbox_parse(&sb, unit, strlen(unit));
	ck_assert(sb.known);
	ck_assert_int_eq(sb.protect_system, SANDBOX_PS_YES);
	ck_assert_int_eq(sb.protect_home, SANDBOX_PH_READ_ONLY);
	char paths[512];
	sandbox_paths_text(&sb, paths, sizeof(paths));
	/* the empty assignment dropped /a and /b, not the directories */
	ck_assert_str_eq(paths, "/c /var/lib/one /var/lib/two /var/log/l /var/cache/c");
	ck_assert(!sandbox_writable(&sb, "/usr/x", &why));
	ck_assert_str_eq(why, "ProtectSystem=yes");
	ck_assert(sandbox_writable(&sb, "/etc/x", &why)); /* not "full" */
	ck_assert(!sandbox_writable(&sb, "/home/x", &why));
	ck_assert_str_eq(why, "ProtectHome=read-only");
	/* "//" and a trailing "/" are the same path */
	static const char strict[] = "[Service]\nProtectSystem=strict\nReadWritePaths=/srv/log\n";
	sandbox_init(&sb, "t.service");
	sandbox_parse(&sb, strict, strlen(strict));
	ck_assert(sandbox_writable(&sb, "//srv//log/", &why));
	ck_assert(!sandbox_writable(&sb, "/srv", &why));
	/* a drop-in on top turns strict off */
	sandbox_parse(&sb, "[Service]\nProtectSystem=no\n", 27);
	ck_assert(sandbox_writable(&sb, "/srv", &why));
}
END_TEST

static struct detect_info host12(enum init_system init, const char *version)
{
	struct detect_info h;

	memset(&h, 0, sizeof(h));
	h.distro.family = FAMILY_DEBIAN;
	snprintf(h.distro.id, sizeof(h.distro.id), "debian");
	snprintf(h.distro.version_id, sizeof(h.distro.version_id), "%s", version);
	h.init = init;
	return h;
}

START_TEST(read_takes_the_unit_under_the_root_and_its_drop_ins)
{
	struct detect_info h = host12(INIT_SYSTEMD, "12");
	struct sandbox sb;
	bool applies;
	const char *why;

	fake_sysops_reset();
	/* no unit file: Debian 12's table row */
	sandbox_read(&sb, &backend_chrony, &h, &applies);
	ck_assert(applies && sb.known);
	ck_assert_str_eq(sb.unit, "chrony.service");
	ck_assert_ptr_nonnull(strstr(sb.source, "Debian 12"));
	ck_assert(!sandbox_writable(&sb, "/srv/log", &why));
	/* a drop-in counts even before the package is there */
	fake_sysops_put(1, "/etc/systemd/system/chrony.service.d/20-log.conf",
	                "[Service]\nReadWritePaths=/srv/log\n");
	sandbox_read(&sb, &backend_chrony, &h, &applies);
	ck_assert(sandbox_writable(&sb, "/srv/log", &why));
	ck_assert_ptr_nonnull(strstr(sb.source, "20-log.conf"));
	/* the unit file under the root wins over the table */
	fake_sysops_put(1, "/lib/systemd/system/chrony.service",
	                "[Service]\nProtectSystem=strict\nReadWritePaths=/opt/chrony\n");
	sandbox_read(&sb, &backend_chrony, &h, &applies);
	ck_assert_str_eq(sb.source,
	                 "/lib/systemd/system/chrony.service + "
	                 "/etc/systemd/system/chrony.service.d/20-log.conf");
	ck_assert(sandbox_writable(&sb, "/opt/chrony", &why));
	ck_assert(!sandbox_writable(&sb, "/var/log/chrony", &why));
	/* a drop-in of the same name in /etc hides the one in /lib; names sort */
	fake_sysops_put(1, "/lib/systemd/system/chrony.service.d/20-log.conf",
	                "[Service]\nReadWritePaths=/lib-dropin\n");
	fake_sysops_put(1, "/lib/systemd/system/chrony.service.d/90-reset.conf",
	                "[Service]\nReadWritePaths=\n");
	sandbox_read(&sb, &backend_chrony, &h, &applies);
	ck_assert(!sandbox_writable(&sb, "/lib-dropin", &why));
	ck_assert(!sandbox_writable(&sb, "/srv/log", &why)); /* 90-reset came last */
	/* /etc/systemd/system/UNIT replaces the package's */
	fake_sysops_put(1, "/etc/systemd/system/chrony.service", "[Service]\nProtectSystem=no\n");
	sandbox_read(&sb, &backend_chrony, &h, &applies);
	ck_assert_ptr_nonnull(strstr(sb.source, "/etc/systemd/system/chrony.service"));
}
END_TEST

START_TEST(read_unknown_and_other_init_systems)
{
	struct detect_info h = host12(INIT_SYSTEMD, "11");
	struct sandbox sb;
	bool applies;

	fake_sysops_reset();
	sandbox_read(&sb, &backend_chrony, &h, &applies);
	ck_assert(applies);
	ck_assert(!sb.known);
	h = host12(INIT_SYSVINIT, "12");
	sandbox_read(&sb, &backend_chrony, &h, &applies);
	ck_assert(!applies);
	ck_assert(!sb.known);
	h = host12(INIT_OPENRC, "12");
	sandbox_read(&sb, &backend_chrony, &h, &applies);
	ck_assert(!applies);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, fake_sysops_reset, NULL);
	tcase_add_test(tc, debian_chrony_is_strict);
	tcase_add_test(tc, debian_ntpsec_has_only_private_tmp);
	tcase_add_test(tc, debian_openntpd_is_full);
	tcase_add_test(tc, unknown_releases_have_no_row);
	tcase_add_test(tc, parser_follows_systemd);
	tcase_add_test(tc, read_takes_the_unit_under_the_root_and_its_drop_ins);
	tcase_add_test(tc, read_unknown_and_other_init_systems);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
