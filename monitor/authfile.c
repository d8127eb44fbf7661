/*
 * authfile.c - account checks and authorized_keys files (see authfile.h).
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <shadow.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/sshkey.h"
#include "monitor/authfile.h"
#include "proto/buf.h"

/* --------------------------------------------------- reading as the user */

struct saved_ids {
	int switched;
	uid_t euid;
	gid_t egid;
	gid_t groups[NGROUPS_MAX];
	int ngroups;
};

/* sshd's temporarily_use_uid(): only when we are root. */
static void
ids_switch(const struct user_info *u, struct saved_ids *s)
{
	s->switched = 0;
	if (geteuid() != 0)
		return;
	s->euid = geteuid();
	s->egid = getegid();
	if ((s->ngroups = getgroups(NGROUPS_MAX, s->groups)) < 0)
		fatal("getgroups: %s", strerror(errno));
	if (setgroups((size_t)u->ngroups, u->groups) != 0 ||
	    setegid(u->gid) != 0 || seteuid(u->uid) != 0)
		fatal("temporarily_use_uid: %s", strerror(errno));
	s->switched = 1;
}

static void
ids_restore(const struct saved_ids *s)
{
	if (!s->switched)
		return;
	if (seteuid(s->euid) != 0 || setegid(s->egid) != 0 ||
	    setgroups((size_t)s->ngroups, s->groups) != 0)
		fatal("restore_uid: %s", strerror(errno));
}

static int
owner_ok(const struct stat *st, uid_t uid)
{
	return (st->st_uid == 0 || st->st_uid == uid) &&
	    (st->st_mode & 022) == 0;
}

/*
 * sshd's auth_secure_path(): the file, then each directory up to the
 * user's home (or /), owned by root or the user and not group/world
 * writable.  -1 with the reason in err.
 */
static int
secure_path(const char *name, const struct stat *fst, const char *home,
    uid_t uid, char *err, size_t errlen)
{
	char buf[PATH_MAX], homedir[PATH_MAX], tmp[PATH_MAX];
	int comparehome;
	struct stat st;

	if (realpath(name, buf) == NULL) {
		snprintf(err, errlen, "realpath %s failed: %s", name,
		    strerror(errno));
		return -1;
	}
	comparehome = home != NULL && realpath(home, homedir) != NULL;
	if (!owner_ok(fst, uid)) {
		snprintf(err, errlen, "bad ownership or modes for file %s", buf);
		return -1;
	}
	for (;;) {
		snprintf(tmp, sizeof(tmp), "%s", buf);
		snprintf(buf, sizeof(buf), "%s", dirname(tmp));
		if (stat(buf, &st) != 0 || !owner_ok(&st, uid)) {
			snprintf(err, errlen, "bad ownership or modes for "
			    "directory %s", buf);
			return -1;
		}
		if ((comparehome && strcmp(homedir, buf) == 0) ||
		    strcmp(buf, "/") == 0 || strcmp(buf, ".") == 0)
			return 0;
	}
}

static int
read_fd(int fd, size_t size, struct buf *out)
{
	unsigned char *dst;
	size_t got = 0;
	ssize_t r;

	if (buf_reserve(out, size, &dst) != 0)
		return -1;
	while (got < size && (r = read(fd, dst + got, size - got)) > 0)
		got += (size_t)r;
	return buf_consume_end(out, size - got) == 0 ? 0 : -1;
}

/* Checks once the file is open; 0 if it may be read. */
static int
check_open_file(const struct config *c, const struct user_info *u,
    const char *path, int fd, struct stat *st)
{
	char why[PATH_MAX + 64];

	if (fstat(fd, st) != 0)
		return -1;
	if (!S_ISREG(st->st_mode)) {
		logit("User %s authorized keys %s is not a regular file",
		    u->name, path);
		return -1;
	}
	if (c->strict_modes &&
	    secure_path(path, st, u->home, u->uid, why, sizeof(why)) != 0) {
		logit("Authentication refused: %s", why);
		return -1;
	}
	if ((size_t)st->st_size > AUTHFILE_MAX) {
		error("%s: authorized keys file larger than %u bytes; ignored",
		    path, AUTHFILE_MAX);
		return -1;
	}
	return 0;
}

/* Open path as the user, check it, read it into out.  0 or -1. */
static int
read_authfile(const struct config *c, const struct user_info *u,
    const char *path, struct buf *out)
{
	struct saved_ids ids;
	struct stat st;
	int fd, e, r;

	ids_switch(u, &ids);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	e = errno;
	ids_restore(&ids);
	if (fd < 0) {
		if (e != ENOENT)
			debug("Could not open authorized keys '%s': %s", path,
			    strerror(e));
		return -1;
	}
	r = check_open_file(c, u, path, fd, &st);
	if (r == 0)
		r = read_fd(fd, (size_t)st.st_size, out);
	close(fd);
	return r;
}

static void
log_refusal(const struct user_info *u, const char *path, const char *why)
{
	if (strncmp(why, "with correct key", 16) == 0)
		logit("%s: Authentication tried for %.100s %s", path, u->name,
		    why);
	else if (*why != '\0')
		debug("%s: %s", path, why);
}

static void
log_accepted(const unsigned char *blob, size_t bloblen, const char *path,
    int line)
{
	struct sshkey *k = sshkey_new();
	char fp[128] = "?";

	if (k != NULL && sshkey_from_blob(blob, bloblen, k) == 0)
		(void)sshkey_fingerprint(k, fp, sizeof(fp));
	verbose("Accepted key %s %s found at %s:%d",
	    k != NULL && k->type == KEY_ED25519 ? "ED25519" : "?", fp, path,
	    line);
	sshkey_free(k);
}

/* Search one file; 0 if the key is there and allowed. */
static int
try_file(const struct config *c, const struct user_info *u,
    const char *path, const char *addr, const unsigned char *blob,
    size_t bloblen, struct authkey_opts *opts)
{
	struct buf text;
	char why[512] = "";
	int r = ERR_NOTFOUND;

	debug("trying public key file %s", path);
	buf_init(&text, AUTHFILE_MAX);
	if (read_authfile(c, u, path, &text) == 0) {
		r = authkeys_find_ex((const char *)buf_ptr(&text),
		    buf_len(&text), blob, bloblen, addr, (long long)time(NULL),
		    opts, why, sizeof(why));
		if (r != 0)
			log_refusal(u, path, why);
		else
			log_accepted(blob, bloblen, path, opts->line);
	}
	buf_free(&text);
	return r;
}

int
auth_key_allowed(const struct config *c, const struct user_info *u,
    const char *client_addr, const unsigned char *blob, size_t bloblen,
    struct authkey_opts *opts, char *file_used, size_t flen)
{
	char *path;
	int i, r;

	authkey_opts_init(opts);
	for (i = 0; i < c->nauthkeys_files; i++) {
		if (strcasecmp(c->authkeys_files[i], "none") == 0)
			continue;
		path = config_expand_path_uid(c->authkeys_files[i], u->name,
		    u->home, (unsigned long)u->uid);
		if (path == NULL) {
			error("AuthorizedKeysFile %s: bad %%-token",
			    c->authkeys_files[i]);
			continue;
		}
		r = try_file(c, u, path, client_addr, blob, bloblen, opts);
		if (r == 0 && file_used != NULL && flen > 0)
			snprintf(file_used, flen, "%s", path);
		free(path);
		if (r == 0)
			return 0;
	}
	return ERR_NOTFOUND;
}

/* ------------------------------------------------------ allowed_user() */

static int
deny(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
deny(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return ERR_DENIED;
}

/* Locked ("!...") or expired account, from /etc/shadow (no PAM only). */
static int
check_shadow(const struct user_info *u, char *why, size_t whylen)
{
	struct spwd *sp = getspnam(u->name);
	long today = (long)(time(NULL) / 86400);

	if (sp == NULL)
		return 0;
	if (sp->sp_expire != -1 && sp->sp_expire - today < 0)
		return deny(why, whylen, "Account %.100s has expired",
		    u->name);
	if (sp->sp_pwdp != NULL && sp->sp_pwdp[0] == '!')
		return deny(why, whylen, "User %.100s not allowed because "
		    "account is locked", u->name);
	return 0;
}

static int
check_shell(const struct user_info *u, char *why, size_t whylen)
{
	const char *shell = u->shell && *u->shell ? u->shell : "/bin/sh";
	struct stat st;

	if (stat(shell, &st) != 0)
		return deny(why, whylen, "User %.100s not allowed because "
		    "shell %.100s does not exist", u->name, shell);
	if (!S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0)
		return deny(why, whylen, "User %.100s not allowed because "
		    "shell %.100s is not executable", u->name, shell);
	return 0;
}

/*
 * One Allow/DenyUsers entry: 1 match, 0 none.  Without the client address
 * a user@host entry is judged on the user part for Deny (deny_side 1) and
 * never matches for Allow; an invalid entry matches for Deny only.  So a
 * missing address never lets more users in.
 */
static int
user_entry(const struct user_info *u, const char *addr, const char *pat,
    int deny_side)
{
	char *copy, *at;
	int r;

	if (addr == NULL && (at = strrchr(pat, '@')) != NULL) {
		if (!deny_side || (copy = strdup(pat)) == NULL)
			return deny_side;
		copy[at - pat] = '\0';
		r = match_pattern(u->name, copy);
		free(copy);
		return r;
	}
	r = match_user_pattern(u->name, addr, addr, pat);
	return r < 0 ? deny_side : r == 1;
}

static int
check_users(const struct config *c, const struct user_info *u,
    const char *addr, char *why, size_t whylen)
{
	const char *host = addr ? addr : "UNKNOWN";
	int i;

	for (i = 0; i < c->ndeny_users; i++)
		if (user_entry(u, addr, c->deny_users[i], 1))
			return deny(why, whylen, "User %.100s from %.100s not "
			    "allowed because listed in DenyUsers", u->name,
			    host);
	for (i = 0; i < c->nallow_users; i++)
		if (user_entry(u, addr, c->allow_users[i], 0))
			break;
	if (c->nallow_users > 0 && i >= c->nallow_users)
		return deny(why, whylen, "User %.100s from %.100s not allowed "
		    "because not listed in AllowUsers", u->name, host);
	return 0;
}

/* Does any of the user's groups match any of the patterns? */
static int
groups_match_any(const struct user_info *u, char *const *pats, int npats)
{
	struct group *gr;
	int i, j;

	for (i = 0; i < u->ngroups; i++) {
		if ((gr = getgrgid(u->groups[i])) == NULL)
			continue;
		for (j = 0; j < npats; j++)
			if (match_pattern(gr->gr_name, pats[j]))
				return 1;
	}
	return 0;
}

static int
check_groups(const struct config *c, const struct user_info *u,
    const char *addr, char *why, size_t whylen)
{
	const char *host = addr ? addr : "UNKNOWN";

	if (c->ndeny_groups == 0 && c->nallow_groups == 0)
		return 0;
	if (u->ngroups == 0)
		return deny(why, whylen, "User %.100s from %.100s not allowed "
		    "because not in any group", u->name, host);
	if (groups_match_any(u, c->deny_groups, c->ndeny_groups))
		return deny(why, whylen, "User %.100s from %.100s not allowed "
		    "because a group is listed in DenyGroups", u->name, host);
	if (c->nallow_groups > 0 &&
	    !groups_match_any(u, c->allow_groups, c->nallow_groups))
		return deny(why, whylen, "User %.100s from %.100s not allowed "
		    "because none of user's groups are listed in AllowGroups",
		    u->name, host);
	return 0;
}

int
auth_user_permitted_from(const struct config *c, const struct user_info *u,
    const char *client_addr, char *why, size_t whylen)
{
	int r;

	if (why != NULL && whylen > 0)
		*why = '\0';
	if (u == NULL || u->name == NULL)
		return deny(why, whylen, "no such user");
	if (u->uid == 0 && c->permit_root_login == PERMIT_ROOT_NO)
		return deny(why, whylen, "ROOT LOGIN REFUSED FROM %.200s",
		    client_addr ? client_addr : "UNKNOWN");
	if ((!c->use_pam && (r = check_shadow(u, why, whylen)) != 0) ||
	    (r = check_shell(u, why, whylen)) != 0 ||
	    (r = check_users(c, u, client_addr, why, whylen)) != 0 ||
	    (r = check_groups(c, u, client_addr, why, whylen)) != 0)
		return r;
	return 0;
}

int
auth_user_permitted(const struct config *c, const struct user_info *u,
    char *why, size_t whylen)
{
	return auth_user_permitted_from(c, u, NULL, why, whylen);
}

int
auth_root_allowed(const struct config *c, const char *method,
    const char *key_forced_command, const char *client_addr,
    int client_port, char *why, size_t whylen)
{
	if (why != NULL && whylen > 0)
		*why = '\0';
	switch (c->permit_root_login) {
	case PERMIT_ROOT_YES:
		return 1;
	case PERMIT_ROOT_PROHIBIT_PASSWORD:
		if (strcmp(method, "publickey") == 0)
			return 1;
		break;
	case PERMIT_ROOT_FORCED_COMMANDS:
		if (key_forced_command != NULL) {
			deny(why, whylen, "Root login accepted for forced "
			    "command.");
			return 1;
		}
		break;
	default:
		break;
	}
	deny(why, whylen, "ROOT LOGIN REFUSED FROM %.200s port %d",
	    client_addr ? client_addr : "UNKNOWN", client_port);
	return 0;
}
