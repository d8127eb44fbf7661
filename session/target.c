/*
 * target.c - entering a container: the one place where a worker leaves the
 * host (see target.h and "Entering a container" in shared/DESIGN.md).
 *
 * Everything the worker needs from the target is opened from the host
 * first, through one descriptor of /proc/PID (which stays bound to that
 * process: once it dies, lookups under it fail even if the PID is reused):
 * a pidfd, the namespace files, the root directory, the cgroup.procs
 * files and the bounding set.  The start time is checked before and after
 * that, so a recycled PID is never entered.  Only then are the namespaces
 * joined, the root changed and the cgroup joined; a last fork puts the
 * worker into the pid namespace and leaves the parent behind as a relay
 * that forwards signals and passes the child's exit status on.  No signal
 * handlers: the relay waits with sigwaitinfo().
 *
 * This file holds the steps in order and the namespaces and root; the
 * /proc/PID/stat parsing is in target_stat.c, descriptor closing and pidfds
 * in target_fds.c, cgroups in target_cgroup.c, the bounding set in
 * target_caps.c and the relay in target_relay.c (shared: target_int.h).
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "session/target.h"
#include "session/target_int.h"

/* In the order they are joined: user first, pid last. */
static const struct {
	unsigned int bit;
	const char *name;
	int flag;
} ns_kinds[NS_KINDS] = {
	{ TARGET_NS_USER, "user", CLONE_NEWUSER },
	{ TARGET_NS_MNT, "mnt", CLONE_NEWNS },
	{ TARGET_NS_UTS, "uts", CLONE_NEWUTS },
	{ TARGET_NS_IPC, "ipc", CLONE_NEWIPC },
	{ TARGET_NS_NET, "net", CLONE_NEWNET },
	{ TARGET_NS_CGROUP, "cgroup", CLONE_NEWCGROUP },
	{ TARGET_NS_PID, "pid", CLONE_NEWPID },
};

/* ---- messages ------------------------------------------------------- */

int
say(struct entry *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->err, e->errlen, fmt, ap);
	va_end(ap);
	return code;
}

int
not_running(struct entry *e)
{
	return say(e, ERR_NOTFOUND, "container \"%s\" is not running",
	    e->t->name);
}

/* A failed step, from errno: a vanished target reads "not running". */
int
step_failed(struct entry *e, const char *what)
{
	int code = errno == EPERM || errno == EACCES ? ERR_DENIED : ERR_SYS;

	if (gone(errno))
		return not_running(e);
	return say(e, code, "cannot enter container \"%s\": %s: %s",
	    e->t->name, what, strerror(errno));
}

/* ---- the entry ------------------------------------------------------ */

static void
entry_init(struct entry *e, const struct target *t, char *err, size_t len)
{
	int i;

	memset(e, 0, sizeof(*e));
	e->t = t;
	e->err = err;
	e->errlen = len;
	e->proc = e->pidfd = e->root = -1;
	for (i = 0; i < NS_KINDS; i++)
		e->ns[i] = -1;
}

static void
entry_close(struct entry *e)
{
	int i;

	if (e->proc >= 0)
		close(e->proc);
	if (e->pidfd >= 0)
		close(e->pidfd);
	if (e->root >= 0)
		close(e->root);
	for (i = 0; i < NS_KINDS; i++)
		if (e->ns[i] >= 0)
			close(e->ns[i]);
	for (i = 0; i < e->ncg; i++)
		close(e->cg[i]);
	e->proc = e->pidfd = e->root = -1;
	for (i = 0; i < NS_KINDS; i++)
		e->ns[i] = -1;
	e->ncg = 0;
}

/* ---- opening the target --------------------------------------------- */

/* Still the process the target named, and alive? */
static int
check_same(struct entry *e)
{
	unsigned long long st;
	char state = '?';
	int rc = stat_at(e->proc, &state, &st);

	if (rc == ERR_NOTFOUND || (rc == 0 && (state == 'Z' || state == 'X')))
		return not_running(e);
	if (rc != 0)
		return step_failed(e, "reading /proc/PID/stat");
	if (st != e->t->starttime)
		return say(e, ERR_NOTFOUND, "container \"%s\" changed "
		    "(PID reused)", e->t->name);
	return 0;
}

/* One namespace: keep its fd if it is requested and differs from ours. */
static int
open_ns(struct entry *e, int i)
{
	char path[64];
	struct stat theirs, ours;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_kinds[i].name);
	if (stat(path, &ours) != 0)
		return errno == ENOENT ? 0 : step_failed(e, path);
	snprintf(path, sizeof(path), "ns/%s", ns_kinds[i].name);
	if ((fd = openat(e->proc, path, O_RDONLY | O_CLOEXEC)) < 0)
		return step_failed(e, path);
	if (fstat(fd, &theirs) != 0) {
		close(fd);
		return step_failed(e, path);
	}
	if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino)
		close(fd);
	else
		e->ns[i] = fd;
	return 0;
}

static int
open_target(struct entry *e)
{
	char path[64];
	int i, rc;

	snprintf(path, sizeof(path), "/proc/%ld", (long)e->t->pid);
	if (e->t->pid <= 0 ||
	    (e->proc = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return e->t->pid <= 0 ? not_running(e) : step_failed(e, path);
	if ((rc = check_same(e)) != 0)
		return rc;
	if ((e->pidfd = sys_pidfd_open(e->t->pid)) < 0 && gone(errno))
		return not_running(e);
	for (i = 0; i < NS_KINDS; i++)
		if ((e->t->ns_mask & ns_kinds[i].bit) &&
		    (rc = open_ns(e, i)) != 0)
			return rc;
	e->root = openat(e->proc, "root", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (e->root < 0)
		return step_failed(e, "/proc/PID/root");
	if ((rc = read_capbnd(e)) != 0)
		return rc;
	if (e->t->ns_mask & TARGET_NS_CGROUP)
		open_cgroups(e);
	if ((rc = check_same(e)) != 0)
		return rc;
	return pidfd_ended(e->pidfd) ? not_running(e) : 0;
}

/* ---- joining -------------------------------------------------------- */

static int
join_namespaces(struct entry *e)
{
	int i, flags = 0;

	for (i = 0; i < NS_KINDS; i++)
		if (e->ns[i] >= 0)
			flags |= ns_kinds[i].flag;
	if (flags == 0)
		return 0;
	if (e->pidfd >= 0) {
		if (setns(e->pidfd, flags) == 0)
			return 0;
		if (errno != EINVAL)	/* EINVAL: no pidfd setns, or why */
			return step_failed(e, "setns");
	}
	for (i = 0; i < NS_KINDS; i++) {
		if (e->ns[i] >= 0 && setns(e->ns[i], ns_kinds[i].flag) != 0) {
			char what[32];

			snprintf(what, sizeof(what), "setns %s",
			    ns_kinds[i].name);
			return step_failed(e, what);
		}
	}
	return 0;
}

/* The target's root: for chroot-style containers not the mount ns's. */
static int
enter_root(struct entry *e)
{
	if (!(e->t->ns_mask & TARGET_NS_MNT))
		return 0;
	if (fchdir(e->root) != 0)
		return step_failed(e, "fchdir to its root");
	if (chroot(".") != 0)
		return step_failed(e, "chroot");
	return 0;
}

/* ---- the whole ------------------------------------------------------ */

int
target_enter(const struct target *t, const int *keep_fds, int nkeep,
    char *err, size_t errlen)
{
	struct entry e;
	int rc;

	if (t == NULL || !t->is_container)
		return 0;
	entry_init(&e, t, err, errlen);
	debug("entering container %s (pid %ld)", t->name, (long)t->pid);
	log_close();	/* never reconnect to a syslog inside the container */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return step_failed(&e, "prctl");
	if (close_others(keep_fds, nkeep) != 0)
		return say(&e, ERR_INTERNAL, "too many descriptors to keep");
	if ((rc = open_target(&e)) == 0) {
		join_cgroups(&e);	/* with the host's credentials */
		if ((rc = join_namespaces(&e)) == 0 &&
		    (rc = enter_root(&e)) == 0)
			rc = limit_caps(&e);
	}
	entry_close(&e);
	if (rc != 0)
		return rc;
	return fork_relay(&e);
}
