/*
 * chroot.c - the transport's empty root directory.
 *
 * sandbox_prepare_empty_dir() makes the directory once, at start-up;
 * sandbox_chroot() enters it.  Both insist on a real directory (not a
 * symlink) owned by root and writable by nobody else, so that an
 * unprivileged user can neither plant files in the transport's root nor
 * swap the directory.  sandbox_chroot() opens the directory once and
 * chroots to that descriptor, so what it checked is what it enters.
 */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "sandbox/sandbox.h"

/* ERR_DENIED unless st is a root-owned directory without g+w / o+w. */
static int
check_root_dir(const struct stat *st)
{
	if (!S_ISDIR(st->st_mode) || st->st_uid != 0 ||
	    (st->st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		errno = EPERM;
		return ERR_DENIED;
	}
	return 0;
}

/* mkdir one path, mode 0755 regardless of umask; EEXIST is fine. */
static int
make_dir(const char *path)
{
	if (mkdir(path, 0755) == 0)
		return chmod(path, 0755) == 0 ? 0 : ERR_SYS;
	return errno == EEXIST ? 0 : ERR_SYS;
}

/* mkdir -p: every parent of dir, then dir itself. */
static int
make_dirs(const char *dir)
{
	char path[PATH_MAX];
	size_t i, n = strlen(dir);
	int rc;

	if (n == 0 || n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return ERR_SYS;
	}
	memcpy(path, dir, n + 1);
	for (i = 1; i < n; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		rc = make_dir(path);
		path[i] = '/';
		if (rc != 0)
			return rc;
	}
	return make_dir(path);
}

/* ERR_DENIED if the open directory fd holds anything but "." and "..". */
static int
check_empty(int fd)
{
	DIR *d;
	struct dirent *e;
	int dfd, rc = 0;

	if ((dfd = dup(fd)) < 0)
		return ERR_SYS;
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return ERR_SYS;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			errno = ENOTEMPTY;
			rc = ERR_DENIED;
			break;
		}
	}
	closedir(d);
	return rc;
}

/* Open dir without following a final symlink and check its owner/mode. */
static int
open_root_dir(const char *dir, int *fdp)
{
	struct stat st;
	int fd, rc;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ERR_SYS;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return ERR_SYS;
	}
	if ((rc = check_root_dir(&st)) != 0) {
		close(fd);
		return rc;
	}
	*fdp = fd;
	return 0;
}

int
sandbox_prepare_empty_dir(const char *dir)
{
	int fd, rc;

	if ((rc = make_dirs(dir)) != 0)
		return rc;
	if ((rc = open_root_dir(dir, &fd)) != 0)
		return rc;
	rc = check_empty(fd);
	close(fd);
	return rc;
}

int
sandbox_chroot(const char *dir)
{
	int fd, rc, saved;

	if ((rc = open_root_dir(dir, &fd)) != 0)
		return rc;
	rc = 0;
	if (fchdir(fd) != 0 || chroot(".") != 0 || chdir("/") != 0)
		rc = ERR_SYS;
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
