/*
 * peers: the monitor commands, running them, and what their failures mean
 * (see peers.h). The per-tool parsers are in peers_<tool>.c.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "detect.h"
#include "i18n.h"
#include "peers.h"
#include "sysops.h"

/*
 * One child per refresh gets the peer table and the daemon's own status
 * together: apply's verify keeps the backend's plainer peers_argv. ntpq's
 * `-w` prints long names whole (on a line of their own); chronyc's CSV
 * never resolves addresses, `-N` prints the names the sources were
 * configured with. ntpctl and timedatectl have no such switch.
 */
static const char *const chrony_argv[] = {"chronyc", "-n", "-c", "-m", "sources", "tracking", NULL};
static const char *const chrony_names_argv[] = {"chronyc", "-N",       "-c", "-m",
                                                "sources", "tracking", NULL};
#define NTPQ_SYSVARS "rv 0 leap,stratum,refid,reftime,offset,rootdelay,rootdisp"
static const char *const ntpq_argv[] = {"ntpq", "-n", "-c", NTPQ_SYSVARS, "-c", "peers", NULL};
static const char *const ntpq_names_argv[] = {"ntpq", "-w",    "-c", NTPQ_SYSVARS,
                                              "-c",   "peers", NULL};
static const char *const ntpctl_argv[] = {"ntpctl", "-s", "all", NULL};
static const char *const timedatectl_argv[] = {"timedatectl", "timesync-status", NULL};

#define COL(c) (1u << (c))
#define COLS_NTPQ                                                                                  \
	(COL(PCOL_TALLY) | COL(PCOL_REMOTE) | COL(PCOL_REFID) | COL(PCOL_ST) | COL(PCOL_TYPE) |    \
	 COL(PCOL_WHEN) | COL(PCOL_POLL) | COL(PCOL_REACH) | COL(PCOL_DELAY) | COL(PCOL_OFFSET) |  \
	 COL(PCOL_JITTER))
#define COLS_CHRONY                                                                                \
	(COL(PCOL_TALLY) | COL(PCOL_REMOTE) | COL(PCOL_ST) | COL(PCOL_TYPE) | COL(PCOL_WHEN) |     \
	 COL(PCOL_POLL) | COL(PCOL_REACH) | COL(PCOL_OFFSET) | COL(PCOL_ERROR))
#define COLS_OPENNTPD                                                                              \
	(COL(PCOL_TALLY) | COL(PCOL_REMOTE) | COL(PCOL_ST) | COL(PCOL_POLL) | COL(PCOL_DELAY) |    \
	 COL(PCOL_OFFSET) | COL(PCOL_JITTER) | COL(PCOL_EXTRA))
#define COLS_TIMESYNCD (COLS_OPENNTPD | COL(PCOL_REFID))

/* The command, its form with names, and the columns its tool fills (so
 * the table keeps its shape from one refresh to the next). */
static const struct monitor_cmd {
	const char *const *argv;
	const char *const *names_argv;
	unsigned columns;
} monitor_cmds[DAEMON_COUNT] = {
    [DAEMON_NTP] = {ntpq_argv, ntpq_names_argv, COLS_NTPQ},
    [DAEMON_NTPSEC] = {ntpq_argv, ntpq_names_argv, COLS_NTPQ},
    [DAEMON_CHRONY] = {chrony_argv, chrony_names_argv, COLS_CHRONY},
    [DAEMON_OPENNTPD] = {ntpctl_argv, NULL, COLS_OPENNTPD},
    [DAEMON_TIMESYNCD] = {timedatectl_argv, NULL, COLS_TIMESYNCD},
};

unsigned peers_columns(const struct backend *b)
{
	return monitor_cmds[b->id].columns;
}

/* How to start a service, per init system: the words before and after
 * its name (command text: not translated). */
static const struct {
	const char *before, *after;
} start_cmd[INIT_COUNT] = {
    [INIT_SYSTEMD] = {"systemctl start ", ""},
    [INIT_SYSVINIT] = {"service ", " start"},
    [INIT_OPENRC] = {"rc-service ", " start"},
    [INIT_RUNIT] = {"sv start ", ""},
};

const char *const *peers_monitor_argv(const struct backend *b, bool names)
{
	const struct monitor_cmd *c = &monitor_cmds[b->id];

	if (names)
		return c->names_argv;
	return c->argv ? c->argv : b->peers_argv;
}

bool peers_can_show_names(const struct backend *b)
{
	return monitor_cmds[b->id].names_argv != NULL;
}

void peers_snapshot_init(struct peers_snapshot *snap, const struct backend *b)
{
	memset(snap, 0, sizeof(*snap));
	snap->backend = b;
	snap->state = PEERS_PENDING;
	snap->exit_status = -1;
	snap->status.stratum = -1;
	snap->status.offset_s = NAN;
	snap->status.root_delay_s = NAN;
	snap->status.root_dispersion_s = NAN;
	snap->status.root_distance_s = NAN;
}

bool peers_synchronised(const struct peers_snapshot *snap)
{
	if (snap->status.known)
		return snap->status.synchronised;
	for (size_t i = 0; i < snap->nrows; i++)
		if (snap->rows[i].cls == PEER_SELECTED)
			return true;
	return false;
}

void peers_snapshot_free(struct peers_snapshot *snap)
{
	for (size_t i = 0; i < snap->nrows; i++)
		free(snap->rows[i].raw_line);
	free(snap->rows);
	free(snap->raw_out);
	free(snap->raw_err);
	peers_snapshot_init(snap, snap->backend);
}

struct peer_row *peers_add_row(struct peers_snapshot *snap, const char *raw_line, size_t raw_len)
{
	struct peer_row *row;

	if (snap->nrows == snap->cap) {
		size_t ncap = snap->cap ? snap->cap * 2 : 16;
		struct peer_row *nv = realloc(snap->rows, ncap * sizeof(*nv));
		if (!nv)
			return NULL;
		snap->rows = nv;
		snap->cap = ncap;
	}
	row = &snap->rows[snap->nrows];
	memset(row, 0, sizeof(*row));
	row->raw_line = strndup(raw_line, raw_len);
	if (!row->raw_line)
		return NULL;
	snap->nrows++;
	row->tally = ' ';
	row->cls = PEER_REJECTED;
	row->stratum = -1;
	row->when_s = -1;
	row->poll_s = -1;
	row->reach = -1;
	row->delay_ms = NAN;
	row->offset_ms = NAN;
	row->jitter_ms = NAN;
	row->error_ms = NAN;
	return row;
}

enum peer_class peers_class_of_tally(char tally)
{
	switch (tally) {
	case '*':
	case 'o':
		return PEER_SELECTED;
	case '+':
		return PEER_CANDIDATE;
	case '#':
	case '.':
	case '-':
		return PEER_SPARE;
	case 'x':
		return PEER_FALSETICKER;
	default:
		return PEER_REJECTED;
	}
}

const char *peers_reach_history(int reach, char buf[9])
{
	for (int i = 0; i < 8; i++)
		buf[i] = reach < 0 ? '-' : (reach >> (7 - i)) & 1 ? '#' : '.';
	buf[8] = '\0';
	return buf;
}

static const char *const state_names[PEERS_STATE_COUNT] = {
    [PEERS_OK] = "ok",
    [PEERS_PENDING] = "pending",
    [PEERS_NOT_RUNNING] = "not-running",
    [PEERS_NO_COMMAND] = "no-command",
    [PEERS_TIMEOUT] = "timeout",
    [PEERS_PERMISSION] = "permission-denied",
    [PEERS_FAILED] = "failed",
    [PEERS_UNPARSEABLE] = "unparseable",
};

const char *peers_state_name(enum peers_state s)
{
	return s < PEERS_STATE_COUNT ? state_names[s] : "unknown";
}

const char *peers_class_name(enum peer_class c)
{
	static const char *const names[PEER_CLASS_COUNT] = {
	    [PEER_SELECTED] = "selected", [PEER_CANDIDATE] = "candidate",
	    [PEER_SPARE] = "spare",       [PEER_FALSETICKER] = "falseticker",
	    [PEER_REJECTED] = "rejected", [PEER_POOL] = "pool",
	};
	return c < PEER_CLASS_COUNT ? names[c] : "unknown";
}

const char *peers_leap_name(enum peers_leap l)
{
	static const char *const names[] = {
	    [PEERS_LEAP_UNKNOWN] = "unknown", [PEERS_LEAP_NONE] = "none",
	    [PEERS_LEAP_INSERT] = "insert",   [PEERS_LEAP_DELETE] = "delete",
	    [PEERS_LEAP_ALARM] = "alarm",
	};
	return names[l];
}

const char *peers_leap_text(enum peers_leap l)
{
	static const char *const texts[] = {
	    [PEERS_LEAP_UNKNOWN] = N_("unknown"),
	    [PEERS_LEAP_NONE] = N_("none"),
	    [PEERS_LEAP_INSERT] = N_("insert a second today"),
	    [PEERS_LEAP_DELETE] = N_("delete a second today"),
	    [PEERS_LEAP_ALARM] = N_("alarm (not synchronised)"),
	};
	return _(texts[l]);
}

/* --- helpers for the parsers ------------------------------------------------------ */

bool peers_parse_ms(const char *s, double unit_ms, double *ms)
{
	static const struct {
		const char *suffix;
		double ms;
	} units[] = {
	    {"ns", 1e-6}, {"us", 1e-3}, {"\xc2\xb5s", 1e-3}, {"ms", 1.0}, {"s", 1000.0},
	};
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v))
		return false;
	if (!*end) {
		*ms = v * unit_ms;
		return true;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			*ms = v * units[i].ms;
			return true;
		}
	}
	return false;
}

bool peers_parse_age(const char *s, double *secs)
{
	char *end;
	double v;

	if (strcmp(s, "-") == 0) {
		*secs = -1;
		return true;
	}
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		return false;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		v *= 60;
		break;
	case 'h':
		v *= 3600;
		break;
	case 'd':
		v *= 86400;
		break;
	default:
		return false;
	}
	if (*end && end[1])
		return false;
	*secs = v;
	return true;
}

size_t peers_split(const char *line, size_t len, char *buf, size_t bufsize, char **words,
                   size_t max)
{
	size_t n = 0;
	char *p;

	if (bufsize == 0)
		return 0;
	if (len >= bufsize)
		len = bufsize - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	p = buf;
	while (n < max) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		words[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

void peers_first_line(const char *text, char *out, size_t size)
{
	size_t n;

	while (*text == '\n' || *text == ' ')
		text++;
	n = strcspn(text, "\n");
	if (n > 200)
		n = 200;
	if (n >= size)
		n = size - 1;
	memcpy(out, text, n);
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == '\r' || out[n - 1] == ' '))
		out[--n] = '\0';
}

/* --- results ---------------------------------------------------------------------- */

static void join_argv(const char *const *argv, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; argv && argv[i] && n < size; i++) {
		bool quote = strchr(argv[i], ' ') != NULL;
		int w =
		    snprintf(out + n, size - n, quote ? "%s\"%s\"" : "%s%s", i ? " " : "", argv[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

/* The daemon as people call it: its binary's name (chronyd, ntpd). */
static const char *daemon_name(const struct backend *b)
{
	const char *bin = b->detect.binaries[0];
	const char *slash = bin ? strrchr(bin, '/') : NULL;

	return slash ? slash + 1 : bin ? bin : b->name;
}

static char *dup_text(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (p) {
		memcpy(p, s ? s : "", s ? len : 0);
		p[s ? len : 0] = '\0';
	}
	return p;
}

static void explain(struct peers_snapshot *snap, const char *tool, const struct peers_hints *hints,
                    int err)
{
	const char *daemon = daemon_name(snap->backend);
	char start[160] = "";

	if (hints && hints->service && hints->init > 0 && hints->init < INIT_COUNT &&
	    start_cmd[hints->init].before)
		snprintf(start, sizeof(start), "%s%s%s", start_cmd[hints->init].before,
		         hints->service, start_cmd[hints->init].after);
	snap->explanation[0] = snap->hint[0] = '\0';
	switch (snap->state) {
	case PEERS_OK:
	case PEERS_PENDING:
	case PEERS_STATE_COUNT:
		break;
	case PEERS_NOT_RUNNING:
		/* TRANSLATORS: "chronyd is not running (chronyc: 506 Cannot talk to daemon)" */
		snprintf(snap->explanation, sizeof(snap->explanation),
		         _("%1$s is not running (%2$s: %3$s)"), daemon, tool, snap->detail);
		if (*start)
			snprintf(snap->hint, sizeof(snap->hint), _("start it with %s"), start);
		else
			snprintf(snap->hint, sizeof(snap->hint), "%s", _("start the daemon"));
		break;
	case PEERS_NO_COMMAND:
		snprintf(
		    snap->explanation, sizeof(snap->explanation),
		    _("%1$s (it asks %2$s for its peers) is not installed: not found on PATH"),
		    tool, daemon);
		if (hints && hints->package)
			snprintf(snap->hint, sizeof(snap->hint), _("install the %s package"),
			         hints->package);
		break;
	case PEERS_TIMEOUT:
		if (snap->detail[0])
			snprintf(snap->explanation, sizeof(snap->explanation),
			         _("%1$s got no answer from %2$s (%3$s)"), tool, daemon,
			         snap->detail);
		else
			snprintf(snap->explanation, sizeof(snap->explanation),
			         _("%1$s got no answer from %2$s in time and was stopped"), tool,
			         daemon);
		snprintf(
		    snap->hint, sizeof(snap->hint), "%s",
		    _("check that the daemon runs and that it answers queries from localhost"));
		break;
	case PEERS_PERMISSION:
		if (err)
			snprintf(snap->explanation, sizeof(snap->explanation),
			         _("cannot run %1$s: %2$s"), tool, strerror(err));
		else
			snprintf(snap->explanation, sizeof(snap->explanation),
			         _("%1$s may not ask %2$s as this user (%3$s)"), tool, daemon,
			         snap->detail);
		snprintf(snap->hint, sizeof(snap->hint), "%s", _("run ntpwiz monitor as root"));
		break;
	case PEERS_FAILED:
		if (err)
			snprintf(snap->explanation, sizeof(snap->explanation),
			         _("cannot run %1$s: %2$s"), tool, strerror(err));
		else if (snap->signal)
			snprintf(snap->explanation, sizeof(snap->explanation),
			         _("%1$s was killed by signal %2$d"), tool, snap->signal);
		else
			snprintf(snap->explanation, sizeof(snap->explanation),
			         _("%1$s failed with exit status %2$d (%3$s)"), tool,
			         snap->exit_status, snap->detail);
		break;
	case PEERS_UNPARSEABLE:
		snprintf(snap->explanation, sizeof(snap->explanation),
		         _("%1$s printed nothing ntpwiz can read (%2$s)"), tool, snap->detail);
		snprintf(snap->hint, sizeof(snap->hint), "%s",
		         _("look at its raw output (v in the monitor, \"raw\" in --json)"));
		break;
	}
}

void peers_read_result(struct peers_snapshot *snap, int rc, const struct sysops_exec_result *r,
                       const struct peers_hints *hints)
{
	const struct backend *b = snap->backend;
	const char *const *argv = peers_monitor_argv(b, snap->names);
	const char *tool = argv && argv[0] ? argv[0] : b->name;
	int err = 0;

	if (!snap->command[0])
		join_argv(argv, snap->command, sizeof(snap->command));
	snap->taken = sysops_now();
	snap->exit_status = r->status;
	snap->signal = r->signal;
	snap->raw_out = dup_text(r->out, r->out_len);
	snap->raw_out_len = r->out ? r->out_len : 0;
	snap->raw_err = dup_text(r->errout, r->errout_len);
	snap->raw_err_len = r->errout ? r->errout_len : 0;
	if (rc < 0) {
		err = r->err ? r->err : EIO;
		snap->state = err == ENOENT                   ? PEERS_NO_COMMAND
		              : err == EACCES || err == EPERM ? PEERS_PERMISSION
		                                              : PEERS_FAILED;
	} else if (r->timed_out) {
		snap->state = PEERS_TIMEOUT;
	} else if (!snap->raw_out || !snap->raw_err) {
		snap->state = PEERS_FAILED;
		snprintf(snap->detail, sizeof(snap->detail), "%s", strerror(ENOMEM));
	} else {
		snap->state = b->parse_peers(snap->raw_out, snap->raw_err, r->status, snap);
		if (snap->state == PEERS_UNPARSEABLE && (r->status != 0 || r->signal) &&
		    !snap->raw_out[0]) {
			snap->state = PEERS_FAILED;
		}
		if (!snap->detail[0])
			peers_first_line(*snap->raw_err ? snap->raw_err : snap->raw_out,
			                 snap->detail, sizeof(snap->detail));
		if (!snap->detail[0])
			snprintf(snap->detail, sizeof(snap->detail), "%s", _("no output"));
	}
	for (size_t i = 0; i < snap->nrows; i++)
		snap->unparsed += snap->rows[i].flag_unparsed;
	explain(snap, tool, hints, err);
}

struct peers_job {
	const struct backend *backend;
	bool names;
	const struct peers_hints *hints;
	struct sysops_job *job; /* NULL: it could not start, see start_err */
	int start_err;
	char command[512];
};

int peers_job_start(const struct backend *b, bool names, int timeout_ms,
                    const struct peers_hints *hints, struct peers_job **jobp)
{
	struct peers_job *job = calloc(1, sizeof(*job));
	const char *const *argv = peers_monitor_argv(b, names);

	*jobp = NULL;
	if (!job)
		return -1;
	job->backend = b;
	job->names = names && argv;
	if (!argv)
		argv = peers_monitor_argv(b, false);
	job->hints = hints;
	join_argv(argv, job->command, sizeof(job->command));
	if (sysops_spawn(argv, timeout_ms, &job->job) < 0) {
		job->job = NULL;
		job->start_err = errno ? errno : EIO;
	}
	*jobp = job;
	return 0;
}

int peers_job_fd(const struct peers_job *job)
{
	return job->job ? job->job->fd : -1;
}

int peers_job_wait_ms(const struct peers_job *job)
{
	return job->job ? sysops_job_wait_ms(job->job) : 0;
}

int peers_job_poll(struct peers_job *job, struct peers_snapshot *snap)
{
	struct sysops_exec_result r = {.status = -1};
	int rc = 0;

	if (job->job) {
		if (sysops_job_poll(job->job, &r) == 0)
			return 0;
	} else {
		r.err = job->start_err;
		rc = -1;
	}
	peers_snapshot_init(snap, job->backend);
	snap->names = job->names;
	snprintf(snap->command, sizeof(snap->command), "%s", job->command);
	peers_read_result(snap, rc, &r, job->hints);
	sysops_exec_result_free(&r);
	return 1;
}

void peers_job_free(struct peers_job *job)
{
	if (!job)
		return;
	sysops_job_free(job->job);
	free(job);
}

void peers_collect(const struct backend *b, bool names, int timeout_ms,
                   const struct peers_hints *hints, struct peers_snapshot *snap)
{
	const char *const *argv = peers_monitor_argv(b, names);
	struct sysops_exec_result r;
	int rc;

	if (!argv) {
		names = false;
		argv = peers_monitor_argv(b, false);
	}
	peers_snapshot_init(snap, b);
	snap->names = names;
	join_argv(argv, snap->command, sizeof(snap->command));
	rc = sysops_exec(argv, timeout_ms, &r);
	peers_read_result(snap, rc, &r, hints);
	sysops_exec_result_free(&r);
}
