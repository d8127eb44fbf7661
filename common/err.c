/* err.c - texts for the error codes of err.h. */
#include "autoconf.h"

#include "common/err.h"

const char *
err_str(int code)
{
	switch (code) {
	case ERR_OK: return "success";
	case ERR_INTERNAL: return "internal error";
	case ERR_ALLOC: return "out of memory";
	case ERR_LENGTH: return "length too large";
	case ERR_SHORT: return "message incomplete";
	case ERR_FORMAT: return "invalid format";
	case ERR_NUL: return "string contains a NUL byte";
	case ERR_TRAILING: return "trailing data after message";
	case ERR_MAC: return "message authentication code incorrect";
	case ERR_CRYPTO: return "cryptographic library error";
	case ERR_NOALG: return "no matching algorithm";
	case ERR_PROTO: return "protocol error";
	case ERR_SIG: return "signature verification failed";
	case ERR_KEYTYPE: return "unsupported key type";
	case ERR_SYS: return "system error";
	case ERR_EOF: return "connection closed";
	case ERR_AGAIN: return "need more data";
	case ERR_DENIED: return "permission denied";
	case ERR_CONFIG: return "bad configuration";
	case ERR_NOTFOUND: return "not found";
	case ERR_RANGE: return "value out of range";
	case ERR_VERSION: return "invalid protocol version";
	case ERR_TOOMANY: return "too many";
	}
	return "unknown error";
}
