/*
 * fuzz_profile: profile_parse, then everything a parsed profile reaches.
 * Properties beyond "no crash, no leak, no undefined behaviour":
 *   - it fails with at least one error, or succeeds with none; every error
 *     has a message; it opens no file (fopen is watched below: libconfig
 *     would open one for an @include that got past profile.c's scan);
 *   - a profile it accepts formats (profile_format) to text that parses
 *     back to the same text (the round trip the header promises);
 *   - every backend renders it (or refuses with an error), and a rendered
 *     file holds only the directives that backend writes, server lines
 *     whose host passes validate_host and known options, no '#' after the
 *     start of a line (a comment that would cut a directive short), no
 *     control characters, no line ending in a backslash.
 *   - start = { user; family; } (issue 16 section 7) edits every defaults
 *     file row to a value of plain words: no $, `, \, quote or control
 *     character, and the file still ends in a newline.
 * The distribution family (for paths and default servers) comes from the
 * input's length, so every family gets its turn.
 */
#include "config.h"

#include <dlfcn.h>
#include <stdbool.h>

#include "backend.h"
#include "extra.h"
#include "distro.h"
#include "fuzzhelp.h"
#include "profile.h"
#include "startopts.h"
#include "strbuf.h"
#include "validate.h"

/* Set while profile_parse runs: any fopen then is a finding. libconfig
 * calls fopen for @include; this definition comes before libc's. */
static bool parsing;

FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);

	if (parsing)
		fuzz_fail("profile_parse opened a file: %s", path);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "fopen");
	return real(path, mode);
}

static void check_errors(const struct errlist *errs, int r, const char *what)
{
	size_t nerr = errlist_count(errs, ERR_ERROR);

	if (r == 0 && nerr)
		fuzz_fail("%s succeeded with %zu errors (first: %s)", what, nerr,
		          errs->v[0].message);
	if (r != 0 && !nerr && !errs->lost)
		fuzz_fail("%s failed without an error", what);
	for (size_t i = 0; i < errs->n; i++) {
		if (!errs->v[i].message[0])
			fuzz_fail("%s: an error without a message (where \"%s\")", what,
			          errs->v[i].where);
	}
}

/* The first words each backend writes on a directive line. */
static const char *const chrony_words[] = {
    "server",      "pool",        "driftfile",   "makestep",
    "rtcsync",     "ntsdumpdir",  "logdir",      "log",
    "leapsectz",   "leapsecmode", "maxslewrate", "smoothtime",
    "port",        "allow",       "ratelimit",   "bindcmdaddress",
    "bindaddress", "keyfile", /* issue 16 section 2 */
    "minsources",  "maxdistance", "local", /* issue 16 sections 3 and 4 */
    "ntsservercert", "ntsserverkey", "hwtimestamp", /* issue 16 sections 6 and 7 */
    "refclock", /* issue 16 section 5 */
    NULL};
static const char *const ntp_words[] = {"server",     "pool",       "driftfile", "statsdir",
                                        "statistics", "leapfile",   "restrict",  "interface",
                                        "keys",       "trustedkey", /* issue 16 section 2 */
                                        "tos",        "nts", /* issue 16 section 6 */
                                        "refclock",   "fudge", /* issue 16 section 5 */
                                        NULL};
static const char *const openntpd_words[] = {"servers", "server", "listen", "constraint",
                                             "constraints", NULL};
static const char *const timesyncd_words[] = {"[Time]", "NTP", "PollIntervalMinSec",
                                              "PollIntervalMaxSec", "RootDistanceMaxSec", NULL};

static const char *const *words_for(enum daemon_id id)
{
	switch (id) {
	case DAEMON_CHRONY:
		return chrony_words;
	case DAEMON_NTP:
	case DAEMON_NTPSEC:
		return ntp_words;
	case DAEMON_OPENNTPD:
		return openntpd_words;
	case DAEMON_TIMESYNCD:
		return timesyncd_words;
	default:
		fuzz_fail("backend for daemon %d has no word list here", (int)id);
	}
}

static bool word_in(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && memcmp(*list, w, n) == 0)
			return true;
	return false;
}

static void check_host(const struct backend *b, const char *line, const char *h, size_t n)
{
	char host[MODEL_HOST_MAX + 2];
	const char *why;

	if (n == 0 || n > MODEL_HOST_MAX)
		fuzz_fail("%s: a server line with a %zu-character host: %s", b->name, n, line);
	memcpy(host, h, n);
	host[n] = '\0';
	if ((why = validate_host(host, NULL)))
		fuzz_fail("%s: host \"%s\" reached the file, but %s", b->name, host, why);
}

/* After "server HOST" / "pool HOST": only the options the renderers write. */
static void check_source_line(const struct backend *b, const char *line, const char *end)
{
	static const char *const flags[] = {"iburst", "prefer", "nts",    "noselect",
	                                    "trust",  "true",   "xleave", NULL};
	static const char *const numeric[] = {"minpoll", "maxpoll", "weight", "key", "maxdelay", NULL};
	const char *p = strchr(line, ' ');
	const char *tok;

	if (!p || p >= end)
		fuzz_fail("%s: a source line without a host", b->name);
	tok = ++p;
	while (p < end && *p != ' ')
		p++;
	check_host(b, line, tok, (size_t)(p - tok));
	while (p < end) {
		size_t n;

		tok = ++p;
		while (p < end && *p != ' ')
			p++;
		n = (size_t)(p - tok);
		if (word_in(tok, n, flags))
			continue;
		if (!word_in(tok, n, numeric))
			fuzz_fail("%s: unknown option \"%.*s\" on a source line", b->name, (int)n,
			          tok);
		tok = ++p;
		if (tok > end)
			fuzz_fail("%s: option without its number", b->name);
		if (*tok == '-')
			p++;
		if (p >= end || *p < '0' || *p > '9')
			fuzz_fail("%s: option followed by \"%.*s\", not a number", b->name,
			          (int)(end - tok), tok);
		/* maxdelay is a decimal: 0.25, 1e-05 */
		while (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == '-'))
			p++;
		if (p < end && *p != ' ')
			fuzz_fail("%s: a number with a tail on a source line", b->name);
	}
}

/* constraint(s) from "SOURCE": SOURCE passes validate_constraint (issue 16) */
static void check_constraint_line(const struct backend *b, const char *line, const char *end)
{
	const char *q = memchr(line, '"', (size_t)(end - line));
	char from[MODEL_CONSTRAINT_MAX + 2];
	const char *why;
	size_t n;

	if (!q || end - q < 2 || end[-1] != '"' || strncmp(strchr(line, ' '), " from \"", 7) != 0)
		fuzz_fail("%s: a constraint line not of the form ... from \"X\": %.*s", b->name,
		          (int)(end - line), line);
	n = (size_t)(end - q - 2);
	if (n > MODEL_CONSTRAINT_MAX)
		fuzz_fail("%s: a constraint of %zu characters", b->name, n);
	memcpy(from, q + 1, n);
	from[n] = '\0';
	if (strchr(from, '"') || (why = validate_constraint(from)))
		fuzz_fail("%s: constraint \"%s\" reached the file", b->name, from);
}

/* issue 16 section 5: every path on a refclock line (chrony's device,
 * NTPsec's ppspath) passes validate_path */
static void check_refclock_line(const struct backend *b, const char *line, const char *end)
{
	char copy[MODEL_PATH_MAX * 2], *save = NULL;
	const char *why;

	snprintf(copy, sizeof(copy), "%.*s", (int)(end - line), line);
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (w[0] == '/' && (why = validate_path(w)))
			fuzz_fail("%s: refclock path %s reached the file: %s", b->name, w, why);
}

static void check_rendered(const struct backend *b, const char *text, size_t len)
{
	const char *const *words = words_for(b->id);
	const char *line = text, *end = text + len;

	if (memchr(text, '\0', len))
		fuzz_fail("%s: a NUL byte in the file", b->name);
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *lend = nl ? nl : end;
		size_t wl;

		if (!nl)
			fuzz_fail("%s: the file does not end with a newline", b->name);
		for (const char *p = line; p < lend; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				fuzz_fail("%s: control character 0x%02x in the file", b->name,
				          (unsigned char)*p);
		if (lend > line && lend[-1] == '\\')
			fuzz_fail("%s: a line ends in a backslash", b->name);
		if (lend == line || line[0] == '#') {
			line = lend + 1;
			continue;
		}
		if (memchr(line, '#', (size_t)(lend - line)))
			fuzz_fail("%s: '#' inside a directive: %.*s", b->name, (int)(lend - line),
			          line);
		wl = strcspn(line, " =\n");
		/* issue 16 section 8: an operator line must be a directive the
		 * daemon documents that extra takes, never one of access */
		char op[MODEL_EXTRA_MAX + 2];
		snprintf(
		    op, sizeof(op), "%.*s",
		    (int)(lend - line < MODEL_EXTRA_MAX + 1 ? lend - line : MODEL_EXTRA_MAX + 1),
		    line);
		if (b->id == DAEMON_TIMESYNCD && op[wl] == '=')
			op[wl] = ' '; /* written as Key=value */
		if (!word_in(line, wl, words) && extra_refusal(b->id, op))
			fuzz_fail("%s: unexpected directive: %.*s", b->name, (int)(lend - line),
			          line);
		if (b->id == DAEMON_TIMESYNCD && wl == 3 && memcmp(line, "NTP", 3) == 0) {
			const char *h = line + 4;
			while (h < lend) {
				const char *sp = memchr(h, ' ', (size_t)(lend - h));
				const char *he = sp ? sp : lend;
				check_host(b, line, h, (size_t)(he - h));
				h = he + 1;
			}
		} else if (word_in(line, wl,
		                   (const char *const[]){"server", "pool", "servers", NULL})) {
			check_source_line(b, line, lend);
		} else if (word_in(line, wl, (const char *const[]){"refclock", NULL})) {
			check_refclock_line(b, line, lend);
		} else if (b->id == DAEMON_OPENNTPD &&
		           word_in(line, wl, (const char *const[]){"constraint", "constraints", NULL})) {
			check_constraint_line(b, line, lend);
		}
		line = lend + 1;
	}
}

static void render_all(struct setup *s, enum distro_family family)
{
	size_t nb;
	const struct backend *const *all = backend_all(&nb);
	struct distro d;
	struct errlist errs;

	memset(&d, 0, sizeof(d));
	d.family = family;
	errlist_init(&errs);
	if (distro_apply_default_servers(&d, s, &errs) < 0)
		fuzz_fail("the default servers of family %d were refused", (int)family);
	errlist_free(&errs);
	for (size_t i = 0; i < nb; i++) {
		struct strbuf out;
		int r;

		errlist_init(&errs);
		strbuf_init(&out);
		r = backend_render(all[i], s, family, &out, &errs);
		check_errors(&errs, r, all[i]->name);
		if (r == 0)
			check_rendered(all[i], out.buf ? out.buf : "", out.len);
		else if (out.len)
			fuzz_fail("%s: refused, but appended %zu bytes", all[i]->name, out.len);
		strbuf_free(&out);
		errlist_free(&errs);
	}
}

/* Every row's file with the profile's start options, from no file and from
 * a file holding the package's value: one assignment of plain words. */
static void check_startopts(const struct setup *s)
{
	for (size_t i = 0; startopts_row(i); i++) {
		const struct startopts *r = startopts_row(i);
		struct strbuf out;

		strbuf_init(&out);
		if (startopts_edit(r, s, NULL, 0, &out) < 0)
			fuzz_fail("%s: no file, and still not editable", r->path);
		for (size_t k = 0; k < out.len; k++) {
			unsigned char c = (unsigned char)out.buf[k];
			bool first_line = !memchr(out.buf, '\n', k);
			if ((c < 0x20 && c != '\n') || c == 0x7f || c == '$' || c == '`' || c == '\\' ||
			    (c == '\'' && !first_line))
				fuzz_fail("%s: written with byte 0x%02x:\n%s", r->path, c, out.buf);
		}
		if (out.len && out.buf[out.len - 1] != '\n')
			fuzz_fail("%s: no newline at the end:\n%s", r->path, out.buf);
		strbuf_free(&out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct setup s, s2; /* large: kept off the stack */
	char *text = fuzz_cstring(data, size);
	struct errlist errs;
	struct strbuf a, b;
	int r;

	if (!text)
		return 0;
	errlist_init(&errs);
	parsing = true;
	r = profile_parse(text, "fuzz.cfg", &s, &errs);
	parsing = false;
	check_errors(&errs, r, "profile_parse");
	errlist_free(&errs);
	free(text);
	if (r < 0)
		return 0;

	/* format -> parse -> format gives the same bytes */
	strbuf_init(&a);
	strbuf_init(&b);
	errlist_init(&errs);
	if (profile_format(&s, &a, &errs) < 0)
		fuzz_fail("an accepted profile does not format: %s",
		          errs.n ? errs.v[0].message : "(no message)");
	parsing = true;
	r = profile_parse(a.buf, "formatted.cfg", &s2, &errs);
	parsing = false;
	if (r < 0)
		fuzz_fail("the formatted profile does not parse: %s\n%s",
		          errs.n ? errs.v[0].message : "(no message)", a.buf);
	if (profile_format(&s2, &b, &errs) < 0 || a.len != b.len || memcmp(a.buf, b.buf, a.len))
		fuzz_fail("format/parse/format is not stable:\n%s\n---\n%s", a.buf,
		          b.buf ? b.buf : "");
	errlist_free(&errs);
	strbuf_free(&a);
	strbuf_free(&b);

	render_all(&s, (enum distro_family)(size % FAMILY_COUNT));
	check_startopts(&s);
	return 0;
}
