/* member-edit: change a member's record by appending the whole record anew. */

#include "store.h"

static const char usage[] =
    "member-edit [-d DIR] [-q] [-w SECONDS] [--dry-run] MEMBER [--name NAME]\n"
    "                   [--phone PHONE] [--birthday B] [--gender F|M] [--email E]\n"
    "                   [--address A] [--size S] [--referrer MEMBER]\n"
    "                   [--associate STAFF] [--store STORE] [--ok | --dnd]\n"
    "                   [--note TEXT]";

static const struct opt opts[] = {
	OPTS_WRITER,
	OPTS_MEMBER_FIELDS,
	{ O_OK, "ok", OPT_NOARG },
	{ 0, NULL, 0 }
};

int
main(int argc, char *argv[])
{
	struct memberinput one = { 0 };
	struct optparse op;
	struct vl vl;
	int c, given = 0, rc;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		given = 1;
		if (c == O_DND || c == O_OK)
			one.f[M_CONTACT] = c == O_DND ? "dnd" : "ok";
		else
			one.f[c - OPT_COL] = op.arg;
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands != 1)
		usage_error(op.noperands ? "one member at a time" :
		    "no member given");
	if (!given)
		usage_error("nothing to change");
	if (vl_ready(&vl) < 0)
		die_last();
	one.key = op.operands[0];
	rc = members_post(&vl, &one, 1);
	if (rc < 0)
		die_last();
	fshut();
	return rc;
}
