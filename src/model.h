/*
 * model: the daemon-neutral description of one NTP set-up (struct setup).
 * Profiles load into it, the wizard edits it, backends render it. Setters
 * validate, so a struct setup that was only changed through them holds no
 * string that could break a config file.
 */
#ifndef NTPWIZ_MODEL_H
#define NTPWIZ_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "errlist.h"

enum daemon_id {
	DAEMON_AUTO,
	DAEMON_NTP,
	DAEMON_NTPSEC,
	DAEMON_CHRONY,
	DAEMON_OPENNTPD,
	DAEMON_TIMESYNCD,
	DAEMON_COUNT,
};

enum server_kind {
	SERVER_KIND_SERVER,
	SERVER_KIND_POOL,
};

enum leap_mode {
	LEAP_STEP, /* the default: the kernel inserts/deletes the second */
	LEAP_SLEW,
	LEAP_SMEAR,
	LEAP_IGNORE,
	LEAP_COUNT,
};

enum restrict_policy {
	POLICY_CLIENT_ONLY, /* the default: serves no one */
	POLICY_LAN,
	POLICY_PUBLIC,
	POLICY_COUNT,
};

/* Longest host name accepted (RFC 1123: 253 characters). */
#define MODEL_HOST_MAX 253
/* Polling exponents any daemon accepts (chrony's range); backends narrow it. */
#define MODEL_POLL_MIN (-7)
#define MODEL_POLL_MAX 24
/* "Not set": the daemon's own default applies. */
#define MODEL_POLL_UNSET (-128)
#define MODEL_PATH_MAX 1024
#define MODEL_MAX_SERVERS 64
#define MODEL_MAX_ALLOW 64
#define MODEL_MAX_LISTEN 8

struct server {
	char host[MODEL_HOST_MAX + 1];
	enum server_kind kind;
	bool iburst;
	bool nts;
	bool prefer;
	int minpoll; /* MODEL_POLL_UNSET when not set */
	int maxpoll;
	int weight; /* OpenNTPD's weight 1-10; 0 = not set (prefer writes 10) */
	int line;   /* line in the profile it came from, 0 if none */
	/* issue 16 section 2: symmetric key ID from keys.file; 0 = none */
	unsigned key;
	/* source selection (issue 16 section 3; ntpwiz-profile(5), "servers") */
	bool noselect;   /* monitored, never selected */
	bool trust;      /* chrony trust, ntpd/NTPsec true: always survives selection */
	bool xleave;     /* chrony's interleaved mode */
	double maxdelay; /* chrony maxdelay, seconds; 0 = not set */
};

#define MODEL_WEIGHT_MIN 1
#define MODEL_WEIGHT_MAX 10

struct allow_net {
	char cidr[64]; /* canonical "address/prefix" */
	int line;
};

/* A local address the NTP server port is bound to (restrict.listen). */
struct listen_addr {
	char addr[64]; /* canonical IPv4 or IPv6 literal */
	int line;
};

struct setup_options {
	char driftfile[MODEL_PATH_MAX]; /* "" = the backend's default for the distro */
	char logdir[MODEL_PATH_MAX];    /* "" = no logging directory */
	bool rtcsync;
	double makestep_threshold; /* seconds, 0-86400; 0 disables */
	int makestep_limit;        /* number of updates; -1 = always */
};

struct setup_apply {
	bool backup;
	bool restart;
	bool stop_conflicting;
	bool install;
};

/* What the distribution's own layout adds to the file (ntpwiz-profile(5),
 * "keep"): keep reading the servers DHCP supplies and the drop-in folders
 * the distribution's stock file reads. Both off by default; import turns
 * them on when the stock file has them. */
struct setup_keep {
	bool dhcp_servers; /* chrony: sourcedir /run/chrony-dhcp */
	bool drop_in_dirs; /* chrony: sourcedir .../sources.d, confdir .../conf.d */
	int line;
};

/* issue 16 section 2: where the secrets come from (keys.h). The profile
 * names a file and never holds key material, so profiles can be shared. */
#define MODEL_KEY_MIN 1
#define MODEL_KEY_MAX 65535 /* ntpd's NTP_MAXKEY; chrony takes more */
struct setup_keys {
	char file[MODEL_PATH_MAX]; /* "" = no keys */
	bool ntp_format;           /* keys.format = "ntp": ntpd's ntp.keys(5) syntax */
	int line;
};

/* issue 16 section 8: operator lines ntpwiz does not model, per daemon
 * (extra.h has the rules and the per-daemon tables). */
#define MODEL_MAX_EXTRA 16
#define MODEL_EXTRA_MAX 200
struct extra_line {
	char text[MODEL_EXTRA_MAX + 1];
	int line;
};
struct setup_extra {
	struct extra_line v[MODEL_MAX_EXTRA]; /* not "lines": curses defines it */
	size_t n;
};

/* Source selection and orphan mode (ntpwiz-profile(5), "selection",
 * "orphan"); 0 = not set, the daemon's own default applies. */
struct setup_selection {
	int minsources;     /* chrony minsources, ntpd/NTPsec tos minsane */
	double maxdistance; /* seconds: chrony maxdistance, tos maxdist, RootDistanceMaxSec */
	int orphan;         /* stratum: chrony local stratum N orphan, tos orphan N */
	int line;           /* of "selection" */
	int orphan_line;
};

#define MODEL_MINSOURCES_MAX 16
#define MODEL_MAXDISTANCE_MAX 16.0
#define MODEL_MAXDELAY_MAX 60.0
#define MODEL_ORPHAN_MIN 1
#define MODEL_ORPHAN_MAX 15
/* What the wizard offers for orphan mode: well below any real server's
 * stratum, as ntp.org's orphan mode page suggests. */
#define MODEL_ORPHAN_SUGGESTED 10

/* OpenNTPD's HTTPS time constraints (ntpwiz-profile(5), "constraints"). */
#define MODEL_CONSTRAINT_MAX 255
#define MODEL_MAX_CONSTRAINTS 8
struct constraint {
	char from[MODEL_CONSTRAINT_MAX + 1]; /* host, address or https://host/path */
	bool all;                            /* "constraints": every address of the name */
	int line;
};
struct setup_constraints {
	struct constraint v[MODEL_MAX_CONSTRAINTS];
	size_t n;
	bool set; /* false: OpenBSD's defaults; set with n == 0: switched off */
	int line;
};

/* issue 16 section 6: serving NTS (nts.h). Both files or neither; paths
 * under the root in use, checked when rendering. */
struct setup_nts_server {
	char certificate[MODEL_PATH_MAX]; /* PEM certificate chain; "" = NTS not served */
	char key[MODEL_PATH_MAX];         /* PEM private key */
	int line;
};

/* issue 16 section 7: chrony's hwtimestamp, per interface or "*" (nts.h). */
#define MODEL_MAX_HWTS 8
#define MODEL_IFNAME_MAX 15 /* IFNAMSIZ - 1 */
struct hwts_iface {
	char name[MODEL_IFNAME_MAX + 1];
	int line;
};
struct setup_hwts {
	struct hwts_iface v[MODEL_MAX_HWTS];
	size_t n;
	int line;
};

/* issue 16 section 5: reference clocks (ntpwiz-profile(5), "refclocks";
 * refclock.h has the rules, the renderers and the import). */
enum refclock_driver {
	REFCLOCK_PPS,  /* kernel PPS device, /dev/ppsN */
	REFCLOCK_SHM,  /* NTP shared memory (gpsd), units 0-3 */
	REFCLOCK_SOCK, /* chrony's Unix socket (gpsd) */
	REFCLOCK_PHC,  /* PTP hardware clock, /dev/ptpN */
	REFCLOCK_COUNT,
};
#define MODEL_MAX_REFCLOCKS 8
#define MODEL_REFID_MAX 4
struct refclock {
	enum refclock_driver driver;
	char device[MODEL_PATH_MAX];     /* pps, sock, phc; "" for shm */
	int unit;                        /* shm: 0-3 */
	char refid[MODEL_REFID_MAX + 1]; /* "" = the daemon's default */
	char lock[MODEL_REFID_MAX + 1];  /* pps: the refid that numbers its seconds */
	double offset;                   /* seconds */
	double delay;                    /* seconds; 0 = not set */
	bool prefer;
	bool noselect;
	int poll;  /* MODEL_POLL_UNSET when not set */
	int dpoll; /* chrony's driver poll; MODEL_POLL_UNSET when not set */
	int line;
};
struct setup_refclocks {
	struct refclock v[MODEL_MAX_REFCLOCKS];
	size_t n;
	int line;
};

/* issue 16 section 7: how the daemon's service starts it (ntpwiz-profile(5),
 * "start"; startopts.h writes it to the distribution's defaults file).
 * Unset fields leave what the file says alone. */
#define MODEL_USER_MAX 32
enum start_family {
	START_FAMILY_UNSET, /* keep the file's -4/-6 as they are */
	START_FAMILY_ANY,   /* neither -4 nor -6 */
	START_FAMILY_IPV4,  /* -4 */
	START_FAMILY_IPV6,  /* -6 */
	START_FAMILY_COUNT,
};
struct setup_start {
	char user[MODEL_USER_MAX + 1]; /* -u USER; "" = keep the file's */
	enum start_family family;
	int line;
};

struct setup {
	enum daemon_id daemon;
	struct server servers[MODEL_MAX_SERVERS];
	size_t nservers;
	bool servers_set;     /* false: the distro family's defaults apply */
	bool servers_default; /* the servers are the family's defaults (no one wrote them) */
	enum leap_mode leap;
	int leap_line;
	/* leap mode smear: chrony's smoothtime MAXFREQ (ppm) and MAXWANDER
	 * (ppm per second); 0 = ntpwiz's defaults (MODEL_SMEAR_*) */
	double smear_maxfreq, smear_maxwander;
	enum restrict_policy policy;
	int policy_line;
	struct allow_net allow[MODEL_MAX_ALLOW];
	size_t nallow;
	/* lan and public: serve only on these local addresses (none = all) */
	struct listen_addr listen[MODEL_MAX_LISTEN];
	size_t nlisten;
	struct setup_options options;
	struct setup_apply apply;
	char source[MODEL_PATH_MAX]; /* profile file name, for messages; "" if none */
	struct setup_keep keep;
	struct setup_keys keys;               /* issue 16 section 2 */
	struct setup_extra extra[DAEMON_COUNT]; /* issue 16 section 8 */
	struct setup_selection selection;     /* issue 16 section 3 and 4 */
	struct setup_constraints constraints; /* issue 16 section 1 */
	struct setup_nts_server nts_server;   /* issue 16 section 6 */
	struct setup_hwts hwtimestamp;        /* issue 16 section 7: options.hwtimestamp */
	struct setup_refclocks refclocks;     /* issue 16 section 5 */
	struct setup_start start;             /* issue 16 section 7 */
};

/* Defaults, written down once. */
#define MODEL_SMEAR_MAXFREQ 400.0      /* ppm: chrony.conf(5)'s smoothtime example */
#define MODEL_SMEAR_MAXWANDER 0.001024 /* ppm/s: about 17 h for a leap second */
#define MODEL_DEFAULT_MAKESTEP_THRESHOLD 1.0
#define MODEL_DEFAULT_MAKESTEP_LIMIT 3

void model_init(struct setup *s);
void model_server_init(struct server *srv);

/* Name tables; *_from_name return -1 for an unknown name. */
const char *model_daemon_name(enum daemon_id d);
int model_daemon_from_name(const char *name);
const char *model_kind_name(enum server_kind k);
int model_kind_from_name(const char *name);
const char *model_leap_name(enum leap_mode m);
int model_leap_from_name(const char *name);
const char *model_policy_name(enum restrict_policy p);
int model_policy_from_name(const char *name);
/* "any", "ipv4", "ipv6" (START_FAMILY_UNSET has no name: NULL) */
const char *model_start_family_name(enum start_family f);
int model_start_family_from_name(const char *name);

/*
 * Setters. Each validates its value; on refusal it adds an error whose
 * location is "SOURCE:LINE" (line 0 = no line) and whose message names the
 * field, and returns -1 without changing the model.
 */
int model_set_server_host(struct setup *s, struct server *srv, const char *field, const char *host,
                          struct errlist *errs);
int model_set_server_poll(struct setup *s, struct server *srv, const char *field, bool max,
                          long value, struct errlist *errs);
int model_set_server_weight(struct setup *s, struct server *srv, const char *field, long value,
                            struct errlist *errs);
/* Appends a validated server; returns its index or -1. */
int model_add_server(struct setup *s, const struct server *srv, const char *field,
                     struct errlist *errs);
int model_remove_server(struct setup *s, size_t index);
int model_add_allow(struct setup *s, const char *field, const char *cidr, int line,
                    struct errlist *errs);
/* Adds a local address to serve on: an IPv4 or IPv6 literal of this host,
 * not a name, not a network, not the wildcard (0.0.0.0, ::). */
int model_add_listen(struct setup *s, const char *field, const char *addr, int line,
                     struct errlist *errs);
/* Replaces the networks with those of a typed list (a wizard or line-mode
 * field): separated by spaces, commas or semicolons; "ADDRESS MASK" and
 * "ADDRESS mask MASK" (ntpd's notation) are one network. On refusal no
 * network is kept and the error names the network as typed. */
int model_set_allow_text(struct setup *s, const char *text, struct errlist *errs);
int model_set_driftfile(struct setup *s, const char *field, const char *path, int line,
                        struct errlist *errs);
int model_set_logdir(struct setup *s, const char *field, const char *path, int line,
                     struct errlist *errs);
/* The smear's maximum frequency offset (ppm, above 0, at most 100000) and
 * wander (ppm/s, above 0, at most 1000). */
int model_set_smear(struct setup *s, const char *field, double maxfreq, double maxwander, int line,
                    struct errlist *errs);
int model_set_makestep(struct setup *s, const char *field, double threshold, long limit, int line,
                       struct errlist *errs);

/* issue 16 section 2: a server's key ID (1-65535) and the key file. */
int model_set_server_key(struct setup *s, struct server *srv, const char *field, long value,
                         struct errlist *errs);
int model_set_keys_file(struct setup *s, const char *field, const char *path, int line,
                        struct errlist *errs);
/* issue 16 section 8: appends one operator line for daemon d after
 * extra_refusal (extra.h) accepted it. */
int model_add_extra(struct setup *s, enum daemon_id d, const char *field, const char *text,
                    int line, struct errlist *errs);
/* Source selection (issue 16): each validates its range and names it. */
int model_set_server_maxdelay(struct setup *s, struct server *srv, const char *field, double value,
                              struct errlist *errs);
int model_set_minsources(struct setup *s, const char *field, long value, int line,
                         struct errlist *errs);
int model_set_maxdistance(struct setup *s, const char *field, double value, int line,
                          struct errlist *errs);
/* 0 switches orphan mode off. */
int model_set_orphan(struct setup *s, const char *field, long stratum, int line,
                     struct errlist *errs);
/* OpenNTPD constraints: adds one (all: every address of a name, written as
 * "constraints"), after validate_constraint. */
int model_add_constraint(struct setup *s, const char *field, const char *from, bool all, int line,
                         struct errlist *errs);
/* issue 16 section 7: the user the daemon runs as (a POSIX user name:
 * letters, digits, _ . -, not starting with - or a digit-only name, at
 * most 32), "" to keep the file's; and the address family. */
int model_set_start_user(struct setup *s, const char *field, const char *user, int line,
                         struct errlist *errs);
int model_set_start_family(struct setup *s, const char *field, const char *name, int line,
                           struct errlist *errs);
/* The default kind for a source: a name uses all its addresses. */
bool model_constraint_default_all(const char *from);
/* OpenBSD's own default constraints (/etc/examples/ntpd.conf since 2019). */
size_t model_default_constraints(const struct constraint **list);
/* The constraints a file gets: the profile's, or OpenBSD's defaults. */
size_t model_constraints(const struct setup *s, const struct constraint **list);
/* A pool counts as MODEL_POOL_SOURCES sources. */
#define MODEL_POOL_SOURCES 4
size_t model_source_count(const struct setup *s);

/* Checks the whole model again (defence in depth before rendering): every
 * string, every range, minpoll <= maxpoll, allow only with the lan policy. */
int model_check(const struct setup *s, struct errlist *errs);

/* "SOURCE:LINE" / "SOURCE" / "" into buf. */
const char *model_where(const struct setup *s, int line, char *buf, size_t size);

#endif
