/*
 * test_spawn: real background commands (sysops_spawn): they return at
 * once, their output and exit status arrive through a pollable fd, a
 * hung command (and whatever it left behind in its process group) is
 * killed at its timeout or when cancelled, and waiting costs no wake-ups.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sysops.h"
#include "testhelp.h"

static struct sysops_exec_result R;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Waits for the job as the monitor does (poll on its fd, for as long as
 * it says); returns the number of wake-ups. */
static int wait_job(struct sysops_job *job)
{
	int wakeups = 0;

	for (;;) {
		struct pollfd p = {.fd = job->fd, .events = POLLIN};
		if (sysops_job_poll(job, &R) == 1)
			return wakeups;
		ck_assert_int_lt(wakeups, 1000);
		poll(&p, 1, sysops_job_wait_ms(job));
		wakeups++;
	}
}

static void fx_teardown(void)
{
	sysops_exec_result_free(&R);
}

START_TEST(output_and_status)
{
	const char *argv[] = {"sh", "-c", "echo out; sleep 0.2; echo err >&2; exit 3", NULL};
	struct sysops_job *job;
	double t0 = now_s();
	int wakeups;

	ck_assert_int_eq(sysops_spawn(argv, 5000, &job), 0);
	ck_assert(now_s() - t0 < 0.15); /* it did not wait for the command */
	wakeups = wait_job(job);
	ck_assert_int_eq(R.status, 3);
	ck_assert_str_eq(R.out, "out\n");
	ck_assert_str_eq(R.errout, "err\n");
	ck_assert(!R.timed_out);
	/* woken by output, by the end of output and by the exit, not by a timer */
	ck_assert_int_le(wakeups, 8);
	sysops_job_free(job);
}
END_TEST

START_TEST(missing_command)
{
	const char *argv[] = {"ntpwiz-no-such-command", NULL};
	struct sysops_job *job = (struct sysops_job *)1;

	ck_assert_int_eq(sysops_spawn(argv, 1000, &job), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(job);
}
END_TEST

START_TEST(timeout_kills_the_group)
{
	/* the shell leaves a background sleep holding the pipe */
	const char *argv[] = {"sh", "-c", "sleep 30 & echo started; sleep 30", NULL};
	struct sysops_job *job;
	double t0 = now_s();

	ck_assert_int_eq(sysops_spawn(argv, 300, &job), 0);
	wait_job(job);
	ck_assert(R.timed_out);
	ck_assert_int_eq(R.signal, SIGKILL);
	ck_assert_str_eq(R.out, "started\n");
	ck_assert(now_s() - t0 < 3.0);
	sysops_job_free(job);
}
END_TEST

START_TEST(output_is_capped)
{
	const char *argv[] = {"head", "-c", "3000000", "/dev/zero", NULL};
	struct sysops_job *job;

	ck_assert_int_eq(sysops_spawn(argv, 10000, &job), 0);
	wait_job(job);
	ck_assert_int_eq(R.status, 0);
	ck_assert_uint_eq(R.out_len, SYSOPS_EXEC_MAX);
	sysops_job_free(job);
}
END_TEST

START_TEST(cancel_kills_and_reaps)
{
	char dir[] = "/tmp/ntpwiz-spawn-XXXXXX", path[64], script[256], buf[32] = "";
	const char *argv[] = {"sh", "-c", script, NULL};
	struct sysops_job *job;
	pid_t pid = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pid", dir);
	snprintf(script, sizeof(script), "echo $$ > %s.tmp && mv %s.tmp %s && exec sleep 30", path,
	         path, path);
	ck_assert_int_eq(sysops_spawn(argv, 60000, &job), 0);
	for (int i = 0; i < 200 && !pid; i++) { /* at most 2 s */
		FILE *f = fopen(path, "r");
		if (f) {
			if (fgets(buf, sizeof(buf), f))
				pid = (pid_t)atol(buf);
			fclose(f);
		}
		if (!pid)
			usleep(10000);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(sysops_job_poll(job, &R), 0); /* still running */
	ck_assert_int_eq(kill(pid, 0), 0);
	sysops_job_free(job);
	ck_assert_int_eq(kill(pid, 0), -1); /* killed and reaped: no zombie left */
	ck_assert_int_eq(errno, ESRCH);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("jobs");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, NULL, fx_teardown);
	tcase_add_test(tc, output_and_status);
	tcase_add_test(tc, missing_command);
	tcase_add_test(tc, timeout_kills_the_group);
	tcase_add_test(tc, output_is_capped);
	tcase_add_test(tc, cancel_kills_and_reaps);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
