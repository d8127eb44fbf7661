/*
 * sftp.h - nsshd's internal SFTP server ("internal-sftp"): SFTP version 3
 * with OpenSSH's extensions, served in a session worker that already runs
 * as the user (inside the target container when there is one, chrooted
 * when ChrootDirectory says so, in the user's home).  It never executes
 * anything, so it works in an image without sftp-server.
 *
 * Files: sftp_main.c (options, set-up), sftp_server.c (the loop, dispatch
 * with the -R/-P/-p checks), sftp_files.c (handles, open/read/write/close,
 * stat family), sftp_dirs.c (directories, long names, path requests),
 * sftp_ext.c (the @openssh.com and other extensions), sftp_int.h (what
 * they share); the wire codec is proto/sftp_msg.h, and user and group
 * names come from session/passwd_byid.h (never NSS).
 */
#ifndef NSSHD_SFTP_H
#define NSSHD_SFTP_H

/*
 * sftp_server_main - serve SFTP on in/out until EOF on in.  argv is the
 * internal-sftp command line (argv[0] "internal-sftp"), options as
 * sftp-server(8) has them:
 *   -d DIR   start directory: a leading "~" or "~/" is the home, "~USER"
 *            that user's (from the current root's /etc/passwd); then %d
 *            the home, %u the user name, %U the uid, %% a '%'.  A bad
 *            token or unknown user ends the session (1); a failed chdir
 *            is only logged (sftp-server does both)
 *   -e       log to stderr (log_init(), for good)
 *   -f FACILITY  accepted, ignored (the process's syslog set-up stays)
 *   -l LEVEL log level (default ERROR; INFO logs every operation with
 *            sftp-server's lines; VERBOSE adds stat/realpath/...)
 *   -P LIST / -p LIST   comma-separated request names refused / the only
 *            ones allowed (names as -Q requests prints them; the full
 *            extension name, e.g. "posix-rename@openssh.com", works too);
 *            refused extensions are not advertised in VERSION
 *   -R       read-only: every request that writes gets PERMISSION_DENIED
 *   -u UMASK octal umask for what is created (set for the process)
 *   -Q requests  print the request names on out, one a line, and return 0
 *   -c       ignore the arguments after it (sftp-server's -c)
 *   -h or an unknown option: usage on stderr; a bad -u or -Q value, a
 *            second -p or -P: a message on stderr; all return 1 (a bad
 *            -l level is logged and ignored, as sftp-server does)
 * home: the user's home directory (home-directory with an empty name, -d
 * ~ and %d); user: the login name (log lines, -d %u).  Neither is kept
 * past the call.  expand-path "~" is the start directory, as in
 * sftp-server.  The session's first and last log lines are sftp-server's
 * "session opened/closed for local user USER", with " from [ADDR]" when
 * the environment has SSH_CONNECTION.
 *
 * in and out are made non-blocking for the call (their old flags are put
 * back), and SIGPIPE is ignored while it runs.  Log lines go through
 * common/log.h at the level of -l; a process whose logging was closed
 * (log_close(): level QUIET) stays quiet unless -e is given.
 *
 * Returns the exit status: 0 at EOF on in (pending replies are written
 * first, as far as the peer takes them) or when the peer stops reading
 * (EPIPE, as sftp-server); 1 on bad options, a protocol
 * error (a packet longer than 256 KiB, a request before INIT, a packet
 * too short to hold an id), or a read/write error on in/out.
 */
int sftp_server_main(int argc, char **argv, int in, int out,
    const char *user, const char *home);

#endif
