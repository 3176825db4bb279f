/* err.c: one-line diagnostics and the exit statuses. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vl.h"

const char *prog = "vipledger";
char vl_err[512];

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
int
fail(const char *fmt, ...)
{
	char msg[sizeof vl_err];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	memcpy(vl_err, msg, sizeof vl_err);
	return -1;
}

/* A full disk or a closed pipe must not pass as success. */
void
fshut(void)
{
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		die(E_SYSTEM, "write <stdout>:");
}
