/*
 * peers_timesyncd: `timedatectl timesync-status` (systemd-timesyncd).
 *
 *        Server: 104.131.155.175 (0.north-america.pool.ntp.org)
 * Poll interval: 1min 4s (min: 32s; max 34min 8s)
 *          Leap: normal
 *       Stratum: 2
 *     Reference: 408E7A25
 *        Offset: +4.077ms
 *         Delay: 24.042ms
 *        Jitter: 0
 *  Packet count: 1
 *
 * timesyncd talks to one server at a time: one row. Its spans are
 * systemd's ("1min 4s", "+4.077ms", "126us"). It has no stratum of its
 * own; the status shows the server's plus one, as for any client.
 * No daemon: timedatectl exits 1 with the bus error on stderr.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peers.h"

/* A systemd time span ("1min 4s", "+4.077ms", "0") in ms; false if not. */
static bool span_ms(const char *s, double *ms)
{
	static const struct {
		const char *unit;
		double ms;
	} units[] = {
	    {"us", 1e-3},   {"\xc2\xb5s", 1e-3}, {"ms", 1},         {"s", 1000},
	    {"min", 60000}, {"h", 3600000},      {"d", 86400000.0}, {"w", 604800000.0},
	};
	double sum = 0, sign = 1;
	bool any = false;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	while (*s) {
		char *end;
		double v;
		size_t ulen = 0, i;

		errno = 0;
		v = strtod(s, &end);
		if (end == s || errno || !isfinite(v) || v < 0)
			return false;
		s = end;
		while (s[ulen] && !isspace((unsigned char)s[ulen]))
			ulen++;
		if (ulen == 0 && v == 0) {
			any = true;
		} else {
			for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
				if (strlen(units[i].unit) == ulen &&
				    strncmp(s, units[i].unit, ulen) == 0)
					break;
			if (i == sizeof(units) / sizeof(units[0]))
				return false;
			sum += v * units[i].ms;
			any = true;
		}
		s += ulen;
		while (isspace((unsigned char)*s))
			s++;
	}
	if (!any)
		return false;
	*ms = sign * sum;
	return true;
}

/* "Key: value" with the key right-aligned; copies value (to '(' for
 * fields that add a parenthesis) into out. */
static bool field(const char *line, size_t len, const char *key, char *out, size_t size)
{
	size_t skip = strspn(line, " "), klen = strlen(key);

	if (len < skip + klen + 1 || strncmp(line + skip, key, klen) != 0 ||
	    line[skip + klen] != ':')
		return false;
	line += skip + klen + 1;
	len -= skip + klen + 1;
	while (len && *line == ' ') {
		line++;
		len--;
	}
	snprintf(out, size, "%.*s", (int)len, line);
	return true;
}

enum peers_state peers_parse_timesyncd(const char *out, const char *err, int exit_status,
                                       struct peers_snapshot *snap)
{
	struct peer_row *row = NULL;
	long packets = -1;
	bool server_seen = false;
	enum peers_leap leap = PEERS_LEAP_UNKNOWN;

	if (exit_status != 0 && *err) {
		peers_first_line(err, snap->detail, sizeof(snap->detail));
		if (strstr(err, "ccess denied") || strstr(err, "ermission denied"))
			return PEERS_PERMISSION;
		return PEERS_NOT_RUNNING;
	}
	for (const char *line = out; *line;) {
		size_t len = strcspn(line, "\n");
		char v[512];
		double ms;

		if (field(line, len, "Server", v, sizeof(v))) {
			server_seen = true;
			if (strcmp(v, "n/a") != 0 && strcmp(v, "null") != 0 && v[0]) {
				char *paren = strchr(v, '(');
				row = peers_add_row(snap, line, len);
				if (!row)
					break;
				if (paren) {
					snprintf(row->name, sizeof(row->name), "%.*s",
					         (int)strcspn(paren + 1, ")"), paren + 1);
					*paren = '\0';
				}
				snprintf(row->remote, sizeof(row->remote), "%.*s",
				         (int)strcspn(v, " "), v);
				row->type = 'u';
			}
		} else if (field(line, len, "Poll interval", v, sizeof(v))) {
			char *paren = strchr(v, '(');
			if (paren)
				*paren = '\0';
			if (row && span_ms(v, &ms))
				row->poll_s = ms / 1000.0;
		} else if (field(line, len, "Leap", v, sizeof(v))) {
			if (strcmp(v, "normal") == 0)
				leap = PEERS_LEAP_NONE;
			else if (strstr(v, "61"))
				leap = PEERS_LEAP_INSERT;
			else if (strstr(v, "59"))
				leap = PEERS_LEAP_DELETE;
			else if (strstr(v, "not sync"))
				leap = PEERS_LEAP_ALARM;
		} else if (field(line, len, "Stratum", v, sizeof(v))) {
			char *end;
			long st = strtol(v, &end, 10);
			if (row && end != v && st >= 0 && st <= 16)
				row->stratum = (int)st;
		} else if (field(line, len, "Reference", v, sizeof(v))) {
			if (row)
				snprintf(row->refid, sizeof(row->refid), "%.63s", v);
		} else if (field(line, len, "Offset", v, sizeof(v))) {
			if (row && span_ms(v, &ms)) {
				row->offset_ms = ms;
				snap->status.offset_s = ms / 1000.0;
			}
		} else if (field(line, len, "Root distance", v, sizeof(v))) {
			char *paren = strchr(v, '(');
			if (paren)
				*paren = '\0';
			if (row && span_ms(v, &ms))
				snap->status.root_distance_s = ms / 1000.0;
		} else if (field(line, len, "Delay", v, sizeof(v))) {
			if (row && span_ms(v, &ms))
				row->delay_ms = ms;
		} else if (field(line, len, "Jitter", v, sizeof(v))) {
			if (row && span_ms(v, &ms))
				row->jitter_ms = ms;
		} else if (field(line, len, "Packet count", v, sizeof(v))) {
			packets = strtol(v, NULL, 10);
		}
		line += len;
		if (*line)
			line++;
	}
	if (!server_seen) {
		peers_first_line(*out ? out : err, snap->detail, sizeof(snap->detail));
		return PEERS_UNPARSEABLE;
	}
	snap->status.known = true;
	snap->status.leap = leap;
	snap->status.synchronised =
	    row && leap != PEERS_LEAP_ALARM && leap != PEERS_LEAP_UNKNOWN && packets > 0;
	if (row) {
		/* the server's row carries the whole block as its raw text */
		char *all = strndup(out, strlen(out) - (out[0] && out[strlen(out) - 1] == '\n'));
		if (all) {
			free(row->raw_line);
			row->raw_line = all;
		}
		row->tally = snap->status.synchronised ? '*' : ' ';
		row->cls = peers_class_of_tally(row->tally);
		if (packets >= 0)
			snprintf(row->extra, sizeof(row->extra), "packets %ld", packets);
		snprintf(snap->status.reference, sizeof(snap->status.reference), "%.127s",
		         row->remote);
		if (row->stratum >= 0 && row->stratum < 16)
			snap->status.stratum = row->stratum + 1;
	}
	return PEERS_OK;
}
