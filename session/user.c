/*
 * user.c - the host's user database, for sessions on the host.
 *
 * Uses the reentrant NSS calls (getpwnam_r, getgrnam_r) and getgrouplist,
 * and copies what it needs, so nothing points into NSS's static storage.
 * Containers never come here: their users are read from the container's own
 * files by a plain parser, never through NSS.
 */
#include "autoconf.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "session/session.h"

#define NSS_BUF_START	4096
#define NSS_BUF_MAX	(1024 * 1024)

/* getpwnam_r into a growing buffer *bufp (caller frees). */
static int
lookup_pw(const char *name, struct passwd *pw, char **bufp)
{
	struct passwd *res = NULL;
	size_t len = NSS_BUF_START;
	char *buf = NULL, *nb;
	int e;

	for (;;) {
		if ((nb = realloc(buf, len)) == NULL) {
			free(buf);
			return ERR_ALLOC;
		}
		buf = nb;
		e = getpwnam_r(name, pw, buf, len, &res);
		if (e != ERANGE || len >= NSS_BUF_MAX)
			break;
		len *= 2;
	}
	*bufp = buf;
	if (e == 0 && res == NULL)
		return ERR_NOTFOUND;
	if (e != 0) {
		errno = e;
		return ERR_SYS;
	}
	return 0;
}

/* The user's groups, primary gid included, at most SESSION_MAX_GROUPS. */
static void
lookup_groups(struct user_info *u)
{
	int n = SESSION_MAX_GROUPS;

	if (getgrouplist(u->name, u->gid, u->groups, &n) < 0) {
		logit("user %s is in %d groups; using the first %d", u->name,
		    n, SESSION_MAX_GROUPS);
		n = SESSION_MAX_GROUPS;
	}
	if (n < 1) {		/* getgrouplist always lists gid; be sure */
		u->groups[0] = u->gid;
		n = 1;
	}
	u->ngroups = n;
}

int
user_lookup_host(const char *name, struct user_info *u)
{
	struct passwd pw;
	char *buf = NULL;
	int rc;

	memset(u, 0, sizeof(*u));
	rc = lookup_pw(name, &pw, &buf);
	if (rc == 0) {
		u->uid = pw.pw_uid;
		u->gid = pw.pw_gid;
		u->name = strdup(pw.pw_name);
		u->home = strdup(pw.pw_dir != NULL ? pw.pw_dir : "");
		u->shell = strdup(pw.pw_shell != NULL && pw.pw_shell[0] != '\0' ?
		    pw.pw_shell : "/bin/sh");
		if (u->name == NULL || u->home == NULL || u->shell == NULL)
			rc = ERR_ALLOC;
	}
	free(buf);
	if (rc != 0) {
		user_info_free(u);
		return rc;
	}
	lookup_groups(u);
	return 0;
}

void
user_info_free(struct user_info *u)
{
	free(u->name);
	free(u->home);
	free(u->shell);
	memset(u, 0, sizeof(*u));
}

gid_t
user_tty_group_host(void)
{
	struct group gr, *res = NULL;
	char buf[16384];

	if (getgrnam_r("tty", &gr, buf, sizeof(buf), &res) != 0 || res == NULL)
		return (gid_t)-1;
	return gr.gr_gid;
}
