/*
 * benchrun: runs a command many times and prints how long it took and how
 * much memory it used. Benchmark tooling, not a test.
 *
 *   benchrun [-n RUNS] [-w WARMUP] [-q] -- COMMAND [ARG]...
 *
 * WARMUP untimed runs come first, then RUNS timed ones. Each run is
 * fork + execvp with stdout and stderr on /dev/null, timed with
 * CLOCK_MONOTONIC from just before fork() until wait4() returns. It prints
 * one line:
 *
 *   runs=N median_ms=X.XXX p90_ms=X.XXX min_ms=X.XXX max_rss_kib=N median_rss_kib=N
 *
 * Percentiles are nearest-rank, so the median of an even count is the lower
 * of the two middle values. Peak RSS is wait4()'s ru_maxrss in KiB. Linux
 * carries a process's peak over exec, and the forked child starts as a copy
 * of benchrun, so it never reads below benchrun's own RSS (about 1 MiB).
 *
 * Exit status: 0 when every run exited 0; 1 when a run did not (the
 * benchmark stops there, saying how the run ended); 2 on a usage error or
 * when the command cannot be started. -q keeps stderr quiet unless
 * something goes wrong.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
	DEFAULT_RUNS = 200,
	DEFAULT_WARMUP = 10,
	/* Keeps the sample arrays, which the forked child inherits, small. */
	MAX_RUNS = 100000,
};

enum {
	EXIT_RUN_FAILED = 1,
	EXIT_TROUBLE = 2,
};

static const char prog[] = "benchrun";

struct sample {
	double ms;
	long rss_kib;
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-n RUNS] [-w WARMUP] [-q] -- COMMAND [ARG]...\n"
	        "  -n RUNS    timed runs, %d to %d (default %d)\n"
	        "  -w WARMUP  untimed runs first, 0 to %d (default %d)\n"
	        "  -q         nothing on stderr unless a run fails\n",
	        prog, 1, MAX_RUNS, DEFAULT_RUNS, MAX_RUNS, DEFAULT_WARMUP);
}

static bool parse_count(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "%s: %s takes a whole number from %ld to %ld, not '%s'\n", prog,
		        opt, min, max, s);
		return false;
	}
	*out = v;
	return true;
}

/*
 * Runs cmd once with stdout and stderr on devnull. Fills *status with the
 * wait status and *smp with the time and peak RSS. Returns -1, having said
 * why, if the command could not be run at all.
 */
static int run_once(char *const cmd[], int devnull, int *status, struct sample *smp)
{
	struct timespec t0, t1;
	struct rusage ru;
	int errpipe[2], child_errno;
	ssize_t n;
	pid_t pid;

	/* The child reports a failed exec through this pipe; on success
	 * close-on-exec shuts it and the parent reads nothing. */
	if (pipe(errpipe) < 0 || fcntl(errpipe[1], F_SETFD, FD_CLOEXEC) < 0) {
		fprintf(stderr, "%s: pipe: %s\n", prog, strerror(errno));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
		close(errpipe[0]);
		close(errpipe[1]);
		return -1;
	}
	if (pid == 0) {
		close(errpipe[0]);
		if (dup2(devnull, STDOUT_FILENO) >= 0 && dup2(devnull, STDERR_FILENO) >= 0)
			execvp(cmd[0], cmd);
		child_errno = errno;
		n = write(errpipe[1], &child_errno, sizeof child_errno);
		(void)n; /* nothing more to do if even that fails */
		_exit(127);
	}
	close(errpipe[1]);
	while (wait4(pid, status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "%s: wait4: %s\n", prog, strerror(errno));
			close(errpipe[0]);
			return -1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	do
		n = read(errpipe[0], &child_errno, sizeof child_errno);
	while (n < 0 && errno == EINTR);
	close(errpipe[0]);
	if (n == (ssize_t)sizeof child_errno) {
		fprintf(stderr, "%s: cannot run %s: %s\n", prog, cmd[0], strerror(child_errno));
		return -1;
	}

	smp->ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	smp->rss_kib = ru.ru_maxrss;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* Index of the pct-th percentile of n sorted values, by nearest rank. */
static size_t rank_index(size_t n, size_t pct)
{
	size_t rank = (n * pct + 99) / 100;

	return rank > 0 ? rank - 1 : 0;
}

static void report_failure(const char *cmd, int status, long i, long warmup, long runs)
{
	char how[96];

	if (WIFEXITED(status))
		snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(how, sizeof how, "was killed by signal %d (%s)", WTERMSIG(status),
		         strsignal(WTERMSIG(status)));
	else
		snprintf(how, sizeof how, "ended with wait status 0x%x", (unsigned)status);
	if (i < warmup)
		fprintf(stderr, "%s: %s %s on warmup run %ld of %ld\n", prog, cmd, how, i + 1,
		        warmup);
	else
		fprintf(stderr, "%s: %s %s on timed run %ld of %ld\n", prog, cmd, how,
		        i - warmup + 1, runs);
}

int main(int argc, char **argv)
{
	long runs = DEFAULT_RUNS, warmup = DEFAULT_WARMUP;
	bool quiet = false;
	double *ms = NULL;
	long *rss = NULL;
	int opt, devnull, ret = EXIT_TROUBLE;
	char **cmd;

	/* "+": options end at the command, even without "--". */
	while ((opt = getopt(argc, argv, "+n:w:qh")) != -1) {
		switch (opt) {
		case 'n':
			if (!parse_count("-n", optarg, 1, MAX_RUNS, &runs))
				return EXIT_TROUBLE;
			break;
		case 'w':
			if (!parse_count("-w", optarg, 0, MAX_RUNS, &warmup))
				return EXIT_TROUBLE;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: no command to run\n", prog);
		usage(stderr);
		return EXIT_TROUBLE;
	}
	cmd = argv + optind;

	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0) {
		fprintf(stderr, "%s: /dev/null: %s\n", prog, strerror(errno));
		return EXIT_TROUBLE;
	}
	ms = calloc((size_t)runs, sizeof *ms);
	rss = calloc((size_t)runs, sizeof *rss);
	if (!ms || !rss) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto out;
	}
	if (!quiet)
		fprintf(stderr, "%s: %ld warmup and %ld timed runs of %s\n", prog, warmup, runs,
		        cmd[0]);

	for (long i = 0; i < warmup + runs; i++) {
		struct sample smp;
		int status;

		if (run_once(cmd, devnull, &status, &smp) < 0)
			goto out;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			report_failure(cmd[0], status, i, warmup, runs);
			ret = EXIT_RUN_FAILED;
			goto out;
		}
		if (i >= warmup) {
			ms[i - warmup] = smp.ms;
			rss[i - warmup] = smp.rss_kib;
		}
	}

	qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
	qsort(rss, (size_t)runs, sizeof *rss, cmp_long);
	printf(
	    "runs=%ld median_ms=%.3f p90_ms=%.3f min_ms=%.3f max_rss_kib=%ld median_rss_kib=%ld\n",
	    runs, ms[rank_index((size_t)runs, 50)], ms[rank_index((size_t)runs, 90)], ms[0],
	    rss[runs - 1], rss[rank_index((size_t)runs, 50)]);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: writing the result: %s\n", prog, strerror(errno));
		goto out;
	}
	ret = EXIT_SUCCESS;
out:
	free(ms);
	free(rss);
	close(devnull);
	return ret;
}
