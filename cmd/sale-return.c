/* sale-return: take back all or part of a sale, reversing its points exactly. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char usage[] =
    "sale-return [-d DIR] [-q] [-w SECONDS] [--dry-run] [-r ID] [--at TIME]\n"
    "                   [--force] [--note TEXT] RECEIPT [AMOUNT]";

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
	int force;
};

struct sale {
	int found, isreturn;
	vltime_t at;
	day_t avail;
	int64_t goods, used, paid, earned, referral;
	char *member, *referrer, *tier, *store, *associate;
};

struct scan {
	struct sale s;
	int64_t rgoods, rused, rearned, rreferral;	/* returns so far */
	struct buf existing;	/* the row of -r ID, if posted */
	int ex_same_sale;
	int64_t ex_goods;
	long maxs;
	const char *receipt;
};

static int
existing_row(void *arg, const struct tsv *t)
{
	struct scan *sc = arg;

	tsv_line(&sc->existing, t);
	sc->ex_same_sale = strcmp(t->f[S_KIND], "return") == 0 &&
	    strcmp(t->f[S_SALE], sc->receipt) == 0;
	sc->ex_goods = tsv_money(t, S_GOODS);
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
	    tsv_int(t, S_REFERRAL_POINTS), estrdup(t->f[S_MEMBER]),
	    estrdup(t->f[S_REFERRER]), estrdup(t->f[S_TIER]),
	    estrdup(t->f[S_STORE]), estrdup(t->f[S_ASSOCIATE]) };
	return 0;
}

static int
return_row(void *arg, const struct tsv *t)
{
	struct scan *sc = arg;

	sc->rgoods += tsv_money(t, S_GOODS);
	sc->rused += tsv_int(t, S_POINTS_USED);
	sc->rearned += tsv_int(t, S_EARNED);
	sc->rreferral += tsv_int(t, S_REFERRAL_POINTS);
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
	int64_t amount = -1, left, g1, used, earned, referral, value;
	day_t avail;
	char receipt[72], note_amount[32];
	int late;

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
		if (!sc.ex_same_sale || (amount >= 0 && -sc.ex_goods != amount))
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
	if (amount < 0)
		amount = left;
	if (amount > left) {
		char m[32];

		die(E_REFUSE, "amount: more than the %s left of %s",
		    money_fmt(left, m), in->receipt);
	}
	g1 = left - amount;
	/* what remains after, less what remained before (SPEC 3) */
	used = share_left(s->used, g1, s->goods) - (s->used + sc.rused);
	earned = share_left(s->earned, g1, s->goods) - (s->earned + sc.rearned);
	referral = share_left(s->referral, g1, s->goods) -
	    (s->referral + sc.rreferral);
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
	salerow_fmt(&rows, &(struct salerow){ at, receipt, s->member, "return",
	    in->receipt, -amount, used, -amount - value, earned, avail,
	    s->referrer, referral, s->tier, s->store, s->associate, "",
	    note.p, 0, 0, 0 });
	if (ledger_append(vl, &L_SALES, &rows) < 0)
		die_last();
	store_update(&st);
	store_close(&st);
	ledger_unlock(vl);
	emit(vl, &rows);
	return E_OK;
}

int
main(int argc, char *argv[])
{
	struct returninput in = { NULL, NULL, "", NULL, NULL, 0 };
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
	if (op.noperands < 1 || op.noperands > 2)
		usage_error("give a receipt and, for part of it, an amount");
	if (vl_ready(&vl) < 0)
		die_last();
	in.receipt = op.operands[0];
	in.amount = op.noperands == 2 ? op.operands[1] : NULL;
	rc = sale_return(&vl, &in);
	fshut();
	return rc;
}
