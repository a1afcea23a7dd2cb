/*
 * wizard_probe: the Servers page's Test button. One function, so the native
 * SNTP probe (offset, delay, stratum, Kiss-o'-Death) can replace the name
 * lookup it does for now without touching the pages.
 */
#ifndef NTPWIZ_WIZARD_PROBE_H
#define NTPWIZ_WIZARD_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

#define WIZARD_PROBE_LINE 160

struct wizard_probe_result {
	bool ok;
	char line[WIZARD_PROBE_LINE]; /* translated, one line, starts with the host */
};

/* Probes n servers; out[i] says how servers[i] did. For now: resolves the
 * name (getaddrinfo) and lists up to three addresses. */
void wizard_probe_servers(const struct server *servers, size_t n, struct wizard_probe_result *out);

#endif
