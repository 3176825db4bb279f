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

/* The row's fields measured first and copied into room made once: a
 * batch writes a million. */
void
salerow_fmt(struct buf *b, const struct salerow *s)
{
	char t[20], d[11], m[3][32], n[4][24];
	const char *f[S_NCOLS];
	size_t len[S_NCOLS], total = 0;
	char *p;
	int i;

	f[S_AT] = time_fmt(s->at, t);
	f[S_RECEIPT] = s->receipt;
	f[S_MEMBER] = s->member;
	f[S_KIND] = s->kind;
	f[S_SALE] = s->sale;
	f[S_GOODS] = money_fmt(s->goods, m[0]);
	f[S_POINTS_USED] = num(s->used, n[0]);
	f[S_PAID] = money_fmt(s->paid, m[1]);
	f[S_EARNED] = num(s->earned, n[1]);
	f[S_AVAILABLE_ON] = date_fmt(s->avail, d);
	f[S_REFERRER] = s->referrer;
	f[S_REFERRAL_POINTS] = num(s->referral, n[2]);
	f[S_TIER] = s->tier;
	f[S_STORE] = s->store;
	f[S_ASSOCIATE] = s->associate;
	f[S_ITEMS] = s->items;
	f[S_NOTE] = s->note;
	f[S_BIRTHDAY_UNITS] = s->bunits > 0 ? num(s->bunits, n[3]) : "";
	f[S_WALLET] = s->haswallet ? money_fmt(s->wallet, m[2]) : "";
	for (i = 0; i < S_NCOLS; i++) {
		if (!f[i])
			f[i] = "";
		total += len[i] = strlen(f[i]);
	}
	p = buf_room(b, total + S_NCOLS);
	for (i = 0; i < S_NCOLS; i++) {
		memcpy(p, f[i], len[i]);
		p += len[i];
		*p++ = i < S_NCOLS - 1 ? '\t' : '\n';
	}
}

void
tsv_line(struct buf *b, const struct tsv *t)
{
	int i;

	for (i = 0; i < t->nf; i++)
		row_field(b, t->f[i], i == t->nf - 1);
}

/* An automatic id: letter and n in six digits at least, as "%c%06ld"
 * writes it (n >= 0), without printf: a batch makes a million. */
char *
auto_id_fmt(int letter, long n, char buf[24])
{
	char d[24];
	char *p = num(n, d);
	size_t len = strlen(p), pad = len < 6 ? 6 - len : 0;

	buf[0] = (char)letter;
	memset(buf + 1, '0', pad);
	memcpy(buf + 1 + pad, p, len + 1);
	return buf;
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
