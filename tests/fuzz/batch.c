/* batch.c: fuzzes batch_parse with the columns of member-add - and of
 * sale-post -: every row it takes holds only fields that are text. */

#include <string.h>

#include "store.h"
#include "fuzz.h"

static const char *const sale_cols[] = { "at", "receipt", "member",
	"items", "points_used", "associate", "store", "note" };

/* The bytes of line n of data, without its LF: lines are asked for in
 * order, so the search goes on from the last one (*p, line *at). */
static const char *
line_of(const uint8_t *data, size_t size, const char **p, long *at, long n,
    size_t *len)
{
	const char *e = (const char *)data + size, *nl;

	for (; (nl = memchr(*p, '\n', (size_t)(e - *p))) && *at < n; (*at)++)
		*p = nl + 1;
	CHECK(*at == n);
	*len = (size_t)((nl ? nl : e) - *p);
	return *p;
}

static void
one(const uint8_t *data, size_t size, const char *const *cols, int ncols)
{
	struct batch b;
	struct tsv t;
	const char *text, *p = (const char *)data;
	size_t i, len, used;
	long line = 1, at = 1;
	int j, nh;

	tsv_mem(&t, (const char *)data, size, "<stdin>", 1);
	if (batch_parse(&b, &t, cols, ncols) == 0) {
		CHECK(b.named != 0 && b.named < (uint64_t)1 << ncols);
		for (i = 0; i < b.n; i++) {
			struct batchrow *r = &b.rows[i];

			CHECK(r->line > line);
			line = r->line;
			nh = 0;
			used = 0;
			for (j = 0; j < ncols; j++) {
				if (r->err || !batch_has(&b, j)) {
					CHECK(r->v[j] == NULL);
					continue;
				}
				CHECK(r->v[j] != NULL);
				CHECK(field_check(cols[j], r->v[j]) == 0);
				used += strlen(r->v[j]);
				nh++;
			}
			/* a row taken is its whole line: no byte is lost */
			text = line_of(data, size, &p, &at, r->line, &len);
			CHECK(r->err || (used + (size_t)nh - 1 == len &&
			    memchr(text, '\0', len) == NULL));
		}
	} else {
		CHECK(b.n == 0 && strncmp(vl_err, "line ", 5) == 0);
	}
	batch_free(&b, ncols);
	CHECK(tsv_close(&t) == 0);	/* memory: no read error */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, L_MEMBERS.cols + 1, M_NCOLS - 1);
	one(data, size, sale_cols, 8);
	return 0;
}
