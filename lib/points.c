/* points.c: points moved outside a sale: redeem (spend) and adjust (correct). */

#include <stdlib.h>
#include <string.h>

#include "store.h"

/* A ref used before: its row, and whether this is the same again. */
struct retry {
	struct buf *row;
	const char *member, *kind;
	int64_t points;
	int same;
};

static int
posted_ref(void *arg, const struct tsv *t)
{
	struct retry *rt = arg;

	tsv_line(rt->row, t);
	rt->same = strcmp(t->f[P_MEMBER], rt->member) == 0 &&
	    strcmp(t->f[P_KIND], rt->kind) == 0 &&
	    tsv_int(t, P_POINTS) == rt->points;
	return 0;
}

/* kind "redeem" spends points (checked against the balance now); "adjust"
 * moves them either way, the balance may go below zero.  0 done, -1 with
 * vl_err and vl_status. */
int
points_post(struct vl *vl, const char *kind, const char *key, int64_t points,
    const char *ref, const char *note)
{
	struct history h = { 0 };
	struct store st = { 0 };
	struct member m;
	struct rules rules;
	struct buf rows = { 0 }, existing = { 0 };
	int redeem = strcmp(kind, "redeem") == 0, same = 0, r;
	int64_t avail;
	char at[20], day[11];

	if (field_check("note", note) < 0 ||
	    (*ref && id_check("ref", ref, 64) < 0) ||
	    rules_load(vl, &rules) < 0 ||
	    (redeem && points_spend_check(&rules, "points", points) < 0) ||
	    ledger_begin(vl) < 0)
		return -1;
	if (store_open(&st, vl, 1) < 0 || (r = store_member(&st, key, &m)) < 0)
		goto fail;
	if (r == 0) {
		fail("member: %s is not a member id or phone", key);
		goto fail;
	}
	if (store_history(&st, m.f[M_MEMBER], &h) < 0)
		goto fail;
	if (*ref) {
		struct retry rt = { &existing, m.f[M_MEMBER], kind,
		    redeem ? -points : points, 0 };

		if (store_point(&st, ref, posted_ref, &rt) < 0)
			goto fail;
		same = rt.same;
	}
	if (existing.n) {
		if (!same) {
			fail("ref: %s is already used for other points", ref);
			goto fail;
		}
		store_close(&st);
		ledger_unlock(vl);
		emit(vl, &existing);
		return 0;
	}
	if (redeem && (avail = balance_min(&h, vl->now, vl->now)) < points) {
		fail("points: %lld asked, %lld available", (long long)points,
		    (long long)(avail > 0 ? avail : 0));
		goto fail;
	}
	if (balance_fits(&h, m.f[M_MEMBER], redeem ? -points : points) < 0)
		goto fail;
	row_field(&rows, time_fmt(vl->now, at), 0);
	row_field(&rows, m.f[M_MEMBER], 0);
	row_field(&rows, kind, 0);
	buf_addf(&rows, "%lld\t", (long long)(redeem ? -points : points));
	row_field(&rows, date_fmt(TIME_DAY(vl->now), day), 0);
	row_field(&rows, ref, 0);
	row_field(&rows, note, 1);
	if (ledger_append(vl, &L_POINTS, &rows) < 0)
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
