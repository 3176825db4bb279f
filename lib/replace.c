/* replace.c: replacing a whole file atomically, for erasure and repair. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"

/* Replaces dir/file with data: a temporary file dir/.file.tmp opened
 * O_EXCL, written, fsynced and renamed over the file, then dir fsynced.
 * A reader sees the old file or the new one, never a mix, and a crash
 * leaves one of them whole.  The caller holds the lock, so a temporary
 * file left by a killed run can be removed first. */
int
file_replace(const char *dir, const char *file, const char *data, size_t n)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	struct stat st;
	const char *what = "chmod";
	ssize_t w;
	int fd, e;

	if (snprintf(path, sizeof path, "%s/%s", dir, file) >=
	    (int)sizeof path || snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir,
	    file) >= (int)sizeof tmp)
		return fail_sys("%s/%s: path too long", dir, file);
	/* rename over a link would leave the data in the link's target */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return fail_sys("%s: not a regular file; a ledger may not be a "
		    "symbolic link", path);
	if (unlink(tmp) < 0 && errno != ENOENT)
		return fail_sys("unlink %s: %s", tmp, strerror(errno));
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return fail_sys("open %s: %s", tmp, strerror(errno));
	/* 0600 whatever the umask: the files hold personal data */
	if (fchmod(fd, 0600) < 0)
		goto bad;
	what = "write";
	while (n > 0) {
		if ((w = write(fd, data, n)) < 0) {
			if (errno == EINTR)
				continue;
			goto bad;
		}
		data += w, n -= (size_t)w;
	}
	what = "fsync";
	if (fsync(fd) < 0)
		goto bad;
	what = "close";
	e = close(fd);
	fd = -1;
	if (e < 0)
		goto bad;
	what = "rename";
	if (rename(tmp, path) < 0)
		goto bad;
	return dir_fsync(dir);
bad:
	/* the old file is untouched; leave no half-written copy behind */
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return fail_sys("%s %s: %s", what, path, strerror(e));
}
