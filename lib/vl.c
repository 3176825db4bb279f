/* vl.c: what every program shares: -d, -q, -w, --dry-run, --help, --version. */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base.h"

void
vl_init(struct vl *vl, const char *argv0, const char *usage)
{
	memset(vl, 0, sizeof *vl);
	setprog(argv0);
	vl->wait = 10;
	vl->lockfd = -1;
	vl->usage = usage;
}

static double
wait_parse(const char *s)
{
	double v = 0, scale = 1;
	int digits = 0, frac = 0;

	for (; *s; s++) {
		if (*s == '.' && !frac) {
			frac = 1;
		} else if (*s >= '0' && *s <= '9' && digits < 9) {
			if (frac)
				v += (*s - '0') * (scale /= 10);
			else
				v = v * 10 + (*s - '0');
			digits++;
		} else {
			return -1;
		}
	}
	return digits ? v : -1;
}

/* The end of the options: a usage error, kept for vl_end to say. */
static int
stop(struct vl *vl)
{
	vl->end = VL_BAD;
	memcpy(vl->why, vl_err, sizeof vl->why);
	return 1;
}

/* Handles the options common to all programs; 0 when key is not one.
 * After -h, -V or a malformed option the rest are taken unread: the
 * program then returns vl_end(), so the first of them wins. */
int
vl_opt(struct vl *vl, int key, const char *arg)
{
	if (vl->end)
		return 1;
	switch (key) {
	case '?':
		return stop(vl);	/* opt_next said why */
	case 'd':
		if (!*arg) {
			fail_usage("-d needs a directory");
			return stop(vl);
		}
		vl->dir = arg;
		return 1;
	case 'q':
		vl->quiet = 1;
		return 1;
	case 'w':
		if ((vl->wait = wait_parse(arg)) < 0) {
			fail_usage("-w takes seconds, e.g. 10 or 0.5");
			return stop(vl);
		}
		return 1;
	case O_DRYRUN:
		vl->dryrun = 1;
		return 1;
	case 'h':
	case O_HELP:
		vl->end = VL_HELP;
		return 1;
	case 'V':
	case O_VERSION:
		vl->end = VL_VERSION;
		return 1;
	}
	return 0;
}

/* What -h, -V or a malformed option ends the program with: the usage,
 * the version, or the usage error, and the status to return. */
int
vl_end(const struct vl *vl)
{
	if (vl->end == VL_BAD) {
		usage_warn("%s", vl->why);
		return E_USAGE;
	}
	if (vl->end == VL_VERSION)
		printf("%s (vipledger) %s\n", prog, VERSION);
	else
		printf("usage: %s\n", vl->usage);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("write <stdout>: %s", strerror(errno));
		return E_SYSTEM;
	}
	return E_OK;
}

/* Settles the data directory and the clock: after options, before work. */
int
vl_ready(struct vl *vl)
{
	static char path[PATH_MAX];
	struct stat st;
	const char *e;

	if (!vl->dir && (e = getenv("VIPLEDGER_DIR")) && *e)
		vl->dir = e;
	if (!vl->dir && (e = getenv("XDG_DATA_HOME")) && *e) {
		if (snprintf(path, sizeof path, "%s/vipledger", e) >=
		    (int)sizeof path)
			return fail_sys("XDG_DATA_HOME: the path is too long");
		vl->dir = path;
	}
	if (!vl->dir) {
		if (!(e = getenv("HOME")) || !*e)
			return fail_usage("no data directory: give -d DIR or "
			    "set VIPLEDGER_DIR");
		if (snprintf(path, sizeof path, "%s/.local/share/vipledger",
		    e) >= (int)sizeof path)
			return fail_sys("HOME: the path is too long");
		vl->dir = path;
	}
	/* room for the longest name kept in DIR, so no name is cut short */
	if (strlen(vl->dir) + 64 > PATH_MAX)
		return fail_sys("%.64s...: the data directory's path is too "
		    "long", vl->dir);
	if (!vl->create && (stat(vl->dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		return fail_sys("%s: no such data directory; give -d or set "
		    "VIPLEDGER_DIR", vl->dir);
	return clock_now(&vl->now);
}

/* DIR/file; vl_ready made sure every name kept in DIR fits. */
const char *
vl_path(const struct vl *vl, const char *file)
{
	static char path[2][PATH_MAX];
	static int which;

	which = !which;
	snprintf(path[which], sizeof path[which], "%s/%s", vl->dir, file);
	return path[which];
}
