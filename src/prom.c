/*
 * prom: the monitor snapshot as Prometheus metrics (see prom.h). One table
 * of metric families; each family is written whole (HELP, TYPE, then its
 * samples) as the exposition format requires. All values are gauges.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "model.h"
#include "peers.h"
#include "prom.h"
#include "strbuf.h"

/* A source whose per-source series are written: parsed, not a pool entry
 * (ntpd's "p" rows stand for the pool, not a server), and the first row
 * with its name (a duplicate label set would make the collector refuse
 * the whole file). */
static bool source_listed(const struct peers_snapshot *s, size_t i)
{
	const struct peer_row *r = &s->rows[i];

	if (r->flag_unparsed || r->cls == PEER_POOL || !r->remote[0])
		return false;
	for (size_t j = 0; j < i; j++)
		if (!s->rows[j].flag_unparsed && s->rows[j].cls != PEER_POOL &&
		    strcmp(s->rows[j].remote, r->remote) == 0)
			return false;
	return true;
}

/* Reachable: the reach register has a reply in it; tools without one
 * (ntpctl, timedatectl) count a source with a current offset. */
static bool source_reachable(const struct peer_row *r)
{
	return r->reach >= 0 ? r->reach > 0 : isfinite(r->offset_ms);
}

/* label="value" with \, " and newline escaped */
static void label(struct strbuf *o, bool first, const char *name, const char *value)
{
	strbuf_printf(o, "%s%s=\"", first ? "" : ",", name);
	for (const char *p = value; *p; p++) {
		if (*p == '\\' || *p == '"')
			strbuf_putc(o, '\\');
		if (*p == '\n')
			strbuf_puts(o, "\\n");
		else
			strbuf_putc(o, *p);
	}
	strbuf_putc(o, '"');
}

static void value(struct strbuf *o, double v)
{
	/* whole numbers (timestamps, counts) exactly; the rest to 9 digits */
	if (v == floor(v) && fabs(v) < 1e15)
		strbuf_printf(o, " %.0f\n", v);
	else
		strbuf_printf(o, " %.9g\n", v);
}

struct ctx {
	const struct peers_snapshot *s;
	const char *chosen;
	bool up;
};

/* Each writer appends its family's samples, or none: a family without
 * samples is left out entirely (no HELP or TYPE either). */
typedef void writer(const struct ctx *c, const char *name, struct strbuf *o);

static void sample(struct strbuf *o, const char *name, double v)
{
	strbuf_puts(o, name);
	value(o, v);
}

static void w_up(const struct ctx *c, const char *name, struct strbuf *o)
{
	strbuf_puts(o, name);
	strbuf_putc(o, '{');
	label(o, true, "daemon", c->s->backend->name);
	strbuf_putc(o, '}');
	value(o, c->up ? 1 : 0);
}

static void w_info(const struct ctx *c, const char *name, struct strbuf *o)
{
	const char *tool = c->s->command;
	char first[64];

	snprintf(first, sizeof(first), "%.*s", (int)strcspn(tool, " "), tool);
	strbuf_puts(o, name);
	strbuf_putc(o, '{');
	label(o, true, "daemon", c->s->backend->name);
	label(o, false, "chosen", c->chosen);
	label(o, false, "tool", first);
	label(o, false, "state", peers_state_name(c->s->state));
	strbuf_putc(o, '}');
	value(o, 1);
}

static void w_taken(const struct ctx *c, const char *name, struct strbuf *o)
{
	if (c->s->taken > 0)
		sample(o, name, (double)c->s->taken);
}

static void w_sync(const struct ctx *c, const char *name, struct strbuf *o)
{
	if (c->up)
		sample(o, name, peers_synchronised(c->s) ? 1 : 0);
}

static void w_stratum(const struct ctx *c, const char *name, struct strbuf *o)
{
	/* a daemon is never stratum 0 itself: chronyd says 0 with no reference */
	if (c->up && c->s->status.stratum >= 1 && c->s->status.stratum <= 16)
		sample(o, name, c->s->status.stratum);
}

/* Before it follows a source, a daemon's offset is not a measurement. */
static void w_offset(const struct ctx *c, const char *name, struct strbuf *o)
{
	if (c->up && peers_synchronised(c->s) && isfinite(c->s->status.offset_s))
		sample(o, name, c->s->status.offset_s);
}

/* chronyd reports a root delay and dispersion of 1 s before it has a
 * reference: placeholders, not figures. */
static void w_status_double(struct strbuf *o, const struct ctx *c, const char *name, double v)
{
	if (c->up && peers_synchronised(c->s) && isfinite(v))
		sample(o, name, v);
}

static void w_distance(const struct ctx *c, const char *name, struct strbuf *o)
{
	w_status_double(o, c, name, c->s->status.root_distance_s);
}

static void w_delay(const struct ctx *c, const char *name, struct strbuf *o)
{
	w_status_double(o, c, name, c->s->status.root_delay_s);
}

static void w_dispersion(const struct ctx *c, const char *name, struct strbuf *o)
{
	w_status_double(o, c, name, c->s->status.root_dispersion_s);
}

/* A state set: one series per leap state, 1 for the daemon's. */
static void w_leap(const struct ctx *c, const char *name, struct strbuf *o)
{
	static const enum peers_leap states[] = {PEERS_LEAP_NONE, PEERS_LEAP_INSERT,
	                                         PEERS_LEAP_DELETE, PEERS_LEAP_ALARM};

	if (!c->up || c->s->status.leap == PEERS_LEAP_UNKNOWN)
		return;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		strbuf_puts(o, name);
		strbuf_putc(o, '{');
		label(o, true, "status", peers_leap_name(states[i]));
		strbuf_putc(o, '}');
		value(o, c->s->status.leap == states[i] ? 1 : 0);
	}
}

static void w_updated(const struct ctx *c, const char *name, struct strbuf *o)
{
	if (c->up && c->s->status.last_update > 0)
		sample(o, name, (double)c->s->status.last_update);
}

/* The selected source as a label: the row the daemon marks, else the
 * reference it reports while synchronised. */
static void w_selected(const struct ctx *c, const char *name, struct strbuf *o)
{
	const struct peer_row *sel = NULL;
	const char *source = NULL;

	if (!c->up)
		return;
	for (size_t i = 0; i < c->s->nrows && !sel; i++)
		if (!c->s->rows[i].flag_unparsed && c->s->rows[i].cls == PEER_SELECTED)
			sel = &c->s->rows[i];
	if (sel)
		source = sel->remote;
	else if (peers_synchronised(c->s) && c->s->status.reference[0])
		source = c->s->status.reference;
	if (!source)
		return;
	strbuf_puts(o, name);
	strbuf_putc(o, '{');
	label(o, true, "source", source);
	label(o, false, "name", sel ? sel->name : "");
	label(o, false, "reference", c->s->status.reference);
	strbuf_putc(o, '}');
	value(o, 1);
}

static void w_sources(const struct ctx *c, const char *name, struct strbuf *o)
{
	size_t n[PEER_CLASS_COUNT] = {0};

	if (!c->up)
		return;
	for (size_t i = 0; i < c->s->nrows; i++)
		if (!c->s->rows[i].flag_unparsed)
			n[c->s->rows[i].cls]++;
	for (int k = 0; k < PEER_CLASS_COUNT; k++) {
		strbuf_puts(o, name);
		strbuf_putc(o, '{');
		label(o, true, "class", peers_class_name((enum peer_class)k));
		strbuf_putc(o, '}');
		value(o, (double)n[k]);
	}
}

static void w_reachable(const struct ctx *c, const char *name, struct strbuf *o)
{
	size_t n = 0;

	if (!c->up)
		return;
	for (size_t i = 0; i < c->s->nrows; i++)
		if (source_listed(c->s, i) && source_reachable(&c->s->rows[i]))
			n++;
	sample(o, name, (double)n);
}

static void w_unparsed(const struct ctx *c, const char *name, struct strbuf *o)
{
	if (c->up)
		sample(o, name, (double)c->s->unparsed);
}

/* Per source: what one row says, NAN where it says nothing. */
typedef double row_value(const struct peer_row *r, const struct ctx *c);

/* Source offsets in NTP's sign (positive: the local clock is behind the
 * source), as ntpq, ntpctl and timedatectl print them. chronyc prints the
 * opposite: with a server 0.3 s ahead, chronyc -c sources said -0.29998
 * while tracking's "System time" said 0.29997 (slow); measured with
 * chrony 4.3 and tests/lib/ntp-responder.py --offset 0.3. */
static const double offset_sign[DAEMON_COUNT] = {
    [DAEMON_NTP] = 1,      [DAEMON_NTPSEC] = 1,    [DAEMON_CHRONY] = -1,
    [DAEMON_OPENNTPD] = 1, [DAEMON_TIMESYNCD] = 1,
};

static double rv_info(const struct peer_row *r, const struct ctx *c)
{
	(void)r;
	(void)c;
	return 1;
}
static double rv_stratum(const struct peer_row *r, const struct ctx *c)
{
	(void)c;
	return r->stratum >= 0 && r->stratum <= 16 ? r->stratum : NAN;
}
static double rv_reach(const struct peer_row *r, const struct ctx *c)
{
	(void)c;
	return r->reach >= 0 ? r->reach : NAN;
}
static double rv_reachable(const struct peer_row *r, const struct ctx *c)
{
	(void)c;
	return source_reachable(r) ? 1 : 0;
}
static double rv_offset(const struct peer_row *r, const struct ctx *c)
{
	return offset_sign[c->s->backend->id] * r->offset_ms / 1000.0;
}
static double rv_delay(const struct peer_row *r, const struct ctx *c)
{
	(void)c;
	return r->delay_ms / 1000.0;
}
static double rv_jitter(const struct peer_row *r, const struct ctx *c)
{
	(void)c;
	return r->jitter_ms / 1000.0;
}
static double rv_poll(const struct peer_row *r, const struct ctx *c)
{
	(void)c;
	return r->poll_s >= 0 ? r->poll_s : NAN;
}
static double rv_when(const struct peer_row *r, const struct ctx *c)
{
	(void)c;
	return r->when_s >= 0 ? r->when_s : NAN;
}

static const struct row_family {
	const char *name;
	const char *help;
	row_value *get;
	bool info;     /* the source's class and name as labels */
	bool measured; /* only for a source that answers: the tools print
	                  0 for one that never did */
} row_families[] = {
    {"ntpwiz_source_info",
     "A time source the daemon lists, with its state (class: selected, candidate, spare, "
     "falseticker, rejected) and configured name; always 1.",
     rv_info, true, false},
    {"ntpwiz_source_reachable", "1 when the source answers (its reach register is not 0), else 0.",
     rv_reachable, false, false},
    {"ntpwiz_source_reach",
     "The source's 8-bit reach register (377 octal = 255: the last 8 polls answered).", rv_reach,
     false, false},
    {"ntpwiz_source_stratum", "The source's stratum.", rv_stratum, false, false},
    {"ntpwiz_source_offset_seconds",
     "The source's offset as the daemon measured it (positive: the local clock is behind).",
     rv_offset, false, true},
    {"ntpwiz_source_delay_seconds", "The round-trip delay to the source.", rv_delay, false, true},
    {"ntpwiz_source_jitter_seconds", "The source's jitter.", rv_jitter, false, true},
    {"ntpwiz_source_poll_seconds", "The interval between polls of the source.", rv_poll, false,
     false},
    {"ntpwiz_source_last_reply_age_seconds",
     "Seconds since the source's last reply when ntpwiz asked.", rv_when, false, false},
};

static void row_family(const struct ctx *c, const struct row_family *f, struct strbuf *body)
{
	for (size_t i = 0; c->up && i < c->s->nrows; i++) {
		const struct peer_row *r = &c->s->rows[i];
		double v;

		if (!source_listed(c->s, i) || (f->measured && !source_reachable(r)))
			continue;
		v = f->get(r, c);
		if (!isfinite(v))
			continue;
		strbuf_puts(body, f->name);
		strbuf_putc(body, '{');
		label(body, true, "source", r->remote);
		if (f->info) {
			label(body, false, "name", r->name);
			label(body, false, "class", peers_class_name(r->cls));
		}
		strbuf_putc(body, '}');
		value(body, v);
	}
}

static const struct family {
	const char *name;
	const char *help;
	writer *write;
} families[] = {
    {"ntpwiz_daemon_up",
     "1 when the time daemon answered its monitoring tool, 0 when it did not (not running, "
     "tool missing, timed out, refused, unreadable answer).",
     w_up},
    {"ntpwiz_daemon_info",
     "The daemon watched, why (chosen: option, running, configured, default), its monitoring "
     "tool and what asking it gave (state: ok, not-running, no-command, timeout, "
     "permission-denied, failed, unparseable); always 1.",
     w_info},
    {"ntpwiz_monitor_timestamp_seconds", "Unix time at which ntpwiz got the daemon's answer.",
     w_taken},
    {"ntpwiz_synchronised", "1 when the daemon says the clock is synchronised to a source, else 0.",
     w_sync},
    {"ntpwiz_stratum", "The daemon's own stratum (16: unsynchronised).", w_stratum},
    {"ntpwiz_offset_seconds",
     "How far the system clock is behind the daemon's reference, as the daemon last estimated "
     "it (positive: slow); only while synchronised.",
     w_offset},
    {"ntpwiz_root_distance_seconds",
     "Root delay / 2 + root dispersion: the bound the daemon gives on the clock's error.",
     w_distance},
    {"ntpwiz_root_delay_seconds", "The round-trip delay to the primary reference.", w_delay},
    {"ntpwiz_root_dispersion_seconds", "The dispersion accumulated up to the primary reference.",
     w_dispersion},
    {"ntpwiz_leap_status",
     "The leap indicator the daemon has: 1 for its state (none, insert, delete, alarm = not "
     "synchronised), 0 for the others.",
     w_leap},
    {"ntpwiz_last_update_timestamp_seconds",
     "Unix time of the daemon's reference time (its last clock update); alert on time() minus "
     "this.",
     w_updated},
    {"ntpwiz_selected_source_info",
     "The source the daemon follows (source), its configured name and the daemon's reference "
     "id; always 1.",
     w_selected},
    {"ntpwiz_sources", "The daemon's time sources by state (class).", w_sources},
    {"ntpwiz_sources_reachable", "Time sources that answer (reach register not 0).", w_reachable},
    {"ntpwiz_monitor_unparsed_lines", "Lines of the tool's answer that ntpwiz could not read.",
     w_unparsed},
};

static void family_out(struct strbuf *out, const char *name, const char *help,
                       const struct strbuf *body)
{
	if (body->len == 0)
		return;
	strbuf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
	strbuf_append(out, strbuf_str(body), body->len);
}

void prom_format_monitor(const struct peers_snapshot *snap, const char *chosen, struct strbuf *out)
{
	struct ctx c = {snap, chosen, snap->state == PEERS_OK};
	struct strbuf body;

	strbuf_init(&body);
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		strbuf_reset(&body);
		families[i].write(&c, families[i].name, &body);
		family_out(out, families[i].name, families[i].help, &body);
	}
	for (size_t i = 0; i < sizeof(row_families) / sizeof(row_families[0]); i++) {
		strbuf_reset(&body);
		row_family(&c, &row_families[i], &body);
		family_out(out, row_families[i].name, row_families[i].help, &body);
	}
	strbuf_free(&body);
}
