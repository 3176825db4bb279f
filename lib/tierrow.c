/* tierrow.c: members' tiers.tsv rows: the last in force, or every one. */

#include <stdio.h>
#include <string.h>

#include "store.h"

static void
tierrow_read(const struct tsv *t, vltime_t at, struct tierstate *s)
{
	str_copy(s->tier, sizeof s->tier, t->f[T_TO]);
	s->at = at;
	s->since = t->fl[T_SINCE] ? tsv_date(t, T_SINCE) : TIME_DAY(at);
	s->expires = t->fl[T_EXPIRES] ? tsv_date(t, T_EXPIRES) : DAY_NEVER;
	s->strikes = (int)tsv_int(t, T_STRIKES);
	s->upgraded = strcmp(t->f[T_EVENT], "upgrade") == 0;
	s->known = 1;
}

/* For the members in ids (id -> index in ts): the last row at or before
 * upto.  Members without one keep known = 0. */
int
tiers_load(const struct vl *vl, const struct strmap *ids, vltime_t upto,
    struct tierstate *ts)
{
	struct tsv t;

	tsv_ledger(&t, vl, &L_TIERS);
	return tiers_read(&t, ids, upto, ts);
}

/* The same from tiers.tsv opened in t, which it closes. */
int
tiers_read(struct tsv *t, const struct strmap *ids, vltime_t upto,
    struct tierstate *ts)
{
	size_t *ix;
	vltime_t at;

	while (tsv_row(t, &L_TIERS)) {
		if (!(ix = strmap_get(ids, t->f[T_MEMBER])))
			continue;
		if ((at = tsv_time(t, T_AT)) > upto)
			continue;
		tierrow_read(t, at, &ts[*ix]);
	}
	return tsv_close(t);
}

/* Every row of the members in ids, for lookups at several times. */
int
tierlogs_load(const struct vl *vl, const struct strmap *ids,
    struct tierlog *logs)
{
	struct tierlog *l;
	struct tsv t;
	size_t *ix;

	tsv_ledger(&t, vl, &L_TIERS);
	while (tsv_row(&t, &L_TIERS)) {
		if (!(ix = strmap_get(ids, t.f[T_MEMBER])))
			continue;
		l = &logs[*ix];
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 4;
			l->v = erealloc(l->v, l->cap * sizeof *l->v);
		}
		tierrow_read(&t, tsv_time(&t, T_AT), &l->v[l->n++]);
	}
	return tsv_close(&t);
}

static int
tier_of(void *arg, const struct tsv *t)
{
	struct tierlog *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->v = erealloc(l->v, l->cap * sizeof *l->v);
	}
	tierrow_read(t, tsv_time(t, T_AT), &l->v[l->n++]);
	return 0;
}

/* Every tiers.tsv row of member id, as the store has them. */
int
store_tierlog(struct store *st, const char *id, struct tierlog *log)
{
	return store_rows(st, TIERS, id, tier_of, log);
}

/* store_tierlog of member id, whose place in the index is slot. */
int
store_tierlog_at(struct store *st, long slot, const char *id,
    struct tierlog *log)
{
	return store_rows_at(st, TIERS, slot, id, tier_of, log);
}
