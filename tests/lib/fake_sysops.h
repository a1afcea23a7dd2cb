/*
 * fake_sysops: an in-memory system behind the sysops seam, for unit tests.
 * Files, directories and symlinks live in two name spaces (under the root,
 * and on the host); commands are answered from a script and logged; the
 * clock and the effective uid are settable.
 *
 * Paths behave like the real sysops: symlinks in the middle of a path are
 * followed (an absolute target stays inside its name space), stat does not
 * follow the last component, reads do. Directories are implied by the
 * paths of the files under them, or made with fake_sysops_mkdir. Writes
 * need their parent directory, as the real atomic write does.
 */
#ifndef NTPWIZ_FAKE_SYSOPS_H
#define NTPWIZ_FAKE_SYSOPS_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* Defaults after fake_sysops_reset. */
#define FAKE_SYSOPS_NOW ((time_t)1795000000)
#define FAKE_SYSOPS_EUID ((uid_t)0)

/* Installs the fake and empties it (files, failures, exec script and log,
 * clock, euid). The root path of the real sysops is not touched: a test
 * that needs "not the host" calls sysops_set_root() on a real directory. */
void fake_sysops_reset(void);

/* Plants a file (mode 0644, owner 0:0); its parent directories are implied. */
void fake_sysops_put(int in_root, const char *path, const char *data);
void fake_sysops_put_mode(int in_root, const char *path, const char *data, mode_t mode, uid_t uid,
                          gid_t gid);
/* Plants an (empty) directory, mode 0755. */
void fake_sysops_mkdir(int in_root, const char *path);
/* Plants a symlink; an absolute target resolves inside the same name space. */
void fake_sysops_symlink(int in_root, const char *path, const char *target);

/* The file's bytes (NUL-terminated; links followed) or NULL when there is
 * no such file. */
const char *fake_sysops_get(int in_root, const char *path, size_t *len);

/* Makes every later write_atomic fail with this errno (0: writes work again). */
void fake_sysops_fail_writes(int err);
/* Makes operation `op` ("read", "write", "stat", "mkdirs", "unlink",
 * "list_dir") fail with err for `path` as given by the caller (NULL: any
 * path). err 0 removes the rule. */
void fake_sysops_fail(const char *op, const char *path, int err);
/* Successful write_atomic calls so far. */
size_t fake_sysops_write_count(void);

/* A status for fake_sysops_on_exec: the command is killed at its timeout. */
#define FAKE_EXEC_TIMEOUT (-1000)
/* Another: a background command (sysops_spawn) that never ends by itself;
 * sysops_job_poll keeps returning 0 and its fd never becomes readable.
 * Freeing it logs "(cancelled)". sysops_exec reports it as timed out. */
#define FAKE_EXEC_PENDING (-1001)
/*
 * Scripts the answer to a command. `prefix` is matched against the argv
 * joined with single spaces, on word boundaries ("systemctl is-active
 * chrony" matches "systemctl is-active chrony" and "... chrony --quiet",
 * not "... chronyd"). The first registered match wins. A command nothing
 * matches fails as a missing binary does (-1, err ENOENT).
 */
void fake_sysops_on_exec(const char *prefix, int status, const char *out, const char *err);
/* Calls hook with each command (argv joined by spaces) before it is
 * answered: what the command does to the system (a package manager
 * changing its database) is planted there. NULL: none. Reset clears it. */
void fake_sysops_on_exec_hook(void (*hook)(const char *cmd));
/* Every command run (matched or not), argv joined by spaces, one per line,
 * in order; "" when none. Valid until the next exec or reset. */
const char *fake_sysops_exec_log(void);
/* Forgets the commands run so far / the scripted answers. */
void fake_sysops_reset_exec_log(void);
void fake_sysops_reset_exec_script(void);
/* The timeout_ms given to the most recent command (-1 if none ran). */
int fake_sysops_exec_last_timeout(void);

/* Background commands started and not yet freed (leak checks). */
unsigned fake_sysops_live_jobs(void);

void fake_sysops_set_now(time_t t);
void fake_sysops_set_euid(uid_t uid);

#endif
