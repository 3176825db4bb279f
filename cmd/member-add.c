/* member-add: register members, one from options or many from a TSV on stdin. */

#include <string.h>

#include "store.h"

static const char usage[] =
    "member-add [-d DIR] [-q] [-w SECONDS] [--dry-run] [--id ID] --name NAME\n"
    "                  --phone PHONE [--birthday B] [--gender F|M] [--email E]\n"
    "                  [--address A] [--size S] [--referrer MEMBER]\n"
    "                  [--associate STAFF] [--store STORE] [--dnd] [--note TEXT]\n"
    "       member-add [-d DIR] [-q] [-w SECONDS] [--dry-run] [--csv] -";

static const struct opt opts[] = {
	OPTS_WRITER,
	OPTS_MEMBER_FIELDS,
	{ OPT_COL + M_MEMBER, "id", OPT_ARG },
	{ O_CSV, "csv", OPT_NOARG },
	{ 0, NULL, 0 }
};

int
main(int argc, char *argv[])
{
	struct memberinput one = { 0 }, *in;
	struct optparse op;
	struct batch b;
	struct vl vl;
	size_t i;
	int c, given = 0, csv = 0, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == O_CSV) {
			csv = 1;
			continue;
		}
		given = 1;
		if (c == O_DND)
			one.f[M_CONTACT] = "dnd";
		else
			one.f[c - OPT_COL] = op.arg;
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands == 1 && strcmp(op.operands[0], "-") == 0) {
		if (given)
			usage_error("field options do not go with -");
		vl.create = 1;
		if (vl_ready(&vl) < 0)
		die_last();
		/* the members.tsv columns but at */
		if (batch_read(&b, L_MEMBERS.cols + 1, M_NCOLS - 1, csv) < 0)
			die_last();
		if (!batch_has(&b, M_NAME - 1) || !batch_has(&b, M_PHONE - 1))
			die(E_REFUSE, "line 1: the columns name and phone are "
			    "required");
		in = ecalloc(b.n, sizeof *in);
		for (i = 0; i < b.n; i++) {
			in[i].line = b.rows[i].line;
			in[i].err = b.rows[i].err;
			memcpy(in[i].f + 1, b.rows[i].v,
			    (M_NCOLS - 1) * sizeof *in[i].f);
		}
		rc = members_post(&vl, in, b.n);
	} else {
		if (csv)
			usage_error("--csv goes with -, the batch on stdin");
		if (op.noperands > 0)
			usage_error("unexpected argument %s", op.operands[0]);
		if (!one.f[M_NAME])
			usage_error("--name is required");
		if (!one.f[M_PHONE])
			usage_error("--phone is required");
		vl.create = 1;
		if (vl_ready(&vl) < 0)
		die_last();
		rc = members_post(&vl, &one, 1);
	}
	if (rc < 0)
		die_last();
	fshut();
	return rc;
}
