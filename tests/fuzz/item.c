/* item.c: fuzzes item_parse, items_parse, items_valid and item_arg_check. */

#include <string.h>

#include "store.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct item it, *v;
	size_t nv, i, commas = 0;
	int64_t units = 0;
	char *z;
	int ok;

	if (item_parse(s, size, &it) == 0) {
		CHECK(it.qty >= 1 && it.qty <= 1000000);
		CHECK(it.price >= 0 && it.price <= MONEY_MAX);
		CHECK(it.disc >= -1 && it.disc <= 100);
		CHECK(item_unit_paid(&it) >= 0 && item_unit_paid(&it) <= it.price);
		CHECK(it.pl >= s && it.pl + it.pllen <= s + size);
		CHECK(it.list >= 0 && it.list <= MONEY_MAX);
		CHECK(it.skulen == 0 || (it.sku > s && it.sku + it.skulen == s + size));
		CHECK(memchr(s, ',', size) == NULL);
	}
	ok = items_parse(s, size, &v, &nv) == 0;
	CHECK(ok == (items_valid(s, size) == 0));
	if (ok) {
		for (i = 0; i < size; i++)
			commas += s[i] == ',';
		CHECK(nv == commas + 1);
		for (i = 0; i < nv; i++)
			units += v[i].qty;
		CHECK(item_fullprice_units(v, nv) <= units);
		CHECK(items_equal(v, nv, v, nv));
	}
	free(v);
	/* an ITEM argument: one item, so no comma */
	z = malloc(size + 1);
	memcpy(z, s, size);
	z[size] = '\0';
	ok = item_arg_check(z) == 0;
	CHECK(ok == (strchr(z, ',') == NULL));
	free(z);
	return 0;
}
