/*
 * ptymodes.c - RFC 4254 section 8 "encoded terminal modes" to termios.
 *
 * The encoding is a list of (opcode byte, uint32 argument) pairs for
 * opcodes 1..159, ended by TTY_OP_END (0); opcodes 160..255 are undefined
 * and stop parsing.  Opcodes 1..18 name control characters (255 disables
 * one), 30..93 name flag bits (argument non-zero sets, zero clears), 128
 * and 129 the input and output speeds in bits per second; IUTF8 (42) comes
 * from RFC 8160.  Opcodes this system has no equivalent for are skipped.
 * Pure: parses from a read-only buffer view into a copy of *t, which is
 * stored only when the whole input parsed.
 */
#include "autoconf.h"

#include <stddef.h>
#include <stdint.h>
#include <termios.h>
#include <unistd.h>

#include "common/err.h"
#include "proto/buf.h"
#include "session/session.h"

#define TTY_OP_END	0
#define TTY_OP_ISPEED	128
#define TTY_OP_OSPEED	129
#define TTY_OP_LIMIT	160	/* opcodes from here on stop parsing */
#define TTY_CHAR_OFF	255	/* argument that disables a control char */

enum mode_field { F_IFLAG, F_OFLAG, F_LFLAG, F_CFLAG };

static const struct {
	uint8_t op;
	uint8_t index;		/* into c_cc */
} cc_ops[] = {
	{ 1, VINTR }, { 2, VQUIT }, { 3, VERASE }, { 4, VKILL }, { 5, VEOF },
	{ 6, VEOL }, { 7, VEOL2 }, { 8, VSTART }, { 9, VSTOP }, { 10, VSUSP },
	{ 12, VREPRINT }, { 13, VWERASE }, { 14, VLNEXT },
#ifdef VSWTC
	{ 16, VSWTC },
#endif
	{ 18, VDISCARD },
};

static const struct {
	uint8_t op;
	uint8_t field;		/* enum mode_field */
	tcflag_t bit;
} flag_ops[] = {
	{ 30, F_IFLAG, IGNPAR }, { 31, F_IFLAG, PARMRK }, { 32, F_IFLAG, INPCK },
	{ 33, F_IFLAG, ISTRIP }, { 34, F_IFLAG, INLCR }, { 35, F_IFLAG, IGNCR },
	{ 36, F_IFLAG, ICRNL }, { 37, F_IFLAG, IUCLC }, { 38, F_IFLAG, IXON },
	{ 39, F_IFLAG, IXANY }, { 40, F_IFLAG, IXOFF },
	{ 41, F_IFLAG, IMAXBEL }, { 42, F_IFLAG, IUTF8 },
	{ 50, F_LFLAG, ISIG }, { 51, F_LFLAG, ICANON }, { 52, F_LFLAG, XCASE },
	{ 53, F_LFLAG, ECHO }, { 54, F_LFLAG, ECHOE }, { 55, F_LFLAG, ECHOK },
	{ 56, F_LFLAG, ECHONL }, { 57, F_LFLAG, NOFLSH },
	{ 58, F_LFLAG, TOSTOP }, { 59, F_LFLAG, IEXTEN },
	{ 60, F_LFLAG, ECHOCTL }, { 61, F_LFLAG, ECHOKE },
	{ 62, F_LFLAG, PENDIN },
	{ 70, F_OFLAG, OPOST }, { 71, F_OFLAG, OLCUC }, { 72, F_OFLAG, ONLCR },
	{ 73, F_OFLAG, OCRNL }, { 74, F_OFLAG, ONOCR }, { 75, F_OFLAG, ONLRET },
	{ 92, F_CFLAG, PARENB }, { 93, F_CFLAG, PARODD },
};

static const struct {
	uint32_t bps;
	speed_t code;
} speeds[] = {
	{ 0, B0 }, { 50, B50 }, { 75, B75 }, { 110, B110 }, { 134, B134 },
	{ 150, B150 }, { 200, B200 }, { 300, B300 }, { 600, B600 },
	{ 1200, B1200 }, { 1800, B1800 }, { 2400, B2400 }, { 4800, B4800 },
	{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 },
	{ 57600, B57600 }, { 115200, B115200 }, { 230400, B230400 },
	{ 460800, B460800 }, { 500000, B500000 }, { 576000, B576000 },
	{ 921600, B921600 }, { 1000000, B1000000 }, { 1152000, B1152000 },
	{ 1500000, B1500000 }, { 2000000, B2000000 }, { 2500000, B2500000 },
	{ 3000000, B3000000 }, { 3500000, B3500000 }, { 4000000, B4000000 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The speed code of the fastest listed rate not above bps. */
static speed_t
speed_code(uint32_t bps)
{
	size_t i;
	speed_t code = B0;

	for (i = 0; i < NELEM(speeds) && speeds[i].bps <= bps; i++)
		code = speeds[i].code;
	return code;
}

static tcflag_t *
field_of(struct termios *t, int field)
{
	switch (field) {
	case F_IFLAG:
		return &t->c_iflag;
	case F_OFLAG:
		return &t->c_oflag;
	case F_LFLAG:
		return &t->c_lflag;
	default:
		return &t->c_cflag;
	}
}

/* Character size: CS7 (90) / CS8 (91) select the size when set. */
static int
apply_csize(struct termios *t, uint8_t op, uint32_t v)
{
	if (op != 90 && op != 91)
		return 0;
	if (v != 0)
		t->c_cflag = (t->c_cflag & ~(tcflag_t)CSIZE) |
		    (op == 90 ? CS7 : CS8);
	return 1;
}

static int
apply_cc(struct termios *t, uint8_t op, uint32_t v)
{
	size_t i;

	for (i = 0; i < NELEM(cc_ops); i++) {
		if (cc_ops[i].op != op)
			continue;
		if (v == TTY_CHAR_OFF)
			t->c_cc[cc_ops[i].index] = _POSIX_VDISABLE;
		else if (v < TTY_CHAR_OFF)
			t->c_cc[cc_ops[i].index] = (cc_t)v;
		return 1;
	}
	return 0;
}

static int
apply_flag(struct termios *t, uint8_t op, uint32_t v)
{
	size_t i;
	tcflag_t *f;

	for (i = 0; i < NELEM(flag_ops); i++) {
		if (flag_ops[i].op != op)
			continue;
		f = field_of(t, flag_ops[i].field);
		if (v != 0)
			*f |= flag_ops[i].bit;
		else
			*f &= ~flag_ops[i].bit;
		return 1;
	}
	return 0;
}

/* Apply one opcode; unknown ones are ignored. */
static void
apply_op(struct termios *t, uint8_t op, uint32_t v)
{
	if (op == TTY_OP_ISPEED)
		cfsetispeed(t, speed_code(v));
	else if (op == TTY_OP_OSPEED)
		cfsetospeed(t, speed_code(v));
	else if (!apply_cc(t, op, v) && !apply_flag(t, op, v))
		apply_csize(t, op, v);
}

int
ptymodes_apply(struct termios *t, const unsigned char *modes, size_t len)
{
	struct termios work = *t;
	struct buf b;
	uint8_t op;
	uint32_t v;

	buf_view(&b, modes, len);
	while (buf_len(&b) > 0) {
		if (buf_get_u8(&b, &op) != 0)
			return ERR_FORMAT;
		if (op == TTY_OP_END || op >= TTY_OP_LIMIT)
			break;
		if (buf_get_u32(&b, &v) != 0)
			return ERR_FORMAT;
		apply_op(&work, op, v);
	}
	*t = work;
	return 0;
}
