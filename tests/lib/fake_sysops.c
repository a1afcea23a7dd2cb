/*
 * fake_sysops: in-memory sysops for unit tests (see fake_sysops.h).
 *
 * Every node (file, directory, symlink) is stored under its resolved,
 * normalised path; directories that only hold files are implied by those
 * paths. Lookups resolve symlinks component by component like the real
 * openat2(RESOLVE_IN_ROOT): an absolute target starts again at "/" of the
 * same name space, ".." never climbs above it.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_sysops.h"
#include "sysops.h"

#define MAX_HOPS 40 /* like the kernel's symlink limit */
#define MAX_FAILS 16

enum node_kind {
	NODE_FILE,
	NODE_DIR,
	NODE_LINK,
};

struct node {
	int in_root;
	enum node_kind kind;
	char *path;
	char *data; /* file bytes, or the link target */
	size_t len;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

struct exec_rule {
	char *prefix;
	int status;
	char *out;
	char *err;
};

struct fail_rule {
	char op[16];
	char *path; /* NULL: any */
	int err;
};

static struct node *nodes;
static size_t nnodes, cap_nodes;
static struct exec_rule *rules;
static size_t nrules;
static struct fail_rule fails[MAX_FAILS];
static size_t nfails;
static char *exec_log;
static size_t exec_log_len;
static int last_timeout = -1;
static int write_errno;
static size_t writes;
static time_t fake_time = FAKE_SYSOPS_NOW;
static uid_t fake_uid = FAKE_SYSOPS_EUID;

/* --- paths ------------------------------------------------------------------ */

/* "/a//b/./c/../d/" -> "/a/b/d"; a relative path is taken from "/". */
static int normalize(const char *path, char *out, size_t size)
{
	size_t n = 0;

	if (size < 2) {
		errno = ENAMETOOLONG;
		return -1;
	}
	out[n++] = '/';
	out[n] = '\0';
	while (*path) {
		const char *end;
		size_t len;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		end = strchr(path, '/');
		len = end ? (size_t)(end - path) : strlen(path);
		if (len == 1 && path[0] == '.') {
			/* nothing */
		} else if (len == 2 && path[0] == '.' && path[1] == '.') {
			while (n > 1 && out[n - 1] != '/')
				n--;
			if (n > 1)
				n--;
		} else {
			if (n + (n > 1) + len + 1 > size) {
				errno = ENAMETOOLONG;
				return -1;
			}
			if (n > 1)
				out[n++] = '/';
			memcpy(out + n, path, len);
			n += len;
		}
		out[n] = '\0';
		path += len;
	}
	return 0;
}

static struct node *lookup(int in_root, const char *norm)
{
	for (size_t i = 0; i < nnodes; i++)
		if (nodes[i].in_root == in_root && strcmp(nodes[i].path, norm) == 0)
			return &nodes[i];
	return NULL;
}

/* A directory nobody made but that holds something. */
static bool implied_dir(int in_root, const char *norm)
{
	size_t n = strlen(norm);

	if (strcmp(norm, "/") == 0)
		return true;
	for (size_t i = 0; i < nnodes; i++)
		if (nodes[i].in_root == in_root && strncmp(nodes[i].path, norm, n) == 0 &&
		    nodes[i].path[n] == '/')
			return true;
	return false;
}

static bool is_dir(int in_root, const char *norm)
{
	struct node *nd = lookup(in_root, norm);

	return nd ? nd->kind == NODE_DIR : implied_dir(in_root, norm);
}

/*
 * Resolves symlinks in path (all but the last component unless follow_last)
 * into out. 0, or -1 with errno: ENOTDIR (a file in the middle), ELOOP,
 * ENAMETOOLONG. A missing component is not an error here.
 */
static int resolve(int in_root, const char *path, bool follow_last, char *out, size_t size)
{
	char cur[PATH_MAX], next[PATH_MAX * 2];

	if (normalize(path, cur, sizeof(cur)) < 0)
		return -1;
	for (int hops = 0; hops <= MAX_HOPS; hops++) {
		bool restarted = false;

		/* Walk the prefixes "/a", "/a/b", ... of cur. */
		for (char *p = cur + 1; *p && !restarted;) {
			char *slash = strchr(p, '/');
			bool last = !slash;
			struct node *nd;
			char saved = 0;

			if (slash) {
				saved = *slash;
				*slash = '\0';
			}
			nd = lookup(in_root, cur);
			if (nd && nd->kind == NODE_FILE && !last) {
				errno = ENOTDIR;
				return -1;
			}
			if (nd && nd->kind == NODE_LINK && (!last || follow_last)) {
				const char *rest = slash ? slash + 1 : "";
				size_t dirlen = (size_t)(strrchr(cur, '/') - cur);

				if (nd->data[0] == '/')
					snprintf(next, sizeof(next), "%s/%s", nd->data, rest);
				else
					snprintf(next, sizeof(next), "%.*s/%s/%s", (int)dirlen, cur,
					         nd->data, rest);
				if (normalize(next, cur, sizeof(cur)) < 0)
					return -1;
				restarted = true;
				break;
			}
			if (slash)
				*slash = saved;
			p = slash ? slash + 1 : p + strlen(p);
		}
		if (!restarted) {
			if (strlen(cur) >= size) {
				errno = ENAMETOOLONG;
				return -1;
			}
			memcpy(out, cur, strlen(cur) + 1);
			return 0;
		}
	}
	errno = ELOOP;
	return -1;
}

/* The directory part of a resolved path ("/" for "/x"). */
static void parent_of(const char *res, char *out, size_t size)
{
	const char *slash = strrchr(res, '/');

	snprintf(out, size, "%.*s", slash == res ? 1 : (int)(slash - res), res);
}

/* --- the node store ----------------------------------------------------------- */

static void free_node(struct node *nd)
{
	free(nd->path);
	free(nd->data);
}

static void remove_node(struct node *nd)
{
	free_node(nd);
	*nd = nodes[--nnodes];
}

/* Creates or replaces the node at a resolved path. */
static struct node *set_node(int in_root, const char *norm, enum node_kind kind, const char *data,
                             size_t len)
{
	struct node *nd = lookup(in_root, norm);
	char *copy = NULL;

	if (data) {
		copy = malloc(len + 1);
		if (!copy)
			return NULL;
		memcpy(copy, data, len);
		copy[len] = '\0';
	}
	if (!nd) {
		if (nnodes == cap_nodes) {
			size_t ncap = cap_nodes ? cap_nodes * 2 : 64;
			struct node *nv = realloc(nodes, ncap * sizeof(*nv));
			if (!nv) {
				free(copy);
				return NULL;
			}
			nodes = nv;
			cap_nodes = ncap;
		}
		nd = &nodes[nnodes];
		memset(nd, 0, sizeof(*nd));
		nd->path = strdup(norm);
		if (!nd->path) {
			free(copy);
			return NULL;
		}
		nnodes++;
		nd->in_root = in_root;
	} else {
		free(nd->data);
	}
	nd->kind = kind;
	nd->data = copy;
	nd->len = data ? len : 0;
	nd->mode = kind == NODE_DIR ? 0755 : kind == NODE_LINK ? 0777 : 0644;
	nd->uid = 0;
	nd->gid = 0;
	return nd;
}

/* Where a planted node goes: its parent resolved, when that is possible. */
static int plant_path(int in_root, const char *path, char *out, size_t size)
{
	if (resolve(in_root, path, false, out, size) == 0)
		return 0;
	return normalize(path, out, size);
}

static int injected(const char *op, const char *path)
{
	for (size_t i = 0; i < nfails; i++)
		if (strcmp(fails[i].op, op) == 0 &&
		    (!fails[i].path || strcmp(fails[i].path, path) == 0))
			return fails[i].err;
	return 0;
}

#define FAIL_IF_INJECTED(op, path)                                                                 \
	do {                                                                                       \
		int e_ = injected(op, path);                                                       \
		if (e_) {                                                                          \
			errno = e_;                                                                \
			return -1;                                                                 \
		}                                                                                  \
	} while (0)

/* --- the sysops_impl ------------------------------------------------------------ */

static int fake_read(int in_root, const char *path, char **data, size_t *len)
{
	char res[PATH_MAX];
	struct node *nd;

	FAIL_IF_INJECTED("read", path);
	if (resolve(in_root, path, true, res, sizeof(res)) < 0)
		return -1;
	nd = lookup(in_root, res);
	if (!nd || nd->kind != NODE_FILE) {
		errno = is_dir(in_root, res) ? EISDIR : ENOENT;
		return -1;
	}
	*data = malloc(nd->len + 1);
	if (!*data)
		return -1;
	memcpy(*data, nd->data, nd->len + 1);
	*len = nd->len;
	return 0;
}

static int fake_write(int in_root, const char *path, const char *data, size_t len, mode_t mode,
                      uid_t uid, gid_t gid)
{
	char parent[PATH_MAX], res[PATH_MAX];
	struct node *nd;

	if (write_errno) {
		errno = write_errno;
		return -1;
	}
	FAIL_IF_INJECTED("write", path);
	if (resolve(in_root, path, false, res, sizeof(res)) < 0)
		return -1;
	if (strcmp(res, "/") == 0) {
		errno = EISDIR;
		return -1;
	}
	parent_of(res, parent, sizeof(parent));
	if (!is_dir(in_root, parent)) {
		errno = ENOENT;
		return -1;
	}
	/* rename() replaces a file or a symlink, never a directory. */
	nd = lookup(in_root, res);
	if (nd ? nd->kind == NODE_DIR : implied_dir(in_root, res)) {
		errno = EISDIR;
		return -1;
	}
	nd = set_node(in_root, res, NODE_FILE, data, len);
	if (!nd) {
		errno = ENOMEM;
		return -1;
	}
	nd->mode = mode & 07777;
	nd->uid = uid == (uid_t)-1 ? fake_uid : uid;
	nd->gid = uid == (uid_t)-1 ? 0 : gid;
	writes++;
	return 0;
}

static int fake_stat(int in_root, const char *path, struct sysops_stat *st)
{
	char res[PATH_MAX];
	struct node *nd;

	memset(st, 0, sizeof(*st));
	FAIL_IF_INJECTED("stat", path);
	if (resolve(in_root, path, false, res, sizeof(res)) < 0)
		return errno == ENOTDIR ? 0 : -1;
	nd = lookup(in_root, res);
	if (nd) {
		st->exists = true;
		st->is_link = nd->kind == NODE_LINK;
		st->is_reg = nd->kind == NODE_FILE;
		st->is_dir = nd->kind == NODE_DIR;
		st->mode = nd->mode;
		st->uid = nd->uid;
		st->gid = nd->gid;
	} else if (implied_dir(in_root, res)) {
		st->exists = true;
		st->is_dir = true;
		st->mode = 0755;
	}
	return 0;
}

static int fake_mkdirs(int in_root, const char *path, mode_t mode)
{
	char norm[PATH_MAX];
	struct sysops_stat st;

	FAIL_IF_INJECTED("mkdirs", path);
	if (normalize(path, norm, sizeof(norm)) < 0)
		return -1;
	/* Each prefix in turn, as the real one does with mkdirat. */
	for (char *p = norm + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p, res[PATH_MAX];
			*p = '\0';
			if (resolve(in_root, norm, false, res, sizeof(res)) < 0)
				return -1;
			if (!lookup(in_root, res) && !implied_dir(in_root, res)) {
				struct node *nd = set_node(in_root, res, NODE_DIR, NULL, 0);
				if (!nd) {
					errno = ENOMEM;
					return -1;
				}
				nd->mode = mode & 07777;
				nd->uid = fake_uid;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	if (fake_stat(in_root, norm, &st) < 0)
		return -1;
	if (!st.is_dir) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

static int fake_unlink(int in_root, const char *path)
{
	char res[PATH_MAX];
	struct node *nd;

	FAIL_IF_INJECTED("unlink", path);
	if (resolve(in_root, path, false, res, sizeof(res)) < 0)
		return -1;
	nd = lookup(in_root, res);
	if (nd && nd->kind != NODE_DIR) {
		remove_node(nd);
		return 0;
	}
	errno = is_dir(in_root, res) ? EISDIR : ENOENT;
	return -1;
}

/* symlinkat: EEXIST when something is there, ENOENT without the folder. */
static int fake_symlink_op(int in_root, const char *target, const char *path)
{
	char res[PATH_MAX], parent[PATH_MAX];
	const char *slash;

	FAIL_IF_INJECTED("symlink", path);
	if (resolve(in_root, path, false, res, sizeof(res)) < 0)
		return -1;
	if (lookup(in_root, res) || is_dir(in_root, res)) {
		errno = EEXIST;
		return -1;
	}
	slash = strrchr(res, '/');
	snprintf(parent, sizeof(parent), "%.*s", slash && slash != res ? (int)(slash - res) : 1,
	         res);
	if (!is_dir(in_root, parent)) {
		errno = ENOENT;
		return -1;
	}
	set_node(in_root, res, NODE_LINK, target, strlen(target));
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fake_list_dir(int in_root, const char *path, char ***names, size_t *count)
{
	char res[PATH_MAX];
	char **v = NULL;
	size_t n = 0, plen;

	*names = NULL;
	*count = 0;
	FAIL_IF_INJECTED("list_dir", path);
	if (resolve(in_root, path, true, res, sizeof(res)) < 0)
		return -1;
	if (!is_dir(in_root, res)) {
		errno = lookup(in_root, res) ? ENOTDIR : ENOENT;
		return -1;
	}
	plen = strcmp(res, "/") == 0 ? 0 : strlen(res);
	if (nnodes)
		v = calloc(nnodes, sizeof(*v));
	for (size_t i = 0; i < nnodes; i++) {
		const char *child;
		size_t clen;
		bool seen = false;

		if (nodes[i].in_root != in_root || strncmp(nodes[i].path, res, plen) != 0 ||
		    nodes[i].path[plen] != '/' || !nodes[i].path[plen + 1])
			continue;
		child = nodes[i].path + plen + 1;
		clen = strcspn(child, "/");
		for (size_t j = 0; j < n && !seen; j++)
			seen = strlen(v[j]) == clen && strncmp(v[j], child, clen) == 0;
		if (seen)
			continue;
		v[n] = strndup(child, clen);
		if (!v[n]) {
			sysops_free_names(v, n);
			errno = ENOMEM;
			return -1;
		}
		n++;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	*count = n;
	return 0;
}

static void log_append(const char *s)
{
	size_t n = strlen(s);
	char *p = realloc(exec_log, exec_log_len + n + 2);

	if (!p)
		return;
	exec_log = p;
	memcpy(exec_log + exec_log_len, s, n);
	exec_log_len += n;
	exec_log[exec_log_len++] = '\n';
	exec_log[exec_log_len] = '\0';
}

/* Called with each command before it is answered (fake_sysops_on_exec_hook). */
static void (*exec_hook)(const char *cmd);

void fake_sysops_on_exec_hook(void (*hook)(const char *cmd))
{
	exec_hook = hook;
}

static bool prefix_matches(const char *prefix, const char *cmd)
{
	size_t n = strlen(prefix);

	return strncmp(cmd, prefix, n) == 0 && (cmd[n] == '\0' || cmd[n] == ' ');
}

/* A background command: its answer is known at once (or never, for
 * FAKE_EXEC_PENDING); fd is a pipe holding one byte, so it polls readable
 * exactly when the answer is there. */
struct fake_job {
	int pipe[2];
	bool pending;
	int rc;
	struct sysops_exec_result r;
};
static unsigned live_jobs;

/* The scripted answer to argv; FAKE_EXEC_PENDING as r->status for a
 * command that never ends. */
static int answer(const char *const argv[], int timeout_ms, struct sysops_exec_result *r)
{
	size_t len = 1;
	char *cmd;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	for (size_t i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	cmd = malloc(len);
	if (!cmd) {
		r->err = errno = ENOMEM;
		return -1;
	}
	cmd[0] = '\0';
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			strcat(cmd, " ");
		strcat(cmd, argv[i]);
	}
	log_append(cmd);
	last_timeout = timeout_ms;
	if (exec_hook)
		exec_hook(cmd);
	for (size_t i = 0; i < nrules; i++) {
		if (!prefix_matches(rules[i].prefix, cmd))
			continue;
		free(cmd);
		if (rules[i].status == FAKE_EXEC_PENDING) {
			r->status = FAKE_EXEC_PENDING;
			r->out = strdup("");
			r->errout = strdup("");
			return 0;
		}
		if (rules[i].status == FAKE_EXEC_TIMEOUT) {
			r->timed_out = true;
			r->signal = SIGKILL;
		} else {
			r->status = rules[i].status;
		}
		r->out = strdup(rules[i].out);
		r->errout = strdup(rules[i].err);
		r->out_len = r->out ? strlen(r->out) : 0;
		r->errout_len = r->errout ? strlen(r->errout) : 0;
		return 0;
	}
	free(cmd);
	r->err = errno = ENOENT;
	return -1;
}

static int fake_exec(const char *const argv[], int timeout_ms, struct sysops_exec_result *r)
{
	int rc = answer(argv, timeout_ms, r);

	if (rc == 0 && r->status == FAKE_EXEC_PENDING) { /* it runs into its timeout */
		r->status = -1;
		r->timed_out = true;
		r->signal = SIGKILL;
	}
	return rc;
}

static int fake_spawn(const char *const argv[], int timeout_ms, struct sysops_job **jobp)
{
	struct sysops_job *job = calloc(1, sizeof(*job));
	struct fake_job *j = calloc(1, sizeof(*j));

	*jobp = NULL;
	if (!job || !j || pipe(j->pipe) < 0) {
		free(job);
		free(j);
		errno = ENOMEM;
		return -1;
	}
	j->rc = answer(argv, timeout_ms, &j->r);
	if (j->rc < 0) { /* could not start: reported by spawn, as the real one does */
		int e = j->r.err;
		close(j->pipe[0]);
		close(j->pipe[1]);
		sysops_exec_result_free(&j->r);
		free(j);
		free(job);
		errno = e;
		return -1;
	}
	j->pending = j->r.status == FAKE_EXEC_PENDING;
	if (!j->pending && write(j->pipe[1], "x", 1) != 1) {
		close(j->pipe[0]);
		close(j->pipe[1]);
		sysops_exec_result_free(&j->r);
		free(j);
		free(job);
		errno = EIO;
		return -1;
	}
	job->fd = j->pipe[0];
	job->priv = j;
	live_jobs++;
	*jobp = job;
	return 0;
}

static int fake_job_poll(struct sysops_job *job, struct sysops_exec_result *r)
{
	struct fake_job *j = job->priv;

	if (j->pending)
		return 0;
	*r = j->r;
	memset(&j->r, 0, sizeof(j->r));
	if (!r->out)
		r->out = strdup("");
	if (!r->errout)
		r->errout = strdup("");
	return 1;
}

static int fake_job_wait_ms(const struct sysops_job *job)
{
	const struct fake_job *j = job->priv;

	return j->pending ? 60000 : 0;
}

static void fake_job_free(struct sysops_job *job)
{
	struct fake_job *j = job->priv;

	if (j->pending)
		log_append("(cancelled)");
	close(j->pipe[0]);
	close(j->pipe[1]);
	sysops_exec_result_free(&j->r);
	free(j);
	free(job);
	live_jobs--;
}

unsigned fake_sysops_live_jobs(void)
{
	return live_jobs;
}

static time_t fake_now(void)
{
	return fake_time;
}

static uid_t fake_euid(void)
{
	return fake_uid;
}

/* Temporary files live on the fake host, so a checker's argv can name them. */
static unsigned ntemps;

static int fake_temp_file(const char *data, size_t len, char *path, size_t size)
{
	snprintf(path, size, "/tmp/ntpwiz-fake-%u.conf", ntemps++);
	fake_sysops_mkdir(0, "/tmp");
	if (fake_write(0, path, data, len, 0600, (uid_t)-1, (gid_t)-1) < 0)
		return -1;
	writes--; /* a file handed to a checker is not a change to the system */
	return 0;
}

static const struct sysops_impl fake = {
    .read_file = fake_read,
    .write_atomic = fake_write,
    .stat = fake_stat,
    .mkdirs = fake_mkdirs,
    .unlink = fake_unlink,
    .list_dir = fake_list_dir,
    .exec = fake_exec,
    .spawn = fake_spawn,
    .job_poll = fake_job_poll,
    .job_wait_ms = fake_job_wait_ms,
    .job_free = fake_job_free,
    .now = fake_now,
    .euid = fake_euid,
    .temp_file = fake_temp_file,
    .symlink = fake_symlink_op,
};

/* --- the test API ------------------------------------------------------------------ */

void fake_sysops_reset_exec_script(void)
{
	for (size_t i = 0; i < nrules; i++) {
		free(rules[i].prefix);
		free(rules[i].out);
		free(rules[i].err);
	}
	free(rules);
	rules = NULL;
	nrules = 0;
}

void fake_sysops_reset_exec_log(void)
{
	free(exec_log);
	exec_log = NULL;
	exec_log_len = 0;
}

void fake_sysops_reset(void)
{
	for (size_t i = 0; i < nnodes; i++)
		free_node(&nodes[i]);
	free(nodes);
	nodes = NULL;
	nnodes = cap_nodes = 0;
	fake_sysops_reset_exec_script();
	for (size_t i = 0; i < nfails; i++)
		free(fails[i].path);
	nfails = 0;
	fake_sysops_reset_exec_log();
	exec_hook = NULL;
	last_timeout = -1;
	ntemps = 0;
	write_errno = 0;
	writes = 0;
	fake_time = FAKE_SYSOPS_NOW;
	fake_uid = FAKE_SYSOPS_EUID;
	sysops_install(&fake);
}

void fake_sysops_put_mode(int in_root, const char *path, const char *data, mode_t mode, uid_t uid,
                          gid_t gid)
{
	char res[PATH_MAX];
	struct node *nd;

	if (plant_path(in_root, path, res, sizeof(res)) < 0)
		return;
	nd = set_node(in_root, res, NODE_FILE, data, strlen(data));
	if (nd) {
		nd->mode = mode & 07777;
		nd->uid = uid;
		nd->gid = gid;
	}
}

void fake_sysops_put(int in_root, const char *path, const char *data)
{
	fake_sysops_put_mode(in_root, path, data, 0644, 0, 0);
}

void fake_sysops_mkdir(int in_root, const char *path)
{
	char res[PATH_MAX];

	if (plant_path(in_root, path, res, sizeof(res)) == 0 && !is_dir(in_root, res))
		set_node(in_root, res, NODE_DIR, NULL, 0);
}

void fake_sysops_symlink(int in_root, const char *path, const char *target)
{
	char res[PATH_MAX];

	if (plant_path(in_root, path, res, sizeof(res)) == 0)
		set_node(in_root, res, NODE_LINK, target, strlen(target));
}

const char *fake_sysops_get(int in_root, const char *path, size_t *len)
{
	char res[PATH_MAX];
	struct node *nd;

	if (resolve(in_root, path, true, res, sizeof(res)) < 0)
		return NULL;
	nd = lookup(in_root, res);
	if (!nd || nd->kind != NODE_FILE)
		return NULL;
	if (len)
		*len = nd->len;
	return nd->data;
}

void fake_sysops_fail_writes(int err)
{
	write_errno = err;
}

void fake_sysops_fail(const char *op, const char *path, int err)
{
	for (size_t i = 0; i < nfails; i++) {
		if (strcmp(fails[i].op, op) != 0 || (!path) != (!fails[i].path) ||
		    (path && strcmp(path, fails[i].path) != 0))
			continue;
		if (err) {
			fails[i].err = err;
		} else {
			free(fails[i].path);
			fails[i] = fails[--nfails];
		}
		return;
	}
	if (!err || nfails == MAX_FAILS)
		return;
	snprintf(fails[nfails].op, sizeof(fails[nfails].op), "%s", op);
	fails[nfails].path = path ? strdup(path) : NULL;
	fails[nfails].err = err;
	nfails++;
}

size_t fake_sysops_write_count(void)
{
	return writes;
}

void fake_sysops_on_exec(const char *prefix, int status, const char *out, const char *err)
{
	struct exec_rule *nv = realloc(rules, (nrules + 1) * sizeof(*nv));

	if (!nv)
		return;
	rules = nv;
	rules[nrules].prefix = strdup(prefix);
	rules[nrules].status = status;
	rules[nrules].out = strdup(out ? out : "");
	rules[nrules].err = strdup(err ? err : "");
	nrules++;
}

const char *fake_sysops_exec_log(void)
{
	return exec_log ? exec_log : "";
}

int fake_sysops_exec_last_timeout(void)
{
	return last_timeout;
}

void fake_sysops_set_now(time_t t)
{
	fake_time = t;
}

void fake_sysops_set_euid(uid_t uid)
{
	fake_uid = uid;
}
