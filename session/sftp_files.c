/*
 * sftp_files.c - the handle table and the file requests of the internal
 * SFTP server: OPEN, CLOSE, READ, WRITE, STAT, LSTAT, FSTAT, SETSTAT,
 * FSETSTAT.  READ reads with pread() straight into the reply in the output
 * buffer and WRITE writes with pwrite() straight from the request in the
 * input buffer: no allocation or copy per request.  Log lines and status
 * codes are sftp-server's.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "session/sftp_int.h"

/* ---- handles ------------------------------------------------------- */

int
sftp_handle_new(struct sftp_state *st, enum sftp_use use, const char *name,
    int fd, int flags, DIR *dir)
{
	struct sftp_handle *h;
	int i;

	for (i = 0; i < SFTP_MAX_HANDLES; i++)
		if (st->handles[i].use == SFTP_H_UNUSED)
			break;
	if (i == SFTP_MAX_HANDLES) {
		error("sftp: too many open handles");
		return -1;
	}
	h = &st->handles[i];
	if ((h->name = strdup(name)) == NULL)
		return -1;
	h->use = use;
	h->gen = ++st->next_gen;
	h->fd = fd;
	h->dir = dir;
	h->flags = flags;
	h->bytes_read = h->bytes_written = 0;
	return i;
}

struct sftp_handle *
sftp_handle_get(struct sftp_state *st, const struct sview *v,
    enum sftp_use use)
{
	struct sftp_handle *h;
	uint32_t idx, gen;

	if (sftp_handle_decode(v, &idx, &gen) != 0 || idx >= SFTP_MAX_HANDLES)
		return NULL;
	h = &st->handles[idx];
	if (h->use == SFTP_H_UNUSED || h->gen != gen ||
	    (use != SFTP_H_UNUSED && h->use != use))
		return NULL;
	return h;
}

void
sftp_send_handle(struct sftp_state *st, uint32_t id, int idx)
{
	unsigned char hs[SFTP_HANDLE_LEN];

	sftp_handle_encode(hs, (uint32_t)idx, st->handles[idx].gen);
	debug("request %u: sent handle %d", id, idx);
	sftp_queued(st, sftp_put_handle(&st->obuf, id, hs, sizeof(hs)));
}

static void
log_handle_close(const struct sftp_handle *h, const char *pfx)
{
	if (h->use == SFTP_H_FILE)
		logit("%sclose \"%s\" bytes read %llu written %llu", pfx,
		    h->name, (unsigned long long)h->bytes_read,
		    (unsigned long long)h->bytes_written);
	else
		logit("%sclosedir \"%s\"", pfx, h->name);
}

/* Close and free h; -1 with errno if close(2) failed. */
static int
handle_close(struct sftp_handle *h)
{
	int r = h->use == SFTP_H_FILE ? close(h->fd) : closedir(h->dir);
	int e = errno;

	free(h->name);
	memset(h, 0, sizeof(*h));
	h->fd = -1;
	errno = e;
	return r;
}

void
sftp_handles_close_all(struct sftp_state *st)
{
	int i;

	for (i = 0; i < SFTP_MAX_HANDLES; i++) {
		if (st->handles[i].use == SFTP_H_UNUSED)
			continue;
		log_handle_close(&st->handles[i], "forced ");
		handle_close(&st->handles[i]);
	}
}

void
sftp_stat_to_attrs(const struct stat *sb, struct sftp_attrs *a)
{
	memset(a, 0, sizeof(*a));
	a->flags = SSH2_FILEXFER_ATTR_SIZE | SSH2_FILEXFER_ATTR_UIDGID |
	    SSH2_FILEXFER_ATTR_PERMISSIONS | SSH2_FILEXFER_ATTR_ACMODTIME;
	a->size = (uint64_t)sb->st_size;
	a->uid = (uint32_t)sb->st_uid;
	a->gid = (uint32_t)sb->st_gid;
	a->perm = (uint32_t)sb->st_mode;
	a->atime = (uint32_t)sb->st_atime;
	a->mtime = (uint32_t)sb->st_mtime;
}

/* ---- open / close -------------------------------------------------- */

static int
open_flags(uint32_t pflags)
{
	int flags = O_RDONLY;

	if ((pflags & SSH2_FXF_READ) && (pflags & SSH2_FXF_WRITE))
		flags = O_RDWR;
	else if (pflags & SSH2_FXF_WRITE)
		flags = O_WRONLY;
	if (pflags & SSH2_FXF_APPEND)
		flags |= O_APPEND;
	if (pflags & SSH2_FXF_CREAT)
		flags |= O_CREAT;
	if (pflags & SSH2_FXF_TRUNC)
		flags |= O_TRUNC;
	if (pflags & SSH2_FXF_EXCL)
		flags |= O_EXCL;
	return flags;
}

/* "WRITE,CREATE,TRUNCATE" as sftp-server logs pflags. */
static const char *
pflags_text(uint32_t pflags, char *out, size_t max)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ SSH2_FXF_READ, "READ" }, { SSH2_FXF_WRITE, "WRITE" },
		{ SSH2_FXF_APPEND, "APPEND" }, { SSH2_FXF_CREAT, "CREATE" },
		{ SSH2_FXF_TRUNC, "TRUNCATE" }, { SSH2_FXF_EXCL, "EXCL" },
	};
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (pflags & names[i].bit)
			n += (size_t)snprintf(out + n, max - n, "%s%s",
			    n > 0 ? "," : "", names[i].name);
	return out;
}

void
sftp_do_open(struct sftp_state *st, const struct sftp_req *q)
{
	char ftext[64];
	int flags = open_flags(q->pflags), fd, idx;
	unsigned int mode = (q->attrs.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) ?
	    q->attrs.perm : 0666;

	if (sftp_paths(st, q, 0) != 0)
		return;
	debug3("request %u: open flags %u", q->id, q->pflags);
	logit("open \"%s\" flags %s mode 0%o", st->path,
	    pflags_text(q->pflags, ftext, sizeof(ftext)), mode);
	if (st->readonly && ((flags & O_ACCMODE) != O_RDONLY ||
	    (flags & (O_CREAT | O_TRUNC)) != 0)) {
		verbose("Refusing open request in read-only mode");
		sftp_send_status(st, q->id, SSH2_FX_PERMISSION_DENIED);
		return;
	}
	if ((fd = open(st->path, flags | O_CLOEXEC | O_NOCTTY,
	    (mode_t)mode)) == -1) {
		sftp_send_status(st, q->id, sftp_errno_status(errno));
		return;
	}
	if ((idx = sftp_handle_new(st, SFTP_H_FILE, st->path, fd, flags,
	    NULL)) < 0) {
		close(fd);
		sftp_send_status(st, q->id, SSH2_FX_FAILURE);
		return;
	}
	sftp_send_handle(st, q->id, idx);
}

void
sftp_do_close(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_handle *h = sftp_handle_get(st, &q->handle,
	    SFTP_H_UNUSED);

	debug3("request %u: close", q->id);
	if (h == NULL) {
		sftp_send_status(st, q->id, SSH2_FX_NO_SUCH_FILE);
		return;
	}
	log_handle_close(h, "");
	sftp_send_status(st, q->id, handle_close(h) == -1 ?
	    sftp_errno_status(errno) : SSH2_FX_OK);
}

/* ---- read / write -------------------------------------------------- */

ssize_t
sftp_pread_full(int fd, unsigned char *p, size_t n, uint64_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(fd, p + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return got > 0 ? (ssize_t)got : -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

void
sftp_do_read(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_handle *h = sftp_handle_get(st, &q->handle, SFTP_H_FILE);
	size_t len = q->len > SFTP_MAX_READ ? SFTP_MAX_READ : q->len;
	struct sftp_mark m;
	unsigned char *dst;
	ssize_t n;
	int r;

	if (h == NULL) {
		sftp_send_status(st, q->id, SSH2_FX_FAILURE);
		return;
	}
	debug("request %u: read \"%s\" off %llu len %u", q->id, h->name,
	    (unsigned long long)q->offset, q->len);
	if (q->offset > (uint64_t)INT64_MAX - len) {
		sftp_send_status(st, q->id, SSH2_FX_BAD_MESSAGE);
		return;
	}
	if ((r = sftp_data_begin(&st->obuf, q->id, len, &m, &dst)) != 0) {
		sftp_queued(st, r);
		return;
	}
	n = len == 0 ? 0 : sftp_pread_full(h->fd, dst, len, q->offset);
	if (n <= 0 && len > 0) {
		sftp_abort(&st->obuf, &m);
		if (n < 0)
			error("read \"%.100s\": %s", h->name, strerror(errno));
		sftp_send_status(st, q->id, n < 0 ?
		    sftp_errno_status(errno) : SSH2_FX_EOF);
		return;
	}
	sftp_queued(st, sftp_data_end(&st->obuf, &m, len, (size_t)n));
	h->bytes_read += (uint64_t)n;
}

int
sftp_write_full(const struct sftp_handle *h, const unsigned char *p, size_t n,
    uint64_t off)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		if (h->flags & O_APPEND)
			r = write(h->fd, p + done, n - done);
		else
			r = pwrite(h->fd, p + done, n - done,
			    (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno;
		if (r == 0)
			return EIO;
		done += (size_t)r;
	}
	return 0;
}

void
sftp_do_write(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_handle *h = sftp_handle_get(st, &q->handle, SFTP_H_FILE);
	int e;

	if (h == NULL) {
		sftp_send_status(st, q->id, SSH2_FX_FAILURE);
		return;
	}
	debug("request %u: write \"%s\" off %llu len %zu", q->id, h->name,
	    (unsigned long long)q->offset, q->data.n);
	if (q->offset > (uint64_t)INT64_MAX - q->data.n) {
		sftp_send_status(st, q->id, SSH2_FX_BAD_MESSAGE);
		return;
	}
	if ((e = sftp_write_full(h, q->data.p, q->data.n, q->offset)) != 0) {
		error("write \"%.100s\": %s", h->name, strerror(e));
		sftp_send_status(st, q->id, sftp_errno_status(e));
		return;
	}
	h->bytes_written += q->data.n;
	sftp_send_status(st, q->id, SSH2_FX_OK);
}

/* ---- stat family --------------------------------------------------- */

static void
send_stat(struct sftp_state *st, uint32_t id, int r, const struct stat *sb)
{
	struct sftp_attrs a;

	if (r == -1) {
		sftp_send_status(st, id, sftp_errno_status(errno));
		return;
	}
	sftp_stat_to_attrs(sb, &a);
	sftp_queued(st, sftp_put_attrs_reply(&st->obuf, id, &a));
}

static void
do_stat(struct sftp_state *st, const struct sftp_req *q, int lst)
{
	struct stat sb;

	if (sftp_paths(st, q, 0) != 0)
		return;
	verbose("%sstat name \"%s\"", lst ? "l" : "", st->path);
	send_stat(st, q->id, lst ? lstat(st->path, &sb) : stat(st->path, &sb),
	    &sb);
}

void
sftp_do_stat(struct sftp_state *st, const struct sftp_req *q)
{
	do_stat(st, q, 0);
}

void
sftp_do_lstat(struct sftp_state *st, const struct sftp_req *q)
{
	do_stat(st, q, 1);
}

void
sftp_do_fstat(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_handle *h = sftp_handle_get(st, &q->handle, SFTP_H_FILE);
	struct stat sb;

	if (h == NULL) {
		sftp_send_status(st, q->id, SSH2_FX_FAILURE);
		return;
	}
	debug("request %u: fstat \"%s\"", q->id, h->name);
	send_stat(st, q->id, fstat(h->fd, &sb), &sb);
}

void
sftp_do_setstat(struct sftp_state *st, const struct sftp_req *q)
{
	if (sftp_paths(st, q, 0) != 0)
		return;
	debug("request %u: setstat name \"%s\"", q->id, st->path);
	sftp_send_status(st, q->id,
	    sftp_set_attrs(st->path, -1, SFTP_SET_PATH, &q->attrs));
}

void
sftp_do_fsetstat(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_handle *h = sftp_handle_get(st, &q->handle, SFTP_H_FILE);

	if (h == NULL) {
		sftp_send_status(st, q->id, SSH2_FX_FAILURE);
		return;
	}
	debug("request %u: fsetstat \"%s\"", q->id, h->name);
	sftp_send_status(st, q->id,
	    sftp_set_attrs(h->name, h->fd, SFTP_SET_FD, &q->attrs));
}
