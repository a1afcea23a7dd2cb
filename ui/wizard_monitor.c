/*
 * wizard_monitor: the Monitor page's text and its live view (see
 * wizard_monitor.h): the same parsed table `ntpwiz monitor --once` prints,
 * and the ncurses monitor with the newt screen suspended around it.
 */
#include "config.h"

#include <newt.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "monitor.h"
#include "peers.h"
#include "sysops.h"
#include "wizard_monitor.h"

static void hints_for(const struct wizard_state *w, struct peers_hints *h)
{
	h->init = (int)w->host.init;
	h->service = backend_service(w->backend, w->host.distro.family);
	h->package = backend_package(w->backend, w->host.distro.family);
}

int wizard_monitor_snapshot(const struct wizard_state *w, struct strbuf *out)
{
	const struct backend *b = w->backend;
	struct peers_hints hints;
	struct peers_snapshot snap;
	struct peers_layout lay;
	char line[1024];
	int rc;

	if (!sysops_root_is_host()) {
		strbuf_printf(out,
		              _("Under --root (%s) the daemon is not running on this system, so "
		                "there are no peers to show. On the target system, run: %s\n"),
		              sysops_root(), "ntpwiz monitor");
		return -1;
	}
	hints_for(w, &hints);
	peers_snapshot_init(&snap, b);
	peers_collect(b, false, WIZARD_MONITOR_TIMEOUT_MS, &hints, &snap);
	strbuf_printf(out, "$ %s\n", snap.command);
	rc = snap.state == PEERS_OK ? 0 : -1;
	if (rc == 0) {
		peers_format_status(&snap, sysops_now(), line, sizeof(line));
		strbuf_printf(out, "%s\n\n", line);
		peers_layout(&snap, 76, &lay);
		peers_format_header(&lay, line, sizeof(line));
		strbuf_printf(out, "%s\n", line);
		for (size_t i = 0; i < snap.nrows; i++) {
			peers_format_row(&lay, &snap.rows[i], line, sizeof(line));
			strbuf_printf(out, "%s\n", line);
		}
		if (snap.nrows == 0)
			strbuf_printf(out, "%s\n", _("(no time sources configured)"));
	} else {
		strbuf_printf(out, "%s\n", snap.explanation);
		if (snap.hint[0])
			strbuf_printf(out, "%s\n", snap.hint);
	}
	peers_snapshot_free(&snap);
	return rc;
}

int wizard_monitor_live(const struct wizard_state *w)
{
	struct monitor_opts mo;
	int rc;

	monitor_opts_init(&mo, w->backend);
	hints_for(w, &mo.hints);
	mo.why = _("just applied");
	newtSuspend();
	rc = monitor_run(&mo);
	newtResume();
	return rc;
}
