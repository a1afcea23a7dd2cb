/*
 * page_policy: who may ask this host for the time; the networks a LAN
 * server answers, checked while they are typed.
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "wizard.h"

#define EXPLAIN_ROWS 2

static newtComponent radios[POLICY_COUNT], explain, nets, nets_why;
static struct wizard_choice choices[POLICY_COUNT];
static struct page_ctx *page;

static const struct wizard_choice *selected(void)
{
	return wizard_choice_selected(choices, radios, POLICY_COUNT);
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
	wizard_set_explain(explain, c->explain, EXPLAIN_ROWS);
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

static void build(struct page_ctx *pc)
{
	struct wizard_state *ws = pc->ws;
	struct strbuf missing;
	char head[WIZARD_LINE_MAX];
	size_t n = wizard_policy_choices(ws, choices);
	int row;

	page = pc;
	strbuf_init(&missing);
	row = wizard_add_choices(pc, _("Who may ask this host for the time?"), choices, n,
	                         (int)ws->setup.policy, radios, &explain, EXPLAIN_ROWS, toggled,
	                         &missing);
	nets = nets_why = NULL;
	if (!choices[POLICY_LAN].refusal) {
		newtFormAddComponent(
		    pc->form,
		    newtLabel(
		        1, row++,
		        _("Networks a LAN server answers (such as 192.168.1.0/24 fd00::/8):")));
		/* Enter in the field means "done": Next, not the next button (Back) */
		nets = newtEntry(1, row++, ws->allow_text, pc->width, NULL,
		                 NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
		wizard_watch_entry(pc, nets);
		nets_why = newtTextbox(1, row, pc->width, 2, NEWT_FLAG_WRAP);
		newtComponentTakesFocus(nets_why, 0);
		newtFormAddComponents(pc->form, nets, nets_why, NULL);
		row += 2;
	}
	/* TRANSLATORS: %s is the daemon */
	snprintf(head, sizeof(head), _("Not offered, because %s cannot do them:"),
	         ws->backend->name);
	wizard_add_missing(pc, row, head, &missing);
	strbuf_free(&missing);
	changed(pc);
}

static enum page_action event(struct page_ctx *pc, newtComponent co)
{
	(void)pc;
	return co == nets ? PAGE_NEXT : PAGE_STAY;
}

const struct wizard_page page_policy = {
    .id = WPAGE_POLICY,
    .next_label = N_("Next"),
    .build = build,
    .event = event,
    .collect = changed,
    .changed = changed,
};
