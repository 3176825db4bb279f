/* fields.c: the checks of a member's fields, and a phone masked. */

#include <stdio.h>
#include <string.h>

#include "shop.h"

int
id_check(const char *what, const char *id, size_t max)
{
	size_t n = strlen(id);

	if (n == 0 || n > max || strspn(id, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != n)
		return fail("%s: must be 1 to %zu letters, digits, '-', '_' "
		    "or '.'", what, max);
	return 0;
}

int
phone_check(const char *phone)
{
	const char *d = phone + (*phone == '+');
	size_t n = strlen(d);

	if (n < 5 || n > 20 || strspn(d, "0123456789") != n)
		return fail("phone: must be 5 to 20 digits, with an optional "
		    "leading +");
	return 0;
}

/* report --mask: the first three and last four digits around ****
 * (13800000001: 138****0001), a leading + kept; under 8 digits only the
 * last four.  Anything but a phone the programs write shows nothing. */
char *
phone_mask(const char *phone, char buf[32])
{
	const char *d = phone + (*phone == '+');
	const char *plus = d == phone ? "" : "+";
	size_t n = strlen(d);

	if (!*phone)
		buf[0] = '\0';
	else if (n > 20 || strspn(d, "0123456789") != n)
		snprintf(buf, 32, "****");
	else if (n >= 8)
		snprintf(buf, 32, "%s%.3s****%s", plus, d, d + n - 4);
	else
		snprintf(buf, 32, "%s****%s", plus, d + (n > 4 ? n - 4 : 0));
	return buf;
}

int
birthday_check(const char *b)
{
	size_t n = strlen(b);
	day_t d;

	if (n == 0 || (n == 5 && mmdd_parse(b, n) > 0) ||
	    (n == 10 && date_parse(b, n, &d) == 0))
		return 0;
	return fail("birthday: must be a real date as MM-DD or YYYY-MM-DD");
}
