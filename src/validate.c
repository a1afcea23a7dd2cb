/*
 * validate: refuse every value that could change the meaning of a config
 * file (DAEMONS.md, "Injection"): a newline adds directives, a space adds
 * options, '#' truncates the line, a trailing '\' joins lines in timesyncd.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "model.h"
#include "validate.h"

/* Reasons shared by hosts, networks and paths, most specific first. */
static const char *check_chars(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			return _("contains a newline, which would start a new directive");
		if (*p == '\r')
			return _("contains a carriage return, which would start a new directive");
		if (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f')
			return _("contains whitespace, which would add options to the directive");
		if (*p < 0x20 || *p == 0x7f)
			return _("contains a control character");
		if (*p >= 0x80)
			return _("contains a non-ASCII character (use the punycode xn-- form of an "
			         "internationalised name)");
		switch (*p) {
		case '#':
		case ';':
		case '!':
		case '%':
			return _("contains a comment or scope character (# ; ! %), which daemons "
			         "treat specially");
		case '"':
		case '\'':
			return _("contains a quote");
		case '[':
		case ']':
			return _("contains a bracket; write IPv6 addresses bare, without [ ]");
		case '\\':
			return _("contains a backslash, which joins lines in some config files");
		case '=':
			return _("contains '='");
		default:
			break;
		}
	}
	return NULL;
}

static const char *check_name(const char *s)
{
	size_t len = strlen(s);
	const char *label = s;

	if (len > MODEL_HOST_MAX)
		return _("is longer than 253 characters");
	for (const char *p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			size_t l = (size_t)(p - label);
			if (l == 0) {
				/* one trailing dot (a fully qualified name) is fine */
				if (*p == '\0' && p != s && p[-1] == '.' && p - 1 != s)
					break;
				return _(
				    "has an empty label (two dots in a row, or a leading dot)");
			}
			if (l > 63)
				return _("has a label longer than 63 characters");
			if (label[0] == '-' || p[-1] == '-')
				return _("has a label that starts or ends with '-'");
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-') {
			return _("is not a valid host name (letters, digits, '-' and '.' only)");
		}
	}
	return NULL;
}

static int all_digits_and_dots(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.')
			return 0;
	return 1;
}

/* An address no server can be: the unspecified address (0.0.0.0, ::),
 * multicast, broadcast. */
static const char *check_unicast(int family, const unsigned char *a)
{
	static const unsigned char zero[16];

	if (memcmp(a, zero, family == AF_INET6 ? 16 : 4) == 0)
		return _("is the unspecified address (it means \"any\" and names no server); "
		         "write the server's own address");
	if ((family == AF_INET && (a[0] & 0xf0) == 0xe0) || (family == AF_INET6 && a[0] == 0xff))
		return _("is a multicast address; ntpwiz writes unicast servers only: write the "
		         "server's own address");
	if (family == AF_INET && a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255)
		return _("is the broadcast address; write the server's own address");
	return NULL;
}

/* fe80::1%eth0: a link-local IPv6 address and the interface it is on
 * (chrony and ntpd take it; the backends of the others refuse it). */
static const char *check_scoped(const char *s)
{
	const char *pct = strchr(s, '%'), *ifname = pct + 1;
	char text[INET6_ADDRSTRLEN];
	unsigned char addr[16];
	size_t alen = (size_t)(pct - s), ilen = strlen(ifname);

	if (alen >= sizeof(text))
		return _("is not a valid IPv6 address");
	memcpy(text, s, alen);
	text[alen] = '\0';
	if (inet_pton(AF_INET6, text, addr) != 1)
		return _("is not a valid IPv6 address");
	if (!(addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80))
		return _("has an interface name, which only a link-local address (fe80::/10) "
		         "takes");
	if (ilen == 0 || ilen > 15 || ifname[0] == '-' ||
	    strspn(ifname, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
	        ilen)
		return _("has an interface name that is not one (1-15 letters, digits, '.', '_' "
		         "or '-')");
	return NULL;
}

const char *validate_host(const char *s, enum validate_addr *kind)
{
	unsigned char addr[16];
	const char *why;

	if (!s || !*s)
		return _("is empty");
	if (strstr(s, "://"))
		return _("is a URL; write only the server's name or address (for example "
		         "time.example.com, without http:// or a path)");
	if (strchr(s, ':') && strchr(s, '%') && !strpbrk(s, " \t\r\n#;!\"'[]\\=")) {
		/* the one place '%' is allowed: a scoped link-local address */
		if ((why = check_scoped(s)))
			return why;
		if (kind)
			*kind = VALIDATE_IPV6;
		return NULL;
	}
	if ((why = check_chars(s)))
		return why;
	if (s[0] == '-')
		return _("starts with '-', which a daemon would read as an option");
	if (strlen(s) > MODEL_HOST_MAX)
		return _("is longer than 253 characters");
	if (strchr(s, ':') && strchr(s, ':') == strrchr(s, ':') && strchr(s, ':')[1] &&
	    strspn(strchr(s, ':') + 1, "0123456789") == strlen(strchr(s, ':') + 1))
		return _("has a port number (HOST:PORT); ntpwiz writes servers on the standard "
		         "NTP port 123 only: write the host alone");
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, addr) != 1)
			return _("is not a valid IPv6 address");
		if ((why = check_unicast(AF_INET6, addr)))
			return why;
		if (kind)
			*kind = VALIDATE_IPV6;
		return NULL;
	}
	if (all_digits_and_dots(s)) {
		if (inet_pton(AF_INET, s, addr) != 1)
			return _(
			    "is not a valid IPv4 address (four numbers 0-255 separated by dots)");
		if ((why = check_unicast(AF_INET, addr)))
			return why;
		if (kind)
			*kind = VALIDATE_IPV4;
		return NULL;
	}
	if ((why = check_name(s)))
		return why;
	if (kind)
		*kind = VALIDATE_NAME;
	return NULL;
}

/* chrony's short IPv4 forms (chrony.conf(5), "allow"): one to three numbers,
 * "10", "192.168", "172.16". Fills addr, returns how many numbers, 0 if the
 * text is not one. */
static int short_ipv4(const char *text, unsigned char addr[4])
{
	const char *p = text;
	int n = 0;

	memset(addr, 0, 4);
	while (n < 4) {
		unsigned long v = 0;
		int digits = 0;
		for (; isdigit((unsigned char)*p) && digits < 4; p++, digits++)
			v = v * 10 + (unsigned long)(*p - '0');
		if (!digits || v > 255)
			return 0;
		addr[n++] = (unsigned char)v;
		if (*p == '\0')
			return n < 4 ? n : 0;
		if (*p++ != '.')
			return 0;
	}
	return 0;
}

/* A contiguous mask of len bytes as a prefix length, else -1. */
static int mask_bits(const unsigned char *b, int len)
{
	int bits = 0;
	bool ended = false;

	for (int i = 0; i < len; i++) {
		for (int k = 7; k >= 0; k--) {
			bool one = b[i] >> k & 1;
			if (one && ended)
				return -1;
			if (one)
				bits++;
			else
				ended = true;
		}
	}
	return bits;
}

/* A contiguous IPv4 netmask ("255.255.255.0") as a prefix length, else -1. */
int validate_netmask_prefix(const char *mask)
{
	unsigned char b[4];

	if (!mask || !all_digits_and_dots(mask) || inet_pton(AF_INET, mask, b) != 1)
		return -1;
	return mask_bits(b, 4);
}

int validate_mask_prefix(const char *mask, bool v6)
{
	unsigned char b[16];

	if (!v6)
		return validate_netmask_prefix(mask);
	if (!mask || inet_pton(AF_INET6, mask, b) != 1)
		return -1;
	return mask_bits(b, 16);
}

/* Everything validate_network checks but the prefix length 0. */
static const char *parse_network(const char *s, unsigned flags, unsigned char addr[16],
                                 int *familyp, long *prefixp)
{
	char addrtext[INET6_ADDRSTRLEN + 8];
	const char *slash, *why;
	int family, bits, nshort = 0;
	long prefix;

	if (!s || !*s)
		return _("is empty");
	if ((why = check_chars(s)))
		return why;
	if (s[0] == '-')
		return _("starts with '-', which a daemon would read as an option");
	slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(addrtext))
		return _(
		    "is not a network (ADDRESS/PREFIX, for example 192.168.0.0/16 or fd00::/8)");
	memcpy(addrtext, s, alen);
	addrtext[alen] = '\0';
	family = strchr(addrtext, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, addrtext, addr) != 1 &&
	    (family == AF_INET6 || !(nshort = short_ipv4(addrtext, addr))))
		return family == AF_INET6 ? _("is not a valid IPv6 network address")
		                          : _("is not a valid IPv4 network address");
	bits = family == AF_INET6 ? 128 : 32;
	/* "192.168" alone is 192.168.0.0/16, as chronyd reads it */
	prefix = nshort ? 8 * nshort : bits;
	if (slash && family == AF_INET && strchr(slash + 1, '.')) {
		prefix = validate_netmask_prefix(slash + 1);
		if (prefix < 0)
			return _("has a netmask that is not contiguous ones then zeros (for "
			         "example 255.255.255.0)");
	} else if (slash) {
		char *end;
		errno = 0;
		if (!isdigit((unsigned char)slash[1]))
			return _("has a prefix length that is not a number");
		prefix = strtol(slash + 1, &end, 10);
		if (errno || *end)
			return _("has a prefix length that is not a number");
		if (prefix < 0 || prefix > bits)
			return family == AF_INET6 ? _("has a prefix length outside 0-128")
			                          : _("has a prefix length outside 0-32");
	}
	if (prefix == 0) /* every host: the address does not matter */
		memset(addr, 0, sizeof(addr[0]) * 16);
	for (int i = 0; i < bits / 8; i++) {
		int keep = (int)prefix - i * 8;
		unsigned char mask = keep >= 8   ? 0xff
		                     : keep <= 0 ? 0
		                                 : (unsigned char)(0xff << (8 - keep));
		if (!(addr[i] & (unsigned char)~mask))
			continue;
		/* Host bits set usually means a typo (192.168.1.5/24): refuse, do not
		 * guess, unless the caller reads a daemon that masks them itself. */
		if (!(flags & VALIDATE_NET_MASK_HOST_BITS))
			return _("has bits set after the prefix length (write the network address, "
			         "for example 192.168.1.0/24)");
		addr[i] &= mask;
	}
	*familyp = family;
	*prefixp = prefix;
	return NULL;
}

const char *validate_network(const char *s, unsigned flags, char *canon, size_t size)
{
	unsigned char addr[16];
	const char *why;
	int family;
	long prefix;

	if (s && strcmp(s, "all") == 0)
		return _("means every host; serving everyone is the public policy, not a LAN "
		         "network");
	if ((why = parse_network(s, flags, addr, &family, &prefix)))
		return why;
	if (prefix == 0)
		return _("means every host (prefix length 0); serving everyone is the public "
		         "policy, not a LAN network");
	if (canon) {
		char text[INET6_ADDRSTRLEN];
		inet_ntop(family, addr, text, sizeof(text));
		snprintf(canon, size, "%s/%ld", text, prefix);
	}
	return NULL;
}

const char *validate_cidr(const char *s, char *canon, size_t size)
{
	return validate_network(s, 0, canon, size);
}

bool validate_network_is_everyone(const char *s)
{
	unsigned char addr[16];
	int family;
	long prefix;

	if (!s)
		return false;
	if (strcmp(s, "all") == 0)
		return true;
	return !parse_network(s, VALIDATE_NET_MASK_HOST_BITS, addr, &family, &prefix) &&
	       prefix == 0;
}

const char *validate_path(const char *s)
{
	const char *why;

	if (!s || !*s)
		return _("is empty");
	if ((why = check_chars(s)))
		return why;
	if (s[0] != '/')
		return _("is not an absolute path");
	if (strlen(s) >= MODEL_PATH_MAX)
		return _("is too long");
	for (const char *p = s; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("/._-+", *p))
			return _("contains a character other than letters, digits and / . _ - +");
		if (p[0] == '/' && p[1] == '.' && p[2] == '.' && (p[3] == '/' || p[3] == '\0'))
			return _("contains '..'");
	}
	return NULL;
}

const char *validate_constraint(const char *s)
{
	static const char https[] = "https://";
	char host[MODEL_HOST_MAX + 1];
	const char *path, *why;
	size_t n;

	if (!s || !*s)
		return _("is empty");
	if (strlen(s) > MODEL_CONSTRAINT_MAX)
		return _("is longer than 255 characters");
	if (strstr(s, "://") && strncmp(s, https, sizeof(https) - 1) != 0)
		return _("is a URL that is not https://; OpenNTPD reads the time of HTTPS "
		         "answers only");
	if (strncmp(s, https, sizeof(https) - 1) != 0) {
		if (strchr(s, '%'))
			return _("is a scoped address; OpenNTPD takes no interface name here");
		return validate_host(s, NULL);
	}
	s += sizeof(https) - 1;
	n = strcspn(s, "/");
	path = s + n;
	if (n == 0 || n > MODEL_HOST_MAX)
		return _("names no host after https://");
	snprintf(host, sizeof(host), "%.*s", (int)n, s);
	if (strchr(host, '%'))
		return _("is a scoped address; OpenNTPD takes no interface name here");
	if ((why = validate_host(host, NULL)))
		return why;
	if (strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~/-?=&") !=
	    strlen(path))
		return _("has a character in its path other than letters, digits and . _ ~ / - ? "
		         "= &");
	return NULL;
}

const char *validate_ifname(const char *s, bool star)
{
	size_t n;

	if (!s || !*s)
		return _("is empty");
	if (star && strcmp(s, "*") == 0)
		return NULL;
	n = strlen(s);
	if (n > MODEL_IFNAME_MAX)
		return _("is longer than an interface name can be (15 characters)");
	if (s[0] == '-' || s[0] == '.')
		return _("is not an interface name: it starts with '-' or '.'");
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			return _("is not an interface name: only letters, digits and . _ - are "
			         "taken (or * for every interface)");
	return NULL;
}
