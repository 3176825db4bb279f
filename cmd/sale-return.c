/* sale-return: take back all or part of a sale, reversing its points exactly. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char usage[] =
    "sale-return [-d DIR] [-q] [-w SECONDS] [--dry-run] [-r ID] [--at TIME]\n"
    "                   [--force] [--note TEXT] RECEIPT [AMOUNT | ITEM...]";

enum { O_AT = 300, O_FORCE, O_NOTE };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ 'r', "id", OPT_ARG },
	{ O_AT, "at", OPT_ARG },
	{ O_FORCE, "force", OPT_NOARG }, { O_NOTE, "note", OPT_ARG },
	{ 0, NULL, 0 }
};

/* The return as given. */
struct returninput {
	const char *id, *at, *note, *receipt, *amount;
	struct item *items;	/* by items: what comes back */
	size_t nitems;
	int force;
};

struct sale {
	int found, isreturn;
	vltime_t at;
	day_t avail;
	int64_t goods, used, paid, earned, referral, wallet;
	int haswallet;		/* its wallet column is not empty */
	char *member, *referrer, *tier, *store, *associate, *items;
};

struct scan {
	struct sale s;
	int64_t rgoods, rused, rearned, rreferral, rwallet;	/* returns so far */
	int byamount, byitems;	/* how it was returned so far */
	struct item *items;	/* the sale's */
	size_t nitems;
	int64_t *back;		/* by item: units returned so far */
	int overreturned;	/* the returns name more than the sale had */
	struct buf existing;	/* the row of -r ID, if posted */
	int ex_same_sale;
	int64_t ex_goods;
	char *ex_items;
	long maxs;
	const char *receipt;
};

/* Items match when PRICE, LIST, DISC and SKU do (SPEC-DETAILS). */
static int
item_match(const struct item *a, const struct item *b)
{
	struct item x = *a;

	x.qty = b->qty;
	return items_equal(&x, 1, b, 1);
}

/* Takes qty units of it from the sale's items still there (take: what
 * this return takes so far); 0 when fewer are left. */
static int
take_units(const struct scan *sc, const struct item *it, int64_t qty,
    int64_t *take)
{
	size_t j;
	int64_t n;

	for (j = 0; j < sc->nitems && qty > 0; j++) {
		if (!item_match(it, &sc->items[j]))
			continue;
		n = sc->items[j].qty - sc->back[j] - (take == sc->back ? 0 :
		    take[j]);
		if (n > qty)
			n = qty;
		if (n > 0)
			take[j] += n, qty -= n;
	}
	return qty == 0;
}

static int
existing_row(void *arg, const struct tsv *t)
{
	struct scan *sc = arg;

	tsv_line(&sc->existing, t);
	sc->ex_same_sale = strcmp(t->f[S_KIND], "return") == 0 &&
	    strcmp(t->f[S_SALE], sc->receipt) == 0;
	sc->ex_goods = tsv_money(t, S_GOODS);
	sc->ex_items = estrdup(t->f[S_ITEMS]);
	return 0;
}

static int
sale_row(void *arg, const struct tsv *t)
{
	struct scan *sc = arg;

	sc->s = (struct sale){ 1, strcmp(t->f[S_KIND], "return") == 0,
	    tsv_time(t, S_AT), tsv_date(t, S_AVAILABLE_ON),
	    tsv_money(t, S_GOODS), tsv_int(t, S_POINTS_USED),
	    tsv_money(t, S_PAID), tsv_int(t, S_EARNED),
	    tsv_int(t, S_REFERRAL_POINTS),
	    t->fl[S_WALLET] ? tsv_money(t, S_WALLET) : 0, t->fl[S_WALLET] > 0,
	    estrdup(t->f[S_MEMBER]), estrdup(t->f[S_REFERRER]),
	    estrdup(t->f[S_TIER]), estrdup(t->f[S_STORE]),
	    estrdup(t->f[S_ASSOCIATE]), estrdup(t->f[S_ITEMS]) };
	free(sc->items);
	sc->items = NULL;
	sc->nitems = 0;
	if (!sc->s.isreturn && items_parse(sc->s.items, strlen(sc->s.items),
	    &sc->items, &sc->nitems) < 0)
		sc->nitems = 0;
	sc->back = ecalloc(sc->nitems + 1, sizeof *sc->back);
	return 0;
}

static int
return_row(void *arg, const struct tsv *t)
{
	struct scan *sc = arg;

	struct item *v;
	size_t n, i;

	sc->rgoods += tsv_money(t, S_GOODS);
	sc->rused += tsv_int(t, S_POINTS_USED);
	sc->rearned += tsv_int(t, S_EARNED);
	sc->rreferral += tsv_int(t, S_REFERRAL_POINTS);
	sc->rwallet += t->fl[S_WALLET] ? tsv_money(t, S_WALLET) : 0;
	if (!t->fl[S_ITEMS]) {
		sc->byamount = 1;
		return 0;
	}
	sc->byitems = 1;
	if (items_parse(t->f[S_ITEMS], t->fl[S_ITEMS], &v, &n) < 0) {
		sc->overreturned = 1;
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!take_units(sc, &v[i], v[i].qty, sc->back))
			sc->overreturned = 1;
	free(v);
	return 0;
}

/* The sale, its returns so far, the row of -r ID if posted. */
static void
scan_sales(struct store *st, const struct returninput *in, struct scan *sc)
{
	sc->receipt = in->receipt;
	if ((*in->id && store_sale(st, in->id, existing_row, sc) < 0) ||
	    store_sale(st, in->receipt, sale_row, sc) < 0 ||
	    store_returns(st, in->receipt, return_row, sc) < 0 ||
	    store_maxauto(st, 'S', &sc->maxs) < 0)
		die_last();
}

/* The money value of the sale's points still used, x of them: a share of
 * the sale's own value, so the rows' values add up to it exactly. */
static int64_t
value_left(const struct sale *s, int64_t x)
{
	return s->used == 0 ? 0 : share_left(s->goods - s->paid, x, s->used);
}

/* -r ID again by items: the same items, as parsed. */
static int
same_items(const struct returninput *in, const char *items)
{
	struct item *v;
	size_t n;
	int same;

	if (items_parse(items, strlen(items), &v, &n) < 0)
		return 0;
	same = items_equal(in->items, in->nitems, v, n);
	free(v);
	return same;
}

/* A return by items: takes the units given (all that are left, with
 * none given) and writes them, spelled as the sale wrote them; the goods
 * that remain after. */
static int64_t
items_back(struct scan *sc, const struct returninput *in, struct buf *out)
{
	int64_t *take = ecalloc(sc->nitems + 1, sizeof *take), g1 = 0;
	size_t i, j;

	for (i = 0; i < in->nitems; i++) {
		const struct item *it = &in->items[i];

		if (!take_units(sc, it, it->qty, take))
			die(E_REFUSE, "items: fewer than %lld unit%s of %.*s "
			    "are left of %s", (long long)it->qty, it->qty > 1 ?
			    "s" : "", (int)it->pllen, it->pl, in->receipt);
		for (j = 0; !item_match(it, &sc->items[j]); j++)
			;
		if (i > 0)
			buf_addc(out, ',');
		item_fmt(out, &sc->items[j], it->qty, sc->items[j].disc);
	}
	for (j = 0; j < sc->nitems; j++) {
		if (in->nitems == 0 && sc->items[j].qty > sc->back[j]) {
			take[j] = sc->items[j].qty - sc->back[j];
			if (out->n)
				buf_addc(out, ',');
			item_fmt(out, &sc->items[j], take[j], sc->items[j].disc);
		}
		sc->back[j] += take[j];
		g1 += (sc->items[j].qty - sc->back[j]) *
		    item_unit_paid(&sc->items[j]);
	}
	free(take);
	return g1;
}

/* What the units left still earn (SPEC 3, sale-return by items): the
 * sale-post formula over them, never more than remained before. */
static int64_t
earned_left(const struct rules *r, const struct scan *sc, int64_t g1)
{
	const struct sale *s = &sc->s;
	struct item *rem = ecalloc(sc->nitems + 1, sizeof *rem);
	struct salecalc c = { 0 };
	int64_t before = s->earned + sc->rearned, mult = 100;
	size_t j, n = 0;
	int ti;

	for (j = 0; j < sc->nitems; j++)
		if (sc->items[j].qty > sc->back[j]) {
			rem[n] = sc->items[j];
			rem[n++].qty = sc->items[j].qty - sc->back[j];
		}
	/* a tier rules.conf no longer defines: multiplier 1 */
	if ((ti = rules_tier(r, s->tier)) >= 0)
		mult = r->tiers[ti].mult;
	if (n > 0 && sale_compute(r, rem, n, share_left(s->used, g1,
	    s->goods), mult, 0, &c) < 0)
		die_last();
	free(rem);
	return c.earned < before ? c.earned : before;
}

static int
sale_return(struct vl *vl, const struct returninput *given)
{
	struct returninput r = *given, *in = &r;
	struct rules rules;
	struct scan sc = { 0 };
	struct store st;
	struct sale *s = &sc.s;
	struct buf rows = { 0 }, note = { 0 };
	vltime_t at = vl->now;
	int64_t amount = -1, left, g1, used, earned, referral, value, wallet;
	day_t avail;
	char receipt[72], note_amount[32];
	struct buf back = { 0 };	/* the items of a return by items */
	int late, byitems;

	if ((in->id && !*in->id) || (in->at && !*in->at))
		die(E_REFUSE, "%s: is empty", in->at && !*in->at ? "at" : "id");
	if (!in->id)
		in->id = "";
	if (*in->id && id_check("id", in->id, 64) < 0)
		die(E_REFUSE, "%s", vl_err);
	if (in->at) {
		if (time_parse(in->at, strlen(in->at), &at) < 0)
			die(E_REFUSE, "at: %s", vl_err);
		if (at > vl->now)
			die(E_REFUSE, "at: %s is in the future", in->at);
	}
	if (in->amount) {
		if (money_parse(in->amount, strlen(in->amount), MONEY_INPUT,
		    &amount) < 0)
			die(E_REFUSE, "amount: %s %s", in->amount, vl_err);
		if (amount == 0)
			die(E_REFUSE, "amount: must be above 0.00");
	}
	if (field_check("note", in->note) < 0)
		die(E_REFUSE, "%s", vl_err);
	if (rules_load(vl, &rules) < 0)
		die_last();
	if (ledger_begin(vl) < 0 || sales_writable(vl) < 0)
		die_last();
	if (!in->at)
		at = vl->now;
	if (store_open(&st, vl, 1) < 0)
		die_last();
	scan_sales(&st, in, &sc);
	if (sc.existing.n) {
		if (!sc.ex_same_sale || (amount >= 0 && -sc.ex_goods != amount) ||
		    (in->nitems && !same_items(in, sc.ex_items)))
			die(E_REFUSE, "id: %s is already used", in->id);
		ledger_unlock(vl);
		emit(vl, &sc.existing);
		return E_OK;
	}
	if (!s->found)
		die(E_REFUSE, "receipt: %s is not a posted sale", in->receipt);
	if (s->isreturn)
		die(E_REFUSE, "receipt: %s is a return, not a sale", in->receipt);
	if (at < s->at)
		die(E_REFUSE, "at: the return is before its sale");
	/* with return_days and hold_days alike, the last day a return is
	 * taken is the day before the sale's points count */
	late = TIME_DAY(at) - TIME_DAY(s->at) >= rules.return_days;
	if (late && !in->force)
		die(E_REFUSE, "at: %d days or more after the sale; a return "
		    "past the window needs --force", rules.return_days);
	left = s->goods + sc.rgoods;
	if (left <= 0)
		die(E_REFUSE, "receipt: nothing is left of %s to return",
		    in->receipt);
	if (in->nitems && sc.byamount)
		die(E_REFUSE, "items: %s is being returned by amount; give an "
		    "amount", in->receipt);
	if (amount >= 0 && sc.byitems)
		die(E_REFUSE, "amount: %s is being returned by items; give the "
		    "items", in->receipt);
	byitems = in->nitems > 0 || (amount < 0 && sc.byitems);
	if (byitems) {
		if (sc.overreturned)
			die(E_SYSTEM, "sales.tsv: the returns of %s name more "
			    "than the sale had; run ledger-check", in->receipt);
		g1 = items_back(&sc, in, &back);
		amount = left - g1;
	} else {
		if (amount < 0)
			amount = left;
		if (amount > left) {
			char m[32];

			die(E_REFUSE, "amount: more than the %s left of %s",
			    money_fmt(left, m), in->receipt);
		}
		g1 = left - amount;
	}
	/* what remains after, less what remained before (SPEC 3) */
	used = share_left(s->used, g1, s->goods) - (s->used + sc.rused);
	wallet = share_left(s->wallet, g1, s->goods) - (s->wallet + sc.rwallet);
	referral = share_left(s->referral, g1, s->goods) -
	    (s->referral + sc.rreferral);
	if (byitems)
		earned = earned_left(&rules, &sc, g1) - (s->earned + sc.rearned);
	else
		earned = share_left(s->earned, g1, s->goods) -
		    (s->earned + sc.rearned);
	value = value_left(s, s->used + sc.rused + used) -
	    value_left(s, s->used + sc.rused);
	/* points are whole: a sliver of goods paid with points could give
	 * back a point worth more than itself, and a return never pays */
	if (-amount - value > 0)
		die(E_REFUSE, "amount: returning %s would give back points "
		    "worth more than the goods; return more at once",
		    money_fmt(amount, note_amount));
	avail = TIME_DAY(at) > s->avail ? TIME_DAY(at) : s->avail;
	if (*in->id) {
		snprintf(receipt, sizeof receipt, "%s", in->id);
	} else {
		snprintf(receipt, sizeof receipt, "S%06ld", sc.maxs + 1);
	}
	if (late)
		buf_adds(&note, *in->note ? "forced; " : "forced");
	buf_adds(&note, in->note);
	buf_addc(&back, '\0');
	salerow_fmt(&rows, &(struct salerow){ at, receipt, s->member, "return",
	    in->receipt, -amount, used, -amount - value, earned, avail,
	    s->referrer, referral, s->tier, s->store, s->associate, back.p,
	    note.p, 0, wallet, s->haswallet });
	if (ledger_append(vl, &L_SALES, &rows) < 0)
		die_last();
	store_update(&st);
	store_close(&st);
	ledger_unlock(vl);
	emit(vl, &rows);
	return E_OK;
}

/* [0-9]+(.[0-9]{1,2})?: an AMOUNT; anything else is an ITEM. */
static int
plain_amount(const char *s)
{
	size_t n = strspn(s, "0123456789"), f;

	if (n == 0)
		return 0;
	if (s[n] == '\0')
		return 1;
	f = strspn(s + n + 1, "0123456789");
	return s[n] == '.' && f >= 1 && f <= 2 && s[n + 1 + f] == '\0';
}

static void
items_given(struct returninput *in, char **v, int n)
{
	int i;

	in->items = ecalloc((size_t)n, sizeof *in->items);
	for (i = 0; i < n; i++)
		if (item_arg_check(v[i]) < 0 ||
		    item_parse(v[i], strlen(v[i]), &in->items[i]) < 0)
			die(E_REFUSE, "items: %s", vl_err);
	in->nitems = (size_t)n;
}

int
main(int argc, char *argv[])
{
	struct returninput in = { NULL, NULL, "", NULL, NULL, NULL, 0, 0 };
	struct optparse op;
	struct vl vl;
	int c, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		switch (c) {
		case 'r': in.id = op.arg; break;
		case O_AT: in.at = op.arg; break;
		case O_FORCE: in.force = 1; break;
		case O_NOTE: in.note = op.arg; break;
		}
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands < 1)
		usage_error("give a receipt and, for part of it, an amount "
		    "or the items");
	if (vl_ready(&vl) < 0)
		die_last();
	in.receipt = op.operands[0];
	if (op.noperands == 2 && plain_amount(op.operands[1]))
		in.amount = op.operands[1];
	else if (op.noperands >= 2)
		items_given(&in, op.operands + 1, op.noperands - 1);
	rc = sale_return(&vl, &in);
	fshut();
	return rc;
}
