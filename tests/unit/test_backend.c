/*
 * test_backend: what each daemon's renderer writes and refuses. The whole
 * bytes of every shipped profile are checked by the golden files; these
 * tests pin the safety rules and the error messages a user reads.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "fake_sysops.h"
#include "testhelp.h"

static struct setup S;
static struct strbuf out;
static struct errlist errs;

static void setup_fixture(void)
{
	model_init(&S);
	strbuf_init(&out);
	errlist_init(&errs);
	fake_sysops_reset();
}

static void teardown_fixture(void)
{
	strbuf_free(&out);
	errlist_free(&errs);
}

static void add(const char *host, enum server_kind kind)
{
	struct server srv;
	struct errlist e;

	errlist_init(&e);
	model_server_init(&srv);
	strcpy(srv.host, host);
	srv.kind = kind;
	ck_assert_int_ge(model_add_server(&S, &srv, "servers", &e), 0);
	errlist_free(&e);
}

static void lan(void)
{
	S.policy = POLICY_LAN;
	ck_assert_int_eq(model_add_allow(&S, "restrict.allow[0]", "192.168.0.0/16", 0, &errs), 0);
	ck_assert_int_eq(model_add_allow(&S, "restrict.allow[1]", "fd00::/8", 0, &errs), 0);
}

static const char *render_ok(const struct backend *b)
{
	strbuf_reset(&out);
	int r = backend_render(b, &S, FAMILY_DEBIAN, &out, &errs);
	ck_assert_msg(r == 0, "%s refused: %s", b->name, errs.n ? errs.v[0].message : "?");
	return strbuf_str(&out);
}

static const char *render_refused(const struct backend *b)
{
	strbuf_reset(&out);
	errlist_free(&errs);
	ck_assert_int_eq(backend_render(b, &S, FAMILY_DEBIAN, &out, &errs), -1);
	ck_assert_uint_eq(out.len, 0); /* nothing half-rendered */
	ck_assert_uint_ge(errlist_count(&errs, ERR_ERROR), 1);
	return errs.v[0].message;
}

static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p += n)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return 1;
	return 0;
}

#define HAS(t, l) ck_assert_msg(has_line((t), (l)), "missing line \"%s\" in:\n%s", (l), (t))
#define HASNT(t, l) ck_assert_msg(!has_line((t), (l)), "unexpected line \"%s\" in:\n%s", (l), (t))

START_TEST(chrony_client_only)
{
	add("2.debian.pool.ntp.org", SERVER_KIND_POOL);
	add("192.0.2.1", SERVER_KIND_SERVER);
	S.servers[1].prefer = true;
	S.servers[1].iburst = false;
	const char *t = render_ok(&backend_chrony);
	HAS(t, "pool 2.debian.pool.ntp.org iburst");
	HAS(t, "server 192.0.2.1 prefer");
	HAS(t, "port 0");
	HAS(t, "bindcmdaddress 127.0.0.1");
	HAS(t, "driftfile /var/lib/chrony/chrony.drift");
	HAS(t, "makestep 1 3");
	HAS(t, "rtcsync");
	HAS(t, "leapsectz right/UTC");
	HAS(t, "leapsecmode system");
	ck_assert_ptr_null(strstr(t, "\nallow"));
	ck_assert_ptr_null(strstr(t, "cmdallow"));
}
END_TEST

START_TEST(chrony_lan_public)
{
	add("pool.ntp.org", SERVER_KIND_POOL);
	lan();
	const char *t = render_ok(&backend_chrony);
	HAS(t, "allow 192.168.0.0/16");
	HAS(t, "allow fd00::/8");
	HAS(t, "ratelimit interval 3 burst 8 leak 2");
	HASNT(t, "port 0");
	HASNT(t, "allow all");

	S.policy = POLICY_PUBLIC;
	S.nallow = 0;
	t = render_ok(&backend_chrony);
	HAS(t, "allow all");
	HAS(t, "ratelimit interval 3 burst 8 leak 2");
	ck_assert_ptr_null(strstr(t, "cmdallow"));
}
END_TEST

START_TEST(chrony_leap_modes)
{
	add("pool.ntp.org", SERVER_KIND_POOL);
	S.leap = LEAP_SMEAR;
	const char *t = render_ok(&backend_chrony);
	HAS(t, "leapsecmode slew");
	HAS(t, "maxslewrate 1000");
	HAS(t, "smoothtime 400 0.001024 leaponly");
	S.leap = LEAP_SLEW;
	t = render_ok(&backend_chrony);
	HAS(t, "leapsecmode slew");
	HASNT(t, "smoothtime 400 0.001024 leaponly");
	S.leap = LEAP_IGNORE;
	t = render_ok(&backend_chrony);
	HAS(t, "leapsecmode ignore");
	HASNT(t, "leapsectz right/UTC");
}
END_TEST

START_TEST(chrony_server_options)
{
	add("time.cloudflare.com", SERVER_KIND_SERVER);
	S.servers[0].nts = true;
	S.servers[0].minpoll = -2;
	S.servers[0].maxpoll = 10;
	S.options.makestep_threshold = 0.5;
	S.options.makestep_limit = -1;
	const char *t = render_ok(&backend_chrony);
	HAS(t, "server time.cloudflare.com iburst minpoll -2 maxpoll 10 nts");
	HAS(t, "ntsdumpdir /var/lib/chrony");
	HAS(t, "makestep 0.5 -1");
	/* chrony: a comment is a whole line; a trailing one is a parse error */
	for (const char *p = t; *p;) {
		const char *e = strchr(p, '\n');
		ck_assert_ptr_nonnull(e);
		if (*p != '#')
			ck_assert_ptr_null(memchr(p, '#', (size_t)(e - p)));
		ck_assert_int_lt(e - p, 2048);
		p = e + 1;
	}
}
END_TEST

START_TEST(ntp_seeds_restrict)
{
	add("2.debian.pool.ntp.org", SERVER_KIND_POOL);
	const char *t = render_ok(&backend_ntp);
	HAS(t, "restrict -4 default ignore");
	HAS(t, "restrict -6 default ignore");
	HAS(t, "restrict source notrap nomodify noquery");
	HAS(t, "restrict 127.0.0.1");
	HAS(t, "restrict ::1");
	HAS(t, "leapfile /usr/share/zoneinfo/leap-seconds.list");
	HAS(t, "driftfile /var/lib/ntp/ntp.drift");

	S.policy = POLICY_PUBLIC;
	t = render_ok(&backend_ntp);
	/* the seeds' lines, plus limited */
	HAS(t, "restrict -4 default kod limited notrap nomodify nopeer noquery");
	HAS(t, "restrict -6 default kod limited notrap nomodify nopeer noquery");
	HAS(t, "restrict source notrap nomodify noquery");
	ck_assert_ptr_null(strstr(t, "ignore"));
}
END_TEST

START_TEST(ntpsec_flags)
{
	add("192.0.2.1", SERVER_KIND_SERVER);
	lan();
	const char *t = render_ok(&backend_ntpsec);
	HAS(t, "restrict default ignore");
	HAS(t, "restrict 192.168.0.0 mask 255.255.0.0 kod limited nomodify noquery");
	HAS(t, "restrict fd00:: mask ff00:: kod limited nomodify noquery");
	/* ntpsec warns about flags it ignores (DAEMONS.md) */
	ck_assert_ptr_null(strstr(t, "notrap"));
	ck_assert_ptr_null(strstr(t, "nopeer"));
	/* the host's own server gets a hole through "ignore" */
	HAS(t, "restrict source nomodify noquery");
	HAS(t, "driftfile /var/lib/ntpsec/ntp.drift");
}
END_TEST

START_TEST(every_policy_blocks_queries)
{
	/* The seeds' rule for every daemon and policy that renders: no remote
	 * control/private queries, no remote changes. */
	const struct backend *ntpds[] = {&backend_ntp, &backend_ntpsec};
	add("pool.ntp.org", SERVER_KIND_POOL);
	for (int p = 0; p < POLICY_COUNT; p++) {
		S.policy = (enum restrict_policy)p;
		S.nallow = 0;
		if (p == POLICY_LAN)
			lan();
		for (size_t b = 0; b < 2; b++) {
			const char *t = render_ok(ntpds[b]);
			for (const char *l = t; (l = strstr(l, "restrict ")); l++) {
				const char *e = strchr(l, '\n');
				char line[256];
				snprintf(line, sizeof(line), "%.*s", (int)(e - l), l);
				if (strstr(line, "127.0.0.1") || strstr(line, "::1"))
					continue;
				if (strstr(line, "default ignore"))
					continue;
				ck_assert_msg(strstr(line, "noquery") && strstr(line, "nomodify"),
				              "%s: %s", ntpds[b]->name, line);
			}
		}
		const char *t = render_ok(&backend_chrony);
		ck_assert_ptr_null(strstr(t, "cmdallow"));
	}
}
END_TEST

START_TEST(ntp_refuses)
{
	add("pool.ntp.org", SERVER_KIND_POOL);
	S.leap = LEAP_SMEAR;
	ck_assert_ptr_nonnull(
	    strstr(render_refused(&backend_ntpsec), "ntpsec cannot do leap mode \"smear\""));
	ck_assert_ptr_nonnull(strstr(errs.v[0].message, "leap.mode: "));
	ck_assert_ptr_nonnull(
	    strstr(render_refused(&backend_ntp), "ntpd cannot do leap mode \"smear\""));
	S.leap = LEAP_SLEW;
	ck_assert_ptr_nonnull(strstr(render_refused(&backend_ntp), "\"slew\""));
	S.leap = LEAP_STEP;
	add("time.cloudflare.com", SERVER_KIND_SERVER);
	S.servers[1].nts = true;
	ck_assert_ptr_nonnull(
	    strstr(render_refused(&backend_ntp), "servers[1].nts: ntpd from ntp.org has no NTS"));
	render_ok(&backend_ntpsec);
	S.servers[1].nts = false;
	S.servers[1].minpoll = 18;
	ck_assert_str_eq(render_refused(&backend_ntpsec),
	                 "servers[1].minpoll: ntpsec accepts 0 to 17, not 18");
}
END_TEST

START_TEST(openntpd)
{
	add("2.debian.pool.ntp.org", SERVER_KIND_POOL);
	add("192.0.2.1", SERVER_KIND_SERVER);
	S.servers[1].prefer = true;
	/* OpenNTPD queries quickly at start on its own: iburst is what it does */
	S.servers[0].iburst = S.servers[1].iburst = true;
	const char *t = render_ok(&backend_openntpd);
	HAS(t, "servers 2.debian.pool.ntp.org");
	HAS(t, "server 192.0.2.1 weight 10");
	ck_assert_ptr_null(strstr(t, "\nlisten"));
	ck_assert_ptr_null(strstr(t, "iburst"));
	ck_assert_uint_eq(errs.n, 0);
	/* iburst = false is what it cannot do: said in the file and as a warning */
	S.servers[1].iburst = false;
	t = render_ok(&backend_openntpd);
	HAS(t, "# WARNING: servers[].iburst = false is not written: this daemon always queries quickly at start.");
	ck_assert_uint_eq(errlist_count(&errs, ERR_WARNING), 1);
	ck_assert_ptr_nonnull(strstr(errs.v[0].message, "servers[1].iburst: openntpd: false cannot be written"));
	S.servers[1].iburst = true;
	errlist_free(&errs);

	S.policy = POLICY_PUBLIC;
	t = render_ok(&backend_openntpd);
	HAS(t, "listen on *");
	HAS(t, "# WARNING: OpenNTPD has no rate limiting; limit it with a firewall.");
	ck_assert_uint_eq(errlist_count(&errs, ERR_WARNING), 1);

	S.policy = POLICY_LAN;
	lan();
	ck_assert_ptr_nonnull(strstr(render_refused(&backend_openntpd), "no client access list"));
	S.policy = POLICY_CLIENT_ONLY;
	S.nallow = 0;
	S.leap = LEAP_SMEAR;
	ck_assert_ptr_nonnull(
	    strstr(render_refused(&backend_openntpd), "OpenNTPD cannot do leap mode \"smear\""));
	S.leap = LEAP_STEP;
	S.servers[1].minpoll = 4;
	t = render_ok(&backend_openntpd);
	ck_assert_ptr_nonnull(strstr(t, "# WARNING: OpenNTPD chooses its own poll interval"));
}
END_TEST

START_TEST(timesyncd)
{
	add("pool.ntp.org", SERVER_KIND_POOL);
	add("192.0.2.1", SERVER_KIND_SERVER);
	S.servers[1].prefer = true;
	S.servers[1].minpoll = 4;
	S.servers[1].maxpoll = 6;
	const char *t = render_ok(&backend_timesyncd);
	HAS(t, "[Time]");
	HAS(t, "NTP=192.0.2.1 pool.ntp.org");
	HAS(t, "PollIntervalMinSec=16");
	HAS(t, "PollIntervalMaxSec=64");
	S.policy = POLICY_PUBLIC;
	ck_assert_ptr_nonnull(strstr(render_refused(&backend_timesyncd), "client only"));
	S.policy = POLICY_CLIENT_ONLY;
	S.servers[1].minpoll = 3;
	ck_assert_ptr_nonnull(strstr(render_refused(&backend_timesyncd), "accepts 4 to 17"));
}
END_TEST

START_TEST(paths_per_family)
{
	ck_assert_str_eq(backend_conf_path(&backend_chrony, FAMILY_DEBIAN),
	                 "/etc/chrony/chrony.conf");
	ck_assert_str_eq(backend_conf_path(&backend_chrony, FAMILY_RHEL), "/etc/chrony.conf");
	ck_assert_str_eq(backend_conf_path(&backend_chrony, FAMILY_ARCH), "/etc/chrony.conf");
	ck_assert_str_eq(backend_conf_path(&backend_chrony, FAMILY_ALPINE),
	                 "/etc/chrony/chrony.conf");
	ck_assert_str_eq(backend_service(&backend_chrony, FAMILY_UBUNTU), "chrony");
	ck_assert_str_eq(backend_service(&backend_chrony, FAMILY_AMAZON), "chronyd");
	ck_assert_str_eq(backend_conf_path(&backend_ntpsec, FAMILY_DEBIAN), "/etc/ntpsec/ntp.conf");
	ck_assert_str_eq(backend_conf_path(&backend_ntpsec, FAMILY_RHEL), "/etc/ntp.conf");
	ck_assert_str_eq(backend_service(&backend_ntpsec, FAMILY_DEBIAN), "ntpsec");
	ck_assert_str_eq(backend_service(&backend_ntp, FAMILY_DEBIAN), "ntp");
	ck_assert_str_eq(backend_service(&backend_ntp, FAMILY_SUSE), "ntpd");
	ck_assert_str_eq(backend_conf_path(&backend_openntpd, FAMILY_DEBIAN),
	                 "/etc/openntpd/ntpd.conf");
	ck_assert_str_eq(backend_conf_path(&backend_openntpd, FAMILY_ALPINE), "/etc/ntpd.conf");
	ck_assert_str_eq(backend_conf_path(&backend_timesyncd, FAMILY_SUSE),
	                 "/etc/systemd/timesyncd.conf.d/ntpwiz.conf");
	ck_assert_str_eq(backend_package(&backend_timesyncd, FAMILY_DEBIAN), "systemd-timesyncd");
	ck_assert_str_eq(backend_package(&backend_timesyncd, FAMILY_ARCH), "systemd");
	/* every backend has every field for every family */
	size_t n;
	const struct backend *const *all = backend_all(&n);
	ck_assert_uint_eq(n, 5);
	for (size_t i = 0; i < n; i++)
		for (int f = 0; f < FAMILY_COUNT; f++) {
			ck_assert_ptr_nonnull(backend_conf_path(all[i], (enum distro_family)f));
			ck_assert_ptr_nonnull(backend_service(all[i], (enum distro_family)f));
			ck_assert_ptr_nonnull(backend_package(all[i], (enum distro_family)f));
		}
	ck_assert_ptr_eq(backend_by_name("ntpsec"), &backend_ntpsec);
	ck_assert_ptr_null(backend_by_name("ntimed"));
}
END_TEST

START_TEST(resolve_auto)
{
	ck_assert_ptr_eq(backend_resolve(&S, FAMILY_DEBIAN), &backend_chrony);
	fake_sysops_put(1, "/etc/ntpsec/ntp.conf", "server x\n");
	ck_assert_ptr_eq(backend_resolve(&S, FAMILY_DEBIAN), &backend_ntpsec);
	S.daemon = DAEMON_OPENNTPD;
	ck_assert_ptr_eq(backend_resolve(&S, FAMILY_DEBIAN), &backend_openntpd);
}
END_TEST

START_TEST(model_errors_stop_render)
{
	add("pool.ntp.org", SERVER_KIND_POOL);
	/* a value planted past the setters is still caught before rendering */
	strcpy(S.servers[0].host, "pool.ntp.org\ncmdallow all");
	strcpy(S.source, "p.cfg");
	S.servers[0].line = 7;
	render_refused(&backend_chrony);
	ck_assert_str_eq(errs.v[0].where, "p.cfg:7");
	ck_assert_str_eq(errs.v[0].message,
	                 "servers[0].host: contains a newline, which would start a new directive");
	S.nservers = 0;
	S.servers_set = true;
	ck_assert_ptr_nonnull(strstr(render_refused(&backend_chrony), "servers: is empty"));
}
END_TEST

START_TEST(cidr_to_mask)
{
	char a[64], m[64];
	ck_assert_int_eq(backend_cidr_to_mask("10.0.0.0/8", a, sizeof(a), m, sizeof(m)), 0);
	ck_assert_str_eq(a, "10.0.0.0");
	ck_assert_str_eq(m, "255.0.0.0");
	ck_assert_int_eq(backend_cidr_to_mask("172.16.0.0/12", a, sizeof(a), m, sizeof(m)), 0);
	ck_assert_str_eq(m, "255.240.0.0");
	ck_assert_int_eq(backend_cidr_to_mask("2001:db8::/33", a, sizeof(a), m, sizeof(m)), 0);
	ck_assert_str_eq(m, "ffff:ffff:8000::");
	ck_assert_int_eq(backend_cidr_to_mask("10.0.0.1/32", a, sizeof(a), m, sizeof(m)), 0);
	ck_assert_str_eq(m, "255.255.255.255");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("backend");
	TCase *tc = tcase_create("render");

	tcase_add_checked_fixture(tc, setup_fixture, teardown_fixture);
	tcase_add_test(tc, chrony_client_only);
	tcase_add_test(tc, chrony_lan_public);
	tcase_add_test(tc, chrony_leap_modes);
	tcase_add_test(tc, chrony_server_options);
	tcase_add_test(tc, ntp_seeds_restrict);
	tcase_add_test(tc, ntpsec_flags);
	tcase_add_test(tc, every_policy_blocks_queries);
	tcase_add_test(tc, ntp_refuses);
	tcase_add_test(tc, openntpd);
	tcase_add_test(tc, timesyncd);
	tcase_add_test(tc, paths_per_family);
	tcase_add_test(tc, resolve_auto);
	tcase_add_test(tc, model_errors_stop_render);
	tcase_add_test(tc, cidr_to_mask);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
