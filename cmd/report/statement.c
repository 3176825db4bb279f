/* statement.c: report statement: a member's points, line by line, running. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "report.h"

struct stline {
	vltime_t at;
	size_t seq;
	const char *kind;
	char *ref;
	int64_t points, change;
	day_t avail;
};

static int
bytime(const void *a, const void *b)
{
	const struct stline *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
stline_add(struct stline **v, size_t *n, size_t *cap, struct stline l)
{
	if (*n == *cap)
		*v = erealloc(*v, (*cap = *cap ? 2 * *cap : 64) * sizeof **v);
	l.seq = *n;
	(*v)[(*n)++] = l;
}

int
report_statement(struct report *rp, const char *key)
{
	struct rules rules;
	struct members ms;
	struct member *m;
	struct stline *v = NULL;
	struct buf line = { 0 };
	struct tsv t;
	size_t n = 0, cap = 0, i;
	int64_t bal = 0, used, pts;
	vltime_t at;
	day_t avail;
	char a[20], d[11];
	const char *id;

	if (rules_load(rp->vl, &rules) < 0)
		die_last();
	if (members_load(rp->vl, rp->upto, &ms) < 0)
		die_last();
	if (!(m = members_find(&ms, key)))
		die(E_REFUSE, "member: %s is not a member id or phone", key);
	id = m->f[M_MEMBER];
	tsv_ledger(&t, rp->vl, &L_SALES);
	while (tsv_row(&t, &L_SALES)) {
		if ((at = tsv_time(&t, S_AT)) > rp->upto)
			continue;
		avail = tsv_date(&t, S_AVAILABLE_ON);
		if (strcmp(t.f[S_MEMBER], id) == 0) {
			used = tsv_int(&t, S_POINTS_USED);
			pts = tsv_int(&t, S_EARNED);
			stline_add(&v, &n, &cap, (struct stline){ at, 0,
			    strcmp(t.f[S_KIND], "sale") == 0 ? "sale" : "return",
			    estrdup(t.f[S_RECEIPT]), pts - used,
			    (avail <= rp->asof ? pts : 0) - used, avail });
		}
		if (strcmp(t.f[S_REFERRER], id) == 0 &&
		    (pts = tsv_int(&t, S_REFERRAL_POINTS)) != 0)
			stline_add(&v, &n, &cap, (struct stline){ at, 0,
			    "referral", estrdup(t.f[S_RECEIPT]), pts,
			    avail <= rp->asof ? pts : 0, avail });
	}
	if (tsv_close(&t) < 0)
		die_last();
	tsv_ledger(&t, rp->vl, &L_POINTS);
	while (tsv_row(&t, &L_POINTS)) {
		if ((at = tsv_time(&t, P_AT)) > rp->upto ||
		    strcmp(t.f[P_MEMBER], id) != 0)
			continue;
		avail = tsv_date(&t, P_AVAILABLE_ON);
		pts = tsv_int(&t, P_POINTS);
		stline_add(&v, &n, &cap, (struct stline){ at, 0,
		    estrdup(t.f[P_KIND]), estrdup(t.f[P_REF]), pts,
		    avail <= rp->asof ? pts : 0, avail });
	}
	if (tsv_close(&t) < 0)
		die_last();
	sort(v, n, sizeof *v, bytime);
	out_header(&rp->out, "at\tkind\tref\tpoints\tavailable_on\tbalance\n");
	for (i = 0; i < n; i++) {
		bal += v[i].change;
		line.n = 0;
		buf_addf(&line, "%s\t%s\t%s\t%lld\t%s\t%lld\n", time_fmt(v[i].at, a),
		    v[i].kind, v[i].ref, (long long)v[i].points,
		    date_fmt(v[i].avail, d), (long long)bal);
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}
