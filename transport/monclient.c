/*
 * monclient.c - the transport's side of the monitor protocol: the hello,
 * synchronous request/reply calls, and the exit notes the monitor sends
 * whenever a session's process ends.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "transport/transport.h"

static void
mon_lost(struct conn *c, int r)
{
	error("monitor connection lost: %s", err_str(r));
	_exit(255);
}

static int
is_note(const struct mon_msg *m, int nfds)
{
	return (m->type == MON_EXIT_NOTE && nfds == 0) ||
	    (m->type == MON_OPEN_NOTE && nfds <= 1);
}

static void
mon_note(struct conn *c, const struct mon_msg *m, const int *fds, int nfds)
{
	if (m->type == MON_EXIT_NOTE)
		chan_exit_note(c, m->u[0], m->u[1] != 0, (int)m->u[2],
		    m->u[3] != 0);
	else
		fwd_open_note(c, m, nfds > 0 ? fds[0] : -1);
}

/* Keep a note (frame and descriptors) seen while waiting for a reply. */
static void
mon_queue_note(struct conn *c, const int *fds, int nfds)
{
	struct buf *q = &c->pending_notes;
	int i;

	if (buf_put_string(q, buf_ptr(&c->mframe), buf_len(&c->mframe)) != 0 ||
	    buf_put_u32(q, (uint32_t)nfds) != 0)
		conn_fatal(c, "monitor note queue full");
	for (i = 0; i < nfds; i++)
		if (buf_put_u32(q, (uint32_t)fds[i]) != 0)
			conn_fatal(c, "monitor note queue full");
}

void
mon_call(struct conn *c, const struct mon_msg *req, uint8_t want,
    struct mon_msg *rep, int *fds, int *nfds)
{
	int tmpfds[MON_MAX_FDS], n, r, i;

	if ((r = mon_send(c->mon, req, NULL, 0)) != 0)
		mon_lost(c, r);
	for (;;) {
		if ((r = mon_recv(c->mon, &c->mframe, rep, tmpfds, &n)) != 0)
			mon_lost(c, r);
		if (is_note(rep, n)) {
			mon_queue_note(c, tmpfds, n);
			continue;
		}
		if (rep->type != want) {
			error("monitor replied %s to %s",
			    mon_type_name(rep->type), mon_type_name(req->type));
			_exit(255);
		}
		break;
	}
	if (fds == NULL) {
		for (i = 0; i < n; i++)
			close(tmpfds[i]);
		n = 0;
	} else
		memcpy(fds, tmpfds, sizeof(int) * n);
	*nfds = n;
}

void
mon_handle_readable(struct conn *c)
{
	struct mon_msg m;
	int fds[MON_MAX_FDS], n, r;

	if ((r = mon_recv(c->mon, &c->mframe, &m, fds, &n)) != 0)
		mon_lost(c, r);
	if (!is_note(&m, n)) {
		error("unexpected %s from monitor", mon_type_name(m.type));
		_exit(255);
	}
	mon_note(c, &m, fds, n);
}

void
mon_process_queued(struct conn *c)
{
	struct buf q = c->pending_notes;
	const unsigned char *p;
	struct mon_msg m;
	uint32_t nfds, fd;
	int fds[MON_MAX_FDS], i;
	size_t n;

	if (buf_len(&q) == 0)
		return;
	buf_init(&c->pending_notes, MON_MAX_FRAME * 8);
	while (buf_len(&q) > 0) {
		if (buf_get_sview(&q, &p, &n) != 0 ||
		    mon_decode(p, n, &m) != 0 ||
		    buf_get_u32(&q, &nfds) != 0 || nfds > MON_MAX_FDS)
			conn_fatal(c, "corrupt note queue");
		for (i = 0; i < (int)nfds; i++) {
			if (buf_get_u32(&q, &fd) != 0)
				conn_fatal(c, "corrupt note queue");
			fds[i] = (int)fd;
		}
		mon_note(c, &m, fds, (int)nfds);
	}
	buf_free(&q);
}

static void
hello_hostkeys(struct conn *c, const struct sview *s)
{
	struct buf b, blob;
	const unsigned char *alg;
	size_t alen;
	struct hostkey_pub *hk;

	buf_view(&b, s->p, s->n);
	while (buf_len(&b) > 0 && c->nhostkeys < 4) {
		hk = &c->hostkeys[c->nhostkeys];
		if (buf_get_subbuf(&b, &blob) != 0 ||
		    buf_get_sview(&blob, &alg, &alen) != 0 ||
		    alen == 0 || alen >= sizeof(hk->alg))
			fatal("monitor hello: bad host key blob");
		memcpy(hk->alg, alg, alen);
		hk->alg[alen] = '\0';
		hk->len = blob.len;	/* whole blob: view covers it all */
		if ((hk->blob = malloc(hk->len)) == NULL)
			fatal("out of memory");
		memcpy(hk->blob, blob.d, hk->len);
		c->nhostkeys++;
	}
	if (c->nhostkeys == 0)
		fatal("monitor hello: no host keys");
}

void
mon_read_hello(struct conn *c)
{
	struct mon_msg m;
	int fds[MON_MAX_FDS], n, r;

	if ((r = mon_recv(c->mon, &c->mframe, &m, fds, &n)) != 0 ||
	    m.type != MON_HELLO || n != 0)
		fatal("monitor hello: %s", r ? err_str(r) : "wrong type");
	hello_hostkeys(c, &m.s[0]);
	if ((c->kex_list = mon_dup_cstr(&m, 2)) == NULL ||
	    (c->hostkey_list = mon_dup_cstr(&m, 3)) == NULL ||
	    (c->cipher_list = mon_dup_cstr(&m, 4)) == NULL ||
	    (c->mac_list = mon_dup_cstr(&m, 6)) == NULL)
		fatal("monitor hello: bad lists");
	if (m.s[1].n > 0 && m.s[1].n < sizeof(c->server_version) &&
	    memchr(m.s[1].p, '\0', m.s[1].n) == NULL) {
		memcpy(c->server_version, m.s[1].p, m.s[1].n);
		c->server_version[m.s[1].n] = '\0';
	}
	if (m.s[5].n < sizeof(c->peer) && memchr(m.s[5].p, '\0', m.s[5].n)
	    == NULL) {
		memcpy(c->peer, m.s[5].p, m.s[5].n);
		c->peer[m.s[5].n] = '\0';
	}
	c->peer_port = (int)m.u[3];
	c->alive_interval = m.u[4];
	c->alive_max = m.u[5];
	c->max_auth_tries = m.u[0];
	c->max_sessions = m.u[1];
	c->hello_flags = m.u[2];
}
