/* out.c: report output, TSV as it comes, or aligned columns with -t. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "report.h"

const char *
phone_shown(const struct report *rp, const char *phone, char buf[32])
{
	return rp->mask ? phone_mask(phone, buf) : phone;
}

/* -?DIGITS[.DIGITS]: a number a spreadsheet may read as one. */
static int
is_number(const char *s, size_t n)
{
	size_t i = n > 0 && s[0] == '-', d = 0, dot = 0;

	for (; i < n; i++) {
		if (s[i] == '.' && d > 0 && !dot)
			dot = i;
		else if (s[i] >= '0' && s[i] <= '9')
			d++;
		else
			return 0;
	}
	return d > 0 && dot + 1 != n;
}

/* One TSV line as CSV (RFC 4180): a cell that a spreadsheet would run as
 * a formula gets a leading ' (SPEC section 10). */
static void
csv_line(const char *s, size_t n)
{
	const char *e = s + n, *tab;
	size_t len, i;
	int quote;

	for (;;) {
		tab = memchr(s, '\t', (size_t)(e - s));
		len = (size_t)((tab ? tab : e) - s);
		quote = memchr(s, ',', len) || memchr(s, '"', len) ||
		    memchr(s, '\r', len);
		if (quote)
			putchar('"');
		if (len > 0 && strchr("=+-@", s[0]) && !is_number(s, len))
			putchar('\'');
		for (i = 0; i < len; i++) {
			if (s[i] == '"')
				putchar('"');
			putchar(s[i]);
		}
		if (quote)
			putchar('"');
		if (!tab)
			break;
		putchar(',');
		s = tab + 1;
	}
	fputs("\r\n", stdout);
}

void
out_line(struct out *o, const char *line, size_t n)
{
	const char *e = line + n, *nl;

	if (o->csv && !o->started)
		fputs("\xef\xbb\xbf", stdout);
	o->started = 1;
	if (o->table) {
		buf_add(&o->b, line, n);
	} else if (o->csv) {
		for (; line < e; line = nl + 1) {
			if (!(nl = memchr(line, '\n', (size_t)(e - line))))
				nl = e;
			csv_line(line, (size_t)(nl - line));
		}
	} else {
		fwrite(line, 1, n, stdout);
	}
}

void
out_header(struct out *o, const char *line)
{
	if (!o->noheader)
		out_line(o, line, strlen(line));
}

/* Pads each column to its widest cell (East Asian wide characters take
 * two cells), two spaces apart, no trailing spaces. */
void
out_end(struct out *o)
{
	struct buf line = { 0 };
	size_t *w = NULL, nw = 0, col, i;
	char *s, *e, *nl, *tab;
	int pass, cw;

	if (o->csv && !o->started)
		fputs("\xef\xbb\xbf", stdout);	/* -N of nothing: still CSV */
	if (!o->table)
		return;
	for (pass = 0; pass < 2; pass++) {
		for (s = o->b.p, e = s + o->b.n; s && s < e; s = nl + 1) {
			nl = memchr(s, '\n', (size_t)(e - s));
			for (col = 0; ; col++) {
				tab = memchr(s, '\t', (size_t)(nl - s));
				if (!tab)
					tab = nl;
				cw = utf8_width(s, (size_t)(tab - s));
				if (pass == 0) {
					if (col >= nw) {
						w = erealloc(w, (col + 1) * sizeof *w);
						while (nw <= col)
							w[nw++] = 0;
					}
					if ((size_t)cw > w[col])
						w[col] = (size_t)cw;
				} else {
					buf_add(&line, s, (size_t)(tab - s));
					for (i = (size_t)cw; tab != nl &&
					    i < w[col] + 2; i++)
						buf_addc(&line, ' ');
				}
				if (tab == nl)
					break;
				s = tab + 1;
			}
			if (pass == 1) {
				while (line.n > 0 && line.p[line.n - 1] == ' ')
					line.n--;
				buf_addc(&line, '\n');
				fwrite(line.p, 1, line.n, stdout);
				line.n = 0;
			}
		}
	}
	free(w);
	buf_free(&line);
	buf_free(&o->b);
}
