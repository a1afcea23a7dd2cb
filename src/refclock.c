/*
 * refclock: reference clocks (see refclock.h).
 *
 * Facts the tables rest on (chrony.conf(5) of chrony 4.3, NTPsec 1.2's
 * ntp.conf(5), ntp.org's clockopt/driver22/driver28 pages), and what the
 * real daemons did with them here (tests/integration/refclocks.sh):
 * - chrony has four drivers, PPS SHM SOCK PHC; refid is up to four ASCII
 *   characters; lock pairs a PPS with another refclock's samples; delay
 *   defaults to 1e-9 s; poll 4, dpoll 0. chronyd -p checks the options
 *   (an unknown option or a five-character refid is a fatal error) but
 *   not the driver's name or the device.
 * - NTPsec 1.2.2: "refclock shm unit U" and "refclock pps unit U"; the pps
 *   driver opens ppspath, and without it /dev/ppsU: measured, "path" is
 *   ignored by the pps driver (it opened /dev/pps1 for unit 1). time1 is
 *   the offset. No delay, no lock, no driver poll; no SOCK, no PHC driver.
 * - ntp.org 4.2.8: "server 127.127.28.U" (SHM) and "server 127.127.22.U"
 *   (PPS, always /dev/ppsU), "fudge ADDR refid R time1 X". Its PPS driver
 *   is used while the prefer source is selected (no lock).
 * - OpenNTPD reads only OpenBSD's kernel timedelta sensors ("sensor");
 *   systemd-timesyncd is an SNTP client with no reference clocks.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "import.h"
#include "refclock.h"
#include "sysops.h"
#include "validate.h"

static const char *const driver_names[REFCLOCK_COUNT] = {"pps", "shm", "sock", "phc"};
/* chrony's names for them */
static const char *const chrony_names[REFCLOCK_COUNT] = {"PPS", "SHM", "SOCK", "PHC"};

const char *refclock_driver_name(enum refclock_driver d)
{
	return (unsigned)d < REFCLOCK_COUNT ? driver_names[d] : "?";
}

int refclock_driver_from_name(const char *name)
{
	for (int i = 0; i < REFCLOCK_COUNT; i++)
		if (name && strcmp(name, driver_names[i]) == 0)
			return i;
	return -1;
}

void refclock_init(struct refclock *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->driver = REFCLOCK_SHM;
	rc->poll = MODEL_POLL_UNSET;
	rc->dpoll = MODEL_POLL_UNSET;
}

static bool has_device(enum refclock_driver d)
{
	return d != REFCLOCK_SHM;
}

static void refuse(const struct setup *s, int line, struct errlist *errs, const char *field,
                   const char *key, const char *why)
{
	char where[MODEL_PATH_MAX + 16];

	errlist_add(errs, ERR_ERROR, model_where(s, line, where, sizeof(where)), "%s.%s: %s", field,
	            key, why);
}

static const char *refid_refusal(const char *r)
{
	size_t n = strlen(r);

	if (n == 0)
		return _("is empty");
	if (n > MODEL_REFID_MAX)
		return _("is longer than 4 characters (a reference ID is at most four ASCII "
		         "characters)");
	for (const char *c = r; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
			return _("may hold only letters and digits");
	return NULL;
}

/* One row per profile key: what is wrong with its value, or NULL. */
struct field_rule {
	const char *key;
	const char *(*refusal)(const struct refclock *rc);
};

static const char *driver_refusal(const struct refclock *rc)
{
	return (unsigned)rc->driver < REFCLOCK_COUNT
	           ? NULL
	           : _("unknown driver; expected one of: pps, shm, sock, phc");
}

static const char *device_refusal(const struct refclock *rc)
{
	if ((unsigned)rc->driver >= REFCLOCK_COUNT)
		return NULL;
	if (!has_device(rc->driver))
		return rc->device[0] ? _("is not used by the shm driver, which is named by its unit "
		                         "(0-3)")
		                     : NULL;
	if (!rc->device[0])
		return _("is missing; the pps, sock and phc drivers need the device's path "
		         "(/dev/pps0, /run/chrony.ttyS0.sock, /dev/ptp0)");
	return validate_path(rc->device);
}

static const char *unit_refusal(const struct refclock *rc)
{
	if (rc->driver == REFCLOCK_SHM)
		return rc->unit < 0 || rc->unit > REFCLOCK_SHM_UNIT_MAX
		           ? _("must be between 0 and 3 (the shared memory segments gpsd writes)")
		           : NULL;
	return rc->unit ? _("is only used by the shm driver; the device names this clock") : NULL;
}

static const char *refid_field_refusal(const struct refclock *rc)
{
	return rc->refid[0] ? refid_refusal(rc->refid) : NULL;
}

static const char *lock_refusal(const struct refclock *rc)
{
	const char *why;

	if (!rc->lock[0])
		return NULL;
	if (rc->driver != REFCLOCK_PPS)
		return _("only a pps refclock is locked to another one (it pairs the pulses with "
		         "that clock's time)");
	if ((why = refid_refusal(rc->lock)))
		return why;
	if (strcmp(rc->lock, rc->refid) == 0)
		return _("names this refclock itself; name the refid of the clock that numbers "
		         "the seconds");
	return NULL;
}

static const char *offset_refusal(const struct refclock *rc)
{
	return isfinite(rc->offset) && fabs(rc->offset) <= REFCLOCK_OFFSET_MAX
	           ? NULL
	           : _("must be between -60 and 60 (seconds)");
}

static const char *delay_refusal(const struct refclock *rc)
{
	return isfinite(rc->delay) && rc->delay >= 0.0 && rc->delay <= REFCLOCK_DELAY_MAX
	           ? NULL
	           : _("must be between 0 and 10 (seconds; 0: the daemon's default)");
}

static const char *poll_refusal(int v)
{
	return v == MODEL_POLL_UNSET || (v >= MODEL_POLL_MIN && v <= MODEL_POLL_MAX)
	           ? NULL
	           : _("must be between -7 and 24 (a power of 2 in seconds, as chrony takes it)");
}

static const char *poll_field_refusal(const struct refclock *rc)
{
	return poll_refusal(rc->poll);
}

static const char *dpoll_refusal(const struct refclock *rc)
{
	return poll_refusal(rc->dpoll);
}

static const struct field_rule field_rules[] = {
    {"driver", driver_refusal}, {"device", device_refusal}, {"unit", unit_refusal},
    {"refid", refid_field_refusal}, {"lock", lock_refusal}, {"offset", offset_refusal},
    {"delay", delay_refusal},   {"poll", poll_field_refusal}, {"dpoll", dpoll_refusal},
};

static int check_fields(const struct setup *s, const struct refclock *rc, const char *field,
                        struct errlist *errs)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(field_rules) / sizeof(field_rules[0]); i++) {
		const char *why = field_rules[i].refusal(rc);
		if (why) {
			refuse(s, rc->line, errs, field, field_rules[i].key, why);
			bad = -1;
		}
	}
	return bad;
}

int refclock_add(struct setup *s, const struct refclock *rc, const char *field,
                 struct errlist *errs)
{
	char where[MODEL_PATH_MAX + 16];

	if (s->refclocks.n >= MODEL_MAX_REFCLOCKS) {
		errlist_add(errs, ERR_ERROR, model_where(s, rc->line, where, sizeof(where)), "%s: %s",
		            field, _("too many reference clocks (at most 8)"));
		return -1;
	}
	if (check_fields(s, rc, field, errs) < 0)
		return -1;
	s->refclocks.v[s->refclocks.n++] = *rc;
	return 0;
}

int refclock_remove(struct setup *s, size_t index)
{
	if (index >= s->refclocks.n)
		return -1;
	memmove(&s->refclocks.v[index], &s->refclocks.v[index + 1],
	        (s->refclocks.n - index - 1) * sizeof(s->refclocks.v[0]));
	s->refclocks.n--;
	return 0;
}

static const struct refclock *find_refid(const struct setup *s, const char *refid)
{
	for (size_t i = 0; i < s->refclocks.n; i++)
		if (s->refclocks.v[i].refid[0] && strcmp(s->refclocks.v[i].refid, refid) == 0)
			return &s->refclocks.v[i];
	return NULL;
}

int refclock_check(const struct setup *s, struct errlist *errs)
{
	const struct setup_refclocks *r = &s->refclocks;
	char field[32];
	int bad = 0;

	if (r->n > MODEL_MAX_REFCLOCKS) {
		refuse(s, r->line, errs, "refclocks", "n", _("holds a value out of range"));
		return -1;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct refclock *rc = &r->v[i];

		snprintf(field, sizeof(field), "refclocks[%zu]", i);
		if (check_fields(s, rc, field, errs) < 0) {
			bad = -1;
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			const struct refclock *o = &r->v[j];
			if (rc->refid[0] && strcmp(rc->refid, o->refid) == 0) {
				refuse(s, rc->line, errs, field, "refid",
				       _("is used by another refclock; each needs its own"));
				bad = -1;
			}
			if (rc->driver == o->driver &&
			    (has_device(rc->driver) ? strcmp(rc->device, o->device) == 0
			                            : rc->unit == o->unit)) {
				refuse(s, rc->line, errs, field,
				       has_device(rc->driver) ? "device" : "unit",
				       _("is the same clock as another refclock"));
				bad = -1;
			}
		}
		if (rc->lock[0]) {
			const struct refclock *t = find_refid(s, rc->lock);
			if (!t) {
				refuse(s, rc->line, errs, field, "lock",
				       _("names no refclock; set that clock's refid to it"));
				bad = -1;
			} else if (t->driver == REFCLOCK_PPS) {
				refuse(s, rc->line, errs, field, "lock",
				       _("names another pps refclock, which gives no full time "
				         "either; lock to the clock that numbers the seconds (shm, "
				         "sock)"));
				bad = -1;
			}
		}
	}
	return bad;
}

static void put_num(char *buf, size_t size, double v)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v && (!strchr(buf, 'e') || prec == 17))
			break;
	}
}

void refclock_describe(const struct refclock *rc, char *buf, size_t size)
{
	char num[40];
	size_t o;

	if (has_device(rc->driver))
		o = (size_t)snprintf(buf, size, "%s %s", refclock_driver_name(rc->driver), rc->device);
	else
		o = (size_t)snprintf(buf, size, "%s %d", refclock_driver_name(rc->driver), rc->unit);
#define ADD(...)                                                                                   \
	do {                                                                                       \
		if (o < size)                                                                      \
			o += (size_t)snprintf(buf + o, size - o, __VA_ARGS__);                     \
	} while (0)
	if (rc->refid[0])
		ADD(" refid %s", rc->refid);
	if (rc->lock[0])
		ADD(" lock %s", rc->lock);
	if (rc->offset != 0.0) {
		put_num(num, sizeof(num), rc->offset);
		ADD(" offset %s", num);
	}
	if (rc->delay != 0.0) {
		put_num(num, sizeof(num), rc->delay);
		ADD(" delay %s", num);
	}
	if (rc->poll != MODEL_POLL_UNSET)
		ADD(" poll %d", rc->poll);
	if (rc->dpoll != MODEL_POLL_UNSET)
		ADD(" dpoll %d", rc->dpoll);
	if (rc->prefer)
		ADD(" prefer");
	if (rc->noselect)
		ADD(" noselect");
#undef ADD
}

/* ---- typed text (wizard, line mode) ---- */

static bool get_double(const char *w, double *v);

int refclock_parse_text(const char *text, struct refclock *rc, const char **why)
{
	char copy[MODEL_PATH_MAX + 256], *save = NULL, *w;
	int d;
	long v;

	refclock_init(rc);
	if (strlen(text) >= sizeof(copy)) {
		*why = _("is too long");
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s", text);
	w = strtok_r(copy, " \t", &save);
	if (!w || (d = refclock_driver_from_name(w)) < 0) {
		*why = _("starts with the driver: pps, shm, sock or phc");
		return -1;
	}
	rc->driver = (enum refclock_driver)d;
	w = strtok_r(NULL, " \t", &save);
	if (!w) {
		*why = has_device(rc->driver) ? _("needs the device after the driver (pps /dev/pps0)")
		                              : _("needs the unit after the driver (shm 0)");
		return -1;
	}
	if (has_device(rc->driver)) {
		if (strlen(w) >= sizeof(rc->device)) {
			*why = _("is too long");
			return -1;
		}
		snprintf(rc->device, sizeof(rc->device), "%s", w);
	} else {
		if (!import_long(w, 0, 1000, &v)) {
			*why = _("needs the unit after the driver (shm 0)");
			return -1;
		}
		rc->unit = (int)v;
	}
	while ((w = strtok_r(NULL, " \t", &save))) {
		char *val;
		double x;

		if (strcmp(w, "prefer") == 0) {
			rc->prefer = true;
			continue;
		}
		if (strcmp(w, "noselect") == 0) {
			rc->noselect = true;
			continue;
		}
		val = strtok_r(NULL, " \t", &save);
		if (!val) {
			*why = _("an option lacks its value (refid GPS, offset 0.5, poll 4)");
			return -1;
		}
		if (strcmp(w, "refid") == 0 || strcmp(w, "lock") == 0) {
			if (strlen(val) > MODEL_REFID_MAX) {
				*why = _("a reference ID is at most four characters");
				return -1;
			}
			snprintf(strcmp(w, "refid") == 0 ? rc->refid : rc->lock, MODEL_REFID_MAX + 1,
			         "%s", val);
		} else if ((strcmp(w, "offset") == 0 || strcmp(w, "delay") == 0) &&
		           get_double(val, &x)) {
			*(strcmp(w, "offset") == 0 ? &rc->offset : &rc->delay) = x;
		} else if ((strcmp(w, "poll") == 0 || strcmp(w, "dpoll") == 0) &&
		           import_long(val, -100, 100, &v)) {
			*(strcmp(w, "poll") == 0 ? &rc->poll : &rc->dpoll) = (int)v;
		} else {
			*why = _("knows only refid, lock, offset, delay, poll, dpoll, prefer and "
			         "noselect, each number written in full");
			return -1;
		}
	}
	return 0;
}

int refclock_set_text(struct setup *s, const char *text, struct errlist *errs)
{
	struct setup_refclocks keep = s->refclocks;
	char copy[MODEL_MAX_REFCLOCKS * (MODEL_PATH_MAX + 128)], *save = NULL, field[32];
	size_t i = 0;

	if (strlen(text) >= sizeof(copy)) {
		errlist_add(errs, ERR_ERROR, "", "refclocks: %s", _("is too long"));
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s", text);
	s->refclocks.n = 0;
	for (char *t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save), i++) {
		struct refclock rc;
		const char *why;

		while (*t == ' ' || *t == '\t')
			t++;
		if (!*t || strcmp(t, "none") == 0)
			continue;
		snprintf(field, sizeof(field), "refclocks[%zu]", i);
		if (refclock_parse_text(t, &rc, &why) < 0) {
			errlist_add(errs, ERR_ERROR, "", "%s: \"%s\" %s", field, t, why);
			s->refclocks = keep;
			return -1;
		}
		if (refclock_add(s, &rc, field, errs) < 0) {
			s->refclocks = keep;
			return -1;
		}
	}
	if (refclock_check(s, errs) < 0) {
		s->refclocks = keep;
		return -1;
	}
	s->refclocks.line = keep.line;
	return 0;
}

void refclock_get_text(const struct setup *s, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->refclocks.n && o < size; i++) {
		char one[MODEL_PATH_MAX + 128];
		refclock_describe(&s->refclocks.v[i], one, sizeof(one));
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "; " : "", one);
	}
}

/* ---- render ---- */

#define D(id) (1u << (id))

/* "/dev/ppsN" -> N (0-3, what ntp.org's driver 22 can be given), else -1 */
static int pps_unit(const char *device)
{
	long n;
	char *end;

	if (strncmp(device, "/dev/pps", 8) != 0 || device[8] < '0' || device[8] > '9')
		return -1;
	n = strtol(device + 8, &end, 10);
	return *end || n > REFCLOCK_SHM_UNIT_MAX ? -1 : (int)n;
}

static bool is_sock(const struct refclock *rc)
{
	return rc->driver == REFCLOCK_SOCK;
}
static bool is_phc(const struct refclock *rc)
{
	return rc->driver == REFCLOCK_PHC;
}
static bool delay_set(const struct refclock *rc)
{
	return rc->delay != 0.0;
}
static bool dpoll_set(const struct refclock *rc)
{
	return rc->dpoll != MODEL_POLL_UNSET;
}
static bool lock_set(const struct refclock *rc)
{
	return rc->lock[0] != '\0';
}
static bool pps_not_ppsN(const struct refclock *rc)
{
	return rc->driver == REFCLOCK_PPS && pps_unit(rc->device) < 0;
}

/* What a daemon cannot write, one row each (N_(); the daemon is named by
 * the caller). OpenNTPD and timesyncd refuse every refclock below. */
static const struct refusal_rule {
	const char *key;
	bool (*is_set)(const struct refclock *rc);
	unsigned cannot;
	const char *why;
} refusal_rules[] = {
    {"driver", is_sock, D(DAEMON_NTP) | D(DAEMON_NTPSEC),
     N_("the sock driver (gpsd's socket) is chrony's; use the shm driver, which gpsd also "
        "writes, or chrony")},
    {"driver", is_phc, D(DAEMON_NTP) | D(DAEMON_NTPSEC),
     N_("PTP hardware clocks (the phc driver) are read by chrony only; use chrony")},
    {"delay", delay_set, D(DAEMON_NTP) | D(DAEMON_NTPSEC),
     N_("this daemon has no delay for a reference clock (chrony's); leave delay out, or "
        "use noselect to keep a coarse clock out of the selection")},
    {"dpoll", dpoll_set, D(DAEMON_NTP) | D(DAEMON_NTPSEC),
     N_("dpoll is chrony's driver poll; this daemon reads a reference clock at its poll "
        "interval only; leave dpoll out")},
    {"lock", lock_set, D(DAEMON_NTP) | D(DAEMON_NTPSEC),
     N_("this daemon cannot lock a PPS to one clock: it uses the PPS while its prefer source "
        "is selected; leave lock out and set prefer on the clock that numbers the seconds")},
    {"device", pps_not_ppsN, D(DAEMON_NTP),
     N_("ntp.org's PPS driver (type 22) reads /dev/ppsN for unit N (0-3) and takes no other "
        "path; name the device /dev/pps0 to /dev/pps3 (a udev link works), or use chrony or "
        "ntpsec")},
};

static const char *whole_refusal(enum daemon_id d)
{
	switch (d) {
	case DAEMON_OPENNTPD:
		return N_("OpenNTPD reads reference clocks only as OpenBSD's kernel timedelta "
		          "sensors (its \"sensor\" directive), which it has no driver for on "
		          "Linux; use chrony, ntpsec or ntp");
	case DAEMON_TIMESYNCD:
		return N_("systemd-timesyncd is an SNTP client and reads no reference clock; use "
		          "chrony, ntpsec or ntp");
	default:
		return NULL;
	}
}

static int refuse_unwritable(const struct render_ctx *ctx, struct errlist *errs)
{
	const struct setup *s = ctx->setup;
	const struct backend *b = ctx->backend;
	const char *whole = whole_refusal(b->id);
	char where[MODEL_PATH_MAX + 16];
	int bad = 0;

	for (size_t i = 0; i < s->refclocks.n; i++) {
		const struct refclock *rc = &s->refclocks.v[i];

		model_where(s, rc->line, where, sizeof(where));
		if (whole) {
			/* TRANSLATORS: %1$zu is the refclock's index, %2$s the daemon, %3$s why */
			errlist_add(errs, ERR_ERROR, where, _("refclocks[%1$zu]: %2$s: %3$s"), i,
			            b->name, _(whole));
			bad = -1;
			continue;
		}
		for (size_t r = 0; r < sizeof(refusal_rules) / sizeof(refusal_rules[0]); r++) {
			const struct refusal_rule *k = &refusal_rules[r];
			if (!(k->cannot & D(b->id)) || !k->is_set(rc))
				continue;
			/* TRANSLATORS: %1$zu is the index, %2$s a key, %3$s the daemon, %4$s why */
			errlist_add(errs, ERR_ERROR, where, _("refclocks[%1$zu].%2$s: %3$s: %4$s"), i,
			            k->key, b->name, _(k->why));
			bad = -1;
		}
		if (rc->poll != MODEL_POLL_UNSET && (rc->poll < b->poll_min || rc->poll > b->poll_max)) {
			errlist_add(errs, ERR_ERROR, where,
			            _("refclocks[%1$zu].poll: %2$s: takes a poll between %3$d and "
			              "%4$d"),
			            i, b->name, b->poll_min, b->poll_max);
			bad = -1;
		}
	}
	return bad;
}

bool refclock_pps_trap(const struct setup *s, enum daemon_id d, size_t *index, bool *ntpd_prefer,
                       char *msg, size_t size)
{
	bool ntpd = d == DAEMON_NTP || d == DAEMON_NTPSEC;
	bool other = model_source_count(s) > 0, prefer = false;

	for (size_t i = 0; i < s->nservers; i++)
		prefer |= s->servers[i].prefer;
	for (size_t i = 0; i < s->refclocks.n; i++) {
		const struct refclock *rc = &s->refclocks.v[i];
		other |= rc->driver != REFCLOCK_PPS && !rc->noselect;
		prefer |= rc->driver != REFCLOCK_PPS && rc->prefer;
	}
	*ntpd_prefer = false;
	for (; *index < s->refclocks.n; (*index)++) {
		const struct refclock *rc = &s->refclocks.v[*index];

		if (rc->driver != REFCLOCK_PPS || rc->lock[0])
			continue;
		if (!other) {
			snprintf(msg, size, "%s",
			         _("a PPS marks the start of each second but not which second it "
			           "is, and nothing else here tells: add the clock that numbers the "
			           "seconds (lock = its refid) or a server"));
			return true;
		}
		/* NTPsec: prefer on the PPS itself uses it with any source */
		if (ntpd && !prefer && !(d == DAEMON_NTPSEC && rc->prefer)) {
			*ntpd_prefer = true;
			snprintf(msg, size,
			         _("%s uses a PPS only while its prefer source is selected, and no "
			           "source has prefer: set prefer on the clock or server that numbers "
			           "the seconds"),
			         model_daemon_name(d));
			return true;
		}
	}
	return false;
}

/* Warnings: a device that is not (yet) there, and the PPS trap. */
static void warn(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	const struct setup *s = ctx->setup;

	for (size_t i = 0; i < s->refclocks.n; i++) {
		const struct refclock *rc = &s->refclocks.v[i];
		struct sysops_stat st;
		char comment[MODEL_PATH_MAX + 128];

		if ((rc->driver == REFCLOCK_PPS || rc->driver == REFCLOCK_PHC) &&
		    sysops_stat_root(rc->device, &st) == 0 && !st.exists) {
			snprintf(comment, sizeof(comment),
			         "refclocks[%zu]: %s does not exist here yet; the daemon opens it "
			         "when it starts.",
			         i, rc->device);
			backend_warn(ctx, rc->line, out, errs, comment,
			             _("refclocks[%zu].device: %s does not exist under the root in "
			               "use; the daemon opens it when it starts, so make sure it "
			               "appears at boot (the PPS or PTP driver, a udev link)"),
			             i, rc->device);
		}
	}
	for (size_t i = 0; i < s->refclocks.n; i++) {
		bool ntpd_prefer;
		char msg[512];

		if (!refclock_pps_trap(s, ctx->backend->id, &i, &ntpd_prefer, msg, sizeof(msg)))
			break;
		backend_warn(ctx, s->refclocks.v[i].line, out, errs,
		             ntpd_prefer ? "ntpd uses this PPS only while a prefer source is selected."
		                         : "A PPS gives no full time: no other source numbers its seconds.",
		             "refclocks[%zu]: %s", i, msg);
	}
}

static void put_chrony(const struct refclock *rc, struct strbuf *out)
{
	strbuf_printf(out, "refclock %s ", chrony_names[rc->driver]);
	if (has_device(rc->driver))
		strbuf_puts(out, rc->device);
	else
		strbuf_printf(out, "%d", rc->unit);
	if (rc->poll != MODEL_POLL_UNSET)
		strbuf_printf(out, " poll %d", rc->poll);
	if (rc->dpoll != MODEL_POLL_UNSET)
		strbuf_printf(out, " dpoll %d", rc->dpoll);
	if (rc->refid[0])
		strbuf_printf(out, " refid %s", rc->refid);
	if (rc->lock[0])
		strbuf_printf(out, " lock %s", rc->lock);
	if (rc->offset != 0.0) {
		strbuf_puts(out, " offset ");
		backend_put_number(out, rc->offset);
	}
	if (rc->delay != 0.0) {
		strbuf_puts(out, " delay ");
		backend_put_number(out, rc->delay);
	}
	if (rc->prefer)
		strbuf_puts(out, " prefer");
	if (rc->noselect)
		strbuf_puts(out, " noselect");
	strbuf_putc(out, '\n');
}

/* NTPsec's unit for a PPS: N of /dev/ppsN, else the lowest unit no other
 * PPS refclock has (ppspath names the device). */
static int ntpsec_pps_unit(const struct setup *s, size_t index)
{
	const struct refclock *rc = &s->refclocks.v[index];
	int u = pps_unit(rc->device);

	if (u >= 0)
		return u;
	for (u = 0;; u++) {
		bool used = false;
		for (size_t j = 0; j < s->refclocks.n; j++) {
			const struct refclock *o = &s->refclocks.v[j];
			if (o->driver != REFCLOCK_PPS || j == index)
				continue;
			used |= pps_unit(o->device) == u ||
			        (j < index && pps_unit(o->device) < 0 && ntpsec_pps_unit(s, j) == u);
		}
		if (!used)
			return u;
	}
}

static void put_ntpsec(const struct setup *s, size_t i, struct strbuf *out)
{
	const struct refclock *rc = &s->refclocks.v[i];

	if (rc->driver == REFCLOCK_SHM)
		strbuf_printf(out, "refclock shm unit %d", rc->unit);
	else
		strbuf_printf(out, "refclock pps unit %d ppspath %s", ntpsec_pps_unit(s, i),
		              rc->device);
	if (rc->poll != MODEL_POLL_UNSET)
		strbuf_printf(out, " minpoll %d maxpoll %d", rc->poll, rc->poll);
	if (rc->refid[0])
		strbuf_printf(out, " refid %s", rc->refid);
	if (rc->offset != 0.0) {
		strbuf_puts(out, " time1 ");
		backend_put_number(out, rc->offset);
	}
	if (rc->prefer)
		strbuf_puts(out, " prefer");
	if (rc->noselect)
		strbuf_puts(out, " noselect");
	strbuf_putc(out, '\n');
}

static void put_ntp(const struct refclock *rc, struct strbuf *out)
{
	int type = rc->driver == REFCLOCK_SHM ? 28 : 22;
	int unit = rc->driver == REFCLOCK_SHM ? rc->unit : pps_unit(rc->device);

	strbuf_printf(out, "server 127.127.%d.%d", type, unit);
	if (rc->poll != MODEL_POLL_UNSET)
		strbuf_printf(out, " minpoll %d maxpoll %d", rc->poll, rc->poll);
	if (rc->prefer)
		strbuf_puts(out, " prefer");
	if (rc->noselect)
		strbuf_puts(out, " noselect");
	strbuf_putc(out, '\n');
	if (!rc->refid[0] && rc->offset == 0.0)
		return;
	strbuf_printf(out, "fudge 127.127.%d.%d", type, unit);
	if (rc->refid[0])
		strbuf_printf(out, " refid %s", rc->refid);
	if (rc->offset != 0.0) {
		strbuf_puts(out, " time1 ");
		backend_put_number(out, rc->offset);
	}
	strbuf_putc(out, '\n');
}

int refclock_render(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs)
{
	const struct setup *s = ctx->setup;

	if (!s->refclocks.n)
		return 0;
	if (refuse_unwritable(ctx, errs) < 0)
		return -1;
	strbuf_puts(out, "\n# Reference clocks (the profile's refclocks)\n");
	warn(ctx, out, errs);
	for (size_t i = 0; i < s->refclocks.n; i++) {
		switch (ctx->backend->id) {
		case DAEMON_CHRONY:
			put_chrony(&s->refclocks.v[i], out);
			break;
		case DAEMON_NTPSEC:
			put_ntpsec(s, i, out);
			break;
		case DAEMON_NTP:
			put_ntp(&s->refclocks.v[i], out);
			break;
		default:
			return -1; /* refused above */
		}
	}
	return 0;
}

/* ---- import ---- */

static bool get_double(const char *w, double *v)
{
	char *end;

	if (!w || !*w)
		return false;
	*v = strtod(w, &end);
	return !*end && isfinite(*v);
}

static void add_imported(struct setup *s, struct refclock *rc, const struct import_line *l,
                         struct import_notes *n, struct errlist *scratch)
{
	rc->line = l->line;
	if (refclock_add(s, rc, "refclock", scratch) < 0)
		import_note_refused(n, l, scratch);
}

/* chrony's options that take a value and that ntpwiz does not write */
static const char *const chrony_valued[] = {
    "rate",   "maxlockage", "width",      "stratum",    "precision", "maxdispersion",
    "filter", "minsamples", "maxsamples", NULL,
};

static bool in_list(const char *const *list, const char *w)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], w) == 0)
			return true;
	return false;
}

bool refclock_import_chrony(struct setup *s, const struct import_line *l, struct import_notes *n,
                            struct errlist *scratch)
{
	struct refclock rc;
	char param[MODEL_PATH_MAX];
	int d = -1;
	long v;

	if (strcmp(l->words[0], "refclock") != 0)
		return false;
	for (int i = 0; i < REFCLOCK_COUNT && l->nwords > 1; i++)
		if (strcmp(l->words[1], chrony_names[i]) == 0)
			d = i;
	if (d < 0 || l->nwords < 3) {
		import_note(n, l,
		            _("ntpwiz writes chrony's PPS, SHM, SOCK and PHC refclocks only (with "
		              "their parameter)"));
		return true;
	}
	refclock_init(&rc);
	rc.driver = (enum refclock_driver)d;
	snprintf(param, sizeof(param), "%s", l->words[2]);
	if (strchr(param, ':')) {
		import_note_option(n, l, strchr(l->words[2], ':'), NULL,
		                   _("ntpwiz does not write a driver's own options"));
		*strchr(param, ':') = '\0';
	}
	if (rc.driver == REFCLOCK_SHM) {
		if (!import_long(param, 0, 1000, &v)) {
			import_note(n, l, _("the SHM driver's parameter is a segment number"));
			return true;
		}
		rc.unit = (int)v;
	} else {
		snprintf(rc.device, sizeof(rc.device), "%s", param);
	}
	for (size_t i = 3; i < l->nwords; i++) {
		const char *w = l->words[i], *val = i + 1 < l->nwords ? l->words[i + 1] : NULL;
		double x;

		if (strcmp(w, "prefer") == 0) {
			rc.prefer = true;
		} else if (strcmp(w, "noselect") == 0) {
			rc.noselect = true;
		} else if ((strcmp(w, "poll") == 0 || strcmp(w, "dpoll") == 0) && val &&
		           import_long(val, -100, 100, &v)) {
			*(strcmp(w, "poll") == 0 ? &rc.poll : &rc.dpoll) = (int)v;
			i++;
		} else if ((strcmp(w, "refid") == 0 || strcmp(w, "lock") == 0) && val) {
			char *dst = strcmp(w, "refid") == 0 ? rc.refid : rc.lock;
			if (strlen(val) > MODEL_REFID_MAX)
				import_note_option(n, l, w, val, _("a reference ID is at most four "
				                                   "characters"));
			else
				snprintf(dst, MODEL_REFID_MAX + 1, "%s", val);
			i++;
		} else if ((strcmp(w, "offset") == 0 || strcmp(w, "delay") == 0) && val &&
		           get_double(val, &x)) {
			*(strcmp(w, "offset") == 0 ? &rc.offset : &rc.delay) = x;
			i++;
		} else if (in_list(chrony_valued, w)) {
			import_note_option(n, l, w, val, _("ntpwiz does not write this refclock option"));
			i += val != NULL;
		} else {
			import_note_option(n, l, w, NULL, _("ntpwiz does not write this refclock option"));
		}
	}
	add_imported(s, &rc, l, n, scratch);
	return true;
}

/* NTPsec's refclock options that take a value and that ntpwiz does not
 * write (ntp.conf(5), "refclock"). */
static const char *const ntpsec_valued[] = {
    "subtype", "mode", "time2", "stratum", "path", "baud", "flag1", "flag2", "flag3", "flag4",
    NULL,
};

bool refclock_import_ntpsec(struct setup *s, const struct import_line *l, struct import_notes *n,
                            struct errlist *scratch)
{
	struct refclock rc;
	long v, minpoll = MODEL_POLL_UNSET, maxpoll = MODEL_POLL_UNSET;
	char ppspath[MODEL_PATH_MAX] = "";

	if (strcmp(l->words[0], "refclock") != 0 || l->nwords < 2 ||
	    (strcmp(l->words[1], "shm") != 0 && strcmp(l->words[1], "pps") != 0))
		return false;
	refclock_init(&rc);
	rc.driver = strcmp(l->words[1], "shm") == 0 ? REFCLOCK_SHM : REFCLOCK_PPS;
	for (size_t i = 2; i < l->nwords; i++) {
		const char *w = l->words[i], *val = i + 1 < l->nwords ? l->words[i + 1] : NULL;
		double x;

		if (strcmp(w, "prefer") == 0) {
			rc.prefer = true;
		} else if (strcmp(w, "noselect") == 0) {
			rc.noselect = true;
		} else if (strcmp(w, "unit") == 0 && val && import_long(val, 0, 1000, &v)) {
			rc.unit = (int)v;
			i++;
		} else if ((strcmp(w, "minpoll") == 0 || strcmp(w, "maxpoll") == 0) && val &&
		           import_long(val, -100, 100, &v)) {
			*(strcmp(w, "minpoll") == 0 ? &minpoll : &maxpoll) = v;
			i++;
		} else if (strcmp(w, "refid") == 0 && val) {
			if (strlen(val) > MODEL_REFID_MAX)
				import_note_option(n, l, w, val, _("a reference ID is at most four "
				                                   "characters"));
			else
				snprintf(rc.refid, sizeof(rc.refid), "%s", val);
			i++;
		} else if (strcmp(w, "time1") == 0 && val && get_double(val, &x)) {
			rc.offset = x;
			i++;
		} else if (strcmp(w, "ppspath") == 0 && val && rc.driver == REFCLOCK_PPS) {
			snprintf(ppspath, sizeof(ppspath), "%s", val);
			i++;
		} else if (in_list(ntpsec_valued, w)) {
			import_note_option(n, l, w, val,
			                   strcmp(w, "path") == 0 && rc.driver == REFCLOCK_PPS
			                       ? _("NTPsec's pps driver reads ppspath (or "
			                           "/dev/ppsUNIT), not path")
			                       : _("ntpwiz does not write this refclock option"));
			i += val != NULL;
		} else {
			import_note_option(n, l, w, NULL, _("ntpwiz does not write this refclock option"));
		}
	}
	if (minpoll != MODEL_POLL_UNSET || maxpoll != MODEL_POLL_UNSET) {
		rc.poll = (int)(minpoll != MODEL_POLL_UNSET ? minpoll : maxpoll);
		if (minpoll != maxpoll)
			import_note_option(n, l, "maxpoll", NULL,
			                   _("ntpwiz writes one poll for a reference clock (minpoll = "
			                     "maxpoll = refclocks[].poll)"));
	}
	if (rc.driver == REFCLOCK_PPS) {
		if (ppspath[0])
			snprintf(rc.device, sizeof(rc.device), "%s", ppspath);
		else
			snprintf(rc.device, sizeof(rc.device), "/dev/pps%d", rc.unit);
		rc.unit = 0;
	}
	add_imported(s, &rc, l, n, scratch);
	return true;
}

/* "127.127.T.U" -> T and U */
static bool clock_address(const char *w, int *type, int *unit)
{
	char tail;

	return w && sscanf(w, "127.127.%d.%d%c", type, unit, &tail) == 2 && *type >= 0 && *unit >= 0 &&
	       *unit < 256;
}

bool refclock_import_ntp_server(struct setup *s, const struct import_line *l, size_t host,
                                struct import_notes *n, struct errlist *scratch)
{
	struct refclock rc;
	int type, unit;
	long v, minpoll = MODEL_POLL_UNSET, maxpoll = MODEL_POLL_UNSET;

	if (host >= l->nwords || !clock_address(l->words[host], &type, &unit) ||
	    (type != 28 && type != 22))
		return false;
	refclock_init(&rc);
	if (type == 28) {
		rc.driver = REFCLOCK_SHM;
		rc.unit = unit;
	} else {
		rc.driver = REFCLOCK_PPS;
		snprintf(rc.device, sizeof(rc.device), "/dev/pps%d", unit);
	}
	for (size_t i = host + 1; i < l->nwords; i++) {
		const char *w = l->words[i], *val = i + 1 < l->nwords ? l->words[i + 1] : NULL;

		if (strcmp(w, "prefer") == 0) {
			rc.prefer = true;
		} else if (strcmp(w, "noselect") == 0) {
			rc.noselect = true;
		} else if ((strcmp(w, "minpoll") == 0 || strcmp(w, "maxpoll") == 0) && val &&
		           import_long(val, -100, 100, &v)) {
			*(strcmp(w, "minpoll") == 0 ? &minpoll : &maxpoll) = v;
			i++;
		} else if (strcmp(w, "mode") == 0 || strcmp(w, "version") == 0 ||
		           strcmp(w, "key") == 0 || strcmp(w, "ttl") == 0) {
			import_note_option(n, l, w, val, _("ntpwiz does not write this option for a "
			                                   "reference clock"));
			i += val != NULL;
		} else {
			import_note_option(n, l, w, NULL,
			                   _("ntpwiz does not write this option for a reference clock"));
		}
	}
	if (minpoll != MODEL_POLL_UNSET || maxpoll != MODEL_POLL_UNSET) {
		rc.poll = (int)(minpoll != MODEL_POLL_UNSET ? minpoll : maxpoll);
		if (minpoll != maxpoll)
			import_note_option(n, l, "maxpoll", NULL,
			                   _("ntpwiz writes one poll for a reference clock (minpoll = "
			                     "maxpoll = refclocks[].poll)"));
	}
	add_imported(s, &rc, l, n, scratch);
	return true;
}

bool refclock_import_fudge(struct setup *s, const struct import_line *l, struct import_notes *n,
                           struct errlist *scratch)
{
	struct refclock *rc = NULL;
	int type, unit;
	char dev[32];

	(void)scratch;
	if (strcmp(l->words[0], "fudge") != 0 || l->nwords < 2 ||
	    !clock_address(l->words[1], &type, &unit) || (type != 28 && type != 22))
		return false;
	snprintf(dev, sizeof(dev), "/dev/pps%d", unit);
	for (size_t i = 0; i < s->refclocks.n; i++) {
		struct refclock *c = &s->refclocks.v[i];
		if ((type == 28 && c->driver == REFCLOCK_SHM && c->unit == unit) ||
		    (type == 22 && c->driver == REFCLOCK_PPS && strcmp(c->device, dev) == 0))
			rc = c;
	}
	if (!rc) {
		import_note(n, l, _("no server line above configures this reference clock"));
		return true;
	}
	for (size_t i = 2; i < l->nwords; i++) {
		const char *w = l->words[i], *val = i + 1 < l->nwords ? l->words[i + 1] : NULL;
		double x;

		if (strcmp(w, "refid") == 0 && val && !refid_refusal(val)) {
			snprintf(rc->refid, sizeof(rc->refid), "%s", val);
			i++;
		} else if (strcmp(w, "time1") == 0 && val && get_double(val, &x) &&
		           fabs(x) <= REFCLOCK_OFFSET_MAX) {
			rc->offset = x;
			i++;
		} else {
			import_note_option(n, l, w, val, _("ntpwiz does not write this fudge option"));
			i += val != NULL;
		}
	}
	return true;
}

void refclock_import_settle(struct setup *s, struct import_notes *n)
{
	for (size_t i = 0; i < s->refclocks.n; i++) {
		struct refclock *rc = &s->refclocks.v[i];
		char text[64];

		if (!rc->lock[0] || (find_refid(s, rc->lock) &&
		                     find_refid(s, rc->lock)->driver != REFCLOCK_PPS))
			continue;
		snprintf(text, sizeof(text), "lock %s", rc->lock);
		import_note_text(n, rc->line, text,
		                 _("this lock names no refclock ntpwiz carries; the PPS is "
		                   "written without it"));
		rc->lock[0] = '\0';
	}
	/* the same refid twice, or the same clock twice: the later one goes */
	for (size_t i = 1; i < s->refclocks.n; i++) {
		const struct refclock *rc = &s->refclocks.v[i];
		bool dup = false;

		for (size_t j = 0; j < i; j++) {
			const struct refclock *o = &s->refclocks.v[j];
			dup |= rc->refid[0] && strcmp(rc->refid, o->refid) == 0;
			dup |= rc->driver == o->driver && (has_device(rc->driver)
			                                       ? strcmp(rc->device, o->device) == 0
			                                       : rc->unit == o->unit);
		}
		if (!dup)
			continue;
		import_note_text(n, rc->line, refclock_driver_name(rc->driver),
		                 _("the same clock or reference ID as a refclock above; only the "
		                   "first is carried"));
		refclock_remove(s, i);
		i--;
	}
}
