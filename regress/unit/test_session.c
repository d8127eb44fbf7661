/*
 * test_session.c - starting real sessions as "nobody" on pipes and on a
 * pty, window changes, failures; signal names.  Needs root (skipped
 * otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "session/session.h"
#include "regress/unit/unittest.h"

#define IO_TIMEOUT_MS	10000
#define OUT_MAX		8192

struct out {
	char d[OUT_MAX];
	size_t n;
	int eof;
};

static int
is_root(void)
{
	if (geteuid() == 0)
		return 1;
	printf("# skip: session tests need root\n");
	return 0;
}

/* nobody, with a usable shell instead of nologin. */
static int
nobody(struct user_info *u, const char *shell)
{
	if (!CHECK_EQ(user_lookup_host("nobody", u), 0))
		return 0;
	CHECK(u->uid != 0 && u->ngroups >= 1 && u->groups[0] == u->gid);
	free(u->shell);
	u->shell = strdup(shell);
	return u->shell != NULL;
}

static void
params(struct session_params *p, const struct user_info *u, int pty,
    const char *cmd)
{
	memset(p, 0, sizeof(*p));
	p->user = u;
	p->want_pty = pty;
	p->term = "xterm";
	p->cols = 80;
	p->rows = 24;
	p->command = cmd;
	p->client_addr = "127.0.0.1";
	p->client_port = 40000;
	p->server_addr = "127.0.0.1";
	p->server_port = 22;
	p->tty_gid = user_tty_group_host();
}

static long long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read fd into o once; EOF and EIO (pty slave gone) end the stream. */
static void
read_once(int fd, struct out *o)
{
	ssize_t r;

	if (o->n >= sizeof(o->d) - 1) {
		o->eof = 1;
		return;
	}
	r = read(fd, o->d + o->n, sizeof(o->d) - 1 - o->n);
	if (r > 0)
		o->n += (size_t)r;
	else if (r == 0 || (errno != EAGAIN && errno != EINTR))
		o->eof = 1;
	o->d[o->n] = '\0';
}

/* Read all fds until EOF on each, until `until` appears in o[0], or time
 * runs out (then returns 0). */
static int
read_until(const int *fds, struct out *o, int n, const char *until)
{
	long long end = ms_now() + IO_TIMEOUT_MS;
	struct pollfd pf[3];
	int i, open;

	for (;;) {
		if (until != NULL && strstr(o[0].d, until) != NULL)
			return 1;
		for (i = open = 0; i < n; i++) {
			pf[i].fd = o[i].eof ? -1 : fds[i];
			pf[i].events = POLLIN;
			open += !o[i].eof;
		}
		if (open == 0)
			return until == NULL;
		if (ms_now() > end || poll(pf, (nfds_t)n, 200) < 0)
			return 0;
		for (i = 0; i < n; i++)
			if (pf[i].revents != 0)
				read_once(fds[i], &o[i]);
	}
}

/* Exit status of pid (waits at most IO_TIMEOUT_MS, then kills). */
static int
wait_status(pid_t pid)
{
	long long end = ms_now() + IO_TIMEOUT_MS;
	int st = 0;
	pid_t r;

	while ((r = waitpid(pid, &st, WNOHANG)) == 0 && ms_now() < end)
		usleep(10000);
	if (r == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return -1;
	}
	return st;
}

static void
close_fds(struct session_proc *sp)
{
	int i;

	for (i = 0; i < sp->nfds; i++)
		close(sp->fds[i]);
}

static int
fd_ok(int fd)
{
	return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0 &&
	    (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

static void
t_pipes(void)
{
	struct user_info u;
	struct session_params p;
	struct session_proc sp;
	struct out o[2];
	int st, i;

	if (!is_root() || !nobody(&u, "/bin/sh"))
		return;
	params(&p, &u, 0, "echo hi; echo err >&2; exit 3");
	if (!CHECK_EQ(session_start(&p, &sp), 0)) {
		printf("#   %s\n", sp.errmsg);
		user_info_free(&u);
		return;
	}
	CHECK_EQ(sp.nfds, 3);
	CHECK(sp.pid > 0 && sp.tty[0] == '\0');
	for (i = 0; i < 3; i++)
		CHECK(fd_ok(sp.fds[i]));
	memset(o, 0, sizeof(o));
	CHECK(read_until(sp.fds + 1, o, 2, NULL));
	CHECK(strcmp(o[0].d, "hi\n") == 0);
	CHECK(o[1].n >= 4 && strcmp(o[1].d + o[1].n - 4, "err\n") == 0);
	if (access(u.home, F_OK) != 0)	/* nobody's home: /nonexistent */
		CHECK(strstr(o[1].d, "Could not chdir to home directory") !=
		    NULL);
	st = wait_status(sp.pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	close_fds(&sp);
	user_info_free(&u);
}

static void
t_identity(void)
{
	struct user_info u;
	struct session_params p;
	struct session_proc sp;
	struct out o[2];
	char want[256];
	sigset_t blk, old;
	int rc;

	if (!is_root() || !nobody(&u, "/bin/sh"))
		return;
	params(&p, &u, 0, "id -u; id -g; id -G; echo $USER $LOGNAME; "
	    "echo $SSH_CLIENT; cat; grep -E '^Sig(Blk|Ign)' /proc/self/status");
	/* the worker must not inherit ignored or blocked signals */
	sigemptyset(&blk);
	sigaddset(&blk, SIGUSR1);
	sigprocmask(SIG_BLOCK, &blk, &old);
	signal(SIGHUP, SIG_IGN);
	rc = session_start(&p, &sp);
	signal(SIGHUP, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (!CHECK_EQ(rc, 0)) {
		user_info_free(&u);
		return;
	}
	CHECK_EQ(write(sp.fds[0], "from stdin\n", 11), 11);
	close(sp.fds[0]);
	memset(o, 0, sizeof(o));
	CHECK(read_until(sp.fds + 1, o, 2, NULL));
	snprintf(want, sizeof(want), "%u\n%u\n%u\nnobody nobody\n"
	    "127.0.0.1 40000 22\nfrom stdin\nSigBlk:\t0000000000000000\n"
	    "SigIgn:\t0000000000000000\n", (unsigned)u.uid,
	    (unsigned)u.gid, (unsigned)u.gid);
	if (!CHECK(strcmp(o[0].d, want) == 0))
		printf("#   got [%s]\n", o[0].d);
	CHECK_EQ(wait_status(sp.pid), 0);
	close(sp.fds[1]);
	close(sp.fds[2]);
	user_info_free(&u);
}

static void
t_pty(void)
{
	/* ECHO off (53 = 0), then TTY_OP_END */
	static const unsigned char modes[] = { 53, 0, 0, 0, 0, 0 };
	struct user_info u;
	struct session_params p;
	struct session_proc sp;
	struct out o;
	char uid[32];

	if (!is_root() || !nobody(&u, "/bin/sh"))
		return;
	params(&p, &u, 1, "tty; id -u; stty -a");
	p.modes = modes;
	p.modes_len = sizeof(modes);
	if (!CHECK_EQ(session_start(&p, &sp), 0)) {
		printf("#   %s\n", sp.errmsg);
		user_info_free(&u);
		return;
	}
	CHECK_EQ(sp.nfds, 1);
	CHECK(strncmp(sp.tty, "/dev/pts/", 9) == 0);
	CHECK(fd_ok(sp.fds[0]));
	memset(&o, 0, sizeof(o));
	CHECK(read_until(sp.fds, &o, 1, NULL));
	snprintf(uid, sizeof(uid), "\r\n%u\r\n", (unsigned)u.uid);
	CHECK(strstr(o.d, sp.tty) != NULL);
	CHECK(strstr(o.d, uid) != NULL);
	CHECK(strstr(o.d, " -echo ") != NULL);
	CHECK(strstr(o.d, "rows 24; columns 80;") != NULL);
	if (!CHECK_EQ(wait_status(sp.pid), 0))
		printf("#   got [%s]\n", o.d);
	close_fds(&sp);
	user_info_free(&u);
}

static void
t_window_change(void)
{
	struct user_info u;
	struct session_params p;
	struct session_proc sp;
	struct out o;

	if (!is_root() || !nobody(&u, "/bin/sh"))
		return;
	params(&p, &u, 1, "stty size; read x; stty size");
	if (!CHECK_EQ(session_start(&p, &sp), 0)) {
		user_info_free(&u);
		return;
	}
	memset(&o, 0, sizeof(o));
	CHECK(read_until(sp.fds, &o, 1, "24 80\r\n"));
	CHECK_EQ(session_window_change(sp.fds[0], 100, 40, 800, 600), 0);
	CHECK_EQ(write(sp.fds[0], "\n", 1), 1);
	CHECK(read_until(sp.fds, &o, 1, NULL));
	if (!CHECK(strstr(o.d, "40 100\r\n") != NULL))
		printf("#   got [%s]\n", o.d);
	CHECK_EQ(wait_status(sp.pid), 0);
	close_fds(&sp);
	user_info_free(&u);
}

static void
t_bad_shell(void)
{
	struct user_info u;
	struct session_params p;
	struct session_proc sp;
	struct out o[2];
	int rc, st;

	if (!is_root() || !nobody(&u, "/nonexistent/shell"))
		return;
	params(&p, &u, 0, "true");
	rc = session_start(&p, &sp);
	if (rc != 0) {		/* reported before the fds: in errmsg */
		CHECK(sp.errmsg[0] != '\0');
		user_info_free(&u);
		return;
	}
	memset(o, 0, sizeof(o));
	CHECK(read_until(sp.fds + 1, o, 2, NULL));
	CHECK(strstr(o[1].d, "/nonexistent/shell: No such file or directory")
	    != NULL);
	CHECK_EQ(o[0].n, 0);
	st = wait_status(sp.pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 0);
	close_fds(&sp);
	user_info_free(&u);
}

static void
t_bad_modes(void)
{
	static const unsigned char cut[] = { 53, 0, 0 };	/* truncated */
	struct user_info u;
	struct session_params p;
	struct session_proc sp;

	if (!is_root() || !nobody(&u, "/bin/sh"))
		return;
	params(&p, &u, 1, "true");
	p.modes = cut;
	p.modes_len = sizeof(cut);
	CHECK_EQ(session_start(&p, &sp), ERR_SYS);
	CHECK(strstr(sp.errmsg, "pty") != NULL);
	CHECK(sp.pid == -1 && sp.nfds == 0);
	user_info_free(&u);
}

static void
t_lookup(void)
{
	struct user_info u;

	CHECK_EQ(user_lookup_host("no-such-user-xyzzy", &u), ERR_NOTFOUND);
	CHECK(u.name == NULL && u.ngroups == 0);
	if (!CHECK_EQ(user_lookup_host("root", &u), 0))
		return;
	CHECK(u.uid == 0 && strcmp(u.name, "root") == 0);
	CHECK(u.home != NULL && u.shell != NULL && u.shell[0] == '/');
	user_info_free(&u);
	CHECK(u.name == NULL);
}

static void
t_signals(void)
{
	static const char *const names[] = { "ABRT", "ALRM", "FPE", "HUP",
	    "ILL", "INT", "KILL", "PIPE", "QUIT", "SEGV", "TERM", "USR1",
	    "USR2", NULL };
	const char *n;
	size_t i;

	for (i = 0; names[i] != NULL; i++) {
		n = session_signal_name(session_signal_number(names[i]));
		CHECK(n != NULL && strcmp(n, names[i]) == 0);
	}
	CHECK_EQ(session_signal_number("TERM"), SIGTERM);
	CHECK_EQ(session_signal_number("SIGTERM"), -1);
	CHECK_EQ(session_signal_number("term"), -1);
	CHECK_EQ(session_signal_number(NULL), -1);
	CHECK(session_signal_name(SIGCHLD) == NULL);
	CHECK(strcmp(session_signal_name(SIGKILL), "KILL") == 0);
}

const struct ut_case session_cases[] = {
	{ "lookup", t_lookup },
	{ "signals", t_signals },
	{ "pipes", t_pipes },
	{ "identity", t_identity },
	{ "pty", t_pty },
	{ "window_change", t_window_change },
	{ "bad_shell", t_bad_shell },
	{ "bad_modes", t_bad_modes },
	{ NULL, NULL },
};
