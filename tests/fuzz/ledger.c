/* ledger.c: fuzzes the ledger reader: the bytes as each of the five
 * ledgers, rows checked by tsv_row_check.  A row it passes never makes
 * a reader exit, and its values are written back as they were read. */

#include <string.h>

#include "store.h"
#include "fuzz.h"

static const struct ledger *const ledgers[] = { &L_MEMBERS, &L_SALES,
	&L_POINTS, &L_TIERS, &L_STAFF };

static void
money(const struct tsv *t, int col)
{
	char buf[32];
	int64_t v = tsv_money(t, col);

	CHECK(v > -100000000000000000LL && v < 100000000000000000LL);
	CHECK(v == 0 || t->f[col][v < 0] == '0' ||
	    strcmp(money_fmt(v, buf), t->f[col]) == 0);
}

static void
number(const struct tsv *t, int col)
{
	int64_t v = tsv_int(t, col);

	CHECK(v > -1000000000000000LL && v < 1000000000000000LL);
}

static void
date(const struct tsv *t, int col)
{
	char buf[11];

	CHECK(strcmp(date_fmt(tsv_date(t, col), buf), t->f[col]) == 0);
}

/* What the programs read of a row tsv_row_check passed. */
static void
row(const struct tsv *t, const struct ledger *l)
{
	struct item *v;
	size_t nv, off;
	char buf[20];
	int i;

	CHECK(t->nf >= l->ncols && t->nf <= TSV_MAXF);
	for (i = 0; i < t->nf; i++) {
		CHECK(text_scan(t->f[i], t->fl[i], &off) == TEXT_OK);
		CHECK(strlen(t->f[i]) == t->fl[i]);
	}
	if (l == &L_STAFF)
		return;
	CHECK(strcmp(time_fmt(tsv_time(t, 0), buf), t->f[0]) == 0);
	if (l == &L_SALES) {
		money(t, S_GOODS);
		money(t, S_PAID);
		number(t, S_POINTS_USED);
		number(t, S_EARNED);
		number(t, S_REFERRAL_POINTS);
		date(t, S_AVAILABLE_ON);
		if (t->fl[S_ITEMS]) {
			CHECK(items_parse(t->f[S_ITEMS], t->fl[S_ITEMS], &v,
			    &nv) == 0);
			free(v);
		}
	} else if (l == &L_POINTS) {
		number(t, P_POINTS);
		date(t, P_AVAILABLE_ON);
	} else if (l == &L_TIERS) {
		if (t->fl[T_SINCE])
			date(t, T_SINCE);
		if (t->fl[T_EXPIRES])
			date(t, T_EXPIRES);
		number(t, T_STRIKES);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tsv t;
	size_t i;
	long line;
	int r;

	for (i = 0; i < sizeof ledgers / sizeof ledgers[0]; i++) {
		tsv_mem(&t, (const char *)data, size, ledgers[i]->file, 0);
		if (tsv_header(&t, ledgers[i]) == 1) {
			line = t.lineno;
			/* the programs stop at a bad line; read on to reach
			 * more rows */
			while ((r = tsv_get(&t)) != 0) {
				CHECK(t.lineno > line);
				line = t.lineno;
				if (r > 0 && tsv_row_check(&t, ledgers[i]) == 0)
					row(&t, ledgers[i]);
			}
		}
		CHECK(tsv_close(&t) == 0);
	}
	return 0;
}
