/*
 * page_monitor: the daemon's peers after applying: a snapshot of the parsed
 * table, Refresh, and Live view (the ncurses monitor, `ntpwiz monitor`).
 */
#include "config.h"

#include <string.h>

#include "i18n.h"
#include "sysops.h"
#include "wizard.h"
#include "wizard_monitor.h"

static newtComponent view, b_refresh, b_live;
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
	b_live = NULL;
	if (sysops_root_is_host()) { /* under --root no daemon runs here */
		b_live = newtCompactButton(1 + (int)strlen(_("Refresh")) + 4, pc->height - 1,
		                           _("Live view"));
		newtFormAddComponent(pc->form, b_live);
	}
}

static enum page_action event(struct page_ctx *pc, newtComponent co)
{
	if (co == b_live) {
		wizard_monitor_live(pc->ws);
		take(pc);
		newtTextboxSetText(view, strbuf_str(&snap));
		return PAGE_STAY;
	}
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
