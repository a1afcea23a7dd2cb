/*
 * cli: command line front (see cli.h).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "backend.h"
#include "cli.h"
#include "detect.h"
#include "diff.h"
#include "distro.h"
#include "i18n.h"
#include "json.h"
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
	bool json;
	enum apply_restart restart;
	int verify_timeout_ms;
	int interval_ms; /* monitor --interval */
	bool once;       /* monitor --once */
};

struct command {
	const char *name;
	const char *args;
	const char *help; /* N_() */
	int (*run)(const struct cli_opts *o);
	bool needs_profile;
	bool takes_profile;
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
		errlist_add(errs, ERR_ERROR, o->profile, "%s",
		            _("the profile contains a NUL byte"));
		free(text);
		return -1;
	}
	r = profile_parse(text, o->profile, s, errs);
	free(text);
	return r;
}

/* Loads the profile and settles everything rendering needs: the daemon,
 * the host's family, the default servers. */
static int prepare_setup(const struct cli_opts *o, const struct distro *known, struct rendered *r,
                         struct errlist *errs)
{
	strbuf_init(&r->text);
	r->backend = NULL;
	if (load_setup(o, &r->setup, errs) < 0)
		return -1;
	if (o->daemon) {
		int id = model_daemon_from_name(o->daemon);
		if (id < 0) {
			errlist_add(
			    errs, ERR_ERROR, "--daemon",
			    _("unknown daemon \"%s\"; expected one of: ntp, ntpsec, chrony, "
			      "openntpd, timesyncd, auto"),
			    o->daemon);
			return -1;
		}
		r->setup.daemon = (enum daemon_id)id;
	}
	if (known)
		r->distro = *known;
	else
		distro_detect(&r->distro);
	if (distro_apply_default_servers(&r->distro, &r->setup, errs) < 0)
		return -1;
	r->backend = backend_resolve(&r->setup, r->distro.family);
	return 0;
}

static int render_setup(const struct cli_opts *o, struct rendered *r, struct errlist *errs)
{
	if (prepare_setup(o, NULL, r, errs) < 0)
		return -1;
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
	printf(_("==> The %1$s configuration ntpwiz would write to %2$s:\n"), r.backend->name,
	       path);
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

static const char *const step_words[] = {
    [STEP_OK] = N_("ok"),
    [STEP_SKIPPED] = N_("skipped"),
    [STEP_FAILED] = N_("FAILED"),
};
static const char *const step_json[] = {"ok", "skipped", "failed"};

static void print_report_text(const struct apply_report *rep, const char *root, bool check,
                              bool failed)
{
	for (size_t i = 0; i < rep->nsteps; i++)
		printf("  %-8s %-16s %s\n", _(step_words[rep->steps[i].result]), rep->steps[i].name,
		       rep->steps[i].detail);
	if (!rep->path[0])
		return;
	if (rep->rolled_back && strcmp(rep->steps[rep->nsteps - 1].name, "rollback") == 0 && !check)
		printf(_("rolled back: %s%s has its old contents again\n"), root, rep->path);
	else if (rep->rolled_back)
		printf(_("rolled back: %s%s restored from %s\n"), root, rep->path, rep->backup);
	else if (failed && !rep->changed)
		printf(_("unchanged: %s%s was not written\n"), root, rep->path);
	else if (check && rep->changed)
		printf(_("would change: %s%s\n"), root, rep->path);
	else if (rep->changed)
		printf(_("changed: %s%s\n"), root, rep->path);
	else
		printf(_("unchanged: %s%s already has these bytes\n"), root, rep->path);
}

static void print_report_json(const char *command, const struct apply_report *rep,
                              const struct errlist *errs)
{
	struct strbuf j;

	strbuf_init(&j);
	strbuf_putc(&j, '{');
	json_kv_string(&j, "command", command);
	json_kv_string(&j, "daemon", rep->backend ? rep->backend->name : "");
	json_kv_string(&j, "path", rep->path);
	json_kv_bool(&j, "changed", rep->changed);
	json_kv_string(&j, "backup", rep->backup);
	json_kv_string(&j, "service", rep->service);
	json_kv_bool(&j, "restarted", rep->restarted);
	json_kv_bool(&j, "verified", rep->verified);
	json_kv_bool(&j, "rolled_back", rep->rolled_back);
	json_key(&j, "steps");
	strbuf_putc(&j, '[');
	for (size_t i = 0; i < rep->nsteps; i++) {
		strbuf_puts(&j, i ? ",{" : "{");
		json_kv_string(&j, "name", rep->steps[i].name);
		json_kv_string(&j, "result", step_json[rep->steps[i].result]);
		json_kv_string(&j, "detail", rep->steps[i].detail);
		strbuf_putc(&j, '}');
	}
	strbuf_putc(&j, ']');
	json_errlist(&j, errs);
	strbuf_puts(&j, "}\n");
	fwrite(strbuf_str(&j), 1, j.len, stdout);
	strbuf_free(&j);
}

/* "ROOT" prefix for messages about files under --root ("" on the host). */
static const char *root_prefix(void)
{
	return sysops_root_is_host() ? "" : sysops_root();
}

static int run_apply(const struct cli_opts *o, bool check)
{
	struct apply_opts ao = {
	    .restart = o->restart, .dry_run = check, .verify_timeout_ms = o->verify_timeout_ms};
	struct apply_report rep = {0};
	struct detect_info host;
	struct errlist errs;
	struct rendered r;
	int rc;

	errlist_init(&errs);
	detect_run(&host);
	if (prepare_setup(o, &host.distro, &r, &errs) < 0) {
		rep.backend = r.backend;
		rc = EXIT_ERROR;
		goto out;
	}
	rc = apply_run(&r.setup, r.backend, &host, &ao, &rep, &errs) < 0 ? EXIT_ERROR : EXIT_OK;
	if (check && rc == EXIT_OK && rep.changed)
		rc = EXIT_CHANGES;
out:
	if (o->json)
		print_report_json(check ? "check" : "apply", &rep, &errs);
	else
		print_report_text(&rep, root_prefix(), check, rc == EXIT_ERROR);
	print_errors(&errs);
	strbuf_free(&r.text);
	errlist_free(&errs);
	return rc;
}

static int cmd_apply(const struct cli_opts *o)
{
	return run_apply(o, false);
}

static int cmd_check(const struct cli_opts *o)
{
	return run_apply(o, true);
}

static int cmd_rollback(const struct cli_opts *o)
{
	struct apply_opts ao = {.restart = o->restart, .verify_timeout_ms = o->verify_timeout_ms};
	struct apply_report rep;
	struct detect_info host;
	struct errlist errs;
	int rc;

	errlist_init(&errs);
	detect_run(&host);
	rc = apply_rollback(&host, &ao, &rep, &errs) < 0 ? EXIT_ERROR : EXIT_OK;
	if (o->json)
		print_report_json("rollback", &rep, &errs);
	else
		print_report_text(&rep, root_prefix(), false, rc == EXIT_ERROR);
	print_errors(&errs);
	errlist_free(&errs);
	return rc;
}

static const char *yes_no(bool b)
{
	return b ? _("yes") : _("no");
}

static int cmd_detect(const struct cli_opts *o)
{
	struct detect_info h;
	struct strbuf j;

	detect_run(&h);
	if (o->json) {
		strbuf_init(&j);
		strbuf_putc(&j, '{');
		json_kv_string(&j, "command", "detect");
		json_kv_string(&j, "root", sysops_root());
		json_kv_string(&j, "family", distro_family_name(h.distro.family));
		json_kv_string(&j, "id", h.distro.id);
		json_kv_string(&j, "version_id", h.distro.version_id);
		json_kv_string(&j, "pretty_name", h.distro.pretty_name);
		json_kv_bool(&j, "ec2", h.ec2);
		json_kv_string(&j, "init", detect_init_name(h.init));
		json_kv_string(&j, "package_manager", detect_pkg_name(h.pkg));
		json_kv_bool(&j, "ntpdate_installed", h.ntpdate_installed);
		json_kv_int(&j, "enabled_count", h.enabled_count);
		json_kv_bool(&j, "conflict", h.enabled_count > 1);
		json_key(&j, "daemons");
		strbuf_putc(&j, '[');
		for (int d = 1; d < DAEMON_COUNT; d++) {
			const struct detect_daemon *dd = &h.daemons[d];
			if (!dd->backend)
				continue;
			strbuf_puts(&j, j.buf[j.len - 1] == '[' ? "{" : ",{");
			json_kv_string(&j, "daemon", dd->backend->name);
			json_kv_bool(&j, "installed", dd->installed);
			json_kv_string(&j, "binary", dd->binary);
			json_kv_string(&j, "version", dd->version);
			json_kv_string(&j, "config",
			               backend_conf_path(dd->backend, h.distro.family));
			json_kv_bool(&j, "config_exists", dd->config_exists);
			json_kv_string(&j, "service",
			               backend_service(dd->backend, h.distro.family));
			json_kv_bool(&j, "enabled", dd->enabled);
			json_kv_bool(&j, "running", dd->running);
			strbuf_putc(&j, '}');
		}
		strbuf_puts(&j, "]}\n");
		fwrite(strbuf_str(&j), 1, j.len, stdout);
		strbuf_free(&j);
		return EXIT_OK;
	}
	printf(_("Root:            %s\n"), sysops_root());
	printf(_("Distribution:    %s (family %s)\n"),
	       h.distro.pretty_name[0] ? h.distro.pretty_name : _("unknown"),
	       distro_family_name(h.distro.family));
	printf(_("Amazon EC2:      %s\n"), yes_no(h.ec2));
	printf(_("Init system:     %s\n"), detect_init_name(h.init));
	printf(_("Package manager: %s\n"), detect_pkg_name(h.pkg));
	printf(_("ntpdate:         %s\n"),
	       h.ntpdate_installed
	           ? _("installed (deprecated; apply with install = true purges it)")
	           : _("not installed"));
	printf("\n%-10s %-9s %-18s %-8s %-8s %s\n", _("daemon"), _("installed"), _("version"),
	       _("enabled"), _("running"), _("config file"));
	for (int d = 1; d < DAEMON_COUNT; d++) {
		const struct detect_daemon *dd = &h.daemons[d];
		if (!dd->backend)
			continue;
		printf("%-10s %-9s %-18s %-8s %-8s %s%s\n", dd->backend->name,
		       yes_no(dd->installed), dd->version[0] ? dd->version : "-",
		       yes_no(dd->enabled), yes_no(dd->running),
		       backend_conf_path(dd->backend, h.distro.family),
		       dd->config_exists ? "" : _(" (none)"));
	}
	if (h.enabled_count > 1)
		printf(
		    _("\nConflict: %d time daemons are enabled or running; apply stops all but the "
		      "chosen one.\n"),
		    h.enabled_count);
	return EXIT_OK;
}

static int cmd_monitor(const struct cli_opts *o)
{
	return cli_monitor(o->daemon, o->json, o->once, o->interval_ms);
}

static const struct command commands[] = {
    {"render", N_("[PROFILE]"),
     N_("print the config the profile produces (no PROFILE: the built-in default)"), cmd_render,
     false, true},
    {"preview", N_("[PROFILE]"),
     N_("print that config and its unified diff against the current file"), cmd_preview, false,
     true},
    {"apply", N_("PROFILE"),
     N_("write it safely: check, back up, write, restart, verify, roll back on failure"), cmd_apply,
     true, true},
    {"check", N_("PROFILE"), N_("exit 0 if the host already matches, 2 if apply would change it"),
     cmd_check, true, true},
    {"rollback", "", N_("put the newest backup back and restart"), cmd_rollback, false, false},
    {"detect", "", N_("distribution, init system, time daemons installed/enabled/running"),
     cmd_detect, false, false},
    {"monitor", "", N_("live peer table of the daemon; --once prints one table and exits"),
     cmd_monitor, false, false},
};

static void usage(FILE *f)
{
	fprintf(f, _("Usage: ntpwiz COMMAND [OPTION]... [PROFILE]\n"
	             "Set up an NTP daemon (ntpd, NTPsec, chrony, OpenNTPD, systemd-timesyncd).\n\n"
	             "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %-10s %s\n", commands[i].name, _(commands[i].args),
		        _(commands[i].help));
	fprintf(f,
	        _("\nOptions:\n"
	          "  --root DIR       use DIR as the system's root (a mounted system, a chroot,\n"
	          "                   a sandbox); every path is read under it\n"
	          "  --daemon NAME    target this daemon instead of the profile's: ntp, ntpsec,\n"
	          "                   chrony, openntpd, timesyncd or auto\n"
	          "  --json           print one JSON object (apply, check, rollback, detect,\n"
	          "                   monitor)\n"
	          "  --no-restart     write and enable, but do not restart the daemon\n"
	          "  --restart        restart even under --root (default: enable for next boot)\n"
	          "  --verify-timeout SECONDS\n"
	          "                   how long the restarted daemon has to answer (default 15)\n"
	          "  --interval SECONDS  monitor: time between refreshes (default 2)\n"
	          "  --once           monitor: print one table and exit (1 if the daemon does\n"
	          "                   not answer)\n"
	          "  -h, --help       show this help and exit\n"
	          "  -V, --version    show the version and exit\n\n"
	          "A PROFILE is a libconfig file (see the shipped ones in %s).\n"
	          "Exit status: 0 ok, 1 error, 2 changes needed (check).\n"),
	        PROFILEDIR);
}

int cli_main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"root", required_argument, NULL, 'r'},
	    {"daemon", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"json", no_argument, NULL, 'j'},
	    {"no-restart", no_argument, NULL, 'N'},
	    {"restart", no_argument, NULL, 'R'},
	    {"verify-timeout", required_argument, NULL, 't'},
	    {"interval", required_argument, NULL, 'i'},
	    {"once", no_argument, NULL, 'o'},
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
		case 'j':
			o.json = true;
			break;
		case 'N':
			o.restart = APPLY_RESTART_NO;
			break;
		case 'R':
			o.restart = APPLY_RESTART_YES;
			break;
		case 't': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || *end || v < 1 || v > 3600) {
				fprintf(stderr,
				        _("ntpwiz: --verify-timeout: \"%s\" is not a number of "
				          "seconds from 1 to 3600\n"),
				        optarg);
				return EXIT_ERROR;
			}
			o.verify_timeout_ms = (int)v * 1000;
			break;
		}
		case 'i': {
			char *end;
			errno = 0;
			double v = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(v >= 0.5 && v <= 3600)) {
				fprintf(stderr,
				        _("ntpwiz: --interval: \"%s\" is not a number of seconds "
				          "from 0.5 to 3600\n"),
				        optarg);
				return EXIT_ERROR;
			}
			o.interval_ms = (int)(v * 1000);
			break;
		}
		case 'o':
			o.once = true;
			break;
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
	if (argc - optind > (cmd->takes_profile ? 2 : 1)) {
		fprintf(stderr,
		        cmd->takes_profile ? _("ntpwiz: %s takes at most one profile\n")
		                           : _("ntpwiz: %s takes no profile\n"),
		        cmd->name);
		return EXIT_ERROR;
	}
	if (cmd->needs_profile && argc - optind < 2) {
		fprintf(stderr, _("ntpwiz: %s needs a PROFILE (shipped ones are in %s)\n"),
		        cmd->name, PROFILEDIR);
		return EXIT_ERROR;
	}
	o.profile = argc - optind == 2 ? argv[optind + 1] : NULL;
	if (o.root && sysops_set_root(o.root) < 0) {
		fprintf(stderr, _("ntpwiz: --root %s: %s\n"), o.root, strerror(errno));
		return EXIT_ERROR;
	}
	return cmd->run(&o);
}
