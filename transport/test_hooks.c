/*
 * test_hooks.c - failures the test suite provokes on purpose.  Compiled
 * only into builds configured with --enable-test-hooks; the monitor enables
 * them in its hello.
 */
#include "autoconf.h"

#ifdef NSSHD_TEST_HOOKS
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"

#include "proto/monmsg.h"

void test_hook_forbidden_syscall(void);
void test_hook_postauth_early(int mon);

/* Make a system call the transport's seccomp filter forbids. */
void
test_hook_forbidden_syscall(void)
{
	logit("test hook: calling socket() inside the sandbox");
	(void)socket(AF_INET, SOCK_STREAM, 0);
	logit("test hook: socket() returned; the sandbox is NOT working");
	_exit(99);
}

/*
 * Ask the monitor for a session before authenticating, as a compromised
 * transport might: the monitor must refuse and end the connection.
 */
void
test_hook_postauth_early(int mon)
{
	struct mon_msg req;
	struct buf frame;
	int fds[MON_MAX_FDS], nfds;

	logit("test hook: asking the monitor for a session before auth");
	mon_init(&req, MON_SESSION_REQ);
	(void)mon_send(mon, &req, NULL, 0);
	buf_init(&frame, MON_MAX_FRAME);
	if (mon_recv(mon, &frame, &req, fds, &nfds) == 0)
		logit("test hook: the monitor ANSWERED a pre-auth session "
		    "request");
	_exit(98);
}
#endif
