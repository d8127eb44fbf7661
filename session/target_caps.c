/*
 * target_caps.c - the capability bounding set inside a container: read the
 * target's from the "CapBnd:" line of /proc/PID/status on the host, and
 * after the namespaces are joined drop from ours every capability the
 * target lacks, so a worker's bounding set is never wider than that of the
 * container's init.
 */
#include "autoconf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "common/err.h"
#include "session/target.h"
#include "session/target_int.h"

/* The "CapBnd:" line of /proc/PID/status. */
int
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

/* Drop from the bounding set every capability the target lacks. */
int
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
