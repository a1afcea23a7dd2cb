/*
 * target: the facts about the system a file is written for that change
 * what the file should say: the daemon's installed version, the leap
 * second files that exist there, and which daemon the distribution's
 * package really installs. The caller fills a struct target_facts once
 * (target_read, through sysops, from what detect found); the renderers
 * only read it and do no I/O of their own.
 */
#ifndef NTPWIZ_TARGET_H
#define NTPWIZ_TARGET_H

#include <stdbool.h>

#include "model.h"

struct backend;
struct detect_info;

/* Where the packages put the leap second data (tzdata). */
#define TARGET_LEAP_LIST "/usr/share/zoneinfo/leap-seconds.list"
#define TARGET_RIGHT_UTC "/usr/share/zoneinfo/right/UTC"

struct target_facts {
	/* false: no system was looked at (unit tests, fuzzers): the renderers
	 * write the classic form and assume both leap files exist. */
	bool looked;
	char version[64]; /* installed version of the daemon's package, "" unknown */
	char version_source[16]; /* "dpkg", "apk", "pacman", "rpm", "" */
	int major, minor;        /* parsed from version; -1 when unknown */
	bool leap_list;          /* TARGET_LEAP_LIST exists under the root */
	bool right_utc;          /* TARGET_RIGHT_UTC exists under the root */
	/* Set when the operator chose another daemon than the one rendered
	 * (release_resolve): Debian's "ntp" package installs NTPsec. */
	enum daemon_id asked; /* DAEMON_AUTO: none */
	char asked_package[32];
};

/* Nothing known (looked = false). */
void target_init(struct target_facts *t);
/* Fills t for backend b from detect's findings (the version) and the
 * files under the root in use. Keeps t->asked and t->asked_package. */
void target_read(struct target_facts *t, const struct backend *b, const struct detect_info *host);
/* "1:4.6.1-3", "4.3-2+deb12u1", "4.6.1-r0" -> 4, 6 (epoch and revision
 * skipped). -1 when the text starts with no number. */
int target_parse_version(const char *v, int *major, int *minor);
/* Whether the version is known and at least major.minor. */
bool target_version_at_least(const struct target_facts *t, int major, int minor);
/* Whether a leap file counts as present: looked at and there, or not
 * looked at (the classic form). */
bool target_has_leap_list(const struct target_facts *t);
bool target_has_right_utc(const struct target_facts *t);

#endif
