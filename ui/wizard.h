/*
 * wizard: the newt wizard. A table of pages drives it; each page (one file,
 * page_*.c) builds its widgets from the model and collects them back
 * through the wizard_state setters. The frame around them (window, Back /
 * Next / Cancel, F1 help, Esc, resize, signals, the terminal restored on
 * every exit path) lives in wizard.c.
 */
#ifndef NTPWIZ_WIZARD_H
#define NTPWIZ_WIZARD_H

#include <newt.h>
#include <stdbool.h>

#include "ui.h"
#include "wizard_state.h"

enum page_action {
	PAGE_STAY,    /* keep running the form */
	PAGE_REBUILD, /* collect, then build the page again (its content changed) */
	PAGE_NEXT,
	PAGE_BACK,
};

struct page_ctx {
	struct wizard_state *ws;
	const struct ui_opts *opts;
	newtComponent form;
	int width, height;   /* the page's area inside the window */
	newtComponent focus; /* where the cursor starts (NULL: the first widget) */
	bool done;           /* Apply page: apply has run */
};

struct wizard_page {
	enum wizard_page_id id;
	const char *next_label; /* N_() */
	/* Adds the page's widgets to pc->form, from the model. */
	void (*build)(struct page_ctx *pc);
	/* Writes the widgets back into the model (before Next, Back, rebuild). */
	void (*collect)(struct page_ctx *pc);
	/* A widget of the page ended the form (a button, Enter in a list). */
	enum page_action (*event)(struct page_ctx *pc, newtComponent co);
	/* Typing in a watched entry: re-read it and update the labels. */
	void (*changed)(struct page_ctx *pc);
	/* Runs once after the page is drawn (Apply: applies). */
	void (*shown)(struct page_ctx *pc);
	/* After collect, before Next: false stays on the page (a question
	 * was answered no). NULL: go on. */
	bool (*before_next)(struct page_ctx *pc);
};

extern const struct wizard_page page_welcome;
extern const struct wizard_page page_daemon;
extern const struct wizard_page page_servers;
extern const struct wizard_page page_leap;
extern const struct wizard_page page_policy;
extern const struct wizard_page page_advanced;
extern const struct wizard_page page_summary;
extern const struct wizard_page page_apply;
extern const struct wizard_page page_monitor;

/* Runs the wizard on the terminal. Returns a ui_exit code, or -1 when newt
 * cannot start (the caller falls back to line mode). */
int wizard_run(struct wizard_state *ws, const struct ui_opts *o);

/* --- for the pages ------------------------------------------------------------ */

/* newtFormRun with what every form needs: Ctrl-C and signals end the wizard
 * (terminal restored), Esc and F1 come back as hotkeys. */
void wizard_form_run(newtComponent form, struct newtExitStruct *es);
/* A new form with the hotkeys and the signal watch every form has. */
newtComponent wizard_form_new(void);
/* Typing in this entry calls the page's changed() (live validation). */
void wizard_watch_entry(struct page_ctx *pc, newtComponent entry);
/* A scrolling text box showing text. */
newtComponent wizard_textbox(int left, int top, int width, int height, const char *text,
                             bool focus);
/*
 * A page of choices (leap mode, access policy): the question on row 0, a
 * radio button per offered choice from row 1 (the current one set and given
 * the cursor; cb runs when one is chosen), then a box of explain_rows lines
 * for the chosen one's explanation. Choices the daemon cannot do are not
 * offered: each goes to *missing with its reason. Returns the row under
 * the box.
 */
int wizard_add_choices(struct page_ctx *pc, const char *question,
                       const struct wizard_choice *choices, size_t n, int current,
                       newtComponent *radios, newtComponent *explain, int explain_rows,
                       newtCallback cb, struct strbuf *missing);
/* The choice whose radio button is set; NULL when none is. */
const struct wizard_choice *wizard_choice_selected(const struct wizard_choice *choices,
                                                   const newtComponent *radios, size_t n);
/* Shows text in an explanation box of rows lines. newt draws only the lines
 * a text has, so blank lines fill the box: a shorter explanation must not
 * leave the end of the previous one on screen. */
void wizard_set_explain(newtComponent box, const char *text, int rows);
/* From row to the page's end: the head and the choices not offered. */
void wizard_add_missing(struct page_ctx *pc, int row, const char *head,
                        const struct strbuf *missing);
/* A window with a message and an OK button. */
void wizard_message(const char *title, const char *text);
/* F1: the page's help and its keys on the screen, in such a window. */
void wizard_show_page_help(enum wizard_page_id page);
/* A yes/no question; true for yes. */
bool wizard_confirm(const char *title, const char *text, const char *yes, const char *no);
/* Asks for a line of text; false when cancelled. */
bool wizard_ask_text(const char *title, const char *label, char *buf, size_t size);
/* Redraws the screen now (progress during a long step). */
void wizard_refresh(void);

#endif
