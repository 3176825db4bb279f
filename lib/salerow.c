/* salerow.c: formatting sales.tsv rows, and the numbered ids S000001, M000001. */

#include <stdlib.h>
#include <string.h>

#include "shop.h"

/* v in decimal, as "%lld" writes it. */
static char *
num(int64_t v, char buf[24])
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char *p = buf + 23;

	*p = '\0';
	do
		*--p = (char)('0' + (int)(u % 10));
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	return p;
}

void
salerow_fmt(struct buf *b, const struct salerow *s)
{
	char t[20], d[11], m[32], n[24];

	row_field(b, time_fmt(s->at, t), 0);
	row_field(b, s->receipt, 0);
	row_field(b, s->member, 0);
	row_field(b, s->kind, 0);
	row_field(b, s->sale, 0);
	row_field(b, money_fmt(s->goods, m), 0);
	row_field(b, num(s->used, n), 0);
	row_field(b, money_fmt(s->paid, m), 0);
	row_field(b, num(s->earned, n), 0);
	row_field(b, date_fmt(s->avail, d), 0);
	row_field(b, s->referrer, 0);
	row_field(b, num(s->referral, n), 0);
	row_field(b, s->tier, 0);
	row_field(b, s->store, 0);
	row_field(b, s->associate, 0);
	row_field(b, s->items, 0);
	row_field(b, s->note, 0);
	if (s->bunits > 0)
		buf_addf(b, "%lld", (long long)s->bunits);
	buf_addc(b, '\t');
	row_field(b, s->haswallet ? money_fmt(s->wallet, m) : "", 1);
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
	size_t n;

	if (id[0] != letter || !id[1])
		return 0;
	n = strlen(++id);
	if (strspn(id, "0123456789") != n)
		return 0;
	id += strspn(id, "0");
	/* past 15 digits no automatic id will ever reach it */
	return strlen(id) > 15 ? 0 : strtol(id, NULL, 10);
}
