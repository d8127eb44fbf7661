/*
 * session.c - starting a session worker: fork, set up the pty or pipes,
 * hand the monitor its ends, drop to the user and exec the shell.
 *
 * The worker talks to the monitor once, over a socketpair, before it drops
 * privileges.  Two messages exist, each sent with one sendmsg:
 *   'F' tty-path   with the descriptors attached: the pty master (1 fd), or
 *                  the stdin write end, stdout read end and stderr read end
 *                  of three pipes (3 fds); tty-path is empty without a pty;
 *   'E' text       a one-line reason why the worker could not start.
 * After 'F' the worker reports failures on the session's own stderr, as
 * sshd does, and exits with status 1.  The monitor waits at most
 * SESSION_ANSWER_MS for the answer and kills a worker that stays silent.
 *
 * For a container target the worker first enters the container
 * (target_enter, which leaves a relay process behind on the host), then
 * takes the user from the container's own files, and only then opens the
 * pty (the container's /dev/ptmx) or pipes; a failure on the way is an 'E'.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/fdpass.h"
#include "common/log.h"
#include "sandbox/sandbox.h"
#include "session/session.h"
#include "session/target.h"

#define SESSION_ANSWER_MS	10000
#define MSG_FDS			'F'
#define MSG_ERR			'E'
#define MSG_MAX			256

/* What the worker sets up before it answers. */
struct child_io {
	int send[3];		/* the monitor's ends */
	int nsend;
	int std[3];		/* become the worker's fds 0, 1, 2 */
	char tty[64];		/* slave path, "" for pipes */
	char **env;
	char *argv[4];
	char argv0[256];
};

/* ---- worker side ---------------------------------------------------- */

/* Send 'E' + text to the monitor (best effort: the worker exits next). */
static void
child_send_error(int sock, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
child_send_error(int sock, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;
	int n;

	msg[0] = MSG_ERR;
	va_start(ap, fmt);
	n = vsnprintf(msg + 1, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(msg) - 2)
		n = (int)sizeof(msg) - 2;
	(void)fdpass_send(sock, msg, (size_t)n + 1, NULL, 0);
}

/* Default dispositions and an empty mask, as a fresh login would have. */
static void
reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int s;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (s = 1; s < NSIG; s++)
		(void)sigaction(s, &sa, NULL);	/* KILL, STOP: EINVAL */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Three close-on-exec pipes: stdin, stdout, stderr. */
static int
open_pipes(struct child_io *io)
{
	int p[3][2], i;

	for (i = 0; i < 3; i++)
		if (pipe2(p[i], O_CLOEXEC) != 0)
			return ERR_SYS;	/* the worker exits: nothing leaks */
	io->std[0] = p[0][0];
	io->send[0] = p[0][1];
	for (i = 1; i < 3; i++) {
		io->std[i] = p[i][1];
		io->send[i] = p[i][0];
	}
	io->nsend = 3;
	io->tty[0] = '\0';
	return 0;
}

static int
open_pty(const struct session_params *p, struct child_io *io)
{
	int m, s, rc;

	if ((rc = session_pty_open(p, &m, &s, io->tty, sizeof(io->tty))) != 0)
		return rc;
	io->send[0] = m;
	io->nsend = 1;
	io->std[0] = io->std[1] = io->std[2] = s;
	return 0;
}

/* argv: login shell "-sh", or "sh" "-c" command. */
static void
build_argv(const struct session_params *p, struct child_io *io)
{
	const char *shell = p->user->shell;
	const char *base = strrchr(shell, '/');

	base = base != NULL ? base + 1 : shell;
	snprintf(io->argv0, sizeof(io->argv0), "%s%s",
	    p->command == NULL ? "-" : "", base);
	io->argv[0] = io->argv0;
	io->argv[1] = p->command == NULL ? NULL : "-c";
	io->argv[2] = (char *)p->command;
	io->argv[3] = NULL;
}

static int
in_container(const struct session_params *p)
{
	return p->target != NULL && p->target->is_container;
}

/* The login environment; in a container maybe on top of the init's. */
static char **
build_env(const struct session_params *p, const char *tty)
{
	char **login = session_env_build(p, tty), **env;

	if (login == NULL || !in_container(p) || p->target_env == NULL ||
	    p->target->env_mode != TARGET_ENV_INHERIT)
		return login;
	env = target_env_merge(p->target_env, login);
	session_env_free(login);
	return env;
}

/* Everything that can fail while the monitor still waits for an answer. */
static int
child_prepare(const struct session_params *p, struct child_io *io, int sock)
{
	int rc = p->want_pty ? open_pty(p, io) : open_pipes(io);

	if (rc != 0) {
		child_send_error(sock, "%s: %s", p->want_pty ? "pty" : "pipe",
		    rc == ERR_SYS ? strerror(errno) : err_str(rc));
		return rc;
	}
	if ((io->env = build_env(p, io->tty)) == NULL) {
		child_send_error(sock, "environment: out of memory");
		return ERR_ALLOC;
	}
	build_argv(p, io);
	return 0;
}

/* ---- worker side: containers ---------------------------------------- */

#ifdef NSSHD_TEST_HOOKS
/*
 * Test hook: a client variable NSSHD_TEST_HOOK=stale-target (which the
 * test's AcceptEnv lets through) makes the target look recycled, as if
 * its PID had been reused between resolving and entering.
 */
static const struct target *
hook_target(const struct session_params *p, struct target *copy)
{
	char *const *x;

	for (x = p->env_extra; x != NULL && *x != NULL; x++) {
		if (strcmp(*x, "NSSHD_TEST_HOOK=stale-target") == 0) {
			*copy = *p->target;
			copy->starttime++;
			return copy;
		}
	}
	return p->target;
}
#endif

/*
 * Enter p's container (the relay stays behind in target_enter) and make
 * *cp a copy of p for the container's user *u: from its /etc/passwd and
 * /etc/group, the pty group its "tty" group.  0, or an 'E' was sent.
 */
static int
enter_container(const struct session_params *p, int sock,
    struct session_params *cp, struct user_info *u)
{
	const struct target *t = p->target;
	char err[MSG_MAX];
	gid_t tty;
	int rc;
#ifdef NSSHD_TEST_HOOKS
	struct target copy;

	t = hook_target(p, &copy);
#endif
	if ((rc = target_enter_user(t, p->user->name, &sock, 1, u, err,
	    sizeof(err))) != 0) {
		child_send_error(sock, "%s", err);
		return rc;
	}
	*cp = *p;
	cp->user = u;
	cp->tty_gid = target_lookup_group("tty", &tty) == 0 ? tty : (gid_t)-1;
	return 0;
}

/* ---- worker side: the session ---------------------------------------- */

/* Hand the monitor its ends: 'F' + tty path with the fds attached. */
static int
child_answer(int sock, const struct child_io *io)
{
	char msg[1 + sizeof(io->tty)];
	size_t n = strlen(io->tty);

	msg[0] = MSG_FDS;
	memcpy(msg + 1, io->tty, n);
	return fdpass_send(sock, msg, n + 1, io->send, io->nsend);
}

/* Make fds 0, 1, 2 the session's; close everything else but keep. */
static int
install_stdio(const struct child_io *io, int keep)
{
	int fd[3], i;

	for (i = 0; i < 3; i++) {
		fd[i] = io->std[i];
		if (fd[i] < 3 && (fd[i] = fcntl(io->std[i], F_DUPFD, 3)) < 0)
			return ERR_SYS;
	}
	for (i = 0; i < 3; i++)
		if (dup2(fd[i], i) < 0)
			return ERR_SYS;
	if (keep < 3)
		return close_range(3, ~0U, 0) == 0 ? 0 : ERR_SYS;
	if ((keep > 3 && close_range(3, (unsigned int)keep - 1, 0) != 0) ||
	    close_range((unsigned int)keep + 1, ~0U, 0) != 0)
		return ERR_SYS;
	return 0;
}

/*
 * A new session; the pty (if any) becomes its controlling terminal.  With
 * -e/-d the server's stderr stays open (close-on-exec) for log lines of
 * the worker and of nsshd's internal programs.
 */
static int
child_become(const struct session_params *p, const struct child_io *io)
{
	int logfd = -1;

	if (setsid() < 0)
		return ERR_SYS;
	if (p->want_pty && ioctl(io->std[0], TIOCSCTTY, 0) != 0)
		return ERR_SYS;
	if (p->log_to_stderr && (logfd = fcntl(2, F_DUPFD_CLOEXEC, 3)) >= 0)
		log_set_stderr_fd(logfd);
	return install_stdio(io, logfd);
}

/* An internal failure after the answer: log it (and tell the user). */
static void __attribute__((noreturn))
child_die(const struct session_params *p, const char *what)
{
	int e = errno;

	error("session for %s: %s: %s", p->user->name, what, strerror(e));
	if (p->log_to_stderr)
		dprintf(2, "%s: %s\n", what, strerror(e));
	_exit(1);
}

/* The session's directory: ContainerWorkdir, else home, else "/". */
static void
child_chdir(const struct session_params *p)
{
	const char *dir = p->user->home;
	int workdir = in_container(p) && p->target->workdir[0] != '\0';

	if (workdir)
		dir = p->target->workdir;
	if (chdir(dir) == 0)
		return;
	if (p->chroot_dir == NULL)	/* as sshd: silent in a chroot */
		fprintf(stderr, "Could not chdir to %s%s: %s\n", workdir ?
		    "" : "home directory ", dir, strerror(errno));
	if (chdir("/") != 0)
		_exit(1);
}

static void __attribute__((noreturn))
child_main(const struct session_params *p, int sock)
{
	struct child_io io;
	struct session_params cp;
	struct user_info cu;
	const struct user_info *u;

	memset(&io, 0, sizeof(io));
	reset_signals();
	if (in_container(p)) {
		if (enter_container(p, sock, &cp, &cu) != 0)
			_exit(1);
		p = &cp;
	}
	u = p->user;
	if (child_prepare(p, &io, sock) != 0)
		_exit(1);
	if (child_answer(sock, &io) != 0)
		_exit(1);
	if (child_become(p, &io) != 0)
		child_die(p, "cannot set up the session's terminal");
	if (p->chroot_dir != NULL && session_chroot(p->chroot_dir) != 0)
		_exit(1);		/* logged, as sshd: the client sees none */
	if (privdrop_user(u->uid, u->gid, u->groups, u->ngroups) != 0)
		child_die(p, "cannot drop privileges");
	child_chdir(p);
	session_x11_auth(p);
	session_run_internal(p, io.env);
	execve(u->shell, io.argv, io.env);
	fprintf(stderr, "%s: %s\n", u->shell, strerror(errno));
	_exit(1);
}

/* ---- monitor side --------------------------------------------------- */

static int
fail(struct session_proc *out, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct session_proc *out, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->errmsg, sizeof(out->errmsg), fmt, ap);
	va_end(ap);
	return code;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until sock is readable: 0, ERR_AGAIN after ms, or ERR_SYS. */
static int
wait_readable(int sock, int ms)
{
	long long deadline = now_ms() + ms, left;
	struct pollfd pfd;
	int n;

	for (;;) {
		left = deadline - now_ms();
		if (left < 0)
			left = 0;
		pfd.fd = sock;
		pfd.events = POLLIN;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 0;
		if (n == 0)
			return ERR_AGAIN;
		if (errno != EINTR)
			return ERR_SYS;
	}
}

/* Copy n bytes of worker text to dst (NUL-ended), unprintables as '?'. */
static void
copy_text(char *dst, size_t dstlen, const char *src, size_t n)
{
	size_t i;

	if (n >= dstlen)
		n = dstlen - 1;
	for (i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[n] = '\0';
}

/* The monitor's ends: non-blocking and close-on-exec. */
static int
set_fd_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
		return ERR_SYS;
	return 0;
}

/* Take the 'F' answer: nfds descriptors and the tty path. */
static int
take_fds(const struct session_params *p, struct session_proc *out,
    const char *msg, size_t got, const int *fds, int nfds)
{
	int i, want = p->want_pty ? 1 : 3;

	if (nfds != want || (p->want_pty && got < 2) ||
	    got - 1 >= sizeof(out->tty))
		return fail(out, ERR_PROTO, "session worker sent a bad answer");
	for (i = 0; i < nfds; i++)
		if (set_fd_flags(fds[i]) != 0)
			return fail(out, ERR_SYS, "fcntl: %s", strerror(errno));
	copy_text(out->tty, sizeof(out->tty), msg + 1, got - 1);
	memcpy(out->fds, fds, sizeof(int) * (size_t)nfds);
	out->nfds = nfds;
	return 0;
}

/* Read the worker's one answer.  On failure no descriptor stays open. */
static int
parent_receive(int sock, const struct session_params *p,
    struct session_proc *out)
{
	char msg[MSG_MAX];
	int fds[FDPASS_MAX], nfds = 0, i, rc;
	size_t got = 0;

	rc = wait_readable(sock, SESSION_ANSWER_MS);
	if (rc == ERR_AGAIN)
		return fail(out, ERR_SYS, "session worker did not answer");
	if (rc == 0)
		rc = fdpass_recv(sock, msg, sizeof(msg), &got, fds, 3, &nfds);
	if (rc != 0)
		return fail(out, rc == ERR_SYS ? ERR_SYS : ERR_PROTO,
		    "receiving from session worker: %s",
		    rc == ERR_SYS ? strerror(errno) : err_str(rc));
	if (got == 0)
		rc = fail(out, ERR_SYS, "session worker exited early");
	else if (msg[0] == MSG_ERR && nfds == 0) {
		copy_text(out->errmsg, sizeof(out->errmsg), msg + 1, got - 1);
		rc = ERR_SYS;
	} else if (msg[0] == MSG_FDS)
		rc = take_fds(p, out, msg, got, fds, nfds);
	else
		rc = fail(out, ERR_PROTO, "session worker sent a bad answer");
	if (rc != 0)
		for (i = 0; i < nfds; i++)
			close(fds[i]);
	return rc;
}

/* Kill (it may hang or be half set up) and reap a failed worker. */
static void
reap(pid_t pid)
{
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void
proc_clear(struct session_proc *out)
{
	memset(out, 0, sizeof(*out));
	out->pid = -1;
	out->fds[0] = out->fds[1] = out->fds[2] = -1;
}

int
session_start(const struct session_params *p, struct session_proc *out)
{
	int sv[2], rc, e;
	pid_t pid;

	proc_clear(out);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return fail(out, ERR_SYS, "socketpair: %s", strerror(errno));
	if ((pid = fork()) < 0) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		return fail(out, ERR_SYS, "fork: %s", strerror(e));
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(p, sv[1]);
	}
	close(sv[1]);
	rc = parent_receive(sv[0], p, out);
	close(sv[0]);
	if (rc != 0) {
		reap(pid);
		return rc;
	}
	out->pid = pid;
	return 0;
}
