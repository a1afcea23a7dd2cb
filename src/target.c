/*
 * target: facts about the system a file is rendered for (see target.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "detect.h"
#include "sysops.h"
#include "target.h"

void target_init(struct target_facts *t)
{
	memset(t, 0, sizeof(*t));
	t->major = t->minor = -1;
	t->asked = DAEMON_AUTO;
}

static bool exists(const char *path)
{
	struct sysops_stat st;

	return sysops_stat_root(path, &st) == 0 && st.exists;
}

int target_parse_version(const char *v, int *major, int *minor)
{
	const char *colon = strchr(v, ':');
	char *end;
	long a, b = 0;

	/* Debian's epoch "1:" comes before the upstream version. */
	if (colon && colon > v && strspn(v, "0123456789") == (size_t)(colon - v))
		v = colon + 1;
	if (!isdigit((unsigned char)*v))
		return -1;
	a = strtol(v, &end, 10);
	if (*end == '.' && isdigit((unsigned char)end[1]))
		b = strtol(end + 1, &end, 10);
	if (a > 100000 || b > 100000)
		return -1;
	*major = (int)a;
	*minor = (int)b;
	return 0;
}

void target_read(struct target_facts *t, const struct backend *b, const struct detect_info *host)
{
	const struct detect_daemon *dd = &host->daemons[b->id];
	enum daemon_id asked = t->asked;
	char pkg[sizeof(t->asked_package)];

	snprintf(pkg, sizeof(pkg), "%s", t->asked_package);
	target_init(t);
	t->asked = asked;
	snprintf(t->asked_package, sizeof(t->asked_package), "%s", pkg);
	t->looked = true;
	if (dd->backend == b && dd->installed && dd->version[0]) {
		snprintf(t->version, sizeof(t->version), "%s", dd->version);
		snprintf(t->version_source, sizeof(t->version_source), "%s", dd->version_source);
		if (target_parse_version(t->version, &t->major, &t->minor) < 0)
			t->major = t->minor = -1;
	}
	t->leap_list = exists(TARGET_LEAP_LIST);
	t->right_utc = exists(TARGET_RIGHT_UTC);
}

bool target_version_at_least(const struct target_facts *t, int major, int minor)
{
	if (t->major < 0)
		return false;
	return t->major > major || (t->major == major && t->minor >= minor);
}

bool target_has_leap_list(const struct target_facts *t)
{
	return !t->looked || t->leap_list;
}

bool target_has_right_utc(const struct target_facts *t)
{
	return !t->looked || t->right_utc;
}
