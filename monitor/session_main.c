/*
 * session_main.c - main() of nsshd-session, the per-connection monitor.
 *
 * The listener execs it for each accepted connection (fresh address space)
 * with the listener's own arguments plus -R: the socket on fds 0 and 1, the
 * listener's MaxStartups pipe on fd 3.  It reads the configuration the same
 * way the listener did and runs the monitor (monitor/monitor.c).
 */
#include "autoconf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/log.h"
#include "monitor/cmdline.h"
#include "monitor/config.h"
#include "monitor/monitor.h"

int
main(int argc, char **argv)
{
	struct cmdline cl;
	struct config cfg;
	char err[512];
	int startup_fd = -1;

	if (cmdline_parse(argc, argv, &cl, err, sizeof(err)) != 0) {
		fprintf(stderr, "nsshd-session: %s\n", err);
		return 255;
	}
	log_init("nsshd", LOG_LVL_INFO, 1);
	if (config_setup(&cl, &cfg, err, sizeof(err)) != 0)
		fatal("%s", err);
	if (cmdline_log_init(&cl, &cfg, "nsshd", err, sizeof(err)) != 0)
		fatal("%s", err);
	if (fcntl(3, F_GETFD) >= 0) {
		startup_fd = 3;
		(void)fcntl(3, F_SETFD, FD_CLOEXEC);
	}
	return monitor_run(&cfg, 0, startup_fd,
	    cl.log_stderr || cl.debug > 0 || cl.logfile != NULL);
}
