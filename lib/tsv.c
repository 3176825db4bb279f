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

_Noreturn void
tsv_die(const struct tsv *t, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	die(E_SYSTEM, "%s:%ld: %s", t->name, t->lineno, msg);
}

/* Returns 1 when the file is open, 0 when it does not exist (no rows). */
int
tsv_open(struct tsv *t, const char *path, const char *name)
{
	memset(t, 0, sizeof *t);
	t->name = name;
	t->fd = open(path, O_RDONLY);
	if (t->fd < 0) {
		if (errno != ENOENT)
			die(E_SYSTEM, "open %s:", path);
		t->eof = 1;
		return 0;
	}
	t->cap = TSV_READ;
	t->buf = emalloc(t->cap + 1);
	return 1;
}

/* Finds the next whole line; a last line without LF is never returned. */
static char *
next_line(struct tsv *t, size_t *len)
{
	char *nl;
	ssize_t r;

	for (;;) {
		nl = memchr(t->buf + t->pos, '\n', t->end - t->pos);
		if (nl) {
			char *line = t->buf + t->pos;

			*len = (size_t)(nl - line);
			t->pos += *len + 1;
			t->off += (off_t)*len + 1;
			return line;
		}
		if (t->eof) {
			if (t->input && t->pos < t->end) {
				char *line = t->buf + t->pos;

				*len = t->end - t->pos;
				t->pos = t->end;
				return line;
			}
			return NULL;
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
			die(E_SYSTEM, "read %s:", t->name);
		}
		if (r == 0)
			t->eof = 1;
		t->end += (size_t)r;
	}
}

static void
split(struct tsv *t, char *line, size_t len)
{
	char *p = line, *e = line + len, *tab;

	t->nf = 0;
	for (;;) {
		if (t->nf == TSV_MAXF)
			tsv_die(t, "too many fields");
		tab = memchr(p, '\t', (size_t)(e - p));
		t->f[t->nf] = p;
		t->fl[t->nf] = (size_t)((tab ? tab : e) - p);
		p[t->fl[t->nf]] = '\0';
		t->nf++;
		if (!tab)
			break;
		p = tab + 1;
	}
}

int
tsv_next(struct tsv *t)
{
	char *line;
	size_t len;

	if (t->fd < 0)
		return 0;
	while ((line = next_line(t, &len))) {
		t->lineno++;
		if (len == 0)
			continue;
		if (!t->input && !utf8_valid(line, len))
			tsv_die(t, "invalid UTF-8");
		split(t, line, len);
		return 1;
	}
	return 0;
}

/* Opens a ledger of DIR and checks its header; no file reads as empty. */
int
tsv_ledger(struct tsv *t, const struct vl *vl, const struct ledger *l)
{
	int i;

	if (!tsv_open(t, vl_path(vl, l->file), l->file))
		return 0;
	if (!tsv_next(t))
		return 1;		/* empty, or only a torn header */
	for (i = 0; i < l->ncols; i++)
		if (i >= t->nf || strcmp(t->f[i], l->cols[i]) != 0)
			tsv_die(t, "bad header: expected column %s", l->cols[i]);
	return 1;
}

/* A row's typed columns must parse, whoever reads it (exit 3). */
static void
row_check(const struct tsv *t, const struct ledger *l)
{
	if (l == &L_STAFF)
		return;
	tsv_time(t, 0);
	if (l == &L_SALES) {
		tsv_money(t, S_GOODS);
		tsv_money(t, S_PAID);
		tsv_int(t, S_POINTS_USED);
		tsv_int(t, S_EARNED);
		tsv_int(t, S_REFERRAL_POINTS);
		tsv_date(t, S_AVAILABLE_ON);
		if (strcmp(t->f[S_KIND], "sale") && strcmp(t->f[S_KIND], "return"))
			tsv_die(t, "kind %s is neither sale nor return",
			    t->f[S_KIND]);
		if (t->fl[S_ITEMS] && items_valid(t->f[S_ITEMS], t->fl[S_ITEMS]) < 0)
			tsv_die(t, "items: %s", vl_err);
	} else if (l == &L_POINTS) {
		tsv_int(t, P_POINTS);
		tsv_date(t, P_AVAILABLE_ON);
	} else if (l == &L_TIERS) {
		if (t->fl[T_SINCE])
			tsv_date(t, T_SINCE);
		if (t->fl[T_EXPIRES])
			tsv_date(t, T_EXPIRES);
		tsv_int(t, T_STRIKES);
	}
}

/* Reads the next row of a ledger opened by tsv_ledger, checked. */
int
tsv_row(struct tsv *t, const struct ledger *l)
{
	if (!tsv_next(t))
		return 0;
	if (t->nf < l->ncols)
		tsv_die(t, "%d fields, expected %d", t->nf, l->ncols);
	row_check(t, l);
	return 1;
}

void
tsv_close(struct tsv *t)
{
	if (t->fd >= 0)
		close(t->fd);
	free(t->buf);
	t->buf = NULL;
	t->fd = -1;
}

int64_t
tsv_money(const struct tsv *t, int col)
{
	int64_t v;

	if (money_parse(t->f[col], t->fl[col], MONEY_LEDGER, &v) < 0)
		tsv_die(t, "field %d %s", col + 1, vl_err);
	return v;
}

int64_t
tsv_int(const struct tsv *t, int col)
{
	int64_t v;

	if (t->fl[col] == 0)
		return 0;
	if (int_parse(t->f[col], t->fl[col], 1, &v) < 0)
		tsv_die(t, "field %d %s", col + 1, vl_err);
	return v;
}

day_t
tsv_date(const struct tsv *t, int col)
{
	day_t d;

	if (date_parse(t->f[col], t->fl[col], &d) < 0)
		tsv_die(t, "field %d %s", col + 1, vl_err);
	return d;
}

vltime_t
tsv_time(const struct tsv *t, int col)
{
	vltime_t v;

	if (t->fl[col] != 19 || time_parse(t->f[col], t->fl[col], &v) < 0)
		tsv_die(t, "field %d is not a time like 2026-03-01T10:00:00",
		    col + 1);
	return v;
}
