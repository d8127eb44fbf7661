/*
 * monmsg.h - the monitor protocol: typed messages between the sandboxed
 * transport and the privileged monitor.
 *
 * A frame is uint32 length | uint8 type | body, sent as one record on an
 * AF_UNIX SOCK_SEQPACKET socket, with file descriptors attached to some
 * replies (SCM_RIGHTS).  Every type has one schema: a string of field kinds,
 * 'u' = uint32 and 's' = string, in order; mon_decode() checks the frame
 * against it and rejects short, long (trailing bytes) and unknown frames.
 * Decoded strings are views into the caller's frame memory.  Which types a
 * monitor accepts in which phase is the monitor's business (monitor.c).
 */
#ifndef NSSHD_MONMSG_H
#define NSSHD_MONMSG_H

#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"

#define MON_MAX_FRAME	(300u * 1024)	/* whole frame, header included */
#define MON_MAX_FIELDS	8
#define MON_MAX_FDS	3

enum mon_type {
	/* monitor -> transport, once, before anything else:
	 * s hostkey blobs (each a string, concatenated), s server version,
	 * s kex list, s hostkey-alg list, s cipher list, u max_auth_tries,
	 * u max_sessions, u flags (MON_HELLO_*), s client address,
	 * u client port (for log lines), u ClientAliveInterval,
	 * u ClientAliveCountMax, s MAC list */
	MON_HELLO = 1,
	/* sign the exchange hash: s keyblob, s alg, s data -> s sigblob */
	MON_SIGN_REQ = 2, MON_SIGN_REP = 3,
	/* announce the user of a userauth request: s user, s service
	 * -> u valid (only for log lines; the client never learns it) */
	MON_USER_REQ = 4, MON_USER_REP = 5,
	/* may this key log in: s user, s alg, s keyblob -> u allowed */
	MON_KEYOK_REQ = 6, MON_KEYOK_REP = 7,
	/* verify a signed publickey request: s user, s alg, s keyblob,
	 * s signed data, s sigblob -> u authenticated */
	MON_KEYVERIFY_REQ = 8, MON_KEYVERIFY_REP = 9,
	/* post-auth.  Replies are MON_STATUS_REP: u ok, s message. */
	MON_SESSION_REQ = 10,	/* u chan */
	MON_PTY_REQ = 11,	/* u chan, s term, u cols, u rows, u xpix,
				 * u ypix, s modes */
	MON_ENV_REQ = 12,	/* u chan, s name, s value */
	MON_EXEC_REQ = 13,	/* u chan, u kind (MON_EXEC_*), s command;
				 * reply MON_EXEC_REP: u result (MON_EXEC_*
				 * below), u pty, s message, with 1 (pty) or 3
				 * (pipes) fds when started */
	MON_EXEC_REP = 14,
	MON_WINCH_REQ = 15,	/* u chan, u cols, u rows, u xpix, u ypix */
	MON_SIGNAL_REQ = 16,	/* u chan, s signal name */
	MON_CLOSE_REQ = 17,	/* u chan */
	MON_STATUS_REP = 18,
	/* monitor -> transport, unsolicited: u chan, u signaled, u status
	 * (exit code or signal number), u core dumped */
	MON_EXIT_NOTE = 19,
	/* transport -> monitor, unsolicited: s reason; it is going away */
	MON_BYE_NOTE = 20,
	/*
	 * Forwarding.  A connect (direct-tcpip, direct-streamlocal) is
	 * answered at once with MON_STATUS_REP (1: a worker is connecting,
	 * 0: refused by policy), and later, unsolicited, with MON_OPEN_NOTE,
	 * so that a slow connect never holds up the other channels.
	 * u chan, u kind (MON_FWD_*), s host or path, u port,
	 * s originator address, u originator port.
	 */
	MON_CONNECT_REQ = 21,
	/* monitor -> transport: u chan, u result (0, or an SSH open failure
	 * reason code), s message; the connected socket attached when 0 */
	MON_OPEN_NOTE = 22,
	/* listen for tcpip-forward / streamlocal-forward: u kind,
	 * s address or path, u port -> MON_LISTEN_REP */
	MON_LISTEN_REQ = 23,
	/* u ok, u port (tcp: bound port; x11: display number),
	 * s message (failure) or path (agent socket), with the listening
	 * sockets attached when ok */
	MON_LISTEN_REP = 24,
	/* x11-req: u chan, u single connection, u screen, s auth protocol,
	 * s auth cookie (hex) -> MON_LISTEN_REP */
	MON_X11_REQ = 25,
	/* auth-agent-req@openssh.com: u chan -> MON_LISTEN_REP */
	MON_AGENT_REQ = 26,
	/* socket worker -> monitor (never from the transport): u result
	 * (0 or an SSH open failure reason), u port, s path, s message,
	 * with the sockets attached when 0 */
	MON_WORKER_ANSWER = 27,
	MON_TYPE_MAX = 28,
};

#define MON_FWD_TCP		0
#define MON_FWD_UNIX		1

#define MON_EXEC_SHELL		0
#define MON_EXEC_COMMAND	1
#define MON_EXEC_SUBSYSTEM	2

/* MON_EXEC_REP results */
#define MON_EXEC_REFUSED	0	/* the request fails (CHANNEL_FAILURE) */
#define MON_EXEC_STARTED	1	/* running; descriptors attached */
#define MON_EXEC_ERROR		2	/* accepted, but the session could not
					   start: the message goes to the
					   client's stderr, exit status 1 */

#define MON_HELLO_TEST_HOOKS	0x1

struct mon_msg {
	uint8_t type;
	uint32_t u[MON_MAX_FIELDS];	/* the 'u' fields, in order */
	struct sview s[MON_MAX_FIELDS]; /* the 's' fields, in order */
};

/* Schema of TYPE ("" for no body), or NULL for an unknown type. */
const char *mon_schema(uint8_t type);
/* Name of TYPE for logs. */
const char *mon_type_name(uint8_t type);

/*
 * mon_encode - frame m (per its schema) into out (appended).  ERR_INTERNAL
 * for an unknown type, ERR_LENGTH if the frame would exceed MON_MAX_FRAME.
 */
int mon_encode(const struct mon_msg *m, struct buf *out);
/*
 * mon_decode - parse one whole frame [p, p+n) into m; strings point into p.
 * Pure.  ERR_FORMAT (unknown type, bad length word), ERR_SHORT, ERR_TRAILING.
 */
int mon_decode(const unsigned char *p, size_t n, struct mon_msg *m);

/* Small helpers to fill a message. */
void mon_init(struct mon_msg *m, uint8_t type);
void mon_set_str(struct mon_msg *m, int i, const void *p, size_t n);
void mon_set_cstr(struct mon_msg *m, int i, const char *s);
/* Copy field i to a new NUL-terminated string; NULL on ENOMEM/inner NUL. */
char *mon_dup_cstr(const struct mon_msg *m, int i);

/* I/O over a SEQPACKET socket (these do system calls; not pure). */
int mon_send(int fd, const struct mon_msg *m, const int *fds, int nfds);
/*
 * mon_recv - one frame into frame (reset first) and m; up to MON_MAX_FDS
 * descriptors into fds and their count into *nfds.  ERR_EOF when the peer is gone.
 */
int mon_recv(int fd, struct buf *frame, struct mon_msg *m, int *fds,
    int *nfds);

#endif
