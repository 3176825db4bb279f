/* report.h: the views of report, a file per family, and their output. */

/* out.c: report output: TSV, or aligned for a terminal with -t. */
struct out {
	int table, noheader;
	int csv, started;	/* --csv: CSV after a BOM, once */
	struct buf b;		/* -t: the whole output, aligned at the end */
};
void out_header(struct out *o, const char *line);
void out_line(struct out *o, const char *line, size_t n);
void out_end(struct out *o);

/* The report asked for: its options, the day, and the output. */
struct report {
	struct vl *vl;
	struct out out;
	day_t asof;
	int asof_given;		/* --as-of: not today */
	vltime_t upto;		/* the last moment of asof */
	const char *tier, *by;
	day_t from, to, since;
	int has_from, has_to, has_since;
	int mask;		/* --mask: phones as 138****0001 */
	const char *staff, *cls;	/* --staff, --class */
	int days, has_days;
};
/* out.c: every view that shows a phone shows it through here. */
const char *phone_shown(const struct report *rp, const char *phone,
    char buf[32]);
/* accounts.c */
int report_members(struct report *rp);
int report_member(struct report *rp, const char *key);
int report_tiers(struct report *rp);
int report_liability(struct report *rp);
/* statement.c */
int report_statement(struct report *rp, const char *key);
/* sales.c */
int report_sales(struct report *rp);
int report_changes(struct report *rp);
int report_rules(struct report *rp);
/* wallet.c: stored value (充值) */
int report_wallet(struct report *rp, const char *key);
wide_t wallet_of(const struct report *rp, const char *id, struct counts *counts,
    day_t from, const wide_t *paid);
wide_t wallet_owed(const struct report *rp, const struct strmap *ids);
/* care.c */
int report_notes(struct report *rp, const char *key);
int report_followups(struct report *rp);
int report_birthdays(struct report *rp);
int report_lapsed(struct report *rp);
int report_contacts(struct report *rp);
int report_segments(struct report *rp);
int report_associates(struct report *rp);
/* whatif.c */
int report_whatif(struct report *rp, const char *rulesfile);
