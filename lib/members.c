/* members.c: members' current records by id and phone; the staff list. */

#include <stdlib.h>
#include <string.h>

#include "store.h"

static void
set_record(struct member *m, const char *line, size_t len)
{
	char *p;
	int i;

	free(m->f[0]);
	p = estrndup(line, len);
	for (i = 0; i < M_NCOLS; i++) {
		m->f[i] = p;
		p += strlen(p) + 1;
	}
}

/* fields: M_NCOLS strings; at: the row's time. */
void
members_set(struct members *ms, char *const f[M_NCOLS], vltime_t at)
{
	struct buf line = { 0 };
	struct member *m;
	size_t *ix;
	int i;

	for (i = 0; i < M_NCOLS; i++)
		buf_add(&line, f[i], strlen(f[i]) + 1);
	if ((ix = strmap_get(&ms->byid, f[M_MEMBER]))) {
		m = &ms->v[*ix];
	} else {
		if (ms->n == ms->cap) {
			ms->cap = ms->cap ? 2 * ms->cap : 1024;
			ms->v = erealloc(ms->v, ms->cap * sizeof *ms->v);
		}
		m = &ms->v[ms->n];
		memset(m, 0, sizeof *m);
		m->joined = at;
		m->order = ms->n;
		strmap_put(&ms->byid, f[M_MEMBER], ms->n++);
	}
	/* f may point into the record replaced here: use m->f after */
	set_record(m, line.p, line.n);
	/* a phone another member still holds (typed twice by hand) stays
	 * hers: the first to hold it, as the store's index answers */
	if (*m->f[M_PHONE] && (!(ix = strmap_get(&ms->byphone,
	    m->f[M_PHONE])) || *ix == m->order ||
	    strcmp(ms->v[*ix].f[M_PHONE], m->f[M_PHONE]) != 0))
		strmap_put(&ms->byphone, m->f[M_PHONE], m->order);
	if (auto_id_number(m->f[M_MEMBER], 'M') > ms->maxauto)
		ms->maxauto = auto_id_number(m->f[M_MEMBER], 'M');
	buf_free(&line);
}

/* Reads members.tsv: rows timed after upto are left out (report --as-of). */
int
members_load(const struct vl *vl, vltime_t upto, struct members *ms)
{
	struct tsv t;

	tsv_ledger(&t, vl, &L_MEMBERS);
	return members_read(&t, upto, ms);
}

/* The same from members.tsv opened in t, which it closes. */
int
members_read(struct tsv *t, vltime_t upto, struct members *ms)
{
	vltime_t at;

	memset(ms, 0, sizeof *ms);
	while (tsv_row(t, &L_MEMBERS)) {
		at = tsv_time(t, M_AT);
		if (at > upto)
			continue;
		members_set(ms, t->f, at);
	}
	return tsv_close(t);
}

struct member *
members_byid(const struct members *ms, const char *id)
{
	size_t *ix = strmap_get(&ms->byid, id);

	return ix ? &ms->v[*ix] : NULL;
}

/* The phone map may name a member who has since changed phones.  An
 * empty phone (a forgotten member's) is no phone: it finds no one. */
struct member *
members_byphone(const struct members *ms, const char *phone)
{
	size_t *ix, i;

	if (!*phone || !(ix = strmap_get(&ms->byphone, phone)))
		return NULL;
	if (strcmp(ms->v[*ix].f[M_PHONE], phone) == 0)
		return &ms->v[*ix];
	/* she changed phones since: whose current phone it is now, if
	 * anyone's (a phone typed twice by hand, and put right later) */
	for (i = 0; i < ms->n; i++)
		if (strcmp(ms->v[i].f[M_PHONE], phone) == 0)
			return &ms->v[i];
	return NULL;
}

struct member *
members_find(const struct members *ms, const char *key)
{
	struct member *m = members_byid(ms, key);

	return m ? m : members_byphone(ms, key);
}

/* An associate must be active in staff.tsv, when there is one. */
int
staff_check(const struct vl *vl, const char *staff)
{
	struct tsv t;
	int found = 0, active = 0;

	if (!*staff)
		return 0;
	if (!tsv_ledger(&t, vl, &L_STAFF))
		return 0;
	while (tsv_row(&t, &L_STAFF)) {
		if (strcmp(t.f[ST_STAFF], staff) == 0) {
			found = 1;
			active = strcmp(t.f[ST_ACTIVE], "yes") == 0;
		}
	}
	if (tsv_close(&t) < 0)
		return -1;
	if (!found)
		return fail("associate: %s is not listed in staff.tsv", staff);
	if (!active)
		return fail("associate: %s is not active in staff.tsv", staff);
	return 0;
}
