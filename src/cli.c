/*
 * cli: command line front (see cli.h).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cli.h"
#include "diff.h"
#include "distro.h"
#include "i18n.h"
#include "model.h"
#include "profile.h"
#include "strbuf.h"
#include "sysops.h"

enum cli_exit {
	EXIT_OK = 0,
	EXIT_ERROR = 1,
	EXIT_CHANGES = 2,
};

struct cli_opts {
	const char *root;
	const char *daemon;
	const char *profile; /* NULL: the built-in default */
};

struct command {
	const char *name;
	const char *args;
	const char *help; /* N_() */
	int (*run)(const struct cli_opts *o);
};

static void print_errors(const struct errlist *errs)
{
	for (size_t i = 0; i < errs->n; i++) {
		const struct err_entry *e = &errs->v[i];
		const char *kind = e->severity == ERR_WARNING ? _("warning") : NULL;

		if (*e->where && kind)
			fprintf(stderr, "%s: %s: %s\n", e->where, kind, e->message);
		else if (*e->where)
			fprintf(stderr, "%s: %s\n", e->where, e->message);
		else if (kind)
			fprintf(stderr, "ntpwiz: %s: %s\n", kind, e->message);
		else
			fprintf(stderr, "ntpwiz: %s\n", e->message);
	}
}

/* Everything render and preview share: the profile, the host's family, the
 * daemon, the rendered text. Returns 0 or -1 (errors in errs). */
struct rendered {
	struct setup setup;
	struct distro distro;
	const struct backend *backend;
	struct strbuf text;
};

static int load_setup(const struct cli_opts *o, struct setup *s, struct errlist *errs)
{
	char *text;
	size_t len;
	int r;

	model_init(s);
	if (!o->profile)
		return 0; /* the built-in default: model_init's values */
	if (sysops_read_host_file(o->profile, &text, &len) < 0) {
		errlist_add(errs, ERR_ERROR, o->profile, _("cannot read the profile: %s"),
			    strerror(errno));
		return -1;
	}
	if (strlen(text) != len) {
		errlist_add(errs, ERR_ERROR, o->profile, "%s", _("the profile contains a NUL byte"));
		free(text);
		return -1;
	}
	r = profile_parse(text, o->profile, s, errs);
	free(text);
	return r;
}

static int render_setup(const struct cli_opts *o, struct rendered *r, struct errlist *errs)
{
	strbuf_init(&r->text);
	if (load_setup(o, &r->setup, errs) < 0)
		return -1;
	if (o->daemon) {
		int id = model_daemon_from_name(o->daemon);
		if (id < 0) {
			errlist_add(errs, ERR_ERROR, "--daemon",
				    _("unknown daemon \"%s\"; expected one of: ntp, ntpsec, chrony, "
				      "openntpd, timesyncd, auto"),
				    o->daemon);
			return -1;
		}
		r->setup.daemon = (enum daemon_id)id;
	}
	distro_detect(&r->distro);
	if (distro_apply_default_servers(&r->distro, &r->setup, errs) < 0)
		return -1;
	r->backend = backend_resolve(&r->setup, r->distro.family);
	return backend_render(r->backend, &r->setup, r->distro.family, &r->text, errs);
}

static int cmd_render(const struct cli_opts *o)
{
	struct errlist errs;
	struct rendered r;
	int rc = EXIT_OK;

	errlist_init(&errs);
	if (render_setup(o, &r, &errs) < 0)
		rc = EXIT_ERROR;
	print_errors(&errs);
	if (rc == EXIT_OK && fwrite(r.text.buf, 1, r.text.len, stdout) != r.text.len)
		rc = EXIT_ERROR;
	strbuf_free(&r.text);
	errlist_free(&errs);
	return rc;
}

static int cmd_preview(const struct cli_opts *o)
{
	struct errlist errs;
	struct rendered r;
	struct strbuf diff;
	char *current = NULL;
	size_t current_len = 0;
	const char *path;
	int rc = EXIT_OK, d;

	errlist_init(&errs);
	strbuf_init(&diff);
	if (render_setup(o, &r, &errs) < 0) {
		rc = EXIT_ERROR;
		goto out;
	}
	path = backend_conf_path(r.backend, r.distro.family);
	if (sysops_read_root_file(path, &current, &current_len) < 0 && errno != ENOENT) {
		errlist_add(&errs, ERR_ERROR, path, _("cannot read the current file: %s"),
			    strerror(errno));
		rc = EXIT_ERROR;
		goto out;
	}
	d = diff_unified(&diff, current, current_len, r.text.buf, r.text.len, path, path);
	if (d < 0) {
		errlist_add(&errs, ERR_ERROR, "", "%s", _("out of memory"));
		rc = EXIT_ERROR;
		goto out;
	}
	/* TRANSLATORS: %1$s is the daemon, %2$s the config file path. */
	printf(_("==> The %1$s configuration ntpwiz would write to %2$s:\n"), r.backend->name, path);
	fwrite(r.text.buf, 1, r.text.len, stdout);
	putchar('\n');
	if (!current)
		printf(_("==> %s does not exist yet; it would be created:\n"), path);
	else if (d == 0)
		printf(_("==> %s already has exactly these bytes: nothing would change.\n"), path);
	else
		printf(_("==> Changes to %s:\n"), path);
	fwrite(diff.buf ? diff.buf : "", 1, diff.len, stdout);
out:
	print_errors(&errs);
	free(current);
	strbuf_free(&diff);
	strbuf_free(&r.text);
	errlist_free(&errs);
	return rc;
}

static const struct command commands[] = {
	{"render", N_("[PROFILE]"),
	 N_("print the config the profile produces (no PROFILE: the built-in default)"), cmd_render},
	{"preview", N_("[PROFILE]"),
	 N_("print that config and its unified diff against the current file"), cmd_preview},
};

static void usage(FILE *f)
{
	fprintf(f, _("Usage: ntpwiz COMMAND [OPTION]... [PROFILE]\n"
		     "Set up an NTP daemon (ntpd, NTPsec, chrony, OpenNTPD, systemd-timesyncd).\n\n"
		     "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %-10s %s\n", commands[i].name, _(commands[i].args),
			_(commands[i].help));
	fprintf(f, _("\nOptions:\n"
		     "  --root DIR       use DIR as the system's root (a mounted system, a chroot,\n"
		     "                   a sandbox); every path is read under it\n"
		     "  --daemon NAME    target this daemon instead of the profile's: ntp, ntpsec,\n"
		     "                   chrony, openntpd, timesyncd or auto\n"
		     "  -h, --help       show this help and exit\n"
		     "  -V, --version    show the version and exit\n\n"
		     "A PROFILE is a libconfig file (see the shipped ones in %s).\n"
		     "Exit status: 0 ok, 1 error.\n"),
		PROFILEDIR);
}

int cli_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"root", required_argument, NULL, 'r'},
		{"daemon", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct cli_opts o = {0};
	const struct command *cmd = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o.root = optarg;
			break;
		case 'd':
			o.daemon = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("ntpwiz %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			fprintf(stderr, _("Try 'ntpwiz --help' for more information.\n"));
			return EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, _("ntpwiz: unknown command \"%s\"\n"), argv[optind]);
		fprintf(stderr, _("Try 'ntpwiz --help' for more information.\n"));
		return EXIT_ERROR;
	}
	if (argc - optind > 2) {
		fprintf(stderr, _("ntpwiz: %s takes at most one profile\n"), cmd->name);
		return EXIT_ERROR;
	}
	o.profile = argc - optind == 2 ? argv[optind + 1] : NULL;
	if (o.root && sysops_set_root(o.root) < 0) {
		fprintf(stderr, _("ntpwiz: --root %s: %s\n"), o.root, strerror(errno));
		return EXIT_ERROR;
	}
	return cmd->run(&o);
}
