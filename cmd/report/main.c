/* report: the members, their points and tiers, and the sales, as TSV. */

#include <string.h>

#include "store.h"
#include "report.h"

static const char usage[] =
    "report [-d DIR] [--as-of DATE] [-N | --no-header] [-t | --table | --csv]\n"
    "       [--mask] VIEW [ARGS]\n"
    "views: members [--tier T] | member MEMBER | statement MEMBER | tiers |\n"
    "       sales [--from D] [--to D] [--by day|month|store|associate|tier] |\n"
    "       liability | changes [--since D] | rules | wallet MEMBER |\n"
    "       notes MEMBER | followups [--staff S] | birthdays [--days N] |\n"
    "       lapsed [--days N] | contacts [--tier T] |\n"
    "       segments [--days N] [--class C] | associates [--from D] [--to D] |\n"
    "       whatif RULES";

enum { O_ASOF = 300, O_TIER, O_FROM, O_TO, O_BY, O_SINCE, O_MASK, O_STAFF,
	O_DAYS, O_CLASS, O_CSVOUT };

static const struct opt opts[] = {
	OPTS_COMMON,
	{ 'N', "no-header", OPT_NOARG },
	{ 't', "table", OPT_NOARG },
	{ O_ASOF, "as-of", OPT_ARG }, { O_BY, "by", OPT_ARG },
	{ O_CLASS, "class", OPT_ARG }, { O_CSVOUT, "csv", OPT_NOARG },
	{ O_DAYS, "days", OPT_ARG },
	{ O_FROM, "from", OPT_ARG }, { O_MASK, "mask", OPT_NOARG },
	{ O_SINCE, "since", OPT_ARG }, { O_STAFF, "staff", OPT_ARG },
	{ O_TIER, "tier", OPT_ARG }, { O_TO, "to", OPT_ARG },
	{ 0, NULL, 0 }
};

static day_t
date_opt(const char *name, const char *s)
{
	day_t d;

	if (date_parse(s, strlen(s), &d) < 0)
		usage_error("--%s %s %s", name, s, vl_err);
	return d;
}

/* A view's own option given to another view is a usage error; want
 * lists the views it goes with. */
static void
only(const char *view, const char *want, int given, const char *opt)
{
	const char *p;
	size_t n;

	for (p = want; given && *p; p += n + (p[n] == ' ')) {
		n = strcspn(p, " ");
		if (strlen(view) == n && strncmp(p, view, n) == 0)
			return;
	}
	if (given)
		usage_error("--%s goes with the view%s %s", opt,
		    strchr(want, ' ') ? "s" : "", want);
}

static int
days_opt(const char *s)
{
	int64_t v;

	if (int_parse(s, strlen(s), 0, &v) < 0 || v < 1 || v > 36500)
		usage_error("--days %s: a number of days from 1 to 36500", s);
	return (int)v;
}

int
main(int argc, char *argv[])
{
	struct report rp = { 0 };
	struct optparse op;
	struct vl vl;
	const char *asof = NULL, *view, *arg;
	int c, rc, nargs;

	vl_init(&vl, argv[0], usage);
	rp.vl = &vl;
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		switch (c) {
		case 'N': rp.out.noheader = 1; break;
		case 't': rp.out.table = 1; break;
		case O_MASK: rp.mask = 1; break;
		case O_CSVOUT: rp.out.csv = 1; break;
		case O_ASOF: asof = op.arg; break;
		case O_TIER: rp.tier = op.arg; break;
		case O_BY: rp.by = op.arg; break;
		case O_FROM: rp.from = date_opt("from", op.arg), rp.has_from = 1; break;
		case O_TO: rp.to = date_opt("to", op.arg), rp.has_to = 1; break;
		case O_SINCE:
			rp.since = date_opt("since", op.arg), rp.has_since = 1;
			break;
		case O_STAFF: rp.staff = op.arg; break;
		case O_CLASS: rp.cls = op.arg; break;
		case O_DAYS: rp.days = days_opt(op.arg), rp.has_days = 1; break;
		}
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands < 1)
		usage_error("no view given");
	view = op.operands[0];
	nargs = op.noperands - 1;
	arg = nargs ? op.operands[1] : NULL;
	only(view, "members contacts", rp.tier != NULL, "tier");
	only(view, "sales", rp.by != NULL, "by");
	only(view, "sales associates", rp.has_from || rp.has_to,
	    "from and --to");
	only(view, "followups", rp.staff != NULL, "staff");
	only(view, "birthdays lapsed segments", rp.has_days, "days");
	only(view, "segments", rp.cls != NULL, "class");
	if (rp.out.csv && rp.out.table)
		usage_error("--csv and -t do not go together");
	if (rp.out.csv && strcmp(view, "rules") == 0)
		usage_error("--csv goes with the TSV views; rules is a rules.conf");
	only(view, "changes", rp.has_since, "since");
	if (rp.by && strcmp(rp.by, "day") && strcmp(rp.by, "month") &&
	    strcmp(rp.by, "store") && strcmp(rp.by, "associate") &&
	    strcmp(rp.by, "tier"))
		usage_error("--by takes day, month, store, associate or tier");
	if (nargs != (strcmp(view, "member") == 0 ||
	    strcmp(view, "statement") == 0 || strcmp(view, "notes") == 0 ||
	    strcmp(view, "wallet") == 0 || strcmp(view, "whatif") == 0))
		usage_error(nargs ? "the view %s takes no argument %s" :
		    strcmp(view, "whatif") == 0 ? "the view %s needs a rules "
		    "file" : "the view %s needs a member", view, arg);
	if (vl_ready(&vl) < 0)
		die_last();
	rp.asof = asof ? date_opt("as-of", asof) : TIME_DAY(vl.now);
	rp.asof_given = asof && rp.asof != TIME_DAY(vl.now);
	rp.upto = (vltime_t)rp.asof * DAY_SECS + DAY_SECS - 1;
	if (strcmp(view, "members") == 0)
		rc = report_members(&rp);
	else if (strcmp(view, "member") == 0)
		rc = report_member(&rp, arg);
	else if (strcmp(view, "statement") == 0)
		rc = report_statement(&rp, arg);
	else if (strcmp(view, "tiers") == 0)
		rc = report_tiers(&rp);
	else if (strcmp(view, "sales") == 0)
		rc = report_sales(&rp);
	else if (strcmp(view, "liability") == 0)
		rc = report_liability(&rp);
	else if (strcmp(view, "changes") == 0)
		rc = report_changes(&rp);
	else if (strcmp(view, "rules") == 0)
		rc = report_rules(&rp);
	else if (strcmp(view, "wallet") == 0)
		rc = report_wallet(&rp, arg);
	else if (strcmp(view, "notes") == 0)
		rc = report_notes(&rp, arg);
	else if (strcmp(view, "followups") == 0)
		rc = report_followups(&rp);
	else if (strcmp(view, "birthdays") == 0)
		rc = report_birthdays(&rp);
	else if (strcmp(view, "lapsed") == 0)
		rc = report_lapsed(&rp);
	else if (strcmp(view, "contacts") == 0)
		rc = report_contacts(&rp);
	else if (strcmp(view, "segments") == 0)
		rc = report_segments(&rp);
	else if (strcmp(view, "associates") == 0)
		rc = report_associates(&rp);
	else if (strcmp(view, "whatif") == 0)
		rc = report_whatif(&rp, arg);
	else
		usage_error("unknown view %s", view);
	out_end(&rp.out);
	fshut();
	return rc;
}
