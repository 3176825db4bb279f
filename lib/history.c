/* history.c: a member's point movements, read from sales.tsv and points.tsv. */

#include <string.h>

#include "store.h"

/* A sales.tsv row's movements for the members in ids (id -> index). */
void
history_sale_row(const struct tsv *t, const struct strmap *ids,
    struct history *hs)
{
	size_t *ix;

	if ((ix = strmap_get(ids, t->f[S_MEMBER])))
		history_add(&hs[*ix], tsv_time(t, S_AT),
		    tsv_date(t, S_AVAILABLE_ON), tsv_int(t, S_EARNED),
		    tsv_int(t, S_POINTS_USED));
	if (t->fl[S_REFERRER] && (ix = strmap_get(ids, t->f[S_REFERRER])) &&
	    tsv_int(t, S_REFERRAL_POINTS) != 0)
		history_add(&hs[*ix], tsv_time(t, S_AT),
		    tsv_date(t, S_AVAILABLE_ON),
		    tsv_int(t, S_REFERRAL_POINTS), 0);
}

void
history_points_row(const struct tsv *t, const struct strmap *ids,
    struct history *hs)
{
	size_t *ix;

	if ((ix = strmap_get(ids, t->f[P_MEMBER])))
		history_add(&hs[*ix], tsv_time(t, P_AT),
		    tsv_date(t, P_AVAILABLE_ON), tsv_int(t, P_POINTS), 0);
}

int
history_points_load(const struct vl *vl, const struct strmap *ids,
    struct history *hs)
{
	struct tsv t;

	tsv_ledger(&t, vl, &L_POINTS);
	while (tsv_row(&t, &L_POINTS))
		history_points_row(&t, ids, hs);
	return tsv_close(&t);
}

struct one {
	const char *id;
	struct history *h;
};

static int
sale_of(void *arg, const struct tsv *t)
{
	struct one *o = arg;

	if (strcmp(t->f[S_MEMBER], o->id) == 0)
		history_add(o->h, tsv_time(t, S_AT), tsv_date(t, S_AVAILABLE_ON),
		    tsv_int(t, S_EARNED), tsv_int(t, S_POINTS_USED));
	if (strcmp(t->f[S_REFERRER], o->id) == 0 &&
	    tsv_int(t, S_REFERRAL_POINTS) != 0)
		history_add(o->h, tsv_time(t, S_AT), tsv_date(t, S_AVAILABLE_ON),
		    tsv_int(t, S_REFERRAL_POINTS), 0);
	return 0;
}

static int
points_of(void *arg, const struct tsv *t)
{
	struct one *o = arg;

	history_add(o->h, tsv_time(t, P_AT), tsv_date(t, P_AVAILABLE_ON),
	    tsv_int(t, P_POINTS), 0);
	return 0;
}

/* Member id's point movements, as the store has them: what the index
 * keeps of each row, then the rows past it. */
int
store_history(struct store *st, const char *id, struct history *h)
{
	struct one o = { id, h };

	if (store_movements(st, id, h) < 0 ||
	    store_tail(st, SALES, id, sale_of, &o) < 0)
		return -1;
	return store_tail(st, POINTS, id, points_of, &o);
}
