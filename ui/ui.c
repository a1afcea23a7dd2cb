/*
 * ui: chooses between the newt wizard and line mode (see ui.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect.h"
#include "i18n.h"
#include "linemode.h"
#include "ui.h"
#include "wizard.h"

const char *ui_pad(const char *s, int width, char *buf, size_t size)
{
	int cols = i18n_text_width(s);

	snprintf(buf, size, "%s%*s", s, cols < width ? width - cols : 0, "");
	return buf;
}

/* The wizard's screen is gone when it ends: leave on the terminal what was
 * written (the outcome names the file, the backup and the service), or that
 * nothing was, and the profile saved. */
static void say_what_was_done(const struct wizard_state *ws)
{
	char hint[MODEL_PATH_MAX * 3];

	if (ws->applied)
		printf(_("ntpwiz: %s\n"), ws->outcome);
	else
		printf("%s\n", _("ntpwiz: nothing was written."));
	if (ws->profile_path[0])
		printf(_("ntpwiz: profile saved: %1$s (replay it with: %2$s)\n"), ws->profile_path,
		       wizard_replay_command(ws->profile_path, hint, sizeof(hint)));
}

int ui_main(const struct ui_opts *o)
{
	static struct wizard_state ws; /* large; one wizard per process */
	struct detect_info host;
	struct errlist errs;
	int rc = -1;

	detect_run(&host);
	errlist_init(&errs);
	wizard_init(&ws, &host, &errs); /* a failed pre-fill leaves an empty list to fill */
	errlist_free(&errs);
	if (!o->text && ui_terminal_usable()) {
		rc = wizard_run(&ws, o);
		if (rc < 0)
			fprintf(stderr, "%s\n",
			        _("ntpwiz: the terminal cannot show the wizard; using line mode."));
		else
			say_what_was_done(&ws);
	}
	if (rc < 0)
		rc = linemode_run(&ws, stdin, stdout, stderr, o, isatty(STDIN_FILENO));
	return rc;
}
