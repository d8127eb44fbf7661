/* test_connmsg.c - userauth and connection message parsers. */
#include "autoconf.h"

#include <string.h>

#include "common/err.h"
#include "proto/connmsg.h"
#include "regress/unit/unittest.h"

static void
t_userauth(void)
{
	struct buf b;
	struct ua_request ua;

	buf_init(&b, 0);
	CHECK_EQ(buf_put_cstring(&b, "alice"), 0);
	CHECK_EQ(buf_put_cstring(&b, "ssh-connection"), 0);
	CHECK_EQ(buf_put_cstring(&b, "publickey"), 0);
	CHECK_EQ(buf_put_bool(&b, 1), 0);
	CHECK_EQ(buf_put_cstring(&b, "ssh-ed25519"), 0);
	CHECK_EQ(buf_put_string(&b, "BLOB", 4), 0);
	CHECK_EQ(buf_put_string(&b, "SIG", 3), 0);
	CHECK_EQ(msg_parse_userauth(buf_ptr(&b), buf_len(&b), &ua), 0);
	CHECK(sview_eq(&ua.user, "alice") && ua.has_sig &&
	    sview_eq(&ua.alg, "ssh-ed25519") && sview_eq(&ua.sig, "SIG"));
	/* Missing signature, then trailing bytes. */
	CHECK_EQ(msg_parse_userauth(buf_ptr(&b), buf_len(&b) - 7, &ua),
	    ERR_SHORT);
	CHECK(ua.user.p == NULL);
	CHECK_EQ(buf_put_u8(&b, 0), 0);
	CHECK_EQ(msg_parse_userauth(buf_ptr(&b), buf_len(&b), &ua),
	    ERR_TRAILING);
	buf_free(&b);
}

static void
t_chan_request(void)
{
	struct buf b;
	struct chan_req_msg r;

	buf_init(&b, 0);
	CHECK_EQ(buf_put_u32(&b, 2), 0);
	CHECK_EQ(buf_put_cstring(&b, "pty-req"), 0);
	CHECK_EQ(buf_put_bool(&b, 1), 0);
	CHECK_EQ(buf_put_cstring(&b, "xterm"), 0);
	CHECK_EQ(buf_put_u32(&b, 80), 0);
	CHECK_EQ(buf_put_u32(&b, 24), 0);
	CHECK_EQ(buf_put_u32(&b, 0), 0);
	CHECK_EQ(buf_put_u32(&b, 0), 0);
	CHECK_EQ(buf_put_string(&b, "\0", 1), 0);
	CHECK_EQ(msg_parse_chan_request(buf_ptr(&b), buf_len(&b), &r), 0);
	CHECK(r.id == 2 && r.kind == CREQ_PTY && r.want_reply &&
	    sview_eq(&r.s1, "xterm") && r.cols == 80 && r.rows == 24 &&
	    r.s2.n == 1);
	CHECK_EQ(msg_parse_chan_request(buf_ptr(&b), buf_len(&b) - 1, &r),
	    ERR_SHORT);
	buf_reset(&b);
	CHECK_EQ(buf_put_u32(&b, 0), 0);
	CHECK_EQ(buf_put_cstring(&b, "x-unknown@example.com"), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	CHECK_EQ(msg_parse_chan_request(buf_ptr(&b), buf_len(&b), &r), 0);
	CHECK(r.kind == CREQ_OTHER);
	/* x11-req is parsed now: the same body is too short for it. */
	buf_reset(&b);
	CHECK_EQ(buf_put_u32(&b, 0), 0);
	CHECK_EQ(buf_put_cstring(&b, "x11-req"), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	CHECK_EQ(msg_parse_chan_request(buf_ptr(&b), buf_len(&b), &r),
	    ERR_SHORT);
	buf_free(&b);
}

static void
t_chan_open(void)
{
	struct buf b;
	struct chan_open_msg o;

	buf_init(&b, 0);
	CHECK_EQ(buf_put_cstring(&b, "session"), 0);
	CHECK_EQ(buf_put_u32(&b, 7), 0);
	CHECK_EQ(buf_put_u32(&b, 1 << 20), 0);
	CHECK_EQ(msg_parse_chan_open(buf_ptr(&b), buf_len(&b), &o), ERR_SHORT);
	CHECK_EQ(buf_put_u32(&b, 32768), 0);
	CHECK_EQ(msg_parse_chan_open(buf_ptr(&b), buf_len(&b), &o), 0);
	CHECK(sview_eq(&o.type, "session") && o.peer == 7 &&
	    o.maxpkt == 32768 && o.rest.n == 0);
	buf_free(&b);
}

/* ---- forwarding messages: every parser's failure contract ---------- */

/* Any output struct of this file. */
union anymsg {
	struct glob_req_msg g;
	struct chan_open_direct d;
	struct chan_req_msg c;
};

typedef int (*parse_fn)(const unsigned char *, size_t, union anymsg *);

static int
p_greq(const unsigned char *p, size_t n, union anymsg *u)
{
	return msg_parse_global_request(p, n, &u->g);
}

static int
p_tcpip(const unsigned char *p, size_t n, union anymsg *u)
{
	return msg_parse_open_direct_tcpip(p, n, &u->d);
}

static int
p_slocal(const unsigned char *p, size_t n, union anymsg *u)
{
	return msg_parse_open_direct_streamlocal(p, n, &u->d);
}

static int
p_creq(const unsigned char *p, size_t n, union anymsg *u)
{
	return msg_parse_chan_request(p, n, &u->c);
}

static int
all_zero(const void *v, size_t n)
{
	const unsigned char *p = v;
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* Call parse with the output filled with garbage; returns the code. */
static int
call(parse_fn parse, const unsigned char *p, size_t n, union anymsg *u)
{
	memset(u, 0xa5, sizeof(*u));
	return parse(p, n, u);
}

/*
 * b holds a good message: it parses; every shorter prefix is ERR_SHORT
 * and one more byte ERR_TRAILING (unless trailing_ok), with the output
 * zeroed each time.  The parse of the whole message is left in *u.
 */
static void
check_cuts(parse_fn parse, struct buf *b, size_t outsize, int trailing_ok,
    union anymsg *u)
{
	size_t i, n = buf_len(b);
	int bad = 0;

	for (i = 0; i < n; i++)
		if (call(parse, buf_ptr(b), i, u) != ERR_SHORT ||
		    !all_zero(u, outsize))
			bad++;
	CHECK_EQ(bad, 0);
	CHECK_EQ(buf_put_u8(b, 0), 0);
	if (trailing_ok)
		CHECK_EQ(call(parse, buf_ptr(b), n + 1, u), 0);
	else {
		CHECK_EQ(call(parse, buf_ptr(b), n + 1, u), ERR_TRAILING);
		CHECK(all_zero(u, outsize));
	}
	CHECK_EQ(buf_consume_end(b, 1), 0);
	CHECK_EQ(call(parse, buf_ptr(b), n, u), 0);
}

static void
t_global_request(void)
{
	struct buf b;
	union anymsg u;

	buf_init(&b, 0);
	CHECK_EQ(buf_put_cstring(&b, "tcpip-forward"), 0);
	CHECK_EQ(buf_put_bool(&b, 1), 0);
	CHECK_EQ(buf_put_cstring(&b, "localhost"), 0);
	CHECK_EQ(buf_put_u32(&b, 8080), 0);
	check_cuts(p_greq, &b, sizeof(u.g), 0, &u);
	CHECK(u.g.kind == GREQ_TCPIP_FORWARD && u.g.want_reply &&
	    sview_eq(&u.g.name, "tcpip-forward") &&
	    sview_eq(&u.g.addr, "localhost") && u.g.port == 8080);

	/* Port 65535 is fine, 65536 is not; port 0 asks for any port. */
	buf_reset(&b);
	CHECK_EQ(buf_put_cstring(&b, "cancel-tcpip-forward"), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	CHECK_EQ(buf_put_cstring(&b, ""), 0);
	CHECK_EQ(buf_put_u32(&b, 65535), 0);
	check_cuts(p_greq, &b, sizeof(u.g), 0, &u);
	CHECK(u.g.kind == GREQ_CANCEL_TCPIP_FORWARD && !u.g.want_reply &&
	    u.g.addr.n == 0 && u.g.addr.p != NULL && u.g.port == 65535);
	CHECK_EQ(buf_consume_end(&b, 4), 0);
	CHECK_EQ(buf_put_u32(&b, 65536), 0);
	CHECK_EQ(call(p_greq, buf_ptr(&b), buf_len(&b), &u), ERR_RANGE);
	CHECK(all_zero(&u.g, sizeof(u.g)));
	CHECK_EQ(buf_consume_end(&b, 4), 0);
	CHECK_EQ(buf_put_u32(&b, 0xffffffffu), 0);
	CHECK_EQ(call(p_greq, buf_ptr(&b), buf_len(&b), &u), ERR_RANGE);
	CHECK_EQ(buf_consume_end(&b, 4), 0);
	CHECK_EQ(buf_put_u32(&b, 0), 0);
	CHECK_EQ(call(p_greq, buf_ptr(&b), buf_len(&b), &u), 0);
	CHECK_EQ(u.g.port, 0);

	/* An address with a NUL cannot become a C string. */
	buf_reset(&b);
	CHECK_EQ(buf_put_cstring(&b, "tcpip-forward"), 0);
	CHECK_EQ(buf_put_bool(&b, 1), 0);
	CHECK_EQ(buf_put_string(&b, "a\0b", 3), 0);
	CHECK_EQ(buf_put_u32(&b, 80), 0);
	CHECK_EQ(call(p_greq, buf_ptr(&b), buf_len(&b), &u), ERR_NUL);
	CHECK(all_zero(&u.g, sizeof(u.g)));

	buf_reset(&b);
	CHECK_EQ(buf_put_cstring(&b, "streamlocal-forward@openssh.com"), 0);
	CHECK_EQ(buf_put_bool(&b, 1), 0);
	CHECK_EQ(buf_put_cstring(&b, "/tmp/sock"), 0);
	check_cuts(p_greq, &b, sizeof(u.g), 0, &u);
	CHECK(u.g.kind == GREQ_STREAMLOCAL_FORWARD &&
	    sview_eq(&u.g.addr, "/tmp/sock") && u.g.port == 0);

	buf_reset(&b);
	CHECK_EQ(buf_put_cstring(&b,
	    "cancel-streamlocal-forward@openssh.com"), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	CHECK_EQ(buf_put_cstring(&b, "/tmp/sock"), 0);
	check_cuts(p_greq, &b, sizeof(u.g), 0, &u);
	CHECK(u.g.kind == GREQ_CANCEL_STREAMLOCAL_FORWARD &&
	    sview_eq(&u.g.addr, "/tmp/sock"));

	buf_reset(&b);
	CHECK_EQ(buf_put_cstring(&b, "no-more-sessions@openssh.com"), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	check_cuts(p_greq, &b, sizeof(u.g), 0, &u);
	CHECK(u.g.kind == GREQ_NO_MORE_SESSIONS && u.g.addr.p == NULL);

	/* Unknown names: any data, even none. */
	buf_reset(&b);
	CHECK_EQ(buf_put_cstring(&b, "keepalive@openssh.com"), 0);
	CHECK_EQ(buf_put_bool(&b, 1), 0);
	check_cuts(p_greq, &b, sizeof(u.g), 1, &u);
	CHECK(u.g.kind == GREQ_OTHER && u.g.want_reply &&
	    sview_eq(&u.g.name, "keepalive@openssh.com"));
	CHECK_EQ(buf_put_cstring(&b, "whatever"), 0);
	CHECK_EQ(call(p_greq, buf_ptr(&b), buf_len(&b), &u), 0);
	CHECK(u.g.kind == GREQ_OTHER);
	/* Names compare exactly. */
	buf_reset(&b);
	CHECK_EQ(buf_put_cstring(&b, "TCPIP-FORWARD"), 0);
	CHECK_EQ(buf_put_bool(&b, 1), 0);
	CHECK_EQ(call(p_greq, buf_ptr(&b), buf_len(&b), &u), 0);
	CHECK(u.g.kind == GREQ_OTHER);
	buf_free(&b);
}

static void
t_open_direct(void)
{
	struct buf b;
	union anymsg u;

	buf_init(&b, 0);
	CHECK_EQ(buf_put_cstring(&b, "example.com"), 0);
	CHECK_EQ(buf_put_u32(&b, 443), 0);
	CHECK_EQ(buf_put_cstring(&b, "192.0.2.1"), 0);
	CHECK_EQ(buf_put_u32(&b, 50000), 0);
	check_cuts(p_tcpip, &b, sizeof(u.d), 0, &u);
	CHECK(sview_eq(&u.d.host, "example.com") && u.d.port == 443 &&
	    sview_eq(&u.d.orig_host, "192.0.2.1") && u.d.orig_port == 50000);
	/* Originator port out of range, then the target port. */
	CHECK_EQ(buf_consume_end(&b, 4), 0);
	CHECK_EQ(buf_put_u32(&b, 65536), 0);
	CHECK_EQ(call(p_tcpip, buf_ptr(&b), buf_len(&b), &u), ERR_RANGE);
	CHECK(all_zero(&u.d, sizeof(u.d)));
	buf_reset(&b);
	CHECK_EQ(buf_put_cstring(&b, "example.com"), 0);
	CHECK_EQ(buf_put_u32(&b, 70000), 0);
	CHECK_EQ(buf_put_cstring(&b, "192.0.2.1"), 0);
	CHECK_EQ(buf_put_u32(&b, 1), 0);
	CHECK_EQ(call(p_tcpip, buf_ptr(&b), buf_len(&b), &u), ERR_RANGE);
	CHECK(all_zero(&u.d, sizeof(u.d)));
	buf_reset(&b);
	CHECK_EQ(buf_put_string(&b, "host\0", 5), 0);
	CHECK_EQ(buf_put_u32(&b, 22), 0);
	CHECK_EQ(buf_put_cstring(&b, "o"), 0);
	CHECK_EQ(buf_put_u32(&b, 1), 0);
	CHECK_EQ(call(p_tcpip, buf_ptr(&b), buf_len(&b), &u), ERR_NUL);

	/* direct-streamlocal: path, reserved string, reserved uint32. */
	buf_reset(&b);
	CHECK_EQ(buf_put_cstring(&b, "/run/app.sock"), 0);
	CHECK_EQ(buf_put_cstring(&b, ""), 0);
	CHECK_EQ(buf_put_u32(&b, 0), 0);
	check_cuts(p_slocal, &b, sizeof(u.d), 0, &u);
	CHECK(sview_eq(&u.d.host, "/run/app.sock") && u.d.port == 0 &&
	    u.d.orig_host.p == NULL && u.d.orig_port == 0);
	/* Reserved fields with content are ignored. */
	buf_reset(&b);
	CHECK_EQ(buf_put_cstring(&b, "/s"), 0);
	CHECK_EQ(buf_put_cstring(&b, "x"), 0);
	CHECK_EQ(buf_put_u32(&b, 0xffffffffu), 0);
	CHECK_EQ(call(p_slocal, buf_ptr(&b), buf_len(&b), &u), 0);
	CHECK(sview_eq(&u.d.host, "/s") && u.d.orig_host.p == NULL);
	buf_free(&b);
}

static void
t_chan_request_fwd(void)
{
	struct buf b;
	union anymsg u;

	buf_init(&b, 0);
	CHECK_EQ(buf_put_u32(&b, 3), 0);
	CHECK_EQ(buf_put_cstring(&b, "x11-req"), 0);
	CHECK_EQ(buf_put_bool(&b, 1), 0);
	CHECK_EQ(buf_put_bool(&b, 1), 0);
	CHECK_EQ(buf_put_cstring(&b, "MIT-MAGIC-COOKIE-1"), 0);
	CHECK_EQ(buf_put_cstring(&b, "00112233445566778899aabbccddeeff"), 0);
	CHECK_EQ(buf_put_u32(&b, 2), 0);
	check_cuts(p_creq, &b, sizeof(u.c), 0, &u);
	CHECK(u.c.id == 3 && u.c.kind == CREQ_X11 && u.c.want_reply &&
	    u.c.single == 1 && sview_eq(&u.c.s1, "MIT-MAGIC-COOKIE-1") &&
	    sview_eq(&u.c.s2, "00112233445566778899aabbccddeeff") &&
	    u.c.screen == 2);
	buf_reset(&b);
	CHECK_EQ(buf_put_u32(&b, 3), 0);
	CHECK_EQ(buf_put_cstring(&b, "x11-req"), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	CHECK_EQ(buf_put_string(&b, "MIT\0", 4), 0);
	CHECK_EQ(buf_put_cstring(&b, "00"), 0);
	CHECK_EQ(buf_put_u32(&b, 0), 0);
	CHECK_EQ(call(p_creq, buf_ptr(&b), buf_len(&b), &u), ERR_NUL);
	CHECK(all_zero(&u.c, sizeof(u.c)));

	buf_reset(&b);
	CHECK_EQ(buf_put_u32(&b, 0), 0);
	CHECK_EQ(buf_put_cstring(&b, "auth-agent-req@openssh.com"), 0);
	CHECK_EQ(buf_put_bool(&b, 1), 0);
	check_cuts(p_creq, &b, sizeof(u.c), 0, &u);
	CHECK(u.c.kind == CREQ_AGENT && u.c.want_reply && u.c.s1.p == NULL);
	buf_free(&b);
}

const struct ut_case connmsg_cases[] = {
	{ "userauth", t_userauth },
	{ "chan_request", t_chan_request },
	{ "chan_open", t_chan_open },
	{ "global_request", t_global_request },
	{ "open_direct", t_open_direct },
	{ "chan_request_fwd", t_chan_request_fwd },
	{ NULL, NULL },
};
