/*
 * main: locale and message catalog set-up, then the command line front.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"

int main(int argc, char **argv)
{
	const char *lang = getenv("LANGUAGE");
	const char *msgs;

	setlocale(LC_ALL, "");
	/* gettext ignores LANGUAGE in the C locale, so "LANGUAGE=de ntpwiz"
	 * without a LANG naming a real locale (or with LANG=C) stayed English:
	 * take the C locale's UTF-8 form then, where LANGUAGE counts. */
	msgs = setlocale(LC_MESSAGES, NULL);
	if (lang && *lang && msgs && (strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0))
		setlocale(LC_ALL, "C.UTF-8");
	/* Config text has numbers in it ("makestep 0.5 3"): never "0,5". */
	setlocale(LC_NUMERIC, "C");
#ifdef ENABLE_NLS
	/* NTPWIZ_LOCALEDIR: catalogs outside the installed place (a build tree,
	 * a relocated install). */
	const char *dir = getenv("NTPWIZ_LOCALEDIR");
	bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
	textdomain(PACKAGE);
#endif
	return cli_main(argc, argv);
}
