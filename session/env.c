/*
 * env.c - the login environment, as OpenSSH's sshd builds it without PAM.
 *
 * Order: USER LOGNAME HOME PATH MAIL SHELL [TERM] SSH_CLIENT SSH_CONNECTION
 * [SSH_TTY], then the variables the client sent and the policy accepted;
 * one of those with the name of an earlier entry replaces it in place.
 * Pure: the result depends only on the parameters.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defaults.h"
#include "session/session.h"

struct envv {
	char **v;	/* NULL-ended */
	size_t n;	/* entries before the NULL */
	size_t cap;	/* slots allocated */
	int failed;	/* an allocation failed; the result is dropped */
};

/* Length of the NAME part of "NAME=value", or 0 if there is no '='. */
static size_t
name_len(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq == NULL ? 0 : (size_t)(eq - s);
}

/* Put an allocated "NAME=value" (owned by e afterwards). */
static void
env_put_owned(struct envv *e, char *kv)
{
	size_t i, nl = name_len(kv);
	char **nv;

	for (i = 0; i < e->n; i++) {
		if (name_len(e->v[i]) == nl && strncmp(e->v[i], kv, nl) == 0) {
			free(e->v[i]);
			e->v[i] = kv;
			return;
		}
	}
	if (e->n + 2 > e->cap) {
		nv = reallocarray(e->v, e->cap * 2 + 16, sizeof(*nv));
		if (nv == NULL) {
			free(kv);
			e->failed = 1;
			return;
		}
		e->v = nv;
		e->cap = e->cap * 2 + 16;
	}
	e->v[e->n++] = kv;
	e->v[e->n] = NULL;
}

/* Put NAME=value (copied). */
static void
env_set(struct envv *e, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);
	char *kv;

	if (e->failed)
		return;
	if ((kv = malloc(nl + vl + 2)) == NULL) {
		e->failed = 1;
		return;
	}
	memcpy(kv, name, nl);
	kv[nl] = '=';
	memcpy(kv + nl + 1, value, vl + 1);
	env_put_owned(e, kv);
}

/* Put an accepted "NAME=value" from the client (copied); no '=': ignored. */
static void
env_put_extra(struct envv *e, const char *kv)
{
	char *c;

	if (e->failed || name_len(kv) == 0)
		return;
	if ((c = strdup(kv)) == NULL) {
		e->failed = 1;
		return;
	}
	env_put_owned(e, c);
}

/* USER ... SHELL from the account. */
static void
env_account(struct envv *e, const struct user_info *u)
{
	char mail[512];

	env_set(e, "USER", u->name);
	env_set(e, "LOGNAME", u->name);
	env_set(e, "HOME", u->home);
	env_set(e, "PATH", u->uid == 0 ? NSSHD_PATH_ROOT : NSSHD_PATH_DEFAULT);
	snprintf(mail, sizeof(mail), "%s/%s", NSSHD_MAIL_DIR, u->name);
	env_set(e, "MAIL", mail);
	env_set(e, "SHELL", u->shell);
}

/* SSH_CLIENT and SSH_CONNECTION from the connection's addresses. */
static void
env_connection(struct envv *e, const struct session_params *p)
{
	const char *ca = p->client_addr ? p->client_addr : "UNKNOWN";
	const char *sa = p->server_addr ? p->server_addr : "UNKNOWN";
	char buf[256];

	snprintf(buf, sizeof(buf), "%.100s %d %d", ca, p->client_port,
	    p->server_port);
	env_set(e, "SSH_CLIENT", buf);
	snprintf(buf, sizeof(buf), "%.100s %d %.100s %d", ca, p->client_port,
	    sa, p->server_port);
	env_set(e, "SSH_CONNECTION", buf);
}

char **
session_env_build(const struct session_params *p, const char *tty)
{
	struct envv e = { NULL, 0, 0, 0 };
	char *const *x, display[300];

	env_account(&e, p->user);
	if (p->want_pty && p->term != NULL)
		env_set(&e, "TERM", p->term);
	env_connection(&e, p);
	if (p->want_pty && tty != NULL && tty[0] != '\0')
		env_set(&e, "SSH_TTY", tty);
	if (p->auth_sock != NULL)
		env_set(&e, "SSH_AUTH_SOCK", p->auth_sock);
	if (p->x11_on) {
		session_x11_display(p, display, sizeof(display));
		env_set(&e, "DISPLAY", display);
	}
	for (x = p->env_extra; x != NULL && *x != NULL; x++)
		env_put_extra(&e, *x);
	if (e.failed) {
		session_env_free(e.v);
		return NULL;
	}
	return e.v;
}

void
session_env_free(char **env)
{
	size_t i;

	if (env == NULL)
		return;
	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}
