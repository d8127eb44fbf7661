/*
 * sftp_msg.h - the SFTP version 3 wire codec (draft-ietf-secsh-filexfer-02,
 * with OpenSSH's extensions from PROTOCOL section 4).  Pure: bytes in,
 * structs of views out; replies are appended to a struct buf.  No I/O, no
 * clock, no globals.  The server that uses it is session/sftp_server.c; the
 * fuzz target is regress/fuzz/fuzz_sftp.c.  Decoding is in sftp_msg.c,
 * encoding in sftp_reply.c.
 *
 * A packet on the wire is "uint32 length | byte type | body"; length counts
 * the type and the body.  sftp_frame() finds one in an input queue,
 * sftp_decode() splits its type and body into a struct sftp_req.  Every
 * encoder writes one whole reply packet (length included) at the end of a
 * buffer, or nothing at all on failure.
 */
#ifndef NSSHD_SFTP_MSG_H
#define NSSHD_SFTP_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"

#define SFTP_VERSION		3

/* Packet types: client to server. */
#define SSH2_FXP_INIT		1
#define SSH2_FXP_OPEN		3
#define SSH2_FXP_CLOSE		4
#define SSH2_FXP_READ		5
#define SSH2_FXP_WRITE		6
#define SSH2_FXP_LSTAT		7
#define SSH2_FXP_FSTAT		8
#define SSH2_FXP_SETSTAT	9
#define SSH2_FXP_FSETSTAT	10
#define SSH2_FXP_OPENDIR	11
#define SSH2_FXP_READDIR	12
#define SSH2_FXP_REMOVE		13
#define SSH2_FXP_MKDIR		14
#define SSH2_FXP_RMDIR		15
#define SSH2_FXP_REALPATH	16
#define SSH2_FXP_STAT		17
#define SSH2_FXP_RENAME		18
#define SSH2_FXP_READLINK	19
#define SSH2_FXP_SYMLINK	20
#define SSH2_FXP_EXTENDED	200
/* Server to client. */
#define SSH2_FXP_VERSION	2
#define SSH2_FXP_STATUS		101
#define SSH2_FXP_HANDLE		102
#define SSH2_FXP_DATA		103
#define SSH2_FXP_NAME		104
#define SSH2_FXP_ATTRS		105
#define SSH2_FXP_EXTENDED_REPLY	201

/* Attribute flags. */
#define SSH2_FILEXFER_ATTR_SIZE		0x00000001
#define SSH2_FILEXFER_ATTR_UIDGID	0x00000002
#define SSH2_FILEXFER_ATTR_PERMISSIONS	0x00000004
#define SSH2_FILEXFER_ATTR_ACMODTIME	0x00000008
#define SSH2_FILEXFER_ATTR_EXTENDED	0x80000000

/* OPEN pflags. */
#define SSH2_FXF_READ		0x01
#define SSH2_FXF_WRITE		0x02
#define SSH2_FXF_APPEND		0x04
#define SSH2_FXF_CREAT		0x08
#define SSH2_FXF_TRUNC		0x10
#define SSH2_FXF_EXCL		0x20

/* statvfs@openssh.com f_flag bits. */
#define SSH2_FXE_STATVFS_ST_RDONLY	0x1
#define SSH2_FXE_STATVFS_ST_NOSUID	0x2

/* Status codes. */
#define SSH2_FX_OK			0
#define SSH2_FX_EOF			1
#define SSH2_FX_NO_SUCH_FILE		2
#define SSH2_FX_PERMISSION_DENIED	3
#define SSH2_FX_FAILURE			4
#define SSH2_FX_BAD_MESSAGE		5
#define SSH2_FX_NO_CONNECTION		6
#define SSH2_FX_CONNECTION_LOST		7
#define SSH2_FX_OP_UNSUPPORTED		8

/* Sizes, as OpenSSH's sftp-server has them (limits@openssh.com). */
#define SFTP_MAX_PACKET		(256u * 1024)	/* length field, at most */
#define SFTP_MAX_READ		(SFTP_MAX_PACKET - 1024)
#define SFTP_MAX_WRITE		(SFTP_MAX_PACKET - 1024)
#define SFTP_HANDLE_LEN		8		/* our handles: index, generation */

/* The extended requests this codec knows (SSH2_FXP_EXTENDED). */
enum sftp_ext {
	SFTP_EXT_NONE = 0,	/* not an EXTENDED request */
	SFTP_EXT_UNKNOWN,	/* a name we do not know; body not parsed */
	SFTP_EXT_POSIX_RENAME,	/* path, path2 */
	SFTP_EXT_STATVFS,	/* path */
	SFTP_EXT_FSTATVFS,	/* handle */
	SFTP_EXT_HARDLINK,	/* path, path2 */
	SFTP_EXT_FSYNC,		/* handle */
	SFTP_EXT_LSETSTAT,	/* path, attrs */
	SFTP_EXT_LIMITS,	/* nothing */
	SFTP_EXT_EXPAND_PATH,	/* path */
	SFTP_EXT_COPY_DATA,	/* handle, offset, len64, handle2, offset2 */
	SFTP_EXT_HOME_DIR,	/* path (the user name) */
	SFTP_EXT_USERS_GROUPS,	/* uids, gids (uint32 lists) */
};

/* Wire name of an extension ("posix-rename@openssh.com"); NULL for NONE
 * and UNKNOWN. */
const char *sftp_ext_name(enum sftp_ext ext);

struct sftp_attrs {
	uint32_t flags;		/* SSH2_FILEXFER_ATTR_*; EXTENDED pairs are
				   skipped on decode and never encoded */
	uint64_t size;
	uint32_t uid, gid;
	uint32_t perm;
	uint32_t atime, mtime;
};

/*
 * A decoded request.  Views point into the packet passed to sftp_decode()
 * and live as long as it.  Which fields are set depends on type (and ext):
 *   INIT: version.  OPEN: path, pflags, attrs.  CLOSE, FSTAT, READDIR:
 *   handle.  READ: handle, offset, len.  WRITE: handle, offset, data.
 *   LSTAT, STAT, OPENDIR, REMOVE, RMDIR, REALPATH, READLINK: path.
 *   SETSTAT, MKDIR: path, attrs.  FSETSTAT: handle, attrs.
 *   RENAME: path (old), path2 (new).  SYMLINK: path (the link's target),
 *   path2 (the link to make) - OpenSSH's order, PROTOCOL 4.1.
 *   EXTENDED: ext_name, ext, and the fields listed in enum sftp_ext.
 * Paths (and ext_name) never hold a NUL byte; they are not NUL-terminated.
 */
struct sftp_req {
	uint8_t type;
	int has_id;		/* id was read (every type but INIT) */
	uint32_t id;
	uint32_t version;	/* INIT */
	struct sview path, path2;
	struct sview handle, handle2;
	uint32_t pflags;
	uint64_t offset, offset2, len64;
	uint32_t len;
	struct sview data;
	struct sftp_attrs attrs;
	struct sview ext_name;
	enum sftp_ext ext;
	struct sview uids, gids;	/* users-groups-by-id: 4 bytes per id */
};

/*
 * sftp_frame - is there a whole packet at the front of p[0..n)?  0, with
 * *pkt_len = the bytes it takes (4 + its length field) and *body = its
 * type byte and body (what sftp_decode() takes); ERR_AGAIN if more bytes
 * are needed; ERR_LENGTH if the length field exceeds max or is 0 (the
 * connection cannot go on).  Outputs are zeroed unless 0 is returned.
 */
int sftp_frame(const unsigned char *p, size_t n, size_t max,
    size_t *pkt_len, struct sview *body);

/*
 * sftp_decode - decode one packet (type byte and body, without the length
 * field: the body view of sftp_frame()) into *req.  Trailing bytes
 * after the fields of a known request are ignored, as sftp-server does.
 * 0; ERR_SHORT (truncated), ERR_LENGTH (a string over BUF_STRING_MAX),
 * ERR_NUL (a path or name with a NUL byte) or ERR_FORMAT (an id list not
 * a multiple of 4 bytes).  A type this codec does not know decodes to 0
 * with type and id set (the caller answers OP_UNSUPPORTED).  On failure
 * every field is zero except type, has_id and id, which tell whom to
 * answer.
 */
int sftp_decode(const unsigned char *p, size_t n, struct sftp_req *req);

/* The number of ids in a uids/gids list, and the i-th one (i < count). */
size_t sftp_ids_count(const struct sview *list);
uint32_t sftp_ids_get(const struct sview *list, size_t i);

/* Our handle strings: 8 bytes, slot index and generation.  decode: 0 or
 * ERR_FORMAT (another length). */
void sftp_handle_encode(unsigned char out[SFTP_HANDLE_LEN], uint32_t idx,
    uint32_t gen);
int sftp_handle_decode(const struct sview *h, uint32_t *idx, uint32_t *gen);

/* Append attrs (flags and the fields they select) to b. */
int sftp_put_attrs(struct buf *b, const struct sftp_attrs *a);

/*
 * Encoders.  Each appends one complete packet to out and returns 0, or
 * ERR_LENGTH (it does not fit out's max; out is unchanged) or ERR_ALLOC.
 * text: the status message (NULL = ""); the language tag is always "".
 */
int sftp_put_status(struct buf *out, uint32_t id, uint32_t code,
    const char *text);
int sftp_put_handle(struct buf *out, uint32_t id, const unsigned char *h,
    size_t n);
int sftp_put_attrs_reply(struct buf *out, uint32_t id,
    const struct sftp_attrs *a);
/* One name with empty attributes (REALPATH, READLINK, expand-path,
 * home-directory): name and longname are both name, as sftp-server. */
int sftp_put_name1(struct buf *out, uint32_t id, const char *name);
/* VERSION with n (name, version) pairs. */
struct sftp_ext_adv {
	const char *name, *version;
};
int sftp_put_version(struct buf *out, uint32_t version,
    const struct sftp_ext_adv *ext, size_t n);
/* statvfs@openssh.com reply: the eleven uint64 fields in PROTOCOL order. */
struct sftp_statvfs {
	uint64_t bsize, frsize, blocks, bfree, bavail, files, ffree, favail;
	uint64_t fsid, flag, namemax;
};
int sftp_put_statvfs(struct buf *out, uint32_t id,
    const struct sftp_statvfs *s);
/* limits@openssh.com reply. */
int sftp_put_limits(struct buf *out, uint32_t id, uint64_t max_packet,
    uint64_t max_read, uint64_t max_write, uint64_t max_handles);

/*
 * Replies built in steps.  A struct sftp_mark remembers where a length
 * field was reserved, relative to the unread start of the buffer (so it
 * survives the buffer compacting or growing); nothing may be consumed from
 * the buffer between begin and end.  After a failed step call
 * sftp_abort(), which drops the partial packet.
 *
 * DATA: sftp_data_begin() reserves the packet with room for max data
 * bytes and returns where to put them in *dst; sftp_data_end() trims it to
 * n <= max bytes and fills in the lengths.  The pointer is valid until the
 * next put on out.
 *
 * NAME: sftp_name_begin(), then sftp_name_add() per entry (ERR_LENGTH
 * if the entry would make the packet exceed limit bytes: nothing is added
 * and the packet so far stays good), then sftp_name_end() with the count.
 *
 * EXTENDED_REPLY with a free-form body: sftp_ext_begin(), buf puts (and
 * sftp_sub_begin()/sftp_sub_end() for a nested string: ERR_LENGTH over
 * BUF_STRING_MAX), sftp_ext_end() (ERR_LENGTH, and the packet dropped, if
 * it is longer than SFTP_MAX_PACKET).
 */
struct sftp_mark {
	size_t at;		/* offset of the uint32 length from the front */
	size_t count_at;	/* NAME: offset of the count */
};
int sftp_data_begin(struct buf *out, uint32_t id, size_t max,
    struct sftp_mark *m, unsigned char **dst);
int sftp_data_end(struct buf *out, const struct sftp_mark *m, size_t max,
    size_t n);
int sftp_name_begin(struct buf *out, uint32_t id, struct sftp_mark *m);
int sftp_name_add(struct buf *out, const struct sftp_mark *m, size_t limit,
    const char *name, const char *longname, const struct sftp_attrs *a);
int sftp_name_end(struct buf *out, const struct sftp_mark *m,
    uint32_t count);
int sftp_ext_begin(struct buf *out, uint32_t id, struct sftp_mark *m);
int sftp_ext_end(struct buf *out, const struct sftp_mark *m);
int sftp_sub_begin(struct buf *out, struct sftp_mark *m);
int sftp_sub_end(struct buf *out, const struct sftp_mark *m);
void sftp_abort(struct buf *out, const struct sftp_mark *m);

#endif
