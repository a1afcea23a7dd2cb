/*
 * release: per-release packaging facts (see release.h and
 * doc/distributions.md for the sources).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "detect.h"
#include "i18n.h"
#include "release.h"
#include "sysops.h"
#include "target.h"

int release_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		long x = isdigit((unsigned char)*a) ? strtol(a, &ea, 10) : 0;
		long y = isdigit((unsigned char)*b) ? strtol(b, &eb, 10) : 0;

		if (!isdigit((unsigned char)*a))
			ea = (char *)a + strcspn(a, ".");
		if (!isdigit((unsigned char)*b))
			eb = (char *)b + strcspn(b, ".");
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea == '.' ? ea + 1 : ea + strcspn(ea, ".");
		b = *eb == '.' ? eb + 1 : eb + strcspn(eb, ".");
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

/* A row holds from `since` on (a VERSION_ID); "" for every release. */
static bool row_holds(const char *id, const char *since, const struct distro *d)
{
	if (strcmp(id, d->id) != 0)
		return false;
	return !since[0] || (d->version_id[0] && release_version_cmp(d->version_id, since) >= 0);
}

/* The time daemon a fresh install runs. The newest release first. */
static const struct {
	const char *id, *since;
	enum daemon_id daemon;
} defaults[] = {
    /* Debian: systemd-timesyncd has Priority: standard (installed with the
     * standard system); a minbase root has no time daemon at all. */
    {"debian", "", DAEMON_TIMESYNCD},
    {"ubuntu", "25.10", DAEMON_CHRONY},
    {"ubuntu", "", DAEMON_TIMESYNCD},
    {"rhel", "", DAEMON_CHRONY},
    {"rocky", "", DAEMON_CHRONY},
    {"almalinux", "", DAEMON_CHRONY},
    {"centos", "", DAEMON_CHRONY},
    {"fedora", "", DAEMON_CHRONY},
    {"amzn", "2023", DAEMON_CHRONY},
    {"opensuse-leap", "", DAEMON_CHRONY},
    {"opensuse-tumbleweed", "", DAEMON_CHRONY},
    {"sles", "", DAEMON_CHRONY},
    {"alpine", "", DAEMON_CHRONY},
};

enum daemon_id release_default_daemon(const struct distro *d)
{
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (row_holds(defaults[i].id, defaults[i].since, d))
			return defaults[i].daemon;
	return DAEMON_AUTO;
}

/* Servers of releases whose defaults differ from their family's. */
#define RELEASE_MAX_SERVERS 4
static const struct {
	const char *id, *since;
	const char *hosts[RELEASE_MAX_SERVERS];
	enum server_kind kind;
	bool nts, prefer;
} own_servers[] = {
    /* Ubuntu 25.10+: chrony with NTS to Canonical's NTS servers
     * (/etc/chrony/sources.d/ubuntu-ntp-pools.sources: "pool N.ntp.ubuntu.com
     * iburst maxsources 1 nts prefer", N = 1..4). A pool of at most one
     * source is one server of that name, which is how ntpwiz writes it: the
     * model keeps NTS for named servers. */
    {"ubuntu",
     "25.10",
     {"1.ntp.ubuntu.com", "2.ntp.ubuntu.com", "3.ntp.ubuntu.com", "4.ntp.ubuntu.com"},
     SERVER_KIND_SERVER,
     true,
     true},
};

int release_default_servers(const struct distro *d, struct setup *s, struct errlist *errs)
{
	if (s->servers_set)
		return 0;
	for (size_t i = 0; i < sizeof(own_servers) / sizeof(own_servers[0]); i++) {
		if (!row_holds(own_servers[i].id, own_servers[i].since, d))
			continue;
		for (size_t n = 0; n < RELEASE_MAX_SERVERS && own_servers[i].hosts[n]; n++) {
			struct server srv;
			char field[32];
			model_server_init(&srv);
			snprintf(srv.host, sizeof(srv.host), "%s", own_servers[i].hosts[n]);
			srv.kind = own_servers[i].kind;
			srv.nts = own_servers[i].nts;
			srv.prefer = own_servers[i].prefer;
			snprintf(field, sizeof(field), "servers[%zu]", n);
			if (model_add_server(s, &srv, field, errs) < 0)
				return -1;
		}
		return 1;
	}
	return 0;
}

#define RHEL_NO_NTPD                                                                               \
	N_("RHEL 8 and later, and their rebuilds, ship no ntpd: Red Hat replaced it with chrony; "  \
	   "use chrony")

/* What the package for a daemon really installs on a release. */
static const struct {
	const char *id, *since;
	enum daemon_id asked;
	enum daemon_id gets; /* DAEMON_AUTO: no package at all */
	const char *package; /* the package's name there */
	const char *why;     /* N_() */
	/* the package is transitional when apt's candidate depends on this; a
	 * candidate that does not is the real daemon (a backport, a local
	 * build): then nothing is substituted. NULL: always substituted. */
	const char *via;
} substitutes[] = {
    {"debian", "12", DAEMON_NTP, DAEMON_NTPSEC, "ntp",
     N_("Debian 12 and later have no ntpd from ntp.org: their \"ntp\" package is a "
        "transitional package that installs NTPsec"),
     "ntpsec"},
    {"ubuntu", "24.04", DAEMON_NTP, DAEMON_NTPSEC, "ntp",
     N_("Ubuntu 24.04 and later have no ntpd from ntp.org: their \"ntp\" package is a "
        "transitional package that installs NTPsec"),
     "ntpsec"},
    {"rhel", "8", DAEMON_NTP, DAEMON_AUTO, "", RHEL_NO_NTPD, NULL},
    {"rocky", "8", DAEMON_NTP, DAEMON_AUTO, "", RHEL_NO_NTPD, NULL},
    {"almalinux", "8", DAEMON_NTP, DAEMON_AUTO, "", RHEL_NO_NTPD, NULL},
    {"centos", "8", DAEMON_NTP, DAEMON_AUTO, "", RHEL_NO_NTPD, NULL},
    {"amzn", "2023", DAEMON_NTP, DAEMON_AUTO, "",
     N_("Amazon Linux 2023 ships no ntpd from ntp.org, only chrony; use chrony"), NULL},
};

#define APT_CACHE_TIMEOUT_MS 30000

/* 1 when the first stanza of apt-cache's TEXT depends (Depends or
 * Pre-Depends, any alternative) on the package DEP, else 0. */
static int stanza_depends(const char *text, const char *dep)
{
	static const char *const fields[] = {"Depends:", "Pre-Depends:"};
	size_t dl = strlen(dep);

	for (const char *line = text; *line && *line != '\n';) {
		const char *end = line + strcspn(line, "\n");
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			size_t fl = strlen(fields[f]);
			if ((size_t)(end - line) < fl || strncmp(line, fields[f], fl) != 0)
				continue;
			for (const char *p = line + fl; p < end;) {
				p += strspn(p, " \t,|");
				size_t n = strcspn(p, " \t,|(:\n");
				if (n == dl && strncmp(p, dep, dl) == 0)
					return 1;
				p += n;
				p += strcspn(p, ",|\n");
			}
		}
		line = *end ? end + 1 : end;
	}
	return 0;
}

/* What apt would install for PACKAGE on the running system: 1 when its
 * candidate depends on DEP (a transitional package), 0 when it does not,
 * -1 when unknown (not apt, under --root, no candidate, no answer). */
static int candidate_depends(const struct detect_info *host, const char *package, const char *dep)
{
	const char *argv[] = {"apt-cache", "show", "--no-all-versions", package, NULL};
	struct sysops_exec_result r;
	int rc = -1;

	if (!host || host->pkg != PKG_APT || !sysops_root_is_host())
		return -1;
	if (sysops_exec(argv, APT_CACHE_TIMEOUT_MS, &r) < 0)
		return -1;
	if (r.status == 0 && !r.timed_out && r.out && strncmp(r.out, "Package: ", 9) == 0)
		rc = stanza_depends(r.out, dep);
	sysops_exec_result_free(&r);
	return rc;
}

const struct backend *release_resolve(const struct distro *d, const struct backend *b,
                                      const struct detect_info *host, struct target_facts *t,
                                      struct errlist *errs)
{
	if (!b || (host && host->daemons[b->id].installed))
		return b;
	for (size_t i = 0; i < sizeof(substitutes) / sizeof(substitutes[0]); i++) {
		const struct backend *gets;
		if (substitutes[i].asked != b->id ||
		    !row_holds(substitutes[i].id, substitutes[i].since, d))
			continue;
		/* this system's repository offers the real package */
		if (substitutes[i].via &&
		    candidate_depends(host, substitutes[i].package, substitutes[i].via) == 0)
			return b;
		if (substitutes[i].gets == DAEMON_AUTO) {
			errlist_add(errs, ERR_ERROR, "daemon", "%s", _(substitutes[i].why));
			return NULL;
		}
		gets = backend_find(substitutes[i].gets);
		errlist_add(errs, ERR_WARNING, "daemon", "%s", _(substitutes[i].why));
		errlist_add(errs, ERR_WARNING, "daemon",
		            _("writing %s's file %s instead, which the installed daemon reads"),
		            _(gets->display_name), backend_conf_path(gets, d->family));
		if (t) {
			t->asked = b->id;
			snprintf(t->asked_package, sizeof(t->asked_package), "%s",
			         substitutes[i].package);
		}
		return gets;
	}
	return b;
}
