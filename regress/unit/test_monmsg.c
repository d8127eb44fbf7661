/* test_monmsg.c - the monitor protocol codec. */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "proto/monmsg.h"
#include "regress/unit/unittest.h"

static void
t_roundtrip(void)
{
	struct mon_msg m, d;
	struct buf b;

	mon_init(&m, MON_PTY_REQ);
	m.u[0] = 3;
	m.u[1] = 80;
	m.u[2] = 24;
	mon_set_cstr(&m, 0, "xterm");
	mon_set_str(&m, 1, "\x01\x00\x00\x00\x03\x00", 6);
	buf_init(&b, 0);
	CHECK_EQ(mon_encode(&m, &b), 0);
	CHECK_EQ(mon_decode(buf_ptr(&b), buf_len(&b), &d), 0);
	CHECK_EQ(d.type, MON_PTY_REQ);
	CHECK_EQ(d.u[0], 3);
	CHECK_EQ(d.u[1], 80);
	CHECK_EQ(d.u[2], 24);
	CHECK(d.s[0].n == 5 && memcmp(d.s[0].p, "xterm", 5) == 0);
	CHECK(d.s[1].n == 6);
	buf_free(&b);
}

static void
t_rejects(void)
{
	static const unsigned char unknown[] = { 0, 0, 0, 1, 200 };
	static const unsigned char badlen[] = { 0, 0, 0, 9, MON_CLOSE_REQ,
	    0, 0, 0, 1 };
	static const unsigned char trailing[] = { 0, 0, 0, 6, MON_CLOSE_REQ,
	    0, 0, 0, 1, 7 };
	static const unsigned char shortb[] = { 0, 0, 0, 3, MON_CLOSE_REQ,
	    0, 0 };
	static const unsigned char good[] = { 0, 0, 0, 5, MON_CLOSE_REQ,
	    0, 0, 0, 1 };
	struct mon_msg d;

	CHECK_EQ(mon_decode(unknown, sizeof(unknown), &d), ERR_FORMAT);
	CHECK_EQ(mon_decode(badlen, sizeof(badlen), &d), ERR_FORMAT);
	CHECK_EQ(mon_decode(trailing, sizeof(trailing), &d), ERR_TRAILING);
	CHECK_EQ(mon_decode(shortb, sizeof(shortb), &d), ERR_SHORT);
	CHECK_EQ(mon_decode(good, sizeof(good), &d), 0);
	CHECK_EQ(d.u[0], 1);
	CHECK(mon_schema(0) == NULL && mon_schema(MON_TYPE_MAX) == NULL);
}

static void
t_dup(void)
{
	struct mon_msg m;
	char *s;

	mon_init(&m, MON_USER_REQ);
	mon_set_str(&m, 0, "a\0b", 3);
	CHECK(mon_dup_cstr(&m, 0) == NULL);
	mon_set_cstr(&m, 0, "alice");
	s = mon_dup_cstr(&m, 0);
	CHECK(s != NULL && strcmp(s, "alice") == 0);
	free(s);
}

const struct ut_case monmsg_cases[] = {
	{ "roundtrip", t_roundtrip },
	{ "rejects", t_rejects },
	{ "dup", t_dup },
	{ NULL, NULL },
};
