/*
 * test_diff: diff_unified() must print exactly what GNU `diff -u` prints,
 * since `ntpwiz preview` shows it to people who know diff(1). Most cases run
 * the real diff (LC_ALL=C, --label OLD --label NEW) on the same two texts
 * and compare bytes and exit status with our output and return value; a few
 * also spell out the expected bytes so that a reader sees the convention.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff.h"
#include "strbuf.h"
#include "testhelp.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

enum {
	RANDOM_SMALL_PAIRS = 300,
	RANDOM_MEDIUM_PAIRS = 40,
	RANDOM_REWRITE_PAIRS = 200,
	LARGE_LINES = 10000,
	FAILURE_LINES = 300,
};

static char workdir[PATH_MAX];

/* ---- running GNU diff ------------------------------------------------ */

static void write_file(const char *path, const char *s, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		ck_assert_msg(w > 0, "write %s: %s", path, strerror(errno));
		s += w;
		n -= (size_t)w;
	}
	ck_assert_int_eq(close(fd), 0);
}

/* Runs `diff -u --label OLD --label NEW` on the texts; returns its status. */
static int gnu_diff(const char *a, size_t alen, const char *b, size_t blen, struct strbuf *out)
{
	char pa[PATH_MAX + 8], pb[PATH_MAX + 8], buf[65536];
	int pfd[2], status;
	ssize_t r;
	pid_t pid;

	snprintf(pa, sizeof pa, "%s/old", workdir);
	snprintf(pb, sizeof pb, "%s/new", workdir);
	write_file(pa, a ? a : "", a ? alen : 0);
	write_file(pb, b ? b : "", b ? blen : 0);
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		setenv("LC_ALL", "C", 1);
		execlp("diff", "diff", "-u", "--label", "OLD", "--label", "NEW", pa, pb,
		       (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while ((r = read(pfd[0], buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		ck_assert_msg(r > 0, "read: %s", strerror(errno));
		ck_assert_int_eq(strbuf_append(out, buf, (size_t)r), 0);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) <= 1,
	              "diff(1) did not run cleanly (status 0x%x); is GNU diffutils installed?",
	              (unsigned)status);
	return WEXITSTATUS(status);
}

/* Asserts that diff_unified() prints what diff(1) prints for a -> b. */
static void check_like_gnu_n(const char *what, const char *a, size_t alen, const char *b,
                             size_t blen)
{
	struct strbuf mine, gnu;
	int r, status;

	strbuf_init(&mine);
	strbuf_init(&gnu);
	r = diff_unified(&mine, a, alen, b, blen, "OLD", "NEW");
	status = gnu_diff(a, alen, b, blen, &gnu);
	if (r != status || mine.len != gnu.len ||
	    memcmp(strbuf_str(&mine), strbuf_str(&gnu), gnu.len)) {
		fprintf(stderr, "=== %s: diff_unified returned %d, diff(1) exited %d\n", what, r,
		        status);
		fprintf(stderr, "--- diff(1) printed:\n%s--- diff_unified printed:\n%s===\n",
		        strbuf_str(&gnu), strbuf_str(&mine));
	}
	ck_assert_msg(r == status, "%s: returned %d, diff(1) exited %d", what, r, status);
	ck_assert_msg(mine.len == gnu.len &&
	                  memcmp(strbuf_str(&mine), strbuf_str(&gnu), gnu.len) == 0,
	              "%s: output differs from diff(1) (both printed on stderr)", what);
	strbuf_free(&mine);
	strbuf_free(&gnu);
}

static void check_like_gnu(const char *what, const char *a, const char *b)
{
	check_like_gnu_n(what, a, a ? strlen(a) : 0, b, b ? strlen(b) : 0);
}

/* Our output for a -> b, which must differ; caller frees. */
static char *unified(const char *a, const char *b)
{
	struct strbuf sb;

	strbuf_init(&sb);
	ck_assert_int_eq(
	    diff_unified(&sb, a, a ? strlen(a) : 0, b, b ? strlen(b) : 0, "OLD", "NEW"), 1);
	return strbuf_detach(&sb, NULL);
}

static size_t count_hunks(const char *s)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, "\n@@ -")) != NULL; p++)
		n++;
	return n;
}

/* "line 1\n" .. "line n\n", with the lines listed in `changed` rewritten. */
static char *numbered(int n, const int *changed, size_t nchanged)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (int i = 1; i <= n; i++) {
		bool hit = false;

		for (size_t k = 0; k < nchanged; k++)
			hit |= changed[k] == i;
		strbuf_printf(&sb, hit ? "CHANGED %d\n" : "line %d\n", i);
	}
	return strbuf_detach(&sb, NULL);
}

/* ---- fixed cases ----------------------------------------------------- */

START_TEST(test_identical_appends_nothing)
{
	const char *text = "server 0.pool.ntp.org iburst\nmakestep 1 3\n";
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_puts(&sb, "before");
	ck_assert_int_eq(diff_unified(&sb, text, strlen(text), text, strlen(text), "a", "b"), 0);
	ck_assert_int_eq(diff_unified(&sb, NULL, 0, NULL, 0, "a", "b"), 0);
	ck_assert_int_eq(diff_unified(&sb, NULL, 0, "", 0, "a", "b"), 0);
	ck_assert_int_eq(diff_unified(&sb, "x", 1, "x", 1, "a", "b"), 0);
	ck_assert_str_eq(strbuf_str(&sb), "before");
	strbuf_free(&sb);
	check_like_gnu("identical", text, text);
	check_like_gnu("both empty", "", "");
	check_like_gnu("identical, no final newline", "a\nb", "a\nb");
}
END_TEST

START_TEST(test_empty_old)
{
	char *d = unified(NULL, "server a iburst\nserver b iburst\n");

	ck_assert_str_eq(d,
	                 "--- OLD\n+++ NEW\n@@ -0,0 +1,2 @@\n+server a iburst\n+server b iburst\n");
	free(d);
	check_like_gnu("empty old", "", "server a iburst\nserver b iburst\n");
	check_like_gnu("empty old, one line", "", "x\n");
	check_like_gnu("empty old, no final newline", "", "x\ny");
	check_like_gnu("empty old, one blank line", "", "\n");
}
END_TEST

START_TEST(test_empty_new)
{
	char *d = unified("a\nb\nc\n", "");

	ck_assert_str_eq(d, "--- OLD\n+++ NEW\n@@ -1,3 +0,0 @@\n-a\n-b\n-c\n");
	free(d);
	check_like_gnu("empty new", "a\nb\nc\n", NULL);
	check_like_gnu("empty new, one line", "a\n", "");
	check_like_gnu("empty new, no final newline", "a\nb", "");
}
END_TEST

START_TEST(test_single_line_ranges)
{
	char *d = unified("a\n", "b\n");

	ck_assert_str_eq(d, "--- OLD\n+++ NEW\n@@ -1 +1 @@\n-a\n+b\n");
	free(d);
	check_like_gnu("one line each", "a\n", "b\n");
	check_like_gnu("one line to two", "a\n", "a\nb\n");
	check_like_gnu("two lines to one", "a\nb\n", "b\n");
}
END_TEST

START_TEST(test_missing_final_newline)
{
	char *d = unified("a\nb", "a\nc");

	ck_assert_str_eq(d, "--- OLD\n+++ NEW\n@@ -1,2 +1,2 @@\n a\n-b\n"
	                    "\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
	free(d);
	/* Only the newline differs: the line still counts as changed. */
	d = unified("a\nb\n", "a\nb");
	ck_assert_str_eq(d, "--- OLD\n+++ NEW\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n"
	                    "\\ No newline at end of file\n");
	free(d);
	check_like_gnu("newline dropped", "a\nb\nc\n", "a\nb\nc");
	check_like_gnu("newline added", "a\nb\nc", "a\nb\nc\n");
	check_like_gnu("neither, last lines differ", "a\nb\nc", "a\nb\nd");
	check_like_gnu("neither, shared last line as context", "a\nb\nc\nd", "a\nB\nc\nd");
	check_like_gnu("old lacks it, line appended", "a\nb", "a\nb\nc\n");
	check_like_gnu("new lacks it, line removed", "a\nb\nc\n", "a\nb");
	check_like_gnu("single line without newline", "a", "b");
	check_like_gnu("same text plus newline, long", "1\n2\n3\n4\n5\n6\n7\n8\n9",
	               "1\n2\n3\n4\n5\n6\n7\n8\n9\n");
	check_like_gnu("blank last line without newline", "a\n\n", "a\n\nb");
}
END_TEST

START_TEST(test_change_position)
{
	int first = 1, middle = 10, last = 20;
	char *base = numbered(20, NULL, 0);
	char *at_start = numbered(20, &first, 1);
	char *at_middle = numbered(20, &middle, 1);
	char *at_end = numbered(20, &last, 1);
	char *d;

	d = unified(base, at_start);
	ck_assert_ptr_nonnull(strstr(d, "\n@@ -1,4 +1,4 @@\n-line 1\n+CHANGED 1\n line 2\n"));
	free(d);
	d = unified(base, at_middle);
	ck_assert_ptr_nonnull(strstr(d, "\n@@ -7,7 +7,7 @@\n line 7\n"));
	free(d);
	d = unified(base, at_end);
	ck_assert_ptr_nonnull(strstr(d, "\n@@ -17,4 +17,4 @@\n line 17\n"));
	free(d);
	check_like_gnu("change at start", base, at_start);
	check_like_gnu("change in middle", base, at_middle);
	check_like_gnu("change at end", base, at_end);
	check_like_gnu("insert at start", base, "new\nline 1\nline 2\n");
	free(base);
	free(at_start);
	free(at_middle);
	free(at_end);
}
END_TEST

START_TEST(test_hunk_merging)
{
	/* Changes at lines 5 and 5 + gap + 1 leave `gap` unchanged lines between. */
	static const struct {
		int gap;
		size_t hunks;
	} cases[] = {{1, 1}, {5, 1}, {6, 1}, {7, 2}, {8, 2}, {20, 2}};
	char *base = numbered(40, NULL, 0);

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int changed[2] = {5, 5 + cases[i].gap + 1};
		char *mod = numbered(40, changed, 2), *d = unified(base, mod), what[64];

		ck_assert_msg(count_hunks(d) == cases[i].hunks, "gap %d: %zu hunks, want %zu",
		              cases[i].gap, count_hunks(d), cases[i].hunks);
		snprintf(what, sizeof what, "two changes %d lines apart", cases[i].gap);
		check_like_gnu(what, base, mod);
		free(mod);
		free(d);
	}
	{
		int changed[] = {2, 9, 16, 30, 38};
		char *mod = numbered(40, changed, 5);

		check_like_gnu("chain of merged hunks then separate ones", base, mod);
		free(mod);
	}
	free(base);
}
END_TEST

START_TEST(test_crlf)
{
	check_like_gnu("CRLF line changed", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n");
	check_like_gnu("CRLF to LF", "a\r\nb\r\nc\r\n", "a\nb\nc\n");
	check_like_gnu("LF to CRLF on one line", "a\nb\nc\n", "a\nb\r\nc\n");
	check_like_gnu("CRLF, last line without newline", "a\r\nb\r", "a\r\nb\r\n");
	check_like_gnu("lone CR inside a line", "a\rb\nc\n", "a\nb\nc\n");
}
END_TEST

START_TEST(test_ambiguous_alignment)
{
	/* Several shortest scripts exist; GNU slides the change down as far
	 * as its horizon allows, and so must we. */
	char *d = unified("a\na\na\na\na\na\na\na\na\na\n", "a\na\na\na\na\na\na\na\na\n");

	ck_assert_str_eq(d, "--- OLD\n+++ NEW\n@@ -7,4 +7,3 @@\n a\n a\n a\n-a\n");
	free(d);
	check_like_gnu("repeated line inserted", "a\nb\na\nb\n", "a\nb\na\nb\na\nb\n");
	check_like_gnu("blank lines shuffled", "x\n\n\ny\n\nz\n", "x\n\ny\n\n\nz\n");
	check_like_gnu("braces", "a {\n  x\n}\nb {\n  y\n}\n",
	               "a {\n  x\n}\nc {\n  z\n}\nb {\n  y\n}\n");
}
END_TEST

START_TEST(test_confusing_lines)
{
	/* Blank lines match "too many" lines of the other text, and sit among
	 * lines that match nothing; GNU sets some of them aside before the
	 * search, which changes the alignment it prints. */
	check_like_gnu("lines set aside",
	               "\n\n\n\n# old 899\nserver a\n\n# old 555\n\n"
	               "# old 279\n# old 99\n# old 267\n# old 448\n",
	               "server a\nserver a\nserver a\nserver a\nserver a\n# new 457\nserver a\n");

	/* A 24-line run of lines the new text lacks, with blank lines (common
	 * in the new text) at odd positions up to 11: GNU keeps those within
	 * 8 lines of the run's head and sets aside the rest. Then the same
	 * upside down, for the run's tail. */
	struct strbuf a, b, ra, rb;

	strbuf_init(&a);
	strbuf_init(&b);
	strbuf_init(&ra);
	strbuf_init(&rb);
	for (int j = 0; j < 24; j++) {
		if (j % 2 == 1 && j <= 11)
			strbuf_puts(&a, "\n");
		else
			strbuf_printf(&a, "# old %d\n", j);
		if (j % 2 == 1 && 23 - j <= 11)
			strbuf_puts(&ra, "\n");
		else
			strbuf_printf(&ra, "# old %d\n", 23 - j);
	}
	strbuf_puts(&b, "\n\n\n\n\n\n\n\nserver 0.example\nserver 1.example\n");
	strbuf_puts(&rb, "server 1.example\nserver 0.example\n\n\n\n\n\n\n\n\n");
	ck_assert(!a.failed && !b.failed && !ra.failed && !rb.failed);
	check_like_gnu("long run set aside, head", a.buf, b.buf);
	check_like_gnu("long run set aside, tail", ra.buf, rb.buf);
	strbuf_free(&a);
	strbuf_free(&b);
	strbuf_free(&ra);
	strbuf_free(&rb);
}
END_TEST

START_TEST(test_chrony_conf)
{
	const char *old_conf = "# Use public servers from the pool.ntp.org project.\n"
	                       "pool 2.debian.pool.ntp.org iburst\n"
	                       "\n"
	                       "keyfile /etc/chrony/chrony.keys\n"
	                       "driftfile /var/lib/chrony/chrony.drift\n"
	                       "ntsdumpdir /var/lib/chrony\n"
	                       "logdir /var/log/chrony\n"
	                       "maxupdateskew 100.0\n"
	                       "rtcsync\n"
	                       "makestep 1 3\n"
	                       "leapsectz right/UTC\n";
	const char *new_conf = "# Written by ntpwiz.\n"
	                       "server ntp1.example.net iburst nts\n"
	                       "server ntp2.example.net iburst nts\n"
	                       "\n"
	                       "keyfile /etc/chrony/chrony.keys\n"
	                       "driftfile /var/lib/chrony/chrony.drift\n"
	                       "ntsdumpdir /var/lib/chrony\n"
	                       "logdir /var/log/chrony\n"
	                       "maxupdateskew 100.0\n"
	                       "rtcsync\n"
	                       "makestep 0.1 3\n"
	                       "leapsectz right/UTC\n"
	                       "allow 192.168.0.0/16\n";

	check_like_gnu("chrony.conf rewritten", old_conf, new_conf);
	check_like_gnu("chrony.conf created", NULL, new_conf);
}
END_TEST

START_TEST(test_labels_and_append)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_puts(&sb, "preview:\n");
	ck_assert_int_eq(diff_unified(&sb, "a\n", 2, "b\n", 2, "/etc/chrony/chrony.conf",
	                              "/etc/chrony/chrony.conf (ntpwiz)"),
	                 1);
	ck_assert_str_eq(strbuf_str(&sb), "preview:\n"
	                                  "--- /etc/chrony/chrony.conf\n"
	                                  "+++ /etc/chrony/chrony.conf (ntpwiz)\n"
	                                  "@@ -1 +1 @@\n-a\n+b\n");
	strbuf_reset(&sb);
	ck_assert_int_eq(diff_unified(&sb, "a\n", 2, "b\n", 2, NULL, NULL), 1);
	ck_assert_str_eq(strbuf_str(&sb), "--- \n+++ \n@@ -1 +1 @@\n-a\n+b\n");
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_failed_buffer)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sb.failed = true;
	ck_assert_int_eq(diff_unified(&sb, "a\n", 2, "b\n", 2, "o", "n"), -1);
	ck_assert(sb.failed);
	ck_assert_uint_eq(sb.len, 0);
	strbuf_free(&sb);
}
END_TEST

/* ---- randomized property ---------------------------------------------- */

static uint64_t rng_next(uint64_t *state) /* splitmix64 */
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static size_t rng_below(uint64_t *state, size_t n)
{
	return (size_t)(rng_next(state) % n);
}

static const char *const line_pool[] = {
    "a", "b", "c", "d", "e", "", "server 0.pool.ntp.org iburst", "makestep 1 3", "x\r", " a",
};

/* Builds a random pair from a few lines of line_pool, the new text either
 * an edited copy of the old or unrelated; either may lack a final newline. */
static void random_pair(uint64_t seed, size_t maxlines, struct strbuf *a, struct strbuf *b)
{
	const size_t npool = sizeof line_pool / sizeof line_pool[0];
	uint64_t st = seed;
	size_t alpha[8], nalpha = 1 + rng_below(&st, 7);
	size_t n0 = rng_below(&st, maxlines + 1), n1, cap = 2 * maxlines + 2;
	size_t *l0 = calloc(cap, sizeof *l0), *l1 = calloc(cap, sizeof *l1);

	ck_assert(l0 && l1);
	for (size_t i = 0; i < nalpha; i++)
		alpha[i] = rng_below(&st, npool);
	for (size_t i = 0; i < n0; i++)
		l0[i] = alpha[rng_below(&st, nalpha)];
	if (rng_below(&st, 2)) {
		size_t edits = 1 + rng_below(&st, n0 / 3 + 1);

		memcpy(l1, l0, n0 * sizeof *l0);
		n1 = n0;
		for (size_t e = 0; e < edits; e++) {
			size_t op = rng_below(&st, 3), at = rng_below(&st, n1 + 1);

			if (op == 0 && at < n1) {
				memmove(l1 + at, l1 + at + 1, (n1 - at - 1) * sizeof *l1);
				n1--;
			} else if (op == 1 && n1 < cap) {
				memmove(l1 + at + 1, l1 + at, (n1 - at) * sizeof *l1);
				l1[at] = alpha[rng_below(&st, nalpha)];
				n1++;
			} else if (at < n1) {
				l1[at] = alpha[rng_below(&st, nalpha)];
			}
		}
	} else {
		n1 = rng_below(&st, maxlines + 1);
		for (size_t i = 0; i < n1; i++)
			l1[i] = alpha[rng_below(&st, nalpha)];
	}
	for (int f = 0; f < 2; f++) {
		struct strbuf *sb = f ? b : a;
		const size_t *l = f ? l1 : l0;
		size_t n = f ? n1 : n0;
		bool final_nl = rng_below(&st, 10) < 7;

		for (size_t i = 0; i < n; i++) {
			strbuf_puts(sb, line_pool[l[i]]);
			if (i + 1 < n || final_nl)
				strbuf_putc(sb, '\n');
		}
	}
	free(l0);
	free(l1);
}

static void check_random_pairs(uint64_t first_seed, size_t npairs, size_t maxlines)
{
	for (uint64_t seed = first_seed; seed < first_seed + npairs; seed++) {
		struct strbuf a, b;
		char what[64];

		strbuf_init(&a);
		strbuf_init(&b);
		random_pair(seed, maxlines, &a, &b);
		ck_assert(!a.failed && !b.failed);
		snprintf(what, sizeof what, "random pair, seed %llu, up to %zu lines",
		         (unsigned long long)seed, maxlines);
		check_like_gnu_n(what, a.buf, a.len, b.buf, b.len);
		strbuf_free(&a);
		strbuf_free(&b);
	}
}

/* A rewritten config: most lines are new on each side, among a few
 * (blank, "}", "x") repeated everywhere. This is where lines get set aside. */
static void random_rewrite_pair(uint64_t seed, struct strbuf *a, struct strbuf *b)
{
	static const char *const common[] = {"", "}", "x"};
	uint64_t st = seed;
	size_t pct_common = 20 + rng_below(&st, 40);

	for (int f = 0; f < 2; f++) {
		struct strbuf *sb = f ? b : a;
		size_t n = 5 + rng_below(&st, 116);

		for (size_t i = 0; i < n; i++) {
			if (rng_below(&st, 100) < pct_common)
				strbuf_printf(sb, "%s\n", common[rng_below(&st, 3)]);
			else
				strbuf_printf(sb, "%s %zu\n", f ? "new" : "old",
				              rng_below(&st, 100000));
		}
	}
}

START_TEST(test_random_rewrites)
{
	for (uint64_t seed = 200001; seed < 200001 + RANDOM_REWRITE_PAIRS; seed++) {
		struct strbuf a, b;
		char what[64];

		strbuf_init(&a);
		strbuf_init(&b);
		random_rewrite_pair(seed, &a, &b);
		ck_assert(!a.failed && !b.failed);
		snprintf(what, sizeof what, "random rewrite, seed %llu", (unsigned long long)seed);
		check_like_gnu_n(what, a.buf, a.len, b.buf, b.len);
		strbuf_free(&a);
		strbuf_free(&b);
	}
}
END_TEST

START_TEST(test_random_small_pairs)
{
	check_random_pairs(1, RANDOM_SMALL_PAIRS, 12);
}
END_TEST

START_TEST(test_random_medium_pairs)
{
	/* Long enough that lines match "too many" others and get set aside. */
	check_random_pairs(100001, RANDOM_MEDIUM_PAIRS, 400);
}
END_TEST

/* ---- large inputs ------------------------------------------------------ */

/* Two n-line texts over a tiny alphabet with many differences: for
 * LARGE_LINES, thousands of edits, far beyond what a quadratic table
 * could hold. */
static void large_pair(struct strbuf *a, struct strbuf *b, int n)
{
	uint64_t st = 42;

	for (int i = 0; i < n; i++)
		strbuf_printf(a, "server %zu.pool.ntp.org\n", rng_below(&st, 4));
	for (int i = 0; i < n; i++)
		strbuf_printf(b, "server %zu.pool.ntp.org\n", rng_below(&st, 4));
	ck_assert(!a->failed && !b->failed);
}

START_TEST(test_large_many_changes)
{
	struct strbuf a, b;

	strbuf_init(&a);
	strbuf_init(&b);
	large_pair(&a, &b, LARGE_LINES);
	check_like_gnu_n("10000 lines, many changes", a.buf, a.len, b.buf, b.len);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

START_TEST(test_large_reordered)
{
	/* Every line occurs twice on each side, so none is set aside, and the
	 * order is reversed: the edit distance is so large that the search
	 * gives up on exactness (too_expensive) in places, as GNU's does. */
	struct strbuf a, b;

	strbuf_init(&a);
	strbuf_init(&b);
	for (int i = 0; i < LARGE_LINES; i++) {
		strbuf_printf(&a, "server %d.example.net\n", i % (LARGE_LINES / 2));
		strbuf_printf(&b, "server %d.example.net\n",
		              (LARGE_LINES - 1 - i) % (LARGE_LINES / 2));
	}
	ck_assert(!a.failed && !b.failed);
	check_like_gnu_n("10000 lines reversed", a.buf, a.len, b.buf, b.len);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

#ifndef UNDER_ASAN
/* Address space now in use by this process, in bytes. */
static rlim_t address_space_used(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%lu", &pages), 1);
	fclose(f);
	return (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
}

/* Runs the diff in a child allowed `extra` more bytes of address space.
 * Returns the child's exit status: 0 if it printed `expect`, 3 if it ran
 * out of memory, 1 if it printed something else. */
static int run_limited(const struct strbuf *a, const struct strbuf *b, const struct strbuf *expect,
                       rlim_t extra)
{
	int status;
	pid_t pid = fork();

	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		struct strbuf out;
		struct rlimit rl;
		int r;

		strbuf_init(&out);
		getrlimit(RLIMIT_AS, &rl);
		rl.rlim_cur = address_space_used() + extra;
		if (setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(2);
		r = diff_unified(&out, a->buf, a->len, b->buf, b->len, "OLD", "NEW");
		if (r < 0)
			_exit(3);
		_exit(r == 1 && out.len == expect->len &&
		              memcmp(out.buf, expect->buf, expect->len) == 0
		          ? 0
		          : 1);
	}
	while (waitpid(pid, &status, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	ck_assert_msg(WIFEXITED(status), "child died (status 0x%x)", (unsigned)status);
	return WEXITSTATUS(status);
}

START_TEST(test_large_memory_is_bounded)
{
	/* The whole process peaks near 3 MiB on this input; a quadratic table
	 * would need 95 MiB even at one byte per cell. */
	struct strbuf a, b, expect;
	int code;

	strbuf_init(&a);
	strbuf_init(&b);
	strbuf_init(&expect);
	large_pair(&a, &b, LARGE_LINES);
	ck_assert_int_eq(diff_unified(&expect, a.buf, a.len, b.buf, b.len, "OLD", "NEW"), 1);
	code = run_limited(&a, &b, &expect, (rlim_t)32 << 20);
	ck_assert_msg(code != 3, "10000-line diff ran out of 32 MiB");
	ck_assert_msg(code == 0, "10000-line diff under a memory limit: status %d", code);
	strbuf_free(&a);
	strbuf_free(&b);
	strbuf_free(&expect);
}
END_TEST

#ifdef __GLIBC__
/* glibc lets a program replace malloc; these fail the allocation that
 * brings alloc_countdown to zero, so each allocation can be made to fail
 * in turn. Memory still comes from glibc, so glibc's free() matches. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);

static long alloc_countdown = -1;

static bool alloc_fails(void)
{
	return alloc_countdown >= 0 && alloc_countdown-- == 0;
}

void *malloc(size_t n)
{
	return alloc_fails() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	return alloc_fails() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	return alloc_fails() ? NULL : __libc_realloc(p, n);
}

START_TEST(test_allocation_failure)
{
	/* Fail the 1st, 2nd, ... allocation until the diff gets through:
	 * each failure must return -1 and leave the buffer as it was. */
	struct strbuf a, b, expect, out;
	long k;
	int r;

	strbuf_init(&a);
	strbuf_init(&b);
	strbuf_init(&expect);
	strbuf_init(&out);
	large_pair(&a, &b, FAILURE_LINES);
	ck_assert_int_eq(diff_unified(&expect, a.buf, a.len, b.buf, b.len, "OLD", "NEW"), 1);
	for (k = 0;; k++) {
		strbuf_reset(&out);
		strbuf_puts(&out, "keep");
		alloc_countdown = k;
		r = diff_unified(&out, a.buf, a.len, b.buf, b.len, "OLD", "NEW");
		alloc_countdown = -1;
		if (r == 1)
			break;
		ck_assert_msg(r == -1, "allocation %ld failed: returned %d", k, r);
		ck_assert_msg(out.failed, "allocation %ld failed: buffer not marked failed", k);
		ck_assert_msg(out.len == 4 && memcmp(out.buf, "keep", 4) == 0,
		              "allocation %ld failed: buffer changed", k);
	}
	ck_assert_msg(k >= 8, "only %ld allocations could fail", k);
	ck_assert_uint_eq(out.len, 4 + expect.len);
	ck_assert_mem_eq(out.buf + 4, expect.buf, expect.len);
	strbuf_free(&a);
	strbuf_free(&b);
	strbuf_free(&expect);
	strbuf_free(&out);
}
END_TEST
#endif
#endif

static Suite *diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("fixed");
	TCase *rnd = tcase_create("random");
	TCase *big = tcase_create("large");

	tcase_add_test(tc, test_identical_appends_nothing);
	tcase_add_test(tc, test_empty_old);
	tcase_add_test(tc, test_empty_new);
	tcase_add_test(tc, test_single_line_ranges);
	tcase_add_test(tc, test_missing_final_newline);
	tcase_add_test(tc, test_change_position);
	tcase_add_test(tc, test_hunk_merging);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_ambiguous_alignment);
	tcase_add_test(tc, test_confusing_lines);
	tcase_add_test(tc, test_chrony_conf);
	tcase_add_test(tc, test_labels_and_append);
	tcase_add_test(tc, test_failed_buffer);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tcase_add_test(rnd, test_random_small_pairs);
	tcase_add_test(rnd, test_random_medium_pairs);
	tcase_add_test(rnd, test_random_rewrites);
	tcase_set_timeout(rnd, 300);
	suite_add_tcase(s, rnd);

	tcase_add_test(big, test_large_many_changes);
	tcase_add_test(big, test_large_reordered);
#ifndef UNDER_ASAN
	/* ASan reserves terabytes of address space, so RLIMIT_AS cannot work. */
	tcase_add_test(big, test_large_memory_is_bounded);
#ifdef __GLIBC__
	tcase_add_test(big, test_allocation_failure);
#endif
#endif
	tcase_set_timeout(big, 300);
	suite_add_tcase(s, big);
	return s;
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX + 8];
	int rc;

	snprintf(workdir, sizeof workdir, "%s/test_diff.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(workdir)) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	rc = testhelp_run(diff_suite());
	snprintf(path, sizeof path, "%s/old", workdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/new", workdir);
	unlink(path);
	rmdir(workdir);
	return rc;
}
