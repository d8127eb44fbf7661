/*
 * config_query.c - questions the rest of nsshd asks of a finished
 * configuration (see config.h): a subsystem's command, whether an
 * authentication method may be used, a container engine's socket, whether
 * an environment variable is accepted, the effective Ciphers / MACs lists
 * (sshd's list modifiers applied), and the %-token expansion of
 * AuthorizedKeysFile-style paths.  All pure.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cipher.h"
#include "crypto/mac.h"
#include "proto/kex.h"
#include "monitor/config.h"
#include "monitor/config_int.h"

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

/* ------------------------------------------------------ algorithm lists */

/* Is NAME (n bytes) one of the comma-separated names of list? */
static int
list_has(const char *list, const char *name, size_t n)
{
	const char *p = list, *e;

	while (*p != '\0') {
		e = p + strcspn(p, ",");
		if ((size_t)(e - p) == n && strncmp(p, name, n) == 0)
			return 1;
		p = *e == ',' ? e + 1 : e;
	}
	return 0;
}

/* The candidates before filtering: def with conf's modifier applied. */
static char *
algs_candidates(const char *conf, const char *def)
{
	char *out, *copy, *cp, *name;
	size_t n;

	if (conf == NULL || *conf == '\0')
		return strdup(def);
	n = strlen(conf) + strlen(def) + 2;
	if (*conf != '-') {
		if ((out = malloc(n)) == NULL)
			return NULL;
		if (*conf == '+')
			snprintf(out, n, "%s,%s", def, conf + 1);
		else if (*conf == '^')
			snprintf(out, n, "%s,%s", conf + 1, def);
		else
			snprintf(out, n, "%s", conf);
		return out;
	}
	/* "-patterns": def without the names the patterns match */
	if ((out = calloc(1, n)) == NULL || (copy = strdup(def)) == NULL) {
		free(out);
		return NULL;
	}
	for (cp = copy; (name = strsep(&cp, ",")) != NULL;)
		if (*name != '\0' && match_pattern_list(name, conf + 1, 0) != 1)
			snprintf(out + strlen(out), n - strlen(out), "%s%s",
			    *out != '\0' ? "," : "", name);
	free(copy);
	return out;
}

char *
config_algs_assemble(const char *conf, const char *def)
{
	char *cand, *out, *name, *cp;
	size_t n;

	if ((cand = algs_candidates(conf, def)) == NULL)
		return NULL;
	n = strlen(cand) + 1;
	if ((out = calloc(1, n)) == NULL) {
		free(cand);
		return NULL;
	}
	for (cp = cand; (name = strsep(&cp, ",")) != NULL;) {
		if (*name == '\0' || !list_has(def, name, strlen(name)) ||
		    list_has(out, name, strlen(name)))
			continue;
		snprintf(out + strlen(out), n - strlen(out), "%s%s",
		    *out != '\0' ? "," : "", name);
	}
	free(cand);
	return out;
}

char *
config_ciphers(const struct config *c)
{
	return config_algs_assemble(c->ciphers, cipher_default_list());
}

char *
config_macs(const struct config *c)
{
	return config_algs_assemble(c->macs, mac_default_list());
}

char *
config_kex(const struct config *c)
{
	return config_algs_assemble(c->kex_algorithms, KEX_DEFAULT_LIST);
}

/* ---------------------------------------------------------- path tokens */

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
