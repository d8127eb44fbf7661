/*
 * mac.h - the transport MACs, one table row each.
 *
 * HMAC (RFC 2104) over SHA-2 (RFC 6668) and SHA-1 (RFC 4253 6.4), through
 * OpenSSL's EVP_MAC, in two layouts: the classic one of RFC 4253 6.4 (MAC
 * over seq || plaintext packet, length encrypted) and OpenSSH's
 * encrypt-then-MAC "-etm@openssh.com" variants (PROTOCOL 1.7: length in
 * clear, MAC over seq || length || ciphertext).  This module only computes
 * and checks HMAC(key, uint32 seq || data); which bytes are data is the
 * packet layer's business (proto/packet.c).  The MAC is used only with a
 * non-AEAD cipher: an AEAD cipher carries its own tag and the negotiated
 * MAC is ignored.  A context holds the key and is wiped by mac_free().
 */
#ifndef NSSHD_MAC_H
#define NSSHD_MAC_H

#include <stddef.h>
#include <stdint.h>

#define MAC_MAX_LEN	64	/* largest mac_len (hmac-sha2-512) */
#define MAC_MAX_KEYLEN	64	/* largest key_len */

struct mac_ctx;

struct mac_alg {
	const char *name;
	const char *digest;	/* OpenSSL digest name ("SHA256") */
	size_t key_len;		/* bytes of key to derive (= mac_len) */
	size_t mac_len;		/* bytes on the wire after each packet */
	int etm;		/* 1: encrypt-then-MAC layout */
};

/* Row for NAME, or NULL. */
const struct mac_alg *mac_by_name(const char *name);
/* Comma-separated names in server preference order (OpenSSH's default
 * order, without the umac rows nsshd does not have). */
const char *mac_default_list(void);

/*
 * mac_init - a keyed context.  alg MUST be a row from mac_by_name(), key
 * alg->key_len bytes; the context copies it (into OpenSSL).  Returns 0,
 * ERR_INTERNAL (a row not from the table, NULL key), ERR_ALLOC or
 * ERR_CRYPTO; *ctx is NULL on failure.
 */
int mac_init(struct mac_ctx **ctx, const struct mac_alg *alg,
    const unsigned char *key);
void mac_free(struct mac_ctx *ctx);		/* NULL ok; wipes */

/*
 * mac_compute - HMAC(key, uint32 seqnr || data[0..len)) into out,
 * alg->mac_len bytes.  data may be NULL when len is 0; out MUST NOT overlap
 * data.  Returns 0 or ERR_CRYPTO (out unspecified then).
 */
int mac_compute(struct mac_ctx *ctx, uint32_t seqnr,
    const unsigned char *data, size_t len, unsigned char *out);

/*
 * mac_verify - recompute the MAC and compare it with the mac_len bytes at
 * tag in constant time.  Returns 0 if they match, ERR_MAC if not,
 * ERR_CRYPTO if the computation failed.  Nothing is written.
 */
int mac_verify(struct mac_ctx *ctx, uint32_t seqnr,
    const unsigned char *data, size_t len, const unsigned char *tag);

#endif
