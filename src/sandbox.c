/*
 * sandbox: the paths a daemon's systemd unit lets it write (see sandbox.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend.h"
#include "detect.h"
#include "sandbox.h"
#include "sysops.h"

/*
 * The units the distributions ship, as far as they decide what the daemon
 * may write: each row is the unit's own lines (the [Service] settings that
 * matter here, copied as they are), parsed like a unit file under a root.
 * Every row was read from the package itself:
 *   Debian 12: chrony 4.3-2+deb12u3, ntpsec 1.2.2+dfsg1-1+deb12u1 and
 *     openntpd 1:6.2p3-4.2+b1 (apt-get download, dpkg -x: the cache
 *     tests/lib/daemons.sh keeps), /lib/systemd/system/UNIT.
 *   Debian 13: chrony 4.6.1-3+deb13u2, ntpsec 1.2.3+dfsg1-8 and openntpd
 *     1:6.2p3-4.2+b2 (the mmdebstrap trixie roots of tests/lib/daemons.sh),
 *     /lib/systemd/system/UNIT.
 * Not in the table (not verified here, so "unknown": apply warns): other
 * distributions. chrony's upstream example unit (examples/chronyd.service
 * since chrony 4.2, the same in 4.3 and 4.6.1) has ProtectSystem=strict
 * with ReadWritePaths=/run /var/lib/chrony -/var/log -/var/spool; where a
 * distribution ships it, the unit file under the root is read instead.
 * ntp.org's ntpd has no Debian package, so no unit.
 */
static const char debian_chrony[] = "[Service]\n"
                                    "User=_chrony\n"
                                    "PrivateTmp=yes\n"
                                    "ProtectHome=yes\n"
                                    "ProtectSystem=strict\n"
                                    "ReadWritePaths=/run\n"
                                    "RuntimeDirectory=chrony\n"
                                    "StateDirectory=chrony\n"
                                    "LogsDirectory=chrony\n"
                                    "ReadWritePaths=-/var/spool\n";
static const char debian_ntpsec[] = "[Service]\n"
                                    "PrivateTmp=true\n";
static const char debian_openntpd[] = "[Service]\n"
                                      "RuntimeDirectory=openntpd\n"
                                      "PrivateTmp=true\n"
                                      "PrivateDevices=true\n"
                                      "ProtectSystem=full\n"
                                      "ProtectHome=true\n";

static const struct unit_row {
	const char *os_id, *version_id;
	enum daemon_id daemon;
	const char *text;
	const char *origin;
} unit_table[] = {
    {"debian", "12", DAEMON_CHRONY, debian_chrony,
     "Debian 12's chrony package (4.3-2+deb12u3), /lib/systemd/system/chrony.service"},
    {"debian", "13", DAEMON_CHRONY, debian_chrony,
     "Debian 13's chrony package (4.6.1-3+deb13u2), /lib/systemd/system/chrony.service"},
    {"debian", "12", DAEMON_NTPSEC, debian_ntpsec,
     "Debian 12's ntpsec package (1.2.2+dfsg1-1+deb12u1), /lib/systemd/system/ntpsec.service"},
    {"debian", "13", DAEMON_NTPSEC, debian_ntpsec,
     "Debian 13's ntpsec package (1.2.3+dfsg1-8), /lib/systemd/system/ntpsec.service"},
    {"debian", "12", DAEMON_OPENNTPD, debian_openntpd,
     "Debian 12's openntpd package (1:6.2p3-4.2+b1), /lib/systemd/system/openntpd.service"},
    {"debian", "13", DAEMON_OPENNTPD, debian_openntpd,
     "Debian 13's openntpd package (1:6.2p3-4.2+b2), /lib/systemd/system/openntpd.service"},
};

/* Where systemd looks for a unit, first match wins; drop-ins of all of
 * them are merged, a later folder's file replacing an earlier one of the
 * same name. */
static const char *const unit_dirs[] = {
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
};

/* Folders a ProtectSystem= level makes read-only (before "strict"). */
static const struct {
	enum sandbox_protect_system level;
	const char *path;
	const char *setting;
} read_only[] = {
    {SANDBOX_PS_YES, "/usr", "ProtectSystem=yes"},
    {SANDBOX_PS_YES, "/boot", "ProtectSystem=yes"},
    {SANDBOX_PS_YES, "/efi", "ProtectSystem=yes"},
    {SANDBOX_PS_FULL, "/etc", "ProtectSystem=full"},
};
static const char *const home_dirs[] = {"/home", "/root", "/run/user"};
static const char *const tmp_dirs[] = {"/tmp", "/var/tmp"};

/* The folder each *Directory= setting's names live in. */
static const struct {
	const char *key;
	enum sandbox_rw_kind kind;
	const char *parent; /* NULL: the value is a path (ReadWritePaths=) */
} rw_keys[] = {
    {"ReadWritePaths", SANDBOX_RW_PATHS, NULL},
    {"StateDirectory", SANDBOX_RW_STATE, "/var/lib"},
    {"LogsDirectory", SANDBOX_RW_LOGS, "/var/log"},
    {"CacheDirectory", SANDBOX_RW_CACHE, "/var/cache"},
    {"RuntimeDirectory", SANDBOX_RW_RUNTIME, "/run"},
};

void sandbox_init(struct sandbox *sb, const char *unit)
{
	memset(sb, 0, sizeof(*sb));
	snprintf(sb->unit, sizeof(sb->unit), "%s", unit ? unit : "");
}

/* systemd's boolean words. */
static int parse_bool(const char *v)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "t", "on"};
	static const char *const no[] = {"0", "no", "n", "false", "f", "off", ""};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	return -1;
}

static void add_rw(struct sandbox *sb, enum sandbox_rw_kind kind, const char *parent,
                   const char *word)
{
	/* "-" (ignore if missing) and "+" (outside RootDirectory) prefixes */
	while (*word == '-' || *word == '+')
		word++;
	if (!*word || sb->nrw == SANDBOX_MAX_RW)
		return;
	sb->rw[sb->nrw].kind = kind;
	/* StateDirectory=a:b (a symlink b to a) makes a writable */
	if (parent)
		snprintf(sb->rw[sb->nrw].path, SANDBOX_PATH_MAX, "%s/%.*s", parent,
		         (int)strcspn(word, ":"), word);
	else
		snprintf(sb->rw[sb->nrw].path, SANDBOX_PATH_MAX, "%s", word);
	sb->nrw++;
}

static void clear_rw(struct sandbox *sb, enum sandbox_rw_kind kind)
{
	size_t o = 0;

	for (size_t i = 0; i < sb->nrw; i++)
		if (sb->rw[i].kind != kind)
			sb->rw[o++] = sb->rw[i];
	sb->nrw = o;
}

static void set_key(struct sandbox *sb, const char *key, char *value)
{
	int b = parse_bool(value);

	if (strcmp(key, "ProtectSystem") == 0) {
		sb->protect_system = strcmp(value, "strict") == 0 ? SANDBOX_PS_STRICT
		                     : strcmp(value, "full") == 0 ? SANDBOX_PS_FULL
		                     : b == 1                     ? SANDBOX_PS_YES
		                                                  : SANDBOX_PS_NO;
	} else if (strcmp(key, "ProtectHome") == 0) {
		sb->protect_home = strcmp(value, "read-only") == 0 ? SANDBOX_PH_READ_ONLY
		                   : strcmp(value, "tmpfs") == 0   ? SANDBOX_PH_TMPFS
		                   : b == 1                        ? SANDBOX_PH_YES
		                                                   : SANDBOX_PH_NO;
	} else if (strcmp(key, "PrivateTmp") == 0) {
		sb->private_tmp = b == 1;
	} else {
		for (size_t i = 0; i < sizeof(rw_keys) / sizeof(rw_keys[0]); i++) {
			char *save = NULL;
			if (strcmp(key, rw_keys[i].key) != 0)
				continue;
			if (!*value)
				clear_rw(sb, rw_keys[i].kind);
			for (char *w = strtok_r(value, " \t", &save); w;
			     w = strtok_r(NULL, " \t", &save))
				add_rw(sb, rw_keys[i].kind, rw_keys[i].parent, w);
		}
	}
}

void sandbox_parse(struct sandbox *sb, const char *text, size_t len)
{
	char *copy = strndup(text, len), *save = NULL;
	bool service = false;

	sb->known = true;
	if (!copy)
		return;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq, *end;

		l += strspn(l, " \t");
		end = l + strlen(l);
		while (end > l && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			*--end = '\0';
		if (*l == '#' || *l == ';' || !*l)
			continue;
		if (*l == '[') {
			service = strcmp(l, "[Service]") == 0;
			continue;
		}
		if (!service || !(eq = strchr(l, '=')))
			continue;
		*eq = '\0';
		for (end = eq; end > l && (end[-1] == ' ' || end[-1] == '\t');)
			*--end = '\0';
		eq++;
		eq += strspn(eq, " \t");
		set_key(sb, l, eq);
	}
	free(copy);
}

const char *sandbox_table_unit(const char *os_id, const char *version_id, int daemon,
                               const char **origin)
{
	for (size_t i = 0; i < sizeof(unit_table) / sizeof(unit_table[0]); i++) {
		const struct unit_row *r = &unit_table[i];
		if (strcmp(r->os_id, os_id) == 0 && strcmp(r->version_id, version_id) == 0 &&
		    (int)r->daemon == daemon) {
			if (origin)
				*origin = r->origin;
			return r->text;
		}
	}
	return NULL;
}

static bool parse_file(struct sandbox *sb, const char *path)
{
	char *data;
	size_t len;

	if (sysops_read_root_file(path, &data, &len) < 0)
		return false;
	sandbox_parse(sb, data, len);
	free(data);
	return true;
}

/* The drop-ins (UNIT.d/NAME.conf) of every folder, in name order; a name in
 * an earlier folder of unit_dirs hides the same name in later ones. */
static void parse_drop_ins(struct sandbox *sb)
{
	const size_t ndirs = sizeof(unit_dirs) / sizeof(unit_dirs[0]);
	char *names[64];
	size_t n = 0;

	for (size_t d = 0; d < ndirs; d++) {
		char dir[SANDBOX_PATH_MAX], **list;
		size_t count;
		snprintf(dir, sizeof(dir), "%s/%s.d", unit_dirs[d], sb->unit);
		if (sysops_list_root_dir(dir, &list, &count) < 0)
			continue;
		for (size_t i = 0; i < count; i++) {
			size_t l = strlen(list[i]);
			bool seen = false;
			if (l < 6 || strcmp(list[i] + l - 5, ".conf") != 0)
				continue;
			for (size_t j = 0; j < n; j++)
				seen = seen || strcmp(strrchr(names[j], '/') + 1, list[i]) == 0;
			if (seen || n == sizeof(names) / sizeof(names[0]))
				continue;
			if (asprintf(&names[n], "%s/%s", dir, list[i]) >= 0)
				n++;
		}
		sysops_free_names(list, count);
	}
	/* by file name, whatever the folder */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(strrchr(names[j - 1], '/'),
		                                   strrchr(names[j], '/')) > 0;
		     j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		if (parse_file(sb, names[i])) {
			size_t o = strlen(sb->source);
			snprintf(sb->source + o, sizeof(sb->source) - o, " + %s", names[i]);
		}
		free(names[i]);
	}
}

void sandbox_read(struct sandbox *sb, const struct backend *b, const struct detect_info *host,
                  bool *applies)
{
	char unit[64];
	const char *text, *origin = NULL;

	snprintf(unit, sizeof(unit), "%s.service", backend_service(b, host->distro.family));
	sandbox_init(sb, unit);
	*applies = host->init == INIT_SYSTEMD;
	if (!*applies)
		return;
	for (size_t d = 0; d < sizeof(unit_dirs) / sizeof(unit_dirs[0]); d++) {
		char path[SANDBOX_PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", unit_dirs[d], unit);
		if (parse_file(sb, path)) {
			snprintf(sb->source, sizeof(sb->source), "%s", path);
			parse_drop_ins(sb);
			return;
		}
	}
	text = sandbox_table_unit(host->distro.id, host->distro.version_id, b->id, &origin);
	if (!text)
		return;
	sandbox_parse(sb, text, strlen(text));
	snprintf(sb->source, sizeof(sb->source), "%s", origin);
	/* a drop-in may be there before the package is */
	parse_drop_ins(sb);
}

/* path is dir or below it (component boundary). */
static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool sandbox_writable(const struct sandbox *sb, const char *path, const char **why)
{
	char p[SANDBOX_PATH_MAX];
	size_t o = 0;

	/* "//" and a trailing "/" change nothing */
	for (const char *s = path; *s && o + 1 < sizeof(p); s++)
		if (!(*s == '/' && o > 0 && p[o - 1] == '/'))
			p[o++] = *s;
	while (o > 1 && p[o - 1] == '/')
		o--;
	p[o] = '\0';
	*why = "";
	if (!sb->known)
		return true;
	for (size_t i = 0; i < sb->nrw; i++)
		if (under(p, sb->rw[i].path))
			return true;
	if (sb->private_tmp)
		for (size_t i = 0; i < sizeof(tmp_dirs) / sizeof(tmp_dirs[0]); i++)
			if (under(p, tmp_dirs[i])) {
				*why = "PrivateTmp=yes";
				return false;
			}
	if (sb->protect_home != SANDBOX_PH_NO)
		for (size_t i = 0; i < sizeof(home_dirs) / sizeof(home_dirs[0]); i++)
			if (under(p, home_dirs[i])) {
				*why = sb->protect_home == SANDBOX_PH_READ_ONLY ? "ProtectHome=read-only"
				       : sb->protect_home == SANDBOX_PH_TMPFS   ? "ProtectHome=tmpfs"
				                                                : "ProtectHome=yes";
				return false;
			}
	if (sb->protect_system == SANDBOX_PS_STRICT) {
		*why = "ProtectSystem=strict";
		return false;
	}
	for (size_t i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++)
		if (sb->protect_system >= read_only[i].level && under(p, read_only[i].path)) {
			*why = read_only[i].setting;
			return false;
		}
	return true;
}

void sandbox_paths_text(const struct sandbox *sb, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sb->nrw && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? " " : "", sb->rw[i].path);
}
