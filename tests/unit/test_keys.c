/*
 * test_keys: issue 16 sections 2 (symmetric keys) and 8 (operator lines,
 * "extra"). What a user notices: the profile loads or is refused with a
 * message naming the field and the daemon, the bytes of the config and of
 * the daemon's key file, what import brings back, and that no message ever
 * holds a secret.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "backend.h"
#include "detect.h"
#include "sysops.h"
#include "errlist.h"
#include "extra.h"
#include "fake_sysops.h"
#include "import.h"
#include "keys.h"
#include "model.h"
#include "profile.h"
#include "strbuf.h"
#include "testhelp.h"

#define SECRET_HEX "000102030405060708090A0B0C0D0E0F"
#define SECRET_SHA1 "DEADBEEFCAFEBABE00112233445566778899AABB"
#define KEYS_TEXT                                                                                  \
	"# keys\n"                                                                                 \
	"1 AES128 HEX:" SECRET_HEX "\n"                                                            \
	"2 SHA1 HEX:" SECRET_SHA1 "\n"                                                             \
	"3 MD5 sekrit99\n"

static struct setup *s, *s2;
static struct errlist errs;

static void fixture_setup(void)
{
	s = calloc(1, sizeof(*s));
	s2 = calloc(1, sizeof(*s2));
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(s2);
	errlist_init(&errs);
	fake_sysops_reset();
}

static void fixture_teardown(void)
{
	errlist_free(&errs);
	free(s);
	free(s2);
}

static const char *dump(const struct errlist *e)
{
	static char buf[4096];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < e->n && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\n  [%zu] %s: %s", i,
		                      e->v[i].where, e->v[i].message);
	return buf;
}

/* No error message may hold any part of a secret. */
static void assert_no_secret(const struct errlist *e, const char *secret)
{
	char part[9];

	for (size_t o = 0; o + 8 <= strlen(secret); o += 4) {
		snprintf(part, sizeof(part), "%.8s", secret + o);
		for (size_t i = 0; i < e->n; i++)
			ck_assert_msg(!strstr(e->v[i].message, part) &&
			                  !strstr(e->v[i].where, part),
			              "secret part %s in: %s", part, dump(e));
	}
}

static int parse(const char *text)
{
	errlist_free(&errs);
	errlist_init(&errs);
	return profile_parse(text, "p.cfg", s, &errs);
}

static bool has_error(const char *where, const char *needle)
{
	for (size_t i = 0; i < errs.n; i++)
		if ((!where || strcmp(errs.v[i].where, where) == 0) &&
		    strstr(errs.v[i].message, needle))
			return true;
	return false;
}

#define PROFILE_KEYS                                                                               \
	"version = 1; daemon = \"chrony\";\n"                                                      \
	"servers = ( { host = \"ntp1.example.net\"; key = 1; },\n"                                 \
	"            { host = \"ntp2.example.net\"; key = 2; } );\n"                               \
	"keys = { file = \"/etc/ntpwiz/keys\"; };\n"

/* ---- profile and model ---- */

START_TEST(test_profile_key_and_file)
{
	ck_assert_msg(parse(PROFILE_KEYS) == 0, "%s", dump(&errs));
	ck_assert_uint_eq(s->servers[0].key, 1);
	ck_assert_uint_eq(s->servers[1].key, 2);
	ck_assert_str_eq(s->keys.file, "/etc/ntpwiz/keys");
	ck_assert(!s->keys.ntp_format);
}
END_TEST

START_TEST(test_profile_key_range)
{
	ck_assert_int_eq(parse("version = 1; servers = ( { host = \"a.example\"; key = 0; } );\n"
	                       "keys = { file = \"/k\"; };\n"),
	                 -1);
	ck_assert_msg(has_error("p.cfg:1", "servers[0].key: must be a key ID between 1 and 65535"),
	              "%s", dump(&errs));
	ck_assert_int_eq(
	    parse("version = 1; servers = ( { host = \"a.example\"; key = 65536; } );\n"
	          "keys = { file = \"/k\"; };\n"),
	    -1);
	ck_assert_msg(has_error(NULL, "between 1 and 65535"), "%s", dump(&errs));
	ck_assert_int_eq(
	    parse("version = 1; servers = ( { host = \"a.example\"; key = \"1\"; } );\n"), -1);
	ck_assert_msg(has_error(NULL, "must be a whole number"), "%s", dump(&errs));
}
END_TEST

START_TEST(test_profile_key_needs_file)
{
	ck_assert_int_eq(parse("version = 1; servers = ( { host = \"a.example\"; key = 3; } );\n"),
	                 -1);
	ck_assert_msg(has_error("p.cfg:1", "servers[0].key: needs the key file"), "%s",
	              dump(&errs));
}
END_TEST

START_TEST(test_profile_key_not_with_nts)
{
	ck_assert_int_eq(parse("version = 1; servers = ( { host = \"a.example\"; key = 3; nts = "
	                       "true; } );\nkeys = { file = \"/k\"; };\n"),
	                 -1);
	ck_assert_msg(has_error(NULL, "cannot be combined with nts"), "%s", dump(&errs));
}
END_TEST

START_TEST(test_profile_keys_file_validated)
{
	ck_assert_int_eq(parse("version = 1; keys = { file = \"keys\"; };\n"), -1);
	ck_assert_msg(has_error("p.cfg:1", "keys.file:"), "%s", dump(&errs));
	ck_assert_int_eq(parse("version = 1; keys = { file = \"/k\"; format = \"x\"; };\n"), -1);
	ck_assert_msg(
	    has_error(NULL, "keys.format: unknown value \"x\"; expected one of: chrony, ntp"), "%s",
	    dump(&errs));
	ck_assert_int_eq(parse("version = 1; keys = { file = \"/k\"; secret = \"x\"; };\n"), -1);
	ck_assert_msg(has_error(NULL, "unknown key \"secret\""), "%s", dump(&errs));
}
END_TEST

START_TEST(test_profile_round_trip)
{
	struct strbuf out;

	ck_assert_msg(parse(PROFILE_KEYS
	                    "extra = { chrony = ( \"maxchange 1000 1 2\", \"logchange 0.5\" );"
	                    " ntpsec = ( \"tinker panic 0\" ); };\n") == 0,
	              "%s", dump(&errs));
	s->keys.ntp_format = true;
	strbuf_init(&out);
	ck_assert_int_eq(profile_format(s, &out, &errs), 0);
	ck_assert_msg(strstr(strbuf_str(&out), "key = 1;"), "%s", strbuf_str(&out));
	ck_assert_msg(strstr(strbuf_str(&out),
	                     "keys = { file = \"/etc/ntpwiz/keys\"; format = \"ntp\"; };\n"),
	              "%s", strbuf_str(&out));
	ck_assert_msg(strstr(strbuf_str(&out),
	                     "extra = {\n  ntpsec = ( \"tinker panic 0\" );\n"
	                     "  chrony = ( \"maxchange 1000 1 2\", \"logchange 0.5\" );\n"
	                     "};\n"),
	              "%s", strbuf_str(&out));
	ck_assert_int_eq(profile_parse(strbuf_str(&out), "again", s2, &errs), 0);
	ck_assert_uint_eq(s2->servers[1].key, 2);
	ck_assert(s2->keys.ntp_format);
	ck_assert_uint_eq(s2->extra[DAEMON_CHRONY].n, 2);
	ck_assert_str_eq(s2->extra[DAEMON_CHRONY].v[1].text, "logchange 0.5");
	ck_assert_str_eq(s2->extra[DAEMON_NTPSEC].v[0].text, "tinker panic 0");
	strbuf_free(&out);
}
END_TEST

/* ---- extra: the rules ---- */

START_TEST(test_extra_refusals)
{
	const char *why;

	ck_assert_ptr_null(extra_refusal(DAEMON_CHRONY, "maxchange 1000 1 2"));
	ck_assert_ptr_null(extra_refusal(DAEMON_NTP, "tinker panic 0"));
	ck_assert_ptr_null(extra_refusal(DAEMON_NTPSEC, "tos maxclock 11"));
	ck_assert_ptr_null(extra_refusal(DAEMON_NTPSEC, "tos minclock 4 maxclock 11"));
	ck_assert_ptr_null(extra_refusal(DAEMON_OPENNTPD, "sensor *"));
	ck_assert_ptr_null(extra_refusal(DAEMON_TIMESYNCD, "ConnectionRetrySec 30"));
	ck_assert_ptr_null(extra_refusal(DAEMON_CHRONY, "corrtimeratio -2.5"));

	/* what ntpwiz writes from selection and orphan is set there, naming
	 * the profile key (a second line would contradict the first) */
	static const struct {
		enum daemon_id d;
		const char *line, *says;
	} written[] = {
	    {DAEMON_CHRONY, "minsources 2", "\"minsources\" itself"},
	    {DAEMON_CHRONY, "maxdistance 3", "\"maxdistance\" itself"},
	    {DAEMON_CHRONY, "local stratum 10 orphan", "\"local\" itself"},
	    {DAEMON_TIMESYNCD, "RootDistanceMaxSec 10", "\"RootDistanceMaxSec\" itself"},
	    {DAEMON_NTPSEC, "tos minsane 2", "\"tos minsane\" itself from the profile; set "
	                                     "selection.minsources"},
	    {DAEMON_NTP, "tos maxclock 11 maxdist 2", "set selection.maxdistance"},
	    {DAEMON_NTP, "tos orphan 10", "set orphan.stratum"},
	};
	for (size_t i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		why = extra_refusal(written[i].d, written[i].line);
		ck_assert_msg(why && strstr(why, written[i].says), "%s: %s", written[i].line,
		              why ? why : "(accepted)");
	}

	/* access and remote control point at the policy, naming the daemon */
	static const struct {
		enum daemon_id d;
		const char *line;
	} access[] = {
	    {DAEMON_CHRONY, "allow 10.0.0.0/8"},
	    {DAEMON_CHRONY, "cmdallow all"},
	    {DAEMON_CHRONY, "bindcmdaddress 0.0.0.0"},
	    {DAEMON_CHRONY, "port 123"},
	    {DAEMON_CHRONY, "deny all"},
	    {DAEMON_NTP, "restrict default"},
	    {DAEMON_NTP, "controlkey 1"},
	    {DAEMON_NTP, "requestkey 1"},
	    {DAEMON_NTP, "enable mode7"},
	    {DAEMON_NTPSEC, "interface listen all"},
	    {DAEMON_NTPSEC, "restrict default"},
	    {DAEMON_OPENNTPD, "listen on *"},
	};
	for (size_t i = 0; i < sizeof(access) / sizeof(access[0]); i++) {
		why = extra_refusal(access[i].d, access[i].line);
		ck_assert_msg(why && strstr(why, "access policy") &&
		                  strstr(why, model_daemon_name(access[i].d)),
		              "%s: %s", access[i].line, why ? why : "(accepted)");
	}
	why = extra_refusal(DAEMON_CHRONY, "server evil.example");
	ck_assert_msg(why && strstr(why, "ntpwiz writes chrony's \"server\" itself"), "%s", why);
	why = extra_refusal(DAEMON_NTP, "keys /etc/ntp.keys");
	ck_assert_msg(why && strstr(why, "itself"), "%s", why);
	why = extra_refusal(DAEMON_CHRONY, "include /tmp/x.conf");
	ck_assert_msg(why && strstr(why, "read files ntpwiz does not check"), "%s", why);
	why = extra_refusal(DAEMON_CHRONY, "frobnicate 1");
	ck_assert_msg(why && strstr(why, "\"frobnicate\" is not a directive chrony documents "
	                                 "(chrony.conf(5))"),
	              "%s", why);
	/* words: the same gate as every value */
	ck_assert_msg((why = extra_refusal(DAEMON_CHRONY, "maxdistance 3\ncmdallow all")) &&
	                  strstr(why, "control character"),
	              "%s", why);
	ck_assert_msg((why = extra_refusal(DAEMON_NTP, "tinker panic 0 # x")) && strstr(why, "'#'"),
	              "%s", why);
	ck_assert_msg((why = extra_refusal(DAEMON_OPENNTPD, "sensor \"nmea0\"")) &&
	                  strstr(why, "'\"'"),
	              "%s", why);
	ck_assert_ptr_nonnull(extra_refusal(DAEMON_CHRONY, "maxdistance 3\\"));
	ck_assert_ptr_nonnull(extra_refusal(DAEMON_CHRONY, "maxdistance  3"));
	ck_assert_ptr_nonnull(extra_refusal(DAEMON_CHRONY, " maxdistance 3"));
	ck_assert_ptr_nonnull(extra_refusal(DAEMON_CHRONY, "maxdistance 3;"));
	ck_assert_ptr_nonnull(extra_refusal(DAEMON_CHRONY, "maxdistance -x"));
	ck_assert_ptr_nonnull(extra_refusal(DAEMON_CHRONY, ""));
	ck_assert_ptr_nonnull(extra_refusal(DAEMON_TIMESYNCD, "RootDistanceMaxSec"));
	ck_assert_ptr_nonnull(extra_refusal(DAEMON_TIMESYNCD, "RootDistanceMaxSec=5"));
	ck_assert_ptr_nonnull(extra_refusal(DAEMON_TIMESYNCD, "NTP 1.2.3.4"));
	ck_assert_ptr_nonnull(extra_refusal(DAEMON_AUTO, "maxdistance 3"));
}
END_TEST

START_TEST(test_extra_profile_refusal_names_field)
{
	ck_assert_int_eq(parse("version = 1;\nextra = { chrony = ( \"maxchange 1000 1 2\",\n"
	                       "\"cmdallow all\" ); };\n"),
	                 -1);
	ck_assert_msg(has_error("p.cfg:3", "extra.chrony[1]: chrony's \"cmdallow\" decides who may "
	                                   "reach or control the daemon"),
	              "%s", dump(&errs));
	ck_assert_int_eq(parse("version = 1; extra = { auto = ( \"x\" ); };\n"), -1);
	ck_assert_msg(has_error(NULL, "unknown key \"auto\""), "%s", dump(&errs));
}
END_TEST

/* ---- render ---- */

static const char *render(const struct backend *b, enum distro_family f, struct strbuf *out)
{
	strbuf_init(out);
	errlist_free(&errs);
	errlist_init(&errs);
	if (backend_render(b, s, f, out, &errs) < 0)
		return NULL;
	return strbuf_str(out);
}

START_TEST(test_render_chrony)
{
	struct strbuf out;
	const char *t;

	ck_assert_int_eq(parse(PROFILE_KEYS "extra = { chrony = ( \"maxchange 1000 1 2\" ); ntp = ( "
	                                    "\"tinker panic 0\" ); };\n"),
	                 0);
	ck_assert_msg((t = render(&backend_chrony, FAMILY_DEBIAN, &out)), "%s", dump(&errs));
	ck_assert_msg(strstr(t, "server ntp1.example.net iburst key 1\n"), "%s", t);
	ck_assert_msg(strstr(t, "\nkeyfile /etc/chrony/chrony.keys\n"), "%s", t);
	/* the operator lines come last, under their comment; another daemon's are not here */
	ck_assert_msg(strstr(t, "# Operator lines (the profile's extra): directives ntpwiz does "
	                        "not\n# model, checked only against the daemon's documented "
	                        "list.\nmaxchange 1000 1 2\n"),
	              "%s", t);
	ck_assert_msg(!strstr(t, "tinker"), "%s", t);
	strbuf_free(&out);
	ck_assert_msg((t = render(&backend_chrony, FAMILY_RHEL, &out)), "%s", dump(&errs));
	ck_assert_msg(strstr(t, "\nkeyfile /etc/chrony.keys\n"), "%s", t);
	strbuf_free(&out);
}
END_TEST

START_TEST(test_render_ntp_ntpsec)
{
	struct strbuf out;
	const char *t;

	ck_assert_int_eq(
	    parse("version = 1;\nservers = ( { host = \"a.example\"; key = 5; },\n"
	          "{ host = \"b.example\"; key = 2; }, { host = \"c.example\"; key = 5; "
	          "}, { host = \"d.example\"; } );\nkeys = { file = \"/k\"; };\n"
	          "extra = { ntpsec = ( \"tinker panic 0\" ); };\n"),
	    0);
	ck_assert_msg((t = render(&backend_ntpsec, FAMILY_DEBIAN, &out)), "%s", dump(&errs));
	ck_assert_msg(strstr(t, "server a.example iburst key 5\n"), "%s", t);
	ck_assert_msg(strstr(t, "server d.example iburst\n"), "%s", t);
	ck_assert_msg(strstr(t, "\nkeys /etc/ntpsec/ntp.keys\ntrustedkey 5 2\n"), "%s", t);
	ck_assert_msg(strstr(t, "\ntinker panic 0\n"), "%s", t);
	strbuf_free(&out);
	ck_assert_msg((t = render(&backend_ntp, FAMILY_RHEL, &out)), "%s", dump(&errs));
	ck_assert_msg(strstr(t, "\nkeys /etc/ntp.keys\ntrustedkey 5 2\n"), "%s", t);
	ck_assert_msg(!strstr(t, "tinker"), "%s", t);
	strbuf_free(&out);
}
END_TEST

START_TEST(test_render_refused_without_keys)
{
	struct strbuf out;

	ck_assert_int_eq(parse(PROFILE_KEYS), 0);
	ck_assert_ptr_null(render(&backend_openntpd, FAMILY_DEBIAN, &out));
	ck_assert_msg(has_error("p.cfg:2", "servers[0].key: OpenNTPD has no symmetric keys"), "%s",
	              dump(&errs));
	strbuf_free(&out);
	ck_assert_ptr_null(render(&backend_timesyncd, FAMILY_DEBIAN, &out));
	ck_assert_msg(has_error(NULL, "servers[1].key: systemd-timesyncd has no symmetric keys"),
	              "%s", dump(&errs));
	strbuf_free(&out);
}
END_TEST

START_TEST(test_render_timesyncd_extra)
{
	struct strbuf out;
	const char *t;

	ck_assert_int_eq(parse("version = 1; servers = ( { host = \"a.example\"; } );\n"
	                       "extra = { timesyncd = ( \"ConnectionRetrySec 30\" ); };\n"),
	                 0);
	ck_assert_msg((t = render(&backend_timesyncd, FAMILY_DEBIAN, &out)), "%s", dump(&errs));
	ck_assert_msg(strstr(t, "\nConnectionRetrySec=30\n"), "%s", t);
	ck_assert_msg(strstr(t, "[Time]") < strstr(t, "ConnectionRetrySec"), "%s", t);
	strbuf_free(&out);
}
END_TEST

/* ---- the key file ---- */

static int keys_from(const char *text, bool ntp, struct keyset *ks)
{
	errlist_free(&errs);
	errlist_init(&errs);
	return keys_parse(text, strlen(text), "/etc/ntpwiz/keys", ntp, ks, &errs);
}

START_TEST(test_keys_parse_and_render)
{
	struct keyset ks;
	struct strbuf out;
	char desc[64];

	ck_assert_msg(keys_from(KEYS_TEXT, false, &ks) == 0, "%s", dump(&errs));
	ck_assert_uint_eq(ks.n, 3);
	ck_assert_str_eq(keys_describe(DAEMON_CHRONY, &ks.v[0], desc, sizeof(desc)),
	                 "key 1 (AES128CMAC, set)");
	ck_assert_str_eq(keys_describe(DAEMON_CHRONY, &ks.v[2], desc, sizeof(desc)),
	                 "key 3 (MD5, set)");
	strbuf_init(&out);
	ck_assert_int_eq(keys_render(DAEMON_CHRONY, &ks, &out, &errs), 0);
	ck_assert_str_eq(strbuf_str(&out),
	                 "# Symmetric keys written by ntpwiz from the profile's keys.file.\n"
	                 "# ID TYPE KEY (chrony.conf(5), keyfile)\n"
	                 "1 AES128 HEX:" SECRET_HEX "\n"
	                 "2 SHA1 HEX:" SECRET_SHA1 "\n"
	                 "3 MD5 HEX:73656B7269743939\n");
	strbuf_free(&out);
	/* NTPsec: AES-128 is CMAC; a short key stays ASCII, a long one hex */
	strbuf_init(&out);
	ck_assert_int_eq(keys_render(DAEMON_NTPSEC, &ks, &out, &errs), 0);
	ck_assert_str_eq(strbuf_str(&out),
	                 "# Symmetric keys written by ntpwiz from the profile's keys.file.\n"
	                 "# keyno type key (ntp.keys(5))\n"
	                 "1 AES-128 " SECRET_HEX "\n"
	                 "2 SHA1 " SECRET_SHA1 "\n"
	                 "3 MD5 sekrit99\n");
	strbuf_free(&out);
	/* ntp.org 4.2.8: no CMAC; the AES key is left out of its file */
	strbuf_init(&out);
	ck_assert_int_eq(keys_render(DAEMON_NTP, &ks, &out, &errs), 0);
	ck_assert_msg(!strstr(strbuf_str(&out), SECRET_HEX), "%s", strbuf_str(&out));
	strbuf_free(&out);
	keys_clear(&ks);
	ck_assert_uint_eq(ks.n, 0);
}
END_TEST

START_TEST(test_keys_ntp_format)
{
	struct keyset ks;
	struct strbuf out;

	ck_assert_msg(keys_from("1 M sekrit99\n2 SHA1 " SECRET_SHA1 "\n", true, &ks) == 0, "%s",
	              dump(&errs));
	ck_assert_uint_eq(ks.v[1].len, 20);
	ck_assert(ks.v[0].ascii);
	strbuf_init(&out);
	ck_assert_int_eq(keys_render(DAEMON_CHRONY, &ks, &out, &errs), 0);
	ck_assert_msg(strstr(strbuf_str(&out), "2 SHA1 HEX:" SECRET_SHA1 "\n"), "%s",
	              strbuf_str(&out));
	strbuf_free(&out);
	/* the same hex string in chrony's syntax is 40 ASCII characters: too long */
	ck_assert_int_eq(keys_from("2 SHA1 " SECRET_SHA1 "\n", false, &ks), -1);
	assert_no_secret(&errs, SECRET_SHA1);
}
END_TEST

START_TEST(test_keys_errors_hold_no_secret)
{
	struct keyset ks;

	static const char *const bad[] = {
	    "1 AES128 HEX:" SECRET_SHA1 "\n", /* wrong length */
	    "1 AES128 HEX:" SECRET_HEX "Z\n",
	    "1 BLAKE HEX:" SECRET_HEX "\n",
	    "0 MD5 HEX:" SECRET_HEX "\n",
	    "1 MD5 HEX:" SECRET_HEX " extra\n",
	    "1 MD5 HEX:" SECRET_HEX "\n1 SHA1 HEX:" SECRET_HEX "\n",
	    "1 MD5 " SECRET_HEX "#x\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(keys_from(bad[i], false, &ks) == -1, "accepted: %s", bad[i]);
		ck_assert_msg(has_error(NULL, "") && errs.n > 0, "no message for %s", bad[i]);
		ck_assert_msg(strncmp(errs.v[0].where, "/etc/ntpwiz/keys:", 17) == 0, "%s",
		              dump(&errs));
		assert_no_secret(&errs, SECRET_HEX);
		assert_no_secret(&errs, SECRET_SHA1);
		ck_assert_uint_eq(ks.n, 0);
	}
}
END_TEST

START_TEST(test_keys_check)
{
	struct keyset ks;

	ck_assert_int_eq(parse(PROFILE_KEYS), 0);
	ck_assert_int_eq(keys_from("2 SHA1 HEX:" SECRET_SHA1 "\n", false, &ks), 0);
	ck_assert_int_eq(keys_check(DAEMON_CHRONY, s, &ks, &errs), -1);
	ck_assert_msg(has_error("p.cfg:2", "servers[0].key: key 1 is not in /etc/ntpwiz/keys"),
	              "%s", dump(&errs));
	ck_assert_int_eq(keys_from(KEYS_TEXT, false, &ks), 0);
	ck_assert_int_eq(keys_check(DAEMON_CHRONY, s, &ks, &errs), 0);
	ck_assert_int_eq(keys_check(DAEMON_NTPSEC, s, &ks, &errs), 0);
	ck_assert_int_eq(keys_check(DAEMON_NTP, s, &ks, &errs), -1);
	ck_assert_msg(has_error(NULL, "servers[0].key: key 1 (AES128CMAC, set): ntpd from ntp.org "
	                              "4.2.8 takes MD5 and SHA1 keys"),
	              "%s", dump(&errs));
	assert_no_secret(&errs, SECRET_HEX);
}
END_TEST

START_TEST(test_keys_load_refuses_readable_file)
{
	struct keyset ks;

	ck_assert_int_eq(parse(PROFILE_KEYS), 0);
	fake_sysops_put_mode(1, "/etc/ntpwiz/keys", KEYS_TEXT, 0644, 0, 0);
	ck_assert_int_eq(keys_load(s, &ks, &errs), -1);
	ck_assert_msg(has_error("p.cfg:4", "keys.file: every user may read /etc/ntpwiz/keys"), "%s",
	              dump(&errs));
	fake_sysops_put_mode(1, "/etc/ntpwiz/keys", KEYS_TEXT, 0640, 0, 0);
	errlist_free(&errs);
	errlist_init(&errs);
	ck_assert_msg(keys_load(s, &ks, &errs) == 0, "%s", dump(&errs));
	ck_assert_uint_eq(ks.n, 3);
	keys_clear(&ks);
	errlist_free(&errs);
	errlist_init(&errs);
	strcpy(s->keys.file, "/etc/ntpwiz/missing");
	ck_assert_int_eq(keys_load(s, &ks, &errs), -1);
	ck_assert_msg(has_error(NULL, "keys.file: /etc/ntpwiz/missing cannot be read"), "%s",
	              dump(&errs));
}
END_TEST

/* ---- import: render, then read back ---- */

static void import_back(const struct backend *b, const char *text, struct import_notes *notes)
{
	errlist_free(&errs);
	errlist_init(&errs);
	import_notes_init(notes);
	model_init(s2);
	notes->file = "/etc/x.conf";
	ck_assert_int_eq(import_text(b, FAMILY_DEBIAN, text, strlen(text), s2, notes, &errs), 0);
}

START_TEST(test_import_round_trip_chrony)
{
	struct strbuf out;
	struct import_notes notes;
	const char *t;

	ck_assert_int_eq(parse(PROFILE_KEYS "extra = { chrony = ( \"maxchange 1000 1 2\", "
	                                    "\"logchange 0.5\" ); };\n"),
	                 0);
	ck_assert_msg((t = render(&backend_chrony, FAMILY_DEBIAN, &out)), "%s", dump(&errs));
	import_back(&backend_chrony, t, &notes);
	ck_assert_uint_eq(s2->servers[0].key, 1);
	ck_assert_uint_eq(s2->servers[1].key, 2);
	ck_assert_str_eq(s2->keys.file, "/etc/chrony/chrony.keys");
	ck_assert(!s2->keys.ntp_format);
	ck_assert_uint_eq(s2->extra[DAEMON_CHRONY].n, 2);
	ck_assert_str_eq(s2->extra[DAEMON_CHRONY].v[0].text, "maxchange 1000 1 2");
	ck_assert_str_eq(s2->extra[DAEMON_CHRONY].v[1].text, "logchange 0.5");
	/* each kept line is named for the operator to confirm */
	size_t kept = 0;
	for (size_t i = 0; i < notes.n; i++)
		if (strstr(notes.v[i].reason, "kept as an operator line (extra.chrony)") &&
		    notes.v[i].fate == IMPORT_KEPT)
			kept++;
	ck_assert_uint_eq(kept, 2);
	import_notes_free(&notes);
	strbuf_free(&out);
}
END_TEST

START_TEST(test_import_round_trip_ntpsec)
{
	struct strbuf out;
	struct import_notes notes;
	const char *t;

	ck_assert_int_eq(parse("version = 1; daemon = \"ntpsec\";\nservers = ( { host = "
	                       "\"a.example\"; key = 7; } );\nkeys = { file = \"/k\"; };\n"
	                       "extra = { ntpsec = ( \"tinker panic 0\" ); };\n"),
	                 0);
	ck_assert_msg((t = render(&backend_ntpsec, FAMILY_DEBIAN, &out)), "%s", dump(&errs));
	import_back(&backend_ntpsec, t, &notes);
	ck_assert_uint_eq(s2->servers[0].key, 7);
	ck_assert_str_eq(s2->keys.file, "/etc/ntpsec/ntp.keys");
	ck_assert(s2->keys.ntp_format);
	ck_assert_uint_eq(s2->extra[DAEMON_NTPSEC].n, 1);
	ck_assert_str_eq(s2->extra[DAEMON_NTPSEC].v[0].text, "tinker panic 0");
	for (size_t i = 0; i < notes.n; i++)
		ck_assert_msg(!strstr(notes.v[i].text, "trustedkey"), "%s: %s", notes.v[i].text,
		              notes.v[i].reason);
	import_notes_free(&notes);
	strbuf_free(&out);
}
END_TEST

START_TEST(test_import_notes)
{
	struct import_notes notes;
	bool trusted = false, unused = false, refused = false;

	/* a trustedkey with a client's key; a refused access line stays a note */
	import_back(&backend_ntpsec,
	            "server a.example key 1\nkeys /etc/ntpsec/ntp.keys\ntrustedkey 1 9\n"
	            "controlkey 9\n",
	            &notes);
	for (size_t i = 0; i < notes.n; i++) {
		trusted |= strstr(notes.v[i].text, "trustedkey 1 9") &&
		           strstr(notes.v[i].reason, "trusts exactly the keys its servers use");
		refused |=
		    strstr(notes.v[i].text, "controlkey") && notes.v[i].fate == IMPORT_DROPPED;
	}
	ck_assert(trusted);
	ck_assert(refused);
	ck_assert_uint_eq(s2->extra[DAEMON_NTPSEC].n, 0);
	import_notes_free(&notes);
	/* a key file no server uses */
	import_back(&backend_chrony, "server a.example\nkeyfile /etc/chrony/chrony.keys\n", &notes);
	for (size_t i = 0; i < notes.n; i++)
		unused |= strstr(notes.v[i].reason, "no server uses a key from this file") != NULL;
	ck_assert(unused);
	ck_assert_str_eq(s2->keys.file, "");
	import_notes_free(&notes);
}
END_TEST

/* ---- apply and rollback: the key file is part of the change ---- */

static void host_debian(struct detect_info *h)
{
	memset(h, 0, sizeof(*h));
	distro_parse_os_release("ID=debian\n", &h->distro);
	h->init = INIT_NONE;
	for (int d = 1; d < DAEMON_COUNT; d++)
		h->daemons[d].backend = backend_find((enum daemon_id)d);
	h->daemons[DAEMON_CHRONY].installed = true;
}

static int apply_once(const struct detect_info *h, struct apply_report *rep)
{
	struct apply_opts o = {.verify_timeout_ms = 1000};

	errlist_free(&errs);
	errlist_init(&errs);
	return apply_run(s, &backend_chrony, h, &o, rep, &errs);
}

/* Three applies in the same second, each with other keys, then
 * rollbacks: each puts back the key file of the apply before (its backup is
 * found by the config backup's own name, not by the second alone). */
START_TEST(test_apply_rollback_pairs_key_file)
{
	static struct detect_info h;
	static struct apply_report rep;
	struct apply_opts o = {.verify_timeout_ms = 1000};
	static const char *const sha[] = {SECRET_SHA1, "00112233445566778899AABBCCDDEEFF00112233",
	                                  "FFEEDDCCBBAA99887766554433221100FFEEDDCC"};
	char keys[3][512], text[256];
	const char *kf;

	sysops_set_root("/");
	fake_sysops_put(1, "/etc/os-release", "ID=debian\n");
	fake_sysops_put(1, "/etc/group", "root:x:0:\n_chrony:x:113:\n");
	host_debian(&h);
	ck_assert_int_eq(parse(PROFILE_KEYS), 0);
	for (int i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), "1 AES128 HEX:%s\n2 SHA1 HEX:%s\n", SECRET_HEX,
		         sha[i]);
		fake_sysops_put_mode(1, "/etc/ntpwiz/keys", text, 0600, 0, 0);
		s->servers[0].iburst = i != 1; /* the config changes too */
		ck_assert_msg(apply_once(&h, &rep) == 0, "%s", dump(&errs));
		ck_assert_ptr_nonnull(kf = fake_sysops_get(1, "/etc/chrony/chrony.keys", NULL));
		ck_assert_msg(strstr(kf, sha[i]), "%s", kf);
		snprintf(keys[i], sizeof(keys[i]), "%s", kf);
	}
	for (int i = 1; i >= 0; i--) {
		errlist_free(&errs);
		errlist_init(&errs);
		ck_assert_msg(apply_rollback(&h, &o, &rep, &errs) == 0, "%s", dump(&errs));
		ck_assert_ptr_nonnull(kf = fake_sysops_get(1, "/etc/chrony/chrony.keys", NULL));
		ck_assert_str_eq(kf, keys[i]);
	}
	/* the first apply's pair: both files gone, as before */
	ck_assert_msg(apply_rollback(&h, &o, &rep, &errs) == 0, "%s", dump(&errs));
	ck_assert_ptr_null(fake_sysops_get(1, "/etc/chrony/chrony.keys", NULL));
	ck_assert_ptr_null(fake_sysops_get(1, "/etc/chrony/chrony.conf", NULL));
}
END_TEST

static Suite *keys_suite(void)
{
	Suite *su = suite_create("keys");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	tcase_add_test(tc, test_profile_key_and_file);
	tcase_add_test(tc, test_profile_key_range);
	tcase_add_test(tc, test_profile_key_needs_file);
	tcase_add_test(tc, test_profile_key_not_with_nts);
	tcase_add_test(tc, test_profile_keys_file_validated);
	tcase_add_test(tc, test_profile_round_trip);
	tcase_add_test(tc, test_extra_refusals);
	tcase_add_test(tc, test_extra_profile_refusal_names_field);
	tcase_add_test(tc, test_render_chrony);
	tcase_add_test(tc, test_render_ntp_ntpsec);
	tcase_add_test(tc, test_render_refused_without_keys);
	tcase_add_test(tc, test_render_timesyncd_extra);
	tcase_add_test(tc, test_keys_parse_and_render);
	tcase_add_test(tc, test_keys_ntp_format);
	tcase_add_test(tc, test_keys_errors_hold_no_secret);
	tcase_add_test(tc, test_keys_check);
	tcase_add_test(tc, test_keys_load_refuses_readable_file);
	tcase_add_test(tc, test_import_round_trip_chrony);
	tcase_add_test(tc, test_import_round_trip_ntpsec);
	tcase_add_test(tc, test_import_notes);
	tcase_add_test(tc, test_apply_rollback_pairs_key_file);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return testhelp_run(keys_suite());
}
