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
	int i, same = 0;

	for (i = 0; i < M_NCOLS; i++)
		buf_add(&line, f[i], strlen(f[i]) + 1);
	if ((ix = strmap_get(&ms->byid, f[M_MEMBER]))) {
		m = &ms->v[*ix];
		same = strcmp(m->f[M_ASSOCIATE], f[M_ASSOCIATE]) == 0;
		m->run_open &= same;
	} else {
		if (ms->n == ms->cap) {
			ms->cap = ms->cap ? 2 * ms->cap : 1024;
			ms->v = erealloc(ms->v, ms->cap * sizeof *ms->v);
		}
		m = &ms->v[ms->n];
		memset(m, 0, sizeof *m);
		m->joined = at;
		m->order = ms->n;
		m->run_open = 1;
		strmap_put(&ms->byid, f[M_MEMBER], ms->n++);
	}
	/* f may point into the record replaced here: use m->f after */
	set_record(m, line.p, line.n);
	if (!same)
		m->owner_since = TIME_DAY(at);
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

void
members_free(struct members *ms)
{
	size_t i;

	for (i = 0; i < ms->n; i++)
		free(ms->v[i].f[0]);
	free(ms->v);
	strmap_free(&ms->byid);
	strmap_free(&ms->byphone);
	memset(ms, 0, sizeof *ms);
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

int
staff_load(const struct vl *vl, struct staff *s)
{
	struct staffer *p;
	struct tsv t;
	size_t *ix, cap = 0;

	memset(s, 0, sizeof *s);
	if (!(s->exists = tsv_ledger(&t, vl, &L_STAFF)))
		return tsv_close(&t);
	while (tsv_row(&t, &L_STAFF)) {
		if ((ix = strmap_get(&s->byid, t.f[ST_STAFF]))) {
			p = &s->v[*ix];
			free(p->name);
		} else {
			if (s->n == cap) {
				cap = cap ? 2 * cap : 64;
				s->v = erealloc(s->v, cap * sizeof *s->v);
			}
			p = &s->v[s->n];
			p->id = estrdup(t.f[ST_STAFF]);
			strmap_put(&s->byid, p->id, s->n++);
		}
		p->name = estrdup(t.f[ST_NAME]);
		p->active = strcmp(t.f[ST_ACTIVE], "yes") == 0;
	}
	return tsv_close(&t);
}

const struct staffer *
staff_find(const struct staff *s, const char *id)
{
	size_t *ix = strmap_get(&s->byid, id);

	return ix ? &s->v[*ix] : NULL;
}

/* An associate must be active in staff.tsv, when there is one. */
int
staff_check(const struct vl *vl, const char *staff)
{
	struct staff s;
	const struct staffer *p;

	if (!*staff)
		return 0;
	if (staff_load(vl, &s) < 0)
		return -1;
	if (!s.exists)
		return 0;
	if (!(p = staff_find(&s, staff)))
		return fail("associate: %s is not listed in staff.tsv", staff);
	if (!p->active)
		return fail("associate: %s is not active in staff.tsv", staff);
	return 0;
}
