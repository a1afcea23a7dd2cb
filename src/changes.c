/*
 * changes: the record of what an apply changed besides the file (see
 * changes.h for the format). The reader is strict: the record lives under
 * a root that may be a mounted, untrusted system, and its package names
 * end up in the commands a rollback tells the operator to run.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "changes.h"

#define HEADER "ntpwiz-changes"
#define MAX_LINE 256

/* The keys, in the order they are written. */
static const struct key {
	const char *name;
	bool is_pkg;
	int index; /* enum changes_pkg_list or enum changes_daemon_set */
} keys[] = {
    {"before-enabled", false, CHANGES_BEFORE_ENABLED},
    {"before-running", false, CHANGES_BEFORE_RUNNING},
    {"installed", true, CHANGES_INSTALLED},
    {"removed", true, CHANGES_REMOVED},
    {"purged", true, CHANGES_PURGED},
    {"stopped", false, CHANGES_STOPPED},
    {"disabled", false, CHANGES_DISABLED},
    {"enabled", false, CHANGES_ENABLED},
    {"started", false, CHANGES_STARTED},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

void changes_init(struct changes *c)
{
	memset(c, 0, sizeof(*c));
}

static bool is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

bool changes_valid_package(const char *name, size_t len)
{
	if (len == 0 || len >= CHANGES_PKG_MAX || !is_alnum(name[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!is_alnum(name[i]) && !strchr("+._@-", name[i]))
			return false;
	return true;
}

bool changes_has_package(const struct changes *c, enum changes_pkg_list l, const char *name)
{
	for (size_t i = 0; i < c->npkgs[l]; i++)
		if (strcmp(c->pkgs[l][i], name) == 0)
			return true;
	return false;
}

int changes_add_package(struct changes *c, enum changes_pkg_list l, const char *name)
{
	if (!changes_valid_package(name, strlen(name)))
		return -1;
	if (changes_has_package(c, l, name))
		return 0;
	if (c->npkgs[l] == CHANGES_MAX_PKGS) {
		c->truncated = true;
		return -1;
	}
	memcpy(c->pkgs[l][c->npkgs[l]++], name, strlen(name) + 1);
	return 0;
}

/* One "KEY VALUE" line (no newline, no trailing blanks); -1 if invalid. */
static int parse_line(const char *s, size_t len, struct changes *c)
{
	const char *sp = memchr(s, ' ', len);
	char value[CHANGES_PKG_MAX];
	size_t klen, vlen;

	if (!sp)
		return -1;
	klen = (size_t)(sp - s);
	vlen = len - klen - 1;
	if (vlen == 0 || vlen >= sizeof(value) || memchr(sp + 1, ' ', vlen))
		return -1;
	memcpy(value, sp + 1, vlen);
	value[vlen] = '\0';
	if (klen == 6 && strncmp(s, "daemon", 6) == 0) {
		const struct backend *b = backend_by_name(value);
		if (!b || c->daemon)
			return -1;
		c->daemon = b;
		return 0;
	}
	for (size_t k = 0; k < NKEYS; k++) {
		if (strlen(keys[k].name) != klen || strncmp(keys[k].name, s, klen) != 0)
			continue;
		if (keys[k].is_pkg)
			return changes_add_package(c, (enum changes_pkg_list)keys[k].index, value);
		const struct backend *b = backend_by_name(value);
		if (!b)
			return -1;
		c->daemons[keys[k].index][b->id] = true;
		return 0;
	}
	return -1;
}

enum changes_read changes_parse(const char *text, size_t len, struct changes *c)
{
	size_t pos = 0;
	bool header = false;

	changes_init(c);
	if (len > CHANGES_MAX_TEXT || memchr(text, '\0', len))
		return CHANGES_DAMAGED;
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n;

		if (!nl) /* the writer ends every line */
			goto damaged;
		n = (size_t)(nl - s);
		pos += n + 1;
		if (n > MAX_LINE)
			goto damaged;
		if (n == 0 || s[0] == '#')
			continue;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
				goto damaged;
		if (!header) {
			size_t h = sizeof(HEADER) - 1;
			char *end;
			long v;
			if (n < h + 2 || strncmp(s, HEADER " ", h + 1) != 0 || s[h + 1] < '1' ||
			    s[h + 1] > '9')
				goto damaged;
			v = strtol(s + h + 1, &end, 10);
			if (end != s + n)
				goto damaged;
			if (v > CHANGES_VERSION) {
				changes_init(c);
				return CHANGES_NEWER;
			}
			if (v != CHANGES_VERSION)
				goto damaged;
			header = true;
			continue;
		}
		if (parse_line(s, n, c) < 0)
			goto damaged;
	}
	if (!header || !c->daemon)
		goto damaged;
	return CHANGES_FOUND;
damaged:
	changes_init(c);
	return CHANGES_DAMAGED;
}

void changes_format(const struct changes *c, const char *backup, struct strbuf *out)
{
	size_t n;
	const struct backend *const *all = backend_all(&n);

	strbuf_printf(out, "# ntpwiz: what the apply that made %s changed besides the file\n",
	              backup);
	strbuf_printf(out, "%s %d\n", HEADER, CHANGES_VERSION);
	if (c->daemon)
		strbuf_printf(out, "daemon %s\n", c->daemon->name);
	for (size_t k = 0; k < NKEYS; k++) {
		if (keys[k].is_pkg) {
			for (size_t i = 0; i < c->npkgs[keys[k].index]; i++)
				strbuf_printf(out, "%s %s\n", keys[k].name,
				              c->pkgs[keys[k].index][i]);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (c->daemons[keys[k].index][all[i]->id])
				strbuf_printf(out, "%s %s\n", keys[k].name, all[i]->name);
	}
	if (c->truncated)
		strbuf_puts(out, "# more packages changed than a record keeps\n");
}

const char *changes_read_name(enum changes_read r)
{
	static const char *const names[] = {
	    [CHANGES_FOUND] = "found",
	    [CHANGES_MISSING] = "missing",
	    [CHANGES_DAMAGED] = "damaged",
	    [CHANGES_NEWER] = "newer",
	};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "missing";
}
