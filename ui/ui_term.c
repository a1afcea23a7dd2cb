/*
 * ui_term: whether the terminal can show the newt wizard. Apart from the
 * rest of ui/ because terminfo's <term.h> and <newt.h> clash.
 */
#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "ui.h"

bool ui_terminal_usable(void)
{
	const char *term = getenv("TERM");
	int err = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return false;
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return false;
	/* newt (S-Lang) gives up on a terminal terminfo does not know; ask
	 * terminfo first, without letting it print or exit */
	if (setupterm(term, STDOUT_FILENO, &err) != 0)
		return false;
	bool usable = tigetstr("cup") != NULL && tigetstr("cup") != (char *)-1;
	del_curterm(cur_term);
	return usable;
}

bool ui_locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}
