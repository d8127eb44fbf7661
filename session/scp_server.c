/*
 * scp_server.c - entry point of the internal legacy scp server (see
 * scp.h): options, the per-run context, and the I/O every part uses:
 * buffered reads of the client's records and answers, writes, and the
 * answers and warnings scp sends ("\0", "\1scp: ...\n").  The sink and the
 * source are in scp_sink.c and scp_source.c.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "session/scp_int.h"

/* One read asks for at most this much. */
#define SCP_READ_MAX	SCP_CHUNK
/* A read into an empty inb, or 64 KiB more after part of a line. */
#define SCP_INBUF_MAX	(SCP_READ_MAX + SCP_LINE_MAX + 2 + 65536)

static const char usage_text[] =
    "usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] "
    "[-F ssh_config]\n"
    "           [-i identity_file] [-J destination] [-l limit] "
    "[-o ssh_option]\n"
    "           [-P port] [-S program] [-X sftp_option] source ... target\n";

int
scp_wait_fd(int fd, short ev)
{
	struct pollfd p;

	p.fd = fd;
	p.events = ev;
	p.revents = 0;
	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR && errno != EAGAIN)
			return -1;
	return 0;
}

static int
write_fd(int fd, const void *p, size_t n)
{
	const unsigned char *q = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, q, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (scp_wait_fd(fd, POLLOUT) != 0)
				return -1;
			continue;
		}
		if (w <= 0)
			return -1;
		q += w;
		n -= (size_t)w;
	}
	return 0;
}

int
scp_write(struct scp_ctx *c, const void *p, size_t n)
{
	return write_fd(c->out, p, n) == 0 ? 0 : SCP_STOP;
}

int
scp_ack(struct scp_ctx *c)
{
	return scp_write(c, "", 1);
}

static int
send_warning(struct scp_ctx *c, const char *msg)
{
	struct buf b;
	size_t n = strnlen(msg, SCP_LINE_MAX - 6);	/* the line fits */
	int r;

	c->errs++;
	buf_init(&b, SCP_LINE_MAX + 2);
	if ((r = buf_put_u8(&b, SCP_REC_WARN)) == 0 &&
	    (r = buf_put(&b, "scp: ", 5)) == 0 &&
	    (r = buf_put(&b, msg, n)) == 0)
		r = buf_put_u8(&b, '\n');
	if (r == 0)
		r = scp_write(c, buf_ptr(&b), buf_len(&b));
	else
		r = SCP_STOP;
	buf_free(&b);
	return r;
}

int
scp_run_err(struct scp_ctx *c, const char *fmt, ...)
{
	char msg[SCP_LINE_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return send_warning(c, msg);
}

int
scp_screwup(struct scp_ctx *c, const char *why)
{
	(void)scp_run_err(c, "protocol error: %s", why);
	return SCP_STOP;
}

void
scp_note_err(struct scp_ctx *c, const char *fmt, ...)
{
	char msg[SCP_LINE_MAX + 1];
	va_list ap;

	c->errs++;
	if (c->noted != NULL)
		return;		/* the first error is the one reported */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->noted = strdup(msg);
	if (c->noted == NULL)
		c->noted = strdup("out of memory");
}

int
scp_flush_noted(struct scp_ctx *c)
{
	int r;

	if (c->noted == NULL)
		return 0;
	r = send_warning(c, c->noted);
	free(c->noted);
	c->noted = NULL;
	return r == 0 ? 1 : SCP_STOP;
}

void
scp_verbose(struct scp_ctx *c, const char *fmt, ...)
{
	char msg[SCP_LINE_MAX + 64];
	va_list ap;
	size_t i, n;

	if (!c->o.verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = strlen(msg);
	for (i = 0; i < n; i++)
		if (((unsigned char)msg[i] < 0x20 && msg[i] != '\n' &&
		    msg[i] != '\t') || msg[i] == 0x7f)
			msg[i] = '?';
	(void)write_fd(c->err, msg, n);
}

/* Append one read of at most max bytes to inb: the count, 0 at EOF. */
static long
read_more(struct scp_ctx *c, size_t max)
{
	unsigned char *dst;
	ssize_t got;

	if (max == 0 || buf_reserve(&c->inb, max, &dst) != 0)
		return SCP_STOP;
	for (;;) {
		got = read(c->in, dst, max);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    scp_wait_fd(c->in, POLLIN) == 0)
			continue;
		break;
	}
	buf_consume_end(&c->inb, got > 0 ? max - (size_t)got : max);
	return got < 0 ? SCP_STOP : (long)got;
}

long
scp_fill(struct scp_ctx *c, size_t max)
{
	if (buf_len(&c->inb) > 0)
		return (long)buf_len(&c->inb);
	return read_more(c, max < SCP_READ_MAX ? max : SCP_READ_MAX);
}

int
scp_read_line(struct scp_ctx *c)
{
	const unsigned char *p, *nl;
	size_t n;
	long got;

	for (;;) {
		p = buf_ptr(&c->inb);
		n = buf_len(&c->inb);
		if ((nl = memchr(p, '\n', n)) != NULL)
			break;
		if (n > SCP_LINE_MAX)
			return scp_screwup(c, "record too long");
		got = read_more(c, n == 0 ? SCP_READ_MAX : 65536);
		if (got == 0 && n == 0)
			return ERR_EOF;
		if (got <= 0)
			return scp_screwup(c, "lost connection");
	}
	c->linelen = (size_t)(nl - p);
	if (c->linelen > SCP_LINE_MAX)
		return scp_screwup(c, "record too long");
	memcpy(c->line, p, c->linelen);
	c->line[c->linelen] = '\0';
	buf_consume(&c->inb, c->linelen + 1);
	return 0;
}

int
scp_response(struct scp_ctx *c)
{
	long got;
	int r;

	if ((got = scp_fill(c, SCP_READ_MAX)) <= 0)
		return SCP_STOP;	/* lost connection */
	if (buf_ptr(&c->inb)[0] == 0) {
		buf_consume(&c->inb, 1);
		return 0;
	}
	/* A warning or a fatal error, text up to '\n'; it is not shown
	 * here (the client printed it), only counted. */
	if ((r = scp_read_line(c)) != 0)
		return SCP_STOP;
	c->errs++;
	return c->line[0] == SCP_REC_WARN ? 1 : SCP_STOP;
}

static int
usage(struct scp_ctx *c, const char *msg)
{
	char line[256];

	if (msg != NULL && *msg != '\0') {
		snprintf(line, sizeof(line), "scp: %s\n", msg);
		(void)write_fd(c->err, line, strlen(line));
	}
	(void)write_fd(c->err, usage_text, sizeof(usage_text) - 1);
	return 1;
}

/* Serve -f (each operand) or -t (one target). */
static int
run(struct scp_ctx *c, int argc, char **argv)
{
	int i, nops = argc - c->o.first_operand;

	if (c->o.source) {
		if (scp_response(c) == SCP_STOP)
			return SCP_STOP;
		for (i = c->o.first_operand; i < argc; i++)
			if (scp_source(c, argv[i]) == SCP_STOP)
				return SCP_STOP;
		return 0;
	}
	if (nops != 1) {
		(void)scp_run_err(c, "ambiguous target");
		return SCP_STOP;
	}
	return scp_sink(c, argv[c->o.first_operand]);
}

int
scp_server_main(int argc, char **argv, int in, int out, int err)
{
	struct scp_ctx c;
	struct sigaction ign, oldpipe;
	struct stat st;
	char msg[128];
	mode_t oldmask;
	int r;

	memset(&c, 0, sizeof(c));
	c.in = in;
	c.out = out;
	c.err = err;
	r = scp_parse_opts(argc, argv, &c.o, msg, sizeof(msg));
	if (r == ERR_PROTO) {
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "\n");
		(void)write_fd(err, msg, strlen(msg));
		return 255;
	}
	if (r != 0)
		return usage(&c, r == ERR_FORMAT ? msg : NULL);
	if (!c.o.source && !c.o.sink)
		return usage(&c, "the internal scp server needs -t or -f");

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &oldpipe);
	oldmask = umask(0);
	c.mask = oldmask;
	if (!c.o.preserve) {
		c.mask |= 07000;
		umask(oldmask);
	}
	c.splice_in = fstat(in, &st) == 0 && S_ISFIFO(st.st_mode);
	buf_init(&c.inb, SCP_INBUF_MAX);
	buf_init(&c.blk, SCP_CHUNK);

	r = run(&c, argc, argv);

	buf_free(&c.inb);
	buf_free(&c.blk);
	free(c.noted);
	umask(oldmask);
	sigaction(SIGPIPE, &oldpipe, NULL);
	return (r == SCP_STOP || c.errs != 0) ? 1 : 0;
}
