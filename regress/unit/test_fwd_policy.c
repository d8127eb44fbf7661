/*
 * test_fwd_policy.c - forwarding decisions: Allow*Forwarding,
 * DisableForwarding and the key flags (restrict and its re-enabling
 * options); PermitOpen and permitopen=; PermitListen and permitlisten=
 * with port 0 and the privileged-port rule; GatewayPorts bind addresses.
 * Configs come from sshd_config text, key options from the authorized_keys
 * option parser, as in the daemon.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "monitor/authkeys.h"
#include "monitor/config.h"
#include "monitor/fwd_policy.h"
#include "regress/unit/unittest.h"

/* A finished config from sshd_config text ("" = the defaults). */
static void
mkcfg(struct config *c, const char *text)
{
	char err[256];

	config_defaults(c);
	c->no_include = 1;
	err[0] = '\0';
	if (!CHECK_EQ(config_parse_text(c, "test.conf", text, strlen(text),
	    err, sizeof(err)), 0))
		printf("#   %s\n", err);
	config_finish(c);
}

/* Key options from the options field of an authorized_keys line. */
static void
mkkey(struct authkey_opts *o, const char *opts)
{
	const char *e = NULL;

	authkey_opts_init(o);
	if (!CHECK_EQ(authkeys_parse_options(opts, strlen(opts), o, &e), 0))
		printf("#   %s: %s\n", opts, e ? e : "?");
}

static void
t_flags(void)
{
	struct config c;
	struct authkey_opts k;

	mkcfg(&c, "");
	CHECK(fwd_tcp_allowed(&c, NULL, FWD_DIR_LOCAL));
	CHECK(fwd_tcp_allowed(&c, NULL, FWD_DIR_REMOTE));
	CHECK(!fwd_tcp_allowed(&c, NULL, 0));
	CHECK(!fwd_tcp_allowed(&c, NULL, 3));
	CHECK(fwd_streamlocal_allowed(&c, NULL, FWD_DIR_LOCAL));
	CHECK(fwd_streamlocal_allowed(&c, NULL, FWD_DIR_REMOTE));
	CHECK(!fwd_streamlocal_allowed(&c, NULL, 0));
	CHECK(fwd_agent_allowed(&c, NULL));
	CHECK(!fwd_x11_allowed(&c, NULL));	/* X11Forwarding no */
	config_free(&c);

	/* FWD_DIR_LOCAL is AllowTcpForwarding "local" (values differ). */
	mkcfg(&c, "AllowTcpForwarding local\nAllowStreamLocalForwarding "
	    "remote\nX11Forwarding yes\nAllowAgentForwarding no\n");
	CHECK(fwd_tcp_allowed(&c, NULL, FWD_DIR_LOCAL));
	CHECK(!fwd_tcp_allowed(&c, NULL, FWD_DIR_REMOTE));
	CHECK(!fwd_streamlocal_allowed(&c, NULL, FWD_DIR_LOCAL));
	CHECK(fwd_streamlocal_allowed(&c, NULL, FWD_DIR_REMOTE));
	CHECK(fwd_x11_allowed(&c, NULL));
	CHECK(!fwd_agent_allowed(&c, NULL));
	config_free(&c);
	mkcfg(&c, "AllowTcpForwarding remote\nAllowStreamLocalForwarding no\n");
	CHECK(!fwd_tcp_allowed(&c, NULL, FWD_DIR_LOCAL));
	CHECK(fwd_tcp_allowed(&c, NULL, FWD_DIR_REMOTE));
	CHECK(!fwd_streamlocal_allowed(&c, NULL, FWD_DIR_LOCAL));
	CHECK(!fwd_streamlocal_allowed(&c, NULL, FWD_DIR_REMOTE));
	config_free(&c);

	/* DisableForwarding overrides everything, X11 and agent too. */
	mkcfg(&c, "DisableForwarding yes\nX11Forwarding yes\n"
	    "AllowAgentForwarding yes\nAllowTcpForwarding yes\n");
	CHECK(!fwd_tcp_allowed(&c, NULL, FWD_DIR_LOCAL));
	CHECK(!fwd_tcp_allowed(&c, NULL, FWD_DIR_REMOTE));
	CHECK(!fwd_streamlocal_allowed(&c, NULL, FWD_DIR_LOCAL));
	CHECK(!fwd_streamlocal_allowed(&c, NULL, FWD_DIR_REMOTE));
	CHECK(!fwd_agent_allowed(&c, NULL));
	CHECK(!fwd_x11_allowed(&c, NULL));
	CHECK(!fwd_open_permitted(&c, NULL, "h", 80));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 8080, 1000));
	config_free(&c);

	mkcfg(&c, "X11Forwarding yes\n");
	mkkey(&k, "no-port-forwarding");
	CHECK(!fwd_tcp_allowed(&c, &k, FWD_DIR_LOCAL));
	CHECK(!fwd_tcp_allowed(&c, &k, FWD_DIR_REMOTE));
	CHECK(!fwd_streamlocal_allowed(&c, &k, FWD_DIR_LOCAL));
	CHECK(!fwd_streamlocal_allowed(&c, &k, FWD_DIR_REMOTE));
	CHECK(fwd_agent_allowed(&c, &k) && fwd_x11_allowed(&c, &k));
	authkey_opts_free(&k);
	mkkey(&k, "no-agent-forwarding,no-X11-forwarding");
	CHECK(fwd_tcp_allowed(&c, &k, FWD_DIR_LOCAL));
	CHECK(!fwd_agent_allowed(&c, &k) && !fwd_x11_allowed(&c, &k));
	authkey_opts_free(&k);
	mkkey(&k, "restrict");
	CHECK(!fwd_tcp_allowed(&c, &k, FWD_DIR_LOCAL));
	CHECK(!fwd_streamlocal_allowed(&c, &k, FWD_DIR_REMOTE));
	CHECK(!fwd_agent_allowed(&c, &k) && !fwd_x11_allowed(&c, &k));
	authkey_opts_free(&k);
	mkkey(&k, "restrict,port-forwarding");
	CHECK(fwd_tcp_allowed(&c, &k, FWD_DIR_LOCAL));
	CHECK(fwd_streamlocal_allowed(&c, &k, FWD_DIR_LOCAL));
	CHECK(!fwd_agent_allowed(&c, &k) && !fwd_x11_allowed(&c, &k));
	authkey_opts_free(&k);
	mkkey(&k, "restrict,agent-forwarding,X11-forwarding");
	CHECK(!fwd_tcp_allowed(&c, &k, FWD_DIR_REMOTE));
	CHECK(fwd_agent_allowed(&c, &k) && fwd_x11_allowed(&c, &k));
	authkey_opts_free(&k);
	config_free(&c);
}

/* Match blocks land in the same fields: the policy sees the result. */
static void
t_match(void)
{
	struct config c;

	mkcfg(&c, "Match User bob\n\tAllowTcpForwarding no\n"
	    "\tPermitListen none\n");
	CHECK_EQ(config_apply_match(&c, "alice", "users", "192.0.2.1",
	    "192.0.2.2", 22), 0);
	CHECK(fwd_open_permitted(&c, NULL, "h", 80));
	CHECK(fwd_listen_permitted(&c, NULL, "", 8080, 1000));
	CHECK_EQ(config_apply_match(&c, "bob", "users", "192.0.2.1",
	    "192.0.2.2", 22), 0);
	CHECK(!fwd_tcp_allowed(&c, NULL, FWD_DIR_LOCAL));
	CHECK(!fwd_open_permitted(&c, NULL, "h", 80));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 8080, 1000));
	config_free(&c);
}

static void
t_permitopen(void)
{
	struct config c;

	mkcfg(&c, "");
	CHECK(fwd_open_permitted(&c, NULL, "anything", 1));
	CHECK(fwd_open_permitted(&c, NULL, "", 65535));
	CHECK(!fwd_open_permitted(&c, NULL, "h", 65536));
	CHECK(!fwd_open_permitted(&c, NULL, NULL, 80));
	config_free(&c);
	mkcfg(&c, "PermitOpen any\n");
	CHECK(fwd_open_permitted(&c, NULL, "h", 80));
	config_free(&c);
	mkcfg(&c, "PermitOpen none\n");
	CHECK(!fwd_open_permitted(&c, NULL, "h", 80));
	CHECK(!fwd_open_permitted(&c, NULL, "none", 80));
	config_free(&c);

	mkcfg(&c, "PermitOpen host1:80 [2001:db8::1]:443 *:22 web:* "
	    "mail/25\n");
	CHECK(fwd_open_permitted(&c, NULL, "host1", 80));
	CHECK(!fwd_open_permitted(&c, NULL, "host1", 81));
	CHECK(!fwd_open_permitted(&c, NULL, "HOST1", 80));	/* exact */
	CHECK(!fwd_open_permitted(&c, NULL, "host", 80));	/* no prefix */
	CHECK(fwd_open_permitted(&c, NULL, "2001:db8::1", 443));
	CHECK(!fwd_open_permitted(&c, NULL, "[2001:db8::1]", 443));
	CHECK(!fwd_open_permitted(&c, NULL, "2001:db8::1", 80));
	CHECK(fwd_open_permitted(&c, NULL, "any.example", 22));
	CHECK(fwd_open_permitted(&c, NULL, "", 22));
	CHECK(fwd_open_permitted(&c, NULL, "web", 1));
	CHECK(fwd_open_permitted(&c, NULL, "web", 65535));
	CHECK(!fwd_open_permitted(&c, NULL, "web2", 1));
	CHECK(fwd_open_permitted(&c, NULL, "mail", 25));
	CHECK(!fwd_open_permitted(&c, NULL, "mail", 26));
	config_free(&c);

	/* The list applies only when local forwarding is on at all. */
	mkcfg(&c, "AllowTcpForwarding remote\nPermitOpen any\n");
	CHECK(!fwd_open_permitted(&c, NULL, "h", 80));
	config_free(&c);
}

static void
t_permitopen_key(void)
{
	struct config c;
	struct authkey_opts k;

	mkcfg(&c, "");
	mkkey(&k, "permitopen=\"h:80\",permitopen=\"[::1]:22\"");
	CHECK(fwd_open_permitted(&c, &k, "h", 80));
	CHECK(!fwd_open_permitted(&c, &k, "h", 81));
	CHECK(!fwd_open_permitted(&c, &k, "g", 80));
	CHECK(fwd_open_permitted(&c, &k, "::1", 22));
	CHECK(!fwd_open_permitted(&c, &k, "127.0.0.1", 22));
	authkey_opts_free(&k);
	mkkey(&k, "permitopen=\"h:*\"");
	CHECK(fwd_open_permitted(&c, &k, "h", 1));
	CHECK(fwd_open_permitted(&c, &k, "h", 65535));
	CHECK(!fwd_open_permitted(&c, &k, "H", 1));
	authkey_opts_free(&k);
	/* "*" as the host is sshd's any-host marker here too. */
	mkkey(&k, "permitopen=\"*:22\"");
	CHECK(fwd_open_permitted(&c, &k, "x", 22));
	CHECK(!fwd_open_permitted(&c, &k, "x", 23));
	authkey_opts_free(&k);
	mkkey(&k, "no-port-forwarding,permitopen=\"h:80\"");
	CHECK(!fwd_open_permitted(&c, &k, "h", 80));
	authkey_opts_free(&k);
	mkkey(&k, "restrict,port-forwarding,permitopen=\"h:80\"");
	CHECK(fwd_open_permitted(&c, &k, "h", 80));
	CHECK(!fwd_open_permitted(&c, &k, "h", 8080));
	authkey_opts_free(&k);
	/* A key without permitopen leaves the config's list alone. */
	mkkey(&k, "no-pty");
	CHECK(fwd_open_permitted(&c, &k, "h", 1));
	authkey_opts_free(&k);
	config_free(&c);

	/* Both lists must allow it. */
	mkcfg(&c, "PermitOpen h:80 g:80\n");
	mkkey(&k, "permitopen=\"g:80\",permitopen=\"f:80\"");
	CHECK(fwd_open_permitted(&c, &k, "g", 80));
	CHECK(!fwd_open_permitted(&c, &k, "h", 80));
	CHECK(!fwd_open_permitted(&c, &k, "f", 80));
	authkey_opts_free(&k);
	config_free(&c);
	mkcfg(&c, "PermitOpen none\n");
	mkkey(&k, "permitopen=\"g:80\"");
	CHECK(!fwd_open_permitted(&c, &k, "g", 80));
	authkey_opts_free(&k);
	config_free(&c);
}

static void
t_permitlisten(void)
{
	struct config c;

	/* Unrestricted: any port, 0 too; below 1024 only for root. */
	mkcfg(&c, "");
	CHECK(fwd_listen_permitted(&c, NULL, "", 8080, 1000));
	CHECK(fwd_listen_permitted(&c, NULL, "localhost", 0, 1000));
	CHECK(fwd_listen_permitted(&c, NULL, "*", 1024, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 1023, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 80, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 1, 1));
	CHECK(fwd_listen_permitted(&c, NULL, "", 80, 0));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 65536, 0));
	CHECK(!fwd_listen_permitted(&c, NULL, NULL, 8080, 0));
	config_free(&c);
	mkcfg(&c, "AllowTcpForwarding local\n");
	CHECK(!fwd_listen_permitted(&c, NULL, "", 8080, 0));
	config_free(&c);
	mkcfg(&c, "PermitListen none\n");
	CHECK(!fwd_listen_permitted(&c, NULL, "", 8080, 0));
	config_free(&c);
	mkcfg(&c, "PermitListen any\n");
	CHECK(fwd_listen_permitted(&c, NULL, "", 0, 1000));
	config_free(&c);

	/* A bare port: any listen host, that port only, never port 0. */
	mkcfg(&c, "PermitListen 8080 80\n");
	CHECK(fwd_listen_permitted(&c, NULL, "", 8080, 1000));
	CHECK(fwd_listen_permitted(&c, NULL, "localhost", 8080, 1000));
	CHECK(fwd_listen_permitted(&c, NULL, "*", 8080, 1000));
	CHECK(fwd_listen_permitted(&c, NULL, "192.0.2.1", 8080, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 8081, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 0, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 80, 1000));	/* uid */
	CHECK(fwd_listen_permitted(&c, NULL, "", 80, 0));
	config_free(&c);

	/* host:port: the host is a pattern, the request is lower-cased. */
	mkcfg(&c, "PermitListen localhost:8080 192.0.2.*:9000 "
	    "[::1]:7000 LOUD:1\n");
	CHECK(fwd_listen_permitted(&c, NULL, "localhost", 8080, 1000));
	CHECK(fwd_listen_permitted(&c, NULL, "LocalHost", 8080, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "127.0.0.1", 8080, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 8080, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "localhost", 8081, 1000));
	CHECK(fwd_listen_permitted(&c, NULL, "192.0.2.77", 9000, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "192.0.3.77", 9000, 1000));
	CHECK(fwd_listen_permitted(&c, NULL, "::1", 7000, 1000));
	/* sshd lower-cases the request, not the pattern. */
	CHECK(!fwd_listen_permitted(&c, NULL, "LOUD", 1, 0));
	config_free(&c);

	/* "*" alone and "*:*": anything, port 0 included. */
	mkcfg(&c, "PermitListen *\n");
	CHECK(fwd_listen_permitted(&c, NULL, "x", 0, 1000));
	CHECK(fwd_listen_permitted(&c, NULL, "", 40000, 1000));
	config_free(&c);
	/* Port 0 is no entry port (sshd refuses it): matches nothing. */
	mkcfg(&c, "PermitListen 0 localhost:0\n");
	CHECK(!fwd_listen_permitted(&c, NULL, "", 0, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "localhost", 0, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 8080, 1000));
	config_free(&c);
	mkcfg(&c, "PermitListen localhost:*\n");
	CHECK(fwd_listen_permitted(&c, NULL, "localhost", 0, 1000));
	CHECK(fwd_listen_permitted(&c, NULL, "localhost", 5555, 1000));
	CHECK(!fwd_listen_permitted(&c, NULL, "", 5555, 1000));
	config_free(&c);
}

static void
t_permitlisten_key(void)
{
	struct config c;
	struct authkey_opts k;

	mkcfg(&c, "");
	mkkey(&k, "permitlisten=\"8080\"");
	CHECK(fwd_listen_permitted(&c, &k, "", 8080, 1000));
	CHECK(fwd_listen_permitted(&c, &k, "localhost", 8080, 1000));
	CHECK(!fwd_listen_permitted(&c, &k, "", 8081, 1000));
	CHECK(!fwd_listen_permitted(&c, &k, "", 0, 1000));
	authkey_opts_free(&k);
	mkkey(&k, "permitlisten=\"localhost:*\",permitlisten=\"[::1]:22\"");
	CHECK(fwd_listen_permitted(&c, &k, "localhost", 0, 1000));
	CHECK(fwd_listen_permitted(&c, &k, "localhost", 5555, 1000));
	CHECK(!fwd_listen_permitted(&c, &k, "", 5555, 1000));
	CHECK(!fwd_listen_permitted(&c, &k, "::1", 22, 1000));	/* uid */
	CHECK(fwd_listen_permitted(&c, &k, "::1", 22, 0));
	authkey_opts_free(&k);
	mkkey(&k, "permitlisten=\"0\"");
	CHECK(!fwd_listen_permitted(&c, &k, "", 0, 1000));
	CHECK(!fwd_listen_permitted(&c, &k, "", 8080, 1000));
	authkey_opts_free(&k);
	mkkey(&k, "permitopen=\"h:0\"");
	CHECK(!fwd_open_permitted(&c, &k, "h", 0));
	CHECK(!fwd_open_permitted(&c, &k, "h", 80));
	authkey_opts_free(&k);
	mkkey(&k, "restrict,permitlisten=\"8080\"");
	CHECK(!fwd_listen_permitted(&c, &k, "", 8080, 1000));
	authkey_opts_free(&k);
	config_free(&c);

	mkcfg(&c, "PermitListen 8080 9090\n");
	mkkey(&k, "permitlisten=\"9090\",permitlisten=\"7070\"");
	CHECK(fwd_listen_permitted(&c, &k, "", 9090, 1000));
	CHECK(!fwd_listen_permitted(&c, &k, "", 8080, 1000));
	CHECK(!fwd_listen_permitted(&c, &k, "", 7070, 1000));
	authkey_opts_free(&k);
	config_free(&c);
}

/* fwd_bind_address(requested) is want? */
static int
bind_is(const struct config *c, const char *requested, const char *want)
{
	char out[64];
	int ok;

	memset(out, 'x', sizeof(out));
	ok = fwd_bind_address(c, requested, out, sizeof(out)) == 0 &&
	    strcmp(out, want) == 0;
	if (!ok)
		printf("#   GatewayPorts %d, \"%s\": got \"%.64s\", want "
		    "\"%s\"\n", c->gateway_ports, requested ? requested :
		    "(null)", out, want);
	return ok;
}

static void
t_bind_address(void)
{
	struct config c;
	char out[16];

	mkcfg(&c, "");			/* GatewayPorts no */
	CHECK(bind_is(&c, NULL, "localhost"));
	CHECK(bind_is(&c, "", "localhost"));
	CHECK(bind_is(&c, "*", "localhost"));
	CHECK(bind_is(&c, "localhost", "localhost"));
	CHECK(bind_is(&c, "127.0.0.1", "127.0.0.1"));
	CHECK(bind_is(&c, "::1", "::1"));
	CHECK(bind_is(&c, "0.0.0.0", "localhost"));
	CHECK(bind_is(&c, "192.0.2.1", "localhost"));
	config_free(&c);

	mkcfg(&c, "GatewayPorts yes\n");
	CHECK(bind_is(&c, NULL, ""));
	CHECK(bind_is(&c, "", ""));
	CHECK(bind_is(&c, "localhost", ""));
	CHECK(bind_is(&c, "127.0.0.1", ""));
	CHECK(bind_is(&c, "192.0.2.1", ""));
	config_free(&c);

	mkcfg(&c, "GatewayPorts clientspecified\n");
	CHECK(bind_is(&c, NULL, ""));
	CHECK(bind_is(&c, "", ""));
	CHECK(bind_is(&c, "*", ""));
	CHECK(bind_is(&c, "localhost", "localhost"));
	CHECK(bind_is(&c, "127.0.0.1", "127.0.0.1"));
	CHECK(bind_is(&c, "::1", "::1"));
	CHECK(bind_is(&c, "0.0.0.0", "0.0.0.0"));
	CHECK(bind_is(&c, "192.0.2.1", "192.0.2.1"));
	CHECK(bind_is(&c, "host.example", "host.example"));

	/* Too small: ERR_LENGTH and an empty string. */
	memset(out, 'x', sizeof(out));
	CHECK_EQ(fwd_bind_address(&c, "192.0.2.1", out, 9), ERR_LENGTH);
	CHECK_EQ(out[0], '\0');
	CHECK_EQ(fwd_bind_address(&c, "192.0.2.1", out, 10), 0);
	CHECK(strcmp(out, "192.0.2.1") == 0);
	out[0] = 'x';
	CHECK_EQ(fwd_bind_address(&c, "192.0.2.1", out, 0), ERR_LENGTH);
	CHECK_EQ(out[0], 'x');
	CHECK_EQ(fwd_bind_address(&c, "", out, 1), 0);
	CHECK_EQ(out[0], '\0');
	config_free(&c);
}

const struct ut_case fwd_policy_cases[] = {
	{ "flags", t_flags },
	{ "match", t_match },
	{ "permitopen", t_permitopen },
	{ "permitopen_key", t_permitopen_key },
	{ "permitlisten", t_permitlisten },
	{ "permitlisten_key", t_permitlisten_key },
	{ "bind_address", t_bind_address },
	{ NULL, NULL },
};
