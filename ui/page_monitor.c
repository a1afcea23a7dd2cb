/*
 * page_monitor: the daemon's peers after applying (wizard_monitor_snapshot;
 * the live monitor replaces it).
 */
#include "config.h"

#include "i18n.h"
#include "wizard.h"
#include "wizard_monitor.h"

static newtComponent view, b_refresh;
static struct strbuf snap;
static bool have_snap;

static void take(struct page_ctx *pc)
{
	if (!have_snap)
		strbuf_init(&snap);
	strbuf_reset(&snap);
	wizard_monitor_snapshot(pc->ws, &snap);
	have_snap = true;
}

static void build(struct page_ctx *pc)
{
	if (!have_snap)
		take(pc);
	view = newtTextbox(1, 0, pc->width - 2, pc->height - 1, NEWT_FLAG_SCROLL | NEWT_FLAG_WRAP);
	newtTextboxSetText(view, strbuf_str(&snap));
	b_refresh = newtCompactButton(1, pc->height - 1, _("Refresh"));
	newtFormAddComponents(pc->form, view, b_refresh, NULL);
}

static enum page_action event(struct page_ctx *pc, newtComponent co)
{
	if (co != b_refresh)
		return PAGE_STAY;
	take(pc);
	newtTextboxSetText(view, strbuf_str(&snap));
	return PAGE_STAY;
}

const struct wizard_page page_monitor = {
    .id = WPAGE_MONITOR,
    .next_label = N_("Finish"),
    .build = build,
    .event = event,
};
