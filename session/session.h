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

/* Host user database (getpwnam + getgrouplist); only for host targets. */
int user_lookup_host(const char *name, struct user_info *u);
void user_info_free(struct user_info *u);

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
};

struct session_proc {
	pid_t pid;
	int fds[3];			/* pty: fds[0] only; pipes: in, out, err */
	int nfds;
	char tty[64];			/* "/dev/pts/N" or "" */
	char errmsg[256];		/* set when ERR_* is returned */
};

/*
 * Fork and start the session.  Returns 0 and fills out, or a negative code
 * with out->errmsg set.  The caller owns the returned fds and must reap pid.
 */
int session_start(const struct session_params *p, struct session_proc *out);

/* Set the window size of a pty master. */
int session_window_change(int master, unsigned int cols, unsigned int rows,
    unsigned int xpix, unsigned int ypix);

/*
 * Build the environment of the session (HOME USER LOGNAME SHELL PATH MAIL
 * TERM SSH_CLIENT SSH_CONNECTION SSH_TTY, plus env_extra) as a NULL-ended
 * malloc'd array of malloc'd "NAME=value" strings.  Pure; NULL on ENOMEM.
 */
char **session_env_build(const struct session_params *p, const char *tty);
void session_env_free(char **env);

/*
 * Apply RFC 4254 section 8 encoded terminal modes to *t.  Pure; unknown
 * opcodes below 160 are skipped as the RFC says; parsing stops at
 * TTY_OP_END or an opcode >= 160.  ERR_FORMAT on truncated input.
 */
struct termios;
int ptymodes_apply(struct termios *t, const unsigned char *modes, size_t len);

/* Signal number for an SSH signal name ("INT", "TERM", ...), or -1. */
int session_signal_number(const char *name);
/* SSH signal name for a number ("KILL"...), or NULL. */
const char *session_signal_name(int sig);

#endif
