/*
 * detect: what is on the host (or the system under --root): distribution,
 * init system, package manager, which time daemons are installed, enabled
 * and running, ntpdate, and the conflicts between them. Read-only.
 */
#ifndef NTPWIZ_DETECT_H
#define NTPWIZ_DETECT_H

#include <stdbool.h>

#include "backend.h"
#include "distro.h"

enum init_system {
	INIT_NONE, /* a chroot or container without one: nothing to enable */
	INIT_SYSTEMD,
	INIT_SYSVINIT,
	INIT_OPENRC,
	INIT_RUNIT,
	INIT_COUNT,
};

enum pkg_manager {
	PKG_NONE,
	PKG_APT,
	PKG_DNF,
	PKG_YUM,
	PKG_ZYPPER,
	PKG_APK,
	PKG_PACMAN,
	PKG_COUNT,
};

struct detect_daemon {
	const struct backend *backend;
	bool installed;     /* its binary (or package) is present under the root */
	char binary[128];   /* the path found, "" if none */
	char version[64];   /* from the package database or the binary, "" if unknown */
	char version_source[16]; /* the database it came from: dpkg, apk, pacman, rpm; "" */
	/* The installed package named after this daemon, and, when that
	 * package installs another daemon instead (Debian 12/13's "ntp" is a
	 * transitional package for NTPsec), that daemon. "" / NULL otherwise. */
	char package[64];
	char package_version[64];
	const struct backend *provided_by;
	bool config_exists; /* the family's config path exists */
	bool enabled;       /* starts at boot */
	bool running;       /* only known when the root is the running system */
	bool leftover_enabled; /* not installed, yet its init script (left by a
	                          removed package, dpkg "rc") and its sysv start
	                          links remain: systemd's sysv generator or
	                          sysvinit still starts it at boot */
};

struct detect_info {
	struct distro distro;
	bool ec2; /* Amazon Linux, or EC2 DMI data (host only) */
	enum init_system init;
	bool init_running; /* the init system was seen running (host only: systemd booted) */
	enum pkg_manager pkg;
	bool pkgdb_read; /* a package database (dpkg, apk, pacman) was read; rpm's is not */
	/* An rpm database exists under the root and "rpm --root" answered;
	 * with no rpm program on this machine, rpm versions stay unknown. */
	bool rpmdb_present;
	bool rpm_read;
	struct detect_daemon
	    daemons[DAEMON_COUNT]; /* indexed by enum daemon_id; [DAEMON_AUTO] unused */
	bool ntpdate_installed;
	/* the package that provides ntpdate ("ntpdate"; on Debian 12
	 * "ntpsec-ntpdate"), NULL when only the binary was found */
	const char *ntpdate_package;
	int enabled_count; /* time daemons enabled or running: more than one is a conflict */
};

/* Looks at the root in use through sysops (files, and on the host itself
 * the init system's query commands). Never fails: what cannot be known is
 * left false/empty. */
void detect_run(struct detect_info *info);

/* Detects the daemons (installed, enabled, running) and ntpdate again,
 * keeping the distribution, init system and package manager: apply calls
 * it after the package manager ran, which may have removed a daemon. */
void detect_refresh_daemons(struct detect_info *info);

/* The names of the installed packages the root's package database lists
 * (dpkg, apk, pacman; for rpm only the time daemons' packages), sorted;
 * NULL when no database could be read. apply compares the lists before
 * and after the package manager ran, to record what it installed and
 * removed. Free with detect_free_packages. */
char **detect_packages(size_t *count);
void detect_free_packages(char **names, size_t count);

const char *detect_init_name(enum init_system i);
const char *detect_pkg_name(enum pkg_manager p);

#endif
