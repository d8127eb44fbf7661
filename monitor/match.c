/*
 * match.c - pattern matching with sshd's match.c semantics (see match.h):
 * '*' and '?' wildcards, comma-separated lists with "!" negation, address
 * lists with CIDR entries, host-and-address and user@host patterns.  Used
 * by Match blocks, AllowUsers/DenyUsers, AcceptEnv and authorized_keys
 * from= options.  All pure: no name resolution, no logging.
 */
#include "autoconf.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "monitor/match.h"

int
match_pattern(const char *s, const char *p)
{
	const char *star = NULL, *retry = NULL;

	for (;;) {
		if (*p == '*') {
			star = ++p;
			retry = s;
			continue;
		}
		if (*s == '\0')
			return *p == '\0';
		if (*p != '\0' && (*p == '?' || *p == *s)) {
			s++;
			p++;
			continue;
		}
		if (star == NULL)
			return 0;
		p = star;
		s = ++retry;
	}
}

int
match_pattern_list(const char *s, const char *list, int dolower)
{
	char sub[1024];
	size_t i = 0, len = strlen(list), j;
	int neg, got = 0;

	while (i < len) {
		neg = list[i] == '!';
		if (neg)
			i++;
		for (j = 0; i < len && j < sizeof(sub) - 1 && list[i] != ',';
		    i++, j++)
			sub[j] = (char)(dolower && list[i] >= 'A' &&
			    list[i] <= 'Z' ? list[i] + 32 : list[i]);
		if (j >= sizeof(sub) - 1)
			return 0;
		if (i < len && list[i] == ',')
			i++;
		sub[j] = '\0';
		if (match_pattern(s, sub)) {
			if (neg)
				return -1;
			got = 1;
		}
	}
	return got;
}

int
host_match(const char *host, const char *patterns)
{
	char buf[256];
	size_t i;

	if (host == NULL)
		return 0;
	for (i = 0; host[i] != '\0' && i < sizeof(buf) - 1; i++)
		buf[i] = (char)((host[i] >= 'A' && host[i] <= 'Z') ?
		    host[i] + 32 : host[i]);
	buf[i] = '\0';
	return match_pattern_list(buf, patterns, 1) == 1;
}

struct xaddr {
	int af;
	unsigned char a[16];
};

static int
addr_pton(const char *s, struct xaddr *x)
{
	memset(x, 0, sizeof(*x));
	if (inet_pton(AF_INET, s, x->a) == 1) {
		x->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, x->a) == 1) {
		x->af = AF_INET6;
		return 0;
	}
	return -1;
}

static int
addr_bits(const struct xaddr *x)
{
	return x->af == AF_INET ? 32 : 128;
}

/* Bits [masklen, end) all zero? */
static int
host_bits_zero(const struct xaddr *x, int masklen)
{
	int b;

	for (b = masklen; b < addr_bits(x); b++)
		if (x->a[b / 8] & (0x80 >> (b % 8)))
			return 0;
	return 1;
}

/* "addr[/len]": 0 ok, -1 not an address, -2 bad mask. */
static int
addr_pton_cidr(const char *p, struct xaddr *x, int *masklen)
{
	char buf[64], *slash, *end;
	long ml = -1;

	if (strlen(p) >= sizeof(buf))
		return -1;
	strcpy(buf, p);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		if (*slash < '0' || *slash > '9')
			return -1;
		ml = strtol(slash, &end, 10);
		if (*end != '\0' || ml > 128)
			return -1;
	}
	if (addr_pton(buf, x) != 0)
		return -1;
	if (ml < 0)
		ml = addr_bits(x);
	if (ml > addr_bits(x) || !host_bits_zero(x, (int)ml))
		return -2;
	*masklen = (int)ml;
	return 0;
}

static int
addr_netmatch(const struct xaddr *h, const struct xaddr *n, int masklen)
{
	int b;

	if (h->af != n->af)
		return 0;
	for (b = 0; b < masklen; b++)
		if ((h->a[b / 8] ^ n->a[b / 8]) & (0x80 >> (b % 8)))
			return 0;
	return 1;
}

int
addr_match_list(const char *addr, const char *list)
{
	struct xaddr try, net;
	char *copy, *cp, *ent;
	int ret = 0, neg, masklen, r, hit;

	if (addr != NULL && addr_pton(addr, &try) != 0)
		return 0;
	if ((copy = strdup(list)) == NULL)
		return -2;
	for (cp = copy; (ent = strsep(&cp, ",")) != NULL;) {
		if ((neg = *ent == '!'))
			ent++;
		if (*ent == '\0') {
			ret = -2;
			break;
		}
		if ((r = addr_pton_cidr(ent, &net, &masklen)) == -2) {
			ret = -2;
			break;
		}
		hit = addr != NULL && (r == 0 ?
		    addr_netmatch(&try, &net, masklen) :
		    match_pattern(addr, ent));
		if (hit && neg) {
			ret = -1;
			break;
		}
		if (hit)
			ret = 1;
	}
	free(copy);
	return ret;
}

int
match_host_and_ip(const char *host, const char *ip, const char *patterns)
{
	int mhost, mip;

	if ((mip = addr_match_list(ip, patterns)) == -2)
		return -1;
	if (host == NULL || ip == NULL || mip == -1)
		return 0;
	if ((mhost = host_match(host, patterns) ? 1 : 0) == 0 &&
	    match_pattern_list(host, patterns, 1) == -1)
		return 0;
	return mhost || mip ? 1 : 0;
}

int
match_user_pattern(const char *user, const char *host, const char *ip,
    const char *pattern)
{
	char *copy, *at;
	int r;

	at = strrchr(pattern, '@');
	if (user == NULL && host == NULL && ip == NULL)
		return at != NULL && match_host_and_ip(NULL, NULL, at + 1) < 0 ?
		    -1 : 0;
	if (user == NULL)
		return 0;
	if (at == NULL)
		return match_pattern(user, pattern);
	if ((copy = strdup(pattern)) == NULL)
		return -1;
	copy[at - pattern] = '\0';
	r = match_pattern(user, copy);
	if (r == 1)
		r = match_host_and_ip(host, ip, at + 1);
	free(copy);
	return r;
}
