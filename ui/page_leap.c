/*
 * page_leap: how leap seconds are handled; only the modes the chosen daemon
 * can write are offered, the others are listed with the reason.
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "wizard.h"

#define EXPLAIN_ROWS 3

static newtComponent radios[LEAP_COUNT], explain;
static struct wizard_choice choices[LEAP_COUNT];

static const struct wizard_choice *selected(void)
{
	return wizard_choice_selected(choices, radios, LEAP_COUNT);
}

static void show_explain(newtComponent co, void *data)
{
	const struct wizard_choice *c = selected();

	(void)co;
	(void)data;
	if (c)
		wizard_set_explain(explain, c->explain, EXPLAIN_ROWS);
}

static void build(struct page_ctx *pc)
{
	struct wizard_state *ws = pc->ws;
	struct strbuf missing;
	char head[WIZARD_LINE_MAX];
	size_t n = wizard_leap_choices(ws, choices);
	int row;

	strbuf_init(&missing);
	row = wizard_add_choices(pc, _("How should leap seconds be handled?"), choices, n,
	                         (int)ws->setup.leap, radios, &explain, EXPLAIN_ROWS, show_explain,
	                         &missing);
	show_explain(NULL, NULL);
	if (wizard_leap_follow(ws, head, sizeof(head))) {
		newtComponent t = wizard_textbox(1, row + 1, pc->width - 2, 3, head, false);
		newtComponentTakesFocus(t, 0);
		newtFormAddComponent(pc->form, t);
		row += 4;
	}
	/* TRANSLATORS: %s is the daemon */
	snprintf(head, sizeof(head), _("Not offered, because %s cannot write them:"),
	         ws->backend->name);
	wizard_add_missing(pc, row + 1, head, &missing);
	strbuf_free(&missing);
}

static void collect(struct page_ctx *pc)
{
	const struct wizard_choice *c = selected();
	struct errlist errs;

	if (!c)
		return;
	errlist_init(&errs);
	wizard_set_leap(pc->ws, (enum leap_mode)c->value, &errs);
	errlist_free(&errs);
}

const struct wizard_page page_leap = {
    .id = WPAGE_LEAP,
    .next_label = N_("Next"),
    .build = build,
    .collect = collect,
};
