/*
 * buf.c - bounds-checked SSH wire buffer (see buf.h for the contract).
 *
 * Storage grows by doubling up to b->max.  Consumed bytes at the front are
 * reclaimed by compaction when a put would otherwise need to grow.  All
 * storage is wiped before it is released, because buffers carry plaintext
 * and key material.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "proto/buf.h"

void
wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		explicit_bzero(p, n);
}

uint32_t
buf_be32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

void
buf_set_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

uint64_t
buf_be64(const unsigned char *p)
{
	return ((uint64_t)buf_be32(p) << 32) | buf_be32(p + 4);
}

void
buf_set_be64(unsigned char *p, uint64_t v)
{
	buf_set_be32(p, (uint32_t)(v >> 32));
	buf_set_be32(p + 4, (uint32_t)v);
}

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max ? max : BUF_MAX_DEFAULT;
}

void
buf_view(struct buf *b, const void *p, size_t n)
{
	memset(b, 0, sizeof(*b));
	b->d = (unsigned char *)p;	/* never written through: view = 1 */
	b->len = b->cap = b->max = n;
	b->view = 1;
}

void
buf_free(struct buf *b)
{
	size_t max = b->max;

	if (!b->view && b->d != NULL) {
		wipe(b->d, b->cap);
		free(b->d);
	}
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
buf_reset(struct buf *b)
{
	if (b->view) {
		b->off = b->len;
		return;
	}
	wipe(b->d, b->len);
	b->off = b->len = 0;
}

size_t
buf_len(const struct buf *b)
{
	return b->len - b->off;
}

const unsigned char *
buf_ptr(const struct buf *b)
{
	static const unsigned char empty[1];

	return b->d != NULL ? b->d + b->off : empty;
}

unsigned char *
buf_mptr(struct buf *b)
{
	return b->view || b->d == NULL ? NULL : b->d + b->off;
}

/* Make sure n more bytes fit after len, compacting or growing. */
static int
buf_make_room(struct buf *b, size_t n)
{
	size_t used = b->len - b->off, want, ncap;
	unsigned char *nd;

	if (b->view)
		return ERR_INTERNAL;
	if (n > b->max || used > b->max - n)
		return ERR_LENGTH;
	if (b->cap - b->len >= n)
		return 0;
	if (b->off > 0 && b->cap - used >= n) {
		memmove(b->d, b->d + b->off, used);
		wipe(b->d + used, b->len - used);
		b->len = used;
		b->off = 0;
		return 0;
	}
	want = used + n;
	ncap = b->cap ? b->cap : 256;
	while (ncap < want)
		ncap = ncap > b->max / 2 ? b->max : ncap * 2;
	if ((nd = malloc(ncap)) == NULL)
		return ERR_ALLOC;
	if (used > 0)
		memcpy(nd, b->d + b->off, used);
	if (b->d != NULL) {
		wipe(b->d, b->cap);
		free(b->d);
	}
	b->d = nd;
	b->cap = ncap;
	b->len = used;
	b->off = 0;
	return 0;
}

int
buf_reserve(struct buf *b, size_t n, unsigned char **dst)
{
	int r;

	*dst = NULL;
	if ((r = buf_make_room(b, n)) != 0)
		return r;
	if (b->d == NULL)	/* n == 0 on a buffer never allocated */
		return 0;
	*dst = b->d + b->len;
	b->len += n;
	return 0;
}

int
buf_consume(struct buf *b, size_t n)
{
	if (n > buf_len(b))
		return ERR_SHORT;
	b->off += n;
	if (b->off == b->len && !b->view)
		b->off = b->len = 0;
	return 0;
}

int
buf_consume_end(struct buf *b, size_t n)
{
	if (n > buf_len(b))
		return ERR_SHORT;
	b->len -= n;
	return 0;
}

int
buf_put(struct buf *b, const void *p, size_t n)
{
	unsigned char *dst;
	int r;

	if ((r = buf_reserve(b, n, &dst)) != 0)
		return r;
	if (n > 0)
		memcpy(dst, p, n);
	return 0;
}

int
buf_put_u8(struct buf *b, uint8_t v)
{
	return buf_put(b, &v, 1);
}

int
buf_put_u32(struct buf *b, uint32_t v)
{
	unsigned char t[4];

	buf_set_be32(t, v);
	return buf_put(b, t, 4);
}

int
buf_put_u64(struct buf *b, uint64_t v)
{
	unsigned char t[8];

	buf_set_be64(t, v);
	return buf_put(b, t, 8);
}

int
buf_put_bool(struct buf *b, int v)
{
	return buf_put_u8(b, v ? 1 : 0);
}

int
buf_put_string(struct buf *b, const void *p, size_t n)
{
	unsigned char *dst;
	int r;

	if (n > BUF_STRING_MAX)
		return ERR_LENGTH;
	if ((r = buf_reserve(b, 4 + n, &dst)) != 0)
		return r;
	buf_set_be32(dst, (uint32_t)n);
	if (n > 0)
		memcpy(dst + 4, p, n);
	return 0;
}

int
buf_put_cstring(struct buf *b, const char *s)
{
	return buf_put_string(b, s, s ? strlen(s) : 0);
}

int
buf_put_stringb(struct buf *b, const struct buf *src)
{
	return buf_put_string(b, buf_ptr(src), buf_len(src));
}

int
buf_put_mpint_unsigned(struct buf *b, const unsigned char *be, size_t n)
{
	unsigned char *dst;
	size_t pad;
	int r;

	while (n > 0 && *be == 0) {
		be++;
		n--;
	}
	if (n > BUF_STRING_MAX)
		return ERR_LENGTH;
	pad = (n > 0 && (be[0] & 0x80)) ? 1 : 0;
	if ((r = buf_reserve(b, 4 + pad + n, &dst)) != 0)
		return r;
	buf_set_be32(dst, (uint32_t)(n + pad));
	if (pad)
		dst[4] = 0;
	if (n > 0)
		memcpy(dst + 4 + pad, be, n);
	return 0;
}

int
buf_get(struct buf *b, void *out, size_t n)
{
	if (n > buf_len(b)) {
		if (out != NULL && n > 0)
			memset(out, 0, n);
		return ERR_SHORT;
	}
	if (out != NULL && n > 0)
		memcpy(out, buf_ptr(b), n);
	return buf_consume(b, n);
}

int
buf_get_u8(struct buf *b, uint8_t *v)
{
	return buf_get(b, v, 1);
}

int
buf_get_u32(struct buf *b, uint32_t *v)
{
	unsigned char t[4];
	int r;

	*v = 0;
	if ((r = buf_get(b, t, 4)) != 0)
		return r;
	*v = buf_be32(t);
	return 0;
}

int
buf_get_u64(struct buf *b, uint64_t *v)
{
	unsigned char t[8];
	int r;

	*v = 0;
	if ((r = buf_get(b, t, 8)) != 0)
		return r;
	*v = buf_be64(t);
	return 0;
}

int
buf_get_bool(struct buf *b, int *v)
{
	uint8_t c;
	int r;

	*v = 0;
	if ((r = buf_get_u8(b, &c)) != 0)
		return r;
	*v = c != 0;
	return 0;
}

int
buf_peek_u32(const struct buf *b, uint32_t *v)
{
	*v = 0;
	if (buf_len(b) < 4)
		return ERR_SHORT;
	*v = buf_be32(buf_ptr(b));
	return 0;
}

int
buf_get_sview(struct buf *b, const unsigned char **p, size_t *n)
{
	uint32_t len;
	int r;

	*p = NULL;
	*n = 0;
	if ((r = buf_peek_u32(b, &len)) != 0)
		return r;
	if (len > BUF_STRING_MAX)
		return ERR_LENGTH;
	if (buf_len(b) - 4 < len)
		return ERR_SHORT;
	*p = buf_ptr(b) + 4;
	*n = len;
	return buf_consume(b, 4 + (size_t)len);
}

int
buf_get_string(struct buf *b, unsigned char **p, size_t *n)
{
	const unsigned char *v;
	size_t len;
	unsigned char *s;
	struct buf save = *b;
	int r;

	*p = NULL;
	if (n != NULL)
		*n = 0;
	if ((r = buf_get_sview(b, &v, &len)) != 0)
		return r;
	if ((s = malloc(len + 1)) == NULL) {
		*b = save;
		return ERR_ALLOC;
	}
	if (len > 0)
		memcpy(s, v, len);
	s[len] = '\0';
	*p = s;
	if (n != NULL)
		*n = len;
	return 0;
}

int
buf_get_cstring(struct buf *b, char **s, size_t *n)
{
	const unsigned char *v;
	size_t len;
	uint32_t l32;

	*s = NULL;
	if (n != NULL)
		*n = 0;
	/* Check for an inner NUL before consuming anything. */
	if (buf_peek_u32(b, &l32) == 0 && l32 <= BUF_STRING_MAX &&
	    buf_len(b) - 4 >= l32 && memchr(buf_ptr(b) + 4, '\0', l32) != NULL)
		return ERR_NUL;
	{
		struct buf save = *b;
		int r;

		if ((r = buf_get_sview(b, &v, &len)) != 0)
			return r;
		if ((*s = malloc(len + 1)) == NULL) {
			*b = save;
			return ERR_ALLOC;
		}
	}
	if (len > 0)
		memcpy(*s, v, len);
	(*s)[len] = '\0';
	if (n != NULL)
		*n = len;
	return 0;
}

int
buf_get_subbuf(struct buf *b, struct buf *sub)
{
	const unsigned char *p;
	size_t n;
	int r;

	buf_view(sub, NULL, 0);
	if ((r = buf_get_sview(b, &p, &n)) != 0)
		return r;
	buf_view(sub, p, n);
	return 0;
}

int
buf_get_view(struct buf *b, struct sview *v)
{
	return buf_get_sview(b, &v->p, &v->n);
}

int
buf_get_cview(struct buf *b, struct sview *v)
{
	int r;

	if ((r = buf_get_view(b, v)) != 0)
		return r;
	if (v->n > 0 && memchr(v->p, '\0', v->n) != NULL) {
		v->p = NULL;
		v->n = 0;
		return ERR_NUL;
	}
	return 0;
}

int
sview_eq(const struct sview *v, const char *s)
{
	size_t n = strlen(s);

	return v->n == n && (n == 0 || memcmp(v->p, s, n) == 0);
}

char *
sview_dup(const struct sview *v)
{
	char *s;

	if (v->n > BUF_STRING_MAX ||
	    (v->n > 0 && memchr(v->p, '\0', v->n) != NULL))
		return NULL;
	if ((s = malloc(v->n + 1)) == NULL)
		return NULL;
	if (v->n > 0)
		memcpy(s, v->p, v->n);
	s[v->n] = '\0';
	return s;
}
