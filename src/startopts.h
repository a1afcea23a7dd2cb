/*
 * startopts: the start option that makes a daemon reach the right time
 * the way its own documentation says, in the distribution's defaults file
 * (issue 14, defect 8: OpenNTPD without -s started 4.3 s off and took
 * 200-290 s to follow its server; it never steps without -s). chrony does
 * it with makestep in its config (the model's options.makestep); NTPsec
 * with -g, which Debian's /etc/default/ntpsec already has (kept there).
 * apply writes the file in the same change as the config (backed up,
 * rolled back with it), and preview shows it.
 */
#ifndef NTPWIZ_STARTOPTS_H
#define NTPWIZ_STARTOPTS_H

#include <stddef.h>

#include "distro.h"
#include "strbuf.h"

struct backend;

struct startopts {
	int daemon; /* enum daemon_id */
	enum distro_family family;
	const char *path;  /* the defaults file the unit / init script reads */
	const char *var;   /* the shell variable holding the daemon's options */
	const char *flag;  /* the option that must be among them */
	const char *stock; /* the variable's value in the package's own file */
	const char *why;   /* N_(): what the option does */
};

/* The row for b on family f; NULL when there is none (nothing to write). */
const struct startopts *startopts_find(const struct backend *b, enum distro_family f);

/*
 * The file's text with r->flag among r->var's words: text NULL (no file)
 * gives a new file with the stock value and the flag; a file that has it
 * already is left as it is. Only the last assignment of r->var counts (the
 * shell's rule); every other line is kept byte for byte. Returns 1 when out
 * differs from text, 0 when the file already has the option, -1 when the
 * assignment cannot be edited safely (a value with $, `, \ or an unclosed
 * quote: the caller says what to add by hand).
 */
int startopts_edit(const struct startopts *r, const char *text, size_t len, struct strbuf *out);

#endif
