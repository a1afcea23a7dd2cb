/*
 * extra: operator lines (see extra.h). Each daemon's table lists the
 * directives of its manual (chrony.conf(5) of chrony 4.3-4.6, ntp.conf(5)
 * and the ntp.org 4.2.8 docs, NTPsec 1.2's ntp.conf(5), OpenNTPD's
 * ntpd.conf(5), timesyncd.conf(5)) with what ntpwiz does with each: takes
 * it as an operator line, refuses it because it controls access or remote
 * control, refuses it because ntpwiz writes it from the profile, or
 * refuses it because it makes the daemon read files ntpwiz never checks.
 * A directive missing from its table is not documented: refused too.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "extra.h"
#include "i18n.h"

enum extra_kind {
	EXTRA_OK,      /* documented, not written by ntpwiz: an operator line */
	EXTRA_ACCESS,  /* decides who may reach or control the daemon */
	EXTRA_WRITTEN, /* ntpwiz writes it from the profile */
	EXTRA_FILES,   /* makes the daemon read other files */
	/* documented, but what a build accepts differs (NTPsec 1.2.2 and 1.2.3
	 * refuse "refclock gpsd" and stop; ntpd's drivers are compiled in):
	 * taken from a profile, never kept by import, which notes them */
	EXTRA_BUILD,
};

struct extra_directive {
	const char *name;
	enum extra_kind kind;
};

/* chrony.conf(5), chrony 4.3 to 4.6. */
static const struct extra_directive chrony_directives[] = {
    {"acquisitionport", EXTRA_ACCESS},
    {"allow", EXTRA_ACCESS},
    {"authselectmode", EXTRA_OK},
    {"bindacqaddress", EXTRA_ACCESS},
    {"bindacqdevice", EXTRA_ACCESS},
    {"bindaddress", EXTRA_ACCESS},
    {"bindcmdaddress", EXTRA_ACCESS},
    {"bindcmddevice", EXTRA_ACCESS},
    {"binddevice", EXTRA_ACCESS},
    {"broadcast", EXTRA_ACCESS},
    {"clientloglimit", EXTRA_OK},
    {"clockprecision", EXTRA_OK},
    {"cmdallow", EXTRA_ACCESS},
    {"cmddeny", EXTRA_ACCESS},
    {"cmdport", EXTRA_ACCESS},
    {"cmdratelimit", EXTRA_ACCESS},
    {"combinelimit", EXTRA_OK},
    {"confdir", EXTRA_FILES},
    {"corrtimeratio", EXTRA_OK},
    {"deny", EXTRA_ACCESS},
    {"driftfile", EXTRA_WRITTEN},
    {"dscp", EXTRA_OK},
    {"dumpdir", EXTRA_OK},
    {"fallbackdrift", EXTRA_OK},
    {"hwclockfile", EXTRA_OK},
    {"hwtimestamp", EXTRA_WRITTEN}, /* options.hwtimestamp */
    {"include", EXTRA_FILES},
    {"initstepslew", EXTRA_OK},
    {"keyfile", EXTRA_WRITTEN},
    {"leapsecmode", EXTRA_WRITTEN},
    {"leapseclist", EXTRA_WRITTEN},
    {"leapsectz", EXTRA_WRITTEN},
    {"local", EXTRA_WRITTEN}, /* orphan.stratum: local stratum N orphan */
    {"lock_all", EXTRA_OK},
    {"log", EXTRA_WRITTEN},
    {"logbanner", EXTRA_OK},
    {"logchange", EXTRA_OK},
    {"logdir", EXTRA_WRITTEN},
    {"mailonchange", EXTRA_OK},
    {"makestep", EXTRA_WRITTEN},
    {"manual", EXTRA_ACCESS},
    {"maxchange", EXTRA_OK},
    {"maxclockerror", EXTRA_OK},
    {"maxdistance", EXTRA_WRITTEN}, /* selection.maxdistance */
    {"maxdrift", EXTRA_OK},
    {"maxjitter", EXTRA_OK},
    {"maxntsconnections", EXTRA_ACCESS},
    {"maxsamples", EXTRA_OK},
    {"maxslewrate", EXTRA_WRITTEN},
    {"maxupdateskew", EXTRA_OK},
    {"minsamples", EXTRA_OK},
    {"minsources", EXTRA_WRITTEN}, /* selection.minsources */
    {"nocerttimecheck", EXTRA_OK},
    {"noclientlog", EXTRA_OK},
    {"nosystemcert", EXTRA_OK},
    {"ntsdumpdir", EXTRA_WRITTEN},
    {"ntsntpserver", EXTRA_ACCESS},
    {"ntsport", EXTRA_ACCESS},
    {"ntsprocesses", EXTRA_ACCESS},
    {"ntsratelimit", EXTRA_ACCESS},
    {"ntsrefresh", EXTRA_OK},
    {"ntsrotate", EXTRA_ACCESS},
    {"ntsservercert", EXTRA_WRITTEN}, /* nts_server */
    {"ntsserverkey", EXTRA_WRITTEN},
    {"ntstrustedcerts", EXTRA_OK},
    {"ntpsigndsocket", EXTRA_ACCESS},
    {"peer", EXTRA_ACCESS},
    {"pidfile", EXTRA_OK},
    {"pool", EXTRA_WRITTEN},
    {"port", EXTRA_ACCESS},
    {"ptpport", EXTRA_ACCESS},
    {"ratelimit", EXTRA_WRITTEN},
    {"refclock", EXTRA_WRITTEN}, /* refclocks (issue 16 section 5) */
    {"reselectdist", EXTRA_OK},
    {"rtcautotrim", EXTRA_OK},
    {"rtcdevice", EXTRA_OK},
    {"rtcfile", EXTRA_OK},
    {"rtconutc", EXTRA_OK},
    {"rtcsync", EXTRA_WRITTEN},
    {"sched_priority", EXTRA_OK},
    {"server", EXTRA_WRITTEN},
    {"smoothtime", EXTRA_WRITTEN},
    {"sourcedir", EXTRA_FILES},
    {"stratumweight", EXTRA_OK},
    {"tempcomp", EXTRA_OK},
    {"user", EXTRA_ACCESS},
};

/* ntp.conf as ntp.org's ntpd 4.2.8 documents it (html/confopt, miscopt,
 * accopt, authopt, monopt, clockopt). */
static const struct extra_directive ntp_directives[] = {
    {"automax", EXTRA_OK},
    {"broadcast", EXTRA_ACCESS},
    {"broadcastclient", EXTRA_ACCESS},
    {"broadcastdelay", EXTRA_OK},
    {"calldelay", EXTRA_OK},
    {"controlkey", EXTRA_ACCESS},
    {"crypto", EXTRA_OK},
    {"disable", EXTRA_ACCESS},
    {"discard", EXTRA_ACCESS},
    {"driftfile", EXTRA_WRITTEN},
    {"enable", EXTRA_ACCESS},
    {"filegen", EXTRA_OK},
    {"fudge", EXTRA_BUILD},
    {"includefile", EXTRA_FILES},
    {"interface", EXTRA_ACCESS},
    {"keys", EXTRA_WRITTEN},
    {"keysdir", EXTRA_WRITTEN},
    {"leapfile", EXTRA_WRITTEN},
    {"logconfig", EXTRA_OK},
    {"logfile", EXTRA_OK},
    {"manycastclient", EXTRA_ACCESS},
    {"manycastserver", EXTRA_ACCESS},
    {"mru", EXTRA_OK},
    {"multicastclient", EXTRA_ACCESS},
    {"nic", EXTRA_ACCESS},
    {"peer", EXTRA_ACCESS},
    {"phone", EXTRA_OK},
    {"pool", EXTRA_WRITTEN},
    {"requestkey", EXTRA_ACCESS},
    {"restrict", EXTRA_ACCESS},
    {"revoke", EXTRA_OK},
    {"rlimit", EXTRA_OK},
    {"saveconfigdir", EXTRA_ACCESS},
    {"server", EXTRA_WRITTEN},
    {"setvar", EXTRA_OK},
    {"statistics", EXTRA_WRITTEN},
    {"statsdir", EXTRA_WRITTEN},
    {"tinker", EXTRA_OK},
    {"tos", EXTRA_OK},
    {"trap", EXTRA_ACCESS},
    {"trustedkey", EXTRA_WRITTEN},
    {"ttl", EXTRA_OK},
};

/* NTPsec 1.2's ntp.conf(5) and its sub-pages. */
static const struct extra_directive ntpsec_directives[] = {
    {"broadcast", EXTRA_ACCESS},
    {"controlkey", EXTRA_ACCESS},
    {"disable", EXTRA_ACCESS},
    {"discard", EXTRA_ACCESS},
    {"driftfile", EXTRA_WRITTEN},
    {"enable", EXTRA_ACCESS},
    {"filegen", EXTRA_OK},
    {"includefile", EXTRA_FILES},
    {"interface", EXTRA_ACCESS},
    {"keys", EXTRA_WRITTEN},
    {"leapfile", EXTRA_WRITTEN},
    {"logconfig", EXTRA_OK},
    {"logfile", EXTRA_OK},
    {"manycastserver", EXTRA_ACCESS},
    {"mru", EXTRA_OK},
    {"nic", EXTRA_ACCESS},
    {"nts", EXTRA_ACCESS},
    {"peer", EXTRA_ACCESS},
    {"phone", EXTRA_OK},
    {"pool", EXTRA_WRITTEN},
    {"refclock", EXTRA_BUILD},
    {"restrict", EXTRA_ACCESS},
    {"rlimit", EXTRA_OK},
    {"server", EXTRA_WRITTEN},
    {"statistics", EXTRA_WRITTEN},
    {"statsdir", EXTRA_WRITTEN},
    {"tinker", EXTRA_OK},
    {"tos", EXTRA_OK},
    {"trustedkey", EXTRA_WRITTEN},
};

/* OpenNTPD's ntpd.conf(5). */
static const struct extra_directive openntpd_directives[] = {
    {"constraint", EXTRA_WRITTEN}, {"constraints", EXTRA_WRITTEN}, {"listen", EXTRA_ACCESS},
    {"query", EXTRA_ACCESS},       {"sensor", EXTRA_OK},           {"server", EXTRA_WRITTEN},
    {"servers", EXTRA_WRITTEN},
};

/* timesyncd.conf(5), section [Time]; written as KEY=VALUE. */
static const struct extra_directive timesyncd_directives[] = {
    {"ConnectionRetrySec", EXTRA_OK},
    {"FallbackNTP", EXTRA_WRITTEN},
    {"NTP", EXTRA_WRITTEN},
    {"PollIntervalMaxSec", EXTRA_WRITTEN},
    {"PollIntervalMinSec", EXTRA_WRITTEN},
    {"RootDistanceMaxSec", EXTRA_WRITTEN}, /* selection.maxdistance */
    {"SaveIntervalSec", EXTRA_OK},
};

#define TABLE(t)                                                                                   \
	{                                                                                          \
		(t), sizeof(t) / sizeof((t)[0])                                                    \
	}
static const struct {
	const struct extra_directive *v;
	size_t n;
} tables[DAEMON_COUNT] = {
    [DAEMON_NTP] = TABLE(ntp_directives),
    [DAEMON_NTPSEC] = TABLE(ntpsec_directives),
    [DAEMON_CHRONY] = TABLE(chrony_directives),
    [DAEMON_OPENNTPD] = TABLE(openntpd_directives),
    [DAEMON_TIMESYNCD] = TABLE(timesyncd_directives),
};

/* Where each daemon documents its directives, for the refusal. */
static const char *const manuals[DAEMON_COUNT] = {
    [DAEMON_NTP] = "ntp.conf(5)",
    [DAEMON_NTPSEC] = "ntp.conf(5)",
    [DAEMON_CHRONY] = "chrony.conf(5)",
    [DAEMON_OPENNTPD] = "ntpd.conf(5)",
    [DAEMON_TIMESYNCD] = "timesyncd.conf(5)",
};

static const struct extra_directive *find(enum daemon_id d, const char *name, size_t len)
{
	if ((unsigned)d >= DAEMON_COUNT || !tables[d].v)
		return NULL;
	for (size_t i = 0; i < tables[d].n; i++)
		if (strlen(tables[d].v[i].name) == len &&
		    strncmp(tables[d].v[i].name, name, len) == 0)
			return &tables[d].v[i];
	return NULL;
}

/* Letters, digits and the punctuation values need (paths, addresses,
 * numbers, chrony's "*" interface); nothing any of the five parsers reads
 * as a comment, a quote, an escape, a section or an assignment. */
static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("._:/+-,@*", c) != NULL;
}

static char why[512];

static const char *words_refusal(const char *text)
{
	size_t len = strlen(text);

	if (len == 0)
		return _("is empty");
	if (len > MODEL_EXTRA_MAX)
		return _("is too long (at most 200 characters)");
	if (text[0] == ' ' || text[len - 1] == ' ')
		return _("starts or ends with a space");
	for (const char *c = text; *c; c++) {
		unsigned char ch = (unsigned char)*c;

		if (ch == ' ') {
			if (c[1] == ' ')
				return _(
				    "has two spaces in a row; separate the words by one space");
			if (c[1] == '-' && !(c[2] >= '0' && c[2] <= '9'))
				return _(
				    "has a word starting with '-' that is not a negative number");
			continue;
		}
		if (ch < 0x20 || ch == 0x7f) {
			snprintf(
			    why, sizeof(why),
			    _("holds a control character (\\x%02x); an operator line is one line"),
			    ch);
			return why;
		}
		if (!word_char(ch)) {
			if (ch >= 0x80)
				return _("holds a character outside ASCII");
			snprintf(
			    why, sizeof(why),
			    _("holds '%c', which a daemon's parser reads as a comment, a quote or "
			      "an escape; only letters, digits and . _ : / + - , @ * are taken"),
			    ch);
			return why;
		}
	}
	return NULL;
}

/* Options of an operator line's directive that ntpwiz writes from the
 * profile (ntpd's and NTPsec's "tos": selection and orphan). */
static const struct {
	const char *directive, *option, *key;
} written_options[] = {
    {"tos", "minsane", "selection.minsources"},
    {"tos", "maxdist", "selection.maxdistance"},
    {"tos", "orphan", "orphan.stratum"},
};

/* Reference clocks ntpwiz writes from the profile's refclocks (issue 16
 * section 5): the directive and the start of its first argument. Other
 * drivers (NTPsec's nmea, ntpd's other types) stay operator lines. */
static const struct {
	enum daemon_id daemon;
	const char *directive, *first;
} written_refclocks[] = {
    {DAEMON_NTPSEC, "refclock", "shm"},           {DAEMON_NTPSEC, "refclock", "pps"},
    {DAEMON_NTP, "fudge", "127.127.28."},          {DAEMON_NTP, "fudge", "127.127.22."},
};

static const char *written_refclock(enum daemon_id d, const struct extra_directive *e,
                                    const char *rest)
{
	for (size_t i = 0; i < sizeof(written_refclocks) / sizeof(written_refclocks[0]); i++) {
		size_t n = strlen(written_refclocks[i].first);
		if (written_refclocks[i].daemon != d ||
		    strcmp(e->name, written_refclocks[i].directive) != 0 || rest[0] != ' ' ||
		    strncmp(rest + 1, written_refclocks[i].first, n) != 0 ||
		    (rest[1 + n - 1] != '.' && rest[1 + n] != ' ' && rest[1 + n] != '\0'))
			continue;
		snprintf(why, sizeof(why),
		         _("ntpwiz writes %1$s's \"%2$s %3$s\" reference clocks itself from the "
		           "profile; set refclocks there (ntpwiz-profile(5))"),
		         model_daemon_name(d), e->name, written_refclocks[i].first);
		return why;
	}
	return NULL;
}

static const char *written_option(enum daemon_id d, const struct extra_directive *e,
                                  const char *rest)
{
	const char *w = written_refclock(d, e, rest);

	if (w)
		return w;
	if (d != DAEMON_NTP && d != DAEMON_NTPSEC)
		return NULL;
	for (size_t i = 0; i < sizeof(written_options) / sizeof(written_options[0]); i++) {
		size_t n = strlen(written_options[i].option);
		if (strcmp(e->name, written_options[i].directive) != 0)
			continue;
		for (const char *p = rest; (p = strstr(p, written_options[i].option)); p += n)
			if (p[-1] == ' ' && (p[n] == ' ' || p[n] == '\0')) {
				snprintf(why, sizeof(why),
				         _("ntpwiz writes %1$s's \"%2$s %3$s\" itself from the profile; "
				           "set %4$s there (ntpwiz-profile(5))"),
				         model_daemon_name(d), e->name, written_options[i].option,
				         written_options[i].key);
				return why;
			}
	}
	return NULL;
}

const char *extra_refusal(enum daemon_id d, const char *text)
{
	const struct extra_directive *e;
	const char *w;
	size_t len;

	if ((unsigned)d >= DAEMON_COUNT || !tables[d].v)
		return _("names no daemon");
	if (!text || (w = words_refusal(text)))
		return text ? w : _("is empty");
	len = strcspn(text, " ");
	e = find(d, text, len);
	if (!e) {
		snprintf(why, sizeof(why),
		         _("\"%.*s\" is not a directive %s documents (%s); ntpwiz takes only "
		           "documented ones"),
		         (int)(len > 40 ? 40 : len), text, model_daemon_name(d), manuals[d]);
		return why;
	}
	switch (e->kind) {
	case EXTRA_OK:
	case EXTRA_BUILD:
		if ((w = written_option(d, e, text + len)))
			return w;
		break;
	case EXTRA_ACCESS:
		snprintf(why, sizeof(why),
		         _("%s's \"%s\" decides who may reach or control the daemon; set that with "
		           "the access policy (restrict.policy, restrict.allow, restrict.listen), "
		           "whose guarantees an operator line must not change"),
		         model_daemon_name(d), e->name);
		return why;
	case EXTRA_WRITTEN:
		snprintf(why, sizeof(why),
		         _("ntpwiz writes %s's \"%s\" itself from the profile; set it there "
		           "(ntpwiz-profile(5))"),
		         model_daemon_name(d), e->name);
		return why;
	case EXTRA_FILES:
		snprintf(why, sizeof(why),
		         _("%s's \"%s\" makes the daemon read files ntpwiz does not check; put "
		           "each line in the profile instead"),
		         model_daemon_name(d), e->name);
		return why;
	}
	/* a directive alone where the daemon needs a value is its parser's to
	 * judge: apply runs the daemon's own checker before writing */
	if (d == DAEMON_TIMESYNCD && !strchr(text, ' '))
		return _("needs a value: \"Key value\" is written as Key=value");
	if (d == DAEMON_TIMESYNCD && strchr(text + len + 1, ' '))
		return _("takes one value: \"Key value\" is written as Key=value");
	return NULL;
}

bool extra_importable(enum daemon_id d, const char *directive)
{
	const struct extra_directive *e = directive ? find(d, directive, strlen(directive)) : NULL;

	return e && e->kind == EXTRA_OK;
}

void extra_render(enum daemon_id d, const struct setup *s, struct strbuf *out)
{
	const struct setup_extra *x;

	if ((unsigned)d >= DAEMON_COUNT || !s->extra[d].n)
		return;
	x = &s->extra[d];
	/* timesyncd: one line per key inside [Time], which the caller opened */
	strbuf_puts(out, "\n# Operator lines (the profile's extra): directives ntpwiz does not\n"
	                 "# model, checked only against the daemon's documented list.\n");
	for (size_t i = 0; i < x->n; i++) {
		const char *t = x->v[i].text;

		if (d == DAEMON_TIMESYNCD) {
			size_t len = strcspn(t, " ");
			strbuf_printf(out, "%.*s=%s\n", (int)len, t, t[len] ? t + len + 1 : "");
		} else {
			strbuf_printf(out, "%s\n", t);
		}
	}
}
