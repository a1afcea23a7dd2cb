/*
 * test_nts: issue 16 sections 6 and 7 in the core: nts_server (serving
 * NTS) and options.hwtimestamp. Asserts the errors a user reads (where and
 * message), the bytes of the rendered lines and of a written profile (which
 * loads back to the same model), each daemon's refusal (naming it), the
 * checks of the certificate and key files under the root (fake sysops), and
 * import back from chrony's and NTPsec's syntax.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "errlist.h"
#include "fake_sysops.h"
#include "import.h"
#include "model.h"
#include "nts.h"
#include "profile.h"
#include "strbuf.h"
#include "sysops.h"
#include "testhelp.h"
#include "validate.h"

#define CERT "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
#define KEY "-----BEGIN PRIVATE KEY-----\nSECRETKEYMATERIAL\n-----END PRIVATE KEY-----\n"

static struct setup *s;
static struct errlist errs;

static void fx_setup(void)
{
	s = calloc(1, sizeof(*s));
	ck_assert_ptr_nonnull(s);
	errlist_init(&errs);
	fake_sysops_reset();
	sysops_set_root("/");
	fake_sysops_put_mode(1, "/etc/chrony/cert.pem", CERT, 0644, 0, 0);
	fake_sysops_put_mode(1, "/etc/chrony/key.pem", KEY, 0640, 0, 101);
	fake_sysops_mkdir(1, "/sys/class/net/eth0");
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
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\n  [%zu] %s %s%s%s", i,
		                      e->v[i].severity == ERR_ERROR ? "E" : "W", e->v[i].where,
		                      e->v[i].where[0] ? ": " : "", e->v[i].message);
	return buf;
}

static int parse(const char *text)
{
	errlist_free(&errs);
	errlist_init(&errs);
	return profile_parse(text, "p.cfg", s, &errs);
}

static void expect_one(const char *text, const char *where, const char *message)
{
	ck_assert_msg(parse(text) == -1, "accepted:\n%s", text);
	ck_assert_msg(errs.n == 1 && strcmp(errs.v[0].where, where) == 0 &&
	                  strcmp(errs.v[0].message, message) == 0,
	              "for:\n%s\nexpected %s: %s\ngot:%s", text, where, message, dump(&errs));
}

#define HEAD "version = 1;\nservers = ( { host = \"192.0.2.1\"; } );\n"
#define LAN "restrict = { policy = \"lan\"; allow = [ \"192.168.0.0/16\" ]; };\n"
#define NTS                                                                                        \
	"nts_server = { certificate = \"/etc/chrony/cert.pem\"; key = \"/etc/chrony/key.pem\"; "   \
	"};\n"

/* renders s for daemon d (family f); returns the status, text in out */
static int render(enum daemon_id d, enum distro_family f, struct strbuf *out)
{
	errlist_free(&errs);
	errlist_init(&errs);
	strbuf_init(out);
	return backend_render(backend_find(d), s, f, out, &errs);
}

START_TEST(ifnames)
{
	static const char *const good[] = {"eth0",   "enp3s0f1", "br-lan",          "eth0.100",
	                                   "wlp2s0", "a",        "abcdefghijklmno", "veth_1"};
	static const struct {
		const char *v, *why;
	} bad[] = {
	    {"", "is empty"},
	    {"abcdefghijklmnop", "is longer than an interface name can be (15 characters)"},
	    {"-eth0", "is not an interface name: it starts with '-' or '.'"},
	    {"..", "is not an interface name: it starts with '-' or '.'"},
	    {"eth0;rm", "is not an interface name: only letters, digits and . _ - are taken (or * "
	                "for every interface)"},
	    {"eth 0", "is not an interface name: only letters, digits and . _ - are taken (or * "
	              "for every interface)"},
	    {"eth/0", "is not an interface name: only letters, digits and . _ - are taken (or * "
	              "for every interface)"},
	    {"eth0*", "is not an interface name: only letters, digits and . _ - are taken (or * "
	              "for every interface)"},
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(validate_ifname(good[i], false) == NULL, "%s refused", good[i]);
	ck_assert_ptr_null(validate_ifname("*", true));
	ck_assert_ptr_nonnull(validate_ifname("*", false));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = validate_ifname(bad[i].v, true);
		ck_assert_msg(why && strcmp(why, bad[i].why) == 0, "%s: got %s", bad[i].v,
		              why ? why : "accepted");
	}
}
END_TEST

START_TEST(profile_round_trip)
{
	struct strbuf out;
	struct setup *s2 = calloc(1, sizeof(*s2));
	const char *text = HEAD "daemon = \"chrony\";\n" LAN
	                        "options = { hwtimestamp = ( \"eth0\", \"*\" ); };\n" NTS;

	ck_assert_msg(parse(text) == 0, "%s", dump(&errs));
	ck_assert_str_eq(s->nts_server.certificate, "/etc/chrony/cert.pem");
	ck_assert_str_eq(s->nts_server.key, "/etc/chrony/key.pem");
	ck_assert_int_eq(s->nts_server.line, 6);
	ck_assert_uint_eq(s->hwtimestamp.n, 2);
	ck_assert_str_eq(s->hwtimestamp.v[0].name, "eth0");
	ck_assert_str_eq(s->hwtimestamp.v[1].name, "*");
	strbuf_init(&out);
	ck_assert_int_eq(profile_format(s, &out, &errs), 0);
	ck_assert_msg(strstr(strbuf_str(&out), "  hwtimestamp = ( \"eth0\", \"*\" );\n"), "%s",
	              strbuf_str(&out));
	ck_assert_msg(strstr(strbuf_str(&out),
	                     "\nnts_server = { certificate = \"/etc/chrony/cert.pem\"; key = "
	                     "\"/etc/chrony/key.pem\"; };\n"),
	              "%s", strbuf_str(&out));
	ck_assert_int_eq(profile_parse(strbuf_str(&out), "again.cfg", s2, &errs), 0);
	ck_assert_str_eq(s2->nts_server.key, "/etc/chrony/key.pem");
	ck_assert_str_eq(s2->hwtimestamp.v[1].name, "*");
	/* not set: not written */
	strbuf_free(&out);
	strbuf_init(&out);
	ck_assert_int_eq(parse(HEAD), 0);
	ck_assert_int_eq(profile_format(s, &out, &errs), 0);
	ck_assert_ptr_null(strstr(strbuf_str(&out), "nts_server"));
	ck_assert_ptr_null(strstr(strbuf_str(&out), "hwtimestamp"));
	strbuf_free(&out);
	free(s2);
}
END_TEST

START_TEST(profile_errors)
{
	expect_one(HEAD LAN "nts_server = { certificate = \"/etc/c.pem\"; };\n", "p.cfg:4",
	           "nts_server: needs both files: nts_server = { certificate = "
	           "\"/path/fullchain.pem\"; key = \"/path/privkey.pem\"; };");
	expect_one(HEAD LAN "nts_server = { certificate = \"c.pem\"; key = \"/k.pem\"; };\n",
	           "p.cfg:4", "nts_server.certificate: is not an absolute path");
	expect_one(HEAD LAN "nts_server = { certificate = \"/c.pem\"; key = \"/k pem\"; };\n",
	           "p.cfg:4",
	           "nts_server.key: contains whitespace, which would add options to the directive");
	expect_one(HEAD LAN "nts_server = { certificate = \"/a.pem\"; key = \"/a.pem\"; };\n",
	           "p.cfg:4",
	           "nts_server: names one file as both certificate and key; chrony and NTPsec read "
	           "them from two files");
	expect_one(HEAD LAN "nts_server = { certificate = \"/c\"; key = \"/k\"; port = 4460; };\n",
	           "p.cfg:4",
	           "nts_server: unknown key \"port\"; expected one of: certificate, key");
	expect_one(HEAD NTS, "p.cfg:3",
	           "nts_server: a client-only host serves no one, so it has nothing to serve NTS "
	           "for: use the lan or public policy, or leave nts_server out");
	expect_one(HEAD "options = { hwtimestamp = ( \"eth0;x\" ); };\n", "p.cfg:3",
	           "options.hwtimestamp[0]: is not an interface name: only letters, digits and . _ "
	           "- are taken (or * for every interface)");
	expect_one(HEAD "options = { hwtimestamp = ( \"eth0\", \"eth0\" ); };\n", "p.cfg:3",
	           "options.hwtimestamp[1]: names an interface twice");
	expect_one(HEAD "options = { hwtimestamp = ( \"abcdefghijklmnop\" ); };\n", "p.cfg:3",
	           "options.hwtimestamp[0]: is longer than an interface name can be (15 "
	           "characters)");
	expect_one(HEAD "options = { hwtimestamp = \"eth0\"; };\n", "p.cfg:3",
	           "options.hwtimestamp: must be a list: ( ... ) or [ ... ]");
}
END_TEST

START_TEST(render_chrony_and_ntpsec)
{
	struct strbuf out;

	ck_assert_int_eq(parse(HEAD LAN "options = { hwtimestamp = ( \"eth0\" ); };\n" NTS), 0);
	ck_assert_msg(render(DAEMON_CHRONY, FAMILY_DEBIAN, &out) == 0, "%s", dump(&errs));
	ck_assert_msg(strstr(strbuf_str(&out),
	                     "\n# Serving NTS (nts_server): clients get their keys over NTS-KE,\n"
	                     "# TCP port 4460, then use authenticated NTP on port 123. chronyd\n"
	                     "# reads both files after dropping root privileges.\n"
	                     "ntsservercert /etc/chrony/cert.pem\n"
	                     "ntsserverkey /etc/chrony/key.pem\n"),
	              "%s", strbuf_str(&out));
	ck_assert_msg(strstr(strbuf_str(&out), "\nntsdumpdir /var/lib/chrony\n"), "%s",
	              strbuf_str(&out));
	ck_assert_msg(strstr(strbuf_str(&out), "\nhwtimestamp eth0\n"), "%s", strbuf_str(&out));
	/* the live host has eth0 (fake /sys/class/net/eth0): no note */
	ck_assert_msg(errs.n == 0, "%s", dump(&errs));
	/* the key's content never reaches the file */
	ck_assert_ptr_null(strstr(strbuf_str(&out), "SECRETKEYMATERIAL"));
	strbuf_free(&out);

	s->hwtimestamp.n = 0;
	ck_assert_msg(render(DAEMON_NTPSEC, FAMILY_DEBIAN, &out) == 0, "%s", dump(&errs));
	ck_assert_msg(strstr(strbuf_str(&out), "\nnts key /etc/chrony/key.pem\n"
	                                       "nts cert /etc/chrony/cert.pem\n"
	                                       "nts enable\n"),
	              "%s", strbuf_str(&out));
	ck_assert_ptr_null(strstr(strbuf_str(&out), "ntsdumpdir"));
	strbuf_free(&out);
}
END_TEST

START_TEST(refusals_name_the_daemon)
{
	struct strbuf out;
	static const struct {
		enum daemon_id d;
		const char *msg;
	} nts[] =
	    {
	        {DAEMON_NTP,
	         "nts_server: ntp: ntpd from ntp.org 4.2.8 has no NTS; to serve NTS use "
	         "chrony or ntpsec, or leave nts_server out"},
	        {DAEMON_OPENNTPD, "nts_server: openntpd: OpenNTPD cannot serve NTS; use chrony or "
	                          "ntpsec, or leave nts_server out"},
	    },
	  hw[] = {
	      {DAEMON_NTP, "options.hwtimestamp: ntp: ntpd from ntp.org 4.2.8 has no hardware "
	                   "timestamping of NTP packets; use chrony, or leave hwtimestamp out"},
	      {DAEMON_NTPSEC, "options.hwtimestamp: ntpsec: NTPsec has no hardware timestamping of "
	                      "NTP packets; use chrony, or leave hwtimestamp out"},
	      {DAEMON_OPENNTPD, "options.hwtimestamp: openntpd: OpenNTPD has no hardware "
	                        "timestamping; use chrony, or leave hwtimestamp out"},
	      {DAEMON_TIMESYNCD,
	       "options.hwtimestamp: timesyncd: systemd-timesyncd has no hardware "
	       "timestamping; use chrony, or leave hwtimestamp out"},
	  };

	/* public: OpenNTPD can serve everyone, so only the NTS refusal is left */
	ck_assert_int_eq(parse(HEAD "restrict = { policy = \"public\"; };\n" NTS), 0);
	for (size_t i = 0; i < sizeof(nts) / sizeof(nts[0]); i++) {
		ck_assert_int_eq(render(nts[i].d, FAMILY_GENERIC, &out), -1);
		ck_assert_msg(errs.n == 1 && strcmp(errs.v[0].message, nts[i].msg) == 0 &&
		                  strcmp(errs.v[0].where, "p.cfg:4") == 0,
		              "%s", dump(&errs));
		ck_assert_uint_eq(out.len, 0);
		strbuf_free(&out);
	}
	ck_assert_int_eq(parse(HEAD "options = { hwtimestamp = ( \"*\" ); };\n"), 0);
	for (size_t i = 0; i < sizeof(hw) / sizeof(hw[0]); i++) {
		ck_assert_int_eq(render(hw[i].d, FAMILY_GENERIC, &out), -1);
		ck_assert_msg(errs.n == 1 && strcmp(errs.v[0].message, hw[i].msg) == 0 &&
		                  strcmp(errs.v[0].where, "p.cfg:3") == 0,
		              "%s", dump(&errs));
		strbuf_free(&out);
	}
}
END_TEST

/* one error, this message, nothing rendered */
static void expect_file_error(const char *message)
{
	struct strbuf out;

	ck_assert_int_eq(render(DAEMON_CHRONY, FAMILY_DEBIAN, &out), -1);
	ck_assert_msg(errs.n == 1 && strcmp(errs.v[0].message, message) == 0, "want %s, got%s",
	              message, dump(&errs));
	ck_assert_uint_eq(out.len, 0);
	ck_assert_ptr_null(strstr(dump(&errs), "SECRETKEYMATERIAL"));
	strbuf_free(&out);
}

START_TEST(file_checks)
{
	struct strbuf out;

	ck_assert_int_eq(parse(HEAD LAN NTS), 0);
	fake_sysops_reset();
	fake_sysops_put_mode(1, "/etc/chrony/key.pem", KEY, 0640, 0, 101);
	expect_file_error("nts_server.certificate: /etc/chrony/cert.pem cannot be read: No such "
	                  "file or directory");
	fake_sysops_put_mode(1, "/etc/chrony/cert.pem", "hello\n", 0644, 0, 0);
	expect_file_error("nts_server.certificate: /etc/chrony/cert.pem is not a PEM certificate "
	                  "(no \"-----BEGIN CERTIFICATE-----\" line); name the full chain, e.g. "
	                  "fullchain.pem");
	fake_sysops_put_mode(1, "/etc/chrony/cert.pem", CERT, 0644, 0, 0);
	fake_sysops_put_mode(1, "/etc/chrony/key.pem", KEY, 0644, 0, 0);
	expect_file_error("nts_server.key: every user may read /etc/chrony/key.pem; a private key "
	                  "others can read is no secret. Make it readable by root and the daemon "
	                  "only (chown root:_chrony, chmod 640), replace the key and its "
	                  "certificate, and apply again");
	fake_sysops_put_mode(1, "/etc/chrony/key.pem", KEY, 0604, 0, 0);
	expect_file_error("nts_server.key: every user may read /etc/chrony/key.pem; a private key "
	                  "others can read is no secret. Make it readable by root and the daemon "
	                  "only (chown root:_chrony, chmod 640), replace the key and its "
	                  "certificate, and apply again");
	fake_sysops_put_mode(1, "/etc/chrony/key.pem", CERT, 0640, 0, 101);
	expect_file_error("nts_server.key: /etc/chrony/key.pem is not a PEM private key (no "
	                  "\"-----BEGIN ... PRIVATE KEY-----\" line)");
	fake_sysops_put_mode(1, "/etc/chrony/key.pem",
	                     "-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED "
	                     "PRIVATE KEY-----\n",
	                     0640, 0, 101);
	expect_file_error("nts_server.key: /etc/chrony/key.pem is an encrypted private key; the "
	                  "daemon cannot ask for a passphrase");
	fake_sysops_put_mode(1, "/etc/letsencrypt/archive/k1.pem", KEY, 0600, 0, 0);
	fake_sysops_symlink(1, "/etc/chrony/key.pem", "/etc/letsencrypt/archive/k1.pem");
	expect_file_error("nts_server.key: /etc/chrony/key.pem is a symbolic link; name the file "
	                  "itself (for example a copy a certbot deploy hook makes for the "
	                  "daemon), so that its owner and mode can be checked");
	/* root only: chronyd (after dropping root) cannot read it: a warning */
	fake_sysops_reset();
	fake_sysops_put_mode(1, "/etc/chrony/cert.pem", CERT, 0644, 0, 0);
	fake_sysops_put_mode(1, "/etc/chrony/key.pem", "-----BEGIN EC PRIVATE KEY-----\r\nx\r\n",
	                     0600, 0, 0);
	ck_assert_int_eq(render(DAEMON_CHRONY, FAMILY_DEBIAN, &out), 0);
	ck_assert_msg(errs.n == 1 && errs.v[0].severity == ERR_WARNING &&
	                  strcmp(errs.v[0].message,
	                         "nts_server.key: only root may read /etc/chrony/key.pem, but "
	                         "chronyd reads it after dropping root privileges: chown "
	                         "root:_chrony and chmod 640 it") == 0,
	              "%s", dump(&errs));
	strbuf_free(&out);
	/* NTPsec: no such warning; its group in the refusal */
	ck_assert_int_eq(render(DAEMON_NTPSEC, FAMILY_DEBIAN, &out), 0);
	ck_assert_msg(errs.n == 0, "%s", dump(&errs));
	strbuf_free(&out);
	fake_sysops_put_mode(1, "/etc/chrony/key.pem", KEY, 0666, 0, 0);
	ck_assert_int_eq(render(DAEMON_NTPSEC, FAMILY_DEBIAN, &out), -1);
	ck_assert_msg(errs.n == 1 && strstr(errs.v[0].message, "(chown root:ntpsec, chmod 640)"),
	              "%s", dump(&errs));
	strbuf_free(&out);
}
END_TEST

START_TEST(hwtimestamp_live_host)
{
	struct strbuf out;

	ck_assert_int_eq(parse(HEAD "options = { hwtimestamp = ( \"eth0\", \"nosuch0\" ); };\n"),
	                 0);
	ck_assert_int_eq(render(DAEMON_CHRONY, FAMILY_DEBIAN, &out), -1);
	ck_assert_msg(errs.n == 1 &&
	                  strcmp(errs.v[0].message,
	                         "options.hwtimestamp: this host has no interface nosuch0 (no "
	                         "/sys/class/net/nosuch0), and chronyd stops at start on an "
	                         "interface it cannot timestamp on; name an existing interface, "
	                         "or \"*\"") == 0,
	              "%s", dump(&errs));
	strbuf_free(&out);
	ck_assert_int_eq(parse(HEAD "options = { hwtimestamp = ( \"*\" ); };\n"), 0);
	ck_assert_int_eq(render(DAEMON_CHRONY, FAMILY_DEBIAN, &out), 0);
	ck_assert_msg(errs.n == 0, "%s", dump(&errs));
	strbuf_free(&out);
}
END_TEST

static void import(enum daemon_id d, const char *text, struct import_notes *notes)
{
	errlist_free(&errs);
	errlist_init(&errs);
	model_init(s);
	import_notes_init(notes);
	ck_assert_int_eq(
	    import_text(backend_find(d), FAMILY_DEBIAN, text, strlen(text), s, notes, &errs), 0);
}

static bool has_note(const struct import_notes *n, int line, const char *reason)
{
	for (size_t i = 0; i < n->n; i++)
		if (n->v[i].line == line && strcmp(n->v[i].reason, reason) == 0)
			return true;
	return false;
}

START_TEST(import_back)
{
	struct import_notes n;

	import(DAEMON_CHRONY,
	       "server 192.0.2.1 iburst\nallow 192.168.0.0/16\nntsservercert /etc/c.pem\n"
	       "ntsserverkey /etc/k.pem\nntsdumpdir /var/lib/chrony\nhwtimestamp eth0\n"
	       "hwtimestamp * rxfilter all\n",
	       &n);
	ck_assert_str_eq(s->nts_server.certificate, "/etc/c.pem");
	ck_assert_str_eq(s->nts_server.key, "/etc/k.pem");
	ck_assert_uint_eq(s->hwtimestamp.n, 2);
	ck_assert_str_eq(s->hwtimestamp.v[1].name, "*");
	ck_assert_msg(n.n == 1 && has_note(&n, 7,
	                                   "ntpwiz writes hwtimestamp with the interface only; the "
	                                   "options after it (compensations, rxfilter, polling) "
	                                   "are not kept"),
	              "%zu notes: %s", n.n, n.n ? n.v[0].reason : "");
	import_notes_free(&n);

	/* client-only: nothing to serve, noted */
	import(DAEMON_CHRONY,
	       "server 192.0.2.1\nntsservercert /etc/c.pem\nntsserverkey /etc/k.pem\n", &n);
	ck_assert_str_eq(s->nts_server.certificate, "");
	ck_assert(has_note(&n, 2,
	                   "this host serves no one, so it serves no NTS either; the "
	                   "certificate and key are not kept"));
	import_notes_free(&n);

	import(DAEMON_NTPSEC,
	       "server 192.0.2.1\nrestrict default kod limited nomodify noquery\n"
	       "nts key /etc/k.pem\nnts cert /etc/c.pem\nnts enable mintls TLS1.3\n",
	       &n);
	ck_assert_str_eq(s->nts_server.certificate, "/etc/c.pem");
	ck_assert_str_eq(s->nts_server.key, "/etc/k.pem");
	ck_assert(has_note(&n, 5,
	                   "ntpwiz writes only nts enable, nts cert and nts key; the other "
	                   "options of this line are not kept"));
	import_notes_free(&n);

	import(DAEMON_NTPSEC,
	       "server 192.0.2.1\nrestrict default kod limited nomodify noquery\n"
	       "nts cert /etc/c.pem key /etc/k.pem\n",
	       &n);
	ck_assert_str_eq(s->nts_server.certificate, "");
	ck_assert(has_note(&n, 3,
	                   "NTS serving is not enabled (no \"nts enable\"), so the "
	                   "certificate and key are not kept"));
	import_notes_free(&n);

	/* ntp.org's ntpd has no nts: not read as NTS */
	import(DAEMON_NTP,
	       "server 192.0.2.1\nrestrict default kod limited nomodify noquery\n"
	       "nts enable\n",
	       &n);
	ck_assert_str_eq(s->nts_server.certificate, "");
	import_notes_free(&n);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("nts");
	TCase *tc = tcase_create("nts");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, ifnames);
	tcase_add_test(tc, profile_round_trip);
	tcase_add_test(tc, profile_errors);
	tcase_add_test(tc, render_chrony_and_ntpsec);
	tcase_add_test(tc, refusals_name_the_daemon);
	tcase_add_test(tc, file_checks);
	tcase_add_test(tc, hwtimestamp_live_host);
	tcase_add_test(tc, import_back);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return testhelp_run(suite());
}
