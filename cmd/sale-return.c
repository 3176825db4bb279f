/* sale-return: take back all or part of a sale, reversing its points exactly. */

#include "vl.h"

static const char usage[] =
    "sale-return [-d DIR] [-q] [-w SECONDS] [--dry-run] [-r ID] [--at TIME]\n"
    "                   [--force] [--note TEXT] RECEIPT [AMOUNT]";

enum { O_AT = 300, O_FORCE, O_NOTE };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ 'r', "id", OPT_ARG },
	{ O_AT, "at", OPT_ARG },
	{ O_FORCE, "force", OPT_NOARG }, { O_NOTE, "note", OPT_ARG },
	{ 0, NULL, 0 }
};

int
main(int argc, char *argv[])
{
	struct returninput in = { NULL, NULL, "", NULL, NULL, 0 };
	struct optparse op;
	struct vl vl;
	int c, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		switch (c) {
		case 'r': in.id = op.arg; break;
		case O_AT: in.at = op.arg; break;
		case O_FORCE: in.force = 1; break;
		case O_NOTE: in.note = op.arg; break;
		}
	}
	if (op.noperands < 1 || op.noperands > 2)
		usage_error("give a receipt and, for part of it, an amount");
	vl_ready(&vl);
	in.receipt = op.operands[0];
	in.amount = op.noperands == 2 ? op.operands[1] : NULL;
	rc = sale_return(&vl, &in);
	fshut();
	return rc;
}
