/* points-adjust: correct a member's points, up or down, with a reason. */

#include <string.h>

#include "store.h"

static const char usage[] =
    "points-adjust [-d DIR] [-q] [-w SECONDS] [--dry-run] --reason TEXT\n"
    "                     MEMBER [+|-]POINTS";

enum { O_REASON = 300 };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ O_REASON, "reason", OPT_ARG }, { 0, NULL, 0 }
};

int
main(int argc, char *argv[])
{
	struct optparse op;
	struct vl vl;
	const char *reason = NULL, *p;
	int64_t points;
	int c, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	op.negnum = 1;		/* -5 is points, not an option */
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == O_REASON)
			reason = op.arg;
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands != 2)
		usage_error("give a member and the points");
	if (!reason || !*reason)
		usage_error("--reason is required");
	if (vl_ready(&vl) < 0)
		die_last();
	p = op.operands[1];
	if (int_parse(p, strlen(p), 2, &points) < 0 || points == 0)
		die(E_REFUSE, "points: %s must be a whole number other than 0", p);
	if (field_check("reason", reason) < 0)
		die(E_REFUSE, "%s", vl_err);
	rc = points_post(&vl, "adjust", op.operands[0], points, "", reason);
	if (rc < 0)
		die_last();
	fshut();
	return rc;
}
