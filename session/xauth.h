/*
 * xauth.h - the X authority file (~/.Xauthority), so that X11 forwarding
 * can store its cookie without running the xauth program.
 *
 * The file is a sequence of entries, each: uint16 family, then four
 * counted fields (uint16 length + bytes): address, number (the display
 * number as decimal text), name (the protocol, e.g. "MIT-MAGIC-COOKIE-1")
 * and data (the cookie); all integers big-endian, as libXau writes them.
 *
 * The pure half (hex decoding, merge, remove) works on bytes and has a
 * fuzz target (regress/fuzz/fuzz_xauth.c).  The file half reads, locks and
 * replaces the file the way xauth does; call it only in a process that
 * already runs as the file's owner.  Nothing here logs or exits.
 */
#ifndef NSSHD_XAUTH_H
#define NSSHD_XAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"

/* Address families (X.h / Xauth.h). */
#define XAUTH_FAMILY_INTERNET	0
#define XAUTH_FAMILY_INTERNET6	6
#define XAUTH_FAMILY_LOCAL	256	/* address = host name */
#define XAUTH_FAMILY_WILD	65535

#define XAUTH_FIELD_MAX		65535	/* a counted field */
#define XAUTH_FILE_MAX		(1u << 20)	/* larger: refused */

/* One entry; the views point into the caller's memory. */
struct xauth_entry {
	uint16_t family;
	struct sview addr, number, name, data;
};

/*
 * Decode n bytes of hex text (either case; the cookie as it comes in
 * x11-req) into out, at most max bytes; *outlen gets the byte count.
 * 0, ERR_FORMAT (odd length, a non-hex character) or ERR_LENGTH (more
 * than max bytes).  On failure *outlen is 0 and out is not written.
 * n == 0 is a valid empty result.
 */
int xauth_hex_decode(const char *hex, size_t n, unsigned char *out,
    size_t max, size_t *outlen);

/*
 * Parse the file contents old (oldlen bytes, may be 0), drop every entry
 * with the same family, address and number as e (whatever its name; as
 * sshd's "xauth remove DISPLAY" then "add"), append e; the result is
 * appended to out.  Entries kept are copied byte for byte, in order.
 * 0; ERR_FORMAT if old is malformed (a truncated entry); ERR_LENGTH if a
 * field of e is longer than XAUTH_FIELD_MAX or out reaches its max.  On
 * failure out is as it was.  Pure; old and e are only read.
 */
int xauth_merge(const unsigned char *old, size_t oldlen,
    const struct xauth_entry *e, struct buf *out);
/*
 * The same without appending e: every entry for e's family, address and
 * number is dropped (e's name and data are ignored).
 */
int xauth_remove(const unsigned char *old, size_t oldlen,
    const struct xauth_entry *e, struct buf *out);

/*
 * Add e to the authority file at path, replacing the entries for its
 * display (xauth_merge).  The file is read with O_NOFOLLOW|O_NONBLOCK;
 * it must be a regular file of at most XAUTH_FILE_MAX bytes, a missing
 * file counts as empty.  The result goes to a new mode-0600 file in the
 * same directory (mkstemp), is fsync'ed and renamed over path.  While
 * this runs the file is locked as libXau does: "path-c" is created with
 * O_EXCL and linked to "path-l"; a busy lock is retried for about 2 s and
 * a lock older than 10 s is taken as stale and broken; both names are
 * removed at the end.
 * Returns 0; ERR_FORMAT (the file is malformed; it is left alone);
 * ERR_DENIED (path is a symbolic link or not a regular file); ERR_LENGTH
 * (the file, the result or a field of e is too large, or the path too
 * long); ERR_SYS with errno set (EWOULDBLOCK: the lock stayed busy;
 * others from the system calls).  path and e are only read.
 */
int xauth_add_file(const char *path, const struct xauth_entry *e);
/*
 * Remove the entries for e's display from the file at path, as above.
 * A missing file, or one without such entries, is left as it is (0).
 */
int xauth_remove_file(const char *path, const struct xauth_entry *e);

#endif
