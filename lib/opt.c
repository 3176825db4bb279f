/* opt.c: command-line options, anywhere among the operands, short and long. */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base.h"

void
opt_init(struct optparse *p, int argc, char **argv, const struct opt *opts)
{
	memset(p, 0, sizeof *p);
	p->argc = argc;
	p->argv = argv;
	p->i = 1;
	p->opts = opts;
	p->operands = ecalloc((size_t)argc + 1, sizeof *p->operands);
}

static const struct opt *
find_long(const struct opt *o, const char *name, size_t n)
{
	for (; o->key; o++)
		if (o->lng && strlen(o->lng) == n && strncmp(o->lng, name, n) == 0)
			return o;
	return NULL;
}

static const struct opt *
find_short(const struct opt *o, int c)
{
	for (; o->key; o++)
		if (o->key == c && c < 256)
			return o;
	return NULL;
}

static int
is_negnum(const char *s)
{
	return (s[0] == '-' || s[0] == '+') && s[1] >= '0' && s[1] <= '9';
}

/* A usage error: vl_err says which option; opt_next returns '?'. */
static int
opt_error(const char *fmt, ...)
{
	char msg[sizeof vl_err];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fail_usage("%s", msg);
	return '?';
}

/* Returns the next option's key with its value in p->arg, or -1 when the
 * arguments are used up; operands are gathered on the way. */
int
opt_next(struct optparse *p)
{
	const struct opt *o;
	const char *a, *eq;

	if (p->shortrest && *p->shortrest) {
		a = p->shortrest;
		goto shortopt;
	}
	for (;;) {
		if (p->i >= p->argc)
			return -1;
		a = p->argv[p->i++];
		if (p->done || a[0] != '-' || a[1] == '\0' ||
		    (p->negnum && is_negnum(a))) {
			p->operands[p->noperands++] = (char *)a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			p->done = 1;
			continue;
		}
		if (a[1] == '-') {
			a += 2;
			eq = strchr(a, '=');
			o = find_long(p->opts, a, eq ? (size_t)(eq - a) : strlen(a));
			if (!o)
				return opt_error("unknown option --%.*s",
				    eq ? (int)(eq - a) : (int)strlen(a), a);
			p->arg = NULL;
			if (o->arg == OPT_NOARG) {
				if (eq)
					return opt_error("option --%s takes no "
					    "value", o->lng);
			} else if (eq) {
				p->arg = (char *)eq + 1;
			} else if (p->i < p->argc) {
				p->arg = p->argv[p->i++];
			} else {
				return opt_error("option --%s needs a value", o->lng);
			}
			return o->key;
		}
		a++;
		break;
	}
shortopt:
	o = find_short(p->opts, (unsigned char)*a);
	if (!o) {
		p->shortrest = NULL;
		if ((unsigned char)*a < 0x20 || (unsigned char)*a > 0x7e)
			return opt_error("unknown option");
		return opt_error("unknown option -%c", *a);
	}
	p->arg = NULL;
	p->shortrest = a + 1;
	if (o->arg == OPT_ARG) {
		if (a[1]) {
			p->arg = (char *)a + 1;
		} else if (p->i < p->argc) {
			p->arg = p->argv[p->i++];
		} else {
			p->shortrest = NULL;
			return opt_error("option -%c needs a value",
			    o->key);
		}
		p->shortrest = NULL;
	}
	return o->key;
}
