/* member-note: record a revisit, a complaint, a service, a profile or a contact. */

#include <stdio.h>
#include <string.h>

#include "store.h"

static const char usage[] =
    "member-note [-d DIR] [-q] [-w SECONDS] [--dry-run] [--staff STAFF]\n"
    "                   [--task TASK] [--at TIME] MEMBER KIND TEXT\n"
    "KIND: followup, complaint, service, profile or contact";

enum { O_STAFF = 300, O_TASK, O_AT };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ O_AT, "at", OPT_ARG }, { O_STAFF, "staff", OPT_ARG },
	{ O_TASK, "task", OPT_ARG }, { 0, NULL, 0 }
};

static const char *const kinds[] = { "followup", "complaint", "service",
	"profile", "contact", NULL };

/* The sale a task names, and the buyer's earliest sale. */
struct tasksale {
	const char *receipt, *buyer;
	int found, issale, hasref;
	char member[64], referrer[64], tier[64];
	int64_t paid;
	vltime_t at;
	vltime_t first;		/* the buyer's earliest sale */
	int firstseen, isfirst;
};

static int
sale_named(void *arg, const struct tsv *t)
{
	struct tasksale *ts = arg;

	ts->found = 1;
	ts->issale = tsv_field_is(t, S_KIND, "sale");
	ts->hasref = t->fl[S_REFERRER] > 0;
	snprintf(ts->member, sizeof ts->member, "%s", t->f[S_MEMBER]);
	snprintf(ts->referrer, sizeof ts->referrer, "%s", t->f[S_REFERRER]);
	snprintf(ts->tier, sizeof ts->tier, "%s", t->f[S_TIER]);
	ts->paid = tsv_money(t, S_PAID);
	ts->at = tsv_time(t, S_AT);
	return 1;
}

/* The earliest sale row by at, ties in file order: is it ts's? */
static int
buyer_sale(void *arg, const struct tsv *t)
{
	struct tasksale *ts = arg;
	vltime_t at;

	if (strcmp(t->f[S_MEMBER], ts->buyer) != 0 ||
	    !tsv_field_is(t, S_KIND, "sale"))
		return 0;
	at = tsv_time(t, S_AT);
	if (!ts->firstseen || at < ts->first) {
		ts->first = at;
		ts->firstseen = 1;
		ts->isfirst = strcmp(t->f[S_RECEIPT], ts->receipt) == 0;
	}
	return 0;
}

/* A followup note with --task: the task must be one the rules make for
 * this member, due by the note's day, and not closed by any note. */
static int
task_check(struct vl *vl, struct store *st, const struct rules *r,
    const char *task, const char *member, vltime_t at)
{
	struct tasksale ts = { 0 };
	const struct followup *f;
	struct tsv t;
	char due[11];
	int line, closed = 0;
	day_t day;

	if ((line = task_parse(r, task, &ts.receipt)) < 0 ||
	    store_sale(st, ts.receipt, sale_named, &ts) < 0)
		goto none;
	if (!ts.found || !ts.issale)
		goto none;
	f = &r->followups[line];
	ts.buyer = ts.member;
	if (store_rows(st, SALES, ts.buyer, buyer_sale, &ts) < 0)
		return -1;
	if (!followup_makes(f, ts.paid, ts.isfirst, ts.hasref,
	    rules_tier(r, ts.tier)) ||
	    strcmp(f->referral ? ts.referrer : ts.buyer, member) != 0)
		goto none;
	day = TIME_DAY(ts.at) + f->after;
	if (day > TIME_DAY(at))
		return fail("task: %s is not due until %s", task,
		    date_fmt(day, due));
	tsv_ledger(&t, vl, &L_NOTES);
	while (tsv_row(&t, &L_NOTES))
		closed |= tsv_field_is(&t, N_KIND, "followup") &&
		    tsv_field_is(&t, N_TASK, task);
	if (tsv_close(&t) < 0)
		return -1;
	if (closed)
		return fail("task: %s is already closed", task);
	return 0;
none:
	if (vl_status == E_SYSTEM)
		return -1;
	return fail("task: %s is no follow-up task of member %s", task,
	    member);
}

int
main(int argc, char *argv[])
{
	struct optparse op;
	struct vl vl;
	struct store st = { 0 };
	struct member m;
	struct rules rules;
	struct buf row = { 0 };
	const char *staff = "", *task = "", *atarg = NULL, *kind, *text;
	char when[20];
	vltime_t at;
	int c, i, r;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		switch (c) {
		case O_STAFF: staff = op.arg; break;
		case O_TASK: task = op.arg; break;
		case O_AT: atarg = op.arg; break;
		}
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands != 3)
		usage_error("give a member, a kind and the text");
	kind = op.operands[1];
	text = op.operands[2];
	for (i = 0; kinds[i] && strcmp(kinds[i], kind) != 0; i++)
		;
	if (!kinds[i])
		usage_error("kind %s: use followup, complaint, service, "
		    "profile or contact", kind);
	if (*task && strcmp(kind, "followup") && strcmp(kind, "contact"))
		usage_error("--task goes with followup or contact notes");
	if (vl_ready(&vl) < 0)
		die_last();
	if (field_check("text", text) < 0 || field_check("staff", staff) < 0 ||
	    field_check("task", task) < 0)
		die(E_REFUSE, "%s", vl_err);
	if (!*text)
		die(E_REFUSE, "text: must not be empty");
	if (atarg && time_parse(atarg, strlen(atarg), &at) < 0)
		die(E_REFUSE, "at: %s %s", atarg, vl_err);
	if (rules_load(&vl, &rules) < 0 || ledger_begin(&vl) < 0)
		die_last();
	if (!atarg)
		at = vl.now;
	if (store_open(&st, &vl, 1) < 0 ||
	    (r = store_member(&st, op.operands[0], &m)) < 0)
		goto fail;
	if (r == 0) {
		fail("member: %s is not a member id or phone", op.operands[0]);
		goto fail;
	}
	if (at > vl.now) {
		fail("at: %s is in the future", atarg);
		goto fail;
	}
	if (at < m.joined) {
		fail("at: the note is before member %s joined", m.f[M_MEMBER]);
		goto fail;
	}
	if (staff_check(&vl, staff) < 0) {
		/* --staff is checked as --associate is, and named so */
		if (vl_status == E_REFUSE)
			fail("staff%s", strchr(vl_err, ':'));
		goto fail;
	}
	if (*task && strcmp(kind, "followup") == 0 &&
	    task_check(&vl, &st, &rules, task, m.f[M_MEMBER], at) < 0)
		goto fail;
	row_field(&row, time_fmt(at, when), 0);
	row_field(&row, m.f[M_MEMBER], 0);
	row_field(&row, kind, 0);
	row_field(&row, staff, 0);
	row_field(&row, task, 0);
	row_field(&row, text, 1);
	if (ledger_append(&vl, &L_NOTES, &row) < 0)
		goto fail;
	store_close(&st);
	ledger_unlock(&vl);
	emit(&vl, &row);
	fshut();
	return 0;
fail:
	store_close(&st);
	ledger_unlock(&vl);
	die_last();
}
