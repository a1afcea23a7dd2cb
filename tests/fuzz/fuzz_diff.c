/*
 * fuzz_diff: diff_unified on two texts cut from the input. The oracle is a
 * small patch applier: the unified diff, applied to the old text, must give
 * the new text byte for byte (context and removed lines must match the old
 * text, hunk counts must match the header), and equal texts give no diff.
 */
#include "config.h"

#include <stdbool.h>

#include "diff.h"
#include "fuzzhelp.h"
#include "strbuf.h"

struct span {
	const char *p;
	size_t n; /* including the '\n', when the line has one */
};

struct lines {
	struct span *v;
	size_t n, cap;
};

static void push(struct lines *l, const char *p, size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			fuzz_fail("out of memory");
	}
	l->v[l->n].p = p;
	l->v[l->n].n = n;
	l->n++;
}

static void split(struct lines *l, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (s + i)) + 1 : len - i;
		push(l, s + i, n);
		i += n;
	}
}

static bool span_eq(struct span a, struct span b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* "-START[,COUNT]" or "+START[,COUNT]" at *pp; advances it. */
static bool range(const char **pp, const char *end, char sign, size_t *start, size_t *count)
{
	const char *p = *pp;

	if (p >= end || *p++ != sign)
		return false;
	*start = 0;
	*count = 1;
	if (p >= end || *p < '0' || *p > '9')
		return false;
	while (p < end && *p >= '0' && *p <= '9')
		*start = *start * 10 + (size_t)(*p++ - '0');
	if (p < end && *p == ',') {
		p++;
		*count = 0;
		if (p >= end || *p < '0' || *p > '9')
			return false;
		while (p < end && *p >= '0' && *p <= '9')
			*count = *count * 10 + (size_t)(*p++ - '0');
	}
	*pp = p;
	return true;
}

/* Applies the diff to old; the result goes to out. Fails the run on any
 * malformed or inconsistent part. */
static void apply(const char *diff, size_t dlen, const char *old, size_t olen, struct strbuf *out)
{
	struct lines d = {0}, o = {0}, hold = {0}, hnew = {0};
	size_t at = 0;      /* next old line to copy */
	size_t emitted = 0; /* lines of the result so far */
	size_t i;

	split(&d, diff, dlen);
	split(&o, old, olen);
	if (d.n < 3 || !span_eq(d.v[0], (struct span){"--- old\n", 8}) ||
	    !span_eq(d.v[1], (struct span){"+++ new\n", 8}))
		fuzz_fail("bad diff header");
	for (i = 2; i < d.n;) {
		const char *p = d.v[i].p, *end = p + d.v[i].n;
		size_t os, oc, ns, nc, first;
		/* which side(s) the previous body line went to: 1 old, 2 new */
		int last = 0;

		if (d.v[i].n < 4 || memcmp(p, "@@ ", 3) != 0)
			fuzz_fail("diff line %zu: expected a hunk header", i + 1);
		p += 3;
		if (!range(&p, end, '-', &os, &oc) || p >= end || *p++ != ' ' ||
		    !range(&p, end, '+', &ns, &nc) || end - p != 4 || memcmp(p, " @@\n", 4) != 0)
			fuzz_fail("diff line %zu: malformed hunk header", i + 1);
		first = oc == 0 ? os : os - 1;
		if (oc != 0 && os == 0)
			fuzz_fail("diff line %zu: old start 0 with lines", i + 1);
		if (first < at || first > o.n)
			fuzz_fail("diff line %zu: hunk starts at old line %zu, next is %zu", i + 1,
			          first + 1, at + 1);
		for (; at < first; at++, emitted++)
			strbuf_append(out, o.v[at].p, o.v[at].n);
		if (ns != (nc == 0 ? emitted : emitted + 1))
			fuzz_fail("diff line %zu: new start %zu, but %zu lines come before it",
			          i + 1, ns, emitted);
		hold.n = hnew.n = 0;
		for (i++; i < d.n && d.v[i].p[0] != '@'; i++) {
			struct span body = {d.v[i].p + 1, d.v[i].n - 1};

			switch (d.v[i].p[0]) {
			case ' ':
				push(&hold, body.p, body.n);
				push(&hnew, body.p, body.n);
				last = 3;
				break;
			case '-':
				push(&hold, body.p, body.n);
				last = 1;
				break;
			case '+':
				push(&hnew, body.p, body.n);
				last = 2;
				break;
			case '\\':
				if (!span_eq(d.v[i],
				             (struct span){"\\ No newline at end of file\n", 28}) ||
				    !last)
					fuzz_fail("diff line %zu: misplaced no-newline marker",
					          i + 1);
				if (last & 1)
					hold.v[hold.n - 1].n--;
				if (last & 2)
					hnew.v[hnew.n - 1].n--;
				last = 0;
				break;
			default:
				fuzz_fail("diff line %zu: unknown line type 0x%02x", i + 1,
				          (unsigned char)d.v[i].p[0]);
			}
		}
		if (hold.n != oc || hnew.n != nc)
			fuzz_fail("hunk counts -%zu +%zu, body has -%zu +%zu", oc, nc, hold.n,
			          hnew.n);
		for (size_t k = 0; k < hold.n; k++)
			if (at + k >= o.n || !span_eq(hold.v[k], o.v[at + k]))
				fuzz_fail("hunk at old line %zu does not match the old text",
				          at + k + 1);
		at += hold.n;
		for (size_t k = 0; k < hnew.n; k++)
			strbuf_append(out, hnew.v[k].p, hnew.v[k].n);
		emitted += hnew.n;
	}
	for (; at < o.n; at++)
		strbuf_append(out, o.v[at].p, o.v[at].n);
	free(d.v);
	free(o.v);
	free(hold.v);
	free(hnew.v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf diff, result;
	const char *old, *new;
	size_t olen, nlen, cut;
	int r;

	/* The first two bytes say where the old text ends. */
	if (size < 2)
		return 0;
	cut = ((size_t)data[0] | (size_t)data[1] << 8) % (size - 1);
	old = (const char *)data + 2;
	olen = cut;
	new = old + olen;
	nlen = size - 2 - olen;

	strbuf_init(&diff);
	r = diff_unified(&diff, old, olen, new, nlen, "old", "new");
	if (r < 0)
		fuzz_fail("diff_unified failed (out of memory?)");
	if ((r == 0) != (olen == nlen && memcmp(old, new, olen) == 0))
		fuzz_fail("diff_unified returned %d for %s texts", r,
		          r == 0 ? "different" : "equal");
	if (r == 0) {
		if (diff.len != 0)
			fuzz_fail("equal texts gave %zu bytes of diff", diff.len);
	} else {
		strbuf_init(&result);
		apply(diff.buf, diff.len, old, olen, &result);
		if (result.failed)
			fuzz_fail("out of memory");
		if (result.len != nlen || memcmp(result.buf ? result.buf : "", new, nlen) != 0)
			fuzz_fail("the diff applied to the old text does not give the new text");
		strbuf_free(&result);
	}
	strbuf_free(&diff);
	return 0;
}
