/*
 * sftp_server.c - the internal SFTP server's loop and dispatch (see
 * sftp.h).  Input is read in large chunks; every complete request in it is
 * handled in order and its reply appended to an output buffer, which
 * trades places with a second one that is written out as the peer takes
 * it (so replies are never moved in memory, and one buffer fills while
 * the other drains).  Requests are handled only while the filling buffer
 * is below SFTP_OUT_HIGH, and input is read only while at most one packet
 * is pending, so every queue stays bounded however many requests a client
 * pipelines.  The dispatch table names every request as -Q lists
 * it and carries the -R/-P/-p checks, as OpenSSH's sftp-server does.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "session/passwd_byid.h"
#include "session/sftp.h"
#include "session/sftp_int.h"

struct sftp_handler {
	const char *name;	/* for -P/-p and -Q */
	uint8_t type;
	enum sftp_ext ext;	/* EXTENDED requests */
	const char *ext_version;	/* advertised in VERSION */
	sftp_handler_fn *fn;
	int does_write;		/* refused by -R */
};

static const struct sftp_handler handlers[] = {
	/* open checks -R itself: only opens that may write are refused. */
	{ "open", SSH2_FXP_OPEN, 0, NULL, sftp_do_open, 0 },
	{ "close", SSH2_FXP_CLOSE, 0, NULL, sftp_do_close, 0 },
	{ "read", SSH2_FXP_READ, 0, NULL, sftp_do_read, 0 },
	{ "write", SSH2_FXP_WRITE, 0, NULL, sftp_do_write, 1 },
	{ "lstat", SSH2_FXP_LSTAT, 0, NULL, sftp_do_lstat, 0 },
	{ "fstat", SSH2_FXP_FSTAT, 0, NULL, sftp_do_fstat, 0 },
	{ "setstat", SSH2_FXP_SETSTAT, 0, NULL, sftp_do_setstat, 1 },
	{ "fsetstat", SSH2_FXP_FSETSTAT, 0, NULL, sftp_do_fsetstat, 1 },
	{ "opendir", SSH2_FXP_OPENDIR, 0, NULL, sftp_do_opendir, 0 },
	{ "readdir", SSH2_FXP_READDIR, 0, NULL, sftp_do_readdir, 0 },
	{ "remove", SSH2_FXP_REMOVE, 0, NULL, sftp_do_remove, 1 },
	{ "mkdir", SSH2_FXP_MKDIR, 0, NULL, sftp_do_mkdir, 1 },
	{ "rmdir", SSH2_FXP_RMDIR, 0, NULL, sftp_do_rmdir, 1 },
	{ "realpath", SSH2_FXP_REALPATH, 0, NULL, sftp_do_realpath, 0 },
	{ "stat", SSH2_FXP_STAT, 0, NULL, sftp_do_stat, 0 },
	{ "rename", SSH2_FXP_RENAME, 0, NULL, sftp_do_rename, 1 },
	{ "readlink", SSH2_FXP_READLINK, 0, NULL, sftp_do_readlink, 0 },
	{ "symlink", SSH2_FXP_SYMLINK, 0, NULL, sftp_do_symlink, 1 },
	{ "posix-rename", SSH2_FXP_EXTENDED, SFTP_EXT_POSIX_RENAME, "1",
	    sftp_do_posix_rename, 1 },
	{ "statvfs", SSH2_FXP_EXTENDED, SFTP_EXT_STATVFS, "2",
	    sftp_do_statvfs, 0 },
	{ "fstatvfs", SSH2_FXP_EXTENDED, SFTP_EXT_FSTATVFS, "2",
	    sftp_do_fstatvfs, 0 },
	{ "hardlink", SSH2_FXP_EXTENDED, SFTP_EXT_HARDLINK, "1",
	    sftp_do_hardlink, 1 },
	{ "fsync", SSH2_FXP_EXTENDED, SFTP_EXT_FSYNC, "1", sftp_do_fsync, 1 },
	{ "lsetstat", SSH2_FXP_EXTENDED, SFTP_EXT_LSETSTAT, "1",
	    sftp_do_lsetstat, 1 },
	{ "limits", SSH2_FXP_EXTENDED, SFTP_EXT_LIMITS, "1",
	    sftp_do_limits, 0 },
	{ "expand-path", SSH2_FXP_EXTENDED, SFTP_EXT_EXPAND_PATH, "1",
	    sftp_do_expand_path, 0 },
	{ "copy-data", SSH2_FXP_EXTENDED, SFTP_EXT_COPY_DATA, "1",
	    sftp_do_copy_data, 1 },
	{ "home-directory", SSH2_FXP_EXTENDED, SFTP_EXT_HOME_DIR, "1",
	    sftp_do_home_dir, 0 },
	{ "users-groups-by-id", SSH2_FXP_EXTENDED, SFTP_EXT_USERS_GROUPS, "1",
	    sftp_do_users_groups, 0 },
};
#define N_HANDLERS (sizeof(handlers) / sizeof(handlers[0]))

/* ---- replies ------------------------------------------------------- */

uint32_t
sftp_errno_status(int err)
{
	switch (err) {
	case 0:
		return SSH2_FX_OK;
	case ENOENT: case ENOTDIR: case EBADF: case ELOOP:
		return SSH2_FX_NO_SUCH_FILE;
	case EPERM: case EACCES: case EFAULT:
		return SSH2_FX_PERMISSION_DENIED;
	case ENAMETOOLONG: case EINVAL:
		return SSH2_FX_BAD_MESSAGE;
	case ENOSYS:
		return SSH2_FX_OP_UNSUPPORTED;
	default:
		return SSH2_FX_FAILURE;
	}
}

const char *
sftp_status_text(uint32_t code)
{
	static const char *const text[] = {
		"Success", "End of file", "No such file", "Permission denied",
		"Failure", "Bad message", "No connection", "Connection lost",
		"Operation unsupported",
	};

	return code < sizeof(text) / sizeof(text[0]) ? text[code] :
	    "Unknown error";
}

void
sftp_queued(struct sftp_state *st, int r)
{
	if (r != 0 && !st->fatal) {
		error("sftp: cannot queue a reply: %s", err_str(r));
		st->fatal = 1;
	}
}

void
sftp_send_status_msg(struct sftp_state *st, uint32_t id, uint32_t code,
    const char *text)
{
	debug3("request %u: sent status %u", id, code);
	if (log_get_level() > LOG_LVL_VERBOSE ||
	    (code != SSH2_FX_OK && code != SSH2_FX_EOF))
		logit("sent status %s", sftp_status_text(code));
	sftp_queued(st, sftp_put_status(&st->obuf, id, code,
	    text != NULL ? text : sftp_status_text(code)));
}

void
sftp_send_status(struct sftp_state *st, uint32_t id, uint32_t code)
{
	sftp_send_status_msg(st, id, code, NULL);
}

int
sftp_cpath(const struct sview *v, char *dst)
{
	if (v->n >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (v->n > 0)
		memcpy(dst, v->p, v->n);
	dst[v->n] = '\0';
	return 0;
}

int
sftp_paths(struct sftp_state *st, const struct sftp_req *q, int two)
{
	if (sftp_cpath(&q->path, st->path) != 0 ||
	    (two && sftp_cpath(&q->path2, st->path2) != 0)) {
		sftp_send_status(st, q->id, sftp_errno_status(errno));
		return -1;
	}
	return 0;
}

/* ---- dispatch ------------------------------------------------------ */

/* Is name an item of the comma-separated list? */
static int
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list, *c;

	while (*p != '\0') {
		c = strchr(p, ',');
		if ((size_t)((c != NULL ? c : p + strlen(p)) - p) == n &&
		    strncmp(p, name, n) == 0)
			return 1;
		if (c == NULL)
			break;
		p = c + 1;
	}
	return 0;
}

static int
listed(const char *list, const struct sftp_handler *h)
{
	return in_list(list, h->name) || (h->ext != SFTP_EXT_NONE &&
	    in_list(list, sftp_ext_name(h->ext)));
}

static int
permitted(const struct sftp_state *st, const struct sftp_handler *h)
{
	if (st->readonly && h->does_write) {
		verbose("Refusing %s request in read-only mode", h->name);
		return 0;
	}
	if (st->deny != NULL && listed(st->deny, h)) {
		verbose("Refusing denylisted %s request", h->name);
		return 0;
	}
	if (st->allow != NULL && listed(st->allow, h)) {
		debug2("Permitting allowlisted %s request", h->name);
		return 1;
	}
	if (st->allow != NULL) {
		verbose("Refusing non-allowlisted %s request", h->name);
		return 0;
	}
	return 1;
}

static const struct sftp_handler *
find_handler(const struct sftp_req *q)
{
	size_t i;

	for (i = 0; i < N_HANDLERS; i++)
		if (handlers[i].type == q->type && handlers[i].ext == q->ext)
			return &handlers[i];
	return NULL;
}

static void
do_init(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_ext_adv adv[N_HANDLERS];
	size_t i, n = 0;

	st->version = q->version;
	verbose("received client version %u", q->version);
	for (i = 0; i < N_HANDLERS; i++) {
		if (handlers[i].ext == SFTP_EXT_NONE)
			continue;
		if (!permitted(st, &handlers[i])) {
			debug2("refusing to advertise disallowed extension %s",
			    handlers[i].name);
			continue;
		}
		adv[n].name = sftp_ext_name(handlers[i].ext);
		adv[n++].version = handlers[i].ext_version;
	}
	sftp_queued(st, sftp_put_version(&st->obuf, SFTP_VERSION, adv, n));
	st->init_done = 1;
}

/* One packet (type + body).  -1 ends the session. */
static int
dispatch(struct sftp_state *st, const struct sview *pkt)
{
	const struct sftp_handler *h;
	struct sftp_req q;
	int r;

	r = sftp_decode(pkt->p, pkt->n, &q);
	if (q.type == SSH2_FXP_INIT) {
		if (r != 0)
			error("sftp: bad init message: %s", err_str(r));
		else
			do_init(st, &q);
		return r != 0 ? -1 : 0;
	}
	if (!st->init_done) {
		error("Received %u request before init", q.type);
		return -1;
	}
	if (!q.has_id) {
		error("sftp: message %u without an id", q.type);
		return -1;
	}
	if (r != 0) {
		error("sftp: bad message %u: %s", q.type, err_str(r));
		sftp_send_status(st, q.id, SSH2_FX_BAD_MESSAGE);
	} else if ((h = find_handler(&q)) == NULL) {
		if (q.type == SSH2_FXP_EXTENDED)
			error("Unknown extended request \"%.*s\"",
			    (int)(q.ext_name.n < 100 ? q.ext_name.n : 100),
			    q.ext_name.n ? (const char *)q.ext_name.p : "");
		else
			error("Unknown message %u", q.type);
		sftp_send_status(st, q.id, SSH2_FX_OP_UNSUPPORTED);
	} else if (!permitted(st, h))
		sftp_send_status(st, q.id, SSH2_FX_PERMISSION_DENIED);
	else
		h->fn(st, &q);
	return st->fatal ? -1 : 0;
}

/* Handle the complete requests in the input buffer while the output has
 * room.  0, or -1 to end the session. */
static int
process(struct sftp_state *st)
{
	struct sview pkt;
	size_t n;
	int r;

	while (buf_len(&st->obuf) < SFTP_OUT_HIGH) {
		r = sftp_frame(buf_ptr(&st->ibuf), buf_len(&st->ibuf),
		    SFTP_MAX_PACKET, &n, &pkt);
		if (r == ERR_AGAIN)
			return 0;
		if (r != 0) {
			error("bad message%s local user %s",
			    st->from[0] != '\0' ? st->from : " from", st->user);
			return -1;
		}
		if (dispatch(st, &pkt) != 0)
			return -1;
		buf_consume(&st->ibuf, n);
	}
	return 0;
}

/* ---- the loop ------------------------------------------------------ */

/* Read what is there into the input buffer.  1 data, 0 nothing now,
 * -1 EOF, -2 error. */
static int
fill(struct sftp_state *st)
{
	unsigned char *p;
	size_t room = SFTP_IN_MAX - buf_len(&st->ibuf);
	ssize_t r;

	if (room > SFTP_IN_CHUNK)
		room = SFTP_IN_CHUNK;
	if (buf_reserve(&st->ibuf, room, &p) != 0)
		return -2;
	r = read(st->in, p, room);
	buf_consume_end(&st->ibuf, r > 0 ? room - (size_t)r : room);
	if (r > 0)
		return 1;
	if (r == 0) {
		debug("read eof");
		return -1;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	error("read: %s", strerror(errno));
	return -2;
}

/* Bytes of replies not yet written. */
static size_t
pending(const struct sftp_state *st)
{
	return buf_len(&st->wbuf) + buf_len(&st->obuf);
}

/* Write what the peer takes, swapping in the replies added meanwhile when
 * the write buffer runs empty.  0 fine, -1 the peer is gone, -2 error. */
static int
flush(struct sftp_state *st)
{
	struct buf tmp;
	ssize_t r;

	for (;;) {
		if (buf_len(&st->wbuf) == 0) {
			if (buf_len(&st->obuf) == 0)
				return 0;
			tmp = st->wbuf;
			st->wbuf = st->obuf;
			st->obuf = tmp;
		}
		r = write(st->out, buf_ptr(&st->wbuf), buf_len(&st->wbuf));
		if (r > 0) {
			buf_consume(&st->wbuf, (size_t)r);
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR))
			return 0;
		if (r == 0 || errno == EPIPE) {
			debug("write eof");
			return -1;
		}
		error("write: %s", strerror(errno));
		return -2;
	}
}

/* A complete packet waits in the input buffer. */
static int
have_packet(const struct sftp_state *st)
{
	struct sview pkt;
	size_t n;

	return sftp_frame(buf_ptr(&st->ibuf), buf_len(&st->ibuf),
	    SFTP_MAX_PACKET, &n, &pkt) != ERR_AGAIN;
}

/*
 * Serve until EOF on input and every reply written (0), the peer stops
 * reading (0, as sftp-server), or a protocol or I/O error (1).
 */
int
sftp_serve(struct sftp_state *st)
{
	struct pollfd pfd[2];
	int eof = 0, r;

	for (;;) {
		if (process(st) != 0)
			return 1;
		/* Replies go out at once when the peer has room: no poll. */
		if (pending(st) > 0 && (r = flush(st)) != 0)
			return r == -1 ? 0 : 1;
		if (have_packet(st) && buf_len(&st->obuf) < SFTP_OUT_HIGH)
			continue;	/* room again for waiting requests */
		if (eof && pending(st) == 0 && !have_packet(st))
			return 0;
		memset(pfd, 0, sizeof(pfd));
		pfd[0].fd = pfd[1].fd = -1;
		if (!eof && buf_len(&st->ibuf) <= SFTP_MAX_PACKET + 4) {
			pfd[0].fd = st->in;
			pfd[0].events = POLLIN;
		}
		if (pending(st) > 0) {
			pfd[1].fd = st->out;
			pfd[1].events = POLLOUT;
		}
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			error("poll: %s", strerror(errno));
			return 1;
		}
		if ((pfd[0].revents | pfd[1].revents) & POLLNVAL)
			return 1;
		if (pfd[1].revents && (r = flush(st)) != 0)
			return r == -1 ? 0 : 1;
		if (pfd[0].revents && (r = fill(st)) < 0) {
			if (r == -2)
				return 1;
			eof = 1;
		}
	}
}

void
sftp_list_requests(int fd)
{
	size_t i;

	for (i = 0; i < N_HANDLERS; i++)
		dprintf(fd, "%s\n", handlers[i].name);
}
