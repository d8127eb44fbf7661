/*
 * sandbox.h - confining processes.
 *
 * The transport is confined by sandbox_transport_enter(): chroot to an empty
 * root-owned directory, drop to the unprivileged privsep user (verified: it
 * cannot regain root), rlimits (no new files, no processes, no core),
 * PR_SET_NO_NEW_PRIVS, then a libseccomp allow-list that kills the process
 * on any other system call (sandbox/seccomp.c).  Workers drop to the user
 * with privdrop_user().
 */
#ifndef NSSHD_SANDBOX_H
#define NSSHD_SANDBOX_H

#include <sys/types.h>

/*
 * Enter the transport sandbox.  Must be called single-threaded, as root,
 * with every fd the transport needs already open.  Returns 0 or ERR_SYS
 * (errno set); on failure the caller must exit.
 */
int sandbox_transport_enter(uid_t uid, gid_t gid, const char *chroot_dir);

/* The seccomp part alone (used by sandbox_transport_enter). */
int sandbox_seccomp_transport(void);
/* The rlimit part alone. */
int sandbox_rlimits_transport(void);

/*
 * Drop root for good: setgroups(groups), setresgid(gid), setresuid(uid),
 * then verify that neither root uid nor gid can be regained.
 */
int privdrop_user(uid_t uid, gid_t gid, const gid_t *groups, int ngroups);

/*
 * Create DIR (and parents) root-owned, mode 0755, and verify it is empty
 * and not writable by others; used for the transport chroot.
 */
int sandbox_prepare_empty_dir(const char *dir);

#endif
