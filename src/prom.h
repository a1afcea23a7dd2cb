/*
 * prom: the daemon's sync state in the Prometheus text exposition format
 * (version 0.0.4), for node_exporter's textfile collector
 * (`ntpwiz monitor --once --format prometheus`). Metric names, help texts
 * and label values are machine text: never translated.
 */
#ifndef NTPWIZ_PROM_H
#define NTPWIZ_PROM_H

#include <time.h>

struct peers_snapshot;
struct strbuf;

/*
 * Appends the metrics for one monitor snapshot to out. chosen says why
 * this daemon was watched ("option", "running", "configured", "default").
 * What the daemon did not say has no sample at all (never a made-up 0);
 * a daemon that did not answer gives ntpwiz_daemon_up 0 and the info and
 * timestamp series only.
 */
void prom_format_monitor(const struct peers_snapshot *snap, const char *chosen, struct strbuf *out);

#endif
