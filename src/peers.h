/*
 * peers: what the daemon says about its time sources. Runs the daemon's
 * monitor command (chronyc, ntpq, ntpctl, timedatectl) as a background
 * child with a timeout, and turns its output into rows (tally, remote,
 * refid, stratum, type, when, poll, reach, delay, offset, jitter) and a
 * status (synchronised, stratum, leap, last update). The raw text is kept
 * beside the rows. Failures are states with a one-line explanation and
 * what to try, never crashes. Parsers live in peers_<tool>.c.
 */
#ifndef NTPWIZ_PEERS_H
#define NTPWIZ_PEERS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct backend;
struct sysops_exec_result;

enum peers_state {
	PEERS_OK,          /* the daemon answered (its table may be empty) */
	PEERS_PENDING,     /* no answer yet: the first command still runs */
	PEERS_NOT_RUNNING, /* the tool ran but could not reach the daemon */
	PEERS_NO_COMMAND,  /* the monitor tool is not installed (not on PATH) */
	PEERS_TIMEOUT,     /* the tool was killed at the timeout */
	PEERS_PERMISSION,  /* the tool or the daemon's socket refused this user */
	PEERS_FAILED,      /* the tool failed another way (exit status, signal) */
	PEERS_UNPARSEABLE, /* it printed something, but not a table we know */
	PEERS_STATE_COUNT,
};

/* What the daemon did with a source, told apart by attribute and tally
 * character, so it reads without colour. */
enum peer_class {
	PEER_SELECTED,    /* the system peer: '*' ('o' with PPS) */
	PEER_CANDIDATE,   /* combined with it: '+' */
	PEER_SPARE,       /* usable, not used: ntpd '#' '.' '-', chrony '-' */
	PEER_FALSETICKER, /* 'x' */
	PEER_REJECTED,    /* unreachable, unusable, too variable: ' ' '?' '~' */
	PEER_POOL,        /* a pool entry, not a server (ntpd's type 'p') */
	PEER_CLASS_COUNT,
};

enum peers_leap {
	PEERS_LEAP_UNKNOWN,
	PEERS_LEAP_NONE,   /* normal */
	PEERS_LEAP_INSERT, /* a second will be inserted at the end of the day */
	PEERS_LEAP_DELETE, /* a second will be deleted */
	PEERS_LEAP_ALARM,  /* not synchronised */
};

struct peer_row {
	char tally; /* as the daemon shows it ('*', '+', ' ', 'x', '?'...) */
	enum peer_class cls;
	char remote[256]; /* address or name as the daemon prints it */
	char name[256];   /* a second name the daemon gives ("from pool X"), or "" */
	char refid[64];   /* "" when the daemon shows none (chrony) */
	int stratum;      /* -1 unknown */
	char type;        /* ntpq t: u b l s p B, or '1'-'8' (NTS cookies);
	                     chrony mode: ^ = #; 0 unknown */
	int nts_cookies;  /* 1-8 when ntpq's t is a digit, else 0 */
	double when_s;    /* seconds since the last reply; -1 never/unknown */
	double poll_s;    /* seconds; -1 unknown */
	int reach;        /* the 8-bit reach register, -1 unknown */
	double delay_ms;  /* NAN where the daemon does not say */
	double offset_ms;
	double jitter_ms;
	double error_ms;    /* chrony's +/- error bound; NAN elsewhere */
	char extra[64];     /* what else the daemon shows, in its own words */
	bool flag_unparsed; /* a line we could not read: only raw_line is set */
	char *raw_line;     /* the daemon's line(s) for this row, exactly */
};

struct peers_status {
	bool known; /* the daemon reported its own status */
	bool synchronised;
	int stratum; /* -1 unknown */
	enum peers_leap leap;
	time_t last_update;  /* the daemon's reference time; 0 unknown */
	char reference[128]; /* what it follows (address, refid), "" if none */
	/* Seconds, NAN where the daemon does not say. offset: how far the
	 * system clock is behind the reference as the daemon last estimated it
	 * (positive: slow; chrony's "System time", ntpd's "offset",
	 * timesyncd's "Offset"); root distance: root delay / 2 + root
	 * dispersion, the bound on the clock's error the daemon claims. */
	double offset_s;
	double root_delay_s;
	double root_dispersion_s;
	double root_distance_s;
};

struct peers_snapshot {
	const struct backend *backend;
	enum peers_state state;
	char command[512]; /* the argv, joined by spaces */
	bool names;        /* names instead of addresses were asked for */
	struct peer_row *rows;
	size_t nrows, cap;
	size_t unparsed; /* rows with flag_unparsed */
	struct peers_status status;
	char *raw_out; /* the command's stdout and stderr, exactly */
	size_t raw_out_len;
	char *raw_err;
	size_t raw_err_len;
	int exit_status; /* -1 when it did not exit */
	int signal;
	char detail[256];      /* the tool's own complaint, quoted in explanation */
	char explanation[512]; /* one line, translated; "" for PEERS_OK */
	char hint[256];        /* what to try, translated; may be "" */
	time_t taken;          /* sysops_now() when the answer came */
};

/*
 * The parsers, one per tool (backend->parse_peers): fill snap's rows and
 * status from the command's output and return PEERS_OK when the daemon
 * answered, else PEERS_NOT_RUNNING, PEERS_PERMISSION or PEERS_UNPARSEABLE
 * with snap->detail set to what the tool said.
 */
enum peers_state peers_parse_chrony(const char *out, const char *err, int exit_status,
                                    struct peers_snapshot *snap);
enum peers_state peers_parse_ntpq(const char *out, const char *err, int exit_status,
                                  struct peers_snapshot *snap);
enum peers_state peers_parse_openntpd(const char *out, const char *err, int exit_status,
                                      struct peers_snapshot *snap);
enum peers_state peers_parse_timesyncd(const char *out, const char *err, int exit_status,
                                       struct peers_snapshot *snap);

void peers_snapshot_init(struct peers_snapshot *snap, const struct backend *b);
/* Whether the daemon follows a source: its own status where it reported
 * one, else a row it selected ('*', 'o'). apply's verify tells "running,
 * not yet synchronised" from "synchronised" with it. */
bool peers_synchronised(const struct peers_snapshot *snap);
void peers_snapshot_free(struct peers_snapshot *snap);
/* Appends a row (zeroed, unknowns set); NULL when out of memory. */
struct peer_row *peers_add_row(struct peers_snapshot *snap, const char *raw_line, size_t raw_len);

/* The monitor command for b; with names, the form that shows names (NULL
 * when the daemon's tool has none). */
const char *const *peers_monitor_argv(const struct backend *b, bool names);
bool peers_can_show_names(const struct backend *b);

/* What the explanations may suggest: the daemon's service under the init
 * system in use (enum init_system; INIT_NONE or service NULL: no start
 * command is suggested) and the package that ships its tool (NULL: none
 * is named). */
struct peers_hints {
	int init;
	const char *service;
	const char *package;
};

/* Reads a finished command (rc and r as sysops_exec returned them) into
 * snap (initialised for the backend): state, rows, status, explanation,
 * hint. hints may be NULL. */
void peers_read_result(struct peers_snapshot *snap, int rc, const struct sysops_exec_result *r,
                       const struct peers_hints *hints);

/* A monitor command running in the background. */
struct peers_job;
/* Starts b's monitor command (kept: b and hints must outlive the job).
 * -1 only when out of memory: a command that cannot start still makes a
 * job, whose answer says why. */
int peers_job_start(const struct backend *b, bool names, int timeout_ms,
                    const struct peers_hints *hints, struct peers_job **job);
/* Readable when the job has news (-1: none to wait for, poll at once). */
int peers_job_fd(const struct peers_job *job);
/* Milliseconds until the job must be polled anyway (its timeout). */
int peers_job_wait_ms(const struct peers_job *job);
/* 1 when done: snap (freshly initialised by the caller) holds the answer;
 * 0 while the command runs. Never blocks. */
int peers_job_poll(struct peers_job *job, struct peers_snapshot *snap);
/* Cancels (kills the command) if needed and frees. NULL is a no-op. */
void peers_job_free(struct peers_job *job);

/* Runs the command and waits for it (for --once); snap initialised. */
void peers_collect(const struct backend *b, bool names, int timeout_ms,
                   const struct peers_hints *hints, struct peers_snapshot *snap);

/* The reach register as 8 characters, oldest poll first: '#' a reply,
 * '.' none ("........" for unknown is "--------"). buf holds 9 bytes. */
const char *peers_reach_history(int reach, char buf[9]);
/* Stable names for JSON: "ok", "not-running"...; "selected"...; "none"... */
const char *peers_state_name(enum peers_state s);
const char *peers_class_name(enum peer_class c);
const char *peers_leap_name(enum peers_leap l);
/* The same, translated, for people. */
const char *peers_leap_text(enum peers_leap l);
enum peer_class peers_class_of_tally(char tally);

/* The table as text (peers_format.c), for --once and the ncurses view. */
enum peers_column {
	PCOL_TALLY,
	PCOL_REMOTE,
	PCOL_REFID,
	PCOL_ST,
	PCOL_TYPE,
	PCOL_WHEN,
	PCOL_POLL,
	PCOL_REACH,
	PCOL_DELAY,
	PCOL_OFFSET,
	PCOL_JITTER,
	PCOL_ERROR,
	PCOL_EXTRA,
	PCOL_COUNT,
};
struct peers_layout {
	int width[PCOL_COUNT]; /* 0: the column is not shown */
	int total;
};
/* The columns b's tool fills: a bit per enum peers_column. */
unsigned peers_columns(const struct backend *b);
/* Fits the columns of the snapshot's daemon into cols characters. */
void peers_layout(const struct peers_snapshot *snap, int cols, struct peers_layout *lay);
void peers_format_header(const struct peers_layout *lay, char *buf, size_t size);
/* A row; a line that could not be read is "! " and the line as printed. */
void peers_format_row(const struct peers_layout *lay, const struct peer_row *row, char *buf,
                      size_t size);
/* "synchronised, stratum 4, leap: none, reference X, last update ..." */
void peers_format_status(const struct peers_snapshot *snap, time_t now, char *buf, size_t size);

/* Helpers shared by the parsers. */
/* "12.5", "3.1ms", "-250us", "4ns", "1.2s" -> ms in *ms; unit_ms is the
 * unit of a bare number. false when it is not a number. */
bool peers_parse_ms(const char *s, double unit_ms, double *ms);
/* "5", "3m", "2h", "1d", "-" -> seconds (-1 for "-"); false if neither. */
bool peers_parse_age(const char *s, double *secs);
/* Splits a line into at most max whitespace-separated words (pointers
 * into buf, a copy of the line); returns the count. */
size_t peers_split(const char *line, size_t len, char *buf, size_t bufsize, char **words,
                   size_t max);
/* The first line of text (up to 200 bytes, without the newline), for
 * quoting a tool's complaint. */
void peers_first_line(const char *text, char *out, size_t size);

#endif
