/*
 * audit: findings about the time set-up that is on a host now: exposure to
 * DRDoS amplification (ntpd answering control queries), control ports
 * open to the network, serving time without rate limiting, an expired
 * leap-second list, conflicting daemons, the deprecated ntpdate, daemon
 * versions with known security holes. Each finding has a stable id, a
 * severity, the file and line it is about, what it means and the fix.
 * Read-only; everything is read through sysops under the root in use.
 */
#ifndef NTPWIZ_AUDIT_H
#define NTPWIZ_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "backend.h"
#include "detect.h"
#include "errlist.h"
#include "model.h"

enum audit_severity {
	AUDIT_HIGH,   /* the host can be abused, or keeps wrong time: exit status 3 */
	AUDIT_MEDIUM, /* a weakness worth fixing */
	AUDIT_INFO,   /* worth knowing */
	AUDIT_SEVERITY_COUNT,
};

struct audit_finding {
	const char *id; /* stable, lower-case, for scripts: "ntp-default-noquery" */
	enum audit_severity severity;
	char *file; /* "" when about the host as a whole */
	int line;   /* 0 when about the whole file */
	char *what; /* what it means (translated) */
	char *fix;  /* what to do (translated) */
};

struct audit_report {
	struct audit_finding *v;
	size_t n, cap;
	/* the daemons whose config files were audited, by name, comma separated */
	char daemons[128];
};

void audit_report_init(struct audit_report *r);
void audit_report_free(struct audit_report *r);
size_t audit_count(const struct audit_report *r, enum audit_severity sev);
/* "high", "medium", "info" (stable, for --json) */
const char *audit_severity_name(enum audit_severity sev);

/* What one config says about files elsewhere (checked by audit_run). */
struct audit_refs {
	char leapfile[1024]; /* ntpd's leapfile or chrony's leapseclist, "" if none */
	int leapfile_line;
	char leapsectz[128]; /* chrony's leapsectz, "" if none */
	int leapsectz_line;
};

/*
 * The checks on one config file of daemon b (pure: text in, findings out).
 * `file` names it in the findings. `intent` (may be NULL) is what the host
 * should be (a profile): a config that serves more than its policy is high.
 */
void audit_config_text(const struct backend *b, const char *file, const char *text, size_t len,
                       const struct setup *intent, struct audit_report *rep,
                       struct audit_refs *refs);

/*
 * The expiry of a leap-seconds.list ("#@ NTP-SECONDS"): 0 and *expires
 * (Unix time) and *line, or -1 when the text has no expiry line.
 */
int audit_leap_expiry(const char *text, size_t len, time_t *expires, int *line);

/*
 * Audits the root in use: the config of `only` (NULL: of every daemon
 * whose config file exists), the leap-second list, the daemons detect
 * found. Returns 0, or -1 when a file could not be read (errs); the
 * findings made so far are in rep either way.
 */
int audit_run(const struct detect_info *host, const struct backend *only,
              const struct setup *intent, struct audit_report *rep, struct errlist *errs);

/* Compares two package versions the way dpkg does for the upstream part
 * ("4.2.8p15" > "4.2.8p9" > "4.2.8"); epochs and revisions are ignored. */
int audit_version_cmp(const char *a, const char *b);

#endif
