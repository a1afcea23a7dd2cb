/*
 * backend_chrony: chrony 4.x (chrony.conf).
 *
 * Facts from DAEMONS.md: a comment is a whole line starting with # ! ; %
 * (a trailing comment is a parse error), IPv6 literals are bare, no allow
 * directive means no client is served, and command access stays on
 * localhost unless cmdallow says otherwise.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "nts.h"
#include "i18n.h"

/* chrony's documented rate limiting for a server (chrony.conf(5)). */
#define CHRONY_RATELIMIT "ratelimit interval 3 burst 8 leak 2"

/* The folders the distributions' stock chrony.conf reads (keep.*):
 * Debian 13 and Ubuntu read DHCP's servers (written by the dhclient hook
 * and the NetworkManager dispatcher) and two drop-in folders; Fedora and
 * RHEL read DHCP's servers; openSUSE includes the .conf files of /etc/chrony.d (its
 * pool comes from there). doc/distributions.md has the sources. */
static const struct chrony_layout {
	const char *dhcp_dir;
	const char *sources_dir;
	const char *conf_line; /* the whole directive: confdir DIR or include GLOB */
} layouts[FAMILY_COUNT] = {
    [FAMILY_DEBIAN] = {"/run/chrony-dhcp", "/etc/chrony/sources.d", "confdir /etc/chrony/conf.d"},
    [FAMILY_UBUNTU] = {"/run/chrony-dhcp", "/etc/chrony/sources.d", "confdir /etc/chrony/conf.d"},
    [FAMILY_RHEL] = {"/run/chrony-dhcp", NULL, NULL},
    [FAMILY_SUSE] = {NULL, NULL, "include /etc/chrony.d/*.conf"},
};

/* What keep.* cannot do on this distribution: a warning, also in the file. */
static void put_keep_warnings(const struct render_ctx *ctx, struct strbuf *out,
                              struct errlist *errs)
{
	const struct chrony_layout *l = &layouts[ctx->family];
	const struct setup_keep *k = &ctx->setup->keep;

	if (k->drop_in_dirs && !l->conf_line && !l->sources_dir)
		backend_warn(ctx, k->line, out, errs,
		             "keep.drop_in_dirs: this distribution's chrony has no drop-in folders.",
		             "keep.drop_in_dirs: %s",
		             _("chrony has no drop-in folders on this distribution; nothing is "
		               "written for them"));
	if (k->dhcp_servers && !l->dhcp_dir)
		backend_warn(ctx, k->line, out, errs,
		             "keep.dhcp_servers: no DHCP source folder is known for this "
		             "distribution.",
		             "keep.dhcp_servers: %s",
		             _("ntpwiz knows no folder where this distribution puts the time "
		               "servers from DHCP for chrony; nothing is written for them"));
}

/* confdir comes last, as in Debian 13's stock file: a drop-in's setting
 * wins over ntpwiz's, as it did over the stock file's. */
static void put_keep_confdir(const struct render_ctx *ctx, struct strbuf *out)
{
	const struct chrony_layout *l = &layouts[ctx->family];

	if (ctx->setup->keep.drop_in_dirs && l->conf_line)
		strbuf_printf(out,
		              "\n# The distribution's drop-in folder for settings (keep.drop_in_dirs);\n"
		              "# what its files set wins over the lines above.\n"
		              "%s\n",
		              l->conf_line);
}

static void put_keep_sources(const struct render_ctx *ctx, struct strbuf *out)
{
	const struct chrony_layout *l = &layouts[ctx->family];
	const struct setup_keep *k = &ctx->setup->keep;

	if (k->dhcp_servers && l->dhcp_dir)
		strbuf_printf(out, "# Time servers from DHCP (keep.dhcp_servers).\nsourcedir %s\n",
		              l->dhcp_dir);
	if (k->drop_in_dirs && l->sources_dir)
		strbuf_printf(out,
		              "# The distribution's drop-in folder for sources (keep.drop_in_dirs).\n"
		              "sourcedir %s\n",
		              l->sources_dir);
}

static void put_clock(const struct render_ctx *ctx, struct strbuf *out)
{
	const struct setup_options *o = &ctx->setup->options;
	bool nts = false;

	for (size_t i = 0; i < ctx->setup->nservers; i++)
		nts |= ctx->setup->servers[i].nts;
	strbuf_puts(out, "\n# Local clock\n");
	strbuf_printf(out, "driftfile %s\n", ctx->driftfile);
	if (o->makestep_threshold > 0.0)
		strbuf_printf(out, "makestep %g %d\n", o->makestep_threshold, o->makestep_limit);
	if (o->rtcsync)
		strbuf_puts(out, "rtcsync\n");
	/* a server keeps its cookie keys there across restarts (issue 16) */
	if (nts || nts_serving(ctx->setup))
		strbuf_puts(out, "ntsdumpdir /var/lib/chrony\n");
	if (o->logdir[0])
		strbuf_printf(out, "logdir %s\nlog tracking measurements statistics\n", o->logdir);
}

/* Where chronyd gets the leap second table from (DAEMONS.md): leapseclist
 * (chrony 4.6 and later) reads tzdata's leap-seconds.list; leapsectz
 * right/UTC reads the right/ zone, which Debian 13's and Ubuntu 24.04's
 * tzdata no longer ship (tzdata-legacy has it): chronyd then logs "failed
 * leap second check" and has no table. Without either, chronyd still
 * follows the leap announcements of its servers. */
static void put_leap_source(const struct render_ctx *ctx, struct strbuf *out)
{
	const struct target_facts *t = ctx->target;
	bool list_ok = target_version_at_least(t, 4, 6);

	if (list_ok && t->looked && t->leap_list) {
		/* No exact version here: an upgrade must not change the file. */
		strbuf_puts(out, "# chrony 4.6 and later read the leap second list of tzdata.\n");
		strbuf_puts(out, "leapseclist " TARGET_LEAP_LIST "\n");
		return;
	}
	if (t->looked && t->major < 0)
		strbuf_puts(out, "# chrony's version on this system is unknown: written in the form\n"
		                 "# every chrony 4 accepts (leapseclist needs chrony 4.6).\n");
	if (target_has_right_utc(t)) {
		strbuf_puts(out, "leapsectz right/UTC\n");
		return;
	}
	strbuf_puts(out, "# No right/UTC zone here (package tzdata-legacy)");
	if (t->leap_list && !list_ok && t->major >= 0)
		strbuf_puts(out, ", and chrony before 4.6 has no leapseclist");
	strbuf_puts(out, ":\n# chronyd follows the leap second announcements of its servers.\n");
}

/* The shortest decimal that reads back as exactly v (main() keeps
 * LC_NUMERIC at "C", so the point is a '.'), so import gets the same value. */
static void put_shortest(struct strbuf *out, double v)
{
	char buf[40];

	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v && (!strchr(buf, 'e') || prec == 17))
			break;
	}
	strbuf_puts(out, buf);
}

/* Said in the file when every server smears (backend_follows_smear). */
#define FOLLOW_COMMENT                                                                             \
	"\n# Leap seconds: every server smears the leap second, so this host\n"                    \
	"# follows their clock and applies no leap second of its own (no\n"                        \
	"# leapsectz: a local leap on top of a smeared one is up to 1 s off).\n"

static void put_leap(const struct render_ctx *ctx, struct strbuf *out)
{
	const struct setup *s = ctx->setup;

	if (backend_follows_smear(s)) {
		strbuf_puts(out, FOLLOW_COMMENT);
		if (s->leap == LEAP_SLEW)
			strbuf_puts(out, "leapsecmode slew\n");
		else if (s->leap == LEAP_IGNORE)
			strbuf_puts(out, "leapsecmode ignore\n");
		return;
	}
	switch (s->leap) {
	case LEAP_STEP:
		strbuf_puts(out,
		            "\n# Leap seconds: the kernel inserts or deletes the second (step).\n");
		put_leap_source(ctx, out);
		strbuf_puts(out, "leapsecmode system\n");
		break;
	case LEAP_SLEW:
		strbuf_puts(out, "\n# Leap seconds: the clock is slewed over the leap second.\n");
		put_leap_source(ctx, out);
		strbuf_puts(out, "leapsecmode slew\n");
		break;
	case LEAP_SMEAR:
		/* chrony.conf(5), "smoothtime": the leap-only smear for clients. */
		strbuf_puts(out, "\n# Leap seconds: smeared for clients, slewed locally.\n");
		put_leap_source(ctx, out);
		strbuf_puts(out, "leapsecmode slew\n"
		                 "maxslewrate 1000\n");
		strbuf_puts(out, "smoothtime ");
		put_shortest(out, s->smear_maxfreq != 0.0 ? s->smear_maxfreq : MODEL_SMEAR_MAXFREQ);
		strbuf_putc(out, ' ');
		put_shortest(out, s->smear_maxwander != 0.0 ? s->smear_maxwander
		                                            : MODEL_SMEAR_MAXWANDER);
		strbuf_puts(out, " leaponly\n");
		break;
	case LEAP_IGNORE:
	case LEAP_COUNT:
		strbuf_puts(out,
		            "\n# Leap seconds: ignored; the offset is corrected like any other.\n"
		            "leapsecmode ignore\n");
		break;
	}
}

/* bindaddress: chrony binds its NTP server port to one IPv4 and one IPv6
 * address at most (a second one of a family replaces the first). */
static int put_bind(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	const struct setup *s = ctx->setup;
	char where[MODEL_PATH_MAX + 16];
	int n4 = 0, n6 = 0;

	for (size_t i = 0; i < s->nlisten; i++)
		*(strchr(s->listen[i].addr, ':') ? &n6 : &n4) += 1;
	if (n4 > 1 || n6 > 1) {
		errlist_add(
		    errs, ERR_ERROR, model_where(s, s->listen[0].line, where, sizeof(where)),
		    "restrict.listen: %s",
		    _("chrony serves on one IPv4 and one IPv6 address at most (bindaddress); "
		      "list at most one of each"));
		return -1;
	}
	if (s->nlisten)
		strbuf_puts(out, "# Serve only on these addresses of this host.\n");
	for (size_t i = 0; i < s->nlisten; i++)
		strbuf_printf(out, "bindaddress %s\n", s->listen[i].addr);
	return 0;
}

static void put_access(const struct setup *s, struct strbuf *out)
{
	switch (s->policy) {
	case POLICY_CLIENT_ONLY:
	case POLICY_COUNT:
		strbuf_puts(out,
		            "\n# Access: client only. No NTP server port is opened, so no other\n"
		            "# host gets time from here; chronyc works from localhost only.\n"
		            "port 0\n");
		break;
	case POLICY_LAN:
		strbuf_puts(out, "\n# Access: serve time to these networks only, rate-limited.\n");
		for (size_t i = 0; i < s->nallow; i++)
			strbuf_printf(out, "allow %s\n", s->allow[i].cidr);
		strbuf_puts(out, CHRONY_RATELIMIT "\n");
		break;
	case POLICY_PUBLIC:
		strbuf_puts(out,
		            "\n# Access: serve time to everyone, rate-limited. chrony answers no\n"
		            "# remote control queries; chronyc works from localhost only.\n"
		            "allow all\n" CHRONY_RATELIMIT "\n");
		break;
	}
	strbuf_puts(out, "bindcmdaddress 127.0.0.1\n"
	                 "bindcmdaddress ::1\n");
}

static int render(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	put_keep_warnings(ctx, out, errs);
	backend_put_sources(ctx->setup, DAEMON_CHRONY, out);
	put_keep_sources(ctx, out);
	backend_put_selection(ctx, out);
	put_clock(ctx, out);
	put_leap(ctx, out);
	put_access(ctx->setup, out);
	if (put_bind(ctx, out, errs) < 0)
		return -1;
	put_keep_confdir(ctx, out);
	return 0;
}

static const char *const check_argv[] = {"chronyd", "-p", "-f", NULL};
static const char *const check_version_argv[] = {"chronyd", "-v", NULL};
static const char *const peers_argv[] = {"chronyc", "-n", "-c", "sources", NULL};

/* chronyd -p prints the config on stdout; a "Fatal error" exits 1, and a
 * directive it no longer supports only warns on stderr, which is still a
 * bug in what ntpwiz wrote. */
static bool check_ok(int status, const char *out, const char *err)
{
	(void)out;
	return status == 0 && !*err;
}

/* No daemon: "506 Cannot talk to daemon" on stdout and exit 1. */
static bool answered(int status, const char *out, const char *err)
{
	(void)err;
	return status == 0 && !strstr(out, "506 Cannot talk to daemon");
}

const struct backend backend_chrony = {
    .id = DAEMON_CHRONY,
    .name = "chrony",
    .display_name = N_("chrony"),
    .description = N_("chrony: fast to sync, good on laptops, VMs and servers; NTS support"),
    .paths =
        {
            [FAMILY_GENERIC] = {"/etc/chrony.conf", "chronyd", "chrony", "/var/lib/chrony/drift"},
            [FAMILY_DEBIAN] = {"/etc/chrony/chrony.conf", "chrony", NULL,
                               "/var/lib/chrony/chrony.drift"},
            [FAMILY_UBUNTU] = {"/etc/chrony/chrony.conf", "chrony", NULL,
                               "/var/lib/chrony/chrony.drift"},
            [FAMILY_ALPINE] = {"/etc/chrony/chrony.conf", NULL, NULL,
                               "/var/lib/chrony/chrony.drift"},
        },
    .poll_min = -7,
    .poll_max = 24,
    .import = import_chrony,
    .render = render,
    .check_argv = check_argv,
    .check_ok = check_ok,
    .check_version_argv = check_version_argv,
    .peers_argv = peers_argv,
    .answered = answered,
    .parse_peers = peers_parse_chrony,
    .detect =
        {
            .binaries = {"/usr/sbin/chronyd", "/usr/bin/chronyd"},
        },
};
