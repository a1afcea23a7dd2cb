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
#include "audit.h"
#include "backend.h"
#include "cli.h"
#include "cli_help.h"
#include "detect.h"
#include "diff.h"
#include "distro.h"
#include "i18n.h"
#include "import.h"
#include "nts.h"
#include "json.h"
#include "keys.h"
#include "model.h"
#include "profile.h"
#include "release.h"
#include "sntp.h"
#include "strbuf.h"
#include "startopts.h"
#include "sysops.h"
#include "ui.h"

enum cli_exit {
	EXIT_OK = 0,
	EXIT_ERROR = 1,
	EXIT_CHANGES = 2,
	EXIT_FINDINGS = 3, /* audit: at least one high finding */
};

struct cli_opts {
	const char *root;
	const char *daemon;
	const char *profile; /* NULL: the built-in default */
	bool json;
	bool help; /* -h: after the options, the command's help or the global one */
	enum apply_restart restart;
	int verify_timeout_ms;
	/* probe */
	const char *const *hosts;
	size_t nhosts;
	int probe_timeout_ms; /* 0: not given */
	int probe_count;      /* 0: not given */
	/* the wizard (no command) */
	bool text;
	bool yes;
	const char *save_profile;
	/* monitor */
	int interval_ms; /* --interval */
	bool once;       /* --once */

	/* --format table|json|prometheus (NULL: not given), --output FILE */
	const char *format;
	const char *output;
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
	struct target_facts target; /* what the backend renders for */
	char daemon_why[256]; /* daemon = "auto": which and why ("" otherwise) */
	char keys_summary[1024]; /* issue 16 section 2: "key 1 (AES128CMAC, set), ..." */
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
/* --daemon NAME as a daemon id, or -1 with the error naming the choices. */
static int daemon_option(const char *name, struct errlist *errs)
{
	int id = model_daemon_from_name(name);

	if (id < 0)
		errlist_add(errs, ERR_ERROR, "--daemon",
		            _("unknown daemon \"%s\"; expected one of: ntp, ntpsec, chrony, "
		              "openntpd, timesyncd, auto"),
		            name);
	return id;
}

/* daemon = "auto": what detect knows decides (backend_choose_auto). */
static const struct backend *auto_backend(const struct detect_info *known, char *why, size_t size)
{
	static struct detect_info host; /* large: not on the stack */

	if (!known) {
		detect_run(&host);
		known = &host;
	}
	return backend_choose_auto(known, why, size);
}

static int prepare_setup(const struct cli_opts *o, const struct detect_info *host,
                         struct rendered *r, struct errlist *errs)
{
	strbuf_init(&r->text);
	r->backend = NULL;
	r->daemon_why[0] = '\0';
	if (load_setup(o, &r->setup, errs) < 0)
		return -1;
	if (o->daemon) {
		int id = daemon_option(o->daemon, errs);
		if (id < 0)
			return -1;
		r->setup.daemon = (enum daemon_id)id;
	}
	r->distro = host->distro;
	if (distro_apply_default_servers(&r->distro, &r->setup, errs) < 0)
		return -1;
	if (r->setup.daemon == DAEMON_AUTO)
		r->backend = auto_backend(host, r->daemon_why, sizeof(r->daemon_why));
	else
		r->backend = backend_resolve(&r->setup, r->distro.family);
	/* What the distribution's package really installs, then the facts
	 * about that daemon on the target (version, leap files). */
	target_init(&r->target);
	r->backend = release_resolve(&r->distro, r->backend, host, &r->target, errs);
	if (!r->backend)
		return -1;
	target_read(&r->target, r->backend, host);
	return 0;
}

/* "ntpwiz: daemon \"auto\": chrony: it is running" on stderr. */
static void say_daemon_why(const struct rendered *r)
{
	if (r->daemon_why[0])
		fprintf(stderr, _("ntpwiz: daemon \"auto\" chose %s\n"), r->daemon_why);
}

/* issue 16 section 2: every key a server uses is in the key file, before
 * anything is shown as if it would work; the summary names keys only as
 * "key 1 (AES128CMAC, set)". */
static int check_keys(struct rendered *r, struct errlist *errs)
{
	struct keyset ks;
	char desc[64];
	int rc = 0;

	r->keys_summary[0] = '\0';
	if (!keys_used(&r->setup))
		return 0;
	if (keys_load(&r->setup, &ks, errs) < 0)
		return -1;
	if (keys_check(r->backend->id, &r->setup, &ks, errs) < 0) {
		rc = -1;
	} else {
		size_t o = 0;
		for (size_t i = 0; i < ks.n && o < sizeof(r->keys_summary); i++) {
			if (!keys_type_name(r->backend->id, ks.v[i].type))
				continue;
			int w = snprintf(r->keys_summary + o, sizeof(r->keys_summary) - o, "%s%s",
			                 o ? ", " : "", keys_describe(r->backend->id, &ks.v[i], desc,
			                                              sizeof(desc)));
			o += w > 0 ? (size_t)w : 0;
		}
	}
	keys_clear(&ks);
	return rc;
}

static int render_setup(const struct cli_opts *o, struct rendered *r, struct errlist *errs)
{
	struct detect_info host;

	detect_run(&host);
	if (prepare_setup(o, &host, r, errs) < 0)
		return -1;
	say_daemon_why(r);
	if (backend_render_for(r->backend, &r->setup, r->distro.family, &r->target, &r->text,
	                       errs) < 0)
		return -1;
	return check_keys(r, errs);
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

/* What the current file has that ntpwiz does not carry over, line by line,
 * as the wizard's Welcome page says it (the diff alone drops them without
 * a word). */
static void print_import_notes(const struct backend *b, enum distro_family f, const char *path)
{
	struct import_notes notes;
	struct errlist scratch;
	struct setup cur;

	import_notes_init(&notes);
	errlist_init(&scratch);
	if (import_current(b, f, &cur, &notes, &scratch) == 0 && notes.n > 0) {
		printf(_("==> What %1$s has that ntpwiz does not carry over (%2$zu):\n"), path,
		       notes.n);
		for (size_t i = 0; i < notes.n; i++)
			printf(_("%1$s:%2$d: %3$s: %4$s (%5$s)\n"), notes.v[i].file,
			       notes.v[i].line, notes.v[i].text, notes.v[i].reason,
			       notes.v[i].fate == IMPORT_KEPT ? _("kept as is")
			                                      : _("will be dropped"));
	}
	import_notes_free(&notes);
	errlist_free(&scratch);
}

/* The daemon's defaults file, written in the same change as the config
 * (startopts.h): preview never shows less than apply writes. */
static int preview_startopts(const struct backend *b, enum distro_family f, const struct setup *s,
                             struct errlist *errs)
{
	const struct startopts *so = startopts_find(b, f);
	struct strbuf text, diff;
	char *current = NULL, opts[160];
	size_t current_len = 0;
	int r, rc = 0;

	if (!so || (!so->flag && !startopts_wanted(s)))
		return 0;
	strbuf_init(&text);
	strbuf_init(&diff);
	startopts_describe(so, s, opts, sizeof(opts));
	if (sysops_read_root_file(so->path, &current, &current_len) < 0 && errno != ENOENT) {
		errlist_add(errs, ERR_ERROR, so->path, _("cannot read the current file: %s"),
		            strerror(errno));
		rc = -1;
		goto out;
	}
	r = startopts_edit(so, s, current, current_len, &text);
	if (r < 0) {
		errlist_add(errs, ERR_ERROR, so->path,
		            _("%1$s is set in a way ntpwiz does not edit (quotes, $ or \\); add %2$s "
		              "to it by hand: %3$s"),
		            so->var, opts,
		            so->why ? _(so->why) : _("the start options the profile asks for"));
		rc = -1;
		goto out;
	}
	putchar('\n');
	if (r == 0 && !startopts_wanted(s)) {
		/* TRANSLATORS: %1$s the file, %2$s the option, %3$s what it does */
		printf(_("==> %1$s already has %2$s (%3$s): nothing would change.\n"), so->path,
		       so->flag, _(so->why));
		goto out;
	}
	if (r == 0) {
		/* TRANSLATORS: %1$s the file, %2$s its variable */
		printf(_("==> %1$s already starts the daemon as the profile asks (%2$s): nothing "
		         "would change.\n"),
		       so->path, so->var);
		goto out;
	}
	if (diff_unified(&diff, current, current_len, text.buf, text.len, so->path, so->path) < 0) {
		errlist_add(errs, ERR_ERROR, "", "%s", _("out of memory"));
		rc = -1;
		goto out;
	}
	if (!startopts_wanted(s))
		/* TRANSLATORS: %1$s the file, %2$s the option, %3$s what it does */
		printf(_("==> ntpwiz would also change %1$s, adding %2$s: %3$s.\n"), so->path,
		       so->flag, _(so->why));
	else
		/* TRANSLATORS: %1$s the file, %2$s its variable, %3$s the options */
		printf(_("==> ntpwiz would also change %1$s, the daemon's start options (%2$s: "
		         "%3$s):\n"),
		       so->path, so->var, opts[0] ? opts : _("none of -u, -4, -6"));
	fwrite(diff.buf ? diff.buf : "", 1, diff.len, stdout);
out:
	free(current);
	strbuf_free(&text);
	strbuf_free(&diff);
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
	if (current && d != 0)
		print_import_notes(r.backend, r.distro.family, path);
	if (preview_startopts(r.backend, r.distro.family, &r.setup, &errs) < 0)
		rc = EXIT_ERROR;
	if (r.keys_summary[0])
		/* TRANSLATORS: %1$s is the key file, %2$s its keys, never a secret */
		printf(_("==> %1$s would hold (mode 0640): %2$s\n"),
		       keys_daemon_path(r.backend->id, r.distro.family), r.keys_summary);
	if (nts_serving(&r.setup)) /* issue 16 section 6 */
		printf(_("==> Serving NTS: clients also need TCP port %d (NTS-KE) open to this "
		         "host, besides UDP port 123.\n"),
		       NTS_KE_PORT);
out:
	print_errors(&errs);
	free(current);
	strbuf_free(&diff);
	strbuf_free(&r.text);
	errlist_free(&errs);
	return rc;
}

/* s, then spaces up to width columns, then one more space. */
static void put_cell(FILE *f, const char *s, int width)
{
	fputs(s, f);
	for (int i = i18n_text_width(s); i < width; i++)
		fputc(' ', f);
	fputc(' ', f);
}

/* Words of text from column col on, wrapped before column 80 with
 * continuation lines indented to indent; ends the line. */
static void put_wrapped(FILE *f, const char *text, int col, int indent)
{
	char *copy = strdup(text), *save = NULL;
	bool first = true;

	if (!copy) {
		fprintf(f, "%s\n", text);
		return;
	}
	for (char *w = strtok_r(copy, " \n", &save); w; w = strtok_r(NULL, " \n", &save)) {
		int ww = i18n_text_width(w);
		if (!first && col + 1 + ww > 79) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fputs(w, f);
		col += ww;
		first = false;
	}
	fputc('\n', f);
	free(copy);
}

static const char *const step_words[] = {
    [STEP_OK] = N_("ok"),
    [STEP_SKIPPED] = N_("skipped"),
    [STEP_FAILED] = N_("FAILED"),
};
static const char *const step_json[] = {"ok", "skipped", "failed"};

/* One line a step: its result in a column as wide as the longest
 * translated result word, its name, what it did. */
static void print_steps(const struct apply_report *rep)
{
	int w = 8;

	for (size_t i = 0; i < STEP_FAILED + 1; i++)
		if (i18n_text_width(_(step_words[i])) > w)
			w = i18n_text_width(_(step_words[i]));
	for (size_t i = 0; i < rep->nsteps; i++) {
		fputs("  ", stdout);
		put_cell(stdout, _(step_words[rep->steps[i].result]), w);
		printf("%-16s %s\n", rep->steps[i].name, rep->steps[i].detail);
	}
}

static void print_report_text(const struct apply_report *rep, const char *root, bool check,
                              bool failed)
{
	print_steps(rep);
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

static void print_report_json(const char *command, const struct apply_report *rep, int nts_ke_port,
                              const struct errlist *errs, const char *daemon_why)
{
	struct strbuf j;

	strbuf_init(&j);
	strbuf_putc(&j, '{');
	json_kv_string(&j, "command", command);
	json_kv_string(&j, "daemon", rep->backend ? rep->backend->name : "");
	/* daemon = "auto": which one and why; "" when the profile named it */
	json_kv_string(&j, "daemon_reason", daemon_why);
	json_kv_string(&j, "path", rep->path);
	if (nts_ke_port) /* issue 16 section 6: NTS served, its key exchange port */
		json_kv_int(&j, "nts_ke_port", nts_ke_port);
	json_kv_bool(&j, "changed", rep->changed);
	/* the daemon's defaults file changed in the same run ("" : none) */
	json_kv_string(&j, "defaults_path", rep->defaults_path);
	json_kv_bool(&j, "defaults_changed", rep->defaults_changed);
	json_kv_string(&j, "backup", rep->backup);
	json_kv_string(&j, "service", rep->service);
	json_kv_bool(&j, "restarted", rep->restarted);
	json_kv_bool(&j, "verified", rep->verified);
	/* verified = the daemon answered; synchronised = it also followed a
	 * source within sync_wait_s seconds (0: verify did not run) */
	json_kv_bool(&j, "synchronised", rep->synchronised);
	json_kv_int(&j, "sync_wait_s", rep->sync_wait_s);
	json_kv_bool(&j, "rolled_back", rep->rolled_back);
	if (strcmp(command, "rollback") == 0) {
		/* complete == (exit 0); services_restored false == (exit 1) */
		json_kv_string(&j, "record", changes_read_name(rep->record));
		json_kv_bool(&j, "services_restored", rep->services_restored);
		json_kv_bool(&j, "complete", rep->complete);
		json_key(&j, "by_hand");
		strbuf_putc(&j, '[');
		for (size_t i = 0; i < rep->nby_hand; i++) {
			strbuf_puts(&j, i ? ",{" : "{");
			json_kv_string(&j, "action", rep->by_hand[i].action);
			json_kv_string(&j, "package", rep->by_hand[i].package);
			json_kv_string(&j, "command", rep->by_hand[i].command);
			strbuf_putc(&j, '}');
		}
		strbuf_putc(&j, ']');
	}
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
	int rc, nts_ke_port = 0;

	errlist_init(&errs);
	detect_run(&host);
	if (prepare_setup(o, &host, &r, &errs) < 0) {
		rep.backend = r.backend;
		rc = EXIT_ERROR;
		goto out;
	}
	nts_ke_port = nts_serving(&r.setup) ? NTS_KE_PORT : 0;
	ao.target = &r.target;
	rc = apply_run(&r.setup, r.backend, &host, &ao, &rep, &errs) < 0 ? EXIT_ERROR : EXIT_OK;
	if (check && rc == EXIT_OK && rep.changed)
		rc = EXIT_CHANGES;
out:
	if (o->json) {
		print_report_json(check ? "check" : "apply", &rep, nts_ke_port, &errs,
		                  r.daemon_why);
	} else {
		say_daemon_why(&r);
		print_report_text(&rep, root_prefix(), check, rc == EXIT_ERROR);
	}
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

/* The rollback's last lines: what happened to the file, whether the
 * services are back, and the commands left to run. */
static void print_rollback_text(const struct apply_report *rep, const char *root, int rc)
{
	bool absent = rep->rolled_back && strstr(rep->backup, ".absent");

	print_steps(rep);
	if (!rep->rolled_back)
		return;
	if (rc == EXIT_ERROR)
		/* TRANSLATORS: the file was put back, the services were not */
		printf(_("rollback incomplete: %s%s is as it was, but the time service that ran "
		         "before is not back\n"),
		       root, rep->path);
	else if (absent)
		printf(_("rolled back: %s%s removed again (there was none before)\n"), root,
		       rep->path);
	else
		printf(_("rolled back: %s%s restored from %s\n"), root, rep->path, rep->backup);
	if (rep->nby_hand) {
		printf("%s\n", _("to finish by hand, run:"));
		for (size_t i = 0; i < rep->nby_hand; i++)
			printf("    %s\n", rep->by_hand[i].command);
	}
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
	/* 0 all back, 2 services back but packages left to do by hand, 1 a
	 * step failed or a daemon that ran before is gone */
	switch (apply_rollback(&host, &ao, &rep, &errs)) {
	case 0:
		rc = EXIT_OK;
		break;
	case 1:
		rc = EXIT_CHANGES;
		break;
	default:
		rc = EXIT_ERROR;
		break;
	}
	if (o->json)
		print_report_json("rollback", &rep, 0, &errs, "");
	else
		print_rollback_text(&rep, root_prefix(), rc);
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
		json_kv_string(&j, "default_daemon",
		               release_default_daemon(&h.distro) == DAEMON_AUTO
		                   ? ""
		                   : model_daemon_name(release_default_daemon(&h.distro)));
		json_kv_bool(&j, "rpm_database", h.rpmdb_present);
		json_kv_bool(&j, "rpm_read", h.rpm_read);
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
			json_kv_string(&j, "version_source", dd->version_source);
			json_kv_string(&j, "package", dd->package);
			json_kv_string(&j, "package_version", dd->package_version);
			json_kv_string(&j, "provided_by",
			               dd->provided_by ? dd->provided_by->name : "");
			json_kv_string(&j, "install_package",
			               backend_package(dd->backend, h.distro.family));
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
	/* Columns as wide as their translated heading, at least these. */
	const char *head[] = {_("daemon"), _("installed"), _("version"), _("enabled"),
	                      _("running")};
	int width[] = {10, 9, 18, 8, 8};
	/* a long version (Debian's "1:4.2.8p15+dfsg-2~1.2.2+dfsg1-1+deb12u1")
	 * widens its column instead of pushing the row out of line */
	for (int d = 1; d < DAEMON_COUNT; d++)
		if (h.daemons[d].backend && i18n_text_width(h.daemons[d].version) > width[2])
			width[2] = i18n_text_width(h.daemons[d].version);
	putchar('\n');
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
		if (i18n_text_width(head[i]) > width[i])
			width[i] = i18n_text_width(head[i]);
		put_cell(stdout, head[i], width[i]);
	}
	printf("%s\n", _("config file"));
	for (int d = 1; d < DAEMON_COUNT; d++) {
		const struct detect_daemon *dd = &h.daemons[d];
		if (!dd->backend)
			continue;
		put_cell(stdout, dd->backend->name, width[0]);
		put_cell(stdout, yes_no(dd->installed), width[1]);
		put_cell(stdout, dd->version[0] ? dd->version : "-", width[2]);
		put_cell(stdout, yes_no(dd->enabled), width[3]);
		put_cell(stdout, yes_no(dd->running), width[4]);
		printf("%s%s\n", backend_conf_path(dd->backend, h.distro.family),
		       dd->config_exists ? "" : _(" (none)"));
	}
	for (int d = 1; d < DAEMON_COUNT; d++) {
		const struct detect_daemon *dd = &h.daemons[d];
		if (!dd->backend || !dd->provided_by)
			continue;
		/* TRANSLATORS: %1$s package, %2$s its version, %3$s and %5$s daemon names
		 * (ntp, ntpsec), %4$s the config file the installed daemon reads. */
		printf(_("\nPackage %1$s %2$s is installed: a transitional package that installs "
		         "%3$s, which reads %4$s. ntpwiz writes that file when %5$s is chosen.\n"),
		       dd->package, dd->package_version, dd->provided_by->name,
		       backend_conf_path(dd->provided_by, h.distro.family), dd->backend->name);
	}
	if (h.rpmdb_present && !h.rpm_read)
		printf("\n%s\n", _("An rpm database is there, but no rpm program to read it on this "
		                    "machine: the daemons' versions are unknown."));
	if (release_default_daemon(&h.distro) != DAEMON_AUTO)
		printf(_("\nThis release's default time daemon: %s\n"),
		       model_daemon_name(release_default_daemon(&h.distro)));
	if (h.enabled_count > 1)
		printf(
		    _("\nConflict: %d time daemons are enabled or running; apply stops all but the "
		      "chosen one.\n"),
		    h.enabled_count);
	return EXIT_OK;
}

/* --- import and audit -------------------------------------------------------- */

/* The daemon --daemon names, else the first whose config file exists. */
static const struct backend *chosen_backend(const struct cli_opts *o, enum distro_family f,
                                            struct errlist *errs)
{
	struct setup s;

	model_init(&s);
	if (o->daemon) {
		int id = daemon_option(o->daemon, errs);
		if (id < 0)
			return NULL;
		s.daemon = (enum daemon_id)id;
	}
	if (s.daemon == DAEMON_AUTO) {
		char why[256];
		const struct backend *b = auto_backend(NULL, why, sizeof(why));
		fprintf(stderr, _("ntpwiz: daemon \"auto\" chose %s\n"), why);
		return b;
	}
	return backend_resolve(&s, f);
}

static const char *const fate_words[] = {
    [IMPORT_DROPPED] = N_("will be dropped"),
    [IMPORT_KEPT] = N_("kept as is"),
};

static int cmd_import(const struct cli_opts *o)
{
	const struct backend *b;
	struct import_notes notes;
	struct errlist errs;
	struct distro d;
	struct setup s;
	struct strbuf prof, j;
	int rc = EXIT_OK, r = -1;

	errlist_init(&errs);
	import_notes_init(&notes);
	strbuf_init(&prof);
	distro_detect(&d);
	b = chosen_backend(o, d.family, &errs);
	if (b)
		r = import_current(b, d.family, &s, &notes, &errs);
	if (r == 1)
		errlist_add(&errs, ERR_ERROR, backend_conf_path(b, d.family), "%s",
		            _("there is no configuration file to import"));
	/* no server imported: the defaults go into the profile, with a note */
	if (r == 0 && import_default_servers(&d, &s, &notes, &errs) < 0)
		r = -1;
	if (r == 0)
		import_note_smear(&s, &notes);
	if (r != 0 || profile_format(&s, &prof, &errs) < 0)
		rc = EXIT_ERROR;
	if (o->json) {
		strbuf_init(&j);
		strbuf_putc(&j, '{');
		json_kv_string(&j, "command", "import");
		json_kv_string(&j, "daemon", b ? b->name : "");
		json_kv_string(&j, "path", b ? backend_conf_path(b, d.family) : "");
		json_kv_string(&j, "profile", rc == EXIT_OK ? strbuf_str(&prof) : "");
		json_key(&j, "notes");
		strbuf_putc(&j, '[');
		for (size_t i = 0; i < notes.n; i++) {
			strbuf_puts(&j, i ? ",{" : "{");
			json_kv_string(&j, "file", notes.v[i].file);
			json_kv_int(&j, "line", notes.v[i].line);
			json_kv_string(&j, "text", notes.v[i].text);
			json_kv_string(&j, "fate", import_fate_name(notes.v[i].fate));
			json_kv_string(&j, "reason", notes.v[i].reason);
			json_kv_bool(&j, "high", notes.v[i].high);
			strbuf_putc(&j, '}');
		}
		strbuf_putc(&j, ']');
		json_errlist(&j, &errs);
		strbuf_puts(&j, "}\n");
		fwrite(strbuf_str(&j), 1, j.len, stdout);
		strbuf_free(&j);
	} else {
		if (rc == EXIT_OK)
			fwrite(strbuf_str(&prof), 1, prof.len, stdout);
		for (size_t i = 0; i < notes.n; i++) {
			const struct import_note *n = &notes.v[i];
			if (n->high)
				/* TRANSLATORS: FILE:LINE: IMPORTANT: the line: why */
				fprintf(stderr, _("%s:%d: IMPORTANT: %s: %s\n"), n->file, n->line,
				        n->text, n->reason);
			else
				/* TRANSLATORS: FILE:LINE: "kept as is" or "will be dropped": the
				 * line: why */
				fprintf(stderr, _("%s:%d: %s: %s: %s\n"), n->file, n->line,
				        _(fate_words[n->fate]), n->text, n->reason);
		}
		print_errors(&errs);
	}
	strbuf_free(&prof);
	import_notes_free(&notes);
	errlist_free(&errs);
	return rc;
}

static const char *const severity_words[] = {
    [AUDIT_HIGH] = N_("high"),
    [AUDIT_MEDIUM] = N_("medium"),
    [AUDIT_INFO] = N_("info"),
};

static int cmd_audit(const struct cli_opts *o)
{
	const struct backend *only = NULL;
	struct audit_report rep;
	struct detect_info host;
	struct errlist errs;
	struct setup intent;
	struct strbuf j;
	int rc = EXIT_OK;

	errlist_init(&errs);
	audit_report_init(&rep);
	detect_run(&host);
	if (o->daemon && strcmp(o->daemon, "auto") != 0 &&
	    !(only = chosen_backend(o, host.distro.family, &errs)))
		rc = EXIT_ERROR;
	if (rc == EXIT_OK && o->profile && load_setup(o, &intent, &errs) < 0)
		rc = EXIT_ERROR;
	if (rc == EXIT_OK && audit_run(&host, only, o->profile ? &intent : NULL, &rep, &errs) < 0)
		rc = EXIT_ERROR;
	if (rc == EXIT_OK && audit_count(&rep, AUDIT_HIGH) > 0)
		rc = EXIT_FINDINGS;
	if (o->json) {
		strbuf_init(&j);
		strbuf_putc(&j, '{');
		json_kv_string(&j, "command", "audit");
		json_kv_string(&j, "root", sysops_root());
		json_kv_string(&j, "daemons", rep.daemons);
		json_key(&j, "files");
		strbuf_putc(&j, '[');
		for (size_t i = 0; i < rep.nfiles; i++) {
			if (i)
				strbuf_putc(&j, ',');
			json_string(&j, rep.files[i]);
		}
		strbuf_putc(&j, ']');
		json_kv_int(&j, "high", (long)audit_count(&rep, AUDIT_HIGH));
		json_kv_int(&j, "medium", (long)audit_count(&rep, AUDIT_MEDIUM));
		json_kv_int(&j, "info", (long)audit_count(&rep, AUDIT_INFO));
		json_key(&j, "findings");
		strbuf_putc(&j, '[');
		for (size_t i = 0; i < rep.n; i++) {
			const struct audit_finding *f = &rep.v[i];
			strbuf_puts(&j, i ? ",{" : "{");
			json_kv_string(&j, "id", f->id);
			json_kv_string(&j, "severity", audit_severity_name(f->severity));
			json_kv_string(&j, "file", f->file);
			json_kv_int(&j, "line", f->line);
			json_kv_string(&j, "what", f->what);
			json_kv_string(&j, "fix", f->fix);
			strbuf_putc(&j, '}');
		}
		strbuf_putc(&j, ']');
		json_errlist(&j, &errs);
		strbuf_puts(&j, "}\n");
		fwrite(strbuf_str(&j), 1, j.len, stdout);
		strbuf_free(&j);
	} else {
		for (size_t i = 0; i < rep.n; i++) {
			const struct audit_finding *f = &rep.v[i];
			const char *file = f->file[0] ? f->file : sysops_root();
			if (f->line)
				printf("%s:%d: %s: %s: %s\n", file, f->line,
				       _(severity_words[f->severity]), f->id, f->what);
			else
				printf("%s: %s: %s: %s\n", file, _(severity_words[f->severity]),
				       f->id, f->what);
			printf(_("    fix: %s\n"), f->fix);
		}
		for (size_t i = 0; i < rep.nfiles; i++)
			/* TRANSLATORS: a config file audit read */
			printf(_("audited %s\n"), rep.files[i]);
		if (rc != EXIT_ERROR)
			/* TRANSLATORS: %1$s the daemons audited ("ntpsec,chrony"), then counts */
			printf(_("audit of %1$s: %2$zu high, %3$zu medium, %4$zu info\n"),
			       rep.daemons[0] ? rep.daemons : "-", audit_count(&rep, AUDIT_HIGH),
			       audit_count(&rep, AUDIT_MEDIUM), audit_count(&rep, AUDIT_INFO));
		print_errors(&errs);
	}
	audit_report_free(&rep);
	errlist_free(&errs);
	return rc;
}

/* ---- probe ------------------------------------------------------------- */

static const char *const status_words[] = {
    [SNTP_STATUS_UNRESOLVED] = N_("unresolved"),   [SNTP_STATUS_NO_ANSWER] = N_("no answer"),
    [SNTP_STATUS_UNREACHABLE] = N_("unreachable"), [SNTP_STATUS_KOD] = N_("KoD"),
    [SNTP_STATUS_UNSYNC] = N_("unsynchronised"),   [SNTP_STATUS_LEAP_ALARM] = N_("leap alarm"),
    [SNTP_STATUS_TOO_FAR] = N_("too far"),         [SNTP_STATUS_OK] = N_("ok"),
};
static const char *const leap_words[] = {N_("none"), N_("insert"), N_("delete"), N_("alarm")};

/* Seconds as JSON: fixed point, nanoseconds, whatever the locale. */
static void json_kv_seconds(struct strbuf *j, const char *key, double v)
{
	json_key(j, key);
	strbuf_printf(j, "%.9f", v);
}

static void print_probe_json(const struct sntp_report *r, const struct errlist *errs)
{
	struct strbuf j;

	strbuf_init(&j);
	strbuf_putc(&j, '{');
	json_kv_string(&j, "command", "probe");
	json_kv_int(&j, "count", r->opt.count);
	json_kv_int(&j, "timeout_ms", r->opt.timeout_ms);
	json_kv_int(&j, "spacing_ms", r->opt.spacing_ms);
	json_kv_seconds(&j, "max_distance", r->opt.max_distance);
	json_kv_int(&j, "elapsed_ms", r->elapsed_ms);
	json_kv_bool(&j, "usable", r->nhosts > 0 && r->all_usable);
	json_key(&j, "hosts");
	strbuf_putc(&j, '[');
	for (size_t i = 0; i < r->nhosts; i++) {
		const struct sntp_host *h = &r->hosts[i];
		strbuf_puts(&j, i ? ",{" : "{");
		json_kv_string(&j, "host", h->name);
		json_kv_bool(&j, "usable", h->status == SNTP_STATUS_OK);
		json_kv_string(&j, "status", sntp_status_name(h->status));
		json_kv_string(&j, "best", h->best >= 0 ? h->addrs[h->best].address : "");
		json_kv_string(&j, "summary", h->summary);
		json_key(&j, "addresses");
		strbuf_putc(&j, '[');
		for (size_t k = 0; k < h->naddrs; k++) {
			const struct sntp_address *a = &h->addrs[k];
			const struct sntp_sample *s = &a->best;
			char refid[16];

			strbuf_puts(&j, k ? ",{" : "{");
			json_kv_string(&j, "address", a->address);
			json_kv_string(&j, "status", sntp_status_name(a->status));
			json_kv_int(&j, "sent", a->sent);
			json_kv_int(&j, "answered", a->answered);
			json_kv_int(&j, "dropped", a->dropped);
			json_kv_string(&j, "kod", a->kod);
			if (a->has_sample) {
				sntp_refid_text(s->stratum, s->refid, refid, sizeof(refid));
				json_kv_int(&j, "stratum", s->stratum);
				json_kv_string(&j, "refid", refid);
				json_kv_string(&j, "leap", sntp_leap_name(s->leap));
				json_kv_seconds(&j, "offset", s->offset);
				json_kv_seconds(&j, "delay", s->delay);
				json_kv_seconds(&j, "root_delay", s->root_delay);
				json_kv_seconds(&j, "root_dispersion", s->root_dispersion);
				json_kv_seconds(&j, "root_distance", s->root_distance);
			}
			strbuf_putc(&j, '}');
		}
		strbuf_puts(&j, "]}");
	}
	strbuf_putc(&j, ']');
	json_errlist(&j, errs);
	strbuf_puts(&j, "}\n");
	fwrite(strbuf_str(&j), 1, j.len, stdout);
	strbuf_free(&j);
}

/* The wider of s's display width and min. */
static int col_width(const char *s, int min)
{
	int n = i18n_text_width(s);
	return n > min ? n : min;
}

/* Spaces up to width columns, then s (a right-aligned cell), then a space. */
static void put_cell_right(FILE *f, const char *s, int width)
{
	for (int i = i18n_text_width(s); i < width; i++)
		fputc(' ', f);
	fputs(s, f);
	fputc(' ', f);
}

static void print_probe_text(const struct sntp_report *r)
{
	int hw = col_width(_("host"), 4), aw = col_width(_("address"), 7);

	for (size_t i = 0; i < r->nhosts; i++) {
		hw = col_width(r->hosts[i].name, hw);
		for (size_t k = 0; k < r->hosts[i].naddrs; k++)
			aw = col_width(r->hosts[i].addrs[k].address, aw);
	}
	/* The headings are translated: padded by what the eye sees. */
	put_cell(stdout, _("host"), hw + 1);
	put_cell(stdout, _("address"), aw);
	put_cell_right(stdout, _("st"), 3);
	put_cell(stdout, "", 0);
	put_cell(stdout, _("refid"), 15);
	put_cell(stdout, _("leap"), 6);
	put_cell_right(stdout, _("offset ms"), 11);
	put_cell_right(stdout, _("delay ms"), 10);
	put_cell_right(stdout, _("root dist ms"), 12);
	put_cell_right(stdout, _("answers"), 7);
	printf(" %s\n", _("status"));
	for (size_t i = 0; i < r->nhosts; i++) {
		const struct sntp_host *h = &r->hosts[i];
		if (h->naddrs == 0)
			printf("%-*s  %-*s %3s  %-15s %-6s %11s %10s %12s %7s  %s\n", hw, h->name,
			       aw, "-", "-", "-", "-", "-", "-", "-", "-",
			       _(status_words[h->status]));
		for (size_t k = 0; k < h->naddrs; k++) {
			const struct sntp_address *a = &h->addrs[k];
			const struct sntp_sample *s = &a->best;
			char refid[16], answers[16], status[64];

			snprintf(answers, sizeof(answers), "%d/%d", a->answered, a->sent);
			if (a->kod[0])
				/* TRANSLATORS: %1$s is a status word, %2$s a KoD code (RATE). */
				snprintf(status, sizeof(status), _("%1$s, KoD %2$s"),
				         _(status_words[a->status]), a->kod);
			else
				snprintf(status, sizeof(status), "%s", _(status_words[a->status]));
			if (!a->has_sample) {
				printf("%-*s  %-*s %3s  %-15s %-6s %11s %10s %12s %7s  %s\n", hw,
				       h->name, aw, a->address, "-", "-", "-", "-", "-", "-",
				       answers, status);
				continue;
			}
			sntp_refid_text(s->stratum, s->refid, refid, sizeof(refid));
			printf("%-*s  %-*s %3d  %-15s %-6s %+11.3f %10.3f %12.3f %7s  %s\n", hw,
			       h->name, aw, a->address, s->stratum, refid, _(leap_words[s->leap]),
			       s->offset * 1e3, s->delay * 1e3, s->root_distance * 1e3, answers,
			       status);
		}
	}
	putchar('\n');
	for (size_t i = 0; i < r->nhosts; i++)
		printf("%s\n", r->hosts[i].summary);
}

static int cmd_probe(const struct cli_opts *o)
{
	struct sntp_options opt;
	struct sntp_report rep;
	struct errlist errs;
	int rc;

	errlist_init(&errs);
	sntp_options_init(&opt);
	if (o->probe_count)
		opt.count = o->probe_count;
	if (o->probe_timeout_ms)
		opt.timeout_ms = o->probe_timeout_ms;
	rc = sntp_probe(o->hosts, o->nhosts, &opt, &rep, &errs) == 0 ? EXIT_OK : EXIT_ERROR;
	if (o->json)
		print_probe_json(&rep, &errs);
	else if (rep.nhosts)
		print_probe_text(&rep);
	print_errors(&errs);
	sntp_report_free(&rep);
	errlist_free(&errs);
	return rc;
}

static int cmd_monitor(const struct cli_opts *o)
{
	static const struct {
		const char *name;
		enum cli_monitor_format format;
	} formats[] = {
	    {"table", CLI_MONITOR_TABLE},
	    {"json", CLI_MONITOR_JSON},
	    {"prometheus", CLI_MONITOR_PROMETHEUS},
	};
	enum cli_monitor_format f = o->json ? CLI_MONITOR_JSON : CLI_MONITOR_TABLE;

	if (o->format) {
		size_t i = 0;
		while (i < sizeof(formats) / sizeof(formats[0]) &&
		       strcmp(o->format, formats[i].name))
			i++;
		if (i == sizeof(formats) / sizeof(formats[0]) ||
		    (o->json && formats[i].format != CLI_MONITOR_JSON)) {
			fprintf(stderr,
			        _("ntpwiz: --format: \"%s\" is not one of table, json, prometheus "
			          "(--json is --format json)\n"),
			        o->format);
			return EXIT_ERROR;
		}
		f = formats[i].format;
	}
	if (o->output && f == CLI_MONITOR_TABLE) {
		fprintf(stderr, "%s\n",
		        _("ntpwiz: --output writes --format json or prometheus, not the table"));
		return EXIT_ERROR;
	}
	return cli_monitor(o->daemon, f, o->once, o->interval_ms, o->output);
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
    {"import", "", N_("print the current config of the daemon as a profile, and what it drops"),
     cmd_import, false, false},
    {"audit", N_("[PROFILE]"),
     N_("findings about the current set-up (PROFILE: what the host should be); exit 3 if one "
        "is high"),
     cmd_audit, false, true},
    {"probe", N_("HOST..."),
     N_("ask the servers for the time, all at once: offset, delay, stratum, leap, KoD"), cmd_probe,
     false, false},
};

/* No command: the wizard (newt, or line mode without a usable terminal). */
static int run_wizard(const struct cli_opts *o)
{
	struct ui_opts u = {
	    .text = o->text,
	    .yes = o->yes,
	    .save_profile = o->save_profile,
	    .apply = {.restart = o->restart, .verify_timeout_ms = o->verify_timeout_ms},
	};

	if (o->root && sysops_set_root(o->root) < 0) {
		fprintf(stderr, _("ntpwiz: --root %s: %s\n"), o->root, strerror(errno));
		return EXIT_ERROR;
	}
	return ui_main(&u);
}

static void usage(FILE *f)
{
	fprintf(f, _("Usage: ntpwiz [OPTION]...             (the wizard)\n"
	             "       ntpwiz COMMAND [OPTION]... [PROFILE]\n"
	             "Set up an NTP daemon (ntpd, NTPsec, chrony, OpenNTPD, systemd-timesyncd).\n\n"
	             "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		/* _("") would be the catalog's header: an empty field stays empty. */
		const char *args = commands[i].args[0] ? _(commands[i].args) : "";
		fprintf(f, "  %-8s ", commands[i].name);
		put_cell(f, args, 10);
		put_wrapped(f, _(commands[i].help),
		            2 + 9 + (i18n_text_width(args) > 10 ? i18n_text_width(args) : 10) + 1, 22);
	}
	fprintf(f,
	        _("\nOptions:\n"
	          "  --root DIR       use DIR as the system's root (a mounted system, a chroot,\n"
	          "                   a sandbox); every path is read under it\n"
	          "  --daemon NAME    target this daemon instead of the profile's: ntp, ntpsec,\n"
	          "                   chrony, openntpd, timesyncd or auto\n"
	          "  --json           print one JSON object (apply, check, rollback, detect,\n"
	          "                   import, audit, monitor, probe)\n"
	          "  --no-restart     write and enable, but do not restart the daemon\n"
	          "  --restart        restart even under --root (default: enable for next boot)\n"
	          "  --verify-timeout SECONDS\n"
	          "                   how long the restarted daemon has to answer (default 15)\n"
	          "  --interval SECONDS\n"
	          "                   monitor: time between refreshes (default 2)\n"
	          "  --once           monitor: print one table and exit (1 if the daemon does\n"
	          "                   not answer)\n"
	          "  --format FORMAT  monitor: table, json or prometheus (node_exporter's\n"
	          "                   textfile collector); the last two print once\n"
	          "  --output FILE    monitor: replace FILE atomically instead of printing\n"
	          "  --count N        probe: samples per server address, 1 to 16 (default 4,\n"
	          "                   250 ms apart)\n"
	          "  --timeout MS     probe: how long each request waits for its reply,\n"
	          "                   50 to 60000 (default 1000)\n"
	          "  --text           the wizard as numbered questions on stdin/stdout (the\n"
	          "                   default when there is no usable terminal)\n"
	          "  --yes            wizard: no final question before writing\n"
	          "  --save-profile FILE\n"
	          "                   wizard: save the choices as a profile to FILE\n"
	          "  -h, --help       show this help and exit\n"
	          "  -V, --version    show the version and exit\n\n"
	          "Each command has its own help: ntpwiz COMMAND --help.\n"
	          "A PROFILE is a libconfig file; the shipped ones are in\n"
	          "  %s\n"
	          "Exit status: 0 ok, 1 error, 2 changes needed (check), 3 a high finding\n"
	          "(audit); probe: 0 when every server has a usable address, 1 otherwise.\n"),
	        PROFILEDIR);
}

/* The version, then what this build has in it: the libraries the wizard and
 * the monitor use and the optional parts chosen at configure time. */
static void print_version(void)
{
	printf("ntpwiz %s\n", PACKAGE_VERSION);
	printf(_("Built with: libconfig %s (profiles), newt %s (wizard), ncursesw %s (monitor)\n"),
	       LIBCONFIG_VERSION_STR, NEWT_VERSION_STR, NCURSESW_VERSION_STR);
	printf(_("Optional features: %s %s\n"),
#if ENABLE_NLS
	       "+nls",
#else
	       "-nls",
#endif
#ifdef WITH_SANITIZERS
	       "+asan +ubsan"
#else
	       "-asan -ubsan"
#endif
	);
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
	    {"count", required_argument, NULL, 'c'},
	    {"timeout", required_argument, NULL, 'T'},
	    {"text", no_argument, NULL, 'x'},
	    {"yes", no_argument, NULL, 'y'},
	    {"save-profile", required_argument, NULL, 'S'},
	    {"format", required_argument, NULL, 'F'},
	    {"output", required_argument, NULL, 'O'},
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
			o.help = true;
			break;
		case 'V':
			print_version();
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
		case 'c':
		case 'T': {
			bool count = c == 'c';
			long lo = count ? SNTP_COUNT_MIN : SNTP_TIMEOUT_MIN_MS;
			long hi = count ? SNTP_COUNT_MAX : SNTP_TIMEOUT_MAX_MS;
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < lo || v > hi) {
				fprintf(
				    stderr,
				    count ? _("ntpwiz: --count: \"%s\" is not a number of samples "
				              "from %ld to %ld\n")
				          : _("ntpwiz: --timeout: \"%s\" is not a number of "
				              "milliseconds from %ld to %ld\n"),
				    optarg, lo, hi);
				return EXIT_ERROR;
			}
			*(count ? &o.probe_count : &o.probe_timeout_ms) = (int)v;
			break;
		}
		case 'x':
			o.text = true;
			break;
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
		case 'y':
			o.yes = true;
			break;
		case 'S':
			o.save_profile = optarg;
			break;
		case 'F':
			o.format = optarg;
			break;
		case 'O':
			o.output = optarg;
			break;
		default:
			fprintf(stderr, _("Try 'ntpwiz --help' for more information.\n"));
			return EXIT_ERROR;
		}
	}
	/* "ntpwiz apply --help": that command's help (cli_help.c) */
	if (o.help) {
		if (optind < argc && cli_help_command(stdout, argv[optind]) == 0)
			return EXIT_OK;
		usage(stdout);
		return EXIT_OK;
	}
	if (optind >= argc)
		return run_wizard(&o);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, _("ntpwiz: unknown command \"%s\"\n"), argv[optind]);
		fprintf(stderr, _("Try 'ntpwiz --help' for more information.\n"));
		return EXIT_ERROR;
	}
	if (cmd->run == cmd_probe) {
		if (argc - optind < 2) {
			fprintf(stderr, _("ntpwiz: probe needs at least one HOST\n"));
			return EXIT_ERROR;
		}
		o.hosts = (const char *const *)&argv[optind + 1];
		o.nhosts = (size_t)(argc - optind - 1);
		return cmd->run(&o);
	}
	if (o.probe_count || o.probe_timeout_ms) {
		fprintf(stderr, _("ntpwiz: --count and --timeout are for the probe command\n"));
		return EXIT_ERROR;
	}
	if ((o.format || o.output) && cmd->run != cmd_monitor) {
		fprintf(stderr, _("ntpwiz: --format and --output are for the monitor command\n"));
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
