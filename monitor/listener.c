/*
 * listener.c - main() of nsshd, the listening daemon.
 *
 * It parses sshd's command line and configuration, answers -t / -T, loads
 * the host keys once (so that a bad key is reported at start and the
 * embedded default generates its key), checks the privilege-separation
 * user and directory, listens on every ListenAddress x Port, daemonizes
 * unless -D or -d (keeping the working directory, so that the relative
 * paths of our argv still resolve in the children and after a SIGHUP
 * re-exec), writes the PidFile, then waits in poll() on the
 * listening sockets, a signalfd (SIGCHLD SIGTERM SIGINT SIGHUP; there are
 * no signal handlers) and one "startup pipe" per connection that has not
 * authenticated yet.  Each accepted connection is checked against
 * MaxStartups (random early drop between start and full, as sshd), then
 * forked and exec'd as <dir of this binary>/nsshd-session -R <our
 * arguments> with the socket on fds 0 and 1 and the pipe's write end on
 * fd 3: the session writes a byte there (or exits) once authenticated.
 * SIGHUP re-execs this binary with the original arguments; SIGTERM and
 * SIGINT remove the PidFile and exit.  With -d exactly one connection is
 * served, in the foreground; -i execs nsshd-session on stdin/stdout.
 * All state lives in struct listener, on main's stack.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "common/err.h"
#include "common/log.h"
#include "defaults.h"
#include "monitor/cmdline.h"
#include "monitor/config.h"
#include "monitor/hostkeys.h"
#include "sandbox/sandbox.h"

#define MAX_LISTEN_SOCKS	16
#define STARTUP_BYTE_MSG	"Exceeded MaxStartups\r\n"
#define THROTTLE_LOG_INTERVAL	(5 * 60)

struct kid {
	pid_t pid;
	int fd;				/* read end of its startup pipe */
};

struct listener {
	const struct cmdline *cl;
	struct config *c;
	int socks[MAX_LISTEN_SOCKS];
	int nsocks;
	int sigfd;
	sigset_t oldmask;
	char self[PATH_MAX];		/* this binary */
	char session[PATH_MAX + 32];	/* nsshd-session */
	struct kid *kids;		/* unauthenticated connections */
	int nkids;
	pid_t debug_child;		/* -d: the one connection */
	time_t first_drop, last_drop;	/* MaxStartups throttling */
	unsigned int ndropped;
	int wrote_pidfile;
};

/* ------------------------------------------------------------- helpers */

static void
addr_str(struct sockaddr_storage *ss, socklen_t len, char *host,
    size_t hlen, int *port)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 s6;
	char serv[16];

	/* Show IPv4-mapped IPv6 addresses as IPv4, as sshd does. */
	memcpy(&s6, ss, sizeof(s6));
	if (ss->ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6.sin6_addr)) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = s6.sin6_port;
		memcpy(&sin.sin_addr, &s6.sin6_addr.s6_addr[12], 4);
		memset(ss, 0, sizeof(*ss));
		memcpy(ss, &sin, sizeof(sin));
		len = sizeof(sin);
	}
	if (getnameinfo((const struct sockaddr *)ss, len, host, hlen, serv,
	    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(host, hlen, "UNKNOWN");
		snprintf(serv, sizeof(serv), "0");
	}
	*port = atoi(serv);
}

static void
sock_addrs(int fd, char *raddr, size_t rl, int *rport, char *laddr,
    size_t ll, int *lport)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
		memset(&ss, 0, sizeof(ss));
	addr_str(&ss, len, raddr, rl, rport);
	len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		memset(&ss, 0, sizeof(ss));
	addr_str(&ss, len, laddr, ll, lport);
}

/* sshd's fmt_timeframe(). */
static void
fmt_timeframe(time_t t, char *buf, size_t len)
{
	long s = (long)t;

	if (s < 86400)
		snprintf(buf, len, "%02ld:%02ld:%02ld", s / 3600,
		    (s % 3600) / 60, s % 60);
	else if (s < 7 * 86400)
		snprintf(buf, len, "%ldd%02ldh%02ldm", s / 86400,
		    (s % 86400) / 3600, (s % 3600) / 60);
	else
		snprintf(buf, len, "%02ldw%01ldd%02ldh", s / (7 * 86400),
		    (s % (7 * 86400)) / 86400, (s % 86400) / 3600);
}

static time_t
monotime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The binaries: this one, and nsshd-session next to it (or ../libexec). */
static void
find_binaries(struct listener *L)
{
	char dir[PATH_MAX], *slash;
	ssize_t n;

	if ((n = readlink("/proc/self/exe", L->self, sizeof(L->self) - 1)) <= 0)
		fatal("readlink /proc/self/exe: %s", strerror(errno));
	L->self[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", L->self);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	snprintf(L->session, sizeof(L->session), "%s/nsshd-session", dir);
	if (access(L->session, X_OK) == 0)
		return;
	snprintf(L->session, sizeof(L->session), "%s/../libexec/nsshd-session",
	    dir);
	if (access(L->session, X_OK) != 0)
		fatal("nsshd-session not found next to %s", L->self);
}

/* ------------------------------------------------------------ children */

/* argv of the session: "nsshd-session -R <our arguments>". */
static char **
session_argv(const struct cmdline *cl)
{
	char **av;
	int i;

	if ((av = calloc((size_t)cl->argc + 2, sizeof(*av))) == NULL)
		return NULL;
	av[0] = "nsshd-session";
	av[1] = "-R";
	for (i = 1; i < cl->argc; i++)
		av[i + 1] = cl->argv[i];
	av[cl->argc + 1] = NULL;
	return av;
}

/* In the forked child: fds 0, 1 = sock, 3 = startup pipe; exec. */
static void __attribute__((noreturn))
child_exec(struct listener *L, int sock, int wfd)
{
	char **av = session_argv(L->cl);
	int s, w;

	sigprocmask(SIG_SETMASK, &L->oldmask, NULL);
	s = fcntl(sock, F_DUPFD_CLOEXEC, 10);
	w = fcntl(wfd, F_DUPFD_CLOEXEC, 10);
	if (av == NULL || s < 0 || w < 0 || dup2(s, 0) < 0 ||
	    dup2(s, 1) < 0 || dup2(w, 3) < 0) {
		error("session set-up: %s", strerror(errno));
		_exit(127);
	}
	close_range(4, ~0U, 0);
	execv(L->session, av);
	error("exec %s: %s", L->session, strerror(errno));
	_exit(127);
}

static void
kid_remove(struct listener *L, int i)
{
	close(L->kids[i].fd);
	L->kids[i] = L->kids[--L->nkids];
}

static void
spawn(struct listener *L, int sock)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0) {
		error("pipe: %s", strerror(errno));
		return;
	}
	if ((pid = fork()) < 0) {
		error("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0)
		child_exec(L, sock, p[1]);
	close(p[1]);
	debug("Forked child %ld.", (long)pid);
	if (L->cl->debug) {
		L->debug_child = pid;
		close(p[0]);
		return;
	}
	L->kids[L->nkids].pid = pid;
	L->kids[L->nkids++].fd = p[0];
}

static void
reap(struct listener *L)
{
	pid_t pid;
	int st, i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < L->nkids; i++)
			if (L->kids[i].pid == pid) {
				kid_remove(L, i);
				break;
			}
		if (pid == L->debug_child) {
			debug("debug child %ld exited", (long)pid);
			exit(WIFEXITED(st) ? WEXITSTATUS(st) : 255);
		}
	}
}

/* ----------------------------------------------------------- MaxStartups */

static int
should_drop(const struct listener *L)
{
	const struct config *c = L->c;
	int startups = L->nkids, p;

	if (startups < c->max_startups_begin)
		return 0;
	if (startups >= c->max_startups)
		return 1;
	if (c->max_startups_rate == 100)
		return 1;
	p = 100 - c->max_startups_rate;
	p *= startups - c->max_startups_begin;
	p /= c->max_startups - c->max_startups_begin;
	p += c->max_startups_rate;
	return (int)randombytes_uniform(100) < p;
}

static void
throttle_log(struct listener *L, time_t now, enum log_level *lvl)
{
	char tf[32];

	*lvl = LOG_LVL_VERBOSE;
	if (L->last_drop == 0) {
		error("beginning MaxStartups throttling");
		*lvl = LOG_LVL_INFO;
		L->first_drop = now;
		L->ndropped = 0;
	} else if (L->last_drop + THROTTLE_LOG_INTERVAL < now) {
		fmt_timeframe(now - L->first_drop, tf, sizeof(tf));
		error("in MaxStartups throttling for %s, %u connections "
		    "dropped", tf, L->ndropped + 1);
		*lvl = LOG_LVL_INFO;
	}
	L->last_drop = now;
	L->ndropped++;
}

/* 1 if the connection is dropped (and the client told so). */
static int
drop_connection(struct listener *L, int fd)
{
	char raddr[NI_MAXHOST], laddr[NI_MAXHOST], tf[32];
	int rport, lport;
	enum log_level lvl;
	time_t now = monotime();

	if (!should_drop(L)) {
		if (L->last_drop != 0 &&
		    L->nkids < L->c->max_startups_begin - 1) {
			fmt_timeframe(now - L->first_drop, tf, sizeof(tf));
			logit("exited MaxStartups throttling after %s, %u "
			    "connections dropped", tf, L->ndropped);
			L->last_drop = 0;
		}
		return 0;
	}
	throttle_log(L, now, &lvl);
	sock_addrs(fd, raddr, sizeof(raddr), &rport, laddr, sizeof(laddr),
	    &lport);
	log_at(lvl, "drop connection #%d from [%s]:%d on [%s]:%d past "
	    "MaxStartups", L->nkids, raddr, rport, laddr, lport);
	(void)!send(fd, STARTUP_BYTE_MSG, sizeof(STARTUP_BYTE_MSG) - 1,
	    MSG_NOSIGNAL | MSG_DONTWAIT);
	return 1;
}

/* ------------------------------------------------------------ listening */

static int
open_one(const struct addrinfo *ai, const char *ntop, const char *port)
{
	int fd, on = 1;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, ai->ai_protocol);
	if (fd < 0) {
		verbose("socket: %.100s", strerror(errno));
		return -1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ai->ai_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on));
	debug("Bind to port %s on %s.", port, ntop);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, SOMAXCONN) != 0) {
		error("Bind to port %s on %s failed: %.200s.", port, ntop,
		    strerror(errno));
		close(fd);
		return -1;
	}
	logit("Server listening on %s port %s.", ntop, port);
	return fd;
}

static void
listen_on(struct listener *L, const char *host, int port)
{
	struct addrinfo hints, *res, *ai;
	char ntop[NI_MAXHOST], strport[NI_MAXSERV];
	int r, fd;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = L->c->address_family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = host == NULL ? AI_PASSIVE : 0;
	snprintf(strport, sizeof(strport), "%d", port);
	if ((r = getaddrinfo(host, strport, &hints, &res)) != 0)
		fatal("bad addr or host: %s (%s)", host ? host : "<NULL>",
		    gai_strerror(r));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (L->nsocks >= MAX_LISTEN_SOCKS) {
			error("Too many listen sockets.");
			break;
		}
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, ntop,
		    sizeof(ntop), strport, sizeof(strport),
		    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
			continue;
		if ((fd = open_one(ai, ntop, strport)) >= 0)
			L->socks[L->nsocks++] = fd;
	}
	freeaddrinfo(res);
}

static void
open_listeners(struct listener *L)
{
	const struct config *c = L->c;
	int i, j;

	for (i = 0; i < c->nlisten; i++) {
		if (c->listen[i].port != 0)
			listen_on(L, c->listen[i].host, c->listen[i].port);
		else
			for (j = 0; j < c->nports; j++)
				listen_on(L, c->listen[i].host, c->ports[j]);
	}
	if (L->nsocks == 0)
		fatal("Cannot bind any address.");
}

static void
close_listeners(struct listener *L)
{
	while (L->nsocks > 0)
		close(L->socks[--L->nsocks]);
}

/* -------------------------------------------------------------- signals */

static void
block_signals(struct listener *L)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, &L->oldmask) != 0)
		fatal("sigprocmask: %s", strerror(errno));
	/* A mask inherited over a SIGHUP re-exec is not the original one. */
	sigdelset(&L->oldmask, SIGCHLD);
	sigdelset(&L->oldmask, SIGTERM);
	sigdelset(&L->oldmask, SIGINT);
	sigdelset(&L->oldmask, SIGHUP);
	if ((L->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		fatal("signalfd: %s", strerror(errno));
}

static void
remove_pidfile(struct listener *L)
{
	if (L->wrote_pidfile && L->c->pidfile != NULL)
		unlink(L->c->pidfile);
}

static void __attribute__((noreturn))
restart(struct listener *L)
{
	logit("Received SIGHUP; restarting.");
	remove_pidfile(L);
	close_listeners(L);
	while (L->nkids > 0)
		kid_remove(L, 0);
	/* Signals stay blocked over exec; the new image reads them. */
	execv(L->self, L->cl->argv);
	logit("RESTART FAILED: av[0]='%.100s', error: %.100s.", L->self,
	    strerror(errno));
	exit(1);
}

static void
handle_signals(struct listener *L)
{
	struct signalfd_siginfo si;

	while (read(L->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			reap(L);
			break;
		case SIGHUP:
			if (!L->cl->debug)
				restart(L);
			break;
		default:
			logit("Received signal %d; terminating.",
			    (int)si.ssi_signo);
			close_listeners(L);
			remove_pidfile(L);
			exit(si.ssi_signo == SIGTERM ? 0 : 255);
		}
	}
}

/* ----------------------------------------------------------- main loop */

static void
accept_on(struct listener *L, int lfd)
{
	int fd;

	for (;;) {
		if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				error("accept: %s", strerror(errno));
				usleep(100 * 1000);
			} else if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				error("accept: %s", strerror(errno));
			return;
		}
		if (!L->cl->debug && drop_connection(L, fd)) {
			close(fd);
			continue;
		}
		spawn(L, fd);
		close(fd);
		if (L->cl->debug) {
			close_listeners(L);	/* -d: one connection only */
			return;
		}
	}
}

/* A startup pipe became readable: authenticated (a byte) or gone. */
static void
startup_done(struct listener *L, int i)
{
	char b;

	(void)!read(L->kids[i].fd, &b, 1);
	kid_remove(L, i);
}

static void
serve(struct listener *L)
{
	struct pollfd *pf;
	int n, i, nk, npf = 1 + MAX_LISTEN_SOCKS + L->c->max_startups;

	if ((pf = calloc((size_t)npf, sizeof(*pf))) == NULL ||
	    (L->kids = calloc((size_t)L->c->max_startups + 1,
	    sizeof(*L->kids))) == NULL)
		fatal("out of memory");
	for (;;) {
		n = 0;
		pf[n].fd = L->sigfd;
		pf[n++].events = POLLIN;
		for (i = 0; i < L->nsocks; i++) {
			pf[n].fd = L->socks[i];
			pf[n++].events = POLLIN;
		}
		for (i = 0, nk = L->nkids; i < nk; i++) {
			pf[n].fd = L->kids[i].fd;
			pf[n++].events = POLLIN;
		}
		if (poll(pf, (nfds_t)n, -1) < 0) {
			if (errno != EINTR)
				fatal("poll: %s", strerror(errno));
			continue;
		}
		for (i = nk - 1; i >= 0; i--)
			if (pf[1 + L->nsocks + i].revents != 0)
				startup_done(L, i);
		for (i = 0; i < L->nsocks; i++)
			if (pf[1 + i].revents & POLLIN)
				accept_on(L, pf[1 + i].fd);
		if (pf[0].revents & POLLIN)
			handle_signals(L);
	}
}

/* ----------------------------------------------------------- start-up */

static void
write_pidfile(struct listener *L)
{
	FILE *f;

	if (L->cl->debug || L->c->pidfile == NULL)
		return;
	if ((f = fopen(L->c->pidfile, "we")) == NULL) {
		error("Couldn't create pid file \"%s\": %s", L->c->pidfile,
		    strerror(errno));
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
	L->wrote_pidfile = 1;
}

static void
check_privsep(const struct config *c, int create_dir)
{
	if (getpwnam(c->privsep_user) == NULL)
		fatal("Privilege separation user %s does not exist",
		    c->privsep_user);
	if (create_dir && sandbox_prepare_empty_dir(c->privsep_dir) != 0)
		fatal("Missing privilege separation directory: %s (%s)",
		    c->privsep_dir, strerror(errno));
}

/* Load (and for the embedded default, generate) the keys; then drop. */
static int
check_hostkeys(const struct config *c, char *err, size_t errlen)
{
	struct sshkey *keys[CONFIG_MAX_HOSTKEYS];
	int n, r;

	if ((r = hostkeys_load(c, keys, CONFIG_MAX_HOSTKEYS, &n, err,
	    errlen)) == 0)
		hostkeys_free(keys, n);
	return r;
}

/* -t and -T. */
static int
test_mode(const struct cmdline *cl, struct config *c)
{
	struct conn_spec cs;
	char err[1024];

	if (cl->nspecs > 0 && cmdline_conn_spec(cl, &cs, err, sizeof(err))
	    != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (cl->nspecs > 0 && config_apply_match(c, cs.have_user ? cs.user :
	    NULL, NULL, cs.have_addr ? cs.addr : NULL, cs.have_laddr ?
	    cs.laddr : NULL, cs.lport) != 0) {
		fprintf(stderr, "applying Match blocks failed\n");
		return 1;
	}
	if (check_hostkeys(c, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (getpwnam(c->privsep_user) == NULL) {
		fprintf(stderr, "Privilege separation user %s does not exist\n",
		    c->privsep_user);
		return 1;
	}
	if (cl->dump)
		config_dump(c, STDOUT_FILENO);
	return 0;
}

/* -i: become the session on our stdin/stdout. */
static void __attribute__((noreturn))
inetd_exec(struct listener *L)
{
	char **av = session_argv(L->cl);
	int fd;

	if (fcntl(3, F_GETFD) < 0 &&
	    (fd = open("/dev/null", O_WRONLY)) >= 0 && fd != 3) {
		dup2(fd, 3);
		close(fd);
	}
	if (av != NULL)
		execv(L->session, av);
	fatal("exec %s: %s", L->session, strerror(errno));
}

/*
 * daemon(), keeping stderr when it is the -E log file, and keeping the
 * working directory: nsshd-session and a SIGHUP re-exec get our argv as
 * it was, so a relative -f, -h or -E must still resolve.
 */
static void
daemonize(const struct cmdline *cl)
{
	int fd;

	if (daemon(1, 1) != 0)
		fatal("daemon() failed: %.200s", strerror(errno));
	if ((fd = open("/dev/null", O_RDWR)) < 0)
		fatal("open /dev/null: %s", strerror(errno));
	(void)dup2(fd, STDIN_FILENO);
	(void)dup2(fd, STDOUT_FILENO);
	if (cl->logfile == NULL)
		(void)dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

static enum log_level
early_level(const struct cmdline *cl)
{
	return cl->debug ? (enum log_level)(LOG_LVL_DEBUG1 + cl->debug - 1) :
	    LOG_LVL_INFO;
}

int
main(int argc, char **argv)
{
	struct listener L;
	struct cmdline cl;
	struct config c;
	char err[1024];

	memset(&L, 0, sizeof(L));
	if (cmdline_parse(argc, argv, &cl, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n%s", err, cmdline_usage());
		return 1;
	}
	if (cl.version) {
		fprintf(stderr, "%s\n", NSSHD_VERSION);
		return 0;
	}
	log_init("nsshd", early_level(&cl), 1);
	if (config_setup(&cl, &c, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return cl.test || cl.dump ? 1 : 255;
	}
	if (cl.test || cl.dump)
		return test_mode(&cl, &c);
	if (sodium_init() < 0)
		fatal("libsodium initialisation failed");
	if (cmdline_log_init(&cl, &c, "nsshd", err, sizeof(err)) != 0)
		fatal("%s", err);
	L.cl = &cl;
	L.c = &c;
	find_binaries(&L);
	if (cl.inetd)
		inetd_exec(&L);
	check_privsep(&c, 1);
	if (check_hostkeys(&c, err, sizeof(err)) != 0)
		fatal("%s", err);
	open_listeners(&L);
	if (!cl.foreground && !cl.debug)
		daemonize(&cl);
	block_signals(&L);
	write_pidfile(&L);
	serve(&L);
	return 0;
}
