/*
 * sysops: real file operations (see sysops.h).
 *
 * In-root paths are opened with openat2(RESOLVE_IN_ROOT), so an absolute
 * symlink inside a mounted system resolves inside it, and ".." cannot climb
 * out of it. Kernels without openat2 fall back to openat on the root fd with
 * O_NOFOLLOW on the last component.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sysops.h"

static int root_fd = AT_FDCWD;
static char root_path[PATH_MAX] = "/";

int sysops_set_root(const char *dir)
{
	int fd;

	if (!dir || !*dir)
		dir = "/";
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (root_fd >= 0)
		close(root_fd);
	root_fd = fd;
	if (!realpath(dir, root_path))
		snprintf(root_path, sizeof(root_path), "%s", dir);
	return 0;
}

const char *sysops_root(void)
{
	return root_path;
}

/* Opens `path` under the root (in_root) or on the host. */
static int open_path(int in_root, const char *path, int flags, mode_t mode)
{
	if (!in_root)
		return open(path, flags | O_CLOEXEC, mode);
	if (root_fd == AT_FDCWD && sysops_set_root("/") < 0)
		return -1;
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
#ifdef SYS_openat2
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
	if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
		return (int)fd;
#endif
	return openat(root_fd, path, flags | O_CLOEXEC | O_NOFOLLOW, mode);
}

static int read_fd(int fd, char **data, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);

	if (!buf)
		return -1;
	for (;;) {
		ssize_t r;
		if (n == cap) {
			char *p;
			if (cap > (size_t)64 << 20) {
				free(buf);
				errno = EFBIG;
				return -1;
			}
			cap *= 2;
			p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return -1;
			}
			buf = p;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

static int real_read_file(int in_root, const char *path, char **data, size_t *len)
{
	int fd = open_path(in_root, path, O_RDONLY, 0);
	int r, saved;
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		saved = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		close(fd);
		errno = saved;
		return -1;
	}
	r = read_fd(fd, data, len);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

static int real_write_atomic(int in_root, const char *path, const char *data, size_t len, mode_t mode)
{
	char dir[PATH_MAX], tmp[NAME_MAX + 1];
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	int dfd, fd, saved;

	if (!*name || (slash && (size_t)(slash - path) >= sizeof(dir))) {
		errno = EINVAL;
		return -1;
	}
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path), path);
	if (snprintf(tmp, sizeof(tmp), ".%s.ntpwiz-tmp", name) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	dfd = open_path(in_root, dir, O_RDONLY | O_DIRECTORY, 0);
	if (dfd < 0)
		return -1;
	/* A stale temporary file from a killed run is ours to remove; O_EXCL
	 * then refuses anything planted there in the meantime. */
	unlinkat(dfd, tmp, 0);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		goto fail_dir;
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlinkat(dfd, tmp, 0);
		errno = saved;
		goto fail_dir;
	}
	if (close(fd) < 0 || renameat(dfd, tmp, dfd, name) < 0) {
		saved = errno;
		unlinkat(dfd, tmp, 0);
		errno = saved;
		goto fail_dir;
	}
	fsync(dfd);
	close(dfd);
	return 0;
fail_dir:
	saved = errno;
	close(dfd);
	errno = saved;
	return -1;
}

static const struct sysops_impl real_impl = {
	.read_file = real_read_file,
	.write_atomic = real_write_atomic,
};
static const struct sysops_impl *impl = &real_impl;

void sysops_install(const struct sysops_impl *fake)
{
	impl = fake ? fake : &real_impl;
}

int sysops_read_root_file(const char *path, char **data, size_t *len)
{
	return impl->read_file(1, path, data, len);
}

int sysops_read_host_file(const char *path, char **data, size_t *len)
{
	return impl->read_file(0, path, data, len);
}

int sysops_write_root_file(const char *path, const char *data, size_t len, mode_t mode)
{
	return impl->write_atomic(1, path, data, len, mode);
}

int sysops_write_host_file(const char *path, const char *data, size_t len, mode_t mode)
{
	return impl->write_atomic(0, path, data, len, mode);
}
