/*
 * cli: the command line front. The only core-side file that talks to
 * people: it parses arguments, calls the core, prints results and errors,
 * and chooses the exit code (0 ok, 1 error, 2 changes needed).
 */
#ifndef NTPWIZ_CLI_H
#define NTPWIZ_CLI_H

#include <stdbool.h>

int cli_main(int argc, char **argv);
enum cli_monitor_format {
	CLI_MONITOR_TABLE,      /* the live view; with --once one plain table */
	CLI_MONITOR_JSON,       /* one JSON object (--json) */
	CLI_MONITOR_PROMETHEUS, /* the Prometheus text format (prom.c) */
};
/* `ntpwiz monitor` (cli_monitor.c); interval_ms 0: the default; output
 * NULL: stdout, else the file replaced atomically (json, prometheus). */
int cli_monitor(const char *daemon, enum cli_monitor_format format, bool once, int interval_ms,
                const char *output);

#endif
