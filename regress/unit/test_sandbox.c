/*
 * test_sandbox.c - the transport sandbox, entered in forked children: the
 * empty root, the privilege drop, rlimits, and the seccomp filter (allowed
 * calls work, open fails with EACCES, forbidden calls kill with SIGSYS).
 * Needs root (skipped otherwise).  Children report through their exit
 * status, never through stdio, which the filter may not allow.
 */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <poll.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "sandbox/sandbox.h"
#include "regress/unit/unittest.h"

struct sbx {
	char base[64];		/* mkdtemp directory */
	char dir[96];		/* base/empty: the chroot */
	uid_t uid;
	gid_t gid;
	int ready[2];		/* child -> parent: "entered" */
	int go[2];		/* parent -> child: "carry on" */
	int err[2];		/* the child's stderr */
};

static int
setup(struct sbx *s)
{
	struct passwd *pw;

	if (geteuid() != 0) {
		printf("# skip: sandbox tests need root\n");
		return 0;
	}
	pw = getpwnam("nobody");
	s->uid = pw != NULL ? pw->pw_uid : 65534;
	s->gid = pw != NULL ? pw->pw_gid : 65534;
	snprintf(s->base, sizeof(s->base), "/tmp/nsshd-sbx-XXXXXX");
	if (!CHECK(mkdtemp(s->base) != NULL))
		return 0;
	snprintf(s->dir, sizeof(s->dir), "%s/empty", s->base);
	return CHECK_EQ(sandbox_prepare_empty_dir(s->dir), 0);
}

static void
teardown(struct sbx *s)
{
	rmdir(s->dir);
	rmdir(s->base);
}

/* Run fn(s) in a child; its wait status. */
static int
in_child(int (*fn)(const struct sbx *), const struct sbx *s)
{
	pid_t pid;
	int st = -1;

	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0)
		_exit(fn(s));
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

static int
exited_ok(int st, const char *what)
{
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 1;
	printf("#   %s: status %#x (exit %d, signal %d)\n", what, st,
	    WIFEXITED(st) ? WEXITSTATUS(st) : -1,
	    WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	return 0;
}

static int
killed_by_sigsys(int st, const char *what)
{
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS)
		return 1;
	printf("#   %s: status %#x, not killed by SIGSYS\n", what, st);
	return 0;
}

/* ---- children: return 0 when every check inside passed ---- */

/* 1 if directory "/" holds nothing but . and .. */
static int
root_is_empty(void)
{
	DIR *d = opendir("/");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n == 0;
}

static int
child_chroot_drop(const struct sbx *s)
{
	uid_t r, e, sv;

	if (sandbox_chroot(s->dir) != 0)
		return 1;
	if (!root_is_empty())
		return 2;
	if (sandbox_privdrop_transport(s->uid, s->gid) != 0)
		return 3;
	if (getresuid(&r, &e, &sv) != 0 || r != s->uid || e != s->uid ||
	    sv != s->uid)
		return 4;
	if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0)
		return 5;
	if (getgroups(0, NULL) != 0)
		return 6;
	if (mkdir("/x", 0700) == 0 || errno != EACCES)
		return 7;
	return 0;
}

static int
child_rlimits(const struct sbx *s)
{
	struct rlimit nofile, rl;

	if (getrlimit(RLIMIT_NOFILE, &nofile) != 0 ||
	    sandbox_rlimits_transport() != 0)
		return 1;
	if (getrlimit(RLIMIT_NPROC, &rl) != 0 || rl.rlim_cur != 0 ||
	    rl.rlim_max != 0)
		return 2;
	if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_max != 0)
		return 3;
	if (getrlimit(RLIMIT_CORE, &rl) != 0 || rl.rlim_max != 0)
		return 4;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 ||
	    rl.rlim_cur != nofile.rlim_cur || rl.rlim_max != nofile.rlim_cur)
		return 5;
	return 0;
}

/* Inside the sandbox: what a relay does must work, probes fail. */
static int
child_enter(const struct sbx *s)
{
	int p[2];
	char c = 0, rnd[16];
	struct timespec ts;
	struct pollfd pf;
	char *m;

	if (pipe(p) != 0 || sandbox_transport_enter(s->uid, s->gid, s->dir))
		return 1;
	if (write(s->ready[1], "r", 1) != 1 || read(s->go[0], &c, 1) != 1)
		return 2;
	if (getuid() != s->uid || geteuid() != s->uid || getgid() != s->gid)
		return 3;
	if (opendir("/") != NULL || errno != EACCES)
		return 4;
	if (open("/etc/passwd", O_RDONLY) >= 0 || errno != EACCES)
		return 5;
	if (write(p[1], "x", 1) != 1 || read(p[0], &c, 1) != 1 || c != 'x')
		return 6;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0 ||
	    getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return 7;
	if ((m = malloc(4 << 20)) == NULL)	/* big: mmap */
		return 8;
	memset(m, 1, 4 << 20);
	free(m);
	if (fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK) != 0 ||
	    read(p[0], &c, 1) != -1 || errno != EAGAIN)
		return 9;
	pf.fd = p[0];
	pf.events = POLLIN;
	if (poll(&pf, 1, 1) != 0)
		return 10;
	return 0;
}

/* Enter, then make one forbidden call (which must not return). */
#define FORBIDDEN(name, call) \
static int \
name(const struct sbx *s) \
{ \
	if (sandbox_transport_enter(s->uid, s->gid, s->dir) != 0) \
		return 1; \
	if (call) \
		return 101; \
	return 100; \
}

FORBIDDEN(f_socket, socket(AF_INET, SOCK_STREAM, 0))
FORBIDDEN(f_setuid, setuid(0))
FORBIDDEN(f_dupfd, fcntl(0, F_DUPFD, 10))
FORBIDDEN(f_mmap_exec, mmap(NULL, 4096, PROT_READ | PROT_EXEC,
    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
FORBIDDEN(f_mprotect_exec, mprotect((void *)((unsigned long)&errno &
    ~4095UL), 4096, PROT_READ | PROT_WRITE | PROT_EXEC))
FORBIDDEN(f_kill, kill(getpid(), 0))
FORBIDDEN(f_setsockopt, setsockopt(0, SOL_SOCKET, SO_DEBUG, "", 0))
#ifndef NSSHD_SANITIZERS	/* widened for the sanitizer runtime */
FORBIDDEN(f_fork, fork())
FORBIDDEN(f_execve, execl("/bin/sh", "sh", "-c", "true", (char *)NULL))
FORBIDDEN(f_ioctl, ioctl(0, TCGETS, &(struct termios){ 0 }))
#endif

/* ---- cases ---- */

static void
t_prepare_dir(void)
{
	struct sbx s;
	struct stat st;
	char path[128];

	if (!setup(&s))
		return;
	CHECK(stat(s.dir, &st) == 0 && st.st_uid == 0 &&
	    (st.st_mode & 07777) == 0755);
	CHECK_EQ(sandbox_prepare_empty_dir(s.dir), 0);	/* again: fine */
	snprintf(path, sizeof(path), "%s/file", s.dir);
	CHECK(close(open(path, O_CREAT | O_WRONLY, 0600)) == 0);
	CHECK_EQ(sandbox_prepare_empty_dir(s.dir), ERR_DENIED);
	unlink(path);
	CHECK(chmod(s.dir, 0777) == 0);
	CHECK_EQ(sandbox_prepare_empty_dir(s.dir), ERR_DENIED);
	CHECK(chmod(s.dir, 0755) == 0 && chown(s.dir, 1, 0) == 0);
	CHECK_EQ(sandbox_prepare_empty_dir(s.dir), ERR_DENIED);
	CHECK(chown(s.dir, 0, 0) == 0);
	snprintf(path, sizeof(path), "%s/link", s.base);
	CHECK(symlink(s.dir, path) == 0);
	CHECK(sandbox_prepare_empty_dir(path) != 0);	/* symlink */
	unlink(path);
	snprintf(path, sizeof(path), "%s/a/b/c", s.base);
	CHECK_EQ(sandbox_prepare_empty_dir(path), 0);	/* with parents */
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a/b", s.base);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a", s.base);
	rmdir(path);
	teardown(&s);
}

static void
t_chroot_drop(void)
{
	struct sbx s;

	if (!setup(&s))
		return;
	CHECK(exited_ok(in_child(child_chroot_drop, &s), "chroot+drop"));
	teardown(&s);
}

static void
t_refuse_root(void)
{
	errno = 0;
	CHECK_EQ(sandbox_privdrop_transport(0, 65534), ERR_SYS);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sandbox_privdrop_transport(65534, 0), ERR_SYS);
	CHECK(getuid() == geteuid());	/* nothing changed */
}

static void
t_rlimits(void)
{
	struct sbx s;

	if (!setup(&s))
		return;
	CHECK(exited_ok(in_child(child_rlimits, &s), "rlimits"));
	teardown(&s);
}

/* A status line of /proc/PID/status, e.g. "Seccomp:", as "2". */
static int
proc_field(pid_t pid, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	FILE *f;
	size_t kl = strlen(key);
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, kl) != 0)
			continue;
		snprintf(val, len, "%s", line + kl + strspn(line + kl, "\t "));
		val[strcspn(val, "\n")] = '\0';
		found = 1;
	}
	fclose(f);
	return found;
}

/* From outside: the entered child's seccomp mode, ids and dumpability. */
static void
inspect(pid_t pid, const struct sbx *s)
{
	char v[128], want[128];
	struct stat st;

	CHECK(proc_field(pid, "Seccomp:", v, sizeof(v)) &&
	    strcmp(v, "2") == 0);
	CHECK(proc_field(pid, "NoNewPrivs:", v, sizeof(v)) &&
	    strcmp(v, "1") == 0);
	snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", (unsigned)s->uid,
	    (unsigned)s->uid, (unsigned)s->uid, (unsigned)s->uid);
	CHECK(proc_field(pid, "Uid:", v, sizeof(v)) && strcmp(v, want) == 0);
	CHECK(proc_field(pid, "Groups:", v, sizeof(v)) && v[0] == '\0');
	snprintf(v, sizeof(v), "/proc/%d/status", (int)pid);
	/* not dumpable: its /proc files belong to root, not to its euid */
	CHECK(stat(v, &st) == 0 && st.st_uid == 0);
}

static void
t_enter(void)
{
	struct sbx s;
	pid_t pid;
	char c;
	int st = -1;

	if (!setup(&s))
		return;
	if (!CHECK(pipe(s.ready) == 0 && pipe(s.go) == 0))
		return;
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(child_enter(&s));
	close(s.ready[1]);
	close(s.go[0]);
	if (CHECK(pid > 0 && read(s.ready[0], &c, 1) == 1))
		inspect(pid, &s);
	CHECK(write(s.go[1], "g", 1) == 1);
	close(s.ready[0]);
	close(s.go[1]);
	if (pid > 0)
		waitpid(pid, &st, 0);
	CHECK(exited_ok(st, "inside the sandbox"));
	teardown(&s);
}

static void
t_forbidden(void)
{
	static const struct {
		const char *name;
		int (*fn)(const struct sbx *);
	} calls[] = {
		{ "socket", f_socket }, { "setuid", f_setuid },
		{ "fcntl F_DUPFD", f_dupfd }, { "mmap PROT_EXEC", f_mmap_exec },
		{ "mprotect PROT_EXEC", f_mprotect_exec }, { "kill", f_kill },
		{ "setsockopt SO_DEBUG", f_setsockopt },
#ifndef NSSHD_SANITIZERS
		{ "fork", f_fork }, { "execve", f_execve },
		{ "ioctl TCGETS", f_ioctl },
#endif
	};
	struct sbx s;
	size_t i;

	if (!setup(&s))
		return;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		CHECK(killed_by_sigsys(in_child(calls[i].fn, &s),
		    calls[i].name));
	teardown(&s);
}

#ifdef NSSHD_SANITIZERS
/* A heap overflow inside the sandbox: ASan's report must get out. */
static int
child_overflow(const struct sbx *s)
{
	volatile char *volatile p;	/* or the compiler drops it all */
	volatile size_t i = 16;

	dup2(s->err[1], 2);
	if (sandbox_transport_enter(s->uid, s->gid, s->dir) != 0)
		return 1;
	p = malloc(16);
	p[i] = 1;
	free((void *)p);
	return 100;
}

static void
t_asan_report(void)
{
	struct sbx s;
	char buf[65536];
	size_t n = 0;
	ssize_t r;
	pid_t pid;
	int st = -1;

	if (!setup(&s) || !CHECK(pipe(s.err) == 0))
		return;
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(child_overflow(&s));
	close(s.err[1]);
	while (n < sizeof(buf) - 1 &&
	    (r = read(s.err[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(s.err[0]);
	waitpid(pid, &st, 0);
	if (!CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 0 &&
	    WEXITSTATUS(st) != 100) ||
	    !CHECK(strstr(buf, "heap-buffer-overflow") != NULL))
		printf("#   status %#x, stderr: %.300s\n", st, buf);
	teardown(&s);
}
#endif

const struct ut_case sandbox_cases[] = {
	{ "prepare_dir", t_prepare_dir },
	{ "chroot_drop", t_chroot_drop },
	{ "refuse_root", t_refuse_root },
	{ "rlimits", t_rlimits },
	{ "enter", t_enter },
	{ "forbidden", t_forbidden },
#ifdef NSSHD_SANITIZERS
	{ "asan_report", t_asan_report },
#endif
	{ NULL, NULL },
};
