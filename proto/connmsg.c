/*
 * connmsg.c - pure parsers for userauth and connection messages (see
 * connmsg.h).
 */
#include "autoconf.h"

#include <string.h>

#include "common/err.h"
#include "proto/connmsg.h"

static int
done(struct buf *b, void *out, size_t outlen, int r)
{
	if (r == 0 && buf_len(b) != 0)
		r = ERR_TRAILING;
	if (r != 0)
		memset(out, 0, outlen);
	return r;
}

int
msg_parse_userauth(const unsigned char *p, size_t n, struct ua_request *out)
{
	struct buf b;
	int r;

	memset(out, 0, sizeof(*out));
	buf_view(&b, p, n);
	if ((r = buf_get_view(&b, &out->user)) != 0 ||
	    (r = buf_get_view(&b, &out->service)) != 0 ||
	    (r = buf_get_view(&b, &out->method)) != 0)
		return done(&b, out, sizeof(*out), r);
	if (sview_eq(&out->method, "publickey")) {
		if ((r = buf_get_bool(&b, &out->has_sig)) != 0 ||
		    (r = buf_get_view(&b, &out->alg)) != 0 ||
		    (r = buf_get_view(&b, &out->blob)) != 0)
			return done(&b, out, sizeof(*out), r);
		if (out->has_sig)
			r = buf_get_view(&b, &out->sig);
		return done(&b, out, sizeof(*out), r);
	}
	/* Other methods: their fields are not ours to check here. */
	buf_consume(&b, buf_len(&b));
	return 0;
}

int
msg_parse_chan_open(const unsigned char *p, size_t n,
    struct chan_open_msg *out)
{
	struct buf b;
	int r;

	memset(out, 0, sizeof(*out));
	buf_view(&b, p, n);
	if ((r = buf_get_view(&b, &out->type)) != 0 ||
	    (r = buf_get_u32(&b, &out->peer)) != 0 ||
	    (r = buf_get_u32(&b, &out->window)) != 0 ||
	    (r = buf_get_u32(&b, &out->maxpkt)) != 0)
		return done(&b, out, sizeof(*out), r);
	out->rest.p = buf_ptr(&b);
	out->rest.n = buf_len(&b);
	return 0;
}

/* A TCP port: uint32 on the wire, 0..65535 in meaning. */
static int
get_port(struct buf *b, uint32_t *port)
{
	int r;

	if ((r = buf_get_u32(b, port)) != 0)
		return r;
	return *port > 65535 ? ERR_RANGE : 0;
}

int
msg_parse_open_direct_tcpip(const unsigned char *p, size_t n,
    struct chan_open_direct *out)
{
	struct buf b;
	int r;

	memset(out, 0, sizeof(*out));
	buf_view(&b, p, n);
	if ((r = buf_get_cview(&b, &out->host)) == 0 &&
	    (r = get_port(&b, &out->port)) == 0 &&
	    (r = buf_get_cview(&b, &out->orig_host)) == 0)
		r = get_port(&b, &out->orig_port);
	return done(&b, out, sizeof(*out), r);
}

int
msg_parse_open_direct_streamlocal(const unsigned char *p, size_t n,
    struct chan_open_direct *out)
{
	struct buf b;
	struct sview reserved;
	uint32_t reserved32;
	int r;

	memset(out, 0, sizeof(*out));
	buf_view(&b, p, n);
	if ((r = buf_get_cview(&b, &out->host)) == 0 &&
	    (r = buf_get_view(&b, &reserved)) == 0)
		r = buf_get_u32(&b, &reserved32);
	return done(&b, out, sizeof(*out), r);
}

static const struct {
	const char *name;
	enum glob_req_kind kind;
} greq_kinds[] = {
	{ "tcpip-forward", GREQ_TCPIP_FORWARD },
	{ "cancel-tcpip-forward", GREQ_CANCEL_TCPIP_FORWARD },
	{ "streamlocal-forward@openssh.com", GREQ_STREAMLOCAL_FORWARD },
	{ "cancel-streamlocal-forward@openssh.com",
	    GREQ_CANCEL_STREAMLOCAL_FORWARD },
	{ "no-more-sessions@openssh.com", GREQ_NO_MORE_SESSIONS },
};

static int
parse_greq_body(struct buf *b, struct glob_req_msg *o)
{
	int r;

	switch (o->kind) {
	case GREQ_TCPIP_FORWARD:
	case GREQ_CANCEL_TCPIP_FORWARD:
		if ((r = buf_get_cview(b, &o->addr)) != 0)
			return r;
		return get_port(b, &o->port);
	case GREQ_STREAMLOCAL_FORWARD:
	case GREQ_CANCEL_STREAMLOCAL_FORWARD:
		return buf_get_cview(b, &o->addr);
	case GREQ_NO_MORE_SESSIONS:
		return 0;
	case GREQ_OTHER:
		buf_consume(b, buf_len(b));	/* not parsed here */
		return 0;
	}
	return ERR_INTERNAL;
}

int
msg_parse_global_request(const unsigned char *p, size_t n,
    struct glob_req_msg *out)
{
	struct buf b;
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	buf_view(&b, p, n);
	if ((r = buf_get_view(&b, &out->name)) != 0 ||
	    (r = buf_get_bool(&b, &out->want_reply)) != 0)
		return done(&b, out, sizeof(*out), r);
	for (i = 0; i < sizeof(greq_kinds) / sizeof(greq_kinds[0]); i++)
		if (sview_eq(&out->name, greq_kinds[i].name))
			out->kind = greq_kinds[i].kind;
	r = parse_greq_body(&b, out);
	return done(&b, out, sizeof(*out), r);
}

static int
parse_dims(struct buf *b, struct chan_req_msg *o)
{
	int r;

	if ((r = buf_get_u32(b, &o->cols)) != 0 ||
	    (r = buf_get_u32(b, &o->rows)) != 0 ||
	    (r = buf_get_u32(b, &o->xpix)) != 0 ||
	    (r = buf_get_u32(b, &o->ypix)) != 0)
		return r;
	return 0;
}

static const struct {
	const char *name;
	enum chan_req_kind kind;
} req_kinds[] = {
	{ "pty-req", CREQ_PTY }, { "env", CREQ_ENV }, { "shell", CREQ_SHELL },
	{ "exec", CREQ_EXEC }, { "subsystem", CREQ_SUBSYSTEM },
	{ "window-change", CREQ_WINCH }, { "signal", CREQ_SIGNAL },
	{ "x11-req", CREQ_X11 }, { "auth-agent-req@openssh.com", CREQ_AGENT },
};

static int
parse_req_body(struct buf *b, struct chan_req_msg *o)
{
	int r = 0;

	switch (o->kind) {
	case CREQ_PTY:
		if ((r = buf_get_view(b, &o->s1)) == 0 &&
		    (r = parse_dims(b, o)) == 0)
			r = buf_get_view(b, &o->s2);
		return r;
	case CREQ_ENV:
		if ((r = buf_get_view(b, &o->s1)) == 0)
			r = buf_get_view(b, &o->s2);
		return r;
	case CREQ_EXEC:
	case CREQ_SUBSYSTEM:
	case CREQ_SIGNAL:
		return buf_get_view(b, &o->s1);
	case CREQ_WINCH:
		return parse_dims(b, o);
	case CREQ_X11:
		if ((r = buf_get_bool(b, &o->single)) == 0 &&
		    (r = buf_get_cview(b, &o->s1)) == 0 &&
		    (r = buf_get_cview(b, &o->s2)) == 0)
			r = buf_get_u32(b, &o->screen);
		return r;
	case CREQ_SHELL:
	case CREQ_AGENT:
		return 0;
	case CREQ_OTHER:
		buf_consume(b, buf_len(b));	/* not parsed here */
		return 0;
	}
	return ERR_INTERNAL;
}

int
msg_parse_chan_request(const unsigned char *p, size_t n,
    struct chan_req_msg *out)
{
	struct buf b;
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	buf_view(&b, p, n);
	if ((r = buf_get_u32(&b, &out->id)) != 0 ||
	    (r = buf_get_view(&b, &out->type)) != 0 ||
	    (r = buf_get_bool(&b, &out->want_reply)) != 0)
		return done(&b, out, sizeof(*out), r);
	for (i = 0; i < sizeof(req_kinds) / sizeof(req_kinds[0]); i++)
		if (sview_eq(&out->type, req_kinds[i].name))
			out->kind = req_kinds[i].kind;
	r = parse_req_body(&b, out);
	return done(&b, out, sizeof(*out), r);
}
