/*
 * test_xauth.c - the X authority file: hex cookies, merge and remove over
 * bytes (replacement of a display's entries among others, malformed
 * files), then the file functions in a temporary directory: round trip,
 * mode, lock files, a busy lock, refusals; and, when /usr/bin/xauth is
 * installed, that xauth reads what we write and we read what it writes.
 */
#include "autoconf.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "proto/buf.h"
#include "regress/unit/unittest.h"
#include "session/xauth.h"

#define XAUTH_BIN	"/usr/bin/xauth"

static struct sview
sv(const char *s)
{
	struct sview v;

	v.p = (const unsigned char *)s;
	v.n = strlen(s);
	return v;
}

/* An entry of C strings (data as given, not hex). */
static struct xauth_entry
ent(uint16_t family, const char *addr, const char *number, const char *name,
    const char *data)
{
	struct xauth_entry e;

	e.family = family;
	e.addr = sv(addr);
	e.number = sv(number);
	e.name = sv(name);
	e.data = sv(data);
	return e;
}

/* The file bytes of e, written out by hand (not by the code under test). */
static void
raw(struct buf *b, const struct xauth_entry *e)
{
	const struct sview *f[4] = { &e->addr, &e->number, &e->name,
	    &e->data };
	unsigned char x[2];
	int i;

	x[0] = (unsigned char)(e->family >> 8);
	x[1] = (unsigned char)e->family;
	CHECK_EQ(buf_put(b, x, 2), 0);
	for (i = 0; i < 4; i++) {
		x[0] = (unsigned char)(f[i]->n >> 8);
		x[1] = (unsigned char)f[i]->n;
		CHECK_EQ(buf_put(b, x, 2), 0);
		if (f[i]->n > 0)
			CHECK_EQ(buf_put(b, f[i]->p, f[i]->n), 0);
	}
}

static int
same_bytes(const struct buf *a, const struct buf *b)
{
	return buf_len(a) == buf_len(b) &&
	    memcmp(buf_ptr(a), buf_ptr(b), buf_len(a)) == 0;
}

static void
t_hex(void)
{
	unsigned char out[8];
	size_t n = 99;

	CHECK_EQ(xauth_hex_decode("00ffA5", 6, out, sizeof(out), &n), 0);
	CHECK(n == 3 && out[0] == 0 && out[1] == 0xff && out[2] == 0xa5);
	CHECK_EQ(xauth_hex_decode("aBcD", 4, out, 2, &n), 0);
	CHECK(n == 2 && out[0] == 0xab && out[1] == 0xcd);
	CHECK_EQ(xauth_hex_decode("", 0, out, sizeof(out), &n), 0);
	CHECK_EQ(n, 0);
	n = 99;
	CHECK_EQ(xauth_hex_decode("abc", 3, out, sizeof(out), &n), ERR_FORMAT);
	CHECK_EQ(n, 0);
	n = 99;
	CHECK_EQ(xauth_hex_decode("0g", 2, out, sizeof(out), &n), ERR_FORMAT);
	CHECK_EQ(n, 0);
	CHECK_EQ(xauth_hex_decode("0 ", 2, out, sizeof(out), &n), ERR_FORMAT);
	CHECK_EQ(xauth_hex_decode("0x12", 4, out, sizeof(out), &n),
	    ERR_FORMAT);
	CHECK_EQ(xauth_hex_decode("00\0" "0", 4, out, sizeof(out), &n),
	    ERR_FORMAT);
	n = 99;
	CHECK_EQ(xauth_hex_decode("001122", 6, out, 2, &n), ERR_LENGTH);
	CHECK_EQ(n, 0);
	/* Only n bytes are read. */
	CHECK_EQ(xauth_hex_decode("12zz", 2, out, 1, &n), 0);
	CHECK(n == 1 && out[0] == 0x12);
}

static void
t_merge_empty(void)
{
	struct xauth_entry e = ent(XAUTH_FAMILY_LOCAL, "host", "10",
	    "MIT-MAGIC-COOKIE-1", "0123456789abcdef");
	static const unsigned char want[] = {
		0x01, 0x00, 0, 4, 'h', 'o', 's', 't', 0, 2, '1', '0',
		0, 18, 'M', 'I', 'T', '-', 'M', 'A', 'G', 'I', 'C', '-',
		'C', 'O', 'O', 'K', 'I', 'E', '-', '1',
		0, 16, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
		'a', 'b', 'c', 'd', 'e', 'f',
	};
	struct buf out;

	buf_init(&out, 0);
	CHECK_EQ(xauth_merge(NULL, 0, &e, &out), 0);
	CHECK(buf_len(&out) == sizeof(want) &&
	    memcmp(buf_ptr(&out), want, sizeof(want)) == 0);
	/* The result is appended to what out held. */
	buf_reset(&out);
	CHECK_EQ(buf_put(&out, "xy", 2), 0);
	CHECK_EQ(xauth_merge((const unsigned char *)"", 0, &e, &out), 0);
	CHECK(buf_len(&out) == sizeof(want) + 2 &&
	    memcmp(buf_ptr(&out) + 2, want, sizeof(want)) == 0);
	buf_reset(&out);
	/* Removing from an empty file gives an empty file. */
	CHECK_EQ(xauth_remove(NULL, 0, &e, &out), 0);
	CHECK_EQ(buf_len(&out), 0);
	buf_free(&out);
}

static void
t_merge_replace(void)
{
	struct xauth_entry a = ent(XAUTH_FAMILY_LOCAL, "host", "10",
	    "MIT-MAGIC-COOKIE-1", "old-cookie-aaaa");
	struct xauth_entry b = ent(XAUTH_FAMILY_LOCAL, "host", "11",
	    "MIT-MAGIC-COOKIE-1", "bbbb");
	struct xauth_entry c = ent(XAUTH_FAMILY_INTERNET, "host", "10",
	    "MIT-MAGIC-COOKIE-1", "cccc");
	struct xauth_entry d = ent(XAUTH_FAMILY_LOCAL, "host", "10",
	    "XDM-AUTHORIZATION-1", "dddd");
	struct xauth_entry f = ent(XAUTH_FAMILY_LOCAL, "hostx", "10",
	    "MIT-MAGIC-COOKIE-1", "ffff");
	struct xauth_entry g = ent(XAUTH_FAMILY_LOCAL, "host", "1",
	    "MIT-MAGIC-COOKIE-1", "");
	struct xauth_entry e = ent(XAUTH_FAMILY_LOCAL, "host", "10",
	    "MIT-MAGIC-COOKIE-1", "new-cookie");
	struct buf old, out, want;

	buf_init(&old, 0);
	buf_init(&out, 0);
	buf_init(&want, 0);
	raw(&old, &a);
	raw(&old, &b);
	raw(&old, &c);
	raw(&old, &d);
	raw(&old, &f);
	raw(&old, &g);
	/* Every entry of e's display goes (whatever its name); e is last. */
	raw(&want, &b);
	raw(&want, &c);
	raw(&want, &f);
	raw(&want, &g);
	raw(&want, &e);
	CHECK_EQ(xauth_merge(buf_ptr(&old), buf_len(&old), &e, &out), 0);
	CHECK(same_bytes(&out, &want));

	/* Merging the result again changes nothing. */
	buf_reset(&old);
	CHECK_EQ(buf_put(&old, buf_ptr(&out), buf_len(&out)), 0);
	buf_reset(&out);
	CHECK_EQ(xauth_merge(buf_ptr(&old), buf_len(&old), &e, &out), 0);
	CHECK(same_bytes(&out, &want));

	/* Remove: the same without e. */
	buf_reset(&out);
	CHECK_EQ(xauth_remove(buf_ptr(&old), buf_len(&old), &e, &out), 0);
	CHECK_EQ(buf_consume_end(&want, buf_len(&want) - buf_len(&out)), 0);
	CHECK(same_bytes(&out, &want));
	/* Nothing for that display: a byte-for-byte copy. */
	buf_reset(&old);
	CHECK_EQ(buf_put(&old, buf_ptr(&out), buf_len(&out)), 0);
	buf_reset(&out);
	CHECK_EQ(xauth_remove(buf_ptr(&old), buf_len(&old), &e, &out), 0);
	CHECK(same_bytes(&out, &old));
	buf_free(&old);
	buf_free(&out);
	buf_free(&want);
}

static void
t_malformed(void)
{
	struct xauth_entry a = ent(XAUTH_FAMILY_LOCAL, "h", "1", "N", "dd");
	struct xauth_entry b = ent(XAUTH_FAMILY_INTERNET6,
	    "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\1", "2", "N", "ee");
	struct xauth_entry e = ent(XAUTH_FAMILY_LOCAL, "h", "3", "N", "x");
	struct buf old, out;
	size_t i, first, bad = 0;
	int r;

	b.addr.n = 16;
	buf_init(&old, 0);
	buf_init(&out, 0);
	raw(&old, &a);
	first = buf_len(&old);
	raw(&old, &b);
	/* Cut anywhere but at an entry boundary: ERR_FORMAT, out as it was. */
	for (i = 0; i <= buf_len(&old); i++) {
		buf_reset(&out);
		CHECK_EQ(buf_put(&out, "keep", 4), 0);
		r = xauth_merge(buf_ptr(&old), i, &e, &out);
		if (i == 0 || i == first || i == buf_len(&old))
			bad += r != 0;
		else
			bad += r != ERR_FORMAT || buf_len(&out) != 4 ||
			    memcmp(buf_ptr(&out), "keep", 4) != 0;
		buf_reset(&out);
		r = xauth_remove(buf_ptr(&old), i, &e, &out);
		if (i == 0 || i == first || i == buf_len(&old))
			bad += r != 0;
		else
			bad += r != ERR_FORMAT || buf_len(&out) != 0;
	}
	CHECK_EQ(bad, 0);
	/* A length pointing past the end. */
	CHECK_EQ(xauth_merge((const unsigned char *)"\1\0\xff\xff", 4, &e,
	    &out), ERR_FORMAT);

	/* e with a field too long for the file format. */
	buf_reset(&out);
	e.data.p = buf_ptr(&old);
	e.data.n = XAUTH_FIELD_MAX + 1;
	CHECK_EQ(xauth_merge(NULL, 0, &e, &out), ERR_LENGTH);
	CHECK_EQ(buf_len(&out), 0);
	e.data.n = 2;

	/* out reaching its max: ERR_LENGTH and nothing appended. */
	buf_free(&out);
	buf_init(&out, buf_len(&old) + 3);
	CHECK_EQ(xauth_merge(buf_ptr(&old), buf_len(&old), &e, &out),
	    ERR_LENGTH);
	CHECK_EQ(buf_len(&out), 0);
	buf_free(&out);
	buf_init(&out, 3);
	CHECK_EQ(xauth_remove(buf_ptr(&old), buf_len(&old), &e, &out),
	    ERR_LENGTH);
	CHECK_EQ(buf_len(&out), 0);
	buf_free(&old);
	buf_free(&out);
}

/* ---- files ----------------------------------------------------------- */

struct tdir {
	char dir[64];
	char path[128];
};

static int
tdir_make(struct tdir *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/nsshd-xauth-XXXXXX");
	if (!CHECK(mkdtemp(t->dir) != NULL))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/.Xauthority", t->dir);
	return 0;
}

static void
tdir_clean(struct tdir *t)
{
	char p[512];
	struct dirent *de;
	DIR *d;

	if ((d = opendir(t->dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", t->dir, de->d_name);
			if (unlink(p) != 0)
				(void)rmdir(p);
		}
		closedir(d);
	}
	(void)rmdir(t->dir);
}

/* Number of directory entries besides . and .. */
static int
tdir_count(const struct tdir *t)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(t->dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int
slurp(const char *path, struct buf *b)
{
	unsigned char chunk[4096];
	ssize_t n;
	int fd;

	buf_reset(b);
	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_put(b, chunk, (size_t)n) != 0)
			break;
	close(fd);
	return n == 0 ? 0 : -1;
}

static int
spit(const char *path, const void *p, size_t n)
{
	int fd, ok;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return -1;
	ok = write(fd, p, n) == (ssize_t)n;
	close(fd);
	return ok ? 0 : -1;
}

static void
t_file(void)
{
	struct xauth_entry e1 = ent(XAUTH_FAMILY_LOCAL, "host", "10",
	    "MIT-MAGIC-COOKIE-1", "cookie-one");
	struct xauth_entry e2 = ent(XAUTH_FAMILY_LOCAL, "host", "11",
	    "MIT-MAGIC-COOKIE-1", "cookie-two");
	struct xauth_entry e3 = ent(XAUTH_FAMILY_LOCAL, "host", "10",
	    "MIT-MAGIC-COOKIE-1", "cookie-three");
	struct buf got, want;
	struct tdir t;
	struct stat st;
	ino_t ino;
	char nodir[160];

	if (tdir_make(&t) != 0)
		return;
	buf_init(&got, 0);
	buf_init(&want, 0);

	/* Removing from a missing file creates nothing. */
	CHECK_EQ(xauth_remove_file(t.path, &e1), 0);
	CHECK_EQ(tdir_count(&t), 0);

	CHECK_EQ(xauth_add_file(t.path, &e1), 0);
	raw(&want, &e1);
	CHECK(slurp(t.path, &got) == 0 && same_bytes(&got, &want));
	CHECK(lstat(t.path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & 07777) == 0600);
	CHECK_EQ(tdir_count(&t), 1);	/* no lock or temporary left */

	CHECK_EQ(xauth_add_file(t.path, &e2), 0);
	raw(&want, &e2);
	CHECK(slurp(t.path, &got) == 0 && same_bytes(&got, &want));

	/* Same display again: replaced, moved to the end. */
	CHECK_EQ(xauth_add_file(t.path, &e3), 0);
	buf_reset(&want);
	raw(&want, &e2);
	raw(&want, &e3);
	CHECK(slurp(t.path, &got) == 0 && same_bytes(&got, &want));
	CHECK_EQ(tdir_count(&t), 1);

	/* An existing mode is not kept: the new file is 0600. */
	CHECK_EQ(chmod(t.path, 0644), 0);
	CHECK_EQ(xauth_add_file(t.path, &e3), 0);
	CHECK(lstat(t.path, &st) == 0 && (st.st_mode & 07777) == 0600);

	/* Remove one display, then one that is not there (no rewrite). */
	CHECK_EQ(xauth_remove_file(t.path, &e1), 0);
	buf_reset(&want);
	raw(&want, &e2);
	CHECK(slurp(t.path, &got) == 0 && same_bytes(&got, &want));
	CHECK(lstat(t.path, &st) == 0);
	ino = st.st_ino;
	CHECK_EQ(xauth_remove_file(t.path, &e1), 0);
	CHECK(slurp(t.path, &got) == 0 && same_bytes(&got, &want));
	CHECK(lstat(t.path, &st) == 0 && st.st_ino == ino);
	CHECK_EQ(tdir_count(&t), 1);

	/* A malformed file is left alone. */
	CHECK_EQ(spit(t.path, "\1\0\0\5ab", 6), 0);
	CHECK_EQ(xauth_add_file(t.path, &e1), ERR_FORMAT);
	CHECK_EQ(xauth_remove_file(t.path, &e1), ERR_FORMAT);
	CHECK(slurp(t.path, &got) == 0 && buf_len(&got) == 6);
	CHECK_EQ(tdir_count(&t), 1);

	/* A symbolic link or a directory is refused. */
	CHECK_EQ(unlink(t.path), 0);
	CHECK_EQ(symlink("/dev/null", t.path), 0);
	CHECK_EQ(xauth_add_file(t.path, &e1), ERR_DENIED);
	CHECK_EQ(unlink(t.path), 0);
	CHECK_EQ(mkdir(t.path, 0700), 0);
	CHECK_EQ(xauth_add_file(t.path, &e1), ERR_DENIED);
	CHECK_EQ(rmdir(t.path), 0);
	CHECK_EQ(tdir_count(&t), 0);

	/* A path too long for the lock names. */
	{
		char longp[PATH_MAX + 8];

		memset(longp, 'a', sizeof(longp) - 1);
		longp[0] = '/';
		longp[sizeof(longp) - 1] = '\0';
		CHECK_EQ(xauth_add_file(longp, &e1), ERR_LENGTH);
	}
	/* A missing directory: ERR_SYS with errno. */
	snprintf(nodir, sizeof(nodir), "%s/nodir/.Xauthority", t.dir);
	errno = 0;
	CHECK_EQ(xauth_add_file(nodir, &e1), ERR_SYS);
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(xauth_remove_file(nodir, &e1), 0);

	buf_free(&got);
	buf_free(&want);
	tdir_clean(&t);
}

/* Another holder of the lock: busy, then released while we wait. */
static void
t_lock(void)
{
	struct xauth_entry e = ent(XAUTH_FAMILY_LOCAL, "host", "10",
	    "MIT-MAGIC-COOKIE-1", "c");
	char c[160], l[160];
	struct timespec t0, t1;
	struct tdir t;
	pid_t pid;
	int st;

	if (tdir_make(&t) != 0)
		return;
	snprintf(c, sizeof(c), "%s-c", t.path);
	snprintf(l, sizeof(l), "%s-l", t.path);
	/* Held (path-l exists): we create path-c, cannot link, give up. */
	CHECK_EQ(spit(l, "", 0), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	errno = 0;
	CHECK_EQ(xauth_add_file(t.path, &e), ERR_SYS);
	CHECK_EQ(errno, EWOULDBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(t1.tv_sec - t0.tv_sec >= 1 && t1.tv_sec - t0.tv_sec <= 4);
	/* Our path-c is gone, the other's path-l stays; no file made. */
	CHECK(access(c, F_OK) != 0 && access(l, F_OK) == 0);
	CHECK(access(t.path, F_OK) != 0);

	/* Held with both names; released while we wait. */
	CHECK_EQ(spit(c, "", 0), 0);
	CHECK_EQ(unlink(l), 0);
	CHECK_EQ(link(c, l), 0);
	if ((pid = fork()) == 0) {
		struct timespec ts = { 0, 300000000L };

		nanosleep(&ts, NULL);
		unlink(c);
		unlink(l);
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK_EQ(xauth_add_file(t.path, &e), 0);
	if (pid > 0)
		(void)waitpid(pid, &st, 0);
	CHECK(access(c, F_OK) != 0 && access(l, F_OK) != 0);
	CHECK(access(t.path, F_OK) == 0);
	tdir_clean(&t);
}

/* Run a shell command, its stdout into out. */
static int
run(const char *cmd, char *out, size_t outlen)
{
	FILE *f;
	size_t n;

	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	return pclose(f);
}

/* With the real xauth: it reads our file, we read and edit its file. */
static void
t_xauth_compat(void)
{
	static const unsigned char ck[16] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	};
	static const unsigned char v4[4] = { 192, 0, 2, 7 };
	struct xauth_entry e = ent(XAUTH_FAMILY_LOCAL, "myhost", "10",
	    "MIT-MAGIC-COOKIE-1", "");
	struct xauth_entry i4 = ent(XAUTH_FAMILY_INTERNET, "", "3",
	    "MIT-MAGIC-COOKIE-1", "");
	char cmd[512], out[1024];
	struct tdir t;

	if (access(XAUTH_BIN, X_OK) != 0) {
		printf("# skip: %s not installed\n", XAUTH_BIN);
		return;
	}
	if (tdir_make(&t) != 0)
		return;
	e.data.p = ck;
	e.data.n = sizeof(ck);
	i4.addr.p = v4;
	i4.addr.n = sizeof(v4);
	i4.data.p = ck;
	i4.data.n = 4;
	CHECK_EQ(xauth_add_file(t.path, &e), 0);
	CHECK_EQ(xauth_add_file(t.path, &i4), 0);
	snprintf(cmd, sizeof(cmd), "%s -f %s list 2>&1", XAUTH_BIN, t.path);
	CHECK_EQ(run(cmd, out, sizeof(out)), 0);
	if (!CHECK(strcmp(out, "myhost/unix:10  MIT-MAGIC-COOKIE-1  "
	    "00112233445566778899aabbccddeeff\n"
	    "192.0.2.7:3  MIT-MAGIC-COOKIE-1  00112233\n") == 0))
		printf("#   xauth list: %s", out);

	/* xauth adds an entry for another display and replaces ours... */
	snprintf(cmd, sizeof(cmd), "%s -f %s add myhost/unix:12 . "
	    "0102 2>&1 && %s -f %s add myhost/unix:10 . ffff 2>&1",
	    XAUTH_BIN, t.path, XAUTH_BIN, t.path);
	CHECK_EQ(run(cmd, out, sizeof(out)), 0);
	/* ...we replace it again and remove the other display. */
	CHECK_EQ(xauth_add_file(t.path, &e), 0);
	e.number = sv("12");
	CHECK_EQ(xauth_remove_file(t.path, &e), 0);
	snprintf(cmd, sizeof(cmd), "%s -f %s list 2>&1", XAUTH_BIN, t.path);
	CHECK_EQ(run(cmd, out, sizeof(out)), 0);
	if (!CHECK(strcmp(out, "192.0.2.7:3  MIT-MAGIC-COOKIE-1  00112233\n"
	    "myhost/unix:10  MIT-MAGIC-COOKIE-1  "
	    "00112233445566778899aabbccddeeff\n") == 0))
		printf("#   xauth list: %s", out);
	tdir_clean(&t);
}

const struct ut_case xauth_cases[] = {
	{ "hex", t_hex },
	{ "merge_empty", t_merge_empty },
	{ "merge_replace", t_merge_replace },
	{ "malformed", t_malformed },
	{ "file", t_file },
	{ "lock", t_lock },
	{ "xauth_compat", t_xauth_compat },
	{ NULL, NULL },
};
