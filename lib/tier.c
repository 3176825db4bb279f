/* tier.c: the tier walk (SPEC 4): counts by day, upgrades, keeps, expiries. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shop.h"

typedef __int128 wide;

static struct count *
count_new(struct counts *c, day_t day)
{
	struct count *k;

	if (c->n == c->cap)
		c->v = erealloc(c->v, (c->cap = c->cap ? 2 * c->cap : 16) *
		    sizeof *c->v);
	k = &c->v[c->n++];
	memset(k, 0, sizeof *k);
	k->day = day;
	k->sale = -1;
	return k;
}

/* A sales.tsv row of the member, counted on its available_on when that
 * lies in [from, upto]. */
void
counts_sale_row(struct counts *c, const struct tsv *t, day_t from, day_t upto)
{
	struct count *k;
	struct item *items;
	size_t nitems;
	day_t day = tsv_date(t, S_AVAILABLE_ON);
	int isret = strcmp(t->f[S_KIND], "return") == 0;

	if (day < from || day > upto)
		return;
	k = count_new(c, day);
	k->paid = tsv_money(t, S_PAID);
	k->earned = tsv_int(t, S_EARNED);
	k->goods = tsv_money(t, S_GOODS);
	k->isreturn = isret;
	k->ref = -1;
	/* a return keeps its sale's receipt until counts_sort links them */
	k->receipt = estrdup(t->f[isret ? S_SALE : S_RECEIPT]);
	if (!isret) {
		/* tsv_row checked the items */
		if (items_parse(t->f[S_ITEMS], t->fl[S_ITEMS], &items, &nitems) == 0)
			k->units = item_fullprice_units(items, nitems);
		free(items);
	}
}

void
counts_add(struct counts *c, day_t day, int isreturn, int64_t paid,
    int64_t earned, int64_t goods, int64_t units, int64_t ref)
{
	struct count *k = count_new(c, day);

	k->paid = paid;
	k->earned = earned;
	k->goods = goods;
	k->units = isreturn ? 0 : units;
	k->isreturn = isreturn;
	k->ref = ref;
	c->byref = 1;
}

void
counts_add_topup(struct counts *c, day_t day, int64_t amount)
{
	struct count *k = count_new(c, day);

	k->topup = amount;
	k->ref = COUNT_TOPUP;
}

/* A wallet.tsv row of the member: a topup counts with its amount on its
 * own date when that lies in [from, upto]; a refund never lowers it. */
void
counts_topup_row(struct counts *c, const struct tsv *t, day_t from,
    day_t upto)
{
	day_t day = TIME_DAY(tsv_time(t, W_AT));

	if (strcmp(t->f[W_KIND], "topup") != 0 || day < from || day > upto)
		return;
	counts_add_topup(c, day, tsv_money(t, W_AMOUNT));
}

/* A top-up, not a sale or a return: no receipt, or counts_add's mark. */
static int
is_topup(const struct counts *c, const struct count *k)
{
	return !k->receipt && (!c->byref || k->ref == COUNT_TOPUP);
}

struct refix {
	int64_t ref;
	size_t i;
};

static int
byref(const void *a, const void *b)
{
	const struct refix *x = a, *y = b;

	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* Counts sorted, without receipts: each return to the sale before it
 * whose row it names (rows are one sale each, so a search will do). */
static void
link_refs(struct counts *c)
{
	struct refix *v, key, *f;
	size_t i, j, n = 0;

	for (i = 0; i < c->n; i++) {
		c->v[i].sale = -1;
		if (c->v[i].isreturn && c->v[i].ref >= 0)
			n++;
	}
	if (n == 0)
		return;		/* no return: nothing to link */
	if (c->n <= 64) {	/* most members: a look back costs less */
		for (i = 0; i < c->n; i++) {
			if (!c->v[i].isreturn || c->v[i].ref < 0)
				continue;
			for (j = 0; j < i; j++)
				if (c->v[j].ref == c->v[i].ref &&
				    !c->v[j].isreturn && !is_topup(c, &c->v[j]))
					break;
			if (j < i)
				c->v[i].sale = (long)j;
		}
		return;
	}
	v = emalloc((c->n + 1) * sizeof *v);
	for (n = 0, i = 0; i < c->n; i++)
		if (!c->v[i].isreturn && !is_topup(c, &c->v[i]))
			v[n++] = (struct refix){ c->v[i].ref, i };
	sort(v, n, sizeof *v, byref);
	for (i = 0; i < c->n; i++) {
		if (!c->v[i].isreturn || c->v[i].ref < 0)
			continue;
		key.ref = c->v[i].ref;
		if ((f = bsearch(&key, v, n, sizeof *v, byref)) && f->i < i)
			c->v[i].sale = (long)f->i;
	}
	free(v);
}

static int
byday(const void *a, const void *b)
{
	const struct count *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->sale < y->sale ? -1 : x->sale > y->sale;
}

/* Net figures of sale i as of the returns applied so far. */
static int64_t
net_single(const struct counts *c, size_t i)
{
	return c->v[i].paid + c->v[i].rpaid;
}

static int64_t
net_items(const struct counts *c, size_t i)
{
	const struct count *k = &c->v[i];

	return k->goods == 0 ? k->units :
	    (int64_t)((wide)k->units * (k->goods + k->rgoods) / k->goods);
}

static void
tree_set(int64_t *t, size_t leaves, size_t i, int64_t v)
{
	size_t x = leaves + i;

	for (t[x] = v; x > 1; x /= 2)
		t[x / 2] = t[x] > t[x ^ 1] ? t[x] : t[x ^ 1];
}

/* The largest value of positions [lo, hi), or -1 when none. */
static int64_t
tree_max(const int64_t *t, size_t leaves, size_t lo, size_t hi)
{
	int64_t v = -1;

	for (lo += leaves, hi += leaves; lo < hi; lo /= 2, hi /= 2) {
		if (lo & 1 && t[lo++] > v)
			v = t[lo - 1];
		if (hi & 1 && t[--hi] > v)
			v = t[hi];
	}
	return v;
}

/* Puts every sale at its own figures, before any return; the trees are
 * built when a metric first asks. */
static void
counts_reset(struct counts *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		c->v[i].rpaid = c->v[i].rgoods = 0;
	c->built = 0;
	c->applied = DAY_MIN - 1;
	c->nextret = 0;
}

/* Tree k (single, items, topup) at the figures of the returns applied so
 * far: only those the rules' metrics use are ever made. */
static void
tree_build(struct counts *c, int k)
{
	int64_t *t = c->best[k];
	size_t i;

	for (i = 0; i < 2 * c->leaves; i++)
		t[i] = -1;
	for (i = 0; i < c->n; i++) {
		if (is_topup(c, &c->v[i]) != (k == 2) || c->v[i].isreturn)
			continue;
		t[c->leaves + i] = k == 2 ? c->v[i].topup : k == 1 ?
		    net_items(c, i) : net_single(c, i);
	}
	for (i = c->leaves - 1; i >= 1; i--)
		t[i] = t[2 * i] > t[2 * i + 1] ? t[2 * i] : t[2 * i + 1];
	c->built |= 1u << k;
}

/* Brings the sales' net figures to the returns counted by day hi. */
static void
counts_upto(struct counts *c, day_t hi)
{
	if (hi < c->applied)
		counts_reset(c);
	for (; c->nextret < c->n && c->v[c->nextret].day <= hi; c->nextret++) {
		const struct count *r = &c->v[c->nextret];
		long s = r->sale;

		if (!r->isreturn || s < 0)
			continue;
		c->v[s].rpaid += r->paid;
		c->v[s].rgoods += r->goods;
		if (c->built & 1)
			tree_set(c->best[0], c->leaves, (size_t)s,
			    net_single(c, (size_t)s));
		if (c->built & 2)
			tree_set(c->best[1], c->leaves, (size_t)s,
			    net_items(c, (size_t)s));
	}
	c->applied = hi;
}

/* Sorts by day, keeping file order within a day, links each return to
 * its sale when the sale is counted here too, and builds the prefix sums
 * and max trees the metrics read. */
void
counts_sort(struct counts *c)
{
	struct strmap sales = { 0 };
	size_t i, *ix;

	for (i = 0; i < c->n; i++)
		c->v[i].sale = (long)i;		/* file order, for ties */
	for (i = 1; i < c->n && byday(&c->v[i - 1], &c->v[i]) <= 0; i++)
		;
	if (i < c->n)	/* rows come mostly in order: often nothing to do */
		sort(c->v, c->n, sizeof *c->v, byday);
	c->seen[0].n = c->seen[1].n = SIZE_MAX;
	if (c->byref) {
		link_refs(c);
	} else {
		for (i = 0; i < c->n; i++) {
			c->v[i].sale = -1;
			if (!c->v[i].receipt)
				continue;	/* a top-up */
			if (!c->v[i].isreturn)
				strmap_put(&sales, c->v[i].receipt, i);
			else if ((ix = strmap_get(&sales, c->v[i].receipt)))
				c->v[i].sale = (long)*ix;
		}
		strmap_free(&sales);
	}
	if (c->sumcap < c->n + 1) {
		c->sumcap = 2 * (c->n + 1);
		free(c->sumpaid);
		free(c->sumearned);
		c->sumpaid = emalloc(c->sumcap * sizeof *c->sumpaid);
		c->sumearned = emalloc(c->sumcap * sizeof *c->sumearned);
	}
	c->sumpaid[0] = c->sumearned[0] = 0;
	for (i = 0; i < c->n; i++) {
		c->sumpaid[i + 1] = c->sumpaid[i] + c->v[i].paid;
		c->sumearned[i + 1] = c->sumearned[i] + c->v[i].earned;
	}
	for (c->leaves = 1; c->leaves < c->n; c->leaves *= 2)
		;
	if (c->treecap < 2 * c->leaves) {
		c->treecap = 2 * c->leaves;
		for (i = 0; i < 3; i++) {
			free(c->best[i]);
			c->best[i] = emalloc(c->treecap * sizeof *c->best[i]);
		}
	}
	counts_reset(c);
}

void
counts_clear(struct counts *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].receipt);
	c->n = 0;
	c->nextret = 0;
	c->seen[0].n = c->seen[1].n = SIZE_MAX;
}

void
counts_free(struct counts *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].receipt);
	free(c->v);
	free(c->sumpaid);
	free(c->sumearned);
	free(c->best[0]);
	free(c->best[1]);
	free(c->best[2]);
	memset(c, 0, sizeof *c);
}

/* The first count on or after day d.  A walk asks for the same few days
 * over and over (a period's first, the day tested and the next): the
 * last two answers are kept. */
static size_t
lower(struct counts *c, day_t d)
{
	size_t lo = 0, hi = c->n, mid;

	if (c->seen[0].day == d && c->seen[0].n == c->n)
		return c->seen[0].i;
	if (c->seen[1].day == d && c->seen[1].n == c->n)
		return c->seen[1].i;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (c->v[mid].day < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	c->seen[1] = c->seen[0];
	c->seen[0].day = d;
	c->seen[0].n = c->n;
	c->seen[0].i = lo;
	return lo;
}

/* A metric over the counts of days [lo, hi], hi being the tested day:
 * single and items look at one sale net of its returns counted by hi,
 * topup at one top-up.  Walks test days in order, so returns are applied
 * once each. */
static int64_t
metric(struct counts *c, int m, day_t lo, day_t hi)
{
	size_t first = lower(c, lo), end = lower(c, hi + 1);
	int64_t v;

	if (first >= end)
		return 0;
	if (m == MET_TOTAL)
		return c->sumpaid[end] - c->sumpaid[first];
	if (m == MET_POINTS)
		return c->sumearned[end] - c->sumearned[first];
	if (m == MET_TOPUP) {
		if (!(c->built & 4))
			tree_build(c, 2);
		v = tree_max(c->best[2], c->leaves, first, end);
	} else {
		counts_upto(c, hi);
		if (!(c->built & (m == MET_ITEMS ? 2 : 1)))
			tree_build(c, m == MET_ITEMS);
		v = tree_max(c->best[m == MET_ITEMS], c->leaves, first, end);
	}
	return v > 0 ? v : 0;
}

static char *
int_fmt(int64_t v, char buf[24])
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char tmp[24], *q = tmp + sizeof tmp;

	*--q = '\0';
	do
		*--q = (char)('0' + (int)(u % 10));
	while ((u /= 10) > 0);
	if (v < 0)
		*--q = '-';
	memcpy(buf, q, (size_t)(tmp + sizeof tmp - q));
	return buf;
}

/* A period past year 9999 stops the walk: tier_walk says so. */
static day_t
expiry(const struct rules *r, int tier, day_t since, struct tierpos *p)
{
	int months = r->tiers[tier].validity;
	day_t d;

	if (months == 0)
		return DAY_NEVER;
	if (date_check(d = date_add_months(since, months)) < 0) {
		p->bad = 1;
		return DAY_NEVER;
	}
	return d;
}

/* Is any keep line of tier met over [lo, hi]?  -1: the tier has none.
 * *line gets the line met, or the first line missed (-1: none), *value
 * its metric; *grace the most grace of the tier's lines. */
static int
keep_met(const struct rules *r, int tier, struct counts *c, day_t lo,
    day_t hi, int *line, int64_t *value, int *grace)
{
	int i, found = -1;
	int64_t v;

	*grace = 0;
	*line = -1;
	*value = 0;
	for (i = 0; i < r->nkeeps; i++) {
		const struct keep *k = &r->keeps[i];

		if (k->tier != tier)
			continue;
		if (k->grace > *grace)
			*grace = k->grace;
		if (found == 1)
			continue;
		v = metric(c, k->metric, lo, hi);
		if (v < k->threshold && found == 0)
			continue;	/* the first line missed says why */
		found = v >= k->threshold;
		*line = i;
		*value = v;
	}
	return found;
}

/* v as metric m shows it, at p: the end. */
static char *
put_metric(char *p, int m, int64_t v)
{
	char mb[32];

	if (m == MET_SINGLE || m == MET_TOTAL || m == MET_TOPUP)
		return str_put(p, money_fmt(v, mb));
	return str_put(p, int_fmt(v, mb));
}

/* The reason column of change ch in buf, cut to n - 1 bytes as tiers.tsv
 * has always had it: a keep line's cut to 99, and to 90 after "grace"
 * (no name or figure the rules allow comes near).  Its length. */
size_t
tier_reason(const struct rules *r, const struct tierchange *ch, char *buf,
    size_t n)
{
	char why[256], wb[32], *w = why;
	const struct upgrade *u;
	const struct keep *k;
	size_t len, cut = 99;
	int gn;

	if (n == 0)
		return 0;
	if (ch->why == WHY_UPGRADE) {
		u = &r->upgrades[ch->line];
		w = str_put(w, metric_names[u->metric]);
		*w++ = ' ';
		w = put_metric(w, u->metric, ch->value);
		w = str_put(w, " >= ");
		w = put_metric(w, u->metric, u->threshold);
		if (u->within) {
			w = str_put(w, " within ");
			w = str_put(w, int_fmt(u->within, wb));
		}
		cut = n - 1;
	} else if (ch->why == WHY_NOKEEP) {
		w = str_put(w, "no keep rule for ");
		w = str_put(w, r->tiers[ch->line].name);
	} else {
		k = &r->keeps[ch->line];
		w = str_put(w, "keep ");
		w = str_put(w, metric_names[k->metric]);
		*w++ = ' ';
		w = put_metric(w, k->metric, ch->value);
		w = str_put(w, ch->value >= k->threshold ? " >= " : " < ");
		w = put_metric(w, k->metric, k->threshold);
	}
	len = (size_t)(w - why);
	if (len > cut)
		len = cut;
	why[len] = '\0';
	if (ch->grace) {
		gn = snprintf(buf, n, "grace %d of %d: %.90s", ch->strikes,
		    ch->grace, why);
		return gn < 0 ? 0 : (size_t)gn < n ? (size_t)gn : n - 1;
	}
	if (len > n - 1)
		len = n - 1;
	memcpy(buf, why, len + 1);
	buf[len] = '\0';
	return len;
}

int
tierpos_start(struct tierpos *p, day_t *start, const struct rules *r,
    const struct tierstate *ts)
{
	if ((p->tier = rules_tier(r, ts->tier)) < 0)
		return -1;
	p->since = ts->since;
	p->expires = ts->expires;
	p->strikes = ts->strikes;
	p->from = ts->since + (ts->upgraded ? 1 : 0);
	*start = TIME_DAY(ts->at) + (ts->upgraded ? 1 : 0);
	return 0;
}

/* SPEC 4, step 3: the tier's period ends on day d. */
static void
expire(const struct rules *r, struct tierpos *p, day_t d,
    struct counts *c, struct tierchange *ch)
{
	int met, grace, j, line, to = p->tier, graced = 0;
	int64_t value;

	met = keep_met(r, p->tier, c, p->from, d - 1, &line, &value, &grace);
	memset(ch, 0, sizeof *ch);
	ch->day = d;
	ch->from = p->tier;
	ch->why = line < 0 ? WHY_NOKEEP : WHY_KEEP;
	ch->line = line < 0 ? p->tier : line;
	ch->value = value;
	if (met == 1) {
		ch->event = "renew";
		p->strikes = 0;
	} else if (p->strikes < grace || p->tier == 0) {
		/* grace, or nowhere lower to go */
		ch->event = "renew";
		graced = ++p->strikes <= grace;
	} else {
		ch->event = "downgrade";
		if (r->downgrade == DOWN_STEP) {
			to = p->tier - 1;
		} else {
			int g, l;
			int64_t v;

			for (to = 0, j = p->tier - 1; j > 0; j--)
				if (keep_met(r, j, c, p->from, d - 1, &l, &v,
				    &g) != 0) {
					to = j;
					break;
				}
		}
		p->strikes = 0;
	}
	p->tier = to;
	p->since = d;
	p->expires = expiry(r, to, d, p);
	p->from = d;
	ch->to = to;
	ch->since = d;
	ch->expires = p->expires;
	ch->strikes = p->strikes;
	ch->grace = graced ? grace : 0;
}

/* SPEC 4, step 2: the highest tier an upgrade line reaches on day d. */
static int
upgrade(const struct rules *r, struct tierpos *p, day_t d,
    struct counts *c, struct tierchange *ch)
{
	const struct upgrade *best = NULL;
	int64_t bestv = 0, v;
	day_t lo;
	int i;

	for (i = 0; i < r->nupgrades; i++) {
		const struct upgrade *u = &r->upgrades[i];

		if (u->from != p->tier)
			continue;
		lo = p->from;
		if (u->within && d - u->within + 1 > lo)
			lo = d - u->within + 1;
		v = metric(c, u->metric, lo, d);
		if (v >= u->threshold && (!best || u->to > best->to))
			best = u, bestv = v;
	}
	if (!best)
		return 0;
	memset(ch, 0, sizeof *ch);
	ch->day = d;
	ch->event = "upgrade";
	ch->from = p->tier;
	ch->to = best->to;
	ch->why = WHY_UPGRADE;
	ch->line = (int)(best - r->upgrades);
	ch->value = bestv;
	p->tier = best->to;
	p->since = d;
	p->expires = expiry(r, best->to, d, p);
	p->from = d + 1;
	p->strikes = 0;
	ch->since = d;
	ch->expires = p->expires;
	return 1;
}

/* Has tier an upgrade line from it? */
static int
can_rise(const struct rules *r, int tier)
{
	int i;

	for (i = 0; i < r->nupgrades; i++)
		if (r->upgrades[i].from == tier)
			return 1;
	return 0;
}

/* Only days with counts, expiries, or the day after an upgrade can change
 * anything, so the walk jumps from one such day to the next; in a tier
 * with no upgrade line from it, straight to the end of its period.  -1 +
 * vl_err when a tier period would end past year 9999. */
int
tier_walk(const struct rules *r, struct tierpos *p, day_t start, day_t upto,
    struct counts *c, void (*out)(void *, const struct tierchange *),
    void *arg)
{
	return tier_walk_to(r, p, &start, upto, 0, c, out, arg);
}

/* tier_walk in steps, for a replay that learns a sale's earned points
 * only once the walk has reached the sale (report whatif): walks the days
 * from *d that tier_walk would look at, up to upto, and leaves in *d the
 * next one.  With before_upgrade, the walk stops at upto after its expiry
 * and leaves *d at upto when it looks at that day, so that the next call
 * makes its upgrade test (the expiry is not made twice: it moves
 * p->expires past the day).  -1 + vl_err as tier_walk. */
int
tier_walk_to(const struct rules *r, struct tierpos *p, day_t *d, day_t upto,
    int before_upgrade, struct counts *c,
    void (*out)(void *, const struct tierchange *), void *arg)
{
	struct tierchange ch;
	day_t next;
	size_t i;

	while (*d <= upto) {
		next = DAY_NEVER;
		if (p->expires != DAY_NEVER && *d >= p->expires) {
			expire(r, p, *d, c, &ch);
			if (p->bad)
				return fail("a date is out of range");
			out(arg, &ch);
		}
		if (before_upgrade && *d == upto)
			return 0;
		if (upgrade(r, p, *d, c, &ch)) {
			if (p->bad)
				return fail("a date is out of range");
			out(arg, &ch);
			next = *d + 1;
		} else if (can_rise(r, p->tier)) {
			i = lower(c, *d + 1);
			if (i < c->n)
				next = c->v[i].day;
		}
		if (p->expires < next)
			next = p->expires;
		if (next <= *d)
			next = *d + 1;
		*d = next;
	}
	return 0;
}

/* report member: next_tier is the lowest tier an upgrade line from the
 * current tier reaches; needed, of the lines to it, the one with the
 * smallest share still missing (ties: the first). */
void
tier_needed(const struct rules *r, const struct tierpos *p, day_t d,
    struct counts *c, struct buf *next, struct buf *needed)
{
	const struct upgrade *best = NULL;
	int64_t bestmiss = 0, miss, v;
	int i, to = -1;
	day_t lo;
	char mb[32];

	for (i = 0; i < r->nupgrades; i++)
		if (r->upgrades[i].from == p->tier &&
		    (to < 0 || r->upgrades[i].to < to))
			to = r->upgrades[i].to;
	if (to < 0)
		return;
	for (i = 0; i < r->nupgrades; i++) {
		const struct upgrade *u = &r->upgrades[i];

		if (u->from != p->tier || u->to != to)
			continue;
		lo = p->from;
		if (u->within && d - u->within + 1 > lo)
			lo = d - u->within + 1;
		v = metric(c, u->metric, lo, d);
		if (u->metric == MET_TOTAL || u->metric == MET_POINTS)
			miss = v >= u->threshold ? 0 : u->threshold - v;
		else
			miss = v >= u->threshold ? 0 : u->threshold;
		/* miss / threshold, compared without division */
		if (!best || (wide)miss * (best->threshold ? best->threshold : 1) <
		    (wide)bestmiss * (u->threshold ? u->threshold : 1))
			best = u, bestmiss = miss;
	}
	buf_adds(next, r->tiers[to].name);
	*put_metric(mb, best->metric, bestmiss) = '\0';
	buf_addf(needed, "%s %s", metric_names[best->metric], mb);
}

/* Fills in the lowest tier for a member with no tiers.tsv row. */
void
tierstate_default(struct tierstate *s, const struct rules *r, vltime_t joined)
{
	if (s->known)
		return;
	str_copy(s->tier, sizeof s->tier, r->tiers[0].name);
	s->at = joined;
	s->since = TIME_DAY(joined);
	s->expires = DAY_NEVER;
	s->strikes = 0;
	s->upgraded = 0;
}

void
tier_at(const struct tierlog *log, vltime_t at, const struct rules *r,
    vltime_t joined, struct tierstate *out)
{
	size_t i;

	memset(out, 0, sizeof *out);
	for (i = 0; log && i < log->n; i++)
		if (log->v[i].at <= at)
			*out = log->v[i];
	tierstate_default(out, r, joined);
}
