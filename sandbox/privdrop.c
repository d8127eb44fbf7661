/*
 * privdrop.c - dropping root for good.
 *
 * privdrop_user() sets the supplementary groups, then the real, effective
 * and saved gid, then the three uids, and verifies the result instead of
 * trusting it: all three ids are the target, no capability is left, and
 * setuid(0)/setgid(0) fail.  sandbox_privdrop_transport() is the uid/gid
 * step of the transport sandbox: no supplementary groups, never root.
 */
#include "autoconf.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/err.h"
#include "sandbox/sandbox.h"

/* 1 if the process holds no effective or permitted capability. */
static int
no_capabilities(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	int i;

	if (syscall(SYS_capget, &h, d) != 0)
		return 0;
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].effective != 0 || d[i].permitted != 0)
			return 0;
	return 1;
}

/* 1 if real, effective and saved ids are exactly uid and gid. */
static int
ids_are(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return 0;
	return ru == uid && eu == uid && su == uid &&
	    rg == gid && eg == gid && sg == gid;
}

/* 1 if root can no longer be regained (only meaningful for uid != 0). */
static int
cannot_regain_root(uid_t uid, gid_t gid)
{
	if (uid == 0)
		return 1;
	if (setuid(0) != -1 || seteuid(0) != -1)
		return 0;
	if (gid != 0 && (setgid(0) != -1 || setegid(0) != -1))
		return 0;
	return no_capabilities();
}

int
privdrop_user(uid_t uid, gid_t gid, const gid_t *groups, int ngroups)
{
	if (ngroups < 0 || (ngroups > 0 && groups == NULL)) {
		errno = EINVAL;
		return ERR_SYS;
	}
	if (setgroups((size_t)ngroups, ngroups > 0 ? groups : NULL) != 0 ||
	    setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
		return ERR_SYS;
	if (!ids_are(uid, gid) || !cannot_regain_root(uid, gid)) {
		errno = EPERM;
		return ERR_SYS;
	}
	return 0;
}

int
sandbox_privdrop_transport(uid_t uid, gid_t gid)
{
	if (uid == 0 || gid == 0) {
		errno = EINVAL;
		return ERR_SYS;
	}
	return privdrop_user(uid, gid, NULL, 0);
}
