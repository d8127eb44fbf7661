/*
 * cmdline.h - sshd's command line, and the configuration it leads to.
 *
 * cmdline_parse() reads "-46DdeiqRrTtV -C spec -c cert -E log -f file
 * -g time -h key -o option -p port -u len" (sshd's set, plus -R: "started
 * by the listener") into a struct cmdline that points into argv and keeps
 * it for re-exec.  config_setup() then builds the runtime configuration
 * exactly as both nsshd (listener) and nsshd-session do: -d/-q, -4/-6, -g,
 * -p and -h first, then the -o options in order, then the file (first
 * value wins, so these override it), then config_finish().
 */
#ifndef NSSHD_CMDLINE_H
#define NSSHD_CMDLINE_H

#include <stddef.h>

#include "monitor/config.h"

#define CMDLINE_MAX_OPTS	64
#define CMDLINE_MAX_SPECS	8

struct cmdline {
	int argc;
	char **argv;		/* the original argv; not copied, must outlive */
	int foreground;		/* -D */
	int debug;		/* number of -d, at most 3 */
	int log_stderr;		/* -e */
	int quiet;		/* -q */
	int test;		/* -t */
	int dump;		/* -T */
	int inetd;		/* -i */
	int reexec;		/* -R: we are a per-connection nsshd-session */
	int version;		/* -V */
	int family;		/* -4: AF_INET, -6: AF_INET6, else 0 */
	const char *config_file;	/* -f; NULL = NSSHD_CONFIG_FILE */
	const char *logfile;		/* -E */
	const char *login_grace;	/* -g */
	const char *hostkeys[CONFIG_MAX_HOSTKEYS];	/* -h */
	int nhostkeys;
	const char *certs[CONFIG_MAX_HOSTKEYS];	/* -c: not supported */
	int ncerts;
	int ports[CONFIG_MAX_LISTEN];		/* -p */
	int nports;
	const char *opts[CMDLINE_MAX_OPTS];	/* -o, in order */
	int nopts;
	const char *specs[CMDLINE_MAX_SPECS];	/* -C */
	int nspecs;
};

/* A -C connection specification (for -T). */
struct conn_spec {
	char user[256];
	char host[256];
	char addr[64];
	char laddr[64];
	int lport;		/* 0 = not given */
	int have_user, have_host, have_addr, have_laddr;
};

/*
 * Parse argv.  0, or ERR_CONFIG with a one-line reason in err (the caller
 * prints it and cmdline_usage()).  cl points into argv afterwards.
 */
int cmdline_parse(int argc, char **argv, struct cmdline *cl, char *err,
    size_t errlen);
/* sshd's usage text (several lines, ends with a newline). */
const char *cmdline_usage(void);
/* Parse the -C specifications.  0 or ERR_CONFIG with err set. */
int cmdline_conn_spec(const struct cmdline *cl, struct conn_spec *cs,
    char *err, size_t errlen);

/*
 * Build c from the command line and the configuration file (-f FILE, the
 * default NSSHD_CONFIG_FILE, or "-f none" for the embedded default; a
 * missing default file also gives the embedded default, with a note).
 * c must hold no memory; on success it owns memory (config_free).  Installs
 * config_note_log as c->note.  0, or a negative code with err set ("FILE
 * line N: ..."); c is freed on failure.
 */
int config_setup(const struct cmdline *cl, struct config *c, char *err,
    size_t errlen);

/* The note hook config_setup() installs: logs msg at level. */
void config_note_log(int level, const char *msg);

/*
 * Set up logging for this process as sshd does: level from c->log_level
 * (which includes -d/-q), to stderr with -d, -e or -E (-E FILE appends to
 * FILE, made our stderr), else syslog.  ident e.g. "nsshd".  0 or ERR_SYS
 * with err set.
 */
int cmdline_log_init(const struct cmdline *cl, const struct config *c,
    const char *ident, char *err, size_t errlen);

#endif
