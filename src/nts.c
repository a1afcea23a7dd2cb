/*
 * nts: serving NTS and hardware timestamping (see nts.h). What each
 * daemon takes was read from chrony.conf(5) of chrony 4.3 and 4.6
 * (ntsservercert, ntsserverkey: "readable by the user under which chronyd
 * is running after dropping root privileges"; ntsdumpdir; hwtimestamp) and
 * NTPsec 1.2's ntp.conf(5) ("nts [enable|disable]", "cert file", "key
 * file"), and checked with the real parsers (tests/integration/nts-server.sh).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "keys.h"
#include "nts.h"
#include "sysops.h"
#include "validate.h"

static void refuse(const struct setup *s, int line, struct errlist *errs, const char *field,
                   const char *why)
{
	char where[MODEL_PATH_MAX + 16];

	errlist_add(errs, ERR_ERROR, model_where(s, line, where, sizeof(where)), "%s: %s", field,
	            why);
}

bool nts_serving(const struct setup *s)
{
	return s->nts_server.certificate[0] != '\0' || s->nts_server.key[0] != '\0';
}

int nts_set_server(struct setup *s, const char *field, const char *certificate, const char *key,
                   int line, struct errlist *errs)
{
	char f[128];
	const char *why;
	int bad = 0;

	if (!certificate)
		certificate = "";
	if (!key)
		key = "";
	if (*certificate || *key) {
		snprintf(f, sizeof(f), "%s.certificate", field);
		if ((why = validate_path(certificate))) {
			refuse(s, line, errs, f, why);
			bad = -1;
		}
		snprintf(f, sizeof(f), "%s.key", field);
		if ((why = validate_path(key))) {
			refuse(s, line, errs, f, why);
			bad = -1;
		}
		if (!bad && strcmp(certificate, key) == 0) {
			refuse(
			    s, line, errs, field,
			    _("names one file as both certificate and key; chrony and NTPsec read "
			      "them from two files"));
			bad = -1;
		}
	}
	if (bad)
		return -1;
	snprintf(s->nts_server.certificate, sizeof(s->nts_server.certificate), "%s", certificate);
	snprintf(s->nts_server.key, sizeof(s->nts_server.key), "%s", key);
	s->nts_server.line = line;
	return 0;
}

int nts_add_hwtimestamp(struct setup *s, const char *field, const char *iface, int line,
                        struct errlist *errs)
{
	struct setup_hwts *h = &s->hwtimestamp;
	const char *why = validate_ifname(iface, true);

	if (why) {
		refuse(s, line, errs, field, why);
		return -1;
	}
	if (h->n >= MODEL_MAX_HWTS) {
		refuse(s, line, errs, field, _("too many interfaces (at most 8)"));
		return -1;
	}
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i].name, iface) == 0) {
			refuse(s, line, errs, field, _("names an interface twice"));
			return -1;
		}
	snprintf(h->v[h->n].name, sizeof(h->v[0].name), "%s", iface);
	h->v[h->n].line = line;
	h->n++;
	return 0;
}

int nts_check_model(const struct setup *s, struct errlist *errs)
{
	const struct setup_nts_server *n = &s->nts_server;
	char field[64];
	const char *why;
	int bad = 0;

	if (nts_serving(s)) {
		if ((why = validate_path(n->certificate))) {
			refuse(s, n->line, errs, "nts_server.certificate", why);
			bad = -1;
		}
		if ((why = validate_path(n->key))) {
			refuse(s, n->line, errs, "nts_server.key", why);
			bad = -1;
		}
		if (s->policy == POLICY_CLIENT_ONLY) {
			refuse(s, n->line, errs, "nts_server",
			       _("a client-only host serves no one, so it has nothing to serve NTS "
			         "for: use the lan or public policy, or leave nts_server out"));
			bad = -1;
		}
	}
	if (s->hwtimestamp.n > MODEL_MAX_HWTS) {
		refuse(s, s->hwtimestamp.line, errs, "options.hwtimestamp",
		       _("holds a value out of range"));
		return -1;
	}
	for (size_t i = 0; i < s->hwtimestamp.n; i++) {
		snprintf(field, sizeof(field), "options.hwtimestamp[%zu]", i);
		if ((why = validate_ifname(s->hwtimestamp.v[i].name, true))) {
			refuse(s, s->hwtimestamp.v[i].line, errs, field, why);
			bad = -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->hwtimestamp.v[i].name, s->hwtimestamp.v[j].name) == 0) {
				refuse(s, s->hwtimestamp.v[i].line, errs, field,
				       _("names an interface twice"));
				bad = -1;
			}
	}
	return bad;
}

/* A line of the file starts with begin and ends with end (PEM's armour). */
static bool pem_has(const char *data, size_t len, const char *begin, const char *end)
{
	size_t nb = strlen(begin), ne = strlen(end);

	for (size_t o = 0; o < len;) {
		const char *line = data + o;
		const char *nl = memchr(line, '\n', len - o);
		size_t n = nl ? (size_t)(nl - line) : len - o;

		o += n + 1;
		if (n && line[n - 1] == '\r')
			n--;
		if (n >= nb + ne && memcmp(line, begin, nb) == 0 &&
		    memcmp(line + n - ne, end, ne) == 0)
			return true;
	}
	return false;
}

static int check_file(const struct setup *s, enum daemon_id d, enum distro_family f,
                      const char *field, const char *path, bool is_key, struct errlist *errs)
{
	char where[MODEL_PATH_MAX + 16];
	const char *group = keys_daemon_group(d, f);
	struct sysops_stat st;
	char *data = NULL;
	size_t len = 0;
	int bad = 0, rc;

	model_where(s, s->nts_server.line, where, sizeof(where));
	if ((rc = sysops_stat_root(path, &st)) < 0 || !st.exists) {
		int e = rc < 0 ? errno : ENOENT;
		/* TRANSLATORS: %1$s is a profile key, %2$s a file, %3$s the reason */
		errlist_add(errs, ERR_ERROR, where, _("%1$s: %2$s cannot be read: %3$s"), field,
		            path, strerror(e));
		return -1;
	}
	if (st.is_link) {
		errlist_add(errs, ERR_ERROR, where,
		            _("%1$s: %2$s is a symbolic link; name the file itself (for example a "
		              "copy a certbot deploy hook makes for the daemon), so that its owner "
		              "and mode can be checked"),
		            field, path);
		return -1;
	}
	if (!st.is_reg) {
		errlist_add(errs, ERR_ERROR, where, _("%1$s: %2$s is not a plain file"), field,
		            path);
		return -1;
	}
	if (is_key && (st.mode & 0007)) {
		/* TRANSLATORS: %3$s is the daemon's group (_chrony, ntpsec) */
		errlist_add(errs, ERR_ERROR, where,
		            _("%1$s: every user may read %2$s; a private key others can read is no "
		              "secret. Make it readable by root and the daemon only (chown "
		              "root:%3$s, chmod 640), replace the key and its certificate, and "
		              "apply again"),
		            field, path, group ? group : "root");
		return -1;
	}
	if (sysops_read_root_file(path, &data, &len) < 0) {
		errlist_add(errs, ERR_ERROR, where, _("%1$s: %2$s cannot be read: %3$s"), field,
		            path, strerror(errno));
		return -1;
	}
	if (!is_key && !pem_has(data, len, "-----BEGIN CERTIFICATE", "-----")) {
		errlist_add(errs, ERR_ERROR, where,
		            _("%1$s: %2$s is not a PEM certificate (no \"-----BEGIN "
		              "CERTIFICATE-----\" line); name the full chain, e.g. "
		              "fullchain.pem"),
		            field, path);
		bad = -1;
	} else if (is_key && pem_has(data, len, "-----BEGIN ENCRYPTED PRIVATE KEY", "-----")) {
		errlist_add(errs, ERR_ERROR, where,
		            _("%1$s: %2$s is an encrypted private key; the daemon cannot ask for a "
		              "passphrase"),
		            field, path);
		bad = -1;
	} else if (is_key && !pem_has(data, len, "-----BEGIN ", "PRIVATE KEY-----")) {
		errlist_add(errs, ERR_ERROR, where,
		            _("%1$s: %2$s is not a PEM private key (no \"-----BEGIN ... PRIVATE "
		              "KEY-----\" line)"),
		            field, path);
		bad = -1;
	}
	if (is_key)
		explicit_bzero(data, len);
	free(data);
	/* chronyd reads both after dropping root (chrony.conf(5)); a file only
	 * root may read makes NTS-KE fail at start */
	if (!bad && d == DAEMON_CHRONY && st.uid == 0 && !(st.mode & (is_key ? 0040 : 0044)))
		errlist_add(errs, ERR_WARNING, where,
		            _("%1$s: only root may read %2$s, but chronyd reads it after dropping "
		              "root privileges: chown root:%3$s and chmod 640 it"),
		            field, path, group ? group : "root");
	return bad;
}

int nts_check_files(const struct setup *s, enum daemon_id d, enum distro_family f,
                    struct errlist *errs)
{
	int bad = 0;

	if (!nts_serving(s))
		return 0;
	if (check_file(s, d, f, "nts_server.certificate", s->nts_server.certificate, false, errs) <
	    0)
		bad = -1;
	if (check_file(s, d, f, "nts_server.key", s->nts_server.key, true, errs) < 0)
		bad = -1;
	return bad;
}

/* Observed with chronyd 4.3 (tests/integration/nts-server.sh): a named
 * interface that does not exist, or whose card cannot timestamp in
 * hardware (lo), stops chronyd at start ("Fatal error : Could not enable
 * HW timestamping on lo"); "*" uses the interfaces that can. */
int nts_hwtimestamp_notes(const struct setup *s, struct errlist *errs)
{
	char where[MODEL_PATH_MAX + 16], sys[64], names[MODEL_MAX_HWTS * (MODEL_IFNAME_MAX + 2)];
	struct sysops_stat st;
	size_t o = 0;
	int bad = 0;

	names[0] = '\0';
	for (size_t i = 0; i < s->hwtimestamp.n; i++) {
		const char *name = s->hwtimestamp.v[i].name;

		if (strcmp(name, "*") == 0)
			continue;
		o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s", o ? ", " : "", name);
		if (!sysops_root_is_host())
			continue;
		/* cheap and read-only: the kernel's list of interfaces */
		snprintf(sys, sizeof(sys), "/sys/class/net/%s", name);
		if (sysops_stat_root(sys, &st) == 0 && !st.exists) {
			errlist_add(
			    errs, ERR_ERROR,
			    model_where(s, s->hwtimestamp.v[i].line, where, sizeof(where)),
			    _("options.hwtimestamp: this host has no interface %s (no %s), and "
			      "chronyd stops at start on an interface it cannot timestamp on; "
			      "name an existing interface, or \"*\""),
			    name, sys);
			bad = -1;
		}
	}
	if (names[0] && !sysops_root_is_host())
		errlist_add(errs, ERR_WARNING,
		            model_where(s, s->hwtimestamp.line, where, sizeof(where)),
		            _("options.hwtimestamp: on another root ntpwiz cannot know whether %s "
		              "can timestamp in hardware; if one cannot, chronyd stops at start "
		              "(\"Could not enable HW timestamping\"), while \"*\" uses only the "
		              "interfaces that can"),
		            names);
	return bad;
}

void nts_render(enum daemon_id d, const struct setup *s, struct strbuf *out)
{
	const struct setup_nts_server *n = &s->nts_server;

	if (nts_serving(s) && d == DAEMON_CHRONY)
		strbuf_printf(out,
		              "\n# Serving NTS (nts_server): clients get their keys over NTS-KE,\n"
		              "# TCP port %d, then use authenticated NTP on port 123. chronyd\n"
		              "# reads both files after dropping root privileges.\n"
		              "ntsservercert %s\nntsserverkey %s\n",
		              NTS_KE_PORT, n->certificate, n->key);
	else if (nts_serving(s) && d == DAEMON_NTPSEC)
		strbuf_printf(out,
		              "\n# Serving NTS (nts_server): clients get their keys over NTS-KE,\n"
		              "# TCP port %d, then use authenticated NTP on port 123.\n"
		              "nts key %s\nnts cert %s\nnts enable\n",
		              NTS_KE_PORT, n->key, n->certificate);
	if (s->hwtimestamp.n && d == DAEMON_CHRONY) {
		strbuf_puts(out,
		            "\n# Hardware timestamping (options.hwtimestamp). chronyd stops at\n"
		            "# start if a named interface cannot timestamp in hardware; \"*\"\n"
		            "# uses every interface that can.\n");
		for (size_t i = 0; i < s->hwtimestamp.n; i++)
			strbuf_printf(out, "hwtimestamp %s\n", s->hwtimestamp.v[i].name);
	}
}
