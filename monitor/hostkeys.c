/*
 * hostkeys.c - loading (and, for the embedded default, generating) the
 * host private keys (see hostkeys.h).  Key file text is read into a
 * buffer that is wiped when freed.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "monitor/hostkeys.h"
#include "proto/buf.h"

#define KEYFILE_READ_MAX	(64u * 1024)

/* sshd's sshkey_perm_ok() complaint. */
static void
log_unprotected(const char *path, mode_t mode)
{
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @");
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("Permissions 0%3.3o for '%s' are too open.",
	    (unsigned int)mode & 0777, path);
	error("It is required that your private key files are NOT accessible "
	    "by others.");
	error("This private key will be ignored.");
}

static int
read_all(int fd, struct buf *text, size_t size)
{
	unsigned char *dst;
	size_t got = 0;
	ssize_t r;
	int e;

	if ((e = buf_reserve(text, size, &dst)) != 0)
		return e;
	while (got < size && (r = read(fd, dst + got, size - got)) > 0)
		got += (size_t)r;
	return buf_consume_end(text, size - got);
}

/*
 * Read a private key file.  ERR_SYS (errno kept) if it cannot be opened,
 * ERR_DENIED for bad permissions, ERR_FORMAT if not a regular file,
 * ERR_LENGTH if too large.
 */
static int
key_file_read(const char *path, struct buf *text)
{
	struct stat st;
	int fd, r, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return ERR_SYS;
	if (fstat(fd, &st) != 0)
		r = ERR_SYS;
	else if (!S_ISREG(st.st_mode))
		r = ERR_FORMAT;
	else if (st.st_uid == getuid() && (st.st_mode & 077) != 0) {
		log_unprotected(path, st.st_mode);
		r = ERR_DENIED;
	} else if ((size_t)st.st_size > KEYFILE_READ_MAX)
		r = ERR_LENGTH;
	else
		r = read_all(fd, text, (size_t)st.st_size);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

static int
load_one(const char *path, struct sshkey *k)
{
	struct buf text;
	int r;

	buf_init(&text, KEYFILE_READ_MAX);
	if ((r = key_file_read(path, &text)) == 0)
		r = sshkey_parse_private((const char *)buf_ptr(&text),
		    buf_len(&text), k);
	buf_free(&text);
	return r;
}

static void
log_unable(const struct config *c, int i, int r, int sys_errno)
{
	enum log_level ll = c->hostkeys_user[i] ? LOG_LVL_ERROR :
	    LOG_LVL_DEBUG1;
	const char *why = r == ERR_DENIED ? "bad permissions" :
	    r == ERR_SYS ? strerror(sys_errno) : err_str(r);

	if (r != ERR_SYS || sys_errno != ENOENT)
		log_at(ll, "Unable to load host key \"%s\": %s",
		    c->hostkeys[i], why);
	log_at(ll, "Unable to load host key: %s", c->hostkeys[i]);
}

static int
is_state_key(const struct config *c, const char *path)
{
	char want[PATH_MAX];

	snprintf(want, sizeof(want), "%s/ssh_host_ed25519_key", c->state_dir);
	return strcmp(path, want) == 0;
}

void
hostkeys_free(struct sshkey **keys, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		sshkey_free(keys[i]);
		keys[i] = NULL;
	}
}

/* Load keys[i]; 1 if loaded, 0 if skipped. */
static int
load_slot(const struct config *c, int i, struct sshkey **out)
{
	struct sshkey *k;
	char fp[128] = "?";
	int r;

	if ((k = sshkey_new()) == NULL) {
		error("host key %s: out of memory", c->hostkeys[i]);
		return 0;
	}
	if ((r = load_one(c->hostkeys[i], k)) != 0) {
		log_unable(c, i, r, errno);
		sshkey_free(k);
		return 0;
	}
	(void)sshkey_fingerprint(k, fp, sizeof(fp));
	debug("private host key #%d: %s %s", i, sshkey_type_name(k), fp);
	*out = k;
	return 1;
}

int
hostkeys_load(const struct config *c, struct sshkey **keys, int max,
    int *n, char *err, size_t errlen)
{
	int i, r;

	*n = 0;
	for (i = 0; i < c->nhostkeys; i++) {
		if (*n >= max) {
			debug("too many host keys; %s ignored", c->hostkeys[i]);
			continue;
		}
		if (c->embedded && is_state_key(c, c->hostkeys[i]) &&
		    (r = hostkeys_generate(c->hostkeys[i], err, errlen)) != 0) {
			hostkeys_free(keys, *n);
			*n = 0;
			return r;
		}
		*n += load_slot(c, i, &keys[*n]);
	}
	if (*n == 0) {
		snprintf(err, errlen, "nsshd: no hostkeys available -- "
		    "exiting.");
		return ERR_NOTFOUND;
	}
	return 0;
}

/* ------------------------------------------------------------ generation */

/* Create dir (0700) if missing; it must be ours and not open to others. */
static int
state_dir_ready(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "mkdir %s: %s", dir, strerror(errno));
		return ERR_SYS;
	}
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid()) {
		snprintf(err, errlen, "%s is not a directory owned by uid %u",
		    dir, (unsigned int)geteuid());
		return ERR_DENIED;
	}
	if ((st.st_mode & 077) != 0 && chmod(dir, 0700) != 0) {
		snprintf(err, errlen, "chmod %s: %s", dir, strerror(errno));
		return ERR_SYS;
	}
	return 0;
}

/* Write data to a fresh temporary file next to path; its name in tmp. */
static int
write_temp(const char *path, const struct buf *data, mode_t mode,
    char *tmp, size_t tmplen)
{
	const unsigned char *p = buf_ptr(data);
	size_t left = buf_len(data);
	ssize_t w;
	int fd, ok;

	snprintf(tmp, tmplen, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0)
		return ERR_SYS;
	ok = fchmod(fd, mode) == 0;
	while (ok && left > 0 && (w = write(fd, p, left)) > 0) {
		p += w;
		left -= (size_t)w;
	}
	ok = ok && left == 0 && fsync(fd) == 0;
	if (close(fd) != 0 || !ok) {
		unlink(tmp);
		return ERR_SYS;
	}
	return 0;
}

static int
write_pair(const struct sshkey *k, const char *path, char *err,
    size_t errlen)
{
	char tmp[PATH_MAX], pub[PATH_MAX];
	struct buf priv, pubt;
	int r;

	buf_init(&priv, 0);
	buf_init(&pubt, 0);
	snprintf(pub, sizeof(pub), "%s.pub", path);
	if ((r = sshkey_format_private(k, &priv)) == 0 &&
	    (r = sshkey_format_public(k, &pubt)) == 0 &&
	    (r = write_temp(path, &priv, 0600, tmp, sizeof(tmp))) == 0) {
		/* link(), not rename(): a key written meanwhile wins. */
		if (link(tmp, path) != 0 && errno != EEXIST)
			r = ERR_SYS;
		unlink(tmp);
	}
	if (r == 0 && (r = write_temp(pub, &pubt, 0644, tmp, sizeof(tmp))) == 0
	    && rename(tmp, pub) != 0) {
		unlink(tmp);
		r = ERR_SYS;
	}
	if (r != 0)
		snprintf(err, errlen, "generating host key %s: %s", path,
		    r == ERR_SYS ? strerror(errno) : err_str(r));
	buf_free(&priv);
	buf_free(&pubt);
	return r;
}

int
hostkeys_generate(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX], host[256] = "localhost", fp[128] = "?", *slash;
	struct sshkey *k;
	int r;

	if (access(path, F_OK) == 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if ((r = state_dir_ready(dir, err, errlen)) != 0)
			return r;
	}
	if ((k = sshkey_new()) == NULL) {
		snprintf(err, errlen, "generating host key: out of memory");
		return ERR_ALLOC;
	}
	(void)gethostname(host, sizeof(host) - 1);
	if ((r = sshkey_generate(k, KEY_ED25519)) != 0) {
		snprintf(err, errlen, "generating host key: %s", err_str(r));
		sshkey_free(k);
		return r;
	}
	snprintf(k->comment, sizeof(k->comment), "root@%.200s", host);
	if ((r = write_pair(k, path, err, errlen)) == 0) {
		(void)sshkey_fingerprint(k, fp, sizeof(fp));
		logit("Generated host key %s: ED25519 %s", path, fp);
	}
	sshkey_free(k);
	return r;
}
