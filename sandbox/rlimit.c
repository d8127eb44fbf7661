/*
 * rlimit.c - resource limits of the transport.
 *
 * The transport creates nothing: no processes (RLIMIT_NPROC 0), no file
 * data (RLIMIT_FSIZE 0: a write to a regular file raises SIGXFSZ), no core
 * dumps (RLIMIT_CORE 0).  It does receive descriptors from the monitor, so
 * RLIMIT_NOFILE keeps its current soft limit, and its hard limit is lowered
 * to that soft limit so that it can never be raised again.
 */
#include "autoconf.h"

#include <errno.h>
#include <sys/resource.h>

#include "common/err.h"
#include "sandbox/sandbox.h"

/* Set both limits of resource r to v. */
static int
limit_to(int r, rlim_t v)
{
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = v;
	return setrlimit(r, &rl) == 0 ? 0 : ERR_SYS;
}

/* Lower the hard NOFILE limit to the soft one (never raises anything). */
static int
freeze_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return ERR_SYS;
	if (rl.rlim_max == rl.rlim_cur)
		return 0;
	return limit_to(RLIMIT_NOFILE, rl.rlim_cur);
}

int
sandbox_rlimits_transport(void)
{
	int rc;

	if ((rc = freeze_nofile()) != 0 ||
	    (rc = limit_to(RLIMIT_NPROC, 0)) != 0 ||
	    (rc = limit_to(RLIMIT_FSIZE, 0)) != 0 ||
	    (rc = limit_to(RLIMIT_CORE, 0)) != 0)
		return rc;
	return 0;
}
