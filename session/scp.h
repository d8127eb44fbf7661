/*
 * scp.h - nsshd's internal server for the legacy scp protocol (scp -O,
 * pscp -scp), for targets without an scp program.  A session worker that
 * runs as the user (inside the container if any, cwd = the home directory)
 * gets an exec command such as "scp -r -p -t dir", splits it with
 * scp_split_command() and calls scp_server_main() on the channel's pipes
 * instead of exec'ing anything.  The server behaves as the remote end of
 * OpenSSH's scp (its -t sink and -f source), with the same records,
 * answers, warnings ("scp: PATH: No such file or directory"), file modes,
 * times and exit statuses.
 *
 * Files: scp_cmd.c (splitting the command), scp_opts.c (options,
 * classification), scp_server.c (entry point, I/O, answers), scp_sink.c
 * (-t), scp_source.c (-f); the records are parsed by proto/scp_msg.c.
 */
#ifndef NSSHD_SESSION_SCP_H
#define NSSHD_SESSION_SCP_H

/* --- scp_cmd.c --- */

/*
 * Split an exec command line into words the way a POSIX shell would for
 * the simple commands scp clients send: blanks separate words; '...',
 * "..." and backslashes quote as in sh (inside "..." a backslash escapes
 * only $ ` " \ and newline; backslash-newline is removed); then
 *  - a word starting with an unquoted "~" or "~/" gets $HOME for the "~"
 *    (tilde expansion; "~user" is refused);
 *  - a word with an unquoted *, ? or [ is a pattern, expanded with glob(3)
 *    against the file system (relative to the current directory), sorted;
 *    a pattern that matches nothing stays as the literal word, as in sh.
 * Anything else a shell would treat specially is refused with ERR_FORMAT
 * so that the caller can fall back to running a real shell: unquoted
 * | & ; < > ( ) $ ` { and newline, a '#' starting a word (a comment), $ or
 * ` inside "...", an unterminated quote, a trailing backslash, and "~"
 * with HOME unset or empty.
 *
 * The function is pure (no file system, no environment) unless a word
 * needs tilde or pathname expansion, so call it where the command would
 * run: in the worker, as the user, inside the target.  scp_command_kind()
 * classifies a command without expanding anything.
 *
 * On success *argvp is a NULL-terminated array of *argcp (>= 0) strings,
 * owned by the caller (free with scp_argv_free).  Errors: ERR_FORMAT (see
 * above), ERR_LENGTH (the command is longer than SCP_CMD_MAX bytes),
 * ERR_TOOMANY (more than SCP_ARGS_MAX words after expansion), ERR_ALLOC.
 * On failure *argvp is NULL and *argcp 0.
 */
#define SCP_CMD_MAX	(256 * 1024)
#define SCP_ARGS_MAX	65536
int scp_split_command(const char *cmd, char ***argvp, int *argcp);
/* Free an argv from scp_split_command (or scp_cmd_tokenize); NULL is ok. */
void scp_argv_free(char **argv);

/*
 * The pure first half of scp_split_command: the words with quotes removed
 * and no expansion.  For word i, pat[i] is NULL, or the glob(3) pattern
 * when the word has unquoted *, ? or [ (quoted characters escaped with a
 * backslash), and tilde[i] is 1 when the word began with an unquoted "~"
 * or "~/" (argv[i] and pat[i] then hold what follows the "~").  Same
 * errors as scp_split_command, except that "~" is never refused here.
 * Free with scp_cmd_free; on failure *out is empty.
 */
struct scp_cmd {
	char **argv;		/* NULL-terminated */
	int argc;
	char **pat;		/* argc entries, each NULL or a pattern */
	unsigned char *tilde;	/* argc entries */
};
int scp_cmd_tokenize(const char *cmd, struct scp_cmd *out);
void scp_cmd_free(struct scp_cmd *c);

/* --- scp_opts.c --- */

/* The server's options, parsed as OpenSSH's scp (getopt) parses them. */
struct scp_opts {
	int sink;		/* -t */
	int source;		/* -f */
	int recursive;		/* -r */
	int preserve;		/* -p */
	int targetdir;		/* -d */
	int verbose;		/* -v */
	int first_operand;	/* index in argv of the first operand */
};

/*
 * Parse argv (argv[0] is the program) with scp's option letters
 * "12346ABCTdfOpqRrstvD:F:J:M:P:S:c:i:l:o:X:": the server flags above are
 * kept, every other option (and its argument) is accepted and ignored,
 * as the remote scp ignores them (-l, -P, -X values are not checked).  As
 * glibc's getopt does, options may follow operands until "--": argv is
 * permuted in place so that the operands come last, in their order, from
 * o->first_operand on.  Returns 0; ERR_ALLOC; ERR_FORMAT with msg
 * (msglen bytes) set to getopt's complaint ("invalid option -- 'z'",
 * "option requires an argument -- 'o'"); or ERR_PROTO for -1 (msg: "SSH
 * protocol v.1 is no longer supported").  On failure argv is unchanged.
 */
int scp_parse_opts(int argc, char **argv, struct scp_opts *o, char *msg,
    unsigned long msglen);

/*
 * Classify an exec command without expanding anything: SCP_CMD_SINK for
 * "scp ... -t ...", SCP_CMD_SOURCE for "scp ... -f ..." (argv[0] "scp" or
 * a path ending in "/scp"; -f wins if both are given, as in scp), 0 for
 * any other command, ERR_FORMAT (and the other scp_cmd_tokenize errors)
 * when the command cannot be split, or bad options were given.  Pure.
 */
#define SCP_CMD_SINK	1
#define SCP_CMD_SOURCE	2
int scp_command_kind(const char *cmd);

/* --- scp_server.c --- */

/*
 * Run the remote end of the legacy scp protocol on the descriptors in
 * (client to us), out (us to client) and err (messages for the client's
 * stderr).  argv is the command as scp_split_command gives it (argv[0]
 * "scp"), argc its length; its pointers may be reordered (scp_parse_opts)
 * but are neither freed nor changed.  Never execs anything; reads and
 * writes files with the caller's credentials and current directory (the
 * input is spliced into files when it is a pipe, files are sent with
 * sendfile; both fall back to read/write).  While it runs,
 * SIGPIPE is ignored (a vanished client is a write error) and, with -p,
 * the umask is 0, as in scp; both are restored before it returns.  The
 * descriptors are not closed.  in and out may be non-blocking.
 *
 * Returns the exit status scp would have: 0, 1 (errors were reported to
 * the client, a usage error, or the connection was lost) or 255 (-1).
 */
int scp_server_main(int argc, char **argv, int in, int out, int err);

#endif
