/* batch.c: batch input for member-add - and sale-post -: a TSV on stdin. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vl.h"

void
batch_read(struct batch *b, const char *const *cols, int ncols)
{
	struct tsv t;
	int map[TSV_MAXF], i, j, nh;
	size_t cap = 0;

	memset(b, 0, sizeof *b);
	memset(&t, 0, sizeof t);
	t.name = "<stdin>";
	t.fd = STDIN_FILENO;
	t.cap = 1 << 16;
	t.buf = emalloc(t.cap + 1);
	t.input = 1;
	if (!tsv_next(&t))
		die(E_REFUSE, "line 1: no header naming the columns");
	nh = t.nf;
	for (i = 0; i < nh; i++) {
		for (j = 0; j < ncols && strcmp(t.f[i], cols[j]); j++)
			;
		if (j == ncols)
			die(E_REFUSE, "line 1: unknown column %s", t.f[i]);
		map[i] = j;
		b->named |= (uint64_t)1 << j;
		for (j = 0; j < i; j++)
			if (map[j] == map[i])
				die(E_REFUSE, "line 1: column %s is given twice",
				    t.f[i]);
	}
	while (tsv_next(&t)) {
		struct batchrow *r;

		if (b->n == cap)
			b->rows = erealloc(b->rows, (cap = cap ? 2 * cap : 64) *
			    sizeof *b->rows);
		r = &b->rows[b->n++];
		r->line = t.lineno;
		r->v = ecalloc((size_t)ncols, sizeof *r->v);
		r->err = NULL;
		if (t.nf != nh) {
			fail("%d fields, the header names %d", t.nf, nh);
			r->err = estrdup(vl_err);
			continue;
		}
		for (i = 0; i < nh; i++)
			r->v[map[i]] = estrndup(t.f[i], t.fl[i]);
	}
	free(t.buf);
}
