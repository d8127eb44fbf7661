/*
 * match.h - pattern matching with sshd's match.c semantics, used by the
 * sshd_config parser (Match, AllowUsers...), AcceptEnv and authorized_keys
 * from= options.  All functions are pure: no name resolution, no logging,
 * no memory kept.
 */
#ifndef NSSHD_MATCH_H
#define NSSHD_MATCH_H

/*
 * match_pattern: '*' and '?' wildcards, case-sensitive; 1 on match, else 0.
 */
int match_pattern(const char *s, const char *pattern);
/*
 * Comma-separated pattern list, "!" negates: 1 if s matches a positive
 * pattern and no negated one, -1 if it matches a negated one, 0 otherwise.
 * dolower: lower-case the patterns (s must already be lower-case).
 */
int match_pattern_list(const char *s, const char *list, int dolower);
/*
 * Address list: entries are CIDR (10.0.0.0/8, 2001:db8::/32) or wildcard
 * patterns, "!" negates.  1 match, 0 none, -1 negated match, -2 malformed
 * list (e.g. host bits set beyond the mask).  addr NULL: only check list.
 */
int addr_match_list(const char *addr, const char *list);
/*
 * from= / user@host semantics: host (a name or the address itself) against
 * name patterns, ip against address patterns.  1 match, 0 none, -1 error.
 */
int match_host_and_ip(const char *host, const char *ip, const char *patterns);
/*
 * AllowUsers/DenyUsers entry: "userpattern" or "userpattern@hostpatterns".
 * 1 match, 0 none, -1 invalid pattern.
 */
int match_user_pattern(const char *user, const char *host, const char *ip,
    const char *pattern);

/*
 * Host name (or the address itself) against a comma-separated pattern
 * list, case-insensitively (host lower-cased, at most 255 bytes; patterns
 * lower-cased): 1 if it matches a positive pattern and no negated one,
 * else 0.  host NULL: 0.
 */
int host_match(const char *host, const char *patterns);

#endif
