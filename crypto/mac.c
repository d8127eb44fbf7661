/*
 * mac.c - the transport MAC table and HMAC over OpenSSL EVP_MAC (see mac.h).
 *
 * One constant row per MAC, in OpenSSH's default server order (umac left
 * out).  A context is one EVP_MAC_CTX keyed once at mac_init(); every
 * packet re-initialises it with the same key (EVP_MAC_init with a NULL
 * key keeps the key, OpenSSL 3.0 and later) and feeds the 4-byte sequence
 * number and the data.  OpenSSL wipes the key when the context is freed.
 * Comparison is CRYPTO_memcmp, constant time.  No state outside contexts.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "common/err.h"
#include "crypto/mac.h"
#include "proto/buf.h"

struct mac_ctx {
	const struct mac_alg *alg;
	EVP_MAC_CTX *evp;
};

/* Preference order; mac_default_list() spells the same order. */
static const struct mac_alg mac_rows[] = {
	{ "hmac-sha2-256-etm@openssh.com", "SHA256", 32, 32, 1 },
	{ "hmac-sha2-512-etm@openssh.com", "SHA512", 64, 64, 1 },
	{ "hmac-sha1-etm@openssh.com", "SHA1", 20, 20, 1 },
	{ "hmac-sha2-256", "SHA256", 32, 32, 0 },
	{ "hmac-sha2-512", "SHA512", 64, 64, 0 },
	{ "hmac-sha1", "SHA1", 20, 20, 0 },
};

#define MAC_NROWS	(sizeof(mac_rows) / sizeof(mac_rows[0]))

const struct mac_alg *
mac_by_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < MAC_NROWS; i++)
		if (strcmp(mac_rows[i].name, name) == 0)
			return &mac_rows[i];
	return NULL;
}

const char *
mac_default_list(void)
{
	return "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
	    "hmac-sha1-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1";
}

/* 1 if alg is one of our rows (the address, not just the name). */
static int
mac_row_ok(const struct mac_alg *alg)
{
	size_t i;

	for (i = 0; i < MAC_NROWS; i++)
		if (alg == &mac_rows[i])
			return 1;
	return 0;
}

void
mac_free(struct mac_ctx *ctx)
{
	if (ctx == NULL)
		return;
	EVP_MAC_CTX_free(ctx->evp);
	OPENSSL_cleanse(ctx, sizeof(*ctx));
	free(ctx);
}

/* A keyed EVP_MAC_CTX for HMAC over alg->digest, or NULL. */
static EVP_MAC_CTX *
mac_evp_new(const struct mac_alg *alg, const unsigned char *key)
{
	OSSL_PARAM params[2];
	EVP_MAC *mac;
	EVP_MAC_CTX *evp;

	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return NULL;
	evp = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);		/* the context keeps its own ref */
	if (evp == NULL)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)alg->digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(evp, key, alg->key_len, params) != 1 ||
	    EVP_MAC_CTX_get_mac_size(evp) != alg->mac_len) {
		EVP_MAC_CTX_free(evp);
		return NULL;
	}
	return evp;
}

int
mac_init(struct mac_ctx **ctxp, const struct mac_alg *alg,
    const unsigned char *key)
{
	struct mac_ctx *ctx;

	*ctxp = NULL;
	if (alg == NULL || !mac_row_ok(alg) || key == NULL)
		return ERR_INTERNAL;
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return ERR_ALLOC;
	ctx->alg = alg;
	if ((ctx->evp = mac_evp_new(alg, key)) == NULL) {
		free(ctx);
		return ERR_CRYPTO;
	}
	*ctxp = ctx;
	return 0;
}

int
mac_compute(struct mac_ctx *ctx, uint32_t seqnr, const unsigned char *data,
    size_t len, unsigned char *out)
{
	unsigned char seq[4];
	size_t outl = 0;

	buf_set_be32(seq, seqnr);
	if (EVP_MAC_init(ctx->evp, NULL, 0, NULL) != 1 ||
	    EVP_MAC_update(ctx->evp, seq, sizeof(seq)) != 1 ||
	    (len > 0 && EVP_MAC_update(ctx->evp, data, len) != 1) ||
	    EVP_MAC_final(ctx->evp, out, &outl, ctx->alg->mac_len) != 1 ||
	    outl != ctx->alg->mac_len)
		return ERR_CRYPTO;
	return 0;
}

int
mac_verify(struct mac_ctx *ctx, uint32_t seqnr, const unsigned char *data,
    size_t len, const unsigned char *tag)
{
	unsigned char want[MAC_MAX_LEN];
	int r;

	if ((r = mac_compute(ctx, seqnr, data, len, want)) == 0 &&
	    CRYPTO_memcmp(want, tag, ctx->alg->mac_len) != 0)
		r = ERR_MAC;
	OPENSSL_cleanse(want, sizeof(want));
	return r;
}
