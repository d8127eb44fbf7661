/*
 * buf.h - the one wire-buffer API.
 *
 * Every byte to or from the network or the monitor socket goes through a
 * struct buf.  A buffer holds the bytes [off, len) of d[]; gets consume from
 * the front, puts append at the end.  Every get/put is bounds-checked and
 * returns 0 or a negative ERR_* code (common/err.h); a failed get clears its
 * output and consumes nothing; a failed put appends nothing.  Strings are
 * SSH "string" (uint32 length + bytes); C-string getters refuse inner NULs.
 *
 * Ownership: a buffer made with buf_init() owns its storage and grows up to
 * its max; buf_free() wipes and frees it.  A buffer made with buf_view() is a
 * read-only window onto caller memory, which must outlive it; puts on a view
 * fail with ERR_INTERNAL.  Pointers returned by buf_ptr()/buf_get_sview()
 * stay valid until the next put, consume or free on that buffer.
 */
#ifndef NSSHD_BUF_H
#define NSSHD_BUF_H

#include <stddef.h>
#include <stdint.h>

#define BUF_MAX_DEFAULT	(1u << 20)	/* default growth limit: 1 MiB */
#define BUF_STRING_MAX	(256u * 1024)	/* no SSH string we accept is larger */

/* A read-only view of bytes in someone else's memory (a decoded string). */
struct sview {
	const unsigned char *p;
	size_t n;
};

struct buf {
	unsigned char *d;
	size_t off;		/* first unread byte */
	size_t len;		/* end of data */
	size_t cap;		/* bytes allocated at d */
	size_t max;		/* len may never exceed this */
	int view;		/* 1: read-only window onto foreign memory */
};

/* Lifecycle. buf_init never fails (allocation is lazy); max 0 = default. */
void buf_init(struct buf *b, size_t max);
void buf_view(struct buf *b, const void *p, size_t n);
void buf_free(struct buf *b);		/* wipes, frees, leaves b empty */
void buf_reset(struct buf *b);		/* wipes the data, keeps storage */

/* Unread bytes and a pointer to them. */
size_t buf_len(const struct buf *b);
const unsigned char *buf_ptr(const struct buf *b);
unsigned char *buf_mptr(struct buf *b);	/* NULL for views */

/*
 * buf_reserve - make room for n more bytes at the end, mark them used and
 * return a pointer to them in *dst (contents undefined).  ERR_LENGTH past max.
 */
int buf_reserve(struct buf *b, size_t n, unsigned char **dst);
/* Drop n bytes from the front / the end.  ERR_SHORT if fewer are there. */
int buf_consume(struct buf *b, size_t n);
int buf_consume_end(struct buf *b, size_t n);

/* Puts: append. */
int buf_put(struct buf *b, const void *p, size_t n);
int buf_put_u8(struct buf *b, uint8_t v);
int buf_put_u32(struct buf *b, uint32_t v);
int buf_put_u64(struct buf *b, uint64_t v);
int buf_put_bool(struct buf *b, int v);
int buf_put_string(struct buf *b, const void *p, size_t n);
int buf_put_cstring(struct buf *b, const char *s);	/* NULL = "" */
int buf_put_stringb(struct buf *b, const struct buf *src); /* unread part */
/* mpint from an unsigned big-endian magnitude (leading zeros stripped). */
int buf_put_mpint_unsigned(struct buf *b, const unsigned char *be, size_t n);

/* Gets: consume from the front. */
int buf_get(struct buf *b, void *out, size_t n);
int buf_get_u8(struct buf *b, uint8_t *v);
int buf_get_u32(struct buf *b, uint32_t *v);
int buf_get_u64(struct buf *b, uint64_t *v);
int buf_get_bool(struct buf *b, int *v);	/* any non-zero byte is true */
int buf_peek_u32(const struct buf *b, uint32_t *v);
/* A string as a view into b (no copy); *p is not NUL-terminated. */
int buf_get_sview(struct buf *b, const unsigned char **p, size_t *n);
/* A string copied to fresh memory (NUL-terminated too); caller frees. */
int buf_get_string(struct buf *b, unsigned char **p, size_t *n);
/* A string without inner NUL, as an allocated C string; n may be NULL. */
int buf_get_cstring(struct buf *b, char **s, size_t *n);
/* A string as a struct sview (same as buf_get_sview). */
int buf_get_view(struct buf *b, struct sview *v);
/* The same for a string that will become a C string (a host, a path):
 * ERR_NUL (and an empty view) if it holds a NUL byte. */
int buf_get_cview(struct buf *b, struct sview *v);
/* Copy v to a new C string; NULL on ENOMEM or an inner NUL. */
char *sview_dup(const struct sview *v);
/* 1 if v holds exactly the C string s. */
int sview_eq(const struct sview *v, const char *s);
/* A string read into a sub-buffer view of b's memory. */
int buf_get_subbuf(struct buf *b, struct buf *sub);

/* Big-endian helpers for code that frames raw memory (packet lengths). */
uint32_t buf_be32(const unsigned char *p);
void buf_set_be32(unsigned char *p, uint32_t v);
uint64_t buf_be64(const unsigned char *p);
void buf_set_be64(unsigned char *p, uint64_t v);

/* Wipe memory so the compiler cannot drop it. */
void wipe(void *p, size_t n);

#endif
