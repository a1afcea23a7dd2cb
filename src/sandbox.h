/*
 * sandbox: which paths a daemon may write under its systemd service unit.
 * Debian's chrony.service has ProtectSystem=strict: a logdir under /srv is
 * read-only for chronyd although chronyd -p and ntpwiz's lint accept it
 * (issue 14, defect 5). The facts come from the unit file under the root
 * in use (with its drop-ins) when it is there, else from a table of the
 * units the distributions ship (sandbox.c cites each row); apply's
 * pre-flight refuses a path outside them before anything is written.
 */
#ifndef NTPWIZ_SANDBOX_H
#define NTPWIZ_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

struct backend;
struct detect_info;

enum sandbox_protect_system {
	SANDBOX_PS_NO,
	SANDBOX_PS_YES,    /* /usr, /boot, /efi read-only */
	SANDBOX_PS_FULL,   /* and /etc */
	SANDBOX_PS_STRICT, /* everything but the API file systems and the listed paths */
};

enum sandbox_protect_home {
	SANDBOX_PH_NO,
	SANDBOX_PH_YES, /* /home, /root, /run/user inaccessible */
	SANDBOX_PH_READ_ONLY,
	SANDBOX_PH_TMPFS,
};

/* Which unit setting a writable path comes from (an empty assignment of
 * that setting resets only its own entries). */
enum sandbox_rw_kind {
	SANDBOX_RW_PATHS, /* ReadWritePaths= */
	SANDBOX_RW_STATE, /* StateDirectory= (under /var/lib) */
	SANDBOX_RW_LOGS,  /* LogsDirectory= (under /var/log) */
	SANDBOX_RW_CACHE, /* CacheDirectory= (under /var/cache) */
	SANDBOX_RW_RUNTIME, /* RuntimeDirectory= (under /run) */
};

#define SANDBOX_MAX_RW 16
#define SANDBOX_PATH_MAX 256

struct sandbox {
	bool known;        /* false: neither a unit file nor a table row */
	char unit[64];     /* "chrony.service" */
	char source[300];  /* the unit file read, or the table row's origin */
	enum sandbox_protect_system protect_system;
	enum sandbox_protect_home protect_home;
	bool private_tmp;
	struct {
		enum sandbox_rw_kind kind;
		char path[SANDBOX_PATH_MAX];
	} rw[SANDBOX_MAX_RW];
	size_t nrw;
};

void sandbox_init(struct sandbox *sb, const char *unit);

/* Applies one unit file's or drop-in's text ([Service] section only) on
 * top of sb, as systemd merges them. Sets sb->known. */
void sandbox_parse(struct sandbox *sb, const char *text, size_t len);

/*
 * The sandbox of b's service on the system under the root in use: the
 * unit file and its drop-ins there (systemd's search path), else the
 * table row for the distribution release, else sb->known = false. Only
 * systemd units sandbox; for other init systems sb->known is false and
 * *applies is false (nothing to check).
 */
void sandbox_read(struct sandbox *sb, const struct backend *b, const struct detect_info *host,
                  bool *applies);

/* The table's row for this release and daemon: the unit text the
 * package ships, and where that was read. NULL when there is none. */
const char *sandbox_table_unit(const char *os_id, const char *version_id, int daemon,
                               const char **origin);

/*
 * Whether the daemon may create and write files at path (an absolute
 * path) under sb. When not, why gets the unit setting that forbids it
 * ("ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes").
 */
bool sandbox_writable(const struct sandbox *sb, const char *path, const char **why);

/* The writable paths as one space-separated list (for messages). */
void sandbox_paths_text(const struct sandbox *sb, char *buf, size_t size);

#endif
