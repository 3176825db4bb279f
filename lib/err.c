/* err.c: one-line diagnostics and the exit statuses. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

const char *prog = "vipledger";
_Thread_local char vl_err[512];
_Thread_local int vl_status = E_REFUSE;

void
vl_keep(struct vl_said *s)
{
	memcpy(s->err, vl_err, sizeof s->err);
	s->status = vl_status;
}

void
vl_take(const struct vl_said *s)
{
	memcpy(vl_err, s->err, sizeof vl_err);
	vl_status = s->status;
}

void
setprog(const char *argv0)
{
	const char *s;

	if (argv0 && *argv0) {
		s = strrchr(argv0, '/');
		prog = s ? s + 1 : argv0;
	}
}

/* One line on stderr, whatever the message quotes: a control character
 * typed into an argument shows as '?', never as a line break or an
 * escape sequence for the terminal. */
static void
say(const char *msg, const char *tail)
{
	char line[1024];
	size_t i, n;

	n = (size_t)snprintf(line, sizeof line, "%s: %s%s", prog, msg, tail);
	if (n >= sizeof line)
		n = sizeof line - 1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c < 0x20 || c == 0x7f)
			line[i] = '?';
		else if (c == 0xc2 && i + 1 < n &&
		    (unsigned char)line[i + 1] >= 0x80 &&
		    (unsigned char)line[i + 1] <= 0x9f)
			line[i] = line[i + 1] = '?';	/* C1 controls */
	}
	fflush(stdout);
	fprintf(stderr, "%.*s\n", (int)n, line);
}

static void
vwarn(const char *fmt, va_list ap)
{
	char msg[1024], tail[256] = "";
	int saved = errno;
	size_t n = strlen(fmt);

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		snprintf(tail, sizeof tail, " %s", strerror(saved));
	say(msg, tail);
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

static void
vusage(const char *fmt, va_list ap)
{
	char msg[1024], tail[256];

	vsnprintf(msg, sizeof msg, fmt, ap);
	snprintf(tail, sizeof tail, "; see %s --help", prog);
	say(msg, tail);
}

void
usage_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vusage(fmt, ap);
	va_end(ap);
}

_Noreturn void
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vusage(fmt, ap);
	va_end(ap);
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
