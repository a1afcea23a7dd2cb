/*
 * sysops: the only module with side effects on the system. File reads and
 * writes relative to the root in use (--root, default "/"), atomic writes.
 * Everything goes through a table of operations so tests can install a fake
 * (sysops_install) and inject faults.
 */
#ifndef NTPWIZ_SYSOPS_H
#define NTPWIZ_SYSOPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct sysops_stat {
	bool exists;
	bool is_link; /* the path itself is a symlink (not followed) */
	bool is_reg;
	bool is_dir;
	mode_t mode; /* permission bits */
	uid_t uid;
	gid_t gid;
};

/* Outcome of a command run with sysops_exec. */
struct sysops_exec_result {
	int status;     /* exit status; -1 when it did not run to an exit */
	int err;        /* errno when it could not be started (ENOENT: not found) */
	int signal;     /* the signal that ended it, 0 if none */
	bool timed_out; /* killed after the timeout */
	char *out;      /* stdout, NUL-terminated (at most SYSOPS_EXEC_MAX bytes kept) */
	size_t out_len;
	char *errout; /* stderr, likewise */
	size_t errout_len;
};
#define SYSOPS_EXEC_MAX (1024 * 1024)

/*
 * A command running in the background (sysops_spawn). The caller waits
 * for POLLIN on fd (with poll or epoll, together with its own fds) and
 * then calls sysops_job_poll, which never blocks: it takes what output
 * is there, and reaps the command when it has ended or kills it at its
 * timeout.
 */
struct sysops_impl;
struct sysops_job {
	const struct sysops_impl *impl; /* the implementation that started it */
	int fd;                         /* readable when the job has news */
	void *priv;
};

struct sysops_impl {
	/* Reads a whole file. `in_root` selects a path under the root in use
	 * (symlinks cannot escape it) or a path on the host as given.
	 * Returns 0, or -1 with errno set (ENOENT: no such file). */
	int (*read_file)(int in_root, const char *path, char **data, size_t *len);
	/* Replaces a file atomically (temporary file in the same directory,
	 * fsync, rename, fsync of the directory), with this mode and owner
	 * (uid/gid (uid_t)-1: leave as created). -1 with errno. */
	int (*write_atomic)(int in_root, const char *path, const char *data, size_t len,
	                    mode_t mode, uid_t uid, gid_t gid);
	/* lstat: a symlink is reported as such, not followed. */
	int (*stat)(int in_root, const char *path, struct sysops_stat *st);
	/* Creates the directory and its missing parents with this mode. */
	int (*mkdirs)(int in_root, const char *path, mode_t mode);
	int (*unlink)(int in_root, const char *path);
	/* Names in a directory (no . and ..), sorted; caller frees with
	 * sysops_free_names. */
	int (*list_dir)(int in_root, const char *path, char ***names, size_t *count);
	/* Runs argv (argv[0] looked up on PATH, never a shell) with stdin from
	 * /dev/null; kills its process group after timeout_ms. Returns 0 when
	 * it ran (see r->status), -1 when it could not (r->err). */
	int (*exec)(const char *const argv[], int timeout_ms, struct sysops_exec_result *r);
	/* Starts argv as exec does (same process group, output caps and
	 * timeout) and returns at once; -1 with r->err-like errno when it
	 * could not start (ENOENT: not found). */
	int (*spawn)(const char *const argv[], int timeout_ms, struct sysops_job **job);
	/* 1 when the job has ended (r filled as exec fills it), 0 while it
	 * runs. Never blocks. */
	int (*job_poll)(struct sysops_job *job, struct sysops_exec_result *r);
	/* Milliseconds until the job needs polling even without news (its
	 * timeout); 0 when it is due. */
	int (*job_wait_ms)(const struct sysops_job *job);
	/* Kills a job that still runs (its whole process group), reaps it and
	 * frees it. */
	void (*job_free)(struct sysops_job *job);
	time_t (*now)(void);
	uid_t (*euid)(void);
	/* A new private temporary file on the host ($TMPDIR or /tmp) holding
	 * data; its path goes to path. For handing a file to a checker. */
	int (*temp_file)(const char *data, size_t len, char *path, size_t size);
	/* 0 when this process may create files in the folder path (or in its
	 * nearest existing parent); -1 with errno (EACCES, EROFS). Optional:
	 * NULL counts as writable. */
	int (*can_write)(int in_root, const char *path);
	/* 1 when exec would find the program name (on PATH), 0 when not.
	 * Optional: NULL counts as found. */
	int (*find_program)(const char *name);
	/* Creates the symbolic link path with the text target (not resolved;
	 * inside the root it is read relative to the root, as the target
	 * system reads it). Optional: NULL fails with ENOSYS. */
	int (*symlink)(int in_root, const char *target, const char *path);
};

/*
 * Fault injection for tests: when set, the real atomic write calls the hook
 * before each step ("open-temp", "write", "fsync", "rename", "fsync-dir");
 * a non-zero return fails that step with that errno.
 */
void sysops_set_fault_hook(int (*hook)(const char *step));

/* Opens DIR as the root for all in-root paths; NULL means "/". -1 with errno. */
int sysops_set_root(const char *dir);
const char *sysops_root(void);
/* Installs a fake (tests); NULL restores the real implementation. */
void sysops_install(const struct sysops_impl *impl);

int sysops_read_root_file(const char *path, char **data, size_t *len);
int sysops_read_host_file(const char *path, char **data, size_t *len);
int sysops_write_root_file(const char *path, const char *data, size_t len, mode_t mode);
int sysops_write_host_file(const char *path, const char *data, size_t len, mode_t mode);
/* Like sysops_write_root_file, keeping a given owner. */
int sysops_write_root_file_owned(const char *path, const char *data, size_t len, mode_t mode,
                                 uid_t uid, gid_t gid);
int sysops_stat_root(const char *path, struct sysops_stat *st);
int sysops_mkdirs_root(const char *path, mode_t mode);
int sysops_unlink_root(const char *path);
int sysops_symlink_root(const char *target, const char *path);
int sysops_unlink_host(const char *path);
int sysops_temp_file(const char *data, size_t len, char *path, size_t size);
int sysops_list_root_dir(const char *path, char ***names, size_t *count);
void sysops_free_names(char **names, size_t count);
int sysops_exec(const char *const argv[], int timeout_ms, struct sysops_exec_result *r);
void sysops_exec_result_free(struct sysops_exec_result *r);
/* The background form of sysops_exec; see struct sysops_job. */
int sysops_spawn(const char *const argv[], int timeout_ms, struct sysops_job **job);
int sysops_job_poll(struct sysops_job *job, struct sysops_exec_result *r);
int sysops_job_wait_ms(const struct sysops_job *job);
/* Cancels the job if it still runs (kills its process group) and frees it.
 * NULL is a no-op. */
void sysops_job_free(struct sysops_job *job);
time_t sysops_now(void);
uid_t sysops_euid(void);
/* Whether the root in use is the running system's own "/". */
bool sysops_root_is_host(void);
/* Before changing anything (apply's pre-flight): can files be made in this
 * folder under the root, is this program on PATH. */
int sysops_can_write_root(const char *path);
bool sysops_find_program(const char *name);

#endif
