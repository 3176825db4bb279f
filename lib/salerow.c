/* salerow.c: formatting sales.tsv rows, and the numbered ids S000001, M000001. */

#include <stdlib.h>
#include <string.h>

#include "vl.h"

void
salerow_fmt(struct buf *b, const struct salerow *s)
{
	char t[20], d[11], m[32];

	row_field(b, time_fmt(s->at, t), 0);
	row_field(b, s->receipt, 0);
	row_field(b, s->member, 0);
	row_field(b, s->kind, 0);
	row_field(b, s->sale, 0);
	row_field(b, money_fmt(s->goods, m), 0);
	buf_addf(b, "%lld\t", (long long)s->used);
	row_field(b, money_fmt(s->paid, m), 0);
	buf_addf(b, "%lld\t", (long long)s->earned);
	row_field(b, date_fmt(s->avail, d), 0);
	row_field(b, s->referrer, 0);
	buf_addf(b, "%lld\t", (long long)s->referral);
	row_field(b, s->tier, 0);
	row_field(b, s->store, 0);
	row_field(b, s->associate, 0);
	row_field(b, s->items, 0);
	row_field(b, s->note, 1);
}

void
tsv_line(struct buf *b, const struct tsv *t)
{
	int i;

	for (i = 0; i < t->nf; i++)
		row_field(b, t->f[i], i == t->nf - 1);
}

/* The number of an automatic id (a letter and six digits), or 0. */
long
auto_id_number(const char *id, int letter)
{
	if (id[0] != letter || strlen(id) != 7 ||
	    strspn(id + 1, "0123456789") != 6)
		return 0;
	return strtol(id + 1, NULL, 10);
}
