/*
 * cli_help: each command's own --help ("ntpwiz apply --help"): its usage,
 * what it does, the options it takes and its exit codes, from one table.
 */
#ifndef NTPWIZ_CLI_HELP_H
#define NTPWIZ_CLI_HELP_H

#include <stdio.h>

/* Prints the help of command name to f; -1 when there is no such command. */
int cli_help_command(FILE *f, const char *name);

#endif
