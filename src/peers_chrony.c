/*
 * peers_chrony: `chronyc -c -m sources tracking` (CSV) into rows and the
 * status line.
 *
 * sources: mode (^ server, = peer, # reference clock), state (* selected,
 * + combined, - not combined, x falseticker, ~ too variable, ? unusable),
 * name, stratum, poll (log2 s), reach (octal), last rx (s; 4294967295 =
 * never), adjusted offset, measured offset, error (all three in seconds).
 * tracking: reference id (hex), name, stratum, reference time (Unix s),
 * system offset, last offset, RMS offset, frequency, residual frequency,
 * skew, root delay, root dispersion, update interval, leap status.
 * No daemon: "506 Cannot talk to daemon" on stdout, or "Could not open
 * connection to daemon" on stderr (a Unix socket that is not there).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peers.h"

#define SOURCES_FIELDS 10
#define TRACKING_FIELDS 14
#define NEVER 4294967295.0

/* Splits a CSV line (no quoting in chronyc's output) in place. */
static size_t split_csv(char *line, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = line;
	for (char *p = line; *p && n <= max; p++) {
		if (*p == ',') {
			*p = '\0';
			if (n == max)
				return max + 1; /* too many */
			f[n++] = p + 1;
		}
	}
	return n;
}

static bool to_long(const char *s, int base, long lo, long hi, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, base);
	return end != s && !*end && !errno && *v >= lo && *v <= hi;
}

static bool to_double(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return end != s && !*end && !errno && isfinite(*v);
}

static bool read_source(char **f, struct peer_row *row)
{
	long stratum, poll, reach;
	double lastrx, offset, error;

	if (strlen(f[0]) != 1 || !strchr("^=#", f[0][0]) || strlen(f[1]) != 1 ||
	    !strchr("*+-x~?", f[1][0]))
		return false;
	if (!to_long(f[3], 10, 0, 16, &stratum) || !to_long(f[4], 10, -32, 32, &poll) ||
	    !to_long(f[5], 8, 0, 0377, &reach) || !to_double(f[6], &lastrx) ||
	    !to_double(f[7], &offset) || !to_double(f[9], &error) || !*f[2])
		return false;
	row->type = f[0][0];
	row->tally = f[1][0];
	row->cls = peers_class_of_tally(row->tally);
	snprintf(row->remote, sizeof(row->remote), "%s", f[2]);
	row->stratum = (int)stratum;
	row->poll_s = ldexp(1.0, (int)poll);
	row->reach = (int)reach;
	row->when_s = lastrx >= NEVER ? -1 : lastrx;
	row->offset_ms = offset * 1000.0;
	row->error_ms = error * 1000.0;
	return true;
}

static const struct {
	const char *text;
	enum peers_leap leap;
} leap_words[] = {
    {"Normal", PEERS_LEAP_NONE},
    {"Insert second", PEERS_LEAP_INSERT},
    {"Delete second", PEERS_LEAP_DELETE},
    {"Not synchronised", PEERS_LEAP_ALARM},
};

static bool read_tracking(char **f, struct peers_status *st)
{
	long stratum;
	double reftime;
	enum peers_leap leap = PEERS_LEAP_UNKNOWN;

	if (strlen(f[0]) != 8 || strspn(f[0], "0123456789ABCDEFabcdef") != 8 ||
	    !to_long(f[2], 10, 0, 16, &stratum) || !to_double(f[3], &reftime))
		return false;
	for (size_t i = 0; i < sizeof(leap_words) / sizeof(leap_words[0]); i++)
		if (strcmp(f[13], leap_words[i].text) == 0)
			leap = leap_words[i].leap;
	st->known = true;
	st->leap = leap;
	st->stratum = (int)stratum;
	st->synchronised =
	    leap != PEERS_LEAP_ALARM && leap != PEERS_LEAP_UNKNOWN && strcmp(f[0], "00000000") != 0;
	/* a time_t only when it is one: a wild value would not convert */
	st->last_update = reftime > 0 && reftime < 1e12 ? (time_t)reftime : 0;
	snprintf(st->reference, sizeof(st->reference), "%s", *f[1] ? f[1] : f[0]);
	/* "System time" (the correction still to apply: positive when the
	 * clock is slow), root delay, root dispersion; chrony's own root
	 * distance is delay / 2 + dispersion */
	if (!to_double(f[4], &st->offset_s))
		st->offset_s = NAN;
	if (to_double(f[10], &st->root_delay_s) && to_double(f[11], &st->root_dispersion_s))
		st->root_distance_s = st->root_delay_s / 2 + st->root_dispersion_s;
	else
		st->root_delay_s = st->root_dispersion_s = NAN;
	return true;
}

enum peers_state peers_parse_chrony(const char *out, const char *err, int exit_status,
                                    struct peers_snapshot *snap)
{
	static const char *const no_daemon[] = {"506 Cannot talk to daemon",
	                                        "Could not open connection to daemon"};
	bool recognised = false;

	(void)exit_status;
	for (size_t i = 0; i < sizeof(no_daemon) / sizeof(no_daemon[0]); i++) {
		const char *where = strstr(out, no_daemon[i])   ? out
		                    : strstr(err, no_daemon[i]) ? err
		                                                : NULL;
		if (where) {
			peers_first_line(strstr(where, no_daemon[i]), snap->detail,
			                 sizeof(snap->detail));
			return PEERS_NOT_RUNNING;
		}
	}
	if (strstr(out, "501 Not authorised") || strstr(err, "501 Not authorised")) {
		snprintf(snap->detail, sizeof(snap->detail), "%s", "501 Not authorised");
		return PEERS_PERMISSION;
	}
	for (const char *line = out; *line;) {
		size_t len = strcspn(line, "\n");
		char buf[1024], *f[TRACKING_FIELDS + 1];
		size_t n;
		struct peer_row *row;

		if (len == 0) {
			line++;
			continue;
		}
		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		n = len < sizeof(buf) ? split_csv(buf, f, TRACKING_FIELDS) : 0;
		if (n == TRACKING_FIELDS && read_tracking(f, &snap->status)) {
			recognised = true;
		} else {
			row = peers_add_row(snap, line, len);
			if (!row)
				break;
			if (n == SOURCES_FIELDS && read_source(f, row))
				recognised = true;
			else
				row->flag_unparsed = true;
		}
		line += len;
		if (*line)
			line++;
	}
	if (!recognised && *out) {
		peers_first_line(out, snap->detail, sizeof(snap->detail));
		return PEERS_UNPARSEABLE;
	}
	if (!recognised && exit_status != 0)
		return PEERS_UNPARSEABLE; /* nothing on stdout and a failure: the caller says so */
	return PEERS_OK;
}
