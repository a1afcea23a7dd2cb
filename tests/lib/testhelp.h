/*
 * testhelp: what every Check suite's main() does.
 */
#ifndef NTPWIZ_TESTHELP_H
#define NTPWIZ_TESTHELP_H

#include <check.h>

/* Runs the suite (CK_FORK etc. from the environment); the exit status. */
int testhelp_run(Suite *s);

#endif
