/*
 * test_wizard: the wizard's page logic without a terminal (wizard_state),
 * line mode driven through memory streams, the Test button's lookup and
 * the Monitor page's snapshot, all against the fake system.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_sysops.h"
#include "linemode.h"
#include "profile.h"
#include "sysops.h"
#include "testhelp.h"
#include "wizard_advanced.h"
#include "wizard_monitor.h"
#include "wizard_probe.h"
#include "wizard_state.h"

#define CONF "/etc/chrony/chrony.conf"

static struct wizard_state W;
static struct detect_info H;
static struct errlist E;

/* A Debian 12 host with no time daemon, as detect_run leaves it. */
static void host_debian(struct detect_info *h)
{
	size_t n;
	const struct backend *const *all = backend_all(&n);

	memset(h, 0, sizeof(*h));
	distro_parse_os_release("ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 "
	                        "(bookworm)\"\n",
	                        &h->distro);
	h->init = INIT_SYSTEMD;
	h->pkg = PKG_APT;
	for (size_t i = 0; i < n; i++)
		h->daemons[all[i]->id].backend = all[i];
}

static void fx_setup(void)
{
	fake_sysops_reset();
	fake_sysops_put(1, "/etc/os-release", "ID=debian\n");
	fake_sysops_put(0, "/tmp/.keep", "");
	host_debian(&H);
	errlist_init(&E);
	ck_assert_int_eq(wizard_init(&W, &H, &E), 0);
}

static void fx_teardown(void)
{
	errlist_free(&E);
	sysops_install(NULL);
}

static const char *rendered(void)
{
	static struct strbuf sb;
	struct errlist errs;

	strbuf_free(&sb);
	strbuf_init(&sb);
	errlist_init(&errs);
	ck_assert_int_eq(wizard_render(&W, &sb, NULL, NULL, &errs), 0);
	errlist_free(&errs);
	return strbuf_str(&sb);
}

/* --- set-up ------------------------------------------------------------------------- */

START_TEST(default_daemon_prefers_running_then_enabled_then_installed)
{
	ck_assert_str_eq(wizard_default_daemon(&H)->name, "chrony");
	H.daemons[DAEMON_OPENNTPD].installed = true;
	ck_assert_str_eq(wizard_default_daemon(&H)->name, "openntpd");
	H.daemons[DAEMON_NTPSEC].installed = true;
	H.daemons[DAEMON_NTPSEC].enabled = true;
	ck_assert_str_eq(wizard_default_daemon(&H)->name, "ntpsec");
	H.daemons[DAEMON_TIMESYNCD].installed = true;
	H.daemons[DAEMON_TIMESYNCD].running = true;
	ck_assert_str_eq(wizard_default_daemon(&H)->name, "timesyncd");
}
END_TEST

START_TEST(prefill_is_the_distribution_default_as_an_explicit_list)
{
	ck_assert_ptr_eq(W.backend, &backend_chrony);
	ck_assert_uint_eq(W.setup.nservers, 1);
	ck_assert_str_eq(W.setup.servers[0].host, "2.debian.pool.ntp.org");
	ck_assert_int_eq(W.setup.servers[0].kind, SERVER_KIND_POOL);
	ck_assert(W.setup.servers_set);

	struct detect_info amzn;
	host_debian(&amzn);
	distro_parse_os_release("ID=\"amzn\"\nVERSION_ID=\"2023\"\n", &amzn.distro);
	ck_assert_int_eq(wizard_init(&W, &amzn, &E), 0);
	ck_assert_str_eq(W.setup.servers[0].host, "169.254.169.123");
	ck_assert(W.setup.servers[0].prefer);
}
END_TEST

/* The chosen daemon's current file, when it has servers, is where the
 * wizard starts: its servers, policy and networks, and what it cannot carry
 * over is listed on the welcome page. */
START_TEST(prefill_starts_from_the_current_config)
{
	struct strbuf text;

	fake_sysops_put(1, "/etc/chrony/chrony.conf",
	                "server ntp1.example iburst prefer\npool pool.example maxsources 4\n"
	                "allow 10.1.0.0/16\nratelimit interval 3 burst 8 leak 2\n"
	                "cmdallow 10.0.0.0/8\n");
	ck_assert_int_eq(wizard_init(&W, &H, &E), 0);
	ck_assert_uint_eq(W.setup.nservers, 2);
	ck_assert_str_eq(W.setup.servers[0].host, "ntp1.example");
	ck_assert(W.setup.servers[0].prefer);
	ck_assert_int_eq(W.setup.servers[1].kind, SERVER_KIND_POOL);
	ck_assert_int_eq(W.setup.policy, POLICY_LAN);
	ck_assert_str_eq(W.allow_text, "10.1.0.0/16");
	ck_assert_str_eq(W.imported_from, "/etc/chrony/chrony.conf");
	ck_assert_uint_ge(W.import_total, 1);
	strbuf_init(&text);
	wizard_describe_host(&W, &text);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&text), "Starting from the current "
	                                                "/etc/chrony/chrony.conf (servers: 2"));
	/* a refclock is carried now (issue 16 section 5); cmdallow is not */
	ck_assert_ptr_nonnull(strstr(strbuf_str(&text), "/etc/chrony/chrony.conf:5: cmdallow"));
	strbuf_free(&text);
	/* switching daemons carries them over */
	wizard_set_daemon(&W, &backend_ntpsec, &E);
	ck_assert_ptr_nonnull(strstr(rendered(), "server ntp1.example iburst prefer"));
}
END_TEST

/* issue 16 section 5: a stratum-1 file (refclocks, no server) is where the
 * wizard starts too, and the Advanced row shows, sets and clears them */
START_TEST(prefill_from_refclocks_and_the_advanced_row)
{
	const struct wizard_advanced_row *rows, *rc = NULL;
	size_t n = wizard_advanced_rows(&rows);
	char buf[1024];

	fake_sysops_put(1, "/etc/chrony/chrony.conf",
	                "refclock SHM 0 refid GPS delay 0.2 noselect\n"
	                "refclock PPS /dev/pps0 refid PPS lock GPS\nallow\n");
	ck_assert_int_eq(wizard_init(&W, &H, &E), 0);
	ck_assert_uint_eq(W.setup.nservers, 0);
	ck_assert_uint_eq(W.setup.refclocks.n, 2);
	ck_assert_str_eq(W.imported_from, "/etc/chrony/chrony.conf");
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].key, "refclocks") == 0)
			rc = &rows[i];
	ck_assert_ptr_nonnull(rc);
	ck_assert(rc->applies(&W));
	rc->get(&W, buf, sizeof(buf));
	ck_assert_str_eq(buf, "shm 0 refid GPS delay 0.2 noselect; pps /dev/pps0 refid PPS lock GPS");
	ck_assert_ptr_nonnull(strstr(rendered(), "refclock PPS /dev/pps0 refid PPS lock GPS\n"));
	/* a refusal leaves them as they were */
	ck_assert_int_eq(rc->set(&W, "pps /dev/pps0 lock NONE", &E), -1);
	ck_assert_uint_eq(W.setup.refclocks.n, 2);
	errlist_free(&E);
	errlist_init(&E);
	ck_assert_int_eq(rc->set(&W, "phc /dev/ptp0 poll 3 dpoll -2", &E), 0);
	ck_assert_uint_eq(W.setup.refclocks.n, 1);
	ck_assert_ptr_nonnull(strstr(rendered(), "refclock PHC /dev/ptp0 poll 3 dpoll -2\n"));
	ck_assert_int_eq(rc->set(&W, "", &E), 0);
	ck_assert_uint_eq(W.setup.refclocks.n, 0);
}
END_TEST

START_TEST(daemon_rows_say_installed_running_and_version)
{
	struct wizard_daemon_row rows[DAEMON_COUNT];
	size_t n;

	H.daemons[DAEMON_CHRONY].installed = true;
	H.daemons[DAEMON_CHRONY].running = true;
	snprintf(H.daemons[DAEMON_CHRONY].version, sizeof(H.daemons[0].version), "4.3-2");
	H.daemons[DAEMON_NTPSEC].installed = true;
	wizard_init(&W, &H, &E);
	n = wizard_daemon_rows(&W, rows, DAEMON_COUNT);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(rows[0].backend->name, "chrony");
	ck_assert_str_eq(rows[0].status, "installed, running");
	ck_assert_str_eq(rows[0].version, "4.3-2");
	ck_assert_str_eq(rows[1].backend->name, "ntpsec");
	ck_assert_str_eq(rows[1].status, "installed");
	ck_assert_str_eq(rows[2].status, "not installed");
	ck_assert(wizard_daemon_installed(&W));
}
END_TEST

START_TEST(switching_daemon_falls_back_and_says_why)
{
	ck_assert_int_eq(wizard_set_leap(&W, LEAP_SMEAR, &E), 0);
	ck_assert_int_eq(wizard_set_policy(&W, POLICY_LAN, &E), 0);
	ck_assert_int_eq(wizard_set_allow_text(&W, "10.0.0.0/8"), 0);
	wizard_set_daemon(&W, &backend_ntpsec, &E);
	ck_assert_int_eq(W.setup.daemon, DAEMON_NTPSEC);
	ck_assert_int_eq(W.setup.leap, LEAP_STEP);
	ck_assert_uint_eq(E.n, 1);
	ck_assert_int_eq(E.v[0].severity, ERR_WARNING);
	ck_assert_ptr_nonnull(strstr(E.v[0].message, "ntpsec cannot do leap mode \"smear\""));
	ck_assert_ptr_nonnull(strstr(E.v[0].message, "leap mode is now \"step\""));
	ck_assert_int_eq(W.setup.policy, POLICY_LAN); /* ntpsec can serve a LAN */
	wizard_set_daemon(&W, &backend_openntpd, &E);
	ck_assert_int_eq(W.setup.policy, POLICY_CLIENT_ONLY);
	ck_assert_uint_eq(W.setup.nallow, 0);
	ck_assert_ptr_nonnull(strstr(E.v[1].message, "\"client-only\""));
	ck_assert_int_eq(model_check(&W.setup, &E), 0);
}
END_TEST

/* --- servers ------------------------------------------------------------------------ */

static struct wizard_server_fields fields(const char *host, enum server_kind k, bool nts)
{
	struct wizard_server_fields f = {.host = host, .kind = k, .iburst = true, .nts = nts};
	return f;
}

START_TEST(server_edits_go_through_the_model)
{
	struct wizard_server_fields f = fields("ntp1.example.net", SERVER_KIND_SERVER, true);
	char why[WIZARD_LINE_MAX], line[WIZARD_LINE_MAX];

	ck_assert_ptr_null(wizard_server_problem(&W, -1, &f, why, sizeof(why)));
	ck_assert_int_eq(wizard_server_put(&W, -1, &f, &E), 0);
	ck_assert_uint_eq(W.setup.nservers, 2);
	ck_assert_str_eq(wizard_server_text(&W.setup.servers[1], line, sizeof(line)),
	                 "server ntp1.example.net               iburst, nts");
	/* the same host again, in other case: refused; as itself while editing: fine */
	f.host = "NTP1.example.net";
	ck_assert_str_eq(wizard_server_problem(&W, -1, &f, why, sizeof(why)),
	                 "Host: this host is listed twice");
	ck_assert_ptr_null(wizard_server_problem(&W, 1, &f, why, sizeof(why)));
	f.nts = false;
	f.prefer = true;
	ck_assert_int_eq(wizard_server_put(&W, 1, &f, &E), 0);
	ck_assert_uint_eq(W.setup.nservers, 2);
	ck_assert_str_eq(W.setup.servers[1].host, "NTP1.example.net");
	ck_assert(W.setup.servers[1].prefer && !W.setup.servers[1].nts);
	/* what cannot reach a config file */
	f = fields("a b", SERVER_KIND_SERVER, false);
	ck_assert_str_eq(wizard_server_problem(&W, -1, &f, why, sizeof(why)),
	                 "Host: contains whitespace, which would add options to the directive");
	f = fields("pool.example.org\nallow all", SERVER_KIND_POOL, false);
	ck_assert_ptr_nonnull(
	    strstr(wizard_server_problem(&W, -1, &f, why, sizeof(why)), "newline"));
	f = fields("", SERVER_KIND_SERVER, false);
	ck_assert_str_eq(wizard_server_problem(&W, -1, &f, why, sizeof(why)),
	                 "Host: enter a name or an address");
	f = fields("pool.example.org", SERVER_KIND_POOL, true);
	ck_assert_ptr_nonnull(
	    strstr(wizard_server_problem(&W, -1, &f, why, sizeof(why)), "not a pool"));
	ck_assert_int_eq(wizard_server_put(&W, -1, &f, &E), -1);
	ck_assert_uint_eq(W.setup.nservers, 2);
	/* remove */
	ck_assert_int_eq(wizard_server_remove(&W, 0), 0);
	ck_assert_str_eq(W.setup.servers[0].host, "NTP1.example.net");
	ck_assert_int_eq(wizard_server_remove(&W, 5), -1);
}
END_TEST

START_TEST(nts_on_a_daemon_without_it_blocks_the_page)
{
	struct wizard_server_fields f = fields("nts.example.net", SERVER_KIND_SERVER, true);
	char why[WIZARD_LINE_MAX];

	ck_assert_int_eq(wizard_server_put(&W, -1, &f, &E), 0);
	ck_assert_ptr_null(wizard_page_problem(&W, WPAGE_SERVERS, why, sizeof(why)));
	wizard_set_daemon(&W, &backend_openntpd, &E);
	ck_assert_str_eq(wizard_page_problem(&W, WPAGE_SERVERS, why, sizeof(why)),
	                 "nts.example.net: NTS: OpenNTPD has no NTS; use chrony or ntpsec for NTS "
	                 "servers");
	ck_assert_ptr_nonnull(strstr(wizard_server_problem(&W, 1, &f, why, sizeof(why)), "NTS"));
	W.setup.nservers = 0;
	ck_assert_str_eq(wizard_page_problem(&W, WPAGE_SERVERS, why, sizeof(why)),
	                 "Add at least one time server.");
}
END_TEST

START_TEST(server_lines_for_line_mode)
{
	struct wizard_server_fields f;
	char a[] = "time.example.com nts prefer", b[] = "  0.pool.ntp.org pool noiburst ",
	     c[] = "x.example iburst sometimes", d[] = "   ";

	ck_assert_ptr_null(wizard_server_parse(a, &f));
	ck_assert_str_eq(f.host, "time.example.com");
	ck_assert(f.kind == SERVER_KIND_SERVER && f.nts && f.prefer && f.iburst);
	ck_assert_ptr_null(wizard_server_parse(b, &f));
	ck_assert_str_eq(f.host, "0.pool.ntp.org");
	ck_assert(f.kind == SERVER_KIND_POOL && !f.iburst && !f.nts);
	ck_assert_ptr_nonnull(strstr(wizard_server_parse(c, &f), "unknown word"));
	ck_assert_ptr_nonnull(wizard_server_parse(d, &f));
}
END_TEST

/* issue 16: the words for source selection and the key (line mode), and
 * the fields reaching the server through the model's setters */
START_TEST(server_lines_with_selection_and_a_key)
{
	struct wizard_server_fields f;
	char a[] = "192.0.2.1 noselect xleave maxdelay 0.05 key 3", t[] = "192.0.2.5 trust", b[] = "192.0.2.2 key",
	     c[] = "192.0.2.3 key x", d[] = "192.0.2.4 maxdelay 99";
	char line[WIZARD_LINE_MAX];
	const struct server *srv;

	ck_assert_ptr_null(wizard_server_parse(a, &f));
	ck_assert(f.noselect && !f.trust && f.xleave);
	ck_assert_str_eq(f.maxdelay, "0.05");
	ck_assert_str_eq(f.key, "3");
	ck_assert_msg(wizard_server_put(&W, -1, &f, &E) == 0, "%s", E.n ? E.v[E.n - 1].message : "");
	srv = &W.setup.servers[W.setup.nservers - 1];
	ck_assert(srv->noselect && !srv->trust && srv->xleave && srv->key == 3);
	ck_assert(srv->maxdelay == 0.05);
	ck_assert_str_eq(wizard_server_text(srv, line, sizeof(line)),
	                 "server 192.0.2.1 iburst noselect xleave maxdelay 0.05 key 3");
	ck_assert_ptr_null(wizard_server_parse(t, &f));
	ck_assert(f.trust && !f.noselect);
	ck_assert_ptr_nonnull(strstr(wizard_server_parse(b, &f), "key needs the key's ID"));
	ck_assert_ptr_null(wizard_server_parse(c, &f));
	ck_assert_int_eq(wizard_server_put(&W, -1, &f, &E), -1);
	ck_assert_str_eq(E.v[E.n - 1].message, "Key: must be a key ID between 1 and 65535");
	ck_assert_ptr_null(wizard_server_parse(d, &f));
	ck_assert_int_eq(wizard_server_put(&W, -1, &f, &E), -1);
	ck_assert_ptr_nonnull(strstr(E.v[E.n - 1].message, "maxdelay"));
}
END_TEST

/* Edit + OK keeps what the dialog does not show (minpoll, maxpoll, weight):
 * an imported server lost them */
START_TEST(an_edit_keeps_what_the_fields_do_not_show)
{
	struct wizard_server_fields f = fields("ntp1.example.net", SERVER_KIND_SERVER, false);

	ck_assert_int_eq(wizard_server_put(&W, -1, &f, &E), 0);
	W.setup.servers[1].minpoll = 3;
	W.setup.servers[1].maxpoll = 5;
	f.prefer = true;
	ck_assert_int_eq(wizard_server_put(&W, 1, &f, &E), 0);
	ck_assert_int_eq(W.setup.servers[1].minpoll, 3);
	ck_assert_int_eq(W.setup.servers[1].maxpoll, 5);
	ck_assert(W.setup.servers[1].prefer);
}
END_TEST

/* issue 16 section 8: operator lines, checked with extra.c's rules */
START_TEST(operator_lines_are_checked_as_typed)
{
	char why[WIZARD_LINE_MAX];

	ck_assert_ptr_nonnull(wizard_extra_problem(&W, "allow 10/8", why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "extra.chrony: chrony's \"allow\" decides who may reach"));
	ck_assert_ptr_nonnull(wizard_extra_problem(&W, "logchange 0.5 # x", why, sizeof(why)));
	ck_assert_ptr_null(wizard_extra_problem(&W, "logchange 0.5", why, sizeof(why)));
	ck_assert_int_eq(wizard_extra_add(&W, "logchange 0.5", &E), 0);
	ck_assert_int_eq(wizard_extra_add(&W, "maxchange 1000 1 2", &E), 0);
	ck_assert_uint_eq(wizard_extra(&W)->n, 2);
	ck_assert_int_eq(wizard_extra_remove(&W, 0), 0);
	ck_assert_uint_eq(wizard_extra(&W)->n, 1);
	ck_assert_str_eq(wizard_extra(&W)->v[0].text, "maxchange 1000 1 2");
	ck_assert_int_eq(wizard_extra_remove(&W, 1), -1);
}
END_TEST

/* --- leap and policy ------------------------------------------------------------------ */

START_TEST(only_what_the_daemon_can_write_is_offered)
{
	struct wizard_choice c[LEAP_COUNT], p[POLICY_COUNT];

	ck_assert_uint_eq(wizard_leap_choices(&W, c), LEAP_COUNT);
	for (int i = 0; i < LEAP_COUNT; i++)
		ck_assert_ptr_null(c[i].refusal); /* chrony does all four */
	ck_assert_str_eq(c[LEAP_STEP].label, "Step (recommended)");
	wizard_set_daemon(&W, &backend_ntpsec, &E);
	wizard_leap_choices(&W, c);
	ck_assert_ptr_null(c[LEAP_STEP].refusal);
	ck_assert_ptr_nonnull(strstr(c[LEAP_SMEAR].refusal, "ntpsec cannot do leap mode"));
	ck_assert_int_eq(wizard_set_leap(&W, LEAP_SLEW, &E), -1);
	ck_assert_int_eq(W.setup.leap, LEAP_STEP);
	wizard_set_daemon(&W, &backend_timesyncd, &E);
	ck_assert_uint_eq(wizard_policy_choices(&W, p), POLICY_COUNT);
	ck_assert_ptr_null(p[POLICY_CLIENT_ONLY].refusal);
	ck_assert_ptr_nonnull(strstr(p[POLICY_LAN].refusal, "client only"));
	ck_assert_ptr_nonnull(p[POLICY_PUBLIC].refusal);
	ck_assert_int_eq(wizard_set_policy(&W, POLICY_PUBLIC, &E), -1);
	ck_assert_int_eq(W.setup.policy, POLICY_CLIENT_ONLY);
}
END_TEST

START_TEST(the_step_explanation_is_two_sentences)
{
	struct wizard_choice c[LEAP_COUNT];
	int sentences = 0;

	wizard_leap_choices(&W, c);
	for (const char *p = c[LEAP_STEP].explain; *p; p++)
		sentences += *p == '.' && (p[1] == ' ' || p[1] == '\0');
	ck_assert_int_eq(sentences, 2);
}
END_TEST

START_TEST(lan_networks_are_checked_as_typed)
{
	char why[WIZARD_LINE_MAX];

	ck_assert_int_eq(wizard_set_policy(&W, POLICY_LAN, &E), 0);
	ck_assert_str_eq(wizard_page_problem(&W, WPAGE_POLICY, why, sizeof(why)),
	                 "Networks: enter at least one network to serve, such as 192.168.1.0/24");
	ck_assert_int_eq(wizard_set_allow_text(&W, "192.168.1.5/24"), -1);
	ck_assert_ptr_nonnull(strstr(W.allow_problem, "Networks: 192.168.1.5/24: has bits set"));
	ck_assert_ptr_nonnull(wizard_page_problem(&W, WPAGE_POLICY, why, sizeof(why)));
	ck_assert_int_eq(wizard_set_allow_text(&W, "192.168.1.0/24, fd00::/8 10.1.2.3"), 0);
	ck_assert_uint_eq(W.setup.nallow, 3);
	ck_assert_str_eq(W.setup.allow[2].cidr, "10.1.2.3/32");
	ck_assert_ptr_null(wizard_page_problem(&W, WPAGE_POLICY, why, sizeof(why)));
	ck_assert_int_eq(wizard_set_allow_text(&W, "10.0.0.0/8 10.0.0.0/8"), -1);
	ck_assert_ptr_nonnull(strstr(W.allow_problem, "listed twice"));
	/* leaving the LAN policy drops the networks; coming back reads the text again */
	wizard_set_allow_text(&W, "10.0.0.0/8");
	ck_assert_int_eq(wizard_set_policy(&W, POLICY_PUBLIC, &E), 0);
	ck_assert_uint_eq(W.setup.nallow, 0);
	ck_assert_int_eq(model_check(&W.setup, &E), 0);
	ck_assert_int_eq(wizard_set_policy(&W, POLICY_LAN, &E), 0);
	ck_assert_uint_eq(W.setup.nallow, 1);
	ck_assert_ptr_nonnull(strstr(rendered(), "\nallow 10.0.0.0/8\n"));
}
END_TEST

START_TEST(pages_without_input_are_always_complete)
{
	char why[WIZARD_LINE_MAX];

	ck_assert_ptr_null(wizard_page_problem(&W, WPAGE_WELCOME, why, sizeof(why)));
	ck_assert_ptr_null(wizard_page_problem(&W, WPAGE_DAEMON, why, sizeof(why)));
	ck_assert_ptr_null(wizard_page_problem(&W, WPAGE_LEAP, why, sizeof(why)));
	ck_assert_ptr_null(wizard_page_problem(&W, WPAGE_SUMMARY, why, sizeof(why)));
	W.setup.leap = LEAP_SMEAR; /* bypassing the setter: the summary notices */
	W.backend = &backend_ntpsec;
	ck_assert_ptr_nonnull(wizard_page_problem(&W, WPAGE_LEAP, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(wizard_page_problem(&W, WPAGE_SUMMARY, why, sizeof(why)),
	                             "leap.mode: ntpsec cannot do leap mode \"smear\""));
}
END_TEST

START_TEST(help_and_titles)
{
	for (int p = 0; p < WPAGE_COUNT; p++) {
		ck_assert_int_gt(strlen(wizard_page_title((enum wizard_page_id)p)), 3);
		ck_assert_int_gt(strlen(wizard_page_help((enum wizard_page_id)p)), 100);
	}
	/* the seeds' DRDoS note on the policy page */
	ck_assert_ptr_nonnull(strstr(wizard_page_help(WPAGE_POLICY), "DRDoS"));
	ck_assert_ptr_nonnull(strstr(wizard_page_help(WPAGE_POLICY),
	                             "restrict default kod notrap nomodify nopeer "
	                             "noquery"));
}
END_TEST

/* --- preview, profile, apply ----------------------------------------------------------- */

START_TEST(preview_and_diff)
{
	struct strbuf text, diff;
	bool exists = true;

	strbuf_init(&text);
	strbuf_init(&diff);
	ck_assert_str_eq(wizard_conf_path(&W), CONF);
	ck_assert_int_eq(wizard_render(&W, &text, &diff, &exists, &E), 0);
	ck_assert(!exists);
	ck_assert_ptr_nonnull(strstr(diff.buf, "@@ -0,0 +1,"));
	fake_sysops_put(1, CONF, strbuf_str(&text));
	strbuf_reset(&text);
	strbuf_reset(&diff);
	ck_assert_int_eq(wizard_render(&W, &text, &diff, &exists, &E), 0);
	ck_assert(exists);
	ck_assert_uint_eq(diff.len, 0);
	strbuf_free(&text);
	strbuf_free(&diff);
}
END_TEST

START_TEST(a_saved_profile_replays_to_the_same_bytes)
{
	struct wizard_server_fields f = fields("ntp1.example.net", SERVER_KIND_SERVER, false);
	static struct setup back;
	struct strbuf again;
	const char *saved;

	wizard_server_put(&W, -1, &f, &E);
	wizard_set_policy(&W, POLICY_LAN, &E);
	wizard_set_allow_text(&W, "192.168.1.0/24");
	ck_assert_int_eq(wizard_save_profile(&W, "/tmp/p.cfg", &E), 0);
	ck_assert_str_eq(W.profile_path, "/tmp/p.cfg");
	saved = fake_sysops_get(0, "/tmp/p.cfg", NULL);
	ck_assert_ptr_nonnull(saved);
	ck_assert_ptr_nonnull(strstr(saved, "daemon = \"chrony\";"));
	ck_assert_int_eq(profile_parse(saved, "/tmp/p.cfg", &back, &E), 0);
	strbuf_init(&again);
	/* rendered for the same target as the wizard's preview */
	struct target_facts t;
	target_init(&t);
	target_read(&t, &backend_chrony, &W.host);
	ck_assert_int_eq(backend_render_for(&backend_chrony, &back, FAMILY_DEBIAN, &t, &again, &E),
	                 0);
	ck_assert_str_eq(strbuf_str(&again), rendered());
	strbuf_free(&again);
	/* no file name, and a write that fails */
	ck_assert_int_eq(wizard_save_profile(&W, "", &E), -1);
	fake_sysops_fail_writes(13);
	ck_assert_int_eq(wizard_save_profile(&W, "/tmp/q.cfg", &E), -1);
	ck_assert_ptr_nonnull(strstr(E.v[E.n - 1].message, "cannot write the profile"));
}
END_TEST

static char step_log[4096];

static void on_step(const struct apply_step *st, void *data)
{
	size_t o = strlen(step_log);

	(void)data;
	snprintf(step_log + o, sizeof(step_log) - o, "%s;", st->name);
}

START_TEST(apply_reports_each_step_as_it_happens)
{
	struct apply_opts o = {.on_step = on_step};
	struct apply_report rep;
	char expect[4096] = "", line[WIZARD_LINE_MAX];

	fake_sysops_on_exec("chronyd -p -f", 0, "", "");
	fake_sysops_on_exec("systemctl", 0, "", "");
	fake_sysops_on_exec("chronyc -n -c sources", 0, "^,*,x,2,6,377,1,0,0,0\n", "");
	step_log[0] = '\0';
	W.host.daemons[DAEMON_CHRONY].installed = true;
	ck_assert_int_eq(wizard_apply(&W, &o, &rep, &E), 0);
	ck_assert(W.applied && !W.apply_failed);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), rendered());
	for (size_t i = 0; i < rep.nsteps; i++)
		snprintf(expect + strlen(expect), sizeof(expect) - strlen(expect), "%s;",
		         rep.steps[i].name);
	ck_assert_str_eq(step_log, expect);
	ck_assert_ptr_nonnull(strstr(step_log, "write;"));
	ck_assert_str_eq(wizard_apply_outcome(&rep, false, line, sizeof(line)), "changed: " CONF);
}
END_TEST

/* The page shows the parsed table (what `ntpwiz monitor --once` prints),
 * and when the daemon does not answer, why and what to try. */
START_TEST(monitor_snapshot_shows_the_daemons_table)
{
	struct strbuf out;

	strbuf_init(&out);
	fake_sysops_on_exec("chronyc -n -c -m sources tracking", 0,
	                    "^,*,192.0.2.1,3,-2,377,1,0.000000833,0.000000846,0.000004072\n"
	                    "0AE75B01,192.0.2.1,4,1795315315.314343854,-0.000001576,0.000000013,"
	                    "0.000000049,-0.004,-0.000,0.026,0.000006137,0.000001631,0.3,Normal\n",
	                    "");
	ck_assert_int_eq(wizard_monitor_snapshot(&W, &out), 0);
	ck_assert_msg(strncmp(strbuf_str(&out), "$ chronyc -n -c -m sources tracking\n", 36) == 0,
	              "%s", strbuf_str(&out));
	ck_assert_msg(strstr(strbuf_str(&out), "\n* 192.0.2.1") ||
	                  strstr(strbuf_str(&out), "\n*192.0.2.1"),
	              "%s", strbuf_str(&out));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "synchronised"));
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("chronyc -n -c -m sources tracking", 1, "506 Cannot talk to daemon\n",
	                    "");
	strbuf_reset(&out);
	ck_assert_int_eq(wizard_monitor_snapshot(&W, &out), -1);
	ck_assert_msg(strstr(strbuf_str(&out), "is not running"), "%s", strbuf_str(&out));
	strbuf_free(&out);
}
END_TEST

/* The Test button is the native probe: one verdict line per server, usable
 * or not, and ok says the same. Loopback only: 127.0.0.1's port 123 either
 * answers or refuses; ::1 likewise. */
START_TEST(probe_gives_the_verdict_per_server)
{
	struct server s[2];
	struct wizard_probe_result r[2];

	model_server_init(&s[0]);
	model_server_init(&s[1]);
	strcpy(s[0].host, "127.0.0.1");
	strcpy(s[1].host, "::1");
	wizard_probe_servers(s, 2, r);
	for (int i = 0; i < 2; i++) {
		char want[1024]; /* gcc -O2 counts the host as up to 591 bytes */
		snprintf(want, sizeof(want), "%s: %s", s[i].host,
		         r[i].ok ? "usable" : "not usable");
		ck_assert_msg(strncmp(r[i].line, want, strlen(want)) == 0, "%s", r[i].line);
	}
}
END_TEST

/* --- line mode ----------------------------------------------------------------------- */

struct run {
	int rc;
	char out[65536];
	char err[4096];
};

static void run_linemode(const char *answers, const struct ui_opts *o, struct run *r)
{
	FILE *in = fmemopen((void *)answers, strlen(answers), "r");
	FILE *out = fmemopen(r->out, sizeof(r->out), "w");
	FILE *err = fmemopen(r->err, sizeof(r->err), "w");

	ck_assert(in && out && err);
	r->rc = linemode_run(&W, in, out, err, o, false);
	fclose(in);
	fclose(out);
	fclose(err);
}

START_TEST(linemode_piped_answers_write_the_file)
{
	static struct run r;
	struct ui_opts o = {0};

	fake_sysops_on_exec("chronyd -p -f", 0, "", "");
	fake_sysops_on_exec("systemctl", 0, "", "");
	fake_sysops_on_exec("chronyc -n -c sources", 0, "^,*,x,2,6,377,1,0,0,0\n", "");
	fake_sysops_on_exec("apt-get", 0, "", "");
	run_linemode("chrony\n" /* daemon */
	             "y\n"      /* install it? (without, apply would be refused) */
	             "n\n"      /* keep the servers? */
	             "0.pool.ntp.org pool\n"
	             "ntp1.example.net prefer\n"
	             "\n"               /* end of the list */
	             "\n"               /* leap: step */
	             "lan\n"            /* policy */
	             "192.168.1.0/24\n" /* networks */
	             "\n\n\n\n\n\n\n\n" /* advanced: minsources, maxdistance, orphan, nts_server,
	                                    hwtimestamp, refclocks, start.user, start.family
	                                    (issue 16) */
	             "\n"              /* operator lines (issue 16; no key: no key questions) */
	             "/tmp/lm.cfg\n"    /* profile */
	             "y\n",
	             &o, &r);
	ck_assert_msg(r.rc == 0, "%s%s", r.out, r.err);
	ck_assert_str_eq(r.err, "");
	const char *conf = fake_sysops_get(1, CONF, NULL);
	ck_assert_ptr_nonnull(conf);
	ck_assert_str_eq(conf, rendered());
	ck_assert_ptr_nonnull(strstr(conf, "pool 0.pool.ntp.org iburst\nserver ntp1.example.net "
	                                   "iburst prefer\n"));
	ck_assert_ptr_nonnull(strstr(conf, "\nallow 192.168.1.0/24\n"));
	ck_assert_ptr_nonnull(fake_sysops_get(0, "/tmp/lm.cfg", NULL));
	ck_assert_ptr_nonnull(strstr(r.out, "[1/7] Time daemon"));
	ck_assert_ptr_nonnull(strstr(r.out, "Choice [1]: chrony\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "==> The chrony configuration ntpwiz would write"));
	ck_assert_ptr_nonnull(strstr(r.out, "changed: " CONF));
	ck_assert_ptr_nonnull(strstr(r.out, "chrony is not installed. Install it when applying?"));
	ck_assert_ptr_nonnull(strstr(fake_sysops_get(0, "/tmp/lm.cfg", NULL), "install = true;"));
	ck_assert_ptr_nonnull(strstr(fake_sysops_exec_log(), "apt-get install"));
}
END_TEST

START_TEST(linemode_end_of_input_writes_nothing)
{
	static const char *const cuts[] = {
	    "", "1\n", "1\ny\n", "1\ny\n\n", "1\ny\n\n\n1\n", "1\ny\n\n\n1\n\n",
	};
	static struct run r;
	struct ui_opts o = {0};

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		fake_sysops_reset();
		wizard_init(&W, &H, &E);
		run_linemode(cuts[i], &o, &r);
		ck_assert_int_eq(r.rc, 1);
		ck_assert_str_eq(r.err, "ntpwiz: the input ended before the last answer; nothing "
		                        "was written.\n");
		ck_assert_uint_eq(fake_sysops_write_count(), 0);
	}
}
END_TEST

START_TEST(linemode_explains_and_gives_up_on_a_script)
{
	static struct run r;
	struct ui_opts o = {0};

	/* a script cannot correct an answer: the first refused one stops it,
	 * and the next line is not taken as the retry (issue 15) */
	run_linemode("9\nfoo\n\n", &o, &r);
	ck_assert_ptr_nonnull(
	    strstr(r.out, "  Not accepted: enter a number from 1 to 5, or a name from the list\n"));
	ck_assert_ptr_null(strstr(r.out, "foo"));
	ck_assert_int_eq(r.rc, 1);
	ck_assert_str_eq(r.err, "ntpwiz: Time daemon: the answer \"9\" was not accepted (enter a "
	                        "number from 1 to 5, or a name from the list); nothing was "
	                        "written.\n");
	run_linemode("1\ny\n\n\n2\n192.168.1.5/24\n", &o, &r);
	ck_assert_ptr_nonnull(
	    strstr(r.out, "Not accepted: Networks: 192.168.1.5/24: has bits set"));
	ck_assert_uint_eq(fake_sysops_write_count(), 0);
}
END_TEST

START_TEST(linemode_no_at_the_end_writes_nothing_and_yes_skips_the_question)
{
	static struct run r;
	struct ui_opts o = {0};

	/* six more: the Advanced questions of chrony, client-only (issue 16):
	 * minsources, maxdistance, hwtimestamp, start.user, start.family,
	 * operator lines (no key: no key questions) */
	run_linemode("\n\n\n\n\n\n\n\n\n\n\n\n\n", &o, &r);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_ptr_nonnull(strstr(r.out, "Not applied; nothing was written.\n"));
	ck_assert_uint_eq(fake_sysops_write_count(), 0);
	/* a profile named is saved even when the file is not written (issue 15) */
	wizard_init(&W, &H, &E);
	run_linemode("\n\n\n\n\n\n\n\n\n\n\n/tmp/x.cfg\nn\n", &o, &r);
	ck_assert_msg(r.rc == 0, "%s%s", r.out, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "Not applied; nothing was written.\n"));
	ck_assert_ptr_nonnull(fake_sysops_get(0, "/tmp/x.cfg", NULL));
	ck_assert_ptr_null(fake_sysops_get(1, CONF, NULL));

	fake_sysops_on_exec("systemctl", 0, "", "");
	fake_sysops_on_exec("chronyc -n -c sources", 0, "^,*,x,2,6,377,1,0,0,0\n", "");
	o.yes = true;
	fake_sysops_on_exec("apt-get", 0, "", "");
	o.save_profile = "/tmp/y.cfg";
	wizard_init(&W, &H, &E);
	run_linemode("\ny\n\n\n\n\n\n\n\n\n\n", &o, &r);
	ck_assert_msg(r.rc == 0, "%s%s", r.out, r.err);
	ck_assert_ptr_nonnull(fake_sysops_get(0, "/tmp/y.cfg", NULL));
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), rendered());
}
END_TEST

/* Debian 12 packages no ntp.org ntpd: picking it gives NTPsec's file, and
 * the wizard says why; on RHEL 10 it is refused and nothing changes. */
START_TEST(picking_ntp_where_only_ntpsec_exists)
{
	struct strbuf text;

	wizard_set_daemon(&W, &backend_ntp, &E);
	ck_assert_ptr_eq(W.backend, &backend_ntpsec);
	ck_assert_uint_eq(errlist_count(&E, ERR_WARNING), 2);
	ck_assert_ptr_nonnull(strstr(E.v[0].message, "transitional package that installs NTPsec"));
	strbuf_init(&text);
	ck_assert_int_eq(wizard_render(&W, &text, NULL, NULL, &E), 0);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&text), "# /etc/ntpsec/ntp.conf: ntpsec"));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&text), "# ntpd (ntp.org) was asked for."));
	strbuf_free(&text);

	distro_parse_os_release("ID=\"rhel\"\nVERSION_ID=\"10.0\"\n", &W.host.distro);
	wizard_set_daemon(&W, &backend_chrony, &E);
	wizard_set_daemon(&W, &backend_ntp, &E);
	ck_assert_ptr_eq(W.backend, &backend_chrony);
	ck_assert_uint_eq(errlist_count(&E, ERR_ERROR), 1);
	ck_assert_ptr_nonnull(strstr(E.v[E.n - 1].message, "ship no ntpd"));
}
END_TEST

/* The leap page's words match the file, for every daemon and offered mode
 * (issue 15: OpenNTPD's page said the kernel inserts the second). */
START_TEST(leap_explanations_match_the_file)
{
	size_t n;
	const struct backend *const *all = backend_all(&n);

	for (size_t b = 0; b < n; b++) {
		struct wizard_choice c[LEAP_COUNT];
		wizard_set_daemon(&W, all[b], &E);
		size_t k = wizard_leap_choices(&W, c);
		for (size_t i = 0; i < k; i++) {
			struct strbuf text;
			bool exists;
			if (c[i].refusal)
				continue;
			ck_assert_int_eq(wizard_set_leap(&W, (enum leap_mode)c[i].value, &E), 0);
			strbuf_init(&text);
			ck_assert_int_eq(wizard_render(&W, &text, NULL, &exists, &E), 0);
			const char *leap = strstr(strbuf_str(&text), "# Leap seconds:");
			ck_assert_msg(leap, "%s/%s: no leap comment", all[b]->name, c[i].name);
			bool file_kernel =
			    strncmp(leap, "# Leap seconds: the kernel inserts", 34) == 0;
			bool page_kernel = strstr(c[i].explain, "kernel inserts") != NULL;
			ck_assert_msg(file_kernel == page_kernel,
			              "%s/%s: page \"%s\" vs file \"%.80s\"", all[b]->name,
			              c[i].name, c[i].explain, leap);
			strbuf_free(&text);
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wizard");
	TCase *tc = tcase_create("state");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, default_daemon_prefers_running_then_enabled_then_installed);
	tcase_add_test(tc, leap_explanations_match_the_file);
	tcase_add_test(tc, prefill_is_the_distribution_default_as_an_explicit_list);
	tcase_add_test(tc, prefill_starts_from_the_current_config);
	tcase_add_test(tc, prefill_from_refclocks_and_the_advanced_row);
	tcase_add_test(tc, daemon_rows_say_installed_running_and_version);
	tcase_add_test(tc, switching_daemon_falls_back_and_says_why);
	tcase_add_test(tc, server_edits_go_through_the_model);
	tcase_add_test(tc, nts_on_a_daemon_without_it_blocks_the_page);
	tcase_add_test(tc, server_lines_for_line_mode);
	tcase_add_test(tc, server_lines_with_selection_and_a_key);
	tcase_add_test(tc, an_edit_keeps_what_the_fields_do_not_show);
	tcase_add_test(tc, operator_lines_are_checked_as_typed);
	tcase_add_test(tc, only_what_the_daemon_can_write_is_offered);
	tcase_add_test(tc, the_step_explanation_is_two_sentences);
	tcase_add_test(tc, lan_networks_are_checked_as_typed);
	tcase_add_test(tc, pages_without_input_are_always_complete);
	tcase_add_test(tc, help_and_titles);
	tcase_add_test(tc, preview_and_diff);
	tcase_add_test(tc, a_saved_profile_replays_to_the_same_bytes);
	tcase_add_test(tc, apply_reports_each_step_as_it_happens);
	tcase_add_test(tc, monitor_snapshot_shows_the_daemons_table);
	tcase_add_test(tc, probe_gives_the_verdict_per_server);
	tcase_add_test(tc, linemode_piped_answers_write_the_file);
	tcase_add_test(tc, linemode_end_of_input_writes_nothing);
	tcase_add_test(tc, linemode_explains_and_gives_up_on_a_script);
	tcase_add_test(tc, linemode_no_at_the_end_writes_nothing_and_yes_skips_the_question);
	tcase_add_test(tc, picking_ntp_where_only_ntpsec_exists);
	suite_add_tcase(s, tc);
	return testhelp_run(s);
}
