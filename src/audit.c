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
#include "strbuf.h"
#include "sysops.h"

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
};

static int ntp_line(const struct import_line *l, void *arg)
{
	struct ntp_scan *sc = arg;
	const char *d = l->words[0];

	if (strcmp(d, "restrict") == 0 && l->nwords >= 2 && sc->n < MAX_RESTRICTS) {
		struct restrict_entry *e = &sc->r[sc->n];
		size_t i = 1;
		memset(e, 0, sizeof(*e));
		e->line = l->line;
		if (strcmp(l->words[i], "-4") == 0 || strcmp(l->words[i], "-6") == 0)
			e->fam = l->words[i++][1] - '0';
		if (i >= l->nwords)
			return 0;
		snprintf(e->addr, sizeof(e->addr), "%s", l->words[i]);
		e->dflt = strcmp(e->addr, "default") == 0;
		e->source = strcmp(e->addr, "source") == 0;
		for (i++; i < l->nwords; i++) {
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

static void audit_ntp(const struct backend *b, const char *file, const char *text, size_t len,
                      struct audit_report *rep, struct audit_refs *refs)
{
	struct ntp_scan *sc = calloc(1, sizeof(*sc));
	const struct restrict_entry *d4, *d6;
	bool queries_open, shut;

	if (!sc)
		return;
	sc->refs = refs;
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
	} else if (strcmp(d, "leapsectz") == 0 && a1) {
		snprintf(sc->refs->leapsectz, sizeof(sc->refs->leapsectz), "%s", a1);
		sc->refs->leapsectz_line = l->line;
	} else if (strcmp(d, "leapseclist") == 0 && a1) {
		/* chrony 4.6+ reads the list ntpd's leapfile names: the same
		 * checks (missing, expired) */
		snprintf(sc->refs->leapfile, sizeof(sc->refs->leapfile), "%s", a1);
		sc->refs->leapfile_line = l->line;
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
	bool firewall_note;
};

static int openntpd_line(const struct import_line *l, void *arg)
{
	struct openntpd_scan *sc = arg;

	if (strcmp(l->words[0], "listen") == 0 && l->nwords >= 3 &&
	    strcmp(l->words[1], "on") == 0 && !is_loopback(l->words[2]) && !sc->listen_line)
		sc->listen_line = l->line;
	return 0;
}

static void audit_openntpd(const char *file, const char *text, size_t len, struct audit_report *rep)
{
	struct openntpd_scan sc = {0};
	const char *p = text, *end = text + len;

	import_each_line(text, len, IMPORT_HASH_ANYWHERE, openntpd_line, &sc);
	/* a comment that says the firewall limits it (ntpwiz writes one) */
	while (p < end && !sc.firewall_note) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		const char *hash = memchr(p, '#', n);
		if (hash) {
			for (const char *q = hash; q + 8 <= p + n; q++)
				if (strncasecmp(q, "firewall", 8) == 0)
					sc.firewall_note = true;
		}
		p += n + 1;
	}
	if (!sc.listen_line)
		return;
	if (sc.firewall_note)
		add(rep, "openntpd-listen", AUDIT_INFO, file, sc.listen_line,
		    _("keep the firewall's limit on UDP port 123"), "%s",
		    _("OpenNTPD serves time to every host that reaches it and has no rate limit of "
		      "its own; a comment here says a firewall limits it"));
	else
		add(rep, "openntpd-listen", AUDIT_MEDIUM, file, sc.listen_line,
		    _("limit UDP port 123 with a firewall (and say so in a comment here), or "
		      "remove the listen line if the host should serve no one"),
		    "%s",
		    _("OpenNTPD serves time to every host that reaches it and has no rate limit of "
		      "its own; nothing here says a firewall limits it"));
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

void audit_config_text(const struct backend *b, const char *file, const char *text, size_t len,
                       const struct setup *intent, struct audit_report *rep,
                       struct audit_refs *refs)
{
	memset(refs, 0, sizeof(*refs));
	switch (b->id) {
	case DAEMON_NTP:
	case DAEMON_NTPSEC:
		audit_ntp(b, file, text, len, rep, refs);
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
 * that names it (NULL: the system's list, no config refers to it). */
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
		add(rep, "leap-file-expired", AUDIT_MEDIUM, path, 0,
		    _("replace it with a current copy from the tzdata package"), "%s",
		    _("the leap-second list has no expiry line (#@): it is not a leap-seconds.list "
		      "file, or it is damaged"));
		free(text);
		return 0;
	}
	free(text);
	date_text(expires, date, sizeof(date));
	if (expires <= now)
		add(rep, "leap-file-expired", AUDIT_MEDIUM, path, line,
		    _("update the tzdata package (or fetch a current list from IERS, e.g. with "
		      "ntpleapfetch); NTPsec and ntpd log warnings until then"),
		    _("the leap-second list expired on %s: daemons that read it no longer trust it "
		      "to announce a leap second"),
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

static int audit_one(const struct backend *b, enum distro_family f, const struct setup *intent,
                     struct audit_report *rep, bool *leap_checked, struct errlist *errs)
{
	const char *path = backend_conf_path(b, f);
	struct audit_refs refs;
	char *text;
	size_t len;
	int rc = 0;

	if (sysops_read_root_file(path, &text, &len) < 0) {
		if (errno == ENOENT)
			return 1;
		errlist_add(errs, ERR_ERROR, path, _("cannot read the current file: %s"),
		            strerror(errno));
		return -1;
	}
	add_daemon_name(rep, b->name);
	audit_config_text(b, path, text, len, intent, rep, &refs);
	free(text);
	if (refs.leapfile[0]) {
		rc = audit_leap_file(refs.leapfile, path, refs.leapfile_line, rep, errs);
		*leap_checked |= strcmp(refs.leapfile, LEAP_LIST) == 0;
	}
	if (refs.leapsectz[0] && strchr(refs.leapsectz, '.') == NULL) {
		char tz[256];
		struct sysops_stat st;
		snprintf(tz, sizeof(tz), "/usr/share/zoneinfo/%s", refs.leapsectz);
		if (sysops_stat_root(tz, &st) == 0 && !st.exists)
			add(rep, "leap-file-missing", AUDIT_MEDIUM, path, refs.leapsectz_line,
			    _("install the tzdata package"),
			    _("the time zone %s does not exist: chronyd cannot learn of leap "
			      "seconds "
			      "from it"),
			    tz);
	}
	return rc;
}

int audit_run(const struct detect_info *host, const struct backend *only,
              const struct setup *intent, struct audit_report *rep, struct errlist *errs)
{
	enum distro_family f = host->distro.family;
	const struct backend *const *all;
	bool leap_checked = false;
	int rc = 0, found = 0;
	size_t n;

	all = backend_all(&n);
	for (size_t i = 0; i < n; i++) {
		int r;
		if (only && all[i] != only)
			continue;
		r = audit_one(all[i], f, intent, rep, &leap_checked, errs);
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
