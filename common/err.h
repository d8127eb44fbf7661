/*
 * err.h - the one error-code space of nsshd.
 *
 * Every function that can fail returns 0 on success or one of these negative
 * codes.  Parsers, crypto and the buffer module never exit or log; they return
 * a code and the top-level loop decides to disconnect or die.  err_str() maps
 * a code to a short, constant English text.
 */
#ifndef NSSHD_ERR_H
#define NSSHD_ERR_H

enum {
	ERR_OK = 0,
	ERR_INTERNAL = -1,	/* broken invariant that was caught */
	ERR_ALLOC = -2,		/* out of memory */
	ERR_LENGTH = -3,	/* a length field is larger than allowed */
	ERR_SHORT = -4,		/* not enough bytes in the buffer */
	ERR_FORMAT = -5,	/* malformed input */
	ERR_NUL = -6,		/* a string has an inner NUL byte */
	ERR_TRAILING = -7,	/* bytes left after a complete message */
	ERR_MAC = -8,		/* authentication tag / MAC mismatch */
	ERR_CRYPTO = -9,	/* a library crypto call failed */
	ERR_NOALG = -10,	/* no algorithm in common */
	ERR_PROTO = -11,	/* message not allowed in this state */
	ERR_SIG = -12,		/* signature does not verify */
	ERR_KEYTYPE = -13,	/* unsupported key type */
	ERR_SYS = -14,		/* a system call failed; see errno */
	ERR_EOF = -15,		/* peer closed the connection */
	ERR_AGAIN = -16,	/* need more input (not an error for loops) */
	ERR_DENIED = -17,	/* policy refused the request */
	ERR_CONFIG = -18,	/* bad configuration */
	ERR_NOTFOUND = -19,	/* no such user, key, file, ... */
	ERR_RANGE = -20,	/* a number is out of its allowed range */
	ERR_VERSION = -21,	/* bad protocol version line */
	ERR_TOOMANY = -22,	/* a count limit was reached */
};

/* err_str - constant text for an error code; never NULL. */
const char *err_str(int code);

#endif
