/*
 * backend_timesyncd: systemd-timesyncd, a drop-in under
 * /etc/systemd/timesyncd.conf.d/. An SNTP client only: it serves no one,
 * has no NTS, uses one server at a time in the listed order, and passes
 * the leap indicator to the kernel (DAEMONS.md).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "i18n.h"

static int render(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	const struct setup *s = ctx->setup;
	int minpoll = MODEL_POLL_UNSET, maxpoll = MODEL_POLL_UNSET;

	(void)errs;
	if (s->keep.dhcp_servers)
		strbuf_puts(out, "\n# Time servers from DHCP (keep.dhcp_servers): timesyncd also uses\n"
		                 "# the servers systemd-networkd learns per link; nothing to write.\n");
	/* One server at a time, in order: preferred ones go first. */
	strbuf_puts(out,
	            backend_follows_smear(s)
	                ? "\n# Leap seconds: every server smears the leap second and announces\n"
	                  "# none, so this host follows their clock.\n"
	                : "\n# Leap seconds: the kernel inserts or deletes the second (step).\n");
	strbuf_puts(out, "# Access: client only (timesyncd never serves time).\n\n"
	                 "[Time]\n"
	                 /* NTP= adds to the servers of timesyncd.conf and earlier
	                  * drop-ins; only an empty NTP= clears them (timesyncd.conf(5)). */
	                 "# An empty NTP= first: only these servers, not the ones of\n"
	                 "# timesyncd.conf or other drop-ins.\n"
	                 "NTP=\nNTP=");
	for (int pass = 1; pass >= 0; pass--) {
		for (size_t i = 0; i < s->nservers; i++) {
			const struct server *srv = &s->servers[i];
			if (srv->prefer != (pass == 1))
				continue;
			if (out->len && out->buf[out->len - 1] != '=')
				strbuf_putc(out, ' ');
			strbuf_puts(out, srv->host);
			/* The poll interval is global here: the widest asked for. */
			if (srv->minpoll != MODEL_POLL_UNSET &&
			    (minpoll == MODEL_POLL_UNSET || srv->minpoll < minpoll))
				minpoll = srv->minpoll;
			if (srv->maxpoll > maxpoll)
				maxpoll = srv->maxpoll;
		}
	}
	strbuf_putc(out, '\n');
	/* timesyncd refuses a maximum below the minimum (default maximum 2048 s). */
	if (minpoll != MODEL_POLL_UNSET && maxpoll == MODEL_POLL_UNSET && minpoll > 11)
		maxpoll = minpoll;
	if (minpoll != MODEL_POLL_UNSET)
		strbuf_printf(out, "PollIntervalMinSec=%ld\n", 1L << minpoll);
	if (maxpoll != MODEL_POLL_UNSET)
		strbuf_printf(out, "PollIntervalMaxSec=%ld\n", 1L << maxpoll);
	/* selection.maxdistance (issue 16 section 3): the largest root distance
	 * a server may have to be used */
	if (s->selection.maxdistance != 0.0) {
		strbuf_puts(out, "RootDistanceMaxSec=");
		backend_put_number(out, s->selection.maxdistance);
		strbuf_putc(out, '\n');
	}
	return 0;
}

static const char *const peers_argv[] = {"timedatectl", "show-timesync", NULL};

static bool answered(int status, const char *out, const char *err)
{
	(void)err;
	return status == 0 && strstr(out, "ServerName=") != NULL;
}

const struct backend backend_timesyncd = {
    .id = DAEMON_TIMESYNCD,
    .name = "timesyncd",
    .display_name = N_("systemd-timesyncd"),
    .description = N_("systemd-timesyncd: a minimal client, built into systemd; never serves"),
    .paths =
        {
            [FAMILY_GENERIC] = {"/etc/systemd/timesyncd.conf.d/ntpwiz.conf", "systemd-timesyncd",
                                "systemd", NULL},
            [FAMILY_DEBIAN] = {NULL, NULL, "systemd-timesyncd", NULL},
            [FAMILY_UBUNTU] = {NULL, NULL, "systemd-timesyncd", NULL},
        },
    .leap_refusal =
        {
            [LEAP_SLEW] = N_("systemd-timesyncd cannot do leap mode \"slew\": it always passes "
                             "the leap second to the kernel; use chrony"),
            [LEAP_SMEAR] = N_("systemd-timesyncd cannot do leap mode \"smear\"; use chrony"),
            [LEAP_IGNORE] = N_("systemd-timesyncd cannot do leap mode \"ignore\": it always "
                               "passes the leap second to the kernel; use chrony"),
        },
    .policy_refusal =
        {
            [POLICY_LAN] = N_("systemd-timesyncd is a client only and cannot serve time to a LAN; "
                              "use chrony, ntpsec or ntpd"),
            [POLICY_PUBLIC] = N_("systemd-timesyncd is a client only and cannot serve time; use "
                                 "chrony, ntpsec or ntpd"),
        },
    .scope_refusal =
        N_("systemd-timesyncd does not take a link-local address with an interface name; "
           "use a name, a global address, or chrony"),
    .nts_refusal = N_("systemd-timesyncd has no NTS; use chrony or ntpsec for NTS servers"),
    .poll_min = 4, /* timesyncd refuses PollIntervalMinSec below 16 s */
    .poll_max = 17,
    .import = import_timesyncd,
    .render = render,
    .peers_argv = peers_argv,
    .answered = answered,
    .parse_peers = peers_parse_timesyncd,
    .detect =
        {
            .binaries = {"/lib/systemd/systemd-timesyncd", "/usr/lib/systemd/systemd-timesyncd"},
        },
};
