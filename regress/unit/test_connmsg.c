/* test_connmsg.c - userauth and connection message parsers. */
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
	CHECK_EQ(buf_put_cstring(&b, "x11-req"), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	CHECK_EQ(buf_put_bool(&b, 0), 0);
	CHECK_EQ(msg_parse_chan_request(buf_ptr(&b), buf_len(&b), &r), 0);
	CHECK(r.kind == CREQ_OTHER);
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

const struct ut_case connmsg_cases[] = {
	{ "userauth", t_userauth },
	{ "chan_request", t_chan_request },
	{ "chan_open", t_chan_open },
	{ NULL, NULL },
};
