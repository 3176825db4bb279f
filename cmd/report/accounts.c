/* accounts.c: report members, member, tiers and liability: members' balances. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "report.h"

/* A member's figures as of the report's day. */
struct acct {
	wide_t avail, pending, spend;	/* rows added by hand may pass 64 bits */
	wide_t wallet;		/* the stored value her sales paid, less */
	day_t last_sale;
	int has_sale;
};

static void
credit(struct acct *a, day_t avail, day_t asof, int64_t points)
{
	if (avail <= asof)
		a->avail += points;
	else
		a->pending += points;
}

/* What the rows of sales.tsv and points.tsv give the members in ids
 * (id -> index in a); with counts, also the tier counts from day from of
 * the member at index 0.  window: receipts of sales in the last 365 days. */
struct rowacct {
	const struct report *rp;
	const struct strmap *ids;
	struct acct *a;
	struct counts *counts;
	day_t from;
	struct strmap window;
};

static int
sale_row(void *arg, const struct tsv *t)
{
	struct rowacct *ra = arg;
	const struct report *rp = ra->rp;
	size_t *ix;
	day_t day, avail;

	/* what wallet_of would read again: the same rows, in the same pass */
	if (t->fl[S_WALLET] && tsv_time(t, S_AT) <= rp->upto &&
	    (ix = strmap_get(ra->ids, t->f[S_MEMBER])))
		ra->a[*ix].wallet -= tsv_money(t, S_WALLET);
	if ((day = TIME_DAY(tsv_time(t, S_AT))) > rp->asof)
		return 0;
	avail = tsv_date(t, S_AVAILABLE_ON);
	if ((ix = strmap_get(ra->ids, t->f[S_MEMBER]))) {
		struct acct *m = &ra->a[*ix];
		int sale = strcmp(t->f[S_KIND], "sale") == 0;

		if (ra->counts && *ix == 0)
			counts_sale_row(ra->counts, t, ra->from, rp->asof);
		m->avail -= tsv_int(t, S_POINTS_USED);
		credit(m, avail, rp->asof, tsv_int(t, S_EARNED));
		if (sale && (!m->has_sale || day > m->last_sale))
			m->last_sale = day, m->has_sale = 1;
		if (sale && day > rp->asof - 365) {
			m->spend += tsv_money(t, S_PAID);
			strmap_put(&ra->window, t->f[S_RECEIPT], 0);
		} else if (!sale && strmap_get(&ra->window, t->f[S_SALE])) {
			m->spend += tsv_money(t, S_PAID);
		}
	}
	if (t->fl[S_REFERRER] && (ix = strmap_get(ra->ids, t->f[S_REFERRER])))
		credit(&ra->a[*ix], avail, rp->asof,
		    tsv_int(t, S_REFERRAL_POINTS));
	return 0;
}

static int
points_row(void *arg, const struct tsv *t)
{
	struct rowacct *ra = arg;
	size_t *ix;

	if (TIME_DAY(tsv_time(t, P_AT)) > ra->rp->asof ||
	    !(ix = strmap_get(ra->ids, t->f[P_MEMBER])))
		return 0;
	if (tsv_date(t, P_AVAILABLE_ON) <= ra->rp->asof)
		ra->a[*ix].avail += tsv_int(t, P_POINTS);
	return 0;
}

/* One pass over sales.tsv and points.tsv for the members in ids. */
static void
accounts(const struct report *rp, const struct strmap *ids, struct acct *a,
    struct counts *counts, day_t from)
{
	struct rowacct ra = { rp, ids, a, counts, from, { 0 } };
	struct store st;
	struct tsv t;

	if (store_open(&st, rp->vl, 0) < 0)
		die_last();
	store_ledger(&st, SALES, &t);
	while (tsv_row(&t, &L_SALES))
		sale_row(&ra, &t);
	if (tsv_close(&t) < 0)
		die_last();
	strmap_free(&ra.window);
	store_ledger(&st, POINTS, &t);
	while (tsv_row(&t, &L_POINTS))
		points_row(&ra, &t);
	if (tsv_close(&t) < 0)
		die_last();
	store_close(&st);
}

/* The same for one member, from her rows in the store. */
static void
account_of(const struct report *rp, struct store *st, const char *id,
    struct acct *a, struct counts *counts, day_t from)
{
	struct strmap one = { 0 };
	struct rowacct ra = { rp, &one, a, counts, from, { 0 } };

	strmap_put(&one, id, 0);
	if (store_rows(st, SALES, id, sale_row, &ra) < 0 ||
	    store_rows(st, POINTS, id, points_row, &ra) < 0)
		die_last();
	strmap_free(&ra.window);
	strmap_free(&one);
}

/*
 * The same accounts from the store's index, when it stands for the
 * ledgers (store_members_whole): each row as the index keeps it, added up
 * by two threads over halves of the index, then the rows past it read
 * from the ledgers' tails.  Sums are 64-bit here; one that would pass
 * 64 bits sends the report back to the ledgers, which add in 128.
 */
struct facct {
	int64_t avail, pending, spend;
	int32_t last_sale;
	int32_t has_sale;
};

struct fscan {
	const struct report *rp;
	struct store *st;
	struct facct *a;
	uint64_t n;		/* members */
	uint64_t lo, hi;	/* the index's rows this one adds up */
	int over;		/* a sum passed 64 bits */
	int rc;
	wide_t wallet;		/* the stored value paid from it, less */
	struct vl_said said;	/* why, when the scan's rc is -1 */
};

#define ADD(x, v, fs) ((fs)->over |= __builtin_add_overflow((x), (v), &(x)))

static void
fcredit(struct fscan *fs, struct facct *a, day_t avail, int64_t points)
{
	if (avail <= fs->rp->asof)
		ADD(a->avail, points, fs);
	else
		ADD(a->pending, points, fs);
}

static void
fast_rows(void *arg, const struct ixrow *v, size_t k)
{
	struct fscan *fs = arg;
	day_t asof = fs->rp->asof, yearago = asof - 365, day;
	const struct ixrow *r;
	struct facct *a;

	for (r = v; r < v + k; r++) {
		if (r->slot >= fs->n)
			continue;
		day = TIME_DAY(r->at);
		if (day > asof)
			continue;
		a = &fs->a[r->slot];
		switch (r->kind) {
		case K_BUYER:
			fs->wallet -= r->wallet;
			fs->over |= __builtin_sub_overflow(a->avail, r->used,
			    &a->avail);
			fcredit(fs, a, r->avail, r->credit);
			if (!r->isreturn) {
				if (!a->has_sale || day > a->last_sale)
					a->last_sale = (int32_t)day,
					a->has_sale = 1;
				if (day > yearago)
					ADD(a->spend, r->paid, fs);
			} else if (r->saleoff >= 0 && r->saleday > yearago &&
			    r->saleday <= asof) {
				ADD(a->spend, r->paid, fs);
			}
			break;
		case K_REFERRER:
			fcredit(fs, a, r->avail, r->credit);
			break;
		case K_POINTS:
			if (r->avail <= asof)
				ADD(a->avail, r->credit, fs);
			break;
		}
	}
}

static void *
fast_half(void *arg)
{
	struct fscan *fs = arg;

	if ((fs->rc = store_scan(fs->st, fs->lo, fs->hi, fast_rows, fs)) < 0)
		vl_keep(&fs->said);
	return NULL;
}

/* A tail's return: was its sale, among the rows the index took in, one
 * in the 365 days? */
static int
sale_in_window(void *arg, const struct tsv *t)
{
	struct fscan *fs = arg;
	day_t day = TIME_DAY(tsv_time(t, S_AT));

	fs->rc = strcmp(t->f[S_KIND], "sale") == 0 && day <= fs->rp->asof &&
	    day > fs->rp->asof - 365 && store_slot(fs->st, t->f[S_MEMBER]) >= 0;
	return 0;
}

/* The rows past the index, as sale_row and points_row read them. */
static int
fast_tails(struct fscan *fs)
{
	const struct report *rp = fs->rp;
	struct strmap window = { 0 };
	struct facct *a;
	struct tsv t;
	day_t day, avail;
	long slot;
	int r;

	store_ledger_tail(fs->st, SALES, &t);
	while (tsv_row(&t, &L_SALES)) {
		if ((day = TIME_DAY(tsv_time(&t, S_AT))) > rp->asof)
			continue;
		avail = tsv_date(&t, S_AVAILABLE_ON);
		if ((slot = store_slot(fs->st, t.f[S_MEMBER])) >= 0) {
			a = &fs->a[slot];
			if (t.fl[S_WALLET])
				fs->wallet -= tsv_money(&t, S_WALLET);
			fs->over |= __builtin_sub_overflow(a->avail,
			    tsv_int(&t, S_POINTS_USED), &a->avail);
			fcredit(fs, a, avail, tsv_int(&t, S_EARNED));
			if (strcmp(t.f[S_KIND], "sale") == 0) {
				if (!a->has_sale || day > a->last_sale)
					a->last_sale = (int32_t)day,
					a->has_sale = 1;
				if (day > rp->asof - 365) {
					ADD(a->spend, tsv_money(&t, S_PAID), fs);
					strmap_put(&window, t.f[S_RECEIPT], 0);
				}
			} else {
				fs->rc = 0;
				if (!strmap_get(&window, t.f[S_SALE]) &&
				    (r = store_indexed_sale(fs->st, t.f[S_SALE],
				    sale_in_window, fs)) < 0)
					die_last();
				if (strmap_get(&window, t.f[S_SALE]) || fs->rc)
					ADD(a->spend, tsv_money(&t, S_PAID), fs);
			}
		}
		if (t.fl[S_REFERRER] &&
		    (slot = store_slot(fs->st, t.f[S_REFERRER])) >= 0)
			fcredit(fs, &fs->a[slot], avail,
			    tsv_int(&t, S_REFERRAL_POINTS));
	}
	strmap_free(&window);
	if (tsv_close(&t) < 0)
		die_last();
	store_ledger_tail(fs->st, POINTS, &t);
	while (tsv_row(&t, &L_POINTS)) {
		if (TIME_DAY(tsv_time(&t, P_AT)) > rp->asof ||
		    (slot = store_slot(fs->st, t.f[P_MEMBER])) < 0)
			continue;
		if (tsv_date(&t, P_AVAILABLE_ON) <= rp->asof)
			ADD(fs->a[slot].avail, tsv_int(&t, P_POINTS), fs);
	}
	if (tsv_close(&t) < 0)
		die_last();
	fs->rc = 0;
	return fs->over ? -1 : 0;
}

/* wallet.tsv's part of the stored value owed: what the index's members
 * paid in, less what was paid back, by the day.  Not indexed, it is read
 * whole (wallet_owed reads it so too). */
static wide_t
fast_topups(const struct report *rp, struct store *st)
{
	struct tsv t;
	wide_t sum = 0;

	tsv_ledger(&t, rp->vl, &L_WALLET);
	while (tsv_row(&t, &L_WALLET))
		if (tsv_time(&t, W_AT) <= rp->upto &&
		    store_slot(st, t.f[W_MEMBER]) >= 0)
			sum += tsv_money(&t, W_AMOUNT);
	if (tsv_close(&t) < 0)
		die_last();
	return sum;
}

/* Every member's account from the index, in its order; NULL when the
 * index cannot stand for the ledgers as of the day, or a sum would pass
 * 64 bits: then the ledgers answer.  With wallet, the stored value owed
 * to them all, as wallet_owed reckons it. */
static struct facct *
fast_accounts(const struct report *rp, struct store *st, uint64_t *nmembers,
    wide_t *wallet)
{
	struct fscan fs[2];
	uint64_t n, rows, i;
	int k;

	if (!store_members_whole(st, rp->upto))
		return NULL;
	n = store_nmembers(st);
	rows = store_nrows(st);
	for (k = 0; k < 2; k++) {
		fs[k] = (struct fscan){ .rp = rp, .st = st,
		    .a = ecalloc(n + 1, sizeof(struct facct)), .n = n,
		    .lo = k ? rows / 2 : 0, .hi = k ? rows : rows / 2 };
	}
	run_both(fast_half, &fs[0], &fs[1]);
	for (k = 0; k < 2; k++)
		if (fs[k].rc < 0) {
			vl_take(&fs[k].said);
			die_last();
		}
	for (i = 0; i < n; i++) {
		struct facct *a = &fs[0].a[i], *b = &fs[1].a[i];

		ADD(a->avail, b->avail, &fs[0]);
		ADD(a->pending, b->pending, &fs[0]);
		ADD(a->spend, b->spend, &fs[0]);
		if (b->has_sale && (!a->has_sale ||
		    b->last_sale > a->last_sale))
			a->last_sale = b->last_sale, a->has_sale = 1;
	}
	free(fs[1].a);
	fs[0].over |= fs[1].over;
	fs[0].wallet += fs[1].wallet;
	if (fs[0].over || fast_tails(&fs[0]) < 0) {
		free(fs[0].a);
		return NULL;
	}
	if (wallet)
		*wallet = fs[0].wallet + fast_topups(rp, st);
	*nmembers = n;
	return fs[0].a;
}

/* Members' tiers as of the day, from tiers.tsv: an index into names. */
struct ftier {
	uint16_t name;
	int32_t expires;
};
struct ftiers {
	struct ftier *v;
	struct strmap byname;
	char **names;
	size_t nnames;
};

static uint16_t
tier_name(struct ftiers *ft, const char *name)
{
	size_t *ix = strmap_get(&ft->byname, name);

	if (ix)
		return (uint16_t)*ix;
	ft->names = erealloc(ft->names, (ft->nnames + 1) * sizeof *ft->names);
	ft->names[ft->nnames] = estrdup(name);
	return (uint16_t)*strmap_put(&ft->byname, name, ft->nnames++);
}

static void
fast_tiers(const struct report *rp, const struct rules *rules,
    struct store *st, uint64_t n, struct ftiers *ft)
{
	struct tsv t;
	uint64_t i;
	long slot;

	memset(ft, 0, sizeof *ft);
	ft->v = emalloc((n + 1) * sizeof *ft->v);
	tier_name(ft, rules->tiers[0].name);
	for (i = 0; i < n; i++)
		ft->v[i] = (struct ftier){ 0, DAY_NEVER };
	store_ledger(st, TIERS, &t);
	while (tsv_row(&t, &L_TIERS)) {
		if (tsv_time(&t, T_AT) > rp->upto ||
		    (slot = store_slot(st, t.f[T_MEMBER])) < 0)
			continue;
		/* a name past 65535 others: too many for this; rare enough
		 * to be told as such */
		if (ft->nnames >= UINT16_MAX && !strmap_get(&ft->byname,
		    t.f[T_TO]))
			die(E_SYSTEM, "tiers.tsv: too many tier names");
		ft->v[slot] = (struct ftier){ tier_name(ft, t.f[T_TO]),
		    (int32_t)(t.fl[T_EXPIRES] ? tsv_date(&t, T_EXPIRES) :
		    DAY_NEVER) };
	}
	if (tsv_close(&t) < 0)
		die_last();
}

/* v as wide_fmt writes it, for 64 bits. */
static char *
put_i64(char *p, int64_t v, int cents)
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char tmp[24], *q = tmp + sizeof tmp;
	int digits = 0;

	do {
		if (cents && digits == 2)
			*--q = '.';
		*--q = (char)('0' + (int)(u % 10));
		u /= 10;
		digits++;
	} while (u > 0 || (cents && digits < 3));
	if (v < 0)
		*p++ = '-';
	memcpy(p, q, (size_t)(tmp + sizeof tmp - q));
	return p + (tmp + sizeof tmp - q);
}

struct fout {
	struct report *rp;
	const struct facct *a;
	const struct ftiers *ft;
	struct buf line;
};

/* One line of report members, as report_members prints it. */
static void
fast_member(void *arg, uint64_t slot, vltime_t joined, char **f)
{
	struct fout *fo = arg;
	const struct facct *a = &fo->a[slot];
	const struct ftier *tr = &fo->ft->v[slot];
	const char *tier = fo->ft->names[tr->name];
	struct buf *b = &fo->line;
	char ph[32], *p;
	size_t need;

	(void)joined;
	if (fo->rp->tier && strcmp(fo->rp->tier, tier) != 0)
		return;
	if (b->n >= 65536) {
		out_line(&fo->rp->out, b->p, b->n);
		b->n = 0;
	}
	need = strlen(f[M_MEMBER]) + strlen(f[M_NAME]) + strlen(f[M_PHONE]) +
	    strlen(tier) + strlen(f[M_ASSOCIATE]) + strlen(f[M_CONTACT]) + 160;
	if (b->cap - b->n < need)
		b->p = erealloc(b->p, b->cap = 2 * (b->n + need));
	p = b->p + b->n;
	p = str_put(p, f[M_MEMBER]);
	*p++ = '\t';
	p = str_put(p, f[M_NAME]);
	*p++ = '\t';
	p = str_put(p, phone_shown(fo->rp, f[M_PHONE], ph));
	*p++ = '\t';
	p = str_put(p, tier);
	*p++ = '\t';
	if (tr->expires != DAY_NEVER)
		p = str_put(p, date_fmt(tr->expires, ph));
	*p++ = '\t';
	p = put_i64(p, a->avail, 0);
	*p++ = '\t';
	p = put_i64(p, a->pending, 0);
	*p++ = '\t';
	p = put_i64(p, a->spend, 1);
	*p++ = '\t';
	if (a->has_sale)
		p = str_put(p, date_fmt(a->last_sale, ph));
	*p++ = '\t';
	p = str_put(p, f[M_ASSOCIATE]);
	*p++ = '\t';
	p = str_put(p, f[M_CONTACT]);
	*p++ = '\n';
	b->n = (size_t)(p - b->p);
}

/* report members from the index: 0, or -1 when it cannot answer. */
static int
fast_members(struct report *rp, const struct rules *rules)
{
	struct store st;
	struct ftiers ft;
	struct fout fo = { rp, NULL, &ft, { 0 } };
	struct facct *a;
	uint64_t n;

	if (store_open(&st, rp->vl, 0) < 0)
		die_last();
	if (!(a = fast_accounts(rp, &st, &n, NULL))) {
		store_close(&st);
		return -1;
	}
	fast_tiers(rp, rules, &st, n, &ft);
	fo.a = a;
	out_header(&rp->out, "member\tname\tphone\ttier\texpires\tavailable\t"
	    "pending\tspend_365d\tlast_sale\tassociate\tcontact\n");
	if (store_members_scan(&st, fast_member, &fo) < 0)
		die_last();
	if (fo.line.n)
		out_line(&rp->out, fo.line.p, fo.line.n);
	buf_free(&fo.line);
	store_close(&st);
	return 0;
}

/* report liability from the index: the sums, or -1. */
static int
fast_liability(struct report *rp, wide_t *avail, wide_t *pending,
    wide_t *wallet)
{
	struct store st;
	struct facct *a;
	uint64_t n, i;

	if (store_open(&st, rp->vl, 0) < 0)
		die_last();
	if (!(a = fast_accounts(rp, &st, &n, wallet))) {
		store_close(&st);
		return -1;
	}
	for (i = 0; i < n; i++) {
		*avail += a[i].avail;
		*pending += a[i].pending;
	}
	free(a);
	store_close(&st);
	return 0;
}

/* Members as of the day, their tiers and accounts, all in ms's order. */
struct book {
	struct rules rules;
	struct members ms;
	struct tierstate *ts;
	struct acct *acct;
};

static void
book_load(struct report *rp, struct book *bk)
{
	size_t i;

	if (members_load(rp->vl, rp->upto, &bk->ms) < 0)
		die_last();
	bk->ts = ecalloc(bk->ms.n, sizeof *bk->ts);
	bk->acct = ecalloc(bk->ms.n, sizeof *bk->acct);
	if (tiers_load(rp->vl, &bk->ms.byid, rp->upto, bk->ts) < 0)
		die_last();
	for (i = 0; i < bk->ms.n; i++)
		tierstate_default(&bk->ts[i], &bk->rules, bk->ms.v[i].joined);
	accounts(rp, &bk->ms.byid, bk->acct, NULL, 0);
}

static const char *
expires_fmt(const struct tierstate *ts, char buf[11])
{
	return ts->expires == DAY_NEVER ? "" : date_fmt(ts->expires, buf);
}

static const char *
day_or_empty(int has, day_t d, char buf[11])
{
	return has ? date_fmt(d, buf) : "";
}

int
report_members(struct report *rp)
{
	struct book bk;
	struct buf line = { 0 };
	char e[11], l[11], m1[48], w1[48], w2[48], ph[32];
	size_t i;

	if (rules_load(rp->vl, &bk.rules) < 0)
		die_last();
	if (rp->tier && rules_tier(&bk.rules, rp->tier) < 0)
		die(E_REFUSE, "tier: %s is not defined in rules.conf", rp->tier);
	if (fast_members(rp, &bk.rules) == 0)
		return E_OK;
	book_load(rp, &bk);
	out_header(&rp->out, "member\tname\tphone\ttier\texpires\tavailable\t"
	    "pending\tspend_365d\tlast_sale\tassociate\tcontact\n");
	for (i = 0; i < bk.ms.n; i++) {
		struct member *m = &bk.ms.v[i];
		struct acct *a = &bk.acct[i];

		if (rp->tier && strcmp(rp->tier, bk.ts[i].tier) != 0)
			continue;
		line.n = 0;
		buf_addf(&line, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
		    m->f[M_MEMBER], m->f[M_NAME],
		    phone_shown(rp, m->f[M_PHONE], ph), bk.ts[i].tier,
		    expires_fmt(&bk.ts[i], e), wide_fmt(a->avail, 0, w1),
		    wide_fmt(a->pending, 0, w2), wide_fmt(a->spend, 1, m1),
		    day_or_empty(a->has_sale, a->last_sale, l),
		    m->f[M_ASSOCIATE], m->f[M_CONTACT]);
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}

/* yes, no, or "" when the birthday is unknown; Feb 29 falls on Feb 28 in
 * common years. */
static const char *
birthday_today(const char *b, day_t day)
{
	int y, m, d, bm, bd;
	size_t n = strlen(b);

	if (n != 5 && n != 10)
		return "";
	bm = atoi(b + n - 5), bd = atoi(b + n - 2);
	date_split(day, &y, &m, &d);
	if (bm == 2 && bd == 29 && date_ymd(y, 3, 1) - date_ymd(y, 2, 1) == 28)
		bd = 28;
	return bm == m && bd == d ? "yes" : "no";
}

/* The member's sale rows in the birthday window, on or before the day. */
struct bdayrows {
	struct bday *bd;
	const struct rules *r;
	const char *id, *birthday;
	vltime_t upto;
};

static int
bday_of(void *arg, const struct tsv *t)
{
	struct bdayrows *br = arg;
	vltime_t at = tsv_time(t, S_AT);

	if (at <= br->upto && strcmp(t->f[S_MEMBER], br->id) == 0 &&
	    tsv_field_is(t, S_KIND, "sale"))
		bday_row(br->bd, br->r, br->birthday, at,
		    tsv_int(t, S_BIRTHDAY_UNITS));
	return 0;
}

/* The percent --member-price gives the next unit on the day: birthday=
 * while the window has units left, else the tier's (SPEC section 9). */
static int
birthday_benefit(struct report *rp, const struct rules *r,
    const struct tier *t, const struct member *m, struct bday *bd)
{
	struct bdayrows br = { bd, r, m->f[M_MEMBER], m->f[M_BIRTHDAY],
	    rp->upto };
	struct store st;

	if (!bday_start(bd, r, t, m->f[M_BIRTHDAY], rp->asof))
		return t->discount;
	if (store_open(&st, rp->vl, 0) < 0 ||
	    store_rows(&st, SALES, br.id, bday_of, &br) < 0)
		die_last();
	store_close(&st);
	return bday_left(bd, r) != 0 ? bd->pct : t->discount;
}

int
report_member(struct report *rp, const char *key)
{
	struct book bk;
	struct store st = { 0 };
	struct member *m, found;
	struct strmap one = { 0 };
	struct acct a = { 0 };
	struct tierstate ts = { 0 };
	struct buf line = { 0 }, next = { 0 }, needed = { 0 };
	struct counts counts = { 0 };
	struct tierpos pos;
	struct bday bd = { 0 };
	const struct tier *t;
	const char *bday;
	char e[11], m1[48], w1[48], w2[48], ph[32], wb[48];
	day_t start;
	int i, ti, discount;
	wide_t wallet;

	if (rules_load(rp->vl, &bk.rules) < 0)
		die_last();
	/* as of today the store answers; as of another day, the ledgers */
	if (!rp->asof_given) {
		struct tierlog log = { 0 };
		int r;

		if (store_open(&st, rp->vl, 0) < 0 ||
		    (r = store_member(&st, key, &found)) < 0)
			die_last();
		if (r == 0)
			die(E_REFUSE, "member: %s is not a member id or phone",
			    key);
		m = &found;
		if (store_tierlog(&st, m->f[M_MEMBER], &log) < 0)
			die_last();
		tier_at(&log, rp->upto, &bk.rules, m->joined, &ts);
	} else {
		if (members_load(rp->vl, rp->upto, &bk.ms) < 0)
			die_last();
		if (!(m = members_find(&bk.ms, key)))
			die(E_REFUSE, "member: %s is not a member id or phone",
			    key);
		strmap_put(&one, m->f[M_MEMBER], 0);
		if (tiers_load(rp->vl, &one, rp->upto, &ts) < 0)
			die_last();
		tierstate_default(&ts, &bk.rules, m->joined);
	}
	/* a tier rules.conf no longer defines has no next tier */
	if (tierpos_start(&pos, &start, &bk.rules, &ts) == 0) {
		if (rp->asof_given)
			accounts(rp, &one, &a, &counts, pos.from);
		else
			account_of(rp, &st, m->f[M_MEMBER], &a, &counts,
			    pos.from);
		wallet = wallet_of(rp, m->f[M_MEMBER], &counts, pos.from,
		    rp->asof_given ? NULL : &a.wallet);
		counts_sort(&counts);
		tier_needed(&bk.rules, &pos, rp->asof, &counts, &next, &needed);
		counts_free(&counts);
	} else if (rp->asof_given) {
		accounts(rp, &one, &a, NULL, 0);
		wallet = wallet_of(rp, m->f[M_MEMBER], NULL, 0, NULL);
	} else {
		account_of(rp, &st, m->f[M_MEMBER], &a, NULL, 0);
		wallet = wallet_of(rp, m->f[M_MEMBER], NULL, 0, &a.wallet);
	}
	store_close(&st);
	bday = birthday_today(m->f[M_BIRTHDAY], rp->asof);
	ti = rules_tier(&bk.rules, ts.tier);
	t = ti >= 0 ? &bk.rules.tiers[ti] : NULL;
	discount = t ? birthday_benefit(rp, &bk.rules, t, m, &bd) : 0;
	out_header(&rp->out, "key\tvalue\n");
	for (i = 0; i < M_NCOLS; i++)
		buf_addf(&line, "%s\t%s\n", L_MEMBERS.cols[i], i == M_PHONE ?
		    phone_shown(rp, m->f[i], ph) : m->f[i]);
	buf_addf(&line, "tier\t%s\nexpires\t%s\n", ts.tier, expires_fmt(&ts, e));
	if (t)
		buf_addf(&line, "discount\t%d\n", discount);
	else
		buf_addf(&line, "discount\t\n");
	buf_addf(&line, "available\t%s\npending\t%s\nspend_365d\t%s\n"
	    "birthday_today\t%s\nnext_tier\t%s\nneeded\t%s\n",
	    wide_fmt(a.avail, 0, w1), wide_fmt(a.pending, 0, w2),
	    wide_fmt(a.spend, 1, m1),
	    bday, next.p ? next.p : "", needed.p ? needed.p : "");
	buf_addf(&line, "joined\t%s\nwallet\t%s\nowner_since\t%s\n",
	    date_fmt(TIME_DAY(m->joined), e), wide_fmt(wallet, 1, wb),
	    *m->f[M_ASSOCIATE] ?
	    date_fmt(m->owner_since, m1) : "");
	if (!t || !bd.in)
		buf_adds(&line, "birthday_left\t\n");
	else if (bday_left(&bd, &bk.rules) < 0)
		buf_adds(&line, "birthday_left\tunlimited\n");
	else
		buf_addf(&line, "birthday_left\t%lld\n",
		    (long long)bday_left(&bd, &bk.rules));
	out_line(&rp->out, line.p, line.n);
	buf_free(&line);
	return E_OK;
}

static int
byname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
report_tiers(struct report *rp)
{
	struct book bk;
	struct strmap other = { 0 };
	int64_t *count;
	char **names;
	size_t i, *ix, nother = 0;
	int ti;
	struct buf line = { 0 };

	if (rules_load(rp->vl, &bk.rules) < 0)
		die_last();
	book_load(rp, &bk);
	count = ecalloc((size_t)bk.rules.ntiers + bk.ms.n, sizeof *count);
	names = ecalloc(bk.ms.n + 1, sizeof *names);
	for (i = 0; i < bk.ms.n; i++) {
		if ((ti = rules_tier(&bk.rules, bk.ts[i].tier)) >= 0) {
			count[ti]++;
			continue;
		}
		/* tiers that rules.conf no longer defines come after */
		if (!(ix = strmap_get(&other, bk.ts[i].tier))) {
			names[nother] = bk.ts[i].tier;
			ix = strmap_put(&other, bk.ts[i].tier, nother++);
		}
		count[bk.rules.ntiers + *ix]++;
	}
	out_header(&rp->out, "tier\tmembers\n");
	for (ti = 0; ti < bk.rules.ntiers; ti++)
		buf_addf(&line, "%s\t%lld\n", bk.rules.tiers[ti].name,
		    (long long)count[ti]);
	sort(names, nother, sizeof *names, byname);
	for (i = 0; i < nother; i++)
		buf_addf(&line, "%s\t%lld\n", names[i], (long long)
		    count[bk.rules.ntiers + *strmap_get(&other, names[i])]);
	out_line(&rp->out, line.p, line.n);
	buf_free(&line);
	return E_OK;
}

int
report_liability(struct report *rp)
{
	struct book bk;
	struct buf line = { 0 };
	wide_t avail = 0, pending = 0, value, wallet = 0;
	char a[48], p[48], v[48], w[48];
	size_t i;

	if (rules_load(rp->vl, &bk.rules) < 0)
		die_last();
	if (fast_liability(rp, &avail, &pending, &wallet) < 0) {
		book_load(rp, &bk);
		for (i = 0; i < bk.ms.n; i++) {
			avail += bk.acct[i].avail;
			pending += bk.acct[i].pending;
		}
		wallet = wallet_owed(rp, &bk.ms.byid);
	}
	out_header(&rp->out, "available\tpending\tvalue\twallet\n");
	/* rounded down, toward minus infinity */
	value = avail * 100 / bk.rules.redeem_rate;
	if (value * bk.rules.redeem_rate > avail * 100)
		value--;
	buf_addf(&line, "%s\t%s\t%s\t%s\n", wide_fmt(avail, 0, a),
	    wide_fmt(pending, 0, p), wide_fmt(value, 1, v),
	    wide_fmt(wallet, 1, w));
	out_line(&rp->out, line.p, line.n);
	buf_free(&line);
	return E_OK;
}
