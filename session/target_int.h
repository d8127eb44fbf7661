/*
 * target_int.h - what the files that enter a container share; not for the
 * rest of nsshd, which uses target.h.
 *
 * struct entry holds everything opened from the host before anything is
 * joined (target.c fills it in open_target()); the other files read from it
 * or add to it.  Failures are reported through say(), which writes the
 * message to the caller's err buffer and returns the code.  Prototypes are
 * grouped under the file that defines them.
 */
#ifndef NSSHD_TARGET_INT_H
#define NSSHD_TARGET_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "session/target.h"

#define PROCFILE_MAX	(1024 * 1024)	/* status, cgroup, mountinfo */
#define MAX_CGROUPS	16
#define NS_KINDS	7

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

/* target.c: messages */
int say(struct entry *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int not_running(struct entry *e);
int step_failed(struct entry *e, const char *what);

/* target_stat.c: /proc/PID files */
int read_at(int dirfd, const char *name, size_t max, char **out, size_t *len);
int gone(int e);
int stat_at(int dirfd, char *state, unsigned long long *starttime);

/* target_fds.c: closing descriptors, pidfds */
void close_range_compat(unsigned int lo, unsigned int hi);
int close_others(const int *keep, int nkeep);
int sys_pidfd_open(pid_t pid);
int pidfd_ended(int pidfd);

/* target_cgroup.c: the target's cgroups */
void open_cgroups(struct entry *e);
void join_cgroups(struct entry *e);

/* target_caps.c: the bounding set */
int read_capbnd(struct entry *e);
int limit_caps(struct entry *e);

/* target_relay.c: the last fork and the relay */
int fork_relay(struct entry *e);

#endif
