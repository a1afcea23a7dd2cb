/*
 * fuzzhelp: what the libFuzzer targets in tests/fuzz share. Each target is
 * one fuzz_NAME.c defining LLVMFuzzerTestOneInput; a property that does not
 * hold is reported with fuzz_fail(), which aborts, so libFuzzer saves the
 * input as a crash like any sanitizer finding.
 */
#ifndef NTPWIZ_FUZZHELP_H
#define NTPWIZ_FUZZHELP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints the broken property and aborts (libFuzzer saves the input). */
#define fuzz_fail(...)                                                                             \
	do {                                                                                       \
		fprintf(stderr, "fuzz property failed at %s:%d: ", __FILE__, __LINE__);            \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		abort();                                                                           \
	} while (0)

/*
 * The input as a C string (caller frees), or NULL when it holds a NUL byte:
 * a file with a NUL is refused before any parser sees it (cli.c), and a C
 * string cannot carry one anyway.
 */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
	char *s;

	if (memchr(data, '\0', size))
		return NULL;
	s = malloc(size + 1);
	if (!s)
		fuzz_fail("out of memory");
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
