/*
 * config_lists.c - handlers of the keywords that take lists.
 *
 * Two kinds, as in sshd: lists that accumulate over lines (Port,
 * ListenAddress, HostKey, Subsystem, AcceptEnv, Allow/DenyUsers,
 * Allow/DenyGroups), where the first line drops the built-in defaults, and
 * lists set whole by their first line (AuthorizedKeysFile, SetEnv,
 * PermitOpen, PermitListen, AuthenticationMethods).  Also the
 * authentication method names config_auth_method_allowed() checks.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "monitor/config.h"
#include "monitor/config_int.h"

/* --------------------------------------------------- accumulating lists */

int
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

int
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

int
hostkey_add(struct config *c, const char *path, int user)
{
	if (c->nhostkeys >= CONFIG_MAX_HOSTKEYS)
		return ERR_TOOMANY;
	if ((c->hostkeys[c->nhostkeys] = strdup(path)) == NULL)
		return ERR_ALLOC;
	c->hostkeys_user[c->nhostkeys++] = user;
	return 0;
}

int
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

int
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

int
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

int
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

int
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

/* ----------------------------------------------------- first-line lists */

/* Lists set by their first line only (AuthorizedKeysFile, SetEnv, ...). */
int
list_firstline(struct pctx *p, const struct kw *k, int *fresh)
{
	*fresh = p->active && !kw_isset(p->c, k);
	if (*fresh)
		list_begin(p, k, field(p->c, k->off), field(p->c, k->noff));
	return 0;
}

int
list_put(struct pctx *p, const struct kw *k, const char *a)
{
	return list_add(p, field(p->c, k->off), field(p->c, k->noff), k->max,
	    a);
}

int
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

int
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

int
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

int
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
int
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
