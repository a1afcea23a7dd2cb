/*
 * page_welcome: what was detected on the system; Continue.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "wizard.h"

static void build(struct page_ctx *pc)
{
	struct strbuf text;

	strbuf_init(&text);
	strbuf_puts(&text,
	            _("ntpwiz sets up the time daemon: the servers it asks, how leap seconds "
	              "are handled and who may ask this host for the time. You see the "
	              "exact file before anything is written. F1 shows help on every "
	              "page.\n\n"));
	wizard_describe_host(pc->ws, &text);
	/* What the current config cannot carry over may not fit: then the text
	 * scrolls (Tab to it, then the arrows); Continue keeps the cursor. The
	 * text is flowed here because newt scrolls only unwrapped text. */
	int w, h;
	char *flowed = newtReflowText((char *)strbuf_str(&text), pc->width - 3, 0, 0, &w, &h);
	if (flowed && h > pc->height) {
		/* the last row says there is more: a conflict or a dropped line
		 * below the fold must not go unseen */
		newtComponent t =
		    newtTextbox(1, 0, pc->width - 2, pc->height - 1, NEWT_FLAG_SCROLL);
		char more[WIZARD_LINE_MAX];
		newtTextboxSetText(t, flowed);
		snprintf(more, sizeof(more),
		         _("(%d more lines below: Tab to the text, then the arrows or Page Down)"),
		         h - (pc->height - 1));
		newtFormAddComponents(pc->form, t, newtLabel(1, pc->height - 1, more), NULL);
	} else {
		newtFormAddComponent(pc->form, wizard_textbox(1, 0, pc->width, pc->height,
		                                              strbuf_str(&text), false));
	}
	free(flowed);
	strbuf_free(&text);
}

const struct wizard_page page_welcome = {
    .id = WPAGE_WELCOME,
    .next_label = N_("Continue"),
    .build = build,
};
