/*
 * fuzz_changes: the record of what an apply changed (src/changes.h), read
 * from a root that may be a mounted, untrusted system. Properties: a record
 * read as found names a daemon and only valid package names (they go into
 * the commands rollback prints); written back and read again it is the
 * same; anything not found leaves the record empty.
 */
#include "config.h"

#include "changes.h"
#include "fuzzhelp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct changes c, back, empty;
	struct strbuf t;
	enum changes_read r = changes_parse((const char *)data, size, &c);

	if (r != CHANGES_FOUND) {
		if (memcmp(&c, &empty, sizeof(c)) != 0)
			fuzz_fail("a record that was not found left something behind");
		return 0;
	}
	if (!c.daemon)
		fuzz_fail("a found record names no daemon");
	for (int l = 0; l < CHANGES_PKG_LISTS; l++) {
		if (c.npkgs[l] > CHANGES_MAX_PKGS)
			fuzz_fail("list %d holds %zu packages", l, c.npkgs[l]);
		for (size_t i = 0; i < c.npkgs[l]; i++) {
			size_t n = strnlen(c.pkgs[l][i], CHANGES_PKG_MAX);
			if (n == CHANGES_PKG_MAX || !changes_valid_package(c.pkgs[l][i], n))
				fuzz_fail("package name %zu of list %d is not valid", i, l);
		}
	}
	strbuf_init(&t);
	changes_format(&c, "x", &t);
	if (changes_parse(strbuf_str(&t), t.len, &back) != CHANGES_FOUND ||
	    memcmp(&c, &back, sizeof(c)) != 0)
		fuzz_fail("written back and read again, the record differs:\n%s", strbuf_str(&t));
	strbuf_free(&t);
	return 0;
}
