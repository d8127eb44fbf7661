/*
 * connmsg.h - pure parsers for the userauth and connection protocol
 * messages the server receives (RFC 4252, RFC 4254).  Each takes the
 * message body after the type byte and fills a struct of views into it;
 * every one rejects truncated input and trailing bytes with an ERR_* code
 * and has a fuzz target (regress/fuzz/fuzz_userauth.c).  On failure the
 * output is zeroed.
 */
#ifndef NSSHD_CONNMSG_H
#define NSSHD_CONNMSG_H

#include <stdint.h>

#include "proto/buf.h"

/* SSH_MSG_USERAUTH_REQUEST; method-specific fields for "publickey". */
struct ua_request {
	struct sview user, service, method;
	int has_sig;			/* publickey: a signature follows */
	struct sview alg, blob, sig;	/* publickey only */
};
int msg_parse_userauth(const unsigned char *p, size_t n,
    struct ua_request *out);

/* SSH_MSG_CHANNEL_OPEN. */
struct chan_open_msg {
	struct sview type;
	uint32_t peer, window, maxpkt;
	struct sview rest;		/* type-specific data, unparsed */
};
int msg_parse_chan_open(const unsigned char *p, size_t n,
    struct chan_open_msg *out);

/*
 * CHANNEL_OPEN type-specific data (the rest of struct chan_open_msg).
 * "direct-tcpip" (RFC 4254 7.2): string host to connect, uint32 port,
 * string originator address, uint32 originator port; either port above
 * 65535 is ERR_RANGE.  "direct-streamlocal@openssh.com" (OpenSSH PROTOCOL
 * 2.4): string socket path (into host), string reserved, uint32 reserved;
 * both reserved fields are required and ignored; the other fields stay 0.
 * Host, originator and path must not hold a NUL byte (ERR_NUL).
 */
struct chan_open_direct {
	struct sview host;		/* streamlocal: the socket path */
	uint32_t port;
	struct sview orig_host;
	uint32_t orig_port;
};
int msg_parse_open_direct_tcpip(const unsigned char *p, size_t n,
    struct chan_open_direct *out);
int msg_parse_open_direct_streamlocal(const unsigned char *p, size_t n,
    struct chan_open_direct *out);

/*
 * SSH_MSG_GLOBAL_REQUEST: string name, bool want reply, then data.
 * "tcpip-forward" / "cancel-tcpip-forward" (RFC 4254 7.1): string address
 * to bind, uint32 port (above 65535: ERR_RANGE; 0 asks for a dynamic
 * port).  "streamlocal-forward@openssh.com" / "cancel-streamlocal-forward
 * @openssh.com": string socket path (into addr).  "no-more-sessions
 * @openssh.com": no data.  The address/path must not hold a NUL byte
 * (ERR_NUL).  Known kinds reject trailing bytes; any other name is
 * GREQ_OTHER, its data is not examined (the view name tells which).
 */
enum glob_req_kind {
	GREQ_OTHER = 0, GREQ_TCPIP_FORWARD, GREQ_CANCEL_TCPIP_FORWARD,
	GREQ_STREAMLOCAL_FORWARD, GREQ_CANCEL_STREAMLOCAL_FORWARD,
	GREQ_NO_MORE_SESSIONS,
};

struct glob_req_msg {
	struct sview name;
	int want_reply;
	enum glob_req_kind kind;
	struct sview addr;	/* tcpip: bind address; streamlocal: path */
	uint32_t port;		/* tcpip only */
};
int msg_parse_global_request(const unsigned char *p, size_t n,
    struct glob_req_msg *out);

/*
 * Channel request kinds.  "x11-req" (RFC 4254 6.3.1): bool single
 * connection, string auth protocol (s1), string auth cookie, hex text
 * (s2), uint32 screen; s1/s2 must not hold a NUL byte (ERR_NUL).
 * "auth-agent-req@openssh.com": no data.
 */
enum chan_req_kind {
	CREQ_OTHER = 0, CREQ_PTY, CREQ_ENV, CREQ_SHELL, CREQ_EXEC,
	CREQ_SUBSYSTEM, CREQ_WINCH, CREQ_SIGNAL, CREQ_X11, CREQ_AGENT,
};

/* SSH_MSG_CHANNEL_REQUEST with the fields of the kinds nsshd handles. */
struct chan_req_msg {
	uint32_t id;
	struct sview type;
	int want_reply;
	enum chan_req_kind kind;
	struct sview s1, s2;		/* pty: term, modes; env: name, value;
					 * exec/subsystem: command/name;
					 * signal: name;
					 * x11-req: protocol, cookie */
	uint32_t cols, rows, xpix, ypix;	/* pty-req, window-change */
	int single;			/* x11-req: single connection */
	uint32_t screen;		/* x11-req: screen number */
};
int msg_parse_chan_request(const unsigned char *p, size_t n,
    struct chan_req_msg *out);

#endif
