/*
 * transport.c - entering the transport sandbox, step by step.
 *
 * Order matters: chroot needs root, so it comes first; then the uid/gid
 * drop; then rlimits (only ever lowered, so they need no privilege);
 * then no_new_privs and non-dumpable; the seccomp filter last, because it
 * forbids every call made before it.
 */
#include "autoconf.h"

#include <sys/prctl.h>

#include "common/err.h"
#include "sandbox/sandbox.h"

int
sandbox_transport_enter(uid_t uid, gid_t gid, const char *chroot_dir)
{
	int rc;

	if ((rc = sandbox_chroot(chroot_dir)) != 0 ||
	    (rc = sandbox_privdrop_transport(uid, gid)) != 0 ||
	    (rc = sandbox_rlimits_transport()) != 0)
		return rc;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return ERR_SYS;
	return sandbox_seccomp_transport();
}
