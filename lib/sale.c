/* sale.c: the arithmetic of a sale and of a return, exact, rounded down once. */

#include "shop.h"

typedef __int128 wide;

/* Floor division for a positive divisor. */
static wide
wfloor(wide a, wide b)
{
	wide q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Cents of points at redeem_rate; *exact is 0 when not whole cents. */
int64_t
points_value(const struct rules *r, int64_t points, int *exact)
{
	wide c = (wide)points * 100;

	if (exact)
		*exact = c % r->redeem_rate == 0;
	return (int64_t)wfloor(c, r->redeem_rate);
}

/* redeem_min and redeem_step, for points-redeem and --use-points. */
int
points_spend_check(const struct rules *r, const char *what, int64_t n)
{
	if (n < r->redeem_min)
		return fail("%s: %lld is below redeem_min %lld", what,
		    (long long)n, (long long)r->redeem_min);
	if (n % r->redeem_step != 0)
		return fail("%s: %lld is not a multiple of redeem_step %lld",
		    what, (long long)n, (long long)r->redeem_step);
	return 0;
}

static const struct band *
band_of(const struct rules *r, const struct item *it)
{
	const struct band *best = NULL;
	int i;

	for (i = 0; i < r->nbands; i++) {
		const struct band *b = &r->bands[i];
		int fits = it->list == 0 ? b->ratio <= 100 :
		    (wide)it->price * 100 >= (wide)b->ratio * it->list;

		if (fits && (!best || b->ratio > best->ratio))
			best = b;
	}
	return best;	/* never NULL: the rules have a band at 0.00 */
}

/* Σ qty·paid·rate·mult over the items (mult 100 in a flat band), and
 * their goods in *goods. */
static wide
earn_sum(const struct rules *r, const struct item *items, size_t n,
    int64_t mult, wide *goods)
{
	wide g = 0, num = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct band *b = band_of(r, &items[i]);
		wide amount = (wide)items[i].qty * item_unit_paid(&items[i]);

		g += amount;
		num += amount * b->pct * (b->flat ? 100 : mult);
	}
	*goods = g;
	return num;
}

/* E = floor(num · P / (G · 100 · 100 · earn_per)) (SPEC 3). */
static wide
earned_of(const struct rules *r, wide num, wide g, int64_t paid)
{
	return g == 0 ? 0 : wfloor(num * paid, g * 100 * 100 * r->earn_per);
}

/* SPEC 3, sale-post: G, V, P, E and referral points. */
int
sale_compute(const struct rules *r, const struct item *items, size_t n,
    int64_t used, int64_t mult, int has_referrer, struct salecalc *c)
{
	wide g, num, earned, referral;
	int exact;

	num = earn_sum(r, items, n, mult, &g);
	if (g > MONEY_MAX)
		return fail("items: goods add up to more than 1000000000.00");
	c->goods = (int64_t)g;
	c->value = points_value(r, used, &exact);
	if (!exact)
		return fail("use-points: %lld points are not whole cents at "
		    "redeem_rate %lld", (long long)used,
		    (long long)r->redeem_rate);
	if (c->value > c->goods)
		return fail("use-points: %lld points are worth more than the "
		    "goods", (long long)used);
	c->paid = c->goods - c->value;
	earned = earned_of(r, num, g, c->paid);
	referral = has_referrer ? sale_referral(r, c->paid) : 0;
	/* a row a reader could not read is never written */
	if (earned > POINTS_MAX || referral > POINTS_MAX)
		return fail("items: the sale would earn more than %lld points; "
		    "check the multiplier, bands and earn_per in rules.conf",
		    (long long)POINTS_MAX);
	c->earned = (int64_t)earned;
	c->referral = (int64_t)referral;
	return 0;
}

/* A replay's earned points of items paid for with paid, as recorded.  A
 * row no sale-post wrote (goods above 1000000000.00, paid outside 0 to
 * the goods) is taken within what it could have written, so nothing
 * overflows. */
int64_t
sale_earned(const struct rules *r, const struct item *items, size_t n,
    int64_t paid, int64_t mult)
{
	wide g, num = earn_sum(r, items, n, mult, &g);

	if (g <= 0 || g > MONEY_MAX)
		return 0;
	if (paid < 0)
		paid = 0;
	if (paid > g)
		paid = (int64_t)g;
	return (int64_t)earned_of(r, num, g, paid);
}

/* floor(P · referral_pct · redeem_rate / 10000) (SPEC 3), referral_pct
 * kept in hundredths; paid outside 0 to 1000000000.00 (no sale-post
 * row) is taken within it. */
int64_t
sale_referral(const struct rules *r, int64_t paid)
{
	if (paid < 0)
		paid = 0;
	if (paid > MONEY_MAX)
		paid = MONEY_MAX;
	return (int64_t)wfloor((wide)paid * r->referral_pct * r->redeem_rate,
	    1000000);
}

/* SPEC 3, sale-return: what remains of figure x after goods fall to g1. */
int64_t
share_left(int64_t x, int64_t g1, int64_t g0)
{
	return g0 == 0 ? 0 : (int64_t)wfloor((wide)x * g1, g0);
}
