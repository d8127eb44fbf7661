/*
 * pty.c - opening a pseudo-terminal for a session and resizing it.
 *
 * The worker opens the pty as root, in whatever mount namespace it has
 * entered (so a container session gets the container's devpts), gives the
 * slave to the user with group tty and mode 0620 (others in group tty, such
 * as write(1), may write to it), applies the client's terminal modes and
 * window size, and hands the master to the monitor.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "common/err.h"
#include "session/session.h"

/* close(fd) keeping errno. */
static void
close_keep_errno(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
}

/* The master side: /dev/ptmx, unlocked; its slave's path in tty. */
static int
open_master(int *master, char *tty, size_t ttylen)
{
	int m;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0)
		return ERR_SYS;
	if (grantpt(m) != 0 || unlockpt(m) != 0 ||
	    ptsname_r(m, tty, ttylen) != 0) {
		close_keep_errno(m);
		return ERR_SYS;
	}
	*master = m;
	return 0;
}

/* Owner, group and mode of the slave. */
static int
own_slave(const struct session_params *p, int slave)
{
	gid_t g = p->tty_gid == (gid_t)-1 ? p->user->gid : p->tty_gid;

	if (fchown(slave, p->user->uid, g) != 0 || fchmod(slave, 0620) != 0)
		return ERR_SYS;
	return 0;
}

/* The client's terminal modes on top of the pty's defaults. */
static int
set_modes(const struct session_params *p, int slave)
{
	struct termios t;
	int rc;

	if (tcgetattr(slave, &t) != 0)
		return ERR_SYS;
	if ((rc = ptymodes_apply(&t, p->modes, p->modes_len)) != 0)
		return rc;
	return tcsetattr(slave, TCSANOW, &t) == 0 ? 0 : ERR_SYS;
}

/*
 * The slave side: through the master (TIOCGPTPEER, so no path lookup can be
 * redirected), else by the path ptsname gave.
 */
static int
open_slave(int master, const char *tty)
{
	int s;

#ifdef TIOCGPTPEER
	s = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s >= 0 || (errno != EINVAL && errno != ENOTTY))
		return s;
#endif
	return open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

int
session_pty_open(const struct session_params *p, int *master, int *slave,
    char *tty, size_t ttylen)
{
	int m, s, rc;

	if ((rc = open_master(&m, tty, ttylen)) != 0)
		return rc;
	if ((s = open_slave(m, tty)) < 0) {
		close_keep_errno(m);
		return ERR_SYS;
	}
	if ((rc = own_slave(p, s)) != 0 || (rc = set_modes(p, s)) != 0 ||
	    (rc = session_window_change(m, p->cols, p->rows, p->xpix,
	    p->ypix)) != 0) {
		close_keep_errno(s);
		close_keep_errno(m);
		return rc;
	}
	*master = m;
	*slave = s;
	return 0;
}

static unsigned short
clamp16(unsigned int v)
{
	return v > 0xffff ? 0xffff : (unsigned short)v;
}

int
session_window_change(int master, unsigned int cols, unsigned int rows,
    unsigned int xpix, unsigned int ypix)
{
	struct winsize ws;

	ws.ws_col = clamp16(cols);
	ws.ws_row = clamp16(rows);
	ws.ws_xpixel = clamp16(xpix);
	ws.ws_ypixel = clamp16(ypix);
	return ioctl(master, TIOCSWINSZ, &ws) == 0 ? 0 : ERR_SYS;
}
