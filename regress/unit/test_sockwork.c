/*
 * test_sockwork.c - socket workers on the host, as the unprivileged user
 * "nobody" (the test runs as root, as ./check does): listen and connect
 * over TCP and Unix sockets, failures with the reason the client is sent,
 * the agent socket and its removal, an X11 display.
 */
#include "autoconf.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proto/ssh2.h"
#include "regress/unit/unittest.h"
#include "session/sockwork.h"

static struct user_info nobody;

static int
have_nobody(void)
{
	if (geteuid() != 0) {
		printf("# sockwork: not root, skipped\n");
		return 0;
	}
	if (nobody.name == NULL && user_lookup_host("nobody", &nobody) != 0)
		return 0;
	return 1;
}

static void
req(struct sockwork_req *rq, enum sockwork_op op)
{
	memset(rq, 0, sizeof(*rq));
	rq->op = op;
	rq->user = &nobody;
}

static void
res_close(struct sockwork_res *res)
{
	int i;

	for (i = 0; i < res->nfds; i++)
		close(res->fds[i]);
	res->nfds = 0;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static uid_t
sock_owner_uid(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_uid : (uid_t)-1;
}

static void
t_tcp_listen_connect(void)
{
	struct sockwork_req rq;
	struct sockwork_res l, c, bad;

	if (!have_nobody())
		return;
	req(&rq, SW_LISTEN_TCP);
	rq.host = "localhost";
	sockwork_run(&rq, &l);
	if (!CHECK_EQ(l.result, 0u) || !CHECK(l.nfds >= 1))
		return;
	CHECK(l.port > 0 && l.port < 65536);
	CHECK_EQ(sock_owner_uid(l.fds[0]), nobody.uid);
	req(&rq, SW_CONNECT_TCP);
	rq.host = "127.0.0.1";
	rq.port = l.port;
	sockwork_run(&rq, &c);
	CHECK_EQ(c.result, 0u);
	CHECK_EQ(c.nfds, 1);
	res_close(&c);
	res_close(&l);
	/* Nobody listens there now. */
	sockwork_run(&rq, &bad);
	CHECK_EQ(bad.result, (unsigned int)SSH2_OPEN_CONNECT_FAILED);
	CHECK_EQ(bad.nfds, 0);
	CHECK(strcmp(bad.msg, strerror(ECONNREFUSED)) == 0);
	res_close(&bad);
}

static void
t_tcp_bad_name(void)
{
	struct sockwork_req rq;
	struct sockwork_res r;

	if (!have_nobody())
		return;
	req(&rq, SW_CONNECT_TCP);
	rq.host = "no-such-host.invalid";
	rq.port = 80;
	sockwork_run(&rq, &r);
	CHECK_EQ(r.result, (unsigned int)SSH2_OPEN_CONNECT_FAILED);
	CHECK(r.msg[0] != '\0');
	res_close(&r);
}

static void
t_unix(void)
{
	char dir[] = "/tmp/ut-sockwork-XXXXXX", path[128];
	struct sockwork_req rq;
	struct sockwork_res l, c, again;
	struct stat st;

	if (!have_nobody() || !CHECK(mkdtemp(dir) != NULL))
		return;
	CHECK_EQ(chmod(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/s", dir);
	req(&rq, SW_LISTEN_UNIX);
	rq.path = path;
	rq.bind_mask = 0177;
	sockwork_run(&rq, &l);
	if (!CHECK_EQ(l.result, 0u))
		return;
	CHECK(lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_uid == nobody.uid && (st.st_mode & 0777) == 0600);
	req(&rq, SW_CONNECT_UNIX);
	rq.path = path;
	sockwork_run(&rq, &c);
	CHECK_EQ(c.result, 0u);
	res_close(&c);
	res_close(&l);
	/* The stale socket: refused, then replaced with bind_unlink. */
	req(&rq, SW_LISTEN_UNIX);
	rq.path = path;
	sockwork_run(&rq, &again);
	CHECK_EQ(again.result, (unsigned int)SSH2_OPEN_CONNECT_FAILED);
	res_close(&again);
	rq.bind_unlink = 1;
	sockwork_run(&rq, &again);
	CHECK_EQ(again.result, 0u);
	res_close(&again);
	unlink(path);
	rmdir(dir);
}

static void
t_agent_and_remove(void)
{
	struct sockwork_req rq;
	struct sockwork_res a, r;
	struct stat st;
	char dir[128], *slash;
	int i;

	if (!have_nobody())
		return;
	req(&rq, SW_LISTEN_AGENT);
	sockwork_run(&rq, &a);
	if (!CHECK_EQ(a.result, 0u))
		return;
	CHECK(strncmp(a.path, "/tmp/ssh-", 9) == 0);
	snprintf(dir, sizeof(dir), "%s", a.path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	CHECK(lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_uid == nobody.uid && (st.st_mode & 0777) == 0700);
	res_close(&a);
	req(&rq, SW_REMOVE);
	rq.path = a.path;
	rq.remove_dir = 1;
	sockwork_run(&rq, &r);
	res_close(&r);
	for (i = 0; i < 100 && lstat(dir, &st) == 0; i++)
		usleep(10000);
	CHECK(lstat(a.path, &st) != 0 && lstat(dir, &st) != 0);
}

static void
t_x11_display(void)
{
	struct sockwork_req rq;
	struct sockwork_res x, y;

	if (!have_nobody())
		return;
	req(&rq, SW_LISTEN_X11);
	rq.x11_offset = 40;
	rq.x11_max = 50;
	rq.x11_localhost = 1;
	sockwork_run(&rq, &x);
	if (!CHECK_EQ(x.result, 0u))
		return;
	CHECK(x.port >= 40 && x.port < 90);
	/* The next one skips the display in use. */
	sockwork_run(&rq, &y);
	CHECK_EQ(y.result, 0u);
	CHECK(y.port > x.port);
	if (y.path[0] != '\0')
		unlink(y.path);
	if (x.path[0] != '\0')
		unlink(x.path);
	res_close(&y);
	res_close(&x);
}

const struct ut_case sockwork_cases[] = {
	{ "tcp_listen_connect", t_tcp_listen_connect },
	{ "tcp_bad_name", t_tcp_bad_name },
	{ "unix", t_unix },
	{ "agent_and_remove", t_agent_and_remove },
	{ "x11_display", t_x11_display },
	{ NULL, NULL },
};
