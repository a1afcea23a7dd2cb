/*
 * validate: the one gate for every string that reaches a config file.
 * A host is an RFC 1123 name or a bare IPv4/IPv6 literal; a network is
 * ADDRESS[/PREFIX]; a path is absolute and plain. Everything else is refused
 * with a reason a person can act on. Each function returns NULL when the
 * value is acceptable, otherwise the reason (translated, static storage).
 */
#ifndef NTPWIZ_VALIDATE_H
#define NTPWIZ_VALIDATE_H

#include <stddef.h>

enum validate_addr {
	VALIDATE_NAME,
	VALIDATE_IPV4,
	VALIDATE_IPV6,
};

/* A host name or address; *kind (may be NULL) tells which it is. */
const char *validate_host(const char *s, enum validate_addr *kind);
/* ADDRESS or ADDRESS/PREFIX. On success writes the canonical form
 * ("192.168.0.0/16", "fd00::/8") to canon (size >= 64). */
const char *validate_cidr(const char *s, char *canon, size_t size);
/* An absolute file or directory path with no characters a config parser
 * would treat specially. */
const char *validate_path(const char *s);

#endif
