/*
 * scp_msg.c - legacy scp protocol records (see scp_msg.h): a strict parser
 * for the lines a sink receives, formatters for the lines a source sends,
 * and OpenSSH's strnvis(VIS_NL) encoding of names holding a newline.
 */
#include "autoconf.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "proto/scp_msg.h"

#define USEC_MAX	999999u

/* A cursor over one record line. */
struct cur {
	const unsigned char *p;
	size_t n, i;
};

static int
at(const struct cur *c, unsigned char ch)
{
	return c->i < c->n && c->p[c->i] == ch;
}

static int
at_digit(const struct cur *c)
{
	return c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9';
}

/*
 * Decimal digits at the cursor (at least one); a value past UINT64_MAX
 * saturates and sets *ovf, as strtoull does.
 */
static int
get_dec(struct cur *c, uint64_t *v, int *ovf)
{
	unsigned int d;

	*v = 0;
	*ovf = 0;
	if (!at_digit(c))
		return ERR_FORMAT;
	while (at_digit(c)) {
		d = c->p[c->i++] - '0';
		if (*v > (UINT64_MAX - d) / 10) {
			*ovf = 1;
			*v = UINT64_MAX;
		} else if (!*ovf)
			*v = *v * 10 + d;
	}
	return 0;
}

/* Digits then ' ' (or the end of the line when last is set). */
static int
get_field(struct cur *c, uint64_t *v, int *ovf, int last)
{
	if (get_dec(c, v, ovf) != 0)
		return ERR_FORMAT;
	if (last)
		return c->i == c->n ? 0 : ERR_FORMAT;
	if (!at(c, ' '))
		return ERR_FORMAT;
	c->i++;
	return 0;
}

static int
fail(struct scp_rec *out, const char **why, int r, const char *text)
{
	memset(out, 0, sizeof(*out));
	if (why != NULL)
		*why = text;
	return r;
}

/* "T" mtime " " usec " " atime " " usec; wording as OpenSSH's sink. */
static int
parse_times(struct cur *c, struct scp_rec *out, const char **why)
{
	uint64_t v;
	int ovf, ok = 1;

	if (!at_digit(c))
		return fail(out, why, ERR_FORMAT, "mtime.sec not present");
	if (get_field(c, &out->mtime, &ovf, 0) != 0)
		return fail(out, why, ERR_FORMAT, "mtime.sec not delimited");
	ok &= !ovf && out->mtime <= INT64_MAX;
	if (get_field(c, &v, &ovf, 0) != 0 || ovf || v > USEC_MAX)
		return fail(out, why, ERR_FORMAT, "mtime.usec not delimited");
	out->mtime_usec = (uint32_t)v;
	if (!at_digit(c))
		return fail(out, why, ERR_FORMAT, "atime.sec not present");
	if (get_field(c, &out->atime, &ovf, 0) != 0)
		return fail(out, why, ERR_FORMAT, "atime.sec not delimited");
	ok &= !ovf && out->atime <= INT64_MAX;
	if (get_field(c, &v, &ovf, 1) != 0 || ovf || v > USEC_MAX)
		return fail(out, why, ERR_FORMAT, "atime.usec not delimited");
	out->atime_usec = (uint32_t)v;
	out->times_ok = ok;
	return 0;
}

/* A received name: one path component. */
static int
name_ok(const unsigned char *p, size_t n)
{
	if (n == 0 || memchr(p, '/', n) != NULL || memchr(p, '\0', n) != NULL)
		return 0;
	if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
		return 0;
	return 1;
}

/* "C" or "D": four octal digits, ' ', size, ' ', name. */
static int
parse_entry(struct cur *c, struct scp_rec *out, const char **why)
{
	int i, ovf;

	for (i = 0; i < 4; i++) {
		if (c->i >= c->n || c->p[c->i] < '0' || c->p[c->i] > '7')
			return fail(out, why, ERR_FORMAT, "bad mode");
		out->mode = (out->mode << 3) |
		    (unsigned int)(c->p[c->i++] - '0');
	}
	if (!at(c, ' '))
		return fail(out, why, ERR_FORMAT, "mode not delimited");
	c->i++;
	if (!at_digit(c))
		return fail(out, why, ERR_FORMAT, "size not present");
	if (get_field(c, &out->size, &ovf, 0) != 0)
		return fail(out, why, ERR_FORMAT, "size not delimited");
	if (ovf || out->size > INT64_MAX)
		return fail(out, why, ERR_RANGE, "size out of range");
	out->name.p = c->p + c->i;
	out->name.n = c->n - c->i;
	if (!name_ok(out->name.p, out->name.n))
		return fail(out, why, ERR_DENIED, "unexpected filename");
	return 0;
}

int
scp_msg_parse(const unsigned char *p, size_t n, struct scp_rec *out,
    const char **why)
{
	struct cur c;

	memset(out, 0, sizeof(*out));
	if (why != NULL)
		*why = NULL;
	if (n > SCP_LINE_MAX)
		return fail(out, why, ERR_LENGTH, "record too long");
	if (n == 0 || p[0] == '\n')
		return fail(out, why, ERR_PROTO, "unexpected <newline>");
	c.p = p;
	c.n = n;
	c.i = 1;
	out->type = p[0];
	switch (p[0]) {
	case SCP_REC_WARN:
	case SCP_REC_FATAL:
		if (memchr(p, '\n', n) != NULL)
			return fail(out, why, ERR_FORMAT,
			    "unexpected <newline>");
		out->msg.p = p + 1;
		out->msg.n = n - 1;
		return 0;
	case SCP_REC_END:
		return n == 1 ? 0 :
		    fail(out, why, ERR_FORMAT, "expected control record");
	default:
		break;
	}
	if (memchr(p, '\n', n) != NULL)
		return fail(out, why, ERR_FORMAT, "unexpected <newline>");
	switch (p[0]) {
	case SCP_REC_TIME:
		return parse_times(&c, out, why);
	case SCP_REC_FILE:
	case SCP_REC_DIR:
		return parse_entry(&c, out, why);
	default:
		return fail(out, why, ERR_PROTO, "expected control record");
	}
}

/* Append a formatted line; the line must fit SCP_LINE_MAX + '\n'. */
static int
put_line(struct buf *b, const char *line, int len)
{
	if (len < 0)
		return ERR_INTERNAL;
	if ((size_t)len > SCP_LINE_MAX + 1)
		return ERR_LENGTH;
	return buf_put(b, line, (size_t)len);
}

static int
send_name_ok(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL &&
	    strchr(name, '\n') == NULL;
}

int
scp_msg_put_file(struct buf *b, unsigned int mode, int64_t size,
    const char *name)
{
	char line[SCP_LINE_MAX + 2];

	if (size < 0)
		return ERR_RANGE;
	if (!send_name_ok(name))
		return ERR_FORMAT;
	if (strlen(name) > SCP_LINE_MAX)
		return ERR_LENGTH;
	return put_line(b, line, snprintf(line, sizeof(line), "C%04o %" PRId64
	    " %s\n", mode & SCP_MODE_SEND_MASK, size, name));
}

int
scp_msg_put_dir(struct buf *b, unsigned int mode, const char *name)
{
	char line[SCP_DIR_NAME_MAX + 32];

	if (!send_name_ok(name))
		return ERR_FORMAT;
	return put_line(b, line, snprintf(line, sizeof(line), "D%04o 0 %.*s\n",
	    mode & SCP_MODE_SEND_MASK, SCP_DIR_NAME_MAX, name));
}

int
scp_msg_put_times(struct buf *b, int64_t mtime, int64_t atime)
{
	char line[64];

	return put_line(b, line, snprintf(line, sizeof(line),
	    "T%" PRIu64 " 0 %" PRIu64 " 0\n",
	    (uint64_t)(mtime < 0 ? 0 : mtime),
	    (uint64_t)(atime < 0 ? 0 : atime)));
}

/* vis(3) of one byte with VIS_NL and no other flag, into t (>= 5 bytes). */
static size_t
vis_byte(unsigned char ch, char *t)
{
	size_t k = 0;

	if (ch == '\\') {
		t[k++] = '\\';
		t[k++] = '\\';
		return k;
	}
	if ((ch < 0x80 && ch > 0x20 && ch < 0x7f) || ch == ' ' || ch == '\t') {
		t[k++] = (char)ch;
		return k;
	}
	t[k++] = '\\';
	if ((ch & 0x7f) == ' ') {		/* 0xa0: octal */
		t[k++] = (char)('0' + ((ch >> 6) & 7));
		t[k++] = (char)('0' + ((ch >> 3) & 7));
		t[k++] = (char)('0' + (ch & 7));
		return k;
	}
	if (ch & 0x80) {
		ch &= 0x7f;
		t[k++] = 'M';
	}
	if (ch < 0x20 || ch == 0x7f) {
		t[k++] = '^';
		t[k++] = ch == 0x7f ? '?' : (char)(ch + '@');
	} else {
		t[k++] = '-';
		t[k++] = (char)ch;
	}
	return k;
}

size_t
scp_vis_name(const char *name, char *dst, size_t dstlen)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t o = 0, k;
	char t[8];

	if (dstlen == 0)
		return 0;
	for (; *s != '\0'; s++) {
		k = vis_byte(*s, t);
		if (o + k > dstlen - 1)
			break;
		memcpy(dst + o, t, k);
		o += k;
	}
	dst[o] = '\0';
	return o;
}
