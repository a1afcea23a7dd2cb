/*
 * page_leap: how leap seconds are handled; only the modes the chosen daemon
 * can write are offered, the others are listed with the reason.
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "wizard.h"

static newtComponent radios[LEAP_COUNT], explain;
static void set_explain(const char *text);
static struct wizard_choice choices[LEAP_COUNT];

static const struct wizard_choice *selected(void)
{
	for (int i = 0; i < LEAP_COUNT; i++)
		if (radios[i] && newtRadioGetCurrent(radios[i]) == radios[i])
			return &choices[i];
	return NULL;
}

static void show_explain(newtComponent co, void *data)
{
	const struct wizard_choice *c = selected();

	(void)co;
	(void)data;
	if (c)
		set_explain(c->explain);
}

/* newt draws only the lines a text has: a shorter explanation would leave
 * the end of the previous one on screen, so blank lines fill the box. */
static void set_explain(const char *text)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s%s", text, "\n \n \n ");
	newtTextboxSetText(explain, buf);
}

static void build(struct page_ctx *pc)
{
	struct wizard_state *ws = pc->ws;
	newtComponent prev = NULL;
	struct strbuf missing;
	size_t n = wizard_leap_choices(ws, choices);
	int row = 1;

	newtFormAddComponent(pc->form, newtLabel(1, 0, _("How should leap seconds be handled?")));
	strbuf_init(&missing);
	for (size_t i = 0; i < n; i++) {
		radios[i] = NULL;
		if (choices[i].refusal) {
			strbuf_printf(&missing, "%s: %s\n", choices[i].label, choices[i].refusal);
			continue;
		}
		radios[i] = newtRadiobutton(1, row++, choices[i].label,
		                            (int)ws->setup.leap == choices[i].value, prev);
		newtComponentAddCallback(radios[i], show_explain, NULL);
		newtFormAddComponent(pc->form, radios[i]);
		if ((int)ws->setup.leap == choices[i].value)
			pc->focus = radios[i];
		prev = radios[i];
	}
	explain = newtTextbox(1, row, pc->width, 3, NEWT_FLAG_WRAP);
	newtComponentTakesFocus(explain, 0);
	newtFormAddComponent(pc->form, explain);
	show_explain(NULL, NULL);
	row += 4;
	if (missing.len) {
		char head[WIZARD_LINE_MAX];
		/* TRANSLATORS: %s is the daemon */
		snprintf(head, sizeof(head), _("Not offered, because %s cannot write them:"),
		         ws->backend->name);
		newtFormAddComponent(pc->form, newtLabel(1, row++, head));
		newtComponent t =
		    newtTextbox(1, row, pc->width - 2, pc->height - row > 1 ? pc->height - row : 1,
		                NEWT_FLAG_WRAP | NEWT_FLAG_SCROLL);
		newtTextboxSetText(t, strbuf_str(&missing));
		newtComponentTakesFocus(t, 0);
		newtFormAddComponent(pc->form, t);
	}
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
