/* member-forget: erase a member's personal data for good, keeping the accounts. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

static const char usage[] =
    "member-forget [-d DIR] [-q] [-w SECONDS] [--dry-run] --reason TEXT MEMBER";

enum { O_REASON = 300 };

static const struct opt opts[] = {
	OPTS_WRITER,
	{ O_REASON, "reason", OPT_ARG }, { 0, NULL, 0 }
};

/* notes.tsv is written by member-note; only its first columns matter here. */

/* A file read whole: n bytes of whole lines, then len - n bytes of a torn
 * last line without LF. */
struct file {
	char *p;
	size_t n, len;
};

/* The member, and what of hers a stray line may hold: every name, phone,
 * email and address any of her rows had. */
struct who {
	const char *id;
	char **old;
	size_t nold;
};

/* A ledger she may be in: as read, as rewritten, and what becomes of its
 * torn last line. */
struct fate {
	const struct ledger *l;
	struct file f;
	struct buf out;		/* the new text of the ledger */
	int replace;		/* out differs, or the torn line is hers */
	int settorn;		/* the torn line goes to DIR/torn/<file> */
};

static const char *
path2(const char *dir, const char *file)
{
	static char path[PATH_MAX];

	if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
		die(E_SYSTEM, "%s/%s: path too long", dir, file);
	return path;
}

/* Writers refuse a ledger that is a link: replacing the link would leave
 * the data in its target. */
static void
slurp(const char *path, const char *name, struct file *f)
{
	struct buf b = { 0 };
	struct stat st;
	char chunk[65536];
	ssize_t r;
	int fd;

	memset(f, 0, sizeof *f);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return;
		if (errno == ELOOP)
			die(E_SYSTEM, "%s: is a symbolic link; put the file "
			    "itself in its place", name);
		die(E_SYSTEM, "open %s:", path);
	}
	if (fstat(fd, &st) < 0)
		die(E_SYSTEM, "stat %s:", path);
	if (!S_ISREG(st.st_mode))
		die(E_SYSTEM, "%s: not a regular file", name);
	while ((r = read(fd, chunk, sizeof chunk)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die(E_SYSTEM, "read %s:", path);
		}
		buf_add(&b, chunk, (size_t)r);
	}
	close(fd);
	buf_add(&b, "", 0);
	f->p = b.p;
	f->len = b.n;
	for (f->n = f->len; f->n > 0 && f->p[f->n - 1] != '\n'; f->n--)
		;
}

/* Splits a line (NUL-terminated, no LF) at TABs, in place. */
static int
split(char *s, char **f, int max)
{
	int nf = 0;

	for (;;) {
		if (nf == max)
			return -1;
		f[nf++] = s;
		if (!(s = strchr(s, '\t')))
			return nf;
		*s++ = '\0';
	}
}

/* Whether s[0..n) holds v; bytes, not strings: a line left by a crash
 * may hold NULs. */
static int
holds(const char *s, size_t n, const char *v)
{
	size_t k, vn = strlen(v);

	for (k = 0; k + vn <= n; k++)
		if (s[k] == v[0] && memcmp(s + k, v, vn) == 0)
			return 1;
	return 0;
}

/* A stray line mentions her when a field is her id or holds any of her
 * old values. */
static int
mentions(const struct who *w, const char *line, size_t n)
{
	const char *p = line, *end = line + n, *tab;
	size_t len, k, idn = strlen(w->id);

	for (;; p = tab + 1) {
		if (!(tab = memchr(p, '\t', (size_t)(end - p))))
			tab = end;
		len = (size_t)(tab - p);
		if (len == idn && memcmp(p, w->id, len) == 0)
			return 1;
		for (k = 0; k < w->nold; k++)
			if (holds(p, len, w->old[k]))
				return 1;
		if (tab == end)
			return 0;
	}
}

static void
old_add(struct who *w, const char *v)
{
	size_t k;

	if (!*v)
		return;
	for (k = 0; k < w->nold; k++)
		if (strcmp(w->old[k], v) == 0)
			return;
	w->old = erealloc(w->old, (w->nold + 1) * sizeof *w->old);
	w->old[w->nold++] = estrdup(v);
}

/* members.tsv: what a forgotten row keeps of each column. */
static const char *
members_field(int col, const char *v)
{
	switch (col) {
	case M_AT: case M_MEMBER: case M_REFERRER: case M_ASSOCIATE:
	case M_STORE:
		return v;
	case M_NAME:
		return "-";
	case M_CONTACT:
		return "dnd";
	}
	return "";		/* columns added later are hers too */
}

static const char *
notes_field(int col, const char *v)
{
	return col == N_TEXT ? "" : v;
}

/* Rewrites the whole lines of a ledger with her rows scrubbed, checking the
 * header and the width of each row; from members.tsv, also gathers her
 * old values. */
static void
scrub(struct fate *ft, struct who *w,
    const char *(*field)(int col, const char *v))
{
	const struct ledger *l = ft->l;
	const char *p = ft->f.p, *end = ft->f.p + ft->f.n, *nl;
	char *line, *f[TSV_MAXF];
	long lineno = 0;
	int nf, i, header = 1;
	size_t n;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)(nl - p);
		lineno++;
		if (n == 0) {		/* readers skip blank lines: keep them */
			buf_addc(&ft->out, '\n');
			continue;
		}
		line = estrndup(p, n);
		if ((nf = split(line, f, TSV_MAXF)) < 0)
			die(E_SYSTEM, "%s:%ld: too many fields", l->file, lineno);
		for (i = 0; header && i < l->ncols; i++)
			if (i >= nf || strcmp(f[i], l->cols[i]) != 0)
				die(E_SYSTEM, "%s:%ld: bad header: expected "
				    "column %s", l->file, lineno, l->cols[i]);
		if (!header && nf < l->ncols)
			die(E_SYSTEM, "%s:%ld: %d fields, expected %d", l->file,
			    lineno, nf, l->ncols);
		if (header || strcmp(f[1], w->id) != 0) {
			buf_add(&ft->out, p, n + 1);
			header = 0;
			free(line);
			continue;
		}
		if (l == &L_MEMBERS) {
			/* "-" is what forgetting leaves, not a name of hers */
			if (strcmp(f[M_NAME], "-") != 0)
				old_add(w, f[M_NAME]);
			old_add(w, f[M_PHONE]);
			old_add(w, f[M_EMAIL]);
			old_add(w, f[M_ADDRESS]);
		}
		for (i = 0; i < nf; i++)
			row_field(&ft->out, field(i, f[i]), i == nf - 1);
		free(line);
	}
	buf_add(&ft->out, "", 0);
	ft->replace = ft->out.n != ft->f.n ||
	    (ft->f.n > 0 && memcmp(ft->out.p, ft->f.p, ft->f.n) != 0);
}

/* The torn last line: set aside with the file it ends, dropped if hers. */
static void
torn_tail(struct fate *ft, const struct who *w)
{
	size_t n = ft->f.len - ft->f.n;

	if (n == 0)
		return;
	if (mentions(w, ft->f.p + ft->f.n, n))
		ft->replace = 1;
	else if (ft->replace)
		ft->settorn = 1;
}

/* DIR/torn/<name>: its lines without hers, and any line now set aside. */
static int
torn_file(const char *torndir, const char *name, const struct who *w,
    const struct fate *add, struct buf *out)
{
	struct file f;
	const char *p, *end, *nl;
	int changed = 0;

	slurp(path2(torndir, name), name, &f);
	for (p = f.p, end = f.p + f.len; p && p < end; p = nl + 1) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		if (mentions(w, p, (size_t)(nl - p))) {
			changed = 1;
			continue;
		}
		buf_add(out, p, (size_t)(nl - p));
		buf_addc(out, '\n');
	}
	if (add && add->settorn) {
		buf_add(out, add->f.p + add->f.n, add->f.len - add->f.n);
		buf_addc(out, '\n');
		changed = 1;
	}
	buf_add(out, "", 0);
	free(f.p);
	return changed;
}

static void
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) < 0)
		die(E_SYSTEM, "fsync %s:", dir);
	close(fd);
}

/* rm -r without following links: DIR/cache/ is derived and may go. */
static void
rmtree(const char *path)
{
	char sub[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return;
		die(E_SYSTEM, "stat %s:", path);
	}
	if (S_ISDIR(st.st_mode)) {
		if (!(d = opendir(path)))
			die(E_SYSTEM, "open %s:", path);
		while ((errno = 0, e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (snprintf(sub, sizeof sub, "%s/%s", path,
			    e->d_name) >= (int)sizeof sub)
				die(E_SYSTEM, "%s/%s: path too long", path,
				    e->d_name);
			rmtree(sub);
		}
		if (errno)
			die(E_SYSTEM, "read %s:", path);
		closedir(d);
		if (rmdir(path) < 0)
			die(E_SYSTEM, "remove %s:", path);
	} else if (unlink(path) < 0) {
		die(E_SYSTEM, "remove %s:", path);
	}
}

/* The names in DIR/torn/, sorted, so the files are rewritten in a fixed
 * order; a temporary file left there by a killed run is removed. */
static char **
torn_names(const char *torndir, size_t *n)
{
	char **v = NULL;
	struct dirent *e;
	struct stat st;
	const char *path;
	size_t len;
	DIR *d;

	*n = 0;
	if (!(d = opendir(torndir))) {
		if (errno == ENOENT)
			return NULL;
		die(E_SYSTEM, "open %s:", torndir);
	}
	while ((errno = 0, e = readdir(d))) {
		len = strlen(e->d_name);
		path = path2(torndir, e->d_name);
		if (e->d_name[0] == '.') {
			if (len > 5 && !strcmp(e->d_name + len - 4,
			    ".tmp") && unlink(path) < 0)
				die(E_SYSTEM, "remove %s:", path);
			continue;
		}
		if (lstat(path, &st) < 0)
			die(E_SYSTEM, "stat %s:", path);
		if (S_ISLNK(st.st_mode))
			die(E_SYSTEM, "torn/%s: is a symbolic link; put the "
			    "file itself in its place", e->d_name);
		if (!S_ISREG(st.st_mode))
			continue;
		v = erealloc(v, (*n + 1) * sizeof *v);
		v[(*n)++] = estrdup(e->d_name);
	}
	if (errno)
		die(E_SYSTEM, "read %s:", torndir);
	closedir(d);
	return v;
}

static int
byname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Rewrites each file in DIR/torn/ without her lines, adding the torn
 * lines of the ledgers about to be replaced. */
static void
torn_forget(const char *dir, const struct who *w, const struct fate ft[2])
{
	const struct fate *add;
	struct buf out = { 0 };
	char torndir[PATH_MAX], **names;
	size_t nnames, i;
	int j;

	snprintf(torndir, sizeof torndir, "%s", path2(dir, "torn"));
	names = torn_names(torndir, &nnames);
	for (j = 0; j < 2; j++) {
		if (!ft[j].settorn)
			continue;
		for (i = 0; i < nnames; i++)
			if (!strcmp(names[i], ft[j].l->file))
				break;
		if (i == nnames) {
			names = erealloc(names, (nnames + 1) * sizeof *names);
			names[nnames++] = estrdup(ft[j].l->file);
		}
	}
	if (nnames == 0)
		return;
	sort(names, nnames, sizeof *names, byname);
	if (mkdir(torndir, 0700) == 0) {
		if (chmod(torndir, 0700) < 0)	/* whatever the umask */
			die(E_SYSTEM, "chmod %s:", torndir);
		sync_dir(dir);
	} else if (errno != EEXIST) {
		die(E_SYSTEM, "mkdir %s:", torndir);
	}
	for (i = 0; i < nnames; i++) {
		add = NULL;
		for (j = 0; j < 2; j++)
			if (!strcmp(names[i], ft[j].l->file))
				add = &ft[j];
		out.n = 0;
		if (torn_file(torndir, names[i], w, add, &out) &&
		    file_replace(torndir, names[i], out.p, out.n) < 0)
			die(E_SYSTEM, "%s", vl_err);
		free(names[i]);
	}
	free(names);
	buf_free(&out);
}

/* Removes a temporary file a killed replace left in DIR: it may hold a
 * copy of a ledger from before the erasure. */
static void
stale_tmp(const char *dir, const char *file)
{
	char name[NAME_MAX + 1];
	const char *path;

	if (snprintf(name, sizeof name, ".%s.tmp", file) >= (int)sizeof name)
		die(E_SYSTEM, "%s: name too long", file);
	path = path2(dir, name);
	if (unlink(path) < 0 && errno != ENOENT)
		die(E_SYSTEM, "remove %s:", path);
}

/* Set-aside lines first, the ledgers after, members.tsv last: a run cut
 * short and run again still finds her old values there.  The cache goes
 * last of all; it is derived from the ledgers. */
static void
forget(const struct vl *vl, const struct who *w, const struct fate ft[2])
{
	struct stat st;
	int j;

	torn_forget(vl->dir, w, ft);
	for (j = 1; j >= 0; j--) {
		stale_tmp(vl->dir, ft[j].l->file);
		if (ft[j].replace && file_replace(vl->dir, ft[j].l->file,
		    ft[j].out.p, ft[j].out.n) < 0)
			die(E_SYSTEM, "%s", vl_err);
	}
	if (lstat(path2(vl->dir, "cache"), &st) == 0) {
		rmtree(path2(vl->dir, "cache"));
		sync_dir(vl->dir);
	}
}

int
main(int argc, char *argv[])
{
	struct optparse op;
	struct vl vl;
	struct members ms;
	struct member *m;
	struct who w = { 0 };
	struct fate ft[2];
	const char *reason = NULL;
	int c, j;

	vl_init(&vl, argv[0], usage);
	opt_init(&op, argc, argv, opts);
	while ((c = opt_next(&op)) != -1) {
		if (vl_opt(&vl, c, op.arg))
			continue;
		if (c == O_REASON)
			reason = op.arg;
	}
	if (vl.end)
		return vl_end(&vl);
	if (op.noperands != 1)
		usage_error(op.noperands ? "one member at a time" :
		    "no member given");
	if (!reason || !*reason)
		usage_error("--reason is required");
	if (vl_ready(&vl) < 0)
		die_last();
	if (field_check("reason", reason) < 0)
		die(E_REFUSE, "%s", vl_err);
	/* the lock, and an unfinished append undone before files are read */
	if (ledger_begin(&vl) < 0)
		die_last();
	if (members_load(&vl, INT64_MAX, &ms) < 0)
		die_last();
	if (!(m = members_find(&ms, op.operands[0])))
		die(E_REFUSE, "member: %s is not a member id or phone",
		    op.operands[0]);
	w.id = m->f[M_MEMBER];
	memset(ft, 0, sizeof ft);
	ft[0].l = &L_MEMBERS;
	ft[1].l = &L_NOTES;

	/* Her rows first: they give the old values the stray lines are
	 * searched for. */
	for (j = 0; j < 2; j++) {
		slurp(path2(vl.dir, ft[j].l->file), ft[j].l->file, &ft[j].f);
		scrub(&ft[j], &w, j == 0 ? members_field : notes_field);
	}
	for (j = 0; j < 2; j++)
		torn_tail(&ft[j], &w);
	if (!vl.dryrun) {
		forget(&vl, &w, ft);
		ledger_unlock(&vl);
	}
	if (!vl.quiet)
		printf("%s forgotten: %s\n", w.id, reason);
	fshut();
	return E_OK;
}
