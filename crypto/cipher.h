/*
 * cipher.h - the transport ciphers, one table row each.
 *
 * Two kinds.  AEAD ciphers seal and open whole packets with their own tag
 * (cipher_crypt): chacha20-poly1305@openssh.com (64-bit nonce ChaCha20
 * with Poly1305, the length encrypted with a second key, see
 * PROTOCOL.chacha20poly1305) over libsodium, and aes128-gcm@openssh.com /
 * aes256-gcm@openssh.com (RFC 5647 as OpenSSH negotiates it, the length is
 * additional authenticated data in clear) over OpenSSL EVP.  Stream
 * ciphers only encrypt (cipher_stream) and are paired with a MAC
 * (crypto/mac.h) by the packet layer: aes128-ctr, aes192-ctr and
 * aes256-ctr (RFC 4344 4: a 128-bit big-endian counter, started at the
 * derived IV, running on across packets) over OpenSSL EVP.  A table row
 * says how much key and IV material to derive; a context holds the keys and
 * is freed (wiped) with cipher_free().
 */
#ifndef NSSHD_CIPHER_H
#define NSSHD_CIPHER_H

#include <stddef.h>
#include <stdint.h>

struct cipher_ctx;
struct evp_cipher_ctx_st;		/* OpenSSL's EVP_CIPHER_CTX */

/*
 * cipher_evp_update - run len bytes through an initialised EVP context
 * (in place allowed), in int-sized pieces as EVP wants them.  0 or
 * ERR_CRYPTO.  Shared by the AES modes.
 */
int cipher_evp_update(struct evp_cipher_ctx_st *evp, unsigned char *out,
    const unsigned char *in, uint32_t len);

struct cipher_alg {
	const char *name;
	size_t key_len;		/* bytes of key to derive (64 for chacha) */
	size_t iv_len;		/* bytes of IV to derive (12 gcm, 16 ctr,
				   0 chacha) */
	size_t block_len;	/* padding block size (8 chacha, 16 aes) */
	size_t tag_len;		/* 16 AEAD; 0 ctr (the MAC's instead) */
	int len_encrypted;	/* AEAD: 1 if the length is encrypted
				   (chacha); 0 for ctr (the layout decides) */
	int aead;		/* 1: cipher_crypt; 0: cipher_stream + MAC */
};

#define CIPHER_MAX_KEYLEN	64
#define CIPHER_MAX_IVLEN	16

/* Row for NAME, or NULL. */
const struct cipher_alg *cipher_by_name(const char *name);
/* Comma-separated names in server preference order. */
const char *cipher_default_list(void);

/*
 * cipher_init - a context for one direction.  key is alg->key_len bytes
 * (at most CIPHER_MAX_KEYLEN), iv alg->iv_len bytes (at most
 * CIPHER_MAX_IVLEN; may be NULL when 0).  The context copies them.
 * encrypt is ignored by ctr (the same keystream both ways).  Returns 0,
 * ERR_INTERNAL (a row not from cipher_by_name, NULL key or IV), ERR_ALLOC
 * or ERR_CRYPTO; *ctx is NULL on failure.
 */
int cipher_init(struct cipher_ctx **ctx, const struct cipher_alg *alg,
    int encrypt, const unsigned char *key, const unsigned char *iv);
void cipher_free(struct cipher_ctx *ctx);	/* NULL ok; wipes */

/*
 * cipher_get_length - the packet length from the first 4 bytes of a
 * received packet (decrypting them for chacha and ctr), without
 * authenticating.  For ctr the 4 bytes are decrypted with the keystream at
 * the current position, which does not move (a peek): the classic layout
 * calls it before the whole packet is there.  seqnr is ignored by ctr.
 */
int cipher_get_length(struct cipher_ctx *ctx, uint32_t seqnr,
    const unsigned char *in4, uint32_t *len);

/*
 * cipher_crypt - AEAD ciphers only (ERR_INTERNAL otherwise): seal or open
 * one packet.  src holds 4 length bytes followed by len bytes
 * (padding_length, payload, padding).  Encrypt: dst receives 4 + len bytes
 * of ciphertext and then tag_len bytes of tag.  Decrypt: src carries the
 * tag after the 4 + len bytes; the tag is checked in constant time first
 * and ERR_MAC returned (dst untouched) if it is wrong; else dst receives
 * 4 + len bytes of plaintext (length in clear).  dst may equal src.  For
 * GCM every call advances the invocation counter of the IV.
 */
int cipher_crypt(struct cipher_ctx *ctx, uint32_t seqnr, unsigned char *dst,
    const unsigned char *src, uint32_t len);

/*
 * cipher_stream - stream ciphers only (aead == 0): XOR len bytes of src
 * with the keystream at the current position into dst and move the
 * position on by len.  len MUST be a multiple of block_len (packets are);
 * dst may equal src.  Returns 0, ERR_INTERNAL (an AEAD context, len off
 * the block) or ERR_CRYPTO.
 */
int cipher_stream(struct cipher_ctx *ctx, unsigned char *dst,
    const unsigned char *src, uint32_t len);
/*
 * cipher_rewind - stream ciphers only: move the position back by len bytes
 * (a multiple of block_len), so that the next cipher_stream() uses the
 * same keystream again.  The packet layer uses it to restore a packet that
 * it decrypted in place and whose MAC then failed.  Returns 0 or
 * ERR_INTERNAL.
 */
int cipher_rewind(struct cipher_ctx *ctx, uint32_t len);

/*
 * Back ends - internal to crypto/: only cipher.c calls them.  Each back-end
 * file exports one ops row, which cipher.c pairs with its table rows.
 * state is the back end's own allocation, opaque to cipher.c; init sets
 * *state (NULL on failure), free wipes and releases it (NULL ok).  The other
 * members have the contracts of cipher_get_length(), cipher_crypt(),
 * cipher_stream() and cipher_rewind(); an AEAD back end has no stream and
 * rewind (NULL), a stream back end no crypt.  cipher.c checks the kind and
 * the block alignment before calling.
 */
struct cipher_ops {
	int (*init)(void **state, const struct cipher_alg *alg, int encrypt,
	    const unsigned char *key, const unsigned char *iv);
	void (*free)(void *state);
	int (*get_length)(void *state, uint32_t seqnr,
	    const unsigned char *in4, uint32_t *len);
	int (*crypt)(void *state, uint32_t seqnr, unsigned char *dst,
	    const unsigned char *src, uint32_t len);
	int (*stream)(void *state, unsigned char *dst,
	    const unsigned char *src, uint32_t len);
	int (*rewind)(void *state, uint32_t len);
};

/* cipher_chachapoly.c */
extern const struct cipher_ops cipher_chachapoly_ops;
/* cipher_aesgcm.c */
extern const struct cipher_ops cipher_aesgcm_ops;
/* cipher_aesctr.c */
extern const struct cipher_ops cipher_aesctr_ops;

#endif
