/*
 * scp_source.c - "scp -f NAME...": send files and, with -r, directories
 * as the remote end of OpenSSH's scp does (its source() and rsource()):
 * a T record first with -p, then C (or D ... E) records, each waiting for
 * the client's answer; a file that cannot be read is reported as
 * "scp: NAME: reason" and the next one is tried.  If a file shrinks or
 * fails while being sent, zeros keep the stream in step and a warning
 * replaces the final "ok" byte.  Names holding a newline are sent
 * vis-encoded ("\^J"), as OpenSSH does.  Paths live on the heap, so deep
 * trees cost little stack.
 */
#include "autoconf.h"

#include <sys/sendfile.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "session/scp_int.h"

static int send_one(struct scp_ctx *c, char *path);

/* Send the lines in b (then empty it); 0 or SCP_STOP. */
static int
send_buf(struct scp_ctx *c, struct buf *b)
{
	int r = scp_write(c, buf_ptr(b), buf_len(b));

	buf_reset(b);
	return r;
}

/* A T record for st (-p), and the client's answer: 0, 1 or SCP_STOP. */
static int
send_times(struct scp_ctx *c, const struct stat *st)
{
	struct buf b;
	int r;

	buf_init(&b, 128);
	if (scp_msg_put_times(&b, (int64_t)st->st_mtime,
	    (int64_t)st->st_atime) != 0) {
		buf_free(&b);
		return SCP_STOP;
	}
	scp_verbose(c, "File mtime %lld atime %lld\n",
	    (long long)st->st_mtime, (long long)st->st_atime);
	scp_verbose(c, "Sending file timestamps: %.*s", (int)buf_len(&b),
	    (const char *)buf_ptr(&b));
	r = send_buf(c, &b);
	buf_free(&b);
	return r == 0 ? scp_response(c) : SCP_STOP;
}

/* The last component of a path (which has no trailing '/'). */
static const char *
last_name(const char *name)
{
	const char *p = strrchr(name, '/');

	return p != NULL ? p + 1 : name;
}

/* Read up to n bytes of fd into p; the count, short only at EOF/error. */
static size_t
read_full(int fd, unsigned char *p, size_t n, int *err)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			*err = r == 0 ? EPIPE : errno;	/* as atomicio */
			break;
		}
		got += (size_t)r;
	}
	return got;
}

/*
 * Send file data with sendfile(), without a copy through our memory, from
 * *sent up to size.  Stops early (0) when sendfile cannot be used here
 * (c->no_sendfile set; the file offset is where read() goes on) or the
 * file could not be read (*haderr set); SCP_STOP if the client is gone.
 */
static int
sendfile_data(struct scp_ctx *c, int fd, int64_t size, int64_t *sent,
    int *haderr)
{
	ssize_t n;
	size_t amt;

	while (*sent < size) {
		amt = size - *sent < SCP_SPLICE_MAX ? (size_t)(size - *sent) :
		    SCP_SPLICE_MAX;
		n = sendfile(c->out, fd, NULL, amt);
		if (n > 0) {
			*sent += n;
			continue;
		}
		if (n == 0) {			/* the file shrank */
			*haderr = EPIPE;	/* as atomicio says at EOF */
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN && scp_wait_fd(c->out, POLLOUT) == 0)
			continue;
		if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
			c->no_sendfile = 1;
			return 0;
		}
		if (errno == EPIPE || errno == ECONNRESET)
			return SCP_STOP;
		*haderr = errno;
		return 0;
	}
	return 0;
}

/*
 * The data of a regular file, size bytes; *haderr gets the errno of a
 * read error (zeros are sent in place of what could not be read).
 */
static int
send_data(struct scp_ctx *c, int fd, int64_t size, int *haderr)
{
	unsigned char *p;
	int64_t i = 0;
	size_t amt, got;

	if (!c->no_sendfile && sendfile_data(c, fd, size, &i, haderr) != 0)
		return SCP_STOP;
	for (; i < size; i += (int64_t)amt) {
		amt = size - i < SCP_CHUNK ? (size_t)(size - i) : SCP_CHUNK;
		buf_reset(&c->blk);
		if (buf_reserve(&c->blk, amt, &p) != 0)
			return SCP_STOP;
		if (!*haderr) {
			got = read_full(fd, p, amt, haderr);
			if (got < amt)
				memset(p + got, 0, amt - got);
		} else
			memset(p, 0, amt);
		if (scp_write(c, p, amt) != 0)
			return SCP_STOP;
		buf_consume(&c->blk, amt);
	}
	return 0;
}

/* One regular file: [T], C, data, status byte, answer. */
static int
send_file(struct scp_ctx *c, int fd, const char *name, const struct stat *st)
{
	struct buf b;
	int haderr = 0, r;

	if (c->o.preserve && (r = send_times(c, st)) != 0)
		return r == SCP_STOP ? r : 0;
	buf_init(&b, SCP_LINE_MAX + 2);
	if ((r = scp_msg_put_file(&b, st->st_mode, (int64_t)st->st_size,
	    last_name(name))) != 0) {
		buf_free(&b);
		return scp_run_err(c, "%s: %s", name, r == ERR_LENGTH ?
		    strerror(ENAMETOOLONG) : err_str(r));
	}
	scp_verbose(c, "Sending file modes: %.*s", (int)buf_len(&b),
	    (const char *)buf_ptr(&b));
	r = send_buf(c, &b);
	buf_free(&b);
	if (r != 0 || (r = scp_response(c)) != 0)
		return r == SCP_STOP ? r : 0;
	if (send_data(c, fd, (int64_t)st->st_size, &haderr) != 0)
		return SCP_STOP;
	if (haderr)
		r = scp_run_err(c, "%s: %s", name, strerror(haderr));
	else
		r = scp_ack(c);
	if (r != 0)
		return SCP_STOP;
	return scp_response(c) == SCP_STOP ? SCP_STOP : 0;
}

/* Each entry of an open directory, as path/entry. */
static int
send_entries(struct scp_ctx *c, DIR *d, const char *path, const char *shown)
{
	struct dirent *de;
	char *sub;
	size_t n;
	int r;

	while ((de = readdir(d)) != NULL) {
		if (de->d_ino == 0 || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		n = strlen(path) + 1 + strlen(de->d_name);
		if (n >= PATH_MAX - 1) {
			if (scp_run_err(c, "%s/%s: name too long", shown,
			    de->d_name) != 0)
				return SCP_STOP;
			continue;
		}
		if ((sub = malloc(n + 1)) == NULL)
			return scp_run_err(c, "%s", strerror(ENOMEM)) != 0 ?
			    SCP_STOP : 0;
		memcpy(sub, path, strlen(path));
		sub[strlen(path)] = '/';
		memcpy(sub + strlen(path) + 1, de->d_name,
		    strlen(de->d_name) + 1);
		r = send_one(c, sub);
		free(sub);
		if (r == SCP_STOP)
			return r;
	}
	return 0;
}

/* A directory (-r): [T], D, its entries, E. */
static int
send_dir(struct scp_ctx *c, const char *path, const char *shown,
    const struct stat *st)
{
	struct buf b;
	DIR *d;
	int r;

	if ((d = opendir(path)) == NULL)
		return scp_run_err(c, "%s: %s", shown, strerror(errno));
	if (c->o.preserve && (r = send_times(c, st)) != 0) {
		closedir(d);
		return r == SCP_STOP ? r : 0;
	}
	buf_init(&b, SCP_DIR_NAME_MAX + 64);
	if (scp_msg_put_dir(&b, st->st_mode, last_name(shown)) != 0) {
		/* "/": no name to send (scp would send an empty one). */
		buf_free(&b);
		closedir(d);
		return scp_run_err(c, "%s: no name to send", shown);
	}
	scp_verbose(c, "Entering directory: %.*s", (int)buf_len(&b),
	    (const char *)buf_ptr(&b));
	r = send_buf(c, &b);
	buf_free(&b);
	if (r != 0 || (r = scp_response(c)) != 0) {
		closedir(d);
		return r == SCP_STOP ? r : 0;
	}
	r = send_entries(c, d, path, shown);
	closedir(d);
	if (r != 0 || scp_write(c, "E\n", 2) != 0)
		return SCP_STOP;
	return scp_response(c) == SCP_STOP ? SCP_STOP : 0;
}

/* A path whose name is safe to send: vis-encoded if it holds '\n'. */
static char *
shown_name(const char *path)
{
	char *enc;

	if (strchr(path, '\n') == NULL)
		return strdup(path);
	if ((enc = malloc(PATH_MAX)) != NULL)
		scp_vis_name(path, enc, PATH_MAX);
	return enc;
}

/* One path (its trailing slashes gone): a file, or a directory with -r. */
static int
send_one(struct scp_ctx *c, char *path)
{
	struct stat st;
	char *shown;
	int fd, r, fl;

	if ((shown = shown_name(path)) == NULL)
		return scp_run_err(c, "%s", strerror(ENOMEM)) != 0 ?
		    SCP_STOP : 0;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK)) == -1 ||
	    fstat(fd, &st) == -1) {
		r = scp_run_err(c, "%s: %s", shown, strerror(errno));
		goto out;
	}
	if (st.st_size < 0) {
		r = scp_run_err(c, "%s: %s", shown, "Negative file size");
		goto out;
	}
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	if (S_ISREG(st.st_mode))
		r = send_file(c, fd, shown, &st);
	else if (S_ISDIR(st.st_mode) && c->o.recursive)
		r = send_dir(c, path, shown, &st);
	else
		r = scp_run_err(c, "%s: not a regular file", shown);
out:
	if (fd != -1)
		close(fd);
	free(shown);
	return r == SCP_STOP ? SCP_STOP : 0;
}

int
scp_source(struct scp_ctx *c, const char *name)
{
	char *path;
	size_t n;
	int r;

	if ((path = strdup(name)) == NULL)
		return scp_run_err(c, "%s", strerror(ENOMEM)) != 0 ?
		    SCP_STOP : 0;
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	r = send_one(c, path);
	free(path);
	return r;
}
