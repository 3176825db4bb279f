/* date.c: fuzzes date_parse, time_parse and mmdd_parse. */

#include <string.h>

#include "store.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char buf[20];
	vltime_t t;
	day_t d;
	int y, m, dd, md;

	if (date_parse(s, size, &d) == 0) {
		CHECK(size == 10);
		CHECK(d >= DAY_MIN && d <= DAY_MAX && date_check(d) == 0);
		/* a date is written back as it was read */
		CHECK(memcmp(date_fmt(d, buf), s, size) == 0);
		date_split(d, &y, &m, &dd);
		CHECK(date_ymd(y, m, dd) == d);
		CHECK(date_add_months(d, 0) == d);
		CHECK(date_add_months(d, 1) > d || date_check(date_add_months(d,
		    1)) < 0);
	}
	if (time_parse(s, size, &t) == 0) {
		CHECK(size == 10 || size == 19);
		d = TIME_DAY(t);
		CHECK(d >= DAY_MIN && d <= DAY_MAX);
		if (size == 19)
			CHECK(memcmp(time_fmt(t, buf), s, size) == 0);
		else
			CHECK(t == (vltime_t)d * DAY_SECS);
	}
	if ((md = mmdd_parse(s, size)) != -1) {
		CHECK(size == 5 && md >= 101 && md <= 1231);
		snprintf(buf, sizeof buf, "%02d-%02d", md / 100, md % 100);
		CHECK(memcmp(buf, s, 5) == 0);
	}
	return 0;
}
