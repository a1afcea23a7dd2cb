/*
 * import_openntpd: OpenNTPD's ntpd.conf into the model (see import.h).
 *
 * "servers" (every address of a name) is a pool, "server" a server,
 * "weight 10" is how ntpwiz writes prefer. OpenNTPD always queries quickly
 * at start, so every source gets iburst (what the other daemons need for
 * the same behaviour). "listen on" an address other hosts can reach is the
 * public policy (OpenNTPD has no access list), on those addresses only
 * (restrict.listen) unless one is "*"; none is client-only. No leap or drift
 * settings exist.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "i18n.h"
#include "import.h"

struct ctx {
	struct setup *s;
	struct import_notes *notes;
	struct errlist scratch;
	int listen_line;
	bool any; /* listen on *: every address, whatever else is listed */
	bool constraints_seen;
};

static void source(struct ctx *c, const struct import_line *l, enum server_kind kind)
{
	struct server srv;
	long w;

	if (l->nwords < 2) {
		import_note(c->notes, l, _("no host is named"));
		return;
	}
	model_server_init(&srv);
	srv.kind = kind;
	srv.iburst = true;
	srv.line = l->line;
	if (model_set_server_host(c->s, &srv, "host", l->words[1], &c->scratch) < 0) {
		import_note_refused(c->notes, l, &c->scratch);
		return;
	}
	for (size_t i = 2; i < l->nwords; i++) {
		char text[64];
		if (strcmp(l->words[i], "weight") == 0 && i + 1 < l->nwords &&
		    import_long(l->words[i + 1], 1, 10, &w)) {
			i++;
			/* weight 10 is how ntpwiz writes prefer; 1 is the default */
			if (w == 10)
				srv.prefer = true;
			else if (w > 1)
				srv.weight = (int)w;
			continue;
		}
		snprintf(text, sizeof(text), "%s", l->words[i]);
		import_note_text(c->notes, l->line, text,
		                 _("ntpwiz does not write this server option"));
	}
	if (model_add_server(c->s, &srv, "server", &c->scratch) < 0)
		import_note_refused(c->notes, l, &c->scratch);
}

/* constraint(s) from "URL" (issue 16 section 1); OpenBSD's defaults, as
 * they are, come back as no setting (the default writes them again). */
static void constraint(struct ctx *c, const struct import_line *l, bool all)
{
	char from[MODEL_CONSTRAINT_MAX + 3];
	size_t n;

	c->constraints_seen = true;
	if (l->nwords < 3 || strcmp(l->words[1], "from") != 0) {
		import_note(c->notes, l, _("ntpwiz writes constraint(s) from \"URL\""));
		return;
	}
	snprintf(from, sizeof(from), "%s", l->words[2]);
	n = strlen(from);
	if (n >= 2 && from[0] == '"' && from[n - 1] == '"') {
		memmove(from, from + 1, n - 2);
		from[n - 2] = '\0';
	}
	if (l->nwords > 3)
		import_note(c->notes, l,
		            _("ntpwiz writes constraint(s) from \"URL\" without further words"));
	if (model_add_constraint(c->s, "constraint", from, all, l->line, &c->scratch) < 0)
		import_note_refused(c->notes, l, &c->scratch);
}

static bool same_as_defaults(const struct setup *s)
{
	const struct constraint *d;
	size_t n = model_default_constraints(&d);

	if (s->constraints.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s->constraints.v[i].from, d[i].from) != 0 ||
		    s->constraints.v[i].all != d[i].all)
			return false;
	return true;
}

static bool loopback(const char *a)
{
	return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0 || strcmp(a, "localhost") == 0;
}

static int one_line(const struct import_line *l, void *arg)
{
	struct ctx *c = arg;
	const char *d = l->words[0];

	if (l->truncated)
		import_note(c->notes, l,
		            _("more than 32 words: the words after the 32nd are not read"));

	if (strcmp(d, "servers") == 0) {
		source(c, l, SERVER_KIND_POOL);
	} else if (strcmp(d, "server") == 0) {
		source(c, l, SERVER_KIND_SERVER);
	} else if (strcmp(d, "listen") == 0 && l->nwords >= 3 && strcmp(l->words[1], "on") == 0) {
		if (loopback(l->words[2])) {
			import_note(c->notes, l,
			            _("serving only this host is the client-only policy, which "
			              "writes no listen line"));
		} else {
			c->s->policy = POLICY_PUBLIC;
			if (!c->listen_line)
				c->listen_line = l->line;
			if (l->nwords > 3)
				import_note(c->notes, l,
				            _("ntpwiz writes listen on ADDRESS without options"));
			if (strcmp(l->words[2], "*") == 0)
				c->any = true;
			else if (model_add_listen(c->s, "listen", l->words[2], l->line,
			                          &c->scratch) < 0)
				import_note_refused(c->notes, l, &c->scratch);
		}
	} else if (strcmp(d, "constraint") == 0 || strcmp(d, "constraints") == 0) {
		constraint(c, l, d[10] == 's');
	} else {
		import_note(c->notes, l, _("ntpwiz does not write this directive"));
	}
	return 0;
}

int import_openntpd(const char *text, size_t len, struct setup *s, struct import_notes *notes,
                    struct errlist *errs)
{
	struct ctx c;
	int r;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.notes = notes;
	errlist_init(&c.scratch);
	s->policy = POLICY_CLIENT_ONLY;
	s->leap = LEAP_STEP;
	r = import_each_line(text, len, IMPORT_HASH_ANYWHERE, one_line, &c);
	s->policy_line = c.listen_line;
	/* no constraint line: switched off, as the file had it (rendering
	 * warns); OpenBSD's defaults as they are: the default */
	s->constraints.set = !c.constraints_seen || !same_as_defaults(s);
	if (!s->constraints.set)
		s->constraints.n = 0;
	if (c.any && s->nlisten) {
		/* "listen on *" opens every address: the others add nothing */
		for (size_t i = 0; i < s->nlisten; i++)
			import_note_text(notes, s->listen[i].line, s->listen[i].addr,
			                 _("listen on * already serves on every address"));
		s->nlisten = 0;
	}
	errlist_free(&c.scratch);
	if (r < 0) {
		errlist_add(errs, ERR_ERROR, notes->file ? notes->file : "", "%s",
		            _("out of memory"));
		return -1;
	}
	return 0;
}
