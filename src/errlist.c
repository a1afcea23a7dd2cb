/*
 * errlist: collected errors and warnings (see errlist.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errlist.h"
#include "strbuf.h"

/* Used when memory for a message cannot be had: the caller must still see
 * that something failed. An entry that cannot be stored at all is counted
 * in "lost", which errlist_count() includes among the errors. */
static char oom_message[] = "out of memory";
static char empty_where[] = "";

void errlist_init(struct errlist *e)
{
	e->v = NULL;
	e->n = 0;
	e->cap = 0;
	e->lost = 0;
}

static void free_str(char *s)
{
	if (s != oom_message && s != empty_where)
		free(s);
}

void errlist_free(struct errlist *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free_str(e->v[i].where);
		free_str(e->v[i].message);
	}
	free(e->v);
	errlist_init(e);
}

void errlist_add(struct errlist *e, enum err_severity sev, const char *where, const char *fmt, ...)
{
	struct strbuf sb;
	struct err_entry *ent;
	va_list ap;

	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 8;
		struct err_entry *v = realloc(e->v, cap * sizeof(*v));
		if (!v) {
			e->lost++;
			return;
		}
		e->v = v;
		e->cap = cap;
	}
	ent = &e->v[e->n++];
	ent->severity = sev;
	ent->where = (where && *where) ? strdup(where) : empty_where;
	if (!ent->where)
		ent->where = empty_where;
	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	ent->message = strbuf_detach(&sb, NULL);
	if (!ent->message)
		ent->message = oom_message;
}

size_t errlist_count(const struct errlist *e, enum err_severity sev)
{
	size_t c = sev == ERR_ERROR ? e->lost : 0;

	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].severity == sev)
			c++;
	return c;
}
