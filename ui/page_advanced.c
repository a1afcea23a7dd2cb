/*
 * page_advanced: settings a newcomer can skip (issue 16): Next with the
 * fields as they are changes nothing. The rows come from wizard_advanced's
 * table, only those that apply to the chosen daemon and policy; each is
 * checked while it is typed, and Next waits until every one is accepted.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

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

/* Lines a row's hint takes beside its entry (1 or 2: it wraps, never cut) */
static int hint_lines(const struct page_ctx *pc, const char *hint)
{
	int w = 0, h = 0;
	char *flowed = newtReflowText((char *)hint, pc->width - ENTRY_WIDTH - 3, 0, 0, &w, &h);

	free(flowed);
	return h > 1 ? 2 : 1;
}

static void build(struct page_ctx *pc)
{
	const struct wizard_advanced_row *rows;
	size_t n = wizard_advanced_rows(&rows);
	int row = 0, need = 1;

	nshown = 0;
	/* a hint that fits one line takes one: more rows fit at 80x24 */
	for (size_t i = 0; i < n; i++)
		if (rows[i].applies(pc->ws))
			need += 1 + hint_lines(pc, _(rows[i].hint));
	newtFormAddComponent(
	    pc->form, newtLabel(1, row++, _("Optional: Next with these fields as they are changes "
	                                    "nothing.")));
	if (need < pc->height)
		row++;
	for (size_t i = 0; i < n && nshown < MAX_ROWS; i++) {
		char value[WIZARD_ALLOW_TEXT_MAX];
		newtComponent hint;
		int lines;

		if (!rows[i].applies(pc->ws))
			continue;
		lines = hint_lines(pc, _(rows[i].hint));
		rows[i].get(pc->ws, value, sizeof(value));
		newtFormAddComponent(pc->form, newtLabel(1, row++, _(rows[i].label)));
		entries[nshown] = newtEntry(1, row, value, ENTRY_WIDTH, NULL,
		                            NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
		wizard_watch_entry(pc, entries[nshown]);
		/* the hint wraps onto a second line rather than being cut at the
		 * page's edge (translations are longer than the English) */
		hint = newtTextbox(ENTRY_WIDTH + 2, row, pc->width - ENTRY_WIDTH - 3, lines,
		                   NEWT_FLAG_WRAP);
		newtTextboxSetText(hint, _(rows[i].hint));
		newtComponentTakesFocus(hint, 0);
		newtFormAddComponents(pc->form, entries[nshown], hint, NULL);
		shown_rows[nshown++] = &rows[i];
		row += lines;
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
