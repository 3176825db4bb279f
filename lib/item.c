/* item.c: sale items, [QTYx]PRICE[/LIST][-DISC%][@SKU], as typed at the till. */

#include <string.h>

#include "shop.h"

int
item_parse(const char *s, size_t n, struct item *it)
{
	const char *item = s, *e = s + n, *x, *at, *slash, *dash, *p;
	int w = (int)n;
	int64_t q;

	memset(it, 0, sizeof *it);
	it->qty = 1;
	it->disc = -1;
	if (n == 0)
		return fail("an item is empty");
	if ((at = memchr(s, '@', n))) {
		if (at + 1 == e)
			return fail("item %.*s: the SKU after @ is empty", w, item);
		for (p = at + 1; p < e; p++)
			if (*p == ' ' || *p == ',' || (*p >= '\t' && *p <= '\r'))
				return fail("item %.*s: the SKU has a space or a "
				    "comma", w, item);
		it->sku = at + 1;
		it->skulen = (size_t)(e - at - 1);
		e = at;
	}
	if ((x = memchr(s, 'x', (size_t)(e - s)))) {
		if (int_parse(s, (size_t)(x - s), 0, &q) < 0 || q < 1 ||
		    q > 1000000)
			return fail("item %.*s: quantity must be a whole number "
			    "from 1 to 1000000", w, item);
		it->qty = q;
		s = x + 1;
	}
	/* -DISC%: a price is never negative, so a '-' starts it */
	if ((dash = memchr(s, '-', (size_t)(e - s)))) {
		if (e - dash < 3 || e[-1] != '%' || int_parse(dash + 1,
		    (size_t)(e - dash - 2), 0, &q) < 0 || q > 100)
			return fail("item %.*s: a discount is -PERCENT%% with a "
			    "whole percent from 0 to 100, e.g. 899-5%%", w, item);
		it->disc = (int)q;
		e = dash;
	}
	it->pl = s;
	it->pllen = (size_t)(e - s);
	if ((slash = memchr(s, '/', (size_t)(e - s)))) {
		if (money_parse(slash + 1, (size_t)(e - slash - 1), MONEY_INPUT,
		    &it->list) < 0 || it->list == 0)
			return fail("item %.*s: list price must be an amount "
			    "above 0 like 899.00", w, item);
		e = slash;
	}
	if (money_parse(s, (size_t)(e - s), MONEY_INPUT, &it->price) < 0)
		return fail("item %.*s: price %s", w, item, vl_err);
	return 0;
}

/* A unit's paid: PRICE less the member's discount, rounded down. */
int64_t
item_unit_paid(const struct item *it)
{
	if (it->disc <= 0)
		return it->price;
	return (int64_t)((__int128)it->price * (100 - it->disc) / 100);
}

void
item_fmt(struct buf *b, const struct item *it, int64_t qty, int disc)
{
	if (qty > 1)
		buf_addf(b, "%lldx", (long long)qty);
	buf_add(b, it->pl, it->pllen);
	if (disc >= 0)
		buf_addf(b, "-%d%%", disc);
	if (it->skulen) {
		buf_addc(b, '@');
		buf_add(b, it->sku, it->skulen);
	}
}

/* An ITEM argument is one item: a comma in it would pass for two. */
int
item_arg_check(const char *s)
{
	if (strchr(s, ','))
		return fail("an item has a comma: give each item as its own "
		    "argument, e.g. 12 5");
	return 0;
}

/* Checks an items column without keeping the items. */
int
items_valid(const char *s, size_t n)
{
	const char *e = s + n, *c;
	struct item it;

	if (n == 0)
		return fail("no items");
	for (;; s = c + 1) {
		c = memchr(s, ',', (size_t)(e - s));
		if (item_parse(s, (size_t)((c ? c : e) - s), &it) < 0)
			return -1;
		if (!c)
			return 0;
	}
}

/* Items separated by commas, as the items column holds them. */
int
items_parse(const char *s, size_t n, struct item **v, size_t *nv)
{
	const char *e = s + n, *c;
	size_t cap = 1;

	*v = NULL;
	*nv = 0;
	if (n == 0)
		return fail("no items: give at least one, e.g. 1280 or 2x459/899");
	/* exactly the items given: a batch keeps a million rows' */
	for (c = s; (c = memchr(c, ',', (size_t)(e - c))); c++)
		cap++;
	*v = emalloc(cap * sizeof **v);
	for (;;) {
		c = memchr(s, ',', (size_t)(e - s));
		if (item_parse(s, (size_t)((c ? c : e) - s), &(*v)[*nv]) < 0)
			return -1;
		(*nv)++;
		if (!c)
			return 0;
		s = c + 1;
	}
}

int64_t
item_fullprice_units(const struct item *v, size_t n)
{
	int64_t units = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].list == 0 || v[i].price >= v[i].list)
			units += v[i].qty;
	return units;
}

int
items_equal(const struct item *a, size_t na, const struct item *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (a[i].qty != b[i].qty || a[i].price != b[i].price ||
		    (a[i].list ? a[i].list : a[i].price) !=
		    (b[i].list ? b[i].list : b[i].price) ||
		    (a[i].disc > 0 ? a[i].disc : 0) !=
		    (b[i].disc > 0 ? b[i].disc : 0) ||
		    a[i].skulen != b[i].skulen ||
		    (a[i].skulen && memcmp(a[i].sku, b[i].sku, a[i].skulen)))
			return 0;
	return 1;
}
