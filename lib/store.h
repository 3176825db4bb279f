/* store.h: the store: what writers and the till ask of the ledgers
 * (who is this member, what may she spend), and the writes shared by two
 * programs. */

#ifndef STORE_H
#define STORE_H

#include "shop.h"

/* members.c: the members' current records, found by id or phone. */
struct member {
	char *f[M_NCOLS];	/* the record in force */
	vltime_t joined;	/* at of the first row */
	size_t order;		/* registration order */
};
struct members {
	struct member *v;
	size_t n, cap;
	struct strmap byid, byphone;
	long maxauto;		/* highest M000000 number */
};
MUST int members_load(const struct vl *vl, vltime_t upto, struct members *ms);
struct member *members_find(const struct members *ms, const char *key);
struct member *members_byid(const struct members *ms, const char *id);
struct member *members_byphone(const struct members *ms, const char *phone);
void members_set(struct members *ms, char *const f[M_NCOLS], vltime_t at);
MUST int staff_check(const struct vl *vl, const char *staff);	/* vl_err */

/* history.c: A member's movements, from the ledgers' rows, for the members in ids. */
void history_sale_row(const struct tsv *t, const struct strmap *ids,
    struct history *hs);
void history_points_row(const struct tsv *t, const struct strmap *ids,
    struct history *hs);
MUST int history_points_load(const struct vl *vl, const struct strmap *ids,
    struct history *hs);

/* tierrow.c: members' rows of tiers.tsv. */
MUST int tiers_load(const struct vl *vl, const struct strmap *ids,
    vltime_t upto, struct tierstate *ts);
MUST int tierlogs_load(const struct vl *vl, const struct strmap *ids,
    struct tierlog *logs);
/* enroll.c: member-add and member-edit: check every record, append all. */
struct memberinput {
	long line;		/* batch input line, 0: the command line */
	const char *err;	/* a malformed batch row: why */
	const char *key;	/* member-edit: the member to change */
	char *f[M_NCOLS];	/* NULL: not given */
};
/* 0 written, E_REFUSE when batch lines were refused (each said on
 * stderr), -1 + vl_err otherwise. */
MUST int members_post(struct vl *vl, struct memberinput *in, size_t n);

/* points.c: points-redeem and points-adjust. */
/* 0 written (or a retry), -1 + vl_err. */
MUST int points_post(struct vl *vl, const char *kind, const char *member,
    int64_t points, const char *ref, const char *note);

#endif
