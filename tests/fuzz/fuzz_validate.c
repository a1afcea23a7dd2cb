/*
 * fuzz_validate: validate_host, validate_cidr and validate_path, the gate
 * for every string that reaches a config file. Beyond "no crash", what they
 * accept must be safe to write into any daemon's file, and a canonical
 * network must be accepted again as itself.
 */
#include "config.h"

#include <arpa/inet.h>

#include <stdio.h>

#include "fuzzhelp.h"
#include "model.h"
#include "validate.h"

/* Only characters that mean nothing special to any daemon's parser. */
static void check_plain(const char *what, const char *s, const char *extra)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr(extra, *p)))
			fuzz_fail("%s accepted \"%s\", which has byte 0x%02x", what, s, *p);
}

static void check_reason(const char *what, const char *why)
{
	if (!why[0])
		fuzz_fail("%s refused with an empty reason", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	char canon[64], canon2[64];
	const char *why;
	enum validate_addr kind = (enum validate_addr) - 1;
	unsigned char addr[16];

	if (!s)
		return 0;

	why = validate_host(s, &kind);
	if (why) {
		check_reason("validate_host", why);
	} else {
		if (strlen(s) > MODEL_HOST_MAX)
			fuzz_fail("validate_host accepted %zu characters", strlen(s));
		if (s[0] == '-')
			fuzz_fail("validate_host accepted a leading '-': \"%s\"", s);
		/* a scoped link-local address: fe80::/10, then %IFNAME */
		char head[MODEL_HOST_MAX + 1];
		const char *pct = strchr(s, '%');
		snprintf(head, sizeof(head), "%.*s", pct ? (int)(pct - s) : (int)strlen(s), s);
		if (pct) {
			check_plain("validate_host (interface)", pct + 1, "._-");
			if (kind != VALIDATE_IPV6 || inet_pton(AF_INET6, head, addr) != 1 ||
			    addr[0] != 0xfe || (addr[1] & 0xc0) != 0x80)
				fuzz_fail("validate_host took \"%s\" with a scope", s);
		}
		check_plain("validate_host", head, ".-:");
		if (kind == VALIDATE_IPV4 && inet_pton(AF_INET, head, addr) != 1)
			fuzz_fail("validate_host called \"%s\" IPv4", s);
		if (kind == VALIDATE_IPV6 && inet_pton(AF_INET6, head, addr) != 1)
			fuzz_fail("validate_host called \"%s\" IPv6", s);
		/* multicast: IPv6 ff00::/8, IPv4 224.0.0.0/4 (255.x.y.z is not,
		 * only 255.255.255.255 is refused, as broadcast) */
		if ((kind == VALIDATE_IPV6 && addr[0] == 0xff) ||
		    (kind == VALIDATE_IPV4 && (addr[0] & 0xf0) == 0xe0))
			fuzz_fail("validate_host accepted the multicast \"%s\"", s);
		if (kind == VALIDATE_IPV4 && memcmp(addr, "\xff\xff\xff\xff", 4) == 0)
			fuzz_fail("validate_host accepted the broadcast \"%s\"", s);
		if (kind != VALIDATE_IPV4 && kind != VALIDATE_IPV6 && kind != VALIDATE_NAME)
			fuzz_fail("validate_host accepted \"%s\" without saying what it is", s);
		if (kind == VALIDATE_NAME && strchr(s, ':'))
			fuzz_fail("validate_host took \"%s\" for a name", s);
	}

	why = validate_cidr(s, canon, sizeof(canon));
	if (why) {
		check_reason("validate_cidr", why);
	} else {
		check_plain("validate_cidr", s, ".:/");
		check_plain("validate_cidr (canonical form)", canon, ".:/");
		if (!strchr(canon, '/'))
			fuzz_fail("canonical network \"%s\" (of \"%s\") has no prefix", canon, s);
		why = validate_cidr(canon, canon2, sizeof(canon2));
		if (why)
			fuzz_fail("canonical network \"%s\" (of \"%s\") refused: %s", canon, s,
			          why);
		if (strcmp(canon, canon2) != 0)
			fuzz_fail("canonical form not stable: \"%s\" -> \"%s\" -> \"%s\"", s, canon,
			          canon2);
	}

	why = validate_path(s);
	if (why) {
		check_reason("validate_path", why);
	} else {
		if (s[0] != '/')
			fuzz_fail("validate_path accepted a relative path \"%s\"", s);
		if (strlen(s) >= MODEL_PATH_MAX)
			fuzz_fail("validate_path accepted %zu characters", strlen(s));
		check_plain("validate_path", s, "/._-+");
		size_t n = strlen(s);
		if (strstr(s, "/../") || (n >= 3 && strcmp(s + n - 3, "/..") == 0))
			fuzz_fail("validate_path accepted a '..' component: \"%s\"", s);
	}
	free(s);
	return 0;
}
