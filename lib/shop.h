/* shop.h: the domain: the ledgers' rows, rules.conf, items, the sale
 * arithmetic, balances and the tier walk. */

#ifndef SHOP_H
#define SHOP_H

#include "base.h"

/* The ledgers (SPEC section 2). */
enum { M_AT, M_MEMBER, M_NAME, M_PHONE, M_BIRTHDAY, M_GENDER, M_EMAIL,
	M_ADDRESS, M_SIZE, M_REFERRER, M_ASSOCIATE, M_STORE, M_CONTACT,
	M_NOTE, M_NCOLS };
enum { S_AT, S_RECEIPT, S_MEMBER, S_KIND, S_SALE, S_GOODS, S_POINTS_USED,
	S_PAID, S_EARNED, S_AVAILABLE_ON, S_REFERRER, S_REFERRAL_POINTS,
	S_TIER, S_STORE, S_ASSOCIATE, S_ITEMS, S_NOTE, S_BIRTHDAY_UNITS,
	S_WALLET, S_NCOLS };
enum { P_AT, P_MEMBER, P_KIND, P_POINTS, P_AVAILABLE_ON, P_REF, P_NOTE,
	P_NCOLS };
enum { T_AT, T_MEMBER, T_EVENT, T_FROM, T_TO, T_SINCE, T_EXPIRES,
	T_STRIKES, T_REASON, T_NCOLS };
enum { ST_STAFF, ST_NAME, ST_ACTIVE, ST_NCOLS };
enum { W_AT, W_MEMBER, W_KIND, W_AMOUNT, W_REF, W_NOTE, W_NCOLS };
enum { N_AT, N_MEMBER, N_KIND, N_STAFF, N_TASK, N_TEXT, N_NCOLS };
extern const struct ledger L_MEMBERS, L_SALES, L_POINTS, L_TIERS, L_STAFF,
    L_WALLET, L_NOTES;

/* ledgers.c: each ledger read with every row checked (exit 3 for a
 * malformed one, through tsv_close). */
int tsv_ledger(struct tsv *t, const struct vl *vl, const struct ledger *l);
int tsv_row(struct tsv *t, const struct ledger *l);	/* checks width */
MUST int sales_writable(const struct vl *vl);	/* not 0.1's columns */
int tsv_row_check(const struct tsv *t, const struct ledger *l);
/* The typed fields of a row tsv_row has checked. */
int64_t tsv_money(const struct tsv *t, int col);
int64_t tsv_int(const struct tsv *t, int col);
day_t tsv_date(const struct tsv *t, int col);
vltime_t tsv_time(const struct tsv *t, int col);

/* member-add and member-edit: a field's option carries its members.tsv
 * column as OPT_COL + column. */
enum { OPT_COL = 400, O_DND = 300, O_OK, O_CSV };
#define OPTS_MEMBER_FIELDS \
	{ OPT_COL + M_ADDRESS, "address", OPT_ARG }, \
	{ OPT_COL + M_ASSOCIATE, "associate", OPT_ARG }, \
	{ OPT_COL + M_BIRTHDAY, "birthday", OPT_ARG }, \
	{ O_DND, "dnd", OPT_NOARG }, { OPT_COL + M_EMAIL, "email", OPT_ARG }, \
	{ OPT_COL + M_GENDER, "gender", OPT_ARG }, \
	{ OPT_COL + M_NAME, "name", OPT_ARG }, \
	{ OPT_COL + M_NOTE, "note", OPT_ARG }, \
	{ OPT_COL + M_PHONE, "phone", OPT_ARG }, \
	{ OPT_COL + M_REFERRER, "referrer", OPT_ARG }, \
	{ OPT_COL + M_SIZE, "size", OPT_ARG }, \
	{ OPT_COL + M_STORE, "store", OPT_ARG }
void vl_init(struct vl *vl, const char *argv0, const char *usage);
/* rules.c */
enum { MET_SINGLE, MET_TOTAL, MET_POINTS, MET_ITEMS, MET_TOPUP, MET_N };
enum { DOWN_FIT, DOWN_STEP };
#define RULES_MAXT 32
#define TIER_NAMEMAX 63
#define RULES_MAXL 128
struct tier {
	char name[64];
	int discount;		/* percent */
	int64_t mult;		/* hundredths: 150 is 1.5 */
	char multtext[16];
	int validity;		/* months, 0: never expires */
	int birthday;		/* percent, -1: none */
};
struct upgrade {
	int from, to, metric;
	int64_t threshold;	/* cents for single and total */
	int within;		/* days, 0: the whole period */
	int line;
};
struct keep {
	int tier, metric;
	int64_t threshold;
	int grace;
};
struct band {
	int64_t ratio;		/* hundredths */
	char ratiotext[16];
	int pct, flat;
};
/* A followup line: the tasks it makes (SPEC section 8). */
#define FOLLOWUP_NAMEMAX 63
struct followup {
	char name[FOLLOWUP_NAMEMAX + 1];
	int after;		/* days from the sale to the task's due date */
	int64_t min;		/* cents; -1: no min */
	int first, referral;
	int tier;		/* -1: any */
};
struct rules {
	int hold_days, return_days, expire_months, downgrade;
	int own_months, segment_days, vip_share;
	int bday_month;		/* birthday_window: 0 day, 1 month */
	int bday_items;		/* units a window prices at birthday=, 0: all */
	int bday_once;		/* one sale per window may use it */
	int64_t earn_per;	/* cents */
	int64_t redeem_rate, redeem_min, redeem_step;
	int64_t referral_pct;	/* hundredths of a percent */
	char referraltext[16];
	int ntiers, nupgrades, nkeeps, nbands;
	struct tier tiers[RULES_MAXT];
	struct upgrade upgrades[RULES_MAXL];
	struct keep keeps[RULES_MAXL];
	struct band bands[RULES_MAXL];
	int nfollowups;
	struct followup followups[RULES_MAXL];
};
extern const char *const metric_names[];
void rules_default(struct rules *r);
int rules_parse(struct rules *r, const char *text, size_t n);	/* vl_err */
MUST int rules_load(const struct vl *vl, struct rules *r);	/* -1 + vl_err */
/* report whatif: a rules file by path, errors as "PATH:LINE: message". */
MUST int rules_load_file(const char *path, struct rules *r);
void rules_print(const struct rules *r, struct buf *out);
int rules_tier(const struct rules *r, const char *name);	/* -1: none */

/* item.c: ITEM := [QTYx]PRICE[/LIST][-DISC%][@SKU] */
struct item {
	int64_t qty, price, list;	/* list 0: none given */
	int disc;		/* the member's percent off, -1: none given */
	const char *sku;	/* into the text parsed, not terminated */
	size_t skulen;
	const char *pl;		/* PRICE[/LIST] as typed, not terminated */
	size_t pllen;
};
int64_t item_unit_paid(const struct item *it);	/* PRICE less DISC */
/* The item as typed, with qty units at disc (-1: none written). */
void item_fmt(struct buf *b, const struct item *it, int64_t qty, int disc);
int items_equal(const struct item *a, size_t na, const struct item *b,
    size_t nb);
int item_parse(const char *s, size_t n, struct item *it);	/* vl_err */
int items_parse(const char *s, size_t n, struct item **v, size_t *nv);
int items_valid(const char *s, size_t n);
/* One ITEM operand of sale-post: refuses a comma (-1 + vl_err). */
int item_arg_check(const char *s);
int64_t item_fullprice_units(const struct item *v, size_t n);

/* fields.c: a member's fields. */
int id_check(const char *what, const char *id, size_t max);	/* vl_err */
int phone_check(const char *phone);
char *phone_mask(const char *phone, char buf[32]);	/* 138****0001 */
int birthday_check(const char *b);

/* care.c: follow-up tasks and birthdays (SPEC section 8). */
int followup_makes(const struct followup *f, int64_t paid, int first,
    int has_referrer, int tier);
int task_parse(const struct rules *r, const char *task, const char **receipt);
int birthday_next(const char *b, day_t from, day_t *on, int *age);
/* The birthday benefit of a day (SPEC section 9): whether the day is in
 * the member's window with birthday= above the tier's discount, and
 * what the window's earlier sales used of it. */
struct bday {
	int in, pct;
	day_t key;		/* the window, by its first day */
	int64_t used;		/* birthday_units of earlier sales in it */
	int anysale;		/* an earlier sale in it had some */
};
int bday_start(struct bday *bd, const struct rules *r, const struct tier *t,
    const char *birthday, day_t d);
void bday_row(struct bday *bd, const struct rules *r, const char *birthday,
    vltime_t at, int64_t units);
int64_t bday_left(const struct bday *bd, const struct rules *r);

/* A member's point movements, for balances (balance.c). */
struct movement {
	vltime_t at;		/* the row's time */
	day_t avail;		/* available_on */
	int64_t credit;		/* earned, referral or points.tsv points */
	int64_t used;		/* points_used, counting from at */
};
struct history {
	struct movement *v;
	size_t n, cap;
};
void history_add(struct history *h, vltime_t at, day_t avail,
    int64_t credit, int64_t used);
int64_t balance_min(const struct history *h, vltime_t from, vltime_t to);
int balance_fits(const struct history *h, const char *member, int64_t delta);
/* balance_fits of a history already summed: history_sum, or the store's */
wide_t history_sum(const struct history *h);
int points_fit(wide_t total, const char *member, int64_t delta);
/* tier.c: a member's tier at a time, from the rows recorded. */
struct tierstate {
	char tier[64];
	vltime_t at;
	day_t since, expires;	/* expires DAY_NEVER: never */
	int strikes;
	int upgraded;		/* the row is an upgrade: sums from the next day */
	int known;		/* a tiers.tsv row was found */
};
struct tierlog {
	struct tierstate *v;
	size_t n, cap;
};
/* The tier in force at a time: the last row at or before it, or the
 * lowest tier from the join. */
void tier_at(const struct tierlog *log, vltime_t at, const struct rules *r,
    vltime_t joined, struct tierstate *out);
void tierstate_default(struct tierstate *s, const struct rules *r,
    vltime_t joined);

/* sale.c: the arithmetic of sale-post and sale-return. */
struct salecalc {
	int64_t goods, value, paid, earned, referral;
};
int sale_compute(const struct rules *r, const struct item *items, size_t n,
    int64_t points_used, int64_t mult, int has_referrer,
    struct salecalc *out);		/* vl_err */
int64_t points_value(const struct rules *r, int64_t points, int *exact);
int points_spend_check(const struct rules *r, const char *what, int64_t n);
int64_t share_left(int64_t x, int64_t g1, int64_t g0);
/* The earned and referral points of a sale's paid, as sale-post
 * reckons them, for a replay that keeps paid as recorded (report whatif). */
int64_t sale_earned(const struct rules *r, const struct item *items,
    size_t n, int64_t paid, int64_t mult);
int64_t sale_referral(const struct rules *r, int64_t paid);

/* salerow.c: a sales.tsv row, typed, and its text. */
struct salerow {
	vltime_t at;
	const char *receipt, *member, *kind, *sale;
	int64_t goods, used, paid, earned;
	day_t avail;
	const char *referrer;
	int64_t referral;
	const char *tier, *store, *associate, *items, *note;
	int64_t bunits;		/* birthday_units, 0: none (empty) */
	int64_t wallet;		/* stored value paid (a return: given back) */
	int haswallet;		/* 0: the wallet column is empty */
};
void salerow_fmt(struct buf *b, const struct salerow *s);
void tsv_line(struct buf *b, const struct tsv *t);	/* the row as read */
long auto_id_number(const char *id, int letter);	/* M000001 -> 1 */
char *auto_id_fmt(int letter, long n, char buf[24]);	/* S000123 */

/* tier.c: the tier walk of SPEC section 4, for tier-recalc and reports. */
struct count {
	day_t day;		/* available_on: the day it counts */
	int64_t paid, earned, goods, units;
	int64_t rpaid, rgoods;	/* a sale: its returns applied so far */
	long sale;		/* a return: its sale's index here, or -1 */
	char *receipt;		/* a sale's receipt, to find its returns;
				   NULL: a top-up (counts_add: see ref) */
	int64_t ref;		/* counts_add's, without receipts: a sale's
				   row, a return's sale's row (-1: none), as
				   the index has them; COUNT_TOPUP: a top-up */
	int isreturn;
	int64_t topup;		/* a wallet-topup's amount; not a sale */
};
struct counts {
	struct count *v;
	size_t n, cap;
	/* built by counts_sort, so that a metric costs O(log n) */
	int64_t *sumpaid, *sumearned;	/* prefix sums, n + 1 */
	int64_t *best[3];	/* single, items, topup: max trees */
	unsigned built;		/* of them, those made: 1 << k */
	size_t leaves;		/* a power of two, at least n */
	day_t applied;		/* returns counted up to this day are in */
	size_t nextret;		/* the first count not yet looked at */
	size_t sumcap, treecap;	/* of the arrays above, kept for reuse */
	int byref;		/* counts_add's: returns linked by ref */
	struct {		/* the last two days looked up: where */
		day_t day;
		size_t n, i;	/* of n counts, the first on or after */
	} seen[2];
};
void counts_sale_row(struct counts *c, const struct tsv *t, day_t from,
    day_t upto);
/* A wallet.tsv row of the member: a topup counts on its own date. */
void counts_topup_row(struct counts *c, const struct tsv *t, day_t from,
    day_t upto);
/* A count as the index keeps its row: ref links returns to sales.  A
 * member's counts come all this way or all from rows. */
void counts_add(struct counts *c, day_t day, int isreturn, int64_t paid,
    int64_t earned, int64_t goods, int64_t units, int64_t ref);
#define COUNT_TOPUP (-2)
/* A top-up of amount on day, for the topup metric. */
void counts_add_topup(struct counts *c, day_t day, int64_t amount);
void counts_sort(struct counts *c);
void counts_clear(struct counts *c);	/* none, the memory kept */
void counts_free(struct counts *c);

struct tierpos {
	int tier;
	day_t since, expires, from;	/* from: where the period's sums start */
	int strikes;
	int bad;		/* a period would end past year 9999 */
};
/* Why a tier changed: an upgrade line reached, a keep line met or the
 * first missed, or no keep line for the tier. */
enum { WHY_UPGRADE, WHY_KEEP, WHY_NOKEEP };
struct tierchange {
	day_t day;
	const char *event;
	int from, to;
	day_t since, expires;
	int strikes;
	int why;		/* WHY_* */
	int line;		/* the upgrade or keep line; WHY_NOKEEP: the tier */
	int64_t value;		/* the line's metric as found */
	int grace;		/* a renew in grace: of how many; else 0 */
};
/* The reason column of a change, in buf of n bytes (128 hold any): its
 * length. */
size_t tier_reason(const struct rules *r, const struct tierchange *ch,
    char *buf, size_t n);
/* Where a walk starts, from the member's last tiers.tsv row. */
int tierpos_start(struct tierpos *p, day_t *start, const struct rules *r,
    const struct tierstate *ts);
/* Walks the days from start to upto; calls out for each change. */
MUST int tier_walk(const struct rules *r, struct tierpos *p, day_t start,
    day_t upto, struct counts *c,
    void (*out)(void *arg, const struct tierchange *ch), void *arg);
/* tier_walk in steps from *d, the next day it looks at; before_upgrade:
 * up to upto's expiry, its upgrade test left to the next call. */
MUST int tier_walk_to(const struct rules *r, struct tierpos *p, day_t *d,
    day_t upto, int before_upgrade, struct counts *c,
    void (*out)(void *arg, const struct tierchange *ch), void *arg);
/* report member: the next tier and what it still needs, as of day d. */
void tier_needed(const struct rules *r, const struct tierpos *p, day_t d,
    struct counts *c, struct buf *next, struct buf *needed);
#endif
