/* member-assign: give members to associates, by hand or in the nightly deal. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char usage[] =
    "member-assign [-d DIR] [-q] [-w SECONDS] [--dry-run] [--as-of DATE]\n"
    "                     [--seed N]\n"
    "member-assign [-d DIR] [-q] [-w SECONDS] [--dry-run] MEMBER STAFF";

enum { O_ASOF = 300, O_SEED };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ O_ASOF, "as-of", OPT_ARG }, { O_SEED, "seed", OPT_ARG },
	{ 0, NULL, 0 }
};

/* The shuffle: splitmix64, so that a seed deals the same on any libc. */
static uint64_t
next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
shuffle(size_t *v, size_t n, uint64_t *state)
{
	size_t i, j, x;

	for (i = n; i > 1; i--) {
		j = (size_t)(next_random(state) % i);
		x = v[i - 1], v[i - 1] = v[j], v[j] = x;
	}
}

/* Every members.tsv row: the records in force, and who ever had whom. */
struct book {
	struct members ms;
	struct strmap had;	/* "MEMBER\tSTAFF" of every row */
	day_t *last_sale;	/* by member: the latest sale on or before D */
};

static void
had_key(struct buf *b, const char *member, const char *staff)
{
	b->n = 0;
	buf_adds(b, member);
	buf_addc(b, '\t');
	buf_adds(b, staff);
	buf_addc(b, '\0');
}

static int
book_load(struct vl *vl, struct book *bk)
{
	struct buf key = { 0 };
	struct tsv t;

	memset(bk, 0, sizeof *bk);
	tsv_ledger(&t, vl, &L_MEMBERS);
	while (tsv_row(&t, &L_MEMBERS)) {
		members_set(&bk->ms, t.f, tsv_time(&t, M_AT));
		if (*t.f[M_ASSOCIATE]) {
			had_key(&key, t.f[M_MEMBER], t.f[M_ASSOCIATE]);
			strmap_put(&bk->had, key.p, 0);
		}
	}
	buf_free(&key);
	return tsv_close(&t);
}

/* The latest sale row of each member dated on or before asof. */
static int
sales_load(struct store *st, struct book *bk, day_t asof)
{
	struct tsv t;
	size_t *ix, i;
	day_t d;

	bk->last_sale = emalloc((bk->ms.n + 1) * sizeof *bk->last_sale);
	for (i = 0; i < bk->ms.n; i++)
		bk->last_sale[i] = DAY_MIN;
	store_ledger(st, SALES, &t);
	while (tsv_row(&t, &L_SALES)) {
		if (!tsv_field_is(&t, S_KIND, "sale") ||
		    (d = TIME_DAY(tsv_time(&t, S_AT))) > asof ||
		    !(ix = strmap_get(&bk->ms.byid, t.f[S_MEMBER])))
			continue;
		if (d > bk->last_sale[*ix])
			bk->last_sale[*ix] = d;
	}
	return tsv_close(&t);
}

/* The record of m again, now, with associate staff. */
static void
record(struct buf *rows, const struct member *m, const char *staff,
    vltime_t now)
{
	char at[20];
	int i;

	row_field(rows, time_fmt(now, at), 0);
	for (i = M_MEMBER; i < M_NCOLS; i++)
		row_field(rows, i == M_ASSOCIATE ? staff : m->f[i],
		    i == M_NCOLS - 1);
}

static int
by_hand(struct vl *vl, struct book *bk, const struct staff *sf,
    const char *key, const char *staff, struct buf *rows)
{
	const struct staffer *s = staff_find(sf, staff);
	struct member *m = members_find(&bk->ms, key);

	if (!m)
		return fail("member: %s is not a member id or phone", key);
	if (!s)
		return fail("staff: %s is not listed in staff.tsv", staff);
	if (!s->active)
		return fail("staff: %s is not active in staff.tsv", staff);
	if (strcmp(m->f[M_ASSOCIATE], staff) == 0)
		return fail("staff: member %s is %s's already",
		    m->f[M_MEMBER], staff);
	record(rows, m, staff, vl->now);
	return 0;
}

/* The nightly run as of asof (SPEC section 8): the candidates, dealt. */
static void
deal(struct vl *vl, const struct rules *r, struct book *bk,
    const struct staff *sf, day_t asof, uint64_t seed, struct buf *rows)
{
	struct buf key = { 0 };
	size_t *active, nactive = 0, *cand, ncand = 0, *rank, *dealt;
	size_t i, j, best;
	const char **give;
	uint64_t state = seed;

	active = ecalloc(sf->n + 1, sizeof *active);
	for (i = 0; i < sf->n; i++)
		if (sf->v[i].active)
			active[nactive++] = i;
	cand = ecalloc(bk->ms.n + 1, sizeof *cand);
	give = ecalloc(bk->ms.n + 1, sizeof *give);
	for (i = 0; i < bk->ms.n; i++) {
		struct member *m = &bk->ms.v[i];
		const char *owner = m->f[M_ASSOCIATE];
		const struct staffer *s = staff_find(sf, owner);
		day_t from = m->owner_since > bk->last_sale[i] ?
		    m->owner_since : bk->last_sale[i];
		int lapsed = r->own_months > 0 &&
		    date_add_months(from, r->own_months) <= asof;

		if (TIME_DAY(m->joined) > asof ||
		    (*owner && s && s->active && !lapsed))
			continue;
		for (j = 0; j < nactive; j++) {
			had_key(&key, m->f[M_MEMBER], sf->v[active[j]].id);
			if (!strmap_get(&bk->had, key.p))
				break;
		}
		if (j < nactive)
			cand[ncand++] = i;
		else if (*owner)
			give[i] = "";	/* taken back: no one left to have her */
	}
	shuffle(cand, ncand, &state);
	rank = ecalloc(nactive + 1, sizeof *rank);
	dealt = ecalloc(nactive + 1, sizeof *dealt);
	for (j = 0; j < nactive; j++)
		rank[j] = j;
	shuffle(rank, nactive, &state);
	for (i = 0; i < ncand; i++) {
		struct member *m = &bk->ms.v[cand[i]];

		best = nactive;
		for (j = 0; j < nactive; j++) {
			size_t a = rank[j];

			had_key(&key, m->f[M_MEMBER], sf->v[active[a]].id);
			if (strmap_get(&bk->had, key.p))
				continue;
			if (best == nactive || dealt[a] < dealt[best])
				best = a;
		}
		dealt[best]++;
		give[cand[i]] = sf->v[active[best]].id;
	}
	for (i = 0; i < bk->ms.n; i++)
		if (give[i])
			record(rows, &bk->ms.v[i], give[i], vl->now);
	buf_free(&key);
	free(active), free(cand), free(give), free(rank), free(dealt);
}

int
main(int argc, char *argv[])
{
	struct optparse op;
	struct vl vl;
	struct store st = { 0 };
	struct rules rules;
	struct staff sf;
	struct book bk;
	struct buf rows = { 0 };
	const char *asofarg = NULL, *seedarg = NULL;
	char today[11];
	int64_t seed = 0;
	day_t asof = 0;
	int c;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == O_ASOF)
			asofarg = op.arg;
		else if (c == O_SEED)
			seedarg = op.arg;
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands != 0 && op.noperands != 2)
		usage_error("give a member and an associate, or nothing for "
		    "the nightly run");
	if (op.noperands && (asofarg || seedarg))
		usage_error("--as-of and --seed go with the nightly run");
	if (asofarg && date_parse(asofarg, strlen(asofarg), &asof) < 0)
		usage_error("--as-of %s %s", asofarg, vl_err);
	if (seedarg && int_parse(seedarg, strlen(seedarg), 0, &seed) < 0)
		usage_error("--seed %s %s", seedarg, vl_err);
	if (vl_ready(&vl) < 0)
		die_last();
	if (rules_load(&vl, &rules) < 0 || ledger_begin(&vl) < 0)
		die_last();
	if (!asofarg)
		asof = TIME_DAY(vl.now);
	if (!seedarg)
		seed = asof;
	if (asof > TIME_DAY(vl.now)) {
		fail("as-of: %s is after today, %s", asofarg,
		    date_fmt(TIME_DAY(vl.now), today));
		goto fail;
	}
	if (staff_load(&vl, &sf) < 0)
		goto fail;
	if (!sf.exists) {
		fail("staff.tsv: there is none; list the associates in %s "
		    "(staff, name, active)", vl_path(&vl, "staff.tsv"));
		goto fail;
	}
	if (store_open(&st, &vl, 1) < 0 || book_load(&vl, &bk) < 0)
		goto fail;
	if (op.noperands) {
		if (by_hand(&vl, &bk, &sf, op.operands[0], op.operands[1],
		    &rows) < 0)
			goto fail;
	} else {
		if (sales_load(&st, &bk, asof) < 0)
			goto fail;
		deal(&vl, &rules, &bk, &sf, asof, (uint64_t)seed, &rows);
	}
	if (rows.n && ledger_append(&vl, &L_MEMBERS, &rows) < 0)
		goto fail;
	store_update(&st);
	store_close(&st);
	ledger_unlock(&vl);
	emit(&vl, &rows);
	fshut();
	return 0;
fail:
	store_close(&st);
	ledger_unlock(&vl);
	die_last();
}
