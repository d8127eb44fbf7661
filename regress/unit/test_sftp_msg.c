/*
 * test_sftp_msg.c - the SFTP codec (proto/sftp_msg.c), the by-id passwd
 * and group parsers (session/passwd_byid.c), the server's mode strings and
 * path canonicalisation, and the server itself on a socketpair in a
 * forked child: INIT/VERSION, a file written and read back, malformed
 * packets, -R, -P, and a huge length ending the session.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "proto/sftp_msg.h"
#include "session/passwd_byid.h"
#include "session/sftp.h"
#include "session/sftp_int.h"
#include "regress/unit/unittest.h"

/* Start a packet: length placeholder, type, id (not for INIT). */
static void
pkt_start(struct buf *b, uint8_t type, uint32_t id)
{
	buf_reset(b);
	buf_put_u32(b, 0);
	buf_put_u8(b, type);
	if (type != SSH2_FXP_INIT)
		buf_put_u32(b, id);
}

static void
pkt_finish(struct buf *b)
{
	buf_set_be32(buf_mptr(b), (uint32_t)(buf_len(b) - 4));
}

static int
decode(struct buf *b, struct sftp_req *q)
{
	struct sview body;
	size_t n;
	int r;

	if ((r = sftp_frame(buf_ptr(b), buf_len(b), SFTP_MAX_PACKET, &n,
	    &body)) != 0)
		return r;
	return sftp_decode(body.p, body.n, q);
}

static void
t_frame(void)
{
	unsigned char p[8] = { 0, 0, 0, 3, 1, 2, 3, 9 };
	struct sview body;
	size_t n;

	CHECK_EQ(sftp_frame(p, 3, 100, &n, &body), ERR_AGAIN);
	CHECK_EQ(sftp_frame(p, 6, 100, &n, &body), ERR_AGAIN);
	CHECK_EQ(sftp_frame(p, 8, 100, &n, &body), 0);
	CHECK(n == 7 && body.p == p + 4 && body.n == 3);
	CHECK_EQ(sftp_frame(p, 8, 2, &n, &body), ERR_LENGTH);
	p[3] = 0;
	CHECK_EQ(sftp_frame(p, 8, 100, &n, &body), ERR_LENGTH);
	CHECK(n == 0 && body.p == NULL);
	p[0] = 0xff;
	CHECK_EQ(sftp_frame(p, 4, SFTP_MAX_PACKET, &n, &body), ERR_LENGTH);
}

static void
t_decode(void)
{
	struct buf b;
	struct sftp_req q;

	buf_init(&b, 0);
	pkt_start(&b, SSH2_FXP_INIT, 0);
	buf_put_u32(&b, 3);
	pkt_finish(&b);
	CHECK(decode(&b, &q) == 0 && q.type == SSH2_FXP_INIT &&
	    q.version == 3 && !q.has_id);

	pkt_start(&b, SSH2_FXP_OPEN, 7);
	buf_put_cstring(&b, "dir/file");
	buf_put_u32(&b, SSH2_FXF_WRITE | SSH2_FXF_CREAT);
	buf_put_u32(&b, SSH2_FILEXFER_ATTR_SIZE | SSH2_FILEXFER_ATTR_PERMISSIONS |
	    SSH2_FILEXFER_ATTR_EXTENDED);
	buf_put_u64(&b, 1234);
	buf_put_u32(&b, 0644);
	buf_put_u32(&b, 1);
	buf_put_cstring(&b, "vendor@example.com");
	buf_put_cstring(&b, "data");
	pkt_finish(&b);
	CHECK_EQ(decode(&b, &q), 0);
	CHECK(q.id == 7 && q.has_id && sview_eq(&q.path, "dir/file") &&
	    q.pflags == (SSH2_FXF_WRITE | SSH2_FXF_CREAT) &&
	    q.attrs.size == 1234 && q.attrs.perm == 0644);

	/* Truncated: the id survives for the BAD_MESSAGE reply. */
	buf_consume_end(&b, 3);
	pkt_finish(&b);
	CHECK_EQ(decode(&b, &q), ERR_SHORT);
	CHECK(q.type == SSH2_FXP_OPEN && q.has_id && q.id == 7 &&
	    q.path.p == NULL && q.attrs.flags == 0);

	pkt_start(&b, SSH2_FXP_WRITE, 9);
	buf_put_string(&b, "HANDLE01", 8);
	buf_put_u64(&b, 1ull << 40);
	buf_put_string(&b, "payload", 7);
	pkt_finish(&b);
	CHECK(decode(&b, &q) == 0 && q.offset == 1ull << 40 &&
	    q.handle.n == 8 && sview_eq(&q.data, "payload"));

	pkt_start(&b, SSH2_FXP_SYMLINK, 10);
	buf_put_cstring(&b, "target");
	buf_put_cstring(&b, "link");
	pkt_finish(&b);
	CHECK(decode(&b, &q) == 0 && sview_eq(&q.path, "target") &&
	    sview_eq(&q.path2, "link"));

	pkt_start(&b, SSH2_FXP_REMOVE, 11);
	buf_put_string(&b, "a\0b", 3);
	pkt_finish(&b);
	CHECK_EQ(decode(&b, &q), ERR_NUL);

	pkt_start(&b, 99, 12);		/* unknown type: the caller answers */
	pkt_finish(&b);
	CHECK(decode(&b, &q) == 0 && q.type == 99 && q.id == 12);
	buf_free(&b);
}

static void
t_decode_ext(void)
{
	struct buf b;
	struct sftp_req q;

	buf_init(&b, 0);
	pkt_start(&b, SSH2_FXP_EXTENDED, 1);
	buf_put_cstring(&b, "copy-data");
	buf_put_string(&b, "AAAAAAAA", 8);
	buf_put_u64(&b, 5);
	buf_put_u64(&b, 0);
	buf_put_string(&b, "BBBBBBBB", 8);
	buf_put_u64(&b, 7);
	pkt_finish(&b);
	CHECK(decode(&b, &q) == 0 && q.ext == SFTP_EXT_COPY_DATA &&
	    q.offset == 5 && q.len64 == 0 && q.offset2 == 7 &&
	    sview_eq(&q.handle2, "BBBBBBBB"));

	pkt_start(&b, SSH2_FXP_EXTENDED, 2);
	buf_put_cstring(&b, "users-groups-by-id@openssh.com");
	buf_put_string(&b, "\0\0\0\1\0\0\0\2", 8);
	buf_put_string(&b, "", 0);
	pkt_finish(&b);
	CHECK(decode(&b, &q) == 0 && q.ext == SFTP_EXT_USERS_GROUPS &&
	    sftp_ids_count(&q.uids) == 2 && sftp_ids_get(&q.uids, 1) == 2 &&
	    sftp_ids_count(&q.gids) == 0);

	pkt_start(&b, SSH2_FXP_EXTENDED, 3);
	buf_put_cstring(&b, "users-groups-by-id@openssh.com");
	buf_put_string(&b, "\0\0\0\1\0", 5);
	buf_put_string(&b, "", 0);
	pkt_finish(&b);
	CHECK_EQ(decode(&b, &q), ERR_FORMAT);

	pkt_start(&b, SSH2_FXP_EXTENDED, 4);
	buf_put_cstring(&b, "nosuch@example.com");
	buf_put_u32(&b, 42);
	pkt_finish(&b);
	CHECK(decode(&b, &q) == 0 && q.ext == SFTP_EXT_UNKNOWN);
	CHECK(sftp_ext_name(SFTP_EXT_LIMITS) != NULL &&
	    strcmp(sftp_ext_name(SFTP_EXT_LIMITS), "limits@openssh.com") == 0);
	buf_free(&b);
}

/* Frame the first reply of out and check its type and id. */
static int
reply(struct buf *out, uint8_t type, uint32_t id, struct buf *body)
{
	struct sview pkt;
	size_t n;
	uint8_t t;
	uint32_t rid;

	if (sftp_frame(buf_ptr(out), buf_len(out), SFTP_MAX_PACKET, &n,
	    &pkt) != 0)
		return 0;
	buf_view(body, pkt.p, pkt.n);
	buf_consume(out, n);
	if (buf_get_u8(body, &t) != 0 || t != type)
		return 0;
	return type == SSH2_FXP_VERSION ||
	    (buf_get_u32(body, &rid) == 0 && rid == id);
}

static void
t_encode(void)
{
	struct buf out, body;
	struct sftp_mark m;
	struct sftp_attrs a = { SSH2_FILEXFER_ATTR_SIZE, 99, 0, 0, 0, 0, 0 };
	struct sview v;
	unsigned char *dst, h[SFTP_HANDLE_LEN];
	uint32_t u, idx, gen;
	uint64_t u64;

	buf_init(&out, 0);
	CHECK_EQ(sftp_put_status(&out, 5, SSH2_FX_EOF, "End of file"), 0);
	CHECK(reply(&out, SSH2_FXP_STATUS, 5, &body));
	CHECK(buf_get_u32(&body, &u) == 0 && u == SSH2_FX_EOF);
	CHECK(buf_get_view(&body, &v) == 0 && sview_eq(&v, "End of file"));
	CHECK(buf_get_view(&body, &v) == 0 && v.n == 0 && buf_len(&body) == 0);

	CHECK_EQ(sftp_data_begin(&out, 6, 1000, &m, &dst), 0);
	memcpy(dst, "hello", 5);
	CHECK_EQ(sftp_data_end(&out, &m, 1000, 5), 0);
	CHECK(reply(&out, SSH2_FXP_DATA, 6, &body));
	CHECK(buf_get_view(&body, &v) == 0 && sview_eq(&v, "hello") &&
	    buf_len(&body) == 0);

	CHECK_EQ(sftp_name_begin(&out, 7, &m), 0);
	CHECK_EQ(sftp_name_add(&out, &m, 200, "a", "long a", &a), 0);
	CHECK_EQ(sftp_name_add(&out, &m, 60, "bbbbbbbbbbbbbbbbbbbb",
	    "long bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", &a), ERR_LENGTH);
	CHECK_EQ(sftp_name_end(&out, &m, 1), 0);
	CHECK(reply(&out, SSH2_FXP_NAME, 7, &body));
	CHECK(buf_get_u32(&body, &u) == 0 && u == 1);
	CHECK(buf_get_view(&body, &v) == 0 && sview_eq(&v, "a"));
	CHECK(buf_get_view(&body, &v) == 0 && sview_eq(&v, "long a"));
	CHECK(buf_get_u32(&body, &u) == 0 && u == SSH2_FILEXFER_ATTR_SIZE);
	CHECK(buf_get_u64(&body, &u64) == 0 && u64 == 99 &&
	    buf_len(&body) == 0);

	CHECK_EQ(sftp_put_limits(&out, 8, 1, 2, 3, 4), 0);
	CHECK(reply(&out, SSH2_FXP_EXTENDED_REPLY, 8, &body));
	CHECK(buf_len(&body) == 32);

	sftp_handle_encode(h, 3, 77);
	v.p = h;
	v.n = sizeof(h);
	CHECK(sftp_handle_decode(&v, &idx, &gen) == 0 && idx == 3 && gen == 77);
	v.n = 4;
	CHECK_EQ(sftp_handle_decode(&v, &idx, &gen), ERR_FORMAT);

	/* Too big for the buffer: nothing is appended. */
	buf_free(&out);
	buf_init(&out, 64);
	CHECK_EQ(sftp_data_begin(&out, 1, 1000, &m, &dst), ERR_LENGTH);
	CHECK_EQ(buf_len(&out), 0);
	CHECK(sftp_put_status(&out, 1, 4, "a rather long status message that "
	    "does not fit into sixty-four bytes at all") == ERR_LENGTH &&
	    buf_len(&out) == 0);
	buf_free(&out);
}

static void
t_passwd_byid(void)
{
	static const char pw[] =
	    "# comment\n"
	    "+nis:x:0:0::/:/bin/sh\n"
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "bad:x:5:5\n"
	    "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
	    "dup:x:1000:1000::/:/bin/sh\n"
	    "big:x:4294967295:1::/:\n"
	    "averyveryverylongusername:x:2000:2000::/:";
	static const char gr[] = "wheel:x:10:alice\nstaff:x:50:\n";
	char name[IDNAME_MAX + 1], small[8];

	CHECK(passwd_parse_name_byuid(pw, sizeof(pw) - 1, 0, name,
	    sizeof(name)) == 0 && strcmp(name, "root") == 0);
	CHECK(passwd_parse_name_byuid(pw, sizeof(pw) - 1, 1000, name,
	    sizeof(name)) == 0 && strcmp(name, "alice") == 0);
	CHECK_EQ(passwd_parse_name_byuid(pw, sizeof(pw) - 1, 5, name,
	    sizeof(name)), ERR_NOTFOUND);
	CHECK_EQ(passwd_parse_name_byuid(pw, sizeof(pw) - 1, (uid_t)-1, name,
	    sizeof(name)), ERR_NOTFOUND);
	CHECK(passwd_parse_name_byuid(pw, sizeof(pw) - 1, 2000, small,
	    sizeof(small)) == ERR_LENGTH && small[0] == '\0');
	CHECK(group_parse_name_bygid(gr, sizeof(gr) - 1, 50, name,
	    sizeof(name)) == 0 && strcmp(name, "staff") == 0);
	CHECK_EQ(group_parse_name_bygid(gr, sizeof(gr) - 1, 1000, name,
	    sizeof(name)), ERR_NOTFOUND);
}

static void
t_strmode(void)
{
	char m[12];

	sftp_strmode(S_IFDIR | 0755, m);
	CHECK(strcmp(m, "drwxr-xr-x ") == 0);
	sftp_strmode(S_IFREG | 04755, m);
	CHECK(strcmp(m, "-rwsr-xr-x ") == 0);
	sftp_strmode(S_IFREG | 02644, m);
	CHECK(strcmp(m, "-rw-r-Sr-- ") == 0);
	sftp_strmode(S_IFDIR | 01777, m);
	CHECK(strcmp(m, "drwxrwxrwt ") == 0);
	sftp_strmode(S_IFLNK | 0777, m);
	CHECK(strcmp(m, "lrwxrwxrwx ") == 0);
}

static void
t_realpath(void)
{
	char dir[] = "/tmp/nsshd-sftp-XXXXXX", p[PATH_MAX];
	char cwd[PATH_MAX], real[PATH_MAX], want2[PATH_MAX + 16];

	if (!CHECK(mkdtemp(dir) != NULL) || !CHECK(getcwd(cwd, sizeof(cwd))))
		return;
	CHECK(realpath(dir, real) != NULL);
	snprintf(p, sizeof(p), "%s/d", dir);
	CHECK_EQ(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/l", dir);
	CHECK_EQ(symlink("d/../d", p), 0);
	snprintf(p, sizeof(p), "%s/loop", dir);
	CHECK_EQ(symlink("loop", p), 0);
	CHECK_EQ(chdir(dir), 0);
	CHECK(sftp_realpath(".", p) == 0 && strcmp(p, real) == 0);
	snprintf(want2, sizeof(want2), "%s/d/new", real);
	CHECK(sftp_realpath("l/./new", p) == 0 && strcmp(p, want2) == 0);
	CHECK(sftp_realpath("missing/x", p) == -1 && errno == ENOENT);
	CHECK(sftp_realpath("loop", p) == -1 && errno == ELOOP);
	CHECK(sftp_realpath("/..//.", p) == 0 && strcmp(p, "/") == 0);
	CHECK(sftp_realpath("", p) == -1 && errno == ENOENT);
	CHECK_EQ(chdir(cwd), 0);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	CHECK_EQ(system(p), 0);
}

/* ---- the server on a socketpair ------------------------------------ */

struct peer {
	int fd;
	pid_t pid;
	struct buf in;
};

static int
peer_start(struct peer *pr, int argc, char **argv, const char *home)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 0;
	if ((pr->pid = fork()) == 0) {
		close(sv[0]);
		log_init("internal-sftp", LOG_LVL_QUIET, 1);
		if (chdir(home) != 0)
			_exit(9);
		_exit(sftp_server_main(argc, argv, sv[1], sv[1], "tester",
		    home));
	}
	close(sv[1]);
	pr->fd = sv[0];
	buf_init(&pr->in, 0);
	return pr->pid > 0;
}

static void
peer_send(struct peer *pr, struct buf *b)
{
	pkt_finish(b);
	CHECK((size_t)write(pr->fd, buf_ptr(b), buf_len(b)) == buf_len(b));
}

/* The next reply packet, checked for type and id, as a view in body. */
static int
peer_reply(struct peer *pr, uint8_t type, uint32_t id, struct buf *body)
{
	struct pollfd pfd = { pr->fd, POLLIN, 0 };
	unsigned char tmp[65536];
	struct sview pkt;
	size_t n;
	ssize_t r;

	while (sftp_frame(buf_ptr(&pr->in), buf_len(&pr->in), SFTP_MAX_PACKET,
	    &n, &pkt) == ERR_AGAIN) {
		if (poll(&pfd, 1, 10000) != 1 ||
		    (r = read(pr->fd, tmp, sizeof(tmp))) <= 0)
			return 0;
		buf_put(&pr->in, tmp, (size_t)r);
	}
	/* body stays valid: nothing is put into pr->in until the next call */
	return reply(&pr->in, type, id, body);
}

static uint32_t
peer_status(struct peer *pr, uint32_t id)
{
	struct buf body;
	uint32_t code;

	if (!peer_reply(pr, SSH2_FXP_STATUS, id, &body) ||
	    buf_get_u32(&body, &code) != 0)
		return 0xffffffff;
	return code;
}

static int
peer_end(struct peer *pr)
{
	int status;

	close(pr->fd);
	buf_free(&pr->in);
	if (waitpid(pr->pid, &status, 0) != pr->pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void
peer_init(struct peer *pr, struct buf *b, int *nexts)
{
	struct buf body;
	struct sview name, ver;
	uint32_t v;

	pkt_start(b, SSH2_FXP_INIT, 0);
	buf_put_u32(b, 3);
	peer_send(pr, b);
	*nexts = -1;
	if (!CHECK(peer_reply(pr, SSH2_FXP_VERSION, 0, &body)) ||
	    !CHECK(buf_get_u32(&body, &v) == 0 && v == 3))
		return;
	for (*nexts = 0; buf_len(&body) > 0; (*nexts)++)
		if (buf_get_view(&body, &name) != 0 ||
		    buf_get_view(&body, &ver) != 0)
			break;
}

static void
send_open(struct peer *pr, struct buf *b, uint32_t id, const char *path,
    uint32_t pflags)
{
	pkt_start(b, SSH2_FXP_OPEN, id);
	buf_put_cstring(b, path);
	buf_put_u32(b, pflags);
	buf_put_u32(b, 0);
	peer_send(pr, b);
}

static void
t_server_files(const char *home)
{
	char *argv[] = { "internal-sftp", NULL };
	struct peer pr;
	struct buf b, body;
	struct sview h, data;
	unsigned char hs[SFTP_HANDLE_LEN];
	int nexts;

	if (!CHECK(peer_start(&pr, 1, argv, home)))
		return;
	buf_init(&b, 0);
	peer_init(&pr, &b, &nexts);
	CHECK_EQ(nexts, 11);
	send_open(&pr, &b, 1, "f", SSH2_FXF_WRITE | SSH2_FXF_CREAT);
	if (CHECK(peer_reply(&pr, SSH2_FXP_HANDLE, 1, &body)) &&
	    CHECK(buf_get_view(&body, &h) == 0 && h.n == sizeof(hs)))
		memcpy(hs, h.p, sizeof(hs));
	pkt_start(&b, SSH2_FXP_WRITE, 2);
	buf_put_string(&b, hs, sizeof(hs));
	buf_put_u64(&b, 3);
	buf_put_string(&b, "abc", 3);
	peer_send(&pr, &b);
	CHECK_EQ(peer_status(&pr, 2), SSH2_FX_OK);
	pkt_start(&b, SSH2_FXP_READ, 3);	/* write-only: read fails */
	buf_put_string(&b, hs, sizeof(hs));
	buf_put_u64(&b, 0);
	buf_put_u32(&b, 100);
	peer_send(&pr, &b);
	CHECK_EQ(peer_status(&pr, 3), SSH2_FX_NO_SUCH_FILE);
	pkt_start(&b, SSH2_FXP_CLOSE, 4);
	buf_put_string(&b, hs, sizeof(hs));
	peer_send(&pr, &b);
	CHECK_EQ(peer_status(&pr, 4), SSH2_FX_OK);
	pkt_start(&b, SSH2_FXP_CLOSE, 5);	/* stale handle */
	buf_put_string(&b, hs, sizeof(hs));
	peer_send(&pr, &b);
	CHECK_EQ(peer_status(&pr, 5), SSH2_FX_NO_SUCH_FILE);
	send_open(&pr, &b, 6, "f", SSH2_FXF_READ);
	if (CHECK(peer_reply(&pr, SSH2_FXP_HANDLE, 6, &body)) &&
	    CHECK(buf_get_view(&body, &h) == 0 && h.n == sizeof(hs)))
		memcpy(hs, h.p, sizeof(hs));
	pkt_start(&b, SSH2_FXP_READ, 7);
	buf_put_string(&b, hs, sizeof(hs));
	buf_put_u64(&b, 0);
	buf_put_u32(&b, 100);
	pkt_finish(&b);
	/* Two requests in one write: pipelined. */
	{
		unsigned char one[64];
		size_t n = buf_len(&b);

		memcpy(one, buf_ptr(&b), n);
		buf_set_be32(one + 5, 8);	/* the id */
		buf_put(&b, one, n);
	}
	CHECK((size_t)write(pr.fd, buf_ptr(&b), buf_len(&b)) == buf_len(&b));
	CHECK(peer_reply(&pr, SSH2_FXP_DATA, 7, &body) &&
	    buf_get_view(&body, &data) == 0 && data.n == 6 &&
	    memcmp(data.p, "\0\0\0abc", 6) == 0);
	CHECK(peer_reply(&pr, SSH2_FXP_DATA, 8, &body));
	pkt_start(&b, SSH2_FXP_READ, 9);
	buf_put_string(&b, hs, sizeof(hs));
	buf_put_u64(&b, 6);
	buf_put_u32(&b, 100);
	peer_send(&pr, &b);
	CHECK_EQ(peer_status(&pr, 9), SSH2_FX_EOF);
	CHECK_EQ(peer_end(&pr), 0);
	buf_free(&b);
}

/*
 * Many big READs in one go: their replies (4 MiB) exceed what the server
 * queues at once, so it must come back to the waiting requests by itself
 * once the first replies are written.
 */
static void
t_server_pipeline(const char *home)
{
	char *argv[] = { "internal-sftp", NULL }, path[PATH_MAX];
	struct peer pr;
	struct buf b, body, all;
	struct sview h, data;
	unsigned char hs[SFTP_HANDLE_LEN];
	uint32_t i, nreq = 16;
	int nexts, fd;

	snprintf(path, sizeof(path), "%s/big", home);
	if (!CHECK((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0))
		return;
	CHECK_EQ(ftruncate(fd, SFTP_MAX_READ), 0);
	close(fd);
	if (!CHECK(peer_start(&pr, 1, argv, home)))
		return;
	buf_init(&b, 0);
	buf_init(&all, 0);
	peer_init(&pr, &b, &nexts);
	send_open(&pr, &b, 1, "big", SSH2_FXF_READ);
	if (CHECK(peer_reply(&pr, SSH2_FXP_HANDLE, 1, &body)) &&
	    CHECK(buf_get_view(&body, &h) == 0 && h.n == sizeof(hs)))
		memcpy(hs, h.p, sizeof(hs));
	for (i = 0; i < nreq; i++) {
		pkt_start(&b, SSH2_FXP_READ, 100 + i);
		buf_put_string(&b, hs, sizeof(hs));
		buf_put_u64(&b, 0);
		buf_put_u32(&b, 1024 * 1024);	/* capped to max-read-length */
		pkt_finish(&b);
		buf_put(&all, buf_ptr(&b), buf_len(&b));
	}
	CHECK((size_t)write(pr.fd, buf_ptr(&all), buf_len(&all)) ==
	    buf_len(&all));
	for (i = 0; i < nreq; i++)
		if (!CHECK(peer_reply(&pr, SSH2_FXP_DATA, 100 + i, &body) &&
		    buf_get_view(&body, &data) == 0 &&
		    data.n == SFTP_MAX_READ))
			break;
	CHECK_EQ(peer_end(&pr), 0);
	buf_free(&b);
	buf_free(&all);
}

static void
t_server_errors(const char *home)
{
	char *ro[] = { "internal-sftp", "-R", "-P", "remove,statvfs", NULL };
	struct peer pr;
	struct buf b;
	int nexts;

	if (!CHECK(peer_start(&pr, 4, ro, home)))
		return;
	buf_init(&b, 0);
	peer_init(&pr, &b, &nexts);
	CHECK_EQ(nexts, 11 - 6);	/* not the 5 that write, nor statvfs */
	send_open(&pr, &b, 1, "g", SSH2_FXF_WRITE | SSH2_FXF_CREAT);
	CHECK_EQ(peer_status(&pr, 1), SSH2_FX_PERMISSION_DENIED);
	pkt_start(&b, SSH2_FXP_REMOVE, 2);
	buf_put_cstring(&b, "f");
	peer_send(&pr, &b);
	CHECK_EQ(peer_status(&pr, 2), SSH2_FX_PERMISSION_DENIED);
	pkt_start(&b, SSH2_FXP_OPEN, 3);	/* truncated */
	buf_put_cstring(&b, "f");
	peer_send(&pr, &b);
	CHECK_EQ(peer_status(&pr, 3), SSH2_FX_BAD_MESSAGE);
	pkt_start(&b, 77, 4);
	peer_send(&pr, &b);
	CHECK_EQ(peer_status(&pr, 4), SSH2_FX_OP_UNSUPPORTED);
	pkt_start(&b, SSH2_FXP_EXTENDED, 5);
	buf_put_cstring(&b, "nosuch@example.com");
	peer_send(&pr, &b);
	CHECK_EQ(peer_status(&pr, 5), SSH2_FX_OP_UNSUPPORTED);
	pkt_start(&b, SSH2_FXP_STAT, 6);
	buf_put_cstring(&b, "nonexistent");
	peer_send(&pr, &b);
	CHECK_EQ(peer_status(&pr, 6), SSH2_FX_NO_SUCH_FILE);
	/* A huge length ends the session with status 1. */
	CHECK(write(pr.fd, "\x7f\xff\xff\xff\x03", 5) == 5);
	CHECK_EQ(peer_end(&pr), 1);
	buf_free(&b);
}

static void
t_server_before_init(const char *home)
{
	char *argv[] = { "internal-sftp", NULL };
	struct peer pr;
	struct buf b;

	if (!CHECK(peer_start(&pr, 1, argv, home)))
		return;
	buf_init(&b, 0);
	pkt_start(&b, SSH2_FXP_STAT, 1);
	buf_put_cstring(&b, ".");
	peer_send(&pr, &b);
	CHECK_EQ(peer_end(&pr), 1);
	buf_free(&b);
}

static void
t_server(void)
{
	char dir[] = "/tmp/nsshd-sftp-XXXXXX", cmd[64];

	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	t_server_files(dir);
	t_server_pipeline(dir);
	t_server_errors(dir);
	t_server_before_init(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_EQ(system(cmd), 0);
}

const struct ut_case sftp_msg_cases[] = {
	{ "frame", t_frame },
	{ "decode", t_decode },
	{ "decode_ext", t_decode_ext },
	{ "encode", t_encode },
	{ "passwd_byid", t_passwd_byid },
	{ "strmode", t_strmode },
	{ "realpath", t_realpath },
	{ "server", t_server },
	{ NULL, NULL },
};
