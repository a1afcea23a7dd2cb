/*
 * extra: the honest escape hatch (issue 16 section 8). An operator line is
 * one directive the daemon documents and ntpwiz does not write itself,
 * with words that pass the same kind of gate as every other value.
 * Directives that decide who may reach the daemon, or who may control it,
 * are refused: the access policy is the one place for that, and its
 * guarantees (no amplification, no remote control) must hold whatever the
 * profile adds. One table per daemon, taken from the daemon's own manual.
 */
#ifndef NTPWIZ_EXTRA_H
#define NTPWIZ_EXTRA_H

#include <stdbool.h>

#include "model.h"
#include "strbuf.h"

/* Why text cannot be an operator line for daemon d (translated, static
 * storage, overwritten by the next call), NULL when it can. */
const char *extra_refusal(enum daemon_id d, const char *text);

/* Whether import may keep a line with this directive as an operator line:
 * the daemon documents it and ntpwiz neither writes it nor refuses it. */
bool extra_importable(enum daemon_id d, const char *directive);

/* The operator lines of s for daemon d, under a comment that marks them,
 * in the daemon's syntax; nothing when there are none. */
void extra_render(enum daemon_id d, const struct setup *s, struct strbuf *out);

#endif
