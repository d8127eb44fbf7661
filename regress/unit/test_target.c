/*
 * test_target.c - containers: the parsers of /proc/PID/stat, passwd,
 * group and environ files (pure), the safe reading of a container's user
 * database, target_enter() and whole sessions inside containers.
 *
 * The last ones need root: they build a small busybox rootfs under /tmp
 * (removed at exit) and start containers themselves with unshare(2) — a
 * pivot_root one, a chroot-style one, one with a user namespace — whose
 * init sits in pause() until it is killed.  Skipped without root or
 * without /bin/busybox (Debian's busybox-static).
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

#include "common/err.h"
#include "session/session.h"
#include "session/target.h"
#include "regress/unit/unittest.h"

#define WAIT_MS		10000
#define CTR_HOST	"ut-ctr"
#define MARKER		"nsshd-ut-marker"

/* ---- pure parsers --------------------------------------------------- */

static void
t_stat(void)
{
	static const char ok_line[] = "4242 (a) (b c) ) S 1 4242 4242 0 -1 "
	    "4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1234 56 18446744073\n";
	static const char *const bad[] = {
		"4242 (a) S 1 2 3",				/* short */
		"4242 a S 1 4242 4242 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 9 1",
		"1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 x9 1",
		"1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0  9 1",
		"1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 "
		    "99999999999999999999999 1",
		"1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12a 1",
		"1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 ",
		"",
	};
	unsigned long long st = 5, mine;
	size_t i;

	CHECK_EQ(target_parse_stat(ok_line, sizeof(ok_line) - 1, &st), 0);
	CHECK_EQ(st, 987654ULL);
	/* the same line cut right after field 22 */
	CHECK_EQ(target_parse_stat(ok_line, (size_t)(strstr(ok_line,
	    "987654") + 6 - ok_line), &st), 0);
	CHECK_EQ(st, 987654ULL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		st = 5;
		if (!CHECK_EQ(target_parse_stat(bad[i], strlen(bad[i]), &st),
		    ERR_FORMAT))
			printf("#   accepted [%s]\n", bad[i]);
		CHECK_EQ(st, 5ULL);
	}
	/* a ')' past len is not seen */
	CHECK_EQ(target_parse_stat(ok_line, 9, &st), ERR_FORMAT);
	CHECK_EQ(target_proc_starttime(getpid(), &mine), 0);
	CHECK(mine > 0);
	CHECK_EQ(target_proc_starttime(0, &mine), ERR_NOTFOUND);
	CHECK_EQ(target_proc_starttime(0x3ffffff0, &mine), ERR_NOTFOUND);
}

static const char passwd_text[] =
    "# a comment: cuser:x:1:1::/c:/bin/sh\n"
    "+cuser::::::\n"
    "-cuser\n"
    "\n"
    "root:x:0:0:root:/root:/bin/bash\n"
    "short:x:1:1:/home/short:/bin/sh\n"
    "long:x:2:2:g:/h:/bin/sh:extra\n"
    "neg:x:-1:2:g:/h:/bin/sh\n"
    "minus1:x:4294967295:2:g:/h:/bin/sh\n"
    "huge:x:99999999999:2:g:/h:/bin/sh\n"
    "nogid:x:3::g:/h:/bin/sh\n"
    "space:x: 4:4:g:/h:/bin/sh\n"
    ":x:5:5:g:/h:/bin/sh\n"
    "nul:x:8:8::/n\0:/bin/sh\n"
    "cus:x:9:9::/x:/bin/sh\n"
    "cuser:x:2345:2345:C User,,,:/home/cuser:\n"
    "cuser:x:1:1:dup:/dup:/bin/false\n"
    "max:x:4294967294:0::/:/bin/sh\n"
    "last:x:7:7::/l:/bin/ash";

/* Look name up in passwd_text: the rc, *u filled. */
static int
pw(const char *name, struct user_info *u)
{
	return passwd_parse_user(passwd_text, sizeof(passwd_text) - 1, name, u);
}

static void
t_passwd(void)
{
	static const char *const missing[] = { "short", "long", "neg",
	    "minus1", "huge", "nogid", "space", "", "nul", "cuse", "cuserx",
	    "+cuser", "-cuser", "# a comment", "x", NULL };
	struct user_info u;
	size_t i;

	if (CHECK_EQ(pw("cuser", &u), 0)) {
		CHECK(u.uid == 2345 && u.gid == 2345);
		CHECK(strcmp(u.name, "cuser") == 0);
		CHECK(strcmp(u.home, "/home/cuser") == 0);
		CHECK(strcmp(u.shell, "/bin/sh") == 0);	/* empty: /bin/sh */
		CHECK(u.ngroups == 1 && u.groups[0] == 2345);
		user_info_free(&u);
	}
	if (CHECK_EQ(pw("root", &u), 0)) {
		CHECK(u.uid == 0 && strcmp(u.shell, "/bin/bash") == 0);
		user_info_free(&u);
	}
	if (CHECK_EQ(pw("last", &u), 0)) {	/* no newline at the end */
		CHECK(u.uid == 7 && strcmp(u.shell, "/bin/ash") == 0);
		user_info_free(&u);
	}
	if (CHECK_EQ(pw("max", &u), 0)) {
		CHECK(u.uid == (uid_t)4294967294U);
		user_info_free(&u);
	}
	for (i = 0; missing[i] != NULL; i++) {
		if (!CHECK_EQ(pw(missing[i], &u), ERR_NOTFOUND))
			printf("#   found [%s]\n", missing[i]);
		CHECK(u.name == NULL && u.ngroups == 0);
	}
	CHECK_EQ(passwd_parse_user("", 0, "cuser", &u), ERR_NOTFOUND);
	/* the name is compared in full, within len */
	CHECK_EQ(passwd_parse_user(passwd_text, 40, "cuser", &u),
	    ERR_NOTFOUND);
}

static void
t_passwd_long(void)
{
	size_t glen = 200000, n;
	char *text = malloc(glen + 6000);
	struct user_info u;

	if (!CHECK(text != NULL))
		return;
	n = (size_t)sprintf(text, "a:x:1:1:");
	memset(text + n, 'g', glen);
	n += glen;
	n += (size_t)sprintf(text + n, ":/home/a:/bin/sh\nb:x:2:2::");
	memset(text + n, 'h', 5000);	/* a long home, no newline */
	n += 5000;
	n += (size_t)sprintf(text + n, ":/bin/sh");
	if (CHECK_EQ(passwd_parse_user(text, n, "a", &u), 0)) {
		CHECK(strcmp(u.home, "/home/a") == 0);
		user_info_free(&u);
	}
	if (CHECK_EQ(passwd_parse_user(text, n, "b", &u), 0)) {
		CHECK_EQ(strlen(u.home), 5000);
		user_info_free(&u);
	}
	free(text);
}

static const char group_text[] =
    "root:x:0:\n"
    "tty:x:5:\n"
    "wheel:x:10:cuser,bob\n"
    "# comment:x:14:cuser\n"
    "wheel2:x:11:bob,cuser\n"
    "cgrp:x:2345:cuser\n"
    "bad:x:12:cuser:extra\n"
    "bad2:x:12\n"
    "cus:x:13:cus,cuserx, cuser\n"
    "neg:x:-5:cuser\n"
    "again:x:10:cuser\n"
    "last:x:15:cuser";

static void
t_group(void)
{
	gid_t g[8], want[] = { 2345, 10, 11, 15 }, gid = 99;
	int n = -1, i;

	CHECK_EQ(group_parse_member(group_text, sizeof(group_text) - 1,
	    "cuser", 2345, g, 8, &n), 0);
	if (CHECK_EQ(n, 4))
		for (i = 0; i < 4; i++)
			CHECK_EQ(g[i], want[i]);
	CHECK_EQ(group_parse_member(group_text, sizeof(group_text) - 1,
	    "cuser", 2345, g, 2, &n), 0);
	CHECK(n == 2 && g[0] == 2345 && g[1] == 10);
	CHECK_EQ(group_parse_member(group_text, sizeof(group_text) - 1,
	    "cuser", 2345, g, 0, &n), ERR_RANGE);
	CHECK_EQ(group_parse_member(group_text, sizeof(group_text) - 1,
	    "nobody", 65534, g, 8, &n), 0);
	CHECK(n == 1 && g[0] == 65534);
	CHECK_EQ(group_parse_member("", 0, "cuser", 7, g, 8, &n), 0);
	CHECK(n == 1 && g[0] == 7);
	CHECK_EQ(group_parse_gid(group_text, sizeof(group_text) - 1, "tty",
	    &gid), 0);
	CHECK_EQ(gid, 5);
	gid = 99;
	CHECK_EQ(group_parse_gid(group_text, sizeof(group_text) - 1, "bad2",
	    &gid), ERR_NOTFOUND);
	CHECK_EQ(group_parse_gid(group_text, sizeof(group_text) - 1, "neg",
	    &gid), ERR_NOTFOUND);
	CHECK_EQ(group_parse_gid(group_text, sizeof(group_text) - 1, "ty",
	    &gid), ERR_NOTFOUND);
	CHECK_EQ(gid, 99);
}

/* Does env equal want (both NULL-ended)? */
static int
env_is(char **env, const char *const *want)
{
	size_t i;

	if (env == NULL)
		return 0;
	for (i = 0; want[i] != NULL; i++)
		if (env[i] == NULL || strcmp(env[i], want[i]) != 0) {
			printf("#   entry %zu: [%s], want [%s]\n", i,
			    env[i] ? env[i] : "(end)", want[i]);
			return 0;
		}
	return env[i] == NULL;
}

static void
t_environ(void)
{
	static const char text[] = "A=1\0B=x=y\0noeq\0=bad\0\0C=\0A=2\0D=4";
	static const char *const want[] = { "A=2", "B=x=y", "C=", "D=4",
	    NULL };
	static const char *const none[] = { NULL };
	static const char *const merged[] = { "PATH=/c", "FOO=bar",
	    "USER=cuser", "HOME=/h", NULL };
	char *const base[] = { "PATH=/c", "FOO=bar", "USER=x", "junk", NULL };
	char *const top[] = { "USER=cuser", "HOME=/h", "=no", NULL };
	char **env;
	size_t i;

	env = target_parse_environ(text, sizeof(text) - 1);
	CHECK(env_is(env, want));
	session_env_free(env);
	env = target_parse_environ(text, 4);	/* "A=1\0" */
	CHECK(env != NULL && env[0] && strcmp(env[0], "A=1") == 0 && !env[1]);
	session_env_free(env);
	env = target_parse_environ("", 0);
	CHECK(env_is(env, none));
	session_env_free(env);
	env = target_env_merge(base, top);
	CHECK(env_is(env, merged));
	session_env_free(env);
	env = target_env_merge(NULL, top);
	CHECK(env != NULL && env[0] && strcmp(env[0], "USER=cuser") == 0);
	session_env_free(env);
	env = target_read_environ(getpid());
	if (CHECK(env != NULL))
		for (i = 0; env[i] != NULL; i++)
			CHECK(strchr(env[i], '=') > env[i]);
	session_env_free(env);
	errno = 0;
	CHECK(target_read_environ(0x3ffffff0) == NULL && errno == ENOENT);
}

/* ---- helpers for the root-only tests -------------------------------- */

static int
is_root(void)
{
	if (geteuid() == 0)
		return 1;
	printf("# skip: container tests need root\n");
	return 0;
}

static long long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait status of pid within ms (-1 and killed after that). */
static int
wait_ms(pid_t pid, int ms)
{
	long long end = ms_now() + ms;
	int st = 0;
	pid_t r;

	while ((r = waitpid(pid, &st, WNOHANG)) == 0 && ms_now() < end)
		usleep(5000);
	if (r == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return -1;
	}
	return r < 0 ? -1 : st;
}

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t n = strlen(text);
	int ok;

	if (fd < 0)
		return 0;
	ok = write(fd, text, n) == (ssize_t)n;
	return close(fd) == 0 && ok;
}

static int
copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, ok = 1;
	ssize_t r;

	if (in < 0)
		return 0;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return 0;
	}
	while (ok && (r = read(in, buf, sizeof(buf))) > 0)
		ok = write(out, buf, (size_t)r) == r;
	close(in);
	return close(out) == 0 && ok;
}

static char rootfs_dir[64];

static void
rootfs_remove(void)
{
	char cmd[128];

	if (rootfs_dir[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", rootfs_dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", rootfs_dir);
	rootfs_dir[0] = '\0';
}

/* Make the busybox rootfs once; NULL (and a skip note) if impossible. */
static const char *
rootfs(void)
{
	static const char *const dirs[] = { "bin", "etc", "home",
	    "home/cuser", "tmp", "dev", "dev/pts", "proc", NULL };
	static const char *const applets[] = { "sh", "id", "hostname", "tty",
	    "cat", "ls", "pwd", "readlink", "sleep", "stty", "env", NULL };
	static int tried;
	char p[256];
	size_t i;
	int ok = 1;

	if (tried)
		return rootfs_dir[0] ? rootfs_dir : NULL;
	tried = 1;
	if (access("/bin/busybox", X_OK) != 0) {
		printf("# skip: no /bin/busybox (apt-get install "
		    "busybox-static)\n");
		return NULL;
	}
	strcpy(rootfs_dir, "/tmp/nsshd-ut-root.XXXXXX");
	if (mkdtemp(rootfs_dir) == NULL) {
		rootfs_dir[0] = '\0';
		return NULL;
	}
	atexit(rootfs_remove);
	chmod(rootfs_dir, 0755);
	for (i = 0; dirs[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s/%s", rootfs_dir, dirs[i]);
		ok &= mkdir(p, 0755) == 0;
	}
	snprintf(p, sizeof(p), "%s/bin/busybox", rootfs_dir);
	ok &= copy_file("/bin/busybox", p, 0755);
	for (i = 0; applets[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s/bin/%s", rootfs_dir, applets[i]);
		ok &= symlink("busybox", p) == 0;
	}
	snprintf(p, sizeof(p), "%s/etc/passwd", rootfs_dir);
	ok &= write_file(p, "root:x:0:0:root:/root:/bin/sh\n"
	    "cuser:x:2345:2345:C User:/home/cuser:/bin/sh\n");
	snprintf(p, sizeof(p), "%s/etc/group", rootfs_dir);
	ok &= write_file(p, "root:x:0:\ntty:x:5:\ncgrp:x:2345:\n"
	    "extra:x:3000:bob,cuser\n");
	snprintf(p, sizeof(p), "%s/" MARKER, rootfs_dir);
	ok &= write_file(p, "");
	snprintf(p, sizeof(p), "%s/home/cuser", rootfs_dir);
	ok &= chown(p, 2345, 2345) == 0;
	snprintf(p, sizeof(p), "%s/tmp", rootfs_dir);
	ok &= chmod(p, 01777) == 0;
	snprintf(p, sizeof(p), "%s/dev/ptmx", rootfs_dir);
	ok &= symlink("pts/ptmx", p) == 0;
	if (!CHECK(ok)) {
		rootfs_remove();
		return NULL;
	}
	return rootfs_dir;
}

/* ---- test containers ------------------------------------------------ */

#define CTR_PIVOT	0x01	/* pivot_root into the rootfs */
#define CTR_CHROOT	0x02	/* chroot-style: the mount ns root stays */
#define CTR_USERNS	0x04	/* a user namespace (identity map 0..65535) */
#define CTR_DROPCAP	0x08	/* init drops CAP_SYS_MODULE from its bset */
#define CTR_CGROUP	0x10	/* in a pids cgroup of its own */

struct ctr {
	pid_t outer;		/* our child; it reaps the init */
	pid_t init;		/* the container's init (host pid) */
	char cgroup[128];	/* "" or the pids cgroup made for it */
	struct target t;
};

/* The init: set up the container's filesystem and wait to be killed. */
static void __attribute__((noreturn))
ctr_init(int flags, const char *root, int up)
{
	char p[256];

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    sethostname(CTR_HOST, strlen(CTR_HOST)) != 0)
		_exit(1);
	if ((flags & CTR_DROPCAP) &&
	    prctl(PR_CAPBSET_DROP, CAP_SYS_MODULE, 0, 0, 0) != 0)
		_exit(1);
	if (flags & CTR_PIVOT && mount(root, root, NULL, MS_BIND | MS_REC,
	    NULL) != 0)
		_exit(2);
	snprintf(p, sizeof(p), "%s/proc", root);
	if (mount("proc", p, "proc", 0, NULL) != 0 && !(flags & CTR_USERNS))
		_exit(3);
	snprintf(p, sizeof(p), "%s/dev/pts", root);
	if (mount("devpts", p, "devpts", 0,
	    "newinstance,ptmxmode=0666,mode=0620,gid=5") != 0)
		_exit(4);
	if (chdir(root) != 0)
		_exit(5);
	if (flags & CTR_PIVOT) {
		if (syscall(SYS_pivot_root, ".", ".") != 0 ||
		    umount2(".", MNT_DETACH) != 0 || chdir("/") != 0)
			_exit(6);
	} else if (chroot(".") != 0)
		_exit(7);
	if (write(up, "R", 1) != 1)
		_exit(8);
	close(up);
	for (;;)
		pause();
}

/*
 * Our child: new namespaces, then the init; reports the init's pid and
 * then 'R' when it is ready (the init tells it on a pipe of their own).
 */
static void __attribute__((noreturn))
ctr_outer(int flags, const char *root, const char *cgroup, int up,
    int down)
{
	char c = 'F', p[192];
	int ready[2];
	pid_t init;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 ||
	    pipe2(ready, O_CLOEXEC) != 0)
		_exit(1);
	if (cgroup[0] != '\0') {
		snprintf(p, sizeof(p), "%s/cgroup.procs", cgroup);
		if (!write_file(p, "0"))
			_exit(1);
	}
	if (flags & CTR_USERNS) {
		if (unshare(CLONE_NEWUSER) != 0 || write(up, "u", 1) != 1 ||
		    read(down, &c, 1) != 1)
			_exit(1);
	}
	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
	    CLONE_NEWPID | CLONE_NEWCGROUP) != 0)
		_exit(1);
	if ((init = fork()) < 0)
		_exit(1);
	if (init == 0) {
		close(up);
		close(ready[0]);
		ctr_init(flags, root, ready[1]);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		c = 'F';		/* the init died */
	if (write(up, &init, sizeof(init)) != sizeof(init) ||
	    write(up, &c, 1) != 1)
		_exit(1);
	close(up);
	while (waitpid(init, NULL, 0) < 0 && errno == EINTR)
		;
	_exit(0);
}

/* Identity-map ids 0..65535 of the outer child's new user namespace. */
static int
map_ids(pid_t pid)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/%ld/uid_map", (long)pid);
	if (!write_file(p, "0 0 65536\n"))
		return 0;
	snprintf(p, sizeof(p), "/proc/%ld/gid_map", (long)pid);
	return write_file(p, "0 0 65536\n");
}

static int
read_full(int fd, void *buf, size_t n)
{
	struct pollfd pfd = { fd, POLLIN, 0 };

	if (poll(&pfd, 1, WAIT_MS) != 1)
		return 0;
	return read(fd, buf, n) == (ssize_t)n;
}

static void ctr_stop(struct ctr *c);

/* Start a container; 0 (and a note) if that cannot be done. */
static int
ctr_start(struct ctr *c, int flags)
{
	const char *root = rootfs();
	int up[2], down[2], ok = 1;
	char r;

	memset(c, 0, sizeof(*c));
	c->outer = c->init = -1;
	if (root == NULL || pipe2(up, O_CLOEXEC) != 0)
		return 0;
	if (pipe2(down, O_CLOEXEC) != 0)
		return 0;
	if (flags & CTR_CGROUP) {
		snprintf(c->cgroup, sizeof(c->cgroup),
		    "/sys/fs/cgroup/pids/nsshd-ut-%ld", (long)getpid());
		if (mkdir(c->cgroup, 0755) != 0 && errno != EEXIST) {
			printf("# no pids cgroup: %s\n", strerror(errno));
			c->cgroup[0] = '\0';
		}
	}
	if ((c->outer = fork()) == 0)
		ctr_outer(flags, root, c->cgroup, up[1], down[0]);
	close(up[1]);
	close(down[0]);
	if (flags & CTR_USERNS)
		ok = read_full(up[0], &r, 1) && map_ids(c->outer) &&
		    write(down[1], "m", 1) == 1;
	ok = ok && read_full(up[0], &c->init, sizeof(c->init)) &&
	    read_full(up[0], &r, 1) && r == 'R';
	close(up[0]);
	close(down[1]);
	c->t.is_container = 1;
	snprintf(c->t.name, sizeof(c->t.name), "ut-%s",
	    flags & CTR_CHROOT ? "chroot" : "pivot");
	c->t.pid = c->init;
	c->t.ns_mask = TARGET_NS_ALL;
	c->t.env_mode = TARGET_ENV_INHERIT;
	if (!ok || target_proc_starttime(c->init, &c->t.starttime) != 0) {
		printf("# could not start a test container (flags %#x)\n",
		    flags);
		ctr_stop(c);
		return CHECK(0);
	}
	return 1;
}

static void
ctr_stop(struct ctr *c)
{
	int i;

	if (c->init > 0)
		kill(c->init, SIGKILL);
	if (c->outer > 0) {
		if (c->init <= 0)
			kill(c->outer, SIGKILL);
		CHECK(wait_ms(c->outer, WAIT_MS) != -1);
	}
	for (i = 0; c->cgroup[0] != '\0' && i < 50; i++) {
		if (rmdir(c->cgroup) == 0 || errno != EBUSY)
			break;
		usleep(20000);
	}
	c->outer = c->init = -1;
}

/* ---- running code inside a target ----------------------------------- */

/* What the test sees of one entering worker. */
struct inside {
	int rc;			/* target_enter's return in the worker */
	char err[256];		/* its message */
	int status;		/* wait status of the worker (the relay) */
};

/*
 * Fork a worker that enters t and runs fn(arg, report) there (report is
 * a descriptor kept across target_enter, for fn to write to).  If
 * target_enter fails, the worker sends back rc and text and exits 100 if
 * it still is in our mount namespace (101 if not).  on_report, if set, is
 * called with the worker pid and our end of report once fn wrote a byte.
 */
static void
in_target(const struct target *t, int (*fn)(const void *, int),
    const void *arg, void (*on_report)(pid_t), struct inside *in)
{
	int rep[2], res[2];
	char c;
	pid_t pid;

	memset(in, 0, sizeof(*in));
	in->status = -1;
	if (pipe2(rep, O_CLOEXEC) != 0 || pipe2(res, O_CLOEXEC) != 0)
		return;
	if ((pid = fork()) == 0) {
		int keep[2] = { rep[1], res[1] }, rc;
		struct stat a, b;
		char p[64];

		rc = target_enter(t, keep, 2, in->err, sizeof(in->err));
		if (rc == 0)
			_exit(fn(arg, rep[1]));
		(void)!write(res[1], &rc, sizeof(rc));
		(void)!write(res[1], in->err, sizeof(in->err));
		snprintf(p, sizeof(p), "/proc/%ld/ns/mnt", (long)getppid());
		_exit(stat("/proc/self/ns/mnt", &a) == 0 && stat(p, &b) == 0 &&
		    a.st_ino == b.st_ino ? 100 : 101);
	}
	close(rep[1]);
	close(res[1]);
	if (on_report != NULL && read_full(rep[0], &c, 1))
		on_report(pid);
	in->status = wait_ms(pid, WAIT_MS);
	if (read(res[0], &in->rc, sizeof(in->rc)) == sizeof(in->rc))
		(void)!read(res[0], in->err, sizeof(in->err));
	in->err[sizeof(in->err) - 1] = '\0';
	close(rep[0]);
	close(res[0]);
}

/* The namespaces fn_checks compares, as host-side readlinks. */
struct expect {
	char ns[7][64];
	int flags;
};

static const char *const ns_names[7] = { "mnt", "uts", "ipc", "net", "pid",
    "cgroup", "user" };

static void
expect_fill(struct expect *x, pid_t init, int flags)
{
	char p[64];
	ssize_t n;
	int i;

	memset(x, 0, sizeof(*x));
	x->flags = flags;
	for (i = 0; i < 7; i++) {
		snprintf(p, sizeof(p), "/proc/%ld/ns/%s", (long)init,
		    ns_names[i]);
		n = readlink(p, x->ns[i], sizeof(x->ns[i]) - 1);
		x->ns[i][n > 0 ? n : 0] = '\0';
	}
}

/* A line of /proc/self/cgroup for the pids hierarchy reads ":pids:/". */
static int
pids_cgroup_is_root(void)
{
	char buf[4096];
	int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, ":pids:/\n") != NULL;
}

/* Only 0, 1, 2 and the two kept descriptors (report one) are open. */
static int
only_kept_fds(int report)
{
	int fd, n = 0;

	for (fd = 3; fd < 256; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n == 2 && fcntl(report, F_GETFD) >= 0;
}

/* Inside: one bit per failed check (the exit status). */
static int
fn_checks(const void *arg, int report)
{
	const struct expect *x = arg;
	char host[64] = "", p[64], l[64];
	int bad = 0, i;
	ssize_t n;

	if (gethostname(host, sizeof(host)) != 0 || strcmp(host, CTR_HOST))
		bad |= 1;
	for (i = 0; i < 7; i++) {
		snprintf(p, sizeof(p), "/proc/self/ns/%s", ns_names[i]);
		n = readlink(p, l, sizeof(l) - 1);
		l[n > 0 ? n : 0] = '\0';
		if (strcmp(l, x->ns[i]) != 0 || l[0] == '\0')
			bad |= 2;
	}
	if (access("/" MARKER, F_OK) != 0)
		bad |= 4;
	n = readlink("/proc/self", l, sizeof(l) - 1);
	l[n > 0 ? n : 0] = '\0';
	if (getppid() != 0 || atol(l) != (long)getpid())
		bad |= 8;		/* parent outside, /proc our own */
	if ((x->flags & CTR_DROPCAP) &&
	    prctl(PR_CAPBSET_READ, CAP_SYS_MODULE, 0, 0, 0) != 0)
		bad |= 16;
	if ((x->flags & CTR_CGROUP) && !pids_cgroup_is_root())
		bad |= 32;
	if (!only_kept_fds(report) || prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		bad |= 64;
	return bad;
}

static void
enter_and_check(int flags)
{
	struct ctr c;
	struct expect x;
	struct inside in;

	if (!is_root() || !ctr_start(&c, flags))
		return;
	expect_fill(&x, c.init, flags);
	in_target(&c.t, fn_checks, &x, NULL, &in);
	if (!CHECK(WIFEXITED(in.status) && WEXITSTATUS(in.status) == 0))
		printf("#   status %#x rc %d err [%s] (exit bits: 1 host, 2 "
		    "ns, 4 root, 8 pid ns, 16 caps, 32 cgroup, 64 fds)\n",
		    in.status, in.rc, in.err);
	ctr_stop(&c);
}

static void
t_enter_pivot(void)
{
	enter_and_check(CTR_PIVOT | CTR_DROPCAP | CTR_CGROUP);
}

static void
t_enter_chroot(void)
{
	enter_and_check(CTR_CHROOT);
}

static void
t_enter_userns(void)
{
	enter_and_check(CTR_PIVOT | CTR_USERNS);
}

static int
fn_exit77(const void *arg, int report)
{
	return 77;
}

static int __attribute__((noreturn))
fn_wait(const void *arg, int report)
{
	(void)!write(report, "r", 1);
	for (;;)
		pause();
}

static void
send_usr1(pid_t relay)
{
	kill(relay, SIGUSR1);
}

static void
send_term_then_chld(pid_t relay)
{
	kill(relay, SIGCHLD);	/* not forwarded; the relay keeps waiting */
	kill(relay, SIGTERM);
}

/* The relay passes on exit codes and signals both ways. */
static void
t_relay(void)
{
	struct ctr c;
	struct inside in;

	if (!is_root() || !ctr_start(&c, CTR_PIVOT))
		return;
	in_target(&c.t, fn_exit77, NULL, NULL, &in);
	CHECK(WIFEXITED(in.status) && WEXITSTATUS(in.status) == 77);
	in_target(&c.t, fn_wait, NULL, send_usr1, &in);
	if (!CHECK(WIFSIGNALED(in.status) && WTERMSIG(in.status) == SIGUSR1))
		printf("#   status %#x\n", in.status);
	in_target(&c.t, fn_wait, NULL, send_term_then_chld, &in);
	CHECK(WIFSIGNALED(in.status) && WTERMSIG(in.status) == SIGTERM);
	ctr_stop(&c);
}

/* A recycled PID, a stopped container: clear errors, nothing joined. */
static void
t_enter_refused(void)
{
	struct ctr c;
	struct inside in;
	struct target t;

	if (!is_root() || !ctr_start(&c, CTR_PIVOT))
		return;
	t = c.t;
	t.starttime++;
	in_target(&t, fn_exit77, NULL, NULL, &in);
	CHECK(WIFEXITED(in.status) && WEXITSTATUS(in.status) == 100);
	CHECK_EQ(in.rc, ERR_NOTFOUND);
	if (!CHECK(strcmp(in.err, "container \"ut-pivot\" changed (PID "
	    "reused)") == 0))
		printf("#   err [%s]\n", in.err);
	ctr_stop(&c);
	in_target(&c.t, fn_exit77, NULL, NULL, &in);
	CHECK(WIFEXITED(in.status) && WEXITSTATUS(in.status) == 100);
	CHECK_EQ(in.rc, ERR_NOTFOUND);
	if (!CHECK(strcmp(in.err, "container \"ut-pivot\" is not running")
	    == 0))
		printf("#   err [%s]\n", in.err);
	t.pid = 0;
	in_target(&t, fn_exit77, NULL, NULL, &in);
	CHECK(in.rc == ERR_NOTFOUND && strstr(in.err, "not running"));
	/* a host target: nothing happens, no relay */
	t.is_container = 0;
	in_target(&t, fn_exit77, NULL, NULL, &in);
	CHECK(WIFEXITED(in.status) && WEXITSTATUS(in.status) == 77);
}

/* ---- the user database of a container, read safely ------------------ */

/*
 * In a child chrooted to dir: target_lookup_user("cuser"); the exit
 * status is -rc, or 0 with uid 2345 and ngroups groups, else 99.
 */
static int
lookup_in(const char *dir, int ngroups)
{
	struct user_info u;
	pid_t pid;
	int rc, st;

	if ((pid = fork()) == 0) {
		if (chroot(dir) != 0 || chdir("/") != 0)
			_exit(98);
		alarm(5);
		rc = target_lookup_user("cuser", &u);
		if (rc != 0)
			_exit(-rc);
		_exit(u.uid == 2345 && u.ngroups == ngroups ? 0 : 99);
	}
	st = wait_ms(pid, WAIT_MS);
	return WIFEXITED(st) ? -WEXITSTATUS(st) : 1000 + st;
}

static void
t_lookup_safe(void)
{
	char dir[] = "/tmp/nsshd-ut-db.XXXXXX", p[128], q[128], cmd[128];
	long long t0;
	int fd;

	if (!is_root() || !CHECK(mkdtemp(dir) != NULL))
		return;
	snprintf(p, sizeof(p), "%s/etc", dir);
	CHECK_EQ(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/etc/passwd", dir);
	snprintf(q, sizeof(q), "%s/etc/group", dir);
	CHECK_EQ(lookup_in(dir, 1), ERR_NOTFOUND);	/* no passwd */
	CHECK(write_file(p, "cuser:x:2345:2345::/home/cuser:/bin/sh\n"));
	CHECK_EQ(lookup_in(dir, 1), 0);			/* no group */
	CHECK(write_file(q, "g:x:7:cuser\n"));
	CHECK_EQ(lookup_in(dir, 2), 0);
	snprintf(p, sizeof(p), "%s/etc/nsswitch.conf", dir);
	CHECK(write_file(p, "passwd: bogus_nsshd_module\n"));
	CHECK_EQ(lookup_in(dir, 2), 0);			/* not consulted */
	/* a symlink to a "host" file */
	snprintf(p, sizeof(p), "%s/etc/shadow", dir);
	CHECK(write_file(p, "cuser:x:2345:2345::/:/bin/sh\n"));
	snprintf(p, sizeof(p), "%s/etc/passwd", dir);
	unlink(p);
	CHECK_EQ(symlink("/etc/shadow", p), 0);
	CHECK_EQ(lookup_in(dir, 2), ERR_DENIED);
	/* a FIFO: refused at once, no hang */
	unlink(p);
	CHECK_EQ(mkfifo(p, 0644), 0);
	t0 = ms_now();
	CHECK_EQ(lookup_in(dir, 2), ERR_DENIED);
	CHECK(ms_now() - t0 < 3000);
	/* a directory */
	unlink(p);
	CHECK_EQ(mkdir(p, 0755), 0);
	CHECK_EQ(lookup_in(dir, 2), ERR_DENIED);
	rmdir(p);
	/* too big (sparse) */
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	CHECK(fd >= 0 && ftruncate(fd, TARGET_DB_MAX + 1) == 0);
	close(fd);
	CHECK_EQ(lookup_in(dir, 2), ERR_LENGTH);
	/* a good passwd and a FIFO group */
	CHECK(write_file(p, "cuser:x:2345:2345::/home/cuser:/bin/sh\n"));
	unlink(q);
	CHECK_EQ(mkfifo(q, 0644), 0);
	CHECK_EQ(lookup_in(dir, 2), ERR_DENIED);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_EQ(system(cmd), 0);
}

/* ---- whole sessions in a container ---------------------------------- */

struct out {
	char d[8192];
	size_t n;
};

/* Read fd until EOF (or EIO from a pty) or WAIT_MS. */
static void
read_all_fd(int fd, struct out *o)
{
	long long end = ms_now() + WAIT_MS;
	struct pollfd pfd;
	ssize_t r;

	memset(o, 0, sizeof(*o));
	while (ms_now() < end && o->n < sizeof(o->d) - 1) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		r = read(fd, o->d + o->n, sizeof(o->d) - 1 - o->n);
		if (r > 0)
			o->n += (size_t)r;
		else if (r == 0 || errno != EAGAIN)
			break;
	}
	o->d[o->n] = '\0';
}

static void
session_params_for(struct session_params *p, const struct user_info *u,
    const struct target *t, char *const *env, int pty, const char *cmd)
{
	memset(p, 0, sizeof(*p));
	p->user = u;
	p->want_pty = pty;
	p->term = "xterm";
	p->cols = 80;
	p->rows = 24;
	p->command = cmd;
	p->client_addr = "127.0.0.1";
	p->client_port = 40000;
	p->server_addr = "127.0.0.1";
	p->server_port = 22;
	p->tty_gid = (gid_t)-1;
	p->target = t;
	p->target_env = env;
}

static int
has(const struct out *o, const char *s)
{
	if (strstr(o->d, s) != NULL)
		return 1;
	printf("#   no [%s] in [%s]\n", s, o->d);
	return 0;
}

static void
session_pty(int flags)
{
	char *const env[] = { "FOO=bar", "USER=shadow", NULL };
	struct user_info host = { .name = "nobody" };
	struct session_params p;
	struct session_proc sp;
	struct ctr c;
	struct out o;
	int st;

	if (!is_root() || !ctr_start(&c, flags))
		return;
	snprintf(c.t.user, sizeof(c.t.user), "cuser");
	session_params_for(&p, &host, &c.t, env, 1, "id -u; id -G; hostname; "
	    "tty; echo \"E=$FOO,$USER,$HOME,$SHELL\"; pwd; ls /; exit 7");
	if (!CHECK_EQ(session_start(&p, &sp), 0)) {
		printf("#   %s\n", sp.errmsg);
		ctr_stop(&c);
		return;
	}
	CHECK(strcmp(sp.tty, "/dev/pts/0") == 0);	/* its own devpts */
	read_all_fd(sp.fds[0], &o);
	CHECK(has(&o, "2345\r\n2345 3000\r\n" CTR_HOST "\r\n/dev/pts/0\r\n"));
	CHECK(has(&o, "E=bar,cuser,/home/cuser,/bin/sh\r\n/home/cuser\r\n"));
	CHECK(has(&o, MARKER));
	st = wait_ms(sp.pid, WAIT_MS);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	close(sp.fds[0]);
	ctr_stop(&c);
}

static void
t_session_pty(void)
{
	session_pty(CTR_PIVOT);
}

static void
t_session_userns(void)
{
	session_pty(CTR_PIVOT | CTR_USERNS);
}

/* Pipes, ContainerWorkdir, ContainerEnvironment none, chroot-style. */
static void
t_session_pipes(void)
{
	char *const env[] = { "FOO=bar", NULL };
	struct user_info host = { .name = "cuser" };
	struct session_params p;
	struct session_proc sp;
	struct ctr c;
	struct out o;
	int st, i;

	if (!is_root() || !ctr_start(&c, CTR_CHROOT))
		return;
	snprintf(c.t.workdir, sizeof(c.t.workdir), "/tmp");
	c.t.env_mode = TARGET_ENV_NONE;
	session_params_for(&p, &host, &c.t, env, 0, "pwd; echo \"F=$FOO\"; "
	    "id -un; ls /; echo err >&2; exit 3");
	if (!CHECK_EQ(session_start(&p, &sp), 0)) {
		printf("#   %s\n", sp.errmsg);
		ctr_stop(&c);
		return;
	}
	close(sp.fds[0]);
	read_all_fd(sp.fds[1], &o);
	CHECK(has(&o, "/tmp\nF=\ncuser\n"));
	CHECK(has(&o, MARKER));
	read_all_fd(sp.fds[2], &o);
	CHECK(has(&o, "err\n"));
	st = wait_ms(sp.pid, WAIT_MS);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	for (i = 1; i < 3; i++)
		close(sp.fds[i]);
	ctr_stop(&c);
}

/* Errors before the descriptors come back as errmsg. */
static void
t_session_errors(void)
{
	struct user_info host = { .name = "no-such-user-in-ctr" };
	struct session_params p;
	struct session_proc sp;
	struct ctr c;

	if (!is_root() || !ctr_start(&c, CTR_PIVOT))
		return;
	session_params_for(&p, &host, &c.t, NULL, 1, "true");
	CHECK_EQ(session_start(&p, &sp), ERR_SYS);
	CHECK(strcmp(sp.errmsg, "user \"no-such-user-in-ctr\" does not "
	    "exist in container \"ut-pivot\"") == 0);
	CHECK(sp.pid == -1 && sp.nfds == 0);
	ctr_stop(&c);
	snprintf(c.t.user, sizeof(c.t.user), "cuser");
	CHECK_EQ(session_start(&p, &sp), ERR_SYS);
	if (!CHECK(strcmp(sp.errmsg, "container \"ut-pivot\" is not running")
	    == 0))
		printf("#   errmsg [%s]\n", sp.errmsg);
}

const struct ut_case target_cases[] = {
	{ "stat", t_stat },
	{ "passwd", t_passwd },
	{ "passwd_long", t_passwd_long },
	{ "group", t_group },
	{ "environ", t_environ },
	{ "lookup_safe", t_lookup_safe },
	{ "enter_pivot", t_enter_pivot },
	{ "enter_chroot", t_enter_chroot },
	{ "enter_userns", t_enter_userns },
	{ "enter_refused", t_enter_refused },
	{ "relay", t_relay },
	{ "session_pty", t_session_pty },
	{ "session_userns", t_session_userns },
	{ "session_pipes", t_session_pipes },
	{ "session_errors", t_session_errors },
	{ NULL, NULL },
};
