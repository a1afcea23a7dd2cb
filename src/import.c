/*
 * import: the shared tokenizer, the notes list, and reading the current
 * config under the root (see import.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "distro.h"
#include "i18n.h"
#include "import.h"
#include "extra.h"
#include "keys.h"
#include "nts.h"
#include "smear.h"
#include "startopts.h"
#include "strbuf.h"
#include "sysops.h"

/* Longest line text kept in a note. */
#define NOTE_TEXT_MAX 200

void import_notes_init(struct import_notes *n)
{
	memset(n, 0, sizeof(*n));
}

void import_notes_free(struct import_notes *n)
{
	for (size_t i = 0; i < n->n; i++) {
		free(n->v[i].file);
		free(n->v[i].text);
		free(n->v[i].reason);
	}
	free(n->v);
	memset(n, 0, sizeof(*n));
}

const char *import_fate_name(enum import_fate f)
{
	return f == IMPORT_KEPT ? "kept" : "dropped";
}

/* A copy fit for a terminal: no control characters, bounded. */
static char *clean_copy(const char *s)
{
	size_t len = strnlen(s, NOTE_TEXT_MAX);
	char *c = malloc(len + 1);

	if (!c)
		return NULL;
	for (size_t i = 0; i < len; i++)
		/* a TAB is harmless on a terminal and JSON writes it as \t */
		c[i] = ((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f ? '?' : s[i];
	c[len] = '\0';
	return c;
}

void import_note_text(struct import_notes *n, int line, const char *text, const char *reason)
{
	struct import_note *e;

	if (n->n == n->cap) {
		size_t ncap = n->cap ? n->cap * 2 : 16;
		struct import_note *nv = realloc(n->v, ncap * sizeof(*nv));
		if (!nv)
			return;
		n->v = nv;
		n->cap = ncap;
	}
	e = &n->v[n->n];
	e->file = strdup(n->file ? n->file : "");
	e->text = clean_copy(text ? text : "");
	e->reason = strdup(reason ? reason : "");
	e->line = line;
	e->fate = n->file_kept ? IMPORT_KEPT : IMPORT_DROPPED;
	e->high = false;
	if (!e->file || !e->text || !e->reason) {
		free(e->file);
		free(e->text);
		free(e->reason);
		return;
	}
	n->n++;
}

void import_note_high(struct import_notes *n, const char *file, int line, const char *text,
                      const char *reason)
{
	const char *was = n->file;
	size_t before = n->n;

	n->file = file;
	import_note_text(n, line, text, reason);
	n->file = was;
	if (n->n > before)
		n->v[before].high = true;
}

/* First words of lines that name time sources, in any daemon's file. */
static bool names_source(const char *text)
{
	static const char *const words[] = {
	    "server",          "servers",     "pool", "peer",     "refclock",     "sensor",
	    "constraint",      "constraints", "NTP=", "Servers=", "FallbackNTP=", "broadcastclient",
	    "multicastclient",
	};
	size_t len = strcspn(text, " \t");

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t wl = strlen(words[i]);
		if ((len == wl && strncmp(text, words[i], wl) == 0) ||
		    (words[i][wl - 1] == '=' && strncmp(text, words[i], wl) == 0))
			return true;
	}
	return false;
}

int import_default_servers(const struct distro *d, struct setup *s, struct import_notes *notes,
                           struct errlist *errs)
{
	struct strbuf lines, hosts;
	char why[2048];
	size_t shown = 0;

	if (s->nservers > 0)
		return 0;
	if (s->refclocks.n > 0) {
		/* a stratum-1 host: its reference clocks are its sources */
		s->servers_set = true;
		return 0;
	}
	if (distro_apply_default_servers(d, s, errs) < 0)
		return -1;
	s->servers_set = s->nservers > 0;
	strbuf_init(&lines);
	strbuf_init(&hosts);
	for (size_t i = 0; i < notes->n; i++) {
		const struct import_note *e = &notes->v[i];
		if (!names_source(e->text) || shown >= 8)
			continue;
		strbuf_printf(&lines, "%s%s:%d (%s)", shown++ ? ", " : "", e->file, e->line,
		              e->text);
	}
	for (size_t i = 0; i < s->nservers; i++)
		strbuf_printf(&hosts, "%s%s", i ? " " : "", s->servers[i].host);
	if (shown)
		/* TRANSLATORS: %1$s lists FILE:LINE (line) entries, %2$s host names */
		snprintf(why, sizeof(why),
		         _("no usable time server was imported; these lines name time sources "
		           "ntpwiz does not carry: %1$s. The profile uses the distribution's "
		           "default servers instead: %2$s. Check them before applying"),
		         strbuf_str(&lines), strbuf_str(&hosts));
	else
		snprintf(why, sizeof(why),
		         _("no time server is configured in this file; the profile uses the "
		           "distribution's default servers instead: %s. Check them before "
		           "applying"),
		         strbuf_str(&hosts));
	import_note_high(notes, s->source, 0, "servers", why);
	strbuf_free(&lines);
	strbuf_free(&hosts);
	return 1;
}

void import_note_smear(const struct setup *s, struct import_notes *notes)
{
	struct strbuf smearing, plain;
	char why[2048];

	strbuf_init(&smearing);
	strbuf_init(&plain);
	switch (smear_classify(s, &smearing, &plain)) {
	case SMEAR_MIXED:
		/* TRANSLATORS: %1$s and %2$s are lists of servers */
		snprintf(why, sizeof(why),
		         _("%1$s smear leap seconds and %2$s do not: around a leap second they "
		           "disagree by up to a second for hours. ntpwiz refuses to render this "
		           "mix; keep one group in the profile"),
		         strbuf_str(&smearing), strbuf_str(&plain));
		import_note_high(notes, s->source, 0, "servers", why);
		break;
	case SMEAR_ALL:
		if (!notes->local_leap)
			break;
		/* TRANSLATORS: %s is a list of servers */
		snprintf(why, sizeof(why),
		         _("every server (%s) smears leap seconds: ntpwiz writes no leap-second "
		           "source of its own (leapsectz, leapfile), so the host follows their "
		           "smear instead of adding the second on top"),
		         strbuf_str(&smearing));
		{
			size_t before = notes->n;
			import_note_high(notes, s->source, 0, "leap", why);
			if (notes->n > before)
				notes->v[before].high = false;
		}
		break;
	case SMEAR_NONE:
		break;
	}
	strbuf_free(&smearing);
	strbuf_free(&plain);
}

void import_note(struct import_notes *n, const struct import_line *l, const char *reason)
{
	import_note_text(n, l->line, l->raw, reason);
}

void import_note_refused(struct import_notes *n, const struct import_line *l,
                         struct errlist *scratch)
{
	import_note(n, l, scratch->n ? scratch->v[0].message : _("the value is not accepted"));
	errlist_free(scratch);
	errlist_init(scratch);
}

void import_note_option(struct import_notes *n, const struct import_line *l, const char *opt,
                        const char *val, const char *reason)
{
	char text[256];

	snprintf(text, sizeof(text), "%s%s%s", opt, val ? " " : "", val ? val : "");
	import_note_text(n, l->line, text, reason);
}

static bool takes_value(const char *const *valued, const char *w)
{
	for (size_t i = 0; valued[i]; i++)
		if (strcmp(w, valued[i]) == 0)
			return true;
	return false;
}

void import_server_options(struct setup *s, struct server *srv, const struct import_line *l,
                           size_t first, const char *const *valued, bool nts_ok, const char *daemon,
                           struct import_notes *n, struct errlist *scratch)
{
	for (size_t i = first; i < l->nwords; i++) {
		const char *w = l->words[i];
		const char *val =
		    takes_value(valued, w) && i + 1 < l->nwords ? l->words[i + 1] : NULL;
		long v;

		if (val)
			i++;
		if (strcmp(w, "iburst") == 0)
			srv->iburst = true;
		else if (strcmp(w, "prefer") == 0)
			srv->prefer = true;
		else if (strcmp(w, "key") == 0 && val && import_long(val, 0, 0xffffffffL, &v)) {
			/* issue 16 section 2 */
			if (model_set_server_key(s, srv, w, v, scratch) < 0) {
				import_note_option(n, l, w, val, scratch->v[0].message);
				errlist_free(scratch);
				errlist_init(scratch);
			}
		}
		else if (strcmp(w, "nts") == 0 && nts_ok && srv->kind == SERVER_KIND_POOL)
			import_note_option(
			    n, l, w, NULL,
			    _("ntpwiz uses NTS with named servers only, not with a pool"));
		else if (strcmp(w, "nts") == 0 && nts_ok)
			srv->nts = true;
		else if ((strcmp(w, "minpoll") == 0 || strcmp(w, "maxpoll") == 0) && val &&
		         import_long(val, -1000, 1000, &v)) {
			if (model_set_server_poll(s, srv, w, w[1] == 'a', v, scratch) < 0) {
				import_note_option(n, l, w, val, scratch->v[0].message);
				errlist_free(scratch);
				errlist_init(scratch);
			}
		} else if (import_selection_option(s, srv, l, w, val, strcmp(daemon, "chrony") == 0,
		                                   n, scratch)) {
			/* issue 16 section 3 */
		} else
			import_note_option(n, l, w, val,
			                   _("ntpwiz does not write this server option"));
	}
	if (srv->nts && srv->key) { /* issue 16 section 2: one or the other */
		char val[16];
		snprintf(val, sizeof(val), "%u", srv->key);
		import_note_option(n, l, "key", val,
		                   _("a server uses NTS or a symmetric key, not both; NTS is kept"));
		srv->key = 0;
	}
	if (srv->minpoll != MODEL_POLL_UNSET && srv->maxpoll != MODEL_POLL_UNSET &&
	    srv->minpoll > srv->maxpoll) {
		char why[256];
		/* TRANSLATORS: %s is the daemon (chrony, ntpd) */
		snprintf(
		    why, sizeof(why),
		    _("maxpoll is smaller than minpoll; the server keeps %s's default maxpoll"),
		    daemon);
		import_note(n, l, why);
		srv->maxpoll = MODEL_POLL_UNSET;
	}
	if (model_add_server(s, srv, "server", scratch) < 0)
		import_note_refused(n, l, scratch);
}

/* ---- source selection and orphan mode (issue 16) ---- */

static bool import_double(const char *text, double *out)
{
	char *end;

	if (!text || !*text)
		return false;
	*out = strtod(text, &end);
	return *end == '\0';
}

static void clear_scratch(struct errlist *scratch)
{
	errlist_free(scratch);
	errlist_init(scratch);
}

bool import_selection_option(struct setup *s, struct server *srv, const struct import_line *l,
                             const char *w, const char *val, bool chrony, struct import_notes *n,
                             struct errlist *scratch)
{
	double d;

	if (strcmp(w, "noselect") == 0) {
		srv->noselect = true;
	} else if (strcmp(w, chrony ? "trust" : "true") == 0) {
		srv->trust = true;
	} else if (chrony && strcmp(w, "xleave") == 0) {
		srv->xleave = true;
	} else if (chrony && strcmp(w, "maxdelay") == 0 && val) {
		if (!import_double(val, &d) ||
		    model_set_server_maxdelay(s, srv, "maxdelay", d, scratch) < 0) {
			import_note_option(n, l, w, val,
			                   scratch->n ? scratch->v[0].message
			                              : _("ntpwiz writes maxdelay in seconds"));
			clear_scratch(scratch);
		}
	} else {
		return false;
	}
	return true;
}

static void selection_refused(struct import_notes *n, const struct import_line *l, const char *w,
                              const char *val, struct errlist *scratch)
{
	import_note_option(n, l, w, val,
	                   scratch->n ? scratch->v[0].message : _("is not a number ntpwiz writes"));
	clear_scratch(scratch);
}

/* local [stratum N] [orphan] ...: ntpwiz writes it only as orphan mode */
static void chrony_local(struct setup *s, const struct import_line *l, struct import_notes *n,
                         struct errlist *scratch)
{
	long stratum = 10; /* chrony's default for local */
	bool orphan = false;

	for (size_t i = 1; i < l->nwords; i++) {
		const char *w = l->words[i];
		const char *val = i + 1 < l->nwords ? l->words[i + 1] : NULL;

		if (strcmp(w, "orphan") == 0) {
			orphan = true;
		} else if (strcmp(w, "stratum") == 0 && val && import_long(val, 1, 15, &stratum)) {
			i++;
		} else {
			import_note_option(n, l, w, NULL,
			                   _("ntpwiz writes local only as \"local stratum N orphan\""));
			if (val && strcmp(w, "stratum") != 0 && strcmp(w, "orphan") != 0 &&
			    strspn(val, "0123456789.-") == strlen(val))
				i++;
		}
	}
	if (!orphan) {
		import_note(n, l,
		            _("without orphan, chrony serves its own clock to clients whenever it "
		              "has no source; ntpwiz writes local only with orphan (orphan.stratum)"));
		return;
	}
	if (model_set_orphan(s, "local", stratum, l->line, scratch) < 0)
		import_note_refused(n, l, scratch);
}

static bool carried_tos(const char *w)
{
	return strcmp(w, "minsane") == 0 || strcmp(w, "maxdist") == 0 || strcmp(w, "orphan") == 0;
}

/* false: nothing on the line is carried, and the line is left to the
 * operator lines (import_extra) or noted whole */
static bool ntp_tos(struct setup *s, const struct import_line *l, struct import_notes *n,
                    struct errlist *scratch)
{
	bool any = false;

	for (size_t i = 1; i < l->nwords; i += 2)
		any |= carried_tos(l->words[i]);
	if (!any)
		return false;
	for (size_t i = 1; i < l->nwords; i++) {
		const char *w = l->words[i];
		const char *val = i + 1 < l->nwords ? l->words[i + 1] : NULL;
		double d;
		long v;

		if (val)
			i++;
		if (strcmp(w, "minsane") == 0 && val) {
			if (!import_long(val, -1000, 1000, &v) ||
			    model_set_minsources(s, "tos minsane", v, l->line, scratch) < 0)
				selection_refused(n, l, w, val, scratch);
			else
				s->selection.line = l->line;
		} else if (strcmp(w, "maxdist") == 0 && val) {
			if (!import_double(val, &d) ||
			    model_set_maxdistance(s, "tos maxdist", d, l->line, scratch) < 0)
				selection_refused(n, l, w, val, scratch);
			else
				s->selection.line = l->line;
		} else if (strcmp(w, "orphan") == 0 && val) {
			if (!import_long(val, 1, 15, &v) ||
			    model_set_orphan(s, "tos orphan", v, l->line, scratch) < 0)
				selection_refused(n, l, w, val, scratch);
		} else {
			import_note_option(n, l, w, val, _("ntpwiz does not write this tos option"));
		}
	}
	return true;
}

bool import_selection_line(struct setup *s, const struct import_line *l, bool chrony,
                           struct import_notes *n, struct errlist *scratch)
{
	const char *d = l->words[0];
	const char *a1 = l->nwords == 2 ? l->words[1] : NULL;
	double v;
	long m;

	if (!chrony) {
		return strcmp(d, "tos") == 0 && ntp_tos(s, l, n, scratch);
	}
	if (strcmp(d, "minsources") == 0) {
		if (!import_long(a1, -1000, 1000, &m) ||
		    model_set_minsources(s, "minsources", m, l->line, scratch) < 0)
			selection_refused(n, l, d, a1, scratch);
		else
			s->selection.line = l->line;
	} else if (strcmp(d, "maxdistance") == 0) {
		if (!import_double(a1, &v) ||
		    model_set_maxdistance(s, "maxdistance", v, l->line, scratch) < 0)
			selection_refused(n, l, d, a1, scratch);
		else
			s->selection.line = l->line;
	} else if (strcmp(d, "local") == 0) {
		chrony_local(s, l, n, scratch);
	} else {
		return false;
	}
	return true;
}

void import_settle_orphan(struct setup *s, struct import_notes *n)
{
	if (!s->selection.orphan || s->policy != POLICY_CLIENT_ONLY)
		return;
	import_note_text(n, s->selection.orphan_line, "orphan",
	                 _("this host serves no one, so orphan mode would serve no one either; "
	                   "it is not kept"));
	s->selection.orphan = 0;
}

bool import_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* --- the tokenizer ------------------------------------------------------------ */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits buf (modified in place) into words; quoted strings stay one word. */
static void split_words(char *buf, struct import_line *l)
{
	char *p = buf;

	l->nwords = 0;
	l->truncated = false;
	for (;;) {
		char *w;
		while (blank(*p))
			p++;
		if (!*p)
			return;
		if (l->nwords == IMPORT_MAX_WORDS) {
			l->truncated = true;
			return;
		}
		if (*p == '"') {
			w = ++p;
			while (*p && *p != '"')
				p++;
		} else {
			w = p;
			while (*p && !blank(*p))
				p++;
		}
		l->words[l->nwords++] = w;
		if (!*p)
			return;
		*p++ = '\0';
	}
}

/* Cuts the line at a '#' outside double quotes. */
static void cut_hash(char *s)
{
	bool quoted = false;

	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (*s == '#' && !quoted) {
			*s = '\0';
			return;
		}
	}
}

static char *trim(char *s)
{
	size_t len;

	while (blank(*s))
		s++;
	len = strlen(s);
	while (len && blank(s[len - 1]))
		s[--len] = '\0';
	return s;
}

int import_each_line(const char *text, size_t len, enum import_comments style,
                     int (*fn)(const struct import_line *l, void *ctx), void *ctx)
{
	const char *p = text, *end = text + len;
	int lineno = 0, r = 0;

	while (p < end && r == 0) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		struct import_line l;
		char *raw, *words, *t;

		lineno++;
		raw = malloc(n + 1);
		words = malloc(n + 1);
		if (!raw || !words) {
			free(raw);
			free(words);
			return -1;
		}
		memcpy(raw, p, n);
		raw[n] = '\0';
		p = eol ? eol + 1 : end;
		t = trim(raw);
		if (style == IMPORT_HASH_ANYWHERE) {
			cut_hash(t);
			t = trim(t);
		}
		if (*t && !(style == IMPORT_CHRONY && strchr("#!;%", *t)) &&
		    !(style == IMPORT_INI && strchr("#;", *t))) {
			memset(&l, 0, sizeof(l));
			l.line = lineno;
			l.raw = t;
			memcpy(words, t, strlen(t) + 1);
			split_words(words, &l);
			r = fn(&l, ctx);
		}
		free(raw);
		free(words);
	}
	return r;
}

/* --- the entry points ----------------------------------------------------------- */

static int cmp_notes(const void *a, const void *b)
{
	const struct import_note *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	/* the same line: keep the order they were added in */
	return x < y ? -1 : x > y;
}

int import_text(const struct backend *b, enum distro_family f, const char *text, size_t len,
                struct setup *s, struct import_notes *notes, struct errlist *errs)
{
	const char *where = notes->file ? notes->file : "";
	const char *drift;
	size_t first = notes->n;
	int r;

	if (!b->import) {
		errlist_add(errs, ERR_ERROR, where, _("ntpwiz cannot read %s configuration files"),
		            b->name);
		return -1;
	}
	if (memchr(text, '\0', len)) {
		errlist_add(errs, ERR_ERROR, where, "%s",
		            _("the file contains a NUL byte; it is not a text file"));
		return -1;
	}
	r = b->import(text, len, s, notes, errs);
	/* issue 16 section 2: a key file no server uses is not written */
	if (s->keys.file[0] && !keys_used(s)) {
		char line[MODEL_PATH_MAX + 16];
		snprintf(line, sizeof(line), "%s %s", b->id == DAEMON_CHRONY ? "keyfile" : "keys",
		         s->keys.file);
		import_note_text(notes, s->keys.line, line,
		                 _("no server uses a key from this file, so ntpwiz writes no key "
		                   "file: clients that authenticate with these keys lose them"));
		s->keys.file[0] = '\0';
	}
	/* The old daemon's default drift file is no setting of the user's: left
	 * unset, the daemon rendered next gets its own default. */
	drift = backend_driftfile(b, f);
	if (drift && strcmp(s->options.driftfile, drift) == 0)
		s->options.driftfile[0] = '\0';
	/* Parsers note some lines only once the whole file is read. */
	if (notes->n > first)
		qsort(notes->v + first, notes->n - first, sizeof(notes->v[0]), cmp_notes);
	return r;
}

/* When set, the text that stands for ntpwiz's own file (what a render would
 * write there) instead of what is on disk: import_timesyncd_effective. */
struct own_override {
	const char *path;
	const char *text;
	/* filled: the servers right after that file, and the first later file
	 * that changed them */
	char after_own[1024];
	char changed_by[512];
};

static struct own_override *override;

static void host_list(const struct setup *s, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->nservers && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? " " : "",
		                         s->servers[i].host);
}

static int import_file(const struct backend *b, enum distro_family f, const char *path, bool kept,
                       struct setup *s, struct import_notes *notes, struct errlist *errs)
{
	char *text;
	size_t len;
	int r;

	if (override && strcmp(path, override->path) == 0) {
		notes->file = path;
		notes->file_kept = kept;
		r = import_text(b, f, override->text, strlen(override->text), s, notes, errs);
		notes->file = NULL;
		notes->file_kept = false;
		host_list(s, override->after_own, sizeof(override->after_own));
		return r;
	}
	if (sysops_read_root_file(path, &text, &len) < 0) {
		if (errno == ENOENT)
			return 1;
		errlist_add(errs, ERR_ERROR, path, _("cannot read the current file: %s"),
		            strerror(errno));
		return -1;
	}
	notes->file = path;
	notes->file_kept = kept;
	r = import_text(b, f, text, len, s, notes, errs);
	notes->file = NULL;
	notes->file_kept = false;
	free(text);
	if (override && override->after_own[0] && !override->changed_by[0]) {
		char now[sizeof(override->after_own)];
		host_list(s, now, sizeof(now));
		if (strcmp(now, override->after_own) != 0)
			snprintf(override->changed_by, sizeof(override->changed_by), "%s", path);
	}
	return r;
}

/* systemd's drop-in folders for timesyncd, lowest priority first: a file
 * name in a later folder hides the same name in an earlier one, and all
 * drop-ins are read in the order of their names, after the main file. */
static const char *const timesyncd_main = "/etc/systemd/timesyncd.conf";
static const char *const timesyncd_dirs[] = {
    "/usr/lib/systemd/timesyncd.conf.d",
    "/usr/local/lib/systemd/timesyncd.conf.d",
    "/run/systemd/timesyncd.conf.d",
    "/etc/systemd/timesyncd.conf.d",
};
#define NDIRS (sizeof(timesyncd_dirs) / sizeof(timesyncd_dirs[0]))

struct dropin {
	char *name;
	size_t dir;
};

static int cmp_dropins(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

/* Adds every *.conf of timesyncd_dirs to *v (which may hold entries
 * already), each name once from the last folder that has it, and sorts
 * them in the order systemd reads them. */
static void collect_dropins(struct dropin **vp, size_t *np, size_t *capp)
{
	struct dropin *v = *vp;
	size_t n = *np, cap = *capp;

	for (size_t d = 0; d < NDIRS; d++) {
		char **names;
		size_t count;
		if (sysops_list_root_dir(timesyncd_dirs[d], &names, &count) < 0)
			continue;
		for (size_t i = 0; i < count; i++) {
			size_t len = strlen(names[i]), j;
			if (len < 6 || strcmp(names[i] + len - 5, ".conf") != 0)
				continue;
			for (j = 0; j < n && strcmp(v[j].name, names[i]) != 0; j++)
				;
			if (j < n) { /* a later folder hides the same name */
				v[j].dir = d;
				continue;
			}
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				struct dropin *nv = realloc(v, ncap * sizeof(*nv));
				if (!nv)
					continue;
				v = nv;
				cap = ncap;
			}
			if ((v[n].name = strdup(names[i])))
				v[n++].dir = d;
		}
		sysops_free_names(names, count);
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_dropins);
	*vp = v;
	*np = n;
	*capp = cap;
}

static int import_timesyncd_files(const struct backend *b, enum distro_family f, struct setup *s,
                                  struct import_notes *notes, struct errlist *errs)
{
	const char *own = backend_conf_path(b, f);
	struct dropin *v = NULL;
	size_t n = 0, cap = 0;
	int found = 0, r = 0;

	r = import_file(b, f, timesyncd_main, strcmp(timesyncd_main, own) != 0, s, notes, errs);
	if (r < 0)
		return -1;
	found += r == 0;
	/* ntpwiz's own drop-in is read even when it is not written yet */
	if (override) {
		const char *base = strrchr(own, '/') + 1;
		if ((v = malloc(sizeof(*v))) && (v[0].name = strdup(base))) {
			v[0].dir = NDIRS - 1;
			n = cap = 1;
		}
	}
	collect_dropins(&v, &n, &cap);
	for (size_t i = 0; i < n && r >= 0; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", timesyncd_dirs[v[i].dir], v[i].name);
		r = import_file(b, f, path, strcmp(path, own) != 0, s, notes, errs);
		found += r == 0;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	if (r < 0)
		return -1;
	return found ? 0 : 1;
}

int import_timesyncd_effective(enum distro_family f, const char *own_text, struct setup *s,
                               char *changed_by, size_t size)
{
	const struct backend *b = &backend_timesyncd;
	struct own_override o;
	struct import_notes notes;
	struct errlist errs;
	int r;

	memset(&o, 0, sizeof(o));
	o.path = backend_conf_path(b, f);
	o.text = own_text;
	override = &o;
	import_notes_init(&notes);
	errlist_init(&errs);
	model_init(s);
	s->daemon = DAEMON_TIMESYNCD;
	r = import_timesyncd_files(b, f, s, &notes, &errs);
	override = NULL;
	import_notes_free(&notes);
	errlist_free(&errs);
	snprintf(changed_by, size, "%s", o.changed_by);
	return r < 0 ? -1 : 0;
}

/* issue 16 section 7: -u and -4/-6 from the distribution's defaults file
 * (startopts.h) into s->start. A -u the service overrides is not carried
 * (it has no effect; a note says so). */
static void import_start_options(const struct backend *b, enum distro_family f, struct setup *s,
                                 struct import_notes *notes)
{
	const struct startopts *r = startopts_find(b, f);
	const char *file = notes->file;
	bool kept = notes->file_kept;
	char *text = NULL, user[MODEL_USER_MAX + 1];
	size_t len = 0;
	int got;

	if (!r || sysops_read_root_file(r->path, &text, &len) < 0)
		return;
	notes->file = r->path;
	notes->file_kept = true;
	got = startopts_import(r, text, len, s);
	if (got < 0)
		import_note_text(notes, 0, r->var,
		                 _("not read: the value uses shell expansion or quoting ntpwiz does "
		                   "not edit; its -u, -4 and -6 stay as they are"));
	if (got > 0 && s->start.user[0] && r->user_fixed) {
		snprintf(user, sizeof(user), "%s", s->start.user);
		s->start.user[0] = '\0';
		if (strcmp(user, r->user) != 0)
			import_note_text(notes, 0, user, _(r->user_fixed));
	}
	notes->file = file;
	notes->file_kept = kept;
	free(text);
}

int import_current(const struct backend *b, enum distro_family f, struct setup *s,
                   struct import_notes *notes, struct errlist *errs)
{
	const char *path = backend_conf_path(b, f);

	model_init(s);
	s->daemon = b->id;
	if (b->id == DAEMON_TIMESYNCD)
		return import_timesyncd_files(b, f, s, notes, errs);
	snprintf(s->source, sizeof(s->source), "%s", path);
	int rc = import_file(b, f, path, false, s, notes, errs);
	if (rc == 0)
		import_start_options(b, f, s, notes);
	return rc;
}

/* The drop-ins of timesyncd in the order systemd reads them (after the
 * main file): the names sorted, each from the last folder that has it. */
static int timesyncd_dropins(char ***paths, size_t *count)
{
	struct dropin *v = NULL;
	char **out = NULL;
	size_t n = 0, cap = 0;

	collect_dropins(&v, &n, &cap);
	if (n)
		out = calloc(n, sizeof(*out));
	for (size_t i = 0; i < n && out; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", timesyncd_dirs[v[i].dir], v[i].name);
		out[i] = strdup(path);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	*paths = out;
	*count = out ? n : 0;
	return 0;
}

int import_config_files(const struct backend *b, enum distro_family f, char ***paths,
                        size_t *count)
{
	char **drop = NULL, **out;
	size_t nd = 0, n = 0;

	*paths = NULL;
	*count = 0;
	if (b->id == DAEMON_TIMESYNCD)
		timesyncd_dropins(&drop, &nd);
	out = calloc(nd + 1, sizeof(*out));
	if (!out) {
		sysops_free_names(drop, nd);
		return -1;
	}
	out[n++] = strdup(b->id == DAEMON_TIMESYNCD ? timesyncd_main : backend_conf_path(b, f));
	for (size_t i = 0; i < nd; i++)
		out[n++] = drop[i];
	free(drop);
	*paths = out;
	*count = n;
	return 0;
}

/* ---- issue 16 sections 2 and 8 ---- */

void import_keys_file(struct setup *s, const struct import_line *l, bool ntp_format,
                      struct import_notes *n, struct errlist *scratch)
{
	if (l->nwords != 2 || model_set_keys_file(s, l->words[0], l->words[1], l->line, scratch) < 0) {
		if (scratch->n)
			import_note_refused(n, l, scratch);
		else
			import_note(n, l, _("ntpwiz reads one key file name here"));
		return;
	}
	s->keys.ntp_format = ntp_format;
}

bool import_extra(struct setup *s, enum daemon_id d, const struct import_line *l,
                  struct import_notes *n, struct errlist *scratch)
{
	char text[MODEL_EXTRA_MAX + 1], field[64], reason[256];
	size_t o = 0;

	if (l->truncated || !extra_importable(d, l->words[0]))
		return false;
	for (size_t i = 0; i < l->nwords; i++) {
		int w = snprintf(text + o, sizeof(text) - o, "%s%s", i ? " " : "", l->words[i]);
		if (w < 0 || (size_t)w >= sizeof(text) - o)
			return false;
		o += (size_t)w;
	}
	snprintf(field, sizeof(field), "extra.%s", model_daemon_name(d));
	if (model_add_extra(s, d, field, text, l->line, scratch) < 0) {
		import_note_refused(n, l, scratch);
		return true;
	}
	snprintf(reason, sizeof(reason),
	         _("kept as an operator line (%s): ntpwiz does not model it; confirm it in the "
	           "profile"),
	         field);
	import_note(n, l, reason);
	if (n->n)
		n->v[n->n - 1].fate = IMPORT_KEPT;
	return true;
}

/* ---- issue 16 sections 6 and 7 ---- */

static void nts_file(char *dst, int *dst_line, const char *what, const struct import_line *l,
                     struct import_notes *n)
{
	if (l->nwords != 2) {
		import_note(n, l, _("ntpwiz reads one file name here"));
		return;
	}
	if (*dst) {
		/* TRANSLATORS: %s is "certificate" or "key" in the daemon's words */
		char why[256];
		snprintf(why, sizeof(why),
		         _("ntpwiz serves NTS with one certificate and one key; this %s is not "
		           "kept"),
		         what);
		import_note(n, l, why);
		return;
	}
	snprintf(dst, MODEL_PATH_MAX, "%s", l->words[1]);
	*dst_line = l->line;
}

static void hwtimestamp_line(struct setup *s, const struct import_line *l, struct import_notes *n,
                             struct errlist *scratch)
{
	if (l->nwords < 2) {
		import_note(n, l, _("names no interface"));
		return;
	}
	if (nts_add_hwtimestamp(s, "hwtimestamp", l->words[1], l->line, scratch) < 0) {
		import_note_refused(n, l, scratch);
		return;
	}
	if (!s->hwtimestamp.line)
		s->hwtimestamp.line = l->line;
	if (l->nwords > 2)
		import_note(
		    n, l,
		    _("ntpwiz writes hwtimestamp with the interface only; the options after "
		      "it (compensations, rxfilter, polling) are not kept"));
}

/* NTPsec: nts [enable|disable] [cert FILE] [key FILE] [other options] */
static void ntpsec_nts(struct import_nts *nts, const struct import_line *l, struct import_notes *n)
{
	bool other = false;

	for (size_t i = 1; i < l->nwords; i++) {
		const char *w = l->words[i];
		bool has_value = i + 1 < l->nwords;

		if (strcmp(w, "enable") == 0) {
			nts->enabled = true;
			nts->enable_line = l->line;
		} else if (strcmp(w, "disable") == 0) {
			nts->enabled = false;
			nts->enable_line = l->line;
		} else if ((strcmp(w, "cert") == 0 || strcmp(w, "key") == 0) && has_value) {
			bool cert = w[0] == 'c';
			char *dst = cert ? nts->cert : nts->key;
			if (*dst)
				import_note_option(n, l, w, l->words[i + 1],
				                   _("ntpwiz serves NTS with one certificate and "
				                     "one key; this one is not kept"));
			else {
				snprintf(dst, MODEL_PATH_MAX, "%s", l->words[i + 1]);
				*(cert ? &nts->cert_line : &nts->key_line) = l->line;
			}
			i++;
		} else {
			other = true;
		}
	}
	if (other)
		import_note(n, l,
		            _("ntpwiz writes only nts enable, nts cert and nts key; the other "
		              "options of this line are not kept"));
}

bool import_nts_line(struct import_nts *nts, struct setup *s, enum daemon_id d,
                     const struct import_line *l, struct import_notes *n, struct errlist *scratch)
{
	const char *w = l->words[0];

	if (d == DAEMON_CHRONY && strcmp(w, "ntsservercert") == 0) {
		nts->enabled = true;
		nts_file(nts->cert, &nts->cert_line, "ntsservercert", l, n);
	} else if (d == DAEMON_CHRONY && strcmp(w, "ntsserverkey") == 0) {
		nts->enabled = true;
		nts_file(nts->key, &nts->key_line, "ntsserverkey", l, n);
	} else if (d == DAEMON_CHRONY && strcmp(w, "hwtimestamp") == 0) {
		hwtimestamp_line(s, l, n, scratch);
		return true;
	} else if (d == DAEMON_NTPSEC && strcmp(w, "nts") == 0) {
		ntpsec_nts(nts, l, n);
	} else {
		return false;
	}
	if (!nts->raw[0])
		snprintf(nts->raw, sizeof(nts->raw), "%s", l->raw);
	return true;
}

void import_settle_nts(struct import_nts *nts, struct setup *s, struct import_notes *n,
                       struct errlist *scratch)
{
	int line = nts->cert_line ? nts->cert_line : nts->key_line;

	if (!nts->cert[0] && !nts->key[0])
		return;
	if (!nts->enabled) {
		import_note_text(n, line, nts->raw,
		                 _("NTS serving is not enabled (no \"nts enable\"), so the "
		                   "certificate and key are not kept"));
		return;
	}
	if (!nts->cert[0] || !nts->key[0]) {
		import_note_text(n, line, nts->raw,
		                 _("serving NTS needs both a certificate and a key; only one is "
		                   "named, so neither is kept"));
		return;
	}
	if (s->policy == POLICY_CLIENT_ONLY) {
		import_note_text(n, line, nts->raw,
		                 _("this host serves no one, so it serves no NTS either; the "
		                   "certificate and key are not kept"));
		return;
	}
	if (nts_set_server(s, "nts_server", nts->cert, nts->key, line, scratch) < 0) {
		import_note_text(n, line, nts->raw,
		                 scratch->n ? scratch->v[0].message
		                            : _("the value is not accepted"));
		errlist_free(scratch);
		errlist_init(scratch);
	}
}
