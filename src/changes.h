/*
 * changes: what an apply changed on the system besides the config file,
 * kept next to the backup it made (APPLY_BACKUP_DIR/changes.BACKUP), so
 * that a rollback can undo it or name what it cannot undo: the packages
 * the package manager installed and removed, the ntpdate package purged,
 * the time daemons that were enabled or running before, the services
 * stopped and disabled, the one enabled and started.
 *
 * The record is text, one "KEY VALUE" a line after a "ntpwiz-changes 1"
 * header ('#' lines are comments):
 *
 *   ntpwiz-changes 1
 *   daemon chrony                  the daemon the apply was for (once)
 *   before-enabled ntpsec          enabled before the apply (daemon name)
 *   before-running ntpsec          running before the apply
 *   installed chrony               a package the package manager installed
 *   removed ntpsec                 a package it removed on the way
 *   purged ntpsec-ntpdate          the ntpdate package apply purged
 *   stopped ntpsec                 a daemon apply stopped
 *   disabled ntpsec                a daemon apply disabled
 *   enabled chrony                 a daemon apply enabled
 *   started chrony                 a daemon apply (re)started
 *
 * Daemon names are the profiles' (backend_by_name); package names are
 * [A-Za-z0-9][A-Za-z0-9+._@-]*, so a name can be shown in a command line
 * without quoting. A record that breaks any rule is "damaged" and read as
 * nothing recorded, as is a missing one; a higher version is "newer".
 */
#ifndef NTPWIZ_CHANGES_H
#define NTPWIZ_CHANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "strbuf.h"

#define CHANGES_VERSION 1
#define CHANGES_PREFIX "changes." /* the record of backup B is "changes.B" */
#define CHANGES_MAX_TEXT 16384
#define CHANGES_MAX_PKGS 32
#define CHANGES_PKG_MAX 100 /* bytes of a package name, with the NUL */

enum changes_pkg_list {
	CHANGES_INSTALLED,
	CHANGES_REMOVED,
	CHANGES_PURGED,
	CHANGES_PKG_LISTS,
};

enum changes_daemon_set {
	CHANGES_BEFORE_ENABLED,
	CHANGES_BEFORE_RUNNING,
	CHANGES_STOPPED,
	CHANGES_DISABLED,
	CHANGES_ENABLED,
	CHANGES_STARTED,
	CHANGES_DAEMON_SETS,
};

struct changes {
	const struct backend *daemon; /* NULL: nothing recorded */
	char pkgs[CHANGES_PKG_LISTS][CHANGES_MAX_PKGS][CHANGES_PKG_MAX];
	size_t npkgs[CHANGES_PKG_LISTS];
	bool truncated; /* more packages changed than a list holds */
	/* indexed by enum daemon_id */
	bool daemons[CHANGES_DAEMON_SETS][DAEMON_COUNT];
};

enum changes_read {
	CHANGES_FOUND,
	CHANGES_MISSING,
	CHANGES_DAMAGED,
	CHANGES_NEWER, /* written by a later ntpwiz */
};

void changes_init(struct changes *c);

/* Whether a package name follows the rule above. */
bool changes_valid_package(const char *name, size_t len);

/* Adds a package to a list (no duplicates); -1 for an invalid name, and
 * when the list is full (c->truncated is set). */
int changes_add_package(struct changes *c, enum changes_pkg_list l, const char *name);
bool changes_has_package(const struct changes *c, enum changes_pkg_list l, const char *name);

/* Parses a record; on anything but CHANGES_FOUND, c is left empty. */
enum changes_read changes_parse(const char *text, size_t len, struct changes *c);

/* The record's text; `backup` (a file name) goes into its comment line. */
void changes_format(const struct changes *c, const char *backup, struct strbuf *out);

/* "found", "missing", "damaged", "newer" (stable, for --json). */
const char *changes_read_name(enum changes_read r);

#endif
