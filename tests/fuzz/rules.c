/* rules.c: fuzzes rules_parse over the defaults; what it takes prints and
 * parses back to the same rules. */

#include <string.h>

#include "store.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rules r, back;
	struct buf a = { 0 }, b = { 0 };
	int i;

	rules_default(&r);
	if (rules_parse(&r, (const char *)data, size) == 0) {
		CHECK(r.ntiers >= 1 && r.ntiers <= RULES_MAXT);
		CHECK(r.nbands >= 1 && r.nbands <= RULES_MAXL);
		for (i = 0; i < r.nupgrades; i++)
			CHECK(r.upgrades[i].from < r.upgrades[i].to &&
			    r.upgrades[i].to < r.ntiers);
		for (i = 0; i < r.nkeeps; i++)
			CHECK(r.keeps[i].tier < r.ntiers);
		rules_print(&r, &a);
		rules_default(&back);
		CHECK(rules_parse(&back, a.p, a.n) == 0);
		rules_print(&back, &b);
		CHECK(a.n == b.n && memcmp(a.p, b.p, a.n) == 0);
		for (i = 0; i < r.ntiers; i++)
			CHECK(rules_tier(&r, r.tiers[i].name) == i);
	}
	buf_free(&a);
	buf_free(&b);
	return 0;
}
