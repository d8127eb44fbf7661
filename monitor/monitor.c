/*
 * monitor.c - the monitor's process model and dispatch: fork the sandboxed
 * transport, send it the hello, then serve its requests from the table of
 * the current phase until it goes away.  Signals arrive on a signalfd (no
 * signal handlers); LoginGraceTime is a poll timeout.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "monitor/hostkeys.h"
#include "monitor/monitor.h"
#include "sandbox/sandbox.h"
#include "transport/transport.h"

#define PH_PRE	1
#define PH_POST	2

static const struct mon_handler {
	uint8_t type;
	int phases;
	void (*fn)(struct monitor *, const struct mon_msg *);
} mon_handlers[] = {
	{ MON_SIGN_REQ, PH_PRE | PH_POST, mon_h_sign },
	{ MON_USER_REQ, PH_PRE, mon_h_user },
	{ MON_KEYOK_REQ, PH_PRE, mon_h_keyok },
	{ MON_KEYVERIFY_REQ, PH_PRE, mon_h_keyverify },
	{ MON_SESSION_REQ, PH_POST, mon_h_session },
	{ MON_PTY_REQ, PH_POST, mon_h_pty },
	{ MON_ENV_REQ, PH_POST, mon_h_env },
	{ MON_EXEC_REQ, PH_POST, mon_h_exec },
	{ MON_WINCH_REQ, PH_POST, mon_h_winch },
	{ MON_SIGNAL_REQ, PH_POST, mon_h_signal },
	{ MON_CLOSE_REQ, PH_POST, mon_h_close },
	{ MON_CONNECT_REQ, PH_POST, mon_h_connect },
	{ MON_LISTEN_REQ, PH_POST, mon_h_listen },
	{ MON_X11_REQ, PH_POST, mon_h_x11 },
	{ MON_AGENT_REQ, PH_POST, mon_h_agent },
};

void
mon_fatal(struct monitor *m, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error("monitor: %s; closing connection from %s port %d", msg,
	    m->peer_addr, m->peer_port);
	if (m->transport_pid > 0)
		kill(m->transport_pid, SIGKILL);
	mon_sessions_cleanup(m);
	exit(255);
}

void
mon_reply(struct monitor *m, const struct mon_msg *rep, const int *fds,
    int nfds)
{
	int r;

	if ((r = mon_send(m->tsock, rep, fds, nfds)) != 0)
		mon_fatal(m, "send %s: %s", mon_type_name(rep->type),
		    err_str(r));
}

void
mon_reply_status(struct monitor *m, int ok, const char *msg)
{
	struct mon_msg rep;

	mon_init(&rep, MON_STATUS_REP);
	rep.u[0] = ok ? 1 : 0;
	mon_set_cstr(&rep, 0, msg);
	mon_reply(m, &rep, NULL, 0);
}

void
mon_reply_u32(struct monitor *m, uint8_t type, uint32_t v)
{
	struct mon_msg rep;

	mon_init(&rep, type);
	rep.u[0] = v;
	mon_reply(m, &rep, NULL, 0);
}

static void
mon_dispatch(struct monitor *m, const struct mon_msg *req)
{
	int phase = m->authenticated ? PH_POST : PH_PRE;
	size_t i;

	for (i = 0; i < sizeof(mon_handlers) / sizeof(mon_handlers[0]); i++) {
		if (mon_handlers[i].type != req->type)
			continue;
		if (!(mon_handlers[i].phases & phase))
			break;
		mon_handlers[i].fn(m, req);
		return;
	}
	mon_fatal(m, "request %s not allowed %s authentication",
	    mon_type_name(req->type), m->authenticated ? "after" : "before");
}

static void
mon_read_transport(struct monitor *m, struct buf *frame)
{
	struct mon_msg req;
	int fds[MON_MAX_FDS], nfds, r;

	r = mon_recv(m->tsock, frame, &req, fds, &nfds);
	if (r == ERR_EOF) {
		m->tsock_eof = 1;	/* its exit comes via SIGCHLD */
		return;
	}
	if (r != 0)
		mon_fatal(m, "bad message from transport: %s", err_str(r));
	if (nfds > 0) {
		while (nfds > 0)
			close(fds[--nfds]);
		mon_fatal(m, "transport sent descriptors");
	}
	if (req.type == MON_BYE_NOTE) {
		debug("transport: %.*s", (int)req.s[0].n,
		    (const char *)req.s[0].p);
		return;
	}
	mon_dispatch(m, &req);
}

/* Log one relayed line without its CR LF. */
static void
mon_log_line(char *line, size_t n)
{
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		n--;
	line[n] = '\0';
	if (n > 0)
		logit("%s", line);
}

/* Relay the transport's log lines to our log (stderr or syslog). */
static void
mon_read_log(struct monitor *m)
{
	char *nl;
	ssize_t n;
	size_t used;

	n = read(m->log_pipe, m->logline + m->loglen,
	    sizeof(m->logline) - 1 - m->loglen);
	if (n > 0)
		m->loglen += (size_t)n;
	while ((nl = memchr(m->logline, '\n', m->loglen)) != NULL) {
		used = (size_t)(nl - m->logline) + 1;
		mon_log_line(m->logline, used - 1);
		memmove(m->logline, m->logline + used, m->loglen - used);
		m->loglen -= used;
	}
	if (n <= 0 || m->loglen == sizeof(m->logline) - 1) {
		mon_log_line(m->logline, m->loglen);	/* a partial line */
		m->loglen = 0;
	}
	if (n <= 0) {
		close(m->log_pipe);
		m->log_pipe = -1;
	}
}

static void
mon_transport_exited(struct monitor *m, int status)
{
	while (m->log_pipe >= 0)	/* its last lines first */
		mon_read_log(m);
	if (WIFSIGNALED(status))
		error("transport process %ld for %s port %d killed by "
		    "signal %d%s", (long)m->transport_pid, m->peer_addr,
		    m->peer_port, WTERMSIG(status),
		    WTERMSIG(status) == SIGSYS ? " (seccomp violation)" : "");
	else
		debug("transport exited with status %d", WEXITSTATUS(status));
	m->transport_pid = 0;
	if (m->authenticated && m->user != NULL)
		logit("Disconnected from user %s %s port %d", m->user,
		    m->peer_addr, m->peer_port);
	mon_sessions_cleanup(m);
	exit(0);
}

static void
mon_reap(struct monitor *m)
{
	struct signalfd_siginfo si;
	int status;
	pid_t pid;

	while (read(m->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGHUP ||
		    si.ssi_signo == SIGINT)
			mon_fatal(m, "received signal %u", si.ssi_signo);
	}
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == m->transport_pid)
			mon_transport_exited(m, status);
		else
			mon_session_reaped(m, pid, status);
	}
}

static int
mon_timeout(struct monitor *m)
{
	time_t now = time(NULL);

	if (m->authenticated || m->grace_deadline == 0)
		return -1;
	if (now >= m->grace_deadline) {
		logit("Timeout before authentication for %s port %d",
		    m->peer_addr, m->peer_port);
		mon_fatal(m, "LoginGraceTime exceeded");
	}
	return (int)(m->grace_deadline - now) * 1000;
}

static void
mon_loop(struct monitor *m)
{
	struct pollfd pfd[3 + NSSHD_MAX_CHANNELS];
	int idx[NSSHD_MAX_CHANNELS];
	struct buf frame;
	int n, np, i;

	buf_init(&frame, MON_MAX_FRAME);
	for (;;) {
		pfd[0].fd = m->tsock_eof ? -1 : m->tsock;
		pfd[0].events = POLLIN;
		pfd[1].fd = m->sigfd;
		pfd[1].events = POLLIN;
		pfd[2].fd = m->log_pipe;
		pfd[2].events = POLLIN;
		np = mon_pending_fill(m, pfd + 3, NSSHD_MAX_CHANNELS, idx);
		n = poll(pfd, 3 + np, mon_timeout(m));
		if (n < 0 && errno != EINTR)
			mon_fatal(m, "poll: %s", strerror(errno));
		if (n <= 0)
			continue;
		if (pfd[1].revents & POLLIN)
			mon_reap(m);
		if (pfd[2].revents & (POLLIN | POLLHUP))
			mon_read_log(m);
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			mon_read_transport(m, &frame);
		for (i = 0; i < np; i++)
			if (pfd[3 + i].revents != 0 && m->pending[idx[i]].used &&
			    m->pending[idx[i]].sock == pfd[3 + i].fd)
				mon_pending_done(m, idx[i]);
	}
}

static void
mon_send_hello(struct monitor *m)
{
	struct mon_msg h;
	struct buf keys, blob;
	char version[128], *ciphers = NULL, *macs = NULL, *kex = NULL;
	int i, r = 0;

	buf_init(&keys, 0);
	for (i = 0; r == 0 && i < m->nhostkeys; i++) {
		buf_init(&blob, 0);
		if ((r = sshkey_to_blob(m->hostkeys[i], &blob)) == 0)
			r = buf_put_stringb(&keys, &blob);
		buf_free(&blob);
	}
	if (r != 0)
		mon_fatal(m, "host key blobs: %s", err_str(r));
	snprintf(version, sizeof(version), "SSH-2.0-%s%s%s", NSSHD_VERSION,
	    m->cfg->version_addendum ? " " : "",
	    m->cfg->version_addendum ? m->cfg->version_addendum : "");
	mon_init(&h, MON_HELLO);
	mon_set_str(&h, 0, buf_ptr(&keys), buf_len(&keys));
	mon_set_cstr(&h, 1, version);
	if ((kex = config_kex(m->cfg)) == NULL || *kex == '\0')
		mon_fatal(m, "KexAlgorithms leaves no key exchange method");
	mon_set_cstr(&h, 2, kex);
	mon_set_cstr(&h, 3, "ssh-ed25519");
	if ((ciphers = config_ciphers(m->cfg)) == NULL || *ciphers == '\0' ||
	    (macs = config_macs(m->cfg)) == NULL || *macs == '\0')
		mon_fatal(m, "no cipher or MAC list");
	mon_set_cstr(&h, 4, ciphers);
	mon_set_cstr(&h, 6, macs);
	mon_set_cstr(&h, 5, m->peer_addr);
	h.u[3] = (uint32_t)m->peer_port;
	h.u[4] = (uint32_t)m->cfg->client_alive_interval;
	h.u[5] = (uint32_t)m->cfg->client_alive_count_max;
	h.u[0] = (uint32_t)m->cfg->max_auth_tries;
	h.u[1] = (uint32_t)m->cfg->max_sessions;
#ifdef NSSHD_TEST_HOOKS
	h.u[2] |= MON_HELLO_TEST_HOOKS;
#endif
	mon_reply(m, &h, NULL, 0);
	buf_free(&keys);
	free(ciphers);
	free(macs);
	free(kex);
}

static void
mon_addrs(struct monitor *m, int sock)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char port[16];

	strcpy(m->peer_addr, "UNKNOWN");
	strcpy(m->local_addr, "UNKNOWN");
	len = sizeof(ss);
	if (getpeername(sock, (struct sockaddr *)&ss, &len) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, len, m->peer_addr,
	    sizeof(m->peer_addr), port, sizeof(port),
	    NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		m->peer_port = atoi(port);
	len = sizeof(ss);
	if (getsockname(sock, (struct sockaddr *)&ss, &len) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, len, m->local_addr,
	    sizeof(m->local_addr), port, sizeof(port),
	    NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		m->local_port = atoi(port);
}

/*
 * TCP_NODELAY: the protocol is request/response in small packets, and
 * Nagle's algorithm with delayed ACKs costs about 40 ms per round trip.
 * TCPKeepAlive as configured.
 */
static void
mon_socket_options(struct monitor *m, int sock)
{
	int on = 1, ka = m->cfg->tcp_keepalive ? 1 : 0;

	if (setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) != 0)
		debug("TCP_NODELAY: %s", strerror(errno));
	if (setsockopt(sock, SOL_SOCKET, SO_KEEPALIVE, &ka, sizeof(ka)) != 0)
		debug("SO_KEEPALIVE: %s", strerror(errno));
}

/* In the child: confine ourselves and speak SSH; never returns. */
static void
mon_transport_child(struct monitor *m, int sock, int tsock, int logw,
    uid_t uid, gid_t gid)
{
	int r;

	(void)prctl(PR_SET_NAME, "nsshd [net]", 0, 0, 0);
	if (logw >= 0 && dup2(logw, STDERR_FILENO) < 0)
		_exit(255);
	if (dup2(sock, 3) < 0 || dup2(tsock, 4) < 0)
		_exit(255);
	close_range(5, ~0U, 0);
	if (sock != 3)
		close(0), close(1);
	if (sandbox_transport_enter(uid, gid, m->cfg->privsep_dir) != 0) {
		error("transport sandbox: %s", strerror(errno));
		_exit(255);
	}
	r = transport_main(3, 4);
	_exit(r == 0 ? 0 : 255);
}

static void
mon_fork_transport(struct monitor *m, int sock)
{
	struct passwd *pw;
	int sp[2], lp[2] = { -1, -1 }, big = 1 << 20;
	uid_t uid;
	gid_t gid;

	if ((pw = getpwnam(m->cfg->privsep_user)) == NULL)
		fatal("Privilege separation user %s does not exist",
		    m->cfg->privsep_user);
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0)
		fatal("socketpair: %s", strerror(errno));
	(void)setsockopt(sp[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	(void)setsockopt(sp[1], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	/* Always a pipe: the sandbox cannot write files (RLIMIT_FSIZE 0). */
	if (pipe2(lp, O_CLOEXEC) != 0)
		fatal("pipe: %s", strerror(errno));
	if ((m->transport_pid = fork()) < 0)
		fatal("fork: %s", strerror(errno));
	if (m->transport_pid == 0) {
		close(sp[0]);
		mon_transport_child(m, sock, sp[1], lp[1], uid, gid);
	}
	close(sp[1]);
	m->tsock = sp[0];
	if (lp[1] >= 0)
		close(lp[1]);
	m->log_pipe = lp[0];
}

static void
mon_signals(struct monitor *m)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 ||
	    (m->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		fatal("signalfd: %s", strerror(errno));
}

int
monitor_run(const struct config *cfg, int sock, int startup_fd,
    int log_stderr)
{
	struct monitor *m;
	char err[512];
	int i;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("out of memory");
	m->cfg = cfg;
	m->startup_fd = startup_fd;
	m->log_stderr = log_stderr;
	m->log_pipe = -1;
	for (i = 0; i < NSSHD_MAX_CHANNELS; i++)
		m->sess[i].master = -1;
	(void)prctl(PR_SET_NAME, "nsshd [priv]", 0, 0, 0);
	mon_addrs(m, sock);
	mon_socket_options(m, sock);
	verbose("Connection from %s port %d on %s port %d rdomain \"\"",
	    m->peer_addr, m->peer_port, m->local_addr, m->local_port);
	if (cfg->login_grace_time > 0)
		m->grace_deadline = time(NULL) + cfg->login_grace_time;
	mon_signals(m);
	/* The transport is forked before any host key is loaded. */
	mon_fork_transport(m, sock);
	close(sock);
	if (sock != 0)
		close(0);
	close(1);
	if (hostkeys_load(cfg, m->hostkeys, MON_MAX_HOSTKEYS, &m->nhostkeys,
	    err, sizeof(err)) != 0)
		mon_fatal(m, "%s", err);
	mon_send_hello(m);
	mon_loop(m);
	return 0;
}
