/*
 * kex.c - pure key exchange helpers (see kex.h).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "common/err.h"
#include "proto/kex.h"
#include "proto/ssh2.h"

#define STRICT_C "kex-strict-c-v00@openssh.com"
#define STRICT_S "kex-strict-s-v00@openssh.com"

int
kex_build_kexinit(struct buf *out, const char *kex_list,
    const char *hostkey_list, const char *cipher_list, const char *mac_list,
    int first_kex)
{
	unsigned char cookie[KEX_COOKIE_LEN];
	char kex[1024];
	const char *lists[KEX_NLISTS];
	int i, r;

	/* ext-info-s and strict KEX are offered in the first KEX only. */
	snprintf(kex, sizeof(kex), "%s%s", kex_list,
	    first_kex ? ",ext-info-s," STRICT_S : "");
	lists[KEX_ALGS] = kex;
	lists[KEX_HOSTKEY] = hostkey_list;
	lists[KEX_ENC_C2S] = lists[KEX_ENC_S2C] = cipher_list;
	lists[KEX_MAC_C2S] = lists[KEX_MAC_S2C] = mac_list;
	lists[KEX_COMP_C2S] = lists[KEX_COMP_S2C] = "none";
	lists[KEX_LANG_C2S] = lists[KEX_LANG_S2C] = "";
	randombytes_buf(cookie, sizeof(cookie));
	if ((r = buf_put_u8(out, SSH2_MSG_KEXINIT)) != 0 ||
	    (r = buf_put(out, cookie, sizeof(cookie))) != 0)
		return r;
	for (i = 0; i < KEX_NLISTS; i++)
		if ((r = buf_put_cstring(out, lists[i])) != 0)
			return r;
	if ((r = buf_put_bool(out, 0)) != 0 || (r = buf_put_u32(out, 0)) != 0)
		return r;
	return 0;
}

void
kexinit_free(struct kexinit *k)
{
	int i;

	for (i = 0; i < KEX_NLISTS; i++) {
		free(k->lists[i]);
		k->lists[i] = NULL;
	}
}

int
kex_parse_kexinit(const unsigned char *p, size_t n, struct kexinit *k)
{
	struct buf b;
	uint8_t type;
	uint32_t reserved;
	int i, r;

	memset(k, 0, sizeof(*k));
	buf_view(&b, p, n);
	if ((r = buf_get_u8(&b, &type)) != 0)
		return r;
	if (type != SSH2_MSG_KEXINIT)
		return ERR_FORMAT;
	if ((r = buf_consume(&b, KEX_COOKIE_LEN)) != 0)
		return r;
	for (i = 0; i < KEX_NLISTS; i++)
		if ((r = buf_get_cstring(&b, &k->lists[i], NULL)) != 0)
			goto fail;
	if ((r = buf_get_bool(&b, &k->first_follows)) != 0 ||
	    (r = buf_get_u32(&b, &reserved)) != 0)
		goto fail;
	/* Trailing bytes are allowed by RFC 4253?  No: OpenSSH ignores
	 * them, but nothing sends any; be strict. */
	if (buf_len(&b) != 0) {
		r = ERR_TRAILING;
		goto fail;
	}
	return 0;
 fail:
	kexinit_free(k);
	return r;
}

int
kex_list_has(const char *list, const char *name)
{
	size_t nl = strlen(name);
	const char *p = list, *e;

	while (p != NULL && *p != '\0') {
		e = strchr(p, ',');
		if ((size_t)((e ? e : p + strlen(p)) - p) == nl &&
		    strncmp(p, name, nl) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* First name of client list that the server list has, into out. */
static int
kex_choose(const char *client, const char *server, char *out, size_t outlen)
{
	const char *p = client, *e;
	char name[128];
	size_t l;

	while (p != NULL && *p != '\0') {
		e = strchr(p, ',');
		l = (size_t)((e ? e : p + strlen(p)) - p);
		if (l > 0 && l < sizeof(name)) {
			memcpy(name, p, l);
			name[l] = '\0';
			if (kex_list_has(server, name) && l < outlen) {
				memcpy(out, name, l + 1);
				return 0;
			}
		}
		p = e ? e + 1 : NULL;
	}
	return ERR_NOALG;
}

/* First algorithm of a list, for the guess check. */
static int
kex_first_equal(const char *a, const char *b)
{
	size_t la = strcspn(a, ","), lb = strcspn(b, ",");

	return la == lb && strncmp(a, b, la) == 0;
}

/*
 * The MAC of one direction: none for an AEAD cipher, else the first client
 * MAC we have.  ERR_NOALG with *which = list when there is none.
 */
static int
kex_choose_mac(const struct kexinit *c, const struct kexinit *s, int list,
    const struct cipher_alg *enc, const struct mac_alg **mac, int *which)
{
	char name[64];

	*mac = NULL;
	if (enc->aead)
		return 0;
	*which = list;
	if (kex_choose(c->lists[list], s->lists[list], name,
	    sizeof(name)) != 0 || (*mac = mac_by_name(name)) == NULL)
		return ERR_NOALG;
	return 0;
}

int
kex_negotiate(const struct kexinit *c, const struct kexinit *s, int first_kex,
    struct kex_result *res, int *which)
{
	static const int need[] = { KEX_ALGS, KEX_HOSTKEY, KEX_ENC_C2S,
	    KEX_ENC_S2C, KEX_COMP_C2S, KEX_COMP_S2C };
	char tmp[KEX_NLISTS][64];
	size_t i;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		*which = need[i];
		if (kex_choose(c->lists[need[i]], s->lists[need[i]],
		    tmp[need[i]], sizeof(tmp[0])) != 0)
			return ERR_NOALG;
	}
	/* A pseudo-algorithm must never be negotiated as the real one. */
	*which = KEX_ALGS;
	if (strstr(tmp[KEX_ALGS], "ext-info") != NULL ||
	    strstr(tmp[KEX_ALGS], "kex-strict") != NULL)
		return ERR_NOALG;
	memcpy(res->kex, tmp[KEX_ALGS], sizeof(res->kex));
	memcpy(res->hostkey, tmp[KEX_HOSTKEY], sizeof(res->hostkey));
	res->enc_c2s = cipher_by_name(tmp[KEX_ENC_C2S]);
	res->enc_s2c = cipher_by_name(tmp[KEX_ENC_S2C]);
	*which = KEX_ENC_C2S;
	if (res->enc_c2s == NULL || res->enc_s2c == NULL)
		return ERR_NOALG;
	if (kex_choose_mac(c, s, KEX_MAC_C2S, res->enc_c2s, &res->mac_c2s,
	    which) != 0 ||
	    kex_choose_mac(c, s, KEX_MAC_S2C, res->enc_s2c, &res->mac_s2c,
	    which) != 0)
		return ERR_NOALG;
	if (first_kex) {
		res->strict = kex_list_has(c->lists[KEX_ALGS], STRICT_C);
		res->ext_info_c = kex_list_has(c->lists[KEX_ALGS],
		    "ext-info-c");
	}
	res->guess_ok = !c->first_follows ||
	    (kex_first_equal(c->lists[KEX_ALGS], s->lists[KEX_ALGS]) &&
	    kex_first_equal(c->lists[KEX_HOSTKEY], s->lists[KEX_HOSTKEY]));
	*which = -1;
	return 0;
}

const char *
kex_list_name(int which)
{
	switch (which) {
	case KEX_ALGS: return "key exchange method";
	case KEX_HOSTKEY: return "host key type";
	case KEX_ENC_C2S:
	case KEX_ENC_S2C: return "cipher";
	case KEX_MAC_C2S:
	case KEX_MAC_S2C: return "MAC";
	case KEX_COMP_C2S:
	case KEX_COMP_S2C: return "compression method";
	}
	return "algorithm";
}

int
kex_c25519_hash(const char *v_c, const char *v_s,
    const unsigned char *i_c, size_t i_c_len,
    const unsigned char *i_s, size_t i_s_len,
    const unsigned char *k_s, size_t k_s_len,
    const unsigned char q_c[32], const unsigned char q_s[32],
    const unsigned char shared[32], unsigned char out[32])
{
	struct buf b;
	unsigned int olen = 0;
	int r;

	buf_init(&b, 0);
	if ((r = buf_put_cstring(&b, v_c)) != 0 ||
	    (r = buf_put_cstring(&b, v_s)) != 0 ||
	    (r = buf_put_string(&b, i_c, i_c_len)) != 0 ||
	    (r = buf_put_string(&b, i_s, i_s_len)) != 0 ||
	    (r = buf_put_string(&b, k_s, k_s_len)) != 0 ||
	    (r = buf_put_string(&b, q_c, 32)) != 0 ||
	    (r = buf_put_string(&b, q_s, 32)) != 0 ||
	    (r = buf_put_mpint_unsigned(&b, shared, 32)) != 0)
		goto out;
	if (EVP_Digest(buf_ptr(&b), buf_len(&b), out, &olen, EVP_sha256(),
	    NULL) != 1 || olen != 32)
		r = ERR_CRYPTO;
 out:
	buf_free(&b);
	return r;
}

int
kex_derive(const unsigned char *k_mpint, size_t k_len,
    const unsigned char *h, size_t h_len, char letter,
    const unsigned char *sid, size_t sid_len, unsigned char *out, size_t need)
{
	unsigned char dig[32];
	EVP_MD_CTX *md;
	size_t have = 0, take;
	int r = ERR_CRYPTO;

	if ((md = EVP_MD_CTX_new()) == NULL)
		return ERR_ALLOC;
	while (have < need) {
		if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
		    EVP_DigestUpdate(md, k_mpint, k_len) != 1 ||
		    EVP_DigestUpdate(md, h, h_len) != 1)
			goto out;
		if (have == 0) {
			if (EVP_DigestUpdate(md, &letter, 1) != 1 ||
			    EVP_DigestUpdate(md, sid, sid_len) != 1)
				goto out;
		} else if (EVP_DigestUpdate(md, out, have) != 1)
			goto out;
		if (EVP_DigestFinal_ex(md, dig, NULL) != 1)
			goto out;
		take = need - have < sizeof(dig) ? need - have : sizeof(dig);
		memcpy(out + have, dig, take);
		have += take;
	}
	r = 0;
 out:
	wipe(dig, sizeof(dig));
	EVP_MD_CTX_free(md);
	return r;
}

int
kex_derive_dir(const unsigned char *k_mpint, size_t k_len,
    const unsigned char *h, size_t h_len,
    const unsigned char *sid, size_t sid_len, int s2c,
    const struct cipher_alg *enc, const struct mac_alg *mac,
    struct kex_dirkeys *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	if (enc->iv_len > sizeof(out->iv) || enc->key_len > sizeof(out->key) ||
	    (mac != NULL && mac->key_len > sizeof(out->mac_key)))
		return ERR_INTERNAL;
	if ((r = kex_derive(k_mpint, k_len, h, h_len, s2c ? 'B' : 'A', sid,
	    sid_len, out->iv, enc->iv_len)) != 0 ||
	    (r = kex_derive(k_mpint, k_len, h, h_len, s2c ? 'D' : 'C', sid,
	    sid_len, out->key, enc->key_len)) != 0 ||
	    (mac != NULL && (r = kex_derive(k_mpint, k_len, h, h_len,
	    s2c ? 'F' : 'E', sid, sid_len, out->mac_key,
	    mac->key_len)) != 0)) {
		wipe(out, sizeof(*out));
		return r;
	}
	return 0;
}
