/*
 * distro: /etc/os-release (under the root in use) -> distribution family,
 * and the family's default time servers (the vendor pool zone; the Amazon
 * Time Sync Service on Amazon Linux).
 */
#ifndef NTPWIZ_DISTRO_H
#define NTPWIZ_DISTRO_H

#include "errlist.h"
#include "model.h"

enum distro_family {
	FAMILY_GENERIC,
	FAMILY_DEBIAN,
	FAMILY_UBUNTU,
	FAMILY_RHEL, /* RHEL, CentOS, Fedora, Rocky, Alma, Oracle */
	FAMILY_AMAZON,
	FAMILY_SUSE,
	FAMILY_ARCH,
	FAMILY_ALPINE,
	FAMILY_COUNT,
};

struct distro {
	enum distro_family family;
	char id[64];
	char id_like[256];
	char version_id[64];
	char pretty_name[256];
};

/* Parses os-release text (KEY=value lines, values optionally quoted). */
void distro_parse_os_release(const char *text, struct distro *d);
/* Reads /etc/os-release, then /usr/lib/os-release, under the current root
 * (sysops); a root with neither is the generic family. */
void distro_detect(struct distro *d);
const char *distro_family_name(enum distro_family f);
int distro_family_from_name(const char *name);
/* Adds the family's default servers to s when s has none of its own. */
int distro_apply_default_servers(const struct distro *d, struct setup *s, struct errlist *errs);

#endif
