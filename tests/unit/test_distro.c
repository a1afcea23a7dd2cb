/*
 * test_distro: os-release parsing, family mapping and default servers.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "distro.h"
#include "fake_sysops.h"
#include "testhelp.h"

static enum distro_family family_of(const char *text)
{
	struct distro d;

	distro_parse_os_release(text, &d);
	return d.family;
}

START_TEST(families)
{
	ck_assert_int_eq(family_of("ID=debian\nVERSION_ID=\"12\"\n"), FAMILY_DEBIAN);
	ck_assert_int_eq(family_of("NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n"), FAMILY_UBUNTU);
	ck_assert_int_eq(family_of("ID=\"rhel\"\nID_LIKE=\"fedora\"\n"), FAMILY_RHEL);
	ck_assert_int_eq(family_of("ID=fedora\n"), FAMILY_RHEL);
	ck_assert_int_eq(family_of("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"), FAMILY_RHEL);
	ck_assert_int_eq(family_of("NAME=\"Amazon Linux\"\nID=\"amzn\"\nID_LIKE=\"fedora\"\n"),
	                 FAMILY_AMAZON);
	ck_assert_int_eq(family_of("ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\n"),
	                 FAMILY_SUSE);
	ck_assert_int_eq(family_of("ID=\"sles\"\n"), FAMILY_SUSE);
	ck_assert_int_eq(family_of("ID=arch\n"), FAMILY_ARCH);
	ck_assert_int_eq(family_of("ID=alpine\n"), FAMILY_ALPINE);
	/* unknown ID: the first known ID_LIKE word decides */
	ck_assert_int_eq(family_of("ID=pika\nID_LIKE=\"ubuntu debian\"\n"), FAMILY_UBUNTU);
	ck_assert_int_eq(family_of("ID=mystery\n"), FAMILY_GENERIC);
	ck_assert_int_eq(family_of(""), FAMILY_GENERIC);
	ck_assert_int_eq(family_of("# comment\nID='Debian'\n"), FAMILY_DEBIAN);
}
END_TEST

START_TEST(fields)
{
	struct distro d;

	distro_parse_os_release("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"
	                        "VERSION_ID=\"12\"\nPRETTY_NAMEX=no\n",
	                        &d);
	ck_assert_str_eq(d.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	ck_assert_str_eq(d.version_id, "12");
	ck_assert_str_eq(d.id, "debian");
	distro_parse_os_release("PRETTY_NAME=\"A \\\"quoted\\\" name\"\n", &d);
	ck_assert_str_eq(d.pretty_name, "A \"quoted\" name");
}
END_TEST

/* Found by tests/fuzz/fuzz_os_release: a file with CRLF line endings (one
 * copied from Windows, or a hostile mounted system) gave "debian\r", so the
 * family fell back to generic, and escape sequences in PRETTY_NAME reached
 * the terminal through `ntpwiz detect`. */
START_TEST(crlf_and_control_characters)
{
	struct distro d;

	distro_parse_os_release("ID=debian\r\nVERSION_ID=\"12\"\r\n", &d);
	ck_assert_int_eq(d.family, FAMILY_DEBIAN);
	ck_assert_str_eq(d.id, "debian");
	ck_assert_str_eq(d.version_id, "12");
	distro_parse_os_release("ID=\"rocky\"\r\nID_LIKE=\"rhel\r\"\r\n"
	                        "PRETTY_NAME=\"Evil\033]0;owned\007 OS\t1\"\r\n",
	                        &d);
	ck_assert_int_eq(d.family, FAMILY_RHEL);
	ck_assert_str_eq(d.pretty_name, "Evil?]0;owned? OS?1");
	ck_assert_str_eq(d.id_like, "rhel?");
	/* a CR at the very end of the text ends the line too */
	distro_parse_os_release("ID=alpine\r", &d);
	ck_assert_int_eq(d.family, FAMILY_ALPINE);
}
END_TEST

static void defaults_for(const char *os_release, struct setup *s)
{
	struct distro d;
	struct errlist e;

	errlist_init(&e);
	model_init(s);
	distro_parse_os_release(os_release, &d);
	ck_assert_int_eq(distro_apply_default_servers(&d, s, &e), 0);
	ck_assert_uint_eq(e.n, 0);
	errlist_free(&e);
}

START_TEST(default_servers)
{
	struct setup s;

	defaults_for("ID=debian\n", &s);
	ck_assert_uint_eq(s.nservers, 1);
	ck_assert_str_eq(s.servers[0].host, "2.debian.pool.ntp.org");
	ck_assert_int_eq(s.servers[0].kind, SERVER_KIND_POOL);
	ck_assert(s.servers[0].iburst);

	defaults_for("ID=amzn\n", &s);
	ck_assert_uint_eq(s.nservers, 2);
	ck_assert_str_eq(s.servers[0].host, "169.254.169.123");
	ck_assert_int_eq(s.servers[0].kind, SERVER_KIND_SERVER);
	ck_assert(s.servers[0].prefer);
	ck_assert_int_eq(s.servers[0].minpoll, 4);
	ck_assert_int_eq(s.servers[0].maxpoll, 4);

	defaults_for("ID=ubuntu\n", &s);
	ck_assert_uint_eq(s.nservers, 2);
	ck_assert_str_eq(s.servers[0].host, "ntp.ubuntu.com");

	defaults_for("ID=fedora\n", &s);
	ck_assert_str_eq(s.servers[0].host, "2.fedora.pool.ntp.org");
	defaults_for("ID=rhel\n", &s);
	ck_assert_str_eq(s.servers[0].host, "2.rhel.pool.ntp.org");
	defaults_for("ID=opensuse-tumbleweed\n", &s);
	ck_assert_str_eq(s.servers[0].host, "2.opensuse.pool.ntp.org");
	defaults_for("ID=mystery\n", &s);
	ck_assert_str_eq(s.servers[0].host, "2.pool.ntp.org");
}
END_TEST

START_TEST(profile_servers_win)
{
	struct setup s;
	struct server srv;
	struct distro d;
	struct errlist e;

	errlist_init(&e);
	model_init(&s);
	model_server_init(&srv);
	strcpy(srv.host, "ntp.example.org");
	ck_assert_int_eq(model_add_server(&s, &srv, "servers[0]", &e), 0);
	distro_parse_os_release("ID=amzn\n", &d);
	ck_assert_int_eq(distro_apply_default_servers(&d, &s, &e), 0);
	ck_assert_uint_eq(s.nservers, 1);
	ck_assert_str_eq(s.servers[0].host, "ntp.example.org");
	errlist_free(&e);
}
END_TEST

START_TEST(detect_under_root)
{
	struct distro d;

	fake_sysops_reset();
	distro_detect(&d);
	ck_assert_int_eq(d.family, FAMILY_GENERIC);
	fake_sysops_put(1, "/usr/lib/os-release", "ID=arch\n");
	distro_detect(&d);
	ck_assert_int_eq(d.family, FAMILY_ARCH);
	fake_sysops_put(1, "/etc/os-release", "ID=alpine\n");
	distro_detect(&d);
	ck_assert_int_eq(d.family, FAMILY_ALPINE);
	/* the host's own os-release is never read for the root's family */
	fake_sysops_reset();
	fake_sysops_put(0, "/etc/os-release", "ID=debian\n");
	distro_detect(&d);
	ck_assert_int_eq(d.family, FAMILY_GENERIC);
}
END_TEST

START_TEST(family_names)
{
	for (int f = 0; f < FAMILY_COUNT; f++)
		ck_assert_int_eq(distro_family_from_name(distro_family_name((enum distro_family)f)),
		                 f);
	ck_assert_int_eq(distro_family_from_name("plan9"), -1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("distro");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, families);
	tcase_add_test(tc, fields);
	tcase_add_test(tc, crlf_and_control_characters);
	tcase_add_test(tc, default_servers);
	tcase_add_test(tc, profile_servers_win);
	tcase_add_test(tc, detect_under_root);
	tcase_add_test(tc, family_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
