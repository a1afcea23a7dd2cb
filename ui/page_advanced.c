/*
 * page_advanced: settings a newcomer can skip (issue 16): Next with the
 * fields as they are changes nothing. The rows come from wizard_advanced's
 * table, only those that apply to the chosen daemon and policy; each is
 * checked while it is typed, and Next waits until every one is accepted.
 * Below them, the chosen daemon's operator lines (extra.<daemon>): Add
 * checks a line while it is typed, with extra.c's refusal on the spot.
 * When the rows are taller than the page, they scroll (a sub-form with a
 * scroll bar; the focused field is always in view).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"
#include "wizard_advanced.h"

#define MAX_ROWS 16
#define ENTRY_WIDTH 14

static newtComponent entries[MAX_ROWS];
static const struct wizard_advanced_row *shown_rows[MAX_ROWS];
static size_t nshown;
/* the operator lines' editor */
#define EXTRA_ROWS 3
static newtComponent extra_list, b_extra_add, b_extra_remove;
static newtComponent scroller; /* the sub-form when the rows scroll, else NULL */
static int extra_current;
/* after Add or Remove the page is built again with the cursor back there */
static enum { FOCUS_FIRST, FOCUS_ADD, FOCUS_LIST } focus_next;
static newtComponent focus_after; /* the field shown() scrolls to */

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
	char *flowed = newtReflowText((char *)hint, pc->width - ENTRY_WIDTH - 4, 0, 0, &w, &h);

	free(flowed);
	return h > 1 ? 2 : 1;
}

/* Rows the page needs: the note, each row (label, entry, a hint's second
 * line; a wide row's hint is between its label and its field), the
 * operator lines' heading and list. */
static int rows_needed(const struct page_ctx *pc, const struct wizard_advanced_row *rows, size_t n)
{
	int need = 2 + 1 + EXTRA_ROWS;

	for (size_t i = 0; i < n; i++)
		if (rows[i].applies(pc->ws))
			need += rows[i].wide ? 4 : 1 + hint_lines(pc, _(rows[i].hint));
	return need;
}

static void build(struct page_ctx *pc)
{
	const struct wizard_advanced_row *rows;
	size_t n = wizard_advanced_rows(&rows);
	const struct setup_extra *x = wizard_extra(pc->ws);
	int row = 0, bw = 14;
	newtComponent area = pc->form;
	char head[WIZARD_LINE_MAX];

	nshown = 0;
	scroller = focus_after = NULL;
	newtFormAddComponent(
	    pc->form, newtLabel(1, row++, _("Optional: Next with these fields as they are changes "
	                                    "nothing.")));
	if (rows_needed(pc, rows, n) > pc->height) {
		/* taller than the page: the rest scrolls inside a sub-form, where
		 * newt moves with Up and Down (Tab leaves the sub-form) */
		int h = pc->height - row - 1;

		newtFormAddComponent(
		    pc->form, newtLabel(1, row++, _("Up and Down move between the fields below; Tab "
		                                    "goes to the buttons.")));
		newtComponent bar = newtVerticalScrollbar(pc->width - 1, row, h, NEWT_COLORSET_WINDOW,
		                                          NEWT_COLORSET_ACTCHECKBOX);
		area = scroller = newtForm(bar, NULL, 0);
		newtFormSetHeight(area, h);
		newtFormSetWidth(area, pc->width - 1);
		newtFormAddComponent(pc->form, area);
		newtFormAddComponent(area, bar);
	} else {
		row++;
	}
	for (size_t i = 0; i < n && nshown < MAX_ROWS; i++) {
		char value[WIZARD_ALLOW_TEXT_MAX];
		newtComponent hint;
		int lines;

		if (!rows[i].applies(pc->ws))
			continue;
		lines = hint_lines(pc, _(rows[i].hint));
		rows[i].get(pc->ws, value, sizeof(value));
		newtFormAddComponent(area, newtLabel(1, row++, _(rows[i].label)));
		if (rows[i].wide) {
			/* a list on one line: the whole width, the hint above it
			 * (between the label and the field): when the rows scroll
			 * down to the field, newt stops with the field on the last
			 * line, and a hint below it would be out of view */
			hint = newtTextbox(1, row, pc->width - 3, 2, NEWT_FLAG_WRAP);
			newtTextboxSetText(hint, _(rows[i].hint));
			newtComponentTakesFocus(hint, 0);
			row += 2;
			entries[nshown] = newtEntry(1, row++, value, pc->width - 3, NULL,
			                            NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
			/* a list longer than the field shows its start (End: its end) */
			newtEntrySetCursorPosition(entries[nshown], 0);
			wizard_watch_entry(pc, entries[nshown]);
			newtFormAddComponents(area, hint, entries[nshown], NULL);
			shown_rows[nshown++] = &rows[i];
			continue;
		}
		entries[nshown] = newtEntry(1, row, value, ENTRY_WIDTH, NULL,
		                            NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
		wizard_watch_entry(pc, entries[nshown]);
		/* the hint wraps onto a second line rather than being cut at the
		 * page's edge (translations are longer than the English) */
		hint = newtTextbox(ENTRY_WIDTH + 2, row, pc->width - ENTRY_WIDTH - 4, lines,
		                   NEWT_FLAG_WRAP);
		newtTextboxSetText(hint, _(rows[i].hint));
		newtComponentTakesFocus(hint, 0);
		newtFormAddComponents(area, entries[nshown], hint, NULL);
		shown_rows[nshown++] = &rows[i];
		row += lines;
	}
	/* TRANSLATORS: %1$s is a daemon, %2$s the profile key (extra.chrony) */
	snprintf(head, sizeof(head), _("Operator lines for %1$s that ntpwiz does not write (extra.%2$s):"),
	         pc->ws->backend->name, model_daemon_name(pc->ws->backend->id));
	newtFormAddComponent(area, newtLabel(1, row++, head));
	extra_list = newtListbox(1, row, EXTRA_ROWS, NEWT_FLAG_RETURNEXIT | NEWT_FLAG_SCROLL);
	newtListboxSetWidth(extra_list, pc->width - bw - 4);
	if (x->n == 0)
		newtListboxAppendEntry(extra_list, _("(none)"), (void *)0);
	for (size_t i = 0; i < x->n; i++)
		newtListboxAppendEntry(extra_list, x->v[i].text, (void *)(i + 1));
	if (extra_current >= (int)x->n)
		extra_current = x->n ? (int)x->n - 1 : 0;
	newtListboxSetCurrent(extra_list, extra_current);
	b_extra_add = newtCompactButton(pc->width - bw, row, _("Add line"));
	b_extra_remove = newtCompactButton(pc->width - bw, row + 1, _("Remove"));
	newtFormAddComponents(area, extra_list, b_extra_add, b_extra_remove, NULL);
	pc->focus = nshown ? entries[0] : extra_list;
	if (focus_next == FOCUS_ADD)
		pc->focus = b_extra_add;
	else if (focus_next == FOCUS_LIST)
		pc->focus = extra_list;
	focus_next = FOCUS_FIRST;
	if (area != pc->form) {
		/* the sub-form keeps its own current field: start it there too;
		 * newt scrolls to it only once the form is drawn (shown()) */
		newtFormSetCurrent(area, pc->focus);
		focus_after = pc->focus;
		pc->focus = area;
	}
	changed(pc);
}

/* --- Add line: the line is checked while it is typed ------------------------ */

struct line_editor {
	newtComponent form, entry, why, ok;
};

static int line_filter(newtComponent entry, void *data, int ch, int cursor)
{
	struct line_editor *e = data;

	(void)entry;
	(void)cursor;
	newtFormSetTimer(e->form, 1);
	return ch;
}

/* Shows why the line cannot be added; OK takes focus only when it can. */
static bool line_check(struct line_editor *e, const struct wizard_state *ws)
{
	char why[WIZARD_LINE_MAX];
	const char *text = newtEntryGetValue(e->entry);
	const char *p = wizard_extra_problem(ws, text, why, sizeof(why));

	newtTextboxSetText(e->why, p && *text ? p : "");
	newtComponentTakesFocus(e->ok, p == NULL);
	return p == NULL;
}

static bool add_line(struct page_ctx *pc)
{
	struct line_editor e;
	struct newtExitStruct es;
	newtComponent cancel;
	char title[128];
	int w = 74, h = 11;
	bool added = false;

	/* TRANSLATORS: %s is a daemon */
	snprintf(title, sizeof(title), _("Add an operator line for %s"), pc->ws->backend->name);
	newtCenteredWindow((unsigned)w, (unsigned)h, title);
	e.form = wizard_form_new();
	newtFormAddComponent(e.form,
	                     newtLabel(1, 0, _("One directive and its arguments, as the daemon reads it:")));
	e.entry = newtEntry(1, 1, "", w - 2, NULL, NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
	newtEntrySetFilter(e.entry, line_filter, &e);
	e.why = newtTextbox(1, 2, w - 2, 4, NEWT_FLAG_WRAP);
	newtComponentTakesFocus(e.why, 0);
	e.ok = newtButton(w / 2 - 14, 7, _("OK"));
	cancel = newtButton(w / 2 + 2, 7, _("Cancel"));
	newtFormAddComponents(e.form, e.entry, e.why, e.ok, cancel, NULL);
	newtFormSetCurrent(e.form, e.entry);
	for (;;) {
		line_check(&e, pc->ws);
		wizard_form_run(e.form, &es);
		if (es.reason == NEWT_EXIT_TIMER) {
			newtFormSetTimer(e.form, 0);
			continue;
		}
		if (es.reason == NEWT_EXIT_HOTKEY && es.u.key == NEWT_KEY_F1) {
			wizard_show_page_help(WPAGE_ADVANCED);
			continue;
		}
		if ((es.reason == NEWT_EXIT_HOTKEY && es.u.key == NEWT_KEY_ESCAPE) ||
		    (es.reason == NEWT_EXIT_COMPONENT && es.u.co == cancel))
			break;
		if (es.reason == NEWT_EXIT_COMPONENT && (es.u.co == e.ok || es.u.co == e.entry)) {
			struct errlist errs;

			if (!line_check(&e, pc->ws)) {
				newtBell();
				continue;
			}
			errlist_init(&errs);
			added = wizard_extra_add(pc->ws, newtEntryGetValue(e.entry), &errs) == 0;
			errlist_free(&errs);
			if (added)
				break;
		}
	}
	newtFormDestroy(e.form);
	newtPopWindow();
	return added;
}

static enum page_action event(struct page_ctx *pc, newtComponent co)
{
	/* newt names the sub-form as the component that ended the form */
	if (scroller && co == scroller)
		co = newtFormGetCurrent(scroller);
	if (co == b_extra_add || co == extra_list) {
		if (!add_line(pc))
			return PAGE_STAY;
		extra_current = (int)wizard_extra(pc->ws)->n - 1;
		focus_next = FOCUS_ADD;
		return PAGE_REBUILD;
	}
	if (co == b_extra_remove) {
		void *cur = newtListboxGetCurrent(extra_list);

		if (!cur)
			return PAGE_STAY;
		wizard_extra_remove(pc->ws, (size_t)cur - 1);
		extra_current = (int)((size_t)cur - 1);
		focus_next = FOCUS_LIST;
		return PAGE_REBUILD;
	}
	for (size_t i = 0; i < nshown; i++)
		if (co == entries[i])
			return PAGE_NEXT; /* Enter in a field: done */
	return PAGE_STAY;
}

/* After Add or Remove the rows scroll to the operator lines again. */
static void shown(struct page_ctx *pc)
{
	if (!scroller || !focus_after || (nshown && focus_after == entries[0]))
		return;
	newtFormSetCurrent(scroller, focus_after);
	newtDrawForm(pc->form);
	newtRefresh();
}

const struct wizard_page page_advanced = {
    .id = WPAGE_ADVANCED,
    .next_label = N_("Next"),
    .build = build,
    .event = event,
    .collect = changed,
    .changed = changed,
    .shown = shown,
};
