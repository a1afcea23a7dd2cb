/*
 * test_selection: issue 16 sections 1, 3 and 4 in the core: OpenNTPD
 * constraints (validate_constraint, the profile keys, OpenBSD's defaults),
 * source selection (minsources, maxdistance, noselect, trust, xleave,
 * maxdelay) and orphan mode. Asserts the errors a user reads (where and
 * message), the bytes of a written profile (which load back to the same
 * model) and each daemon's refusal, which names the daemon.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "errlist.h"
#include "model.h"
#include "profile.h"
#include "strbuf.h"
#include "testhelp.h"
#include "validate.h"

static struct setup *s;
static struct errlist errs;

static void fx_setup(void)
{
	s = calloc(1, sizeof(*s));
	ck_assert_ptr_nonnull(s);
	errlist_init(&errs);
}

static void fx_teardown(void)
{
	errlist_free(&errs);
	free(s);
}

static const char *dump(const struct errlist *e)
{
	static char buf[4096];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < e->n && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\n  [%zu] %s%s%s", i,
		                      e->v[i].where, e->v[i].where[0] ? ": " : "", e->v[i].message);
	return buf;
}

static int parse(const char *text)
{
	errlist_free(&errs);
	errlist_init(&errs);
	return profile_parse(text, "p.cfg", s, &errs);
}

/* exactly one error, at where, with this message */
static void expect_one(const char *text, const char *where, const char *message)
{
	ck_assert_msg(parse(text) == -1, "accepted:\n%s", text);
	ck_assert_msg(errs.n == 1 && strcmp(errs.v[0].where, where) == 0 &&
	                  strcmp(errs.v[0].message, message) == 0,
	              "for:\n%s\nexpected %s: %s\ngot:%s", text, where, message, dump(&errs));
}

/* --- validate_constraint ------------------------------------------------------ */

START_TEST(constraint_sources)
{
	static const char *const good[] = {
	    "www.google.com", "9.9.9.9", "2620:fe::fe", "https://www.google.com",
	    "https://www.google.com/", "https://www.google.com/search?q=openntpd",
	    "https://192.0.2.1/", "https://2001:db8::1/x", "https://time.example.org/a/b-c_d.e~f&g=h",
	};
	static const struct {
		const char *value, *why;
	} bad[] = {
	    {"", "is empty"},
	    {"http://www.example.com/", "is a URL that is not https://; OpenNTPD reads the time "
	                                "of HTTPS answers only"},
	    {"https://", "names no host after https://"},
	    {"https:///x", "names no host after https://"},
	    {"https://example.com/a b", "has a character in its path other than letters, "
	                                "digits and . _ ~ / - ? = &"},
	    {"https://example.com/#x", "has a character in its path other than letters, "
	                               "digits and . _ ~ / - ? = &"},
	    {"https://example.com/\"", "has a character in its path other than letters, "
	                               "digits and . _ ~ / - ? = &"},
	    {"fe80::1%eth0", "is a scoped address; OpenNTPD takes no interface name here"},
	    {"https://fe80::1%eth0/", "is a scoped address; OpenNTPD takes no interface name here"},
	    {"-n", "starts with '-', which a daemon would read as an option"},
	};
	char longer[300];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(validate_constraint(good[i]) == NULL, "%s refused: %s", good[i],
		              validate_constraint(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = validate_constraint(bad[i].value);
		ck_assert_msg(why && strcmp(why, bad[i].why) == 0, "%s: expected \"%s\", got \"%s\"",
		              bad[i].value, bad[i].why, why ? why : "(accepted)");
	}
	/* a name with a space or a newline is refused by the host rules */
	ck_assert_ptr_nonnull(validate_constraint("www.example.com\nlisten on *"));
	ck_assert_ptr_nonnull(validate_constraint("https://www.example.com\n/"));
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	ck_assert_str_eq(validate_constraint(longer), "is longer than 255 characters");
}
END_TEST

START_TEST(constraint_default_kind)
{
	/* a name: every address (constraints); an address: one (constraint) */
	ck_assert(model_constraint_default_all("www.google.com"));
	ck_assert(model_constraint_default_all("https://www.google.com/x"));
	ck_assert(!model_constraint_default_all("9.9.9.9"));
	ck_assert(!model_constraint_default_all("https://2001:db8::1/"));
}
END_TEST

/* --- profile keys --------------------------------------------------------------- */

static const char full[] =
    "version = 1;\n"
    "daemon = \"chrony\";\n"
    "servers = (\n"
    "  { host = \"ntp1.example.com\"; trust = true; xleave = true; maxdelay = 0.25; },\n"
    "  { host = \"ntp2.example.com\"; noselect = true; },\n"
    "  { host = \"2.debian.pool.ntp.org\"; kind = \"pool\"; }\n"
    ");\n"
    "restrict = { policy = \"lan\"; allow = [ \"192.168.0.0/16\" ]; };\n"
    "selection = { minsources = 3; maxdistance = 1.5; };\n"
    "orphan = { stratum = 10; };\n"
    "constraints = ( \"www.example.com\", { from = \"time.example.org\"; all = false; },\n"
    "  \"192.0.2.1\", { from = \"198.51.100.1\"; all = true; } );\n";

START_TEST(profile_keys_load)
{
	ck_assert_msg(parse(full) == 0, "%s", dump(&errs));
	ck_assert(s->servers[0].trust && s->servers[0].xleave && !s->servers[0].noselect);
	ck_assert(s->servers[0].maxdelay == 0.25);
	ck_assert(s->servers[1].noselect && !s->servers[1].trust);
	ck_assert_int_eq(s->selection.minsources, 3);
	ck_assert(s->selection.maxdistance == 1.5);
	ck_assert_int_eq(s->selection.orphan, 10);
	ck_assert_int_eq(s->selection.orphan_line, 10);
	ck_assert(s->constraints.set);
	ck_assert_uint_eq(s->constraints.n, 4);
	ck_assert_str_eq(s->constraints.v[0].from, "www.example.com");
	ck_assert(s->constraints.v[0].all);
	ck_assert(!s->constraints.v[1].all);
	ck_assert(!s->constraints.v[2].all);
	ck_assert(s->constraints.v[3].all);
	ck_assert_int_eq(s->constraints.v[3].line, 12);
	/* a pool counts as MODEL_POOL_SOURCES, noselect as none */
	ck_assert_uint_eq(model_source_count(s), 1 + MODEL_POOL_SOURCES);
}
END_TEST

START_TEST(profile_format_round_trip)
{
	struct setup *again = calloc(1, sizeof(*again));
	struct strbuf out, out2;

	ck_assert_ptr_nonnull(again);
	ck_assert_msg(parse(full) == 0, "%s", dump(&errs));
	strbuf_init(&out);
	strbuf_init(&out2);
	ck_assert_int_eq(profile_format(s, &out, &errs), 0);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out),
	                             "{ host = \"ntp1.example.com\"; kind = \"server\"; iburst = "
	                             "true; trust = true; xleave = true; maxdelay = 0.25; }"));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "noselect = true; }"));
	ck_assert_ptr_nonnull(
	    strstr(strbuf_str(&out), "selection = { minsources = 3; maxdistance = 1.5; };\n"
	                             "orphan = { stratum = 10; };\n"
	                             "constraints = (\n"
	                             "  \"www.example.com\",\n"
	                             "  { from = \"time.example.org\"; all = false; },\n"
	                             "  \"192.0.2.1\",\n"
	                             "  { from = \"198.51.100.1\"; all = true; }\n"
	                             ");\n"));
	ck_assert_msg(profile_parse(strbuf_str(&out), "again.cfg", again, &errs) == 0, "%s",
	              dump(&errs));
	ck_assert_int_eq(profile_format(again, &out2, &errs), 0);
	ck_assert_str_eq(strbuf_str(&out), strbuf_str(&out2));
	strbuf_free(&out);
	strbuf_free(&out2);
	free(again);
}
END_TEST

START_TEST(profile_constraints_off_and_default)
{
	struct strbuf out;
	const struct constraint *list;

	ck_assert(parse("version = 1;\nconstraints = false;\n") == 0);
	ck_assert(s->constraints.set);
	ck_assert_uint_eq(model_constraints(s, &list), 0);
	strbuf_init(&out);
	ck_assert_int_eq(profile_format(s, &out, &errs), 0);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "\nconstraints = false;\n"));
	strbuf_free(&out);

	ck_assert(parse("version = 1;\n") == 0);
	ck_assert(!s->constraints.set);
	ck_assert_uint_eq(model_constraints(s, &list), 3);
	ck_assert_str_eq(list[0].from, "9.9.9.9");
	ck_assert_str_eq(list[1].from, "2620:fe::fe");
	ck_assert_str_eq(list[2].from, "www.google.com");
	ck_assert(!list[0].all && !list[1].all && list[2].all);
	strbuf_init(&out);
	ck_assert_int_eq(profile_format(s, &out, &errs), 0);
	ck_assert_ptr_null(strstr(strbuf_str(&out), "constraints"));
	ck_assert_ptr_null(strstr(strbuf_str(&out), "selection"));
	ck_assert_ptr_null(strstr(strbuf_str(&out), "orphan"));
	strbuf_free(&out);
}
END_TEST

START_TEST(profile_errors)
{
	expect_one("version = 1;\nselection = { minsources = 0; };\n", "p.cfg:2",
	           "selection.minsources: must be between 1 and 16");
	expect_one("version = 1;\nselection = { minsources = 4294967297; };\n", "p.cfg:2",
	           "selection.minsources: must be between 1 and 16");
	expect_one("version = 1;\nselection = { maxdistance = 16.5; };\n", "p.cfg:2",
	           "selection.maxdistance: must be above 0 and at most 16 (seconds)");
	expect_one("version = 1;\nselection = { maxdistance = \"1\"; };\n", "p.cfg:2",
	           "selection.maxdistance: must be a number");
	expect_one("version = 1;\nselection = { minsane = 2; };\n", "p.cfg:2",
	           "selection: unknown key \"minsane\"; expected one of: minsources, maxdistance");
	expect_one("version = 1;\nrestrict = { policy = \"public\"; };\norphan = { stratum = 16; };\n",
	           "p.cfg:3", "orphan.stratum: must be a stratum between 1 and 15 (0 or false: off)");
	expect_one("version = 1;\norphan = true;\n", "p.cfg:2",
	           "orphan: must be a group: { ... }, or false");
	expect_one("version = 1;\nrestrict = { policy = \"public\"; };\norphan = { };\n", "p.cfg:3",
	           "orphan: needs a stratum: orphan = { stratum = 10; };");
	expect_one("version = 1;\norphan = { stratum = 10; };\n", "p.cfg:2",
	           "orphan.stratum: orphan mode makes this host a time source for others when its "
	           "servers are lost; a client-only host serves no one: use the lan or public "
	           "policy, or leave orphan out");
	expect_one("version = 1;\nservers = ( { host = \"a.example\"; maxdelay = 0; } );\n", "p.cfg:2",
	           "servers[0].maxdelay: must be above 0 and at most 60 (seconds)");
	expect_one("version = 1;\nservers = ( { host = \"a.example\"; noselect = true; trust = true; "
	           "} );\n",
	           "p.cfg:2",
	           "servers[0].noselect: a server that is never selected cannot also be preferred or "
	           "trusted; use one of them");
	expect_one("version = 1;\nconstraints = true;\n", "p.cfg:2",
	           "constraints: must be a list: ( ... ), or false");
	expect_one("version = 1;\nconstraints = ( );\n", "p.cfg:2",
	           "constraints: is empty; list at least one constraint, write constraints = "
	           "false; to switch them off, or leave constraints out for OpenBSD's defaults");
	expect_one("version = 1;\nconstraints = ( \"a.example\", \"A.example\" );\n", "p.cfg:2",
	           "constraints[1]: this constraint is listed twice");
	expect_one("version = 1;\nconstraints = ( 5 );\n", "p.cfg:2",
	           "constraints[0]: must be a string or a group: { from = \"NAME\"; all = true; }");
	expect_one("version = 1;\nconstraints = ( { all = true; } );\n", "p.cfg:2",
	           "constraints[0]: needs from: { from = \"NAME\"; all = true; }");
	expect_one("version = 1;\nconstraints = ( { from = \"a.example\"; port = 443; } );\n",
	           "p.cfg:2",
	           "constraints[0]: unknown key \"port\"; expected one of: from, all");
	expect_one("version = 1;\nconstraints = ( \"a.example\n\" );\n", "p.cfg:3",
	           "constraints[0]: contains a newline, which would start a new directive");
}
END_TEST

/* --- rendering: what each daemon cannot express --------------------------------- */

static int render_for(enum daemon_id d, struct strbuf *out)
{
	errlist_free(&errs);
	errlist_init(&errs);
	return backend_render(backend_find(d), s, FAMILY_DEBIAN, out, &errs);
}

static bool has_message(enum err_severity sev, const char *text)
{
	for (size_t i = 0; i < errs.n; i++)
		if (errs.v[i].severity == sev && strstr(errs.v[i].message, text))
			return true;
	return false;
}

START_TEST(refusals_name_the_daemon)
{
	static const struct {
		const char *profile;
		enum daemon_id d;
		const char *message; /* the start of the error */
	} rows[] = {
	    {"selection = { minsources = 2; };", DAEMON_OPENNTPD,
	     "selection.minsources: openntpd: this daemon cannot require several"},
	    {"selection = { minsources = 2; };", DAEMON_TIMESYNCD,
	     "selection.minsources: timesyncd: this daemon cannot require several"},
	    {"selection = { maxdistance = 2; };", DAEMON_OPENNTPD,
	     "selection.maxdistance: openntpd: this daemon has no limit"},
	    {"constraints = ( \"a.example\" );", DAEMON_CHRONY,
	     "constraints: chrony: HTTPS time constraints are OpenNTPD's"},
	    {"constraints = ( \"a.example\" );", DAEMON_NTPSEC,
	     "constraints: ntpsec: HTTPS time constraints are OpenNTPD's"},
	    {"constraints = ( \"a.example\" );", DAEMON_NTP,
	     "constraints: ntp: HTTPS time constraints are OpenNTPD's"},
	    {"constraints = ( \"a.example\" );", DAEMON_TIMESYNCD,
	     "constraints: timesyncd: HTTPS time constraints are OpenNTPD's"},
	    {"servers = ( { host = \"a.example\"; noselect = true; }, { host = \"b.example\"; } );",
	     DAEMON_OPENNTPD, "servers[0].noselect: openntpd: this daemon cannot monitor"},
	    {"servers = ( { host = \"a.example\"; maxdelay = 1; } );", DAEMON_NTP,
	     "servers[0].maxdelay: ntp: maxdelay is chrony's"},
	    {"servers = ( { host = \"a.example\"; maxdelay = 1; } );", DAEMON_NTPSEC,
	     "servers[0].maxdelay: ntpsec: maxdelay is chrony's"},
	    {"restrict = { policy = \"public\"; listen = [ \"192.0.2.1\" ]; }; orphan = { stratum "
	     "= 8; };",
	     DAEMON_OPENNTPD, "orphan.stratum: openntpd: this daemon has no orphan mode"},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char text[512];
		struct strbuf out;

		snprintf(text, sizeof(text), "version = 1;\n%s\n", rows[i].profile);
		if (!strstr(text, "servers"))
			snprintf(text, sizeof(text),
			         "version = 1;\nservers = ( { host = \"a.example\"; } );\n%s\n",
			         rows[i].profile);
		ck_assert_msg(parse(text) == 0, "%s%s", text, dump(&errs));
		strbuf_init(&out);
		ck_assert_msg(render_for(rows[i].d, &out) == -1, "rendered:\n%s", text);
		ck_assert_msg(has_message(ERR_ERROR, rows[i].message), "%s: expected \"%s\", got:%s",
		              text, rows[i].message, dump(&errs));
		ck_assert_uint_eq(out.len, 0);
		strbuf_free(&out);
	}
}
END_TEST

START_TEST(warnings_and_lines)
{
	struct strbuf out;

	/* trust cannot be written by OpenNTPD: a warning, not a refusal */
	ck_assert(parse("version = 1;\nservers = ( { host = \"a.example\"; trust = true; } );\n") ==
	          0);
	strbuf_init(&out);
	ck_assert_int_eq(render_for(DAEMON_OPENNTPD, &out), 0);
	ck_assert(has_message(ERR_WARNING, "servers[0].trust: openntpd:"));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "server a.example\n"));
	strbuf_free(&out);
	/* chrony: trust; ntpd: true */
	strbuf_init(&out);
	ck_assert_int_eq(render_for(DAEMON_CHRONY, &out), 0);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "server a.example iburst trust\n"));
	strbuf_free(&out);
	strbuf_init(&out);
	ck_assert_int_eq(render_for(DAEMON_NTPSEC, &out), 0);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "server a.example iburst true\n"));
	strbuf_free(&out);

	/* xleave: chrony writes it, NTPsec (a syntax error there) warns */
	ck_assert(parse("version = 1;\nservers = ( { host = \"a.example\"; xleave = true; } );\n") ==
	          0);
	strbuf_init(&out);
	ck_assert_int_eq(render_for(DAEMON_NTPSEC, &out), 0);
	ck_assert(has_message(ERR_WARNING, "servers[0].xleave: ntpsec:"));
	ck_assert_ptr_null(strstr(strbuf_str(&out), " xleave"));
	strbuf_free(&out);

	/* OpenNTPD with constraints switched off: written without, and warned */
	ck_assert(parse("version = 1;\nservers = ( { host = \"a.example\"; } );\nconstraints = "
	                "false;\n") == 0);
	strbuf_init(&out);
	ck_assert_int_eq(render_for(DAEMON_OPENNTPD, &out), 0);
	ck_assert(has_message(ERR_WARNING, "constraints: switched off"));
	ck_assert_str_eq(errs.v[0].where, "p.cfg:3");
	ck_assert_ptr_null(strstr(strbuf_str(&out), "constraint from"));
	strbuf_free(&out);

	/* ntpd's selection and orphan mode: one tos line */
	ck_assert(parse("version = 1;\nservers = ( { host = \"a.example\"; } );\nrestrict = { policy "
	                "= \"public\"; };\nselection = { minsources = 4; maxdistance = 0.75; };\n"
	                "orphan = { stratum = 12; };\n") == 0);
	strbuf_init(&out);
	ck_assert_int_eq(render_for(DAEMON_NTP, &out), 0);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "\ntos minsane 4 maxdist 0.75 orphan 12\n"));
	strbuf_free(&out);
	strbuf_init(&out);
	ck_assert_int_eq(render_for(DAEMON_CHRONY, &out), 0);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "\nminsources 4\nmaxdistance 0.75\n"));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "\nlocal stratum 12 orphan\n"));
	strbuf_free(&out);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("selection");
	TCase *tc = tcase_create("selection");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, constraint_sources);
	tcase_add_test(tc, constraint_default_kind);
	tcase_add_test(tc, profile_keys_load);
	tcase_add_test(tc, profile_format_round_trip);
	tcase_add_test(tc, profile_constraints_off_and_default);
	tcase_add_test(tc, profile_errors);
	tcase_add_test(tc, refusals_name_the_daemon);
	tcase_add_test(tc, warnings_and_lines);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return testhelp_run(suite());
}
