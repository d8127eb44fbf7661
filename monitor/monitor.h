/*
 * monitor.h - the per-connection privileged monitor (nsshd-session).
 *
 * The monitor forks the sandboxed transport, then serves its typed requests
 * (proto/monmsg.h) from a table per phase: before authentication only
 * signing and authentication requests; after it, session requests.  It
 * holds the host keys, the authentication state and the sessions' processes,
 * and tells the transport when a session's process exits.  All of it lives
 * in struct monitor, passed explicitly.
 */
#ifndef NSSHD_MONITOR_H
#define NSSHD_MONITOR_H

#include <poll.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "crypto/sshkey.h"
#include "defaults.h"
#include "monitor/authkeys.h"
#include "monitor/config.h"
#include "proto/monmsg.h"
#include "session/session.h"
#include "session/target.h"

#define MON_MAX_HOSTKEYS	4
#define MON_MAX_ENV		64
#define MON_MAX_ORPHANS		64

struct mon_session {
	int used;
	uint32_t chan;
	pid_t pid;			/* 0: not started or reaped */
	int master;			/* our copy of the pty master, or -1 */
	int want_pty;
	char *term;
	uint32_t cols, rows, xpix, ypix;
	unsigned char *modes;
	size_t modes_len;
	char *env[MON_MAX_ENV + 2];	/* accepted NAME=value, NULL-ended */
	int nenv;
	int started;
	char tty[64];
	/* X11 forwarding (x11-req) */
	int x11_on;
	unsigned int x11_display, x11_screen;
	char *x11_proto, *x11_cookie;
	char x11_unix[128];		/* its Unix socket, or "" */
	struct target x11_target;	/* where x11_unix is */
};

/* A connect worker still working (direct-tcpip, direct-streamlocal). */
struct mon_pending {
	int used;
	uint32_t chan;			/* the transport's channel */
	pid_t pid;
	int sock;			/* its answer comes here */
};

struct monitor {
	const struct config *cfg;	/* global, then ucfg once Match ran */
	struct config ucfg;		/* with the user's Match blocks */
	int tsock;			/* our end of the monitor socket */
	int tsock_eof;			/* the transport closed it */
	pid_t transport_pid;
	int sigfd;			/* signalfd: SIGCHLD SIGTERM SIGHUP */
	int startup_fd;			/* listener's MaxStartups pipe, or -1 */
	int log_pipe;			/* transport's stderr, or -1 */
	int log_stderr;			/* -e / -d: everyone logs to stderr */
	char logline[2048];		/* partial line from log_pipe */
	size_t loglen;
	struct sshkey *hostkeys[MON_MAX_HOSTKEYS];
	int nhostkeys;
	char peer_addr[64], local_addr[64];
	int peer_port, local_port;
	time_t grace_deadline;		/* 0: none */

	/* authentication */
	int authenticated;
	char *user;			/* name the client asked for */
	int user_valid;
	struct user_info pw;
	unsigned char session_id[64];
	size_t session_id_len;
	uint32_t failures;
	struct authkey_opts key_opts;	/* options of the accepted key */

	struct mon_session sess[NSSHD_MAX_CHANNELS];
	struct mon_pending pending[NSSHD_MAX_CHANNELS];
	char agent_path[128];		/* SSH_AUTH_SOCK, or "" */
	struct target agent_target;	/* where agent_path is */
	pid_t orphans[MON_MAX_ORPHANS];	/* closed sessions still running */
};

/* monitor.c */
/* Fork the transport on sock and serve it until the connection ends. */
int monitor_run(const struct config *cfg, int sock, int startup_fd,
    int log_stderr);

/* mon_auth.c: handlers of the pre-auth phase (and signing). */
void mon_h_sign(struct monitor *m, const struct mon_msg *req);
void mon_h_user(struct monitor *m, const struct mon_msg *req);
void mon_h_keyok(struct monitor *m, const struct mon_msg *req);
void mon_h_keyverify(struct monitor *m, const struct mon_msg *req);

/* mon_session.c: handlers of the post-auth phase. */
void mon_h_session(struct monitor *m, const struct mon_msg *req);
void mon_h_pty(struct monitor *m, const struct mon_msg *req);
void mon_h_env(struct monitor *m, const struct mon_msg *req);
void mon_h_exec(struct monitor *m, const struct mon_msg *req);
void mon_h_winch(struct monitor *m, const struct mon_msg *req);
void mon_h_signal(struct monitor *m, const struct mon_msg *req);
void mon_h_close(struct monitor *m, const struct mon_msg *req);
/* A child exited: tell the transport if it was a session. */
void mon_session_reaped(struct monitor *m, pid_t pid, int status);
void mon_sessions_cleanup(struct monitor *m);
/* The session of a channel the transport opened; fatal if there is none. */
struct mon_session *mon_sess_get(struct monitor *m, uint32_t chan);

/* mon_forward.c: forwarding, X11 and agent. */
void mon_h_connect(struct monitor *m, const struct mon_msg *req);
void mon_h_listen(struct monitor *m, const struct mon_msg *req);
void mon_h_x11(struct monitor *m, const struct mon_msg *req);
void mon_h_agent(struct monitor *m, const struct mon_msg *req);
/* Connect workers in progress: their answer sockets for poll; then the
 * one at index idx[k] answered or died. */
int mon_pending_fill(struct monitor *m, struct pollfd *pfd, int max,
    int *idx);
void mon_pending_done(struct monitor *m, int i);
/* Remove an X11 or agent socket (and its directory) inside t. */
void mon_fwd_remove(struct monitor *m, const struct target *t,
    const char *path, int remove_dir);
/* Connection end: stop connect workers, remove the agent socket. */
void mon_forward_cleanup(struct monitor *m);

/* Replies; a failure to send ends the monitor. */
void mon_reply(struct monitor *m, const struct mon_msg *rep, const int *fds,
    int nfds);
void mon_reply_status(struct monitor *m, int ok, const char *msg);
void mon_reply_u32(struct monitor *m, uint8_t type, uint32_t v);
/* The transport broke the protocol: log, kill it, exit. */
void mon_fatal(struct monitor *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#endif
