/* wallet-topup: a member pays in stored value (充值); it earns no points. */

#include <string.h>

#include "store.h"

static const char usage[] =
    "wallet-topup [-d DIR] [-q] [-w SECONDS] [--dry-run] [-r REF]\n"
    "                    [--at TIME] [--note TEXT] MEMBER AMOUNT";

enum { O_AT = 300, O_NOTE };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ 'r', "ref", OPT_ARG },
	{ O_AT, "at", OPT_ARG }, { O_NOTE, "note", OPT_ARG },
	{ 0, NULL, 0 }
};

int
main(int argc, char *argv[])
{
	struct optparse op;
	struct vl vl;
	const char *ref = NULL, *at = NULL, *note = "", *p;
	int64_t amount;
	int c;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == 'r')
			ref = op.arg;
		else if (c == O_AT)
			at = op.arg;
		else if (c == O_NOTE)
			note = op.arg;
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands != 2)
		usage_error("give a member and the amount");
	if (vl_ready(&vl) < 0)
		die_last();
	p = op.operands[1];
	if (money_parse(p, strlen(p), MONEY_INPUT, &amount) < 0)
		die(E_REFUSE, "amount: %s %s", p, vl_err);
	if (amount == 0)
		die(E_REFUSE, "amount: %s must be above 0", p);
	if (ref && id_check("ref", ref, 64) < 0)
		die(E_REFUSE, "%s", vl_err);
	if (wallet_post(&vl, "topup", op.operands[0], amount, at,
	    ref ? ref : "", note) < 0)
		die_last();
	fshut();
	return E_OK;
}
