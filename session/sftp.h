/*
 * sftp.h - nsshd's internal SFTP server ("internal-sftp"): SFTP version 3
 * with OpenSSH's extensions, served in a session worker that already runs
 * as the user (inside the target container when there is one, chrooted
 * when ChrootDirectory says so, in the user's home).  It never executes
 * anything, so it works in an image without sftp-server.
 *
 * Files: sftp_server.c (options, the loop, dispatch with the -R/-P/-p
 * checks), sftp_files.c (handles, open/read/write/close, stat family),
 * sftp_dirs.c (directories, long names, path requests), sftp_ext.c (the
 * @openssh.com and other extensions); the wire codec is proto/sftp_msg.c
 * and user/group names come from session/passwd_byid.c (never NSS).
 */
#ifndef NSSHD_SFTP_H
#define NSSHD_SFTP_H

/*
 * sftp_server_main - serve SFTP on in/out until EOF on in.  argv is the
 * internal-sftp command line (argv[0] "internal-sftp"), options as
 * sftp-server(8) has them:
 *   -d DIR   start directory (%d home, %u user name, %U uid, %% a '%';
 *            a leading ~ or ~/ is the home; a failed chdir is logged)
 *   -e       log to stderr      -f FACILITY  accepted, ignored
 *   -l LEVEL log level (default ERROR; INFO logs every operation with
 *            sftp-server's lines; VERBOSE adds stat/realpath/...)
 *   -P LIST / -p LIST   comma-separated request names refused / the only
 *            ones allowed (names as -Q requests prints them; the full
 *            extension name, e.g. "posix-rename@openssh.com", works too)
 *   -R       read-only: every request that writes gets PERMISSION_DENIED
 *   -u UMASK octal umask for files and directories created
 *   -Q requests  print the request names on out, one a line, and return 0
 *   -h, -c   usage (returns 1); -c is sftp-server's "ignore the rest"
 * home: the user's home directory (home-directory, expand-path "~",
 * -d %d); user: the login name (log lines, -d %u).  Neither is kept past
 * the call.
 *
 * in and out are made non-blocking for the call (their old flags are put
 * back), and SIGPIPE is ignored while it runs.  Log lines go through
 * common/log.h at the level of -l; a process whose logging was closed
 * (log_close(): level QUIET) stays quiet unless -e is given.
 *
 * Returns the exit status: 0 at EOF on in (pending replies are written
 * first, as far as the peer takes them); 1 on bad options, a protocol
 * error (a packet longer than 256 KiB, a request before INIT, a packet
 * too short to hold an id), or a read/write error on in/out.
 */
int sftp_server_main(int argc, char **argv, int in, int out,
    const char *user, const char *home);

#endif
