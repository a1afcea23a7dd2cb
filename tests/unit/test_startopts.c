/*
 * test_startopts: the start options in the defaults files (issue 14,
 * defect 8: Debian's OpenNTPD -s, NTPsec -g) and the profile's start =
 * { user; family; } (issue 16 section 7: -u, -4, -6): the table, the edit
 * of the variable's last assignment (every other byte kept, an existing
 * option replaced, never duplicated), the refusals and the import.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "fake_sysops.h"
#include "sysops.h"
#include "startopts.h"
#include "testhelp.h"

static const char stock_openntpd[] =
    "# /etc/default/openntpd\n"
    "\n"
    "# Append '-s' to set the system time when starting in case the offset\n"
    "# between the local clock and the servers is more than 180 seconds.\n"
    "# For other options, see man ntpd(8).\n"
    "DAEMON_OPTS=\"-f /etc/openntpd/ntpd.conf\"\n";

static int edit(const struct startopts *r, const char *in, struct strbuf *out)
{
	strbuf_init(out);
	return startopts_edit(r, NULL, in, in ? strlen(in) : 0, out);
}

static int edit_s(const struct startopts *r, const char *user, enum start_family fam,
                  const char *in, struct strbuf *out)
{
	struct setup s;

	model_init(&s);
	snprintf(s.start.user, sizeof(s.start.user), "%s", user ? user : "");
	s.start.family = fam;
	strbuf_init(out);
	return startopts_edit(r, &s, in, in ? strlen(in) : 0, out);
}

START_TEST(table_rows)
{
	const struct startopts *o = startopts_find(&backend_openntpd, FAMILY_DEBIAN);
	const struct startopts *n = startopts_find(&backend_ntpsec, FAMILY_DEBIAN);

	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->path, "/etc/default/openntpd");
	ck_assert_str_eq(o->var, "DAEMON_OPTS");
	ck_assert_str_eq(o->flag, "-s");
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->path, "/etc/default/ntpsec");
	ck_assert_str_eq(n->flag, "-g");
	ck_assert_ptr_null(startopts_find(&backend_timesyncd, FAMILY_DEBIAN));
	ck_assert_ptr_null(startopts_find(&backend_openntpd, FAMILY_RHEL));
	ck_assert_ptr_null(startopts_find(&backend_openntpd, FAMILY_ALPINE));
}
END_TEST

/* issue 16 section 7: where each distribution keeps the options (read
 * from the packages, startopts.c) */
START_TEST(table_start_rows)
{
	static const struct {
		const struct backend *b;
		enum distro_family f;
		const char *path, *var, *user;
		bool fixed;
	} want[] = {
	    {&backend_chrony, FAMILY_DEBIAN, "/etc/default/chrony", "DAEMON_OPTS", "_chrony", false},
	    {&backend_chrony, FAMILY_UBUNTU, "/etc/default/chrony", "DAEMON_OPTS", "_chrony", false},
	    {&backend_ntpsec, FAMILY_DEBIAN, "/etc/default/ntpsec", "NTPD_OPTS", "ntpsec", true},
	    {&backend_ntp, FAMILY_DEBIAN, "/etc/default/ntp", "NTPD_OPTS", "ntp", true},
	    {&backend_chrony, FAMILY_RHEL, "/etc/sysconfig/chronyd", "OPTIONS", "chrony", false},
	    {&backend_ntp, FAMILY_RHEL, "/etc/sysconfig/ntpd", "OPTIONS", "ntp", false},
	    {&backend_chrony, FAMILY_SUSE, "/etc/sysconfig/chronyd", "OPTIONS", "chrony", false},
	    {&backend_chrony, FAMILY_ALPINE, "/etc/conf.d/chronyd", "ARGS", "chrony", false},
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct startopts *r = startopts_find(want[i].b, want[i].f);
		ck_assert_msg(r != NULL, "row %zu", i);
		ck_assert_str_eq(r->path, want[i].path);
		ck_assert_str_eq(r->var, want[i].var);
		ck_assert_str_eq(r->user, want[i].user);
		ck_assert_int_eq(r->user_fixed != NULL, want[i].fixed);
	}
	ck_assert_ptr_null(startopts_find(&backend_chrony, FAMILY_ARCH));
	ck_assert_ptr_null(startopts_find(&backend_chrony, FAMILY_GENERIC));
	/* every row: an absolute path, a variable, and a flag only with its why */
	for (size_t i = 0; startopts_row(i); i++) {
		const struct startopts *r = startopts_row(i);
		ck_assert_int_eq(r->path[0], '/');
		ck_assert(r->var[0] != '\0');
		ck_assert_int_eq(r->flag != NULL, r->why != NULL);
	}
}
END_TEST

START_TEST(user_and_family_are_added)
{
	const struct startopts *c = startopts_find(&backend_chrony, FAMILY_DEBIAN);
	static const char stock[] = "# Options to pass to chrony.\nDAEMON_OPTS=\"-F 1\"\n";
	struct strbuf out;

	ck_assert_int_eq(edit_s(c, "ntpwiz", START_FAMILY_IPV4, stock, &out), 1);
	ck_assert_str_eq(strbuf_str(&out),
	                 "# Options to pass to chrony.\nDAEMON_OPTS=\"-F 1 -u ntpwiz -4\"\n");
	strbuf_free(&out);
	ck_assert_int_eq(edit_s(c, NULL, START_FAMILY_IPV6, stock, &out), 1);
	ck_assert_str_eq(strbuf_str(&out), "# Options to pass to chrony.\nDAEMON_OPTS=\"-F 1 -6\"\n");
	strbuf_free(&out);
	/* no file: the package's value with the options */
	ck_assert_int_eq(edit_s(c, "ntpwiz", START_FAMILY_UNSET, NULL, &out), 1);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "\nDAEMON_OPTS=\"-F 1 -u ntpwiz\"\n"));
	strbuf_free(&out);
	/* Alpine's empty ARGS */
	ck_assert_int_eq(edit_s(startopts_find(&backend_chrony, FAMILY_ALPINE), "ntpwiz",
	                        START_FAMILY_IPV6, "CFGFILE=\"/etc/chrony/chrony.conf\"\nARGS=\"\"\n",
	                        &out),
	                 1);
	ck_assert_str_eq(strbuf_str(&out),
	                 "CFGFILE=\"/etc/chrony/chrony.conf\"\nARGS=\"-u ntpwiz -6\"\n");
	strbuf_free(&out);
}
END_TEST

START_TEST(existing_options_are_replaced_not_duplicated)
{
	const struct startopts *c = startopts_find(&backend_chrony, FAMILY_RHEL);
	struct strbuf out;

	ck_assert_int_eq(
	    edit_s(c, "ntpwiz", START_FAMILY_IPV4, "OPTIONS=\"-F 2 -u old  -6\t-r\" # mine\n", &out), 1);
	ck_assert_str_eq(strbuf_str(&out), "OPTIONS=\"-F 2\t-r -u ntpwiz -4\" # mine\n");
	strbuf_free(&out);
	/* -uUSER in one word, and both families */
	ck_assert_int_eq(edit_s(c, "ntpwiz", START_FAMILY_IPV6, "OPTIONS='-4 -uold -6 -F 2'\n", &out),
	                 1);
	ck_assert_str_eq(strbuf_str(&out), "OPTIONS='-F 2 -u ntpwiz -6'\n");
	strbuf_free(&out);
	/* "any": no -4, no -6 */
	ck_assert_int_eq(edit_s(c, NULL, START_FAMILY_ANY, "OPTIONS=\"-4 -F 2\"\n", &out), 1);
	ck_assert_str_eq(strbuf_str(&out), "OPTIONS=\"-F 2\"\n");
	strbuf_free(&out);
	/* already as asked: nothing */
	ck_assert_int_eq(edit_s(c, "ntpwiz", START_FAMILY_IPV4, "OPTIONS=\"-u ntpwiz -4\"\n", &out), 0);
	strbuf_free(&out);
	ck_assert_int_eq(edit_s(c, NULL, START_FAMILY_ANY, "OPTIONS=\"-F 2\"\n", &out), 0);
	strbuf_free(&out);
	/* ntpd's USER:GROUP is that user */
	ck_assert_int_eq(edit_s(startopts_find(&backend_ntp, FAMILY_RHEL), "ntp", START_FAMILY_UNSET,
	                        "OPTIONS=\"-g -u ntp:ntp\"\n", &out),
	                 0);
	strbuf_free(&out);
	/* the last assignment is the one edited */
	ck_assert_int_eq(edit_s(c, NULL, START_FAMILY_IPV6, "OPTIONS=\"-4\"\nOPTIONS=\"-F 2\"\n", &out),
	                 1);
	ck_assert_str_eq(strbuf_str(&out), "OPTIONS=\"-4\"\nOPTIONS=\"-F 2 -6\"\n");
	strbuf_free(&out);
}
END_TEST

START_TEST(the_services_own_user_writes_nothing)
{
	const struct startopts *c = startopts_find(&backend_chrony, FAMILY_DEBIAN);
	struct strbuf out;

	/* Debian's chrony runs as _chrony already */
	ck_assert_int_eq(edit_s(c, "_chrony", START_FAMILY_UNSET, NULL, &out), 0);
	ck_assert_uint_eq(out.len, 0);
	strbuf_free(&out);
	ck_assert_int_eq(edit_s(c, "_chrony", START_FAMILY_UNSET, "DAEMON_OPTS=\"-F 1\"\n", &out), 0);
	strbuf_free(&out);
	/* another -u goes: the service's user again */
	ck_assert_int_eq(
	    edit_s(c, "_chrony", START_FAMILY_UNSET, "DAEMON_OPTS=\"-F 1 -u root\"\n", &out), 1);
	ck_assert_str_eq(strbuf_str(&out), "DAEMON_OPTS=\"-F 1\"\n");
	strbuf_free(&out);
}
END_TEST

START_TEST(nothing_asked_leaves_the_file_alone)
{
	const struct startopts *c = startopts_find(&backend_chrony, FAMILY_DEBIAN);
	struct strbuf out;

	/* no start in the profile: the operator's -u and -4 stay, and a value
	 * ntpwiz could not edit is no error */
	ck_assert_int_eq(edit_s(c, NULL, START_FAMILY_UNSET, "DAEMON_OPTS=\"-u x -4\"\n", &out), 0);
	strbuf_free(&out);
	ck_assert_int_eq(edit_s(c, NULL, START_FAMILY_UNSET, "DAEMON_OPTS=\"$X\"\n", &out), 0);
	strbuf_free(&out);
	ck_assert_int_eq(edit_s(c, "x", START_FAMILY_UNSET, "DAEMON_OPTS=\"$X\"\n", &out), -1);
	strbuf_free(&out);
}
END_TEST

START_TEST(import_reads_user_and_family)
{
	const struct startopts *c = startopts_find(&backend_chrony, FAMILY_DEBIAN);
	const struct startopts *n = startopts_find(&backend_ntp, FAMILY_RHEL);
	static const char t1[] = "DAEMON_OPTS=\"-F 1 -u chrony2 -6\"\n";
	static const char t2[] = "OPTIONS=\"-g -u ntp:ntp -6 -4\"\n";
	static const char t3[] = "DAEMON_OPTS=\"-F 1\"\n";
	static const char t4[] = "DAEMON_OPTS=\"$X -4\"\n";
	struct setup s;

	model_init(&s);
	ck_assert_int_eq(startopts_import(c, t1, strlen(t1), &s), 1);
	ck_assert_str_eq(s.start.user, "chrony2");
	ck_assert_int_eq(s.start.family, START_FAMILY_IPV6);
	model_init(&s);
	ck_assert_int_eq(startopts_import(n, t2, strlen(t2), &s), 1);
	ck_assert_str_eq(s.start.user, "ntp");
	ck_assert_int_eq(s.start.family, START_FAMILY_IPV4); /* the last one counts */
	model_init(&s);
	ck_assert_int_eq(startopts_import(c, t3, strlen(t3), &s), 0);
	ck_assert_str_eq(s.start.user, "");
	ck_assert_int_eq(s.start.family, START_FAMILY_UNSET);
	ck_assert_int_eq(startopts_import(c, t4, strlen(t4), &s), -1);
}
END_TEST

static int check_msg(const struct backend *b, enum distro_family f, const char *user,
                     enum start_family fam, char *msg, size_t size)
{
	struct setup s;
	struct errlist errs;
	int rc;

	model_init(&s);
	snprintf(s.start.user, sizeof(s.start.user), "%s", user ? user : "");
	s.start.family = fam;
	errlist_init(&errs);
	rc = startopts_check(&s, b, f, &errs);
	snprintf(msg, size, "%s", errs.n ? errs.v[0].message : "");
	errlist_free(&errs);
	return rc;
}

START_TEST(refusals_name_the_daemon_and_the_field)
{
	char m[600];

	fake_sysops_reset();
	sysops_set_root("/");
	fake_sysops_put(1, "/etc/passwd", "root:x:0:0::/root:/bin/sh\nntpwiz:x:999:999::/:/bin/false\n");
	ck_assert_int_eq(check_msg(&backend_openntpd, FAMILY_DEBIAN, "ntpwiz", START_FAMILY_UNSET, m,
	                           sizeof(m)),
	                 -1);
	ck_assert_msg(strstr(m, "start.user") && strstr(m, "OpenNTPD has no -u"), "%s", m);
	ck_assert_int_eq(
	    check_msg(&backend_openntpd, FAMILY_DEBIAN, NULL, START_FAMILY_IPV4, m, sizeof(m)), -1);
	ck_assert_msg(strstr(m, "start.family") && strstr(m, "OpenNTPD has no -4 or -6"), "%s", m);
	ck_assert_int_eq(
	    check_msg(&backend_openntpd, FAMILY_DEBIAN, NULL, START_FAMILY_ANY, m, sizeof(m)), 0);
	ck_assert_int_eq(check_msg(&backend_timesyncd, FAMILY_DEBIAN, "ntpwiz", START_FAMILY_UNSET,
	                           m, sizeof(m)),
	                 -1);
	ck_assert_msg(strstr(m, "start.user") && strstr(m, "systemd-timesync"), "%s", m);
	ck_assert_int_eq(
	    check_msg(&backend_timesyncd, FAMILY_DEBIAN, NULL, START_FAMILY_IPV6, m, sizeof(m)), -1);
	ck_assert_msg(strstr(m, "start.family") && strstr(m, "systemd-timesyncd"), "%s", m);
	/* Debian's NTPsec wrapper adds its own -u after NTPD_OPTS */
	ck_assert_int_eq(
	    check_msg(&backend_ntpsec, FAMILY_DEBIAN, "ntpwiz", START_FAMILY_UNSET, m, sizeof(m)), -1);
	ck_assert_msg(strstr(m, "start.user") && strstr(m, "ntp-systemd-wrapper"), "%s", m);
	ck_assert_int_eq(
	    check_msg(&backend_ntpsec, FAMILY_DEBIAN, "ntpsec", START_FAMILY_IPV4, m, sizeof(m)), 0);
	/* no verified file for Arch */
	ck_assert_int_eq(
	    check_msg(&backend_chrony, FAMILY_ARCH, NULL, START_FAMILY_IPV4, m, sizeof(m)), -1);
	ck_assert_msg(strstr(m, "start") && strstr(m, "chrony"), "%s", m);
	/* the user must exist on the target */
	ck_assert_int_eq(
	    check_msg(&backend_chrony, FAMILY_DEBIAN, "ntpwiz", START_FAMILY_UNSET, m, sizeof(m)), 0);
	ck_assert_int_eq(
	    check_msg(&backend_chrony, FAMILY_DEBIAN, "nobody2", START_FAMILY_UNSET, m, sizeof(m)), -1);
	ck_assert_msg(strstr(m, "start.user") && strstr(m, "nobody2") && strstr(m, "/etc/passwd"),
	              "%s", m);
	/* "ntp" is a prefix of "ntpwiz", not a user */
	ck_assert_int_eq(
	    check_msg(&backend_chrony, FAMILY_RHEL, "ntp", START_FAMILY_UNSET, m, sizeof(m)), -1);
	/* the service's own user need not exist yet (the package makes it) */
	ck_assert_int_eq(
	    check_msg(&backend_chrony, FAMILY_DEBIAN, "_chrony", START_FAMILY_UNSET, m, sizeof(m)), 0);
}
END_TEST

START_TEST(adds_the_flag_keeping_every_other_byte)
{
	const struct startopts *o = startopts_find(&backend_openntpd, FAMILY_DEBIAN);
	struct strbuf out;

	ck_assert_int_eq(edit(o, stock_openntpd, &out), 1);
	ck_assert_str_eq(strbuf_str(&out),
	                 "# /etc/default/openntpd\n"
	                 "\n"
	                 "# Append '-s' to set the system time when starting in case the offset\n"
	                 "# between the local clock and the servers is more than 180 seconds.\n"
	                 "# For other options, see man ntpd(8).\n"
	                 "DAEMON_OPTS=\"-f /etc/openntpd/ntpd.conf -s\"\n");
	strbuf_free(&out);
}
END_TEST

START_TEST(already_there_is_left_alone)
{
	const struct startopts *o = startopts_find(&backend_openntpd, FAMILY_DEBIAN);
	const struct startopts *n = startopts_find(&backend_ntpsec, FAMILY_DEBIAN);
	struct strbuf out;

	ck_assert_int_eq(edit(o, "DAEMON_OPTS=\"-s -f /etc/openntpd/ntpd.conf\"\n", &out), 0);
	strbuf_free(&out);
	ck_assert_int_eq(edit(o, "DAEMON_OPTS='-f x -s' # set\n", &out), 0);
	strbuf_free(&out);
	ck_assert_int_eq(edit(n, "NTPD_OPTS=\"-g -N\"\n", &out), 0);
	strbuf_free(&out);
	ck_assert_int_eq(edit(n, "NTPD_OPTS=\"-g\"\n", &out), 0);
	strbuf_free(&out);
	/* "-sv" is not "-s" */
	ck_assert_int_eq(edit(o, "DAEMON_OPTS=\"-sv\"\n", &out), 1);
	ck_assert_str_eq(strbuf_str(&out), "DAEMON_OPTS=\"-sv -s\"\n");
	strbuf_free(&out);
}
END_TEST

START_TEST(forms_of_the_assignment)
{
	const struct startopts *o = startopts_find(&backend_openntpd, FAMILY_DEBIAN);
	struct strbuf out;

	/* the last assignment counts; a commented one is no assignment */
	ck_assert_int_eq(edit(o, "DAEMON_OPTS=\"-s\"\nDAEMON_OPTS=\"-f a\"\n#DAEMON_OPTS=\"-f b\"\n", &out), 1);
	ck_assert_str_eq(strbuf_str(&out),
	                 "DAEMON_OPTS=\"-s\"\nDAEMON_OPTS=\"-f a -s\"\n#DAEMON_OPTS=\"-f b\"\n");
	strbuf_free(&out);
	ck_assert_int_eq(edit(o, "export DAEMON_OPTS='-f a' # mine\n", &out), 1);
	ck_assert_str_eq(strbuf_str(&out), "export DAEMON_OPTS='-f a -s' # mine\n");
	strbuf_free(&out);
	ck_assert_int_eq(edit(o, "DAEMON_OPTS=\n", &out), 1);
	ck_assert_str_eq(strbuf_str(&out), "DAEMON_OPTS=\"-s\"\n");
	strbuf_free(&out);
	ck_assert_int_eq(edit(o, "DAEMON_OPTS=-v", &out), 1);
	ck_assert_str_eq(strbuf_str(&out), "DAEMON_OPTS=\"-v -s\"");
	strbuf_free(&out);
	/* no assignment: the package's value with the flag is added */
	ck_assert_int_eq(edit(o, "# nothing\n", &out), 1);
	ck_assert_str_eq(strbuf_str(&out), "# nothing\nDAEMON_OPTS=\"-f /etc/openntpd/ntpd.conf -s\"\n");
	strbuf_free(&out);
	/* no file */
	ck_assert_int_eq(edit(o, NULL, &out), 1);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "\nDAEMON_OPTS=\"-f /etc/openntpd/ntpd.conf -s\"\n"));
	strbuf_free(&out);
}
END_TEST

START_TEST(shell_it_cannot_edit_safely_is_refused)
{
	const struct startopts *o = startopts_find(&backend_openntpd, FAMILY_DEBIAN);
	static const char *const bad[] = {
	    "DAEMON_OPTS=\"$OTHER -f a\"\n",
	    "DAEMON_OPTS=\"`cat x`\"\n",
	    "DAEMON_OPTS=\"-f a\n",
	    "DAEMON_OPTS=\"-f \\\"a\\\"\"\n",
	};
	struct strbuf out;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(edit(o, bad[i], &out) == -1, "%s", bad[i]);
		strbuf_free(&out);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("startopts");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, table_rows);
	tcase_add_test(tc, adds_the_flag_keeping_every_other_byte);
	tcase_add_test(tc, already_there_is_left_alone);
	tcase_add_test(tc, forms_of_the_assignment);
	tcase_add_test(tc, shell_it_cannot_edit_safely_is_refused);
	tcase_add_test(tc, table_start_rows);
	tcase_add_test(tc, user_and_family_are_added);
	tcase_add_test(tc, existing_options_are_replaced_not_duplicated);
	tcase_add_test(tc, the_services_own_user_writes_nothing);
	tcase_add_test(tc, nothing_asked_leaves_the_file_alone);
	tcase_add_test(tc, import_reads_user_and_family);
	tcase_add_test(tc, refusals_name_the_daemon_and_the_field);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
