/*
 * peers_format: the peer table and the status line as text, shared by
 * `monitor --once` and the ncurses view (see peers.h). Columns nobody in
 * the snapshot has are left out (chrony has no refid or delay, OpenNTPD no
 * reach register), and the remote column takes the room that is left.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "peers.h"

static const struct column {
	const char *title; /* N_() */
	int width;         /* fixed width; remote and extra: the minimum */
	int max;           /* for remote, refid, extra: the most worth giving */
	bool left;         /* left-aligned */
} columns[PCOL_COUNT] = {
    [PCOL_TALLY] = {"", 1, 1, true},
    /* TRANSLATORS: the peer table's column titles, as ntpq names them; keep
     * them as short as the English ones (st = stratum, t = type). */
    [PCOL_REMOTE] = {N_("remote"), 15, 60, true},
    [PCOL_REFID] = {N_("refid"), 11, 15, true},
    [PCOL_ST] = {N_("st"), 2, 2, false},
    [PCOL_TYPE] = {N_("t"), 1, 1, true},
    [PCOL_WHEN] = {N_("when"), 4, 4, false},
    [PCOL_POLL] = {N_("poll"), 4, 4, false},
    [PCOL_REACH] = {N_("reach"), 8, 8, true},
    [PCOL_DELAY] = {N_("delay"), 7, 9, false},
    [PCOL_OFFSET] = {N_("offset"), 8, 9, false},
    [PCOL_JITTER] = {N_("jitter"), 7, 9, false},
    [PCOL_ERROR] = {N_("error"), 7, 9, false},
    [PCOL_EXTRA] = {"", 10, 40, true},
};

/* The longest text of column c in the snapshot (remote, refid, extra). */
static int longest(const struct peers_snapshot *snap, enum peers_column c)
{
	int max = 0;

	for (size_t i = 0; i < snap->nrows; i++) {
		const struct peer_row *r = &snap->rows[i];
		int len = c == PCOL_REMOTE  ? (int)strlen(r->remote)
		          : c == PCOL_REFID ? (int)strlen(r->refid)
		          : c == PCOL_EXTRA ? (int)strlen(r->extra)
		                            : 0;
		if (!r->flag_unparsed && len > max)
			max = len;
	}
	return max;
}

void peers_layout(const struct peers_snapshot *snap, int cols, struct peers_layout *lay)
{
	unsigned mask = snap->backend ? peers_columns(snap->backend) : ~0u;
	int used = 0, shown = 0, room;

	memset(lay, 0, sizeof(*lay));
	for (int c = 0; c < PCOL_COUNT; c++) {
		if (!(mask & (1u << c)))
			continue;
		lay->width[c] = columns[c].width;
		used += columns[c].width;
		shown++;
	}
	used += shown - 1; /* one space between columns */
	room = cols - used;
	/* Room left goes to the remote's names, then refid, then extra. */
	for (int pass = 0; pass < 3 && room > 0; pass++) {
		static const enum peers_column grow[] = {PCOL_REMOTE, PCOL_REFID, PCOL_EXTRA};
		enum peers_column c = grow[pass];
		int want;
		if (!lay->width[c])
			continue;
		want = longest(snap, c);
		if (want > columns[c].max)
			want = columns[c].max;
		if (want > lay->width[c]) {
			int add = want - lay->width[c];
			if (add > room)
				add = room;
			lay->width[c] += add;
			room -= add;
			used += add;
		}
	}
	/* Too narrow: drop what matters least. */
	if (used > cols && lay->width[PCOL_EXTRA]) {
		used -= lay->width[PCOL_EXTRA] + 1;
		lay->width[PCOL_EXTRA] = 0;
	}
	lay->total = used;
}

/* Puts s into a field of width w, cut with '>' like chronyc does. */
static int put_field(char *buf, size_t size, size_t at, const char *s, int w, bool left)
{
	int len = (int)strlen(s);
	char cut[128];

	if (w <= 0 || at >= size)
		return 0;
	if (len > w) {
		snprintf(cut, sizeof(cut), "%.*s>", w - 1, s);
		s = cut;
		len = w;
	}
	return snprintf(buf + at, size - at, left ? "%-*s" : "%*s", w, s);
}

static void put_columns(const struct peers_layout *lay, const char *const text[PCOL_COUNT],
                        char *buf, size_t size)
{
	size_t at = 0;
	bool first = true;

	buf[0] = '\0';
	for (int c = 0; c < PCOL_COUNT && at < size; c++) {
		int w;
		if (!lay->width[c])
			continue;
		if (!first && at + 1 < size) {
			buf[at++] = ' ';
			buf[at] = '\0';
		}
		first = false;
		w = put_field(buf, size, at, text[c], lay->width[c], columns[c].left);
		if (w > 0)
			at += (size_t)w;
		if (at >= size)
			at = size - 1;
	}
	while (at > 0 && buf[at - 1] == ' ')
		buf[--at] = '\0';
}

void peers_format_header(const struct peers_layout *lay, char *buf, size_t size)
{
	const char *text[PCOL_COUNT];

	for (int c = 0; c < PCOL_COUNT; c++)
		text[c] = columns[c].title[0] ? _(columns[c].title) : "";
	put_columns(lay, text, buf, size);
}

/* Seconds as ntpq shows them: 5, 17m, 3h, 2d; fractions below 1 s. */
static void fmt_age(double s, char *out, size_t size)
{
	if (s < 0)
		snprintf(out, size, "-");
	else if (s > 0 && s < 1)
		snprintf(out, size, "%.2g", s);
	else if (s < 2048)
		snprintf(out, size, "%.0f", s);
	else if (s < 300 * 60)
		snprintf(out, size, "%.0fm", floor(s / 60));
	else if (s < 96 * 3600)
		snprintf(out, size, "%.0fh", floor(s / 3600));
	else
		snprintf(out, size, "%.0fd", floor(s / 86400));
}

/* Milliseconds with as many decimals as fit the width (at most 4). */
static void fmt_ms(double v, int width, char *out, size_t size)
{
	if (isnan(v)) {
		snprintf(out, size, "-");
		return;
	}
	for (int dec = 4; dec >= 0; dec--) {
		if (snprintf(out, size, "%.*f", dec, v) <= width)
			return;
	}
}

void peers_format_row(const struct peers_layout *lay, const struct peer_row *r, char *buf,
                      size_t size)
{
	char tally[2] = {r->tally ? r->tally : ' ', '\0'}, type[2] = {r->type, '\0'};
	char st[16] = "-", when[16], poll[16], reach[9], delay[24], offset[24], jitter[24],
	     error[24];
	const char *text[PCOL_COUNT];

	if (r->flag_unparsed) {
		/* a line we could not read, shown as the daemon printed it */
		snprintf(buf, size, "! %.*s", (int)strcspn(r->raw_line, "\n"), r->raw_line);
		return;
	}
	if (r->stratum >= 0)
		snprintf(st, sizeof(st), "%d", r->stratum);
	fmt_age(r->when_s, when, sizeof(when));
	fmt_age(r->poll_s, poll, sizeof(poll));
	peers_reach_history(r->reach, reach);
	fmt_ms(r->delay_ms, lay->width[PCOL_DELAY], delay, sizeof(delay));
	fmt_ms(r->offset_ms, lay->width[PCOL_OFFSET], offset, sizeof(offset));
	fmt_ms(r->jitter_ms, lay->width[PCOL_JITTER], jitter, sizeof(jitter));
	fmt_ms(r->error_ms, lay->width[PCOL_ERROR], error, sizeof(error));
	text[PCOL_TALLY] = tally;
	text[PCOL_REMOTE] = r->remote;
	text[PCOL_REFID] = r->refid;
	text[PCOL_ST] = st;
	text[PCOL_TYPE] = r->type ? type : "";
	text[PCOL_WHEN] = when;
	text[PCOL_POLL] = poll;
	text[PCOL_REACH] = reach;
	text[PCOL_DELAY] = delay;
	text[PCOL_OFFSET] = offset;
	text[PCOL_JITTER] = jitter;
	text[PCOL_ERROR] = error;
	text[PCOL_EXTRA] = r->extra;
	put_columns(lay, text, buf, size);
}

/* Appends ", " and an item to the status line. */
static void item(char *buf, size_t size, const char *s)
{
	size_t at = strlen(buf);

	snprintf(buf + at, size - at, "%s%s", at ? ", " : "", s);
}

void peers_format_status(const struct peers_snapshot *snap, time_t now, char *buf, size_t size)
{
	const struct peers_status *st = &snap->status;
	char part[256];

	buf[0] = '\0';
	if (!st->known) {
		snprintf(buf, size, "%s", _("the daemon did not report its status"));
		return;
	}
	item(buf, size, st->synchronised ? _("synchronised") : _("not synchronised"));
	if (st->stratum >= 1 && st->stratum < 16) { /* chrony says 0 when it has none */
		snprintf(part, sizeof(part), _("stratum %d"), st->stratum);
		item(buf, size, part);
	}
	if (st->leap != PEERS_LEAP_UNKNOWN && st->leap != PEERS_LEAP_ALARM) {
		snprintf(part, sizeof(part), _("leap: %s"), peers_leap_text(st->leap));
		item(buf, size, part);
	}
	if (st->reference[0] && strcmp(st->reference, "00000000") != 0) {
		snprintf(part, sizeof(part), _("reference %s"), st->reference);
		item(buf, size, part);
	}
	if (st->last_update > 0) {
		struct tm tm;
		char hms[16] = "";
		long ago = (long)(now - st->last_update);
		if (gmtime_r(&st->last_update, &tm))
			strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
		if (ago >= 0)
			/* TRANSLATORS: the daemon's last clock update, in UTC, and how long ago */
			snprintf(part, sizeof(part), _("last update %1$s UTC (%2$ld s ago)"), hms,
			         ago);
		else
			snprintf(part, sizeof(part), _("last update %s UTC"), hms);
		item(buf, size, part);
	}
}
