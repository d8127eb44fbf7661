/*
 * scp_sink.c - "scp -t TARGET": receive files and directories as the
 * remote end of OpenSSH's scp does (its sink()): the same answers, the
 * same warnings, the same treatment of modes (masked by the umask and
 * without setuid/setgid bits unless -p), times (T records) and existing
 * files (overwritten in place, then truncated).  A directory record
 * recurses; the recursion is bounded by PATH_MAX (mkdir fails beyond it)
 * and each level keeps only a few words on the stack.
 */
#include "autoconf.h"

#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "session/scp_int.h"

/* Times from a T record, for the next C or D record. */
struct times {
	int set;
	struct timeval tv[2];	/* atime, mtime */
};

/* -d: the target must be a directory; otherwise scp reports and exits. */
static int
verifydir(struct scp_ctx *c, const char *targ)
{
	struct stat st;

	if (stat(targ, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
	}
	(void)scp_run_err(c, "%s: %s", targ, strerror(errno));
	return SCP_STOP;
}

/* The file a C or D record names: in targ if it is a directory. */
static char *
dest_path(const char *targ, int targisdir, const char *name)
{
	char *np;
	size_t n;

	if (!targisdir)
		return strdup(targ);
	n = strlen(targ) + strlen(name) + 2;
	if ((np = malloc(n)) == NULL)
		return NULL;
	snprintf(np, n, "%s%s%s", targ, strcmp(targ, "/") ? "/" : "", name);
	return np;
}

/* Write all of p to a file; 0 or -1 with errno set. */
static int
write_all_file(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Move up to want bytes from the pipe c->in straight into ofd: the count
 * moved, 0 at end of file, -1 with errno set.
 */
static ssize_t
splice_in(struct scp_ctx *c, int ofd, size_t want)
{
	ssize_t n;

	for (;;) {
		n = splice(c->in, NULL, ofd, NULL, want, SPLICE_F_MOVE);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN && scp_wait_fd(c->in, POLLIN) == 0)
			continue;
		return -1;
	}
}

/*
 * Read size bytes of file data and write them to ofd: spliced without a
 * copy when the input is a pipe, else through c->inb.  A write error is
 * noted and the rest is read and dropped to stay in step; the client
 * closing mid-file is fatal.
 */
static int
recv_data(struct scp_ctx *c, int ofd, uint64_t size, const char *np,
    int *wrerr)
{
	uint64_t left = size;
	ssize_t moved;
	size_t n;
	long got;
	int use_splice = c->splice_in;

	while (left > 0) {
		if (!*wrerr && use_splice && buf_len(&c->inb) == 0) {
			moved = splice_in(c, ofd, left < SCP_SPLICE_MAX ?
			    (size_t)left : SCP_SPLICE_MAX);
			if (moved > 0) {
				left -= (uint64_t)moved;
				continue;
			}
			if (moved == 0) {
				(void)scp_run_err(c, "%s", strerror(EPIPE));
				return SCP_STOP;
			}
			if (errno == EINVAL || errno == ENOSYS ||
			    errno == EOPNOTSUPP)
				use_splice = 0;	/* not to this file: copy */
			else {
				scp_note_err(c, "%s: %s", np, strerror(errno));
				*wrerr = 1;
			}
		}
		got = scp_fill(c, left < SCP_CHUNK ? (size_t)left : SCP_CHUNK);
		if (got <= 0) {
			(void)scp_run_err(c, "%s", strerror(EPIPE));
			return SCP_STOP;
		}
		n = (uint64_t)got < left ? (size_t)got : (size_t)left;
		if (!*wrerr && write_all_file(ofd, buf_ptr(&c->inb), n) != 0) {
			scp_note_err(c, "%s: %s", np, strerror(errno));
			*wrerr = 1;
		}
		buf_consume(&c->inb, n);
		left -= n;
	}
	return 0;
}

/* The modes a received file ends with, as scp sets them. */
static void
set_mode(struct scp_ctx *c, int ofd, const char *np, mode_t omode,
    mode_t mode, int exists)
{
	if (c->o.preserve) {
		if ((exists || omode != mode) && fchmod(ofd, omode) != 0)
			scp_note_err(c, "%s: set mode: %s", np,
			    strerror(errno));
	} else if (!exists && omode != mode &&
	    fchmod(ofd, omode & ~c->mask) != 0)
		scp_note_err(c, "%s: set mode: %s", np, strerror(errno));
}

/* A C record: create or overwrite np, then answer for the file. */
static int
recv_file(struct scp_ctx *c, const char *np, mode_t mode, uint64_t size,
    const struct stat *st, int exists, const struct times *t)
{
	mode_t omode = mode;
	int ofd, wrerr = 0, r;

	mode |= S_IWUSR;
	if ((ofd = open(np, O_WRONLY | O_CREAT, mode)) == -1)
		return scp_run_err(c, "%s: %s", np, strerror(errno));
	if (scp_ack(c) != 0 || recv_data(c, ofd, size, np, &wrerr) != 0) {
		close(ofd);
		return SCP_STOP;
	}
	if (!wrerr && (!exists || S_ISREG(st->st_mode)) &&
	    ftruncate(ofd, (off_t)size) != 0)
		scp_note_err(c, "%s: truncate: %s", np, strerror(errno));
	set_mode(c, ofd, np, omode, mode, exists);
	if (close(ofd) == -1)
		scp_note_err(c, "%s: close: %s", np, strerror(errno));
	if (scp_response(c) == SCP_STOP)
		return SCP_STOP;
	if (t->set && !wrerr && utimes(np, t->tv) == -1)
		scp_note_err(c, "%s: set times: %s", np, strerror(errno));
	if ((r = scp_flush_noted(c)) != 0)
		return r == SCP_STOP ? r : 0;
	return scp_ack(c);
}

/* A D record: make or reuse np, receive into it, then set its mode. */
static int
recv_dir(struct scp_ctx *c, const char *np, mode_t mode,
    const struct stat *st, int exists, const struct times *t)
{
	int mod_flag = c->o.preserve;

	if (!c->o.recursive)
		return scp_screwup(c, "received directory without -r");
	if (exists) {
		if (!S_ISDIR(st->st_mode)) {
			errno = ENOTDIR;
			return scp_run_err(c, "%s: %s", np, strerror(errno));
		}
		if (c->o.preserve)
			(void)chmod(np, mode);
	} else {
		mod_flag = 1;
		if (mkdir(np, mode | S_IRWXU) == -1)
			return scp_run_err(c, "%s: %s", np, strerror(errno));
	}
	if (scp_sink(c, np) == SCP_STOP)
		return SCP_STOP;
	if (t->set)
		(void)utimes(np, t->tv);
	if (mod_flag)
		(void)chmod(np, mode);
	return 0;
}

/* The name of a C or D line that the parser refused, for the message. */
static const char *
line_name(const char *line)
{
	const char *p = line + 6;	/* "Cmmmm " */

	while (*p >= '0' && *p <= '9')
		p++;
	return *p == ' ' ? p + 1 : p;
}

/* A record the parser refused: reported as scp does; always SCP_STOP. */
static int
bad_record(struct scp_ctx *c, int r, const char *why, int first)
{
	if (r == ERR_PROTO && c->linelen > 0 && first) {
		/* "No match." from a shell, or any other first words. */
		(void)scp_run_err(c, "%s", c->line);
		return SCP_STOP;
	}
	if (r == ERR_DENIED) {
		(void)scp_run_err(c, "error: unexpected filename: %s",
		    line_name(c->line));
		return SCP_STOP;
	}
	return scp_screwup(c, why != NULL ? why : "expected control record");
}

/* A C or D record: where it goes, then the file or the directory. */
static int
entry(struct scp_ctx *c, const char *targ, int targisdir,
    const struct scp_rec *rec, struct times *t)
{
	struct times tt = *t;
	struct stat st;
	mode_t mode = (mode_t)rec->mode;
	char *name, *np;
	int exists, r;

	t->set = 0;		/* the times belong to this entry only */
	if (!c->o.preserve)
		mode &= ~c->mask;
	name = strndup((const char *)rec->name.p, rec->name.n);
	np = name != NULL ? dest_path(targ, targisdir, name) : NULL;
	free(name);
	if (np == NULL) {
		(void)scp_run_err(c, "%s", strerror(ENOMEM));
		return SCP_STOP;
	}
	exists = stat(np, &st) == 0;
	if (rec->type == SCP_REC_DIR)
		r = recv_dir(c, np, mode, &st, exists, &tt);
	else
		r = recv_file(c, np, mode, rec->size, &st, exists, &tt);
	free(np);
	return r;
}

/* A T record: times for the next entry (ignored if out of range). */
static void
take_times(const struct scp_rec *rec, struct times *t)
{
	t->set = rec->times_ok;
	t->tv[0].tv_sec = (time_t)rec->atime;
	t->tv[0].tv_usec = (suseconds_t)rec->atime_usec;
	t->tv[1].tv_sec = (time_t)rec->mtime;
	t->tv[1].tv_usec = (suseconds_t)rec->mtime_usec;
}

int
scp_sink(struct scp_ctx *c, const char *targ)
{
	struct times t;
	struct stat st;
	struct scp_rec rec;
	const char *why;
	int targisdir, first, r;

	if (c->o.targetdir && verifydir(c, targ) != 0)
		return SCP_STOP;
	if (scp_ack(c) != 0)
		return SCP_STOP;
	targisdir = stat(targ, &st) == 0 && S_ISDIR(st.st_mode);
	memset(&t, 0, sizeof(t));
	for (first = 1;; first = 0) {
		if ((r = scp_read_line(c)) == ERR_EOF)
			return 0;
		if (r != 0)
			return SCP_STOP;
		scp_verbose(c, "Sink: %s\n", c->line);
		r = scp_msg_parse((const unsigned char *)c->line, c->linelen,
		    &rec, &why);
		if (r != 0)
			return bad_record(c, r, why, first);
		switch (rec.type) {
		case SCP_REC_WARN:
			c->errs++;
			continue;
		case SCP_REC_FATAL:
			return SCP_STOP;
		case SCP_REC_END:
			return scp_ack(c);
		case SCP_REC_TIME:
			take_times(&rec, &t);
			if (scp_ack(c) != 0)
				return SCP_STOP;
			continue;
		default:
			break;
		}
		if (entry(c, targ, targisdir, &rec, &t) == SCP_STOP)
			return SCP_STOP;
	}
}
