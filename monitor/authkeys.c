/*
 * authkeys.c - authorized_keys lines (see authkeys.h).
 *
 * A line is split into its options field (quote-aware, up to the first
 * unquoted blank), key type and base64 blob; only a line whose decoded
 * blob equals the one asked for gets its options parsed and checked.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/err.h"
#include "crypto/sshkey.h"
#include "monitor/authkeys.h"
#include "monitor/config.h"
#include "proto/buf.h"

/* Key type names OpenSSH reads in authorized_keys. */
static const char *const key_types[] = {
	"ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
	"sk-ecdsa-sha2-nistp256@openssh.com", "sk-ssh-ed25519@openssh.com",
	"ssh-xmss@openssh.com", "ssh-ed25519-cert-v01@openssh.com",
	"ssh-rsa-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com",
	"ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"ecdsa-sha2-nistp384-cert-v01@openssh.com",
	"ecdsa-sha2-nistp521-cert-v01@openssh.com",
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"sk-ssh-ed25519-cert-v01@openssh.com",
	"ssh-xmss-cert-v01@openssh.com", NULL,
};

struct akline {
	const char *opts;		/* NULL if the line has none */
	size_t optslen;
	const char *type;
	size_t typelen;
	const char *b64;
	size_t b64len;
};

void
authkey_opts_init(struct authkey_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->tunnel = -1;
}

static void
strv_free(char **v, int n)
{
	int i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

void
authkey_opts_free(struct authkey_opts *o)
{
	if (o == NULL)
		return;
	free(o->command);
	free(o->from);
	free(o->principals);
	strv_free(o->env, o->nenv);
	strv_free(o->permitopen, o->npermitopen);
	strv_free(o->permitlisten, o->npermitlisten);
	authkey_opts_init(o);
}

/* ------------------------------------------------------------ options */

/* sshd's opt_flag(): "name" or "no-name" (when negatable); -1 if neither. */
static int
opt_flag(const char **sp, const char *name, int negatable)
{
	const char *s = *sp;
	size_t n = strlen(name);
	int neg = 0;

	if (negatable && strncasecmp(s, "no-", 3) == 0) {
		s += 3;
		neg = 1;
	}
	if (strncasecmp(s, name, n) != 0)
		return -1;
	*sp = s + n;
	return !neg;
}

/* "name=" ; advances past the '='. */
static int
opt_match(const char **sp, const char *name)
{
	size_t n = strlen(name);

	if (strncasecmp(*sp, name, n) != 0 || (*sp)[n] != '=')
		return 0;
	*sp += n + 1;
	return 1;
}

/* A "quoted" value with \" escapes; NULL with *errstr on error. */
static char *
opt_dequote(const char **sp, const char **errstr)
{
	const char *s = *sp;
	char *ret;
	size_t i = 0;

	if (*s != '"') {
		*errstr = "missing start quote";
		return NULL;
	}
	s++;
	if ((ret = malloc(strlen(s) + 1)) == NULL) {
		*errstr = "memory allocation failed";
		return NULL;
	}
	for (; *s != '\0' && *s != '"'; s++) {
		if (s[0] == '\\' && s[1] == '"')
			s++;
		ret[i++] = *s;
	}
	if (*s == '\0') {
		*errstr = "missing end quote";
		free(ret);
		return NULL;
	}
	ret[i] = '\0';
	*sp = s + 1;
	return ret;
}

static int
strv_push(char ***v, int *n, int max, char *s, const char **errstr)
{
	char **nv;

	if (*n >= max) {
		*errstr = "too many entries";
		return -1;
	}
	if ((nv = realloc(*v, (size_t)(*n + 2) * sizeof(**v))) == NULL) {
		*errstr = "memory allocation failed";
		return -1;
	}
	*v = nv;
	nv[(*n)++] = s;
	nv[*n] = NULL;
	return 0;
}

static int
valid_env_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_'))
			return 0;
	return 1;
}

static int
opt_env(struct authkey_opts *o, char *v, const char **errstr)
{
	const char *eq = strchr(v, '=');
	size_t n = eq ? (size_t)(eq - v) : 0;
	int i;

	if (eq == NULL || !valid_env_name(v, n)) {
		*errstr = "invalid environment string";
		free(v);
		return -1;
	}
	for (i = 0; i < o->nenv; i++)
		if (strncmp(o->env[i], v, n + 1) == 0) {
			free(v);		/* first one wins */
			return 0;
		}
	if (strv_push(&o->env, &o->nenv, AUTHKEY_MAX_ENV, v, errstr) != 0) {
		free(v);
		return -1;
	}
	return 0;
}

/* permitopen="host:port" / permitlisten="[host:]port". */
static int
opt_permit(char ***v, int *n, int listen, char *val, const char **errstr)
{
	const char *colon = strrchr(val, ':'), *port;
	char *end;
	long p;

	if (listen && colon == NULL)
		port = val;
	else if (colon == NULL || colon == val) {
		*errstr = "missing host in permitopen/permitlisten";
		free(val);
		return -1;
	} else
		port = colon + 1;
	p = strtol(port, &end, 10);
	if (strcmp(port, "*") != 0 && (*port < '0' || *port > '9' ||
	    *end != '\0' || p < 0 || p > 65535)) {
		*errstr = "invalid port";
		free(val);
		return -1;
	}
	if (strv_push(v, n, AUTHKEY_MAX_PERMIT, val, errstr) != 0) {
		free(val);
		return -1;
	}
	return 0;
}

/* Two decimal digits at s[i]. */
static int
two(const char *s, size_t i)
{
	return (s[i] - '0') * 10 + (s[i + 1] - '0');
}

/* expiry-time: YYYYMMDD[HHMM[SS]] local time, or with a trailing Z, UTC. */
static int
parse_expiry(const char *s, long long *out)
{
	size_t n = strlen(s), i;
	struct tm tm;
	int utc = n > 0 && (s[n - 1] == 'Z' || s[n - 1] == 'z');
	time_t t;

	if (utc)
		n--;
	if (n != 8 && n != 12 && n != 14)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = two(s, 0) * 100 + two(s, 2) - 1900;
	tm.tm_mon = two(s, 4) - 1;
	tm.tm_mday = two(s, 6);
	if (n >= 12) {
		tm.tm_hour = two(s, 8);
		tm.tm_min = two(s, 10);
	}
	if (n == 14)
		tm.tm_sec = two(s, 12);
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	tm.tm_isdst = -1;
	if ((t = utc ? timegm(&tm) : mktime(&tm)) <= 0)
		return -1;
	*out = (long long)t;
	return 0;
}

static int
opt_string(char **dst, const char **sp, const char *dupmsg,
    const char **errstr)
{
	if (*dst != NULL) {
		*errstr = dupmsg;
		return -1;
	}
	return (*dst = opt_dequote(sp, errstr)) == NULL ? -1 : 0;
}

static int
opt_expiry(struct authkey_opts *o, const char **sp, const char **errstr)
{
	long long t;
	char *v;

	if ((v = opt_dequote(sp, errstr)) == NULL)
		return -1;
	if (parse_expiry(v, &t) != 0) {
		free(v);
		*errstr = "invalid expires time";
		return -1;
	}
	free(v);
	if (o->expiry == 0 || t < o->expiry)
		o->expiry = t;
	return 0;
}

static int
opt_tunnel(struct authkey_opts *o, const char **sp, const char **errstr)
{
	char *v, *end;
	long t;

	if ((v = opt_dequote(sp, errstr)) == NULL)
		return -1;
	t = strtol(v, &end, 10);
	if (strcasecmp(v, "any") == 0)
		t = 0x7fffffff;
	else if (*v < '0' || *v > '9' || *end != '\0' || t > 0x7ffffffe) {
		free(v);
		*errstr = "invalid tun device";
		return -1;
	}
	free(v);
	o->tunnel = (int)t;
	return 0;
}

/* Flag options; 1 if one was consumed. */
static int
opt_flags(struct authkey_opts *o, const char **sp)
{
	int r;

	if (opt_flag(sp, "restrict", 0) != -1) {
		o->restricted = 1;
		o->no_pty = o->no_port_forwarding = o->no_agent_forwarding =
		    o->no_x11_forwarding = o->no_user_rc = 1;
	} else if ((r = opt_flag(sp, "cert-authority", 0)) != -1)
		o->cert_authority = 1;
	else if ((r = opt_flag(sp, "port-forwarding", 1)) != -1)
		o->no_port_forwarding = !r;
	else if ((r = opt_flag(sp, "agent-forwarding", 1)) != -1)
		o->no_agent_forwarding = !r;
	else if ((r = opt_flag(sp, "x11-forwarding", 1)) != -1)
		o->no_x11_forwarding = !r;
	else if ((r = opt_flag(sp, "touch-required", 1)) != -1)
		o->no_touch_required = !r;
	else if ((r = opt_flag(sp, "verify-required", 1)) != -1)
		o->verify_required = r;
	else if ((r = opt_flag(sp, "pty", 1)) != -1)
		o->no_pty = !r;
	else if ((r = opt_flag(sp, "user-rc", 1)) != -1)
		o->no_user_rc = !r;
	else
		return 0;
	return 1;
}

/* One option at *sp (flag or name="value"); -1 with *errstr on error. */
static int
opt_one(struct authkey_opts *o, const char **sp, const char **errstr)
{
	char *v;

	if (opt_flags(o, sp))
		return 0;
	if (opt_match(sp, "command"))
		return opt_string(&o->command, sp,
		    "multiple \"command\" clauses", errstr);
	if (opt_match(sp, "principals"))
		return opt_string(&o->principals, sp,
		    "multiple \"principals\" clauses", errstr);
	if (opt_match(sp, "from"))
		return opt_string(&o->from, sp, "multiple \"from\" clauses",
		    errstr);
	if (opt_match(sp, "expiry-time"))
		return opt_expiry(o, sp, errstr);
	if (opt_match(sp, "tunnel"))
		return opt_tunnel(o, sp, errstr);
	if (opt_match(sp, "environment"))
		return (v = opt_dequote(sp, errstr)) == NULL ? -1 :
		    opt_env(o, v, errstr);
	if (opt_match(sp, "permitopen"))
		return (v = opt_dequote(sp, errstr)) == NULL ? -1 :
		    opt_permit(&o->permitopen, &o->npermitopen, 0, v, errstr);
	if (opt_match(sp, "permitlisten"))
		return (v = opt_dequote(sp, errstr)) == NULL ? -1 :
		    opt_permit(&o->permitlisten, &o->npermitlisten, 1, v,
		    errstr);
	return 0;			/* unknown: caught by the ',' check */
}

static int
parse_options_str(const char *s, struct authkey_opts *o, const char **errstr)
{
	while (*s != '\0' && *s != ' ' && *s != '\t') {
		if (opt_one(o, &s, errstr) != 0)
			return -1;
		if (*s == '\0' || *s == ' ' || *s == '\t')
			break;
		if (*s != ',') {
			*errstr = "unknown key option";
			return -1;
		}
		if (*++s == '\0') {
			*errstr = "unexpected end-of-options";
			return -1;
		}
	}
	return 0;
}

int
authkeys_parse_options(const char *s, size_t n, struct authkey_opts *o,
    const char **errstr)
{
	char *copy;
	int r;

	*errstr = NULL;
	if (memchr(s, '\0', n) != NULL) {
		*errstr = "NUL in options";
		return ERR_FORMAT;
	}
	if ((copy = malloc(n + 1)) == NULL) {
		*errstr = "memory allocation failed";
		return ERR_ALLOC;
	}
	memcpy(copy, s, n);
	copy[n] = '\0';
	r = parse_options_str(copy, o, errstr);
	free(copy);
	if (r != 0) {
		authkey_opts_free(o);
		return ERR_FORMAT;
	}
	return 0;
}

/* --------------------------------------------------------------- lines */

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static size_t
skip_blank(const char *s, size_t i, size_t n)
{
	while (i < n && is_blank(s[i]))
		i++;
	return i;
}

static size_t
token_end(const char *s, size_t i, size_t n)
{
	while (i < n && !is_blank(s[i]))
		i++;
	return i;
}

static int
known_type(const char *s, size_t n)
{
	const char *const *t;

	for (t = key_types; *t != NULL; t++)
		if (strlen(*t) == n && memcmp(*t, s, n) == 0)
			return 1;
	return 0;
}

/* sshkey_advance_past_options(): to the first unquoted blank. */
static int
options_end(const char *s, size_t i, size_t n, size_t *end)
{
	int quoted = 0;

	for (; i < n && (quoted || (s[i] != ' ' && s[i] != '\t')); i++) {
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == '"')
			i++;
		else if (s[i] == '"')
			quoted = !quoted;
	}
	*end = i;
	return quoted ? -1 : 0;
}

/* Split one line; -1 for blank, comment or unparsable lines. */
static int
split_line(const char *s, size_t n, struct akline *l)
{
	size_t i = skip_blank(s, 0, n), e;

	memset(l, 0, sizeof(*l));
	if (i >= n || s[i] == '#' || memchr(s, '\0', n) != NULL)
		return -1;
	e = token_end(s, i, n);
	if (!known_type(s + i, e - i)) {
		if (options_end(s, i, n, &e) != 0)
			return -1;
		l->opts = s + i;
		l->optslen = e - i;
		i = skip_blank(s, e, n);
		e = token_end(s, i, n);
		if (!known_type(s + i, e - i))
			return -1;
	}
	l->type = s + i;
	l->typelen = e - i;
	i = skip_blank(s, e, n);
	e = token_end(s, i, n);
	l->b64 = s + i;
	l->b64len = e - i;
	return l->b64len == 0 ? -1 : 0;
}

/* Does the line's key equal blob (and is it a type nsshd uses)? */
static int
key_matches(const struct akline *l, const unsigned char *blob,
    size_t bloblen)
{
	char type[64];
	struct buf dec, b;
	const unsigned char *p;
	size_t n;
	int ok = 0;

	if (l->typelen >= sizeof(type))
		return 0;
	memcpy(type, l->type, l->typelen);
	type[l->typelen] = '\0';
	if (sshkey_type_from_name(type) == KEY_UNSPEC)
		return 0;
	buf_init(&dec, 0);
	if (b64_decode(l->b64, l->b64len, &dec) == 0 &&
	    buf_len(&dec) == bloblen &&
	    memcmp(buf_ptr(&dec), blob, bloblen) == 0) {
		buf_view(&b, blob, bloblen);
		ok = buf_get_sview(&b, &p, &n) == 0 && n == l->typelen &&
		    memcmp(p, l->type, n) == 0;
	}
	buf_free(&dec);
	return ok;
}

static void
set_why(char *why, size_t whylen, const char *s1, const char *s2)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s%s", s1, s2);
}

/* Check a matching line's options; 0 if the key may be used. */
static int
line_allowed(const struct akline *l, const char *addr, long long now,
    struct authkey_opts *o, char *why, size_t whylen)
{
	const char *errstr = NULL;
	char buf[512];

	if (l->opts != NULL &&
	    authkeys_parse_options(l->opts, l->optslen, o, &errstr) != 0) {
		set_why(why, whylen, "bad key options: ", errstr);
		return -1;
	}
	if (o->cert_authority)
		return -1;
	if (o->from != NULL && (addr == NULL ||
	    match_host_and_ip(addr, addr, o->from) != 1)) {
		snprintf(buf, sizeof(buf), "with correct key but not from a "
		    "permitted host (host=%.100s, ip=%.100s, required=%.200s).",
		    addr ? addr : "", addr ? addr : "", o->from);
		set_why(why, whylen, buf, "");
		return -1;
	}
	if (o->expiry != 0 && now > 0 && o->expiry < now) {
		snprintf(buf, sizeof(buf), "entry expired at %lld", o->expiry);
		set_why(why, whylen, buf, "");
		return -1;
	}
	return 0;
}

int
authkeys_find_ex(const char *text, size_t len, const unsigned char *blob,
    size_t bloblen, const char *client_addr, long long now,
    struct authkey_opts *out, char *why, size_t whylen)
{
	const char *end = text + len, *nl;
	struct akline l;
	size_t n;
	int line = 0;

	authkey_opts_init(out);
	set_why(why, whylen, "", "");
	while (text < end) {
		line++;
		nl = memchr(text, '\n', (size_t)(end - text));
		n = nl ? (size_t)(nl - text) : (size_t)(end - text);
		if (split_line(text, n, &l) == 0 &&
		    key_matches(&l, blob, bloblen)) {
			if (line_allowed(&l, client_addr, now, out, why,
			    whylen) == 0) {
				out->line = line;
				return 0;
			}
			authkey_opts_free(out);
		}
		text += n + (nl ? 1 : 0);
	}
	return ERR_NOTFOUND;
}

int
authkeys_find(const char *text, size_t len, const unsigned char *blob,
    size_t bloblen, const char *client_addr, struct authkey_opts *out)
{
	return authkeys_find_ex(text, len, blob, bloblen, client_addr,
	    (long long)time(NULL), out, NULL, 0);
}
