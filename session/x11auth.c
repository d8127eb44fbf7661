/*
 * x11auth.c - the X11 side of a session worker: the DISPLAY value, and
 * the cookie from x11-req added to the user's ~/.Xauthority.  sshd runs
 * xauth for that, and images without xauth are the usual cause of broken
 * X11 forwarding in containers; so XAuthLocation is used when it exists in
 * the target, and otherwise nsshd writes the entry itself (session/xauth.c).
 * Both give the same entry: family Local, this host's name, the display
 * number, the protocol and the cookie (what "xauth add unix:N" writes).
 */
#include "autoconf.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"
#include "session/session.h"
#include "session/xauth.h"

#define COOKIE_MAX		256

void
session_x11_display(const struct session_params *p, char *out,
    size_t outlen)
{
	char host[256];

	if (p->x11_localhost || gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(out, outlen, "%s:%u.%u", host, p->x11_display,
	    p->x11_screen);
}

/*
 * Feed "remove" and "add" to XAuthLocation -q -, as sshd does; with -f,
 * since our environment is still the monitor's, not the session's.
 */
static int
run_xauth(const struct session_params *p)
{
	char path[1024];
	int fd[2], status;
	pid_t pid;
	FILE *f;

	snprintf(path, sizeof(path), "%s/.Xauthority", p->user->home);
	if (pipe(fd) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(fd[1]);
		if (dup2(fd[0], 0) < 0)
			_exit(1);
		execl(p->xauth_location, p->xauth_location, "-q", "-f", path,
		    "-", (char *)NULL);
		fprintf(stderr, "%s: %s\n", p->xauth_location,
		    strerror(errno));
		_exit(1);
	}
	close(fd[0]);
	if ((f = fdopen(fd[1], "w")) == NULL) {
		close(fd[1]);
		status = -1;
	} else {
		fprintf(f, "remove unix:%u\n", p->x11_display);
		fprintf(f, "add unix:%u.%u %s %s\n", p->x11_display,
		    p->x11_screen, p->x11_proto, p->x11_cookie);
		fclose(f);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Without xauth: write the entry into $HOME/.Xauthority ourselves. */
static int
write_xauthority(const struct session_params *p)
{
	unsigned char cookie[COOKIE_MAX];
	char host[256], number[16], path[1024];
	struct xauth_entry e;
	size_t clen;
	int r;

	if ((r = xauth_hex_decode(p->x11_cookie, strlen(p->x11_cookie),
	    cookie, sizeof(cookie), &clen)) != 0)
		return r;
	if (gethostname(host, sizeof(host)) != 0)
		return ERR_SYS;
	host[sizeof(host) - 1] = '\0';
	snprintf(number, sizeof(number), "%u", p->x11_display);
	snprintf(path, sizeof(path), "%s/.Xauthority", p->user->home);
	memset(&e, 0, sizeof(e));
	e.family = XAUTH_FAMILY_LOCAL;
	e.addr.p = (const unsigned char *)host;
	e.addr.n = strlen(host);
	e.number.p = (const unsigned char *)number;
	e.number.n = strlen(number);
	e.name.p = (const unsigned char *)p->x11_proto;
	e.name.n = strlen(p->x11_proto);
	e.data.p = cookie;
	e.data.n = clen;
	r = xauth_add_file(path, &e);
	explicit_bzero(cookie, sizeof(cookie));
	return r;
}

void
session_x11_auth(const struct session_params *p)
{
	int r;

	if (!p->x11_on || p->x11_proto == NULL || p->x11_cookie == NULL)
		return;
	if (p->xauth_location != NULL && access(p->xauth_location, X_OK) == 0) {
		if (run_xauth(p) != 0)
			fprintf(stderr, "xauth failed; X11 programs may not "
			    "be able to connect\n");
		return;
	}
	if ((r = write_xauthority(p)) != 0)
		fprintf(stderr, "Cannot add the X11 cookie to "
		    "%s/.Xauthority: %s\n", p->user->home, r == ERR_SYS ?
		    strerror(errno) : err_str(r));
}
