/*
 * main: locale and message catalog set-up, then the command line front.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "cli.h"
#include "i18n.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
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
