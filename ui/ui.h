/*
 * ui: the interactive faces' entry point. `ntpwiz` with no command runs
 * the newt wizard when there is a usable terminal, line mode otherwise
 * (or with --text).
 */
#ifndef NTPWIZ_UI_H
#define NTPWIZ_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "apply.h"

struct ui_opts {
	bool text;                /* --text: line mode whatever the terminal */
	bool yes;                 /* --yes: no final question before writing */
	const char *save_profile; /* --save-profile FILE, or NULL */
	struct apply_opts apply;  /* --no-restart, --restart, --verify-timeout */
};

/* Exit codes of the wizard. */
enum ui_exit {
	UI_EXIT_OK = 0,      /* applied, or finished after saving */
	UI_EXIT_ERROR = 1,   /* cancelled, input ended, or apply failed */
	UI_EXIT_SIGINT = 130 /* Ctrl-C / SIGINT; 128 + the signal for others */
};

/* Whether the newt wizard can run: stdin and stdout are terminals, TERM is
 * set, not "dumb", and known to terminfo. */
bool ui_terminal_usable(void);

/* Whether the locale's character set is UTF-8 (else newt cannot take a
 * character outside ASCII from the keyboard). */
bool ui_locale_is_utf8(void);

/* s padded with spaces to width display columns (a translation may hold
 * "ignoré", 6 columns in 7 bytes; printf's %-8s counts bytes), into buf. */
const char *ui_pad(const char *s, int width, char *buf, size_t size);

/* Detects the system (under the root already set), then runs the wizard
 * or line mode. Returns the exit code. */
int ui_main(const struct ui_opts *o);

#endif
