/*
 * import_chrony: chrony.conf into the model (see import.h).
 *
 * chrony's defaults, when a directive is absent: no allow = no client is
 * served; no makestep = never step; no rtcsync; leapsecmode system. Lines
 * whose meaning depends on others (allow and port 0, logdir and log,
 * leapsecmode with maxslewrate and smoothtime, ntsdumpdir and nts) are
 * decided once the whole file is read.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "i18n.h"
#include "import.h"
#include "refclock.h"
#include "target.h"
#include "validate.h"

/* What ntpwiz writes itself (backend_chrony.c). */
#define RATELIMIT "ratelimit interval 3 burst 8 leak 2"
#define LOG_LINE "log tracking measurements statistics"
#define NTSDUMPDIR "/var/lib/chrony"

/* A line kept to be judged at the end of the file. */
struct saved {
	int line;
	char *raw;
	bool all;   /* an allow line that serves everyone */
	int fam;    /* ... only IPv4 (4) or only IPv6 (6) everyone, 0 both */
	bool noted; /* already in the notes */
};

#define MAX_SAVED 64

struct ctx {
	struct setup *s;
	struct import_notes *notes;
	struct errlist scratch;
	bool allow_all, port0;
	unsigned everyone; /* 1: all of IPv4 is served, 2: all of IPv6 */
	struct saved allows[MAX_SAVED];
	size_t nallows;
	struct saved bindaddress[2];
	size_t nbind;
	struct saved ratelimit, leapsecmode, leapsectz, leapseclist, maxslewrate, smoothtime, logdir, log,
	    ntsdumpdir;
	struct import_nts nts; /* issue 16 sections 6 and 7 */
	char mode[16];
	char logdir_path[MODEL_PATH_MAX];
};

/* Keeps the line with its words joined by single spaces, so that the
 * comparisons below do not depend on the spacing. */
static void save(struct saved *sv, const struct import_line *l)
{
	size_t n = 1;

	free(sv->raw);
	sv->line = l->line;
	for (size_t i = 0; i < l->nwords; i++)
		n += strlen(l->words[i]) + 1;
	sv->raw = malloc(n);
	if (!sv->raw)
		return;
	sv->raw[0] = '\0';
	for (size_t i = 0; i < l->nwords; i++) {
		if (i)
			strcat(sv->raw, " ");
		strcat(sv->raw, l->words[i]);
	}
}

static void note_saved(struct ctx *c, const struct saved *sv, const char *reason)
{
	if (sv->raw)
		import_note_text(c->notes, sv->line, sv->raw, reason);
}

/* Server options that take a value (chrony.conf(5), "server"). */
static const char *const valued_options[] = {
    "asymmetry",        "certset",       "extfield",      "filter",     "key",        "maxdelay",
    "maxdelaydevratio", "maxdelayquant", "maxdelayratio", "maxpoll",    "maxsamples", "maxsources",
    "mindelay",         "minpoll",       "minsamples",    "minstratum", "ntsport",    "offset",
    "polltarget",       "port",          "presend",       "version",    NULL,
};

static void source(struct ctx *c, const struct import_line *l, enum server_kind kind)
{
	struct server srv;

	if (l->nwords < 2) {
		import_note(c->notes, l, _("no host is named"));
		return;
	}
	model_server_init(&srv);
	srv.kind = kind;
	srv.iburst = false;
	srv.line = l->line;
	if (model_set_server_host(c->s, &srv, "host", l->words[1], &c->scratch) < 0) {
		import_note_refused(c->notes, l, &c->scratch);
		return;
	}
	import_server_options(c->s, &srv, l, 2, valued_options, true, "chrony", c->notes,
	                      &c->scratch);
}

static void allow(struct ctx *c, const struct import_line *l)
{
	char canon[64];
	const char *net = l->nwords > 1 ? l->words[1] : NULL;
	struct saved *sv = c->nallows < MAX_SAVED ? &c->allows[c->nallows++] : NULL;

	if (net && strcmp(net, "all") == 0)
		net = l->nwords > 2 ? l->words[2] : NULL;
	if (sv)
		save(sv, l);
	/* "allow", "allow all", "allow 0/0", "allow ::/0": every host */
	if (!net || validate_network_is_everyone(net)) {
		c->allow_all = true;
		if (sv) {
			sv->all = true;
			sv->fam = !net || strcmp(net, "all") == 0 ? 0 : strchr(net, ':') ? 6 : 4;
		}
		c->everyone |= !sv || !sv->fam ? 3 : sv->fam == 4 ? 1 : 2;
		return;
	}
	if (l->nwords > 3 || (l->nwords == 3 && strcmp(l->words[1], "all") != 0)) {
		import_note(c->notes, l, _("ntpwiz does not understand the rest of this line"));
	} else if (validate_network(net, VALIDATE_NET_MASK_HOST_BITS, canon, sizeof(canon)) == NULL
	               ? model_add_allow(c->s, "allow", canon, l->line, &c->scratch) < 0
	               : model_add_allow(c->s, "allow", net, l->line, &c->scratch) < 0) {
		import_note_refused(c->notes, l, &c->scratch);
	} else {
		return;
	}
	if (sv)
		sv->noted = true;
}

static bool is_loopback(const char *a)
{
	return strcmp(a, "127.0.0.1") == 0 || strcmp(a, "::1") == 0;
}


/* The folders a distribution's stock chrony.conf reads (Debian 13, Ubuntu,
 * Fedora/RHEL, openSUSE): kept with keep.dhcp_servers / keep.drop_in_dirs, which
 * render writes for the distribution the file is applied on. */
static const struct {
	const char *directive, *path;
	size_t offset; /* of the bool in struct setup */
} keep_dirs[] = {
    {"sourcedir", "/run/chrony-dhcp", offsetof(struct setup, keep.dhcp_servers)},
    {"sourcedir", "/etc/chrony/sources.d", offsetof(struct setup, keep.drop_in_dirs)},
    {"confdir", "/etc/chrony/conf.d", offsetof(struct setup, keep.drop_in_dirs)},
    {"include", "/etc/chrony.d/*.conf", offsetof(struct setup, keep.drop_in_dirs)},
};

static bool keep_dir(struct ctx *c, const char *d, const char *path, int line)
{
	for (size_t i = 0; i < sizeof(keep_dirs) / sizeof(keep_dirs[0]); i++) {
		if (strcmp(d, keep_dirs[i].directive) != 0 || !path ||
		    strcmp(path, keep_dirs[i].path) != 0)
			continue;
		*(bool *)((char *)c->s + keep_dirs[i].offset) = true;
		if (!c->s->keep.line)
			c->s->keep.line = line;
		return true;
	}
	return false;
}

static int one_line(const struct import_line *l, void *arg)
{
	struct ctx *c = arg;
	const char *d = l->words[0];

	if (l->truncated)
		import_note(c->notes, l,
		            _("more than 32 words: the words after the 32nd are not read"));
	const char *a1 = l->nwords > 1 ? l->words[1] : NULL;
	struct setup *s = c->s;

	if (strcmp(d, "server") == 0) {
		source(c, l, SERVER_KIND_SERVER);
	} else if (strcmp(d, "pool") == 0) {
		source(c, l, SERVER_KIND_POOL);
	} else if (strcmp(d, "driftfile") == 0 && l->nwords == 2) {
		if (model_set_driftfile(s, "driftfile", a1, l->line, &c->scratch) < 0)
			import_note_refused(c->notes, l, &c->scratch);
	} else if (strcmp(d, "makestep") == 0 && l->nwords == 3) {
		char *end;
		double t = strtod(l->words[1], &end);
		long lim;
		if (*end || !import_long(l->words[2], -1, 1000000, &lim))
			import_note(c->notes, l, _("makestep needs a threshold and a limit"));
		else if (model_set_makestep(s, "makestep", t, lim, l->line, &c->scratch) < 0)
			import_note_refused(c->notes, l, &c->scratch);
	} else if (strcmp(d, "rtcsync") == 0 && l->nwords == 1) {
		s->options.rtcsync = true;
	} else if (strcmp(d, "leapsecmode") == 0 && l->nwords == 2) {
		snprintf(c->mode, sizeof(c->mode), "%s", a1);
		save(&c->leapsecmode, l);
	} else if (strcmp(d, "leapsectz") == 0) {
		save(&c->leapsectz, l);
		c->notes->local_leap = true;
	} else if (strcmp(d, "leapseclist") == 0) {
		save(&c->leapseclist, l);
		c->notes->local_leap = true;
	} else if (strcmp(d, "maxslewrate") == 0) {
		save(&c->maxslewrate, l);
	} else if (strcmp(d, "smoothtime") == 0) {
		save(&c->smoothtime, l);
	} else if (strcmp(d, "allow") == 0) {
		allow(c, l);
	} else if (strcmp(d, "port") == 0 && a1 && strcmp(a1, "0") == 0 && l->nwords == 2) {
		c->port0 = true;
	} else if (strcmp(d, "ratelimit") == 0) {
		save(&c->ratelimit, l);
	} else if (strcmp(d, "bindcmdaddress") == 0 && l->nwords == 2 && is_loopback(a1)) {
		/* ntpwiz writes both */
	} else if (strcmp(d, "bindaddress") == 0 && l->nwords == 2) {
		save(&c->bindaddress[c->nbind < 2 ? c->nbind++ : 1], l);
	} else if (strcmp(d, "ntsdumpdir") == 0) {
		save(&c->ntsdumpdir, l);
	} else if (strcmp(d, "logdir") == 0 && l->nwords == 2) {
		save(&c->logdir, l);
		snprintf(c->logdir_path, sizeof(c->logdir_path), "%s", a1);
	} else if (strcmp(d, "log") == 0) {
		save(&c->log, l);
	} else if (l->nwords == 2 && keep_dir(c, d, a1, l->line)) {
		/* the distribution's DHCP or drop-in folder: kept (keep.*) */
	} else if (strcmp(d, "confdir") == 0 || strcmp(d, "sourcedir") == 0 ||
	           strcmp(d, "include") == 0) {
		import_note(c->notes, l,
		            _("the files named here will no longer be read; add what they hold "
		              "to the profile"));
	} else if (strcmp(d, "deny") == 0) {
		import_note(c->notes, l,
		            _("ntpwiz writes no deny lines; list only the networks "
		              "to serve"));
	} else if (strcmp(d, "cmdallow") == 0 || strcmp(d, "cmddeny") == 0 ||
	           strcmp(d, "bindcmdaddress") == 0 || strcmp(d, "cmdport") == 0) {
		import_note(
		    c->notes, l,
		    _("ntpwiz keeps chronyc on localhost (bindcmdaddress 127.0.0.1 and ::1)"));
	} else if (import_selection_line(s, l, true, c->notes, &c->scratch)) {
		/* minsources, maxdistance, local (issue 16) */
	} else if (refclock_import_chrony(s, l, c->notes, &c->scratch)) {
		/* issue 16 section 5 */
	} else if (strcmp(d, "keyfile") == 0) {
		import_keys_file(s, l, false, c->notes, &c->scratch); /* issue 16 section 2 */
	} else if (import_nts_line(&c->nts, s, DAEMON_CHRONY, l, c->notes, &c->scratch)) {
		/* issue 16 sections 6 and 7 */
	} else if (import_extra(s, DAEMON_CHRONY, l, c->notes, &c->scratch)) {
		/* issue 16 section 8: kept as an operator line */
	} else {
		import_note(c->notes, l, _("ntpwiz does not write this directive"));
	}
	return 0;
}

/* "smoothtime MAXFREQ MAXWANDER leaponly" in any numbers: chrony smears the
 * leap second for its clients (chrony.conf(5), "smoothtime"). */
static bool leap_smoothing(const struct saved *sv, double *maxfreq, double *maxwander)
{
	char buf[256], *w[5], *save = NULL, *end;
	size_t n = 0;

	if (!sv->raw)
		return false;
	snprintf(buf, sizeof(buf), "%s", sv->raw);
	for (char *t = strtok_r(buf, " ", &save); t && n < 5; t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	if (n != 4 || strcmp(w[3], "leaponly") != 0)
		return false;
	*maxfreq = strtod(w[1], &end);
	if (*end)
		return false;
	*maxwander = strtod(w[2], &end);
	return !*end;
}

/* The leap mode from leapsecmode, maxslewrate and smoothtime together. */
static void settle_leap(struct ctx *c)
{
	struct setup *s = c->s;
	double maxfreq, maxwander;
	bool smear = leap_smoothing(&c->smoothtime, &maxfreq, &maxwander);

	s->leap = LEAP_STEP;
	s->leap_line = c->leapsecmode.line;
	if (smear) {
		/* by meaning, whatever the numbers: the operator's are kept */
		s->leap = LEAP_SMEAR;
		s->leap_line = c->smoothtime.line;
		if ((maxfreq != MODEL_SMEAR_MAXFREQ || maxwander != MODEL_SMEAR_MAXWANDER) &&
		    model_set_smear(s, "smoothtime", maxfreq, maxwander, c->smoothtime.line,
		                    &c->scratch) < 0) {
			note_saved(c, &c->smoothtime, c->scratch.v[0].message);
			errlist_free(&c->scratch);
			errlist_init(&c->scratch);
		}
		if (strcmp(c->mode, "slew") != 0)
			note_saved(c, &c->leapsecmode,
			           _("ntpwiz writes leapsecmode slew with a leap smear, so that "
			             "chronyd itself slews, not steps, over the leap second"));
		if (c->maxslewrate.raw && strcmp(c->maxslewrate.raw, "maxslewrate 1000") != 0)
			note_saved(c, &c->maxslewrate,
			           _("ntpwiz writes maxslewrate 1000 with a leap smear"));
	} else if (!c->leapsecmode.raw || strcmp(c->mode, "system") == 0) {
		/* chrony's default */
	} else if (strcmp(c->mode, "step") == 0) {
		note_saved(c, &c->leapsecmode,
		           _("written as leapsecmode system: the kernel inserts the second "
		             "instead of chronyd stepping the clock"));
	} else if (strcmp(c->mode, "slew") == 0) {
		s->leap = LEAP_SLEW;
	} else if (strcmp(c->mode, "ignore") == 0) {
		s->leap = LEAP_IGNORE;
	} else {
		note_saved(c, &c->leapsecmode,
		           _("unknown leapsecmode; the default, step, is used"));
	}
	if (!smear) {
		note_saved(c, &c->maxslewrate,
		           _("ntpwiz writes maxslewrate only for leap mode smear"));
		note_saved(c, &c->smoothtime,
		           _("ntpwiz writes smoothtime only with leaponly, for leap mode smear"));
	}
	if (c->leapsectz.raw &&
	    (s->leap == LEAP_IGNORE || strcmp(c->leapsectz.raw, "leapsectz right/UTC") != 0))
		note_saved(c, &c->leapsectz,
		           s->leap == LEAP_IGNORE
		               ? _("ntpwiz writes no leapsectz when leap seconds are ignored")
		               : _("ntpwiz writes leapsectz right/UTC"));
	/* render writes leapseclist where the target's chrony (4.6+) and
	 * tzdata's list are there, leapsectz right/UTC where the zone is */
	if (c->leapseclist.raw &&
	    (s->leap == LEAP_IGNORE ||
	     strcmp(c->leapseclist.raw, "leapseclist " TARGET_LEAP_LIST) != 0)) {
		char why[256];

		/* TRANSLATORS: %s is the path of tzdata's leap-seconds.list */
		snprintf(why, sizeof(why),
		         _("ntpwiz reads tzdata's list, %s, where the chrony there reads one (4.6 and "
		           "later)"),
		         TARGET_LEAP_LIST);
		note_saved(c, &c->leapseclist,
		           s->leap == LEAP_IGNORE
		               ? _("ntpwiz writes no leap second source when leap seconds are ignored")
		               : why);
	}
}

static void settle_access(struct ctx *c)
{
	struct setup *s = c->s;
	const char *why = NULL;

	if (c->port0) {
		s->policy = POLICY_CLIENT_ONLY;
		why = _("port 0 opens no NTP port, so this line has no effect");
	} else if (c->allow_all) {
		s->policy = POLICY_PUBLIC;
		if (s->nallow)
			why = _("allow all already serves everyone");
	} else if (s->nallow) {
		s->policy = POLICY_LAN;
	} else {
		s->policy = POLICY_CLIENT_ONLY;
	}
	if (c->allow_all && !c->port0 && c->everyone != 3)
		for (size_t i = 0; i < c->nallows; i++)
			if (c->allows[i].all && c->allows[i].fam)
				note_saved(
				    c, &c->allows[i],
				    _("this serves every host of one address family; the "
				      "public policy serves everyone, IPv4 and IPv6 (allow all)"));
	if (why) {
		/* "allow all" itself is what ntpwiz writes for the public policy */
		for (size_t i = 0; i < c->nallows; i++)
			if (!c->allows[i].noted && (c->port0 || !c->allows[i].all))
				note_saved(c, &c->allows[i], why);
		s->nallow = 0;
	}
	if (c->allows[0].raw)
		s->policy_line = c->allows[0].line;
	/* bindaddress: the NTP server port on this address only */
	for (size_t i = 0; i < c->nbind; i++) {
		const char *a = c->bindaddress[i].raw + strlen("bindaddress ");
		if (strcmp(a, "0.0.0.0") == 0 || strcmp(a, "::") == 0)
			continue; /* chrony's default */
		if (s->policy == POLICY_CLIENT_ONLY)
			note_saved(c, &c->bindaddress[i],
			           _("no NTP server port is open, so binding it has no effect"));
		else if (model_add_listen(s, "bindaddress", a, c->bindaddress[i].line,
		                          &c->scratch) < 0) {
			note_saved(c, &c->bindaddress[i], c->scratch.v[0].message);
			errlist_free(&c->scratch);
			errlist_init(&c->scratch);
		}
	}
	if (c->ratelimit.raw &&
	    (s->policy == POLICY_CLIENT_ONLY || strcmp(c->ratelimit.raw, RATELIMIT) != 0))
		note_saved(c, &c->ratelimit,
		           s->policy == POLICY_CLIENT_ONLY
		               ? _("a host that serves no one needs no rate limit")
		               : _("ntpwiz writes ratelimit interval 3 burst 8 leak 2"));
}

static void settle_rest(struct ctx *c)
{
	struct setup *s = c->s;
	bool nts = false;

	for (size_t i = 0; i < s->nservers; i++)
		nts |= s->servers[i].nts;
	nts |= s->nts_server.certificate[0] != '\0'; /* a server saves its keys there */
	if (c->ntsdumpdir.raw && (!nts || strcmp(c->ntsdumpdir.raw, "ntsdumpdir " NTSDUMPDIR) != 0))
		note_saved(c, &c->ntsdumpdir,
		           nts ? _("ntpwiz writes ntsdumpdir /var/lib/chrony")
		               : _("ntpwiz writes ntsdumpdir only when a server uses NTS"));
	if (c->logdir.raw && c->log.raw && strcmp(c->log.raw, LOG_LINE) == 0) {
		if (model_set_logdir(s, "logdir", c->logdir_path, c->logdir.line, &c->scratch) <
		    0) {
			note_saved(c, &c->logdir, c->scratch.v[0].message);
			note_saved(c, &c->log, _("no log directory is kept, so nothing is logged"));
		}
	} else {
		note_saved(c, &c->logdir,
		           _("without a \"log\" line nothing is written there; ntpwiz writes a "
		             "logdir only together with \"log tracking measurements statistics\""));
		note_saved(c, &c->log,
		           _("ntpwiz writes only \"log tracking measurements statistics\", with a "
		             "logdir"));
	}
}

static void free_saved(struct saved *sv)
{
	free(sv->raw);
	sv->raw = NULL;
}

int import_chrony(const char *text, size_t len, struct setup *s, struct import_notes *notes,
                  struct errlist *errs)
{
	struct ctx c;
	int r;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.notes = notes;
	errlist_init(&c.scratch);
	/* absent means off in chrony.conf */
	s->options.rtcsync = false;
	s->options.makestep_threshold = 0.0;
	r = import_each_line(text, len, IMPORT_CHRONY, one_line, &c);
	settle_leap(&c);
	settle_access(&c);
	import_settle_orphan(s, notes);
	import_settle_nts(&c.nts, s, notes, &c.scratch); /* issue 16 section 6 */
	refclock_import_settle(s, notes);
	settle_rest(&c);
	for (size_t i = 0; i < c.nallows; i++)
		free_saved(&c.allows[i]);
	free_saved(&c.ratelimit);
	free_saved(&c.bindaddress[0]);
	free_saved(&c.bindaddress[1]);
	free_saved(&c.leapsecmode);
	free_saved(&c.leapsectz);
	free_saved(&c.leapseclist);
	free_saved(&c.maxslewrate);
	free_saved(&c.smoothtime);
	free_saved(&c.logdir);
	free_saved(&c.log);
	free_saved(&c.ntsdumpdir);
	errlist_free(&c.scratch);
	if (r < 0) {
		errlist_add(errs, ERR_ERROR, notes->file ? notes->file : "", "%s",
		            _("out of memory"));
		return -1;
	}
	return 0;
}
