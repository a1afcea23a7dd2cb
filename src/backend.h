/*
 * backend: one table row per daemon (ntp, ntpsec, chrony, openntpd,
 * timesyncd). A row holds what differs between daemons as data (names,
 * paths per distro family, what the daemon can express) and a render
 * function; backend_render() does the checks every daemon shares first.
 * Adding a daemon is one file and one row.
 */
#ifndef NTPWIZ_BACKEND_H
#define NTPWIZ_BACKEND_H

#include <stdbool.h>

#include "distro.h"
#include "errlist.h"
#include "model.h"
#include "peers.h"
#include "strbuf.h"
#include "target.h"

struct import_notes;

struct backend_paths {
	const char *conf;      /* the config file ntpwiz writes */
	const char *service;   /* init system service name */
	const char *package;   /* package that ships the daemon */
	const char *driftfile; /* NULL: the daemon keeps none */
};

/* What detect looks for under a root (paths as the packages install them). */
#define BACKEND_DETECT_BINARIES 3
#define BACKEND_DETECT_MARKS 5
struct backend_detect {
	/* The daemon's binary; the first that exists is reported. */
	const char *binaries[BACKEND_DETECT_BINARIES];
	/* Files only this implementation ships. They tell apart daemons that
	 * list the same binary (ntp.org, NTPsec and OpenNTPD all install
	 * /usr/sbin/ntpd) when no package database says whose it is. */
	const char *marks[BACKEND_DETECT_MARKS];
	/* Takes a shared binary that neither a package nor a mark assigns. */
	bool fallback_owner;
};

struct render_ctx {
	const struct backend *backend;
	const struct setup *setup;
	enum distro_family family;
	const char *conf_path;
	const char *driftfile; /* the profile's, or the family's default */
	/* What is on the target (never NULL; looked = false: nothing known). */
	const struct target_facts *target;
};

struct backend {
	enum daemon_id id;
	const char *name;         /* as in profiles and --daemon */
	const char *display_name; /* N_() */
	const char *description;  /* N_(), one line */
	/* Indexed by family; a NULL field falls back to the FAMILY_GENERIC row. */
	struct backend_paths paths[FAMILY_COUNT];
	/* Why the daemon cannot do a leap mode / policy (N_()), NULL if it can. */
	const char *leap_refusal[LEAP_COUNT];
	const char *policy_refusal[POLICY_COUNT];
	/* The lan policy is expressible once listen addresses are given
	 * (OpenNTPD: no access list, but "listen on" the LAN's address). */
	bool lan_by_listen;
	const char *nts_refusal; /* NULL: NTS supported */
	/* NULL: takes a scoped link-local server address (fe80::1%eth0) */
	const char *scope_refusal;
	int poll_min, poll_max;  /* accepted minpoll/maxpoll exponents */
	const char *poll_note;   /* non-NULL: poll settings are not used (a warning) */
	/* Reads one config file of this daemon into s; what the model cannot
	 * hold goes to notes (import.h). Pure: no file I/O. */
	int (*import)(const char *text, size_t len, struct setup *s, struct import_notes *notes,
	              struct errlist *errs);
	int (*render)(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs);
	struct backend_detect detect;
	/* The daemon's own syntax checker, the config file's path appended as
	 * the last argument; NULL when the daemon has none (DAEMONS.md). And
	 * whether its output means the file was accepted. */
	const char *const *check_argv;
	bool (*check_ok)(int status, const char *out, const char *err);
	/* Prints the checker's version ("... version X.Y ..."); NULL: unknown.
	 * Under --root, a checker older than the target's daemon would refuse
	 * what only the newer version knows (chrony 4.3 and leapseclist). */
	const char *const *check_version_argv;
	/* The monitor command (peer table), and whether its output shows the
	 * daemon answered (ntpq exits 0 on every error: read the text). */
	const char *const *peers_argv;
	bool (*answered)(int status, const char *out, const char *err);
	/* The live monitor's parser (peers.h): reads its command's output. */
	enum peers_state (*parse_peers)(const char *out, const char *err, int exit_status,
	                                struct peers_snapshot *snap);
};

extern const struct backend backend_ntp;
extern const struct backend backend_ntpsec;
extern const struct backend backend_chrony;
extern const struct backend backend_openntpd;
extern const struct backend backend_timesyncd;

/* The import parsers (import_*.c, see import.h). */
int import_ntp(const char *text, size_t len, struct setup *s, struct import_notes *notes,
               struct errlist *errs);
int import_ntpsec(const char *text, size_t len, struct setup *s, struct import_notes *notes,
                  struct errlist *errs);
int import_chrony(const char *text, size_t len, struct setup *s, struct import_notes *notes,
                  struct errlist *errs);
int import_openntpd(const char *text, size_t len, struct setup *s, struct import_notes *notes,
                    struct errlist *errs);
int import_timesyncd(const char *text, size_t len, struct setup *s, struct import_notes *notes,
                     struct errlist *errs);

/* All backends, in the order they are offered. */
const struct backend *const *backend_all(size_t *count);
const struct backend *backend_find(enum daemon_id id);
const struct backend *backend_by_name(const char *name);

const char *backend_conf_path(const struct backend *b, enum distro_family f);
const char *backend_service(const struct backend *b, enum distro_family f);
const char *backend_package(const struct backend *b, enum distro_family f);
const char *backend_driftfile(const struct backend *b, enum distro_family f);

/*
 * The daemon for DAEMON_AUTO: the first backend whose config file exists
 * under the root in use, else chrony (the choice the design recommends).
 */
const struct backend *backend_resolve(const struct setup *s, enum distro_family f);

/*
 * The daemon for DAEMON_AUTO from what detect knows about the host: the
 * running one, else the enabled one, else an installed one, else the one
 * whose config file exists, else the distribution's default. why gets the
 * reason as one translated sentence ("chrony: it is running").
 */
struct detect_info;
const struct backend *backend_choose_auto(const struct detect_info *host, char *why, size_t size);

/*
 * Renders s for b into out. s must already have its servers (see
 * distro_apply_default_servers). Checks the model and what b can express;
 * returns 0, or -1 with errors (nothing is appended to out on error).
 * Warnings are added to errs and also written as comments in the file.
 */
int backend_render(const struct backend *b, const struct setup *s, enum distro_family f,
                   struct strbuf *out, struct errlist *errs);
/* The same for a known target (target.h): the daemon's version and the
 * files there choose the directives. t NULL is backend_render. */
int backend_render_for(const struct backend *b, const struct setup *s, enum distro_family f,
                       const struct target_facts *t, struct strbuf *out, struct errlist *errs);

/* Every server smears leap seconds (smear.h): the host applies no leap
 * second of its own (no leapsectz, no leapfile) and follows them. */
bool backend_follows_smear(const struct setup *s);

/* Shared by the renderers. d: the daemon whose words the per-server
 * selection options take (trust is ntpd's "true"). */
void backend_put_sources(const struct setup *s, enum daemon_id d, struct strbuf *out);
/* Source selection and orphan mode (issue 16): chrony's minsources,
 * maxdistance and local stratum N orphan; ntpd's and NTPsec's tos line. */
void backend_put_selection(const struct render_ctx *ctx, struct strbuf *out);
/* The shortest decimal that reads back as exactly v ("C" numeric locale). */
void backend_put_number(struct strbuf *out, double v);
/* Adds a warning to errs and the same text as a comment to out. */
void backend_warn(const struct render_ctx *ctx, int line, struct strbuf *out, struct errlist *errs,
                  const char *comment, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Splits "a.b.c.d/n" into address and dotted/IPv6 mask (for ntpd's
 * "restrict ADDR mask MASK"). */
int backend_cidr_to_mask(const char *cidr, char *addr, size_t asize, char *mask, size_t msize);

#endif
