/*
 * cipher_aesgcm.c - aes128-gcm@openssh.com and aes256-gcm@openssh.com over
 * OpenSSL EVP (RFC 5647 section 7, draft-miller-sshm-aes-gcm).
 *
 * The 12-byte IV is a 4-byte fixed field and an 8-byte big-endian
 * invocation counter that goes up by one after every packet, whatever the
 * outcome.  The 4-byte packet length stays in clear and is the additional
 * authenticated data; padding_length, payload and padding are encrypted;
 * the 16-byte tag follows.  The key lives only inside the EVP context
 * (OpenSSL wipes it when the context is freed); we hold the IV and wipe it.
 *
 * Opening must leave dst untouched when the tag is wrong, but GCM as EVP
 * offers it decrypts before it can check.  In place (dst == src, what the
 * packet layer uses) we decrypt, and on a bad tag run the keystream over the
 * bytes again, which restores the ciphertext.  Into another buffer we first
 * check the tag on a pass whose output goes to a wiped scratch block.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "proto/buf.h"

#define GCM_IVLEN	12
#define GCM_TAGLEN	16

struct aesgcm_state {
	EVP_CIPHER_CTX *evp;
	unsigned char iv[GCM_IVLEN];	/* fixed[4] | counter[8] */
	int encrypt;
};

static const EVP_CIPHER *
gcm_evp_cipher(size_t key_len)
{
	if (key_len == 16)
		return EVP_aes_128_gcm();
	if (key_len == 32)
		return EVP_aes_256_gcm();
	return NULL;
}

static void
gcm_free(void *v)
{
	struct aesgcm_state *st = v;

	if (st == NULL)
		return;
	EVP_CIPHER_CTX_free(st->evp);
	OPENSSL_cleanse(st, sizeof(*st));
	free(st);
}

static int
gcm_init(void **statep, const struct cipher_alg *alg, int encrypt,
    const unsigned char *key, const unsigned char *iv)
{
	const EVP_CIPHER *c = gcm_evp_cipher(alg->key_len);
	struct aesgcm_state *st;

	*statep = NULL;
	if (c == NULL || alg->iv_len != GCM_IVLEN || alg->tag_len != GCM_TAGLEN)
		return ERR_INTERNAL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return ERR_ALLOC;
	if ((st->evp = EVP_CIPHER_CTX_new()) == NULL) {
		free(st);
		return ERR_ALLOC;
	}
	if (EVP_CipherInit_ex(st->evp, c, NULL, key, NULL, encrypt) != 1 ||
	    EVP_CIPHER_CTX_get_iv_length(st->evp) != GCM_IVLEN) {
		gcm_free(st);
		return ERR_CRYPTO;
	}
	memcpy(st->iv, iv, GCM_IVLEN);
	st->encrypt = encrypt;
	*statep = st;
	return 0;
}

static int
gcm_get_length(void *v, uint32_t seqnr, const unsigned char *in4,
    uint32_t *len)
{
	*len = buf_be32(in4);
	return 0;
}

/* Advance the invocation counter (wraps mod 2^64; no secret branches). */
static void
gcm_iv_next(struct aesgcm_state *st)
{
	buf_set_be64(st->iv + 4, buf_be64(st->iv + 4) + 1);
}

/* Start a packet: the current IV, then the 4 length bytes as AAD. */
static int
gcm_start(struct aesgcm_state *st, const unsigned char *aad4)
{
	int n;

	if (EVP_CipherInit_ex(st->evp, NULL, NULL, NULL, st->iv, -1) != 1 ||
	    EVP_CipherUpdate(st->evp, NULL, &n, aad4, 4) != 1)
		return ERR_CRYPTO;
	return 0;
}

/* Run len bytes through the context, in INT-sized chunks. */
static int
gcm_update(struct aesgcm_state *st, unsigned char *out,
    const unsigned char *in, uint32_t len)
{
	return cipher_evp_update(st->evp, out, in, len);
}

/* As gcm_update, but the output is discarded (tag check only). */
static int
gcm_update_discard(struct aesgcm_state *st, const unsigned char *in,
    uint32_t len)
{
	unsigned char scratch[256];
	uint32_t done = 0, n;
	int r = 0;

	while (r == 0 && done < len) {
		n = len - done > sizeof(scratch) ? sizeof(scratch) : len - done;
		r = gcm_update(st, scratch, in + done, n);
		done += n;
	}
	OPENSSL_cleanse(scratch, sizeof(scratch));
	return r;
}

/* Decrypting: compare the tag (constant time inside OpenSSL). */
static int
gcm_check_tag(struct aesgcm_state *st, const unsigned char *tag)
{
	unsigned char t[GCM_TAGLEN], fin[GCM_TAGLEN];
	int n, ok;

	memcpy(t, tag, GCM_TAGLEN);
	if (EVP_CIPHER_CTX_ctrl(st->evp, EVP_CTRL_GCM_SET_TAG, GCM_TAGLEN,
	    t) != 1)
		return ERR_CRYPTO;
	ok = EVP_CipherFinal_ex(st->evp, fin, &n) == 1;
	return ok ? 0 : ERR_MAC;
}

static int
gcm_seal(struct aesgcm_state *st, unsigned char *dst,
    const unsigned char *src, uint32_t len)
{
	unsigned char fin[GCM_TAGLEN];
	int n, r;

	if ((r = gcm_start(st, src)) != 0 ||
	    (r = gcm_update(st, dst + 4, src + 4, len)) != 0)
		return r;
	if (EVP_CipherFinal_ex(st->evp, fin, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(st->evp, EVP_CTRL_GCM_GET_TAG, GCM_TAGLEN,
	    dst + 4 + len) != 1)
		return ERR_CRYPTO;
	if (dst != src)
		memcpy(dst, src, 4);
	return 0;
}

/* Open in place; on a bad tag the keystream is applied again (restore). */
static int
gcm_open_inplace(struct aesgcm_state *st, unsigned char *p, uint32_t len)
{
	int r;

	if ((r = gcm_start(st, p)) != 0 ||
	    (r = gcm_update(st, p + 4, p + 4, len)) != 0)
		return r;
	if ((r = gcm_check_tag(st, p + 4 + len)) != ERR_MAC)
		return r;
	if (gcm_start(st, p) != 0 || gcm_update(st, p + 4, p + 4, len) != 0)
		return ERR_CRYPTO;
	return ERR_MAC;
}

/* Open into a separate buffer: check the tag first, then decrypt. */
static int
gcm_open_copy(struct aesgcm_state *st, unsigned char *dst,
    const unsigned char *src, uint32_t len)
{
	int r;

	if ((r = gcm_start(st, src)) != 0 ||
	    (r = gcm_update_discard(st, src + 4, len)) != 0 ||
	    (r = gcm_check_tag(st, src + 4 + len)) != 0)
		return r;
	if ((r = gcm_start(st, src)) != 0 ||
	    (r = gcm_update(st, dst + 4, src + 4, len)) != 0 ||
	    (r = gcm_check_tag(st, src + 4 + len)) != 0)
		return r == ERR_MAC ? ERR_CRYPTO : r;
	memcpy(dst, src, 4);
	return 0;
}

static int
gcm_crypt(void *v, uint32_t seqnr, unsigned char *dst,
    const unsigned char *src, uint32_t len)
{
	struct aesgcm_state *st = v;
	int r;

	if (st->encrypt)
		r = gcm_seal(st, dst, src, len);
	else if (dst == src)
		r = gcm_open_inplace(st, dst, len);
	else
		r = gcm_open_copy(st, dst, src, len);
	gcm_iv_next(st);
	return r;
}

const struct cipher_ops cipher_aesgcm_ops = {
	gcm_init, gcm_free, gcm_get_length, gcm_crypt, NULL, NULL,
};
