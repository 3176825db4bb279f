/* tier-recalc: bring members' tiers up to date; meant for cron, nightly. */

#include <string.h>

#include "vl.h"

static const char usage[] =
    "tier-recalc [-d DIR] [-q] [-w SECONDS] [--dry-run] [--as-of DATE] [MEMBER...]";

enum { O_ASOF = 300 };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ O_ASOF, "as-of", OPT_ARG },
	{ 0, NULL, 0 }
};

int
main(int argc, char *argv[])
{
	struct optparse op;
	struct vl vl;
	const char *asof = NULL;
	day_t day;
	int c, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == O_ASOF)
			asof = op.arg;
	}
	if (asof && date_parse(asof, strlen(asof), &day) < 0)
		usage_error("--as-of %s %s", asof, vl_err);
	vl_ready(&vl);
	if (!asof)
		day = TIME_DAY(vl.now);
	else if (day > TIME_DAY(vl.now))
		die(E_REFUSE, "as-of: %s is after today; no row is dated in "
		    "the future", asof);
	rc = tier_recalc(&vl, day, op.operands, op.noperands);
	fshut();
	return rc;
}
