/* money.c: amounts as int64 cents, parsed and printed in one place. */

#include <stdio.h>
#include <string.h>

#include "base.h"

#define LEDGER_DIGITS 15	/* before the point, in a ledger */

/* MONEY_INPUT: [0-9]+(.[0-9]{1,2})? up to MONEY_MAX;
 * MONEY_LEDGER: -?[0-9]+.[0-9][0-9], 15 digits at most before the point.
 * Either bound is checked digit by digit, so v never overflows. */
int
money_parse(const char *s, size_t n, int mode, int64_t *cents)
{
	const char *e = s + n;
	int64_t v = 0;
	int neg = 0, frac = 0, digits = 0;

	if (mode == MONEY_LEDGER && s < e && *s == '-')
		neg = 1, s++;
	for (; s < e && *s >= '0' && *s <= '9'; s++, digits++) {
		if (mode == MONEY_LEDGER && digits == LEDGER_DIGITS)
			return fail("has more than %d digits before the point",
			    LEDGER_DIGITS);
		v = v * 10 + (*s - '0');
		if (mode == MONEY_INPUT && v > MONEY_MAX / 100)
			return fail("is over 1000000000.00");
	}
	if (digits == 0)
		return fail("is not an amount like 1280.50");
	v *= 100;
	if (s < e && *s == '.') {
		s++;
		for (; s < e && *s >= '0' && *s <= '9' && frac < 2; s++, frac++)
			v += (*s - '0') * (frac == 0 ? 10 : 1);
		if (frac == 0 || (mode == MONEY_LEDGER && frac != 2))
			return fail("is not an amount like 1280.50");
	} else if (mode == MONEY_LEDGER) {
		return fail("is not an amount like 1280.50");
	}
	if (s != e)
		return fail("is not an amount like 1280.50 (two decimals at most)");
	if (mode == MONEY_INPUT && v > MONEY_MAX)
		return fail("is over 1000000000.00");
	*cents = neg ? -v : v;
	return 0;
}

char *
money_fmt(int64_t c, char buf[32])
{
	uint64_t u = c < 0 ? -(uint64_t)c : (uint64_t)c, w = u / 100;
	char tmp[32], *q = tmp + sizeof tmp;

	/* as "%s%llu.%02llu" would, without printf: a report prints many */
	*--q = '\0';
	*--q = (char)('0' + (int)(u % 10));
	*--q = (char)('0' + (int)(u / 10 % 10));
	*--q = '.';
	do
		*--q = (char)('0' + (int)(w % 10));
	while ((w /= 10) > 0);
	if (c < 0)
		*--q = '-';
	memcpy(buf, q, (size_t)(tmp + sizeof tmp - q));
	return buf;
}

/* Whole numbers: sign 0 none, 1 a '-', 2 a '-' or a '+'. */
int
int_parse(const char *s, size_t n, int sign, int64_t *v)
{
	const char *e = s + n;
	int64_t x = 0;
	int neg = 0, digits = 0;

	if (s < e && ((*s == '-' && sign >= 1) || (*s == '+' && sign == 2)))
		neg = *s++ == '-';
	for (; s < e && *s >= '0' && *s <= '9'; s++) {
		if (++digits > 15)
			return fail("is too large");
		x = x * 10 + (*s - '0');
	}
	if (digits == 0 || s != e)
		return fail("is not a whole number");
	*v = neg ? -x : x;
	return 0;
}

int
dec2_parse(const char *s, size_t n, int64_t *h)
{
	const char *e = s + n;
	int64_t v = 0;
	int digits = 0, frac = 0;

	for (; s < e && *s >= '0' && *s <= '9'; s++) {
		if (++digits > 12)
			return fail("is too large");
		v = v * 10 + (*s - '0');
	}
	if (digits == 0)
		return fail("is not a number like 1.5");
	v *= 100;
	if (s < e && *s == '.') {
		for (s++; s < e && *s >= '0' && *s <= '9' && frac < 2; s++, frac++)
			v += (*s - '0') * (frac == 0 ? 10 : 1);
		if (frac == 0)
			return fail("is not a number like 1.5");
	}
	if (s != e)
		return fail("is not a number with two decimals at most");
	*h = v;
	return 0;
}
