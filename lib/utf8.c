/* utf8.c: field checks (valid UTF-8, no control character) and terminal widths. */

#include <string.h>

#include "base.h"

/* Decodes one character; returns its length, or 0 if s is not UTF-8. */
static size_t
utf8_dec(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2, c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t k;

	while (n > 0) {
		if (*p < 0x80) {
			p++, n--;
			continue;
		}
		if (!(k = utf8_dec(p, n, &cp)))
			return 0;
		p += k, n -= k;
	}
	return 1;
}

/* The first byte of s that is not text: a control character (U+0000 to
 * U+001F, U+007F to U+009F, TAB included) or the start of invalid UTF-8.
 * Returns TEXT_OK, or what was found, at *off. */
int
text_scan(const char *s, size_t n, size_t *off)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	uint32_t cp;
	size_t k;

	while (p < e) {
		if (*p >= 0x20 && *p < 0x7f) {
			p++;
			continue;
		}
		*off = (size_t)(p - (const unsigned char *)s);
		if (*p < 0x80)
			return TEXT_CTL;
		if (!(k = utf8_dec(p, (size_t)(e - p), &cp)))
			return TEXT_UTF8;
		if (cp <= 0x9f)
			return TEXT_CTL;
		p += k;
	}
	*off = n;
	return TEXT_OK;
}

int
field_checkn(const char *name, const char *s, size_t n)
{
	size_t off;

	if (n > FIELD_MAX)
		return fail("%s: is longer than %d bytes", name, FIELD_MAX);
	switch (text_scan(s, n, &off)) {
	case TEXT_UTF8:
		return fail("%s: is not valid UTF-8", name);
	case TEXT_CTL:
		if (s[off] == '\t')
			return fail("%s: contains a TAB", name);
		if (s[off] == '\n' || s[off] == '\r')
			return fail("%s: contains a line break", name);
		return fail("%s: contains a control character", name);
	}
	return 0;
}

int
field_check(const char *name, const char *s)
{
	return field_checkn(name, s, strlen(s));
}

struct range {
	uint32_t lo, hi;
};

/* East Asian Wide and Fullwidth, in broad blocks. */
static const struct range wide[] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a },
	{ 0x23e9, 0x23ec }, { 0x25fd, 0x25fe }, { 0x2614, 0x2615 },
	{ 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf },
	{ 0x4e00, 0x9fff }, { 0xa000, 0xa4cf }, { 0xa960, 0xa97f },
	{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe10, 0xfe19 },
	{ 0xfe30, 0xfe6f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 },
	{ 0x16fe0, 0x18cff }, { 0x1b000, 0x1b2ff }, { 0x1f300, 0x1f64f },
	{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

/* Combining marks take no cell. */
static const struct range zero[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x20d0, 0x20ff },
	{ 0x302a, 0x302f }, { 0x3099, 0x309a }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f },
};

static int
in(const struct range *r, size_t n, uint32_t c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c >= r[i].lo && c <= r[i].hi)
			return 1;
	return 0;
}

int
utf8_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	size_t k;
	int w = 0;

	while (n > 0) {
		if (!(k = utf8_dec(p, n, &c))) {
			w++, p++, n--;
			continue;
		}
		p += k, n -= k;
		if (in(zero, sizeof zero / sizeof zero[0], c))
			continue;
		w += in(wide, sizeof wide / sizeof wide[0], c) ? 2 : 1;
	}
	return w;
}
