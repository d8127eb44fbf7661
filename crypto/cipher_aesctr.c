/*
 * cipher_aesctr.c - aes128-ctr, aes192-ctr and aes256-ctr over OpenSSL EVP
 * (RFC 4344 section 4).
 *
 * The keystream is AES_K(X), AES_K(X + 1), ... with X a 128-bit big-endian
 * counter that starts at the derived IV and runs on across packets (it
 * wraps modulo 2^128).  Encryption and decryption are the same XOR.  The
 * packet layer pairs this stream with a MAC (crypto/mac.h); here we only
 * keep the position.  Every packet is a whole number of 16-byte blocks, so
 * the position is a block counter: we hold it ourselves (ctr) and hand it to
 * EVP as the IV whenever EVP's own counter may differ from it (after a
 * length peek or a rewind), which lets get_length decrypt 4 bytes without
 * moving the position and rewind step back.  The key lives only inside the
 * EVP context (OpenSSL wipes it when the context is freed); we wipe ctr.
 * No branch depends on the key, the counter or the data.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "proto/buf.h"

#define CTR_BLOCK	16

struct aesctr_state {
	EVP_CIPHER_CTX *evp;
	unsigned char ctr[CTR_BLOCK];	/* counter of the next block */
	int in_sync;			/* EVP's counter equals ctr */
};

static const EVP_CIPHER *
ctr_evp_cipher(size_t key_len)
{
	switch (key_len) {
	case 16: return EVP_aes_128_ctr();
	case 24: return EVP_aes_192_ctr();
	case 32: return EVP_aes_256_ctr();
	}
	return NULL;
}

static void
ctr_free(void *v)
{
	struct aesctr_state *st = v;

	if (st == NULL)
		return;
	EVP_CIPHER_CTX_free(st->evp);
	OPENSSL_cleanse(st, sizeof(*st));
	free(st);
}

static int
ctr_init(void **statep, const struct cipher_alg *alg, int encrypt,
    const unsigned char *key, const unsigned char *iv)
{
	const EVP_CIPHER *c = ctr_evp_cipher(alg->key_len);
	struct aesctr_state *st;

	*statep = NULL;
	if (c == NULL || alg->iv_len != CTR_BLOCK ||
	    alg->block_len != CTR_BLOCK)
		return ERR_INTERNAL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return ERR_ALLOC;
	if ((st->evp = EVP_CIPHER_CTX_new()) == NULL) {
		free(st);
		return ERR_ALLOC;
	}
	/* CTR decrypts by encrypting: always the encrypt direction. */
	if (EVP_CipherInit_ex(st->evp, c, NULL, key, iv, 1) != 1 ||
	    EVP_CIPHER_CTX_get_iv_length(st->evp) != CTR_BLOCK) {
		ctr_free(st);
		return ERR_CRYPTO;
	}
	memcpy(st->ctr, iv, CTR_BLOCK);
	st->in_sync = 1;
	*statep = st;
	return 0;
}

/* ctr += n (mod 2^128), big-endian, without data-dependent branches. */
static void
ctr_add(unsigned char ctr[CTR_BLOCK], uint64_t n)
{
	unsigned int carry = 0, sum;
	int i;

	for (i = CTR_BLOCK - 1; i >= 0; i--) {
		sum = (unsigned int)ctr[i] + (unsigned int)(n & 0xff) + carry;
		ctr[i] = (unsigned char)sum;
		carry = sum >> 8;
		n >>= 8;
	}
}

/* ctr -= n (mod 2^128), big-endian, without data-dependent branches. */
static void
ctr_sub(unsigned char ctr[CTR_BLOCK], uint64_t n)
{
	unsigned int borrow = 0, d;
	int i;

	for (i = CTR_BLOCK - 1; i >= 0; i--) {
		d = (unsigned int)ctr[i] - (unsigned int)(n & 0xff) - borrow;
		ctr[i] = (unsigned char)d;
		borrow = (d >> 8) & 1;
		n >>= 8;
	}
}

/* Point EVP's counter at ctr (and drop any partial block it holds). */
static int
ctr_sync(struct aesctr_state *st)
{
	if (st->in_sync)
		return 0;
	if (EVP_CipherInit_ex(st->evp, NULL, NULL, NULL, st->ctr, -1) != 1)
		return ERR_CRYPTO;
	st->in_sync = 1;
	return 0;
}

/* Run len bytes through EVP, in INT-sized chunks. */
static int
ctr_update(struct aesctr_state *st, unsigned char *out,
    const unsigned char *in, uint32_t len)
{
	return cipher_evp_update(st->evp, out, in, len);
}

static int
ctr_stream(void *v, unsigned char *dst, const unsigned char *src,
    uint32_t len)
{
	struct aesctr_state *st = v;
	int r;

	if ((r = ctr_sync(st)) != 0)
		return r;
	if ((r = ctr_update(st, dst, src, len)) != 0) {
		st->in_sync = 0;	/* EVP moved on: resync next time */
		return r;
	}
	ctr_add(st->ctr, len / CTR_BLOCK);
	return 0;
}

/* Decrypt the first 4 bytes at the current position; the position stays. */
static int
ctr_get_length(void *v, uint32_t seqnr, const unsigned char *in4,
    uint32_t *len)
{
	struct aesctr_state *st = v;
	unsigned char plain[4];
	int r;

	*len = 0;
	if ((r = ctr_sync(st)) != 0)
		return r;
	st->in_sync = 0;		/* EVP is now 4 bytes further on */
	if ((r = ctr_update(st, plain, in4, sizeof(plain))) != 0)
		return r;
	*len = buf_be32(plain);
	OPENSSL_cleanse(plain, sizeof(plain));
	return 0;
}

static int
ctr_rewind(void *v, uint32_t len)
{
	struct aesctr_state *st = v;

	ctr_sub(st->ctr, len / CTR_BLOCK);
	st->in_sync = 0;
	return 0;
}

const struct cipher_ops cipher_aesctr_ops = {
	ctr_init, ctr_free, ctr_get_length, NULL, ctr_stream, ctr_rewind,
};
