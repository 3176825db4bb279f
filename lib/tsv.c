/* tsv.c: a streaming reader of TAB-separated ledgers, fields as pointer+length. */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vl.h"

#define TSV_READ (1 << 16)

static const char *const members_cols[] = { "at", "member", "name", "phone",
	"birthday", "gender", "email", "address", "size", "referrer",
	"associate", "store", "contact", "note" };
static const char *const sales_cols[] = { "at", "receipt", "member", "kind",
	"sale", "goods", "points_used", "paid", "earned", "available_on",
	"referrer", "referral_points", "tier", "store", "associate", "items",
	"note" };
static const char *const points_cols[] = { "at", "member", "kind", "points",
	"available_on", "ref", "note" };
static const char *const tiers_cols[] = { "at", "member", "event", "from",
	"to", "since", "expires", "strikes", "reason" };
static const char *const staff_cols[] = { "staff", "name", "active" };

#define LEDGER(f, c) { f, c, (int)(sizeof c / sizeof c[0]) }
const struct ledger L_MEMBERS = LEDGER("members.tsv", members_cols);
const struct ledger L_SALES = LEDGER("sales.tsv", sales_cols);
const struct ledger L_POINTS = LEDGER("points.tsv", points_cols);
const struct ledger L_TIERS = LEDGER("tiers.tsv", tiers_cols);
const struct ledger L_STAFF = LEDGER("staff.tsv", staff_cols);

/* A reader's first error sticks: rows stop, and tsv_close reports it,
 * as ferror(3) and fclose(3) do. */
static int
tsv_error(struct tsv *t)
{
	if (!t->err) {
		fail_sys("%s:%ld: %s", t->name, t->lineno, vl_err);
		memcpy(t->errmsg, vl_err, sizeof t->errmsg);
		t->err = 1;
	}
	return 0;
}

/* Returns 1 when the file is open, 0 when it does not exist (no rows). */
int
tsv_open(struct tsv *t, const char *path, const char *name)
{
	memset(t, 0, sizeof *t);
	t->name = name;
	t->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (t->fd < 0) {
		t->eof = 1;
		if (errno == ENOENT)
			return 0;
		fail_sys("open %s: %s", path, strerror(errno));
		memcpy(t->errmsg, vl_err, sizeof t->errmsg);
		t->err = 1;
		return 1;	/* no rows, and tsv_close says why */
	}
	t->ownfd = 1;
	t->cap = TSV_READ;
	t->buf = emalloc(t->cap + 1);
	return 1;
}

/* Reads from fd, which the caller closes; input: user input. */
void
tsv_fdopen(struct tsv *t, int fd, const char *name, int input)
{
	memset(t, 0, sizeof *t);
	t->name = name;
	t->fd = fd;
	t->input = input;
	t->cap = TSV_READ;
	t->buf = emalloc(t->cap + 1);
}

/* Reads n bytes of memory (copied), as tsv_fdopen would read a file. */
void
tsv_mem(struct tsv *t, const char *p, size_t n, const char *name, int input)
{
	memset(t, 0, sizeof *t);
	t->name = name;
	t->fd = -1;
	t->input = input;
	t->cap = n;
	t->buf = emalloc(n + 1);
	if (n)
		memcpy(t->buf, p, n);
	t->end = n;
	t->eof = 1;
}

/* Of a line too long to be a row: the first field longer than FIELD_MAX,
 * or -1 when more than TSV_MAXF fields come first.  Any TSV_LINEMAX bytes
 * of a line hold one or the other. */
static int
long_field(const char *p, size_t n)
{
	const char *e = p + n, *tab;
	int i;

	for (i = 0; i < TSV_MAXF; i++, p = tab + 1) {
		tab = memchr(p, '\t', (size_t)(e - p));
		if (!tab || (size_t)(tab - p) > FIELD_MAX)
			return i;
	}
	return -1;
}

/* Finds the next whole line; a last line without LF is never returned,
 * unless it is user input.  Of a line longer than TSV_LINEMAX only its
 * tail is kept, and toolong says so (badf: why): no line needs more
 * memory than that. */
static char *
next_line(struct tsv *t, size_t *len)
{
	char *nl, *line;
	ssize_t r;

	t->toolong = 0;
	for (;;) {
		line = t->buf + t->pos;
		nl = memchr(line, '\n', t->end - t->pos);
		if (nl || (t->eof && t->input && t->pos < t->end) ||
		    (t->eof && t->skip)) {
			*len = nl ? (size_t)(nl - line) : t->end - t->pos;
			t->pos += *len + (nl != NULL);
			t->off += (off_t)(*len + (nl != NULL));
			if (!t->skip && *len > TSV_LINEMAX)
				t->badf = long_field(line, *len);
			t->toolong = t->skip || *len > TSV_LINEMAX;
			t->skip = 0;
			if (!nl && !t->input)
				return NULL;	/* a torn line */
			return line;
		}
		if (t->eof)
			return NULL;
		if (t->end - t->pos > TSV_LINEMAX) {
			if (!t->skip)
				t->badf = long_field(line, t->end - t->pos);
			t->off += (off_t)(t->end - t->pos);
			t->pos = t->end;
			t->skip = 1;
		}
		if (t->pos > 0) {
			memmove(t->buf, t->buf + t->pos, t->end - t->pos);
			t->end -= t->pos;
			t->pos = 0;
		}
		if (t->end == t->cap) {
			t->cap *= 2;
			t->buf = erealloc(t->buf, t->cap + 1);
		}
		r = read(t->fd, t->buf + t->end, t->cap - t->end);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fail_sys("read %s: %s", t->name, strerror(errno));
			t->ioerr = 1;
			return NULL;
		}
		if (r == 0)
			t->eof = 1;
		t->end += (size_t)r;
	}
}

/* Splits a line at TABs; -1 when there are more than TSV_MAXF fields. */
static int
split(struct tsv *t, char *line, size_t len)
{
	char *p = line, *e = line + len, *tab;

	t->nf = 0;
	for (;;) {
		if (t->nf == TSV_MAXF) {
			t->nf = 0;
			t->badf = -1;
			return fail("more than %d fields", TSV_MAXF);
		}
		tab = memchr(p, '\t', (size_t)(e - p));
		t->f[t->nf] = p;
		t->fl[t->nf] = (size_t)((tab ? tab : e) - p);
		p[t->fl[t->nf]] = '\0';
		t->nf++;
		if (!tab)
			return 0;
		p = tab + 1;
	}
}

/* A ledger's fields are text: valid UTF-8 without a control character. */
static int
text_check(struct tsv *t)
{
	size_t off;
	int i;

	for (i = 0; i < t->nf; i++)
		switch (text_scan(t->f[i], t->fl[i], &off)) {
		case TEXT_UTF8:
			t->badf = i;
			return fail("field %d is not valid UTF-8", i + 1);
		case TEXT_CTL:
			t->badf = i;
			return fail("field %d contains a control character",
			    i + 1);
		}
	return 0;
}

/* The next line that is not blank, in f[]: 1, or 0 at the end.  -1 (with
 * vl_err) for a line that cannot be a row, with the field at fault in
 * badf (-1: more than TSV_MAXF fields) and none in f[]: a field longer
 * than FIELD_MAX in a line longer than TSV_LINEMAX, too many fields, or,
 * in a ledger, a field that is not text, or a read error. */
int
tsv_get(struct tsv *t)
{
	char *line;
	size_t len;

	if (!t->buf)
		return 0;
	while ((line = next_line(t, &len))) {
		t->lineno++;
		t->nf = 0;
		if (t->toolong && t->badf < 0)
			return fail("more than %d fields", TSV_MAXF);
		if (t->toolong)
			return fail("field %d is longer than %d bytes",
			    t->badf + 1, FIELD_MAX);
		/* staff.tsv, kept by hand, may have a BOM and CR LF */
		if (t->crlf && t->lineno == 1 && len >= 3 &&
		    memcmp(line, "\xef\xbb\xbf", 3) == 0)
			line += 3, len -= 3;
		if (t->crlf && len > 0 && line[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		if (split(t, line, len) < 0)
			return -1;
		if (!t->input && text_check(t) < 0) {
			t->nf = 0;
			return -1;
		}
		return 1;
	}
	return t->ioerr ? -1 : 0;
}

int
tsv_next(struct tsv *t)
{
	int r;

	if (t->err)
		return 0;
	if ((r = tsv_get(t)) < 0)
		return tsv_error(t);
	return r;
}

static int
field_is(const struct tsv *t, int col, const char *s)
{
	return t->fl[col] == strlen(s) && memcmp(t->f[col], s, t->fl[col]) == 0;
}

/* Reads a ledger's header line: 1 when it begins with the ledger's
 * columns, 0 when there is none (an empty file, or a torn header). */
int
tsv_header(struct tsv *t, const struct ledger *l)
{
	int i, r;

	t->crlf = l == &L_STAFF;
	if ((r = tsv_get(t)) <= 0)
		return r;
	for (i = 0; i < l->ncols; i++)
		if (i >= t->nf || !field_is(t, i, l->cols[i]))
			return fail("bad header: expected column %s",
			    l->cols[i]);
	return 1;
}

/* Opens a ledger of DIR and checks its header; no file reads as empty. */
int
tsv_ledger(struct tsv *t, const struct vl *vl, const struct ledger *l)
{
	if (!tsv_open(t, vl_path(vl, l->file), l->file))
		return 0;
	if (!t->err && tsv_header(t, l) < 0)
		tsv_error(t);
	return 1;
}

static int
money_col(const struct tsv *t, int col, int64_t *v)
{
	if (money_parse(t->f[col], t->fl[col], MONEY_LEDGER, v) < 0)
		return fail("field %d %s", col + 1, vl_err);
	return 0;
}

static int
int_col(const struct tsv *t, int col, int64_t *v)
{
	*v = 0;
	if (t->fl[col] && int_parse(t->f[col], t->fl[col], 1, v) < 0)
		return fail("field %d %s", col + 1, vl_err);
	return 0;
}

static int
date_col(const struct tsv *t, int col, day_t *d)
{
	if (date_parse(t->f[col], t->fl[col], d) < 0)
		return fail("field %d %s", col + 1, vl_err);
	return 0;
}

static int
time_col(const struct tsv *t, int col, vltime_t *v)
{
	if (t->fl[col] != 19 || time_parse(t->f[col], t->fl[col], v) < 0)
		return fail("field %d is not a time like 2026-03-01T10:00:00",
		    col + 1);
	return 0;
}

/* A row's width and typed columns, whoever reads it. */
int
tsv_row_check(const struct tsv *t, const struct ledger *l)
{
	vltime_t at;
	int64_t v;
	day_t d;

	if (t->nf < l->ncols)
		return fail("%d fields, expected %d", t->nf, l->ncols);
	/* kept by hand: a typo must not pass as "inactive" */
	if (l == &L_STAFF)
		return strcmp(t->f[ST_ACTIVE], "yes") &&
		    strcmp(t->f[ST_ACTIVE], "no") ? fail("active is %s, not yes "
		    "or no", t->f[ST_ACTIVE]) : 0;
	if (time_col(t, 0, &at) < 0)
		return -1;
	if (l == &L_MEMBERS && t->fl[M_MEMBER] == 0)
		return fail("member: an empty member id");
	if (l == &L_TIERS && (t->fl[T_FROM] > TIER_NAMEMAX ||
	    t->fl[T_TO] > TIER_NAMEMAX))
		return fail("a tier name is longer than %d bytes", TIER_NAMEMAX);
	if (l == &L_SALES) {
		if (money_col(t, S_GOODS, &v) < 0 ||
		    money_col(t, S_PAID, &v) < 0 ||
		    int_col(t, S_POINTS_USED, &v) < 0 ||
		    int_col(t, S_EARNED, &v) < 0 ||
		    int_col(t, S_REFERRAL_POINTS, &v) < 0 ||
		    date_col(t, S_AVAILABLE_ON, &d) < 0)
			return -1;
		if (!field_is(t, S_KIND, "sale") && !field_is(t, S_KIND, "return"))
			return fail("kind %s is neither sale nor return",
			    t->f[S_KIND]);
		if (t->fl[S_ITEMS] && items_valid(t->f[S_ITEMS], t->fl[S_ITEMS]) < 0)
			return fail("items: %s", vl_err);
	} else if (l == &L_POINTS) {
		if (int_col(t, P_POINTS, &v) < 0 ||
		    date_col(t, P_AVAILABLE_ON, &d) < 0)
			return -1;
	} else if (l == &L_TIERS) {
		if ((t->fl[T_SINCE] && date_col(t, T_SINCE, &d) < 0) ||
		    (t->fl[T_EXPIRES] && date_col(t, T_EXPIRES, &d) < 0) ||
		    int_col(t, T_STRIKES, &v) < 0)
			return -1;
	}
	return 0;
}

/* Reads the next row of a ledger opened by tsv_ledger, checked (exit 3). */
int
tsv_row(struct tsv *t, const struct ledger *l)
{
	if (!tsv_next(t))
		return 0;
	if (tsv_row_check(t, l) < 0)
		return tsv_error(t);
	return 1;
}

/* -1 when reading stopped on an error: vl_err says where and why. */
int
tsv_close(struct tsv *t)
{
	if (t->ownfd && t->fd >= 0)
		close(t->fd);
	free(t->buf);
	t->buf = NULL;
	t->fd = -1;
	if (t->err) {
		memcpy(vl_err, t->errmsg, sizeof vl_err);
		vl_status = E_SYSTEM;
		return -1;
	}
	return 0;
}

int64_t
tsv_money(const struct tsv *t, int col)
{
	int64_t v;

	if (money_col(t, col, &v) < 0)
		return 0;	/* a checked row cannot fail */
	return v;
}

int64_t
tsv_int(const struct tsv *t, int col)
{
	int64_t v;

	if (int_col(t, col, &v) < 0)
		return 0;	/* a checked row cannot fail */
	return v;
}

day_t
tsv_date(const struct tsv *t, int col)
{
	day_t d;

	if (date_col(t, col, &d) < 0)
		return 0;	/* a checked row cannot fail */
	return d;
}

vltime_t
tsv_time(const struct tsv *t, int col)
{
	vltime_t v;

	if (time_col(t, col, &v) < 0)
		return 0;	/* a checked row cannot fail */
	return v;
}
