/*
 * validate: the one gate for every string that reaches a config file.
 * A host is an RFC 1123 name or a bare IPv4/IPv6 literal; a network is
 * ADDRESS[/PREFIX]; a path is absolute and plain. Everything else is refused
 * with a reason a person can act on. Each function returns NULL when the
 * value is acceptable, otherwise the reason (translated, static storage).
 */
#ifndef NTPWIZ_VALIDATE_H
#define NTPWIZ_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

enum validate_addr {
	VALIDATE_NAME,
	VALIDATE_IPV4,
	VALIDATE_IPV6,
};

/* A host name or address; *kind (may be NULL) tells which it is. */
const char *validate_host(const char *s, enum validate_addr *kind);
/* ADDRESS or ADDRESS/PREFIX. On success writes the canonical form
 * ("192.168.0.0/16", "fd00::/8") to canon (size >= 64). Also chrony's short
 * IPv4 forms ("10", "192.168/16", "172.16/12") and ADDRESS/DOTTED-MASK.
 * Refused: host bits set (a typo, usually) and every spelling of "everyone"
 * (all, 0/0, ::/0), which is the public policy, never a LAN network. */
const char *validate_cidr(const char *s, char *canon, size_t size);

/* validate_cidr with flags: VALIDATE_NET_MASK_HOST_BITS clears host bits
 * ("127.0.0.1/8" is 127.0.0.0/8) as chronyd does, instead of refusing. */
#define VALIDATE_NET_MASK_HOST_BITS 1u
const char *validate_network(const char *s, unsigned flags, char *canon, size_t size);
/* "all", or any network with prefix length 0 (0/0, 0.0.0.0/0, ::/0). */
bool validate_network_is_everyone(const char *s);
/* A contiguous dotted IPv4 netmask as a prefix length, else -1. */
int validate_netmask_prefix(const char *mask);
/* The same for an IPv4 (v6 false) or IPv6 mask ntpd's restrict lines give. */
int validate_mask_prefix(const char *mask, bool v6);
/* An absolute file or directory path with no characters a config parser
 * would treat specially. */
const char *validate_path(const char *s);

/* An OpenNTPD constraint source (issue 16): a host name or address, or
 * https://HOST/PATH; the path holds only letters, digits and . _ ~ / - ? = &
 * (it is written between double quotes). */
const char *validate_constraint(const char *s);

/* A network interface name as Linux takes it (issue 16 section 7): 1 to 15
 * characters (IFNAMSIZ), letters, digits and . _ -, not starting with '-'
 * or '.'; "*" (every interface) when star is true. */
const char *validate_ifname(const char *s, bool star);

#endif
