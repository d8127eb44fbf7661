/*
 * sockwork.h - socket workers: a process forked by the monitor that goes
 * into the target (target_enter_user; the host when there is none), drops
 * to the user, makes one socket endpoint and hands it back over
 * SCM_RIGHTS, then exits.  Every forwarding endpoint (direct-tcpip,
 * direct-streamlocal, tcpip-forward, streamlocal-forward, X11, agent) is
 * made this way, so names are resolved and paths looked up inside the
 * target by an unprivileged process: never NSS as root, never a
 * container's symlink followed as root.
 *
 * The answer is one MON_WORKER_ANSWER frame (proto/monmsg.h) on a
 * SOCK_SEQPACKET socketpair: u result (0, or an SSH open failure reason),
 * u port, s path, s message, with the descriptors attached when 0.
 */
#ifndef NSSHD_SOCKWORK_H
#define NSSHD_SOCKWORK_H

#include <sys/types.h>

#include "session/session.h"
#include "session/target.h"

enum sockwork_op {
	SW_CONNECT_TCP,		/* host, port */
	SW_CONNECT_UNIX,	/* path */
	SW_LISTEN_TCP,		/* host ("" = all addresses), port (0: any) */
	SW_LISTEN_UNIX,		/* path, bind_mask, bind_unlink */
	SW_LISTEN_X11,		/* x11_offset, x11_max, x11_localhost */
	SW_LISTEN_AGENT,	/* a private directory in /tmp + socket */
	SW_REMOVE,		/* unlink socket path; rmdir its directory
				   too when remove_dir */
};

#define SOCKWORK_MAX_FDS	3

struct sockwork_req {
	enum sockwork_op op;
	const struct user_info *user;	/* the login (host user) */
	const struct target *target;	/* NULL or !is_container: host */
	const char *host;
	const char *path;
	unsigned int port;
	unsigned int bind_mask;		/* StreamLocalBindMask */
	int bind_unlink;		/* StreamLocalBindUnlink */
	unsigned int x11_offset, x11_max;
	int x11_localhost;
	int remove_dir;
	int log_to_stderr;
};

struct sockwork_res {
	int fds[SOCKWORK_MAX_FDS];
	int nfds;
	unsigned int result;		/* 0, or SSH2_OPEN_* reason */
	unsigned int port;		/* listen: bound port; X11: display */
	char path[128];			/* agent socket; X11 Unix socket */
	char msg[256];			/* why not, for the client */
};

/*
 * sockwork_start - fork the worker for rq (as root, from the monitor).
 * *pid is its pid (the caller's SIGCHLD handling reaps it), *sock the
 * answer socket (close-on-exec), read with sockwork_answer().  0 or
 * ERR_SYS.
 */
int sockwork_start(const struct sockwork_req *rq, pid_t *pid, int *sock);
/*
 * sockwork_answer - read the worker's answer from sock within ms
 * milliseconds into *res.  Always returns with *res filled: a worker that
 * died, sent garbage or stayed silent gives result SSH2_OPEN_CONNECT_FAILED
 * and a message.  Returned descriptors are non-blocking, close-on-exec.
 */
void sockwork_answer(int sock, int ms, struct sockwork_res *res);
/* start + answer (waiting at most 10 s) + close; kills a silent worker. */
void sockwork_run(const struct sockwork_req *rq, struct sockwork_res *res);

/* sockops.c: the operations, run in the worker as the user. */
void sockops_run(const struct sockwork_req *rq, struct sockwork_res *res);

#endif
