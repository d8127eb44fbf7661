/*
 * target_probe.c - a test tool: resolve the ContainerTarget that an
 * sshd_config gives USER (Match applied as for a connection from
 * 127.0.0.1 to 127.0.0.1 port 22) with target_resolve(), as the monitor
 * does after authentication, and print the result.  Integration tests use
 * it to check resolution against live engines without logging in.
 *
 *   target_probe CONFIG USER [HOME]
 *
 * Prints "container PID STARTTIME NAME USER" (or "host") and exits 0;
 * prints the message a client would get on stderr and exits 1; exits 2 on
 * a usage or configuration error.
 */
#include "autoconf.h"

#include <stdio.h>

#include "monitor/config.h"
#include "monitor/target_resolve.h"
#include "session/target.h"

static int
load(struct config *c, const char *path, const char *user)
{
	char err[1024];

	config_defaults(c);
	if (config_load_file(c, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	config_finish(c);
	if (config_apply_match(c, user, NULL, "127.0.0.1", "127.0.0.1",
	    22) != 0) {
		fprintf(stderr, "applying Match blocks failed\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct config c;
	struct target t;
	char err[512];
	int r;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: target_probe CONFIG USER [HOME]\n");
		return 2;
	}
	if (load(&c, argv[1], argv[2]) != 0)
		return 2;
	r = target_resolve(&c, argv[2], argc > 3 ? argv[3] : NULL, &t, err,
	    sizeof(err));
	config_free(&c);
	if (r != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (!t.is_container)
		printf("host\n");
	else
		printf("container %d %llu %s %s\n", (int)t.pid, t.starttime,
		    t.name, t.user);
	return 0;
}
