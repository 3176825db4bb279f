/* care.c: report notes, followups, birthdays, lapsed, contacts, segments
 * and associates: the lists of customer care (SPEC section 8). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "report.h"

/* The members as of the day, with their tiers. */
struct people {
	struct rules rules;
	struct members ms;
	struct tierstate *ts;
};

static void
people_load(struct report *rp, struct people *p)
{
	size_t i;

	if (rules_load(rp->vl, &p->rules) < 0 ||
	    members_load(rp->vl, rp->upto, &p->ms) < 0)
		die_last();
	p->ts = ecalloc(p->ms.n + 1, sizeof *p->ts);
	if (tiers_load(rp->vl, &p->ms.byid, rp->upto, p->ts) < 0)
		die_last();
	for (i = 0; i < p->ms.n; i++)
		tierstate_default(&p->ts[i], &p->rules, p->ms.v[i].joined);
}

/* A member may be contacted when her record in force says ok or nothing. */
static int
may_contact(const struct member *m)
{
	return strcmp(m->f[M_CONTACT], "dnd") != 0;
}

/* What the sales dated on or before the day say of each member. */
struct activity {
	day_t *last_sale;	/* DAY_MIN: no sale row */
	wide_t *spend;		/* spend_365d, as report members has it */
	int64_t *freq;		/* sale rows in the last wdays days */
	wide_t *monetary;	/* their paid and their returns' */
};

static void
activity_load(struct report *rp, const struct members *ms, day_t wdays,
    struct activity *a)
{
	struct strmap inwin = { 0 };	/* receipt -> 1: 365 days, 2: wdays */
	struct store st;
	struct tsv t;
	size_t i, *ix, *w;
	day_t d;

	a->last_sale = emalloc((ms->n + 1) * sizeof *a->last_sale);
	a->spend = ecalloc(ms->n + 1, sizeof *a->spend);
	a->freq = ecalloc(ms->n + 1, sizeof *a->freq);
	a->monetary = ecalloc(ms->n + 1, sizeof *a->monetary);
	for (i = 0; i < ms->n; i++)
		a->last_sale[i] = DAY_MIN;
	if (store_open(&st, rp->vl, 0) < 0)
		die_last();
	store_ledger(&st, SALES, &t);
	while (tsv_row(&t, &L_SALES)) {
		if ((d = TIME_DAY(tsv_time(&t, S_AT))) > rp->asof ||
		    !(ix = strmap_get(&ms->byid, t.f[S_MEMBER])))
			continue;
		if (tsv_field_is(&t, S_KIND, "sale")) {
			size_t mask = (d > rp->asof - 365) |
			    (d > rp->asof - wdays) << 1;

			if (d > a->last_sale[*ix])
				a->last_sale[*ix] = d;
			if (mask)
				strmap_put(&inwin, t.f[S_RECEIPT], mask);
			if (mask & 1)
				a->spend[*ix] += tsv_money(&t, S_PAID);
			if (mask & 2) {
				a->freq[*ix]++;
				a->monetary[*ix] += tsv_money(&t, S_PAID);
			}
		} else if ((w = strmap_get(&inwin, t.f[S_SALE]))) {
			if (*w & 1)
				a->spend[*ix] += tsv_money(&t, S_PAID);
			if (*w & 2)
				a->monetary[*ix] += tsv_money(&t, S_PAID);
		}
	}
	if (tsv_close(&t) < 0)
		die_last();
	store_close(&st);
	strmap_free(&inwin);
}

static const char *
phone_of(const struct report *rp, const struct member *m, char buf[32])
{
	return phone_shown(rp, m->f[M_PHONE], buf);
}

/* ---- notes MEMBER ---- */

struct note {
	vltime_t at;
	size_t line;
	char *row;		/* kind staff task text, tab-separated */
};

static int
note_order(const void *a, const void *b)
{
	const struct note *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

int
report_notes(struct report *rp, const char *key)
{
	struct members ms;
	struct member *m;
	struct note *v = NULL;
	size_t n = 0, cap = 0, i;
	struct buf line = { 0 };
	struct tsv t;
	char at[20];

	if (members_load(rp->vl, rp->upto, &ms) < 0)
		die_last();
	if (!(m = members_find(&ms, key)))
		die(E_REFUSE, "member: %s is not a member id or phone", key);
	tsv_ledger(&t, rp->vl, &L_NOTES);
	while (tsv_row(&t, &L_NOTES)) {
		if (strcmp(t.f[N_MEMBER], m->f[M_MEMBER]) != 0 ||
		    tsv_time(&t, N_AT) > rp->upto)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = erealloc(v, cap * sizeof *v);
		}
		line.n = 0;
		buf_addf(&line, "%s\t%s\t%s\t%s\n", t.f[N_KIND], t.f[N_STAFF],
		    t.f[N_TASK], t.f[N_TEXT]);
		v[n].at = tsv_time(&t, N_AT);
		v[n].line = n;
		v[n++].row = estrndup(line.p, line.n);
	}
	if (tsv_close(&t) < 0)
		die_last();
	sort(v, n, sizeof *v, note_order);
	out_header(&rp->out, "at\tkind\tstaff\ttask\ttext\n");
	for (i = 0; i < n; i++) {
		line.n = 0;
		buf_addf(&line, "%s\t%s", time_fmt(v[i].at, at), v[i].row);
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}

/* ---- followups ---- */

struct task {
	day_t due;
	size_t member;		/* whom the task is about */
	int line;		/* the followup line */
	size_t row;		/* the sale's place in sales.tsv */
	char *receipt;
	int64_t paid, goods;	/* the sale's own */
	int gone;		/* the sale is wholly returned by the day */
};
struct tasks {
	struct task *v;
	size_t n, cap;
};

/* A member's earliest sale row, by at, ties in file order. */
struct firstsale {
	vltime_t at;
	size_t row;
	char *receipt;
	int64_t paid, goods;
	int tier, seen;
	long referrer;		/* the member index, -1: none */
};

static void
task_add(struct tasks *ts, int line, size_t member, size_t row,
    const char *receipt, int64_t paid, int64_t goods, day_t due)
{
	struct task *k;

	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 256;
		ts->v = erealloc(ts->v, ts->cap * sizeof *ts->v);
	}
	k = &ts->v[ts->n++];
	k->due = due, k->member = member, k->line = line, k->row = row;
	k->receipt = estrdup(receipt), k->paid = paid, k->goods = goods;
	k->gone = 0;
}

static const struct members *order_ms;	/* for task_order */

static int
task_order(const void *a, const void *b)
{
	const struct task *x = a, *y = b;
	size_t ox = order_ms->v[x->member].order;
	size_t oy = order_ms->v[y->member].order;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	if (ox != oy)
		return ox < oy ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Every task the rules make from the sale rows dated on or before the
 * day, each marked gone when its sale is wholly returned by then. */
static void
tasks_load(struct report *rp, const struct people *p, struct tasks *ts)
{
	const struct rules *r = &p->rules;
	struct firstsale *first = ecalloc(p->ms.n + 1, sizeof *first);
	struct strmap returned = { 0 };	/* sale receipt -> slot in back */
	int64_t *back = NULL;		/* the goods returned, negative */
	size_t nback = 0, capback = 0, row = 0, i, *ix, *rx;
	struct store st;
	struct tsv t;
	vltime_t at;
	int j;

	if (store_open(&st, rp->vl, 0) < 0)
		die_last();
	store_ledger(&st, SALES, &t);
	for (; tsv_row(&t, &L_SALES); row++) {
		int64_t paid, goods;
		int tier;

		if ((at = tsv_time(&t, S_AT)) > rp->upto)
			continue;
		goods = tsv_money(&t, S_GOODS);
		if (!tsv_field_is(&t, S_KIND, "sale")) {
			if (!(rx = strmap_get(&returned, t.f[S_SALE]))) {
				if (nback == capback) {
					capback = capback ? 2 * capback : 256;
					back = erealloc(back, capback *
					    sizeof *back);
				}
				back[nback] = 0;
				rx = strmap_put(&returned, t.f[S_SALE], nback++);
			}
			back[*rx] += goods;
			continue;
		}
		if (!(ix = strmap_get(&p->ms.byid, t.f[S_MEMBER])))
			continue;
		paid = tsv_money(&t, S_PAID);
		tier = rules_tier(r, t.f[S_TIER]);
		/* the lines that need not know the first sale: at once */
		for (j = 0; j < r->nfollowups; j++) {
			const struct followup *f = &r->followups[j];

			if (!f->first && !f->referral &&
			    followup_makes(f, paid, 0, 0, tier))
				task_add(ts, j, *ix, row, t.f[S_RECEIPT], paid,
				    goods, TIME_DAY(at) + f->after);
		}
		if (!first[*ix].seen || at < first[*ix].at) {
			struct firstsale *fs = &first[*ix];
			size_t *rf = t.fl[S_REFERRER] ?
			    strmap_get(&p->ms.byid, t.f[S_REFERRER]) : NULL;

			free(fs->receipt);
			fs->seen = 1, fs->at = at, fs->row = row;
			fs->receipt = estrdup(t.f[S_RECEIPT]);
			fs->paid = paid, fs->goods = goods, fs->tier = tier;
			fs->referrer = rf ? (long)*rf : -1;
		}
	}
	if (tsv_close(&t) < 0)
		die_last();
	store_close(&st);
	for (i = 0; i < p->ms.n; i++) {
		struct firstsale *fs = &first[i];

		for (j = 0; fs->seen && j < r->nfollowups; j++) {
			const struct followup *f = &r->followups[j];

			if ((f->first || f->referral) &&
			    followup_makes(f, fs->paid, 1, fs->referrer >= 0,
			    fs->tier))
				task_add(ts, j, f->referral ?
				    (size_t)fs->referrer : i, fs->row,
				    fs->receipt, fs->paid, fs->goods,
				    TIME_DAY(fs->at) + f->after);
		}
		free(fs->receipt);
	}
	free(first);
	for (i = 0; i < ts->n; i++)
		if ((rx = strmap_get(&returned, ts->v[i].receipt)))
			ts->v[i].gone = ts->v[i].goods + back[*rx] <= 0;
	strmap_free(&returned);
	free(back);
}

/* The tasks closed on or before the day: followup notes naming them. */
static void
closed_load(struct report *rp, struct strmap *closed)
{
	struct tsv t;

	tsv_ledger(&t, rp->vl, &L_NOTES);
	while (tsv_row(&t, &L_NOTES))
		if (t.fl[N_TASK] && tsv_field_is(&t, N_KIND, "followup") &&
		    tsv_time(&t, N_AT) <= rp->upto)
			strmap_put(closed, t.f[N_TASK], 1);
	if (tsv_close(&t) < 0)
		die_last();
}

int
report_followups(struct report *rp)
{
	struct people p;
	struct tasks ts = { 0 };
	struct strmap closed = { 0 };
	struct buf line = { 0 }, id = { 0 };
	char due[11], paid[32], ph[32];
	size_t i;

	people_load(rp, &p);
	tasks_load(rp, &p, &ts);
	closed_load(rp, &closed);
	order_ms = &p.ms;
	sort(ts.v, ts.n, sizeof *ts.v, task_order);
	out_header(&rp->out, "due\ttask\tmember\tname\tphone\tassociate\t"
	    "receipt\tpaid\toverdue\n");
	for (i = 0; i < ts.n; i++) {
		struct task *k = &ts.v[i];
		struct member *m = &p.ms.v[k->member];

		id.n = 0;
		buf_addf(&id, "%s:%s", p.rules.followups[k->line].name,
		    k->receipt);
		if (k->due > rp->asof || k->gone || !may_contact(m) ||
		    strmap_get(&closed, id.p) || (rp->staff &&
		    strcmp(rp->staff, m->f[M_ASSOCIATE]) != 0))
			continue;
		line.n = 0;
		buf_addf(&line, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%ld\n",
		    date_fmt(k->due, due), id.p, m->f[M_MEMBER], m->f[M_NAME],
		    phone_of(rp, m, ph), m->f[M_ASSOCIATE], k->receipt,
		    money_fmt(k->paid, paid), (long)(rp->asof - k->due));
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	buf_free(&id);
	return E_OK;
}

/* ---- birthdays, lapsed, contacts ---- */

struct dated {
	day_t day;
	size_t member;		/* in registration order */
	int age;
};

static int
dated_order(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->member < y->member ? -1 : x->member > y->member;
}

int
report_birthdays(struct report *rp)
{
	struct people p;
	struct dated *v;
	struct buf line = { 0 };
	char d[11], age[16], ph[32];
	size_t n = 0, i;
	int days = rp->has_days ? rp->days : 7;

	if (days < 1 || days > 366)
		usage_error("--days %d: birthdays look 1 to 366 days ahead",
		    days);
	people_load(rp, &p);
	v = ecalloc(p.ms.n + 1, sizeof *v);
	for (i = 0; i < p.ms.n; i++) {
		struct member *m = &p.ms.v[i];

		if (may_contact(m) && birthday_next(m->f[M_BIRTHDAY], rp->asof,
		    &v[n].day, &v[n].age) == 0 && v[n].day < rp->asof + days) {
			v[n].member = i;
			n++;
		}
	}
	sort(v, n, sizeof *v, dated_order);
	out_header(&rp->out, "date\tmember\tname\tphone\ttier\tbirthday\tage\t"
	    "associate\n");
	for (i = 0; i < n; i++) {
		struct member *m = &p.ms.v[v[i].member];

		if (v[i].age >= 0)
			snprintf(age, sizeof age, "%d", v[i].age);
		else
			age[0] = '\0';
		line.n = 0;
		buf_addf(&line, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
		    date_fmt(v[i].day, d), m->f[M_MEMBER], m->f[M_NAME],
		    phone_of(rp, m, ph), p.ts[v[i].member].tier,
		    m->f[M_BIRTHDAY], age, m->f[M_ASSOCIATE]);
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}

int
report_lapsed(struct report *rp)
{
	struct people p;
	struct activity a;
	struct dated *v;
	struct buf line = { 0 };
	char d[11], sp[48], ph[32];
	size_t n = 0, i;
	int days = rp->has_days ? rp->days : 90;

	if (days < 1 || days > 36500)
		usage_error("--days %d: lapsed takes 1 to 36500 days", days);
	people_load(rp, &p);
	activity_load(rp, &p.ms, 1, &a);
	v = ecalloc(p.ms.n + 1, sizeof *v);
	for (i = 0; i < p.ms.n; i++)
		if (may_contact(&p.ms.v[i]) && a.last_sale[i] != DAY_MIN &&
		    rp->asof - a.last_sale[i] >= days) {
			v[n].day = a.last_sale[i];
			v[n++].member = i;
		}
	sort(v, n, sizeof *v, dated_order);
	out_header(&rp->out, "member\tname\tphone\ttier\tlast_sale\tdays\t"
	    "spend_365d\tassociate\n");
	for (i = 0; i < n; i++) {
		size_t k = v[i].member;
		struct member *m = &p.ms.v[k];

		line.n = 0;
		buf_addf(&line, "%s\t%s\t%s\t%s\t%s\t%ld\t%s\t%s\n",
		    m->f[M_MEMBER], m->f[M_NAME], phone_of(rp, m, ph),
		    p.ts[k].tier, date_fmt(v[i].day, d),
		    (long)(rp->asof - v[i].day), wide_fmt(a.spend[k], 1, sp),
		    m->f[M_ASSOCIATE]);
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}

int
report_contacts(struct report *rp)
{
	struct people p;
	struct buf line = { 0 };
	char ph[32];
	size_t i;

	people_load(rp, &p);
	if (rp->tier && rules_tier(&p.rules, rp->tier) < 0)
		die(E_REFUSE, "tier: %s is not defined in rules.conf", rp->tier);
	out_header(&rp->out, "member\tname\tphone\ttier\tbirthday\tassociate\n");
	for (i = 0; i < p.ms.n; i++) {
		struct member *m = &p.ms.v[i];

		if (!may_contact(m) || (rp->tier &&
		    strcmp(rp->tier, p.ts[i].tier) != 0))
			continue;
		line.n = 0;
		buf_addf(&line, "%s\t%s\t%s\t%s\t%s\t%s\n", m->f[M_MEMBER],
		    m->f[M_NAME], phone_of(rp, m, ph), p.ts[i].tier,
		    m->f[M_BIRTHDAY], m->f[M_ASSOCIATE]);
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}

/* ---- segments ---- */

static int
by_wide(const void *a, const void *b)
{
	wide_t x = *(const wide_t *)a, y = *(const wide_t *)b;

	return x < y ? -1 : x > y;
}

/* How many of the n sorted values are at most x (at least x: atleast). */
static size_t
count_upto(const wide_t *v, size_t n, wide_t x, int atleast)
{
	size_t lo = 0, hi = n, mid;

	/* the first index whose value is above x (at least: below x) */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (atleast ? v[mid] < x : v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return atleast ? n - lo : lo;
}

/* ceil(5 c / n): a score from 1 to 5. */
static int
score(size_t c, size_t n)
{
	return (int)((5 * c + n - 1) / n);
}

static const char *const classes[] = { "vip", "normal", "inactive",
	"potential", NULL };

int
report_segments(struct report *rp)
{
	struct people p;
	struct activity a;
	struct buf line = { 0 };
	wide_t *rec, *freq, *mon, cut = 0;
	char m1[48], r[16], sc[32];
	size_t nb = 0, i, k;
	int days, cls;

	if (rp->cls) {
		for (cls = 0; classes[cls] && strcmp(classes[cls], rp->cls); cls++)
			;
		if (!classes[cls])
			usage_error("--class takes vip, normal, inactive or "
			    "potential");
	}
	people_load(rp, &p);
	days = rp->has_days ? rp->days : p.rules.segment_days;
	if (days < 1 || days > 36500)
		usage_error("--days %d: segments take 1 to 36500 days", days);
	activity_load(rp, &p.ms, days, &a);
	rec = ecalloc(p.ms.n + 1, sizeof *rec);
	freq = ecalloc(p.ms.n + 1, sizeof *freq);
	mon = ecalloc(p.ms.n + 1, sizeof *mon);
	for (i = 0; i < p.ms.n; i++)
		if (a.freq[i] >= 1 && a.monetary[i] > 0) {
			rec[nb] = rp->asof - a.last_sale[i];
			freq[nb] = a.freq[i];
			mon[nb++] = a.monetary[i];
		}
	sort(rec, nb, sizeof *rec, by_wide);
	sort(freq, nb, sizeof *freq, by_wide);
	sort(mon, nb, sizeof *mon, by_wide);
	if (nb) {	/* the k-th largest: ties at the cut are vip */
		k = (nb * (size_t)p.rules.vip_share + 99) / 100;
		cut = mon[nb - k];
	}
	out_header(&rp->out, "member\tname\tclass\trecency\tfrequency\t"
	    "monetary\tr\tf\tm\n");
	for (i = 0; i < p.ms.n; i++) {
		struct member *m = &p.ms.v[i];
		int buyer = a.freq[i] >= 1 && a.monetary[i] > 0;
		const char *c = buyer ? (a.monetary[i] >= cut ? "vip" :
		    "normal") : a.last_sale[i] != DAY_MIN ? "inactive" :
		    "potential";

		if (rp->cls && strcmp(rp->cls, c) != 0)
			continue;
		if (a.last_sale[i] != DAY_MIN)
			snprintf(r, sizeof r, "%ld",
			    (long)(rp->asof - a.last_sale[i]));
		else
			r[0] = '\0';
		if (buyer)
			snprintf(sc, sizeof sc, "%d\t%d\t%d",
			    score(count_upto(rec, nb, rp->asof -
			    a.last_sale[i], 1), nb),
			    score(count_upto(freq, nb, a.freq[i], 0), nb),
			    score(count_upto(mon, nb, a.monetary[i], 0), nb));
		else
			strcpy(sc, "\t\t");
		line.n = 0;
		buf_addf(&line, "%s\t%s\t%s\t%s\t%lld\t%s\t%s\n",
		    m->f[M_MEMBER], m->f[M_NAME], c, r, (long long)a.freq[i],
		    wide_fmt(a.monetary[i], 1, m1), sc);
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}

/* ---- associates ---- */

struct assoc {
	int64_t members, sales, followups, contacts;
	wide_t paid;
};

/* The line of staff id, made when new. */
static struct assoc *
assoc_of(struct strmap *ids, struct assoc **v, size_t *n, size_t *cap,
    char ***names, const char *id)
{
	size_t *ix;

	if ((ix = strmap_get(ids, id)))
		return &(*v)[*ix];
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*v = erealloc(*v, *cap * sizeof **v);
		*names = erealloc(*names, *cap * sizeof **names);
	}
	memset(&(*v)[*n], 0, sizeof **v);
	(*names)[*n] = estrdup(id);
	strmap_put(ids, id, *n);
	return &(*v)[(*n)++];
}

static int
byname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
report_associates(struct report *rp)
{
	struct members ms;
	struct staff sf;
	struct strmap ids = { 0 };
	struct assoc *v = NULL, *s;
	char **names = NULL, pd[48];
	size_t n = 0, cap = 0, i, nlisted;
	struct buf line = { 0 };
	struct store st;
	struct tsv t;
	day_t from = rp->has_from ? rp->from : DAY_MIN;
	day_t to = rp->has_to && rp->to < rp->asof ? rp->to : rp->asof, d;

	if (members_load(rp->vl, rp->upto, &ms) < 0 ||
	    staff_load(rp->vl, &sf) < 0)
		die_last();
	for (i = 0; i < sf.n; i++)
		assoc_of(&ids, &v, &n, &cap, &names, sf.v[i].id);
	nlisted = n;
	for (i = 0; i < ms.n; i++)
		if (*ms.v[i].f[M_ASSOCIATE])
			assoc_of(&ids, &v, &n, &cap, &names,
			    ms.v[i].f[M_ASSOCIATE])->members++;
	if (store_open(&st, rp->vl, 0) < 0)
		die_last();
	store_ledger(&st, SALES, &t);
	while (tsv_row(&t, &L_SALES)) {
		d = TIME_DAY(tsv_time(&t, S_AT));
		if (d < from || d > to || !t.fl[S_ASSOCIATE])
			continue;
		s = assoc_of(&ids, &v, &n, &cap, &names, t.f[S_ASSOCIATE]);
		s->sales += tsv_field_is(&t, S_KIND, "sale");
		s->paid += tsv_money(&t, S_PAID);
	}
	if (tsv_close(&t) < 0)
		die_last();
	store_close(&st);
	tsv_ledger(&t, rp->vl, &L_NOTES);
	while (tsv_row(&t, &L_NOTES)) {
		int fu = tsv_field_is(&t, N_KIND, "followup");

		d = TIME_DAY(tsv_time(&t, N_AT));
		if (d < from || d > to || !t.fl[N_STAFF] ||
		    (!fu && !tsv_field_is(&t, N_KIND, "contact")))
			continue;
		s = assoc_of(&ids, &v, &n, &cap, &names, t.f[N_STAFF]);
		s->followups += fu;
		s->contacts += !fu;
	}
	if (tsv_close(&t) < 0)
		die_last();
	/* after staff.tsv's, the ids found only in the ledgers, sorted */
	sort(names + nlisted, n - nlisted, sizeof *names, byname);
	out_header(&rp->out, "staff\tname\tactive\tmembers\tsales\tpaid\t"
	    "followups\tcontacts\n");
	for (i = 0; i < n; i++) {
		const struct staffer *sr = i < nlisted ? &sf.v[i] : NULL;

		s = &v[*strmap_get(&ids, names[i])];
		line.n = 0;
		buf_addf(&line, "%s\t%s\t%s\t%lld\t%lld\t%s\t%lld\t%lld\n",
		    names[i], sr ? sr->name : "", sr ? sr->active ? "yes" :
		    "no" : "", (long long)s->members, (long long)s->sales,
		    wide_fmt(s->paid, 1, pd), (long long)s->followups,
		    (long long)s->contacts);
		out_line(&rp->out, line.p, line.n);
	}
	buf_free(&line);
	return E_OK;
}
