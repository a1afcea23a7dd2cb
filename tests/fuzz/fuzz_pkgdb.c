/*
 * fuzz_pkgdb: the package databases detect reads under --root (a mounted
 * system's files, so not trusted): the input becomes /var/lib/dpkg/status
 * (even first byte) or /lib/apk/db/installed (odd) in a scratch root that
 * has every daemon's binary, and detect_run reads it. The versions it
 * reports must be terminated strings free of control characters: `ntpwiz
 * detect` prints them on the terminal.
 *
 * The scratch root is made once under $TMPDIR and removed at exit; it is
 * the only place this target writes.
 */
#include "config.h"

#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detect.h"
#include "fuzzhelp.h"
#include "sysops.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static char root[256];
static const char *const files[] = {
    "etc/os-release",      "usr/sbin/chronyd",     "usr/sbin/ntpd",
    "usr/sbin/openntpd",   "usr/sbin/ntpsec",      "lib/systemd/systemd-timesyncd",
    "var/lib/dpkg/status", "lib/apk/db/installed", NULL};
static const char *const dirs[] = {"var/lib/dpkg", "lib/apk/db", "lib/systemd", "usr/sbin",
                                   "var/lib",      "lib/apk",    "etc",         "usr",
                                   "var",          "lib",        NULL};

static void put(const char *rel, const uint8_t *data, size_t size)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		fuzz_fail("cannot write %s", path);
}

static void cleanup(void)
{
	char path[512];

	for (size_t i = 0; files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		unlink(path);
	}
	for (size_t i = 0; dirs[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		rmdir(path);
	}
	rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char os_release[] = "ID=debian\nVERSION_ID=\"12\"\n";
	const char *tmp = getenv("TMPDIR");
	char path[512];

	(void)argc;
	(void)argv;
	snprintf(root, sizeof(root), "%s/ntpwiz-fuzz-pkgdb.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		fuzz_fail("cannot make a scratch root");
	atexit(cleanup);
	for (size_t i = sizeof(dirs) / sizeof(dirs[0]) - 1; i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		mkdir(path, 0755);
	}
	for (size_t i = 0; files[i]; i++)
		put(files[i], (const uint8_t *)"", 0);
	put("etc/os-release", (const uint8_t *)os_release, sizeof(os_release) - 1);
	if (sysops_set_root(root) < 0)
		fuzz_fail("cannot use %s as the root", root);
	return 0;
}

static void check_text(const char *what, const char *v, size_t size)
{
	size_t n = strnlen(v, size);

	if (n >= size)
		fuzz_fail("%s is not terminated", what);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			fuzz_fail("%s holds control character 0x%02x", what, (unsigned char)v[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct detect_info info;
	bool dpkg = size == 0 || data[0] % 2 == 0;

	put("var/lib/dpkg/status", dpkg ? data : NULL, dpkg ? size : 0);
	put("lib/apk/db/installed", dpkg ? NULL : data, dpkg ? 0 : size);
	detect_run(&info);
	for (int d = 1; d < DAEMON_COUNT; d++) {
		check_text("version", info.daemons[d].version, sizeof(info.daemons[d].version));
		check_text("binary", info.daemons[d].binary, sizeof(info.daemons[d].binary));
	}
	return 0;
}
