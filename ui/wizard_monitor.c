/*
 * wizard_monitor: one snapshot of the peer table (see wizard_monitor.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "sysops.h"
#include "wizard_monitor.h"

int wizard_monitor_snapshot(const struct wizard_state *w, struct strbuf *out)
{
	const struct backend *b = w->backend;
	struct sysops_exec_result r;
	char cmd[256] = "";
	size_t o = 0;
	int rc = -1;

	for (size_t i = 0; b->peers_argv[i] && o < sizeof(cmd); i++)
		o += (size_t)snprintf(cmd + o, sizeof(cmd) - o, "%s%s", i ? " " : "",
		                      b->peers_argv[i]);
	if (!sysops_root_is_host()) {
		strbuf_printf(out,
		              _("Under --root (%s) the daemon is not running on this system, so "
		                "there are no peers to show. On the target system, run: %s\n"),
		              sysops_root(), cmd);
		return -1;
	}
	strbuf_printf(out, "$ %s\n", cmd);
	if (sysops_exec(b->peers_argv, WIZARD_MONITOR_TIMEOUT_MS, &r) < 0) {
		strbuf_printf(out, _("cannot run it: %s\n"), strerror(r.err));
		return -1;
	}
	if (r.out)
		strbuf_append(out, r.out, r.out_len);
	if (r.errout && r.errout_len)
		strbuf_append(out, r.errout, r.errout_len);
	if (r.timed_out)
		strbuf_printf(out, _("(no answer within %d s)\n"),
		              WIZARD_MONITOR_TIMEOUT_MS / 1000);
	else if (b->answered(r.status, r.out ? r.out : "", r.errout ? r.errout : ""))
		rc = 0;
	else
		strbuf_printf(out, _("(%s did not answer; it may still be starting)\n"), b->name);
	sysops_exec_result_free(&r);
	return rc;
}
