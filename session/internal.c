/*
 * internal.c - the programs nsshd serves itself inside a session worker,
 * so that they work in a container image that has none of them: the SFTP
 * server (a command "internal-sftp [options]", from Subsystem or
 * ForceCommand, as sshd has it) and the remote end of the legacy scp
 * protocol ("scp -t ..." / "scp -f ...", when LegacyScp says so or the
 * target has no scp program).  Also ChrootDirectory, with sshd's checks.
 */
#include "autoconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "defaults.h"
#include "session/scp.h"
#include "session/session.h"
#include "session/sftp.h"

int
session_is_internal_sftp(const char *command)
{
	return command != NULL && strncmp(command, "internal-sftp", 13) == 0 &&
	    (command[13] == '\0' || command[13] == ' ' || command[13] == '\t');
}

/* An executable "scp" somewhere in the session's PATH. */
static int
scp_in_path(const struct session_params *p)
{
	char path[sizeof(NSSHD_PATH_ROOT)], *dir, *save = NULL, file[512];

	snprintf(path, sizeof(path), "%s", p->user->uid == 0 ?
	    NSSHD_PATH_ROOT : NSSHD_PATH_DEFAULT);
	for (dir = strtok_r(path, ":", &save); dir != NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		snprintf(file, sizeof(file), "%s/scp", dir);
		if (access(file, X_OK) == 0)
			return 1;
	}
	return 0;
}

void
session_run_internal(const struct session_params *p, char **env)
{
	char **argv;
	int argc, sftp, scp;

	if (p->sftp_only) {
		printf("This service allows sftp connections only.\n");
		fflush(stdout);
		_exit(1);
	}
	if (p->command == NULL)
		return;
	sftp = session_is_internal_sftp(p->command);
	scp = !sftp && scp_command_kind(p->command) > 0 &&
	    (p->legacy_scp == SESSION_SCP_INTERNAL ||
	    (p->legacy_scp == SESSION_SCP_AUTO && !scp_in_path(p)));
	if (!sftp && !scp)
		return;
	environ = env;		/* the session's, as an exec would have */
	if (scp_split_command(p->command, &argv, &argc) != 0)
		return;		/* the shell will say what is wrong */
	_exit(sftp ? sftp_server_main(argc, argv, 0, 1, p->user->name,
	    p->user->home) : scp_server_main(argc, argv, 0, 1, 2));
}

/*
 * Root-owned, not writable by group or others, a directory: as sshd
 * checks, with its log lines ("component" for all but the last).
 */
static int
chroot_component_ok(const char *path, int last)
{
	const char *what = last ? "" : "component ";
	struct stat st;

	if (stat(path, &st) != 0) {
		error("safely_chroot: stat(\"%s\"): %s", path, strerror(errno));
		return 0;
	}
	if (st.st_uid != 0 || (st.st_mode & 022) != 0) {
		error("bad ownership or modes for chroot directory %s\"%s\"",
		    what, path);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		error("chroot path %s\"%s\" is not a directory", what, path);
		return 0;
	}
	return 1;
}

int
session_chroot(const char *dir)
{
	char component[4096];
	const char *cp;

	if (dir[0] != '/' || strlen(dir) >= sizeof(component)) {
		error("chroot path does not begin at root");
		return -1;
	}
	/* "/", "/srv/", ... each with its slash, then the whole path */
	for (cp = dir; (cp = strchr(cp, '/')) != NULL;) {
		cp++;
		memcpy(component, dir, (size_t)(cp - dir));
		component[cp - dir] = '\0';
		if (!chroot_component_ok(component, 0))
			return -1;
	}
	if (!chroot_component_ok(dir, 1))
		return -1;
	if (chdir(dir) != 0 || chroot(".") != 0 || chdir("/") != 0) {
		error("Unable to chroot to \"%s\": %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}
