/*
 * forward.c - forwarding in the transport: direct-tcpip and
 * direct-streamlocal channels (the monitor's worker connects; its answer
 * comes later as a note, so a slow connect holds up nothing), the global
 * requests tcpip-forward / streamlocal-forward and their cancels, X11 and
 * agent requests, and the listeners: a connection accepted on one becomes
 * a channel we open to the client (forwarded-tcpip,
 * forwarded-streamlocal@openssh.com, x11, auth-agent@openssh.com).  The
 * transport never makes a socket: every one comes from the monitor.
 */
#include "autoconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "proto/ssh2.h"
#include "transport/transport.h"

static void
put(struct conn *c, int r)
{
	chan_put_or_die(c, r);
}

static void
send_open_failure(struct conn *c, uint32_t peer, uint32_t code,
    const char *why)
{
	buf_reset(&c->reply);
	put(c, buf_put_u8(&c->reply, SSH2_MSG_CHANNEL_OPEN_FAILURE));
	put(c, buf_put_u32(&c->reply, peer));
	put(c, buf_put_u32(&c->reply, code));
	put(c, buf_put_cstring(&c->reply, why));
	put(c, buf_put_cstring(&c->reply, ""));
	conn_send(c, &c->reply);
}

/* ---- direct-tcpip, direct-streamlocal ------------------------------- */

void
fwd_open_direct(struct conn *c, const struct chan_open_msg *o,
    int unix_socket)
{
	struct chan_open_direct d;
	struct channel *ch;
	struct mon_msg req, rep;
	int nfds, r;

	r = unix_socket ? msg_parse_open_direct_streamlocal(o->rest.p,
	    o->rest.n, &d) : msg_parse_open_direct_tcpip(o->rest.p,
	    o->rest.n, &d);
	if (r != 0)
		conn_fatal(c, "bad %s open", unix_socket ?
		    "direct-streamlocal" : "direct-tcpip");
	if (o->maxpkt == 0 || (ch = chan_alloc(c)) == NULL) {
		send_open_failure(c, o->peer, SSH2_OPEN_RESOURCE_SHORTAGE,
		    "too many channels");
		return;
	}
	ch->kind = CHAN_SOCKET;
	ch->opening = 1;
	ch->peer_id = o->peer;
	ch->peer_window = o->window;
	ch->peer_maxpkt = o->maxpkt;
	mon_init(&req, MON_CONNECT_REQ);
	req.u[0] = ch->id;
	req.u[1] = unix_socket ? MON_FWD_UNIX : MON_FWD_TCP;
	mon_set_str(&req, 0, d.host.p, d.host.n);
	req.u[2] = d.port;
	mon_set_str(&req, 1, d.orig_host.p, d.orig_host.n);
	req.u[3] = d.orig_port;
	mon_call(c, &req, MON_STATUS_REP, &rep, NULL, &nfds);
	if (rep.u[0] == 1)
		return;			/* the answer comes as a note */
	if (rep.s[0].n == 0)	/* refused; sshd's codes for each kind */
		send_open_failure(c, o->peer, unix_socket ?
		    SSH2_OPEN_CONNECT_FAILED :
		    SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED, "open failed");
	else {
		char why[256];
		size_t n = rep.s[0].n < sizeof(why) ? rep.s[0].n :
		    sizeof(why) - 1;

		memcpy(why, rep.s[0].p, n);
		why[n] = '\0';
		send_open_failure(c, o->peer, SSH2_OPEN_CONNECT_FAILED, why);
	}
	chan_discard(c, ch);
}

static void
send_open_confirmation(struct conn *c, struct channel *ch)
{
	buf_reset(&c->reply);
	put(c, buf_put_u8(&c->reply, SSH2_MSG_CHANNEL_OPEN_CONFIRMATION));
	put(c, buf_put_u32(&c->reply, ch->peer_id));
	put(c, buf_put_u32(&c->reply, ch->id));
	put(c, buf_put_u32(&c->reply, ch->local_window));
	put(c, buf_put_u32(&c->reply, NSSHD_CHAN_MAXPKT));
	conn_send(c, &c->reply);
}

/* The monitor's worker connected (fd), or could not (fd -1). */
void
fwd_open_note(struct conn *c, const struct mon_msg *m, int fd)
{
	struct channel *ch;
	char why[256];
	size_t n;

	if (m->u[0] >= NSSHD_MAX_CHANNELS || !c->chans[m->u[0]].used ||
	    !c->chans[m->u[0]].opening || (m->u[1] == 0) != (fd >= 0))
		conn_fatal(c, "bad open note from the monitor");
	ch = &c->chans[m->u[0]];
	if (fd >= 0) {
		ch->fd_in = ch->fd_out = fd;
		ch->opening = 0;
		ch->started = 1;
		send_open_confirmation(c, ch);
		return;
	}
	n = m->s[0].n < sizeof(why) ? m->s[0].n : sizeof(why) - 1;
	memcpy(why, m->s[0].p, n);
	why[n] = '\0';
	send_open_failure(c, ch->peer_id, m->u[1], why);
	chan_discard(c, ch);
}

/* The client's answer to a CHANNEL_OPEN of ours. */
void
fwd_open_reply(struct conn *c, uint8_t type, struct buf *m)
{
	uint32_t id, peer, window, maxpkt;
	struct channel *ch;

	if (buf_get_u32(m, &id) != 0)
		conn_fatal(c, "truncated open reply");
	if (id >= NSSHD_MAX_CHANNELS || !c->chans[id].used ||
	    !c->chans[id].opening || c->chans[id].kind != CHAN_SOCKET ||
	    c->chans[id].fd_out < 0)
		conn_fatal(c, "open reply for channel %u that we did not open",
		    id);
	ch = &c->chans[id];
	if (type == SSH2_MSG_CHANNEL_OPEN_FAILURE) {
		debug("channel %u: the client refused the open", id);
		chan_discard(c, ch);
		return;
	}
	if (buf_get_u32(m, &peer) != 0 || buf_get_u32(m, &window) != 0 ||
	    buf_get_u32(m, &maxpkt) != 0 || maxpkt == 0)
		conn_fatal(c, "bad OPEN_CONFIRMATION");
	ch->peer_id = peer;
	ch->peer_window = window;
	ch->peer_maxpkt = maxpkt;
	ch->opening = 0;
	ch->started = 1;
}

/* ---- listeners ------------------------------------------------------ */

static struct listener *
lst_add(struct conn *c, enum listen_kind kind, int fd, const struct sview *a,
    uint32_t req_port, uint32_t port)
{
	struct listener *l;
	int i;

	for (i = 0; i < NSSHD_MAX_LISTENERS; i++) {
		l = &c->lst[i];
		if (l->used)
			continue;
		memset(l, 0, sizeof(*l));
		if (a != NULL && (l->addr = sview_dup(a)) == NULL)
			conn_fatal(c, "out of memory");
		l->used = 1;
		l->kind = kind;
		l->fd = fd;
		l->req_port = req_port;
		l->port = port;
		return l;
	}
	close(fd);
	return NULL;
}

static void
lst_close(struct listener *l)
{
	close(l->fd);
	free(l->addr);
	memset(l, 0, sizeof(*l));
}

static int
lst_free_slots(const struct conn *c)
{
	int i, n = 0;

	for (i = 0; i < NSSHD_MAX_LISTENERS; i++)
		n += !c->lst[i].used;
	return n;
}

/* Ask the monitor for listening sockets; the number received. */
static int
lst_request(struct conn *c, struct mon_msg *req, struct mon_msg *rep,
    int *fds)
{
	int nfds;

	mon_call(c, req, MON_LISTEN_REP, rep, fds, &nfds);
	if (rep->u[0] != 1 || nfds == 0) {
		while (nfds > 0)
			close(fds[--nfds]);
		return 0;
	}
	return nfds;
}

static int
global_forward(struct conn *c, const struct glob_req_msg *g, uint32_t *port)
{
	struct mon_msg req, rep;
	int fds[MON_MAX_FDS], n, i, unix_socket;

	unix_socket = g->kind == GREQ_STREAMLOCAL_FORWARD;
	/* As sshd: a dynamic port nobody would be told about is refused. */
	if (lst_free_slots(c) < MON_MAX_FDS ||
	    (!unix_socket && g->port == 0 && !g->want_reply))
		return 0;
	mon_init(&req, MON_LISTEN_REQ);
	req.u[0] = unix_socket ? MON_FWD_UNIX : MON_FWD_TCP;
	mon_set_str(&req, 0, g->addr.p, g->addr.n);
	req.u[1] = g->port;
	if ((n = lst_request(c, &req, &rep, fds)) == 0)
		return 0;
	*port = rep.u[1];
	for (i = 0; i < n; i++)
		(void)lst_add(c, unix_socket ? LST_UNIX : LST_TCP, fds[i],
		    &g->addr, g->port, rep.u[1]);
	return 1;
}

static int
global_cancel(struct conn *c, const struct glob_req_msg *g)
{
	enum listen_kind kind = g->kind == GREQ_CANCEL_STREAMLOCAL_FORWARD ?
	    LST_UNIX : LST_TCP;
	struct listener *l;
	int i, found = 0;

	for (i = 0; i < NSSHD_MAX_LISTENERS; i++) {
		l = &c->lst[i];
		if (!l->used || l->kind != kind || !sview_eq(&g->addr,
		    l->addr) || (kind == LST_TCP && g->port != l->req_port &&
		    g->port != l->port))
			continue;
		lst_close(l);
		found = 1;
	}
	return found;
}

void
fwd_global_request(struct conn *c, struct buf *m)
{
	struct glob_req_msg g;
	uint32_t port = 0;
	int ok = 0;

	if (msg_parse_global_request(buf_ptr(m), buf_len(m), &g) != 0)
		conn_fatal(c, "bad GLOBAL_REQUEST");
	debug("global request %.*s", (int)(g.name.n > 64 ? 64 : g.name.n),
	    (const char *)g.name.p);
	switch (g.kind) {
	case GREQ_NO_MORE_SESSIONS:
		c->no_more_sessions = 1;
		break;
	case GREQ_TCPIP_FORWARD:
	case GREQ_STREAMLOCAL_FORWARD:
		ok = global_forward(c, &g, &port);
		break;
	case GREQ_CANCEL_TCPIP_FORWARD:
	case GREQ_CANCEL_STREAMLOCAL_FORWARD:
		ok = global_cancel(c, &g);
		break;
	default:
		break;
	}
	if (!g.want_reply)
		return;
	buf_reset(&c->reply);
	put(c, buf_put_u8(&c->reply, ok ? SSH2_MSG_REQUEST_SUCCESS :
	    SSH2_MSG_REQUEST_FAILURE));
	if (ok && g.kind == GREQ_TCPIP_FORWARD && g.port == 0)
		put(c, buf_put_u32(&c->reply, port));
	conn_send(c, &c->reply);
}

/* ---- X11 and agent requests ----------------------------------------- */

int
fwd_req_x11(struct conn *c, struct channel *ch, const struct chan_req_msg *r)
{
	struct mon_msg req, rep;
	struct listener *l;
	int fds[MON_MAX_FDS], n, i;

	if (ch->kind != CHAN_SESSION || ch->started ||
	    lst_free_slots(c) < MON_MAX_FDS)
		return 0;
	mon_init(&req, MON_X11_REQ);
	req.u[0] = ch->id;
	req.u[1] = (uint32_t)r->single;
	req.u[2] = r->screen;
	mon_set_str(&req, 0, r->s1.p, r->s1.n);
	mon_set_str(&req, 1, r->s2.p, r->s2.n);
	if ((n = lst_request(c, &req, &rep, fds)) == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((l = lst_add(c, LST_X11, fds[i], NULL, 0, 0)) != NULL) {
			l->session = ch->id;
			l->single = r->single;
		}
	return 1;
}

int
fwd_req_agent(struct conn *c, struct channel *ch)
{
	struct mon_msg req, rep;
	int fds[MON_MAX_FDS], n, i;

	if (ch->kind != CHAN_SESSION || ch->started || lst_free_slots(c) < 1)
		return 0;
	mon_init(&req, MON_AGENT_REQ);
	req.u[0] = ch->id;
	if ((n = lst_request(c, &req, &rep, fds)) == 0)
		return 0;
	for (i = 0; i < n; i++)
		(void)lst_add(c, LST_AGENT, fds[i], NULL, 0, 0);
	return 1;
}

void
fwd_session_closed(struct conn *c, uint32_t id)
{
	int i;

	for (i = 0; i < NSSHD_MAX_LISTENERS; i++)
		if (c->lst[i].used && c->lst[i].kind == LST_X11 &&
		    c->lst[i].session == id)
			lst_close(&c->lst[i]);
}

/* ---- accepting ------------------------------------------------------ */

/* The originator's address and port of an accepted TCP connection. */
static void
peer_name(const struct sockaddr_storage *ss, char *addr, size_t len,
    uint32_t *port)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

	*port = 0;
	snprintf(addr, len, "127.0.0.1");
	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &in->sin_addr, addr, (socklen_t)len);
		*port = ntohs(in->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &in6->sin6_addr, addr, (socklen_t)len);
		*port = ntohs(in6->sin6_port);
	}
}

/* CHANNEL_OPEN of ours for a connection accepted on l. */
static void
send_open(struct conn *c, struct channel *ch, const struct listener *l,
    const struct sockaddr_storage *ss)
{
	static const char *const type[] = {
		[LST_TCP] = "forwarded-tcpip",
		[LST_UNIX] = "forwarded-streamlocal@openssh.com",
		[LST_X11] = "x11",
		[LST_AGENT] = "auth-agent@openssh.com",
	};
	char addr[INET6_ADDRSTRLEN + 1];
	uint32_t port;

	peer_name(ss, addr, sizeof(addr), &port);
	buf_reset(&c->reply);
	put(c, buf_put_u8(&c->reply, SSH2_MSG_CHANNEL_OPEN));
	put(c, buf_put_cstring(&c->reply, type[l->kind]));
	put(c, buf_put_u32(&c->reply, ch->id));
	put(c, buf_put_u32(&c->reply, ch->local_window));
	put(c, buf_put_u32(&c->reply, NSSHD_CHAN_MAXPKT));
	if (l->kind == LST_TCP) {
		put(c, buf_put_cstring(&c->reply, l->addr));
		put(c, buf_put_u32(&c->reply, l->port));
	} else if (l->kind == LST_UNIX) {
		put(c, buf_put_cstring(&c->reply, l->addr));
		put(c, buf_put_cstring(&c->reply, ""));
	}
	if (l->kind == LST_TCP || l->kind == LST_X11) {
		put(c, buf_put_cstring(&c->reply, addr));
		put(c, buf_put_u32(&c->reply, port));
	}
	conn_send(c, &c->reply);
}

static void
lst_accept(struct conn *c, struct listener *l)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct channel *ch;
	uint32_t session = l->session;
	int fd, i;

	memset(&ss, 0, sizeof(ss));
	fd = accept4(l->fd, (struct sockaddr *)&ss, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;			/* EAGAIN, or the peer gave up */
	if ((ch = chan_alloc(c)) == NULL) {
		close(fd);
		return;
	}
	ch->kind = CHAN_SOCKET;
	ch->opening = 1;
	ch->fd_in = ch->fd_out = fd;
	send_open(c, ch, l, &ss);
	if (l->kind == LST_X11 && l->single)
		for (i = 0; i < NSSHD_MAX_LISTENERS; i++)
			if (c->lst[i].used && c->lst[i].kind == LST_X11 &&
			    c->lst[i].session == session)
				lst_close(&c->lst[i]);
}

int
fwd_poll_fill(struct conn *c, struct pollfd *pfd, int max, int idx[])
{
	int i, n = 0;

	if (!conn_output_room(c))
		return 0;
	for (i = 0; i < NSSHD_MAX_LISTENERS && n < max; i++) {
		if (!c->lst[i].used)
			continue;
		pfd[n].fd = c->lst[i].fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		idx[n++] = i;
	}
	return n;
}

void
fwd_poll_handle(struct conn *c, struct pollfd *pfd, int n, int idx[])
{
	struct listener *l;
	int i;

	for (i = 0; i < n; i++) {
		l = &c->lst[idx[i]];
		if (l->used && l->fd == pfd[i].fd &&
		    (pfd[i].revents & POLLIN))
			lst_accept(c, l);
	}
}
