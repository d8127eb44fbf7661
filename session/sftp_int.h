/*
 * sftp_int.h - what the files of the internal SFTP server share: the one
 * per-session struct sftp_state (no globals), the handle table and the
 * request handlers.  Not for use outside session/sftp_*.c.
 */
#ifndef NSSHD_SFTP_INT_H
#define NSSHD_SFTP_INT_H

#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "proto/buf.h"
#include "proto/sftp_msg.h"

#define SFTP_MAX_HANDLES	1024	/* limits@openssh.com max-open-handles */
#define SFTP_IN_CHUNK		(1024u * 1024)	/* one read() at most */
#define SFTP_IN_MAX		(SFTP_IN_CHUNK + SFTP_MAX_PACKET + 4)
#define SFTP_OUT_HIGH		(1024u * 1024)	/* a full reply buffer */
#define SFTP_OUT_MAX		(SFTP_OUT_HIGH + 2 * SFTP_MAX_PACKET)
#define SFTP_DIR_ENTRIES	100	/* names in one READDIR reply */
#define SFTP_COPY_CHUNK		(256u * 1024)	/* copy-data buffer */

enum sftp_use { SFTP_H_UNUSED = 0, SFTP_H_FILE, SFTP_H_DIR };

struct sftp_handle {
	enum sftp_use use;
	uint32_t gen;		/* part of the handle string: no reuse */
	int fd;			/* files */
	DIR *dir;		/* directories */
	int flags;		/* open(2) flags of a file */
	char *name;		/* the path it was opened with */
	uint64_t bytes_read, bytes_written;
};

struct idname_cache;

struct sftp_state {
	int in, out;
	struct buf ibuf;		/* requests in */
	struct buf obuf;		/* replies being added */
	struct buf wbuf;		/* replies being written: the two
					   swap when wbuf is empty, so neither
					   ever moves its bytes */
	const char *user, *home;
	char from[80];			/* " from [ADDR]" or "" (log lines) */
	int init_done;
	uint32_t version;		/* the client's, from INIT */
	int readonly;			/* -R */
	const char *allow, *deny;	/* -p, -P: comma-separated names */
	int fatal;			/* a reply could not be queued: end */
	struct sftp_handle handles[SFTP_MAX_HANDLES];
	uint32_t next_gen;
	struct idname_cache *names;	/* owner/group names, lazily */
	unsigned char *copybuf;		/* copy-data, lazily */
	char path[PATH_MAX], path2[PATH_MAX];	/* request paths as C strings */
	char res[PATH_MAX];		/* canonical paths, link targets */
};

/* sftp_server.c: the loop (0 at EOF, 1 on errors) and -Q requests. */
int sftp_serve(struct sftp_state *st);
void sftp_list_requests(int fd);

/* sftp_server.c: replies and errors. */
uint32_t sftp_errno_status(int err);	/* errno -> SSH2_FX_*, as sftp-server */
const char *sftp_status_text(uint32_t code);
void sftp_send_status(struct sftp_state *st, uint32_t id, uint32_t code);
void sftp_send_status_msg(struct sftp_state *st, uint32_t id, uint32_t code,
    const char *text);
/* A reply encoder's result: non-zero ends the session (st->fatal). */
void sftp_queued(struct sftp_state *st, int r);
/* Copy a path view into dst (PATH_MAX bytes) as a C string.  0, or -1
 * with errno ENAMETOOLONG. */
int sftp_cpath(const struct sview *v, char *dst);
/* The two paths of a request into st->path / st->path2; on failure a
 * status was sent and -1 is returned. */
int sftp_paths(struct sftp_state *st, const struct sftp_req *q, int two);

/* sftp_files.c: the handle table. */
int sftp_handle_new(struct sftp_state *st, enum sftp_use use,
    const char *name, int fd, int flags, DIR *dir);	/* index or -1 */
/* The open handle the request names, of that use (UNUSED: either). */
struct sftp_handle *sftp_handle_get(struct sftp_state *st,
    const struct sview *h, enum sftp_use use);
void sftp_send_handle(struct sftp_state *st, uint32_t id, int idx);
void sftp_handles_close_all(struct sftp_state *st);	/* "forced close" */
void sftp_stat_to_attrs(const struct stat *sb, struct sftp_attrs *a);
/* pread until n bytes or EOF: the count, or -1 (errno set) if an error
 * came before any byte. */
ssize_t sftp_pread_full(int fd, unsigned char *p, size_t n, uint64_t off);
/* All n bytes of p to h's file at off (an appending handle: at its end).
 * 0 or an errno value. */
int sftp_write_full(const struct sftp_handle *h, const unsigned char *p,
    size_t n, uint64_t off);

/* Request handlers: one reply each, through st->obuf. */
typedef void sftp_handler_fn(struct sftp_state *, const struct sftp_req *);
sftp_handler_fn sftp_do_open, sftp_do_close, sftp_do_read, sftp_do_write,
    sftp_do_stat, sftp_do_lstat, sftp_do_fstat, sftp_do_setstat,
    sftp_do_fsetstat;
sftp_handler_fn sftp_do_opendir, sftp_do_readdir, sftp_do_remove,
    sftp_do_mkdir, sftp_do_rmdir, sftp_do_realpath, sftp_do_rename,
    sftp_do_readlink, sftp_do_symlink;
sftp_handler_fn sftp_do_posix_rename, sftp_do_statvfs, sftp_do_fstatvfs,
    sftp_do_hardlink, sftp_do_fsync, sftp_do_lsetstat, sftp_do_limits,
    sftp_do_expand_path, sftp_do_copy_data, sftp_do_home_dir,
    sftp_do_users_groups;

/* sftp_dirs.c: helpers the extensions share. */
/* Canonicalise path as sftp-server does (relative to the cwd, "." and
 * ".." and symlinks resolved, the last component may be missing) into
 * out (PATH_MAX bytes).  0, or -1 with errno set. */
int sftp_realpath(const char *path, char *out);
/* ls -l style line for a directory entry, as sftp-server's ls_file(). */
void sftp_longname(struct sftp_state *st, const char *name,
    const struct stat *sb, char *out, size_t outlen);
/* The mode string of ls ("drwxr-xr-x "), 11 characters and a NUL. */
void sftp_strmode(unsigned int mode, char out[12]);

/*
 * sftp_ext.c: set the attributes a selects (size, mode, times, owner, in
 * that order, each logged as sftp-server does) on name (SET_PATH,
 * following symlinks), on fd (SET_FD; name only for the log) or on name
 * itself even if it is a symlink (SET_NOFOLLOW: size is BAD_MESSAGE).
 * Returns the status: OK, or that of the last step that failed.
 */
enum sftp_set_how { SFTP_SET_PATH, SFTP_SET_FD, SFTP_SET_NOFOLLOW };
uint32_t sftp_set_attrs(const char *name, int fd, enum sftp_set_how how,
    const struct sftp_attrs *a);

#endif
