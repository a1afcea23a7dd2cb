/*
 * apply: render -> lint -> install (with consent; the daemons are then
 * detected again) -> (unchanged? stop) -> the daemon's own checker ->
 * back up -> atomic write -> stop conflicting
 * daemons -> enable + restart -> verify the daemon answers -> roll back
 * automatically when restart or verify fails. Also check and rollback.
 * All side effects go through sysops; the result is a report the caller
 * prints (as text or JSON).
 */
#ifndef NTPWIZ_APPLY_H
#define NTPWIZ_APPLY_H

#include <stdbool.h>

#include "backend.h"
#include "changes.h"
#include "detect.h"
#include "errlist.h"
#include "model.h"

/* Where backups live (under the root), and how many per file are kept. */
#define APPLY_BACKUP_PARENT "/var/backups"
#define APPLY_BACKUP_DIR APPLY_BACKUP_PARENT "/ntpwiz"
#define APPLY_BACKUPS_KEPT 10
#define APPLY_VERIFY_TIMEOUT_MS 15000

enum apply_restart {
	APPLY_RESTART_DEFAULT, /* restart on the running system, enable only under --root */
	APPLY_RESTART_NO,      /* --no-restart */
	APPLY_RESTART_YES,     /* --restart, even under --root */
};

struct apply_step;

struct apply_opts {
	enum apply_restart restart;
	bool dry_run; /* check: decide, change nothing */
	int verify_timeout_ms;
	/* Optional: called as each step is recorded (the wizard's Apply page
	 * shows progress); NULL for none. */
	void (*on_step)(const struct apply_step *step, void *data);
	void *on_step_data;
	/* What the file is rendered for (target.h); NULL: read here from the
	 * root for the backend being applied. When apply installs the daemon,
	 * facts read from the system (looked) are read again after the
	 * install and the file rendered for what was installed. */
	const struct target_facts *target;
};

enum apply_step_result {
	STEP_OK,
	STEP_SKIPPED,
	STEP_FAILED,
};

/* One line of the report: "check", "backup", "write", "install",
 * "stop-conflicting", "enable", "restart", "verify", "rollback". */
struct apply_step {
	char name[24];
	enum apply_step_result result;
	char detail[512]; /* translated, one line */
};

#define APPLY_MAX_STEPS 32

/* Something a rollback cannot undo itself: a package to install again
 * ("install") or one the apply installed ("remove"), with the exact
 * command for the root's package manager (under --root: "chroot ROOT ..."). */
struct apply_by_hand {
	char action[8];
	char package[CHANGES_PKG_MAX];
	char command[512];
};
#define APPLY_MAX_BY_HAND 16

struct apply_report {
	const struct backend *backend;
	char path[MODEL_PATH_MAX];   /* the config file (inside the root) */
	char backup[MODEL_PATH_MAX]; /* the backup made, "" if none */
	char service[64];
	/* the daemon's defaults file written in the same change (startopts.h),
	 * "" when the daemon has none here */
	char defaults_path[MODEL_PATH_MAX];
	bool defaults_changed;
	bool changed; /* the file's bytes changed (or would, for check) */
	bool restarted;
	bool verified;     /* the daemon answered after the restart */
	bool synchronised; /* ...and followed a source within sync_wait_s */
	int sync_wait_s;   /* how long verify waited for that (its bound), 0: not asked */
	bool rolled_back;
	struct apply_step steps[APPLY_MAX_STEPS];
	size_t nsteps;
	/* rollback: the record of the backup restored (changes.h), whether
	 * the services are as before that apply, and what is left to do by
	 * hand; "complete" when no step failed and nothing is left */
	enum changes_read record;
	bool services_restored;
	bool complete;
	struct apply_by_hand by_hand[APPLY_MAX_BY_HAND];
	size_t nby_hand;
};

/* Applies s (servers already filled in) for b. Returns 0 on success
 * (changed or not), -1 on error (errors in errs; report says what was done
 * and whether it was rolled back). */
int apply_run(const struct setup *s, const struct backend *b, const struct detect_info *host,
              const struct apply_opts *o, struct apply_report *rep, struct errlist *errs);

/* The pre-flight apply_run does before touching anything: root rights on
 * the running system, the daemon installed (or installable: apply.install
 * on the running system), the init system's and package manager's
 * commands on PATH, the config and backup folders writable. Every problem
 * is an error naming what is missing and how to fix it. 0 or -1. The
 * wizard runs it before its Apply page, too. */
int apply_preflight(const struct setup *s, const struct backend *b, const struct detect_info *host,
                    const struct apply_opts *o, struct errlist *errs);

/* Puts the newest backup back, then the services as they were before the
 * apply that made it, from its record (changes.h): the daemon that apply
 * enabled is stopped and disabled when its file is gone (or it was not
 * enabled before), the daemons it stopped or disabled are enabled and
 * started again when still installed, and each one started is verified;
 * without a record, the daemon is restarted on its old file as before.
 * Packages are never installed or removed: each is a by_hand entry.
 * Returns 0 when everything is back, 1 when the services are back but
 * packages are left to do by hand (by_hand), -1 when a step failed or a
 * daemon that ran before is gone (errors says which, by_hand what to run). */
int apply_rollback(const struct detect_info *host, const struct apply_opts *o,
                   struct apply_report *rep, struct errlist *errs);

#endif
