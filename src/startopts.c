/*
 * startopts: the daemons' start options in the defaults files (startopts.h).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "diff.h"
#include "i18n.h"
#include "startopts.h"
#include "sysops.h"

/*
 * Each row read from the package's own files (unit or init script, and the
 * defaults file it ships):
 *   Debian 12 and 13 (cached packages, ~/.cache/ntpwiz-tests/deb12, deb13):
 *   - chrony 4.3-2+deb12u1 / 4.6.1-3: /etc/default/chrony DAEMON_OPTS="-F 1";
 *     chrony.service: EnvironmentFile=-/etc/default/chrony, ExecStart=
 *     !/usr/sbin/chronyd $DAEMON_OPTS; /etc/init.d/chrony passes it too.
 *     Built --with-user=_chrony (the string is in both binaries).
 *   - OpenNTPD 1:6.2p3-4.2+b1 / +b2: /etc/default/openntpd
 *     DAEMON_OPTS="-f /etc/openntpd/ntpd.conf" ("Append '-s' to set the system
 *     time when starting"); openntpd.service runs "ntpd -n $DAEMON_OPTS"
 *     (ExecStartPre) and "ntpd $DAEMON_OPTS"; ntpd(8): "-s Try to set the
 *     time immediately at startup"; "ntpd -n -f FILE -s" says OK (both).
 *   - NTPsec 1.2.2+dfsg1-1+deb12u1 NTPD_OPTS="-g -N", 1.2.3+dfsg1-8
 *     NTPD_OPTS="-g" in /etc/default/ntpsec, read by
 *     /usr/libexec/ntpsec/ntp-systemd-wrapper, which then appends
 *     "-u ntpsec:ntpsec" after $NTPD_OPTS: ntpd keeps the last -u, so a
 *     -u in the file has no effect (user_fixed).
 *   - ntp.org's ntpd (Debian 11's ntp 1:4.2.8p15, not in 12/13):
 *     /etc/default/ntp NTPD_OPTS='-g'; its init script and systemd wrapper
 *     append "-u $UGID" (user ntp) after $NTPD_OPTS (user_fixed).
 *   Ubuntu ships the same packages (synced from Debian; not read from
 *   Ubuntu's own .debs here): the same files for -u/-4/-6, without adding
 *   -s/-g there (as before).
 *   RHEL/Fedora (chrony.spec; upstream examples/chronyd.service, which the
 *   spec installs): /etc/sysconfig/chronyd OPTIONS="-F 2" (the spec writes
 *   OPTIONS="%{?with_seccomp:-F 2}"), EnvironmentFile=-/etc/sysconfig/chronyd,
 *   ExecStart=/usr/sbin/chronyd $OPTIONS; built --with-user=chrony.
 *   RHEL 7's ntp: /etc/sysconfig/ntpd OPTIONS="-g", ntpd.service
 *   ExecStart=/usr/sbin/ntpd -u ntp:ntp $OPTIONS (a later -u in OPTIONS
 *   wins: not fixed).
 *   openSUSE (chrony.spec: Source2 chronyd.sysconfig filled up to
 *   /etc/sysconfig/chronyd, upstream examples/chronyd.service, built
 *   --with-user=chrony): OPTIONS; the stock value was not read ("" here).
 *   Alpine (aports main/chrony: chronyd.confd to /etc/conf.d/chronyd with
 *   ARGS="", chronyd.initd runs "chronyd -f ${CFGFILE} ${ARGS}"; APKBUILD
 *   --with-user=$pkgname, chrony).
 * Not here (refused when start is set): Arch, Amazon, generic; NTPsec
 * outside Debian/Ubuntu, OpenNTPD outside Debian; OpenNTPD on Alpine (/etc/conf.d/openntpd
 * NTPD_OPTS, but it has neither -u nor -4/-6, and -s is not verified there).
 */
#define DEB_NTPSEC_FIXED                                                                           \
	N_("Debian's ntpsec service (/usr/libexec/ntpsec/ntp-systemd-wrapper) appends "            \
	   "-u ntpsec:ntpsec after NTPD_OPTS and ntpd keeps the last -u, so a -u in "              \
	   "/etc/default/ntpsec would have no effect")
#define DEB_NTP_FIXED                                                                              \
	N_("Debian's ntp service (/etc/init.d/ntp, ntp-systemd-wrapper) appends -u ntp after "     \
	   "NTPD_OPTS and ntpd keeps the last -u, so a -u in /etc/default/ntp would have no "      \
	   "effect")
/* OpenNTPD's ntpd.h: SETTIME_MIN_OFFSET 180 ("min offset for settime at
 * start"), and ntpd_settime() returns without stepping below it; Debian's
 * defaults file says the same. The real-host scenario 1o
 * (tests/vm/sc-daemons.sh) starts OpenNTPD 300 s off and checks the step. */
#define OPENNTPD_S                                                                                 \
	N_("OpenNTPD sets the clock at start only when it is more than 180 s off (-s); a "         \
	   "smaller offset it slews, slowly")
#define NTPSEC_G N_("NTPsec may make the first large correction (-g)")

/* Debian's own package rows; Ubuntu's are the same files without the
 * issue 14 flags (-s, -g), which were only verified on Debian's packages. */
#define DEB_NTPSEC(fam, flag, why)                                                                 \
	{                                                                                          \
		DAEMON_NTPSEC, fam, "/etc/default/ntpsec", "NTPD_OPTS", "-g -N", flag, why,        \
		    "ntpsec", DEB_NTPSEC_FIXED                                                     \
	}
#define DEB_CHRONY(fam)                                                                            \
	{                                                                                          \
		DAEMON_CHRONY, fam, "/etc/default/chrony", "DAEMON_OPTS", "-F 1", NULL, NULL,      \
		    "_chrony", NULL                                                                \
	}
#define DEB_NTP(fam)                                                                               \
	{                                                                                          \
		DAEMON_NTP, fam, "/etc/default/ntp", "NTPD_OPTS", "-g", NULL, NULL, "ntp",         \
		    DEB_NTP_FIXED                                                                  \
	}

static const struct startopts rows[] = {
    {DAEMON_OPENNTPD, FAMILY_DEBIAN, "/etc/default/openntpd", "DAEMON_OPTS",
     "-f /etc/openntpd/ntpd.conf", "-s", OPENNTPD_S, NULL, NULL},
    DEB_NTPSEC(FAMILY_DEBIAN, "-g", NTPSEC_G),
    DEB_CHRONY(FAMILY_DEBIAN),
    DEB_NTP(FAMILY_DEBIAN),
    DEB_NTPSEC(FAMILY_UBUNTU, NULL, NULL),
    DEB_CHRONY(FAMILY_UBUNTU),
    DEB_NTP(FAMILY_UBUNTU),
    {DAEMON_CHRONY, FAMILY_RHEL, "/etc/sysconfig/chronyd", "OPTIONS", "-F 2", NULL, NULL, "chrony",
     NULL},
    {DAEMON_NTP, FAMILY_RHEL, "/etc/sysconfig/ntpd", "OPTIONS", "-g", NULL, NULL, "ntp", NULL},
    {DAEMON_CHRONY, FAMILY_SUSE, "/etc/sysconfig/chronyd", "OPTIONS", "", NULL, NULL, "chrony",
     NULL},
    {DAEMON_CHRONY, FAMILY_ALPINE, "/etc/conf.d/chronyd", "ARGS", "", NULL, NULL, "chrony", NULL},
};

/* What each daemon's command line can say; NULL: it has the option. */
static const struct {
	int daemon;
	const char *no_user;
	const char *no_family;
} caps[] = {
    {DAEMON_OPENNTPD,
     N_("OpenNTPD has no -u: it separates privileges itself (its unprivileged processes run "
        "as the user it was built with); leave start.user out"),
     N_("OpenNTPD has no -4 or -6 (ntpd(8): -d -f -n -P -p -S -s -v); to serve on one family, "
        "list its addresses in restrict.listen")},
    {DAEMON_TIMESYNCD,
     N_("systemd-timesyncd runs as systemd-timesync, set by its unit "
        "(systemd-timesyncd.service, User=); change that with a drop-in for the unit"),
     N_("systemd-timesyncd has no option for the address family; it uses the addresses its "
        "servers resolve to")},
};

const struct startopts *startopts_find(const struct backend *b, enum distro_family f)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].daemon == (int)b->id && rows[i].family == f)
			return &rows[i];
	return NULL;
}

const struct startopts *startopts_row(size_t i)
{
	return i < sizeof(rows) / sizeof(rows[0]) ? &rows[i] : NULL;
}

bool startopts_wanted(const struct setup *s)
{
	return s && (s->start.user[0] || s->start.family != START_FAMILY_UNSET);
}

static void refuse(const struct setup *s, struct errlist *errs, const char *field, const char *why)
{
	char where[MODEL_PATH_MAX + 16];

	errlist_add(errs, ERR_ERROR, model_where(s, s->start.line, where, sizeof(where)), "%s: %s",
	            field, why);
}

/* Whether name is a user in the target's /etc/passwd. */
static int user_exists(const char *name)
{
	char *data = NULL;
	size_t len = 0, n = strlen(name);
	bool found = false;

	if (sysops_read_root_file("/etc/passwd", &data, &len) < 0)
		return -1;
	for (size_t i = 0; i < len && !found;) {
		size_t e = i;
		while (e < len && data[e] != '\n')
			e++;
		found = e - i > n && memcmp(data + i, name, n) == 0 && data[i + n] == ':';
		i = e + 1;
	}
	free(data);
	return found;
}

int startopts_check(const struct setup *s, const struct backend *b, enum distro_family f,
                    struct errlist *errs)
{
	const struct startopts *r;
	char msg[512];
	int rc = 0;

	if (!startopts_wanted(s))
		return 0;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if (caps[i].daemon != (int)b->id)
			continue;
		if (s->start.user[0]) {
			refuse(s, errs, "start.user", _(caps[i].no_user));
			rc = -1;
		}
		/* "any" asks for nothing the daemon lacks */
		if (s->start.family == START_FAMILY_IPV4 || s->start.family == START_FAMILY_IPV6) {
			refuse(s, errs, "start.family", _(caps[i].no_family));
			rc = -1;
		}
		return rc;
	}
	r = startopts_find(b, f);
	if (!r) {
		/* TRANSLATORS: %1$s the daemon, %2$s the distribution family */
		snprintf(
		    msg, sizeof(msg),
		    _("ntpwiz does not know where %2$s keeps %1$s's start options (no verified "
		      "defaults file); set -u/-4/-6 in its service by hand, or leave start out"),
		    b->name, distro_family_name(f));
		refuse(s, errs, "start", msg);
		return -1;
	}
	if (s->start.user[0] && !(r->user && strcmp(s->start.user, r->user) == 0)) {
		int e;
		if (r->user_fixed) {
			/* TRANSLATORS: %1$s why, %2$s the service's own user */
			snprintf(msg, sizeof(msg),
			         _("%1$s; leave start.user out, or set it to %2$s"),
			         _(r->user_fixed), r->user);
			refuse(s, errs, "start.user", msg);
			rc = -1;
		} else if ((e = user_exists(s->start.user)) <= 0) {
			/* TRANSLATORS: %1$s the user, %2$s the daemon */
			snprintf(msg, sizeof(msg),
			         e < 0
			             ? _("cannot read /etc/passwd on the target to find %1$s; %2$s "
			                 "would not start as a user that does not exist")
			             : _("there is no user %1$s in the target's /etc/passwd; %2$s "
			                 "would not start: create the user first, or name another"),
			         s->start.user, b->name);
			refuse(s, errs, "start.user", msg);
			rc = -1;
		}
	}
	return rc;
}

/* ---- the value's words ---- */

#define MAX_WORDS 64

struct words {
	size_t n;
	size_t at[MAX_WORDS], len[MAX_WORDS]; /* offsets in the value */
	bool drop[MAX_WORDS];
	int user_arg;  /* index of the last -u's user word (or the -uUSER word), -1 */
	int user_from; /* 2: "-u USER", 0: "-uUSER" */
	size_t nuser, n4, n6;
};

static bool word_is(const char *v, const struct words *w, size_t i, const char *s)
{
	return w->len[i] == strlen(s) && memcmp(v + w->at[i], s, w->len[i]) == 0;
}

/* 0, or -1 when the value has more words than ntpwiz edits */
static int split(const char *v, size_t n, struct words *w)
{
	memset(w, 0, sizeof(*w));
	w->user_arg = -1;
	for (size_t i = 0; i < n;) {
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (i == n)
			break;
		if (w->n == MAX_WORDS)
			return -1;
		w->at[w->n] = i;
		while (i < n && v[i] != ' ' && v[i] != '\t')
			i++;
		w->len[w->n] = i - w->at[w->n];
		w->n++;
	}
	for (size_t i = 0; i < w->n; i++) {
		if (word_is(v, w, i, "-4"))
			w->n4++;
		else if (word_is(v, w, i, "-6"))
			w->n6++;
		else if (word_is(v, w, i, "-u") && i + 1 < w->n) {
			w->nuser++;
			w->user_arg = (int)++i;
			w->user_from = 2;
		} else if (w->len[i] > 2 && memcmp(v + w->at[i], "-u", 2) == 0) {
			w->nuser++;
			w->user_arg = (int)i;
			w->user_from = 0;
		}
	}
	return 0;
}

/* The user of word i ("-uUSER" or "USER"), without a ":GROUP". */
static void user_of(const char *v, const struct words *w, char *buf, size_t size)
{
	size_t i = (size_t)w->user_arg, off = w->user_from ? 0 : 2;
	size_t len = w->len[i] - off, colon = strcspn(v + w->at[i] + off, ":");

	if (colon < len)
		len = colon;
	snprintf(buf, size, "%.*s", (int)len, v + w->at[i] + off);
}

/* Marks what to drop and fills add with what to append; false: nothing. */
static bool plan(const struct startopts *r, const struct setup *s, const char *v, struct words *w,
                 struct strbuf *add)
{
	bool change = false;

	if (r->flag) {
		bool has = false;
		for (size_t i = 0; i < w->n; i++)
			has = has || word_is(v, w, i, r->flag);
		if (!has) {
			strbuf_printf(add, " %s", r->flag);
			change = true;
		}
	}
	if (s && s->start.user[0]) {
		char cur[MODEL_USER_MAX * 2 + 2] = "";
		bool is_default = r->user && strcmp(s->start.user, r->user) == 0;
		if (w->nuser)
			user_of(v, w, cur, sizeof(cur));
		bool same =
		    w->nuser ? (w->nuser == 1 && strcmp(cur, s->start.user) == 0) : is_default;
		if (!same) {
			for (size_t i = 0; i < w->n; i++)
				if (word_is(v, w, i, "-u") && i + 1 < w->n)
					w->drop[i] = w->drop[i + 1] = true;
				else if (w->len[i] > 2 && memcmp(v + w->at[i], "-u", 2) == 0)
					w->drop[i] = true;
			if (!is_default)
				strbuf_printf(add, " -u %s", s->start.user);
			change = true;
		}
	}
	if (s && s->start.family != START_FAMILY_UNSET) {
		size_t want4 = s->start.family == START_FAMILY_IPV4,
		       want6 = s->start.family == START_FAMILY_IPV6;
		if (w->n4 != want4 || w->n6 != want6) {
			for (size_t i = 0; i < w->n; i++)
				if (word_is(v, w, i, "-4") || word_is(v, w, i, "-6"))
					w->drop[i] = true;
			if (want4 || want6)
				strbuf_puts(add, want4 ? " -4" : " -6");
			change = true;
		}
	}
	return change;
}

/* The value v[0..n) with the dropped words gone (each with the blanks
 * before it, or after it when it is the first) and add appended. */
static void rebuild(const char *v, size_t n, const struct words *w, const struct strbuf *add,
                    struct strbuf *out)
{
	size_t kept = 0, lead = w->n ? w->at[0] : n;

	strbuf_append(out, v, lead);
	for (size_t i = 0; i < w->n; i++) {
		if (w->drop[i])
			continue;
		if (kept++) {
			/* the blanks that stood before this word */
			size_t b = w->at[i];
			while (b > 0 && (v[b - 1] == ' ' || v[b - 1] == '\t'))
				b--;
			strbuf_append(out, v + b, w->at[i] - b);
		}
		strbuf_append(out, v + w->at[i], w->len[i]);
	}
	size_t tail = w->n ? w->at[w->n - 1] + w->len[w->n - 1] : n;
	/* add starts with a blank; none before it in an empty value */
	if (add->len)
		strbuf_append(out, add->buf + (kept ? 0 : 1), add->len - (kept ? 0 : 1));
	if (tail < n && w->n)
		strbuf_append(out, v + tail, n - tail);
}

/* Where the last assignment's value is: [*at, *end) of the line after
 * "VAR=", or false when there is none. */
static bool find_last(const struct startopts *r, const char *text, size_t len, size_t *at,
                      size_t *end)
{
	size_t vl = strlen(r->var);
	bool found = false;

	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		size_t p = i;
		while (p < e && (text[p] == ' ' || text[p] == '\t'))
			p++;
		if (e - p > 7 && memcmp(text + p, "export ", 7) == 0)
			p += 7;
		if (e - p > vl && memcmp(text + p, r->var, vl) == 0 && text[p + vl] == '=') {
			*at = p + vl + 1;
			*end = e;
			found = true;
		}
		i = e + (e < len);
	}
	return found;
}

/* The value's body: quote char (0 for none), offset and length in v.
 * -1 when ntpwiz does not edit it. */
static int body_of(const char *v, size_t n, char *q, size_t *body, size_t *blen)
{
	*q = (n && (v[0] == '"' || v[0] == '\'')) ? v[0] : 0;
	if (*q) {
		const char *close = memchr(v + 1, *q, n - 1);
		if (!close)
			return -1;
		*body = 1;
		*blen = (size_t)(close - v) - 1;
	} else {
		*body = 0;
		*blen = strcspn(v, " \t\n#");
		if (*blen > n)
			*blen = n;
	}
	for (size_t i = *body; i < *body + *blen; i++)
		if (v[i] == '$' || v[i] == '`' || v[i] == '\\' ||
		    (!*q && (v[i] == '"' || v[i] == '\'')))
			return -1;
	return 0;
}

int startopts_edit(const struct startopts *r, const struct setup *s, const char *text, size_t len,
                   struct strbuf *out)
{
	size_t last = 0, last_end = 0, body, blen;
	struct words w;
	struct strbuf add;
	char q;
	int rc = 0;

	if (!r->flag && !startopts_wanted(s))
		return 0; /* nothing asked: the file is not even parsed */
	strbuf_init(&add);
	if (!text || !find_last(r, text, len, &last, &last_end)) {
		/* the service gets no value: the package's, with the options */
		split(r->stock, strlen(r->stock), &w);
		if (!plan(r, s, r->stock, &w, &add) && !r->flag)
			goto done;
		if (!text)
			strbuf_printf(
			    out, "# Written by ntpwiz: the options of the %s daemon's service.\n",
			    backend_find((enum daemon_id)r->daemon)->name);
		else {
			strbuf_append(out, text, len);
			if (len && text[len - 1] != '\n')
				strbuf_putc(out, '\n');
		}
		strbuf_printf(out, "%s=\"", r->var);
		rebuild(r->stock, strlen(r->stock), &w, &add, out);
		strbuf_puts(out, "\"\n");
		rc = 1;
		goto done;
	}
	const char *v = text + last;
	if (body_of(v, last_end - last, &q, &body, &blen) < 0 || split(v + body, blen, &w) < 0) {
		rc = -1;
		goto done;
	}
	if (!plan(r, s, v + body, &w, &add))
		goto done;
	strbuf_append(out, text, last);
	strbuf_putc(out, q ? q : '"');
	rebuild(v + body, blen, &w, &add, out);
	strbuf_putc(out, q ? q : '"');
	size_t after = last + body + blen + (q ? 1 : 0);
	strbuf_append(out, text + after, len - after);
	rc = 1;
done:
	strbuf_free(&add);
	return rc;
}

void startopts_describe(const struct startopts *r, const struct setup *s, char *buf, size_t size)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if (r->flag)
		strbuf_printf(&sb, " %s", r->flag);
	if (s && s->start.user[0] && !(r->user && strcmp(s->start.user, r->user) == 0))
		strbuf_printf(&sb, " -u %s", s->start.user);
	if (s && s->start.family == START_FAMILY_IPV4)
		strbuf_puts(&sb, " -4");
	else if (s && s->start.family == START_FAMILY_IPV6)
		strbuf_puts(&sb, " -6");
	snprintf(buf, size, "%s", sb.len ? strbuf_str(&sb) + 1 : "");
	strbuf_free(&sb);
}

int startopts_import(const struct startopts *r, const char *text, size_t len, struct setup *s)
{
	size_t last, last_end, body, blen;
	struct words w;
	char q;
	int got = 0;

	if (!text || !find_last(r, text, len, &last, &last_end))
		return 0;
	const char *v = text + last;
	if (body_of(v, last_end - last, &q, &body, &blen) < 0 || split(v + body, blen, &w) < 0)
		return -1;
	if (w.nuser) {
		char u[MODEL_USER_MAX * 2 + 2];
		struct errlist scratch;
		user_of(v + body, &w, u, sizeof(u));
		errlist_init(&scratch);
		if (model_set_start_user(s, "start.user", u, 0, &scratch) < 0) {
			errlist_free(&scratch);
			return -1;
		}
		errlist_free(&scratch);
		got = 1;
	}
	if (w.n4 || w.n6) {
		/* both: chronyd and ntpd keep the last one given */
		int last4 = -1, last6 = -1;
		for (size_t i = 0; i < w.n; i++) {
			if (word_is(v + body, &w, i, "-4"))
				last4 = (int)i;
			if (word_is(v + body, &w, i, "-6"))
				last6 = (int)i;
		}
		s->start.family = last4 > last6 ? START_FAMILY_IPV4 : START_FAMILY_IPV6;
		got = 1;
	}
	return got;
}

int startopts_diff(const struct backend *b, enum distro_family f, const struct setup *s,
                   struct strbuf *diff, struct errlist *errs)
{
	const struct startopts *r = startopts_find(b, f);
	struct strbuf text;
	char *current = NULL, opts[160];
	size_t len = 0;
	int rc = 0, e;

	if (!r || (!r->flag && !startopts_wanted(s)))
		return 0;
	if (sysops_read_root_file(r->path, &current, &len) < 0 && errno != ENOENT) {
		errlist_add(errs, ERR_ERROR, r->path, _("cannot read the current file: %s"),
		            strerror(errno));
		return -1;
	}
	strbuf_init(&text);
	e = startopts_edit(r, s, current, len, &text);
	if (e < 0) {
		startopts_describe(r, s, opts, sizeof(opts));
		errlist_add(
		    errs, ERR_ERROR, r->path,
		    /* TRANSLATORS: %1$s the variable, %2$s the options, %3$s why */
		    _("%1$s is set in a way ntpwiz does not edit (quotes, $ or \\); add %2$s "
		      "to it by hand: %3$s"),
		    r->var, opts, r->why ? _(r->why) : _("the start options the profile asks for"));
		rc = -1;
	} else if (e == 1 &&
	           diff_unified(diff, current, len, text.buf, text.len, r->path, r->path) < 0) {
		errlist_add(errs, ERR_ERROR, "", "%s", _("out of memory"));
		rc = -1;
	}
	free(current);
	strbuf_free(&text);
	return rc;
}
