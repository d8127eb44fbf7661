/*
 * session.h - what a session worker runs: a login shell or a command on a
 * pty or on pipes, as the user, with the environment sshd gives.
 *
 * session_start() is called by the monitor (root).  It forks the worker and
 * returns the worker's pid and the descriptors the transport relays: the pty
 * master (one fd, both directions), or three pipe ends (stdin write end,
 * stdout read end, stderr read end).  The worker opens the pty itself (so
 * that later a worker inside a container opens the container's /dev/ptmx)
 * and hands the master back over a socketpair with SCM_RIGHTS before it
 * drops privileges and execs.  A failure before exec is reported back as a
 * text (e.g. why the shell could not be run) instead of descriptors.
 */
#ifndef NSSHD_SESSION_H
#define NSSHD_SESSION_H

#include <stddef.h>
#include <sys/types.h>

#define SESSION_MAX_GROUPS 256

struct user_info {
	char *name;
	uid_t uid;
	gid_t gid;
	char *home;
	char *shell;
	gid_t groups[SESSION_MAX_GROUPS];	/* supplementary, incl. gid */
	int ngroups;
};

/*
 * user.c: host user database (getpwnam_r + getgrouplist); only for host
 * targets.  Fills *u with copies (an empty shell becomes "/bin/sh"; more
 * than SESSION_MAX_GROUPS groups are cut to the first ones).  Returns 0,
 * ERR_NOTFOUND (no such user), ERR_ALLOC or ERR_SYS; on failure *u is
 * zeroed.  user_info_free() frees the strings and zeroes *u; it accepts a
 * zeroed struct.
 */
int user_lookup_host(const char *name, struct user_info *u);
void user_info_free(struct user_info *u);
/* The gid of the host group "tty", or (gid_t)-1 if there is none. */
gid_t user_tty_group_host(void);

struct target;				/* session/target.h */

struct session_params {
	const struct user_info *user;
	int want_pty;
	const char *term;		/* from pty-req; NULL if none */
	unsigned int cols, rows, xpix, ypix;
	const unsigned char *modes;	/* encoded terminal modes (RFC 4254 8) */
	size_t modes_len;
	const char *command;		/* NULL: interactive login shell */
	char *const *env_extra;		/* accepted "NAME=value", NULL-ended */
	const char *client_addr;
	int client_port;
	const char *server_addr;
	int server_port;
	int log_to_stderr;		/* worker error lines to stderr too */
	gid_t tty_gid;			/* group of the pty slave ("tty",
					   looked up before fork); (gid_t)-1:
					   the user's gid */
	/*
	 * Where the session runs: NULL or !is_container: the host, as
	 * above.  A container: the worker enters it first (target_enter),
	 * then user, groups, home and shell come from the container's
	 * /etc/passwd and /etc/group (the name is target->user, or
	 * user->name if that is empty; user and tty_gid above are not
	 * used), the pty group is its "tty" group, the directory
	 * target->workdir or the home, and with TARGET_ENV_INHERIT the
	 * environment is target_env with the login variables on top.
	 */
	const struct target *target;
	/* Forwarding: SSH_AUTH_SOCK (NULL: none); an X11 display (x11_on):
	 * DISPLAY is set and the cookie added to ~/.Xauthority, with
	 * xauth_location when that program exists in the target, else by
	 * nsshd itself (session/x11auth.c). */
	const char *auth_sock;
	int x11_on, x11_localhost;
	unsigned int x11_display, x11_screen;
	const char *x11_proto, *x11_cookie;
	const char *xauth_location;
	/*
	 * File transfer.  chroot_dir: ChrootDirectory, expanded (hosts only;
	 * checked as sshd does before the worker chroots into it).
	 * legacy_scp: SESSION_SCP_*, who serves "scp -t/-f" (session/internal.c).
	 * A command "internal-sftp [options]" is always served by nsshd.
	 */
	const char *chroot_dir;
	int legacy_scp;
	int sftp_only;			/* ForceCommand internal-sftp, but not
					   the sftp subsystem: refuse, as sshd,
					   on stdout with status 1 */
	char *const *target_env;	/* the target init's "NAME=value"s,
					   NULL-ended, read by the monitor on
					   the host; NULL: none */
};

#define SESSION_SCP_AUTO	0	/* internal when the target has no scp */
#define SESSION_SCP_INTERNAL	1
#define SESSION_SCP_EXTERNAL	2

struct session_proc {
	pid_t pid;
	int fds[3];			/* pty: fds[0] only; pipes: in, out, err */
	int nfds;
	char tty[64];			/* "/dev/pts/N" or "" */
	char errmsg[256];		/* set when ERR_* is returned */
};

/*
 * session.c: fork and start the session.  Returns 0 and fills out, or a
 * negative code with out->errmsg set and out->pid -1, the worker killed
 * and reaped: ERR_SYS (the worker could not set up the pty/pipes, died, or
 * did not answer within 10 s; errmsg says why, errno may not) or ERR_PROTO
 * (the worker's answer made no sense).  p and everything it points to
 * must stay valid during the call; tty_gid must be set.  The
 * returned fds are O_NONBLOCK and close-on-exec; the caller owns them and
 * must reap pid.  Failures after the fds were handed over (privilege drop,
 * exec) are written to the session's stderr and end the worker with
 * status 1.  Must be called as root.  For a container target, out->pid
 * is the relay target_enter() leaves on the host: signals sent to it reach
 * the session, and it exits as the session does; a target that cannot be
 * entered is an ERR_SYS whose errmsg is meant for the client (e.g.
 * 'container "web" is not running').
 */
int session_start(const struct session_params *p, struct session_proc *out);

/*
 * pty.c: open a pty as root: posix_openpt, grantpt, unlockpt, the slave
 * (O_NOCTTY), owned by the user and p->tty_gid, mode 0620, with p's
 * terminal modes and window size.  Fills *master, *slave and tty (the
 * slave's path).  0, ERR_SYS (errno set) or ERR_FORMAT (bad modes); on
 * failure nothing stays open.
 */
int session_pty_open(const struct session_params *p, int *master,
    int *slave, char *tty, size_t ttylen);

/*
 * x11auth.c: in the session worker, as the user, after chdir: add the X11
 * cookie of p (x11_on) to the user's ~/.Xauthority; failures are told on
 * stderr, as sshd does, and the session goes on.  session_x11_display()
 * writes the DISPLAY value ("localhost:N.S", or "HOSTNAME:N.S" without
 * X11UseLocalhost).
 */
void session_x11_auth(const struct session_params *p);
void session_x11_display(const struct session_params *p, char *out,
    size_t outlen);

/*
 * internal.c, in the session worker as the user, right before exec: if the
 * command is one nsshd serves itself (internal-sftp; a legacy scp -t/-f
 * under p->legacy_scp), serve it on fds 0/1/2 with env (the session's
 * environment: SSH_CONNECTION tells internal-sftp the client's address)
 * and _exit with its status; otherwise return.  session_chroot(): ChrootDirectory (as root, before
 * the privilege drop), with sshd's checks: 0, or -1 with a message on
 * stderr.  session_is_internal_sftp(): the command names internal-sftp.
 */
void session_run_internal(const struct session_params *p, char **env);
int session_chroot(const char *dir);
int session_is_internal_sftp(const char *command);

/*
 * Set the window size of a pty master (values above 65535 are clamped).
 * 0 or ERR_SYS.
 */
int session_window_change(int master, unsigned int cols, unsigned int rows,
    unsigned int xpix, unsigned int ypix);

/*
 * env.c: build the environment of the session as sshd does without PAM:
 * USER LOGNAME HOME PATH MAIL SHELL, TERM (pty only), SSH_CLIENT,
 * SSH_CONNECTION, SSH_TTY (pty only, the tty argument), then env_extra,
 * each replacing a same-named entry in place or appended; entries without
 * '=' are ignored.  A NULL-ended malloc'd array of malloc'd "NAME=value"
 * strings, freed with session_env_free() (NULL is fine).  Pure; NULL on
 * ENOMEM.
 */
char **session_env_build(const struct session_params *p, const char *tty);
void session_env_free(char **env);

/*
 * ptymodes.c: apply RFC 4254 section 8 encoded terminal modes to *t.
 * Pure; unknown opcodes below 160 are skipped as the RFC says; parsing
 * stops at TTY_OP_END, the end of the data, or an opcode >= 160.
 * ERR_FORMAT on truncated input, and then *t is left unchanged.
 */
struct termios;
int ptymodes_apply(struct termios *t, const unsigned char *modes, size_t len);

/* signals.c: signal number for an SSH signal name ("INT", ...), or -1. */
int session_signal_number(const char *name);
/* SSH signal name for a number ("KILL"...), or NULL. */
const char *session_signal_name(int sig);

#endif
