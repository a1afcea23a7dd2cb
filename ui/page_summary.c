/*
 * page_summary: the exact file that will be written, the diff against the
 * current one, Save profile..., and Apply.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "nts.h"
#include "sysops.h"
#include "wizard.h"

static newtComponent view, b_toggle, b_save;
static int view_cols; /* the text columns of view */
static bool show_diff;

static void summary_line(const struct wizard_state *ws, char *buf, size_t size)
{
	const struct setup *s = &ws->setup;
	const char *root = sysops_root_is_host() ? "" : sysops_root();

	if (nts_serving(s)) /* issue 16 section 6: the port clients also need */
		/* TRANSLATORS: as the next one, and %7$d the NTS-KE port (4460) */
		snprintf(buf, size,
		         _("%1$s -> %2$s%3$s; servers: %4$zu, leap: %5$s, access: %6$s; NTS: "
		           "clients also need TCP port %7$d"),
		         ws->backend->name, root, wizard_conf_path(ws), s->nservers,
		         model_leap_name(s->leap), model_policy_name(s->policy), NTS_KE_PORT);
	else
		/* TRANSLATORS: daemon, root prefix + path, server count, leap mode, policy */
		snprintf(buf, size, _("%1$s -> %2$s%3$s; servers: %4$zu, leap: %5$s, access: %6$s"),
		         ws->backend->name, root, wizard_conf_path(ws), s->nservers,
		         model_leap_name(s->leap), model_policy_name(s->policy));
}

static void fill(struct page_ctx *pc)
{
	struct strbuf text, diff, shown;
	struct errlist errs;
	bool exists = false;

	strbuf_init(&text);
	strbuf_init(&diff);
	strbuf_init(&shown);
	errlist_init(&errs);
	if (wizard_render(pc->ws, &text, &diff, &exists, &errs) < 0) {
		for (size_t i = 0; i < errs.n; i++)
			strbuf_printf(&shown, "%s\n", errs.v[i].message);
	} else if (!show_diff) {
		strbuf_append(&shown, text.buf, text.len);
	} else if (!exists) {
		strbuf_printf(&shown, _("%s does not exist yet; it will be created.\n\n"),
		              wizard_conf_path(pc->ws));
		strbuf_append(&shown, diff.buf, diff.len);
	} else if (diff.len == 0) {
		strbuf_printf(&shown,
		              _("%s already has exactly these bytes: nothing will change.\n"),
		              wizard_conf_path(pc->ws));
	} else {
		strbuf_append(&shown, diff.buf, diff.len);
	}
	{
		/* the daemon's key file is written too: what it holds, never a
		 * secret (issue 16 section 2) */
		char keys[WIZARD_LINE_MAX * 2];

		if (wizard_keys_summary(pc->ws, keys, sizeof(keys)))
			strbuf_printf(&shown, _("\n==> Keys: %s\n"), keys);
	}
	if (show_diff) {
		/* the defaults file written in the same change (startopts.h) */
		strbuf_free(&diff);
		strbuf_init(&diff);
		if (wizard_render_companion(pc->ws, &diff, &errs) == 0 && diff.len) {
			strbuf_printf(&shown, "\n%s\n",
			              _("ntpwiz will also change the daemon's start options:"));
			strbuf_append(&shown, diff.buf, diff.len);
		}
	}
	/* every character of the file is shown: a line wider than the box
	 * continues on the next row after a mark (a textbox clips) */
	struct strbuf fitted;
	strbuf_init(&fitted);
	if (wizard_wrap_exact(strbuf_str(&shown), view_cols, &fitted) > 0)
		strbuf_printf(&fitted,
		              _("\n(A line ending in %s continues on the next row; the "
		                "file has it as one line.)\n"),
		              WIZARD_WRAP_MARK);
	newtTextboxSetText(view, strbuf_str(&fitted));
	strbuf_free(&fitted);
	strbuf_free(&text);
	strbuf_free(&diff);
	strbuf_free(&shown);
	errlist_free(&errs);
}

static void build(struct page_ctx *pc)
{
	char line[WIZARD_LINE_MAX + MODEL_PATH_MAX];

	summary_line(pc->ws, line, sizeof(line));
	newtComponent head = wizard_textbox(1, 0, pc->width, 2, line, false);
	newtComponentTakesFocus(head, 0);
	newtFormAddComponent(pc->form, head);
	/* with NEWT_FLAG_SCROLL newt adds the scroll bar's columns to the
	 * width given, which is the text's */
	view_cols = pc->width - 2;
	view = newtTextbox(1, 2, view_cols, pc->height - 3, NEWT_FLAG_SCROLL);
	b_toggle =
	    newtCompactButton(1, pc->height - 1, show_diff ? _("Show file") : _("Show diff"));
	b_save = newtCompactButton(16, pc->height - 1, _("Save profile..."));
	newtFormAddComponents(pc->form, view, b_toggle, b_save, NULL);
	fill(pc);
}

/* The name last typed in the save dialog: offered again after a failed
 * save, so it need not be typed twice. */
static char typed_path[MODEL_PATH_MAX];

static const char *default_profile(const struct page_ctx *pc)
{
	if (typed_path[0])
		return typed_path;
	if (pc->ws->profile_path[0])
		return pc->ws->profile_path;
	if (pc->opts->save_profile)
		return pc->opts->save_profile;
	return "ntpwiz-profile.cfg";
}

static void save(struct page_ctx *pc, const char *path)
{
	struct errlist errs;
	struct strbuf msg;

	errlist_init(&errs);
	strbuf_init(&msg);
	if (wizard_save_profile(pc->ws, path, &errs) == 0) {
		char hint[MODEL_PATH_MAX * 3];
		strbuf_printf(&msg, _("Saved the profile to %s.\nReplay it with: %s"),
		              pc->ws->profile_path,
		              wizard_replay_command(pc->ws->profile_path, hint, sizeof(hint)));
	} else {
		for (size_t i = 0; i < errs.n; i++)
			strbuf_printf(&msg, "%s%s%s\n", errs.v[i].where,
			              errs.v[i].where[0] ? ": " : "", errs.v[i].message);
	}
	wizard_message(_("Save profile"), strbuf_str(&msg));
	strbuf_free(&msg);
	errlist_free(&errs);
}

static enum page_action event(struct page_ctx *pc, newtComponent co)
{
	if (co == b_toggle) {
		show_diff = !show_diff;
		return PAGE_REBUILD;
	}
	if (co == b_save) {
		char path[MODEL_PATH_MAX];
		snprintf(path, sizeof(path), "%s", default_profile(pc));
		if (!wizard_ask_text(_("Save profile"),
		                     _("Save the choices as a profile, to the file:"), path,
		                     sizeof(path)))
			return PAGE_STAY;
		snprintf(typed_path, sizeof(typed_path), "%s", path);
		struct stat st;
		if (stat(path, &st) == 0 && strcmp(path, pc->ws->profile_path) != 0) {
			char q[MODEL_PATH_MAX + 128];
			snprintf(q, sizeof(q), _("%s exists already. Replace it?"), path);
			if (!wizard_confirm(_("Save profile"), q, _("Replace"), _("Keep it")))
				return PAGE_STAY;
		}
		save(pc, path);
		return PAGE_STAY;
	}
	return PAGE_STAY;
}

static bool before_next(struct page_ctx *pc)
{
	struct wizard_state *ws = pc->ws;
	char q[MODEL_PATH_MAX * 2 + 128];

	struct strbuf refusal;

	/* the pre-flight of apply, before asking: a run that cannot finish
	 * must not start (issue 15) */
	strbuf_init(&refusal);
	if (wizard_preflight_text(ws, &pc->opts->apply, &refusal) < 0) {
		strbuf_puts(&refusal, _("\nNothing was changed. Save profile... keeps your "
		                        "choices."));
		wizard_message(_("Apply"), strbuf_str(&refusal));
		strbuf_free(&refusal);
		return false;
	}
	strbuf_free(&refusal);
	if (!pc->opts->yes) {
		if (!sysops_root_is_host())
			snprintf(q, sizeof(q),
			         _("Write %s%s now? Under --root the service is enabled for the "
			           "next boot, not restarted."),
			         sysops_root(), wizard_conf_path(ws));
		else
			snprintf(q, sizeof(q), _("Write %s and restart %s now?"),
			         wizard_conf_path(ws), ws->backend->name);
		if (!wizard_confirm(_("Apply"), q, _("Apply"), _("Not yet")))
			return false;
	}
	if (pc->opts->save_profile && !ws->profile_path[0])
		save(pc, pc->opts->save_profile);
	ws->applied = false; /* the Apply page applies these choices */
	return true;
}

const struct wizard_page page_summary = {
    .id = WPAGE_SUMMARY,
    .next_label = N_("Apply"),
    .build = build,
    .event = event,
    .before_next = before_next,
};
