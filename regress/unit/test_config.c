/*
 * test_config.c - the sshd_config parser: defaults, keywords, first value
 * wins, -o precedence, errors with file and line, Include, Match blocks,
 * Debian's shipped sshd_config, path expansion, patterns, the command line,
 * the Ciphers / MACs lists (sshd's +, -, ^ modifiers),
 * the container keywords (ContainerTarget & co, with Match and -T).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "defaults.h"
#include "monitor/cmdline.h"
#include "monitor/config.h"
#include "regress/unit/unittest.h"
#include "session/target.h"

/* Debian 12's /usr/share/openssh/sshd_config, verbatim. */
static const char debian_config[] =
	"\n"
	"# This is the sshd server system-wide configuration file.  See\n"
	"# sshd_config(5) for more information.\n"
	"\n"
	"# This sshd was compiled with PATH=/usr/local/bin:/usr/bin:/bin:/usr/games\n"
	"\n"
	"# The strategy used for options in the default sshd_config shipped with\n"
	"# OpenSSH is to specify options with their default value where\n"
	"# possible, but leave them commented.  Uncommented options override the\n"
	"# default value.\n"
	"\n"
	"Include /etc/ssh/sshd_config.d/*.conf\n"
	"\n"
	"#Port 22\n"
	"#AddressFamily any\n"
	"#ListenAddress 0.0.0.0\n"
	"#ListenAddress ::\n"
	"\n"
	"#HostKey /etc/ssh/ssh_host_rsa_key\n"
	"#HostKey /etc/ssh/ssh_host_ecdsa_key\n"
	"#HostKey /etc/ssh/ssh_host_ed25519_key\n"
	"\n"
	"# Ciphers and keying\n"
	"#RekeyLimit default none\n"
	"\n"
	"# Logging\n"
	"#SyslogFacility AUTH\n"
	"#LogLevel INFO\n"
	"\n"
	"# Authentication:\n"
	"\n"
	"#LoginGraceTime 2m\n"
	"#PermitRootLogin prohibit-password\n"
	"#StrictModes yes\n"
	"#MaxAuthTries 6\n"
	"#MaxSessions 10\n"
	"\n"
	"#PubkeyAuthentication yes\n"
	"\n"
	"# Expect .ssh/authorized_keys2 to be disregarded by default in future.\n"
	"#AuthorizedKeysFile\t.ssh/authorized_keys .ssh/authorized_keys2\n"
	"\n"
	"#AuthorizedPrincipalsFile none\n"
	"\n"
	"#AuthorizedKeysCommand none\n"
	"#AuthorizedKeysCommandUser nobody\n"
	"\n"
	"# For this to work you will also need host keys in /etc/ssh/ssh_known_hosts\n"
	"#HostbasedAuthentication no\n"
	"# Change to yes if you don't trust ~/.ssh/known_hosts for\n"
	"# HostbasedAuthentication\n"
	"#IgnoreUserKnownHosts no\n"
	"# Don't read the user's ~/.rhosts and ~/.shosts files\n"
	"#IgnoreRhosts yes\n"
	"\n"
	"# To disable tunneled clear text passwords, change to no here!\n"
	"#PasswordAuthentication yes\n"
	"#PermitEmptyPasswords no\n"
	"\n"
	"# Change to yes to enable challenge-response passwords (beware issues with\n"
	"# some PAM modules and threads)\n"
	"KbdInteractiveAuthentication no\n"
	"\n"
	"# Kerberos options\n"
	"#KerberosAuthentication no\n"
	"#KerberosOrLocalPasswd yes\n"
	"#KerberosTicketCleanup yes\n"
	"#KerberosGetAFSToken no\n"
	"\n"
	"# GSSAPI options\n"
	"#GSSAPIAuthentication no\n"
	"#GSSAPICleanupCredentials yes\n"
	"#GSSAPIStrictAcceptorCheck yes\n"
	"#GSSAPIKeyExchange no\n"
	"\n"
	"# Set this to 'yes' to enable PAM authentication, account processing,\n"
	"# and session processing. If this is enabled, PAM authentication will\n"
	"# be allowed through the KbdInteractiveAuthentication and\n"
	"# PasswordAuthentication.  Depending on your PAM configuration,\n"
	"# PAM authentication via KbdInteractiveAuthentication may bypass\n"
	"# the setting of \"PermitRootLogin prohibit-password\".\n"
	"# If you just want the PAM account and session checks to run without\n"
	"# PAM authentication, then enable this but set PasswordAuthentication\n"
	"# and KbdInteractiveAuthentication to 'no'.\n"
	"UsePAM yes\n"
	"\n"
	"#AllowAgentForwarding yes\n"
	"#AllowTcpForwarding yes\n"
	"#GatewayPorts no\n"
	"X11Forwarding yes\n"
	"#X11DisplayOffset 10\n"
	"#X11UseLocalhost yes\n"
	"#PermitTTY yes\n"
	"PrintMotd no\n"
	"#PrintLastLog yes\n"
	"#TCPKeepAlive yes\n"
	"#PermitUserEnvironment no\n"
	"#Compression delayed\n"
	"#ClientAliveInterval 0\n"
	"#ClientAliveCountMax 3\n"
	"#UseDNS no\n"
	"#PidFile /run/sshd.pid\n"
	"#MaxStartups 10:30:100\n"
	"#PermitTunnel no\n"
	"#ChrootDirectory none\n"
	"#VersionAddendum none\n"
	"\n"
	"# no default banner path\n"
	"#Banner none\n"
	"\n"
	"# Allow client to pass locale environment variables\n"
	"AcceptEnv LANG LC_*\n"
	"\n"
	"# override default of no subsystems\n"
	"Subsystem\tsftp\t/usr/lib/openssh/sftp-server\n"
	"\n"
	"# Example of overriding settings on a per-user basis\n"
	"#Match User anoncvs\n"
	"#\tX11Forwarding no\n"
	"#\tAllowTcpForwarding no\n"
	"#\tPermitTTY no\n"
	"#\tForceCommand cvs server\n";

static char errbuf[1024];

static int
parse(struct config *c, const char *text)
{
	errbuf[0] = '\0';
	return config_parse_text(c, "test.conf", text, strlen(text), errbuf,
	    sizeof(errbuf));
}

/* Parse text into a fresh config and finish it; returns the code. */
static int
load(struct config *c, const char *text)
{
	int r;

	config_defaults(c);
	c->no_include = 1;
	if ((r = parse(c, text)) == 0)
		config_finish(c);
	return r;
}

/* Does parsing text fail with exactly this message? */
static int
fails_with(const char *text, const char *msg)
{
	struct config c;
	int r = load(&c, text), ok;

	ok = r == ERR_CONFIG && strcmp(errbuf, msg) == 0;
	if (!ok)
		printf("#   got %d '%s', want '%s'\n", r, errbuf, msg);
	config_free(&c);
	return ok;
}

static void
t_defaults(void)
{
	struct config c;

	config_defaults(&c);
	config_finish(&c);
	CHECK_EQ(c.nports, 1);
	CHECK_EQ(c.ports[0], 22);
	CHECK_EQ(c.nlisten, 1);
	CHECK(c.listen[0].host == NULL && c.listen[0].port == 0);
	CHECK_EQ(c.nhostkeys, 3);
	CHECK(strcmp(c.hostkeys[2], "/etc/ssh/ssh_host_ed25519_key") == 0);
	CHECK_EQ(c.hostkeys_user[0], 0);
	CHECK_EQ(c.nauthkeys_files, 2);
	CHECK(strcmp(c.authkeys_files[0], ".ssh/authorized_keys") == 0);
	CHECK(strcmp(c.authkeys_files[1], ".ssh/authorized_keys2") == 0);
	CHECK_EQ(c.login_grace_time, 120);
	CHECK_EQ(c.max_auth_tries, 6);
	CHECK_EQ(c.max_sessions, 10);
	CHECK(c.max_startups_begin == 10 && c.max_startups_rate == 30 &&
	    c.max_startups == 100);
	CHECK_EQ(c.strict_modes, 1);
	CHECK_EQ(c.permit_root_login, PERMIT_ROOT_PROHIBIT_PASSWORD);
	CHECK_EQ(c.use_pam, 0);
	CHECK_EQ(c.pubkey_authentication, 1);
	CHECK_EQ(c.password_authentication, 1);
	CHECK_EQ(c.kbd_interactive_authentication, 1);
	CHECK_EQ(c.x11_forwarding, 0);
	CHECK_EQ(c.allow_tcp_forwarding, FORWARD_ALLOW);
	CHECK_EQ(c.client_alive_count_max, 3);
	CHECK_EQ(c.log_level, LOG_LVL_INFO);
	CHECK_EQ(c.syslog_facility, LOG_AUTH);
	CHECK(strcmp(c.pidfile, NSSHD_PIDFILE) == 0);
	CHECK(strcmp(c.state_dir, NSSHD_STATE_DIR) == 0);
	CHECK(strcmp(c.privsep_user, NSSHD_PRIVSEP_USER) == 0);
	CHECK(c.banner == NULL && c.force_command == NULL &&
	    c.version_addendum == NULL);
	CHECK(config_auth_method_allowed(&c, "publickey"));
	CHECK(config_auth_method_allowed(&c, "keyboard-interactive"));
	config_free(&c);
}

static void
t_keywords(void)
{
	struct config c;

	CHECK_EQ(load(&c,
	    "Port 2222\n"
	    "port=2223\n"
	    "ListenAddress 127.0.0.1\n"
	    "ListenAddress [::1]:2200\n"
	    "ListenAddress fe80::1\n"
	    "ListenAddress example.org:99\n"
	    "HostKey /k1\nHostKey /k2\n"
	    "AuthorizedKeysFile .ssh/a /etc/keys/%u\n"
	    "AuthorizedKeysFile .ssh/ignored\n"
	    "PidFile /run/x.pid\n"
	    "LogLevel DEBUG2\n"
	    "LoginGraceTime 1m30s\n"
	    "MaxAuthTries 3\nMaxSessions 4\n"
	    "MaxStartups 5:50:20\n"
	    "StrictModes no\n"
	    "PermitRootLogin forced-commands-only\n"
	    "AcceptEnv LANG LC_*\nAcceptEnv TZ\n"
	    "UsePAM yes\n"
	    "Subsystem sftp /usr/lib/sftp-server -l INFO\n"
	    "Subsystem other internal-sftp\n"
	    "PubkeyAuthentication no\nPasswordAuthentication no\n"
	    "ChallengeResponseAuthentication no\n"
	    "PrintMotd no\nPrintLastLog no\nTCPKeepAlive no\nUseDNS yes\n"
	    "Banner /etc/issue.net\n"
	    "VersionAddendum hello world # comment\n"
	    "Ciphers aes128-ctr,chacha20-poly1305@openssh.com\n"
	    "KexAlgorithms -diffie-hellman*\n"
	    "HostKeyAlgorithms ssh-ed25519\n"
	    "MACs +hmac-sha2-256\n"
	    "ForceCommand echo \"hi there\"\n"
	    "X11Forwarding yes\nAllowTcpForwarding local\n"
	    "AllowAgentForwarding no\nPermitTTY no\n"
	    "PermitUserEnvironment LANG,TZ\n"
	    "ClientAliveInterval 1h\nClientAliveCountMax 0\n"
	    "SyslogFacility LOCAL3\n"
	    "AllowUsers alice bob@10.0.0.0/8\nAllowUsers carol\n"
	    "DenyUsers mallory\nAllowGroups staff\nDenyGroups nogroup\n"
	    "AddressFamily inet\n"
	    "SetEnv A=1 B=2\n"
	    "PermitOpen host:80 [::1]:*\n"
	    "PermitListen 8080\n"
	    "GatewayPorts clientspecified\n"
	    "StreamLocalBindMask 0077\n"), 0);
	CHECK(c.nports == 2 && c.ports[0] == 2222 && c.ports[1] == 2223);
	CHECK_EQ(c.nlisten, 4);
	CHECK(strcmp(c.listen[0].host, "127.0.0.1") == 0 &&
	    c.listen[0].port == 0);
	CHECK(strcmp(c.listen[1].host, "::1") == 0 && c.listen[1].port == 2200);
	CHECK(strcmp(c.listen[2].host, "fe80::1") == 0 &&
	    c.listen[2].port == 0);
	CHECK(strcmp(c.listen[3].host, "example.org") == 0 &&
	    c.listen[3].port == 99);
	CHECK(c.nhostkeys == 2 && strcmp(c.hostkeys[1], "/k2") == 0 &&
	    c.hostkeys_user[0] == 1);
	CHECK(c.nauthkeys_files == 2 &&
	    strcmp(c.authkeys_files[1], "/etc/keys/%u") == 0);
	CHECK(strcmp(c.pidfile, "/run/x.pid") == 0);
	CHECK_EQ(c.log_level, LOG_LVL_DEBUG2);
	CHECK_EQ(c.login_grace_time, 90);
	CHECK(c.max_auth_tries == 3 && c.max_sessions == 4);
	CHECK(c.max_startups_begin == 5 && c.max_startups_rate == 50 &&
	    c.max_startups == 20);
	CHECK_EQ(c.strict_modes, 0);
	CHECK_EQ(c.permit_root_login, PERMIT_ROOT_FORCED_COMMANDS);
	CHECK(c.naccept_env == 3 && strcmp(c.accept_env[2], "TZ") == 0);
	CHECK_EQ(c.use_pam, 1);
	CHECK(c.nsubsystems == 2);
	CHECK(strcmp(config_subsystem(&c, "sftp"),
	    "/usr/lib/sftp-server -l INFO") == 0);
	CHECK(config_subsystem(&c, "nope") == NULL);
	CHECK(c.pubkey_authentication == 0 && c.password_authentication == 0 &&
	    c.kbd_interactive_authentication == 0);
	CHECK(!config_auth_method_allowed(&c, "password"));
	CHECK(c.print_motd == 0 && c.print_lastlog == 0 &&
	    c.tcp_keepalive == 0 && c.use_dns == 1);
	CHECK(strcmp(c.banner, "/etc/issue.net") == 0);
	CHECK(strcmp(c.version_addendum, "hello world") == 0);
	CHECK(strcmp(c.ciphers, "aes128-ctr,chacha20-poly1305@openssh.com")
	    == 0);
	CHECK(strcmp(c.kex_algorithms, "-diffie-hellman*") == 0);
	CHECK(strcmp(c.macs, "+hmac-sha2-256") == 0);
	CHECK(strcmp(c.force_command, "echo \"hi there\"") == 0);
	CHECK(c.x11_forwarding == 1 && c.allow_tcp_forwarding == FORWARD_LOCAL);
	CHECK(c.allow_agent_forwarding == 0 && c.permit_tty == 0);
	CHECK(c.permit_user_environment == 1 &&
	    strcmp(c.permit_user_env_allowlist, "LANG,TZ") == 0);
	CHECK(c.client_alive_interval == 3600 && c.client_alive_count_max == 0);
	CHECK_EQ(c.syslog_facility, LOG_LOCAL3);
	CHECK(c.nallow_users == 3 && strcmp(c.allow_users[1],
	    "bob@10.0.0.0/8") == 0);
	CHECK(c.ndeny_users == 1 && c.nallow_groups == 1 &&
	    c.ndeny_groups == 1);
	CHECK_EQ(c.address_family, AF_INET);
	CHECK(c.nset_env == 2 && strcmp(c.set_env[1], "B=2") == 0);
	CHECK(c.npermit_open == 2 && strcmp(c.permit_open[1], "[::1]:*") == 0);
	CHECK(c.npermit_listen == 1 && strcmp(c.permit_listen[0], "*:8080")
	    == 0);
	CHECK_EQ(c.gateway_ports, 2);
	CHECK_EQ(c.streamlocal_bind_mask, 077);
	config_free(&c);
}

static void
t_syntax(void)
{
	struct config c;

	/* '=' forms, case, quotes, comments, blank lines, CRLF. */
	CHECK_EQ(load(&c,
	    "   # comment\n"
	    "\n"
	    "\t\n"
	    "maxauthtries=2\n"
	    "MAXSESSIONS = 7\r\n"
	    "Banner \"/etc/my banner\"\n"
	    "AcceptEnv 'A B' C\\ D   # trailing comment\n"
	    "LoginGraceTime\t45\n"
	    "PermitRootLogin = Without-Password\n"), 0);
	CHECK_EQ(c.max_auth_tries, 2);
	CHECK_EQ(c.max_sessions, 7);
	CHECK(strcmp(c.banner, "/etc/my banner") == 0);
	CHECK(c.naccept_env == 2 && strcmp(c.accept_env[0], "A B") == 0 &&
	    strcmp(c.accept_env[1], "C D") == 0);
	CHECK_EQ(c.login_grace_time, 45);
	CHECK_EQ(c.permit_root_login, PERMIT_ROOT_PROHIBIT_PASSWORD);
	config_free(&c);

	/* Banner none, PidFile none, ForceCommand none. */
	CHECK_EQ(load(&c, "Banner none\nPidFile none\nForceCommand none\n"
	    "AuthorizedKeysFile none\n"), 0);
	CHECK(c.banner == NULL && c.pidfile == NULL && c.force_command == NULL);
	CHECK(c.nauthkeys_files == 1 && strcmp(c.authkeys_files[0], "none")
	    == 0);
	config_free(&c);
}

static void
t_first_wins(void)
{
	struct config c;

	CHECK_EQ(load(&c, "MaxAuthTries 2\nMaxAuthTries 9\n"
	    "PasswordAuthentication no\nPasswordAuthentication yes\n"
	    "KbdInteractiveAuthentication no\n"
	    "ChallengeResponseAuthentication yes\n"
	    "Banner /a\nBanner /b\n"
	    "Subsystem sftp /first\nSubsystem sftp /second\n"), 0);
	CHECK_EQ(c.max_auth_tries, 2);
	CHECK_EQ(c.password_authentication, 0);
	CHECK_EQ(c.kbd_interactive_authentication, 0);
	CHECK(strcmp(c.banner, "/a") == 0);
	CHECK(c.nsubsystems == 1 &&
	    strcmp(config_subsystem(&c, "sftp"), "/first") == 0);
	config_free(&c);
}

static void
t_cmdline_precedence(void)
{
	struct config c;

	config_defaults(&c);
	c.no_include = 1;
	CHECK_EQ(config_parse_option(&c, "PasswordAuthentication no", errbuf,
	    sizeof(errbuf)), 0);
	CHECK_EQ(config_parse_option(&c, "Port=2222", errbuf,
	    sizeof(errbuf)), 0);
	CHECK_EQ(config_add_hostkey(&c, "/cmdline/key"), 0);
	CHECK_EQ(parse(&c, "PasswordAuthentication yes\nPort 22\n"
	    "HostKey /file/key\n"), 0);
	config_finish(&c);
	CHECK_EQ(c.password_authentication, 0);
	/* -o Port adds to the file's (sshd accumulates Port). */
	CHECK(c.nports == 2 && c.ports[0] == 2222 && c.ports[1] == 22);
	CHECK(c.nhostkeys == 2 && strcmp(c.hostkeys[0], "/cmdline/key") == 0);
	config_free(&c);

	/* -p: the file's Port lines are ignored. */
	config_defaults(&c);
	CHECK_EQ(config_add_port(&c, 3333), 0);
	CHECK_EQ(parse(&c, "Port 22\nPort 23\n"), 0);
	config_finish(&c);
	CHECK(c.nports == 1 && c.ports[0] == 3333);
	config_free(&c);

	/* Match and Include are not allowed with -o. */
	config_defaults(&c);
	CHECK_EQ(config_parse_option(&c, "Match User x", errbuf,
	    sizeof(errbuf)), ERR_CONFIG);
	CHECK(strstr(errbuf, "not supported as a command-line option"));
	CHECK_EQ(config_parse_option(&c, "Bogus 1", errbuf, sizeof(errbuf)),
	    ERR_CONFIG);
	CHECK(strcmp(errbuf, "command-line: line 0: Bad configuration "
	    "option: Bogus") == 0);
	config_free(&c);
}

static void
t_errors(void)
{
	CHECK(fails_with("Foo bar\n",
	    "test.conf: line 1: Bad configuration option: Foo"));
	CHECK(fails_with("\n\nMaxAuthTries abc\n",
	    "test.conf line 3: MaxAuthTries integer value invalid."));
	CHECK(fails_with("MaxAuthTries -1\n",
	    "test.conf line 1: MaxAuthTries integer value too small."));
	CHECK(fails_with("MaxSessions 99999999999\n",
	    "test.conf line 1: MaxSessions integer value too large."));
	CHECK(fails_with("PermitRootLogin maybe\n",
	    "test.conf line 1: unsupported option \"maybe\"."));
	CHECK(fails_with("LoginGraceTime 2x\n",
	    "test.conf line 1: invalid time value."));
	CHECK(fails_with("Port 0\n",
	    "test.conf line 1: Badly formatted port number."));
	CHECK(fails_with("Port\n",
	    "test.conf line 1: no argument after keyword \"Port\""));
	CHECK(fails_with("ListenAddress 1.2.3.4:99999\n",
	    "test.conf line 1: bad port number"));
	CHECK(fails_with("ListenAddress [::1\n",
	    "test.conf line 1: bad address:port usage"));
	CHECK(fails_with("MaxStartups 10:30\n",
	    "test.conf line 1: Invalid MaxStartups spec."));
	CHECK(fails_with("MaxStartups 10:300:100\n",
	    "test.conf line 1: Invalid MaxStartups spec."));
	CHECK(fails_with("PubkeyAuthentication yes no\n",
	    "test.conf line 1: keyword PubkeyAuthentication extra arguments "
	    "at end of line"));
	CHECK(fails_with("AcceptEnv A=B\n",
	    "test.conf line 1: Invalid environment name."));
	CHECK(fails_with("Banner \"unterminated\n",
	    "test.conf line 1: invalid quotes"));
	CHECK(fails_with("LogLevel LOUD\n",
	    "test.conf line 1: unsupported log level 'LOUD'"));
	CHECK(fails_with("SyslogFacility FOO\n",
	    "test.conf line 1: unsupported log facility 'FOO'"));
	CHECK(fails_with("Ciphers foo\n",
	    "test.conf line 1: Bad SSH2 cipher spec 'foo'."));
	CHECK(fails_with("KexAlgorithms bar\n",
	    "test.conf line 1: Bad SSH2 KexAlgorithms 'bar'."));
	CHECK(fails_with("Subsystem sftp\n",
	    "test.conf line 1: Missing subsystem command."));
	CHECK(fails_with("Match User x\nPort 22\n",
	    "test.conf line 2: Directive 'Port' is not allowed within a Match "
	    "block"));
	CHECK(fails_with("Match Foo x\n", "test.conf line 1: Bad Match "
	    "condition: Unsupported Match attribute Foo"));
	CHECK(fails_with("Match all User x\n", "test.conf line 1: Bad Match "
	    "condition: 'all' cannot be combined with other Match "
	    "attributes"));
	CHECK(fails_with("Match User\n", "test.conf line 1: Bad Match "
	    "condition: Missing Match criteria for User"));
	CHECK(fails_with("Match Address 10.0.0.1/8\n", "test.conf line 1: Bad "
	    "Match condition: Invalid Match address argument '10.0.0.1/8'"));
	CHECK(fails_with("RevokedKeys /etc/ssh/revoked\n", "test.conf line 1: "
	    "RevokedKeys is not supported by nsshd (only \"none\")"));
	CHECK(fails_with("AuthenticationMethods publickey,password\n",
	    "test.conf line 1: AuthenticationMethods with more than one "
	    "method per list (\"publickey,password\") is not supported by "
	    "nsshd"));
	CHECK(fails_with("Include /etc/ssh/x\n",
	    "test.conf line 1: Include is not allowed here"));
	CHECK(fails_with("AllowUsers bob@10.0.0.1/8\n", "test.conf line 1: "
	    "invalid AllowUsers pattern: \"bob@10.0.0.1/8\""));
}

static void
t_ignored(void)
{
	struct config c;

	/* Known to sshd, not implemented: accepted. */
	CHECK_EQ(load(&c, "Protocol 2\nUsePrivilegeSeparation sandbox\n"
	    "GSSAPIAuthentication no\nKerberosAuthentication no\n"
	    "Compression delayed\nHostbasedAuthentication no\n"
	    "IgnoreRhosts yes\nPermitTunnel no\nRekeyLimit default none\n"
	    "DebianBanner no\nChrootDirectory none\nRevokedKeys none\n"
	    "AuthenticationMethods any\nTrustedUserCAKeys /etc/ca.pub\n"
	    "AuthorizedKeysCommand none\nIPQoS lowdelay throughput\n"), 0);
	config_free(&c);
	CHECK(fails_with("Compression maybe\n",
	    "test.conf line 1: unsupported option \"maybe\"."));
	CHECK(fails_with("AuthorizedKeysCommand relative/cmd\n",
	    "test.conf line 1: AuthorizedKeysCommand must be an absolute "
	    "path"));
	/* AuthenticationMethods of single methods restrict the methods. */
	CHECK_EQ(load(&c, "AuthenticationMethods publickey\n"), 0);
	CHECK(config_auth_method_allowed(&c, "publickey"));
	CHECK(!config_auth_method_allowed(&c, "password"));
	config_free(&c);
}

static void
t_match(void)
{
	struct config c, d;

	CHECK_EQ(load(&c,
	    "PasswordAuthentication yes\n"
	    "MaxAuthTries 5\n"
	    "AuthorizedKeysFile .ssh/authorized_keys\n"
	    "Match User bob,!mallory\n"
	    "  PasswordAuthentication no\n"
	    "  ForceCommand /bin/true\n"
	    "  AuthorizedKeysFile /etc/keys/%u\n"
	    "Match Address 10.0.0.0/8,192.168.1.*\n"
	    "  MaxAuthTries 2\n"
	    "  PasswordAuthentication yes\n"
	    "Match LocalPort 2222 LocalAddress 127.0.0.1\n"
	    "  X11Forwarding yes\n"
	    "Match Group wheel\n"
	    "  PermitTTY no\n"
	    "Match Host 10.*\n"
	    "  AllowTcpForwarding no\n"
	    "Match all\n"
	    "  MaxSessions 3\n"), 0);
	CHECK_EQ(c.nmatches, 6);
	/* "Match all" applies at load time too, as in sshd. */
	CHECK_EQ(c.max_sessions, 3);
	CHECK_EQ(c.password_authentication, 1);

	CHECK_EQ(config_dup(&d, &c), 0);
	CHECK_EQ(config_apply_match(&d, "bob", "users,wheel", "10.1.2.3",
	    "127.0.0.1", 2222), 0);
	CHECK_EQ(d.password_authentication, 0);	/* first matching block */
	CHECK(d.force_command && strcmp(d.force_command, "/bin/true") == 0);
	CHECK(d.nauthkeys_files == 1 &&
	    strcmp(d.authkeys_files[0], "/etc/keys/%u") == 0);
	CHECK_EQ(d.max_auth_tries, 2);
	CHECK_EQ(d.x11_forwarding, 1);
	CHECK_EQ(d.permit_tty, 0);
	CHECK_EQ(d.allow_tcp_forwarding, FORWARD_DENY);
	config_free(&d);

	CHECK_EQ(config_dup(&d, &c), 0);
	CHECK_EQ(config_apply_match(&d, "mallory", "users", "172.16.0.1",
	    "127.0.0.1", 22), 0);
	CHECK_EQ(d.password_authentication, 1);
	CHECK(d.force_command == NULL);
	CHECK_EQ(d.max_auth_tries, 5);
	CHECK_EQ(d.x11_forwarding, 0);
	CHECK_EQ(d.permit_tty, 1);
	CHECK_EQ(d.allow_tcp_forwarding, FORWARD_ALLOW);
	CHECK_EQ(d.max_sessions, 3);
	config_free(&d);

	/* Unknown user / address: only "all" applies. */
	CHECK_EQ(config_apply_match(&c, NULL, NULL, NULL, NULL, 0), 0);
	CHECK_EQ(c.password_authentication, 1);
	config_free(&c);

	/* ForceCommand none in a Match clears a global one. */
	CHECK_EQ(load(&c, "ForceCommand /bin/false\nMatch User root\n"
	    "ForceCommand none\n"), 0);
	CHECK_EQ(config_apply_match(&c, "root", "", "1.2.3.4", NULL, 0), 0);
	CHECK(c.force_command == NULL);
	config_free(&c);
}

static char *
write_tmp(const char *dir, const char *name, const char *text)
{
	static char path[4][512];
	static int slot;
	FILE *f;
	char *p = path[slot++ % 4];

	snprintf(p, 512, "%s/%s", dir, name);
	if ((f = fopen(p, "w")) == NULL)
		return p;
	fputs(text, f);
	fclose(f);
	return p;
}

static void
t_include(void)
{
	char dir[] = "/tmp/nsshd-cfgtest.XXXXXX", text[2048];
	struct config c;

	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	snprintf(text, sizeof(text), "%s/d", dir);
	CHECK(mkdir(text, 0700) == 0);
	write_tmp(dir, "d/10-a.conf", "PasswordAuthentication no\n"
	    "Match User bob\n  X11Forwarding yes\n");
	write_tmp(dir, "d/20-b.conf", "MaxAuthTries 4\n");
	write_tmp(dir, "inner.conf", "PermitTTY no\n");
	snprintf(text, sizeof(text),
	    "Include %s/d/*.conf\n"
	    "PasswordAuthentication yes\n"
	    "Include %s/nothing-matches-*.conf\n"
	    "Match User alice\n"
	    "  Include %s/inner.conf\n"
	    "  MaxSessions 2\n", dir, dir, dir);
	config_defaults(&c);
	CHECK_EQ(parse(&c, text), 0);
	config_finish(&c);
	CHECK_EQ(c.password_authentication, 0);	/* included first: wins */
	CHECK_EQ(c.max_auth_tries, 4);		/* back in global context */
	CHECK_EQ(config_apply_match(&c, "alice", "", "1.1.1.1", NULL, 0), 0);
	CHECK(c.permit_tty == 0 && c.max_sessions == 2 &&
	    c.x11_forwarding == 0);
	config_free(&c);

	config_defaults(&c);
	CHECK_EQ(parse(&c, text), 0);
	CHECK_EQ(config_apply_match(&c, "bob", "", "1.1.1.1", NULL, 0), 0);
	CHECK(c.permit_tty == 1 && c.x11_forwarding == 1);
	config_free(&c);

	/* Nesting limit. */
	write_tmp(dir, "loop.conf", "");
	snprintf(text, sizeof(text), "Include %s/loop.conf\n", dir);
	write_tmp(dir, "loop.conf", text);
	config_defaults(&c);
	CHECK_EQ(parse(&c, text), ERR_CONFIG);
	CHECK(strstr(errbuf, "Too many recursive configuration includes"));
	config_free(&c);

	/* config_load_file: missing file. */
	config_defaults(&c);
	snprintf(text, sizeof(text), "%s/missing", dir);
	CHECK_EQ(config_load_file(&c, text, errbuf, sizeof(errbuf)),
	    ERR_NOTFOUND);
	CHECK(strstr(errbuf, "No such file or directory") != NULL);
	config_free(&c);
	snprintf(text, sizeof(text), "rm -rf '%s'", dir);
	CHECK(system(text) == 0);
}

/* Debian's file with its Include pointed at an empty place. */
static void
t_debian(void)
{
	struct config c;
	char *copy, *inc;

	config_defaults(&c);
	CHECK_EQ(config_parse_text(&c, "/etc/ssh/sshd_config", debian_config,
	    strlen(debian_config), errbuf, sizeof(errbuf)), 0);
	config_free(&c);

	copy = strdup(debian_config);
	if (!CHECK(copy != NULL && (inc = strstr(copy, "Include")) != NULL))
		return;
	memcpy(inc, "#nclude", 7);
	CHECK_EQ(load(&c, copy), 0);
	CHECK_EQ(c.use_pam, 1);
	CHECK_EQ(c.kbd_interactive_authentication, 0);
	CHECK_EQ(c.x11_forwarding, 1);
	CHECK_EQ(c.print_motd, 0);
	CHECK(c.naccept_env == 2 && strcmp(c.accept_env[1], "LC_*") == 0);
	CHECK(config_env_accepted(&c, "LC_ALL") && config_env_accepted(&c,
	    "LANG") && !config_env_accepted(&c, "LD_PRELOAD"));
	CHECK(strcmp(config_subsystem(&c, "sftp"),
	    "/usr/lib/openssh/sftp-server") == 0);
	CHECK_EQ(c.nports, 1);
	CHECK_EQ(c.nhostkeys, 3);
	config_free(&c);
	free(copy);
}

static void
t_expand(void)
{
	char *p;

	p = config_expand_path(".ssh/authorized_keys", "bob", "/home/bob");
	CHECK(p && strcmp(p, "/home/bob/.ssh/authorized_keys") == 0);
	free(p);
	p = config_expand_path("/etc/keys/%u", "bob", "/home/bob");
	CHECK(p && strcmp(p, "/etc/keys/bob") == 0);
	free(p);
	p = config_expand_path("%h/x/%%u", "bob", "/home/bob");
	CHECK(p && strcmp(p, "/home/bob/x/%u") == 0);
	free(p);
	p = config_expand_path("keys_%u", "bob", "/home/bob");
	CHECK(p && strcmp(p, "/home/bob/keys_bob") == 0);
	free(p);
	CHECK(config_expand_path("/x/%z", "bob", "/h") == NULL);
	CHECK(config_expand_path("/x/%", "bob", "/h") == NULL);
	CHECK(config_expand_path("/x/%U", "bob", "/h") == NULL);
	p = config_expand_path_uid("/keys/%U", "bob", "/h", 1001);
	CHECK(p && strcmp(p, "/keys/1001") == 0);
	free(p);
}

static void
t_patterns(void)
{
	CHECK(match_pattern("hello", "hello"));
	CHECK(match_pattern("hello", "h*o"));
	CHECK(match_pattern("hello", "h?llo"));
	CHECK(match_pattern("", "*"));
	CHECK(match_pattern("abc", "*c"));
	CHECK(match_pattern("aaab", "*a*b"));
	CHECK(!match_pattern("hello", "h?lo"));
	CHECK(!match_pattern("hello", "Hello"));
	CHECK(!match_pattern("abc", "ab"));
	CHECK(!match_pattern("ab", "abc"));
	CHECK(!match_pattern("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"));
	CHECK_EQ(match_pattern_list("bob", "alice,bob", 0), 1);
	CHECK_EQ(match_pattern_list("bob", "alice,b*,!bob", 0), -1);
	CHECK_EQ(match_pattern_list("bob", "alice", 0), 0);
	CHECK_EQ(match_pattern_list("bob", "*,!b?b", 0), -1);
	CHECK_EQ(match_pattern_list("example.org", "*.ORG", 1), 1);
	CHECK_EQ(match_pattern_list("example.org", "*.ORG", 0), 0);
	CHECK_EQ(addr_match_list("10.1.2.3", "10.0.0.0/8"), 1);
	CHECK_EQ(addr_match_list("10.1.2.3", "192.168.0.0/16"), 0);
	CHECK_EQ(addr_match_list("10.1.2.3", "!10.0.0.0/8,*"), -1);
	CHECK_EQ(addr_match_list("10.1.2.3", "10.1.2.*"), 1);
	CHECK_EQ(addr_match_list("10.1.2.3", "10.0.0.1/8"), -2);
	CHECK_EQ(addr_match_list("10.1.2.3", "10.0.0.0/33"), -2);
	CHECK_EQ(addr_match_list("2001:db8::1", "2001:db8::/32"), 1);
	CHECK_EQ(addr_match_list("2001:db9::1", "2001:db8::/32"), 0);
	CHECK_EQ(addr_match_list("2001:db8::1", "10.0.0.0/8"), 0);
	CHECK_EQ(addr_match_list(NULL, "10.0.0.0/8,192.168.*"), 0);
	CHECK_EQ(addr_match_list(NULL, "10.0.0.0/8,,x"), -2);
	CHECK_EQ(match_host_and_ip("10.1.2.3", "10.1.2.3", "10.0.0.0/8"), 1);
	CHECK_EQ(match_host_and_ip("10.1.2.3", "10.1.2.3", "10.1.*"), 1);
	CHECK_EQ(match_host_and_ip("10.1.2.3", "10.1.2.3", "!10.1.2.3,*"), 0);
	CHECK_EQ(match_host_and_ip("10.1.2.3", "10.1.2.3", "192.168.0.0/16"),
	    0);
	CHECK_EQ(match_user_pattern("bob", "10.1.2.3", "10.1.2.3", "b*"), 1);
	CHECK_EQ(match_user_pattern("bob", "10.1.2.3", "10.1.2.3",
	    "bob@10.0.0.0/8"), 1);
	CHECK_EQ(match_user_pattern("bob", "11.1.2.3", "11.1.2.3",
	    "bob@10.0.0.0/8"), 0);
	CHECK_EQ(match_user_pattern(NULL, NULL, NULL, "bob@10.0.0.1/8"), -1);
}

static void
t_dump(void)
{
	struct config c;
	char buf[8192];
	FILE *f = tmpfile();
	size_t n;

	if (!CHECK(f != NULL))
		return;
	CHECK_EQ(load(&c, "Port 2022\nListenAddress 127.0.0.1\n"
	    "ListenAddress [::1]:2200\nPermitRootLogin no\n"
	    "AcceptEnv LANG\n"), 0);
	config_dump(&c, fileno(f));
	config_free(&c);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	CHECK(strstr(buf, "port 2022\n") != NULL);
	CHECK(strstr(buf, "listenaddress 127.0.0.1:2022\n") != NULL);
	CHECK(strstr(buf, "listenaddress [::1]:2200\n") != NULL);
	CHECK(strstr(buf, "permitrootlogin no\n") != NULL);
	CHECK(strstr(buf, "acceptenv LANG\n") != NULL);
	CHECK(strstr(buf, "authorizedkeysfile .ssh/authorized_keys "
	    ".ssh/authorized_keys2\n") != NULL);
	CHECK(strstr(buf, "maxstartups 10:30:100\n") != NULL);
	CHECK(strstr(buf, "loglevel INFO\n") != NULL);
}

/* The -T text of a configuration, into buf. */
static void
dump_text(const char *text, char *buf, size_t max)
{
	struct config c;
	FILE *f = tmpfile();
	size_t n = 0;

	buf[0] = '\0';
	if (!CHECK(f != NULL))
		return;
	CHECK_EQ(load(&c, text), 0);
	config_dump(&c, fileno(f));
	config_free(&c);
	rewind(f);
	n = fread(buf, 1, max - 1, f);
	buf[n] = '\0';
	fclose(f);
}

#define ALGS_CIPHERS	"chacha20-poly1305@openssh.com," \
	"aes128-ctr,aes192-ctr,aes256-ctr," \
	"aes128-gcm@openssh.com,aes256-gcm@openssh.com"
#define ALGS_MACS	"hmac-sha2-256-etm@openssh.com," \
	"hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com," \
	"hmac-sha2-256,hmac-sha2-512,hmac-sha1"

/*
 * Ciphers / MACs: sshd's +, -, ^ modifiers over the built-in lists, names
 * nsshd does not implement and repeats dropped; -T shows the result; a
 * value that leaves nothing is an error.
 */
static void
t_algs(void)
{
	static const struct {
		const char *line, *ciphers, *macs;
	} cases[] = {
		{ "", ALGS_CIPHERS, ALGS_MACS },
		{ "Ciphers aes256-ctr,aes128-cbc,"
		  "chacha20-poly1305@openssh.com\nMACs hmac-sha1,hmac-md5\n",
		  "aes256-ctr,chacha20-poly1305@openssh.com", "hmac-sha1" },
		{ "Ciphers +aes128-cbc,aes128-ctr\nMACs +umac-64@openssh.com\n",
		  ALGS_CIPHERS, ALGS_MACS },
		{ "Ciphers -aes128*,chacha20-poly1305@openssh.com\n"
		  "MACs -*sha1*\n",
		  "aes192-ctr,aes256-ctr,aes256-gcm@openssh.com",
		  "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
		  "hmac-sha2-256,hmac-sha2-512" },
		{ "Ciphers ^aes256-gcm@openssh.com,aes128-ctr\n"
		  "MACs ^hmac-sha2-512,hmac-sha2-512\n",
		  "aes256-gcm@openssh.com,aes128-ctr,"
		  "chacha20-poly1305@openssh.com,aes192-ctr,aes256-ctr,"
		  "aes128-gcm@openssh.com",
		  "hmac-sha2-512,hmac-sha2-256-etm@openssh.com,"
		  "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,"
		  "hmac-sha2-256,hmac-sha1" },
	};
	char buf[8192], want[1024];
	struct config c;
	char *l;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ(load(&c, cases[i].line), 0);
		l = config_ciphers(&c);
		if (!CHECK(l != NULL && strcmp(l, cases[i].ciphers) == 0))
			printf("#   '%s': ciphers %s\n", cases[i].line, l);
		free(l);
		l = config_macs(&c);
		if (!CHECK(l != NULL && strcmp(l, cases[i].macs) == 0))
			printf("#   '%s': macs %s\n", cases[i].line, l);
		free(l);
		config_free(&c);
		dump_text(cases[i].line, buf, sizeof(buf));
		snprintf(want, sizeof(want), "\nciphers %s\nmacs %s\n",
		    cases[i].ciphers, cases[i].macs);
		CHECK(strstr(buf, want) != NULL);
	}
	CHECK(fails_with("Ciphers 3des-cbc,aes128-cbc\n",
	    "test.conf line 1: Bad SSH2 cipher spec '3des-cbc,aes128-cbc'."));
	CHECK(fails_with("Ciphers -*\n",
	    "test.conf line 1: Bad SSH2 cipher spec '-*'."));
	CHECK(fails_with("MACs hmac-md5,umac-128@openssh.com\n",
	    "test.conf line 1: Bad SSH2 mac spec "
	    "'hmac-md5,umac-128@openssh.com'."));
	CHECK(fails_with("MACs -hmac-*\n",
	    "test.conf line 1: Bad SSH2 mac spec '-hmac-*'."));
	CHECK(fails_with("MACs +hmac-sha2-256,\n",
	    "test.conf line 1: Bad SSH2 mac spec '+hmac-sha2-256,'."));
}

static void
t_embedded(void)
{
	struct config c;
	char want[600];

	config_defaults(&c);
	config_embedded(&c);
	config_finish(&c);
	CHECK_EQ(c.embedded, 1);
	CHECK(c.nlisten == 1 && strcmp(c.listen[0].host, "127.0.0.1") == 0);
	CHECK(c.nports == 1 && c.ports[0] == NSSHD_EMBEDDED_PORT);
	snprintf(want, sizeof(want), "%s/ssh_host_ed25519_key",
	    NSSHD_STATE_DIR);
	CHECK(c.nhostkeys == 1 && strcmp(c.hostkeys[0], want) == 0);
	config_free(&c);
}

static void
t_cmdline(void)
{
	char *argv[] = { "nsshd", "-De", "-ddd", "-f", "/x.conf", "-p2200",
	    "-p", "2201", "-o", "PasswordAuthentication no", "-hkey1", "-T",
	    "-C", "user=bob,addr=1.2.3.4,lport=22", NULL };
	char *bad1[] = { "nsshd", "-Z", NULL };
	char *bad2[] = { "nsshd", "-f", NULL };
	char *bad3[] = { "nsshd", "extra", NULL };
	char *bad4[] = { "nsshd", "-p", "0", NULL };
	char *none[] = { "nsshd", "-f", "none", "-p", "2300", "-d", NULL };
	struct cmdline cl;
	struct conn_spec cs;
	struct config c;

	CHECK_EQ(cmdline_parse(14, argv, &cl, errbuf, sizeof(errbuf)), 0);
	CHECK(cl.foreground && cl.log_stderr && cl.debug == 3 && cl.dump);
	CHECK(strcmp(cl.config_file, "/x.conf") == 0);
	CHECK(cl.nports == 2 && cl.ports[0] == 2200 && cl.ports[1] == 2201);
	CHECK(cl.nopts == 1 && cl.nhostkeys == 1 &&
	    strcmp(cl.hostkeys[0], "key1") == 0);
	CHECK(cl.argc == 14 && cl.argv == argv);
	CHECK_EQ(cmdline_conn_spec(&cl, &cs, errbuf, sizeof(errbuf)), 0);
	CHECK(cs.have_user && strcmp(cs.user, "bob") == 0 && cs.lport == 22 &&
	    strcmp(cs.addr, "1.2.3.4") == 0 && !cs.have_laddr);
	CHECK_EQ(cmdline_parse(2, bad1, &cl, errbuf, sizeof(errbuf)),
	    ERR_CONFIG);
	CHECK_EQ(cmdline_parse(2, bad2, &cl, errbuf, sizeof(errbuf)),
	    ERR_CONFIG);
	CHECK_EQ(cmdline_parse(2, bad3, &cl, errbuf, sizeof(errbuf)),
	    ERR_CONFIG);
	CHECK(strcmp(errbuf, "Extra argument extra.") == 0);
	CHECK_EQ(cmdline_parse(3, bad4, &cl, errbuf, sizeof(errbuf)),
	    ERR_CONFIG);

	/* config_setup: -f none, -p replaces the embedded port, -d. */
	CHECK_EQ(cmdline_parse(6, none, &cl, errbuf, sizeof(errbuf)), 0);
	CHECK_EQ(config_setup(&cl, &c, errbuf, sizeof(errbuf)), 0);
	CHECK(c.embedded && c.nports == 1 && c.ports[0] == 2300);
	CHECK_EQ(c.log_level, LOG_LVL_DEBUG1);
	config_free(&c);
}

/* ---------------------------------------------- container targets */

/* config_dump() of c into buf (NUL-ended). */
static void
dump_to(const struct config *c, char *buf, size_t len)
{
	FILE *f = tmpfile();
	size_t n = 0;

	buf[0] = '\0';
	if (!CHECK(f != NULL))
		return;
	config_dump(c, fileno(f));
	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void
t_container_defaults(void)
{
	struct config c;
	char buf[8192];

	CHECK_EQ(load(&c, ""), 0);
	CHECK(c.container_target == NULL && c.container_user == NULL &&
	    c.container_workdir == NULL && c.nengine_sockets == 0);
	CHECK_EQ(c.container_ns, TARGET_NS_ALL);
	CHECK_EQ(c.container_env, TARGET_ENV_INHERIT);
	CHECK(strcmp(config_engine_socket(&c, "docker"),
	    "/var/run/docker.sock") == 0);
	CHECK(strcmp(config_engine_socket(&c, "podman"),
	    "/run/podman/podman.sock") == 0);
	CHECK(config_engine_socket(&c, "lxc") == NULL);
	dump_to(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "\ncontainertarget none\n") != NULL);
	CHECK(strstr(buf, "\ncontainerenginesocket docker:/var/run/docker.sock "
	    "podman:/run/podman/podman.sock\n") != NULL);
	CHECK(strstr(buf, "\ncontaineruser %u\n") != NULL);
	CHECK(strstr(buf, "\ncontainernamespaces all\n") != NULL);
	CHECK(strstr(buf, "\ncontainerenvironment inherit\n") != NULL);
	CHECK(strstr(buf, "\ncontainerworkdir none\n") != NULL);
	config_free(&c);
}

static void
t_container_keywords(void)
{
	struct config c;
	char buf[8192];

	CHECK_EQ(load(&c, "ContainerTarget docker:%u-ws\n"
	    "ContainerTarget podman:ignored\n"	/* first value wins */
	    "ContainerEngineSocket podman:/p.sock docker:/d.sock\n"
	    "ContainerEngineSocket docker:/ignored\n"
	    "ContainerUser cuser\n"
	    "ContainerNamespaces mnt,uts pid\n"
	    "ContainerEnvironment none\n"
	    "ContainerWorkdir /srv/%u\n"), 0);
	CHECK(c.container_target &&
	    strcmp(c.container_target, "docker:%u-ws") == 0);
	CHECK(strcmp(config_engine_socket(&c, "docker"), "/d.sock") == 0);
	CHECK(strcmp(config_engine_socket(&c, "podman"), "/p.sock") == 0);
	CHECK(c.container_user && strcmp(c.container_user, "cuser") == 0);
	CHECK_EQ(c.container_ns, TARGET_NS_MNT | TARGET_NS_UTS | TARGET_NS_PID);
	CHECK_EQ(c.container_env, TARGET_ENV_NONE);
	CHECK(c.container_workdir &&
	    strcmp(c.container_workdir, "/srv/%u") == 0);
	dump_to(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "\ncontainertarget docker:%u-ws\n") != NULL);
	CHECK(strstr(buf, "\ncontainerenginesocket docker:/d.sock "
	    "podman:/p.sock\n") != NULL);
	CHECK(strstr(buf, "\ncontaineruser cuser\n") != NULL);
	CHECK(strstr(buf, "\ncontainernamespaces mnt,uts,pid\n") != NULL);
	CHECK(strstr(buf, "\ncontainerenvironment none\n") != NULL);
	CHECK(strstr(buf, "\ncontainerworkdir /srv/%u\n") != NULL);
	config_free(&c);

	/* Each form of ContainerTarget; none and all. */
	CHECK_EQ(load(&c, "ContainerTarget pid:1\nContainerNamespaces "
	    "user,all\nContainerWorkdir none\n"), 0);
	CHECK(strcmp(c.container_target, "pid:1") == 0);
	CHECK_EQ(c.container_ns, TARGET_NS_ALL);
	CHECK(c.container_workdir == NULL);
	config_free(&c);
	CHECK_EQ(load(&c, "ContainerTarget pidfile:%h/c.pid\n"), 0);
	config_free(&c);
	CHECK_EQ(load(&c, "ContainerTarget pidfile:/run/c.pid\n"), 0);
	config_free(&c);
	CHECK_EQ(load(&c, "ContainerTarget pid:%u\n"), 0);	/* at resolve */
	config_free(&c);
	CHECK_EQ(load(&c, "ContainerTarget none\n"), 0);
	CHECK(c.container_target == NULL);
	config_free(&c);
}

static void
t_container_errors(void)
{
	CHECK(fails_with("ContainerTarget lxc:x\n", "test.conf line 1: "
	    "ContainerTarget \"lxc:x\": expected none, pid:N, pidfile:PATH, "
	    "docker:NAME or podman:NAME"));
	CHECK(fails_with("ContainerTarget docker:\n", "test.conf line 1: "
	    "ContainerTarget \"docker:\": empty target"));
	CHECK(fails_with("ContainerTarget pid:12x\n", "test.conf line 1: "
	    "ContainerTarget \"pid:12x\": not a process id"));
	CHECK(fails_with("ContainerTarget pidfile:run/c.pid\n",
	    "test.conf line 1: ContainerTarget \"pidfile:run/c.pid\": the "
	    "pid file must be an absolute path"));
	CHECK(fails_with("ContainerTarget docker:%U\n", "test.conf line 1: "
	    "ContainerTarget \"docker:%U\": unknown %-token (only %u %h %%)"));
	CHECK(fails_with("ContainerTarget docker:a%\n", "test.conf line 1: "
	    "ContainerTarget \"docker:a%\": unknown %-token (only %u %h %%)"));
	CHECK(fails_with("ContainerTarget docker:a b\n", "test.conf line 1: "
	    "keyword ContainerTarget extra arguments at end of line"));
	CHECK(fails_with("ContainerEngineSocket lxc:/x\n", "test.conf line 1: "
	    "ContainerEngineSocket \"lxc:/x\": expected docker:PATH or "
	    "podman:PATH"));
	CHECK(fails_with("ContainerEngineSocket docker:x.sock\n",
	    "test.conf line 1: ContainerEngineSocket \"docker:x.sock\": the "
	    "socket must be an absolute path shorter than 108 bytes"));
	CHECK(fails_with("ContainerEngineSocket docker:/a docker:/b\n",
	    "test.conf line 1: ContainerEngineSocket names docker twice"));
	CHECK(fails_with("ContainerUser a:b\n", "test.conf line 1: "
	    "ContainerUser \"a:b\": not a user name (tokens: %u %%)"));
	CHECK(fails_with("ContainerUser %h\n", "test.conf line 1: "
	    "ContainerUser \"%h\": not a user name (tokens: %u %%)"));
	CHECK(fails_with("ContainerNamespaces mnt,time\n", "test.conf line 1: "
	    "ContainerNamespaces: unknown namespace \"time\" (user mnt uts "
	    "ipc net cgroup pid, all)"));
	CHECK(fails_with("ContainerNamespaces ,\n", "test.conf line 1: "
	    "ContainerNamespaces missing argument."));
	CHECK(fails_with("ContainerEnvironment copy\n", "test.conf line 1: "
	    "unsupported option \"copy\"."));
	CHECK(fails_with("ContainerWorkdir srv\n", "test.conf line 1: "
	    "ContainerWorkdir \"srv\": expected an absolute path shorter than "
	    "256 bytes (tokens: %u %%) or none"));
	/* Checked inside a Match block that does not apply as well. */
	CHECK(fails_with("Match User nobody\nContainerTarget pid:x\n",
	    "test.conf line 2: ContainerTarget \"pid:x\": not a process id"));
}

static void
t_container_match(void)
{
	struct config c, d;

	CHECK_EQ(load(&c, "ContainerEngineSocket podman:/p.sock\n"
	    "ContainerNamespaces all\n"
	    "Match User alice\n"
	    "  ContainerTarget docker:%u-ws\n"
	    "  ContainerUser cuser\n"
	    "  ContainerNamespaces mnt pid\n"
	    "  ContainerEnvironment none\n"
	    "  ContainerWorkdir /w\n"
	    "Match Address 10.0.0.0/8\n"
	    "  ContainerTarget podman:x\n"
	    "  ContainerEngineSocket docker:/d.sock\n"), 0);
	CHECK(c.container_target == NULL);

	CHECK_EQ(config_dup(&d, &c), 0);
	CHECK_EQ(config_apply_match(&d, "alice", "users", "127.0.0.1",
	    "127.0.0.1", 22), 0);
	CHECK(d.container_target &&
	    strcmp(d.container_target, "docker:%u-ws") == 0);
	CHECK(d.container_user && strcmp(d.container_user, "cuser") == 0);
	CHECK_EQ(d.container_ns, TARGET_NS_MNT | TARGET_NS_PID);
	CHECK_EQ(d.container_env, TARGET_ENV_NONE);
	CHECK(d.container_workdir && strcmp(d.container_workdir, "/w") == 0);
	CHECK(strcmp(config_engine_socket(&d, "podman"), "/p.sock") == 0);
	config_free(&d);

	/* A Match line replaces the global ContainerEngineSocket line. */
	CHECK_EQ(config_dup(&d, &c), 0);
	CHECK_EQ(config_apply_match(&d, "bob", "users", "10.1.1.1",
	    "127.0.0.1", 22), 0);
	CHECK(d.container_target &&
	    strcmp(d.container_target, "podman:x") == 0);
	CHECK(d.container_user == NULL);
	CHECK_EQ(d.container_ns, TARGET_NS_ALL);
	CHECK(strcmp(config_engine_socket(&d, "docker"), "/d.sock") == 0);
	CHECK(strcmp(config_engine_socket(&d, "podman"),
	    CONFIG_PODMAN_SOCKET) == 0);
	config_free(&d);

	/* No block applies: the global values stay. */
	CHECK_EQ(config_dup(&d, &c), 0);
	CHECK_EQ(config_apply_match(&d, "bob", "users", "127.0.0.1",
	    "127.0.0.1", 22), 0);
	CHECK(d.container_target == NULL);
	config_free(&d);
	config_free(&c);
}

/* nsshd -T -C user=alice,addr=...: config_setup + Match + dump, as -T. */
static void
t_container_dump_match(void)
{
	char path[] = "/tmp/nsshd-unit-cfg.XXXXXX", buf[8192];
	char *argv[] = { "nsshd", "-T", "-f", path, "-C",
	    "user=alice,addr=127.0.0.1", NULL };
	const char *text = "HostKey /nonexistent\n"
	    "Match User alice\n  ContainerTarget docker:%u-ws\n"
	    "  ContainerUser cuser\n";
	struct cmdline cl;
	struct conn_spec cs;
	struct config c;
	int fd = mkstemp(path);

	if (!CHECK(fd >= 0))
		return;
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	CHECK_EQ(cmdline_parse(6, argv, &cl, errbuf, sizeof(errbuf)), 0);
	CHECK_EQ(config_setup(&cl, &c, errbuf, sizeof(errbuf)), 0);
	CHECK_EQ(cmdline_conn_spec(&cl, &cs, errbuf, sizeof(errbuf)), 0);
	CHECK_EQ(config_apply_match(&c, cs.user, NULL, cs.addr, NULL,
	    cs.lport), 0);
	dump_to(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "\ncontainertarget docker:%u-ws\n") != NULL);
	CHECK(strstr(buf, "\ncontaineruser cuser\n") != NULL);
	config_free(&c);
	unlink(path);
}

const struct ut_case config_cases[] = {
	{ "defaults", t_defaults },
	{ "keywords", t_keywords },
	{ "syntax", t_syntax },
	{ "first_wins", t_first_wins },
	{ "cmdline_precedence", t_cmdline_precedence },
	{ "errors", t_errors },
	{ "ignored", t_ignored },
	{ "match", t_match },
	{ "include", t_include },
	{ "debian", t_debian },
	{ "expand", t_expand },
	{ "patterns", t_patterns },
	{ "dump", t_dump },
	{ "algs", t_algs },
	{ "embedded", t_embedded },
	{ "cmdline", t_cmdline },
	{ "container_defaults", t_container_defaults },
	{ "container_keywords", t_container_keywords },
	{ "container_errors", t_container_errors },
	{ "container_match", t_container_match },
	{ "container_dump_match", t_container_dump_match },
	{ NULL, NULL },
};
