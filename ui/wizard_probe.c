/*
 * wizard_probe: the Servers page's Test button, through the native SNTP
 * probe (src/sntp.h): every address of every server at once, two samples
 * each, and the probe's own one-line verdict per server.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "errlist.h"
#include "i18n.h"
#include "sntp.h"
#include "wizard_probe.h"

/* Two samples, 250 ms apart: enough to see an answer, a KoD or a dead
 * address, and the page waits at most about 1.25 s. */
#define WIZARD_PROBE_COUNT 2

void wizard_probe_servers(const struct server *servers, size_t n, struct wizard_probe_result *out)
{
	const char *hosts[MODEL_MAX_SERVERS];
	struct sntp_options opt;
	struct sntp_report rep;
	struct errlist errs;
	size_t m = n < MODEL_MAX_SERVERS ? n : MODEL_MAX_SERVERS;

	for (size_t i = 0; i < m; i++)
		hosts[i] = servers[i].host;
	sntp_options_init(&opt);
	opt.count = WIZARD_PROBE_COUNT;
	errlist_init(&errs);
	if (sntp_probe(hosts, m, &opt, &rep, &errs) < 0) {
		for (size_t i = 0; i < n; i++) {
			out[i].ok = false;
			/* TRANSLATORS: %1$s is a host, %2$s why the probe did not run */
			snprintf(out[i].line, sizeof(out[i].line), _("%1$s: not tested: %2$s"),
			         servers[i].host, errs.n ? errs.v[0].message : "");
		}
		errlist_free(&errs);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		out[i].ok = i < rep.nhosts && rep.hosts[i].status == SNTP_STATUS_OK;
		snprintf(out[i].line, sizeof(out[i].line), "%s",
		         i < rep.nhosts ? rep.hosts[i].summary : servers[i].host);
	}
	sntp_report_free(&rep);
	errlist_free(&errs);
}
