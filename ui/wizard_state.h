/*
 * wizard_state: the wizard's page logic without a terminal. The newt pages
 * and line mode both ask the same questions through it: what was detected,
 * which daemons there are, the server list and its edits, the leap modes
 * and access policies the chosen daemon can express (and why the others
 * are missing), whether a page is complete, the preview, saving a profile
 * and applying. Everything goes into the model through its setters.
 */
#ifndef NTPWIZ_WIZARD_STATE_H
#define NTPWIZ_WIZARD_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "apply.h"
#include "backend.h"
#include "detect.h"
#include "errlist.h"
#include "model.h"
#include "strbuf.h"

enum wizard_page_id {
	WPAGE_WELCOME,
	WPAGE_DAEMON,
	WPAGE_SERVERS,
	WPAGE_LEAP,
	WPAGE_POLICY,
	WPAGE_ADVANCED, /* issue 16: skippable; rows in wizard_advanced.c */
	WPAGE_SUMMARY,
	WPAGE_APPLY,
	WPAGE_MONITOR,
	WPAGE_COUNT,
};

/* Longest text typed into the LAN networks field. */
#define WIZARD_ALLOW_TEXT_MAX 1024
/* One line of text the pages show (a reason, a row). */
#define WIZARD_LINE_MAX 512
#define WIZARD_IMPORT_NOTES 6

struct wizard_state {
	struct setup setup;
	struct detect_info host;
	const struct backend *backend;          /* the chosen daemon, never NULL */
	char allow_text[WIZARD_ALLOW_TEXT_MAX]; /* the LAN networks as typed */
	bool allow_ok;                          /* allow_text parsed into setup.allow */
	char allow_problem[WIZARD_LINE_MAX];    /* why not, "" when it did */
	char profile_path[MODEL_PATH_MAX];      /* last profile saved, or --save-profile */
	/* The current config the setup was pre-filled from ("" when the
	 * distribution's defaults were used), and what it had that ntpwiz
	 * cannot carry over (the first WIZARD_IMPORT_NOTES of import_total). */
	char imported_from[MODEL_PATH_MAX];
	char import_notes[WIZARD_IMPORT_NOTES][WIZARD_LINE_MAX];
	size_t import_total;
	char outcome[WIZARD_LINE_MAX]; /* the last apply's outcome line, for the terminal */
	bool applied; /* apply_run has run (see report) */
	bool apply_failed;
	/* What the file is rendered for (target.h); its `asked` says when the
	 * release's package installs another daemon than the one picked
	 * (Debian's "ntp" is NTPsec). The rest is read at each render. */
	struct target_facts target;
	/* The Advanced page: why a field is refused ("" when none is). */
	char advanced_problem[WIZARD_LINE_MAX];
};

struct wizard_daemon_row {
	const struct backend *backend;
	bool installed, enabled, running;
	const char *version; /* "" when unknown */
	char status[64];     /* translated: "installed, running", "not installed" */
};

/* A leap mode or an access policy as a page offers it. */
struct wizard_choice {
	int value;           /* enum leap_mode / enum restrict_policy */
	const char *name;    /* as in profiles: "step", "lan" */
	const char *label;   /* translated: "Step (recommended)" */
	const char *explain; /* translated, one or two sentences */
	const char *refusal; /* translated reason the daemon cannot; NULL: offered */
};

/* The fields of one server as the edit dialog / a line of input has them. */
struct wizard_server_fields {
	const char *host;
	enum server_kind kind;
	bool iburst, nts, prefer;
	/* source selection and authentication (issue 16): the key ID and
	 * maxdelay (seconds) as typed, "" or NULL for none */
	bool noselect, trust, xleave;
	const char *key, *maxdelay;
};

/* Resets w for the host that detect_run described, picks the default
 * daemon and pre-fills the servers (wizard_prefill). Returns 0, or -1 with
 * errors when the pre-fill failed (w is usable all the same). */
int wizard_init(struct wizard_state *w, const struct detect_info *host, struct errlist *errs);

/*
 * Fills the server list a fresh wizard starts from: for now the
 * distribution's defaults (distro_apply_default_servers); later also the
 * current config file's servers, through its importer. The servers become
 * an explicit list, so a saved profile replays the same on any host.
 */
int wizard_prefill(struct wizard_state *w, struct errlist *errs);

/* The daemon to offer first: the running one, else an enabled one, else
 * an installed one, else the one whose config file exists, else chrony. */
const struct backend *wizard_default_daemon(const struct detect_info *host);

/* One row per daemon, in backend_all() order; returns the count. */
size_t wizard_daemon_rows(const struct wizard_state *w, struct wizard_daemon_row *rows, size_t max);

/* Chooses the daemon. A leap mode or policy the new daemon cannot express
 * falls back to the default (step, client-only) and a warning in errs says
 * so; NTS on a server the daemon cannot do is left for the Servers page to
 * flag. */
void wizard_set_daemon(struct wizard_state *w, const struct backend *b, struct errlist *errs);
bool wizard_daemon_installed(const struct wizard_state *w);

/* Fewer than 4 time sources (a pool counts as several, model_source_count):
 * why a falseticker then cannot be outvoted, as a warning that refuses
 * nothing (issue 16 section 3), into buf; NULL with 4 or more. */
#define WIZARD_MIN_SOURCES 4
const char *wizard_servers_warning(const struct wizard_state *w, char *buf, size_t size);
/* "pool    2.debian.pool.ntp.org    iburst, prefer" into buf. */
const char *wizard_server_text(const struct server *srv, char *buf, size_t size);
/* Why these fields cannot be server `index` (-1: a new one), or NULL. For
 * the message next to the field while typing. Translated, into buf. */
const char *wizard_server_problem(const struct wizard_state *w, int index,
                                  const struct wizard_server_fields *f, char *buf, size_t size);
/* Adds (index -1) or replaces a server; -1 with the reason in errs. An
 * edited server keeps what the fields do not show (minpoll, maxpoll,
 * weight). */
int wizard_server_put(struct wizard_state *w, int index, const struct wizard_server_fields *f,
                      struct errlist *errs);
int wizard_server_remove(struct wizard_state *w, size_t index);
/* Parses one line "HOST [pool|server] [nts] [prefer] [noiburst]
 * [noselect] [trust] [xleave] [maxdelay SECONDS] [key ID]" (line mode) into
 * f; host points into line, which is modified. NULL or the reason
 * (translated, static). */
const char *wizard_server_parse(char *line, struct wizard_server_fields *f);

/*
 * Symmetric keys (issue 16 section 2), as the wizard and line mode show
 * them: never a secret, only "key 1 (AES128CMAC, set)".
 *
 * wizard_keys_problem: why the servers' keys cannot be used with the key
 * file named (keys.file, read under the root): the file's own problem
 * (keys_load's messages), "server X uses key N, which FILE does not have",
 * or a type the daemon cannot use. need_file: a server with a key and no
 * key file is a problem too (the Advanced page, where the file is named);
 * without it that waits for the Advanced page (the Servers page). NULL
 * when there is none.
 */
const char *wizard_keys_problem(const struct wizard_state *w, bool need_file, char *buf,
                                size_t size);
/* What key `id` is, for the edit dialog: "key 1 (AES128CMAC, set)", or
 * why it is not usable ("not in FILE", "the key file is named on the
 * Advanced page"). Into buf; "" for id 0. */
const char *wizard_key_text(const struct wizard_state *w, unsigned id, char *buf, size_t size);
/* The daemon's key file ntpwiz would write and what it would hold, for the
 * Summary and line mode's preview: "/etc/chrony/chrony.keys (mode 0640,
 * from /etc/ntpwiz/keys): key 1 (AES128CMAC, set)". NULL when no server
 * uses a key or the keys cannot be read. */
const char *wizard_keys_summary(const struct wizard_state *w, char *buf, size_t size);

/*
 * Operator lines for the chosen daemon (extra.<daemon>, issue 16 section
 * 8), as the Advanced page's editor and line mode add and remove them.
 * wizard_extra_problem: why text cannot be added (extra.c's rules: the
 * refusal names the policy for access directives), translated, into buf;
 * NULL when it can.
 */
const struct setup_extra *wizard_extra(const struct wizard_state *w);
const char *wizard_extra_problem(const struct wizard_state *w, const char *text, char *buf,
                                 size_t size);
int wizard_extra_add(struct wizard_state *w, const char *text, struct errlist *errs);
int wizard_extra_remove(struct wizard_state *w, size_t index);

/* Every leap mode / policy with its explanation and, when the chosen daemon
 * cannot do it, the reason. Returns the count (LEAP_COUNT / POLICY_COUNT). */
size_t wizard_leap_choices(const struct wizard_state *w, struct wizard_choice *out);
/* When every server smears leap seconds: a sentence saying the host follows
 * them (in buf), for the Leap page; else NULL. */
const char *wizard_leap_follow(const struct wizard_state *w, char *buf, size_t size);
size_t wizard_policy_choices(const struct wizard_state *w, struct wizard_choice *out);
/* -1 with the daemon's reason in errs when it cannot. */
int wizard_set_leap(struct wizard_state *w, enum leap_mode m, struct errlist *errs);
int wizard_set_policy(struct wizard_state *w, enum restrict_policy p, struct errlist *errs);
/* The LAN networks as typed: addresses or CIDRs separated by spaces or
 * commas. Parsed into the model when valid; otherwise allow_problem says
 * why and the model keeps no networks. Returns 0 or -1. */
int wizard_set_allow_text(struct wizard_state *w, const char *text);

/* Why a page is not complete yet (translated, into buf), or NULL when Next
 * may be taken. */
const char *wizard_page_problem(const struct wizard_state *w, enum wizard_page_id page, char *buf,
                                size_t size);

/* The config file path (inside the root) the chosen daemon uses. */
const char *wizard_conf_path(const struct wizard_state *w);
/* Renders the config into text and, when diff is not NULL, the unified
 * diff against the current file into diff (*exists says whether there is
 * one). 0, or -1 with errors. */
int wizard_render(const struct wizard_state *w, struct strbuf *text, struct strbuf *diff,
                  bool *exists, struct errlist *errs);
/* The unified diff of the daemon's defaults file (startopts.h) that apply
 * writes in the same change ("" when none): shown after the config's. */
int wizard_render_companion(const struct wizard_state *w, struct strbuf *diff,
                            struct errlist *errs);
/* The mark that ends a piece of a line too wide for the window. */
#define WIZARD_WRAP_MARK "\\"
/* Copies text to out with every line wider than cols display columns
 * broken into pieces that fit, each piece but the last ending in
 * WIZARD_WRAP_MARK: every character of the file stays visible (the
 * Summary promises the exact file). Returns how many breaks were made. */
size_t wizard_wrap_exact(const char *text, int cols, struct strbuf *out);
/* Writes the choices as a profile to path on the host (atomic, 0644) and
 * remembers its full path (a relative one is in the current folder).
 * 0, or -1 with errors. */
int wizard_save_profile(struct wizard_state *w, const char *path, struct errlist *errs);
/* The command that replays a saved profile, ready to paste into a shell:
 * "ntpwiz apply PROFILE", each word quoted when it needs it, with --root
 * when one is in use (without it the replay would change this host). */
const char *wizard_replay_command(const char *profile, char *buf, size_t size);
/* apply's pre-flight for the choices (apply_preflight): why Apply would
 * be refused before it touches anything. 0, or -1 with errors. */
int wizard_preflight(const struct wizard_state *w, const struct apply_opts *o,
                     struct errlist *errs);
/* The same as text for a page: "Apply would be refused..." and one line
 * per problem into out; -1 when it would be, 0 (out untouched) if not. */
int wizard_preflight_text(const struct wizard_state *w, const struct apply_opts *o,
                          struct strbuf *out);
/* Applies the choices (as `ntpwiz apply`: under --root the service is
 * enabled for the next boot, not restarted). */
int wizard_apply(struct wizard_state *w, const struct apply_opts *o, struct apply_report *rep,
                 struct errlist *errs);
/* One line describing the outcome of an apply (as the CLI prints it). */
const char *wizard_apply_outcome(const struct apply_report *rep, bool failed, char *buf,
                                 size_t size);

/* Help text per page (translated): what the page is about, the same on the
 * screen and in line mode; then how to use it, which differs (F1 on the
 * screen, "?" in line mode; "" where there is nothing to add). */
enum wizard_face { WFACE_SCREEN, WFACE_LINE, WFACE_COUNT };
const char *wizard_page_help(enum wizard_page_id page);
const char *wizard_page_keys(enum wizard_page_id page, enum wizard_face face);
const char *wizard_page_title(enum wizard_page_id page);

/* The detection summary the Welcome page and line mode show (translated,
 * several lines). */
void wizard_describe_host(const struct wizard_state *w, struct strbuf *out);

#endif
