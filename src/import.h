/*
 * import: an existing config file of a daemon into the daemon-neutral
 * model (struct setup), and the list of what the model cannot hold.
 *
 * Each backend's parser (backend->import) is pure: text in, model and notes
 * out, no file I/O, so it can be fuzzed. Every value goes through the
 * model's setters (validate). A line, or an option on a line, that the
 * model cannot hold becomes a note with its file, line and the reason,
 * saying whether ntpwiz keeps it as it is (it lives in a file ntpwiz does
 * not rewrite) or drops it (it is not in the file ntpwiz writes). Nothing
 * is dropped silently; only lines ntpwiz writes itself the same way
 * (restrict 127.0.0.1, bindcmdaddress ::1, ...) go without a note.
 *
 * The model is daemon-neutral, so switching daemons just works: import
 * ntpd's file, set s->daemon to chrony, render. A drift file that is the
 * old daemon's default is left unset (import_text), so the new daemon gets
 * its own default.
 */
#ifndef NTPWIZ_IMPORT_H
#define NTPWIZ_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "distro.h"
#include "errlist.h"
#include "model.h"

enum import_fate {
	IMPORT_DROPPED, /* not in the file ntpwiz writes */
	IMPORT_KEPT,    /* stays in effect as it is (a file ntpwiz does not rewrite) */
};

struct import_note {
	char *file;   /* the config file it is in ("" when unknown) */
	int line;     /* 1-based */
	char *text;   /* the line (or option) as written, control characters but TAB as '?' */
	char *reason; /* translated */
	enum import_fate fate;
	bool high; /* changes what the time service does: read it before applying */
};

struct import_notes {
	struct import_note *v;
	size_t n, cap;
	/* Context for the notes being added (set by the caller of a parser):
	 * the file name, and whether that file stays as it is after apply. */
	const char *file;
	bool file_kept;
	/* set by the parsers: the file names a leap-second source of its own
	 * (leapsectz, leapfile), which a host of smearing servers must not use */
	bool local_leap;
};

void import_notes_init(struct import_notes *n);
void import_notes_free(struct import_notes *n);
const char *import_fate_name(enum import_fate f); /* "kept", "dropped" (not translated) */

/*
 * Parses text (one config file of backend b) into s, which must have been
 * set up by the caller (model_init; import_text does it). The same setup
 * may be given several files in order (timesyncd's drop-ins): later files
 * add to or reset what earlier ones said, as the daemon does. Returns 0;
 * -1 only when the text cannot be read at all (a NUL byte, out of memory),
 * with the reason in errs. Lines that do not map are notes, not errors.
 */
int import_text(const struct backend *b, enum distro_family f, const char *text, size_t len,
                struct setup *s, struct import_notes *notes, struct errlist *errs);

/*
 * Reads the daemon's current config under the root in use (sysops) into s
 * (model_init'ed here; s->daemon = b->id). timesyncd: the main file and
 * every drop-in, in systemd's order. Returns 0, 1 when there is no config
 * file (s keeps the defaults), -1 on a read error (errs).
 */
int import_current(const struct backend *b, enum distro_family f, struct setup *s,
                   struct import_notes *notes, struct errlist *errs);

/*
 * The config files daemon b reads, in the order it reads them, as paths
 * under the root in use: its one file, or for timesyncd the main file and
 * every drop-in that exists, in systemd's order. The list may name files
 * that do not exist (the main files); free it with sysops_free_names.
 * Returns 0, or -1 out of memory.
 */
int import_config_files(const struct backend *b, enum distro_family f, char ***paths,
                        size_t *count);

/*
 * The servers timesyncd would use once own_text (a rendered drop-in) is
 * ntpwiz's drop-in: timesyncd.conf, then every drop-in in systemd's order,
 * as under the root in use. changed_by gets the first file read after
 * ntpwiz's that changes the list ("" if none). 0, or -1 on a read error.
 */
int import_timesyncd_effective(enum distro_family f, const char *own_text, struct setup *s,
                               char *changed_by, size_t size);

/* --- for the backends' parsers ------------------------------------------------- */

#define IMPORT_MAX_WORDS 32

/* One directive: its words (NUL-terminated copies), its line, the raw text. */
struct import_line {
	int line;
	char *words[IMPORT_MAX_WORDS];
	size_t nwords;
	bool truncated;  /* more than IMPORT_MAX_WORDS words */
	const char *raw; /* the whole line, trimmed, NUL-terminated */
};

enum import_comments {
	IMPORT_HASH_ANYWHERE, /* ntpd, NTPsec, OpenNTPD: '#' ends the line */
	IMPORT_CHRONY,        /* a line whose first non-blank is # ! ; % */
	IMPORT_INI,           /* systemd: a line starting with # or ; */
};

/* Calls fn for each non-empty, non-comment line (OpenNTPD's "quoted
 * strings" stay one word). Stops and returns fn's non-zero value. */
int import_each_line(const char *text, size_t len, enum import_comments style,
                     int (*fn)(const struct import_line *l, void *ctx), void *ctx);

/* Adds a note about line l (the whole line) / one of its options. */
void import_note(struct import_notes *n, const struct import_line *l, const char *reason);
void import_note_text(struct import_notes *n, int line, const char *text, const char *reason);
/* Adds a note whose reason is the first error the setters put in scratch
 * (then clears scratch). */
void import_note_refused(struct import_notes *n, const struct import_line *l,
                         struct errlist *scratch);

/* A note that matters most (import_note.high), file and line as given. */
void import_note_high(struct import_notes *n, const char *file, int line, const char *text,
                      const char *reason);

/*
 * After an import: when it gave no usable server, puts the distribution's
 * default servers (distro_apply_default_servers) into s, so the profile
 * shows them, and adds a high note that names the lines that named time
 * sources and the servers used instead. Never one without the other.
 * Returns 1 when it did, 0 when s had servers, -1 on error (errs).
 */
struct distro;
int import_default_servers(const struct distro *d, struct setup *s, struct import_notes *notes,
                           struct errlist *errs);

/* After an import: servers that mix smearing and non-smearing ones get a
 * high note naming both groups (render refuses the mix); servers that all
 * smear get a note that no local leap second is written (smear.h). */
void import_note_smear(const struct setup *s, struct import_notes *notes);

/* Source selection and orphan mode (issue 16). A server option of
 * chrony (chrony true) or ntpd/NTPsec: noselect, trust/true, xleave and
 * maxdelay (chrony); true when w was one (val consumed for maxdelay). */
bool import_selection_option(struct setup *s, struct server *srv, const struct import_line *l,
                             const char *w, const char *val, bool chrony, struct import_notes *n,
                             struct errlist *scratch);
/* A whole line: chrony's minsources, maxdistance, local; ntpd's tos.
 * True when the directive was one of them (noted where not kept). */
bool import_selection_line(struct setup *s, const struct import_line *l, bool chrony,
                           struct import_notes *n, struct errlist *scratch);
/* Once the policy is known: orphan mode on a host that serves no one is
 * dropped with a note (the model refuses it). */
void import_settle_orphan(struct setup *s, struct import_notes *n);

/* A note about one option of line l ("minpoll 99") rather than the line. */
void import_note_option(struct import_notes *n, const struct import_line *l, const char *opt,
                        const char *val, const char *reason);

/*
 * The options of a server or pool line from words[first] on, as chrony,
 * ntpd and NTPsec share them: iburst, prefer, nts (when nts_ok; a pool is
 * noted, never NTS), minpoll/maxpoll through the model's setters; any other
 * option is noted, and skipped with its value when it is one of `valued`
 * (NULL-terminated, the daemon's options that take one). Then a maxpoll
 * below minpoll is dropped with a note naming `daemon`, whose default then
 * applies, and srv (host and kind already set) is added to s, or the
 * refusal noted.
 */
void import_server_options(struct setup *s, struct server *srv, const struct import_line *l,
                           size_t first, const char *const *valued, bool nts_ok, const char *daemon,
                           struct import_notes *n, struct errlist *scratch);

/* Parses a whole decimal integer in [min, max]; false otherwise. */
bool import_long(const char *s, long min, long max, long *out);

/* issue 16 section 2: chrony's "keyfile PATH" / ntpd's "keys PATH" becomes
 * keys.file (ntp_format: ntpd's key syntax, keys.format = "ntp"). */
void import_keys_file(struct setup *s, const struct import_line *l, bool ntp_format,
                      struct import_notes *n, struct errlist *scratch);
/* issue 16 section 8: a line whose directive daemon d documents and ntpwiz
 * does not write is kept as an operator line (extra) with a note asking the
 * operator to confirm it. false: not such a line (the caller notes it). */
bool import_extra(struct setup *s, enum daemon_id d, const struct import_line *l,
                  struct import_notes *n, struct errlist *scratch);

/* issue 16 sections 6 and 7: serving NTS and hardware timestamping, read
 * line by line into a struct import_nts, settled once the access policy is
 * known (a client-only host serves no one: not kept, noted). */
struct import_nts {
	char cert[MODEL_PATH_MAX], key[MODEL_PATH_MAX];
	int cert_line, key_line, enable_line;
	bool enabled;  /* chrony: always; NTPsec: "nts enable" */
	char raw[256]; /* the first line, for notes */
};
/* chrony's ntsservercert, ntsserverkey, hwtimestamp; NTPsec's nts. false:
 * not such a line. */
bool import_nts_line(struct import_nts *nts, struct setup *s, enum daemon_id d,
                     const struct import_line *l, struct import_notes *n, struct errlist *scratch);
void import_settle_nts(struct import_nts *nts, struct setup *s, struct import_notes *n,
                       struct errlist *scratch);

#endif
