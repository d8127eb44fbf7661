/*
 * chan_msgs.c - the connection protocol's incoming messages: global
 * requests, channel open, channel requests (pty-req, env, shell, exec,
 * subsystem, window-change, signal), data, EOF, close and window adjust.
 * Everything that needs a decision or a descriptor goes to the monitor.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "proto/connmsg.h"
#include "proto/ssh2.h"
#include "transport/transport.h"

static struct channel *
lookup(struct conn *c, struct buf *m)
{
	uint32_t id;

	if (buf_get_u32(m, &id) != 0)
		conn_fatal(c, "truncated channel message");
	if (id >= NSSHD_MAX_CHANNELS || !c->chans[id].used ||
	    c->chans[id].opening)
		conn_fatal(c, "message for unknown channel %u", id);
	return &c->chans[id];
}

static void
reply_put(struct conn *c, int r)
{
	if (r != 0)
		conn_fatal(c, "out of memory: %s", err_str(r));
}

static void
open_failure(struct conn *c, uint32_t peer, uint32_t code, const char *why)
{
	buf_reset(&c->reply);
	reply_put(c, buf_put_u8(&c->reply, SSH2_MSG_CHANNEL_OPEN_FAILURE));
	reply_put(c, buf_put_u32(&c->reply, peer));
	reply_put(c, buf_put_u32(&c->reply, code));
	reply_put(c, buf_put_cstring(&c->reply, why));
	reply_put(c, buf_put_cstring(&c->reply, ""));
	conn_send(c, &c->reply);
}

static int
count_sessions(const struct conn *c)
{
	int i, n = 0;

	for (i = 0; i < NSSHD_MAX_CHANNELS; i++)
		n += c->chans[i].used && c->chans[i].kind == CHAN_SESSION;
	return n;
}

static void
channel_open(struct conn *c, struct buf *m)
{
	struct chan_open_msg o;
	struct channel *ch;
	struct mon_msg req, rep;
	int nfds;

	if (msg_parse_chan_open(buf_ptr(m), buf_len(m), &o) != 0)
		conn_fatal(c, "bad CHANNEL_OPEN");
	debug("channel open %.*s from peer channel %u",
	    (int)(o.type.n > 64 ? 64 : o.type.n), (const char *)o.type.p,
	    o.peer);
	if (sview_eq(&o.type, "direct-tcpip") ||
	    sview_eq(&o.type, "direct-streamlocal@openssh.com")) {
		fwd_open_direct(c, &o, sview_eq(&o.type, "direct-tcpip") == 0);
		return;
	}
	if (!sview_eq(&o.type, "session")) {
		open_failure(c, o.peer, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED,
		    "open failed");
		return;
	}
	if (c->no_more_sessions && c->sessions_opened > 0)
		conn_disconnect(c, SSH2_DISCONNECT_BY_APPLICATION,
		    "session opened after no-more-sessions");
	if ((uint32_t)count_sessions(c) >= c->max_sessions ||
	    o.maxpkt == 0 || (ch = chan_alloc(c)) == NULL) {
		open_failure(c, o.peer, SSH2_OPEN_RESOURCE_SHORTAGE,
		    "no more sessions");
		return;
	}
	ch->peer_id = o.peer;
	ch->peer_window = o.window;
	ch->peer_maxpkt = o.maxpkt;
	mon_init(&req, MON_SESSION_REQ);
	req.u[0] = ch->id;
	mon_call(c, &req, MON_STATUS_REP, &rep, NULL, &nfds);
	if (rep.u[0] != 1) {
		chan_discard(c, ch);
		open_failure(c, o.peer, SSH2_OPEN_ADMINISTRATIVELY_PROHIBITED,
		    "open failed");
		return;
	}
	c->sessions_opened++;
	buf_reset(&c->reply);
	reply_put(c, buf_put_u8(&c->reply,
	    SSH2_MSG_CHANNEL_OPEN_CONFIRMATION));
	reply_put(c, buf_put_u32(&c->reply, o.peer));
	reply_put(c, buf_put_u32(&c->reply, ch->id));
	reply_put(c, buf_put_u32(&c->reply, ch->local_window));
	reply_put(c, buf_put_u32(&c->reply, NSSHD_CHAN_MAXPKT));
	conn_send(c, &c->reply);
}

/* Send a message the client shows on stderr. */
static void
chan_stderr(struct conn *c, struct channel *ch, const struct sview *s)
{
	size_t n = s->n > 1000 ? 1000 : s->n;

	if (n == 0 || n + 9 > ch->peer_window)
		return;
	buf_reset(&c->reply);
	reply_put(c, buf_put_u8(&c->reply, SSH2_MSG_CHANNEL_EXTENDED_DATA));
	reply_put(c, buf_put_u32(&c->reply, ch->peer_id));
	reply_put(c, buf_put_u32(&c->reply, SSH2_EXTENDED_DATA_STDERR));
	reply_put(c, buf_put_u32(&c->reply, (uint32_t)n + 2));
	reply_put(c, buf_put(&c->reply, s->p, n));
	reply_put(c, buf_put(&c->reply, "\r\n", 2));
	ch->peer_window -= (uint32_t)n + 2;
	conn_send(c, &c->reply);
}

static int
req_exec(struct conn *c, struct channel *ch, const struct chan_req_msg *r)
{
	struct mon_msg req, rep;
	int fds[MON_MAX_FDS], nfds;

	if (ch->started)
		return 0;
	mon_init(&req, MON_EXEC_REQ);
	req.u[0] = ch->id;
	req.u[1] = r->kind == CREQ_SHELL ? MON_EXEC_SHELL :
	    r->kind == CREQ_EXEC ? MON_EXEC_COMMAND : MON_EXEC_SUBSYSTEM;
	mon_set_str(&req, 0, r->s1.p, r->s1.n);
	mon_call(c, &req, MON_EXEC_REP, &rep, fds, &nfds);
	if (rep.u[0] != MON_EXEC_STARTED || nfds != (rep.u[1] ? 1 : 3)) {
		while (nfds > 0)
			close(fds[--nfds]);
		if (rep.u[0] != MON_EXEC_ERROR)
			return 0;
		/* Tell the client why, then end like a command exiting 1. */
		chan_stderr(c, ch, &rep.s[0]);
		ch->started = ch->exited = 1;
		ch->exit_status = 1;
		return 1;
	}
	ch->is_pty = rep.u[1] != 0;
	ch->fd_in = fds[0];
	ch->fd_out = ch->is_pty ? fds[0] : fds[1];
	ch->fd_err = ch->is_pty ? -1 : fds[2];
	ch->started = 1;
	return 1;
}

/* The monitor decides every other request of a session channel. */
static int
req_monitor(struct conn *c, struct channel *ch, const struct chan_req_msg *r)
{
	struct mon_msg req, rep;
	int nfds;

	switch (r->kind) {
	case CREQ_PTY:
		if (ch->started)
			return 0;
		mon_init(&req, MON_PTY_REQ);
		mon_set_str(&req, 0, r->s1.p, r->s1.n);
		mon_set_str(&req, 1, r->s2.p, r->s2.n);
		break;
	case CREQ_ENV:
		mon_init(&req, MON_ENV_REQ);
		mon_set_str(&req, 0, r->s1.p, r->s1.n);
		mon_set_str(&req, 1, r->s2.p, r->s2.n);
		break;
	case CREQ_WINCH:
		mon_init(&req, MON_WINCH_REQ);
		break;
	case CREQ_SIGNAL:
		mon_init(&req, MON_SIGNAL_REQ);
		mon_set_str(&req, 0, r->s1.p, r->s1.n);
		break;
	default:
		return 0;
	}
	req.u[0] = ch->id;
	if (r->kind == CREQ_PTY || r->kind == CREQ_WINCH) {
		req.u[1] = r->cols;
		req.u[2] = r->rows;
		req.u[3] = r->xpix;
		req.u[4] = r->ypix;
	}
	mon_call(c, &req, MON_STATUS_REP, &rep, NULL, &nfds);
	return rep.u[0] == 1;
}

static void
channel_request(struct conn *c, struct buf *m)
{
	struct chan_req_msg r;
	struct channel *ch;
	int ok;

	if (msg_parse_chan_request(buf_ptr(m), buf_len(m), &r) != 0)
		conn_fatal(c, "bad CHANNEL_REQUEST");
	if (r.id >= NSSHD_MAX_CHANNELS || !c->chans[r.id].used ||
	    c->chans[r.id].opening)
		conn_fatal(c, "request for unknown channel %u", r.id);
	ch = &c->chans[r.id];
	debug("channel %u: request %.*s", ch->id,
	    (int)(r.type.n > 64 ? 64 : r.type.n), (const char *)r.type.p);
	if (ch->close_sent || ch->kind != CHAN_SESSION)
		ok = 0;
	else if (r.kind == CREQ_X11)
		ok = fwd_req_x11(c, ch, &r);
	else if (r.kind == CREQ_AGENT)
		ok = fwd_req_agent(c, ch);
	else if (r.kind == CREQ_SHELL || r.kind == CREQ_EXEC ||
	    r.kind == CREQ_SUBSYSTEM)
		ok = req_exec(c, ch, &r);
	else
		ok = req_monitor(c, ch, &r);
	if (r.want_reply && !ch->close_sent) {
		buf_reset(&c->reply);
		reply_put(c, buf_put_u8(&c->reply, ok ?
		    SSH2_MSG_CHANNEL_SUCCESS : SSH2_MSG_CHANNEL_FAILURE));
		reply_put(c, buf_put_u32(&c->reply, ch->peer_id));
		conn_send(c, &c->reply);
	}
	chan_after_event(c, ch);	/* a session that could not start */
}

static void
channel_data(struct conn *c, struct buf *m, int extended)
{
	struct channel *ch = lookup(c, m);
	const unsigned char *d;
	size_t n;
	uint32_t code;

	if ((extended && buf_get_u32(m, &code) != 0) ||
	    buf_get_sview(m, &d, &n) != 0 || buf_len(m) != 0)
		conn_fatal(c, "bad CHANNEL_DATA");
	if (n > ch->local_window)
		conn_fatal(c, "channel %u: window exceeded", ch->id);
	ch->local_window -= (uint32_t)n;
	if (extended || ch->fd_in < 0 || ch->eof_rcvd) {
		ch->local_consumed += (uint32_t)n;	/* discarded */
		return;
	}
	if (buf_put(&ch->to_fd, d, n) != 0)
		conn_fatal(c, "channel %u: buffer full", ch->id);
}

static void
channel_window(struct conn *c, struct buf *m)
{
	struct channel *ch = lookup(c, m);
	uint32_t add;

	if (buf_get_u32(m, &add) != 0)
		conn_fatal(c, "bad WINDOW_ADJUST");
	if ((uint64_t)ch->peer_window + add > 0xffffffffu)
		ch->peer_window = 0xffffffffu;
	else
		ch->peer_window += add;
}

void
chan_dispatch(struct conn *c, uint8_t type, struct buf *m)
{
	struct channel *ch;

	switch (type) {
	case SSH2_MSG_GLOBAL_REQUEST:
		fwd_global_request(c, m);
		return;
	case SSH2_MSG_CHANNEL_OPEN_CONFIRMATION:
	case SSH2_MSG_CHANNEL_OPEN_FAILURE:
		fwd_open_reply(c, type, m);
		return;
	case SSH2_MSG_CHANNEL_OPEN:
		channel_open(c, m);
		return;
	case SSH2_MSG_CHANNEL_REQUEST:
		channel_request(c, m);
		return;
	case SSH2_MSG_CHANNEL_DATA:
	case SSH2_MSG_CHANNEL_EXTENDED_DATA:
		channel_data(c, m, type == SSH2_MSG_CHANNEL_EXTENDED_DATA);
		return;
	case SSH2_MSG_CHANNEL_WINDOW_ADJUST:
		channel_window(c, m);
		return;
	case SSH2_MSG_CHANNEL_EOF:
		ch = lookup(c, m);
		ch->eof_rcvd = 1;
		break;
	case SSH2_MSG_CHANNEL_CLOSE:
		ch = lookup(c, m);
		ch->close_rcvd = 1;
		break;
	case SSH2_MSG_CHANNEL_SUCCESS:
	case SSH2_MSG_CHANNEL_FAILURE:
		(void)lookup(c, m);
		return;
	case SSH2_MSG_REQUEST_SUCCESS:
	case SSH2_MSG_REQUEST_FAILURE:
		return;
	default:
		conn_fatal(c, "unexpected connection message %u", type);
	}
	chan_after_event(c, ch);
}
