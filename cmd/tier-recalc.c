/* tier-recalc: bring members' tiers up to date; meant for cron, nightly. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"

static const char usage[] =
    "tier-recalc [-d DIR] [-q] [-w SECONDS] [--dry-run] [--as-of DATE] [MEMBER...]";

enum { O_ASOF = 300 };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ O_ASOF, "as-of", OPT_ARG },
	{ 0, NULL, 0 }
};

/* One member under recalculation. */
struct subject {
	struct member *m;
	struct tierpos pos;
	day_t start;
	int walk;		/* 0: its last tier row is after --as-of, or
				   its tier is not in rules.conf */
	struct counts counts;
	struct history credits, debits;	/* points expiry: (day, points) */
	int64_t expired;	/* points expired so far (positive) */
};

struct change {
	day_t day;
	size_t order, seq;
	struct buf text;
};

struct recalc {
	const struct rules *r;
	struct subject *s;
	struct change *v;
	size_t n, cap;
};

static void
change_add(struct recalc *rc, struct subject *s, day_t day, struct buf *text)
{
	if (rc->n == rc->cap)
		rc->v = erealloc(rc->v, (rc->cap = rc->cap ? 2 * rc->cap : 64) *
		    sizeof *rc->v);
	rc->v[rc->n] = (struct change){ day, s->m->order, rc->n, *text };
	rc->n++;
}

static int
bychange(const void *a, const void *b)
{
	const struct change *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct walkarg {
	struct recalc *rc;
	struct subject *s;
};

static void
tier_row(void *arg, const struct tierchange *ch)
{
	struct walkarg *w = arg;
	const struct rules *r = w->rc->r;
	struct buf b = { 0 };
	char at[20], since[11], exp[11];

	buf_addf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n",
	    time_fmt((vltime_t)ch->day * DAY_SECS, at), w->s->m->f[M_MEMBER],
	    ch->event, r->tiers[ch->from].name, r->tiers[ch->to].name,
	    date_fmt(ch->since, since),
	    ch->expires == DAY_NEVER ? "" : date_fmt(ch->expires, exp),
	    ch->strikes, ch->reason);
	change_add(w->rc, w->s, ch->day, &b);
}

/* Credits and debits of SPEC-DETAILS "Points expiry". */
static void
expiry_sale_row(struct subject *s, const struct tsv *t, int referral)
{
	vltime_t at = tsv_time(t, S_AT);
	day_t avail = tsv_date(t, S_AVAILABLE_ON);
	int64_t e = tsv_int(t, referral ? S_REFERRAL_POINTS : S_EARNED);

	if (e > 0)
		history_add(&s->credits, at, avail, e, 0);
	else if (e < 0)
		history_add(&s->debits, at, avail, -e, 0);
	if (!referral && (e = tsv_int(t, S_POINTS_USED)) != 0)
		history_add(&s->debits, at, TIME_DAY(at), e, 0);
}

static int
bycreditday(const void *a, const void *b)
{
	const struct movement *x = a, *y = b;

	return x->avail < y->avail ? -1 : x->avail > y->avail;
}

/* On each day E on which some credit expires, the points expired so far
 * become the larger of themselves and the credits expiring by E less the
 * debits dated before E; a rise is one expire row for E. */
static void
expire_points(struct recalc *rc, struct subject *s, day_t asof)
{
	const struct rules *r = rc->r;
	struct history *c = &s->credits;
	size_t i, j;
	day_t e;
	int64_t credit = 0, debit, target = s->expired, base = s->expired;

	/* credits by the day they expire: avail holds it from here on */
	for (i = 0; i < c->n; i++)
		c->v[i].avail = date_add_months(c->v[i].avail, r->expire_months);
	sort(c->v, c->n, sizeof *c->v, bycreditday);
	for (i = 0; i < c->n && (e = c->v[i].avail) <= asof; ) {
		for (; i < c->n && c->v[i].avail == e; i++)
			credit += c->v[i].credit;
		for (debit = 0, j = 0; j < s->debits.n; j++)
			if (s->debits.v[j].avail < e)
				debit += s->debits.v[j].credit;
		if (credit - debit > target)
			target = credit - debit;
		if (target > base) {
			struct buf b = { 0 };
			char at[20], d[11];

			buf_addf(&b, "%s\t%s\texpire\t%lld\t%s\t\t\n",
			    time_fmt((vltime_t)e * DAY_SECS, at),
			    s->m->f[M_MEMBER], (long long)(base - target),
			    date_fmt(e, d));
			change_add(rc, s, e, &b);
			base = target;
		}
	}
}

/* The changes so far, in the order of SPEC section 4, as rows. */
static void
take_changes(struct recalc *rc, struct buf *rows)
{
	size_t i;

	sort(rc->v, rc->n, sizeof *rc->v, bychange);
	for (i = 0; i < rc->n; i++) {
		buf_add(rows, rc->v[i].text.p, rc->v[i].text.n);
		buf_free(&rc->v[i].text);
	}
	rc->n = 0;
}

/* The rows tier-recalc would append as of asof, from the ledgers as
 * they are now.  A member whose tier rules.conf does not define is not
 * walked (her points still expire): a line for her goes to stranded. */
static void
recalc(struct vl *vl, day_t asof, char **names, int nnames,
    struct buf *tierrows, struct buf *expirerows, struct buf *stranded)
{
	struct rules rules;
	struct members ms;
	struct strmap ids = { 0 };
	struct recalc rc = { &rules, NULL, NULL, 0, 0 };
	struct subject *s;
	struct tierstate *ts;
	struct tsv t;
	size_t i, n = 0, *ix;
	int expiring;

	if (rules_load(vl, &rules) < 0)
		die_last();
	expiring = rules.expire_months > 0;
	if (members_load(vl, INT64_MAX, &ms) < 0)
		die_last();
	s = ecalloc(ms.n + 1, sizeof *s);
	for (i = 0; i < (size_t)nnames; i++) {
		struct member *m = members_find(&ms, names[i]);

		if (!m)
			die(E_REFUSE, "member: %s is not a member id or phone",
			    names[i]);
		if (!strmap_get(&ids, m->f[M_MEMBER]) &&
		    TIME_DAY(m->joined) <= asof) {
			s[n].m = m;
			strmap_put(&ids, m->f[M_MEMBER], n++);
		}
	}
	for (i = 0; nnames == 0 && i < ms.n; i++)
		if (TIME_DAY(ms.v[i].joined) <= asof) {
			s[n].m = &ms.v[i];
			strmap_put(&ids, ms.v[i].f[M_MEMBER], n++);
		}
	ts = ecalloc(n + 1, sizeof *ts);
	if (tiers_load(vl, &ids, INT64_MAX, ts) < 0)
		die_last();
	for (i = 0; i < n; i++) {
		tierstate_default(&ts[i], &rules, s[i].m->joined);
		s[i].walk = TIME_DAY(ts[i].at) <= asof;
		if (tierpos_start(&s[i].pos, &s[i].start, &rules, &ts[i]) < 0 &&
		    s[i].walk) {
			buf_addf(stranded, "member %s has tier %s, which "
			    "rules.conf does not define; move the member with "
			    "tier-set\n", s[i].m->f[M_MEMBER], ts[i].tier);
			s[i].walk = 0;
		}
	}
	tsv_ledger(&t, vl, &L_SALES);
	while (tsv_row(&t, &L_SALES)) {
		if ((ix = strmap_get(&ids, t.f[S_MEMBER]))) {
			if (s[*ix].walk)
				counts_sale_row(&s[*ix].counts, &t,
				    s[*ix].pos.from, asof);
			if (expiring)
				expiry_sale_row(&s[*ix], &t, 0);
		}
		if (expiring && t.fl[S_REFERRER] &&
		    (ix = strmap_get(&ids, t.f[S_REFERRER])))
			expiry_sale_row(&s[*ix], &t, 1);
	}
	if (tsv_close(&t) < 0)
		die_last();
	/* the topup metric: one top-up's amount, on its own date */
	tsv_ledger(&t, vl, &L_WALLET);
	while (tsv_row(&t, &L_WALLET))
		if ((ix = strmap_get(&ids, t.f[W_MEMBER])) && s[*ix].walk)
			counts_topup_row(&s[*ix].counts, &t, s[*ix].pos.from,
			    asof);
	if (tsv_close(&t) < 0)
		die_last();
	for (i = 0; i < n; i++) {
		struct walkarg w = { &rc, &s[i] };

		if (!s[i].walk)
			continue;
		counts_sort(&s[i].counts);
		if (tier_walk(&rules, &s[i].pos, s[i].start, asof, &s[i].counts,
		    tier_row, &w) < 0)
			die_last();
		counts_free(&s[i].counts);
	}
	take_changes(&rc, tierrows);
	if (expiring) {
		tsv_ledger(&t, vl, &L_POINTS);
		while (tsv_row(&t, &L_POINTS)) {
			int64_t p;

			if (!(ix = strmap_get(&ids, t.f[P_MEMBER])))
				continue;
			p = tsv_int(&t, P_POINTS);
			if (strcmp(t.f[P_KIND], "expire") == 0)
				s[*ix].expired -= p;
			else if (p > 0)
				history_add(&s[*ix].credits, 0,
				    tsv_date(&t, P_AVAILABLE_ON), p, 0);
			else if (p < 0)
				history_add(&s[*ix].debits, 0,
				    tsv_date(&t, P_AVAILABLE_ON), -p, 0);
		}
		if (tsv_close(&t) < 0)
			die_last();
		for (i = 0; i < n; i++)
			expire_points(&rc, &s[i], asof);
		take_changes(&rc, expirerows);
	}
}

/* What the walk reads: a file changed between two looks shows here. */
struct look {
	struct stat st[7];
	int there[7];
};

static void
look(struct vl *vl, struct look *lk)
{
	static const char *const files[7] = { "members.tsv", "sales.tsv",
	    "points.tsv", "tiers.tsv", "rules.conf", "wallet.tsv", ".intent" };
	int i;

	memset(lk, 0, sizeof *lk);
	for (i = 0; i < 7; i++)
		lk->there[i] = stat(vl_path(vl, files[i]), &lk->st[i]) == 0;
}

static int
same_look(const struct look *a, const struct look *b)
{
	int i;

	for (i = 0; i < 7; i++)
		if (a->there[i] != b->there[i] || (a->there[i] &&
		    (a->st[i].st_ino != b->st[i].st_ino ||
		    a->st[i].st_size != b->st[i].st_size ||
		    a->st[i].st_mtim.tv_sec != b->st[i].st_mtim.tv_sec ||
		    a->st[i].st_mtim.tv_nsec != b->st[i].st_mtim.tv_nsec)))
			return 0;
	return !a->there[6];	/* an unfinished append: under the lock */
}

/* The walk reads the ledgers without the lock, so a sale at the till is
 * not kept waiting by the nightly run; under the lock its rows are
 * appended if nothing moved meanwhile, else it walks again there.
 * Members left alone for a tier rules.conf lacks are said at the end,
 * one line each, and make the run exit 1. */
static int
tier_recalc(struct vl *vl, day_t asof, char **names, int nnames)
{
	struct buf tierrows = { 0 }, expirerows = { 0 }, stranded = { 0 };
	struct append a[2] = { { &L_TIERS, &tierrows },
	    { &L_POINTS, &expirerows } };
	struct look before, after;
	size_t i, j;

	look(vl, &before);
	if (!vl->dryrun)
		recalc(vl, asof, names, nnames, &tierrows, &expirerows,
		    &stranded);
	if (ledger_begin(vl) < 0)
		die_last();
	look(vl, &after);
	if (vl->dryrun || !same_look(&before, &after)) {
		tierrows.n = expirerows.n = stranded.n = 0;
		recalc(vl, asof, names, nnames, &tierrows, &expirerows,
		    &stranded);
	}
	if (ledger_commit(vl, a, 2) < 0)
		die_last();
	ledger_unlock(vl);
	emit(vl, &tierrows);
	emit(vl, &expirerows);
	for (i = 0; i < stranded.n; i = j + 1) {
		for (j = i; stranded.p[j] != '\n'; j++)
			;
		warn("%.*s", (int)(j - i), stranded.p + i);
	}
	return stranded.n ? E_REFUSE : E_OK;
}

int
main(int argc, char *argv[])
{
	struct optparse op;
	struct vl vl;
	const char *asof = NULL;
	day_t day;
	int c, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == O_ASOF)
			asof = op.arg;
	}
	if (vl.end)
		return vl_end(&vl);
	if (asof && date_parse(asof, strlen(asof), &day) < 0)
		usage_error("--as-of %s %s", asof, vl_err);
	if (vl_ready(&vl) < 0)
		die_last();
	if (!asof)
		day = TIME_DAY(vl.now);
	else if (day > TIME_DAY(vl.now))
		die(E_REFUSE, "as-of: %s is after today; no row is dated in "
		    "the future", asof);
	rc = tier_recalc(&vl, day, op.operands, op.noperands);
	fshut();
	return rc;
}
