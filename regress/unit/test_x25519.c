/*
 * test_x25519.c - crypto/x25519.c: the RFC 7748 vectors (sections 5.2 and
 * 6.1, read from the specs at run time), every Wycheproof x25519_test.json
 * case (all-zero results must be refused), key generation and low-order
 * peers.  The 1000000-iteration vector runs only with NSSHD_SLOW set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "crypto/x25519.h"
#include "regress/unit/unittest.h"

static const unsigned char nine[32] = { 9 };

static FILE *
open_spec(const char *rel)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", ut_specs_dir(), rel);
	if ((f = fopen(path, "r")) == NULL)
		printf("#   cannot open %s\n", path);
	return f;
}

/* 32 bytes from 64 hex digits; 0 if s is not that. */
static int
hex32(const char *s, unsigned char out[32])
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64 &&
	    ut_unhex(s, out, 32) == 32;
}

/* out = X25519(k, u), which must succeed. */
static void
mult_ok(unsigned char out[32], const unsigned char k[32],
    const unsigned char u[32])
{
	CHECK_EQ(x25519_shared(out, k, u), 0);
}

/* "x25519 k u out": one scalar multiplication. */
static int
rfc_single(const char *k_hex, const char *u_hex, const char *want_hex)
{
	unsigned char k[32], u[32], want[32], out[32];

	if (!CHECK(hex32(k_hex, k) && hex32(u_hex, u) && hex32(want_hex, want)))
		return 0;
	mult_ok(out, k, u);
	return CHECK(memcmp(out, want, 32) == 0);
}

/* "iterate N k": (k, u) := (X25519(k, u), k) N times from k = u = 9. */
static int
rfc_iterate(unsigned long n, const char *want_hex)
{
	unsigned char k[32], u[32], out[32], want[32];
	unsigned long i;

	if (!CHECK(hex32(want_hex, want)))
		return 0;
	memcpy(k, nine, 32);
	memcpy(u, nine, 32);
	for (i = 0; i < n; i++) {
		mult_ok(out, k, u);
		memcpy(u, k, 32);
		memcpy(k, out, 32);
	}
	return CHECK(memcmp(k, want, 32) == 0);
}

/* "dh a A b B K": both public keys and both sides of the secret. */
static int
rfc_dh(char hex[5][80])
{
	unsigned char v[5][32], out[32];
	int i;

	for (i = 0; i < 5; i++)
		if (!CHECK(hex32(hex[i], v[i])))
			return 0;
	mult_ok(out, v[0], nine);
	CHECK(memcmp(out, v[1], 32) == 0);
	mult_ok(out, v[2], nine);
	CHECK(memcmp(out, v[3], 32) == 0);
	mult_ok(out, v[0], v[3]);
	CHECK(memcmp(out, v[4], 32) == 0);
	mult_ok(out, v[2], v[1]);
	return CHECK(memcmp(out, v[4], 32) == 0);
}

static void
t_rfc7748(void)
{
	FILE *f = open_spec("kat/x25519/rfc7748_x25519_vectors.txt");
	char line[1024], h[5][80];
	unsigned long n;
	int singles = 0, iters = 0, dhs = 0;

	if (!CHECK(f != NULL))
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "x25519 %79s %79s %79s", h[0], h[1], h[2]) == 3)
			singles += rfc_single(h[0], h[1], h[2]);
		else if (sscanf(line, "iterate %lu %79s", &n, h[0]) == 2) {
			if (n <= 1000 || getenv("NSSHD_SLOW") != NULL)
				iters += rfc_iterate(n, h[0]);
		} else if (sscanf(line, "dh %79s %79s %79s %79s %79s", h[0],
		    h[1], h[2], h[3], h[4]) == 5)
			dhs += rfc_dh(h);
	}
	fclose(f);
	CHECK_EQ(singles, 2);
	CHECK(iters == 2 || (iters == 3 && getenv("NSSHD_SLOW") != NULL));
	CHECK_EQ(dhs, 1);
}

struct wp_state {
	char pub[80], priv[80], shared[80], result[32];
	int ntests, nzero, bad;
};

/* Zero shared secrets must be refused, all others must match. */
static void
wp_case(struct wp_state *w)
{
	unsigned char pub[32], priv[32], want[32], out[32];
	int r, ok;

	w->ntests++;
	if (!CHECK(hex32(w->pub, pub) && hex32(w->priv, priv) &&
	    hex32(w->shared, want))) {
		w->bad++;
		return;
	}
	memset(out, 0xaa, sizeof(out));
	r = x25519_shared(out, priv, pub);
	if (sodium_is_zero(want, 32)) {
		w->nzero++;
		ok = r == ERR_CRYPTO && sodium_is_zero(out, 32) &&
		    strcmp(w->result, "invalid") != 0;
	} else
		ok = r == 0 && memcmp(out, want, 32) == 0 &&
		    strcmp(w->result, "invalid") != 0;
	if (!ok) {
		printf("#   wycheproof x25519 test %d (%s): r %d\n",
		    w->ntests, w->result, r);
		w->bad++;
	}
}

static void
t_wycheproof(void)
{
	FILE *f = open_spec("kat/wycheproof/x25519_test.json");
	struct wp_state w;
	char line[4096];

	if (!CHECK(f != NULL))
		return;
	memset(&w, 0, sizeof(w));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (ut_json_str(line, "public", w.pub, sizeof(w.pub)) ||
		    ut_json_str(line, "private", w.priv, sizeof(w.priv)) ||
		    ut_json_str(line, "shared", w.shared, sizeof(w.shared)))
			continue;
		if (ut_json_str(line, "result", w.result, sizeof(w.result))) {
			wp_case(&w);
			w.pub[0] = w.priv[0] = w.shared[0] = '\0';
		}
	}
	fclose(f);
	CHECK_EQ(w.ntests, 518);	/* numberOfTests in the file */
	CHECK_EQ(w.nzero, 31);
	CHECK_EQ(w.bad, 0);
}

static void
t_keygen(void)
{
	unsigned char apub[32], apriv[32], bpub[32], bpriv[32], s1[32], s2[32];

	CHECK_EQ(x25519_keygen(apub, apriv), 0);
	CHECK_EQ(x25519_keygen(bpub, bpriv), 0);
	CHECK(memcmp(apriv, bpriv, 32) != 0);
	mult_ok(s1, apriv, nine);
	CHECK(memcmp(s1, apub, 32) == 0);
	mult_ok(s1, apriv, bpub);
	mult_ok(s2, bpriv, apub);
	CHECK(memcmp(s1, s2, 32) == 0 && !sodium_is_zero(s1, 32));
	sodium_memzero(apriv, 32);
	sodium_memzero(bpriv, 32);
}

/* Low-order peers (0, 1, p-1, p, p+1, an order-8 point) give ERR_CRYPTO. */
static void
t_low_order(void)
{
	static const char *peers[] = {
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "0100000000000000000000000000000000000000000000000000000000000000",
	    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	};
	unsigned char pub[32], priv[32], peer[32], out[32];
	size_t i;

	CHECK_EQ(x25519_keygen(pub, priv), 0);
	for (i = 0; i < sizeof(peers) / sizeof(peers[0]); i++) {
		CHECK(hex32(peers[i], peer));
		memset(out, 0x55, sizeof(out));
		CHECK_EQ(x25519_shared(out, priv, peer), ERR_CRYPTO);
		CHECK(sodium_is_zero(out, 32));
	}
	sodium_memzero(priv, 32);
}

const struct ut_case x25519_cases[] = {
	{ "rfc7748", t_rfc7748 },
	{ "wycheproof", t_wycheproof },
	{ "keygen", t_keygen },
	{ "low_order", t_low_order },
	{ NULL, NULL },
};
