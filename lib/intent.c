/* intent.c: after a killed writer: cut ledgers back to .intent, set torn lines aside. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"

/* .intent names each ledger once; this is far more than a shop has. */
#define INTENT_MAX 65536

int
fd_write(int fd, const char *p, size_t n, const char *name)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return fail_sys("write %s: %s", name, strerror(errno));
		}
		p += w, n -= (size_t)w;
	}
	return 0;
}

int
dir_fsync(const char *dir)
{
	int fd, e;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return fail_sys("open %s: %s", dir, strerror(errno));
	if (fsync(fd) < 0) {
		e = errno;
		close(fd);
		return fail_sys("fsync %s: %s", dir, strerror(e));
	}
	close(fd);
	return 0;
}

/* A name in DIR that .intent may cut: never a path, never a dot file,
 * so a damaged .intent cannot reach .lock, itself, or outside DIR. */
static int
plain_name(const char *s, size_t n)
{
	return n > 0 && n < 256 && s[0] != '.' && !memchr(s, '/', n) &&
	    !memchr(s, '\0', n);
}

struct cut {
	char name[256];
	off_t len;
	int fd;			/* -1: the file does not exist */
};

static void
close_cuts(struct cut *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].fd >= 0)
			close(c[i].fd);
	free(c);
}

/* Reads .intent whole; -1 on an error, 0 when there is none. */
static int
read_intent(int dfd, const char *dir, char *text, size_t *n)
{
	ssize_t r;
	int fd;

	*n = 0;
	if ((fd = openat(dfd, ".intent", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		return fail_sys("open %s/.intent: %s", dir, strerror(errno));
	}
	while (*n <= INTENT_MAX) {
		if ((r = read(fd, text + *n, INTENT_MAX + 1 - *n)) < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return fail_sys("read %s/.intent: %s", dir, strerror(errno));
		}
		if (r == 0)
			break;
		*n += (size_t)r;
	}
	close(fd);
	if (*n > INTENT_MAX)
		return fail_sys("%s/.intent: longer than %d bytes; a human must "
		    "look at it and the ledgers", dir, INTENT_MAX);
	return 1;
}

/* Parses FILE<TAB>LENGTH lines; every line must end in LF, as the writer
 * renames .intent into place only once it is whole. */
static int
parse_intent(const char *dir, const char *text, size_t n, struct cut **cuts,
    size_t *ncuts)
{
	const char *p = text, *e = text + n, *nl, *tab;
	size_t cap = 0;
	long line = 0;
	int64_t len;

	*cuts = NULL;
	*ncuts = 0;
	for (; p < e; p = nl + 1) {
		line++;
		nl = memchr(p, '\n', (size_t)(e - p));
		tab = nl ? memchr(p, '\t', (size_t)(nl - p)) : NULL;
		if (!tab || !plain_name(p, (size_t)(tab - p)) ||
		    int_parse(tab + 1, (size_t)(nl - tab - 1), 0, &len) < 0) {
			free(*cuts);
			*cuts = NULL;
			*ncuts = 0;
			return fail_sys("%s/.intent:%ld: not FILE<TAB>LENGTH; a human "
			    "must look at it and the ledgers", dir, line);
		}
		if (*ncuts == cap)
			*cuts = erealloc(*cuts, (cap = cap ? 2 * cap : 8) *
			    sizeof **cuts);
		memcpy((*cuts)[*ncuts].name, p, (size_t)(tab - p));
		(*cuts)[*ncuts].name[tab - p] = '\0';
		(*cuts)[*ncuts].len = (off_t)len;
		(*cuts)[*ncuts].fd = -1;
		(*ncuts)++;
	}
	return 0;
}

/* Opens every file named and checks it can be cut, before any is: a
 * file shorter than recorded means something else went wrong. */
static int
open_cuts(int dfd, const char *dir, struct cut *c, size_t n)
{
	struct stat st;
	size_t i;

	for (i = 0; i < n; i++) {
		c[i].fd = openat(dfd, c[i].name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (c[i].fd < 0 && errno == ENOENT && c[i].len == 0)
			continue;	/* the writer was to create it */
		if (c[i].fd < 0 && errno != ENOENT)
			return fail_sys("open %s/%s: %s", dir, c[i].name,
			    strerror(errno));
		if (c[i].fd >= 0 && fstat(c[i].fd, &st) < 0)
			return fail_sys("stat %s/%s: %s", dir, c[i].name,
			    strerror(errno));
		if (c[i].fd >= 0 && !S_ISREG(st.st_mode))
			return fail_sys("%s/%s: not a regular file", dir, c[i].name);
		if (c[i].fd < 0 || st.st_size < c[i].len)
			return fail_sys("%s/%s: shorter than the %lld bytes "
			    "%s/.intent records; a human must look at it and "
			    "the ledgers", dir, c[i].name, (long long)c[i].len,
			    dir);
	}
	return 0;
}

/* Cuts each file back, fsynced; a file named twice is only ever cut. */
static int
do_cuts(const char *dir, struct cut *c, size_t n, struct buf *log)
{
	struct stat st;
	size_t i;

	for (i = 0; i < n; i++) {
		if (c[i].fd < 0)
			continue;
		if (fstat(c[i].fd, &st) < 0)
			return fail_sys("stat %s/%s: %s", dir, c[i].name,
			    strerror(errno));
		if (st.st_size <= c[i].len)
			continue;
		if (ftruncate(c[i].fd, c[i].len) < 0)
			return fail_sys("truncate %s/%s: %s", dir, c[i].name,
			    strerror(errno));
		if (fsync(c[i].fd) < 0)
			return fail_sys("fsync %s/%s: %s", dir, c[i].name,
			    strerror(errno));
		buf_addf(log, "%s: cut back from %lld to %lld bytes, the "
		    "length .intent recorded\n", c[i].name,
		    (long long)st.st_size, (long long)c[i].len);
	}
	return 0;
}

/* SPEC-DETAILS "Files, locking, torn lines": the command that left
 * .intent was never acknowledged, so its rows are dropped.  .intent is
 * removed last: a recovery cut short is simply done again. */
int
intent_recover(const char *dir, struct buf *log)
{
	char *text = emalloc(INTENT_MAX + 1);
	struct cut *cuts = NULL;
	size_t n, ncuts = 0;
	int dfd, rc;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		free(text);
		return fail_sys("open %s: %s", dir, strerror(errno));
	}
	rc = read_intent(dfd, dir, text, &n);
	if (rc > 0 && (parse_intent(dir, text, n, &cuts, &ncuts) < 0 ||
	    open_cuts(dfd, dir, cuts, ncuts) < 0 ||
	    do_cuts(dir, cuts, ncuts, log) < 0))
		rc = -1;
	if (rc > 0 && unlinkat(dfd, ".intent", 0) < 0)
		rc = fail_sys("remove %s/.intent: %s", dir, strerror(errno));
	if (rc > 0 && fsync(dfd) < 0)
		rc = fail_sys("fsync %s: %s", dir, strerror(errno));
	close_cuts(cuts, ncuts);
	close(dfd);
	free(text);
	return rc;
}

/* The offset just after the last LF in the first size bytes, or 0. */
static int
last_lf(int fd, off_t size, const char *name, off_t *end)
{
	char chunk[4096];
	off_t from;
	ssize_t k;

	for (*end = size; *end > 0; *end = from) {
		from = *end > (off_t)sizeof chunk ? *end - (off_t)sizeof chunk : 0;
		if (pread(fd, chunk, (size_t)(*end - from), from) != *end - from)
			return fail_sys("read %s: %s", name, strerror(errno));
		for (k = *end - from; k > 0; k--)	/* memrchr is not POSIX */
			if (chunk[k - 1] == '\n') {
				*end = from + k;
				return 0;
			}
	}
	return 0;
}

/* Opens DIR/torn/FILE for appending: made 0600 (and torn/ 0700) whatever
 * the umask, and never through a link. */
static int
open_torn(const char *dir, const char *file)
{
	int dfd, tdfd, fd, e, created;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return fail_sys("open %s: %s", dir, strerror(errno));
	if (mkdirat(dfd, "torn", 0700) == 0) {
		if (fchmodat(dfd, "torn", 0700, 0) < 0 || fsync(dfd) < 0) {
			e = errno;
			close(dfd);
			return fail_sys("mkdir %s/torn: %s", dir, strerror(e));
		}
	} else if (errno != EEXIST) {
		e = errno;
		close(dfd);
		return fail_sys("mkdir %s/torn: %s", dir, strerror(e));
	}
	tdfd = openat(dfd, "torn", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	e = errno;
	close(dfd);
	if (tdfd < 0)
		return fail_sys("open %s/torn: %s", dir, strerror(e));
	fd = openat(tdfd, file, O_WRONLY | O_APPEND | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	created = fd >= 0;
	if (created && (fchmod(fd, 0600) < 0 || fsync(tdfd) < 0)) {
		e = errno;
		close(fd);
		fd = -1;
		errno = e;
	} else if (!created && errno == EEXIST) {
		fd = openat(tdfd, file, O_WRONLY | O_APPEND | O_NOFOLLOW |
		    O_CLOEXEC);
	}
	e = errno;
	close(tdfd);
	if (fd < 0 && e == ELOOP)
		return fail_sys("%s/torn/%s is a symbolic link; remove it", dir,
		    file);
	if (fd < 0)
		return fail_sys("open %s/torn/%s: %s", dir, file, strerror(e));
	return fd;
}

/* Moves the bytes after the ledger's last LF to DIR/torn/FILE, with an
 * LF, and cuts the ledger back.  The copy is durable before the cut, and
 * undone if the cut fails, so no byte is lost or left twice. */
int
torn_set_aside(const char *dir, const char *file, int fd, off_t *size)
{
	char last, *torn, name[512], tname[512];
	struct stat st;
	size_t n;
	off_t end;
	int tfd, rc = 1;

	if (*size == 0)
		return 0;
	/* for messages only: a path too long fails at open, not here */
	snprintf(name, sizeof name, "%s/%s", dir, file);
	snprintf(tname, sizeof tname, "%s/torn/%s", dir, file);
	if (pread(fd, &last, 1, *size - 1) != 1)
		return fail_sys("read %s: %s", name, strerror(errno));
	if (last == '\n')
		return 0;
	if (last_lf(fd, *size, name, &end) < 0)
		return -1;
	n = (size_t)(*size - end);
	torn = emalloc(n + 1);
	if (pread(fd, torn, n, end) != (ssize_t)n) {
		free(torn);
		return fail_sys("read %s: %s", name, strerror(errno));
	}
	torn[n] = '\n';
	if ((tfd = open_torn(dir, file)) < 0) {
		free(torn);
		return -1;
	}
	if (fstat(tfd, &st) < 0) {
		rc = fail_sys("stat %s: %s", tname, strerror(errno));
	} else {
		if (fd_write(tfd, torn, n + 1, tname) < 0)
			rc = -1;
		else if (fsync(tfd) < 0)
			rc = fail_sys("fsync %s: %s", tname, strerror(errno));
		else if (ftruncate(fd, end) < 0 || fsync(fd) < 0)
			rc = fail_sys("truncate %s: %s", name, strerror(errno));
		if (rc < 0 && ftruncate(tfd, st.st_size) == 0)
			fsync(tfd);
	}
	close(tfd);
	free(torn);
	if (rc > 0)
		*size = end;
	return rc;
}
