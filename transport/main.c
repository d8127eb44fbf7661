/*
 * main.c - the transport's event loop: version exchange, reading and
 * writing the socket, dispatching packets by message number, and the
 * channel descriptors in the same poll set.
 */
#include "autoconf.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "proto/ssh2.h"
#include "transport/transport.h"

#define VERSION_MAX_LINES	1024
#define VERSION_LINE_MAX	255
#define OUT_HIGH_WATER		(1u << 20)	/* stop reading channels */
#define IN_HIGH_WATER		(1u << 20)	/* stop reading the socket */

static void
flush_blocking(struct conn *c, int ms)
{
	struct pollfd p = { .fd = c->sock, .events = POLLOUT };
	ssize_t n;

	while (buf_len(&c->ps.out) > 0 && poll(&p, 1, ms) > 0) {
		n = write(c->sock, buf_ptr(&c->ps.out), buf_len(&c->ps.out));
		if (n <= 0 && errno != EAGAIN && errno != EINTR)
			return;
		if (n > 0)
			buf_consume(&c->ps.out, (size_t)n);
	}
}

/* sshd's line for a connection the client closed. */
static void
conn_log_closed(struct conn *c)
{
	if (c->phase == PHASE_PREAUTH && c->auth_user != NULL)
		logit("Connection closed by %s %s %s port %d",
		    c->auth_user_valid ? "authenticating user" :
		    "invalid user", c->auth_user, c->peer, c->peer_port);
	else
		logit("Connection closed by %s port %d", c->peer, c->peer_port);
}

static void
mon_bye(struct conn *c, const char *why)
{
	struct mon_msg m;

	mon_init(&m, MON_BYE_NOTE);
	mon_set_cstr(&m, 0, why);
	(void)mon_send(c->mon, &m, NULL, 0);
}

void
conn_disconnect(struct conn *c, uint32_t reason, const char *msg)
{
	if (c->phase == PHASE_PREAUTH && c->auth_user != NULL)
		logit("Disconnecting %s %s %s port %d: %s",
		    c->auth_user_valid ? "authenticating user" :
		    "invalid user", c->auth_user, c->peer, c->peer_port, msg);
	else
		logit("Disconnecting %s port %d: %s", c->peer, c->peer_port,
		    msg);
	conn_disconnect_quiet(c, reason, msg);
}

void
conn_disconnect_quiet(struct conn *c, uint32_t reason, const char *msg)
{
	struct buf p;

	if (c->phase != PHASE_VERSION) {
		buf_init(&p, 0);
		if (buf_put_u8(&p, SSH2_MSG_DISCONNECT) == 0 &&
		    buf_put_u32(&p, reason) == 0 &&
		    buf_put_cstring(&p, msg) == 0 && buf_put_cstring(&p, "") == 0)
			(void)packet_put(&c->ps, buf_ptr(&p), buf_len(&p));
		buf_free(&p);
		flush_blocking(c, 1000);
	}
	mon_bye(c, msg);
	_exit(255);
}

void
conn_fatal(struct conn *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	conn_disconnect(c, SSH2_DISCONNECT_PROTOCOL_ERROR, msg);
}

/* Messages that may be sent while our KEX is running (RFC 4253 7.1). */
static int
send_allowed_in_kex(uint8_t type)
{
	return (type >= SSH2_MSG_DISCONNECT && type <= SSH2_MSG_DEBUG) ||
	    (type >= SSH2_MSG_KEXINIT && type <= 49);
}

void
conn_send(struct conn *c, struct buf *payload)
{
	int r;

	if (buf_len(payload) == 0)
		log_abort(__FILE__, __LINE__, "empty payload");
	if ((c->kex_step == KEXS_WAIT_INIT || c->kex_step == KEXS_WAIT_ECDH) &&
	    !send_allowed_in_kex(buf_ptr(payload)[0])) {
		/* Held back until our NEWKEYS is out (RFC 4253 7.1). */
		if (buf_put_stringb(&c->deferred, payload) != 0)
			conn_fatal(c, "output queue overflow during rekey");
		return;
	}
	if ((r = packet_put(&c->ps, buf_ptr(payload), buf_len(payload))) != 0)
		conn_fatal(c, "packet_put: %s", err_str(r));
}

void
conn_flush_deferred(struct conn *c)
{
	struct buf held = c->deferred, one;
	int r;

	buf_init(&c->deferred, 16u << 20);
	while (buf_len(&held) > 0) {
		if ((r = buf_get_subbuf(&held, &one)) != 0)
			conn_fatal(c, "deferred queue: %s", err_str(r));
		conn_send(c, &one);
	}
	buf_free(&held);
}

static void
version_line(struct conn *c, const char *line)
{
	if (strncmp(line, "SSH-", 4) != 0) {
		if (++c->vlines > VERSION_MAX_LINES)
			conn_fatal(c, "too many lines before the version");
		return;
	}
	if (strncmp(line, "SSH-2.0-", 8) != 0 &&
	    strncmp(line, "SSH-1.99-", 9) != 0) {
		logit("Protocol major versions differ: 2.0 vs. %.40s", line);
		(void)!write(c->sock, "Protocol major versions differ.\r\n", 33);
		mon_bye(c, "bad version");
		_exit(255);
	}
	if ((c->client_version = strdup(line)) == NULL)
		fatal("out of memory");
	debug("Client protocol version %s", line + 4);
#ifdef NSSHD_TEST_HOOKS
	if ((c->hello_flags & MON_HELLO_TEST_HOOKS) &&
	    strcmp(line, "SSH-2.0-NSSHD_TEST_FORBIDDEN_SYSCALL") == 0) {
		extern void test_hook_forbidden_syscall(void);
		test_hook_forbidden_syscall();
	}
	if ((c->hello_flags & MON_HELLO_TEST_HOOKS) &&
	    strcmp(line, "SSH-2.0-NSSHD_TEST_POSTAUTH_EARLY") == 0) {
		extern void test_hook_postauth_early(int);
		test_hook_postauth_early(c->mon);
	}
#endif
	c->phase = PHASE_PREAUTH;
}

/* Consume version-exchange lines from ps.in; the rest stays for packets. */
static void
version_exchange(struct conn *c)
{
	const unsigned char *p;
	size_t n, i;
	char line[VERSION_LINE_MAX + 1];

	while (c->phase == PHASE_VERSION && buf_len(&c->ps.in) > 0) {
		p = buf_ptr(&c->ps.in);
		n = buf_len(&c->ps.in);
		for (i = 0; i < n && p[i] != '\n'; i++)
			;
		if (i == n) {
			if (n > VERSION_LINE_MAX)
				goto bad;
			return;
		}
		if (i > VERSION_LINE_MAX)
			goto bad;
		memcpy(line, p, i);
		line[i] = '\0';
		if (i > 0 && line[i - 1] == '\r')
			line[i - 1] = '\0';
		if (memchr(p, '\0', i) != NULL)
			goto bad;
		buf_consume(&c->ps.in, i + 1);
		version_line(c, line);
	}
	return;
 bad:
	logit("kex_exchange_identification: banner line contains invalid "
	    "characters or is too long");
	(void)!write(c->sock, "Invalid SSH identification string.\r\n", 36);
	mon_bye(c, "bad version line");
	_exit(255);
}

static void
handle_disconnect(struct conn *c, struct buf *m)
{
	uint32_t code = 0;
	char *msg = NULL;

	(void)buf_get_u32(m, &code);
	(void)buf_get_cstring(m, &msg, NULL);
	logit("Received disconnect from %s port %d:%u: %.200s", c->peer,
	    c->peer_port, code, msg ? msg : "");
	free(msg);
	mon_bye(c, "client disconnected");
	_exit(0);
}

static void
send_unimplemented(struct conn *c)
{
	buf_reset(&c->reply);
	if (buf_put_u8(&c->reply, SSH2_MSG_UNIMPLEMENTED) != 0 ||
	    buf_put_u32(&c->reply, c->ps.rx.seq - 1) != 0)
		conn_fatal(c, "out of memory");
	conn_send(c, &c->reply);
}

/* SSH_MSG_PING after authentication: echo the data (ping@openssh.com). */
static void
handle_ping(struct conn *c, struct buf *m)
{
	const unsigned char *d;
	size_t n;

	if (buf_get_sview(m, &d, &n) != 0 || buf_len(m) != 0)
		conn_fatal(c, "bad PING");
	if (c->phase != PHASE_AUTHED)
		return;		/* the draft: no PONG before authentication */
	buf_reset(&c->reply);
	if (buf_put_u8(&c->reply, SSH2_MSG_PONG) != 0 ||
	    buf_put_string(&c->reply, d, n) != 0)
		conn_fatal(c, "out of memory");
	conn_send(c, &c->reply);
}

static void
dispatch(struct conn *c, struct buf *m)
{
	uint8_t type;

	if (buf_len(m) == 0)
		conn_fatal(c, "empty packet");
	type = buf_ptr(m)[0];
	if (c->skip_guess) {
		c->skip_guess = 0;
		return;
	}
	if (kex_dispatch(c, type, m) == 0)
		return;
	buf_consume(m, 1);
	if (c->kex_step != KEXS_IDLE && !kex_type_allowed_during(type)) {
		if (!c->first_kex_done || c->strict_kex)
			conn_fatal(c, "unexpected message %u during key "
			    "exchange", type);
	}
	if (!c->first_kex_done && c->kex_step == KEXS_IDLE)
		conn_fatal(c, "message %u before key exchange", type);
	switch (type) {
	case SSH2_MSG_DISCONNECT:
		handle_disconnect(c, m);
		return;
	case SSH2_MSG_IGNORE:
	case SSH2_MSG_DEBUG:
	case SSH2_MSG_UNIMPLEMENTED:
	case SSH2_MSG_PONG:
		return;
	case SSH2_MSG_PING:
		handle_ping(c, m);
		return;
	}
	if (type >= SSH2_MSG_SERVICE_REQUEST && type < 80 &&
	    type != SSH2_MSG_EXT_INFO) {
		userauth_dispatch(c, type, m);
		return;
	}
	if (type >= 80 && type <= 127) {
		if (c->phase != PHASE_AUTHED)
			conn_fatal(c, "connection message %u before "
			    "authentication", type);
		chan_dispatch(c, type, m);
		return;
	}
	send_unimplemented(c);
}

/*
 * During the handshake the client sends two small packets back to back
 * (KEXINIT then KEX_ECDH_INIT; NEWKEYS then SERVICE_REQUEST) and Nagle
 * holds the second until the first is ACKed: ACK at once instead of the
 * delayed ACK's 40 ms.  Linux leaves quick-ACK mode by itself, so it is
 * re-armed after each read until the first session is open.
 */
static void
quickack(struct conn *c)
{
	int on = 1;

	if (c->sessions_opened == 0)
		(void)setsockopt(c->sock, IPPROTO_TCP, TCP_QUICKACK, &on,
		    sizeof(on));
}

static void
read_socket(struct conn *c)
{
	unsigned char *d;
	ssize_t n;
	int r;

	if (buf_reserve(&c->ps.in, 65536, &d) != 0)
		conn_fatal(c, "input buffer full");
	n = read(c->sock, d, 65536);
	buf_consume_end(&c->ps.in, 65536 - (n > 0 ? (size_t)n : 0));
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		if (c->phase == PHASE_VERSION)
			logit("kex_exchange_identification: Connection "
			    "closed by remote host");
		conn_log_closed(c);
		mon_bye(c, "connection closed");
		_exit(0);
	}
	quickack(c);
	if (c->phase == PHASE_VERSION)
		version_exchange(c);
	while (c->phase != PHASE_VERSION) {
		r = packet_get(&c->ps, &c->payload);
		if (r == ERR_AGAIN)
			break;
		if (r == ERR_MAC)
			conn_disconnect(c, SSH2_DISCONNECT_MAC_ERROR,
			    "Corrupted MAC on input.");
		if (r != 0)
			conn_disconnect(c, SSH2_DISCONNECT_PROTOCOL_ERROR,
			    r == ERR_LENGTH ? "Bad packet length." :
			    "Packet corrupt.");
		c->alive_sent = 0;	/* the client is there */
		dispatch(c, &c->payload);
	}
}

static void
write_socket(struct conn *c)
{
	ssize_t n;

	n = write(c->sock, buf_ptr(&c->ps.out), buf_len(&c->ps.out));
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		conn_log_closed(c);
		mon_bye(c, "write failed");
		_exit(0);
	}
	if (n > 0)
		buf_consume(&c->ps.out, (size_t)n);
}

/*
 * ClientAliveInterval passed with nothing from the client: ask it for a
 * reply (keepalive@openssh.com), and give up after ClientAliveCountMax
 * unanswered requests, as sshd does.
 */
static void
client_alive_check(struct conn *c)
{
	if (++c->alive_sent > c->alive_max) {
		logit("Timeout, client not responding from user %s %s port %d",
		    c->auth_user, c->peer, c->peer_port);
		mon_bye(c, "client alive timeout");
		_exit(255);
	}
	buf_reset(&c->reply);
	if (buf_put_u8(&c->reply, SSH2_MSG_GLOBAL_REQUEST) != 0 ||
	    buf_put_cstring(&c->reply, "keepalive@openssh.com") != 0 ||
	    buf_put_bool(&c->reply, 1) != 0)
		conn_fatal(c, "out of memory");
	conn_send(c, &c->reply);
}

static void
loop(struct conn *c)
{
	struct pollfd pfd[2 + 3 * NSSHD_MAX_CHANNELS + NSSHD_MAX_LISTENERS];
	int idx[3 * NSSHD_MAX_CHANNELS], lidx[NSSHD_MAX_LISTENERS];
	int n, nch, nl, alive;

	for (;;) {
		if (c->phase == PHASE_CLOSING && buf_len(&c->ps.out) == 0) {
			mon_bye(c, "closed");
			_exit(0);
		}
		pfd[0].fd = c->sock;
		pfd[0].events = (buf_len(&c->ps.in) < IN_HIGH_WATER ?
		    POLLIN : 0) | (buf_len(&c->ps.out) > 0 ? POLLOUT : 0);
		pfd[1].fd = c->mon;
		pfd[1].events = POLLIN;
		nch = nl = 0;
		if (c->phase == PHASE_AUTHED) {
			nch = chan_poll_fill(c, pfd + 2,
			    3 * NSSHD_MAX_CHANNELS, idx);
			nl = fwd_poll_fill(c, pfd + 2 + nch,
			    NSSHD_MAX_LISTENERS, lidx);
		}
		alive = c->phase == PHASE_AUTHED && c->alive_interval > 0;
		n = poll(pfd, 2 + nch + nl, alive ? (int)c->alive_interval * 1000 :
		    -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fatal("poll: %s", strerror(errno));
		}
		if (n == 0 && alive)
			client_alive_check(c);
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
			mon_handle_readable(c);
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			read_socket(c);
		if (nch > 0)
			chan_poll_handle(c, pfd + 2, nch, idx);
		if (nl > 0)
			fwd_poll_handle(c, pfd + 2 + nch, nl, lidx);
		mon_process_queued(c);
		if ((pfd[0].revents & POLLOUT) && buf_len(&c->ps.out) > 0)
			write_socket(c);
	}
}

static void
conn_init(struct conn *c, int sock, int mon)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->sock = sock;
	c->mon = mon;
	packet_init(&c->ps);
	buf_init(&c->vbuf, 1024);
	buf_init(&c->my_kexinit, 0);
	buf_init(&c->peer_kexinit, 0);
	buf_init(&c->pending_notes, MON_MAX_FRAME * 8);
	buf_init(&c->deferred, 16u << 20);
	buf_init(&c->payload, PACKET_MAX_LEN + 64);
	buf_init(&c->reply, PACKET_MAX_LEN + 64);
	buf_init(&c->mframe, MON_MAX_FRAME);
	for (i = 0; i < NSSHD_MAX_CHANNELS; i++)
		c->chans[i].fd_in = c->chans[i].fd_out =
		    c->chans[i].fd_err = -1;
}

int
conn_output_room(const struct conn *c)
{
	return buf_len(&c->ps.out) < OUT_HIGH_WATER &&
	    c->kex_step == KEXS_IDLE;
}

int
transport_main(int sock, int mon)
{
	struct conn *c;
	int r;

	if ((c = malloc(sizeof(*c))) == NULL)
		fatal("out of memory");
	conn_init(c, sock, mon);
	log_set_suffix("preauth");
	mon_read_hello(c);
	if (c->server_version[0] == '\0')
		snprintf(c->server_version, sizeof(c->server_version),
		    "SSH-2.0-%s", NSSHD_VERSION);
	if ((r = buf_put(&c->ps.out, c->server_version,
	    strlen(c->server_version))) != 0 ||
	    (r = buf_put(&c->ps.out, "\r\n", 2)) != 0)
		fatal("version: %s", err_str(r));
	kex_start(c);
	loop(c);
	return 0;
}
