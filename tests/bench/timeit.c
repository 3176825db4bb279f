/* timeit.c: run a command several times; print its median wall time and
 * its largest resident set, for make bench.
 *
 * usage: timeit [-n RUNS] [-i INPUT] [-p PREP] [-k START] -- COMMAND [ARG...]
 *        timeit -L LOCKFILE -- COMMAND [ARG...]
 *
 * Each run's wall time is read from CLOCK_MONOTONIC around fork and wait4;
 * the resident set is the child's ru_maxrss from wait4.  The command's
 * stdin is INPUT (default /dev/null) and its stdout goes to /dev/null;
 * stderr is left alone.  "{}" in an ARG is replaced by START + the run's
 * number from 0 (START default 1), so that writers can be given a new
 * phone or receipt on each run.  PREP, a sh command line, runs untimed
 * before each run.  Prints "MEDIAN_SECONDS MAX_RSS_KB".
 *
 * With -L the command runs once while this process takes and drops an
 * exclusive flock(2) on LOCKFILE over and over, about every millisecond,
 * as any writer would; each wait is timed, and the longest of them is how
 * long the command held the lock in one stretch (to within a probe's
 * interval).  Prints "WALL_SECONDS MAX_RSS_KB LONGEST_WAIT_SECONDS PROBES".
 *
 * A command that cannot be run or exits non-zero is an error (exit 1). */

#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "timeit";

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-n RUNS] [-i INPUT] [-p PREP] [-k START] "
	    "-- COMMAND [ARG...]\n       %s -L LOCKFILE -- COMMAND [ARG...]\n",
	    prog, prog);
	exit(2);
}

static void
die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(1);
}

static double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		die("clock_gettime");
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ARG with each "{}" replaced by n */
static char *
subst(const char *arg, long n)
{
	char num[24], *out, *o;
	const char *p;
	size_t count = 0, len;

	for (p = arg; (p = strstr(p, "{}")); p += 2)
		count++;
	len = (size_t)snprintf(num, sizeof num, "%ld", n);
	if (!(out = malloc(strlen(arg) + count * len + 1)))
		die("malloc");
	for (o = out, p = arg; *p;) {
		if (p[0] == '{' && p[1] == '}') {
			memcpy(o, num, len);
			o += len;
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static pid_t
start(char **argv, const char *input)
{
	pid_t pid;
	int in, out;

	if ((pid = fork()) < 0)
		die("fork");
	if (pid > 0)
		return pid;
	if ((in = open(input ? input : "/dev/null", O_RDONLY)) < 0 ||
	    (out = open("/dev/null", O_WRONLY)) < 0 ||
	    dup2(in, 0) < 0 || dup2(out, 1) < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, input ? input : "/dev/null",
		    strerror(errno));
		_exit(127);
	}
	close(in);
	close(out);
	execvp(argv[0], argv);
	fprintf(stderr, "%s: %s: %s\n", prog, argv[0], strerror(errno));
	_exit(127);
}

/* waits for pid; exits when the command failed */
static long
finish(pid_t pid, const char *name)
{
	struct rusage ru;
	int status;

	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4");
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "%s: %s: killed by signal %d\n", prog, name,
		    WTERMSIG(status));
		exit(1);
	}
	if (WEXITSTATUS(status) != 0) {
		fprintf(stderr, "%s: %s: exit status %d\n", prog, name,
		    WEXITSTATUS(status));
		exit(1);
	}
	return ru.ru_maxrss;
}

static int
bydouble(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
lockprobe(const char *lockfile, char **argv)
{
	struct timespec pause = { 0, 1000000 };
	struct rusage ru;
	double t0, t1, wall, longest = 0;
	long probes = 0;
	pid_t pid;
	int status, fd;

	wall = now();
	pid = start(argv, NULL);
	for (;;) {
		pid_t w = wait4(pid, &status, WNOHANG, &ru);

		if (w < 0 && errno != EINTR)
			die("wait4");
		if (w == pid)
			break;
		/* the writers' lock file, opened as they open it */
		if ((fd = open(lockfile, O_RDWR | O_CLOEXEC)) >= 0) {
			t0 = now();
			while (flock(fd, LOCK_EX) < 0)
				if (errno != EINTR)
					die(lockfile);
			t1 = now();
			flock(fd, LOCK_UN);
			close(fd);
			probes++;
			if (t1 - t0 > longest)
				longest = t1 - t0;
		} else if (errno != ENOENT) {
			die(lockfile);
		}
		nanosleep(&pause, NULL);
	}
	wall = now() - wall;
	if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "%s: %s: %s %d\n", prog, argv[0],
		    WIFSIGNALED(status) ? "killed by signal" : "exit status",
		    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		return 1;
	}
	printf("%.6f %ld %.6f %ld\n", wall, ru.ru_maxrss, longest, probes);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *input = NULL, *prep = NULL, *lockfile = NULL;
	long runs = 5, first = 1, maxrss = 0, rss, r;
	double *t, t0;
	char **cmd;
	int i, n, opt;

	while ((opt = getopt(argc, argv, "n:i:p:k:L:")) != -1) {
		switch (opt) {
		case 'n':
			runs = atol(optarg);
			if (runs < 1 || runs > 1000)
				usage();
			break;
		case 'i':
			input = optarg;
			break;
		case 'p':
			prep = optarg;
			break;
		case 'k':
			first = atol(optarg);
			break;
		case 'L':
			lockfile = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	argv += optind;
	argc -= optind;
	if (lockfile)
		return lockprobe(lockfile, argv);
	if (!(t = calloc((size_t)runs, sizeof *t)) ||
	    !(cmd = calloc((size_t)argc + 1, sizeof *cmd)))
		die("calloc");
	for (r = 0; r < runs; r++) {
		if (prep) {
			int st = system(prep);

			if (st != 0) {
				fprintf(stderr, "%s: %s: failed\n", prog, prep);
				return 1;
			}
		}
		for (i = 0; i < argc; i++)
			cmd[i] = subst(argv[i], first + r);
		t0 = now();
		rss = finish(start(cmd, input), argv[0]);
		t[r] = now() - t0;
		if (rss > maxrss)
			maxrss = rss;
		for (i = 0; i < argc; i++)
			free(cmd[i]);
	}
	qsort(t, (size_t)runs, sizeof *t, bydouble);
	n = (int)runs;
	printf("%.6f %ld\n", n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2,
	    maxrss);
	return fflush(stdout) == EOF ? 1 : 0;
}
