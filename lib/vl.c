/* vl.c: what every program shares: -d, -q, -w, --dry-run, --help, --version. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vl.h"

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

/* Handles the options common to all programs; 0 when key is not one. */
int
vl_opt(struct vl *vl, int key, const char *arg)
{
	switch (key) {
	case 'd':
		if (!*arg)
			usage_error("-d needs a directory");
		vl->dir = arg;
		return 1;
	case 'q':
		vl->quiet = 1;
		return 1;
	case 'w':
		if ((vl->wait = wait_parse(arg)) < 0)
			usage_error("-w takes seconds, e.g. 10 or 0.5");
		return 1;
	case O_DRYRUN:
		vl->dryrun = 1;
		return 1;
	case 'h':
	case O_HELP:
		printf("usage: %s\n", vl->usage);
		fshut();
		exit(E_OK);
	case 'V':
	case O_VERSION:
		printf("%s (vipledger) %s\n", prog, VERSION);
		fshut();
		exit(E_OK);
	}
	return 0;
}

/* Settles the data directory and the clock: after options, before work. */
void
vl_ready(struct vl *vl)
{
	static char path[4096];
	const char *e;

	if (!vl->dir && (e = getenv("VIPLEDGER_DIR")) && *e)
		vl->dir = e;
	if (!vl->dir && (e = getenv("XDG_DATA_HOME")) && *e) {
		snprintf(path, sizeof path, "%s/vipledger", e);
		vl->dir = path;
	}
	if (!vl->dir) {
		if (!(e = getenv("HOME")) || !*e)
			usage_error("no data directory: give -d DIR or set VIPLEDGER_DIR");
		snprintf(path, sizeof path, "%s/.local/share/vipledger", e);
		vl->dir = path;
	}
	vl->now = clock_now();
}

const char *
vl_path(const struct vl *vl, const char *file)
{
	static char path[2][4096];
	static int which;

	which = !which;
	snprintf(path[which], sizeof path[which], "%s/%s", vl->dir, file);
	return path[which];
}
