/*
 * target_stat.c - reading /proc/PID files for entering a container: the
 * start time and state from /proc/PID/stat (field 22 tells a recycled PID
 * from the process a target named), and whole small files read under a
 * /proc/PID descriptor.  ENOENT and ESRCH there mean the process is gone.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "session/target.h"
#include "session/target_int.h"
#define STAT_MAX	4096		/* /proc/PID/stat is far shorter */

/* ---- /proc/PID/stat ------------------------------------------------- */

/* State (field 3) and starttime (field 22) of a stat line. */
static int
parse_stat_fields(const char *text, size_t len, char *state,
    unsigned long long *starttime)
{
	const char *p = memrchr(text, ')', len), *end = text + len;
	unsigned long long v = 0;
	int field;

	if (p == NULL)
		return ERR_FORMAT;
	for (p++, field = 3; field <= 22; field++) {
		if (p >= end || *p != ' ' || p + 1 >= end || p[1] == ' ')
			return ERR_FORMAT;
		p++;
		if (field == 3)
			*state = *p;
		if (field == 22)
			break;
		while (p < end && *p != ' ')
			p++;
	}
	if (p >= end || *p < '0' || *p > '9')
		return ERR_FORMAT;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (~0ULL - 9) / 10)
			return ERR_FORMAT;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (p < end && *p != ' ' && *p != '\n')
		return ERR_FORMAT;
	*starttime = v;
	return 0;
}

int
target_parse_stat(const char *text, size_t len,
    unsigned long long *starttime)
{
	unsigned long long v;
	char state;

	if (parse_stat_fields(text, len, &state, &v) != 0)
		return ERR_FORMAT;
	*starttime = v;
	return 0;
}

/* Read all of fd (at most max bytes, NUL-ended) into a malloc'd *out. */
static int
read_all(int fd, size_t max, char **out, size_t *outlen)
{
	size_t cap = max < 4096 ? max + 1 : 4096, n = 0;
	char *buf = NULL, *nb;
	ssize_t r;

	for (;;) {
		if (n + 1 >= cap && cap < max + 1)
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
		if ((nb = realloc(buf, cap)) == NULL) {
			free(buf);
			return ERR_ALLOC;
		}
		buf = nb;
		if (n + 1 >= cap)
			break;		/* max reached: cut */
		r = read(fd, buf + n, cap - 1 - n);
		if (r == 0)
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

/* Read NAME under the directory dirfd (max bytes). */
int
read_at(int dirfd, const char *name, size_t max, char **out, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc, e;

	if (fd < 0)
		return ERR_SYS;
	rc = read_all(fd, max, out, len);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* ENOENT and ESRCH mean the process is gone. */
int
gone(int e)
{
	return e == ENOENT || e == ESRCH;
}

int
stat_at(int dirfd, char *state, unsigned long long *starttime)
{
	size_t len;
	char *text;
	int rc;

	if ((rc = read_at(dirfd, "stat", STAT_MAX, &text, &len)) != 0)
		return rc == ERR_SYS && gone(errno) ? ERR_NOTFOUND : rc;
	rc = parse_stat_fields(text, len, state, starttime);
	free(text);
	return rc;
}

int
target_proc_starttime(pid_t pid, unsigned long long *starttime)
{
	char path[64], state;
	int dirfd, rc;

	snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
	if (pid <= 0 ||
	    (dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return pid <= 0 || gone(errno) ? ERR_NOTFOUND : ERR_SYS;
	rc = stat_at(dirfd, &state, starttime);
	close(dirfd);
	return rc;
}
