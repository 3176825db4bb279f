/* care.c: customer care: which follow-up tasks a sale makes, and birthdays. */

#include <string.h>

#include "shop.h"

/* Whether followup line f makes a task of a sale row that paid paid,
 * is (first) its member's first sale, names a referrer (has_referrer),
 * and was made at the tier of index tier (-1: one rules.conf lacks). */
int
followup_makes(const struct followup *f, int64_t paid, int first,
    int has_referrer, int tier)
{
	if (f->min >= 0 && paid < f->min)
		return 0;
	if (f->first && !first)
		return 0;
	if (f->referral && !(first && has_referrer))
		return 0;
	return f->tier < 0 || f->tier == tier;
}

/* NAME:RECEIPT: the line of NAME in r, and where RECEIPT starts; -1
 * when task is no task these rules make. */
int
task_parse(const struct rules *r, const char *task, const char **receipt)
{
	const char *colon = strchr(task, ':');
	size_t n;
	int i;

	if (!colon || !colon[1])
		return -1;
	n = (size_t)(colon - task);
	for (i = 0; i < r->nfollowups; i++)
		if (strlen(r->followups[i].name) == n &&
		    memcmp(r->followups[i].name, task, n) == 0) {
			*receipt = colon + 1;
			return i;
		}
	return -1;
}

/* A birthday's month and day, and its year (0: not known); -1 when b is
 * no birthday. */
static int
birthday_split(const char *b, int *y, int *m, int *d)
{
	size_t n = strlen(b);
	day_t day;
	int md;

	*y = 0;
	if (n == 10) {
		if (date_parse(b, n, &day) < 0)
			return -1;
		date_split(day, y, m, d);
		return 0;
	}
	if ((md = mmdd_parse(b, n)) < 0)
		return -1;
	*m = md / 100, *d = md % 100;
	return 0;
}

/* The day birthday b falls on in year y: Feb 29 on Feb 28 in common
 * years. */
static day_t
birthday_in(int y, int m, int d)
{
	if (m == 2 && d == 29 && date_ymd(y, 3, 1) - date_ymd(y, 2, 1) == 28)
		d = 28;
	return date_ymd(y, m, d);
}

/* The first day on or after from that birthday b falls on, and the age
 * reached then (-1: the year is not known).  -1: b is no birthday. */
int
birthday_next(const char *b, day_t from, day_t *on, int *age)
{
	int by, bm, bd, y, m, d;

	if (birthday_split(b, &by, &bm, &bd) < 0)
		return -1;
	date_split(from, &y, &m, &d);
	if ((*on = birthday_in(y, bm, bd)) < from)
		*on = birthday_in(++y, bm, bd);
	*age = by ? y - by : -1;
	return 0;
}

/* The window of day d for birthday b, by its first day; -1: d is not in
 * it (or b is no birthday). */
static day_t
window_of(const struct rules *r, const char *b, day_t d)
{
	int by, bm, bd, y, m, dd;

	if (birthday_split(b, &by, &bm, &bd) < 0)
		return -1;
	date_split(d, &y, &m, &dd);
	if (r->bday_month)
		return bm == m ? date_ymd(y, m, 1) : -1;
	return birthday_in(y, bm, bd) == d ? d : -1;
}

/* The birthday benefit on day d at tier t: in the window, with a
 * birthday= above the tier's discount.  0: none. */
int
bday_start(struct bday *bd, const struct rules *r, const struct tier *t,
    const char *birthday, day_t d)
{
	memset(bd, 0, sizeof *bd);
	bd->key = window_of(r, birthday, d);
	bd->in = bd->key != -1 && t && t->birthday > t->discount;
	bd->pct = bd->in ? t->birthday : 0;
	return bd->in;
}

/* An earlier sale row of the member, with its birthday_units. */
void
bday_row(struct bday *bd, const struct rules *r, const char *birthday,
    vltime_t at, int64_t units)
{
	if (!bd->in || window_of(r, birthday, TIME_DAY(at)) != bd->key)
		return;
	bd->used += units;
	bd->anysale |= units > 0;
}

/* The units still to price at birthday=: -1 for no limit. */
int64_t
bday_left(const struct bday *bd, const struct rules *r)
{
	if (!bd->in || (r->bday_once && bd->anysale))
		return 0;
	if (r->bday_items == 0)
		return -1;
	return bd->used >= r->bday_items ? 0 : r->bday_items - bd->used;
}
