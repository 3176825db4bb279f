/* tier-set: give a member a tier by hand, with a reason. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char usage[] =
    "tier-set [-d DIR] [-q] [-w SECONDS] [--dry-run] [--at DATE] [--months N]\n"
    "                --reason TEXT MEMBER TIER";

enum { O_AT = 300, O_MONTHS, O_REASON };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ O_AT, "at", OPT_ARG }, { O_MONTHS, "months", OPT_ARG },
	{ O_REASON, "reason", OPT_ARG }, { 0, NULL, 0 }
};

#define MONTHS_MAX 1200

int
main(int argc, char *argv[])
{
	struct optparse op;
	struct vl vl;
	struct store st = { 0 };
	struct member m = { 0 };
	struct tierlog log = { 0 };
	struct tierstate ts;
	struct rules rules;
	struct buf row = { 0 };
	const char *atarg = NULL, *months = NULL, *reason = NULL, *key;
	char when[20], since[11], exp[11], later[11];
	int64_t n = -1;
	day_t day = 0, expires;
	size_t i;
	int c, r, tier;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		switch (c) {
		case O_AT: atarg = op.arg; break;
		case O_MONTHS: months = op.arg; break;
		case O_REASON: reason = op.arg; break;
		}
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands != 2)
		usage_error("give a member and a tier");
	if (!reason || !*reason)
		usage_error("--reason is required");
	if (months && (int_parse(months, strlen(months), 0, &n) < 0 ||
	    n > MONTHS_MAX))
		usage_error("--months %s: give 0 to %d months (0: never expires)",
		    months, MONTHS_MAX);
	if (vl_ready(&vl) < 0)
		die_last();
	key = op.operands[0];
	if (field_check("reason", reason) < 0)
		die(E_REFUSE, "%s", vl_err);
	if (atarg && date_parse(atarg, strlen(atarg), &day) < 0)
		die(E_REFUSE, "at: %s %s", atarg, vl_err);
	if (rules_load(&vl, &rules) < 0)
		die_last();
	if ((tier = rules_tier(&rules, op.operands[1])) < 0)
		die(E_REFUSE, "tier: %s is not defined in rules.conf",
		    op.operands[1]);
	if (n < 0)
		n = rules.tiers[tier].validity;

	if (ledger_begin(&vl) < 0)
		die_last();
	if (!atarg)
		day = TIME_DAY(vl.now);
	if (store_open(&st, &vl, 1) < 0 || (r = store_member(&st, key, &m)) < 0)
		goto fail;
	if (r == 0) {
		fail("member: %s is not a member id or phone", key);
		goto fail;
	}
	if (day > TIME_DAY(vl.now)) {
		fail("at: %s is in the future", date_fmt(day, since));
		goto fail;
	}
	if (day < TIME_DAY(m.joined)) {
		fail("at: %s is before member %s joined, on %s",
		    date_fmt(day, since), m.f[M_MEMBER],
		    date_fmt(TIME_DAY(m.joined), later));
		goto fail;
	}
	if (store_tierlog(&st, m.f[M_MEMBER], &log) < 0)
		goto fail;
	/* a tier is set after the member's rows, never between them */
	for (i = 0; i < log.n; i++)
		if (TIME_DAY(log.v[i].at) > day) {
			fail("at: member %s has a tiers.tsv row dated %s, after "
			    "%s; set the tier on or after that day",
			    m.f[M_MEMBER], date_fmt(TIME_DAY(log.v[i].at), later),
			    date_fmt(day, since));
			goto fail;
		}
	expires = DAY_NEVER;
	if (n > 0 && date_check(expires = date_add_months(day, (long)n)) < 0)
		goto fail;
	/* from: the tier on DATE, even one rules.conf no longer defines */
	tier_at(&log, (vltime_t)day * DAY_SECS + DAY_SECS - 1, &rules, m.joined,
	    &ts);
	row_field(&row, time_fmt((vltime_t)day * DAY_SECS, when), 0);
	row_field(&row, m.f[M_MEMBER], 0);
	row_field(&row, "set", 0);
	row_field(&row, ts.tier, 0);
	row_field(&row, rules.tiers[tier].name, 0);
	row_field(&row, date_fmt(day, since), 0);
	row_field(&row, expires == DAY_NEVER ? "" : date_fmt(expires, exp), 0);
	row_field(&row, "0", 0);
	row_field(&row, reason, 1);
	if (ledger_append(&vl, &L_TIERS, &row) < 0)
		goto fail;
	store_update(&st);
	store_close(&st);
	ledger_unlock(&vl);
	emit(&vl, &row);
	free(m.f[0]);
	free(log.v);
	buf_free(&row);
	fshut();
	return E_OK;
fail:
	store_close(&st);
	ledger_unlock(&vl);
	die_last();
}
