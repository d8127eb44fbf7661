/*
 * target.h - where a worker runs: the host, or inside a container's
 * namespaces.  One function, target_enter(), takes a worker from the host
 * into a target; every worker kind (session, sftp, forwarding sockets, X11,
 * agent) goes through it, so there is exactly one place that enters a
 * container (see "Entering a container" in shared/DESIGN.md).
 *
 * The monitor resolves ContainerTarget (pid:, pidfile:, docker:, podman:)
 * into a struct target on the host; the worker enters it.  Nothing read
 * from inside a container is trusted by root code: no NSS, no following its
 * symlinks out of it, no reading of FIFOs or devices.
 */
#ifndef NSSHD_TARGET_H
#define NSSHD_TARGET_H

#include <stddef.h>
#include <sys/types.h>

#include "session/session.h"

/* Namespaces, as the bits of ContainerNamespaces. */
#define TARGET_NS_USER		0x01
#define TARGET_NS_MNT		0x02
#define TARGET_NS_UTS		0x04
#define TARGET_NS_IPC		0x08
#define TARGET_NS_NET		0x10
#define TARGET_NS_CGROUP	0x20
#define TARGET_NS_PID		0x40
#define TARGET_NS_ALL		0x7f

#define TARGET_ENV_INHERIT	0	/* ContainerEnvironment inherit */
#define TARGET_ENV_NONE		1

struct target {
	int is_container;		/* 0: the host, nothing to enter */
	char name[128];			/* for messages: "alice-workspace" */
	pid_t pid;			/* the container's init, host pid ns */
	unsigned long long starttime;	/* field 22 of /proc/PID/stat */
	unsigned int ns_mask;		/* TARGET_NS_*: requested; only those
					   that differ from ours are joined */
	int env_mode;			/* TARGET_ENV_* */
	char user[64];			/* ContainerUser; "" = login name */
	int root_ok;			/* ContainerUser was configured: the
					   user may be uid 0 inside.  Without
					   it a login never becomes root in a
					   container. */
	char workdir[256];		/* ContainerWorkdir; "" = home */
};

/*
 * target_proc_starttime - field 22 (starttime) of /proc/PID/stat.  The
 * comm field may hold spaces and parentheses: parse after the last ')'.
 * Pure over the text: target_parse_stat(); 0 or ERR_FORMAT (*starttime
 * unchanged then).  target_proc_starttime(): 0, ERR_NOTFOUND (no such
 * process), ERR_FORMAT or ERR_SYS (errno set).
 */
int target_parse_stat(const char *text, size_t len,
    unsigned long long *starttime);
int target_proc_starttime(pid_t pid, unsigned long long *starttime);

/*
 * target_enter - move the calling process (root, single-threaded, a fresh
 * fork of the monitor) into t.  For a host target it does nothing.  For a
 * container: PR_SET_DUMPABLE 0; open the namespace fds (pidfd where the
 * kernel has it, /proc/PID/ns/NS otherwise), /proc/PID/root and the cgroup
 * before joining anything; check the start time still matches (a recycled
 * PID is never entered); join in a safe order (user first when it differs,
 * then mnt uts ipc net cgroup pid); fchdir to the saved root + chroot(".");
 * join the target's cgroup; capability bounding set no wider than the
 * target's; then fork once so the pid namespace applies: the parent stays
 * behind as a relay that forwards signals to the child and exits with the
 * child's status (or dies of the same signal), and never returns; the child
 * returns 0 inside the container.  extra_fds (n of them) are kept open
 * across the fork; every other descriptor above 2 is closed first.
 * On failure returns ERR_NOTFOUND (target gone, PID reused), ERR_DENIED or
 * ERR_SYS with a message for the client in err (e.g. 'container
 * "alice-workspace" is not running'); the process has joined nothing
 * half-way it could not complete and must _exit.
 *
 * Details (target.c): only namespaces in ns_mask whose inode differs from
 * ours are joined; with a pidfd they are joined in one atomic setns(),
 * else one by one from the saved /proc/PID/ns fds.  The chroot is done
 * only when TARGET_NS_MNT is in ns_mask.  With TARGET_NS_CGROUP in
 * ns_mask the cgroup is joined, right before the namespaces (so with the
 * host's credentials and view), by writing "0" to the cgroup.procs
 * (opened with everything else) of each hierarchy the target lists in
 * /proc/PID/cgroup, found through our /proc/self/mountinfo; this is best
 * effort: a hierarchy that cannot be joined is logged at debug level and
 * skipped.  The bounding set drops
 * every capability not in the target's CapBnd (failure is an error).  The
 * child has PR_SET_PDEATHSIG SIGKILL (cleared by the kernel when it
 * changes uid) so that killing the relay during set-up ends it too; its
 * signal mask is the caller's again.  The relay closes the kept fds,
 * blocks every signal, forwards each one except SIGCHLD to the child with
 * kill(), and on the child's end _exits with its status or dies of its
 * signal.  Descriptors above 2 are closed even on failure (so is the
 * syslog socket: later log lines may go nowhere).  keep_fds holds at most
 * TARGET_MAX_KEEP descriptors.
 */
#define TARGET_MAX_KEEP		16
int target_enter(const struct target *t, const int *keep_fds, int nkeep,
    char *err, size_t errlen);

/*
 * target_enter_user - target_enter(t, keep_fds, nkeep), then the user
 * t->user (or login when that is empty) from the container's own files
 * into *u (target_lookup_user); uid 0 is refused unless t->root_ok.  0,
 * or an ERR_* code with a message for the client in err.  Used by every
 * worker that runs as the user inside a container (session/target_user.c).
 */
int target_enter_user(const struct target *t, const char *login,
    const int *keep_fds, int nkeep, struct user_info *u, char *err,
    size_t errlen);

/*
 * Users and groups from a container's own files, with our own parser
 * (never NSS).  The *_parse functions are pure over file text and have a
 * fuzz target; target_lookup_user() reads /etc/passwd and /etc/group of
 * the current root (after target_enter) safely: O_NOFOLLOW, regular files
 * only, size-capped, non-blocking.  ERR_NOTFOUND if there is no such user.
 */
int passwd_parse_user(const char *text, size_t len, const char *name,
    struct user_info *u);
int group_parse_member(const char *text, size_t len, const char *name,
    gid_t primary, gid_t *groups, int max, int *ngroups);
int target_lookup_user(const char *name, struct user_info *u);
/*
 * Details (passwd.c).  A line is used only if it is well formed: passwd
 * "name:pw:uid:gid:gecos:home:shell" (exactly 7 fields), group
 * "name:pw:gid:member,member..." (exactly 4), ids decimal 0..2^32-2, no
 * NUL byte; comments ('#'), blank lines and NIS lines ('+', '-') are
 * skipped, and so is every malformed line.  The first line of a name wins.
 *
 * passwd_parse_user(): 0 and *u filled with copies (free with
 * user_info_free; an empty shell becomes "/bin/sh"; groups[0] = gid,
 * ngroups 1), ERR_NOTFOUND or ERR_ALLOC; *u is zeroed on failure.
 * group_parse_member(): groups[0] = primary, then the gid of every group
 * listing name as a member, without duplicates, at most max (more are
 * dropped: still 0); *ngroups is the count.  ERR_RANGE if max < 1.
 * group_parse_gid(): the gid of the group called name; 0 or ERR_NOTFOUND
 * (*gid unchanged).
 *
 * target_lookup_user(), target_lookup_group(): read /etc/passwd and
 * /etc/group of the current root with open(O_NOFOLLOW|O_NONBLOCK) (via
 * openat2 with RESOLVE_NO_MAGICLINKS where the kernel has it), refuse
 * anything but a regular file of at most TARGET_DB_MAX bytes, read it
 * fully.  0; ERR_NOTFOUND (no such user/group, or no such file);
 * ERR_DENIED (a symlink, FIFO, device, socket, ...); ERR_LENGTH (too
 * big); ERR_ALLOC; ERR_SYS (errno set).  A missing /etc/group gives the
 * user only the primary group.  target_lookup_user fills *u as
 * passwd_parse_user does (zeroed on failure).
 */
#define TARGET_DB_MAX		(4 * 1024 * 1024)
/*
 * target_read_db - all of PATH of the current root, read as the lookups
 * above read /etc/passwd and /etc/group (no symlinks, regular files of at
 * most TARGET_DB_MAX bytes, non-blocking); NUL-terminated, caller frees.
 * 0 or their codes.
 */
int target_read_db(const char *path, char **out, size_t *len);
int group_parse_gid(const char *text, size_t len, const char *name,
    gid_t *gid);
int target_lookup_group(const char *name, gid_t *gid);

/*
 * The environment of the target's init process (/proc/PID/environ, read
 * on the host before entering) as a NULL-ended array of "NAME=value"
 * strings for ContainerEnvironment inherit.  Pure parser + reader.
 */
char **target_parse_environ(const char *text, size_t len);
char **target_read_environ(pid_t pid);
/*
 * Details (environ.c).  target_parse_environ(): entries are separated by
 * NUL bytes (the last one may lack its NUL); an entry without '=' or with
 * an empty name is skipped; at most TARGET_ENV_MAX entries are kept.  The
 * result is a malloc'd array of malloc'd strings, freed with
 * session_env_free(); an empty environment gives { NULL }; NULL only on
 * ENOMEM.  target_read_environ(): reads at most TARGET_DB_MAX bytes of
 * /proc/PID/environ (a longer one is cut at the last whole entry); NULL
 * with errno set on failure.
 *
 * target_env_merge(): a new array holding copies of the valid entries of
 * base (NULL = none; at most TARGET_ENV_MAX of them) with every valid
 * entry of top put on it: one with the name of an earlier entry replaces
 * it in place, others are appended.
 * Neither input is changed or taken.  NULL on ENOMEM.
 */
#define TARGET_ENV_MAX		4096
char **target_env_merge(char *const *base, char *const *top);

#endif
