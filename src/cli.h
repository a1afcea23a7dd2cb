/*
 * cli: the command line front. The only core-side file that talks to
 * people: it parses arguments, calls the core, prints results and errors,
 * and chooses the exit code (0 ok, 1 error, 2 changes needed).
 */
#ifndef NTPWIZ_CLI_H
#define NTPWIZ_CLI_H

#include <stdbool.h>

int cli_main(int argc, char **argv);
/* `ntpwiz monitor` (cli_monitor.c); interval_ms 0: the default. */
int cli_monitor(const char *daemon, bool json, bool once, int interval_ms);

#endif
