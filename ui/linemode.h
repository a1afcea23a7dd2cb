/*
 * linemode: the wizard's questions as numbered prompts on plain streams,
 * for rescue shells, serial consoles and scripts (`ntpwiz --text`, or no
 * usable terminal). Defaults are in brackets; Enter takes them. The
 * preview is printed and a final y/N comes before anything is written.
 * End of input before the last answer aborts without writing anything, and
 * so does a refused answer when the input is not a terminal (a script
 * cannot correct it, and a retry would take the next answer meant for
 * another question). "?" prints a question's help, "<" goes back one.
 */
#ifndef NTPWIZ_LINEMODE_H
#define NTPWIZ_LINEMODE_H

#include <stdbool.h>
#include <stdio.h>

#include "ui.h"
#include "wizard_state.h"

/* Runs the questions on w. `interactive`: in is a terminal (answers are
 * not echoed; a refused answer is asked again). Returns a ui_exit code. */
int linemode_run(struct wizard_state *w, FILE *in, FILE *out, FILE *err, const struct ui_opts *o,
                 bool interactive);

#endif
