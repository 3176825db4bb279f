/* sale-post: record a sale, with the points it earns and the points it uses. */

#include <stdlib.h>
#include <string.h>

#include "vl.h"

static const char usage[] =
    "sale-post [-d DIR] [-q] [-w SECONDS] [--dry-run] [-r RECEIPT] [--at TIME]\n"
    "                 [--use-points N] [--associate STAFF] [--store STORE]\n"
    "                 [--note TEXT] MEMBER ITEM...\n"
    "       sale-post [-d DIR] [-q] [-w SECONDS] [--dry-run] -";

enum { O_AT = 300, O_USE, O_ASSOC, O_STORE, O_NOTE };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ 'r', "receipt", OPT_ARG },
	{ O_AT, "at", OPT_ARG }, { O_ASSOC, "associate", OPT_ARG },
	{ O_NOTE, "note", OPT_ARG },
	{ O_STORE, "store", OPT_ARG }, { O_USE, "use-points", OPT_ARG },
	{ 0, NULL, 0 }
};

static const char *const batch_cols[] = { "at", "receipt", "member",
	"items", "points_used", "associate", "store", "note" };

int
main(int argc, char *argv[])
{
	struct saleinput one = { 0 }, *in;
	struct optparse op;
	struct batch b;
	struct buf items = { 0 };
	struct vl vl;
	size_t i;
	int c, given = 0, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		given = 1;
		switch (c) {
		case 'r': one.receipt = op.arg; break;
		case O_AT: one.at = op.arg; break;
		case O_USE: one.points = op.arg; break;
		case O_ASSOC: one.associate = op.arg; break;
		case O_STORE: one.store = op.arg; break;
		case O_NOTE: one.note = op.arg; break;
		}
	}
	if (op.noperands == 1 && strcmp(op.operands[0], "-") == 0) {
		if (given)
			usage_error("sale options do not go with -");
		vl_ready(&vl);
		batch_read(&b, batch_cols, 8);
		if (!batch_has(&b, 2) || !batch_has(&b, 3))
			die(E_REFUSE, "line 1: the columns member and items "
			    "are required");
		in = ecalloc(b.n, sizeof *in);
		for (i = 0; i < b.n; i++) {
			char **v = b.rows[i].v;

			in[i] = (struct saleinput){ b.rows[i].line,
			    b.rows[i].err, v[0], v[1], v[2], v[3] ? v[3] : "",
			    v[4], v[5], v[6], v[7] };
		}
		rc = sales_post(&vl, in, b.n);
	} else {
		if (op.noperands < 1)
			usage_error("no member given");
		if (op.noperands < 2)
			die(E_REFUSE, "items: no items: give at least one, e.g. "
			    "1280 or 2x459/899");
		vl_ready(&vl);
		one.member = op.operands[0];
		for (i = 1; i < (size_t)op.noperands; i++) {
			if (item_arg_check(op.operands[i]) < 0)
				die(E_REFUSE, "items: %s", vl_err);
			if (i > 1)
				buf_addc(&items, ',');
			buf_adds(&items, op.operands[i]);
		}
		one.items = items.p;
		rc = sales_post(&vl, &one, 1);
	}
	fshut();
	return rc;
}
