/*
 * page_apply: applies the choices, showing each step as it completes, the
 * result, and the rollback if there was one.
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "ui.h"
#include "wizard.h"

static newtComponent view;
static struct strbuf log_text;
static bool log_init;

static const char *const words[] = {
    [STEP_OK] = N_("ok"), [STEP_SKIPPED] = N_("skipped"), [STEP_FAILED] = N_("FAILED")};

static void on_step(const struct apply_step *st, void *data)
{
	char pad[64];

	(void)data;
	strbuf_printf(&log_text, "%s %-16s %s\n", ui_pad(_(words[st->result]), 8, pad, sizeof(pad)),
	              st->name, st->detail);
	newtTextboxSetText(view, strbuf_str(&log_text));
	wizard_refresh();
}

static void build(struct page_ctx *pc)
{
	if (!log_init) {
		strbuf_init(&log_text);
		log_init = true;
	}
	view = newtTextbox(1, 0, pc->width - 2, pc->height, NEWT_FLAG_SCROLL | NEWT_FLAG_WRAP);
	newtTextboxSetText(view, strbuf_str(&log_text));
	newtFormAddComponent(pc->form, view);
	pc->focus = NULL;
}

static void shown(struct page_ctx *pc)
{
	struct apply_opts o = pc->opts->apply;
	struct apply_report rep;
	struct errlist errs;
	char line[WIZARD_LINE_MAX];
	int rc;

	if (pc->ws->applied)
		return;
	strbuf_reset(&log_text);
	strbuf_printf(&log_text, "%s\n", _("Applying..."));
	newtTextboxSetText(view, strbuf_str(&log_text));
	wizard_refresh();
	o.on_step = on_step;
	errlist_init(&errs);
	rc = wizard_apply(pc->ws, &o, &rep, &errs);
	/* the outcome first, where it is seen without scrolling; then the steps */
	strbuf_reset(&log_text);
	strbuf_printf(&log_text, "%s\n", wizard_apply_outcome(&rep, rc < 0, line, sizeof(line)));
	for (size_t i = 0; i < errs.n; i++)
		strbuf_printf(&log_text, "%s: %s%s%s\n",
		              errs.v[i].severity == ERR_WARNING ? _("warning") : _("error"),
		              errs.v[i].where, errs.v[i].where[0] ? ": " : "", errs.v[i].message);
	if (rc == 0)
		strbuf_printf(&log_text, "%s\n", _("Next shows the daemon's peers."));
	strbuf_putc(&log_text, '\n');
	for (size_t i = 0; i < rep.nsteps; i++) {
		char pad[64];
		strbuf_printf(&log_text, "%s %-16s %s\n",
		              ui_pad(_(words[rep.steps[i].result]), 8, pad, sizeof(pad)),
		              rep.steps[i].name, rep.steps[i].detail);
	}
	newtTextboxSetText(view, strbuf_str(&log_text));
	errlist_free(&errs);
	wizard_refresh();
}

const struct wizard_page page_apply = {
    .id = WPAGE_APPLY,
    .next_label = N_("Next"),
    .build = build,
    .shown = shown,
};
