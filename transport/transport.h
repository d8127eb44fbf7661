/*
 * transport.h - the sandboxed transport process: one per connection.
 *
 * It owns the TCP socket and speaks SSH: version exchange, key exchange,
 * packet protection, the userauth protocol and the connection protocol.
 * It never opens anything: every descriptor it relays (pty masters, pipes)
 * arrives from the monitor over the monitor socket.  All state of the
 * connection lives in struct conn, passed explicitly.
 */
#ifndef NSSHD_TRANSPORT_H
#define NSSHD_TRANSPORT_H

#include <poll.h>
#include <stdint.h>

#include "defaults.h"
#include "proto/buf.h"
#include "proto/connmsg.h"
#include "proto/kex.h"
#include "proto/monmsg.h"
#include "proto/packet.h"

enum conn_phase {
	PHASE_VERSION = 0,	/* waiting for the client's version line */
	PHASE_PREAUTH,		/* keys agreed, authenticating */
	PHASE_AUTHED,		/* connection protocol */
	PHASE_CLOSING,		/* flushing output, then exit */
};

enum kex_step {
	KEXS_IDLE = 0,		/* no key exchange running */
	KEXS_WAIT_INIT,		/* our KEXINIT sent, waiting for the client's */
	KEXS_WAIT_ECDH,		/* waiting for KEX_ECDH_INIT */
	KEXS_WAIT_NEWKEYS,	/* our NEWKEYS sent, waiting for the client's */
};

enum chan_kind {
	CHAN_SESSION = 0,		/* shell/exec/subsystem via the monitor */
	CHAN_SOCKET,			/* a forwarded connection: one socket,
					   fd_in == fd_out until one side ends */
};

struct channel {
	int used;
	enum chan_kind kind;
	int opening;			/* not confirmed yet: a connect in the
					   monitor, or our CHANNEL_OPEN sent */
	uint32_t id, peer_id;
	uint32_t local_window;		/* what the client may still send */
	uint32_t local_consumed;	/* written out since the last adjust */
	uint32_t peer_window, peer_maxpkt;
	int fd_in, fd_out, fd_err;	/* -1 when closed */
	int is_pty;
	int started;			/* shell/exec/subsystem accepted */
	struct buf to_fd;		/* client data not yet written */
	int eof_rcvd, eof_sent, close_rcvd, close_sent;
	int exited, exit_signaled, exit_status, exit_core;
};

enum listen_kind { LST_TCP, LST_UNIX, LST_X11, LST_AGENT };

/* A listening socket from the monitor; connections to it become channels
 * we open to the client. */
struct listener {
	int used;
	enum listen_kind kind;
	int fd;
	char *addr;			/* as the client asked: bind address,
					   or socket path */
	uint32_t req_port;		/* as asked (cancel matches it) */
	uint32_t port;			/* bound (sent in forwarded-tcpip) */
	uint32_t session;		/* X11: its session channel */
	int single;			/* X11: single connection */
};

struct hostkey_pub {
	unsigned char *blob;
	size_t len;
	char alg[32];
};

struct conn {
	int sock, mon;
	enum conn_phase phase;
	struct packet_state ps;
	char *client_version;		/* without CR LF */
	char server_version[128];
	struct buf vbuf;		/* partial version line */
	unsigned int vlines;		/* lines before the version */

	/* key exchange */
	enum kex_step kex_step;
	int first_kex_done;
	int strict_kex;
	int ext_info_c;
	int skip_guess;			/* drop the client's wrong guess */
	struct buf my_kexinit, peer_kexinit;
	struct kex_result kres;
	unsigned char session_id[KEX_HASH_MAX];
	size_t session_id_len;
	/* new keys kept between sending and receiving NEWKEYS */
	struct kex_dirkeys rx_keys;

	/* from the monitor's hello */
	struct hostkey_pub hostkeys[4];
	int nhostkeys;
	char *kex_list, *hostkey_list, *cipher_list, *mac_list;
	uint32_t max_auth_tries, max_sessions, hello_flags;
	char peer[64];			/* client address, for log lines */
	int peer_port;
	uint32_t alive_interval;	/* ClientAliveInterval, s; 0 = off */
	uint32_t alive_max;		/* ClientAliveCountMax */
	uint32_t alive_sent;		/* keepalives unanswered so far */

	/* userauth */
	int userauth_accepted;		/* ssh-userauth service granted */
	char *auth_user, *auth_service;
	int auth_user_valid;		/* for log lines only */
	uint32_t auth_failures;

	/* connection protocol */
	struct channel chans[NSSHD_MAX_CHANNELS];
	struct listener lst[NSSHD_MAX_LISTENERS];
	int no_more_sessions;
	int sessions_opened;
	struct buf pending_notes;	/* notes (frame, fds) seen in calls */
	struct buf deferred;		/* payloads held back during KEX */

	struct buf payload;		/* scratch for incoming payloads */
	struct buf reply;		/* scratch for outgoing payloads */
	struct buf mframe;		/* scratch for monitor frames */
};

/* main.c */
int transport_main(int sock, int mon);
/* Send what conn_send held back while our key exchange ran. */
void conn_flush_deferred(struct conn *c);
/* 1 if channels may produce more output now (no KEX, queue small). */
int conn_output_room(const struct conn *c);
/* Queue one payload; fatal errors end the process via conn_fatal. */
void conn_send(struct conn *c, struct buf *payload);
void conn_disconnect(struct conn *c, uint32_t reason, const char *msg)
    __attribute__((noreturn));
/* The same without the log line (the caller logged in sshd's words). */
void conn_disconnect_quiet(struct conn *c, uint32_t reason, const char *msg)
    __attribute__((noreturn));
void conn_fatal(struct conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* monclient.c */
/*
 * mon_call - send req (with no fds) and wait for the reply of type want;
 * exit notes arriving meanwhile are queued for conn_take_notes.  Replies
 * with fds return them in fds/nfds.  Any failure is fatal for the
 * connection: the monitor is gone or broken.
 */
void mon_call(struct conn *c, const struct mon_msg *req, uint8_t want,
    struct mon_msg *rep, int *fds, int *nfds);
/* Handle notes queued during calls and any readable on the socket. */
void mon_handle_readable(struct conn *c);
void mon_process_queued(struct conn *c);
void mon_read_hello(struct conn *c);

/* kex_drv.c */
void kex_start(struct conn *c);		/* send our KEXINIT */
/* Handle a KEX-layer message (20, 21, 30); msg is the whole payload,
 * type byte included.  Returns 0 if it was one, 1 otherwise. */
int kex_dispatch(struct conn *c, uint8_t type, struct buf *msg);
int kex_type_allowed_during(uint8_t type);

/* userauth.c */
void userauth_dispatch(struct conn *c, uint8_t type, struct buf *msg);

/* channels.c */
void chan_dispatch(struct conn *c, uint8_t type, struct buf *msg);
void chan_exit_note(struct conn *c, uint32_t id, int signaled, int status,
    int core);
/* poll set: add fds of channels; then process revents. */
int chan_poll_fill(struct conn *c, struct pollfd *pfd, int max, int idx[]);
void chan_poll_handle(struct conn *c, struct pollfd *pfd, int n, int idx[]);
void chan_close_all(struct conn *c);
/* After EOF/CLOSE from the client: close what can be closed. */
void chan_after_event(struct conn *c, struct channel *ch);
/* A free channel, initialised (kind session), or NULL. */
struct channel *chan_alloc(struct conn *c);
/* Forget a channel that never opened (no monitor session). */
void chan_discard(struct conn *c, struct channel *ch);
void chan_put_or_die(struct conn *c, int r);

/* forward.c: forwarding in the transport */
void fwd_global_request(struct conn *c, struct buf *m);
/* CHANNEL_OPEN of direct-tcpip / direct-streamlocal@openssh.com. */
void fwd_open_direct(struct conn *c, const struct chan_open_msg *o,
    int unix_socket);
void fwd_open_note(struct conn *c, const struct mon_msg *m, int fd);
void fwd_open_reply(struct conn *c, uint8_t type, struct buf *m);
int fwd_req_x11(struct conn *c, struct channel *ch,
    const struct chan_req_msg *r);
int fwd_req_agent(struct conn *c, struct channel *ch);
/* A session channel went away: its X11 listeners go too. */
void fwd_session_closed(struct conn *c, uint32_t id);
int fwd_poll_fill(struct conn *c, struct pollfd *pfd, int max, int idx[]);
void fwd_poll_handle(struct conn *c, struct pollfd *pfd, int n, int idx[]);

#endif
