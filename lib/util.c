/* util.c: allocation that never returns NULL, growable buffers, a string
 * hash, two threads at once. */

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

void *
emalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die(E_SYSTEM, "out of memory");
	return p;
}

void *
ecalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die(E_SYSTEM, "out of memory");
	return p;
}

void *
erealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die(E_SYSTEM, "out of memory");
	return p;
}

char *
estrndup(const char *s, size_t n)
{
	char *p = emalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
estrdup(const char *s)
{
	return estrndup(s, strlen(s));
}

static void
buf_grow(struct buf *b, size_t more)
{
	if (b->n + more + 1 <= b->cap)
		return;
	while (b->n + more + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 256;
	b->p = erealloc(b->p, b->cap);
}

/* Room for n bytes more at the end, counted in b->n: the caller fills
 * them. */
char *
buf_room(struct buf *b, size_t n)
{
	buf_grow(b, n);
	b->n += n;
	b->p[b->n] = '\0';
	return b->p + b->n - n;
}

void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (n == 0 && b->p)
		return;
	buf_grow(b, n);
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, int c)
{
	char ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die(E_SYSTEM, "format error");
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

/* FNV-1a: short keys (ids, phones), good enough spread. */
uint64_t
hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

size_t *
strmap_get(const struct strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = hash_str(key) & (m->cap - 1); m->keys[i];
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0)
			return &m->vals[i];
	return NULL;
}

/* The map keeps its own copy of the key. */
size_t *
strmap_put(struct strmap *m, const char *key, size_t val)
{
	size_t i, *v, oldcap = m->cap;
	char **oldkeys = m->keys;
	size_t *oldvals = m->vals;

	if ((v = strmap_get(m, key))) {
		*v = val;
		return v;
	}
	if ((m->n + 1) * 2 > m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->keys = ecalloc(m->cap, sizeof *m->keys);
		m->vals = ecalloc(m->cap, sizeof *m->vals);
		for (i = 0; i < oldcap; i++) {
			size_t j;

			if (!oldkeys[i])
				continue;
			for (j = hash_str(oldkeys[i]) & (m->cap - 1);
			    m->keys[j]; j = (j + 1) & (m->cap - 1))
				;
			m->keys[j] = oldkeys[i];
			m->vals[j] = oldvals[i];
		}
		free(oldkeys);
		free(oldvals);
	}
	for (i = hash_str(key) & (m->cap - 1); m->keys[i];
	    i = (i + 1) & (m->cap - 1))
		;
	m->keys[i] = estrdup(key);
	m->vals[i] = val;
	m->n++;
	return &m->vals[i];
}

void
strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

void
str_copy(char *dst, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

char *
str_put(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* qsort, which must not be handed NULL even for no elements. */
void
sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* A 128-bit sum as decimal; with cents, as money with two places.
 * Reports add up millions of rows of 15 digits: more than 64 bits. */
char *
wide_fmt(wide_t v, int cents, char buf[48])
{
	unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
	char tmp[48], *p = tmp + sizeof tmp;
	int digits = 0;

	*--p = '\0';
	do {
		if (cents && digits == 2)
			*--p = '.';
		*--p = (char)('0' + (int)(u % 10));
		u /= 10;
		digits++;
	} while (u > 0 || (cents && digits < 3));
	if (v < 0)
		*--p = '-';
	memcpy(buf, p, (size_t)(tmp + sizeof tmp - p));
	return buf;
}

/* Runs fn(a) and fn(b) at once, on two threads when it can. */
void
run_both(void *(*fn)(void *), void *a, void *b)
{
	pthread_t th;

	if (pthread_create(&th, NULL, fn, b) != 0) {
		fn(a);
		fn(b);
		return;
	}
	fn(a);
	pthread_join(th, NULL);
}
