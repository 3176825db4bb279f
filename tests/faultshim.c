/* faultshim.c: an LD_PRELOAD library that makes one chosen system call on
 * the data directory fail, for tests/faults.bats and tests/crash.bats.
 *
 *   FAULT_CALL     open, write, fsync, ftruncate, rename or any: the calls
 *                  counted (default any)
 *   FAULT_N        fail the Nth counted call, from 1 (unset or 0: none)
 *   FAULT_ERRNO    EIO (default) or ENOSPC: the errno of the failure
 *   FAULT_PARTIAL  when the Nth call is a write: write half its bytes and
 *                  return that; the next write on the descriptor fails
 *   FAULT_KILL     instead of failing, make the Nth call (a partial write
 *                  with FAULT_PARTIAL) and then kill the process (SIGKILL)
 *   FAULT_COUNT    FILE: at exit, append one line "KIND COUNT" for each of
 *                  open, write, fsync, ftruncate, rename and any
 *   FAULT_DIR      the directory whose files count (default $VIPLEDGER_DIR)
 *   FAULT_SKIP     a subdirectory of it whose files do not count (default
 *                  cache: the cache is derived and may be lost)
 *   FAULT_BOOT_ID  FILE: opened in place of /proc/sys/kernel/random/boot_id,
 *                  as if the machine had booted again
 *
 * open counts open, open64, openat, openat64 and creat; write counts
 * write, pwrite and writev; fsync counts fsync and fdatasync; rename counts
 * rename, renameat and renameat2.  A path counts when it is FAULT_DIR or
 * lies under it; a descriptor counts when it is not 0, 1 or 2 and
 * /proc/self/fd names such a path.  Only libc and dlsym(RTLD_NEXT). */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum { K_OPEN, K_WRITE, K_FSYNC, K_FTRUNCATE, K_RENAME, K_ANY, NKIND };
static const char *const kindname[NKIND] = { "open", "write", "fsync",
	"ftruncate", "rename", "any" };

static int ready, want = K_ANY, fault_errno = EIO, partial, killer;
static long target, seen[NKIND];
static int poisoned = -1;	/* the descriptor of a partial write */
static char dir[PATH_MAX], realdir[PATH_MAX], skip[PATH_MAX];

static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *,
    unsigned);

static void *
next(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

static void
init(void)
{
	const char *s;
	int k;

	if (ready)
		return;
	ready = 1;
	real_open = (int (*)(const char *, int, ...))next("open");
	real_openat = (int (*)(int, const char *, int, ...))next("openat");
	real_write = (ssize_t (*)(int, const void *, size_t))next("write");
	real_pwrite = (ssize_t (*)(int, const void *, size_t, off_t))
	    next("pwrite");
	real_writev = (ssize_t (*)(int, const struct iovec *, int))
	    next("writev");
	real_fsync = (int (*)(int))next("fsync");
	real_fdatasync = (int (*)(int))next("fdatasync");
	real_ftruncate = (int (*)(int, off_t))next("ftruncate");
	real_rename = (int (*)(const char *, const char *))next("rename");
	real_renameat = (int (*)(int, const char *, int, const char *))
	    next("renameat");
	real_renameat2 = (int (*)(int, const char *, int, const char *,
	    unsigned))next("renameat2");
	if ((s = getenv("FAULT_CALL")) && *s)
		for (k = 0; k < NKIND; k++)
			if (strcmp(s, kindname[k]) == 0)
				want = k;
	if ((s = getenv("FAULT_N")))
		target = atol(s);
	if ((s = getenv("FAULT_ERRNO")) && strcmp(s, "ENOSPC") == 0)
		fault_errno = ENOSPC;
	partial = (s = getenv("FAULT_PARTIAL")) && *s && strcmp(s, "0") != 0;
	killer = (s = getenv("FAULT_KILL")) && *s && strcmp(s, "0") != 0;
	if (!(s = getenv("FAULT_DIR")) || !*s)
		s = getenv("VIPLEDGER_DIR");
	if (s && *s && strlen(s) < sizeof dir) {
		strcpy(dir, s);
		while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
			dir[strlen(dir) - 1] = '\0';
	}
	if (!(s = getenv("FAULT_SKIP")))
		s = "cache";
	if (strlen(s) < sizeof skip)
		strcpy(skip, s);
}

/* path is dir itself or lies under it, and not under dir/skip. */
static int
within(const char *path, const char *d)
{
	size_t n = strlen(d), m = strlen(skip);

	if (!*d || strncmp(path, d, n) != 0 || (path[n] && path[n] != '/'))
		return 0;
	if (!path[n] || !m)
		return 1;
	while (path[n] == '/')
		n++;
	return !(strncmp(path + n, skip, m) == 0 &&
	    (path[n + m] == '\0' || path[n + m] == '/'));
}

static int
counted_path(const char *path)
{
	if (!*dir || !path)
		return 0;
	if (!*realdir && !realpath(dir, realdir))
		realdir[0] = '\0';
	return within(path, dir) || (*realdir && within(path, realdir));
}

/* The path of a relative name opened at dirfd. */
static const char *
absolute(int dirfd, const char *name, char *out, size_t size)
{
	char link[64], base[PATH_MAX];
	ssize_t n;

	if (!name || name[0] == '/')
		return name;
	if (dirfd == AT_FDCWD) {
		if (!getcwd(base, sizeof base))
			return name;
	} else {
		snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
		if ((n = readlink(link, base, sizeof base - 1)) < 0)
			return name;
		base[n] = '\0';
	}
	if (snprintf(out, size, "%s/%s", base, name) >= (int)size)
		return name;
	return out;
}

static int
counted_fd(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	if (fd <= 2 || !*dir)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) < 0)
		return 0;
	path[n] = '\0';
	return counted_path(path);
}

/* Counts a call of kind k; 1 when it is the one to fail. */
static int
hit(int k)
{
	int fire;

	seen[k]++;
	seen[K_ANY]++;
	fire = target > 0 && seen[want] == target && (want == K_ANY || want == k);
	return fire;
}

static void
die_now(void)
{
	kill(getpid(), SIGKILL);
	_exit(137);
}

static int
fail_int(void)
{
	errno = fault_errno;
	return -1;
}

static mode_t
mode_arg(int flags, va_list ap)
{
	if (flags & (O_CREAT | O_TMPFILE))
		return (mode_t)va_arg(ap, int);
	return 0;
}

static int
do_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	char buf[PATH_MAX];
	int fd;

	init();
	if (strcmp(path, "/proc/sys/kernel/random/boot_id") == 0 &&
	    getenv("FAULT_BOOT_ID"))
		path = getenv("FAULT_BOOT_ID");
	if (counted_path(absolute(dirfd, path, buf, sizeof buf)) &&
	    hit(K_OPEN)) {
		if (!killer)
			return fail_int();
		if ((fd = real_openat(dirfd, path, flags, mode)) >= 0)
			close(fd);
		die_now();
	}
	return real_openat(dirfd, path, flags, mode);
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat(AT_FDCWD, path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat(AT_FDCWD, path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat(dirfd, path, flags, mode);
}

/* The checked variants _FORTIFY_SOURCE calls for open without a mode. */
int
__open_2(const char *path, int flags)
{
	return do_openat(AT_FDCWD, path, flags, 0);
}

int
__open64_2(const char *path, int flags)
{
	return do_openat(AT_FDCWD, path, flags, 0);
}

int
__openat_2(int dirfd, const char *path, int flags)
{
	return do_openat(dirfd, path, flags, 0);
}

int
__openat64_2(int dirfd, const char *path, int flags)
{
	return do_openat(dirfd, path, flags, 0);
}

int
creat(const char *path, mode_t mode)
{
	return do_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int
creat64(const char *path, mode_t mode)
{
	return do_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

/* A write of n bytes: the real one, a failure, a partial write or a
 * death, as the environment asks. */
static ssize_t
do_write(int fd, const void *p, size_t n, off_t off, int positional)
{
	ssize_t w;
	size_t half;

	init();
	if (fd == poisoned)
		return fail_int();
	if (counted_fd(fd) && hit(K_WRITE)) {
		if (partial && n > 1) {
			half = n / 2;
			w = positional ? real_pwrite(fd, p, half, off) :
			    real_write(fd, p, half);
			if (killer)
				die_now();
			poisoned = fd;
			return w;
		}
		if (killer) {
			if (positional)
				real_pwrite(fd, p, n, off);
			else
				real_write(fd, p, n);
			die_now();
		}
		return fail_int();
	}
	return positional ? real_pwrite(fd, p, n, off) : real_write(fd, p, n);
}

ssize_t
write(int fd, const void *p, size_t n)
{
	return do_write(fd, p, n, 0, 0);
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	return do_write(fd, p, n, off, 1);
}

ssize_t
pwrite64(int fd, const void *p, size_t n, off64_t off)
{
	return do_write(fd, p, n, off, 1);
}

ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	init();
	if (fd == poisoned)
		return fail_int();
	if (counted_fd(fd) && hit(K_WRITE)) {
		if (killer) {
			real_writev(fd, iov, cnt);
			die_now();
		}
		return fail_int();
	}
	return real_writev(fd, iov, cnt);
}

static int
do_sync(int fd, int (*real)(int))
{
	init();
	if (counted_fd(fd) && hit(K_FSYNC)) {
		if (!killer)
			return fail_int();
		real(fd);
		die_now();
	}
	return real(fd);
}

int
fsync(int fd)
{
	return do_sync(fd, real_fsync);
}

int
fdatasync(int fd)
{
	return do_sync(fd, real_fdatasync);
}

static int
do_ftruncate(int fd, off_t len)
{
	init();
	if (counted_fd(fd) && hit(K_FTRUNCATE)) {
		if (!killer)
			return fail_int();
		real_ftruncate(fd, len);
		die_now();
	}
	return real_ftruncate(fd, len);
}

int
ftruncate(int fd, off_t len)
{
	return do_ftruncate(fd, len);
}

int
ftruncate64(int fd, off64_t len)
{
	return do_ftruncate(fd, len);
}

static int
do_renameat(int ofd, const char *from, int nfd, const char *to,
    unsigned flags)
{
	char b1[PATH_MAX], b2[PATH_MAX];

	init();
	if ((counted_path(absolute(ofd, from, b1, sizeof b1)) ||
	    counted_path(absolute(nfd, to, b2, sizeof b2))) && hit(K_RENAME)) {
		if (!killer)
			return fail_int();
		if (flags && real_renameat2)
			real_renameat2(ofd, from, nfd, to, flags);
		else
			real_renameat(ofd, from, nfd, to);
		die_now();
	}
	if (flags && real_renameat2)
		return real_renameat2(ofd, from, nfd, to, flags);
	return real_renameat(ofd, from, nfd, to);
}

int
rename(const char *from, const char *to)
{
	return do_renameat(AT_FDCWD, from, AT_FDCWD, to, 0);
}

int
renameat(int ofd, const char *from, int nfd, const char *to)
{
	return do_renameat(ofd, from, nfd, to, 0);
}

int
renameat2(int ofd, const char *from, int nfd, const char *to, unsigned flags)
{
	return do_renameat(ofd, from, nfd, to, flags);
}

__attribute__((destructor)) static void
report_count(void)
{
	const char *file = getenv("FAULT_COUNT");
	char line[256];
	int fd, k, n = 0;

	if (!file || !*file)
		return;
	init();
	for (k = 0; k < NKIND; k++)
		n += snprintf(line + n, sizeof line - (size_t)n, "%s %ld\n",
		    kindname[k], seen[k]);
	if ((fd = real_open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) < 0)
		return;
	if (real_write(fd, line, (size_t)n) < 0)
		n = 0;
	close(fd);
}
