/*
 * passwd.c - users and groups of a container, from its own /etc/passwd and
 * /etc/group, with a plain parser (see target.h).
 *
 * A root process that has entered a container must not run the
 * container's code, so NSS (which may load the libraries the container's
 * nsswitch.conf names) is never used here.  Nor may it be tricked into
 * reading a host file or blocking forever: the files are opened without
 * following a final symlink (or any magic link), must be regular files of
 * bounded size, and are opened non-blocking so a FIFO cannot hang us.
 * The parsers are pure and have a fuzz target (regress/fuzz/fuzz_passwd.c).
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/openat2.h>
#endif

#include "common/err.h"
#include "session/target.h"

#define PASSWD_FIELDS	7
#define GROUP_FIELDS	4

struct field {
	const char *p;
	size_t n;
};

/* ---- pure parsing --------------------------------------------------- */

/* The next line of text as [*line, *line + *n); 0 at the end. */
static int
next_line(const char **cur, const char *end, const char **line, size_t *n)
{
	const char *nl;

	if (*cur >= end)
		return 0;
	nl = memchr(*cur, '\n', (size_t)(end - *cur));
	*line = *cur;
	*n = (size_t)((nl != NULL ? nl : end) - *cur);
	*cur = nl != NULL ? nl + 1 : end;
	return 1;
}

/*
 * Split a line into exactly want ':'-separated fields.  0 if the line is
 * not one to use: a comment, blank, NIS, with a NUL, or another count.
 */
static int
split(const char *line, size_t n, struct field *f, int want)
{
	const char *end = line + n, *c;
	int i;

	if (n == 0 || line[0] == '#' || line[0] == '+' || line[0] == '-' ||
	    memchr(line, '\0', n) != NULL)
		return 0;
	for (i = 0; i < want; i++) {
		c = memchr(line, ':', (size_t)(end - line));
		if ((c == NULL) != (i == want - 1))
			return 0;	/* too few or too many fields */
		f[i].p = line;
		f[i].n = (size_t)((c != NULL ? c : end) - line);
		line = c != NULL ? c + 1 : end;
	}
	return f[0].n > 0;
}

/* A decimal id, 0 .. 2^32 - 2 ((uid_t)-1 is not an id). */
static int
parse_id(const struct field *f, unsigned int *out)
{
	unsigned long long v = 0;
	size_t i;

	if (f->n == 0 || f->n > 10)
		return 0;
	for (i = 0; i < f->n; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return 0;
		v = v * 10 + (unsigned long long)(f->p[i] - '0');
	}
	if (v >= 0xffffffffULL)
		return 0;
	*out = (unsigned int)v;
	return 1;
}

static int
field_is(const struct field *f, const char *s)
{
	return strlen(s) == f->n && memcmp(f->p, s, f->n) == 0;
}

/* Is name one of the ','-separated members? */
static int
is_member(const struct field *members, const char *name)
{
	const char *p = members->p, *end = p + members->n, *c;
	struct field m;

	while (p < end) {
		c = memchr(p, ',', (size_t)(end - p));
		m.p = p;
		m.n = (size_t)((c != NULL ? c : end) - p);
		if (field_is(&m, name))
			return 1;
		p = c != NULL ? c + 1 : end;
	}
	return 0;
}

int
passwd_parse_user(const char *text, size_t len, const char *name,
    struct user_info *u)
{
	const char *cur = text, *end = text + len, *line;
	struct field f[PASSWD_FIELDS];
	unsigned int uid, gid;
	size_t n;

	memset(u, 0, sizeof(*u));
	while (next_line(&cur, end, &line, &n)) {
		if (!split(line, n, f, PASSWD_FIELDS) || !field_is(&f[0], name) ||
		    !parse_id(&f[2], &uid) || !parse_id(&f[3], &gid))
			continue;
		u->name = strndup(f[0].p, f[0].n);
		u->home = strndup(f[5].p, f[5].n);
		u->shell = f[6].n > 0 ? strndup(f[6].p, f[6].n) :
		    strdup("/bin/sh");
		if (u->name == NULL || u->home == NULL || u->shell == NULL) {
			user_info_free(u);
			return ERR_ALLOC;
		}
		u->uid = (uid_t)uid;
		u->gid = (gid_t)gid;
		u->groups[0] = u->gid;
		u->ngroups = 1;
		return 0;
	}
	return ERR_NOTFOUND;
}

int
group_parse_member(const char *text, size_t len, const char *name,
    gid_t primary, gid_t *groups, int max, int *ngroups)
{
	const char *cur = text, *end = text + len, *line;
	struct field f[GROUP_FIELDS];
	unsigned int gid;
	size_t n;
	int i, count = 1;

	if (max < 1)
		return ERR_RANGE;
	groups[0] = primary;
	while (count < max && next_line(&cur, end, &line, &n)) {
		if (!split(line, n, f, GROUP_FIELDS) ||
		    !parse_id(&f[2], &gid) || !is_member(&f[3], name))
			continue;
		for (i = 0; i < count && groups[i] != (gid_t)gid; i++)
			;
		if (i == count)
			groups[count++] = (gid_t)gid;
	}
	*ngroups = count;
	return 0;
}

int
group_parse_gid(const char *text, size_t len, const char *name, gid_t *gid)
{
	const char *cur = text, *end = text + len, *line;
	struct field f[GROUP_FIELDS];
	unsigned int g;
	size_t n;

	while (next_line(&cur, end, &line, &n)) {
		if (split(line, n, f, GROUP_FIELDS) && field_is(&f[0], name) &&
		    parse_id(&f[2], &g)) {
			*gid = (gid_t)g;
			return 0;
		}
	}
	return ERR_NOTFOUND;
}

/* ---- reading the files safely --------------------------------------- */

/* Open path: no final symlink, no magic link anywhere, never blocking. */
static int
open_db(const char *path)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
#if defined(SYS_openat2) && defined(RESOLVE_NO_MAGICLINKS)
	struct open_how how;
	int fd;

	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)flags;
	how.resolve = RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd >= 0 || errno != ENOSYS)
		return fd;
#endif
	return open(path, flags);
}

/* Map an open() failure to a code. */
static int
open_error(void)
{
	switch (errno) {
	case ENOENT:
	case ENOTDIR:
		return ERR_NOTFOUND;
	case ELOOP:		/* a symlink (O_NOFOLLOW) or a magic link */
	case ENXIO:		/* a socket */
	case EXDEV:
		return ERR_DENIED;
	default:
		return ERR_SYS;
	}
}

/* Read all of a regular file of at most TARGET_DB_MAX bytes. */
static int
read_fd(int fd, char **out, size_t *outlen)
{
	struct stat st;
	size_t cap, n = 0;
	ssize_t r;
	char *buf, *nb;

	if (fstat(fd, &st) != 0)
		return ERR_SYS;
	if (!S_ISREG(st.st_mode))
		return ERR_DENIED;
	if (st.st_size < 0 || st.st_size > TARGET_DB_MAX)
		return ERR_LENGTH;
	cap = (size_t)st.st_size + 1;	/* +1: notice if it grew */
	if ((buf = malloc(cap + 1)) == NULL)
		return ERR_ALLOC;
	for (;;) {
		if (n == cap) {
			cap = cap > TARGET_DB_MAX / 2 ? TARGET_DB_MAX + 1 :
			    cap * 2;
			if (n > TARGET_DB_MAX ||
			    (nb = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				return n > TARGET_DB_MAX ? ERR_LENGTH :
				    ERR_ALLOC;
			}
			buf = nb;
		}
		if ((r = read(fd, buf + n, cap - n)) == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return ERR_SYS;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return 0;
}

int
target_read_db(const char *path, char **out, size_t *len)
{
	int fd = open_db(path), rc, e;

	if (fd < 0)
		return open_error();
	rc = read_fd(fd, out, len);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

int
target_lookup_user(const char *name, struct user_info *u)
{
	char *text;
	size_t len;
	int rc;

	memset(u, 0, sizeof(*u));
	if ((rc = target_read_db("/etc/passwd", &text, &len)) != 0)
		return rc;
	rc = passwd_parse_user(text, len, name, u);
	free(text);
	if (rc != 0)
		return rc;
	rc = target_read_db("/etc/group", &text, &len);
	if (rc == ERR_NOTFOUND)
		return 0;
	if (rc == 0) {
		rc = group_parse_member(text, len, u->name, u->gid, u->groups,
		    SESSION_MAX_GROUPS, &u->ngroups);
		free(text);
	}
	if (rc != 0)
		user_info_free(u);
	return rc;
}

int
target_lookup_group(const char *name, gid_t *gid)
{
	char *text;
	size_t len;
	int rc;

	if ((rc = target_read_db("/etc/group", &text, &len)) != 0)
		return rc;
	rc = group_parse_gid(text, len, name, gid);
	free(text);
	return rc;
}
