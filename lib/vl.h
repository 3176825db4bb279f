/* vl.h: the vipledger library, one header for every program. */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A result that says whether it worked must be looked at. */
#if defined(__GNUC__)
#define MUST __attribute__((warn_unused_result))
#else
#define MUST
#endif

/* Exit statuses (SPEC section 3). */
enum { E_OK = 0, E_REFUSE = 1, E_USAGE = 2, E_SYSTEM = 3 };

/* err.c: messages are "prog: text"; a format ending in ':' gets strerror. */
extern const char *prog;
extern char vl_err[512];		/* the last refusal, set by fail() */
void setprog(const char *argv0);
_Noreturn void die(int status, const char *fmt, ...);
_Noreturn void usage_error(const char *fmt, ...);	/* exit 2 */
void warn(const char *fmt, ...);
/* Library code reports, programs exit: a failing function sets vl_err
 * and vl_status and returns -1; the program says it with die_last(). */
extern int vl_status;			/* E_REFUSE or E_SYSTEM */
int fail(const char *fmt, ...);		/* refused: bad data (exit 1) */
int fail_sys(const char *fmt, ...);	/* I/O, a ledger unreadable (3) */
int fail_usage(const char *fmt, ...);	/* a malformed option (2) */
_Noreturn void die_last(void);
void fshut(void);			/* flush stdout or exit 3 */

/* util.c */
void *emalloc(size_t n);
void *ecalloc(size_t n, size_t size);
void *erealloc(void *p, size_t n);
char *estrdup(const char *s);
char *estrndup(const char *s, size_t n);
void sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *));
typedef __int128 wide_t;		/* sums of many rows */
char *wide_fmt(wide_t v, int cents, char buf[48]);

struct buf {
	char *p;
	size_t n, cap;
};
void buf_add(struct buf *b, const char *s, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, int c);
void buf_addf(struct buf *b, const char *fmt, ...);
void buf_free(struct buf *b);

/* Hash of strings to indexes (open addressing); used for ids and phones. */
struct strmap {
	char **keys;
	size_t *vals;
	size_t n, cap;
};
size_t *strmap_get(const struct strmap *m, const char *key);
size_t *strmap_put(struct strmap *m, const char *key, size_t val);
void strmap_free(struct strmap *m);
uint64_t hash_str(const char *s);

/* opt.c: options anywhere, long options with =, "--" ends them. */
enum { OPT_NOARG, OPT_ARG };
struct opt {
	int key;		/* the short letter, or a code above 255 */
	const char *lng;	/* long name, or NULL */
	int arg;		/* OPT_NOARG or OPT_ARG */
};
struct optparse {
	int argc, i;
	char **argv;
	const struct opt *opts;
	const char *shortrest;	/* the rest of a bundle like -qd */
	int negnum;		/* -5 is an operand (points-adjust) */
	int done;
	char *arg;		/* the option's value */
	char **operands;
	int noperands;
};
void opt_init(struct optparse *p, int argc, char **argv,
    const struct opt *opts);
/* The next option's key, -1 when done, or '?' for a malformed one
 * (vl_err says why, a usage error). */
int opt_next(struct optparse *p);

/* The options every program shares, and what they set. */
enum { O_DRYRUN = 256, O_HELP, O_VERSION };
struct vl {
	const char *dir;	/* data directory */
	double wait;		/* -w: seconds to wait for the lock */
	int quiet, dryrun;
	int version;		/* -V rather than -h */
	int create;		/* member-add: a missing DIR is made */
	int lockfd;
	int64_t now;		/* the clock, or VIPLEDGER_NOW */
	const char *usage;	/* the synopsis, for --help */
};
/* The option table entries of every program, and of every writer. */
#define OPTS_COMMON { 'V', "version", OPT_NOARG }, { 'd', "dir", OPT_ARG }, \
	{ 'h', "help", OPT_NOARG }, { 'q', "quiet", OPT_NOARG }
#define OPTS_WRITER OPTS_COMMON, { 'w', "wait", OPT_ARG }, \
	{ O_DRYRUN, "dry-run", OPT_NOARG }
/* member-add and member-edit: a field's option carries its members.tsv
 * column as OPT_COL + column. */
enum { OPT_COL = 400, O_DND = 300, O_OK };
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
/* A common option: 1 taken, 0 not one of them, VL_ABOUT for -h or -V
 * (the program prints vl_about and ends), -1 malformed (vl_err). */
enum { VL_ABOUT = 2 };
int vl_opt(struct vl *vl, int key, const char *arg);
void vl_about(const struct vl *vl);	/* the usage, or the version */
MUST int vl_ready(struct vl *vl);		/* data dir and clock; -1 + vl_err */
const char *vl_path(const struct vl *vl, const char *file);	/* static */

/* utf8.c: field checks and terminal widths. */
#define FIELD_MAX 4096		/* bytes in a field */
enum { TEXT_OK, TEXT_CTL, TEXT_UTF8 };
int utf8_valid(const char *s, size_t n);
int text_scan(const char *s, size_t n, size_t *off);	/* TEXT_*, where */
/* No control character, valid UTF-8, FIELD_MAX bytes at most; -1 + vl_err
 * naming the field.  field_checkn sees a NUL byte in s as a control. */
int field_check(const char *name, const char *s);
int field_checkn(const char *name, const char *s, size_t n);
int utf8_width(const char *s, size_t n);	/* terminal cells */

/* money.c: int64 cents. */
#define MONEY_MAX 100000000000LL	/* 1,000,000,000.00 */
#define POINTS_MAX 999999999999999LL	/* 15 digits: a ledger's integers */
enum { MONEY_INPUT, MONEY_LEDGER };	/* user grammar, or signed .NN (15.2) */
int money_parse(const char *s, size_t n, int mode, int64_t *cents);
char *money_fmt(int64_t cents, char buf[32]);
int int_parse(const char *s, size_t n, int sign, int64_t *v);
/* A decimal with up to two places, as hundredths ("1.5" -> 150). */
int dec2_parse(const char *s, size_t n, int64_t *hundredths);

/* date.c: day numbers from 1970-01-01, times in seconds from then. */
#define DAY_SECS 86400
#define DAY_MIN (-719162L)	/* 0001-01-01 */
#define DAY_MAX 2932896L	/* 9999-12-31 */
#define DAY_NEVER (DAY_MAX + 1)
typedef long day_t;
typedef int64_t vltime_t;
int date_parse(const char *s, size_t n, day_t *d);
int time_parse(const char *s, size_t n, vltime_t *t);	/* time or date */
int mmdd_parse(const char *s, size_t n);	/* birthday MM-DD, leap ok */
char *date_fmt(day_t d, char buf[11]);
char *time_fmt(vltime_t t, char buf[20]);
day_t date_ymd(int y, int m, int d);
void date_split(day_t day, int *y, int *m, int *d);
day_t date_add_months(day_t d, long months);	/* clamped to month end */
int date_check(day_t d);		/* -1 + vl_err past year 9999 */
#define TIME_DAY(t) ((day_t)(((t) - ((((t) % DAY_SECS) + DAY_SECS) % DAY_SECS)) / DAY_SECS))
MUST int clock_now(vltime_t *t);		/* VIPLEDGER_NOW or the clock */

/* tsv.c: streaming reader of one ledger. */
#define TSV_MAXF 64
#define TSV_LINEMAX (TSV_MAXF * (FIELD_MAX + 1))	/* longer: no row */
struct ledger {
	const char *file;
	const char *const *cols;
	int ncols;
};
struct tsv {
	const char *name;	/* file name for messages */
	int fd;
	int ownfd;		/* tsv_close closes fd */
	char *buf;
	size_t cap, pos, end;
	int eof;
	int input;		/* user input: a last line without LF counts,
				   fields are checked by the caller */
	int crlf;		/* staff.tsv: a BOM, CR LF line ends */
	int skip, toolong;	/* in a line longer than TSV_LINEMAX */
	int badf;		/* tsv_get -1: the field at fault, -1: too many */
	int ioerr;		/* read(2) failed */
	int err;		/* reading stopped: tsv_close says why */
	char errmsg[512];
	long lineno;
	off_t off;		/* offset of the next unread byte */
	int nf;
	char *f[TSV_MAXF];	/* fields, NUL-terminated in place */
	size_t fl[TSV_MAXF];
};
int tsv_open(struct tsv *t, const char *path, const char *name);
void tsv_fdopen(struct tsv *t, int fd, const char *name, int input);
void tsv_mem(struct tsv *t, const char *p, size_t n, const char *name,
    int input);
int tsv_ledger(struct tsv *t, const struct vl *vl, const struct ledger *l);
int tsv_next(struct tsv *t);		/* 1: a line in f[], 0: end */
int tsv_row(struct tsv *t, const struct ledger *l);	/* checks width */
/* The forms that stop at once: -1 + vl_err, for a fuzzer or a checker. */
int tsv_get(struct tsv *t);		/* tsv_next */
int tsv_header(struct tsv *t, const struct ledger *l);	/* 1, 0: none */
int tsv_row_check(const struct tsv *t, const struct ledger *l);
/* -1 when reading stopped on an error (file:LINE in vl_err, exit 3):
 * rows simply end, as with ferror(3), and the caller checks here. */
MUST int tsv_close(struct tsv *t);
/* The typed fields of a row tsv_row has checked. */
int64_t tsv_money(const struct tsv *t, int col);
int64_t tsv_int(const struct tsv *t, int col);
day_t tsv_date(const struct tsv *t, int col);
vltime_t tsv_time(const struct tsv *t, int col);

/* The ledgers (SPEC section 2). */
enum { M_AT, M_MEMBER, M_NAME, M_PHONE, M_BIRTHDAY, M_GENDER, M_EMAIL,
	M_ADDRESS, M_SIZE, M_REFERRER, M_ASSOCIATE, M_STORE, M_CONTACT,
	M_NOTE, M_NCOLS };
enum { S_AT, S_RECEIPT, S_MEMBER, S_KIND, S_SALE, S_GOODS, S_POINTS_USED,
	S_PAID, S_EARNED, S_AVAILABLE_ON, S_REFERRER, S_REFERRAL_POINTS,
	S_TIER, S_STORE, S_ASSOCIATE, S_ITEMS, S_NOTE, S_NCOLS };
enum { P_AT, P_MEMBER, P_KIND, P_POINTS, P_AVAILABLE_ON, P_REF, P_NOTE,
	P_NCOLS };
enum { T_AT, T_MEMBER, T_EVENT, T_FROM, T_TO, T_SINCE, T_EXPIRES,
	T_STRIKES, T_REASON, T_NCOLS };
enum { ST_STAFF, ST_NAME, ST_ACTIVE, ST_NCOLS };
extern const struct ledger L_MEMBERS, L_SALES, L_POINTS, L_TIERS, L_STAFF;

/* ledger.c: locking and appending, all or nothing (SPEC section 3). */
struct append {
	const struct ledger *l;
	const struct buf *rows;		/* whole lines; empty: none */
};
/* Each returns -1 with vl_err (exit 3) on failure. */
MUST int ledger_lock(struct vl *vl);		/* .lock, checked after flock */
MUST int ledger_begin(struct vl *vl);	/* lock, recover .intent, clock */
void ledger_unlock(struct vl *vl);
/* All or nothing; on failure every ledger is as it was. */
MUST int ledger_commit(struct vl *vl, const struct append *a, int n);
MUST int ledger_append(struct vl *vl, const struct ledger *l,
    const struct buf *rows);
void row_field(struct buf *b, const char *s, int last);
void emit(const struct vl *vl, const struct buf *rows);	/* unless -q */

/* replace.c: a whole file replaced atomically (erasure, repair); the
 * caller holds the lock.  -1 + vl_err, the old file left whole. */
MUST int file_replace(const char *dir, const char *file, const char *data,
    size_t n);
/* intent.c: what a killed writer left, undone under the lock (SPEC
 * section 3); each returns -1 and sets vl_err on failure. */
int fd_write(int fd, const char *p, size_t n, const char *name);
int dir_fsync(const char *dir);
/* Cuts each ledger DIR/.intent names back to its length, fsyncs, removes
 * .intent; one line per file cut to log.  1: recovered, 0: no .intent. */
MUST int intent_recover(const char *dir, struct buf *log);
/* Moves a last line without LF to DIR/torn/FILE and cuts the ledger fd
 * back to after its last LF; *size is its size, before and after.
 * 1: set aside, 0: nothing torn. */
MUST int torn_set_aside(const char *dir, const char *file, int fd, off_t *size);

/* rules.c */
enum { MET_SINGLE, MET_TOTAL, MET_POINTS, MET_ITEMS };
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
struct rules {
	int hold_days, return_days, expire_months, downgrade;
	int64_t earn_per;	/* cents */
	int64_t redeem_rate, redeem_min, redeem_step;
	int64_t referral_pct;	/* hundredths of a percent */
	char referraltext[16];
	int ntiers, nupgrades, nkeeps, nbands;
	struct tier tiers[RULES_MAXT];
	struct upgrade upgrades[RULES_MAXL];
	struct keep keeps[RULES_MAXL];
	struct band bands[RULES_MAXL];
};
extern const char *const metric_names[];
void rules_default(struct rules *r);
int rules_parse(struct rules *r, const char *text, size_t n);	/* vl_err */
MUST int rules_load(const struct vl *vl, struct rules *r);	/* -1 + vl_err */
void rules_print(const struct rules *r, struct buf *out);
int rules_tier(const struct rules *r, const char *name);	/* -1: none */

/* item.c: ITEM := [QTYx]PAID[/LIST][@SKU] */
struct item {
	int64_t qty, paid, list;	/* list 0: none given */
	const char *sku;	/* into the text parsed, not terminated */
	size_t skulen;
};
int items_equal(const struct item *a, size_t na, const struct item *b,
    size_t nb);
int item_parse(const char *s, size_t n, struct item *it);	/* vl_err */
int items_parse(const char *s, size_t n, struct item **v, size_t *nv);
int items_valid(const char *s, size_t n);
/* One ITEM operand of sale-post: refuses a comma (-1 + vl_err). */
int item_arg_check(const char *s);
int64_t item_fullprice_units(const struct item *v, size_t n);

/* member.c: the members' current records, found by id or phone. */
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
int id_check(const char *what, const char *id, size_t max);	/* vl_err */
int phone_check(const char *phone);
char *phone_mask(const char *phone, char buf[32]);	/* 138****0001 */
int birthday_check(const char *b);

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
/* A member's movements, from the ledgers' rows, for the members in ids. */
void history_sale_row(const struct tsv *t, const struct strmap *ids,
    struct history *hs);
void history_points_row(const struct tsv *t, const struct strmap *ids,
    struct history *hs);
MUST int history_points_load(const struct vl *vl, const struct strmap *ids,
    struct history *hs);

/* tierrow.c: the recorded tier of a member at a time. */
struct tierstate {
	char tier[64];
	vltime_t at;
	day_t since, expires;	/* expires DAY_NEVER: never */
	int strikes;
	int upgraded;		/* the row is an upgrade: sums from the next day */
	int known;		/* a tiers.tsv row was found */
};
MUST int tiers_load(const struct vl *vl, const struct strmap *ids,
    vltime_t upto, struct tierstate *ts);
struct tierlog {
	struct tierstate *v;
	size_t n, cap;
};
MUST int tierlogs_load(const struct vl *vl, const struct strmap *ids,
    struct tierlog *logs);
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

/* salerow.c: a sales.tsv row, typed, and its text. */
struct salerow {
	vltime_t at;
	const char *receipt, *member, *kind, *sale;
	int64_t goods, used, paid, earned;
	day_t avail;
	const char *referrer;
	int64_t referral;
	const char *tier, *store, *associate, *items, *note;
};
void salerow_fmt(struct buf *b, const struct salerow *s);
void tsv_line(struct buf *b, const struct tsv *t);	/* the row as read */
long auto_id_number(const char *id, int letter);	/* M000001 -> 1 */

/* batch.c: a TSV on stdin whose header names some of the allowed columns. */
struct batchrow {
	long line;
	char **v;		/* by allowed column; NULL when not given */
	char *err;		/* a malformed row: why */
};
struct batch {
	struct batchrow *rows;
	size_t n;
	uint64_t named;		/* the allowed columns the header names */
};
MUST int batch_read(struct batch *b, const char *const *cols, int ncols);
/* batch_read without the exit: from a tsv opened as input, -1 + vl_err
 * for a bad header.  A row with a field that is not text is a bad row. */
MUST int batch_parse(struct batch *b, struct tsv *t, const char *const *cols,
    int ncols);
void batch_free(struct batch *b, int ncols);
#define batch_has(b, col) (((b)->named >> (col)) & 1)

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

/* tier.c: the tier walk of SPEC section 4, for tier-recalc and reports. */
struct count {
	day_t day;		/* available_on: the day it counts */
	int64_t paid, earned, goods, units;
	int64_t rpaid, rgoods;	/* a sale: its returns applied so far */
	long sale;		/* a return: its sale's index here, or -1 */
	char *receipt;		/* a sale's receipt, to find its returns */
	int isreturn;
};
struct counts {
	struct count *v;
	size_t n, cap;
	/* built by counts_sort, so that a metric costs O(log n) */
	int64_t *sumpaid, *sumearned;	/* prefix sums, n + 1 */
	int64_t *best[2];	/* single, items: max trees over the sales */
	size_t leaves;		/* a power of two, at least n */
	day_t applied;		/* returns counted up to this day are in */
	size_t nextret;		/* the first count not yet looked at */
};
void counts_sale_row(struct counts *c, const struct tsv *t, day_t from,
    day_t upto);
void counts_sort(struct counts *c);
void counts_free(struct counts *c);

struct tierpos {
	int tier;
	day_t since, expires, from;	/* from: where the period's sums start */
	int strikes;
	int bad;		/* a period would end past year 9999 */
};
struct tierchange {
	day_t day;
	const char *event;
	int from, to;
	day_t since, expires;
	int strikes;
	char reason[128];
};
/* Where a walk starts, from the member's last tiers.tsv row. */
int tierpos_start(struct tierpos *p, day_t *start, const struct rules *r,
    const struct tierstate *ts);
/* Walks the days from start to upto; calls out for each change. */
MUST int tier_walk(const struct rules *r, struct tierpos *p, day_t start,
    day_t upto, struct counts *c,
    void (*out)(void *arg, const struct tierchange *ch), void *arg);
/* report member: the next tier and what it still needs, as of day d. */
void tier_needed(const struct rules *r, const struct tierpos *p, day_t d,
    struct counts *c, struct buf *next, struct buf *needed);
