/*
 * sockwork.c - forking a socket worker and reading its answer (see
 * sockwork.h).  The worker: an empty signal mask, every descriptor but the
 * answer socket closed, into the target as the user (or the host user),
 * then sockops_run() and one MON_WORKER_ANSWER frame.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "proto/monmsg.h"
#include "proto/ssh2.h"
#include "sandbox/sandbox.h"
#include "session/sockwork.h"

#define SOCKWORK_SYNC_MS	10000

static void
res_clear(struct sockwork_res *res)
{
	memset(res, 0, sizeof(*res));
	res->fds[0] = res->fds[1] = res->fds[2] = -1;
}

static void
res_fail(struct sockwork_res *res, unsigned int reason, const char *msg)
{
	int i;

	for (i = 0; i < res->nfds; i++)
		if (res->fds[i] >= 0)
			close(res->fds[i]);
	res_clear(res);
	res->result = reason;
	snprintf(res->msg, sizeof(res->msg), "%s", msg);
}

/* ---- worker side ---------------------------------------------------- */

static void __attribute__((noreturn))
child_answer(int sock, struct sockwork_res *res)
{
	struct mon_msg a;

	mon_init(&a, MON_WORKER_ANSWER);
	a.u[0] = res->result;
	a.u[1] = res->port;
	mon_set_cstr(&a, 0, res->path);
	mon_set_cstr(&a, 1, res->msg);
	(void)mon_send(sock, &a, res->result == 0 ? res->fds : NULL,
	    res->result == 0 ? res->nfds : 0);
	_exit(0);
}

/* Into the target as its user, or drop to the host user. */
static int
child_become_user(const struct sockwork_req *rq, int sock,
    struct sockwork_res *res)
{
	const struct target *t = rq->target;
	struct user_info cu;
	char err[sizeof(res->msg)];
	const struct user_info *u = rq->user;

	memset(&cu, 0, sizeof(cu));
	if (t != NULL && t->is_container) {
		if (target_enter_user(t, rq->user->name, &sock, 1, &cu, err,
		    sizeof(err)) != 0) {
			res_fail(res, SSH2_OPEN_CONNECT_FAILED, err);
			return -1;
		}
		u = &cu;
	}
	if (privdrop_user(u->uid, u->gid, u->groups, u->ngroups) != 0) {
		snprintf(err, sizeof(err), "cannot drop privileges: %s",
		    strerror(errno));
		res_fail(res, SSH2_OPEN_CONNECT_FAILED, err);
		return -1;
	}
	return 0;
}

static void __attribute__((noreturn))
child_main(const struct sockwork_req *rq, int sock)
{
	struct sockwork_res res;
	sigset_t none;

	res_clear(&res);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)signal(SIGPIPE, SIG_IGN);
	(void)prctl(PR_SET_NAME, "nsshd [fwd]", 0, 0, 0);
	if (sock != 3 && (dup2(sock, 3) < 0 || close(sock) != 0))
		_exit(1);
	sock = 3;
	(void)close_range(4, ~0U, 0);
	if (child_become_user(rq, sock, &res) == 0)
		sockops_run(rq, &res);
	child_answer(sock, &res);
}

/* ---- monitor side --------------------------------------------------- */

int
sockwork_start(const struct sockwork_req *rq, pid_t *pid, int *sock)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return ERR_SYS;
	if ((*pid = fork()) < 0) {
		close(sv[0]);
		close(sv[1]);
		return ERR_SYS;
	}
	if (*pid == 0) {
		close(sv[0]);
		child_main(rq, sv[1]);
	}
	close(sv[1]);
	*sock = sv[0];
	return 0;
}

static int
fd_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 ? -1 : 0;
}

/* Copy a string field of the answer, unprintable bytes as '?'. */
static void
copy_field(char *dst, size_t dstlen, const struct sview *s)
{
	size_t i, n = s->n < dstlen ? s->n : dstlen - 1;

	for (i = 0; i < n; i++)
		dst[i] = (s->p[i] >= 0x20 && s->p[i] < 0x7f) ? (char)s->p[i] :
		    '?';
	dst[n] = '\0';
}

void
sockwork_answer(int sock, int ms, struct sockwork_res *res)
{
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct buf frame;
	struct mon_msg a;
	int fds[MON_MAX_FDS], nfds = 0, r, i;

	res_clear(res);
	while ((r = poll(&pfd, 1, ms)) < 0 && errno == EINTR)
		;
	if (r <= 0) {
		res_fail(res, SSH2_OPEN_CONNECT_FAILED, "worker timed out");
		return;
	}
	buf_init(&frame, MON_MAX_FRAME);
	r = mon_recv(sock, &frame, &a, fds, &nfds);
	if (r != 0 || a.type != MON_WORKER_ANSWER ||
	    (a.u[0] == 0) != (nfds > 0)) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		res_fail(res, SSH2_OPEN_CONNECT_FAILED, r == ERR_EOF ?
		    "worker died" : "bad answer from worker");
		buf_free(&frame);
		return;
	}
	res->result = a.u[0];
	res->port = a.u[1];
	copy_field(res->path, sizeof(res->path), &a.s[0]);
	copy_field(res->msg, sizeof(res->msg), &a.s[1]);
	memcpy(res->fds, fds, sizeof(int) * (size_t)nfds);
	res->nfds = nfds;
	buf_free(&frame);
	for (i = 0; i < nfds; i++)
		if (fd_nonblock(fds[i]) != 0) {
			res_fail(res, SSH2_OPEN_CONNECT_FAILED, "fcntl failed");
			return;
		}
}

void
sockwork_run(const struct sockwork_req *rq, struct sockwork_res *res)
{
	pid_t pid;
	int sock;

	if (sockwork_start(rq, &pid, &sock) != 0) {
		res_clear(res);
		res_fail(res, SSH2_OPEN_RESOURCE_SHORTAGE, strerror(errno));
		return;
	}
	sockwork_answer(sock, SOCKWORK_SYNC_MS, res);
	close(sock);
	if (res->result != 0 && strcmp(res->msg, "worker timed out") == 0)
		(void)kill(pid, SIGTERM);	/* a relay passes it on */
}
