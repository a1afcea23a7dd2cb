/*
 * fuzz_peers: each backend's peers parser (the monitor's reader of ntpq,
 * chronyc, ntpctl and timedatectl output). The first byte picks the
 * backend and whether the text comes as stdout or stderr. Whatever the
 * daemon prints, each row's strings end inside their buffers, the tally
 * class is a known one, and the table and status line format.
 */
#include "config.h"

#include "backend.h"
#include "fuzzhelp.h"
#include "peers.h"

static void check_str(const char *what, const char *v, size_t size)
{
	if (strnlen(v, size) >= size)
		fuzz_fail("%s is not terminated", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t nb;
	const struct backend *const *all = backend_all(&nb);
	const struct backend *b;
	struct peers_snapshot snap;
	struct peers_layout lay;
	char line[1024];
	char *text;
	bool on_stderr;

	if (size < 1)
		return 0;
	b = all[data[0] % nb];
	on_stderr = data[0] & 0x80;
	if (!b->parse_peers || !(text = fuzz_cstring(data + 1, size - 1)))
		return 0;
	peers_snapshot_init(&snap, b);
	b->parse_peers(on_stderr ? "" : text, on_stderr ? text : "", data[0] & 1, &snap);
	for (size_t i = 0; i < snap.nrows; i++) {
		const struct peer_row *r = &snap.rows[i];
		check_str("remote", r->remote, sizeof(r->remote));
		check_str("name", r->name, sizeof(r->name));
		check_str("refid", r->refid, sizeof(r->refid));
		check_str("extra", r->extra, sizeof(r->extra));
		if (!peers_class_name(r->cls))
			fuzz_fail("row %zu: class %d has no name", i, (int)r->cls);
		if (r->reach < -1 || r->reach > 255)
			fuzz_fail("row %zu: reach %d is not an 8-bit register", i, r->reach);
	}
	check_str("explanation", snap.explanation, sizeof(snap.explanation));
	peers_layout(&snap, 80, &lay);
	peers_format_header(&lay, line, sizeof(line));
	for (size_t i = 0; i < snap.nrows; i++)
		peers_format_row(&lay, &snap.rows[i], line, sizeof(line));
	peers_format_status(&snap, 1795315315, line, sizeof(line));
	peers_snapshot_free(&snap);
	free(text);
	return 0;
}
