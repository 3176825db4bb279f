/* money.c: fuzzes money_parse in both modes, int_parse and dec2_parse. */

#include <string.h>

#include "store.h"
#include "fuzz.h"

#define LEDGER_LIMIT 100000000000000000LL	/* 15 digits and cents */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char buf[32];
	int64_t v, w;
	int sign;

	if (money_parse(s, size, MONEY_LEDGER, &v) == 0) {
		CHECK(v > -LEDGER_LIMIT && v < LEDGER_LIMIT);
		money_fmt(v, buf);
		CHECK(money_parse(buf, strlen(buf), MONEY_LEDGER, &w) == 0);
		CHECK(w == v);
		/* what a ledger holds is written back as it was read */
		CHECK(v == 0 || (strlen(buf) == size && memcmp(buf, s, size) == 0) ||
		    s[v < 0] == '0');
	}
	if (money_parse(s, size, MONEY_INPUT, &v) == 0) {
		CHECK(v >= 0 && v <= MONEY_MAX);
		money_fmt(v, buf);
		CHECK(money_parse(buf, strlen(buf), MONEY_INPUT, &w) == 0);
		CHECK(w == v);
		CHECK(money_parse(buf, strlen(buf), MONEY_LEDGER, &w) == 0);
		CHECK(w == v);
	}
	for (sign = 0; sign <= 2; sign++)
		if (int_parse(s, size, sign, &v) == 0) {
			CHECK(v > -1000000000000000LL && v < 1000000000000000LL);
			CHECK(sign > 0 || v >= 0);
			snprintf(buf, sizeof buf, "%lld", (long long)v);
			CHECK(int_parse(buf, strlen(buf), 1, &w) == 0 && w == v);
		}
	if (dec2_parse(s, size, &v) == 0)
		CHECK(v >= 0 && v < 100000000000000LL);
	return 0;
}
