/*
 * fuzz_os_release: distro_parse_os_release, which reads /etc/os-release
 * under --root (a mounted system's file, so not trusted). Every field it
 * fills must stay a terminated string inside its buffer, free of control
 * characters, and the family a known one.
 */
#include "config.h"

#include "distro.h"
#include "fuzzhelp.h"

/* Terminated inside its buffer, and no control character: detect prints
 * these fields on the terminal, where ESC or CR would be obeyed. */
static void check_field(const char *name, const char *v, size_t size)
{
	size_t n = strnlen(v, size);

	if (n >= size)
		fuzz_fail("distro.%s is not terminated", name);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			fuzz_fail("distro.%s holds control character 0x%02x", name,
			          (unsigned char)v[i]);
}
#define CHECK_FIELD(d, f) check_field(#f, (d).f, sizeof((d).f))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstring(data, size);
	struct distro d;

	if (!text)
		return 0;
	memset(&d, 0x55, sizeof(d)); /* no help from a zeroed struct */
	distro_parse_os_release(text, &d);
	CHECK_FIELD(d, id);
	CHECK_FIELD(d, id_like);
	CHECK_FIELD(d, version_id);
	CHECK_FIELD(d, pretty_name);
	if ((unsigned)d.family >= FAMILY_COUNT)
		fuzz_fail("family %d is out of range", (int)d.family);
	if (!distro_family_name(d.family))
		fuzz_fail("family %d has no name", (int)d.family);
	free(text);
	return 0;
}
