/*
 * model: struct setup, its defaults, name tables and validating setters.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "extra.h"
#include "i18n.h"
#include "model.h"
#include "nts.h"
#include "refclock.h"
#include "validate.h"

static const char *const daemon_names[DAEMON_COUNT] = {
    [DAEMON_AUTO] = "auto",     [DAEMON_NTP] = "ntp",           [DAEMON_NTPSEC] = "ntpsec",
    [DAEMON_CHRONY] = "chrony", [DAEMON_OPENNTPD] = "openntpd", [DAEMON_TIMESYNCD] = "timesyncd",
};
static const char *const kind_names[] = {"server", "pool"};
static const char *const leap_names[LEAP_COUNT] = {"step", "slew", "smear", "ignore"};
static const char *const policy_names[POLICY_COUNT] = {"client-only", "lan", "public"};

static const char *const start_family_names[START_FAMILY_COUNT] = {NULL, "any", "ipv4", "ipv6"};

static int lookup(const char *const *names, int n, const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *model_daemon_name(enum daemon_id d)
{
	return (unsigned)d < DAEMON_COUNT ? daemon_names[d] : "?";
}
int model_daemon_from_name(const char *name)
{
	return lookup(daemon_names, DAEMON_COUNT, name);
}
const char *model_kind_name(enum server_kind k)
{
	return (unsigned)k < 2 ? kind_names[k] : "?";
}
int model_kind_from_name(const char *name)
{
	return lookup(kind_names, 2, name);
}
const char *model_leap_name(enum leap_mode m)
{
	return (unsigned)m < LEAP_COUNT ? leap_names[m] : "?";
}
int model_leap_from_name(const char *name)
{
	return lookup(leap_names, LEAP_COUNT, name);
}
const char *model_policy_name(enum restrict_policy p)
{
	return (unsigned)p < POLICY_COUNT ? policy_names[p] : "?";
}
int model_policy_from_name(const char *name)
{
	return lookup(policy_names, POLICY_COUNT, name);
}

void model_server_init(struct server *srv)
{
	memset(srv, 0, sizeof(*srv));
	srv->kind = SERVER_KIND_SERVER;
	srv->iburst = true;
	srv->minpoll = MODEL_POLL_UNSET;
	srv->maxpoll = MODEL_POLL_UNSET;
}

void model_init(struct setup *s)
{
	memset(s, 0, sizeof(*s));
	s->daemon = DAEMON_AUTO;
	s->leap = LEAP_STEP;
	s->policy = POLICY_CLIENT_ONLY;
	s->options.rtcsync = true;
	s->options.makestep_threshold = MODEL_DEFAULT_MAKESTEP_THRESHOLD;
	s->options.makestep_limit = MODEL_DEFAULT_MAKESTEP_LIMIT;
	s->apply.backup = true;
	s->apply.restart = true;
	s->apply.stop_conflicting = true;
	s->apply.install = false;
}

const char *model_where(const struct setup *s, int line, char *buf, size_t size)
{
	if (s->source[0] && line > 0)
		snprintf(buf, size, "%s:%d", s->source, line);
	else if (s->source[0])
		snprintf(buf, size, "%s", s->source);
	else if (line > 0)
		snprintf(buf, size, "%d", line);
	else
		buf[0] = '\0';
	return buf;
}

static void refuse(const struct setup *s, int line, struct errlist *errs, const char *field,
                   const char *why)
{
	char where[MODEL_PATH_MAX + 16];

	errlist_add(errs, ERR_ERROR, model_where(s, line, where, sizeof(where)), "%s: %s", field,
	            why);
}

int model_set_server_host(struct setup *s, struct server *srv, const char *field, const char *host,
                          struct errlist *errs)
{
	const char *why = validate_host(host, NULL);

	if (why) {
		refuse(s, srv->line, errs, field, why);
		return -1;
	}
	snprintf(srv->host, sizeof(srv->host), "%s", host);
	return 0;
}

int model_set_server_poll(struct setup *s, struct server *srv, const char *field, bool max,
                          long value, struct errlist *errs)
{
	if (value < MODEL_POLL_MIN || value > MODEL_POLL_MAX) {
		refuse(s, srv->line, errs, field, _("must be between -7 and 24 (log2 seconds)"));
		return -1;
	}
	if (max)
		srv->maxpoll = (int)value;
	else
		srv->minpoll = (int)value;
	return 0;
}

int model_set_server_weight(struct setup *s, struct server *srv, const char *field, long value,
                            struct errlist *errs)
{
	if (value < MODEL_WEIGHT_MIN || value > MODEL_WEIGHT_MAX) {
		refuse(s, srv->line, errs, field, _("must be between 1 and 10"));
		return -1;
	}
	srv->weight = (int)value;
	return 0;
}

/* issue 16 section 2: symmetric keys */
int model_set_server_key(struct setup *s, struct server *srv, const char *field, long value,
                         struct errlist *errs)
{
	if (value < MODEL_KEY_MIN || value > MODEL_KEY_MAX) {
		refuse(s, srv->line, errs, field, _("must be a key ID between 1 and 65535"));
		return -1;
	}
	srv->key = (unsigned)value;
	return 0;
}

int model_set_keys_file(struct setup *s, const char *field, const char *path, int line,
                        struct errlist *errs)
{
	const char *why = validate_path(path);

	if (why) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	snprintf(s->keys.file, sizeof(s->keys.file), "%s", path);
	s->keys.line = line;
	return 0;
}

/* issue 16 section 8: operator lines */
int model_add_extra(struct setup *s, enum daemon_id d, const char *field, const char *text,
                    int line, struct errlist *errs)
{
	struct setup_extra *x;
	const char *why;

	if ((unsigned)d >= DAEMON_COUNT || d == DAEMON_AUTO) {
		refuse(s, line, errs, field, _("holds a value out of range"));
		return -1;
	}
	x = &s->extra[d];
	if (x->n >= MODEL_MAX_EXTRA) {
		refuse(s, line, errs, field, _("too many operator lines (at most 16 per daemon)"));
		return -1;
	}
	if ((why = extra_refusal(d, text))) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	snprintf(x->v[x->n].text, sizeof(x->v[0].text), "%s", text);
	x->v[x->n].line = line;
	x->n++;
	return 0;
}

static const char *maxdelay_refusal(double v)
{
	if (!(v > 0.0 && v <= MODEL_MAXDELAY_MAX))
		return _("must be above 0 and at most 60 (seconds)");
	return NULL;
}

int model_set_server_maxdelay(struct setup *s, struct server *srv, const char *field, double value,
                              struct errlist *errs)
{
	const char *why = maxdelay_refusal(value);

	if (why) {
		refuse(s, srv->line, errs, field, why);
		return -1;
	}
	srv->maxdelay = value;
	return 0;
}

static int check_server(const struct setup *s, const struct server *srv, const char *field,
                        struct errlist *errs)
{
	char f[128];
	const char *why;
	int bad = 0;

	if (srv->kind != SERVER_KIND_SERVER && srv->kind != SERVER_KIND_POOL) {
		snprintf(f, sizeof(f), "%s.kind", field);
		refuse(s, srv->line, errs, f, _("holds a value out of range"));
		bad = -1;
	}
	snprintf(f, sizeof(f), "%s.host", field);
	if ((why = validate_host(srv->host, NULL))) {
		refuse(s, srv->line, errs, f, why);
		bad = -1;
	}
	if (srv->minpoll != MODEL_POLL_UNSET &&
	    (srv->minpoll < MODEL_POLL_MIN || srv->minpoll > MODEL_POLL_MAX)) {
		snprintf(f, sizeof(f), "%s.minpoll", field);
		refuse(s, srv->line, errs, f, _("must be between -7 and 24 (log2 seconds)"));
		bad = -1;
	}
	if (srv->maxpoll != MODEL_POLL_UNSET &&
	    (srv->maxpoll < MODEL_POLL_MIN || srv->maxpoll > MODEL_POLL_MAX)) {
		snprintf(f, sizeof(f), "%s.maxpoll", field);
		refuse(s, srv->line, errs, f, _("must be between -7 and 24 (log2 seconds)"));
		bad = -1;
	}
	if (srv->minpoll != MODEL_POLL_UNSET && srv->maxpoll != MODEL_POLL_UNSET &&
	    srv->minpoll > srv->maxpoll) {
		snprintf(f, sizeof(f), "%s.maxpoll", field);
		refuse(s, srv->line, errs, f, _("must not be smaller than minpoll"));
		bad = -1;
	}
	if (srv->weight && (srv->weight < MODEL_WEIGHT_MIN || srv->weight > MODEL_WEIGHT_MAX)) {
		snprintf(f, sizeof(f), "%s.weight", field);
		refuse(s, srv->line, errs, f, _("must be between 1 and 10"));
		bad = -1;
	}
	if (srv->key > MODEL_KEY_MAX) {
		snprintf(f, sizeof(f), "%s.key", field);
		refuse(s, srv->line, errs, f, _("must be a key ID between 1 and 65535"));
		bad = -1;
	}
	if (srv->key && srv->nts) {
		snprintf(f, sizeof(f), "%s.key", field);
		refuse(s, srv->line, errs, f,
		       _("cannot be combined with nts: a server is authenticated by NTS or by a "
		         "symmetric key, not both"));
		bad = -1;
	}
	if (srv->weight && srv->prefer) {
		snprintf(f, sizeof(f), "%s.weight", field);
		refuse(s, srv->line, errs, f,
		       _("cannot be combined with prefer: prefer is written as OpenNTPD's weight "
		         "10; use one of them"));
		bad = -1;
	}
	enum validate_addr kind = VALIDATE_NAME;
	if (srv->nts && !validate_host(srv->host, &kind) && kind != VALIDATE_NAME) {
		snprintf(f, sizeof(f), "%s.nts", field);
		refuse(s, srv->line, errs, f,
		       _("NTS needs the server's name: its certificate names a host, and no "
		         "certificate can be checked against a bare address"));
		bad = -1;
	}
	if (srv->maxdelay != 0.0 && maxdelay_refusal(srv->maxdelay)) {
		snprintf(f, sizeof(f), "%s.maxdelay", field);
		refuse(s, srv->line, errs, f, maxdelay_refusal(srv->maxdelay));
		bad = -1;
	}
	if (srv->noselect && (srv->trust || srv->prefer)) {
		snprintf(f, sizeof(f), "%s.noselect", field);
		refuse(s, srv->line, errs, f,
		       _("a server that is never selected cannot also be preferred or trusted; "
		         "use one of them"));
		bad = -1;
	}
	if (srv->kind == SERVER_KIND_POOL && srv->nts) {
		snprintf(f, sizeof(f), "%s.nts", field);
		refuse(s, srv->line, errs, f,
		       _("NTS needs a named server with a certificate, not a pool; use kind = "
		         "\"server\""));
		bad = -1;
	}
	return bad;
}

int model_add_server(struct setup *s, const struct server *srv, const char *field,
                     struct errlist *errs)
{
	if (s->nservers >= MODEL_MAX_SERVERS) {
		refuse(s, srv->line, errs, field, _("too many servers (at most 64)"));
		return -1;
	}
	if (check_server(s, srv, field, errs) < 0)
		return -1;
	for (size_t i = 0; i < s->nservers; i++) {
		if (strcasecmp(s->servers[i].host, srv->host) == 0) {
			refuse(s, srv->line, errs, field, _("this host is listed twice"));
			return -1;
		}
	}
	s->servers[s->nservers] = *srv;
	s->servers_set = true;
	s->servers_default = false;
	return (int)s->nservers++;
}

int model_remove_server(struct setup *s, size_t index)
{
	if (index >= s->nservers)
		return -1;
	memmove(&s->servers[index], &s->servers[index + 1],
	        (s->nservers - index - 1) * sizeof(s->servers[0]));
	s->nservers--;
	return 0;
}

int model_add_allow(struct setup *s, const char *field, const char *cidr, int line,
                    struct errlist *errs)
{
	char canon[64];
	const char *why;

	if (s->nallow >= MODEL_MAX_ALLOW) {
		refuse(s, line, errs, field, _("too many networks (at most 64)"));
		return -1;
	}
	if ((why = validate_cidr(cidr, canon, sizeof(canon)))) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	for (size_t i = 0; i < s->nallow; i++) {
		if (strcmp(s->allow[i].cidr, canon) == 0) {
			refuse(s, line, errs, field, _("this network is listed twice"));
			return -1;
		}
	}
	snprintf(s->allow[s->nallow].cidr, sizeof(s->allow[0].cidr), "%s", canon);
	s->allow[s->nallow].line = line;
	s->nallow++;
	return 0;
}

static const char *listen_refusal(const char *addr, char *canon, size_t size)
{
	enum validate_addr kind;
	unsigned char bin[16];
	const char *why;

	/* validate_host refuses these as no server's address; here they
	 * mean something else, said below */
	if (strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0)
		return _("is every address of this host; leave listen out to serve on all "
		         "addresses");
	if ((why = validate_host(addr, &kind)))
		return why;
	if (kind == VALIDATE_NAME)
		return _("is a name; give the address of this host to serve on (for example "
		         "192.168.1.1)");
	inet_pton(kind == VALIDATE_IPV6 ? AF_INET6 : AF_INET, addr, bin);
	if (kind == VALIDATE_IPV4 ? memcmp(bin, "\0\0\0\0", 4) == 0
	                          : memcmp(bin, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0)
		return _("is every address of this host; leave listen out to serve on all "
		         "addresses");
	if (canon)
		inet_ntop(kind == VALIDATE_IPV6 ? AF_INET6 : AF_INET, bin, canon, (socklen_t)size);
	return NULL;
}

int model_add_listen(struct setup *s, const char *field, const char *addr, int line,
                     struct errlist *errs)
{
	char canon[64];
	const char *why;

	if (s->nlisten >= MODEL_MAX_LISTEN) {
		refuse(s, line, errs, field, _("too many listen addresses (at most 8)"));
		return -1;
	}
	if ((why = listen_refusal(addr, canon, sizeof(canon)))) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	for (size_t i = 0; i < s->nlisten; i++) {
		if (strcmp(s->listen[i].addr, canon) == 0) {
			refuse(s, line, errs, field, _("this address is listed twice"));
			return -1;
		}
	}
	snprintf(s->listen[s->nlisten].addr, sizeof(s->listen[0].addr), "%s", canon);
	s->listen[s->nlisten].line = line;
	s->nlisten++;
	return 0;
}

/* A word after an IPv4 address that is its netmask, as ntpd writes it
 * ("192.168.1.0 255.255.255.0", or with "mask" between): masks start with
 * 255 or are all zeros; no LAN host is 255.x. Not contiguous: refused. */
static bool is_mask_word(const char *w)
{
	enum validate_addr kind;

	return !validate_host(w, &kind) && kind == VALIDATE_IPV4 &&
	       (strncmp(w, "255.", 4) == 0 || strcmp(w, "0.0.0.0") == 0);
}

int model_set_allow_text(struct setup *s, const char *text, struct errlist *errs)
{
	char copy[1024], *save = NULL, *words[MODEL_MAX_ALLOW * 3 + 1];
	size_t n = 0;

	s->nallow = 0;
	if (strlen(text) >= sizeof(copy)) {
		refuse(s, 0, errs, _("Networks"), _("is too long"));
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s", text);
	for (char *w = strtok_r(copy, " \t,;\r\n", &save);
	     w && n < sizeof(words) / sizeof(words[0]); w = strtok_r(NULL, " \t,;\r\n", &save))
		words[n++] = w;
	for (size_t i = 0; i < n; i++) {
		char joined[128], typed[128];
		const char *net = words[i], *field = words[i];
		size_t skip = 0;

		if (i + 2 < n && strcmp(words[i + 1], "mask") == 0)
			skip = 2;
		else if (i + 1 < n && is_mask_word(words[i + 1]))
			skip = 1;
		if (skip) {
			snprintf(joined, sizeof(joined), "%s/%s", words[i], words[i + skip]);
			snprintf(typed, sizeof(typed), "%s %s%s", words[i],
			         skip == 2 ? "mask " : "", words[i + skip]);
			net = joined;
			field = typed;
			if (strchr(words[i], '/') || strchr(words[i], ':') ||
			    validate_netmask_prefix(words[i + skip]) < 0) {
				refuse(s, 0, errs, typed,
				       _("is not one network: write ADDRESS MASK with a "
				         "contiguous netmask (192.168.1.0 255.255.255.0) or "
				         "ADDRESS/PREFIX"));
				s->nallow = 0;
				return -1;
			}
		}
		if (model_add_allow(s, field, net, 0, errs) < 0) {
			s->nallow = 0;
			return -1;
		}
		i += skip;
	}
	return 0;
}

static int set_path(struct setup *s, char *dst, const char *field, const char *path, int line,
                    struct errlist *errs)
{
	const char *why = validate_path(path);

	if (why) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	snprintf(dst, MODEL_PATH_MAX, "%s", path);
	return 0;
}

int model_set_driftfile(struct setup *s, const char *field, const char *path, int line,
                        struct errlist *errs)
{
	return set_path(s, s->options.driftfile, field, path, line, errs);
}

int model_set_logdir(struct setup *s, const char *field, const char *path, int line,
                     struct errlist *errs)
{
	return set_path(s, s->options.logdir, field, path, line, errs);
}

static const char *smear_refusal(double maxfreq, double maxwander)
{
	if (!(maxfreq > 0.0 && maxfreq <= 100000.0))
		return _("maxfreq must be above 0 and at most 100000 (ppm)");
	if (!(maxwander > 0.0 && maxwander <= 1000.0))
		return _("maxwander must be above 0 and at most 1000 (ppm per second)");
	return NULL;
}

int model_set_smear(struct setup *s, const char *field, double maxfreq, double maxwander, int line,
                    struct errlist *errs)
{
	const char *why = smear_refusal(maxfreq, maxwander);

	if (why) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	s->smear_maxfreq = maxfreq;
	s->smear_maxwander = maxwander;
	return 0;
}

static const char *makestep_refusal(double threshold, long limit)
{
	if (!(threshold >= 0.0 && threshold <= 86400.0))
		return _("threshold must be between 0 and 86400 seconds");
	if (limit < -1 || limit > 1000000)
		return _("limit must be -1 (always) or between 0 and 1000000");
	return NULL;
}

int model_set_makestep(struct setup *s, const char *field, double threshold, long limit, int line,
                       struct errlist *errs)
{
	const char *why = makestep_refusal(threshold, limit);

	if (why) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	s->options.makestep_threshold = threshold;
	s->options.makestep_limit = (int)limit;
	return 0;
}

/* ---- source selection, orphan mode, OpenNTPD constraints (issue 16) ---- */

static const char *minsources_refusal(long v)
{
	return v < 1 || v > MODEL_MINSOURCES_MAX ? _("must be between 1 and 16") : NULL;
}

static const char *maxdistance_refusal(double v)
{
	return !(v > 0.0 && v <= MODEL_MAXDISTANCE_MAX)
	           ? _("must be above 0 and at most 16 (seconds)")
	           : NULL;
}

static const char *orphan_refusal(long v)
{
	return v != 0 && (v < MODEL_ORPHAN_MIN || v > MODEL_ORPHAN_MAX)
	           ? _("must be a stratum between 1 and 15 (0 or false: off)")
	           : NULL;
}

int model_set_minsources(struct setup *s, const char *field, long value, int line,
                         struct errlist *errs)
{
	const char *why = minsources_refusal(value);

	if (why) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	s->selection.minsources = (int)value;
	return 0;
}

int model_set_maxdistance(struct setup *s, const char *field, double value, int line,
                          struct errlist *errs)
{
	const char *why = maxdistance_refusal(value);

	if (why) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	s->selection.maxdistance = value;
	return 0;
}

int model_set_orphan(struct setup *s, const char *field, long stratum, int line,
                     struct errlist *errs)
{
	const char *why = orphan_refusal(stratum);

	if (why) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	s->selection.orphan = (int)stratum;
	s->selection.orphan_line = line;
	return 0;
}

/* ---- issue 16 section 7: start options ---- */

const char *model_start_family_name(enum start_family f)
{
	return (unsigned)f < START_FAMILY_COUNT ? start_family_names[f] : NULL;
}

int model_start_family_from_name(const char *name)
{
	for (int i = START_FAMILY_ANY; name && i < START_FAMILY_COUNT; i++)
		if (strcmp(start_family_names[i], name) == 0)
			return i;
	return -1;
}

/* A user name the daemon's -u can take and a shell word cannot misread:
 * the portable set of POSIX names (useradd's rule), no leading '-'. */
static const char *start_user_refusal(const char *u)
{
	size_t n = strlen(u);

	if (n == 0)
		return NULL;
	if (n > MODEL_USER_MAX)
		return _("is longer than 32 characters");
	if (u[0] == '-')
		return _("must not start with '-' (it would be read as an option)");
	if (strspn(u, "0123456789") == n)
		return _("is a number; name the user");
	if (strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != n)
		return _("may only hold letters, digits, '_', '.' and '-'");
	return NULL;
}

int model_set_start_user(struct setup *s, const char *field, const char *user, int line,
                         struct errlist *errs)
{
	const char *why = start_user_refusal(user);

	if (why) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	snprintf(s->start.user, sizeof(s->start.user), "%s", user);
	if (line)
		s->start.line = line;
	return 0;
}

int model_set_start_family(struct setup *s, const char *field, const char *name, int line,
                           struct errlist *errs)
{
	int f = model_start_family_from_name(name);

	if (f < 0) {
		refuse(s, line, errs, field, _("must be \"any\", \"ipv4\" or \"ipv6\""));
		return -1;
	}
	s->start.family = (enum start_family)f;
	if (line)
		s->start.line = line;
	return 0;
}

bool model_constraint_default_all(const char *from)
{
	enum validate_addr kind = VALIDATE_NAME;
	char host[MODEL_HOST_MAX + 1];

	if (strncmp(from, "https://", 8) == 0) {
		snprintf(host, sizeof(host), "%.*s", (int)strcspn(from + 8, "/"), from + 8);
		from = host;
	}
	return !validate_host(from, &kind) && kind == VALIDATE_NAME;
}

int model_add_constraint(struct setup *s, const char *field, const char *from, bool all, int line,
                         struct errlist *errs)
{
	const char *why = validate_constraint(from);

	if (s->constraints.n >= MODEL_MAX_CONSTRAINTS) {
		refuse(s, line, errs, field, _("too many constraints (at most 8)"));
		return -1;
	}
	if (why) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	for (size_t i = 0; i < s->constraints.n; i++) {
		if (strcasecmp(s->constraints.v[i].from, from) == 0) {
			refuse(s, line, errs, field, _("this constraint is listed twice"));
			return -1;
		}
	}
	snprintf(s->constraints.v[s->constraints.n].from, sizeof(s->constraints.v[0].from), "%s",
	         from);
	s->constraints.v[s->constraints.n].all = all;
	s->constraints.v[s->constraints.n].line = line;
	s->constraints.n++;
	s->constraints.set = true;
	return 0;
}

/* OpenBSD's /etc/examples/ntpd.conf (1.16, 2019): two addresses without
 * DNS (Quad9) and one name whose every address is asked. */
static const struct constraint default_constraints[] = {
    {"9.9.9.9", false, 0},
    {"2620:fe::fe", false, 0},
    {"www.google.com", true, 0},
};

size_t model_default_constraints(const struct constraint **list)
{
	*list = default_constraints;
	return sizeof(default_constraints) / sizeof(default_constraints[0]);
}

size_t model_constraints(const struct setup *s, const struct constraint **list)
{
	if (!s->constraints.set)
		return model_default_constraints(list);
	*list = s->constraints.v;
	return s->constraints.n;
}

size_t model_source_count(const struct setup *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nservers; i++)
		if (!s->servers[i].noselect)
			n += s->servers[i].kind == SERVER_KIND_POOL ? MODEL_POOL_SOURCES : 1;
	return n;
}

static int check_selection(const struct setup *s, struct errlist *errs)
{
	const char *why;
	char field[64];
	int bad = 0;

	if (s->selection.minsources && (why = minsources_refusal(s->selection.minsources))) {
		refuse(s, s->selection.line, errs, "selection.minsources", why);
		bad = -1;
	}
	if (s->selection.maxdistance != 0.0 &&
	    (why = maxdistance_refusal(s->selection.maxdistance))) {
		refuse(s, s->selection.line, errs, "selection.maxdistance", why);
		bad = -1;
	}
	if ((why = orphan_refusal(s->selection.orphan))) {
		refuse(s, s->selection.orphan_line, errs, "orphan.stratum", why);
		bad = -1;
	}
	if (s->selection.orphan && s->policy == POLICY_CLIENT_ONLY) {
		refuse(s, s->selection.orphan_line, errs, "orphan.stratum",
		       _("orphan mode makes this host a time source for others when its servers "
		         "are lost; a client-only host serves no one: use the lan or public "
		         "policy, or leave orphan out"));
		bad = -1;
	}
	if (s->constraints.n > MODEL_MAX_CONSTRAINTS) {
		refuse(s, s->constraints.line, errs, "constraints", _("holds a value out of range"));
		return -1;
	}
	for (size_t i = 0; i < s->constraints.n; i++) {
		snprintf(field, sizeof(field), "constraints[%zu]", i);
		if ((why = validate_constraint(s->constraints.v[i].from))) {
			refuse(s, s->constraints.v[i].line, errs, field, why);
			bad = -1;
		}
	}
	return bad;
}

int model_check(const struct setup *s, struct errlist *errs)
{
	char field[64];
	const char *why;
	int bad = 0;

	if ((unsigned)s->daemon >= DAEMON_COUNT || (unsigned)s->leap >= LEAP_COUNT ||
	    (unsigned)s->policy >= POLICY_COUNT) {
		refuse(s, 0, errs, "setup", _("holds a value out of range"));
		return -1;
	}
	if (s->servers_set && s->nservers == 0 && s->refclocks.n == 0) {
		refuse(s, 0, errs, "servers",
		       _("is empty; list at least one server or pool, or "
		         "leave servers out for the distribution's defaults"));
		bad = -1;
	}
	for (size_t i = 0; i < s->nservers; i++) {
		snprintf(field, sizeof(field), "servers[%zu]", i);
		if (check_server(s, &s->servers[i], field, errs) < 0)
			bad = -1;
		if (s->servers[i].key && !s->keys.file[0]) {
			snprintf(field, sizeof(field), "servers[%zu].key", i);
			refuse(s, s->servers[i].line, errs, field,
			       _("needs the key file: add keys = { file = \"/path/to/keys\"; }; "
			         "the secrets are never written in the profile"));
			bad = -1;
		}
	}
	for (size_t i = 0; i < s->nallow; i++) {
		snprintf(field, sizeof(field), "restrict.allow[%zu]", i);
		if ((why = validate_cidr(s->allow[i].cidr, NULL, 0))) {
			refuse(s, s->allow[i].line, errs, field, why);
			bad = -1;
		}
	}
	if (s->policy == POLICY_LAN && s->nallow == 0) {
		refuse(s, s->policy_line, errs, "restrict.allow",
		       _("the lan policy needs at least one network to serve"));
		bad = -1;
	}
	for (size_t i = 0; i < s->nlisten; i++) {
		snprintf(field, sizeof(field), "restrict.listen[%zu]", i);
		if ((why = listen_refusal(s->listen[i].addr, NULL, 0))) {
			refuse(s, s->listen[i].line, errs, field, why);
			bad = -1;
		}
	}
	if (s->policy == POLICY_CLIENT_ONLY && s->nlisten > 0) {
		refuse(s, s->listen[0].line, errs, "restrict.listen",
		       _("listen addresses are only used when serving time (the lan or public "
		         "policy)"));
		bad = -1;
	}
	if (s->policy != POLICY_LAN && s->nallow > 0) {
		refuse(s, s->allow[0].line, errs, "restrict.allow",
		       _("networks are only used by the lan policy"));
		bad = -1;
	}
	if ((s->smear_maxfreq != 0.0 || s->smear_maxwander != 0.0) &&
	    (why = smear_refusal(s->smear_maxfreq, s->smear_maxwander))) {
		refuse(s, s->leap_line, errs, "leap.smear", why);
		bad = -1;
	}
	if (s->smear_maxfreq != 0.0 && s->leap != LEAP_SMEAR) {
		refuse(s, s->leap_line, errs, "leap.smear", _("is only used by leap mode smear"));
		bad = -1;
	}
	if ((why = makestep_refusal(s->options.makestep_threshold, s->options.makestep_limit))) {
		refuse(s, 0, errs, "options.makestep", why);
		bad = -1;
	}
	if (s->options.driftfile[0] && (why = validate_path(s->options.driftfile))) {
		refuse(s, 0, errs, "options.driftfile", why);
		bad = -1;
	}
	if (s->options.logdir[0] && (why = validate_path(s->options.logdir))) {
		refuse(s, 0, errs, "options.logdir", why);
		bad = -1;
	}
	/* issue 16 sections 2 and 8 */
	if (s->keys.file[0] && (why = validate_path(s->keys.file))) {
		refuse(s, s->keys.line, errs, "keys.file", why);
		bad = -1;
	}
	for (int d = 0; d < DAEMON_COUNT; d++)
		for (size_t i = 0; i < s->extra[d].n; i++) {
			if (d == DAEMON_AUTO || s->extra[d].n > MODEL_MAX_EXTRA) {
				refuse(s, 0, errs, "extra", _("holds a value out of range"));
				return -1;
			}
			snprintf(field, sizeof(field), "extra.%s[%zu]",
			         model_daemon_name((enum daemon_id)d), i);
			if ((why = extra_refusal((enum daemon_id)d, s->extra[d].v[i].text))) {
				refuse(s, s->extra[d].v[i].line, errs, field, why);
				bad = -1;
			}
		}
	if (check_selection(s, errs) < 0)
		bad = -1;
	if (nts_check_model(s, errs) < 0) /* issue 16 sections 6 and 7 */
		bad = -1;
	if (refclock_check(s, errs) < 0) /* issue 16 section 5 */
		bad = -1;
	if (start_user_refusal(s->start.user) || (unsigned)s->start.family >= START_FAMILY_COUNT) {
		refuse(s, s->start.line, errs, "start", _("holds a value out of range"));
		bad = -1;
	}
	return bad;
}
