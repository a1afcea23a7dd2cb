/*
 * apply: write a rendered config the way a careful operator would (see
 * apply.h). Every step is recorded in the report; when the restart or the
 * verification fails, the old bytes go back and the service is restarted
 * on them, so the host is never left without time service.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apply.h"
#include "keys.h"
#include "i18n.h"
#include "sandbox.h"
#include "startopts.h"
#include "strbuf.h"
#include "sysops.h"

#define CHECK_TIMEOUT_MS 10000
#define SERVICE_TIMEOUT_MS 90000
/* Enabling and disabling run more than links: systemctl runs
 * systemd-sysv-install (update-rc.d, insserv) and a daemon-reload, the
 * sysvinit/OpenRC tools are scripts too. On the real-host tier's guests
 * (TCG, a loaded machine) they took 67 s to more than 90 s; killed half-way
 * they leave the boot links half-changed. Not a start's 90 s, then. */
#define BOOT_LINKS_TIMEOUT_MS (5 * 60 * 1000)
#define INSTALL_TIMEOUT_MS (15 * 60 * 1000)
#define VERIFY_POLL_MS 500
#define MAX_LINE 2048 /* chrony's limit, the smallest of the daemons' */

/* Words in the command tables replaced when run. */
#define SVC "@SVC" /* also at the end of a word: "/etc/sv/@SVC" */
#define ROOTOPT "@ROOTOPT" /* "--root=DIR" */
#define ROOTDIR "@ROOT"    /* "DIR", the root in use (for chroot) */
#define PKG "@PKG"
/* First words done by ntpwiz itself under the root, not run: */
#define LINK "@LINK"     /* LINK TARGET PATH: the symlink PATH -> TARGET */
#define UNLINK "@UNLINK" /* UNLINK PATH: PATH removed (gone already is fine) */

static bool sysv_has_links(const char *service);

/* Service commands per init system; NULL: the init system has no command
 * for it (the step is reported as skipped, with what to do by hand).
 * Under --root the target's own tools run through chroot (sysvinit,
 * OpenRC); runit is enabled with the link Debian's runit-helper makes. */
static const struct init_cmds {
	const char *const *enable;
	const char *const *enable_in_root; /* for a system under --root */
	const char *const *disable;
	const char *const *disable_in_root;
	const char *const *restart;
	const char *const *stop;
	const char *const *start;
	/* run before enable when has_links says the service has none yet
	 * (Debian's update-rc.d refuses "enable" without links) */
	bool (*has_links)(const char *service);
	const char *const *first_enable;
	const char *const *first_enable_in_root;
} init_cmds[INIT_COUNT] =
    {
        [INIT_SYSTEMD] =
            {
                (const char *const[]){"systemctl", "enable", SVC, NULL},
                (const char *const[]){"systemctl", ROOTOPT, "enable", SVC, NULL},
                (const char *const[]){"systemctl", "disable", SVC, NULL},
                (const char *const[]){"systemctl", ROOTOPT, "disable", SVC, NULL},
                (const char *const[]){"systemctl", "restart", SVC, NULL},
                (const char *const[]){"systemctl", "stop", SVC, NULL},
                (const char *const[]){"systemctl", "start", SVC, NULL},
                NULL,
                NULL,
                NULL,
            },
        [INIT_SYSVINIT] =
            {
                (const char *const[]){"update-rc.d", SVC, "enable", NULL},
                (const char *const[]){"chroot", ROOTDIR, "update-rc.d", SVC, "enable", NULL},
                (const char *const[]){"update-rc.d", SVC, "disable", NULL},
                (const char *const[]){"chroot", ROOTDIR, "update-rc.d", SVC, "disable", NULL},
                (const char *const[]){"service", SVC, "restart", NULL},
                (const char *const[]){"service", SVC, "stop", NULL},
                (const char *const[]){"service", SVC, "start", NULL},
                sysv_has_links,
                (const char *const[]){"update-rc.d", SVC, "defaults", NULL},
                (const char *const[]){"chroot", ROOTDIR, "update-rc.d", SVC, "defaults", NULL},
            },
        [INIT_OPENRC] =
            {
                (const char *const[]){"rc-update", "add", SVC, "default", NULL},
                (const char *const[]){"chroot", ROOTDIR, "rc-update", "add", SVC, "default",
                                      NULL},
                (const char *const[]){"rc-update", "del", SVC, "default", NULL},
                (const char *const[]){"chroot", ROOTDIR, "rc-update", "del", SVC, "default",
                                      NULL},
                (const char *const[]){"rc-service", SVC, "restart", NULL},
                (const char *const[]){"rc-service", SVC, "stop", NULL},
                (const char *const[]){"rc-service", SVC, "start", NULL},
                NULL,
                NULL,
                NULL,
            },
        [INIT_RUNIT] =
            {
                /* runit-helper (Debian 12): ln -sf /etc/sv/NAME
                 * /etc/runit/runsvdir/default/NAME; runsvdir picks it up */
                (const char *const[]){LINK, "/etc/sv/" SVC, "/etc/runit/runsvdir/default/" SVC,
                                      NULL},
                (const char *const[]){LINK, "/etc/sv/" SVC, "/etc/runit/runsvdir/default/" SVC,
                                      NULL},
                (const char *const[]){UNLINK, "/etc/runit/runsvdir/default/" SVC, NULL},
                (const char *const[]){UNLINK, "/etc/runit/runsvdir/default/" SVC, NULL},
                (const char *const[]){"sv", "restart", SVC, NULL},
                (const char *const[]){"sv", "stop", SVC, NULL},
                (const char *const[]){"sv", "start", SVC, NULL},
                NULL,
                NULL,
                NULL,
            },
};

/* Package commands: install the daemon, purge ntpdate (deprecated, the
 * seeds remove it). */
static const struct pkg_cmds {
	const char *const *install;
	const char *const *purge;
} pkg_cmds[PKG_COUNT] = {
    [PKG_APT] = {(const char *const[]){"apt-get", "install", "-y", "-o",
                                       "Dpkg::Options::=--force-confold", PKG, NULL},
                 (const char *const[]){"apt-get", "purge", "-y", PKG, NULL}},
    [PKG_DNF] = {(const char *const[]){"dnf", "install", "-y", PKG, NULL},
                 (const char *const[]){"dnf", "remove", "-y", PKG, NULL}},
    [PKG_YUM] = {(const char *const[]){"yum", "install", "-y", PKG, NULL},
                 (const char *const[]){"yum", "remove", "-y", PKG, NULL}},
    [PKG_ZYPPER] = {(const char *const[]){"zypper", "--non-interactive", "install", PKG, NULL},
                    (const char *const[]){"zypper", "--non-interactive", "remove", PKG, NULL}},
    [PKG_APK] = {(const char *const[]){"apk", "add", PKG, NULL},
                 (const char *const[]){"apk", "del", PKG, NULL}},
    [PKG_PACMAN] = {(const char *const[]){"pacman", "-S", "--noconfirm", PKG, NULL},
                    (const char *const[]){"pacman", "-R", "--noconfirm", PKG, NULL}},
};

/* What a run changed, so a rollback can undo exactly that. */
struct undo {
	bool wrote;
	bool had_file;
	char *old;
	size_t old_len;
	struct sysops_stat old_st;
	bool restarted;
	const struct backend *stopped[DAEMON_COUNT];
	size_t nstopped;
	struct changes chg; /* kept next to the backup for ntpwiz rollback */
};

static void step(struct apply_report *rep, const char *name, enum apply_step_result r,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The caller's progress callback for the run in progress (apply_opts.on_step). */
static const struct apply_opts *progress;

static void step(struct apply_report *rep, const char *name, enum apply_step_result r,
                 const char *fmt, ...)
{
	struct apply_step *st;
	va_list ap;

	if (rep->nsteps == APPLY_MAX_STEPS)
		return;
	st = &rep->steps[rep->nsteps++];
	snprintf(st->name, sizeof(st->name), "%s", name);
	st->result = r;
	va_start(ap, fmt);
	vsnprintf(st->detail, sizeof(st->detail), fmt, ap);
	va_end(ap);
	/* one line, whatever a command printed */
	for (char *p = st->detail; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (progress && progress->on_step)
		progress->on_step(st, progress->on_step_data);
}

/* The first non-empty line of a command's output, for a one-line report. */
static const char *first_line(const struct sysops_exec_result *r, char *buf, size_t size)
{
	const char *t = (r->errout && *r->errout) ? r->errout : (r->out ? r->out : "");

	while (*t == '\n' || *t == ' ')
		t++;
	snprintf(buf, size, "%.*s", (int)strcspn(t, "\n"), t);
	return buf;
}

/* Room for the words expand() builds ("/etc/sv/chrony"). */
struct words {
	char rootopt[MODEL_PATH_MAX + 8];
	char built[4][MODEL_PATH_MAX];
};

/* Expands the placeholders of a command table entry into argv. */
static void expand(const char *const *tmpl, const char *service, const char *pkg, const char **argv,
                   size_t max, struct words *w)
{
	size_t i = 0, nb = 0, sl = strlen(SVC);

	snprintf(w->rootopt, sizeof(w->rootopt), "--root=%s", sysops_root());
	for (; tmpl[i] && i + 1 < max; i++) {
		size_t tl = strlen(tmpl[i]);
		if (strcmp(tmpl[i], SVC) == 0)
			argv[i] = service;
		else if (strcmp(tmpl[i], PKG) == 0)
			argv[i] = pkg;
		else if (strcmp(tmpl[i], ROOTOPT) == 0)
			argv[i] = w->rootopt;
		else if (strcmp(tmpl[i], ROOTDIR) == 0)
			argv[i] = sysops_root();
		else if (tl > sl && strcmp(tmpl[i] + tl - sl, SVC) == 0 && nb < 4) {
			snprintf(w->built[nb], sizeof(w->built[nb]), "%.*s%s", (int)(tl - sl), tmpl[i],
			         service);
			argv[i] = w->built[nb++];
		} else
			argv[i] = tmpl[i];
	}
	argv[i] = NULL;
}

static void join_argv(const char *const *argv, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; argv[i] && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? " " : "", argv[i]);
}

/* LINK and UNLINK: done under the root by ntpwiz itself. 0 done. */
static int run_builtin(struct apply_report *rep, const char *name, const char *const *argv)
{
	struct sysops_stat st;
	char cmd[512];

	if (strcmp(argv[0], LINK) == 0) {
		snprintf(cmd, sizeof(cmd), "ln -s %s %s", argv[1], argv[2]);
		if (sysops_stat_root(argv[1], &st) < 0 || !st.exists) {
			/* TRANSLATORS: %1$s a command, %2$s the folder it needs */
			step(rep, name, STEP_FAILED,
			     _("%1$s: %2$s does not exist: install the daemon's runit service "
			       "directory (Debian: the package runit-services) first"),
			     cmd, argv[1]);
			return -1;
		}
		if (sysops_stat_root(argv[2], &st) == 0 && st.exists) {
			step(rep, name, STEP_OK, _("%s: the link is there already"), argv[2]);
			return 0;
		}
		if (sysops_symlink_root(argv[1], argv[2]) < 0) {
			step(rep, name, STEP_FAILED, "%s: %s", cmd, strerror(errno));
			return -1;
		}
	} else {
		snprintf(cmd, sizeof(cmd), "rm %s", argv[1]);
		if (sysops_unlink_root(argv[1]) < 0 && errno != ENOENT) {
			step(rep, name, STEP_FAILED, "%s: %s", cmd, strerror(errno));
			return -1;
		}
	}
	step(rep, name, STEP_OK, "%s", cmd);
	return 0;
}

/* Runs one table command; records the step. Returns 0 when it exited 0. */
static int run_cmd(struct apply_report *rep, const char *name, const char *const *tmpl,
                   const char *service, const char *pkg, int timeout_ms)
{
	const char *argv[16];
	char cmd[512], line[256];
	struct words w;
	struct sysops_exec_result r;
	int rc;

	expand(tmpl, service, pkg, argv, sizeof(argv) / sizeof(argv[0]), &w);
	if (tmpl[0][0] == '@')
		return run_builtin(rep, name, argv);
	join_argv(argv, cmd, sizeof(cmd));
	if (sysops_exec(argv, timeout_ms, &r) < 0) {
		step(rep, name, STEP_FAILED, _("%s: cannot run it: %s"), cmd, strerror(r.err));
		return -1;
	}
	if (r.timed_out)
		step(rep, name, STEP_FAILED, _("%s: no answer after %d s"), cmd, timeout_ms / 1000);
	else if (r.status != 0)
		step(rep, name, STEP_FAILED, _("%s: exit status %d: %s"), cmd, r.status,
		     first_line(&r, line, sizeof(line)));
	else
		step(rep, name, STEP_OK, "%s", cmd);
	rc = (!r.timed_out && r.status == 0) ? 0 : -1;
	sysops_exec_result_free(&r);
	return rc;
}

/* sysv-rc: any /etc/rcN.d/[SK]nnNAME link. */
static bool sysv_has_links(const char *service)
{
	static const char *const dirs[] = {"/etc/rcS.d", "/etc/rc0.d", "/etc/rc1.d", "/etc/rc2.d",
	                                   "/etc/rc3.d", "/etc/rc4.d", "/etc/rc5.d", "/etc/rc6.d"};
	bool found = false;

	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]) && !found; d++) {
		char **names;
		size_t n;
		if (sysops_list_root_dir(dirs[d], &names, &n) < 0)
			continue;
		for (size_t i = 0; i < n && !found; i++)
			found = (names[i][0] == 'S' || names[i][0] == 'K') &&
			        isdigit((unsigned char)names[i][1]) &&
			        isdigit((unsigned char)names[i][2]) &&
			        strcmp(names[i] + 3, service) == 0;
		sysops_free_names(names, n);
	}
	return found;
}

/* Enables the service for the next boot with the init system's command
 * (after its first set-up, when it needs one); returns what run_cmd does. */
static int enable_service(struct apply_report *rep, const char *name,
                          const struct init_cmds *ic, const char *service)
{
	bool on_host = sysops_root_is_host();
	const char *const *en = on_host ? ic->enable : ic->enable_in_root;
	const char *const *first = on_host ? ic->first_enable : ic->first_enable_in_root;

	if (first && ic->has_links && !ic->has_links(service) &&
	    run_cmd(rep, name, first, service, NULL, BOOT_LINKS_TIMEOUT_MS) < 0)
		return -1;
	return run_cmd(rep, name, en, service, NULL, BOOT_LINKS_TIMEOUT_MS);
}

/* Checks for what no daemon accepts, whatever the renderer did. */
static int lint(const char *text, size_t len, const char *path, struct errlist *errs)
{
	size_t line = 1, col = 0;

	if (len == 0 || text[len - 1] != '\n') {
		errlist_add(errs, ERR_ERROR, path, "%s",
		            _("generated text does not end with a newline"));
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n') {
			line++;
			col = 0;
			continue;
		}
		if (++col > MAX_LINE || (c < 0x20 && c != '\t') || c == 0x7f) {
			char where[MODEL_PATH_MAX + 16];
			snprintf(where, sizeof(where), "%s:%zu", path, line);
			errlist_add(errs, ERR_ERROR, where, "%s",
			            col > MAX_LINE
			                ? _("generated line is longer than 2048 characters")
			                : _("generated text holds a control character"));
			return -1;
		}
	}
	return 0;
}

/* Runs the daemon's own checker on the text. 0 accepted or no checker
 * available (skipped), -1 refused. */
/* Under --root the checker is this machine's daemon, not the target's:
 * true (and a skipped step) when it is older than the target's version,
 * since it would refuse what only the newer one knows. */
static bool checker_too_old(const struct backend *b, const struct target_facts *t,
                            struct apply_report *rep)
{
	struct sysops_exec_result r;
	const char *v;
	int major, minor;
	bool old = false;

	if (sysops_root_is_host() || !t || t->major < 0 || !b->check_version_argv)
		return false;
	if (sysops_exec(b->check_version_argv, CHECK_TIMEOUT_MS, &r) < 0)
		return false;
	v = r.out ? strstr(r.out, "version ") : NULL;
	if (r.status == 0 && v && target_parse_version(v + 8, &major, &minor) == 0 &&
	    (major < t->major || (major == t->major && minor < t->minor))) {
		old = true;
		/* TRANSLATORS: %1$s the checker, %2$d.%3$d its version, %4$s the target's. */
		step(rep, "check", STEP_SKIPPED,
		     _("this machine's %1$s is version %2$d.%3$d, older than the target's %4$s: it "
		       "would refuse what only the newer one knows; only ntpwiz's own lint was done"),
		     b->check_argv[0], major, minor, t->version);
	}
	sysops_exec_result_free(&r);
	return old;
}

static int run_checker(const struct backend *b, const struct target_facts *t, const char *text,
                       size_t len, const char *path, struct apply_report *rep,
                       struct errlist *errs)
{
	char tmp[MODEL_PATH_MAX], cmd[512], line[256];
	const char *argv[16];
	struct sysops_exec_result r;
	size_t n = 0;
	int rc = 0;

	if (!b->check_argv) {
		step(rep, "check", STEP_SKIPPED,
		     _("%s has no syntax checker; ntpwiz's own lint passed"), b->name);
		return 0;
	}
	if (checker_too_old(b, t, rep))
		return 0;
	if (sysops_temp_file(text, len, tmp, sizeof(tmp)) < 0) {
		errlist_add(errs, ERR_ERROR, "",
		            _("cannot write a temporary file for the checker: %s"),
		            strerror(errno));
		return -1;
	}
	for (; b->check_argv[n] && n + 2 < sizeof(argv) / sizeof(argv[0]); n++)
		argv[n] = b->check_argv[n];
	argv[n++] = tmp;
	argv[n] = NULL;
	join_argv(b->check_argv, cmd, sizeof(cmd));
	if (sysops_exec(argv, CHECK_TIMEOUT_MS, &r) < 0) {
		if (sysops_root_is_host())
			step(rep, "check", STEP_SKIPPED,
			     _("%s not found; only ntpwiz's own lint was done"), b->check_argv[0]);
		else
			/* TRANSLATORS: %s the checker (chronyd). Under --root the target's
			 * binary is not run: it is this machine's program that checks. */
			step(rep, "check", STEP_SKIPPED,
			     _("%s not found on this machine (under --root the checker is this "
			       "machine's daemon, not the target's); only ntpwiz's own lint was "
			       "done"),
			     b->check_argv[0]);
	} else if (r.timed_out ||
	           !b->check_ok(r.status, r.out ? r.out : "", r.errout ? r.errout : "")) {
		first_line(&r, line, sizeof(line));
		step(rep, "check", STEP_FAILED, _("%s refused the file: %s"), cmd, line);
		errlist_add(errs, ERR_ERROR, path, _("%s refused the generated file: %s"), cmd,
		            line);
		rc = -1;
	} else {
		step(rep, "check", STEP_OK, _("%s accepted the file"), cmd);
	}
	sysops_exec_result_free(&r);
	sysops_unlink_host(tmp);
	return rc;
}

/* "etc_chrony_chrony.conf" from "/etc/chrony/chrony.conf". */
static void backup_stem(const char *path, char *buf, size_t size)
{
	size_t o = 0;

	while (*path == '/')
		path++;
	for (; *path && o + 1 < size; path++)
		buf[o++] = *path == '/' ? '_' : *path;
	buf[o] = '\0';
}

static bool is_restored(const char *name)
{
	size_t n = strlen(name);

	return n > 9 && strcmp(name + n - 9, ".restored") == 0;
}

/* Orders backup names of one file oldest first: by the UTC stamp, then by
 * the ".N" that told apart two backups made in the same second. */
static int backup_cmp(const char *a, const char *b)
{
	int c = strncmp(a, b, 16); /* YYYYmmddTHHMMSSZ */

	if (c)
		return c;
	a += strnlen(a, 16);
	b += strnlen(b, 16);
	long na = a[0] == '.' && a[1] >= '0' && a[1] <= '9' ? strtol(a + 1, NULL, 10) : 0;
	long nb = b[0] == '.' && b[1] >= '0' && b[1] <= '9' ? strtol(b + 1, NULL, 10) : 0;
	return na < nb ? -1 : na > nb;
}

static void record_path(const char *backup, char *buf, size_t size);

/* Keeps the newest APPLY_BACKUPS_KEPT backups of one file. */
static void prune_backups(const char *stem)
{
	size_t stem_len = strlen(stem), count = 0, n;
	char **names, p[320];

	if (sysops_list_root_dir(APPLY_BACKUP_DIR, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (strncmp(names[i], stem, stem_len) == 0 && names[i][stem_len] == '.')
			count++;
	while (count > APPLY_BACKUPS_KEPT) {
		const char *oldest = NULL;
		for (size_t i = 0; i < n; i++)
			if (names[i][0] && strncmp(names[i], stem, stem_len) == 0 &&
			    names[i][stem_len] == '.' &&
			    (!oldest ||
			     backup_cmp(names[i] + stem_len + 1, oldest + stem_len + 1) < 0))
				oldest = names[i];
		if (!oldest)
			break;
		snprintf(p, sizeof(p), "%s/%s", APPLY_BACKUP_DIR, oldest);
		if (sysops_unlink_root(p) < 0)
			break;
		record_path(oldest, p, sizeof(p));
		sysops_unlink_root(p);      /* its record, if it has one */
		((char *)oldest)[0] = '\0'; /* gone from the list too */
		count--;
	}
	sysops_free_names(names, n);
}

/* APPLY_BACKUP_DIR/changes.NAME for the backup APPLY_BACKUP_DIR/NAME. */
static void record_path(const char *backup, char *buf, size_t size)
{
	const char *slash = strrchr(backup, '/');

	snprintf(buf, size, "%s/%s%s", APPLY_BACKUP_DIR, CHANGES_PREFIX,
	         slash ? slash + 1 : backup);
}

/* Writes the record of what this run changes besides the file next to its
 * backup; like the backup, it must be there before anything else changes. */
static int save_changes(const char *backup, const struct changes *chg, struct apply_report *rep,
                        struct errlist *errs)
{
	int rc = 0;
	char path[MODEL_PATH_MAX + 64];
	const char *slash = strrchr(backup, '/');
	struct strbuf t;

	record_path(backup, path, sizeof(path));
	strbuf_init(&t);
	changes_format(chg, slash ? slash + 1 : backup, &t);
	if (sysops_write_root_file(path, strbuf_str(&t), t.len, 0600) < 0) {
		errlist_add(errs, ERR_ERROR, path,
		            _("cannot record what this apply changes besides the file: %s"),
		            strerror(errno));
		step(rep, "backup", STEP_FAILED, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	strbuf_free(&t);
	return rc;
}

/* Saves the current bytes (or an ".absent" marker) under a name that is
 * never reused. */
static int make_backup_as(const char *path, const struct undo *u, const char *paired,
                          struct apply_report *rep, struct errlist *errs);

static int make_backup(const char *path, const struct undo *u, struct apply_report *rep,
                       struct errlist *errs)
{
	return make_backup_as(path, u, NULL, rep, errs);
}

/* paired (issue 16 section 2): the stamp and ".N" of the config's backup
 * made by the same apply, so rollback finds the key file's by name. */
static int make_backup_as(const char *path, const struct undo *u, const char *paired,
                          struct apply_report *rep, struct errlist *errs)
{
	/* a file name: the stem must leave room for the stamp (NAME_MAX 255) */
	char stem[200], stamp[32], name[MODEL_PATH_MAX];
	time_t now = sysops_now();
	struct tm tm;

	/* /var/backups as a system has it; only ntpwiz's own folder is private */
	if (sysops_mkdirs_root(APPLY_BACKUP_PARENT, 0755) < 0 ||
	    sysops_mkdirs_root(APPLY_BACKUP_DIR, 0700) < 0) {
		errlist_add(errs, ERR_ERROR, APPLY_BACKUP_DIR,
		            _("cannot create the backup folder: %s"), strerror(errno));
		step(rep, "backup", STEP_FAILED, "%s: %s", APPLY_BACKUP_DIR, strerror(errno));
		return -1;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	backup_stem(path, stem, sizeof(stem));
	/* Two backups in one second get ".1", ".2"...: always after every
	 * existing one, so the order of names is the order they were made in. */
	char prefix[256], **names;
	size_t n;
	long next = 0;
	snprintf(prefix, sizeof(prefix), "%s.%s", stem, stamp);
	if (sysops_list_root_dir(APPLY_BACKUP_DIR, &names, &n) == 0) {
		size_t pl = strlen(prefix);
		for (size_t i = 0; i < n; i++) {
			if (strncmp(names[i], prefix, pl) != 0)
				continue;
			long k = names[i][pl] == '.' && names[i][pl + 1] >= '0' &&
			                 names[i][pl + 1] <= '9'
			             ? strtol(names[i] + pl + 1, NULL, 10)
			             : 0;
			if (k + 1 > next)
				next = k + 1;
		}
		sysops_free_names(names, n);
	}
	char suffix[24] = "";
	if (next)
		snprintf(suffix, sizeof(suffix), ".%ld", next);
	snprintf(name, sizeof(name), "%s/%s%s%s", APPLY_BACKUP_DIR, prefix, suffix,
	         u->had_file ? "" : ".absent");
	if (paired)
		snprintf(name, sizeof(name), "%s/%s.%s%s", APPLY_BACKUP_DIR, stem, paired,
		         u->had_file ? "" : ".absent");
	if (sysops_write_root_file(name, u->had_file ? u->old : "", u->had_file ? u->old_len : 0,
	                           0600) < 0) {
		errlist_add(errs, ERR_ERROR, name, _("cannot write the backup: %s"),
		            strerror(errno));
		step(rep, "backup", STEP_FAILED, "%s: %s", name, strerror(errno));
		return -1;
	}
	snprintf(rep->backup, sizeof(rep->backup), "%s", name);
	step(rep, "backup", STEP_OK,
	     u->had_file ? "%s" : _("%s (there was no file; a rollback removes it)"), name);
	prune_backups(stem);
	return 0;
}

/* Creates the file's folder if needed, then writes atomically. */
static int write_config(const char *path, const char *text, size_t len, const struct undo *u,
                        struct apply_report *rep, struct errlist *errs)
{
	char dir[MODEL_PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct sysops_stat st;
	mode_t mode = u->had_file ? u->old_st.mode : 0644;
	uid_t uid = u->had_file ? u->old_st.uid : 0;
	gid_t gid = u->had_file ? u->old_st.gid : 0;

	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (dir[0] && (sysops_stat_root(dir, &st) < 0 || !st.exists)) {
		if (sysops_mkdirs_root(dir, 0755) < 0) {
			errlist_add(errs, ERR_ERROR, dir, _("cannot create the folder: %s"),
			            strerror(errno));
			step(rep, "write", STEP_FAILED, "%s: %s", dir, strerror(errno));
			return -1;
		}
		step(rep, "mkdir", STEP_OK, "%s", dir);
	}
	if (sysops_euid() != 0)
		uid = (uid_t)-1, gid = (gid_t)-1; /* only root can give files away */
	if (sysops_write_root_file_owned(path, text, len, mode, uid, gid) < 0) {
		errlist_add(errs, ERR_ERROR, path, _("cannot write the file: %s; it is unchanged"),
		            strerror(errno));
		step(rep, "write", STEP_FAILED, "%s: %s", path, strerror(errno));
		return -1;
	}
	step(rep, "write", STEP_OK, _("%s (%zu bytes)"), path, len);
	return 0;
}

/* Whether service commands act now (restart) or only for the next boot. */
static bool restart_wanted(const struct setup *s, const struct apply_opts *o)
{
	switch (o->restart) {
	case APPLY_RESTART_NO:
		return false;
	case APPLY_RESTART_YES:
		return true;
	case APPLY_RESTART_DEFAULT:
		break;
	}
	return s->apply.restart && sysops_root_is_host();
}

/* Purges the package that provides ntpdate (on Debian 12 ntpsec-ntpdate,
 * not ntpdate), then looks again: a purge that leaves the command there
 * is a failed step, not an ok one. */
static void purge_ntpdate(const struct detect_info *host, struct apply_report *rep)
{
	const struct pkg_cmds *pc = &pkg_cmds[host->pkg];
	const char *pkg = host->ntpdate_package ? host->ntpdate_package : "ntpdate";
	struct detect_info after;

	if (run_cmd(rep, "purge-ntpdate", pc->purge, NULL, pkg, INSTALL_TIMEOUT_MS) < 0)
		return;
	after = *host;
	detect_refresh_daemons(&after);
	if (after.ntpdate_installed)
		step(rep, "purge-ntpdate", STEP_FAILED,
		     _("ntpdate is still installed after purging %s (package %s)"), pkg,
		     after.ntpdate_package ? after.ntpdate_package : "-");
}

/* Records the packages that came and went between two package lists
 * (sorted, as detect_packages gives them). */
static void record_packages(char **before, size_t nb, char **after, size_t na, const char *purged,
                            struct changes *chg)
{
	size_t i = 0, j = 0;

	while (i < nb || j < na) {
		int c = i == nb ? 1 : j == na ? -1 : strcmp(before[i], after[j]);
		if (c == 0) {
			i++, j++;
		} else if (c < 0) {
			changes_add_package(chg,
			                    purged && strcmp(before[i], purged) == 0
			                        ? CHANGES_PURGED
			                        : CHANGES_REMOVED,
			                    before[i]);
			i++;
		} else {
			changes_add_package(chg, CHANGES_INSTALLED, after[j++]);
		}
	}
}

static int install_steps(const struct backend *b, const struct detect_info *host,
                         struct apply_report *rep, const struct pkg_cmds *pc, const char *pkg)
{
	if (host->daemons[b->id].installed) {
		step(rep, "install", STEP_SKIPPED, _("%s is installed"), pkg);
	} else if (!sysops_root_is_host()) {
		step(rep, "install", STEP_SKIPPED,
		     _("under --root: install %s inside the target system"), pkg);
	} else if (!pc->install) {
		step(rep, "install", STEP_FAILED, _("no known package manager; install %s by hand"),
		     pkg);
		return -1;
	} else if (run_cmd(rep, "install", pc->install, NULL, pkg, INSTALL_TIMEOUT_MS) < 0) {
		return -1;
	}
	if (host->ntpdate_installed && pc->purge && sysops_root_is_host())
		purge_ntpdate(host, rep);
	return 0;
}

static int install_package(const struct backend *b, const struct detect_info *host,
                           struct apply_report *rep, struct changes *chg)
{
	const struct pkg_cmds *pc = &pkg_cmds[host->pkg];
	const char *pkg = backend_package(b, host->distro.family);
	size_t nb = 0, na = 0;
	char **before = NULL, **after = NULL;
	int rc = 0;

	/* what the package manager does on the way (apt: installing chrony
	 * removes systemd-timesyncd or NTPsec) is read from its database */
	if (sysops_root_is_host())
		before = detect_packages(&nb);
	rc = install_steps(b, host, rep, pc, pkg);
	if (before && (after = detect_packages(&na)))
		record_packages(before, nb, after, na, host->ntpdate_package, chg);
	detect_free_packages(before, nb);
	detect_free_packages(after, na);
	return rc;
}

/* Another daemon that is enabled or running, under a service name of its own. */
static bool is_conflict(const struct backend *b, const struct detect_info *host, int d)
{
	const struct detect_daemon *dd = &host->daemons[d];

	if (!dd->backend || dd->backend == b ||
	    !(dd->enabled || dd->running || dd->leftover_enabled))
		return false;
	/* ntp and ntpsec may share a service name on some families */
	return strcmp(backend_service(dd->backend, host->distro.family),
	              backend_service(b, host->distro.family)) != 0;
}

/* Whether the conflicting daemon d may be running, so there is something to
 * stop: not a removed package's leftover init script with its start links
 * (detect's leftover_enabled), which systemd has not loaded: "systemctl
 * stop ntpsec" exits 5 there, "Unit ntpsec.service not loaded" (a real
 * Debian 12 guest, tests/vm/sc-daemons.sh); disabling it is what is left. */
static bool conflict_runs(const struct detect_info *host, int d)
{
	return host->daemons[d].enabled || host->daemons[d].running;
}

/* What the service steps below will do, recorded before they run (the
 * record is written once, next to the backup, before the file): undoing a
 * step that then failed is harmless (enabling an enabled service). */
static void plan_services(const struct setup *s, const struct backend *b,
                          const struct detect_info *host, bool now, struct changes *chg)
{
	const struct init_cmds *ic = &init_cmds[host->init];
	bool on_host = sysops_root_is_host();

	if (host->init == INIT_NONE)
		return;
	for (int d = 1; s->apply.stop_conflicting && d < DAEMON_COUNT; d++) {
		if (!is_conflict(b, host, d))
			continue;
		chg->daemons[CHANGES_STOPPED][d] = now && on_host && ic->stop && conflict_runs(host, d);
		chg->daemons[CHANGES_DISABLED][d] =
		    (on_host ? ic->disable : ic->disable_in_root) != NULL;
	}
	chg->daemons[CHANGES_ENABLED][b->id] = (on_host ? ic->enable : ic->enable_in_root) != NULL;
	chg->daemons[CHANGES_STARTED][b->id] = now && ic->restart;
}

static void stop_conflicting(const struct backend *b, const struct detect_info *host, bool now,
                             struct undo *u, struct apply_report *rep)
{
	const struct init_cmds *ic = &init_cmds[host->init];
	bool any = false;

	for (int d = 1; d < DAEMON_COUNT; d++) {
		const struct detect_daemon *dd = &host->daemons[d];
		const char *svc;

		if (!is_conflict(b, host, d))
			continue;
		svc = backend_service(dd->backend, host->distro.family);
		any = true;
		/* only the running system's services can be stopped; under --root
		 * the other daemon is disabled for the next boot */
		if (now && sysops_root_is_host() && ic->stop && conflict_runs(host, d))
			run_cmd(rep, "stop-conflicting", ic->stop, svc, NULL, SERVICE_TIMEOUT_MS);
		const char *const *dis = sysops_root_is_host() ? ic->disable : ic->disable_in_root;
		if (dis)
			run_cmd(rep, "stop-conflicting", dis, svc, NULL, BOOT_LINKS_TIMEOUT_MS);
		else
			step(rep, "stop-conflicting", STEP_SKIPPED,
			     _("disable %s by hand: %s has no command for it here"), svc,
			     detect_init_name(host->init));
		u->stopped[u->nstopped++] = dd->backend;
	}
	if (!any)
		step(rep, "stop-conflicting", STEP_SKIPPED, "%s",
		     _("no other time daemon is enabled"));
}

/* --- pre-flight: what can be known before anything is touched --------------------- */

struct preflight {
	const struct setup *s;
	const struct backend *b;
	const struct detect_info *host;
	bool now;         /* services are restarted/stopped now, not only enabled */
	const char *path; /* the config file (inside the root) */
};

static int pf_root(const struct preflight *p, struct errlist *errs)
{
	if (sysops_euid() == 0 || !sysops_root_is_host())
		return 0;
	errlist_add(errs, ERR_ERROR, p->path, "%s",
	            _("changing the system's configuration needs root; run ntpwiz as root, or "
	              "use --root DIR to write into another tree"));
	return -1;
}

/* Whether apply will run the package manager for the daemon. */
static bool will_install(const struct preflight *p)
{
	return p->s->apply.install && sysops_root_is_host() &&
	       !p->host->daemons[p->b->id].installed;
}

static int pf_daemon(const struct preflight *p, struct errlist *errs)
{
	const char *pkg = backend_package(p->b, p->host->distro.family);

	if (p->host->daemons[p->b->id].installed)
		return 0;
	if (!sysops_root_is_host()) {
		/* a tree with no init system only gets the file (for a package
		 * installed later); one with an init system would get its
		 * services switched to a daemon that is not there */
		if (p->host->init == INIT_NONE)
			return 0;
		errlist_add(errs, ERR_ERROR, "",
		            _("%1$s is not installed under %2$s: install the package %3$s inside "
		              "that system first (apply does not install into another tree)"),
		            p->b->name, sysops_root(), pkg);
		return -1;
	}
	if (!p->s->apply.install) {
		errlist_add(errs, ERR_ERROR, "",
		            _("%1$s is not installed: install the package %2$s first, or set "
		              "apply.install = true in the profile so that apply installs it"),
		            p->b->name, pkg);
		return -1;
	}
	if (!pkg_cmds[p->host->pkg].install) {
		errlist_add(errs, ERR_ERROR, "",
		            _("%1$s is not installed and no known package manager was found: "
		              "install the package %2$s by hand first"),
		            p->b->name, pkg);
		return -1;
	}
	return 0;
}

/* The programs the service and package steps of this run will call. */
static int pf_commands(const struct preflight *p, struct errlist *errs)
{
	const struct init_cmds *ic = &init_cmds[p->host->init];
	const char *const *need[8];
	size_t n = 0;
	int rc = 0;

	if (will_install(p) && pkg_cmds[p->host->pkg].install)
		need[n++] = pkg_cmds[p->host->pkg].install;
	if (p->host->init != INIT_NONE) {
		const char *const *en = sysops_root_is_host() ? ic->enable : ic->enable_in_root;
		const char *const *dis = sysops_root_is_host() ? ic->disable : ic->disable_in_root;
		if (en)
			need[n++] = en;
		if (p->now && ic->restart)
			need[n++] = ic->restart;
		if (p->s->apply.stop_conflicting && dis)
			need[n++] = dis;
		if (p->s->apply.stop_conflicting && p->now && ic->stop)
			need[n++] = ic->stop;
	}
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen = seen || strcmp(need[j][0], need[i][0]) == 0;
		/* LINK, UNLINK: ntpwiz's own */
		if (seen || need[i][0][0] == '@' || sysops_find_program(need[i][0]))
			continue;
		if (need[i] == pkg_cmds[p->host->pkg].install)
			errlist_add(
			    errs, ERR_ERROR, "",
			    _("the command %1$s was not found (PATH): it is needed to install "
			      "%2$s"),
			    need[i][0], backend_package(p->b, p->host->distro.family));
		else
			errlist_add(
			    errs, ERR_ERROR, "",
			    _("the command %1$s was not found (PATH): it is needed to enable "
			      "and restart services with %2$s"),
			    need[i][0], detect_init_name(p->host->init));
		rc = -1;
	}
	return rc;
}

static int pf_folders(const struct preflight *p, struct errlist *errs)
{
	char dir[MODEL_PATH_MAX];
	const char *dirs[2];
	size_t n = 0;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s", p->path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	dirs[n++] = dir;
	if (p->s->apply.backup)
		dirs[n++] = APPLY_BACKUP_PARENT;
	for (size_t i = 0; i < n; i++) {
		if (sysops_can_write_root(dirs[i]) == 0)
			continue;
		errlist_add(errs, ERR_ERROR, dirs[i],
		            _("cannot write in this folder (%s); run ntpwiz as a user who can, or "
		              "choose another --root"),
		            strerror(errno));
		rc = -1;
	}
	return rc;
}

/* The paths the daemon writes that the profile chose (the renderers write
 * logdir and driftfile for chrony, ntpd and NTPsec only; backend.c's
 * key_rules warns for the others), each checked against what the service
 * unit lets the daemon write (sandbox.h): a daemon that cannot create its
 * log folder logs "Read-only file system" and runs on without it. */
static int pf_sandbox(const struct preflight *p, struct errlist *errs)
{
	const struct setup_options *so = &p->s->options;
	struct sandbox sb;
	bool applies;
	int rc = 0;
	struct {
		const char *field;
		const char *value; /* as the profile has it */
		char dir[MODEL_PATH_MAX]; /* what the daemon must write in */
	} want[2];
	size_t n = 0;

	if (p->b->id != DAEMON_CHRONY && p->b->id != DAEMON_NTP && p->b->id != DAEMON_NTPSEC)
		return 0;
	if (so->logdir[0]) {
		want[n].field = "options.logdir";
		want[n].value = so->logdir;
		snprintf(want[n].dir, sizeof(want[n].dir), "%s", so->logdir);
		n++;
	}
	if (so->driftfile[0]) {
		const char *slash = strrchr(so->driftfile, '/');
		want[n].field = "options.driftfile";
		want[n].value = so->driftfile;
		/* the daemon writes a temporary file next to it and renames it */
		snprintf(want[n].dir, sizeof(want[n].dir), "%.*s",
		         slash && slash != so->driftfile ? (int)(slash - so->driftfile) : 1,
		         so->driftfile);
		n++;
	}
	if (!n)
		return 0;
	sandbox_read(&sb, p->b, p->host, &applies);
	if (!applies)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const char *why;
		char paths[1024];

		if (!sb.known) {
			errlist_add(errs, ERR_WARNING, want[i].field,
			            /* TRANSLATORS: %1$s a path, %2$s the unit, %3$s the daemon */
			            _("%1$s: what %2$s lets %3$s write on this system is not known "
			              "(no unit file under the root, and not a release ntpwiz has "
			              "the facts for): make sure the unit does not make this path "
			              "read-only (ProtectSystem=, ReadWritePaths=)"),
			            want[i].value, sb.unit, p->b->name);
			continue;
		}
		if (sandbox_writable(&sb, want[i].dir, &why))
			continue;
		sandbox_paths_text(&sb, paths, sizeof(paths));
		errlist_add(errs, ERR_ERROR, want[i].field,
		            /* TRANSLATORS: %1$s the path, %2$s the unit (chrony.service), %3$s
		               the setting (ProtectSystem=strict), %4$s where the unit was read,
		               %5$s the daemon, %6$s the folders it can write */
		            _("%1$s cannot be written by the daemon: %2$s has %3$s (%4$s), so %5$s "
		              "may write only under: %6$s. Choose a path there, or add "
		              "ReadWritePaths=%1$s to a drop-in of %2$s first (the folder must "
		              "exist, and belong to the user %5$s runs as)"),
		            want[i].value, sb.unit, why, sb.source, p->b->name,
		            paths[0] ? paths : "-");
		rc = -1;
	}
	return rc;
}

/* Every check runs, so one answer names everything that is missing. */
static int (*const preflight_checks[])(const struct preflight *, struct errlist *) = {
    pf_root,
    pf_daemon,
    pf_commands,
    pf_folders,
    pf_sandbox,
};

int apply_preflight(const struct setup *s, const struct backend *b, const struct detect_info *host,
                    const struct apply_opts *o, struct errlist *errs)
{
	const struct preflight p = {s, b, host, restart_wanted(s, o),
	                            backend_conf_path(b, host->distro.family)};
	int rc = 0;

	for (size_t i = 0; i < sizeof(preflight_checks) / sizeof(preflight_checks[0]); i++)
		if (preflight_checks[i](&p, errs) < 0)
			rc = -1;
	return rc;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Whether the monitor command's output shows a source followed. */
static bool shows_sync(const struct backend *b, const struct sysops_exec_result *r)
{
	struct peers_snapshot snap;
	bool synced;

	peers_snapshot_init(&snap, b);
	synced = b->parse_peers(r->out ? r->out : "", r->errout ? r->errout : "", r->status,
	                        &snap) == PEERS_OK &&
	         peers_synchronised(&snap);
	peers_snapshot_free(&snap);
	return synced;
}

/* The sync state from the live monitor's command (peers.c), which also
 * asks for the daemon's own status, when verify's plainer command did not
 * show a selected source (timedatectl show-timesync has no table). */
static bool monitor_shows_sync(const struct backend *b, int timeout_ms)
{
	const char *const *argv = peers_monitor_argv(b, false);
	struct sysops_exec_result r;
	bool synced = false;

	if (!argv || argv == b->peers_argv)
		return false;
	if (sysops_exec(argv, timeout_ms, &r) == 0) {
		synced = !r.timed_out && shows_sync(b, &r);
		sysops_exec_result_free(&r);
	}
	return synced;
}

/* Asks the monitor command until the daemon answers and follows a source,
 * or the timeout is over; the last attempt is made at the deadline, not a
 * poll interval before it. A daemon that answers but has not selected a
 * source by then is running, not yet synchronised: not a failure (a first
 * sync may take minutes), and not called synchronised either. */
static int verify(const struct backend *b, const struct apply_opts *o, struct apply_report *rep)
{
	int timeout = o->verify_timeout_ms > 0 ? o->verify_timeout_ms : APPLY_VERIFY_TIMEOUT_MS;
	struct timespec t0;
	char cmd[256], line[256] = "";
	double answered_at = -1;

	join_argv(b->peers_argv, cmd, sizeof(cmd));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rep->sync_wait_s = (timeout + 999) / 1000;
	for (;;) {
		struct sysops_exec_result r;
		long left = timeout - ms_since(&t0);
		bool ok = false, synced = false;

		if (sysops_exec(b->peers_argv, left > 1000 ? (int)left : 1000, &r) == 0) {
			ok = !r.timed_out &&
			     b->answered(r.status, r.out ? r.out : "", r.errout ? r.errout : "");
			synced = ok && shows_sync(b, &r);
			first_line(&r, line, sizeof(line));
			sysops_exec_result_free(&r);
			if (ok && !synced)
				synced = monitor_shows_sync(b, left > 1000 ? (int)left : 1000);
		} else {
			snprintf(line, sizeof(line), _("cannot run it: %s"), strerror(r.err));
		}
		if (ok && answered_at < 0)
			answered_at = ms_since(&t0) / 1000.0;
		if (synced) {
			/* TRANSLATORS: %1$s the command, %2$.1f and %3$.1f seconds */
			step(rep, "verify", STEP_OK,
			     _("%1$s answered after %2$.1f s; synchronised (a source selected) after "
			       "%3$.1f s"),
			     cmd, answered_at, ms_since(&t0) / 1000.0);
			rep->verified = rep->synchronised = true;
			return 0;
		}
		left = timeout - ms_since(&t0);
		if (left <= 0 && answered_at >= 0) {
			/* TRANSLATORS: %1$s the command, %2$.1f seconds, %3$d the bound */
			step(rep, "verify", STEP_OK,
			     _("%1$s answered after %2$.1f s: running, not yet synchronised (no "
			       "source selected within %3$d s; a first sync can take minutes, see "
			       "ntpwiz monitor)"),
			     cmd, answered_at, rep->sync_wait_s);
			rep->verified = true;
			return 0;
		}
		if (left <= 0) {
			step(rep, "verify", STEP_FAILED, _("%s gave no answer within %d s (%s)"),
			     cmd, timeout / 1000, line);
			return -1;
		}
		struct timespec pause = {0, (left < VERIFY_POLL_MS ? left : VERIFY_POLL_MS) *
		                                1000000L};
		nanosleep(&pause, NULL);
	}
}

/* The unit's messages of priority "err" and worse since the restart: a
 * daemon that runs and answers may still have failed at something it was
 * told to do (chronyd: "Could not create directory ... : Read-only file
 * system" for a logdir its unit makes read-only). Only systemd has such a
 * log to ask; the daemon keeps running, so this is a failed step (exit 1,
 * the lines named) without a rollback of a working time service. */
#define JOURNAL_TIMEOUT_MS 10000
#define JOURNAL_LINES 3

/* Messages a daemon logs at priority err at every start whatever its file
 * says: about the file only when it has the word `unless`. */
static const struct log_noise {
	enum daemon_id daemon;
	const char *message; /* the start of the journal line */
	const char *unless;  /* a word of the file that makes it about the file */
} log_noise[] = {
    /* NTPsec 1.2.2 on a real Debian 12 guest (tests/vm/sc-daemons.sh): its
     * built-in statistics folder, which the package does not make; logged
     * with Debian's own ntp.conf too. It matters when the file turns
     * statistics on (ntpwiz writes statsdir for options.logdir). */
    {DAEMON_NTPSEC, "statistics directory ", "statsdir"},
};

/* Whether the journal line l (len bytes) is noise for daemon b with the
 * file text. */
static bool log_line_is_noise(const struct backend *b, const char *text, const char *l,
                              size_t len)
{
	for (size_t i = 0; i < sizeof(log_noise) / sizeof(log_noise[0]); i++) {
		const struct log_noise *n = &log_noise[i];
		size_t ml = strlen(n->message);
		if (n->daemon == b->id && len >= ml && strncmp(l, n->message, ml) == 0 &&
		    !strstr(text ? text : "", n->unless))
			return true;
	}
	return false;
}

static void check_daemon_log(const struct detect_info *host, const struct backend *b,
                             const char *text, time_t since, struct apply_report *rep)
{
	char unit[80], at[32], lines[400] = "", aside[400] = "";
	size_t ao = 0, an = 0;
	const char *argv[] = {"journalctl", "-u", unit, "--since", at, "-p", "err", "-o", "cat",
	                      "--no-pager", "-q", NULL};
	struct sysops_exec_result r;
	size_t o = 0, n = 0;

	if (host->init != INIT_SYSTEMD)
		return;
	snprintf(unit, sizeof(unit), "%s.service", rep->service);
	snprintf(at, sizeof(at), "@%lld", (long long)since);
	if (sysops_exec(argv, JOURNAL_TIMEOUT_MS, &r) < 0) {
		step(rep, "daemon-log", STEP_SKIPPED, _("journalctl: cannot run it: %s"),
		     strerror(r.err));
		return;
	}
	if (r.timed_out || r.status != 0) {
		char line[256];
		step(rep, "daemon-log", STEP_SKIPPED,
		     _("journalctl could not read the log of %1$s: %2$s"), unit,
		     r.timed_out ? _("no answer") : first_line(&r, line, sizeof(line)));
		sysops_exec_result_free(&r);
		return;
	}
	for (const char *l = r.out ? r.out : ""; *l && n < JOURNAL_LINES;) {
		size_t len = strcspn(l, "\n");
		bool noise = len && log_line_is_noise(b, text, l, len);
		if (noise && an < JOURNAL_LINES && ao < sizeof(aside))
			ao += (size_t)snprintf(aside + ao, sizeof(aside) - ao, "%s%.*s",
			                       an++ ? " | " : "", (int)len, l);
		else if (!noise && len && o < sizeof(lines))
			o += (size_t)snprintf(lines + o, sizeof(lines) - o, "%s%.*s", n++ ? " | " : "",
			                      (int)len, l);
		l += len;
		l += *l == '\n';
	}
	if (n)
		/* TRANSLATORS: %1$s the unit, %2$s its messages */
		step(rep, "daemon-log", STEP_FAILED, _("%1$s logged errors since the restart: %2$s"),
		     unit, lines);
	else if (an)
		/* TRANSLATORS: %1$s the unit, %2$s the daemon's messages it logs at every
		   start, whatever the file says */
		step(rep, "daemon-log", STEP_OK,
		     _("%1$s logged no error about this file since the restart (left aside, "
		       "logged at every start: %2$s)"),
		     unit, aside);
	else
		step(rep, "daemon-log", STEP_OK, _("%s logged no error since the restart"), unit);
	sysops_exec_result_free(&r);
}

/* Puts the old bytes back and the services as they were. */
static void roll_back(const char *path, const char *service, const struct detect_info *host,
                      bool now, const struct undo *u, struct apply_report *rep,
                      struct errlist *errs)
{
	const struct init_cmds *ic = &init_cmds[host->init];
	int r;

	if (u->wrote) {
		r = u->had_file
		        ? sysops_write_root_file_owned(path, u->old, u->old_len, u->old_st.mode,
		                                       sysops_euid() ? (uid_t)-1 : u->old_st.uid,
		                                       sysops_euid() ? (gid_t)-1 : u->old_st.gid)
		        : sysops_unlink_root(path);
		if (r < 0) {
			step(rep, "rollback", STEP_FAILED, _("%s: cannot restore it: %s"), path,
			     strerror(errno));
			errlist_add(errs, ERR_ERROR, path,
			            _("the rollback failed: %s; the backup is %s"), strerror(errno),
			            rep->backup[0] ? rep->backup : "-");
			return;
		}
		step(rep, "rollback", STEP_OK,
		     u->had_file ? _("%s has its old bytes again") : _("%s removed again"), path);
		rep->rolled_back = true;
	}
	int id = u->chg.daemon ? (int)u->chg.daemon->id : 0;
	if (u->wrote && !u->had_file && id && u->chg.daemons[CHANGES_ENABLED][id] &&
	    !u->chg.daemons[CHANGES_BEFORE_ENABLED][id]) {
		/* a daemon with no file fails at every start: the one this run
		 * enabled goes out of the way again (issue 14) */
		const char *const *dis = sysops_root_is_host() ? ic->disable : ic->disable_in_root;
		if (u->restarted && ic->stop)
			run_cmd(rep, "rollback", ic->stop, service, NULL, SERVICE_TIMEOUT_MS);
		if (dis)
			run_cmd(rep, "rollback", dis, service, NULL, BOOT_LINKS_TIMEOUT_MS);
	} else if (u->restarted && ic->restart) {
		run_cmd(rep, "rollback", ic->restart, service, NULL, SERVICE_TIMEOUT_MS);
	}
	for (size_t i = 0; i < u->nstopped; i++) {
		const char *svc = backend_service(u->stopped[i], host->distro.family);
		const char *const *en = sysops_root_is_host() ? ic->enable : ic->enable_in_root;
		if (en)
			enable_service(rep, "rollback", ic, svc);
		if (now && sysops_root_is_host() && ic->start)
			run_cmd(rep, "rollback", ic->start, svc, NULL, SERVICE_TIMEOUT_MS);
	}
}

static void report_init(struct apply_report *rep, const struct backend *b, enum distro_family f)
{
	memset(rep, 0, sizeof(*rep));
	rep->backend = b;
	snprintf(rep->path, sizeof(rep->path), "%s", backend_conf_path(b, f));
	snprintf(rep->service, sizeof(rep->service), "%s", backend_service(b, f));
}

/* Reads the current file; refuses a symlink or anything but a file. */
static int read_current(const char *path, struct undo *u, struct errlist *errs)
{
	if (sysops_stat_root(path, &u->old_st) < 0) {
		errlist_add(errs, ERR_ERROR, path, _("cannot look at the current file: %s"),
		            strerror(errno));
		return -1;
	}
	if (!u->old_st.exists)
		return 0;
	if (u->old_st.is_link) {
		errlist_add(
		    errs, ERR_ERROR, path, "%s",
		    _("is a symbolic link; ntpwiz does not write through links. Replace it with "
		      "a plain file (or remove it) and apply again"));
		return -1;
	}
	if (!u->old_st.is_reg) {
		errlist_add(errs, ERR_ERROR, path, "%s", _("is not a plain file"));
		return -1;
	}
	if (sysops_read_root_file(path, &u->old, &u->old_len) < 0) {
		errlist_add(errs, ERR_ERROR, path, _("cannot read the current file: %s"),
		            strerror(errno));
		return -1;
	}
	u->had_file = true;
	return 0;
}

/* "STAMP[.N]" of a backup name made for the file with this stem. */
static void backup_tail(const char *backup, char *buf, size_t size)
{
	const char *base = strrchr(backup, '/');
	const char *dot;
	size_t n;

	base = base ? base + 1 : backup;
	/* the stamp is the first part that starts with 8 digits and a T */
	for (dot = strchr(base, '.'); dot; dot = strchr(dot + 1, '.'))
		if (strspn(dot + 1, "0123456789") == 8 && dot[9] == 'T')
			break;
	snprintf(buf, size, "%s", dot ? dot + 1 : "");
	n = strlen(buf);
	if (n > 7 && strcmp(buf + n - 7, ".absent") == 0)
		buf[n - 7] = '\0';
}

/* The daemon's defaults file (startopts.h): read it and work out its new
 * text. 1 it changes, 0 it has the option already (or no row), -1 error. */
static int plan_startopts(const struct startopts *so, const struct setup *s, struct undo *u,
                          struct strbuf *text, struct apply_report *rep, struct errlist *errs)
{
	char opts[160];
	int r;

	if (!so || (!so->flag && !startopts_wanted(s)))
		return 0;
	snprintf(rep->defaults_path, sizeof(rep->defaults_path), "%s", so->path);
	if (read_current(so->path, u, errs) < 0)
		return -1;
	r = startopts_edit(so, s, u->had_file ? u->old : NULL, u->old_len, text);
	if (r < 0) {
		startopts_describe(so, s, opts, sizeof(opts));
		errlist_add(errs, ERR_ERROR, so->path,
		            /* TRANSLATORS: %1$s the variable, %2$s the options, %3$s why */
		            _("%1$s is set in a way ntpwiz does not edit (quotes, $ or \\); add %2$s "
		              "to it by hand: %3$s"),
		            so->var, opts,
		            so->why ? _(so->why) : _("the start options the profile asks for"));
		return -1;
	}
	if (text->failed) {
		errlist_add(errs, ERR_ERROR, "", "%s", _("out of memory"));
		return -1;
	}
	rep->defaults_changed = r == 1;
	return r;
}

/* Backs up and writes the defaults file, its backup named like the
 * config's (same stamp) so that a rollback finds both. */
static int write_startopts(const struct startopts *so, const struct setup *s, struct undo *u,
                          const struct strbuf *text, struct apply_report *rep,
                          struct errlist *errs)
{
	if (s->apply.backup && rep->backup[0]) {
		char stem[200], tail[64], name[MODEL_PATH_MAX];
		backup_stem(so->path, stem, sizeof(stem));
		backup_tail(rep->backup, tail, sizeof(tail));
		snprintf(name, sizeof(name), "%s/%s.%s%s", APPLY_BACKUP_DIR, stem, tail,
		         u->had_file ? "" : ".absent");
		if (sysops_write_root_file(name, u->had_file ? u->old : "",
		                           u->had_file ? u->old_len : 0, 0600) < 0) {
			errlist_add(errs, ERR_ERROR, name, _("cannot write the backup: %s"),
			            strerror(errno));
			step(rep, "backup", STEP_FAILED, "%s: %s", name, strerror(errno));
			return -1;
		}
		step(rep, "backup", STEP_OK, "%s", name);
		prune_backups(stem);
	}
	if (write_config(so->path, text->buf, text->len, u, rep, errs) < 0)
		return -1;
	u->wrote = true;
	return 0;
}

/* Puts a file back as it was before this run (or removes the one it made). */
static void restore_file(const char *path, const struct undo *u, struct apply_report *rep,
                         struct errlist *errs)
{
	int r;

	if (!u->wrote)
		return;
	r = u->had_file ? sysops_write_root_file_owned(path, u->old, u->old_len, u->old_st.mode,
	                                               sysops_euid() ? (uid_t)-1 : u->old_st.uid,
	                                               sysops_euid() ? (gid_t)-1 : u->old_st.gid)
	                : sysops_unlink_root(path);
	if (r < 0) {
		step(rep, "rollback", STEP_FAILED, _("%s: cannot restore it: %s"), path,
		     strerror(errno));
		errlist_add(errs, ERR_ERROR, path, _("the rollback failed: %s"), strerror(errno));
		return;
	}
	step(rep, "rollback", STEP_OK,
	     u->had_file ? _("%s has its old bytes again") : _("%s removed again"), path);
}

/* ---- issue 16 section 2: the daemon's key file, part of the same change ---- */

struct keyfile {
	const char *path; /* NULL: no server uses a key */
	const char *group;
	struct strbuf text;
	struct undo u;
	bool changed;
	char backup[MODEL_PATH_MAX];
};

/* The gid of name in the root's /etc/group; -1 when it has none. */
static long root_group_gid(const char *name)
{
	char *data = NULL, *save = NULL;
	size_t len = 0;
	long gid = -1;

	if (sysops_read_root_file("/etc/group", &data, &len) < 0)
		return -1;
	for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(name);
		char *g;
		if (strncmp(l, name, n) != 0 || l[n] != ':' || !(g = strchr(l + n + 1, ':')))
			continue;
		gid = strtol(g + 1, NULL, 10);
		break;
	}
	free(data);
	return gid;
}

/* Loads the operator's keys, checks every server's key, renders the
 * daemon's key file and reads the current one. Nothing is written. */
static int keys_prepare(const struct setup *s, const struct backend *b, enum distro_family f,
                        struct keyfile *k, struct apply_report *rep, struct errlist *errs)
{
	struct keyset ks;
	char desc[64];
	struct strbuf names;
	int rc = -1;

	strbuf_init(&k->text);
	if (!keys_used(s))
		return 0;
	k->path = keys_daemon_path(b->id, f);
	k->group = keys_daemon_group(b->id, f);
	if (!k->path) /* backend_render refused it already */
		return -1;
	if (keys_load(s, &ks, errs) < 0)
		return -1;
	if (keys_check(b->id, s, &ks, errs) < 0 || keys_render(b->id, &ks, &k->text, errs) < 0)
		goto out;
	if (read_current(k->path, &k->u, errs) < 0)
		goto out;
	k->changed = !k->u.had_file || k->u.old_len != k->text.len ||
	             memcmp(k->u.old, k->text.buf, k->text.len) != 0;
	strbuf_init(&names);
	for (size_t i = 0; i < ks.n; i++)
		if (keys_type_name(b->id, ks.v[i].type))
			strbuf_printf(&names, "%s%s", names.len ? ", " : "",
			              keys_describe(b->id, &ks.v[i], desc, sizeof(desc)));
	step(rep, "keys", STEP_OK, _("%s from %s: %s"), k->path, s->keys.file,
	     strbuf_str(&names));
	strbuf_free(&names);
	rc = 0;
out:
	keys_clear(&ks);
	return rc;
}

static int keys_write(struct keyfile *k, struct apply_report *rep, struct errlist *errs)
{
	long gid = root_group_gid(k->group);
	bool root = sysops_euid() == 0;
	char dir[MODEL_PATH_MAX];

	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(k->path, '/') - k->path), k->path);
	if (dir[0] && sysops_mkdirs_root(dir, 0755) < 0) {
		errlist_add(errs, ERR_ERROR, dir, _("cannot create the folder: %s"), strerror(errno));
		step(rep, "write", STEP_FAILED, "%s: %s", dir, strerror(errno));
		return -1;
	}

	if (sysops_write_root_file_owned(k->path, k->text.buf, k->text.len, KEYS_FILE_MODE,
	                                 root ? 0 : (uid_t)-1,
	                                 root && gid >= 0 ? (gid_t)gid : (gid_t)-1) < 0) {
		errlist_add(errs, ERR_ERROR, k->path, _("cannot write the file: %s; it is unchanged"),
		            strerror(errno));
		step(rep, "write", STEP_FAILED, "%s: %s", k->path, strerror(errno));
		return -1;
	}
	k->u.wrote = true;
	if (gid < 0)
		step(rep, "write", STEP_OK,
		     _("%s (mode 0640; there is no group %s here, so only root reads it: the "
		       "daemon may not read its keys after dropping root)"),
		     k->path, k->group);
	else
		step(rep, "write", STEP_OK, _("%s (mode 0640, group %s)"), k->path, k->group);
	return 0;
}

static void keys_roll_back(struct keyfile *k, struct apply_report *rep)
{
	int r;

	if (!k->path || !k->u.wrote)
		return;
	r = k->u.had_file
	        ? sysops_write_root_file_owned(k->path, k->u.old, k->u.old_len, k->u.old_st.mode,
	                                       sysops_euid() ? (uid_t)-1 : k->u.old_st.uid,
	                                       sysops_euid() ? (gid_t)-1 : k->u.old_st.gid)
	        : sysops_unlink_root(k->path);
	if (r < 0)
		step(rep, "rollback", STEP_FAILED, _("%s: cannot restore it: %s"), k->path,
		     strerror(errno));
	else
		step(rep, "rollback", STEP_OK,
		     k->u.had_file ? _("%s has its old bytes again") : _("%s removed again"),
		     k->path);
}

static void keys_free(struct keyfile *k)
{
	if (k->u.old) {
		explicit_bzero(k->u.old, k->u.old_len);
		free(k->u.old);
	}
	if (k->text.buf)
		explicit_bzero(k->text.buf, k->text.len);
	strbuf_free(&k->text);
}

/* The second render, after the install (issue 14): its messages join
 * errs unless the first render already said them (warnings about the
 * profile are the same for both). */
static int render_again(const struct setup *s, const struct backend *b, enum distro_family f,
                        const struct target_facts *tf, struct strbuf *text, const char *path,
                        struct errlist *errs)
{
	struct errlist again;
	int rc;

	errlist_init(&again);
	strbuf_reset(text);
	rc = backend_render_for(b, s, f, tf, text, &again) < 0 ||
	             lint(text->buf, text->len, path, &again) < 0
	         ? -1
	         : 0;
	for (size_t i = 0; i < again.n; i++) {
		const struct err_entry *a = &again.v[i];
		bool said = false;
		for (size_t j = 0; j < errs->n && !said; j++)
			said = errs->v[j].severity == a->severity &&
			       strcmp(errs->v[j].where, a->where) == 0 &&
			       strcmp(errs->v[j].message, a->message) == 0;
		if (!said)
			errlist_add(errs, a->severity, a->where, "%s", a->message);
	}
	errlist_free(&again);
	return rc;
}

int apply_run(const struct setup *s, const struct backend *b, const struct detect_info *host,
              const struct apply_opts *o, struct apply_report *rep, struct errlist *errs)
{
	const struct init_cmds *ic = &init_cmds[host->init];
	enum distro_family f = host->distro.family;
	struct undo u = {0};
	struct strbuf text;
	struct detect_info after;
	bool now = restart_wanted(s, o), installed_now = false;
	int rc = -1;

	struct target_facts target;
	const struct target_facts *tf = o->target ? o->target : &target;
	time_t restarted_at;
	const struct startopts *so = NULL;
	struct undo du = {0};
	struct strbuf dtext;
	bool conf_changed;
	struct keyfile keys = {0}; /* issue 16 section 2 */

	report_init(rep, b, f);
	progress = o;
	strbuf_init(&text);
	strbuf_init(&dtext);
	u.chg.daemon = b;
	for (int d = 1; d < DAEMON_COUNT; d++) {
		u.chg.daemons[CHANGES_BEFORE_ENABLED][d] = host->daemons[d].enabled;
		u.chg.daemons[CHANGES_BEFORE_RUNNING][d] = host->daemons[d].running;
	}
	if (!o->target) {
		target_init(&target);
		target_read(&target, b, host);
	}
	if (backend_render_for(b, s, f, tf, &text, errs) < 0)
		goto out;
	if (lint(text.buf, text.len, rep->path, errs) < 0)
		goto out;
	if (keys_prepare(s, b, f, &keys, rep, errs) < 0)
		goto out;
	/* The install comes first: the daemon's own checker below needs the
	 * daemon, and the package manager may remove the daemon it replaces
	 * (apt: chrony removes systemd-timesyncd), so the daemons are detected
	 * again before anything is stopped. */
	if (!o->dry_run && s->apply.install && sysops_root_is_host() &&
	    !host->daemons[b->id].installed) {
		if (apply_preflight(s, b, host, o, errs) < 0) {
			step(rep, "preflight", STEP_FAILED, "%s",
			     _("refused before changing anything; see the errors"));
			goto out;
		}
		if (install_package(b, host, rep, &u.chg) < 0) {
			errlist_add(errs, ERR_ERROR, "", _("installing %s failed"),
			            backend_package(b, f));
			goto out;
		}
		installed_now = true;
		after = *host;
		detect_refresh_daemons(&after);
		host = &after;
		/* issue 14: the text above was rendered for a daemon that was not
		 * there (version unknown). The file written is what the next
		 * check or apply renders for the installed daemon, so the facts
		 * are read again (caller's facts too, when read from this
		 * system; the asked daemon is kept) and the text rendered and
		 * linted again. Nothing was written yet. */
		if (tf->looked) {
			if (tf != &target)
				target = *tf;
			target_read(&target, b, host);
			tf = &target;
			char *before = strndup(text.buf ? text.buf : "", text.len);
			size_t before_len = text.len;
			if (render_again(s, b, f, tf, &text, rep->path, errs) < 0) {
				free(before);
				goto out;
			}
			/* never less shown than written: the preview was of the
			 * first text, so a different file is said here */
			if (!before || before_len != text.len ||
			    memcmp(before, text.buf, text.len) != 0)
				step(rep, "render", STEP_OK,
				     /* TRANSLATORS: %1$s the package, %2$s its version */
				     _("rendered again for %1$s %2$s as installed: the file written "
				       "differs from the one shown before the install (ntpwiz check "
				       "and preview show it now)"),
				     backend_package(b, f), tf->version[0] ? tf->version : "?");
			free(before);
		}
	}
	if (read_current(rep->path, &u, errs) < 0)
		goto out;
	conf_changed =
	    !u.had_file || u.old_len != text.len || memcmp(u.old, text.buf, text.len) != 0;
	/* the daemon's defaults file is part of the same change (startopts.h) */
	so = startopts_find(b, f);
	if (plan_startopts(so, s, &du, &dtext, rep, errs) < 0)
		goto out;
	rep->changed = conf_changed || rep->defaults_changed || keys.changed;
	/* an install changed the host even when the file did not (a package
	 * back with its kept conffile): enable, restart and verify all the same */
	if (!rep->changed && !installed_now) {
		step(rep, "write", STEP_SKIPPED, _("%s already has these bytes"), rep->path);
		rc = 0;
		goto out;
	}
	if (run_checker(b, tf, text.buf, text.len, rep->path, rep, errs) < 0)
		goto out;
	if (o->dry_run) {
		rc = 0;
		goto out;
	}
	/* nothing is touched before every precondition that can be known
	 * up front holds: a run that cannot finish must not start */
	if (!installed_now && apply_preflight(s, b, host, o, errs) < 0) {
		step(rep, "preflight", STEP_FAILED, "%s",
		     _("refused before changing anything; see the errors"));
		goto out;
	}
	if (!s->apply.backup)
		step(rep, "backup", STEP_SKIPPED, "%s", _("apply.backup = false in the profile"));
	else if (make_backup(rep->path, &u, rep, errs) < 0)
		goto out;
	else {
		plan_services(s, b, host, now, &u.chg);
		if (save_changes(rep->backup, &u.chg, rep, errs) < 0)
			goto out;
	}
	/* the key file's backup (private folder, 0600) takes the config
	 * backup's stamp and number, so rollback restores the two together */
	if (s->apply.backup && keys.path) {
		char stem[200], paired[64], saved[MODEL_PATH_MAX];
		const char *tail = strrchr(rep->backup, '/');
		backup_stem(rep->path, stem, sizeof(stem));
		snprintf(paired, sizeof(paired), "%s", tail ? tail + 1 + strlen(stem) + 1 : "");
		if (strstr(paired, ".absent"))
			*strstr(paired, ".absent") = '\0';
		snprintf(saved, sizeof(saved), "%s", rep->backup);
		if (make_backup_as(keys.path, &keys.u, paired, rep, errs) < 0)
			goto out;
		snprintf(keys.backup, sizeof(keys.backup), "%s", rep->backup);
		snprintf(rep->backup, sizeof(rep->backup), "%s", saved);
	}
	if (keys.changed && keys_write(&keys, rep, errs) < 0)
		goto out;
	if (!conf_changed) {
		step(rep, "write", STEP_SKIPPED, _("%s already has these bytes"), rep->path);
	} else {
		if (write_config(rep->path, text.buf, text.len, &u, rep, errs) < 0) {
			keys_roll_back(&keys, rep);
			goto out;
		}
		u.wrote = true;
	}
	if (rep->defaults_changed && write_startopts(so, s, &du, &dtext, rep, errs) < 0)
		goto fail;
	if (s->apply.install && !installed_now && install_package(b, host, rep, &u.chg) < 0) {
		errlist_add(errs, ERR_ERROR, "", _("installing %s failed"), backend_package(b, f));
		goto fail;
	}
	if (s->apply.stop_conflicting)
		stop_conflicting(b, host, now, &u, rep);
	if (host->init == INIT_NONE) {
		step(rep, "enable", STEP_SKIPPED, "%s",
		     _("no init system found: start the daemon yourself"));
	} else {
		const char *const *en = sysops_root_is_host() ? ic->enable : ic->enable_in_root;
		if (en)
			enable_service(rep, "enable", ic, rep->service);
		else
			step(rep, "enable", STEP_SKIPPED, _("enable %s inside the target system"),
			     rep->service);
	}
	if (!now || host->init == INIT_NONE || !ic->restart) {
		const char *why;
		if (host->init == INIT_NONE || !ic->restart)
			why = _("no init system command to restart it: start the daemon yourself");
		else if (o->restart == APPLY_RESTART_NO || !s->apply.restart)
			why = _("not restarted (as asked); the new file is used at the next start");
		else
			why = _("under --root: enabled for the next boot, not restarted");
		step(rep, "restart", STEP_SKIPPED, "%s", why);
		rc = 0;
		goto out;
	}
	u.restarted = true;
	restarted_at = sysops_now();
	if (run_cmd(rep, "restart", ic->restart, rep->service, NULL, SERVICE_TIMEOUT_MS) < 0) {
		errlist_add(errs, ERR_ERROR, "", _("restarting %s failed"), rep->service);
		goto fail;
	}
	rep->restarted = true;
	if (verify(b, o, rep) < 0) {
		errlist_add(errs, ERR_ERROR, "", _("%s did not answer after the restart"), b->name);
		goto fail;
	}
	check_daemon_log(host, b, text.buf, restarted_at, rep);
	rc = 0;
	goto out;
fail:
	if (du.wrote) {
		restore_file(so->path, &du, rep, errs);
		rep->rolled_back = true;
	}
	keys_roll_back(&keys, rep);
	roll_back(rep->path, rep->service, host, now, &u, rep, errs);
out:
	/* a step that failed is never hidden behind a success */
	for (size_t i = 0; rc == 0 && i < rep->nsteps; i++)
		if (rep->steps[i].result == STEP_FAILED) {
			errlist_add(errs, ERR_ERROR, "", _("the step %s failed: %s"),
			            rep->steps[i].name, rep->steps[i].detail);
			rc = -1;
		}
	/* "changed" tells what happened to the file (for check: what would);
	 * a failed apply left the old bytes unless it got as far as writing
	 * and could not put them back */
	if (rc < 0 && !o->dry_run && ((!u.wrote && !du.wrote) || rep->rolled_back))
		rep->changed = rep->defaults_changed = false;
	progress = NULL;
	free(u.old);
	free(du.old);
	keys_free(&keys);
	strbuf_free(&text);
	strbuf_free(&dtext);
	return rc;
}

/* The config path a backup name belongs to: the backends' paths are the
 * only files ntpwiz writes. */
static const struct backend *backup_owner(const char *name, enum distro_family f, size_t *stem_len)
{
	size_t n;
	const struct backend *const *all = backend_all(&n);

	for (size_t i = 0; i < n; i++) {
		char stem[200];
		backup_stem(backend_conf_path(all[i], f), stem, sizeof(stem));
		*stem_len = strlen(stem);
		if (strncmp(name, stem, *stem_len) == 0 && name[*stem_len] == '.')
			return all[i];
	}
	return NULL;
}

/* "chroot ROOT " before a command a person runs for the system under
 * --root ("" on the host); the root quoted when the shell needs it. */
static void chroot_prefix(char *buf, size_t size)
{
	const char *r = sysops_root();
	bool plain = true;

	if (sysops_root_is_host()) {
		buf[0] = '\0';
		return;
	}
	for (const char *p = r; *p; p++)
		if (!strchr("/._+-", *p) && !(*p >= 'a' && *p <= 'z') &&
		    !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9'))
			plain = false;
	if (plain || strchr(r, '\''))
		snprintf(buf, size, "chroot %s ", r);
	else
		snprintf(buf, size, "chroot '%s' ", r);
}

/* Adds "install PKG" or "remove PKG" to what is left to do by hand, with
 * the package manager's command (apply's own table). */
static const char *by_hand(struct apply_report *rep, const struct detect_info *host,
                           const char *action, const char *pkg)
{
	/* the family's own package manager when none was found under the root */
	static const enum pkg_manager family_pkg[FAMILY_COUNT] = {
	    [FAMILY_DEBIAN] = PKG_APT, [FAMILY_UBUNTU] = PKG_APT,  [FAMILY_RHEL] = PKG_DNF,
	    [FAMILY_AMAZON] = PKG_DNF, [FAMILY_SUSE] = PKG_ZYPPER, [FAMILY_ARCH] = PKG_PACMAN,
	    [FAMILY_ALPINE] = PKG_APK,
	};
	enum pkg_manager pm = host->pkg != PKG_NONE ? host->pkg
	                      : (unsigned)host->distro.family < FAMILY_COUNT
	                          ? family_pkg[host->distro.family]
	                          : PKG_NONE;
	const struct pkg_cmds *pc = &pkg_cmds[pm];
	const char *const *tmpl = strcmp(action, "install") == 0 ? pc->install : pc->purge;
	struct apply_by_hand *h;
	char prefix[MODEL_PATH_MAX + 16], cmd[400];
	const char *argv[16];
	struct words w;

	for (size_t i = 0; i < rep->nby_hand; i++)
		if (strcmp(rep->by_hand[i].action, action) == 0 &&
		    strcmp(rep->by_hand[i].package, pkg) == 0)
			return rep->by_hand[i].command;
	if (rep->nby_hand == APPLY_MAX_BY_HAND)
		return "";
	h = &rep->by_hand[rep->nby_hand++];
	snprintf(h->action, sizeof(h->action), "%s", action);
	snprintf(h->package, sizeof(h->package), "%s", pkg);
	chroot_prefix(prefix, sizeof(prefix));
	if (tmpl) {
		expand(tmpl, NULL, pkg, argv, sizeof(argv) / sizeof(argv[0]), &w);
		join_argv(argv, cmd, sizeof(cmd));
	} else {
		/* TRANSLATORS: no package manager known: what to do instead of a command */
		snprintf(cmd, sizeof(cmd),
		         strcmp(action, "install") == 0 ? _("install the package %s")
		                                        : _("remove the package %s"),
		         pkg);
		prefix[0] = '\0';
	}
	snprintf(h->command, sizeof(h->command), "%s%s", prefix, cmd);
	return h->command;
}

/* The package a daemon came in: the one the record says was removed if
 * there is one, else the distribution's name for it. */
static const char *daemon_package(const struct backend *d, const struct changes *c,
                                  enum distro_family f)
{
	for (int fam = -1; fam < FAMILY_COUNT; fam++) {
		const char *p = backend_package(d, fam < 0 ? f : (enum distro_family)fam);
		if (p && changes_has_package(c, CHANGES_REMOVED, p))
			return p;
	}
	return backend_package(d, f);
}

/* Puts the services back as they were before the apply the record
 * describes (see apply_rollback in apply.h). */
static void undo_services(const struct backend *b, const struct changes *c, bool absent,
                          const struct detect_info *host, const struct apply_opts *o, bool now,
                          struct apply_report *rep, struct errlist *errs)
{
	const struct init_cmds *ic = &init_cmds[host->init];
	enum distro_family f = host->distro.family;
	const struct detect_info *h = host;
	const char *const *en = sysops_root_is_host() ? ic->enable : ic->enable_in_root;
	const char *const *dis = sysops_root_is_host() ? ic->disable : ic->disable_in_root;
	const char *svc = backend_service(b, f);
	bool off = c->daemons[CHANGES_ENABLED][b->id] &&
	           (absent || !c->daemons[CHANGES_BEFORE_ENABLED][b->id]);

	if (off && h->daemons[b->id].installed) {
		/* a daemon with no file fails at every start: it goes out of the
		 * way, as it was before the apply */
		if (now && ic->stop)
			run_cmd(rep, "stop", ic->stop, svc, NULL, SERVICE_TIMEOUT_MS);
		if (dis)
			run_cmd(rep, "disable", dis, svc, NULL, BOOT_LINKS_TIMEOUT_MS);
		else
			step(rep, "disable", STEP_SKIPPED,
			     _("disable %s by hand: %s has no command for it here"), svc,
			     detect_init_name(h->init));
	} else if (!absent && h->daemons[b->id].installed) {
		/* it was enabled before that apply (a later rollback may have
		 * disabled it): enabled again, and restarted on its old file */
		if (c->daemons[CHANGES_BEFORE_ENABLED][b->id] && !h->daemons[b->id].enabled) {
			if (en)
				enable_service(rep, "enable", ic, svc);
			else
				step(rep, "enable", STEP_SKIPPED,
				     _("enable %s inside the target system"), svc);
		}
		if (now && ic->restart &&
		    run_cmd(rep, "restart", ic->restart, svc, NULL, SERVICE_TIMEOUT_MS) == 0) {
			rep->restarted = true;
			verify(b, o, rep);
		}
	}
	for (int id = 1; id < DAEMON_COUNT; id++) {
		const struct backend *d = backend_find((enum daemon_id)id);
		bool was_enabled =
		    c->daemons[CHANGES_BEFORE_ENABLED][id] || c->daemons[CHANGES_DISABLED][id];
		bool was_running =
		    c->daemons[CHANGES_BEFORE_RUNNING][id] || c->daemons[CHANGES_STOPPED][id];
		const char *dsvc;

		if (!d || d == b || !(was_enabled || was_running))
			continue;
		dsvc = backend_service(d, f);
		if (strcmp(dsvc, svc) == 0)
			continue; /* ntp and ntpsec may share a service name */
		if (!h->daemons[id].installed) {
			const char *pkg = daemon_package(d, c, f);
			const char *cmd = by_hand(rep, h, "install", pkg);
			/* TRANSLATORS: %1$s a daemon, %2$s its package, %3$s a command */
			step(rep, "reinstall", STEP_FAILED,
			     _("%1$s was in use before this apply and is not installed any more "
			       "(package %2$s): a rollback does not install packages; run: %3$s"),
			     d->name, pkg, cmd);
			errlist_add(
			    errs, ERR_ERROR, "",
			    _("%1$s was in use before this apply and is not installed any more "
			      "(package %2$s): a rollback does not install packages; run: %3$s"),
			    d->name, pkg, cmd);
			continue;
		}
		if (c->daemons[CHANGES_DISABLED][id] || !h->daemons[id].enabled) {
			if (en)
				enable_service(rep, "enable", ic, dsvc);
			else
				step(rep, "enable", STEP_SKIPPED,
				     _("enable %s inside the target system"), dsvc);
		}
		if (!now || !ic->start) {
			step(
			    rep, "start", STEP_SKIPPED, "%s",
			    !ic->start
			        ? _("no init system command to start it: start the daemon yourself")
			    : sysops_root_is_host()
			        ? _("not started (as asked); it starts at the next boot")
			        : _("under --root: enabled for the next boot, not started"));
			continue;
		}
		if (run_cmd(rep, "start", ic->start, dsvc, NULL, SERVICE_TIMEOUT_MS) == 0)
			verify(d, o, rep);
	}
}

/* One sentence per kind of package change (formats stay literal). */
static void leftover_message(enum changes_pkg_list l, const char *pkg, const char *cmd, char *buf,
                             size_t size)
{
	switch (l) {
	case CHANGES_REMOVED:
		/* TRANSLATORS: %1$s a package, %2$s a command */
		snprintf(buf, size,
		         _("the package %1$s was removed by the package manager during the apply; "
		           "to install it again: %2$s"),
		         pkg, cmd);
		break;
	case CHANGES_PURGED:
		snprintf(buf, size,
		         _("the package %1$s (ntpdate) was purged by the apply; to install it "
		           "again: %2$s"),
		         pkg, cmd);
		break;
	case CHANGES_INSTALLED:
	case CHANGES_PKG_LISTS:
		snprintf(buf, size,
		         _("the package %1$s was installed by the apply and stays installed; to "
		           "remove it: %2$s"),
		         pkg, cmd);
		break;
	}
}

/* What the record says the apply did to packages, as commands to run. */
static void package_leftovers(const struct backend *b, const struct changes *c,
                              const struct detect_info *host, struct apply_report *rep,
                              struct errlist *errs)
{
	static const struct {
		enum changes_pkg_list list;
		const char *action;
	} rows[] = {
	    {CHANGES_REMOVED, "install"},
	    {CHANGES_PURGED, "install"},
	    {CHANGES_INSTALLED, "remove"},
	};
	char msg[sizeof(rep->steps[0].detail)];

	(void)b;
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++)
		for (size_t i = 0; i < c->npkgs[rows[r].list]; i++) {
			const char *pkg = c->pkgs[rows[r].list][i];
			bool known = false;
			for (size_t k = 0; k < rep->nby_hand; k++)
				known = known || strcmp(rep->by_hand[k].package, pkg) == 0;
			if (known)
				continue; /* a daemon's package, named by its reinstall step */
			const char *cmd = by_hand(rep, host, rows[r].action, pkg);
			leftover_message(rows[r].list, pkg, cmd, msg, sizeof(msg));
			step(rep, "package", STEP_SKIPPED, "%s", msg);
			errlist_add(errs, ERR_WARNING, "", "%s", msg);
		}
}

/* The defaults file backed up in the same run as the config backup best
 * (same stamp, write_startopts): put back too, and marked restored. */
static int restore_companion(const struct backend *b, enum distro_family f, const char *best,
                             struct apply_report *rep, struct errlist *errs)
{
	const struct startopts *so = startopts_find(b, f);
	char stem[200], tail[64], src[MODEL_PATH_MAX], done[MODEL_PATH_MAX + 16];
	struct sysops_stat st;
	bool absent = false;
	char *data = NULL;
	size_t len = 0;
	int rc = 0;

	if (!so)
		return 0;
	backup_stem(so->path, stem, sizeof(stem));
	backup_tail(best, tail, sizeof(tail));
	snprintf(src, sizeof(src), "%s/%s.%s", APPLY_BACKUP_DIR, stem, tail);
	if (sysops_stat_root(src, &st) < 0 || !st.exists) {
		snprintf(src, sizeof(src), "%s/%s.%s.absent", APPLY_BACKUP_DIR, stem, tail);
		if (sysops_stat_root(src, &st) < 0 || !st.exists)
			return 0;
		absent = true;
	}
	if (absent) {
		if (sysops_unlink_root(so->path) < 0 && errno != ENOENT)
			rc = -1;
		else
			step(rep, "rollback", STEP_OK, _("%s removed (there was none before)"),
			     so->path);
	} else if (sysops_read_root_file(src, &data, &len) < 0 ||
	           sysops_stat_root(so->path, &st) < 0 ||
	           sysops_write_root_file_owned(so->path, data, len, st.exists ? st.mode : 0644,
	                                        sysops_euid() || !st.exists ? (uid_t)-1 : st.uid,
	                                        sysops_euid() || !st.exists ? (gid_t)-1 : st.gid) <
	               0) {
		rc = -1;
	} else {
		step(rep, "rollback", STEP_OK, _("%s restored from %s"), so->path, src);
	}
	if (rc < 0) {
		errlist_add(errs, ERR_ERROR, so->path, _("cannot restore it from %1$s: %2$s"), src,
		            strerror(errno));
	} else {
		snprintf(done, sizeof(done), "%s.restored", src);
		if (sysops_write_root_file(done, data ? data : "", len, 0600) == 0)
			sysops_unlink_root(src);
	}
	free(data);
	return rc;
}

/* issue 16 section 2: the daemon's key file backed up by the same apply
 * (the same second's stamp) goes back with the config. */
static void rollback_keys(const struct backend *b, enum distro_family f, const char *stamp,
                          char **names, size_t n, struct apply_report *rep,
                          struct errlist *errs)
{
	const char *path = keys_daemon_path(b->id, f);
	char stem[200], src[320], done[340];
	struct undo cur = {0};
	char *data = NULL;
	size_t len = 0, sl;

	if (!path)
		return;
	backup_stem(path, stem, sizeof(stem));
	sl = strlen(stem);
	for (size_t i = 0; i < n; i++) {
		const char *nm = names[i];
		size_t pl = strlen(stamp);
		if (strncmp(nm, stem, sl) != 0 || nm[sl] != '.' || is_restored(nm) ||
		    strncmp(nm + sl + 1, stamp, pl) != 0 ||
		    (nm[sl + 1 + pl] && strcmp(nm + sl + 1 + pl, ".absent") != 0))
			continue;
		snprintf(src, sizeof(src), "%s/%s", APPLY_BACKUP_DIR, nm);
		if (read_current(path, &cur, errs) < 0)
			return;
		if (strstr(nm, ".absent")) {
			if (cur.had_file && sysops_unlink_root(path) < 0)
				errlist_add(errs, ERR_ERROR, path, _("cannot remove it: %s"),
				            strerror(errno));
			else
				step(rep, "rollback", STEP_OK, _("%s removed (there was none before)"),
				     path);
		} else if (sysops_read_root_file(src, &data, &len) < 0 ||
		           sysops_write_root_file_owned(
		               path, data, len, cur.had_file ? cur.old_st.mode : KEYS_FILE_MODE,
		               sysops_euid() || !cur.had_file ? (uid_t)-1 : cur.old_st.uid,
		               sysops_euid() || !cur.had_file ? (gid_t)-1 : cur.old_st.gid) < 0) {
			errlist_add(errs, ERR_ERROR, path, _("cannot write it: %s"), strerror(errno));
		} else {
			step(rep, "rollback", STEP_OK, _("%s restored from %s"), path, src);
		}
		snprintf(done, sizeof(done), "%s.restored", src);
		if (sysops_write_root_file(done, data ? data : "", len, 0600) == 0)
			sysops_unlink_root(src);
		if (data)
			explicit_bzero(data, len);
		free(data);
		if (cur.old)
			explicit_bzero(cur.old, cur.old_len);
		free(cur.old);
		return;
	}
}

int apply_rollback(const struct detect_info *host, const struct apply_opts *o,
                   struct apply_report *rep, struct errlist *errs)
{
	const struct init_cmds *ic = &init_cmds[host->init];
	const struct backend *b = NULL;
	char **names, best[256] = "", src[300], done[340], rec[320];
	const char *best_stamp = "";
	size_t n, stem_len;
	struct undo u = {0};
	struct changes chg;
	char *data = NULL, *rtext = NULL;
	size_t len = 0, rlen = 0;
	bool absent, now;
	int rc = -1;

	memset(rep, 0, sizeof(*rep));
	rep->record = CHANGES_MISSING;
	changes_init(&chg);
	if (sysops_list_root_dir(APPLY_BACKUP_DIR, &names, &n) < 0) {
		errlist_add(errs, ERR_ERROR, APPLY_BACKUP_DIR, "%s",
		            _("no backups: ntpwiz has not changed anything here"));
		return -1;
	}
	/* the newest backup not restored yet, by its timestamp */
	for (size_t i = 0; i < n; i++) {
		const struct backend *owner =
		    backup_owner(names[i], host->distro.family, &stem_len);
		if (!owner || is_restored(names[i]))
			continue;
		if (!best[0] || backup_cmp(names[i] + stem_len + 1, best_stamp) >= 0) {
			snprintf(best, sizeof(best), "%s", names[i]);
			best_stamp = names[i] + stem_len + 1;
			b = owner;
		}
	}
	if (!b) {
		errlist_add(errs, ERR_ERROR, APPLY_BACKUP_DIR, "%s",
		            _("no backup left to restore"));
		goto out;
	}
	/* best_stamp points into names[]; take what is needed before freeing */
	report_init(rep, b, host->distro.family);
	rep->record = CHANGES_MISSING;
	snprintf(src, sizeof(src), "%s/%s", APPLY_BACKUP_DIR, best);
	snprintf(rep->backup, sizeof(rep->backup), "%s", src);
	record_path(best, rec, sizeof(rec));
	if (sysops_read_root_file(rec, &rtext, &rlen) == 0) {
		rep->record = changes_parse(rtext, rlen, &chg);
		if (rep->record == CHANGES_FOUND && chg.daemon != b)
			rep->record = CHANGES_DAMAGED;
	}
	absent = strstr(best, ".absent") != NULL;
	if (read_current(rep->path, &u, errs) < 0)
		goto out;
	if (absent) {
		if (u.had_file && sysops_unlink_root(rep->path) < 0) {
			errlist_add(errs, ERR_ERROR, rep->path, _("cannot remove it: %s"),
			            strerror(errno));
			goto out;
		}
		step(rep, "rollback", STEP_OK, _("%s removed (there was none before)"), rep->path);
	} else {
		if (sysops_read_root_file(src, &data, &len) < 0) {
			errlist_add(errs, ERR_ERROR, src, _("cannot read the backup: %s"),
			            strerror(errno));
			goto out;
		}
		if (sysops_write_root_file_owned(
		        rep->path, data, len, u.had_file ? u.old_st.mode : 0644,
		        sysops_euid() || !u.had_file ? (uid_t)-1 : u.old_st.uid,
		        sysops_euid() || !u.had_file ? (gid_t)-1 : u.old_st.gid) < 0) {
			errlist_add(errs, ERR_ERROR, rep->path, _("cannot write it: %s"),
			            strerror(errno));
			goto out;
		}
		step(rep, "rollback", STEP_OK, _("%s restored from %s"), rep->path, src);
	}
	rep->changed = true;
	rep->rolled_back = true;
	if (backup_owner(best, host->distro.family, &stem_len) == b) {
		/* the key file's backup has the same stamp and number */
		char paired[64];
		snprintf(paired, sizeof(paired), "%s", best + stem_len + 1);
		if (strstr(paired, ".absent"))
			*strstr(paired, ".absent") = '\0';
		rollback_keys(b, host->distro.family, paired, names, n, rep, errs);
	}
	/* kept, but not restored again: a second rollback goes one further back */
	snprintf(done, sizeof(done), "%s.restored", src);
	if (sysops_write_root_file(done, data ? data : "", len, 0600) == 0)
		sysops_unlink_root(src);
	if (rtext) {
		snprintf(done, sizeof(done), "%s.restored", rec);
		if (sysops_write_root_file(done, rtext, rlen, 0600) == 0)
			sysops_unlink_root(rec);
	}
	if (restore_companion(b, host->distro.family, best, rep, errs) < 0)
		goto out;
	now = o->restart != APPLY_RESTART_NO &&
	      (sysops_root_is_host() || o->restart == APPLY_RESTART_YES);
	if (rep->record == CHANGES_FOUND) {
		struct detect_info after = *host;
		detect_refresh_daemons(&after); /* the file is back (or gone) */
		undo_services(b, &chg, absent, &after, o, now, rep, errs);
		package_leftovers(b, &chg, &after, rep, errs);
	} else {
		static const char *const why[] = {
		    [CHANGES_MISSING] = N_("there is no record of what the apply that made this "
		                           "backup changed besides the file (no record: made by an "
		                           "older ntpwiz?); services and packages are as they are "
		                           "now: check that a time daemon runs"),
		    [CHANGES_DAMAGED] =
		        N_("the record of what the apply changed besides the file is "
		           "damaged and was not used; services and packages are as "
		           "they are now: check that a time daemon runs"),
		    [CHANGES_NEWER] =
		        N_("the record of what the apply changed besides the file was "
		           "written by a newer ntpwiz and was not used; services and "
		           "packages are as they are now: check that a time daemon "
		           "runs"),
		};
		errlist_add(errs, ERR_WARNING, rtext ? rec : "", "%s", _(why[rep->record]));
		if (now && ic->restart && !absent) {
			if (run_cmd(rep, "restart", ic->restart, rep->service, NULL,
			            SERVICE_TIMEOUT_MS) < 0) {
				errlist_add(errs, ERR_ERROR, "", _("restarting %s failed"),
				            rep->service);
				goto out;
			}
			rep->restarted = true;
			verify(b, o, rep);
		}
	}
	rc = 0;
out:
	/* a step that failed is never hidden behind a success */
	for (size_t i = 0; rc == 0 && i < rep->nsteps; i++)
		if (rep->steps[i].result == STEP_FAILED) {
			if (strcmp(rep->steps[i].name, "reinstall") != 0)
				errlist_add(errs, ERR_ERROR, "", _("the step %s failed: %s"),
				            rep->steps[i].name, rep->steps[i].detail);
			rc = -1;
		}
	rep->services_restored = rc == 0;
	if (rc == 0 && rep->nby_hand)
		rc = 1;
	rep->complete = rc == 0;
	free(data);
	free(rtext);
	free(u.old);
	sysops_free_names(names, n);
	return rc;
}
