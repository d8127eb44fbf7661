/*
 * target_user.c - a worker's way into a container as a user: enter the
 * target, then read the user from the container's own /etc/passwd and
 * /etc/group (never NSS), and refuse uid 0 unless ContainerUser allowed
 * it.  Every worker kind that runs as the user inside a target (session,
 * forwarding sockets, X11, agent) comes through here.
 */
#include "autoconf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "session/target.h"

/* Why the container's user could not be read, for the client. */
static void
lookup_failed(const struct target *t, const char *name, int rc, char *err,
    size_t errlen)
{
	if (rc == ERR_NOTFOUND)
		snprintf(err, errlen, "user \"%s\" does not exist in "
		    "container \"%s\"", name, t->name);
	else if (rc == ERR_DENIED)
		snprintf(err, errlen, "container \"%s\": /etc/passwd or "
		    "/etc/group is not a regular file", t->name);
	else if (rc == ERR_LENGTH)
		snprintf(err, errlen, "container \"%s\": /etc/passwd or "
		    "/etc/group is too large", t->name);
	else
		snprintf(err, errlen, "container \"%s\": reading its users: "
		    "%s", t->name, rc == ERR_SYS ? strerror(errno) :
		    err_str(rc));
}

int
target_enter_user(const struct target *t, const char *login,
    const int *keep_fds, int nkeep, struct user_info *u, char *err,
    size_t errlen)
{
	const char *name = t->user[0] != '\0' ? t->user : login;
	int rc;

	err[0] = '\0';
	if ((rc = target_enter(t, keep_fds, nkeep, err, errlen)) != 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "cannot enter the container");
		return rc;
	}
	if ((rc = target_lookup_user(name, u)) != 0) {
		lookup_failed(t, name, rc, err, errlen);
		return rc;
	}
	if (u->uid == 0 && !t->root_ok) {
		snprintf(err, errlen, "%s is uid 0 in container \"%s\"; a "
		    "login becomes root there only with ContainerUser set",
		    name, t->name);
		user_info_free(u);
		return ERR_DENIED;
	}
	return 0;
}
