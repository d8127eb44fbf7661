/*
 * sftp_main.c - sftp_server_main(): the internal-sftp command line (as
 * sftp-server(8) takes it), the session's set-up and tear-down around the
 * loop of sftp_server.c.  Options parse into one struct sftp_opts.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "session/passwd_byid.h"
#include "session/sftp.h"
#include "session/sftp_int.h"
#include "session/target.h"

#define SFTP_PIPE_SIZE	(1024 * 1024)	/* asked for; fine if refused */

struct sftp_opts {
	int log_stderr;
	enum log_level level;
	const char *startdir;		/* -d, unexpanded */
	int umask_set;
	mode_t umask;
	int readonly;
	const char *allow, *deny;
};

static void
usage(const char *prog)
{
	fprintf(stderr,
	    "usage: %s [-ehR] [-d start_directory] [-f log_facility] "
	    "[-l log_level]\n\t[-P denied_requests] "
	    "[-p allowed_requests] [-u umask]\n"
	    "       %s -Q protocol_feature\n", prog, prog);
}

static int
parse_umask(const char *s, mode_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 8);
	if (end == s || *end != '\0' || errno != 0 || v < 0 || v > 0777)
		return -1;
	*out = (mode_t)v;
	return 0;
}

/*
 * The command line into *o.  0: serve; 1: error (told on stderr);
 * 2: -Q requests answered on out.
 */
static int
parse_opts(int argc, char **argv, int out, struct sftp_opts *o)
{
	const char *prog = argc > 0 && argv[0] != NULL ? argv[0] :
	    "internal-sftp", *slash;
	int ch;

	if ((slash = strrchr(prog, '/')) != NULL)
		prog = slash + 1;

	memset(o, 0, sizeof(*o));
	o->level = LOG_LVL_ERROR;
#ifdef __GLIBC__
	optind = 0;		/* full reset of glibc's getopt */
#else
	optind = 1;
#endif
	while ((ch = getopt(argc, argv, "+d:f:l:P:p:Q:u:cehR")) != -1) {
		switch (ch) {
		case 'Q':
			if (strcasecmp(optarg, "requests") != 0) {
				fprintf(stderr, "Invalid query type\n");
				return 1;
			}
			sftp_list_requests(out);
			return 2;
		case 'R': o->readonly = 1; break;
		case 'c': return 0;	/* sftp-server: ignore the rest */
		case 'e': o->log_stderr = 1; break;
		case 'f': break;	/* syslog facility: ours is fixed */
		case 'd': o->startdir = optarg; break;
		case 'l':
			if (log_level_parse(optarg, &o->level) != 0)
				error("Invalid log level \"%s\"", optarg);
			break;
		case 'p':
		case 'P':
			if ((ch == 'p' ? o->allow : o->deny) != NULL) {
				fprintf(stderr, "%s requests already set\n",
				    ch == 'p' ? "Permitted" : "Refused");
				return 1;
			}
			*(ch == 'p' ? &o->allow : &o->deny) = optarg;
			break;
		case 'u':
			if (parse_umask(optarg, &o->umask) != 0) {
				fprintf(stderr, "Invalid umask \"%s\"\n",
				    optarg);
				return 1;
			}
			o->umask_set = 1;
			break;
		default:
			usage(prog);
			return 1;
		}
	}
	return 0;
}

/* Append s to out[*n..max); -1 if it does not fit. */
static int
append(char *out, size_t max, size_t *n, const char *s, size_t len)
{
	if (len >= max - *n)
		return -1;
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
	return 0;
}

/* "~", "~/rest", "~user[/rest]" -> the home + rest; else a copy. */
static int
expand_tilde(const char *in, const char *home, char *out, size_t max)
{
	struct user_info u;
	const char *rest = in + 1, *slash;
	char name[128];
	size_t n = 0;
	int r = 0;

	out[0] = '\0';
	if (in[0] != '~')
		return append(out, max, &n, in, strlen(in));
	slash = strchr(rest, '/');
	if (slash == NULL)
		slash = rest + strlen(rest);
	if (slash == rest)
		r = append(out, max, &n, home, strlen(home));
	else {
		if ((size_t)(slash - rest) >= sizeof(name))
			return -1;
		memcpy(name, rest, (size_t)(slash - rest));
		name[slash - rest] = '\0';
		if (target_lookup_user(name, &u) != 0)
			return -1;
		r = append(out, max, &n, u.home, strlen(u.home));
		user_info_free(&u);
	}
	if (r == 0 && *slash == '/' && n > 0 && out[n - 1] == '/')
		slash++;
	return r != 0 ? -1 : append(out, max, &n, slash, strlen(slash));
}

/* -d: ~ first, then %d %u %U %%.  0 or -1 (a message was logged). */
static int
expand_startdir(const char *in, const char *user, const char *home,
    char *out, size_t max)
{
	char tilde[PATH_MAX], uid[32];
	const char *p, *v;
	size_t n = 0;

	if (expand_tilde(in, home, tilde, sizeof(tilde)) != 0) {
		error("Invalid start directory \"%s\"", in);
		return -1;
	}
	snprintf(uid, sizeof(uid), "%llu", (unsigned long long)getuid());
	out[0] = '\0';
	for (p = tilde; *p != '\0'; p++) {
		if (*p != '%') {
			if (append(out, max, &n, p, 1) != 0)
				goto bad;
			continue;
		}
		switch (*++p) {
		case 'd': v = home; break;
		case 'u': v = user; break;
		case 'U': v = uid; break;
		case '%': v = "%"; break;
		default: goto bad;
		}
		if (append(out, max, &n, v, strlen(v)) != 0)
			goto bad;
	}
	return 0;
bad:
	error("Invalid start directory \"%s\"", in);
	return -1;
}

/* Non-blocking, big pipes; the old flags go into *saved. */
static void
prepare_fd(int fd, int *saved)
{
	struct stat sb;

	*saved = fcntl(fd, F_GETFL);
	if (*saved != -1)
		(void)fcntl(fd, F_SETFL, *saved | O_NONBLOCK);
#ifdef F_SETPIPE_SZ
	if (fstat(fd, &sb) == 0 && S_ISFIFO(sb.st_mode) &&
	    fcntl(fd, F_GETPIPE_SZ) < SFTP_PIPE_SIZE)
		(void)fcntl(fd, F_SETPIPE_SZ, SFTP_PIPE_SIZE);
#else
	(void)sb;
#endif
}

static struct sftp_state *
state_new(int in, int out, const char *user, const char *home,
    const struct sftp_opts *o)
{
	struct sftp_state *st = calloc(1, sizeof(*st));

	if (st == NULL || (st->names = idname_new()) == NULL) {
		free(st);
		return NULL;
	}
	st->in = in;
	st->out = out;
	st->user = user;
	st->home = home;
	st->readonly = o->readonly;
	st->allow = o->allow;
	st->deny = o->deny;
	buf_init(&st->ibuf, SFTP_IN_MAX);
	buf_init(&st->obuf, SFTP_OUT_MAX);
	buf_init(&st->wbuf, SFTP_OUT_MAX);
	return st;
}

static void
state_free(struct sftp_state *st)
{
	buf_free(&st->ibuf);
	buf_free(&st->obuf);
	buf_free(&st->wbuf);
	idname_free(st->names);
	free(st->copybuf);
	free(st);
}

/* -d: a bad expansion ends the session (-1), as in sftp-server; a failed
 * chdir is only logged. */
static int
start_dir(const struct sftp_opts *o, const char *user, const char *home)
{
	char dir[PATH_MAX];

	if (o->startdir == NULL)
		return 0;
	if (expand_startdir(o->startdir, user, home, dir, sizeof(dir)) != 0)
		return -1;
	if (chdir(dir) != 0)
		error("chdir to \"%s\" failed: %s", dir, strerror(errno));
	return 0;
}

/* " from [ADDR]" when SSH_CONNECTION names the client (as sftp-server
 * logs it), else "". */
static void
client_addr(char *out, size_t max)
{
	const char *c = getenv("SSH_CONNECTION"), *sp;

	out[0] = '\0';
	if (c != NULL && (sp = strchr(c, ' ')) != NULL && sp > c &&
	    (size_t)(sp - c) < max - 9)
		snprintf(out, max, " from [%.*s]", (int)(sp - c), c);
}

/* Serve with in/out non-blocking and SIGPIPE ignored, then put both back. */
static int
serve(struct sftp_state *st)
{
	struct sigaction sa, old_sa;
	int rc, in_flags, out_flags;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_sa);
	prepare_fd(st->in, &in_flags);
	prepare_fd(st->out, &out_flags);
	rc = sftp_serve(st);
	if (out_flags != -1)
		(void)fcntl(st->out, F_SETFL, out_flags);
	if (in_flags != -1)
		(void)fcntl(st->in, F_SETFL, in_flags);
	sigaction(SIGPIPE, &old_sa, NULL);
	return rc;
}

int
sftp_server_main(int argc, char **argv, int in, int out, const char *user,
    const char *home)
{
	struct sftp_opts o;
	struct sftp_state *st;
	enum log_level old_level = log_get_level();
	int rc;

	if ((rc = parse_opts(argc, argv, out, &o)) != 0)
		return rc == 2 ? 0 : 1;
	if (o.log_stderr)
		log_init("internal-sftp", o.level, 1);
	else if (old_level != LOG_LVL_QUIET)
		log_set_level(o.level);
	if (o.umask_set)
		(void)umask(o.umask);
	if ((st = state_new(in, out, user, home, &o)) == NULL) {
		error("sftp: out of memory");
		rc = 1;
		goto out;
	}
	client_addr(st->from, sizeof(st->from));
	logit("session opened for local user %s%s", user, st->from);
	rc = start_dir(&o, user, home) == 0 ? serve(st) : 1;
	sftp_handles_close_all(st);
	logit("session closed for local user %s%s", user, st->from);
	state_free(st);
out:
	if (!o.log_stderr && old_level != LOG_LVL_QUIET)
		log_set_level(old_level);
	return rc;
}
