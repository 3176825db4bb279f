/* base.h: the foundation: errors, memory, options, text, money, dates,
 * the TSV reader and the appender.  It knows nothing of shops. */

#ifndef BASE_H
#define BASE_H

#include <limits.h>
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
/* the last refusal, set by fail(): each thread's own, so that threads
 * may fail at once; one hands its own back with vl_take */
extern _Thread_local char vl_err[512];
void setprog(const char *argv0);
_Noreturn void die(int status, const char *fmt, ...);
_Noreturn void usage_error(const char *fmt, ...);	/* exit 2 */
void usage_warn(const char *fmt, ...);	/* says it, "; see PROG --help" */
void warn(const char *fmt, ...);
/* Library code reports, programs exit: a failing function sets vl_err
 * and vl_status and returns -1; the program says it with die_last(). */
extern _Thread_local int vl_status;	/* E_REFUSE or E_SYSTEM */
struct vl_said {			/* a thread's vl_err, handed back */
	char err[512];
	int status;
};
void vl_keep(struct vl_said *s);	/* this thread's, into s */
void vl_take(const struct vl_said *s);	/* s, this thread's now */
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
/* s into dst of size bytes, cut to fit, as snprintf "%s" would: cheaper
 * for the millions of a night's walk. */
void str_copy(char *dst, size_t size, const char *s);
/* s at p, without its NUL, for text made in room sized beforehand: the
 * end. */
char *str_put(char *p, const char *s);
void sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *));
/* A hint that memory at p is read soon, or written, where the compiler
 * has one. */
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#define PREFETCH_WRITE(p) __builtin_prefetch(p, 1)
#else
#define PREFETCH(p) ((void)(p))
#define PREFETCH_WRITE(p) ((void)(p))
#endif
/* fn(a) and fn(b) at once, on two threads when it can: what fn says
 * through vl_err is its thread's, to be handed back (vl_keep). */
void run_both(void *(*fn)(void *), void *a, void *b);
typedef __int128 wide_t;		/* sums of many rows */
char *wide_fmt(wide_t v, int cents, char buf[48]);

struct buf {
	char *p;
	size_t n, cap;
};
void buf_add(struct buf *b, const char *s, size_t n);
char *buf_room(struct buf *b, size_t n);	/* n bytes more, to fill */
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
	int end;		/* VL_HELP, VL_VERSION, VL_BAD: stop */
	char why[256];		/* VL_BAD: the usage error */
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
/* A common option: 1 taken, 0 not one of them.  -h, -V or a malformed
 * option sets end; after the loop the program returns vl_end(). */
enum { VL_HELP = 1, VL_VERSION, VL_BAD };
int vl_opt(struct vl *vl, int key, const char *arg);
int vl_end(const struct vl *vl);	/* says it; the exit status */
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

/* tsv.c: a streaming reader of one TAB-separated file. */
#define TSV_MAXF 64
#define TSV_LINEMAX (TSV_MAXF * (FIELD_MAX + 1))	/* longer: no row */
/* A file of rows: its name in DIR and the columns its header begins with. */
struct ledger {
	const char *file;
	const char *const *cols;
	int ncols;
	int byhand;		/* kept by hand: a BOM and CR LF are read */
	int nold;		/* the columns of the version before, 0: none */
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
	int crlf;		/* staff.tsv, input: a BOM, CR LF line ends */
	int csv;		/* input in CSV (RFC 4180), not TSV */
	const char *badwhy;	/* tsv_get -1: what is wrong with field badf */
	int skip, toolong;	/* in a line longer than TSV_LINEMAX */
	int badf;		/* tsv_get -1: the field at fault, -1: too many */
	int ioerr;		/* read(2) failed */
	int err;		/* reading stopped: tsv_close says why */
	char errmsg[512];
	long lineno;
	off_t off;		/* offset of the next unread byte */
	off_t checked;		/* rows ending here or before were checked
				   already (SPEC 6): they are only split */
	const char *want;	/* set: lines without these bytes are */
	size_t wantlen;		/* passed over, neither split nor checked */
	long wantat;		/* 1 + its byte to look for, -1: all at
				   once, 0: not chosen yet */
	int nf;
	char *f[TSV_MAXF];	/* fields, NUL-terminated in place */
	size_t fl[TSV_MAXF];
	int oldcols;		/* the header is the version before's */
};
int tsv_open(struct tsv *t, const char *path, const char *name);
void tsv_fdopen(struct tsv *t, int fd, const char *name, int input);
void tsv_mem(struct tsv *t, const char *p, size_t n, const char *name,
    int input);
int tsv_next(struct tsv *t);		/* 1: a line in f[], 0: end */
/* The forms that stop at once: -1 + vl_err, for a fuzzer or a checker. */
int tsv_get(struct tsv *t);		/* tsv_next */
int tsv_header(struct tsv *t, const struct ledger *l);	/* 1, 0: none */
/* A row of a file with the columns of the version before: the columns
 * added since read as empty. */
void tsv_pad(struct tsv *t, int ncols);
/* -1 when reading stopped on an error (file:LINE in vl_err, exit 3):
 * rows simply end, as with ferror(3), and the caller checks here. */
MUST int tsv_close(struct tsv *t);
int tsv_fail(struct tsv *t);		/* makes vl_err the reader's error */
int tsv_field_is(const struct tsv *t, int col, const char *s);

/* ledger.c: locking and appending, all or nothing (SPEC section 3). */
/* Rows too many to hold in memory, in a file: whole lines, len bytes. */
struct spool {
	int fd;
	uint64_t len;
};
struct append {
	const struct ledger *l;
	const struct buf *rows;		/* whole lines; empty: none */
	const struct spool *spool;	/* or, with rows empty, these */
};
/* A spool's lines to fd, a megabyte at a time, each write(2) ending at a
 * line's end; -1 + vl_err. */
int spool_write(int fd, const struct spool *sp, const char *name);
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
/* csv: the input is CSV, not TSV; either may start with a BOM and end
 * its lines with CR LF, and the header may use the Chinese headings of a
 * register export (SPEC section 10). */
MUST int batch_read(struct batch *b, const char *const *cols, int ncols,
    int csv);
/* batch_read without the exit: from a tsv opened as input, -1 + vl_err
 * for a bad header.  A row with a field that is not text is a bad row. */
MUST int batch_parse(struct batch *b, struct tsv *t, const char *const *cols,
    int ncols);
void batch_free(struct batch *b, int ncols);
#define batch_has(b, col) (((b)->named >> (col)) & 1)

#endif
