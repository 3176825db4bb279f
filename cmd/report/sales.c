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

int
report_sales(struct report *rp)
{
	struct rules rules;
	struct strmap keys = { 0 }, seen = { 0 };
	struct agg *v = NULL;
	struct buf line = { 0 }, pair = { 0 };
	struct tsv t;
	size_t n = 0, cap = 0, i, *ix;
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
	tsv_ledger(&t, rp->vl, &L_SALES);
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
		pair.n = 0;
		buf_addf(&pair, "%zu\t%s", *ix, t.f[S_MEMBER]);
		if (!strmap_get(&seen, pair.p)) {
			strmap_put(&seen, pair.p, 0);
			a->members++;
		}
	}
	if (tsv_close(&t) < 0)
		die_last();
	strmap_free(&seen);
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
	buf_free(&pair);
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
