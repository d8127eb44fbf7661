/*
 * scp_standalone.c - a test tool: the internal scp server on this
 * process's stdin, stdout and stderr, for driving it with a stock scp
 * client without any SSH server:
 *
 *   scp -O -S fake-ssh ...	where fake-ssh runs
 *   scp_standalone "$REMOTE_COMMAND"
 *
 * The command is split with scp_split_command() and served by
 * scp_server_main(), as the session worker does.  Exits with the server's
 * status; 2 if the command cannot be split or is not an scp command.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "session/scp.h"

int
main(int argc, char **argv)
{
	char **av;
	int ac, r, kind;

	if (argc != 2) {
		fprintf(stderr, "usage: scp_standalone 'scp -t|-f ...'\n");
		return 2;
	}
	kind = scp_command_kind(argv[1]);
	if (kind != SCP_CMD_SINK && kind != SCP_CMD_SOURCE) {
		fprintf(stderr, "scp_standalone: not an scp server command "
		    "(%s): %s\n", kind < 0 ? err_str(kind) : "other", argv[1]);
		return 2;
	}
	if ((r = scp_split_command(argv[1], &av, &ac)) != 0) {
		fprintf(stderr, "scp_standalone: cannot split: %s\n",
		    err_str(r));
		return 2;
	}
	r = scp_server_main(ac, av, STDIN_FILENO, STDOUT_FILENO,
	    STDERR_FILENO);
	scp_argv_free(av);
	return r;
}
