/*
 * peers_ntpq: ntpq's peer table (ntp.org 4.2.8 and NTPsec), preceded by
 * the system variables `rv 0 leap,stratum,refid,reftime,offset,rootdelay,rootdisp`.
 *
 *      remote           refid      st t when poll reach   delay   offset   jitter
 * ===============================================================================
 * *10.99.0.2       127.127.1.1      3 u    5    8   77   0.0174  -0.0031   0.0152
 *
 * The first character is the tally (' ' reject, x falseticker, . excess,
 * - outlier, + candidate, # backup, * system peer, o PPS peer); t is the
 * type (u unicast, b broadcast, l local, s symmetric, p pool, B/M/m...)
 * or, on NTPsec, 1-8: the NTS cookies held. when/poll may carry m/h/d;
 * delay/offset/jitter are ms, or carry a unit with NTPsec's --units.
 * With -w a long remote is printed whole on its own line and the row
 * continues, indented, on the next. ntpq exits 0 on every error:
 * "***Socket error; probably ntpd is not running", "***Request timed out"
 * (NTPsec), "ntpq: read: Connection refused" (ntp.org, no ntpd).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peers.h"

#define COLUMNS 10                   /* remote refid st t when poll reach delay offset jitter */
#define NTP_UNIX_OFFSET 2208988800LL /* 1900-01-01 to 1970-01-01 */

/* The rest of a row after the remote: refid st t when poll reach delay
 * offset jitter (9 words). */
static bool read_columns(char **w, struct peer_row *row)
{
	char *end;
	long st, reach;

	snprintf(row->refid, sizeof(row->refid), "%s", w[0]);
	errno = 0;
	st = strtol(w[1], &end, 10);
	if (*end || end == w[1] || errno || st < 0 || st > 16)
		return false;
	row->stratum = (int)st;
	if (strlen(w[2]) != 1 || !isalnum((unsigned char)w[2][0]))
		return false;
	row->type = w[2][0];
	if (row->type >= '1' && row->type <= '8')
		row->nts_cookies = row->type - '0';
	if (!peers_parse_age(w[3], &row->when_s) || !peers_parse_age(w[4], &row->poll_s))
		return false;
	errno = 0;
	reach = strtol(w[5], &end, 8);
	if (*end || end == w[5] || errno || reach < 0 || reach > 0377)
		return false;
	row->reach = (int)reach;
	return peers_parse_ms(w[6], 1.0, &row->delay_ms) &&
	       peers_parse_ms(w[7], 1.0, &row->offset_ms) &&
	       peers_parse_ms(w[8], 1.0, &row->jitter_ms);
}

static bool is_tally(char c)
{
	return strchr(" x.-+#*o", c) != NULL;
}

static void set_class(struct peer_row *row)
{
	row->cls = row->type == 'p' ? PEER_POOL : peers_class_of_tally(row->tally);
}

/* The system variables in milliseconds and where they go (seconds). */
static const struct ms_var {
	const char *name;
	size_t at;
} ms_vars[] = {
    {"offset", offsetof(struct peers_status, offset_s)},
    {"rootdelay", offsetof(struct peers_status, root_delay_s)},
    {"rootdisp", offsetof(struct peers_status, root_dispersion_s)},
};

static const struct ms_var *ms_var(const char *name)
{
	for (size_t i = 0; i < sizeof(ms_vars) / sizeof(ms_vars[0]); i++)
		if (strcmp(name, ms_vars[i].name) == 0)
			return &ms_vars[i];
	return NULL;
}

/* "leap=00, stratum=4, refid=10.0.0.1,\nreftime=eeacd446.1d9f63da 2026-..." */
static void read_sysvars(const char *text, size_t len, struct peers_status *st)
{
	static const enum peers_leap leaps[] = {PEERS_LEAP_NONE, PEERS_LEAP_INSERT,
	                                        PEERS_LEAP_DELETE, PEERS_LEAP_ALARM};
	char buf[1024];
	bool have_leap = false;
	char *save = NULL;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	for (char *item = strtok_r(buf, ",\n", &save); item; item = strtok_r(NULL, ",\n", &save)) {
		char *eq, *end;
		while (isspace((unsigned char)*item))
			item++;
		eq = strchr(item, '=');
		if (!eq)
			continue;
		*eq++ = '\0';
		if (strcmp(item, "leap") == 0) {
			long v = strtol(eq, &end, 2);
			if (end != eq && v >= 0 && v <= 3) {
				st->leap = leaps[v];
				have_leap = true;
			}
		} else if (strcmp(item, "stratum") == 0) {
			long v = strtol(eq, &end, 10);
			if (end != eq && v >= 0 && v <= 16)
				st->stratum = (int)v;
		} else if (strcmp(item, "refid") == 0) {
			snprintf(st->reference, sizeof(st->reference), "%.*s",
			         (int)strcspn(eq, " \""), eq);
		} else if (ms_var(item)) {
			/* milliseconds, in both ntpqs */
			double v;
			errno = 0;
			v = strtod(eq, &end);
			if (end != eq && !errno && isfinite(v) &&
			    (!*end || isspace((unsigned char)*end)))
				*(double *)((char *)st + ms_var(item)->at) = v / 1000.0;
		} else if (strcmp(item, "reftime") == 0) {
			unsigned long long secs = strtoull(eq, &end, 16);
			/* NTP seconds are 32 bits: more cannot be a time */
			if (end != eq && *end == '.' && secs != 0 && secs <= 0xffffffffULL) {
				/* NTP era 1 starts in 2036: small values are past it. */
				long long t = (long long)secs - NTP_UNIX_OFFSET;
				if (secs < 0x80000000ULL)
					t += 0x100000000LL;
				st->last_update = (time_t)t;
			}
		}
	}
	if (isfinite(st->root_delay_s) && isfinite(st->root_dispersion_s))
		st->root_distance_s = st->root_delay_s / 2 + st->root_dispersion_s;
	if (have_leap) {
		st->known = true;
		st->synchronised =
		    st->leap != PEERS_LEAP_ALARM && st->stratum >= 0 && st->stratum < 16;
	}
}

static bool starts_with(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(line, prefix, n) == 0;
}

enum peers_state peers_parse_ntpq(const char *out, const char *err, int exit_status,
                                  struct peers_snapshot *snap)
{
	const char *line = out, *sysvars = NULL, *complaint = NULL;
	bool header = false, no_assoc = false;

	(void)exit_status;
	for (; *line;) {
		size_t len = strcspn(line, "\n");
		const char *next = line[len] ? line + len + 1 : line + len;
		char buf[1024], *w[COLUMNS + 1];
		size_t n;
		struct peer_row *row;

		if (len == 0 || strspn(line, " \t") == len) {
			line = next;
			continue;
		}
		if (starts_with(line, len, "***")) {
			if (!complaint)
				complaint = line;
		} else if (!header && memmem(line, len, "remote", 6) &&
		           memmem(line, len, "refid", 5)) {
			header = true;
			if (sysvars)
				read_sysvars(sysvars, (size_t)(line - sysvars), &snap->status);
		} else if (header && line[0] == '=') {
			/* the rule under the header */
		} else if (starts_with(line, len, "No association")) {
			no_assoc = true;
		} else if (header) {
			size_t rawlen = len;
			n = peers_split(line + 1, len - 1, buf, sizeof(buf), w, COLUMNS + 1);
			/* -w: the remote alone, the row on the next (indented) line */
			if (n == 1 && is_tally(line[0]) && *next == ' ') {
				size_t len2 = strcspn(next, "\n");
				char buf2[1024], *w2[COLUMNS];
				size_t n2 =
				    peers_split(next, len2, buf2, sizeof(buf2), w2, COLUMNS);
				if (n2 == COLUMNS - 1) {
					rawlen = (size_t)(next - line) + len2;
					row = peers_add_row(snap, line, rawlen);
					if (!row)
						break;
					row->tally = line[0];
					snprintf(row->remote, sizeof(row->remote), "%s", w[0]);
					if (!read_columns(w2, row))
						row->flag_unparsed = true;
					set_class(row);
					line = next[len2] ? next + len2 + 1 : next + len2;
					continue;
				}
			}
			row = peers_add_row(snap, line, rawlen);
			if (!row)
				break;
			if (n == COLUMNS && is_tally(line[0]) && read_columns(w + 1, row)) {
				row->tally = line[0];
				snprintf(row->remote, sizeof(row->remote), "%s", w[0]);
				set_class(row);
			} else {
				row->flag_unparsed = true;
			}
		} else if (!sysvars) {
			sysvars = line;
		}
		line = next;
	}
	if (!complaint && strncmp(err, "***", 3) == 0)
		complaint = err;
	/* ntp.org's ntpq (4.2.8p10, observed) when nothing listens on
	 * localhost: "ntpq: read: Connection refused" on stderr, exit 0 */
	if (!complaint && !header && strstr(err, "Connection refused")) {
		const char *msg = err, *colon = strstr(err, ": ");
		/* without ntpq's own name in front (the message adds the tool's) */
		if (colon && !memchr(err, ' ', (size_t)(colon - err)))
			msg = colon + 2;
		peers_first_line(msg, snap->detail, sizeof(snap->detail));
		return PEERS_NOT_RUNNING;
	}
	if (header || no_assoc) {
		if (!header && sysvars)
			read_sysvars(sysvars, strlen(sysvars), &snap->status);
		return PEERS_OK;
	}
	if (complaint) {
		complaint += strspn(complaint, "*");
		if (strncmp(complaint, "ntpq: ", 6) == 0) /* the explanation names ntpq */
			complaint += 6;
		peers_first_line(complaint, snap->detail, sizeof(snap->detail));
		if (strstr(snap->detail, "Socket error") || strstr(snap->detail, "not running") ||
		    strstr(snap->detail, "Connection refused"))
			return PEERS_NOT_RUNNING;
		if (strstr(snap->detail, "timed out"))
			return PEERS_TIMEOUT;
		if (strstr(snap->detail, "ermission") || strstr(snap->detail, "not authori"))
			return PEERS_PERMISSION;
		return PEERS_FAILED;
	}
	peers_first_line(*out ? out : err, snap->detail, sizeof(snap->detail));
	return PEERS_UNPARSEABLE;
}
