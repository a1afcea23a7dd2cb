/*
 * cli_help: the per-command help (see cli_help.h). One row per command names
 * its usage, a paragraph, its options (from the option table below, which
 * says what each one does) and its exit codes. ntpwiz(8) and the bash
 * completion list the same options; tests/integration/cli-operator.sh
 * checks that every option named here is one --help lists.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli_help.h"
#include "i18n.h"

static const struct option_help {
	const char *name; /* "--root DIR" as shown */
	const char *help;
} options[] = {
    {"--root DIR", N_("use DIR as the system's root (a mounted system, a chroot, a sandbox)")},
    {"--daemon NAME", N_("target this daemon instead of the profile's: ntp, ntpsec, chrony, "
                         "openntpd, timesyncd or auto")},
    {"--json", N_("print one JSON object instead of text")},
    {"--no-restart", N_("write and enable, but do not restart the daemon")},
    {"--restart", N_("restart even under --root (there: the running system's service of that "
                     "name)")},
    {"--verify-timeout SECONDS", N_("how long the restarted daemon has to answer (default 15)")},
    {"--interval SECONDS", N_("time between refreshes (default 2)")},
    {"--once", N_("print one table and exit (1 if the daemon does not answer)")},
    {"--format FORMAT", N_("table, json or prometheus (the Prometheus text format for "
                           "node_exporter's textfile collector); json and prometheus print "
                           "once, even when the daemon does not answer")},
    {"--output FILE", N_("write json or prometheus to FILE, replaced atomically (a temporary "
                         "file in the same folder, then renamed), instead of stdout")},
    {"--count N", N_("samples per server address, 1 to 16 (default 4, 250 ms apart)")},
    {"--timeout MS", N_("how long each request waits for its reply, 50 to 60000 (default 1000)")},
};

#define MAX_OPTIONS 8

static const struct command_help {
	const char *name;
	const char *usage; /* after "ntpwiz NAME " */
	const char *what;
	const char *opts[MAX_OPTIONS]; /* names as in options[], up to the first space */
	const char *exits;
} commands[] = {
    {"render",
     N_("[PROFILE] [OPTION]..."),
     N_("Print the configuration file the profile produces for its daemon (no PROFILE: the "
        "built-in default, with the distribution's servers). Nothing is written."),
     {"--root", "--daemon"},
     N_("0 printed; 1 the profile has an error (file:line: message on stderr)")},
    {"preview",
     N_("[PROFILE] [OPTION]..."),
     N_("Print that file and its unified diff against the current one, with what the "
        "current file has that the new one drops. Nothing is written."),
     {"--root", "--daemon"},
     N_("0 printed; 1 error")},
    {"apply",
     N_("PROFILE [OPTION]..."),
     N_("Write the file safely: pre-flight (nothing is touched when it cannot finish), the "
        "daemon's own checker, backup, atomic write, stop conflicting daemons, enable and "
        "restart, verify the daemon answers, roll back if it does not. Under --root the "
        "service is enabled for the next boot, not restarted."),
     {"--root", "--daemon", "--json", "--no-restart", "--restart", "--verify-timeout"},
     N_("0 applied (or the host already matched); 1 refused, failed, or rolled back")},
    {"check",
     N_("PROFILE [OPTION]..."),
     N_("Decide what apply would do, and change nothing."),
     {"--root", "--daemon", "--json"},
     N_("0 the host already matches; 2 apply would change it; 1 error")},
    {"rollback",
     N_("[OPTION]..."),
     N_("Put the newest backup back, and the services as they were before the apply "
        "that made it: the daemon it enabled stopped and disabled when its file is gone, "
        "the daemons it stopped started again; what cannot be undone (packages) is named "
        "with the command to run."),
     {"--root", "--json", "--no-restart", "--restart", "--verify-timeout"},
     N_("0 all restored; 2 the services are back, packages are left to do by hand; 1 no "
        "backup left, a step failed, or a daemon in use before is gone")},
    {"detect",
     N_("[OPTION]..."),
     N_("Show the distribution, init system, package manager, and the time daemons "
        "installed, enabled and running, with their config files."),
     {"--root", "--json"},
     N_("0 shown; 1 error")},
    {"monitor",
     N_("[OPTION]..."),
     N_("The daemon's live peer table (keys: q quits, v shows the raw output, ? helps)."),
     {"--daemon", "--interval", "--once", "--json", "--format", "--output"},
     N_("0 ended normally; 1 the daemon did not answer (--once) or error")},
    {"import",
     N_("[OPTION]..."),
     N_("Print the daemon's current config file as a profile, and every line it cannot "
        "carry over."),
     {"--root", "--daemon", "--json"},
     N_("0 imported; 1 error")},
    {"audit",
     N_("[PROFILE] [OPTION]..."),
     N_("Findings about the current set-up (amplification exposure, expired leap file, "
        "conflicting daemons, ...); with PROFILE, also where the host differs from it."),
     {"--root", "--daemon", "--json"},
     N_("0 no high finding; 3 a high finding; 1 error")},
    {"probe",
     N_("HOST... [OPTION]..."),
     N_("Ask the servers for the time over NTP, all at once: offset, delay, stratum, leap "
        "indicator, Kiss-o'-Death."),
     {"--count", "--timeout", "--json"},
     N_("0 every host has a usable address; 1 otherwise")},
};

static const struct option_help *find_option(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (strncmp(options[i].name, name, n) == 0 &&
		    (options[i].name[n] == ' ' || options[i].name[n] == '\0'))
			return &options[i];
	return NULL;
}

#define HELP_COLS 79
#define OPT_COL 26

/* text from column col on, broken between words before HELP_COLS, the
 * continuation lines indented to indent; ends the line. */
static void wrapped(FILE *f, const char *text, int col, int indent)
{
	char word[512];

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, " ");
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		int w = i18n_text_width(word);
		if (col > indent && col + 1 + w > HELP_COLS) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fputs(word, f);
		col += w;
		p += n;
		p += strspn(p, " ");
	}
	fputc('\n', f);
}

int cli_help_command(FILE *f, const char *name)
{
	const struct command_help *c = NULL;

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			c = &commands[i];
	if (!c)
		return -1;
	/* TRANSLATORS: "Usage: ntpwiz COMMAND ARGUMENTS" */
	fprintf(f, _("Usage: ntpwiz %1$s %2$s\n"), c->name, _(c->usage));
	wrapped(f, _(c->what), 0, 0);
	fprintf(f, "\n%s\n", _("Options:"));
	for (size_t i = 0; i < MAX_OPTIONS && c->opts[i]; i++) {
		const struct option_help *o = find_option(c->opts[i]);
		if (!o)
			continue;
		int w = 2 + i18n_text_width(o->name);
		fprintf(f, "  %s", o->name);
		if (w + 1 > OPT_COL) { /* a long name: its text on the next line */
			fprintf(f, "\n");
			w = 0;
		}
		fprintf(f, "%*s", OPT_COL - w, "");
		wrapped(f, _(o->help), OPT_COL, OPT_COL);
	}
	fprintf(f, "  -h, --help%*s", OPT_COL - 12, "");
	wrapped(f, _("show this help and exit"), OPT_COL, OPT_COL);
	fputc('\n', f);
	/* TRANSLATORS: followed by the exit codes of the command */
	fputs(_("Exit status:"), f);
	wrapped(f, _(c->exits), i18n_text_width(_("Exit status:")) + 1, 2);
	wrapped(f, _("All commands and options: ntpwiz --help; the manual: man ntpwiz."), 0, 0);
	return 0;
}
