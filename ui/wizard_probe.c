/*
 * wizard_probe: resolve the servers' names (see wizard_probe.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "wizard_probe.h"

#define MAX_SHOWN 3

static void probe_one(const struct server *srv, struct wizard_probe_result *r)
{
	struct addrinfo hints, *res = NULL;
	char addrs[3 * INET6_ADDRSTRLEN + 8] = "";
	size_t o = 0;
	int shown = 0, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	rc = getaddrinfo(srv->host, "123", &hints, &res);
	if (rc != 0) {
		r->ok = false;
		/* TRANSLATORS: %1$s is a host, %2$s the resolver's reason */
		snprintf(r->line, sizeof(r->line), _("%1$s: not resolved: %2$s"), srv->host,
		         gai_strerror(rc));
		return;
	}
	for (struct addrinfo *a = res; a && shown < MAX_SHOWN; a = a->ai_next) {
		char buf[INET6_ADDRSTRLEN];
		const void *p = a->ai_family == AF_INET6
		                    ? (const void *)&((struct sockaddr_in6 *)a->ai_addr)->sin6_addr
		                    : (const void *)&((struct sockaddr_in *)a->ai_addr)->sin_addr;
		if (!inet_ntop(a->ai_family, p, buf, sizeof(buf)) || strstr(addrs, buf))
			continue;
		o += (size_t)snprintf(addrs + o, sizeof(addrs) - o, "%s%s", shown ? " " : "", buf);
		shown++;
	}
	freeaddrinfo(res);
	r->ok = true;
	/* TRANSLATORS: %1$s is a host, %2$s its addresses */
	snprintf(r->line, sizeof(r->line), _("%1$s: resolved: %2$s"), srv->host, addrs);
}

void wizard_probe_servers(const struct server *servers, size_t n, struct wizard_probe_result *out)
{
	for (size_t i = 0; i < n; i++)
		probe_one(&servers[i], &out[i]);
}
