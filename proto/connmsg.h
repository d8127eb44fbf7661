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

enum chan_req_kind {
	CREQ_OTHER = 0, CREQ_PTY, CREQ_ENV, CREQ_SHELL, CREQ_EXEC,
	CREQ_SUBSYSTEM, CREQ_WINCH, CREQ_SIGNAL,
};

/* SSH_MSG_CHANNEL_REQUEST with the fields of the kinds nsshd handles. */
struct chan_req_msg {
	uint32_t id;
	struct sview type;
	int want_reply;
	enum chan_req_kind kind;
	struct sview s1, s2;		/* pty: term, modes; env: name, value;
					 * exec/subsystem: command/name;
					 * signal: name */
	uint32_t cols, rows, xpix, ypix;	/* pty-req, window-change */
};
int msg_parse_chan_request(const unsigned char *p, size_t n,
    struct chan_req_msg *out);

#endif
