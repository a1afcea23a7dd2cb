/*
 * wizard: the newt frame around the pages (see wizard.h).
 *
 * Signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH) only set a flag and
 * write a byte to a pipe that every form watches, so newtFormRun returns
 * and the wizard leaves through newtFinished like any other exit. newt puts
 * the terminal in raw mode, where Ctrl-C is a key: it is a hotkey of every
 * form and does the same as SIGINT. An atexit handler restores the terminal
 * when something else ends the process (newt itself exits when stdin goes
 * away). A resize re-initialises newt at the new size and draws the page
 * again from the model.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <slang.h>

#include "i18n.h"
#include "sysops.h"
#include "wizard.h"

#define KEY_CTRL_C 3
#define MIN_COLS 60
#define WIZARD_MIN_COLS 80 /* below this (or WIZARD_MIN_ROWS) a page does not fit */
#define WIZARD_MIN_ROWS 24
#define MAX_COLS 100
#define MAX_ROWS 40
#define STATUS_ROWS 2
#define BUTTON_ROWS 4

/* newt 0.52.23's newtFormDestroy does not free the array newtFormWatchFd
 * allocates (8 bytes per form); keep LeakSanitizer quiet about that one. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:newtFormWatchFd\n";
}
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

static const struct wizard_page *const pages[WPAGE_COUNT] = {
    [WPAGE_WELCOME] = &page_welcome, [WPAGE_DAEMON] = &page_daemon,
    [WPAGE_SERVERS] = &page_servers, [WPAGE_LEAP] = &page_leap,
    [WPAGE_POLICY] = &page_policy,   [WPAGE_ADVANCED] = &page_advanced,
    [WPAGE_SUMMARY] = &page_summary,
    [WPAGE_APPLY] = &page_apply,     [WPAGE_MONITOR] = &page_monitor,
};

static int sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t resized;
static bool newt_active;
static const struct wizard_state *quit_state; /* for the message on interrupt */
static struct page_ctx *current_page;         /* whose entries are watched */

static void restore_terminal(void)
{
	if (newt_active) {
		newt_active = false;
		newtFinished();
	}
}

static void on_signal(int sig)
{
	int saved = errno;
	char c = 0;

	/* The terminal hung up (its window or tmux server is gone): there is
	 * nothing to restore, and newt, reading a dead terminal, may never
	 * return to look at the pipe, so leave now. Likewise when a second
	 * signal finds the first not yet acted on. Nothing is half-written:
	 * writes are atomic. */
	if (sig == SIGHUP || (sig != SIGWINCH && got_signal))
		_exit(128 + sig);
	if (sig == SIGWINCH)
		resized = 1;
	else
		got_signal = sig;
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

static void drain_pipe(void)
{
	char buf[64];

	while (read(sig_pipe[0], buf, sizeof(buf)) > 0)
		;
}

static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH};

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &sa, NULL);
}

static void reset_signals(void)
{
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		signal(caught[i], SIG_DFL);
}

/* Leaves at once: terminal restored, a line on stderr, 128 + signal. */
static void quit_on_signal(int sig) __attribute__((noreturn));
static void quit_on_signal(int sig)
{
	restore_terminal();
	reset_signals();
	if (quit_state && quit_state->applied && quit_state->apply_failed)
		fprintf(stderr, "%s\n",
		        _("ntpwiz: interrupted; applying had failed (its steps were on the Apply "
		          "page)."));
	else if (quit_state && quit_state->applied)
		fprintf(stderr, "%s\n", _("ntpwiz: interrupted after applying."));
	else
		fprintf(stderr, "%s\n",
		        _("ntpwiz: interrupted; the configuration was not written."));
	exit(128 + sig);
}

newtComponent wizard_form_new(void)
{
	newtComponent form = newtForm(NULL, NULL, 0);

	newtFormAddHotKey(form, NEWT_KEY_F1);
	newtFormAddHotKey(form, NEWT_KEY_ESCAPE);
	newtFormAddHotKey(form, KEY_CTRL_C);
	newtFormWatchFd(form, sig_pipe[0], NEWT_FD_READ);
	return form;
}

/* Alt+letter reaches newt as Esc and the letter at once; newt gives the
 * Esc alone, and the wizard went back a page. An Esc with a printable
 * character already waiting behind it is that Alt chord: both are taken
 * and nothing happens (a YaST user's Alt-N must not mean Back). */
static bool alt_chord(void)
{
	if (SLang_input_pending(0) <= 0)
		return false;
	unsigned int c = SLang_getkey();
	if (c >= 0x20 && c < 0x7f)
		return true;
	SLang_ungetkey((unsigned char)c);
	return false;
}

void wizard_form_run(newtComponent form, struct newtExitStruct *es)
{
	for (;;) {
		/* S-Lang puts SIGWINCH and SIGTSTP back to their defaults now and
		 * then (seen when a text box first reflows): take them again */
		install_signals();
		newtFormRun(form, es);
		if (es->reason == NEWT_EXIT_HOTKEY && es->u.key == NEWT_KEY_ESCAPE && alt_chord())
			continue;
		if (es->reason == NEWT_EXIT_HOTKEY && es->u.key == KEY_CTRL_C)
			quit_on_signal(SIGINT);
		if (es->reason != NEWT_EXIT_FDREADY)
			return;
		drain_pipe();
		if (got_signal)
			quit_on_signal(got_signal);
		/* a resize: the page loop redraws; a dialog keeps going */
		if (resized && current_page && current_page->form == form)
			return;
	}
}

void wizard_refresh(void)
{
	newtRefresh();
}

static int entry_filter(newtComponent entry, void *data, int ch, int cursor)
{
	struct page_ctx *pc = data;

	(void)entry;
	(void)cursor;
	/* re-check the field right after newt has taken the key */
	newtFormSetTimer(pc->form, 1);
	return ch;
}

void wizard_watch_entry(struct page_ctx *pc, newtComponent entry)
{
	newtEntrySetFilter(entry, entry_filter, pc);
}

int wizard_add_choices(struct page_ctx *pc, const char *question,
                       const struct wizard_choice *choices, size_t n, int current,
                       newtComponent *radios, newtComponent *explain, int explain_rows,
                       newtCallback cb, struct strbuf *missing)
{
	newtComponent prev = NULL;
	int row = 1;

	newtFormAddComponent(pc->form, newtLabel(1, 0, question));
	for (size_t i = 0; i < n; i++) {
		radios[i] = NULL;
		if (choices[i].refusal) {
			strbuf_printf(missing, "%s: %s\n", choices[i].label, choices[i].refusal);
			continue;
		}
		radios[i] =
		    newtRadiobutton(1, row++, choices[i].label, current == choices[i].value, prev);
		newtComponentAddCallback(radios[i], cb, NULL);
		newtFormAddComponent(pc->form, radios[i]);
		if (current == choices[i].value)
			pc->focus = radios[i];
		prev = radios[i];
	}
	*explain = newtTextbox(1, row, pc->width, explain_rows, NEWT_FLAG_WRAP);
	newtComponentTakesFocus(*explain, 0);
	newtFormAddComponent(pc->form, *explain);
	return row + explain_rows;
}

const struct wizard_choice *wizard_choice_selected(const struct wizard_choice *choices,
                                                   const newtComponent *radios, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (radios[i] && newtRadioGetCurrent(radios[i]) == radios[i])
			return &choices[i];
	return NULL;
}

void wizard_set_explain(newtComponent box, const char *text, int rows)
{
	struct strbuf buf;

	strbuf_init(&buf);
	strbuf_puts(&buf, text);
	for (int i = 0; i < rows; i++)
		strbuf_puts(&buf, "\n ");
	newtTextboxSetText(box, strbuf_str(&buf));
	strbuf_free(&buf);
}

void wizard_add_missing(struct page_ctx *pc, int row, const char *head,
                        const struct strbuf *missing)
{
	newtComponent t;

	if (!missing->len)
		return;
	t = newtTextbox(1, row + 1, pc->width - 2,
	                pc->height - row - 1 > 1 ? pc->height - row - 1 : 1,
	                NEWT_FLAG_WRAP | NEWT_FLAG_SCROLL);
	newtTextboxSetText(t, missing->buf);
	newtComponentTakesFocus(t, 0);
	newtFormAddComponents(pc->form, newtLabel(1, row, head), t, NULL);
}

newtComponent wizard_textbox(int left, int top, int width, int height, const char *text, bool focus)
{
	/* a scroll bar takes two more columns */
	newtComponent t = newtTextbox(left, top, focus ? width - 2 : width, height,
	                              NEWT_FLAG_WRAP | (focus ? NEWT_FLAG_SCROLL : 0));
	newtTextboxSetText(t, text);
	return t;
}

/* Window size for the screen, within the limits; at least 80x24 is needed
 * for everything to show. */
static void dialog_size(int want_w, int want_h, int *w, int *h)
{
	int cols, rows;

	newtGetScreenSize(&cols, &rows);
	*w = want_w < cols - 6 ? want_w : cols - 6;
	*h = want_h < rows - 6 ? want_h : rows - 6;
	if (*w < 20)
		*w = 20;
	if (*h < 5)
		*h = 5;
}

static void show_text_window(const char *title, const char *text)
{
	char *flowed;
	int w, h, tw, th, fw, fh;
	newtComponent form, tb, ok;
	struct newtExitStruct es;

	dialog_size(70, 18, &w, &h);
	tw = w - 4;
	flowed = newtReflowText((char *)text, tw, 0, 0, &fw, &fh);
	th = fh < h - 5 ? fh : h - 5;
	if (th < 1)
		th = 1;
	/* text, a blank row, a button four rows high (it has a shadow) */
	newtCenteredWindow((unsigned)w, (unsigned)(th + 5), title);
	form = wizard_form_new();
	tb = newtTextbox(1, 0, fh > th ? tw : tw + 2, th, fh > th ? NEWT_FLAG_SCROLL : 0);
	newtTextboxSetText(tb, flowed);
	free(flowed);
	ok = newtButton((w - 6) / 2, th + 1, _("OK"));
	newtFormAddComponents(form, tb, ok, NULL);
	newtFormSetCurrent(form, ok);
	for (;;) {
		wizard_form_run(form, &es);
		if (es.reason == NEWT_EXIT_COMPONENT ||
		    (es.reason == NEWT_EXIT_HOTKEY &&
		     (es.u.key == NEWT_KEY_ESCAPE || es.u.key == NEWT_KEY_F12)))
			break;
	}
	newtFormDestroy(form);
	newtPopWindow();
}

void wizard_message(const char *title, const char *text)
{
	show_text_window(title, text);
}

void wizard_show_page_help(enum wizard_page_id page)
{
	struct strbuf text;
	const char *keys = wizard_page_keys(page, WFACE_SCREEN);

	strbuf_init(&text);
	strbuf_puts(&text, wizard_page_help(page));
	if (*keys)
		strbuf_printf(&text, "\n\n%s", keys);
	show_text_window(wizard_page_title(page), strbuf_str(&text));
	strbuf_free(&text);
}

bool wizard_confirm(const char *title, const char *text, const char *yes, const char *no)
{
	char *flowed;
	int w, h, fw, fh, yw = (int)strlen(yes) + 5, nw = (int)strlen(no) + 5;
	newtComponent form, tb, by, bn;
	struct newtExitStruct es;
	bool answer = false;

	dialog_size(64, 14, &w, &h);
	flowed = newtReflowText((char *)text, w - 4, 0, 0, &fw, &fh);
	if (fh > h - 5)
		fh = h - 5;
	newtCenteredWindow((unsigned)w, (unsigned)(fh + 5), title);
	form = wizard_form_new();
	tb = newtTextbox(2, 0, w - 4, fh, 0);
	newtTextboxSetText(tb, flowed);
	free(flowed);
	by = newtButton((w - yw - nw - 4) / 2, fh + 1, yes);
	bn = newtButton((w - yw - nw - 4) / 2 + yw + 4, fh + 1, no);
	newtFormAddComponents(form, tb, by, bn, NULL);
	newtFormSetCurrent(form, bn);
	for (;;) {
		wizard_form_run(form, &es);
		if (es.reason == NEWT_EXIT_COMPONENT) {
			answer = es.u.co == by;
			break;
		}
		if (es.reason == NEWT_EXIT_HOTKEY && es.u.key == NEWT_KEY_ESCAPE)
			break;
	}
	newtFormDestroy(form);
	newtPopWindow();
	return answer;
}

bool wizard_ask_text(const char *title, const char *label, char *buf, size_t size)
{
	int w, h;
	newtComponent form, lb, en, ok, cancel;
	struct newtExitStruct es;
	bool answer = false;

	dialog_size(66, 8, &w, &h);
	newtCenteredWindow((unsigned)w, 7, title);
	form = wizard_form_new();
	lb = newtLabel(2, 0, label);
	en = newtEntry(2, 1, buf, w - 4, NULL, NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
	ok = newtButton(w / 2 - 14, 3, _("OK"));
	cancel = newtButton(w / 2 + 2, 3, _("Cancel"));
	newtFormAddComponents(form, lb, en, ok, cancel, NULL);
	for (;;) {
		wizard_form_run(form, &es);
		if (es.reason == NEWT_EXIT_COMPONENT && (es.u.co == ok || es.u.co == en)) {
			snprintf(buf, size, "%s", newtEntryGetValue(en));
			answer = true;
			break;
		}
		if (es.reason == NEWT_EXIT_COMPONENT ||
		    (es.reason == NEWT_EXIT_HOTKEY && es.u.key == NEWT_KEY_ESCAPE))
			break;
	}
	newtFormDestroy(form);
	newtPopWindow();
	return answer;
}

/* --- the frame ----------------------------------------------------------------------- */

static void draw_background(void)
{
	char line[MODEL_PATH_MAX + 64];
	int cols;

	newtCls();
	newtGetScreenSize(&cols, NULL);
	/* TRANSLATORS: the top line of the screen; %s is the version */
	snprintf(line, sizeof(line), _(" ntpwiz %s - set up the NTP daemon"), PACKAGE_VERSION);
	newtDrawRootText(0, 0, line);
	if (!sysops_root_is_host()) {
		snprintf(line, sizeof(line), _("root: %s "), sysops_root());
		if ((int)strlen(line) < cols - 40)
			newtDrawRootText(cols - (int)strlen(line), 0, line);
	}
	newtPushHelpLine(_(" F1 help  Tab move  Space select  F12 next  Esc back  Ctrl-C quit"));
}

/* Writes the CLOCK_MONOTONIC time of the first drawn page, and the CPU time
 * the process used until then (CLOCK_PROCESS_CPUTIME_ID), to the file named
 * by NTPWIZ_BENCH_FIRST_DRAW (tests/bench/wizard-bench.sh). */
static void bench_stamp(void)
{
	const char *path = getenv("NTPWIZ_BENCH_FIRST_DRAW");
	struct timespec t, cpu;
	char buf[96];
	int n;

	if (!path || !*path)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	n = snprintf(buf, sizeof(buf), "%lld.%09ld %lld.%09ld\n", (long long)t.tv_sec, t.tv_nsec,
	             (long long)cpu.tv_sec, cpu.tv_nsec);
	sysops_write_host_file(path, buf, (size_t)n, 0644);
}

enum frame_action {
	ACT_STAY,
	ACT_NEXT,
	ACT_BACK,
	ACT_REBUILD,
	ACT_RESIZE,
	ACT_QUIT,
};

struct frame {
	newtComponent status, back, next, cancel;
	char problem[WIZARD_LINE_MAX];
};

/* Shows why Next is unavailable, or nothing; Next takes focus only when
 * the page is complete. Returns whether it is. */
static bool update_validity(const struct wizard_page *pg, struct page_ctx *pc, struct frame *f)
{
	const char *p = wizard_page_problem(pc->ws, pg->id, f->problem, sizeof(f->problem));

	if (!p)
		f->problem[0] = '\0';
	newtTextboxSetText(f->status, f->problem);
	newtComponentTakesFocus(f->next, p == NULL);
	return p == NULL;
}

static bool confirm_cancel(const struct wizard_state *ws)
{
	if (ws->applied)
		return true; /* nothing left to discard */
	return wizard_confirm(_("Cancel"),
	                      _("Quit the wizard? Your answers are discarded and nothing is "
	                        "written."),
	                      _("Quit"), _("Stay"));
}

static enum frame_action try_next(const struct wizard_page *pg, struct page_ctx *pc,
                                  struct frame *f)
{
	if (pg->collect)
		pg->collect(pc);
	if (!update_validity(pg, pc, f)) {
		newtBell();
		return ACT_STAY;
	}
	if (pg->before_next && !pg->before_next(pc))
		return ACT_STAY;
	return ACT_NEXT;
}

static enum frame_action run_page(const struct wizard_page *pg, struct page_ctx *pc,
                                  struct frame *f)
{
	struct newtExitStruct es;
	enum frame_action a;

	for (;;) {
		update_validity(pg, pc, f);
		if (resized)
			return ACT_RESIZE;
		wizard_form_run(pc->form, &es);
		switch (es.reason) {
		case NEWT_EXIT_TIMER:
			newtFormSetTimer(pc->form, 0);
			if (pg->changed)
				pg->changed(pc);
			continue;
		case NEWT_EXIT_FDREADY:
		case NEWT_EXIT_ERROR:
			continue;
		case NEWT_EXIT_HOTKEY:
			if (es.u.key == NEWT_KEY_F1) {
				wizard_show_page_help(pg->id);
				continue;
			}
			if (es.u.key == NEWT_KEY_ESCAPE) {
				if (pg->id != WPAGE_WELCOME)
					return ACT_BACK;
				if (confirm_cancel(pc->ws))
					return ACT_QUIT;
				continue;
			}
			if (es.u.key == NEWT_KEY_F12) {
				if ((a = try_next(pg, pc, f)) == ACT_NEXT)
					return a;
				continue;
			}
			continue;
		case NEWT_EXIT_COMPONENT:
			break;
		}
		if (es.u.co == f->next) {
			if ((a = try_next(pg, pc, f)) == ACT_NEXT)
				return a;
			continue;
		}
		if (es.u.co == f->back)
			return ACT_BACK;
		if (es.u.co == f->cancel) {
			if (confirm_cancel(pc->ws))
				return ACT_QUIT;
			continue;
		}
		switch (pg->event ? pg->event(pc, es.u.co) : PAGE_STAY) {
		case PAGE_STAY:
			continue;
		case PAGE_REBUILD:
			return ACT_REBUILD;
		case PAGE_BACK:
			return ACT_BACK;
		case PAGE_NEXT:
			if ((a = try_next(pg, pc, f)) == ACT_NEXT)
				return a;
			continue;
		}
	}
}

/* Below 80x24 the pages do not fit (radio markers were clipped at 60x20):
 * say so and wait for a larger terminal instead of drawing a broken page.
 * false when the operator leaves (Esc, Ctrl-C) instead. */
static bool big_enough(void)
{
	for (;;) {
		int cols, rows;
		char line[160];
		newtComponent form;
		struct newtExitStruct es;

		newtGetScreenSize(&cols, &rows);
		if (cols >= WIZARD_MIN_COLS && rows >= WIZARD_MIN_ROWS)
			return true;
		newtCls();
		snprintf(line, sizeof(line),
		         _("This terminal is %dx%d; the wizard needs at least %dx%d."), cols, rows,
		         WIZARD_MIN_COLS, WIZARD_MIN_ROWS);
		newtDrawRootText(0, 0, line);
		newtDrawRootText(0, 1, _("Enlarge the terminal to 80x24, or press Esc to quit"));
		newtDrawRootText(0, 2, _("(ntpwiz --text asks the same questions line by line)."));
		newtRefresh();
		form = wizard_form_new();
		newtFormSetTimer(form, 300);
		for (;;) {
			install_signals();
			newtFormRun(form, &es);
			if (es.reason == NEWT_EXIT_FDREADY) {
				drain_pipe();
				if (got_signal)
					quit_on_signal(got_signal);
			}
			if (es.reason == NEWT_EXIT_HOTKEY &&
			    (es.u.key == NEWT_KEY_ESCAPE || es.u.key == KEY_CTRL_C)) {
				if (es.u.key == KEY_CTRL_C)
					quit_on_signal(SIGINT);
				newtFormDestroy(form);
				return false;
			}
			if (resized || es.reason == NEWT_EXIT_TIMER)
				break;
		}
		newtFormDestroy(form);
		if (resized) {
			resized = 0;
			newtFinished();
			newtInit();
			install_signals();
			draw_background();
		}
	}
}

/* Opens the page's window and builds its form. */
static void build_page(const struct wizard_page *pg, struct page_ctx *pc, struct frame *f)
{
	char title[128];
	int cols, rows, w, h, nw, bw;
	const char *next_label = _(pg->next_label);
	const char *cancel_label = pc->ws->applied ? _("Close") : _("Cancel");

	newtGetScreenSize(&cols, &rows);
	w = cols - 4;
	w = w > MAX_COLS ? MAX_COLS : w < MIN_COLS ? MIN_COLS : w;
	h = rows - 5;
	h = h > MAX_ROWS ? MAX_ROWS : h < 15 ? 15 : h;
	/* TRANSLATORS: window title: page number, page count, page title */
	snprintf(title, sizeof(title), _("%d/%d %s"), (int)pg->id + 1, WPAGE_COUNT,
	         wizard_page_title(pg->id));
	newtOpenWindow((cols - w) / 2, 2, (unsigned)w, (unsigned)h, title);
	pc->form = wizard_form_new();
	pc->width = w - 2;
	pc->height = h - STATUS_ROWS - BUTTON_ROWS;
	pc->focus = NULL;
	current_page = pc;
	pg->build(pc);
	f->status =
	    newtTextbox(1, h - STATUS_ROWS - BUTTON_ROWS, w - 2, STATUS_ROWS, NEWT_FLAG_WRAP);
	nw = (int)strlen(next_label) + 5;
	bw = (int)strlen(_("Back")) + 5;
	f->back = newtButton(w - 1 - nw - 2 - bw, h - BUTTON_ROWS, _("Back"));
	f->next = newtButton(w - 1 - nw, h - BUTTON_ROWS, next_label);
	f->cancel = newtButton(1, h - BUTTON_ROWS, cancel_label);
	newtFormAddComponents(pc->form, f->status, f->back, f->next, f->cancel, NULL);
	if (pg->id == WPAGE_WELCOME)
		newtComponentTakesFocus(f->back, 0);
	newtComponentTakesFocus(f->status, 0);
	newtFormSetCurrent(pc->form, pc->focus ? pc->focus : f->next);
	if (!update_validity(pg, pc, f) && !pc->focus)
		newtFormSetCurrent(pc->form, f->cancel);
}

static void teardown_page(struct page_ctx *pc)
{
	current_page = NULL;
	newtFormDestroy(pc->form);
	pc->form = NULL;
	newtPopWindow();
}

int wizard_run(struct wizard_state *ws, const struct ui_opts *o)
{
	enum wizard_page_id cur = WPAGE_WELCOME;
	bool first = true;
	int rc = UI_EXIT_ERROR;

	if (pipe(sig_pipe) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	if (newtInit() < 0) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		return -1;
	}
	newt_active = true;
	quit_state = ws;
	atexit(restore_terminal);
	install_signals(); /* after newtInit: replaces its SIGWINCH handler */
	draw_background();
	for (;;) {
		const struct wizard_page *pg = pages[cur];
		struct page_ctx pc = {.ws = ws, .opts = o};
		struct frame f;
		enum frame_action a;

		if (!big_enough()) {
			rc = UI_EXIT_ERROR;
			break;
		}
		build_page(pg, &pc, &f);
		newtDrawForm(pc.form);
		newtRefresh();
		if (first) {
			bench_stamp();
			first = false;
		}
		if (pg->shown) {
			bool was_applied = ws->applied;
			pg->shown(&pc);
			if (ws->applied != was_applied) {
				/* Cancel is Close now: build the page again */
				teardown_page(&pc);
				continue;
			}
		}
		a = run_page(pg, &pc, &f);
		if (a != ACT_QUIT && pg->collect)
			pg->collect(&pc);
		teardown_page(&pc);
		if (a == ACT_QUIT) {
			rc = ws->applied && !ws->apply_failed ? UI_EXIT_OK : UI_EXIT_ERROR;
			break;
		}
		if (a == ACT_RESIZE) {
			resized = 0;
			newtFinished();
			newtInit();
			install_signals();
			draw_background();
			continue;
		}
		if (a == ACT_BACK && cur > WPAGE_WELCOME)
			cur--;
		if (a == ACT_NEXT) {
			if (cur + 1 == WPAGE_COUNT) {
				rc = !ws->applied || !ws->apply_failed ? UI_EXIT_OK : UI_EXIT_ERROR;
				break;
			}
			cur++;
		}
	}
	restore_terminal();
	reset_signals();
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	quit_state = NULL;
	return rc;
}
