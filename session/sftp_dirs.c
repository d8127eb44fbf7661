/*
 * sftp_dirs.c - directory and path requests of the internal SFTP server:
 * OPENDIR, READDIR (with "ls -l" long names as sftp-server makes them,
 * owner and group names from the current root's own files), REMOVE,
 * MKDIR, RMDIR, REALPATH, RENAME (v3: never replaces an existing target),
 * READLINK and SYMLINK (OpenSSH's argument order), and the path
 * canonicalisation that REALPATH and expand-path share.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "session/passwd_byid.h"
#include "session/sftp_int.h"

#define LONGNAME_MAX	1024	/* as sftp-server's ls_file() */
#define SYMLINKS_MAX	32

/* ---- long names ---------------------------------------------------- */

void
sftp_strmode(unsigned int mode, char out[12])
{
	static const char perm[] = "rwxrwxrwx";
	int i;

	switch (mode & S_IFMT) {
	case S_IFDIR: out[0] = 'd'; break;
	case S_IFCHR: out[0] = 'c'; break;
	case S_IFBLK: out[0] = 'b'; break;
	case S_IFREG: out[0] = '-'; break;
	case S_IFLNK: out[0] = 'l'; break;
	case S_IFSOCK: out[0] = 's'; break;
	case S_IFIFO: out[0] = 'p'; break;
	default: out[0] = '?'; break;
	}
	for (i = 0; i < 9; i++)
		out[1 + i] = (mode & (0400u >> i)) ? perm[i] : '-';
	if (mode & S_ISUID)
		out[3] = (mode & S_IXUSR) ? 's' : 'S';
	if (mode & S_ISGID)
		out[6] = (mode & S_IXGRP) ? 's' : 'S';
	if (mode & S_ISVTX)
		out[9] = (mode & S_IXOTH) ? 't' : 'T';
	out[10] = ' ';
	out[11] = '\0';
}

void
sftp_longname(struct sftp_state *st, const char *name, const struct stat *sb,
    char *out, size_t outlen)
{
	char mode[12], tbuf[16], ubuf[16], gbuf[16], links[16];
	const char *user, *group;
	time_t now = time(NULL), mt = sb->st_mtime;
	struct tm tm;
	int ulen, glen;

	sftp_strmode((unsigned int)sb->st_mode, mode);
	snprintf(links, sizeof(links), "%u", (unsigned int)sb->st_nlink);
	if ((user = idname_user(st->names, sb->st_uid)) == NULL) {
		snprintf(ubuf, sizeof(ubuf), "%u", (unsigned int)sb->st_uid);
		user = ubuf;
	}
	if ((group = idname_group(st->names, sb->st_gid)) == NULL) {
		snprintf(gbuf, sizeof(gbuf), "%u", (unsigned int)sb->st_gid);
		group = gbuf;
	}
	tbuf[0] = '\0';
	if (localtime_r(&mt, &tm) != NULL &&
	    strftime(tbuf, sizeof(tbuf), (now - (365 * 24 * 60 * 60) / 2 < mt &&
	    now >= mt) ? "%b %e %H:%M" : "%b %e  %Y", &tm) == 0)
		tbuf[0] = '\0';
	ulen = strlen(user) > 8 ? (int)strlen(user) : 8;
	glen = strlen(group) > 8 ? (int)strlen(group) : 8;
	snprintf(out, outlen, "%s %3s %-*s %-*s %8llu %s %s", mode, links,
	    ulen, user, glen, group, (unsigned long long)sb->st_size, tbuf,
	    name);
}

/* ---- directories --------------------------------------------------- */

void
sftp_do_opendir(struct sftp_state *st, const struct sftp_req *q)
{
	DIR *d;
	int idx;

	if (sftp_paths(st, q, 0) != 0)
		return;
	debug3("request %u: opendir", q->id);
	logit("opendir \"%s\"", st->path);
	if ((d = opendir(st->path)) == NULL) {
		sftp_send_status(st, q->id, sftp_errno_status(errno));
		return;
	}
	if ((idx = sftp_handle_new(st, SFTP_H_DIR, st->path, -1, 0, d)) < 0) {
		closedir(d);
		sftp_send_status(st, q->id, SSH2_FX_FAILURE);
		return;
	}
	sftp_send_handle(st, q->id, idx);
}

/* Add the next entry of h to the NAME reply; 0 at the end, 1 added, -1
 * when the reply is full (the entry stays for the next READDIR). */
static int
readdir_one(struct sftp_state *st, struct sftp_handle *h,
    const struct sftp_mark *m)
{
	struct dirent *de;
	struct sftp_attrs a;
	struct stat sb;
	long pos;
	int r;

	for (;;) {
		pos = telldir(h->dir);
		if ((de = readdir(h->dir)) == NULL)
			return 0;
		if (fstatat(dirfd(h->dir), de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) == 0)
			break;
	}
	sftp_stat_to_attrs(&sb, &a);
	sftp_longname(st, de->d_name, &sb, st->res, LONGNAME_MAX);
	r = sftp_name_add(&st->obuf, m, SFTP_MAX_PACKET - 1024, de->d_name,
	    st->res, &a);
	if (r == ERR_LENGTH) {
		seekdir(h->dir, pos);
		return -1;
	}
	sftp_queued(st, r);
	return r == 0 ? 1 : -1;
}

void
sftp_do_readdir(struct sftp_state *st, const struct sftp_req *q)
{
	struct sftp_handle *h = sftp_handle_get(st, &q->handle, SFTP_H_DIR);
	struct sftp_mark m;
	uint32_t count = 0;
	int r;

	if (h == NULL) {
		sftp_send_status(st, q->id, SSH2_FX_FAILURE);
		return;
	}
	debug("request %u: readdir \"%s\"", q->id, h->name);
	if ((r = sftp_name_begin(&st->obuf, q->id, &m)) != 0) {
		sftp_queued(st, r);
		return;
	}
	while (count < SFTP_DIR_ENTRIES && readdir_one(st, h, &m) == 1)
		count++;
	if (st->fatal)
		return;
	if (count == 0) {
		sftp_abort(&st->obuf, &m);
		sftp_send_status(st, q->id, SSH2_FX_EOF);
		return;
	}
	debug("request %u: sent names count %u", q->id, count);
	sftp_queued(st, sftp_name_end(&st->obuf, &m, count));
}

/* A request whose answer is the status of one call on st->path. */
static void
reply_errno(struct sftp_state *st, uint32_t id, int r)
{
	sftp_send_status(st, id, r == -1 ? sftp_errno_status(errno) :
	    SSH2_FX_OK);
}

void
sftp_do_remove(struct sftp_state *st, const struct sftp_req *q)
{
	if (sftp_paths(st, q, 0) != 0)
		return;
	logit("remove name \"%s\"", st->path);
	reply_errno(st, q->id, unlink(st->path));
}

void
sftp_do_mkdir(struct sftp_state *st, const struct sftp_req *q)
{
	unsigned int mode = (q->attrs.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) ?
	    q->attrs.perm & 07777 : 0777;

	if (sftp_paths(st, q, 0) != 0)
		return;
	logit("mkdir name \"%s\" mode 0%o", st->path, mode);
	reply_errno(st, q->id, mkdir(st->path, (mode_t)mode));
}

void
sftp_do_rmdir(struct sftp_state *st, const struct sftp_req *q)
{
	if (sftp_paths(st, q, 0) != 0)
		return;
	logit("rmdir name \"%s\"", st->path);
	reply_errno(st, q->id, rmdir(st->path));
}

/* ---- paths --------------------------------------------------------- */

/* Drop the last component of a canonical path ("/a/b" -> "/a"). */
static void
strip_last(char *out, size_t *len)
{
	while (*len > 1 && out[*len - 1] != '/')
		(*len)--;
	if (*len > 1)
		(*len)--;
	out[*len] = '\0';
}

/* The state of a canonicalisation: the resolved prefix (out, len) and
 * the components still to walk (left). */
struct canon {
	char *out;
	size_t len;
	char left[PATH_MAX];
	int links;
};

/* Replace left by target, then rest if there is more. */
static int
canon_splice(struct canon *c, const char *target, const char *rest,
    int more)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s%s%s", target, more ? "/" : "",
	    more ? rest : "") >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(c->left, tmp, strlen(tmp) + 1);
	return 0;
}

/* out is a symlink: restart from its target.  0 or -1 (errno). */
static int
canon_link(struct canon *c, const char *rest, int more)
{
	char target[PATH_MAX];
	ssize_t n;

	if (++c->links > SYMLINKS_MAX) {
		errno = ELOOP;
		return -1;
	}
	if ((n = readlink(c->out, target, sizeof(target) - 1)) < 0)
		return -1;
	target[n] = '\0';
	if (target[0] == '/')
		c->len = 1;
	else
		strip_last(c->out, &c->len);
	c->out[c->len] = '\0';
	return canon_splice(c, target, rest, more);
}

/* Walk the first component of left.  1 to go on, 0 done, -1 (errno). */
static int
canon_step(struct canon *c)
{
	char tok[PATH_MAX];
	const char *slash = strchr(c->left, '/'), *rest;
	size_t tlen = slash != NULL ? (size_t)(slash - c->left) :
	    strlen(c->left);
	int more = slash != NULL;
	struct stat sb;

	memcpy(tok, c->left, tlen);
	tok[tlen] = '\0';
	rest = more ? slash + 1 : c->left + tlen;
	if (tlen == 0 || strcmp(tok, ".") == 0 || strcmp(tok, "..") == 0) {
		if (strcmp(tok, "..") == 0)
			strip_last(c->out, &c->len);
		memmove(c->left, rest, strlen(rest) + 1);
		return 1;
	}
	if (c->len + 1 + tlen >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (c->out[c->len - 1] != '/')
		c->out[c->len++] = '/';
	memcpy(c->out + c->len, tok, tlen + 1);
	c->len += tlen;
	if (lstat(c->out, &sb) != 0)	/* only the last may be missing */
		return (errno == ENOENT && !more) ? 0 : -1;
	if (S_ISLNK(sb.st_mode)) {
		memmove(tok, rest, strlen(rest) + 1);
		return canon_link(c, tok, more) == 0 ? 1 : -1;
	}
	memmove(c->left, rest, strlen(rest) + 1);
	return 1;
}

int
sftp_realpath(const char *path, char *out)
{
	struct canon c;
	int r;

	if (path[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (path[0] == '/')
		snprintf(out, PATH_MAX, "/");
	else if (getcwd(out, PATH_MAX) == NULL)
		return -1;
	c.out = out;
	c.len = strlen(out);
	c.links = 0;
	if (snprintf(c.left, sizeof(c.left), "%s", path) >=
	    (int)sizeof(c.left)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	while (c.left[0] != '\0')
		if ((r = canon_step(&c)) <= 0)
			return r;
	return 0;
}

void
sftp_do_realpath(struct sftp_state *st, const struct sftp_req *q)
{
	if (sftp_paths(st, q, 0) != 0)
		return;
	if (st->path[0] == '\0')
		snprintf(st->path, sizeof(st->path), ".");
	verbose("realpath \"%s\"", st->path);
	if (sftp_realpath(st->path, st->res) != 0) {
		sftp_send_status(st, q->id, sftp_errno_status(errno));
		return;
	}
	sftp_queued(st, sftp_put_name1(&st->obuf, q->id, st->res));
}

/* v3 rename: never replaces newpath.  Regular files by link + unlink
 * (race-free); where the file system has no hard links, and for other
 * kinds, rename() if newpath does not exist.  The status. */
static uint32_t
rename_v3(const char *oldpath, const char *newpath)
{
	struct stat sb;
	uint32_t status;

	if (lstat(oldpath, &sb) == -1)
		return sftp_errno_status(errno);
	if (S_ISREG(sb.st_mode)) {
		if (link(oldpath, newpath) == 0) {
			if (unlink(oldpath) == 0)
				return SSH2_FX_OK;
			status = sftp_errno_status(errno);
			unlink(newpath);	/* the spare link */
			return status;
		}
		/* EPERM: Linux's answer where hard links are not allowed. */
		if (errno != EOPNOTSUPP && errno != ENOSYS && errno != EXDEV &&
		    errno != EPERM)
			return sftp_errno_status(errno);
	}
	if (stat(newpath, &sb) == 0)
		return SSH2_FX_FAILURE;
	return rename(oldpath, newpath) == -1 ? sftp_errno_status(errno) :
	    SSH2_FX_OK;
}

void
sftp_do_rename(struct sftp_state *st, const struct sftp_req *q)
{
	if (sftp_paths(st, q, 1) != 0)
		return;
	debug3("request %u: rename", q->id);
	logit("rename old \"%s\" new \"%s\"", st->path, st->path2);
	sftp_send_status(st, q->id, rename_v3(st->path, st->path2));
}

void
sftp_do_readlink(struct sftp_state *st, const struct sftp_req *q)
{
	ssize_t n;

	if (sftp_paths(st, q, 0) != 0)
		return;
	verbose("readlink \"%s\"", st->path);
	if ((n = readlink(st->path, st->res, sizeof(st->res) - 1)) == -1) {
		sftp_send_status(st, q->id, sftp_errno_status(errno));
		return;
	}
	st->res[n] = '\0';
	sftp_queued(st, sftp_put_name1(&st->obuf, q->id, st->res));
}

void
sftp_do_symlink(struct sftp_state *st, const struct sftp_req *q)
{
	if (sftp_paths(st, q, 1) != 0)
		return;
	/* OpenSSH's order: path is the target, path2 the link to make. */
	logit("symlink old \"%s\" new \"%s\"", st->path, st->path2);
	reply_errno(st, q->id, symlink(st->path, st->path2));
}
