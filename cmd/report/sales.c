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

int
report_sales(struct report *rp)
{
	struct rules rules;
	struct strmap keys = { 0 }, mids = { 0 };
	struct pairset seen = { 0 };
	struct store st;
	struct agg *v = NULL;
	struct buf line = { 0 };
	struct tsv t;
	size_t n = 0, cap = 0, nmids = 0, i, *ix, *mx;
	const char *by = rp->by ? rp->by : "day";
	char key[64], m1[48], m2[48], m3[48], m4[48];
	const char *k;
	day_t day;
	int col = -1;

	if (rules_load(rp->vl, &rules) < 0)
		die_last();
	if (strcmp(by, "store") == 0)
		col = S_STORE;
	else if (strcmp(by, "associate") == 0)
		col = S_ASSOCIATE;
	else if (strcmp(by, "tier") == 0)
		col = S_TIER;
	if (store_open(&st, rp->vl, 0) < 0)
		die_last();
	store_ledger(&st, SALES, &t);
	while (tsv_row(&t, &L_SALES)) {
		day = TIME_DAY(tsv_time(&t, S_AT));
		if (day > rp->asof || (rp->has_from && day < rp->from) ||
		    (rp->has_to && day > rp->to))
			continue;
		if (col >= 0)
			k = t.f[col];
		else
			k = date_fmt(day, key), key[strcmp(by, "month") ? 10 : 7] = '\0';
		if (!(ix = strmap_get(&keys, k))) {
			if (n == cap)
				v = erealloc(v, (cap = cap ? 2 * cap : 64) * sizeof *v);
			v[n] = (struct agg){ estrdup(k), 0, 0, 0, 0, 0, 0, 0, 0 };
			if (col == S_TIER && (v[n].rank = rules_tier(&rules, k)) < 0)
				v[n].rank = rules.ntiers;
			ix = strmap_put(&keys, k, n++);
		}
		struct agg *a = &v[*ix];

		if (strcmp(t.f[S_KIND], "sale") == 0)
			a->sales++;
		else
			a->returns++;
		a->goods += tsv_money(&t, S_GOODS);
		a->paid += tsv_money(&t, S_PAID);
		a->earned += tsv_int(&t, S_EARNED);
		a->used += tsv_int(&t, S_POINTS_USED);
		if (!(mx = strmap_get(&mids, t.f[S_MEMBER])))
			mx = strmap_put(&mids, t.f[S_MEMBER], nmids++);
		if (pair_add(&seen, (uint64_t)*ix << 32 | *mx))
			a->members++;
	}
	if (tsv_close(&t) < 0)
		die_last();
	store_close(&st);
	free(seen.v);
	strmap_free(&mids);
	sort(v, n, sizeof *v, byagg);
	out_header(&rp->out, "key\tsales\treturns\tgoods\tpaid\tearned\t"
	    "points_used\tmembers\n");
	for (i = 0; i < n; i++) {
		line.n = 0;
		buf_addf(&line, "%s\t%lld\t%lld\t%s\t%s\t%s\t%s\t%lld\n",
		    v[i].key, (long long)v[i].sales, (long long)v[i].returns,
		    wide_fmt(v[i].goods, 1, m1), wide_fmt(v[i].paid, 1, m2),
		    wide_fmt(v[i].earned, 0, m3), wide_fmt(v[i].used, 0, m4),
		    (long long)v[i].members);
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}

int
report_changes(struct report *rp)
{
	struct rules rules;
	struct buf line = { 0 };
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
		line.n = 0;
		tsv_line(&line, &t);
		out_line(&rp->out, line.p, line.n);
	}
	if (tsv_close(&t) < 0)
		die_last();
	buf_free(&line);
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
