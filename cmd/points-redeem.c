/* points-redeem: spend a member's available points outside a sale. */

#include <string.h>

#include "store.h"

static const char usage[] =
    "points-redeem [-d DIR] [-q] [-w SECONDS] [--dry-run] [-r REF]\n"
    "                     [--note TEXT] MEMBER POINTS";

enum { O_NOTE = 300 };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ 'r', "ref", OPT_ARG },
	{ O_NOTE, "note", OPT_ARG },
	{ 0, NULL, 0 }
};

int
main(int argc, char *argv[])
{
	struct optparse op;
	struct vl vl;
	const char *ref = NULL, *note = "", *p;
	int64_t points;
	int c, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == 'r')
			ref = op.arg;
		else if (c == O_NOTE)
			note = op.arg;
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands != 2)
		usage_error("give a member and the points");
	if (vl_ready(&vl) < 0)
		die_last();
	p = op.operands[1];
	if (int_parse(p, strlen(p), 0, &points) < 0 || points < 1)
		die(E_REFUSE, "points: %s must be a whole number of 1 or more", p);
	if (ref && id_check("ref", ref, 64) < 0)
		die(E_REFUSE, "%s", vl_err);
	rc = points_post(&vl, "redeem", op.operands[0], points, ref ? ref : "",
	    note);
	if (rc < 0)
		die_last();
	fshut();
	return rc;
}
