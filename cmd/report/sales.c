/* sales.c: report sales, changes and rules. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "report.h"

struct agg {
	char *key;
	int64_t sales, returns, members;
	wide_t goods, paid, earned, used;
	int rank;		/* --by tier: the tier's place in rules.conf */
};

static int
byagg(const void *a, const void *b)
{
	const struct agg *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* (key, member) pairs seen, to count each key's distinct members: a set
 * of integers, where strings would cost a formatted key a row. */
struct pairset {
	uint64_t *v;
	size_t n, cap;
};

/* 1 when pair is new. */
static int
pair_add(struct pairset *ps, uint64_t pair)
{
	uint64_t h, *old;
	size_t i, oldcap;

	if (2 * (ps->n + 1) > ps->cap) {
		old = ps->v;
		oldcap = ps->cap;
		ps->cap = oldcap ? 2 * oldcap : 1024;
		ps->v = ecalloc(ps->cap, sizeof *ps->v);
		ps->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i])
				pair_add(ps, old[i] - 1);
		free(old);
	}
	h = (pair + 1) * 0x9e3779b97f4a7c15ULL;
	for (i = (size_t)(h >> 20) & (ps->cap - 1); ps->v[i];
	    i = (i + 1) & (ps->cap - 1))
		if (ps->v[i] == pair + 1)
			return 0;
	ps->v[i] = pair + 1;
	ps->n++;
	return 1;
}

/* The figures by key, as they are added up. */
struct sums {
	const struct report *rp;
	const struct rules *rules;
	struct store *st;
	const char *by;
	int col;		/* the column of the key; -1: a date */
	struct strmap keys, mids;
	struct pairset seen;
	struct agg *v;
	size_t n, cap;
	uint64_t nextmid;	/* members the index does not know */
};

/* One row: the day it counts on, its key text for a column (or NULL),
 * and its member, as a number the same for her whether the row is one
 * the index gave or one read from the ledger. */
static void
sum_row(struct sums *sm, day_t day, const char *colkey, int isreturn,
    int64_t goods, int64_t paid, int64_t earned, int64_t used,
    uint64_t member)
{
	const struct report *rp = sm->rp;
	char key[16];
	const char *k = colkey;
	struct agg *a;
	size_t *ix;

	if (day > rp->asof || (rp->has_from && day < rp->from) ||
	    (rp->has_to && day > rp->to))
		return;
	if (!k) {
		k = date_fmt(day, key);
		key[strcmp(sm->by, "month") ? 10 : 7] = '\0';
	}
	if (!(ix = strmap_get(&sm->keys, k))) {
		if (sm->n == sm->cap)
			sm->v = erealloc(sm->v, (sm->cap = sm->cap ? 2 * sm->cap :
			    64) * sizeof *sm->v);
		sm->v[sm->n] = (struct agg){ estrdup(k), 0, 0, 0, 0, 0, 0, 0,
		    0 };
		if (sm->col == S_TIER && (sm->v[sm->n].rank =
		    rules_tier(sm->rules, k)) < 0)
			sm->v[sm->n].rank = sm->rules->ntiers;
		ix = strmap_put(&sm->keys, k, sm->n++);
	}
	a = &sm->v[*ix];
	if (isreturn)
		a->returns++;
	else
		a->sales++;
	a->goods += goods;
	a->paid += paid;
	a->earned += earned;
	a->used += used;
	if (pair_add(&sm->seen, (uint64_t)*ix << 32 | member))
		a->members++;
}

static void
sum_rec(void *arg, const struct salerec *r)
{
	sum_row(arg, TIME_DAY(r->at), NULL, r->isreturn, r->goods, r->paid,
	    r->earned, r->used, r->member);
}

/* A member read from the ledger: her place in the index, or a number
 * past every place it has. */
static uint64_t
member_number(struct sums *sm, const char *id)
{
	size_t *mx;
	long slot;

	if ((mx = strmap_get(&sm->mids, id)))
		return *mx;
	slot = store_slot(sm->st, id);
	return *strmap_put(&sm->mids, id, slot >= 0 ? (size_t)slot :
	    (size_t)(sm->nextmid++));
}

static void
sum_rows(struct sums *sm, struct tsv *t)
{
	while (tsv_row(t, &L_SALES))
		sum_row(sm, TIME_DAY(tsv_time(t, S_AT)), sm->col >= 0 ?
		    t->f[sm->col] : NULL, strcmp(t->f[S_KIND], "return") == 0,
		    tsv_money(t, S_GOODS), tsv_money(t, S_PAID),
		    tsv_int(t, S_EARNED), tsv_int(t, S_POINTS_USED),
		    member_number(sm, t->f[S_MEMBER]));
	if (tsv_close(t) < 0)
		die_last();
}

/*
 * By day or month, from the index, when sales.tsv is in time order (as
 * the programs write it): two threads add up halves of the index's rows,
 * each key's distinct members counted with the last key each member was
 * seen in, which holds while keys only grow; the halves are joined at
 * the key they share, then the rows past the index are added.  Rows out
 * of order, or of a member the index lacks, send the report back to the
 * set of pairs.
 */
struct dkey {
	uint32_t key;		/* a day + DKEY_DAY, or a month */
	int64_t sales, returns, members;
	wide_t goods, paid, earned, used;
};
#define DKEY_DAY 800000		/* day numbers from 0001-01-01 on, above 0 */

struct dsum {
	const struct report *rp;
	struct store *st;
	int month;
	uint64_t n;		/* members of the index */
	uint64_t lo, hi;	/* its rows added up here */
	uint32_t *first, *last;	/* by member: key + 1 first and last seen */
	struct dkey *v;
	size_t nv, cap;
	int seen;		/* a row; the day of the first and the last */
	day_t firstday, lastday;
	int lastin;		/* the last counts: in --from, --to and as-of */
	int disorder;		/* a day before the one before; a stranger */
	int rc;
	struct vl_said said;	/* why, when the scan's rc is -1 */
};

static uint32_t
day_key(const struct dsum *ds, day_t day)
{
	int y, m, d;

	if (!ds->month)
		return (uint32_t)(day + DKEY_DAY);
	date_split(day, &y, &m, &d);
	return (uint32_t)(y * 12 + m - 1);
}

static struct dkey *
dkey_add(struct dsum *ds, uint32_t key)
{
	if (ds->nv == ds->cap)
		ds->v = erealloc(ds->v, (ds->cap = ds->cap ? 2 * ds->cap : 64) *
		    sizeof *ds->v);
	memset(&ds->v[ds->nv], 0, sizeof *ds->v);
	ds->v[ds->nv].key = key;
	return &ds->v[ds->nv++];
}

/* One row of the member at place mem in the index (UINT64_MAX: none). */
static void
dsum_row(struct dsum *ds, day_t day, int isreturn, int64_t goods,
    int64_t paid, int64_t earned, int64_t used, uint64_t mem)
{
	const struct report *rp = ds->rp;
	struct dkey *k;
	uint32_t key;

	if (!ds->seen || day != ds->lastday) {
		if (!ds->seen)
			ds->firstday = day;
		else if (day < ds->lastday)
			ds->disorder = 1;
		ds->seen = 1;
		ds->lastday = day;
		ds->lastin = !(day > rp->asof || (rp->has_from &&
		    day < rp->from) || (rp->has_to && day > rp->to));
		key = day_key(ds, day);
		if (ds->lastin && (ds->nv == 0 || ds->v[ds->nv - 1].key != key))
			dkey_add(ds, key);
	}
	if (!ds->lastin || ds->disorder)
		return;
	if (mem >= ds->n) {
		ds->disorder = 1;
		return;
	}
	k = &ds->v[ds->nv - 1];
	if (isreturn)
		k->returns++;
	else
		k->sales++;
	k->goods += goods;
	k->paid += paid;
	k->earned += earned;
	k->used += used;
	if (ds->last[mem] != k->key + 1) {
		if (ds->first && !ds->last[mem])
			ds->first[mem] = k->key + 1;
		ds->last[mem] = k->key + 1;
		k->members++;
	}
}

static void
dsum_rows(void *arg, const struct ixrow *v, size_t n)
{
	struct dsum *ds = arg;
	const struct ixrow *r;

	for (r = v; r < v + n && !ds->disorder; r++)
		if (r->kind == K_BUYER)
			dsum_row(ds, TIME_DAY(r->at), r->isreturn, r->goods,
			    r->paid, r->credit, r->used, r->slot);
}

static void *
dsum_half(void *arg)
{
	struct dsum *ds = arg;

	if ((ds->rc = store_scan(ds->st, ds->lo, ds->hi, dsum_rows, ds)) < 0)
		vl_keep(&ds->said);
	return NULL;
}

/* Joins the second half into the first: its days come after, but for
 * the key they may share, where a member seen in both counts once. */
static void
dsum_join(struct dsum *a, struct dsum *b)
{
	size_t shared = SIZE_MAX, i = 0;
	uint32_t sk = 0;
	uint64_t m;

	if (a->disorder || b->disorder ||
	    (a->seen && b->seen && b->firstday < a->lastday)) {
		a->disorder = 1;
		return;
	}
	if (a->nv && b->nv && a->v[a->nv - 1].key == b->v[0].key) {
		struct dkey *x = &a->v[a->nv - 1], *y = &b->v[0];

		shared = a->nv - 1;
		sk = x->key + 1;
		x->sales += y->sales;
		x->returns += y->returns;
		x->members += y->members;
		x->goods += y->goods;
		x->paid += y->paid;
		x->earned += y->earned;
		x->used += y->used;
		i = 1;
	}
	for (; i < b->nv; i++)
		*dkey_add(a, b->v[i].key) = b->v[i];
	for (m = 0; m < a->n; m++) {
		if (shared != SIZE_MAX && a->last[m] == sk &&
		    b->first[m] == sk)
			a->v[shared].members--;
		if (b->last[m])
			a->last[m] = b->last[m];
	}
	if (b->seen) {
		if (!a->seen)
			a->firstday = b->firstday;
		a->seen = 1;
		a->lastday = b->lastday;
		a->lastin = b->lastin;
	}
}

/* The figures by day or month into sm from the index and the tail: 0,
 * or -1 when they cannot come from there. */
static int
dates_fast(struct sums *sm, struct store *st)
{
	struct dsum d[2];
	struct tsv t;
	uint64_t n = store_nmembers(st), rows = store_nrows(st);
	size_t i;
	long slot;
	int k, y;
	char key[11];

	if (!store_sales_whole(st))
		return -1;
	for (k = 0; k < 2; k++) {
		memset(&d[k], 0, sizeof d[k]);
		d[k].rp = sm->rp;
		d[k].st = st;
		d[k].month = strcmp(sm->by, "month") == 0;
		d[k].n = n;
		d[k].lo = k ? rows / 2 : 0;
		d[k].hi = k ? rows : rows / 2;
		d[k].last = ecalloc(n + 1, sizeof *d[k].last);
	}
	d[1].first = ecalloc(n + 1, sizeof *d[1].first);
	run_both(dsum_half, &d[0], &d[1]);
	for (k = 0; k < 2; k++)
		if (d[k].rc < 0) {
			vl_take(&d[k].said);
			die_last();
		}
	dsum_join(&d[0], &d[1]);
	free(d[1].first);
	free(d[1].last);
	free(d[1].v);
	store_sales_tail(st, &t);
	while (!d[0].disorder && tsv_row(&t, &L_SALES)) {
		slot = store_slot(st, t.f[S_MEMBER]);
		dsum_row(&d[0], TIME_DAY(tsv_time(&t, S_AT)),
		    strcmp(t.f[S_KIND], "return") == 0, tsv_money(&t, S_GOODS),
		    tsv_money(&t, S_PAID), tsv_int(&t, S_EARNED),
		    tsv_int(&t, S_POINTS_USED),
		    slot < 0 ? UINT64_MAX : (uint64_t)slot);
	}
	if (tsv_close(&t) < 0)
		die_last();
	free(d[0].last);
	if (d[0].disorder) {
		free(d[0].v);
		return -1;
	}
	sm->v = ecalloc(d[0].nv + 1, sizeof *sm->v);
	for (i = 0; i < d[0].nv; i++) {
		const struct dkey *dk = &d[0].v[i];

		if (d[0].month) {
			y = (int)(dk->key / 12);
			date_fmt(date_ymd(y, (int)(dk->key % 12) + 1, 1), key);
			key[7] = '\0';
		} else {
			date_fmt((day_t)dk->key - DKEY_DAY, key);
		}
		sm->v[i] = (struct agg){ estrdup(key), dk->sales, dk->returns,
		    dk->members, dk->goods, dk->paid, dk->earned, dk->used, 0 };
	}
	sm->n = sm->cap = d[0].nv;
	free(d[0].v);
	return 0;
}

int
report_sales(struct report *rp)
{
	struct rules rules;
	struct sums sm = { 0 };
	struct store st;
	struct buf line = { 0 };
	struct tsv t;
	size_t i;
	char m1[48], m2[48], m3[48], m4[48];

	if (rules_load(rp->vl, &rules) < 0)
		die_last();
	sm.rp = rp;
	sm.rules = &rules;
	sm.st = &st;
	sm.by = rp->by ? rp->by : "day";
	sm.col = strcmp(sm.by, "store") == 0 ? S_STORE :
	    strcmp(sm.by, "associate") == 0 ? S_ASSOCIATE :
	    strcmp(sm.by, "tier") == 0 ? S_TIER : -1;
	sm.nextmid = (uint64_t)1 << 31;
	if (store_open(&st, rp->vl, 0) < 0)
		die_last();
	/* by date, the index's figures of each row stand for the rows it
	 * took in; then the rows past it.  Else every row is read. */
	if (sm.col < 0 && dates_fast(&sm, &st) == 0) {
		/* the index and the tail */
	} else if (sm.col < 0 && store_sales_scan(&st, sum_rec, &sm) == 0) {
		store_sales_tail(&st, &t);
		sum_rows(&sm, &t);
	} else {
		store_ledger(&st, SALES, &t);
		sum_rows(&sm, &t);
	}
	store_close(&st);
	free(sm.seen.v);
	strmap_free(&sm.mids);
	sort(sm.v, sm.n, sizeof *sm.v, byagg);
	out_header(&rp->out, "key\tsales\treturns\tgoods\tpaid\tearned\t"
	    "points_used\tmembers\n");
	for (i = 0; i < sm.n; i++) {
		const struct agg *a = &sm.v[i];

		line.n = 0;
		buf_addf(&line, "%s\t%lld\t%lld\t%s\t%s\t%s\t%s\t%lld\n",
		    a->key, (long long)a->sales, (long long)a->returns,
		    wide_fmt(a->goods, 1, m1), wide_fmt(a->paid, 1, m2),
		    wide_fmt(a->earned, 0, m3), wide_fmt(a->used, 0, m4),
		    (long long)a->members);
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}

/* A tiers.tsv row, for report changes: by at, ties in file order. */
struct change {
	vltime_t at;
	size_t off, len;	/* in the rows' text */
};

static int
change_order(const void *a, const void *b)
{
	const struct change *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

int
report_changes(struct report *rp)
{
	struct rules rules;
	struct buf text = { 0 };
	struct change *v = NULL;
	size_t n = 0, cap = 0, i, before;
	struct tsv t;
	vltime_t at;

	if (rules_load(rp->vl, &rules) < 0)
		die_last();
	out_header(&rp->out, "at\tmember\tevent\tfrom\tto\tsince\texpires\t"
	    "strikes\treason\n");
	tsv_ledger(&t, rp->vl, &L_TIERS);
	while (tsv_row(&t, &L_TIERS)) {
		at = tsv_time(&t, T_AT);
		if (at > rp->upto || (rp->has_since &&
		    TIME_DAY(at) < rp->since))
			continue;
		if (n == cap)
			v = erealloc(v, (cap = cap ? 2 * cap : 256) * sizeof *v);
		before = text.n;
		tsv_line(&text, &t);
		v[n++] = (struct change){ at, before, text.n - before };
	}
	if (tsv_close(&t) < 0)
		die_last();
	/* back-dated recalculations come out in the order they took effect */
	sort(v, n, sizeof *v, change_order);
	for (i = 0; i < n; i++)
		out_line(&rp->out, text.p + v[i].off, v[i].len);
	buf_free(&text);
	free(v);
	return E_OK;
}

int
report_rules(struct report *rp)
{
	struct rules rules;
	struct buf text = { 0 };

	if (rules_load(rp->vl, &rules) < 0)
		die_last();
	rules_print(&rules, &text);
	fwrite(text.p, 1, text.n, stdout);
	buf_free(&text);
	return E_OK;
}
