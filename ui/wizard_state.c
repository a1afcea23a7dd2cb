/*
 * wizard_state: the wizard's page logic, shared by the newt pages and line
 * mode, testable without a terminal (see wizard_state.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>

#include "diff.h"
#include "distro.h"
#include "i18n.h"
#include "smear.h"
#include "ui.h"
#include "import.h"
#include "keys.h"
#include "profile.h"
#include "release.h"
#include "sysops.h"
#include "validate.h"
#include "smear.h"
#include "startopts.h"
#include "wizard_state.h"

/* --- texts ------------------------------------------------------------------------ */

static const struct {
	const char *label;
	const char *explain;
} leap_texts[LEAP_COUNT] = {
    [LEAP_STEP] = {N_("Step (recommended)"),
                   N_("At a leap second the kernel inserts or deletes that second at midnight "
                      "UTC, as announced. The clock is exact before and after, and no time is "
                      "smeared over the hours around it.")},
    [LEAP_SLEW] = {N_("Slew"), N_("The daemon slews the clock over the leap second instead of "
                                  "stepping it: no jump, but the clock is up to a second off "
                                  "for some hours.")},
    [LEAP_SMEAR] = {N_("Smear"),
                    N_("The leap second is spread over many hours for this host's clients. Use "
                       "it only if every server those clients use smears the same way.")},
    [LEAP_IGNORE] = {N_("Ignore"), N_("The leap second is not announced to the kernel; the "
                                      "one-second error is corrected afterwards like any "
                                      "other offset.")},
};

/* Where a daemon does something else than the text above says, its own
 * words (they must match what its file says: test_wizard checks). */
static const struct {
	enum daemon_id daemon;
	enum leap_mode mode;
	const char *label;
	const char *explain;
} leap_texts_daemon[] = {
    {DAEMON_OPENNTPD, LEAP_STEP, N_("Default (OpenNTPD has no leap setting)"),
     N_("OpenNTPD has no leap-second setting: it does not tell the kernel, so a leap "
        "second shows up afterwards as a one-second offset that it corrects slowly, like "
        "any other offset. The clock is up to a second off for a while.")},
};

static const struct {
	const char *label;
	const char *explain;
} policy_texts[POLICY_COUNT] = {
    [POLICY_CLIENT_ONLY] = {N_("Client only (recommended)"),
                            N_("This host asks its servers for the time and answers nobody: "
                               "no NTP service is exposed to the network.")},
    [POLICY_LAN] = {N_("LAN server"),
                    N_("Hosts in the networks below may ask this host for the time, rate "
                       "limited; everyone else is ignored.")},
    [POLICY_PUBLIC] = {N_("Public server"),
                       N_("Anyone may ask this host for the time. Control queries that "
                          "could amplify an attack are refused; the daemon rate limits "
                          "clients where it can.")},
};

/* Each page's help: what it is about (both faces), then how to use it on the
 * screen (F1) and in line mode ("?"), where the two differ. */
static const struct {
	const char *title;
	const char *help;
	const char *keys[WFACE_COUNT];
} page_texts[WPAGE_COUNT] = {
    [WPAGE_WELCOME] = {N_("Welcome"),
                       N_("ntpwiz sets up the time daemon of this system, or of the system "
                          "under --root: which daemon, the time servers, how leap seconds "
                          "are handled and who may ask this host for the time.\n\n"
                          "This page shows what was found: the distribution, the init "
                          "system, the time daemons that are installed or running, and "
                          "conflicts (more than one daemon enabled)."),
                       {[WFACE_SCREEN] =
                            N_("Nothing is written until you choose Apply on the Summary "
                               "page.\n\n"
                               "Keys: Tab and Shift-Tab move, Space or Enter choose, F12 is "
                               "Next, Esc goes back, F1 shows this help, Ctrl-C quits without "
                               "writing anything."),
                        [WFACE_LINE] =
                            N_("Nothing is written before the last question. Enter takes the "
                               "[default], ? shows the help of the question, < goes back to "
                               "the one before; when the input ends (Ctrl-D) ntpwiz stops "
                               "without writing anything.")}},
    [WPAGE_DAEMON] = {N_("Time daemon"),
                      N_("Choose the daemon that keeps the time. chrony is the best choice "
                         "for most hosts: it syncs fast, copes with laptops and virtual "
                         "machines, and supports NTS. NTPsec is a hardened ntpd; ntpd from "
                         "ntp.org is the reference implementation. OpenNTPD is small but "
                         "has no leap-second or access options. systemd-timesyncd is a "
                         "plain client that never serves time.\n\n"
                         "A daemon that is not installed can be installed when applying "
                         "(on the running system only; under --root install it inside the "
                         "target system). The other time daemons are stopped and disabled "
                         "when applying, so only one steers the clock.")},
    [WPAGE_SERVERS] = {N_("Time servers"),
                       N_("The servers this host takes its time from. The list starts with "
                          "your distribution's defaults (or the servers of the current "
                          "configuration).\n\n"
                          "A pool is a name that resolves to several servers; the daemon "
                          "uses a few of them and replaces those that fail. A server is "
                          "one host. iburst makes the first sync fast. NTS authenticates "
                          "the server (it needs a named server that supports it, not a "
                          "pool). prefer picks this server when several are equally good.\n\n"
                          "noselect: the server is watched (it shows in the peers) but "
                          "never sets the clock. trust (chrony): the server is taken as "
                          "right even when the others disagree. xleave: interleaved mode, "
                          "more exact timestamps where the server supports it. maxdelay: "
                          "answers whose round trip took longer than this many seconds are "
                          "not used. Key ID: the server is authenticated with that "
                          "symmetric key from the key file (Advanced page). A daemon that "
                          "lacks one of these options refuses it and says why.\n\n"
                          "Use four or more servers (or a pool) so one wrong clock is "
                          "outvoted."),
                       {[WFACE_SCREEN] =
                            N_("Add, Edit and Remove change the list. Space marks a server "
                               "([x]); Remove and Test act on the marked servers, or on the "
                               "highlighted one when none is marked."),
                        [WFACE_LINE] =
                            N_("Answer n to \"Keep these servers?\" to type the list anew: "
                               "one server per line, the host followed by its options (pool, "
                               "nts, prefer, noiburst, noselect, trust, xleave, maxdelay "
                               "SECONDS, key ID); an empty line ends the list.")}},
    [WPAGE_LEAP] = {N_("Leap seconds"),
                    N_("A leap second is an extra second inserted at midnight UTC when "
                       "announced. Step is the default: the kernel inserts the second, so "
                       "the clock is exact before and after, and nothing is smeared over "
                       "the surrounding hours (the NTP way, recommended). OpenNTPD has no "
                       "leap-second setting: with it the second shows up afterwards as an "
                       "offset that it corrects.\n\n"
                       "Slew and smear avoid the jump but leave the clock up to a second "
                       "wrong for hours; mixing smeared and stepped servers gives clients "
                       "conflicting time. Only the modes the chosen daemon can write are "
                       "offered; the others are listed with the reason.")},
    [WPAGE_POLICY] = {N_("Access policy"),
                      N_("Who may ask this host for the time.\n\n"
                         "Client only serves nobody. LAN server answers the networks you "
                         "list (addresses or CIDR, such as 192.168.1.0/24 or fd00::/8, "
                         "separated by spaces). Public server answers anyone.\n\n"
                         "A host running an NTP daemon can be used by others for DRDoS "
                         "amplification attacks: a small forged query (monlist, mode 6 "
                         "or 7 control queries) gets a large answer sent to the victim. "
                         "The classic cure is the line \"restrict default kod notrap "
                         "nomodify nopeer noquery\" (and the same for IPv6). ntpwiz "
                         "closes this door in every policy: ntpd and NTPsec get "
                         "\"restrict default ignore\" (client only) or such a line with "
                         "rate limiting, control queries are answered for localhost "
                         "only, and chrony gets no command access from the network and "
                         "rate limiting. Serve only the networks that need time from "
                         "you.")},
    [WPAGE_ADVANCED] = {N_("Advanced"),
                        N_("Settings most hosts leave as they are; Next with the fields as "
                           "they are changes nothing, and an empty field is the daemon's "
                           "default.\n\n"
                           "Sources that must agree: how many servers must agree before the "
                           "clock is set (chrony minsources, ntpd tos minsane). With 2 "
                           "servers a falseticker cannot be outvoted: 4 sources and 4 "
                           "here let one bad server be detected and discarded.\n\n"
                           "Largest root distance: a source further from its reference "
                           "clock (delay and dispersion) is not used.\n\n"
                           "Orphan mode (LAN and public servers): when every upstream "
                           "server is lost this host keeps serving its clients at the "
                           "stratum given. Give every server of the LAN the same stratum "
                           "(10 is usual) and let them poll each other; while orphaned "
                           "the clock runs free and slowly drifts.\n\n"
                           "HTTPS time constraints (OpenNTPD): the servers' time is checked "
                           "against the time in HTTPS answers, so a forged answer cannot "
                           "move the clock far. Empty: OpenBSD's defaults; off: none. "
                           "Debian's OpenNTPD is built without TLS and does not use them.\n\n"
                           "Serve NTS (chrony and NTPsec): the certificate chain and its "
                           "private key, two PEM files; the key must not be readable by "
                           "others. Clients fetch their keys on TCP port 4460 (NTS-KE), so "
                           "that port must be open to them as well.\n\n"
                           "Hardware timestamping (chrony): the network interfaces whose "
                           "cards timestamp NTP packets, or * for every one that can; more "
                           "exact than the kernel's timestamps. A named interface that "
                           "cannot do it stops chronyd.\n\n"
                           "Reference clocks (chrony, NTPsec, ntpd): clocks attached to this "
                           "host, such as a GNSS receiver through gpsd's shared memory "
                           "(shm), a PPS device (pps) or a PTP hardware clock (phc). A PPS "
                           "signal only marks the start of a second: lock it to another "
                           "clock, or keep servers, so that the second is numbered.\n\n"
                           "Key file and its format: the file with the symmetric keys the "
                           "servers' Key IDs refer to, in chrony's format (ID TYPE "
                           "HEX:SECRET) or ntp's (ntp.keys), readable by root only. "
                           "Applying writes the daemon's own key file from it (mode 0640, "
                           "the daemon's group); ntpwiz never shows the secrets.\n\n"
                           "Run as user and address family: the daemon's start options -u "
                           "and -4/-6, written to the service's defaults file (such as "
                           "/etc/default/chrony); empty leaves them as the service has "
                           "them. Where the service chooses the user itself, another one is "
                           "refused with the reason.\n\n"
                           "Operator lines: directives of the daemon's manual that ntpwiz "
                           "does not write itself, kept as typed at the end of the file. "
                           "Lines that open access or remote control, read other files, "
                           "or that these pages write, are refused."),
                        {[WFACE_SCREEN] =
                             N_("Up and Down move between the fields; the page scrolls when "
                                "they do not all fit. Add line and Remove change the operator "
                                "lines."),
                         [WFACE_LINE] =
                             N_("Enter keeps a value. For the reference clocks, none removes "
                                "them all. Operator lines: one per answer, -N removes line N, "
                                "an empty line ends them.")}},
    [WPAGE_SUMMARY] = {N_("Summary"),
                       N_("The exact file that will be written, and what changes against the "
                          "file that is there now.\n\n"
                          "A profile keeps your choices; \"ntpwiz apply PROFILE\" replays it "
                          "to the same bytes on this or another host (the servers are saved "
                          "as listed here).\n\n"
                          "Applying checks the file with the daemon's own checker, backs up "
                          "the current file, writes the new one atomically, stops "
                          "conflicting daemons, restarts the daemon and checks it answers; "
                          "if it does not, the old file is put back."),
                       {[WFACE_SCREEN] =
                            N_("Scroll with the arrow keys and Page Up/Down. Show diff shows "
                               "the changes, Save profile... writes the profile, Apply "
                               "applies."),
                        [WFACE_LINE] =
                            N_("The file is shown above, then what changes. A file name "
                               "saves the profile (empty: not saved); the question after it "
                               "writes the file, or not.")}},
    [WPAGE_APPLY] = {N_("Apply"),
                     N_("Each step of applying and its result. If restarting or verifying "
                        "the daemon failed, the old file was put back (rollback). Under "
                        "--root the service is enabled for the next boot instead of being "
                        "restarted. \"ntpwiz rollback\" restores the backup later.")},
    [WPAGE_MONITOR] = {N_("Peers"),
                       N_("What the daemon says about its servers: reach shows the last "
                          "eight polls (377 means all answered), offset is how far the "
                          "server's clock is from this host's. Right after a restart the "
                          "servers need a few polls before one is selected. Refresh asks "
                          "again.")},
};

const char *wizard_page_help(enum wizard_page_id page)
{
	return (unsigned)page < WPAGE_COUNT ? _(page_texts[page].help) : "";
}

const char *wizard_page_keys(enum wizard_page_id page, enum wizard_face face)
{
	if ((unsigned)page >= WPAGE_COUNT || (unsigned)face >= WFACE_COUNT ||
	    !page_texts[page].keys[face])
		return "";
	return _(page_texts[page].keys[face]);
}

const char *wizard_page_title(enum wizard_page_id page)
{
	return (unsigned)page < WPAGE_COUNT ? _(page_texts[page].title) : "";
}

/* --- set-up ----------------------------------------------------------------------- */

const struct backend *wizard_default_daemon(const struct detect_info *host)
{
	size_t n;
	const struct backend *const *all = backend_all(&n);
	struct setup s;

	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < n; i++) {
			const struct detect_daemon *dd = &host->daemons[all[i]->id];
			if (!dd->backend)
				continue;
			if ((pass == 0 && dd->running) || (pass == 1 && dd->enabled) ||
			    (pass == 2 && dd->installed))
				return all[i];
		}
	}
	model_init(&s);
	return backend_resolve(&s, host->distro.family);
}

/* The chosen daemon's current config, when it has servers: the setup
 * starts from it, and what cannot be carried over is kept for the welcome
 * page. 1 when there is none to start from. */
static int prefill_from_current(struct wizard_state *w)
{
	struct import_notes notes;
	struct errlist scratch;
	struct setup cur;
	int rc;

	import_notes_init(&notes);
	errlist_init(&scratch);
	rc = import_current(w->backend, w->host.distro.family, &cur, &notes, &scratch);
	if (rc == 0 && (cur.nservers > 0 || cur.refclocks.n > 0)) { /* refclocks: issue 16 */
		struct strbuf nets;

		cur.daemon = w->backend->id;
		cur.servers_set = true;
		w->setup = cur;
		snprintf(w->imported_from, sizeof(w->imported_from), "%s",
		         backend_conf_path(w->backend, w->host.distro.family));
		strbuf_init(&nets);
		for (size_t i = 0; i < cur.nallow; i++)
			strbuf_printf(&nets, "%s%s", i ? " " : "", cur.allow[i].cidr);
		snprintf(w->allow_text, sizeof(w->allow_text), "%s", strbuf_str(&nets));
		strbuf_free(&nets);
		w->import_total = notes.n;
		for (size_t i = 0; i < notes.n && i < WIZARD_IMPORT_NOTES; i++)
			/* TRANSLATORS: %1$s file, %2$d line, %3$s the line, %4$s why,
			 * %5$s "kept as is" or "will be dropped" */
			snprintf(w->import_notes[i], sizeof(w->import_notes[i]),
			         _("%1$s:%2$d: %3$s: %4$s (%5$s)"), notes.v[i].file,
			         notes.v[i].line, notes.v[i].text, notes.v[i].reason,
			         notes.v[i].fate == IMPORT_KEPT ? _("kept as is")
			                                        : _("will be dropped"));
	} else {
		rc = 1;
	}
	import_notes_free(&notes);
	errlist_free(&scratch);
	return rc;
}

int wizard_prefill(struct wizard_state *w, struct errlist *errs)
{
	w->imported_from[0] = '\0';
	w->import_total = 0;
	if (prefill_from_current(w) == 0)
		return 0;
	if (distro_apply_default_servers(&w->host.distro, &w->setup, errs) < 0)
		return -1;
	w->setup.servers_set = w->setup.nservers > 0;
	return 0;
}

int wizard_init(struct wizard_state *w, const struct detect_info *host, struct errlist *errs)
{
	memset(w, 0, sizeof(*w));
	w->host = *host;
	target_init(&w->target);
	model_init(&w->setup);
	w->backend = wizard_default_daemon(host);
	w->setup.daemon = w->backend->id;
	w->allow_ok = true;
	return wizard_prefill(w, errs);
}

size_t wizard_daemon_rows(const struct wizard_state *w, struct wizard_daemon_row *rows, size_t max)
{
	size_t n, k = 0;
	const struct backend *const *all = backend_all(&n);

	for (size_t i = 0; i < n && k < max; i++) {
		const struct detect_daemon *dd = &w->host.daemons[all[i]->id];
		struct wizard_daemon_row *r = &rows[k++];
		r->backend = all[i];
		r->installed = dd->installed;
		r->enabled = dd->enabled;
		r->running = dd->running;
		r->version = dd->version;
		if (dd->running)
			snprintf(r->status, sizeof(r->status), "%s", _("installed, running"));
		else if (dd->enabled)
			snprintf(r->status, sizeof(r->status), "%s", _("installed, enabled"));
		else if (dd->installed)
			snprintf(r->status, sizeof(r->status), "%s", _("installed"));
		else
			snprintf(r->status, sizeof(r->status), "%s", _("not installed"));
	}
	return k;
}

void wizard_set_daemon(struct wizard_state *w, const struct backend *b, struct errlist *errs)
{
	struct target_facts t;
	const struct backend *got;

	/* What the release's package really installs (release.h): Debian's
	 * "ntp" writes NTPsec's file; where there is none, the daemon stays
	 * as it was and errs says why. */
	target_init(&t);
	got = release_resolve(&w->host.distro, b, &w->host, &t, errs);
	if (!got)
		return;
	b = got;
	w->target = t;
	w->backend = b;
	w->setup.daemon = b->id;
	if (b->leap_refusal[w->setup.leap]) {
		errlist_add(errs, ERR_WARNING, "leap.mode", _("%s; leap mode is now \"step\""),
		            _(b->leap_refusal[w->setup.leap]));
		w->setup.leap = LEAP_STEP;
	}
	if (b->policy_refusal[w->setup.policy]) {
		errlist_add(errs, ERR_WARNING, "restrict.policy",
		            _("%s; the access policy is now \"client-only\""),
		            _(b->policy_refusal[w->setup.policy]));
		w->setup.policy = POLICY_CLIENT_ONLY;
		w->setup.nallow = 0;
	}
}

bool wizard_daemon_installed(const struct wizard_state *w)
{
	return w->host.daemons[w->backend->id].installed;
}

/* --- servers ---------------------------------------------------------------------- */

const char *wizard_server_text(const struct server *srv, char *buf, size_t size)
{
	char opts[160] = "";
	size_t o = 0;

#define OPT(cond, ...)                                                                             \
	do {                                                                                       \
		if ((cond) && o < sizeof(opts)) {                                                  \
			if (o)                                                                     \
				o += (size_t)snprintf(opts + o, sizeof(opts) - o, ", ");           \
			if (o < sizeof(opts))                                                      \
				o += (size_t)snprintf(opts + o, sizeof(opts) - o, __VA_ARGS__);    \
		}                                                                                  \
	} while (0)
	OPT(srv->iburst, "%s", "iburst");
	OPT(srv->nts, "%s", "nts");
	OPT(srv->prefer, "%s", "prefer");
	OPT(srv->noselect, "%s", "noselect");
	OPT(srv->trust, "%s", "trust");
	OPT(srv->xleave, "%s", "xleave");
	OPT(srv->maxdelay != 0.0, "maxdelay %g", srv->maxdelay);
	OPT(srv->key, "key %u", srv->key);
#undef OPT
	/* the host in a column of 30 while the row stays within the Servers
	 * page's list (52 columns); with many options the row is written as
	 * the config has it, one space between words */
	if (7 + (strlen(srv->host) > 30 ? strlen(srv->host) : 30) + 1 + o > 52) {
		for (char *c = opts; (c = strstr(c, ", "));)
			memmove(c, c + 1, strlen(c + 1) + 1);
		snprintf(buf, size, "%-6s %s %s", model_kind_name(srv->kind), srv->host, opts);
	} else
		snprintf(buf, size, "%-6s %-30s %s", model_kind_name(srv->kind), srv->host, opts);
	return buf;
}

/* The fields into srv, on top of base (the server being edited, so what
 * the fields do not show is kept) or a fresh one. The key ID and maxdelay
 * are typed: -1 with the reason in errs when one is not a number or out of
 * range. */
static int fields_to_server(struct setup *tmp, const struct wizard_server_fields *f,
                            const struct server *base, struct server *srv, struct errlist *errs)
{
	char *end;

	if (base)
		*srv = *base;
	else
		model_server_init(srv);
	snprintf(srv->host, sizeof(srv->host), "%s", f->host ? f->host : "");
	srv->kind = f->kind;
	srv->iburst = f->iburst;
	srv->nts = f->nts;
	srv->prefer = f->prefer;
	srv->noselect = f->noselect;
	srv->trust = f->trust;
	srv->xleave = f->xleave;
	srv->key = 0;
	srv->maxdelay = 0.0;
	if (f->key && *f->key) {
		long v = strtol(f->key, &end, 10);

		if (*end || model_set_server_key(tmp, srv, _("Key"), *end ? 0 : v, errs) < 0) {
			if (*end)
				errlist_add(errs, ERR_ERROR, "key", "%s",
				            _("Key: must be a key ID between 1 and 65535"));
			return -1;
		}
	}
	if (f->maxdelay && *f->maxdelay) {
		double v = strtod(f->maxdelay, &end);

		if (*end) {
			errlist_add(errs, ERR_ERROR, "maxdelay", "%s",
			            _("maxdelay: is not a number (seconds, e.g. 0.05)"));
			return -1;
		}
		if (model_set_server_maxdelay(tmp, srv, "maxdelay", v, errs) < 0)
			return -1;
	}
	return 0;
}
/* Checks f as server `index` through the model's own setters, on a copy. */
static int check_fields(const struct wizard_state *w, int index,
                        const struct wizard_server_fields *f, struct server *srv,
                        struct errlist *errs)
{
	static struct setup tmp; /* large; the wizard is single-threaded */
	size_t before = errs->n;

	if (!f->host || !*f->host) {
		errlist_add(errs, ERR_ERROR, "host", "%s", _("Host: enter a name or an address"));
		return -1;
	}
	const char *why = validate_host(f->host, NULL);
	if (why) {
		errlist_add(errs, ERR_ERROR, "host", _("Host: %s"), why);
		return -1;
	}
	if (f->kind == SERVER_KIND_POOL && f->nts) {
		errlist_add(errs, ERR_ERROR, "nts", "%s",
		            _("NTS: needs a named server with a certificate, not a pool; choose "
		              "server"));
		return -1;
	}
	tmp = w->setup;
	tmp.source[0] = '\0';
	if (fields_to_server(&tmp, f, index >= 0 ? &w->setup.servers[index] : NULL, srv, errs) < 0)
		return -1;
	if (srv->key && !keys_daemon_path(w->backend->id, w->host.distro.family)) {
		/* TRANSLATORS: %s is a daemon */
		errlist_add(errs, ERR_ERROR, "key",
		            _("Key: %s has no symmetric keys; use chrony, ntpsec or ntp, or leave "
		              "the key empty"),
		            _(w->backend->display_name));
		return -1;
	}
	if (index >= 0)
		model_remove_server(&tmp, (size_t)index);
	if (model_add_server(&tmp, srv, _("Host"), errs) < 0)
		return -1;
	if (srv->nts && w->backend->nts_refusal) {
		errlist_add(errs, ERR_ERROR, "nts", "NTS: %s", _(w->backend->nts_refusal));
		return -1;
	}
	return errs->n > before ? -1 : 0;
}

const char *wizard_servers_warning(const struct wizard_state *w, char *buf, size_t size)
{
	size_t n = model_source_count(&w->setup);

	if (n >= WIZARD_MIN_SOURCES || w->setup.nservers == 0)
		return NULL;
	/* TRANSLATORS: %zu is the number of time sources (1 to 3) */
	snprintf(buf, size,
	         _("Only %zu time source(s): with fewer than 4, a falseticker (a server with the "
	           "wrong time) cannot be outvoted. ntp.org and chrony advise 4 or more; a pool "
	           "counts as several."),
	         n);
	return buf;
}

const char *wizard_server_problem(const struct wizard_state *w, int index,
                                  const struct wizard_server_fields *f, char *buf, size_t size)
{
	struct errlist errs;
	struct server srv;
	const char *r = NULL;

	errlist_init(&errs);
	if (check_fields(w, index, f, &srv, &errs) < 0 && errs.n > 0) {
		snprintf(buf, size, "%s", errs.v[0].message);
		r = buf;
	}
	errlist_free(&errs);
	return r;
}

int wizard_server_put(struct wizard_state *w, int index, const struct wizard_server_fields *f,
                      struct errlist *errs)
{
	struct server srv;

	if (index >= (int)w->setup.nservers)
		return -1;
	if (check_fields(w, index, f, &srv, errs) < 0)
		return -1;
	if (index < 0) {
		if (model_add_server(&w->setup, &srv, _("Host"), errs) < 0)
			return -1;
	} else {
		w->setup.servers[index] = srv;
	}
	w->setup.servers_set = true;
	return 0;
}

int wizard_server_remove(struct wizard_state *w, size_t index)
{
	return model_remove_server(&w->setup, index);
}

const char *wizard_server_parse(char *line, struct wizard_server_fields *f)
{
	char *save = NULL, *word;

	memset(f, 0, sizeof(*f));
	f->iburst = true;
	f->kind = SERVER_KIND_SERVER;
	for (word = strtok_r(line, " \t,\r\n", &save); word;
	     word = strtok_r(NULL, " \t,\r\n", &save)) {
		if (!f->host)
			f->host = word;
		else if (strcasecmp(word, "pool") == 0)
			f->kind = SERVER_KIND_POOL;
		else if (strcasecmp(word, "server") == 0)
			f->kind = SERVER_KIND_SERVER;
		else if (strcasecmp(word, "nts") == 0)
			f->nts = true;
		else if (strcasecmp(word, "prefer") == 0)
			f->prefer = true;
		else if (strcasecmp(word, "iburst") == 0)
			f->iburst = true;
		else if (strcasecmp(word, "noiburst") == 0)
			f->iburst = false;
		else if (strcasecmp(word, "noselect") == 0)
			f->noselect = true;
		else if (strcasecmp(word, "trust") == 0)
			f->trust = true;
		else if (strcasecmp(word, "xleave") == 0)
			f->xleave = true;
		else if (strcasecmp(word, "key") == 0 || strcasecmp(word, "maxdelay") == 0) {
			const char **value = strcasecmp(word, "key") == 0 ? &f->key : &f->maxdelay;

			if (!(*value = strtok_r(NULL, " \t,\r\n", &save)))
				return strcasecmp(word, "key") == 0
				           ? _("key needs the key's ID after it: key 1")
				           : _("maxdelay needs seconds after it: maxdelay 0.05");
		} else
			return _("unknown word after the host; use pool, server, nts, prefer, "
			         "noiburst, noselect, trust, xleave, maxdelay SECONDS or key ID");
	}
	if (!f->host)
		return _("enter a host name or address");
	return NULL;
}

/* --- keys (issue 16 section 2) ---------------------------------------------------- */

static const struct key_entry *key_find(const struct keyset *ks, unsigned id)
{
	for (size_t i = 0; i < ks->n; i++)
		if (ks->v[i].id == id)
			return &ks->v[i];
	return NULL;
}

/* Loads keys.file under the root; the first message into buf when it
 * cannot be used. */
static const char *keys_read(const struct wizard_state *w, struct keyset *ks, char *buf,
                             size_t size)
{
	struct errlist errs;
	const char *r = NULL;

	errlist_init(&errs);
	if (keys_load(&w->setup, ks, &errs) < 0) {
		snprintf(buf, size, "%s", errs.n ? errs.v[0].message : "?");
		r = buf;
	}
	errlist_free(&errs);
	return r;
}

const char *wizard_keys_problem(const struct wizard_state *w, bool need_file, char *buf,
                                size_t size)
{
	const struct setup *s = &w->setup;
	struct keyset ks;
	struct errlist errs;
	const char *r = NULL;

	if (!keys_used(s))
		return NULL;
	if (!s->keys.file[0]) {
		if (!need_file)
			return NULL;
		for (size_t i = 0; i < s->nservers; i++)
			if (s->servers[i].key) {
				/* TRANSLATORS: %1$s is a server, %2$u its key ID */
				snprintf(
				    buf, size,
				    _("server %1$s uses key %2$u; name the key file that has it "
				      "(keys.file)"),
				    s->servers[i].host, s->servers[i].key);
				return buf;
			}
		return NULL;
	}
	if (keys_read(w, &ks, buf, size))
		return buf;
	for (size_t i = 0; i < s->nservers && !r; i++)
		if (s->servers[i].key && !key_find(&ks, s->servers[i].key)) {
			/* TRANSLATORS: %1$s is a server, %2$u its key ID, %3$s the key file */
			snprintf(buf, size,
			         _("server %1$s uses key %2$u, which %3$s does not have"),
			         s->servers[i].host, s->servers[i].key, s->keys.file);
			r = buf;
		}
	errlist_init(&errs);
	if (!r && keys_check(w->backend->id, s, &ks, &errs) < 0) {
		snprintf(buf, size, "%s", errs.n ? errs.v[0].message : "?");
		r = buf;
	}
	errlist_free(&errs);
	keys_clear(&ks);
	return r;
}

const char *wizard_key_text(const struct wizard_state *w, unsigned id, char *buf, size_t size)
{
	struct keyset ks;
	const struct key_entry *k;

	buf[0] = '\0';
	if (!id)
		return buf;
	if (!w->setup.keys.file[0]) {
		snprintf(buf, size, "%s", _("the key file is named on the Advanced page"));
		return buf;
	}
	if (keys_read(w, &ks, buf, size))
		return buf;
	if ((k = key_find(&ks, id)))
		keys_describe(w->backend->id, k, buf, size);
	else
		/* TRANSLATORS: %1$u is a key ID, %2$s the key file */
		snprintf(buf, size, _("key %1$u is not in %2$s"), id, w->setup.keys.file);
	keys_clear(&ks);
	return buf;
}

const char *wizard_keys_summary(const struct wizard_state *w, char *buf, size_t size)
{
	const char *path = keys_daemon_path(w->backend->id, w->host.distro.family);
	struct keyset ks;
	struct strbuf list;
	char desc[64];

	if (!path || !keys_used(&w->setup) || wizard_keys_problem(w, true, buf, size))
		return NULL;
	if (keys_read(w, &ks, buf, size))
		return NULL;
	strbuf_init(&list);
	for (size_t i = 0; i < ks.n; i++)
		if (keys_type_name(w->backend->id, ks.v[i].type))
			strbuf_printf(&list, "%s%s", list.len ? ", " : "",
			              keys_describe(w->backend->id, &ks.v[i], desc, sizeof(desc)));
	keys_clear(&ks);
	/* TRANSLATORS: %1$s is the daemon's key file, %2$s the operator's, %3$s
	 * its keys ("key 1 (AES128CMAC, set)"), never a secret */
	snprintf(buf, size, _("%1$s (mode 0640, from %2$s): %3$s"), path, w->setup.keys.file,
	         strbuf_str(&list));
	strbuf_free(&list);
	return buf;
}

/* --- operator lines (issue 16 section 8) ------------------------------------------ */

const struct setup_extra *wizard_extra(const struct wizard_state *w)
{
	return &w->setup.extra[w->backend->id];
}

const char *wizard_extra_problem(const struct wizard_state *w, const char *text, char *buf,
                                 size_t size)
{
	static struct setup tmp; /* large; the wizard is single-threaded */
	struct errlist errs;
	const char *r = NULL;

	char field[32];

	errlist_init(&errs);
	tmp = w->setup;
	tmp.source[0] = '\0';
	snprintf(field, sizeof(field), "extra.%s", model_daemon_name(w->backend->id));
	if (model_add_extra(&tmp, w->backend->id, field, text, 0, &errs) < 0) {
		snprintf(buf, size, "%s", errs.n ? errs.v[0].message : "?");
		r = buf;
	}
	errlist_free(&errs);
	return r;
}

int wizard_extra_add(struct wizard_state *w, const char *text, struct errlist *errs)
{
	char field[32];

	snprintf(field, sizeof(field), "extra.%s", model_daemon_name(w->backend->id));
	return model_add_extra(&w->setup, w->backend->id, field, text, 0, errs);
}

int wizard_extra_remove(struct wizard_state *w, size_t index)
{
	struct setup_extra *x = &w->setup.extra[w->backend->id];

	if (index >= x->n)
		return -1;
	memmove(&x->v[index], &x->v[index + 1], (x->n - index - 1) * sizeof(x->v[0]));
	x->n--;
	return 0;
}

/* --- leap and policy --------------------------------------------------------------- */

size_t wizard_leap_choices(const struct wizard_state *w, struct wizard_choice *out)
{
	for (int m = 0; m < LEAP_COUNT; m++) {
		out[m].value = m;
		out[m].name = model_leap_name((enum leap_mode)m);
		out[m].label = _(leap_texts[m].label);
		out[m].explain = _(leap_texts[m].explain);
		for (size_t i = 0; i < sizeof(leap_texts_daemon) / sizeof(leap_texts_daemon[0]);
		     i++)
			if (leap_texts_daemon[i].daemon == w->backend->id &&
			    leap_texts_daemon[i].mode == (enum leap_mode)m) {
				out[m].label = _(leap_texts_daemon[i].label);
				out[m].explain = _(leap_texts_daemon[i].explain);
			}
		out[m].refusal =
		    w->backend->leap_refusal[m] ? _(w->backend->leap_refusal[m]) : NULL;
	}
	return LEAP_COUNT;
}

size_t wizard_policy_choices(const struct wizard_state *w, struct wizard_choice *out)
{
	for (int p = 0; p < POLICY_COUNT; p++) {
		out[p].value = p;
		out[p].name = model_policy_name((enum restrict_policy)p);
		out[p].label = _(policy_texts[p].label);
		out[p].explain = _(policy_texts[p].explain);
		out[p].refusal =
		    w->backend->policy_refusal[p] ? _(w->backend->policy_refusal[p]) : NULL;
	}
	return POLICY_COUNT;
}

int wizard_set_leap(struct wizard_state *w, enum leap_mode m, struct errlist *errs)
{
	if ((unsigned)m >= LEAP_COUNT)
		return -1;
	if (w->backend->leap_refusal[m]) {
		errlist_add(errs, ERR_ERROR, "leap.mode", "%s", _(w->backend->leap_refusal[m]));
		return -1;
	}
	w->setup.leap = m;
	return 0;
}

int wizard_set_policy(struct wizard_state *w, enum restrict_policy p, struct errlist *errs)
{
	if ((unsigned)p >= POLICY_COUNT)
		return -1;
	if (w->backend->policy_refusal[p]) {
		errlist_add(errs, ERR_ERROR, "restrict.policy", "%s",
		            _(w->backend->policy_refusal[p]));
		return -1;
	}
	w->setup.policy = p;
	/* networks belong to the LAN policy only (model_check) */
	w->setup.nallow = 0;
	if (p == POLICY_LAN)
		wizard_set_allow_text(w, w->allow_text);
	return 0;
}

int wizard_set_allow_text(struct wizard_state *w, const char *text)
{
	char copy[WIZARD_ALLOW_TEXT_MAX];
	struct errlist errs;
	struct setup *s = &w->setup;
	int rc = 0;

	if (text != w->allow_text)
		snprintf(w->allow_text, sizeof(w->allow_text), "%s", text);
	snprintf(copy, sizeof(copy), "%s", w->allow_text);
	w->allow_problem[0] = '\0';
	s->nallow = 0;
	errlist_init(&errs);
	if (model_set_allow_text(s, copy, &errs) < 0) {
		/* TRANSLATORS: %s is the model's reason, which starts with the
		 * network as typed */
		snprintf(w->allow_problem, sizeof(w->allow_problem), _("Networks: %s"),
		         errs.n ? errs.v[errs.n - 1].message : "");
		rc = -1;
	}
	if (rc == 0 && s->nallow == 0 && s->policy == POLICY_LAN) {
		snprintf(w->allow_problem, sizeof(w->allow_problem), "%s",
		         _("Networks: enter at least one network to serve, such as "
		           "192.168.1.0/24"));
		rc = -1;
	}
	if (rc < 0 || s->policy != POLICY_LAN)
		s->nallow = 0;
	w->allow_ok = rc == 0;
	errlist_free(&errs);
	return rc;
}

/* --- completeness ------------------------------------------------------------------ */

const char *wizard_page_problem(const struct wizard_state *w, enum wizard_page_id page, char *buf,
                                size_t size)
{
	const struct setup *s = &w->setup;
	const struct backend *b = w->backend;

	switch (page) {
	case WPAGE_ADVANCED:
		if (!w->advanced_problem[0])
			return wizard_keys_problem(w, true, buf, size);
		snprintf(buf, size, "%s", w->advanced_problem);
		return buf;
	case WPAGE_SERVERS:
		if (s->nservers == 0) {
			snprintf(buf, size, "%s", _("Add at least one time server."));
			return buf;
		}
		for (size_t i = 0; i < s->nservers; i++) {
			if (s->servers[i].nts && b->nts_refusal) {
				/* TRANSLATORS: %1$s is a host, %2$s the daemon's reason */
				snprintf(buf, size, _("%1$s: NTS: %2$s"), s->servers[i].host,
				         _(b->nts_refusal));
				return buf;
			}
		}
		{
			struct strbuf smearing, plain;
			bool mixed;

			strbuf_init(&smearing);
			strbuf_init(&plain);
			mixed = smear_classify(s, &smearing, &plain) == SMEAR_MIXED;
			if (mixed)
				/* TRANSLATORS: %1$s and %2$s are lists of servers */
				snprintf(
				    buf, size,
				    _("%1$s smear leap seconds and %2$s do not; they disagree "
				      "by up to a second around a leap second. Keep one group."),
				    strbuf_str(&smearing), strbuf_str(&plain));
			strbuf_free(&smearing);
			strbuf_free(&plain);
			if (mixed)
				return buf;
		}
		/* a key the named file does not have (issue 16 section 2) */
		return wizard_keys_problem(w, false, buf, size);
	case WPAGE_LEAP:
		if (s->leap == LEAP_SMEAR && smear_classify(s, NULL, NULL) == SMEAR_ALL) {
			snprintf(buf, size, "%s",
			         _("The servers smear leap seconds already; choose step, and this "
			           "host follows their smear."));
			return buf;
		}
		if (b->leap_refusal[s->leap]) {
			snprintf(buf, size, "%s", _(b->leap_refusal[s->leap]));
			return buf;
		}
		return NULL;
	case WPAGE_POLICY:
		if (b->policy_refusal[s->policy]) {
			snprintf(buf, size, "%s", _(b->policy_refusal[s->policy]));
			return buf;
		}
		if (s->policy == POLICY_LAN && !w->allow_ok) {
			snprintf(buf, size, "%s", w->allow_problem);
			return buf;
		}
		return NULL;
	case WPAGE_SUMMARY: {
		struct errlist errs;
		struct strbuf text;
		const char *r = NULL;

		errlist_init(&errs);
		strbuf_init(&text);
		if (wizard_render(w, &text, NULL, NULL, &errs) < 0) {
			for (size_t i = 0; i < errs.n && !r; i++)
				if (errs.v[i].severity == ERR_ERROR) {
					snprintf(buf, size, "%s", errs.v[i].message);
					r = buf;
				}
			if (!r) {
				snprintf(buf, size, "%s",
				         _("the configuration cannot be rendered"));
				r = buf;
			}
		}
		strbuf_free(&text);
		errlist_free(&errs);
		return r;
	}
	case WPAGE_WELCOME:
	case WPAGE_DAEMON:
	case WPAGE_APPLY:
	case WPAGE_MONITOR:
	case WPAGE_COUNT:
		break;
	}
	return NULL;
}

const char *wizard_leap_follow(const struct wizard_state *w, char *buf, size_t size)
{
	struct strbuf smearing;
	bool all;

	strbuf_init(&smearing);
	all = smear_classify(&w->setup, &smearing, NULL) == SMEAR_ALL;
	if (all)
		/* TRANSLATORS: %s is a list of servers */
		snprintf(buf, size,
		         _("Every server (%s) smears leap seconds, so this host follows their "
		           "smear and applies no leap second of its own (no leapsectz or "
		           "leapfile is written)."),
		         strbuf_str(&smearing));
	strbuf_free(&smearing);
	return all ? buf : NULL;
}

/* --- preview, profile, apply -------------------------------------------------------- */

const char *wizard_conf_path(const struct wizard_state *w)
{
	return backend_conf_path(w->backend, w->host.distro.family);
}

int wizard_render(const struct wizard_state *w, struct strbuf *text, struct strbuf *diff,
                  bool *exists, struct errlist *errs)
{
	const char *path = wizard_conf_path(w);
	struct target_facts target;
	char *current = NULL;
	size_t len = 0;
	int rc;

	/* The same facts apply_run reads, so the preview is the file written. */
	target = w->target;
	target_read(&target, w->backend, &w->host);
	if (backend_render_for(w->backend, &w->setup, w->host.distro.family, &target, text, errs) <
	    0)
		return -1;
	if (!diff)
		return 0;
	if (sysops_read_root_file(path, &current, &len) < 0 && errno != ENOENT) {
		errlist_add(errs, ERR_ERROR, path, _("cannot read the current file: %s"),
		            strerror(errno));
		return -1;
	}
	if (exists)
		*exists = current != NULL;
	rc = diff_unified(diff, current, len, text->buf, text->len, path, path);
	free(current);
	if (rc < 0) {
		errlist_add(errs, ERR_ERROR, "", "%s", _("out of memory"));
		return -1;
	}
	return 0;
}

int wizard_render_companion(const struct wizard_state *w, struct strbuf *diff,
                            struct errlist *errs)
{
	return startopts_diff(w->backend, w->host.distro.family, &w->setup, diff, errs);
}

int wizard_save_profile(struct wizard_state *w, const char *path, struct errlist *errs)
{
	char full[MODEL_PATH_MAX];
	struct strbuf text;
	int rc = -1;

	if (!path || !*path) {
		errlist_add(errs, ERR_ERROR, "", "%s", _("enter a file name for the profile"));
		return -1;
	}
	/* a relative name is in the current folder: keep (and show) the full path */
	if (path[0] != '/') {
		char cwd[MODEL_PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd)) ||
		    snprintf(full, sizeof(full), "%s/%s", strcmp(cwd, "/") ? cwd : "", path) >=
		        (int)sizeof(full)) {
			errlist_add(errs, ERR_ERROR, path, "%s",
			            _("cannot tell the current folder; give the full path"));
			return -1;
		}
		path = full;
	}
	strbuf_init(&text);
	if (profile_format(&w->setup, &text, errs) < 0)
		goto out;
	if (sysops_write_host_file(path, text.buf, text.len, 0644) < 0) {
		errlist_add(errs, ERR_ERROR, path, _("cannot write the profile: %s"),
		            strerror(errno));
		goto out;
	}
	snprintf(w->profile_path, sizeof(w->profile_path), "%s", path);
	rc = 0;
out:
	strbuf_free(&text);
	return rc;
}

/* s as one shell word: as is when it holds only characters no shell
 * treats specially, else in single quotes (a ' as '\''). */
static void shell_word(struct strbuf *out, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	                    "_-./:=@%+,") == strlen(s)) {
		strbuf_puts(out, s);
		return;
	}
	strbuf_puts(out, "'");
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_puts(out, "'\\''");
		else
			strbuf_append(out, s, 1);
	}
	strbuf_puts(out, "'");
}

const char *wizard_replay_command(const char *profile, char *buf, size_t size)
{
	struct strbuf cmd;

	strbuf_init(&cmd);
	strbuf_puts(&cmd, "ntpwiz apply ");
	shell_word(&cmd, profile);
	if (!sysops_root_is_host()) {
		strbuf_puts(&cmd, " --root ");
		shell_word(&cmd, sysops_root());
	}
	snprintf(buf, size, "%s", strbuf_str(&cmd));
	strbuf_free(&cmd);
	return buf;
}

/* The next character of p: its length in bytes and its display columns. */
static size_t next_char(const char *p, int *cols)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, p, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*cols = 1; /* a byte the locale cannot decode */
		return 1;
	}
	*cols = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
	return n;
}

/* Display columns from p to the end of its line. */
static int rest_width(const char *p)
{
	int total = 0, w;

	while (*p && *p != '\n') {
		p += next_char(p, &w);
		total += w;
	}
	return total;
}

size_t wizard_wrap_exact(const char *text, int cols, struct strbuf *out)
{
	size_t wrapped = 0;

	if (cols < 8)
		cols = 8;
	for (const char *p = text; *p;) {
		/* the rest of this line does not fit: take the longest piece of
		 * cols - 1 columns (one is kept for the mark), cut after its last
		 * blank when there is one in its second half (the blank stays, so
		 * the pieces joined are the line) */
		while (rest_width(p) > cols) {
			const char *q = p, *blank = NULL;
			int used = 0, w;
			for (;;) {
				size_t n = next_char(q, &w);
				if (used + w > cols - 1)
					break;
				used += w;
				q += n;
				if (q[-1] == ' ' && used > cols / 2)
					blank = q;
			}
			if (blank)
				q = blank;
			strbuf_append(out, p, (size_t)(q - p));
			strbuf_puts(out, WIZARD_WRAP_MARK "\n");
			wrapped++;
			p = q;
		}
		size_t len = strcspn(p, "\n");
		strbuf_append(out, p, len);
		p += len;
		if (*p == '\n') {
			strbuf_puts(out, "\n");
			p++;
		}
	}
	return wrapped;
}

int wizard_preflight(const struct wizard_state *w, const struct apply_opts *o, struct errlist *errs)
{
	return apply_preflight(&w->setup, w->backend, &w->host, o, errs);
}

int wizard_preflight_text(const struct wizard_state *w, const struct apply_opts *o,
                          struct strbuf *out)
{
	struct errlist errs;
	int rc;

	errlist_init(&errs);
	rc = wizard_preflight(w, o, &errs);
	if (rc < 0) {
		strbuf_printf(out, "%s\n", _("Apply would be refused, before changing anything:"));
		for (size_t i = 0; i < errs.n; i++)
			strbuf_printf(out, "- %s%s%s\n", errs.v[i].where,
			              errs.v[i].where[0] ? ": " : "", errs.v[i].message);
	}
	errlist_free(&errs);
	return rc;
}

int wizard_apply(struct wizard_state *w, const struct apply_opts *o, struct apply_report *rep,
                 struct errlist *errs)
{
	struct apply_opts with_target = *o;
	struct target_facts target = w->target;
	int rc;

	target_read(&target, w->backend, &w->host);
	with_target.target = &target;
	rc = apply_run(&w->setup, w->backend, &w->host, &with_target, rep, errs);
	wizard_apply_outcome(rep, rc < 0, w->outcome, sizeof(w->outcome));
	{
		/* for the line left on the terminal: the backup and the service */
		size_t at = strlen(w->outcome);
		bool enabled = false;
		for (size_t i = 0; i < rep->nsteps; i++)
			enabled = enabled || (strcmp(rep->steps[i].name, "enable") == 0 &&
			                      rep->steps[i].result == STEP_OK);
		if (rep->backup[0] && at < sizeof(w->outcome))
			at += (size_t)snprintf(w->outcome + at, sizeof(w->outcome) - at,
			                       _("; backup: %s"), rep->backup);
		if (at < sizeof(w->outcome) && rep->restarted)
			at += (size_t)snprintf(w->outcome + at, sizeof(w->outcome) - at,
			                       rep->verified ? _("; %s restarted and answering")
			                                     : _("; %s restarted"),
			                       rep->service);
		else if (at < sizeof(w->outcome) && enabled)
			at += (size_t)snprintf(w->outcome + at, sizeof(w->outcome) - at,
			                       _("; %s enabled for the next boot"), rep->service);
		else if (at < sizeof(w->outcome) && rc == 0 && rep->changed)
			snprintf(w->outcome + at, sizeof(w->outcome) - at,
			         _("; %s not restarted (start it yourself)"), rep->service);
	}
	w->applied = true;
	w->apply_failed = rc < 0;
	return rc;
}

const char *wizard_apply_outcome(const struct apply_report *rep, bool failed, char *buf,
                                 size_t size)
{
	const char *root = sysops_root_is_host() ? "" : sysops_root();

	if (!rep->path[0])
		snprintf(buf, size, "%s", _("nothing was done"));
	else if (rep->rolled_back)
		snprintf(buf, size, _("rolled back: %s%s has its old contents again"), root,
		         rep->path);
	else if (failed && !rep->changed)
		snprintf(buf, size, _("unchanged: %s%s was not written"), root, rep->path);
	else if (rep->changed)
		snprintf(buf, size, _("changed: %s%s"), root, rep->path);
	else
		snprintf(buf, size, _("unchanged: %s%s already has these bytes"), root, rep->path);
	return buf;
}

/* --- the detection summary ---------------------------------------------------------- */

static const char *yes_no(bool b)
{
	return b ? _("yes") : _("no");
}

void wizard_describe_host(const struct wizard_state *w, struct strbuf *out)
{
	const struct detect_info *h = &w->host;
	struct wizard_daemon_row rows[DAEMON_COUNT];
	size_t n = wizard_daemon_rows(w, rows, DAEMON_COUNT);
	bool any = false;

	if (w->imported_from[0])
		strbuf_printf(out,
		              _("Starting from the current %1$s (servers: %2$zu, leap seconds: "
		                "%3$s, access: %4$s).\n\n"),
		              w->imported_from, w->setup.nservers, model_leap_name(w->setup.leap),
		              model_policy_name(w->setup.policy));
	strbuf_printf(out, _("System:          %s (family %s)\n"),
	              h->distro.pretty_name[0] ? h->distro.pretty_name : _("unknown"),
	              distro_family_name(h->distro.family));
	if (!sysops_root_is_host())
		strbuf_printf(out, _("Root:            %s (files are read and written under it)\n"),
		              sysops_root());
	strbuf_printf(out, _("Init system:     %s\n"), detect_init_name(h->init));
	strbuf_printf(out, _("Package manager: %s\n"), detect_pkg_name(h->pkg));
	if (h->ec2)
		strbuf_printf(out, _("Amazon EC2:      %s\n"), yes_no(true));
	strbuf_puts(out, _("Time daemons:\n"));
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].installed)
			continue;
		any = true;
		char dn[128], st[128];
		strbuf_printf(out, "  %s %s %s\n",
		              ui_pad(_(rows[i].backend->display_name), 18, dn, sizeof(dn)),
		              ui_pad(rows[i].status, 20, st, sizeof(st)),
		              rows[i].version[0] ? rows[i].version : "");
	}
	if (!any)
		strbuf_printf(out, "  %s\n", _("none installed"));
	if (h->enabled_count > 1)
		strbuf_printf(out,
		              _("Conflict: %d time daemons are enabled or running; applying stops "
		                "all but the chosen one.\n"),
		              h->enabled_count);
	else
		strbuf_printf(out, "%s\n", _("Conflicts:       none"));
	if (sysops_root_is_host() && sysops_euid() != 0)
		strbuf_printf(out, "%s\n",
		              _("You are not root: you can look at the file and save a profile, "
		                "but Apply needs root (or --root DIR for another tree)."));
	if (h->ntpdate_installed)
		strbuf_printf(out, "%s\n",
		              _("ntpdate is installed: it is deprecated; the daemon replaces it."));
	if (w->imported_from[0] && w->import_total) {
		strbuf_printf(out, _("\nWhat %1$s has that ntpwiz cannot carry over (%2$zu):\n"),
		              w->imported_from, w->import_total);
		for (size_t i = 0; i < w->import_total && i < WIZARD_IMPORT_NOTES; i++)
			strbuf_printf(out, "  %s\n", w->import_notes[i]);
		if (w->import_total > WIZARD_IMPORT_NOTES)
			strbuf_printf(out, _("  ... and %zu more (ntpwiz import lists them all)\n"),
			              w->import_total - WIZARD_IMPORT_NOTES);
	}
}
