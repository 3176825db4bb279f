/* tier-recalc: bring members' tiers up to date; meant for cron, nightly. */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>		/* mallopt */
#endif

#include "store.h"

static const char usage[] =
    "tier-recalc [-d DIR] [-q] [-w SECONDS] [--dry-run] [--as-of DATE] [MEMBER...]";

enum { O_ASOF = 300 };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ O_ASOF, "as-of", OPT_ARG },
	{ 0, NULL, 0 }
};

/* ---- the rows it appends, in the order of SPEC section 4 ---- */

/* How far ahead a loop over rows scattered in memory asks for the next
 * (where the compiler can). */
enum { AHEAD = 16 };

/* A row to append, kept as what it says: its text is made only when it
 * is written, so that a night's millions of rows are held small. */
enum { C_TIER, C_EXPIRE, C_SAID };
static const char *const events[] = { "upgrade", "renew", "downgrade" };

struct change {
	const char *p;		/* joined from another list: its text there */
	size_t off;		/* its text in the list's: the member id, or
				   the whole line said (C_SAID) */
	size_t seq;		/* her n-th */
	int64_t value;		/* C_TIER: its reason's figure; C_EXPIRE:
				   the points */
	uint32_t order;		/* the member's registration */
	uint32_t len;		/* of its text */
	int32_t day, expires;	/* C_SAID: day is her rank */
	int32_t strikes;
	uint16_t grace;
	uint8_t kind, event, from, to, why, line;
};

/* A row spilled to a file, in a sorted run of them. */
struct srow {
	int32_t day;
	uint32_t len, order, seq;
	uint8_t dropped;	/* its member was walked again */
};

struct run {
	size_t first, n;	/* its rows in sv */
	uint64_t at;		/* its text in the file */
};

struct changes {
	const struct rules *r;	/* what the rows' texts are made with */
	struct change *v;
	size_t n, cap;
	struct buf text;
	struct buf *kept;	/* the texts of lists joined, not copied */
	size_t nkept;
	size_t *ord;		/* put in order: v[ord[0]], v[ord[1]], ... */
	size_t ordcap;
	/* given back by the last run written, whose pages are then not
	 * made again: its list, for the rounds meanwhile; its texts, for
	 * the lists joined */
	struct change *vfree;
	size_t freecap;
	struct buf *pool;
	size_t npool;
	size_t bytes;		/* of memory, held by v and its text */
	size_t seq0;		/* rows spilled before v[0] */
	/* a night of many rows: sorted runs of them in a temporary file */
	FILE *spill;
	uint64_t spilled;
	struct srow *sv;
	size_t sn, scap;
	struct run *runs;
	size_t nruns;
	struct spilljob *job;	/* the last run, still being written */
};

/* Room for n more bytes of text: a megabyte to begin with, as a text
 * of rows grows to megabytes, and grown without copies past it. */
static char *
room(struct buf *b, size_t n)
{
	if (b->cap - b->n < n)
		b->p = erealloc(b->p, b->cap = 2 * (b->n + n) + (1 << 20));
	return b->p + b->n;
}

/* A change of member order on day, its text the n bytes at s: the rest
 * of it is the caller's to fill in. */
static struct change *
change_add(struct changes *cs, int kind, day_t day, size_t order,
    const char *s, size_t n)
{
	struct change *c;

	if (cs->n == cs->cap)
		cs->v = erealloc(cs->v, (cs->cap = cs->cap ? 2 * cs->cap : 64) *
		    sizeof *cs->v);
	c = &cs->v[cs->n];
	memset(c, 0, sizeof *c);
	c->off = cs->text.n;
	c->seq = cs->seq0 + cs->n;
	c->order = (uint32_t)order;
	c->len = (uint32_t)n;
	c->day = (int32_t)day;
	c->kind = (uint8_t)kind;
	memcpy(room(&cs->text, n), s, n);
	cs->text.n += n;
	cs->bytes += sizeof *c + n;
	cs->n++;
	return c;
}

/* The row of change c of cs. */
static const char *
change_text(const struct changes *cs, const struct change *c)
{
	return c->p ? c->p : cs->text.p + c->off;
}

/* Lets go of the rows held in memory; those spilled stay. */
static void
changes_clear(struct changes *cs)
{
	size_t i;

	for (i = 0; i < cs->nkept; i++)
		buf_free(&cs->kept[i]);
	for (i = 0; i < cs->npool; i++)
		buf_free(&cs->pool[i]);
	free(cs->kept);
	free(cs->pool);
	free(cs->v);
	free(cs->ord);
	free(cs->vfree);
	buf_free(&cs->text);
	cs->kept = cs->pool = NULL;
	cs->nkept = cs->npool = 0;
	cs->v = cs->vfree = NULL;
	cs->ord = NULL;
	cs->n = cs->cap = cs->ordcap = cs->freecap = cs->bytes = 0;
}

static void spill_wait(struct changes *);

static void
changes_free(struct changes *cs)
{
	spill_wait(cs);
	changes_clear(cs);
	if (cs->spill)
		fclose(cs->spill);
	free(cs->sv);
	free(cs->runs);
	memset(cs, 0, sizeof *cs);
}

/* Moves the changes of from to the end of cs, their text where it is;
 * from keeps its list, and takes a text of cs's pool for its next rows. */
static void
changes_join(struct changes *cs, struct changes *from)
{
	size_t i;

	if (cs->cap - cs->n < from->n) {
		cs->cap = 2 * (cs->n + from->n);
		cs->v = erealloc(cs->v, cs->cap * sizeof *cs->v);
	}
	for (i = 0; i < from->n; i++) {
		cs->v[cs->n] = from->v[i];
		cs->v[cs->n].p = change_text(from, &from->v[i]);
		cs->v[cs->n].seq = cs->seq0 + cs->n;
		cs->bytes += sizeof *cs->v + from->v[i].len;
		cs->n++;
	}
	cs->kept = erealloc(cs->kept, (cs->nkept + from->nkept + 1) *
	    sizeof *cs->kept);
	for (i = 0; i < from->nkept; i++)
		cs->kept[cs->nkept++] = from->kept[i];
	cs->kept[cs->nkept++] = from->text;
	free(from->kept);
	from->kept = NULL;
	from->nkept = from->n = from->bytes = 0;
	if (cs->npool > 0)
		from->text = cs->pool[--cs->npool];
	else
		memset(&from->text, 0, sizeof from->text);
}

static int
bychange(const void *a, const void *b)
{
	const struct change *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void changes_order(struct changes *);

/* A run written to the spill file by a thread of its own, while the walk
 * goes on: the rows, with the texts they lie in, are the job's. */
struct spilljob {
	pthread_t th;
	struct changes rows;	/* r, v, ord, text and kept only */
	struct srow *sv;	/* where the order of the run goes */
	int fd;
	int threaded;		/* 0: written already, no thread to join */
	int rc;
	uint64_t written;	/* bytes of the run */
	struct vl_said said;	/* why, when rc is -1 */
};

enum { WINDOW = 256 << 10 };	/* bytes of rows read or written at once */

static size_t change_fmt(const struct rules *, const struct change *,
    const char *, char *);

/* The most bytes change_fmt writes for a change of text len. */
#define FMT_MAX(len) ((size_t)(len) + 2 * sizeof(((struct tier *)0)->name) + 320)

/* Rows [lo, hi) of cs made into text at the end of out; with sv, the
 * length of each there too. */
struct fmtpart {
	const struct changes *cs;
	size_t lo, hi;
	struct buf out;
	struct srow *sv;
};

static void *
fmt_part(void *arg)
{
	struct fmtpart *fp = arg;
	const struct changes *cs = fp->cs;
	const struct change *c;
	/* counted here, not in fp: the other thread's fp shares its line */
	struct buf out = fp->out;
	size_t i, n;

	for (i = fp->lo; i < fp->hi; i++) {
		c = &cs->v[cs->ord[i]];
		/* the rows lie where they were made: the next ones asked for
		 * two steps ahead, their texts one */
		if (i + 2 * AHEAD < fp->hi)
			PREFETCH(&cs->v[cs->ord[i + 2 * AHEAD]]);
		if (i + AHEAD < fp->hi)
			PREFETCH(change_text(cs, &cs->v[cs->ord[i + AHEAD]]));
		n = change_fmt(cs->r, c, change_text(cs, c),
		    room(&out, FMT_MAX(c->len)));
		out.n += n;
		if (fp->sv)
			fp->sv[i].len = (uint32_t)n;
	}
	fp->out = out;
	return NULL;
}

/* The rows of cs, in the order of its list, to fd, a window of them at a
 * time, made by two threads with both; with sv, the length of each row
 * there too.  *written grows by the bytes.  -1 + vl_err. */
static int
changes_write(const struct changes *cs, int fd, const char *name,
    struct srow *sv, uint64_t *written, int both)
{
	enum { PART = 2048 };	/* rows, some 200 kB of text */
	struct fmtpart fp[2] = { { cs, 0, 0, { 0 }, sv },
	    { cs, 0, 0, { 0 }, sv } };
	size_t i;
	int k, rc = 0;

	for (i = 0; i < cs->n && rc == 0; i = fp[1].hi) {
		fp[0].lo = i;
		fp[0].hi = fp[1].lo = cs->n - i < PART ? cs->n : i + PART;
		fp[1].hi = both && cs->n - fp[1].lo > PART ? fp[1].lo + PART :
		    both ? cs->n : fp[1].lo;
		fp[0].out.n = fp[1].out.n = 0;
		if (fp[1].hi > fp[1].lo)
			run_both(fmt_part, &fp[0], &fp[1]);
		else
			fmt_part(&fp[0]);
		for (k = 0; k < 2 && rc == 0; k++) {
			rc = fd_write(fd, fp[k].out.p, fp[k].out.n, name);
			if (written)
				*written += fp[k].out.n;
		}
	}
	buf_free(&fp[0].out);
	buf_free(&fp[1].out);
	return rc;
}

/* A run put in order and written at the spill file's end, where the run
 * before it ended: a run is begun only once that one is written. */
static void *
spill_write(void *arg)
{
	struct spilljob *j = arg;
	const struct change *c;
	size_t i;

	changes_order(&j->rows);
	for (i = 0; i < j->rows.n; i++) {
		c = &j->rows.v[j->rows.ord[i]];
		j->sv[i] = (struct srow){ c->day, 0, c->order,
		    (uint32_t)c->seq, 0 };
	}
	if ((j->rc = changes_write(&j->rows, j->fd, "a temporary file",
	    j->sv, &j->written, 0)) < 0)
		vl_keep(&j->said);
	return NULL;
}

/* The most texts kept for the lists joined after a run: those of a run
 * of rounds. */
enum { POOL = 16 };

/* Waits for the run being written, if any. */
static void
spill_wait(struct changes *cs)
{
	struct spilljob *j = cs->job;
	struct vl_said said;
	size_t i;
	int rc;

	if (!j)
		return;
	if (j->threaded)
		pthread_join(j->th, NULL);
	rc = j->rc;
	said = j->said;
	cs->spilled += j->written;
	/* the run's lists and texts are for the next */
	free(cs->vfree);
	free(cs->ord);
	cs->vfree = j->rows.v;
	cs->freecap = j->rows.cap;
	cs->ord = j->rows.ord;
	cs->ordcap = j->rows.ordcap;
	buf_free(&j->rows.text);
	cs->pool = erealloc(cs->pool, (cs->npool + j->rows.nkept + 1) *
	    sizeof *cs->pool);
	for (i = 0; i < j->rows.nkept; i++) {
		j->rows.kept[i].n = 0;
		if (cs->npool < POOL)
			cs->pool[cs->npool++] = j->rows.kept[i];
		else
			buf_free(&j->rows.kept[i]);
	}
	free(j->rows.kept);
	free(j);
	cs->job = NULL;
	if (rc < 0) {
		vl_take(&said);
		die_last();
	}
}

/* Writes the rows held in memory to the spill file as a run, in order,
 * and lets go of them: a night of millions of rows is then held as
 * small records, its text on disk.  Not for places past 32 bits. */
static void
changes_spill(struct changes *cs)
{
	struct spilljob *j;

	spill_wait(cs);
	if (cs->n == 0)
		return;
	if (!cs->spill && !(cs->spill = tmpfile()))
		die(E_SYSTEM, "a temporary file for the rows: %s",
		    strerror(errno));
	if (cs->sn + cs->n > cs->scap) {
		cs->scap = 2 * (cs->sn + cs->n);
		cs->sv = erealloc(cs->sv, cs->scap * sizeof *cs->sv);
	}
	cs->runs = erealloc(cs->runs, (cs->nruns + 1) * sizeof *cs->runs);
	cs->runs[cs->nruns++] = (struct run){ cs->sn, cs->n, cs->spilled };
	/* the run is put in order by its thread */
	j = ecalloc(1, sizeof *j);
	j->rows.r = cs->r;
	j->rows.v = cs->v;
	j->rows.n = cs->n;
	j->rows.cap = cs->cap;
	j->rows.ord = cs->ord;
	j->rows.ordcap = cs->ordcap;
	j->rows.text = cs->text;
	j->rows.kept = cs->kept;
	j->rows.nkept = cs->nkept;
	j->sv = cs->sv + cs->sn;
	j->fd = fileno(cs->spill);
	cs->sn += cs->n;
	cs->seq0 += cs->n;
	/* another list for the rounds meanwhile */
	cs->v = cs->vfree;
	cs->cap = cs->freecap;
	cs->vfree = NULL;
	cs->ord = NULL;
	cs->freecap = cs->ordcap = 0;
	memset(&cs->text, 0, sizeof cs->text);
	cs->kept = NULL;
	cs->nkept = cs->n = cs->bytes = 0;
	cs->job = j;
	if (pthread_create(&j->th, NULL, spill_write, j) != 0)
		spill_write(j);	/* then joined at once */
	else
		j->threaded = 1;
}

/* Spills cs when its text passes limit, if its places fit a run. */
static void
changes_spill_over(struct changes *cs, size_t limit, uint64_t places)
{
	if (cs->bytes > limit && places <= UINT32_MAX &&
	    cs->seq0 + cs->n <= UINT32_MAX)
		changes_spill(cs);
}

static int
srow_before(const struct srow *x, const struct srow *y)
{
	if (x->day != y->day)
		return x->day < y->day;
	if (x->order != y->order)
		return x->order < y->order;
	return x->seq < y->seq;
}

/* A run being read: its next row, and a window of its text. */
struct cursor {
	size_t i, end;
	uint64_t at;		/* the file offset of row i */
	char *buf;
	uint64_t from;		/* buf holds [from, from + n) */
	size_t n;
};

static const char *
cursor_text(FILE *f, struct cursor *c, size_t len)
{
	ssize_t got;
	size_t want;

	if (c->at < c->from || c->at + len > c->from + c->n) {
		want = WINDOW;
		if ((got = pread(fileno(f), c->buf, want, (off_t)c->at)) <
		    (ssize_t)len)
			die(E_SYSTEM, "read the rows back from a temporary "
			    "file: %s", got < 0 ? strerror(errno) : "too short");
		c->from = c->at;
		c->n = (size_t)got;
	}
	return c->buf + (c->at - c->from);
}

/* Past the dropped rows of a run: 1 while it has a row left. */
static int
cursor_live(const struct changes *cs, struct cursor *c)
{
	while (c->i < c->end && cs->sv[c->i].dropped) {
		c->at += cs->sv[c->i].len;
		c->i++;
	}
	return c->i < c->end;
}

/* The runs in heap, the one whose next row comes first on top: run
 * heap[i] moved down to its place. */
static void
heap_down(const struct changes *cs, const struct cursor *cur, size_t *heap,
    size_t n, size_t i)
{
	size_t c, t;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && srow_before(&cs->sv[cur[heap[c + 1]].i],
		    &cs->sv[cur[heap[c]].i]))
			c++;
		if (!srow_before(&cs->sv[cur[heap[c]].i],
		    &cs->sv[cur[heap[i]].i]))
			break;
		t = heap[i];
		heap[i] = heap[c];
		heap[c] = t;
		i = c;
	}
}

/* The spilled rows, with those held in memory, merged into one run in
 * a new temporary file, the dropped left out.  Done before the lock, the
 * run is what is written, unless a catch-up drops or adds rows.  With
 * to, a descriptor, the run is written there instead and cs keeps none. */
static void
changes_merge(struct changes *cs, int to)
{
	struct cursor *cur;
	struct srow *sv = NULL, *best;
	struct buf stage = { 0 };
	FILE *out = NULL;
	const char *name = to < 0 ? "a temporary file" : "<stdout>";
	size_t k, b, n = 0, i, *heap, nheap = 0;
	uint64_t len = 0;

	changes_spill(cs);
	spill_wait(cs);
	for (i = 0; i < cs->sn && !cs->sv[i].dropped; i++)
		;
	if (to < 0 && cs->nruns <= 1 && i == cs->sn)
		return;
	if (to < 0) {
		if (!(out = tmpfile()))
			die(E_SYSTEM, "a temporary file for the rows: %s",
			    strerror(errno));
		to = fileno(out);
		sv = emalloc((cs->sn + 1) * sizeof *sv);
	}
	cur = ecalloc(cs->nruns + 1, sizeof *cur);
	heap = emalloc((cs->nruns + 1) * sizeof *heap);
	for (k = 0; k < cs->nruns; k++) {
		cur[k].i = cs->runs[k].first;
		cur[k].end = cs->runs[k].first + cs->runs[k].n;
		cur[k].at = cs->runs[k].at;
		cur[k].buf = emalloc(WINDOW);
		if (cursor_live(cs, &cur[k]))
			heap[nheap++] = k;
	}
	for (k = nheap; k-- > 0; )
		heap_down(cs, cur, heap, nheap, k);
	while (nheap > 0) {
		b = heap[0];
		best = &cs->sv[cur[b].i];
		if (stage.n + best->len > WINDOW) {
			if (fd_write(to, stage.p, stage.n, name) < 0)
				die_last();
			stage.n = 0;
		}
		memcpy(room(&stage, best->len), cursor_text(cs->spill, &cur[b],
		    best->len), best->len);
		stage.n += best->len;
		len += best->len;
		if (sv)
			sv[n++] = *best;
		cur[b].at += best->len;
		cur[b].i++;
		if (!cursor_live(cs, &cur[b]))
			heap[0] = heap[--nheap];
		heap_down(cs, cur, heap, nheap, 0);
	}
	if (fd_write(to, stage.p, stage.n, name) < 0)
		die_last();
	buf_free(&stage);
	free(heap);
	for (k = 0; k < cs->nruns; k++)
		free(cur[k].buf);
	free(cur);
	if (!out) {
		changes_free(cs);
		return;
	}
	fclose(cs->spill);
	free(cs->sv);
	cs->spill = out;
	cs->sv = sv;
	cs->sn = cs->scap = n;
	cs->runs = erealloc(cs->runs, sizeof *cs->runs);
	cs->runs[0] = (struct run){ 0, n, 0 };
	cs->nruns = 1;
	cs->spilled = len;
}

/* The rows of cs, spilled, as one file in order: *out, described by sp. */
static void
take_spilled(struct changes *cs, FILE **out, struct spool *sp)
{
	changes_merge(cs, -1);
	*out = cs->spill;
	sp->fd = fileno(cs->spill);
	sp->len = cs->spilled;
	cs->spill = NULL;
	changes_free(cs);
}

/* A spool's rows on standard output, after what is there, unless -q. */
static void
spool_emit(const struct vl *vl, const struct spool *sp)
{
	if (vl->quiet)
		return;
	if (fflush(stdout) == EOF)
		die(E_SYSTEM, "write <stdout>:");
	if (spool_write(STDOUT_FILENO, sp, "<stdout>") < 0)
		die_last();
}

/* The rows of cs on standard output, in order, unless -q: a dry run's,
 * merged from their runs when spilled, else written from where they
 * lie. */
static void
changes_emit(const struct vl *vl, struct changes *cs)
{
	if (vl->quiet) {
		changes_free(cs);
		return;
	}
	if (fflush(stdout) == EOF)
		die(E_SYSTEM, "write <stdout>:");
	if (cs->spill) {
		changes_merge(cs, STDOUT_FILENO);
		return;
	}
	changes_order(cs);
	if (changes_write(cs, STDOUT_FILENO, "<stdout>", NULL, NULL, 1) < 0)
		die_last();
	changes_free(cs);
}

/* Puts the changes in the order of their rows: by day, member and her
 * order.  Made in the order of members, as they mostly are, they only
 * need sorting by day. */
static void
changes_order(struct changes *cs)
{
	size_t i, *at = NULL;
	day_t lo, hi;
	int inorder = 1;

	if (cs->ordcap < cs->n) {
		free(cs->ord);
		cs->ord = emalloc((cs->ordcap = cs->cap) * sizeof *cs->ord);
	}
	for (i = 1; i < cs->n && inorder; i++)
		inorder = cs->v[i - 1].order < cs->v[i].order ||
		    (cs->v[i - 1].order == cs->v[i].order &&
		    cs->v[i - 1].seq < cs->v[i].seq);
	for (lo = hi = cs->n ? cs->v[0].day : 0, i = 0; i < cs->n; i++) {
		if (cs->v[i].day < lo)
			lo = cs->v[i].day;
		if (cs->v[i].day > hi)
			hi = cs->v[i].day;
	}
	if (inorder && cs->n && (size_t)(hi - lo) < 4 * cs->n + 4096) {
		/* counting by day keeps the order of members within one;
		 * the rows stay where they are */
		at = ecalloc((size_t)(hi - lo) + 2, sizeof *at);
		for (i = 0; i < cs->n; i++)
			at[cs->v[i].day - lo + 1]++;
		for (i = 1; i <= (size_t)(hi - lo) + 1; i++)
			at[i] += at[i - 1];
		for (i = 0; i < cs->n; i++)
			cs->ord[at[cs->v[i].day - lo]++] = i;
		free(at);
	} else {
		sort(cs->v, cs->n, sizeof *cs->v, bychange);
		for (i = 0; i < cs->n; i++)
			cs->ord[i] = i;
	}
}

/* The changes as rows, in order. */
static void
take_changes(struct changes *cs, struct buf *rows)
{
	struct fmtpart fp = { cs, 0, cs->n, *rows, NULL };

	changes_order(cs);
	fmt_part(&fp);
	*rows = fp.out;
	changes_free(cs);
}

/* The dates of thirty years around --as-of written once, as a night's
 * millions of rows mostly name a few thousand days. */
enum { DAYS_BEFORE = 20 * 366, DAYS_AFTER = 10 * 366 };
static char daytext[DAYS_BEFORE + DAYS_AFTER][10];
static day_t day0 = DAY_NEVER;

static void
days_init(day_t asof)
{
	char buf[11];
	size_t i;

	day0 = asof - DAYS_BEFORE;
	for (i = 0; i < DAYS_BEFORE + DAYS_AFTER; i++)
		memcpy(daytext[i], date_fmt(day0 + (day_t)i, buf), 10);
}

static char *
put_day(char *p, day_t d)
{
	if (d >= day0 && d - day0 < DAYS_BEFORE + DAYS_AFTER)
		memcpy(p, daytext[d - day0], 10);
	else
		date_fmt(d, p);
	return p + 10;
}

static char *
put_num(char *p, int64_t v)
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char tmp[24], *q = tmp + sizeof tmp;

	do
		*--q = (char)('0' + (int)(u % 10));
	while ((u /= 10) > 0);
	if (v < 0)
		*p++ = '-';
	memcpy(p, q, (size_t)(tmp + sizeof tmp - q));
	return p + (tmp + sizeof tmp - q);
}

/* A tiers.tsv row of member id. */
static void
tier_change(struct changes *cs, const char *id, size_t order,
    const struct tierchange *ch)
{
	struct change *c = change_add(cs, C_TIER, ch->day, order, id,
	    strlen(id));

	c->event = ch->event[0] == 'u' ? 0 : ch->event[0] == 'r' ? 1 : 2;
	c->from = (uint8_t)ch->from;
	c->to = (uint8_t)ch->to;
	c->expires = (int32_t)ch->expires;
	c->strikes = ch->strikes;
	c->why = (uint8_t)ch->why;
	c->line = (uint8_t)ch->line;
	c->value = ch->value;
	c->grace = (uint16_t)ch->grace;
}

/* A points.tsv row expiring points of member id on day e. */
static void
expire_change(struct changes *cs, const char *id, size_t order, day_t e,
    int64_t points)
{
	change_add(cs, C_EXPIRE, e, order, id, strlen(id))->value = points;
}

/* A line said at the end for a member left alone, her tier not in
 * rules.conf: rank is her place among those recalculated (for the order
 * of the lines; it stands in the change's day), order her place. */
static void
stranded_change(struct changes *cs, const char *id, const char *tier,
    size_t rank, size_t order)
{
	struct buf line = { 0 };

	buf_addf(&line, "member %s has tier %s, which rules.conf does not "
	    "define; move the member with tier-set\n", id, tier);
	change_add(cs, C_SAID, (day_t)rank, order, line.p, line.n);
	buf_free(&line);
}

/* The text of change c, whose own text is at s, at out: its length.
 * out has room for FMT_MAX(c->len) bytes. */
static size_t
change_fmt(const struct rules *r, const struct change *c, const char *s,
    char *out)
{
	struct tierchange ch;
	char *p = out;

	if (c->kind == C_SAID) {
		memcpy(p, s, c->len);
		return c->len;
	}
	p = put_day(p, c->day);
	p = str_put(p, "T00:00:00\t");
	memcpy(p, s, c->len);
	p += c->len;
	if (c->kind == C_EXPIRE) {
		p = str_put(p, "\texpire\t");
		p = put_num(p, c->value);
		*p++ = '\t';
		p = put_day(p, c->day);
		p = str_put(p, "\t\t\n");
		return (size_t)(p - out);
	}
	*p++ = '\t';
	p = str_put(p, events[c->event]);
	*p++ = '\t';
	p = str_put(p, r->tiers[c->from].name);
	*p++ = '\t';
	p = str_put(p, r->tiers[c->to].name);
	*p++ = '\t';
	p = put_day(p, c->day);		/* since: the day of the change */
	*p++ = '\t';
	if (c->expires != DAY_NEVER)
		p = put_day(p, c->expires);
	*p++ = '\t';
	p = put_num(p, c->strikes);
	*p++ = '\t';
	memset(&ch, 0, sizeof ch);
	ch.strikes = c->strikes;
	ch.why = c->why;
	ch.line = c->line;
	ch.value = c->value;
	ch.grace = c->grace;
	p += tier_reason(r, &ch, p, 128);
	*p++ = '\n';
	return (size_t)(p - out);
}

struct walkout {
	struct changes *cs;
	const struct rules *r;
	const char *id;
	size_t order;
};

static void
tier_row(void *arg, const struct tierchange *ch)
{
	struct walkout *w = arg;

	tier_change(w->cs, w->id, w->order, ch);
}

static int
bycreditday(const void *a, const void *b)
{
	const struct movement *x = a, *y = b;

	return x->avail < y->avail ? -1 : x->avail > y->avail;
}

/* Credits and debits of SPEC-DETAILS "Points expiry", each (avail,
 * credit): on each day E on which some credit expires, the points
 * expired so far become the larger of themselves and the credits expiring
 * by E less the debits dated before E; a rise is one expire row for E. */
static void
expire_points(const struct rules *r, struct history *c, struct history *d,
    int64_t expired, day_t asof, const char *id, size_t order,
    struct changes *out)
{
	size_t i, j = 0;
	day_t e;
	int64_t credit = 0, debit = 0, target = expired, base = expired;

	/* credits by the day they expire: avail holds it from here on */
	for (i = 0; i < c->n; i++)
		c->v[i].avail = date_add_months(c->v[i].avail, r->expire_months);
	sort(c->v, c->n, sizeof *c->v, bycreditday);
	sort(d->v, d->n, sizeof *d->v, bycreditday);
	for (i = 0; i < c->n && (e = c->v[i].avail) <= asof; ) {
		for (; i < c->n && c->v[i].avail == e; i++)
			credit += c->v[i].credit;
		for (; j < d->n && d->v[j].avail < e; j++)
			debit += d->v[j].credit;
		if (credit - debit > target)
			target = credit - debit;
		if (target > base) {
			expire_change(out, id, order, e, base - target);
			base = target;
		}
	}
}

/* ---- from the ledgers: every row read ---- */

/* One member under recalculation. */
struct subject {
	struct member *m;
	struct tierpos pos;
	day_t start;
	int walk;		/* 0: its last tier row is after --as-of, or
				   its tier is not in rules.conf */
	struct counts counts;
	struct history credits, debits;	/* points expiry: (day, points) */
	int64_t expired;	/* points expired so far (positive) */
};

static void
expiry_sale_row(struct subject *s, const struct tsv *t, int referral)
{
	vltime_t at = tsv_time(t, S_AT);
	day_t avail = tsv_date(t, S_AVAILABLE_ON);
	int64_t e = tsv_int(t, referral ? S_REFERRAL_POINTS : S_EARNED);

	if (e > 0)
		history_add(&s->credits, at, avail, e, 0);
	else if (e < 0)
		history_add(&s->debits, at, avail, -e, 0);
	if (!referral && (e = tsv_int(t, S_POINTS_USED)) != 0)
		history_add(&s->debits, at, TIME_DAY(at), e, 0);
}

/* The rows tier-recalc would append as of asof, from the ledgers as
 * they are now.  A member whose tier rules.conf does not define is not
 * walked (her points still expire): a line for her goes to stranded. */
static void
recalc_ledgers(struct store *st, const struct rules *rules, day_t asof,
    char **names, int nnames, struct changes *tiers, struct changes *exp,
    struct changes *stranded)
{
	struct members ms;
	struct strmap ids = { 0 };
	struct subject *s;
	struct tierstate *ts;
	struct tsv t;
	size_t i, n = 0, *ix;
	int expiring = rules->expire_months > 0;

	/* read through the store's descriptors: the files it looked at */
	store_ledger(st, MEMBERS, &t);
	if (members_read(&t, INT64_MAX, &ms) < 0)
		die_last();
	s = ecalloc(ms.n + 1, sizeof *s);
	for (i = 0; i < (size_t)nnames; i++) {
		struct member *m = members_find(&ms, names[i]);

		if (!m)
			die(E_REFUSE, "member: %s is not a member id or phone",
			    names[i]);
		if (!strmap_get(&ids, m->f[M_MEMBER]) &&
		    TIME_DAY(m->joined) <= asof) {
			s[n].m = m;
			strmap_put(&ids, m->f[M_MEMBER], n++);
		}
	}
	for (i = 0; nnames == 0 && i < ms.n; i++)
		if (TIME_DAY(ms.v[i].joined) <= asof) {
			s[n].m = &ms.v[i];
			strmap_put(&ids, ms.v[i].f[M_MEMBER], n++);
		}
	ts = ecalloc(n + 1, sizeof *ts);
	store_ledger(st, TIERS, &t);
	if (tiers_read(&t, &ids, INT64_MAX, ts) < 0)
		die_last();
	for (i = 0; i < n; i++) {
		tierstate_default(&ts[i], rules, s[i].m->joined);
		s[i].walk = TIME_DAY(ts[i].at) <= asof;
		if (tierpos_start(&s[i].pos, &s[i].start, rules, &ts[i]) < 0 &&
		    s[i].walk) {
			stranded_change(stranded, s[i].m->f[M_MEMBER], ts[i].tier,
			    i, s[i].m->order);
			s[i].walk = 0;
		}
	}
	store_ledger(st, SALES, &t);
	while (tsv_row(&t, &L_SALES)) {
		if ((ix = strmap_get(&ids, t.f[S_MEMBER]))) {
			if (s[*ix].walk)
				counts_sale_row(&s[*ix].counts, &t,
				    s[*ix].pos.from, asof);
			if (expiring)
				expiry_sale_row(&s[*ix], &t, 0);
		}
		if (expiring && t.fl[S_REFERRER] &&
		    (ix = strmap_get(&ids, t.f[S_REFERRER])))
			expiry_sale_row(&s[*ix], &t, 1);
	}
	if (tsv_close(&t) < 0)
		die_last();
	/* the topup metric: one top-up's amount, on its own date */
	tsv_ledger(&t, st->vl, &L_WALLET);
	while (tsv_row(&t, &L_WALLET))
		if ((ix = strmap_get(&ids, t.f[W_MEMBER])) && s[*ix].walk)
			counts_topup_row(&s[*ix].counts, &t, s[*ix].pos.from,
			    asof);
	if (tsv_close(&t) < 0)
		die_last();
	for (i = 0; i < n; i++) {
		struct walkout w = { tiers, rules, s[i].m->f[M_MEMBER],
		    s[i].m->order };

		if (!s[i].walk)
			continue;
		counts_sort(&s[i].counts);
		if (tier_walk(rules, &s[i].pos, s[i].start, asof,
		    &s[i].counts, tier_row, &w) < 0)
			die_last();
		counts_free(&s[i].counts);
	}
	if (!expiring)
		return;
	store_ledger(st, POINTS, &t);
	while (tsv_row(&t, &L_POINTS)) {
		int64_t p;

		if (!(ix = strmap_get(&ids, t.f[P_MEMBER])))
			continue;
		p = tsv_int(&t, P_POINTS);
		if (strcmp(t.f[P_KIND], "expire") == 0)
			s[*ix].expired -= p;
		else if (p > 0)
			history_add(&s[*ix].credits, 0,
			    tsv_date(&t, P_AVAILABLE_ON), p, 0);
		else if (p < 0)
			history_add(&s[*ix].debits, 0,
			    tsv_date(&t, P_AVAILABLE_ON), -p, 0);
	}
	if (tsv_close(&t) < 0)
		die_last();
	for (i = 0; i < n; i++)
		expire_points(rules, &s[i].credits, &s[i].debits,
		    s[i].expired, asof, s[i].m->f[M_MEMBER], s[i].m->order, exp);
}

/*
 * ---- from the store's index: each member's rows as it keeps them ----
 *
 * When the index stands for the ledgers (store_whole), a member's rows
 * need not be read: two threads scan halves of the index and put each
 * member's rows together, the first half from the front of her place,
 * the second from the back; then two threads walk halves of the members.
 * Memory goes with the members and a fixed budget of rows: a shop with
 * more rows than the budget is walked in batches of members, a scan of
 * the index each.
 */
#define ROW_BUDGET ((size_t)96 << 20)	/* bytes of rows in one batch */
#define ROUND ((size_t)256 << 10)	/* rows walked between spills */

static size_t row_budget = ROW_BUDGET;

/* The budget, unless VIPLEDGER_TIER_KB sets another (tests walk a small
 * shop in many batches with it). */
static size_t
budget_from_env(void)
{
	const char *e = getenv("VIPLEDGER_TIER_KB");
	char *end;
	unsigned long kb;

	if (!e || !*e)
		return ROW_BUDGET;
	kb = strtoul(e, &end, 10);
	if (*end || kb == 0 || kb > SIZE_MAX / 1024)
		die(E_USAGE, "VIPLEDGER_TIER_KB=%s is not a number of "
		    "kilobytes", e);
	return (size_t)kb * 1024;
}

/* A member's last tiers.tsv row, kept small. */
struct ctier {
	int64_t at;
	int32_t since, expires, strikes;
	uint16_t name;
	uint8_t upgraded, known;
};

/* A row of hers, as the index keeps it. */
struct rrec {
	int64_t ref;		/* a sale: its row; a return: its sale's */
	int64_t paid, credit, goods, units, used;
	int32_t avail, atday;
	uint8_t kind, isreturn, expire, pad[5];
};

/* A row in a batch, in 24 bytes of the 64 of one: the rows of more
 * members fit a batch, and the index is scanned fewer times.  ref is
 * kept plus one in 40 bits, units in 16.  A row with a value past those,
 * or points used that may expire, is kept whole in its fill's list of
 * wide rows; then wide says which list, paid where in it. */
struct crec {
	int32_t paid, goods, credit, avail;
	uint32_t reflo;
	uint16_t units;
	uint8_t refhi;
	unsigned kind : 2, isreturn : 1, expire : 1;
	unsigned wide : 2;	/* its list + 1, or 0 */
};
_Static_assert(sizeof(struct crec) == 24, "a batch's row in 24 bytes");

/* The same in 16 bytes, where the rules count no items (most do not):
 * no goods or units, and its available_on in 16 bits from NDAY0 days
 * before --as-of.  A third more rows fit a batch. */
struct nrec {
	int32_t paid, credit;
	uint32_t reflo;
	uint16_t day;
	uint8_t refhi;
	unsigned kind : 2, isreturn : 1, expire : 1;
	unsigned wide : 2;
};
_Static_assert(sizeof(struct nrec) == 16, "a narrow row in 16 bytes");
#define NDAY0 60000

/* Does a line of the rules count items? */
static int
counts_items(const struct rules *r)
{
	int i;

	for (i = 0; i < r->nupgrades; i++)
		if (r->upgrades[i].metric == MET_ITEMS)
			return 1;
	for (i = 0; i < r->nkeeps; i++)
		if (r->keeps[i].metric == MET_ITEMS)
			return 1;
	return 0;
}

#define NOWALK INT32_MAX
#define LEFTOUT INT32_MIN

/* A member of a batch, as the fill puts her rows: one place to look up
 * for each row of the index, where there were four. */
struct bslot {
	uint64_t seg;		/* where her rows start in the batch */
	uint32_t cap;		/* the rows she may have */
	uint32_t na, nb;	/* put from the front, from the back */
	int32_t from;		/* where her counts start; NOWALK: not
				   walked; LEFTOUT: not recalculated */
};

/* A top-up in wallet.tsv, for the topup metric. */
struct ftop {
	uint32_t slot;		/* the member's place */
	int32_t day;
	int64_t amount;
	size_t seq;		/* file order */
};

struct fast {
	const struct rules *r;
	struct store *st;
	day_t asof;
	int expiring;
	uint64_t n;		/* members in the index */
	uint8_t *subject;	/* by place: 1 to recalculate */
	int32_t *from;		/* by place: where her counts start, or NOWALK */
	uint32_t *nrows;	/* by place: the rows a batch holds of her */
	int huge;		/* a member has more rows than nrows holds */
	struct ctier *tier;	/* by place; names in tiernames */
	char **tiernames;
	size_t ntiernames;
	struct strmap bytier;
	uint32_t *rank;		/* by place: among the members named; NULL:
				   all are, in the order of their places */
	struct ftop *tops;	/* by place, then in file order */
	size_t ntops;
	/* a batch: the members at [s0, s1), their rows in rec */
	uint64_t s0, s1;
	struct bslot *bs;	/* s1 - s0, and one past them */
	unsigned char *rec;	/* the rows: crec, or nrec when narrow */
	size_t recsize;		/* of one */
	size_t reccap;		/* rows rec has room for */
	struct rrec *wide[2];	/* the wide rows of each fill */
	size_t nwide[2], widecap[2];
	size_t budget;		/* bytes of rows in a batch */
	size_t held;		/* of them, the most a batch has held */
	int full;		/* a member had more rows than the index said */
};

static uint16_t
tier_name(struct fast *f, const char *name)
{
	size_t *ix = strmap_get(&f->bytier, name);

	if (ix)
		return (uint16_t)*ix;
	if (f->ntiernames >= UINT16_MAX)
		die(E_SYSTEM, "tiers.tsv: more than %d tier names", UINT16_MAX);
	f->tiernames = erealloc(f->tiernames, (f->ntiernames + 1) *
	    sizeof *f->tiernames);
	f->tiernames[f->ntiernames] = estrdup(name);
	return (uint16_t)*strmap_put(&f->bytier, name, f->ntiernames++);
}

static void
ctier_read(struct fast *f, const struct tsv *t, struct ctier *c)
{
	vltime_t at = tsv_time(t, T_AT);

	c->at = at;
	c->name = tier_name(f, t->f[T_TO]);
	c->since = (int32_t)(t->fl[T_SINCE] ? tsv_date(t, T_SINCE) :
	    TIME_DAY(at));
	c->expires = (int32_t)(t->fl[T_EXPIRES] ? tsv_date(t, T_EXPIRES) :
	    DAY_NEVER);
	c->strikes = (int32_t)tsv_int(t, T_STRIKES);
	c->upgraded = strcmp(t->f[T_EVENT], "upgrade") == 0;
	c->known = 1;
}

/* As tierrow.c reads it, or the lowest tier from the join. */
static void
ctier_state(const struct fast *f, const struct ctier *c, vltime_t joined,
    struct tierstate *ts)
{
	memset(ts, 0, sizeof *ts);
	if (c->known) {
		str_copy(ts->tier, sizeof ts->tier, f->tiernames[c->name]);
		ts->at = c->at;
		ts->since = c->since;
		ts->expires = c->expires;
		ts->strikes = c->strikes;
		ts->upgraded = c->upgraded;
		ts->known = 1;
	}
	tierstate_default(ts, f->r, joined);
}

static void
rrec_of(struct rrec *q, const struct ixrow *r)
{
	q->ref = r->isreturn ? r->saleoff : r->off;
	q->paid = r->paid;
	q->credit = r->credit;
	q->goods = r->goods;
	q->units = r->units;
	q->used = r->used;
	q->avail = r->avail;
	q->atday = (int32_t)TIME_DAY(r->at);
	q->kind = r->kind;
	q->isreturn = r->isreturn;
	q->expire = r->expire;
}

static int
fits32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

/* Are a batch's rows nrecs? */
static int
narrow(const struct fast *f)
{
	return f->recsize == sizeof(struct nrec);
}

/* Row r in a batch, at c: a crec or nrec, or in wide list k when it
 * does not fit. */
static void
crec_of(struct fast *f, int k, unsigned char *c, const struct ixrow *r)
{
	struct rrec q;
	int64_t day;

	rrec_of(&q, r);
	day = (int64_t)q.avail - (f->asof - NDAY0);
	if (narrow(f) && fits32(q.paid) && fits32(q.credit) && q.ref >= -1 &&
	    q.ref < ((int64_t)1 << 40) - 1 && q.kind <= K_POINTS &&
	    (q.used == 0 || !f->expiring) && day >= 0 && day <= UINT16_MAX) {
		struct nrec t = { (int32_t)q.paid, (int32_t)q.credit,
		    (uint32_t)(q.ref + 1), (uint16_t)day,
		    (uint8_t)((q.ref + 1) >> 32), q.kind, q.isreturn != 0,
		    q.expire != 0, 0 };

		memcpy(c, &t, sizeof t);
		return;
	}
	if (!narrow(f) && fits32(q.paid) && fits32(q.goods) &&
	    fits32(q.credit) && q.units >= 0 && q.units <= UINT16_MAX &&
	    q.ref >= -1 && q.ref < ((int64_t)1 << 40) - 1 &&
	    q.kind <= K_POINTS && (q.used == 0 || !f->expiring)) {
		/* made whole before it is stored: a store of its bit-fields
		 * alone would read the row's place first */
		struct crec t = { (int32_t)q.paid, (int32_t)q.goods,
		    (int32_t)q.credit, q.avail, (uint32_t)(q.ref + 1),
		    (uint16_t)q.units, (uint8_t)((q.ref + 1) >> 32), q.kind,
		    q.isreturn != 0, q.expire != 0, 0 };

		memcpy(c, &t, sizeof t);
		return;
	}
	if (f->nwide[k] == f->widecap[k])
		f->wide[k] = erealloc(f->wide[k], (f->widecap[k] =
		    2 * f->widecap[k] + 64) * sizeof *f->wide[k]);
	if (f->nwide[k] > INT32_MAX)
		die(E_SYSTEM, "more than %d wide rows in a batch", INT32_MAX);
	f->wide[k][f->nwide[k]] = q;
	if (narrow(f)) {
		struct nrec t = { .paid = (int32_t)f->nwide[k]++,
		    .wide = (uint8_t)(k + 1) };

		memcpy(c, &t, sizeof t);
	} else {
		struct crec t = { .paid = (int32_t)f->nwide[k]++,
		    .wide = (uint8_t)(k + 1) };

		memcpy(c, &t, sizeof t);
	}
}

/* A batch's row at p as a whole one.  Points used are read only where
 * they expire: then they are in a wide row. */
static void
rrec_from(const struct fast *f, struct rrec *q, const unsigned char *p)
{
	if (narrow(f)) {
		const struct nrec *c = (const struct nrec *)(const void *)p;
		int32_t day = (int32_t)(f->asof - NDAY0) + c->day;

		if (c->wide) {
			*q = f->wide[c->wide - 1][c->paid];
			return;
		}
		*q = (struct rrec){ (int64_t)c->reflo +
		    ((int64_t)c->refhi << 32) - 1, c->paid, c->credit, 0, 0, 0,
		    day, day, c->kind, c->isreturn, c->expire, { 0 } };
	} else {
		const struct crec *c = (const struct crec *)(const void *)p;

		if (c->wide) {
			*q = f->wide[c->wide - 1][c->paid];
			return;
		}
		*q = (struct rrec){ (int64_t)c->reflo +
		    ((int64_t)c->refhi << 32) - 1, c->paid, c->credit,
		    c->goods, c->units, 0, c->avail, c->avail, c->kind,
		    c->isreturn, c->expire, { 0 } };
	}
}

/* Is the row one the walk or the expiry of member b reads? */
static int
wanted(const struct fast *f, const struct bslot *b, const struct ixrow *r)
{
	if (b->from == LEFTOUT)
		return 0;
	if (r->kind == K_BUYER)
		return f->expiring || (b->from != NOWALK &&
		    r->avail >= b->from && r->avail <= f->asof);
	return f->expiring && (r->kind == K_REFERRER || r->kind == K_POINTS);
}

struct fill {
	struct fast *f;
	uint64_t lo, hi;	/* rows of the index */
	int back;
	int rc;
	struct vl_said said;	/* why, when rc is -1 */
};

static void
fill_rows(void *arg, const struct ixrow *v, size_t k)
{
	struct fill *fl = arg;
	struct fast *f = fl->f;
	const struct ixrow *r;
	struct bslot *b;
	uint64_t pos;

	for (r = v; r < v + k; r++) {
		/* her place two steps ahead, where her row goes one */
		if (r + 2 * AHEAD < v + k && r[2 * AHEAD].slot >= f->s0 &&
		    r[2 * AHEAD].slot < f->s1)
			PREFETCH(&f->bs[r[2 * AHEAD].slot - f->s0]);
		if (r + AHEAD < v + k && r[AHEAD].slot >= f->s0 &&
		    r[AHEAD].slot < f->s1) {
			b = &f->bs[r[AHEAD].slot - f->s0];
			PREFETCH_WRITE(f->rec + f->recsize * (fl->back ?
			    b->seg + b->cap - 1 - b->nb : b->seg + b->na));
		}
		if (r->kind > K_POINTS || r->slot < f->s0 || r->slot >= f->s1)
			continue;
		b = &f->bs[r->slot - f->s0];
		if (!wanted(f, b, r))
			continue;
		if ((fl->back ? b->nb : b->na) >= b->cap) {
			f->full = 1;
			continue;
		}
		pos = fl->back ? b->seg + b->cap - 1 - b->nb++ :
		    b->seg + b->na++;
		crec_of(f, fl->back, f->rec + pos * f->recsize, r);
	}
}

static void *
fill_half(void *arg)
{
	struct fill *fl = arg;

	if ((fl->rc = store_scan(fl->f->st, fl->lo, fl->hi, fill_rows,
	    fl)) < 0)
		vl_keep(&fl->said);
	return NULL;
}

/* Memory for a batch's rows: written all over at once, so in large pages
 * where the system has them (fewer faults and TLB misses). */
static void *
rows_alloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die(E_SYSTEM, "out of memory for %zu bytes of rows", n);
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

static void
mark(uint8_t **touched, uint64_t *cap, long slot)
{
	if (slot < 0)
		return;
	if ((uint64_t)slot >= *cap) {
		uint64_t n = 2 * (uint64_t)slot + 64;

		*touched = erealloc(*touched, n);
		memset(*touched + *cap, 0, n - *cap);
		*cap = n;
	}
	(*touched)[slot] = 1;
}

static int
bytop(const void *a, const void *b)
{
	const struct ftop *x = a, *y = b;

	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The top-ups of wallet.tsv up to asof, of the members the index knows:
 * not indexed, and few beside the sales, it is read whole.  With touched,
 * the members of top-ups that end past offset since are marked.  The
 * offset it was read to. */
static uint64_t
tops_load(struct fast *f, struct vl *vl, uint64_t since, uint8_t **touched,
    uint64_t *cap)
{
	struct tsv t;
	size_t tcap = 0;
	uint64_t end;
	long slot;
	day_t day;

	free(f->tops);
	f->tops = NULL;
	f->ntops = 0;
	tsv_ledger(&t, vl, &L_WALLET);
	while (tsv_row(&t, &L_WALLET)) {
		if (strcmp(t.f[W_KIND], "topup") != 0 ||
		    (slot = store_slot(f->st, t.f[W_MEMBER])) < 0)
			continue;
		if (touched && (uint64_t)t.off > since)
			mark(touched, cap, slot);
		if ((day = TIME_DAY(tsv_time(&t, W_AT))) > f->asof)
			continue;
		if (f->ntops == tcap)
			f->tops = erealloc(f->tops, (tcap = 2 * tcap + 64) *
			    sizeof *f->tops);
		f->tops[f->ntops] = (struct ftop){ (uint32_t)slot,
		    (int32_t)day, tsv_money(&t, W_AMOUNT), f->ntops };
		f->ntops++;
	}
	end = (uint64_t)t.off;
	if (tsv_close(&t) < 0)
		die_last();
	sort(f->tops, f->ntops, sizeof *f->tops, bytop);
	return end;
}

/* The top-ups of the member at slot: *n of them. */
static const struct ftop *
tops_of(const struct fast *f, uint64_t slot, size_t *n)
{
	size_t lo = 0, hi = f->ntops, mid, first;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (f->tops[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (first = lo; lo < f->ntops && f->tops[lo].slot == slot; lo++)
		;
	*n = lo - first;
	return f->tops + first;
}

struct walker {
	struct fast *f;
	uint64_t lo, hi;	/* places of members */
	struct changes tiers, exp, stranded;
	struct counts counts;
	struct history credits, debits;
	struct rrec *rows;	/* a member's, made whole */
	size_t rowcap;
	int rc;
	struct vl_said said;	/* why, when rc is -1 */
};

/* One member's walk and expiry, from her rows v in the order of the
 * ledgers; slot is her place, the order of her rows.  One whose tier
 * rules.conf does not define is not walked: a line for her goes to
 * stranded, and her points still expire. */
static int
walk_one(struct walker *w, const char *id, size_t slot,
    const struct tierstate *ts, const struct rrec *v, size_t n)
{
	struct fast *f = w->f;
	const struct rules *r = f->r;
	struct walkout out = { &w->tiers, r, id, slot };
	struct tierpos pos = { 0 };
	const struct ftop *top;
	day_t start;
	int64_t expired = 0;
	size_t i, ntop;
	int walk = TIME_DAY(ts->at) <= f->asof;

	if (tierpos_start(&pos, &start, r, ts) < 0 && walk) {
		stranded_change(&w->stranded, id, ts->tier,
		    f->rank ? f->rank[slot] : slot, slot);
		walk = 0;
	}
	if (walk) {
		counts_clear(&w->counts);
		for (i = 0; i < n; i++)
			if (v[i].kind == K_BUYER && v[i].avail >= pos.from &&
			    v[i].avail <= f->asof)
				counts_add(&w->counts, v[i].avail,
				    v[i].isreturn, v[i].paid, v[i].credit,
				    v[i].goods, v[i].units, v[i].ref);
		/* the topup metric: one top-up's amount, on its own date */
		for (top = tops_of(f, slot, &ntop); ntop > 0; top++, ntop--)
			if (top->day >= pos.from)
				counts_add_topup(&w->counts, top->day,
				    top->amount);
		counts_sort(&w->counts);
		if (tier_walk(r, &pos, start, f->asof, &w->counts, tier_row,
		    &out) < 0)
			return -1;
	}
	if (!f->expiring)
		return 0;
	w->credits.n = w->debits.n = 0;
	for (i = 0; i < n; i++) {
		const struct rrec *q = &v[i];

		if (q->kind == K_POINTS && q->expire) {
			expired -= q->credit;
			continue;
		}
		if (q->credit > 0)
			history_add(&w->credits, 0, q->avail, q->credit, 0);
		else if (q->credit < 0)
			history_add(&w->debits, 0, q->avail, -q->credit, 0);
		if (q->kind == K_BUYER && q->used != 0)
			history_add(&w->debits, 0, q->atday, q->used, 0);
	}
	expire_points(r, &w->credits, &w->debits, expired, f->asof, id, slot,
	    &w->exp);
	return 0;
}

static void *
walk_part(void *arg)
{
	struct walker *w = arg;
	struct fast *f = w->f;
	struct ixmember m;
	struct tierstate ts;
	const unsigned char *c;
	const struct bslot *b;
	uint64_t slot, j, n;

	for (slot = w->lo; slot < w->hi && w->rc == 0; slot++) {
		if (!f->subject[slot] || !store_member_at(f->st, slot, &m))
			continue;
		b = &f->bs[slot - f->s0];
		n = (uint64_t)b->na + b->nb;
		if (n > w->rowcap)
			w->rows = erealloc(w->rows, (w->rowcap = n) *
			    sizeof *w->rows);
		/* the front fill's rows, then the back's, put from the end */
		for (c = f->rec + b->seg * f->recsize, j = 0; j < b->na;
		    j++, c += f->recsize)
			rrec_from(f, &w->rows[j], c);
		for (c = f->rec + (b->seg + b->cap) * f->recsize; j < n; j++)
			rrec_from(f, &w->rows[j], c -= f->recsize);
		ctier_state(f, &f->tier[slot], m.joined, &ts);
		if ((w->rc = walk_one(w, m.id, (size_t)slot, &ts, w->rows,
		    n)) < 0)
			vl_keep(&w->said);
	}
	return NULL;
}

/* The members at [s0, s1): their rows put together, then walked. */
static void
batch(struct fast *f, struct changes *tiers, struct changes *exp,
    struct changes *stranded)
{
	struct fill fl[2];
	struct walker w[2];
	uint64_t nb = f->s1 - f->s0, i, rows = store_nrows(f->st), total;
	uint64_t lo, mid, hi, base, half;
	size_t spill_at;
	int k;

	f->bs = ecalloc(nb + 1, sizeof *f->bs);
	for (total = 0, i = 0; i < nb; i++) {
		f->bs[i].seg = total;
		f->bs[i].cap = f->nrows[f->s0 + i];
		f->bs[i].from = f->subject[f->s0 + i] ? f->from[f->s0 + i] :
		    LEFTOUT;
		total += f->bs[i].cap;
	}
	f->bs[nb].seg = total;
	/* one allocation for every batch: its pages are made once */
	if (total + 1 > f->reccap) {
		if (f->rec)
			munmap(f->rec, f->reccap * f->recsize);
		f->reccap = total + 1 > f->budget / f->recsize ?
		    total + 1 : f->budget / f->recsize;
		f->rec = rows_alloc(f->reccap * f->recsize);
	}
	for (k = 0; k < 2; k++)
		fl[k] = (struct fill){ .f = f, .lo = k ? rows / 2 : 0,
		    .hi = k ? rows : rows / 2, .back = k };
	f->nwide[0] = f->nwide[1] = 0;
	run_both(fill_half, &fl[0], &fl[1]);
	for (k = 0; k < 2; k++)
		if (fl[k].rc < 0) {
			vl_take(&fl[k].said);
			die_last();
		}
	for (i = 0; i < nb && !f->full; i++)
		if ((uint64_t)f->bs[i].na + f->bs[i].nb > f->bs[i].cap)
			f->full = 1;
	if (f->full)
		die(E_SYSTEM, "the index in %s/cache counts a member's rows "
		    "wrong; run ledger-check --repair", f->st->vl->dir);
	memset(w, 0, sizeof w);
	for (k = 0; k < 2; k++) {
		w[k].f = f;
		w[k].tiers.r = w[k].exp.r = w[k].stranded.r = f->r;
	}
	/* the budget is for the rows written too: half what the rows of
	 * the batches so far have not touched of it, a sixteenth at least
	 * (the rest, written and merged, is in flight or kept for the next
	 * rounds) */
	if (f->held < total * f->recsize)
		f->held = total * f->recsize;
	spill_at = f->held < f->budget ? (f->budget - f->held) / 2 : 0;
	if (spill_at < f->budget / 16)
		spill_at = f->budget / 16;
	/* in rounds of ROUND rows, what they write spilled past a quarter
	 * of the budget: memory stays with the budget, whatever the night
	 * writes */
	for (lo = f->s0; lo < f->s1; lo = hi) {
		base = f->bs[lo - f->s0].seg;
		for (hi = lo + 1; hi < f->s1 &&
		    f->bs[hi - f->s0].seg - base < ROUND; hi++)
			;
		/* halves of the rows, not of the members */
		half = (f->bs[hi - f->s0].seg - base) / 2;
		for (mid = lo; mid < hi && f->bs[mid - f->s0].seg - base < half;
		    mid++)
			;
		w[0].lo = lo;
		w[0].hi = w[1].lo = mid;
		w[1].hi = hi;
		run_both(walk_part, &w[0], &w[1]);
		for (k = 0; k < 2; k++) {
			if (w[k].rc < 0) {
				vl_take(&w[k].said);
				die_last();
			}
			changes_join(tiers, &w[k].tiers);
			changes_join(exp, &w[k].exp);
			changes_join(stranded, &w[k].stranded);
		}
		changes_spill_over(tiers, spill_at, f->n);
		changes_spill_over(exp, spill_at, f->n);
		store_release(f->st);	/* the records of the round's members */
	}
	for (k = 0; k < 2; k++) {
		changes_clear(&w[k].tiers);
		changes_clear(&w[k].exp);
		changes_clear(&w[k].stranded);
		counts_free(&w[k].counts);
		free(w[k].credits.v);
		free(w[k].debits.v);
		free(w[k].rows);
	}
	free(f->bs);
}

/* The index's pages let go every so many members read: a pass over all
 * their records holds only a part of them. */
static void
let_go(struct store *st, uint64_t i)
{
	if (i % 65536 == 65535)
		store_release(st);
}

/* The rows a member at slot may have, at most. */
static uint64_t
rows_of(const struct fast *f, const struct ixmember *m)
{
	return m->rows[0] + (f->expiring ? m->rows[1] : 0);
}

/* A part of the members at setup: [lo, hi) of their places. */
struct setup {
	struct fast *f;
	uint64_t lo, hi;
	int all;		/* every member joined by asof is recalculated */
};

/* Who is recalculated of the part, and where their counts start: a tier
 * rules.conf does not define, walk_one says so. */
static void *
setup_part(void *arg)
{
	struct setup *su = arg;
	struct fast *f = su->f;
	struct ixmember m;
	struct tierstate ts;
	struct tierpos pos = { 0 };
	uint64_t slot, rows;
	day_t start;

	for (slot = su->lo; slot < su->hi; slot++) {
		if (!store_member_at(f->st, slot, &m))
			continue;
		if (su->all && TIME_DAY(m.joined) <= f->asof)
			f->subject[slot] = 1;
		if (!f->subject[slot])
			continue;
		ctier_state(f, &f->tier[slot], m.joined, &ts);
		f->from[slot] = tierpos_start(&pos, &start, f->r, &ts) == 0 &&
		    TIME_DAY(ts.at) <= f->asof ? (int32_t)pos.from : NOWALK;
		if ((rows = rows_of(f, &m)) > UINT32_MAX)
			f->huge = 1;
		else
			f->nrows[slot] = (uint32_t)rows;
		if (su->lo == 0)
			let_go(f->st, slot);
	}
	return NULL;
}

/* Who is recalculated, their tiers, where their counts start. */
static void
fast_setup(struct fast *f, char **names, int nnames)
{
	struct ixmember m;
	struct member found;
	struct setup su[2];
	struct tsv t;
	uint64_t folded = store_folded(f->st, TIERS);
	size_t i, norder = 0;
	long s;
	int r;

	f->subject = ecalloc(f->n + 1, 1);
	f->from = emalloc((f->n + 1) * sizeof *f->from);
	f->nrows = ecalloc(f->n + 1, sizeof *f->nrows);
	f->tier = ecalloc(f->n + 1, sizeof *f->tier);
	if (nnames > 0)
		f->rank = emalloc((f->n + 1) * sizeof *f->rank);
	for (i = 0; i < (size_t)nnames; i++) {
		if ((r = store_member(f->st, names[i], &found)) < 0)
			die_last();
		if (r == 0)
			die(E_REFUSE, "member: %s is not a member id or phone",
			    names[i]);
		s = store_slot(f->st, found.f[M_MEMBER]);
		free(found.f[0]);
		if (s < 0 || !store_member_at(f->st, (uint64_t)s, &m))
			die(E_REFUSE, "member: %s is not a member id or phone",
			    names[i]);
		if (!f->subject[s] && TIME_DAY(m.joined) <= f->asof) {
			f->subject[s] = 1;
			f->rank[s] = (uint32_t)norder++;
		}
	}
	tier_name(f, f->r->tiers[0].name);
	/* tiers.tsv as far as the index stands for it */
	store_ledger(f->st, TIERS, &t);
	while (tsv_row(&t, &L_TIERS) && (uint64_t)t.off <= folded)
		if ((s = store_slot(f->st, t.f[T_MEMBER])) >= 0 &&
		    (nnames == 0 || f->subject[s]))
			ctier_read(f, &t, &f->tier[s]);
	if (tsv_close(&t) < 0)
		die_last();
	for (i = 0; i < 2; i++)
		su[i] = (struct setup){ f, i ? f->n / 2 : 0, i ? f->n : f->n / 2,
		    nnames == 0 };
	run_both(setup_part, &su[0], &su[1]);
	store_release(f->st);
	if (f->huge)
		die(E_SYSTEM, "a member has more than %lu rows: too many for "
		    "one walk", (unsigned long)UINT32_MAX);
}

/* The rows tier-recalc would append as of asof, from the index of st as
 * far as its stamp: 0, or -1 when it cannot stand for the ledgers. */
static int
recalc_index(struct vl *vl, struct store *st, const struct rules *rules,
    day_t asof, char **names, int nnames, struct fast *f,
    struct changes *tiers, struct changes *exp, struct changes *stranded,
    uint64_t *walletoff)
{
	uint64_t slot, sum;
	size_t budget = row_budget;
	int k;

	if (!store_whole(st))
		return -1;
	memset(f, 0, sizeof *f);
	f->r = rules;
	f->st = st;
	f->asof = asof;
	f->expiring = rules->expire_months > 0;
	f->n = store_nmembers(st);
	f->budget = budget;
	f->recsize = counts_items(rules) ? sizeof(struct crec) :
	    sizeof(struct nrec);
	fast_setup(f, names, nnames);
	*walletoff = tops_load(f, vl, 0, NULL, NULL);
	store_release(st);
	for (f->s0 = 0; f->s0 < f->n; f->s0 = f->s1) {
		/* as many members as the budget of rows holds, one at least */
		for (sum = 0, slot = f->s0; slot < f->n; slot++) {
			sum += f->nrows[slot] * f->recsize;
			if (sum > budget && slot > f->s0)
				break;
		}
		f->s1 = slot;
		batch(f, tiers, exp, stranded);
		store_release(st);
	}
	if (f->rec)
		munmap(f->rec, f->reccap * f->recsize);
	f->rec = NULL;
	f->reccap = 0;
	for (k = 0; k < 2; k++) {
		free(f->wide[k]);
		f->wide[k] = NULL;
		f->nwide[k] = f->widecap[k] = 0;
	}
	return 0;
}

static void
fast_free(struct fast *f)
{
	size_t i;

	for (i = 0; i < f->ntiernames; i++)
		free(f->tiernames[i]);
	free(f->tiernames);
	strmap_free(&f->bytier);
	free(f->subject);
	free(f->from);
	free(f->nrows);
	free(f->tier);
	free(f->rank);
	free(f->tops);
	memset(f, 0, sizeof *f);
}

/* ---- the walk without the lock, and under it what came since ---- */

/* What the walk reads: a file changed between two looks shows here. */
enum { LK_MEMBERS, LK_SALES, LK_POINTS, LK_TIERS, LK_RULES, LK_WALLET,
	LK_INTENT, NLOOK };
struct look {
	struct stat st[NLOOK];
	int there[NLOOK];
};

static void
look(struct vl *vl, struct look *lk)
{
	static const char *const files[NLOOK] = { "members.tsv",
	    "sales.tsv", "points.tsv", "tiers.tsv", "rules.conf", "wallet.tsv",
	    ".intent" };
	int i;

	memset(lk, 0, sizeof *lk);
	for (i = 0; i < NLOOK; i++)
		lk->there[i] = stat(vl_path(vl, files[i]), &lk->st[i]) == 0;
}

static int
same_file(const struct look *a, const struct look *b, int i)
{
	return a->there[i] == b->there[i] && (!a->there[i] ||
	    (a->st[i].st_ino == b->st[i].st_ino &&
	    a->st[i].st_size == b->st[i].st_size &&
	    a->st[i].st_mtim.tv_sec == b->st[i].st_mtim.tv_sec &&
	    a->st[i].st_mtim.tv_nsec == b->st[i].st_mtim.tv_nsec));
}

static int
same_look(const struct look *a, const struct look *b)
{
	int i;

	for (i = 0; i < NLOOK; i++)
		if (!same_file(a, b, i))
			return 0;
	return !a->there[LK_INTENT];	/* an unfinished append: under the lock */
}

/* Only rows appended to the ledgers and wallet.tsv since a, rules.conf
 * the same? */
static int
appended_only(const struct look *a, const struct look *b)
{
	static const int grows[] = { LK_MEMBERS, LK_SALES, LK_POINTS,
	    LK_TIERS, LK_WALLET };
	size_t k;
	int i;

	if (!same_file(a, b, LK_RULES) || a->there[LK_INTENT] ||
	    b->there[LK_INTENT])
		return 0;
	for (k = 0; k < sizeof grows / sizeof *grows; k++)
		if (i = grows[k], a->there[i] && (!b->there[i] ||
		    a->st[i].st_ino != b->st[i].st_ino ||
		    a->st[i].st_size > b->st[i].st_size))
			return 0;
	return 1;
}

/* The walk as the snapshot made it. */
struct snap {
	int fd[NLEDGERS];	/* the ledgers it read, still open */
	int fast;		/* from the index, as far as folded */
	uint64_t folded[NLEDGERS];
	long lines[NLEDGERS];
	uint64_t n;		/* members then */
	uint8_t *subject;	/* by place */
	uint32_t *rank;		/* by place, of the members named */
	uint64_t walletoff;	/* wallet.tsv as far as it was read */
};

/* The rows of everyone, from the index when it stands for the ledgers,
 * else from the ledgers.  Under the lock (locked) the index must stand
 * for all of them; without, as far as its stamp, the rest being caught
 * up with under the lock. */
static void
recalc_all(struct vl *vl, const struct rules *rules, day_t asof,
    char **names, int nnames, int locked, struct snap *sn,
    struct changes *tiers, struct changes *exp, struct changes *stranded)
{
	struct store st;
	struct fast f;
	int l, whole = 1;

	memset(sn, 0, sizeof *sn);
	for (l = 0; l < NLEDGERS; l++)
		sn->fd[l] = -1;
	tiers->r = exp->r = stranded->r = rules;
	if (store_open(&st, vl, locked) < 0)
		die_last();
	for (l = 0; locked && l < NLEDGERS; l++)
		if (store_folded(&st, l) < st.size[l])
			whole = 0;
	if (whole && recalc_index(vl, &st, rules, asof, names, nnames, &f,
	    tiers, exp, stranded, &sn->walletoff) == 0) {
		sn->fast = 1;
		for (l = 0; l < NLEDGERS; l++) {
			sn->folded[l] = store_folded(&st, l);
			/* the header alone: one line */
			sn->lines[l] = st.stamp.now[l].folded ?
			    (long)st.stamp.now[l].lines : sn->folded[l] > 0;
		}
		sn->n = f.n;
		sn->subject = f.subject;
		sn->rank = f.rank;
		f.subject = NULL;
		f.rank = NULL;
		fast_free(&f);
	} else {
		recalc_ledgers(&st, rules, asof, names, nnames, tiers, exp,
		    stranded);
	}
	/* under the lock, the ledgers read are looked at again, not opened:
	 * the same files, whatever came since */
	if (locked)
		store_close(&st);
	else
		store_detach(&st, sn->fd);
}

static void
snap_close(struct snap *sn)
{
	int l;

	for (l = 0; l < NLEDGERS; l++)
		if (sn->fd[l] >= 0)
			close(sn->fd[l]);
	for (l = 0; l < NLEDGERS; l++)
		sn->fd[l] = -1;
	free(sn->subject);
	free(sn->rank);
	sn->subject = NULL;
	sn->rank = NULL;
}

struct chainacc {
	struct rrec *v;
	size_t n, cap;
	int expiring;
};

static void
chain_row(void *arg, const struct ixrow *r)
{
	struct chainacc *a = arg;

	if (r->kind > K_POINTS || (r->kind != K_BUYER && !a->expiring))
		return;
	if (a->n == a->cap)
		a->v = erealloc(a->v, (a->cap = 2 * a->cap + 64) * sizeof *a->v);
	rrec_of(&a->v[a->n++], r);
}

/* The changes of cs but those of the members touched: filtered in
 * place, their text left where it is; spilled ones marked. */
static void
changes_drop(struct changes *cs, const uint8_t *touched, uint64_t cap)
{
	size_t i, k;

	spill_wait(cs);		/* the order of the last run is in sv */
	for (i = k = 0; i < cs->n; i++)
		if (cs->v[i].order >= cap || !touched[cs->v[i].order])
			cs->v[k++] = cs->v[i];
		else
			cs->bytes -= sizeof *cs->v + cs->v[i].len;
	cs->n = k;
	for (i = 0; i < cs->sn; i++)
		if (cs->sv[i].order < cap && touched[cs->sv[i].order])
			cs->sv[i].dropped = 1;
}

/* Under the lock, the snapshot stood for the ledgers up to sn->folded
 * and for wallet.tsv up to sn->walletoff: the members of rows appended
 * since are walked again, from the index brought up to date.  0, or -1
 * when it cannot be done so. */
static int
catch_up(struct vl *vl, const struct rules *rules, day_t asof, int nnames,
    struct snap *sn, struct changes *tiers, struct changes *exp,
    struct changes *stranded)
{
	static const int cols[NLEDGERS][2] = { { M_MEMBER, -1 },
	    { S_MEMBER, S_REFERRER }, { P_MEMBER, -1 }, { T_MEMBER, -1 } };
	static const struct ledger *const led[NLEDGERS] = { &L_MEMBERS,
	    &L_SALES, &L_POINTS, &L_TIERS };
	struct store st;
	struct fast f;
	struct walker w;
	struct chainacc acc = { NULL, 0, 0, rules->expire_months > 0 };
	struct tierlog log = { 0 };
	struct tierstate ts;
	struct ixmember m;
	struct tsv t;
	uint8_t *touched = NULL;
	uint64_t cap = 0, slot;
	int l, c;

	if (store_open_fds(&st, vl, 1, sn->fd) < 0)
		die_last();
	for (l = 0; l < NLEDGERS; l++)
		sn->fd[l] = -1;		/* the store's now */
	for (l = 0; l < NLEDGERS; l++)
		if (!st.writer || store_folded(&st, l) < st.size[l] ||
		    !store_whole(&st)) {
			store_close(&st);
			return -1;
		}
	for (l = 0; l < NLEDGERS; l++) {
		store_ledger_from(&st, l, sn->folded[l], &t);
		t.lineno = sn->lines[l];
		while (tsv_row(&t, led[l]))
			for (c = 0; c < 2; c++)
				if (cols[l][c] >= 0 && t.fl[cols[l][c]])
					mark(&touched, &cap,
					    store_slot(&st, t.f[cols[l][c]]));
		if (tsv_close(&t) < 0)
			die_last();
	}
	memset(&f, 0, sizeof f);
	f.r = rules;
	f.st = &st;
	f.asof = asof;
	f.expiring = rules->expire_months > 0;
	f.rank = sn->rank;
	/* the top-ups now, and the members of those since the snapshot */
	tops_load(&f, vl, sn->walletoff, &touched, &cap);
	memset(&w, 0, sizeof w);
	w.f = &f;
	w.tiers.r = w.exp.r = w.stranded.r = rules;
	/* the snapshot's rows but theirs */
	changes_drop(tiers, touched, cap);
	changes_drop(exp, touched, cap);
	changes_drop(stranded, touched, cap);
	for (slot = 0; slot < cap && slot < store_nmembers(&st); slot++) {
		if (!touched[slot] || !store_member_at(&st, slot, &m) ||
		    TIME_DAY(m.joined) > asof)
			continue;
		/* named members: only those named; else all */
		if (nnames > 0 && (slot >= sn->n || !sn->subject[slot]))
			continue;
		acc.n = 0;
		log.n = 0;
		if (store_chain(&st, slot, 0, chain_row, &acc) < 0 ||
		    (acc.expiring &&
		    store_chain(&st, slot, 1, chain_row, &acc) < 0) ||
		    store_tierlog(&st, m.id, &log) < 0)
			die_last();
		tier_at(&log, INT64_MAX, rules, m.joined, &ts);
		if (walk_one(&w, m.id, (size_t)slot, &ts, acc.v, acc.n) < 0)
			die_last();
	}
	changes_join(tiers, &w.tiers);
	changes_join(exp, &w.exp);
	changes_join(stranded, &w.stranded);
	changes_clear(&w.tiers);
	changes_clear(&w.exp);
	changes_clear(&w.stranded);
	free(f.tops);
	counts_free(&w.counts);
	free(w.credits.v);
	free(w.debits.v);
	free(acc.v);
	free(log.v);
	free(touched);
	store_close(&st);
	return 0;
}

/* The walk reads the ledgers without the lock, so a sale at the till is
 * not kept waiting by the nightly run; under the lock its rows are
 * appended, with those of the members whose rows came meanwhile walked
 * again, or all walked again there when more than rows came.  Members
 * left alone for a tier rules.conf lacks are said at the end, one line
 * each, and make the run exit 1. */
static int
tier_recalc(struct vl *vl, day_t asof, char **names, int nnames)
{
	struct rules rules;
	struct changes tiers = { 0 }, exp = { 0 }, stranded = { 0 };
	struct buf tierrows = { 0 }, expirerows = { 0 }, said = { 0 };
	struct append a[2] = { { &L_TIERS, &tierrows, NULL },
	    { &L_POINTS, &expirerows, NULL } };
	struct spool tierspool = { -1, 0 }, expirespool = { -1, 0 };
	FILE *tierfile = NULL, *expirefile = NULL;
	struct look before, after;
	struct snap sn = { { -1, -1, -1, -1 }, 0, { 0 }, { 0 }, 0, NULL, NULL, 0 };
	size_t i, j;
	int l, grown = 0, redo;

	look(vl, &before);
	if (!vl->dryrun) {
		if (rules_load(vl, &rules) < 0)
			die_last();
		recalc_all(vl, &rules, asof, names, nnames, 0, &sn, &tiers,
		    &exp, &stranded);
		/* a night of many rows: merged while the till may still write */
		if (tiers.spill)
			changes_merge(&tiers, -1);
		if (exp.spill)
			changes_merge(&exp, -1);
	}
	if (ledger_begin(vl) < 0)
		die_last();
	look(vl, &after);
	for (l = 0; sn.fast && l < NLEDGERS; l++)
		grown |= after.there[l] &&
		    (uint64_t)after.st[l].st_size > sn.folded[l];
	if (vl->dryrun)
		redo = 1;
	else if (!sn.fast)
		redo = !same_look(&before, &after);
	else if (!grown && same_look(&before, &after))
		redo = 0;
	else {
		/* a ledger not there then nor now is not looked for */
		for (l = 0; l < NLEDGERS; l++)
			if (sn.fd[l] < 0 && !after.there[l])
				sn.fd[l] = STORE_ABSENT;
		redo = !appended_only(&before, &after) ||
		    (nnames > 0 && !same_file(&before, &after, LK_MEMBERS)) ||
		    catch_up(vl, &rules, asof, nnames, &sn, &tiers, &exp,
		    &stranded) < 0;
	}
	if (redo) {
		changes_free(&tiers);
		changes_free(&exp);
		changes_free(&stranded);
		snap_close(&sn);
		if (rules_load(vl, &rules) < 0)
			die_last();
		recalc_all(vl, &rules, asof, names, nnames, 1, &sn, &tiers,
		    &exp, &stranded);
	}
	snap_close(&sn);
	/* a dry run's rows are printed from where they lie, merged as they
	 * are printed when spilled */
	if (tiers.spill && !vl->dryrun) {
		take_spilled(&tiers, &tierfile, &tierspool);
		a[0].spool = &tierspool;
	} else if (!vl->dryrun)
		take_changes(&tiers, &tierrows);
	if (exp.spill && !vl->dryrun) {
		take_spilled(&exp, &expirefile, &expirespool);
		a[1].spool = &expirespool;
	} else if (!vl->dryrun)
		take_changes(&exp, &expirerows);
	take_changes(&stranded, &said);
	if (ledger_commit(vl, a, 2) < 0)
		die_last();
	ledger_unlock(vl);
	if (tierfile)
		spool_emit(vl, &tierspool);
	else if (vl->dryrun)
		changes_emit(vl, &tiers);
	else
		emit(vl, &tierrows);
	if (expirefile)
		spool_emit(vl, &expirespool);
	else if (vl->dryrun)
		changes_emit(vl, &exp);
	else
		emit(vl, &expirerows);
	/* members left alone for a tier rules.conf lacks: a line each */
	for (i = 0; i < said.n; i = j + 1) {
		for (j = i; said.p[j] != '\n'; j++)
			;
		warn("%.*s", (int)(j - i), said.p + i);
	}
	if (tierfile)
		fclose(tierfile);
	if (expirefile)
		fclose(expirefile);
	return said.n ? E_REFUSE : E_OK;
}

int
main(int argc, char *argv[])
{
	struct optparse op;
	struct vl vl;
	const char *asof = NULL;
	day_t day;
	int c, rc;

#ifdef M_MMAP_THRESHOLD
	/* glibc: large buffers mapped, and given back when freed; kept in
	 * its heaps, those the walk's threads let go stay resident */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == O_ASOF)
			asof = op.arg;
	}
	if (vl.end)
		return vl_end(&vl);
	if (asof && date_parse(asof, strlen(asof), &day) < 0)
		usage_error("--as-of %s %s", asof, vl_err);
	row_budget = budget_from_env();
	if (vl_ready(&vl) < 0)
		die_last();
	if (!asof)
		day = TIME_DAY(vl.now);
	else if (day > TIME_DAY(vl.now))
		die(E_REFUSE, "as-of: %s is after today; no row is dated in "
		    "the future", asof);
	days_init(day);
	rc = tier_recalc(&vl, day, op.operands, op.noperands);
	fshut();
	return rc;
}
