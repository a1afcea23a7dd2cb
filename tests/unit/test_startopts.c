/*
 * test_startopts: the start options in the defaults files (issue 14,
 * defect 8): the table (Debian's OpenNTPD -s, NTPsec -g; nothing for
 * chrony, timesyncd or other families) and the edit of the variable's
 * last assignment, every other byte kept.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "backend.h"
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
	return startopts_edit(r, in, in ? strlen(in) : 0, out);
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
	ck_assert_ptr_null(startopts_find(&backend_chrony, FAMILY_DEBIAN));
	ck_assert_ptr_null(startopts_find(&backend_timesyncd, FAMILY_DEBIAN));
	ck_assert_ptr_null(startopts_find(&backend_ntp, FAMILY_DEBIAN));
	ck_assert_ptr_null(startopts_find(&backend_openntpd, FAMILY_RHEL));
	ck_assert_ptr_null(startopts_find(&backend_openntpd, FAMILY_ALPINE));
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
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
