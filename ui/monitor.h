/*
 * monitor: the live peer table (ncurses). Self-contained: it opens the
 * terminal, draws, and gives it back as it found it on every way out (q,
 * Ctrl-C, SIGTERM, SIGHUP), so the wizard can call it after its own newt
 * session has ended.
 */
#ifndef NTPWIZ_MONITOR_H
#define NTPWIZ_MONITOR_H

#include <stdbool.h>

#include "backend.h"
#include "peers.h"

#define MONITOR_INTERVAL_MS 2000 /* between answers, by default */
#define MONITOR_INTERVAL_MIN_MS 500
#define MONITOR_INTERVAL_MAX_MS 3600000
#define MONITOR_TIMEOUT_MS 10000 /* for one run of the daemon's tool */

struct monitor_opts {
	const struct backend *backend;
	int interval_ms;
	int timeout_ms;
	struct peers_hints hints; /* for "start it with ..." */
	const char *why;          /* why this daemon, for the header; may be NULL */
	bool names;               /* start with names instead of addresses */
};

/* Defaults for b, with the hints taken from the host (detect). */
void monitor_opts_init(struct monitor_opts *o, const struct backend *b);

/* Runs the view until the user quits or a signal asks it to. 0, or -1 when
 * there is no usable terminal (nothing was drawn). */
int monitor_run(const struct monitor_opts *o);

#endif
