/*
 * sftp_reply.c - SFTP v3 reply encoders (see sftp_msg.h).  Each appends
 * one whole packet to the caller's buffer; length fields are reserved
 * first and filled in at the end through a struct sftp_mark, so no code
 * outside proto/ indexes packet memory.
 */
#include "autoconf.h"

#include <string.h>

#include "common/err.h"
#include "proto/sftp_msg.h"

/* Reserve a uint32 length at the end of out and remember where. */
static int
mark_begin(struct buf *out, struct sftp_mark *m)
{
	m->at = buf_len(out);
	m->count_at = 0;
	return buf_put_u32(out, 0);
}

/* Fill in the length reserved by m: the bytes after it. */
static void
mark_end(struct buf *out, const struct sftp_mark *m)
{
	buf_set_be32(buf_mptr(out) + m->at,
	    (uint32_t)(buf_len(out) - m->at - 4));
}

void
sftp_abort(struct buf *out, const struct sftp_mark *m)
{
	if (buf_len(out) >= m->at)
		buf_consume_end(out, buf_len(out) - m->at);
}

/* Start a packet: length, type and (unless VERSION) the request id. */
static int
pkt_begin(struct buf *out, uint8_t type, int has_id, uint32_t id,
    struct sftp_mark *m)
{
	int r;

	if ((r = mark_begin(out, m)) != 0 ||
	    (r = buf_put_u8(out, type)) != 0 ||
	    (has_id && (r = buf_put_u32(out, id)) != 0))
		sftp_abort(out, m);
	return r;
}

/* Finish a packet, or drop it if a put failed (r != 0). */
static int
pkt_end(struct buf *out, const struct sftp_mark *m, int r)
{
	if (r != 0)
		sftp_abort(out, m);
	else
		mark_end(out, m);
	return r;
}

int
sftp_put_attrs(struct buf *b, const struct sftp_attrs *a)
{
	uint32_t f = a->flags & ~SSH2_FILEXFER_ATTR_EXTENDED;
	int r;

	if ((r = buf_put_u32(b, f)) != 0)
		return r;
	if ((f & SSH2_FILEXFER_ATTR_SIZE) &&
	    (r = buf_put_u64(b, a->size)) != 0)
		return r;
	if ((f & SSH2_FILEXFER_ATTR_UIDGID) &&
	    ((r = buf_put_u32(b, a->uid)) != 0 ||
	    (r = buf_put_u32(b, a->gid)) != 0))
		return r;
	if ((f & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    (r = buf_put_u32(b, a->perm)) != 0)
		return r;
	if ((f & SSH2_FILEXFER_ATTR_ACMODTIME) &&
	    ((r = buf_put_u32(b, a->atime)) != 0 ||
	    (r = buf_put_u32(b, a->mtime)) != 0))
		return r;
	return 0;
}

int
sftp_put_status(struct buf *out, uint32_t id, uint32_t code,
    const char *text)
{
	struct sftp_mark m;
	int r;

	if ((r = pkt_begin(out, SSH2_FXP_STATUS, 1, id, &m)) != 0)
		return r;
	if ((r = buf_put_u32(out, code)) == 0 &&
	    (r = buf_put_cstring(out, text)) == 0)
		r = buf_put_cstring(out, "");
	return pkt_end(out, &m, r);
}

int
sftp_put_handle(struct buf *out, uint32_t id, const unsigned char *h,
    size_t n)
{
	struct sftp_mark m;
	int r;

	if ((r = pkt_begin(out, SSH2_FXP_HANDLE, 1, id, &m)) != 0)
		return r;
	return pkt_end(out, &m, buf_put_string(out, h, n));
}

int
sftp_put_attrs_reply(struct buf *out, uint32_t id,
    const struct sftp_attrs *a)
{
	struct sftp_mark m;
	int r;

	if ((r = pkt_begin(out, SSH2_FXP_ATTRS, 1, id, &m)) != 0)
		return r;
	return pkt_end(out, &m, sftp_put_attrs(out, a));
}

int
sftp_put_name1(struct buf *out, uint32_t id, const char *name)
{
	struct sftp_attrs none;
	struct sftp_mark m;
	int r;

	memset(&none, 0, sizeof(none));
	if ((r = sftp_name_begin(out, id, &m)) != 0)
		return r;
	if ((r = sftp_name_add(out, &m, SFTP_MAX_PACKET, name, name,
	    &none)) != 0) {
		sftp_abort(out, &m);
		return r;
	}
	return sftp_name_end(out, &m, 1);
}

int
sftp_put_version(struct buf *out, uint32_t version,
    const struct sftp_ext_adv *ext, size_t n)
{
	struct sftp_mark m;
	size_t i;
	int r;

	if ((r = pkt_begin(out, SSH2_FXP_VERSION, 0, 0, &m)) != 0)
		return r;
	r = buf_put_u32(out, version);
	for (i = 0; r == 0 && i < n; i++)
		if ((r = buf_put_cstring(out, ext[i].name)) == 0)
			r = buf_put_cstring(out, ext[i].version);
	return pkt_end(out, &m, r);
}

int
sftp_put_statvfs(struct buf *out, uint32_t id, const struct sftp_statvfs *s)
{
	const uint64_t v[11] = { s->bsize, s->frsize, s->blocks, s->bfree,
	    s->bavail, s->files, s->ffree, s->favail, s->fsid, s->flag,
	    s->namemax };
	struct sftp_mark m;
	size_t i;
	int r;

	if ((r = pkt_begin(out, SSH2_FXP_EXTENDED_REPLY, 1, id, &m)) != 0)
		return r;
	for (i = 0; r == 0 && i < 11; i++)
		r = buf_put_u64(out, v[i]);
	return pkt_end(out, &m, r);
}

int
sftp_put_limits(struct buf *out, uint32_t id, uint64_t max_packet,
    uint64_t max_read, uint64_t max_write, uint64_t max_handles)
{
	struct sftp_mark m;
	int r;

	if ((r = pkt_begin(out, SSH2_FXP_EXTENDED_REPLY, 1, id, &m)) != 0)
		return r;
	if ((r = buf_put_u64(out, max_packet)) == 0 &&
	    (r = buf_put_u64(out, max_read)) == 0 &&
	    (r = buf_put_u64(out, max_write)) == 0)
		r = buf_put_u64(out, max_handles);
	return pkt_end(out, &m, r);
}

/* DATA: length | type | id | string data.  The data starts 13 bytes
 * after the mark. */
#define DATA_HDR	13

int
sftp_data_begin(struct buf *out, uint32_t id, size_t max,
    struct sftp_mark *m, unsigned char **dst)
{
	unsigned char *p;
	int r;

	*dst = NULL;
	if (max > BUF_STRING_MAX)
		return ERR_LENGTH;
	if ((r = pkt_begin(out, SSH2_FXP_DATA, 1, id, m)) != 0)
		return r;
	if ((r = buf_put_u32(out, 0)) != 0 ||
	    (r = buf_reserve(out, max, &p)) != 0) {
		sftp_abort(out, m);
		return r;
	}
	*dst = buf_mptr(out) + m->at + DATA_HDR;
	return 0;
}

int
sftp_data_end(struct buf *out, const struct sftp_mark *m, size_t max,
    size_t n)
{
	if (n > max || buf_len(out) != m->at + DATA_HDR + max) {
		sftp_abort(out, m);
		return ERR_INTERNAL;
	}
	buf_consume_end(out, max - n);
	buf_set_be32(buf_mptr(out) + m->at + DATA_HDR - 4, (uint32_t)n);
	mark_end(out, m);
	return 0;
}

int
sftp_name_begin(struct buf *out, uint32_t id, struct sftp_mark *m)
{
	int r;

	if ((r = pkt_begin(out, SSH2_FXP_NAME, 1, id, m)) != 0)
		return r;
	m->count_at = buf_len(out);
	if ((r = buf_put_u32(out, 0)) != 0)
		sftp_abort(out, m);
	return r;
}

int
sftp_name_add(struct buf *out, const struct sftp_mark *m, size_t limit,
    const char *name, const char *longname, const struct sftp_attrs *a)
{
	size_t before = buf_len(out);
	int r;

	if ((r = buf_put_cstring(out, name)) == 0 &&
	    (r = buf_put_cstring(out, longname)) == 0)
		r = sftp_put_attrs(out, a);
	if (r == 0 && buf_len(out) - m->at > limit)
		r = ERR_LENGTH;
	if (r != 0)
		buf_consume_end(out, buf_len(out) - before);
	return r;
}

int
sftp_name_end(struct buf *out, const struct sftp_mark *m, uint32_t count)
{
	buf_set_be32(buf_mptr(out) + m->count_at, count);
	mark_end(out, m);
	return 0;
}

int
sftp_ext_begin(struct buf *out, uint32_t id, struct sftp_mark *m)
{
	return pkt_begin(out, SSH2_FXP_EXTENDED_REPLY, 1, id, m);
}

int
sftp_ext_end(struct buf *out, const struct sftp_mark *m)
{
	if (buf_len(out) - m->at - 4 > SFTP_MAX_PACKET) {
		sftp_abort(out, m);
		return ERR_LENGTH;
	}
	mark_end(out, m);
	return 0;
}

int
sftp_sub_begin(struct buf *out, struct sftp_mark *m)
{
	return mark_begin(out, m);
}

int
sftp_sub_end(struct buf *out, const struct sftp_mark *m)
{
	if (buf_len(out) - m->at - 4 > BUF_STRING_MAX)
		return ERR_LENGTH;
	mark_end(out, m);
	return 0;
}
