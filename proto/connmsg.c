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
	case CREQ_SHELL:
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
