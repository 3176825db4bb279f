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

void
out_line(struct out *o, const char *line, size_t n)
{
	if (o->table)
		buf_add(&o->b, line, n);
	else
		fwrite(line, 1, n, stdout);
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
