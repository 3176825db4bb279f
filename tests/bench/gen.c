/* gen.c: a shop of MEMBERS members and SALES sales rows for make bench,
 * written straight in the ledger format, the same bytes for the same
 * arguments and seed.
 *
 * usage: gen [-s SEED] [-t TEMPLATE_DIR] MEMBERS SALES DIR
 *        gen [-s SEED] -B ROWS MEMBERS          # a sale-post batch on stdout
 *
 * Writes DIR/members.tsv, sales.tsv, points.tsv, tiers.tsv (header only)
 * and staff.tsv (a01..a10, active), then prints what the bench needs to
 * know, one "key value" line each: counts, the first and last days, a
 * suggested VIPLEDGER_NOW after the data, and a member with points to
 * spend.  With -t, each ledger's header line is taken from TEMPLATE_DIR
 * when the file is there (the columns of the programs at hand; later
 * columns are written empty), else the columns of SPEC section 2.
 *
 * Every row is one that the programs would have written under the
 * built-in rules: tier normal, band 0.00 100, multiplier 1, earn_per 1.00,
 * redeem_rate 100, hold_days 7, return_days 7, referral_pct 0.  A sale's
 * earned = floor(paid), available_on = date(at) + 7; a return by amount,
 * within 6 days of its sale, carries the exact differences of sale-return;
 * points are spent only when they are available then and stay so. */

#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"

#define DAY0_Y 2023		/* the shop's first day: 2023-01-01 */
#define DAYS 1096		/* three years, to 2025-12-31 */
#define OPEN_SECS (10 * 3600)	/* open 10:00 to 21:00 */
#define DAY_OPEN (11 * 3600)
#define HOLD_DAYS 7
#define RETURN_DAYS 7

static const char *me = "gen";

/* splitmix64: small, fast, and the same everywhere */
struct rng {
	uint64_t s;
};

static uint64_t
rnext(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 .. n-1 (n > 0); the bias of the modulo is far below what matters */
static uint64_t
below(struct rng *r, uint64_t n)
{
	return n ? rnext(r) % n : 0;
}

/* true with probability per/10000 */
static int
chance(struct rng *r, unsigned per)
{
	return below(r, 10000) < per;
}

static void
die_io(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", me, what, strerror(errno));
	exit(3);
}

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-s SEED] [-t TEMPLATE_DIR] MEMBERS SALES "
	    "DIR\n       %s [-s SEED] -B ROWS MEMBERS\n", me, me);
	exit(2);
}

/* ---- dates: day numbers from 1970-01-01, as lib/date.c has them ---- */

static long day0;

static char *
fmt_date(long day, char buf[11])
{
	int y, m, d;

	date_split(day0 + day, &y, &m, &d);
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
	return buf;
}

/* k counts the seconds the shop has been open since its first day */
static char *
fmt_time(uint64_t k, char buf[20])
{
	long day = (long)(k / DAY_OPEN), s = OPEN_SECS + (long)(k % DAY_OPEN);
	int y, m, d;

	date_split(day0 + day, &y, &m, &d);
	snprintf(buf, 20, "%04d-%02d-%02dT%02ld:%02ld:%02ld", y, m, d,
	    s / 3600, s / 60 % 60, s % 60);
	return buf;
}

static char *
fmt_money(int64_t cents, char buf[32])
{
	uint64_t a = cents < 0 ? (uint64_t)-cents : (uint64_t)cents;

	snprintf(buf, 32, "%s%llu.%02llu", cents < 0 ? "-" : "",
	    (unsigned long long)(a / 100), (unsigned long long)(a % 100));
	return buf;
}

/* ---- output files ---- */

struct out {
	FILE *f;
	int pad;		/* empty columns after the ones written here */
	char *vbuf;
};

static const char *const members_cols = "at\tmember\tname\tphone\tbirthday\t"
	"gender\temail\taddress\tsize\treferrer\tassociate\tstore\tcontact\tnote";
static const char *const sales_cols = "at\treceipt\tmember\tkind\tsale\t"
	"goods\tpoints_used\tpaid\tearned\tavailable_on\treferrer\t"
	"referral_points\ttier\tstore\tassociate\titems\tnote";
static const char *const points_cols = "at\tmember\tkind\tpoints\t"
	"available_on\tref\tnote";
static const char *const tiers_cols = "at\tmember\tevent\tfrom\tto\tsince\t"
	"expires\tstrikes\treason";
static const char *const staff_cols = "staff\tname\tactive";

/* The header to write: the template's first line, if any, which must
 * begin with the columns this program writes. */
static void
out_open(struct out *o, const char *dir, const char *tmpl, const char *name,
    const char *cols, const char *extra)
{
	char path[4096], line[4096];
	const char *hdr = NULL;
	FILE *t;
	int fd;

	o->pad = 0;
	if (tmpl) {
		snprintf(path, sizeof path, "%s/%s", tmpl, name);
		if ((t = fopen(path, "r"))) {
			if (fgets(line, sizeof line, t) && *line) {
				size_t n = strlen(cols);

				line[strcspn(line, "\n")] = '\0';
				if (strncmp(line, cols, n) != 0 ||
				    (line[n] && line[n] != '\t')) {
					fprintf(stderr, "%s: %s: the header does "
					    "not begin with the columns %s\n",
					    me, path, cols);
					exit(3);
				}
				for (const char *p = line + n; *p; p++)
					o->pad += *p == '\t';
				hdr = line;
			}
			fclose(t);
		}
	}
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    fchmod(fd, 0600) < 0 || !(o->f = fdopen(fd, "w")))
		die_io(path);
	o->vbuf = malloc(1 << 20);
	if (o->vbuf)
		setvbuf(o->f, o->vbuf, _IOFBF, 1 << 20);
	if (hdr) {
		fprintf(o->f, "%s\n", hdr);
	} else if (extra) {
		fprintf(o->f, "%s\t%s\n", cols, extra);
		o->pad = 1 + (int)(strchr(extra, '\t') != NULL);
	} else {
		fprintf(o->f, "%s\n", cols);
	}
}

/* ends a row: the empty trailing columns, then LF */
static void
out_end(struct out *o)
{
	for (int i = 0; i < o->pad; i++)
		putc('\t', o->f);
	putc('\n', o->f);
}

static void
out_close(struct out *o, const char *name)
{
	if (ferror(o->f) || fflush(o->f) == EOF || fsync(fileno(o->f)) < 0 ||
	    fclose(o->f) == EOF)
		die_io(name);
	free(o->vbuf);
}

/* ---- the shop ---- */

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨",
	"黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
	"高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹" };
static const char *const given[] = { "芳", "娜", "敏", "静", "丽", "艳",
	"娟", "霞", "婷", "雪", "琳", "洁", "颖", "慧", "倩", "晶", "燕", "玲",
	"佳", "欣", "伟", "强", "磊", "洋", "勇", "军", "杰", "涛", "明", "超" };
static const char *const latin[] = { "Vivian", "Jenny", "Grace", "Linda",
	"Coco", "Amy", "Cindy", "Helen", "Kevin", "Tony" };
static const char *const sizes[] = { "XS", "S", "S", "M", "M", "M", "L",
	"L", "XL", "" };
static const char *const stores[] = { "nanjing-rd", "huaihai-rd", "jingan" };
static const char *const notes[] = { "prefers dresses", "likes wool coats",
	"no calls after 20:00", "buys for her mother", "petite fit" };
static const char *const staff[][2] = { { "a01", "陈导购" },
	{ "a02", "李导购" }, { "a03", "Vivian" }, { "a04", "王导购" },
	{ "a05", "Jenny" }, { "a06", "赵导购" }, { "a07", "Grace" },
	{ "a08", "周导购" }, { "a09", "孙导购" }, { "a10", "Coco" } };
#define NSTAFF 10
#define N(a) (sizeof a / sizeof a[0])

/* shelf prices in yuan; a markdown sells some below list */
static const int prices[] = { 59, 99, 129, 159, 199, 239, 259, 299, 359,
	399, 459, 499, 599, 699, 799, 899, 1080, 1280, 1580, 1980, 2680 };

static uint64_t seed;
static unsigned long nmembers;

/* When member i (from 0) joins: a tenth on the opening day, the rest
 * spread over the years, all before the last month. */
static uint64_t
member_k(unsigned long i)
{
	unsigned long n0 = nmembers / 10 ? nmembers / 10 : 1;
	uint64_t span = (uint64_t)(DAYS - 31) * DAY_OPEN;

	if (i < n0)
		return (uint64_t)i * DAY_OPEN / n0;
	return DAY_OPEN + (uint64_t)(i - n0) * span / (nmembers - n0 + 1);
}

/* a phone that no other member number gives: 1, a carrier digit, and
 * nine digits from a bijection of n (3^18 is prime to 10^9) */
static void
phone_of(char buf[16], char carrier, uint64_t n)
{
	snprintf(buf, 16, "1%c%09llu", carrier,
	    (unsigned long long)((n * 387420489ULL + 123456789ULL) %
	    1000000000ULL));
}

static void
member_id(char buf[24], unsigned long i)
{
	snprintf(buf, 24, "M%06lu", i + 1);
}

struct record {
	char name[64], phone[16], birthday[24], email[40], address[96];
	const char *gender, *size, *note;
	unsigned long referrer;		/* 0: none, else index + 1 */
	int associate;			/* -1: none */
	int store, dnd;
};

/* A member's registration, from its number alone. */
static void
member_base(unsigned long i, struct record *r)
{
	struct rng g = { seed ^ (0xa0761d6478bd642fULL * (i + 1)) };
	static const char carriers[] = "3589";

	rnext(&g);
	if (chance(&g, 500))
		snprintf(r->name, sizeof r->name, "%s",
		    latin[below(&g, N(latin))]);
	else if (chance(&g, 6000))
		snprintf(r->name, sizeof r->name, "%s%s%s",
		    surnames[below(&g, N(surnames))], given[below(&g, N(given))],
		    given[below(&g, N(given))]);
	else
		snprintf(r->name, sizeof r->name, "%s%s",
		    surnames[below(&g, N(surnames))], given[below(&g, N(given))]);
	phone_of(r->phone, carriers[below(&g, 4)], i);
	r->birthday[0] = '\0';
	if (chance(&g, 6000)) {
		static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
			31, 30, 31 };
		int m = 1 + (int)below(&g, 12), d = 1 + (int)below(&g,
		    (uint64_t)md[m - 1]);

		if (chance(&g, 5000))
			snprintf(r->birthday, sizeof r->birthday, "%02d-%02d",
			    m, d);
		else
			snprintf(r->birthday, sizeof r->birthday,
			    "%04d-%02d-%02d", 1960 + (int)below(&g, 45), m, d);
	}
	r->gender = chance(&g, 8000) ? "F" : chance(&g, 7500) ? "M" : "";
	r->email[0] = '\0';
	if (chance(&g, 2000))
		snprintf(r->email, sizeof r->email, "m%lu@mail.example.com",
		    i + 1);
	r->address[0] = '\0';
	if (chance(&g, 1000))
		snprintf(r->address, sizeof r->address, "上海市黄浦区南京东路%d号",
		    1 + (int)below(&g, 999));
	r->size = sizes[below(&g, N(sizes))];
	r->referrer = i > 0 && chance(&g, 1000) ? 1 + below(&g, i) : 0;
	r->associate = chance(&g, 8000) ? (int)below(&g, NSTAFF) : -1;
	r->store = (int)below(&g, N(stores));
	r->dnd = chance(&g, 500);
	r->note = chance(&g, 300) ? notes[below(&g, N(notes))] : "";
}

static void
member_row(struct out *o, uint64_t k, unsigned long i, const struct record *r)
{
	char t[20], id[24], ref[24];

	if (r->referrer)
		member_id(ref, r->referrer - 1);
	else
		ref[0] = '\0';
	member_id(id, i);
	fprintf(o->f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s",
	    fmt_time(k, t), id, r->name, r->phone, r->birthday, r->gender,
	    r->email, r->address, r->size, ref,
	    r->associate >= 0 ? staff[r->associate][0] : "", stores[r->store],
	    r->dnd ? "dnd" : "ok", r->note);
	out_end(o);
}

/* members.tsv: registrations, and now and then a member's change (a new
 * phone, or do-not-disturb asked or lifted) on the day someone joins. */
static unsigned long
write_members(const char *dir, const char *tmpl)
{
	struct rng g = { seed ^ 0x4d454d42ULL };
	struct out o;
	struct record r;
	uint32_t *phone_edit = calloc(nmembers, sizeof *phone_edit);
	unsigned char *dnd_edit = calloc(nmembers, 1);
	unsigned long i, rows = 0, nedits = 0;

	if (!phone_edit || !dnd_edit)
		die_io("memory");
	out_open(&o, dir, tmpl, "members.tsv", members_cols, NULL);
	for (i = 0; i < nmembers; i++) {
		uint64_t k = member_k(i);

		if (i > 0 && chance(&g, 200)) {
			unsigned long e = below(&g, i);

			member_base(e, &r);
			if (phone_edit[e])
				phone_of(r.phone, '7', phone_edit[e] - 1);
			r.dnd ^= dnd_edit[e];
			if (chance(&g, 5000)) {
				phone_edit[e] = (uint32_t)++nedits;
				phone_of(r.phone, '7', nedits - 1);
			} else {
				dnd_edit[e] ^= 1;
				r.dnd ^= 1;
			}
			member_row(&o, k, e, &r);
			rows++;
		}
		member_base(i, &r);
		member_row(&o, k, i, &r);
		rows++;
	}
	out_close(&o, "members.tsv");
	free(phone_edit);
	free(dnd_edit);
	return rows;
}

/* A sale's items as typed at the till; returns goods in cents and the
 * price of its dearest unit. */
static int64_t
make_items(struct rng *g, char *buf, size_t cap, int64_t *unit)
{
	int n = 1 + (int)(chance(g, 4000) + chance(g, 2500) + chance(g, 1000));
	int64_t goods = 0;
	size_t len = 0;

	*unit = 0;
	for (int i = 0; i < n; i++) {
		int list = prices[below(g, N(prices))];
		int qty = chance(g, 8500) ? 1 : 2 + (int)below(g, 2);
		int64_t price = (int64_t)list * 100;
		char p[32], l[40] = "", q[8] = "", sku[12] = "";

		if (chance(g, 3000)) {
			/* a markdown to 40-90 % of list, to the yuan */
			price = (int64_t)list * (40 + (int)below(g, 51));
			price -= price % 100;
			if (price < 100)
				price = 100;
			snprintf(l, sizeof l, "/%d", list);
		}
		if (price % 100 == 0)
			snprintf(p, sizeof p, "%lld", (long long)(price / 100));
		else
			fmt_money(price, p);
		if (qty > 1)
			snprintf(q, sizeof q, "%dx", qty);
		if (chance(g, 2000))
			snprintf(sku, sizeof sku, "@%c%04d",
			    'A' + (int)below(g, 6), (int)below(g, 10000));
		len += (size_t)snprintf(buf + len, cap - len, "%s%s%s%s%s",
		    i ? "," : "", q, p, l, sku);
		goods += qty * price;
		if (price > *unit)
			*unit = price;
	}
	return goods;
}

/* a sale not yet available: its points wait here, and a return may
 * still come for it */
struct pending {
	unsigned long receipt, member;
	uint64_t k;
	long day;
	int64_t goods, used, earned, unit, ret_earned;
	int store, associate, returned;
};

struct queue {
	struct pending *v;
	size_t head, n, cap;
};

static void
queue_push(struct queue *q, const struct pending *p)
{
	if (q->n == q->cap) {
		if (q->head > 0) {
			memmove(q->v, q->v + q->head,
			    (q->n - q->head) * sizeof *q->v);
			q->n -= q->head;
			q->head = 0;
		}
		if (q->n == q->cap) {
			q->cap = q->cap ? 2 * q->cap : 4096;
			if (!(q->v = realloc(q->v, q->cap * sizeof *q->v)))
				die_io("memory");
		}
	}
	q->v[q->n++] = *p;
}

/* points of sales whose available_on has come by day today */
static void
mature(struct queue *q, long today, int64_t *bal)
{
	while (q->head < q->n && q->v[q->head].day + HOLD_DAYS <= today) {
		const struct pending *p = &q->v[q->head++];

		bal[p->member] += p->earned + p->ret_earned;
	}
}

static int64_t
floor_share(int64_t x, int64_t g1, int64_t g0)
{
	__int128 a = (__int128)x * g1;

	return (int64_t)(a / g0 - (a % g0 != 0 && a < 0));
}

struct counts {
	unsigned long member_rows, sales, returns, points;
	uint64_t lastk;
	unsigned long rich;
	int64_t rich_points;
};

static void
write_sales(const char *dir, const char *tmpl, unsigned long nsales,
    struct counts *c)
{
	struct rng g = { seed ^ 0x53414c45ULL };
	struct out so, po;
	struct queue q = { 0 };
	int64_t *bal = calloc(nmembers, sizeof *bal);
	unsigned long *referrer = calloc(nmembers, sizeof *referrer);
	unsigned char *assoc = calloc(nmembers, 1);
	unsigned char *store = calloc(nmembers, 1);
	uint64_t total = (uint64_t)DAYS * DAY_OPEN, step = total / nsales;
	unsigned long j, joined = 0, receipt = 0, refs = 0;
	struct record r;
	char t[20], d[11], id[24], ref[24], m1[32], m2[32], items[512];

	if (!bal || !referrer || !assoc || !store)
		die_io("memory");
	for (unsigned long i = 0; i < nmembers; i++) {
		member_base(i, &r);
		referrer[i] = r.referrer;
		assoc[i] = (unsigned char)(r.associate + 1);
		store[i] = (unsigned char)r.store;
	}
	out_open(&so, dir, tmpl, "sales.tsv", sales_cols,
	    "birthday_units\twallet");
	out_open(&po, dir, tmpl, "points.tsv", points_cols, NULL);
	for (j = 0; j < nsales; j++) {
		uint64_t k = (uint64_t)j * total / nsales + below(&g, step ? step : 1);
		long today = (long)(k / DAY_OPEN);
		size_t lo, hi;

		if (k >= total)
			k = total - 1;
		mature(&q, today, bal);
		while (joined < nmembers && member_k(joined) <= k)
			joined++;
		fmt_time(k, t);
		c->lastk = k;
		/* a return: one of the sales of the last six days */
		lo = q.head, hi = q.n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (q.v[mid].day + RETURN_DAYS - 1 < today)
				lo = mid + 1;
			else
				hi = mid;
		}
		struct pending *s = NULL;

		if (lo < q.n && chance(&g, 500))
			for (int tries = 0; tries < 4 && !s; tries++) {
				s = &q.v[lo + below(&g, q.n - lo)];
				if (s->returned)
					s = NULL;
			}
		if (s) {
			int64_t amount = chance(&g, 5000) || s->unit >= s->goods ?
			    s->goods : s->unit;
			int64_t g1 = s->goods - amount;
			int64_t used = floor_share(s->used, g1, s->goods) - s->used;
			int64_t earned = floor_share(s->earned, g1, s->goods) -
			    s->earned;
			/* redeem_rate 100: a point is a cent */
			int64_t paid = -amount - used;

			s->returned = 1;
			s->ret_earned = earned;
			bal[s->member] -= used;
			member_id(id, s->member);
			if (referrer[s->member])
				member_id(ref, referrer[s->member] - 1);
			else
				ref[0] = '\0';
			fprintf(so.f, "%s\tS%06lu\t%s\treturn\tS%06lu\t%s\t%lld\t"
			    "%s\t%lld\t%s\t%s\t0\tnormal\t%s\t%s\t\t%s", t,
			    ++receipt, id, s->receipt, fmt_money(-amount, m1),
			    (long long)used, fmt_money(paid, m2),
			    (long long)earned, fmt_date(s->day + HOLD_DAYS, d),
			    ref, stores[s->store],
			    s->associate ? staff[s->associate - 1][0] : "",
			    chance(&g, 3000) ? "wrong size" : "");
			out_end(&so);
			c->returns++;
		} else {
			struct pending p = { 0 };
			unsigned long m = below(&g, joined);
			int64_t goods = make_items(&g, items, sizeof items, &p.unit);
			int64_t used = 0, paid;

			if (bal[m] >= 100 && chance(&g, 400)) {
				int64_t most = bal[m] < goods ? bal[m] : goods;

				used = 100 * (1 + (int64_t)below(&g,
				    (uint64_t)(most / 100)));
				bal[m] -= used;
			}
			paid = goods - used;
			p.receipt = ++receipt;
			p.member = m;
			p.k = k;
			p.day = today;
			p.goods = goods;
			p.used = used;
			p.earned = paid / 100;
			p.store = chance(&g, 8500) ? store[m] :
			    (int)below(&g, N(stores));
			p.associate = chance(&g, 7000) && assoc[m] ? assoc[m] :
			    1 + (int)below(&g, NSTAFF);
			member_id(id, m);
			if (referrer[m])
				member_id(ref, referrer[m] - 1);
			else
				ref[0] = '\0';
			fprintf(so.f, "%s\tS%06lu\t%s\tsale\tS%06lu\t%s\t%lld\t%s\t"
			    "%lld\t%s\t%s\t0\tnormal\t%s\t%s\t%s\t", t, p.receipt,
			    id, p.receipt, fmt_money(goods, m1), (long long)used,
			    fmt_money(paid, m2), (long long)p.earned,
			    fmt_date(today + HOLD_DAYS, d), ref, stores[p.store],
			    staff[p.associate - 1][0], items);
			out_end(&so);
			queue_push(&q, &p);
			c->sales++;
		}
		/* now and then, points moved outside a sale */
		if (chance(&g, 30)) {
			unsigned long m = below(&g, joined);

			member_id(id, m);
			if (bal[m] >= 100 && chance(&g, 7000)) {
				int64_t most = bal[m] < 5000 ? bal[m] : 5000;
				int64_t n = 100 * (1 + (int64_t)below(&g,
				    (uint64_t)(most / 100)));

				bal[m] -= n;
				if (chance(&g, 5000))
					snprintf(ref, sizeof ref, "G%06lu", ++refs);
				else
					ref[0] = '\0';
				fprintf(po.f, "%s\t%s\tredeem\t-%lld\t%s\t%s\t%s", t,
				    id, (long long)n, fmt_date(today, d), ref,
				    chance(&g, 5000) ? "scarf" : "voucher");
			} else {
				int64_t n = 100 + 100 * (int64_t)below(&g, 20);

				bal[m] += n;
				fprintf(po.f, "%s\t%s\tadjust\t%lld\t%s\t\t%s", t,
				    id, (long long)n, fmt_date(today, d),
				    "goodwill: late delivery");
			}
			out_end(&po);
			c->points++;
		}
	}
	/* what is available the day after the data */
	mature(&q, DAYS, bal);
	c->rich = 0;
	for (unsigned long i = 1; i < nmembers; i++)
		if (bal[i] > bal[c->rich])
			c->rich = i;
	c->rich_points = bal[c->rich];
	out_close(&so, "sales.tsv");
	out_close(&po, "points.tsv");
	free(q.v);
	free(bal);
	free(referrer);
	free(assoc);
	free(store);
}

static void
write_small(const char *dir, const char *tmpl)
{
	struct out o;

	out_open(&o, dir, tmpl, "tiers.tsv", tiers_cols, NULL);
	out_close(&o, "tiers.tsv");
	out_open(&o, dir, tmpl, "staff.tsv", staff_cols, NULL);
	for (int i = 0; i < NSTAFF; i++) {
		fprintf(o.f, "%s\t%s\tyes", staff[i][0], staff[i][1]);
		out_end(&o);
	}
	out_close(&o, "staff.tsv");
}

/* A sale-post batch: member and items of rows rows, for members 1..n. */
static void
write_batch(unsigned long rows)
{
	struct rng g = { seed ^ 0x42415443ULL };
	char items[512], id[24];
	int64_t unit;

	printf("member\titems\tassociate\tstore\n");
	for (unsigned long i = 0; i < rows; i++) {
		member_id(id, below(&g, nmembers));
		make_items(&g, items, sizeof items, &unit);
		printf("%s\t%s\t%s\t%s\n", id, items,
		    staff[below(&g, NSTAFF)][0], stores[below(&g, N(stores))]);
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		die_io("stdout");
}

static unsigned long
count(const char *s, unsigned long min)
{
	char *e;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &e, 10);
	if (errno || e == s || *e || *s == '-' || v < min || v > 100000000UL)
		usage();
	return v;
}

int
main(int argc, char **argv)
{
	const char *tmpl = NULL, *dir;
	unsigned long nsales, batch = 0;
	struct counts c = { 0 };
	char d[11], t[20], id[24];
	int i;

	seed = 1;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "-s") == 0)
			seed = count(argv[++i], 0);
		else if (strcmp(argv[i], "-t") == 0)
			tmpl = argv[++i];
		else if (strcmp(argv[i], "-B") == 0)
			batch = count(argv[++i], 1);
		else
			usage();
	}
	day0 = date_ymd(DAY0_Y, 1, 1);
	if (batch) {
		if (argc - i != 1)
			usage();
		nmembers = count(argv[i], 1);
		write_batch(batch);
		return 0;
	}
	if (argc - i != 3)
		usage();
	nmembers = count(argv[i], 1);
	nsales = count(argv[i + 1], 1);
	dir = argv[i + 2];
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		die_io(dir);
	if (chmod(dir, 0700) < 0)
		die_io(dir);
	c.member_rows = write_members(dir, tmpl);
	write_sales(dir, tmpl, nsales, &c);
	write_small(dir, tmpl);
	printf("members %lu\nmember_rows %lu\nsales %lu\nreturns %lu\n"
	    "points %lu\n", nmembers, c.member_rows, c.sales, c.returns,
	    c.points);
	printf("first %s\n", fmt_date(0, d));
	printf("last %s\n", fmt_time(c.lastk, t));
	printf("now %sT12:00:00\n", fmt_date(DAYS, d));
	printf("today %s\n", fmt_date(DAYS, d));
	printf("year_ago %s\n", fmt_date(DAYS - 365, d));
	member_id(id, c.rich);
	printf("rich %s\nrich_points %lld\n", id, (long long)c.rich_points);
	if (fflush(stdout) == EOF || ferror(stdout))
		die_io("stdout");
	return 0;
}
