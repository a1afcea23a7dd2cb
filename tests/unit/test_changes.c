/*
 * test_changes: the record apply keeps next to a backup (src/changes.h):
 * what it writes is what it reads back; anything else a mounted system's
 * file may hold is "damaged" (or "newer") and reads as nothing recorded.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "changes.h"
#include "testhelp.h"

#define HEAD "ntpwiz-changes 1\n"

static enum changes_read parse(const char *text, struct changes *c)
{
	return changes_parse(text, strlen(text), c);
}

START_TEST(round_trip)
{
	struct changes c, back;
	struct strbuf t;

	changes_init(&c);
	c.daemon = &backend_chrony;
	c.daemons[CHANGES_BEFORE_ENABLED][DAEMON_NTPSEC] = true;
	c.daemons[CHANGES_BEFORE_RUNNING][DAEMON_NTPSEC] = true;
	c.daemons[CHANGES_STOPPED][DAEMON_NTPSEC] = true;
	c.daemons[CHANGES_DISABLED][DAEMON_TIMESYNCD] = true;
	c.daemons[CHANGES_ENABLED][DAEMON_CHRONY] = true;
	c.daemons[CHANGES_STARTED][DAEMON_CHRONY] = true;
	ck_assert_int_eq(changes_add_package(&c, CHANGES_INSTALLED, "chrony"), 0);
	ck_assert_int_eq(changes_add_package(&c, CHANGES_REMOVED, "ntpsec"), 0);
	ck_assert_int_eq(changes_add_package(&c, CHANGES_REMOVED, "libgnutls30+x.y@1"), 0);
	ck_assert_int_eq(changes_add_package(&c, CHANGES_PURGED, "ntpsec-ntpdate"), 0);
	strbuf_init(&t);
	changes_format(&c, "etc_chrony_chrony.conf.20261207T120000Z.absent", &t);
	ck_assert_str_eq(
	    strbuf_str(&t),
	    "# ntpwiz: what the apply that made "
	    "etc_chrony_chrony.conf.20261207T120000Z.absent changed besides the file\n" HEAD
	    "daemon chrony\n"
	    "before-enabled ntpsec\n"
	    "before-running ntpsec\n"
	    "installed chrony\n"
	    "removed ntpsec\n"
	    "removed libgnutls30+x.y@1\n"
	    "purged ntpsec-ntpdate\n"
	    "stopped ntpsec\n"
	    "disabled timesyncd\n"
	    "enabled chrony\n"
	    "started chrony\n");
	ck_assert_int_eq(changes_parse(strbuf_str(&t), t.len, &back), CHANGES_FOUND);
	ck_assert_mem_eq(&back, &c, sizeof(c));
	strbuf_free(&t);
}
END_TEST

START_TEST(comments_blank_lines_and_order)
{
	struct changes c;

	ck_assert_int_eq(parse("# a comment\n\n" HEAD "\nenabled chrony\n# x\ndaemon chrony\n", &c),
	                 CHANGES_FOUND);
	ck_assert_ptr_eq(c.daemon, &backend_chrony);
	ck_assert(c.daemons[CHANGES_ENABLED][DAEMON_CHRONY]);
	ck_assert(!c.daemons[CHANGES_STARTED][DAEMON_CHRONY]);
	/* a package listed twice is kept once */
	ck_assert_int_eq(parse(HEAD "daemon ntpsec\ninstalled ntpsec\ninstalled ntpsec\n", &c),
	                 CHANGES_FOUND);
	ck_assert_uint_eq(c.npkgs[CHANGES_INSTALLED], 1);
}
END_TEST

/* Each of these is damaged, and reads as nothing recorded. */
static const char *const damaged[] = {
    "",
    "daemon chrony\n",                                 /* no header */
    "ntpwiz-changes\ndaemon chrony\n",                 /* no version */
    "ntpwiz-changes 0\ndaemon chrony\n",               /* no such version */
    "ntpwiz-changes 1x\ndaemon chrony\n",              /* not a number */
    "ntpwiz-changes  1\ndaemon chrony\n",              /* two blanks */
    HEAD,                                              /* no daemon */
    HEAD "daemon chrony",                              /* last line unended */
    HEAD "daemon chrony\ndaemon ntpsec\n",             /* two daemons */
    HEAD "daemon auto\n",                              /* not a daemon */
    HEAD "daemon chronyd\n",                           /* not a daemon */
    HEAD "daemon chrony\nenabled systemd-timesyncd\n", /* a service, not a daemon name */
    HEAD "daemon chrony\nreinstalled chrony\n",        /* unknown key */
    HEAD "daemon chrony\ninstalled\n",                 /* no value */
    HEAD "daemon chrony\ninstalled \n",                /* empty value */
    HEAD "daemon chrony\ninstalled a b\n",             /* two values */
    HEAD "daemon chrony\ninstalled $(reboot)\n",       /* shell syntax */
    HEAD "daemon chrony\ninstalled -rf\n",             /* an option */
    HEAD "daemon chrony\ninstalled ../x\n",            /* not a name */
    HEAD "daemon chrony\ninstalled ch;rony\n",         /* shell syntax */
    HEAD "daemon chrony\ninstalled chr\tony\n",        /* control character */
    HEAD "daemon chrony\ninstalled chr\xc3\xb6ny\n",   /* not ASCII */
    HEAD "daemon chrony\r\n",                          /* CR */
    " " HEAD "daemon chrony\n",                        /* leading blank */
    HEAD "daemon chrony \n",                           /* trailing blank */
};

START_TEST(damaged_records)
{
	struct changes c;

	for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
		memset(&c, 0x55, sizeof(c));
		ck_assert_msg(parse(damaged[i], &c) == CHANGES_DAMAGED, "case %zu: \"%s\"", i,
		              damaged[i]);
		ck_assert_msg(c.daemon == NULL && c.npkgs[CHANGES_INSTALLED] == 0 &&
		                  !c.daemons[CHANGES_ENABLED][DAEMON_CHRONY],
		              "case %zu: something was kept", i);
	}
}
END_TEST

START_TEST(limits)
{
	struct changes c;
	char text[CHANGES_MAX_TEXT + 64], name[CHANGES_PKG_MAX + 8];
	size_t o;

	/* a NUL inside the text */
	ck_assert_int_eq(changes_parse(HEAD "daemon chrony\n\0x\n", sizeof(HEAD) + 16, &c),
	                 CHANGES_DAMAGED);
	/* 32 packages a list are kept, the 33rd damages the record */
	o = (size_t)snprintf(text, sizeof(text), HEAD "daemon chrony\n");
	for (int i = 0; i < CHANGES_MAX_PKGS; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "removed p%d\n", i);
	ck_assert_int_eq(changes_parse(text, o, &c), CHANGES_FOUND);
	ck_assert_uint_eq(c.npkgs[CHANGES_REMOVED], CHANGES_MAX_PKGS);
	o += (size_t)snprintf(text + o, sizeof(text) - o, "removed p%d\n", CHANGES_MAX_PKGS);
	ck_assert_int_eq(changes_parse(text, o, &c), CHANGES_DAMAGED);
	/* the longest name kept, one more refused */
	memset(name, 'a', sizeof(name));
	name[CHANGES_PKG_MAX - 1] = '\0';
	ck_assert(changes_valid_package(name, CHANGES_PKG_MAX - 1));
	ck_assert(!changes_valid_package(name, CHANGES_PKG_MAX));
	/* a text over the size limit, even of comments */
	memset(text, '#', sizeof(text));
	memcpy(text, HEAD "daemon chrony\n", sizeof(HEAD "daemon chrony\n") - 1);
	text[CHANGES_MAX_TEXT] = '\n';
	ck_assert_int_eq(changes_parse(text, CHANGES_MAX_TEXT + 1, &c), CHANGES_DAMAGED);
	/* the writer's side: a full list sets truncated */
	changes_init(&c);
	for (int i = 0; i <= CHANGES_MAX_PKGS; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		changes_add_package(&c, CHANGES_INSTALLED, name);
	}
	ck_assert(c.truncated);
	ck_assert_int_eq(changes_add_package(&c, CHANGES_REMOVED, "bad name"), -1);
	ck_assert_uint_eq(c.npkgs[CHANGES_REMOVED], 0);
}
END_TEST

START_TEST(newer_version)
{
	struct changes c;

	ck_assert_int_eq(parse("ntpwiz-changes 2\ndaemon chrony\nsomething new\n", &c),
	                 CHANGES_NEWER);
	ck_assert_ptr_null(c.daemon);
	ck_assert_str_eq(changes_read_name(CHANGES_FOUND), "found");
	ck_assert_str_eq(changes_read_name(CHANGES_MISSING), "missing");
	ck_assert_str_eq(changes_read_name(CHANGES_DAMAGED), "damaged");
	ck_assert_str_eq(changes_read_name(CHANGES_NEWER), "newer");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("changes");
	TCase *tc = tcase_create("record");

	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, comments_blank_lines_and_order);
	tcase_add_test(tc, damaged_records);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, newer_version);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
