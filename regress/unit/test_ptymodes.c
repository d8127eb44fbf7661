/* test_ptymodes.c - RFC 4254 section 8 terminal modes to termios. */
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/err.h"
#include "proto/buf.h"
#include "session/session.h"
#include "regress/unit/unittest.h"

/* Append one (opcode, value) pair. */
static void
put_op(struct buf *b, uint8_t op, uint32_t v)
{
	CHECK_EQ(buf_put_u8(b, op), 0);
	CHECK_EQ(buf_put_u32(b, v), 0);
}

static int
apply(struct termios *t, const struct buf *b)
{
	return ptymodes_apply(t, buf_ptr(b), buf_len(b));
}

static void
t_chars(void)
{
	struct termios t;
	struct buf b;

	memset(&t, 0, sizeof(t));
	t.c_cc[VEOF] = 4;
	buf_init(&b, 0);
	put_op(&b, 1, 3);		/* VINTR ^C */
	put_op(&b, 3, 127);		/* VERASE DEL */
	put_op(&b, 5, 255);		/* VEOF disabled */
	put_op(&b, 13, 23);		/* VWERASE ^W */
	put_op(&b, 2, 256);		/* VQUIT: out of range, ignored */
	CHECK_EQ(buf_put_u8(&b, 0), 0);
	CHECK_EQ(apply(&t, &b), 0);
	CHECK_EQ(t.c_cc[VINTR], 3);
	CHECK_EQ(t.c_cc[VERASE], 127);
	CHECK_EQ(t.c_cc[VEOF], _POSIX_VDISABLE);
	CHECK_EQ(t.c_cc[VWERASE], 23);
	CHECK_EQ(t.c_cc[VQUIT], 0);
	buf_free(&b);
}

static void
t_flags(void)
{
	struct termios t;
	struct buf b;

	memset(&t, 0, sizeof(t));
	t.c_lflag = ISIG;
	t.c_oflag = OLCUC;
	buf_init(&b, 0);
	put_op(&b, 36, 1);		/* ICRNL */
	put_op(&b, 42, 1);		/* IUTF8 */
	put_op(&b, 50, 0);		/* ISIG off */
	put_op(&b, 51, 1);		/* ICANON */
	put_op(&b, 53, 7);		/* ECHO: any non-zero sets */
	put_op(&b, 70, 1);		/* OPOST */
	put_op(&b, 71, 0);		/* OLCUC off */
	put_op(&b, 72, 1);		/* ONLCR */
	put_op(&b, 92, 1);		/* PARENB */
	put_op(&b, 91, 1);		/* CS8 */
	CHECK_EQ(buf_put_u8(&b, 0), 0);
	CHECK_EQ(apply(&t, &b), 0);
	CHECK_EQ(t.c_iflag, ICRNL | IUTF8);
	CHECK_EQ(t.c_lflag, ICANON | ECHO);
	CHECK_EQ(t.c_oflag, OPOST | ONLCR);
	CHECK_EQ(t.c_cflag, PARENB | CS8);
	buf_free(&b);
}

static void
t_csize(void)
{
	struct termios t;
	struct buf b;

	memset(&t, 0, sizeof(t));
	t.c_cflag = CS8;
	buf_init(&b, 0);
	put_op(&b, 90, 1);		/* CS7 */
	CHECK_EQ(apply(&t, &b), 0);
	CHECK_EQ(t.c_cflag & CSIZE, CS7);
	put_op(&b, 91, 1);		/* CS7 then CS8, as OpenSSH sends */
	CHECK_EQ(apply(&t, &b), 0);
	CHECK_EQ(t.c_cflag & CSIZE, CS8);
	buf_reset(&b);
	put_op(&b, 91, 0);		/* a cleared size changes nothing */
	CHECK_EQ(apply(&t, &b), 0);
	CHECK_EQ(t.c_cflag & CSIZE, CS8);
	buf_free(&b);
}

static void
t_speeds(void)
{
	struct termios t;
	struct buf b;

	/* glibc on Linux keeps one speed in c_cflag: test one at a time */
	memset(&t, 0, sizeof(t));
	buf_init(&b, 0);
	put_op(&b, 128, 38400);
	CHECK_EQ(apply(&t, &b), 0);
	CHECK_EQ(cfgetispeed(&t), B38400);
	buf_reset(&b);
	put_op(&b, 129, 9600);
	CHECK_EQ(apply(&t, &b), 0);
	CHECK_EQ(cfgetospeed(&t), B9600);
	buf_reset(&b);
	put_op(&b, 129, 100000);	/* not a rate: the next lower one */
	CHECK_EQ(apply(&t, &b), 0);
	CHECK_EQ(cfgetospeed(&t), B57600);
	buf_reset(&b);
	put_op(&b, 129, 0xffffffff);	/* above all: the fastest */
	CHECK_EQ(apply(&t, &b), 0);
	CHECK_EQ(cfgetospeed(&t), B4000000);
	buf_free(&b);
}

static void
t_truncated(void)
{
	static const unsigned char cut[] = { 53, 0, 0, 0 };
	static const unsigned char cut2[] = { 53, 0, 0, 0, 1, 51 };
	struct termios t, before;

	memset(&t, 0, sizeof(t));
	t.c_lflag = ISIG;
	before = t;
	CHECK_EQ(ptymodes_apply(&t, cut, sizeof(cut)), ERR_FORMAT);
	CHECK(memcmp(&t, &before, sizeof(t)) == 0);
	/* ECHO was complete, but the whole input failed: nothing changes */
	CHECK_EQ(ptymodes_apply(&t, cut2, sizeof(cut2)), ERR_FORMAT);
	CHECK(memcmp(&t, &before, sizeof(t)) == 0);
	CHECK_EQ(ptymodes_apply(&t, NULL, 0), 0);
	CHECK(memcmp(&t, &before, sizeof(t)) == 0);
}

static void
t_unknown(void)
{
	struct termios t, want;
	struct buf b;

	memset(&t, 0, sizeof(t));
	want = t;
	want.c_lflag = ECHO;
	buf_init(&b, 0);
	put_op(&b, 11, 25);		/* VDSUSP: not on Linux */
	put_op(&b, 99, 0xffffffff);	/* undefined below 160 */
	put_op(&b, 159, 1);
	put_op(&b, 53, 1);		/* ECHO after them still applies */
	CHECK_EQ(apply(&t, &b), 0);
	CHECK(memcmp(&t, &want, sizeof(t)) == 0);
	buf_free(&b);
}

static void
t_stop(void)
{
	static const unsigned char end[] = { 53, 0, 0, 0, 1, 0, 51, 0xff };
	static const unsigned char high[] = { 53, 0, 0, 0, 1, 160, 51, 0 };
	struct termios t;

	memset(&t, 0, sizeof(t));
	CHECK_EQ(ptymodes_apply(&t, end, sizeof(end)), 0);
	CHECK_EQ(t.c_lflag, ECHO);	/* ICANON after TTY_OP_END ignored */
	memset(&t, 0, sizeof(t));
	CHECK_EQ(ptymodes_apply(&t, high, sizeof(high)), 0);
	CHECK_EQ(t.c_lflag, ECHO);	/* opcode 160 stops parsing */
}

const struct ut_case ptymodes_cases[] = {
	{ "chars", t_chars },
	{ "flags", t_flags },
	{ "csize", t_csize },
	{ "speeds", t_speeds },
	{ "truncated", t_truncated },
	{ "unknown", t_unknown },
	{ "stop", t_stop },
	{ NULL, NULL },
};
