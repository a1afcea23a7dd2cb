/*
 * wizard_advanced: the Advanced page's rows (see wizard_advanced.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "keys.h"
#include "nts.h"
#include "refclock.h"
#include "startopts.h"
#include "wizard_advanced.h"

/* A whole number or a decimal typed in full; false for anything else. */
static bool read_long(const char *text, long *v)
{
	char *end;

	*v = strtol(text, &end, 10);
	return *text && !*end;
}

static bool read_double(const char *text, double *v)
{
	char *end;

	*v = strtod(text, &end);
	return *text && !*end;
}

static void not_a_number(struct errlist *errs, const char *key)
{
	errlist_add(errs, ERR_ERROR, "", "%s: %s", key, _("is not a number"));
}

static bool full_daemon(const struct wizard_state *w)
{
	enum daemon_id d = w->backend->id;

	return d == DAEMON_CHRONY || d == DAEMON_NTP || d == DAEMON_NTPSEC;
}

/* --- selection.minsources ---------------------------------------------------- */

static void minsources_get(const struct wizard_state *w, char *buf, size_t size)
{
	if (w->setup.selection.minsources)
		snprintf(buf, size, "%d", w->setup.selection.minsources);
	else
		buf[0] = '\0';
}

static int minsources_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	long v;

	if (!*text) {
		w->setup.selection.minsources = 0;
		return 0;
	}
	if (!read_long(text, &v)) {
		not_a_number(errs, "selection.minsources");
		return -1;
	}
	return model_set_minsources(&w->setup, "selection.minsources", v, 0, errs);
}

/* --- selection.maxdistance ---------------------------------------------------- */

static bool maxdistance_applies(const struct wizard_state *w)
{
	return full_daemon(w) || w->backend->id == DAEMON_TIMESYNCD;
}

static void maxdistance_get(const struct wizard_state *w, char *buf, size_t size)
{
	if (w->setup.selection.maxdistance != 0.0)
		snprintf(buf, size, "%g", w->setup.selection.maxdistance);
	else
		buf[0] = '\0';
}

static int maxdistance_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	double v;
	char shown[64];

	maxdistance_get(w, shown, sizeof(shown));
	if (strcmp(text, shown) == 0)
		return 0; /* unchanged (%g may have rounded it) */
	if (!*text) {
		w->setup.selection.maxdistance = 0.0;
		return 0;
	}
	if (!read_double(text, &v)) {
		not_a_number(errs, "selection.maxdistance");
		return -1;
	}
	return model_set_maxdistance(&w->setup, "selection.maxdistance", v, 0, errs);
}

/* --- orphan.stratum ------------------------------------------------------------ */

static bool orphan_applies(const struct wizard_state *w)
{
	return full_daemon(w) && w->setup.policy != POLICY_CLIENT_ONLY;
}

static void orphan_get(const struct wizard_state *w, char *buf, size_t size)
{
	if (w->setup.selection.orphan)
		snprintf(buf, size, "%d", w->setup.selection.orphan);
	else
		buf[0] = '\0';
}

static int orphan_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	long v;

	if (!*text) {
		w->setup.selection.orphan = 0;
		return 0;
	}
	if (!read_long(text, &v)) {
		not_a_number(errs, "orphan.stratum");
		return -1;
	}
	if (v == 0) {
		w->setup.selection.orphan = 0;
		return 0;
	}
	return model_set_orphan(&w->setup, "orphan.stratum", v, 0, errs);
}

/* --- constraints (OpenNTPD) --------------------------------------------------- */

static bool constraints_apply(const struct wizard_state *w)
{
	return w->backend->id == DAEMON_OPENNTPD;
}

/* "" = OpenBSD's defaults, "off", or the sources separated by spaces */
static void constraints_get(const struct wizard_state *w, char *buf, size_t size)
{
	const struct setup_constraints *c = &w->setup.constraints;
	size_t o = 0;

	buf[0] = '\0';
	if (!c->set)
		return;
	if (c->n == 0) {
		snprintf(buf, size, "off");
		return;
	}
	for (size_t i = 0; i < c->n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? " " : "", c->v[i].from);
}

static int constraints_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	struct setup_constraints keep = w->setup.constraints;
	char shown[MODEL_MAX_CONSTRAINTS * (MODEL_CONSTRAINT_MAX + 1) + 1], copy[sizeof(shown)];
	char *save = NULL;

	constraints_get(w, shown, sizeof(shown));
	if (strcmp(text, shown) == 0)
		return 0; /* unchanged: each source keeps its constraint/constraints */
	memset(&w->setup.constraints, 0, sizeof(w->setup.constraints));
	if (!*text)
		return 0;
	w->setup.constraints.set = true;
	if (strcmp(text, "off") == 0)
		return 0;
	snprintf(copy, sizeof(copy), "%s", text);
	for (char *s = strtok_r(copy, " \t,", &save); s; s = strtok_r(NULL, " \t,", &save)) {
		if (model_add_constraint(&w->setup, "constraints", s, model_constraint_default_all(s),
		                         0, errs) < 0) {
			w->setup.constraints = keep;
			return -1;
		}
	}
	return 0;
}

/* --- nts_server (issue 16 section 6) ------------------------------------------ */

static bool nts_server_applies(const struct wizard_state *w)
{
	enum daemon_id d = w->backend->id;

	return (d == DAEMON_CHRONY || d == DAEMON_NTPSEC) && w->setup.policy != POLICY_CLIENT_ONLY;
}

/* "CERTIFICATE KEY", or "" when NTS is not served */
static void nts_server_get(const struct wizard_state *w, char *buf, size_t size)
{
	if (nts_serving(&w->setup))
		snprintf(buf, size, "%s %s", w->setup.nts_server.certificate,
		         w->setup.nts_server.key);
	else
		buf[0] = '\0';
}

static int nts_server_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	char copy[2 * MODEL_PATH_MAX + 2], *save = NULL, *cert, *key;

	snprintf(copy, sizeof(copy), "%s", text);
	cert = strtok_r(copy, " \t", &save);
	key = cert ? strtok_r(NULL, " \t", &save) : NULL;
	if (!cert)
		return nts_set_server(&w->setup, "nts_server", "", "", 0, errs);
	if (!key || strtok_r(NULL, " \t", &save)) {
		errlist_add(errs, ERR_ERROR, "", "nts_server: %s",
		            _("give two paths: the certificate chain, then the private key"));
		return -1;
	}
	return nts_set_server(&w->setup, "nts_server", cert, key, 0, errs);
}

/* --- options.hwtimestamp (issue 16 section 7) --------------------------------- */

static bool hwtimestamp_applies(const struct wizard_state *w)
{
	return w->backend->id == DAEMON_CHRONY;
}

static void hwtimestamp_get(const struct wizard_state *w, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < w->setup.hwtimestamp.n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? " " : "",
		                      w->setup.hwtimestamp.v[i].name);
}

static int hwtimestamp_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	struct setup_hwts keep = w->setup.hwtimestamp;
	char copy[MODEL_MAX_HWTS * (MODEL_IFNAME_MAX + 2) + 64], *save = NULL;

	if (strlen(text) >= sizeof(copy)) {
		errlist_add(errs, ERR_ERROR, "", "options.hwtimestamp: %s",
		            _("too many interfaces (at most 8)"));
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s", text);
	memset(&w->setup.hwtimestamp, 0, sizeof(w->setup.hwtimestamp));
	for (char *n = strtok_r(copy, " \t,", &save); n; n = strtok_r(NULL, " \t,", &save))
		if (nts_add_hwtimestamp(&w->setup, "options.hwtimestamp", n, 0, errs) < 0) {
			w->setup.hwtimestamp = keep;
			return -1;
		}
	return 0;
}

/* --- refclocks (issue 16 section 5) ------------------------------------------ */

/* A host with a reference clock is a time server (stratum 1): asked with
 * the lan and public policies, of the daemons that read refclocks. */
static bool refclocks_apply(const struct wizard_state *w)
{
	return (full_daemon(w) && w->setup.policy != POLICY_CLIENT_ONLY) || w->setup.refclocks.n;
}

static void refclocks_get(const struct wizard_state *w, char *buf, size_t size)
{
	refclock_get_text(&w->setup, buf, size);
}

static int refclocks_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	char shown[WIZARD_ALLOW_TEXT_MAX];

	refclocks_get(w, shown, sizeof(shown));
	if (strcmp(text, shown) == 0)
		return 0; /* unchanged (%g may have rounded an offset) */
	return refclock_set_text(&w->setup, text, errs);
}

/* --- keys.format, keys.file (issue 16 section 2) --------------------------------- */

/* Asked once a server uses a key (the Servers page comes first), or when
 * a key file is named already: a newcomer is not asked about keys. */
static bool keys_apply(const struct wizard_state *w)
{
	return keys_daemon_path(w->backend->id, w->host.distro.family) != NULL &&
	       (keys_used(&w->setup) || w->setup.keys.file[0]);
}

static void keys_format_get(const struct wizard_state *w, char *buf, size_t size)
{
	snprintf(buf, size, "%s", w->setup.keys.ntp_format ? "ntp" : "");
}

static int keys_format_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	if (!*text || strcmp(text, "chrony") == 0 || strcmp(text, "ntp") == 0) {
		w->setup.keys.ntp_format = strcmp(text, "ntp") == 0;
		return 0;
	}
	errlist_add(errs, ERR_ERROR, "", "keys.format: %s", _("must be \"chrony\" or \"ntp\""));
	return -1;
}

static void keys_file_get(const struct wizard_state *w, char *buf, size_t size)
{
	snprintf(buf, size, "%s", w->setup.keys.file);
}

/* Checked as the profile's keys.file is (an absolute path, a plain file
 * under the root that others cannot read, keys in the format chosen
 * above), and every server's key must be in it. The model keeps the old
 * file when the new one is refused. */
static int keys_file_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	struct setup_keys keep = w->setup.keys;
	struct keyset ks;
	char why[WIZARD_LINE_MAX];

	if (!*text) {
		w->setup.keys.file[0] = '\0';
	} else {
		if (model_set_keys_file(&w->setup, "keys.file", text, 0, errs) < 0)
			return -1;
		w->setup.keys.line = 0;
		if (keys_load(&w->setup, &ks, errs) < 0) {
			w->setup.keys = keep;
			return -1;
		}
		keys_clear(&ks);
	}
	if (wizard_keys_problem(w, true, why, sizeof(why))) {
		errlist_add(errs, ERR_ERROR, "", "%s", why);
		w->setup.keys = keep;
		return -1;
	}
	return 0;
}

/* --- start.user, start.family (issue 16 section 7) ------------------------------ */

/* The distribution's defaults file for the chosen daemon, when ntpwiz
 * knows it and the daemon has -u/-4/-6 (startopts.h). */
static const struct startopts *start_row(const struct wizard_state *w)
{
	return full_daemon(w) ? startopts_find(w->backend, w->host.distro.family) : NULL;
}

static bool start_user_applies(const struct wizard_state *w)
{
	const struct startopts *r = start_row(w);

	/* where the service overrides -u, the row would only be refused */
	return r && !r->user_fixed;
}

static bool start_family_applies(const struct wizard_state *w)
{
	return start_row(w) != NULL;
}

static void start_user_get(const struct wizard_state *w, char *buf, size_t size)
{
	snprintf(buf, size, "%s", w->setup.start.user);
}

static int start_user_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	return model_set_start_user(&w->setup, "start.user", text, 0, errs);
}

static void start_family_get(const struct wizard_state *w, char *buf, size_t size)
{
	const char *name = model_start_family_name(w->setup.start.family);

	snprintf(buf, size, "%s", name ? name : "");
}

static int start_family_set(struct wizard_state *w, const char *text, struct errlist *errs)
{
	if (!*text) {
		w->setup.start.family = START_FAMILY_UNSET;
		return 0;
	}
	return model_set_start_family(&w->setup, "start.family", text, 0, errs);
}

static const struct wizard_advanced_row rows[] = {
    {"selection.minsources", N_("Sources that must agree before the clock is set"),
     N_("empty: the default (1); 1 to 16; 4 outvotes one bad server"), full_daemon,
     minsources_get, minsources_set, false},
    {"selection.maxdistance", N_("Largest root distance of a usable source (seconds)"),
     N_("empty: the daemon's default; above 0, at most 16"), maxdistance_applies,
     maxdistance_get, maxdistance_set, false},
    {"orphan.stratum", N_("Orphan mode: keep serving at this stratum when upstream is lost"),
     N_("empty: off; 1 to 15, usually 10, alike on the LAN's servers"),
     orphan_applies, orphan_get, orphan_set, false},
    {"constraints", N_("HTTPS time constraints (names, addresses or https:// URLs)"),
     N_("empty: OpenBSD's defaults; off: none (warned)"), constraints_apply, constraints_get,
     constraints_set, false},
    {"nts_server", N_("Serve NTS: certificate chain and private key (two paths)"),
     N_("empty: no NTS; PEM files under the root, the key not readable by others; clients "
        "also need TCP port 4460"),
     nts_server_applies, nts_server_get, nts_server_set, false},
    {"options.hwtimestamp", N_("Hardware timestamping on these interfaces"),
     N_("empty: off; interface names, or * for every one that can (a named one that cannot "
        "stops chronyd)"),
     hwtimestamp_applies, hwtimestamp_get, hwtimestamp_set, false},
    {"refclocks", N_("Reference clocks, separated by ';' (GNSS via gpsd, PPS, PTP)"),
     N_("none: no clock; e.g. shm 0 refid GPS delay 0.2 noselect; pps /dev/pps0 refid PPS "
        "lock GPS"),
     refclocks_apply, refclocks_get, refclocks_set, true},
    /* issue 16 section 2; the format first: the file is read in it */
    {"keys.format", N_("Format of the key file: chrony or ntp (ntp.keys)"),
     N_("empty: chrony's (ID TYPE HEX:SECRET)"), keys_apply, keys_format_get, keys_format_set, false},
    {"keys.file", N_("Key file the servers' keys come from (an absolute path)"),
     N_("empty: no keys; readable by root only; the secrets are never shown"), keys_apply,
     keys_file_get, keys_file_set, false},
    {"start.user", N_("Run the daemon as this user (-u)"),
     N_("empty: as the service does now; a user of this system"), start_user_applies,
     start_user_get, start_user_set, false},
    {"start.family", N_("Address family (-4/-6)"),
     N_("empty: as now; any, ipv4 or ipv6"), start_family_applies, start_family_get,
     start_family_set, false},
};

size_t wizard_advanced_rows(const struct wizard_advanced_row **out)
{
	*out = rows;
	return sizeof(rows) / sizeof(rows[0]);
}
