/*
 * wizard_advanced: the rows of the wizard's Advanced page and line mode's
 * Advanced questions (issue 16), as one table both faces walk. A row is one
 * profile key typed as text: Enter on the shown value keeps it, an empty
 * answer restores the default, and each row says whether it applies to the
 * chosen daemon and policy (the page shows only those). Adding a setting to
 * the page is adding a row here.
 */
#ifndef NTPWIZ_WIZARD_ADVANCED_H
#define NTPWIZ_WIZARD_ADVANCED_H

#include <stdbool.h>
#include <stddef.h>

#include "errlist.h"
#include "wizard_state.h"

struct wizard_advanced_row {
	const char *key;   /* the profile key, as in ntpwiz-profile(5) */
	const char *label; /* N_(): the question */
	const char *hint;  /* N_(): what an empty answer means, the range */
	/* Shown for the chosen daemon and policy. */
	bool (*applies)(const struct wizard_state *w);
	/* The current value as typed text; "" = the default. */
	void (*get)(const struct wizard_state *w, char *buf, size_t size);
	/* Sets it from text ("" = the default); -1 with the reason in errs, the
	 * model unchanged. */
	int (*set)(struct wizard_state *w, const char *text, struct errlist *errs);
	/* The value is a list typed on one line (refclocks): the page gives it
	 * the page's whole width. */
	bool wide;
};

/* The rows in the order they are shown; returns the count. */
size_t wizard_advanced_rows(const struct wizard_advanced_row **rows);

#endif
