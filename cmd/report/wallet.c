/* wallet.c: report wallet, and the stored value (充值) of report member
 * and report liability: Σ wallet.amount − Σ sales.wallet, as of the day. */

#include <string.h>

#include "store.h"
#include "report.h"

struct wline {
	vltime_t at;
	size_t seq;		/* wallet.tsv first, then sales.tsv */
	const char *kind;
	char *ref;
	int64_t amount;
};

struct wlines {
	const struct report *rp;
	const char *id;
	struct wline *v;
	size_t n, cap;
};

static void
wline_add(struct wlines *w, vltime_t at, const char *kind, const char *ref,
    int64_t amount)
{
	if (w->n == w->cap)
		w->v = erealloc(w->v, (w->cap = w->cap ? 2 * w->cap : 64) *
		    sizeof *w->v);
	w->v[w->n] = (struct wline){ at, w->n, kind, estrdup(ref), amount };
	w->n++;
}

static int
bytime(const void *a, const void *b)
{
	const struct wline *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A sales row of hers whose wallet is neither empty nor 0. */
static int
sale_line(void *arg, const struct tsv *t)
{
	struct wlines *w = arg;
	vltime_t at = tsv_time(t, S_AT);
	int64_t paid;

	if (at > w->rp->upto || !t->fl[S_WALLET] ||
	    strcmp(t->f[S_MEMBER], w->id) != 0 ||
	    (paid = tsv_money(t, S_WALLET)) == 0)
		return 0;
	wline_add(w, at, strcmp(t->f[S_KIND], "sale") == 0 ? "sale" : "return",
	    t->f[S_RECEIPT], -paid);
	return 0;
}

int
report_wallet(struct report *rp, const char *key)
{
	struct rules rules;
	struct members ms;
	struct member *m;
	struct wlines w = { rp, NULL, NULL, 0, 0 };
	struct store st;
	struct buf line = { 0 };
	struct tsv t;
	wide_t bal = 0;
	vltime_t at;
	size_t i;
	char a[20], m1[32], m2[48];

	if (rules_load(rp->vl, &rules) < 0)
		die_last();
	if (members_load(rp->vl, rp->upto, &ms) < 0)
		die_last();
	if (!(m = members_find(&ms, key)))
		die(E_REFUSE, "member: %s is not a member id or phone", key);
	w.id = m->f[M_MEMBER];
	tsv_ledger(&t, rp->vl, &L_WALLET);
	while (tsv_row(&t, &L_WALLET))
		if ((at = tsv_time(&t, W_AT)) <= rp->upto &&
		    strcmp(t.f[W_MEMBER], w.id) == 0)
			wline_add(&w, at, estrdup(t.f[W_KIND]), t.f[W_REF],
			    tsv_money(&t, W_AMOUNT));
	if (tsv_close(&t) < 0)
		die_last();
	if (store_open(&st, rp->vl, 0) < 0 ||
	    store_rows(&st, SALES, w.id, sale_line, &w) < 0)
		die_last();
	store_close(&st);
	sort(w.v, w.n, sizeof *w.v, bytime);
	out_header(&rp->out, "at\tkind\tref\tamount\tbalance\n");
	for (i = 0; i < w.n; i++) {
		bal += w.v[i].amount;
		line.n = 0;
		buf_addf(&line, "%s\t%s\t%s\t%s\t%s\n", time_fmt(w.v[i].at, a),
		    w.v[i].kind, w.v[i].ref, money_fmt(w.v[i].amount, m1),
		    wide_fmt(bal, 1, m2));
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}

/* What the rows give the members in ids, as of the report's day. */
struct owed {
	const struct report *rp;
	const struct strmap *ids;
	wide_t sum;		/* 128 bits, whatever the rows hold */
	struct counts *counts;	/* the topups of the member at index 0 */
	day_t from;
};

static int
sale_owed(void *arg, const struct tsv *t)
{
	struct owed *o = arg;

	if (t->fl[S_WALLET] && tsv_time(t, S_AT) <= o->rp->upto &&
	    strmap_get(o->ids, t->f[S_MEMBER]))
		o->sum -= tsv_money(t, S_WALLET);
	return 0;
}

static void
wallet_rows(struct owed *o)
{
	struct tsv t;
	size_t *ix;

	tsv_ledger(&t, o->rp->vl, &L_WALLET);
	while (tsv_row(&t, &L_WALLET)) {
		if (tsv_time(&t, W_AT) > o->rp->upto ||
		    !(ix = strmap_get(o->ids, t.f[W_MEMBER])))
			continue;
		o->sum += tsv_money(&t, W_AMOUNT);
		if (o->counts && *ix == 0)
			counts_topup_row(o->counts, &t, o->from, o->rp->asof);
	}
	if (tsv_close(&t) < 0)
		die_last();
}

/* The stored value of member id as of the day; with counts, her top-ups
 * from day from on, for the topup metric.  Her sales rows come from the
 * store, so that a member with many sales costs no more; or paid, what
 * they paid from it (less), when the caller added them up already. */
wide_t
wallet_of(const struct report *rp, const char *id, struct counts *counts,
    day_t from, const wide_t *paid)
{
	struct strmap one = { 0 };
	struct owed o = { rp, &one, 0, counts, from };
	struct store st;

	strmap_put(&one, id, 0);
	wallet_rows(&o);
	if (paid)
		o.sum += *paid;
	else if (store_open(&st, rp->vl, 0) < 0 ||
	    store_rows(&st, SALES, id, sale_owed, &o) < 0)
		die_last();
	if (!paid)
		store_close(&st);
	strmap_free(&one);
	return o.sum;
}

/* The stored value owed to the members in ids (those joined by the day),
 * negative balances included: one pass over wallet.tsv and one over the
 * wallet column of sales.tsv. */
wide_t
wallet_owed(const struct report *rp, const struct strmap *ids)
{
	struct owed o = { rp, ids, 0, NULL, 0 };
	struct store st;
	struct tsv t;

	wallet_rows(&o);
	if (store_open(&st, rp->vl, 0) < 0)
		die_last();
	store_ledger(&st, SALES, &t);
	while (tsv_row(&t, &L_SALES))
		sale_owed(&o, &t);
	if (tsv_close(&t) < 0)
		die_last();
	store_close(&st);
	return o.sum;
}
