/*
 * linemode: numbered prompts on stdin/stdout (see linemode.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "ui.h"
#include "linemode.h"
#include "sysops.h"

#define ANSWER_MAX 1024
#define QUESTIONS 6

/* Why a question could not be answered. */
enum ask {
	ASK_OK,
	ASK_EOF,    /* input ended */
	ASK_GIVEUP, /* too many invalid answers from a script */
};

struct lm {
	FILE *in, *out, *err;
	bool interactive;
	int tries; /* invalid answers to the current question */
};

/* Reads one answer (trimmed) after the prompt was printed. */
static enum ask read_answer(struct lm *l, char *buf, size_t size)
{
	size_t n;
	char *p;

	fflush(l->out);
	if (!fgets(buf, (int)size, l->in))
		return ASK_EOF;
	n = strlen(buf);
	if (n && buf[n - 1] != '\n' && !feof(l->in)) {
		/* longer than any valid answer: drop the rest of the line */
		int c;
		while ((c = fgetc(l->in)) != EOF && c != '\n')
			;
		buf[size - 2] = '?';
	}
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' ||
	             buf[n - 1] == '\t'))
		buf[--n] = '\0';
	for (p = buf; *p == ' ' || *p == '\t'; p++)
		;
	memmove(buf, p, strlen(p) + 1);
	if (!l->interactive)
		fprintf(l->out, "%s\n", buf); /* the transcript shows what was answered */
	return ASK_OK;
}

/* Explains an invalid answer; ASK_GIVEUP when a script has had its tries. */
static enum ask invalid(struct lm *l, const char *why)
{
	fprintf(l->out, _("  Not accepted: %s\n"), why);
	if (!l->interactive && ++l->tries >= LINEMODE_RETRIES)
		return ASK_GIVEUP;
	return ASK_OK;
}

static enum ask ask(struct lm *l, const char *prompt, const char *def, char *buf, size_t size)
{
	enum ask r;

	if (def)
		fprintf(l->out, "%s [%s]: ", prompt, def);
	else
		fprintf(l->out, "%s: ", prompt);
	r = read_answer(l, buf, size);
	if (r == ASK_OK && !*buf && def)
		snprintf(buf, size, "%s", def);
	return r;
}

/* y/n with a default; *yes gets the answer. */
static enum ask ask_yes_no(struct lm *l, const char *prompt, bool def, bool *yes)
{
	char buf[ANSWER_MAX];
	enum ask r;

	l->tries = 0;
	for (;;) {
		fprintf(l->out, "%s %s: ", prompt, def ? _("[Y/n]") : _("[y/N]"));
		if ((r = read_answer(l, buf, sizeof(buf))) != ASK_OK)
			return r;
		if (!*buf) {
			*yes = def;
			return ASK_OK;
		}
		/* TRANSLATORS: the answers accepted for yes and no */
		if (strcasecmp(buf, "y") == 0 || strcasecmp(buf, "yes") == 0 ||
		    strcasecmp(buf, _("y")) == 0 || strcasecmp(buf, _("yes")) == 0) {
			*yes = true;
			return ASK_OK;
		}
		if (strcasecmp(buf, "n") == 0 || strcasecmp(buf, "no") == 0 ||
		    strcasecmp(buf, _("n")) == 0 || strcasecmp(buf, _("no")) == 0) {
			*yes = false;
			return ASK_OK;
		}
		if ((r = invalid(l, _("answer y or n"))) != ASK_OK)
			return r;
	}
}

/* A choice by number (1..n) or by name; *index gets it. */
static enum ask ask_choice(struct lm *l, const char *const *names, size_t n, size_t def,
                           size_t *index)
{
	char buf[ANSWER_MAX], defbuf[16];
	enum ask r;

	l->tries = 0;
	snprintf(defbuf, sizeof(defbuf), "%zu", def + 1);
	for (;;) {
		if ((r = ask(l, _("Choice"), defbuf, buf, sizeof(buf))) != ASK_OK)
			return r;
		char *end;
		long v = strtol(buf, &end, 10);
		if (*buf && !*end && v >= 1 && (size_t)v <= n) {
			*index = (size_t)v - 1;
			return ASK_OK;
		}
		for (size_t i = 0; i < n; i++)
			if (strcasecmp(buf, names[i]) == 0) {
				*index = i;
				return ASK_OK;
			}
		char why[128];
		snprintf(why, sizeof(why),
		         _("enter a number from 1 to %zu, or a name from the list"), n);
		if ((r = invalid(l, why)) != ASK_OK)
			return r;
	}
}

static void heading(struct lm *l, int number, const char *title)
{
	/* TRANSLATORS: a question's number, the number of questions, its title */
	fprintf(l->out, _("\n[%d/%d] %s\n"), number, QUESTIONS, title);
}

static void print_errors(FILE *f, const struct errlist *errs)
{
	for (size_t i = 0; i < errs->n; i++) {
		const struct err_entry *e = &errs->v[i];
		const char *kind = e->severity == ERR_WARNING ? _("warning") : _("error");
		if (*e->where)
			fprintf(f, "  %s: %s: %s\n", kind, e->where, e->message);
		else
			fprintf(f, "  %s: %s\n", kind, e->message);
	}
}

static enum ask q_daemon(struct lm *l, struct wizard_state *w)
{
	struct wizard_daemon_row rows[DAEMON_COUNT];
	const char *names[DAEMON_COUNT];
	size_t n = wizard_daemon_rows(w, rows, DAEMON_COUNT), def = 0, pick;
	struct errlist errs;
	enum ask r;

	heading(l, 1, wizard_page_title(WPAGE_DAEMON));
	for (size_t i = 0; i < n; i++) {
		names[i] = rows[i].backend->name;
		if (rows[i].backend == w->backend)
			def = i;
		char st[128];
		fprintf(l->out, "  %zu) %-10s %s %s\n", i + 1, rows[i].backend->name,
		        ui_pad(rows[i].status, 20, st, sizeof(st)),
		        _(rows[i].backend->description));
	}
	if ((r = ask_choice(l, names, n, def, &pick)) != ASK_OK)
		return r;
	errlist_init(&errs);
	wizard_set_daemon(w, rows[pick].backend, &errs);
	print_errors(l->out, &errs);
	errlist_free(&errs);
	w->setup.apply.install = false;
	if (!wizard_daemon_installed(w)) {
		bool yes;
		char q[256];
		if (!sysops_root_is_host()) {
			fprintf(l->out,
			        _("  %s is not installed under %s; install its package inside the "
			          "target system. The file is written all the same.\n"),
			        w->backend->name, sysops_root());
			return ASK_OK;
		}
		snprintf(q, sizeof(q), _("  %s is not installed. Install it when applying?"),
		         w->backend->name);
		if ((r = ask_yes_no(l, q, true, &yes)) != ASK_OK)
			return r;
		w->setup.apply.install = yes;
	}
	return ASK_OK;
}

static void list_servers(struct lm *l, const struct wizard_state *w)
{
	char line[WIZARD_LINE_MAX];

	for (size_t i = 0; i < w->setup.nservers; i++)
		fprintf(l->out, "  %zu) %s\n", i + 1,
		        wizard_server_text(&w->setup.servers[i], line, sizeof(line)));
}

static enum ask q_servers(struct lm *l, struct wizard_state *w)
{
	char buf[ANSWER_MAX], prompt[64], problem[WIZARD_LINE_MAX];
	bool keep = true;
	enum ask r;

	heading(l, 2, wizard_page_title(WPAGE_SERVERS));
	for (;;) {
		if (w->setup.nservers > 0) {
			list_servers(l, w);
			if ((r = ask_yes_no(l, _("Keep these servers?"), true, &keep)) != ASK_OK)
				return r;
		} else {
			keep = false;
		}
		if (!keep) {
			fprintf(
			    l->out, "%s\n",
			    _("  One server per line: HOST [pool] [nts] [prefer] [noiburst]; an "
			      "empty line ends the list."));
			w->setup.nservers = 0;
			l->tries = 0;
			for (;;) {
				struct wizard_server_fields f;
				struct errlist errs;
				const char *why;

				snprintf(prompt, sizeof(prompt), _("  Server %zu"),
				         w->setup.nservers + 1);
				if ((r = ask(l, prompt, NULL, buf, sizeof(buf))) != ASK_OK)
					return r;
				if (!*buf) {
					if (w->setup.nservers > 0)
						break;
					if ((r = invalid(l, _("enter at least one server"))) !=
					    ASK_OK)
						return r;
					continue;
				}
				if ((why = wizard_server_parse(buf, &f))) {
					if ((r = invalid(l, why)) != ASK_OK)
						return r;
					continue;
				}
				errlist_init(&errs);
				if (wizard_server_put(w, -1, &f, &errs) < 0) {
					r = invalid(l, errs.n ? errs.v[0].message : "?");
					errlist_free(&errs);
					if (r != ASK_OK)
						return r;
					continue;
				}
				errlist_free(&errs);
				l->tries = 0;
			}
		}
		if (!wizard_page_problem(w, WPAGE_SERVERS, problem, sizeof(problem)))
			return ASK_OK;
		if ((r = invalid(l, problem)) != ASK_OK)
			return r;
		w->setup.nservers = 0; /* ask for the list again */
	}
}

/* Leap mode or policy: lists the offered ones, names the missing ones. */
static enum ask q_choice(struct lm *l, const struct wizard_choice *all, size_t n, int current,
                         int *value)
{
	const char *names[8];
	int values[8];
	size_t k = 0, def = 0, pick;
	enum ask r;

	for (size_t i = 0; i < n; i++) {
		if (all[i].refusal)
			continue;
		if (all[i].value == current)
			def = k;
		names[k] = all[i].name;
		values[k] = all[i].value;
		fprintf(l->out, "  %zu) %-12s %s: %s\n", k + 1, all[i].name, all[i].label,
		        all[i].explain);
		k++;
	}
	for (size_t i = 0; i < n; i++)
		if (all[i].refusal)
			fprintf(l->out, _("     not offered: %s (%s)\n"), all[i].name,
			        all[i].refusal);
	if ((r = ask_choice(l, names, k, def, &pick)) != ASK_OK)
		return r;
	*value = values[pick];
	return ASK_OK;
}

static enum ask q_leap(struct lm *l, struct wizard_state *w)
{
	struct wizard_choice c[LEAP_COUNT];
	size_t n = wizard_leap_choices(w, c);
	struct errlist errs;
	enum ask r;
	int v;

	char follow[WIZARD_LINE_MAX];

	heading(l, 3, wizard_page_title(WPAGE_LEAP));
	if (wizard_leap_follow(w, follow, sizeof(follow)))
		fprintf(l->out, "  %s\n", follow);
	for (;;) {
		if ((r = q_choice(l, c, n, (int)w->setup.leap, &v)) != ASK_OK)
			return r;
		errlist_init(&errs);
		wizard_set_leap(w, (enum leap_mode)v, &errs); /* offered, so accepted */
		errlist_free(&errs);
		if (!wizard_page_problem(w, WPAGE_LEAP, follow, sizeof(follow)))
			return ASK_OK;
		if ((r = invalid(l, follow)) != ASK_OK)
			return r;
	}
}

static enum ask q_policy(struct lm *l, struct wizard_state *w)
{
	struct wizard_choice c[POLICY_COUNT];
	size_t n = wizard_policy_choices(w, c);
	char buf[ANSWER_MAX];
	struct errlist errs;
	enum ask r;
	int v;

	heading(l, 4, wizard_page_title(WPAGE_POLICY));
	if ((r = q_choice(l, c, n, (int)w->setup.policy, &v)) != ASK_OK)
		return r;
	errlist_init(&errs);
	wizard_set_policy(w, (enum restrict_policy)v, &errs);
	errlist_free(&errs);
	if (w->setup.policy != POLICY_LAN)
		return ASK_OK;
	l->tries = 0;
	for (;;) {
		if ((r = ask(l, _("  Networks to serve (addresses or CIDR, separated by spaces)"),
		             w->allow_text[0] ? w->allow_text : NULL, buf, sizeof(buf))) != ASK_OK)
			return r;
		if (wizard_set_allow_text(w, buf) == 0)
			return ASK_OK;
		if ((r = invalid(l, w->allow_problem)) != ASK_OK)
			return r;
	}
}

static int show_preview(struct lm *l, struct wizard_state *w)
{
	struct strbuf text, diff;
	struct errlist errs;
	const char *path = wizard_conf_path(w);
	bool exists = false;
	int rc;

	strbuf_init(&text);
	strbuf_init(&diff);
	errlist_init(&errs);
	heading(l, 5, wizard_page_title(WPAGE_SUMMARY));
	rc = wizard_render(w, &text, &diff, &exists, &errs);
	if (rc == 0) {
		/* TRANSLATORS: %1$s is the daemon, %2$s the config file path */
		fprintf(l->out, _("==> The %1$s configuration ntpwiz would write to %2$s:\n"),
		        w->backend->name, path);
		fwrite(text.buf, 1, text.len, l->out);
		if (!exists)
			fprintf(l->out, _("==> %s does not exist yet; it would be created.\n"),
			        path);
		else if (diff.len == 0)
			fprintf(
			    l->out,
			    _("==> %s already has exactly these bytes: nothing would change.\n"),
			    path);
		else {
			fprintf(l->out, _("==> Changes to %s:\n"), path);
			fwrite(diff.buf, 1, diff.len, l->out);
		}
	}
	print_errors(rc == 0 ? l->out : l->err, &errs);
	strbuf_free(&text);
	strbuf_free(&diff);
	errlist_free(&errs);
	return rc;
}

static int do_apply(struct lm *l, struct wizard_state *w, const struct ui_opts *o)
{
	static const char *const words[] = {
	    [STEP_OK] = N_("ok"), [STEP_SKIPPED] = N_("skipped"), [STEP_FAILED] = N_("FAILED")};
	struct apply_report rep;
	struct errlist errs;
	char line[WIZARD_LINE_MAX];
	int rc;

	errlist_init(&errs);
	rc = wizard_apply(w, &o->apply, &rep, &errs);
	for (size_t i = 0; i < rep.nsteps; i++) {
		char pad[64];
		fprintf(l->out, "  %s %-16s %s\n",
		        ui_pad(_(words[rep.steps[i].result]), 8, pad, sizeof(pad)),
		        rep.steps[i].name, rep.steps[i].detail);
	}
	fprintf(l->out, "%s\n", wizard_apply_outcome(&rep, rc < 0, line, sizeof(line)));
	print_errors(rc < 0 ? l->err : l->out, &errs);
	errlist_free(&errs);
	return rc;
}

static int aborted(struct lm *l, enum ask r)
{
	if (r == ASK_EOF)
		fprintf(l->err, "%s\n",
		        _("ntpwiz: the input ended before the last answer; nothing was written."));
	else
		fprintf(l->err, "%s\n",
		        _("ntpwiz: too many answers were not accepted; nothing was written."));
	return UI_EXIT_ERROR;
}

int linemode_run(struct wizard_state *w, FILE *in, FILE *out, FILE *err, const struct ui_opts *o,
                 bool interactive)
{
	struct lm l = {in, out, err, interactive, 0};
	char profile[MODEL_PATH_MAX] = "", q[MODEL_PATH_MAX + 128];
	struct strbuf host;
	bool yes = o->yes;
	enum ask r;

	fprintf(out, "%s\n",
	        _("ntpwiz: set up the NTP daemon. Press Enter to take the [default]; "
	          "nothing is written before the last question."));
	strbuf_init(&host);
	wizard_describe_host(w, &host);
	fwrite(strbuf_str(&host), 1, host.len, out);
	strbuf_free(&host);

	if ((r = q_daemon(&l, w)) != ASK_OK || (r = q_servers(&l, w)) != ASK_OK ||
	    (r = q_leap(&l, w)) != ASK_OK || (r = q_policy(&l, w)) != ASK_OK)
		return aborted(&l, r);
	if (show_preview(&l, w) < 0) {
		fprintf(err, "%s\n",
		        _("ntpwiz: these choices cannot be written; nothing was written."));
		return UI_EXIT_ERROR;
	}
	if (o->save_profile) {
		snprintf(profile, sizeof(profile), "%s", o->save_profile);
		fprintf(out, _("The choices will be saved as the profile %s.\n"), profile);
	} else {
		char buf[ANSWER_MAX];
		if ((r = ask(&l, _("Save the choices as a profile? File name (empty: do not save)"),
		             "", buf, sizeof(buf))) != ASK_OK)
			return aborted(&l, r);
		snprintf(profile, sizeof(profile), "%s", buf);
	}
	heading(&l, 6, wizard_page_title(WPAGE_APPLY));
	if (!sysops_root_is_host())
		snprintf(q, sizeof(q),
		         _("Write %s%s now (under --root: enabled for the next boot)?"),
		         sysops_root(), wizard_conf_path(w));
	else
		snprintf(q, sizeof(q), _("Write %s and restart %s now?"), wizard_conf_path(w),
		         w->backend->name);
	if (o->yes)
		/* TRANSLATORS: %s is the question, answered by the --yes option */
		fprintf(out, _("%s [y/N]: y (--yes)\n"), q);
	else if ((r = ask_yes_no(&l, q, false, &yes)) != ASK_OK)
		return aborted(&l, r);
	if (!yes) {
		fprintf(out, "%s\n", _("Not applied; nothing was written."));
		return UI_EXIT_ERROR;
	}
	if (profile[0]) {
		struct errlist errs;
		errlist_init(&errs);
		if (wizard_save_profile(w, profile, &errs) < 0) {
			print_errors(err, &errs);
			errlist_free(&errs);
			fprintf(
			    err, "%s\n",
			    _("ntpwiz: the profile could not be saved; the configuration was not "
			      "written."));
			return UI_EXIT_ERROR;
		}
		errlist_free(&errs);
		fprintf(out, _("Profile saved: %s (replay it with: ntpwiz apply %s)\n"), profile,
		        profile);
	}
	return do_apply(&l, w, o) < 0 ? UI_EXIT_ERROR : UI_EXIT_OK;
}
