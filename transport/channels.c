/*
 * channels.c - the connection protocol (RFC 4254) in the transport:
 * session channels, their requests (each decided by the monitor), flow
 * control windows, and relaying channel data to and from the descriptors
 * the monitor hands over.  A channel closes once its process has exited
 * and its output is drained, or when the client closes it.
 */
#include "autoconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "proto/ssh2.h"
#include "session/session.h"
#include "transport/transport.h"

#define CH_IN	0
#define CH_OUT	1
#define CH_ERR	2

void
chan_put_or_die(struct conn *c, int r)
{
	if (r != 0)
		conn_fatal(c, "out of memory: %s", err_str(r));
}

static void
chan_send_simple(struct conn *c, struct channel *ch, uint8_t type)
{
	buf_reset(&c->reply);
	chan_put_or_die(c, buf_put_u8(&c->reply, type));
	chan_put_or_die(c, buf_put_u32(&c->reply, ch->peer_id));
	conn_send(c, &c->reply);
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void
chan_close_fds(struct channel *ch)
{
	if (ch->fd_in == ch->fd_out)
		ch->fd_in = -1;		/* a pty: one descriptor */
	close_fd(&ch->fd_in);
	close_fd(&ch->fd_out);
	close_fd(&ch->fd_err);
}

struct channel *
chan_alloc(struct conn *c)
{
	struct channel *ch;
	int i;

	for (i = 0; i < NSSHD_MAX_CHANNELS; i++) {
		ch = &c->chans[i];
		if (ch->used)
			continue;
		memset(ch, 0, sizeof(*ch));
		ch->used = 1;
		ch->id = (uint32_t)i;
		ch->fd_in = ch->fd_out = ch->fd_err = -1;
		ch->local_window = NSSHD_CHAN_WINDOW;
		buf_init(&ch->to_fd, NSSHD_CHAN_WINDOW + 1024);
		return ch;
	}
	return NULL;
}

void
chan_discard(struct conn *c, struct channel *ch)
{
	chan_close_fds(ch);
	buf_free(&ch->to_fd);
	memset(ch, 0, sizeof(*ch));
	ch->fd_in = ch->fd_out = ch->fd_err = -1;
}

static void
chan_free(struct conn *c, struct channel *ch)
{
	struct mon_msg req, rep;
	int nfds;

	if (ch->kind == CHAN_SESSION) {
		fwd_session_closed(c, ch->id);
		/* The monitor forgets the session it opened with the
		 * channel. */
		mon_init(&req, MON_CLOSE_REQ);
		req.u[0] = ch->id;
		mon_call(c, &req, MON_STATUS_REP, &rep, NULL, &nfds);
	}
	chan_discard(c, ch);
}

static void
chan_send_exit(struct conn *c, struct channel *ch)
{
	const char *sig;

	buf_reset(&c->reply);
	chan_put_or_die(c, buf_put_u8(&c->reply, SSH2_MSG_CHANNEL_REQUEST));
	chan_put_or_die(c, buf_put_u32(&c->reply, ch->peer_id));
	if (!ch->exit_signaled) {
		chan_put_or_die(c, buf_put_cstring(&c->reply, "exit-status"));
		chan_put_or_die(c, buf_put_bool(&c->reply, 0));
		chan_put_or_die(c, buf_put_u32(&c->reply,
		    (uint32_t)ch->exit_status));
	} else {
		sig = session_signal_name(ch->exit_status);
		chan_put_or_die(c, buf_put_cstring(&c->reply, "exit-signal"));
		chan_put_or_die(c, buf_put_bool(&c->reply, 0));
		chan_put_or_die(c, buf_put_cstring(&c->reply,
		    sig ? sig : "KILL"));
		chan_put_or_die(c, buf_put_bool(&c->reply, ch->exit_core));
		chan_put_or_die(c, buf_put_cstring(&c->reply, ""));
		chan_put_or_die(c, buf_put_cstring(&c->reply, ""));
	}
	conn_send(c, &c->reply);
}

/*
 * A forwarded connection: EOF from the client shuts our writing side once
 * its data is out; EOF from the socket is sent on; the channel closes when
 * both directions are done.  A CLOSE from the client ends reading at once
 * but, as EOF does, lets what it sent before be written out first: with
 * -R the client sends data, EOF and CLOSE back to back.
 */
static void
sock_check_close(struct conn *c, struct channel *ch)
{
	if (ch->close_rcvd) {
		ch->eof_rcvd = 1;
		if (ch->fd_out >= 0 && ch->fd_out != ch->fd_in)
			close(ch->fd_out);
		ch->fd_out = -1;
	}
	if (ch->eof_rcvd && buf_len(&ch->to_fd) == 0 && ch->fd_in >= 0) {
		(void)shutdown(ch->fd_in, SHUT_WR);
		if (ch->fd_in != ch->fd_out)
			close(ch->fd_in);
		ch->fd_in = -1;
	}
	if (ch->fd_out < 0 && !ch->eof_sent && !ch->close_sent &&
	    !ch->close_rcvd) {
		chan_send_simple(c, ch, SSH2_MSG_CHANNEL_EOF);
		ch->eof_sent = 1;
	}
	if (!ch->close_sent && ch->fd_out < 0 && ch->fd_in < 0) {
		chan_send_simple(c, ch, SSH2_MSG_CHANNEL_CLOSE);
		ch->close_sent = 1;
		chan_close_fds(ch);
	}
	if (ch->close_sent && ch->close_rcvd)
		chan_free(c, ch);
}

/*
 * Move a channel towards closing as far as its state allows.  A client
 * that has seen EOF on both directions closes the channel, often before
 * the command's exit has been reaped; then, as sshd does for a session
 * without a pty, our CLOSE waits for the exit so that exit-status still
 * goes out first (ssh, and a ControlMaster's clients, need it).
 */
static void
chan_check_close(struct conn *c, struct channel *ch)
{
	int out_done = ch->fd_out < 0 && ch->fd_err < 0;
	int wait_exit = ch->close_rcvd && ch->started && !ch->exited &&
	    !ch->is_pty;

	if (!ch->used || ch->opening)
		return;
	if (ch->kind == CHAN_SOCKET) {
		sock_check_close(c, ch);
		return;
	}
	if (ch->eof_rcvd && buf_len(&ch->to_fd) == 0 && !ch->is_pty)
		close_fd(&ch->fd_in);
	if (ch->started && out_done && !ch->eof_sent && !ch->close_sent) {
		chan_send_simple(c, ch, SSH2_MSG_CHANNEL_EOF);
		ch->eof_sent = 1;
	}
	if (wait_exit)
		chan_close_fds(ch);	/* nobody reads them any more */
	if (!ch->close_sent && !wait_exit && (ch->close_rcvd ||
	    (ch->started && ch->exited && out_done))) {
		if (ch->exited)
			chan_send_exit(c, ch);
		chan_send_simple(c, ch, SSH2_MSG_CHANNEL_CLOSE);
		ch->close_sent = 1;
		chan_close_fds(ch);
	}
	if (ch->close_sent && ch->close_rcvd)
		chan_free(c, ch);
}

/* Read once from a channel fd and send it as (extended) data. */
static int
chan_read(struct conn *c, struct channel *ch, int which)
{
	int *fd = which == CH_ERR ? &ch->fd_err : &ch->fd_out;
	size_t max = ch->peer_window;
	unsigned char *d;
	ssize_t n;

	if (max > ch->peer_maxpkt)
		max = ch->peer_maxpkt;
	if (max > NSSHD_CHAN_MAXPKT)
		max = NSSHD_CHAN_MAXPKT;
	if (max == 0)
		return 0;
	buf_reset(&c->reply);
	chan_put_or_die(c, buf_put_u8(&c->reply, which == CH_ERR ?
	    SSH2_MSG_CHANNEL_EXTENDED_DATA : SSH2_MSG_CHANNEL_DATA));
	chan_put_or_die(c, buf_put_u32(&c->reply, ch->peer_id));
	if (which == CH_ERR)
		chan_put_or_die(c, buf_put_u32(&c->reply,
		    SSH2_EXTENDED_DATA_STDERR));
	chan_put_or_die(c, buf_reserve(&c->reply, 4 + max, &d));
	n = read(*fd, d + 4, max);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {			/* EOF, or EIO from a pty */
		if (ch->kind == CHAN_SOCKET && *fd == ch->fd_in)
			*fd = -1;	/* still written to */
		else {
			if (ch->is_pty && *fd == ch->fd_in)
				ch->fd_in = -1;
			close_fd(fd);
		}
		return 0;
	}
	buf_set_be32(d, (uint32_t)n);
	buf_consume_end(&c->reply, max - (size_t)n);
	ch->peer_window -= (uint32_t)n;
	conn_send(c, &c->reply);
	return 1;
}

static void
chan_write(struct conn *c, struct channel *ch)
{
	ssize_t n;

	n = write(ch->fd_in, buf_ptr(&ch->to_fd), buf_len(&ch->to_fd));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		/* The reader is gone: drop what is queued. */
		n = (ssize_t)buf_len(&ch->to_fd);
		buf_reset(&ch->to_fd);
		if (ch->kind == CHAN_SOCKET && ch->fd_in == ch->fd_out)
			ch->fd_in = -1;	/* still read from */
		else if (!ch->is_pty)
			close_fd(&ch->fd_in);
	} else
		buf_consume(&ch->to_fd, (size_t)n);
	ch->local_consumed += (uint32_t)n;
	if (ch->local_consumed >= NSSHD_CHAN_WINDOW / 2 && !ch->close_sent &&
	    !ch->close_rcvd) {
		buf_reset(&c->reply);
		chan_put_or_die(c, buf_put_u8(&c->reply,
		    SSH2_MSG_CHANNEL_WINDOW_ADJUST));
		chan_put_or_die(c, buf_put_u32(&c->reply, ch->peer_id));
		chan_put_or_die(c, buf_put_u32(&c->reply, ch->local_consumed));
		conn_send(c, &c->reply);
		ch->local_window += ch->local_consumed;
		ch->local_consumed = 0;
	}
}

void
chan_exit_note(struct conn *c, uint32_t id, int signaled, int status,
    int core)
{
	struct channel *ch;
	int guard = 64;

	if (id >= NSSHD_MAX_CHANNELS || !c->chans[id].used)
		return;
	ch = &c->chans[id];
	ch->exited = 1;
	ch->exit_signaled = signaled;
	ch->exit_status = status;
	ch->exit_core = core;
	/* A pty's output is all written once its shell is gone. */
	if (ch->is_pty)
		while (ch->fd_out >= 0 && guard-- > 0 &&
		    chan_read(c, ch, CH_OUT))
			;
	if (ch->is_pty) {
		ch->fd_in = -1;
		close_fd(&ch->fd_out);
	}
	chan_check_close(c, ch);
}

int
chan_poll_fill(struct conn *c, struct pollfd *pfd, int max, int idx[])
{
	int i, n = 0, room = conn_output_room(c);
	struct channel *ch;

	for (i = 0; i < NSSHD_MAX_CHANNELS && n + 3 <= max; i++) {
		ch = &c->chans[i];
		if (!ch->used || ch->opening)
			continue;
		if (ch->fd_out >= 0 && (ch->fd_out == ch->fd_in ||
		    (room && ch->peer_window > 0))) {
			pfd[n].fd = ch->fd_out;
			pfd[n].events = (room && ch->peer_window > 0) ?
			    POLLIN : 0;
			if (ch->fd_in == ch->fd_out && buf_len(&ch->to_fd))
				pfd[n].events |= POLLOUT;
			/* A socket's hang-up must wait for window, not spin. */
			if (pfd[n].events != 0 || ch->kind != CHAN_SOCKET)
				idx[n++] = i * 4 + CH_OUT;
		}
		if (ch->fd_err >= 0 && room && ch->peer_window > 0) {
			pfd[n].fd = ch->fd_err;
			pfd[n].events = POLLIN;
			idx[n++] = i * 4 + CH_ERR;
		}
		if (ch->fd_in >= 0 && ch->fd_in != ch->fd_out &&
		    buf_len(&ch->to_fd) > 0) {
			pfd[n].fd = ch->fd_in;
			pfd[n].events = POLLOUT;
			idx[n++] = i * 4 + CH_IN;
		}
	}
	return n;
}

void
chan_poll_handle(struct conn *c, struct pollfd *pfd, int n, int idx[])
{
	struct channel *ch;
	int i, which, room;

	for (i = 0; i < n; i++) {
		ch = &c->chans[idx[i] / 4];
		which = idx[i] % 4;
		if (!ch->used || pfd[i].revents == 0 || pfd[i].fd !=
		    (which == CH_IN ? ch->fd_in : which == CH_ERR ?
		    ch->fd_err : ch->fd_out))
			continue;	/* changed since poll was filled */
		if ((pfd[i].revents & (POLLOUT | POLLERR)) &&
		    ch->fd_in >= 0 && buf_len(&ch->to_fd) > 0 &&
		    (which == CH_IN || ch->fd_in == ch->fd_out))
			chan_write(c, ch);
		/* Many channels in one round: stop at the output mark. */
		room = conn_output_room(c);
		if (room && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    which != CH_IN && (pfd[i].events & POLLIN))
			chan_read(c, ch, which);
		else if (room && (pfd[i].revents & (POLLHUP | POLLERR)) &&
		    which != CH_IN && ch->peer_window > 0)
			chan_read(c, ch, which);
		chan_check_close(c, ch);
	}
}

void
chan_after_event(struct conn *c, struct channel *ch)
{
	chan_check_close(c, ch);
}

void
chan_close_all(struct conn *c)
{
	int i;

	for (i = 0; i < NSSHD_MAX_CHANNELS; i++)
		if (c->chans[i].used)
			chan_close_fds(&c->chans[i]);
}
