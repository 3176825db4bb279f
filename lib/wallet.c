/* wallet.c: a member's stored value (充值): its movements in wallet.tsv and
 * in the wallet column of sales.tsv, as a history for balance_min. */

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
