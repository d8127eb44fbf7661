/*
 * config.h - sshd_config: the parsed runtime options of nsshd.
 *
 * One struct config holds every runtime option; it is filled by
 * config_setup() (monitor/cmdline.h: defaults, command line, -o options,
 * the file, config_finish()) and passed by pointer.  Parsing is split:
 * config_parse_text() is a pure function over bytes (it has a fuzz target;
 * only an Include line reads files, and no_include forbids that),
 * config_load_file() reads the file and calls it.  Errors are reported as
 * "FILE line N: message" into the caller's errbuf (may be NULL).
 *
 * Semantics follow OpenSSH 9.2's sshd: keywords are case-insensitive,
 * "Keyword value" or "Keyword=value", double/single quotes, '#' comments;
 * the first value of a keyword wins, except Port, ListenAddress, HostKey,
 * AcceptEnv, Allow/DenyUsers, Allow/DenyGroups and Subsystem, which
 * accumulate; AuthorizedKeysFile, SetEnv, PermitOpen, PermitListen,
 * AuthenticationMethods and ContainerEngineSocket take all the values of
 * their first line.  Which
 * keyword was set is kept in kwset[], so defaults may be present while
 * parsing.  Match blocks are parsed, checked and stored; they are applied
 * per connection by config_apply_match().  Keywords sshd knows but nsshd
 * does not implement are accepted and reported through the note hook when
 * ignoring them cannot widen access; those that could (ChrootDirectory,
 * RevokedKeys, RDomain, multi-step AuthenticationMethods) are refused
 * unless set to their "off" value.
 */
#ifndef NSSHD_CONFIG_H
#define NSSHD_CONFIG_H

#include <stddef.h>

#include "monitor/match.h"

#define CONFIG_MAX_LISTEN	16
#define CONFIG_MAX_HOSTKEYS	16
#define CONFIG_MAX_AUTHFILES	8
#define CONFIG_MAX_ACCEPTENV	64
#define CONFIG_MAX_SUBSYSTEMS	16
#define CONFIG_MAX_PATTERNS	256	/* Allow/DenyUsers/Groups, PermitOpen.. */
#define CONFIG_NKW		224	/* >= rows of the keyword table */
#define CONFIG_MAX_DEPTH	16	/* Include nesting */
#define CONFIG_SSHDIR		"/etc/ssh"	/* base of relative Include */
#define CONFIG_MAX_ENGINES	2	/* ContainerEngineSocket entries */

/*
 * Container engine sockets used when ContainerEngineSocket does not name
 * one (Debian's docker.io and podman's "podman system service" defaults).
 */
#define CONFIG_DOCKER_SOCKET	"/var/run/docker.sock"
#define CONFIG_PODMAN_SOCKET	"/run/podman/podman.sock"

/* AllowTcpForwarding / AllowStreamLocalForwarding values (bit mask). */
#define LEGACY_SCP_AUTO		0
#define LEGACY_SCP_INTERNAL	1
#define LEGACY_SCP_EXTERNAL	2

#define FORWARD_DENY	0
#define FORWARD_REMOTE	1
#define FORWARD_LOCAL	2
#define FORWARD_ALLOW	3

enum permit_root {
	PERMIT_ROOT_NO = 0,
	PERMIT_ROOT_YES,
	PERMIT_ROOT_PROHIBIT_PASSWORD,	/* also "without-password" */
	PERMIT_ROOT_FORCED_COMMANDS,
};

struct listen_addr {
	char *host;		/* NULL = any (both families) */
	int port;		/* 0 = use the Port list */
};

struct subsystem {
	char *name;
	char *command;		/* command and its arguments, space-joined */
};

struct config_match;		/* one stored Match block (config_int.h) */

struct config {
	int ports[CONFIG_MAX_LISTEN];
	int nports;
	struct listen_addr listen[CONFIG_MAX_LISTEN];
	int nlisten;
	char *hostkeys[CONFIG_MAX_HOSTKEYS];
	int nhostkeys;
	char *authkeys_files[CONFIG_MAX_AUTHFILES];	/* with %h %u %% */
	int nauthkeys_files;
	char *pidfile;
	int log_level;			/* enum log_level */
	int login_grace_time;		/* seconds, 0 = none */
	int max_auth_tries;
	int max_sessions;
	int strict_modes;
	enum permit_root permit_root_login;
	char *accept_env[CONFIG_MAX_ACCEPTENV];	/* patterns */
	int naccept_env;
	int use_pam;
	struct subsystem subsystems[CONFIG_MAX_SUBSYSTEMS];
	int nsubsystems;
	int pubkey_authentication;
	int password_authentication;
	int print_motd;
	int print_lastlog;
	int tcp_keepalive;
	int use_dns;
	char *banner;			/* NULL = none */
	char *version_addendum;		/* NULL = none */
	char *ciphers;			/* NULL = built-in list */
	char *kex_algorithms;
	char *host_key_algorithms;
	char *macs;
	char *force_command;
	int x11_forwarding;
	int allow_tcp_forwarding;
	int allow_agent_forwarding;
	int permit_tty;
	int permit_user_environment;
	int client_alive_interval;
	int client_alive_count_max;
	char *state_dir;		/* where generated host keys live */
	char *privsep_user;		/* unprivileged transport user */
	char *privsep_dir;		/* empty chroot of the transport */
	int embedded;			/* 1: no config file; embedded default */

	/* Added fields (sshd options beyond the first set). */
	int address_family;		/* AF_UNSPEC, AF_INET or AF_INET6 */
	int ports_from_cmdline;		/* -p given: Port lines are ignored */
	int hostkeys_user[CONFIG_MAX_HOSTKEYS];	/* 0: built-in default */
	int max_startups_begin;		/* MaxStartups start:rate:full */
	int max_startups_rate;
	int max_startups;
	int syslog_facility;		/* LOG_AUTH ... (syslog.h values) */
	int kbd_interactive_authentication;
	int permit_empty_passwords;
	int gateway_ports;		/* 0 no, 1 yes, 2 clientspecified */
	int disable_forwarding;
	int allow_streamlocal_forwarding;	/* FORWARD_* */
	int permit_user_rc;
	int x11_display_offset;
	int x11_use_localhost;
	int streamlocal_bind_mask;
	int streamlocal_bind_unlink;
	char *permit_user_env_allowlist;	/* NULL: PermitUserEnvironment yes/no */
	char *xauth_location;
	char *pubkey_accepted_algorithms;	/* NULL = built-in list */
	char *allow_users[CONFIG_MAX_PATTERNS];
	int nallow_users;
	char *deny_users[CONFIG_MAX_PATTERNS];
	int ndeny_users;
	char *allow_groups[CONFIG_MAX_PATTERNS];
	int nallow_groups;
	char *deny_groups[CONFIG_MAX_PATTERNS];
	int ndeny_groups;
	char *permit_open[CONFIG_MAX_PATTERNS];	/* "any" / "none" / host:port */
	int npermit_open;
	char *permit_listen[CONFIG_MAX_PATTERNS];
	int npermit_listen;
	char *set_env[CONFIG_MAX_ACCEPTENV];	/* NAME=value */
	int nset_env;
	char *auth_methods[CONFIG_MAX_AUTHFILES];	/* "any" or methods */
	int nauth_methods;

	/*
	 * Container targets (all allowed in Match; resolved per connection
	 * by monitor/target_resolve.h, which expands the tokens):
	 *   ContainerTarget none | pid:N | pidfile:PATH | docker:NAME |
	 *       podman:NAME                 tokens %u %h %%
	 *   ContainerEngineSocket docker:PATH [podman:PATH]
	 *                                   all values of its first line; in
	 *                                   Match the line replaces the global
	 *                                   one whole (unnamed engine: default)
	 *   ContainerUser NAME              tokens %u %%; default %u
	 *   ContainerNamespaces all | NS... (user mnt uts ipc net cgroup pid,
	 *                                   space- or comma-separated)
	 *   ContainerEnvironment inherit | none
	 *   ContainerWorkdir PATH | none    absolute; tokens %u %%
	 */
	char *container_target;		/* NULL = none (the host) */
	char *engine_sockets[CONFIG_MAX_ENGINES];	/* "docker:/path" */
	int nengine_sockets;
	char *container_user;		/* NULL = the login name */
	int container_ns;		/* TARGET_NS_* (session/target.h) */
	int container_env;		/* TARGET_ENV_* */
	char *container_workdir;	/* NULL = the user's home */

	/*
	 * File transfer.  ChrootDirectory PATH | none (tokens %h %u %%;
	 * every component root-owned and writable by nobody else, as sshd
	 * checks; hosts only).  LegacyScp auto | internal | external: who
	 * serves an exec of "scp -t/-f ..." (legacy protocol): auto = nsshd's
	 * internal scp when the target has no scp program.
	 */
	char *chroot_directory;		/* NULL = none */
	int legacy_scp;			/* LEGACY_SCP_* */

	struct config_match *matches;	/* stored Match blocks, in order */
	int nmatches;
	unsigned char kwset[CONFIG_NKW];	/* keyword (by table row) set? */
	/*
	 * Diagnostics hook: called with a log level (enum log_level) and a
	 * line for ignored/deprecated keywords.  NULL = silent (pure).
	 */
	void (*note)(int level, const char *msg);
	int no_include;			/* 1: Include is an error (fuzzing) */
};

/*
 * Sets every field to its default (sshd's defaults; Port 22, the three
 * /etc/ssh host keys, ".ssh/authorized_keys .ssh/authorized_keys2"), marks
 * no keyword as set.  c need not be initialised; it must not hold memory
 * (call config_free first).  Aborts on out of memory.
 */
void config_defaults(struct config *c);
/*
 * The embedded default (-f none): whatever is not set yet becomes
 * ListenAddress 127.0.0.1, Port NSSHD_EMBEDDED_PORT, HostKey
 * <state_dir>/ssh_host_ed25519_key; sets embedded = 1.  Call after the
 * -o options, instead of loading a file, then config_finish().
 */
void config_embedded(struct config *c);
/*
 * Parse sshd_config text.  name is the file name used in errors.  Options
 * already set are not overridden (first value wins, as in sshd), so -o
 * overrides are parsed first.  Unknown keywords and bad values fail with
 * ERR_CONFIG and "name line N: ..." in errbuf.  Keywords sshd knows but nsshd
 * does not implement yet are accepted with a debug note when harmless.
 */
int config_parse_text(struct config *c, const char *name, const char *text,
    size_t len, char *errbuf, size_t errlen);
/* Parse one "Keyword value" option from -o. */
int config_parse_option(struct config *c, const char *opt, char *errbuf,
    size_t errlen);
/*
 * Read FILE and parse it; a missing file is ERR_NOTFOUND ("FILE: No such
 * file or directory" in errbuf), a non-regular or huge file ERR_CONFIG.
 */
int config_load_file(struct config *c, const char *path, char *errbuf,
    size_t errlen);
/*
 * After all parsing: fill empty lists with defaults, make relative
 * PidFile/HostKey/Banner/XAuthLocation paths absolute (from the current
 * directory, as sshd does).
 */
void config_finish(struct config *c);
/* Write the effective configuration as "keyword value" lines (sshd -T). */
void config_dump(const struct config *c, int fd);
/* Free all memory held by c (c stays valid as an empty config). */
void config_free(struct config *c);
/* Deep copy src into dst (dst must hold no memory).  0 or ERR_ALLOC. */
int config_dup(struct config *dst, const struct config *src);

/*
 * Apply the stored Match blocks that match this connection over c, in
 * place (give it a copy if the original must stay): as sshd does, the
 * matching blocks' lines are parsed into an empty overlay (first value
 * wins across blocks) and every keyword the overlay set replaces c's.
 * user: login name (NULL: User/Group never match); groups: the user's
 * group names, comma-separated, or NULL to look them up in the host's
 * group database; addr/laddr: numeric client/local address (also used as
 * the Host criterion: nsshd does not resolve names); lport 0 = unknown.
 * Returns 0, or ERR_CONFIG (c unchanged) if a stored line fails.
 * A LogLevel set by a Match block lands in c->log_level: the caller
 * applies it with log_set_level().
 */
int config_apply_match(struct config *c, const char *user,
    const char *group_list_csv_or_NULL, const char *addr, const char *laddr,
    int lport);

/*
 * Command-line -p / -h: add a port (the file's Port lines are then ignored,
 * as sshd does) / a host key file (as if a HostKey line came first).
 * 0, ERR_TOOMANY or ERR_ALLOC.
 */
int config_add_port(struct config *c, int port);
int config_add_hostkey(struct config *c, const char *path);

/* Command of Subsystem NAME, or NULL. */
const char *config_subsystem(const struct config *c, const char *name);
/*
 * May METHOD ("publickey", "password", "keyboard-interactive") be used?
 * Checks the method's *Authentication flag and AuthenticationMethods.
 */
int config_auth_method_allowed(const struct config *c, const char *method);

/*
 * The Unix socket of container engine ENGINE ("docker" or "podman"): the
 * ContainerEngineSocket entry for it, else CONFIG_DOCKER_SOCKET /
 * CONFIG_PODMAN_SOCKET.  The string belongs to c (or is constant); NULL for
 * an unknown engine.
 */
const char *config_engine_socket(const struct config *c, const char *engine);

/* Does NAME match the AcceptEnv patterns (* and ? wildcards)? */
int config_env_accepted(const struct config *c, const char *name);
/*
 * The effective Ciphers / MACs lists, as sshd -T shows them: the +, -, ^
 * modifiers applied to the built-in default (crypto/cipher.h,
 * crypto/mac.h), names nsshd does not implement left out.  Caller frees;
 * NULL on out of memory.  Never empty after a successful parse.
 */
char *config_ciphers(const struct config *c);
char *config_macs(const struct config *c);
/* The same for KexAlgorithms (may be empty: no key exchange nsshd has). */
char *config_kex(const struct config *c);
/*
 * Expand %h %u %% in tmpl; relative result is taken from home. Caller frees.
 * NULL on an unknown %-token or out of memory.
 */
char *config_expand_path(const char *tmpl, const char *user, const char *home);
/* The same, with %U (numeric uid) too. */
char *config_expand_path_uid(const char *tmpl, const char *user,
    const char *home, unsigned long uid);

#endif
