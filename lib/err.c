/* err.c: one-line diagnostics and the exit statuses. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

const char *prog = "vipledger";
char vl_err[512];
int vl_status = E_REFUSE;

void
setprog(const char *argv0)
{
	const char *s;

	if (argv0 && *argv0) {
		s = strrchr(argv0, '/');
		prog = s ? s + 1 : argv0;
	}
}

static void
vwarn(const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = strlen(fmt);

	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

void
warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

_Noreturn void
die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

_Noreturn void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see %s --help\n", prog);
	exit(E_USAGE);
}

/* vl_err may be one of the arguments: format aside, then copy. */
static int
vfail(int status, const char *fmt, va_list ap)
{
	char msg[sizeof vl_err];

	vsnprintf(msg, sizeof msg, fmt, ap);
	memcpy(vl_err, msg, sizeof vl_err);
	vl_status = status;
	return -1;
}

int
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(E_REFUSE, fmt, ap);
	va_end(ap);
	return -1;
}

int
fail_sys(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(E_SYSTEM, fmt, ap);
	va_end(ap);
	return -1;
}

int
fail_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(E_USAGE, fmt, ap);
	va_end(ap);
	return -1;
}

_Noreturn void
die_last(void)
{
	if (vl_status == E_USAGE)
		usage_error("%s", vl_err);
	die(vl_status, "%s", vl_err);
}

/* A full disk or a closed pipe must not pass as success. */
void
fshut(void)
{
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		die(E_SYSTEM, "write <stdout>:");
}
