/*
 * cipher.c - the transport cipher table and the dispatch to its back ends.
 *
 * One constant row per cipher, in server preference order: the public
 * struct cipher_alg (name, sizes and kind, see cipher.h) paired with the
 * ops of the file that implements it.  Calls of the wrong kind (crypt on a
 * stream cipher, stream on an AEAD one) are refused here.  A context
 * remembers its row and holds the back end's opaque state; cipher_free()
 * lets the back end wipe it.  This file keeps no state of its own.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/err.h"
#include "crypto/cipher.h"

struct cipher_ctx {
	const struct cipher_alg *alg;
	const struct cipher_ops *ops;
	void *state;
};

struct cipher_row {
	struct cipher_alg alg;
	const struct cipher_ops *ops;
};

/* Preference order (OpenSSH's default); cipher_default_list() spells the
 * same order.  name, key_len, iv_len, block_len, tag_len, len_encrypted,
 * aead. */
static const struct cipher_row cipher_rows[] = {
	{ { "chacha20-poly1305@openssh.com", 64, 0, 8, 16, 1, 1 },
	    &cipher_chachapoly_ops },
	{ { "aes128-ctr", 16, 16, 16, 0, 0, 0 }, &cipher_aesctr_ops },
	{ { "aes192-ctr", 24, 16, 16, 0, 0, 0 }, &cipher_aesctr_ops },
	{ { "aes256-ctr", 32, 16, 16, 0, 0, 0 }, &cipher_aesctr_ops },
	{ { "aes128-gcm@openssh.com", 16, 12, 16, 16, 0, 1 },
	    &cipher_aesgcm_ops },
	{ { "aes256-gcm@openssh.com", 32, 12, 16, 16, 0, 1 },
	    &cipher_aesgcm_ops },
};

#define CIPHER_NROWS	(sizeof(cipher_rows) / sizeof(cipher_rows[0]))

const struct cipher_alg *
cipher_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < CIPHER_NROWS; i++)
		if (strcmp(cipher_rows[i].alg.name, name) == 0)
			return &cipher_rows[i].alg;
	return NULL;
}

const char *
cipher_default_list(void)
{
	return "chacha20-poly1305@openssh.com,"
	    "aes128-ctr,aes192-ctr,aes256-ctr,"
	    "aes128-gcm@openssh.com,aes256-gcm@openssh.com";
}

/* The ops for a row of our table; NULL for a row we did not hand out. */
static const struct cipher_ops *
cipher_ops_of(const struct cipher_alg *alg)
{
	size_t i;

	for (i = 0; i < CIPHER_NROWS; i++)
		if (alg == &cipher_rows[i].alg)
			return cipher_rows[i].ops;
	return NULL;
}

/*
 * cipher_init - see cipher.h.  A row not from cipher_by_name(), a NULL key,
 * or a NULL iv where one is needed is a caller bug: ERR_INTERNAL.
 */
int
cipher_init(struct cipher_ctx **ctxp, const struct cipher_alg *alg,
    int encrypt, const unsigned char *key, const unsigned char *iv)
{
	const struct cipher_ops *ops;
	struct cipher_ctx *ctx;
	int r;

	*ctxp = NULL;
	if (alg == NULL || (ops = cipher_ops_of(alg)) == NULL || key == NULL ||
	    (alg->iv_len > 0 && iv == NULL) ||
	    alg->key_len > CIPHER_MAX_KEYLEN || alg->iv_len > CIPHER_MAX_IVLEN)
		return ERR_INTERNAL;
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return ERR_ALLOC;
	ctx->alg = alg;
	ctx->ops = ops;
	if ((r = ops->init(&ctx->state, alg, encrypt != 0, key, iv)) != 0) {
		free(ctx);
		return r;
	}
	*ctxp = ctx;
	return 0;
}

void
cipher_free(struct cipher_ctx *ctx)
{
	if (ctx == NULL)
		return;
	ctx->ops->free(ctx->state);
	free(ctx);
}

int
cipher_get_length(struct cipher_ctx *ctx, uint32_t seqnr,
    const unsigned char *in4, uint32_t *len)
{
	return ctx->ops->get_length(ctx->state, seqnr, in4, len);
}

int
cipher_crypt(struct cipher_ctx *ctx, uint32_t seqnr, unsigned char *dst,
    const unsigned char *src, uint32_t len)
{
	if (!ctx->alg->aead)
		return ERR_INTERNAL;
	return ctx->ops->crypt(ctx->state, seqnr, dst, src, len);
}

int
cipher_stream(struct cipher_ctx *ctx, unsigned char *dst,
    const unsigned char *src, uint32_t len)
{
	if (ctx->alg->aead || len % ctx->alg->block_len != 0)
		return ERR_INTERNAL;
	return ctx->ops->stream(ctx->state, dst, src, len);
}

int
cipher_rewind(struct cipher_ctx *ctx, uint32_t len)
{
	if (ctx->alg->aead || len % ctx->alg->block_len != 0)
		return ERR_INTERNAL;
	return ctx->ops->rewind(ctx->state, len);
}

#define EVP_CHUNK	(1u << 30)	/* EVP lengths are int */

int
cipher_evp_update(struct evp_cipher_ctx_st *evp, unsigned char *out,
    const unsigned char *in, uint32_t len)
{
	uint32_t done = 0, n;
	int outl;

	while (done < len) {
		n = len - done > EVP_CHUNK ? EVP_CHUNK : len - done;
		if (EVP_CipherUpdate(evp, out + done, &outl, in + done,
		    (int)n) != 1 || (uint32_t)outl != n)
			return ERR_CRYPTO;
		done += n;
	}
	return 0;
}
