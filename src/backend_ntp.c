/*
 * backend_ntp: ntpd from ntp.org (4.2.8) and NTPsec (1.2), which share the
 * ntp.conf language but not all of its flags.
 *
 * The restrict lines follow the seeds: the default entry never answers
 * control (mode 6) or private (mode 7) queries and never lets anyone
 * reconfigure the daemon (kod limited nomodify noquery, plus notrap nopeer
 * on ntp.org, where they are real). NTPsec ignores notrap and nopeer and
 * warns about them, so they are left out there (DAEMONS.md).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "i18n.h"


static bool is_ntpsec(const struct render_ctx *ctx)
{
	return ctx->backend->id == DAEMON_NTPSEC;
}

static void put_clock(const struct render_ctx *ctx, struct strbuf *out)
{
	const struct setup_options *o = &ctx->setup->options;

	strbuf_puts(out, "\n# Local clock\n");
	strbuf_printf(out, "driftfile %s\n", ctx->driftfile);
	if (o->logdir[0])
		strbuf_printf(out, "statsdir %s/\nstatistics loopstats peerstats clockstats\n",
		              o->logdir);
	/* Only step reaches here (the table refuses the rest): ntpd arms the
	 * kernel, which inserts or deletes the second. With smearing servers
	 * only, no leapfile: ntpd would insert the second on top of theirs. */
	if (backend_follows_smear(ctx->setup))
		strbuf_puts(out,
		            "\n# Leap seconds: every server smears the leap second, so this host\n"
		            "# follows their clock and applies no leap second of its own (no\n"
		            "# leapfile: a local leap on top of a smeared one is up to 1 s off).\n");
	else {
		strbuf_puts(out, "\n# Leap seconds: the kernel inserts or deletes the second (step).\n");
		if (target_has_leap_list(ctx->target))
			strbuf_puts(out, "leapfile " TARGET_LEAP_LIST "\n");
		else
			strbuf_puts(out, "# No " TARGET_LEAP_LIST " here (package tzdata): ntpd\n"
			                 "# follows the leap second announcements of its servers.\n");
	}
}

/* The flags for a host that may get time but nothing else. */
static const char *serve_flags(const struct render_ctx *ctx)
{
	return is_ntpsec(ctx) ? "kod limited nomodify noquery"
	                      : "kod limited notrap nomodify nopeer noquery";
}

/*
 * Not serving is "ignore", not "noserve": observed with NTPsec 1.2.2, a
 * noserve default also drops the replies of the host's own servers, and
 * "restrict source" opens a hole for them only through "ignore" (the log
 * says "Poking hole in restrictions for ADDR"). This is ntp.org's own
 * recipe for a client that serves no one.
 */
static void put_default(const struct render_ctx *ctx, struct strbuf *out, bool serve)
{
	const char *flags = serve ? serve_flags(ctx) : "ignore";

	if (is_ntpsec(ctx)) {
		strbuf_printf(out, "restrict default %s\n", flags);
	} else {
		strbuf_printf(out, "restrict -4 default %s\n", flags);
		strbuf_printf(out, "restrict -6 default %s\n", flags);
	}
}

static int put_access(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	const struct setup *s = ctx->setup;
	char where[MODEL_PATH_MAX + 16];

	switch (s->policy) {
	case POLICY_CLIENT_ONLY:
	case POLICY_COUNT:
		strbuf_puts(out,
		            "\n# Access: client only. Other hosts get nothing: no time, no answer\n"
		            "# to control (mode 6) or private (mode 7) queries, no changes.\n");
		put_default(ctx, out, false);
		break;
	case POLICY_LAN:
		strbuf_puts(out,
		            "\n# Access: serve time to these networks only, rate-limited; no\n"
		            "# control or private queries and no changes from them. Others get\n"
		            "# nothing.\n");
		put_default(ctx, out, false);
		for (size_t i = 0; i < s->nallow; i++) {
			char addr[64], mask[64];
			if (backend_cidr_to_mask(s->allow[i].cidr, addr, sizeof(addr), mask,
			                         sizeof(mask)) < 0) {
				errlist_add(errs, ERR_ERROR,
				            model_where(s, s->allow[i].line, where, sizeof(where)),
				            "restrict.allow[%zu]: %s", i, _("is not a network"));
				return -1;
			}
			strbuf_printf(out, "restrict %s mask %s %s\n", addr, mask,
			              serve_flags(ctx));
		}
		break;
	case POLICY_PUBLIC:
		strbuf_puts(out,
		            "\n# Access: serve time to everyone, rate-limited (kod limited); no\n"
		            "# control or private queries and no changes from anyone remote.\n");
		put_default(ctx, out, true);
		break;
	}
	/* The host's own servers and pools get time through a hole ntpd makes
	 * per association (and past ntp.org's nopeer for pools). */
	strbuf_printf(out,
	              "# The servers above may answer, but not query or change anything.\n"
	              "restrict source %s\n",
	              is_ntpsec(ctx) ? "nomodify noquery" : "notrap nomodify noquery");
	strbuf_puts(out, "# Localhost keeps full access, so ntpq works here.\n"
	                 "restrict 127.0.0.1\n"
	                 "restrict ::1\n");
	return 0;
}

/* Debian's and Ubuntu's ntpsec package ships a dhclient hook
 * (/etc/dhcp/dhclient-exit-hooks.d/ntpsec): it writes this file with the
 * servers from DHCP to /run/ntpsec/ntp.conf.dhcp, and the service's
 * wrapper starts ntpd on that copy while it exists, unless
 * /etc/default/ntpsec says IGNORE_DHCP="yes". */
static void put_keep(const struct render_ctx *ctx, struct strbuf *out)
{
	const struct setup_keep *k = &ctx->setup->keep;
	bool debian = ctx->family == FAMILY_DEBIAN || ctx->family == FAMILY_UBUNTU;

	if (k->dhcp_servers && is_ntpsec(ctx) && debian)
		strbuf_puts(out, "# Time servers from DHCP (keep.dhcp_servers): the dhclient hook\n"
		                 "# writes a copy of this file with them to /run/ntpsec/ntp.conf.dhcp,\n"
		                 "# which ntpsec reads while it exists (IGNORE_DHCP in\n"
		                 "# /etc/default/ntpsec turns that off).\n");
}

/*
 * Serving only on chosen addresses: ntpd opens a socket per address (and a
 * wildcard one) unless told otherwise, and the last matching interface
 * rule decides (ntp.conf(5), "interface"). Localhost stays open for ntpq.
 * ntpd also sends its own queries from these sockets only, so its servers
 * must be reachable from the listed addresses: said as a warning.
 */
static void put_interfaces(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	const struct setup *s = ctx->setup;

	if (!s->nlisten)
		return;
	strbuf_puts(out,
	            "\n# Serve only on these addresses of this host (and localhost, for ntpq).\n");
	backend_warn(ctx, s->listen[0].line, out, errs,
	             "ntpd also queries its servers from these addresses only.", "%s",
	             _("restrict.listen: ntpd also queries its own servers from the listen "
	               "addresses only; the servers must be reachable from them"));
	strbuf_puts(out, "interface ignore wildcard\n"
	                 "interface ignore all\n"
	                 "interface listen 127.0.0.1\n"
	                 "interface listen ::1\n");
	for (size_t i = 0; i < s->nlisten; i++)
		strbuf_printf(out, "interface listen %s\n", s->listen[i].addr);
}

static int render(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	backend_put_sources(ctx->setup, ctx->backend->id, out);
	put_keep(ctx, out);
	backend_put_selection(ctx, out);
	put_clock(ctx, out);
	if (put_access(ctx, out, errs) < 0)
		return -1;
	put_interfaces(ctx, out, errs);
	return 0;
}

static const char *const peers_argv[] = {"ntpq", "-pn", NULL};

/* ntpq exits 0 on every error ("***Socket error", "***Request timed out"):
 * the header line is the sign that ntpd answered. */
static bool answered(int status, const char *out, const char *err)
{
	(void)status;
	return strstr(out, "remote") && strstr(out, "refid") && !strstr(out, "***") &&
	       !strstr(err, "***");
}

const struct backend backend_ntp = {
    .id = DAEMON_NTP,
    .name = "ntp",
    .display_name = N_("ntpd (ntp.org)"),
    .description = N_("ntpd from ntp.org: the reference implementation"),
    .paths =
        {
            [FAMILY_GENERIC] = {"/etc/ntp.conf", "ntpd", "ntp", "/var/lib/ntp/drift"},
            [FAMILY_DEBIAN] = {NULL, "ntp", NULL, "/var/lib/ntp/ntp.drift"},
            [FAMILY_UBUNTU] = {NULL, "ntp", NULL, "/var/lib/ntp/ntp.drift"},
        },
    .leap_refusal =
        {
            [LEAP_SLEW] = N_("ntpd cannot do leap mode \"slew\" from its config file (only with "
                             "the -x option, which slews every correction); use step or chrony"),
            [LEAP_SMEAR] = N_("ntpd cannot do leap mode \"smear\": it needs a build with "
                              "--enable-leap-smear, which distributions do not ship; use chrony"),
            [LEAP_IGNORE] = N_("ntpd cannot do leap mode \"ignore\": it always passes the leap "
                               "second to the kernel; use step or chrony"),
        },
    .nts_refusal = N_("ntpd from ntp.org has no NTS; use ntpsec or chrony for NTS servers"),
    .poll_min = 3,
    .poll_max = 17,
    .import = import_ntp,
    .render = render,
    .peers_argv = peers_argv,
    .answered = answered,
    .parse_peers = peers_parse_ntpq,
    .detect =
        {
            .binaries = {"/usr/sbin/ntpd", "/usr/bin/ntpd"},
            /* ntpdc and ntp-keygen: NTPsec dropped the one and renamed the other */
            .marks = {"/usr/sbin/ntpdc", "/usr/bin/ntpdc", "/usr/sbin/ntp-keygen",
                      "/usr/bin/ntp-keygen"},
            .fallback_owner = true,
        },
};

const struct backend backend_ntpsec = {
    .id = DAEMON_NTPSEC,
    .name = "ntpsec",
    .display_name = N_("NTPsec"),
    .description = N_("NTPsec: a hardened ntpd with NTS"),
    .paths =
        {
            [FAMILY_GENERIC] = {"/etc/ntp.conf", "ntpd", "ntpsec", "/var/lib/ntp/ntp.drift"},
            [FAMILY_DEBIAN] = {"/etc/ntpsec/ntp.conf", "ntpsec", NULL, "/var/lib/ntpsec/ntp.drift"},
            [FAMILY_UBUNTU] = {"/etc/ntpsec/ntp.conf", "ntpsec", NULL, "/var/lib/ntpsec/ntp.drift"},
        },
    .leap_refusal =
        {
            [LEAP_SLEW] = N_("ntpsec cannot do leap mode \"slew\" from its config file; use step "
                             "or chrony"),
            [LEAP_SMEAR] = N_("ntpsec cannot do leap mode \"smear\": distribution builds lack "
                              "LEAP_SMEAR support (\"Built without LEAP_SMEAR support\"); use "
                              "chrony"),
            [LEAP_IGNORE] = N_("ntpsec cannot do leap mode \"ignore\": it always passes the leap "
                               "second to the kernel; use step or chrony"),
        },
    .poll_min = 0,
    .poll_max = 17,
    .import = import_ntpsec,
    .render = render,
    .peers_argv = peers_argv,
    .answered = answered,
    .parse_peers = peers_parse_ntpq,
    .detect =
        {
            .binaries = {"/usr/sbin/ntpd", "/usr/bin/ntpd"},
            .marks = {"/usr/bin/ntpmon", "/usr/sbin/ntpkeygen", "/usr/bin/ntpkeygen",
                      "/usr/libexec/ntpsec"},
        },
};
