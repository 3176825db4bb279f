/* ledger.c: the lock, torn tails, and appending whole rows with one write. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vl.h"

/* mkdir -p, with the last component at mode. */
static void
mkdirs(const char *dir, mode_t mode)
{
	char path[4096];
	char *p;

	if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
		die(E_SYSTEM, "%s: path too long", dir);
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST)
			die(E_SYSTEM, "mkdir %s:", path);
		*p = '/';
	}
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		die(E_SYSTEM, "mkdir %s:", path);
}

void
ledger_lock(struct vl *vl)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	double waited = 0;
	const char *path;

	mkdirs(vl->dir, 0700);
	path = vl_path(vl, ".lock");
	if ((vl->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		die(E_SYSTEM, "open %s:", path);
	while (flock(vl->lockfd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			die(E_SYSTEM, "lock %s:", path);
		if (waited >= vl->wait)
			die(E_SYSTEM, "ledger busy: another program holds "
			    "%s; try again or wait longer with -w", path);
		nanosleep(&pause, NULL);
		waited += 0.01;
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

static void
write_all(int fd, const char *p, size_t n, const char *path)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			die(E_SYSTEM, "write %s:", path);
		}
		p += w, n -= (size_t)w;
	}
}

static void
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0 || fsync(fd) < 0)
		die(E_SYSTEM, "fsync %s:", dir);
	close(fd);
}

/* Where the file does not end in LF, moves the bytes after the last LF to
 * DIR/cache/torn-FILE and cuts the file back.  Returns the new size. */
static off_t
set_aside_torn(struct vl *vl, int fd, off_t size, const char *file)
{
	char chunk[4096], *torn;
	off_t end = size, start;
	ssize_t r;
	int tfd;
	char name[300];
	const char *path;

	if (size == 0)
		return 0;
	if (pread(fd, chunk, 1, size - 1) != 1)
		die(E_SYSTEM, "read %s:", file);
	if (chunk[0] == '\n')
		return size;
	/* Find the last LF, a chunk at a time from the end. */
	for (start = size; start > 0; ) {
		off_t from = start > (off_t)sizeof chunk ? start - (off_t)sizeof chunk : 0;
		char *nl = NULL;
		ssize_t k;

		r = pread(fd, chunk, (size_t)(start - from), from);
		if (r != start - from)
			die(E_SYSTEM, "read %s:", file);
		for (k = r; k > 0 && !nl; k--)	/* memrchr is not POSIX */
			if (chunk[k - 1] == '\n')
				nl = chunk + k - 1;
		if (nl) {
			end = from + (nl - chunk) + 1;
			break;
		}
		start = from;
		end = 0;
	}
	torn = emalloc((size_t)(size - end) + 1);
	if (pread(fd, torn, (size_t)(size - end), end) != size - end)
		die(E_SYSTEM, "read %s:", file);
	torn[size - end] = '\n';
	mkdirs(vl_path(vl, "cache"), 0700);
	snprintf(name, sizeof name, "cache/torn-%s", file);
	path = vl_path(vl, name);
	if ((tfd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0)
		die(E_SYSTEM, "open %s:", path);
	write_all(tfd, torn, (size_t)(size - end) + 1, path);
	if (fsync(tfd) < 0)
		die(E_SYSTEM, "fsync %s:", path);
	close(tfd);
	free(torn);
	if (ftruncate(fd, end) < 0)
		die(E_SYSTEM, "truncate %s:", file);
	warn("%s: set aside a torn last line in %s", file, path);
	return end;
}

/* Appends rows (whole lines) to a ledger: header first in a new file, one
 * write(2) on O_APPEND, fsync.  The caller holds the lock. */
void
ledger_append(struct vl *vl, const struct ledger *l, const struct buf *rows)
{
	const char *path = vl_path(vl, l->file);
	struct buf out = { 0 };
	struct stat st;
	off_t size;
	int fd, i, created;

	if (rows->n == 0)
		return;
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	created = fd >= 0;
	if (!created && (errno != EEXIST ||
	    (fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC)) < 0))
		die(E_SYSTEM, "open %s:", path);
	if (fstat(fd, &st) < 0)
		die(E_SYSTEM, "stat %s:", path);
	size = set_aside_torn(vl, fd, st.st_size, l->file);
	if (size == 0) {
		for (i = 0; i < l->ncols; i++)
			row_field(&out, l->cols[i], i == l->ncols - 1);
	}
	buf_add(&out, rows->p, rows->n);
	write_all(fd, out.p, out.n, path);
	if (fsync(fd) < 0)
		die(E_SYSTEM, "fsync %s:", path);
	if (close(fd) < 0)
		die(E_SYSTEM, "close %s:", path);
	if (created)
		sync_dir(vl->dir);
	buf_free(&out);
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
