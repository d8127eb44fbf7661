/*
 * config.c - the sshd_config parser (see config.h).
 *
 * One table row per keyword sshd 9.2 (with Debian's patches) knows: its
 * handler, where the value is stored, whether it is allowed in a Match
 * block.  A line is split as sshd does (strdelim for the keyword, argv_split
 * with quotes and comments for the arguments), the handler checks the value
 * and stores it unless the keyword was set already (first value wins).
 * Match blocks keep their lines as text; config_apply_match() parses the
 * matching ones into an overlay and copies what the overlay set.  Nothing
 * here logs: notes go through c->note when the caller installed one.
 */
#include "autoconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "defaults.h"
#include "monitor/config.h"
#include "session/target.h"

#define WS " \t\r\n"
#define CONFIG_FILE_MAX	(16u << 20)

/* ------------------------------------------------------------ structures */

enum match_type {
	MC_ALL, MC_USER, MC_GROUP, MC_HOST, MC_ADDRESS, MC_LADDRESS,
	MC_LPORT, MC_RDOMAIN,
};

struct match_crit {
	int type;
	char *arg;
};

struct match_line {
	char *text;		/* the whole line as written */
	char *file;
	int line;
};

struct config_match {
	struct match_crit *crit;
	int ncrit;
	struct match_line *lines;
	int nlines;
};

/* One line being parsed. */
struct pctx {
	struct config *c;	/* values go here */
	const char *file;
	int line;
	int depth;		/* Include nesting */
	int cmdline;		/* a -o option */
	int active;		/* store values (0: check syntax only) */
	int in_match;		/* inside a Match block */
	int block;		/* index of the block lines are recorded in */
	int inc_parent;		/* block that included this file, or -1 */
	int inc_active;		/* was the including context active? */
	char *err;
	size_t errlen;
	const char *kwtext;	/* the keyword as written */
	char *raw;		/* the text after the keyword */
	char **av;
	int ac, ai;
};

struct kw;
typedef int (*kw_fn)(struct pctx *, const struct kw *);

enum { ST_NONE, ST_INT, ST_STR, ST_LIST };
#define KWF_MATCH	1	/* allowed in a Match block */

struct kenum {
	const char *name;
	int val;
};

struct kw {
	const char *name;	/* lower-case */
	kw_fn fn;		/* NULL: alias of canon */
	unsigned char store;
	unsigned char flags;
	size_t off, noff;	/* value / count offsets in struct config */
	int max;		/* list capacity */
	const void *aux;	/* enum table, algorithm list, ... */
	const char *canon;	/* aliases: the row they stand for */
};

struct alginfo {
	const char *const *names;
	int wildcard;		/* patterns allowed (key type lists) */
	const char *what;	/* error text before the quoted value */
};

/* ------------------------------------------------------- small helpers */

static char *
xstrdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

static int
perr(struct pctx *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
perr(struct pctx *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err != NULL && p->errlen > 0)
		snprintf(p->err, p->errlen, "%s line %d: %s", p->file, p->line,
		    msg);
	return ERR_CONFIG;
}

static void
pnote(struct pctx *p, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pnote(struct pctx *p, int level, const char *fmt, ...)
{
	char msg[512], line[600];
	va_list ap;

	if (p->c->note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s line %d: %s", p->file, p->line, msg);
	p->c->note(level, line);
}

static const char *
arg_next(struct pctx *p)
{
	if (p->ai >= p->ac)
		return NULL;
	return p->av[p->ai++];
}

static void *
field(struct config *c, size_t off)
{
	return (char *)c + off;
}

/* Parse a decimal integer 0..INT_MAX; NULL or sshd's atoi_err() text. */
static const char *
parse_int(const char *s, int *out)
{
	long long v = 0;

	*out = 0;
	if (s == NULL || *s == '\0')
		return "missing";
	if (*s == '-' && s[1] >= '0' && s[1] <= '9' &&
	    strspn(s + 1, "0123456789") == strlen(s + 1))
		return "too small";
	if (*s == '+')
		s++;
	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return "invalid";
	for (; *s != '\0'; s++) {
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return "too large";
	}
	*out = (int)v;
	return NULL;
}

/* A port number 1..65535 (0 allowed when zero_ok); -1 if invalid. */
static int
a2port(const char *s, int zero_ok)
{
	int v;

	if (parse_int(s, &v) != NULL || v > 65535 || (v == 0 && !zero_ok))
		return -1;
	return v;
}

/* sshd's convtime(): "90", "1h30m", "2W"; -1 if invalid. */
static int
convtime(const char *s)
{
	long long total = 0, secs, mult;

	if (s == NULL || *s == '\0')
		return -1;
	while (*s != '\0') {
		if (*s < '0' || *s > '9')
			return -1;
		for (secs = 0; *s >= '0' && *s <= '9'; s++)
			if ((secs = secs * 10 + (*s - '0')) > INT_MAX)
				return -1;
		switch (*s) {
		case '\0': mult = 1; break;
		case 's': case 'S': mult = 1; s++; break;
		case 'm': case 'M': mult = 60; s++; break;
		case 'h': case 'H': mult = 3600; s++; break;
		case 'd': case 'D': mult = 86400; s++; break;
		case 'w': case 'W': mult = 604800; s++; break;
		default: return -1;
		}
		total += secs * mult;
		if (total > INT_MAX)
			return -1;
	}
	return (int)total;
}

static int
enum_lookup(const struct kenum *t, const char *s, int *out)
{
	for (; t->name != NULL; t++)
		if (strcasecmp(t->name, s) == 0) {
			*out = t->val;
			return 0;
		}
	return -1;
}

static const char *
enum_name(const struct kenum *t, int v)
{
	for (; t->name != NULL; t++)
		if (t->val == v)
			return t->name;
	return "?";
}

/* ------------------------------------------------------------ tokenizer */

/*
 * sshd's strdelim(): the next token of *s, ended by whitespace or one '='
 * (an '=' after whitespace is skipped too); "..." quotes a token.  NULL
 * when nothing is left or a quote is not closed.
 */
static char *
strdelim(char **s)
{
	char *old = *s, *q;
	int eq;

	if (old == NULL)
		return NULL;
	if ((q = strpbrk(old, WS "\"=")) == NULL) {
		*s = NULL;
		return old;
	}
	if (*q == '"') {
		memmove(q, q + 1, strlen(q));
		if ((q = strchr(q, '"')) == NULL)
			return NULL;
		*q++ = '\0';
		*s = q + strspn(q, WS);
		return old;
	}
	eq = *q == '=';
	*q++ = '\0';
	q += strspn(q, WS);
	if (!eq && *q == '=') {
		q++;
		q += strspn(q, WS);
	}
	*s = q;
	return old;
}

static void
argv_free(char **av, int ac)
{
	int i;

	for (i = 0; i < ac; i++)
		free(av[i]);
	free(av);
}

/* Copy one token of s starting at *i (quotes, \-escapes); ERR_FORMAT. */
static int
argv_token(const char *s, size_t *i, char *out)
{
	size_t j = 0;
	char quote = 0;

	for (; s[*i] != '\0'; (*i)++) {
		char ch = s[*i], nx = s[*i + 1];

		if (ch == '\\' && (nx == '\'' || nx == '"' || nx == '\\' ||
		    (quote == 0 && nx == ' '))) {
			out[j++] = nx;
			(*i)++;
		} else if (quote == 0 && (ch == ' ' || ch == '\t'))
			break;
		else if (quote == 0 && (ch == '"' || ch == '\''))
			quote = ch;
		else if (quote != 0 && ch == quote)
			quote = 0;
		else
			out[j++] = ch;
	}
	out[j] = '\0';
	return quote != 0 ? ERR_FORMAT : 0;
}

/*
 * sshd's argv_split(s, terminate_on_comment=1): whitespace-separated
 * tokens, '' and "" quotes, \' \" \\ and "\ " escapes; '#' at the start of
 * a token ends the line.  ERR_FORMAT on an unclosed quote.
 */
static int
argv_split(const char *s, char ***avp, int *acp)
{
	char **av = NULL, **nav, *tok;
	int ac = 0, r;
	size_t i = 0;

	*avp = NULL;
	*acp = 0;
	while (s[i] != '\0') {
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		if (s[i] == '#')
			break;
		if ((nav = realloc(av, (ac + 2) * sizeof(*av))) == NULL ||
		    (av = nav, tok = malloc(strlen(s + i) + 1)) == NULL) {
			argv_free(av, ac);
			return ERR_ALLOC;
		}
		av[ac++] = tok;
		av[ac] = NULL;
		if ((r = argv_token(s, &i, tok)) != 0) {
			argv_free(av, ac);
			return r;
		}
	}
	*avp = av;
	*acp = ac;
	return 0;
}

/* ----------------------------------------------------------- set state */

static size_t kw_index(const struct kw *k);

static int
kw_isset(const struct config *c, const struct kw *k)
{
	return c->kwset[kw_index(k)];
}

static void
kw_mark(struct config *c, const struct kw *k)
{
	c->kwset[kw_index(k)] = 1;
}

static int
set_int(struct pctx *p, const struct kw *k, int v)
{
	if (!p->active || kw_isset(p->c, k))
		return 0;
	kw_mark(p->c, k);
	*(int *)field(p->c, k->off) = v;
	return 0;
}

/* Store a string (NULL allowed: "none"); first value wins. */
static int
set_str(struct pctx *p, const struct kw *k, const char *v)
{
	char **dst = field(p->c, k->off), *s = NULL;

	if (!p->active || kw_isset(p->c, k))
		return 0;
	if (v != NULL && (s = strdup(v)) == NULL)
		return ERR_ALLOC;
	kw_mark(p->c, k);
	free(*dst);
	*dst = s;
	return 0;
}

static void
list_clear(char **v, int *n)
{
	int i;

	for (i = 0; i < *n; i++) {
		free(v[i]);
		v[i] = NULL;
	}
	*n = 0;
}

/* First use of a list keyword drops the defaults. */
static void
list_begin(struct pctx *p, const struct kw *k, char **v, int *n)
{
	if (kw_isset(p->c, k))
		return;
	kw_mark(p->c, k);
	list_clear(v, n);
}

static int
list_add(struct pctx *p, char **v, int *n, int max, const char *s)
{
	if (*n >= max)
		return perr(p, "too many %s entries.", p->kwtext);
	if ((v[*n] = strdup(s)) == NULL)
		return ERR_ALLOC;
	(*n)++;
	return 0;
}

/* ---------------------------------------------------------- enum tables */

static const struct kenum ms_flag[] = {
	{ "yes", 1 }, { "no", 0 }, { NULL, 0 },
};
static const struct kenum ms_family[] = {
	{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "any", AF_UNSPEC },
	{ NULL, 0 },
};
static const struct kenum ms_permitroot[] = {
	{ "without-password", PERMIT_ROOT_PROHIBIT_PASSWORD },
	{ "prohibit-password", PERMIT_ROOT_PROHIBIT_PASSWORD },
	{ "forced-commands-only", PERMIT_ROOT_FORCED_COMMANDS },
	{ "yes", PERMIT_ROOT_YES }, { "no", PERMIT_ROOT_NO }, { NULL, 0 },
};
static const struct kenum ms_gateway[] = {
	{ "clientspecified", 2 }, { "yes", 1 }, { "no", 0 }, { NULL, 0 },
};
static const struct kenum ms_tcpfwd[] = {
	{ "yes", FORWARD_ALLOW }, { "all", FORWARD_ALLOW },
	{ "no", FORWARD_DENY }, { "remote", FORWARD_REMOTE },
	{ "local", FORWARD_LOCAL }, { NULL, 0 },
};
static const struct kenum ms_ignrhosts[] = {
	{ "yes", 1 }, { "no", 0 }, { "shosts-only", 2 }, { NULL, 0 },
};
static const struct kenum ms_compression[] = {
	{ "yes", 1 }, { "delayed", 1 }, { "no", 0 }, { NULL, 0 },
};
static const struct kenum ms_facility[] = {
	{ "DAEMON", LOG_DAEMON }, { "USER", LOG_USER }, { "AUTH", LOG_AUTH },
	{ "AUTHPRIV", LOG_AUTHPRIV }, { "LOCAL0", LOG_LOCAL0 },
	{ "LOCAL1", LOG_LOCAL1 }, { "LOCAL2", LOG_LOCAL2 },
	{ "LOCAL3", LOG_LOCAL3 }, { "LOCAL4", LOG_LOCAL4 },
	{ "LOCAL5", LOG_LOCAL5 }, { "LOCAL6", LOG_LOCAL6 },
	{ "LOCAL7", LOG_LOCAL7 }, { NULL, 0 },
};

/* Algorithm names OpenSSH knows (plus nsshd's ML-KEM hybrid). */
static const char *const cipher_names[] = {
	"3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc", "aes128-ctr",
	"aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com",
	"aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com", NULL,
};
static const char *const mac_names[] = {
	"hmac-sha1", "hmac-sha1-96", "hmac-sha2-256", "hmac-sha2-512",
	"hmac-md5", "hmac-md5-96", "umac-64@openssh.com",
	"umac-128@openssh.com", "hmac-sha1-etm@openssh.com",
	"hmac-sha1-96-etm@openssh.com", "hmac-sha2-256-etm@openssh.com",
	"hmac-sha2-512-etm@openssh.com", "hmac-md5-etm@openssh.com",
	"hmac-md5-96-etm@openssh.com", "umac-64-etm@openssh.com",
	"umac-128-etm@openssh.com", NULL,
};
static const char *const kex_names[] = {
	"diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
	"diffie-hellman-group14-sha256", "diffie-hellman-group16-sha512",
	"diffie-hellman-group18-sha512", "diffie-hellman-group-exchange-sha1",
	"diffie-hellman-group-exchange-sha256", "ecdh-sha2-nistp256",
	"ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "curve25519-sha256",
	"curve25519-sha256@libssh.org", "sntrup761x25519-sha512",
	"sntrup761x25519-sha512@openssh.com", "mlkem768x25519-sha256",
	"kex-strict-s-v00@openssh.com", NULL,
};
static const char *const key_names[] = {
	"ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com",
	"sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
	"ssh-rsa", "rsa-sha2-256", "rsa-sha2-512", "ssh-dss",
	"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
	"sk-ecdsa-sha2-nistp256@openssh.com",
	"webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
	"ssh-rsa-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com",
	"rsa-sha2-512-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com",
	"ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"ecdsa-sha2-nistp384-cert-v01@openssh.com",
	"ecdsa-sha2-nistp521-cert-v01@openssh.com",
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", NULL,
};
static const struct alginfo alg_ciphers = {
	cipher_names, 0, "Bad SSH2 cipher spec"
};
static const struct alginfo alg_macs = {
	mac_names, 0, "Bad SSH2 mac spec"
};
static const struct alginfo alg_kex = {
	kex_names, 0, "Bad SSH2 KexAlgorithms"
};
static const struct alginfo alg_keys = {
	key_names, 1, "Bad key types"
};

/* ------------------------------------------------------------- handlers */

static int
h_enum(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int v;

	if (a == NULL || *a == '\0')
		return perr(p, "missing argument.");
	if (enum_lookup(k->aux, a, &v) != 0)
		return perr(p, "unsupported option \"%s\".", a);
	return set_int(p, k, v);
}

static int
h_int(struct pctx *p, const struct kw *k)
{
	const char *e;
	int v;

	if ((e = parse_int(arg_next(p), &v)) != NULL)
		return perr(p, "%s integer value %s.", p->kwtext, e);
	return set_int(p, k, v);
}

static int
h_time(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int v;

	if (a == NULL || *a == '\0')
		return perr(p, "missing time value.");
	if ((v = convtime(a)) < 0)
		return perr(p, "invalid time value.");
	return set_int(p, k, v);
}

/* A file name; "none" stores NULL.  Made absolute by config_finish(). */
static int
h_path(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);

	if (a == NULL || *a == '\0')
		return perr(p, "missing file name.");
	return set_str(p, k, strcasecmp(a, "none") == 0 ? NULL : a);
}

static int
h_loglevel(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	enum log_level l;

	if (a == NULL || log_level_parse(a, &l) != 0)
		return perr(p, "unsupported log level '%s'", a ? a : "<NONE>");
	return set_int(p, k, (int)l);
}

static int
h_facility(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int v;

	if (a == NULL || enum_lookup(ms_facility, a, &v) != 0)
		return perr(p, "unsupported log facility '%s'",
		    a ? a : "<NONE>");
	return set_int(p, k, v);
}

static int
name_known(const struct alginfo *ai, const char *name)
{
	const char *const *n;
	int wild = strpbrk(name, "*?") != NULL;

	for (n = ai->names; *n != NULL; n++) {
		if (!wild && strcmp(*n, name) == 0)
			return 1;
		if (wild && ai->wildcard && match_pattern(*n, name))
			return 1;
	}
	return 0;
}

/* Every comma-separated name known?  (A leading '-' list is not checked.) */
static int
algs_valid(const struct alginfo *ai, const char *list)
{
	char *copy, *cp, *name;
	int ok = 1;

	if (*list == '-')
		return 1;
	if (*list == '+' || *list == '^')
		list++;
	if (*list == '\0' || (copy = strdup(list)) == NULL)
		return 0;
	for (cp = copy; ok && (name = strsep(&cp, ",")) != NULL;)
		ok = *name != '\0' && name_known(ai, name);
	free(copy);
	return ok;
}

static int
h_algs(struct pctx *p, const struct kw *k)
{
	const struct alginfo *ai = k->aux;
	const char *a = arg_next(p);

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (!algs_valid(ai, a))
		return perr(p, "%s '%s'.", ai->what, a);
	return set_str(p, k, a);
}

static int
h_port(struct pctx *p, const struct kw *k)
{
	struct config *c = p->c;
	const char *a;
	int port;

	if (c->ports_from_cmdline) {
		p->ai = p->ac;
		return 0;
	}
	if ((a = arg_next(p)) == NULL || *a == '\0')
		return perr(p, "missing port number.");
	if ((port = a2port(a, 0)) <= 0)
		return perr(p, "Badly formatted port number.");
	if (!p->active)
		return 0;
	if (!kw_isset(c, k)) {
		kw_mark(c, k);
		c->nports = 0;
	}
	if (c->nports >= CONFIG_MAX_LISTEN)
		return perr(p, "too many ports.");
	c->ports[c->nports++] = port;
	return 0;
}

/*
 * sshd's hpdelim(): split "host:port", "[host]:port", "host/port" in
 * place.  Returns the host (brackets removed), *rest the port or NULL.
 */
static char *
hpdelim(char *s, char **rest)
{
	char *end;

	*rest = NULL;
	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return NULL;
		*end++ = '\0';
		s++;
		if (*end == '\0')
			return s;
		if (*end != ':' && *end != '/')
			return NULL;
		*rest = end + 1;
		return s;
	}
	if ((end = strpbrk(s, ":/")) != NULL) {
		*end = '\0';
		*rest = end + 1;
	}
	return s;
}

static int
listen_add(struct pctx *p, const char *host, int port)
{
	struct config *c = p->c;

	if (c->nlisten >= CONFIG_MAX_LISTEN)
		return perr(p, "too many listen addresses.");
	c->listen[c->nlisten].host = NULL;
	if (host != NULL && (c->listen[c->nlisten].host = strdup(host)) == NULL)
		return ERR_ALLOC;
	c->listen[c->nlisten++].port = port;
	return 0;
}

static int
h_listen(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p), *rd;
	char buf[1100], *host, *rest, *colon;
	int port = 0;

	if (a == NULL || *a == '\0')
		return perr(p, "missing address");
	snprintf(buf, sizeof(buf), "%s", a);
	colon = strchr(buf, ':');
	if (strchr(buf, '[') == NULL && colon != NULL &&
	    strchr(colon + 1, ':') != NULL)
		host = buf;			/* bare IPv6 address */
	else {
		if ((host = hpdelim(buf, &rest)) == NULL || *host == '\0')
			return perr(p, "bad address:port usage");
		if (rest != NULL && (port = a2port(rest, 0)) <= 0)
			return perr(p, "bad port number");
	}
	if ((rd = arg_next(p)) != NULL) {
		if (strcmp(rd, "rdomain") != 0 || arg_next(p) == NULL)
			return perr(p, "bad ListenAddress syntax");
		return perr(p, "bad routing domain");
	}
	if (!p->active)
		return 0;
	if (!kw_isset(p->c, k)) {
		kw_mark(p->c, k);
		while (p->c->nlisten > 0)
			free(p->c->listen[--p->c->nlisten].host);
	}
	return listen_add(p, host, port);
}

static int
hostkey_add(struct config *c, const char *path, int user)
{
	if (c->nhostkeys >= CONFIG_MAX_HOSTKEYS)
		return ERR_TOOMANY;
	if ((c->hostkeys[c->nhostkeys] = strdup(path)) == NULL)
		return ERR_ALLOC;
	c->hostkeys_user[c->nhostkeys++] = user;
	return 0;
}

static int
h_hostkey(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int r;

	if (a == NULL || *a == '\0')
		return perr(p, "missing file name.");
	if (!p->active)
		return 0;
	list_begin(p, k, p->c->hostkeys, &p->c->nhostkeys);
	if ((r = hostkey_add(p->c, a, 1)) == ERR_TOOMANY)
		return perr(p, "too many host keys.");
	return r;
}

static int
h_permituserenv(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int v = 1, r;

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (strcmp(a, "no") == 0)
		v = 0;
	if (!p->active || kw_isset(p->c, k))
		return 0;
	if ((r = set_int(p, k, v)) != 0)
		return r;
	free(p->c->permit_user_env_allowlist);
	p->c->permit_user_env_allowlist = NULL;
	if (strcmp(a, "yes") != 0 && strcmp(a, "no") != 0 &&
	    (p->c->permit_user_env_allowlist = strdup(a)) == NULL)
		return ERR_ALLOC;
	return 0;
}

/* "N" or "start:rate:full" (sshd's checks). */
static int
parse_maxstartups(const char *a, int *b, int *r, int *f)
{
	char buf[64], *s1, *s2;

	snprintf(buf, sizeof(buf), "%s", a);
	*r = 30;
	if ((s1 = strchr(buf, ':')) == NULL) {
		if (parse_int(buf, b) != NULL)
			return -1;
		*f = *b;
		return *b > 0 ? 0 : -1;
	}
	*s1++ = '\0';
	if ((s2 = strchr(s1, ':')) == NULL)
		return -1;
	*s2++ = '\0';
	if (parse_int(buf, b) != NULL || parse_int(s1, r) != NULL ||
	    parse_int(s2, f) != NULL)
		return -1;
	if (*b > *f || *r > 100 || *r < 1 || *b <= 0 || *f <= 0)
		return -1;
	return 0;
}

static int
h_maxstartups(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int b, r, f;

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (parse_maxstartups(a, &b, &r, &f) != 0)
		return perr(p, "Invalid %s spec.", p->kwtext);
	if (!p->active || kw_isset(p->c, k))
		return 0;
	kw_mark(p->c, k);
	p->c->max_startups_begin = b;
	p->c->max_startups_rate = r;
	p->c->max_startups = f;
	return 0;
}

/* Join the remaining arguments with single spaces; caller frees. */
static char *
args_join(struct pctx *p, const char *first)
{
	size_t n = strlen(first) + 1;
	const char *a;
	char *s;
	int i;

	for (i = p->ai; i < p->ac; i++)
		n += strlen(p->av[i]) + 1;
	if ((s = malloc(n)) == NULL)
		return NULL;
	strcpy(s, first);
	while ((a = arg_next(p)) != NULL) {
		strcat(s, " ");
		strcat(s, a);
	}
	return s;
}

static int
h_subsystem(struct pctx *p, const struct kw *k)
{
	struct config *c = p->c;
	const char *name = arg_next(p), *cmd;
	char *joined;

	if (name == NULL || *name == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if ((cmd = arg_next(p)) == NULL || *cmd == '\0')
		return perr(p, "Missing subsystem command.");
	if (!p->active || config_subsystem(c, name) != NULL) {
		if (p->active)
			pnote(p, LOG_LVL_DEBUG1, "Subsystem '%s' already "
			    "defined; first one kept.", name);
		p->ai = p->ac;
		return 0;
	}
	if (c->nsubsystems >= CONFIG_MAX_SUBSYSTEMS)
		return perr(p, "too many subsystems defined.");
	if ((joined = args_join(p, cmd)) == NULL)
		return ERR_ALLOC;
	kw_mark(c, k);
	c->subsystems[c->nsubsystems].command = joined;
	if ((c->subsystems[c->nsubsystems].name = strdup(name)) == NULL)
		return ERR_ALLOC;
	c->nsubsystems++;
	return 0;
}

/* Lists that accumulate over lines (AcceptEnv, Allow/Deny*). */
static int
list_accum(struct pctx *p, const struct kw *k, const char *a)
{
	char **v = field(p->c, k->off);
	int *n = field(p->c, k->noff);

	if (!p->active)
		return 0;
	list_begin(p, k, v, n);
	return list_add(p, v, n, k->max, a);
}

static int
h_acceptenv(struct pctx *p, const struct kw *k)
{
	const char *a;
	int r;

	while ((a = arg_next(p)) != NULL) {
		if (*a == '\0' || strchr(a, '=') != NULL)
			return perr(p, "Invalid environment name.");
		if ((r = list_accum(p, k, a)) != 0)
			return r;
	}
	return 0;
}

static int
h_users(struct pctx *p, const struct kw *k)
{
	const char *a;
	int r;

	while ((a = arg_next(p)) != NULL) {
		if (*a == '\0' || match_user_pattern(NULL, NULL, NULL, a) < 0)
			return perr(p, "invalid %s pattern: \"%s\"",
			    p->kwtext, a);
		if ((r = list_accum(p, k, a)) != 0)
			return r;
	}
	return 0;
}

static int
h_groups(struct pctx *p, const struct kw *k)
{
	const char *a;
	int r;

	while ((a = arg_next(p)) != NULL) {
		if (*a == '\0')
			return perr(p, "empty %s pattern", p->kwtext);
		if ((r = list_accum(p, k, a)) != 0)
			return r;
	}
	return 0;
}

/* Lists set by their first line only (AuthorizedKeysFile, SetEnv, ...). */
static int
list_firstline(struct pctx *p, const struct kw *k, int *fresh)
{
	*fresh = p->active && !kw_isset(p->c, k);
	if (*fresh)
		list_begin(p, k, field(p->c, k->off), field(p->c, k->noff));
	return 0;
}

static int
list_put(struct pctx *p, const struct kw *k, const char *a)
{
	return list_add(p, field(p->c, k->off), field(p->c, k->noff), k->max,
	    a);
}

static int
h_authkeysfile(struct pctx *p, const struct kw *k)
{
	const char *a;
	int fresh, r;

	list_firstline(p, k, &fresh);
	while ((a = arg_next(p)) != NULL) {
		if (*a == '\0')
			return perr(p, "keyword %s empty argument", p->kwtext);
		if (fresh && (r = list_put(p, k, a)) != 0)
			return r;
	}
	return 0;
}

static int
h_setenv(struct pctx *p, const struct kw *k)
{
	const char *a;
	int fresh, r, i, dup;

	list_firstline(p, k, &fresh);
	while ((a = arg_next(p)) != NULL) {
		if (*a == '\0' || strchr(a, '=') == NULL)
			return perr(p, "Invalid environment.");
		if (!fresh)
			continue;
		for (i = 0, dup = 0; i < p->c->nset_env && !dup; i++)
			dup = strncmp(p->c->set_env[i], a,
			    strcspn(a, "=") + 1) == 0;
		if (!dup && (r = list_put(p, k, a)) != 0)
			return r;
	}
	return 0;
}

/* PermitOpen host:port / PermitListen [host:]port entries. */
static int
permitopen_check(struct pctx *p, int listen, const char *a, char *out,
    size_t outlen)
{
	char buf[1100], *host, *port;

	if (listen && strchr(a, ':') == NULL) {
		snprintf(out, outlen, "*:%s", a);
		port = out + 2;
	} else {
		snprintf(out, outlen, "%s", a);
		snprintf(buf, sizeof(buf), "%s", a);
		if ((host = hpdelim(buf, &port)) == NULL)
			return perr(p, "%s missing host", p->kwtext);
	}
	if (port == NULL || (strcmp(port, "*") != 0 && a2port(port, 1) < 0))
		return perr(p, "%s bad port number", p->kwtext);
	return 0;
}

static int
h_permitopen(struct pctx *p, const struct kw *k)
{
	int listen = strcmp(k->name, "permitlisten") == 0, fresh, r;
	const char *a = arg_next(p);
	char ent[1100];

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	list_firstline(p, k, &fresh);
	if (strcmp(a, "any") == 0 || strcmp(a, "none") == 0)
		return fresh ? list_put(p, k, a) : 0;
	for (; a != NULL && *a != '\0'; a = arg_next(p)) {
		if ((r = permitopen_check(p, listen, a, ent, sizeof(ent))) != 0)
			return r;
		if (fresh && (r = list_put(p, k, ent)) != 0)
			return r;
	}
	return 0;
}

/* ForceCommand: the rest of the line as written; "none" = no command. */
static int
h_forcecommand(struct pctx *p, const struct kw *k)
{
	const char *s = p->raw + strspn(p->raw, WS);

	p->ai = p->ac;
	if (*s == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	return set_str(p, k, strcasecmp(s, "none") == 0 ? NULL : s);
}

static int
h_versionaddendum(struct pctx *p, const struct kw *k)
{
	char buf[1024], *s, *hash;
	size_t n;

	p->ai = p->ac;
	snprintf(buf, sizeof(buf), "%s", p->raw + strspn(p->raw, WS));
	if (strchr(buf, '\r') != NULL)
		return perr(p, "Invalid %s argument", p->kwtext);
	if ((hash = strchr(buf, '#')) != NULL)
		*hash = '\0';
	for (n = strlen(buf); n > 0 && strchr(WS, buf[n - 1]) != NULL; n--)
		buf[n - 1] = '\0';
	s = buf;
	if (*s == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	return set_str(p, k, strcasecmp(s, "none") == 0 ? NULL : s);
}

#define AUTHM_PUBKEY	1
#define AUTHM_PASSWORD	2
#define AUTHM_KBDINT	4
#define AUTHM_OTHER	8

static int
method_bit(const char *m)
{
	if (strcmp(m, "publickey") == 0)
		return AUTHM_PUBKEY;
	if (strcmp(m, "password") == 0)
		return AUTHM_PASSWORD;
	if (strcmp(m, "keyboard-interactive") == 0 ||
	    strncmp(m, "keyboard-interactive:", 21) == 0)
		return AUTHM_KBDINT;
	if (strcmp(m, "hostbased") == 0 || strcmp(m, "gssapi-with-mic") == 0 ||
	    strcmp(m, "none") == 0)
		return AUTHM_OTHER;
	return 0;
}

/*
 * AuthenticationMethods: "any", or lists of alternatives.  nsshd does not
 * do multi-step authentication: a list with a ',' is refused rather than
 * silently weakened.
 */
static int
h_authmethods(struct pctx *p, const struct kw *k)
{
	const char *a;
	int fresh, any = 0, n = 0, r;

	list_firstline(p, k, &fresh);
	while ((a = arg_next(p)) != NULL) {
		n++;
		if (strcmp(a, "any") == 0) {
			if (n > 1)
				return perr(p, "\"any\" must appear alone in "
				    "%s", p->kwtext);
			any = 1;
		} else if (any)
			return perr(p, "\"any\" must appear alone in %s",
			    p->kwtext);
		else if (strchr(a, ',') != NULL)
			return perr(p, "%s with more than one method per "
			    "list (\"%s\") is not supported by nsshd",
			    p->kwtext, a);
		else if (method_bit(a) == 0)
			return perr(p, "invalid %s method list.", p->kwtext);
		if (fresh && (r = list_put(p, k, a)) != 0)
			return r;
	}
	if (n == 0)
		return perr(p, "no %s specified", p->kwtext);
	return 0;
}

static int
h_octal(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	char *end;
	long v;

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	v = strtol(a, &end, 8);
	if (end == a || *end != '\0' || v < 0 || v > 0777)
		return perr(p, "Invalid %s.", p->kwtext);
	return set_int(p, k, (int)v);
}

/* Accepted only with the value that means "off" (aux). */
static int
h_offonly(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (strcasecmp(a, (const char *)k->aux) != 0)
		return perr(p, "%s is not supported by nsshd (only \"%s\")",
		    p->kwtext, (const char *)k->aux);
	return 0;
}

static int
h_rdomain(struct pctx *p, const struct kw *k)
{
	p->ai = p->ac;
	return perr(p, "setting RDomain not supported on this platform.");
}

/* AuthorizedKeysCommand & co: absolute path or none; not implemented. */
static int
h_command(struct pctx *p, const struct kw *k)
{
	const char *s = p->raw + strspn(p->raw, WS);

	p->ai = p->ac;
	if (*s != '/' && strcasecmp(s, "none") != 0)
		return perr(p, "%s must be an absolute path", p->kwtext);
	if (strcasecmp(s, "none") != 0 && p->active)
		pnote(p, LOG_LVL_INFO, "%s is not supported by nsshd; "
		    "ignored", p->kwtext);
	return 0;
}

/* Known, not implemented, harmless to ignore. */
static int
h_ignore(struct pctx *p, const struct kw *k)
{
	p->ai = p->ac;
	if (p->active)
		pnote(p, LOG_LVL_DEBUG1, "%s is not implemented by nsshd; "
		    "ignored", p->kwtext);
	return 0;
}

/* The same, with the value checked against an enum table. */
static int
h_ignenum(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int v;

	if (a == NULL || *a == '\0')
		return perr(p, "missing argument.");
	if (enum_lookup(k->aux, a, &v) != 0)
		return perr(p, "unsupported option \"%s\".", a);
	return h_ignore(p, k);
}

static int
h_ignint(struct pctx *p, const struct kw *k)
{
	const char *e;
	int v;

	if ((e = parse_int(arg_next(p), &v)) != NULL)
		return perr(p, "%s integer value %s.", p->kwtext, e);
	return h_ignore(p, k);
}

static int
h_pkopts(struct pctx *p, const struct kw *k)
{
	const char *a;

	while ((a = arg_next(p)) != NULL)
		if (strcasecmp(a, "none") != 0 &&
		    strcasecmp(a, "touch-required") != 0 &&
		    strcasecmp(a, "verify-required") != 0)
			return perr(p, "unsupported %s option %s", p->kwtext,
			    a);
	return h_ignore(p, k);
}

static int
h_tunnel(struct pctx *p, const struct kw *k)
{
	static const char *const modes[] = { "no", "point-to-point",
	    "ethernet", "yes", NULL };
	const char *a = arg_next(p);
	int i;

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	for (i = 0; modes[i] != NULL && strcmp(modes[i], a) != 0; i++)
		;
	if (modes[i] == NULL)
		return perr(p, "bad %s argument %s", p->kwtext, a);
	return h_ignore(p, k);
}

static int
h_deprecated(struct pctx *p, const struct kw *k)
{
	p->ai = p->ac;
	pnote(p, LOG_LVL_INFO, "Deprecated option %s", p->kwtext);
	return 0;
}

static int
h_unsupported(struct pctx *p, const struct kw *k)
{
	p->ai = p->ac;
	pnote(p, LOG_LVL_INFO, "Unsupported option %s", p->kwtext);
	return 0;
}

static int
h_silent(struct pctx *p, const struct kw *k)
{
	p->ai = p->ac;
	pnote(p, LOG_LVL_DEBUG2, "Deprecated option %s", p->kwtext);
	return 0;
}

/* ---------------------------------------------- container targets */

static const struct kenum ms_containerenv[] = {
	{ "inherit", TARGET_ENV_INHERIT }, { "none", TARGET_ENV_NONE },
	{ NULL, 0 },
};

static const struct kenum ms_namespaces[] = {
	{ "user", TARGET_NS_USER }, { "mnt", TARGET_NS_MNT },
	{ "uts", TARGET_NS_UTS }, { "ipc", TARGET_NS_IPC },
	{ "net", TARGET_NS_NET }, { "cgroup", TARGET_NS_CGROUP },
	{ "pid", TARGET_NS_PID }, { NULL, 0 },
};

/* Is every %-token of s one of the letters in allowed (or "%%")? */
static int
tokens_ok(const char *s, const char *allowed)
{
	for (; (s = strchr(s, '%')) != NULL; s += 2)
		if (s[1] != '%' && (s[1] == '\0' || strchr(allowed, s[1]) == NULL))
			return 0;
	return 1;
}

enum { CT_PID = 1, CT_PIDFILE, CT_ENGINE };

static const struct kenum ct_schemes[] = {
	{ "pid:", CT_PID }, { "pidfile:", CT_PIDFILE },
	{ "docker:", CT_ENGINE }, { "podman:", CT_ENGINE }, { NULL, 0 },
};

/* The CT_* kind of a ContainerTarget value, *rest after "kind:"; 0 if none. */
static int
ct_scheme(const char *a, const char **rest)
{
	const struct kenum *t;

	for (t = ct_schemes; t->name != NULL; t++)
		if (strncasecmp(a, t->name, strlen(t->name)) == 0) {
			*rest = a + strlen(t->name);
			return t->val;
		}
	return 0;
}

/* ContainerTarget: none | pid:N | pidfile:PATH | docker:NAME | podman:NAME */
static int
h_ctarget(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p), *v = NULL;
	int kind;

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (strcasecmp(a, "none") == 0)
		return set_str(p, k, NULL);
	if ((kind = ct_scheme(a, &v)) == 0)
		return perr(p, "%s \"%s\": expected none, pid:N, pidfile:PATH, "
		    "docker:NAME or podman:NAME", p->kwtext, a);
	if (*v == '\0')
		return perr(p, "%s \"%s\": empty target", p->kwtext, a);
	if (!tokens_ok(v, "uh"))
		return perr(p, "%s \"%s\": unknown %%-token (only %%u %%h %%%%)",
		    p->kwtext, a);
	if (kind == CT_PID && strchr(v, '%') == NULL &&
	    strspn(v, "0123456789") != strlen(v))
		return perr(p, "%s \"%s\": not a process id", p->kwtext, a);
	if (kind == CT_PIDFILE && *v != '/' && strncmp(v, "%h", 2) != 0)
		return perr(p, "%s \"%s\": the pid file must be an absolute "
		    "path", p->kwtext, a);
	return set_str(p, k, a);
}

/*
 * One "ENGINE:/path" of ContainerEngineSocket: a known engine not in *seen
 * yet (a bit per engine), an absolute path that fits in sun_path.
 */
static int
enginesock_check(struct pctx *p, const char *a, int *seen)
{
	size_t elen = strcspn(a, ":");
	int bit;

	if (a[elen] == ':' && elen == 6 && strncmp(a, "docker", 6) == 0)
		bit = 1;
	else if (a[elen] == ':' && elen == 6 && strncmp(a, "podman", 6) == 0)
		bit = 2;
	else
		return perr(p, "%s \"%s\": expected docker:PATH or podman:PATH",
		    p->kwtext, a);
	if (*seen & bit)
		return perr(p, "%s names %.6s twice", p->kwtext, a);
	*seen |= bit;
	if (a[elen + 1] != '/' || strlen(a + elen + 1) >= 108)
		return perr(p, "%s \"%s\": the socket must be an absolute path "
		    "shorter than 108 bytes", p->kwtext, a);
	return 0;
}

/* ContainerEngineSocket docker:PATH [podman:PATH]: first line wins. */
static int
h_enginesock(struct pctx *p, const struct kw *k)
{
	const char *a;
	int fresh, r, seen = 0;

	list_firstline(p, k, &fresh);
	while ((a = arg_next(p)) != NULL) {
		if ((r = enginesock_check(p, a, &seen)) != 0)
			return r;
		if (fresh && (r = list_put(p, k, a)) != 0)
			return r;
	}
	if (seen == 0)
		return perr(p, "%s missing argument.", p->kwtext);
	return 0;
}

/* ContainerUser NAME: a user name, tokens %u %%. */
static int
h_cuser(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (strlen(a) >= 64 || strpbrk(a, ":/,") != NULL || *a == '-' ||
	    !tokens_ok(a, "u"))
		return perr(p, "%s \"%s\": not a user name (tokens: %%u %%%%)",
		    p->kwtext, a);
	return set_str(p, k, a);
}

/* ContainerNamespaces all | NAME... (space- or comma-separated). */
static int
h_cns(struct pctx *p, const struct kw *k)
{
	char buf[256], *tok, *save = NULL;
	const char *a;
	int mask = 0, bit;

	while ((a = arg_next(p)) != NULL) {
		if (strlen(a) >= sizeof(buf))
			return perr(p, "%s: argument too long", p->kwtext);
		snprintf(buf, sizeof(buf), "%s", a);
		for (tok = strtok_r(buf, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (strcasecmp(tok, "all") == 0)
				bit = TARGET_NS_ALL;
			else if (enum_lookup(ms_namespaces, tok, &bit) != 0)
				return perr(p, "%s: unknown namespace \"%s\" "
				    "(user mnt uts ipc net cgroup pid, all)",
				    p->kwtext, tok);
			mask |= bit;
		}
	}
	if (mask == 0)
		return perr(p, "%s missing argument.", p->kwtext);
	return set_int(p, k, mask);
}

/* ContainerWorkdir PATH | none: absolute, tokens %u %%. */
static int
h_cworkdir(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (strcasecmp(a, "none") == 0)
		return set_str(p, k, NULL);
	if (*a != '/' || strlen(a) >= 256 || !tokens_ok(a, "u"))
		return perr(p, "%s \"%s\": expected an absolute path shorter "
		    "than 256 bytes (tokens: %%u %%%%) or none", p->kwtext, a);
	return set_str(p, k, a);
}

static int h_match(struct pctx *p, const struct kw *k);
static int h_include(struct pctx *p, const struct kw *k);

/* --------------------------------------------------------- the keywords */

#define OFF(f)		offsetof(struct config, f)
#define NELEM(f)	((int)(sizeof(((struct config *)0)->f) / sizeof(char *)))
#define M		KWF_MATCH
#define G		0
#define K(n, fn, fl)		{ n, fn, ST_NONE, fl, 0, 0, 0, NULL, NULL }
#define KX(n, fn, fl, aux)	{ n, fn, ST_NONE, fl, 0, 0, 0, aux, NULL }
#define KI(n, fn, fl, f, aux)	{ n, fn, ST_INT, fl, OFF(f), 0, 0, aux, NULL }
#define KS(n, fn, fl, f, aux)	{ n, fn, ST_STR, fl, OFF(f), 0, 0, aux, NULL }
#define KL(n, fn, fl, f, nf) \
	{ n, fn, ST_LIST, fl, OFF(f), OFF(nf), NELEM(f), NULL, NULL }
#define KA(n, canon, fl)	{ n, NULL, ST_NONE, fl, 0, 0, 0, NULL, canon }

static const struct kw kwtab[] = {
	/* implemented */
	KI("usepam", h_enum, G, use_pam, ms_flag),
	K("port", h_port, G),
	K("hostkey", h_hostkey, G),
	KA("hostdsakey", "hostkey", G),
	K("listenaddress", h_listen, G),
	KI("addressfamily", h_enum, G, address_family, ms_family),
	KS("pidfile", h_path, G, pidfile, NULL),
	KI("logingracetime", h_time, G, login_grace_time, NULL),
	KI("permitrootlogin", h_enum, M, permit_root_login, ms_permitroot),
	KI("syslogfacility", h_facility, G, syslog_facility, NULL),
	KI("loglevel", h_loglevel, M, log_level, NULL),
	KS("hostkeyalgorithms", h_algs, G, host_key_algorithms, &alg_keys),
	KI("pubkeyauthentication", h_enum, M, pubkey_authentication, ms_flag),
	KA("dsaauthentication", "pubkeyauthentication", G),
	KS("pubkeyacceptedalgorithms", h_algs, M, pubkey_accepted_algorithms,
	    &alg_keys),
	KA("pubkeyacceptedkeytypes", "pubkeyacceptedalgorithms", M),
	KI("passwordauthentication", h_enum, M, password_authentication,
	    ms_flag),
	KI("kbdinteractiveauthentication", h_enum, M,
	    kbd_interactive_authentication, ms_flag),
	KA("challengeresponseauthentication", "kbdinteractiveauthentication",
	    M),
	KA("skeyauthentication", "kbdinteractiveauthentication", M),
	KI("printmotd", h_enum, G, print_motd, ms_flag),
	KI("printlastlog", h_enum, G, print_lastlog, ms_flag),
	KI("x11forwarding", h_enum, M, x11_forwarding, ms_flag),
	KI("x11displayoffset", h_int, M, x11_display_offset, NULL),
	KI("x11uselocalhost", h_enum, M, x11_use_localhost, ms_flag),
	KS("xauthlocation", h_path, G, xauth_location, NULL),
	KI("strictmodes", h_enum, G, strict_modes, ms_flag),
	KI("permitemptypasswords", h_enum, M, permit_empty_passwords, ms_flag),
	KI("permituserenvironment", h_permituserenv, G,
	    permit_user_environment, NULL),
	KI("tcpkeepalive", h_enum, G, tcp_keepalive, ms_flag),
	KA("keepalive", "tcpkeepalive", G),
	KI("allowtcpforwarding", h_enum, M, allow_tcp_forwarding, ms_tcpfwd),
	KI("allowstreamlocalforwarding", h_enum, M,
	    allow_streamlocal_forwarding, ms_tcpfwd),
	KI("allowagentforwarding", h_enum, M, allow_agent_forwarding, ms_flag),
	KI("disableforwarding", h_enum, M, disable_forwarding, ms_flag),
	KL("allowusers", h_users, M, allow_users, nallow_users),
	KL("denyusers", h_users, M, deny_users, ndeny_users),
	KL("allowgroups", h_groups, M, allow_groups, nallow_groups),
	KL("denygroups", h_groups, M, deny_groups, ndeny_groups),
	KS("ciphers", h_algs, G, ciphers, &alg_ciphers),
	KS("macs", h_algs, G, macs, &alg_macs),
	KS("kexalgorithms", h_algs, G, kex_algorithms, &alg_kex),
	KI("gatewayports", h_enum, M, gateway_ports, ms_gateway),
	K("subsystem", h_subsystem, G),
	K("maxstartups", h_maxstartups, G),
	KI("maxauthtries", h_int, M, max_auth_tries, NULL),
	KI("maxsessions", h_int, M, max_sessions, NULL),
	KS("banner", h_path, M, banner, NULL),
	KI("usedns", h_enum, G, use_dns, ms_flag),
	KI("clientaliveinterval", h_time, M, client_alive_interval, NULL),
	KI("clientalivecountmax", h_int, M, client_alive_count_max, NULL),
	KL("authorizedkeysfile", h_authkeysfile, M, authkeys_files,
	    nauthkeys_files),
	KL("acceptenv", h_acceptenv, M, accept_env, naccept_env),
	KL("setenv", h_setenv, M, set_env, nset_env),
	KI("permittty", h_enum, M, permit_tty, ms_flag),
	KI("permituserrc", h_enum, M, permit_user_rc, ms_flag),
	K("match", h_match, M),
	KL("permitopen", h_permitopen, M, permit_open, npermit_open),
	KL("permitlisten", h_permitopen, M, permit_listen, npermit_listen),
	KS("forcecommand", h_forcecommand, M, force_command, NULL),
	K("include", h_include, M),
	KS("versionaddendum", h_versionaddendum, G, version_addendum, NULL),
	KL("authenticationmethods", h_authmethods, M, auth_methods,
	    nauth_methods),
	KI("streamlocalbindmask", h_octal, M, streamlocal_bind_mask, NULL),
	KI("streamlocalbindunlink", h_enum, M, streamlocal_bind_unlink,
	    ms_flag),

	/* nsshd's own: container targets (see config.h) */
	KS("containertarget", h_ctarget, M, container_target, NULL),
	KL("containerenginesocket", h_enginesock, M, engine_sockets,
	    nengine_sockets),
	KS("containeruser", h_cuser, M, container_user, NULL),
	KI("containernamespaces", h_cns, M, container_ns, NULL),
	KI("containerenvironment", h_enum, M, container_env, ms_containerenv),
	KS("containerworkdir", h_cworkdir, M, container_workdir, NULL),

	/* refused unless "off": ignoring them could widen access */
	KX("chrootdirectory", h_offonly, M, "none"),
	KX("revokedkeys", h_offonly, M, "none"),
	K("rdomain", h_rdomain, M),

	/* known to sshd, not implemented, harmless to ignore */
	K("hostkeyagent", h_ignore, G),
	K("hostcertificate", h_ignore, G),
	K("modulifile", h_ignore, G),
	K("logverbose", h_ignore, M),
	KX("hostbasedauthentication", h_ignenum, M, ms_flag),
	KX("hostbasedusesnamefrompacketonly", h_ignenum, M, ms_flag),
	K("hostbasedacceptedalgorithms", h_ignore, M),
	KA("hostbasedacceptedkeytypes", "hostbasedacceptedalgorithms", M),
	K("pubkeyauthoptions", h_pkopts, M),
	KX("kerberosauthentication", h_ignenum, M, ms_flag),
	KX("kerberosorlocalpasswd", h_ignenum, G, ms_flag),
	KX("kerberosticketcleanup", h_ignenum, G, ms_flag),
	KX("gssapiauthentication", h_ignenum, M, ms_flag),
	KX("gssapicleanupcredentials", h_ignenum, G, ms_flag),
	KA("gssapicleanupcreds", "gssapicleanupcredentials", G),
	KX("gssapistrictacceptorcheck", h_ignenum, G, ms_flag),
	KX("gssapikeyexchange", h_ignenum, G, ms_flag),
	KX("gssapistorecredentialsonrekey", h_ignenum, G, ms_flag),
	K("gssapikexalgorithms", h_ignore, G),
	KX("ignorerhosts", h_ignenum, M, ms_ignrhosts),
	KX("ignoreuserknownhosts", h_ignenum, G, ms_flag),
	KX("compression", h_ignenum, G, ms_compression),
	K("rekeylimit", h_ignore, M),
	K("persourcemaxstartups", h_ignore, G),
	K("persourcenetblocksize", h_ignore, G),
	K("permittunnel", h_tunnel, M),
	K("trustedusercakeys", h_ignore, M),
	K("authorizedprincipalsfile", h_ignore, M),
	K("ipqos", h_ignore, M),
	K("authorizedkeyscommand", h_command, M),
	K("authorizedkeyscommanduser", h_ignore, M),
	K("authorizedprincipalscommand", h_command, M),
	K("authorizedprincipalscommanduser", h_ignore, M),
	K("fingerprinthash", h_ignore, G),
	KX("exposeauthinfo", h_ignenum, M, ms_flag),
	K("casignaturealgorithms", h_ignore, M),
	K("securitykeyprovider", h_ignore, G),
	K("requiredrsasize", h_ignint, M),
	K("channeltimeout", h_ignore, M),
	K("unusedconnectiontimeout", h_ignore, M),
	KX("debianbanner", h_ignenum, G, ms_flag),

	/* deprecated or unsupported in sshd itself */
	K("protocol", h_silent, G),
	K("pamauthenticationviakbdint", h_deprecated, G),
	K("serverkeybits", h_deprecated, G),
	K("keyregenerationinterval", h_deprecated, G),
	K("rhostsauthentication", h_deprecated, G),
	K("rhostsrsaauthentication", h_deprecated, M),
	K("rsaauthentication", h_deprecated, M),
	K("checkmail", h_deprecated, G),
	K("uselogin", h_deprecated, G),
	K("verifyreversemapping", h_deprecated, G),
	K("reversemappingcheck", h_deprecated, G),
	K("authorizedkeysfile2", h_deprecated, M),
	K("useprivilegeseparation", h_deprecated, G),
	K("permitblacklistedkeys", h_deprecated, G),
	K("kerberosgetafstoken", h_unsupported, G),
	K("kerberostgtpassing", h_unsupported, G),
	K("afstokenpassing", h_unsupported, G),
	K("gssapiusesessioncredcache", h_unsupported, G),
	K("gssusesessionccache", h_unsupported, G),
};
static const size_t kwtab_n = sizeof(kwtab) / sizeof(kwtab[0]);

_Static_assert(sizeof(kwtab) / sizeof(kwtab[0]) <= CONFIG_NKW,
    "CONFIG_NKW too small for the keyword table");

static size_t
kw_index(const struct kw *k)
{
	return (size_t)(k - kwtab);
}

static const struct kw *
kw_find(const char *name)
{
	size_t i;

	for (i = 0; i < kwtab_n; i++)
		if (strcmp(kwtab[i].name, name) == 0)
			return &kwtab[i];
	return NULL;
}

/*
 * Keyword row by name, case-insensitive; aliases resolve to the row they
 * stand for (*flags gets the alias's own Match flag).  NULL if unknown.
 */
static const struct kw *
kw_lookup(const char *name, int *flags)
{
	size_t i;

	for (i = 0; i < kwtab_n; i++) {
		if (strcasecmp(kwtab[i].name, name) != 0)
			continue;
		*flags = kwtab[i].flags;
		return kwtab[i].canon ? kw_find(kwtab[i].canon) : &kwtab[i];
	}
	return NULL;
}

/* ---------------------------------------------------------- Match blocks */

static const struct kenum match_types[] = {
	{ "user", MC_USER }, { "group", MC_GROUP }, { "host", MC_HOST },
	{ "address", MC_ADDRESS }, { "localaddress", MC_LADDRESS },
	{ "localport", MC_LPORT }, { "rdomain", MC_RDOMAIN }, { NULL, 0 },
};

static void
crit_free(struct match_crit *cr, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(cr[i].arg);
	free(cr);
}

static int
crit_add(struct match_crit **cr, int *n, int type, const char *arg)
{
	struct match_crit *ncr;

	if ((ncr = realloc(*cr, (*n + 1) * sizeof(**cr))) == NULL)
		return ERR_ALLOC;
	*cr = ncr;
	ncr[*n].type = type;
	if ((ncr[*n].arg = xstrdup(arg)) == NULL && arg != NULL)
		return ERR_ALLOC;
	(*n)++;
	return 0;
}

/* Check one "attribute argument" pair; a message in why on error. */
static int
crit_check(const char *attr, const char *arg, int *type, char *why,
    size_t wl)
{
	if (enum_lookup(match_types, attr, type) != 0) {
		snprintf(why, wl, "Unsupported Match attribute %s", attr);
		return -1;
	}
	if ((*type == MC_ADDRESS || *type == MC_LADDRESS) &&
	    addr_match_list(NULL, arg) != 0) {
		snprintf(why, wl, "Invalid Match %s argument '%s'",
		    *type == MC_ADDRESS ? "address" : "localaddress", arg);
		return -1;
	}
	if (*type == MC_LPORT && a2port(arg, 1) < 0) {
		snprintf(why, wl, "Invalid LocalPort '%s' on Match line", arg);
		return -1;
	}
	return 0;
}

/* Parse the criteria of a Match line (sshd's match_cfg_line syntax). */
static int
match_parse(char *cp, struct match_crit **cr, int *n, char *why, size_t wl)
{
	char *attr, *arg;
	int type, nattr = 0;

	while ((attr = strdelim(&cp)) != NULL && *attr != '\0' &&
	    *attr != '#') {
		nattr++;
		if (strcasecmp(attr, "all") == 0) {
			arg = strdelim(&cp);
			if (nattr > 1 || (arg != NULL && *arg != '\0' &&
			    *arg != '#')) {
				snprintf(why, wl, "'all' cannot be combined "
				    "with other Match attributes");
				return -1;
			}
			return crit_add(cr, n, MC_ALL, NULL) == 0 ? 0 : -1;
		}
		if ((arg = strdelim(&cp)) == NULL || *arg == '\0' ||
		    *arg == '#') {
			snprintf(why, wl, "Missing Match criteria for %s", attr);
			return -1;
		}
		if (crit_check(attr, arg, &type, why, wl) != 0 ||
		    crit_add(cr, n, type, arg) != 0)
			return -1;
	}
	if (nattr == 0) {
		snprintf(why, wl, "One or more attributes required for Match");
		return -1;
	}
	return 0;
}

/* Append an empty block with a copy of the criteria of block `from`. */
static int
block_new(struct config *c, int from, struct match_crit *own, int nown)
{
	struct config_match *nm, *b;
	int i, r = 0;

	if ((nm = realloc(c->matches, (c->nmatches + 1) * sizeof(*nm))) ==
	    NULL)
		return ERR_ALLOC;
	c->matches = nm;
	b = &nm[c->nmatches++];
	memset(b, 0, sizeof(*b));
	for (i = 0; from >= 0 && r == 0 && i < nm[from].ncrit; i++)
		r = crit_add(&b->crit, &b->ncrit, nm[from].crit[i].type,
		    nm[from].crit[i].arg);
	for (i = 0; r == 0 && i < nown; i++)
		r = crit_add(&b->crit, &b->ncrit, own[i].type, own[i].arg);
	return r;
}

static int
h_match(struct pctx *p, const struct kw *k)
{
	struct match_crit *cr = NULL;
	char why[300] = "", *copy;
	int n = 0, r, all;

	p->ai = p->ac;
	if (p->cmdline)
		return perr(p, "Match directive not supported as a "
		    "command-line option");
	if ((copy = strdup(p->raw)) == NULL)
		return ERR_ALLOC;
	r = match_parse(copy, &cr, &n, why, sizeof(why));
	free(copy);
	if (r != 0) {
		crit_free(cr, n);
		return perr(p, "Bad Match condition%s%s", *why ? ": " : "",
		    why);
	}
	all = n == 1 && cr[0].type == MC_ALL;
	r = block_new(p->c, p->inc_parent, cr, n);
	crit_free(cr, n);
	if (r != 0)
		return r;
	p->block = p->c->nmatches - 1;
	p->in_match = 1;
	p->active = p->inc_active && all;
	return 0;
}

static int
block_record(struct pctx *p, const char *text)
{
	struct config_match *b = &p->c->matches[p->block];
	struct match_line *nl;

	if ((nl = realloc(b->lines, (b->nlines + 1) * sizeof(*nl))) == NULL)
		return ERR_ALLOC;
	b->lines = nl;
	nl += b->nlines;
	nl->line = p->line;
	nl->text = strdup(text);
	nl->file = strdup(p->file);
	if (nl->text == NULL || nl->file == NULL) {
		free(nl->text);
		free(nl->file);
		return ERR_ALLOC;
	}
	b->nlines++;
	return 0;
}

static void
blocks_free(struct config *c)
{
	int i, j;

	for (i = 0; i < c->nmatches; i++) {
		crit_free(c->matches[i].crit, c->matches[i].ncrit);
		for (j = 0; j < c->matches[i].nlines; j++) {
			free(c->matches[i].lines[j].text);
			free(c->matches[i].lines[j].file);
		}
		free(c->matches[i].lines);
	}
	free(c->matches);
	c->matches = NULL;
	c->nmatches = 0;
}

/* ----------------------------------------------------- lines and files */

static int process_line(struct pctx *p, char *line);

static int
parse_lines(struct pctx *p, const char *text, size_t len)
{
	const char *nl, *end = text + len;
	char *line;
	size_t n;
	int r = 0;

	while (r == 0 && text < end) {
		p->line++;
		nl = memchr(text, '\n', (size_t)(end - text));
		n = nl ? (size_t)(nl - text) : (size_t)(end - text);
		if (memchr(text, '\0', n) != NULL)
			return perr(p, "NUL byte in line");
		if ((line = malloc(n + 1)) == NULL)
			return ERR_ALLOC;
		memcpy(line, text, n);
		line[n] = '\0';
		r = process_line(p, line);
		free(line);
		text += n + (nl ? 1 : 0);
	}
	return r;
}

/* Read a whole file (not a directory; at most CONFIG_FILE_MAX bytes). */
static int
read_file(const char *path, char **out, size_t *outlen, char *err,
    size_t errlen)
{
	struct stat st;
	size_t len = 0, cap = 8192;
	ssize_t got = 0;
	char *buf = NULL, *nb;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? ERR_NOTFOUND : ERR_CONFIG;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", path, strerror(EISDIR));
		close(fd);
		return ERR_CONFIG;
	}
	for (;;) {
		if (len + 1 >= cap || buf == NULL) {
			if (cap >= CONFIG_FILE_MAX ||
			    (nb = realloc(buf, cap *= 2)) == NULL)
				break;
			buf = nb;
		}
		if ((got = read(fd, buf + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (buf == NULL || got != 0) {
		snprintf(err, errlen, "%s: %s", path, buf == NULL ||
		    got > 0 ? "file too large" : strerror(errno));
		free(buf);
		return ERR_CONFIG;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

/* Parse an included file in the context of the including line. */
static int
include_file(struct pctx *p, const char *path)
{
	struct pctx q;
	char *text;
	size_t len;
	int r;

	if ((r = read_file(path, &text, &len, p->err, p->errlen)) != 0)
		return r == ERR_NOTFOUND ? ERR_CONFIG : r;
	q = *p;
	q.file = path;
	q.line = 0;
	q.depth = p->depth + 1;
	q.inc_parent = p->block;
	q.inc_active = p->active;
	r = parse_lines(&q, text, len);
	free(text);
	return r;
}

static int
include_glob(struct pctx *p, const char *arg)
{
	char path[PATH_MAX];
	glob_t g;
	size_t i;
	int r = 0, gr;

	if (*arg == '/' || *arg == '~')
		snprintf(path, sizeof(path), "%s", arg);
	else
		snprintf(path, sizeof(path), "%s/%s", CONFIG_SSHDIR, arg);
	if ((gr = glob(path, 0, NULL, &g)) != 0) {
		if (gr != GLOB_NOMATCH)
			return perr(p, "include \"%s\" glob failed", path);
		pnote(p, LOG_LVL_DEBUG2, "no match for %s", path);
		return 0;
	}
	for (i = 0; r == 0 && i < g.gl_pathc; i++)
		r = include_file(p, g.gl_pathv[i]);
	globfree(&g);
	return r;
}

static int
h_include(struct pctx *p, const struct kw *k)
{
	const char *a;
	int n = 0, r, before = p->c->nmatches;

	if (p->cmdline)
		return perr(p, "Include directive not supported as a "
		    "command-line option");
	if (p->c->no_include)
		return perr(p, "Include is not allowed here");
	if (p->depth + 1 > CONFIG_MAX_DEPTH)
		return perr(p, "Too many recursive configuration includes");
	while ((a = arg_next(p)) != NULL) {
		if (*a == '\0')
			return perr(p, "keyword %s empty argument", p->kwtext);
		n++;
		if ((r = include_glob(p, a)) != 0)
			return r;
	}
	if (n == 0)
		return perr(p, "%s missing filename argument", p->kwtext);
	/* Keep file order: continue the current block after the new ones. */
	if (p->block >= 0 && p->c->nmatches != before) {
		if ((r = block_new(p->c, p->block, NULL, 0)) != 0)
			return r;
		p->block = p->c->nmatches - 1;
	}
	return 0;
}

static void
rtrim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && strchr(WS "\f", s[n - 1]) != NULL)
		s[--n] = '\0';
}

/* Handle one keyword once the line is split. */
static int
process_keyword(struct pctx *p, const struct kw *k, int flags,
    const char *orig)
{
	int r;

	if (p->in_match && !p->active && !(flags & KWF_MATCH))
		return perr(p, "Directive '%s' is not allowed within a Match "
		    "block", p->kwtext);
	if ((r = k->fn(p, k)) != 0)
		return r;
	if (p->ai < p->ac)
		return perr(p, "keyword %s extra arguments at end of line",
		    p->kwtext);
	if (p->block >= 0 && (flags & KWF_MATCH) && k->fn != h_match &&
	    k->fn != h_include)
		return block_record(p, orig);
	return 0;
}

static int
process_line(struct pctx *p, char *line)
{
	char *orig, *str = line, *kwd;
	const struct kw *k;
	int flags = 0, r;

	rtrim(line);
	if ((orig = strdup(line)) == NULL)
		return ERR_ALLOC;
	if ((kwd = strdelim(&str)) != NULL && *kwd == '\0')
		kwd = strdelim(&str);
	if (kwd == NULL || *kwd == '\0' || *kwd == '#')
		r = 0;
	else if (str == NULL || *str == '\0')
		r = perr(p, "no argument after keyword \"%s\"", kwd);
	else if ((k = kw_lookup(kwd, &flags)) == NULL) {
		snprintf(p->err, p->errlen, "%s: line %d: Bad configuration "
		    "option: %s", p->file, p->line, kwd);
		r = ERR_CONFIG;
	} else {
		p->kwtext = kwd;
		p->raw = str;
		p->ai = 0;
		if ((r = argv_split(str, &p->av, &p->ac)) == ERR_FORMAT)
			r = perr(p, "invalid quotes");
		else if (r == 0)
			r = process_keyword(p, k, flags, orig);
		argv_free(p->av, p->ac);
		p->av = NULL;
		p->ac = 0;
	}
	free(orig);
	return r;
}

static void
pctx_init(struct pctx *p, struct config *c, const char *file, char *err,
    size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->c = c;
	p->file = file;
	p->active = 1;
	p->block = -1;
	p->inc_parent = -1;
	p->inc_active = 1;
	p->err = err;
	p->errlen = errlen;
}

int
config_parse_text(struct config *c, const char *name, const char *text,
    size_t len, char *errbuf, size_t errlen)
{
	struct pctx p;

	pctx_init(&p, c, name, errbuf, errlen);
	return parse_lines(&p, text, len);
}

int
config_parse_option(struct config *c, const char *opt, char *errbuf,
    size_t errlen)
{
	struct pctx p;
	char *line;
	int r;

	if ((line = strdup(opt)) == NULL)
		return ERR_ALLOC;
	pctx_init(&p, c, "command-line", errbuf, errlen);
	p.cmdline = 1;
	r = strchr(line, '\n') ? perr(&p, "newline in option") :
	    process_line(&p, line);
	free(line);
	return r;
}

int
config_load_file(struct config *c, const char *path, char *errbuf,
    size_t errlen)
{
	char *text;
	size_t len;
	int r;

	if ((r = read_file(path, &text, &len, errbuf, errlen)) != 0)
		return r;
	r = config_parse_text(c, path, text, len, errbuf, errlen);
	free(text);
	return r;
}

/* ------------------------------------------------ defaults and lifetime */

static char *
must_dup(const char *s)
{
	char *d = strdup(s);

	ASSERT(d != NULL);
	return d;
}

static void
default_lists(struct config *c)
{
	static const char *const keys[] = { "/etc/ssh/ssh_host_rsa_key",
	    "/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key" };
	size_t i;

	if (c->nports == 0)
		c->ports[c->nports++] = NSSHD_PORT_DEFAULT;
	if (c->nhostkeys == 0)
		for (i = 0; i < 3; i++)
			ASSERT(hostkey_add(c, keys[i], 0) == 0);
	if (c->nauthkeys_files == 0) {
		c->authkeys_files[0] = must_dup(".ssh/authorized_keys");
		c->authkeys_files[1] = must_dup(".ssh/authorized_keys2");
		c->nauthkeys_files = 2;
	}
}

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	default_lists(c);
	c->pidfile = must_dup(NSSHD_PIDFILE);
	c->xauth_location = must_dup("/usr/bin/xauth");
	c->state_dir = must_dup(NSSHD_STATE_DIR);
	c->privsep_user = must_dup(NSSHD_PRIVSEP_USER);
	c->privsep_dir = must_dup(NSSHD_PRIVSEP_DIR);
	c->log_level = LOG_LVL_INFO;
	c->syslog_facility = LOG_AUTH;
	c->address_family = AF_UNSPEC;
	c->login_grace_time = 120;
	c->max_auth_tries = 6;
	c->max_sessions = 10;
	c->max_startups_begin = 10;
	c->max_startups_rate = 30;
	c->max_startups = 100;
	c->strict_modes = 1;
	c->permit_root_login = PERMIT_ROOT_PROHIBIT_PASSWORD;
	c->pubkey_authentication = 1;
	c->password_authentication = 1;
	c->kbd_interactive_authentication = 1;
	c->print_motd = 1;
	c->print_lastlog = 1;
	c->tcp_keepalive = 1;
	c->allow_tcp_forwarding = FORWARD_ALLOW;
	c->allow_streamlocal_forwarding = FORWARD_ALLOW;
	c->allow_agent_forwarding = 1;
	c->permit_tty = 1;
	c->permit_user_rc = 1;
	c->x11_display_offset = 10;
	c->x11_use_localhost = 1;
	c->streamlocal_bind_mask = 0177;
	c->client_alive_count_max = 3;
	c->container_ns = TARGET_NS_ALL;
	c->container_env = TARGET_ENV_INHERIT;
}

void
config_embedded(struct config *c)
{
	const struct kw *kl = kw_find("listenaddress"), *kp = kw_find("port"),
	    *kh = kw_find("hostkey");
	char path[PATH_MAX];

	if (!kw_isset(c, kl)) {
		kw_mark(c, kl);
		while (c->nlisten > 0)
			free(c->listen[--c->nlisten].host);
		c->listen[0].host = must_dup("127.0.0.1");
		c->listen[0].port = 0;
		c->nlisten = 1;
	}
	if (!kw_isset(c, kp) && !c->ports_from_cmdline) {
		kw_mark(c, kp);
		c->ports[0] = NSSHD_EMBEDDED_PORT;
		c->nports = 1;
	}
	if (!kw_isset(c, kh)) {
		kw_mark(c, kh);
		list_clear(c->hostkeys, &c->nhostkeys);
		snprintf(path, sizeof(path), "%s/ssh_host_ed25519_key",
		    c->state_dir);
		ASSERT(hostkey_add(c, path, 1) == 0);
	}
	c->embedded = 1;
}

/* sshd's derelativise_path(): ~ and ~user, then relative to the cwd. */
static void
absolutize(char **pp)
{
	char cwd[PATH_MAX], buf[PATH_MAX * 2], *p = *pp, *slash;
	const struct passwd *pw;
	size_t ul;

	if (p == NULL || *p == '/' || strcasecmp(p, "none") == 0)
		return;
	if (*p == '~') {
		slash = strchr(p, '/');
		ul = slash ? (size_t)(slash - p - 1) : strlen(p + 1);
		if (ul == 0)
			pw = getpwuid(getuid());
		else {
			snprintf(buf, sizeof(buf), "%.*s", (int)ul, p + 1);
			pw = getpwnam(buf);
		}
		if (pw == NULL)
			return;
		snprintf(buf, sizeof(buf), "%s%s", pw->pw_dir,
		    slash ? slash : "");
	} else if (getcwd(cwd, sizeof(cwd)) != NULL)
		snprintf(buf, sizeof(buf), "%s/%s", cwd, p);
	else
		return;
	free(*pp);
	*pp = must_dup(buf);
}

void
config_finish(struct config *c)
{
	int i;

	default_lists(c);
	if (c->nlisten == 0) {
		c->listen[0].host = NULL;
		c->listen[0].port = 0;
		c->nlisten = 1;
	}
	absolutize(&c->pidfile);
	absolutize(&c->banner);
	absolutize(&c->xauth_location);
	for (i = 0; i < c->nhostkeys; i++)
		absolutize(&c->hostkeys[i]);
}

static void
free_list(char **v, int *n)
{
	list_clear(v, n);
}

void
config_free(struct config *c)
{
	int i;

	for (i = 0; i < c->nlisten; i++)
		free(c->listen[i].host);
	for (i = 0; i < c->nsubsystems; i++) {
		free(c->subsystems[i].name);
		free(c->subsystems[i].command);
	}
	free_list(c->hostkeys, &c->nhostkeys);
	free_list(c->authkeys_files, &c->nauthkeys_files);
	free_list(c->accept_env, &c->naccept_env);
	free_list(c->allow_users, &c->nallow_users);
	free_list(c->deny_users, &c->ndeny_users);
	free_list(c->allow_groups, &c->nallow_groups);
	free_list(c->deny_groups, &c->ndeny_groups);
	free_list(c->permit_open, &c->npermit_open);
	free_list(c->permit_listen, &c->npermit_listen);
	free_list(c->set_env, &c->nset_env);
	free_list(c->auth_methods, &c->nauth_methods);
	free_list(c->engine_sockets, &c->nengine_sockets);
	free(c->container_target);
	free(c->container_user);
	free(c->container_workdir);
	free(c->pidfile);
	free(c->banner);
	free(c->version_addendum);
	free(c->ciphers);
	free(c->kex_algorithms);
	free(c->host_key_algorithms);
	free(c->macs);
	free(c->force_command);
	free(c->state_dir);
	free(c->privsep_user);
	free(c->privsep_dir);
	free(c->permit_user_env_allowlist);
	free(c->xauth_location);
	free(c->pubkey_accepted_algorithms);
	blocks_free(c);
	memset(c, 0, sizeof(*c));
}

static void
dup_str(char **s, int *fail)
{
	if (*s != NULL && (*s = strdup(*s)) == NULL)
		*fail = 1;
}

static void
dup_list(char **v, int n, int *fail)
{
	int i;

	for (i = 0; i < n; i++)
		dup_str(&v[i], fail);
}

static void
dup_blocks(struct config *d, const struct config *s, int *fail)
{
	int i, j;

	d->matches = NULL;
	d->nmatches = 0;
	for (i = 0; !*fail && i < s->nmatches; i++) {
		if (block_new(d, -1, s->matches[i].crit,
		    s->matches[i].ncrit) != 0) {
			*fail = 1;
			break;
		}
		for (j = 0; !*fail && j < s->matches[i].nlines; j++) {
			struct pctx p;

			pctx_init(&p, d, s->matches[i].lines[j].file, NULL, 0);
			p.line = s->matches[i].lines[j].line;
			p.block = i;
			*fail = block_record(&p, s->matches[i].lines[j].text)
			    != 0;
		}
	}
}

int
config_dup(struct config *d, const struct config *s)
{
	int i, fail = 0;

	memcpy(d, s, sizeof(*d));
	for (i = 0; i < d->nlisten; i++)
		dup_str(&d->listen[i].host, &fail);
	for (i = 0; i < d->nsubsystems; i++) {
		dup_str(&d->subsystems[i].name, &fail);
		dup_str(&d->subsystems[i].command, &fail);
	}
	dup_list(d->hostkeys, d->nhostkeys, &fail);
	dup_list(d->authkeys_files, d->nauthkeys_files, &fail);
	dup_list(d->accept_env, d->naccept_env, &fail);
	dup_list(d->allow_users, d->nallow_users, &fail);
	dup_list(d->deny_users, d->ndeny_users, &fail);
	dup_list(d->allow_groups, d->nallow_groups, &fail);
	dup_list(d->deny_groups, d->ndeny_groups, &fail);
	dup_list(d->permit_open, d->npermit_open, &fail);
	dup_list(d->permit_listen, d->npermit_listen, &fail);
	dup_list(d->set_env, d->nset_env, &fail);
	dup_list(d->auth_methods, d->nauth_methods, &fail);
	dup_list(d->engine_sockets, d->nengine_sockets, &fail);
	dup_str(&d->container_target, &fail);
	dup_str(&d->container_user, &fail);
	dup_str(&d->container_workdir, &fail);
	dup_str(&d->pidfile, &fail);
	dup_str(&d->banner, &fail);
	dup_str(&d->version_addendum, &fail);
	dup_str(&d->ciphers, &fail);
	dup_str(&d->kex_algorithms, &fail);
	dup_str(&d->host_key_algorithms, &fail);
	dup_str(&d->macs, &fail);
	dup_str(&d->force_command, &fail);
	dup_str(&d->state_dir, &fail);
	dup_str(&d->privsep_user, &fail);
	dup_str(&d->privsep_dir, &fail);
	dup_str(&d->permit_user_env_allowlist, &fail);
	dup_str(&d->xauth_location, &fail);
	dup_str(&d->pubkey_accepted_algorithms, &fail);
	dup_blocks(d, s, &fail);
	if (fail) {
		/* Every pointer left in d is a copy or NULL. */
		config_free(d);
		return ERR_ALLOC;
	}
	return 0;
}

/* ------------------------------------------------------ Match applying */

/* The user's group names, comma-separated (host database); NULL if none. */
static char *
user_groups_csv(const char *user)
{
	gid_t gids[256];
	int n = 256, i;
	struct passwd *pw;
	struct group *gr;
	char *out = NULL, *t;
	size_t len = 0;

	if ((pw = getpwnam(user)) == NULL ||
	    getgrouplist(user, pw->pw_gid, gids, &n) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((gr = getgrgid(gids[i])) == NULL)
			continue;
		if ((t = realloc(out, len + strlen(gr->gr_name) + 2)) == NULL)
			break;
		out = t;
		len += (size_t)sprintf(out + len, "%s%s", len ? "," : "",
		    gr->gr_name);
	}
	return out;
}

/* sshd's ga_match_pattern_list() over a comma-separated group list. */
static int
groups_match(const char *groups, const char *patterns)
{
	char *copy, *cp, *g;
	int found = 0, r = 0;

	if (groups == NULL || (copy = strdup(groups)) == NULL)
		return 0;
	for (cp = copy; (g = strsep(&cp, ",")) != NULL;) {
		if (*g == '\0')
			continue;
		if ((r = match_pattern_list(g, patterns, 0)) == -1)
			break;
		if (r == 1)
			found = 1;
	}
	free(copy);
	return r == -1 ? 0 : found;
}

struct conninfo {
	const char *user, *groups, *addr, *laddr;
	int lport;
};

static int
host_match(const char *host, const char *patterns)
{
	char buf[256];
	size_t i;

	if (host == NULL)
		return 0;
	for (i = 0; host[i] != '\0' && i < sizeof(buf) - 1; i++)
		buf[i] = (char)((host[i] >= 'A' && host[i] <= 'Z') ?
		    host[i] + 32 : host[i]);
	buf[i] = '\0';
	return match_pattern_list(buf, patterns, 1) == 1;
}

static int
crit_eval(const struct match_crit *cr, const struct conninfo *ci)
{
	switch (cr->type) {
	case MC_ALL:
		return 1;
	case MC_USER:
		return ci->user != NULL &&
		    match_pattern_list(ci->user, cr->arg, 0) == 1;
	case MC_GROUP:
		return ci->user != NULL && groups_match(ci->groups, cr->arg);
	case MC_HOST:
		return host_match(ci->addr, cr->arg);
	case MC_ADDRESS:
		return ci->addr != NULL && addr_match_list(ci->addr, cr->arg)
		    == 1;
	case MC_LADDRESS:
		return ci->laddr != NULL &&
		    addr_match_list(ci->laddr, cr->arg) == 1;
	case MC_LPORT:
		return ci->lport > 0 && a2port(cr->arg, 1) == ci->lport;
	}
	return 0;			/* RDomain: never on Linux */
}

static int
block_matches(const struct config_match *b, const struct conninfo *ci)
{
	int i;

	for (i = 0; i < b->ncrit; i++)
		if (!crit_eval(&b->crit[i], ci))
			return 0;
	return 1;
}

/* Copy what the overlay set (Match keywords only) into dst. */
static void
overlay_copy(struct config *dst, struct config *src)
{
	size_t i;
	int j, *sn, *dn;
	char **sv, **dv;

	for (i = 0; i < kwtab_n; i++) {
		const struct kw *k = &kwtab[i];

		if (k->canon != NULL || !(k->flags & KWF_MATCH) ||
		    !src->kwset[i])
			continue;
		if (k->store == ST_INT)
			*(int *)field(dst, k->off) = *(int *)field(src, k->off);
		else if (k->store == ST_STR) {
			sv = field(src, k->off);
			dv = field(dst, k->off);
			free(*dv);
			*dv = *sv;
			*sv = NULL;
		} else if (k->store == ST_LIST) {
			sv = field(src, k->off);
			dv = field(dst, k->off);
			sn = field(src, k->noff);
			dn = field(dst, k->noff);
			list_clear(dv, dn);
			for (j = 0; j < *sn; j++) {
				dv[j] = sv[j];
				sv[j] = NULL;
			}
			*dn = *sn;
			*sn = 0;
		}
		dst->kwset[i] = 1;
	}
}

static int
overlay_lines(struct config *mo, const struct config_match *b)
{
	char err[600], *line;
	struct pctx p;
	int j, r = 0;

	for (j = 0; r == 0 && j < b->nlines; j++) {
		pctx_init(&p, mo, b->lines[j].file, err, sizeof(err));
		p.line = b->lines[j].line;
		if ((line = strdup(b->lines[j].text)) == NULL)
			return ERR_ALLOC;
		if ((r = process_line(&p, line)) != 0 && mo->note != NULL)
			mo->note(LOG_LVL_ERROR, err);
		free(line);
	}
	return r;
}

int
config_apply_match(struct config *c, const char *user,
    const char *group_list_csv_or_NULL, const char *addr, const char *laddr,
    int lport)
{
	struct conninfo ci = { user, group_list_csv_or_NULL, addr, laddr,
	    lport };
	struct config *mo;
	char *groups = NULL;
	int i, r = 0;

	if (c->nmatches == 0)
		return 0;
	if ((mo = malloc(sizeof(*mo))) == NULL)
		return ERR_ALLOC;
	config_defaults(mo);
	mo->note = c->note;
	mo->no_include = 1;
	if (user != NULL && ci.groups == NULL)
		ci.groups = groups = user_groups_csv(user);
	for (i = 0; r == 0 && i < c->nmatches; i++)
		if (block_matches(&c->matches[i], &ci))
			r = overlay_lines(mo, &c->matches[i]);
	if (r == 0)
		overlay_copy(c, mo);
	free(groups);
	config_free(mo);
	free(mo);
	return r == 0 ? 0 : ERR_CONFIG;
}

/* ------------------------------------------------------------- queries */

const char *
config_subsystem(const struct config *c, const char *name)
{
	int i;

	for (i = 0; i < c->nsubsystems; i++)
		if (strcmp(c->subsystems[i].name, name) == 0)
			return c->subsystems[i].command;
	return NULL;
}

int
config_auth_method_allowed(const struct config *c, const char *method)
{
	int bit = method_bit(method), on, i;

	on = bit == AUTHM_PUBKEY ? c->pubkey_authentication :
	    bit == AUTHM_PASSWORD ? c->password_authentication :
	    bit == AUTHM_KBDINT ? c->kbd_interactive_authentication : 0;
	if (!on)
		return 0;
	if (c->nauth_methods == 0 || strcmp(c->auth_methods[0], "any") == 0)
		return 1;
	for (i = 0; i < c->nauth_methods; i++)
		if (method_bit(c->auth_methods[i]) == bit)
			return 1;
	return 0;
}

const char *
config_engine_socket(const struct config *c, const char *engine)
{
	size_t n = strlen(engine);
	int i;

	if (strcmp(engine, "docker") != 0 && strcmp(engine, "podman") != 0)
		return NULL;
	for (i = 0; i < c->nengine_sockets; i++)
		if (strncmp(c->engine_sockets[i], engine, n) == 0 &&
		    c->engine_sockets[i][n] == ':')
			return c->engine_sockets[i] + n + 1;
	return engine[0] == 'd' ? CONFIG_DOCKER_SOCKET : CONFIG_PODMAN_SOCKET;
}

int
config_env_accepted(const struct config *c, const char *name)
{
	int i;

	for (i = 0; i < c->naccept_env; i++)
		if (match_pattern(name, c->accept_env[i]))
			return 1;
	return 0;
}

static int
buf_append(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
	char *t;

	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		if ((t = realloc(*out, *cap)) == NULL)
			return -1;
		*out = t;
	}
	memcpy(*out + *len, s, n);
	*len += n;
	(*out)[*len] = '\0';
	return 0;
}

/* Expand %h %u %U %% into out; -1 on an unknown token or no memory. */
static int
expand_tokens(const char *t, const char *user, const char *home,
    unsigned long uid, char **out, size_t *len, size_t *cap)
{
	char num[32];
	const char *v;

	snprintf(num, sizeof(num), "%lu", uid);
	for (; *t != '\0'; t++) {
		if (*t != '%') {
			if (buf_append(out, len, cap, t, 1) != 0)
				return -1;
			continue;
		}
		switch (*++t) {
		case 'h': v = home; break;
		case 'u': v = user; break;
		case '%': v = "%"; break;
		case 'U': v = uid == (unsigned long)-1 ? NULL : num; break;
		default: return -1;
		}
		if (v == NULL || buf_append(out, len, cap, v, strlen(v)) != 0)
			return -1;
	}
	return 0;
}

char *
config_expand_path_uid(const char *tmpl, const char *user, const char *home,
    unsigned long uid)
{
	char *out = NULL, *abs;
	size_t len = 0, cap = 0;

	if (home == NULL || user == NULL ||
	    buf_append(&out, &len, &cap, "", 0) != 0)
		return NULL;
	if (expand_tokens(tmpl, user, home, uid, &out, &len, &cap) != 0) {
		free(out);
		return NULL;
	}
	if (*out == '/')
		return out;
	if ((abs = malloc(strlen(home) + len + 2)) != NULL)
		sprintf(abs, "%s/%s", home, out);
	free(out);
	return abs;
}

char *
config_expand_path(const char *tmpl, const char *user, const char *home)
{
	return config_expand_path_uid(tmpl, user, home, (unsigned long)-1);
}

/* ----------------------------------------------------------------- dump */

static void
dump_yn(int fd, const char *kw, int v)
{
	dprintf(fd, "%s %s\n", kw, v ? "yes" : "no");
}

static void
dump_str(int fd, const char *kw, const char *v)
{
	dprintf(fd, "%s %s\n", kw, v != NULL ? v : "none");
}

static void
dump_list(int fd, const char *kw, char *const *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		dprintf(fd, "%s %s\n", kw, v[i]);
}

static void
dump_oneline(int fd, const char *kw, char *const *v, int n,
    const char *empty)
{
	int i;

	if (n == 0) {
		if (empty != NULL)
			dprintf(fd, "%s %s\n", kw, empty);
		return;
	}
	dprintf(fd, "%s", kw);
	for (i = 0; i < n; i++)
		dprintf(fd, " %s", v[i]);
	dprintf(fd, "\n");
}

static void
dump_listen_host(int fd, const char *host, int port)
{
	if (strchr(host, ':') != NULL)
		dprintf(fd, "listenaddress [%s]:%d\n", host, port);
	else
		dprintf(fd, "listenaddress %s:%d\n", host, port);
}

static void
dump_listen(const struct config *c, int fd)
{
	int i, j, port;

	for (i = 0; i < c->nlisten; i++) {
		const struct listen_addr *l = &c->listen[i];

		for (j = 0; j < (l->port ? 1 : c->nports); j++) {
			port = l->port ? l->port : c->ports[j];
			if (l->host != NULL)
				dump_listen_host(fd, l->host, port);
			if (l->host == NULL && c->address_family != AF_INET)
				dump_listen_host(fd, "::", port);
			if (l->host == NULL && c->address_family != AF_INET6)
				dump_listen_host(fd, "0.0.0.0", port);
		}
	}
}

static void
dump_ints(const struct config *c, int fd)
{
	dprintf(fd, "logingracetime %d\n", c->login_grace_time);
	dprintf(fd, "x11displayoffset %d\n", c->x11_display_offset);
	dprintf(fd, "maxauthtries %d\n", c->max_auth_tries);
	dprintf(fd, "maxsessions %d\n", c->max_sessions);
	dprintf(fd, "clientaliveinterval %d\n", c->client_alive_interval);
	dprintf(fd, "clientalivecountmax %d\n", c->client_alive_count_max);
	dprintf(fd, "streamlocalbindmask %04o\n", c->streamlocal_bind_mask);
	dprintf(fd, "permitrootlogin %s\n",
	    c->permit_root_login == PERMIT_ROOT_PROHIBIT_PASSWORD ?
	    "without-password" : enum_name(ms_permitroot,
	    c->permit_root_login));
}

static void
dump_flags(const struct config *c, int fd)
{
	dump_yn(fd, "pubkeyauthentication", c->pubkey_authentication);
	dump_yn(fd, "passwordauthentication", c->password_authentication);
	dump_yn(fd, "kbdinteractiveauthentication",
	    c->kbd_interactive_authentication);
	dump_yn(fd, "printmotd", c->print_motd);
	dump_yn(fd, "printlastlog", c->print_lastlog);
	dump_yn(fd, "x11forwarding", c->x11_forwarding);
	dump_yn(fd, "x11uselocalhost", c->x11_use_localhost);
	dump_yn(fd, "permittty", c->permit_tty);
	dump_yn(fd, "permituserrc", c->permit_user_rc);
	dump_yn(fd, "strictmodes", c->strict_modes);
	dump_yn(fd, "tcpkeepalive", c->tcp_keepalive);
	dump_yn(fd, "permitemptypasswords", c->permit_empty_passwords);
	dprintf(fd, "gatewayports %s\n", enum_name(ms_gateway,
	    c->gateway_ports));
	dump_yn(fd, "usedns", c->use_dns);
	dprintf(fd, "allowtcpforwarding %s\n", enum_name(ms_tcpfwd,
	    c->allow_tcp_forwarding));
	dump_yn(fd, "allowagentforwarding", c->allow_agent_forwarding);
	dump_yn(fd, "disableforwarding", c->disable_forwarding);
	dprintf(fd, "allowstreamlocalforwarding %s\n", enum_name(ms_tcpfwd,
	    c->allow_streamlocal_forwarding));
	dump_yn(fd, "streamlocalbindunlink", c->streamlocal_bind_unlink);
}

static void
dump_strings(const struct config *c, int fd)
{
	dump_str(fd, "pidfile", c->pidfile);
	dump_str(fd, "xauthlocation", c->xauth_location);
	if (c->ciphers != NULL)
		dump_str(fd, "ciphers", c->ciphers);
	if (c->macs != NULL)
		dump_str(fd, "macs", c->macs);
	dump_str(fd, "banner", c->banner);
	dump_str(fd, "forcecommand", c->force_command);
	dump_str(fd, "versionaddendum", c->version_addendum);
	if (c->kex_algorithms != NULL)
		dump_str(fd, "kexalgorithms", c->kex_algorithms);
	if (c->host_key_algorithms != NULL)
		dump_str(fd, "hostkeyalgorithms", c->host_key_algorithms);
	if (c->pubkey_accepted_algorithms != NULL)
		dump_str(fd, "pubkeyacceptedalgorithms",
		    c->pubkey_accepted_algorithms);
	dprintf(fd, "loglevel %s\n", log_level_name(c->log_level));
	dprintf(fd, "syslogfacility %s\n", enum_name(ms_facility,
	    c->syslog_facility));
}

static void
dump_lists(const struct config *c, int fd)
{
	int i;

	dump_oneline(fd, "authorizedkeysfile", c->authkeys_files,
	    c->nauthkeys_files, "none");
	dump_list(fd, "hostkey", c->hostkeys, c->nhostkeys);
	dump_list(fd, "allowusers", c->allow_users, c->nallow_users);
	dump_list(fd, "denyusers", c->deny_users, c->ndeny_users);
	dump_list(fd, "allowgroups", c->allow_groups, c->nallow_groups);
	dump_list(fd, "denygroups", c->deny_groups, c->ndeny_groups);
	dump_list(fd, "acceptenv", c->accept_env, c->naccept_env);
	dump_oneline(fd, "setenv", c->set_env, c->nset_env, NULL);
	dump_oneline(fd, "authenticationmethods", c->auth_methods,
	    c->nauth_methods, "any");
	for (i = 0; i < c->nsubsystems; i++)
		dprintf(fd, "subsystem %s %s\n", c->subsystems[i].name,
		    c->subsystems[i].command);
	dprintf(fd, "maxstartups %d:%d:%d\n", c->max_startups_begin,
	    c->max_startups_rate, c->max_startups);
	dump_oneline(fd, "permitopen", c->permit_open, c->npermit_open,
	    "any");
	dump_oneline(fd, "permitlisten", c->permit_listen, c->npermit_listen,
	    "any");
	dprintf(fd, "permituserenvironment %s\n",
	    c->permit_user_env_allowlist ? c->permit_user_env_allowlist :
	    c->permit_user_environment ? "yes" : "no");
}

/* ContainerNamespaces as it parses back: "all" or "mnt,uts,...". */
static void
dump_namespaces(int fd, int mask)
{
	const char *sep = " ";
	int i;

	if ((mask & TARGET_NS_ALL) == TARGET_NS_ALL) {
		dprintf(fd, "containernamespaces all\n");
		return;
	}
	dprintf(fd, "containernamespaces");
	for (i = 0; ms_namespaces[i].name != NULL; i++)
		if (mask & ms_namespaces[i].val) {
			dprintf(fd, "%s%s", sep, ms_namespaces[i].name);
			sep = ",";
		}
	dprintf(fd, "\n");
}

/* The container keywords, defaults shown as what they mean. */
static void
dump_container(const struct config *c, int fd)
{
	dump_str(fd, "containertarget", c->container_target);
	dprintf(fd, "containerenginesocket docker:%s podman:%s\n",
	    config_engine_socket(c, "docker"), config_engine_socket(c, "podman"));
	dump_str(fd, "containeruser", c->container_user != NULL ?
	    c->container_user : "%u");
	dump_namespaces(fd, c->container_ns);
	dprintf(fd, "containerenvironment %s\n", enum_name(ms_containerenv,
	    c->container_env));
	dump_str(fd, "containerworkdir", c->container_workdir);
}

void
config_dump(const struct config *c, int fd)
{
	int i;

	for (i = 0; i < c->nports; i++)
		dprintf(fd, "port %d\n", c->ports[i]);
	dprintf(fd, "addressfamily %s\n", enum_name(ms_family,
	    c->address_family));
	dump_listen(c, fd);
	dump_yn(fd, "usepam", c->use_pam);
	dump_ints(c, fd);
	dump_flags(c, fd);
	dump_strings(c, fd);
	dump_lists(c, fd);
	dump_container(c, fd);
}

/* ------------------------------------------------------------- patterns */

int
match_pattern(const char *s, const char *p)
{
	const char *star = NULL, *retry = NULL;

	for (;;) {
		if (*p == '*') {
			star = ++p;
			retry = s;
			continue;
		}
		if (*s == '\0')
			return *p == '\0';
		if (*p != '\0' && (*p == '?' || *p == *s)) {
			s++;
			p++;
			continue;
		}
		if (star == NULL)
			return 0;
		p = star;
		s = ++retry;
	}
}

int
match_pattern_list(const char *s, const char *list, int dolower)
{
	char sub[1024];
	size_t i = 0, len = strlen(list), j;
	int neg, got = 0;

	while (i < len) {
		neg = list[i] == '!';
		if (neg)
			i++;
		for (j = 0; i < len && j < sizeof(sub) - 1 && list[i] != ',';
		    i++, j++)
			sub[j] = (char)(dolower && list[i] >= 'A' &&
			    list[i] <= 'Z' ? list[i] + 32 : list[i]);
		if (j >= sizeof(sub) - 1)
			return 0;
		if (i < len && list[i] == ',')
			i++;
		sub[j] = '\0';
		if (match_pattern(s, sub)) {
			if (neg)
				return -1;
			got = 1;
		}
	}
	return got;
}

struct xaddr {
	int af;
	unsigned char a[16];
};

static int
addr_pton(const char *s, struct xaddr *x)
{
	memset(x, 0, sizeof(*x));
	if (inet_pton(AF_INET, s, x->a) == 1) {
		x->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, x->a) == 1) {
		x->af = AF_INET6;
		return 0;
	}
	return -1;
}

static int
addr_bits(const struct xaddr *x)
{
	return x->af == AF_INET ? 32 : 128;
}

/* Bits [masklen, end) all zero? */
static int
host_bits_zero(const struct xaddr *x, int masklen)
{
	int b;

	for (b = masklen; b < addr_bits(x); b++)
		if (x->a[b / 8] & (0x80 >> (b % 8)))
			return 0;
	return 1;
}

/* "addr[/len]": 0 ok, -1 not an address, -2 bad mask. */
static int
addr_pton_cidr(const char *p, struct xaddr *x, int *masklen)
{
	char buf[64], *slash, *end;
	long ml = -1;

	if (strlen(p) >= sizeof(buf))
		return -1;
	strcpy(buf, p);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		if (*slash < '0' || *slash > '9')
			return -1;
		ml = strtol(slash, &end, 10);
		if (*end != '\0' || ml > 128)
			return -1;
	}
	if (addr_pton(buf, x) != 0)
		return -1;
	if (ml < 0)
		ml = addr_bits(x);
	if (ml > addr_bits(x) || !host_bits_zero(x, (int)ml))
		return -2;
	*masklen = (int)ml;
	return 0;
}

static int
addr_netmatch(const struct xaddr *h, const struct xaddr *n, int masklen)
{
	int b;

	if (h->af != n->af)
		return 0;
	for (b = 0; b < masklen; b++)
		if ((h->a[b / 8] ^ n->a[b / 8]) & (0x80 >> (b % 8)))
			return 0;
	return 1;
}

int
addr_match_list(const char *addr, const char *list)
{
	struct xaddr try, net;
	char *copy, *cp, *ent;
	int ret = 0, neg, masklen, r, hit;

	if (addr != NULL && addr_pton(addr, &try) != 0)
		return 0;
	if ((copy = strdup(list)) == NULL)
		return -2;
	for (cp = copy; (ent = strsep(&cp, ",")) != NULL;) {
		if ((neg = *ent == '!'))
			ent++;
		if (*ent == '\0') {
			ret = -2;
			break;
		}
		if ((r = addr_pton_cidr(ent, &net, &masklen)) == -2) {
			ret = -2;
			break;
		}
		hit = addr != NULL && (r == 0 ?
		    addr_netmatch(&try, &net, masklen) :
		    match_pattern(addr, ent));
		if (hit && neg) {
			ret = -1;
			break;
		}
		if (hit)
			ret = 1;
	}
	free(copy);
	return ret;
}

int
match_host_and_ip(const char *host, const char *ip, const char *patterns)
{
	int mhost, mip;

	if ((mip = addr_match_list(ip, patterns)) == -2)
		return -1;
	if (host == NULL || ip == NULL || mip == -1)
		return 0;
	if ((mhost = host_match(host, patterns) ? 1 : 0) == 0 &&
	    match_pattern_list(host, patterns, 1) == -1)
		return 0;
	return mhost || mip ? 1 : 0;
}

int
match_user_pattern(const char *user, const char *host, const char *ip,
    const char *pattern)
{
	char *copy, *at;
	int r;

	at = strrchr(pattern, '@');
	if (user == NULL && host == NULL && ip == NULL)
		return at != NULL && match_host_and_ip(NULL, NULL, at + 1) < 0 ?
		    -1 : 0;
	if (user == NULL)
		return 0;
	if (at == NULL)
		return match_pattern(user, pattern);
	if ((copy = strdup(pattern)) == NULL)
		return -1;
	copy[at - pattern] = '\0';
	r = match_pattern(user, copy);
	if (r == 1)
		r = match_host_and_ip(host, ip, at + 1);
	free(copy);
	return r;
}

/* --------------------------------------------------- command-line items */

int
config_add_port(struct config *c, int port)
{
	const struct kw *k = kw_find("port");

	if (!kw_isset(c, k)) {
		kw_mark(c, k);
		c->nports = 0;
	}
	if (c->nports >= CONFIG_MAX_LISTEN)
		return ERR_TOOMANY;
	c->ports[c->nports++] = port;
	c->ports_from_cmdline = 1;
	return 0;
}

int
config_add_hostkey(struct config *c, const char *path)
{
	const struct kw *k = kw_find("hostkey");

	if (!kw_isset(c, k)) {
		kw_mark(c, k);
		list_clear(c->hostkeys, &c->nhostkeys);
	}
	return hostkey_add(c, path, 1);
}
