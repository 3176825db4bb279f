/* rules.c: rules.conf: the built-in defaults, the parser, and its printer. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shop.h"

#define RULES_MAXSIZE (1024 * 1024)

const char *const metric_names[] = { "single", "total", "points", "items",
	"topup" };

/* The department-store scheme (points-schemes, part 3). */
static const char default_rules[] =
	"hold_days 7\nreturn_days 7\nearn_per 1.00\nredeem_rate 100\n"
	"redeem_min 1\nredeem_step 1\nreferral_pct 0\nexpire_months 0\n"
	"downgrade fit\nbirthday_window day\nbirthday_items 0\n"
	"birthday_once no\nown_months 2\nsegment_days 365\nvip_share 20\n"
	"tier normal discount=0 multiplier=1 validity=0\n"
	"tier silver discount=2 multiplier=1.5 validity=12\n"
	"tier gold discount=5 multiplier=2 validity=12\n"
	"upgrade normal silver single 500\n"
	"upgrade normal silver total 800\n"
	"upgrade normal gold single 800\n"
	"upgrade silver gold single 500\n"
	"upgrade silver gold total 1000\n"
	"keep silver total 800\n"
	"keep gold total 1000\n"
	"band 0.00 100\n"
	"followup thanks after 0 referral\n"
	"followup first after 7 first\n"
	"followup big after 7 min 2000\n";

/* An upgrade or keep line waits for the whole file before its tiers are
 * looked up, since tier lines may come later. */
struct pending {
	char from[64], to[64];
	int line, keep, metric, within, grace;
	int64_t threshold;
};
/* A followup line's tier, looked up with the whole file read. */
struct pendfollow {
	char tier[64];
	int line;
};

struct parser {
	struct rules *r;
	const char *name;	/* the file, for messages */
	int line;
	char *w[16];
	int nw;
	struct tier tiers[RULES_MAXT];
	struct band bands[RULES_MAXL];
	struct pending pend[2 * RULES_MAXL];
	struct followup follow[RULES_MAXL];
	struct pendfollow followtier[RULES_MAXL];
	int ntiers, nbands, npend, nupgrades, nkeeps, nfollow;
	int bandline;		/* the first band line, for errors */
	int nonefollow;		/* the line of "followup none", 0: none */
};

static int
perr(const struct parser *p, const char *fmt, const char *arg)
{
	char msg[300];

	snprintf(msg, sizeof msg, fmt, arg);
	return fail("%s:%d: %s", p->name, p->line, msg);
}

/* what: the setting or attribute, for the message. */
static int
num(struct parser *p, const char *what, const char *s, int64_t lo, int64_t hi,
    int64_t *v)
{
	char msg[200];

	if (int_parse(s, strlen(s), 0, v) < 0 || *v < lo || *v > hi) {
		snprintf(msg, sizeof msg, "%s %s: must be a whole number from "
		    "%lld to %lld", what, s, (long long)lo, (long long)hi);
		return perr(p, "%s", msg);
	}
	return 0;
}

static int
intval(struct parser *p, const char *what, const char *s, int lo, int hi,
    int *out)
{
	int64_t v;

	if (num(p, what, s, lo, hi, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int
metric(struct parser *p, const char *s)
{
	int i;

	for (i = 0; i < MET_N; i++)
		if (strcmp(s, metric_names[i]) == 0)
			return i;
	return perr(p, "unknown metric %s: use single, total, points, items "
	    "or topup", s);
}

static int
threshold(struct parser *p, int m, const char *s, int64_t *v)
{
	if (m == MET_SINGLE || m == MET_TOTAL || m == MET_TOPUP) {
		if (money_parse(s, strlen(s), MONEY_INPUT, v) < 0)
			return perr(p, "threshold %s is not an amount like 800 "
			    "or 800.00", s);
		return 0;
	}
	return num(p, "threshold", s, 0, 999999999999LL, v);
}

static int
tierline(struct parser *p)
{
	struct tier *t;
	int i;

	if (p->nw < 2)
		return perr(p, "tier needs a name%s", "");
	if (p->ntiers == RULES_MAXT)
		return perr(p, "too many tiers%s", "");
	if (strchr(p->w[1], '=') || strlen(p->w[1]) >= sizeof t->name)
		return perr(p, "bad tier name %s", p->w[1]);
	for (i = 0; i < p->ntiers; i++)
		if (strcmp(p->tiers[i].name, p->w[1]) == 0)
			return perr(p, "tier %s is defined twice", p->w[1]);
	t = &p->tiers[p->ntiers];
	memset(t, 0, sizeof *t);
	strcpy(t->name, p->w[1]);
	t->mult = 100;
	strcpy(t->multtext, "1");
	t->birthday = -1;
	for (i = 2; i < p->nw; i++) {
		char *k = p->w[i], *v = strchr(k, '=');
		int64_t m;

		if (!v)
			return perr(p, "%s: tier attributes are NAME=VALUE", k);
		*v++ = '\0';
		if (strcmp(k, "discount") == 0) {
			if (intval(p, "discount", v, 0, 100, &t->discount) < 0)
				return -1;
		} else if (strcmp(k, "birthday") == 0) {
			if (intval(p, "birthday", v, 0, 100, &t->birthday) < 0)
				return -1;
		} else if (strcmp(k, "validity") == 0) {
			if (intval(p, "validity", v, 0, 1200, &t->validity) < 0)
				return -1;
		} else if (strcmp(k, "multiplier") == 0) {
			if (dec2_parse(v, strlen(v), &m) < 0 || m > 100000 ||
			    strlen(v) >= sizeof t->multtext)
				return perr(p, "multiplier %s must be a number "
				    "with two decimals at most", v);
			t->mult = m;
			strcpy(t->multtext, v);
		} else {
			return perr(p, "unknown tier attribute %s: use discount, "
			    "multiplier, validity or birthday", k);
		}
	}
	p->ntiers++;
	return 0;
}

static int
ruleline(struct parser *p, int keep)
{
	struct pending *q;
	int i = keep ? 2 : 3;

	if ((keep ? p->nkeeps : p->nupgrades) == RULES_MAXL)
		return perr(p, "too many %s lines: at most 128", p->w[0]);
	if (p->nw < i + 2)
		return perr(p, "%s", keep ? "keep TIER METRIC THRESHOLD [grace N]" :
		    "upgrade FROM TO METRIC THRESHOLD [within DAYS]");
	q = &p->pend[p->npend];
	memset(q, 0, sizeof *q);
	q->keep = keep;
	q->line = p->line;
	snprintf(q->from, sizeof q->from, "%s", p->w[1]);
	if (!keep)
		snprintf(q->to, sizeof q->to, "%s", p->w[2]);
	if ((q->metric = metric(p, p->w[i])) < 0 ||
	    threshold(p, q->metric, p->w[i + 1], &q->threshold) < 0)
		return -1;
	i += 2;
	if (i < p->nw) {
		const char *word = keep ? "grace" : "within";

		if (strcmp(p->w[i], word) != 0 || i + 2 != p->nw)
			return perr(p, keep ? "after the threshold only "
			    "\"grace N\" may follow%s" : "after the threshold "
			    "only \"within DAYS\" may follow%s", "");
		if (keep ? intval(p, word, p->w[i + 1], 0, 1000, &q->grace) :
		    intval(p, word, p->w[i + 1], 1, 36500, &q->within))
			return -1;
	}
	if (keep)
		p->nkeeps++;
	else
		p->nupgrades++;
	p->npend++;
	return 0;
}

static int
bandline(struct parser *p)
{
	struct band *b;
	int64_t pct;
	int i;

	if (p->nw < 3 || p->nw > 4 || (p->nw == 4 && strcmp(p->w[3], "flat")))
		return perr(p, "band MIN_RATIO PERCENT [flat]%s", "");
	if (p->nbands == RULES_MAXL)
		return perr(p, "too many bands%s", "");
	b = &p->bands[p->nbands];
	memset(b, 0, sizeof *b);
	if (!p->bandline)
		p->bandline = p->line;
	if (dec2_parse(p->w[1], strlen(p->w[1]), &b->ratio) < 0 ||
	    strlen(p->w[1]) >= sizeof b->ratiotext)
		return perr(p, "band ratio %s must be a number like 0.88",
		    p->w[1]);
	for (i = 0; i < p->nbands; i++)
		if (p->bands[i].ratio == b->ratio)
			return perr(p, "band %s is defined twice", p->w[1]);
	if (num(p, "band percent", p->w[2], 0, 1000, &pct) < 0)
		return -1;
	strcpy(b->ratiotext, p->w[1]);
	b->pct = (int)pct;
	b->flat = p->nw == 4;
	p->nbands++;
	return 0;
}

/* followup NAME after DAYS [min AMOUNT] [first] [referral] [tier TIER] */
static int
followline(struct parser *p)
{
	struct followup *f;
	const char *n;
	int i, seen[4] = { 0 };

	if (p->nw == 2 && strcmp(p->w[1], "none") == 0) {
		if (p->nfollow)
			return perr(p, "followup none beside other followup "
			    "lines%s", "");
		p->nonefollow = p->line;
		return 0;
	}
	if (p->nonefollow)
		return perr(p, "followup line after followup none%s", "");
	if (p->nw < 4 || strcmp(p->w[2], "after") != 0)
		return perr(p, "followup NAME after DAYS [min AMOUNT] [first] "
		    "[referral] [tier TIER]%s", "");
	if (p->nfollow == RULES_MAXL)
		return perr(p, "too many followup lines: at most 128%s", "");
	n = p->w[1];
	if (strlen(n) > FOLLOWUP_NAMEMAX || strspn(n, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != strlen(n))
		return perr(p, "followup name %s: letters, digits, - and _ only",
		    n);
	for (i = 0; i < p->nfollow; i++)
		if (strcmp(p->follow[i].name, n) == 0)
			return perr(p, "followup %s is defined twice", n);
	f = &p->follow[p->nfollow];
	memset(f, 0, sizeof *f);
	strcpy(f->name, n);
	f->min = -1;
	f->tier = -1;
	p->followtier[p->nfollow].tier[0] = '\0';
	p->followtier[p->nfollow].line = p->line;
	if (intval(p, "after", p->w[3], 0, 36500, &f->after) < 0)
		return -1;
	for (i = 4; i < p->nw; i++) {
		const char *w = p->w[i];
		int k = strcmp(w, "min") == 0 ? 0 : strcmp(w, "first") == 0 ? 1 :
		    strcmp(w, "referral") == 0 ? 2 : strcmp(w, "tier") == 0 ?
		    3 : -1;

		if (k < 0)
			return perr(p, "unknown followup option %s: use min, "
			    "first, referral or tier", w);
		if (seen[k]++)
			return perr(p, "followup option %s given twice", w);
		if ((k == 0 || k == 3) && i + 1 == p->nw)
			return perr(p, "followup option %s needs a value", w);
		if (k == 0 && (money_parse(p->w[i + 1], strlen(p->w[i + 1]),
		    MONEY_INPUT, &f->min) < 0))
			return perr(p, "followup min %s is not an amount like "
			    "2000 or 2000.00", p->w[i + 1]);
		if (k == 3 && strlen(p->w[i + 1]) > TIER_NAMEMAX)
			return perr(p, "tier %s is not defined", p->w[i + 1]);
		if (k == 3)
			strcpy(p->followtier[p->nfollow].tier, p->w[i + 1]);
		f->first |= k == 1;
		f->referral |= k == 2;
		i += k == 0 || k == 3;
	}
	p->nfollow++;
	return 0;
}

static int
setting(struct parser *p)
{
	struct rules *r = p->r;
	const char *k = p->w[0], *v = p->w[1];
	int64_t x;

	if (p->nw != 2)
		return perr(p, "%s takes one value", k);
	if (strcmp(k, "hold_days") == 0)
		return intval(p, k, v, 0, 36500, &r->hold_days);
	if (strcmp(k, "return_days") == 0)
		return intval(p, k, v, 0, 36500, &r->return_days);
	if (strcmp(k, "expire_months") == 0)
		return intval(p, k, v, 0, 1200, &r->expire_months);
	if (strcmp(k, "birthday_items") == 0)
		return intval(p, k, v, 0, 1000000, &r->bday_items);
	if (strcmp(k, "birthday_window") == 0 || strcmp(k, "birthday_once") == 0) {
		int month = strcmp(k, "birthday_window") == 0;
		const char *a = month ? "day" : "no", *b = month ? "month" : "yes";

		if (strcmp(v, a) && strcmp(v, b))
			return perr(p, month ? "birthday_window %s: use day or month" :
			    "birthday_once %s: use yes or no", v);
		*(month ? &r->bday_month : &r->bday_once) = strcmp(v, b) == 0;
		return 0;
	}
	if (strcmp(k, "own_months") == 0)
		return intval(p, k, v, 0, 1200, &r->own_months);
	if (strcmp(k, "segment_days") == 0)
		return intval(p, k, v, 1, 36500, &r->segment_days);
	if (strcmp(k, "vip_share") == 0)
		return intval(p, k, v, 1, 100, &r->vip_share);
	if (strcmp(k, "redeem_rate") == 0)
		return num(p, k, v, 1, 1000000, &r->redeem_rate);
	if (strcmp(k, "redeem_step") == 0)
		return num(p, k, v, 1, 999999999999LL, &r->redeem_step);
	if (strcmp(k, "redeem_min") == 0)
		return num(p, k, v, 0, 999999999999LL, &r->redeem_min);
	if (strcmp(k, "earn_per") == 0) {
		if (money_parse(v, strlen(v), MONEY_INPUT, &x) < 0 || x <= 0)
			return perr(p, "earn_per %s must be an amount above 0", v);
		r->earn_per = x;
		return 0;
	}
	if (strcmp(k, "referral_pct") == 0) {
		if (dec2_parse(v, strlen(v), &x) < 0 || x > 10000 ||
		    strlen(v) >= sizeof r->referraltext)
			return perr(p, "referral_pct %s must be a percent from "
			    "0 to 100, two decimals at most", v);
		r->referral_pct = x;
		strcpy(r->referraltext, v);
		return 0;
	}
	if (strcmp(k, "downgrade") == 0) {
		if (strcmp(v, "fit") == 0)
			r->downgrade = DOWN_FIT;
		else if (strcmp(v, "step") == 0)
			r->downgrade = DOWN_STEP;
		else
			return perr(p, "downgrade %s: use fit or step", v);
		return 0;
	}
	return perr(p, "unknown setting %s", k);
}

static int
find_tier(const struct tier *t, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return i;
	return -1;
}

/* With tier names known, turns the pending lines into upgrades and keeps. */
static int
resolve(struct parser *p)
{
	struct rules *r = p->r;
	int i, from, to;

	if (p->ntiers) {
		memcpy(r->tiers, p->tiers, sizeof p->tiers);
		r->ntiers = p->ntiers;
		r->nupgrades = r->nkeeps = 0;
	}
	if (p->nupgrades)
		r->nupgrades = 0;
	if (p->nkeeps)
		r->nkeeps = 0;
	if (p->nbands) {
		memcpy(r->bands, p->bands, sizeof p->bands);
		r->nbands = p->nbands;
	}
	for (i = 0; i < p->npend; i++) {
		struct pending *q = &p->pend[i];

		p->line = q->line;
		if ((from = find_tier(r->tiers, r->ntiers, q->from)) < 0)
			return perr(p, "tier %s is not defined", q->from);
		if (q->keep) {
			struct keep *k = &r->keeps[r->nkeeps++];

			k->tier = from, k->metric = q->metric;
			k->threshold = q->threshold, k->grace = q->grace;
			continue;
		}
		if ((to = find_tier(r->tiers, r->ntiers, q->to)) < 0)
			return perr(p, "tier %s is not defined", q->to);
		if (to <= from)
			return perr(p, "an upgrade must lead to a higher tier "
			    "than %s", q->from);
		r->upgrades[r->nupgrades++] = (struct upgrade){ from, to,
		    q->metric, q->threshold, q->within, q->line };
	}
	if (p->nfollow || p->nonefollow) {
		memcpy(r->followups, p->follow, sizeof p->follow);
		r->nfollowups = p->nfollow;
	}
	for (i = 0; i < p->nfollow; i++) {
		p->line = p->followtier[i].line;
		if (p->followtier[i].tier[0] &&
		    (r->followups[i].tier = find_tier(r->tiers, r->ntiers,
		    p->followtier[i].tier)) < 0)
			return perr(p, "tier %s is not defined",
			    p->followtier[i].tier);
	}
	for (i = 0; i < r->nbands; i++)
		if (r->bands[i].ratio == 0)
			return 0;
	p->line = p->bandline;
	return perr(p, "no band at 0.00: every item needs a band%s", "");
}

static int
parse_line(struct parser *p, char *s)
{
	char *h;

	if ((h = strchr(s, '#')))
		*h = '\0';
	for (p->nw = 0; ; ) {
		s += strspn(s, " \t\r");
		if (!*s)
			break;
		if (p->nw == (int)(sizeof p->w / sizeof p->w[0]))
			return perr(p, "too many words%s", "");
		p->w[p->nw++] = s;
		s += strcspn(s, " \t\r");
		if (*s)
			*s++ = '\0';
	}
	if (p->nw == 0)
		return 0;
	if (strcmp(p->w[0], "tier") == 0)
		return tierline(p);
	if (strcmp(p->w[0], "upgrade") == 0)
		return ruleline(p, 0);
	if (strcmp(p->w[0], "keep") == 0)
		return ruleline(p, 1);
	if (strcmp(p->w[0], "band") == 0)
		return bandline(p);
	if (strcmp(p->w[0], "followup") == 0)
		return followline(p);
	return setting(p);
}

/* Parses text over the rules in r: what it names replaces what r has;
 * errors name the file as name:LINE. */
static int
parse_named(struct rules *r, const char *text, size_t n, const char *name)
{
	struct parser *p = ecalloc(1, sizeof *p);
	const char *s = text, *e = text + n, *nl;
	char *line;
	int rc = 0;

	p->r = r;
	p->name = name;
	/* a rules.conf saved by a Windows editor may start with a BOM */
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < e && rc == 0) {
		p->line++;
		nl = memchr(s, '\n', (size_t)(e - s));
		line = estrndup(s, (size_t)((nl ? nl : e) - s));
		if (!utf8_valid(line, strlen(line)) || strlen(line) !=
		    (size_t)((nl ? nl : e) - s))
			rc = perr(p, "not valid UTF-8 text%s", "");
		else
			rc = parse_line(p, line);
		free(line);
		s = nl ? nl + 1 : e;
	}
	if (rc == 0)
		rc = resolve(p);
	free(p);
	return rc;
}

int
rules_parse(struct rules *r, const char *text, size_t n)
{
	return parse_named(r, text, n, "rules.conf");
}

/* The built-in rules are rules.conf text the tests read back: they
 * parse, so nothing can fail here. */
void
rules_default(struct rules *r)
{
	memset(r, 0, sizeof *r);
	strcpy(r->referraltext, "0");
	rules_parse(r, default_rules, sizeof default_rules - 1);
}

/* The text of a rules file: 1 read, 0 there is none, -1 + vl_err (a
 * FIFO, a device or more than 1 MB is refused, exit 3). */
static int
rules_read(const char *path, struct buf *text)
{
	struct stat st;
	char chunk[8192];
	ssize_t n;
	int fd, rc = 0;

	/* O_NONBLOCK: a FIFO put there must not keep a writer waiting */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		return fail_sys("open %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0)
		rc = fail_sys("stat %s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		rc = fail_sys("%s: is not a regular file", path);
	else if (st.st_size > RULES_MAXSIZE)
		rc = fail_sys("%s: is larger than 1 MB", path);
	while (rc == 0 && (n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = fail_sys("read %s: %s", path, strerror(errno));
		else
			buf_add(text, chunk, (size_t)n);
		if (text->n > RULES_MAXSIZE)	/* it grew while read */
			rc = fail_sys("%s: is larger than 1 MB", path);
	}
	close(fd);
	return rc < 0 ? rc : 1;
}

int
rules_load(const struct vl *vl, struct rules *r)
{
	const char *path = vl_path(vl, "rules.conf");
	struct buf text = { 0 };
	int rc;

	rules_default(r);
	if ((rc = rules_read(path, &text)) > 0) {
		rc = 0;
		if (rules_parse(r, text.p ? text.p : "", text.n) < 0)
			rc = fail("%s; fix rules.conf", vl_err);
	}
	buf_free(&text);
	return rc;
}

/* A rules file named by path, over the built-in defaults as rules.conf
 * is read (report whatif): none there is exit 3, its errors "PATH:LINE:
 * message". */
int
rules_load_file(const char *path, struct rules *r)
{
	struct buf text = { 0 };
	int rc;

	rules_default(r);
	if ((rc = rules_read(path, &text)) == 0)
		rc = fail_sys("open %s: %s", path, strerror(ENOENT));
	else if (rc > 0)
		rc = parse_named(r, text.p ? text.p : "", text.n, path);
	buf_free(&text);
	return rc;
}

int
rules_tier(const struct rules *r, const char *name)
{
	return find_tier(r->tiers, r->ntiers, name);
}

static void
print_threshold(struct buf *out, int metric, int64_t v)
{
	char m[32];

	if (metric == MET_SINGLE || metric == MET_TOTAL || metric == MET_TOPUP)
		buf_adds(out, money_fmt(v, m));
	else
		buf_addf(out, "%lld", (long long)v);
}

void
rules_print(const struct rules *r, struct buf *out)
{
	char m[32];
	int i;

	buf_addf(out, "%-14s %d\n", "hold_days", r->hold_days);
	buf_addf(out, "%-14s %d\n", "return_days", r->return_days);
	buf_addf(out, "%-14s %s\n", "earn_per", money_fmt(r->earn_per, m));
	buf_addf(out, "%-14s %lld\n", "redeem_rate", (long long)r->redeem_rate);
	buf_addf(out, "%-14s %lld\n", "redeem_min", (long long)r->redeem_min);
	buf_addf(out, "%-14s %lld\n", "redeem_step", (long long)r->redeem_step);
	buf_addf(out, "%-14s %s\n", "referral_pct", r->referraltext);
	buf_addf(out, "%-14s %d\n", "expire_months", r->expire_months);
	buf_addf(out, "%-14s %s\n", "downgrade",
	    r->downgrade == DOWN_FIT ? "fit" : "step");
	buf_addf(out, "%-14s %s\n", "birthday_window",
	    r->bday_month ? "month" : "day");
	buf_addf(out, "%-14s %d\n", "birthday_items", r->bday_items);
	buf_addf(out, "%-14s %s\n", "birthday_once", r->bday_once ? "yes" : "no");
	buf_addf(out, "%-14s %d\n", "own_months", r->own_months);
	buf_addf(out, "%-14s %d\n", "segment_days", r->segment_days);
	buf_addf(out, "%-14s %d\n\n", "vip_share", r->vip_share);
	for (i = 0; i < r->ntiers; i++) {
		const struct tier *t = &r->tiers[i];

		buf_addf(out, "tier %s discount=%d multiplier=%s validity=%d",
		    t->name, t->discount, t->multtext, t->validity);
		if (t->birthday >= 0)
			buf_addf(out, " birthday=%d", t->birthday);
		buf_addc(out, '\n');
	}
	buf_addc(out, '\n');
	for (i = 0; i < r->nupgrades; i++) {
		const struct upgrade *u = &r->upgrades[i];

		buf_addf(out, "upgrade %s %s %s ", r->tiers[u->from].name,
		    r->tiers[u->to].name, metric_names[u->metric]);
		print_threshold(out, u->metric, u->threshold);
		if (u->within)
			buf_addf(out, " within %d", u->within);
		buf_addc(out, '\n');
	}
	for (i = 0; i < r->nkeeps; i++) {
		const struct keep *k = &r->keeps[i];

		buf_addf(out, "keep %s %s ", r->tiers[k->tier].name,
		    metric_names[k->metric]);
		print_threshold(out, k->metric, k->threshold);
		if (k->grace)
			buf_addf(out, " grace %d", k->grace);
		buf_addc(out, '\n');
	}
	if (r->nupgrades || r->nkeeps)
		buf_addc(out, '\n');
	for (i = 0; i < r->nbands; i++)
		buf_addf(out, "band %s %d%s\n", r->bands[i].ratiotext,
		    r->bands[i].pct, r->bands[i].flat ? " flat" : "");
	buf_addc(out, '\n');
	if (r->nfollowups == 0)
		buf_adds(out, "followup none\n");
	for (i = 0; i < r->nfollowups; i++) {
		const struct followup *f = &r->followups[i];

		buf_addf(out, "followup %s after %d", f->name, f->after);
		if (f->min >= 0)
			buf_addf(out, " min %s", money_fmt(f->min, m));
		if (f->first)
			buf_adds(out, " first");
		if (f->referral)
			buf_adds(out, " referral");
		if (f->tier >= 0)
			buf_addf(out, " tier %s", r->tiers[f->tier].name);
		buf_addc(out, '\n');
	}
}
