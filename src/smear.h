/*
 * smear: the public time services known to smear leap seconds, and how a
 * set of servers relates to them. A client of a smearing server must not
 * also apply the leap second itself (leapsectz, leapfile), and must not mix
 * smearing and non-smearing servers: around a leap they disagree by up to
 * a second for hours (chrony's maintainer, fedora-coreos-config PR #957;
 * Debian's chrony.conf).
 */
#ifndef NTPWIZ_SMEAR_H
#define NTPWIZ_SMEAR_H

#include <stddef.h>

#include "model.h"
#include "strbuf.h"

struct smear_service {
	const char *host;    /* as written in a config file (compared without case) */
	const char *service; /* who runs it, not translated */
	const char *source;  /* where that it smears is documented */
};

enum smear_class {
	SMEAR_NONE,  /* no server is a known smearing one (or no server) */
	SMEAR_ALL,   /* every server smears: the host follows them */
	SMEAR_MIXED, /* some do, some do not: refused (import: a high note) */
};

/* The table, in the order of the README's. */
const struct smear_service *smear_services(size_t *count);
/* The service a host belongs to, or NULL when it is not known to smear. */
const struct smear_service *smear_find(const char *host);
/*
 * Classifies s's servers. When smearing / plain are not NULL they receive
 * the hosts of each group, separated by ", ".
 */
enum smear_class smear_classify(const struct setup *s, struct strbuf *smearing,
                                struct strbuf *plain);

#endif
