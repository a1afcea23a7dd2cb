/*
 * errlist: the error list every core function fills instead of printing.
 * Each entry has a severity, a "where" (FILE:LINE, a field path, or empty)
 * and a translated message. The caller decides what is fatal and how to show
 * it (OpenNTPD's parse.y style: collect everything, then report).
 */
#ifndef NTPWIZ_ERRLIST_H
#define NTPWIZ_ERRLIST_H

#include <stddef.h>

enum err_severity {
	ERR_ERROR,
	ERR_WARNING,
};

struct err_entry {
	enum err_severity severity;
	char *where;   /* "" when there is no location */
	char *message; /* already translated */
};

struct errlist {
	struct err_entry *v;
	size_t n;
	size_t cap;
	size_t lost; /* errors that could not be stored (no memory) */
};

void errlist_init(struct errlist *e);
void errlist_free(struct errlist *e);
void errlist_add(struct errlist *e, enum err_severity sev, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
size_t errlist_count(const struct errlist *e, enum err_severity sev);

#endif
