/*
 * scp_int.h - what the files of the internal scp server share: the
 * per-run context and the I/O and answer helpers of scp_server.c, used by
 * the sink (scp_sink.c) and the source (scp_source.c).  Not for use
 * outside session/scp_*.c.
 */
#ifndef NSSHD_SESSION_SCP_INT_H
#define NSSHD_SESSION_SCP_INT_H

#include <sys/types.h>

#include "proto/buf.h"
#include "proto/scp_msg.h"
#include "session/scp.h"

/*
 * File data moves in blocks of this size when it passes through our
 * memory: small enough to stay in the CPU caches (measured: 1 MiB blocks
 * cost ~60% more CPU than 64 KiB ones).  Without a copy (sendfile,
 * splice) up to SCP_SPLICE_MAX bytes move per call.
 */
#define SCP_CHUNK	(64 * 1024)
#define SCP_SPLICE_MAX	(1024 * 1024)

/*
 * A function that returns SCP_STOP has ended the run: the connection is
 * gone or a fatal error was reported to the client (scp would exit 1).
 */
#define SCP_STOP	(-1)

struct scp_ctx {
	int in, out, err;	/* the client's pipes, not ours to close */
	struct scp_opts o;
	int errs;		/* errors reported: exit status 1 */
	mode_t mask;		/* sink without -p: umask | 07000 */
	struct buf inb;		/* read from the client, not used yet */
	struct buf blk;		/* source: one block of file data */
	char line[SCP_LINE_MAX + 2];	/* the last record line read */
	size_t linelen;
	char *noted;		/* sink: the first error noted for a file */
	int no_sendfile;	/* source: sendfile() refused, use read/write */
	int splice_in;		/* sink: in is a pipe, try splice() */
};

/* --- scp_server.c --- */

/* Write all of p to the client; 0 or SCP_STOP (the client is gone). */
int scp_write(struct scp_ctx *c, const void *p, size_t n);
/* The "ok" answer, one zero byte; 0 or SCP_STOP. */
int scp_ack(struct scp_ctx *c);
/*
 * Count an error and send it as a warning: "\1scp: " + message + "\n"
 * (OpenSSH's run_err).  0 or SCP_STOP.
 */
int scp_run_err(struct scp_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A fatal protocol error: run_err("protocol error: WHY"); SCP_STOP. */
int scp_screwup(struct scp_ctx *c, const char *why);
/* Sink: remember the first error of a file (counted), sent at its end. */
void scp_note_err(struct scp_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Send the noted error if any: 1 if one was sent, 0 if none, SCP_STOP. */
int scp_flush_noted(struct scp_ctx *c);
/* -v: a debug line on the client's stderr (control bytes shown as '?'). */
void scp_verbose(struct scp_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Read one record line into c->line (NUL-terminated, without its '\n'),
 * length c->linelen.  0; ERR_EOF when the client closed before a line
 * began; SCP_STOP after a lost connection mid-line or an overlong line
 * (reported as a protocol error).
 */
int scp_read_line(struct scp_ctx *c);
/*
 * Read the client's answer (OpenSSH's response()): 0 ok; 1 a warning
 * (counted); SCP_STOP for a fatal answer, an unknown one, or a lost
 * connection.
 */
int scp_response(struct scp_ctx *c);
/*
 * Make at least one byte of input available in c->inb, reading at most
 * max bytes: > 0 the bytes now buffered, 0 end of file, SCP_STOP a read
 * error.
 */
long scp_fill(struct scp_ctx *c, size_t max);
/* Wait until fd is ready for ev (poll events), after EAGAIN; 0 or -1. */
int scp_wait_fd(int fd, short ev);

/* --- scp_sink.c --- */

/* scp -t TARG: receive into targ; 0 or SCP_STOP. */
int scp_sink(struct scp_ctx *c, const char *targ);

/* --- scp_source.c --- */

/* scp -f NAME: send one operand; 0 or SCP_STOP. */
int scp_source(struct scp_ctx *c, const char *name);

#endif
