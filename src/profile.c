/*
 * profile: libconfig profiles to and from struct setup (see profile.h).
 * Keys are read through tables (name, type, handler), so an unknown key or
 * a wrong type is caught in one place, and every error names the field and
 * the line. Values only reach the model through its setters.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "i18n.h"
#include "nts.h"
#include "profile.h"
#include "refclock.h"

/* Longest field path we build, e.g. "options.makestep.threshold". */
#define FIELD_MAX 64
#define WHERE_MAX (MODEL_PATH_MAX + 16)
/* How much of a bad value is quoted back in a message. */
#define ECHO_MAX 48

enum key_type {
	KT_STRING,
	KT_BOOL,
	KT_WHOLE,
	KT_NUMBER,
	KT_GROUP,
	KT_LIST,
	KT_GROUP_OR_FALSE,
	KT_LIST_OR_FALSE,
};

static const char *const type_reasons[] = {
    [KT_STRING] = N_("must be a string"),
    [KT_BOOL] = N_("must be true or false"),
    [KT_WHOLE] = N_("must be a whole number"),
    [KT_NUMBER] = N_("must be a number"),
    [KT_GROUP] = N_("must be a group: { ... }"),
    [KT_LIST] = N_("must be a list: ( ... ) or [ ... ]"),
    [KT_GROUP_OR_FALSE] = N_("must be a group: { ... }, or false"),
    [KT_LIST_OR_FALSE] = N_("must be a list: ( ... ), or false"),
};

/*
 * libconfig 1.5 silently wraps integer literals outside the int range
 * ("minpoll = 4294967297;" reads as 1). The pre-scan notes every such
 * literal assigned to a name, so the value can be refused instead.
 */
struct wide_int {
	int line;
	int sign;
	const char *name; /* points into the profile text */
	size_t len;
};

struct parse {
	struct setup *s;
	struct errlist *errs;
	bool bad;
	struct wide_int *wide;
	size_t nwide;
	size_t capwide;
	const char *stray; /* a string where libconfig's grammar allows none */
	int stray_line;
	bool stray_unclosed; /* ... or one that runs to the end of the text */
};

struct key {
	const char *name;
	enum key_type type;
	/* NULL: a bool stored at `offset` in the object being filled */
	void (*handle)(struct parse *p, void *obj, const config_setting_t *set, const char *field);
	size_t offset;
};

#define KEYS(t) (t), (sizeof(t) / sizeof((t)[0]))

/* ---- errors ---- */

static void fail(struct parse *p, int line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(struct parse *p, int line, const char *field, const char *fmt, ...)
{
	char where[WHERE_MAX];
	struct strbuf reason;
	va_list ap;

	strbuf_init(&reason);
	va_start(ap, fmt);
	strbuf_vprintf(&reason, fmt, ap);
	va_end(ap);
	model_where(p->s, line, where, sizeof(where));
	if (field && *field)
		errlist_add(p->errs, ERR_ERROR, where, "%s: %s", field, strbuf_str(&reason));
	else
		errlist_add(p->errs, ERR_ERROR, where, "%s", strbuf_str(&reason));
	strbuf_free(&reason);
	p->bad = true;
}

static int line_of(const config_setting_t *set)
{
	return (int)config_setting_source_line(set);
}

/* A user's value quoted back safely: no control characters, bounded length. */
static const char *printable(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (const unsigned char *c = (const unsigned char *)in; *c; c++) {
		char tmp[8];

		if (*c == '\n')
			snprintf(tmp, sizeof(tmp), "\\n");
		else if (*c == '"' || *c == '\\')
			snprintf(tmp, sizeof(tmp), "\\%c", *c);
		else if (*c < 0x20 || *c >= 0x7f)
			snprintf(tmp, sizeof(tmp), "\\x%02x", *c);
		else
			snprintf(tmp, sizeof(tmp), "%c", *c);
		if (o + strlen(tmp) + 4 > size || o >= ECHO_MAX) {
			snprintf(out + o, size - o, "...");
			return out;
		}
		memcpy(out + o, tmp, strlen(tmp) + 1);
		o += strlen(tmp);
	}
	out[o] = '\0';
	return out;
}

/* ---- pre-scan ---- */

static bool name_start(int c)
{
	return isalpha(c) || c == '*';
}

static bool name_char(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '*';
}

/* Skips one number token the way libconfig's scanner reads it; *overflow is
 * +1/-1 for a plain int literal that libconfig 1.5 would wrap. */
static const char *scan_number(const char *c, int *overflow)
{
	const char *start = c;

	*overflow = 0;
	if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X') && isxdigit((unsigned char)c[2])) {
		unsigned long long v;

		for (c += 2; isxdigit((unsigned char)*c); c++)
			;
		if (*c == 'L')
			return c[1] == 'L' ? c + 2 : c + 1;
		errno = 0;
		v = strtoull(start, NULL, 16);
		if (errno == ERANGE || v > INT_MAX)
			*overflow = 1;
		return c;
	}
	if (*c == '-' || *c == '+')
		c++;
	while (isdigit((unsigned char)*c))
		c++;
	if (*c == '.' || *c == 'e' || *c == 'E') {
		if (*c == '.')
			for (c++; isdigit((unsigned char)*c); c++)
				;
		if ((*c == 'e' || *c == 'E') &&
		    (isdigit((unsigned char)c[1]) ||
		     ((c[1] == '-' || c[1] == '+') && isdigit((unsigned char)c[2]))))
			for (c += 2; isdigit((unsigned char)*c); c++)
				;
		return c;
	}
	if (*c == 'L')
		return c[1] == 'L' ? c + 2 : c + 1;
	errno = 0;
	long long v = strtoll(start, NULL, 10);
	if (errno == ERANGE || v > INT_MAX || v < INT_MIN)
		*overflow = *start == '-' ? -1 : 1;
	return c;
}

static int note_wide(struct parse *p, int line, const char *name, size_t len, int sign)
{
	if (p->nwide == p->capwide) {
		size_t cap = p->capwide ? p->capwide * 2 : 4;
		struct wide_int *v = realloc(p->wide, cap * sizeof(*v));

		if (!v)
			return -1;
		p->wide = v;
		p->capwide = cap;
	}
	p->wide[p->nwide++] = (struct wide_int){line, sign, name, len};
	return 0;
}

/* What came before a string decides whether libconfig's grammar takes it. */
enum prev_token {
	PREV_OTHER,
	PREV_EQUALS,
	PREV_STRING,
	PREV_OPEN,
	PREV_COMMA,
};

#define NEST_MAX 64

/*
 * A string is a value after '=', the next part of a string, or an element
 * of [ ] or ( ). Anywhere else libconfig 1.5 reports a syntax error and
 * leaks the string; one left open at the end of the text it leaks or even
 * accepts. So the caller hands libconfig only the text before such a string.
 */
static bool string_allowed(enum prev_token prev, const char *nest, size_t depth)
{
	char top = depth == 0 ? '\0' : depth > NEST_MAX ? '(' : nest[depth - 1];

	if (prev == PREV_EQUALS || prev == PREV_STRING)
		return true;
	return (prev == PREV_OPEN || prev == PREV_COMMA) && (top == '[' || top == '(');
}

/*
 * Walks the text with libconfig's lexical rules (strings, three comment
 * styles, names, numbers) to find wrapped integers, strings libconfig would
 * leak, and @include, which would read another file behind the caller's
 * back. Returns -1 when the text must not be handed to libconfig.
 */
static int scan_text(struct parse *p, const char *text)
{
	const char *name = NULL;
	size_t namelen = 0, depth = 0;
	int line = 1, name_line = 0;
	bool assigned = false, line_start = true, first_on_line;
	enum prev_token prev = PREV_OTHER;
	char nest[NEST_MAX];
	const char *c = text;

	while (*c) {
		const unsigned char ch = (unsigned char)*c;

		if (ch == '\n') {
			line++;
			line_start = true;
			c++;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f') {
			c++;
			continue;
		}
		if (ch == '#' || (ch == '/' && c[1] == '/')) {
			while (*c && *c != '\n')
				c++;
			continue;
		}
		first_on_line = line_start;
		line_start = false;
		if (ch == '/' && c[1] == '*') {
			for (c += 2; *c && !(c[0] == '*' && c[1] == '/'); c++)
				if (*c == '\n')
					line++;
			if (*c)
				c += 2;
			continue;
		}
		if (ch == '"') {
			const char *start = c;
			int start_line = line;

			for (c++; *c && *c != '"'; c++) {
				if (*c == '\\' && c[1])
					c++;
				if (*c == '\n')
					line++;
			}
			if (!*c || !string_allowed(prev, nest, depth)) {
				p->stray = start;
				p->stray_line = start_line;
				p->stray_unclosed = !*c;
				return 0;
			}
			c++;
			name = NULL;
			prev = PREV_STRING;
			continue;
		}
		prev = PREV_OTHER;
		if (ch == '@' && first_on_line && strncmp(c, "@include", 8) == 0) {
			fail(p, line, NULL, "%s",
			     _("@include is not allowed in a profile; put every setting in this "
			       "file"));
			return -1;
		} else if (name_start(ch)) {
			name = c;
			name_line = line;
			while (name_char((unsigned char)*c))
				c++;
			namelen = (size_t)(c - name);
			assigned = false;
		} else if (ch == '=' || ch == ':') {
			assigned = name != NULL;
			prev = PREV_EQUALS;
			c++;
		} else if (isdigit(ch) || ((ch == '-' || ch == '+' || ch == '.') &&
		                           isdigit((unsigned char)c[1]))) {
			int overflow;

			c = scan_number(c, &overflow);
			if (overflow && name && assigned &&
			    note_wide(p, name_line, name, namelen, overflow) < 0) {
				fail(p, 0, NULL, "%s", _("out of memory"));
				return -1;
			}
			name = NULL;
		} else {
			if (ch == '[' || ch == '(' || ch == '{') {
				if (depth < NEST_MAX)
					nest[depth] = (char)ch;
				depth++;
				prev = PREV_OPEN;
			} else if ((ch == ']' || ch == ')' || ch == '}') && depth > 0) {
				depth--;
			} else if (ch == ',') {
				prev = PREV_COMMA;
			}
			name = NULL;
			c++;
		}
	}
	/* libconfig keeps line numbers in an unsigned short */
	if (line > USHRT_MAX) {
		fail(p, 0, NULL, "%s",
		     _("has more than 65535 lines, far more than any profile needs"));
		return -1;
	}
	return 0;
}

static int wide_sign(const struct parse *p, const config_setting_t *set)
{
	const char *name = config_setting_name(set);

	if (!name)
		return 0;
	for (size_t i = 0; i < p->nwide; i++) {
		const struct wide_int *w = &p->wide[i];

		/* libconfig keeps lines in an unsigned short */
		if ((unsigned short)w->line == config_setting_source_line(set) &&
		    strlen(name) == w->len && memcmp(name, w->name, w->len) == 0)
			return w->sign;
	}
	return 0;
}

/* ---- values ---- */

/* A whole number; anything outside int comes back as LONG_MIN/LONG_MAX,
 * which every setter refuses with its own range. */
static long get_whole(const struct parse *p, const config_setting_t *set)
{
	int sign;

	if (config_setting_type(set) == CONFIG_TYPE_INT64) {
		long long v = config_setting_get_int64(set);

		if (v > INT_MAX)
			return LONG_MAX;
		if (v < INT_MIN)
			return LONG_MIN;
		return (long)v;
	}
	if ((sign = wide_sign(p, set)))
		return sign > 0 ? LONG_MAX : LONG_MIN;
	return config_setting_get_int(set);
}

static double get_number(const struct parse *p, const config_setting_t *set)
{
	if (config_setting_type(set) == CONFIG_TYPE_FLOAT)
		return config_setting_get_float(set);
	return (double)get_whole(p, set);
}

static bool type_ok(const config_setting_t *set, enum key_type t)
{
	int type = config_setting_type(set);

	switch (t) {
	case KT_STRING:
		return type == CONFIG_TYPE_STRING;
	case KT_BOOL:
		return type == CONFIG_TYPE_BOOL;
	case KT_WHOLE:
		return type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64;
	case KT_NUMBER:
		return type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64 ||
		       type == CONFIG_TYPE_FLOAT;
	case KT_GROUP:
		return type == CONFIG_TYPE_GROUP;
	case KT_LIST:
		return type == CONFIG_TYPE_LIST || type == CONFIG_TYPE_ARRAY;
	case KT_GROUP_OR_FALSE:
		return type == CONFIG_TYPE_GROUP ||
		       (type == CONFIG_TYPE_BOOL && !config_setting_get_bool(set));
	case KT_LIST_OR_FALSE:
		return type == CONFIG_TYPE_LIST || type == CONFIG_TYPE_ARRAY ||
		       (type == CONFIG_TYPE_BOOL && !config_setting_get_bool(set));
	}
	return false;
}

struct enum_def {
	int (*from_name)(const char *name);
	const char *(*name)(int id);
	int count;
};

static const char *daemon_name(int id)
{
	return model_daemon_name((enum daemon_id)id);
}

static const char *kind_name(int id)
{
	return model_kind_name((enum server_kind)id);
}

static const char *leap_name(int id)
{
	return model_leap_name((enum leap_mode)id);
}

static const char *policy_name(int id)
{
	return model_policy_name((enum restrict_policy)id);
}

static const struct enum_def daemon_enum = {model_daemon_from_name, daemon_name, DAEMON_COUNT};
static const struct enum_def kind_enum = {model_kind_from_name, kind_name, SERVER_KIND_POOL + 1};
static const struct enum_def leap_enum = {model_leap_from_name, leap_name, LEAP_COUNT};
static const struct enum_def policy_enum = {model_policy_from_name, policy_name, POLICY_COUNT};

/* Returns the value's id, or -1 after reporting the accepted names. */
static int get_enum(struct parse *p, const config_setting_t *set, const char *field,
                    const struct enum_def *e)
{
	const char *value = config_setting_get_string(set);
	int id = e->from_name(value);
	char echo[ECHO_MAX + 16];
	struct strbuf names;

	if (id >= 0)
		return id;
	strbuf_init(&names);
	for (int i = 0; i < e->count; i++)
		strbuf_printf(&names, "%s%s", i ? ", " : "", e->name(i));
	fail(p, line_of(set), field, _("unknown value \"%s\"; expected one of: %s"),
	     printable(value, echo, sizeof(echo)), strbuf_str(&names));
	strbuf_free(&names);
	return -1;
}

/* ---- key tables ---- */

static const struct key *find_key(const struct key *keys, size_t nkeys, const char *name)
{
	for (size_t i = 0; i < nkeys; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static void unknown_key(struct parse *p, const config_setting_t *set, const struct key *keys,
                        size_t nkeys, const char *path)
{
	char echo[ECHO_MAX + 16];
	struct strbuf names;

	strbuf_init(&names);
	for (size_t i = 0; i < nkeys; i++)
		strbuf_printf(&names, "%s%s", i ? ", " : "", keys[i].name);
	fail(p, line_of(set), path, _("unknown key \"%s\"; expected one of: %s"),
	     printable(config_setting_name(set), echo, sizeof(echo)), strbuf_str(&names));
	strbuf_free(&names);
}

/* Reads every member of a group through its table; obj is what handlers and
 * bool offsets refer to; path is the group's field path ("" at the top). */
static void walk(struct parse *p, const config_setting_t *group, const struct key *keys,
                 size_t nkeys, void *obj, const char *path)
{
	int n = config_setting_length(group);

	for (int i = 0; i < n; i++) {
		const config_setting_t *set = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(set);
		const struct key *k = find_key(keys, nkeys, name);
		char field[FIELD_MAX];

		if (!k) {
			unknown_key(p, set, keys, nkeys, path);
			continue;
		}
		snprintf(field, sizeof(field), "%s%s%s", path, *path ? "." : "", k->name);
		if (!type_ok(set, k->type)) {
			fail(p, line_of(set), field, "%s", _(type_reasons[k->type]));
			continue;
		}
		if (k->handle)
			k->handle(p, obj, set, field);
		else
			*(bool *)((char *)obj + k->offset) = config_setting_get_bool(set) != 0;
	}
}

/* ---- handlers: servers ---- */

/* Setters locate their errors at srv->line; point it at the key while the
 * key is checked, then back at the server's "{". */
static void server_host(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct server *srv = obj;
	int line = srv->line;

	srv->line = line_of(set);
	if (model_set_server_host(p->s, srv, field, config_setting_get_string(set), p->errs) < 0)
		p->bad = true;
	srv->line = line;
}

static void server_kind(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct server *srv = obj;
	int kind = get_enum(p, set, field, &kind_enum);

	if (kind >= 0)
		srv->kind = (enum server_kind)kind;
}

static void server_poll(struct parse *p, struct server *srv, const config_setting_t *set,
                        const char *field, bool max)
{
	int line = srv->line;

	srv->line = line_of(set);
	if (model_set_server_poll(p->s, srv, field, max, get_whole(p, set), p->errs) < 0)
		p->bad = true;
	srv->line = line;
}

static void server_minpoll(struct parse *p, void *obj, const config_setting_t *set,
                           const char *field)
{
	server_poll(p, obj, set, field, false);
}

static void server_maxpoll(struct parse *p, void *obj, const config_setting_t *set,
                           const char *field)
{
	server_poll(p, obj, set, field, true);
}

static void server_weight(struct parse *p, void *obj, const config_setting_t *set,
                          const char *field)
{
	struct server *srv = obj;
	int line = srv->line;

	srv->line = line_of(set);
	if (model_set_server_weight(p->s, srv, field, get_whole(p, set), p->errs) < 0)
		p->bad = true;
	srv->line = line;
}

/* issue 16 section 3: chrony's maxdelay, seconds */
static void server_maxdelay(struct parse *p, void *obj, const config_setting_t *set,
                            const char *field)
{
	struct server *srv = obj;
	int line = srv->line;

	srv->line = line_of(set);
	if (model_set_server_maxdelay(p->s, srv, field, get_number(p, set), p->errs) < 0)
		p->bad = true;
	srv->line = line;
}

/* issue 16 section 2 */
static void server_key(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct server *srv = obj;
	int line = srv->line;

	srv->line = line_of(set);
	if (model_set_server_key(p->s, srv, field, get_whole(p, set), p->errs) < 0)
		p->bad = true;
	srv->line = line;
}

static const struct key server_keys[] = {
    {"host", KT_STRING, server_host, 0},
    {"kind", KT_STRING, server_kind, 0},
    {"iburst", KT_BOOL, NULL, offsetof(struct server, iburst)},
    {"nts", KT_BOOL, NULL, offsetof(struct server, nts)},
    {"prefer", KT_BOOL, NULL, offsetof(struct server, prefer)},
    {"minpoll", KT_WHOLE, server_minpoll, 0},
    {"maxpoll", KT_WHOLE, server_maxpoll, 0},
    {"weight", KT_WHOLE, server_weight, 0},
    {"key", KT_WHOLE, server_key, 0}, /* issue 16 section 2 */
    /* source selection (issue 16 section 3) */
    {"noselect", KT_BOOL, NULL, offsetof(struct server, noselect)},
    {"trust", KT_BOOL, NULL, offsetof(struct server, trust)},
    {"xleave", KT_BOOL, NULL, offsetof(struct server, xleave)},
    {"maxdelay", KT_NUMBER, server_maxdelay, 0},
};

static void parse_server(struct parse *p, const config_setting_t *set, unsigned index)
{
	char field[FIELD_MAX], hostfield[FIELD_MAX];
	bool was_bad = p->bad;
	struct server srv;

	snprintf(field, sizeof(field), "servers[%u]", index);
	if (!config_setting_is_group(set)) {
		fail(p, line_of(set), field, "%s", _("must be a group: { host = \"NAME\"; ... }"));
		return;
	}
	model_server_init(&srv);
	srv.line = line_of(set);
	p->bad = false;
	if (!config_setting_get_member(set, "host")) {
		snprintf(hostfield, sizeof(hostfield), "servers[%u].host", index);
		fail(p, srv.line, hostfield, "%s", _("is missing; every server needs a host"));
	}
	walk(p, set, KEYS(server_keys), &srv, field);
	/* Only a server whose keys were all accepted is added, so one mistake
	 * does not also come back as "host is empty". */
	if (!p->bad && model_add_server(p->s, &srv, field, p->errs) < 0)
		p->bad = true;
	p->bad = p->bad || was_bad;
}

static void set_servers(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct setup *s = obj;
	int n = config_setting_length(set);

	s->servers_set = true;
	/* "servers = ();" with refclocks: a stratum-1 host (model_check
	 * refuses an empty list without them) */
	if (n == 0 && config_setting_get_member(config_root_setting(set->config), "refclocks"))
		return;
	if (n == 0) {
		fail(p, line_of(set), field, "%s",
		     _("is empty; list at least one server or pool, or leave servers out for the "
		       "distribution's defaults"));
		return;
	}
	for (int i = 0; i < n; i++)
		parse_server(p, config_setting_get_elem(set, (unsigned)i), (unsigned)i);
}

/* ---- handlers: the other groups ---- */

static void set_version(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	(void)obj;
	if (get_whole(p, set) != PROFILE_VERSION)
		fail(p, line_of(set), field, _("only version %d is supported"), PROFILE_VERSION);
}

static void set_daemon(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct setup *s = obj;
	int d = get_enum(p, set, field, &daemon_enum);

	if (d >= 0)
		s->daemon = (enum daemon_id)d;
}

static void set_leap_mode(struct parse *p, void *obj, const config_setting_t *set,
                          const char *field)
{
	struct setup *s = obj;
	int m = get_enum(p, set, field, &leap_enum);

	s->leap_line = line_of(set);
	if (m >= 0)
		s->leap = (enum leap_mode)m;
}

/* leap.smear = { maxfreq; maxwander; }: each key passes the other's current
 * value (or the default) to the setter, which checks both. */
static void set_smear_maxfreq(struct parse *p, void *obj, const config_setting_t *set,
                              const char *field)
{
	struct setup *s = obj;

	(void)field;
	if (model_set_smear(s, "leap.smear", get_number(p, set),
	                    s->smear_maxwander != 0.0 ? s->smear_maxwander : MODEL_SMEAR_MAXWANDER,
	                    line_of(set), p->errs) < 0)
		p->bad = true;
}

static void set_smear_maxwander(struct parse *p, void *obj, const config_setting_t *set,
                                const char *field)
{
	struct setup *s = obj;

	(void)field;
	if (model_set_smear(s, "leap.smear",
	                    s->smear_maxfreq != 0.0 ? s->smear_maxfreq : MODEL_SMEAR_MAXFREQ,
	                    get_number(p, set), line_of(set), p->errs) < 0)
		p->bad = true;
}

static const struct key smear_keys[] = {
    {"maxfreq", KT_NUMBER, set_smear_maxfreq, 0},
    {"maxwander", KT_NUMBER, set_smear_maxwander, 0},
};

static void set_smear(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	walk(p, set, KEYS(smear_keys), obj, field);
}

static const struct key leap_keys[] = {
    {"mode", KT_STRING, set_leap_mode, 0},
    {"smear", KT_GROUP, set_smear, 0},
};

static void set_leap(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct setup *s = obj;

	s->leap_line = line_of(set);
	walk(p, set, KEYS(leap_keys), s, field);
}

static void set_policy(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct setup *s = obj;
	int pol = get_enum(p, set, field, &policy_enum);

	s->policy_line = line_of(set);
	if (pol >= 0)
		s->policy = (enum restrict_policy)pol;
}

/* A list of strings, each handed to add (model_add_allow, model_add_listen). */
static void set_strings(struct parse *p, struct setup *s, const config_setting_t *set,
                        const char *field,
                        int (*add)(struct setup *, const char *, const char *, int,
                                   struct errlist *))
{
	int n = config_setting_length(set);

	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(set, (unsigned)i);
		char f[FIELD_MAX];

		snprintf(f, sizeof(f), "%s[%d]", field, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			fail(p, line_of(e), f, "%s", _(type_reasons[KT_STRING]));
		else if (add(s, f, config_setting_get_string(e), line_of(e), p->errs) < 0)
			p->bad = true;
	}
}

static void set_allow(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	set_strings(p, obj, set, field, model_add_allow);
}

static void set_listen(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	set_strings(p, obj, set, field, model_add_listen);
}

static const struct key restrict_keys[] = {
    {"policy", KT_STRING, set_policy, 0},
    {"allow", KT_LIST, set_allow, 0},
    {"listen", KT_LIST, set_listen, 0},
};

static void set_restrict(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct setup *s = obj;

	s->policy_line = line_of(set);
	walk(p, set, KEYS(restrict_keys), s, field);
}

static void set_driftfile(struct parse *p, void *obj, const config_setting_t *set,
                          const char *field)
{
	if (model_set_driftfile(obj, field, config_setting_get_string(set), line_of(set), p->errs) <
	    0)
		p->bad = true;
}

static void set_logdir(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	if (model_set_logdir(obj, field, config_setting_get_string(set), line_of(set), p->errs) < 0)
		p->bad = true;
}

/* The setter takes both values and says which one is wrong, so each key
 * passes the other's current (valid) value. */
static void set_threshold(struct parse *p, void *obj, const config_setting_t *set,
                          const char *field)
{
	struct setup *s = obj;

	(void)field;
	if (model_set_makestep(s, "options.makestep", get_number(p, set), s->options.makestep_limit,
	                       line_of(set), p->errs) < 0)
		p->bad = true;
}

static void set_limit(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct setup *s = obj;

	(void)field;
	if (model_set_makestep(s, "options.makestep", s->options.makestep_threshold,
	                       get_whole(p, set), line_of(set), p->errs) < 0)
		p->bad = true;
}

static const struct key makestep_keys[] = {
    {"threshold", KT_NUMBER, set_threshold, 0},
    {"limit", KT_WHOLE, set_limit, 0},
};

/* "makestep = false;": the clock is never stepped (chrony without makestep). */
static void set_makestep(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct setup *s = obj;

	if (config_setting_type(set) == CONFIG_TYPE_BOOL) {
		s->options.makestep_threshold = 0.0;
		return;
	}
	walk(p, set, KEYS(makestep_keys), obj, field);
}

/* issue 16 section 7: options.hwtimestamp = ( "eth0", ... ) or ( "*" ) */
static void set_hwtimestamp(struct parse *p, void *obj, const config_setting_t *set,
                            const char *field)
{
	struct setup *s = obj;
	int n = config_setting_length(set);

	s->hwtimestamp.n = 0;
	s->hwtimestamp.line = line_of(set);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(set, (unsigned)i);
		char f[FIELD_MAX];

		snprintf(f, sizeof(f), "%s[%d]", field, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			fail(p, line_of(e), f, "%s", _(type_reasons[KT_STRING]));
		else if (nts_add_hwtimestamp(s, f, config_setting_get_string(e), line_of(e),
		                             p->errs) < 0)
			p->bad = true;
	}
}

static const struct key options_keys[] = {
    {"driftfile", KT_STRING, set_driftfile, 0},
    {"logdir", KT_STRING, set_logdir, 0},
    {"rtcsync", KT_BOOL, NULL, offsetof(struct setup, options.rtcsync)},
    {"makestep", KT_GROUP_OR_FALSE, set_makestep, 0},
    {"hwtimestamp", KT_LIST, set_hwtimestamp, 0}, /* issue 16 section 7 */
};

static const struct key apply_keys[] = {
    {"backup", KT_BOOL, NULL, offsetof(struct setup, apply.backup)},
    {"restart", KT_BOOL, NULL, offsetof(struct setup, apply.restart)},
    {"stop_conflicting", KT_BOOL, NULL, offsetof(struct setup, apply.stop_conflicting)},
    {"install", KT_BOOL, NULL, offsetof(struct setup, apply.install)},
};

static void set_options(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	walk(p, set, KEYS(options_keys), obj, field);
}

static void set_apply(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	walk(p, set, KEYS(apply_keys), obj, field);
}

static const struct key keep_keys[] = {
    {"dhcp_servers", KT_BOOL, NULL, offsetof(struct setup, keep.dhcp_servers)},
    {"drop_in_dirs", KT_BOOL, NULL, offsetof(struct setup, keep.drop_in_dirs)},
};

static void set_keep(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct setup *s = obj;

	s->keep.line = line_of(set);
	walk(p, set, KEYS(keep_keys), obj, field);
}

/* ---- handlers: selection, orphan, constraints (issue 16) ---- */

static void set_minsources(struct parse *p, void *obj, const config_setting_t *set,
                           const char *field)
{
	if (model_set_minsources(obj, field, get_whole(p, set), line_of(set), p->errs) < 0)
		p->bad = true;
}

static void set_maxdistance(struct parse *p, void *obj, const config_setting_t *set,
                            const char *field)
{
	if (model_set_maxdistance(obj, field, get_number(p, set), line_of(set), p->errs) < 0)
		p->bad = true;
}

static const struct key selection_keys[] = {
    {"minsources", KT_WHOLE, set_minsources, 0},
    {"maxdistance", KT_NUMBER, set_maxdistance, 0},
};

static void set_selection(struct parse *p, void *obj, const config_setting_t *set,
                          const char *field)
{
	struct setup *s = obj;

	s->selection.line = line_of(set);
	walk(p, set, KEYS(selection_keys), obj, field);
}

static void set_orphan_stratum(struct parse *p, void *obj, const config_setting_t *set,
                               const char *field)
{
	if (model_set_orphan(obj, field, get_whole(p, set), line_of(set), p->errs) < 0)
		p->bad = true;
}

static const struct key orphan_keys[] = {
    {"stratum", KT_WHOLE, set_orphan_stratum, 0},
};

/* "orphan = { stratum = N; };" or "orphan = false;" (the default) */
static void set_orphan(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct setup *s = obj;

	s->selection.orphan_line = line_of(set);
	if (config_setting_type(set) == CONFIG_TYPE_BOOL) {
		s->selection.orphan = 0;
		return;
	}
	if (!config_setting_get_member(set, "stratum"))
		fail(p, line_of(set), field, "%s",
		     _("needs a stratum: orphan = { stratum = 10; };"));
	walk(p, set, KEYS(orphan_keys), obj, field);
}

struct constraint_item {
	const char *from;
	bool all;
	bool all_set;
};

static void constraint_from(struct parse *p, void *obj, const config_setting_t *set,
                            const char *field)
{
	(void)p;
	(void)field;
	((struct constraint_item *)obj)->from = config_setting_get_string(set);
}

static void constraint_all(struct parse *p, void *obj, const config_setting_t *set,
                           const char *field)
{
	struct constraint_item *c = obj;

	(void)p;
	(void)field;
	c->all = config_setting_get_bool(set) != 0;
	c->all_set = true;
}

static const struct key constraint_keys[] = {
    {"from", KT_STRING, constraint_from, 0},
    {"all", KT_BOOL, constraint_all, 0},
};

/* "constraints = ( "NAME", { from = "ADDRESS"; all = false; } );" or
 * "constraints = false;" (none: OpenNTPD trusts its servers' time). */
static void set_constraints(struct parse *p, void *obj, const config_setting_t *set,
                            const char *field)
{
	struct setup *s = obj;
	int n;

	s->constraints.set = true;
	s->constraints.n = 0;
	s->constraints.line = line_of(set);
	if (config_setting_type(set) == CONFIG_TYPE_BOOL)
		return;
	n = config_setting_length(set);
	if (n == 0) {
		fail(p, line_of(set), field, "%s",
		     _("is empty; list at least one constraint, write constraints = false; to "
		       "switch them off, or leave constraints out for OpenBSD's defaults"));
		return;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(set, (unsigned)i);
		struct constraint_item c = {0};
		char f[FIELD_MAX];
		bool was_bad = p->bad;

		snprintf(f, sizeof(f), "%s[%d]", field, i);
		if (config_setting_type(e) == CONFIG_TYPE_STRING) {
			c.from = config_setting_get_string(e);
		} else if (config_setting_is_group(e)) {
			p->bad = false;
			walk(p, e, KEYS(constraint_keys), &c, f);
			if (!c.from && !p->bad)
				fail(p, line_of(e), f, "%s",
				     _("needs from: { from = \"NAME\"; all = true; }"));
			if (p->bad)
				continue;
			p->bad = was_bad;
		} else {
			fail(p, line_of(e), f, "%s",
			     _("must be a string or a group: { from = \"NAME\"; all = true; }"));
			continue;
		}
		if (model_add_constraint(s, f, c.from,
		                         c.all_set ? c.all : model_constraint_default_all(c.from),
		                         line_of(e), p->errs) < 0)
			p->bad = true;
	}
}

/* ---- issue 16 section 2: keys = { file = "/path"; } ---- */
static void set_keys_file(struct parse *p, void *obj, const config_setting_t *set,
                          const char *field)
{
	if (model_set_keys_file(obj, field, config_setting_get_string(set), line_of(set), p->errs) <
	    0)
		p->bad = true;
}

static const char *const key_formats[] = {"chrony", "ntp"};

static int key_format_from_name(const char *name)
{
	for (int i = 0; i < 2; i++)
		if (name && strcmp(name, key_formats[i]) == 0)
			return i;
	return -1;
}

static const char *key_format_name(int id)
{
	return id == 1 ? key_formats[1] : key_formats[0];
}

static const struct enum_def key_format_enum = {key_format_from_name, key_format_name, 2};

static void set_keys_format(struct parse *p, void *obj, const config_setting_t *set,
                            const char *field)
{
	struct setup *s = obj;
	int f = get_enum(p, set, field, &key_format_enum);

	if (f >= 0)
		s->keys.ntp_format = f == 1;
}

static const struct key keys_keys[] = {
    {"file", KT_STRING, set_keys_file, 0},
    {"format", KT_STRING, set_keys_format, 0},
};

static void set_keys(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	walk(p, set, KEYS(keys_keys), obj, field);
}

/* ---- issue 16 section 8: extra = { chrony = ( "directive args" ); ... } ---- */
static void set_extra_list(struct parse *p, struct setup *s, enum daemon_id d,
                           const config_setting_t *set, const char *field)
{
	int n = config_setting_length(set);

	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(set, (unsigned)i);
		char f[FIELD_MAX];

		snprintf(f, sizeof(f), "%s[%d]", field, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			fail(p, line_of(e), f, "%s", _(type_reasons[KT_STRING]));
		else if (model_add_extra(s, d, f, config_setting_get_string(e), line_of(e),
		                         p->errs) < 0)
			p->bad = true;
	}
}

#define EXTRA_HANDLER(fn, id)                                                                      \
	static void fn(struct parse *p, void *obj, const config_setting_t *set, const char *field) \
	{                                                                                          \
		set_extra_list(p, obj, id, set, field);                                            \
	}
EXTRA_HANDLER(set_extra_ntp, DAEMON_NTP)
EXTRA_HANDLER(set_extra_ntpsec, DAEMON_NTPSEC)
EXTRA_HANDLER(set_extra_chrony, DAEMON_CHRONY)
EXTRA_HANDLER(set_extra_openntpd, DAEMON_OPENNTPD)
EXTRA_HANDLER(set_extra_timesyncd, DAEMON_TIMESYNCD)

static const struct key extra_keys[] = {
    {"ntp", KT_LIST, set_extra_ntp, 0},
    {"ntpsec", KT_LIST, set_extra_ntpsec, 0},
    {"chrony", KT_LIST, set_extra_chrony, 0},
    {"openntpd", KT_LIST, set_extra_openntpd, 0},
    {"timesyncd", KT_LIST, set_extra_timesyncd, 0},
};

static void set_extra(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	walk(p, set, KEYS(extra_keys), obj, field);
}

/* ---- issue 16 section 6: nts_server = { certificate = "/p"; key = "/p"; } ---- */
struct nts_item {
	const char *certificate, *key;
};

static void nts_certificate(struct parse *p, void *obj, const config_setting_t *set,
                            const char *field)
{
	(void)p;
	(void)field;
	((struct nts_item *)obj)->certificate = config_setting_get_string(set);
}

static void nts_key(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	(void)p;
	(void)field;
	((struct nts_item *)obj)->key = config_setting_get_string(set);
}

static const struct key nts_server_keys[] = {
    {"certificate", KT_STRING, nts_certificate, 0},
    {"key", KT_STRING, nts_key, 0},
};

static void set_nts_server(struct parse *p, void *obj, const config_setting_t *set,
                           const char *field)
{
	struct nts_item n = {0};
	bool was_bad = p->bad;

	p->bad = false;
	walk(p, set, KEYS(nts_server_keys), &n, field);
	if (!p->bad && (!n.certificate || !n.key))
		fail(p, line_of(set), field, "%s",
		     _("needs both files: nts_server = { certificate = \"/path/fullchain.pem\"; "
		       "key = \"/path/privkey.pem\"; };"));
	if (!p->bad && nts_set_server(obj, field, n.certificate, n.key, line_of(set), p->errs) < 0)
		p->bad = true;
	p->bad |= was_bad;
}

/* ---- issue 16 section 5: refclocks = ( { driver = "shm"; unit = 0; ... } ) ---- */
static int refclock_driver_id(const char *name)
{
	return refclock_driver_from_name(name);
}

static const char *refclock_driver_text(int id)
{
	return refclock_driver_name((enum refclock_driver)id);
}

static const struct enum_def refclock_driver_enum = {refclock_driver_id, refclock_driver_text,
                                                     REFCLOCK_COUNT};

struct refclock_item {
	struct refclock rc;
	bool driver_set;
};

static void rc_driver(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct refclock_item *it = obj;
	int d = get_enum(p, set, field, &refclock_driver_enum);

	if (d < 0) {
		p->bad = true;
		return;
	}
	it->rc.driver = (enum refclock_driver)d;
	it->driver_set = true;
}

/* a string into a fixed field; too long is refused here, the rest by
 * refclock_add */
static void rc_string(struct parse *p, char *dst, size_t size, const config_setting_t *set,
                      const char *field, const char *too_long)
{
	const char *v = config_setting_get_string(set);

	if (strlen(v) >= size) {
		fail(p, line_of(set), field, "%s", too_long);
		return;
	}
	snprintf(dst, size, "%s", v);
}

static void rc_device(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct refclock_item *it = obj;

	rc_string(p, it->rc.device, sizeof(it->rc.device), set, field, _("is too long"));
}

static void rc_refid(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct refclock_item *it = obj;

	rc_string(p, it->rc.refid, sizeof(it->rc.refid), set, field,
	          _("is longer than 4 characters (a reference ID is at most four ASCII "
	            "characters)"));
}

static void rc_lock(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct refclock_item *it = obj;

	rc_string(p, it->rc.lock, sizeof(it->rc.lock), set, field,
	          _("is longer than 4 characters (it names another refclock's refid)"));
}

static int clamp_int(long v)
{
	return v < -100000 ? -100000 : v > 100000 ? 100000 : (int)v;
}

static void rc_unit(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	(void)field;
	((struct refclock_item *)obj)->rc.unit = clamp_int(get_whole(p, set));
}

static void rc_poll(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	(void)field;
	((struct refclock_item *)obj)->rc.poll = clamp_int(get_whole(p, set));
}

static void rc_dpoll(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	(void)field;
	((struct refclock_item *)obj)->rc.dpoll = clamp_int(get_whole(p, set));
}

static void rc_offset(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	(void)field;
	((struct refclock_item *)obj)->rc.offset = get_number(p, set);
}

static void rc_delay(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	(void)field;
	((struct refclock_item *)obj)->rc.delay = get_number(p, set);
}

/* one row per key: its type here, its range in refclock.c */
static const struct key refclock_keys[] = {
    {"driver", KT_STRING, rc_driver, 0},
    {"device", KT_STRING, rc_device, 0},
    {"unit", KT_WHOLE, rc_unit, 0},
    {"refid", KT_STRING, rc_refid, 0},
    {"offset", KT_NUMBER, rc_offset, 0},
    {"delay", KT_NUMBER, rc_delay, 0},
    {"prefer", KT_BOOL, NULL, offsetof(struct refclock_item, rc.prefer)},
    {"noselect", KT_BOOL, NULL, offsetof(struct refclock_item, rc.noselect)},
    {"lock", KT_STRING, rc_lock, 0},
    {"poll", KT_WHOLE, rc_poll, 0},
    {"dpoll", KT_WHOLE, rc_dpoll, 0},
};

static void set_refclocks(struct parse *p, void *obj, const config_setting_t *set,
                          const char *field)
{
	struct setup *s = obj;
	int n = config_setting_length(set);

	s->refclocks.line = line_of(set);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(set, (unsigned)i);
		struct refclock_item it;
		char f[FIELD_MAX];
		bool was_bad = p->bad;

		snprintf(f, sizeof(f), "%s[%d]", field, i);
		if (!config_setting_is_group(e)) {
			fail(p, line_of(e), f, "%s",
			     _("must be a group: { driver = \"shm\"; unit = 0; refid = \"GPS\"; }"));
			continue;
		}
		refclock_init(&it.rc);
		it.driver_set = false;
		it.rc.line = line_of(e);
		p->bad = false;
		walk(p, e, KEYS(refclock_keys), &it, f);
		if (!it.driver_set && !p->bad)
			fail(p, line_of(e), f, "%s",
			     _("needs a driver: pps, shm, sock or phc"));
		if (!p->bad && refclock_add(s, &it.rc, f, p->errs) < 0)
			p->bad = true;
		p->bad = p->bad || was_bad;
	}
}

/* ---- issue 16 section 7: start = { user = "NAME"; family = "any"; }; ---- */

static int start_family_from(const char *name)
{
	int f = model_start_family_from_name(name);
	return f < 0 ? -1 : f - START_FAMILY_ANY;
}
static const char *start_family_of(int i)
{
	return model_start_family_name((enum start_family)(i + START_FAMILY_ANY));
}
static const struct enum_def start_family_enum = {start_family_from, start_family_of,
                                                  START_FAMILY_COUNT - START_FAMILY_ANY};

static void set_start_user(struct parse *p, void *obj, const config_setting_t *set,
                           const char *field)
{
	const char *u = config_setting_get_string(set);

	if (!u[0]) {
		fail(p, line_of(set), field, "%s",
		     _("is empty; name the user, or leave start.user out to keep the service's"));
		return;
	}
	if (model_set_start_user(obj, field, u, line_of(set), p->errs) < 0)
		p->bad = true;
}

static void set_start_family(struct parse *p, void *obj, const config_setting_t *set,
                             const char *field)
{
	struct setup *s = obj;
	int f = get_enum(p, set, field, &start_family_enum);

	if (f >= 0)
		s->start.family = (enum start_family)(f + START_FAMILY_ANY);
}

static const struct key start_keys[] = {
    {"user", KT_STRING, set_start_user, 0},
    {"family", KT_STRING, set_start_family, 0},
};

static void set_start(struct parse *p, void *obj, const config_setting_t *set, const char *field)
{
	struct setup *s = obj;

	s->start.line = line_of(set);
	walk(p, set, KEYS(start_keys), obj, field);
}

static const struct key top_keys[] = {
    {"version", KT_WHOLE, set_version, 0},
    {"daemon", KT_STRING, set_daemon, 0},
    {"servers", KT_LIST, set_servers, 0},
    {"leap", KT_GROUP, set_leap, 0},
    {"restrict", KT_GROUP, set_restrict, 0},
    {"options", KT_GROUP, set_options, 0},
    {"apply", KT_GROUP, set_apply, 0},
    {"keep", KT_GROUP, set_keep, 0},
    {"keys", KT_GROUP, set_keys, 0},   /* issue 16 section 2 */
    {"extra", KT_GROUP, set_extra, 0}, /* issue 16 section 8 */
    {"selection", KT_GROUP, set_selection, 0},
    {"orphan", KT_GROUP_OR_FALSE, set_orphan, 0},
    {"constraints", KT_LIST_OR_FALSE, set_constraints, 0},
    {"nts_server", KT_GROUP, set_nts_server, 0}, /* issue 16 section 6 */
    {"refclocks", KT_LIST, set_refclocks, 0}, /* issue 16 section 5 */
    {"start", KT_GROUP, set_start, 0}, /* issue 16 section 7 */
};

static void syntax_error(struct parse *p, const config_t *cfg)
{
	const char *why = config_error_text(cfg);

	/* libconfig's plainest message is "syntax error" itself */
	if (!why || strcmp(why, "syntax error") == 0)
		fail(p, config_error_line(cfg), NULL, "%s", _("syntax error"));
	else
		fail(p, config_error_line(cfg), NULL, _("syntax error: %s"), why);
}

int profile_parse(const char *text, const char *source, struct setup *s, struct errlist *errs)
{
	struct parse p = {.s = s, .errs = errs};
	config_t cfg;

	model_init(s);
	snprintf(s->source, sizeof(s->source), "%s", source ? source : "");
	if (!text)
		text = "";
	if (scan_text(&p, text) < 0) {
		free(p.wide);
		return -1;
	}
	config_init(&cfg);
	if (p.stray) {
		/* Only the text before the stray string goes to libconfig: an
		 * error on an earlier line is still reported where it is (one on
		 * the string's own line may just be where the text was cut). */
		char *head = strndup(text, (size_t)(p.stray - text));

		if (!head)
			fail(&p, 0, NULL, "%s", _("out of memory"));
		else if (config_read_string(&cfg, head) != CONFIG_TRUE &&
		         config_error_line(&cfg) < p.stray_line)
			syntax_error(&p, &cfg);
		else if (p.stray_unclosed)
			fail(&p, p.stray_line, NULL, "%s",
			     _("syntax error: a string is missing its closing quote"));
		else
			fail(&p, p.stray_line, NULL, "%s", _("syntax error"));
		free(head);
	} else if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		syntax_error(&p, &cfg);
	} else {
		const config_setting_t *root = config_root_setting(&cfg);

		/* reported first: it has no line, and errors come in line order */
		if (!config_setting_get_member(root, "version"))
			fail(&p, 0, "version", "%s",
			     _("is missing; add \"version = 1;\" to the profile"));
		walk(&p, root, KEYS(top_keys), s, "");
		/* cross-field rules, once every field is known to be sound */
		if (!p.bad && model_check(s, errs) < 0)
			p.bad = true;
	}
	config_destroy(&cfg);
	free(p.wide);
	return p.bad ? -1 : 0;
}

/* ---- output ---- */

static void put_string(struct strbuf *sb, const char *str)
{
	strbuf_putc(sb, '"');
	for (const unsigned char *c = (const unsigned char *)str; *c; c++) {
		switch (*c) {
		case '"':
			strbuf_puts(sb, "\\\"");
			break;
		case '\\':
			strbuf_puts(sb, "\\\\");
			break;
		case '\n':
			strbuf_puts(sb, "\\n");
			break;
		case '\t':
			strbuf_puts(sb, "\\t");
			break;
		default:
			if (*c < 0x20 || *c == 0x7f)
				strbuf_printf(sb, "\\x%02x", *c);
			else
				strbuf_putc(sb, (char)*c);
		}
	}
	strbuf_putc(sb, '"');
}

static const char *bool_text(bool b)
{
	return b ? "true" : "false";
}

/* The shortest text that reads back as exactly v, always with a '.' or an
 * exponent so libconfig keeps it a float; in the C locale whatever the
 * user's LC_NUMERIC says. */
static void put_double(struct strbuf *sb, double v)
{
	locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old;
	char buf[40];

	if (!c_locale) {
		sb->failed = true;
		return;
	}
	old = uselocale(c_locale);
	if (v == 0.0) {
		snprintf(buf, sizeof(buf), "0.0"); /* -0.0 too: it would read back as 0 */
	} else {
		/* a plain number (400.0, not 4e+02) wherever %g can write one */
		bool plain = fabs(v) >= 1e-4 && fabs(v) < 1e15;
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, v);
			if (strtod(buf, NULL) == v && (!plain || !strchr(buf, 'e') || prec == 17))
				break;
		}
		if (!strpbrk(buf, ".eE"))
			strcat(buf, ".0");
	}
	uselocale(old);
	freelocale(c_locale);
	strbuf_puts(sb, buf);
}

/* Refuses what profile_parse would refuse (model_check covers every range),
 * so a written profile always loads again. */
static int check_for_format(const struct setup *s, struct errlist *errs)
{
	return model_check(s, errs);
}

static void put_server(struct strbuf *sb, const struct server *srv)
{
	strbuf_puts(sb, "  { host = ");
	put_string(sb, srv->host);
	strbuf_printf(sb, "; kind = \"%s\"; iburst = %s;", model_kind_name(srv->kind),
	              bool_text(srv->iburst));
	if (srv->nts)
		strbuf_puts(sb, " nts = true;");
	if (srv->prefer)
		strbuf_puts(sb, " prefer = true;");
	if (srv->minpoll != MODEL_POLL_UNSET)
		strbuf_printf(sb, " minpoll = %d;", srv->minpoll);
	if (srv->maxpoll != MODEL_POLL_UNSET)
		strbuf_printf(sb, " maxpoll = %d;", srv->maxpoll);
	if (srv->weight)
		strbuf_printf(sb, " weight = %d;", srv->weight);
	if (srv->key) /* issue 16 section 2 */
		strbuf_printf(sb, " key = %u;", srv->key);
	/* source selection (issue 16 section 3) */
	if (srv->noselect)
		strbuf_puts(sb, " noselect = true;");
	if (srv->trust)
		strbuf_puts(sb, " trust = true;");
	if (srv->xleave)
		strbuf_puts(sb, " xleave = true;");
	if (srv->maxdelay != 0.0) {
		strbuf_puts(sb, " maxdelay = ");
		put_double(sb, srv->maxdelay);
		strbuf_putc(sb, ';');
	}
	strbuf_puts(sb, " }");
}

/* issue 16: selection, orphan and constraints, only when set */
static void put_selection(struct strbuf *sb, const struct setup *s)
{
	const struct setup_selection *sel = &s->selection;

	if (sel->minsources || sel->maxdistance != 0.0) {
		strbuf_puts(sb, "selection = {");
		if (sel->minsources)
			strbuf_printf(sb, " minsources = %d;", sel->minsources);
		if (sel->maxdistance != 0.0) {
			strbuf_puts(sb, " maxdistance = ");
			put_double(sb, sel->maxdistance);
			strbuf_putc(sb, ';');
		}
		strbuf_puts(sb, " };\n");
	}
	if (sel->orphan)
		strbuf_printf(sb, "orphan = { stratum = %d; };\n", sel->orphan);
	if (!s->constraints.set)
		return;
	if (s->constraints.n == 0) {
		strbuf_puts(sb, "constraints = false;\n");
		return;
	}
	strbuf_puts(sb, "constraints = (\n");
	for (size_t i = 0; i < s->constraints.n; i++) {
		const struct constraint *c = &s->constraints.v[i];

		strbuf_puts(sb, "  ");
		if (c->all == model_constraint_default_all(c->from)) {
			put_string(sb, c->from);
		} else {
			strbuf_puts(sb, "{ from = ");
			put_string(sb, c->from);
			strbuf_printf(sb, "; all = %s; }", bool_text(c->all));
		}
		strbuf_puts(sb, i + 1 < s->constraints.n ? ",\n" : "\n");
	}
	strbuf_puts(sb, ");\n");
}

/* issue 16 section 5: only the keys that differ from the defaults */
static void put_refclocks(struct strbuf *sb, const struct setup *s)
{
	if (!s->refclocks.n)
		return;
	strbuf_puts(sb, "refclocks = (\n");
	for (size_t i = 0; i < s->refclocks.n; i++) {
		const struct refclock *rc = &s->refclocks.v[i];

		strbuf_printf(sb, "  { driver = \"%s\";", refclock_driver_name(rc->driver));
		if (rc->device[0]) {
			strbuf_puts(sb, " device = ");
			put_string(sb, rc->device);
			strbuf_putc(sb, ';');
		}
		if (rc->driver == REFCLOCK_SHM)
			strbuf_printf(sb, " unit = %d;", rc->unit);
		if (rc->refid[0]) {
			strbuf_puts(sb, " refid = ");
			put_string(sb, rc->refid);
			strbuf_putc(sb, ';');
		}
		if (rc->offset != 0.0) {
			strbuf_puts(sb, " offset = ");
			put_double(sb, rc->offset);
			strbuf_putc(sb, ';');
		}
		if (rc->delay != 0.0) {
			strbuf_puts(sb, " delay = ");
			put_double(sb, rc->delay);
			strbuf_putc(sb, ';');
		}
		if (rc->prefer)
			strbuf_puts(sb, " prefer = true;");
		if (rc->noselect)
			strbuf_puts(sb, " noselect = true;");
		if (rc->lock[0]) {
			strbuf_puts(sb, " lock = ");
			put_string(sb, rc->lock);
			strbuf_putc(sb, ';');
		}
		if (rc->poll != MODEL_POLL_UNSET)
			strbuf_printf(sb, " poll = %d;", rc->poll);
		if (rc->dpoll != MODEL_POLL_UNSET)
			strbuf_printf(sb, " dpoll = %d;", rc->dpoll);
		strbuf_puts(sb, i + 1 < s->refclocks.n ? " },\n" : " }\n");
	}
	strbuf_puts(sb, ");\n");
}

int profile_format(const struct setup *s, struct strbuf *out, struct errlist *errs)
{
	struct strbuf sb;

	if (check_for_format(s, errs) < 0)
		return -1;
	strbuf_init(&sb);
	strbuf_puts(&sb, "# ntpwiz profile, see ntpwiz-profile(5)\n");
	strbuf_printf(&sb, "version = %d;\n", PROFILE_VERSION);
	strbuf_printf(&sb, "daemon = \"%s\";\n", model_daemon_name(s->daemon));
	if (s->servers_set) {
		strbuf_puts(&sb, "servers = (\n");
		for (size_t i = 0; i < s->nservers; i++) {
			put_server(&sb, &s->servers[i]);
			strbuf_puts(&sb, i + 1 < s->nservers ? ",\n" : "\n");
		}
		strbuf_puts(&sb, ");\n");
	}
	strbuf_printf(&sb, "leap = { mode = \"%s\";", model_leap_name(s->leap));
	if (s->smear_maxfreq != 0.0) {
		strbuf_puts(&sb, " smear = { maxfreq = ");
		put_double(&sb, s->smear_maxfreq);
		strbuf_puts(&sb, "; maxwander = ");
		put_double(&sb, s->smear_maxwander);
		strbuf_puts(&sb, "; };");
	}
	strbuf_puts(&sb, " };\n");
	strbuf_printf(&sb, "restrict = { policy = \"%s\";", model_policy_name(s->policy));
	if (s->nallow) {
		strbuf_puts(&sb, " allow = [ ");
		for (size_t i = 0; i < s->nallow; i++) {
			if (i)
				strbuf_puts(&sb, ", ");
			put_string(&sb, s->allow[i].cidr);
		}
		strbuf_puts(&sb, " ];");
	}
	if (s->nlisten) {
		strbuf_puts(&sb, " listen = [ ");
		for (size_t i = 0; i < s->nlisten; i++) {
			if (i)
				strbuf_puts(&sb, ", ");
			put_string(&sb, s->listen[i].addr);
		}
		strbuf_puts(&sb, " ];");
	}
	strbuf_puts(&sb, " };\n");
	strbuf_puts(&sb, "options = {\n");
	if (s->options.driftfile[0]) {
		strbuf_puts(&sb, "  driftfile = ");
		put_string(&sb, s->options.driftfile);
		strbuf_puts(&sb, ";\n");
	}
	if (s->options.logdir[0]) {
		strbuf_puts(&sb, "  logdir = ");
		put_string(&sb, s->options.logdir);
		strbuf_puts(&sb, ";\n");
	}
	strbuf_printf(&sb, "  rtcsync = %s;\n", bool_text(s->options.rtcsync));
	if (s->hwtimestamp.n) { /* issue 16 section 7 */
		strbuf_puts(&sb, "  hwtimestamp = (");
		for (size_t i = 0; i < s->hwtimestamp.n; i++) {
			strbuf_puts(&sb, i ? ", " : " ");
			put_string(&sb, s->hwtimestamp.v[i].name);
		}
		strbuf_puts(&sb, " );\n");
	}
	if (s->options.makestep_threshold == 0.0) {
		strbuf_puts(&sb, "  makestep = false;\n};\n");
	} else {
		strbuf_puts(&sb, "  makestep = { threshold = ");
		put_double(&sb, s->options.makestep_threshold);
		strbuf_printf(&sb, "; limit = %d; };\n};\n", s->options.makestep_limit);
	}
	strbuf_printf(
	    &sb, "apply = { backup = %s; restart = %s; stop_conflicting = %s; install = %s; };\n",
	    bool_text(s->apply.backup), bool_text(s->apply.restart),
	    bool_text(s->apply.stop_conflicting), bool_text(s->apply.install));
	if (s->keep.dhcp_servers || s->keep.drop_in_dirs)
		strbuf_printf(&sb, "keep = { dhcp_servers = %s; drop_in_dirs = %s; };\n",
		              bool_text(s->keep.dhcp_servers), bool_text(s->keep.drop_in_dirs));
	/* issue 16 section 2: the file's name only, never a secret */
	if (s->keys.file[0]) {
		strbuf_puts(&sb, "keys = { file = ");
		put_string(&sb, s->keys.file);
		strbuf_puts(&sb, s->keys.ntp_format ? "; format = \"ntp\"; };\n" : "; };\n");
	}
	/* issue 16 section 8 */
	size_t with_extra = 0;
	for (int d = 0; d < DAEMON_COUNT; d++)
		with_extra += s->extra[d].n != 0;
	if (with_extra) {
		strbuf_puts(&sb, "extra = {\n");
		for (int d = 0; d < DAEMON_COUNT; d++) {
			if (!s->extra[d].n)
				continue;
			strbuf_printf(&sb, "  %s = (", model_daemon_name((enum daemon_id)d));
			for (size_t i = 0; i < s->extra[d].n; i++) {
				strbuf_puts(&sb, i ? ", " : " ");
				put_string(&sb, s->extra[d].v[i].text);
			}
			strbuf_puts(&sb, " );\n");
		}
		strbuf_puts(&sb, "};\n");
	}
	put_selection(&sb, s);
	if (nts_serving(s)) { /* issue 16 section 6 */
		strbuf_puts(&sb, "nts_server = { certificate = ");
		put_string(&sb, s->nts_server.certificate);
		strbuf_puts(&sb, "; key = ");
		put_string(&sb, s->nts_server.key);
		strbuf_puts(&sb, "; };\n");
	}
	put_refclocks(&sb, s); /* issue 16 section 5 */
	/* issue 16 section 7 */
	if (s->start.user[0] || s->start.family != START_FAMILY_UNSET) {
		strbuf_puts(&sb, "start = {");
		if (s->start.user[0]) {
			strbuf_puts(&sb, " user = ");
			put_string(&sb, s->start.user);
			strbuf_putc(&sb, ';');
		}
		if (s->start.family != START_FAMILY_UNSET)
			strbuf_printf(&sb, " family = \"%s\";", model_start_family_name(s->start.family));
		strbuf_puts(&sb, " };\n");
	}
	if (sb.failed || strbuf_append(out, strbuf_str(&sb), sb.len) < 0) {
		strbuf_free(&sb);
		errlist_add(errs, ERR_ERROR, "", "%s", _("out of memory"));
		return -1;
	}
	strbuf_free(&sb);
	return 0;
}
