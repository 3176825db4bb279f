/* tsv.c: a streaming reader of TAB-separated files, fields as pointer+length. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

#define TSV_READ (1 << 16)

/* A reader's first error sticks: rows stop, and tsv_close reports it,
 * as ferror(3) and fclose(3) do. */
int
tsv_fail(struct tsv *t)
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

/* Reads more of the file after what is in the buffer: -1 on an error. */
static int
fill(struct tsv *t)
{
	ssize_t r;

	if (t->pos > 0) {
		memmove(t->buf, t->buf + t->pos, t->end - t->pos);
		t->end -= t->pos;
		t->pos = 0;
	}
	if (t->end == t->cap) {
		t->cap *= 2;
		t->buf = erealloc(t->buf, t->cap + 1);
	}
	while ((r = read(t->fd, t->buf + t->end, t->cap - t->end)) < 0)
		if (errno != EINTR) {
			fail_sys("read %s: %s", t->name, strerror(errno));
			t->ioerr = 1;
			return -1;
		}
	if (r == 0)
		t->eof = 1;
	t->end += (size_t)r;
	return 0;
}

/* The LFs in [p, e): lines passed over still count. */
static long
count_lf(const char *p, const char *e)
{
	long n = 0;

	while ((p = memchr(p, '\n', (size_t)(e - p)))) {
		n++;
		p++;
	}
	return n;
}

/* The first t->want in [p, e).  memchr(3) for its byte least common in
 * the first piece read, each hit then compared, is twice as fast as
 * memmem(3) for an id in a ledger (one M a row); its first byte when no
 * byte of it is rarer than one in 64 (a phone: digits). */
static char *
find_want(struct tsv *t, char *p, char *e)
{
	size_t i, n, best = SIZE_MAX, k = t->wantlen - 1;
	char *c;

	if (t->wantat == 0 && (e - p >= 4096 || t->eof)) {
		t->wantat = -1;
		for (i = 0; i < t->wantlen; i++) {
			for (n = 0, c = p; (c = memchr(c, t->want[i],
			    (size_t)(e - c))); c++)
				n++;
			if (n < best && n * 64 < (size_t)(e - p)) {
				best = n;
				t->wantat = (long)i + 1;
			}
		}
	}
	/* no rare byte: the first */
	i = t->wantat > 0 ? (size_t)t->wantat - 1 : 0;
	/* c: where byte i of a match that ends by e may be */
	for (c = p + i; e - c > (ptrdiff_t)(k - i) &&
	    (c = memchr(c, t->want[i], (size_t)(e - c) - (k - i))); c++)
		if (memcmp(c - i, t->want, t->wantlen) == 0)
			return c - i;
	return NULL;
}

/* Passes over the lines before the next one holding t->want, unsplit and
 * unchecked, counted in lineno and off: one search over the buffer, not
 * one per line.  A line longer than TSV_LINEMAX without it is left to
 * next_line, read as before; so is a last line without LF. */
static void
skip_unwanted(struct tsv *t)
{
	char *from, *hit, *to;

	for (;;) {
		from = t->buf + t->pos;
		hit = find_want(t, from, t->buf + t->end);
		/* the start of its line; without it, past the last LF */
		for (to = hit ? hit : t->buf + t->end; to > from &&
		    to[-1] != '\n'; to--)
			;
		t->lineno += count_lf(from, to);
		t->off += (off_t)(to - from);
		t->pos = (size_t)(to - t->buf);
		if (hit || t->eof || t->skip || t->end - t->pos > TSV_LINEMAX)
			return;
		if (fill(t) < 0)
			return;
	}
}

/* Finds the next whole line; a last line without LF is never returned,
 * unless it is user input.  Of a line longer than TSV_LINEMAX only its
 * tail is kept, and toolong says so (badf: why): no line needs more
 * memory than that. */
static char *
next_line(struct tsv *t, size_t *len)
{
	char *nl, *line;

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
		if (fill(t) < 0)
			return NULL;
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

/* One CSV record on one line (RFC 4180): "" in quotes is a quote; a TAB
 * or a line end in a field is refused (SPEC-DETAILS). */
static int
csv_split(struct tsv *t, char *line, size_t len)
{
	char *p = line, *e = line + len, *out, *start;

	for (t->nf = 0;; t->nf++) {
		if (t->nf == TSV_MAXF) {
			t->nf = 0;
			t->badf = -1;
			return fail("more than %d fields", TSV_MAXF);
		}
		t->badf = t->nf;
		start = out = p;
		if (p < e && *p == '"') {
			for (p++;; p++) {
				if (p == e) {
					t->badwhy = "has a line end inside quotes";
					return fail("field %d %s", t->nf + 1,
					    t->badwhy);
				}
				if (*p == '"' && p + 1 < e && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
				if (*p == '\t')
					break;
				*out++ = *p;
			}
			if (*p == '\t' || (++p < e && *p != ',')) {
				t->badwhy = *p == '\t' ? "holds a TAB" :
				    "has text after its closing quote";
				return fail("field %d %s", t->nf + 1, t->badwhy);
			}
		} else {
			for (; p < e && *p != ','; p++) {
				if (*p == '\t') {
					t->badwhy = "holds a TAB";
					return fail("field %d %s", t->nf + 1,
					    t->badwhy);
				}
				*out++ = *p;
			}
		}
		t->f[t->nf] = start;
		t->fl[t->nf] = (size_t)(out - start);
		if (p == e) {
			*out = '\0';
			t->nf++;
			t->badf = -1;
			return 0;
		}
		*out = '\0';	/* p is at the comma: out is behind it */
		p++;
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
	for (;;) {
		if (t->want && !t->ioerr)
			skip_unwanted(t);
		if (t->ioerr || !(line = next_line(t, &len)))
			break;
		t->lineno++;
		t->nf = 0;
		if (t->toolong && t->badf < 0)
			return fail("more than %d fields", TSV_MAXF);
		if (t->toolong) {
			t->badwhy = "is longer than 4096 bytes";
			return fail("field %d is longer than %d bytes",
			    t->badf + 1, FIELD_MAX);
		}
		/* staff.tsv and input may have a BOM and CR LF */
		if (t->crlf && t->lineno == 1 && len >= 3 &&
		    memcmp(line, "\xef\xbb\xbf", 3) == 0)
			line += 3, len -= 3;
		if (t->crlf && len > 0 && line[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		if ((t->csv ? csv_split(t, line, len) :
		    split(t, line, len)) < 0)
			return -1;
		/* rows the store's index took in were checked then */
		if (!t->input && t->off > t->checked && text_check(t) < 0) {
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
		return tsv_fail(t);
	return r;
}

int
tsv_field_is(const struct tsv *t, int col, const char *s)
{
	return t->fl[col] == strlen(s) && memcmp(t->f[col], s, t->fl[col]) == 0;
}

/* Reads a ledger's header line: 1 when it begins with the ledger's
 * columns, 0 when there is none (an empty file, or a torn header). */
int
tsv_header(struct tsv *t, const struct ledger *l)
{
	int i, r;

	t->crlf = l->byhand;
	if ((r = tsv_get(t)) <= 0)
		return r;
	for (i = 0; i < l->ncols; i++) {
		if (i == t->nf && i == l->nold) {
			t->oldcols = 1;
			break;
		}
		if (i >= t->nf || !tsv_field_is(t, i, l->cols[i]))
			return fail("bad header: expected column %s",
			    l->cols[i]);
	}
	return 1;
}

void
tsv_pad(struct tsv *t, int ncols)
{
	static char empty[] = "";

	for (; t->nf < ncols && t->nf < TSV_MAXF; t->nf++) {
		t->f[t->nf] = empty;
		t->fl[t->nf] = 0;
	}
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
