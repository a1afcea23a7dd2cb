/*
 * startopts: the daemons' start options in the defaults files (startopts.h).
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "backend.h"
#include "i18n.h"
#include "startopts.h"

/*
 * Each row read from the package's own files:
 *   OpenNTPD: Debian 12's openntpd 1:6.2p3-4.2+b1 and Debian 13's
 *     1:6.2p3-4.2+b2 ship /etc/default/openntpd with
 *     DAEMON_OPTS="-f /etc/openntpd/ntpd.conf" and the comment "Append '-s'
 *     to set the system time when starting"; openntpd.service runs
 *     "ntpd -n $DAEMON_OPTS" (ExecStartPre) and "ntpd $DAEMON_OPTS".
 *     ntpd(8): "-s Try to set the time immediately at startup". Both
 *     binaries were run: "ntpd -n -f FILE -s" says "configuration OK".
 *   NTPsec: Debian 12's ntpsec 1.2.2+dfsg1-1+deb12u1 has NTPD_OPTS="-g -N",
 *     Debian 13's 1.2.3+dfsg1-8 NTPD_OPTS="-g" in /etc/default/ntpsec, read
 *     by /usr/libexec/ntpsec/ntp-systemd-wrapper; -g lets ntpd make the
 *     first large correction (ntpd(8)). The row only acts when an operator
 *     removed it.
 * Not here: ntp.org's ntpd (no Debian package; a hand-built ntpd has no
 * defaults file), other distributions (not verified), chrony (makestep).
 */
static const struct startopts rows[] = {
    {DAEMON_OPENNTPD, FAMILY_DEBIAN, "/etc/default/openntpd", "DAEMON_OPTS", "-s",
     "-f /etc/openntpd/ntpd.conf",
     N_("OpenNTPD sets the clock at start (-s) instead of slewing for minutes")},
    {DAEMON_NTPSEC, FAMILY_DEBIAN, "/etc/default/ntpsec", "NTPD_OPTS", "-g", "-g -N",
     N_("NTPsec may make the first large correction (-g)")},
};

const struct startopts *startopts_find(const struct backend *b, enum distro_family f)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].daemon == (int)b->id && rows[i].family == f)
			return &rows[i];
	return NULL;
}

/* Whether word is one of the blank-separated words of v[0..n). */
static bool has_word(const char *v, size_t n, const char *word)
{
	size_t wl = strlen(word);

	for (size_t i = 0; i + wl <= n; i++)
		if ((i == 0 || v[i - 1] == ' ' || v[i - 1] == '\t') && memcmp(v + i, word, wl) == 0 &&
		    (i + wl == n || v[i + wl] == ' ' || v[i + wl] == '\t'))
			return true;
	return false;
}

int startopts_edit(const struct startopts *r, const char *text, size_t len, struct strbuf *out)
{
	size_t vl = strlen(r->var), last = (size_t)-1, last_end = 0;

	if (!text) {
		strbuf_printf(out,
		              "# Written by ntpwiz: the options of the %s daemon's service.\n"
		              "%s=\"%s %s\"\n",
		              backend_find((enum daemon_id)r->daemon)->name, r->var, r->stock, r->flag);
		return 1;
	}
	/* the last line "VAR=..." (optionally after "export ") */
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
			last = p + vl + 1;
			last_end = e;
		}
		i = e + (e < len);
	}
	if (last == (size_t)-1) {
		strbuf_append(out, text, len);
		if (len && text[len - 1] != '\n')
			strbuf_putc(out, '\n');
		strbuf_printf(out, "%s=\"%s %s\"\n", r->var, r->stock, r->flag);
		return 1;
	}
	/* the value: "...", '...' or a bare word, then only blanks or a comment */
	const char *v = text + last;
	size_t n = last_end - last, body, blen;
	char q = (n && (v[0] == '"' || v[0] == '\'')) ? v[0] : 0;
	if (q) {
		const char *close = memchr(v + 1, q, n - 1);
		if (!close)
			return -1;
		body = 1;
		blen = (size_t)(close - v) - 1;
	} else {
		body = 0;
		blen = strcspn(v, " \t\n#");
		if (blen > n)
			blen = n;
	}
	for (size_t i = body; i < body + blen; i++)
		if (v[i] == '$' || v[i] == '`' || v[i] == '\\' || (!q && (v[i] == '"' || v[i] == '\'')))
			return -1;
	if (has_word(v + body, blen, r->flag))
		return 0;
	strbuf_append(out, text, last);
	strbuf_printf(out, "%c%.*s%s%s%c", q ? q : '"', (int)blen, v + body, blen ? " " : "", r->flag,
	              q ? q : '"');
	size_t after = last + body + blen + (q ? 1 : 0);
	strbuf_append(out, text + after, len - after);
	return 1;
}
