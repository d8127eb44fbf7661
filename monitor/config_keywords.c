/*
 * config_keywords.c - the keyword table of the sshd_config parser.
 *
 * One row per keyword sshd 9.2 (with Debian's patches) knows, plus nsshd's
 * Container* keywords: its handler (config_values.c, config_lists.c,
 * config_container.c, config_unimpl.c, config_match.c, config_parse.c),
 * where the value is stored, whether it is allowed in a Match block.  Also
 * the value vocabularies (enum and algorithm tables), the lookup of a row by
 * name, and storing a value by row: which keyword was set is kept in
 * c->kwset[] by row, so the first value wins and config_apply_match() can
 * copy exactly what a Match overlay set.
 */
#include "autoconf.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <syslog.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "crypto/mac.h"
#include "monitor/config.h"
#include "monitor/config_int.h"

/* ---------------------------------------------------------- enum tables */

static const struct kenum ms_flag[] = {
	{ "yes", 1 }, { "no", 0 }, { NULL, 0 },
};
const struct kenum ms_family[] = {
	{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "any", AF_UNSPEC },
	{ NULL, 0 },
};
const struct kenum ms_permitroot[] = {
	{ "without-password", PERMIT_ROOT_PROHIBIT_PASSWORD },
	{ "prohibit-password", PERMIT_ROOT_PROHIBIT_PASSWORD },
	{ "forced-commands-only", PERMIT_ROOT_FORCED_COMMANDS },
	{ "yes", PERMIT_ROOT_YES }, { "no", PERMIT_ROOT_NO }, { NULL, 0 },
};
const struct kenum ms_gateway[] = {
	{ "clientspecified", 2 }, { "yes", 1 }, { "no", 0 }, { NULL, 0 },
};
const struct kenum ms_tcpfwd[] = {
	{ "yes", FORWARD_ALLOW }, { "all", FORWARD_ALLOW },
	{ "no", FORWARD_DENY }, { "remote", FORWARD_REMOTE },
	{ "local", FORWARD_LOCAL }, { NULL, 0 },
};
const struct kenum ms_legacyscp[] = {
	{ "auto", LEGACY_SCP_AUTO }, { "internal", LEGACY_SCP_INTERNAL },
	{ "external", LEGACY_SCP_EXTERNAL }, { NULL, 0 },
};
static const struct kenum ms_ignrhosts[] = {
	{ "yes", 1 }, { "no", 0 }, { "shosts-only", 2 }, { NULL, 0 },
};
static const struct kenum ms_compression[] = {
	{ "yes", 1 }, { "delayed", 1 }, { "no", 0 }, { NULL, 0 },
};
const struct kenum ms_facility[] = {
	{ "DAEMON", LOG_DAEMON }, { "USER", LOG_USER }, { "AUTH", LOG_AUTH },
	{ "AUTHPRIV", LOG_AUTHPRIV }, { "LOCAL0", LOG_LOCAL0 },
	{ "LOCAL1", LOG_LOCAL1 }, { "LOCAL2", LOG_LOCAL2 },
	{ "LOCAL3", LOG_LOCAL3 }, { "LOCAL4", LOG_LOCAL4 },
	{ "LOCAL5", LOG_LOCAL5 }, { "LOCAL6", LOG_LOCAL6 },
	{ "LOCAL7", LOG_LOCAL7 }, { NULL, 0 },
};

int
enum_lookup(const struct kenum *t, const char *s, int *out)
{
	for (; t->name != NULL; t++)
		if (strcasecmp(t->name, s) == 0) {
			*out = t->val;
			return 0;
		}
	return -1;
}

const char *
enum_name(const struct kenum *t, int v)
{
	for (; t->name != NULL; t++)
		if (t->val == v)
			return t->name;
	return "?";
}

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
	cipher_names, 0, "Bad SSH2 cipher spec", cipher_default_list
};
static const struct alginfo alg_macs = {
	mac_names, 0, "Bad SSH2 mac spec", mac_default_list
};
static const struct alginfo alg_kex = {
	kex_names, 0, "Bad SSH2 KexAlgorithms", NULL
};
static const struct alginfo alg_keys = {
	key_names, 1, "Bad key types", NULL
};

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
	KS("chrootdirectory", h_path, M, chroot_directory, NULL),
	KI("legacyscp", h_enum, M, legacy_scp, ms_legacyscp),
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

const struct kw *
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
const struct kw *
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

/* ----------------------------------------------------------- set state */

void *
field(struct config *c, size_t off)
{
	return (char *)c + off;
}

int
kw_isset(const struct config *c, const struct kw *k)
{
	return c->kwset[kw_index(k)];
}

void
kw_mark(struct config *c, const struct kw *k)
{
	c->kwset[kw_index(k)] = 1;
}

int
set_int(struct pctx *p, const struct kw *k, int v)
{
	if (!p->active || kw_isset(p->c, k))
		return 0;
	kw_mark(p->c, k);
	*(int *)field(p->c, k->off) = v;
	return 0;
}

/* Store a string (NULL allowed: "none"); first value wins. */
int
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

void
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
void
list_begin(struct pctx *p, const struct kw *k, char **v, int *n)
{
	if (kw_isset(p->c, k))
		return;
	kw_mark(p->c, k);
	list_clear(v, n);
}

int
list_add(struct pctx *p, char **v, int *n, int max, const char *s)
{
	if (*n >= max)
		return perr(p, "too many %s entries.", p->kwtext);
	if ((v[*n] = strdup(s)) == NULL)
		return ERR_ALLOC;
	(*n)++;
	return 0;
}

/* Copy what the overlay set (Match keywords only) into dst. */
void
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
