/* balance.c: a member's points over time: the lowest balance, the limits. */

#include <stdlib.h>
#include <string.h>

#include "shop.h"

void
history_add(struct history *h, vltime_t at, day_t avail, int64_t credit,
    int64_t used)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 16;
		h->v = erealloc(h->v, h->cap * sizeof *h->v);
	}
	h->v[h->n++] = (struct movement){ at, avail, credit, used };
}

struct step {
	vltime_t t;
	int64_t delta;
};

static int
bystep(const void *a, const void *b)
{
	const struct step *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

/* The lowest balance at any moment of [from, to]: points used count from
 * the row's time, credits from the later of it and their available_on
 * (SPEC-DETAILS, sale-post).  Rows timed after to are not looked at. */
int64_t
balance_min(const struct history *h, vltime_t from, vltime_t to)
{
	struct step *s = ecalloc(2 * h->n + 1, sizeof *s);
	size_t i, n = 0;
	int64_t bal = 0, low;
	vltime_t ct;

	for (i = 0; i < h->n; i++) {
		const struct movement *m = &h->v[i];

		if (m->at > to)
			continue;
		if (m->used)
			s[n++] = (struct step){ m->at, -m->used };
		ct = (vltime_t)m->avail * DAY_SECS;
		if (ct < m->at)
			ct = m->at;
		if (m->credit && ct <= to)
			s[n++] = (struct step){ ct, m->credit };
	}
	sort(s, n, sizeof *s, bystep);
	for (i = 0; i < n && s[i].t <= from; i++)
		bal += s[i].delta;
	low = bal;
	for (; i < n; i++) {
		bal += s[i].delta;
		/* several steps at one moment count together */
		if ((i + 1 == n || s[i + 1].t != s[i].t) && bal < low)
			low = bal;
	}
	free(s);
	return low;
}

/* The member's points, available or pending, summed in 128 bits,
 * whatever the rows hold. */
wide_t
history_sum(const struct history *h)
{
	wide_t total = 0;
	size_t i;

	for (i = 0; i < h->n; i++)
		total += (wide_t)h->v[i].credit - h->v[i].used;
	return total;
}

/* Whether points summing to total stay within 15 digits when delta is
 * added: a writer refuses a row that would pass that (SPEC section 11). */
int
points_fit(wide_t total, const char *member, int64_t delta)
{
	total += delta;
	if (total > POINTS_MAX || total < -POINTS_MAX)
		return fail("points: the balance of %s would pass %lld points",
		    member, (long long)POINTS_MAX);
	return 0;
}

int
balance_fits(const struct history *h, const char *member, int64_t delta)
{
	return points_fit(history_sum(h), member, delta);
}
