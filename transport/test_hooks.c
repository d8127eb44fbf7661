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

void test_hook_forbidden_syscall(void);

/* Make a system call the transport's seccomp filter forbids. */
void
test_hook_forbidden_syscall(void)
{
	logit("test hook: calling socket() inside the sandbox");
	(void)socket(AF_INET, SOCK_STREAM, 0);
	logit("test hook: socket() returned; the sandbox is NOT working");
	_exit(99);
}
#endif
