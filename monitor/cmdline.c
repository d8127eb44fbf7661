/*
 * cmdline.c - sshd's command line and config_setup() (see cmdline.h).
 *
 * The parser is a small getopt without global state: flags may be bundled
 * ("-De"), an option's argument may be attached ("-p2222") or the next
 * word; "--" ends the options; any other word is an error, as in sshd.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "defaults.h"
#include "monitor/cmdline.h"

static const char usage_text[] =
    "usage: nsshd [-46DdeiqTtV] [-C connection_spec] [-c host_cert_file]\n"
    "            [-E log_file] [-f config_file] [-g login_grace_time]\n"
    "            [-h host_key_file] [-o option] [-p port] [-u len]\n";

const char *
cmdline_usage(void)
{
	return usage_text;
}

static int
cl_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
cl_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ERR_CONFIG;
}

static int
parse_port(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	return *end != '\0' || v < 1 || v > 65535 ? -1 : (int)v;
}

/* A flag without argument; 0, or -1 if c is not one. */
static int
cl_flag(struct cmdline *cl, char ch)
{
	switch (ch) {
	case '4': cl->family = AF_INET; break;
	case '6': cl->family = AF_INET6; break;
	case 'D': cl->foreground = 1; break;
	case 'd': if (cl->debug < 3) cl->debug++; break;
	case 'e': cl->log_stderr = 1; break;
	case 'i': cl->inetd = 1; break;
	case 'q': cl->quiet = 1; break;
	case 'R': cl->reexec = 1; break;
	case 'r': break;			/* no re-exec: ignored */
	case 'T': cl->dump = 1; break;
	case 't': cl->test = 1; break;
	case 'V': cl->version = 1; break;
	case 'G': cl->dump = 1; break;
	default: return -1;
	}
	return 0;
}

static int
cl_push(const char **v, int *n, int max, const char *a, const char *what,
    char *err, size_t errlen)
{
	if (*n >= max)
		return cl_err(err, errlen, "too many %s.", what);
	v[(*n)++] = a;
	return 0;
}

/* An option with argument a. */
static int
cl_option(struct cmdline *cl, char ch, const char *a, char *err,
    size_t errlen)
{
	int port;

	switch (ch) {
	case 'C':
		return cl_push(cl->specs, &cl->nspecs, CMDLINE_MAX_SPECS, a,
		    "-C options", err, errlen);
	case 'c':
		return cl_push(cl->certs, &cl->ncerts, CONFIG_MAX_HOSTKEYS, a,
		    "host certificates", err, errlen);
	case 'E': cl->logfile = a; return 0;
	case 'f': cl->config_file = a; return 0;
	case 'g': cl->login_grace = a; return 0;
	case 'h':
		return cl_push(cl->hostkeys, &cl->nhostkeys,
		    CONFIG_MAX_HOSTKEYS, a, "host keys", err, errlen);
	case 'o':
		return cl_push(cl->opts, &cl->nopts, CMDLINE_MAX_OPTS, a,
		    "-o options", err, errlen);
	case 'p':
		if ((port = parse_port(a)) < 0)
			return cl_err(err, errlen, "Bad port number.");
		if (cl->nports >= CONFIG_MAX_LISTEN)
			return cl_err(err, errlen, "too many ports.");
		cl->ports[cl->nports++] = port;
		return 0;
	case 'b': case 'k': case 'u':
		return 0;			/* obsolete / utmp length */
	}
	return cl_err(err, errlen, "unknown option -- %c", ch);
}

static int
takes_arg(char ch)
{
	return strchr("CEbcfghkopu", ch) != NULL;
}

int
cmdline_parse(int argc, char **argv, struct cmdline *cl, char *err,
    size_t errlen)
{
	const char *w, *a;
	int i, r;

	memset(cl, 0, sizeof(*cl));
	cl->argc = argc;
	cl->argv = argv;
	for (i = 1; i < argc; i++) {
		w = argv[i];
		if (strcmp(w, "--") == 0) {
			i++;
			break;
		}
		if (w[0] != '-' || w[1] == '\0')
			break;
		for (w++; *w != '\0'; w++) {
			if (!takes_arg(*w)) {
				if (cl_flag(cl, *w) != 0)
					return cl_err(err, errlen,
					    "unknown option -- %c", *w);
				continue;
			}
			if (w[1] == '\0' && i + 1 >= argc)
				return cl_err(err, errlen, "option requires an "
				    "argument -- %c", *w);
			a = w[1] != '\0' ? w + 1 : argv[++i];
			if ((r = cl_option(cl, *w, a, err, errlen)) != 0)
				return r;
			break;
		}
	}
	if (i < argc)
		return cl_err(err, errlen, "Extra argument %s.", argv[i]);
	return 0;
}

static int
spec_copy(char *dst, size_t n, const char *v, int *have)
{
	if (strlen(v) >= n)
		return -1;
	strcpy(dst, v);
	*have = 1;
	return 0;
}

static int
spec_item(struct conn_spec *cs, const char *p)
{
	if (strncmp(p, "user=", 5) == 0)
		return spec_copy(cs->user, sizeof(cs->user), p + 5,
		    &cs->have_user);
	if (strncmp(p, "host=", 5) == 0)
		return spec_copy(cs->host, sizeof(cs->host), p + 5,
		    &cs->have_host);
	if (strncmp(p, "addr=", 5) == 0)
		return spec_copy(cs->addr, sizeof(cs->addr), p + 5,
		    &cs->have_addr);
	if (strncmp(p, "laddr=", 6) == 0)
		return spec_copy(cs->laddr, sizeof(cs->laddr), p + 6,
		    &cs->have_laddr);
	if (strncmp(p, "lport=", 6) == 0)
		return (cs->lport = parse_port(p + 6)) < 0 ? -1 : 0;
	if (strncmp(p, "rdomain=", 8) == 0)
		return 0;
	return -1;
}

int
cmdline_conn_spec(const struct cmdline *cl, struct conn_spec *cs, char *err,
    size_t errlen)
{
	char buf[1024], *cp, *p;
	int i;

	memset(cs, 0, sizeof(*cs));
	for (i = 0; i < cl->nspecs; i++) {
		snprintf(buf, sizeof(buf), "%s", cl->specs[i]);
		for (cp = buf; (p = strsep(&cp, ",")) != NULL;)
			if (*p != '\0' && spec_item(cs, p) != 0)
				return cl_err(err, errlen, "Invalid test mode "
				    "specification %s", p);
	}
	return 0;
}

void
config_note_log(int level, const char *msg)
{
	switch (level) {
	case LOG_LVL_ERROR: error("%s", msg); break;
	case LOG_LVL_INFO: logit("%s", msg); break;
	case LOG_LVL_VERBOSE: verbose("%s", msg); break;
	case LOG_LVL_DEBUG2: debug2("%s", msg); break;
	case LOG_LVL_DEBUG3: debug3("%s", msg); break;
	default: debug("%s", msg); break;
	}
}

/* -d/-q, -4/-6, -g, -p, -h, -c: what sshd sets before reading the file. */
static int
setup_flags(const struct cmdline *cl, struct config *c, char *err,
    size_t errlen)
{
	char opt[64];
	int i, r = 0;

	if (cl->debug > 0 || cl->quiet) {
		snprintf(opt, sizeof(opt), "LogLevel %s", cl->debug ?
		    log_level_name(LOG_LVL_DEBUG1 + cl->debug - 1) : "QUIET");
		r = config_parse_option(c, opt, err, errlen);
	}
	if (r == 0 && cl->family != 0)
		r = config_parse_option(c, cl->family == AF_INET ?
		    "AddressFamily inet" : "AddressFamily inet6", err, errlen);
	if (r == 0 && cl->login_grace != NULL) {
		snprintf(opt, sizeof(opt), "LoginGraceTime %.40s",
		    cl->login_grace);
		r = config_parse_option(c, opt, err, errlen);
	}
	for (i = 0; r == 0 && i < cl->nports; i++)
		if ((r = config_add_port(c, cl->ports[i])) != 0)
			cl_err(err, errlen, "too many ports.");
	for (i = 0; r == 0 && i < cl->nhostkeys; i++)
		if ((r = config_add_hostkey(c, cl->hostkeys[i])) != 0)
			cl_err(err, errlen, "too many host keys.");
	for (i = 0; i < cl->ncerts; i++)
		c->note(LOG_LVL_INFO, "host certificates (-c) are not "
		    "supported by nsshd; ignored");
	return r;
}

static int
setup_file(const struct cmdline *cl, struct config *c, char *err,
    size_t errlen)
{
	int r;

	if (cl->config_file != NULL && strcmp(cl->config_file, "none") == 0) {
		config_embedded(c);
		return 0;
	}
	r = config_load_file(c, cl->config_file ? cl->config_file :
	    NSSHD_CONFIG_FILE, err, errlen);
	if (r == ERR_NOTFOUND && cl->config_file == NULL) {
		c->note(LOG_LVL_INFO, NSSHD_CONFIG_FILE " does not exist; "
		    "using the embedded default configuration");
		config_embedded(c);
		return 0;
	}
	return r;
}

int
config_setup(const struct cmdline *cl, struct config *c, char *err,
    size_t errlen)
{
	int i, r;

	config_defaults(c);
	c->note = config_note_log;
	r = setup_flags(cl, c, err, errlen);
	for (i = 0; r == 0 && i < cl->nopts; i++)
		r = config_parse_option(c, cl->opts[i], err, errlen);
	if (r == 0)
		r = setup_file(cl, c, err, errlen);
	if (r != 0) {
		config_free(c);
		return r;
	}
	config_finish(c);
	return 0;
}

int
cmdline_log_init(const struct cmdline *cl, const struct config *c,
    const char *ident, char *err, size_t errlen)
{
	int fd, to_stderr = cl->debug > 0 || cl->log_stderr;

	if (cl->logfile != NULL) {
		fd = open(cl->logfile, O_WRONLY | O_APPEND | O_CREAT |
		    O_CLOEXEC | O_NOCTTY, 0600);
		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0) {
			snprintf(err, errlen, "Couldn't open logfile %s: %s",
			    cl->logfile, strerror(errno));
			if (fd >= 0)
				close(fd);
			return ERR_SYS;
		}
		if (fd != STDERR_FILENO)
			close(fd);
		to_stderr = 1;
	}
	log_init(ident, (enum log_level)c->log_level, to_stderr);
	return 0;
}
