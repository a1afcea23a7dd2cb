/*
 * wizard_probe: the Servers page's Test button: the native SNTP probe
 * (offset, delay, stratum, leap, Kiss-o'-Death) of the chosen servers.
 */
#ifndef NTPWIZ_WIZARD_PROBE_H
#define NTPWIZ_WIZARD_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

#define WIZARD_PROBE_LINE 512

struct wizard_probe_result {
	bool ok;
	char line[WIZARD_PROBE_LINE]; /* translated, one line, starts with the host */
};

/* Probes n servers at once (blocks for about 1.25 s at most once the
 * names are resolved); out[i] is the probe's verdict on servers[i]:
 * "HOST: usable: ..." or "HOST: not usable: why". */
void wizard_probe_servers(const struct server *servers, size_t n, struct wizard_probe_result *out);

#endif
