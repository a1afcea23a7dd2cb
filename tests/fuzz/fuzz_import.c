/*
 * fuzz_import: each backend's import parser (import_text), the reader of a
 * config file that ntpwiz did not write. The first byte picks the backend,
 * the rest is the file. Whatever the input, every server and network that
 * reaches the model passed the validators, every note points at a line
 * of the input, and what was imported renders for its own daemon (or is
 * refused with a reason) without a control character in the file.
 */
#include "config.h"

#include "backend.h"
#include "fuzzhelp.h"
#include "import.h"
#include "strbuf.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t nb, lines = 1;
	const struct backend *const *all = backend_all(&nb);
	const struct backend *b;
	struct import_notes notes;
	struct errlist errs;
	struct setup s;
	char *text;

	if (size < 1)
		return 0;
	b = all[data[0] % nb];
	if (!(text = fuzz_cstring(data + 1, size - 1)))
		return 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	import_notes_init(&notes);
	errlist_init(&errs);
	model_init(&s);
	if (import_text(b, FAMILY_DEBIAN, text, size - 1, &s, &notes, &errs) == 0) {
		if (s.nservers > MODEL_MAX_SERVERS || s.nallow > MODEL_MAX_ALLOW)
			fuzz_fail("%zu servers, %zu networks: over the model's limits", s.nservers,
			          s.nallow);
		for (size_t i = 0; i < s.nservers; i++)
			if (validate_host(s.servers[i].host, NULL))
				fuzz_fail("%s: server \"%s\" does not pass validate_host", b->name,
				          s.servers[i].host);
		for (size_t i = 0; i < s.nallow; i++) {
			char canon[64];
			if (validate_cidr(s.allow[i].cidr, canon, sizeof(canon)))
				fuzz_fail("%s: network \"%s\" does not pass validate_cidr", b->name,
				          s.allow[i].cidr);
		}
		/* what was imported renders for its own daemon, or is refused
		 * with a reason; a rendered file holds no control character */
		struct strbuf out;
		struct errlist rerrs;
		strbuf_init(&out);
		errlist_init(&rerrs);
		if (s.nservers > 0 && backend_render(b, &s, FAMILY_DEBIAN, &out, &rerrs) == 0)
			for (size_t i = 0; i < out.len; i++)
				if ((unsigned char)out.buf[i] < 0x20 && out.buf[i] != '\n')
					fuzz_fail("%s: rendered file holds 0x%02x", b->name,
					          (unsigned char)out.buf[i]);
		strbuf_free(&out);
		errlist_free(&rerrs);
		for (size_t i = 0; i < notes.n; i++)
			if (notes.v[i].line < 0 || (size_t)notes.v[i].line > lines)
				fuzz_fail("%s: a note on line %d of %zu", b->name, notes.v[i].line,
				          lines);
	}
	import_notes_free(&notes);
	errlist_free(&errs);
	free(text);
	return 0;
}
