/*
 * target_cgroup.c - joining the container's cgroups, best effort: for each
 * hierarchy listed in the target's /proc/PID/cgroup, find where it is
 * mounted on the host (our mountinfo; cgroup v1, v2 or hybrid) and open
 * that cgroup's cgroup.procs before anything is joined; writing "0" to
 * each moves the worker in.  A cgroup that cannot be found or joined is
 * logged at debug level and skipped.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "session/target.h"
#include "session/target_int.h"

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
void
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

void
join_cgroups(struct entry *e)
{
	int i;

	for (i = 0; i < e->ncg; i++)
		if (write(e->cg[i], "0", 1) != 1)
			debug("container %s: joining a cgroup: %s", e->t->name,
			    strerror(errno));
}
