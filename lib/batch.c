/* batch.c: batch input for member-add - and sale-post -: a TSV on stdin. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

/* The headings of a register export (SPEC section 10). */
static const char *const chinese[][2] = {
	{ "姓名", "name" }, { "手机", "phone" }, { "手机号", "phone" },
	{ "生日", "birthday" }, { "性别", "gender" }, { "邮箱", "email" },
	{ "地址", "address" }, { "尺码", "size" }, { "推荐人", "referrer" },
	{ "导购", "associate" }, { "门店", "store" }, { "备注", "note" },
	{ "会员", "member" }, { "单号", "receipt" }, { "商品", "items" },
	{ "时间", "at" },
};

static int
named(const struct tsv *t, int i, const char *s)
{
	return t->fl[i] == strlen(s) && memcmp(t->f[i], s, t->fl[i]) == 0;
}

/* The column field i of the header names: English, or Chinese; 电话 is
 * the phone only when the header has no 手机 or 手机号. */
static const char *
heading(const struct tsv *t, int i)
{
	size_t k;
	int j;

	for (k = 0; k < sizeof chinese / sizeof chinese[0]; k++)
		if (named(t, i, chinese[k][0]))
			return chinese[k][1];
	if (!named(t, i, "电话"))
		return NULL;
	for (j = 0; j < t->nf; j++)
		if (named(t, j, "手机") || named(t, j, "手机号"))
			return NULL;
	return "phone";
}

/* The header: which allowed column each field is, into map. */
static int
header(struct batch *b, const struct tsv *t, const char *const *cols,
    int ncols, int *map)
{
	const char *h;
	char what[32];
	int i, j;

	for (i = 0; i < t->nf; i++) {
		snprintf(what, sizeof what, "column %d", i + 1);
		if (!utf8_valid(t->f[i], t->fl[i]))
			return fail("line %ld: %s is not UTF-8 text; save the "
			    "file as \"CSV UTF-8\" (Excel and WPS otherwise "
			    "write GBK)", t->lineno, what);
		if (field_checkn(what, t->f[i], t->fl[i]) < 0)
			return fail("line %ld: %s", t->lineno, vl_err);
		h = heading(t, i);
		for (j = 0; j < ncols && (h ? strcmp(h, cols[j]) != 0 :
		    !named(t, i, cols[j])); j++)
			;
		if (j == ncols)
			return fail("line %ld: unknown column %s", t->lineno,
			    t->f[i]);
		map[i] = j;
		b->named |= (uint64_t)1 << j;
		for (j = 0; j < i; j++)
			if (map[j] == map[i])
				return fail("line %ld: column %s is given twice",
				    t->lineno, t->f[i]);
	}
	return 0;
}

/* A row whose fields are not as the header says, or not text, keeps the
 * reason in err; its values are left unset.  The values are kept in one
 * allocation with v: a batch may have millions of rows. */
static void
row(struct batchrow *r, const struct tsv *t, int got, const char *const *cols,
    const int *map, int nh, int ncols)
{
	size_t len = (size_t)ncols * sizeof *r->v;
	char *p;
	int i;

	r->line = t->lineno;
	r->err = NULL;
	if (got > 0 && t->nf == nh)
		for (i = 0; i < nh; i++)
			len += t->fl[i] + 1;
	r->v = emalloc(len);
	memset(r->v, 0, (size_t)ncols * sizeof *r->v);
	if (got < 0) {
		if (t->badf >= 0 && t->badf < nh && t->badwhy)
			fail("%s: %s", cols[map[t->badf]], t->badwhy);
		else
			fail("%s, the header names %d", vl_err, nh);
		r->err = estrdup(vl_err);
		return;
	}
	if (t->nf != nh) {
		fail("%d fields, the header names %d", t->nf, nh);
		r->err = estrdup(vl_err);
		return;
	}
	for (i = 0; i < nh; i++) {
		if (!utf8_valid(t->f[i], t->fl[i]))
			fail("%s: is not UTF-8 text; save the file as \"CSV "
			    "UTF-8\" (Excel and WPS otherwise write GBK)",
			    cols[map[i]]);
		else if (field_checkn(cols[map[i]], t->f[i], t->fl[i]) == 0)
			continue;
		r->err = estrdup(vl_err);
		return;
	}
	p = (char *)(r->v + ncols);
	for (i = 0; i < nh; i++) {
		r->v[map[i]] = p;
		memcpy(p, t->f[i], t->fl[i]);
		p[t->fl[i]] = '\0';
		p += t->fl[i] + 1;
	}
}

/* Reads a batch from t, opened as input: -1 (vl_err) for a bad header;
 * a bad row is a row with err set.  Exits only on a read error. */
int
batch_parse(struct batch *b, struct tsv *t, const char *const *cols,
    int ncols)
{
	int map[TSV_MAXF], nh, got;
	size_t cap = 0;

	memset(b, 0, sizeof *b);
	if ((got = tsv_get(t)) == 0)
		return fail("line 1: no header naming the columns");
	if (got < 0)
		return fail("line %ld: %s", t->lineno, vl_err);
	nh = t->nf;
	if (header(b, t, cols, ncols, map) < 0)
		return -1;
	while ((got = tsv_get(t)) != 0) {
		if (t->ioerr)
			return -1;	/* a read error, not a bad row */
		if (b->n == cap)
			b->rows = erealloc(b->rows, (cap = cap ? 2 * cap : 64) *
			    sizeof *b->rows);
		row(&b->rows[b->n++], t, got, cols, map, nh, ncols);
	}
	return 0;
}

void
batch_free(struct batch *b, int ncols)
{
	size_t i;

	(void)ncols;
	for (i = 0; i < b->n; i++) {
		free(b->rows[i].v);
		free(b->rows[i].err);
	}
	free(b->rows);
	memset(b, 0, sizeof *b);
}

/* The batch on stdin. */
int
batch_read(struct batch *b, const char *const *cols, int ncols, int csv)
{
	struct tsv t;
	int rc;

	tsv_fdopen(&t, STDIN_FILENO, "<stdin>", 1);
	t.crlf = 1;
	t.csv = csv;
	rc = batch_parse(b, &t, cols, ncols);
	if (tsv_close(&t) < 0)
		rc = -1;
	return rc;
}
