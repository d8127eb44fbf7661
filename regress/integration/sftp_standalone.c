/*
 * sftp_standalone.c - a test tool: nsshd's internal SFTP server on stdin
 * and stdout, with no SSH server around it, so that the stock OpenSSH
 * client (sftp -D PROGRAM, which runs PROGRAM on a pipe) or any SFTP
 * library can drive it directly:
 *
 *   sftp -D "sftp_standalone -l INFO" -b batchfile
 *
 * Arguments are internal-sftp's (see session/sftp.h).  The user is $USER
 * (else the name of the real uid), the home $HOME (else that user's home);
 * log lines go to stderr.  Exits with sftp_server_main()'s status.
 */
#include "autoconf.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/log.h"
#include "session/sftp.h"

int
main(int argc, char **argv)
{
	const char *user = getenv("USER"), *home = getenv("HOME");
	struct passwd *pw = NULL;

	/* A test tool on the host: NSS is fine here. */
	if ((user == NULL || home == NULL) && (pw = getpwuid(getuid())) == NULL) {
		fprintf(stderr, "sftp_standalone: who am I?\n");
		return 1;
	}
	if (user == NULL)
		user = pw->pw_name;
	if (home == NULL)
		home = pw->pw_dir;
	log_init("internal-sftp", LOG_LVL_ERROR, 1);
	return sftp_server_main(argc, argv, 0, 1, user, home);
}
