/*
 * test_import: each daemon's config into the model, and the notes about
 * what does not map (nothing dropped silently); import_current() against
 * the fake system (timesyncd's drop-in order, a missing file), and a
 * switch of daemons (ntpd's file rendered for chrony).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "fake_sysops.h"
#include "import.h"
#include "model.h"
#include "nts.h"
#include "refclock.h"
#include "strbuf.h"
#include "sysops.h"
#include "testhelp.h"

static struct setup s;
static struct import_notes notes;
static struct errlist errs;

static void fx_setup(void)
{
	model_init(&s);
	import_notes_init(&notes);
	errlist_init(&errs);
	fake_sysops_reset();
}

static void fx_teardown(void)
{
	import_notes_free(&notes);
	errlist_free(&errs);
	sysops_install(NULL);
}

static int import(const struct backend *b, const char *text)
{
	model_init(&s);
	s.daemon = b->id;
	import_notes_free(&notes);
	import_notes_init(&notes);
	return import_text(b, FAMILY_DEBIAN, text, strlen(text), &s, &notes, &errs);
}

/* The note about this line whose text starts with `text`, or NULL. */
static const struct import_note *note_at(int line, const char *text)
{
	for (size_t i = 0; i < notes.n; i++)
		if (notes.v[i].line == line && strncmp(notes.v[i].text, text, strlen(text)) == 0)
			return &notes.v[i];
	return NULL;
}

static char *render(const struct backend *b)
{
	struct strbuf out;
	struct errlist e;

	strbuf_init(&out);
	errlist_init(&e);
	ck_assert_msg(backend_render(b, &s, FAMILY_DEBIAN, &out, &e) == 0, "render: %s",
	              e.n ? e.v[0].message : "?");
	errlist_free(&e);
	return strbuf_detach(&out, NULL);
}

/* --- chrony ------------------------------------------------------------------------ */

START_TEST(chrony_sources_and_options)
{
	ck_assert_int_eq(import(&backend_chrony,
	                        "# comment\n"
	                        "! also a comment\n"
	                        "server a.example iburst prefer minpoll 4 maxpoll 6\n"
	                        "pool 2.debian.pool.ntp.org iburst maxsources 3\n"
	                        "server nts.example nts key 5 noselect\n"
	                        "pool p.example nts\n"
	                        "server bad;host iburst\n"
	                        "server a.example\n"
	                        "server c.example minpoll 30\n"),
	                 0);
	ck_assert_uint_eq(s.nservers, 5);
	ck_assert_str_eq(s.servers[0].host, "a.example");
	ck_assert(s.servers[0].iburst && s.servers[0].prefer);
	ck_assert_int_eq(s.servers[0].minpoll, 4);
	ck_assert_int_eq(s.servers[0].maxpoll, 6);
	ck_assert_int_eq(s.servers[0].line, 3);
	ck_assert_int_eq(s.servers[1].kind, SERVER_KIND_POOL);
	ck_assert(s.servers[2].nts && !s.servers[2].iburst);
	ck_assert(!s.servers[3].nts);
	ck_assert_int_eq(s.servers[4].minpoll, MODEL_POLL_UNSET);
	/* every option and line that did not make it is a note, with its line */
	ck_assert_ptr_nonnull(note_at(4, "maxsources 3"));
	ck_assert_ptr_nonnull(note_at(5, "key 5"));
	/* issue 16: noselect is carried */
	ck_assert_ptr_null(note_at(5, "noselect"));
	ck_assert(s.servers[2].noselect);
	ck_assert_ptr_nonnull(note_at(6, "nts"));
	ck_assert_ptr_nonnull(strstr(note_at(7, "server bad;host")->reason, "comment"));
	ck_assert_ptr_nonnull(strstr(note_at(8, "server a.example")->reason, "twice"));
	ck_assert_ptr_nonnull(strstr(note_at(9, "minpoll 30")->reason, "between -7 and 24"));
	ck_assert_int_eq(note_at(9, "minpoll 30")->fate, IMPORT_DROPPED);
	ck_assert_uint_eq(notes.n, 6);
	ck_assert_uint_eq(errs.n, 0);
}
END_TEST

START_TEST(chrony_clock_and_leap)
{
	ck_assert_int_eq(import(&backend_chrony, "pool p.example iburst\n"), 0);
	/* absent means off in chrony */
	ck_assert(!s.options.rtcsync);
	ck_assert(s.options.makestep_threshold == 0.0);
	ck_assert_int_eq(s.leap, LEAP_STEP);
	ck_assert_int_eq(import(&backend_chrony, "pool p.example\nmakestep 0.5 -1\nrtcsync\n"
	                                         "driftfile /var/lib/chrony/other.drift\n"
	                                         "leapsecmode slew\nleapsectz right/UTC\n"),
	                 0);
	ck_assert(s.options.rtcsync);
	ck_assert(s.options.makestep_threshold == 0.5);
	ck_assert_int_eq(s.options.makestep_limit, -1);
	ck_assert_str_eq(s.options.driftfile, "/var/lib/chrony/other.drift");
	ck_assert_int_eq(s.leap, LEAP_SLEW);
	ck_assert_int_eq(s.leap_line, 5);
	ck_assert_uint_eq(notes.n, 0);
	/* the smear recipe, spacing aside */
	ck_assert_int_eq(import(&backend_chrony,
	                        "pool p.example\nleapsecmode  slew\nleapsectz right/UTC\n"
	                        "maxslewrate 1000\nsmoothtime\t400 0.001024 leaponly\n"),
	                 0);
	ck_assert_int_eq(s.leap, LEAP_SMEAR);
	ck_assert_uint_eq(notes.n, 0);
	/* the Debian default drift file is no setting: the next daemon gets its own */
	ck_assert_int_eq(import(&backend_chrony, "pool p.example\n"
	                                         "driftfile /var/lib/chrony/chrony.drift\n"
	                                         "leapsecmode step\nsmoothtime 400 0.001\n"),
	                 0);
	ck_assert_str_eq(s.options.driftfile, "");
	ck_assert_int_eq(s.leap, LEAP_STEP);
	ck_assert_ptr_nonnull(note_at(3, "leapsecmode step"));
	ck_assert_ptr_nonnull(note_at(4, "smoothtime 400 0.001"));
}
END_TEST

START_TEST(chrony_access)
{
	ck_assert_int_eq(import(&backend_chrony, "pool p.example\n"), 0);
	ck_assert_int_eq(s.policy, POLICY_CLIENT_ONLY);
	ck_assert_int_eq(import(&backend_chrony,
	                        "pool p.example\nallow 10.0.0.0/8\nallow 192.168\n"
	                        "allow fd00::/8\nratelimit interval 3 burst 8 leak 2\n"
	                        "bindcmdaddress 127.0.0.1\nbindcmdaddress ::1\n"),
	                 0);
	ck_assert_int_eq(s.policy, POLICY_LAN);
	ck_assert_uint_eq(s.nallow, 3);
	ck_assert_str_eq(s.allow[1].cidr, "192.168.0.0/16");
	ck_assert_uint_eq(notes.n, 0);
	ck_assert_int_eq(import(&backend_chrony, "pool p.example\nallow\nallow 10.0.0.0/8\n"
	                                         "ratelimit interval 1 burst 16\n"),
	                 0);
	ck_assert_int_eq(s.policy, POLICY_PUBLIC);
	ck_assert_uint_eq(s.nallow, 0);
	ck_assert_ptr_nonnull(note_at(3, "allow 10.0.0.0/8"));
	ck_assert_ptr_nonnull(note_at(4, "ratelimit"));
	ck_assert_ptr_null(note_at(2, "allow"));
	/* port 0: nothing is served, whatever allow says */
	ck_assert_int_eq(import(&backend_chrony, "pool p.example\nallow all\nport 0\n"
	                                         "cmdallow 10.0.0.0/8\nbindcmdaddress 0.0.0.0\n"
	                                         "deny 10.1.0.0/16\nconfdir /etc/custom.d\n"),
	                 0);
	ck_assert_int_eq(s.policy, POLICY_CLIENT_ONLY);
	ck_assert_ptr_nonnull(strstr(note_at(2, "allow all")->reason, "port 0"));
	ck_assert_ptr_nonnull(note_at(4, "cmdallow"));
	ck_assert_ptr_nonnull(note_at(5, "bindcmdaddress 0.0.0.0"));
	ck_assert_ptr_nonnull(note_at(6, "deny"));
	/* a folder that is not the distribution's is named (the stock ones are
	 * kept through keep.*, see test_target) */
	ck_assert_ptr_nonnull(note_at(7, "confdir"));
	ck_assert_ptr_nonnull(strstr(note_at(7, "confdir")->reason, "no longer be read"));
	ck_assert(!s.keep.drop_in_dirs);
	/* notes come in line order */
	for (size_t i = 1; i < notes.n; i++)
		ck_assert_int_le(notes.v[i - 1].line, notes.v[i].line);
}
END_TEST

START_TEST(chrony_logging)
{
	ck_assert_int_eq(import(&backend_chrony, "pool p.example\nlogdir /var/log/chrony\n"), 0);
	ck_assert_str_eq(s.options.logdir, "");
	ck_assert_ptr_nonnull(note_at(2, "logdir"));
	ck_assert_int_eq(import(&backend_chrony,
	                        "log tracking measurements statistics\npool p.example\n"
	                        "logdir /var/log/chrony\n"),
	                 0);
	ck_assert_str_eq(s.options.logdir, "/var/log/chrony");
	ck_assert_uint_eq(notes.n, 0);
}
END_TEST

/* --- ntpd and NTPsec ------------------------------------------------------------------- */

START_TEST(ntp_policies)
{
	ck_assert_int_eq(import(&backend_ntpsec, "pool p.example iburst\nrestrict default ignore\n"
	                                         "restrict source nomodify noquery\n"
	                                         "restrict 127.0.0.1\nrestrict ::1\n"),
	                 0);
	ck_assert_int_eq(s.policy, POLICY_CLIENT_ONLY);
	ck_assert_uint_eq(notes.n, 0);
	ck_assert_int_eq(
	    import(&backend_ntp,
	           "pool p.example iburst\nrestrict -4 default ignore\nrestrict -6 default ignore\n"
	           "restrict 192.168.1.0 mask 255.255.255.0 kod limited notrap nomodify nopeer "
	           "noquery\n"
	           "restrict 2001:db8:: mask ffff:ffff:: kod limited nomodify noquery\n"
	           "restrict 10.0.0.0 mask 255.0.255.0 nomodify\n"
	           "restrict 10.9.9.9 ignore\n"
	           "restrict source notrap nomodify noquery\n"),
	    0);
	ck_assert_int_eq(s.policy, POLICY_LAN);
	ck_assert_uint_eq(s.nallow, 2);
	ck_assert_str_eq(s.allow[0].cidr, "192.168.1.0/24");
	ck_assert_str_eq(s.allow[1].cidr, "2001:db8::/32");
	ck_assert_ptr_null(note_at(4, "restrict"));
	ck_assert_ptr_nonnull(strstr(note_at(5, "restrict 2001")->reason, "notrap"));
	ck_assert_ptr_nonnull(strstr(note_at(6, "restrict 10.0.0.0")->reason, "mask"));
	ck_assert_ptr_nonnull(note_at(7, "restrict 10.9.9.9 ignore"));
	ck_assert_uint_eq(notes.n, 3);
	/* Debian's NTPsec default: public, and its nopeer noted */
	ck_assert_int_eq(import(&backend_ntpsec,
	                        "pool p.example iburst\n"
	                        "restrict default kod nomodify nopeer noquery limited\n"
	                        "restrict 127.0.0.1\nrestrict ::1\n"),
	                 0);
	ck_assert_int_eq(s.policy, POLICY_PUBLIC);
	ck_assert_int_eq(s.policy_line, 2);
	ck_assert_ptr_nonnull(note_at(2, "restrict default"));
	ck_assert_uint_eq(notes.n, 1);
	/* no default at all: ntpd answers everyone; said on line 0 */
	ck_assert_int_eq(
	    import(&backend_ntp, "server a.example\nrestrict 10.0.0.0 mask 255.0.0.0\n"), 0);
	ck_assert_int_eq(s.policy, POLICY_PUBLIC);
	ck_assert_ptr_nonnull(strstr(note_at(0, "restrict default")->reason, "no default"));
	ck_assert_ptr_nonnull(
	    strstr(note_at(2, "restrict 10.0.0.0")->reason, "query ntpd's status"));
	/* only IPv4 shut: IPv6 is open */
	ck_assert_int_eq(import(&backend_ntp, "server a.example\nrestrict -4 default ignore\n"), 0);
	ck_assert_int_eq(s.policy, POLICY_PUBLIC);
	ck_assert_ptr_nonnull(note_at(0, "restrict -6 default"));
}
END_TEST

START_TEST(ntp_sources_leap_logging)
{
	ck_assert_int_eq(
	    import(&backend_ntpsec,
	           "server [2001:db8::1] iburst prefer # trailing comment\n"
	           "server 127.127.1.0\nfudge 127.127.1.0 stratum 10\n"
	           "server -4 b.example burst true\n"
	           "pool c.example nts\n"
	           "server d.example nts minpoll 3 maxpoll 2\n"
	           "driftfile /var/lib/ntpsec/ntp.drift\n"
	           "leapfile /var/lib/leap.list\n"
	           "statsdir /var/log/ntpsec/\nstatistics loopstats peerstats clockstats\n"
	           "includefile /etc/ntpsec/extra.conf\n"
	           "restrict default ignore\nrestrict 127.0.0.1\nrestrict ::1\n"
	           "restrict source nomodify noquery\n"),
	    0);
	ck_assert_uint_eq(s.nservers, 4);
	ck_assert_str_eq(s.servers[0].host, "2001:db8::1");
	ck_assert(s.servers[0].iburst && s.servers[0].prefer);
	ck_assert_ptr_nonnull(strstr(note_at(2, "server 127.127.1.0")->reason, "reference clock"));
	ck_assert_ptr_nonnull(note_at(3, "fudge"));
	ck_assert_ptr_nonnull(note_at(4, "-4"));
	ck_assert_ptr_nonnull(note_at(4, "burst"));
	/* issue 16: "true" is carried as trust */
	ck_assert_ptr_null(note_at(4, "true"));
	ck_assert(s.servers[1].trust);
	ck_assert_ptr_nonnull(note_at(5, "nts"));
	ck_assert_ptr_nonnull(strstr(note_at(6, "server d.example")->reason, "smaller"));
	ck_assert(s.servers[3].nts);
	ck_assert_int_eq(s.servers[3].maxpoll, MODEL_POLL_UNSET);
	ck_assert_str_eq(s.options.driftfile, ""); /* NTPsec's default on Debian */
	ck_assert_int_eq(s.leap, LEAP_STEP);
	ck_assert_ptr_nonnull(note_at(8, "leapfile /var/lib/leap.list"));
	ck_assert_str_eq(s.options.logdir, "/var/log/ntpsec");
	ck_assert_ptr_nonnull(strstr(note_at(11, "includefile")->reason, "no longer be read"));
	ck_assert_uint_eq(notes.n, 8);
	ck_assert_int_eq(import(&backend_ntp, "server a.example\nleapsmearinterval 86400\n"
	                                      "restrict default ignore\n"),
	                 0);
	ck_assert_int_eq(s.leap, LEAP_SMEAR);
}
END_TEST

/* --- OpenNTPD and timesyncd -------------------------------------------------------------- */

START_TEST(openntpd)
{
	ck_assert_int_eq(import(&backend_openntpd,
	                        "servers pool.ntp.org\nserver a.example weight 10\n"
	                        "server b.example weight 5 rtable 2\n"
	                        "constraints from \"https://www.google.com\"\n"
	                        "sensor *\n"),
	                 0);
	ck_assert_uint_eq(s.nservers, 3);
	ck_assert_int_eq(s.servers[0].kind, SERVER_KIND_POOL);
	ck_assert(s.servers[0].iburst); /* OpenNTPD always bursts at start */
	/* weight 10 is prefer; other weights are kept as they are (issue 12) */
	ck_assert(s.servers[1].prefer && !s.servers[2].prefer);
	ck_assert_int_eq(s.servers[2].weight, 5);
	ck_assert_ptr_null(note_at(3, "weight 5"));
	ck_assert_ptr_nonnull(note_at(3, "rtable"));
	/* issue 16: constraints are carried */
	ck_assert_ptr_null(note_at(4, "constraints"));
	ck_assert(s.constraints.set);
	ck_assert_uint_eq(s.constraints.n, 1);
	ck_assert_str_eq(s.constraints.v[0].from, "https://www.google.com");
	ck_assert(s.constraints.v[0].all);
	ck_assert_ptr_nonnull(note_at(5, "sensor"));
	ck_assert_int_eq(s.policy, POLICY_CLIENT_ONLY);
	ck_assert_int_eq(import(&backend_openntpd, "servers p.example\nlisten on 127.0.0.1\n"), 0);
	ck_assert_int_eq(s.policy, POLICY_CLIENT_ONLY);
	ck_assert_ptr_nonnull(note_at(2, "listen on 127.0.0.1"));
	ck_assert_int_eq(import(&backend_openntpd, "servers p.example\nlisten on *\n"), 0);
	ck_assert_int_eq(s.policy, POLICY_PUBLIC);
	ck_assert_int_eq(s.policy_line, 2);
	ck_assert_uint_eq(notes.n, 0);
}
END_TEST

START_TEST(timesyncd_one_file)
{
	ck_assert_int_eq(
	    import(&backend_timesyncd,
	           "# comment\n; comment\n[Time]\nNTP=a.example 2.debian.pool.ntp.org\n"
	           "NTP = b.example a.example\nFallbackNTP=c.example\n"
	           "PollIntervalMinSec=32\nPollIntervalMaxSec=1min\n"
	           "RootDistanceMaxSec=5\n[Other]\nX=1\n"),
	    0);
	ck_assert_uint_eq(s.nservers, 3); /* a.example once, as timesyncd does */
	ck_assert_int_eq(s.servers[0].kind, SERVER_KIND_SERVER);
	ck_assert_int_eq(s.servers[1].kind, SERVER_KIND_POOL);
	ck_assert_str_eq(s.servers[2].host, "b.example");
	ck_assert_int_eq(s.servers[0].minpoll, 5);
	ck_assert_int_eq(s.servers[2].maxpoll, MODEL_POLL_UNSET); /* 60 s: no power of two */
	ck_assert_ptr_nonnull(note_at(6, "FallbackNTP"));
	ck_assert_ptr_nonnull(note_at(8, "PollIntervalMaxSec"));
	/* issue 16: RootDistanceMaxSec is selection.maxdistance */
	ck_assert_ptr_null(note_at(9, "RootDistanceMaxSec"));
	ck_assert(s.selection.maxdistance == 5.0);
	ck_assert_ptr_nonnull(note_at(10, "[Other]"));
	ck_assert_ptr_nonnull(note_at(11, "X=1"));
	ck_assert_uint_eq(notes.n, 4);
	/* an empty NTP= clears what came before */
	ck_assert_int_eq(import(&backend_timesyncd, "[Time]\nNTP=a.example\nNTP=\nNTP=b.example\n"),
	                 0);
	ck_assert_uint_eq(s.nservers, 1);
	ck_assert_str_eq(s.servers[0].host, "b.example");
}
END_TEST

START_TEST(timesyncd_dropins)
{
	fake_sysops_put(1, "/etc/systemd/timesyncd.conf",
	                "[Time]\n#NTP=\nNTP=main.example\nConnectionRetrySec=5\n");
	fake_sysops_put(1, "/usr/lib/systemd/timesyncd.conf.d/10-vendor.conf",
	                "[Time]\nNTP=vendor.example\n");
	fake_sysops_put(1, "/etc/systemd/timesyncd.conf.d/10-vendor.conf",
	                "[Time]\nNTP=override.example\n");
	fake_sysops_put(1, "/etc/systemd/timesyncd.conf.d/ntpwiz.conf",
	                "[Time]\nNTP=ntpwiz.example\nFallbackNTP=f.example\n");
	fake_sysops_put(1, "/run/systemd/timesyncd.conf.d/zz.conf", "[Time]\nNTP=last.example\n");
	fake_sysops_put(1, "/run/systemd/timesyncd.conf.d/README", "NTP=not-read.example\n");
	ck_assert_int_eq(import_current(&backend_timesyncd, FAMILY_DEBIAN, &s, &notes, &errs), 0);
	ck_assert_uint_eq(s.nservers, 4);
	ck_assert_str_eq(s.servers[0].host, "main.example");
	ck_assert_str_eq(s.servers[1].host, "override.example"); /* /etc hides /usr/lib */
	ck_assert_str_eq(s.servers[2].host, "ntpwiz.example");
	ck_assert_str_eq(s.servers[3].host, "last.example");
	ck_assert_uint_eq(notes.n, 2);
	/* the main file stays as it is; ntpwiz's own drop-in is rewritten */
	ck_assert_str_eq(notes.v[0].file, "/etc/systemd/timesyncd.conf");
	ck_assert_int_eq(notes.v[0].fate, IMPORT_KEPT);
	ck_assert_str_eq(notes.v[1].file, "/etc/systemd/timesyncd.conf.d/ntpwiz.conf");
	ck_assert_int_eq(notes.v[1].fate, IMPORT_DROPPED);
}
END_TEST

/* ntpwiz's drop-in, as rendered, starts with an empty NTP=: the servers of
 * timesyncd.conf and of earlier drop-ins are no longer used, and that
 * reset is ntpwiz's own doing, not a note. */
START_TEST(timesyncd_rendered_dropin_replaces_main)
{
	struct strbuf out;
	struct setup want;
	struct server srv;

	strbuf_init(&out);
	model_init(&want);
	model_server_init(&srv);
	ck_assert_int_eq(model_set_server_host(&want, &srv, "host", "new.example", &errs), 0);
	ck_assert_int_eq(model_add_server(&want, &srv, "servers", &errs), 0);
	ck_assert_int_eq(backend_render(&backend_timesyncd, &want, FAMILY_DEBIAN, &out, &errs), 0);
	fake_sysops_put(1, "/etc/systemd/timesyncd.conf", "[Time]\nNTP=main.example\n");
	fake_sysops_put(1, "/usr/lib/systemd/timesyncd.conf.d/10-vendor.conf",
	                "[Time]\nNTP=vendor.example\n");
	fake_sysops_put(1, "/etc/systemd/timesyncd.conf.d/ntpwiz.conf", out.buf);
	ck_assert_int_eq(import_current(&backend_timesyncd, FAMILY_DEBIAN, &s, &notes, &errs), 0);
	ck_assert_uint_eq(s.nservers, 1);
	ck_assert_str_eq(s.servers[0].host, "new.example");
	ck_assert_uint_eq(notes.n, 0);
	strbuf_free(&out);
}
END_TEST

/* --- the current file, and switching daemons ------------------------------------------------ */

START_TEST(current_missing_and_unreadable)
{
	ck_assert_int_eq(import_current(&backend_chrony, FAMILY_DEBIAN, &s, &notes, &errs), 1);
	ck_assert_int_eq(s.daemon, DAEMON_CHRONY);
	ck_assert_int_eq(import_current(&backend_timesyncd, FAMILY_DEBIAN, &s, &notes, &errs), 1);
	fake_sysops_put(1, "/etc/chrony/chrony.conf", "pool p.example\n");
	fake_sysops_fail("read", "/etc/chrony/chrony.conf", 13 /* EACCES */);
	ck_assert_int_eq(import_current(&backend_chrony, FAMILY_DEBIAN, &s, &notes, &errs), -1);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_str_eq(errs.v[0].where, "/etc/chrony/chrony.conf");
	/* a NUL byte: not a text file, an error rather than a guess */
	ck_assert_int_eq(
	    import_text(&backend_chrony, FAMILY_DEBIAN, "pool a\0b", 8, &s, &notes, &errs), -1);
	ck_assert_ptr_nonnull(strstr(errs.v[1].message, "NUL"));
}
END_TEST

START_TEST(ntp_to_chrony)
{
	char *text;

	fake_sysops_put(
	    1, "/etc/ntp.conf",
	    "server 169.254.169.123 iburst prefer minpoll 4 maxpoll 4\n"
	    "pool time.aws.com iburst\ndriftfile /var/lib/ntp/ntp.drift\n"
	    "leapfile /usr/share/zoneinfo/leap-seconds.list\n"
	    "restrict -4 default ignore\nrestrict -6 default ignore\n"
	    "restrict 10.0.0.0 mask 255.0.0.0 kod limited notrap nomodify nopeer noquery\n"
	    "restrict source notrap nomodify noquery\n"
	    "restrict 127.0.0.1\nrestrict ::1\n");
	ck_assert_int_eq(import_current(&backend_ntp, FAMILY_DEBIAN, &s, &notes, &errs), 0);
	ck_assert_uint_eq(notes.n, 0);
	ck_assert_int_eq(s.servers[0].line, 1);
	s.daemon = DAEMON_CHRONY;
	text = render(&backend_chrony);
	ck_assert_str_eq(text,
	                 "# /etc/chrony/chrony.conf: chrony configuration written by ntpwiz.\n"
	                 "# Change it with ntpwiz (edit the profile, then \"ntpwiz apply\");\n"
	                 "# edits made here are replaced the next time it is applied.\n"
	                 "\n# Time sources\n"
	                 "server 169.254.169.123 iburst prefer minpoll 4 maxpoll 4\n"
	                 "pool time.aws.com iburst\n"
	                 "\n# Local clock\n"
	                 "driftfile /var/lib/chrony/chrony.drift\n"
	                 "makestep 1 3\nrtcsync\n"
	                 /* every server smears (Amazon): the host follows, no leapsectz */
	                 "\n# Leap seconds: every server smears the leap second, so this host\n"
	                 "# follows their clock and applies no leap second of its own (no\n"
	                 "# leapsectz: a local leap on top of a smeared one is up to 1 s off).\n"
	                 "\n# Access: serve time to these networks only, rate-limited.\n"
	                 "allow 10.0.0.0/8\n"
	                 "ratelimit interval 3 burst 8 leak 2\n"
	                 "bindcmdaddress 127.0.0.1\nbindcmdaddress ::1\n");
	free(text);
}
END_TEST

START_TEST(every_line_accounted_for)
{
	/* a file of directives ntpwiz does not write: one note each, none silent */
	static const char *const lines[] = {
	    "tos maxclock 11",       "keys /etc/ntp.keys", "trustedkey 1",  "controlkey 1",
	    "interface listen eth0", "disable monitor",    "tinker panic 0"};
	char text[512] = "";

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		strcat(strcat(text, lines[i]), "\n");
	strcat(text, "restrict default ignore\n");
	ck_assert_int_eq(import(&backend_ntp, text), 0);
	ck_assert_uint_eq(notes.n, sizeof(lines) / sizeof(lines[0]));
	for (size_t i = 0; i < notes.n; i++) {
		ck_assert_int_eq(notes.v[i].line, (int)i + 1);
		ck_assert_str_eq(notes.v[i].text, lines[i]);
		/* issue 16 section 8: documented directives ntpwiz does not
		 * model (tos, tinker) are kept as operator lines, with a note */
		ck_assert_int_eq(notes.v[i].fate,
		                 i == 0 || i == 6 ? IMPORT_KEPT : IMPORT_DROPPED);
		ck_assert_str_ne(notes.v[i].reason, "");
	}
	ck_assert_uint_eq(s.extra[DAEMON_NTP].n, 2);
	ck_assert_str_eq(s.extra[DAEMON_NTP].v[0].text, "tos maxclock 11");
	/* a line too long to read whole says so */
	ck_assert_int_eq(import(&backend_chrony,
	                        "server a.example iburst iburst iburst iburst iburst "
	                        "iburst iburst iburst iburst iburst iburst iburst "
	                        "iburst iburst iburst iburst iburst iburst iburst "
	                        "iburst iburst iburst iburst iburst iburst iburst "
	                        "iburst iburst iburst iburst iburst noselect\n"),
	                 0);
	ck_assert_uint_eq(s.nservers, 1);
	ck_assert_uint_eq(notes.n, 1);
	ck_assert_ptr_nonnull(strstr(notes.v[0].reason, "32nd"));
	/* control characters never reach a terminal through a note */
	ck_assert_int_eq(import(&backend_ntp, "bogus \x1b[31mred\n"), 0);
	ck_assert_ptr_null(strchr(notes.v[notes.n - 1].text, '\x1b'));
}
END_TEST

/* --- property: import(render(P)) == P ------------------------------------------------ */

/* A fixed-seed generator (LCG): the same profiles every run. */
static unsigned long seed;
static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(seed >> 33) % n;
}

static const char *const hosts[] = {
    "ntp1.example.net", "ntp2.example.org", "0.pool.ntp.org", "2.debian.pool.ntp.org",
    "192.0.2.7",        "198.51.100.3",     "2001:db8::123",  "time.example.com",
    "nts.example.net",  "10.1.2.3",         "fd00::7",        "clock.example.edu",
};
static const char *const nets[] = {"10.0.0.0/8", "192.168.1.0/24",  "172.16.0.0/12",
                                   "fd00::/8",   "2001:db8:1::/48", "198.51.100.7/32"};
static const char *const listens[] = {"192.168.1.1", "fd00::1"};

/* issue 16: source selection, orphan mode, constraints as d writes them */
static void generate_selection(enum daemon_id d, struct setup *p, struct errlist *e)
{
	static const char *const froms[] = {"www.example.com", "192.0.2.44",
	                                    "https://time.example.org/t?x=1", "2001:db8::44"};
	bool chrony = d == DAEMON_CHRONY, ntpd = d == DAEMON_NTP || d == DAEMON_NTPSEC;

	for (size_t i = 0; i < p->nservers; i++) {
		struct server *srv = &p->servers[i];
		if ((chrony || ntpd) && !srv->prefer && rnd(4) == 0)
			srv->noselect = true;
		else if ((chrony || ntpd) && rnd(4) == 0)
			srv->trust = true;
		if (chrony && rnd(3) == 0)
			srv->xleave = true;
		if (chrony && rnd(3) == 0)
			model_set_server_maxdelay(p, srv, "gen", 0.001 * (1 + rnd(3000)), e);
	}
	if ((chrony || ntpd) && rnd(2))
		model_set_minsources(p, "gen", 1 + (long)rnd(16), 0, e);
	if ((chrony || ntpd || d == DAEMON_TIMESYNCD) && rnd(2))
		model_set_maxdistance(p, "gen", 0.01 * (1 + rnd(1600)), 0, e);
	if ((chrony || ntpd) && p->policy != POLICY_CLIENT_ONLY && rnd(2))
		model_set_orphan(p, "gen", 1 + (long)rnd(15), 0, e);
	if (d == DAEMON_OPENNTPD && rnd(3) == 0) {
		p->constraints.set = true; /* off */
	} else if (d == DAEMON_OPENNTPD && rnd(2)) {
		for (size_t i = 0, k = 1 + rnd(4); i < k; i++)
			model_add_constraint(p, "gen", froms[i], rnd(2), 0, e);
	}
}

/* issue 16 section 5: reference clocks as d writes them */
static void generate_refclocks(enum daemon_id d, struct setup *p, struct errlist *e)
{
	bool chrony = d == DAEMON_CHRONY, ntpd = d == DAEMON_NTP || d == DAEMON_NTPSEC;
	struct refclock rc;

	if (!(chrony || ntpd) || rnd(2))
		return;
	refclock_init(&rc);
	rc.driver = REFCLOCK_SHM;
	rc.unit = (int)rnd(4);
	if (rnd(2))
		snprintf(rc.refid, sizeof(rc.refid), "GPS");
	if (rnd(2))
		rc.offset = 0.001 * (double)rnd(1000) - 0.2;
	if (chrony && rnd(2))
		rc.delay = 0.01 * (double)(1 + rnd(50));
	rc.noselect = rnd(3) == 0;
	rc.prefer = !rc.noselect && rnd(3) == 0;
	if (rnd(2))
		rc.poll = 4 + (int)rnd(3);
	refclock_add(p, &rc, "gen", e);
	refclock_init(&rc);
	rc.driver = REFCLOCK_PPS;
	snprintf(rc.device, sizeof(rc.device), d == DAEMON_NTPSEC && rnd(2) ? "/dev/gps%upps" : "/dev/pps%u",
	         (unsigned)rnd(4));
	if (rnd(2))
		snprintf(rc.refid, sizeof(rc.refid), "PPS");
	if (chrony && p->refclocks.v[0].refid[0] && rnd(2))
		snprintf(rc.lock, sizeof(rc.lock), "GPS");
	if (chrony && rnd(2))
		rc.dpoll = -(int)rnd(3);
	if (rnd(2))
		refclock_add(p, &rc, "gen", e);
	if (chrony && rnd(2)) {
		refclock_init(&rc);
		rc.driver = rnd(2) ? REFCLOCK_SOCK : REFCLOCK_PHC;
		snprintf(rc.device, sizeof(rc.device), "%s",
		         rc.driver == REFCLOCK_SOCK ? "/run/chrony.ttyS0.sock" : "/dev/ptp0");
		if (rnd(2))
			rc.poll = (int)rnd(4) - 1;
		refclock_add(p, &rc, "gen", e);
	}
}

static void assert_same_refclocks(const struct setup *a, const struct setup *b, const char *text)
{
	ck_assert_msg(a->refclocks.n == b->refclocks.n, "refclocks %zu vs %zu in:\n%s",
	              a->refclocks.n, b->refclocks.n, text);
	for (size_t i = 0; i < a->refclocks.n; i++) {
		const struct refclock *x = &a->refclocks.v[i], *y = &b->refclocks.v[i];
		ck_assert_msg(x->driver == y->driver && strcmp(x->device, y->device) == 0 &&
		                  x->unit == y->unit && strcmp(x->refid, y->refid) == 0 &&
		                  strcmp(x->lock, y->lock) == 0 && x->offset == y->offset &&
		                  x->delay == y->delay && x->prefer == y->prefer &&
		                  x->noselect == y->noselect && x->poll == y->poll &&
		                  x->dpoll == y->dpoll,
		              "refclock %zu differs in:\n%s", i, text);
	}
}

/* A random profile that daemon d can express completely. */
static void generate(enum daemon_id d, struct setup *p)
{
	struct errlist e;
	size_t n = 1 + rnd(4);
	bool chrony = d == DAEMON_CHRONY, ntpd = d == DAEMON_NTP || d == DAEMON_NTPSEC;
	bool ontpd = d == DAEMON_OPENNTPD, tsd = d == DAEMON_TIMESYNCD;
	int tpoll = 4 + (int)rnd(14), tmax = tpoll + (int)rnd(3);

	errlist_init(&e);
	model_init(p);
	p->daemon = d;
	for (size_t i = 0, tries = 0; i < n && tries < 50; tries++) {
		struct server srv;
		const char *h = hosts[rnd(sizeof(hosts) / sizeof(hosts[0]))];
		bool named = strchr(h, ':') == NULL && strspn(h, "0123456789.") != strlen(h);

		model_server_init(&srv);
		snprintf(srv.host, sizeof(srv.host), "%s", h);
		srv.kind = strstr(h, "pool.ntp.org") ? SERVER_KIND_POOL : SERVER_KIND_SERVER;
		if (!tsd && !ontpd)
			srv.iburst = rnd(2);
		if (tsd)
			srv.iburst = false; /* timesyncd has no iburst */
		if (!tsd)
			srv.prefer = rnd(3) == 0;
		if (ontpd && !srv.prefer && rnd(3) == 0)
			srv.weight = 2 + (int)rnd(8);
		if ((chrony || d == DAEMON_NTPSEC) && named && srv.kind == SERVER_KIND_SERVER)
			srv.nts = rnd(4) == 0;
		if (chrony || ntpd) {
			int lo = chrony ? -7 : d == DAEMON_NTP ? 3 : 0, hi = chrony ? 24 : 17;
			if (rnd(2))
				srv.minpoll = lo + (int)rnd((unsigned)(hi - lo + 1));
			if (rnd(2))
				srv.maxpoll = (srv.minpoll == MODEL_POLL_UNSET ? lo : srv.minpoll) +
				              (int)rnd(3);
			if (srv.maxpoll > hi)
				srv.maxpoll = hi;
		}
		if (tsd) { /* one poll interval for every server */
			srv.minpoll = tpoll;
			srv.maxpoll = tmax > 17 ? 17 : tmax;
		}
		if (model_add_server(p, &srv, "gen", &e) >= 0)
			i++;
		errlist_free(&e);
		errlist_init(&e);
	}
	if (chrony) {
		p->leap = (enum leap_mode)rnd(LEAP_COUNT);
		if (p->leap == LEAP_SMEAR && rnd(2))
			model_set_smear(p, "gen", 1 + rnd(1000), (1 + rnd(100)) / 1000.0, 0, &e);
	}
	if (chrony || ntpd)
		p->policy = (enum restrict_policy)rnd(POLICY_COUNT);
	else if (ontpd && rnd(2))
		p->policy = POLICY_PUBLIC;
	if (p->policy == POLICY_LAN)
		for (size_t i = 0, k = 1 + rnd(3); i < k; i++)
			model_add_allow(p, "gen", nets[rnd(sizeof(nets) / sizeof(nets[0]))], 0, &e);
	if (p->policy != POLICY_CLIENT_ONLY && rnd(2))
		for (size_t i = 0, k = 1 + rnd(2); i < k; i++)
			model_add_listen(p, "gen", listens[i], 0, &e);
	if (chrony || ntpd) {
		if (rnd(2))
			model_set_driftfile(p, "gen", "/var/lib/site/time.drift", 0, &e);
		if (rnd(2))
			model_set_logdir(p, "gen", "/var/log/site-ntp", 0, &e);
	}
	if (chrony) {
		p->options.rtcsync = rnd(2);
		if (rnd(2))
			model_set_makestep(p, "gen", rnd(3) ? 0.5 * (1 + rnd(10)) : 0.0,
			                   (long)rnd(5) - 1, 0, &e);
	}
	generate_selection(d, p, &e);
	generate_refclocks(d, p, &e);
	errlist_free(&e);
}

static void assert_same_selection(const struct setup *a, const struct setup *b, const char *text)
{
	for (size_t i = 0; i < a->nservers; i++) {
		const struct server *x = &a->servers[i], *y = &b->servers[i];
		ck_assert_msg(x->noselect == y->noselect && x->trust == y->trust &&
		                  x->xleave == y->xleave && x->maxdelay == y->maxdelay,
		              "server %zu (%s): selection options differ in:\n%s", i, x->host, text);
	}
	ck_assert_msg(a->selection.minsources == b->selection.minsources &&
	                  a->selection.maxdistance == b->selection.maxdistance &&
	                  a->selection.orphan == b->selection.orphan,
	              "selection differs (minsources %d/%d, maxdistance %g/%g, orphan %d/%d) in:\n%s",
	              a->selection.minsources, b->selection.minsources, a->selection.maxdistance,
	              b->selection.maxdistance, a->selection.orphan, b->selection.orphan, text);
	if (a->daemon != DAEMON_OPENNTPD)
		return;
	ck_assert_msg(a->constraints.set == b->constraints.set && a->constraints.n == b->constraints.n,
	              "constraints differ (set %d/%d, n %zu/%zu) in:\n%s", a->constraints.set,
	              b->constraints.set, a->constraints.n, b->constraints.n, text);
	for (size_t i = 0; i < a->constraints.n; i++)
		ck_assert_msg(strcmp(a->constraints.v[i].from, b->constraints.v[i].from) == 0 &&
		                  a->constraints.v[i].all == b->constraints.v[i].all,
		              "constraint %zu differs in:\n%s", i, text);
}

static void assert_same(const struct setup *a, const struct setup *b, const char *text)
{
	ck_assert_msg(a->nservers == b->nservers, "servers %zu vs %zu in:\n%s", a->nservers,
	              b->nservers, text);
	for (size_t i = 0; i < a->nservers; i++) {
		const struct server *x = &a->servers[i], *y = &b->servers[i];
		ck_assert_msg(strcmp(x->host, y->host) == 0 && x->kind == y->kind &&
		                  x->iburst == y->iburst && x->prefer == y->prefer &&
		                  x->nts == y->nts && x->minpoll == y->minpoll &&
		                  x->maxpoll == y->maxpoll && x->weight == y->weight,
		              "server %zu (%s) differs in:\n%s", i, x->host, text);
	}
	ck_assert_msg(a->leap == b->leap && a->smear_maxfreq == b->smear_maxfreq &&
	                  a->smear_maxwander == b->smear_maxwander,
	              "leap differs in:\n%s", text);
	ck_assert_msg(a->policy == b->policy && a->nallow == b->nallow && a->nlisten == b->nlisten,
	              "access differs (policy %d/%d, allow %zu/%zu, listen %zu/%zu) in:\n%s",
	              a->policy, b->policy, a->nallow, b->nallow, a->nlisten, b->nlisten, text);
	for (size_t i = 0; i < a->nallow; i++)
		ck_assert_str_eq(a->allow[i].cidr, b->allow[i].cidr);
	for (size_t i = 0; i < a->nlisten; i++)
		ck_assert_str_eq(a->listen[i].addr, b->listen[i].addr);
	ck_assert_msg(strcmp(a->options.driftfile, b->options.driftfile) == 0 &&
	                  strcmp(a->options.logdir, b->options.logdir) == 0 &&
	                  a->options.rtcsync == b->options.rtcsync &&
	                  a->options.makestep_threshold == b->options.makestep_threshold &&
	                  (a->options.makestep_threshold == 0.0 ||
	                   a->options.makestep_limit == b->options.makestep_limit),
	              "options differ in:\n%s", text);
}

/* issue 16 sections 6 and 7, from the loop's index (not rnd, so the other
 * settings are generated as before): serving NTS where the daemon and the
 * policy can, chrony's hwtimestamp on eth0 (planted) or "*". */
static void generate_nts(enum daemon_id d, struct setup *p, int n)
{
	struct errlist e;

	errlist_init(&e);
	if ((d == DAEMON_CHRONY || d == DAEMON_NTPSEC) && p->policy != POLICY_CLIENT_ONLY &&
	    n % 3 == 0)
		nts_set_server(p, "gen", "/etc/ssl/ntp/fullchain.pem", "/etc/ssl/ntp/privkey.pem",
		               0, &e);
	if (d == DAEMON_CHRONY && n % 4 == 1)
		nts_add_hwtimestamp(p, "gen", n % 8 == 1 ? "eth0" : "*", 0, &e);
	if (d == DAEMON_CHRONY && n % 8 == 5) /* two: "*" then eth0 */
		nts_add_hwtimestamp(p, "gen", "eth0", 0, &e);
	ck_assert_msg(e.n == 0, "%s", e.n ? e.v[0].message : "");
	errlist_free(&e);
}

static void assert_same_nts(const struct setup *a, const struct setup *b, const char *text)
{
	ck_assert_msg(strcmp(a->nts_server.certificate, b->nts_server.certificate) == 0 &&
	                  strcmp(a->nts_server.key, b->nts_server.key) == 0,
	              "nts_server differs in:\n%s", text);
	ck_assert_msg(a->hwtimestamp.n == b->hwtimestamp.n, "hwtimestamp differs in:\n%s", text);
	for (size_t i = 0; i < a->hwtimestamp.n; i++)
		ck_assert_str_eq(a->hwtimestamp.v[i].name, b->hwtimestamp.v[i].name);
}

/* Many generated profiles, every daemon: what ntpwiz writes reads back as
 * the same profile, with no note. timesyncd's order is preferred-first and
 * it keeps no preference, so its profiles have none (generate). */
START_TEST(property_import_render)
{
	static const enum daemon_id daemons[] = {DAEMON_CHRONY, DAEMON_NTPSEC, DAEMON_NTP,
	                                         DAEMON_OPENNTPD, DAEMON_TIMESYNCD};
	size_t checked = 0, with_nts = 0;

	seed = 12;
	fake_sysops_put_mode(1, "/etc/ssl/ntp/fullchain.pem",
	                     "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n", 0644, 0,
	                     0);
	fake_sysops_put_mode(1, "/etc/ssl/ntp/privkey.pem",
	                     "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n", 0640, 0,
	                     101);
	fake_sysops_mkdir(1, "/sys/class/net/eth0");
	for (size_t k = 0; k < sizeof(daemons) / sizeof(daemons[0]); k++) {
		const struct backend *b = backend_find(daemons[k]);
		for (int n = 0; n < 300; n++) {
			struct setup p;
			struct strbuf out;
			struct errlist e;

			generate(daemons[k], &p);
			generate_nts(daemons[k], &p, n);
			strbuf_init(&out);
			errlist_init(&e);
			if (backend_render(b, &p, FAMILY_DEBIAN, &out, &e) < 0) {
				/* not expressible as generated (chrony: two IPv4 listens) */
				ck_assert_msg(e.n > 0, "refused without a reason");
				errlist_free(&e);
				strbuf_free(&out);
				continue;
			}
			ck_assert_int_eq(import(b, strbuf_str(&out)), 0);
			ck_assert_msg(notes.n == 0, "note \"%s: %s\" on ntpwiz's own file:\n%s",
			              notes.n ? notes.v[0].text : "",
			              notes.n ? notes.v[0].reason : "", strbuf_str(&out));
			assert_same(&p, &s, strbuf_str(&out));
			assert_same_selection(&p, &s, strbuf_str(&out));
			assert_same_nts(&p, &s, strbuf_str(&out));
			with_nts += nts_serving(&p);
			assert_same_refclocks(&p, &s, strbuf_str(&out));
			checked++;
			errlist_free(&e);
			strbuf_free(&out);
		}
	}
	ck_assert_uint_ge(checked, 1200);
	ck_assert_uint_ge(with_nts, 50);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("import");
	TCase *tc = tcase_create("import");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, chrony_sources_and_options);
	tcase_add_test(tc, chrony_clock_and_leap);
	tcase_add_test(tc, chrony_access);
	tcase_add_test(tc, chrony_logging);
	tcase_add_test(tc, ntp_policies);
	tcase_add_test(tc, ntp_sources_leap_logging);
	tcase_add_test(tc, openntpd);
	tcase_add_test(tc, timesyncd_one_file);
	tcase_add_test(tc, timesyncd_dropins);
	tcase_add_test(tc, timesyncd_rendered_dropin_replaces_main);
	tcase_add_test(tc, current_missing_and_unreadable);
	tcase_add_test(tc, ntp_to_chrony);
	tcase_add_test(tc, every_line_accounted_for);
	tcase_add_test(tc, property_import_render);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return testhelp_run(suite());
}
