/*
 * fwd_policy.c - forwarding decisions (see fwd_policy.h).  The logic is
 * that of OpenSSH's session.c do_authenticated(), serverloop.c and the
 * permission sets of channels.c: an administrative list (sshd_config) and
 * a user list (the key's options) must both allow a forwarding; an empty
 * list allows everything.
 */
#include "autoconf.h"

#include <ctype.h>
#include <string.h>

#include "common/err.h"
#include "monitor/fwd_policy.h"
#include "monitor/match.h"

#define PORT_ANY	(-1)	/* "*" in an entry */

/* One parsed PermitOpen / PermitListen / permit* entry. */
struct perm {
	char host[FWD_HOST_MAX + 1];
	long port;		/* 1..65535 or PORT_ANY */
};

/* The AllowTcpForwarding bit for a FWD_DIR_* direction, or 0. */
static int
dir_bit(int dir)
{
	if (dir == FWD_DIR_LOCAL)
		return FORWARD_LOCAL;
	if (dir == FWD_DIR_REMOTE)
		return FORWARD_REMOTE;
	return 0;
}

/* DisableForwarding and the key's no-port-forwarding. */
static int
port_fwd_ok(const struct config *c, const struct authkey_opts *k)
{
	return !c->disable_forwarding && (k == NULL || !k->no_port_forwarding);
}

int
fwd_tcp_allowed(const struct config *c, const struct authkey_opts *k,
    int dir)
{
	return (c->allow_tcp_forwarding & dir_bit(dir)) != 0 &&
	    port_fwd_ok(c, k);
}

int
fwd_streamlocal_allowed(const struct config *c, const struct authkey_opts *k,
    int dir)
{
	return (c->allow_streamlocal_forwarding & dir_bit(dir)) != 0 &&
	    port_fwd_ok(c, k);
}

int
fwd_agent_allowed(const struct config *c, const struct authkey_opts *k)
{
	return c->allow_agent_forwarding && !c->disable_forwarding &&
	    (k == NULL || !k->no_agent_forwarding);
}

int
fwd_x11_allowed(const struct config *c, const struct authkey_opts *k)
{
	return c->x11_forwarding && !c->disable_forwarding &&
	    (k == NULL || !k->no_x11_forwarding);
}

/* sshd's permitopen_port(): "*" or a decimal 1..65535; -2 if invalid. */
static long
perm_port(const char *s)
{
	long v = 0;

	if (strcmp(s, "*") == 0)
		return PORT_ANY;
	if (*s == '\0')
		return -2;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -2;
		if ((v = v * 10 + (*s - '0')) > 65535)
			return -2;
	}
	return v == 0 ? -2 : v;
}

/*
 * Split an entry as sshd's hpdelim() + cleanhostname(): "host:port",
 * "host/port", "[host]:port"; with bare_port, a lone "port" means host
 * "*".  0, or -1 if it does not parse (the entry then matches nothing).
 */
static int
perm_parse(const char *e, int bare_port, struct perm *pm)
{
	const char *host = e, *end, *port;
	size_t hl;

	if (bare_port && strchr(e, ':') == NULL) {
		host = "*";
		end = host + 1;
		port = e;
	} else if (*e == '[') {
		host = e + 1;
		if ((end = strchr(host, ']')) == NULL ||
		    (end[1] != ':' && end[1] != '/'))
			return -1;
		port = end + 2;
	} else {
		if ((end = strpbrk(e, ":/")) == NULL)
			return -1;
		port = end + 1;
	}
	if ((hl = (size_t)(end - host)) > FWD_HOST_MAX)
		return -1;
	memcpy(pm->host, host, hl);
	pm->host[hl] = '\0';
	if ((pm->port = perm_port(port)) == -2)
		return -1;
	return 0;
}

/* sshd's open_match(): exact host or "*", exact port or "*". */
static int
open_match(const char *entry, const char *host, uint32_t port)
{
	struct perm pm;

	if (perm_parse(entry, 0, &pm) != 0)
		return 0;
	if (pm.port != PORT_ANY && pm.port != (long)port)
		return 0;
	return strcmp(pm.host, "*") == 0 || strcmp(pm.host, host) == 0;
}

/* sshd's remote_open_match(): lhost is the lower-cased requested host. */
static int
listen_match(const char *entry, const char *lhost, uint32_t port)
{
	struct perm pm;

	if (perm_parse(entry, 1, &pm) != 0)
		return 0;
	if (pm.port != PORT_ANY && pm.port != (long)port)
		return 0;
	return match_pattern(lhost, pm.host);
}

/* Does any entry of v[0..n) match? */
static int
any_match(char *const *v, int n, int listen, const char *host,
    uint32_t port)
{
	int i;

	for (i = 0; i < n; i++) {
		if (v[i] == NULL)
			continue;
		if (listen ? listen_match(v[i], host, port) :
		    open_match(v[i], host, port))
			return 1;
	}
	return 0;
}

/* PermitOpen / PermitListen: unset or "any" allow all, "none" nothing. */
static int
admin_allows(char *const *v, int n, int listen, const char *host,
    uint32_t port)
{
	if (n == 0 || (n == 1 && strcmp(v[0], "any") == 0))
		return 1;
	if (n == 1 && strcmp(v[0], "none") == 0)
		return 0;
	return any_match(v, n, listen, host, port);
}

/* permitopen= / permitlisten=: none given allows all. */
static int
user_allows(char *const *v, int n, int listen, const char *host,
    uint32_t port)
{
	if (v == NULL || n <= 0)
		return 1;
	return any_match(v, n, listen, host, port);
}

int
fwd_open_permitted(const struct config *c, const struct authkey_opts *k,
    const char *host, uint32_t port)
{
	if (host == NULL || port > 65535 ||
	    !fwd_tcp_allowed(c, k, FWD_DIR_LOCAL))
		return 0;
	if (!admin_allows(c->permit_open, c->npermit_open, 0, host, port))
		return 0;
	return k == NULL ||
	    user_allows(k->permitopen, k->npermitopen, 0, host, port);
}

int
fwd_listen_permitted(const struct config *c, const struct authkey_opts *k,
    const char *host, uint32_t port, unsigned int uid)
{
	char lhost[FWD_HOST_MAX + 1];
	size_t i, n;

	if (host == NULL || port > 65535 ||
	    !fwd_tcp_allowed(c, k, FWD_DIR_REMOTE))
		return 0;
	if (port != 0 && port < 1024 && uid != 0)
		return 0;
	if ((n = strlen(host)) > FWD_HOST_MAX)
		return 0;
	for (i = 0; i <= n; i++)
		lhost[i] = (char)tolower((unsigned char)host[i]);
	if (!admin_allows(c->permit_listen, c->npermit_listen, 1, lhost, port))
		return 0;
	return k == NULL ||
	    user_allows(k->permitlisten, k->npermitlisten, 1, lhost, port);
}

/* sshd's channel_fwd_bind_addr() for the server side. */
static const char *
bind_addr(int gateway_ports, const char *req)
{
	if (req == NULL)
		return gateway_ports ? "" : "localhost";
	if (gateway_ports == 0)
		return strcmp(req, "127.0.0.1") == 0 ||
		    strcmp(req, "::1") == 0 ? req : "localhost";
	if (gateway_ports == 1 || *req == '\0' || strcmp(req, "*") == 0)
		return "";
	return strcmp(req, "localhost") == 0 ? "localhost" : req;
}

int
fwd_bind_address(const struct config *c, const char *requested, char *out,
    size_t outlen)
{
	const char *a = bind_addr(c->gateway_ports, requested);
	size_t n = strlen(a);

	if (n >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return ERR_LENGTH;
	}
	memcpy(out, a, n + 1);
	return 0;
}
