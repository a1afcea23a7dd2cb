/*
 * sysops: real file operations (see sysops.h).
 *
 * In-root paths are opened with openat2(RESOLVE_IN_ROOT), so an absolute
 * symlink inside a mounted system resolves inside it, and ".." cannot climb
 * out of it. Where openat2 is missing (kernels before 5.6, or a seccomp
 * filter that answers ENOSYS or EPERM) the same resolution is done by hand:
 * one component at a time from the root fd, each opened with O_NOFOLLOW.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
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

static int fault(const char *step);

/* Symlinks followed in one resolution, as the kernel's limit (MAXSYMLINKS). */
#define WALK_MAX_LINKS 40

/* Opens each component of rel (a path relative to the root, "" for the
 * root itself) as a directory, never following a symlink: O_PATH fd. */
static int walk_dirs(const char *rel)
{
	char buf[PATH_MAX];
	int fd = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (snprintf(buf, sizeof(buf), "%s", rel) >= (int)sizeof(buf)) {
		if (fd >= 0)
			close(fd);
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *save = NULL, *c = strtok_r(buf, "/", &save); c && fd >= 0;
	     c = strtok_r(NULL, "/", &save)) {
		int next = openat(fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int saved = errno;
		close(fd);
		errno = saved;
		fd = next;
	}
	return fd;
}

/*
 * RESOLVE_IN_ROOT by hand. `done` holds the components resolved so far
 * (each a directory, not a link), `rest` what is left. A symlink's target
 * replaces it in `rest`; an absolute target starts again at the root, and
 * ".." never goes above it. The last component is opened with O_NOFOLLOW
 * from its directory's fd, so a link swapped in meanwhile fails (ELOOP).
 */
static int open_walk(const char *path, int flags, mode_t mode)
{
	char done[PATH_MAX] = "", rest[PATH_MAX], target[PATH_MAX], tmp[PATH_MAX];
	int links = 0;

	if (snprintf(rest, sizeof(rest), "%s", path) >= (int)sizeof(rest)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (;;) {
		char *p = rest, *comp, *slash;
		struct stat sb;
		bool last;
		int dfd, fd, saved;
		ssize_t n;

		while (*p == '/')
			p++;
		if (!*p) {
			/* the path names a directory already resolved */
			char *cut = strrchr(done, '/');
			const char *name = cut ? cut + 1 : done;
			if (!*done)
				return openat(root_fd, ".", flags | O_CLOEXEC, mode);
			if (cut)
				*cut = '\0';
			dfd = walk_dirs(cut ? done : "");
			if (dfd < 0)
				return -1;
			fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
			saved = errno;
			close(dfd);
			errno = saved;
			return fd;
		}
		comp = p;
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		p = slash ? slash + 1 : p + strlen(p);
		while (*p == '/')
			p++;
		last = !*p;
		snprintf(tmp, sizeof(tmp), "%s", comp);
		memmove(rest, p, strlen(p) + 1);
		if (strcmp(tmp, ".") == 0)
			continue;
		if (strcmp(tmp, "..") == 0) {
			char *cut = strrchr(done, '/');
			if (cut)
				*cut = '\0';
			else
				done[0] = '\0';
			continue;
		}
		dfd = walk_dirs(done);
		if (dfd < 0)
			return -1;
		if (fstatat(dfd, tmp, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode) &&
		    !(last && (flags & O_NOFOLLOW))) {
			n = readlinkat(dfd, tmp, target, sizeof(target) - 1);
			saved = errno;
			close(dfd);
			if (n < 0) {
				errno = saved;
				return -1;
			}
			target[n] = '\0';
			if (++links > WALK_MAX_LINKS) {
				errno = ELOOP;
				return -1;
			}
			if (target[0] == '/')
				done[0] = '\0';
			if (snprintf(tmp, sizeof(tmp), "%s/%s", target, rest) >= (int)sizeof(tmp)) {
				errno = ENAMETOOLONG;
				return -1;
			}
			memcpy(rest, tmp, strlen(tmp) + 1);
			continue;
		}
		if (last) {
			fd = openat(dfd, tmp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
			saved = errno;
			close(dfd);
			errno = saved;
			return fd;
		}
		close(dfd);
		if (strlen(done) + strlen(tmp) + 2 > sizeof(done)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (*done)
			strcat(done, "/");
		strcat(done, tmp);
	}
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
	/* a test can take openat2 away ("openat2" fault) to run the walk */
	if (fault("openat2") == 0) {
		struct open_how how = {
		    .flags = (unsigned long long)(flags | O_CLOEXEC),
		    .mode = (flags & O_CREAT) ? mode : 0,
		    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
		};
		long fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
		if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
			return (int)fd;
	}
#endif
	return open_walk(path, flags, mode);
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

static int (*fault_hook)(const char *step);

void sysops_set_fault_hook(int (*hook)(const char *step))
{
	fault_hook = hook;
}

/* 0, or -1 with errno set by the test's fault hook. */
static int fault(const char *step)
{
	int e = fault_hook ? fault_hook(step) : 0;

	if (e) {
		errno = e;
		return -1;
	}
	return 0;
}

/* Splits path into its directory (opened under the root or on the host)
 * and its last component. Returns the directory fd or -1. */
static int open_parent(int in_root, const char *path, const char **name)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	*name = slash ? slash + 1 : path;
	if (!**name || (slash && (size_t)(slash - path) >= sizeof(dir))) {
		errno = EINVAL;
		return -1;
	}
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path), path);
	return open_path(in_root, dir, O_RDONLY | O_DIRECTORY, 0);
}

static int real_write_atomic(int in_root, const char *path, const char *data, size_t len,
                             mode_t mode, uid_t uid, gid_t gid)
{
	char tmp[NAME_MAX + 1];
	const char *name;
	int dfd, fd, saved;

	dfd = open_parent(in_root, path, &name);
	if (dfd < 0)
		return -1;
	if (snprintf(tmp, sizeof(tmp), ".%s.ntpwiz-tmp", name) >= (int)sizeof(tmp)) {
		close(dfd);
		errno = ENAMETOOLONG;
		return -1;
	}
	/* A stale temporary file from a killed run is ours to remove; O_EXCL
	 * then refuses anything planted there in the meantime. */
	unlinkat(dfd, tmp, 0);
	fd = fault("open-temp") < 0
	         ? -1
	         : openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		goto fail_dir;
	if ((uid != (uid_t)-1 && fchown(fd, uid, gid) < 0) || fchmod(fd, mode) < 0 ||
	    fault("write") < 0 || write_all(fd, data, len) < 0 || fault("fsync") < 0 ||
	    fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlinkat(dfd, tmp, 0);
		errno = saved;
		goto fail_dir;
	}
	if (close(fd) < 0 || fault("rename") < 0 || renameat(dfd, tmp, dfd, name) < 0) {
		saved = errno;
		unlinkat(dfd, tmp, 0);
		errno = saved;
		goto fail_dir;
	}
	/* The new bytes are in place; a failed directory fsync is reported,
	 * since a crash could still bring the old name back. */
	if (fault("fsync-dir") < 0 || fsync(dfd) < 0)
		goto fail_dir;
	close(dfd);
	return 0;
fail_dir:
	saved = errno;
	close(dfd);
	errno = saved;
	return -1;
}

static int real_stat(int in_root, const char *path, struct sysops_stat *st)
{
	const char *name;
	struct stat sb;
	int dfd, r, saved;

	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		dfd = open_path(in_root, "/", O_RDONLY | O_DIRECTORY, 0);
		if (dfd < 0)
			return -1;
		r = fstat(dfd, &sb);
	} else {
		dfd = open_parent(in_root, path, &name);
		if (dfd < 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				return 0; /* no parent, no file */
			return -1;
		}
		r = fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW);
	}
	saved = errno;
	close(dfd);
	if (r < 0) {
		errno = saved;
		return (errno == ENOENT || errno == ENOTDIR) ? 0 : -1;
	}
	st->exists = true;
	st->is_link = S_ISLNK(sb.st_mode);
	st->is_reg = S_ISREG(sb.st_mode);
	st->is_dir = S_ISDIR(sb.st_mode);
	st->mode = sb.st_mode & 07777;
	st->uid = sb.st_uid;
	st->gid = sb.st_gid;
	return 0;
}

static int real_mkdirs(int in_root, const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			const char *name;
			int dfd, r, saved;

			*p = '\0';
			dfd = open_parent(in_root, buf, &name);
			if (dfd < 0)
				return -1;
			r = mkdirat(dfd, name, mode);
			saved = errno;
			/* the mode asked for, not what the caller's umask leaves;
			 * best effort: the umask only ever narrows it. (The result
			 * is looked at: glibc's fortified headers, as Debian
			 * builds with, make ignoring it an error.) */
			if (r == 0 && fchmodat(dfd, name, mode, AT_SYMLINK_NOFOLLOW) < 0 &&
			    errno == ENOTSUP && fchmodat(dfd, name, mode, 0) < 0)
				errno = saved;
			close(dfd);
			if (r < 0 && saved != EEXIST) {
				errno = saved;
				return -1;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	/* What exists at the end must be a directory, not a link to one. */
	struct sysops_stat st;
	if (real_stat(in_root, path, &st) < 0)
		return -1;
	if (!st.is_dir) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

static int real_unlink(int in_root, const char *path)
{
	const char *name;
	int dfd = open_parent(in_root, path, &name), r, saved;

	if (dfd < 0)
		return -1;
	r = unlinkat(dfd, name, 0);
	saved = errno;
	close(dfd);
	errno = saved;
	return r;
}

static int real_symlink(int in_root, const char *target, const char *path)
{
	const char *name;
	int dfd = open_parent(in_root, path, &name), r, saved;

	if (dfd < 0)
		return -1;
	r = symlinkat(target, dfd, name);
	saved = errno;
	close(dfd);
	errno = saved;
	return r;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int real_list_dir(int in_root, const char *path, char ***names, size_t *count)
{
	int fd = open_path(in_root, path, O_RDONLY | O_DIRECTORY, 0);
	size_t n = 0, cap = 0;
	char **v = NULL;
	struct dirent *de;
	DIR *d;

	*names = NULL;
	*count = 0;
	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*v));
			if (!nv)
				goto oom;
			v = nv;
		}
		if (!(v[n] = strdup(de->d_name)))
			goto oom;
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	*count = n;
	return 0;
oom:
	closedir(d);
	sysops_free_names(v, n);
	errno = ENOMEM;
	return -1;
}

void sysops_free_names(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Keeps up to SYSOPS_EXEC_MAX bytes of a command's output in *buf. */
static void keep_output(char **buf, size_t *len, const char *chunk, size_t n)
{
	if (*len < SYSOPS_EXEC_MAX) {
		size_t keep = n;
		char *p;
		if (keep > SYSOPS_EXEC_MAX - *len)
			keep = SYSOPS_EXEC_MAX - *len;
		p = realloc(*buf, *len + keep + 1);
		if (!p)
			return; /* keep reading so the child does not block */
		memcpy(p + *len, chunk, keep);
		*len += keep;
		p[*len] = '\0';
		*buf = p;
	}
}

/* Appends what is readable on fd to *buf; returns 0 at EOF, 1 for more. */
static int drain(int fd, char **buf, size_t *len)
{
	char chunk[4096];
	ssize_t r = read(fd, chunk, sizeof(chunk));

	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (r == 0)
		return 0;
	keep_output(buf, len, chunk, (size_t)r);
	return 1;
}

/*
 * Forks and runs argv (looked up on PATH) in a process group of its own,
 * stdin from /dev/null, stdout and stderr into the write ends of out and
 * err, which are closed here (set to -1). Returns 0 with the pid once the
 * exec has happened, or -1 with errno (the exec's own errno, e.g. ENOENT,
 * when the command could not start).
 */
static int start_child(const char *const argv[], int out[2], int err[2], pid_t *pidp)
{
	int st[2], child_errno = 0, status, saved;
	ssize_t n;
	pid_t pid;

	if (pipe2(st, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		saved = errno;
		close(st[0]);
		close(st[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		setpgid(0, 0);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execvp(argv[0], (char *const *)argv);
		child_errno = errno;
		if (write(st[1], &child_errno, sizeof(child_errno)) < 0)
			_exit(127);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	close(st[1]);
	out[1] = err[1] = -1;
	/* The status pipe closes on a successful exec (O_CLOEXEC). */
	while ((n = read(st[0], &child_errno, sizeof(child_errno))) < 0 && errno == EINTR)
		;
	close(st[0]);
	if (n == (ssize_t)sizeof(child_errno)) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		errno = child_errno;
		return -1;
	}
	*pidp = pid;
	return 0;
}

static int real_exec(const char *const argv[], int timeout_ms, struct sysops_exec_result *r)
{
	int out[2] = {-1, -1}, err[2] = {-1, -1};
	struct timespec t0;
	pid_t pid;
	int status, child_errno = 0;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 ||
	    start_child(argv, out, err, &pid) < 0)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pollfd pfd[2] = {{.fd = out[0], .events = POLLIN}, {.fd = err[0], .events = POLLIN}};
	int open_fds = 2;
	while (open_fds > 0) {
		long left = timeout_ms - elapsed_ms(&t0);
		if (left <= 0) {
			r->timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			break;
		}
		int n = poll(pfd, 2, (int)left);
		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2 && n > 0; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (!drain(pfd[i].fd, i == 0 ? &r->out : &r->errout,
			           i == 0 ? &r->out_len : &r->errout_len)) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
			}
		}
	}
	/* The child closed its output (or timed out); it may still linger. */
	for (;;) {
		pid_t w = waitpid(pid, &status, r->timed_out ? 0 : WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			break;
		if (w == 0) {
			if (elapsed_ms(&t0) >= timeout_ms) {
				r->timed_out = true;
				kill(-pid, SIGKILL);
				kill(pid, SIGKILL);
			} else {
				struct timespec ts = {0, 5 * 1000000};
				nanosleep(&ts, NULL);
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	if (WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		r->signal = WTERMSIG(status);
	if (!r->out)
		r->out = strdup("");
	if (!r->errout)
		r->errout = strdup("");
	return 0;
fail:
	child_errno = errno;
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	r->err = child_errno;
	errno = child_errno;
	return -1;
}

void sysops_exec_result_free(struct sysops_exec_result *r)
{
	free(r->out);
	free(r->errout);
	r->out = r->errout = NULL;
}

/* --- background commands ---------------------------------------------------- */

struct real_job {
	pid_t pid;
	int pipes[2]; /* stdout, stderr read ends; -1 once at EOF */
	int pidfd;    /* readable when the child exits; -1 if the kernel has none */
	bool reaped;
	int status;
	int timeout_ms;
	struct timespec t0;
	struct sysops_exec_result r;
};

static void job_unwatch(struct sysops_job *job, int *fd)
{
	epoll_ctl(job->fd, EPOLL_CTL_DEL, *fd, NULL);
	close(*fd);
	*fd = -1;
}

static int watch(int epfd, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void free_real_job(struct sysops_job *job)
{
	struct real_job *j = job->priv;

	for (int i = 0; i < 2; i++)
		if (j->pipes[i] >= 0)
			close(j->pipes[i]);
	if (j->pidfd >= 0)
		close(j->pidfd);
	close(job->fd);
	sysops_exec_result_free(&j->r);
	free(j);
	free(job);
}

static int real_spawn(const char *const argv[], int timeout_ms, struct sysops_job **jobp)
{
	int out[2] = {-1, -1}, err[2] = {-1, -1}, saved;
	struct sysops_job *job = calloc(1, sizeof(*job));
	struct real_job *j = calloc(1, sizeof(*j));

	*jobp = NULL;
	if (!job || !j) {
		free(job);
		free(j);
		errno = ENOMEM;
		return -1;
	}
	job->impl = NULL; /* set by sysops_spawn */
	job->priv = j;
	j->pipes[0] = j->pipes[1] = j->pidfd = -1;
	j->timeout_ms = timeout_ms;
	j->r.status = -1;
	job->fd = epoll_create1(EPOLL_CLOEXEC);
	/* Only our ends are non-blocking: the command writes as usual. */
	if (job->fd < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 ||
	    fcntl(out[0], F_SETFL, O_NONBLOCK) < 0 || fcntl(err[0], F_SETFL, O_NONBLOCK) < 0 ||
	    start_child(argv, out, err, &j->pid) < 0)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &j->t0);
	j->pipes[0] = out[0];
	j->pipes[1] = err[0];
	if (watch(job->fd, out[0]) < 0 || watch(job->fd, err[0]) < 0) {
		saved = errno;
		kill(-j->pid, SIGKILL);
		kill(j->pid, SIGKILL);
		while (waitpid(j->pid, &j->status, 0) < 0 && errno == EINTR)
			;
		free_real_job(job);
		errno = saved;
		return -1;
	}
#ifdef SYS_pidfd_open
	j->pidfd = (int)syscall(SYS_pidfd_open, j->pid, 0);
	if (j->pidfd >= 0 && watch(job->fd, j->pidfd) < 0) {
		close(j->pidfd);
		j->pidfd = -1;
	}
#endif
	*jobp = job;
	return 0;
fail:
	saved = errno;
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	if (job->fd >= 0)
		close(job->fd);
	free(j);
	free(job);
	errno = saved;
	return -1;
}

/* Reads everything available on the job's pipe i; closes it at EOF. */
static void job_read(struct sysops_job *job, int i)
{
	struct real_job *j = job->priv;
	char chunk[4096];

	while (j->pipes[i] >= 0) {
		ssize_t n = read(j->pipes[i], chunk, sizeof(chunk));
		if (n > 0) {
			keep_output(i == 0 ? &j->r.out : &j->r.errout,
			            i == 0 ? &j->r.out_len : &j->r.errout_len, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		job_unwatch(job, &j->pipes[i]); /* EOF or a read error */
	}
}

static void job_reap(struct real_job *j, int flags)
{
	pid_t w;

	if (j->reaped)
		return;
	while ((w = waitpid(j->pid, &j->status, flags)) < 0 && errno == EINTR)
		;
	if (w == j->pid || (w < 0 && errno == ECHILD))
		j->reaped = true;
}

static int real_job_poll(struct sysops_job *job, struct sysops_exec_result *r)
{
	struct real_job *j = job->priv;

	job_read(job, 0);
	job_read(job, 1);
	if (!j->reaped) {
		job_reap(j, WNOHANG);
		if (j->reaped && j->pidfd >= 0)
			job_unwatch(job, &j->pidfd);
	}
	if (elapsed_ms(&j->t0) >= j->timeout_ms &&
	    (!j->reaped || j->pipes[0] >= 0 || j->pipes[1] >= 0)) {
		j->r.timed_out = true;
		kill(-j->pid, SIGKILL);
		if (!j->reaped)
			kill(j->pid, SIGKILL);
		job_reap(j, 0);
		for (int i = 0; i < 2; i++)
			if (j->pipes[i] >= 0)
				job_unwatch(job, &j->pipes[i]);
	}
	if (!j->reaped || j->pipes[0] >= 0 || j->pipes[1] >= 0)
		return 0;
	*r = j->r;
	memset(&j->r, 0, sizeof(j->r));
	if (WIFEXITED(j->status))
		r->status = WEXITSTATUS(j->status);
	else if (WIFSIGNALED(j->status))
		r->signal = WTERMSIG(j->status);
	if (!r->out)
		r->out = strdup("");
	if (!r->errout)
		r->errout = strdup("");
	return 1;
}

static int real_job_wait_ms(const struct sysops_job *job)
{
	const struct real_job *j = job->priv;
	long left = j->timeout_ms - elapsed_ms(&j->t0);

	if (left <= 0)
		return 0;
	/* Without a pidfd nothing wakes us when a child that closed its
	 * output exits: look again soon. */
	if (!j->reaped && j->pidfd < 0 && j->pipes[0] < 0 && j->pipes[1] < 0 && left > 20)
		return 20;
	return left > INT_MAX ? INT_MAX : (int)left;
}

static void real_job_free(struct sysops_job *job)
{
	struct real_job *j = job->priv;

	if (!j->reaped) {
		kill(-j->pid, SIGKILL);
		kill(j->pid, SIGKILL);
		job_reap(j, 0);
	}
	free_real_job(job);
}

static time_t real_now(void)
{
	return time(NULL);
}

static uid_t real_euid(void)
{
	return geteuid();
}

/* Whether this process may create files in path, or in its nearest
 * existing parent folder when it does not exist yet (mkdirs would make it
 * there). Asked of the folder the path resolves to under the root, through
 * its /proc/self/fd link, with the effective ids; a system without /proc
 * gets the benefit of the doubt. */
static int real_can_write(int in_root, const char *path)
{
	char dir[PATH_MAX], link[64];

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (;;) {
		int fd = open_path(in_root, dir, O_RDONLY | O_DIRECTORY, 0), r, saved;
		if (fd >= 0) {
			snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
			r = faccessat(AT_FDCWD, link, W_OK, AT_EACCESS);
			saved = errno;
			close(fd);
			if (r < 0 && saved == ENOENT)
				return 0; /* no /proc */
			errno = saved;
			return r;
		}
		if (errno != ENOENT)
			return -1;
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			snprintf(dir, sizeof(dir), "/");
			continue;
		}
		*slash = '\0';
	}
}

/* Whether name would be found by exec: on PATH (or a path with a slash). */
static int real_find_program(const char *name)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		if (n > 0 &&
		    snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, name) < (int)sizeof(buf)) {
			struct stat sb;
			if (stat(buf, &sb) == 0 && S_ISREG(sb.st_mode) && access(buf, X_OK) == 0)
				return 1;
		}
		p += n;
		if (*p == ':')
			p++;
	}
	return 0;
}

static int real_temp_file(const char *data, size_t len, char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");
	int fd, saved;

	if (!dir || !*dir)
		dir = "/tmp";
	if (snprintf(path, size, "%s/ntpwiz-XXXXXX.conf", dir) >= (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemps(path, 5, O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0) {
		saved = errno;
		close(fd);
		unlink(path);
		errno = saved;
		return -1;
	}
	if (close(fd) < 0) {
		saved = errno;
		unlink(path);
		errno = saved;
		return -1;
	}
	return 0;
}

static const struct sysops_impl real_impl = {
    .read_file = real_read_file,
    .write_atomic = real_write_atomic,
    .stat = real_stat,
    .mkdirs = real_mkdirs,
    .unlink = real_unlink,
    .list_dir = real_list_dir,
    .exec = real_exec,
    .spawn = real_spawn,
    .job_poll = real_job_poll,
    .job_wait_ms = real_job_wait_ms,
    .job_free = real_job_free,
    .now = real_now,
    .euid = real_euid,
    .temp_file = real_temp_file,
    .can_write = real_can_write,
    .find_program = real_find_program,
    .symlink = real_symlink,
};
static const struct sysops_impl *impl = &real_impl;

void sysops_install(const struct sysops_impl *fake)
{
	impl = fake ? fake : &real_impl;
}

bool sysops_root_is_host(void)
{
	return strcmp(root_path, "/") == 0;
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
	return impl->write_atomic(1, path, data, len, mode, (uid_t)-1, (gid_t)-1);
}

int sysops_write_root_file_owned(const char *path, const char *data, size_t len, mode_t mode,
                                 uid_t uid, gid_t gid)
{
	return impl->write_atomic(1, path, data, len, mode, uid, gid);
}

int sysops_write_host_file(const char *path, const char *data, size_t len, mode_t mode)
{
	return impl->write_atomic(0, path, data, len, mode, (uid_t)-1, (gid_t)-1);
}

int sysops_stat_root(const char *path, struct sysops_stat *st)
{
	return impl->stat(1, path, st);
}

int sysops_mkdirs_root(const char *path, mode_t mode)
{
	return impl->mkdirs(1, path, mode);
}

int sysops_unlink_root(const char *path)
{
	return impl->unlink(1, path);
}

int sysops_symlink_root(const char *target, const char *path)
{
	if (!impl->symlink) {
		errno = ENOSYS;
		return -1;
	}
	return impl->symlink(1, target, path);
}

int sysops_unlink_host(const char *path)
{
	return impl->unlink(0, path);
}

int sysops_temp_file(const char *data, size_t len, char *path, size_t size)
{
	return impl->temp_file(data, len, path, size);
}

int sysops_list_root_dir(const char *path, char ***names, size_t *count)
{
	return impl->list_dir(1, path, names, count);
}

int sysops_exec(const char *const argv[], int timeout_ms, struct sysops_exec_result *r)
{
	return impl->exec(argv, timeout_ms, r);
}

int sysops_spawn(const char *const argv[], int timeout_ms, struct sysops_job **job)
{
	if (impl->spawn(argv, timeout_ms, job) < 0)
		return -1;
	(*job)->impl = impl;
	return 0;
}

int sysops_job_poll(struct sysops_job *job, struct sysops_exec_result *r)
{
	return job->impl->job_poll(job, r);
}

int sysops_job_wait_ms(const struct sysops_job *job)
{
	return job->impl->job_wait_ms(job);
}

void sysops_job_free(struct sysops_job *job)
{
	if (job)
		job->impl->job_free(job);
}

time_t sysops_now(void)
{
	return impl->now();
}

uid_t sysops_euid(void)
{
	return impl->euid();
}

int sysops_can_write_root(const char *path)
{
	return impl->can_write ? impl->can_write(1, path) : 0;
}

bool sysops_find_program(const char *name)
{
	return impl->find_program ? impl->find_program(name) != 0 : true;
}
