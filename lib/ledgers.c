/* ledgers.c: the ledgers' columns, and every row checked as it is read. */

#include <string.h>

#include "shop.h"

static const char *const members_cols[] = { "at", "member", "name", "phone",
	"birthday", "gender", "email", "address", "size", "referrer",
	"associate", "store", "contact", "note" };
static const char *const sales_cols[] = { "at", "receipt", "member", "kind",
	"sale", "goods", "points_used", "paid", "earned", "available_on",
	"referrer", "referral_points", "tier", "store", "associate", "items",
	"note", "birthday_units", "wallet" };
static const char *const points_cols[] = { "at", "member", "kind", "points",
	"available_on", "ref", "note" };
static const char *const tiers_cols[] = { "at", "member", "event", "from",
	"to", "since", "expires", "strikes", "reason" };
static const char *const staff_cols[] = { "staff", "name", "active" };
static const char *const wallet_cols[] = { "at", "member", "kind", "amount",
	"ref", "note" };
static const char *const notes_cols[] = { "at", "member", "kind", "staff",
	"task", "text" };

#define LEDGER(f, c) { f, c, (int)(sizeof c / sizeof c[0]), 0, 0 }
#define BYHAND(f, c) { f, c, (int)(sizeof c / sizeof c[0]), 1, 0 }
const struct ledger L_MEMBERS = LEDGER("members.tsv", members_cols);
/* 0.1 wrote sales.tsv up to note (SPEC section 2) */
const struct ledger L_SALES = { "sales.tsv", sales_cols,
	(int)(sizeof sales_cols / sizeof sales_cols[0]), 0, S_NOTE + 1 };
const struct ledger L_POINTS = LEDGER("points.tsv", points_cols);
const struct ledger L_TIERS = LEDGER("tiers.tsv", tiers_cols);
const struct ledger L_WALLET = LEDGER("wallet.tsv", wallet_cols);
const struct ledger L_NOTES = LEDGER("notes.tsv", notes_cols);
const struct ledger L_STAFF = BYHAND("staff.tsv", staff_cols);

/* Opens a ledger of DIR and checks its header; no file reads as empty. */
int
tsv_ledger(struct tsv *t, const struct vl *vl, const struct ledger *l)
{
	if (!tsv_open(t, vl_path(vl, l->file), l->file))
		return 0;
	if (!t->err && tsv_header(t, l) < 0)
		tsv_fail(t);
	return 1;
}

static int
money_col(const struct tsv *t, int col, int64_t *v)
{
	if (money_parse(t->f[col], t->fl[col], MONEY_LEDGER, v) < 0)
		return fail("field %d %s", col + 1, vl_err);
	return 0;
}

static int
int_col(const struct tsv *t, int col, int64_t *v)
{
	*v = 0;
	if (t->fl[col] && int_parse(t->f[col], t->fl[col], 1, v) < 0)
		return fail("field %d %s", col + 1, vl_err);
	return 0;
}

static int
date_col(const struct tsv *t, int col, day_t *d)
{
	if (date_parse(t->f[col], t->fl[col], d) < 0)
		return fail("field %d %s", col + 1, vl_err);
	return 0;
}

static int
time_col(const struct tsv *t, int col, vltime_t *v)
{
	if (t->fl[col] != 19 || time_parse(t->f[col], t->fl[col], v) < 0)
		return fail("field %d is not a time like 2026-03-01T10:00:00",
		    col + 1);
	return 0;
}

/* A row's width and typed columns, whoever reads it. */
int
tsv_row_check(const struct tsv *t, const struct ledger *l)
{
	vltime_t at;
	int64_t v;
	day_t d;

	if (t->nf < l->ncols)
		return fail("%d fields, expected %d", t->nf, l->ncols);
	/* kept by hand: a typo must not pass as "inactive" */
	if (l == &L_STAFF)
		return strcmp(t->f[ST_ACTIVE], "yes") &&
		    strcmp(t->f[ST_ACTIVE], "no") ? fail("active is %s, not yes "
		    "or no", t->f[ST_ACTIVE]) : 0;
	if (time_col(t, 0, &at) < 0)
		return -1;
	if (l == &L_MEMBERS && t->fl[M_MEMBER] == 0)
		return fail("member: an empty member id");
	if (l == &L_TIERS && (t->fl[T_FROM] > TIER_NAMEMAX ||
	    t->fl[T_TO] > TIER_NAMEMAX))
		return fail("a tier name is longer than %d bytes", TIER_NAMEMAX);
	if (l == &L_SALES) {
		if (money_col(t, S_GOODS, &v) < 0 ||
		    money_col(t, S_PAID, &v) < 0 ||
		    int_col(t, S_POINTS_USED, &v) < 0 ||
		    int_col(t, S_EARNED, &v) < 0 ||
		    int_col(t, S_REFERRAL_POINTS, &v) < 0 ||
		    date_col(t, S_AVAILABLE_ON, &d) < 0)
			return -1;
		if (!tsv_field_is(t, S_KIND, "sale") && !tsv_field_is(t, S_KIND, "return"))
			return fail("kind %s is neither sale nor return",
			    t->f[S_KIND]);
		if (t->fl[S_ITEMS] && items_valid(t->f[S_ITEMS], t->fl[S_ITEMS]) < 0)
			return fail("items: %s", vl_err);
		if (int_col(t, S_BIRTHDAY_UNITS, &v) < 0 ||
		    (t->fl[S_WALLET] && money_col(t, S_WALLET, &v) < 0))
			return -1;
	} else if (l == &L_WALLET) {
		if (money_col(t, W_AMOUNT, &v) < 0)
			return -1;
	} else if (l == &L_POINTS) {
		if (int_col(t, P_POINTS, &v) < 0 ||
		    date_col(t, P_AVAILABLE_ON, &d) < 0)
			return -1;
	} else if (l == &L_TIERS) {
		if ((t->fl[T_SINCE] && date_col(t, T_SINCE, &d) < 0) ||
		    (t->fl[T_EXPIRES] && date_col(t, T_EXPIRES, &d) < 0) ||
		    int_col(t, T_STRIKES, &v) < 0)
			return -1;
	}
	return 0;
}

/* A writer of sales.tsv refuses one with the columns of 0.1. */
int
sales_writable(const struct vl *vl)
{
	struct tsv t;
	int old;

	if (!tsv_ledger(&t, vl, &L_SALES))
		return 0;
	old = t.oldcols;
	if (tsv_close(&t) < 0)
		return -1;
	if (old)
		return fail_sys("sales.tsv has the 0.1 columns; run "
		    "ledger-check --repair");
	return 0;
}

/* Reads the next row of a ledger opened by tsv_ledger, checked (exit 3). */
int
tsv_row(struct tsv *t, const struct ledger *l)
{
	if (!tsv_next(t))
		return 0;
	if (t->oldcols && t->nf == l->nold)
		tsv_pad(t, l->ncols);
	if (t->off > t->checked && tsv_row_check(t, l) < 0)
		return tsv_fail(t);
	return 1;
}

int64_t
tsv_money(const struct tsv *t, int col)
{
	int64_t v;

	if (money_col(t, col, &v) < 0)
		return 0;	/* a checked row cannot fail */
	return v;
}

int64_t
tsv_int(const struct tsv *t, int col)
{
	int64_t v;

	if (int_col(t, col, &v) < 0)
		return 0;	/* a checked row cannot fail */
	return v;
}

day_t
tsv_date(const struct tsv *t, int col)
{
	day_t d;

	if (date_col(t, col, &d) < 0)
		return 0;	/* a checked row cannot fail */
	return d;
}

vltime_t
tsv_time(const struct tsv *t, int col)
{
	vltime_t v;

	if (time_col(t, col, &v) < 0)
		return 0;	/* a checked row cannot fail */
	return v;
}
