/*
 * audit: findings about the current set-up (see audit.h).
 *
 * Severities: high when the host can be used against others (ntpd answers
 * mode 6/7 queries from anyone: 30x amplification measured with NTPsec,
 * DAEMONS.md; chrony's monitoring port open to the network), serves time
 * although its profile says it should not, or runs a daemon version with
 * that kind of known hole. Medium for weaknesses (no rate limit, a leap
 * list that is out of date, two daemons fighting over the clock). Info for
 * what is merely worth knowing.
 *
 * The audit judges what the daemon reads, never comments: its own checker
 * where one exists (chronyd -p, OpenNTPD's ntpd -n, run through sysops on
 * a private copy), else a table of what each daemon version refuses. A
 * file the daemon refuses, or a host that can never get time, is high.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "i18n.h"
#include "import.h"
#include "refclock.h"
#include "strbuf.h"
#include "sysops.h"
#include "validate.h"

#define LEAP_LIST "/usr/share/zoneinfo/leap-seconds.list"
/* NTP era 0 starts 70 years (17 leap days) before the Unix epoch. */
#define NTP_UNIX_OFFSET 2208988800LL
/* A list that expires within this many days is worth a note. */
#define LEAP_SOON_DAYS 28

static const char *const severity_names[AUDIT_SEVERITY_COUNT] = {"high", "medium", "info"};

void audit_report_init(struct audit_report *r)
{
	memset(r, 0, sizeof(*r));
}

void audit_report_free(struct audit_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].file);
		free(r->v[i].what);
		free(r->v[i].fix);
	}
	free(r->v);
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	memset(r, 0, sizeof(*r));
}

size_t audit_count(const struct audit_report *r, enum audit_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += r->v[i].severity == sev;
	return n;
}

const char *audit_severity_name(enum audit_severity sev)
{
	return (unsigned)sev < AUDIT_SEVERITY_COUNT ? severity_names[sev] : "?";
}

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vformat(const char *fmt, va_list ap)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_vprintf(&sb, fmt, ap);
	return strbuf_detach(&sb, NULL);
}

/* Adds a finding; `fix` is a plain string, `fmt` formats what it means. */
static void add(struct audit_report *r, const char *id, enum audit_severity sev, const char *file,
                int line, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static void add(struct audit_report *r, const char *id, enum audit_severity sev, const char *file,
                int line, const char *fix, const char *fmt, ...)
{
	struct audit_finding *f;
	va_list ap;

	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 16;
		struct audit_finding *nv = realloc(r->v, ncap * sizeof(*nv));
		if (!nv)
			return;
		r->v = nv;
		r->cap = ncap;
	}
	f = &r->v[r->n];
	f->id = id;
	f->severity = sev;
	f->line = line;
	f->file = strdup(file ? file : "");
	f->fix = strdup(fix);
	va_start(ap, fmt);
	f->what = vformat(fmt, ap);
	va_end(ap);
	if (!f->file || !f->fix || !f->what) {
		free(f->file);
		free(f->fix);
		free(f->what);
		return;
	}
	r->n++;
}

/* --- ntpd and NTPsec ----------------------------------------------------------- */

enum {
	R_IGNORE = 1 << 0,
	R_NOSERVE = 1 << 1,
	R_NOQUERY = 1 << 2,
	R_NOMODIFY = 1 << 3,
	R_LIMITED = 1 << 4,
	R_NOPEER = 1 << 5,
};

#define MAX_RESTRICTS 256

struct restrict_entry {
	int fam; /* 0 both, 4, 6 */
	bool dflt, source, masked;
	char addr[64];
	unsigned flags;
	int line;
};

struct ntp_scan {
	struct restrict_entry r[MAX_RESTRICTS];
	size_t n;
	int mode7_line, monitor_line;
	struct audit_refs *refs;
	const struct backend *b;
	const char *version;
};

static size_t refused_word(const struct backend *b, const char *version,
                           const struct import_line *l);

static int ntp_line(const struct import_line *l, void *arg)
{
	struct ntp_scan *sc = arg;
	const char *d = l->words[0];

	if (strcmp(d, "restrict") == 0 && l->nwords >= 2 && sc->n < MAX_RESTRICTS) {
		struct restrict_entry *e = &sc->r[sc->n];
		/* the daemon stops reading the line at a word it refuses */
		size_t i = 1, nw = refused_word(sc->b, sc->version, l);
		memset(e, 0, sizeof(*e));
		e->line = l->line;
		if (strcmp(l->words[i], "-4") == 0 || strcmp(l->words[i], "-6") == 0)
			e->fam = l->words[i++][1] - '0';
		if (i >= l->nwords)
			return 0;
		snprintf(e->addr, sizeof(e->addr), "%s", l->words[i]);
		e->dflt = strcmp(e->addr, "default") == 0;
		e->source = strcmp(e->addr, "source") == 0;
		for (i++; i < nw; i++) {
			const char *w = l->words[i];
			if (strcmp(w, "mask") == 0) {
				e->masked = true;
				i++;
				continue;
			}
			e->flags |= strcmp(w, "ignore") == 0     ? R_IGNORE
			            : strcmp(w, "noserve") == 0  ? R_NOSERVE
			            : strcmp(w, "noquery") == 0  ? R_NOQUERY
			            : strcmp(w, "nomodify") == 0 ? R_NOMODIFY
			            : strcmp(w, "limited") == 0  ? R_LIMITED
			            : strcmp(w, "nopeer") == 0   ? R_NOPEER
			                                         : 0u;
		}
		/* "restrict default mask ..." is not a default in ntpd's sense */
		e->dflt = e->dflt && !e->masked;
		sc->n++;
	} else if ((strcmp(d, "enable") == 0 || strcmp(d, "disable") == 0) && l->nwords >= 2) {
		for (size_t i = 1; i < l->nwords; i++) {
			if (strcmp(l->words[i], "mode7") == 0)
				sc->mode7_line = d[0] == 'e' ? l->line : 0;
			if (strcmp(l->words[i], "monitor") == 0)
				sc->monitor_line = d[0] == 'e' ? l->line : 0;
		}
	} else if (strcmp(d, "leapfile") == 0 && l->nwords == 2) {
		snprintf(sc->refs->leapfile, sizeof(sc->refs->leapfile), "%s", l->words[1]);
		sc->refs->leapfile_line = l->line;
	}
	return 0;
}

/* The entry that decides for the default of an address family (the last
 * one given wins), or NULL. */
static const struct restrict_entry *default_for(const struct ntp_scan *sc, int fam)
{
	const struct restrict_entry *d = NULL;

	for (size_t i = 0; i < sc->n; i++)
		if (sc->r[i].dflt && (sc->r[i].fam == 0 || sc->r[i].fam == fam))
			d = &sc->r[i];
	return d;
}

static bool answers_queries(unsigned flags)
{
	return !(flags & (R_IGNORE | R_NOQUERY));
}

/* A line that lets this loopback address query ntpd. */
static bool local_allowed(const struct ntp_scan *sc, const char *addr)
{
	for (size_t i = 0; i < sc->n; i++)
		if (strcmp(sc->r[i].addr, addr) == 0 && answers_queries(sc->r[i].flags))
			return true;
	return false;
}

static bool is_loopback(const char *a)
{
	return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0;
}

static void audit_ntp_defaults(const struct ntp_scan *sc, const char *file, bool ntpsec,
                               struct audit_report *rep)
{
	const struct restrict_entry *d4 = default_for(sc, 4), *d6 = default_for(sc, 6);
	const char *fix_default =
	    ntpsec
	        ? _("add \"restrict default kod limited nomodify noquery\" (or \"restrict default "
	            "ignore\" for a host that serves no one), and keep \"restrict 127.0.0.1\" and "
	            "\"restrict ::1\"")
	        : _("add \"restrict -4 default kod limited notrap nomodify nopeer noquery\" and "
	            "the same with -6 (or \"ignore\" for a host that serves no one), and keep "
	            "\"restrict 127.0.0.1\" and \"restrict ::1\"");

	if (!d4 && !d6)
		add(rep, "ntp-no-default-restrict", AUDIT_HIGH, file, 0, fix_default, "%s",
		    _("there is no \"restrict default\" line: ntpd answers every host, control "
		      "(mode 6) queries included, with answers many times larger than the question "
		      "(DRDoS amplification)"));
	else if (!d4 || !d6)
		add(rep, "ntp-no-default-restrict", AUDIT_HIGH, file, 0, fix_default,
		    _("there is no default restrict line for %s: ntpd answers those hosts' control "
		      "(mode 6) queries with answers many times larger than the question (DRDoS "
		      "amplification)"),
		    d4 ? "IPv6" : "IPv4");
	for (int k = 0; k < 2; k++) {
		const struct restrict_entry *d = k ? d6 : d4;
		if (!d || (k == 1 && d == d4))
			continue;
		if (answers_queries(d->flags))
			add(rep, "ntp-default-noquery", AUDIT_HIGH, file, d->line,
			    _("add noquery to this line (the recommended flags: kod limited "
			      "nomodify noquery), or use ignore for a host that serves no one"),
			    "%s",
			    _("the default restrict line has no noquery: any host can send control "
			      "(mode 6) queries and gets answers many times larger than the "
			      "question "
			      "(DRDoS amplification; 30x measured with NTPsec 1.2.2)"));
		if (!(d->flags & (R_IGNORE | R_NOMODIFY)))
			add(rep, "ntp-remote-nomodify", AUDIT_MEDIUM, file, d->line,
			    _("add nomodify to this line"), "%s",
			    _("the default restrict line has no nomodify: remote hosts may try to "
			      "change "
			      "the running configuration with control messages"));
		if (!(d->flags & (R_IGNORE | R_NOSERVE | R_LIMITED)))
			add(rep, "ntp-no-rate-limit", AUDIT_MEDIUM, file, d->line,
			    _("add kod limited to this line"), "%s",
			    _("the default restrict line serves time without limited: no rate "
			      "limit, "
			      "so the host can be used to flood others with time replies"));
	}
}

/*
 * ntp.org 4.2.8: "nopeer" (or "ignore") in the default also refuses the
 * servers a pool line finds, unless a "restrict source" line without them
 * lets them in (ntp.org's access-control documentation). NTPsec ignores
 * nopeer and opens a hole for its servers itself.
 */
static bool pool_blocked(const struct ntp_scan *sc)
{
	const struct restrict_entry *d4 = default_for(sc, 4);

	if (!d4 || !(d4->flags & (R_NOPEER | R_IGNORE)))
		return false;
	for (size_t i = 0; i < sc->n; i++)
		if (sc->r[i].source && !(sc->r[i].flags & (R_NOPEER | R_IGNORE)))
			return false;
	return true;
}

static void audit_ntp(const struct backend *b, const char *version, const char *file,
                      const char *text, size_t len, struct audit_report *rep,
                      struct audit_refs *refs)
{
	struct ntp_scan *sc = calloc(1, sizeof(*sc));
	const struct restrict_entry *d4, *d6;
	bool queries_open, shut;

	if (!sc)
		return;
	sc->refs = refs;
	sc->b = b;
	sc->version = version;
	import_each_line(text, len, IMPORT_HASH_ANYWHERE, ntp_line, sc);
	audit_ntp_defaults(sc, file, b->id == DAEMON_NTPSEC, rep);
	for (size_t i = 0; i < sc->n; i++) {
		const struct restrict_entry *e = &sc->r[i];
		bool remote = !e->dflt && !e->source && !(is_loopback(e->addr) && !e->masked);
		if (!remote)
			continue;
		if (answers_queries(e->flags))
			add(rep, "ntp-remote-noquery", AUDIT_MEDIUM, file, e->line,
			    _("add noquery to this line"), "%s",
			    _("this restrict line lets remote hosts send control (mode 6) "
			      "queries"));
		if (!(e->flags & (R_IGNORE | R_NOMODIFY)))
			add(rep, "ntp-remote-nomodify", AUDIT_MEDIUM, file, e->line,
			    _("add nomodify to this line"), "%s",
			    _("this restrict line has no nomodify: remote hosts may try to change "
			      "the "
			      "running configuration with control messages"));
	}
	d4 = default_for(sc, 4);
	d6 = default_for(sc, 6);
	queries_open = !d4 || !d6 || answers_queries(d4->flags) || answers_queries(d6->flags);
	if (sc->mode7_line)
		add(rep, "ntp-mode7", queries_open ? AUDIT_HIGH : AUDIT_MEDIUM, file,
		    sc->mode7_line, _("remove \"enable mode7\" (ntpq does everything ntpdc did)"),
		    "%s",
		    _("mode 7 (ntpdc) is enabled: its monlist answer is the amplifier of "
		      "CVE-2013-5211, up to hundreds of times the size of the question"));
	if (sc->monitor_line && queries_open)
		add(rep, "ntp-monitor-exposed", AUDIT_HIGH, file, sc->monitor_line,
		    _("add noquery to the default restrict line"), "%s",
		    _("the monitor (the list of recent clients) is enabled and remote hosts can "
		      "query it: large answers to small questions (CVE-2013-5211)"));
	/* Once the default shuts queries off, localhost needs its own line. */
	shut = d4 && !answers_queries(d4->flags);
	if (shut && !local_allowed(sc, "127.0.0.1"))
		add(rep, "ntp-localhost-denied", AUDIT_MEDIUM, file, d4->line,
		    _("add \"restrict 127.0.0.1\" (no flags)"), "%s",
		    _("localhost is not allowed to query: ntpq -p on this host times out, so the "
		      "daemon cannot be watched"));
	if (d6 && !answers_queries(d6->flags) && !local_allowed(sc, "::1"))
		add(rep, "ntp-localhost-denied", AUDIT_INFO, file, d6->line,
		    _("add \"restrict ::1\" (no flags)"), "%s",
		    _("::1 is not allowed to query: ntpq over IPv6 on this host times out"));
	refs->pool_blocked = b->id == DAEMON_NTP && pool_blocked(sc);
	free(sc);
}

/* --- chrony ---------------------------------------------------------------------- */

struct chrony_scan {
	int cmdallow_line, bindcmd_line, allow_line, allow_all_line, ratelimit_line, port0_line;
	struct audit_refs *refs;
};

static bool chrony_local_net(const char *a)
{
	return strcmp(a, "127.0.0.1") == 0 || strcmp(a, "::1") == 0 || strncmp(a, "127.", 4) == 0 ||
	       strcmp(a, "::1/128") == 0 || strcmp(a, "localhost") == 0;
}

static int chrony_line(const struct import_line *l, void *arg)
{
	struct chrony_scan *sc = arg;
	const char *d = l->words[0];
	const char *a1 = l->nwords > 1 ? l->words[1] : NULL;

	if (strcmp(d, "cmdallow") == 0) {
		/* "cmdallow" alone or "cmdallow all" is every address */
		if ((!a1 || !chrony_local_net(strcmp(a1, "all") == 0 && l->nwords > 2 ? l->words[2]
		                                                                      : a1)) &&
		    !sc->cmdallow_line)
			sc->cmdallow_line = l->line;
	} else if (strcmp(d, "bindcmdaddress") == 0 && a1) {
		if (a1[0] != '/' && !chrony_local_net(a1) && !sc->bindcmd_line)
			sc->bindcmd_line = l->line;
	} else if (strcmp(d, "allow") == 0) {
		if (!sc->allow_line)
			sc->allow_line = l->line;
		if ((!a1 || (strcmp(a1, "all") == 0 && l->nwords == 2)) && !sc->allow_all_line)
			sc->allow_all_line = l->line;
	} else if (strcmp(d, "ratelimit") == 0) {
		sc->ratelimit_line = l->line;
	} else if (strcmp(d, "port") == 0 && a1 && strcmp(a1, "0") == 0) {
		sc->port0_line = l->line;
	} else if (strcmp(d, "leapseclist") == 0 && a1) {
		snprintf(sc->refs->leapfile, sizeof(sc->refs->leapfile), "%s", a1);
		sc->refs->leapfile_line = l->line;
	} else if (strcmp(d, "leapsectz") == 0 && a1) {
		snprintf(sc->refs->leapsectz, sizeof(sc->refs->leapsectz), "%s", a1);
		sc->refs->leapsectz_line = l->line;
	}
	return 0;
}

static void audit_chrony(const char *file, const char *text, size_t len, struct audit_report *rep,
                         struct audit_refs *refs)
{
	struct chrony_scan sc = {.refs = refs};

	import_each_line(text, len, IMPORT_CHRONY, chrony_line, &sc);
	if (sc.cmdallow_line && sc.bindcmd_line)
		add(rep, "chrony-cmd-exposed", AUDIT_HIGH, file, sc.cmdallow_line,
		    _("remove cmdallow and the bindcmdaddress lines that are not 127.0.0.1, ::1 or "
		      "a "
		      "socket path; use chronyc on the host itself (or over ssh)"),
		    "%s",
		    _("cmdallow lets other hosts query chronyd's monitoring port, and "
		      "bindcmdaddress "
		      "opens that port to the network: they can read the sources, the tracking "
		      "data and the list of clients"));
	else if (sc.cmdallow_line)
		add(rep, "chrony-cmdallow", AUDIT_MEDIUM, file, sc.cmdallow_line,
		    _("remove this cmdallow line"), "%s",
		    _("cmdallow allows more than localhost to query chronyd's monitoring port; the "
		      "port is bound to localhost now, but one bindcmdaddress line opens it"));
	else if (sc.bindcmd_line)
		add(rep, "chrony-bindcmdaddress", AUDIT_MEDIUM, file, sc.bindcmd_line,
		    _("bind the command port to 127.0.0.1 and ::1 (chrony's default)"), "%s",
		    _("the monitoring port listens on an address other hosts can reach; only "
		      "cmdallow stands between them and it"));
	if (sc.allow_line && !sc.port0_line && !sc.ratelimit_line)
		add(rep, "chrony-no-ratelimit", AUDIT_MEDIUM, file, sc.allow_line,
		    _("add \"ratelimit interval 3 burst 8 leak 2\""), "%s",
		    _("chronyd serves time here without a rate limit, so it can be used to flood "
		      "others with time replies"));
}

/* --- OpenNTPD ------------------------------------------------------------------------ */

struct openntpd_scan {
	int listen_line;
};

static int openntpd_line(const struct import_line *l, void *arg)
{
	struct openntpd_scan *sc = arg;

	if (strcmp(l->words[0], "listen") == 0 && l->nwords >= 3 &&
	    strcmp(l->words[1], "on") == 0 && !is_loopback(l->words[2]) && !sc->listen_line)
		sc->listen_line = l->line;
	return 0;
}

/* Judged by the directive alone: a comment that says a firewall limits the
 * port proves nothing (ntpwiz's own warning comment included). */
static void audit_openntpd(const char *file, const char *text, size_t len, struct audit_report *rep)
{
	struct openntpd_scan sc = {0};

	import_each_line(text, len, IMPORT_HASH_ANYWHERE, openntpd_line, &sc);
	if (sc.listen_line)
		add(rep, "openntpd-listen", AUDIT_MEDIUM, file, sc.listen_line,
		    _("limit UDP port 123 with a firewall, or remove the listen line if the host "
		      "should serve no one"),
		    "%s",
		    _("OpenNTPD serves time to every host that reaches it on this address and has "
		      "no rate limit of its own"));
}

/* --- what the daemon itself refuses ------------------------------------------------------ */

enum refusal {
	REFUSE_FILE, /* the daemon does not start */
	REFUSE_LINE, /* the daemon logs an error and skips the whole line */
	REFUSE_WORD, /* ... keeps the line up to this word, drops the word and the rest */
};

/*
 * What each daemon version does not know, for the daemons that have no
 * checker of their own (NTPsec, ntp.org) and for chrony and OpenNTPD when
 * theirs is not installed. Measured with the real parsers where named
 * (tests/lib/daemons.sh); ntp.org's from its 4.2.8p10 keyword table.
 */
static const struct refused_row {
	enum daemon_id daemon;
	const char *from, *below; /* upstream versions; NULL: no bound */
	bool if_unknown;          /* applies when the version is not known */
	const char *directives;   /* space separated */
	const char *word;         /* NULL: the directive itself */
	enum refusal effect;
	const char *why; /* N_() */
} refused_rows[] = {
    {DAEMON_CHRONY, NULL, "4.6", false, "leapseclist", NULL, REFUSE_FILE,
     N_("chrony before 4.6 has no leapseclist directive: chronyd stops with \"Invalid "
        "directive\" and does not start (measured with chrony 4.3)")},
    {DAEMON_OPENNTPD, NULL, "6.3", true, "server servers sensor constraint constraints", "trusted",
     REFUSE_FILE,
     N_("OpenNTPD portable (6.2p3 and older, what Linux distributions ship) has no "
        "\"trusted\": ntpd reports a syntax error and does not start (measured with Debian 12's "
        "and 13's 6.2p3)")},
    {DAEMON_NTPSEC, NULL, NULL, true, "server pool peer", "preempt", REFUSE_WORD,
     N_("NTPsec has no \"preempt\": ntpd logs a syntax error for this line and ignores this "
        "option and every option after it; the server itself is kept (measured with NTPsec "
        "1.2.2 and 1.2.3)")},
    {DAEMON_NTPSEC, NULL, NULL, true, "restrict", "lowpriotrap", REFUSE_WORD,
     N_("NTPsec has no \"lowpriotrap\": ntpd logs a syntax error and applies the line "
        "without this flag and every flag after it (measured with NTPsec 1.2.2 and 1.2.3)")},
    {DAEMON_NTPSEC, NULL, NULL, true, "restrict", "noepeer", REFUSE_WORD,
     N_("NTPsec has no \"noepeer\": ntpd logs a syntax error and applies the line without "
        "this flag and every flag after it (a syntax error in NTPsec 1.2.2, read like "
        "lowpriotrap)")},
    {DAEMON_NTPSEC, NULL, NULL, true, "refclock", "gpsd", REFUSE_FILE,
     N_("Debian's and Ubuntu's NTPsec are built without the gpsd JSON driver: ntpd logs "
        "\"Unknown driver name gpsd\" and exits (measured with NTPsec 1.2.2 and 1.2.3); use \"refclock "
        "shm\" with gpsd instead")},
    {DAEMON_NTP, NULL, NULL, true, "refclock", NULL, REFUSE_LINE,
     N_("ntp.org's ntpd 4.2.8 has no refclock directive (that is NTPsec's): the line is a "
        "syntax error and this clock is not used; ntp.org names clocks \"server "
        "127.127.TYPE.UNIT\"")},
    {DAEMON_NTP, NULL, NULL, true, "server pool peer", "nts", REFUSE_WORD,
     N_("ntp.org's ntpd 4.2.8 has no NTS: it logs a syntax error, ignores this option and "
        "every option after it, and uses the server without authentication")},
};

static bool word_in(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; *p;) {
		size_t k = strcspn(p, " ");
		if (k == n && strncmp(p, w, n) == 0)
			return true;
		p += k;
		p += *p == ' ';
	}
	return false;
}

static bool row_applies(const struct refused_row *r, const struct backend *b, const char *version)
{
	if (r->daemon != b->id)
		return false;
	if (!version || !*version)
		return r->if_unknown;
	return (!r->from || audit_version_cmp(version, r->from) >= 0) &&
	       (!r->below || audit_version_cmp(version, r->below) < 0);
}

/* The row that refuses line l (and the index of the word it refuses, 0 for
 * the directive), or NULL. */
static const struct refused_row *refusal_of(const struct backend *b, const char *version,
                                            const struct import_line *l, size_t *at)
{
	for (size_t i = 0; i < sizeof(refused_rows) / sizeof(refused_rows[0]); i++) {
		const struct refused_row *r = &refused_rows[i];
		if (!row_applies(r, b, version) || !word_in(r->directives, l->words[0]))
			continue;
		if (!r->word) {
			*at = 0;
			return r;
		}
		for (size_t k = 1; k < l->nwords; k++)
			if (strcmp(l->words[k], r->word) == 0) {
				*at = k;
				return r;
			}
	}
	return NULL;
}

static size_t refused_word(const struct backend *b, const char *version,
                           const struct import_line *l)
{
	size_t at;
	const struct refused_row *r = b ? refusal_of(b, version, l, &at) : NULL;

	if (!r)
		return l->nwords;
	return r->effect == REFUSE_WORD ? at : 1;
}

/* --- time sources that can never work ------------------------------------------------------ */

/* The directives that name a time source, and those that may bring in more
 * from elsewhere (then ntpwiz cannot tell). */
static const struct source_words {
	enum daemon_id daemon;
	const char *sources, *elsewhere;
} source_words[] = {
    {DAEMON_NTP, "server pool peer manycastclient broadcastclient multicastclient", "includefile"},
    {DAEMON_NTPSEC, "server pool peer refclock manycastclient broadcastclient multicastclient",
     "includefile"},
    {DAEMON_CHRONY, "server pool peer refclock", "sourcedir include confdir"},
    {DAEMON_OPENNTPD, "server servers sensor", ""},
};

struct sources {
	int usable, unusable;
	bool elsewhere;     /* sources may come from other files */
	bool refused;       /* the daemon does not start: said already */
	char where[256];    /* the unusable lines, "line 3, line 7" */
	/* timesyncd: the merged NTP= and FallbackNTP= lists, as systemd merges */
	int ts_ntp, ts_fallback; /* -1: FallbackNTP never set (the built-in list) */
	char ts_file[256];
};

struct daemon_scan {
	const struct backend *b;
	const char *version, *file;
	const struct audit_refs *refs;
	struct audit_report *rep;
	struct sources *src;
	const struct source_words *sw;
	bool checked; /* the daemon's own checker ran: the table is not needed */
	bool in_time; /* timesyncd: inside [Time] */
};

static void unusable(struct sources *src, int line)
{
	size_t n = strlen(src->where);

	src->unusable++;
	/* TRANSLATORS: a list of config lines: "line 3, line 7" */
	snprintf(src->where + n, sizeof(src->where) - n, n ? _(", line %d") : _("line %d"), line);
}

static void refusal_finding(struct daemon_scan *sc, const struct refused_row *r,
                            const struct import_line *l, size_t at)
{
	static const char *const ids[] = {
	    [REFUSE_FILE] = "daemon-refuses",
	    [REFUSE_LINE] = "daemon-refuses-line",
	    [REFUSE_WORD] = "daemon-refuses-word",
	};

	if (r->effect == REFUSE_FILE)
		sc->src->refused = true;
	add(sc->rep, ids[r->effect], r->effect == REFUSE_WORD ? AUDIT_MEDIUM : AUDIT_HIGH,
	    sc->file, l->line,
	    r->effect == REFUSE_WORD
	        ? _("remove this word from the line (the daemon does not know it)")
	        : _("remove or replace this line: the daemon does not know it"),
	    /* TRANSLATORS: %1$s the word the daemon refuses, %2$s why */
	    _("\"%1$s\": %2$s"), l->words[at], _(r->why));
}

/* A server line's host can be resolved at all: a name or an address the
 * daemon reads ("-4"/"-6" first for ntpd; NTPsec also takes [IPv6]). A
 * template placeholder or a bracketed address for chrony never works. */
static bool usable_host(const struct backend *b, const struct import_line *l)
{
	size_t i = 1;
	char host[256];
	size_t n;

	if (i < l->nwords && (strcmp(l->words[i], "-4") == 0 || strcmp(l->words[i], "-6") == 0))
		i++;
	if (i >= l->nwords)
		return false;
	snprintf(host, sizeof(host), "%s", l->words[i]);
	n = strlen(host);
	if (b->id == DAEMON_NTPSEC && n > 2 && host[0] == '[' && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	return validate_host(host, NULL) == NULL;
}

static int daemon_line(const struct import_line *l, void *arg)
{
	struct daemon_scan *sc = arg;
	const struct refused_row *r = NULL;
	size_t at = 0, end = l->nwords;

	if (!sc->checked && (r = refusal_of(sc->b, sc->version, l, &at))) {
		refusal_finding(sc, r, l, at);
		end = r->effect == REFUSE_WORD ? at : 0;
	}
	if (!sc->sw)
		return 0;
	if (word_in(sc->sw->elsewhere, l->words[0]))
		sc->src->elsewhere = true;
	if (!word_in(sc->sw->sources, l->words[0]))
		return 0;
	if (end == 0) {
		unusable(sc->src, l->line);
		return 0;
	}
	if (word_in("server servers pool peer", l->words[0]) && !usable_host(sc->b, l)) {
		unusable(sc->src, l->line);
		return 0;
	}
	for (size_t k = 1; k < end; k++)
		if (strcmp(l->words[k], "noselect") == 0) {
			unusable(sc->src, l->line);
			return 0;
		}
	if (strcmp(l->words[0], "pool") == 0 && sc->refs && sc->refs->pool_blocked) {
		add(sc->rep, "ntp-pool-nopeer", AUDIT_HIGH, sc->file, l->line,
		    _("add \"restrict source notrap nomodify noquery\" (without nopeer)"), "%s",
		    _("ntp.org's ntpd refuses the servers this pool finds: the default restrict "
		      "line has nopeer (or ignore) and no \"restrict source\" line lets them in, so "
		      "this pool never gives time"));
		unusable(sc->src, l->line);
		return 0;
	}
	sc->src->usable++;
	return 0;
}

/* timesyncd: NTP= (and the older Servers=) and FallbackNTP= as systemd
 * merges them: an empty value clears the list, others add to it. */
static int timesyncd_line(const struct import_line *l, void *arg)
{
	struct daemon_scan *sc = arg;
	const char *eq = strchr(l->raw, '='), *v;
	size_t klen;
	int words = 0;

	if (l->raw[0] == '[') {
		sc->in_time = strcmp(l->raw, "[Time]") == 0;
		return 0;
	}
	if (!eq || !sc->in_time)
		return 0;
	klen = (size_t)(eq - l->raw);
	while (klen && (l->raw[klen - 1] == ' ' || l->raw[klen - 1] == '\t'))
		klen--;
	for (v = eq + 1; *v;) {
		v += strspn(v, " \t");
		if (*v)
			words++;
		v += strcspn(v, " \t");
	}
	if ((klen == 3 && strncmp(l->raw, "NTP", 3) == 0) ||
	    (klen == 7 && strncmp(l->raw, "Servers", 7) == 0))
		sc->src->ts_ntp = words ? sc->src->ts_ntp + words : 0;
	else if (klen == 11 && strncmp(l->raw, "FallbackNTP", 11) == 0)
		sc->src->ts_fallback = words ? (sc->src->ts_fallback < 0 ? 0 : sc->src->ts_fallback) + words : 0;
	else
		return 0;
	snprintf(sc->src->ts_file, sizeof(sc->src->ts_file), "%s", sc->file);
	return 0;
}

static void sources_init(struct sources *src)
{
	memset(src, 0, sizeof(*src));
	src->ts_fallback = -1;
}

static void sources_scan(const struct backend *b, const char *version, const char *file,
                         const char *text, size_t len, const struct audit_refs *refs,
                         bool checked, struct audit_report *rep, struct sources *src)
{
	struct daemon_scan sc = {b, version, file, refs, rep, src, NULL, checked, false};

	if (b->id == DAEMON_TIMESYNCD) {
		import_each_line(text, len, IMPORT_INI, timesyncd_line, &sc);
		return;
	}
	for (size_t i = 0; i < sizeof(source_words) / sizeof(source_words[0]); i++)
		if (source_words[i].daemon == b->id)
			sc.sw = &source_words[i];
	import_each_line(text, len, b->id == DAEMON_CHRONY ? IMPORT_CHRONY : IMPORT_HASH_ANYWHERE,
	                 daemon_line, &sc);
}

/* The verdict on all files of one daemon: no source that can ever work. */
static void sources_verdict(const struct backend *b, const char *file,
                            const struct sources *src, struct audit_report *rep)
{
	if (src->refused || src->elsewhere)
		return;
	if (b->id == DAEMON_TIMESYNCD) {
		if (src->ts_ntp == 0 && src->ts_fallback == 0)
			add(rep, "no-usable-source", AUDIT_HIGH, src->ts_file[0] ? src->ts_file : file,
			    0, _("name servers with NTP= in timesyncd.conf or a drop-in"), "%s",
			    _("NTP= and FallbackNTP= are both empty after the last file that sets them: "
			      "systemd-timesyncd has no server and never gets time"));
		return;
	}
	if (src->usable)
		return;
	if (src->unusable)
		add(rep, "no-usable-source", AUDIT_HIGH, file, 0,
		    _("add a server the daemon can use"),
		    _("no time source here can ever be used (%s): the daemon never gets time"),
		    src->where);
	else
		add(rep, "no-usable-source", AUDIT_HIGH, file, 0,
		    _("add a server, pool or reference clock"), "%s",
		    _("this file names no time source: the daemon never gets time"));
}

void audit_daemon_text(const struct backend *b, const char *version, const char *file,
                       const char *text, size_t len, const struct audit_refs *refs,
                       struct audit_report *rep)
{
	struct sources src;

	sources_init(&src);
	sources_scan(b, version, file, text, len, refs, false, rep, &src);
	sources_verdict(b, file, &src, rep);
}

/* --- the daemon's own checker ----------------------------------------------------------------- */

#define CHECK_TIMEOUT_MS 10000

/* The line a checker's message names: "at line N" (chronyd) or "TMP:N:"
 * (OpenNTPD), 0 if none. */
static int checker_line(const char *msg, const char *tmp)
{
	const char *p = strstr(msg, "at line ");
	size_t n = strlen(tmp);

	if (p)
		return atoi(p + 8);
	for (p = strstr(msg, tmp); p; p = strstr(p + 1, tmp))
		if (p[n] == ':' && isdigit((unsigned char)p[n + 1]))
			return atoi(p + n + 1);
	return 0;
}

/* The first line of the checker's complaint, with the temporary file's
 * name replaced by the real one, control characters as '?'. */
static void checker_message(const char *err, const char *tmp, const char *file, char *buf,
                            size_t size)
{
	struct strbuf sb;
	size_t n = strlen(tmp);
	const char *p = err;

	strbuf_init(&sb);
	/* the first line that is not "configuration OK" */
	while (*p && strncmp(p, "configuration OK", 16) == 0) {
		p += strcspn(p, "\n");
		p += *p == '\n';
	}
	/* chronyd's log time stamp: "2026-12-07T15:48:03Z " */
	if (strspn(p, "0123456789-:T") >= 19 && p[strspn(p, "0123456789-:T")] == 'Z')
		p += strspn(p, "0123456789-:T") + 1 + (p[strspn(p, "0123456789-:T") + 1] == ' ');
	for (; *p && *p != '\n'; p++) {
		if (strncmp(p, tmp, n) == 0) {
			strbuf_puts(&sb, file);
			p += n - 1;
			continue;
		}
		strbuf_putc(&sb, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
	}
	snprintf(buf, size, "%s", sb.len ? strbuf_str(&sb) : "?");
	strbuf_free(&sb);
}

/* " (LINE TEXT)" for line n of text, "" when n is 0 or past the end. */
static void line_text(const char *text, size_t len, int n, char *buf, size_t size)
{
	const char *p = text, *end = text + len;
	size_t k, o = 0;

	buf[0] = '\0';
	for (int i = 1; n > 0 && i < n && p < end; i++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		p = eol ? eol + 1 : end;
	}
	if (n <= 0 || p >= end || size < 8)
		return;
	k = strcspn(p, "\n");
	if (k > (size_t)(end - p))
		k = (size_t)(end - p);
	o = (size_t)snprintf(buf, size, " (");
	for (size_t i = 0; i < k && o + 4 < size; i++)
		buf[o++] = (unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i];
	snprintf(buf + o, size - o, ")");
}

/*
 * Runs the daemon's own checker (the backend's check_argv: chronyd -p,
 * OpenNTPD's ntpd -n; nothing that can touch the clock) on a private copy
 * of the text. Returns true when it ran and gave a verdict; false when
 * there is none or it could not run (then the table speaks).
 */
static bool run_checker(const struct backend *b, const char *file, const char *text, size_t len,
                        struct audit_report *rep, struct sources *src)
{
	char tmp[MODEL_PATH_MAX], msg[512], cmd[128] = "";
	const char *argv[16];
	struct sysops_exec_result r;
	size_t n = 0;
	bool ran;

	if (!b->check_argv || sysops_temp_file(text, len, tmp, sizeof(tmp)) < 0)
		return false;
	for (; b->check_argv[n] && n + 2 < sizeof(argv) / sizeof(argv[0]); n++) {
		argv[n] = b->check_argv[n];
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s%s", n ? " " : "",
		         argv[n]);
	}
	argv[n++] = tmp;
	argv[n] = NULL;
	ran = sysops_exec(argv, CHECK_TIMEOUT_MS, &r) == 0 && !r.timed_out && r.signal == 0;
	if (ran) {
		const char *err = r.errout ? r.errout : "";
		int line = checker_line(err, tmp);
		char quoted[160];
		checker_message(*err ? err : (r.out ? r.out : ""), tmp, file, msg, sizeof(msg));
		line_text(text, len, line, quoted, sizeof(quoted));
		if (r.status != 0) {
			src->refused = true;
			add(rep, "daemon-refuses", AUDIT_HIGH, file, line,
			    _("correct the line the daemon names"),
			    /* TRANSLATORS: %1$s the checker ("chronyd -p -f"), %2$s its message,
			       %3$s the line it names (may be empty) */
			    _("%1$s refuses this file, so the daemon does not start: %2$s%3$s"), cmd,
			    msg, quoted);
		} else if (!b->check_ok(r.status, r.out ? r.out : "", err)) {
			add(rep, "daemon-warns", AUDIT_MEDIUM, file, line,
			    _("correct the line the daemon names"),
			    /* TRANSLATORS: %1$s the checker ("chronyd -p -f"), %2$s its message,
			       %3$s the line it names (may be empty) */
			    _("%1$s complains about this file: %2$s%3$s"), cmd, msg, quoted);
		}
	}
	sysops_exec_result_free(&r);
	sysops_unlink_host(tmp);
	return ran;
}

/* --- policy against the profile ---------------------------------------------------------- */

static void audit_intent(const struct backend *b, const char *file, const char *text, size_t len,
                         const struct setup *intent, struct audit_report *rep)
{
	static const char *const policy_words[POLICY_COUNT] = {
	    [POLICY_CLIENT_ONLY] = N_("serves no one"),
	    [POLICY_LAN] = N_("serves its networks"),
	    [POLICY_PUBLIC] = N_("serves everyone"),
	};
	struct import_notes notes;
	struct errlist errs;
	struct setup s;

	if (!intent || !b->import)
		return;
	model_init(&s);
	import_notes_init(&notes);
	errlist_init(&errs);
	if (b->import(text, len, &s, &notes, &errs) == 0 && s.policy > intent->policy)
		add(rep, "serves-on-client",
		    intent->policy == POLICY_CLIENT_ONLY ? AUDIT_HIGH : AUDIT_MEDIUM, file,
		    s.policy_line,
		    _("apply the profile (ntpwiz apply PROFILE), or change its policy"),
		    /* TRANSLATORS: %1$s and %2$s are "serves no one", "serves everyone"... */
		    _("this file %1$s, but the profile says the host %2$s"),
		    _(policy_words[s.policy]), _(policy_words[intent->policy]));
	import_notes_free(&notes);
	errlist_free(&errs);
}

/* issue 16 section 5: a PPS the daemon cannot use (refclock_pps_trap) */
static void audit_refclocks(const struct backend *b, const char *file, const char *text, size_t len,
                            struct audit_report *rep)
{
	struct import_notes notes;
	struct errlist errs;
	struct setup s;
	size_t i = 0;
	bool ntpd_prefer;
	char msg[512];

	if (!b->import || (b->id != DAEMON_CHRONY && b->id != DAEMON_NTP && b->id != DAEMON_NTPSEC))
		return;
	model_init(&s);
	import_notes_init(&notes);
	errlist_init(&errs);
	if (b->import(text, len, &s, &notes, &errs) == 0 &&
	    refclock_pps_trap(&s, b->id, &i, &ntpd_prefer, msg, sizeof(msg))) {
		add(rep, "pps-unnumbered", AUDIT_MEDIUM, file, s.refclocks.v[i].line,
		    ntpd_prefer ? _("set prefer on the clock or server that numbers the seconds")
		                : _("lock the PPS to the clock that numbers the seconds, or add a "
		                    "server"),
		    "%s", msg);
	}
	import_notes_free(&notes);
	errlist_free(&errs);
}

static void config_text(const struct backend *b, const char *version, const char *file,
                        const char *text, size_t len, const struct setup *intent,
                        struct audit_report *rep, struct audit_refs *refs)
{
	memset(refs, 0, sizeof(*refs));
	switch (b->id) {
	case DAEMON_NTP:
	case DAEMON_NTPSEC:
		audit_ntp(b, version, file, text, len, rep, refs);
		break;
	case DAEMON_CHRONY:
		audit_chrony(file, text, len, rep, refs);
		break;
	case DAEMON_OPENNTPD:
		audit_openntpd(file, text, len, rep);
		break;
	case DAEMON_AUTO:
	case DAEMON_TIMESYNCD: /* a client only: nothing to expose */
	case DAEMON_COUNT:
		break;
	}
	audit_intent(b, file, text, len, intent, rep);
	audit_refclocks(b, file, text, len, rep); /* issue 16 section 5 */
}

void audit_config_text(const struct backend *b, const char *file, const char *text, size_t len,
                       const struct setup *intent, struct audit_report *rep,
                       struct audit_refs *refs)
{
	config_text(b, "", file, text, len, intent, rep, refs);
}

/* --- the leap-second list ---------------------------------------------------------------- */

int audit_leap_expiry(const char *text, size_t len, time_t *expires, int *line)
{
	const char *p = text, *end = text + len;
	int n = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(end - p);
		n++;
		if (l > 2 && p[0] == '#' && p[1] == '@') {
			char num[32];
			const char *q = p + 2;
			size_t k = 0;
			while (q < p + l && (*q == ' ' || *q == '\t'))
				q++;
			while (q < p + l && isdigit((unsigned char)*q) && k < sizeof(num) - 1)
				num[k++] = *q++;
			num[k] = '\0';
			if (k > 0 && k < 12) {
				*expires = (time_t)(strtoll(num, NULL, 10) - NTP_UNIX_OFFSET);
				*line = n;
				return 0;
			}
		}
		p += l + 1;
	}
	return -1;
}

static void date_text(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%d", &tm))
		snprintf(buf, size, "?");
}

/* Checks one leap-second list; `ref_file`/`ref_line` is the config line
 * that names it (NULL: the system's list, which no daemon audited here
 * reads: then what is wrong with it is only worth knowing). */
static int audit_leap_file(const char *path, const char *ref_file, int ref_line,
                           struct audit_report *rep, struct errlist *errs)
{
	time_t expires, now = sysops_now();
	char *text, date[32];
	size_t len;
	int line;

	if (sysops_read_root_file(path, &text, &len) < 0) {
		if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP && errno != EXDEV) {
			errlist_add(errs, ERR_ERROR, path,
			            _("cannot read the leap-second list: %s"), strerror(errno));
			return -1;
		}
		if (ref_file)
			add(rep, "leap-file-missing", AUDIT_MEDIUM, ref_file, ref_line,
			    _("install the tzdata package, or point leapfile at its "
			      "/usr/share/zoneinfo/leap-seconds.list"),
			    _("the leap-second list %s does not exist: the daemon cannot announce "
			      "a leap "
			      "second unless its servers do"),
			    path);
		else
			add(rep, "leap-file-missing", AUDIT_INFO, path, 0,
			    _("install the tzdata package"), "%s",
			    _("there is no leap-second list (tzdata's leap-seconds.list)"));
		return 0;
	}
	if (audit_leap_expiry(text, len, &expires, &line) < 0) {
		add(rep, "leap-file-expired", ref_file ? AUDIT_MEDIUM : AUDIT_INFO, path, 0,
		    _("replace it with a current copy from the tzdata package"), "%s",
		    _("the leap-second list has no expiry line (#@): it is not a leap-seconds.list "
		      "file, or it is damaged"));
		free(text);
		return 0;
	}
	free(text);
	date_text(expires, date, sizeof(date));
	if (expires <= now && ref_file)
		add(rep, "leap-file-expired", AUDIT_MEDIUM, path, line,
		    _("update the tzdata package (or fetch a current list from IERS, e.g. with "
		      "ntpleapfetch); NTPsec and ntpd log warnings until then"),
		    _("the leap-second list expired on %s: daemons that read it no longer trust it "
		      "to announce a leap second"),
		    date);
	else if (expires <= now)
		add(rep, "leap-file-expired", AUDIT_INFO, path, line,
		    _("update the tzdata package"),
		    _("the leap-second list expired on %s; no daemon audited here reads it (they "
		      "learn of leap seconds from their servers or from the right/ time zones)"),
		    date);
	else if (expires - now < (time_t)LEAP_SOON_DAYS * 86400)
		add(rep, "leap-file-expiring", AUDIT_INFO, path, line,
		    _("update the tzdata package before then"),
		    _("the leap-second list expires on %s"), date);
	return 0;
}

/* --- versions ---------------------------------------------------------------------------- */

/* The upstream part of a package version: no epoch ("1:"), no revision
 * (after the last '-'), no repack suffix ("+dfsg", "~"). */
static void upstream(const char *v, char *out, size_t size)
{
	const char *colon = strchr(v, ':');
	size_t n;

	if (colon && colon - v < 4)
		v = colon + 1;
	snprintf(out, size, "%s", v);
	n = strcspn(out, "+~");
	out[n] = '\0';
	if (strrchr(out, '-'))
		*strrchr(out, '-') = '\0';
}

int audit_version_cmp(const char *a, const char *b)
{
	char x[64], y[64];
	const char *p, *q;

	upstream(a, x, sizeof(x));
	upstream(b, y, sizeof(y));
	p = x;
	q = y;
	while (*p || *q) {
		if (isdigit((unsigned char)*p) && isdigit((unsigned char)*q)) {
			long m = strtol(p, (char **)&p, 10), n = strtol(q, (char **)&q, 10);
			if (m != n)
				return m < n ? -1 : 1;
			continue;
		}
		if (!*p || !*q)
			return *p ? 1 : -1;
		if (*p != *q) {
			/* a digit sorts after a letter or dot here: "4.2.8p1" > "4.2.8" */
			return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
		}
		p++;
		q++;
	}
	return 0;
}

/*
 * Versions with known holes, from the projects' own security notices: the
 * upstream version that fixed them. Distributions backport fixes without
 * changing that number, so the finding says to check the vendor's notices.
 */
static const struct old_version {
	enum daemon_id daemon;
	const char *fixed_in;
	enum audit_severity severity;
	const char *why; /* N_() */
} old_versions[] = {
    {DAEMON_NTP, "4.2.8", AUDIT_HIGH,
     N_("before 4.2.8, ntpd answered monlist (CVE-2013-5211, DRDoS amplification) and had "
        "remote code execution holes (CVE-2014-9295)")},
    {DAEMON_NTP, "4.2.8p15", AUDIT_MEDIUM,
     N_("before 4.2.8p15, ntpd could be made to drop its servers by spoofed packets "
        "(CVE-2020-11868) and had a memory leak a remote host could trigger (CVE-2020-15025)")},
    {DAEMON_NTPSEC, "1.1.3", AUDIT_MEDIUM,
     N_("before 1.1.3, NTPsec's ntpd could be crashed by remote hosts (CVE-2019-6442, "
        "CVE-2019-6443, CVE-2019-6444, CVE-2019-6445)")},
    {DAEMON_CHRONY, "3.5.1", AUDIT_MEDIUM,
     N_("before 3.5.1, chronyd wrote its PID file through a symlink an unprivileged user "
        "could plant (CVE-2020-14367)")},
};

static void audit_versions(const struct detect_info *host, struct audit_report *rep)
{
	for (size_t i = 0; i < sizeof(old_versions) / sizeof(old_versions[0]); i++) {
		const struct old_version *o = &old_versions[i];
		const struct detect_daemon *dd = &host->daemons[o->daemon];
		bool worse_listed = false;
		if (!dd->installed || !dd->version[0] ||
		    audit_version_cmp(dd->version, o->fixed_in) >= 0)
			continue;
		/* only the oldest matching row */
		for (size_t k = 0; k < i; k++)
			worse_listed |=
			    old_versions[k].daemon == o->daemon &&
			    audit_version_cmp(dd->version, old_versions[k].fixed_in) < 0;
		if (worse_listed)
			continue;
		add(rep, "daemon-version-old", o->severity, dd->binary, 0,
		    _("upgrade the package; distributions backport fixes, so check the vendor's "
		      "security notices for this exact version"),
		    /* TRANSLATORS: %1$s daemon, %2$s version, %3$s why it is old */
		    _("%1$s %2$s is old: %3$s"), dd->backend->name, dd->version, _(o->why));
	}
}

/* --- the whole audit ------------------------------------------------------------------------ */

static int cmp_findings(const void *a, const void *b)
{
	const struct audit_finding *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void add_daemon_name(struct audit_report *rep, const char *name)
{
	size_t n = strlen(rep->daemons);

	snprintf(rep->daemons + n, sizeof(rep->daemons) - n, "%s%s", n ? "," : "", name);
}

static void add_file(struct audit_report *rep, const char *path)
{
	char **nv = realloc(rep->files, (rep->nfiles + 1) * sizeof(*nv));

	if (!nv)
		return;
	rep->files = nv;
	if ((nv[rep->nfiles] = strdup(path)))
		rep->nfiles++;
}

/* The leap-second list and time zone one config refers to. */
static int audit_refs_files(const char *path, const struct audit_refs *refs,
                            struct audit_report *rep, bool *leap_checked, struct errlist *errs)
{
	int rc = 0;

	if (refs->leapfile[0]) {
		rc = audit_leap_file(refs->leapfile, path, refs->leapfile_line, rep, errs);
		*leap_checked |= strcmp(refs->leapfile, LEAP_LIST) == 0;
	}
	if (refs->leapsectz[0] && strchr(refs->leapsectz, '.') == NULL) {
		char tz[256];
		struct sysops_stat st;
		snprintf(tz, sizeof(tz), "/usr/share/zoneinfo/%s", refs->leapsectz);
		if (sysops_stat_root(tz, &st) == 0 && !st.exists)
			add(rep, "leap-file-missing", AUDIT_MEDIUM, path, refs->leapsectz_line,
			    _("install the tzdata package"),
			    _("the time zone %s does not exist: chronyd cannot learn of leap "
			      "seconds "
			      "from it"),
			    tz);
	}
	return rc;
}

/* ---- issue 16 section 2: the key file a config names ---- */

static const struct {
	enum daemon_id d;
	const char *directive;
	enum import_comments style;
} key_directives[] = {
    {DAEMON_CHRONY, "keyfile", IMPORT_CHRONY},
    {DAEMON_NTP, "keys", IMPORT_HASH_ANYWHERE},
    {DAEMON_NTPSEC, "keys", IMPORT_HASH_ANYWHERE},
};

struct key_scan {
	const char *directive;
	char path[MODEL_PATH_MAX];
	int line;
};

static int key_line(const struct import_line *l, void *arg)
{
	struct key_scan *k = arg;

	if (l->nwords == 2 && strcmp(l->words[0], k->directive) == 0) {
		snprintf(k->path, sizeof(k->path), "%s", l->words[1]);
		k->line = l->line;
	}
	return 0;
}

static void audit_key_file(const struct backend *b, const char *file, const char *text,
                           size_t len, struct audit_report *rep)
{
	struct sysops_stat st;

	for (size_t i = 0; i < sizeof(key_directives) / sizeof(key_directives[0]); i++) {
		struct key_scan k = {.directive = key_directives[i].directive};
		if (key_directives[i].d != b->id)
			continue;
		import_each_line(text, len, key_directives[i].style, key_line, &k);
		if (!k.path[0] || k.path[0] != '/' || sysops_stat_root(k.path, &st) < 0 ||
		    !st.exists)
			return;
		if (st.mode & 0004)
			add(rep, "key-file-readable", AUDIT_HIGH, file, k.line,
			    _("chmod 640 the file (group of the daemon), then replace every key in "
			      "it: they must be taken as known"),
			    _("every user on this host can read the secret keys in %s"), k.path);
		else if (st.mode & 0002)
			add(rep, "key-file-readable", AUDIT_HIGH, file, k.line,
			    _("chmod 640 the file (group of the daemon)"),
			    _("every user on this host can change the keys in %s"), k.path);
		return;
	}
}

/* ---- issue 16 section 6: the NTS server's private key ---- */

struct nts_key_scan {
	enum daemon_id d;
	char path[MODEL_PATH_MAX];
	int line;
};

/* chrony: "ntsserverkey FILE" (each); NTPsec: "nts ... key FILE ..." */
static int nts_key_line(const struct import_line *l, void *arg)
{
	struct nts_key_scan *k = arg;

	if (k->path[0])
		return 0; /* the first one: one finding per file is enough */
	if (k->d == DAEMON_CHRONY && l->nwords == 2 && strcmp(l->words[0], "ntsserverkey") == 0) {
		snprintf(k->path, sizeof(k->path), "%s", l->words[1]);
		k->line = l->line;
	}
	if (k->d == DAEMON_NTPSEC && strcmp(l->words[0], "nts") == 0)
		for (size_t i = 1; i + 1 < l->nwords; i++)
			if (strcmp(l->words[i], "key") == 0) {
				snprintf(k->path, sizeof(k->path), "%s", l->words[i + 1]);
				k->line = l->line;
				break;
			}
	return 0;
}

static void audit_nts_key(const struct backend *b, const char *file, const char *text, size_t len,
                          struct audit_report *rep)
{
	struct nts_key_scan k = {.d = b->id};
	struct sysops_stat st;

	if (b->id != DAEMON_CHRONY && b->id != DAEMON_NTPSEC)
		return;
	import_each_line(text, len, b->id == DAEMON_CHRONY ? IMPORT_CHRONY : IMPORT_HASH_ANYWHERE,
	                 nts_key_line, &k);
	if (k.path[0] != '/' || sysops_stat_root(k.path, &st) < 0 || !st.exists || st.is_link)
		return;
	if (st.mode & 0004)
		add(rep, "nts-key-readable", AUDIT_HIGH, file, k.line,
		    _("chmod 640 the key (group of the daemon), then get a new key and "
		      "certificate: the old key must be taken as known"),
		    _("every user on this host can read the NTS server's private key %s; with it "
		      "anyone can pose as this time server"),
		    k.path);
}

/* Every config file daemon b reads (timesyncd: the main file and its
 * drop-ins, in systemd's order). 1 when there is none. */
static int audit_one(const struct detect_info *host, const struct backend *b,
                     enum distro_family f, const struct setup *intent, struct audit_report *rep,
                     bool *leap_checked, struct errlist *errs)
{
	const struct detect_daemon *dd = &host->daemons[b->id];
	const char *version = dd->installed ? dd->version : "";
	const char *last = NULL;
	struct sources src;
	char **paths;
	size_t n;
	int rc = 0, found = 0;

	if (import_config_files(b, f, &paths, &n) < 0) {
		errlist_add(errs, ERR_ERROR, "", "%s", strerror(ENOMEM));
		return -1;
	}
	sources_init(&src);
	for (size_t i = 0; i < n; i++) {
		struct audit_refs refs;
		char *text;
		size_t len;
		bool checked;
		if (!paths[i])
			continue;
		if (sysops_read_root_file(paths[i], &text, &len) < 0) {
			if (errno == ENOENT)
				continue;
			errlist_add(errs, ERR_ERROR, paths[i], _("cannot read the current file: %s"),
			            strerror(errno));
			rc = -1;
			continue;
		}
		if (!found++)
			add_daemon_name(rep, b->name);
		add_file(rep, paths[i]);
		last = paths[i];
		config_text(b, version, paths[i], text, len, intent, rep, &refs);
		audit_key_file(b, paths[i], text, len, rep); /* issue 16 section 2 */
		audit_nts_key(b, paths[i], text, len, rep);  /* issue 16 section 6 */
		checked = run_checker(b, paths[i], text, len, rep, &src);
		sources_scan(b, version, paths[i], text, len, &refs, checked, rep, &src);
		free(text);
		if (audit_refs_files(paths[i], &refs, rep, leap_checked, errs) < 0)
			rc = -1;
	}
	if (found)
		sources_verdict(b, last, &src, rep);
	sysops_free_names(paths, n);
	return rc < 0 ? -1 : found ? 0 : 1;
}

int audit_run(const struct detect_info *host, const struct backend *only,
              const struct setup *intent, struct audit_report *rep, struct errlist *errs)
{
	enum distro_family f = host->distro.family;
	const struct backend *const *all;
	bool leap_checked = false;
	int rc = 0, found = 0;
	size_t n;

	/* On a host with a daemon installed, a file left by a removed package
	 * (dpkg's "rc" state) is not a configuration in use: a note, not an
	 * audit. A tree with no daemon installed (files only) is audited whole. */
	bool any_installed = false;
	for (int d = 1; d < DAEMON_COUNT; d++)
		any_installed |= host->daemons[d].installed;
	all = backend_all(&n);
	for (size_t i = 0; i < n; i++) {
		int r;
		if (only && all[i] != only)
			continue;
		if (!only && any_installed && !host->daemons[all[i]->id].installed) {
			if (host->daemons[all[i]->id].config_exists)
				add(rep, "leftover-config", AUDIT_INFO,
				    backend_conf_path(all[i], f), 0,
				    _("remove it, or purge the package it came from"),
				    _("%s is not installed: this file is left from a removed "
				      "package "
				      "and is not in use"),
				    all[i]->name);
			continue;
		}
		r = audit_one(host, all[i], f, intent, rep, &leap_checked, errs);
		if (r < 0)
			rc = -1;
		found += r == 0;
	}
	if (!found)
		add(rep, "no-config", AUDIT_INFO, only ? backend_conf_path(only, f) : "", 0,
		    _("set one up with ntpwiz apply PROFILE"),
		    only ? _("there is no %s configuration file here") : "%s",
		    only ? only->name : _("no time daemon's configuration file was found"));
	if (!leap_checked && audit_leap_file(LEAP_LIST, NULL, 0, rep, errs) < 0)
		rc = -1;
	if (host->enabled_count > 1) {
		char names[128] = "";
		for (int d = 1; d < DAEMON_COUNT; d++) {
			const struct detect_daemon *dd = &host->daemons[d];
			size_t len = strlen(names);
			if (dd->backend && (dd->enabled || dd->running))
				snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "",
				         dd->backend->name);
		}
		add(rep, "daemons-conflict", AUDIT_MEDIUM, "", 0,
		    _("keep one: ntpwiz apply stops and disables the others "
		      "(apply.stop_conflicting)"),
		    _("%d time daemons are enabled or running (%s): they fight over the clock"),
		    host->enabled_count, names);
	}
	if (host->ntpdate_installed)
		add(rep, "ntpdate-installed", AUDIT_INFO, "", 0,
		    _("remove it (apply with install = true purges it); the daemon sets the clock "
		      "at "
		      "boot by itself"),
		    "%s",
		    _("ntpdate is installed: it is deprecated, and a boot script that runs it can "
		      "step the clock behind the daemon's back"));
	audit_versions(host, rep);
	if (rep->n > 1)
		qsort(rep->v, rep->n, sizeof(rep->v[0]), cmp_findings);
	return rc;
}
