/*
 * config.c - the lifetime of a struct config (see config.h).
 *
 * Defaults (sshd's, and the embedded -f none set-up), config_finish() after
 * all parsing, config_free() and the deep copy config_dup(), and the
 * command-line -p / -h items.  The parser is split by concern:
 * config_parse.c (lines, files, Include), config_keywords.c (the keyword
 * table), config_values.c, config_lists.c, config_container.c and
 * config_unimpl.c (the handlers), config_match.c (Match blocks);
 * config_query.c answers questions about a finished configuration,
 * config_dump.c writes it (-T), match.c holds the pattern matchers.
 */
#include "autoconf.h"

#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "defaults.h"
#include "monitor/config.h"
#include "monitor/config_int.h"
#include "session/target.h"

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
	free(c->chroot_directory);
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
	dup_str(&d->chroot_directory, &fail);
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
