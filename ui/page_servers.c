/*
 * page_servers: the time servers; Add, Edit, Remove, Test. The edit dialog
 * explains an invalid entry next to the field while it is typed, and its
 * OK takes focus only when the entry is valid.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"
#include "wizard_probe.h"

#define RESULT_ROWS_MIN 3

static newtComponent list, b_add, b_edit, b_remove, b_test, results;
static const struct setup *shown; /* the setup the list shows */
static int current;               /* highlighted row, kept across rebuilds */
static struct strbuf result_text; /* the last Test's lines */
static bool result_init;

/* A row: "[x] " when the server is marked (Space), "[ ] " when not, so the
 * marks are seen without colour; Remove and Test act on the marked ones. */
static void row_text(size_t i, bool marked, char *buf, size_t size)
{
	char line[WIZARD_LINE_MAX];

	snprintf(buf, size, "%s %s", marked ? "[x]" : "[ ]",
	         wizard_server_text(&shown->servers[i], line, sizeof(line)));
}

/* Marked server indexes (ascending) into idx; returns how many. */
static size_t marked_servers(size_t *idx)
{
	int count = 0;
	void **sel = newtListboxGetSelection(list, &count);
	size_t n = 0;

	for (size_t i = 0; i < shown->nservers; i++)
		for (int k = 0; sel && k < count; k++)
			if ((size_t)sel[k] == i + 1) {
				idx[n++] = i;
				break;
			}
	free(sel);
	return n;
}

/* Redraws the rows' marks after Space toggled one (newt calls this when
 * the list's selection or cursor moves). */
static void marks_changed(newtComponent co, void *data)
{
	size_t idx[MODEL_MAX_SERVERS], n = marked_servers(idx), k = 0;
	char text[WIZARD_LINE_MAX + 8];

	(void)co;
	(void)data;
	for (size_t i = 0; i < shown->nservers; i++) {
		bool m = k < n && idx[k] == i;
		if (m)
			k++;
		row_text(i, m, text, sizeof(text));
		newtListboxSetEntry(list, (int)i, text);
	}
}

/* The results box: the warning about too few sources (issue 16), then the
 * last Test's verdicts. */
static void show_results(const struct wizard_state *ws)
{
	char warn[WIZARD_LINE_MAX];
	struct strbuf text;

	strbuf_init(&text);
	if (wizard_servers_warning(ws, warn, sizeof(warn)))
		strbuf_printf(&text, "%s\n", warn);
	strbuf_puts(&text, strbuf_str(&result_text));
	newtTextboxSetText(results, strbuf_str(&text));
	strbuf_free(&text);
}

static void build(struct page_ctx *pc)
{
	const struct setup *s = &pc->ws->setup;
	char line[WIZARD_LINE_MAX + 8];
	int bw = 12, lw = pc->width - bw - 2;
	/* the list as tall as its servers, the rest for Test's verdicts */
	int lh = (int)s->nservers + 2, rh;

	if (lh < 5)
		lh = 5;
	if (lh > pc->height - 1 - RESULT_ROWS_MIN)
		lh = pc->height - 1 - RESULT_ROWS_MIN;
	rh = pc->height - 1 - lh;
	if (!result_init) {
		strbuf_init(&result_text);
		result_init = true;
	}
	shown = s;
	newtFormAddComponent(pc->form,
	                     newtLabel(1, 0, _("Servers this host takes its time from:")));
	list = newtListbox(1, 1, lh, NEWT_FLAG_RETURNEXIT | NEWT_FLAG_BORDER | NEWT_FLAG_MULTIPLE);
	newtListboxSetWidth(list, lw);
	for (size_t i = 0; i < s->nservers; i++) {
		row_text(i, false, line, sizeof(line));
		newtListboxAppendEntry(list, line, (void *)(i + 1));
	}
	newtComponentAddCallback(list, marks_changed, NULL);
	if (current >= (int)s->nservers)
		current = s->nservers ? (int)s->nservers - 1 : 0;
	if (s->nservers)
		newtListboxSetCurrent(list, current);
	b_add = newtCompactButton(pc->width - bw + 1, 2, _("Add"));
	b_edit = newtCompactButton(pc->width - bw + 1, 3, _("Edit"));
	b_remove = newtCompactButton(pc->width - bw + 1, 4, _("Remove"));
	b_test = newtCompactButton(pc->width - bw + 1, 6, _("Test"));
	/* wraps, and scrolls when the verdicts need more rows than there are */
	results = newtTextbox(1, lh + 1, pc->width - 2, rh, NEWT_FLAG_WRAP | NEWT_FLAG_SCROLL);
	show_results(pc->ws);
	newtFormAddComponents(pc->form, list, b_add, b_edit, b_remove, b_test, results, NULL);
	pc->focus = s->nservers ? list : b_add;
}

/* --- the edit dialog ----------------------------------------------------------------- */

struct editor {
	newtComponent form, host, why, pool, server, iburst, nts, prefer, ok, cancel;
	/* issue 16: source selection and the key */
	newtComponent noselect, trust, xleave, maxdelay, key, key_text;
	int index;
	const struct wizard_state *ws;
	bool dropped; /* a character the terminal's locale cannot hold was typed */
};

static int host_filter(newtComponent entry, void *data, int ch, int cursor)
{
	struct editor *e = data;

	(void)cursor;
	newtFormSetTimer(e->form, 1); /* re-check once newt has taken the key */
	/* In a locale that is not UTF-8 (LANG=C) newt drops the bytes of a
	 * character like "ü" without a word, and "zeit.bücher.de" would be
	 * taken as "zeit.bcher.de": refuse the entry until it is cleared. */
	if (ch >= 0x80 && ch <= 0xff && !ui_locale_is_utf8()) {
		e->dropped = true;
		return 0;
	}
	if (e->dropped && !*newtEntryGetValue(entry))
		e->dropped = false;
	return ch;
}

/* The typed numbers (maxdelay, key): check them once newt has the key. */
static int number_filter(newtComponent entry, void *data, int ch, int cursor)
{
	struct editor *e = data;

	(void)entry;
	(void)cursor;
	newtFormSetTimer(e->form, 1);
	return ch;
}

static void toggled(newtComponent co, void *data)
{
	struct editor *e = data;

	(void)co;
	newtFormSetTimer(e->form, 1);
}

static void read_fields(const struct editor *e, struct wizard_server_fields *f)
{
	f->host = newtEntryGetValue(e->host);
	f->kind = newtRadioGetCurrent(e->pool) == e->pool ? SERVER_KIND_POOL : SERVER_KIND_SERVER;
	f->iburst = newtCheckboxGetValue(e->iburst) == '*';
	f->nts = newtCheckboxGetValue(e->nts) == '*';
	f->prefer = newtCheckboxGetValue(e->prefer) == '*';
	f->noselect = newtCheckboxGetValue(e->noselect) == '*';
	f->trust = newtCheckboxGetValue(e->trust) == '*';
	f->xleave = newtCheckboxGetValue(e->xleave) == '*';
	f->maxdelay = newtEntryGetValue(e->maxdelay);
	f->key = newtEntryGetValue(e->key);
}

/* Shows why the entry cannot be saved; OK takes focus only when it can. */
static bool check(struct editor *e)
{
	struct wizard_server_fields f;
	char why[WIZARD_LINE_MAX];
	const char *p;

	read_fields(e, &f);
	if (e->dropped && !*f.host)
		e->dropped = false; /* cleared: start again */
	p = wizard_server_problem(e->ws, e->index, &f, why, sizeof(why));
	if (e->dropped) {
		snprintf(why, sizeof(why), "%s",
		         _("Host: a character that is not ASCII was typed, and this terminal's "
		           "locale cannot hold it (it was left out). Clear the field and type "
		           "the name's ASCII form (xn--...), or use a UTF-8 locale."));
		p = why;
	}
	/* an empty field is not an error yet, just not done */
	newtTextboxSetText(e->why, p && (*f.host || e->dropped) ? p : "");
	{
		/* what the key is, never its secret: "key 1 (AES128CMAC, set)" */
		char *end, text[WIZARD_LINE_MAX];
		long id = strtol(f.key, &end, 10);

		text[0] = '\0';
		if (*f.key && !*end && id > 0 && id <= MODEL_KEY_MAX)
			wizard_key_text(e->ws, (unsigned)id, text, sizeof(text));
		newtTextboxSetText(e->key_text, text);
	}
	newtComponentTakesFocus(e->ok, p == NULL);
	return p == NULL;
}

/* Edits server `index` (-1: a new one). Returns whether it was saved. */
static bool edit_server(struct page_ctx *pc, int index)
{
	struct wizard_state *ws = pc->ws;
	struct server blank, *srv = &blank;
	struct editor e = {.index = index, .ws = ws};
	struct newtExitStruct es;
	bool saved = false;
	int w = 70, h = 15;
	char maxdelay[32] = "", key[16] = "";

	model_server_init(&blank);
	if (index >= 0)
		srv = &ws->setup.servers[index];
	newtCenteredWindow((unsigned)w, (unsigned)h,
	                   index < 0 ? _("Add a server") : _("Edit server"));
	e.form = wizard_form_new();
	newtFormAddComponent(e.form, newtLabel(1, 0, _("Host name or address:")));
	e.host = newtEntry(1, 1, srv->host, w - 2, NULL, NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
	newtEntrySetFilter(e.host, host_filter, &e);
	e.why = newtTextbox(1, 2, w - 2, 2, NEWT_FLAG_WRAP);
	newtComponentTakesFocus(e.why, 0);
	e.server =
	    newtRadiobutton(1, 4, _("Server: one host"), srv->kind == SERVER_KIND_SERVER, NULL);
	e.pool = newtRadiobutton(1, 5, _("Pool: a name for several servers"),
	                         srv->kind == SERVER_KIND_POOL, e.server);
	e.iburst =
	    newtCheckbox(38, 4, _("iburst (fast first sync)"), srv->iburst ? '*' : ' ', NULL, NULL);
	e.nts = newtCheckbox(38, 5, _("NTS (authenticated)"), srv->nts ? '*' : ' ', NULL, NULL);
	e.prefer =
	    newtCheckbox(38, 6, _("prefer this server"), srv->prefer ? '*' : ' ', NULL, NULL);
	/* source selection and authentication (issue 16) */
	e.noselect =
	    newtCheckbox(1, 6, _("noselect (monitor only)"), srv->noselect ? '*' : ' ', NULL, NULL);
	e.trust =
	    newtCheckbox(1, 7, _("trust (assume always true)"), srv->trust ? '*' : ' ', NULL, NULL);
	e.xleave = newtCheckbox(38, 7, _("xleave (interleaved mode)"), srv->xleave ? '*' : ' ',
	                        NULL, NULL);
	if (srv->maxdelay != 0.0)
		snprintf(maxdelay, sizeof(maxdelay), "%g", srv->maxdelay);
	if (srv->key)
		snprintf(key, sizeof(key), "%u", srv->key);
	newtFormAddComponent(e.form, newtLabel(1, 8, _("maxdelay (seconds):")));
	e.maxdelay = newtEntry(23, 8, maxdelay, 10, NULL, NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
	newtEntrySetFilter(e.maxdelay, number_filter, &e);
	newtFormAddComponent(e.form, newtLabel(38, 8, _("Key ID:")));
	e.key = newtEntry(50, 8, key, 8, NULL, NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
	newtEntrySetFilter(e.key, number_filter, &e);
	e.key_text = newtTextbox(1, 9, w - 2, 1, 0);
	newtComponentTakesFocus(e.key_text, 0);
	newtComponentAddCallback(e.server, toggled, &e);
	newtComponentAddCallback(e.pool, toggled, &e);
	newtComponentAddCallback(e.nts, toggled, &e);
	e.ok = newtButton(w / 2 - 14, 11, _("OK"));
	e.cancel = newtButton(w / 2 + 2, 11, _("Cancel"));
	newtFormAddComponents(e.form, e.host, e.why, e.server, e.pool, e.noselect, e.trust,
	                      e.iburst, e.nts, e.prefer, e.xleave, e.maxdelay, e.key, e.key_text,
	                      e.ok, e.cancel, NULL);
	newtFormSetCurrent(e.form, e.host);
	for (;;) {
		check(&e);
		wizard_form_run(e.form, &es);
		if (es.reason == NEWT_EXIT_TIMER) {
			newtFormSetTimer(e.form, 0);
			continue;
		}
		if (es.reason == NEWT_EXIT_HOTKEY && es.u.key == NEWT_KEY_F1) {
			wizard_show_page_help(WPAGE_SERVERS);
			continue;
		}
		if ((es.reason == NEWT_EXIT_HOTKEY && es.u.key == NEWT_KEY_ESCAPE) ||
		    (es.reason == NEWT_EXIT_COMPONENT && es.u.co == e.cancel))
			break;
		if (es.reason == NEWT_EXIT_COMPONENT &&
		    (es.u.co == e.ok || es.u.co == e.host || es.u.co == e.maxdelay ||
		     es.u.co == e.key)) {
			struct wizard_server_fields f;
			struct errlist errs;

			if (!check(&e)) {
				newtBell();
				continue;
			}
			read_fields(&e, &f);
			errlist_init(&errs);
			saved = wizard_server_put(ws, index, &f, &errs) == 0;
			errlist_free(&errs);
			if (saved) {
				if (index < 0)
					current = (int)ws->setup.nservers - 1;
				break;
			}
		}
	}
	newtFormDestroy(e.form);
	newtPopWindow();
	return saved;
}

/* --- Test ----------------------------------------------------------------------------- */

/* A verdict for an address names it twice ("192.0.2.1: not usable:
 * 192.0.2.1 cannot be reached: ..."): the second time is dropped, so each
 * verdict fits one row and all of them fit the page. */
static char *compact(char *line, const char *host)
{
	size_t hl = strlen(host);
	char *dup;

	if (strncmp(line, host, hl) != 0 || line[hl] != ':')
		return line;
	for (dup = strstr(line + hl, host); dup; dup = strstr(dup + 1, host))
		if (dup[-1] == ' ' && dup[-2] == ':' && dup[hl] == ' ') {
			memmove(dup, dup + hl + 1, strlen(dup + hl + 1) + 1);
			break;
		}
	return line;
}

static void test_servers(struct page_ctx *pc)
{
	const struct setup *s = &pc->ws->setup;
	struct server chosen[MODEL_MAX_SERVERS];
	struct wizard_probe_result res[MODEL_MAX_SERVERS];
	size_t idx[MODEL_MAX_SERVERS], n = marked_servers(idx);
	bool highlighted = n == 0;

	for (size_t i = 0; i < n; i++)
		chosen[i] = s->servers[idx[i]];
	if (n == 0) {
		void *cur = newtListboxGetCurrent(list);
		if (!cur)
			return;
		chosen[n++] = s->servers[(size_t)cur - 1];
	}
	strbuf_reset(&result_text);
	strbuf_puts(&result_text, _("Testing..."));
	newtTextboxSetText(results, strbuf_str(&result_text));
	wizard_refresh();
	wizard_probe_servers(chosen, n, res);
	strbuf_reset(&result_text);
	if (highlighted)
		strbuf_printf(&result_text,
		              _("No server is marked (Space marks one): tested the highlighted "
		                "one, %s.\n"),
		              chosen[0].host);
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&result_text, "%s\n", compact(res[i].line, chosen[i].host));
	show_results(pc->ws);
}

static enum page_action event(struct page_ctx *pc, newtComponent co)
{
	void *cur = newtListboxGetCurrent(list);
	int index = cur ? (int)((size_t)cur - 1) : -1;

	if (co == b_add)
		return edit_server(pc, -1) ? PAGE_REBUILD : PAGE_STAY;
	if ((co == b_edit || co == list) && index >= 0) {
		current = index;
		return edit_server(pc, index) ? PAGE_REBUILD : PAGE_STAY;
	}
	if (co == b_remove && index >= 0) {
		/* the marked servers, as Test takes them; the highlighted one
		 * when none is marked. From the last, so indexes stay valid. */
		size_t idx[MODEL_MAX_SERVERS], n = marked_servers(idx);
		if (n == 0)
			idx[n++] = (size_t)index;
		for (size_t i = n; i-- > 0;)
			wizard_server_remove(pc->ws, idx[i]);
		current = (int)idx[0];
		return PAGE_REBUILD;
	}
	if (co == b_test) {
		test_servers(pc);
		return PAGE_STAY;
	}
	return PAGE_STAY;
}

const struct wizard_page page_servers = {
    .id = WPAGE_SERVERS,
    .next_label = N_("Next"),
    .build = build,
    .event = event,
};
