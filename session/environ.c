/*
 * environ.c - the environment a container session inherits (see target.h):
 * the target init's /proc/PID/environ, read on the host by the monitor
 * before the worker is forked, parsed into "NAME=value" strings, and the
 * login variables put on top of it (ContainerEnvironment inherit, as
 * `docker exec` does).  The parser is pure and has a fuzz target.
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

struct envlist {
	char **v;		/* NULL-ended */
	size_t n, cap;
};

/* Length of NAME in "NAME=value"; 0 if there is no '=' or no name. */
static size_t
name_len(const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);

	return eq == NULL ? 0 : (size_t)(eq - s);
}

/* Make room for one more entry and the NULL.  0 or -1. */
static int
grow(struct envlist *e)
{
	size_t ncap;
	char **nv;

	if (e->n + 2 <= e->cap)
		return 0;
	ncap = e->cap * 2 + 16;
	if ((nv = reallocarray(e->v, ncap, sizeof(*nv))) == NULL)
		return -1;
	e->v = nv;
	e->cap = ncap;
	return 0;
}

/*
 * Put a copy of s[0..n) (a valid entry): replace the same name, or append
 * if there are fewer than limit entries (else drop it).  0 or -1.
 */
static int
put(struct envlist *e, const char *s, size_t n, size_t limit)
{
	size_t i, nl = name_len(s, n);
	char *c;

	if ((c = strndup(s, n)) == NULL)
		return -1;
	for (i = 0; i < e->n; i++) {
		if (name_len(e->v[i], strlen(e->v[i])) == nl &&
		    memcmp(e->v[i], s, nl) == 0) {
			free(e->v[i]);
			e->v[i] = c;
			return 0;
		}
	}
	if (e->n >= limit || grow(e) != 0) {
		free(c);
		return e->n >= limit ? 0 : -1;
	}
	e->v[e->n++] = c;
	e->v[e->n] = NULL;
	return 0;
}

/* An empty list ({ NULL }), or NULL on ENOMEM. */
static int
list_init(struct envlist *e)
{
	e->n = e->cap = 0;
	e->v = NULL;
	if (grow(e) != 0)
		return -1;
	e->v[0] = NULL;
	return 0;
}

static char **
list_fail(struct envlist *e)
{
	session_env_free(e->v);
	e->v = NULL;
	return NULL;
}

char **
target_parse_environ(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *z;
	struct envlist e;
	size_t n;

	if (list_init(&e) != 0)
		return NULL;
	while (p < end) {
		z = memchr(p, '\0', (size_t)(end - p));
		n = (size_t)((z != NULL ? z : end) - p);
		if (name_len(p, n) > 0 && put(&e, p, n, TARGET_ENV_MAX) != 0)
			return list_fail(&e);
		p += n + 1;
	}
	return e.v;
}

char **
target_read_environ(pid_t pid)
{
	char path[64], *buf, **env;
	size_t n = 0;
	ssize_t r;
	int fd, e;

	snprintf(path, sizeof(path), "/proc/%ld/environ", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if ((buf = malloc(TARGET_DB_MAX)) == NULL) {
		close(fd);
		return NULL;
	}
	while (n < TARGET_DB_MAX &&
	    (r = read(fd, buf + n, TARGET_DB_MAX - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		n += (size_t)r;
	}
	close(fd);
	if (n == TARGET_DB_MAX)		/* cut: drop the partial last entry */
		while (n > 0 && buf[n - 1] != '\0')
			n--;
	env = target_parse_environ(buf, n);
	free(buf);
	return env;
}

char **
target_env_merge(char *const *base, char *const *top)
{
	struct envlist e;
	size_t n;

	if (list_init(&e) != 0)
		return NULL;
	for (; base != NULL && *base != NULL; base++) {
		n = strlen(*base);
		if (name_len(*base, n) > 0 &&
		    put(&e, *base, n, TARGET_ENV_MAX) != 0)
			return list_fail(&e);
	}
	for (; top != NULL && *top != NULL; top++) {
		n = strlen(*top);
		if (name_len(*top, n) > 0 && put(&e, *top, n, (size_t)-1) != 0)
			return list_fail(&e);
	}
	return e.v;
}
