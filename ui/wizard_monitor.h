/*
 * wizard_monitor: what the Monitor page shows. One function, so the live
 * ncurses peer view (monitor_run, which runs after newtFinished) can take
 * its place; for now one snapshot of the daemon's own peer table.
 */
#ifndef NTPWIZ_WIZARD_MONITOR_H
#define NTPWIZ_WIZARD_MONITOR_H

#include "strbuf.h"
#include "wizard_state.h"

#define WIZARD_MONITOR_TIMEOUT_MS 5000

/* Runs the backend's peers command (chronyc sources, ntpq -p, ...) with a
 * timeout and appends its text, or why there is none, to out. Under --root
 * nothing runs: the daemon there is not this system's. Returns 0 when the
 * daemon answered, -1 otherwise (out says why). */
int wizard_monitor_snapshot(const struct wizard_state *w, struct strbuf *out);

#endif
