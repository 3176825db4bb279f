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
	size_t order;		/* registration order; SIZE_MAX: not known (a
				   reader read only her lines) */
	day_t owner_since;	/* the latest run of rows with this associate */
	int run_open;		/* that run began with the first row seen */
};
struct members {
	struct member *v;
	size_t n, cap;
	struct strmap byid, byphone;
	long maxauto;		/* highest M000000 number */
};
MUST int members_load(const struct vl *vl, vltime_t upto, struct members *ms);
MUST int members_read(struct tsv *t, vltime_t upto, struct members *ms);
struct member *members_find(const struct members *ms, const char *key);
struct member *members_byid(const struct members *ms, const char *id);
struct member *members_byphone(const struct members *ms, const char *phone);
void members_set(struct members *ms, char *const f[M_NCOLS], vltime_t at);
void members_free(struct members *ms);
MUST int staff_check(const struct vl *vl, const char *staff);	/* vl_err */
/* staff.tsv: each id once, in the order of its first row, with the name
 * and active of its last. */
struct staffer {
	char *id, *name;
	int active;
};
struct staff {
	struct staffer *v;
	size_t n;
	struct strmap byid;
	int exists;		/* staff.tsv is there */
};
MUST int staff_load(const struct vl *vl, struct staff *s);
const struct staffer *staff_find(const struct staff *s, const char *id);

/* history.c: A member's movements, from the ledgers' rows, for the members in ids. */
void history_sale_row(const struct tsv *t, const struct strmap *ids,
    struct history *hs);
void history_points_row(const struct tsv *t, const struct strmap *ids,
    struct history *hs);
MUST int history_points_load(const struct vl *vl, const struct strmap *ids,
    struct history *hs);
struct store;
/* Member id's point movements, as the store has them. */
MUST int store_history(struct store *st, const char *id, struct history *h);

/* wallet.c: member id's stored value movements (wallet.tsv, and the
 * wallet column of sales.tsv), for balance_min: its lowest over a span. */
MUST int store_wallet(struct store *st, const char *id, struct history *h);
/* wallet-topup and wallet-refund: kind "topup" or "refund" of amount
 * (cents, above 0), at a time (NULL: now).  0 written (or a retry), -1 +
 * vl_err. */
MUST int wallet_post(struct vl *vl, const char *kind, const char *member,
    int64_t amount, const char *at, const char *ref, const char *note);

/* tierrow.c: members' rows of tiers.tsv. */
MUST int tiers_load(const struct vl *vl, const struct strmap *ids,
    vltime_t upto, struct tierstate *ts);
MUST int tiers_read(struct tsv *t, const struct strmap *ids, vltime_t upto,
    struct tierstate *ts);
MUST int tierlogs_load(const struct vl *vl, const struct strmap *ids,
    struct tierlog *logs);
/* Every tiers.tsv row of member id, as the store has them. */
MUST int store_tierlog(struct store *st, const char *id, struct tierlog *log);
MUST int store_tierlog_at(struct store *st, long slot, const char *id,
    struct tierlog *log);
/* store.c: the one place that answers what a writer or the till asks of
 * the ledgers, from a derived index under DIR/cache/ (SPEC section 6)
 * and the ledgers' tails past it.  The index may be deleted at any time. */
enum { MEMBERS, SALES, POINTS, TIERS, NLEDGERS };	/* the ledgers indexed */
struct region {
	int fd;
	char *p;		/* mapped */
	size_t len;
};
struct rowbuf {
	char *p;
	size_t cap, len;
	int nf;
	char *f[TSV_MAXF];
	char path[PATH_MAX + 32];
};
struct lstamp {
	uint64_t dev, ino;
	uint64_t folded, lines;	/* bytes and lines folded */
	uint64_t lastoff, lasthash;	/* the last folded line */
	uint64_t rows;		/* rows folded */
	uint64_t buyers;	/* sales: rows whose member the index knew */
	uint64_t odd;		/* rows it cannot stand for in a report: a
				   member or referrer it did not know, a
				   receipt given twice, a sale after its
				   return */
	int64_t maxat;		/* the latest at of the rows folded */
};
struct stampdata {
	char magic[8];
	struct lstamp sure[NLEDGERS];	/* synced */
	struct lstamp now[NLEDGERS];	/* folded, trusted in this boot */
	char boot[40];		/* the boot "now" was written in */
	uint64_t maxm, maxs;
	uint64_t gen;		/* the generation its files carry */
	uint64_t sum;		/* of the above: a torn stamp is no stamp */
};
struct store {
	struct vl *vl;
	int writer;		/* under the ledger lock: keeps the index */
	int building;		/* the index was emptied: its files are new */
	int fd[NLEDGERS];	/* the ledgers, for rows at offsets */
	uint64_t size[NLEDGERS];	/* their sizes when the store was opened */
	int lockfd, stampfd;
	char cachedir[PATH_MAX];
	struct stampdata stamp;
	struct region tab[5], mrecs, nodes;
	struct rowbuf row;	/* the last row read at an offset */
	struct members tail;	/* members.tsv past the index */
	int tailread;
	int narrow;		/* opened to read: of one key, only the lines
				   holding it are read */
	int asked;		/* store_member_by so far */
	char unused[512];	/* why a writer went on without the index */
	uint64_t header[NLEDGERS];	/* store_folded: a header alone, + 1 */
	char *pre[NLEDGERS];	/* store_preload: what the index took in */
	uint64_t prelen[NLEDGERS];
};
/* Each -1 + vl_err on failure. */
MUST int store_open(struct store *st, struct vl *vl, int writer);
void store_update(struct store *st);	/* after appending: fold them in */
void store_close(struct store *st);
/* The store closed but for the ledgers' descriptors, put in fd; a store
 * opened again on them (-1: opened anew, STORE_ABSENT: known not to be
 * there), as store_open. */
#define STORE_ABSENT (-2)
void store_detach(struct store *st, int fd[NLEDGERS]);
MUST int store_open_fds(struct store *st, struct vl *vl, int writer,
    const int *fd);
/* Ledger SALES, ... as far as the index took it in, read into memory
 * once: for a batch that asks of many rows. */
void store_preload(struct store *st, int ledger);
/* 1: key is a member id or current phone; *m her record (free m->f[0]). */
MUST int store_member(struct store *st, const char *key, struct member *m);
enum { BY_ID = 1, BY_PHONE = 2 };	/* store_member_by: which to match */
MUST int store_member_by(struct store *st, const char *key, int how,
    struct member *m);
MUST int store_maxauto(struct store *st, int letter, long *max);
/* The bytes of ledger SALES, ... the index took in: rows checked once. */
uint64_t store_checked(const struct store *st, int ledger);
/* A row as the index keeps it in nodes.dat, in a member's chain: what
 * reports and tier-recalc add up, without the row. */
enum { K_BUYER, K_REFERRER, K_POINTS, K_TIER, K_RETURN, K_PAST = 255 };
struct ixrow {
	uint64_t prev;		/* the chain's row before, + 1; 0: none */
	int64_t off;		/* the row's offset in its ledger */
	int64_t at;
	int64_t credit, used;	/* points earned (referral, points), used */
	int64_t goods, paid;	/* K_BUYER */
	int64_t units;		/* K_BUYER sale: full-price units of its items */
	int64_t wallet;		/* K_BUYER: its wallet column (stored value
				   paid), 0 when empty */
	int64_t saleoff;	/* K_BUYER return: its sale's row, -1: none
				   (no sale row with that receipt before it) */
	int32_t avail;		/* available_on */
	int32_t saleday;	/* K_BUYER return with a sale: the sale's day */
	uint32_t slot;		/* the member's place (the referrer's) */
	uint8_t kind;		/* K_*; K_PAST: past the stamp, not to count */
	uint8_t isreturn;	/* K_BUYER */
	uint8_t expire;		/* K_POINTS: kind expire */
	uint8_t pad;
};
/* 1 when every row the index took in is filed under a member it knew,
 * each receipt once, no return before its sale: its rows stand for the
 * ledgers' in a report. */
int store_whole(const struct store *st);
/* 1 when it knew the member of every sales row it took in. */
int store_sales_whole(const struct store *st);
/* ... and members.tsv is all in it, no row after upto: its members are
 * those of the day, in its order. */
int store_members_whole(struct store *st, vltime_t upto);
uint64_t store_nrows(const struct store *st);	/* 0: no index */
uint64_t store_nmembers(const struct store *st);
/* The pages of the index mapped here let go (they stay cached). */
void store_release(struct store *st);
/* fn for the index's rows [lo, hi), some at a time, in the order taken
 * in; rows past its stamp come as K_PAST.  Threads may scan at once. */
MUST int store_scan(struct store *st, uint64_t lo, uint64_t hi,
    void (*fn)(void *, const struct ixrow *, size_t), void *arg);
/* fn for each member of the index, in its order: her place, when she
 * joined, her record in force (M_NCOLS fields, valid during the call).
 * Only when store_members_whole. */
MUST int store_members_scan(struct store *st,
    void (*fn)(void *, uint64_t, vltime_t, char **), void *arg);
/* A member as the index keeps her. */
struct ixmember {
	const char *id;
	vltime_t joined;
	uint64_t rows[3];	/* in her chains: sales, points, tiers */
};
/* 1: the member at slot, 0: none there (or only past the stamp). */
int store_member_at(const struct store *st, uint64_t slot,
    struct ixmember *m);
/* fn for each row of chain c (0 sales, 1 points, 2 tiers) of the member
 * at slot, oldest first, from what the index keeps (rows past its stamp
 * left out). */
MUST int store_chain(struct store *st, uint64_t slot, int c,
    void (*fn)(void *, const struct ixrow *), void *arg);
/* Ledger SALES, ... from offset off (a row's start) on; the rows the
 * index took in are not checked again.  tsv_close says how it went. */
void store_ledger_from(struct store *st, int ledger, uint64_t off,
    struct tsv *t);
/* How much of ledger SALES, ... the index stands for (its stamp; a
 * header alone when it took in no row). */
uint64_t store_folded(struct store *st, int ledger);
/* A sales row as the index keeps it, for reports. */
struct salerec {
	vltime_t at;
	int64_t goods, paid, earned, used;
	uint32_t member;	/* the member's place in the index */
	int isreturn;
};
/* fn for each sales row the index took in (-1 without vl_err: it cannot
 * stand for all, read the ledger); the rows past them. */
MUST int store_sales_scan(struct store *st,
    void (*fn)(void *, const struct salerec *), void *arg);
void store_sales_tail(struct store *st, struct tsv *t);
/* Ledger SALES, ... past what the index took in; tsv_close says how. */
void store_ledger_tail(struct store *st, int ledger, struct tsv *t);
/* fn for the sales.tsv row of receipt among the rows the index took
 * in: 1, 0 none there. */
MUST int store_indexed_sale(struct store *st, const char *receipt,
    int (*fn)(void *, const struct tsv *), void *arg);
long store_slot(struct store *st, const char *id);	/* -1: none */
/* A batch finds each member once, by her place, and asks the rest of
 * her by it.  store_finds: the index has all of members.tsv, and
 * store_find gives the place of the member key names (how: BY_ID,
 * BY_PHONE), as store_member_by would find her, -1 none.
 * store_member_slot: her record in force, as store_member copies it, 1,
 * or 0 when members.tsv is not preloaded (ask store_member).  These
 * three read nothing and say nothing: threads may ask at once. */
int store_finds(const struct store *st);
long store_find(const struct store *st, const char *key, int how);
int store_member_slot(const struct store *st, long slot, struct member *m);
/* store_points_sum and store_rows of member id at slot (-1: none). */
int store_points_at(struct store *st, long slot, wide_t *sum);
MUST int store_rows_at(struct store *st, int ledger, long slot,
    const char *id, int (*fn)(void *, const struct tsv *), void *arg);
/* Ledger SALES, ... read whole, the rows the index took in not checked
 * again; tsv_close says how it went. */
void store_ledger(struct store *st, int ledger, struct tsv *t);
/* 1: the row with that receipt (ref) is in row, as written; 0: none. */
MUST int store_receipt(struct store *st, const char *receipt,
    struct buf *row);
MUST int store_ref(struct store *st, const char *ref, struct buf *row);
/* fn for the points.tsv row of ref: 1, 0 none. */
MUST int store_point(struct store *st, const char *ref,
    int (*fn)(void *, const struct tsv *), void *arg);
/* fn for the sales.tsv row of receipt (a sale or a return): 1, 0 none. */
MUST int store_sale(struct store *st, const char *receipt,
    int (*fn)(void *, const struct tsv *), void *arg);
/* fn for each row of a member in ledger SALES (buying, or earning
 * referral points), POINTS or TIERS, in file order; of a sale's returns. */
MUST int store_rows(struct store *st, int ledger, const char *id,
    int (*fn)(void *, const struct tsv *), void *arg);
/* store_rows without the index's part; the index's part of a member's
 * point movements, from what it keeps of each row. */
MUST int store_tail(struct store *st, int ledger, const char *id,
    int (*fn)(void *, const struct tsv *), void *arg);
MUST int store_movements(struct store *st, const char *id,
    struct history *h);
/* The sum of member id's point movements (credits less points used), as
 * balance_fits adds them up, kept by the index: 1, or 0 when a writer's
 * index does not stand for every row of sales.tsv and points.tsv (then
 * sum her history). */
int store_points_sum(struct store *st, const char *id, wide_t *sum);
MUST int store_returns(struct store *st, const char *sale,
    int (*fn)(void *, const struct tsv *), void *arg);

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
