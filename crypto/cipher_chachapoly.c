/*
 * cipher_chachapoly.c - chacha20-poly1305@openssh.com over libsodium.
 *
 * The construction of PROTOCOL.chacha20poly1305: 64 bytes of key material
 * are K_2 (bytes 0..31, the main key) and K_1 (bytes 32..63, the length
 * key).  Both ChaCha20 instances are the original 64-bit-nonce variant with
 * the packet sequence number as the nonce, encoded as an SSH uint64 (8 bytes
 * big-endian).  K_1 at block counter 0 encrypts the 4-byte length.  K_2 at
 * block 0 gives the 32-byte Poly1305 key; K_2 from block 1 on encrypts the
 * rest.  The tag is Poly1305 over the encrypted length and encrypted body
 * and follows them.  Opening verifies the tag (constant time, libsodium)
 * before anything is decrypted.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "proto/buf.h"

#define CP_KEYLEN	32
#define CP_TAGLEN	crypto_onetimeauth_poly1305_BYTES

struct chachapoly_state {
	unsigned char main_key[CP_KEYLEN];	/* K_2 */
	unsigned char len_key[CP_KEYLEN];	/* K_1 */
	int encrypt;
};

static int
cp_init(void **statep, const struct cipher_alg *alg, int encrypt,
    const unsigned char *key, const unsigned char *iv)
{
	struct chachapoly_state *st;

	*statep = NULL;
	if (alg->key_len != 2 * CP_KEYLEN || alg->tag_len != CP_TAGLEN)
		return ERR_INTERNAL;
	if (sodium_init() < 0)
		return ERR_CRYPTO;
	if ((st = malloc(sizeof(*st))) == NULL)
		return ERR_ALLOC;
	memcpy(st->main_key, key, CP_KEYLEN);
	memcpy(st->len_key, key + CP_KEYLEN, CP_KEYLEN);
	st->encrypt = encrypt;
	*statep = st;
	return 0;
}

static void
cp_free(void *v)
{
	if (v == NULL)
		return;
	sodium_memzero(v, sizeof(struct chachapoly_state));
	free(v);
}

/* XOR 4 length bytes with K_1's keystream at block 0: both directions. */
static int
cp_length_xor(const struct chachapoly_state *st, const unsigned char nonce[8],
    unsigned char *dst4, const unsigned char *src4)
{
	if (crypto_stream_chacha20_xor(dst4, src4, 4, nonce, st->len_key) != 0)
		return ERR_CRYPTO;
	return 0;
}

static int
cp_get_length(void *v, uint32_t seqnr, const unsigned char *in4,
    uint32_t *len)
{
	unsigned char nonce[8], plain[4];
	int r;

	*len = 0;
	buf_set_be64(nonce, seqnr);
	if ((r = cp_length_xor(v, nonce, plain, in4)) != 0)
		return r;
	*len = buf_be32(plain);
	return 0;
}

/* The one-time Poly1305 key: the first 32 bytes of K_2's block 0. */
static int
cp_poly_key(const struct chachapoly_state *st, const unsigned char nonce[8],
    unsigned char pk[crypto_onetimeauth_poly1305_KEYBYTES])
{
	if (crypto_stream_chacha20(pk, crypto_onetimeauth_poly1305_KEYBYTES,
	    nonce, st->main_key) != 0)
		return ERR_CRYPTO;
	return 0;
}

/* Length with K_1, then the body with K_2 from block 1. */
static int
cp_xor_packet(const struct chachapoly_state *st, const unsigned char nonce[8],
    unsigned char *dst, const unsigned char *src, uint32_t len)
{
	int r;

	if ((r = cp_length_xor(st, nonce, dst, src)) != 0)
		return r;
	if (crypto_stream_chacha20_xor_ic(dst + 4, src + 4, len, nonce, 1,
	    st->main_key) != 0)
		return ERR_CRYPTO;
	return 0;
}

static int
cp_seal(const struct chachapoly_state *st, const unsigned char nonce[8],
    const unsigned char *pk, unsigned char *dst, const unsigned char *src,
    uint32_t len)
{
	int r;

	if ((r = cp_xor_packet(st, nonce, dst, src, len)) != 0)
		return r;
	if (crypto_onetimeauth_poly1305(dst + 4 + len, dst, 4 + (size_t)len,
	    pk) != 0)
		return ERR_CRYPTO;
	return 0;
}

static int
cp_open(const struct chachapoly_state *st, const unsigned char nonce[8],
    const unsigned char *pk, unsigned char *dst, const unsigned char *src,
    uint32_t len)
{
	if (crypto_onetimeauth_poly1305_verify(src + 4 + len, src,
	    4 + (size_t)len, pk) != 0)
		return ERR_MAC;
	return cp_xor_packet(st, nonce, dst, src, len);
}

static int
cp_crypt(void *v, uint32_t seqnr, unsigned char *dst,
    const unsigned char *src, uint32_t len)
{
	const struct chachapoly_state *st = v;
	unsigned char nonce[8], pk[crypto_onetimeauth_poly1305_KEYBYTES];
	int r;

	buf_set_be64(nonce, seqnr);
	if ((r = cp_poly_key(st, nonce, pk)) == 0) {
		if (st->encrypt)
			r = cp_seal(st, nonce, pk, dst, src, len);
		else
			r = cp_open(st, nonce, pk, dst, src, len);
	}
	sodium_memzero(pk, sizeof(pk));
	return r;
}

const struct cipher_ops cipher_chachapoly_ops = {
	cp_init, cp_free, cp_get_length, cp_crypt, NULL, NULL,
};
