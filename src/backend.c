/*
 * backend: the daemon table and the checks every renderer shares.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "extra.h"
#include "keys.h"
#include "nts.h"
#include "refclock.h"
#include "i18n.h"
#include "detect.h"
#include "import.h"
#include "smear.h"
#include "startopts.h"
#include "sysops.h"

static const struct backend *const all[] = {
    &backend_chrony, &backend_ntpsec, &backend_ntp, &backend_openntpd, &backend_timesyncd,
};

const struct backend *const *backend_all(size_t *count)
{
	*count = sizeof(all) / sizeof(all[0]);
	return all;
}

const struct backend *backend_find(enum daemon_id id)
{
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->id == id)
			return all[i];
	return NULL;
}

const struct backend *backend_by_name(const char *name)
{
	int id = model_daemon_from_name(name);

	return id < 0 ? NULL : backend_find((enum daemon_id)id);
}

#define PATH_FIELD(b, f, field)                                                                    \
	((unsigned)(f) < FAMILY_COUNT && (b)->paths[f].field ? (b)->paths[f].field                 \
	                                                     : (b)->paths[FAMILY_GENERIC].field)

const char *backend_conf_path(const struct backend *b, enum distro_family f)
{
	return PATH_FIELD(b, f, conf);
}
const char *backend_service(const struct backend *b, enum distro_family f)
{
	return PATH_FIELD(b, f, service);
}
const char *backend_package(const struct backend *b, enum distro_family f)
{
	return PATH_FIELD(b, f, package);
}
const char *backend_driftfile(const struct backend *b, enum distro_family f)
{
	return PATH_FIELD(b, f, driftfile);
}

const struct backend *backend_resolve(const struct setup *s, enum distro_family f)
{
	if (s->daemon != DAEMON_AUTO)
		return backend_find(s->daemon);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		struct sysops_stat st;
		if (sysops_stat_root(backend_conf_path(all[i], f), &st) == 0 && st.exists)
			return all[i];
	}
	return &backend_chrony;
}

/* The daemon a distribution installs for full NTP service when nothing is
 * on the host yet, and why (N_()). */
static const struct {
	enum daemon_id daemon;
	const char *why;
} family_default[FAMILY_COUNT] = {
    [FAMILY_GENERIC] = {DAEMON_CHRONY, N_("nothing is installed, and chrony is ntpwiz's "
                                          "recommended daemon")},
    [FAMILY_DEBIAN] = {DAEMON_CHRONY, N_("nothing is installed; Debian's full NTP daemon is "
                                         "chrony (systemd-timesyncd cannot serve time)")},
    [FAMILY_UBUNTU] = {DAEMON_CHRONY, N_("nothing is installed; Ubuntu's full NTP daemon is "
                                         "chrony (systemd-timesyncd cannot serve time)")},
    [FAMILY_RHEL] = {DAEMON_CHRONY, N_("nothing is installed; it is the distribution's "
                                       "default")},
    [FAMILY_AMAZON] = {DAEMON_CHRONY, N_("nothing is installed; it is the distribution's "
                                         "default")},
    [FAMILY_SUSE] = {DAEMON_CHRONY, N_("nothing is installed; it is the distribution's "
                                       "default")},
    [FAMILY_ARCH] = {DAEMON_CHRONY, N_("nothing is installed, and chrony is ntpwiz's "
                                       "recommended daemon")},
    [FAMILY_ALPINE] = {DAEMON_CHRONY, N_("nothing is installed; it is the distribution's "
                                         "default")},
};

const struct backend *backend_choose_auto(const struct detect_info *host, char *why, size_t size)
{
	/* the order is the message: each pass, and what it says */
	static const char *const said[] = {
	    N_("it is running"),
	    N_("it is enabled to start at boot"),
	    N_("it is the time daemon installed"),
	    N_("its configuration file exists"),
	};
	enum distro_family f = host->distro.family;
	const struct backend *b;

	for (int pass = 0; pass < 4; pass++) {
		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
			const struct detect_daemon *dd = &host->daemons[all[i]->id];
			bool hit = pass == 0   ? dd->running
			           : pass == 1 ? dd->enabled
			           : pass == 2 ? dd->installed
			                       : dd->config_exists;
			if (!dd->backend || !hit)
				continue;
			/* TRANSLATORS: %1$s is the daemon, %2$s why it was chosen */
			snprintf(why, size, _("%1$s: %2$s"), all[i]->name, _(said[pass]));
			return all[i];
		}
	}
	b = backend_find((unsigned)f < FAMILY_COUNT ? family_default[f].daemon : DAEMON_CHRONY);
	snprintf(why, size, _("%1$s: %2$s"), b->name,
	         _(family_default[(unsigned)f < FAMILY_COUNT ? f : FAMILY_GENERIC].why));
	return b;
}

void backend_put_number(struct strbuf *out, double v)
{
	char buf[40];

	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v && (!strchr(buf, 'e') || prec == 17))
			break;
	}
	strbuf_puts(out, buf);
}

/* Per-server source selection options (issue 16 section 3), in the words
 * of daemon d; what d cannot write is refused or warned about by the
 * key rules below, never written in another daemon's words. */
static void put_selection_options(enum daemon_id d, const struct server *srv, struct strbuf *out)
{
	if (srv->noselect)
		strbuf_puts(out, " noselect");
	if (srv->trust)
		strbuf_puts(out, d == DAEMON_CHRONY ? " trust" : " true");
	if (srv->xleave && d == DAEMON_CHRONY)
		strbuf_puts(out, " xleave");
	if (srv->maxdelay != 0.0 && d == DAEMON_CHRONY) {
		strbuf_puts(out, " maxdelay ");
		backend_put_number(out, srv->maxdelay);
	}
}

void backend_put_selection(const struct render_ctx *ctx, struct strbuf *out)
{
	const struct setup_selection *sel = &ctx->setup->selection;

	if (!sel->minsources && sel->maxdistance == 0.0 && !sel->orphan)
		return;
	strbuf_puts(out, "\n# Source selection\n");
	if (ctx->backend->id == DAEMON_CHRONY) {
		if (sel->minsources)
			strbuf_printf(out, "minsources %d\n", sel->minsources);
		if (sel->maxdistance != 0.0) {
			strbuf_puts(out, "maxdistance ");
			backend_put_number(out, sel->maxdistance);
			strbuf_putc(out, '\n');
		}
		if (sel->orphan)
			strbuf_printf(out,
			              "# Orphan mode: without its servers this host keeps serving its\n"
			              "# clients at stratum %d; servers of the same LAN with the same\n"
			              "# setting agree on one of them.\n"
			              "local stratum %d orphan\n",
			              sel->orphan, sel->orphan);
		return;
	}
	if (sel->orphan)
		strbuf_printf(out, "# Orphan mode: without its servers this host keeps serving its\n"
		                   "# clients at stratum %d.\n",
		              sel->orphan);
	strbuf_puts(out, "tos");
	if (sel->minsources)
		strbuf_printf(out, " minsane %d", sel->minsources);
	if (sel->maxdistance != 0.0) {
		strbuf_puts(out, " maxdist ");
		backend_put_number(out, sel->maxdistance);
	}
	if (sel->orphan)
		strbuf_printf(out, " orphan %d", sel->orphan);
	strbuf_putc(out, '\n');
}

/* chrony, ntpd and NTPsec share the source line:
 * server|pool HOST [iburst] [prefer] [minpoll N] [maxpoll N] [nts] */
void backend_put_sources(const struct setup *s, enum daemon_id d, struct strbuf *out)
{
	strbuf_puts(out, "\n# Time sources\n");
	for (size_t i = 0; i < s->nservers; i++) {
		const struct server *srv = &s->servers[i];
		strbuf_printf(out, "%s %s", model_kind_name(srv->kind), srv->host);
		if (srv->iburst)
			strbuf_puts(out, " iburst");
		if (srv->prefer)
			strbuf_puts(out, " prefer");
		if (srv->minpoll != MODEL_POLL_UNSET)
			strbuf_printf(out, " minpoll %d", srv->minpoll);
		if (srv->maxpoll != MODEL_POLL_UNSET)
			strbuf_printf(out, " maxpoll %d", srv->maxpoll);
		if (srv->nts)
			strbuf_puts(out, " nts");
		if (srv->key) /* issue 16 section 2: chrony, ntpd and NTPsec spell it alike */
			strbuf_printf(out, " key %u", srv->key);
		put_selection_options(d, srv, out);
		strbuf_putc(out, '\n');
	}
}

static void put_header(const struct render_ctx *ctx, struct strbuf *out)
{
	/* No date and no version: the same choices must give the same bytes,
	 * so that applying twice changes nothing. */
	strbuf_printf(out,
	              "# %s: %s configuration written by ntpwiz.\n"
	              "# Change it with ntpwiz (edit the profile, then \"ntpwiz apply\");\n"
	              "# edits made here are replaced the next time it is applied.\n",
	              ctx->conf_path, ctx->backend->name);
}

void backend_warn(const struct render_ctx *ctx, int line, struct strbuf *out, struct errlist *errs,
                  const char *comment, const char *fmt, ...)
{
	char where[MODEL_PATH_MAX + 16];
	struct strbuf msg;
	va_list ap;

	strbuf_init(&msg);
	va_start(ap, fmt);
	strbuf_vprintf(&msg, fmt, ap);
	va_end(ap);
	errlist_add(errs, ERR_WARNING, model_where(ctx->setup, line, where, sizeof(where)), "%s",
	            strbuf_str(&msg));
	strbuf_free(&msg);
	/* The comment is config text: English, never translated. */
	strbuf_printf(out, "# WARNING: %s\n", comment);
}

int backend_cidr_to_mask(const char *cidr, char *addr, size_t asize, char *mask, size_t msize)
{
	unsigned char m[16] = {0};
	const char *slash = strchr(cidr, '/');
	int family, bits;
	long prefix;

	if (!slash || (size_t)(slash - cidr) >= asize)
		return -1;
	snprintf(addr, asize, "%.*s", (int)(slash - cidr), cidr);
	family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	bits = family == AF_INET6 ? 128 : 32;
	prefix = strtol(slash + 1, NULL, 10);
	if (prefix < 0 || prefix > bits)
		return -1;
	for (int i = 0; i < bits / 8; i++) {
		int keep = (int)prefix - i * 8;
		m[i] = keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
	}
	return inet_ntop(family, m, mask, (socklen_t)msize) ? 0 : -1;
}

/* Never a smearing server beside one that does not smear, and no smear
 * of our own on top of servers that smear already (smear.h). */
static int check_smear(const struct setup *s, struct errlist *errs)
{
	struct strbuf smearing, plain;
	char where[MODEL_PATH_MAX + 16];
	enum smear_class c;
	int bad = 0;

	strbuf_init(&smearing);
	strbuf_init(&plain);
	c = smear_classify(s, &smearing, &plain);
	if (c == SMEAR_MIXED) {
		errlist_add(errs, ERR_ERROR, model_where(s, 0, where, sizeof(where)),
		            _("servers: %s smear leap seconds and %s do not; around a leap second "
		              "they disagree by up to a second for hours, so a host must use only "
		              "one kind: keep one group"),
		            strbuf_str(&smearing), strbuf_str(&plain));
		bad = -1;
	} else if (c == SMEAR_ALL && s->leap == LEAP_SMEAR) {
		errlist_add(errs, ERR_ERROR, model_where(s, s->leap_line, where, sizeof(where)),
		            _("leap.mode: the servers (%s) smear leap seconds already; use leap "
		              "mode step, and this host follows their smear"),
		            strbuf_str(&smearing));
		bad = -1;
	}
	strbuf_free(&smearing);
	strbuf_free(&plain);
	return bad;
}

bool backend_follows_smear(const struct setup *s)
{
	return smear_classify(s, NULL, NULL) == SMEAR_ALL;
}

/* What every daemon shares: the model is sound, and the daemon can express
 * the chosen leap mode, policy and server options. */
static int check_capabilities(const struct render_ctx *ctx, struct errlist *errs)
{
	const struct backend *b = ctx->backend;
	const struct setup *s = ctx->setup;
	char where[MODEL_PATH_MAX + 16];
	int bad = 0;

	if (s->nservers == 0 && s->refclocks.n == 0) { /* refclocks: issue 16 section 5 */
		errlist_add(errs, ERR_ERROR, model_where(s, 0, where, sizeof(where)), "servers: %s",
		            _("no time server to use"));
		bad = -1;
	}
	if (check_smear(s, errs) < 0)
		bad = -1;
	if (b->leap_refusal[s->leap]) {
		errlist_add(errs, ERR_ERROR, model_where(s, s->leap_line, where, sizeof(where)),
		            "leap.mode: %s", _(b->leap_refusal[s->leap]));
		bad = -1;
	}
	if (b->policy_refusal[s->policy] &&
	    !(s->policy == POLICY_LAN && b->lan_by_listen && s->nlisten > 0)) {
		errlist_add(errs, ERR_ERROR, model_where(s, s->policy_line, where, sizeof(where)),
		            "restrict.policy: %s", _(b->policy_refusal[s->policy]));
		bad = -1;
	}
	for (size_t i = 0; i < s->nservers; i++) {
		const struct server *srv = &s->servers[i];
		model_where(s, srv->line, where, sizeof(where));
		if (srv->nts && b->nts_refusal) {
			errlist_add(errs, ERR_ERROR, where, "servers[%zu].nts: %s", i,
			            _(b->nts_refusal));
			bad = -1;
		}
		if (strchr(srv->host, '%') && b->scope_refusal) {
			errlist_add(errs, ERR_ERROR, where, "servers[%zu].host: %s", i,
			            _(b->scope_refusal));
			bad = -1;
		}
		if (b->poll_note)
			continue;
		if (srv->minpoll != MODEL_POLL_UNSET &&
		    (srv->minpoll < b->poll_min || srv->minpoll > b->poll_max)) {
			errlist_add(errs, ERR_ERROR, where,
			            _("servers[%zu].minpoll: %s accepts %d to %d, not %d"), i,
			            b->name, b->poll_min, b->poll_max, srv->minpoll);
			bad = -1;
		}
		if (srv->maxpoll != MODEL_POLL_UNSET &&
		    (srv->maxpoll < b->poll_min || srv->maxpoll > b->poll_max)) {
			errlist_add(errs, ERR_ERROR, where,
			            _("servers[%zu].maxpoll: %s accepts %d to %d, not %d"), i,
			            b->name, b->poll_min, b->poll_max, srv->maxpoll);
			bad = -1;
		}
	}
	return bad;
}

/* timesyncd merges timesyncd.conf and every drop-in (systemd's order): a
 * drop-in read after ntpwiz's can add servers or clear them. What ntpwiz
 * writes must leave exactly the profile's servers in effect. */
static int check_timesyncd_effective(const struct render_ctx *ctx, const char *text,
                                     struct errlist *errs)
{
	const struct setup *s = ctx->setup;
	struct strbuf want, got;
	char changed_by[512], where[MODEL_PATH_MAX + 16];
	struct setup *eff = malloc(sizeof(*eff));
	int bad = 0;

	if (!eff)
		return 0;
	if (import_timesyncd_effective(ctx->family, text, eff, changed_by, sizeof(changed_by)) <
	    0) {
		free(eff);
		return 0; /* unreadable files: apply reports them */
	}
	strbuf_init(&want);
	strbuf_init(&got);
	/* the order the drop-in lists them in: preferred ones first */
	for (int pass = 1; pass >= 0; pass--)
		for (size_t i = 0; i < s->nservers; i++)
			if (s->servers[i].prefer == (pass == 1))
				strbuf_printf(&want, "%s%s", want.len ? " " : "",
				              s->servers[i].host);
	for (size_t i = 0; i < eff->nservers; i++)
		strbuf_printf(&got, "%s%s", i ? " " : "", eff->servers[i].host);
	if (strcmp(strbuf_str(&want), strbuf_str(&got)) != 0) {
		errlist_add(
		    errs, ERR_ERROR, model_where(s, 0, where, sizeof(where)),
		    _("servers: after systemd's merge order timesyncd would use \"%s\", not the "
		      "profile's \"%s\": %s is read after %s and changes the list; remove its "
		      "NTP= and Servers= lines"),
		    strbuf_str(&got), strbuf_str(&want), changed_by[0] ? changed_by : "?",
		    ctx->conf_path);
		bad = -1;
	}
	strbuf_free(&want);
	strbuf_free(&got);
	free(eff);
	return bad;
}

/*
 * Profile keys a daemon cannot write, one row each: when the setup sets the
 * key to something other than its default, rendering for a daemon in
 * `cannot` warns (stderr and a comment in the file) instead of dropping it
 * silently. Keys a daemon cannot do at all are refused elsewhere (leap
 * modes, policies, NTS, poll ranges); OpenNTPD's poll warning is its own.
 */
#define D(id) (1u << (id))

static bool makestep_set(const struct setup *s, size_t *i)
{
	(void)i;
	return s->options.makestep_threshold != MODEL_DEFAULT_MAKESTEP_THRESHOLD ||
	       s->options.makestep_limit != MODEL_DEFAULT_MAKESTEP_LIMIT;
}
static bool rtcsync_off(const struct setup *s, size_t *i)
{
	(void)i;
	return !s->options.rtcsync;
}
static bool logdir_set(const struct setup *s, size_t *i)
{
	(void)i;
	return s->options.logdir[0] != '\0';
}
static bool driftfile_set(const struct setup *s, size_t *i)
{
	(void)i;
	return s->options.driftfile[0] != '\0';
}
static bool weight_set(const struct setup *s, size_t *i)
{
	for (*i = 0; *i < s->nservers; (*i)++)
		if (s->servers[*i].weight)
			return true;
	return false;
}
static bool iburst_off(const struct setup *s, size_t *i)
{
	for (*i = 0; *i < s->nservers; (*i)++)
		if (!s->servers[*i].iburst)
			return true;
	return false;
}
/* Only servers someone wrote: the distribution's defaults carry the
 * options ntpwiz gives every server, and are not the operator's words. */
static bool iburst_on(const struct setup *s, size_t *i)
{
	for (*i = 0; *i < s->nservers && !s->servers_default; (*i)++)
		if (s->servers[*i].iburst)
			return true;
	return false;
}
static bool prefer_on(const struct setup *s, size_t *i)
{
	for (*i = 0; *i < s->nservers && !s->servers_default; (*i)++)
		if (s->servers[*i].prefer)
			return true;
	return false;
}

/* issue 16: source selection, orphan mode, OpenNTPD constraints */
static bool trust_on(const struct setup *s, size_t *i)
{
	for (*i = 0; *i < s->nservers; (*i)++)
		if (s->servers[*i].trust)
			return true;
	return false;
}
static bool xleave_on(const struct setup *s, size_t *i)
{
	for (*i = 0; *i < s->nservers; (*i)++)
		if (s->servers[*i].xleave)
			return true;
	return false;
}
static bool noselect_on(const struct setup *s, size_t *i)
{
	for (*i = 0; *i < s->nservers; (*i)++)
		if (s->servers[*i].noselect)
			return true;
	return false;
}
static bool maxdelay_set(const struct setup *s, size_t *i)
{
	for (*i = 0; *i < s->nservers; (*i)++)
		if (s->servers[*i].maxdelay != 0.0)
			return true;
	return false;
}
static bool minsources_set(const struct setup *s, size_t *i)
{
	(void)i;
	return s->selection.minsources != 0;
}
static bool maxdistance_set(const struct setup *s, size_t *i)
{
	(void)i;
	return s->selection.maxdistance != 0.0;
}
static bool orphan_set(const struct setup *s, size_t *i)
{
	(void)i;
	return s->selection.orphan != 0;
}
/* issue 16 sections 6 and 7 */
static bool nts_server_set(const struct setup *s, size_t *i)
{
	(void)i;
	return nts_serving(s);
}
static bool hwtimestamp_set(const struct setup *s, size_t *i)
{
	(void)i;
	return s->hwtimestamp.n != 0;
}
static bool constraints_listed(const struct setup *s, size_t *i)
{
	(void)i;
	return s->constraints.set && s->constraints.n > 0;
}

static const struct key_rule {
	const char *key; /* a server's key when per_server ("weight") */
	bool per_server;
	bool (*is_set)(const struct setup *s, size_t *index);
	unsigned cannot;     /* D(daemon) of the daemons that cannot write it */
	const char *comment; /* config text: English, never translated */
	const char *why;     /* N_() */
} key_rules[] = {
    {"options.makestep", false, makestep_set,
     D(DAEMON_NTP) | D(DAEMON_NTPSEC) | D(DAEMON_OPENNTPD) | D(DAEMON_TIMESYNCD),
     "options.makestep is not written: this daemon has no makestep; it steps or slews by its own "
     "rules.",
     N_("this daemon has no makestep; it steps or slews by its own rules, and the setting is not "
        "written")},
    {"options.rtcsync", false, rtcsync_off, D(DAEMON_NTP) | D(DAEMON_NTPSEC) | D(DAEMON_TIMESYNCD),
     "options.rtcsync = false is not written: the kernel copies the time to the RTC while synced.",
     N_("false cannot be written: while this daemon keeps the clock synchronised, the kernel "
        "copies the time to the hardware clock every 11 minutes")},
    {"options.logdir", false, logdir_set, D(DAEMON_OPENNTPD) | D(DAEMON_TIMESYNCD),
     "options.logdir is not written: this daemon logs to syslog or the journal only.",
     N_("this daemon logs to syslog or the journal only; the log directory is not written")},
    {"options.driftfile", false, driftfile_set, D(DAEMON_OPENNTPD) | D(DAEMON_TIMESYNCD),
     "options.driftfile is not written: this daemon keeps its own file, at a fixed path.",
     N_("this daemon keeps its own file at a fixed path (or none); the drift file is not "
        "written")},
    {"weight", true, weight_set,
     D(DAEMON_CHRONY) | D(DAEMON_NTP) | D(DAEMON_NTPSEC) | D(DAEMON_TIMESYNCD),
     "servers[].weight is not written: weight is OpenNTPD's; use prefer here.",
     N_("weight is OpenNTPD's; this daemon has none (use prefer), so it is not written")},
    /* OpenNTPD queries quickly at start on its own: iburst = true is what
     * it does anyway, false is what it cannot do. */
    {"iburst", true, iburst_off, D(DAEMON_OPENNTPD),
     "servers[].iburst = false is not written: this daemon always queries quickly at start.",
     N_("false cannot be written: this daemon always sends its first queries quickly")},
    {"iburst", true, iburst_on, D(DAEMON_TIMESYNCD),
     "servers[].iburst is not written: this daemon has no iburst.",
     N_("this daemon has no iburst; its first queries keep its normal interval, so iburst is "
        "not used")},
    {"prefer", true, prefer_on, D(DAEMON_TIMESYNCD),
     "servers[].prefer is not written: this daemon has no prefer; preferred servers come first.",
     N_("this daemon has no prefer; the preferred servers are listed first instead")},
    /* issue 16 section 3 */
    {"trust", true, trust_on, D(DAEMON_OPENNTPD) | D(DAEMON_TIMESYNCD),
     "servers[].trust is not written: this daemon has no trusted sources.",
     N_("this daemon cannot mark a source as always true; it is selected like the others, so "
        "trust is not written")},
    {"xleave", true, xleave_on,
     D(DAEMON_NTP) | D(DAEMON_NTPSEC) | D(DAEMON_OPENNTPD) | D(DAEMON_TIMESYNCD),
     "servers[].xleave is not written: interleaved mode with a server is chrony's.",
     N_("interleaved mode with a server is chrony's (ntpd uses it only with broadcast and "
        "symmetric peers); the server is used in basic mode, so xleave is not written")},
};

/* issue 16: what a daemon cannot write and would make the host weaker
 * or different if dropped is refused (same row format; `comment` unused). */
static const struct key_rule key_refusals[] = {
    {"selection.minsources", false, minsources_set, D(DAEMON_OPENNTPD) | D(DAEMON_TIMESYNCD), NULL,
     N_("this daemon cannot require several agreeing sources before it sets the clock; leave "
        "minsources out, or use chrony, ntpsec or ntp")},
    {"selection.maxdistance", false, maxdistance_set, D(DAEMON_OPENNTPD), NULL,
     N_("this daemon has no limit on a source's root distance; leave maxdistance out, or use "
        "chrony, ntpsec or ntp")},
    {"orphan.stratum", false, orphan_set, D(DAEMON_OPENNTPD) | D(DAEMON_TIMESYNCD), NULL,
     N_("this daemon has no orphan mode; leave orphan out, or use chrony, ntpsec or ntp")},
    {"constraints", false, constraints_listed,
     D(DAEMON_CHRONY) | D(DAEMON_NTP) | D(DAEMON_NTPSEC) | D(DAEMON_TIMESYNCD), NULL,
     N_("HTTPS time constraints are OpenNTPD's; this daemon has none (NTS servers give chrony "
        "and ntpsec authenticated time): leave constraints out")},
    {"noselect", true, noselect_on, D(DAEMON_OPENNTPD) | D(DAEMON_TIMESYNCD), NULL,
     N_("this daemon cannot monitor a server without using its time; remove the server or "
        "noselect")},
    {"maxdelay", true, maxdelay_set,
     D(DAEMON_NTP) | D(DAEMON_NTPSEC) | D(DAEMON_OPENNTPD) | D(DAEMON_TIMESYNCD), NULL,
     N_("maxdelay is chrony's; this daemon cannot drop measurements by their delay; leave "
        "maxdelay out, or use chrony")},
    /* issue 16 sections 6 and 7 */
    {"nts_server", false, nts_server_set, D(DAEMON_NTP), NULL,
     N_("ntpd from ntp.org 4.2.8 has no NTS; to serve NTS use chrony or ntpsec, or leave "
        "nts_server out")},
    {"nts_server", false, nts_server_set, D(DAEMON_OPENNTPD), NULL,
     N_("OpenNTPD cannot serve NTS; use chrony or ntpsec, or leave nts_server out")},
    {"nts_server", false, nts_server_set, D(DAEMON_TIMESYNCD), NULL,
     N_("systemd-timesyncd is a client only and serves no one, NTS or not; use chrony or "
        "ntpsec")},
    {"options.hwtimestamp", false, hwtimestamp_set, D(DAEMON_NTP), NULL,
     N_("ntpd from ntp.org 4.2.8 has no hardware timestamping of NTP packets; use chrony, "
        "or leave hwtimestamp out")},
    {"options.hwtimestamp", false, hwtimestamp_set, D(DAEMON_NTPSEC), NULL,
     N_("NTPsec has no hardware timestamping of NTP packets; use chrony, or leave "
        "hwtimestamp out")},
    {"options.hwtimestamp", false, hwtimestamp_set, D(DAEMON_OPENNTPD), NULL,
     N_("OpenNTPD has no hardware timestamping; use chrony, or leave hwtimestamp out")},
    {"options.hwtimestamp", false, hwtimestamp_set, D(DAEMON_TIMESYNCD), NULL,
     N_("systemd-timesyncd has no hardware timestamping; use chrony, or leave hwtimestamp "
        "out")},
};

static int refuse_unexpressed(const struct render_ctx *ctx, struct errlist *errs)
{
	char where[MODEL_PATH_MAX + 16];
	int bad = 0;

	for (size_t r = 0; r < sizeof(key_refusals) / sizeof(key_refusals[0]); r++) {
		const struct key_rule *k = &key_refusals[r];
		const struct setup *s = ctx->setup;
		char key[64];
		size_t i = 0;
		int line;

		if (!(k->cannot & D(ctx->backend->id)) || !k->is_set(s, &i))
			continue;
		if (k->per_server)
			snprintf(key, sizeof(key), "servers[%zu].%s", i, k->key);
		else
			snprintf(key, sizeof(key), "%s", k->key);
		line = k->per_server                     ? s->servers[i].line
		       : k->is_set == orphan_set         ? s->selection.orphan_line
		       : k->is_set == constraints_listed ? s->constraints.line
		       : k->is_set == nts_server_set     ? s->nts_server.line
		       : k->is_set == hwtimestamp_set    ? s->hwtimestamp.line
		                                         : s->selection.line;
		/* TRANSLATORS: %1$s is a profile key, %2$s the daemon, %3$s why */
		errlist_add(errs, ERR_ERROR, model_where(s, line, where, sizeof(where)),
		            _("%1$s: %2$s: %3$s"), key, ctx->backend->name, _(k->why));
		bad = -1;
	}
	return bad;
}

static void warn_unexpressed(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	for (size_t r = 0; r < sizeof(key_rules) / sizeof(key_rules[0]); r++) {
		const struct key_rule *k = &key_rules[r];
		char key[64];
		size_t i = 0;

		if (!(k->cannot & D(ctx->backend->id)) || !k->is_set(ctx->setup, &i))
			continue;
		if (k->per_server)
			snprintf(key, sizeof(key), "servers[%zu].%s", i, k->key);
		else
			snprintf(key, sizeof(key), "%s", k->key);
		/* TRANSLATORS: %1$s is a profile key, %2$s the daemon, %3$s why */
		backend_warn(ctx, k->per_server ? ctx->setup->servers[i].line : 0, out, errs,
		             k->comment, _("%1$s: %2$s: %3$s"), key, ctx->backend->name, _(k->why));
	}
}

int backend_render(const struct backend *b, const struct setup *s, enum distro_family f,
                   struct strbuf *out, struct errlist *errs)
{
	return backend_render_for(b, s, f, NULL, out, errs);
}

/* When another daemon was asked for than the one rendered (target.h). */
static void put_substitution(const struct render_ctx *ctx, struct strbuf *out)
{
	const struct target_facts *t = ctx->target;
	const struct backend *asked = backend_find(t->asked);

	if (t->asked == DAEMON_AUTO || !asked || asked == ctx->backend)
		return;
	strbuf_printf(out,
	              "# %s was asked for. This system's \"%s\" package installs %s,\n"
	              "# which reads this file, so it is written in %s's language.\n",
	              asked->display_name, t->asked_package[0] ? t->asked_package : asked->name,
	              ctx->backend->display_name, ctx->backend->name);
}

/* issue 16 section 2: a daemon without symmetric keys refuses a server's
 * key; the others get their key file named (keys.h writes it at apply). */
static int check_keys(const struct render_ctx *ctx, struct errlist *errs)
{
	const struct setup *s = ctx->setup;
	char where[MODEL_PATH_MAX + 16];
	int bad = 0;

	if (keys_daemon_path(ctx->backend->id, ctx->family))
		return 0;
	for (size_t i = 0; i < s->nservers; i++)
		if (s->servers[i].key) {
			errlist_add(
			    errs, ERR_ERROR,
			    model_where(s, s->servers[i].line, where, sizeof(where)),
			    _("servers[%zu].key: %s has no symmetric keys; use chrony, ntpsec "
			      "or ntp, or remove the key"),
			    i, ctx->backend->display_name);
			bad = -1;
		}
	return bad;
}

static void put_keys(const struct render_ctx *ctx, struct strbuf *out)
{
	const struct setup *s = ctx->setup;
	const char *path = keys_daemon_path(ctx->backend->id, ctx->family);

	if (!path || !keys_used(s))
		return;
	strbuf_printf(out,
	              "\n# Symmetric keys (the profile's keys.file, copied here by ntpwiz with\n"
	              "# mode 0640 for the daemon's group; the secrets are only there).\n");
	if (ctx->backend->id == DAEMON_CHRONY) {
		strbuf_printf(out, "keyfile %s\n", path);
		return;
	}
	strbuf_printf(out, "keys %s\ntrustedkey", path);
	for (size_t i = 0; i < s->nservers; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= s->servers[j].key == s->servers[i].key;
		if (s->servers[i].key && !seen)
			strbuf_printf(out, " %u", s->servers[i].key);
	}
	strbuf_putc(out, '\n');
}

int backend_render_for(const struct backend *b, const struct setup *s, enum distro_family f,
                       const struct target_facts *t, struct strbuf *out, struct errlist *errs)
{
	struct target_facts unknown;
	struct render_ctx ctx = {
	    .backend = b,
	    .setup = s,
	    .family = f,
	    .conf_path = backend_conf_path(b, f),
	    .driftfile = s->options.driftfile[0] ? s->options.driftfile : backend_driftfile(b, f),
	    .target = t,
	};
	struct strbuf text;
	size_t nerr = errlist_count(errs, ERR_ERROR);

	if (!t) {
		target_init(&unknown);
		ctx.target = &unknown;
	}
	if (model_check(s, errs) < 0 || check_capabilities(&ctx, errs) < 0 ||
	    check_keys(&ctx, errs) < 0)
		return -1;
	/* issue 16 section 7: the start options the daemon and the
	 * distribution's service can take (startopts.h) */
	if (startopts_check(s, b, f, errs) < 0)
		return -1;
	if (refuse_unexpressed(&ctx, errs) < 0)
		return -1;
	/* issue 16 section 6: the files exist and are sound before anything
	 * is written; section 7: what ntpwiz cannot know about interfaces */
	if (nts_check_files(s, b->id, f, errs) < 0 ||
	    (b->id == DAEMON_CHRONY && nts_hwtimestamp_notes(s, errs) < 0))
		return -1;
	strbuf_init(&text);
	put_header(&ctx, &text);
	put_substitution(&ctx, &text);
	warn_unexpressed(&ctx, &text, errs);
	if (b->render(&ctx, &text, errs) < 0 || errlist_count(errs, ERR_ERROR) > nerr) {
		strbuf_free(&text);
		return -1;
	}
	if (refclock_render(&ctx, &text, errs) < 0) { /* issue 16 section 5 */
		strbuf_free(&text);
		return -1;
	}
	put_keys(&ctx, &text);         /* issue 16 section 2 */
	nts_render(b->id, s, &text);   /* issue 16 sections 6 and 7 */
	extra_render(b->id, s, &text); /* issue 16 section 8: last, marked */
	if (text.failed) {
		errlist_add(errs, ERR_ERROR, "", "%s", _("out of memory"));
		strbuf_free(&text);
		return -1;
	}
	if (b->id == DAEMON_TIMESYNCD &&
	    check_timesyncd_effective(&ctx, strbuf_str(&text), errs) < 0) {
		strbuf_free(&text);
		return -1;
	}
	strbuf_append(out, text.buf, text.len);
	strbuf_free(&text);
	return out->failed ? -1 : 0;
}
