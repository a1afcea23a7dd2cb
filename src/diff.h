/*
 * diff: a unified diff of two texts held in memory, byte for byte what
 * GNU `diff -u --label OLD --label NEW` prints for the same two files.
 * `ntpwiz preview` uses it to show the config it would write against the
 * file that is there now.
 */
#ifndef NTPWIZ_DIFF_H
#define NTPWIZ_DIFF_H

#include <stddef.h>

struct strbuf;

/* Lines of context around each change, as `diff -u` (no -U option). */
#define DIFF_CONTEXT_LINES 3

/*
 * Appends a unified diff (3 lines of context) of old -> new to out.
 * Labels are printed in the ---/+++ header lines verbatim (no timestamps);
 * a NULL label prints as empty.
 * Returns 0 and appends nothing when the texts are equal, 1 when they
 * differ, -1 on allocation failure (out is then left as it was on entry,
 * but marked failed like any strbuf whose append failed). Either text may
 * be NULL/empty (a file that does not exist yet: then the hunk header is
 * "@@ -0,0 +1,N @@"). A last line without a newline is followed by
 * "\ No newline at end of file", as GNU diff does. Texts are always
 * compared as text: unlike GNU diff, NUL bytes do not make them "binary".
 */
int diff_unified(struct strbuf *out, const char *old_text, size_t old_len, const char *new_text,
                 size_t new_len, const char *old_label, const char *new_label);

#endif
