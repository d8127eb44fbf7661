/*
 * cipher.h - the transport ciphers, one table row each.
 *
 * nsshd's ciphers are AEAD: chacha20-poly1305@openssh.com (64-bit nonce
 * ChaCha20 with Poly1305, the length encrypted with a second key, see
 * PROTOCOL.chacha20poly1305) over libsodium, and aes128-gcm@openssh.com /
 * aes256-gcm@openssh.com (RFC 5647 as OpenSSH negotiates it, the length is
 * additional authenticated data in clear) over OpenSSL EVP.  A table row
 * says how much key and IV material to derive; a context holds the keys and
 * is freed (wiped) with cipher_free().
 */
#ifndef NSSHD_CIPHER_H
#define NSSHD_CIPHER_H

#include <stddef.h>
#include <stdint.h>

struct cipher_ctx;

struct cipher_alg {
	const char *name;
	size_t key_len;		/* bytes of key to derive (64 for chacha) */
	size_t iv_len;		/* bytes of IV to derive (12 gcm, 0 chacha) */
	size_t block_len;	/* padding block size (8 chacha, 16 gcm) */
	size_t tag_len;		/* 16 */
	int len_encrypted;	/* 1: length field is encrypted (chacha) */
};

/* Row for NAME, or NULL. */
const struct cipher_alg *cipher_by_name(const char *name);
/* Comma-separated names in server preference order. */
const char *cipher_default_list(void);

/*
 * cipher_init - a context for one direction.  key is alg->key_len bytes, iv
 * alg->iv_len bytes (may be NULL when 0).  The context copies them.
 * Returns 0, ERR_ALLOC or ERR_CRYPTO; *ctx is NULL on failure.
 */
int cipher_init(struct cipher_ctx **ctx, const struct cipher_alg *alg,
    int encrypt, const unsigned char *key, const unsigned char *iv);
void cipher_free(struct cipher_ctx *ctx);	/* NULL ok; wipes */

/*
 * cipher_get_length - the packet length from the first 4 bytes of a
 * received packet (decrypting them for chacha), without authenticating.
 */
int cipher_get_length(struct cipher_ctx *ctx, uint32_t seqnr,
    const unsigned char *in4, uint32_t *len);

/*
 * cipher_crypt - seal or open one packet.  src holds 4 length bytes followed
 * by len bytes (padding_length, payload, padding).  Encrypt: dst receives
 * 4 + len bytes of ciphertext and then tag_len bytes of tag.  Decrypt: src
 * carries the tag after the 4 + len bytes; the tag is checked in constant
 * time first and ERR_MAC returned (dst untouched) if it is wrong; else dst
 * receives 4 + len bytes of plaintext (length in clear).  dst may equal src.
 * For GCM every call advances the invocation counter of the IV.
 */
int cipher_crypt(struct cipher_ctx *ctx, uint32_t seqnr, unsigned char *dst,
    const unsigned char *src, uint32_t len);

/*
 * Back ends - internal to crypto/: only cipher.c calls them.  Each back-end
 * file exports one ops row, which cipher.c pairs with its table rows.
 * state is the back end's own allocation, opaque to cipher.c; init sets
 * *state (NULL on failure), free wipes and releases it (NULL ok).  The other
 * members have the contracts of cipher_get_length() and cipher_crypt().
 */
struct cipher_ops {
	int (*init)(void **state, const struct cipher_alg *alg, int encrypt,
	    const unsigned char *key, const unsigned char *iv);
	void (*free)(void *state);
	int (*get_length)(void *state, uint32_t seqnr,
	    const unsigned char *in4, uint32_t *len);
	int (*crypt)(void *state, uint32_t seqnr, unsigned char *dst,
	    const unsigned char *src, uint32_t len);
};

/* cipher_chachapoly.c */
extern const struct cipher_ops cipher_chachapoly_ops;
/* cipher_aesgcm.c */
extern const struct cipher_ops cipher_aesgcm_ops;

#endif
