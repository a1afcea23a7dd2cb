/*
 * keys: symmetric keys for NTP authentication (issue 16 section 2).
 *
 * The profile names the operator's key file (keys.file) and gives each
 * server a key ID; the secrets live only in that file, so profiles can be
 * shared. Its format is chrony's (ntpwiz-profile(5), KEYS): one key a line,
 * "ID TYPE SECRET", SECRET as HEX:... or ASCII:... (or bare ASCII). From it
 * ntpwiz writes the daemon's own key file (chrony's keyfile, ntpd's and
 * NTPsec's keys + trustedkey) with mode 0640 and the daemon's group.
 *
 * Secrets never leave this module except into the daemon's key file text:
 * every message names a key as "key 1 (AES128CMAC, set)", and the memory
 * holding them is wiped by keys_clear.
 */
#ifndef NTPWIZ_KEYS_H
#define NTPWIZ_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "distro.h"
#include "errlist.h"
#include "model.h"
#include "strbuf.h"

enum key_type {
	KEY_MD5,
	KEY_SHA1,
	KEY_SHA256,
	KEY_SHA384,
	KEY_SHA512,
	KEY_AES128, /* CMAC */
	KEY_AES256, /* CMAC */
	KEY_TYPE_COUNT,
};

#define KEYS_MAX 64
#define KEYS_SECRET_MAX 32 /* ntpd keeps at most 32 bytes (64 hex digits) */

struct key_entry {
	unsigned id;
	enum key_type type;
	unsigned char secret[KEYS_SECRET_MAX];
	size_t len;
	bool ascii; /* given as ASCII (printable, no space, no '#') */
	int line;
};

struct keyset {
	struct key_entry v[KEYS_MAX];
	size_t n;
};

/* The daemon's key file ntpwiz writes, and the group that must read it
 * (the daemon drops root before it reads keys again). NULL: none. */
const char *keys_daemon_path(enum daemon_id d, enum distro_family f);
const char *keys_daemon_group(enum daemon_id d, enum distro_family f);
#define KEYS_FILE_MODE 0640

/* Whether any server of s uses a key. */
bool keys_used(const struct setup *s);

/* Parses the operator's key file: chrony's syntax, or with ntp_format
 * ntpd's (ntp.keys(5): a key of up to 20 characters is ASCII, a longer one
 * hex, no prefix). Errors name the source and line, never the secret. */
int keys_parse(const char *text, size_t len, const char *source, bool ntp_format, struct keyset *ks,
               struct errlist *errs);
/* Reads s->keys.file (under the root in use) and parses it; refuses a file
 * that others may read. 0 or -1. */
int keys_load(const struct setup *s, struct keyset *ks, struct errlist *errs);
/* Wipes the secrets. */
void keys_clear(struct keyset *ks);

/* Every key a server uses is in ks, and daemon d can use its type. 0/-1. */
int keys_check(enum daemon_id d, const struct setup *s, const struct keyset *ks,
               struct errlist *errs);
/* The daemon's key file text: every key of ks, in d's syntax. 0, or -1
 * when one cannot be written for d (errs). */
int keys_render(enum daemon_id d, const struct keyset *ks, struct strbuf *out,
                struct errlist *errs);
/* "key 1 (AES128CMAC, set)": what may be shown of a key. */
const char *keys_describe(enum daemon_id d, const struct key_entry *k, char *buf, size_t size);
/* The daemon's name for a type ("AES128" for chrony, "AES128CMAC" ...). */
const char *keys_type_name(enum daemon_id d, enum key_type t);

#endif
