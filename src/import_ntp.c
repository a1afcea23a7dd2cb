/*
 * import_ntp: ntp.conf of ntpd (ntp.org 4.2.8) and NTPsec into the model
 * (see import.h).
 *
 * The access policy comes from the restrict lines once the whole file is
 * read: a default (for IPv4 and for IPv6; "restrict default" is both) that
 * serves time (no ignore, no noserve) is the public policy; otherwise
 * networks that are served are the lan policy; otherwise client-only. No
 * default line at all means ntpd answers everyone: public. The restrict
 * lines ntpwiz writes itself (source, 127.0.0.1, ::1, the flags of
 * backend_ntp.c) go without a note; anything else is noted, in particular
 * a default whose flags ntpwiz tightens.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "i18n.h"
#include "import.h"
#include "refclock.h"
#include "validate.h"

#define LEAPFILE "/usr/share/zoneinfo/leap-seconds.list"
#define STATISTICS "loopstats peerstats clockstats"

enum flag {
	F_IGNORE = 1 << 0,
	F_NOSERVE = 1 << 1,
	F_KOD = 1 << 2,
	F_LIMITED = 1 << 3,
	F_NOMODIFY = 1 << 4,
	F_NOQUERY = 1 << 5,
	F_NOTRAP = 1 << 6,
	F_NOPEER = 1 << 7,
	F_OTHER = 1 << 8, /* any other flag */
};

static const struct {
	const char *name;
	unsigned bit;
} flag_names[] = {
    {"ignore", F_IGNORE},     {"noserve", F_NOSERVE}, {"kod", F_KOD},       {"limited", F_LIMITED},
    {"nomodify", F_NOMODIFY}, {"noquery", F_NOQUERY}, {"notrap", F_NOTRAP}, {"nopeer", F_NOPEER},
};

/* What backend_ntp.c writes. */
#define SERVE_NTPSEC (F_KOD | F_LIMITED | F_NOMODIFY | F_NOQUERY)
#define SERVE_NTP (SERVE_NTPSEC | F_NOTRAP | F_NOPEER)
#define SOURCE_NTPSEC (F_NOMODIFY | F_NOQUERY)
#define SOURCE_NTP (F_NOTRAP | F_NOMODIFY | F_NOQUERY)

struct rline {
	int line;
	char *raw;
	unsigned flags;
};

/* One default entry per address family. */
struct dflt {
	bool seen;
	struct rline r;
};

#define MAX_NETS 64

struct ctx {
	struct setup *s;
	struct import_notes *notes;
	struct errlist scratch;
	bool ntpsec;
	struct dflt v4, v6;
	struct rline nets[MAX_NETS]; /* served networks, in the model's order */
	size_t nnets;
	struct rline statsdir, statistics;
	struct rline trustedkey; /* issue 16 section 2 */
	struct import_nts nts;   /* issue 16 section 6 */
	struct rline ifaces[MAX_NETS];
	size_t nifaces;
	bool ignore_all;
	char statsdir_path[MODEL_PATH_MAX];
	bool leap_seen;
};

static unsigned parse_flags(char *const *w, size_t n)
{
	unsigned f = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k;
		for (k = 0; k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
			if (strcmp(w[i], flag_names[k].name) == 0)
				break;
		f |= k < sizeof(flag_names) / sizeof(flag_names[0]) ? flag_names[k].bit : F_OTHER;
	}
	return f;
}

static void keep(struct rline *r, const struct import_line *l, unsigned flags)
{
	free(r->raw);
	r->line = l->line;
	r->raw = strdup(l->raw);
	r->flags = flags;
}

static bool serves(unsigned flags)
{
	return !(flags & (F_IGNORE | F_NOSERVE));
}

/* Server options that take a value (ntp.conf(5), NTPsec's too). */
static const char *const valued_options[] = {
    "ask", "bias", "key", "maxpoll", "minpoll", "mode", "ttl", "version", NULL,
};

static void source(struct ctx *c, const struct import_line *l, enum server_kind kind)
{
	char host[MODEL_HOST_MAX + 3];
	struct server srv;
	size_t i = 1;

	model_server_init(&srv);
	srv.kind = kind;
	srv.iburst = false;
	srv.line = l->line;
	if (i < l->nwords && (strcmp(l->words[i], "-4") == 0 || strcmp(l->words[i], "-6") == 0)) {
		import_note_option(c->notes, l, l->words[i], NULL,
		                   _("ntpwiz does not limit a server to IPv4 or IPv6"));
		i++;
	}
	if (i >= l->nwords) {
		import_note(c->notes, l, _("no host is named"));
		return;
	}
	snprintf(host, sizeof(host), "%s", l->words[i]);
	/* NTPsec takes [IPv6]; the model holds bare literals */
	if (host[0] == '[' && strlen(host) > 2 && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host) - 2);
		host[strlen(host) - 2] = '\0';
	}
	if (strncmp(host, "127.127.", 8) == 0) {
		if (refclock_import_ntp_server(c->s, l, i, c->notes, &c->scratch))
			return; /* issue 16 section 5 */
		import_note(c->notes, l,
		            _("a reference clock driver; ntpwiz does not set up reference clocks"));
		return;
	}
	if (model_set_server_host(c->s, &srv, "host", host, &c->scratch) < 0) {
		import_note_refused(c->notes, l, &c->scratch);
		return;
	}
	import_server_options(c->s, &srv, l, i + 1, valued_options, c->ntpsec, "ntpd", c->notes,
	                      &c->scratch);
}

static bool localhost(const char *a)
{
	return strcmp(a, "127.0.0.1") == 0 || strcmp(a, "::1") == 0;
}

static void restrict_line(struct ctx *c, const struct import_line *l)
{
	size_t i = 1;
	int fam = 0; /* 4, 6 or 0 for both */
	const char *addr, *mask = NULL;
	unsigned flags;

	if (i < l->nwords && strcmp(l->words[i], "-4") == 0)
		fam = 4, i++;
	else if (i < l->nwords && strcmp(l->words[i], "-6") == 0)
		fam = 6, i++;
	if (i >= l->nwords) {
		import_note(c->notes, l, _("no address is named"));
		return;
	}
	addr = l->words[i++];
	if (i + 1 < l->nwords && strcmp(l->words[i], "mask") == 0) {
		mask = l->words[i + 1];
		i += 2;
	}
	flags = parse_flags(l->words + i, l->nwords - i);
	/* "restrict 0.0.0.0 mask 0.0.0.0" is the IPv4 default, "::" with a
	 * zero mask the IPv6 one */
	if (mask && validate_mask_prefix(mask, strchr(addr, ':') != NULL) == 0) {
		fam = strchr(addr, ':') ? 6 : 4;
		addr = "default";
		mask = NULL;
	}
	if (strcmp(addr, "default") == 0 && !mask) {
		if (fam != 6)
			c->v4.seen = true, keep(&c->v4.r, l, flags);
		if (fam != 4)
			c->v6.seen = true, keep(&c->v6.r, l, flags);
		return;
	}
	if (strcmp(addr, "source") == 0 && !mask) {
		if (flags != (c->ntpsec ? SOURCE_NTPSEC : SOURCE_NTP))
			import_note(
			    c->notes, l,
			    c->ntpsec ? _("ntpwiz writes restrict source nomodify noquery")
			              : _("ntpwiz writes restrict source notrap nomodify noquery"));
		return;
	}
	if (localhost(addr) && !mask && flags == 0)
		return; /* ntpwiz writes both */
	if (!serves(flags)) {
		import_note(c->notes, l,
		            _("ntpwiz writes no lines that shut out one address or network; the "
		              "default decides"));
		return;
	}
	/* a served address or network */
	{
		char cidr[128];
		bool v6 = strchr(addr, ':') != NULL;
		int prefix = mask ? validate_mask_prefix(mask, v6) : (v6 ? 128 : 32);
		if (prefix < 0) {
			import_note(c->notes, l, _("the mask is not a network mask"));
			return;
		}
		snprintf(cidr, sizeof(cidr), "%s/%d", addr, prefix);
		if (model_add_allow(c->s, "restrict", cidr, l->line, &c->scratch) < 0) {
			import_note_refused(c->notes, l, &c->scratch);
			return;
		}
		if (c->nnets < MAX_NETS)
			keep(&c->nets[c->nnets++], l, flags);
	}
}

static void note_rline(struct ctx *c, const struct rline *r, const char *reason);

/* What ntpwiz writes to serve on chosen addresses (backend_ntp.c):
 * "interface ignore wildcard", "interface ignore all", "interface listen
 * ADDR" (localhost among them). Anything else is noted at the end. */
static void interface_line(struct ctx *c, const struct import_line *l)
{
	const char *act = l->nwords == 3 ? l->words[1] : "",
	           *what = l->nwords == 3 ? l->words[2] : "";
	struct rline *r = c->nifaces < MAX_NETS ? &c->ifaces[c->nifaces++] : NULL;

	if (r)
		keep(r, l, 0);
	if (strcmp(act, "ignore") == 0 && strcmp(what, "all") == 0)
		c->ignore_all = true;
	else if (strcmp(act, "ignore") == 0 && strcmp(what, "wildcard") == 0)
		;
	else if (strcmp(act, "listen") == 0 && strchr(what, '/') == NULL)
		; /* an address: decided at the end */
	else if (r)
		r->flags = F_OTHER;
}

static void settle_interfaces(struct ctx *c)
{
	struct setup *s = c->s;
	bool plain = c->ignore_all;

	for (size_t i = 0; i < c->nifaces; i++)
		plain &= c->ifaces[i].flags == 0;
	for (size_t i = 0; i < c->nifaces && plain; i++) {
		const char *w = c->ifaces[i].raw;
		const char *a = strncmp(w, "interface listen ", 17) == 0 ? w + 17 : NULL;
		if (!a || localhost(a))
			continue;
		if (s->policy == POLICY_CLIENT_ONLY) {
			note_rline(c, &c->ifaces[i],
			           _("this host serves no one, so listening here has no effect"));
		} else if (model_add_listen(s, "interface", a, c->ifaces[i].line, &c->scratch) <
		           0) {
			note_rline(c, &c->ifaces[i], c->scratch.v[0].message);
			errlist_free(&c->scratch);
			errlist_init(&c->scratch);
		}
	}
	if (!plain)
		for (size_t i = 0; i < c->nifaces; i++)
			note_rline(
			    c, &c->ifaces[i],
			    _("ntpwiz writes interface lines only to serve on chosen addresses "
			      "(interface ignore all, then interface listen ADDRESS)"));
}

static int one_line(const struct import_line *l, void *arg)
{
	struct ctx *c = arg;
	const char *d = l->words[0];

	if (l->truncated)
		import_note(c->notes, l,
		            _("more than 32 words: the words after the 32nd are not read"));
	const char *a1 = l->nwords > 1 ? l->words[1] : NULL;
	struct setup *s = c->s;

	if (strcmp(d, "server") == 0) {
		source(c, l, SERVER_KIND_SERVER);
	} else if (strcmp(d, "pool") == 0) {
		source(c, l, SERVER_KIND_POOL);
	} else if (strcmp(d, "restrict") == 0) {
		restrict_line(c, l);
	} else if (strcmp(d, "driftfile") == 0 && l->nwords == 2) {
		if (model_set_driftfile(s, "driftfile", a1, l->line, &c->scratch) < 0)
			import_note_refused(c->notes, l, &c->scratch);
	} else if (strcmp(d, "leapfile") == 0 && l->nwords == 2) {
		c->leap_seen = true;
		c->notes->local_leap = true;
		if (s->leap != LEAP_SMEAR)
			s->leap = LEAP_STEP, s->leap_line = l->line;
		if (strcmp(a1, LEAPFILE) != 0)
			import_note(
			    c->notes, l,
			    _("ntpwiz writes leapfile /usr/share/zoneinfo/leap-seconds.list"));
	} else if (strcmp(d, "leapsmearinterval") == 0) {
		s->leap = LEAP_SMEAR;
		s->leap_line = l->line;
	} else if (strcmp(d, "statsdir") == 0 && l->nwords == 2) {
		keep(&c->statsdir, l, 0);
		snprintf(c->statsdir_path, sizeof(c->statsdir_path), "%s", a1);
	} else if (strcmp(d, "statistics") == 0) {
		keep(&c->statistics, l, 0);
	} else if (strcmp(d, "interface") == 0) {
		interface_line(c, l);
	} else if (strcmp(d, "includefile") == 0) {
		import_note(
		    c->notes, l,
		    _("the file named here will no longer be read; add what it holds to the "
		      "profile"));
	} else if (import_selection_line(s, l, false, c->notes, &c->scratch)) {
		/* tos (issue 16) */
	} else if (refclock_import_fudge(s, l, c->notes, &c->scratch) ||
	           (c->ntpsec && refclock_import_ntpsec(s, l, c->notes, &c->scratch))) {
		/* issue 16 section 5 */
	} else if (strcmp(d, "keys") == 0) {
		import_keys_file(s, l, true, c->notes, &c->scratch); /* issue 16 section 2 */
	} else if (strcmp(d, "trustedkey") == 0) {
		keep(&c->trustedkey, l, 0);
	} else if (c->ntpsec &&
	           import_nts_line(&c->nts, s, DAEMON_NTPSEC, l, c->notes, &c->scratch)) {
		/* issue 16 section 6 */
	} else if (import_extra(s, c->ntpsec ? DAEMON_NTPSEC : DAEMON_NTP, l, c->notes,
	                        &c->scratch)) {
		/* issue 16 section 8: kept as an operator line */
	} else {
		import_note(c->notes, l, _("ntpwiz does not write this directive"));
	}
	return 0;
}

static void note_rline(struct ctx *c, const struct rline *r, const char *reason)
{
	if (r->raw)
		import_note_text(c->notes, r->line, r->raw, reason);
}

/* A served line without noquery lets that host read and watch ntpd (ntpq,
 * mode 6): a monitoring host. ntpwiz answers such queries from localhost only. */
static const char *monitor_reason(const struct rline *r)
{
	return r->flags & F_NOQUERY
	           ? NULL
	           : _("this line lets these hosts query ntpd's status (ntpq, mode 6 "
	               "control queries), a monitoring host; ntpwiz answers control queries "
	               "from localhost only");
}

static void settle_access(struct ctx *c)
{
	struct setup *s = c->s;
	unsigned want = c->ntpsec ? SERVE_NTPSEC : SERVE_NTP;
	bool open4 = !c->v4.seen || serves(c->v4.r.flags);
	bool open6 = !c->v6.seen || serves(c->v6.r.flags);
	const char *tighter = c->ntpsec
	                          ? _("ntpwiz writes restrict default kod limited nomodify noquery")
	                          : _("ntpwiz writes restrict default kod limited notrap nomodify "
	                              "nopeer noquery");

	s->policy_line = c->v4.seen ? c->v4.r.line : c->v6.seen ? c->v6.r.line : 0;
	if (open4 || open6) {
		s->policy = POLICY_PUBLIC;
		for (size_t i = 0; i < c->nnets; i++)
			note_rline(c, &c->nets[i],
			           monitor_reason(&c->nets[i])
			               ? monitor_reason(&c->nets[i])
			               : _("the default already serves everyone"));
		s->nallow = 0;
		if (!c->v4.seen && !c->v6.seen)
			import_note_text(
			    c->notes, 0, "restrict default",
			    _("there is no default restrict line, so ntpd answers every "
			      "host, control queries included; ntpwiz writes one"));
		else if (!c->v4.seen || !c->v6.seen)
			import_note_text(
			    c->notes, 0, c->v4.seen ? "restrict -6 default" : "restrict -4 default",
			    _("this address family has no default restrict line, so ntpd "
			      "answers it unrestricted; ntpwiz writes one"));
		if (c->v4.seen && c->v4.r.flags != want)
			note_rline(c, &c->v4.r, tighter);
		if (c->v6.seen && c->v6.r.flags != want && c->v6.r.line != c->v4.r.line)
			note_rline(c, &c->v6.r, tighter);
		return;
	}
	s->policy = s->nallow ? POLICY_LAN : POLICY_CLIENT_ONLY;
	/* both defaults shut everyone out: ntpwiz writes "ignore" */
	if (c->v4.r.flags != F_IGNORE)
		note_rline(c, &c->v4.r, _("ntpwiz writes restrict default ignore"));
	if (c->v6.r.flags != F_IGNORE && c->v6.r.line != c->v4.r.line)
		note_rline(c, &c->v6.r, _("ntpwiz writes restrict default ignore"));
	for (size_t i = 0; i < c->nnets; i++)
		if (c->nets[i].flags != want)
			note_rline(c, &c->nets[i],
			           monitor_reason(&c->nets[i]) ? monitor_reason(&c->nets[i])
			           : c->ntpsec
			               ? _("ntpwiz writes the flags kod limited nomodify noquery "
			                   "for a served network")
			               : _("ntpwiz writes the flags kod limited notrap nomodify "
			                   "nopeer noquery for a served network"));
}

static void settle_logging(struct ctx *c)
{
	struct setup *s = c->s;
	char dir[MODEL_PATH_MAX];
	size_t n;

	if (!c->statsdir.raw) {
		note_rline(c, &c->statistics,
		           _("ntpwiz writes statistics only together with a statsdir"));
		return;
	}
	snprintf(dir, sizeof(dir), "%s", c->statsdir_path);
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	if (!c->statistics.raw || strcmp(c->statistics.raw, "statistics " STATISTICS) != 0) {
		note_rline(c, &c->statsdir,
		           _("ntpwiz writes a statsdir only together with \"statistics loopstats "
		             "peerstats clockstats\""));
		note_rline(c, &c->statistics,
		           _("ntpwiz writes only \"statistics loopstats peerstats clockstats\""));
		return;
	}
	if (model_set_logdir(s, "statsdir", dir, c->statsdir.line, &c->scratch) < 0) {
		note_rline(c, &c->statsdir, c->scratch.v[0].message);
		errlist_free(&c->scratch);
		errlist_init(&c->scratch);
	}
}

static void free_rline(struct rline *r)
{
	free(r->raw);
	r->raw = NULL;
}

/* issue 16 section 2: ntpwiz trusts exactly the keys its servers use. */
static void settle_trustedkey(struct ctx *c)
{
	const struct setup *s = c->s;
	char want[512] = "trustedkey", *save = NULL, copy[512];
	size_t o = strlen(want);

	for (size_t i = 0; i < s->nservers; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= s->servers[j].key == s->servers[i].key;
		if (s->servers[i].key && !seen && o < sizeof(want))
			o += (size_t)snprintf(want + o, sizeof(want) - o, " %u", s->servers[i].key);
	}
	if (!c->trustedkey.raw)
		return;
	/* the same words, whatever the spacing */
	snprintf(copy, sizeof(copy), "%s", c->trustedkey.raw);
	o = 0;
	char norm[512] = "";
	for (char *w = strtok_r(copy, " \t", &save); w && o < sizeof(norm);
	     w = strtok_r(NULL, " \t", &save))
		o += (size_t)snprintf(norm + o, sizeof(norm) - o, "%s%s", o ? " " : "", w);
	if (strcmp(norm, want) != 0)
		note_rline(c, &c->trustedkey,
		           _("ntpwiz trusts exactly the keys its servers use (keys that only "
		             "clients use are no longer trusted)"));
}

static int import_any(const char *text, size_t len, struct setup *s, struct import_notes *notes,
                      struct errlist *errs, bool ntpsec)
{
	struct ctx c;
	int r;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.notes = notes;
	c.ntpsec = ntpsec;
	errlist_init(&c.scratch);
	r = import_each_line(text, len, IMPORT_HASH_ANYWHERE, one_line, &c);
	settle_access(&c);
	import_settle_orphan(s, notes);
	import_settle_nts(&c.nts, s, notes, &c.scratch); /* issue 16 section 6 */
	refclock_import_settle(s, notes);
	settle_interfaces(&c);
	settle_logging(&c);
	settle_trustedkey(&c);
	free_rline(&c.trustedkey);
	free_rline(&c.v4.r);
	free_rline(&c.v6.r);
	for (size_t i = 0; i < c.nnets; i++)
		free_rline(&c.nets[i]);
	for (size_t i = 0; i < c.nifaces; i++)
		free_rline(&c.ifaces[i]);
	free_rline(&c.statsdir);
	free_rline(&c.statistics);
	errlist_free(&c.scratch);
	if (r < 0) {
		errlist_add(errs, ERR_ERROR, notes->file ? notes->file : "", "%s",
		            _("out of memory"));
		return -1;
	}
	return 0;
}

int import_ntp(const char *text, size_t len, struct setup *s, struct import_notes *notes,
               struct errlist *errs)
{
	return import_any(text, len, s, notes, errs, false);
}

int import_ntpsec(const char *text, size_t len, struct setup *s, struct import_notes *notes,
                  struct errlist *errs)
{
	return import_any(text, len, s, notes, errs, true);
}
