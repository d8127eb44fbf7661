/*
 * mon_forward.c - the monitor's forwarding handlers: direct-tcpip and
 * direct-streamlocal connects (answered later, asynchronously, with
 * MON_OPEN_NOTE), tcpip-forward and streamlocal-forward listeners, X11
 * displays and the agent socket.  Policy is decided here (fwd_policy.c);
 * every socket is made by a socket worker inside the target as the user
 * (session/sockwork.c).
 */
#include "autoconf.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "monitor/fwd_policy.h"
#include "monitor/monitor.h"
#include "monitor/target_resolve.h"
#include "proto/ssh2.h"
#include "session/sockwork.h"

#define X11_MAX_DISPLAYS	1000

/* Where forwarding happens: ContainerTarget, resolved now. */
static int
fwd_target(struct monitor *m, struct target *t, char *err, size_t errlen)
{
	char why[512];

	if (target_resolve(m->cfg, m->user, m->pw.home, t, why,
	    sizeof(why)) == 0)
		return 0;
	error("Cannot forward for %s from %s port %d: %s", m->user,
	    m->peer_addr, m->peer_port, why);
	snprintf(err, errlen, "%s", why);
	return -1;
}

static void
req_init(struct monitor *m, struct sockwork_req *rq, enum sockwork_op op,
    const struct target *t)
{
	memset(rq, 0, sizeof(*rq));
	rq->op = op;
	rq->user = &m->pw;
	rq->target = t;
	rq->log_to_stderr = m->log_stderr;
}

static void
listen_reply(struct monitor *m, int ok, uint32_t port, const char *s,
    struct sockwork_res *res)
{
	struct mon_msg rep;
	int i;

	mon_init(&rep, MON_LISTEN_REP);
	rep.u[0] = ok;
	rep.u[1] = port;
	mon_set_cstr(&rep, 0, s);
	mon_reply(m, &rep, ok && res ? res->fds : NULL, ok && res ?
	    res->nfds : 0);
	for (i = 0; res != NULL && i < res->nfds; i++)
		close(res->fds[i]);
	if (res != NULL)
		res->nfds = 0;
}

/* ---- direct-tcpip, direct-streamlocal ------------------------------ */

static int
connect_permitted(struct monitor *m, uint32_t kind, const char *host,
    uint32_t port, const char *orig, uint32_t oport)
{
	const struct authkey_opts *k = &m->key_opts;

	if (kind == MON_FWD_UNIX) {
		if (!fwd_streamlocal_allowed(m->cfg, k, FWD_DIR_LOCAL)) {
			logit("refused streamlocal port forward: originator %s "
			    "port %u, target %s", orig, oport, host);
			return 0;
		}
		/* As sshd: a path is open only while TCP forwarding is. */
		if (fwd_tcp_allowed(m->cfg, k, FWD_DIR_LOCAL))
			return 1;
		logit("Received request to connect to path %.100s, but the "
		    "request was denied.", host);
		return 0;
	}
	if (!fwd_tcp_allowed(m->cfg, k, FWD_DIR_LOCAL)) {
		logit("refused local port forward: originator %s port %u, "
		    "target %s port %u", orig, oport, host, port);
		return 0;
	}
	if (fwd_open_permitted(m->cfg, k, host, port))
		return 1;
	logit("Received request from %.100s port %d to connect to host "
	    "%.100s port %u, but the request was denied.", m->peer_addr,
	    m->peer_port, host, port);
	return 0;
}

static struct mon_pending *
pending_slot(struct monitor *m)
{
	int i;

	for (i = 0; i < NSSHD_MAX_CHANNELS; i++)
		if (!m->pending[i].used)
			return &m->pending[i];
	return NULL;
}

void
mon_h_connect(struct monitor *m, const struct mon_msg *req)
{
	char *host = mon_dup_cstr(req, 0), *orig = mon_dup_cstr(req, 1);
	char err[512];
	struct sockwork_req rq;
	struct mon_pending *p;
	struct target t;

	if (host == NULL || orig == NULL || req->u[1] > MON_FWD_UNIX ||
	    req->u[0] >= NSSHD_MAX_CHANNELS)
		mon_fatal(m, "bad connect request");
	debug("%s forward to %s port %u from %s port %u",
	    req->u[1] == MON_FWD_UNIX ? "streamlocal" : "tcp", host,
	    req->u[2], orig, req->u[3]);
	if (!connect_permitted(m, req->u[1], host, req->u[2], orig,
	    req->u[3]))
		mon_reply_status(m, 0, "");
	else if (fwd_target(m, &t, err, sizeof(err)) != 0)
		mon_reply_status(m, 0, err);
	else if ((p = pending_slot(m)) == NULL)
		mon_reply_status(m, 0, "too many connects in progress");
	else {
		req_init(m, &rq, req->u[1] == MON_FWD_UNIX ? SW_CONNECT_UNIX :
		    SW_CONNECT_TCP, &t);
		rq.host = host;
		rq.path = host;
		rq.port = req->u[2];
		if (sockwork_start(&rq, &p->pid, &p->sock) != 0)
			mon_reply_status(m, 0, strerror(errno));
		else {
			p->used = 1;
			p->chan = req->u[0];
			mon_reply_status(m, 1, "");
		}
	}
	free(host);
	free(orig);
}

int
mon_pending_fill(struct monitor *m, struct pollfd *pfd, int max,
    int *idx)
{
	int i, n = 0;

	for (i = 0; i < NSSHD_MAX_CHANNELS && n < max; i++) {
		if (!m->pending[i].used)
			continue;
		pfd[n].fd = m->pending[i].sock;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		idx[n++] = i;
	}
	return n;
}

/* A connect worker answered (or died): tell the transport. */
void
mon_pending_done(struct monitor *m, int i)
{
	struct mon_pending *p = &m->pending[i];
	struct sockwork_res res;
	struct mon_msg note;
	int k;

	sockwork_answer(p->sock, 0, &res);
	close(p->sock);
	if (res.result != 0)
		debug("connect for channel %u failed: %s", p->chan, res.msg);
	mon_init(&note, MON_OPEN_NOTE);
	note.u[0] = p->chan;
	note.u[1] = res.result;
	mon_set_cstr(&note, 0, res.msg);
	mon_reply(m, &note, res.fds, res.result == 0 ? res.nfds : 0);
	for (k = 0; k < res.nfds; k++)
		close(res.fds[k]);
	memset(p, 0, sizeof(*p));
}

/* ---- tcpip-forward, streamlocal-forward ---------------------------- */

static int
listen_permitted(struct monitor *m, uint32_t kind, const char *addr,
    uint32_t port, unsigned int uid)
{
	const struct authkey_opts *k = &m->key_opts;

	if (kind == MON_FWD_UNIX) {
		if (!fwd_streamlocal_allowed(m->cfg, k, FWD_DIR_REMOTE)) {
			debug("streamlocal-forward refused: disabled");
			return 0;
		}
		/* As sshd: a path is open only while TCP forwarding is. */
		if (fwd_tcp_allowed(m->cfg, k, FWD_DIR_REMOTE))
			return 1;
		logit("Received request from %.100s port %d to remote "
		    "forward to path \"%.100s\", but the request was denied.",
		    m->peer_addr, m->peer_port, addr);
		return 0;
	}
	if (!fwd_tcp_allowed(m->cfg, k, FWD_DIR_REMOTE)) {
		debug("tcpip-forward refused: port forwarding disabled");
		return 0;
	}
	if (fwd_listen_permitted(m->cfg, k, addr, port, uid))
		return 1;
	logit("Received request from %.100s port %d to remote forward to "
	    "host %.100s port %u, but the request was denied.",
	    m->peer_addr, m->peer_port, addr, port);
	return 0;
}

void
mon_h_listen(struct monitor *m, const struct mon_msg *req)
{
	char *addr = mon_dup_cstr(req, 0), bind_addr[256] = "", err[512];
	struct sockwork_req rq;
	struct sockwork_res res;
	struct target t;
	uint32_t kind = req->u[0];

	if (addr == NULL || kind > MON_FWD_UNIX || req->u[1] > 65535)
		mon_fatal(m, "bad listen request");
	if (fwd_target(m, &t, err, sizeof(err)) != 0 ||
	    !listen_permitted(m, kind, addr, req->u[1],
	    t.is_container ? 0 : (unsigned int)m->pw.uid) ||
	    (kind == MON_FWD_TCP && fwd_bind_address(m->cfg, addr,
	    bind_addr, sizeof(bind_addr)) != 0)) {
		listen_reply(m, 0, 0, "refused", NULL);
		free(addr);
		return;
	}
	req_init(m, &rq, kind == MON_FWD_UNIX ? SW_LISTEN_UNIX :
	    SW_LISTEN_TCP, &t);
	rq.host = bind_addr;
	rq.path = addr;
	rq.port = req->u[1];
	rq.bind_mask = (unsigned int)m->cfg->streamlocal_bind_mask;
	rq.bind_unlink = m->cfg->streamlocal_bind_unlink;
	sockwork_run(&rq, &res);
	if (res.result != 0)
		verbose("%s forward listen on %s port %u failed: %s",
		    kind == MON_FWD_UNIX ? "streamlocal" : "tcpip", addr,
		    req->u[1], res.msg);
	listen_reply(m, res.result == 0, res.port, res.msg, &res);
	free(addr);
}

/* ---- X11 and agent ------------------------------------------------- */

/* sshd's check of x11-req data: printable, no spaces or quotes. */
static int
x11_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f || s[i] == '\'' ||
		    s[i] == '"' || s[i] == '\\')
			return 0;
	return i > 0;
}

void
mon_h_x11(struct monitor *m, const struct mon_msg *req)
{
	struct mon_session *s = mon_sess_get(m, req->u[0]);
	char *proto = mon_dup_cstr(req, 0), *cookie = mon_dup_cstr(req, 1);
	char err[512];
	struct sockwork_req rq;
	struct sockwork_res res;

	if (proto == NULL || cookie == NULL || !x11_valid(proto) ||
	    !x11_valid(cookie)) {
		error("Invalid X11 forwarding data");
		goto refuse;
	}
	if (s->started || s->x11_on ||
	    !fwd_x11_allowed(m->cfg, &m->key_opts)) {
		debug("X11 forwarding refused for session %u", s->chan);
		goto refuse;
	}
	if (fwd_target(m, &s->x11_target, err, sizeof(err)) != 0)
		goto refuse;
	req_init(m, &rq, SW_LISTEN_X11, &s->x11_target);
	rq.x11_offset = (unsigned int)m->cfg->x11_display_offset;
	rq.x11_max = X11_MAX_DISPLAYS;
	rq.x11_localhost = m->cfg->x11_use_localhost;
	sockwork_run(&rq, &res);
	if (res.result != 0) {
		error("Failed to allocate internet-domain X11 display socket: "
		    "%s", res.msg);
		goto refuse;
	}
	s->x11_on = 1;
	s->x11_display = res.port;
	s->x11_screen = req->u[2];
	s->x11_proto = proto;
	s->x11_cookie = cookie;
	snprintf(s->x11_unix, sizeof(s->x11_unix), "%s", res.path);
	listen_reply(m, 1, res.port, "", &res);
	return;
refuse:
	free(proto);
	free(cookie);
	listen_reply(m, 0, 0, "refused", NULL);
}

void
mon_h_agent(struct monitor *m, const struct mon_msg *req)
{
	struct mon_session *s = mon_sess_get(m, req->u[0]);
	char err[512];
	struct sockwork_req rq;
	struct sockwork_res res;

	if (s->started || m->agent_path[0] != '\0' ||
	    !fwd_agent_allowed(m->cfg, &m->key_opts) ||
	    fwd_target(m, &m->agent_target, err, sizeof(err)) != 0) {
		debug("agent forwarding refused for session %u", s->chan);
		listen_reply(m, 0, 0, "refused", NULL);
		return;
	}
	req_init(m, &rq, SW_LISTEN_AGENT, &m->agent_target);
	sockwork_run(&rq, &res);
	if (res.result != 0) {
		error("agent forwarding for %s: %s", m->user, res.msg);
		listen_reply(m, 0, 0, res.msg, NULL);
		return;
	}
	snprintf(m->agent_path, sizeof(m->agent_path), "%s", res.path);
	listen_reply(m, 1, 0, res.path, &res);
}

/* Remove a socket made for X11 or the agent; nobody waits for it. */
void
mon_fwd_remove(struct monitor *m, const struct target *t, const char *path,
    int remove_dir)
{
	struct sockwork_req rq;
	pid_t pid;
	int sock;

	if (path == NULL || path[0] == '\0')
		return;
	req_init(m, &rq, SW_REMOVE, t);
	rq.path = path;
	rq.remove_dir = remove_dir;
	if (sockwork_start(&rq, &pid, &sock) == 0)
		close(sock);
}

void
mon_forward_cleanup(struct monitor *m)
{
	int i;

	for (i = 0; i < NSSHD_MAX_CHANNELS; i++)
		if (m->pending[i].used) {
			(void)kill(m->pending[i].pid, SIGTERM);
			close(m->pending[i].sock);
			m->pending[i].used = 0;
		}
	mon_fwd_remove(m, &m->agent_target, m->agent_path, 1);
	m->agent_path[0] = '\0';
}
