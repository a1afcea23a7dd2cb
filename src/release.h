/*
 * release: what each distribution release ships for time keeping, as its
 * own packaging says (doc/distributions.md cites each fact): the daemon a
 * fresh install runs, the default servers where they differ from the
 * family's (Ubuntu 25.10 and later: NTS), and what a package really
 * installs (Debian 12/13 and Ubuntu 24.04: "ntp" is a transitional package
 * for NTPsec; RHEL 8 and later, Fedora 40+ and Amazon Linux 2023: no ntpd
 * from ntp.org at all).
 */
#ifndef NTPWIZ_RELEASE_H
#define NTPWIZ_RELEASE_H

#include <stdbool.h>

#include "distro.h"
#include "errlist.h"
#include "model.h"

struct backend;
struct detect_info;
struct target_facts;

/* Compares two VERSION_ID texts ("25.10", "13", "3.22.1") number by number. */
int release_version_cmp(const char *a, const char *b);

/* The daemon a fresh install of this release runs; DAEMON_AUTO: unknown. */
enum daemon_id release_default_daemon(const struct distro *d);

/*
 * Adds this release's own default servers to s when s has none and the
 * release has its own (returns 1); 0 when the family's defaults apply
 * (distro_apply_default_servers); -1 on error.
 */
int release_default_servers(const struct distro *d, struct setup *s, struct errlist *errs);

/*
 * The daemon to write for when b is chosen on this release: b itself, or
 * the daemon b's package really installs there (a warning in errs says
 * why, and t->asked records it for the file's comment), or NULL with an
 * error when the release has no package for b at all. A daemon detect
 * found installed is always kept (a hand-built ntpd). t may be NULL.
 */
const struct backend *release_resolve(const struct distro *d, const struct backend *b,
                                      const struct detect_info *host, struct target_facts *t,
                                      struct errlist *errs);

#endif
