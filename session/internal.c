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
session_run_internal(const struct session_params *p)
{
	char **argv;
	int argc, rc;

	if (p->command == NULL || scp_split_command(p->command, &argv,
	    &argc) != 0)
		return;
	if (session_is_internal_sftp(p->command)) {
		rc = sftp_server_main(argc, argv, 0, 1, p->user->name,
		    p->user->home);
		_exit(rc);
	}
	if (scp_command_kind(p->command) > 0 &&
	    (p->legacy_scp == SESSION_SCP_INTERNAL ||
	    (p->legacy_scp == SESSION_SCP_AUTO && !scp_in_path(p)))) {
		rc = scp_server_main(argc, argv, 0, 1, 2);
		_exit(rc);
	}
	scp_argv_free(argv);
}

/* Root-owned, not writable by group or others, a directory: as sshd. */
static int
chroot_component_ok(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "Unable to chroot: stat(\"%s\"): %s\n", path,
		    strerror(errno));
		return 0;
	}
	if (st.st_uid != 0 || (st.st_mode & 022) != 0) {
		fprintf(stderr, "bad ownership or modes for chroot directory "
		    "%s\"%s\"\n", path[1] == '\0' ? "" : "component ", path);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "chroot path \"%s\" is not a directory\n", path);
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
		fprintf(stderr, "chroot path does not begin at root\n");
		return -1;
	}
	for (cp = dir; cp != NULL; cp = strchr(cp + 1, '/')) {
		memcpy(component, dir, (size_t)(cp - dir));
		component[cp - dir] = '\0';
		if (!chroot_component_ok(component[0] ? component : "/"))
			return -1;
	}
	if (!chroot_component_ok(dir))
		return -1;
	if (chdir(dir) != 0 || chroot(".") != 0 || chdir("/") != 0) {
		fprintf(stderr, "Unable to chroot to \"%s\": %s\n", dir,
		    strerror(errno));
		return -1;
	}
	return 0;
}
