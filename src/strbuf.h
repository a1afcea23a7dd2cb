/*
 * strbuf: a growable byte buffer for rendering config text, diffs and
 * messages. Allocation failure is sticky: once an append fails the buffer is
 * marked failed and later appends are no-ops, so callers check once at the end.
 */
#ifndef NTPWIZ_STRBUF_H
#define NTPWIZ_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * libconfig 1.5 exports its own internal strbuf_append() (and
 * strbuf_release()); a default-visibility strbuf_append() in our program
 * preempts it and libconfig's scanner then calls ours with its own buffer
 * type. Hidden visibility keeps these symbols out of the dynamic table.
 */
#pragma GCC visibility push(hidden)

struct strbuf {
	char *buf; /* always NUL-terminated when len > 0 or after strbuf_init */
	size_t len;
	size_t cap;
	bool failed;
};

void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
int strbuf_append(struct strbuf *sb, const char *s, size_t n);
int strbuf_puts(struct strbuf *sb, const char *s);
int strbuf_putc(struct strbuf *sb, char c);
int strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Returns the buffer (caller frees) and leaves sb empty; NULL if it failed. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* The contents as a C string ("" when empty). */
const char *strbuf_str(const struct strbuf *sb);

#pragma GCC visibility pop

#endif
