/*
 * stampexec: writes the CLOCK_MONOTONIC time to a file, then executes a
 * command (benchmark tooling for tests/bench/wizard-bench.sh: the start of
 * the time to the wizard's first drawn page).
 *
 *   stampexec FILE COMMAND [ARG]...
 *
 * FILE gets "SECONDS.NANOSECONDS\n", the same format the wizard writes to
 * $NTPWIZ_BENCH_FIRST_DRAW after its first page is on the screen.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: stampexec FILE COMMAND [ARG]...\n");
		return 2;
	}
	f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t);
	fprintf(f, "%lld.%09ld\n", (long long)t.tv_sec, t.tv_nsec);
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
