/* wallet.c: a member's stored value (充值): its movements in wallet.tsv and
 * in the wallet column of sales.tsv, as a history for balance_min; the
 * top-ups and refunds of wallet-topup and wallet-refund. */

#include <string.h>

#include "store.h"

/* Every movement counts from its own time: a top-up or a return's
 * stored value given back as a credit, a refund or a sale's as used. */
static void
moved(struct history *h, vltime_t at, int64_t amount)
{
	if (amount > 0)
		history_add(h, at, TIME_DAY(at), amount, 0);
	else if (amount < 0)
		history_add(h, at, TIME_DAY(at), 0, -amount);
}

struct purse {
	const char *id;
	struct history *h;
};

static int
sale_moved(void *arg, const struct tsv *t)
{
	struct purse *p = arg;

	if (t->fl[S_WALLET] && strcmp(t->f[S_MEMBER], p->id) == 0)
		moved(p->h, tsv_time(t, S_AT), -tsv_money(t, S_WALLET));
	return 0;
}

/* Member id's stored value movements; wallet.tsv is read whole (a shop
 * tops up far less often than it sells). */
int
store_wallet(struct store *st, const char *id, struct history *h)
{
	struct purse p = { id, h };
	struct tsv t;

	h->n = 0;
	if (store_rows(st, SALES, id, sale_moved, &p) < 0)
		return -1;
	tsv_ledger(&t, st->vl, &L_WALLET);
	while (tsv_row(&t, &L_WALLET))
		if (strcmp(t.f[W_MEMBER], id) == 0)
			moved(h, tsv_time(&t, W_AT), tsv_money(&t, W_AMOUNT));
	return tsv_close(&t);
}

/* The most stored value a member may hold: 15 digits before the point,
 * what a ledger's money holds (SPEC section 11). */
#define WALLET_MAX 99999999999999999LL

/* The wallet.tsv row of ref, as written, into row: 1, 0 none, -1. */
static int
wallet_ref(const struct vl *vl, const char *ref, struct buf *row,
    const char *member, const char *kind, int64_t amount, int *same)
{
	struct tsv t;
	int found = 0;

	tsv_ledger(&t, vl, &L_WALLET);
	while (!found && tsv_row(&t, &L_WALLET))
		if (strcmp(t.f[W_REF], ref) == 0) {
			tsv_line(row, &t);
			*same = strcmp(t.f[W_MEMBER], member) == 0 &&
			    strcmp(t.f[W_KIND], kind) == 0 &&
			    tsv_money(&t, W_AMOUNT) == amount;
			found = 1;
		}
	if (tsv_close(&t) < 0)
		return -1;
	return found;
}

/* The stored value of every movement, and delta, summed in 128 bits
 * whatever the rows hold: within WALLET_MAX either way. */
static int
wallet_fits(const struct history *h, const char *member, int64_t delta)
{
	__int128 total = delta;
	char mb[32];
	size_t i;

	for (i = 0; i < h->n; i++)
		total += (__int128)h->v[i].credit - h->v[i].used;
	if (total > WALLET_MAX || total < -WALLET_MAX)
		return fail("amount: the stored value of %s would pass %s",
		    member, money_fmt(WALLET_MAX, mb));
	return 0;
}

/* kind "topup" adds amount (cents, above 0) to the member's stored value;
 * "refund" pays it back in cash, refused above the lowest stored value
 * from at to now.  at is the --at given, or NULL: now.  0 done (or a
 * retry of the same), -1 with vl_err and vl_status. */
int
wallet_post(struct vl *vl, const char *kind, const char *key, int64_t amount,
    const char *at, const char *ref, const char *note)
{
	struct history h = { 0 };
	struct store st = { 0 };
	struct member m;
	struct rules rules;
	struct buf rows = { 0 }, existing = { 0 };
	int refund = strcmp(kind, "refund") == 0, same = 0, r;
	int64_t moved = refund ? -amount : amount, low;
	vltime_t when = 0;
	char tb[20], mb[32], lb[32];

	if (at && !*at)
		return fail("at: is empty");
	if (at && time_parse(at, strlen(at), &when) < 0)
		return fail("at: %s %s", at, vl_err);
	if (at && when > vl->now)
		return fail("at: %s is in the future", at);
	if (field_check("note", note) < 0 ||
	    (*ref && id_check("ref", ref, 64) < 0) ||
	    rules_load(vl, &rules) < 0 || ledger_begin(vl) < 0)
		return -1;
	if (!at)
		when = vl->now;
	if (store_open(&st, vl, 1) < 0 || (r = store_member(&st, key, &m)) < 0)
		goto fail;
	if (r == 0) {
		fail("member: %s is not a member id or phone", key);
		goto fail;
	}
	if (*ref && wallet_ref(vl, ref, &existing, m.f[M_MEMBER], kind,
	    moved, &same) < 0)
		goto fail;
	if (existing.n) {
		if (!same) {
			fail("ref: %s is already used for another top-up or "
			    "refund", ref);
			goto fail;
		}
		store_close(&st);
		ledger_unlock(vl);
		emit(vl, &existing);
		return 0;
	}
	if (when < m.joined) {
		fail("at: the %s is before member %s joined",
		    refund ? "refund" : "top-up", m.f[M_MEMBER]);
		goto fail;
	}
	if (store_wallet(&st, m.f[M_MEMBER], &h) < 0)
		goto fail;
	if (refund && (low = balance_min(&h, when, vl->now)) < amount) {
		fail("amount: %s asked, %s in stored value",
		    money_fmt(amount, mb), money_fmt(low > 0 ? low : 0, lb));
		goto fail;
	}
	if (wallet_fits(&h, m.f[M_MEMBER], moved) < 0)
		goto fail;
	row_field(&rows, time_fmt(when, tb), 0);
	row_field(&rows, m.f[M_MEMBER], 0);
	row_field(&rows, kind, 0);
	row_field(&rows, money_fmt(moved, mb), 0);
	row_field(&rows, ref, 0);
	row_field(&rows, note, 1);
	if (ledger_append(vl, &L_WALLET, &rows) < 0)
		goto fail;
	store_update(&st);
	store_close(&st);
	ledger_unlock(vl);
	emit(vl, &rows);
	return 0;
fail:
	store_close(&st);
	ledger_unlock(vl);
	return -1;
}
