/*
 * sftp_ext.c - the extended requests of the internal SFTP server
 * (OpenSSH PROTOCOL section 4): posix-rename, statvfs, fstatvfs, hardlink,
 * fsync, lsetstat, limits, expand-path, copy-data, home-directory and
 * users-groups-by-id; and setting attributes, which SETSTAT, FSETSTAT and
 * lsetstat share.  User names and homes come from the current root's own
 * files (passwd_byid.c, target_lookup_user()), never from NSS.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "session/passwd_byid.h"
#include "session/sftp_int.h"
#include "session/target.h"

/* ---- attributes ---------------------------------------------------- */

static void
log_modtime(const char *name, uint32_t mtime)
{
	char buf[64];
	time_t t = (time_t)mtime;
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y%m%d-%H:%M:%S", &tm) == 0)
		snprintf(buf, sizeof(buf), "%lu", (unsigned long)mtime);
	logit("set \"%s\" modtime %s", name, buf);
}

uint32_t
sftp_set_attrs(const char *name, int fd, enum sftp_set_how how,
    const struct sftp_attrs *a)
{
	int flag = how == SFTP_SET_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0, r;
	uint32_t status = SSH2_FX_OK;
	struct timespec ts[2];

	if (a->flags & SSH2_FILEXFER_ATTR_SIZE) {
		if (how == SFTP_SET_NOFOLLOW)
			return SSH2_FX_BAD_MESSAGE;	/* nonsense for links */
		logit("set \"%s\" size %llu", name,
		    (unsigned long long)a->size);
		r = how == SFTP_SET_FD ? ftruncate(fd, (off_t)a->size) :
		    truncate(name, (off_t)a->size);
		if (r == -1)
			status = sftp_errno_status(errno);
	}
	if (a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS) {
		logit("set \"%s\" mode %04o", name, a->perm);
		r = how == SFTP_SET_FD ? fchmod(fd, a->perm & 07777) :
		    fchmodat(AT_FDCWD, name, a->perm & 07777, flag);
		if (r == -1)
			status = sftp_errno_status(errno);
	}
	if (a->flags & SSH2_FILEXFER_ATTR_ACMODTIME) {
		log_modtime(name, a->mtime);
		ts[0].tv_sec = (time_t)a->atime;
		ts[1].tv_sec = (time_t)a->mtime;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		r = how == SFTP_SET_FD ? futimens(fd, ts) :
		    utimensat(AT_FDCWD, name, ts, flag);
		if (r == -1)
			status = sftp_errno_status(errno);
	}
	if (a->flags & SSH2_FILEXFER_ATTR_UIDGID) {
		logit("set \"%s\" owner %lu group %lu", name,
		    (unsigned long)a->uid, (unsigned long)a->gid);
		r = how == SFTP_SET_FD ? fchown(fd, a->uid, a->gid) :
		    fchownat(AT_FDCWD, name, a->uid, a->gid, flag);
		if (r == -1)
			status = sftp_errno_status(errno);
	}
	return status;
}

void
sftp_do_lsetstat(struct sftp_state *st, const struct sftp_req *q)
{
	if (sftp_paths(st, q, 0) != 0)
		return;
	debug("request %u: lsetstat name \"%s\"", q->id, st->path);
	sftp_send_status(st, q->id,
	    sftp_set_attrs(st->path, -1, SFTP_SET_NOFOLLOW, &q->attrs));
}

/* ---- names and file systems ---------------------------------------- */

static void
reply_errno(struct sftp_state *st, uint32_t id, int r)
{
	sftp_send_status(st, id, r == -1 ? sftp_errno_status(errno) :
	    SSH2_FX_OK);
}

void
sftp_do_posix_rename(struct sftp_state *st, const struct sftp_req *q)
{
	if (sftp_paths(st, q, 1) != 0)
		return;
	logit("posix-rename old \"%s\" new \"%s\"", st->path, st->path2);
	reply_errno(st, q->id, rename(st->path, st->path2));
}

void
sftp_do_hardlink(struct sftp_state *st, const struct sftp_req *q)
{
	if (sftp_paths(st, q, 1) != 0)
		return;
	logit("hardlink old \"%s\" new \"%s\"", st->path, st->path2);
	reply_errno(st, q->id, link(st->path, st->path2));
}

static void
send_statvfs(struct sftp_state *st, uint32_t id, int r,
    const struct statvfs *v)
{
	struct sftp_statvfs s;

	if (r != 0) {
		sftp_send_status(st, id, sftp_errno_status(errno));
		return;
	}
	s.bsize = v->f_bsize;
	s.frsize = v->f_frsize;
	s.blocks = v->f_blocks;
	s.bfree = v->f_bfree;
	s.bavail = v->f_bavail;
	s.files = v->f_files;
	s.ffree = v->f_ffree;
	s.favail = v->f_favail;
	s.fsid = v->f_fsid;
	s.flag = ((v->f_flag & ST_RDONLY) ? SSH2_FXE_STATVFS_ST_RDONLY : 0) |
	    ((v->f_flag & ST_NOSUID) ? SSH2_FXE_STATVFS_ST_NOSUID : 0);
	s.namemax = v->f_namemax;
	sftp_queued(st, sftp_put_statvfs(&st->obuf, id, &s));
}

void
sftp_do_statvfs(struct sftp_state *st, const struct sftp_req *q)
{
	struct statvfs v;

	if (sftp_paths(st, q, 0) != 0)
		return;
	logit("statvfs \"%s\"", st->path);
	send_statvfs(st, q->id, statvfs(st->path, &v), &v);
}

void
sftp_do_fstatvfs(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_handle *h = sftp_handle_get(st, &q->handle, SFTP_H_FILE);
	struct statvfs v;

	if (h == NULL) {
		sftp_send_status(st, q->id, SSH2_FX_FAILURE);
		return;
	}
	debug("request %u: fstatvfs \"%s\"", q->id, h->name);
	send_statvfs(st, q->id, fstatvfs(h->fd, &v), &v);
}

void
sftp_do_fsync(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_handle *h = sftp_handle_get(st, &q->handle, SFTP_H_FILE);

	if (h == NULL) {
		sftp_send_status(st, q->id, SSH2_FX_NO_SUCH_FILE);
		return;
	}
	verbose("fsync \"%s\"", h->name);
	reply_errno(st, q->id, fsync(h->fd));
}

void
sftp_do_limits(struct sftp_state *st, const struct sftp_req *q)
{
	struct rlimit rl;
	uint64_t handles = SFTP_MAX_HANDLES;

	debug("request %u: limits", q->id);
	/* Leave room for stdio, the log socket and a spare, as sftp-server. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur > 5 && rl.rlim_cur - 5 < handles)
		handles = rl.rlim_cur - 5;
	sftp_queued(st, sftp_put_limits(&st->obuf, q->id, SFTP_MAX_PACKET,
	    SFTP_MAX_READ, SFTP_MAX_WRITE, handles));
}

/* "~user[/rest]" -> that user's home + rest, into out (PATH_MAX). */
static int
tilde_user(const char *path, char *out)
{
	struct user_info u;
	const char *slash = strchr(path + 1, '/');
	size_t nlen = slash != NULL ? (size_t)(slash - path - 1) :
	    strlen(path + 1);
	char name[256];
	int n;

	if (nlen >= sizeof(name))
		return -1;
	memcpy(name, path + 1, nlen);
	name[nlen] = '\0';
	if (target_lookup_user(name, &u) != 0)
		return -1;
	n = snprintf(out, PATH_MAX, "%s%s%s", u.home,
	    slash != NULL ? "/" : "", slash != NULL ? slash + 1 : "");
	user_info_free(&u);
	return n < 0 || n >= PATH_MAX ? -1 : 0;
}

void
sftp_do_expand_path(struct sftp_state *st, const struct sftp_req *q)
{
	char cwd[PATH_MAX];
	const char *p = st->path;
	int n = 0;

	if (sftp_paths(st, q, 0) != 0)
		return;
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		sftp_send_status(st, q->id, sftp_errno_status(errno));
		return;
	}
	debug3("request %u: expand, original \"%s\"", q->id, p);
	if (p[0] == '\0')
		n = snprintf(st->path2, PATH_MAX, ".");
	else if (strcmp(p, "~") == 0)	/* "~", "~/": the start directory */
		n = snprintf(st->path2, PATH_MAX, "%s", cwd);
	else if (strncmp(p, "~/", 2) == 0)
		n = snprintf(st->path2, PATH_MAX, "%s/%s", cwd, p + 2);
	else if (p[0] == '~') {
		if (tilde_user(p, st->path2) != 0) {
			sftp_send_status_msg(st, q->id, SSH2_FX_NO_SUCH_FILE,
			    "no such user");
			return;
		}
	} else if (p[0] != '/')
		n = snprintf(st->path2, PATH_MAX, "%s/%s", cwd, p);
	else
		n = snprintf(st->path2, PATH_MAX, "%s", p);
	if (n < 0 || n >= PATH_MAX) {
		sftp_send_status(st, q->id, sftp_errno_status(ENAMETOOLONG));
		return;
	}
	verbose("expand \"%s\"", st->path2);
	if (sftp_realpath(st->path2, st->res) != 0) {
		sftp_send_status(st, q->id, sftp_errno_status(errno));
		return;
	}
	sftp_queued(st, sftp_put_name1(&st->obuf, q->id, st->res));
}

void
sftp_do_home_dir(struct sftp_state *st, const struct sftp_req *q)
{
	struct user_info u;

	if (sftp_paths(st, q, 0) != 0)
		return;
	debug3("request %u: home-directory \"%s\"", q->id, st->path);
	if (st->path[0] == '\0') {
		verbose("home-directory \"%s\"", st->home);
		sftp_queued(st, sftp_put_name1(&st->obuf, q->id, st->home));
		return;
	}
	if (target_lookup_user(st->path, &u) != 0) {
		sftp_send_status(st, q->id, SSH2_FX_FAILURE);
		return;
	}
	verbose("home-directory \"%s\"", u.home);
	sftp_queued(st, sftp_put_name1(&st->obuf, q->id, u.home));
	user_info_free(&u);
}

/* ---- copy-data ----------------------------------------------------- */

/* Copy up to n bytes at roff/woff: the count (0 at EOF) or -1 (errno). */
static ssize_t
copy_chunk(struct sftp_state *st, const struct sftp_handle *rh,
    const struct sftp_handle *wh, uint64_t roff, uint64_t woff, size_t n)
{
	ssize_t got;
	int e;
#ifdef __linux__
	loff_t ro = (loff_t)roff, wo = (loff_t)woff;

	if (!(wh->flags & O_APPEND)) {
		got = copy_file_range(rh->fd, &ro, wh->fd, &wo, n, 0);
		if (got >= 0 || (errno != EXDEV && errno != EINVAL &&
		    errno != ENOSYS && errno != EOPNOTSUPP))
			return got;
	}
#endif
	if (st->copybuf == NULL &&
	    (st->copybuf = malloc(SFTP_COPY_CHUNK)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (n > SFTP_COPY_CHUNK)
		n = SFTP_COPY_CHUNK;
	if ((got = sftp_pread_full(rh->fd, st->copybuf, n, roff)) <= 0)
		return got;
	if ((e = sftp_write_full(wh, st->copybuf, (size_t)got, woff)) != 0) {
		errno = e;
		return -1;
	}
	return got;
}

/* Refuse to copy a file onto itself (same handle, path or inode). */
static int
same_file(const struct sftp_handle *rh, const struct sftp_handle *wh)
{
	struct stat rs, ws;

	if (fstat(rh->fd, &rs) != 0 || fstat(wh->fd, &ws) != 0)
		return -1;
	if (rh == wh || strcmp(rh->name, wh->name) == 0 ||
	    (rs.st_dev == ws.st_dev && rs.st_ino == ws.st_ino)) {
		error("refusing to read/write same file: read \"%s\", "
		    "write \"%s\"", rh->name, wh->name);
		return 1;
	}
	return 0;
}

void
sftp_do_copy_data(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_handle *rh = sftp_handle_get(st, &q->handle, SFTP_H_FILE);
	struct sftp_handle *wh = sftp_handle_get(st, &q->handle2, SFTP_H_FILE);
	uint64_t roff = q->offset, woff = q->offset2, left;
	uint32_t status = SSH2_FX_OK;
	int until_eof = q->len64 == 0, same;
	ssize_t n;

	debug("request %u: copy-data off %llu len %llu to off %llu", q->id,
	    (unsigned long long)roff, (unsigned long long)q->len64,
	    (unsigned long long)woff);
	if (rh == NULL || wh == NULL) {
		error("copy-data: bad read or write handle");
		sftp_send_status(st, q->id, sftp_errno_status(EBADF));
		return;
	}
	if ((same = same_file(rh, wh)) != 0) {
		sftp_send_status(st, q->id, same < 0 ?
		    sftp_errno_status(errno) : SSH2_FX_FAILURE);
		return;
	}
	left = until_eof ? UINT64_MAX - roff : q->len64;
	while (left > 0) {
		n = copy_chunk(st, rh, wh, roff, woff,
		    left > SFTP_COPY_CHUNK ? SFTP_COPY_CHUNK : (size_t)left);
		if (n <= 0) {
			status = n < 0 ? sftp_errno_status(errno) :
			    until_eof ? SSH2_FX_OK : SSH2_FX_EOF;
			break;
		}
		rh->bytes_read += (uint64_t)n;
		wh->bytes_written += (uint64_t)n;
		roff += (uint64_t)n;
		woff += (uint64_t)n;
		left -= (uint64_t)n;
	}
	sftp_send_status(st, q->id, status);
}

/* ---- users-groups-by-id -------------------------------------------- */

/* One list of names: string { string name ... }. */
static int
put_names(struct sftp_state *st, const struct sview *ids, int groups)
{
	struct sftp_mark sub;
	const char *name;
	size_t i, n = sftp_ids_count(ids);
	uint32_t id;
	int r;

	if ((r = sftp_sub_begin(&st->obuf, &sub)) != 0)
		return r;
	for (i = 0; i < n; i++) {
		id = sftp_ids_get(ids, i);
		name = groups ? idname_group(st->names, (gid_t)id) :
		    idname_user(st->names, (uid_t)id);
		debug3("%s %u => \"%s\"", groups ? "gid" : "uid", id,
		    name != NULL ? name : "");
		if ((r = buf_put_cstring(&st->obuf, name)) != 0)
			return r;
	}
	return sftp_sub_end(&st->obuf, &sub);
}

void
sftp_do_users_groups(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_mark m = { 0, 0 };
	int r;

	debug("users-groups-by-id: uids len = %zu, gids len = %zu",
	    q->uids.n, q->gids.n);
	if ((r = sftp_ext_begin(&st->obuf, q->id, &m)) == 0 &&
	    (r = put_names(st, &q->uids, 0)) == 0 &&
	    (r = put_names(st, &q->gids, 1)) == 0)
		r = sftp_ext_end(&st->obuf, &m);
	if (r != 0) {
		sftp_abort(&st->obuf, &m);
		sftp_send_status(st, q->id, SSH2_FX_FAILURE);
		return;
	}
	verbose("users-groups-by-id: %zu users, %zu groups",
	    sftp_ids_count(&q->uids), sftp_ids_count(&q->gids));
}
