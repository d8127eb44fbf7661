/*
 * config_dump.c - the effective configuration as "keyword value" lines,
 * lower-case keywords as sshd -T prints them (see config_dump() in
 * config.h).  Values are written so that they parse back to the same
 * configuration; defaults are shown as what they mean.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/log.h"
#include "monitor/config.h"
#include "monitor/config_int.h"
#include "session/target.h"

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

/* An assembled algorithm list (config_ciphers...), which this frees. */
static void
dump_algs(int fd, const char *kw, char *list)
{
	if (list != NULL)
		dprintf(fd, "%s %s\n", kw, list);
	free(list);
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
	dump_algs(fd, "ciphers", config_ciphers(c));
	dump_algs(fd, "macs", config_macs(c));
	dump_str(fd, "banner", c->banner);
	dump_str(fd, "chrootdirectory", c->chroot_directory);
	dump_str(fd, "forcecommand", c->force_command);
	dump_str(fd, "versionaddendum", c->version_addendum);
	dump_algs(fd, "kexalgorithms", config_kex(c));
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
	dprintf(fd, "legacyscp %s\n", enum_name(ms_legacyscp, c->legacy_scp));
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
