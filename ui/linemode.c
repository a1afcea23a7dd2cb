/*
 * linemode: numbered prompts on stdin/stdout (see linemode.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "ui.h"
#include "linemode.h"
#include "nts.h"
#include "wizard_advanced.h"
#include "sysops.h"

#define ANSWER_MAX 1024
#define QUESTIONS 7

/* Why a question could not be answered. */
enum ask {
	ASK_OK,
	ASK_EOF,    /* input ended */
	ASK_GIVEUP, /* a script's answer was refused (it cannot fix it) */
	ASK_BACK,   /* "<": back to the previous question */
};

#define LINE_COLS 79 /* lines of prose are broken between words to fit */

struct lm {
	FILE *in, *out, *err;
	bool interactive;
	enum wizard_page_id page;  /* the question being asked (for ? and messages) */
	char answer[128];          /* the last answer, for the message when refused */
	char why[WIZARD_LINE_MAX]; /* why it was refused */
};

/* Prints text to f, broken between words so no line is wider than
 * LINE_COLS (a serial console at 80 columns; issue 14 scenario 5); a
 * broken line continues under its own indent plus 4 columns. The last line
 * ends with `end` ("\n", or "" for a prompt). */
static void wrap_to(FILE *f, const char *text, const char *end)
{
	const char *p = text;

	while (*p) {
		size_t len = strcspn(p, "\n"), indent = strspn(p, " ");
		int cont = indent ? (int)indent + 4 : 0; /* a list item's text stays right of it */
		char line[2048];
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		char *start = line;
		bool first = true;
		while (i18n_text_width(start) + (first ? 0 : cont) > LINE_COLS) {
			/* the last space that keeps the piece within the width */
			char *cut = NULL;
			for (char *q = start + (first ? indent : 0); *q; q++) {
				if (*q != ' ')
					continue;
				char save = *q;
				*q = '\0';
				int w = i18n_text_width(start) + (first ? 0 : cont);
				*q = save;
				if (w > LINE_COLS)
					break;
				cut = q;
			}
			if (!cut)
				break; /* one word longer than the line: leave it whole */
			*cut = '\0';
			/* no trailing blanks (a column's padding before the cut) */
			for (char *q = cut; q > start && q[-1] == ' ';)
				*--q = '\0';
			fprintf(f, "%*s%s\n", first ? 0 : cont, "", start);
			start = cut + 1;
			while (*start == ' ')
				start++;
			first = false;
		}
		p += len;
		if (*p == '\n')
			p++;
		fprintf(f, "%*s%s%s", first ? 0 : cont, "", start, *p ? "\n" : end);
	}
}

static void say_end(struct lm *l, const char *text, const char *end)
{
	wrap_to(l->out, text, end);
}

static void say(struct lm *l, const char *text)
{
	say_end(l, text, "\n");
}

static void sayf(struct lm *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sayf(struct lm *l, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* a trailing newline of the message is the one say() prints */
	size_t n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	say(l, buf);
}

/* Prints the prompt and reads one answer (trimmed). "?" shows the help of
 * the question and asks again; "<" goes back. */
static enum ask read_answer(struct lm *l, const char *prompt, char *buf, size_t size)
{
	size_t n;
	char *p;

	for (;;) {
		say_end(l, prompt, "");
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
		snprintf(l->answer, sizeof(l->answer), "%s", buf);
		if (strcmp(buf, "<") == 0)
			return ASK_BACK;
		if (strcmp(buf, "?") != 0)
			return ASK_OK;
		say(l, wizard_page_help(l->page));
		if (*wizard_page_keys(l->page, WFACE_LINE)) {
			fputc('\n', l->out);
			say(l, wizard_page_keys(l->page, WFACE_LINE));
		}
		say(l, _("(Enter < to go back to the previous question.)"));
	}
}

/* Explains a refused answer. A person at a terminal tries again; a script
 * cannot fix its answer, and taking the next line as the retry would shift
 * every answer after it, so it stops here (ASK_GIVEUP). */
static enum ask invalid(struct lm *l, const char *why)
{
	sayf(l, _("  Not accepted: %s\n"), why);
	snprintf(l->why, sizeof(l->why), "%s", why);
	return l->interactive ? ASK_OK : ASK_GIVEUP;
}

static enum ask ask(struct lm *l, const char *prompt, const char *def, char *buf, size_t size)
{
	char full[WIZARD_LINE_MAX + ANSWER_MAX];
	enum ask r;

	if (def)
		snprintf(full, sizeof(full), "%s [%s]: ", prompt, def);
	else
		snprintf(full, sizeof(full), "%s: ", prompt);
	r = read_answer(l, full, buf, size);
	if (r == ASK_OK && !*buf && def)
		snprintf(buf, size, "%s", def);
	return r;
}

/* y/n with a default; *yes gets the answer. */
static enum ask ask_yes_no(struct lm *l, const char *prompt, bool def, bool *yes)
{
	char buf[ANSWER_MAX];
	enum ask r;

	char full[WIZARD_LINE_MAX + 64];

	snprintf(full, sizeof(full), "%s %s: ", prompt, def ? _("[Y/n]") : _("[y/N]"));
	for (;;) {
		if ((r = read_answer(l, full, buf, sizeof(buf))) != ASK_OK)
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

struct run;

static void heading(struct lm *l, enum wizard_page_id page)
{
	l->page = page;
	/* TRANSLATORS: a question's number, the number of questions, its title */
	fprintf(l->out, _("\n[%d/%d] %s\n"), (int)(page - WPAGE_DAEMON) + 1, QUESTIONS,
	        wizard_page_title(page));
}

static void print_errors(FILE *f, const struct errlist *errs)
{
	for (size_t i = 0; i < errs->n; i++) {
		const struct err_entry *e = &errs->v[i];
		const char *kind = e->severity == ERR_WARNING ? _("warning") : _("error");
		char line[2048];
		if (*e->where)
			snprintf(line, sizeof(line), "  %s: %s: %s", kind, e->where, e->message);
		else
			snprintf(line, sizeof(line), "  %s: %s", kind, e->message);
		wrap_to(f, line, "\n");
	}
}

/* What the run has decided so far, besides the model. */
struct run {
	const struct ui_opts *o;
	char profile[MODEL_PATH_MAX]; /* the profile file to save, "" for none */
	bool yes;                     /* write the configuration */
	bool refused;                 /* apply's pre-flight refused these choices */
};

/* Apply's pre-flight for the choices so far: says why applying would be
 * refused (as early as the daemon question, not only at the end). -1 when
 * it would. */
static int refused(struct lm *l, const struct wizard_state *w, const struct run *run)
{
	struct errlist errs;
	int rc;

	errlist_init(&errs);
	rc = wizard_preflight(w, &run->o->apply, &errs);
	for (size_t i = 0; i < errs.n; i++) {
		if (*errs.v[i].where)
			sayf(l, _("  Apply would be refused: %s: %s\n"), errs.v[i].where,
			     errs.v[i].message);
		else
			sayf(l, _("  Apply would be refused: %s\n"), errs.v[i].message);
	}
	errlist_free(&errs);
	return rc;
}

static enum ask q_daemon(struct lm *l, struct wizard_state *w, struct run *run)
{
	struct wizard_daemon_row rows[DAEMON_COUNT];
	const char *names[DAEMON_COUNT];
	size_t n = wizard_daemon_rows(w, rows, DAEMON_COUNT), def = 0, pick;
	struct errlist errs;
	enum ask r;

	(void)run;

	heading(l, WPAGE_DAEMON);
	for (size_t i = 0; i < n; i++) {
		names[i] = rows[i].backend->name;
		if (rows[i].backend == w->backend)
			def = i;
		char st[128], line[WIZARD_LINE_MAX];
		snprintf(line, sizeof(line), "  %zu) %-10s %s %s", i + 1, rows[i].backend->name,
		         ui_pad(rows[i].status, 20, st, sizeof(st)),
		         _(rows[i].backend->description));
		say(l, line);
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
		if (sysops_root_is_host()) {
			snprintf(q, sizeof(q),
			         _("  %s is not installed. Install it when applying?"),
			         w->backend->name);
			if ((r = ask_yes_no(l, q, true, &yes)) != ASK_OK)
				return r;
			w->setup.apply.install = yes;
		}
	}
	if (refused(l, w, run) == 0 && !wizard_daemon_installed(w) && !sysops_root_is_host())
		sayf(l,
		     _("  %s is not installed under %s; install its package inside the "
		       "target system. The file is written all the same.\n"),
		     w->backend->name, sysops_root());
	return ASK_OK;
}

static void list_servers(struct lm *l, const struct wizard_state *w)
{
	char line[WIZARD_LINE_MAX];

	for (size_t i = 0; i < w->setup.nservers; i++)
		fprintf(l->out, "  %zu) %s\n", i + 1,
		        wizard_server_text(&w->setup.servers[i], line, sizeof(line)));
}

static enum ask q_servers(struct lm *l, struct wizard_state *w, struct run *run)
{
	char buf[ANSWER_MAX], prompt[64], problem[WIZARD_LINE_MAX];
	bool keep = true;
	enum ask r;

	(void)run;

	heading(l, WPAGE_SERVERS);
	for (;;) {
		if (w->setup.nservers > 0) {
			list_servers(l, w);
			if ((r = ask_yes_no(l, _("Keep these servers?"), true, &keep)) != ASK_OK)
				return r;
		} else {
			keep = false;
		}
		if (!keep) {
			say(l,
			    _("  One server per line: HOST [pool] [nts] [prefer] [noiburst] "
			      "[noselect] [trust] [xleave] [maxdelay SECONDS] [key ID]; an empty "
			      "line ends the list."));
			w->setup.nservers = 0;
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
			}
		}
		if (!wizard_page_problem(w, WPAGE_SERVERS, problem, sizeof(problem))) {
			/* a warning only: the answer stands (issue 16) */
			if (wizard_servers_warning(w, problem, sizeof(problem)))
				sayf(l, _("  Note: %s\n"), problem);
			return ASK_OK;
		}
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
		char line[WIZARD_LINE_MAX * 2];
		snprintf(line, sizeof(line), "  %zu) %-12s %s: %s", k + 1, all[i].name,
		         all[i].label, all[i].explain);
		say(l, line);
		k++;
	}
	for (size_t i = 0; i < n; i++)
		if (all[i].refusal) {
			char line[WIZARD_LINE_MAX * 2];
			snprintf(line, sizeof(line), _("     not offered: %s (%s)"), all[i].name,
			         all[i].refusal);
			say(l, line);
		}
	if ((r = ask_choice(l, names, k, def, &pick)) != ASK_OK)
		return r;
	*value = values[pick];
	return ASK_OK;
}

static enum ask q_leap(struct lm *l, struct wizard_state *w, struct run *run)
{
	struct wizard_choice c[LEAP_COUNT];
	size_t n = wizard_leap_choices(w, c);
	struct errlist errs;
	enum ask r;
	int v;

	char follow[WIZARD_LINE_MAX];

	(void)run;
	heading(l, WPAGE_LEAP);
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

static enum ask q_policy(struct lm *l, struct wizard_state *w, struct run *run)
{
	struct wizard_choice c[POLICY_COUNT];
	size_t n = wizard_policy_choices(w, c);
	char buf[ANSWER_MAX];
	struct errlist errs;
	enum ask r;
	int v;

	(void)run;

	heading(l, WPAGE_POLICY);
	if ((r = q_choice(l, c, n, (int)w->setup.policy, &v)) != ASK_OK)
		return r;
	errlist_init(&errs);
	wizard_set_policy(w, (enum restrict_policy)v, &errs);
	errlist_free(&errs);
	if (w->setup.policy != POLICY_LAN)
		return ASK_OK;
	for (;;) {
		/* a refused list is not offered again as the default */
		if ((r = ask(l, _("  Networks to serve (addresses or CIDR, separated by spaces)"),
		             w->allow_text[0] && w->allow_ok ? w->allow_text : NULL, buf,
		             sizeof(buf))) != ASK_OK)
			return r;
		if (wizard_set_allow_text(w, buf) == 0)
			return ASK_OK;
		if ((r = invalid(l, w->allow_problem)) != ASK_OK)
			return r;
	}
}

/* The chosen daemon's operator lines (extra.<daemon>, issue 16 section 8):
 * each line typed is checked at once and refused with extra.c's reason;
 * "-N" removes line N; an empty line ends. */
static enum ask q_extra(struct lm *l, struct wizard_state *w)
{
	char buf[ANSWER_MAX], why[WIZARD_LINE_MAX];
	const char *daemon = model_daemon_name(w->backend->id);
	enum ask r;

	/* TRANSLATORS: %1$s is a daemon, %2$s its name in the profile */
	sayf(l, _("  Operator lines for %1$s that ntpwiz does not write (extra.%2$s): one "
	          "directive with its arguments per line; -N removes line N; an empty line "
	          "ends.\n"),
	     w->backend->name, daemon);
	for (;;) {
		const struct setup_extra *x = wizard_extra(w);
		char prompt[128];

		for (size_t i = 0; i < x->n; i++)
			fprintf(l->out, "  %zu) %s\n", i + 1, x->v[i].text);
		snprintf(prompt, sizeof(prompt), _("  Operator line %zu"), x->n + 1);
		if ((r = ask(l, prompt, NULL, buf, sizeof(buf))) != ASK_OK)
			return r;
		if (!*buf)
			return ASK_OK;
		if (buf[0] == '-' && buf[1]) {
			char *end;
			long v = strtol(buf + 1, &end, 10);

			if (!*end && v >= 1 && (size_t)v <= x->n) {
				wizard_extra_remove(w, (size_t)v - 1);
				continue;
			}
		}
		if (wizard_extra_problem(w, buf, why, sizeof(why))) {
			if ((r = invalid(l, why)) != ASK_OK)
				return r;
			continue;
		}
		struct errlist errs;
		errlist_init(&errs);
		wizard_extra_add(w, buf, &errs);
		errlist_free(&errs);
	}
}

/* The Advanced page's rows that apply (wizard_advanced.h): Enter keeps
 * each value, so a newcomer answers them all with Enter (issue 16). */
static enum ask q_advanced(struct lm *l, struct wizard_state *w, struct run *run)
{
	const struct wizard_advanced_row *rows;
	size_t n = wizard_advanced_rows(&rows);
	char buf[ANSWER_MAX], value[ANSWER_MAX], prompt[WIZARD_LINE_MAX];
	enum ask r;

	(void)run;
	heading(l, WPAGE_ADVANCED);
	say(l, _("  Optional: Enter keeps each value (empty: the daemon's default)."));
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].applies(w))
			continue;
		for (;;) {
			struct errlist errs;

			rows[i].get(w, value, sizeof(value));
			/* TRANSLATORS: %1$s is the question, %2$s what Enter means */
			snprintf(prompt, sizeof(prompt), _("  %1$s (%2$s)"), _(rows[i].label),
			         _(rows[i].hint));
			if ((r = ask(l, prompt, value[0] ? value : NULL, buf, sizeof(buf))) != ASK_OK)
				return r;
			errlist_init(&errs);
			if (rows[i].set(w, buf, &errs) == 0) {
				errlist_free(&errs);
				break;
			}
			r = invalid(l, errs.n ? errs.v[0].message : "?");
			errlist_free(&errs);
			if (r != ASK_OK)
				return r;
		}
	}
	return q_extra(l, w);
}

static int show_preview(struct lm *l, const struct wizard_state *w)
{
	struct strbuf text, diff;
	struct errlist errs;
	const char *path = wizard_conf_path(w);
	bool exists = false;
	int rc;

	strbuf_init(&text);
	strbuf_init(&diff);
	errlist_init(&errs);
	heading(l, WPAGE_SUMMARY);
	rc = wizard_render(w, &text, &diff, &exists, &errs);
	if (rc == 0) {
		/* TRANSLATORS: %1$s is the daemon, %2$s the config file path */
		fprintf(l->out, _("==> The %1$s configuration ntpwiz would write to %2$s:\n"),
		        w->backend->name, path);
		fwrite(text.buf, 1, text.len, l->out);
		if (nts_serving(&w->setup)) /* issue 16 section 6 */
			fprintf(l->out,
			        _("==> Serving NTS: clients also need TCP port %d (NTS-KE) open to "
			          "this host, besides UDP port 123.\n"),
			        NTS_KE_PORT);
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
		char keys[WIZARD_LINE_MAX * 2];
		if (wizard_keys_summary(w, keys, sizeof(keys)))
			/* TRANSLATORS: %s is the key file and its keys, never a secret */
			fprintf(l->out, _("==> Keys: %s\n"), keys);
		/* the defaults file written in the same change (startopts.h) */
		strbuf_free(&diff);
		strbuf_init(&diff);
		rc = wizard_render_companion(w, &diff, &errs);
		if (rc == 0 && diff.len) {
			fprintf(l->out, "%s\n", _("==> ntpwiz would also change the daemon's start options:"));
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
		char pad[64], text[2048];
		snprintf(text, sizeof(text), "  %s %-16s %s",
		         ui_pad(_(words[rep.steps[i].result]), 8, pad, sizeof(pad)),
		         rep.steps[i].name, rep.steps[i].detail);
		say(l, text);
	}
	say(l, wizard_apply_outcome(&rep, rc < 0, line, sizeof(line)));
	print_errors(rc < 0 ? l->err : l->out, &errs);
	errlist_free(&errs);
	return rc;
}

/* The Summary: the preview, then the profile's file name. */
static enum ask q_summary(struct lm *l, struct wizard_state *w, struct run *run)
{
	char buf[ANSWER_MAX];
	enum ask r;

	if (show_preview(l, w) < 0) {
		snprintf(l->why, sizeof(l->why), "%s", _("these choices cannot be written"));
		return ASK_GIVEUP;
	}
	if (run->o->save_profile) {
		snprintf(run->profile, sizeof(run->profile), "%s", run->o->save_profile);
		sayf(l, _("The choices will be saved as the profile %s.\n"), run->profile);
		return ASK_OK;
	}
	if ((r = ask(l,
	             _("Save the choices as a profile? File name (empty: do not save; it is "
	               "saved whether or not you write the configuration)"),
	             "", buf, sizeof(buf))) != ASK_OK)
		return r;
	snprintf(run->profile, sizeof(run->profile), "%s", buf);
	return ASK_OK;
}

static enum ask q_write(struct lm *l, struct wizard_state *w, struct run *run)
{
	char q[MODEL_PATH_MAX + 128];

	heading(l, WPAGE_APPLY);
	if (!sysops_root_is_host())
		snprintf(q, sizeof(q),
		         _("Write %s%s now (under --root: enabled for the next boot)?"),
		         sysops_root(), wizard_conf_path(w));
	else
		snprintf(q, sizeof(q), _("Write %s and restart %s now?"), wizard_conf_path(w),
		         w->backend->name);
	run->yes = run->o->yes;
	run->refused = refused(l, w, run) < 0;
	if (run->refused) {
		run->yes = false;
		return ASK_OK;
	}
	if (run->o->yes) {
		/* TRANSLATORS: %s is the question, answered by the --yes option */
		fprintf(l->out, _("%s [y/N]: y (--yes)\n"), q);
		return ASK_OK;
	}
	return ask_yes_no(l, q, false, &run->yes);
}

/* The questions in order; "<" goes back one. */
static const struct question {
	enum wizard_page_id page;
	enum ask (*ask)(struct lm *l, struct wizard_state *w, struct run *run);
} questions[] = {
    {WPAGE_DAEMON, q_daemon}, {WPAGE_SERVERS, q_servers}, {WPAGE_LEAP, q_leap},
    {WPAGE_POLICY, q_policy}, {WPAGE_ADVANCED, q_advanced},
    {WPAGE_SUMMARY, q_summary}, {WPAGE_APPLY, q_write},
};

static int aborted(struct lm *l, enum ask r)
{
	if (r == ASK_EOF)
		fprintf(l->err, "%s\n",
		        _("ntpwiz: the input ended before the last answer; nothing was written."));
	else if (l->answer[0] || l->page != WPAGE_SUMMARY)
		/* TRANSLATORS: %1$s is the question's title, %2$s the answer, %3$s why */
		fprintf(l->err,
		        _("ntpwiz: %1$s: the answer \"%2$s\" was not accepted (%3$s); nothing was "
		          "written.\n"),
		        wizard_page_title(l->page), l->answer, l->why);
	else
		fprintf(l->err, _("ntpwiz: %s; nothing was written.\n"), l->why);
	return UI_EXIT_ERROR;
}

/* Saves the profile named (whether or not the file is written) and says
 * how to replay it. -1 when it could not be saved. */
static int save_profile(struct lm *l, struct wizard_state *w, const char *path)
{
	char hint[MODEL_PATH_MAX * 3];
	struct errlist errs;

	errlist_init(&errs);
	if (wizard_save_profile(w, path, &errs) < 0) {
		print_errors(l->err, &errs);
		errlist_free(&errs);
		return -1;
	}
	errlist_free(&errs);
	fprintf(l->out, _("Profile saved: %s\n"), w->profile_path);
	fprintf(l->out, _("Replay it with: %s\n"),
	        wizard_replay_command(w->profile_path, hint, sizeof(hint)));
	return 0;
}

int linemode_run(struct wizard_state *w, FILE *in, FILE *out, FILE *err, const struct ui_opts *o,
                 bool interactive)
{
	struct lm l = {.in = in, .out = out, .err = err, .interactive = interactive};
	struct run run = {.o = o};
	const size_t nq = sizeof(questions) / sizeof(questions[0]);
	struct strbuf host;
	enum ask r;

	say(&l, _("ntpwiz: set up the NTP daemon. Press Enter to take the [default], ? for "
	          "help, < to go back; nothing is written before the last question."));
	strbuf_init(&host);
	wizard_describe_host(w, &host);
	say(&l, strbuf_str(&host));
	strbuf_free(&host);

	for (size_t i = 0; i < nq;) {
		l.answer[0] = '\0';
		r = questions[i].ask(&l, w, &run);
		if (r == ASK_BACK)
			i = i > 0 ? i - 1 : 0;
		else if (r != ASK_OK)
			return aborted(&l, r);
		else
			i++;
	}
	if (run.profile[0] && save_profile(&l, w, run.profile) < 0) {
		fprintf(err, "%s\n",
		        _("ntpwiz: the profile could not be saved; the configuration was not "
		          "written."));
		return UI_EXIT_ERROR;
	}
	if (!run.yes) {
		fprintf(out, "%s\n", _("Not applied; nothing was written."));
		/* finished after saving a profile is a success (see ui_exit) */
		return run.profile[0] && !run.refused ? UI_EXIT_OK : UI_EXIT_ERROR;
	}
	return do_apply(&l, w, o) < 0 ? UI_EXIT_ERROR : UI_EXIT_OK;
}
