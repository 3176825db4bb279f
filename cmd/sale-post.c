/* sale-post: record a sale, with the points it earns and the points it uses. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char usage[] =
    "sale-post [-d DIR] [-q] [-w SECONDS] [--dry-run] [-r RECEIPT] [--at TIME]\n"
    "                 [--use-points N] [--wallet AMOUNT] [--member-price]\n"
    "                 [--associate STAFF] [--store STORE] [--note TEXT]\n"
    "                 MEMBER ITEM...\n"
    "       sale-post [-d DIR] [-q] [-w SECONDS] [--dry-run] [--csv] -\n"
    "ITEM: [QTYx]PRICE[/LIST][-DISC%][@SKU]";

enum { O_AT = 300, O_USE, O_ASSOC, O_STORE, O_NOTE, O_WALLET, O_MPRICE,
	O_CSVIN };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ 'r', "receipt", OPT_ARG },
	{ O_AT, "at", OPT_ARG }, { O_ASSOC, "associate", OPT_ARG },
	{ O_CSVIN, "csv", OPT_NOARG },
	{ O_MPRICE, "member-price", OPT_NOARG }, { O_NOTE, "note", OPT_ARG },
	{ O_WALLET, "wallet", OPT_ARG },
	{ O_STORE, "store", OPT_ARG }, { O_USE, "use-points", OPT_ARG },
	{ 0, NULL, 0 }
};

static const char *const batch_cols[] = { "at", "receipt", "member",
	"items", "points_used", "associate", "store", "note", "wallet",
	"member_price" };

/* One sale as given, on the command line or as a batch row. */
struct saleinput {
	long line;		/* batch input line, 0: the command line */
	const char *err;	/* a malformed batch row: why */
	char *at, *receipt, *member, *items, *points, *associate, *store, *note;
	char *wallet, *mprice;	/* mprice: "yes", or empty or NULL */
};

/* The row already posted with a receipt given, and what a retry must
 * match of it. */
struct posted {
	char *row;
	char *member, *items, *kind;
	int64_t used, wallet;
	vltime_t at;
};

/* A sale being checked: a batch keeps a million, so what few have is
 * kept apart. */
struct prep {
	struct saleinput *in;
	vltime_t at;
	int64_t used;
	struct item *items;
	size_t nitems;
	struct member *m;
	size_t ix;		/* the member's index in ids and hs (first her
				   place in the index, when found so) */
	const char *receipt;	/* given, or "" */
	struct posted *ex;	/* a receipt given was posted before */
	char *err;		/* why a batch row is refused */
	int64_t wallet;		/* stored value to pay with */
	int mprice;		/* --member-price */
	struct buf priced;	/* the items as --member-price wrote them */
	int64_t bunits;		/* of them, units at birthday= */
};

/* A batch row's units at birthday=, for the rows after it. */
struct bdayused {
	size_t ix;
	vltime_t at;
	int64_t units;
};

struct post {
	struct vl *vl;
	struct rules rules;
	struct store st;
	struct strmap keys;	/* MEMBER as given, not her id -> index in ids */
	struct strmap ids;	/* member id -> index in mv, hs, tl (found one
				   by one) */
	int byslot;		/* members found by their places instead */
	long *slotv;		/* each one's place in the index, -1: none */
	size_t *rix;		/* her referrer's index, SIZE_MAX: none */
	struct strmap wanted;	/* receipts given -> their first row */
	struct strmap staffok;	/* associates found active in staff.tsv */
	char **idv;
	struct member *mv;	/* buyers' records; referrers' are empty */
	size_t nids, cap;
	struct history *hs;	/* of those in need only */
	char *need;		/* 1: she uses points (balance_min); 2: the
				   index has no sum of hers, her history has */
	wide_t *tot;		/* each one's points summed, for points_fit */
	struct history *ws;	/* stored value */
	struct tierlog *tl;
	struct bdayused *bdu;
	size_t nbdu, capbdu;
	struct prep *p;
	size_t n;
	long maxs;
	int bad;
};

/* A bad sale: alone, stop; in a batch, keep the reason, to be said in
 * the order of the lines, and go on.  A system error stops either way. */
static void
refuse(struct post *ps, struct prep *p)
{
	if (p->in->line == 0 || vl_status != E_REFUSE)
		die_last();
	if (!p->err)
		p->err = estrdup(vl_err);
	ps->bad = 1;
}

static const char *
opt(const char *s)
{
	return s ? s : "";
}

/* What needs no ledger: --at, --use-points, -r, items, free text. */
static int
precheck(struct prep *p, vltime_t now)
{
	struct saleinput *in = p->in;

	if (in->err)
		return fail("%s", in->err);
	p->at = now;
	/* on the command line an empty value is malformed; in a batch, an
	 * empty column is one not given */
	if (in->line == 0 && ((in->at && !*in->at) ||
	    (in->receipt && !*in->receipt) || (in->points && !*in->points)))
		return fail("%s: is empty", in->at && !*in->at ? "at" :
		    in->receipt && !*in->receipt ? "receipt" : "use-points");
	if (in->at && *in->at) {
		if (time_parse(in->at, strlen(in->at), &p->at) < 0)
			return fail("at: %s", vl_err);
		if (p->at > now)
			return fail("at: %s is in the future", in->at);
	}
	p->used = 0;
	if (in->points && *in->points &&
	    int_parse(in->points, strlen(in->points), 0, &p->used) < 0)
		return fail("use-points: %s %s", in->points, vl_err);
	if (in->receipt && *in->receipt && id_check("receipt", in->receipt, 64) < 0)
		return -1;
	p->wallet = 0;
	if (in->wallet && *in->wallet && money_parse(in->wallet,
	    strlen(in->wallet), MONEY_INPUT, &p->wallet) < 0)
		return fail("wallet: %s %s", in->wallet, vl_err);
	if (in->line == 0 && in->wallet && !*in->wallet)
		return fail("wallet: is empty");
	if (in->mprice && *in->mprice && strcmp(in->mprice, "yes") != 0)
		return fail("member_price: %s is neither yes nor empty",
		    in->mprice);
	p->mprice = in->mprice && *in->mprice;
	/* a batch's fields were checked as they were read */
	if (in->line == 0 && (field_check("items", opt(in->items)) < 0 ||
	    field_check("associate", opt(in->associate)) < 0 ||
	    field_check("store", opt(in->store)) < 0 ||
	    field_check("note", opt(in->note)) < 0))
		return -1;
	if (items_parse(opt(in->items), strlen(opt(in->items)), &p->items,
	    &p->nitems) < 0)
		return fail("items: %s", vl_err);
	return 0;
}

/* A new index in ids, of member id at slot. */
static size_t
new_index(struct post *ps, char *id, long slot)
{
	if (ps->nids == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 16;
		ps->idv = erealloc(ps->idv, ps->cap * sizeof *ps->idv);
		ps->mv = erealloc(ps->mv, ps->cap * sizeof *ps->mv);
		ps->slotv = erealloc(ps->slotv, ps->cap * sizeof *ps->slotv);
		ps->rix = erealloc(ps->rix, ps->cap * sizeof *ps->rix);
	}
	ps->idv[ps->nids] = id;
	memset(&ps->mv[ps->nids], 0, sizeof ps->mv[ps->nids]);
	ps->slotv[ps->nids] = slot;
	ps->rix[ps->nids] = SIZE_MAX;
	return ps->nids++;
}

/* The index of member id, made when first seen. */
static size_t
id_index(struct post *ps, const char *id)
{
	size_t *ix = strmap_get(&ps->ids, id);

	if (ix)
		return *ix;
	strmap_put(&ps->ids, id, ps->nids);
	return new_index(ps, estrdup(id), -1);
}

static void find_receipt(struct post *, struct prep *, size_t);

/* The member of a sale, found once per MEMBER given: 0 none. */
static int
find_member(struct post *ps, struct prep *p)
{
	const char *key = opt(p->in->member);
	struct member m;
	size_t *ix, rx;
	int r;

	/* an id names her before a phone does: a buyer's id found before
	 * needs no second copy in keys */
	if (((ix = strmap_get(&ps->ids, key)) && ps->mv[*ix].f[0]) ||
	    (ix = strmap_get(&ps->keys, key))) {
		p->ix = *ix;
		return 1;
	}
	if ((r = store_member(&ps->st, key, &m)) < 0)
		die_last();
	if (r == 0)
		return 0;
	p->ix = id_index(ps, m.f[M_MEMBER]);
	if (!ps->mv[p->ix].f[0])
		ps->mv[p->ix] = m;
	else
		free(m.f[0]);
	if (strcmp(key, ps->mv[p->ix].f[M_MEMBER]) != 0)
		strmap_put(&ps->keys, key, p->ix);
	/* the referrer's balance moves too (id_index may move rix) */
	if (*ps->mv[p->ix].f[M_REFERRER]) {
		rx = id_index(ps, ps->mv[p->ix].f[M_REFERRER]);
		ps->rix[p->ix] = rx;
	}
	return 1;
}

/* A batch's members by their places in the index, on two threads: each
 * row's place (the rows in halves), then each one's record and her
 * referrer's place (the members in halves).  Nothing said from there:
 * a row whose member is not found is refused, a record not read so is
 * asked of the store after, one by one. */
struct findpart {
	struct post *ps;
	size_t lo, hi;
	long *rslot;		/* the referrer's place, by index */
};

static void *
find_places(void *arg)
{
	struct findpart *fp = arg;
	struct prep *p;

	for (p = fp->ps->p + fp->lo; p < fp->ps->p + fp->hi; p++)
		if (!p->err)
			p->ix = (size_t)store_find(&fp->ps->st,
			    opt(p->in->member), BY_ID | BY_PHONE);
	return NULL;
}

static void *
find_records(void *arg)
{
	struct findpart *fp = arg;
	struct post *ps = fp->ps;
	size_t i;

	for (i = fp->lo; i < fp->hi; i++) {
		fp->rslot[i] = -1;
		if (store_member_slot(&ps->st, ps->slotv[i], &ps->mv[i]) &&
		    *ps->mv[i].f[M_REFERRER])
			fp->rslot[i] = store_find(&ps->st,
			    ps->mv[i].f[M_REFERRER], BY_ID);
	}
	return NULL;
}

/* Each row's member, as find_member finds her, and the receipts given. */
static void
find_all(struct post *ps)
{
	struct findpart fp[2];
	struct strmap others = { 0 };
	struct ixmember im;
	struct member m;
	uint32_t *ixof = ecalloc(store_nmembers(&ps->st) + 1, sizeof *ixof);
	size_t i, nb, ix, *rx;
	long slot;
	int r;

	fp[0] = (struct findpart){ ps, 0, ps->n / 2, NULL };
	fp[1] = (struct findpart){ ps, ps->n / 2, ps->n, NULL };
	run_both(find_places, &fp[0], &fp[1]);
	for (i = 0; i < ps->n; i++) {
		struct prep *p = &ps->p[i];

		if (p->err)
			continue;
		if (p->ix == SIZE_MAX) {
			fail("member: %s is not a member id or phone",
			    opt(p->in->member));
			refuse(ps, p);
			continue;
		}
		slot = (long)p->ix;
		if (!ixof[slot])
			ixof[slot] = (uint32_t)new_index(ps, NULL, slot) + 1;
		p->ix = ixof[slot] - 1;
		find_receipt(ps, p, i);
	}
	nb = ps->nids;
	fp[0] = (struct findpart){ ps, 0, nb / 2, emalloc((nb + 1) *
	    sizeof *fp[0].rslot) };
	fp[1] = (struct findpart){ ps, nb / 2, nb, fp[0].rslot };
	run_both(find_records, &fp[0], &fp[1]);
	for (i = 0; i < nb; i++) {
		if (!ps->mv[i].f[0]) {
			if (!store_member_at(&ps->st, (uint64_t)ps->slotv[i],
			    &im))
				die(E_SYSTEM, "the index lost a member: run "
				    "ledger-check --repair");
			if ((r = store_member_by(&ps->st, im.id, BY_ID, &m)) < 0)
				die_last();
			if (r == 0)
				die(E_SYSTEM, "members.tsv: the index points "
				    "at no record; run ledger-check --repair");
			ps->mv[i] = m;
			fp[0].rslot[i] = *m.f[M_REFERRER] ? store_find(&ps->st,
			    m.f[M_REFERRER], BY_ID) : -1;
		}
		ps->idv[i] = ps->mv[i].f[M_MEMBER];
		if (!*ps->mv[i].f[M_REFERRER])
			continue;
		/* the referrer's balance moves too */
		/* (new_index may move rix and mv) */
		if ((slot = fp[0].rslot[i]) >= 0) {
			if (!ixof[slot])
				ixof[slot] = (uint32_t)new_index(ps,
				    ps->mv[i].f[M_REFERRER], slot) + 1;
			ix = ixof[slot] - 1;
		} else if ((rx = strmap_get(&others, ps->mv[i].f[M_REFERRER]))) {
			ix = *rx;
		} else {
			ix = new_index(ps, ps->mv[i].f[M_REFERRER], -1);
			strmap_put(&others, ps->idv[ix], ix);
		}
		ps->rix[i] = ix;
	}
	free(fp[0].rslot);
	free(ixof);
	strmap_free(&others);
}

static int
posted_row(void *arg, const struct tsv *t)
{
	struct prep *p = arg;
	struct buf line = { 0 };
	struct posted *ex = p->ex = ecalloc(1, sizeof *ex);

	tsv_line(&line, t);
	ex->row = estrndup(line.p, line.n);
	buf_free(&line);
	ex->member = estrdup(t->f[S_MEMBER]);
	ex->kind = estrdup(t->f[S_KIND]);
	ex->items = estrdup(t->f[S_ITEMS]);
	ex->used = tsv_int(t, S_POINTS_USED);
	ex->wallet = t->fl[S_WALLET] ? tsv_money(t, S_WALLET) : 0;
	ex->at = tsv_time(t, S_AT);
	return 0;
}

/* A receipt given, first in the batch: the row already posted with it,
 * if any.  Row i's member is found. */
static void
find_receipt(struct post *ps, struct prep *p, size_t i)
{
	p->receipt = opt(p->in->receipt);
	if (!*p->receipt || strmap_get(&ps->wanted, p->receipt))
		return;
	strmap_put(&ps->wanted, p->receipt, i);
	if (store_sale(&ps->st, p->receipt, posted_row, p) < 0)
		die_last();
}

/* A receipt posted before: the same sale again is a safe retry. */
static int
same_sale(const struct prep *p)
{
	const struct posted *ex = p->ex;
	struct item *v;
	size_t nv, len = strlen(ex->items);
	int same;

	if (strcmp(ex->kind, "sale") != 0 ||
	    strcmp(ex->member, p->m->f[M_MEMBER]) != 0 ||
	    ex->used != p->used || ex->wallet != p->wallet)
		return 0;
	if (items_parse(ex->items, len, &v, &nv) < 0) {
		free(v);
		return 0;
	}
	same = items_equal(v, nv, p->items, p->nitems);
	free(v);
	return same;
}

/* The member's earlier sale rows in the birthday window: those written
 * (before receipt upto, for a retry), and the batch's before this. */
struct bdayscan {
	struct bday *bd;
	const struct rules *r;
	const char *member, *birthday, *upto;
	int stopped;
};

static int
bday_scan(void *arg, const struct tsv *t)
{
	struct bdayscan *sc = arg;

	if (sc->upto && strcmp(t->f[S_RECEIPT], sc->upto) == 0)
		sc->stopped = 1;
	if (!sc->stopped && strcmp(t->f[S_MEMBER], sc->member) == 0 &&
	    tsv_field_is(t, S_KIND, "sale"))
		bday_row(sc->bd, sc->r, sc->birthday, tsv_time(t, S_AT),
		    tsv_int(t, S_BIRTHDAY_UNITS));
	return 0;
}

struct unit {
	int64_t price;
	size_t item;
};

/* The dearest units first, then in item order. */
static int
dearest(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;

	if (x->price != y->price)
		return x->price > y->price ? -1 : 1;
	return x->item < y->item ? -1 : x->item > y->item;
}

/* --member-price (SPEC section 9): each item without its own -DISC% at
 * the tier's discount at at, or at birthday= for the units the window
 * has left, the dearest first.  upto: a retry, priced as when receipt
 * upto was posted. */
static int
price_items(struct post *ps, struct prep *p, vltime_t at, const char *upto)
{
	const struct rules *r = &ps->rules;
	const char *id = p->m->f[M_MEMBER];
	struct tierstate ts;
	struct bday bd;
	struct bdayscan sc = { &bd, r, id, p->m->f[M_BIRTHDAY], upto, 0 };
	const struct tier *t;
	struct unit *u;
	int64_t left = 0, *bu, take;
	size_t i, n = 0;
	int ti;

	tier_at(&ps->tl[p->ix], at, r, p->m->joined, &ts);
	if ((ti = rules_tier(r, ts.tier)) < 0)
		return fail("tier: member %s has tier %s, which rules.conf does "
		    "not define; move the member with tier-set", id, ts.tier);
	t = &r->tiers[ti];
	if (bday_start(&bd, r, t, p->m->f[M_BIRTHDAY], TIME_DAY(at))) {
		if (store_rows(&ps->st, SALES, id, bday_scan, &sc) < 0)
			die_last();
		for (i = 0; !upto && i < ps->nbdu; i++)
			if (ps->bdu[i].ix == p->ix)
				bday_row(&bd, r, sc.birthday, ps->bdu[i].at,
				    ps->bdu[i].units);
		left = bday_left(&bd, r);
	}
	u = ecalloc(p->nitems + 1, sizeof *u);
	bu = ecalloc(p->nitems + 1, sizeof *bu);
	for (i = 0; i < p->nitems; i++)
		if (p->items[i].disc < 0)
			u[n++] = (struct unit){ p->items[i].price, i };
	sort(u, n, sizeof *u, dearest);
	for (i = 0; i < n && left != 0; i++) {
		take = p->items[u[i].item].qty;
		if (left > 0 && take > left)
			take = left;
		bu[u[i].item] = take;
		if (left > 0)
			left -= take;
	}
	p->priced.n = 0;
	p->bunits = 0;
	for (i = 0; i < p->nitems; i++) {
		const struct item *it = &p->items[i];

		if (i > 0)
			buf_addc(&p->priced, ',');
		if (it->disc >= 0) {
			item_fmt(&p->priced, it, it->qty, it->disc);
			continue;
		}
		if (bu[i] > 0)
			item_fmt(&p->priced, it, bu[i], bd.pct);
		if (bu[i] > 0 && bu[i] < it->qty)
			buf_addc(&p->priced, ',');
		if (bu[i] < it->qty)
			item_fmt(&p->priced, it, it->qty - bu[i],
			    t->discount > 0 ? t->discount : -1);
		p->bunits += bu[i];
	}
	free(u);
	free(bu);
	buf_addc(&p->priced, '\0');
	p->priced.n--;
	free(p->items);
	return items_parse(p->priced.p, p->priced.n, &p->items, &p->nitems);
}

static void
check(struct post *ps, struct prep *p, struct buf *rows)
{
	const struct rules *r = &ps->rules;
	struct saleinput *in = p->in;
	struct tierstate ts;
	struct salecalc c;
	int64_t low;
	day_t avail;
	int tier;
	char m1[32], m2[32];
	size_t rx;
	const char *referrer, *receipt = p->receipt;
	char autoid[32];

	if (p->ex) {
		if (p->mprice && price_items(ps, p, p->ex->at, p->receipt) < 0) {
			refuse(ps, p);
			return;
		}
		if (same_sale(p))
			return;
		fail("receipt: %s is already posted with other content",
		    p->receipt);
		refuse(ps, p);
		return;
	}
	if (!*receipt) {
		/* never an id that another row of the batch gives */
		do
			auto_id_fmt('S', ++ps->maxs, autoid);
		while (strmap_get(&ps->wanted, autoid));
		receipt = autoid;
	} else if (strmap_get(&ps->wanted, p->receipt) &&
	    *strmap_get(&ps->wanted, p->receipt) != (size_t)(p - ps->p)) {
		fail("receipt: %s is given twice", p->receipt);
		refuse(ps, p);
		return;
	}
	if (p->at < p->m->joined) {
		fail("at: the sale is before member %s joined", p->m->f[M_MEMBER]);
		refuse(ps, p);
		return;
	}
	/* staff.tsv is read once per associate, not once per row */
	if (!strmap_get(&ps->staffok, opt(in->associate))) {
		if (staff_check(ps->vl, opt(in->associate)) < 0) {
			refuse(ps, p);
			return;
		}
		strmap_put(&ps->staffok, opt(in->associate), 1);
	}
	if (p->mprice && price_items(ps, p, p->at, NULL) < 0) {
		refuse(ps, p);
		return;
	}
	tier_at(&ps->tl[p->ix], p->at, r, p->m->joined, &ts);
	if ((tier = rules_tier(r, ts.tier)) < 0) {
		fail("tier: member %s has tier %s, which rules.conf does not "
		    "define; move the member with tier-set", p->m->f[M_MEMBER],
		    ts.tier);
		refuse(ps, p);
		return;
	}
	if (p->used > 0 && points_spend_check(r, "use-points", p->used) < 0) {
		refuse(ps, p);
		return;
	}
	referrer = p->m->f[M_REFERRER];
	if (sale_compute(r, p->items, p->nitems, p->used, r->tiers[tier].mult,
	    *referrer != '\0', &c) < 0) {
		refuse(ps, p);
		return;
	}
	if (p->used > 0 &&
	    (low = balance_min(&ps->hs[p->ix], p->at, ps->vl->now)) < p->used) {
		fail("use-points: %lld points asked, %lld can be used",
		    (long long)p->used, (long long)(low > 0 ? low : 0));
		refuse(ps, p);
		return;
	}
	if (p->wallet > c.paid) {
		fail("wallet: %s asked, more than the sale's paid %s",
		    money_fmt(p->wallet, m1), money_fmt(c.paid, m2));
		refuse(ps, p);
		return;
	}
	if (p->wallet > 0 &&
	    (low = balance_min(&ps->ws[p->ix], p->at, ps->vl->now)) < p->wallet) {
		fail("wallet: %s asked, %s can be used", money_fmt(p->wallet, m1),
		    money_fmt(low > 0 ? low : 0, m2));
		refuse(ps, p);
		return;
	}
	rx = *referrer ? ps->rix[p->ix] : SIZE_MAX;
	if (points_fit(ps->tot[p->ix], p->m->f[M_MEMBER],
	    c.earned - p->used) < 0 || (rx != SIZE_MAX &&
	    points_fit(ps->tot[rx], referrer, c.referral) < 0)) {
		refuse(ps, p);
		return;
	}
	avail = TIME_DAY(p->at) + r->hold_days;
	if (date_check(avail) < 0) {
		refuse(ps, p);
		return;
	}
	/* later sales of the batch see this one's points */
	ps->tot[p->ix] += (wide_t)c.earned - p->used;
	if (ps->need[p->ix])
		history_add(&ps->hs[p->ix], p->at, avail, c.earned, p->used);
	if (rx != SIZE_MAX && c.referral) {
		ps->tot[rx] += c.referral;
		if (ps->need[rx])
			history_add(&ps->hs[rx], p->at, avail, c.referral, 0);
	}
	if (p->wallet > 0)
		history_add(&ps->ws[p->ix], p->at, TIME_DAY(p->at), 0, p->wallet);
	if (p->bunits > 0) {
		if (ps->nbdu == ps->capbdu)
			ps->bdu = erealloc(ps->bdu, (ps->capbdu = ps->capbdu ?
			    2 * ps->capbdu : 16) * sizeof *ps->bdu);
		ps->bdu[ps->nbdu++] = (struct bdayused){ p->ix, p->at,
		    p->bunits };
	}
	salerow_fmt(rows, &(struct salerow){ p->at, receipt,
	    p->m->f[M_MEMBER], "sale", receipt, c.goods, p->used, c.paid,
	    c.earned, avail, referrer, c.referral, ts.tier, opt(in->store),
	    opt(in->associate), p->mprice ? p->priced.p : in->items,
	    opt(in->note), p->bunits, p->wallet, p->wallet > 0 });
}

/* A batch of many members: their movements from one scan of the index
 * rather than a walk of each one's rows (which lie all over it). */
#define MANY 1024

struct scanhist {
	int32_t *ix;		/* by place in the index: in ids, or -1 */
	struct history *hs;
};

static void
hist_rows(void *arg, const struct ixrow *v, size_t n)
{
	struct scanhist *sh = arg;
	const struct ixrow *r;

	for (r = v; r < v + n; r++)
		if ((r->kind == K_BUYER || r->kind == K_REFERRER ||
		    r->kind == K_POINTS) && sh->ix[r->slot] >= 0)
			history_add(&sh->hs[sh->ix[r->slot]], r->at, r->avail,
			    r->credit, r->kind == K_BUYER ? r->used : 0);
}

/* store_history for every member in ids that needs it at once: 0, or -1
 * when the index does not stand for all the rows (then each is asked
 * alone). */
static int
histories(struct post *ps)
{
	struct store *st = &ps->st;
	struct scanhist sh;
	uint64_t n = store_nmembers(st);
	size_t i;
	long slot;
	int l;

	if (!st->writer)
		return -1;
	for (l = SALES; l <= POINTS; l++)
		if (store_folded(st, l) < st->size[l])
			return -1;
	sh.ix = emalloc((n + 1) * sizeof *sh.ix);
	memset(sh.ix, 0xff, (n + 1) * sizeof *sh.ix);
	sh.hs = ps->hs;
	for (i = 0; i < ps->nids; i++)
		if (ps->need[i] && (slot = ps->byslot ? ps->slotv[i] :
		    store_slot(st, ps->idv[i])) >= 0)
			sh.ix[slot] = (int32_t)i;
	if (store_scan(st, 0, store_nrows(st), hist_rows, &sh) < 0)
		die_last();
	free(sh.ix);
	return 0;
}

static int
sales_post(struct vl *vl, struct saleinput *in, size_t n)
{
	struct post ps = { 0 };
	struct buf rows = { 0 }, out = { 0 };
	size_t i, nneed;

	ps.vl = vl;
	ps.n = n;
	ps.p = ecalloc(n, sizeof *ps.p);
	for (i = 0; i < n; i++) {
		ps.p[i].in = &in[i];
		if (precheck(&ps.p[i], vl->now) < 0)
			refuse(&ps, &ps.p[i]);
	}
	if (rules_load(vl, &ps.rules) < 0)
		die_last();
	if (ledger_begin(vl) < 0 || sales_writable(vl) < 0)
		die_last();
	for (i = 0; i < n; i++)
		if (!in[i].at || !*in[i].at)
			ps.p[i].at = vl->now;	/* the clock read under the lock */
	if (store_open(&ps.st, vl, 1) < 0)
		die_last();
	if (n >= MANY) {
		store_preload(&ps.st, MEMBERS);
		store_preload(&ps.st, TIERS);
	}
	/* a batch whose members the index has finds each once, by her
	 * place, and asks the rest of her by it */
	ps.byslot = n >= MANY && store_finds(&ps.st);
	for (i = 0; !ps.byslot && i < n; i++) {
		struct prep *p = &ps.p[i];

		if (p->err)
			continue;
		if (!find_member(&ps, p)) {
			fail("member: %s is not a member id or phone",
			    opt(in[i].member));
			refuse(&ps, p);
			continue;
		}
		find_receipt(&ps, p, i);
	}
	if (ps.byslot)
		find_all(&ps);
	if (store_maxauto(&ps.st, 'S', &ps.maxs) < 0)
		die_last();
	ps.hs = ecalloc(ps.nids + 1, sizeof *ps.hs);
	ps.need = ecalloc(ps.nids + 1, 1);
	ps.tot = ecalloc(ps.nids + 1, sizeof *ps.tot);
	ps.ws = ecalloc(ps.nids + 1, sizeof *ps.ws);
	ps.tl = ecalloc(ps.nids + 1, sizeof *ps.tl);
	/* a member's history only for balance_min, of the points she uses;
	 * what she has in all is the index's sum, or her history's */
	for (i = 0; i < n; i++)
		if (!ps.p[i].err && ps.p[i].used > 0)
			ps.need[ps.p[i].ix] = 1;
	for (i = 0, nneed = 0; i < ps.nids; i++) {
		if (!(ps.byslot ? store_points_at(&ps.st, ps.slotv[i],
		    &ps.tot[i]) : store_points_sum(&ps.st, ps.idv[i], &ps.tot[i])))
			ps.need[i] = 2;
		nneed += ps.need[i] != 0;
	}
	if (nneed < MANY || histories(&ps) < 0)
		for (i = 0; i < ps.nids; i++)
			if (ps.need[i] && store_history(&ps.st, ps.idv[i],
			    &ps.hs[i]) < 0)
				die_last();
	for (i = 0; i < ps.nids; i++)
		if (ps.need[i] == 2)
			ps.tot[i] = history_sum(&ps.hs[i]);
	for (i = 0; i < ps.nids; i++)
		if ((ps.byslot ? store_tierlog_at(&ps.st, ps.slotv[i], ps.idv[i],
		    &ps.tl[i]) : store_tierlog(&ps.st, ps.idv[i], &ps.tl[i])) < 0)
			die_last();
	/* stored value only for the buyers who pay with it */
	for (i = 0; i < n; i++)
		if (!ps.p[i].err && ps.p[i].wallet > 0 && ps.ws[ps.p[i].ix].v ==
		    NULL && store_wallet(&ps.st, ps.idv[ps.p[i].ix],
		    &ps.ws[ps.p[i].ix]) < 0)
			die_last();
	for (i = 0; i < n; i++)
		if (!ps.p[i].err)
			ps.p[i].m = &ps.mv[ps.p[i].ix];
	for (i = 0; i < n; i++) {
		struct prep *p = &ps.p[i];
		size_t before = rows.n;

		if (!p->err)
			check(&ps, p, &rows);
		if (p->err) {
			warn("line %ld: %s", p->in->line, p->err);
			continue;
		}
		if (vl->quiet)
			continue;	/* nothing to say: no copy to make */
		if (p->ex && rows.n == before)
			buf_adds(&out, p->ex->row);
		else if (rows.n > before)
			buf_add(&out, rows.p + before, rows.n - before);
	}
	if (ps.bad)
		return E_REFUSE;
	if (ledger_append(vl, &L_SALES, &rows) < 0)
		die_last();
	store_update(&ps.st);
	store_close(&ps.st);
	ledger_unlock(vl);
	emit(vl, &out);
	return E_OK;
}

int
main(int argc, char *argv[])
{
	struct saleinput one = { 0 }, *in;
	struct optparse op;
	struct batch b;
	struct buf items = { 0 };
	struct vl vl;
	size_t i;
	int c, given = 0, csv = 0, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == O_CSVIN) {
			csv = 1;
			continue;
		}
		given = 1;
		switch (c) {
		case 'r': one.receipt = op.arg; break;
		case O_AT: one.at = op.arg; break;
		case O_USE: one.points = op.arg; break;
		case O_ASSOC: one.associate = op.arg; break;
		case O_STORE: one.store = op.arg; break;
		case O_NOTE: one.note = op.arg; break;
		case O_WALLET: one.wallet = op.arg; break;
		case O_MPRICE: one.mprice = "yes"; break;
		}
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands == 1 && strcmp(op.operands[0], "-") == 0) {
		if (given)
			usage_error("sale options do not go with -");
		if (vl_ready(&vl) < 0)
		die_last();
		if (batch_read(&b, batch_cols, 10, csv) < 0)
			die_last();
		if (!batch_has(&b, 2) || !batch_has(&b, 3))
			die(E_REFUSE, "line 1: the columns member and items "
			    "are required");
		in = ecalloc(b.n, sizeof *in);
		for (i = 0; i < b.n; i++) {
			char **v = b.rows[i].v;

			in[i] = (struct saleinput){ b.rows[i].line,
			    b.rows[i].err, v[0], v[1], v[2], v[3] ? v[3] : "",
			    v[4], v[5], v[6], v[7], v[8], v[9] };
		}
		rc = sales_post(&vl, in, b.n);
	} else {
		if (csv)
			usage_error("--csv goes with -, the batch on stdin");
		if (op.noperands < 1)
			usage_error("no member given");
		if (op.noperands < 2)
			die(E_REFUSE, "items: no items: give at least one, e.g. "
			    "1280 or 2x459/899");
		if (vl_ready(&vl) < 0)
		die_last();
		one.member = op.operands[0];
		for (i = 1; i < (size_t)op.noperands; i++) {
			if (item_arg_check(op.operands[i]) < 0)
				die(E_REFUSE, "items: %s", vl_err);
			if (i > 1)
				buf_addc(&items, ',');
			buf_adds(&items, op.operands[i]);
		}
		one.items = items.p;
		rc = sales_post(&vl, &one, 1);
	}
	fshut();
	return rc;
}
