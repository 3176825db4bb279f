/* store.c: what writers and the till ask of the ledgers, answered from a
 * derived index under DIR/cache/ and the ledgers' tails. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

/*
 * The index is only a cache.  It holds, per ledger, what it has folded in
 * (the file's identity, the offset and line count folded, and a hash of
 * the last folded line), so a ledger replaced, cut or edited at its end
 * means a rebuild.  Rows past the folded offset are read from the ledger
 * itself, so an index that lags is slow, never wrong.
 *
 * Every fold is idempotent: a key is set to the same row again, a chain
 * takes a row only past its last one.  A writer killed while folding so
 * leaves an index the next writer folds again from the stamp, and an
 * entry past a ledger's stamp is never used: the ledger's tail answers
 * for those rows.  What was folded since the last sync is trusted only
 * within the same boot (the stamp names it); after a power cut the index
 * falls back to the stamp of its last sync and folds again from there.
 * Each file of the index carries the generation of its stamp, so a file
 * emptied, cut or put there from elsewhere means a rebuild.
 *
 * Readers take cache/.lock shared while they use the index, writers take
 * it exclusive (within -w) to change it; a writer that cannot have it
 * answers from the ledgers and leaves the index as it is.
 */

#define MAGIC "vlidx08"
#define SYNC_ROWS 4096		/* rows folded between syncs of the index */

enum { IX_MEMBERS, IX_PHONES, IX_RECEIPTS, IX_REFS, IX_RETURNS, IX_NTABS };
static const char *const tabname[IX_NTABS] = { "members.tab", "phones.tab",
	"receipts.tab", "refs.tab", "returns.tab" };

/* A member's slot, in members.dat. */
struct mrec {
	char id[40];
	char phone[24];		/* of the record in force */
	int64_t joined;
	int64_t first, last;	/* members.tsv offsets */
	uint64_t head[3];	/* chains: sales, points, tiers (node + 1) */
	uint64_t count[3];	/* their rows */
	uint64_t points[2];	/* her point movements summed (credits less
				   points used, chains 0 and 1): 128 bits,
				   low word first, as the map is only 8-byte
				   aligned */
	uint64_t assoc;		/* the hash of the associate in force */
	int64_t owner_since;	/* the day that associate's run began */
	int64_t lastoff[3];	/* each chain's last row (its ledger offset),
				   so that a fold need not read the node */
};

static const struct ledger *const indexed[NLEDGERS] = { &L_MEMBERS,
	&L_SALES, &L_POINTS, &L_TIERS };

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h ? h : 1;	/* 0 marks an empty slot */
}

static uint64_t
hash_key(const char *s)
{
	return hash_bytes(s, strlen(s));
}

/* A key's place in a table.  An automatic id, a capital and its number
 * (S000123, M000042), goes four slots after the number before it: the
 * ids a batch adds one after another then share the table's pages, where
 * a hash would dirty a page of it for each (a million receipts, nearly
 * every page of a table of a gigabyte); a key hashed among them finds a
 * free slot within a few. */
static uint64_t
tab_hash(const char *s)
{
	uint64_t n = 0;
	const char *p;

	if (*s < 'A' || *s > 'Z' || !s[1])
		return hash_key(s);
	for (p = s + 1; *p >= '0' && *p <= '9' && p - s <= 15; p++)
		n = n * 10 + (uint64_t)(*p - '0');
	if (*p)
		return hash_key(s);
	return (uint64_t)(unsigned char)*s << 56 | n << 2;
}

/* ---- files mapped in memory ---- */

static int
region_map(struct region *r, int fd, size_t len, int writable)
{
	void *p;

	if (len == 0)
		len = 4096;
	p = mmap(NULL, len, PROT_READ | (writable ? PROT_WRITE : 0),
	    MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return fail_sys("mmap the index: %s", strerror(errno));
	r->p = p;
	r->len = len;
	return 0;
}

static void
region_close(struct region *r)
{
	if (r->p)
		munmap(r->p, r->len);
	if (r->fd >= 0)
		close(r->fd);
	r->p = NULL;
	r->fd = -1;
}

/* Opens DIR/cache/NAME; a writer creates it with at least len bytes. */
static int
region_open(struct store *st, struct region *r, const char *name, size_t len)
{
	char path[PATH_MAX + 32];
	struct stat sb;

	snprintf(path, sizeof path, "%s/cache/%s", st->vl->dir, name);
	r->fd = open(path, (st->writer ? O_RDWR | O_CREAT : O_RDONLY) |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (r->fd < 0 || fstat(r->fd, &sb) < 0)
		return fail_sys("open %s: %s", path, strerror(errno));
	if (st->writer && sb.st_size == 0)
		fchmod(r->fd, 0600);	/* new: 0600 whatever the umask */
	if (st->writer && (size_t)sb.st_size < len) {
		if (ftruncate(r->fd, (off_t)len) < 0)
			return fail_sys("grow %s: %s", path, strerror(errno));
		sb.st_size = (off_t)len;
	}
	if (sb.st_size < 64)
		return fail_sys("%s: too short", path);
	return region_map(r, r->fd, (size_t)sb.st_size, st->writer);
}

/* A writer's region holds at least len bytes, growing by doubling. */
static int
region_reserve(struct region *r, size_t len)
{
	size_t n = r->len;

	if (len <= n)
		return 0;
	while (n < len)
		n *= 2;
	munmap(r->p, r->len);
	r->p = NULL;
	if (ftruncate(r->fd, (off_t)n) < 0)
		return fail_sys("grow the index: %s", strerror(errno));
	return region_map(r, r->fd, n, 1);
}

/* ---- the rows of a ledger at an offset ---- */

/* Reads the row at off of ledger l into st->row; its fields split. */
static int
row_at(struct store *st, int l, uint64_t off)
{
	struct rowbuf *rb = &st->row;
	ssize_t n;
	char *nl, *p;

	if (st->pre[l] && off < st->prelen[l] &&
	    (p = memchr(st->pre[l] + off, '\n', st->prelen[l] - off))) {
		n = p - (st->pre[l] + off);
		if ((size_t)n >= rb->cap)
			rb->p = erealloc(rb->p, rb->cap = (size_t)n + 1);
		memcpy(rb->p, st->pre[l] + off, (size_t)n + 1);
		nl = rb->p + n;
		goto split;
	}
	for (;;) {
		n = pread(st->fd[l], rb->p, rb->cap, (off_t)off);
		if (n < 0)
			return fail_sys("read %s: %s", indexed[l]->file,
			    strerror(errno));
		if ((nl = memchr(rb->p, '\n', (size_t)n)))
			break;
		if ((size_t)n < rb->cap)
			return fail_sys("%s: the index points past a row; "
			    "run ledger-check --repair", indexed[l]->file);
		rb->p = erealloc(rb->p, rb->cap *= 2);
	}
split:
	*nl = '\0';
	rb->len = (size_t)(nl - rb->p);
	for (rb->nf = 0, p = rb->p; rb->nf < TSV_MAXF; p++) {
		rb->f[rb->nf++] = p;
		if (!(p = strchr(p, '\t')))
			break;
		*p = '\0';
	}
	return 0;
}

/* ---- hash tables of keys to values: [cap, used, 0, generation], pairs ---- */

static uint64_t *
tab_hdr(struct store *st, int t)
{
	return (uint64_t *)st->tab[t].p;
}

static uint64_t *
tab_entry(struct store *st, int t, uint64_t i)
{
	return tab_hdr(st, t) + 4 + 2 * i;
}

static const struct mrec *
mrec_get(struct store *st, uint64_t slot)
{
	uint64_t *h = (uint64_t *)st->mrecs.p;

	if (slot >= h[0])
		return NULL;
	return (const struct mrec *)(st->mrecs.p + 64) + slot;
}

static const struct ixrow *
node_get(struct store *st, uint64_t n)
{
	uint64_t *h = (uint64_t *)st->nodes.p;

	if (n == 0 || n > h[0])
		return NULL;
	return (const struct ixrow *)(st->nodes.p + 64) + (n - 1);
}

/* Does the entry's value stand for key?  Checked against the member's
 * slot or the ledger row, so a hash that two keys share is harmless. */
static int
entry_is(struct store *st, int t, uint64_t v, const char *key)
{
	const struct mrec *m;
	const struct ixrow *nd;

	switch (t) {
	case IX_MEMBERS:
		return (m = mrec_get(st, v)) && strcmp(m->id, key) == 0;
	case IX_PHONES:
		return (m = mrec_get(st, v)) && strcmp(m->phone, key) == 0;
	case IX_RECEIPTS:
		return row_at(st, SALES, v) == 0 && st->row.nf > S_RECEIPT &&
		    strcmp(st->row.f[S_RECEIPT], key) == 0;
	case IX_REFS:
		return row_at(st, POINTS, v) == 0 && st->row.nf > P_REF &&
		    strcmp(st->row.f[P_REF], key) == 0;
	case IX_RETURNS:
		return (nd = node_get(st, v)) && row_at(st, SALES,
		    (uint64_t)nd->off) == 0 && st->row.nf > S_SALE &&
		    strcmp(st->row.f[S_SALE], key) == 0;
	}
	return 0;
}

/* The entry of key in table t, or NULL. */
static uint64_t *
tab_find(struct store *st, int t, const char *key)
{
	uint64_t h = tab_hash(key), cap, i, *e;

	if (!st->tab[t].p)
		return NULL;
	cap = tab_hdr(st, t)[0];
	for (i = h & (cap - 1); (e = tab_entry(st, t, i))[0];
	    i = (i + 1) & (cap - 1))
		if (e[0] == h && entry_is(st, t, e[1], key))
			return e;
	return NULL;
}

/* Doubles table t: only the hashes are needed to place the entries. */
static int
tab_grow(struct store *st, int t)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 40];
	struct region nr = { -1, NULL, 0 };
	uint64_t cap = tab_hdr(st, t)[0], ncap = 2 * cap, i, j, *e, *ne;
	size_t len = 32 + (size_t)ncap * 16;
	int fd;

	snprintf(path, sizeof path, "%s/cache/%s", st->vl->dir, tabname[t]);
	snprintf(tmp, sizeof tmp, "%s.new", path);
	unlink(tmp);
	if ((fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600)) < 0 || fchmod(fd, 0600) < 0 ||
	    ftruncate(fd, (off_t)len) < 0) {
		if (fd >= 0)
			close(fd);
		return fail_sys("grow %s: %s", path, strerror(errno));
	}
	nr.fd = fd;
	if (region_map(&nr, fd, len, 1) < 0) {
		region_close(&nr);
		return -1;
	}
	ne = (uint64_t *)nr.p;
	ne[0] = ncap;
	ne[1] = tab_hdr(st, t)[1];
	ne[3] = tab_hdr(st, t)[3];
	for (i = 0; i < cap; i++) {
		e = tab_entry(st, t, i);
		if (!e[0])
			continue;
		for (j = e[0] & (ncap - 1); ne[4 + 2 * j];
		    j = (j + 1) & (ncap - 1))
			;
		ne[4 + 2 * j] = e[0];
		ne[4 + 2 * j + 1] = e[1];
	}
	/* whole on disk before it takes the old one's name */
	if (msync(nr.p, nr.len, MS_SYNC) < 0 || rename(tmp, path) < 0 ||
	    dir_fsync(st->cachedir) < 0) {
		region_close(&nr);
		unlink(tmp);
		return fail_sys("grow %s: %s", path, strerror(errno));
	}
	region_close(&st->tab[t]);
	st->tab[t] = nr;
	return 0;
}

/* Sets key to v: the entry that stands for key, or a new one. */
static int
tab_set(struct store *st, int t, const char *key, uint64_t v)
{
	uint64_t h = tab_hash(key), cap, i, *e;

	cap = tab_hdr(st, t)[0];
	for (i = h & (cap - 1); (e = tab_entry(st, t, i))[0];
	    i = (i + 1) & (cap - 1))
		if (e[0] == h && entry_is(st, t, e[1], key)) {
			e[1] = v;
			return 0;
		}
	e[1] = v;
	e[0] = h;
	if (++tab_hdr(st, t)[1] * 2 > cap)
		return tab_grow(st, t);
	return 0;
}

/* Adds a phone's entry for a member: one entry per member that held it,
 * so a phone typed twice by hand and put right later still finds the
 * member whose current phone it is. */
static int
tab_add_phone(struct store *st, const char *key, uint64_t slot)
{
	uint64_t h = tab_hash(key), cap, i, *e;

	cap = tab_hdr(st, IX_PHONES)[0];
	for (i = h & (cap - 1); (e = tab_entry(st, IX_PHONES, i))[0];
	    i = (i + 1) & (cap - 1))
		if (e[0] == h && e[1] == slot)
			return 0;	/* folded before */
	e[1] = slot;
	e[0] = h;
	if (++tab_hdr(st, IX_PHONES)[1] * 2 > cap)
		return tab_grow(st, IX_PHONES);
	return 0;
}

/* ---- arrays: [n, generation, ...] in 64 bytes, then the items ---- */

static int
array_push(struct region *r, const void *item, size_t size, uint64_t *index)
{
	uint64_t *h = (uint64_t *)r->p;

	if (region_reserve(r, 64 + (h[0] + 1) * size) < 0)
		return -1;
	h = (uint64_t *)r->p;
	memcpy(r->p + 64 + h[0] * size, item, size);
	*index = h[0]++;
	return 0;
}

/* Adds a row to a chain, unless the chain has it (a fold done again):
 * 1 added, 0 had it. */
static int
chain_add(struct store *st, uint64_t *head, const struct ixrow *nd)
{
	const struct ixrow *last = node_get(st, *head);
	struct ixrow n = *nd;
	uint64_t ix;

	if (last && last->off >= n.off)
		return 0;
	n.prev = *head;
	if (array_push(&st->nodes, &n, sizeof n, &ix) < 0)
		return -1;
	*head = ix + 1;
	return 1;
}

static struct mrec *mrec_mut(struct store *st, uint64_t slot);

static wide_t
points_get(const uint64_t w[2])
{
	return (wide_t)((unsigned __int128)w[1] << 64 | w[0]);
}

static void
points_add(uint64_t w[2], wide_t v)
{
	unsigned __int128 s = (unsigned __int128)points_get(w) +
	    (unsigned __int128)v;

	w[0] = (uint64_t)s;
	w[1] = (uint64_t)(s >> 64);
}

/* Adds a row to chain c of the member at slot, unless the chain has it
 * (a fold done again), as chain_add; her record says where the chain
 * ends, not its last node, which lies anywhere in nodes.dat. */
static int
member_add(struct store *st, uint64_t slot, int c, const struct ixrow *nd)
{
	struct mrec *m = mrec_mut(st, slot);
	struct ixrow n = *nd;
	uint64_t ix;

	if (m->head[c] && m->lastoff[c] >= n.off)
		return 0;
	n.prev = m->head[c];
	if (array_push(&st->nodes, &n, sizeof n, &ix) < 0)
		return -1;
	m->head[c] = ix + 1;
	m->lastoff[c] = n.off;
	m->count[c]++;
	/* as store_movements would add it up, once per row: a fold done
	 * again adds nothing */
	if (c < 2)
		points_add(m->points, (wide_t)nd->credit -
		    (nd->kind == K_BUYER ? nd->used : 0));
	return 0;
}

static struct mrec *
mrec_mut(struct store *st, uint64_t slot)
{
	return (struct mrec *)(st->mrecs.p + 64) + slot;
}

/* The slot of member id, made when new. */
static int
member_slot(struct store *st, const char *id, const char *assoc, int64_t at,
    uint64_t off, uint64_t *slot)
{
	struct mrec m;
	uint64_t *e;

	if ((e = tab_find(st, IX_MEMBERS, id))) {
		*slot = e[1];
		return 0;
	}
	memset(&m, 0, sizeof m);
	snprintf(m.id, sizeof m.id, "%s", id);
	m.joined = at;
	m.first = m.last = (int64_t)off;
	m.assoc = hash_key(assoc);
	m.owner_since = TIME_DAY(at);
	if (array_push(&st->mrecs, &m, sizeof m, slot) < 0)
		return -1;
	return tab_set(st, IX_MEMBERS, id, *slot);
}

/* ---- folding rows into the index ---- */

/* A return's sale, for what reports and tier-recalc add up: the row with
 * its receipt, when that is a sale before it. */
static void
return_of(struct store *st, const struct tsv *t, struct ixrow *nd)
{
	uint64_t *e = tab_find(st, IX_RECEIPTS, t->f[S_SALE]);
	vltime_t at;

	nd->saleoff = -1;
	if (!e || e[1] >= (uint64_t)nd->off)
		return;		/* none, or a fold never stamped put it there */
	/* tab_find read the row it found into st->row */
	if (st->row.nf <= S_KIND || strcmp(st->row.f[S_KIND], "sale") != 0 ||
	    time_parse(st->row.f[S_AT], strlen(st->row.f[S_AT]), &at) < 0)
		return;
	nd->saleday = (int32_t)TIME_DAY(at);
	nd->saleoff = (int64_t)e[1];
}

/* Has a return before the row at off named receipt as its sale? */
static int
returned_before(struct store *st, const char *receipt, int64_t off)
{
	const struct ixrow *nd;
	uint64_t *e = tab_find(st, IX_RETURNS, receipt), head;

	for (head = e ? e[1] : 0; (nd = node_get(st, head)); head = nd->prev)
		if (nd->off < off)
			return 1;
	return 0;
}

/* ---- the members of sales rows found ahead of their fold ---- */

/*
 * A thread reads the sales rows ahead of the fold, straight from the
 * file, and finds each one's member and referrer in the table of members:
 * the fold takes the places it is given, once it has seen they are hers,
 * and finds the lines of the table and of members.dat at hand.  Nothing
 * it reads is written by a fold of sales.tsv (the table of members, the
 * ids of members.dat), and it says nothing: a place it could not give is
 * found by the fold, as without it.
 */
#define AHEAD 8192		/* places found ahead of the fold, at most */

static const uint64_t *member_probe(const struct store *st, int t,
    const char *key);

struct ahead {
	struct store *st;
	int fd;
	uint64_t from, to;	/* the rows to read */
	struct hint {
		uint64_t off;	/* the row's offset */
		int64_t buyer, referrer;	/* places, -1: none found */
	} v[AHEAD];
	atomic_size_t made;	/* rows given places */
	atomic_size_t folded;	/* rows the fold took in */
	atomic_int stop;
	pthread_t th;
};

/* Field n of the line at p (ending at LF) into out: 0 when it is not
 * there, or too long to be a member's id. */
static int
line_field(const char *p, const char *end, int n, char *out, size_t size)
{
	const char *q;

	for (; n > 0; n--) {
		if (!(p = memchr(p, '\t', (size_t)(end - p))))
			return 0;
		p++;
	}
	q = memchr(p, '\t', (size_t)(end - p));
	if (!q)
		q = end;
	if ((size_t)(q - p) >= size)
		return 0;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return 1;
}

static int64_t
ahead_place(const struct store *st, const char *id)
{
	const uint64_t *e = *id ? member_probe(st, IX_MEMBERS, id) : NULL;

	return e ? (int64_t)e[1] : -1;
}

static void *
ahead_run(void *arg)
{
	enum { CHUNK = 1 << 20 };
	struct ahead *a = arg;
	struct timespec pause = { 0, 50 * 1000 };
	char *buf = malloc(CHUNK), id[40];
	const char *p, *nl, *end;
	struct hint *h;
	uint64_t at = a->from;
	ssize_t got;
	size_t made = 0;

	while (buf && !atomic_load(&a->stop) && at < a->to) {
		got = pread(a->fd, buf, a->to - at < CHUNK ? (size_t)(a->to -
		    at) : CHUNK, (off_t)at);
		if (got <= 0)
			break;
		end = buf + got;
		for (p = buf; (nl = memchr(p, '\n', (size_t)(end - p)));
		    p = nl + 1) {
			while (made + 1 >= atomic_load_explicit(&a->folded,
			    memory_order_acquire) + AHEAD)
				if (atomic_load(&a->stop))
					goto out;
				else
					nanosleep(&pause, NULL);
			h = &a->v[made % AHEAD];
			h->off = at + (uint64_t)(p - buf);
			h->buyer = line_field(p, nl, S_MEMBER, id, sizeof id) ?
			    ahead_place(a->st, id) : -1;
			h->referrer = line_field(p, nl, S_REFERRER, id,
			    sizeof id) ? ahead_place(a->st, id) : -1;
			atomic_store_explicit(&a->made, ++made,
			    memory_order_release);
		}
		if (p == buf)
			break;	/* a line longer than the chunk */
		at += (uint64_t)(p - buf);
	}
out:
	free(buf);
	return NULL;
}

/* The helper for the rows of sales.tsv from off (a row's start) to its
 * end, when they are many: NULL when there is none. */
static struct ahead *
ahead_start(struct store *st, uint64_t off)
{
	struct ahead *a;
	struct stat sb;

	if (fstat(st->fd[SALES], &sb) < 0 || (uint64_t)sb.st_size <= off ||
	    (uint64_t)sb.st_size - off < 64 * 1024 ||
	    !st->tab[IX_MEMBERS].p || !st->mrecs.p ||
	    !(a = calloc(1, sizeof *a)))
		return NULL;
	a->st = st;
	a->fd = st->fd[SALES];
	a->from = off;
	a->to = (uint64_t)sb.st_size;
	atomic_init(&a->made, 0);
	atomic_init(&a->folded, 0);
	atomic_init(&a->stop, 0);
	if (pthread_create(&a->th, NULL, ahead_run, a) != 0) {
		free(a);
		return NULL;
	}
	return a;
}

static void
ahead_stop(struct ahead *a)
{
	if (!a)
		return;
	atomic_store(&a->stop, 1);
	pthread_join(a->th, NULL);
	free(a);
}

/* The hint for the k-th row of the fold, at off: NULL when not made. */
static const struct hint *
ahead_hint(struct ahead *a, size_t k, uint64_t off)
{
	const struct hint *h;

	if (!a)
		return NULL;
	atomic_store_explicit(&a->folded, k, memory_order_release);
	if (k >= atomic_load_explicit(&a->made, memory_order_acquire))
		return NULL;
	h = &a->v[k % AHEAD];
	return h->off == off ? h : NULL;
}

/* The records of the members of the row d rows on, where the helper
 * found them: fetched while the rows before are folded. */
static void
ahead_fetch(struct store *st, struct ahead *a, size_t k)
{
	enum { D = 32 };
	const struct hint *h;
	const char *m;
	int i;

	if (!a || k + D >= atomic_load_explicit(&a->made, memory_order_acquire))
		return;
	h = &a->v[(k + D) % AHEAD];
	for (i = 0; i < 2; i++) {
		if ((i ? h->referrer : h->buyer) < 0)
			continue;
		m = (const char *)mrec_get(st, (uint64_t)(i ? h->referrer :
		    h->buyer));
		if (m) {
			PREFETCH(m);
			PREFETCH(m + 64);
			PREFETCH(m + 128);
		}
	}
}

/* The place of member id, as the table of members has it; ahead: the
 * one the helper found (-1: none), taken when it is hers. */
static int
member_place(struct store *st, const char *id, int64_t ahead, uint64_t *slot)
{
	const struct mrec *m;
	uint64_t *e;

	if (ahead >= 0 && (m = mrec_get(st, (uint64_t)ahead)) &&
	    strcmp(m->id, id) == 0) {
		*slot = (uint64_t)ahead;
		return 1;
	}
	if (!(e = tab_find(st, IX_MEMBERS, id)))
		return 0;
	*slot = e[1];
	return 1;
}

static int
fold_sale(struct store *st, const struct tsv *t, struct ixrow *nd,
    const struct hint *h)
{
	struct lstamp *ls = &st->stamp.now[SALES];
	uint64_t *e, head, buyer = UINT64_MAX, slot;
	struct item *items;
	size_t nitems;
	int isret = strcmp(t->f[S_KIND], "return") == 0;
	long k;

	if (!(e = tab_find(st, IX_RECEIPTS, t->f[S_RECEIPT]))) {
		if (tab_set(st, IX_RECEIPTS, t->f[S_RECEIPT],
		    (uint64_t)nd->off) < 0)
			return -1;
	} else if (e[1] != (uint64_t)nd->off) {
		ls->odd++;	/* a receipt given twice */
	}
	if ((k = auto_id_number(t->f[S_RECEIPT], 'S')) > 0 &&
	    (uint64_t)k > st->stamp.maxs)
		st->stamp.maxs = (uint64_t)k;
	if (!isret && returned_before(st, t->f[S_RECEIPT], nd->off))
		ls->odd++;
	nd->avail = (int32_t)tsv_date(t, S_AVAILABLE_ON);
	if (member_place(st, t->f[S_MEMBER], h ? h->buyer : -1, &buyer)) {
		nd->kind = K_BUYER;
		nd->credit = tsv_int(t, S_EARNED);
		nd->used = tsv_int(t, S_POINTS_USED);
		nd->goods = tsv_money(t, S_GOODS);
		nd->paid = tsv_money(t, S_PAID);
		nd->wallet = t->fl[S_WALLET] ? tsv_money(t, S_WALLET) : 0;
		nd->slot = (uint32_t)buyer;
		nd->isreturn = (uint8_t)isret;
		nd->saleoff = -1;
		if (isret) {
			return_of(st, t, nd);
		} else if (items_parse(t->f[S_ITEMS], t->fl[S_ITEMS], &items,
		    &nitems) == 0) {
			nd->units = item_fullprice_units(items, nitems);
			free(items);
		} else {
			free(items);
		}
		if (member_add(st, buyer, 0, nd) < 0)
			return -1;
		ls->buyers++;
	} else {
		ls->odd++;
	}
	nd->goods = nd->paid = nd->units = nd->saleoff = nd->wallet = 0;
	nd->saleday = 0;
	nd->isreturn = 0;
	if (*t->f[S_REFERRER] && tsv_int(t, S_REFERRAL_POINTS)) {
		if (!member_place(st, t->f[S_REFERRER], h ? h->referrer : -1,
		    &slot) || slot == buyer) {
			ls->odd++;	/* her own referrer: one row, one place */
		} else {
			nd->kind = K_REFERRER;
			nd->credit = tsv_int(t, S_REFERRAL_POINTS);
			nd->used = 0;
			nd->slot = (uint32_t)slot;
			if (member_add(st, slot, 0, nd) < 0)
				return -1;
		}
	}
	if (isret) {
		nd->kind = K_RETURN;
		nd->credit = nd->used = 0;
		nd->slot = 0;
		e = tab_find(st, IX_RETURNS, t->f[S_SALE]);
		head = e ? e[1] : 0;
		if (chain_add(st, &head, nd) < 0 ||
		    tab_set(st, IX_RETURNS, t->f[S_SALE], head) < 0)
			return -1;
	}
	return 0;
}


static int
fold_row(struct store *st, int l, const struct tsv *t, uint64_t off,
    const struct hint *h)
{
	struct ixrow nd;
	uint64_t slot, *e;
	struct mrec *m;
	long k;

	memset(&nd, 0, sizeof nd);
	nd.off = (int64_t)off;
	nd.at = tsv_time(t, 0);
	if (nd.at > st->stamp.now[l].maxat)
		st->stamp.now[l].maxat = nd.at;
	switch (l) {
	case MEMBERS:
		if (strlen(t->f[M_MEMBER]) >= sizeof m->id ||
		    strlen(t->f[M_PHONE]) >= sizeof m->phone)
			return fail_sys("%s:%ld: member or phone too long",
			    t->name, t->lineno);
		if (member_slot(st, t->f[M_MEMBER], t->f[M_ASSOCIATE], nd.at,
		    off, &slot) < 0)
			return -1;
		m = mrec_mut(st, slot);
		if ((int64_t)off >= m->last) {
			m->last = (int64_t)off;
			/* a fold again of the same row changes nothing */
			if (hash_key(t->f[M_ASSOCIATE]) != m->assoc) {
				m->assoc = hash_key(t->f[M_ASSOCIATE]);
				m->owner_since = TIME_DAY(nd.at);
			}
			snprintf(m->phone, sizeof m->phone, "%s",
			    t->f[M_PHONE]);
			if (*m->phone &&
			    tab_add_phone(st, t->f[M_PHONE], slot) < 0)
				return -1;
		}
		if ((k = auto_id_number(t->f[M_MEMBER], 'M')) > 0 &&
		    (uint64_t)k > st->stamp.maxm)
			st->stamp.maxm = (uint64_t)k;
		return 0;
	case SALES:
		return fold_sale(st, t, &nd, h);
	case POINTS:
		if (*t->f[P_REF] && !tab_find(st, IX_REFS, t->f[P_REF]) &&
		    tab_set(st, IX_REFS, t->f[P_REF], off) < 0)
			return -1;
		if (!(e = tab_find(st, IX_MEMBERS, t->f[P_MEMBER]))) {
			st->stamp.now[POINTS].odd++;
			return 0;
		}
		nd.kind = K_POINTS;
		nd.avail = (int32_t)tsv_date(t, P_AVAILABLE_ON);
		nd.credit = tsv_int(t, P_POINTS);
		nd.slot = (uint32_t)e[1];
		nd.expire = strcmp(t->f[P_KIND], "expire") == 0;
		return member_add(st, e[1], 1, &nd);
	case TIERS:
		if (!(e = tab_find(st, IX_MEMBERS, t->f[T_MEMBER]))) {
			st->stamp.now[TIERS].odd++;
			return 0;
		}
		nd.kind = K_TIER;
		nd.slot = (uint32_t)e[1];
		return member_add(st, e[1], 2, &nd);
	}
	return 0;
}

/* A row's fields, as the check of a stamp's last line. */
static uint64_t
fields_hash(char *const *f, int nf)
{
	uint64_t h = 14695981039346656037ULL;
	const char *p;
	int i;

	for (i = 0; i < nf; i++)
		for (p = f[i]; ; p++) {
			h = (h ^ (unsigned char)(*p ? *p : '\t')) *
			    1099511628211ULL;
			if (!*p)
				break;
		}
	return h;
}

/* The length of the row just read, LF included. */
static uint64_t
row_len(const struct tsv *t)
{
	uint64_t n = (uint64_t)t->nf;
	int i;

	for (i = 0; i < t->nf; i++)
		n += t->fl[i];
	return n;
}

/* Ledger l from its stamp on, read through the store's own descriptor
 * (no file is opened again once the store is open); rows come with
 * tsv_row.  0: the ledger did not exist when the store was opened. */
static int
tail_open(struct store *st, int l, struct tsv *t, const struct lstamp *ls)
{
	const struct ledger *led = indexed[l];

	if (st->fd[l] < 0)
		return 0;
	if (lseek(st->fd[l], (off_t)ls->folded, SEEK_SET) < 0)
		return fail_sys("seek %s: %s", led->file, strerror(errno));
	tsv_fdopen(t, st->fd[l], led->file, 0);
	t->off = (off_t)ls->folded;
	t->lineno = (long)ls->lines;
	if (ls->folded == 0 && tsv_header(t, led) < 0)
		tsv_fail(t);
	return 1;
}

/* The hash of the row at off, read as the fold read it (t). */
static int
row_hash(struct store *st, int l, const struct tsv *t, uint64_t off,
    uint64_t *h)
{
	struct tsv r;
	int got;

	if (lseek(st->fd[l], (off_t)off, SEEK_SET) < 0)
		return fail_sys("seek %s: %s", indexed[l]->file,
		    strerror(errno));
	tsv_fdopen(&r, st->fd[l], indexed[l]->file, 0);
	r.off = (off_t)off;
	r.crlf = t->crlf;
	r.oldcols = t->oldcols;
	if ((got = tsv_row(&r, indexed[l])))
		*h = fields_hash(r.f, r.nf);
	if (tsv_close(&r) < 0)
		return -1;
	return got ? 0 : fail_sys("%s: a row folded is gone", indexed[l]->file);
}

/* Folds ledger l from its stamp to its end into the index.  Only the
 * last row's hash is kept: it is made once, at the end. */
static int
fold_ledger(struct store *st, int l)
{
	struct lstamp *ls = &st->stamp.now[l];
	struct ahead *a = NULL;
	struct tsv t;
	uint64_t off, len;
	size_t k;
	int rc = 0, any = 0;

	if ((rc = tail_open(st, l, &t, ls)) <= 0)
		return rc;
	if (l == SALES)
		a = ahead_start(st, (uint64_t)t.off);	/* past a header */
	rc = 0;
	for (k = 0; rc == 0 && tsv_row(&t, indexed[l]); k++) {
		len = row_len(&t);
		off = (uint64_t)t.off - len;
		ahead_fetch(st, a, k);
		if ((rc = fold_row(st, l, &t, off, ahead_hint(a, k, off))) < 0)
			break;
		ls->folded = (uint64_t)t.off;
		ls->lines = (uint64_t)t.lineno;
		ls->lastoff = off;
		ls->rows++;
		any = 1;
	}
	ahead_stop(a);
	if (tsv_close(&t) < 0)
		rc = -1;
	if (rc == 0 && any && row_hash(st, l, &t, ls->lastoff,
	    &ls->lasthash) < 0)
		rc = -1;
	return rc;
}

static int store_settle(struct store *);
static void store_noindex(struct store *);

/* ---- the stamp ---- */

static uint64_t
stamp_sum(const struct stampdata *s)
{
	return hash_bytes((const char *)s, offsetof(struct stampdata, sum));
}

/* This boot, where the system says; "" elsewhere (then only what was
 * synced is trusted). */
static void
boot_id(char buf[40])
{
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, 39) : 0;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
}

/* The hash of the last folded line of ledger l as it is now. */
static int
last_line_hash(struct store *st, int l, const struct lstamp *ls,
    uint64_t *h)
{
	if (row_at(st, l, ls->lastoff) < 0)
		return -1;
	*h = fields_hash(st->row.f, st->row.nf);
	return 0;
}

/* Does the stamp of ledger l still describe the file? */
static int
stamp_holds(struct store *st, int l, const struct lstamp *ls)
{
	struct stat sb;
	uint64_t h;
	int saved = vl_status;
	char err[sizeof vl_err];

	if (ls->folded == 0)
		return 1;	/* nothing folded: nothing to be wrong */
	if (st->fd[l] < 0 || fstat(st->fd[l], &sb) < 0 ||
	    (uint64_t)sb.st_dev != ls->dev || (uint64_t)sb.st_ino != ls->ino ||
	    (uint64_t)sb.st_size < ls->folded)
		return 0;
	memcpy(err, vl_err, sizeof err);
	if (last_line_hash(st, l, ls, &h) < 0 || h != ls->lasthash ||
	    st->row.len + 1 + ls->lastoff != ls->folded) {
		memcpy(vl_err, err, sizeof err);
		vl_status = saved;
		return 0;
	}
	return 1;
}

/* Reads the stamp; an absent, torn or foreign one reads as nothing
 * folded (-1).  Of the folds since the last sync, only this boot's count:
 * in another boot the stamp falls back to its last sync (1). */
static int
stamp_read(struct store *st)
{
	struct stampdata *s = &st->stamp;
	char boot[40];
	int l;

	memset(s, 0, sizeof *s);
	if (st->stampfd < 0 || pread(st->stampfd, s, sizeof *s, 0) !=
	    (ssize_t)sizeof *s || memcmp(s->magic, MAGIC, sizeof MAGIC) != 0 ||
	    s->sum != stamp_sum(s)) {
		memset(s, 0, sizeof *s);
		memcpy(s->magic, MAGIC, sizeof MAGIC);
		return -1;
	}
	boot_id(boot);
	if (*boot && strcmp(boot, s->boot) == 0)
		return 0;
	for (l = 0; l < NLEDGERS; l++)
		s->now[l] = s->sure[l];
	return 1;
}

static int
stamp_write(struct store *st)
{
	st->stamp.sum = stamp_sum(&st->stamp);
	if (pwrite(st->stampfd, &st->stamp, sizeof st->stamp, 0) !=
	    (ssize_t)sizeof st->stamp)
		return fail_sys("write the index's stamp: %s", strerror(errno));
	return 0;
}

/* Makes the folds so far durable: the index first, then the stamp that
 * says so (its page reaches the disk after theirs, whenever it does). */
static int
index_sync(struct store *st)
{
	int t, l;

	for (t = 0; t < IX_NTABS; t++)
		if (msync(st->tab[t].p, st->tab[t].len, MS_SYNC) < 0)
			return fail_sys("sync the index: %s", strerror(errno));
	if (msync(st->mrecs.p, st->mrecs.len, MS_SYNC) < 0 ||
	    msync(st->nodes.p, st->nodes.len, MS_SYNC) < 0)
		return fail_sys("sync the index: %s", strerror(errno));
	for (l = 0; l < NLEDGERS; l++)
		st->stamp.sure[l] = st->stamp.now[l];
	return 0;
}

static void
index_close(struct store *st)
{
	int t;

	for (t = 0; t < IX_NTABS; t++)
		region_close(&st->tab[t]);
	region_close(&st->mrecs);
	region_close(&st->nodes);
}

/* Empties the index: a rebuild folds every ledger from its start. */
static int
index_reset(struct store *st)
{
	char path[PATH_MAX + 32];
	int t;

	index_close(st);
	for (t = 0; t < IX_NTABS; t++) {
		snprintf(path, sizeof path, "%s/%s", st->cachedir, tabname[t]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/members.dat", st->cachedir);
	unlink(path);
	snprintf(path, sizeof path, "%s/nodes.dat", st->cachedir);
	unlink(path);
	memset(&st->stamp, 0, sizeof st->stamp);
	memcpy(st->stamp.magic, MAGIC, sizeof MAGIC);
	/* the files of this index, and no other, carry its generation */
	st->stamp.gen = ((uint64_t)time(NULL) << 20 ^ (uint64_t)getpid()) | 1;
	st->building = 1;	/* index_open may make its files */
	return 0;
}

/* A new table's slots: twice the keys its ledger's bytes could hold at
 * 64 bytes a row, so that a rebuild never grows it and the rows of the
 * next days do not either. */
static uint64_t
tab_presize(const struct store *st, int t)
{
	static const int ledger[IX_NTABS] = { MEMBERS, MEMBERS, SALES, POINTS,
	    SALES };
	uint64_t want = st->size[ledger[t]] / 64 * 2, cap = 1024;

	if (t == IX_RETURNS)
		want /= 16;	/* a return is a row in many */
	while (cap < want && cap < ((uint64_t)1 << 40))
		cap *= 2;
	return cap;
}

static int
index_open(struct store *st)
{
	uint64_t *h, cap;
	int t;

	for (t = 0; t < IX_NTABS; t++) {
		cap = st->building ? tab_presize(st, t) : 1024;
		if (region_open(st, &st->tab[t], tabname[t], 32 + cap * 16) < 0)
			return -1;
		h = tab_hdr(st, t);
		if (st->building && h[0] == 0 && h[3] == 0) {
			h[0] = cap;
			h[3] = st->stamp.gen;
		}
		if (h[3] != st->stamp.gen || h[0] == 0 ||
		    (h[0] & (h[0] - 1)) != 0 || st->tab[t].len < 32 + h[0] * 16)
			return fail_sys("%s: not of this index", tabname[t]);
	}
	if (region_open(st, &st->mrecs, "members.dat", 64 + 1024 *
	    sizeof(struct mrec)) < 0 || region_open(st, &st->nodes,
	    "nodes.dat", 64 + 1024 * sizeof(struct ixrow)) < 0)
		return -1;
	for (t = 0; t < 2; t++) {
		struct region *r = t ? &st->nodes : &st->mrecs;
		size_t size = t ? sizeof(struct ixrow) : sizeof(struct mrec);

		h = (uint64_t *)r->p;
		if (st->building && h[0] == 0 && h[1] == 0)
			h[1] = st->stamp.gen;
		if (h[1] != st->stamp.gen || 64 + h[0] * size > r->len)
			return fail_sys("the index's arrays are not of it");
	}
	return 0;
}

/* The cache lock: shared to read the index, exclusive to change it. */
static int
cache_lock(struct store *st, int how)
{
	char path[PATH_MAX + 32];
	struct timespec pause = { 0, 2 * 1000 * 1000 };
	double waited = 0;

	snprintf(path, sizeof path, "%s/.lock", st->cachedir);
	if ((st->lockfd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600)) < 0)
		return -1;
	if (st->writer)
		fchmod(st->lockfd, 0600);	/* whatever the umask */
	while (flock(st->lockfd, how | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (waited >= st->vl->wait)
			return -1;
		nanosleep(&pause, NULL);
		waited += 0.002;
	}
	return 0;
}

/* Opens the store.  A writer (under the ledger lock) brings the index up
 * to date with every ledger, rebuilding it when a stamp no longer holds;
 * a reader uses what the index has and reads the rest from the ledgers.
 * Without a usable index every answer comes from the ledgers alone. */
int
store_open(struct store *st, struct vl *vl, int writer)
{
	return store_open_fds(st, vl, writer, NULL);
}

/* Closes the store but for its ledgers' descriptors, put in fd. */
void
store_detach(struct store *st, int fd[NLEDGERS])
{
	int l;

	for (l = 0; l < NLEDGERS; l++) {
		fd[l] = st->vl ? st->fd[l] : -1;
		st->fd[l] = -1;
	}
	store_close(st);
}

/* store_open on the ledgers' descriptors fd (-1: opened here), as
 * store_detach left them: the files the caller read before. */
int
store_open_fds(struct store *st, struct vl *vl, int writer,
    const int *fds)
{
	struct stat sb;
	int l, fresh = 0, stamped;

	memset(st, 0, sizeof *st);
	st->vl = vl;
	st->writer = writer && !vl->dryrun;
	st->narrow = !writer;
	st->lockfd = st->stampfd = -1;
	for (l = 0; l < IX_NTABS; l++)
		st->tab[l].fd = -1;
	st->mrecs.fd = st->nodes.fd = -1;
	st->row.cap = 4096;
	st->row.p = emalloc(st->row.cap);
	for (l = 0; l < NLEDGERS; l++) {
		if (fds && fds[l] == STORE_ABSENT) {
			st->fd[l] = -1;
			continue;
		}
		st->fd[l] = fds && fds[l] >= 0 ? fds[l] : open(vl_path(vl,
		    indexed[l]->file), O_RDONLY | O_CLOEXEC);
		if (st->fd[l] < 0 && errno != ENOENT)
			return fail_sys("open %s: %s", indexed[l]->file,
			    strerror(errno));
		if (st->fd[l] >= 0 && fstat(st->fd[l], &sb) == 0)
			st->size[l] = (uint64_t)sb.st_size;
	}
	snprintf(st->cachedir, sizeof st->cachedir, "%s/cache", vl->dir);
	if (st->writer && mkdir(st->cachedir, 0700) == 0)
		chmod(st->cachedir, 0700);
	if (cache_lock(st, st->writer ? LOCK_EX : LOCK_SH) < 0) {
		/* no index to be had: the ledgers answer */
		if (st->lockfd >= 0)
			close(st->lockfd);
		st->lockfd = -1;
		st->writer = 0;
		return 0;
	}
	snprintf(st->row.path, sizeof st->row.path, "%s/stamp", st->cachedir);
	st->stampfd = open(st->row.path, (st->writer ? O_RDWR | O_CREAT :
	    O_RDONLY) | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (st->writer && st->stampfd >= 0)
		fchmod(st->stampfd, 0600);
	stamped = stamp_read(st);
	for (l = 0; l < NLEDGERS; l++)
		if (!stamp_holds(st, l, &st->stamp.now[l]))
			fresh = 1;
	if (!st->writer) {
		/* only an index that is exactly what its stamp says */
		if (fresh || stamped != 0 || index_open(st) < 0)
			store_noindex(st);
		return 0;
	}
	if (stamped < 0 || st->stamp.gen == 0)
		fresh = 1;
	if (st->stampfd < 0) {
		fail_sys("open %s: %s", st->row.path, strerror(errno));
		goto noindex;
	}
	if (fresh && index_reset(st) < 0)
		goto noindex;
	if (index_open(st) < 0) {
		/* a damaged index is rebuilt, never believed */
		if (index_reset(st) < 0 || index_open(st) < 0)
			goto noindex;
	}
	for (l = 0; l < NLEDGERS; l++) {
		if (st->fd[l] >= 0 && fstat(st->fd[l], &sb) == 0) {
			st->stamp.now[l].dev = (uint64_t)sb.st_dev;
			st->stamp.now[l].ino = (uint64_t)sb.st_ino;
		}
		if (fold_ledger(st, l) < 0)
			goto noindex;
		/* a torn last line stays past the stamp */
		if (st->fd[l] >= 0 && fstat(st->fd[l], &sb) == 0)
			st->size[l] = (uint64_t)sb.st_size;
	}
	if (store_settle(st) == 0)
		return 0;
noindex:
	/* the index is derived: deleted under us (rm -rf DIR/cache at any
	 * time), or not to be written, the ledgers answer and the command
	 * goes on; a ledger that cannot be read says so when read, and a
	 * command that writes says why the index was left (store_update) */
	snprintf(st->unused, sizeof st->unused, "%s", vl_err);
	st->writer = 0;
	store_noindex(st);
	return 0;
}

/* Records the folds: synced now and then, trusted in this boot always. */
static int
store_settle(struct store *st)
{
	uint64_t unsynced = 0;
	int l;

	if (!st->writer)
		return 0;
	for (l = 0; l < NLEDGERS; l++)
		unsynced += st->stamp.now[l].lines - st->stamp.sure[l].lines;
	if (unsynced >= SYNC_ROWS && index_sync(st) < 0)
		return -1;
	boot_id(st->stamp.boot);
	return stamp_write(st);
}

/* A reader without a usable index: the ledgers answer everything. */
static void
store_noindex(struct store *st)
{
	int l;

	index_close(st);
	for (l = 0; l < NLEDGERS; l++)
		memset(&st->stamp.now[l], 0, sizeof st->stamp.now[l]);
	st->stamp.maxm = st->stamp.maxs = 0;
}

/* After the writer's own rows are appended: folds them in.  The rows are
 * there whatever happens here; an index that could not take them lags. */
void
store_update(struct store *st)
{
	int l;

	if (*st->unused)
		warn("the index in %s is not used: %s", st->cachedir,
		    st->unused);
	if (!st->writer)
		return;
	/* a ledger the command created is left to the next one */
	for (l = 0; l < NLEDGERS; l++)
		if (fold_ledger(st, l) < 0)
			goto lag;
	if (store_settle(st) == 0)
		return;
lag:
	warn("the index in %s lags: %s", st->cachedir, vl_err);
}

void
store_close(struct store *st)
{
	int l;

	if (!st->vl)
		return;		/* never opened */
	index_close(st);
	for (l = 0; l < NLEDGERS; l++)
		if (st->fd[l] >= 0)
			close(st->fd[l]);
	if (st->stampfd >= 0)
		close(st->stampfd);
	if (st->lockfd >= 0)
		close(st->lockfd);	/* and with it the cache lock */
	for (l = 0; l < NLEDGERS; l++)
		free(st->pre[l]);
	free(st->row.p);
	memset(st, 0, sizeof *st);
}

/* ---- the questions ---- */

/* The row in st->row as a checked tsv row, for the functions that read
 * ledger rows.  Rows in the index were checked when folded. */
static void
row_as_tsv(struct store *st, struct tsv *t, const char *name)
{
	int i;

	memset(t, 0, sizeof *t);
	t->name = name;
	t->fd = -1;
	t->nf = st->row.nf;
	for (i = 0; i < t->nf; i++) {
		t->f[i] = st->row.f[i];
		t->fl[i] = strlen(st->row.f[i]);
	}
	/* a 0.1 row: checked when folded, its new columns empty */
	if (t->nf == L_SALES.nold && name == L_SALES.file)
		tsv_pad(t, L_SALES.ncols);
}

/* Calls fn for each row of ledger l past the index whose column col (or
 * col2, unless -1) is key; every row, when key is NULL. */
static int
tail_rows(struct store *st, int l, const char *key, int col, int col2,
    int (*fn)(void *, const struct tsv *), void *arg)
{
	struct tsv t;
	int rc = 0;

	/* the whole ledger in the index: nothing past it to read */
	if (store_folded(st, l) >= st->size[l])
		return 0;
	if ((rc = tail_open(st, l, &t, &st->stamp.now[l])) <= 0)
		return rc;
	/* a reader asked of one key reads only the lines holding it: the
	 * others are not read, so not checked (SPEC 6); writers read all */
	if (st->narrow && key && *key) {
		t.want = key;
		t.wantlen = strlen(key);
	}
	rc = 0;
	while (rc == 0 && tsv_row(&t, indexed[l]))
		if (!key || strcmp(t.f[col], key) == 0 ||
		    (col2 >= 0 && strcmp(t.f[col2], key) == 0))
			rc = fn(arg, &t);
	if (tsv_close(&t) < 0)
		rc = -1;
	return rc;
}

/* Calls fn for each of chain head's rows, oldest first. */
static int
chain_rows(struct store *st, int l, uint64_t head,
    int (*fn)(void *, const struct tsv *), void *arg)
{
	const struct ixrow *nd;
	uint64_t *offs = NULL;
	size_t n = 0, cap = 0;
	struct tsv t;
	int rc = 0;

	for (; (nd = node_get(st, head)); head = nd->prev) {
		/* past the stamp: a fold that was never stamped; the tail
		 * reads those rows */
		if ((uint64_t)nd->off >= st->stamp.now[l].folded)
			continue;
		if (n == cap)
			offs = erealloc(offs, (cap = cap ? 2 * cap : 64) *
			    sizeof *offs);
		offs[n++] = (uint64_t)nd->off;
	}
	while (rc == 0 && n > 0) {
		if ((rc = row_at(st, l, offs[--n])) < 0)
			break;
		row_as_tsv(st, &t, indexed[l]->file);
		rc = fn(arg, &t);
	}
	free(offs);
	return rc;
}

/* The slot of member id in the index, or NULL. */
static const struct mrec *
indexed_member(struct store *st, const char *id)
{
	uint64_t *e = tab_find(st, IX_MEMBERS, id);
	const struct mrec *m = e ? mrec_get(st, e[1]) : NULL;

	/* joined in a fold never stamped: the tail has her */
	if (m && (uint64_t)m->first >= st->stamp.now[MEMBERS].folded)
		return NULL;
	return m;
}

struct only {
	int (*fn)(void *, const struct tsv *);
	void *arg;
	const char *id;		/* rows: the member */
};

/* A sales row of the tail names her as referrer only: it counts when it
 * gave her points, as the index keeps it. */
static int
only_hers(void *arg, const struct tsv *t)
{
	struct only *o = arg;

	if (strcmp(t->f[S_MEMBER], o->id) != 0 &&
	    tsv_int(t, S_REFERRAL_POINTS) == 0)
		return 0;
	return o->fn(o->arg, t);
}

/* Calls fn for each row of ledger l about member id, in file order:
 * sales.tsv rows where she buys or earns referral points, points.tsv and
 * tiers.tsv rows that are hers. */
int
store_rows(struct store *st, int l, const char *id,
    int (*fn)(void *, const struct tsv *), void *arg)
{
	const struct mrec *m = st->mrecs.p ? indexed_member(st, id) : NULL;
	int col = l == SALES ? S_MEMBER : l == POINTS ? P_MEMBER : T_MEMBER;
	struct only o = { fn, arg, id };

	if (l == MEMBERS)
		return 0;
	if (m && chain_rows(st, l, m->head[l - 1], fn, arg) < 0)
		return -1;
	if (l == SALES)
		return tail_rows(st, l, id, S_MEMBER, S_REFERRER, only_hers, &o);
	return tail_rows(st, l, id, col, -1, fn, arg);
}

/* The movements the index keeps of member id's rows, without reading
 * them: the balance of a member with thousands of sales at the till. */
int
store_movements(struct store *st, const char *id, struct history *h)
{
	const struct mrec *m = st->mrecs.p ? indexed_member(st, id) : NULL;
	const struct ixrow *nd;
	uint64_t head;
	int c;

	for (c = 0; m && c < 2; c++)
		for (head = m->head[c]; (nd = node_get(st, head));
		    head = nd->prev)
			if ((uint64_t)nd->off < st->stamp.now[c + 1].folded)
				history_add(h, nd->at, nd->avail, nd->credit,
				    nd->used);
	return 0;
}

/* Only a writer's index folded to the ledgers' ends has every row of a
 * member in her points sum, and none past them. */
static int
sums_whole(struct store *st)
{
	int l;

	if (!st->writer || !st->mrecs.p)
		return 0;
	for (l = SALES; l <= POINTS; l++)
		if (store_folded(st, l) < st->size[l])
			return 0;
	return 1;
}

int
store_points_sum(struct store *st, const char *id, wide_t *sum)
{
	const struct mrec *m;

	if (!sums_whole(st))
		return 0;
	m = indexed_member(st, id);
	*sum = m ? points_get(m->points) : 0;
	return 1;
}

/* fn for the rows of member id past the index (store_rows without the
 * index's part). */
int
store_tail(struct store *st, int l, const char *id,
    int (*fn)(void *, const struct tsv *), void *arg)
{
	struct only o = { fn, arg, id };

	if (l == SALES)
		return tail_rows(st, l, id, S_MEMBER, S_REFERRER, only_hers, &o);
	return tail_rows(st, l, id, l == POINTS ? P_MEMBER : T_MEMBER, -1, fn,
	    arg);
}

struct found {
	int (*fn)(void *, const struct tsv *);
	void *arg;
	int n;
};

static int
first_row(void *arg, const struct tsv *t)
{
	struct found *f = arg;

	return f->n++ == 0 ? f->fn(f->arg, t) : 0;
}

/* fn for the first row of ledger l whose column col is key (a receipt,
 * a ref): 1 found, 0 not, -1 error. */
static int
keyed_row(struct store *st, int l, int t, int col, const char *key,
    int (*fn)(void *, const struct tsv *), void *arg)
{
	struct found f = { fn, arg, 0 };
	struct tsv tv;
	uint64_t *e;

	if (st->tab[t].p && (e = tab_find(st, t, key)) &&
	    e[1] < st->stamp.now[l].folded) {
		if (row_at(st, l, e[1]) < 0)
			return -1;
		row_as_tsv(st, &tv, indexed[l]->file);
		return fn(arg, &tv) < 0 ? -1 : 1;
	}
	if (tail_rows(st, l, key, col, -1, first_row, &f) < 0)
		return -1;
	return f.n > 0;
}

int
store_sale(struct store *st, const char *receipt,
    int (*fn)(void *, const struct tsv *), void *arg)
{
	return keyed_row(st, SALES, IX_RECEIPTS, S_RECEIPT, receipt, fn, arg);
}

static int
copy_line(void *arg, const struct tsv *t)
{
	tsv_line(arg, t);
	return 0;
}

int
store_receipt(struct store *st, const char *receipt, struct buf *row)
{
	row->n = 0;
	return store_sale(st, receipt, copy_line, row);
}

int
store_point(struct store *st, const char *ref,
    int (*fn)(void *, const struct tsv *), void *arg)
{
	return keyed_row(st, POINTS, IX_REFS, P_REF, ref, fn, arg);
}

int
store_ref(struct store *st, const char *ref, struct buf *row)
{
	row->n = 0;
	return store_point(st, ref, copy_line, row);
}

/* Of the tail's rows naming sale, its returns. */
static int
only_returns(void *arg, const struct tsv *t)
{
	struct only *o = arg;

	return strcmp(t->f[S_KIND], "return") ? 0 : o->fn(o->arg, t);
}

/* Calls fn for the returns of sale, in file order. */
int
store_returns(struct store *st, const char *sale,
    int (*fn)(void *, const struct tsv *), void *arg)
{
	struct only o = { fn, arg, NULL };
	uint64_t *e;

	if (st->tab[IX_RETURNS].p && (e = tab_find(st, IX_RETURNS, sale)) &&
	    chain_rows(st, SALES, e[1], fn, arg) < 0)
		return -1;
	return tail_rows(st, SALES, sale, S_SALE, -1, only_returns, &o);
}

/* The members whose rows lie past the index (all of them, without one):
 * read once, when first asked. */
static int
tail_members(struct store *st)
{
	struct tsv t;
	vltime_t at;
	int r;

	if (st->tailread)
		return 0;
	st->tailread = 1;
	memset(&st->tail, 0, sizeof st->tail);
	if ((r = tail_open(st, MEMBERS, &t, &st->stamp.now[MEMBERS])) <= 0)
		return r;
	while (tsv_row(&t, &L_MEMBERS)) {
		at = tsv_time(&t, M_AT);
		members_set(&st->tail, t.f, at);
	}
	return tsv_close(&t);
}

/* A line of members.tsv that a narrow reading kept, and its place. */
struct mline {
	long lineno;
	vltime_t at;
	char *f[M_NCOLS];	/* f[0] holds them all */
};
struct mlines {
	struct mline *v;
	size_t n, cap;
};

static int
mline_cmp(const void *a, const void *b)
{
	const struct mline *x = a, *y = b;

	return (x->lineno > y->lineno) - (x->lineno < y->lineno);
}

/* Of members.tsv past the index, the lines holding key: the rows of
 * member id (NULL: none) kept in ml, the members of the rows with phone
 * (NULL: none) put in ids. */
static int
tail_grep(struct store *st, const char *key, const char *id,
    const char *phone, struct mlines *ml, struct strmap *ids)
{
	struct mline *m;
	struct buf line;
	struct tsv t;
	char *p;
	int i, r;

	if ((r = tail_open(st, MEMBERS, &t, &st->stamp.now[MEMBERS])) <= 0)
		return r;
	t.want = key;
	t.wantlen = strlen(key);
	while (tsv_row(&t, &L_MEMBERS)) {
		if (phone && strcmp(t.f[M_PHONE], phone) == 0)
			strmap_put(ids, t.f[M_MEMBER], 0);
		if (!id || strcmp(t.f[M_MEMBER], id) != 0)
			continue;
		if (ml->n == ml->cap)
			ml->v = erealloc(ml->v, (ml->cap = ml->cap ?
			    2 * ml->cap : 16) * sizeof *ml->v);
		m = &ml->v[ml->n++];
		m->lineno = t.lineno;
		m->at = tsv_time(&t, M_AT);
		memset(&line, 0, sizeof line);
		for (i = 0; i < M_NCOLS; i++)
			buf_add(&line, t.f[i], strlen(t.f[i]) + 1);
		for (p = line.p, i = 0; i < M_NCOLS; i++, p += strlen(p) + 1)
			m->f[i] = p;
	}
	return tsv_close(&t);
}

/*
 * The members past the index that key can name, as tail_members would
 * have them, from the lines holding key and no others: her rows for an
 * id; for a phone, every row of each member who held it at some time
 * (she may have changed it since: her later rows do not hold it), and
 * of the index's member with that phone, read id by id.  Kept in file
 * order, so that of two members holding one phone the first still has
 * it.  Their places in registration are not known.
 */
static int
tail_narrow(struct store *st, const char *key, int how, struct members *ms)
{
	struct strmap ids = { 0 };
	struct mlines ml = { 0 };
	const struct mrec *m;
	uint64_t *e;
	size_t i;
	int rc;

	memset(ms, 0, sizeof *ms);
	rc = tail_grep(st, key, how & BY_ID ? key : NULL,
	    how & BY_PHONE ? key : NULL, &ml, &ids);
	if (rc == 0 && (how & BY_PHONE) && st->tab[IX_PHONES].p &&
	    (e = tab_find(st, IX_PHONES, key)) && (m = mrec_get(st, e[1])))
		strmap_put(&ids, m->id, 0);
	for (i = 0; rc == 0 && i < ids.cap; i++)
		if (ids.keys[i] && (!(how & BY_ID) ||
		    strcmp(ids.keys[i], key) != 0))
			rc = tail_grep(st, ids.keys[i], ids.keys[i], NULL,
			    &ml, NULL);
	sort(ml.v, ml.n, sizeof *ml.v, mline_cmp);
	for (i = 0; i < ml.n; i++) {
		if (rc == 0)
			members_set(ms, ml.v[i].f, ml.v[i].at);
		free(ml.v[i].f[0]);
	}
	free(ml.v);
	strmap_free(&ids);
	return rc;
}

/* A member as the store answers: the record in force (a copy, freed
 * with free(m->f[0])), when she joined, her place in registration. */
static void
member_fill(struct member *out, char *const *f, vltime_t joined,
    size_t order)
{
	size_t len[M_NCOLS], n = 0;
	char *p;
	int i;

	/* one allocation of her size: a batch asks of a million members */
	for (i = 0; i < M_NCOLS; i++)
		n += len[i] = strlen(f[i]) + 1;
	p = emalloc(n);
	for (i = 0; i < M_NCOLS; i++) {
		out->f[i] = memcpy(p, f[i], len[i]);
		p += len[i];
	}
	out->joined = joined;
	out->order = order;
}

/* Member id, from the index and the members past it (tail; whole: all
 * of them, so that her place is known). */
static int
member_by_id(struct store *st, const struct members *tail, int whole,
    const char *id, struct member *out)
{
	const struct mrec *m = st->mrecs.p ? indexed_member(st, id) : NULL;
	struct member *tm = members_byid(tail, id);
	uint64_t slot;

	if (!m && !tm)
		return 0;
	if (m)
		slot = (uint64_t)(m - (const struct mrec *)(st->mrecs.p + 64));
	else if (whole)	/* joined past the index: after every member in it */
		slot = (st->mrecs.p ? ((uint64_t *)st->mrecs.p)[0] : 0) +
		    tm->order;
	else
		slot = SIZE_MAX;
	if (tm) {
		member_fill(out, tm->f, m ? m->joined : tm->joined,
		    (size_t)slot);
		/* the tail's run of her associate may go on from the index */
		out->owner_since = m && tm->run_open &&
		    hash_key(tm->f[M_ASSOCIATE]) == m->assoc ?
		    (day_t)m->owner_since : tm->owner_since;
		return 1;
	}
	if (row_at(st, MEMBERS, (uint64_t)m->last) < 0)
		return -1;
	if (st->row.nf < M_NCOLS)
		return fail_sys("members.tsv: the index points at no record; "
		    "run ledger-check --repair");
	member_fill(out, st->row.f, m->joined, (size_t)slot);
	out->owner_since = (day_t)m->owner_since;
	return 1;
}

static int
member_lookup(struct store *st, const struct members *tail, int whole,
    const char *key, int how, struct member *out)
{
	const struct mrec *m;
	struct member *tm;
	uint64_t *e;
	int r;

	if ((how & BY_ID) &&
	    (r = member_by_id(st, tail, whole, key, out)) != 0)
		return r;
	if (!(how & BY_PHONE) || !*key)
		return 0;
	/* a phone: the index's, unless the tail moved it; or the tail's */
	if (st->tab[IX_PHONES].p && (e = tab_find(st, IX_PHONES, key)) &&
	    (m = mrec_get(st, e[1])) &&
	    (uint64_t)m->last < st->stamp.now[MEMBERS].folded &&
	    (!(tm = members_byid(tail, m->id)) ||
	    strcmp(tm->f[M_PHONE], key) == 0))
		return member_by_id(st, tail, whole, m->id, out);
	if ((tm = members_byphone(tail, key)))
		return member_by_id(st, tail, whole, tm->f[M_MEMBER], out);
	return 0;
}

/* 1: key is a member id (how BY_ID), a member's current phone (BY_PHONE)
 * or either, the id first (BY_ID | BY_PHONE); *out is she.  A reader's
 * first question reads only the lines of members.tsv that can answer
 * it; one asked again reads them all, once. */
int
store_member_by(struct store *st, const char *key, int how,
    struct member *out)
{
	struct members one;
	int r;

	if (st->narrow && !st->tailread && !st->asked++) {
		if (!*key)
			return 0;	/* names no one */
		if (tail_narrow(st, key, how, &one) < 0) {
			members_free(&one);
			return -1;
		}
		r = member_lookup(st, &one, 0, key, how, out);
		members_free(&one);
		return r;
	}
	if (tail_members(st) < 0)
		return -1;
	return member_lookup(st, &st->tail, 1, key, how, out);
}

/* Ledger l read whole, through the store's descriptor (the file its
 * stamp was checked against): rows the index took in are only split,
 * as they were checked when it took them in.  tsv_close says how it went. */
void
store_ledger(struct store *st, int l, struct tsv *t)
{
	if (st->fd[l] < 0) {
		memset(t, 0, sizeof *t);
		t->fd = -1;
		return;
	}
	tsv_fdopen(t, st->fd[l], indexed[l]->file, 0);
	if (lseek(st->fd[l], 0, SEEK_SET) < 0) {
		fail_sys("seek %s: %s", indexed[l]->file, strerror(errno));
		tsv_fail(t);
		return;
	}
	if (tsv_header(t, indexed[l]) < 0)
		tsv_fail(t);
	t->checked = (off_t)store_checked(st, l);
}

/* How much of ledger l the index took in, each row checked then. */
uint64_t
store_checked(const struct store *st, int l)
{
	return st->mrecs.p ? st->stamp.now[l].folded : 0;
}

int
store_member(struct store *st, const char *key, struct member *out)
{
	return store_member_by(st, key, BY_ID | BY_PHONE, out);
}

struct maxrow {
	long max;
};

static int
max_receipt(void *arg, const struct tsv *t)
{
	struct maxrow *mr = arg;
	long k = auto_id_number(t->f[S_RECEIPT], 'S');

	if (k > mr->max)
		mr->max = k;
	return 0;
}

/* The highest automatic member (M) or receipt (S) number. */
int
store_maxauto(struct store *st, int letter, long *max)
{
	struct maxrow mr = { 0 };

	if (letter == 'M') {
		if (tail_members(st) < 0)
			return -1;
		*max = (long)st->stamp.maxm;
		if (st->tail.maxauto > *max)
			*max = st->tail.maxauto;
		return 0;
	}
	if (tail_rows(st, SALES, NULL, 0, -1, max_receipt, &mr) < 0)
		return -1;
	*max = (long)st->stamp.maxs > mr.max ? (long)st->stamp.maxs : mr.max;
	return 0;
}

/* ---- what reports add up: the index's rows and members, scanned ---- */

int
store_whole(const struct store *st)
{
	int l;

	if (!st->nodes.p || !st->mrecs.p)
		return 0;
	for (l = 0; l < NLEDGERS; l++)
		if (st->stamp.now[l].odd)
			return 0;
	return 1;
}

int
store_sales_whole(const struct store *st)
{
	return st->nodes.p &&
	    st->stamp.now[SALES].buyers == st->stamp.now[SALES].rows;
}

int
store_members_whole(struct store *st, vltime_t upto)
{
	return store_whole(st) &&
	    store_folded(st, MEMBERS) >= st->size[MEMBERS] &&
	    st->stamp.now[MEMBERS].maxat <= upto;
}

uint64_t
store_nrows(const struct store *st)
{
	return st->nodes.p ? ((uint64_t *)st->nodes.p)[0] : 0;
}

uint64_t
store_nmembers(const struct store *st)
{
	return st->mrecs.p ? ((uint64_t *)st->mrecs.p)[0] : 0;
}

/* Lets go of the pages of the index this process has touched: they stay
 * in the page cache, and come back when read again.  A walk over every
 * member would otherwise keep the whole index resident in its own memory. */
void
store_release(struct store *st)
{
	int t;

	for (t = 0; t < (int)(sizeof st->tab / sizeof st->tab[0]); t++)
		if (st->tab[t].p)
			madvise(st->tab[t].p, st->tab[t].len, MADV_DONTNEED);
	if (st->mrecs.p)
		madvise(st->mrecs.p, st->mrecs.len, MADV_DONTNEED);
	if (st->nodes.p)
		madvise(st->nodes.p, st->nodes.len, MADV_DONTNEED);
}

/* The rows of the index from its mapping, without a copy: rows folded
 * but never stamped (the tail has them) are marked K_PAST in a copy of
 * their chunk.  The pages read are let go as it goes, so a report's
 * memory stays its own, whatever the size of the index.  Threads may
 * scan parts of it at once. */
int
store_scan(struct store *st, uint64_t lo, uint64_t hi,
    void (*fn)(void *, const struct ixrow *, size_t), void *arg)
{
	enum { CHUNK = 1024, DROP = 64 * CHUNK };
	const struct ixrow *v;
	struct ixrow *buf = NULL;
	uint64_t n = store_nrows(st), k, i, dropped;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), a, b;
	int l, past;

	if (hi > n)
		hi = n;
	if (lo >= hi)
		return 0;
	if (64 + hi * sizeof *v > st->nodes.len)
		return fail_sys("%s/cache/nodes.dat: too short; run "
		    "ledger-check --repair", st->vl->dir);
	v = (const struct ixrow *)(st->nodes.p + 64);
	for (dropped = lo; lo < hi; lo += k) {
		k = hi - lo < CHUNK ? hi - lo : CHUNK;
		for (past = 0, i = lo; i < lo + k && !past; i++) {
			l = v[i].kind == K_POINTS ? POINTS :
			    v[i].kind == K_TIER ? TIERS : SALES;
			past = (uint64_t)v[i].off >= st->stamp.now[l].folded;
		}
		if (!past) {
			fn(arg, v + lo, (size_t)k);
		} else {
			if (!buf)
				buf = emalloc(CHUNK * sizeof *buf);
			memcpy(buf, v + lo, k * sizeof *buf);
			for (i = 0; i < k; i++) {
				l = buf[i].kind == K_POINTS ? POINTS :
				    buf[i].kind == K_TIER ? TIERS : SALES;
				if ((uint64_t)buf[i].off >=
				    st->stamp.now[l].folded)
					buf[i].kind = K_PAST;
			}
			fn(arg, buf, (size_t)k);
		}
		if (lo + k - dropped >= DROP || lo + k == hi) {
			/* whole pages only: the next chunk may share one */
			a = ((uintptr_t)(v + dropped) + page - 1) & ~(page - 1);
			b = (uintptr_t)(v + lo + k) & ~(page - 1);
			if (b > a)
				madvise((void *)a, b - a, MADV_DONTNEED);
			dropped = lo + k;
		}
	}
	free(buf);
	return 0;
}

/* Splits the line at p (ending in LF) into f[M_NCOLS] in place. */
static void
member_fields(char *p, char *f[M_NCOLS])
{
	int i;

	for (i = 0; i < M_NCOLS; i++) {
		f[i] = p;
		p += strcspn(p, "\t\n");
		if (*p == '\n' || i == M_NCOLS - 1) {
			*p = '\0';
			break;
		}
		*p++ = '\0';
	}
	while (++i < M_NCOLS)
		f[i] = p;	/* "": a checked row has them all */
}

/* The record in force of each member is read in order of her first row,
 * a piece of members.tsv at a time; one edited since is read alone. */
int
store_members_scan(struct store *st,
    void (*fn)(void *, uint64_t, vltime_t, char **), void *arg)
{
	uint64_t n = store_nmembers(st), slot, clo = 0, chi = 0, off, first;
	uint64_t folded = st->stamp.now[MEMBERS].folded;
	size_t cap = (size_t)1 << 20;
	char *buf = emalloc(cap + 1), *nl, *f[M_NCOLS];
	const struct mrec *m;
	ssize_t got;
	int i, rc = 0;

	for (slot = 0; rc == 0 && slot < n; slot++) {
		m = mrec_get(st, slot);
		first = (uint64_t)m->first;
		off = (uint64_t)m->last;
		if (first >= folded || off >= folded) {
			rc = fail_sys("members.tsv: the index points past "
			    "its stamp; run ledger-check --repair");
			break;
		}
		while (first >= chi) {
			got = pread(st->fd[MEMBERS], buf, cap, (off_t)first);
			if (got < 0) {
				rc = fail_sys("read members.tsv: %s",
				    strerror(errno));
				break;
			}
			for (nl = buf + got; nl > buf && nl[-1] != '\n'; nl--)
				;
			if (nl == buf && (size_t)got == cap) {
				buf = erealloc(buf, (cap *= 2) + 1);
				continue;	/* a line longer than the piece */
			}
			if (nl == buf) {
				rc = fail_sys("members.tsv: the index points "
				    "past a row; run ledger-check --repair");
				break;
			}
			clo = first;
			chi = first + (uint64_t)(nl - buf);
		}
		if (rc < 0)
			break;
		if (off >= clo && off < chi) {
			member_fields(buf + (off - clo), f);
		} else {
			if ((rc = row_at(st, MEMBERS, off)) < 0)
				break;
			for (i = 0; i < M_NCOLS; i++)
				f[i] = i < st->row.nf ? st->row.f[i] : "";
		}
		fn(arg, slot, m->joined, f);
	}
	free(buf);
	return rc;
}

struct salescan {
	void (*fn)(void *, const struct salerec *);
	void *arg;
};

static void
sale_recs(void *arg, const struct ixrow *v, size_t n)
{
	struct salescan *sc = arg;
	struct salerec r;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].kind != K_BUYER)
			continue;
		r = (struct salerec){ v[i].at, v[i].goods, v[i].paid,
		    v[i].credit, v[i].used, v[i].slot, v[i].isreturn };
		sc->fn(sc->arg, &r);
	}
}

/* fn for each sales row the index took in, from what it keeps of it,
 * nothing read back: a report over the checked prefix of sales.tsv.  -1
 * without vl_err when the index cannot stand for every row (no index, or
 * a row whose member it does not know): the caller reads the ledger. */
int
store_sales_scan(struct store *st, void (*fn)(void *, const struct salerec *),
    void *arg)
{
	struct salescan sc = { fn, arg };

	if (!store_sales_whole(st))
		return -1;
	return store_scan(st, 0, store_nrows(st), sale_recs, &sc);
}

/* The sales.tsv row of receipt, if the index took it in. */
int
store_indexed_sale(struct store *st, const char *receipt,
    int (*fn)(void *, const struct tsv *), void *arg)
{
	struct tsv tv;
	uint64_t *e;

	if (!st->tab[IX_RECEIPTS].p ||
	    !(e = tab_find(st, IX_RECEIPTS, receipt)) ||
	    e[1] >= st->stamp.now[SALES].folded)
		return 0;
	if (row_at(st, SALES, e[1]) < 0)
		return -1;
	row_as_tsv(st, &tv, indexed[SALES]->file);
	return fn(arg, &tv) < 0 ? -1 : 1;
}

/* The place of member id in the index, -1 when it has none. */
long
store_slot(struct store *st, const char *id)
{
	const struct mrec *m = st->mrecs.p ? indexed_member(st, id) : NULL;

	return m ? (long)(m - (const struct mrec *)(st->mrecs.p + 64)) : -1;
}

/* ---- members by place: a batch finds each member once ---- */

/* The entry of a member id (t IX_MEMBERS) or current phone (IX_PHONES),
 * as tab_find, reading nothing but the index: threads may probe at once. */
static const uint64_t *
member_probe(const struct store *st, int t, const char *key)
{
	const uint64_t *hdr = (const uint64_t *)st->tab[t].p, *e;
	uint64_t h = tab_hash(key), cap = hdr[0], i;
	const struct mrec *m;

	for (i = h & (cap - 1); (e = hdr + 4 + 2 * i)[0];
	    i = (i + 1) & (cap - 1))
		if (e[0] == h && e[1] < ((const uint64_t *)st->mrecs.p)[0] &&
		    (m = (const struct mrec *)(st->mrecs.p + 64) + e[1]) &&
		    strcmp(t == IX_MEMBERS ? m->id : m->phone, key) == 0)
			return e;
	return NULL;
}

/* The index has all of members.tsv: store_find answers alone. */
int
store_finds(const struct store *st)
{
	return st->mrecs.p && st->tab[IX_MEMBERS].p && st->tab[IX_PHONES].p &&
	    st->stamp.now[MEMBERS].folded > 0 &&
	    st->stamp.now[MEMBERS].folded >= st->size[MEMBERS];
}

/* The place of the member key names, as store_member_by finds her: -1
 * none.  Only when store_finds; nothing read, nothing said. */
long
store_find(const struct store *st, const char *key, int how)
{
	uint64_t folded = st->stamp.now[MEMBERS].folded;
	const struct mrec *v = (const struct mrec *)(st->mrecs.p + 64);
	const uint64_t *e;

	if ((how & BY_ID) && (e = member_probe(st, IX_MEMBERS, key)) &&
	    (uint64_t)v[e[1]].first < folded)
		return (long)e[1];
	if (!(how & BY_PHONE) || !*key)
		return -1;
	/* member_lookup's phone, then member_by_id of its member */
	if ((e = member_probe(st, IX_PHONES, key)) &&
	    (uint64_t)v[e[1]].last < folded &&
	    (uint64_t)v[e[1]].first < folded)
		return (long)e[1];
	return -1;
}

/* The record in force of the member at slot, as store_member copies it,
 * from members.tsv preloaded: 1, or 0 when it cannot be had so (then ask
 * store_member, which says why).  Threads may ask at once. */
int
store_member_slot(const struct store *st, long slot, struct member *out)
{
	const struct mrec *m;
	const char *line, *nl;
	char *p;
	uint64_t off;
	int i;

	if (slot < 0 || !st->mrecs.p || !st->pre[MEMBERS] ||
	    (uint64_t)slot >= ((const uint64_t *)st->mrecs.p)[0])
		return 0;
	m = (const struct mrec *)(st->mrecs.p + 64) + slot;
	off = (uint64_t)m->last;
	if (off >= st->prelen[MEMBERS] || !(nl = memchr(st->pre[MEMBERS] +
	    off, '\n', st->prelen[MEMBERS] - off)))
		return 0;
	line = st->pre[MEMBERS] + off;
	/* the first M_NCOLS fields, each ended by its NUL */
	p = emalloc((size_t)(nl - line) + 1);
	memcpy(p, line, (size_t)(nl - line));
	p[nl - line] = '\0';
	for (i = 0; i < M_NCOLS; i++) {
		out->f[i] = p;
		if (i < M_NCOLS - 1 && !(p = strchr(p, '\t')))
			break;
		if (i < M_NCOLS - 1)
			*p++ = '\0';
	}
	if (i < M_NCOLS) {
		free(out->f[0]);
		out->f[0] = NULL;
		return 0;	/* too few fields: store_member says so */
	}
	if ((p = strchr(out->f[M_NCOLS - 1], '\t')))
		*p = '\0';
	out->joined = m->joined;
	out->order = (size_t)slot;
	out->owner_since = (day_t)m->owner_since;
	out->run_open = 0;
	return 1;
}

/* store_points_sum of the member at slot (-1: none in the index). */
int
store_points_at(struct store *st, long slot, wide_t *sum)
{
	const struct mrec *m;

	if (!sums_whole(st))
		return 0;
	m = slot >= 0 ? mrec_get(st, (uint64_t)slot) : NULL;
	if (m && (uint64_t)m->first >= st->stamp.now[MEMBERS].folded)
		m = NULL;
	*sum = m ? points_get(m->points) : 0;
	return 1;
}

/* store_rows of member id, whose place in the index is slot (-1: none). */
int
store_rows_at(struct store *st, int l, long slot, const char *id,
    int (*fn)(void *, const struct tsv *), void *arg)
{
	const struct mrec *m = slot >= 0 && st->mrecs.p ?
	    mrec_get(st, (uint64_t)slot) : NULL;
	struct only o = { fn, arg, id };

	if (l == MEMBERS)
		return 0;
	if (m && (uint64_t)m->first >= st->stamp.now[MEMBERS].folded)
		m = NULL;
	if (m && chain_rows(st, l, m->head[l - 1], fn, arg) < 0)
		return -1;
	if (l == SALES)
		return tail_rows(st, l, id, S_MEMBER, S_REFERRER, only_hers, &o);
	return tail_rows(st, l, id, l == POINTS ? P_MEMBER : T_MEMBER, -1, fn,
	    arg);
}

/* Ledger l past what the index took in, for the rows a scan did not
 * give; tsv_close says how it went. */
void
store_ledger_tail(struct store *st, int l, struct tsv *t)
{
	int r = tail_open(st, l, t, &st->stamp.now[l]);

	if (r <= 0) {
		memset(t, 0, sizeof *t);
		t->fd = -1;
	}
	if (r < 0) {
		memcpy(t->errmsg, vl_err, sizeof t->errmsg);
		t->err = 1;
	}
}

void
store_sales_tail(struct store *st, struct tsv *t)
{
	store_ledger_tail(st, SALES, t);
}

/* ---- a member's rows, for tier-recalc ---- */

int
store_member_at(const struct store *st, uint64_t slot, struct ixmember *out)
{
	const struct mrec *m;

	if (!st->mrecs.p || slot >= ((uint64_t *)st->mrecs.p)[0])
		return 0;
	m = (const struct mrec *)(st->mrecs.p + 64) + slot;
	if ((uint64_t)m->first >= st->stamp.now[MEMBERS].folded)
		return 0;	/* joined in a fold never stamped */
	out->id = m->id;
	out->joined = m->joined;
	memcpy(out->rows, m->count, sizeof out->rows);
	return 1;
}

int
store_chain(struct store *st, uint64_t slot, int c,
    void (*fn)(void *, const struct ixrow *), void *arg)
{
	static const int ledger[3] = { SALES, POINTS, TIERS };
	const struct ixrow *nd, **v = NULL;
	struct ixmember m;
	uint64_t head;
	size_t n = 0, cap = 0;

	if (!store_member_at(st, slot, &m))
		return 0;
	head = ((const struct mrec *)(st->mrecs.p + 64) + slot)->head[c];
	for (; (nd = node_get(st, head)); head = nd->prev) {
		if ((uint64_t)nd->off >= st->stamp.now[ledger[c]].folded)
			continue;
		if (n == cap)
			v = erealloc(v, (cap = cap ? 2 * cap : 64) * sizeof *v);
		v[n++] = nd;
	}
	while (n > 0)
		fn(arg, v[--n]);
	free(v);
	return 0;
}

void
store_ledger_from(struct store *st, int l, uint64_t off, struct tsv *t)
{
	if (off == 0) {
		store_ledger(st, l, t);
		return;
	}
	memset(t, 0, sizeof *t);
	t->fd = -1;
	if (st->fd[l] < 0)
		return;
	if (lseek(st->fd[l], (off_t)off, SEEK_SET) < 0) {
		fail_sys("seek %s: %s", indexed[l]->file, strerror(errno));
		memcpy(t->errmsg, vl_err, sizeof t->errmsg);
		t->err = 1;
		return;
	}
	tsv_fdopen(t, st->fd[l], indexed[l]->file, 0);
	t->off = (off_t)off;
	t->checked = (off_t)store_checked(st, l);
}

/* What the index stands for, a ledger's header included when it took
 * in no row yet. */
uint64_t
store_folded(struct store *st, int l)
{
	char buf[4096], *nl, err[sizeof vl_err];
	int saved = vl_status, ok;
	struct tsv t;
	ssize_t n;

	if (st->stamp.now[l].folded > 0 || st->fd[l] < 0 || !st->mrecs.p)
		return st->stamp.now[l].folded;
	if (st->header[l])
		return st->header[l] - 1;	/* read before */
	st->header[l] = 1;
	if ((n = pread(st->fd[l], buf, sizeof buf, 0)) <= 0 ||
	    !(nl = memchr(buf, '\n', (size_t)n)))
		return 0;
	/* a header as a reading of the ledger takes it, or none */
	memcpy(err, vl_err, sizeof err);
	tsv_mem(&t, buf, (size_t)(nl - buf) + 1, indexed[l]->file, 0);
	ok = tsv_header(&t, indexed[l]) == 1 && t.off == nl - buf + 1;
	if (tsv_close(&t) < 0)
		ok = 0;
	memcpy(vl_err, err, sizeof err);
	vl_status = saved;
	if (ok)
		st->header[l] = (uint64_t)(nl - buf) + 2;
	return st->header[l] - 1;
}

/* The rows the index took in, read at an offset from memory, not from the
 * file: a batch asking of thousands of them reads the ledger once.  Only
 * a help: without memory or on a read error, rows are read as before. */
void
store_preload(struct store *st, int l)
{
	uint64_t len = st->stamp.now[l].folded, got = 0;
	ssize_t n;
	char *p;

	if (st->pre[l] || !st->mrecs.p || st->fd[l] < 0 || len == 0 ||
	    !(p = malloc(len)))
		return;
	while (got < len && (n = pread(st->fd[l], p + got, len - got,
	    (off_t)got)) > 0)
		got += (uint64_t)n;
	if (got < len) {
		free(p);
		return;
	}
	st->pre[l] = p;
	st->prelen[l] = len;
}
