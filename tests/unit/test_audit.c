/*
 * test_audit: the findings for hand-made configs of each daemon, Debian's
 * shipped defaults (no high finding), the leap-second list's expiry
 * against the fake clock, conflicting daemons, ntpdate and old versions.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "backend.h"
#include "detect.h"
#include "fake_sysops.h"
#include "model.h"
#include "sysops.h"
#include "testhelp.h"

#define CONF "/etc/ntp.conf"
/* NTP seconds of 2026-06-28 00:00 UTC (tzdata 2025b's list expires then) */
#define EXPIRY_NTP 3991593600LL
#define EXPIRY_UNIX ((time_t)(EXPIRY_NTP - 2208988800LL))

static struct audit_report rep;
static struct audit_refs refs;

static void fx_setup(void)
{
	audit_report_init(&rep);
	fake_sysops_reset();
}

static void fx_teardown(void)
{
	audit_report_free(&rep);
	sysops_install(NULL);
}

static void audit(const struct backend *b, const char *text)
{
	audit_report_free(&rep);
	audit_report_init(&rep);
	audit_config_text(b, CONF, text, strlen(text), NULL, &rep, &refs);
}

/* The finding with this id (and line, if >= 0), or NULL. */
static const struct audit_finding *find(const char *id, int line)
{
	for (size_t i = 0; i < rep.n; i++)
		if (strcmp(rep.v[i].id, id) == 0 && (line < 0 || rep.v[i].line == line))
			return &rep.v[i];
	return NULL;
}

static void assert_finding(const char *id, int line, enum audit_severity sev)
{
	const struct audit_finding *f = find(id, line);

	ck_assert_msg(f != NULL, "no finding %s at line %d (%zu findings)", id, line, rep.n);
	ck_assert_int_eq(f->severity, sev);
	ck_assert_str_eq(f->file, CONF);
	ck_assert_str_ne(f->what, "");
	ck_assert_str_ne(f->fix, "");
}

static char *slurp(const char *rel)
{
	const char *top = getenv("abs_top_srcdir");
	char path[1024];
	static char buf[8192];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* --- ntpd and NTPsec ---------------------------------------------------------------- */

START_TEST(ntp_noquery_missing_is_high)
{
	audit(&backend_ntpsec, "pool p.example iburst\n"
	                       "restrict default kod nomodify limited\n"
	                       "restrict 127.0.0.1\nrestrict ::1\n");
	assert_finding("ntp-default-noquery", 2, AUDIT_HIGH);
	ck_assert_uint_eq(audit_count(&rep, AUDIT_HIGH), 1);
	ck_assert_uint_eq(rep.n, 1);
	/* ntp.org with -4 / -6: each family's line is judged */
	audit(&backend_ntp, "restrict -4 default kod notrap nomodify nopeer noquery limited\n"
	                    "restrict -6 default kod notrap nomodify nopeer limited\n"
	                    "restrict 127.0.0.1\nrestrict ::1\n");
	assert_finding("ntp-default-noquery", 2, AUDIT_HIGH);
	ck_assert_ptr_null(find("ntp-default-noquery", 1));
}
END_TEST

START_TEST(ntp_no_default)
{
	audit(&backend_ntp, "server a.example iburst\n");
	assert_finding("ntp-no-default-restrict", 0, AUDIT_HIGH);
	audit(&backend_ntp, "server a.example\nrestrict -4 default ignore\nrestrict 127.0.0.1\n");
	assert_finding("ntp-no-default-restrict", 0, AUDIT_HIGH);
	ck_assert_ptr_nonnull(strstr(find("ntp-no-default-restrict", 0)->what, "IPv6"));
}
END_TEST

START_TEST(ntp_mode7_monitor_nomodify_localhost)
{
	audit(&backend_ntp, "restrict default kod limited nomodify\nenable mode7\n");
	assert_finding("ntp-mode7", 2, AUDIT_HIGH);
	audit(&backend_ntp, "restrict default ignore\nrestrict 127.0.0.1\nrestrict ::1\n"
	                    "enable mode7\n");
	assert_finding("ntp-mode7", 4, AUDIT_MEDIUM);
	audit(&backend_ntp, "restrict default kod limited nomodify\nenable monitor\n");
	assert_finding("ntp-monitor-exposed", 2, AUDIT_HIGH);
	audit(&backend_ntp, "restrict default kod limited noquery\nrestrict 127.0.0.1\n"
	                    "restrict ::1\nrestrict 10.0.0.0 mask 255.0.0.0 kod limited\n");
	assert_finding("ntp-remote-nomodify", 1, AUDIT_MEDIUM);
	assert_finding("ntp-remote-nomodify", 4, AUDIT_MEDIUM);
	assert_finding("ntp-remote-noquery", 4, AUDIT_MEDIUM);
	ck_assert_uint_eq(audit_count(&rep, AUDIT_HIGH), 0);
	/* queries shut off for everyone, localhost included: ntpq fails */
	audit(&backend_ntpsec, "restrict default kod limited nomodify noquery\n");
	assert_finding("ntp-localhost-denied", 1, AUDIT_MEDIUM);
	audit(&backend_ntpsec, "restrict default kod limited nomodify noquery\n"
	                       "restrict 127.0.0.1 noquery\nrestrict ::1\n");
	assert_finding("ntp-localhost-denied", 1, AUDIT_MEDIUM);
	audit(&backend_ntpsec, "restrict default kod nomodify noquery\nrestrict 127.0.0.1\n");
	assert_finding("ntp-no-rate-limit", 1, AUDIT_MEDIUM);
	assert_finding("ntp-localhost-denied", 1, AUDIT_INFO); /* ::1 only */
}
END_TEST

START_TEST(ntp_what_ntpwiz_writes_is_clean)
{
	static const char *const goldens[] = {
	    "tests/data/golden/client.ntp.conf",
	    "tests/data/golden/client.ntpsec.conf",
	    "tests/data/golden/lan-server.ntp.conf",
	    "tests/data/golden/lan-server.ntpsec.conf",
	    "tests/data/golden/public-server.ntp.conf",
	    "tests/data/golden/public-server.ntpsec.conf",
	};

	for (size_t i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		audit(strstr(goldens[i], "ntpsec") ? &backend_ntpsec : &backend_ntp,
		      slurp(goldens[i]));
		ck_assert_msg(rep.n == 0, "%s: %zu findings, first %s", goldens[i], rep.n,
		              rep.n ? rep.v[0].id : "");
		ck_assert_str_eq(refs.leapfile, "/usr/share/zoneinfo/leap-seconds.list");
	}
}
END_TEST

/* --- chrony and OpenNTPD ----------------------------------------------------------------- */

START_TEST(chrony_findings)
{
	audit(&backend_chrony, "pool p.example\ncmdallow 10.0.0.0/8\nbindcmdaddress 0.0.0.0\n");
	assert_finding("chrony-cmd-exposed", 2, AUDIT_HIGH);
	audit(&backend_chrony, "pool p.example\ncmdallow\n");
	assert_finding("chrony-cmdallow", 2, AUDIT_MEDIUM);
	audit(&backend_chrony, "pool p.example\ncmdallow 127.0.0.1\nbindcmdaddress ::1\n"
	                       "bindcmdaddress /var/run/chrony/chronyd.sock\n");
	ck_assert_uint_eq(rep.n, 0);
	audit(&backend_chrony, "pool p.example\nbindcmdaddress 192.0.2.1\n");
	assert_finding("chrony-bindcmdaddress", 2, AUDIT_MEDIUM);
	audit(&backend_chrony, "pool p.example\nallow 10.0.0.0/8\n");
	assert_finding("chrony-no-ratelimit", 2, AUDIT_MEDIUM);
	audit(&backend_chrony, "pool p.example\nallow all\nratelimit interval 3 burst 8\n");
	ck_assert_uint_eq(rep.n, 0);
	audit(&backend_chrony, "pool p.example\nallow all\nport 0\n");
	ck_assert_uint_eq(rep.n, 0);
	audit(&backend_chrony, "leapsectz right/UTC\n");
	ck_assert_str_eq(refs.leapsectz, "right/UTC");
	ck_assert_int_eq(refs.leapsectz_line, 1);
}
END_TEST

/* What the daemon refuses (the version table) and sources that never work
 * (audit_daemon_text is pure: the same text gives the same findings). */
static void daemon_text(const struct backend *b, const char *version, const char *text)
{
	audit_report_free(&rep);
	audit_report_init(&rep);
	audit_config_text(b, CONF, text, strlen(text), NULL, &rep, &refs);
	audit_report_free(&rep);
	audit_report_init(&rep);
	audit_daemon_text(b, version, CONF, text, strlen(text), &refs, &rep);
}

START_TEST(daemon_refusals_and_sources)
{
	/* NTPsec: preempt is a syntax error, the server stays: medium, no verdict */
	daemon_text(&backend_ntpsec, "1.2.2", "pool 0.ubuntu.pool.ntp.org iburst preempt\n");
	assert_finding("daemon-refuses-word", 1, AUDIT_MEDIUM);
	ck_assert_ptr_null(find("no-usable-source", -1));
	/* chrony 4.3 does not know leapseclist (4.6.1 does; unknown: not said) */
	daemon_text(&backend_chrony, "4.3", "pool p.example\nleapseclist /x\n");
	assert_finding("daemon-refuses", 2, AUDIT_HIGH);
	daemon_text(&backend_chrony, "4.6.1", "pool p.example\nleapseclist /x\n");
	ck_assert_uint_eq(rep.n, 0);
	daemon_text(&backend_chrony, "", "pool p.example\nleapseclist /x\n");
	ck_assert_uint_eq(rep.n, 0);
	/* every source noselect, or no source at all: high on the file */
	daemon_text(&backend_chrony, "", "server a.example noselect\n");
	assert_finding("no-usable-source", 0, AUDIT_HIGH);
	daemon_text(&backend_chrony, "", "driftfile /var/lib/chrony/drift\n");
	assert_finding("no-usable-source", 0, AUDIT_HIGH);
	/* ... but a refclock is a source, and sourcedir may bring more */
	daemon_text(&backend_chrony, "", "refclock SHM 0\n");
	ck_assert_uint_eq(rep.n, 0);
	daemon_text(&backend_chrony, "", "sourcedir /run/chrony-dhcp\n");
	ck_assert_uint_eq(rep.n, 0);
	/* ntp.org: a pool under nopeer without restrict source never works */
	daemon_text(&backend_ntp, "",
	            "restrict default kod limited nomodify nopeer noquery\npool p.example iburst\n");
	assert_finding("ntp-pool-nopeer", 2, AUDIT_HIGH);
	assert_finding("no-usable-source", 0, AUDIT_HIGH);
	daemon_text(&backend_ntp, "",
	            "restrict default kod limited nomodify nopeer noquery\n"
	            "restrict source nomodify noquery\npool p.example iburst\n");
	ck_assert_uint_eq(rep.n, 0);
}
END_TEST

START_TEST(openntpd_findings)
{
	audit(&backend_openntpd, "servers p.example\nlisten on *\n");
	assert_finding("openntpd-listen", 2, AUDIT_MEDIUM);
	/* a comment proves nothing: judged by the directive (issue 12, defect 12) */
	audit(&backend_openntpd,
	      "servers p.example\n# the firewall limits port 123\nlisten on *\n");
	assert_finding("openntpd-listen", 3, AUDIT_MEDIUM);
	audit(&backend_openntpd, "servers p.example\nlisten on 127.0.0.1\n");
	ck_assert_uint_eq(rep.n, 0);
	/* what ntpwiz writes for a public OpenNTPD: its warning comment does not
	 * make the missing rate limit go away */
	audit(&backend_openntpd, slurp("tests/data/golden/public-server.openntpd.conf"));
	ck_assert_uint_eq(rep.n, 1);
	ck_assert_int_eq(rep.v[0].severity, AUDIT_MEDIUM);
}
END_TEST

static void audit_for(const struct backend *b, const char *text, const struct setup *intent)
{
	audit_report_free(&rep);
	audit_report_init(&rep);
	audit_config_text(b, CONF, text, strlen(text), intent, &rep, &refs);
}

START_TEST(against_the_profile)
{
	struct setup intent;

	model_init(&intent); /* client-only */
	audit_for(&backend_chrony, "pool p.example\nallow all\nratelimit\n", &intent);
	assert_finding("serves-on-client", 2, AUDIT_HIGH);
	audit_for(&backend_ntpsec,
	          "pool p.example\nrestrict default kod limited nomodify noquery\n"
	          "restrict 127.0.0.1\nrestrict ::1\n",
	          &intent);
	assert_finding("serves-on-client", 2, AUDIT_HIGH);
	audit_for(&backend_chrony, "pool p.example\nallow 10.0.0.0/8\nratelimit\n", &intent);
	assert_finding("serves-on-client", 2, AUDIT_HIGH);
	intent.policy = POLICY_LAN;
	audit_for(&backend_chrony, "pool p.example\nallow all\nratelimit\n", &intent);
	assert_finding("serves-on-client", 2, AUDIT_MEDIUM);
	intent.policy = POLICY_PUBLIC;
	audit_for(&backend_chrony, "pool p.example\nallow all\nratelimit\n", &intent);
	ck_assert_uint_eq(rep.n, 0);
}
END_TEST

/* --- the whole host ------------------------------------------------------------------------ */

static void debian_root(struct detect_info *host)
{
	char list[256];

	snprintf(list, sizeof(list), "#$\t3960835200\n#@\t%lld\n3692217600\t37\t# 1 Jan 2017\n",
	         EXPIRY_NTP);
	fake_sysops_put(1, "/usr/share/zoneinfo/leap-seconds.list", list);
	fake_sysops_put(1, "/usr/share/zoneinfo/right/UTC", "TZif");
	fake_sysops_put(1, "/etc/chrony/chrony.conf",
	                slurp("tests/data/roots/debian12-chrony.conf"));
	fake_sysops_put(1, "/etc/ntpsec/ntp.conf", slurp("tests/data/roots/debian12-ntpsec.conf"));
	fake_sysops_put(1, "/etc/openntpd/ntpd.conf",
	                slurp("tests/data/roots/debian12-openntpd.conf"));
	memset(host, 0, sizeof(*host));
	host->distro.family = FAMILY_DEBIAN;
}

START_TEST(debian_defaults_have_no_high_finding)
{
	struct detect_info host;
	struct errlist errs;

	debian_root(&host);
	fake_sysops_set_now(EXPIRY_UNIX - 365 * 86400);
	errlist_init(&errs);
	ck_assert_int_eq(audit_run(&host, NULL, NULL, &rep, &errs), 0);
	ck_assert_str_eq(rep.daemons, "chrony,ntpsec,openntpd");
	ck_assert_uint_eq(audit_count(&rep, AUDIT_HIGH), 0);
	ck_assert_uint_eq(rep.n, 0);
	errlist_free(&errs);
}
END_TEST

START_TEST(leap_list_expiry)
{
	struct detect_info host;
	struct errlist errs;
	const struct audit_finding *f;

	debian_root(&host);
	errlist_init(&errs);
	/* a day after it expired: medium for NTPsec, whose leapfile reads it; the
	 * date named, the #@ line */
	fake_sysops_set_now(EXPIRY_UNIX + 86400);
	ck_assert_int_eq(audit_run(&host, &backend_ntpsec, NULL, &rep, &errs), 0);
	f = find("leap-file-expired", 2);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, AUDIT_MEDIUM);
	ck_assert_str_eq(f->file, "/usr/share/zoneinfo/leap-seconds.list");
	ck_assert_ptr_nonnull(strstr(f->what, "2026-06-28"));
	/* chrony with leapsectz never reads the list: only worth knowing */
	audit_report_free(&rep);
	audit_report_init(&rep);
	ck_assert_int_eq(audit_run(&host, &backend_chrony, NULL, &rep, &errs), 0);
	f = find("leap-file-expired", 2);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, AUDIT_INFO);
	ck_assert_str_eq(f->file, "/usr/share/zoneinfo/leap-seconds.list");
	ck_assert_ptr_nonnull(strstr(f->what, "2026-06-28"));
	/* a week before: info */
	audit_report_free(&rep);
	audit_report_init(&rep);
	fake_sysops_set_now(EXPIRY_UNIX - 7 * 86400);
	ck_assert_int_eq(audit_run(&host, &backend_chrony, NULL, &rep, &errs), 0);
	ck_assert_int_eq(find("leap-file-expiring", 2)->severity, AUDIT_INFO);
	ck_assert_ptr_null(find("leap-file-expired", -1));
	/* ntpsec's leapfile names a list that is not there: medium, at the leapfile line */
	audit_report_free(&rep);
	audit_report_init(&rep);
	fake_sysops_reset();
	fake_sysops_put(1, "/etc/ntpsec/ntp.conf",
	                "leapfile /var/lib/ntpsec/leap.list\nrestrict default ignore\n"
	                "restrict 127.0.0.1\nrestrict ::1\n");
	ck_assert_int_eq(audit_run(&host, &backend_ntpsec, NULL, &rep, &errs), 0);
	f = find("leap-file-missing", 1);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->file, "/etc/ntpsec/ntp.conf");
	ck_assert_int_eq(f->severity, AUDIT_MEDIUM);
	/* and the system's list is missing too: info */
	ck_assert_int_eq(find("leap-file-missing", 0)->severity, AUDIT_INFO);
	ck_assert_uint_eq(errs.n, 0);
	errlist_free(&errs);
}
END_TEST

START_TEST(leap_expiry_parsing)
{
	time_t t;
	int line;

	ck_assert_int_eq(audit_leap_expiry("#@\t3991593600\n", 15, &t, &line), 0);
	ck_assert_int_eq((long long)t, (long long)EXPIRY_UNIX);
	ck_assert_int_eq(line, 1);
	ck_assert_int_eq(audit_leap_expiry("# x\n#$ 1\n#@  3991593600", 23, &t, &line), 0);
	ck_assert_int_eq(line, 3);
	ck_assert_int_eq(audit_leap_expiry("#@\n#@ x\n", 8, &t, &line), -1);
	ck_assert_int_eq(audit_leap_expiry("", 0, &t, &line), -1);
}
END_TEST

START_TEST(host_findings)
{
	struct detect_info host;
	struct errlist errs;

	debian_root(&host);
	fake_sysops_set_now(EXPIRY_UNIX - 365 * 86400);
	host.enabled_count = 2;
	host.daemons[DAEMON_CHRONY].backend = &backend_chrony;
	host.daemons[DAEMON_CHRONY].enabled = true;
	host.daemons[DAEMON_NTP].backend = &backend_ntp;
	host.daemons[DAEMON_NTP].enabled = true;
	host.daemons[DAEMON_NTP].installed = true;
	snprintf(host.daemons[DAEMON_NTP].binary, sizeof(host.daemons[0].binary), "/usr/sbin/ntpd");
	snprintf(host.daemons[DAEMON_NTP].version, sizeof(host.daemons[0].version),
	         "1:4.2.6.p5+dfsg-7+deb8u2");
	host.ntpdate_installed = true;
	errlist_init(&errs);
	ck_assert_int_eq(audit_run(&host, &backend_chrony, NULL, &rep, &errs), 0);
	ck_assert_int_eq(find("daemons-conflict", 0)->severity, AUDIT_MEDIUM);
	ck_assert_ptr_nonnull(strstr(find("daemons-conflict", 0)->what, "ntp, chrony"));
	ck_assert_int_eq(find("ntpdate-installed", 0)->severity, AUDIT_INFO);
	ck_assert_int_eq(find("daemon-version-old", 0)->severity, AUDIT_HIGH);
	ck_assert_ptr_nonnull(strstr(find("daemon-version-old", 0)->what, "CVE-2013-5211"));
	/* one finding per daemon: the oldest row that matches */
	ck_assert_uint_eq(rep.n, 3);
	errlist_free(&errs);
}
END_TEST

START_TEST(version_compare)
{
	ck_assert_int_lt(audit_version_cmp("4.2.8p9", "4.2.8p15"), 0);
	ck_assert_int_gt(audit_version_cmp("4.2.8p15", "4.2.8"), 0);
	ck_assert_int_eq(audit_version_cmp("1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1+deb12u1", "4.2.8p15"),
	                 0);
	ck_assert_int_lt(audit_version_cmp("4.2.6p5", "4.2.8"), 0);
	ck_assert_int_eq(audit_version_cmp("4.3-2+deb12u3", "4.3"), 0);
	ck_assert_int_gt(audit_version_cmp("4.3", "3.5.1"), 0);
	ck_assert_int_gt(audit_version_cmp("1.2.2+dfsg1-1+deb12u1", "1.1.3"), 0);
	ck_assert_int_lt(audit_version_cmp("3.5-6", "3.5.1"), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("audit");
	TCase *tc = tcase_create("audit");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, ntp_noquery_missing_is_high);
	tcase_add_test(tc, ntp_no_default);
	tcase_add_test(tc, ntp_mode7_monitor_nomodify_localhost);
	tcase_add_test(tc, ntp_what_ntpwiz_writes_is_clean);
	tcase_add_test(tc, chrony_findings);
	tcase_add_test(tc, openntpd_findings);
	tcase_add_test(tc, daemon_refusals_and_sources);
	tcase_add_test(tc, against_the_profile);
	tcase_add_test(tc, debian_defaults_have_no_high_finding);
	tcase_add_test(tc, leap_list_expiry);
	tcase_add_test(tc, leap_expiry_parsing);
	tcase_add_test(tc, host_findings);
	tcase_add_test(tc, version_compare);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return testhelp_run(suite());
}
