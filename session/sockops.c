/*
 * sockops.c - what a socket worker does once it runs as the user inside
 * the target: connect (TCP or Unix), listen (TCP, Unix, X11 displays, the
 * agent socket) or remove a socket it made earlier.  Names are resolved
 * here, with the target's /etc/hosts and resolv.conf, as the user.
 */
#include "autoconf.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "proto/ssh2.h"
#include "session/sockwork.h"

#define X11_BASE_PORT	6000
#define X11_UNIX_DIR	"/tmp/.X11-unix"
#define LISTEN_BACKLOG	128

/* Fail with the message "what: detail", or just detail. */
static void
fail(struct sockwork_res *res, const char *what, const char *detail)
{
	int i;

	for (i = 0; i < res->nfds; i++)
		close(res->fds[i]);
	res->nfds = 0;
	res->result = SSH2_OPEN_CONNECT_FAILED;
	snprintf(res->msg, sizeof(res->msg), "%s%s%s", what ? what : "",
	    what ? ": " : "", detail);
}

static void
add_fd(struct sockwork_res *res, int fd)
{
	res->fds[res->nfds++] = fd;
}

static int
unix_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (path == NULL || *path == '\0' ||
	    strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

static void
connect_tcp(const struct sockwork_req *rq, struct sockwork_res *res)
{
	struct addrinfo hints, *ai, *a;
	char port[16];
	int fd = -1, g, e = ECONNREFUSED, on = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%u", rq->port);
	if ((g = getaddrinfo(rq->host, port, &hints, &ai)) != 0) {
		fail(res, NULL, g == EAI_SYSTEM ? strerror(errno) :
		    gai_strerror(g));
		return;
	}
	for (a = ai; a != NULL && fd < 0; a = a->ai_next) {
		if ((fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC,
		    a->ai_protocol)) < 0) {
			e = errno;
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
			e = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (fd < 0) {
		fail(res, NULL, strerror(e));
		return;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	add_fd(res, fd);
}

static void
connect_unix(const struct sockwork_req *rq, struct sockwork_res *res)
{
	struct sockaddr_un sun;
	int fd;

	if (unix_addr(rq->path, &sun) != 0 ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		fail(res, NULL, strerror(errno));
		return;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		fail(res, NULL, strerror(errno));
		close(fd);
		return;
	}
	add_fd(res, fd);
}

/* One listening socket on a; *port 0 takes the port the kernel picks. */
static int
listen_one(const struct addrinfo *a, unsigned int *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd, on = 1;

	if (a->ai_addrlen > sizeof(ss))
		return -1;
	memcpy(&ss, a->ai_addr, a->ai_addrlen);
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons(*port);
	else if (ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(*port);
	else
		return -1;
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, a->ai_addrlen) != 0 ||
	    listen(fd, LISTEN_BACKLOG) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	*port = ntohs(ss.ss_family == AF_INET ?
	    ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

/*
 * Listen on host:port with every address it has (at most two sockets):
 * host NULL is all addresses, "localhost" the loopback ones.  0, or -1
 * with errno of the first failure (EADDRINUSE on any address is fatal).
 */
static int
listen_tcp_addrs(const char *host, unsigned int *port,
    struct sockwork_res *res)
{
	struct addrinfo hints, *ai, *a;
	int fd, g, e = EADDRNOTAVAIL;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (host != NULL && strcmp(host, "localhost") == 0)
		host = NULL;	/* loopback, whatever /etc/hosts says */
	else
		hints.ai_flags = AI_PASSIVE;
	if ((g = getaddrinfo(host, "0", &hints, &ai)) != 0) {
		errno = g == EAI_SYSTEM ? errno : EADDRNOTAVAIL;
		return -1;
	}
	for (a = ai; a != NULL && res->nfds < 2; a = a->ai_next) {
		if ((fd = listen_one(a, port)) >= 0) {
			add_fd(res, fd);
			continue;
		}
		e = errno;
		if (e == EADDRINUSE || e == EACCES)
			break;
	}
	freeaddrinfo(ai);
	if (res->nfds > 0 && e != EADDRINUSE && e != EACCES)
		return 0;
	while (res->nfds > 0)
		close(res->fds[--res->nfds]);
	errno = e;
	return -1;
}

static void
listen_tcp(const struct sockwork_req *rq, struct sockwork_res *res)
{
	unsigned int port = rq->port;
	const char *host = rq->host;

	if (host != NULL && (*host == '\0' || strcmp(host, "*") == 0))
		host = NULL;
	if (listen_tcp_addrs(host, &port, res) != 0) {
		fail(res, NULL, strerror(errno));
		return;
	}
	res->port = port;
}

/* Bind and listen on a Unix socket at path; the fd or -1 (errno). */
static int
listen_unix_path(const char *path, mode_t mask)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd, r, e;

	if (unix_addr(path, &sun) != 0 ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	old = umask(mask);
	r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	e = errno;
	umask(old);
	if (r != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
		e = r != 0 ? e : errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void
listen_unix(const struct sockwork_req *rq, struct sockwork_res *res)
{
	struct stat st;
	int fd;

	/* StreamLocalBindUnlink: replace a stale socket, nothing else. */
	if (rq->bind_unlink && rq->path != NULL &&
	    lstat(rq->path, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(rq->path);
	if ((fd = listen_unix_path(rq->path, rq->bind_mask)) < 0) {
		fail(res, NULL, strerror(errno));
		return;
	}
	add_fd(res, fd);
}

/* The Unix socket of display d, where the target has /tmp/.X11-unix. */
static int
x11_unix(unsigned int d, struct sockwork_res *res)
{
	struct stat st;
	char path[sizeof(res->path)];
	int fd;

	if (lstat(X11_UNIX_DIR, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	snprintf(path, sizeof(path), X11_UNIX_DIR "/X%u", d);
	if (lstat(path, &st) == 0)
		return -1;		/* a display of someone else */
	if ((fd = listen_unix_path(path, 0)) < 0)
		return 0;		/* TCP alone will do */
	add_fd(res, fd);
	snprintf(res->path, sizeof(res->path), "%s", path);
	return 0;
}

static void
listen_x11(const struct sockwork_req *rq, struct sockwork_res *res)
{
	unsigned int d, port;

	for (d = rq->x11_offset; d < rq->x11_offset + rq->x11_max; d++) {
		port = X11_BASE_PORT + d;
		if (port > 65535)
			break;
		if (listen_tcp_addrs(rq->x11_localhost ? "localhost" : NULL,
		    &port, res) != 0)
			continue;
		if (x11_unix(d, res) != 0) {
			while (res->nfds > 0)
				close(res->fds[--res->nfds]);
			continue;
		}
		res->port = d;
		return;
	}
	fail(res, NULL, "no free X11 display");
}

/* "/tmp/ssh-" and ten random letters, as sshd names it. */
static char *
agent_mkdtemp(char *dir)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[4];
	size_t i;

	if (getentropy(r, sizeof(r)) != 0)
		return NULL;
	for (i = 0; i < sizeof(r); i++)
		dir[9 + i] = set[r[i] % (sizeof(set) - 1)];
	return mkdtemp(dir);	/* the last six */
}

static void
listen_agent(struct sockwork_res *res)
{
	char dir[] = "/tmp/ssh-XXXXXXXXXX";
	int fd;

	if (agent_mkdtemp(dir) == NULL) {
		fail(res, "agent directory", strerror(errno));
		return;
	}
	snprintf(res->path, sizeof(res->path), "%s/agent.%ld", dir,
	    (long)getppid());
	if ((fd = listen_unix_path(res->path, 0177)) < 0) {
		fail(res, "agent socket", strerror(errno));
		(void)rmdir(dir);
		res->path[0] = '\0';
		return;
	}
	add_fd(res, fd);
}

static void
remove_socket(const struct sockwork_req *rq)
{
	struct stat st;
	char *dir, *slash;

	if (rq->path == NULL || lstat(rq->path, &st) != 0 ||
	    !S_ISSOCK(st.st_mode) || unlink(rq->path) != 0 ||
	    !rq->remove_dir || (dir = strdup(rq->path)) == NULL)
		return;
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		(void)rmdir(dir);
	}
	free(dir);
}

void
sockops_run(const struct sockwork_req *rq, struct sockwork_res *res)
{
	switch (rq->op) {
	case SW_CONNECT_TCP:
		connect_tcp(rq, res);
		break;
	case SW_CONNECT_UNIX:
		connect_unix(rq, res);
		break;
	case SW_LISTEN_TCP:
		listen_tcp(rq, res);
		break;
	case SW_LISTEN_UNIX:
		listen_unix(rq, res);
		break;
	case SW_LISTEN_X11:
		listen_x11(rq, res);
		break;
	case SW_LISTEN_AGENT:
		listen_agent(res);
		break;
	case SW_REMOVE:
		remove_socket(rq);
		break;
	}
}
