/*
 * test_apply_faults: apply_run with the REAL sysops in a temporary root,
 * with a fault injected at every step of every atomic write it does
 * ("open-temp", "write", "fsync", "rename", "fsync-dir"): the step fails
 * with ENOSPC, fails with EROFS, or the process dies there (_exit(9), as
 * in a power cut or a kill -9). Whatever happens, the config file holds
 * exactly the old bytes or exactly the new bytes, never anything else; a
 * failed step makes apply_run fail and say why; and the next successful
 * apply leaves no temporary file behind.
 *
 * Each apply runs in a forked child so a dying one cannot take the test
 * with it. The root has no init system and PATH points nowhere, so no
 * service command and no checker can run.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apply.h"
#include "backend.h"
#include "detect.h"
#include "distro.h"
#include "errlist.h"
#include "model.h"
#include "strbuf.h"
#include "sysops.h"
#include "testhelp.h"

#define CONF_DIR "/etc/chrony"
#define CONF "/etc/chrony/chrony.conf"
#define TMP_SUFFIX ".ntpwiz-tmp"

static const char old_bytes[] = "# the administrator's own chrony.conf, not written by ntpwiz\n"
                                "server old.example iburst\n"
                                "driftfile /var/lib/chrony/chrony.drift\n";

static const char *const write_steps[] = {"open-temp", "write", "fsync", "rename", "fsync-dir"};
#define NSTEPS (sizeof(write_steps) / sizeof(write_steps[0]))

enum fault_kind {
	FAULT_ENOSPC,
	FAULT_EROFS,
	FAULT_EXIT,
	FAULT_KINDS,
};
static const char *const kind_names[] = {"ENOSPC", "EROFS", "_exit(9)"};
#define EXIT_AT_FAULT 9

/* Child exit codes. */
enum {
	CHILD_OK = 0,
	CHILD_FAILED_WITH_ERRORS = 1, /* apply_run -1 and at least one error */
	CHILD_SETUP = 2,              /* could not build the inputs */
	CHILD_FAILED_SILENTLY = 3,    /* apply_run -1 but no error in the list */
};

/* --- the fault hook (in the child) ------------------------------------------ */

static const char *hook_step;
static int hook_nth, hook_seen;
static enum fault_kind hook_kind;
static int counts[NSTEPS];

static int fault_hook(const char *step)
{
	if (strcmp(step, hook_step) != 0 || ++hook_seen != hook_nth)
		return 0;
	switch (hook_kind) {
	case FAULT_ENOSPC:
		return ENOSPC;
	case FAULT_EROFS:
		return EROFS;
	case FAULT_EXIT:
	case FAULT_KINDS:
		break;
	}
	_exit(EXIT_AT_FAULT);
}

static int count_hook(const char *step)
{
	for (size_t i = 0; i < NSTEPS; i++)
		if (strcmp(step, write_steps[i]) == 0)
			counts[i]++;
	return 0;
}

/* --- sandbox roots ---------------------------------------------------------- */

static void put(const char *root, const char *rel, const char *data, mode_t mode)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ck_assert_msg(fd >= 0, "cannot create %s: %s", p, strerror(errno));
	ck_assert_int_eq(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

/* Every root is made in this folder, which main() removes at the end, so a
 * failed assertion (which ends the test process) leaves nothing behind. */
static char base[64];

/* A Debian 12 root with no init system and the administrator's old file. */
static void make_root(char *dir, size_t size)
{
	char p[512];

	snprintf(dir, size, "%s/root-XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/etc", dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s" CONF_DIR, dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	put(dir, "/etc/os-release",
	    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n", 0644);
	put(dir, CONF, old_bytes, 0644);
}

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static int remove_tree(const char *dir)
{
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_root(const char *dir)
{
	ck_assert_int_eq(remove_tree(dir), 0);
}

/* The file's bytes (NUL-terminated, caller frees), NULL if it is missing. */
static char *slurp(const char *root, const char *rel, size_t *len)
{
	char p[512], *buf = NULL;
	size_t cap = 0, n = 0;
	ssize_t r;
	int fd;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r > 0)
			n += (size_t)r;
	} while (r > 0);
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Names ending in ".ntpwiz-tmp" in root+rel, comma-separated ("" if none). */
static void temp_files(const char *root, const char *rel, char *out, size_t size)
{
	char p[512];
	struct dirent *de;
	DIR *d;

	out[0] = '\0';
	snprintf(p, sizeof(p), "%s%s", root, rel);
	d = opendir(p);
	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l > strlen(TMP_SUFFIX) &&
		    strcmp(de->d_name + l - strlen(TMP_SUFFIX), TMP_SUFFIX) == 0) {
			if (out[0])
				strncat(out, ",", size - strlen(out) - 1);
			strncat(out, de->d_name, size - strlen(out) - 1);
		}
	}
	closedir(d);
}

/* --- apply_run's inputs, from the public API --------------------------------- */

struct inputs {
	struct setup setup;
	struct detect_info host;
	const struct backend *backend;
};

static int build_inputs(const char *root, struct inputs *in, struct errlist *errs)
{
	struct server srv;

	if (sysops_set_root(root) < 0)
		return -1;
	model_init(&in->setup);
	in->setup.daemon = DAEMON_CHRONY;
	model_server_init(&srv);
	srv.kind = SERVER_KIND_SERVER;
	srv.iburst = true;
	if (model_set_server_host(&in->setup, &srv, "servers[0].host", "ntp-new.example", errs) < 0)
		return -1;
	if (model_add_server(&in->setup, &srv, "servers[0]", errs) < 0)
		return -1;
	detect_run(&in->host);
	in->backend = backend_find(DAEMON_CHRONY);
	return in->backend ? 0 : -1;
}

/* What apply must write: the backend's rendering of the same inputs. */
static char *expected_new_bytes(const char *root, size_t *len)
{
	struct inputs in;
	struct errlist errs;
	struct strbuf out;
	char *copy;

	errlist_init(&errs);
	strbuf_init(&out);
	ck_assert_int_eq(build_inputs(root, &in, &errs), 0);
	ck_assert_int_eq(in.host.distro.family, FAMILY_DEBIAN);
	struct target_facts t;
	target_init(&t);
	target_read(&t, in.backend, &in.host);
	ck_assert_int_eq(
	    backend_render_for(in.backend, &in.setup, in.host.distro.family, &t, &out, &errs), 0);
	copy = malloc(out.len + 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, out.buf, out.len);
	copy[out.len] = '\0';
	*len = out.len;
	strbuf_free(&out);
	errlist_free(&errs);
	return copy;
}

static int apply_in_this_process(const char *root, int (*hook)(const char *))
{
	struct apply_opts o = {
	    .restart = APPLY_RESTART_NO, .dry_run = false, .verify_timeout_ms = 1000};
	struct apply_report rep;
	struct errlist errs;
	struct inputs in;
	int rc;

	char *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

	errlist_init(&errs);
	if (build_inputs(root, &in, &errs) < 0)
		return CHILD_SETUP;
	memset(&rep, 0, sizeof(rep));
	/* Nothing to find on PATH: no checker, no service command. */
	setenv("PATH", "/nonexistent-ntpwiz-test-path", 1);
	sysops_set_fault_hook(hook);
	rc = apply_run(&in.setup, in.backend, &in.host, &o, &rep, &errs);
	sysops_set_fault_hook(NULL);
	if (path) {
		setenv("PATH", path, 1);
		free(path);
	}
	if (rc == 0)
		rc = CHILD_OK;
	else
		rc = errlist_count(&errs, ERR_ERROR) > 0 ? CHILD_FAILED_WITH_ERRORS
		                                         : CHILD_FAILED_SILENTLY;
	errlist_free(&errs);
	return rc;
}

/* Runs one apply in a child; returns its wait status. */
static int apply_in_child(const char *root, int (*hook)(const char *))
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(apply_in_this_process(root, hook));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static const char *describe(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "status 0x%x", (unsigned)status);
	return buf;
}

/* --- the test ------------------------------------------------------------------- */

/* A clean apply first: it must write the new bytes (so the fault runs below
 * cannot pass by doing nothing), and tells how often each step happens
 * (once for the backup, once for the config file, ...). */
START_TEST(clean_apply_writes_new_bytes)
{
	char root[128], *got;
	size_t glen, nlen;
	char *want;
	int status;
	char how[64];

	make_root(root, sizeof(root));
	want = expected_new_bytes(root, &nlen);
	ck_assert_msg(strcmp(want, old_bytes) != 0, "fixture: new bytes equal the old ones");
	status = apply_in_child(root, NULL);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_OK, "clean apply: %s",
	              describe(status, how, sizeof(how)));
	got = slurp(root, CONF, &glen);
	ck_assert_ptr_nonnull(got);
	ck_assert_msg(glen == nlen && memcmp(got, want, nlen) == 0,
	              "clean apply did not write the rendered bytes");
	free(got);
	free(want);
	remove_root(root);
}
END_TEST

START_TEST(fault_at_every_write_step)
{
	const size_t si = (size_t)_i / FAULT_KINDS;
	const enum fault_kind kind = (enum fault_kind)(_i % FAULT_KINDS);
	const char *step = write_steps[si];
	char root[128], how[64], temps[1024];
	int occurrences;

	/* How many times does this step happen in a clean apply? */
	make_root(root, sizeof(root));
	memset(counts, 0, sizeof(counts));
	ck_assert_int_eq(apply_in_this_process(root, count_hook), CHILD_OK);
	occurrences = counts[si];
	remove_root(root);
	ck_assert_msg(occurrences >= 1, "step \"%s\" never happened in a clean apply", step);

	for (int nth = 1; nth <= occurrences; nth++) {
		size_t nlen, glen;
		char *want, *got;
		int status;

		make_root(root, sizeof(root));
		want = expected_new_bytes(root, &nlen);
		hook_step = step;
		hook_nth = nth;
		hook_seen = 0;
		hook_kind = kind;
		status = apply_in_child(root, fault_hook);
		if (kind == FAULT_EXIT)
			ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_AT_FAULT,
			              "%s #%d, %s: the child did not die at the step (%s)", step,
			              nth, kind_names[kind], describe(status, how, sizeof(how)));
		else
			ck_assert_msg(
			    WIFEXITED(status) && WEXITSTATUS(status) == CHILD_FAILED_WITH_ERRORS,
			    "%s #%d fails with %s: apply_run should fail and say why, got %s%s",
			    step, nth, kind_names[kind], describe(status, how, sizeof(how)),
			    WIFEXITED(status) && WEXITSTATUS(status) == CHILD_OK
			        ? " (reported success)"
			    : WIFEXITED(status) && WEXITSTATUS(status) == CHILD_FAILED_SILENTLY
			        ? " (failed with an empty error list)"
			        : "");

		got = slurp(root, CONF, &glen);
		ck_assert_msg(got != NULL, "%s #%d, %s: %s is gone (or became a symlink)", step,
		              nth, kind_names[kind], CONF);
		ck_assert_msg(
		    (glen == strlen(old_bytes) && memcmp(got, old_bytes, glen) == 0) ||
		        (glen == nlen && memcmp(got, want, nlen) == 0),
		    "%s #%d, %s: %s holds neither the old nor the new bytes (%zu bytes: \"%.60s\")",
		    step, nth, kind_names[kind], CONF, glen, got);
		free(got);

		/* One more apply, with no fault: it succeeds, the new bytes are
		 * there and no temporary file is left next to the config. */
		status = apply_in_child(root, NULL);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_OK,
		              "%s #%d, %s: the next apply failed (%s)", step, nth, kind_names[kind],
		              describe(status, how, sizeof(how)));
		got = slurp(root, CONF, &glen);
		ck_assert_msg(got && glen == nlen && memcmp(got, want, nlen) == 0,
		              "%s #%d, %s: the next apply did not leave the new bytes", step, nth,
		              kind_names[kind]);
		free(got);
		temp_files(root, CONF_DIR, temps, sizeof(temps));
		ck_assert_msg(temps[0] == '\0', "%s #%d, %s: temporary file(s) left in %s: %s",
		              step, nth, kind_names[kind], CONF_DIR, temps);
		temp_files(root, APPLY_BACKUP_DIR, temps, sizeof(temps));
		if (temps[0])
			fprintf(stderr, "note: %s #%d, %s: temporary file(s) left in %s: %s\n",
			        step, nth, kind_names[kind], APPLY_BACKUP_DIR, temps);
		free(want);
		remove_root(root);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("apply_faults");
	TCase *tc = tcase_create("atomic writes under faults");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, clean_apply_writes_new_bytes);
	tcase_add_loop_test(tc, fault_at_every_write_step, 0, (int)(NSTEPS * FAULT_KINDS));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int rc;

	snprintf(base, sizeof(base), "%s/ntpwiz-faults-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (strlen(base) >= sizeof(base) - 1 || !mkdtemp(base)) {
		perror("test_apply_faults: mkdtemp");
		return 99; /* automake: hard error */
	}
	rc = testhelp_run(suite());
	if (remove_tree(base) < 0)
		perror("test_apply_faults: removing the temporary roots");
	return rc;
}
