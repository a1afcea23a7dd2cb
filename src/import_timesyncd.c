/*
 * import_timesyncd: one timesyncd.conf file (the main file or a drop-in)
 * into the model (see import.h). import_current() gives the files in
 * systemd's order; as in timesyncd, NTP= adds its servers to those listed
 * before it (a name only once) and an empty NTP= clears them.
 *
 * timesyncd has no kinds of source: a name under pool.ntp.org is taken as
 * a pool, anything else as a server. Its poll interval is one setting for
 * all servers (PollIntervalMinSec/MaxSec, seconds, a power of two to map
 * onto minpoll/maxpoll).
 *
 * Keys timesyncd reads (systemd's timesyncd-gperf.gperf): NTP=, its older
 * name Servers=, FallbackNTP=, RootDistanceMaxSec=, PollIntervalMinSec=,
 * PollIntervalMaxSec=, ConnectionRetrySec=, SaveIntervalSec=.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend.h"
#include "i18n.h"
#include "import.h"

struct ctx {
	struct setup *s;
	struct import_notes *notes;
	struct errlist scratch;
	bool in_time;
	int minpoll, maxpoll;
};

static bool is_pool_name(const char *h)
{
	static const char zone[] = "pool.ntp.org";
	size_t n = strlen(h), z = sizeof(zone) - 1;

	return n >= z && strcasecmp(h + n - z, zone) == 0 && (n == z || h[n - z - 1] == '.');
}

static void add_servers(struct ctx *c, const struct import_line *l, const char *value)
{
	char buf[1024], *save = NULL;

	if (!*value) {
		bool cleared = c->s->nservers > 0;
		c->s->nservers = 0;
		c->s->servers_set = false;
		/* ntpwiz's own drop-in (the file apply rewrites) starts with one on
		 * purpose: clearing the servers of earlier files is its job. */
		if (cleared && (c->notes->file_kept || !c->notes->file))
			import_note(
			    c->notes, l,
			    _("an empty NTP= clears every server listed before it, ntpwiz's "
			      "too when this file is read after ntpwiz's"));
		return;
	}
	snprintf(buf, sizeof(buf), "%s", value);
	if (strlen(value) >= sizeof(buf))
		import_note(c->notes, l, _("the line is too long; only its start is read"));
	for (char *h = strtok_r(buf, " \t", &save); h; h = strtok_r(NULL, " \t", &save)) {
		struct server srv;
		bool dup = false;

		for (size_t i = 0; i < c->s->nservers && !dup; i++)
			dup = strcasecmp(c->s->servers[i].host, h) == 0;
		if (dup)
			continue; /* timesyncd lists a name once */
		model_server_init(&srv);
		srv.line = l->line;
		srv.kind = is_pool_name(h) ? SERVER_KIND_POOL : SERVER_KIND_SERVER;
		srv.iburst = false; /* timesyncd has none: not the operator's */
		if (model_set_server_host(c->s, &srv, "NTP", h, &c->scratch) < 0 ||
		    model_add_server(c->s, &srv, "NTP", &c->scratch) < 0)
			import_note_refused(c->notes, l, &c->scratch);
	}
}

/* A systemd time span in whole seconds ("64", "64s", "2min", "1h"). */
static bool seconds(const char *v, long *out)
{
	static const struct {
		const char *unit;
		long mult;
	} units[] = {
	    {"", 1},      {"s", 1},       {"sec", 1},      {"second", 1},   {"seconds", 1},
	    {"m", 60},    {"min", 60},    {"minute", 60},  {"minutes", 60}, {"h", 3600},
	    {"hr", 3600}, {"hour", 3600}, {"hours", 3600},
	};
	char num[32];
	size_t n = strspn(v, "0123456789");
	long x;

	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, v, n);
	num[n] = '\0';
	if (!import_long(num, 1, 1L << 30, &x))
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(v + n, units[i].unit) == 0) {
			*out = x * units[i].mult;
			return true;
		}
	}
	return false;
}

static void poll_setting(struct ctx *c, const struct import_line *l, const char *value, bool max)
{
	long secs;
	int exp = -1;

	if (seconds(value, &secs))
		for (int e = 0; e < 31; e++)
			if (secs == 1L << e)
				exp = e;
	if (exp < backend_timesyncd.poll_min || exp > backend_timesyncd.poll_max) {
		import_note(
		    c->notes, l,
		    _("ntpwiz writes poll intervals that are a power of two from 16 s to 36 "
		      "h"));
		return;
	}
	if (max)
		c->maxpoll = exp;
	else
		c->minpoll = exp;
}

/* RootDistanceMaxSec= in plain seconds, as ntpwiz writes it
 * (selection.maxdistance, issue 16 section 3) */
static void root_distance(struct ctx *c, const struct import_line *l, const char *value)
{
	char *end;
	double v = strtod(value, &end);

	if (end == value || *end ||
	    model_set_maxdistance(c->s, "RootDistanceMaxSec", v, l->line, &c->scratch) < 0) {
		errlist_free(&c->scratch);
		errlist_init(&c->scratch);
		import_note(c->notes, l,
		            _("ntpwiz writes RootDistanceMaxSec= in seconds, above 0 and at most "
		              "16"));
	}
}

static int one_line(const struct import_line *l, void *arg)
{
	struct ctx *c = arg;
	char key[64];
	const char *eq, *value;
	size_t klen;

	if (l->raw[0] == '[') {
		c->in_time = strcmp(l->raw, "[Time]") == 0;
		if (!c->in_time)
			import_note(c->notes, l, _("timesyncd reads only the [Time] section"));
		return 0;
	}
	if (!c->in_time) {
		import_note(c->notes, l, _("outside the [Time] section; timesyncd ignores it"));
		return 0;
	}
	eq = strchr(l->raw, '=');
	if (!eq) {
		import_note(c->notes, l, _("not a setting (KEY=VALUE)"));
		return 0;
	}
	klen = (size_t)(eq - l->raw);
	while (klen && (l->raw[klen - 1] == ' ' || l->raw[klen - 1] == '\t'))
		klen--;
	snprintf(key, sizeof(key), "%.*s", (int)(klen < sizeof(key) ? klen : sizeof(key) - 1),
	         l->raw);
	value = eq + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	/* Servers= is NTP='s older name; timesyncd still reads it the same way */
	if (strcmp(key, "NTP") == 0 || strcmp(key, "Servers") == 0)
		add_servers(c, l, value);
	else if (strcmp(key, "PollIntervalMinSec") == 0)
		poll_setting(c, l, value, false);
	else if (strcmp(key, "PollIntervalMaxSec") == 0)
		poll_setting(c, l, value, true);
	else if (strcmp(key, "RootDistanceMaxSec") == 0)
		root_distance(c, l, value);
	else if (strcmp(key, "FallbackNTP") == 0)
		import_note(c->notes, l,
		            _("ntpwiz writes no fallback servers; timesyncd uses them only when no "
		              "NTP= server is set"));
	else
		import_note(c->notes, l, _("ntpwiz does not write this setting"));
	return 0;
}

int import_timesyncd(const char *text, size_t len, struct setup *s, struct import_notes *notes,
                     struct errlist *errs)
{
	struct ctx c;
	int r;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.notes = notes;
	c.minpoll = c.maxpoll = MODEL_POLL_UNSET;
	errlist_init(&c.scratch);
	s->leap = LEAP_STEP;
	s->policy = POLICY_CLIENT_ONLY;
	r = import_each_line(text, len, IMPORT_INI, one_line, &c);
	if (c.minpoll != MODEL_POLL_UNSET && c.maxpoll != MODEL_POLL_UNSET && c.minpoll > c.maxpoll)
		c.maxpoll = c.minpoll;
	for (size_t i = 0; i < s->nservers; i++) {
		if (c.minpoll != MODEL_POLL_UNSET)
			s->servers[i].minpoll = c.minpoll;
		if (c.maxpoll != MODEL_POLL_UNSET)
			s->servers[i].maxpoll = c.maxpoll;
		if (s->servers[i].maxpoll != MODEL_POLL_UNSET &&
		    s->servers[i].minpoll > s->servers[i].maxpoll)
			s->servers[i].maxpoll = s->servers[i].minpoll;
	}
	errlist_free(&c.scratch);
	if (r < 0) {
		errlist_add(errs, ERR_ERROR, notes->file ? notes->file : "", "%s",
		            _("out of memory"));
		return -1;
	}
	return 0;
}
