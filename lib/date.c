/* date.c: dates as day numbers, times as seconds, month arithmetic, the clock. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base.h"

/* Days from 1970-01-01 to a civil date (proleptic Gregorian). */
day_t
date_ymd(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_split(day_t z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp, yy;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static int
month_days(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 29;
	return n[m - 1];
}

static int
num(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
date_parse(const char *s, size_t n, day_t *d)
{
	int y, m, dd;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return fail("is not a date like 2026-03-01");
	y = num(s, 4), m = num(s + 5, 2), dd = num(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || dd < 1 || dd > month_days(y, m))
		return fail("is not a real date");
	*d = date_ymd(y, m, dd);
	return 0;
}

int
time_parse(const char *s, size_t n, vltime_t *t)
{
	day_t d;
	int hh, mm, ss;

	if (n == 10) {
		if (date_parse(s, n, &d) < 0)
			return -1;
		*t = (vltime_t)d * DAY_SECS;
		return 0;
	}
	if (n != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return fail("is not a time like 2026-03-01T10:00:00");
	if (date_parse(s, 10, &d) < 0)
		return -1;
	hh = num(s + 11, 2), mm = num(s + 14, 2), ss = num(s + 17, 2);
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
		return fail("is not a real time of day");
	*t = (vltime_t)d * DAY_SECS + hh * 3600 + mm * 60 + ss;
	return 0;
}

/* A birthday without a year: checked against a leap year. */
int
mmdd_parse(const char *s, size_t n)
{
	int m, d;

	if (n != 5 || s[2] != '-')
		return -1;
	m = num(s, 2), d = num(s + 3, 2);
	if (m < 1 || m > 12 || d < 1 || d > month_days(2000, m))
		return -1;
	return m * 100 + d;
}

static char *
put(char *p, unsigned v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
}

char *
date_fmt(day_t day, char buf[11])
{
	int y, m, d;
	char *p = buf;

	date_split(day, &y, &m, &d);
	p = put(p, (unsigned)y % 10000, 4);
	*p++ = '-';
	p = put(p, (unsigned)m, 2);
	*p++ = '-';
	p = put(p, (unsigned)d, 2);
	*p = '\0';
	return buf;
}

char *
time_fmt(vltime_t t, char buf[20])
{
	day_t d = TIME_DAY(t);
	unsigned s = (unsigned)(t - (vltime_t)d * DAY_SECS);
	char *p = buf + 10;

	date_fmt(d, buf);
	*p++ = 'T';
	p = put(p, s / 3600, 2);
	*p++ = ':';
	p = put(p, s / 60 % 60, 2);
	*p++ = ':';
	p = put(p, s % 60, 2);
	*p = '\0';
	return buf;
}

day_t
date_add_months(day_t day, long months)
{
	int y, m, d;
	long mi;

	date_split(day, &y, &m, &d);
	mi = (long)y * 12 + (m - 1) + months;
	if (mi > 10000L * 12)
		return DAY_MAX + 1;	/* out of range: date_check says so */
	y = (int)(mi / 12), m = (int)(mi % 12) + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	return date_ymd(y, m, d);
}

int
date_check(day_t d)
{
	if (d > DAY_MAX || d < DAY_MIN)
		return fail("a date is out of range");
	return 0;
}

int
clock_now(vltime_t *t)
{
	const char *e = getenv("VIPLEDGER_NOW");
	struct tm tm;
	time_t now;

	if (e && *e) {
		if (time_parse(e, strlen(e), t) < 0)
			return fail_usage("VIPLEDGER_NOW %s", vl_err);
		return 0;
	}
	now = time(NULL);
	if (!localtime_r(&now, &tm))
		return fail_sys("localtime: %s", strerror(errno));
	*t = (vltime_t)date_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday) * DAY_SECS + tm.tm_hour * 3600 + tm.tm_min * 60 +
	    tm.tm_sec;
	return 0;
}
