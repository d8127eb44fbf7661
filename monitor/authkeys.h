/*
 * authkeys.h - the authorized_keys line format (sshd(8) AUTHORIZED_KEYS
 * FILE FORMAT), as a pure parser: bytes in, options out, no files, no
 * logging.
 *
 * A line is [options] keytype base64-blob [comment].  Blank lines and
 * '#' comments are skipped; so are lines that do not parse.  Lines of key
 * types nsshd cannot use (ssh-rsa, ecdsa-*, sk-*, certificates) are parsed
 * but never match; cert-authority lines never match a plain key (as in
 * sshd).  Options are sshd's: restrict, [no-]pty, [no-]port-forwarding,
 * [no-]agent-forwarding, [no-]X11-forwarding, [no-]user-rc,
 * [no-]touch-required, [no-]verify-required, cert-authority,
 * command="...", environment="NAME=value" (repeatable, first of a name
 * wins), from="patterns", permitopen="host:port" and permitlisten=
 * "[host:]port" (repeatable), principals="...", expiry-time="YYYYMMDD[HHMM
 * [SS]][Z]", tunnel="N"; names are case-insensitive, values are in double
 * quotes with \" for a quote.  A line with a bad option is skipped.
 */
#ifndef NSSHD_AUTHKEYS_H
#define NSSHD_AUTHKEYS_H

#include <stddef.h>

#define AUTHKEY_MAX_ENV		1024
#define AUTHKEY_MAX_PERMIT	4096

struct authkey_opts {
	int restricted;			/* "restrict" was given */
	int no_pty;
	int no_port_forwarding;
	int no_agent_forwarding;
	int no_x11_forwarding;
	int no_user_rc;
	int cert_authority;
	int no_touch_required;
	int verify_required;
	char *command;			/* command="..." or NULL */
	char **env;			/* "NAME=value", NULL-terminated or NULL */
	int nenv;
	char *from;			/* from= patterns or NULL */
	char **permitopen;		/* NULL-terminated or NULL */
	int npermitopen;
	char **permitlisten;		/* NULL-terminated or NULL */
	int npermitlisten;
	char *principals;
	long long expiry;		/* expiry-time (Unix time), 0 = none */
	int tunnel;			/* tunnel="N", -1 = none */
	int line;			/* 1-based line of the matching key */
};

/* Zero the options (tunnel = -1); no memory held. */
void authkey_opts_init(struct authkey_opts *o);
/* Free what o holds and re-initialise it.  NULL-safe. */
void authkey_opts_free(struct authkey_opts *o);

/*
 * Parse an options string (the first field of a line, n bytes, up to but
 * not including the whitespace before the key type) into o, which must be
 * initialised.  0, or ERR_FORMAT with *errstr set to sshd's reason ("unknown
 * key option", "missing end quote", ...) and o freed; ERR_ALLOC.
 */
int authkeys_parse_options(const char *s, size_t n, struct authkey_opts *o,
    const char **errstr);

/*
 * Find the key blob (SSH wire public key) in the authorized_keys text.
 * Returns 0 and the options of the first line that holds the same key
 * and whose from= (if any) matches client_addr and whose expiry-time has
 * not passed at `now` (Unix time; 0 = do not check), or ERR_NOTFOUND.
 * out must not hold memory; it is initialised here and filled only on
 * success.  If a line held the key but was refused, the reason ("with
 * correct key but not from a permitted host (...)", "entry expired at
 * ...", "bad key options: ...") is put in why (may be NULL).  Pure.
 */
int authkeys_find_ex(const char *text, size_t len, const unsigned char *blob,
    size_t bloblen, const char *client_addr, long long now,
    struct authkey_opts *out, char *why, size_t whylen);

/* authkeys_find_ex() at the current time, without a reason. */
int authkeys_find(const char *text, size_t len, const unsigned char *blob,
    size_t bloblen, const char *client_addr, struct authkey_opts *out);

#endif
