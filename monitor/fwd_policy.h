/*
 * fwd_policy.h - may this login forward?  sshd's decisions on TCP,
 * StreamLocal (Unix socket), agent and X11 forwarding, from the effective
 * sshd_config (struct config, Match blocks already applied) and the
 * authorized_keys options of the key that authenticated the user.
 *
 * Every function is pure: no I/O, no name resolution, no logging, no
 * memory kept; c and k are only read.  k may be NULL (no key options, e.g.
 * password authentication).  A key's "restrict" is already folded into
 * its no_* flags by authkeys.c, so "restrict,port-forwarding" forwards.
 * The answer is 1 (allowed) or 0 (refused); anything malformed (an entry
 * that does not parse, a port above 65535, a NULL host) refuses.
 */
#ifndef NSSHD_FWD_POLICY_H
#define NSSHD_FWD_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "monitor/authkeys.h"
#include "monitor/config.h"

#define FWD_DIR_LOCAL	1	/* client asks us to connect: direct-* */
#define FWD_DIR_REMOTE	2	/* client asks us to listen: *-forward */

/* Longest host name or pattern compared (sshd's NI_MAXHOST - 1). */
#define FWD_HOST_MAX	1024

/*
 * AllowTcpForwarding / AllowStreamLocalForwarding for direction dir
 * (FWD_DIR_*; anything else is 0), unless DisableForwarding is set or
 * the key has no-port-forwarding (which covers StreamLocal too, as in
 * sshd).
 */
int fwd_tcp_allowed(const struct config *c, const struct authkey_opts *k,
    int dir);
int fwd_streamlocal_allowed(const struct config *c,
    const struct authkey_opts *k, int dir);
/* AllowAgentForwarding / X11Forwarding, DisableForwarding, key flags. */
int fwd_agent_allowed(const struct config *c, const struct authkey_opts *k);
int fwd_x11_allowed(const struct config *c, const struct authkey_opts *k);

/*
 * direct-tcpip to host:port (host exactly as the client sent it).
 * Requires fwd_tcp_allowed(FWD_DIR_LOCAL), then both lists must allow it:
 * PermitOpen (no entries or "any": all; "none": nothing; else entries
 * "host:port", "[v6addr]:port", "host/port", with "*" as host or port for
 * any) and the key's permitopen= (none given: all; else the same entry
 * syntax).  Hosts compare exactly (case-sensitive, no patterns, no name
 * lookup), as sshd's open_match().
 */
int fwd_open_permitted(const struct config *c, const struct authkey_opts *k,
    const char *host, uint32_t port);

/*
 * tcpip-forward of host:port (host as the client sent it: "", "*",
 * "localhost", an address...; port 0 = let the system pick).  Requires
 * fwd_tcp_allowed(FWD_DIR_REMOTE); refuses ports 1..1023 unless uid is 0;
 * then PermitListen and the key's permitlisten= must both allow it.
 * Entries are "port" (any host), "host:port", "[v6addr]:port"; the host
 * part is a wildcard pattern ('*', '?') matched against the lower-cased
 * requested host; port "*" matches any port, including 0; a numeric port
 * never matches a request for port 0.  GatewayPorts is not applied here
 * (see fwd_bind_address); the caller MUST also refuse port 0 when the
 * request has want_reply false (sshd does: the client could not learn
 * the port).
 */
int fwd_listen_permitted(const struct config *c, const struct authkey_opts *k,
    const char *host, uint32_t port, unsigned int uid);

/*
 * The address to bind for a permitted tcpip-forward under GatewayPorts
 * (sshd's channel_fwd_bind_addr()).  requested is the client's address
 * (NULL: none given).  Writes to out one of
 *   ""           wildcard: every address of both families
 *   "localhost"  loopback: 127.0.0.1 and ::1 (the caller MUST NOT resolve
 *                the name; it means "no AI_PASSIVE, NULL node")
 *   requested    the client's address, verbatim
 * GatewayPorts no: "127.0.0.1" and "::1" are kept, all else is loopback.
 * yes: always wildcard.  clientspecified: "" and "*" are wildcard,
 * "localhost" is loopback, anything else is kept.
 * Returns 0, or ERR_LENGTH if the answer does not fit in outlen bytes
 * with its NUL (out is then "" when outlen > 0).
 */
int fwd_bind_address(const struct config *c, const char *requested,
    char *out, size_t outlen);

#endif
