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
#include "i18n.h"
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

/* chrony, ntpd and NTPsec share the source line:
 * server|pool HOST [iburst] [prefer] [minpoll N] [maxpoll N] [nts] */
void backend_put_sources(const struct setup *s, struct strbuf *out)
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

void backend_note(const struct render_ctx *ctx, int line, struct errlist *errs, const char *fmt,
                  ...)
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

/* What every daemon shares: the model is sound, and the daemon can express
 * the chosen leap mode, policy and server options. */
static int check_capabilities(const struct render_ctx *ctx, struct errlist *errs)
{
	const struct backend *b = ctx->backend;
	const struct setup *s = ctx->setup;
	char where[MODEL_PATH_MAX + 16];
	int bad = 0;

	if (s->nservers == 0) {
		errlist_add(errs, ERR_ERROR, model_where(s, 0, where, sizeof(where)), "servers: %s",
		            _("no time server to use"));
		bad = -1;
	}
	if (b->leap_refusal[s->leap]) {
		errlist_add(errs, ERR_ERROR, model_where(s, s->leap_line, where, sizeof(where)),
		            "leap.mode: %s", _(b->leap_refusal[s->leap]));
		bad = -1;
	}
	if (b->policy_refusal[s->policy]) {
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

int backend_render(const struct backend *b, const struct setup *s, enum distro_family f,
                   struct strbuf *out, struct errlist *errs)
{
	struct render_ctx ctx = {
	    .backend = b,
	    .setup = s,
	    .family = f,
	    .conf_path = backend_conf_path(b, f),
	    .driftfile = s->options.driftfile[0] ? s->options.driftfile : backend_driftfile(b, f),
	};
	struct strbuf text;
	size_t nerr = errlist_count(errs, ERR_ERROR);

	if (model_check(s, errs) < 0 || check_capabilities(&ctx, errs) < 0)
		return -1;
	strbuf_init(&text);
	put_header(&ctx, &text);
	if (b->render(&ctx, &text, errs) < 0 || errlist_count(errs, ERR_ERROR) > nerr) {
		strbuf_free(&text);
		return -1;
	}
	if (text.failed) {
		errlist_add(errs, ERR_ERROR, "", "%s", _("out of memory"));
		strbuf_free(&text);
		return -1;
	}
	strbuf_append(out, text.buf, text.len);
	strbuf_free(&text);
	return out->failed ? -1 : 0;
}
