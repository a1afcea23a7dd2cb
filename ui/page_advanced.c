/*
 * page_advanced: settings a newcomer can skip (issue 16): Next with the
 * fields as they are changes nothing. The rows come from wizard_advanced's
 * table, only those that apply to the chosen daemon and policy; each is
 * checked while it is typed, and Next waits until every one is accepted.
 */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "wizard.h"
#include "wizard_advanced.h"

#define MAX_ROWS 16
#define ENTRY_WIDTH 14

static newtComponent entries[MAX_ROWS];
static const struct wizard_advanced_row *shown_rows[MAX_ROWS];
static size_t nshown;

/* Every field into the model; the first refusal is kept in the state, so
 * the frame shows it under the page and keeps Next unavailable
 * (wizard_page_problem). */
static void changed(struct page_ctx *pc)
{
	struct wizard_state *ws = pc->ws;

	ws->advanced_problem[0] = '\0';
	for (size_t i = 0; i < nshown; i++) {
		struct errlist e;

		errlist_init(&e);
		if (shown_rows[i]->set(ws, newtEntryGetValue(entries[i]), &e) < 0 &&
		    !ws->advanced_problem[0])
			snprintf(ws->advanced_problem, sizeof(ws->advanced_problem), "%s",
			         e.n ? e.v[0].message : "?");
		errlist_free(&e);
	}
}

static void build(struct page_ctx *pc)
{
	const struct wizard_advanced_row *rows;
	size_t n = wizard_advanced_rows(&rows);
	int row = 0;

	nshown = 0;
	newtFormAddComponent(
	    pc->form, newtLabel(1, row++, _("Optional: Next with these fields as they are changes "
	                                    "nothing.")));
	row++;
	for (size_t i = 0; i < n && nshown < MAX_ROWS; i++) {
		char value[WIZARD_ALLOW_TEXT_MAX];
		newtComponent hint;

		if (!rows[i].applies(pc->ws))
			continue;
		rows[i].get(pc->ws, value, sizeof(value));
		newtFormAddComponent(pc->form, newtLabel(1, row++, _(rows[i].label)));
		if (rows[i].wide) {
			/* a list on one line: the whole width, the hint below */
			entries[nshown] = newtEntry(1, row++, value, pc->width - 3, NULL,
			                            NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
			/* a list longer than the field shows its start (End: its end) */
			newtEntrySetCursorPosition(entries[nshown], 0);
			wizard_watch_entry(pc, entries[nshown]);
			hint = newtTextbox(1, row, pc->width - 3, 2, NEWT_FLAG_WRAP);
			newtTextboxSetText(hint, _(rows[i].hint));
			newtComponentTakesFocus(hint, 0);
			newtFormAddComponents(pc->form, entries[nshown], hint, NULL);
			shown_rows[nshown++] = &rows[i];
			row += 2;
			continue;
		}
		entries[nshown] = newtEntry(1, row, value, ENTRY_WIDTH, NULL,
		                            NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
		wizard_watch_entry(pc, entries[nshown]);
		/* the hint wraps onto a second line rather than being cut at the
		 * page's edge (translations are longer than the English) */
		hint = newtTextbox(ENTRY_WIDTH + 2, row, pc->width - ENTRY_WIDTH - 3, 2, NEWT_FLAG_WRAP);
		newtTextboxSetText(hint, _(rows[i].hint));
		newtComponentTakesFocus(hint, 0);
		newtFormAddComponents(pc->form, entries[nshown], hint, NULL);
		shown_rows[nshown++] = &rows[i];
		row += 2;
	}
	pc->focus = nshown ? entries[0] : NULL;
	changed(pc);
}

static enum page_action event(struct page_ctx *pc, newtComponent co)
{
	(void)pc;
	for (size_t i = 0; i < nshown; i++)
		if (co == entries[i])
			return PAGE_NEXT; /* Enter in a field: done */
	return PAGE_STAY;
}

const struct wizard_page page_advanced = {
    .id = WPAGE_ADVANCED,
    .next_label = N_("Next"),
    .build = build,
    .event = event,
    .collect = changed,
    .changed = changed,
};
