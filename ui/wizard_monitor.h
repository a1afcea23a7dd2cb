/*
 * wizard_monitor: what the Monitor page shows: a snapshot of the parsed
 * peer table, and the live ncurses view (monitor_run) on request.
 */
#ifndef NTPWIZ_WIZARD_MONITOR_H
#define NTPWIZ_WIZARD_MONITOR_H

#include "strbuf.h"
#include "wizard_state.h"

#define WIZARD_MONITOR_TIMEOUT_MS 5000

/* Runs the daemon's monitor command (chronyc sources, ntpq -p, ...) with a
 * timeout and appends the parsed table and status line, or why there is
 * none and what to try, to out. Under --root nothing runs: the daemon there
 * is not this system's. Returns 0 when the daemon answered, -1 otherwise. */
int wizard_monitor_snapshot(const struct wizard_state *w, struct strbuf *out);

/* The live peer view (ncurses) with the newt screen suspended; newt's
 * screen is back when it returns. -1 when no view could be shown. */
int wizard_monitor_live(const struct wizard_state *w);

#endif
