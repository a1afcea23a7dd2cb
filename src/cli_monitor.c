/*
 * cli_monitor: `ntpwiz monitor` on the command line (part of the cli
 * front, like cli.c): which daemon to watch, then the ncurses view, one
 * plain table (--once), one JSON object (--json) or the Prometheus text
 * format (--format prometheus), on stdout or into a file (--output).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "backend.h"
#include "cli.h"
#include "detect.h"
#include "i18n.h"
#include "json.h"
#include "model.h"
#include "monitor.h"
#include "peers.h"
#include "prom.h"
#include "strbuf.h"
#include "sysops.h"

/*
 * The daemon to watch: --daemon, else the one running (as detect sees it),
 * else the one whose config file exists, else chrony. *why says which, for
 * the header (stable word in *why_json).
 */
static const struct backend *choose(const char *name, const struct detect_info *host,
                                    const char **why, const char **why_json)
{
	struct setup s;
	const struct backend *b;

	if (name && strcmp(name, "auto") != 0) {
		b = backend_by_name(name);
		*why = _("chosen with --daemon");
		*why_json = "option";
		return b;
	}
	for (int d = 1; d < DAEMON_COUNT; d++) {
		if (host->daemons[d].backend && host->daemons[d].running) {
			*why = _("running");
			*why_json = "running";
			return host->daemons[d].backend;
		}
	}
	model_init(&s);
	s.daemon = DAEMON_AUTO;
	b = backend_resolve(&s, host->distro.family);
	if (host->daemons[b->id].config_exists) {
		*why = _("configured");
		*why_json = "configured";
	} else {
		*why = _("no time daemon found; chrony is the default");
		*why_json = "default";
	}
	return b;
}

static void json_double(struct strbuf *j, const char *key, double v)
{
	json_key(j, key);
	if (isnan(v))
		strbuf_puts(j, "null");
	else
		strbuf_printf(j, "%.9g", v);
}

static void format_json(const struct peers_snapshot *s, const char *why, struct strbuf *out)
{
	struct strbuf *j = out;
	char hist[9], c[2] = {0, 0};

	strbuf_putc(j, '{');
	json_kv_string(j, "command", "monitor");
	json_kv_string(j, "daemon", s->backend->name);
	json_kv_string(j, "chosen", why);
	json_kv_string(j, "tool", s->command);
	json_kv_string(j, "state", peers_state_name(s->state));
	json_kv_bool(j, "answered", s->state == PEERS_OK);
	json_kv_string(j, "message", s->explanation);
	json_kv_string(j, "hint", s->hint);
	json_key(j, "status");
	strbuf_putc(j, '{');
	json_kv_bool(j, "known", s->status.known);
	json_kv_bool(j, "synchronised", s->status.synchronised);
	json_kv_int(j, "stratum", s->status.stratum);
	json_kv_string(j, "leap", peers_leap_name(s->status.leap));
	json_kv_string(j, "reference", s->status.reference);
	json_kv_int(j, "last_update", (long)s->status.last_update);
	json_double(j, "offset", s->status.offset_s);
	json_double(j, "root_delay", s->status.root_delay_s);
	json_double(j, "root_dispersion", s->status.root_dispersion_s);
	json_double(j, "root_distance", s->status.root_distance_s);
	strbuf_putc(j, '}');
	json_key(j, "peers");
	strbuf_putc(j, '[');
	for (size_t i = 0; i < s->nrows; i++) {
		const struct peer_row *r = &s->rows[i];
		strbuf_puts(j, i ? ",{" : "{");
		c[0] = r->tally;
		json_kv_string(j, "tally", c);
		json_kv_string(j, "class", r->flag_unparsed ? "" : peers_class_name(r->cls));
		json_kv_string(j, "remote", r->remote);
		json_kv_string(j, "name", r->name);
		json_kv_string(j, "refid", r->refid);
		json_kv_int(j, "stratum", r->stratum);
		c[0] = r->type;
		json_kv_string(j, "type", c);
		json_kv_int(j, "nts_cookies", r->nts_cookies);
		json_double(j, "when", r->when_s < 0 ? NAN : r->when_s);
		json_double(j, "poll", r->poll_s < 0 ? NAN : r->poll_s);
		json_kv_int(j, "reach", r->reach);
		json_kv_string(j, "reach_history",
		               r->reach < 0 ? "" : peers_reach_history(r->reach, hist));
		json_double(j, "delay_ms", r->delay_ms);
		json_double(j, "offset_ms", r->offset_ms);
		json_double(j, "jitter_ms", r->jitter_ms);
		json_double(j, "error_ms", r->error_ms);
		json_kv_string(j, "extra", r->extra);
		json_kv_bool(j, "unparsed", r->flag_unparsed);
		json_kv_string(j, "raw", r->raw_line);
		strbuf_putc(j, '}');
	}
	strbuf_putc(j, ']');
	json_kv_string(j, "raw_stdout", s->raw_out ? s->raw_out : "");
	json_kv_string(j, "raw_stderr", s->raw_err ? s->raw_err : "");
	strbuf_puts(j, "}\n");
}

/* The JSON or Prometheus text to stdout, or to output replaced atomically
 * (a temporary file beside it, renamed: node_exporter never reads half a
 * file, and ignores the temporary name). 0, or -1 said on stderr. */
static int emit(const struct strbuf *text, const char *output)
{
	if (text->failed) {
		fprintf(stderr, "ntpwiz: %s\n", strerror(ENOMEM));
		return -1;
	}
	if (!output) {
		fwrite(strbuf_str(text), 1, text->len, stdout);
		return fflush(stdout) == 0 ? 0 : -1;
	}
	if (sysops_write_host_file(output, strbuf_str(text), text->len, 0644) < 0) {
		/* TRANSLATORS: "ntpwiz: cannot write /var/lib/x.prom: Permission denied" */
		fprintf(stderr, _("ntpwiz: cannot write %1$s: %2$s\n"), output, strerror(errno));
		return -1;
	}
	return 0;
}

/* The terminal's width when stdout is one (80 when it does not say), 0 on
 * a pipe: a script reads one status line and a 120-column table. */
static int terminal_cols(void)
{
	struct winsize ws;

	if (!isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Prints the status line; on a terminal narrower than it (a serial console
 * at 80 columns, issue 14 scenario 5), broken after the ", " between its
 * items, the rest indented by 2, so the terminal never wraps mid-word. */
static void print_status(const char *line, int cols)
{
	const char *p = line;
	int at = 0;

	if (cols <= 0 || i18n_text_width(line) < cols) {
		printf("%s\n", line);
		return;
	}
	while (*p) {
		const char *sep = strstr(p, ", ");
		size_t len = sep ? (size_t)(sep - p) + 1 : strlen(p); /* the item and its comma */
		char item[512];
		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		int w = i18n_text_width(item);
		if (at > 0 && at + 1 + w >= cols) {
			printf("\n  ");
			at = 2;
		} else if (at > 0) {
			putchar(' ');
			at++;
		}
		fputs(item, stdout);
		at += w;
		p += len;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
}

static void print_table(const struct peers_snapshot *s, const char *why)
{
	struct peers_layout lay;
	char line[1024];
	int cols = terminal_cols();

	/* TRANSLATORS: "chrony (running): chronyc -n -c -m sources tracking" */
	printf(_("%1$s (%2$s): %3$s\n"), _(s->backend->display_name), why, s->command);
	peers_format_status(s, sysops_now(), line, sizeof(line));
	print_status(line, cols);
	peers_layout(s, cols > 0 && cols < 120 ? cols - 1 : 120, &lay);
	peers_format_header(&lay, line, sizeof(line));
	printf("%s\n", line);
	for (size_t i = 0; i < s->nrows; i++) {
		peers_format_row(&lay, &s->rows[i], line, sizeof(line));
		printf("%s\n", line);
	}
	if (s->nrows == 0)
		printf("%s\n", _("(no time sources configured)"));
}

int cli_monitor(const char *daemon, enum cli_monitor_format format, bool once, int interval_ms,
                const char *output)
{
	struct detect_info host;
	struct peers_hints hints;
	struct peers_snapshot snap;
	const char *why, *why_json;
	const struct backend *b;
	int rc;

	if (daemon && strcmp(daemon, "auto") != 0 && !backend_by_name(daemon)) {
		fprintf(stderr,
		        _("ntpwiz: --daemon: unknown daemon \"%s\"; expected one of: ntp, ntpsec, "
		          "chrony, openntpd, timesyncd, auto\n"),
		        daemon);
		return 1;
	}
	detect_run(&host);
	b = choose(daemon, &host, &why, &why_json);
	hints.init = (int)host.init;
	hints.service = backend_service(b, host.distro.family);
	hints.package = backend_package(b, host.distro.family);
	if (!once && format == CLI_MONITOR_TABLE) {
		struct monitor_opts mo;

		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(
			    stderr, "%s\n",
			    _("ntpwiz: monitor needs a terminal; --once prints one table, --json "
			      "one JSON object"));
			return 1;
		}
		memset(&mo, 0, sizeof(mo));
		mo.backend = b;
		mo.interval_ms = interval_ms > 0 ? interval_ms : MONITOR_INTERVAL_MS;
		mo.timeout_ms = MONITOR_TIMEOUT_MS;
		mo.hints = hints;
		mo.why = why;
		if (monitor_run(&mo) < 0) {
			fprintf(stderr,
			        _("ntpwiz: cannot use this terminal (TERM=%s); --once prints one "
			          "table\n"),
			        getenv("TERM") ? getenv("TERM") : "");
			return 1;
		}
		return 0;
	}
	peers_collect(b, false, MONITOR_TIMEOUT_MS, &hints, &snap);
	rc = snap.state == PEERS_OK ? 0 : 1;
	if (format != CLI_MONITOR_TABLE) {
		/* written whatever the daemon said: the file must say it is down */
		struct strbuf text;

		strbuf_init(&text);
		if (format == CLI_MONITOR_JSON)
			format_json(&snap, why_json, &text);
		else
			prom_format_monitor(&snap, why_json, &text);
		if (emit(&text, output) < 0)
			rc = 1;
		strbuf_free(&text);
		/* the metrics cannot carry the reason: the journal gets it */
		if (format == CLI_MONITOR_PROMETHEUS && snap.state != PEERS_OK)
			fprintf(stderr, "ntpwiz: %s\n", snap.explanation);
	} else if (rc == 0)
		print_table(&snap, why);
	else if (snap.hint[0])
		/* TRANSLATORS: what went wrong; what to do about it */
		fprintf(stderr, _("ntpwiz: %1$s; %2$s\n"), snap.explanation, snap.hint);
	else
		fprintf(stderr, "ntpwiz: %s\n", snap.explanation);
	peers_snapshot_free(&snap);
	return rc;
}
