/*
 * page_policy: who may ask this host for the time; the networks a LAN
 * server answers, checked while they are typed.
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "wizard.h"

static newtComponent radios[POLICY_COUNT], explain, nets, nets_why;
static void set_explain(const char *text);
static struct wizard_choice choices[POLICY_COUNT];
static struct page_ctx *page;

static const struct wizard_choice *selected(void)
{
	for (int i = 0; i < POLICY_COUNT; i++)
		if (radios[i] && newtRadioGetCurrent(radios[i]) == radios[i])
			return &choices[i];
	return NULL;
}

/* Model and labels from the widgets; the frame re-checks Next after it. */
static void changed(struct page_ctx *pc)
{
	const struct wizard_choice *c = selected();
	struct errlist errs;
	bool lan;

	if (!c)
		return;
	errlist_init(&errs);
	wizard_set_policy(pc->ws, (enum restrict_policy)c->value, &errs);
	errlist_free(&errs);
	lan = c->value == POLICY_LAN;
	set_explain(c->explain);
	if (!nets)
		return; /* the daemon cannot serve a LAN: no networks to ask for */
	wizard_set_allow_text(pc->ws, newtEntryGetValue(nets));
	newtEntrySetFlags(nets, NEWT_FLAG_DISABLED, lan ? NEWT_FLAGS_RESET : NEWT_FLAGS_SET);
	/* an empty field is not an error yet, just not done */
	newtTextboxSetText(nets_why, lan && pc->ws->allow_text[0] && !pc->ws->allow_ok
	                                 ? pc->ws->allow_problem
	                                 : "");
}

static void toggled(newtComponent co, void *data)
{
	(void)co;
	(void)data;
	/* at once, so the networks field can take the focus on the next key */
	changed(page);
	newtFormSetTimer(page->form, 1); /* and the frame re-checks Next */
}

/* newt draws only the lines a text has: a shorter explanation would leave
 * the end of the previous one on screen, so blank lines fill the box. */
static void set_explain(const char *text)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s%s", text, "\n \n ");
	newtTextboxSetText(explain, buf);
}

static void build(struct page_ctx *pc)
{
	struct wizard_state *ws = pc->ws;
	newtComponent prev = NULL;
	struct strbuf missing;
	size_t n = wizard_policy_choices(ws, choices);
	int row = 1;

	page = pc;
	newtFormAddComponent(pc->form, newtLabel(1, 0, _("Who may ask this host for the time?")));
	strbuf_init(&missing);
	for (size_t i = 0; i < n; i++) {
		radios[i] = NULL;
		if (choices[i].refusal) {
			strbuf_printf(&missing, "%s: %s\n", choices[i].label, choices[i].refusal);
			continue;
		}
		radios[i] = newtRadiobutton(1, row++, choices[i].label,
		                            (int)ws->setup.policy == choices[i].value, prev);
		newtComponentAddCallback(radios[i], toggled, NULL);
		newtFormAddComponent(pc->form, radios[i]);
		if ((int)ws->setup.policy == choices[i].value)
			pc->focus = radios[i];
		prev = radios[i];
	}
	explain = newtTextbox(1, row, pc->width, 2, NEWT_FLAG_WRAP);
	newtComponentTakesFocus(explain, 0);
	row += 2;
	newtFormAddComponent(pc->form, explain);
	nets = nets_why = NULL;
	if (!choices[POLICY_LAN].refusal) {
		newtFormAddComponent(
		    pc->form,
		    newtLabel(
		        1, row++,
		        _("Networks a LAN server answers (such as 192.168.1.0/24 fd00::/8):")));
		nets = newtEntry(1, row++, ws->allow_text, pc->width, NULL, NEWT_FLAG_SCROLL);
		wizard_watch_entry(pc, nets);
		nets_why = newtTextbox(1, row, pc->width, 2, NEWT_FLAG_WRAP);
		newtComponentTakesFocus(nets_why, 0);
		newtFormAddComponents(pc->form, nets, nets_why, NULL);
		row += 2;
	}
	if (missing.len) {
		char head[WIZARD_LINE_MAX];
		/* TRANSLATORS: %s is the daemon */
		snprintf(head, sizeof(head), _("Not offered, because %s cannot do them:"),
		         ws->backend->name);
		newtComponent t = newtTextbox(1, row + 1, pc->width - 2,
		                              pc->height - row - 1 > 1 ? pc->height - row - 1 : 1,
		                              NEWT_FLAG_WRAP | NEWT_FLAG_SCROLL);
		newtTextboxSetText(t, strbuf_str(&missing));
		newtComponentTakesFocus(t, 0);
		newtFormAddComponents(pc->form, newtLabel(1, row, head), t, NULL);
	}
	strbuf_free(&missing);
	changed(pc);
}

const struct wizard_page page_policy = {
    .id = WPAGE_POLICY,
    .next_label = N_("Next"),
    .build = build,
    .collect = changed,
    .changed = changed,
};
