/*
 * json: the few pieces needed to print stable JSON objects for fleet tools
 * (--json). Strings are escaped per RFC 8259; output is one line.
 */
#ifndef NTPWIZ_JSON_H
#define NTPWIZ_JSON_H

#include <stdbool.h>

#include "errlist.h"
#include "strbuf.h"

void json_string(struct strbuf *out, const char *s);
/* ,"key":"value" (the comma only when out does not end with '{' or '[') */
void json_kv_string(struct strbuf *out, const char *key, const char *value);
void json_kv_bool(struct strbuf *out, const char *key, bool value);
void json_kv_int(struct strbuf *out, const char *key, long value);
/* ,"key": then the caller writes the value */
void json_key(struct strbuf *out, const char *key);
/* ,"errors":[...],"warnings":[...] from an error list */
void json_errlist(struct strbuf *out, const struct errlist *errs);

#endif
