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

/*
 * seccomp.c: the seccomp part alone (used by sandbox_transport_enter).
 * Loads the allow-list for a single-threaded relay; any other call kills
 * the process (open/openat fail with EACCES).  0 or ERR_SYS (errno set).
 */
int sandbox_seccomp_transport(void);
/*
 * rlimit.c: the rlimit part alone: NPROC, FSIZE, CORE 0; NOFILE hard limit
 * lowered to the current soft limit.  0 or ERR_SYS.
 */
int sandbox_rlimits_transport(void);

/*
 * chroot.c: enter DIR (chroot + chdir("/")), after checking that it is a
 * real directory owned by root and writable by nobody else (ERR_DENIED if
 * not).  Needs root.  0, ERR_SYS or ERR_DENIED (errno set).
 */
int sandbox_chroot(const char *dir);

/*
 * privdrop.c: the uid/gid step of the transport sandbox: no supplementary
 * groups, gid, uid, verified as privdrop_user() does.  Refuses uid 0 or
 * gid 0 (ERR_SYS, errno EINVAL).
 */
int sandbox_privdrop_transport(uid_t uid, gid_t gid);

/*
 * privdrop.c: drop root for good: setgroups(groups), setresgid(gid),
 * setresuid(uid), then verify that all real/effective/saved ids are the
 * target, and (uid != 0) that setuid(0)/setgid(0) fail and no capability
 * is left.  groups may be NULL when ngroups is 0 (no supplementary groups).
 * Must be called as root.  0 or ERR_SYS (errno set; EPERM when the check
 * fails).  On failure the ids may be half changed: the caller must exit.
 */
int privdrop_user(uid_t uid, gid_t gid, const gid_t *groups, int ngroups);

/*
 * chroot.c: create DIR (and parents) root-owned, mode 0755, and verify it
 * is empty and not writable by others; used for the transport chroot.
 * Existing directories are kept.  0, ERR_SYS, or ERR_DENIED (DIR is a
 * symlink, not root's, group/other-writable, or not empty).
 */
int sandbox_prepare_empty_dir(const char *dir);

#endif
