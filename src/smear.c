/*
 * smear: the table of leap-smearing time services (see smear.h). One row
 * per host name or address; a host is matched whole, without case and
 * without a trailing dot.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "smear.h"

#define AWS_DOC "docs.aws.amazon.com/AWSEC2/latest/UserGuide/set-time.html"
#define AWS_PUBLIC_DOC "aws.amazon.com/about-aws/whats-new/2022/11/"
#define GOOGLE_DOC "developers.google.com/time/smear"

static const struct smear_service services[] = {
    {"169.254.169.123", "Amazon Time Sync Service (EC2, IPv4)", AWS_DOC},
    {"fd00:ec2::123", "Amazon Time Sync Service (EC2, IPv6, Nitro)", AWS_DOC},
    {"time.aws.com", "Amazon Time Sync Service (public)", AWS_PUBLIC_DOC},
    {"time.google.com", "Google Public NTP", GOOGLE_DOC},
    {"time1.google.com", "Google Public NTP", GOOGLE_DOC},
    {"time2.google.com", "Google Public NTP", GOOGLE_DOC},
    {"time3.google.com", "Google Public NTP", GOOGLE_DOC},
    {"time4.google.com", "Google Public NTP", GOOGLE_DOC},
};

const struct smear_service *smear_services(size_t *count)
{
	*count = sizeof(services) / sizeof(services[0]);
	return services;
}

const struct smear_service *smear_find(const char *host)
{
	size_t len;

	if (!host)
		return NULL;
	len = strlen(host);
	if (len > 1 && host[len - 1] == '.')
		len--;
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strlen(services[i].host) == len &&
		    strncasecmp(services[i].host, host, len) == 0)
			return &services[i];
	return NULL;
}

enum smear_class smear_classify(const struct setup *s, struct strbuf *smearing,
                                struct strbuf *plain)
{
	size_t nsmear = 0, nplain = 0;

	for (size_t i = 0; i < s->nservers; i++) {
		bool smears = smear_find(s->servers[i].host) != NULL;
		struct strbuf *group = smears ? smearing : plain;
		size_t *n = smears ? &nsmear : &nplain;

		if (group)
			strbuf_printf(group, "%s%s", *n ? ", " : "", s->servers[i].host);
		(*n)++;
	}
	if (nsmear && nplain)
		return SMEAR_MIXED;
	return nsmear ? SMEAR_ALL : SMEAR_NONE;
}
