/*
 * test_sysops: the real file operations, in a temporary directory used as
 * the root: reads stay inside the root even through absolute symlinks and
 * "..", and a write replaces the file atomically without following links.
 * The symlink tests run twice: with openat2 and with the by-hand walk used
 * where openat2 is missing (the "openat2" fault takes it away).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysops.h"
#include "testhelp.h"

static char dir[64], outside[64];

static void put(const char *base, const char *rel, const char *data)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(data, f);
	fclose(f);
}

static char *slurp(const char *base, const char *rel)
{
	static char buf[4096];
	char p[256];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	f = fopen(p, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void fx_setup(void)
{
	char p[256];

	strcpy(dir, "/tmp/ntpwiz-sysops-XXXXXX");
	strcpy(outside, "/tmp/ntpwiz-outside-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(mkdtemp(outside));
	snprintf(p, sizeof(p), "%s/etc", dir);
	mkdir(p, 0755);
	put(dir, "etc/os-release", "ID=debian\n");
	put(outside, "secret", "outside\n");
	ck_assert_int_eq(sysops_set_root(dir), 0);
}

static void fx_teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", dir, outside);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(read_in_root)
{
	char *data;
	size_t len;

	ck_assert_int_eq(sysops_read_root_file("/etc/os-release", &data, &len), 0);
	ck_assert_str_eq(data, "ID=debian\n");
	ck_assert_uint_eq(len, 10);
	free(data);
	ck_assert_int_eq(sysops_read_root_file("/etc/nothing", &data, &len), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(sysops_read_root_file("/etc", &data, &len), -1);
	ck_assert_int_eq(errno, EISDIR);
}
END_TEST

START_TEST(symlinks_stay_in_root)
{
	char link[256], target[256];
	char *data;
	size_t len;

	/* an absolute link inside a mounted system means that system's file */
	snprintf(link, sizeof(link), "%s/etc/escape", dir);
	snprintf(target, sizeof(target), "%s/secret", outside);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(sysops_read_root_file("/etc/escape", &data, &len), -1);
	/* ".." cannot climb out of the root either */
	ck_assert_int_eq(sysops_read_root_file("/../../../../../../etc/passwd", &data, &len), -1);
	snprintf(link, sizeof(link), "%s/etc/rel", dir);
	ck_assert_int_eq(symlink("/etc/os-release", link), 0);
	ck_assert_int_eq(sysops_read_root_file("/etc/rel", &data, &len), 0);
	ck_assert_str_eq(data, "ID=debian\n"); /* the root's, not the host's */
	free(data);
}
END_TEST

/* --- every way out of the root, with and without openat2 ---------------------- */

static int no_openat2(const char *step)
{
	return strcmp(step, "openat2") == 0 ? ENOSYS : 0;
}

static void link_at(const char *rel, const char *target)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	ck_assert_int_eq(symlink(target, p), 0);
}

/* Reads path under the root: it must fail, or give the root's own bytes,
 * never the file outside it. */
static void assert_not_outside(const char *path)
{
	char *data = NULL;
	size_t len;

	if (sysops_read_root_file(path, &data, &len) == 0) {
		ck_assert_msg(strcmp(data, "outside\n") != 0, "%s read the file outside the root",
		              path);
		free(data);
	}
}

START_TEST(no_escape)
{
	char abs_out[256], rel_out[256], p[256];
	struct sysops_stat st;
	char **names;
	size_t n;

	if (_i == 1)
		sysops_set_fault_hook(no_openat2);
	snprintf(abs_out, sizeof(abs_out), "%s/secret", outside);
	/* from ROOT/etc, "../../../../.." reaches / whatever the depth of /tmp */
	snprintf(rel_out, sizeof(rel_out), "../../../../../../../..%s/secret", outside);
	snprintf(p, sizeof(p), "%s/var", dir);
	mkdir(p, 0755);

	/* the file itself is a link out: absolute, and by ".." */
	link_at("etc/abs", abs_out);
	link_at("etc/rel", rel_out);
	assert_not_outside("/etc/abs");
	assert_not_outside("/etc/rel");
	/* a folder on the way is a link out */
	link_at("etc/absdir", outside);
	snprintf(p, sizeof(p), "../../../../../../../..%s", outside);
	link_at("var/reldir", p);
	assert_not_outside("/etc/absdir/secret");
	assert_not_outside("/var/reldir/secret");
	/* ".." in the path itself */
	snprintf(p, sizeof(p), "/../../../../../../..%s/secret", outside);
	assert_not_outside(p);
	/* stat and list_dir through a folder link see nothing outside */
	ck_assert_int_eq(sysops_stat_root("/etc/absdir/secret", &st), 0);
	ck_assert(!st.exists);
	if (sysops_list_root_dir("/etc/absdir", &names, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			ck_assert_str_ne(names[i], "secret");
		sysops_free_names(names, n);
	}
	/* a write through a folder link out lands nowhere outside */
	sysops_write_root_file("/etc/absdir/secret", "new\n", 4, 0644);
	ck_assert_str_eq(slurp(outside, "secret"), "outside\n");

	/* links that stay inside still work: an absolute one means the root's file */
	link_at("etc/inside", "/etc/os-release");
	link_at("var/up", "../etc/os-release");
	link_at("etc/loop", "/etc/loop");
	{
		char *data;
		size_t len;
		ck_assert_int_eq(sysops_read_root_file("/etc/inside", &data, &len), 0);
		ck_assert_str_eq(data, "ID=debian\n");
		free(data);
		ck_assert_int_eq(sysops_read_root_file("/var/up", &data, &len), 0);
		ck_assert_str_eq(data, "ID=debian\n");
		free(data);
		ck_assert_int_eq(sysops_read_root_file("/var/../etc/./os-release", &data, &len), 0);
		ck_assert_str_eq(data, "ID=debian\n");
		free(data);
		ck_assert_int_eq(sysops_read_root_file("/etc/loop", &data, &len), -1);
		ck_assert_int_eq(errno, ELOOP);
	}
	sysops_set_fault_hook(NULL);
}
END_TEST

START_TEST(write_atomic)
{
	struct stat st;
	char p[256];

	ck_assert_int_eq(sysops_write_root_file("/etc/ntp.conf", "a\n", 2, 0644), 0);
	ck_assert_str_eq(slurp(dir, "etc/ntp.conf"), "a\n");
	snprintf(p, sizeof(p), "%s/etc/ntp.conf", dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	ck_assert_int_eq(sysops_write_root_file("/etc/ntp.conf", "bb\n", 3, 0600), 0);
	ck_assert_str_eq(slurp(dir, "etc/ntp.conf"), "bb\n");
	/* no temporary file is left behind */
	ck_assert_ptr_null(slurp(dir, "etc/.ntp.conf.ntpwiz-tmp"));
	/* a missing directory is an error, not a write elsewhere */
	ck_assert_int_eq(sysops_write_root_file("/nodir/x.conf", "c\n", 2, 0644), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(write_does_not_follow_links)
{
	char link[256], target[256];

	snprintf(link, sizeof(link), "%s/etc/chrony.conf", dir);
	snprintf(target, sizeof(target), "%s/secret", outside);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(sysops_write_root_file("/etc/chrony.conf", "new\n", 4, 0644), 0);
	/* the link itself was replaced; the file it pointed to is untouched */
	ck_assert_str_eq(slurp(outside, "secret"), "outside\n");
	ck_assert_str_eq(slurp(dir, "etc/chrony.conf"), "new\n");

	/* a link planted at the temporary name is not written through */
	snprintf(link, sizeof(link), "%s/etc/.chrony.conf.ntpwiz-tmp", dir);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(sysops_write_root_file("/etc/chrony.conf", "newer\n", 6, 0644), 0);
	ck_assert_str_eq(slurp(outside, "secret"), "outside\n");
	ck_assert_str_eq(slurp(dir, "etc/chrony.conf"), "newer\n");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sysops");
	TCase *tc = tcase_create("files");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, read_in_root);
	tcase_add_test(tc, symlinks_stay_in_root);
	tcase_add_test(tc, write_atomic);
	tcase_add_test(tc, write_does_not_follow_links);
	tcase_add_loop_test(tc, no_escape, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
