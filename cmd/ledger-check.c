/* ledger-check: check a data directory as hledger check checks a journal. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

static const char usage[] =
    "ledger-check [-d DIR] [-q] [-w SECONDS] [--repair]";

enum { O_REPAIR = 300 };

static const struct opt opts[] = {
	OPTS_COMMON,
	{ 'w', "wait", OPT_ARG },
	{ O_REPAIR, "repair", OPT_NOARG },
	{ 0, NULL, 0 }
};

typedef __int128 wide;

/* What a column holds (SPEC section 2); a type ending in 0 may be empty. */
enum type { F_TEXT, F_NEED, F_ID, F_ID0, F_MID, F_MID0, F_TIME, F_DATE,
	F_DATE0, F_MONEY, F_MONEY0, F_INT0, F_PHONE0, F_BIRTHDAY0, F_ITEMS0,
	F_WORD, F_WORD0 };

struct field {
	enum type type;
	const char *words;	/* F_WORD: the values allowed */
};


static const struct field members_f[M_NCOLS] = {
	[M_AT] = { F_TIME, NULL }, [M_MEMBER] = { F_MID, NULL },
	[M_NAME] = { F_NEED, NULL }, [M_PHONE] = { F_PHONE0, NULL },
	[M_BIRTHDAY] = { F_BIRTHDAY0, NULL }, [M_GENDER] = { F_WORD0, "F M" },
	[M_EMAIL] = { F_TEXT, NULL }, [M_ADDRESS] = { F_TEXT, NULL },
	[M_SIZE] = { F_TEXT, NULL }, [M_REFERRER] = { F_MID0, NULL },
	[M_ASSOCIATE] = { F_TEXT, NULL }, [M_STORE] = { F_TEXT, NULL },
	[M_CONTACT] = { F_WORD0, "ok dnd" }, [M_NOTE] = { F_TEXT, NULL },
};
static const struct field sales_f[S_NCOLS] = {
	[S_AT] = { F_TIME, NULL }, [S_RECEIPT] = { F_ID, NULL },
	[S_MEMBER] = { F_MID, NULL }, [S_KIND] = { F_WORD, "sale return" },
	[S_SALE] = { F_ID, NULL }, [S_GOODS] = { F_MONEY, NULL },
	[S_POINTS_USED] = { F_INT0, NULL }, [S_PAID] = { F_MONEY, NULL },
	[S_EARNED] = { F_INT0, NULL }, [S_AVAILABLE_ON] = { F_DATE, NULL },
	[S_REFERRER] = { F_MID0, NULL }, [S_REFERRAL_POINTS] = { F_INT0, NULL },
	[S_TIER] = { F_TEXT, NULL }, [S_STORE] = { F_TEXT, NULL },
	[S_ASSOCIATE] = { F_TEXT, NULL }, [S_ITEMS] = { F_ITEMS0, NULL },
	[S_NOTE] = { F_TEXT, NULL }, [S_BIRTHDAY_UNITS] = { F_INT0, NULL },
	[S_WALLET] = { F_MONEY0, NULL },
};
static const struct field points_f[P_NCOLS] = {
	[P_AT] = { F_TIME, NULL }, [P_MEMBER] = { F_MID, NULL },
	[P_KIND] = { F_WORD, "redeem adjust bonus expire" },
	[P_POINTS] = { F_INT0, NULL }, [P_AVAILABLE_ON] = { F_DATE, NULL },
	[P_REF] = { F_ID0, NULL }, [P_NOTE] = { F_TEXT, NULL },
};
static const struct field tiers_f[T_NCOLS] = {
	[T_AT] = { F_TIME, NULL }, [T_MEMBER] = { F_MID, NULL },
	[T_EVENT] = { F_WORD, "upgrade renew downgrade set" },
	[T_FROM] = { F_NEED, NULL }, [T_TO] = { F_NEED, NULL },
	[T_SINCE] = { F_DATE0, NULL }, [T_EXPIRES] = { F_DATE0, NULL },
	[T_STRIKES] = { F_INT0, NULL }, [T_REASON] = { F_TEXT, NULL },
};
static const struct field wallet_f[W_NCOLS] = {
	[W_AT] = { F_TIME, NULL }, [W_MEMBER] = { F_MID, NULL },
	[W_KIND] = { F_WORD, "topup refund" }, [W_AMOUNT] = { F_MONEY, NULL },
	[W_REF] = { F_ID0, NULL }, [W_NOTE] = { F_TEXT, NULL },
};
static const struct field notes_f[N_NCOLS] = {
	[N_AT] = { F_TIME, NULL }, [N_MEMBER] = { F_MID, NULL },
	[N_KIND] = { F_WORD, "followup complaint service profile contact" },
	[N_STAFF] = { F_TEXT, NULL }, [N_TASK] = { F_TEXT, NULL },
	[N_TEXT] = { F_TEXT, NULL },
};
static const struct field staff_f[ST_NCOLS] = {
	[ST_STAFF] = { F_NEED, NULL }, [ST_NAME] = { F_TEXT, NULL },
	[ST_ACTIVE] = { F_WORD, "yes no" },
};
static const struct field unknown_f = { F_TEXT, NULL };

struct problem {
	long line;
	size_t seq;
	char *text;
};

struct enrolled {
	char *id, *phone;	/* phone: of the record in force; NULL: unknown */
	long cur;		/* the line of the record in force */
};

struct sold {
	char *member;
	int known;		/* its figures are all well formed */
	wide left[4];		/* goods, points_used, referral_points, wallet */
	/* what makes its follow-up tasks (SPEC section 8) */
	int64_t paid;
	vltime_t at;
	char *referrer;		/* NULL: none */
	int tier;		/* in the rules, -1: none */
};

struct chain {
	char *to;
	vltime_t at;
	long line;
};

struct check {
	struct vl *vl;
	int status;
	int fixing;		/* --repair: set modes instead of reporting */
	struct rules rules;
	/* the file being read, and the problems found in it */
	const char *file;
	struct problem *pv;
	size_t np, pcap;
	int ncols, hcols;	/* columns known, and in the header */
	uint64_t bad;		/* the fields of this row that are malformed */
	int64_t num[TSV_MAXF];	/* the values of its numbers and times */
	/* members.tsv, in registration order */
	int members_known;	/* 0: its header is bad; members unchecked */
	struct strmap mids;
	struct enrolled *mv;
	size_t nm, mcap;
	/* sales.tsv */
	struct strmap receipts, sales;
	struct strmap firsts;	/* member -> her earliest sale */
	struct sold *sv;
	size_t ns, scap;
	/* points.tsv, then wallet.tsv */
	struct strmap refs;
	int cachebad;		/* disagreements of the index */
	/* tiers.tsv: each member's last row */
	struct strmap tmembers;
	struct chain *tv;
	size_t nt, tcap;
};

struct spec {
	const struct ledger *l;
	const struct field *f;		/* a type for each of l->cols */
	void (*row)(struct check *, const struct tsv *);
	void (*end)(struct check *);
	int byhand;		/* staff.tsv: BOM, CRLF, and no torn lines */
};

#define BAD(ck, col) (((ck)->bad >> (col)) & 1)

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 64;
	return erealloc(v, *cap * size);
}

/* vl_path, but a name too long is exit 3, never a shorter one. */
static const char *
path(const struct check *ck, const char *name)
{
	const char *p = vl_path(ck->vl, name);

	if (strlen(p) != strlen(ck->vl->dir) + 1 + strlen(name))
		die(E_SYSTEM, "%s/%s: path too long", ck->vl->dir, name);
	return p;
}

static void
said(const struct check *ck, const char *fmt, ...)
{
	va_list ap;

	if (ck->vl->quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Problems wait for the end of their file, to come out in line order. */
static void
problem(struct check *ck, long line, const char *check, const char *fmt, ...)
{
	char msg[1024];
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	buf_addf(&b, "%s:%ld: %s: %s\n", ck->file, line, check, msg);
	ck->pv = grow(ck->pv, &ck->pcap, ck->np, sizeof *ck->pv);
	ck->pv[ck->np] = (struct problem){ line, ck->np, b.p };
	ck->np++;
	ck->status = E_REFUSE;
}

static int
byline(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
flush(struct check *ck)
{
	size_t i;

	sort(ck->pv, ck->np, sizeof *ck->pv, byline);
	for (i = 0; i < ck->np; i++) {
		if (!ck->vl->quiet)
			fputs(ck->pv[i].text, stdout);
		free(ck->pv[i].text);
	}
	ck->np = 0;
}

/* Files 0600, directories 0700: they hold personal data (SPEC section 1). */
static void
modes(struct check *ck, const char *name, const struct stat *st)
{
	mode_t want = S_ISDIR(st->st_mode) ? 0700 : 0600;
	mode_t have = st->st_mode & 07777;

	if (have == want)
		return;
	if (ck->fixing) {
		if (chmod(path(ck, name), want) < 0)
			die(E_SYSTEM, "chmod %s:", path(ck, name));
		said(ck, "%s: mode %03o changed to %03o", name, (unsigned)have,
		    (unsigned)want);
		return;
	}
	ck->file = name;
	problem(ck, 0, "modes", "mode %03o, should be %03o; run ledger-check "
	    "--repair", (unsigned)have, (unsigned)want);
}

/* A file that is not there has no mode to check. */
static void
modes_of(struct check *ck, const char *name)
{
	struct stat st;

	if (stat(path(ck, name), &st) == 0)
		modes(ck, name, &st);
	else if (errno != ENOENT)
		die(E_SYSTEM, "stat %s:", path(ck, name));
}

static int
bystr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* torn/ and cache/ and all under them; links are left alone. */
static void
modes_tree(struct check *ck, const char *name)
{
	struct stat st;
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, cap = 0, i;
	DIR *d;

	if (lstat(path(ck, name), &st) < 0) {
		if (errno == ENOENT)
			return;
		die(E_SYSTEM, "stat %s:", path(ck, name));
	}
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return;
	modes(ck, name, &st);
	if (!S_ISDIR(st.st_mode))
		return;
	if (!(d = opendir(path(ck, name))))
		die(E_SYSTEM, "open %s:", path(ck, name));
	while ((e = readdir(d))) {
		struct buf sub = { 0 };

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		buf_addf(&sub, "%s/%s", name, e->d_name);
		v = grow(v, &cap, n, sizeof *v);
		v[n++] = sub.p;
	}
	closedir(d);
	sort(v, n, sizeof *v, bystr);
	for (i = 0; i < n; i++) {
		modes_tree(ck, v[i]);
		free(v[i]);
	}
	free(v);
}

/* Does the store, index and all, give what the ledgers alone give?  For
 * each member her record, her phone and her points; each receipt and
 * ref its row.  An index that lags or is gone is no problem: the next
 * writer brings it up to date. */
struct truth {
	struct members ms;
	struct history *hs;
	struct strmap ids;
};

static int
cache_problem(struct check *ck, const char *what)
{
	ck->cachebad++;
	if (ck->fixing)
		return 0;	/* --repair only counts, then rebuilds */
	ck->file = "cache";
	problem(ck, 0, "cache", "the index does not agree with the ledgers "
	    "for %s; run ledger-check --repair", what);
	return 0;
}

static int64_t
total(const struct history *h, int used)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < h->n; i++)
		t += used ? h->v[i].used : h->v[i].credit;
	return t;
}

static void
check_cache(struct check *ck)
{
	struct store st;
	struct truth tr = { 0 };
	struct member m;
	struct history h;
	struct buf row = { 0 }, line = { 0 };
	struct strmap seen = { 0 };
	struct tsv t;
	size_t i;
	int l, r;

	if (ck->status != 0)
		return;		/* the ledgers' own problems come first */
	if (store_open(&st, ck->vl, 0) < 0 || !st.mrecs.p) {
		store_close(&st);
		return;		/* no index in force: nothing to disagree */
	}
	if (members_load(ck->vl, INT64_MAX, &tr.ms) < 0) {
		store_close(&st);
		return;		/* the ledger's own problems are said */
	}
	tr.hs = ecalloc(tr.ms.n + 1, sizeof *tr.hs);
	for (i = 0; i < tr.ms.n; i++)
		strmap_put(&tr.ids, tr.ms.v[i].f[M_MEMBER], i);
	for (l = SALES; l <= POINTS; l++) {
		const struct ledger *led = l == SALES ? &L_SALES : &L_POINTS;
		int col = l == SALES ? S_RECEIPT : P_REF;

		tsv_ledger(&t, ck->vl, led);
		while (tsv_row(&t, led)) {
			if (l == SALES)
				history_sale_row(&t, &tr.ids, tr.hs);
			else
				history_points_row(&t, &tr.ids, tr.hs);
			if (!*t.f[col] || strmap_get(&seen, t.f[col]))
				continue;
			strmap_put(&seen, t.f[col], 0);
			line.n = 0;
			tsv_line(&line, &t);
			r = l == SALES ? store_receipt(&st, t.f[col], &row) :
			    store_ref(&st, t.f[col], &row);
			if (r != 1 || row.n != line.n ||
			    memcmp(row.p, line.p, line.n) != 0)
				cache_problem(ck, t.f[col]);
		}
		if (tsv_close(&t) < 0)
			break;	/* said by the check of the file */
		strmap_free(&seen);
		memset(&seen, 0, sizeof seen);
	}
	for (i = 0; i < tr.ms.n; i++) {
		const struct member *want = &tr.ms.v[i];
		int f;

		memset(&h, 0, sizeof h);
		if (store_member_by(&st, want->f[M_MEMBER], BY_ID, &m) != 1) {
			cache_problem(ck, want->f[M_MEMBER]);
			continue;
		}
		for (f = 0; f < M_NCOLS; f++)
			if (strcmp(m.f[f], want->f[f]) != 0)
				break;
		if (f < M_NCOLS || m.joined != want->joined ||
		    store_history(&st, want->f[M_MEMBER], &h) < 0 ||
		    total(&h, 0) != total(&tr.hs[i], 0) ||
		    total(&h, 1) != total(&tr.hs[i], 1))
			cache_problem(ck, want->f[M_MEMBER]);
		free(m.f[0]);
		free(h.v);
		/* a phone finds whom a reading of the ledgers finds */
		if (*want->f[M_PHONE]) {
			const struct member *p = members_byphone(&tr.ms,
			    want->f[M_PHONE]);

			r = store_member_by(&st, want->f[M_PHONE], BY_PHONE, &m);
			if (r != (p != NULL) || (p && strcmp(m.f[M_MEMBER],
			    p->f[M_MEMBER]) != 0))
				cache_problem(ck, want->f[M_PHONE]);
		}
	}
	store_close(&st);
	buf_free(&row);
	buf_free(&line);
}

/* --repair: an index that disagrees is built again from the ledgers. */
static void
repair_cache(struct check *ck)
{
	char dir[PATH_MAX + 32], p[PATH_MAX + 300];
	struct store st;
	struct dirent *e;
	DIR *d;

	ck->cachebad = 0;
	check_cache(ck);
	if (ck->cachebad == 0)
		return;
	snprintf(dir, sizeof dir, "%s/cache", ck->vl->dir);
	if (!(d = opendir(dir)))
		return;		/* none: the next writer makes it */
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' || strcmp(e->d_name, ".lock") == 0) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	closedir(d);
	if (store_open(&st, ck->vl, 1) < 0)
		die_last();
	store_close(&st);
	said(ck, "cache: rebuilt");
}

/* C0 and C1 controls and DEL: no ledger may drive a terminal. */
static int
has_control(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f || (p[i] == 0xc2 &&
		    i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f))
			return 1;
	return 0;
}

static int
is(const struct tsv *t, int i, const char *s)
{
	return i < t->nf && t->fl[i] == strlen(s) &&
	    memcmp(t->f[i], s, t->fl[i]) == 0;
}

/* "kind must be sale or return", from the words allowed. */
static const char *
words_msg(char *buf, size_t size, const char *words, int empty)
{
	const char *w, *sp;
	size_t n = 0;

	n += (size_t)snprintf(buf, size, "must be ");
	for (w = words; *w && n < size; w = sp + (*sp == ' ')) {
		sp = strchr(w, ' ');
		if (!sp)
			sp = w + strlen(w);
		n += (size_t)snprintf(buf + n, size - n, "%s%.*s",
		    w == words ? "" : *sp || empty ? ", " : " or ",
		    (int)(sp - w), w);
	}
	if (empty && n < size)
		snprintf(buf + n, size - n, " or empty");
	return buf;
}

static int
word_in(const char *words, const char *s, size_t n)
{
	const char *w, *sp;

	for (w = words; *w; w = sp + (*sp == ' ')) {
		sp = strchr(w, ' ');
		if (!sp)
			sp = w + strlen(w);
		if ((size_t)(sp - w) == n && memcmp(w, s, n) == 0)
			return 1;
	}
	return 0;
}

static size_t
int_digits(const char *s, size_t n)
{
	size_t i = n > 0 && s[0] == '-', k;

	for (k = i; k < n && s[k] >= '0' && s[k] <= '9'; k++)
		;
	return k - i;
}

/* Why field i is malformed, or NULL; its value, if a number, to num[i]. */
static const char *
field_why(struct check *ck, const struct tsv *t, int i, const struct field *f,
    char *buf, size_t size)
{
	const char *s = t->f[i];
	size_t n = t->fl[i];
	int64_t v = 0;
	day_t d;

	ck->num[i] = 0;
	if (n > 4096)
		return "is longer than 4096 bytes";
	if (!utf8_valid(s, n))
		return "is not valid UTF-8";
	if (has_control(s, n))
		return "holds a control character";
	if (n == 0)
		return f->type == F_NEED || f->type == F_ID || f->type == F_MID ||
		    f->type == F_TIME || f->type == F_DATE ||
		    f->type == F_MONEY || f->type == F_WORD ? "is empty" : NULL;
	switch (f->type) {
	case F_TEXT:
	case F_NEED:
		break;
	case F_ID:
	case F_ID0:
		if (id_check("", s, 64) < 0)
			return "must be 1 to 64 letters, digits, '-', '_' or '.'";
		break;
	case F_MID:
	case F_MID0:
		if (id_check("", s, 32) < 0)
			return "must be 1 to 32 letters, digits, '-', '_' or '.'";
		break;
	case F_TIME:
		if (n != 19 || time_parse(s, n, &v) < 0)
			return "is not a time like 2026-03-01T10:00:00";
		break;
	case F_DATE:
	case F_DATE0:
		if (date_parse(s, n, &d) < 0)
			return vl_err;
		break;
	case F_MONEY:
	case F_MONEY0:
		/* counted first: money_parse takes more, for sums */
		if (int_digits(s, n) > 15)
			return "has more than 15 digits before the point";
		if (money_parse(s, n, MONEY_LEDGER, &v) < 0)
			return vl_err;
		break;
	case F_INT0:
		if (int_parse(s, n, 1, &v) < 0)
			return vl_err;
		break;
	case F_PHONE0:
		if (phone_check(s) < 0)
			return "must be 5 to 20 digits, with an optional leading +";
		break;
	case F_BIRTHDAY0:
		if (birthday_check(s) < 0)
			return "must be a real date as MM-DD or YYYY-MM-DD";
		break;
	case F_ITEMS0:
		if (items_valid(s, n) < 0) {
			snprintf(buf, size, ": %.400s", vl_err);
			return buf;
		}
		break;
	case F_WORD:
	case F_WORD0:
		if (!word_in(f->words, s, n))
			return words_msg(buf, size, f->words, f->type == F_WORD0);
		break;
	}
	if ((f->type == F_MONEY || f->type == F_MONEY0 || f->type == F_INT0) &&
	    v == 0 && s[0] == '-')
		return "is -0; zero is written without a sign";
	ck->num[i] = v;
	return NULL;
}

/* The format check of a row; 0 when its fields cannot be told apart. */
static int
check_row(struct check *ck, const struct spec *sp, const struct tsv *t)
{
	const struct field *f;
	const char *why;
	char name[32], buf[512];
	int i;

	ck->bad = 0;
	if (t->nf < ck->ncols || t->nf > ck->hcols) {
		problem(ck, t->lineno, "format", "%d field%s, %s %d", t->nf,
		    t->nf == 1 ? "" : "s",
		    t->nf < ck->ncols ? "expected" : "but the header has",
		    t->nf < ck->ncols ? ck->ncols : ck->hcols);
		return 0;
	}
	for (i = 0; i < t->nf; i++) {
		f = i < ck->ncols ? &sp->f[i] : &unknown_f;
		if (!(why = field_why(ck, t, i, f, buf, sizeof buf)))
			continue;
		if (i < ck->ncols)
			snprintf(name, sizeof name, "%s", sp->l->cols[i]);
		else
			snprintf(name, sizeof name, "column %d", i + 1);
		/* an item's own message names it: "items: item 12x: ..." */
		problem(ck, t->lineno, "format", "%s%s%s", name,
		    why[0] == ':' ? "" : " ", why);
		ck->bad |= (uint64_t)1 << i;
	}
	return 1;
}

/* The header begins with the ledger's columns (or those of 0.1, which
 * --repair upgrades); columns after them are left unchecked. */
static int
check_header(struct check *ck, const struct spec *sp, const struct tsv *t)
{
	const struct ledger *l = sp->l;
	int i;

	ck->hcols = t->nf;
	for (i = 0; i < l->ncols; i++) {
		if (i == l->nold && i == t->nf) {
			problem(ck, t->lineno, "header", "%s has the 0.1 columns; "
			    "run ledger-check --repair to add %s", l->file,
			    "birthday_units and wallet");
			ck->ncols = i;
			return 1;
		}
		if (!is(t, i, l->cols[i])) {
			problem(ck, t->lineno, "header", "column %d should be "
			    "%s; fix the header line", i + 1, l->cols[i]);
			return 0;
		}
	}
	ck->ncols = l->ncols;
	return 1;
}

/* In input mode tsv_next also gives a last line without LF: it is the
 * one that runs to the end of what was read. */
static int
torn_line(const struct tsv *t)
{
	return t->f[t->nf - 1] + t->fl[t->nf - 1] == t->buf + t->end;
}

/* Checks one ledger; 0 when its rows could not be read for a bad header. */
static int
check_file(struct check *ck, const struct spec *sp)
{
	const char *file = sp->l->file, *p = path(ck, file);
	struct stat st;
	struct tsv t;
	int header = 1, rows = 1;

	if (stat(p, &st) < 0) {
		if (errno == ENOENT)
			return 1;
		die(E_SYSTEM, "stat %s:", p);
	}
	if (!S_ISREG(st.st_mode))
		die(E_SYSTEM, "%s: not a regular file", p);
	modes(ck, file, &st);
	ck->file = file;
	tsv_open(&t, p, file);
	t.input = 1;		/* every line, torn or not UTF-8, comes here */
	while (tsv_next(&t)) {
		if (torn_line(&t)) {
			if (sp->byhand)
				problem(ck, t.lineno, "torn", "the last line has "
				    "no line end; end it with a newline");
			else
				problem(ck, t.lineno, "torn", "the last line "
				    "has no line end: a write was cut short; run "
				    "ledger-check --repair to set it aside in "
				    "torn/%s", file);
			break;
		}
		if (sp->byhand && header && t.fl[0] >= 3 &&
		    memcmp(t.f[0], "\xef\xbb\xbf", 3) == 0)
			t.f[0] += 3, t.fl[0] -= 3;
		if (sp->byhand && t.fl[t.nf - 1] > 0 &&
		    t.f[t.nf - 1][t.fl[t.nf - 1] - 1] == '\r')
			t.f[t.nf - 1][--t.fl[t.nf - 1]] = '\0';
		if (header) {
			header = 0;
			rows = check_header(ck, sp, &t);
		} else if (rows && check_row(ck, sp, &t) && sp->row) {
			sp->row(ck, &t);
		}
	}
	if (tsv_close(&t) < 0)
		die_last();
	if (rows && sp->end)
		sp->end(ck);
	flush(ck);
	return rows;
}

static void
member_ref(struct check *ck, const struct tsv *t, int col, const char *what)
{
	if (ck->members_known && !BAD(ck, col) && t->fl[col] > 0 &&
	    !strmap_get(&ck->mids, t->f[col]))
		problem(ck, t->lineno, "references", "%s %s is not in "
		    "members.tsv", what, t->f[col]);
}

/* A member's later rows are edits: its id is taken at its first row. */
static void
members_row(struct check *ck, const struct tsv *t)
{
	const char *id = t->f[M_MEMBER], *ref = t->f[M_REFERRER];
	struct enrolled *m;
	size_t *ix;

	if (BAD(ck, M_MEMBER))
		return;
	if ((ix = strmap_get(&ck->mids, id))) {
		m = &ck->mv[*ix];
		free(m->phone);
	} else {
		ck->mv = grow(ck->mv, &ck->mcap, ck->nm, sizeof *ck->mv);
		m = &ck->mv[ck->nm];
		m->id = estrdup(id);
		strmap_put(&ck->mids, id, ck->nm++);
	}
	m->cur = t->lineno;
	m->phone = BAD(ck, M_PHONE) ? NULL : estrdup(t->f[M_PHONE]);
	if (BAD(ck, M_REFERRER) || !*ref)
		return;
	if (strcmp(ref, id) == 0)
		problem(ck, t->lineno, "references", "member %s is its own "
		    "referrer", id);
	else if (!strmap_get(&ck->mids, ref))
		problem(ck, t->lineno, "references", "referrer %s is not a "
		    "member registered above this row", ref);
}

/* MEMBER arguments take an id or a phone: neither may name two members.
 * A clash is reported at the record in force of the one registered later. */
static void
members_end(struct check *ck)
{
	struct strmap phones = { 0 };
	struct enrolled *m;
	size_t j, *ix, later;

	for (j = 0; j < ck->nm; j++) {
		m = &ck->mv[j];
		if (!m->phone || !*m->phone)
			continue;
		if ((ix = strmap_get(&phones, m->phone)))
			problem(ck, m->cur, "ids", "member %s has the same phone as %s; "
			    "give one of them another with member-edit", m->id,
			    ck->mv[*ix].id);
		else
			strmap_put(&phones, m->phone, j);
		if ((ix = strmap_get(&ck->mids, m->phone)) && *ix != j) {
			later = *ix > j ? *ix : j;
			problem(ck, ck->mv[later].cur, "ids", "the phone of %s "
			    "is the member id of %s; give %s another phone with "
			    "member-edit", m->id, ck->mv[*ix].id, m->id);
		}
	}
	strmap_free(&phones);
}

/* A sale's figures are at or above zero, a return's at or below. */
static void
sales_signs(struct check *ck, const struct tsv *t, int isret)
{
	static const int cols[] = { S_GOODS, S_POINTS_USED, S_PAID, S_EARNED,
		S_REFERRAL_POINTS, S_WALLET };
	size_t k;
	int c;

	for (k = 0; k < sizeof cols / sizeof cols[0]; k++) {
		c = cols[k];
		if (c >= ck->ncols || BAD(ck, c))
			continue;
		if (!isret && ck->num[c] < 0)
			problem(ck, t->lineno, "format", "%s is below zero in a "
			    "sale", c == S_WALLET ? "wallet" : L_SALES.cols[c]);
		else if (isret && ck->num[c] > 0)
			problem(ck, t->lineno, "format", "%s is above zero in a "
			    "return", c == S_WALLET ? "wallet" : L_SALES.cols[c]);
	}
}

/* paid = goods - points_used * 100 / redeem_rate (SPEC section 3).  A
 * sale's value is whole cents; a return's is a difference of values
 * rounded down, so within a cent of its exact share. */
static void
sales_paid(struct check *ck, const struct tsv *t, int isret)
{
	int64_t goods = ck->num[S_GOODS], used = ck->num[S_POINTS_USED];
	int64_t paid = ck->num[S_PAID], rate = ck->rules.redeem_rate;
	wide diff;
	char g[32], p[32];

	if (BAD(ck, S_GOODS) || BAD(ck, S_POINTS_USED) || BAD(ck, S_PAID))
		return;
	diff = (wide)(goods - paid) * rate - (wide)used * 100;
	if (isret ? diff > -rate && diff < rate : diff == 0)
		return;
	problem(ck, t->lineno, "arithmetic", "paid %s is not goods %s less the "
	    "value of %lld points_used at redeem_rate %lld", money_fmt(paid, p),
	    money_fmt(goods, g), (long long)used, (long long)rate);
}

/* What a return takes back comes off what is left of its sale. */
static void
sales_return(struct check *ck, const struct tsv *t)
{
	static const int cols[] = { S_GOODS, S_POINTS_USED, S_REFERRAL_POINTS,
		S_WALLET };
	static const char *const names[] = { "goods", "points_used",
		"referral_points", "wallet" };
	const char *receipt = t->f[S_RECEIPT], *sale = t->f[S_SALE];
	struct buf over = { 0 };
	struct sold *s;
	size_t *ix;
	int k, c;

	if (!(ix = strmap_get(&ck->sales, sale))) {
		problem(ck, t->lineno, "references", "return %s is of %s, which "
		    "is not a sale above it", receipt, sale);
		return;
	}
	s = &ck->sv[*ix];
	if (s->member && !BAD(ck, S_MEMBER) &&
	    strcmp(s->member, t->f[S_MEMBER]) != 0)
		problem(ck, t->lineno, "references", "return %s is for member "
		    "%s, but its sale %s is for %s", receipt, t->f[S_MEMBER],
		    sale, s->member);
	if (!s->known)
		return;
	for (k = 0; k < 4; k++) {
		c = cols[k];
		if (c >= ck->ncols || BAD(ck, c))
			continue;
		s->left[k] += ck->num[c];
		if (ck->num[c] != 0 && s->left[k] < 0)
			buf_addf(&over, "%s%s", over.n ? ", " : "", names[k]);
	}
	if (over.n)
		problem(ck, t->lineno, "arithmetic", "return %s takes back more "
		    "%s than sale %s has left", receipt, over.p, sale);
	buf_free(&over);
}

static void
sales_row(struct check *ck, const struct tsv *t)
{
	const char *receipt = t->f[S_RECEIPT], *sale = t->f[S_SALE];
	struct sold *s;
	size_t *ix;
	int isret;

	member_ref(ck, t, S_MEMBER, "member");
	member_ref(ck, t, S_REFERRER, "referrer");
	if (BAD(ck, S_KIND))
		return;
	isret = strcmp(t->f[S_KIND], "return") == 0;
	sales_signs(ck, t, isret);
	if (!isret && t->fl[S_ITEMS] == 0)
		problem(ck, t->lineno, "format", "items is empty in a sale");
	sales_paid(ck, t, isret);
	if (BAD(ck, S_RECEIPT))
		return;
	if ((ix = strmap_get(&ck->receipts, receipt))) {
		problem(ck, t->lineno, "ids", "receipt %s is already on line %zu",
		    receipt, *ix);
		return;
	}
	strmap_put(&ck->receipts, receipt, (size_t)t->lineno);
	if (BAD(ck, S_SALE))
		return;
	if (isret) {
		sales_return(ck, t);
		return;
	}
	if (strcmp(sale, receipt) != 0)
		problem(ck, t->lineno, "references", "sale %s names the sale %s; "
		    "a sale's sale column is its own receipt", receipt, sale);
	ck->sv = grow(ck->sv, &ck->scap, ck->ns, sizeof *ck->sv);
	s = &ck->sv[ck->ns];
	s->member = BAD(ck, S_MEMBER) ? NULL : estrdup(t->f[S_MEMBER]);
	s->known = !BAD(ck, S_GOODS) && !BAD(ck, S_POINTS_USED) &&
	    !BAD(ck, S_REFERRAL_POINTS) &&
	    (ck->ncols <= S_WALLET || !BAD(ck, S_WALLET));
	s->left[0] = ck->num[S_GOODS];
	s->left[1] = ck->num[S_POINTS_USED];
	s->left[2] = ck->num[S_REFERRAL_POINTS];
	s->left[3] = ck->ncols > S_WALLET ? ck->num[S_WALLET] : 0;
	s->paid = BAD(ck, S_PAID) ? 0 : ck->num[S_PAID];
	s->at = BAD(ck, S_AT) ? 0 : ck->num[S_AT];
	s->referrer = t->fl[S_REFERRER] ? estrdup(t->f[S_REFERRER]) : NULL;
	s->tier = rules_tier(&ck->rules, t->f[S_TIER]);
	if (s->member && !BAD(ck, S_AT) && (!(ix = strmap_get(&ck->firsts,
	    s->member)) || s->at < ck->sv[*ix].at))
		strmap_put(&ck->firsts, s->member, ck->ns);
	strmap_put(&ck->sales, receipt, ck->ns++);
}

/* A REF names one row of its ledger, whatever the kind. */
static void
ref_unique(struct check *ck, const struct tsv *t, int col)
{
	size_t *ix;

	if (BAD(ck, col) || t->fl[col] == 0)
		return;
	if ((ix = strmap_get(&ck->refs, t->f[col])))
		problem(ck, t->lineno, "ids", "ref %s is already on line %zu",
		    t->f[col], *ix);
	else
		strmap_put(&ck->refs, t->f[col], (size_t)t->lineno);
}

static void
points_row(struct check *ck, const struct tsv *t)
{
	member_ref(ck, t, P_MEMBER, "member");
	ref_unique(ck, t, P_REF);
}

static void
wallet_row(struct check *ck, const struct tsv *t)
{
	int topup = strcmp(t->f[W_KIND], "topup") == 0;

	member_ref(ck, t, W_MEMBER, "member");
	ref_unique(ck, t, W_REF);
	if (BAD(ck, W_KIND) || BAD(ck, W_AMOUNT))
		return;
	if (topup && ck->num[W_AMOUNT] <= 0)
		problem(ck, t->lineno, "format", "amount is not above zero in "
		    "a topup");
	else if (!topup && ck->num[W_AMOUNT] >= 0)
		problem(ck, t->lineno, "format", "amount is not below zero in "
		    "a refund");
}

/* points.tsv and wallet.tsv each have their own REF space. */
static void
refs_end(struct check *ck)
{
	strmap_free(&ck->refs);
}

/* Each member's rows chain: from is the previous to, at never goes back. */
static void
tiers_row(struct check *ck, const struct tsv *t)
{
	const char *member = t->f[T_MEMBER];
	struct chain *c;
	size_t *ix;

	member_ref(ck, t, T_MEMBER, "member");
	if (BAD(ck, T_MEMBER) || BAD(ck, T_AT) || BAD(ck, T_FROM) ||
	    BAD(ck, T_TO))
		return;
	if ((ix = strmap_get(&ck->tmembers, member))) {
		c = &ck->tv[*ix];
		if (strcmp(t->f[T_FROM], c->to) != 0)
			problem(ck, t->lineno, "tiers", "member %s goes from %s, "
			    "but its row on line %ld left it at %s", member, t->f[T_FROM],
			    c->line, c->to);
		if (ck->num[T_AT] < c->at)
			problem(ck, t->lineno, "tiers", "member %s's row is dated "
			    "before its row on line %ld", member, c->line);
		free(c->to);
	} else {
		ck->tv = grow(ck->tv, &ck->tcap, ck->nt, sizeof *ck->tv);
		c = &ck->tv[ck->nt];
		strmap_put(&ck->tmembers, member, ck->nt++);
	}
	c->to = estrdup(t->f[T_TO]);
	c->at = ck->num[T_AT];
	c->line = t->lineno;
}

/* A follow-up's task is one the rules make for the note's member. */
static void
notes_row(struct check *ck, const struct tsv *t)
{
	const char *task = t->f[N_TASK], *receipt;
	const struct followup *f;
	struct sold *s;
	size_t *ix, *first;
	int line;

	member_ref(ck, t, N_MEMBER, "member");
	if (!t->fl[N_TASK] || BAD(ck, N_KIND) || BAD(ck, N_TASK) ||
	    strcmp(t->f[N_KIND], "followup") != 0)
		return;
	if ((line = task_parse(&ck->rules, task, &receipt)) < 0 ||
	    !(ix = strmap_get(&ck->sales, receipt)) ||
	    !(s = &ck->sv[*ix])->member) {
		problem(ck, t->lineno, "references", "task %s is no follow-up "
		    "task of the rules and sales", task);
		return;
	}
	f = &ck->rules.followups[line];
	first = strmap_get(&ck->firsts, s->member);
	if (!followup_makes(f, s->paid, first && *first == *ix, s->referrer !=
	    NULL, s->tier) || strcmp(f->referral ? s->referrer : s->member,
	    t->f[N_MEMBER]) != 0)
		problem(ck, t->lineno, "references", "task %s is no follow-up "
		    "task of member %s", task, t->f[N_MEMBER]);
}

static const struct spec specs[] = {
	{ &L_MEMBERS, members_f, members_row, members_end, 0 },
	{ &L_SALES, sales_f, sales_row, NULL, 0 },
	{ &L_POINTS, points_f, points_row, refs_end, 0 },
	{ &L_TIERS, tiers_f, tiers_row, NULL, 0 },
	{ &L_WALLET, wallet_f, wallet_row, refs_end, 0 },
	{ &L_NOTES, notes_f, notes_row, NULL, 0 },
	{ &L_STAFF, staff_f, NULL, NULL, 1 },
};
#define NSPECS (sizeof specs / sizeof specs[0])

static void
check_dir(struct check *ck)
{
	struct stat st;
	size_t i;

	ck->fixing = 0;
	modes_of(ck, ".");
	modes_of(ck, ".lock");
	if (lstat(path(ck, ".intent"), &st) == 0) {
		ck->file = ".intent";
		problem(ck, 0, "intent", "a writer was stopped before it "
		    "finished; run ledger-check --repair to undo its rows");
	} else if (errno != ENOENT) {
		die(E_SYSTEM, "stat %s:", path(ck, ".intent"));
	}
	flush(ck);
	/* members.tsv first: the others name its members */
	ck->members_known = 1;
	for (i = 0; i < NSPECS; i++)
		if (!check_file(ck, &specs[i]) && i == 0)
			ck->members_known = 0;
	modes_tree(ck, "torn");
	flush(ck);
	modes_tree(ck, "cache");
	check_cache(ck);
	flush(ck);
}

/* A ledger that is a link is left to a human, as writers refuse one. */
static void
repair_torn(struct check *ck, const struct spec *sp)
{
	const char *file = sp->l->file;
	struct stat st;
	off_t size;
	int fd;

	if (lstat(path(ck, file), &st) < 0) {
		if (errno == ENOENT)
			return;
		die(E_SYSTEM, "stat %s:", path(ck, file));
	}
	if (!S_ISREG(st.st_mode))
		return;
	if ((fd = open(path(ck, file), O_RDWR | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0)
		die(E_SYSTEM, "open %s:", path(ck, file));
	size = st.st_size;
	switch (torn_set_aside(ck->vl->dir, file, fd, &size)) {
	case -1:
		die(E_SYSTEM, "%s", vl_err);
	case 1:
		said(ck, "%s: torn last line set aside in torn/%s", file, file);
		break;
	}
	close(fd);
}

/* A sales.tsv of 0.1 gets the two empty columns of 0.2 on every line,
 * the file replaced at once (SPEC section 2).  Its torn line, if any, is
 * set aside already. */
static void
repair_columns(struct check *ck)
{
	const struct ledger *l = &L_SALES;
	struct buf in = { 0 }, out = { 0 };
	char chunk[65536], *s, *e, *nl;
	ssize_t n;
	int fd, tabs = 0;

	if ((fd = open(path(ck, l->file), O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0) {
		if (errno == ENOENT || errno == ELOOP)
			return;
		die(E_SYSTEM, "open %s:", path(ck, l->file));
	}
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die(E_SYSTEM, "read %s:", path(ck, l->file));
		buf_add(&in, chunk, (size_t)n);
		if (!tabs && (nl = memchr(in.p, '\n', in.n))) {
			for (s = in.p; s < nl; s++)
				tabs += *s == '\t';
			if (tabs != l->nold - 1)	/* not 0.1's header */
				break;
		}
	}
	close(fd);
	if (tabs != l->nold - 1 || !in.n || in.p[in.n - 1] != '\n') {
		buf_free(&in);
		return;
	}
	for (s = in.p, e = in.p + in.n; s < e; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(e - s));
		buf_add(&out, s, (size_t)(nl - s));
		buf_adds(&out, s == in.p ? "\tbirthday_units\twallet\n" :
		    "\t\t\n");
	}
	if (file_replace(ck->vl->dir, l->file, out.p, out.n) < 0)
		die_last();
	said(ck, "%s: upgraded to the 0.2 columns: birthday_units and "
	    "wallet added, empty", l->file);
	buf_free(&in);
	buf_free(&out);
}

/* What needs no judgement, in the order a writer does it: .intent first,
 * then torn lines; then the modes. */
static void
repair_dir(struct check *ck)
{
	struct buf log = { 0 };
	size_t i;
	int rc;

	rc = intent_recover(ck->vl->dir, &log);
	if (log.n && !ck->vl->quiet)
		fwrite(log.p, 1, log.n, stdout);
	if (rc < 0)
		die(E_SYSTEM, "%s", vl_err);
	if (rc > 0)
		said(ck, ".intent: recovered and removed");
	buf_free(&log);
	for (i = 0; i < NSPECS; i++)
		if (!specs[i].byhand)
			repair_torn(ck, &specs[i]);
	repair_columns(ck);
	ck->fixing = 1;
	modes_of(ck, ".");
	modes_of(ck, ".lock");
	for (i = 0; i < NSPECS; i++)
		modes_of(ck, specs[i].l->file);
	modes_tree(ck, "torn");
	repair_cache(ck);
	modes_tree(ck, "cache");
}

int
main(int argc, char *argv[])
{
	struct check ck = { 0 };
	struct optparse op;
	struct stat st;
	struct vl vl;
	int c, repair = 0;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == O_REPAIR)
			repair = 1;
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands > 0)
		usage_error("takes no operands");
	if (vl_ready(&vl) < 0)
		die_last();
	if (stat(vl.dir, &st) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			die(E_SYSTEM, "stat %s:", vl.dir);
		die(E_SYSTEM, "%s: no such data directory; give -d or set "
		    "VIPLEDGER_DIR", vl.dir);
	}
	if (!S_ISDIR(st.st_mode))
		die(E_SYSTEM, "%s: not a directory", vl.dir);
	ck.vl = &vl;
	/* under the lock no row is half written: a torn line is one */
	if (ledger_lock(&vl) < 0)
		die_last();
	if (repair)
		repair_dir(&ck);
	if (rules_load(&vl, &ck.rules) < 0)
		die_last();
	check_dir(&ck);
	ledger_unlock(&vl);
	fshut();
	return ck.status;
}
