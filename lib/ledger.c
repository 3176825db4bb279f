/* ledger.c: the lock, torn tails, and appends that are all or nothing. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base.h"

/* mkdir -p, with the last component at mode. */
static int
mkdirs(const char *dir, mode_t mode)
{
	char path[PATH_MAX];
	char *p;

	if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
		return fail_sys("%s: path too long", dir);
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST)
			return fail_sys("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	if (mkdir(path, mode) == 0) {
		if (chmod(path, mode) < 0)	/* whatever the umask */
			return fail_sys("chmod %s: %s", path, strerror(errno));
	} else if (errno != EEXIST) {
		return fail_sys("mkdir %s: %s", path, strerror(errno));
	}
	return 0;
}

/* Opens a file of DIR for writing: a symbolic link or anything but a
 * regular file is refused, so a writer never writes through a link. */
static int
open_regular(const char *path, int flags, int *created)
{
	struct stat st;
	int fd;

	*created = 0;
	flags |= O_NOFOLLOW | O_CLOEXEC;
	if ((fd = open(path, flags | O_CREAT | O_EXCL, 0600)) >= 0) {
		*created = 1;
		if (fchmod(fd, 0600) < 0) {	/* whatever the umask */
			fail_sys("chmod %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	else if (errno == EEXIST)
		fd = open(path, flags);
	if (fd < 0) {
		if (errno == ELOOP)
			return fail_sys("%s: is a symbolic link; writers refuse "
			    "one, put the file itself there", path);
		return fail_sys("open %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		fail_sys("stat %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail_sys("%s: is not a regular file", path);
	}
	return fd;
}

int
ledger_lock(struct vl *vl)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	struct stat held, named;
	double waited = 0;
	const char *path = vl_path(vl, ".lock");
	int created;

	if (vl->create && mkdirs(vl->dir, 0700) < 0)
		return -1;
	for (;;) {
		if ((vl->lockfd = open_regular(path, O_RDWR, &created)) < 0)
			return -1;
		while (flock(vl->lockfd, LOCK_EX | LOCK_NB) < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EWOULDBLOCK || waited >= vl->wait) {
				if (errno != EWOULDBLOCK)
					fail_sys("lock %s: %s", path,
					    strerror(errno));
				else
					fail_sys("ledger busy: another program "
					    "holds %s; try again or wait "
					    "longer with -w", path);
				close(vl->lockfd);
				vl->lockfd = -1;
				return -1;
			}
			nanosleep(&pause, NULL);
			waited += 0.01;
		}
		/* A .lock removed or replaced while we waited is not the
		 * lock the next writer takes: take that one instead. */
		if (fstat(vl->lockfd, &held) == 0 && lstat(path, &named) == 0 &&
		    named.st_dev == held.st_dev && named.st_ino == held.st_ino)
			return 0;
		close(vl->lockfd);
		vl->lockfd = -1;
	}
}

void
ledger_unlock(struct vl *vl)
{
	if (vl->lockfd >= 0) {
		flock(vl->lockfd, LOCK_UN);
		close(vl->lockfd);
		vl->lockfd = -1;
	}
}

/* The start of every write: the lock (unless a dry run), the recovery of
 * a killed writer's append, then the clock, so that a writer that waited
 * sees every row written before it. */
int
ledger_begin(struct vl *vl)
{
	struct buf log = { 0 };

	if (!vl->dryrun) {
		if (ledger_lock(vl) < 0)
			return -1;
		if (intent_recover(vl->dir, &log) < 0) {
			buf_free(&log);
			return -1;
		}
		if (log.n) {
			size_t i;

			for (i = 0; i + 1 < log.n; i++)	/* one line */
				if (log.p[i] == '\n')
					log.p[i] = ';';
			warn("undid an append that was never finished: %.*s",
			    (int)log.n - 1, log.p);
		}
		buf_free(&log);
	}
	return clock_now(&vl->now);
}

struct target {
	char path[PATH_MAX];
	int fd, created;
	off_t len;		/* the length to go back to */
	struct buf out;		/* a new file: its header, then the rows */
	const char *p;		/* what is written */
	size_t n;
};

/* Puts every target back as it was.  Returns -1 when one could not be
 * cut back: .intent then stays, and the next writer finishes the job. */
static int
rollback(struct vl *vl, struct target *t, int n)
{
	int i, k, bad = 0;

	for (i = 0; i < n; i++) {
		if (t[i].fd < 0)
			continue;
		if (t[i].created && unlink(t[i].path) == 0)
			continue;
		for (k = 0; k < 3; k++)	/* a passing fault may pass */
			if (ftruncate(t[i].fd, t[i].len) == 0 &&
			    fsync(t[i].fd) == 0)
				break;
		bad |= k == 3;
	}
	if (bad)
		return -1;
	unlink(vl_path(vl, ".intent"));
	dir_fsync(vl->dir);
	return 0;
}

static int
write_intent(struct vl *vl, struct target *t, const struct append *a, int n)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	struct buf b = { 0 };
	int i, fd, created, rc;

	for (i = 0; i < n; i++)
		if (t[i].fd >= 0)
			buf_addf(&b, "%s\t%lld\n", a[i].l->file,
			    (long long)t[i].len);
	snprintf(tmp, sizeof tmp, "%s", vl_path(vl, ".intent.tmp"));
	snprintf(path, sizeof path, "%s", vl_path(vl, ".intent"));
	unlink(tmp);
	if ((fd = open_regular(tmp, O_WRONLY | O_TRUNC, &created)) < 0) {
		buf_free(&b);
		return -1;
	}
	rc = fd_write(fd, b.p, b.n, tmp);
	buf_free(&b);
	if (rc == 0 && fsync(fd) < 0)
		rc = fail_sys("fsync %s: %s", tmp, strerror(errno));
	close(fd);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = fail_sys("rename %s: %s", tmp, strerror(errno));
	if (rc < 0) {
		unlink(tmp);
		return -1;
	}
	return dir_fsync(vl->dir);
}

int
spool_write(int fd, const struct spool *sp, const char *name)
{
	enum { CHUNK = 1 << 20 };
	char *buf = emalloc(CHUNK);
	uint64_t pos = 0;
	ssize_t got;
	size_t k;
	int rc = 0;

	while (rc == 0 && pos < sp->len) {
		k = sp->len - pos < CHUNK ? (size_t)(sp->len - pos) : CHUNK;
		if ((got = pread(sp->fd, buf, k, (off_t)pos)) != (ssize_t)k) {
			rc = fail_sys("read the rows for %s: %s", name,
			    got < 0 ? strerror(errno) : "too short");
			break;
		}
		while (k > 0 && buf[k - 1] != '\n')
			k--;
		if (k == 0) {
			rc = fail_sys("the rows for %s: a line longer than "
			    "%d bytes", name, CHUNK);
			break;
		}
		rc = fd_write(fd, buf, k, name);
		pos += k;
	}
	free(buf);
	return rc;
}

/* Appends each a[i].rows (whole lines) to its ledger, all or nothing:
 * .intent records the lengths before, one write(2) per ledger on O_APPEND
 * (a spool's rows: a write per megabyte, of whole lines), fsync, and the
 * removal of .intent is the commit point.  The caller
 * holds the lock.  On failure every ledger is as it was. */
static int
commit(struct vl *vl, const struct append *a, int n)
{
	struct target *t = ecalloc((size_t)n + 1, sizeof *t);
	struct stat st;
	int i, j, rc = -1, intent = 0;

	for (i = 0; i < n; i++)
		t[i].fd = -1;
	for (i = 0; i < n; i++) {
		if (a[i].rows->n == 0 && (!a[i].spool || a[i].spool->len == 0))
			continue;
		snprintf(t[i].path, sizeof t[i].path, "%s",
		    vl_path(vl, a[i].l->file));
		if ((t[i].fd = open_regular(t[i].path, O_RDWR | O_APPEND,
		    &t[i].created)) < 0)
			goto out;
		if (fstat(t[i].fd, &st) < 0) {
			fail_sys("stat %s: %s", t[i].path, strerror(errno));
			goto out;
		}
		t[i].len = st.st_size;
		switch (torn_set_aside(vl->dir, a[i].l->file, t[i].fd,
		    &t[i].len)) {
		case -1:
			goto out;
		case 1:
			warn("%s: set aside a torn last line in %s/torn/%s",
			    a[i].l->file, vl->dir, a[i].l->file);
		}
		t[i].p = a[i].rows->p;
		t[i].n = a[i].rows->n;
		if (t[i].len == 0) {
			for (j = 0; j < a[i].l->ncols; j++)
				row_field(&t[i].out, a[i].l->cols[j],
				    j == a[i].l->ncols - 1);
			buf_add(&t[i].out, a[i].rows->p, a[i].rows->n);
			t[i].p = t[i].out.p;
			t[i].n = t[i].out.n;
		}
	}
	if (write_intent(vl, t, a, n) < 0)
		goto out;
	intent = 1;
	for (i = 0; i < n; i++)
		if (t[i].fd >= 0 && (fd_write(t[i].fd, t[i].p, t[i].n,
		    t[i].path) < 0 || (a[i].rows->n == 0 &&
		    spool_write(t[i].fd, a[i].spool, t[i].path) < 0)))
			goto out;
	for (i = 0; i < n; i++)
		if (t[i].fd >= 0 && fsync(t[i].fd) < 0) {
			fail_sys("fsync %s: %s", t[i].path, strerror(errno));
			goto out;
		}
	if (unlink(vl_path(vl, ".intent")) < 0) {
		fail_sys("remove %s: %s", vl_path(vl, ".intent"), strerror(errno));
		goto out;
	}
	if (dir_fsync(vl->dir) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0 && intent) {
		char why[sizeof vl_err];

		memcpy(why, vl_err, sizeof why);
		rollback(vl, t, n);
		memcpy(vl_err, why, sizeof why);
	} else if (rc < 0) {
		for (i = 0; i < n; i++)
			if (t[i].created && t[i].len == 0)
				unlink(t[i].path);
	}
	for (i = 0; i < n; i++) {
		if (t[i].fd >= 0)
			close(t[i].fd);
		buf_free(&t[i].out);
	}
	free(t);
	return rc;
}

int
ledger_commit(struct vl *vl, const struct append *a, int n)
{
	return vl->dryrun ? 0 : commit(vl, a, n);
}

int
ledger_append(struct vl *vl, const struct ledger *l, const struct buf *rows)
{
	struct append a = { l, rows, NULL };

	return ledger_commit(vl, &a, 1);
}

void
row_field(struct buf *b, const char *s, int last)
{
	buf_adds(b, s ? s : "");
	buf_addc(b, last ? '\n' : '\t');
}

void
emit(const struct vl *vl, const struct buf *rows)
{
	if (!vl->quiet && rows->n)
		fwrite(rows->p, 1, rows->n, stdout);
}
