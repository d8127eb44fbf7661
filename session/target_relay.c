/*
 * target_relay.c - the last fork of entering a container.  setns() on a
 * pid namespace only takes effect for children, so the worker forks: the
 * child goes on inside the container (tied to the parent by
 * PR_SET_PDEATHSIG) and the parent stays behind as a relay that forwards
 * every signal to the child and, when the child ends, exits or dies the
 * same way.  No signal handlers: the relay waits with sigwaitinfo().
 */
#include "autoconf.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "session/target.h"
#include "session/target_int.h"

/* ---- the relay ------------------------------------------------------ */

/* Die the way the child did. */
static void __attribute__((noreturn))
relay_exit(int status)
{
	struct sigaction sa;
	sigset_t one;
	int sig;

	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	sig = WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(sig, &sa, NULL);
	(void)kill(getpid(), sig);
	sigemptyset(&one);
	sigaddset(&one, sig);
	(void)sigprocmask(SIG_UNBLOCK, &one, NULL);
	_exit(128 + sig);	/* the signal does not kill by default */
}

/* Forward every signal to child; when it ends, end the same way. */
static void __attribute__((noreturn))
relay(pid_t child)
{
	sigset_t all;
	siginfo_t si;
	int status;
	pid_t r;

	sigfillset(&all);
	(void)sigprocmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		if (sigwaitinfo(&all, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD) {
			(void)kill(child, si.si_signo);
			continue;
		}
		while ((r = waitpid(child, &status, WNOHANG)) < 0 &&
		    errno == EINTR)
			;
		if (r == child && (WIFEXITED(status) || WIFSIGNALED(status)))
			relay_exit(status);
		if (r < 0)
			_exit(1);	/* ECHILD: cannot happen */
	}
}

/* In the child: die with the relay; stop at once if it is gone already. */
static void
child_tie(int relay_pidfd)
{
	struct pollfd pfd;

	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (relay_pidfd < 0)
		return;
	pfd.fd = relay_pidfd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) > 0)
		_exit(1);
	close(relay_pidfd);
}

int
fork_relay(struct entry *e)
{
	struct sigaction sa;
	sigset_t all, old;
	int self, saved;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;	/* SIG_IGN would reap it for us */
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGCHLD, &sa, NULL);
	sigfillset(&all);
	(void)sigprocmask(SIG_BLOCK, &all, &old);
	self = sys_pidfd_open(getpid());
	if ((pid = fork()) < 0) {
		saved = errno;
		if (self >= 0)
			close(self);
		(void)sigprocmask(SIG_SETMASK, &old, NULL);
		errno = saved;
		return step_failed(e, "fork");
	}
	if (pid == 0) {
		child_tie(self);
		(void)sigprocmask(SIG_SETMASK, &old, NULL);
		return 0;
	}
	close_range_compat(3, ~0U);
	relay(pid);
}
