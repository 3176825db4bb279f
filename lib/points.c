/* points.c: points moved outside a sale: redeem (spend) and adjust (correct). */

#include <stdlib.h>
#include <string.h>

#include "vl.h"

/* kind "redeem" spends points (checked against the balance now); "adjust"
 * moves them either way, the balance may go below zero. */
int
points_post(struct vl *vl, const char *kind, const char *key, int64_t points,
    const char *ref, const char *note)
{
	struct strmap ids = { 0 };
	struct history h = { 0 };
	struct members ms;
	struct member *m;
	struct rules rules;
	struct buf rows = { 0 }, existing = { 0 };
	struct tsv t;
	int redeem = strcmp(kind, "redeem") == 0, same = 0;
	int64_t avail;
	char at[20], day[11];

	if (field_check("note", note) < 0 || (*ref && id_check("ref", ref, 64) < 0))
		die(E_REFUSE, "%s", vl_err);
	rules_load(vl, &rules);
	if (redeem && points_spend_check(&rules, "points", points) < 0)
		die(E_REFUSE, "%s", vl_err);
	ledger_begin(vl);
	members_load(vl, INT64_MAX, &ms);
	if (!(m = members_find(&ms, key)))
		die(E_REFUSE, "member: %s is not a member id or phone", key);
	strmap_put(&ids, m->f[M_MEMBER], 0);
	tsv_ledger(&t, vl, &L_SALES);
	while (tsv_row(&t, &L_SALES))
		history_sale_row(&t, &ids, &h);
	tsv_close(&t);
	tsv_ledger(&t, vl, &L_POINTS);
	while (tsv_row(&t, &L_POINTS)) {
		history_points_row(&t, &ids, &h);
		if (*ref && strcmp(t.f[P_REF], ref) == 0 && !existing.n) {
			tsv_line(&existing, &t);
			same = strcmp(t.f[P_MEMBER], m->f[M_MEMBER]) == 0 &&
			    strcmp(t.f[P_KIND], kind) == 0 &&
			    tsv_int(&t, P_POINTS) == (redeem ? -points : points);
		}
	}
	tsv_close(&t);
	if (existing.n) {
		if (!same)
			die(E_REFUSE, "ref: %s is already used for other points",
			    ref);
		ledger_unlock(vl);
		emit(vl, &existing);
		return E_OK;
	}
	if (redeem && (avail = balance_min(&h, vl->now, vl->now)) < points)
		die(E_REFUSE, "points: %lld asked, %lld available",
		    (long long)points, (long long)(avail > 0 ? avail : 0));
	if (balance_fits(&h, m->f[M_MEMBER], redeem ? -points : points) < 0)
		die(E_REFUSE, "%s", vl_err);
	row_field(&rows, time_fmt(vl->now, at), 0);
	row_field(&rows, m->f[M_MEMBER], 0);
	row_field(&rows, kind, 0);
	buf_addf(&rows, "%lld\t", (long long)(redeem ? -points : points));
	row_field(&rows, date_fmt(TIME_DAY(vl->now), day), 0);
	row_field(&rows, ref, 0);
	row_field(&rows, note, 1);
	if (!vl->dryrun)
		ledger_append(vl, &L_POINTS, &rows);
	ledger_unlock(vl);
	emit(vl, &rows);
	return E_OK;
}
