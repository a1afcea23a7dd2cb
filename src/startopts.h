/*
 * startopts: the daemon's start options, in the distribution's defaults
 * file (the file its unit or init script reads), written in the same change
 * as the config (backed up, rolled back with it) and shown in preview.
 *
 * Two things live there:
 * - the option that makes a daemon reach the right time the way its own
 *   documentation says (issue 14, defect 8: OpenNTPD without -s started
 *   4.3 s off and took 200-290 s to follow its server; NTPsec's -g, which
 *   Debian's /etc/default/ntpsec already has). chrony does it with makestep
 *   in its config (options.makestep).
 * - the profile's start = { user; family; } (issue 16 section 7): -u USER
 *   and -4/-6, for the daemons that have them.
 */
#ifndef NTPWIZ_STARTOPTS_H
#define NTPWIZ_STARTOPTS_H

#include <stddef.h>

#include "distro.h"
#include "errlist.h"
#include "model.h"
#include "strbuf.h"

struct backend;

/* One row per distribution family x daemon (startopts.c says where each
 * was read). */
struct startopts {
	int daemon; /* enum daemon_id */
	enum distro_family family;
	const char *path;  /* the defaults file the unit / init script reads */
	const char *var;   /* the shell variable holding the daemon's options */
	const char *stock; /* the variable's value in the package's own file */
	const char *flag;  /* the option that must be among them, or NULL */
	const char *why;   /* N_(): what flag does (NULL with no flag) */
	const char *user;  /* the user the service runs the daemon as without -u */
	/* N_(): why a -u in the variable would have no effect (the service
	 * adds its own -u after it), or NULL */
	const char *user_fixed;
};

/* The row for b on family f; NULL when there is none (nothing to write). */
const struct startopts *startopts_find(const struct backend *b, enum distro_family f);
/* Row i of the table (for tests and documentation); NULL past the end. */
const struct startopts *startopts_row(size_t i);

/*
 * Whether s->start can be said for daemon b on family f: refused (an error
 * naming the daemon and the field, and the reason) where the daemon has no
 * such option, where ntpwiz does not know the distribution's defaults file,
 * where the service overrides -u, and when start.user is not in the
 * target's /etc/passwd (read through sysops, so under --root). 0 or -1.
 */
int startopts_check(const struct setup *s, const struct backend *b, enum distro_family f,
                    struct errlist *errs);

/* Whether s asks for anything in the defaults file. */
bool startopts_wanted(const struct setup *s);

/*
 * The file's text with r->flag among r->var's words and s->start applied
 * (s may be NULL: the flag alone): an existing -u USER, -4 or -6 is
 * replaced, never duplicated; a user equal to the service's own (r->user)
 * writes nothing; every other word and every other line is kept byte for
 * byte. Only the last assignment of r->var counts (the shell's rule).
 * text NULL (no file) or no assignment: the package's value (r->stock)
 * with the options, written only when there is something to write.
 * Returns 1 when out differs from text, 0 when the file already says it,
 * -1 when the assignment cannot be edited safely (a value with $, `, \ or
 * an unclosed quote: the caller says what to add by hand).
 */
int startopts_edit(const struct startopts *r, const struct setup *s, const char *text, size_t len,
                   struct strbuf *out);

/*
 * Appends to diff the unified diff of r's file (read under the root in use)
 * that apply would write for s, for b on family f; nothing when there is no
 * row or no change. 0, or -1 (errs: unreadable, not editable, no memory).
 */
int startopts_diff(const struct backend *b, enum distro_family f, const struct setup *s,
                   struct strbuf *diff, struct errlist *errs);

/* The options ntpwiz wants in r->var, as a person would type them (for
 * messages): "-s -u ntp -4"; "" when none. */
void startopts_describe(const struct startopts *r, const struct setup *s, char *buf, size_t size);

/*
 * Import: reads -u and -4/-6 from the last assignment of r->var into
 * s->start. 1 when something was read, 0 when nothing, -1 when the value
 * is not one ntpwiz reads (the caller says so).
 */
int startopts_import(const struct startopts *r, const char *text, size_t len, struct setup *s);

#endif
