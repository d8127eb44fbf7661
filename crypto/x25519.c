/*
 * x25519.c - X25519 key pairs and shared secrets over libsodium's
 * crypto_scalarmult (see x25519.h for the contract).  libsodium's own check
 * fails on an all-zero result in constant time; this file checks again (so a
 * libsodium built otherwise cannot slip one through), maps that to
 * ERR_CRYPTO and makes sure a failed call leaves no partial output.
 */
#include <sodium.h>

#include "common/err.h"
#include "crypto/x25519.h"
#include "proto/buf.h"

_Static_assert(crypto_scalarmult_BYTES == X25519_KEY_LEN, "x25519 size");
_Static_assert(crypto_scalarmult_SCALARBYTES == X25519_KEY_LEN, "scalar");

int
x25519_keygen(unsigned char pub[32], unsigned char priv[32])
{
	if (sodium_init() < 0) {
		wipe(pub, X25519_KEY_LEN);
		wipe(priv, X25519_KEY_LEN);
		return ERR_CRYPTO;
	}
	randombytes_buf(priv, X25519_KEY_LEN);
	if (crypto_scalarmult_base(pub, priv) != 0) {
		wipe(pub, X25519_KEY_LEN);
		wipe(priv, X25519_KEY_LEN);
		return ERR_CRYPTO;
	}
	return 0;
}

int
x25519_shared(unsigned char out[32], const unsigned char priv[32],
    const unsigned char peer[32])
{
	if (sodium_init() < 0 || crypto_scalarmult(out, priv, peer) != 0 ||
	    sodium_is_zero(out, X25519_KEY_LEN)) {
		wipe(out, X25519_KEY_LEN);
		return ERR_CRYPTO;
	}
	return 0;
}
