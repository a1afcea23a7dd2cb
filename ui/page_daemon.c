/*
 * page_daemon: which daemon keeps the time; installed / running / version
 * per daemon, a line on each, the offer to install a missing one.
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "ui.h"
#include "sysops.h"
#include "wizard.h"

static newtComponent list, about;
static struct wizard_daemon_row rows[DAEMON_COUNT];
static size_t nrows;

static void show_about(newtComponent co, void *data)
{
	const struct wizard_daemon_row *r = newtListboxGetCurrent(co);
	char text[WIZARD_LINE_MAX];

	(void)data;
	if (!r)
		return;
	if (r->installed)
		snprintf(text, sizeof(text), "%s", _(r->backend->description));
	else if (sysops_root_is_host())
		/* TRANSLATORS: %s is the daemon's one-line description */
		snprintf(text, sizeof(text),
		         _("%s\n(not installed: it can be installed when applying)"),
		         _(r->backend->description));
	else
		/* TRANSLATORS: %s is the daemon's one-line description */
		snprintf(text, sizeof(text),
		         _("%s\n(not installed under --root: install it inside the target system)"),
		         _(r->backend->description));
	newtTextboxSetText(about, text);
}

static void build(struct page_ctx *pc)
{
	char line[WIZARD_LINE_MAX];
	int lh;

	nrows = wizard_daemon_rows(pc->ws, rows, DAEMON_COUNT);
	lh = (int)nrows + 2;
	newtFormAddComponent(pc->form, newtLabel(1, 0, _("Which daemon should keep the time?")));
	list = newtListbox(1, 2, lh, NEWT_FLAG_RETURNEXIT | NEWT_FLAG_BORDER);
	newtListboxSetWidth(list, pc->width);
	for (size_t i = 0; i < nrows; i++) {
		char dn[128], st[128];
		snprintf(line, sizeof(line), "%s %s %s",
		         ui_pad(_(rows[i].backend->display_name), 20, dn, sizeof(dn)),
		         ui_pad(rows[i].status, 20, st, sizeof(st)),
		         rows[i].version[0] ? rows[i].version : "");
		newtListboxAppendEntry(list, line, &rows[i]);
		if (rows[i].backend == pc->ws->backend)
			newtListboxSetCurrent(list, (int)i);
	}
	about = newtTextbox(1, 3 + lh, pc->width, 3, NEWT_FLAG_WRAP);
	newtComponentAddCallback(list, show_about, NULL);
	show_about(list, NULL);
	newtFormAddComponents(pc->form, list, about, NULL);
	pc->focus = list;
}

static void collect(struct page_ctx *pc)
{
	const struct wizard_daemon_row *r = newtListboxGetCurrent(list);
	struct errlist errs;

	if (!r || r->backend == pc->ws->backend)
		return;
	errlist_init(&errs);
	wizard_set_daemon(pc->ws, r->backend, &errs);
	if (errs.n) {
		/* a leap mode or policy fell back to the default: say so */
		struct strbuf t;
		strbuf_init(&t);
		for (size_t i = 0; i < errs.n; i++)
			strbuf_printf(&t, "%s\n", errs.v[i].message);
		wizard_message(_("Time daemon"), strbuf_str(&t));
		strbuf_free(&t);
	}
	errlist_free(&errs);
}

static bool before_next(struct page_ctx *pc)
{
	struct wizard_state *ws = pc->ws;
	char text[WIZARD_LINE_MAX + MODEL_PATH_MAX];

	struct strbuf refusal;

	ws->setup.apply.install = false;
	if (!wizard_daemon_installed(ws) && sysops_root_is_host()) {
		snprintf(text, sizeof(text), _("%s is not installed. Install it when applying?"),
		         ws->backend->name);
		ws->setup.apply.install =
		    wizard_confirm(_("Not installed"), text, _("Install"), _("Don't install"));
	}
	/* what would stop Apply is said now, not five pages later */
	strbuf_init(&refusal);
	if (wizard_preflight_text(ws, &pc->opts->apply, &refusal) < 0) {
		strbuf_puts(&refusal, _("\nYou can go on, look at the file and save a profile."));
		wizard_message(_("Apply would be refused"), strbuf_str(&refusal));
	} else if (!wizard_daemon_installed(ws) && !sysops_root_is_host()) {
		snprintf(text, sizeof(text),
		         _("%s is not installed under %s. Install its package inside the target "
		           "system; the configuration file is written all the same."),
		         ws->backend->name, sysops_root());
		wizard_message(_("Not installed"), text);
	}
	strbuf_free(&refusal);
	return true;
}

static enum page_action event(struct page_ctx *pc, newtComponent co)
{
	(void)pc;
	return co == list ? PAGE_NEXT : PAGE_STAY;
}

const struct wizard_page page_daemon = {
    .id = WPAGE_DAEMON,
    .next_label = N_("Next"),
    .build = build,
    .collect = collect,
    .event = event,
    .before_next = before_next,
};
