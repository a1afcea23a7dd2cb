/*
 * peers_openntpd: `ntpctl -s all` (OpenNTPD).
 *
 * 2/3 peers valid, clock unsynced
 *
 * peer
 *    wt tl st  next  poll          offset       delay      jitter
 * 10.231.91.1 from pool pool.example.org
 *  *  1 10  3    6s   33s         0.007ms     0.039ms     0.027ms
 * 10.231.91.9
 *     1  2  -  208s  300s             ---- peer not valid ----
 *
 * The status line ends "clock synced, stratum N" or "clock unsynced[,
 * clock offset is Xms]"; each peer is a description line (address, then
 * "from pool NAME" or the configured name) and a figures line whose second
 * character is '*' for the peer the clock follows. OpenNTPD keeps no reach
 * register; it shows weight, trust level (0-10, valid from 3... on) and
 * the seconds to the next query instead. A "sensor" block has the same
 * shape (wt gd st next poll offset correction).
 * No daemon: "ntpctl: connect: PATH: No such file or directory", exit 1.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peers.h"

static void read_status(const char *line, size_t len, struct peers_status *st)
{
	const char *p;
	char buf[512];

	snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
	st->known = true;
	st->synchronised = strstr(buf, "clock synced") != NULL;
	st->leap = PEERS_LEAP_UNKNOWN; /* OpenNTPD does not report one */
	p = strstr(buf, "stratum ");
	if (p) {
		char *end;
		long v = strtol(p + 8, &end, 10);
		if (end != p + 8 && v >= 0 && v <= 16)
			st->stratum = (int)v;
	}
}

/* The figures line: [*] wt tl|gd st next poll (offset delay jitter |
 * offset correction | ---- peer not valid ----). */
static bool read_figures(const char *line, size_t len, bool sensor, struct peer_row *row)
{
	char buf[512], *w[10];
	size_t n, i = 0;
	double next;
	char *end;
	long wt, tl;

	if (len < 2)
		return false;
	row->tally = line[1] == '*' ? '*' : ' ';
	n = peers_split(line, len, buf, sizeof(buf), w, 10);
	if (n > 0 && strcmp(w[0], "*") == 0)
		i = 1;
	if (n < i + 5)
		return false;
	wt = strtol(w[i], &end, 10);
	if (*end)
		return false;
	tl = strtol(w[i + 1], &end, 10);
	if (*end)
		return false;
	if (strcmp(w[i + 2], "-") != 0) {
		long st = strtol(w[i + 2], &end, 10);
		if (*end || st < 0 || st > 16)
			return false;
		row->stratum = (int)st;
	}
	if (!peers_parse_age(w[i + 3], &next) || !peers_parse_age(w[i + 4], &row->poll_s))
		return false;
	snprintf(row->refid, sizeof(row->refid), "%s", "");
	/* OpenNTPD's own columns, under its own names */
	snprintf(row->extra, sizeof(row->extra),
	         sensor ? "wt %ld gd %ld next %.0fs" : "wt %ld tl %ld next %.0fs", wt, tl, next);
	i += 5;
	if (n - i >= 1 && strncmp(w[i], "----", 4) == 0) {
		row->cls = PEER_REJECTED;
		return true;
	}
	if (n - i >= 1 && w[i][0] == '-' && memmem(line, len, "not valid", 9)) {
		row->cls = PEER_REJECTED; /* "- sensor not valid -" */
		return true;
	}
	if (n - i < 2 || !peers_parse_ms(w[i], 1.0, &row->offset_ms))
		return false;
	if (!sensor) {
		if (n - i < 3 || !peers_parse_ms(w[i + 1], 1.0, &row->delay_ms) ||
		    !peers_parse_ms(w[i + 2], 1.0, &row->jitter_ms))
			return false;
	}
	row->cls = row->tally == '*' ? PEER_SELECTED : PEER_CANDIDATE;
	return true;
}

enum peers_state peers_parse_openntpd(const char *out, const char *err, int exit_status,
                                      struct peers_snapshot *snap)
{
	const char *line = out;
	bool status_seen = false, in_block = false, sensor = false, recognised = false;

	if (strstr(err, "Permission denied")) {
		peers_first_line(strstr(err, "ntpctl") ? strstr(err, "ntpctl") : err, snap->detail,
		                 sizeof(snap->detail));
		return PEERS_PERMISSION;
	}
	if (strstr(err, "connect") && exit_status != 0) {
		peers_first_line(err, snap->detail, sizeof(snap->detail));
		return PEERS_NOT_RUNNING;
	}
	while (*line) {
		size_t len = strcspn(line, "\n");
		const char *next = line[len] ? line + len + 1 : line + len;

		if (len == 0) {
			line = next;
			continue;
		}
		if (!status_seen && (memmem(line, len, "clock synced", 12) ||
		                     memmem(line, len, "clock unsynced", 14) ||
		                     memmem(line, len, "no peers and no sensors", 23))) {
			status_seen = recognised = true;
			read_status(line, len, &snap->status);
		} else if ((len == 4 && memcmp(line, "peer", 4) == 0) ||
		           (len == 6 && memcmp(line, "sensor", 6) == 0)) {
			in_block = recognised = true;
			sensor = len == 6;
		} else if (memmem(line, len, "wt ", 3) && memmem(line, len, "poll", 4)) {
			/* the column header */
		} else if (memmem(line, len, "no peers configured", 19) ||
		           memmem(line, len, "no sensors configured", 21)) {
			recognised = true;
		} else if (in_block && line[0] != ' ') {
			/* a description line, then its figures line */
			size_t len2 = strcspn(next, "\n");
			size_t rawlen = next[0] == ' ' ? (size_t)(next - line) + len2 : len;
			struct peer_row *row = peers_add_row(snap, line, rawlen);
			char buf[512], *w[2];

			if (!row)
				break;
			if (peers_split(line, len, buf, sizeof(buf), w, 2) >= 1)
				snprintf(row->remote, sizeof(row->remote), "%s", w[0]);
			{
				/* the first word of this line only: strcspn would run on
				 * into the next line when this one has no space */
				size_t skip = 0;
				while (skip < len && line[skip] != ' ')
					skip++;
				const char *rest = line + skip;
				size_t restlen = len - skip;
				while (restlen && *rest == ' ') {
					rest++;
					restlen--;
				}
				while (restlen && rest[restlen - 1] == ' ')
					restlen--;
				snprintf(row->name, sizeof(row->name), "%.*s", (int)restlen, rest);
			}
			row->type = sensor ? 'S' : 0;
			if (next[0] != ' ' || !read_figures(next, len2, sensor, row))
				row->flag_unparsed = true;
			line = next[0] == ' ' ? (next[len2] ? next + len2 + 1 : next + len2) : next;
			continue;
		} else {
			struct peer_row *row = peers_add_row(snap, line, len);
			if (!row)
				break;
			row->flag_unparsed = true;
		}
		line = next;
	}
	if (!recognised) {
		peers_first_line(*out ? out : err, snap->detail, sizeof(snap->detail));
		return PEERS_UNPARSEABLE;
	}
	return PEERS_OK;
}
