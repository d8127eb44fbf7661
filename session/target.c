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
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "session/target.h"

#define STAT_MAX	4096		/* /proc/PID/stat is far shorter */
#define PROCFILE_MAX	(1024 * 1024)	/* status, cgroup, mountinfo */
#define MAX_CGROUPS	16
#define NS_KINDS	7

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

/* What is opened on the host before anything is joined. */
struct entry {
	const struct target *t;
	char *err;
	size_t errlen;
	int proc;			/* /proc/PID */
	int pidfd;			/* -1: the kernel has none */
	int ns[NS_KINDS];		/* -1: not to be joined */
	int root;			/* /proc/PID/root */
	int cg[MAX_CGROUPS];		/* cgroup.procs per hierarchy */
	int ncg;
	uint64_t capbnd;
};

/* ---- /proc/PID/stat ------------------------------------------------- */

/* State (field 3) and starttime (field 22) of a stat line. */
static int
parse_stat_fields(const char *text, size_t len, char *state,
    unsigned long long *starttime)
{
	const char *p = memrchr(text, ')', len), *end = text + len;
	unsigned long long v = 0;
	int field;

	if (p == NULL)
		return ERR_FORMAT;
	for (p++, field = 3; field <= 22; field++) {
		if (p >= end || *p != ' ' || p + 1 >= end || p[1] == ' ')
			return ERR_FORMAT;
		p++;
		if (field == 3)
			*state = *p;
		if (field == 22)
			break;
		while (p < end && *p != ' ')
			p++;
	}
	if (p >= end || *p < '0' || *p > '9')
		return ERR_FORMAT;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (~0ULL - 9) / 10)
			return ERR_FORMAT;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (p < end && *p != ' ' && *p != '\n')
		return ERR_FORMAT;
	*starttime = v;
	return 0;
}

int
target_parse_stat(const char *text, size_t len,
    unsigned long long *starttime)
{
	unsigned long long v;
	char state;

	if (parse_stat_fields(text, len, &state, &v) != 0)
		return ERR_FORMAT;
	*starttime = v;
	return 0;
}

/* Read all of fd (at most max bytes, NUL-ended) into a malloc'd *out. */
static int
read_all(int fd, size_t max, char **out, size_t *outlen)
{
	size_t cap = max < 4096 ? max + 1 : 4096, n = 0;
	char *buf = NULL, *nb;
	ssize_t r;

	for (;;) {
		if (n + 1 >= cap && cap < max + 1)
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
		if ((nb = realloc(buf, cap)) == NULL) {
			free(buf);
			return ERR_ALLOC;
		}
		buf = nb;
		if (n + 1 >= cap)
			break;		/* max reached: cut */
		r = read(fd, buf + n, cap - 1 - n);
		if (r == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return ERR_SYS;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return 0;
}

/* Read NAME under the directory dirfd (max bytes). */
static int
read_at(int dirfd, const char *name, size_t max, char **out, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc, e;

	if (fd < 0)
		return ERR_SYS;
	rc = read_all(fd, max, out, len);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* ENOENT and ESRCH mean the process is gone. */
static int
gone(int e)
{
	return e == ENOENT || e == ESRCH;
}

static int
stat_at(int dirfd, char *state, unsigned long long *starttime)
{
	size_t len;
	char *text;
	int rc;

	if ((rc = read_at(dirfd, "stat", STAT_MAX, &text, &len)) != 0)
		return rc == ERR_SYS && gone(errno) ? ERR_NOTFOUND : rc;
	rc = parse_stat_fields(text, len, state, starttime);
	free(text);
	return rc;
}

int
target_proc_starttime(pid_t pid, unsigned long long *starttime)
{
	char path[64], state;
	int dirfd, rc;

	snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
	if (pid <= 0 ||
	    (dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return pid <= 0 || gone(errno) ? ERR_NOTFOUND : ERR_SYS;
	rc = stat_at(dirfd, &state, starttime);
	close(dirfd);
	return rc;
}

/* ---- messages ------------------------------------------------------- */

static int
say(struct entry *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
say(struct entry *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->err, e->errlen, fmt, ap);
	va_end(ap);
	return code;
}

static int
not_running(struct entry *e)
{
	return say(e, ERR_NOTFOUND, "container \"%s\" is not running",
	    e->t->name);
}

/* A failed step, from errno: a vanished target reads "not running". */
static int
step_failed(struct entry *e, const char *what)
{
	int code = errno == EPERM || errno == EACCES ? ERR_DENIED : ERR_SYS;

	if (gone(errno))
		return not_running(e);
	return say(e, code, "cannot enter container \"%s\": %s: %s",
	    e->t->name, what, strerror(errno));
}

/* ---- descriptors ---------------------------------------------------- */

static void
close_range_compat(unsigned int lo, unsigned int hi)
{
	long i, max = sysconf(_SC_OPEN_MAX);

	if (close_range(lo, hi, 0) == 0)
		return;
	if (max < 0 || max > 65536)
		max = 65536;
	for (i = lo; i <= (long)hi && i < max; i++)
		(void)close((int)i);
}

/* Close every descriptor above 2 except the nkeep in keep. */
static int
close_others(const int *keep, int nkeep)
{
	int k[TARGET_MAX_KEEP], i, j, v;
	unsigned int lo = 3;

	if (nkeep < 0 || nkeep > TARGET_MAX_KEEP)
		return ERR_RANGE;
	for (i = 0; i < nkeep; i++) {		/* insertion sort */
		for (v = keep[i], j = i; j > 0 && k[j - 1] > v; j--)
			k[j] = k[j - 1];
		k[j] = v;
	}
	for (i = 0; i < nkeep; i++) {
		if (k[i] < (int)lo)
			continue;
		if ((unsigned int)k[i] > lo)
			close_range_compat(lo, (unsigned int)k[i] - 1);
		lo = (unsigned int)k[i] + 1;
	}
	close_range_compat(lo, ~0U);
	return 0;
}

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

static int
sys_pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* 1 if the process behind pidfd has ended (0 without pidfds). */
static int
pidfd_ended(int pidfd)
{
#ifdef SYS_pidfd_send_signal
	if (pidfd >= 0 &&
	    syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) != 0)
		return errno == ESRCH;
#endif
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

/* The "CapBnd:" line of /proc/PID/status. */
static int
read_capbnd(struct entry *e)
{
	char *text, *p, *end;
	size_t len;
	int rc;

	if (read_at(e->proc, "status", PROCFILE_MAX, &text, &len) != 0)
		return step_failed(e, "reading /proc/PID/status");
	rc = ERR_FORMAT;
	if ((p = strstr(text, "\nCapBnd:\t")) != NULL) {
		errno = 0;
		e->capbnd = strtoull(p + 9, &end, 16);
		if (errno == 0 && end != p + 9 && *end == '\n')
			rc = 0;
	}
	free(text);
	if (rc != 0)
		return say(e, ERR_SYS, "cannot enter container \"%s\": no "
		    "bounding set in /proc/PID/status", e->t->name);
	return 0;
}

static void open_cgroups(struct entry *e);	/* below */

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

/* ---- cgroups (hybrid v1 and v2) ------------------------------------- */

/* Next line of [*p, end) as a NUL-ended string (the text is changed). */
static char *
next_line(char **p, char *end)
{
	char *s = *p, *nl;

	if (s >= end)
		return NULL;
	nl = memchr(s, '\n', (size_t)(end - s));
	if (nl == NULL)
		nl = end;
	*nl = '\0';
	*p = nl + 1;
	return s;
}

/* Undo mountinfo's octal escapes (\040 ...) in place. */
static void
unescape(char *s)
{
	char *d = s;

	for (; *s != '\0'; s++, d++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 3;
		} else
			*d = *s;
	}
	*d = '\0';
}

/* Is every comma-separated item of want in the list have? */
static int
all_in(const char *want, const char *have)
{
	size_t wl, hl;
	const char *h;

	for (; *want != '\0'; want += wl + (want[wl] == ',')) {
		wl = strcspn(want, ",");
		for (h = have; *h != '\0'; h += hl + (h[hl] == ',')) {
			hl = strcspn(h, ",");
			if (hl == wl && strncmp(h, want, wl) == 0)
				break;
		}
		if (*h == '\0')
			return 0;
	}
	return 1;
}

/*
 * The mount of the hierarchy with controllers ctl ("" = cgroup2) in a
 * mountinfo line: its mount point and root.  1 if it is one.
 */
static int
cgroup_mount(char *line, const char *ctl, char **mnt, char **root)
{
	char *f[6], *sep, *fstype, *opts, *save = NULL;
	int i;

	if ((sep = strstr(line, " - ")) == NULL)
		return 0;
	*sep = '\0';
	for (i = 0; i < 6; i++)
		if ((f[i] = strtok_r(i == 0 ? line : NULL, " ", &save)) == NULL)
			return 0;
	save = NULL;
	fstype = strtok_r(sep + 3, " ", &save);
	(void)strtok_r(NULL, " ", &save);		/* source */
	opts = strtok_r(NULL, " ", &save);
	if (fstype == NULL || opts == NULL)
		return 0;
	if (*ctl == '\0' ? strcmp(fstype, "cgroup2") != 0 :
	    strcmp(fstype, "cgroup") != 0 || !all_in(ctl, opts))
		return 0;
	unescape(f[3]);
	unescape(f[4]);
	*root = f[3];
	*mnt = f[4];
	return 1;
}

/* Open MNT/(path below root)/cgroup.procs for writing; -1 if not there. */
static int
open_procs(const char *mnt, const char *root, const char *path)
{
	size_t rl = strlen(root);
	char file[4096];
	int n;

	if (strcmp(root, "/") == 0)
		rl = 0;
	if (strncmp(path, root, rl) != 0 || (path[rl] != '/' &&
	    path[rl] != '\0') || strstr(path, "/..") != NULL)
		return -1;
	n = snprintf(file, sizeof(file), "%s%s/cgroup.procs", mnt, path + rl);
	if (n < 0 || (size_t)n >= sizeof(file))
		return -1;
	return open(file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
}

/* The cgroup.procs for one "ID:controllers:path" line of the target. */
static void
open_one_cgroup(struct entry *e, const char *ctl, const char *path,
    const char *mountinfo, size_t milen)
{
	char *copy = malloc(milen + 1), *p, *end, *line, *mnt, *root;
	int fd = -1;

	if (copy == NULL)
		return;
	memcpy(copy, mountinfo, milen + 1);
	p = copy;
	end = copy + milen;
	while (fd < 0 && (line = next_line(&p, end)) != NULL)
		if (cgroup_mount(line, ctl, &mnt, &root))
			fd = open_procs(mnt, root, path);
	free(copy);
	if (fd < 0) {
		debug("container %s: cgroup %s:%s not joined", e->t->name,
		    *ctl ? ctl : "(v2)", path);
		return;
	}
	e->cg[e->ncg++] = fd;
}

/* Best effort: a cgroup.procs for each hierarchy of the target. */
static void
open_cgroups(struct entry *e)
{
	char *cg = NULL, *mi = NULL, *p, *end, *line, *ctl, *path;
	size_t cglen, milen;
	int self;

	if ((self = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	if (read_at(e->proc, "cgroup", PROCFILE_MAX, &cg, &cglen) == 0 &&
	    read_at(self, "mountinfo", PROCFILE_MAX, &mi, &milen) == 0) {
		p = cg;
		end = cg + cglen;
		while (e->ncg < MAX_CGROUPS &&
		    (line = next_line(&p, end)) != NULL) {
			if ((ctl = strchr(line, ':')) == NULL ||
			    (path = strchr(ctl + 1, ':')) == NULL)
				continue;
			*path++ = '\0';
			open_one_cgroup(e, ctl + 1, path, mi, milen);
		}
	}
	free(cg);
	free(mi);
	close(self);
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

static void
join_cgroups(struct entry *e)
{
	int i;

	for (i = 0; i < e->ncg; i++)
		if (write(e->cg[i], "0", 1) != 1)
			debug("container %s: joining a cgroup: %s", e->t->name,
			    strerror(errno));
}

/* Drop from the bounding set every capability the target lacks. */
static int
limit_caps(struct entry *e)
{
	int cap, r;

	for (cap = 0; cap < 64; cap++) {
		if ((r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) < 0)
			break;		/* EINVAL: past the last one */
		if (r == 1 && !((e->capbnd >> cap) & 1) &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
			return step_failed(e, "dropping capabilities");
	}
	return 0;
}

/* ---- the relay ------------------------------------------------------ */

/* Die the way the child did. */
static void __attribute__((noreturn))
relay_exit(int status)
{
	struct sigaction sa;
	sigset_t one;
	int sig;

	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	sig = WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(sig, &sa, NULL);
	(void)kill(getpid(), sig);
	sigemptyset(&one);
	sigaddset(&one, sig);
	(void)sigprocmask(SIG_UNBLOCK, &one, NULL);
	_exit(128 + sig);	/* the signal does not kill by default */
}

/* Forward every signal to child; when it ends, end the same way. */
static void __attribute__((noreturn))
relay(pid_t child)
{
	sigset_t all;
	siginfo_t si;
	int status;
	pid_t r;

	sigfillset(&all);
	(void)sigprocmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		if (sigwaitinfo(&all, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD) {
			(void)kill(child, si.si_signo);
			continue;
		}
		while ((r = waitpid(child, &status, WNOHANG)) < 0 &&
		    errno == EINTR)
			;
		if (r == child && (WIFEXITED(status) || WIFSIGNALED(status)))
			relay_exit(status);
		if (r < 0)
			_exit(1);	/* ECHILD: cannot happen */
	}
}

/* In the child: die with the relay; stop at once if it is gone already. */
static void
child_tie(int relay_pidfd)
{
	struct pollfd pfd;

	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (relay_pidfd < 0)
		return;
	pfd.fd = relay_pidfd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) > 0)
		_exit(1);
	close(relay_pidfd);
}

static int
fork_relay(struct entry *e)
{
	struct sigaction sa;
	sigset_t all, old;
	int self, saved;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;	/* SIG_IGN would reap it for us */
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGCHLD, &sa, NULL);
	sigfillset(&all);
	(void)sigprocmask(SIG_BLOCK, &all, &old);
	self = sys_pidfd_open(getpid());
	if ((pid = fork()) < 0) {
		saved = errno;
		if (self >= 0)
			close(self);
		(void)sigprocmask(SIG_SETMASK, &old, NULL);
		errno = saved;
		return step_failed(e, "fork");
	}
	if (pid == 0) {
		child_tie(self);
		(void)sigprocmask(SIG_SETMASK, &old, NULL);
		return 0;
	}
	close_range_compat(3, ~0U);
	relay(pid);
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
