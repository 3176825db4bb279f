/* whatif.c: report whatif RULES: the history up to the day replayed under
 * the rules in force and under RULES, side by side (SPEC section 9). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "report.h"

/*
 * A replay keeps what people did and works out again what the rules
 * decide.  Kept as recorded: the members, each sale's goods, items,
 * paid, points_used and wallet, the redeem, adjust and bonus rows of
 * points.tsv, tier-set rows (left out of a replay whose rules lack their
 * tier) and top-ups.  Worked out: each sale's earned points, with the
 * multiplier of the tier the replay gives the member at the sale;
 * referral points; available_on; the reversals of returns, by amount (a
 * share of the replayed earned points) and by items (the sale-post
 * formula over the units left, capped, as sale-return does); the tiers
 * (the walk of SPEC section 4); points expiry, whose expire rows in
 * points.tsv give way to the replay's own.  Nothing is refused: a
 * balance may go below zero.  Both columns are replays, so with RULES
 * the rules in force every change is 0.
 *
 * The tier at a sale is the tier after that day's expiry and tier-set
 * row, before its upgrade, and the walk counts earned points (the points
 * metric), so a member's replay goes in time order: the walk up to the
 * day of a sale, the sale's earned points, and on.  The days on which the
 * rows count are known before any walk (a row's date and hold_days), so
 * a member's counts are built and sorted once and only their earned
 * points are filled in as the walk reaches them.
 *
 * Memory goes by members, not by sales.  The first pass over the ledgers
 * checks every row and keeps the rows of every member while they fit in
 * GROUP_ROWS; most shops fit, and are replayed from it.  Else it only
 * counts the rows of each bucket of members (by a hash of the id), the
 * buckets are dealt into groups whose rows fit, and each group is read
 * in a pass of its own, which tells a group's rows by the hash of an id
 * alone: only those are parsed and looked up.
 */

#define GROUP_ROWS (1u << 20)	/* the rows a pass keeps, some 100 MB */
#define NBUCKETS (1u << 16)
#define NONE UINT32_MAX

enum { CUR, ALT, NREPLAYS };	/* the rules in force, and RULES */

/* The members as of the day, in the order they joined. */
struct people {
	struct strmap ids;	/* id -> place */
	vltime_t *joined;
	uint32_t *bucket;
	size_t n, cap;
};

/* A sales.tsv row kept by a pass: its member buys, or earns referral
 * points, in the pass. */
struct srow {
	vltime_t at;
	int64_t goods, paid, used;
	size_t text;		/* the sale's receipt, NUL, the items, NUL */
	int isreturn;
};

/* A sales row's place in a member's list, as buyer or as referrer. */
struct key {
	uint32_t member;
	uint32_t row;		/* file order */
	vltime_t at;
};

struct keys {
	struct key *v;
	size_t n, cap;
};

/* points.tsv rows other than expire, top-ups and tier-set rows. */
struct prow {
	uint32_t member;
	day_t avail;
	int64_t points;
};

struct trow {
	uint32_t member;
	day_t day;
	int64_t amount;
};

struct setrow {
	uint32_t member, seq;
	struct tierstate ts;
};

/* What one pass keeps: the rows of every member (all), or of the
 * buckets dealt to group g. */
struct pass {
	int all;
	uint32_t g;
	int spilt;		/* all: more rows than GROUP_ROWS, none kept */
	size_t kept;
	struct srow *rows;
	size_t nrows, caprows;
	struct buf text;
	struct keys buy, ref;
	struct prow *pts;
	size_t npts, cappts;
	struct trow *tops;
	size_t ntops, captops;
	struct setrow *sets;
	size_t nsets, capsets;
};

/* One replay's rules and totals. */
struct replay {
	struct rules r;
	wide_t earned, referral, expired, avail, pending;
	int64_t members[RULES_MAXT];
};

struct whatif {
	struct report *rp;
	struct store st;
	struct people people;
	uint32_t *group;	/* each bucket's group */
	off_t checked[NLEDGERS];	/* checked by the first pass */
	struct replay rep[NREPLAYS];
};

/* ---- reading ---- */

/* A member's bucket: the id's hash, mixed (ids like M000123 differ in
 * few bits), so that the buckets share out the members evenly. */
static uint32_t
bucket_of(const char *id)
{
	uint64_t h = hash_str(id);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h & (NBUCKETS - 1);
}

static void
people_load(struct whatif *w)
{
	struct people *pe = &w->people;
	struct tsv t;
	vltime_t at;

	tsv_ledger(&t, w->rp->vl, &L_MEMBERS);
	while (tsv_row(&t, &L_MEMBERS)) {
		if ((at = tsv_time(&t, M_AT)) > w->rp->upto ||
		    strmap_get(&pe->ids, t.f[M_MEMBER]))
			continue;
		if (pe->n == pe->cap) {
			pe->cap = pe->cap ? 2 * pe->cap : 1024;
			pe->joined = erealloc(pe->joined, pe->cap *
			    sizeof *pe->joined);
			pe->bucket = erealloc(pe->bucket, pe->cap *
			    sizeof *pe->bucket);
		}
		pe->joined[pe->n] = at;
		pe->bucket[pe->n] = bucket_of(t.f[M_MEMBER]);
		strmap_put(&pe->ids, t.f[M_MEMBER], pe->n++);
	}
	if (tsv_close(&t) < 0)
		die_last();
}

/* The place of a member whose rows the pass keeps, else NONE (also for
 * an id that is no member as of the day). */
static uint32_t
place(const struct whatif *w, const struct pass *p, const char *id)
{
	size_t *ix;

	if (!*id || p->spilt || (!p->all && w->group[bucket_of(id)] != p->g))
		return NONE;
	ix = strmap_get(&w->people.ids, id);
	return ix ? (uint32_t)*ix : NONE;
}

static int
mine(const struct whatif *w, const struct pass *p, uint32_t m)
{
	return p->all || w->group[w->people.bucket[m]] == p->g;
}

/* Ledger l of the store, from its start; rows the first pass checked are
 * only split. */
static void
ledger_open(struct whatif *w, int l, struct tsv *t)
{
	store_ledger(&w->st, l, t);
	if (t->checked < w->checked[l])
		t->checked = w->checked[l];
}

static void
ledger_done(struct whatif *w, int l, struct tsv *t)
{
	if (l >= 0 && t->off > w->checked[l])
		w->checked[l] = t->off;
	if (tsv_close(t) < 0)
		die_last();
}

static void
key_add(struct keys *k, uint32_t member, uint32_t row, vltime_t at)
{
	if (k->n == k->cap)
		k->v = erealloc(k->v, (k->cap = k->cap ? 2 * k->cap : 1024) *
		    sizeof *k->v);
	k->v[k->n++] = (struct key){ member, row, at };
}

#define GROW(v, n, cap) do { if ((n) == (cap)) (v) = erealloc((v), \
	((cap) = (cap) ? 2 * (cap) : 256) * sizeof *(v)); } while (0)

static void
pass_free(struct pass *p)
{
	free(p->rows);
	buf_free(&p->text);
	free(p->buy.v);
	free(p->ref.v);
	free(p->pts);
	free(p->tops);
	free(p->sets);
	p->rows = NULL, p->buy.v = p->ref.v = NULL, p->pts = NULL;
	p->tops = NULL, p->sets = NULL;
	p->nrows = p->caprows = p->buy.n = p->buy.cap = 0;
	p->ref.n = p->ref.cap = p->npts = p->cappts = 0;
	p->ntops = p->captops = p->nsets = p->capsets = 0;
}

/* One more row kept: past GROUP_ROWS, the first pass keeps none. */
static void
kept(struct pass *p)
{
	if (++p->kept > GROUP_ROWS && p->all && !p->spilt) {
		pass_free(p);
		p->spilt = 1;
	}
}

static void
tally(uint32_t *count, const char *id)
{
	if (count && *id)
		count[bucket_of(id)]++;
}

/* One pass over the ledgers, keeping the rows of the pass's members as
 * of the day; with count, the rows of each bucket are counted too. */
static void
pass_read(struct whatif *w, struct pass *p, uint32_t *count)
{
	vltime_t upto = w->rp->upto;
	struct tsv t;
	uint32_t b, r;

	ledger_open(w, SALES, &t);
	while (tsv_row(&t, &L_SALES)) {
		vltime_t at;
		int isret;
		struct srow *s;

		b = place(w, p, t.f[S_MEMBER]);
		r = place(w, p, t.f[S_REFERRER]);
		if (!count && b == NONE && r == NONE)
			continue;	/* another group's row */
		if ((at = tsv_time(&t, S_AT)) > upto)
			continue;
		tally(count, t.f[S_MEMBER]);
		tally(count, t.f[S_REFERRER]);
		if (b == NONE && r == NONE)
			continue;
		isret = tsv_field_is(&t, S_KIND, "return");
		GROW(p->rows, p->nrows, p->caprows);
		s = &p->rows[p->nrows];
		*s = (struct srow){ at, tsv_money(&t, S_GOODS),
		    tsv_money(&t, S_PAID), tsv_int(&t, S_POINTS_USED),
		    p->text.n, isret };
		buf_add(&p->text, t.f[isret ? S_SALE : S_RECEIPT],
		    t.fl[isret ? S_SALE : S_RECEIPT] + 1);
		buf_add(&p->text, t.f[S_ITEMS], t.fl[S_ITEMS] + 1);
		if (b != NONE)
			key_add(&p->buy, b, (uint32_t)p->nrows, at);
		if (r != NONE)
			key_add(&p->ref, r, (uint32_t)p->nrows, at);
		p->nrows++;
		kept(p);
	}
	ledger_done(w, SALES, &t);

	ledger_open(w, POINTS, &t);
	while (tsv_row(&t, &L_POINTS)) {
		if (tsv_time(&t, P_AT) > upto ||
		    tsv_field_is(&t, P_KIND, "expire"))
			continue;
		tally(count, t.f[P_MEMBER]);
		if ((b = place(w, p, t.f[P_MEMBER])) == NONE)
			continue;
		GROW(p->pts, p->npts, p->cappts);
		p->pts[p->npts++] = (struct prow){ b,
		    tsv_date(&t, P_AVAILABLE_ON), tsv_int(&t, P_POINTS) };
		kept(p);
	}
	ledger_done(w, POINTS, &t);

	ledger_open(w, TIERS, &t);
	while (tsv_row(&t, &L_TIERS)) {
		vltime_t at = tsv_time(&t, T_AT);
		struct tierstate *ts;

		if (at > upto || !tsv_field_is(&t, T_EVENT, "set"))
			continue;
		tally(count, t.f[T_MEMBER]);
		if ((b = place(w, p, t.f[T_MEMBER])) == NONE)
			continue;
		GROW(p->sets, p->nsets, p->capsets);
		memset(&p->sets[p->nsets], 0, sizeof *p->sets);
		p->sets[p->nsets].member = b;
		p->sets[p->nsets].seq = (uint32_t)p->nsets;
		ts = &p->sets[p->nsets++].ts;
		/* as tier-set wrote it: a renewal from its day */
		snprintf(ts->tier, sizeof ts->tier, "%s", t.f[T_TO]);
		ts->at = at;
		ts->since = t.fl[T_SINCE] ? tsv_date(&t, T_SINCE) : TIME_DAY(at);
		ts->expires = t.fl[T_EXPIRES] ? tsv_date(&t, T_EXPIRES) :
		    DAY_NEVER;
		ts->strikes = (int)tsv_int(&t, T_STRIKES);
		ts->known = 1;
		kept(p);
	}
	ledger_done(w, TIERS, &t);

	/* wallet.tsv is not in the store: read by name, checked each pass */
	tsv_ledger(&t, w->rp->vl, &L_WALLET);
	while (tsv_row(&t, &L_WALLET)) {
		vltime_t at = tsv_time(&t, W_AT);

		if (at > upto || !tsv_field_is(&t, W_KIND, "topup"))
			continue;
		tally(count, t.f[W_MEMBER]);
		if ((b = place(w, p, t.f[W_MEMBER])) == NONE)
			continue;
		GROW(p->tops, p->ntops, p->captops);
		p->tops[p->ntops++] = (struct trow){ b, TIME_DAY(at),
		    tsv_money(&t, W_AMOUNT) };
		kept(p);
	}
	ledger_done(w, -1, &t);
}

static int
bykey(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int
bypmember(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;

	return x->member < y->member ? -1 : x->member > y->member;
}

static int
bytmember(const void *a, const void *b)
{
	const struct trow *x = a, *y = b;

	return x->member < y->member ? -1 : x->member > y->member;
}

static int
byset(const void *a, const void *b)
{
	const struct setrow *x = a, *y = b;

	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	if (x->ts.at != y->ts.at)
		return x->ts.at < y->ts.at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- a member's rows, made ready for both replays ---- */

/* A row where the member buys. */
struct brow {
	const struct srow *s;
	const char *receipt;	/* the sale's */
	day_t day;		/* the row's date */
	long sale;		/* a return: its sale's place here, -1: none */
	struct item *items;	/* a sale: its items; a return by items: the
				   units of its sale left after it */
	size_t nitems;
	int64_t units;		/* a sale: full-price units */
	int64_t g1;		/* a return by items: the goods left */
	int byitems;
	int64_t *back;		/* a sale: units returned by items so far */
};

/* A row where she earns referral points. */
struct rrow {
	const struct srow *s;
	day_t day;
	long sale;
};

/* A member's rows in one pass. */
struct book {
	uint32_t m;
	struct brow *buy;
	size_t nbuy;
	struct rrow *ref;
	size_t nref;
	const struct prow *pts;
	size_t npts;
	const struct trow *tops;
	size_t ntops;
	const struct setrow *sets;
	size_t nsets;
};

/* Items match when PRICE, LIST, DISC and SKU do, as sale-return has it. */
static int
item_match(const struct item *a, const struct item *b)
{
	struct item x = *a;

	x.qty = b->qty;
	return items_equal(&x, 1, b, 1);
}

/* A return by items: takes its units from those of the sale still there
 * (a ledger that names more than the sale had gives what there is), and
 * keeps the units left and their goods. */
static void
items_left(struct brow *sale, struct brow *ret, const char *text)
{
	struct item *v;
	size_t n, i, j;
	int64_t q, take;

	if (!sale->back)
		sale->back = ecalloc(sale->nitems + 1, sizeof *sale->back);
	if (items_parse(text, strlen(text), &v, &n) == 0)
		for (i = 0; i < n; i++)
			for (q = v[i].qty, j = 0; j < sale->nitems && q > 0;
			    j++) {
				if (!item_match(&v[i], &sale->items[j]))
					continue;
				take = sale->items[j].qty - sale->back[j];
				if (take > q)
					take = q;
				if (take > 0)
					sale->back[j] += take, q -= take;
			}
	free(v);
	ret->items = ecalloc(sale->nitems + 1, sizeof *ret->items);
	for (j = 0; j < sale->nitems; j++)
		if (sale->items[j].qty > sale->back[j]) {
			ret->items[ret->nitems] = sale->items[j];
			ret->items[ret->nitems++].qty = sale->items[j].qty -
			    sale->back[j];
			ret->g1 += (sale->items[j].qty - sale->back[j]) *
			    item_unit_paid(&sale->items[j]);
		}
}

/* Links each return to its sale among the rows before it, by receipt. */
static void
link_sales(struct strmap *sales, const char *receipt, int isreturn,
    size_t i, long *sale)
{
	size_t *ix;

	*sale = -1;
	if (!isreturn)
		strmap_put(sales, receipt, i);
	else if ((ix = strmap_get(sales, receipt)))
		*sale = (long)*ix;
}

static void
book_ready(const struct pass *p, struct book *bk, const struct key *buy,
    const struct key *ref)
{
	struct strmap sales = { 0 };
	size_t i;

	bk->buy = ecalloc(bk->nbuy + 1, sizeof *bk->buy);
	for (i = 0; i < bk->nbuy; i++) {
		struct brow *b = &bk->buy[i];
		const char *items;

		b->s = &p->rows[buy[i].row];
		b->receipt = p->text.p + b->s->text;
		items = b->receipt + strlen(b->receipt) + 1;
		b->day = TIME_DAY(b->s->at);
		link_sales(&sales, b->receipt, b->s->isreturn, i, &b->sale);
		if (!b->s->isreturn) {
			/* checked when read: a sale without items earns 0 */
			if (items_parse(items, strlen(items), &b->items,
			    &b->nitems) < 0)
				b->nitems = 0;
			b->units = item_fullprice_units(b->items, b->nitems);
		} else if (*items && b->sale >= 0) {
			b->byitems = 1;
			items_left(&bk->buy[b->sale], b, items);
		}
	}
	strmap_free(&sales);
	bk->ref = ecalloc(bk->nref + 1, sizeof *bk->ref);
	for (i = 0; i < bk->nref; i++) {
		struct rrow *r = &bk->ref[i];

		r->s = &p->rows[ref[i].row];
		r->day = TIME_DAY(r->s->at);
		link_sales(&sales, p->text.p + r->s->text, r->s->isreturn, i,
		    &r->sale);
	}
	strmap_free(&sales);
}

static void
book_free(struct book *bk)
{
	size_t i;

	for (i = 0; i < bk->nbuy; i++) {
		free(bk->buy[i].items);
		free(bk->buy[i].back);
	}
	free(bk->buy);
	free(bk->ref);
}

/* ---- one member's replay under one rules ---- */

/* A buying row in a replay. */
struct bstate {
	day_t avail;		/* available_on: the day it counts */
	int64_t earned;		/* a sale's, or a return's reversal */
	int64_t left, goods;	/* a sale: its earned and goods after the
				   returns so far */
	int64_t mult;		/* a sale: the multiplier of its tier */
	size_t count;		/* its place in the sorted counts */
};

/* The walk of SPEC section 4 over a member's counts, whose earned points
 * are filled in as it goes: it reads the prefix sums of earned points
 * only up to the counts of the day it looks at, so they are made good up
 * to that day before each step. */
struct walk {
	const struct rules *r;
	struct counts c;
	struct tierpos pos;
	day_t next;		/* the next day the walk looks at */
	size_t summed;		/* sumearned holds up to this count */
};

static void
no_row(void *arg, const struct tierchange *ch)
{
	(void)arg;
	(void)ch;
}

static void
walk_to(struct walk *wk, day_t d, int before_upgrade)
{
	size_t lo = 0, hi = wk->c.n, mid;

	while (lo < hi) {	/* the first count after day d */
		mid = (lo + hi) / 2;
		if (wk->c.v[mid].day <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; wk->summed < lo; wk->summed++)
		wk->c.sumearned[wk->summed + 1] = wk->c.sumearned[wk->summed] +
		    wk->c.v[wk->summed].earned;
	if (tier_walk_to(wk->r, &wk->pos, &wk->next, d, before_upgrade,
	    &wk->c, no_row, NULL) < 0)
		die_last();
}

static void
earned_set(struct walk *wk, size_t i, int64_t earned)
{
	wk->c.v[i].earned = earned;
	if (i < wk->summed)
		wk->summed = i;
}

static void
walk_start(struct walk *wk, const struct rules *r, vltime_t joined)
{
	struct tierstate ts;

	memset(&ts, 0, sizeof ts);
	tierstate_default(&ts, r, joined);
	(void)tierpos_start(&wk->pos, &wk->next, r, &ts);
}

/* Counts are sorted by day, ties in the order they were added. */
struct rank {
	day_t day;
	size_t i;
};

static int
byrank(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static struct count *
count_new(struct counts *c, day_t day)
{
	struct count *k;

	GROW(c->v, c->n, c->cap);
	k = &c->v[c->n++];
	memset(k, 0, sizeof *k);
	k->day = day;
	return k;
}

/* The counts of the member's rows, on their replayed days. */
static void
counts_build(struct walk *wk, const struct book *bk, struct bstate *st)
{
	struct rank *rk;
	size_t i;

	for (i = 0; i < bk->nbuy; i++) {
		const struct brow *b = &bk->buy[i];
		struct count *k;

		if (!b->s->isreturn)
			st[i].avail = b->day + wk->r->hold_days;
		else if (b->sale >= 0 && st[b->sale].avail > b->day)
			st[i].avail = st[b->sale].avail;
		else
			st[i].avail = b->day;
		k = count_new(&wk->c, st[i].avail);
		k->paid = b->s->paid;
		k->goods = b->s->goods;
		k->units = b->units;
		k->isreturn = b->s->isreturn;
		k->receipt = estrdup(b->receipt);
	}
	for (i = 0; i < bk->ntops; i++)
		count_new(&wk->c, bk->tops[i].day)->topup = bk->tops[i].amount;
	rk = ecalloc(wk->c.n + 1, sizeof *rk);
	for (i = 0; i < wk->c.n; i++)
		rk[i] = (struct rank){ wk->c.v[i].day, i };
	sort(rk, wk->c.n, sizeof *rk, byrank);
	for (i = 0; i < wk->c.n; i++)
		if (rk[i].i < bk->nbuy)
			st[rk[i].i].count = i;
	free(rk);
	counts_sort(&wk->c);
	wk->summed = wk->c.n;	/* every earned is 0 so far */
}

/* A buying row's earned points, the tier at its sale in wk. */
static void
row_earned(struct walk *wk, const struct book *bk, struct bstate *st,
    size_t i)
{
	const struct rules *r = wk->r;
	const struct brow *b = &bk->buy[i], *sb;
	struct bstate *ss;
	int64_t left, used1, value1;

	if (!b->s->isreturn) {
		st[i].mult = r->tiers[wk->pos.tier].mult;
		st[i].earned = sale_earned(r, b->items, b->nitems, b->s->paid,
		    st[i].mult);
		st[i].left = st[i].earned;
		st[i].goods = b->s->goods;
	} else if (b->sale >= 0) {
		sb = &bk->buy[b->sale];
		ss = &st[b->sale];
		ss->goods += b->s->goods;
		if (!b->byitems) {
			left = share_left(ss->earned, ss->goods, sb->s->goods);
		} else {
			/* paid of the units left: their goods less the value
			 * of the points still used, a share of the sale's */
			used1 = share_left(sb->s->used, b->g1, sb->s->goods);
			value1 = sb->s->used == 0 ? 0 : share_left(sb->s->goods -
			    sb->s->paid, used1, sb->s->used);
			left = sale_earned(r, b->items, b->nitems,
			    b->g1 - value1, ss->mult);
			if (left > ss->left)
				left = ss->left;
		}
		st[i].earned = left - ss->left;
		ss->left = left;
	}
	earned_set(wk, st[i].count, st[i].earned);
}

/* SPEC-DETAILS "Points expiry": credits expire expire_months after their
 * available_on, the oldest spent first; on each day E on which some
 * expire, the points expired so far become the larger of themselves and
 * the credits expiring by E less the debits dated before E.  What has
 * expired by day d. */
static int
bymove(const void *a, const void *b)
{
	const struct movement *x = a, *y = b;

	return x->avail < y->avail ? -1 : x->avail > y->avail;
}

static wide_t
expired_by(const struct rules *r, struct history *credits,
    struct history *debits, day_t d)
{
	wide_t credit = 0, debit = 0, expired = 0;
	size_t i = 0, j = 0;
	day_t e;

	for (i = 0; i < credits->n; i++)
		credits->v[i].avail = date_add_months(credits->v[i].avail,
		    r->expire_months);
	sort(credits->v, credits->n, sizeof *credits->v, bymove);
	sort(debits->v, debits->n, sizeof *debits->v, bymove);
	for (i = 0; i < credits->n && (e = credits->v[i].avail) <= d; ) {
		for (; i < credits->n && credits->v[i].avail == e; i++)
			credit += credits->v[i].credit;
		for (; j < debits->n && debits->v[j].avail < e; j++)
			debit += debits->v[j].credit;
		if (credit - debit > expired)
			expired = credit - debit;
	}
	return expired;
}

/* Points into the balances: available or pending on day d, and, when
 * they expire, as a credit or a debit. */
struct purse {
	wide_t avail, pending;
	struct history credits, debits;
};

static void
purse_add(struct purse *pu, day_t avail, day_t d, int64_t points)
{
	if (avail <= d)
		pu->avail += points;
	else
		pu->pending += points;
	if (points > 0)
		history_add(&pu->credits, 0, avail, points, 0);
	else if (points < 0)
		history_add(&pu->debits, 0, avail, -points, 0);
}

/* Referral points: the referee's paid at the replay's referral_pct and
 * redeem_rate, a return taking back a share as sale-return does. */
static void
referrals(struct replay *rp, const struct book *bk, day_t d,
    struct purse *pu)
{
	const struct rules *r = &rp->r;
	struct {
		day_t avail;
		int64_t left, goods;
	} *st = ecalloc(bk->nref + 1, sizeof *st);
	size_t i;
	int64_t points, left;

	for (i = 0; i < bk->nref; i++) {
		const struct rrow *rr = &bk->ref[i];

		if (!rr->s->isreturn) {
			st[i].avail = rr->day + r->hold_days;
			points = st[i].left = sale_referral(r, rr->s->paid);
			st[i].goods = rr->s->goods;
		} else if (rr->sale >= 0) {
			const struct rrow *sr = &bk->ref[rr->sale];

			st[i].avail = st[rr->sale].avail > rr->day ?
			    st[rr->sale].avail : rr->day;
			st[rr->sale].goods += rr->s->goods;
			left = share_left(sale_referral(r, sr->s->paid),
			    st[rr->sale].goods, sr->s->goods);
			points = left - st[rr->sale].left;
			st[rr->sale].left = left;
		} else {
			st[i].avail = rr->day;
			points = 0;
		}
		rp->referral += points;
		purse_add(pu, st[i].avail, d, points);
	}
	free(st);
}

static void
replay_member(struct whatif *w, struct replay *rp, const struct book *bk)
{
	const struct rules *r = &rp->r;
	struct bstate *st = ecalloc(bk->nbuy + 1, sizeof *st);
	struct walk wk;
	struct purse pu;
	day_t d = w->rp->asof, day;
	size_t i = 0, j = 0;

	memset(&wk, 0, sizeof wk);
	memset(&pu, 0, sizeof pu);
	wk.r = r;
	walk_start(&wk, r, w->people.joined[bk->m]);
	counts_build(&wk, bk, st);
	/* day by day: a tier-set row, then the sales of the day at the
	 * tier the walk gives before that day's upgrade */
	while (i < bk->nbuy || j < bk->nsets) {
		if (j < bk->nsets && (i == bk->nbuy ||
		    TIME_DAY(bk->sets[j].ts.at) <= bk->buy[i].day)) {
			const struct tierstate *ts = &bk->sets[j++].ts;
			struct tierpos pos;
			day_t start;

			walk_to(&wk, TIME_DAY(ts->at), 1);
			if (tierpos_start(&pos, &start, r, ts) == 0)
				wk.pos = pos, wk.next = start;
			continue;
		}
		day = bk->buy[i].day;
		walk_to(&wk, day, 1);
		for (; i < bk->nbuy && bk->buy[i].day == day; i++)
			row_earned(&wk, bk, st, i);
	}
	walk_to(&wk, d, 0);
	rp->members[wk.pos.tier]++;
	counts_free(&wk.c);

	for (i = 0; i < bk->nbuy; i++) {
		const struct brow *b = &bk->buy[i];

		rp->earned += st[i].earned;
		purse_add(&pu, st[i].avail, d, st[i].earned);
		/* points used are a debit on the row's date; a return's,
		 * given back, lowers the debits */
		pu.avail -= b->s->used;
		if (b->s->used != 0)
			history_add(&pu.debits, 0, b->day, b->s->used, 0);
	}
	referrals(rp, bk, d, &pu);
	for (i = 0; i < bk->npts; i++)
		if (bk->pts[i].avail <= d)
			purse_add(&pu, bk->pts[i].avail, d, bk->pts[i].points);
	if (r->expire_months > 0) {
		wide_t x = expired_by(r, &pu.credits, &pu.debits, d);

		rp->expired += x;
		pu.avail -= x;
	}
	rp->avail += pu.avail;
	rp->pending += pu.pending;
	free(pu.credits.v);
	free(pu.debits.v);
	free(st);
}

/* Every member of the pass, her rows found in its sorted lists. */
static void
pass_replay(struct whatif *w, struct pass *p)
{
	size_t b = 0, r = 0, pt = 0, tp = 0, s = 0, k;
	uint32_t m;

	sort(p->buy.v, p->buy.n, sizeof *p->buy.v, bykey);
	sort(p->ref.v, p->ref.n, sizeof *p->ref.v, bykey);
	sort(p->pts, p->npts, sizeof *p->pts, bypmember);
	sort(p->tops, p->ntops, sizeof *p->tops, bytmember);
	sort(p->sets, p->nsets, sizeof *p->sets, byset);
	for (m = 0; m < w->people.n; m++) {
		struct book bk = { m, NULL, 0, NULL, 0, NULL, 0, NULL, 0,
		    NULL, 0 };
		size_t b0 = b, r0 = r;

		if (!mine(w, p, m))
			continue;	/* none of her rows is here */
		for (; b < p->buy.n && p->buy.v[b].member == m; b++)
			bk.nbuy++;
		for (; r < p->ref.n && p->ref.v[r].member == m; r++)
			bk.nref++;
		for (bk.pts = p->pts + pt; pt < p->npts &&
		    p->pts[pt].member == m; pt++)
			bk.npts++;
		for (bk.tops = p->tops + tp; tp < p->ntops &&
		    p->tops[tp].member == m; tp++)
			bk.ntops++;
		for (bk.sets = p->sets + s; s < p->nsets &&
		    p->sets[s].member == m; s++)
			bk.nsets++;
		book_ready(p, &bk, p->buy.v + b0, p->ref.v + r0);
		for (k = 0; k < NREPLAYS; k++)
			replay_member(w, &w->rep[k], &bk);
		book_free(&bk);
	}
}

/* ---- the view ---- */

static void
measure(struct buf *b, const char *name, wide_t cur, wide_t alt, int money)
{
	char c[48], a[48], x[48];

	buf_addf(b, "%s\t%s\t%s\t%s\n", name, wide_fmt(cur, money, c),
	    wide_fmt(alt, money, a), wide_fmt(alt - cur, money, x));
}

/* Available points in money, rounded down (toward minus infinity). */
static wide_t
value_of(const struct replay *rp)
{
	wide_t v = rp->avail * 100 / rp->r.redeem_rate;

	if (v * rp->r.redeem_rate > rp->avail * 100)
		v--;
	return v;
}

static int64_t
members_in(const struct replay *rp, const char *tier)
{
	int t = rules_tier(&rp->r, tier);

	return t < 0 ? 0 : rp->members[t];
}

/* The first pass keeps every member's rows if they fit; else each group
 * of buckets, whose rows fit, is a pass of its own. */
static void
replay_all(struct whatif *w)
{
	uint32_t *count = ecalloc(NBUCKETS, sizeof *count), b, g = 0;
	uint64_t rows = 0;
	struct pass p;

	memset(&p, 0, sizeof p);
	p.all = 1;
	pass_read(w, &p, count);
	if (!p.spilt) {
		pass_replay(w, &p);
		pass_free(&p);
		free(count);
		return;
	}
	w->group = ecalloc(NBUCKETS, sizeof *w->group);
	for (b = 0; b < NBUCKETS; b++) {
		if (rows > 0 && rows + count[b] > GROUP_ROWS)
			g++, rows = 0;
		w->group[b] = g;
		rows += count[b];
	}
	for (b = 0; b <= g; b++) {
		memset(&p, 0, sizeof p);
		p.g = b;
		pass_read(w, &p, NULL);
		pass_replay(w, &p);
		pass_free(&p);
	}
	free(count);
}

int
report_whatif(struct report *rp, const char *rulesfile)
{
	struct whatif *w = ecalloc(1, sizeof *w);
	const struct rules *cur = &w->rep[CUR].r, *alt = &w->rep[ALT].r;
	struct buf line = { 0 }, name = { 0 };
	int i;

	w->rp = rp;
	if (rules_load(rp->vl, &w->rep[CUR].r) < 0 ||
	    rules_load_file(rulesfile, &w->rep[ALT].r) < 0)
		die_last();
	people_load(w);
	if (store_open(&w->st, rp->vl, 0) < 0)
		die_last();
	replay_all(w);
	store_close(&w->st);

	out_header(&rp->out, "measure\tcurrent\twhatif\tchange\n");
	for (i = 0; i < cur->ntiers + alt->ntiers; i++) {
		const char *t = i < cur->ntiers ? cur->tiers[i].name :
		    alt->tiers[i - cur->ntiers].name;

		if (i >= cur->ntiers && rules_tier(cur, t) >= 0)
			continue;	/* shown with the rules in force */
		name.n = 0;
		buf_addf(&name, "members:%s", t);
		measure(&line, name.p, members_in(&w->rep[CUR], t),
		    members_in(&w->rep[ALT], t), 0);
	}
	measure(&line, "earned", w->rep[CUR].earned, w->rep[ALT].earned, 0);
	measure(&line, "referral", w->rep[CUR].referral, w->rep[ALT].referral,
	    0);
	measure(&line, "expired", w->rep[CUR].expired, w->rep[ALT].expired, 0);
	measure(&line, "available", w->rep[CUR].avail, w->rep[ALT].avail, 0);
	measure(&line, "pending", w->rep[CUR].pending, w->rep[ALT].pending, 0);
	measure(&line, "value", value_of(&w->rep[CUR]), value_of(&w->rep[ALT]),
	    1);
	out_line(&rp->out, line.p, line.n);
	buf_free(&line);
	buf_free(&name);
	strmap_free(&w->people.ids);
	free(w->people.joined);
	free(w->people.bucket);
	free(w->group);
	free(w);
	return E_OK;
}
