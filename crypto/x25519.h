/*
 * x25519.h - X25519 Diffie-Hellman (RFC 7748) over libsodium, for
 * curve25519-sha256 key exchange (RFC 8731).
 *
 * Keys are 32-byte little-endian strings as on the wire; a private key is
 * any 32 random bytes (the scalar is clamped inside X25519).  Callers own
 * all buffers and must wipe private keys and shared secrets when done.  No
 * state is kept between calls.
 */
#ifndef NSSHD_X25519_H
#define NSSHD_X25519_H

#define X25519_KEY_LEN	32

/*
 * x25519_keygen - a fresh random private key into priv and its public key
 * X25519(priv, 9) into pub.  Returns 0, or ERR_CRYPTO if libsodium cannot
 * start; both outputs are zeroed then.
 */
int x25519_keygen(unsigned char pub[32], unsigned char priv[32]);

/*
 * x25519_shared - out = X25519(priv, peer).  Any 32-byte peer is accepted
 * as RFC 7748 says (the top bit is ignored, non-canonical values are
 * reduced), but a result of all zeros, which a low-order peer point gives,
 * is refused: ERR_CRYPTO, as RFC 8731 section 3 requires.  On failure out is
 * zeroed.  out MUST NOT overlap priv or peer.
 */
int x25519_shared(unsigned char out[32], const unsigned char priv[32],
    const unsigned char peer[32]);

#endif
