/*
 * backend_openntpd: OpenNTPD (ntpd.conf, OpenBSD's daemon, portable 6.x).
 *
 * OpenNTPD answers only time requests (no control or private modes), has no
 * client access list, no rate limiting, no iburst (it queries quickly at
 * start on its own), no poll settings and no leap-second directives
 * (DAEMONS.md).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "i18n.h"

/* HTTPS time constraints (issue 16 section 1): OpenBSD's defaults unless
 * the profile lists its own or switches them off (constraints = false). */
static void put_constraints(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	const struct setup *s = ctx->setup;
	const struct constraint *list;
	size_t n = model_constraints(s, &list);

	if (n == 0) {
		strbuf_puts(out, "\n");
		backend_warn(ctx, s->constraints.line, out, errs,
		             "constraints = false: no HTTPS time constraints; OpenNTPD takes its "
		             "servers' time as it is.",
		             "constraints: %s",
		             _("switched off: OpenNTPD takes its servers' time as it is, so one "
		               "forged or wrong NTP answer can move the clock far"));
		return;
	}
	strbuf_printf(out,
	              "\n# Time constraints (%s): the servers' time is\n"
	              "# checked against the time in HTTPS answers of these sites, so a\n"
	              "# forged NTP answer cannot move the clock far. Only a build with\n"
	              "# libtls uses them; Debian's has none: it accepts these lines and\n"
	              "# logs \"constraint configured without libtls support\".\n",
	              s->constraints.set ? "the profile's" : "OpenBSD's defaults");
	for (size_t i = 0; i < n; i++)
		strbuf_printf(out, "%s from \"%s\"\n", list[i].all ? "constraints" : "constraint",
		              list[i].from);
}

static int render(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	const struct setup *s = ctx->setup;

	strbuf_puts(out, "\n# Time sources (\"servers\" uses every address of a name)\n");
	for (size_t i = 0; i < s->nservers; i++) {
		const struct server *srv = &s->servers[i];
		int weight = srv->weight ? srv->weight : srv->prefer ? 10 : 0;

		strbuf_printf(out, "%s %s", srv->kind == SERVER_KIND_POOL ? "servers" : "server",
		              srv->host);
		if (weight)
			strbuf_printf(out, " weight %d", weight);
		strbuf_putc(out, '\n');
		if (srv->minpoll != MODEL_POLL_UNSET || srv->maxpoll != MODEL_POLL_UNSET)
			backend_warn(
			    ctx, srv->line, out, errs,
			    "OpenNTPD chooses its own poll interval; minpoll/maxpoll are not "
			    "used.",
			    _("servers[%zu]: OpenNTPD chooses its own poll interval; "
			      "minpoll/maxpoll of %s are not used"),
			    i, srv->host);
	}
	put_constraints(ctx, out, errs);
	strbuf_puts(out, "\n# Leap seconds: OpenNTPD has no leap-second setting; a leap second\n"
	                 "# shows up as a one-second offset that it corrects.\n");
	if (s->policy == POLICY_PUBLIC || s->policy == POLICY_LAN) {
		if (s->policy == POLICY_LAN)
			strbuf_puts(
			    out, "\n# Access: serve time on the LAN's addresses below. OpenNTPD\n"
			         "# answers only time requests (no control queries).\n");
		else
			strbuf_puts(
			    out, "\n# Access: serve time to everyone. OpenNTPD answers only time\n"
			         "# requests (no control queries, so no amplification).\n");
		backend_warn(ctx, s->policy_line, out, errs,
		             "OpenNTPD has no rate limiting; limit it with a firewall.", "%s",
		             _("restrict.policy: OpenNTPD has no rate limiting; limit it with a "
		               "firewall"));
		if (s->policy == POLICY_LAN)
			backend_warn(
			    ctx, s->policy_line, out, errs,
			    "OpenNTPD has no access list: it answers every host that reaches "
			    "these addresses, not only the LAN networks.",
			    "%s",
			    _("restrict.allow: OpenNTPD has no access list: it answers every "
			      "host that reaches the listen addresses, not only the allowed "
			      "networks; limit it with a firewall"));
		if (!s->nlisten)
			strbuf_puts(out, "listen on *\n");
		for (size_t i = 0; i < s->nlisten; i++)
			strbuf_printf(out, "listen on %s\n", s->listen[i].addr);
	} else {
		strbuf_puts(out, "\n# Access: client only. No \"listen on\", so no other host gets "
		                 "time from here.\n");
	}
	return 0;
}

/* Debian installs the daemon as both ntpd and openntpd; "openntpd" cannot
 * be NTPsec's or ntp.org's ntpd. */
static const char *const check_argv[] = {"openntpd", "-n", "-f", NULL};
static const char *const peers_argv[] = {"ntpctl", "-s", "peers", NULL};

/* "ntpd -n" says "configuration OK" on stderr. Debian's build, without
 * libtls, adds a note for constraint lines: that is about the build, not
 * the file. Any other line is a complaint ("FILE:N: syntax error"). */
static bool check_ok(int status, const char *out, const char *err)
{
	static const char *const fine[] = {"configuration OK",
	                                   "constraint configured without libtls support"};
	bool said_ok = false;

	(void)out;
	if (status != 0)
		return false;
	for (const char *l = err; *l;) {
		size_t n = strcspn(l, "\n"), i;
		for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
			if (n == strlen(fine[i]) && strncmp(l, fine[i], n) == 0)
				break;
		if (n && i == sizeof(fine) / sizeof(fine[0]))
			return false;
		said_ok |= i == 0;
		l += n + (l[n] == '\n');
	}
	return said_ok;
}

static bool answered(int status, const char *out, const char *err)
{
	(void)out;
	return status == 0 && !strstr(err, "connect");
}

const struct backend backend_openntpd = {
    .id = DAEMON_OPENNTPD,
    .name = "openntpd",
    .display_name = N_("OpenNTPD"),
    .description = N_("OpenNTPD: small and simple, from OpenBSD; no leap or access options"),
    .paths =
        {
            [FAMILY_GENERIC] = {"/etc/ntpd.conf", "openntpd", "openntpd", NULL},
            [FAMILY_DEBIAN] = {"/etc/openntpd/ntpd.conf", NULL, NULL, NULL},
            [FAMILY_UBUNTU] = {"/etc/openntpd/ntpd.conf", NULL, NULL, NULL},
        },
    .leap_refusal =
        {
            [LEAP_SLEW] = N_("OpenNTPD cannot do leap mode \"slew\": it has no leap-second "
                             "options; use step (the default) or chrony"),
            [LEAP_SMEAR] = N_("OpenNTPD cannot do leap mode \"smear\": it has no leap-second "
                              "options; use chrony"),
            [LEAP_IGNORE] = N_("OpenNTPD cannot do leap mode \"ignore\": it has no leap-second "
                               "options; use step (the default) or chrony"),
        },
    .policy_refusal =
        {
            [POLICY_LAN] = N_("OpenNTPD cannot serve only some networks: it has no client access "
                              "list. Give the LAN's own address in restrict.listen (listen on), "
                              "use the public policy behind a firewall, or chrony"),
        },
    .lan_by_listen = true,
    .scope_refusal = N_("OpenNTPD does not take a link-local address with an interface name; "
                        "use a name, a global address, or chrony"),
    .nts_refusal = N_("OpenNTPD has no NTS; use chrony or ntpsec for NTS servers"),
    .poll_note = "unused",
    .import = import_openntpd,
    .render = render,
    .check_argv = check_argv,
    .check_ok = check_ok,
    .peers_argv = peers_argv,
    .answered = answered,
    .parse_peers = peers_parse_openntpd,
    .detect =
        {
            .binaries = {"/usr/sbin/ntpd", "/usr/bin/ntpd"},
            /* Debian also installs /usr/sbin/openntpd, a link to ntpd */
            .marks = {"/usr/sbin/ntpctl", "/usr/bin/ntpctl", "/usr/sbin/openntpd"},
        },
};
