/*
 * distro: distribution family and its default servers.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "distro.h"
#include "release.h"
#include "sysops.h"

static const char *const family_names[FAMILY_COUNT] = {
    [FAMILY_GENERIC] = "generic", [FAMILY_DEBIAN] = "debian", [FAMILY_UBUNTU] = "ubuntu",
    [FAMILY_RHEL] = "rhel",       [FAMILY_AMAZON] = "amazon", [FAMILY_SUSE] = "suse",
    [FAMILY_ARCH] = "arch",       [FAMILY_ALPINE] = "alpine",
};

/* os-release ID (or an ID_LIKE word) -> family and vendor pool zone.
 * The zone is the NTP Pool vendor zone the distribution's own packages use. */
static const struct {
	const char *id;
	enum distro_family family;
	const char *zone;
} ids[] = {
    {"almalinux", FAMILY_RHEL, "2.almalinux.pool.ntp.org"},
    {"alpine", FAMILY_ALPINE, "pool.ntp.org"},
    {"amzn", FAMILY_AMAZON, NULL},
    {"arch", FAMILY_ARCH, "2.arch.pool.ntp.org"},
    {"centos", FAMILY_RHEL, "2.centos.pool.ntp.org"},
    {"debian", FAMILY_DEBIAN, "2.debian.pool.ntp.org"},
    {"endeavouros", FAMILY_ARCH, "2.arch.pool.ntp.org"},
    {"fedora", FAMILY_RHEL, "2.fedora.pool.ntp.org"},
    {"linuxmint", FAMILY_UBUNTU, NULL},
    {"manjaro", FAMILY_ARCH, "2.manjaro.pool.ntp.org"},
    {"ol", FAMILY_RHEL, "2.rhel.pool.ntp.org"},
    {"opensuse", FAMILY_SUSE, "2.opensuse.pool.ntp.org"},
    {"opensuse-leap", FAMILY_SUSE, "2.opensuse.pool.ntp.org"},
    {"opensuse-tumbleweed", FAMILY_SUSE, "2.opensuse.pool.ntp.org"},
    {"raspbian", FAMILY_DEBIAN, "2.debian.pool.ntp.org"},
    {"rhel", FAMILY_RHEL, "2.rhel.pool.ntp.org"},
    {"rocky", FAMILY_RHEL, "2.rocky.pool.ntp.org"},
    {"sled", FAMILY_SUSE, "2.suse.pool.ntp.org"},
    {"sles", FAMILY_SUSE, "2.suse.pool.ntp.org"},
    {"suse", FAMILY_SUSE, "2.suse.pool.ntp.org"},
    {"ubuntu", FAMILY_UBUNTU, NULL},
};

/* Defaults per family, used when the ID has no zone of its own. */
static const struct default_server {
	const char *host;
	enum server_kind kind;
	bool prefer;
	int minpoll, maxpoll;
} family_defaults[FAMILY_COUNT][3] = {
    [FAMILY_GENERIC] = {{"2.pool.ntp.org", SERVER_KIND_POOL, false, MODEL_POLL_UNSET,
                         MODEL_POLL_UNSET}},
    [FAMILY_DEBIAN] = {{"2.debian.pool.ntp.org", SERVER_KIND_POOL, false, MODEL_POLL_UNSET,
                        MODEL_POLL_UNSET}},
    [FAMILY_UBUNTU] = {{"ntp.ubuntu.com", SERVER_KIND_POOL, false, MODEL_POLL_UNSET,
                        MODEL_POLL_UNSET},
                       {"2.ubuntu.pool.ntp.org", SERVER_KIND_POOL, false, MODEL_POLL_UNSET,
                        MODEL_POLL_UNSET}},
    [FAMILY_RHEL] = {{"2.rhel.pool.ntp.org", SERVER_KIND_POOL, false, MODEL_POLL_UNSET,
                      MODEL_POLL_UNSET}},
    /* The Amazon Time Sync Service, link-local on every EC2 instance, as
     * Amazon Linux ships it; the public time.aws.com as a fallback. */
    [FAMILY_AMAZON] = {{"169.254.169.123", SERVER_KIND_SERVER, true, 4, 4},
                       {"time.aws.com", SERVER_KIND_POOL, false, MODEL_POLL_UNSET,
                        MODEL_POLL_UNSET}},
    [FAMILY_SUSE] = {{"2.suse.pool.ntp.org", SERVER_KIND_POOL, false, MODEL_POLL_UNSET,
                      MODEL_POLL_UNSET}},
    [FAMILY_ARCH] = {{"2.arch.pool.ntp.org", SERVER_KIND_POOL, false, MODEL_POLL_UNSET,
                      MODEL_POLL_UNSET}},
    [FAMILY_ALPINE] = {{"pool.ntp.org", SERVER_KIND_POOL, false, MODEL_POLL_UNSET,
                        MODEL_POLL_UNSET}},
};

const char *distro_family_name(enum distro_family f)
{
	return (unsigned)f < FAMILY_COUNT ? family_names[f] : "?";
}

int distro_family_from_name(const char *name)
{
	for (int i = 0; i < FAMILY_COUNT; i++)
		if (strcmp(family_names[i], name) == 0)
			return i;
	return -1;
}

static int find_id(const char *id)
{
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (strcmp(ids[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* Copies a value, removing one level of quotes and shell escapes as
 * os-release(5) allows. */
static void copy_value(char *dst, size_t size, const char *v, size_t n)
{
	size_t o = 0;
	char q = 0;

	if (n && (v[0] == '"' || v[0] == '\'')) {
		q = v[0];
		v++;
		n--;
		if (n && v[n - 1] == q)
			n--;
	}
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		if (q == '"' && v[i] == '\\' && i + 1 < n)
			i++;
		/* The values are shown on the terminal (detect): a control
		 * character from a mounted system's file must not act there. */
		dst[o++] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
	}
	dst[o] = '\0';
}

void distro_parse_os_release(const char *text, struct distro *d)
{
	static const struct {
		const char *key;
		size_t off, size;
	} keys[] = {
	    {"ID", offsetof(struct distro, id), sizeof(d->id)},
	    {"ID_LIKE", offsetof(struct distro, id_like), sizeof(d->id_like)},
	    {"VERSION_ID", offsetof(struct distro, version_id), sizeof(d->version_id)},
	    {"PRETTY_NAME", offsetof(struct distro, pretty_name), sizeof(d->pretty_name)},
	};
	const char *line = text;

	memset(d, 0, sizeof(*d));
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *eq;

		/* CRLF line endings (a file written on Windows) end a line too. */
		if (len && line[len - 1] == '\r')
			len--;
		eq = memchr(line, '=', len);

		if (eq && line[0] != '#') {
			for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				size_t kl = strlen(keys[k].key);
				if ((size_t)(eq - line) == kl &&
				    strncmp(line, keys[k].key, kl) == 0)
					copy_value((char *)d + keys[k].off, keys[k].size, eq + 1,
					           len - kl - 1);
			}
		}
		line = end ? end + 1 : NULL;
	}
	for (char *p = d->id; *p; p++)
		*p = (char)tolower((unsigned char)*p);

	int i = find_id(d->id);
	if (i >= 0) {
		d->family = ids[i].family;
		return;
	}
	/* Unknown ID: the first ID_LIKE word we know decides. */
	char like[sizeof(d->id_like)];
	snprintf(like, sizeof(like), "%s", d->id_like);
	for (char *save = NULL, *w = strtok_r(like, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		if ((i = find_id(w)) >= 0) {
			d->family = ids[i].family;
			return;
		}
	}
	d->family = FAMILY_GENERIC;
}

void distro_detect(struct distro *d)
{
	static const char *const paths[] = {"/etc/os-release", "/usr/lib/os-release"};
	char *text = NULL;
	size_t len;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (sysops_read_root_file(paths[i], &text, &len) == 0)
			break;
	}
	distro_parse_os_release(text ? text : "", d);
	free(text);
}

int distro_apply_default_servers(const struct distro *d, struct setup *s, struct errlist *errs)
{
	const struct default_server *def = family_defaults[d->family];
	int i = find_id(d->id);
	size_t n = 0;

	if (s->servers_set)
		return 0;
	/* A release whose defaults differ from its family's (Ubuntu 25.10+). */
	int own = release_default_servers(d, s, errs);
	if (own != 0)
		return own < 0 ? -1 : 0;
	/* A distribution with its own vendor zone gets it instead of its family's. */
	if (i >= 0 && ids[i].zone && d->family != FAMILY_AMAZON) {
		struct server srv;
		model_server_init(&srv);
		srv.kind = SERVER_KIND_POOL;
		snprintf(srv.host, sizeof(srv.host), "%s", ids[i].zone);
		if (model_add_server(s, &srv, "servers[0]", errs) < 0)
			return -1;
		s->servers_default = true;
		return 0;
	}
	for (; n < 3 && def[n].host; n++) {
		struct server srv;
		char field[32];
		model_server_init(&srv);
		snprintf(srv.host, sizeof(srv.host), "%s", def[n].host);
		srv.kind = def[n].kind;
		srv.prefer = def[n].prefer;
		srv.minpoll = def[n].minpoll;
		srv.maxpoll = def[n].maxpoll;
		snprintf(field, sizeof(field), "servers[%zu]", n);
		if (model_add_server(s, &srv, field, errs) < 0)
			return -1;
	}
	s->servers_default = n > 0;
	return 0;
}
