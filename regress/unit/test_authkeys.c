/*
 * test_authkeys.c - authorized_keys lines: options (flags, quoted values,
 * repeats, errors), several keys, from= matching, expiry, key types nsshd
 * does not use, cert-authority, garbage lines; and monitor/authfile.c
 * (reading the file with StrictModes, allowed_user(), root policy).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "crypto/sshkey.h"
#include "monitor/authfile.h"
#include "monitor/authkeys.h"
#include "monitor/config.h"
#include "proto/buf.h"
#include "regress/unit/unittest.h"

struct tkey {
	unsigned char blob[64];
	size_t len;
	char b64[128];
};

/* An Ed25519 public blob whose key bytes are all `fill`. */
static void
tkey_make(struct tkey *k, unsigned char fill)
{
	unsigned char pk[32];
	struct buf b, e;

	memset(pk, fill, sizeof(pk));
	buf_init(&b, 0);
	buf_init(&e, 0);
	buf_put_cstring(&b, "ssh-ed25519");
	buf_put_string(&b, pk, sizeof(pk));
	k->len = buf_len(&b);
	memcpy(k->blob, buf_ptr(&b), k->len);
	b64_encode(k->blob, k->len, &e);
	snprintf(k->b64, sizeof(k->b64), "%.*s", (int)buf_len(&e),
	    (const char *)buf_ptr(&e));
	buf_free(&b);
	buf_free(&e);
}

static int
find(const char *text, const struct tkey *k, const char *addr,
    struct authkey_opts *o)
{
	return authkeys_find_ex(text, strlen(text), k->blob, k->len, addr,
	    1700000000LL, o, NULL, 0);
}

static void
t_plain(void)
{
	struct tkey a, b;
	struct authkey_opts o;
	char text[1024];

	tkey_make(&a, 1);
	tkey_make(&b, 2);
	snprintf(text, sizeof(text),
	    "# comment\n"
	    "\n"
	    "   \t\n"
	    "ssh-ed25519 %s alice@host\n"
	    "  ssh-ed25519 %s\r\n", a.b64, b.b64);
	CHECK_EQ(find(text, &a, "1.2.3.4", &o), 0);
	CHECK_EQ(o.line, 4);
	CHECK(!o.no_pty && !o.restricted && o.command == NULL &&
	    o.tunnel == -1);
	authkey_opts_free(&o);
	CHECK_EQ(find(text, &b, "1.2.3.4", &o), 0);
	CHECK_EQ(o.line, 5);
	authkey_opts_free(&o);
	/* The last line without a newline. */
	snprintf(text, sizeof(text), "ssh-ed25519 %s", b.b64);
	CHECK_EQ(find(text, &b, NULL, &o), 0);
	authkey_opts_free(&o);
	CHECK_EQ(find("", &a, NULL, &o), ERR_NOTFOUND);
}

static void
t_options(void)
{
	struct tkey a;
	struct authkey_opts o;
	char text[2048];

	tkey_make(&a, 3);
	snprintf(text, sizeof(text),
	    "restrict,pty,command=\"echo \\\"hi there\\\"; ls\","
	    "environment=\"LANG=C\",environment=\"TZ=UTC\","
	    "environment=\"LANG=de\",permitopen=\"host:80\","
	    "permitopen=\"[::1]:*\",permitlisten=\"8080\","
	    "principals=\"a,b\",tunnel=\"3\",NO-X11-FORWARDING,"
	    "expiry-time=\"20991231Z\" ssh-ed25519 %s comment with spaces\n",
	    a.b64);
	if (!CHECK_EQ(find(text, &a, NULL, &o), 0))
		return;
	CHECK(o.restricted && !o.no_pty && o.no_port_forwarding &&
	    o.no_agent_forwarding && o.no_x11_forwarding && o.no_user_rc);
	CHECK(o.command && strcmp(o.command, "echo \"hi there\"; ls") == 0);
	CHECK(o.nenv == 2 && strcmp(o.env[0], "LANG=C") == 0 &&
	    strcmp(o.env[1], "TZ=UTC") == 0 && o.env[2] == NULL);
	CHECK(o.npermitopen == 2 && strcmp(o.permitopen[1], "[::1]:*") == 0);
	CHECK(o.npermitlisten == 1 && strcmp(o.permitlisten[0], "8080") == 0);
	CHECK(o.principals && strcmp(o.principals, "a,b") == 0);
	CHECK_EQ(o.tunnel, 3);
	CHECK(o.expiry > 1700000000LL);
	authkey_opts_free(&o);
	CHECK(o.command == NULL && o.env == NULL && o.tunnel == -1);
}

static int
opts_ok(const char *s)
{
	struct authkey_opts o;
	const char *e;
	int r;

	authkey_opts_init(&o);
	r = authkeys_parse_options(s, strlen(s), &o, &e);
	authkey_opts_free(&o);
	return r == 0;
}

static void
t_option_errors(void)
{
	struct authkey_opts o;
	const char *e = NULL;

	CHECK(opts_ok("no-pty"));
	CHECK(opts_ok("no-port-forwarding,no-agent-forwarding,no-user-rc"));
	CHECK(opts_ok("from=\"10.0.0.0/8,!10.1.*\""));
	CHECK(opts_ok("no-touch-required,verify-required,cert-authority"));
	CHECK(!opts_ok("bogus"));
	CHECK(!opts_ok("no-ptyx"));
	CHECK(!opts_ok("command=unquoted"));
	CHECK(!opts_ok("command=\"unterminated"));
	CHECK(!opts_ok("command=\"a\",command=\"b\""));
	CHECK(!opts_ok("from=\"a\",from=\"b\""));
	CHECK(!opts_ok("environment=\"NOEQUALS\""));
	CHECK(!opts_ok("environment=\"BAD-NAME=x\""));
	CHECK(!opts_ok("permitopen=\"noport\""));
	CHECK(!opts_ok("permitopen=\"host:99999\""));
	CHECK(!opts_ok("expiry-time=\"2024\""));
	CHECK(!opts_ok("tunnel=\"x\""));
	CHECK(!opts_ok("no-pty,"));
	authkey_opts_init(&o);
	CHECK_EQ(authkeys_parse_options("pty,zap", 7, &o, &e), ERR_FORMAT);
	CHECK(e != NULL && strcmp(e, "unknown key option") == 0);
}

static void
t_from(void)
{
	struct tkey a, b;
	struct authkey_opts o;
	char text[1024], why[512];

	tkey_make(&a, 4);
	tkey_make(&b, 5);
	snprintf(text, sizeof(text),
	    "from=\"10.0.0.0/8\",command=\"first\" ssh-ed25519 %s\n"
	    "from=\"192.168.1.*,!192.168.1.66\",command=\"second\" "
	    "ssh-ed25519 %s\n"
	    "ssh-ed25519 %s b\n", a.b64, a.b64, b.b64);
	CHECK_EQ(find(text, &a, "10.9.8.7", &o), 0);
	CHECK(o.command && strcmp(o.command, "first") == 0 && o.line == 1);
	authkey_opts_free(&o);
	CHECK_EQ(find(text, &a, "192.168.1.5", &o), 0);
	CHECK(o.command && strcmp(o.command, "second") == 0 && o.line == 2);
	authkey_opts_free(&o);
	CHECK_EQ(authkeys_find_ex(text, strlen(text), a.blob, a.len,
	    "192.168.1.66", 0, &o, why, sizeof(why)), ERR_NOTFOUND);
	CHECK(strstr(why, "not from a permitted host") != NULL);
	CHECK_EQ(find(text, &a, NULL, &o), ERR_NOTFOUND);
	CHECK_EQ(find(text, &b, "8.8.8.8", &o), 0);
	authkey_opts_free(&o);
}

static void
t_expiry(void)
{
	struct tkey a;
	struct authkey_opts o;
	char text[512], why[256];

	tkey_make(&a, 6);
	snprintf(text, sizeof(text),
	    "expiry-time=\"20200101Z\" ssh-ed25519 %s\n"
	    "command=\"later\" ssh-ed25519 %s\n", a.b64, a.b64);
	CHECK_EQ(authkeys_find_ex(text, strlen(text), a.blob, a.len, NULL,
	    1700000000LL, &o, why, sizeof(why)), 0);
	CHECK(o.line == 2 && strcmp(o.command, "later") == 0);
	authkey_opts_free(&o);
	/* now = 0: no check. */
	CHECK_EQ(authkeys_find_ex(text, strlen(text), a.blob, a.len, NULL, 0,
	    &o, why, sizeof(why)), 0);
	CHECK_EQ(o.line, 1);
	CHECK_EQ(o.expiry, 1577836800LL);
	authkey_opts_free(&o);
}

static void
t_types(void)
{
	struct tkey a;
	struct authkey_opts o;
	char text[1024];

	tkey_make(&a, 7);
	/* The right bytes under another type name never match. */
	snprintf(text, sizeof(text),
	    "ssh-rsa %s\n"
	    "ecdsa-sha2-nistp256 %s\n"
	    "sk-ssh-ed25519@openssh.com %s\n"
	    "cert-authority ssh-ed25519 %s\n"
	    "ssh-ed25519-cert-v01@openssh.com %s\n", a.b64, a.b64, a.b64,
	    a.b64, a.b64);
	CHECK_EQ(find(text, &a, NULL, &o), ERR_NOTFOUND);
	/* An RSA line before the right one is skipped. */
	snprintf(text, sizeof(text),
	    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 rsa@host\n"
	    "ssh-ed25519 %s\n", a.b64);
	CHECK_EQ(find(text, &a, NULL, &o), 0);
	CHECK_EQ(o.line, 2);
	authkey_opts_free(&o);
}

static void
t_garbage(void)
{
	struct tkey a, b;
	struct authkey_opts o;
	char text[2048], nul[512];
	size_t n;

	tkey_make(&a, 8);
	tkey_make(&b, 9);
	snprintf(text, sizeof(text),
	    "garbage\n"
	    "ssh-ed25519\n"
	    "ssh-ed25519 !!!notbase64!!!\n"
	    "command=\"unterminated ssh-ed25519 %s\n"
	    "bogus-option ssh-ed25519 %s\n"
	    "no-pty ssh-ed25519 %s\n"
	    "ssh-ed25519 %s\n", a.b64, a.b64, b.b64, a.b64);
	CHECK_EQ(find(text, &a, NULL, &o), 0);
	CHECK_EQ(o.line, 7);
	CHECK(!o.no_pty);
	authkey_opts_free(&o);
	CHECK_EQ(find(text, &b, NULL, &o), 0);
	CHECK(o.no_pty && o.line == 6);
	authkey_opts_free(&o);
	/* A NUL inside a line makes that line unusable, not the text. */
	n = (size_t)snprintf(nul, sizeof(nul), "ssh-ed25519 x@y\n"
	    "ssh-ed25519 %s\n", a.b64);
	nul[13] = '\0';
	CHECK_EQ(authkeys_find_ex(nul, n, a.blob, a.len, NULL, 0, &o, NULL,
	    0), 0);
	CHECK_EQ(o.line, 2);
	authkey_opts_free(&o);
	/* A blob that is a prefix of a listed one does not match. */
	CHECK_EQ(authkeys_find_ex(text, strlen(text), a.blob, a.len - 1, NULL,
	    0, &o, NULL, 0), ERR_NOTFOUND);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, mode);
}

static int
cfg_text(struct config *c, const char *text)
{
	return config_parse_text(c, "t", text, strlen(text), NULL, 0);
}

/* A user whose home is a fresh directory owned by us. */
static void
fake_user(struct user_info *u, char *home)
{
	memset(u, 0, sizeof(*u));
	u->name = "nsshd-unit";
	u->uid = getuid();
	u->gid = getgid();
	u->home = home;
	u->shell = "/bin/sh";
	u->groups[0] = getgid();
	u->ngroups = 1;
}

static void
t_authfile(void)
{
	char home[] = "/tmp/nsshd-akt.XXXXXX", path[256], line[256];
	char used[256];
	struct user_info u;
	struct authkey_opts o;
	struct config c;
	struct tkey a;

	tkey_make(&a, 10);
	if (!CHECK(mkdtemp(home) != NULL))
		return;
	chmod(home, 0755);
	fake_user(&u, home);
	config_defaults(&c);
	config_finish(&c);
	snprintf(path, sizeof(path), "%s/.ssh", home);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/.ssh/authorized_keys2", home);
	snprintf(line, sizeof(line), "no-pty ssh-ed25519 %s\n", a.b64);
	write_file(path, line, 0644);
	CHECK_EQ(auth_key_allowed(&c, &u, "10.0.0.1", a.blob, a.len, &o, used,
	    sizeof(used)), 0);
	CHECK(o.no_pty && strcmp(used, path) == 0);
	authkey_opts_free(&o);

	/* StrictModes: a group-writable file, then directory, is refused. */
	chmod(path, 0664);
	CHECK_EQ(auth_key_allowed(&c, &u, "10.0.0.1", a.blob, a.len, &o, NULL,
	    0), ERR_NOTFOUND);
	c.strict_modes = 0;
	CHECK_EQ(auth_key_allowed(&c, &u, "10.0.0.1", a.blob, a.len, &o, NULL,
	    0), 0);
	authkey_opts_free(&o);
	c.strict_modes = 1;
	chmod(path, 0600);
	snprintf(line, sizeof(line), "%s/.ssh", home);
	chmod(line, 0777);
	CHECK_EQ(auth_key_allowed(&c, &u, "10.0.0.1", a.blob, a.len, &o, NULL,
	    0), ERR_NOTFOUND);
	chmod(line, 0700);

	/* AuthorizedKeysFile with tokens, and "none". */
	config_free(&c);
	config_defaults(&c);
	c.no_include = 1;
	snprintf(line, sizeof(line), "AuthorizedKeysFile none %%h/.ssh/"
	    "authorized_keys2\n");
	CHECK_EQ(cfg_text(&c, line), 0);
	CHECK_EQ(auth_key_allowed(&c, &u, "10.0.0.1", a.blob, a.len, &o, NULL,
	    0), 0);
	authkey_opts_free(&o);
	config_free(&c);
	snprintf(line, sizeof(line), "rm -rf '%s'", home);
	CHECK(system(line) == 0);
}

static void
t_permitted(void)
{
	struct user_info u;
	struct config c;
	char why[256];

	fake_user(&u, "/");
	config_defaults(&c);
	c.use_pam = 1;
	CHECK_EQ(auth_user_permitted(&c, &u, why, sizeof(why)), 0);
	u.shell = "/nonexistent/shell";
	CHECK_EQ(auth_user_permitted(&c, &u, why, sizeof(why)), ERR_DENIED);
	CHECK(strcmp(why, "User nsshd-unit not allowed because shell "
	    "/nonexistent/shell does not exist") == 0);
	u.shell = "/etc/passwd";
	CHECK_EQ(auth_user_permitted(&c, &u, why, sizeof(why)), ERR_DENIED);
	CHECK(strstr(why, "is not executable") != NULL);
	u.shell = "";
	CHECK_EQ(auth_user_permitted(&c, &u, why, sizeof(why)), 0);
	config_free(&c);

	config_defaults(&c);
	c.use_pam = 1;
	CHECK_EQ(cfg_text(&c, "DenyUsers nsshd-u*@10.0.0.0/8\n"), 0);
	CHECK_EQ(auth_user_permitted_from(&c, &u, "10.1.1.1", why,
	    sizeof(why)), ERR_DENIED);
	CHECK(strcmp(why, "User nsshd-unit from 10.1.1.1 not allowed because "
	    "listed in DenyUsers") == 0);
	CHECK_EQ(auth_user_permitted_from(&c, &u, "192.168.1.1", why,
	    sizeof(why)), 0);
	/* Without the address a user@host Deny entry is taken as matching. */
	CHECK_EQ(auth_user_permitted(&c, &u, why, sizeof(why)), ERR_DENIED);
	config_free(&c);

	config_defaults(&c);
	c.use_pam = 1;
	CHECK_EQ(cfg_text(&c, "AllowUsers alice bob\n"), 0);
	CHECK_EQ(auth_user_permitted(&c, &u, why, sizeof(why)), ERR_DENIED);
	CHECK(strstr(why, "not listed in AllowUsers") != NULL);
	config_free(&c);

	config_defaults(&c);
	c.use_pam = 1;
	CHECK_EQ(cfg_text(&c, "AllowGroups no-such-group-x\n"), 0);
	CHECK_EQ(auth_user_permitted(&c, &u, why, sizeof(why)), ERR_DENIED);
	CHECK(strstr(why, "none of user's groups are listed in AllowGroups"));
	config_free(&c);

	config_defaults(&c);
	c.use_pam = 1;
	c.permit_root_login = PERMIT_ROOT_NO;
	u.uid = 0;
	CHECK_EQ(auth_user_permitted_from(&c, &u, "1.2.3.4", why,
	    sizeof(why)), ERR_DENIED);
	CHECK(strcmp(why, "ROOT LOGIN REFUSED FROM 1.2.3.4") == 0);
	CHECK_EQ(auth_root_allowed(&c, "publickey", NULL, "1.2.3.4", 22, why,
	    sizeof(why)), 0);
	CHECK(strcmp(why, "ROOT LOGIN REFUSED FROM 1.2.3.4 port 22") == 0);
	c.permit_root_login = PERMIT_ROOT_PROHIBIT_PASSWORD;
	CHECK_EQ(auth_root_allowed(&c, "publickey", NULL, "1.2.3.4", 22, why,
	    sizeof(why)), 1);
	CHECK_EQ(auth_root_allowed(&c, "password", NULL, "1.2.3.4", 22, why,
	    sizeof(why)), 0);
	c.permit_root_login = PERMIT_ROOT_FORCED_COMMANDS;
	CHECK_EQ(auth_root_allowed(&c, "publickey", NULL, "1.2.3.4", 22, why,
	    sizeof(why)), 0);
	CHECK_EQ(auth_root_allowed(&c, "publickey", "/bin/true", "1.2.3.4", 22,
	    why, sizeof(why)), 1);
	c.permit_root_login = PERMIT_ROOT_YES;
	CHECK_EQ(auth_root_allowed(&c, "password", NULL, "1.2.3.4", 22, why,
	    sizeof(why)), 1);
	config_free(&c);
}

const struct ut_case authkeys_cases[] = {
	{ "plain", t_plain },
	{ "options", t_options },
	{ "option_errors", t_option_errors },
	{ "from", t_from },
	{ "expiry", t_expiry },
	{ "types", t_types },
	{ "garbage", t_garbage },
	{ "authfile", t_authfile },
	{ "permitted", t_permitted },
	{ NULL, NULL },
};
