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
