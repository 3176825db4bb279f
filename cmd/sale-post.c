/* sale-post: record a sale, with the points it earns and the points it uses. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char usage[] =
    "sale-post [-d DIR] [-q] [-w SECONDS] [--dry-run] [-r RECEIPT] [--at TIME]\n"
    "                 [--use-points N] [--associate STAFF] [--store STORE]\n"
    "                 [--note TEXT] MEMBER ITEM...\n"
    "       sale-post [-d DIR] [-q] [-w SECONDS] [--dry-run] -";

enum { O_AT = 300, O_USE, O_ASSOC, O_STORE, O_NOTE };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ 'r', "receipt", OPT_ARG },
	{ O_AT, "at", OPT_ARG }, { O_ASSOC, "associate", OPT_ARG },
	{ O_NOTE, "note", OPT_ARG },
	{ O_STORE, "store", OPT_ARG }, { O_USE, "use-points", OPT_ARG },
	{ 0, NULL, 0 }
};

static const char *const batch_cols[] = { "at", "receipt", "member",
	"items", "points_used", "associate", "store", "note" };

/* One sale as given, on the command line or as a batch row. */
struct saleinput {
	long line;		/* batch input line, 0: the command line */
	const char *err;	/* a malformed batch row: why */
	char *at, *receipt, *member, *items, *points, *associate, *store, *note;
};

struct prep {
	struct saleinput *in;
	vltime_t at;
	int64_t used;
	struct item *items;
	size_t nitems;
	struct member *m;
	size_t ix;		/* the member's index in ids and hs */
	char receipt[72];
	char *existing;		/* the posted row of a repeated receipt */
	char *ex_member, *ex_items, *ex_kind;
	int64_t ex_used;
	char *err;		/* why a batch row is refused */
};

struct post {
	struct vl *vl;
	struct rules rules;
	struct store st;
	struct strmap keys;	/* MEMBER as given -> index in ids */
	struct strmap ids;	/* member id -> index in mv, hs, tl */
	struct strmap wanted;	/* receipts given -> their first row */
	struct strmap staffok;	/* associates found active in staff.tsv */
	char **idv;
	struct member *mv;	/* buyers' records; referrers' are empty */
	size_t nids, cap;
	struct history *hs;
	struct tierlog *tl;
	struct prep *p;
	size_t n;
	long maxs;
	int bad;
};

/* A bad sale: alone, stop; in a batch, keep the reason, to be said in
 * the order of the lines, and go on.  A system error stops either way. */
static void
refuse(struct post *ps, struct prep *p)
{
	if (p->in->line == 0 || vl_status != E_REFUSE)
		die_last();
	if (!p->err)
		p->err = estrdup(vl_err);
	ps->bad = 1;
}

static const char *
opt(const char *s)
{
	return s ? s : "";
}

/* What needs no ledger: --at, --use-points, -r, items, free text. */
static int
precheck(struct prep *p, vltime_t now)
{
	struct saleinput *in = p->in;

	if (in->err)
		return fail("%s", in->err);
	p->at = now;
	/* on the command line an empty value is malformed; in a batch, an
	 * empty column is one not given */
	if (in->line == 0 && ((in->at && !*in->at) ||
	    (in->receipt && !*in->receipt) || (in->points && !*in->points)))
		return fail("%s: is empty", in->at && !*in->at ? "at" :
		    in->receipt && !*in->receipt ? "receipt" : "use-points");
	if (in->at && *in->at) {
		if (time_parse(in->at, strlen(in->at), &p->at) < 0)
			return fail("at: %s", vl_err);
		if (p->at > now)
			return fail("at: %s is in the future", in->at);
	}
	p->used = 0;
	if (in->points && *in->points &&
	    int_parse(in->points, strlen(in->points), 0, &p->used) < 0)
		return fail("use-points: %s %s", in->points, vl_err);
	if (in->receipt && *in->receipt && id_check("receipt", in->receipt, 64) < 0)
		return -1;
	if (field_check("items", opt(in->items)) < 0 ||
	    field_check("associate", opt(in->associate)) < 0 ||
	    field_check("store", opt(in->store)) < 0 ||
	    field_check("note", opt(in->note)) < 0)
		return -1;
	if (items_parse(opt(in->items), strlen(opt(in->items)), &p->items,
	    &p->nitems) < 0)
		return fail("items: %s", vl_err);
	return 0;
}

/* The index of member id, made when first seen. */
static size_t
id_index(struct post *ps, const char *id)
{
	size_t *ix = strmap_get(&ps->ids, id);

	if (ix)
		return *ix;
	if (ps->nids == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 16;
		ps->idv = erealloc(ps->idv, ps->cap * sizeof *ps->idv);
		ps->mv = erealloc(ps->mv, ps->cap * sizeof *ps->mv);
	}
	ps->idv[ps->nids] = estrdup(id);
	memset(&ps->mv[ps->nids], 0, sizeof ps->mv[ps->nids]);
	strmap_put(&ps->ids, id, ps->nids);
	return ps->nids++;
}

/* The member of a sale, found once per MEMBER given: 0 none. */
static int
find_member(struct post *ps, struct prep *p)
{
	const char *key = opt(p->in->member);
	struct member m;
	size_t *ix;
	int r;

	if ((ix = strmap_get(&ps->keys, key))) {
		p->ix = *ix;
		return 1;
	}
	if ((r = store_member(&ps->st, key, &m)) < 0)
		die_last();
	if (r == 0)
		return 0;
	p->ix = id_index(ps, m.f[M_MEMBER]);
	if (!ps->mv[p->ix].f[0])
		ps->mv[p->ix] = m;
	else
		free(m.f[0]);
	strmap_put(&ps->keys, key, p->ix);
	/* the referrer's balance moves too */
	if (*ps->mv[p->ix].f[M_REFERRER])
		id_index(ps, ps->mv[p->ix].f[M_REFERRER]);
	return 1;
}

/* The row already posted with a receipt given, and what a retry must
 * match of it. */
static int
posted_row(void *arg, const struct tsv *t)
{
	struct prep *p = arg;
	struct buf line = { 0 };

	tsv_line(&line, t);
	p->existing = estrndup(line.p, line.n);
	buf_free(&line);
	p->ex_member = estrdup(t->f[S_MEMBER]);
	p->ex_kind = estrdup(t->f[S_KIND]);
	p->ex_items = estrdup(t->f[S_ITEMS]);
	p->ex_used = tsv_int(t, S_POINTS_USED);
	return 0;
}

/* A receipt given: the row already posted with it, if any. */
static void
find_receipt(struct post *ps, struct prep *p)
{
	if (store_sale(&ps->st, p->receipt, posted_row, p) < 0)
		die_last();
}

/* A receipt posted before: the same sale again is a safe retry. */
static int
same_sale(const struct prep *p)
{
	struct item *v;
	size_t nv, len = strlen(p->ex_items);
	int same;

	if (strcmp(p->ex_kind, "sale") != 0 ||
	    strcmp(p->ex_member, p->m->f[M_MEMBER]) != 0 ||
	    p->ex_used != p->used)
		return 0;
	if (items_parse(p->ex_items, len, &v, &nv) < 0) {
		free(v);
		return 0;
	}
	same = items_equal(v, nv, p->items, p->nitems);
	free(v);
	return same;
}

static void
check(struct post *ps, struct prep *p, struct buf *rows)
{
	const struct rules *r = &ps->rules;
	struct saleinput *in = p->in;
	struct tierstate ts;
	struct salecalc c;
	int64_t low;
	day_t avail;
	int tier;
	size_t *rx;
	const char *referrer;

	if (p->existing) {
		if (same_sale(p))
			return;
		fail("receipt: %s is already posted with other content",
		    p->receipt);
		refuse(ps, p);
		return;
	}
	if (!*p->receipt) {
		/* never an id that another row of the batch gives */
		do
			snprintf(p->receipt, sizeof p->receipt, "S%06ld",
			    ++ps->maxs);
		while (strmap_get(&ps->wanted, p->receipt));
	} else if (strmap_get(&ps->wanted, p->receipt) &&
	    *strmap_get(&ps->wanted, p->receipt) != (size_t)(p - ps->p)) {
		fail("receipt: %s is given twice", p->receipt);
		refuse(ps, p);
		return;
	}
	if (p->at < p->m->joined) {
		fail("at: the sale is before member %s joined", p->m->f[M_MEMBER]);
		refuse(ps, p);
		return;
	}
	/* staff.tsv is read once per associate, not once per row */
	if (!strmap_get(&ps->staffok, opt(in->associate))) {
		if (staff_check(ps->vl, opt(in->associate)) < 0) {
			refuse(ps, p);
			return;
		}
		strmap_put(&ps->staffok, opt(in->associate), 1);
	}
	tier_at(&ps->tl[p->ix], p->at, r, p->m->joined, &ts);
	if ((tier = rules_tier(r, ts.tier)) < 0) {
		fail("tier: member %s has tier %s, which rules.conf does not "
		    "define", p->m->f[M_MEMBER], ts.tier);
		refuse(ps, p);
		return;
	}
	if (p->used > 0 && points_spend_check(r, "use-points", p->used) < 0) {
		refuse(ps, p);
		return;
	}
	referrer = p->m->f[M_REFERRER];
	if (sale_compute(r, p->items, p->nitems, p->used, r->tiers[tier].mult,
	    *referrer != '\0', &c) < 0) {
		refuse(ps, p);
		return;
	}
	if (p->used > 0 &&
	    (low = balance_min(&ps->hs[p->ix], p->at, ps->vl->now)) < p->used) {
		fail("use-points: %lld points asked, %lld can be used",
		    (long long)p->used, (long long)(low > 0 ? low : 0));
		refuse(ps, p);
		return;
	}
	if (balance_fits(&ps->hs[p->ix], p->m->f[M_MEMBER],
	    c.earned - p->used) < 0 || (*referrer && (rx = strmap_get(&ps->ids,
	    referrer)) && balance_fits(&ps->hs[*rx], referrer, c.referral) < 0)) {
		refuse(ps, p);
		return;
	}
	avail = TIME_DAY(p->at) + r->hold_days;
	if (date_check(avail) < 0) {
		refuse(ps, p);
		return;
	}
	/* later sales of the batch see this one's points */
	history_add(&ps->hs[p->ix], p->at, avail, c.earned, p->used);
	if (*referrer && (rx = strmap_get(&ps->ids, referrer)) && c.referral)
		history_add(&ps->hs[*rx], p->at, avail, c.referral, 0);
	salerow_fmt(rows, &(struct salerow){ p->at, p->receipt,
	    p->m->f[M_MEMBER], "sale", p->receipt, c.goods, p->used, c.paid,
	    c.earned, avail, referrer, c.referral, ts.tier, opt(in->store),
	    opt(in->associate), in->items, opt(in->note) });
}

/* A batch of many members: their movements from one scan of the index
 * rather than a walk of each one's rows (which lie all over it). */
#define MANY 1024

struct scanhist {
	int32_t *ix;		/* by place in the index: in ids, or -1 */
	struct history *hs;
};

static void
hist_rows(void *arg, const struct ixrow *v, size_t n)
{
	struct scanhist *sh = arg;
	const struct ixrow *r;

	for (r = v; r < v + n; r++)
		if ((r->kind == K_BUYER || r->kind == K_REFERRER ||
		    r->kind == K_POINTS) && sh->ix[r->slot] >= 0)
			history_add(&sh->hs[sh->ix[r->slot]], r->at, r->avail,
			    r->credit, r->kind == K_BUYER ? r->used : 0);
}

/* store_history for every member in ids at once: 0, or -1 when the index
 * does not stand for all the rows (then each is asked alone). */
static int
histories(struct post *ps)
{
	struct store *st = &ps->st;
	struct scanhist sh;
	uint64_t n = store_nmembers(st);
	size_t i;
	long slot;
	int l;

	if (!st->writer)
		return -1;
	for (l = SALES; l <= POINTS; l++)
		if (store_folded(st, l) < st->size[l])
			return -1;
	sh.ix = emalloc((n + 1) * sizeof *sh.ix);
	memset(sh.ix, 0xff, (n + 1) * sizeof *sh.ix);
	sh.hs = ps->hs;
	for (i = 0; i < ps->nids; i++)
		if ((slot = store_slot(st, ps->idv[i])) >= 0)
			sh.ix[slot] = (int32_t)i;
	if (store_scan(st, 0, store_nrows(st), hist_rows, &sh) < 0)
		die_last();
	free(sh.ix);
	return 0;
}

static int
sales_post(struct vl *vl, struct saleinput *in, size_t n)
{
	struct post ps = { 0 };
	struct buf rows = { 0 }, out = { 0 };
	size_t i;

	ps.vl = vl;
	ps.n = n;
	ps.p = ecalloc(n, sizeof *ps.p);
	for (i = 0; i < n; i++) {
		ps.p[i].in = &in[i];
		if (precheck(&ps.p[i], vl->now) < 0)
			refuse(&ps, &ps.p[i]);
	}
	if (rules_load(vl, &ps.rules) < 0)
		die_last();
	if (ledger_begin(vl) < 0)
		die_last();
	for (i = 0; i < n; i++)
		if (!in[i].at || !*in[i].at)
			ps.p[i].at = vl->now;	/* the clock read under the lock */
	if (store_open(&ps.st, vl, 1) < 0)
		die_last();
	if (n >= MANY) {
		store_preload(&ps.st, MEMBERS);
		store_preload(&ps.st, TIERS);
	}
	for (i = 0; i < n; i++) {
		struct prep *p = &ps.p[i];

		if (p->err)
			continue;
		if (!find_member(&ps, p)) {
			fail("member: %s is not a member id or phone",
			    opt(in[i].member));
			refuse(&ps, p);
			continue;
		}
		snprintf(p->receipt, sizeof p->receipt, "%s", opt(in[i].receipt));
		if (*p->receipt && !strmap_get(&ps.wanted, p->receipt)) {
			strmap_put(&ps.wanted, p->receipt, i);
			find_receipt(&ps, p);
		}
	}
	if (store_maxauto(&ps.st, 'S', &ps.maxs) < 0)
		die_last();
	ps.hs = ecalloc(ps.nids + 1, sizeof *ps.hs);
	ps.tl = ecalloc(ps.nids + 1, sizeof *ps.tl);
	if (ps.nids < MANY || histories(&ps) < 0)
		for (i = 0; i < ps.nids; i++)
			if (store_history(&ps.st, ps.idv[i], &ps.hs[i]) < 0)
				die_last();
	for (i = 0; i < ps.nids; i++)
		if (store_tierlog(&ps.st, ps.idv[i], &ps.tl[i]) < 0)
			die_last();
	for (i = 0; i < n; i++)
		if (!ps.p[i].err)
			ps.p[i].m = &ps.mv[ps.p[i].ix];
	for (i = 0; i < n; i++) {
		struct prep *p = &ps.p[i];
		size_t before = rows.n;

		if (!p->err)
			check(&ps, p, &rows);
		if (p->err) {
			warn("line %ld: %s", p->in->line, p->err);
			continue;
		}
		if (vl->quiet)
			continue;	/* nothing to say: no copy to make */
		if (p->existing && rows.n == before)
			buf_adds(&out, p->existing);
		else if (rows.n > before)
			buf_add(&out, rows.p + before, rows.n - before);
	}
	if (ps.bad)
		return E_REFUSE;
	if (ledger_append(vl, &L_SALES, &rows) < 0)
		die_last();
	store_update(&ps.st);
	store_close(&ps.st);
	ledger_unlock(vl);
	emit(vl, &out);
	return E_OK;
}

int
main(int argc, char *argv[])
{
	struct saleinput one = { 0 }, *in;
	struct optparse op;
	struct batch b;
	struct buf items = { 0 };
	struct vl vl;
	size_t i;
	int c, given = 0, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		given = 1;
		switch (c) {
		case 'r': one.receipt = op.arg; break;
		case O_AT: one.at = op.arg; break;
		case O_USE: one.points = op.arg; break;
		case O_ASSOC: one.associate = op.arg; break;
		case O_STORE: one.store = op.arg; break;
		case O_NOTE: one.note = op.arg; break;
		}
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands == 1 && strcmp(op.operands[0], "-") == 0) {
		if (given)
			usage_error("sale options do not go with -");
		if (vl_ready(&vl) < 0)
		die_last();
		if (batch_read(&b, batch_cols, 8) < 0)
			die_last();
		if (!batch_has(&b, 2) || !batch_has(&b, 3))
			die(E_REFUSE, "line 1: the columns member and items "
			    "are required");
		in = ecalloc(b.n, sizeof *in);
		for (i = 0; i < b.n; i++) {
			char **v = b.rows[i].v;

			in[i] = (struct saleinput){ b.rows[i].line,
			    b.rows[i].err, v[0], v[1], v[2], v[3] ? v[3] : "",
			    v[4], v[5], v[6], v[7] };
		}
		rc = sales_post(&vl, in, b.n);
	} else {
		if (op.noperands < 1)
			usage_error("no member given");
		if (op.noperands < 2)
			die(E_REFUSE, "items: no items: give at least one, e.g. "
			    "1280 or 2x459/899");
		if (vl_ready(&vl) < 0)
		die_last();
		one.member = op.operands[0];
		for (i = 1; i < (size_t)op.noperands; i++) {
			if (item_arg_check(op.operands[i]) < 0)
				die(E_REFUSE, "items: %s", vl_err);
			if (i > 1)
				buf_addc(&items, ',');
			buf_adds(&items, op.operands[i]);
		}
		one.items = items.p;
		rc = sales_post(&vl, &one, 1);
	}
	fshut();
	return rc;
}
