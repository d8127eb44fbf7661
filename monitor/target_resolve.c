/*
 * target_resolve.c - ContainerTarget to struct target (see
 * target_resolve.h).
 *
 * The pure parts come first: token expansion, the pid-file parser and the
 * Engine API reply parser (json-c).  Then the parts that touch the system:
 * /proc, the pid file (opened without following symlinks, checked to be a
 * root-owned regular file before a byte is read) and one HTTP request to a
 * container engine over its Unix socket with libcurl (no proxy, no
 * redirects, short timeouts, a capped reply).  Nothing here logs: errors
 * come back as a code and one line for the client; the monitor logs.
 */
#include "autoconf.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "monitor/config.h"
#include "monitor/curl_dl.h"
#include "monitor/target_resolve.h"
#include "session/target.h"

#define JSON_MAX_DEPTH	32	/* an inspect reply nests about 5 deep */

/* --------------------------------------------------------- pure parsers */

int
target_expand(const char *tmpl, const char *user, const char *home,
    char *out, size_t outlen)
{
	const char *v;
	size_t n = 0, vl;
	char one[2] = { 0, 0 };

	if (outlen == 0)
		return ERR_LENGTH;
	out[0] = '\0';
	for (; *tmpl != '\0'; tmpl++) {
		v = one;
		one[0] = *tmpl;
		if (*tmpl == '%') {
			tmpl++;
			v = *tmpl == 'u' ? user : *tmpl == 'h' ? home :
			    *tmpl == '%' ? "%" : NULL;
			if (v == NULL)
				return out[0] = '\0', ERR_FORMAT;
		}
		if ((vl = strlen(v)) >= outlen - n)
			return out[0] = '\0', ERR_LENGTH;
		memcpy(out + n, v, vl + 1);
		n += vl;
	}
	return 0;
}

int
target_parse_pidfile(const char *text, size_t len, pid_t *pid)
{
	size_t i = 0;
	long long v = 0;

	*pid = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (i == len || text[i] < '0' || text[i] > '9')
		return ERR_FORMAT;
	for (; i < len && text[i] >= '0' && text[i] <= '9'; i++)
		if ((v = v * 10 + (text[i] - '0')) > INT_MAX)
			return ERR_FORMAT;
	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (i < len && text[i] == '\n')
		i++;
	if (i != len || v == 0)
		return ERR_FORMAT;
	*pid = (pid_t)v;
	return 0;
}

/* Member NAME of object O with type TYPE, or NULL. */
static json_object *
member(json_object *o, const char *name, json_type type)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* .State of a parsed reply into *pid / *running; 0 or ERR_FORMAT. */
static int
read_state(json_object *root, pid_t *pid, int *running)
{
	json_object *state = member(root, "State", json_type_object);
	json_object *jpid = member(state, "Pid", json_type_int);
	json_object *jrun = member(state, "Running", json_type_boolean);
	json_object *jpaused;
	int64_t v;

	if (jpid == NULL || jrun == NULL)
		return ERR_FORMAT;
	errno = 0;
	v = json_object_get_int64(jpid);
	if (errno != 0 || v < 0 || v > INT_MAX)
		return ERR_FORMAT;
	if (json_object_get_boolean(jrun) && v == 0)
		return ERR_FORMAT;
	*pid = (pid_t)v;
	jpaused = member(state, "Paused", json_type_boolean);
	*running = json_object_get_boolean(jrun) &&
	    (jpaused == NULL || !json_object_get_boolean(jpaused));
	return 0;
}

int
target_parse_engine_json(const char *text, size_t len, pid_t *pid,
    int *running)
{
	struct json_tokener *tok;
	json_object *root;
	size_t used, i;
	int r = ERR_FORMAT;

	*pid = 0;
	*running = 0;
	if (len > TARGET_ENGINE_MAX_REPLY || len > INT_MAX)
		return ERR_FORMAT;
	if ((tok = json_tokener_new_ex(JSON_MAX_DEPTH)) == NULL)
		return ERR_FORMAT;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len);
	used = json_tokener_get_parse_end(tok);
	for (i = used; root != NULL && i < len; i++)
		if (strchr(" \t\r\n", text[i]) == NULL || text[i] == '\0')
			break;
	if (root != NULL && i == len &&
	    json_tokener_get_error(tok) == json_tokener_success &&
	    json_object_is_type(root, json_type_object))
		r = read_state(root, pid, running);
	if (r != 0) {
		*pid = 0;
		*running = 0;
	}
	json_object_put(root);
	json_tokener_free(tok);
	return r;
}

/* ------------------------------------------------------------- helpers */

static int
fail(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* A Docker/Podman container name or id: [A-Za-z0-9][A-Za-z0-9_.-]*. */
static int
name_valid(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < sizeof(((struct target *)0)->name) &&
	    strchr("_.-", s[0]) == NULL &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") == n;
}

/* t->name = s, cut to fit (it is only for messages). */
static void
set_name(struct target *t, const char *s)
{
	size_t n = strnlen(s, sizeof(t->name) - 1);

	memcpy(t->name, s, n);
	t->name[n] = '\0';
}

/* The process must exist now; record its start time. */
static int
use_pid(pid_t pid, struct target *t, char *err, size_t errlen)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (pid <= 0 || stat(path, &st) != 0 ||
	    target_proc_starttime(pid, &t->starttime) != 0)
		return fail(err, errlen, ERR_NOTFOUND,
		    "container \"%s\" is not running", t->name);
	t->pid = pid;
	return 0;
}

/* pid:N */
static int
resolve_pid(const char *v, struct target *t, char *err, size_t errlen)
{
	pid_t pid;

	set_name(t, v);
	if (strspn(v, "0123456789") != strlen(v) ||
	    target_parse_pidfile(v, strlen(v), &pid) != 0)
		return fail(err, errlen, ERR_CONFIG,
		    "ContainerTarget pid:%s is not a process id", v);
	return use_pid(pid, t, err, errlen);
}

/* Open PATH as a pid file we may trust: regular, root's, not writable by
 * others, not a symlink.  The fd, or a negative code. */
static int
open_pidfile(const char *path, struct target *t, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY);
	if (fd < 0 && errno == ENOENT)
		return fail(err, errlen, ERR_NOTFOUND, "container \"%s\" is not "
		    "running (no pid file)", t->name);
	if (fd < 0)
		return fail(err, errlen, errno == ELOOP ? ERR_DENIED : ERR_SYS,
		    "cannot open the pid file %s: %s", path,
		    errno == ELOOP ? "it is a symlink" : strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		close(fd);
		return fail(err, errlen, ERR_DENIED, "refusing the pid file %s: "
		    "not a regular file owned and only writable by root", path);
	}
	return fd;
}

/* pidfile:PATH */
static int
resolve_pidfile(const char *path, struct target *t, char *err,
    size_t errlen)
{
	char buf[TARGET_PIDFILE_MAX + 1];
	ssize_t n;
	pid_t pid;
	int fd;

	set_name(t, path);
	if (path[0] != '/')
		return fail(err, errlen, ERR_CONFIG, "ContainerTarget pidfile:%s "
		    "is not an absolute path", path);
	if ((fd = open_pidfile(path, t, err, errlen)) < 0)
		return fd;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0 || n > TARGET_PIDFILE_MAX ||
	    target_parse_pidfile(buf, (size_t)n, &pid) != 0)
		return fail(err, errlen, ERR_FORMAT, "the pid file %s does not "
		    "hold a process id", path);
	return use_pid(pid, t, err, errlen);
}

/* ------------------------------------------------- the container engine */

struct reply {
	char *buf;
	size_t len;
};

static size_t
on_data(char *data, size_t size, size_t nmemb, void *arg)
{
	struct reply *r = arg;
	size_t n = size * nmemb;
	char *b;

	if (n > TARGET_ENGINE_MAX_REPLY - r->len)
		return 0;	/* makes curl fail the transfer */
	if ((b = realloc(r->buf, r->len + n + 1)) == NULL)
		return 0;
	memcpy(b + r->len, data, n);
	r->len += n;
	b[r->len] = '\0';
	r->buf = b;
	return n;
}

/* Set the options of one GET of URL on SOCK; a curl code. */
static CURLcode
engine_setopts(const struct curl_api *cu, CURL *h, const char *sock,
    const char *url, struct reply *r)
{
	CURLcode e = CURLE_OK;

#define OPT(o, v) if (e == CURLE_OK) e = cu->easy_setopt(h, o, v)
	OPT(CURLOPT_UNIX_SOCKET_PATH, sock);
	OPT(CURLOPT_URL, url);
	OPT(CURLOPT_PROXY, "");			/* no proxy from the env */
	OPT(CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	OPT(CURLOPT_PROTOCOLS_STR, "http");
#else
	OPT(CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTP);
#endif
	OPT(CURLOPT_CONNECTTIMEOUT_MS, (long)TARGET_ENGINE_CONNECT_MS);
	OPT(CURLOPT_TIMEOUT_MS, (long)TARGET_ENGINE_TOTAL_MS);
	OPT(CURLOPT_NOSIGNAL, 1L);
	OPT(CURLOPT_USERAGENT, "nsshd");
	OPT(CURLOPT_WRITEFUNCTION, on_data);
	OPT(CURLOPT_WRITEDATA, r);
#undef OPT
	return e;
}

/*
 * GET /containers/NAME/json on SOCK.  0 with the body in *r (caller frees
 * r->buf) and the HTTP status in *status, or ERR_SYS / ERR_ALLOC with err.
 */
static int
engine_get(const char *sock, const char *name, struct reply *r,
    long *status, char *err, size_t errlen)
{
	const struct curl_api *cu;
	char url[512], *esc, why[256];
	CURL *h;
	CURLcode e;

	if ((cu = curl_api_get(why, sizeof(why))) == NULL)
		return fail(err, errlen, ERR_SYS, "cannot ask the container "
		    "engine at %s (%s)", sock, why);
	if ((h = cu->easy_init()) == NULL)
		return fail(err, errlen, ERR_ALLOC, "out of memory");
	if ((esc = cu->easy_escape(h, name, 0)) == NULL) {
		cu->easy_cleanup(h);
		return fail(err, errlen, ERR_ALLOC, "out of memory");
	}
	snprintf(url, sizeof(url), "http://localhost%s/containers/%s/json",
	    TARGET_ENGINE_API, esc);
	cu->free(esc);
	if ((e = engine_setopts(cu, h, sock, url, r)) == CURLE_OK)
		e = cu->easy_perform(h);
	if (e == CURLE_OK)
		e = cu->easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	cu->easy_cleanup(h);
	if (e != CURLE_OK)
		return fail(err, errlen, ERR_SYS, "cannot reach the container "
		    "engine at %s (%s)", sock, cu->easy_strerror(e));
	return 0;
}

/* docker:NAME / podman:NAME */
static int
resolve_engine(const struct config *c, const char *engine, const char *name,
    struct target *t, char *err, size_t errlen)
{
	const char *sock = config_engine_socket(c, engine);
	struct reply r = { NULL, 0 };
	long status = 0;
	pid_t pid;
	int running, rc;

	set_name(t, name);
	if (sock == NULL || !name_valid(name))
		return fail(err, errlen, ERR_CONFIG, "ContainerTarget %s:%s is "
		    "not a valid container name", engine, name);
	if ((rc = engine_get(sock, name, &r, &status, err, errlen)) != 0)
		return rc;
	if (status == 404)
		rc = fail(err, errlen, ERR_NOTFOUND, "container \"%s\" not found",
		    name);
	else if (status != 200)
		rc = fail(err, errlen, ERR_SYS, "the container engine at %s "
		    "answered HTTP %ld for \"%s\"", sock, status, name);
	else if (target_parse_engine_json(r.buf, r.len, &pid, &running) != 0)
		rc = fail(err, errlen, ERR_FORMAT, "cannot read the reply of the "
		    "container engine at %s", sock);
	else if (!running)
		rc = fail(err, errlen, ERR_NOTFOUND, "container \"%s\" is not "
		    "running", name);
	else
		rc = use_pid(pid, t, err, errlen);
	free(r.buf);
	return rc;
}

/* --------------------------------------------------------- the rest */

/* ns_mask, env_mode, user and workdir from c. */
static int
fill_options(const struct config *c, const char *user, struct target *t,
    char *err, size_t errlen)
{
	const char *cu = c->container_user != NULL ? c->container_user : "%u";

	t->ns_mask = (unsigned int)c->container_ns & TARGET_NS_ALL;
	t->env_mode = c->container_env;
	t->root_ok = c->container_user != NULL;
	if (target_expand(cu, user, NULL, t->user, sizeof(t->user)) != 0 ||
	    t->user[0] == '\0' || strpbrk(t->user, ":/\n") != NULL)
		return fail(err, errlen, ERR_CONFIG, "ContainerUser %s does not "
		    "give a valid user name for %s", cu, user);
	if (c->container_workdir != NULL &&
	    (target_expand(c->container_workdir, user, NULL, t->workdir,
	    sizeof(t->workdir)) != 0 || t->workdir[0] != '/'))
		return fail(err, errlen, ERR_CONFIG, "ContainerWorkdir %s does "
		    "not give an absolute path for %s", c->container_workdir,
		    user);
	return 0;
}

/* Dispatch on the scheme of the expanded target SPEC. */
static int
resolve_spec(const struct config *c, const char *spec, struct target *t,
    char *err, size_t errlen)
{
	if (strncasecmp(spec, "pid:", 4) == 0)
		return resolve_pid(spec + 4, t, err, errlen);
	if (strncasecmp(spec, "pidfile:", 8) == 0)
		return resolve_pidfile(spec + 8, t, err, errlen);
	if (strncasecmp(spec, "docker:", 7) == 0)
		return resolve_engine(c, "docker", spec + 7, t, err, errlen);
	if (strncasecmp(spec, "podman:", 7) == 0)
		return resolve_engine(c, "podman", spec + 7, t, err, errlen);
	return fail(err, errlen, ERR_CONFIG, "ContainerTarget %s: unknown kind",
	    spec);
}

int
target_resolve(const struct config *c, const char *user, const char *home,
    struct target *t, char *err, size_t errlen)
{
	char spec[PATH_MAX + 16];
	int r;

	memset(t, 0, sizeof(*t));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (user == NULL)
		return fail(err, errlen, ERR_INTERNAL, "no user name");
	if (c->container_target == NULL ||
	    strcasecmp(c->container_target, "none") == 0)
		return 0;
	if (target_expand(c->container_target, user, home, spec,
	    sizeof(spec)) != 0)
		return fail(err, errlen, ERR_CONFIG, "ContainerTarget %s cannot "
		    "be expanded for %s", c->container_target, user);
	t->is_container = 1;
	if ((r = resolve_spec(c, spec, t, err, errlen)) == 0)
		r = fill_options(c, user, t, err, errlen);
	if (r != 0)
		memset(t, 0, sizeof(*t));
	return r;
}
