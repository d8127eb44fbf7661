/*
 * scp_msg.h - the records of the legacy scp (rcp) protocol, as pure
 * functions over bytes: parse one record line, format the lines a source
 * sends, and encode a file name the way OpenSSH's scp does before sending
 * it.  Nothing here does I/O, logs or exits; the parser has a fuzz target
 * (regress/fuzz/fuzz_scp.c).
 *
 * The protocol (OpenSSH scp.c, the rcp heritage): the source sends one line
 * per record, each ending in '\n', and waits for a one-byte answer from the
 * sink (0 ok; 1 + message + '\n' a warning; 2 + message + '\n' fatal):
 *
 *   C%04o %lld NAME	a regular file: mode, size, then size data bytes,
 *			then one status byte from the source
 *   D%04o 0 NAME	enter a directory (recursive copies only)
 *   E			leave the directory
 *   T%llu %u %llu %u	times for the next C or D: mtime sec usec, atime
 *			sec usec
 *   \1MESSAGE, \2MESSAGE  the source reports a warning / fatal error
 *
 * A NAME is one path component: not empty, no '/', not "." or "..", no
 * NUL; it cannot hold a '\n' because the line ends there.
 */
#ifndef NSSHD_SCP_MSG_H
#define NSSHD_SCP_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"

/* Longest record line we accept, the '\n' not counted. */
#define SCP_LINE_MAX		4095
/* OpenSSH truncates the name in a D record it sends to this many bytes. */
#define SCP_DIR_NAME_MAX	1024
/* Mode bits a source sends (OpenSSH's FILEMODEMASK: no sticky bit). */
#define SCP_MODE_SEND_MASK	06777

enum scp_rec_type {
	SCP_REC_FILE = 'C',
	SCP_REC_DIR = 'D',
	SCP_REC_END = 'E',
	SCP_REC_TIME = 'T',
	SCP_REC_WARN = 1,
	SCP_REC_FATAL = 2,
};

struct scp_rec {
	int type;		/* enum scp_rec_type */
	unsigned int mode;	/* C, D: 0 .. 07777 as sent */
	uint64_t size;		/* C: at most INT64_MAX; D: as sent */
	struct sview name;	/* C, D: view into the line */
	/* T: seconds as sent; times_ok is 0 if one does not fit an int64_t
	 * (OpenSSH then acknowledges the record but sets no times). */
	uint64_t mtime, atime;
	uint32_t mtime_usec, atime_usec;	/* 0 .. 999999 */
	int times_ok;
	struct sview msg;	/* WARN, FATAL: the text after the type byte */
};

/*
 * Parse one record line: p, n are the bytes before the terminating '\n'
 * (which the caller found and strips).  Numbers are decimal digits only
 * (no sign, no blanks), the mode exactly four octal digits, single spaces
 * between fields; "E" has nothing after it.  Returns 0 and fills out, or
 *   ERR_LENGTH  n > SCP_LINE_MAX
 *   ERR_PROTO   the first byte is not a record type (C D E T \1 \2); an
 *               empty line too
 *   ERR_FORMAT  a malformed C, D, E or T record, or a '\n' in the line
 *   ERR_RANGE   a C or D size above INT64_MAX
 *   ERR_DENIED  a C or D record whose name is not a valid component
 * On failure out is zeroed and *why (if why is not NULL) gets a constant
 * text for the client, worded as OpenSSH's sink words it ("bad mode",
 * "size not delimited", ...); on success *why is NULL.  p may hold any
 * bytes; out->name and out->msg point into p.
 */
int scp_msg_parse(const unsigned char *p, size_t n, struct scp_rec *out,
    const char **why);

/*
 * Append the record lines a source sends, '\n' included:
 * "C%04o %lld NAME", "D%04o 0 NAME" (the name cut at SCP_DIR_NAME_MAX bytes
 * as OpenSSH does), "T%llu 0 %llu 0" (negative times are sent as 0).  mode
 * is masked with SCP_MODE_SEND_MASK.  The name is sent as given (see
 * scp_vis_name).  Returns 0; ERR_RANGE (size < 0); ERR_FORMAT (the name is
 * empty or holds a '/' or '\n', which would break the framing); or a buf
 * error.  On failure b is unchanged.
 */
int scp_msg_put_file(struct buf *b, unsigned int mode, int64_t size,
    const char *name);
int scp_msg_put_dir(struct buf *b, unsigned int mode, const char *name);
int scp_msg_put_times(struct buf *b, int64_t mtime, int64_t atime);

/*
 * Encode name into dst (dstlen bytes, NUL-terminated, cut to fit) as
 * OpenSSH's source does when a path holds a newline: strnvis(3) with
 * VIS_NL, i.e. '\\' doubled, newline, control and non-ASCII bytes as
 * "\^J", "\M-x", "\M^X"; printable ASCII, space and tab as they are.
 * Returns the length written.  dstlen must be at least 1.
 */
size_t scp_vis_name(const char *name, char *dst, size_t dstlen);

#endif
