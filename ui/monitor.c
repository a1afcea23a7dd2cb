/*
 * monitor: the live peer table (see monitor.h).
 *
 * One loop: poll() on the keyboard and on the running command's fd, with
 * a timeout that is the time to the next refresh (or the command's own
 * deadline); nothing wakes it otherwise, so a paused or idle monitor uses
 * no CPU. Events only change the state and set `dirty`; draw() paints the
 * whole screen from the latest snapshot. The daemon's tool runs as a
 * background child (peers_job), so a slow or dead daemon never freezes
 * the screen. Signals only set flags.
 */
#include "config.h"

/* wide-character curses calls (mvaddnwstr): columns, not bytes */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "detect.h"
#include "i18n.h"
#include "monitor.h"
#include "sysops.h"

#define MIN_COLS 80
#define MIN_LINES 24
#define TOP 4    /* lines above the table: title, status, command, column titles */
#define BOTTOM 2 /* legend, keys */

enum mode {
	MODE_TABLE,
	MODE_RAW,
	MODE_HELP,
};

enum pair {
	PAIR_SELECTED = 1,
	PAIR_CANDIDATE,
	PAIR_FALSETICKER,
	PAIR_PROBLEM,
};

struct view {
	const struct monitor_opts *o;
	struct peers_snapshot snap; /* the latest answer */
	struct peers_job *job;      /* the command running now, or NULL */
	long long next_ms;          /* when the next command starts */
	int interval_ms;
	bool paused;
	bool names;
	enum mode mode;
	int scroll;
	bool dirty;
	bool colour;
	char note[256]; /* a one-off message on the last line */
};

static volatile sig_atomic_t quit_signal;

static void on_quit_signal(int sig)
{
	quit_signal = sig;
}

static long long mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void monitor_opts_init(struct monitor_opts *o, const struct backend *b)
{
	struct detect_info host;

	detect_run(&host);
	memset(o, 0, sizeof(*o));
	o->backend = b;
	o->interval_ms = MONITOR_INTERVAL_MS;
	o->timeout_ms = MONITOR_TIMEOUT_MS;
	o->hints.init = (int)host.init;
	o->hints.service = backend_service(b, host.distro.family);
	o->hints.package = backend_package(b, host.distro.family);
}

/* --- drawing ------------------------------------------------------------------------ */

static attr_t class_attr(const struct view *v, enum peer_class c)
{
	switch (c) {
	case PEER_SELECTED:
		return A_BOLD | (v->colour ? COLOR_PAIR(PAIR_SELECTED) : 0);
	case PEER_CANDIDATE:
		return v->colour ? COLOR_PAIR(PAIR_CANDIDATE) : A_NORMAL;
	case PEER_FALSETICKER:
		return A_UNDERLINE | (v->colour ? COLOR_PAIR(PAIR_FALSETICKER) : 0);
	case PEER_REJECTED:
	case PEER_POOL:
		return A_DIM;
	case PEER_SPARE:
	case PEER_CLASS_COUNT:
		break;
	}
	return A_NORMAL;
}

/* Writes s on line y from column x, cut at the screen's edge. */
static void put(int y, int x, const char *s)
{
	if (y < 0 || y >= LINES || x >= COLS)
		return;
	/* Cut by columns, not bytes: "décalage" is 8 columns in 9 bytes. */
	wchar_t w[1024];
	size_t n = mbstowcs(w, s, sizeof(w) / sizeof(w[0]) - 1);
	int room = COLS - x, cols = 0, k = 0;

	if (n == (size_t)-1) {
		mvaddnstr(y, x, s, room);
		return;
	}
	for (; k < (int)n; k++) {
		int cw = wcwidth(w[k]);
		if (cw < 0)
			cw = 1;
		if (cols + cw > room)
			break;
		cols += cw;
	}
	mvaddnwstr(y, x, w, k);
}

static void draw_title(const struct view *v)
{
	char left[256], right[128] = "";
	const struct backend *b = v->o->backend;

	if (v->o->why)
		/* TRANSLATORS: title line: the daemon, and why it was chosen */
		snprintf(left, sizeof(left), _(" ntpwiz monitor: %1$s (%2$s)"), _(b->display_name),
		         v->o->why);
	else
		snprintf(left, sizeof(left), _(" ntpwiz monitor: %s"), _(b->display_name));
	if (v->paused)
		snprintf(right, sizeof(right), "%s ", _("paused"));
	else if (v->job)
		snprintf(right, sizeof(right), "%s ", _("asking..."));
	else
		snprintf(right, sizeof(right), _("every %g s "), v->interval_ms / 1000.0);
	attron(A_REVERSE);
	mvhline(0, 0, ' ', COLS);
	put(0, 0, left);
	if ((int)strlen(left) + (int)strlen(right) < COLS)
		put(0, COLS - (int)strlen(right), right);
	attroff(A_REVERSE);
}

static void draw_table(struct view *v)
{
	const struct peers_snapshot *s = &v->snap;
	struct peers_layout lay;
	char line[1024];
	int rows = LINES - TOP - BOTTOM;

	if (s->state == PEERS_PENDING) {
		snprintf(line, sizeof(line), _("asking %s..."),
		         peers_monitor_argv(v->o->backend, false)[0]);
		put(1, 0, line);
		return;
	}
	if (s->state == PEERS_OK) {
		/* the status; what does not fit goes to the next line, else the command */
		size_t cut;
		bool wrapped;
		peers_format_status(s, sysops_now(), line, sizeof(line));
		cut = strlen(line);
		while ((int)cut > COLS && cut > 0) {
			char *comma = memrchr(line, ',', cut - 1);
			cut = comma ? (size_t)(comma - line) : 0;
		}
		wrapped = cut > 0 && cut < strlen(line);
		attron(s->status.synchronised ? A_BOLD : A_NORMAL);
		if (wrapped)
			line[cut] = '\0';
		put(1, 0, line);
		if (wrapped)
			put(2, 0, line + cut + 2);
		attroff(A_BOLD);
		if (!wrapped) {
			attron(A_DIM);
			put(2, 0, s->command);
			attroff(A_DIM);
		}
	} else {
		/* the daemon did not answer: why, and what to try */
		attron(A_BOLD | (v->colour ? COLOR_PAIR(PAIR_PROBLEM) : 0));
		put(1, 0, s->explanation);
		attroff(A_BOLD | (v->colour ? COLOR_PAIR(PAIR_PROBLEM) : 0));
		put(2, 0, s->hint);
	}
	peers_layout(s, COLS - 1, &lay);
	peers_format_header(&lay, line, sizeof(line));
	attron(A_UNDERLINE);
	mvhline(3, 0, ' ', COLS);
	put(3, 0, line);
	attroff(A_UNDERLINE);
	if (v->scroll > (int)s->nrows - rows)
		v->scroll = (int)s->nrows - rows;
	if (v->scroll < 0)
		v->scroll = 0;
	for (int i = 0; i < rows && v->scroll + i < (int)s->nrows; i++) {
		const struct peer_row *r = &s->rows[v->scroll + i];
		attr_t a = r->flag_unparsed ? A_NORMAL : class_attr(v, r->cls);
		peers_format_row(&lay, r, line, sizeof(line));
		attron(a);
		put(TOP + i, 0, line);
		attroff(a);
	}
	if (s->state == PEERS_OK && s->nrows == 0)
		put(TOP, 0, _("(no time sources configured)"));
	put(LINES - 2, 0,
	    _("* selected  + candidate  - spare  x falseticker  ? unusable  reach: # = reply"));
}

/* The daemon's output exactly as printed, scrollable. */
static void draw_raw(struct view *v)
{
	const struct peers_snapshot *s = &v->snap;
	int y = 1, line = 0, rows = LINES - 1 - BOTTOM;
	char title[640];

	snprintf(title, sizeof(title), _("Output of %1$s (exit status %2$d):"), s->command,
	         s->exit_status);
	attron(A_BOLD);
	put(y++, 0, title);
	attroff(A_BOLD);
	for (int part = 0; part < 2; part++) {
		const char *text = part ? s->raw_err : s->raw_out;
		if (!text || (part && !*text))
			continue;
		if (part) {
			if (line >= v->scroll && y < 1 + rows) {
				attron(A_DIM);
				put(y++, 0, _("--- on stderr ---"));
				attroff(A_DIM);
			}
			line++;
		}
		for (const char *p = text; *p;) {
			size_t len = strcspn(p, "\n");
			if (line >= v->scroll && y < 1 + rows) {
				move(y++, 0);
				addnstr(p, (int)len < COLS ? (int)len : COLS);
			}
			line++;
			p += len;
			if (*p)
				p++;
		}
	}
	if (v->scroll > line - 1)
		v->scroll = line > 0 ? line - 1 : 0;
	put(LINES - 2, 0, _("v or Esc: back to the table   arrows, PgUp, PgDn: scroll"));
}

static void draw_help(void)
{
	static const char *const lines[] = {
	    N_("Keys"),
	    N_("  q        quit"),
	    N_("  space    pause / resume the refresh"),
	    N_("  r        refresh now"),
	    N_("  + / -    refresh more / less often"),
	    N_("  n        names / addresses (where the daemon's tool can switch)"),
	    N_("  v        the raw output of the daemon's tool, exactly as printed"),
	    N_("  ?        this help"),
	    "",
	    N_("The first column is the daemon's own mark for each source:"),
	    N_("  *  the selected source (the system peer); o: the same, with PPS"),
	    N_("  +  a candidate, combined with the selected one"),
	    N_("  -  #  .  usable but not used (outlier, backup, excess)"),
	    N_("  x  a falseticker: its time disagrees with the others"),
	    N_("  ?  ~ or blank: not usable (unreachable, too variable, rejected)"),
	    N_("  !  a line ntpwiz could not read, shown as printed"),
	    N_("reach: the last 8 polls, oldest first; # a reply, . none."),
	    N_("when, poll: seconds (m, h, d for longer); delay, offset, jitter: ms."),
	    "",
	    N_("Press any key to go back."),
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]) && (int)i + 1 < LINES; i++)
		put((int)i + 1, 1, lines[i][0] ? _(lines[i]) : "");
}

static void draw(struct view *v)
{
	char small[160];

	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		snprintf(small, sizeof(small),
		         _("The terminal is %1$dx%2$d; the monitor needs %3$dx%4$d. q quits."),
		         COLS, LINES, MIN_COLS, MIN_LINES);
		put(0, 0, small);
		refresh();
		return;
	}
	draw_title(v);
	if (v->mode == MODE_HELP)
		draw_help();
	else if (v->mode == MODE_RAW)
		draw_raw(v);
	else
		draw_table(v);
	attron(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	put(LINES - 1, 0,
	    v->note[0]
	        ? v->note
	        : _(" q quit  space pause  r refresh  +/- interval  n names  v raw  ? help"));
	attroff(A_REVERSE);
	refresh();
}

/* --- events --------------------------------------------------------------------------- */

static void start_job(struct view *v)
{
	if (peers_job_start(v->o->backend, v->names, v->o->timeout_ms, &v->o->hints, &v->job) < 0)
		v->job = NULL; /* out of memory: try again at the next tick */
	v->next_ms = mono_ms() + v->interval_ms;
	v->dirty = true;
}

static void finish_job(struct view *v)
{
	struct peers_snapshot fresh;

	peers_snapshot_init(&fresh, v->o->backend);
	if (peers_job_poll(v->job, &fresh) == 0)
		return;
	peers_job_free(v->job);
	v->job = NULL;
	peers_snapshot_free(&v->snap);
	v->snap = fresh;
	v->next_ms = mono_ms() + v->interval_ms;
	v->dirty = true;
}

static void cancel_job(struct view *v)
{
	peers_job_free(v->job);
	v->job = NULL;
}

static void change_interval(struct view *v, int dir)
{
	static const int steps[] = {500, 1000, 2000, 5000, 10000, 30000, 60000, 300000};
	const int n = (int)(sizeof(steps) / sizeof(steps[0]));
	int i;

	if (dir > 0) {
		for (i = 0; i < n - 1 && steps[i] <= v->interval_ms; i++)
			;
	} else {
		for (i = n - 1; i > 0 && steps[i] >= v->interval_ms; i--)
			;
	}
	v->next_ms += steps[i] - v->interval_ms;
	v->interval_ms = steps[i];
	snprintf(v->note, sizeof(v->note), _(" refresh every %g s"), v->interval_ms / 1000.0);
}

/* Returns false to quit. */
static bool on_key(struct view *v, int ch)
{
	int page = LINES - TOP - BOTTOM;

	v->note[0] = '\0';
	v->dirty = true;
	if (ch == KEY_RESIZE)
		return true;
	if (v->mode == MODE_HELP) {
		if (ch == 'q' || ch == 'Q')
			return false;
		v->mode = MODE_TABLE;
		return true;
	}
	switch (ch) {
	case 'q':
	case 'Q':
		return false;
	case ' ':
		v->paused = !v->paused;
		if (!v->paused && !v->job)
			v->next_ms = mono_ms();
		break;
	case 'r':
	case 'R':
	case KEY_F(5):
		if (v->job)
			snprintf(v->note, sizeof(v->note), "%s", _(" already asking the daemon"));
		else
			v->next_ms = mono_ms();
		if (v->paused)
			start_job(v);
		break;
	case '+':
	case '=':
		change_interval(v, +1);
		break;
	case '-':
	case '_':
		change_interval(v, -1);
		break;
	case 'n':
	case 'N':
		if (!peers_can_show_names(v->o->backend)) {
			const char *const *argv = peers_monitor_argv(v->o->backend, false);
			snprintf(v->note, sizeof(v->note),
			         _(" %s cannot switch between names and addresses"), argv[0]);
			break;
		}
		v->names = !v->names;
		snprintf(v->note, sizeof(v->note), "%s",
		         v->names ? _(" showing names") : _(" showing addresses"));
		cancel_job(v);
		v->next_ms = mono_ms();
		if (v->paused)
			start_job(v);
		break;
	case 'v':
	case 'V':
		v->mode = v->mode == MODE_RAW ? MODE_TABLE : MODE_RAW;
		v->scroll = 0;
		break;
	case 27: /* Esc */
		v->mode = MODE_TABLE;
		v->scroll = 0;
		break;
	case '?':
	case 'h':
	case KEY_F(1):
		v->mode = MODE_HELP;
		break;
	case KEY_UP:
		v->scroll--;
		break;
	case KEY_DOWN:
		v->scroll++;
		break;
	case KEY_PPAGE:
		v->scroll -= page;
		break;
	case KEY_NPAGE:
		v->scroll += page;
		break;
	case KEY_HOME:
		v->scroll = 0;
		break;
	default:
		v->dirty = false;
		break;
	}
	if (v->scroll < 0)
		v->scroll = 0;
	return true;
}

static int poll_timeout(const struct view *v, long long now)
{
	long long t = -1;

	if (v->job)
		t = peers_job_fd(v->job) < 0 ? 0 : peers_job_wait_ms(v->job);
	else if (!v->paused)
		t = v->next_ms > now ? v->next_ms - now : 0;
	return t > 60000 ? 60000 : (int)t;
}

int monitor_run(const struct monitor_opts *o)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa, old[3];
	struct view v;
	SCREEN *scr;
	bool running = true;

	memset(&v, 0, sizeof(v));
	v.o = o;
	v.interval_ms = o->interval_ms > 0 ? o->interval_ms : MONITOR_INTERVAL_MS;
	v.names = o->names && peers_can_show_names(o->backend);
	peers_snapshot_init(&v.snap, o->backend);

	scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return -1;
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		init_pair(PAIR_SELECTED, COLOR_GREEN, -1);
		init_pair(PAIR_CANDIDATE, COLOR_CYAN, -1);
		init_pair(PAIR_FALSETICKER, COLOR_RED, -1);
		init_pair(PAIR_PROBLEM, COLOR_YELLOW, -1);
		v.colour = true;
	}
	/* Ctrl-C, SIGTERM, a closed terminal: leave through the same door. */
	quit_signal = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_quit_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);

	start_job(&v);
	while (running && !quit_signal) {
		struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = -1}};
		long long now = mono_ms();
		int ch, n;

		if (!v.job && !v.paused && now >= v.next_ms)
			start_job(&v);
		if (v.dirty) {
			draw(&v);
			v.dirty = false;
		}
		if (v.job)
			fds[1] = (struct pollfd){.fd = peers_job_fd(v.job), .events = POLLIN};
		n = poll(fds, 2, poll_timeout(&v, mono_ms()));
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break; /* the terminal is gone: nothing to draw on */
		if (v.job)
			finish_job(&v); /* never blocks; picks up output, an exit, a timeout */
		while (running && (ch = getch()) != ERR)
			running = on_key(&v, ch);
	}

	cancel_job(&v);
	peers_snapshot_free(&v.snap);
	/* A terminal without an alternate screen (vt100) keeps what was
	 * drawn: leave it clean for the shell. */
	clear();
	refresh();
	curs_set(1);
	endwin();
	delscreen(scr);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	return 0;
}
