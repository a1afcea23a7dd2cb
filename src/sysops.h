/*
 * sysops: the only module with side effects on the system. File reads and
 * writes relative to the root in use (--root, default "/"), atomic writes.
 * Everything goes through a table of operations so tests can install a fake
 * (sysops_install) and inject faults.
 */
#ifndef NTPWIZ_SYSOPS_H
#define NTPWIZ_SYSOPS_H

#include <stddef.h>
#include <sys/types.h>

struct sysops_impl {
	/* Reads a whole file. `in_root` selects a path under the root in use
	 * (symlinks cannot escape it) or a path on the host as given.
	 * Returns 0, or -1 with errno set (ENOENT: no such file). */
	int (*read_file)(int in_root, const char *path, char **data, size_t *len);
	/* Replaces a file under the root atomically (temporary file in the same
	 * directory, fsync, rename, fsync of the directory). -1 with errno. */
	int (*write_atomic)(int in_root, const char *path, const char *data, size_t len, mode_t mode);
};

/* Opens DIR as the root for all in-root paths; NULL means "/". -1 with errno. */
int sysops_set_root(const char *dir);
const char *sysops_root(void);
/* Installs a fake (tests); NULL restores the real implementation. */
void sysops_install(const struct sysops_impl *impl);

int sysops_read_root_file(const char *path, char **data, size_t *len);
int sysops_read_host_file(const char *path, char **data, size_t *len);
int sysops_write_root_file(const char *path, const char *data, size_t len, mode_t mode);
int sysops_write_host_file(const char *path, const char *data, size_t len, mode_t mode);

#endif
