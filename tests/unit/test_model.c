/*
 * test_model: defaults, name tables and the validating setters.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "testhelp.h"

static struct setup S;
static struct errlist E;

static void fx_setup(void)
{
	model_init(&S);
	strcpy(S.source, "t.cfg");
	errlist_init(&E);
}

static void fx_teardown(void)
{
	errlist_free(&E);
}

START_TEST(defaults)
{
	ck_assert_int_eq(S.daemon, DAEMON_AUTO);
	ck_assert_int_eq(S.leap, LEAP_STEP);
	ck_assert_int_eq(S.policy, POLICY_CLIENT_ONLY);
	ck_assert(!S.servers_set);
	ck_assert(S.apply.backup && S.apply.restart && S.apply.stop_conflicting &&
	          !S.apply.install);
	ck_assert(S.options.rtcsync);
	ck_assert_double_eq(S.options.makestep_threshold, 1.0);
	ck_assert_int_eq(S.options.makestep_limit, 3);
	ck_assert_int_eq(model_check(&S, &E), 0);
}
END_TEST

START_TEST(names)
{
	for (int i = 0; i < DAEMON_COUNT; i++)
		ck_assert_int_eq(model_daemon_from_name(model_daemon_name((enum daemon_id)i)), i);
	for (int i = 0; i < LEAP_COUNT; i++)
		ck_assert_int_eq(model_leap_from_name(model_leap_name((enum leap_mode)i)), i);
	for (int i = 0; i < POLICY_COUNT; i++)
		ck_assert_int_eq(model_policy_from_name(model_policy_name((enum restrict_policy)i)),
		                 i);
	ck_assert_int_eq(model_kind_from_name("pool"), SERVER_KIND_POOL);
	ck_assert_int_eq(model_daemon_from_name("Chrony"), -1);
	ck_assert_int_eq(model_policy_from_name(NULL), -1);
}
END_TEST

START_TEST(host_setter)
{
	struct server srv;

	model_server_init(&srv);
	srv.line = 9;
	ck_assert_int_eq(model_set_server_host(&S, &srv, "servers[2].host", "a b", &E), -1);
	ck_assert_str_eq(srv.host, "");
	ck_assert_uint_eq(E.n, 1);
	ck_assert_str_eq(E.v[0].where, "t.cfg:9");
	ck_assert_str_eq(
	    E.v[0].message,
	    "servers[2].host: contains whitespace, which would add options to the directive");
	ck_assert_int_eq(model_set_server_host(&S, &srv, "servers[2].host", "ntp.example.org", &E),
	                 0);
	ck_assert_str_eq(srv.host, "ntp.example.org");
}
END_TEST

START_TEST(servers)
{
	struct server srv;

	model_server_init(&srv);
	strcpy(srv.host, "a.example");
	ck_assert_int_eq(model_add_server(&S, &srv, "servers[0]", &E), 0);
	ck_assert(S.servers_set);
	strcpy(srv.host, "A.example");
	ck_assert_int_eq(model_add_server(&S, &srv, "servers[1]", &E), -1);
	ck_assert_str_eq(E.v[0].message, "servers[1]: this host is listed twice");
	strcpy(srv.host, "b.example");
	srv.kind = SERVER_KIND_POOL;
	srv.nts = true;
	ck_assert_int_eq(model_add_server(&S, &srv, "servers[1]", &E), -1);
	srv.nts = false;
	srv.minpoll = 6;
	srv.maxpoll = 4;
	ck_assert_int_eq(model_add_server(&S, &srv, "servers[1]", &E), -1);
	ck_assert_str_eq(E.v[E.n - 1].message,
	                 "servers[1].maxpoll: must not be smaller than minpoll");
	srv.maxpoll = 6;
	ck_assert_int_eq(model_add_server(&S, &srv, "servers[1]", &E), 1);
	ck_assert_uint_eq(S.nservers, 2);
	ck_assert_int_eq(model_remove_server(&S, 0), 0);
	ck_assert_str_eq(S.servers[0].host, "b.example");
	ck_assert_int_eq(model_remove_server(&S, 5), -1);
	for (int i = 0; i < MODEL_MAX_SERVERS; i++) {
		snprintf(srv.host, sizeof(srv.host), "h%d.example", i);
		model_add_server(&S, &srv, "servers", &E);
	}
	ck_assert_uint_eq(S.nservers, MODEL_MAX_SERVERS);
	ck_assert_str_eq(E.v[E.n - 1].message, "servers: too many servers (at most 64)");
}
END_TEST

START_TEST(poll_range)
{
	struct server srv;

	model_server_init(&srv);
	ck_assert_int_eq(model_set_server_poll(&S, &srv, "servers[0].minpoll", false, 25, &E), -1);
	ck_assert_str_eq(E.v[0].message,
	                 "servers[0].minpoll: must be between -7 and 24 (log2 seconds)");
	ck_assert_int_eq(model_set_server_poll(&S, &srv, "servers[0].minpoll", false, -8, &E), -1);
	ck_assert_int_eq(srv.minpoll, MODEL_POLL_UNSET);
	ck_assert_int_eq(model_set_server_poll(&S, &srv, "servers[0].minpoll", false, -7, &E), 0);
	ck_assert_int_eq(model_set_server_poll(&S, &srv, "servers[0].maxpoll", true, 24, &E), 0);
	ck_assert_int_eq(srv.minpoll, -7);
	ck_assert_int_eq(srv.maxpoll, 24);
}
END_TEST

START_TEST(allow_and_policy)
{
	ck_assert_int_eq(model_add_allow(&S, "restrict.allow[0]", "192.168.1.0/24", 3, &E), 0);
	ck_assert_int_eq(model_add_allow(&S, "restrict.allow[1]", "192.168.1.0/24", 3, &E), -1);
	ck_assert_int_eq(model_add_allow(&S, "restrict.allow[1]", "192.168.1.1/24", 4, &E), -1);
	ck_assert_str_eq(E.v[1].where, "t.cfg:4");
	errlist_free(&E);
	/* networks without the lan policy, and lan without networks */
	ck_assert_int_eq(model_check(&S, &E), -1);
	ck_assert_str_eq(E.v[0].message,
	                 "restrict.allow: networks are only used by the lan policy");
	S.policy = POLICY_LAN;
	errlist_free(&E);
	ck_assert_int_eq(model_check(&S, &E), 0);
	S.nallow = 0;
	ck_assert_int_eq(model_check(&S, &E), -1);
	ck_assert_str_eq(E.v[0].message,
	                 "restrict.allow: the lan policy needs at least one network to serve");
}
END_TEST

START_TEST(options)
{
	ck_assert_int_eq(model_set_driftfile(&S, "options.driftfile", "drift", 2, &E), -1);
	ck_assert_str_eq(E.v[0].message, "options.driftfile: is not an absolute path");
	ck_assert_int_eq(model_set_driftfile(&S, "options.driftfile", "/var/lib/x/drift", 2, &E),
	                 0);
	ck_assert_str_eq(S.options.driftfile, "/var/lib/x/drift");
	ck_assert_int_eq(
	    model_set_logdir(&S, "options.logdir", "/var/log/x\nlogfile /etc/passwd", 2, &E), -1);
	ck_assert_str_eq(S.options.logdir, "");
	ck_assert_int_eq(model_set_makestep(&S, "options.makestep", -1.0, 3, 2, &E), -1);
	ck_assert_int_eq(model_set_makestep(&S, "options.makestep", 0.1, -2, 2, &E), -1);
	ck_assert_int_eq(model_set_makestep(&S, "options.makestep", 0.1, -1, 2, &E), 0);
	ck_assert_double_eq(S.options.makestep_threshold, 0.1);
}
END_TEST

START_TEST(where)
{
	char buf[64];

	ck_assert_str_eq(model_where(&S, 4, buf, sizeof(buf)), "t.cfg:4");
	ck_assert_str_eq(model_where(&S, 0, buf, sizeof(buf)), "t.cfg");
	S.source[0] = '\0';
	ck_assert_str_eq(model_where(&S, 0, buf, sizeof(buf)), "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, names);
	tcase_add_test(tc, host_setter);
	tcase_add_test(tc, servers);
	tcase_add_test(tc, poll_range);
	tcase_add_test(tc, allow_and_policy);
	tcase_add_test(tc, options);
	tcase_add_test(tc, where);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
