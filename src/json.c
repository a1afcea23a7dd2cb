/*
 * json: RFC 8259 string escaping and key/value helpers (see json.h).
 */
#include "config.h"

#include <stdio.h>

#include "json.h"

void json_string(struct strbuf *out, const char *s)
{
	strbuf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			strbuf_puts(out, "\\\"");
			break;
		case '\\':
			strbuf_puts(out, "\\\\");
			break;
		case '\n':
			strbuf_puts(out, "\\n");
			break;
		case '\r':
			strbuf_puts(out, "\\r");
			break;
		case '\t':
			strbuf_puts(out, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				strbuf_printf(out, "\\u%04x", *p);
			else
				strbuf_putc(out, (char)*p);
		}
	}
	strbuf_putc(out, '"');
}

void json_key(struct strbuf *out, const char *key)
{
	char last = out->len ? out->buf[out->len - 1] : '{';

	if (last != '{' && last != '[')
		strbuf_putc(out, ',');
	json_string(out, key);
	strbuf_putc(out, ':');
}

void json_kv_string(struct strbuf *out, const char *key, const char *value)
{
	json_key(out, key);
	json_string(out, value);
}

void json_kv_bool(struct strbuf *out, const char *key, bool value)
{
	json_key(out, key);
	strbuf_puts(out, value ? "true" : "false");
}

void json_kv_int(struct strbuf *out, const char *key, long value)
{
	json_key(out, key);
	strbuf_printf(out, "%ld", value);
}

static void list(struct strbuf *out, const char *key, const struct errlist *errs,
                 enum err_severity sev)
{
	json_key(out, key);
	strbuf_putc(out, '[');
	for (size_t i = 0; i < errs->n; i++) {
		if (errs->v[i].severity != sev)
			continue;
		if (out->buf[out->len - 1] != '[')
			strbuf_putc(out, ',');
		strbuf_putc(out, '{');
		json_kv_string(out, "where", errs->v[i].where);
		json_kv_string(out, "message", errs->v[i].message);
		strbuf_putc(out, '}');
	}
	strbuf_putc(out, ']');
}

void json_errlist(struct strbuf *out, const struct errlist *errs)
{
	list(out, "errors", errs, ERR_ERROR);
	list(out, "warnings", errs, ERR_WARNING);
}
