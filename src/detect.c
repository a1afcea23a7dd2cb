/*
 * detect: what is installed, enabled and running under the root in use
 * (see detect.h). Everything is read through sysops, relative to the root;
 * a command (systemctl is-active) runs only when the root is the running
 * system itself and systemd is booted there.
 *
 * Telling the ntpds apart: ntp.org's ntpd, NTPsec and OpenNTPD all install
 * /usr/sbin/ntpd (Debian, Alpine, Arch). A binary that more than one
 * backend lists belongs to
 *   1. the first backend (in backend_all() order) whose package the package
 *      database (dpkg status, apk installed, pacman local) lists as
 *      installed. NTPsec comes before ntp: Debian 12's "ntp" is a
 *      transitional package that depends on ntpsec and ships no ntpd;
 *   2. else (rpm systems, whose database is binary; or a hand-built ntpd)
 *      the first backend one of whose marks exists: files only that
 *      implementation ships (OpenNTPD's ntpctl, NTPsec's ntpmon and
 *      ntpkeygen, ntp.org's ntpdc and ntp-keygen);
 *   3. else the backend marked fallback_owner (ntp.org: the name's
 *      historical owner).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect.h"
#include "sysops.h"

#define SYSTEMCTL_TIMEOUT_MS 3000
#define PATH_BUF 512

static const char *const init_names[INIT_COUNT] = {
    [INIT_NONE] = "none",     [INIT_SYSTEMD] = "systemd", [INIT_SYSVINIT] = "sysvinit",
    [INIT_OPENRC] = "openrc", [INIT_RUNIT] = "runit",
};

static const char *const pkg_names[PKG_COUNT] = {
    [PKG_NONE] = "none",     [PKG_APT] = "apt-get", [PKG_DNF] = "dnf",       [PKG_YUM] = "yum",
    [PKG_ZYPPER] = "zypper", [PKG_APK] = "apk",     [PKG_PACMAN] = "pacman",
};

const char *detect_init_name(enum init_system i)
{
	return (unsigned)i < INIT_COUNT ? init_names[i] : init_names[INIT_NONE];
}

const char *detect_pkg_name(enum pkg_manager p)
{
	return (unsigned)p < PKG_COUNT ? pkg_names[p] : pkg_names[PKG_NONE];
}

/* --- files under the root ----------------------------------------------------- */

static struct sysops_stat stat_of(const char *path)
{
	struct sysops_stat st;

	if (sysops_stat_root(path, &st) < 0)
		memset(&st, 0, sizeof(st));
	return st;
}

static bool exists(const char *path)
{
	return stat_of(path).exists;
}

static const char *first_existing(const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n && paths[i]; i++)
		if (exists(paths[i]))
			return paths[i];
	return NULL;
}

#define FIRST_EXISTING(a) first_existing((a), sizeof(a) / sizeof((a)[0]))

/* --- init system ------------------------------------------------------------------ */

enum want {
	WANT_EXISTS,
	WANT_DIR,
	WANT_LINK,
	WANT_ABSENT,
};

/* The first rule that holds decides; order matters. */
static const struct init_rule {
	enum init_system init;
	bool host_only; /* a fact about the running system, not the files */
	const char *path;
	enum want want;
	const char *with; /* must exist as well; NULL: nothing more */
} init_rules[] = {
    /* systemd's own "booted" test (sd_booted). */
    {INIT_SYSTEMD, true, "/run/systemd/system", WANT_DIR, NULL},
    /* /sbin/init is a link to systemd on every systemd distribution.
     * sysops reads no link targets: a link next to the systemd binary
     * stands for it. A regular /sbin/init is another init's binary (e.g.
     * sysvinit-core with the systemd package still installed). */
    {INIT_SYSTEMD, false, "/sbin/init", WANT_LINK, "/lib/systemd/systemd"},
    {INIT_SYSTEMD, false, "/sbin/init", WANT_LINK, "/usr/lib/systemd/systemd"},
    {INIT_SYSTEMD, false, "/sbin/init", WANT_ABSENT, "/lib/systemd/systemd"},
    {INIT_SYSTEMD, false, "/sbin/init", WANT_ABSENT, "/usr/lib/systemd/systemd"},
    {INIT_OPENRC, false, "/sbin/openrc-run", WANT_EXISTS, NULL},
    {INIT_OPENRC, false, "/sbin/openrc", WANT_EXISTS, NULL},
    {INIT_RUNIT, false, "/etc/runit/1", WANT_EXISTS, NULL},
    {INIT_RUNIT, false, "/usr/bin/runsvdir", WANT_EXISTS, "/etc/sv"},
    {INIT_SYSVINIT, false, "/etc/inittab", WANT_EXISTS, NULL},
    {INIT_SYSVINIT, false, "/etc/init.d", WANT_DIR, NULL},
};

static bool rule_holds(const struct init_rule *r, bool host)
{
	struct sysops_stat st;

	if (r->host_only && !host)
		return false;
	st = stat_of(r->path);
	switch (r->want) {
	case WANT_EXISTS:
		if (!st.exists)
			return false;
		break;
	case WANT_DIR:
		if (!st.is_dir)
			return false;
		break;
	case WANT_LINK:
		if (!st.is_link)
			return false;
		break;
	case WANT_ABSENT:
		if (st.exists)
			return false;
		break;
	}
	return !r->with || exists(r->with);
}

static void detect_init(struct detect_info *info, bool host)
{
	info->init = INIT_NONE;
	for (size_t i = 0; i < sizeof(init_rules) / sizeof(init_rules[0]); i++) {
		if (rule_holds(&init_rules[i], host)) {
			info->init = init_rules[i].init;
			info->init_running = init_rules[i].host_only;
			return;
		}
	}
}

/* --- package manager and package database ----------------------------------------- */

static const struct pkg_probe {
	enum pkg_manager pkg;
	const char *path;
} pkg_probes[] = {
    {PKG_APT, "/usr/bin/apt-get"},   {PKG_DNF, "/usr/bin/dnf"}, {PKG_YUM, "/usr/bin/yum"},
    {PKG_ZYPPER, "/usr/bin/zypper"}, {PKG_APK, "/sbin/apk"},    {PKG_PACMAN, "/usr/bin/pacman"},
};

static enum pkg_manager detect_pkg(void)
{
	for (size_t i = 0; i < sizeof(pkg_probes) / sizeof(pkg_probes[0]); i++)
		if (exists(pkg_probes[i].path))
			return pkg_probes[i].pkg;
	return PKG_NONE;
}

struct pkg {
	char *name;
	char *version;
	const char *source; /* "dpkg", "apk", "pacman", "rpm" */
};

/* The installed packages the root's text databases list. */
struct pkgdb {
	struct pkg *v;
	size_t n, cap;
	bool read; /* at least one text database was read */
	bool rpmdb, rpm_read;
	const char *source; /* the database being parsed, for pkgdb_add */
};

static void pkgdb_add(struct pkgdb *db, const char *name, size_t nlen, const char *ver, size_t vlen)
{
	struct pkg p;

	if (!nlen)
		return;
	if (db->n == db->cap) {
		size_t ncap = db->cap ? db->cap * 2 : 64;
		struct pkg *nv = realloc(db->v, ncap * sizeof(*nv));
		if (!nv)
			return;
		db->v = nv;
		db->cap = ncap;
	}
	p.name = strndup(name, nlen);
	p.version = strndup(ver ? ver : "", ver ? vlen : 0);
	p.source = db->source;
	if (!p.name || !p.version) {
		free(p.name);
		free(p.version);
		return;
	}
	/* detect prints the version: a control character from a mounted
	 * system's database must not act on the terminal. */
	for (char *c = p.version; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	db->v[db->n++] = p;
}

static void pkgdb_free(struct pkgdb *db)
{
	for (size_t i = 0; i < db->n; i++) {
		free(db->v[i].name);
		free(db->v[i].version);
	}
	free(db->v);
	memset(db, 0, sizeof(*db));
}

/* The installed package called name, or NULL. */
static const struct pkg *pkgdb_find(const struct pkgdb *db, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < db->n; i++)
		if (strcmp(db->v[i].name, name) == 0)
			return &db->v[i];
	return NULL;
}

/* The installed version of name, or NULL. */
static const char *pkgdb_version(const struct pkgdb *db, const char *name)
{
	const struct pkg *p = pkgdb_find(db, name);

	return p ? p->version : NULL;
}

/* One line of a text database: [line, eol), the next line after it. */
struct line {
	const char *s;
	size_t len;
};

static const char *next_line(const char *p, struct line *l)
{
	const char *eol = strchr(p, '\n');

	l->s = p;
	l->len = eol ? (size_t)(eol - p) : strlen(p);
	while (l->len && strchr("\r \t", l->s[l->len - 1]))
		l->len--;
	return eol ? eol + 1 : p + strlen(p);
}

/* "Key: value" -> value (NULL when the line is another field). */
static const char *field(const struct line *l, const char *key, size_t *vlen)
{
	size_t k = strlen(key);
	const char *v;

	if (l->len < k || strncmp(l->s, key, k) != 0)
		return NULL;
	v = l->s + k;
	while (v < l->s + l->len && (*v == ' ' || *v == '\t'))
		v++;
	*vlen = (size_t)(l->s + l->len - v);
	return v;
}

/* dpkg's Status: "WANT FLAG STATE"; the package's files are on disk when
 * STATE is "installed" (whatever is wanted: install, hold, deinstall). */
static bool dpkg_installed(const char *v, size_t len)
{
	static const char state[] = " installed";
	size_t n = sizeof(state) - 1;

	return len > n && strncmp(v + len - n, state, n) == 0 && memchr(v, ' ', len - n);
}

/* A package database of blank-line separated stanzas of "Key: value"
 * lines. `status` is NULL when every listed package is installed. */
struct stanza_format {
	const char *name, *version, *status;
};
static const struct stanza_format dpkg_format = {"Package:", "Version:", "Status:"};
static const struct stanza_format apk_format = {"P:", "V:", NULL};

static void parse_stanzas(struct pkgdb *db, const char *text, const struct stanza_format *fmt)
{
	const char *name = NULL, *ver = NULL, *p = text;
	size_t nlen = 0, vlen = 0;
	bool installed = !fmt->status;

	for (;;) {
		struct line l;
		const char *v;
		size_t len;
		bool end = !*p;

		if (!end)
			p = next_line(p, &l);
		if (end || l.len == 0) {
			if (name && installed)
				pkgdb_add(db, name, nlen, ver, vlen);
			name = ver = NULL;
			installed = !fmt->status;
			if (end)
				return;
			continue;
		}
		if ((v = field(&l, fmt->name, &len))) {
			name = v;
			nlen = len;
		} else if ((v = field(&l, fmt->version, &len))) {
			ver = v;
			vlen = len;
		} else if (fmt->status && (v = field(&l, fmt->status, &len))) {
			installed = dpkg_installed(v, len);
		}
	}
}

/* /var/lib/pacman/local/NAME-PKGVER-PKGREL/: pkgver and pkgrel hold no '-'. */
static void parse_pacman(struct pkgdb *db, char **names, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const char *rel = strrchr(names[i], '-'), *ver = NULL;

		for (const char *q = rel ? rel - 1 : NULL; q && q > names[i]; q--) {
			if (*q == '-') {
				ver = q;
				break;
			}
		}
		if (ver)
			pkgdb_add(db, names[i], (size_t)(ver - names[i]), ver + 1, strlen(ver + 1));
	}
}

static const struct pkgdb_source {
	const char *path;
	const struct stanza_format *format;
	const char *name;
} text_dbs[] = {
    {"/var/lib/dpkg/status", &dpkg_format, "dpkg"},
    {"/lib/apk/db/installed", &apk_format, "apk"},
    {"/usr/lib/apk/db/installed", &apk_format, "apk"},
};

/*
 * rpm's database is binary (Berkeley DB, then SQLite): only rpm reads it.
 * "rpm --root R --dbpath D -q --qf ..." asks it for the time daemons'
 * packages in one run; on a machine without rpm the versions stay unknown
 * (the file names under the database folder do not give them).
 */
static const char *const rpm_dbs[] = {"/usr/lib/sysimage/rpm", "/var/lib/rpm"};
#define RPM_TIMEOUT_MS 10000
#define RPM_MAX_NAMES (DAEMON_COUNT * FAMILY_COUNT)

static size_t rpm_names(const char *names[RPM_MAX_NAMES])
{
	const struct backend *const *all;
	size_t n, count = 0;

	all = backend_all(&n);
	for (size_t i = 0; i < n; i++) {
		for (int f = 0; f < FAMILY_COUNT; f++) {
			const char *p = backend_package(all[i], (enum distro_family)f);
			bool seen = !p;
			for (size_t k = 0; k < count && !seen; k++)
				seen = strcmp(names[k], p) == 0;
			if (!seen && count < RPM_MAX_NAMES)
				names[count++] = p;
		}
	}
	return count;
}

/* Lines "NAME VERSION-RELEASE" for the names asked; rpm says "package X
 * is not installed" for the others. */
static void parse_rpm(struct pkgdb *db, const char *out, const char *const *names, size_t count)
{
	const char *p = out;

	while (*p) {
		struct line l;
		const char *sp;
		p = next_line(p, &l);
		sp = memchr(l.s, ' ', l.len);
		if (!sp)
			continue;
		for (size_t i = 0; i < count; i++)
			if (strlen(names[i]) == (size_t)(sp - l.s) &&
			    strncmp(names[i], l.s, (size_t)(sp - l.s)) == 0 &&
			    !memchr(sp + 1, ' ', (size_t)(l.s + l.len - sp - 1)))
				pkgdb_add(db, l.s, (size_t)(sp - l.s), sp + 1,
				          (size_t)(l.s + l.len - sp - 1));
	}
}

static void rpm_load(struct pkgdb *db)
{
	const char *names[RPM_MAX_NAMES];
	const char *argv[8 + RPM_MAX_NAMES + 1];
	const char *dbpath = FIRST_EXISTING(rpm_dbs);
	struct sysops_exec_result r;
	size_t n = 0, count;

	if (!dbpath)
		return;
	db->rpmdb = true;
	argv[n++] = "rpm";
	if (!sysops_root_is_host()) {
		argv[n++] = "--root";
		argv[n++] = sysops_root();
	}
	argv[n++] = "--dbpath";
	argv[n++] = dbpath;
	argv[n++] = "-q";
	argv[n++] = "--qf";
	argv[n++] = "%{NAME} %{VERSION}-%{RELEASE}\\n";
	count = rpm_names(names);
	for (size_t i = 0; i < count; i++)
		argv[n++] = names[i];
	argv[n] = NULL;
	if (sysops_exec(argv, RPM_TIMEOUT_MS, &r) < 0)
		return;
	/* rpm -q exits with the number of packages it did not find */
	if (r.status >= 0 && !r.timed_out && r.out) {
		db->source = "rpm";
		parse_rpm(db, r.out, names, count);
		db->rpm_read = true;
	}
	sysops_exec_result_free(&r);
}

#define PACMAN_LOCAL "/var/lib/pacman/local"

static void pkgdb_load(struct pkgdb *db)
{
	char **names;
	size_t count;

	memset(db, 0, sizeof(*db));
	for (size_t i = 0; i < sizeof(text_dbs) / sizeof(text_dbs[0]); i++) {
		char *text;
		size_t len;
		if (sysops_read_root_file(text_dbs[i].path, &text, &len) < 0)
			continue;
		db->source = text_dbs[i].name;
		parse_stanzas(db, text, text_dbs[i].format);
		db->read = true;
		free(text);
	}
	if (sysops_list_root_dir(PACMAN_LOCAL, &names, &count) == 0) {
		db->source = "pacman";
		parse_pacman(db, names, count);
		db->read = true;
		sysops_free_names(names, count);
	}
	if (!db->read)
		rpm_load(db);
}

/* The installed version of the backend's package: the family's name
 * first, then the other families' (timesyncd is "systemd-timesyncd" on
 * Debian 12 but part of "systemd" elsewhere). NULL if none is installed. */
static const struct pkg *backend_pkg(const struct pkgdb *db, const struct backend *b,
                                     enum distro_family f)
{
	const struct pkg *p = pkgdb_find(db, backend_package(b, f));

	for (int g = 0; !p && g < FAMILY_COUNT; g++)
		p = pkgdb_find(db, backend_package(b, (enum distro_family)g));
	return p;
}

static const char *backend_version(const struct pkgdb *db, const struct backend *b,
                                   enum distro_family f)
{
	const struct pkg *p = backend_pkg(db, b, f);

	return p ? p->version : NULL;
}

/* --- which daemon a binary belongs to ----------------------------------------------- */

static bool lists_binary(const struct backend *b, const char *path)
{
	for (size_t i = 0; i < BACKEND_DETECT_BINARIES && b->detect.binaries[i]; i++)
		if (strcmp(b->detect.binaries[i], path) == 0)
			return true;
	return false;
}

/* See the rule at the top of this file. */
static const struct backend *shared_owner(const char *path, const struct pkgdb *db,
                                          enum distro_family f)
{
	const struct backend *const *all;
	size_t n;

	all = backend_all(&n);
	for (size_t i = 0; i < n; i++)
		if (lists_binary(all[i], path) && backend_version(db, all[i], f))
			return all[i];
	for (size_t i = 0; i < n; i++)
		if (lists_binary(all[i], path) &&
		    first_existing(all[i]->detect.marks, BACKEND_DETECT_MARKS))
			return all[i];
	for (size_t i = 0; i < n; i++)
		if (lists_binary(all[i], path) && all[i]->detect.fallback_owner)
			return all[i];
	return NULL;
}

static bool is_shared(const struct backend *b, const char *path)
{
	const struct backend *const *all;
	size_t n;

	all = backend_all(&n);
	for (size_t i = 0; i < n; i++)
		if (all[i] != b && lists_binary(all[i], path))
			return true;
	return false;
}

/* --- enabled, running ------------------------------------------------------------- */

/* The names the daemon's service goes by: the family's first, then the
 * other families' (Debian's chrony.service has Alias=chronyd.service,
 * ntpsec.service has Alias=ntp.service ntpd.service). */
static size_t service_names(const struct backend *b, enum distro_family f,
                            const char *names[FAMILY_COUNT + 1])
{
	size_t n = 0;

	names[n++] = backend_service(b, f);
	for (int g = 0; g < FAMILY_COUNT; g++) {
		const char *s = backend_service(b, (enum distro_family)g);
		bool seen = false;
		for (size_t i = 0; i < n && !seen; i++)
			seen = strcmp(names[i], s) == 0;
		if (!seen)
			names[n++] = s;
	}
	return n;
}

#define SYSTEMD_ETC "/etc/systemd/system"

/* "systemctl mask" puts a link to /dev/null at /etc/systemd/system/NAME.service:
 * a link there that does not lead to a unit file with text in it. */
static bool systemd_masked(const char *service)
{
	char path[PATH_BUF], *text;
	size_t len;
	bool masked;

	snprintf(path, sizeof(path), SYSTEMD_ETC "/%s.service", service);
	if (!stat_of(path).is_link)
		return false;
	if (sysops_read_root_file(path, &text, &len) < 0)
		return true;
	masked = len == 0;
	free(text);
	return masked;
}

/* A NAME.service link in any /etc/systemd/system/TARGET.wants/ (systemctl
 * enable: multi-user.target.wants for most daemons, sysinit.target.wants
 * for timesyncd). */
static bool systemd_enabled(const char *const *names, size_t nnames)
{
	char **dirs, path[PATH_BUF];
	size_t ndirs;
	bool found = false;

	if (systemd_masked(names[0]))
		return false;
	if (sysops_list_root_dir(SYSTEMD_ETC, &dirs, &ndirs) < 0)
		return false;
	for (size_t d = 0; d < ndirs && !found; d++) {
		size_t len = strlen(dirs[d]);
		if (len < 6 || strcmp(dirs[d] + len - 6, ".wants") != 0)
			continue;
		for (size_t i = 0; i < nnames && !found; i++) {
			snprintf(path, sizeof(path), SYSTEMD_ETC "/%s/%s.service", dirs[d],
			         names[i]);
			found = exists(path);
		}
	}
	sysops_free_names(dirs, ndirs);
	return found;
}

/* Directories whose entry NAME means "started at boot". */
static const char *const openrc_dirs[] = {
    "/etc/runlevels/default",
    "/etc/runlevels/boot",
    "/etc/runlevels/sysinit",
};
static const char *const runit_dirs[] = {
    "/etc/runit/runsvdir/default",
    "/var/service",
    "/etc/service",
};

static bool entry_in(const char *const *dirs, size_t ndirs, const char *const *names, size_t nnames)
{
	char path[PATH_BUF];

	for (size_t d = 0; d < ndirs; d++) {
		for (size_t i = 0; i < nnames; i++) {
			snprintf(path, sizeof(path), "%s/%s", dirs[d], names[i]);
			if (exists(path))
				return true;
		}
	}
	return false;
}

/* sysv-rc: /etc/rcN.d/SnnNAME for the multi-user runlevels. */
static const char *const sysv_dirs[] = {"/etc/rc2.d", "/etc/rc3.d", "/etc/rc5.d"};

static bool sysv_start_link(const char *entry, const char *name)
{
	return entry[0] == 'S' && isdigit((unsigned char)entry[1]) &&
	       isdigit((unsigned char)entry[2]) && strcmp(entry + 3, name) == 0;
}

static bool sysv_enabled(const char *const *names, size_t nnames)
{
	bool found = false;

	for (size_t d = 0; d < sizeof(sysv_dirs) / sizeof(sysv_dirs[0]) && !found; d++) {
		char **entries;
		size_t n;
		if (sysops_list_root_dir(sysv_dirs[d], &entries, &n) < 0)
			continue;
		for (size_t e = 0; e < n && !found; e++)
			for (size_t i = 0; i < nnames && !found; i++)
				found = sysv_start_link(entries[e], names[i]);
		sysops_free_names(entries, n);
	}
	return found;
}

static bool enabled(enum init_system init, const char *const *names, size_t nnames)
{
	switch (init) {
	case INIT_SYSTEMD:
		return systemd_enabled(names, nnames);
	case INIT_OPENRC:
		return entry_in(openrc_dirs, sizeof(openrc_dirs) / sizeof(openrc_dirs[0]), names,
		                nnames);
	case INIT_RUNIT:
		return entry_in(runit_dirs, sizeof(runit_dirs) / sizeof(runit_dirs[0]), names,
		                nnames);
	case INIT_SYSVINIT:
		return sysv_enabled(names, nnames);
	case INIT_NONE:
	case INIT_COUNT:
		break;
	}
	return false;
}

/* The running system's status command per init system (the service name
 * goes last); running_out NULL: exit 0 means running, else the output must
 * start with it too (sv status exits 0 for a service that is down). */
static const struct init_status {
	const char *argv[4];
	bool name_second; /* "service NAME status", "rc-service NAME status" */
	const char *running_out;
} init_status[INIT_COUNT] = {
    [INIT_SYSTEMD] = {{"systemctl", "is-active", NULL, NULL}, false, NULL},
    [INIT_SYSVINIT] = {{"service", "status", NULL, NULL}, true, NULL},
    [INIT_OPENRC] = {{"rc-service", "status", NULL, NULL}, true, NULL},
    [INIT_RUNIT] = {{"sv", "status", NULL, NULL}, false, "run:"},
};

static bool service_active(enum init_system init, const char *service)
{
	const struct init_status *is = &init_status[init];
	const char *argv[4] = {is->argv[0], is->argv[1], service, NULL};
	struct sysops_exec_result r;
	bool active;

	if (!is->argv[0])
		return false;
	if (is->name_second) {
		argv[1] = service;
		argv[2] = is->argv[1];
	}
	if (sysops_exec(argv, SYSTEMCTL_TIMEOUT_MS, &r) < 0)
		return false;
	active = r.status == 0 && !r.timed_out &&
	         (!is->running_out ||
	          (r.out && strncmp(r.out, is->running_out, strlen(is->running_out)) == 0));
	sysops_exec_result_free(&r);
	return active;
}

/* A removed package's init script with its sysv start links: on a real
 * Debian 12 guest, NTPsec removed by apt (dpkg "rc") when OpenNTPD came kept
 * /etc/init.d/ntpsec and /etc/rc?.d/S01ntpsec, and systemd's sysv generator
 * made an enabled ntpsec.service of them (tests/vm/sc-daemons.sh). */
static bool leftover_enabled(enum init_system init, const struct backend *b, enum distro_family f)
{
	const char *names[FAMILY_COUNT + 1];
	char path[PATH_BUF];
	size_t n;

	if (init != INIT_SYSTEMD && init != INIT_SYSVINIT)
		return false;
	n = service_names(b, f, names);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/etc/init.d/%s", names[i]);
		if (exists(path) && sysv_enabled(&names[i], 1))
			return true;
	}
	return false;
}

/* --- per daemon ------------------------------------------------------------------- */

static void detect_daemon(struct detect_info *info, struct detect_daemon *dd,
                          const struct pkgdb *db, bool host)
{
	const struct backend *b = dd->backend;
	enum distro_family f = info->distro.family;
	const char *bin = first_existing(b->detect.binaries, BACKEND_DETECT_BINARIES);
	const char *names[FAMILY_COUNT + 1];
	const struct pkg *pkg = backend_pkg(db, b, f);
	size_t nnames;

	dd->config_exists = exists(backend_conf_path(b, f));
	if (pkg) {
		snprintf(dd->package, sizeof(dd->package), "%s", pkg->name);
		snprintf(dd->package_version, sizeof(dd->package_version), "%s", pkg->version);
	}
	/* Enabled and running are asked only of an installed daemon: a wants
	 * link left by a removed package, or ntpsec's Alias=ntp.service, must
	 * not count for a daemon that is not there. */
	if (!bin || (is_shared(b, bin) && shared_owner(bin, db, f) != b)) {
		/* Its package is installed, yet the binary is another daemon's
		 * whose package is installed too: a transitional package. */
		if (pkg && bin) {
			const struct backend *owner = shared_owner(bin, db, f);
			if (owner && owner != b && backend_pkg(db, owner, f))
				dd->provided_by = owner;
		}
		dd->leftover_enabled = leftover_enabled(info->init, b, f);
		return;
	}
	dd->installed = true;
	snprintf(dd->binary, sizeof(dd->binary), "%s", bin);
	if (pkg) {
		snprintf(dd->version, sizeof(dd->version), "%s", pkg->version);
		snprintf(dd->version_source, sizeof(dd->version_source), "%s", pkg->source);
	}
	nnames = service_names(b, f, names);
	dd->enabled = enabled(info->init, names, nnames);
	/* on the running system only; systemd only when it was booted (a
	 * container with systemd installed has no systemctl to ask) */
	if (host && (info->init != INIT_SYSTEMD || info->init_running))
		dd->running = service_active(info->init, names[0]);
}

static const char *const ntpdate_binaries[] = {"/usr/sbin/ntpdate", "/usr/bin/ntpdate"};
/* ntpsec-ntpdate: NTPsec's ntpdate wrapper (around ntpdig), same command. */
static const char *const ntpdate_packages[] = {"ntpdate", "ntpsec-ntpdate"};

static bool detect_ntpdate(const struct pkgdb *db, const char **package)
{
	*package = NULL;
	for (size_t i = 0; i < sizeof(ntpdate_packages) / sizeof(ntpdate_packages[0]); i++)
		if (pkgdb_version(db, ntpdate_packages[i])) {
			*package = ntpdate_packages[i];
			return true;
		}
	return FIRST_EXISTING(ntpdate_binaries) != NULL;
}

/* --- EC2 --------------------------------------------------------------------------- */

/* DMI data of the running machine (Nitro: "Amazon EC2"; Xen-based
 * instances: "Xen" vendor, "...amazon" BIOS version). */
static const struct ec2_probe {
	const char *path;
	const char *needle; /* case-insensitive substring */
} ec2_probes[] = {
    {"/sys/devices/virtual/dmi/id/board_vendor", "amazon"},
    {"/sys/devices/virtual/dmi/id/sys_vendor", "amazon"},
    {"/sys/devices/virtual/dmi/id/bios_version", "amazon"},
};

static bool detect_ec2(const struct distro *d, bool host)
{
	if (d->family == FAMILY_AMAZON)
		return true;
	if (!host)
		return false;
	for (size_t i = 0; i < sizeof(ec2_probes) / sizeof(ec2_probes[0]); i++) {
		char *text;
		size_t len;
		bool hit;
		if (sysops_read_root_file(ec2_probes[i].path, &text, &len) < 0)
			continue;
		hit = strcasestr(text, ec2_probes[i].needle) != NULL;
		free(text);
		if (hit)
			return true;
	}
	return false;
}

/* --- the whole picture -------------------------------------------------------------- */

void detect_run(struct detect_info *info)
{
	bool host = sysops_root_is_host();

	memset(info, 0, sizeof(*info));
	distro_detect(&info->distro);
	info->ec2 = detect_ec2(&info->distro, host);
	detect_init(info, host);
	info->pkg = detect_pkg();
	detect_refresh_daemons(info);
}

void detect_refresh_daemons(struct detect_info *info)
{
	const struct backend *const *all;
	bool host = sysops_root_is_host();
	struct pkgdb db;
	size_t n;

	pkgdb_load(&db);
	info->pkgdb_read = db.read;
	info->rpmdb_present = db.rpmdb;
	info->rpm_read = db.rpm_read;
	info->enabled_count = 0;
	all = backend_all(&n);
	for (size_t i = 0; i < n; i++) {
		struct detect_daemon *dd = &info->daemons[all[i]->id];
		memset(dd, 0, sizeof(*dd));
		dd->backend = all[i];
		detect_daemon(info, dd, &db, host);
		if (dd->enabled || dd->running)
			info->enabled_count++;
	}
	info->ntpdate_installed = detect_ntpdate(&db, &info->ntpdate_package);
	pkgdb_free(&db);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **detect_packages(size_t *count)
{
	struct pkgdb db;
	char **names = NULL;

	*count = 0;
	pkgdb_load(&db);
	if ((db.read || db.rpm_read) && (names = calloc(db.n + 1, sizeof(*names)))) {
		for (size_t i = 0; i < db.n; i++) {
			names[*count] = db.v[i].name;
			db.v[i].name = NULL;
			(*count)++;
		}
		qsort(names, *count, sizeof(*names), cmp_names);
	}
	pkgdb_free(&db); /* the names moved to the list are NULL there */
	return names;
}

void detect_free_packages(char **names, size_t count)
{
	for (size_t i = 0; names && i < count; i++)
		free(names[i]);
	free(names);
}
