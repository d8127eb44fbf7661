/*
 * monmsg.c - schema-driven codec for the monitor protocol (see monmsg.h).
 *
 * One schema string per message type is the whole definition of its wire
 * layout, so encoder and decoder cannot drift apart.  The decoder is pure
 * and has a fuzz target (regress/fuzz/fuzz_monmsg.c).
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/fdpass.h"
#include "proto/monmsg.h"

static const struct {
	const char *name;
	const char *schema;
} mon_types[MON_TYPE_MAX] = {
	[MON_HELLO] = { "hello", "sssssuuusuuus" },
	[MON_SIGN_REQ] = { "sign-req", "sss" },
	[MON_SIGN_REP] = { "sign-rep", "s" },
	[MON_USER_REQ] = { "user-req", "ss" },
	[MON_USER_REP] = { "user-rep", "u" },
	[MON_KEYOK_REQ] = { "keyok-req", "sss" },
	[MON_KEYOK_REP] = { "keyok-rep", "u" },
	[MON_KEYVERIFY_REQ] = { "keyverify-req", "sssss" },
	[MON_KEYVERIFY_REP] = { "keyverify-rep", "u" },
	[MON_SESSION_REQ] = { "session-req", "u" },
	[MON_PTY_REQ] = { "pty-req", "usuuuus" },
	[MON_ENV_REQ] = { "env-req", "uss" },
	[MON_EXEC_REQ] = { "exec-req", "uus" },
	[MON_EXEC_REP] = { "exec-rep", "uus" },
	[MON_WINCH_REQ] = { "winch-req", "uuuuu" },
	[MON_SIGNAL_REQ] = { "signal-req", "us" },
	[MON_CLOSE_REQ] = { "close-req", "u" },
	[MON_STATUS_REP] = { "status-rep", "us" },
	[MON_EXIT_NOTE] = { "exit-note", "uuuu" },
	[MON_BYE_NOTE] = { "bye-note", "s" },
	[MON_CONNECT_REQ] = { "connect-req", "uususu" },
	[MON_OPEN_NOTE] = { "open-note", "uus" },
	[MON_LISTEN_REQ] = { "listen-req", "usu" },
	[MON_LISTEN_REP] = { "listen-rep", "uus" },
	[MON_X11_REQ] = { "x11-req", "uuuss" },
	[MON_AGENT_REQ] = { "agent-req", "u" },
	[MON_WORKER_ANSWER] = { "worker-answer", "uuss" },
};

const char *
mon_schema(uint8_t type)
{
	if (type == 0 || type >= MON_TYPE_MAX)
		return NULL;
	return mon_types[type].schema;
}

const char *
mon_type_name(uint8_t type)
{
	if (type == 0 || type >= MON_TYPE_MAX)
		return "unknown";
	return mon_types[type].name;
}

void
mon_init(struct mon_msg *m, uint8_t type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
}

void
mon_set_str(struct mon_msg *m, int i, const void *p, size_t n)
{
	m->s[i].p = p;
	m->s[i].n = n;
}

void
mon_set_cstr(struct mon_msg *m, int i, const char *s)
{
	mon_set_str(m, i, s, s ? strlen(s) : 0);
}

char *
mon_dup_cstr(const struct mon_msg *m, int i)
{
	char *s;

	if (m->s[i].n > 0 && memchr(m->s[i].p, '\0', m->s[i].n) != NULL)
		return NULL;
	if ((s = malloc(m->s[i].n + 1)) == NULL)
		return NULL;
	if (m->s[i].n > 0)
		memcpy(s, m->s[i].p, m->s[i].n);
	s[m->s[i].n] = '\0';
	return s;
}

int
mon_encode(const struct mon_msg *m, struct buf *out)
{
	const char *sc = mon_schema(m->type), *k;
	struct buf body;
	int ui = 0, si = 0, r = 0;

	if (sc == NULL)
		return ERR_INTERNAL;
	buf_init(&body, MON_MAX_FRAME);
	r = buf_put_u8(&body, m->type);
	for (k = sc; r == 0 && *k != '\0'; k++) {
		if (*k == 'u')
			r = buf_put_u32(&body, m->u[ui++]);
		else
			r = buf_put_string(&body, m->s[si].p, m->s[si].n), si++;
	}
	if (r == 0 && buf_len(&body) + 4 > MON_MAX_FRAME)
		r = ERR_LENGTH;
	if (r == 0)
		r = buf_put_u32(out, (uint32_t)buf_len(&body));
	if (r == 0)
		r = buf_put(out, buf_ptr(&body), buf_len(&body));
	buf_free(&body);
	return r;
}

int
mon_decode(const unsigned char *p, size_t n, struct mon_msg *m)
{
	struct buf b;
	const char *sc, *k;
	uint32_t len;
	int ui = 0, si = 0, r;

	memset(m, 0, sizeof(*m));
	buf_view(&b, p, n);
	if ((r = buf_get_u32(&b, &len)) != 0)
		return r;
	if (len != buf_len(&b) || len == 0)
		return ERR_FORMAT;
	if ((r = buf_get_u8(&b, &m->type)) != 0)
		return r;
	if ((sc = mon_schema(m->type)) == NULL)
		return ERR_FORMAT;
	for (k = sc; *k != '\0'; k++) {
		if (*k == 'u')
			r = buf_get_u32(&b, &m->u[ui++]);
		else {
			r = buf_get_sview(&b, &m->s[si].p, &m->s[si].n);
			si++;
		}
		if (r != 0) {
			memset(m, 0, sizeof(*m));
			return r;
		}
	}
	if (buf_len(&b) != 0) {
		memset(m, 0, sizeof(*m));
		return ERR_TRAILING;
	}
	return 0;
}

int
mon_send(int fd, const struct mon_msg *m, const int *fds, int nfds)
{
	struct buf out;
	int r;

	buf_init(&out, MON_MAX_FRAME);
	if ((r = mon_encode(m, &out)) == 0)
		r = fdpass_send(fd, buf_ptr(&out), buf_len(&out), fds, nfds);
	buf_free(&out);
	return r;
}

int
mon_recv(int fd, struct buf *frame, struct mon_msg *m, int *fds, int *nfds)
{
	unsigned char *d;
	size_t got;
	int r, i;

	*nfds = 0;
	buf_reset(frame);
	if ((r = buf_reserve(frame, MON_MAX_FRAME, &d)) != 0)
		return r;
	r = fdpass_recv(fd, d, MON_MAX_FRAME, &got, fds, MON_MAX_FDS, nfds);
	if (r != 0)
		return r;
	if (got == 0)
		return ERR_EOF;
	buf_consume_end(frame, MON_MAX_FRAME - got);
	if ((r = mon_decode(buf_ptr(frame), buf_len(frame), m)) != 0) {
		for (i = 0; i < *nfds; i++)
			close(fds[i]);
		*nfds = 0;
	}
	return r;
}
