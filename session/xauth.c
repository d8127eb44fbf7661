/*
 * xauth.c - the X authority file (see xauth.h): hex cookies, merging and
 * removing entries as pure functions over bytes, then reading, locking
 * and atomically replacing the file.  The lock protocol is libXau's
 * XauLockAuth() (path-c created exclusively, hard-linked to path-l), so
 * nsshd and a concurrently running xauth exclude each other.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "proto/buf.h"
#include "session/xauth.h"

#define LOCK_TRIES	20		/* 20 x 100 ms: about 2 s */
#define LOCK_WAIT_NS	100000000L
#define LOCK_STALE	10		/* s; an older lock is broken */

/* ---- hex ------------------------------------------------------------ */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
xauth_hex_decode(const char *hex, size_t n, unsigned char *out, size_t max,
    size_t *outlen)
{
	size_t i;

	*outlen = 0;
	if (n % 2 != 0)
		return ERR_FORMAT;
	for (i = 0; i < n; i++)
		if (hexval(hex[i]) < 0)
			return ERR_FORMAT;
	if (n / 2 > max)
		return ERR_LENGTH;
	for (i = 0; i < n / 2; i++)
		out[i] = (unsigned char)(hexval(hex[2 * i]) << 4 |
		    hexval(hex[2 * i + 1]));
	*outlen = n / 2;
	return 0;
}

/* ---- entries -------------------------------------------------------- */

static int
get_u16(struct buf *b, uint16_t *v)
{
	unsigned char x[2];
	int r;

	*v = 0;
	if ((r = buf_get(b, x, sizeof(x))) != 0)
		return r;
	*v = (uint16_t)(x[0] << 8 | x[1]);
	return 0;
}

/* A counted field as a view into b's memory. */
static int
get_field(struct buf *b, struct sview *v)
{
	uint16_t n;
	int r;

	v->p = NULL;
	v->n = 0;
	if ((r = get_u16(b, &n)) != 0)
		return r;
	if (buf_len(b) < n)
		return ERR_SHORT;
	v->p = buf_ptr(b);
	v->n = n;
	return buf_consume(b, n);
}

/* Read one whole entry; ERR_FORMAT if the input ends inside it. */
static int
get_entry(struct buf *b, struct xauth_entry *x)
{
	if (get_u16(b, &x->family) != 0 || get_field(b, &x->addr) != 0 ||
	    get_field(b, &x->number) != 0 || get_field(b, &x->name) != 0 ||
	    get_field(b, &x->data) != 0)
		return ERR_FORMAT;
	return 0;
}

static int
put_u16(struct buf *b, size_t v)
{
	unsigned char x[2];

	if (v > XAUTH_FIELD_MAX)
		return ERR_LENGTH;
	x[0] = (unsigned char)(v >> 8);
	x[1] = (unsigned char)v;
	return buf_put(b, x, sizeof(x));
}

static int
put_field(struct buf *b, const struct sview *v)
{
	int r;

	if ((r = put_u16(b, v->n)) != 0)
		return r;
	return v->n == 0 ? 0 : buf_put(b, v->p, v->n);
}

static int
put_entry(struct buf *b, const struct xauth_entry *e)
{
	int r;

	if ((r = put_u16(b, e->family)) != 0 ||
	    (r = put_field(b, &e->addr)) != 0 ||
	    (r = put_field(b, &e->number)) != 0 ||
	    (r = put_field(b, &e->name)) != 0)
		return r;
	return put_field(b, &e->data);
}

static int
sview_same(const struct sview *a, const struct sview *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

/* xauth's match_auth_dpy(): same family, address and display number. */
static int
same_display(const struct xauth_entry *a, const struct xauth_entry *b)
{
	return a->family == b->family && sview_same(&a->addr, &b->addr) &&
	    sview_same(&a->number, &b->number);
}

/*
 * Copy the entries of old that are not for e's display to out; count the
 * others in *ndropped.  On failure out is cut back to its length before.
 */
static int
filter(const unsigned char *old, size_t oldlen, const struct xauth_entry *e,
    struct buf *out, size_t *ndropped)
{
	struct buf in;
	struct xauth_entry x;
	const unsigned char *start;
	size_t before = buf_len(out), left;
	int r = 0;

	*ndropped = 0;
	buf_view(&in, old, oldlen);
	while (buf_len(&in) > 0) {
		start = buf_ptr(&in);
		left = buf_len(&in);
		if ((r = get_entry(&in, &x)) != 0)
			break;
		if (same_display(&x, e))
			(*ndropped)++;
		else if ((r = buf_put(out, start, left - buf_len(&in))) != 0)
			break;
	}
	if (r != 0) {
		*ndropped = 0;
		(void)buf_consume_end(out, buf_len(out) - before);
	}
	return r;
}

int
xauth_merge(const unsigned char *old, size_t oldlen,
    const struct xauth_entry *e, struct buf *out)
{
	size_t before = buf_len(out), nd;
	int r;

	if ((r = filter(old, oldlen, e, out, &nd)) != 0)
		return r;
	if ((r = put_entry(out, e)) != 0)
		(void)buf_consume_end(out, buf_len(out) - before);
	return r;
}

int
xauth_remove(const unsigned char *old, size_t oldlen,
    const struct xauth_entry *e, struct buf *out)
{
	size_t nd;

	return filter(old, oldlen, e, out, &nd);
}

/* ---- the lock ------------------------------------------------------- */

struct lock {
	char c[PATH_MAX];	/* path-c, created exclusively */
	char l[PATH_MAX];	/* path-l, its hard link: the lock itself */
	int made;		/* we created c */
};

static int
lock_names(const char *path, struct lock *lk)
{
	int n1, n2;

	lk->made = 0;
	n1 = snprintf(lk->c, sizeof(lk->c), "%s-c", path);
	n2 = snprintf(lk->l, sizeof(lk->l), "%s-l", path);
	if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof(lk->c) ||
	    (size_t)n2 >= sizeof(lk->l))
		return ERR_LENGTH;
	return 0;
}

/* One attempt: 0 locked, 1 busy, ERR_SYS. */
static int
lock_try(struct lock *lk)
{
	int fd;

	if (!lk->made) {
		fd = open(lk->c, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0)
			return errno == EEXIST ? 1 : ERR_SYS;
		(void)close(fd);
		lk->made = 1;
	}
	if (link(lk->c, lk->l) == 0)
		return 0;
	if (errno == ENOENT) {		/* c was broken as stale: again */
		lk->made = 0;
		return 1;
	}
	return errno == EEXIST ? 1 : ERR_SYS;
}

/* libXau's XauLockAuth() with a short wait and a 10 s stale limit. */
static int
lock_take(struct lock *lk)
{
	struct timespec ts = { 0, LOCK_WAIT_NS };
	struct stat st;
	int i, r, e;

	if (lstat(lk->c, &st) == 0 && time(NULL) - st.st_ctime > LOCK_STALE) {
		(void)unlink(lk->c);
		(void)unlink(lk->l);
	}
	for (i = 0; i < LOCK_TRIES; i++) {
		if ((r = lock_try(lk)) <= 0)
			break;
		(void)nanosleep(&ts, NULL);
	}
	if (r == 0)
		return 0;
	e = r == 1 ? EWOULDBLOCK : errno;
	if (lk->made)
		(void)unlink(lk->c);
	errno = e;
	return ERR_SYS;
}

static void
lock_release(struct lock *lk)
{
	int e = errno;

	(void)unlink(lk->c);
	(void)unlink(lk->l);
	errno = e;
}

/* ---- the file ------------------------------------------------------- */

/* Read a regular file of at most XAUTH_FILE_MAX bytes; missing: empty. */
static int
read_old(const char *path, struct buf *in)
{
	unsigned char chunk[8192];
	struct stat st;
	ssize_t n;
	int fd, r = 0, e;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return errno == ELOOP || errno == ENXIO ? ERR_DENIED : ERR_SYS;
	}
	if (fstat(fd, &st) != 0)
		r = ERR_SYS;
	else if (!S_ISREG(st.st_mode))
		r = ERR_DENIED;
	else if (st.st_size > (off_t)XAUTH_FILE_MAX)
		r = ERR_LENGTH;
	while (r == 0) {
		if ((n = read(fd, chunk, sizeof(chunk))) < 0) {
			if (errno != EINTR)
				r = ERR_SYS;
		} else if (n == 0)
			break;
		else
			r = buf_put(in, chunk, (size_t)n);
	}
	wipe(chunk, sizeof(chunk));
	e = errno;
	(void)close(fd);
	errno = e;
	return r;
}

/* Write data to a new 0600 file next to path, then rename it over path. */
static int
write_new(const char *path, const struct buf *data)
{
	char tmp[PATH_MAX];
	const unsigned char *p = buf_ptr(data);
	size_t left = buf_len(data);
	ssize_t w;
	int fd, n, ok, e;

	n = snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return ERR_LENGTH;
	if ((fd = mkstemp(tmp)) < 0)
		return ERR_SYS;
	ok = fchmod(fd, 0600) == 0;
	while (ok && left > 0) {
		if ((w = write(fd, p, left)) < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ok = 0;
			break;
		}
		p += w;
		left -= (size_t)w;
	}
	ok = ok && fsync(fd) == 0;
	e = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	if (ok && rename(tmp, path) != 0) {
		ok = 0;
		e = errno;
	}
	if (!ok) {
		(void)unlink(tmp);
		errno = e;
		return ERR_SYS;
	}
	return 0;
}

/* Under the lock: read, merge (add) or remove, write if anything changed. */
static int
update_locked(const char *path, const struct xauth_entry *e, int add)
{
	struct buf in, out;
	size_t nd = 0;
	int r, saved;

	buf_init(&in, XAUTH_FILE_MAX);
	buf_init(&out, XAUTH_FILE_MAX);
	if ((r = read_old(path, &in)) == 0) {
		if (add)
			r = xauth_merge(buf_ptr(&in), buf_len(&in), e, &out);
		else
			r = filter(buf_ptr(&in), buf_len(&in), e, &out, &nd);
	}
	if (r == 0 && (add || nd > 0))
		r = write_new(path, &out);
	saved = errno;
	buf_free(&in);		/* wipes the cookies */
	buf_free(&out);
	errno = saved;
	return r;
}

static int
update(const char *path, const struct xauth_entry *e, int add)
{
	struct lock lk;
	struct stat st;
	int r;

	if (!add && lstat(path, &st) != 0 && errno == ENOENT)
		return 0;
	if ((r = lock_names(path, &lk)) != 0 || (r = lock_take(&lk)) != 0)
		return r;
	r = update_locked(path, e, add);
	lock_release(&lk);
	return r;
}

int
xauth_add_file(const char *path, const struct xauth_entry *e)
{
	return update(path, e, 1);
}

int
xauth_remove_file(const char *path, const struct xauth_entry *e)
{
	return update(path, e, 0);
}
