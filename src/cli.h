/*
 * cli: the command line front. The only core-side file that talks to
 * people: it parses arguments, calls the core, prints results and errors,
 * and chooses the exit code (0 ok, 1 error, 2 changes needed).
 */
#ifndef NTPWIZ_CLI_H
#define NTPWIZ_CLI_H

int cli_main(int argc, char **argv);

#endif
