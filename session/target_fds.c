/*
 * target_fds.c - descriptors while entering a container: closing every
 * descriptor but the ones the worker keeps (before anything of the target
 * is opened, and in the relay), and pidfds, which bind a process so that a
 * recycled PID is never signalled or joined.  Without pidfd support in the
 * kernel the callers fall back to /proc/PID alone.
 */
#include "autoconf.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/err.h"
#include "session/target.h"
#include "session/target_int.h"

/* ---- descriptors ---------------------------------------------------- */

void
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
int
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

/* ---- pidfds --------------------------------------------------------- */

int
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
int
pidfd_ended(int pidfd)
{
#ifdef SYS_pidfd_send_signal
	if (pidfd >= 0 &&
	    syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) != 0)
		return errno == ESRCH;
#endif
	return 0;
}
