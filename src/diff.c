/*
 * diff: unified diff of two in-memory texts, byte for byte what GNU
 * `diff -u` prints (see diff.h).
 *
 * Two texts usually have many shortest edit scripts, and GNU diff picks one
 * through a particular sequence of steps. To print the very same hunks we
 * take the same steps, in the same order:
 *   1. skip the identical head and tail, but keep HORIZON lines of each in
 *      the compared region so that changes can still slide into them;
 *   2. number each distinct line (hash, then exact compare), so the search
 *      compares integers;
 *   3. set aside lines that match nothing in the other text, and lines that
 *      match too often when they sit among such lines ("confusing" lines);
 *   4. Myers' O(ND) search in its linear-space form (middle snake, divide
 *      and conquer), giving up on a subproblem after too_expensive steps;
 *   5. slide each run of changes to join its neighbours, then to line up
 *      with a run of changes in the other text;
 *   6. group changes fewer than HUNK_GAP lines apart into one hunk.
 * All memory is linear in the number of lines; recursion depth is
 * logarithmic because the smaller half is the one we recurse into.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "strbuf.h"

enum {
	/* Identical lines kept at each end of the compared region
	 * (GNU: horizon_lines is raised to the context size). */
	HORIZON = DIFF_CONTEXT_LINES,
	/* Changes fewer than this many unchanged lines apart share a hunk. */
	HUNK_GAP = 2 * DIFF_CONTEXT_LINES + 1,
	/* The middle-snake search never gives up before this many steps. */
	MIN_TOO_EXPENSIVE = 4096,
};

static const char no_newline_marker[] = "\\ No newline at end of file\n";

struct line {
	const char *s;
	size_t len; /* not counting the newline */
	bool nl;    /* false only for a last line that lacks its newline */
};

struct text {
	struct line *line;
	ptrdiff_t n;
};

/* One text's share of the analysis, covering only the compared region. */
struct side {
	const struct line *line; /* first line of the region */
	ptrdiff_t n;             /* lines in the region */
	ptrdiff_t *eq;           /* class number of each line, from 1 */
	bool *changed;           /* changed[-1] and changed[n] exist, false */
	ptrdiff_t *kept;         /* classes of the lines not set aside */
	ptrdiff_t *real;         /* kept[k] is the class of line real[k] */
	ptrdiff_t nkept;
};

/* A run of deleted and/or inserted lines, indexed in the whole texts. */
struct change {
	ptrdiff_t line0, line1;
	ptrdiff_t deleted, inserted;
};

struct script {
	struct change *v;
	size_t n, cap;
};

/* Marks set on a line by discard_confusing(). */
enum { KEEP, DISCARD, MAYBE };

static int floor_log2(size_t n)
{
	int r = 0;

	while (n >>= 1)
		r++;
	return r;
}

static int split_lines(struct text *t, const char *s, size_t len)
{
	const char *end, *p, *q;
	ptrdiff_t n = 0, i = 0;

	t->line = NULL;
	t->n = 0;
	if (len == 0)
		return 0;
	end = s + len;
	for (p = s; (q = memchr(p, '\n', (size_t)(end - p))) != NULL; p = q + 1)
		n++;
	if (p < end)
		n++;
	t->line = calloc((size_t)n, sizeof *t->line);
	if (!t->line)
		return -1;
	for (p = s; p < end; p = q + 1) {
		q = memchr(p, '\n', (size_t)(end - p));
		t->line[i].s = p;
		t->line[i].len = (size_t)((q ? q : end) - p);
		t->line[i].nl = q != NULL;
		i++;
		if (!q)
			break;
	}
	t->n = n;
	return 0;
}

/* A last line without newline never equals a complete line, as in GNU diff. */
static bool line_eq(const struct line *a, const struct line *b)
{
	return a->len == b->len && a->nl == b->nl && memcmp(a->s, b->s, a->len) == 0;
}

static uint64_t line_hash(const struct line *l)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */

	for (size_t i = 0; i < l->len; i++) {
		h ^= (unsigned char)l->s[i];
		h *= 1099511628211u;
	}
	h ^= l->nl;
	h *= 1099511628211u;
	return h;
}

struct eqclass {
	const struct line *rep;
	uint64_t hash;
};

/* Numbers the lines of both regions so that equal lines get equal numbers. */
static int assign_classes(struct side s[2], ptrdiff_t *nclasses)
{
	size_t total = (size_t)s[0].n + (size_t)s[1].n, cap = 16, mask;
	struct eqclass *cls;
	ptrdiff_t *slot, next = 1;

	while (cap / 2 < total)
		cap *= 2;
	mask = cap - 1;
	slot = calloc(cap, sizeof *slot);
	cls = calloc(total + 1, sizeof *cls);
	if (!slot || !cls) {
		free(slot);
		free(cls);
		return -1;
	}
	for (int f = 0; f < 2; f++) {
		for (ptrdiff_t i = 0; i < s[f].n; i++) {
			const struct line *l = &s[f].line[i];
			uint64_t h = line_hash(l);
			size_t k = (size_t)h & mask;
			ptrdiff_t c;

			while ((c = slot[k]) != 0 && !(cls[c].hash == h && line_eq(cls[c].rep, l)))
				k = (k + 1) & mask;
			if (!c) {
				c = next++;
				slot[k] = c;
				cls[c].rep = l;
				cls[c].hash = h;
			}
			s[f].eq[i] = c;
		}
	}
	free(slot);
	free(cls);
	*nclasses = next;
	return 0;
}

/*
 * Within a run of set-aside lines, decides which MAYBE lines (lines that
 * match too many lines of the other text) really go: only those well inside
 * a run of lines that match nothing. Mirrors GNU diff's heuristic exactly,
 * since it changes which of several equally short scripts is found.
 */
static void settle_maybes(char *d, ptrdiff_t n)
{
	for (ptrdiff_t i = 0; i < n; i++) {
		ptrdiff_t j, provisional = 0, length, minimum, consec;

		if (d[i] == MAYBE) {
			d[i] = KEEP;
			continue;
		}
		if (d[i] == KEEP)
			continue;

		/* d[i] starts a run; find its end, dropping MAYBEs at the tail. */
		for (j = i; j < n && d[j] != KEEP; j++)
			if (d[j] == MAYBE)
				provisional++;
		while (j > i && d[j - 1] == MAYBE) {
			d[--j] = KEEP;
			provisional--;
		}
		length = j - i;

		if (provisional > length / 4) {
			/* Too many doubtful lines: keep them all. The rest of the
			 * run is visited again as its own run, as GNU does. */
			while (j > i)
				if (d[--j] == MAYBE)
					d[j] = KEEP;
			continue;
		}

		/* Keep every stretch of at least `minimum` consecutive MAYBEs. */
		minimum =
		    length < 4 ? 2 : ((ptrdiff_t)1 << (floor_log2((size_t)length) / 2 - 1)) + 1;
		consec = 0;
		for (j = 0; j < length; j++) {
			if (d[i + j] != MAYBE)
				consec = 0;
			else if (++consec == minimum)
				j -= consec; /* go back and keep the stretch from its start */
			else if (consec > minimum)
				d[i + j] = KEEP;
		}

		/* Keep MAYBEs near the run's head, until 3 DISCARDs in a row
		 * or a DISCARD at least 8 lines in. */
		consec = 0;
		for (j = 0; j < length; j++) {
			if (j >= 8 && d[i + j] == DISCARD)
				break;
			if (d[i + j] == MAYBE) {
				consec = 0;
				d[i + j] = KEEP;
			} else if (d[i + j] == KEEP) {
				consec = 0;
			} else {
				consec++;
			}
			if (consec == 3)
				break;
		}

		/* Same from the run's tail. */
		i += length - 1;
		consec = 0;
		for (j = 0; j < length; j++) {
			if (j >= 8 && d[i - j] == DISCARD)
				break;
			if (d[i - j] == MAYBE) {
				consec = 0;
				d[i - j] = KEEP;
			} else if (d[i - j] == KEEP) {
				consec = 0;
			} else {
				consec++;
			}
			if (consec == 3)
				break;
		}
	}
}

/* Sets aside lines the search need not consider; they count as changed. */
static int discard_confusing(struct side s[2], ptrdiff_t nclasses)
{
	ptrdiff_t *count = calloc(2 * (size_t)nclasses, sizeof *count);
	char *mark = calloc((size_t)s[0].n + (size_t)s[1].n + 1, 1);
	char *d[2];

	if (!count || !mark) {
		free(count);
		free(mark);
		return -1;
	}
	d[0] = mark;
	d[1] = mark + s[0].n;
	for (int f = 0; f < 2; f++)
		for (ptrdiff_t i = 0; i < s[f].n; i++)
			count[f * nclasses + s[f].eq[i]]++;

	for (int f = 0; f < 2; f++) {
		const ptrdiff_t *other = count + (1 - f) * nclasses;
		ptrdiff_t many = 5; /* times about the square root of n / 64 */

		if (s[f].n >= 64)
			many <<= floor_log2((size_t)s[f].n) / 2 - 3;
		for (ptrdiff_t i = 0; i < s[f].n; i++) {
			ptrdiff_t matches = other[s[f].eq[i]];

			if (matches == 0)
				d[f][i] = DISCARD;
			else if (matches > many)
				d[f][i] = MAYBE;
		}
	}

	for (int f = 0; f < 2; f++) {
		ptrdiff_t k = 0;

		settle_maybes(d[f], s[f].n);
		for (ptrdiff_t i = 0; i < s[f].n; i++) {
			if (d[f][i] == KEEP) {
				s[f].kept[k] = s[f].eq[i];
				s[f].real[k++] = i;
			} else {
				s[f].changed[i] = true;
			}
		}
		s[f].nkept = k;
	}
	free(count);
	free(mark);
	return 0;
}

struct search {
	const ptrdiff_t *xv, *yv;
	ptrdiff_t *fd; /* by diagonal x - y: furthest x reached going forward */
	ptrdiff_t *bd; /* by diagonal: smallest x reached going backward */
	ptrdiff_t too_expensive;
	struct side *s;
};

struct split {
	ptrdiff_t xmid, ymid;
	bool lo_minimal, hi_minimal; /* whether each half must be solved exactly */
};

/*
 * Finds where a shortest script for x[xoff, xlim) -> y[yoff, ylim) crosses
 * its middle, searching forward from the start and backward from the end at
 * once. The first and last elements of the ranges must differ. Unless
 * `minimal`, gives up after too_expensive steps and returns the furthest
 * point reached, which costs optimality, never correctness.
 */
static void find_split(const struct search *sr, ptrdiff_t xoff, ptrdiff_t xlim, ptrdiff_t yoff,
                       ptrdiff_t ylim, bool minimal, struct split *sp)
{
	ptrdiff_t *const fd = sr->fd, *const bd = sr->bd;
	const ptrdiff_t *const xv = sr->xv, *const yv = sr->yv;
	const ptrdiff_t dmin = xoff - ylim, dmax = xlim - yoff;
	const ptrdiff_t fmid = xoff - yoff, bmid = xlim - ylim;
	ptrdiff_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	const bool odd = (fmid - bmid) % 2 != 0;

	fd[fmid] = xoff;
	bd[bmid] = xlim;
	for (ptrdiff_t c = 1;; c++) {
		ptrdiff_t d, x, y;

		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			fmin++;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			fmax--;
		for (d = fmax; d >= fmin; d -= 2) {
			x = fd[d - 1] < fd[d + 1] ? fd[d + 1] : fd[d - 1] + 1;
			for (y = x - d; x < xlim && y < ylim && xv[x] == yv[y]; x++, y++)
				continue;
			fd[d] = x;
			if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
				sp->xmid = x;
				sp->ymid = y;
				sp->lo_minimal = sp->hi_minimal = true;
				return;
			}
		}

		if (bmin > dmin)
			bd[--bmin - 1] = PTRDIFF_MAX;
		else
			bmin++;
		if (bmax < dmax)
			bd[++bmax + 1] = PTRDIFF_MAX;
		else
			bmax--;
		for (d = bmax; d >= bmin; d -= 2) {
			x = bd[d - 1] < bd[d + 1] ? bd[d - 1] : bd[d + 1] - 1;
			for (y = x - d; xoff < x && yoff < y && xv[x - 1] == yv[y - 1]; x--, y--)
				continue;
			bd[d] = x;
			if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
				sp->xmid = x;
				sp->ymid = y;
				sp->lo_minimal = sp->hi_minimal = true;
				return;
			}
		}

		if (minimal || c < sr->too_expensive)
			continue;

		/* Too costly: take the forward diagonal that got furthest
		 * (max x + y) or the backward one (min x + y), whichever went
		 * further, and solve only that side's half exactly. */
		ptrdiff_t fxy = -1, fx = xoff, bxy = PTRDIFF_MAX, bx = xlim;

		for (d = fmax; d >= fmin; d -= 2) {
			x = fd[d] < xlim ? fd[d] : xlim;
			y = x - d;
			if (y > ylim) {
				x = ylim + d;
				y = ylim;
			}
			if (x + y > fxy) {
				fxy = x + y;
				fx = x;
			}
		}
		for (d = bmax; d >= bmin; d -= 2) {
			x = bd[d] > xoff ? bd[d] : xoff;
			y = x - d;
			if (y < yoff) {
				x = yoff + d;
				y = yoff;
			}
			if (x + y < bxy) {
				bxy = x + y;
				bx = x;
			}
		}
		if ((xlim + ylim) - bxy < fxy - (xoff + yoff)) {
			sp->xmid = fx;
			sp->ymid = fxy - fx;
			sp->lo_minimal = true;
			sp->hi_minimal = false;
		} else {
			sp->xmid = bx;
			sp->ymid = bxy - bx;
			sp->lo_minimal = false;
			sp->hi_minimal = true;
		}
		return;
	}
}

/* Marks the changed lines of x[xoff, xlim) -> y[yoff, ylim). */
static void compare_seq(const struct search *sr, ptrdiff_t xoff, ptrdiff_t xlim, ptrdiff_t yoff,
                        ptrdiff_t ylim, bool minimal)
{
	const ptrdiff_t *xv = sr->xv, *yv = sr->yv;
	struct side *s = sr->s;

	for (;;) {
		struct split sp;

		while (xoff < xlim && yoff < ylim && xv[xoff] == yv[yoff]) {
			xoff++;
			yoff++;
		}
		while (xoff < xlim && yoff < ylim && xv[xlim - 1] == yv[ylim - 1]) {
			xlim--;
			ylim--;
		}
		if (xoff == xlim) {
			while (yoff < ylim)
				s[1].changed[s[1].real[yoff++]] = true;
			return;
		}
		if (yoff == ylim) {
			while (xoff < xlim)
				s[0].changed[s[0].real[xoff++]] = true;
			return;
		}

		find_split(sr, xoff, xlim, yoff, ylim, minimal, &sp);

		/* Recurse into the smaller half, loop on the larger one. */
		if ((xlim + ylim) - (sp.xmid + sp.ymid) < (sp.xmid + sp.ymid) - (xoff + yoff)) {
			compare_seq(sr, sp.xmid, xlim, sp.ymid, ylim, sp.hi_minimal);
			xlim = sp.xmid;
			ylim = sp.ymid;
			minimal = sp.lo_minimal;
		} else {
			compare_seq(sr, xoff, sp.xmid, yoff, sp.ymid, sp.lo_minimal);
			xoff = sp.xmid;
			yoff = sp.ymid;
			minimal = sp.hi_minimal;
		}
	}
}

static int run_search(struct side s[2])
{
	ptrdiff_t diags = s[0].nkept + s[1].nkept + 3;
	ptrdiff_t *mem = calloc(2 * (size_t)diags, sizeof *mem);
	ptrdiff_t te = (ptrdiff_t)1 << (floor_log2((size_t)diags) / 2 + 1);
	struct search sr = {
	    .xv = s[0].kept,
	    .yv = s[1].kept,
	    .too_expensive = te > MIN_TOO_EXPENSIVE ? te : MIN_TOO_EXPENSIVE,
	    .s = s,
	};

	if (!mem)
		return -1;
	sr.fd = mem + s[1].nkept + 1;
	sr.bd = mem + diags + s[1].nkept + 1;
	compare_seq(&sr, 0, s[0].nkept, 0, s[1].nkept, false);
	free(mem);
	return 0;
}

/*
 * Where a run of changes could equally sit a line earlier or later (the
 * line leaving the run equals the one joining it), moves it: first back and
 * then forward as far as it merges with neighbouring runs, and finally back
 * to line up with a run of changes in the other text if it can.
 */
static void shift_boundaries(struct side s[2])
{
	for (int f = 0; f < 2; f++) {
		bool *changed = s[f].changed;
		const bool *other = s[1 - f].changed;
		const ptrdiff_t *eq = s[f].eq;
		const ptrdiff_t end = s[f].n;
		ptrdiff_t i = 0, j = 0; /* j: the matching line in the other text */

		for (;;) {
			ptrdiff_t start, runlength, corresponding;

			while (i < end && !changed[i]) {
				while (other[j++])
					continue;
				i++;
			}
			if (i == end)
				break;
			start = i;
			while (changed[++i])
				continue;
			while (other[j])
				j++;

			do {
				runlength = i - start;

				while (start && eq[start - 1] == eq[i - 1]) {
					changed[--start] = true;
					changed[--i] = false;
					while (changed[start - 1])
						start--;
					while (other[--j])
						continue;
				}

				/* The run's end as of the last time it lined up
				 * with changes in the other text; end if never. */
				corresponding = other[j - 1] ? i : end;

				while (i != end && eq[start] == eq[i]) {
					changed[start++] = false;
					changed[i++] = true;
					while (changed[i])
						i++;
					while (other[++j])
						corresponding = i;
				}
			} while (runlength != i - start);

			while (corresponding < i) {
				changed[--start] = true;
				changed[--i] = false;
				while (other[--j])
					continue;
			}
		}
	}
}

static int script_add(struct script *sc, const struct change *c)
{
	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? 2 * sc->cap : 16;
		struct change *v;

		if (cap > SIZE_MAX / sizeof *v)
			return -1;
		v = realloc(sc->v, cap * sizeof *v);
		if (!v)
			return -1;
		sc->v = v;
		sc->cap = cap;
	}
	sc->v[sc->n++] = *c;
	return 0;
}

/* Collects the changed lines into runs, numbered in the whole texts. */
static int build_script(const struct side s[2], ptrdiff_t base, struct script *sc)
{
	const bool *c0 = s[0].changed, *c1 = s[1].changed;
	ptrdiff_t i0 = 0, i1 = 0;

	while (i0 < s[0].n || i1 < s[1].n) {
		if (c0[i0] || c1[i1]) {
			struct change ch = {.line0 = base + i0, .line1 = base + i1};

			while (c0[i0])
				i0++;
			while (c1[i1])
				i1++;
			ch.deleted = base + i0 - ch.line0;
			ch.inserted = base + i1 - ch.line1;
			if (script_add(sc, &ch) < 0)
				return -1;
		}
		i0++;
		i1++;
	}
	return 0;
}

/* Finds the differences between the two texts, in line order. */
static int analyze(const struct text t[2], struct script *sc)
{
	ptrdiff_t shorter = t[0].n < t[1].n ? t[0].n : t[1].n;
	ptrdiff_t head = 0, tail = 0, nclasses;
	struct side s[2];
	bool *flags = NULL;
	ptrdiff_t *nums = NULL;
	int ret = -1;

	/* GNU trims bytes, then backs up to whole lines; counting whole equal
	 * lines (a last line without newline equals only another such line)
	 * gives the same region, the tail never reaching into the head. */
	while (head < shorter && line_eq(&t[0].line[head], &t[1].line[head]))
		head++;
	head = head > HORIZON ? head - HORIZON : 0;
	while (tail < shorter - head &&
	       line_eq(&t[0].line[t[0].n - 1 - tail], &t[1].line[t[1].n - 1 - tail]))
		tail++;
	tail = tail > HORIZON ? tail - HORIZON : 0;

	for (int f = 0; f < 2; f++) {
		/* An empty text has no line array, and NULL + 0 is undefined. */
		s[f].line = t[f].n ? t[f].line + head : t[f].line;
		s[f].n = t[f].n - head - tail;
	}
	/* One block per kind: eq, kept, real for each side; changed with a
	 * false sentinel on each side of each side's lines. */
	nums = calloc(3 * ((size_t)s[0].n + (size_t)s[1].n) + 1, sizeof *nums);
	flags = calloc((size_t)s[0].n + (size_t)s[1].n + 4, sizeof *flags);
	if (!nums || !flags)
		goto out;
	s[0].eq = nums;
	s[1].eq = s[0].eq + s[0].n;
	s[0].kept = s[1].eq + s[1].n;
	s[1].kept = s[0].kept + s[0].n;
	s[0].real = s[1].kept + s[1].n;
	s[1].real = s[0].real + s[0].n;
	s[0].changed = flags + 1;
	s[1].changed = flags + s[0].n + 3;

	if (assign_classes(s, &nclasses) < 0 || discard_confusing(s, nclasses) < 0 ||
	    run_search(s) < 0)
		goto out;
	shift_boundaries(s);
	ret = build_script(s, head, sc);
out:
	free(nums);
	free(flags);
	return ret;
}

static void put_line(struct strbuf *out, char tag, const struct line *l)
{
	strbuf_putc(out, tag);
	strbuf_append(out, l->s, l->len);
	strbuf_putc(out, '\n');
	if (!l->nl)
		strbuf_puts(out, no_newline_marker);
}

/* GNU's ranges: "first,count"; just "first" for one line; for no lines,
 * "line-before,0" so that patch recognises an empty file as "0,0". */
static void put_range(struct strbuf *out, ptrdiff_t first, ptrdiff_t last)
{
	if (last < first)
		strbuf_printf(out, "%td,0", last + 1);
	else if (last == first)
		strbuf_printf(out, "%td", first + 1);
	else
		strbuf_printf(out, "%td,%td", first + 1, last - first + 1);
}

static void put_hunk(struct strbuf *out, const struct text t[2], const struct change *c, size_t n)
{
	const struct change *lastc = &c[n - 1];
	ptrdiff_t first0 = c->line0 - DIFF_CONTEXT_LINES, first1 = c->line1 - DIFF_CONTEXT_LINES;
	ptrdiff_t last0 = lastc->line0 + lastc->deleted - 1 + DIFF_CONTEXT_LINES;
	ptrdiff_t last1 = lastc->line1 + lastc->inserted - 1 + DIFF_CONTEXT_LINES;
	ptrdiff_t i, j;
	size_t k = 0;

	if (first0 < 0)
		first0 = 0;
	if (first1 < 0)
		first1 = 0;
	if (last0 > t[0].n - 1)
		last0 = t[0].n - 1;
	if (last1 > t[1].n - 1)
		last1 = t[1].n - 1;

	strbuf_puts(out, "@@ -");
	put_range(out, first0, last0);
	strbuf_puts(out, " +");
	put_range(out, first1, last1);
	strbuf_puts(out, " @@\n");

	for (i = first0, j = first1; i <= last0 || j <= last1;) {
		if (k == n || i < c[k].line0) {
			put_line(out, ' ', &t[0].line[i]);
			i++;
			j++;
			continue;
		}
		for (ptrdiff_t m = 0; m < c[k].deleted; m++)
			put_line(out, '-', &t[0].line[i++]);
		for (ptrdiff_t m = 0; m < c[k].inserted; m++)
			put_line(out, '+', &t[1].line[j++]);
		k++;
	}
}

static void put_diff(struct strbuf *out, const struct text t[2], const struct script *sc,
                     const char *old_label, const char *new_label)
{
	strbuf_printf(out, "--- %s\n+++ %s\n", old_label ? old_label : "",
	              new_label ? new_label : "");
	for (size_t first = 0, last; first < sc->n; first = last + 1) {
		last = first;
		while (last + 1 < sc->n &&
		       sc->v[last + 1].line0 - (sc->v[last].line0 + sc->v[last].deleted) < HUNK_GAP)
			last++;
		put_hunk(out, t, &sc->v[first], last - first + 1);
	}
}

int diff_unified(struct strbuf *out, const char *old_text, size_t old_len, const char *new_text,
                 size_t new_len, const char *old_label, const char *new_label)
{
	struct text t[2] = {{NULL, 0}, {NULL, 0}};
	struct script sc = {NULL, 0, 0};
	struct strbuf tmp;
	int ret = -1;

	if (!old_text)
		old_len = 0;
	if (!new_text)
		new_len = 0;
	if (old_len == new_len && (old_len == 0 || memcmp(old_text, new_text, old_len) == 0))
		return 0;

	strbuf_init(&tmp);
	if (out->failed || split_lines(&t[0], old_text, old_len) < 0 ||
	    split_lines(&t[1], new_text, new_len) < 0 || analyze(t, &sc) < 0)
		goto out;
	/* Built aside so that a failure leaves out as it was. */
	put_diff(&tmp, t, &sc, old_label, new_label);
	if (!tmp.failed && strbuf_append(out, tmp.buf, tmp.len) == 0)
		ret = 1;
out:
	if (ret < 0)
		out->failed = true;
	strbuf_free(&tmp);
	free(sc.v);
	free(t[0].line);
	free(t[1].line);
	return ret;
}
