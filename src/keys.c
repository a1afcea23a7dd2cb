/*
 * keys: symmetric keys (see keys.h). What each daemon accepts was read
 * from its own code and manual and checked with the real daemons
 * (tests/integration/keys.sh): chrony 4.3/4.6 chrony.conf(5) "keyfile";
 * ntp.org 4.2.8p10 libntp/authreadkeys.c (OpenSSL digests of at most 20
 * bytes, no CMAC before 4.2.8p11; a key of up to 20 characters is ASCII,
 * a longer one hex); NTPsec 1.2 ntp.keys(5) (digests longer than 20 bytes
 * are truncated; aes-128 is CMAC; the same ASCII/hex rule).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "keys.h"
#include "sysops.h"

/* name per daemon; NULL: the daemon cannot use the type */
static const struct key_type_row {
	const char *display; /* shown to people */
	size_t need;         /* exact secret length in bytes, 0 = any */
	const char *name[DAEMON_COUNT];
} types[KEY_TYPE_COUNT] = {
    [KEY_MD5] = {"MD5",
                 0,
                 {[DAEMON_CHRONY] = "MD5", [DAEMON_NTP] = "MD5", [DAEMON_NTPSEC] = "MD5"}},
    [KEY_SHA1] = {"SHA1",
                  0,
                  {[DAEMON_CHRONY] = "SHA1", [DAEMON_NTP] = "SHA1", [DAEMON_NTPSEC] = "SHA1"}},
    [KEY_SHA256] = {"SHA256", 0, {[DAEMON_CHRONY] = "SHA256"}},
    [KEY_SHA384] = {"SHA384", 0, {[DAEMON_CHRONY] = "SHA384"}},
    [KEY_SHA512] = {"SHA512", 0, {[DAEMON_CHRONY] = "SHA512"}},
    [KEY_AES128] = {"AES128CMAC", 16, {[DAEMON_CHRONY] = "AES128", [DAEMON_NTPSEC] = "AES-128"}},
    [KEY_AES256] = {"AES256CMAC", 32, {[DAEMON_CHRONY] = "AES256"}},
};

/* The spellings the operator's file may use (chrony's, ntpd's, NTPsec's). */
static const struct {
	const char *name;
	enum key_type type;
} spellings[] = {
    {"M", KEY_MD5},          {"MD5", KEY_MD5},
    {"SHA1", KEY_SHA1},      {"SHA-1", KEY_SHA1},
    {"SHA256", KEY_SHA256},  {"SHA-256", KEY_SHA256},
    {"SHA384", KEY_SHA384},  {"SHA-384", KEY_SHA384},
    {"SHA512", KEY_SHA512},  {"SHA-512", KEY_SHA512},
    {"AES128", KEY_AES128},  {"AES128CMAC", KEY_AES128},
    {"AES-128", KEY_AES128}, {"AES", KEY_AES128},
    {"AES256", KEY_AES256},  {"AES256CMAC", KEY_AES256},
    {"AES-256", KEY_AES256},
};

/* Why a daemon cannot use a type, for the refusal. */
static const char *const type_refusal[DAEMON_COUNT] = {
    [DAEMON_NTP] = N_("ntpd from ntp.org 4.2.8 takes MD5 and SHA1 keys (no CMAC before "
                      "4.2.8p11, and digests longer than 20 bytes are refused)"),
    [DAEMON_NTPSEC] = N_("NTPsec takes MD5, SHA1 and AES-128 (CMAC) keys; longer digests "
                         "are truncated"),
    [DAEMON_OPENNTPD] = N_("OpenNTPD has no symmetric keys; use chrony, ntpsec or ntp"),
    [DAEMON_TIMESYNCD] = N_("systemd-timesyncd has no symmetric keys; use chrony, ntpsec or "
                            "ntp"),
};

static const struct {
	enum daemon_id d;
	enum distro_family f; /* FAMILY_GENERIC: every other family */
	const char *path;
	const char *group;
} key_files[] = {
    /* Debian's chrony.postinst: dpkg-statoverride root _chrony 0640 */
    {DAEMON_CHRONY, FAMILY_DEBIAN, "/etc/chrony/chrony.keys", "_chrony"},
    {DAEMON_CHRONY, FAMILY_UBUNTU, "/etc/chrony/chrony.keys", "_chrony"},
    {DAEMON_CHRONY, FAMILY_ALPINE, "/etc/chrony/chrony.keys", "chrony"},
    /* Fedora/RHEL: /etc/chrony.keys root:chrony 0640 */
    {DAEMON_CHRONY, FAMILY_GENERIC, "/etc/chrony.keys", "chrony"},
    /* Debian's ntpsec.postinst: chgrp ntpsec, chmod 640 /etc/ntpsec/ntp.keys */
    {DAEMON_NTPSEC, FAMILY_DEBIAN, "/etc/ntpsec/ntp.keys", "ntpsec"},
    {DAEMON_NTPSEC, FAMILY_UBUNTU, "/etc/ntpsec/ntp.keys", "ntpsec"},
    {DAEMON_NTPSEC, FAMILY_GENERIC, "/etc/ntp.keys", "ntp"},
    {DAEMON_NTP, FAMILY_GENERIC, "/etc/ntp.keys", "ntp"},
};

static int key_file_row(enum daemon_id d, enum distro_family f)
{
	int generic = -1;

	for (size_t i = 0; i < sizeof(key_files) / sizeof(key_files[0]); i++) {
		if (key_files[i].d != d)
			continue;
		if (key_files[i].f == f)
			return (int)i;
		if (key_files[i].f == FAMILY_GENERIC)
			generic = (int)i;
	}
	return generic;
}

const char *keys_daemon_path(enum daemon_id d, enum distro_family f)
{
	int r = key_file_row(d, f);
	return r < 0 ? NULL : key_files[r].path;
}

const char *keys_daemon_group(enum daemon_id d, enum distro_family f)
{
	int r = key_file_row(d, f);
	return r < 0 ? NULL : key_files[r].group;
}

bool keys_used(const struct setup *s)
{
	for (size_t i = 0; i < s->nservers; i++)
		if (s->servers[i].key)
			return true;
	return false;
}

const char *keys_type_name(enum daemon_id d, enum key_type t)
{
	if ((unsigned)t >= KEY_TYPE_COUNT || (unsigned)d >= DAEMON_COUNT)
		return NULL;
	return types[t].name[d];
}

const char *keys_describe(enum daemon_id d, const struct key_entry *k, char *buf, size_t size)
{
	(void)d;
	/* TRANSLATORS: a symmetric key as shown instead of its secret */
	snprintf(buf, size, _("key %u (%s, set)"), k->id,
	         (unsigned)k->type < KEY_TYPE_COUNT ? types[k->type].display : "?");
	return buf;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool ascii_key_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '#';
}

/* One key line; errors never quote the secret (word 3). */
static int parse_line(char *line, int lineno, const char *source, bool ntp_format,
                      struct keyset *ks, struct errlist *errs)
{
	char *w[4], *save = NULL, where[MODEL_PATH_MAX + 16];
	size_t n = 0;
	struct key_entry k = {0};
	const char *secret;
	char *end;
	unsigned long id;

	snprintf(where, sizeof(where), "%s:%d", source, lineno);
	for (char *t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
		if (n == 3) {
			errlist_add(errs, ERR_ERROR, where, "%s",
			            _("a key line is \"ID TYPE SECRET\"; this one has more words"));
			return -1;
		}
		w[n++] = t;
	}
	if (n < 2 || (ntp_format && n < 3)) {
		errlist_add(errs, ERR_ERROR, where, "%s",
		            _("a key line is \"ID TYPE SECRET\"; this one has no secret"));
		return -1;
	}
	errno = 0;
	id = strtoul(w[0], &end, 10);
	if (errno || *end || !isdigit((unsigned char)w[0][0]) || id < MODEL_KEY_MIN ||
	    id > MODEL_KEY_MAX) {
		errlist_add(errs, ERR_ERROR, where, "%s",
		            _("the key ID must be a whole number between 1 and 65535"));
		return -1;
	}
	k.id = (unsigned)id;
	k.line = lineno;
	k.type = KEY_MD5; /* chrony's default when the type is left out */
	if (n == 3) {
		size_t i;
		for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
			if (strcasecmp(w[1], spellings[i].name) == 0)
				break;
		if (i == sizeof(spellings) / sizeof(spellings[0])) {
			errlist_add(errs, ERR_ERROR, where,
			            _("key %lu: unknown type; expected MD5, SHA1, SHA256, SHA384, "
			              "SHA512, AES128 or AES256"),
			            id);
			return -1;
		}
		k.type = spellings[i].type;
	}
	secret = w[n - 1];
	bool hex = strncasecmp(secret, "HEX:", 4) == 0;
	size_t skip = 4;
	if (ntp_format) {
		/* ntp.keys(5): more than 20 characters are hex digits */
		hex = strlen(secret) > 20;
		skip = 0;
	}
	if (hex) {
		size_t hl = strlen(secret + skip);
		if (hl == 0 || hl % 2 || hl / 2 > KEYS_SECRET_MAX) {
			errlist_add(
			    errs, ERR_ERROR, where,
			    _("key %lu: HEX: needs an even number of hex digits, at most 64"), id);
			return -1;
		}
		for (size_t i = 0; i < hl; i += 2) {
			int hi = hexval((unsigned char)secret[skip + i]);
			int lo = hexval((unsigned char)secret[skip + 1 + i]);
			if (hi < 0 || lo < 0) {
				errlist_add(
				    errs, ERR_ERROR, where,
				    _("key %lu: HEX: holds a character that is not a hex digit"),
				    id);
				explicit_bzero(&k, sizeof(k));
				return -1;
			}
			k.secret[k.len++] = (unsigned char)(hi << 4 | lo);
		}
	} else {
		if (!ntp_format && strncasecmp(secret, "ASCII:", 6) == 0)
			secret += 6;
		size_t al = strlen(secret);
		if (al == 0 || al > KEYS_SECRET_MAX) {
			errlist_add(errs, ERR_ERROR, where,
			            _("key %lu: an ASCII secret has 1 to 32 characters"), id);
			return -1;
		}
		for (size_t i = 0; i < al; i++)
			if (!ascii_key_char((unsigned char)secret[i])) {
				errlist_add(errs, ERR_ERROR, where,
				            _("key %lu: an ASCII secret holds printable characters "
				              "other than '#' only"),
				            id);
				return -1;
			}
		memcpy(k.secret, secret, al);
		k.len = al;
		k.ascii = true;
	}
	explicit_bzero(line, strlen(line)); /* only the words before the secret are cut */
	if (types[k.type].need && k.len != types[k.type].need) {
		errlist_add(errs, ERR_ERROR, where, _("key %lu: %s needs a secret of %zu bytes"),
		            id, types[k.type].display, types[k.type].need);
		explicit_bzero(&k, sizeof(k));
		return -1;
	}
	for (size_t i = 0; i < ks->n; i++)
		if (ks->v[i].id == k.id) {
			errlist_add(errs, ERR_ERROR, where, _("key %lu is listed twice"), id);
			explicit_bzero(&k, sizeof(k));
			return -1;
		}
	if (ks->n >= KEYS_MAX) {
		errlist_add(errs, ERR_ERROR, where, "%s", _("too many keys (at most 64)"));
		explicit_bzero(&k, sizeof(k));
		return -1;
	}
	ks->v[ks->n++] = k;
	explicit_bzero(&k, sizeof(k));
	return 0;
}

int keys_parse(const char *text, size_t len, const char *source, bool ntp_format, struct keyset *ks,
               struct errlist *errs)
{
	char line[512];
	int lineno = 0, bad = 0;
	size_t o = 0;

	memset(ks, 0, sizeof(*ks));
	while (o < len) {
		size_t e = o;
		while (e < len && text[e] != '\n')
			e++;
		lineno++;
		if (memchr(text + o, '\0', e - o)) {
			errlist_add(errs, ERR_ERROR, source, "%s", _("is not a text file"));
			bad = -1;
			break;
		}
		if (e - o >= sizeof(line)) {
			char where[MODEL_PATH_MAX + 16];
			snprintf(where, sizeof(where), "%s:%d", source, lineno);
			errlist_add(errs, ERR_ERROR, where, "%s", _("the line is too long"));
			bad = -1;
		} else {
			memcpy(line, text + o, e - o);
			line[e - o] = '\0';
			char *c = line;
			while (*c == ' ' || *c == '\t')
				c++;
			/* comments as in chrony's and ntpd's key files */
			if (*c && !strchr("#!;%\r", *c) &&
			    parse_line(c, lineno, source, ntp_format, ks, errs) < 0)
				bad = -1;
			explicit_bzero(line, sizeof(line));
		}
		o = e + 1;
	}
	if (bad)
		keys_clear(ks);
	return bad;
}

void keys_clear(struct keyset *ks)
{
	explicit_bzero(ks, sizeof(*ks));
}

int keys_load(const struct setup *s, struct keyset *ks, struct errlist *errs)
{
	struct sysops_stat st;
	char *data = NULL, where[MODEL_PATH_MAX + 16];
	size_t len = 0;
	int rc;

	memset(ks, 0, sizeof(*ks));
	model_where(s, s->keys.line, where, sizeof(where));
	if (!s->keys.file[0])
		return 0;
	if (sysops_stat_root(s->keys.file, &st) < 0 || !st.exists) {
		errlist_add(errs, ERR_ERROR, where, _("keys.file: %s cannot be read: %s"),
		            s->keys.file, st.exists ? strerror(errno) : strerror(ENOENT));
		return -1;
	}
	if (st.is_link || !st.is_reg) {
		errlist_add(errs, ERR_ERROR, where, _("keys.file: %s is not a plain file"),
		            s->keys.file);
		return -1;
	}
	if (st.mode & 0007) {
		errlist_add(errs, ERR_ERROR, where,
		            _("keys.file: every user may read %s; its secrets are no secret. Make "
		              "it readable by root only (chmod 600), change the keys, and apply "
		              "again"),
		            s->keys.file);
		return -1;
	}
	if (sysops_read_root_file(s->keys.file, &data, &len) < 0) {
		errlist_add(errs, ERR_ERROR, where, _("keys.file: %s cannot be read: %s"),
		            s->keys.file, strerror(errno));
		return -1;
	}
	rc = keys_parse(data, len, s->keys.file, s->keys.ntp_format, ks, errs);
	explicit_bzero(data, len);
	free(data);
	return rc;
}

static const struct key_entry *find_key(const struct keyset *ks, unsigned id)
{
	for (size_t i = 0; i < ks->n; i++)
		if (ks->v[i].id == id)
			return &ks->v[i];
	return NULL;
}

int keys_check(enum daemon_id d, const struct setup *s, const struct keyset *ks,
               struct errlist *errs)
{
	char where[MODEL_PATH_MAX + 16], desc[64];
	int bad = 0;

	for (size_t i = 0; i < s->nservers; i++) {
		const struct server *srv = &s->servers[i];
		const struct key_entry *k;

		if (!srv->key)
			continue;
		model_where(s, srv->line, where, sizeof(where));
		if (!keys_daemon_path(d, FAMILY_GENERIC)) {
			errlist_add(errs, ERR_ERROR, where, "servers[%zu].key: %s", i,
			            _(type_refusal[d] ? type_refusal[d]
			                              : N_("holds a value out of range")));
			bad = -1;
			continue;
		}
		if (!(k = find_key(ks, srv->key))) {
			errlist_add(
			    errs, ERR_ERROR, where,
			    _("servers[%zu].key: key %u is not in %s; add it there (ID TYPE "
			      "SECRET) or change the server's key"),
			    i, srv->key, s->keys.file);
			bad = -1;
			continue;
		}
		if (!types[k->type].name[d]) {
			errlist_add(errs, ERR_ERROR, where, "servers[%zu].key: %s: %s", i,
			            keys_describe(d, k, desc, sizeof(desc)), _(type_refusal[d]));
			bad = -1;
		}
	}
	return bad;
}

int keys_render(enum daemon_id d, const struct keyset *ks, struct strbuf *out, struct errlist *errs)
{
	char desc[64];
	int bad = 0;

	if ((unsigned)d >= DAEMON_COUNT)
		return -1;
	strbuf_puts(out, d == DAEMON_CHRONY
	                     ? "# Symmetric keys written by ntpwiz from the profile's keys.file.\n"
	                       "# ID TYPE KEY (chrony.conf(5), keyfile)\n"
	                     : "# Symmetric keys written by ntpwiz from the profile's keys.file.\n"
	                       "# keyno type key (ntp.keys(5))\n");
	for (size_t i = 0; i < ks->n; i++) {
		const struct key_entry *k = &ks->v[i];
		const char *name = types[k->type].name[d];

		if (!name) {
			/* not used by a server (keys_check refused those): left out */
			continue;
		}
		strbuf_printf(out, "%u %s ", k->id, name);
		if (d == DAEMON_CHRONY) {
			strbuf_puts(out, "HEX:");
		} else if (k->len * 2 <= 20) {
			/* ntpd reads a key of up to 20 characters as ASCII */
			if (!k->ascii) {
				errlist_add(
				    errs, ERR_ERROR, "",
				    _("%s: ntpd reads a secret this short as ASCII text; give "
				      "at least 11 bytes as HEX:, or printable ASCII"),
				    keys_describe(d, k, desc, sizeof(desc)));
				bad = -1;
				strbuf_puts(out, "-\n");
				continue;
			}
			strbuf_printf(out, "%.*s\n", (int)k->len, (const char *)k->secret);
			continue;
		}
		for (size_t j = 0; j < k->len; j++)
			strbuf_printf(out, "%02X", k->secret[j]);
		strbuf_putc(out, '\n');
	}
	return bad;
}
