/*
 * sftp_msg.c - SFTP v3 framing and request decoding (see sftp_msg.h):
 * every field is read through a buf view of the packet; the results are
 * views into it.  The reply encoders are in sftp_reply.c.
 */
#include "autoconf.h"

#include <string.h>

#include "common/err.h"
#include "proto/sftp_msg.h"

static const struct {
	const char *name;
	enum sftp_ext ext;
} ext_names[] = {
	{ "posix-rename@openssh.com", SFTP_EXT_POSIX_RENAME },
	{ "statvfs@openssh.com", SFTP_EXT_STATVFS },
	{ "fstatvfs@openssh.com", SFTP_EXT_FSTATVFS },
	{ "hardlink@openssh.com", SFTP_EXT_HARDLINK },
	{ "fsync@openssh.com", SFTP_EXT_FSYNC },
	{ "lsetstat@openssh.com", SFTP_EXT_LSETSTAT },
	{ "limits@openssh.com", SFTP_EXT_LIMITS },
	{ "expand-path@openssh.com", SFTP_EXT_EXPAND_PATH },
	{ "copy-data", SFTP_EXT_COPY_DATA },
	{ "home-directory", SFTP_EXT_HOME_DIR },
	{ "users-groups-by-id@openssh.com", SFTP_EXT_USERS_GROUPS },
};
#define N_EXT (sizeof(ext_names) / sizeof(ext_names[0]))

const char *
sftp_ext_name(enum sftp_ext ext)
{
	size_t i;

	for (i = 0; i < N_EXT; i++)
		if (ext_names[i].ext == ext)
			return ext_names[i].name;
	return NULL;
}

/* ---- decoding -------------------------------------------------------- */

int
sftp_frame(const unsigned char *p, size_t n, size_t max, size_t *pkt_len,
    struct sview *body)
{
	uint32_t len;

	*pkt_len = 0;
	body->p = NULL;
	body->n = 0;
	if (n < 4)
		return ERR_AGAIN;
	len = buf_be32(p);
	if (len == 0 || len > max)
		return ERR_LENGTH;
	if (n - 4 < len)
		return ERR_AGAIN;
	*pkt_len = 4 + (size_t)len;
	body->p = p + 4;
	body->n = len;
	return 0;
}

static int
get_attrs(struct buf *b, struct sftp_attrs *a)
{
	struct sview type, data;
	uint32_t count, i;
	int r;

	memset(a, 0, sizeof(*a));
	if ((r = buf_get_u32(b, &a->flags)) != 0)
		return r;
	if ((a->flags & SSH2_FILEXFER_ATTR_SIZE) &&
	    (r = buf_get_u64(b, &a->size)) != 0)
		return r;
	if ((a->flags & SSH2_FILEXFER_ATTR_UIDGID) &&
	    ((r = buf_get_u32(b, &a->uid)) != 0 ||
	    (r = buf_get_u32(b, &a->gid)) != 0))
		return r;
	if ((a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    (r = buf_get_u32(b, &a->perm)) != 0)
		return r;
	if ((a->flags & SSH2_FILEXFER_ATTR_ACMODTIME) &&
	    ((r = buf_get_u32(b, &a->atime)) != 0 ||
	    (r = buf_get_u32(b, &a->mtime)) != 0))
		return r;
	if (!(a->flags & SSH2_FILEXFER_ATTR_EXTENDED))
		return 0;
	/* Vendor pairs: each takes >= 8 bytes, so a huge count just ends
	 * with ERR_SHORT. */
	if ((r = buf_get_u32(b, &count)) != 0)
		return r;
	for (i = 0; i < count; i++)
		if ((r = buf_get_view(b, &type)) != 0 ||
		    (r = buf_get_view(b, &data)) != 0)
			return r;
	return 0;
}

static int
get_id_list(struct buf *b, struct sview *v)
{
	int r;

	if ((r = buf_get_view(b, v)) != 0)
		return r;
	return v->n % 4 == 0 ? 0 : ERR_FORMAT;
}

static int
decode_ext(struct buf *b, struct sftp_req *q)
{
	size_t i;
	int r;

	if ((r = buf_get_cview(b, &q->ext_name)) != 0)
		return r;
	q->ext = SFTP_EXT_UNKNOWN;
	for (i = 0; i < N_EXT; i++)
		if (sview_eq(&q->ext_name, ext_names[i].name))
			q->ext = ext_names[i].ext;
	switch (q->ext) {
	case SFTP_EXT_POSIX_RENAME:
	case SFTP_EXT_HARDLINK:
		if ((r = buf_get_cview(b, &q->path)) != 0)
			return r;
		return buf_get_cview(b, &q->path2);
	case SFTP_EXT_STATVFS:
	case SFTP_EXT_EXPAND_PATH:
	case SFTP_EXT_HOME_DIR:
		return buf_get_cview(b, &q->path);
	case SFTP_EXT_FSTATVFS:
	case SFTP_EXT_FSYNC:
		return buf_get_view(b, &q->handle);
	case SFTP_EXT_LSETSTAT:
		if ((r = buf_get_cview(b, &q->path)) != 0)
			return r;
		return get_attrs(b, &q->attrs);
	case SFTP_EXT_COPY_DATA:
		if ((r = buf_get_view(b, &q->handle)) != 0 ||
		    (r = buf_get_u64(b, &q->offset)) != 0 ||
		    (r = buf_get_u64(b, &q->len64)) != 0 ||
		    (r = buf_get_view(b, &q->handle2)) != 0)
			return r;
		return buf_get_u64(b, &q->offset2);
	case SFTP_EXT_USERS_GROUPS:
		if ((r = get_id_list(b, &q->uids)) != 0)
			return r;
		return get_id_list(b, &q->gids);
	default:
		return 0;	/* LIMITS: no fields; UNKNOWN: not ours */
	}
}

/* The fields after the id, by packet type. */
static int
decode_body(struct buf *b, struct sftp_req *q)
{
	int r;

	switch (q->type) {
	case SSH2_FXP_OPEN:
		if ((r = buf_get_cview(b, &q->path)) != 0 ||
		    (r = buf_get_u32(b, &q->pflags)) != 0)
			return r;
		return get_attrs(b, &q->attrs);
	case SSH2_FXP_CLOSE:
	case SSH2_FXP_FSTAT:
	case SSH2_FXP_READDIR:
		return buf_get_view(b, &q->handle);
	case SSH2_FXP_READ:
		if ((r = buf_get_view(b, &q->handle)) != 0 ||
		    (r = buf_get_u64(b, &q->offset)) != 0)
			return r;
		return buf_get_u32(b, &q->len);
	case SSH2_FXP_WRITE:
		if ((r = buf_get_view(b, &q->handle)) != 0 ||
		    (r = buf_get_u64(b, &q->offset)) != 0)
			return r;
		return buf_get_view(b, &q->data);
	case SSH2_FXP_LSTAT:
	case SSH2_FXP_STAT:
	case SSH2_FXP_OPENDIR:
	case SSH2_FXP_REMOVE:
	case SSH2_FXP_RMDIR:
	case SSH2_FXP_REALPATH:
	case SSH2_FXP_READLINK:
		return buf_get_cview(b, &q->path);
	case SSH2_FXP_SETSTAT:
	case SSH2_FXP_MKDIR:
		if ((r = buf_get_cview(b, &q->path)) != 0)
			return r;
		return get_attrs(b, &q->attrs);
	case SSH2_FXP_FSETSTAT:
		if ((r = buf_get_view(b, &q->handle)) != 0)
			return r;
		return get_attrs(b, &q->attrs);
	case SSH2_FXP_RENAME:
	case SSH2_FXP_SYMLINK:
		if ((r = buf_get_cview(b, &q->path)) != 0)
			return r;
		return buf_get_cview(b, &q->path2);
	case SSH2_FXP_EXTENDED:
		return decode_ext(b, q);
	default:
		return 0;	/* unknown type: the caller says so */
	}
}

int
sftp_decode(const unsigned char *p, size_t n, struct sftp_req *q)
{
	struct buf b;
	int r;

	memset(q, 0, sizeof(*q));
	buf_view(&b, p, n);
	if ((r = buf_get_u8(&b, &q->type)) != 0)
		return r;
	if (q->type == SSH2_FXP_INIT)
		return buf_get_u32(&b, &q->version);
	if ((r = buf_get_u32(&b, &q->id)) != 0)
		return r;
	q->has_id = 1;
	if ((r = decode_body(&b, q)) != 0) {
		uint8_t type = q->type;
		uint32_t id = q->id;

		memset(q, 0, sizeof(*q));
		q->type = type;
		q->has_id = 1;
		q->id = id;
	}
	return r;
}

size_t
sftp_ids_count(const struct sview *list)
{
	return list->n / 4;
}

uint32_t
sftp_ids_get(const struct sview *list, size_t i)
{
	return i < list->n / 4 ? buf_be32(list->p + 4 * i) : 0;
}

void
sftp_handle_encode(unsigned char out[SFTP_HANDLE_LEN], uint32_t idx,
    uint32_t gen)
{
	buf_set_be32(out, idx);
	buf_set_be32(out + 4, gen);
}

int
sftp_handle_decode(const struct sview *h, uint32_t *idx, uint32_t *gen)
{
	*idx = *gen = 0;
	if (h->n != SFTP_HANDLE_LEN)
		return ERR_FORMAT;
	*idx = buf_be32(h->p);
	*gen = buf_be32(h->p + 4);
	return 0;
}
