/*
 * test_cipher.c - the transport ciphers: known answers for the primitives
 * as we use them (RFC 8439 ChaCha20 and Poly1305, the McGrew-Viega GCM
 * test cases, NIST SP 800-38A F.5 AES-CTR), and the SSH constructions
 * checked against references that the test composes itself (for CTR: AES
 * in ECB mode over counter blocks this file counts itself).
 *
 * RFC 8439 states ChaCha20 with a 32-bit block counter and a 96-bit nonce.
 * chacha20-poly1305@openssh.com uses the original variant (libsodium's
 * crypto_stream_chacha20): a 64-bit counter in state words 12-13 and a
 * 64-bit nonce in words 14-15.  The two states coincide when the 64-bit
 * counter is the IETF counter with the first 4 nonce bytes (read little-
 * endian) as its high word, and the 64-bit nonce is the last 8 nonce bytes.
 * That holds as long as the 32-bit counter does not overflow inside the
 * message, which no vector here comes near.  When the first 4 nonce bytes
 * are zero (2.4.2, A.1, A.4) the counter is simply the IETF counter.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "proto/buf.h"
#include "regress/unit/unittest.h"

#define MAXV	512

/* RFC 8439 ChaCha20 (96-bit nonce) through the 64-bit-nonce variant. */
static void
ietf_chacha20_xor(unsigned char *out, const unsigned char *in, size_t n,
    const unsigned char key[32], const unsigned char nonce[12],
    uint32_t counter)
{
	uint64_t hi = (uint64_t)nonce[0] | (uint64_t)nonce[1] << 8 |
	    (uint64_t)nonce[2] << 16 | (uint64_t)nonce[3] << 24;

	crypto_stream_chacha20_xor_ic(out, in, n, nonce + 4,
	    (hi << 32) | counter, key);
}

struct chacha_kat {
	const char *key, *nonce;
	uint32_t counter;
	const char *plain;	/* NULL: keystream (zero plaintext) */
	const char *out;
};

static const char SUNSCREEN[] =
    "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
    "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
    "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
    "637265656e20776f756c642062652069742e";

static const struct chacha_kat chacha_kats[] = {
	/* 2.3.2: block function; the first nonce word is non-zero */
	{ "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  "000000090000004a00000000", 1, NULL,
	  "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
	  "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e" },
	/* 2.4.2: encryption, three blocks from counter 1 */
	{ "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  "000000000000004a00000000", 1, SUNSCREEN,
	  "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
	  "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
	  "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
	  "5af90bbf74a35be6b40b8eedf2785e42874d" },
	/* A.1 #1, #2, #5 */
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", 0, NULL,
	  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	  "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586" },
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", 1, NULL,
	  "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
	  "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f" },
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000002", 0, NULL,
	  "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
	  "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d" },
	/* A.4 #1, #2: the Poly1305 key is block 0's first 32 bytes */
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", 0, NULL,
	  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7" },
	{ "0000000000000000000000000000000000000000000000000000000000000001",
	  "000000000000000000000002", 0, NULL,
	  "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739" },
};

static void
t_chacha20_rfc8439(void)
{
	unsigned char key[32], nonce[12], in[MAXV], want[MAXV], got[MAXV];
	size_t i, n;

	for (i = 0; i < sizeof(chacha_kats) / sizeof(chacha_kats[0]); i++) {
		const struct chacha_kat *k = &chacha_kats[i];

		ut_unhex(k->key, key, sizeof(key));
		ut_unhex(k->nonce, nonce, sizeof(nonce));
		n = ut_unhex(k->out, want, sizeof(want));
		memset(in, 0, sizeof(in));
		if (k->plain != NULL)
			CHECK_EQ(ut_unhex(k->plain, in, sizeof(in)), n);
		ietf_chacha20_xor(got, in, n, key, nonce, k->counter);
		if (!CHECK(memcmp(got, want, n) == 0))
			printf("#   chacha vector %zu\n", i);
	}
}

struct poly_kat {
	const char *key, *msg, *tag;
};

static const struct poly_kat poly_kats[] = {
	/* 2.5.2 */
	{ "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
	  "43727970746f6772617068696320466f72756d2052657365617263682047726f7570",
	  "a8061dc1305136c6c22b8baf0c0127a9" },
	/* A.3 #1 */
	{ "0000000000000000000000000000000000000000000000000000000000000000",
	  "0000000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "00000000000000000000000000000000" },
	/* A.3 #4 */
	{ "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
	  "2754776173206272696c6c69672c20616e642074686520736c6974687920746f"
	  "7665730a446964206779726520616e642067696d626c6520696e207468652077"
	  "6162653a0a416c6c206d696d737920776572652074686520626f726f676f7665"
	  "732c0a416e6420746865206d6f6d65207261746873206f757467726162652e",
	  "4541669a7eaaee61e708dc7cbcc5eb62" },
	/* A.3 #5 .. #11 (key = R | S) */
	{ "0200000000000000000000000000000000000000000000000000000000000000",
	  "ffffffffffffffffffffffffffffffff",
	  "03000000000000000000000000000000" },
	{ "02000000000000000000000000000000ffffffffffffffffffffffffffffffff",
	  "02000000000000000000000000000000",
	  "03000000000000000000000000000000" },
	{ "0100000000000000000000000000000000000000000000000000000000000000",
	  "ffffffffffffffffffffffffffffffff"
	  "f0ffffffffffffffffffffffffffffff"
	  "11000000000000000000000000000000",
	  "05000000000000000000000000000000" },
	{ "0100000000000000000000000000000000000000000000000000000000000000",
	  "ffffffffffffffffffffffffffffffff"
	  "fbfefefefefefefefefefefefefefefe"
	  "01010101010101010101010101010101",
	  "00000000000000000000000000000000" },
	{ "0200000000000000000000000000000000000000000000000000000000000000",
	  "fdffffffffffffffffffffffffffffff",
	  "faffffffffffffffffffffffffffffff" },
	{ "0100000000000000040000000000000000000000000000000000000000000000",
	  "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
	  "0000000000000000000000000000000001000000000000000000000000000000",
	  "14000000000000005500000000000000" },
	{ "0100000000000000040000000000000000000000000000000000000000000000",
	  "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
	  "00000000000000000000000000000000",
	  "13000000000000000000000000000000" },
};

static void
t_poly1305_rfc8439(void)
{
	unsigned char key[32], msg[MAXV], tag[16], got[16];
	size_t i, n;

	for (i = 0; i < sizeof(poly_kats) / sizeof(poly_kats[0]); i++) {
		ut_unhex(poly_kats[i].key, key, sizeof(key));
		n = ut_unhex(poly_kats[i].msg, msg, sizeof(msg));
		ut_unhex(poly_kats[i].tag, tag, sizeof(tag));
		crypto_onetimeauth_poly1305(got, msg, n, key);
		if (!CHECK(memcmp(got, tag, 16) == 0))
			printf("#   poly1305 vector %zu\n", i);
		CHECK_EQ(crypto_onetimeauth_poly1305_verify(tag, msg, n, key),
		    0);
		tag[15] ^= 0x80;
		CHECK(crypto_onetimeauth_poly1305_verify(tag, msg, n, key) !=
		    0);
	}
}

static void
t_table(void)
{
	static const char *names[] = { "chacha20-poly1305@openssh.com",
	    "aes128-gcm@openssh.com", "aes256-gcm@openssh.com" };
	static const char *ctrs[] = { "aes128-ctr", "aes192-ctr",
	    "aes256-ctr" };
	const struct cipher_alg *a;
	struct cipher_alg fake;
	struct cipher_ctx *ctx = (struct cipher_ctx *)&fake;
	unsigned char key[64] = { 0 };
	size_t i;

	/* OpenSSH's default order. */
	CHECK(strcmp(cipher_default_list(), "chacha20-poly1305@openssh.com,"
	    "aes128-ctr,aes192-ctr,aes256-ctr,"
	    "aes128-gcm@openssh.com,aes256-gcm@openssh.com") == 0);
	a = cipher_by_name(names[0]);
	CHECK(a != NULL && a->key_len == 64 && a->iv_len == 0 &&
	    a->block_len == 8 && a->tag_len == 16 && a->len_encrypted &&
	    a->aead);
	a = cipher_by_name(names[1]);
	CHECK(a != NULL && a->key_len == 16 && a->iv_len == 12 &&
	    a->block_len == 16 && a->tag_len == 16 && !a->len_encrypted &&
	    a->aead);
	a = cipher_by_name(names[2]);
	CHECK(a != NULL && a->key_len == 32 && a->iv_len == 12 &&
	    a->block_len == 16 && a->tag_len == 16 && !a->len_encrypted &&
	    a->aead);
	for (i = 0; i < 3; i++) {
		a = cipher_by_name(ctrs[i]);
		CHECK(a != NULL && a->key_len == 16 + 8 * i &&
		    a->iv_len == 16 && a->block_len == 16 && a->tag_len == 0 &&
		    !a->aead);
	}
	CHECK(cipher_by_name("aes128-cbc") == NULL);
	CHECK(cipher_by_name("") == NULL);
	CHECK(cipher_by_name(NULL) == NULL);
	/* Rows not from the table and missing IVs are refused. */
	fake = *cipher_by_name(names[0]);
	CHECK_EQ(cipher_init(&ctx, &fake, 1, key, NULL), ERR_INTERNAL);
	CHECK(ctx == NULL);
	ctx = (struct cipher_ctx *)&fake;
	CHECK_EQ(cipher_init(&ctx, cipher_by_name(names[1]), 1, key, NULL),
	    ERR_INTERNAL);
	CHECK(ctx == NULL);
	cipher_free(NULL);
}

/* ---- chacha20-poly1305@openssh.com ---- */

#define CP_BODY	61	/* padding_length, payload, padding: any length */

/* A fixed 64-byte key: K_2 = bytes 0..31, K_1 = bytes 32..63. */
static void
cp_key(unsigned char key[64])
{
	size_t i;

	for (i = 0; i < 64; i++)
		key[i] = (unsigned char)(0xa0 + 3 * i);
}

static void
cp_plain(unsigned char *p, uint32_t len)
{
	uint32_t i;

	buf_set_be32(p, len);
	for (i = 0; i < len; i++)
		p[4 + i] = (unsigned char)(i * 7 + 1);
}

/* The construction from PROTOCOL.chacha20poly1305, composed here. */
static void
cp_ref_sodium(unsigned char *out, const unsigned char key[64], uint32_t seq,
    const unsigned char *in, uint32_t len)
{
	unsigned char nonce[8], pk[32];

	buf_set_be64(nonce, seq);
	crypto_stream_chacha20_xor(out, in, 4, nonce, key + 32);
	crypto_stream_chacha20(pk, sizeof(pk), nonce, key);
	crypto_stream_chacha20_xor_ic(out + 4, in + 4, len, nonce, 1, key);
	crypto_onetimeauth_poly1305(out + 4 + len, out, 4 + (size_t)len, pk);
}

/* ChaCha20 by OpenSSL: IV = 64-bit counter (LE) | 64-bit nonce. */
static int
ossl_chacha20(unsigned char *out, const unsigned char *in, int n,
    const unsigned char key[32], const unsigned char nonce[8],
    uint64_t counter)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	unsigned char iv[16];
	int i, outl = 0, ok;

	for (i = 0; i < 8; i++)
		iv[i] = (unsigned char)(counter >> (8 * i));
	memcpy(iv + 8, nonce, 8);
	ok = c != NULL &&
	    EVP_EncryptInit_ex(c, EVP_chacha20(), NULL, key, iv) == 1 &&
	    EVP_EncryptUpdate(c, out, &outl, in, n) == 1 && outl == n;
	EVP_CIPHER_CTX_free(c);
	return ok;
}

static int
ossl_poly1305(unsigned char tag[16], const unsigned char *m, size_t n,
    const unsigned char key[32])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "POLY1305", NULL);
	EVP_MAC_CTX *c = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
	size_t outl = 0;
	int ok;

	ok = c != NULL && EVP_MAC_init(c, key, 32, NULL) == 1 &&
	    EVP_MAC_update(c, m, n) == 1 &&
	    EVP_MAC_final(c, tag, &outl, 16) == 1 && outl == 16;
	EVP_MAC_CTX_free(c);
	EVP_MAC_free(mac);
	return ok;
}

/* The same construction from OpenSSL's independent primitives. */
static int
cp_ref_openssl(unsigned char *out, const unsigned char key[64],
    uint32_t seq, const unsigned char *in, uint32_t len)
{
	unsigned char nonce[8], zero[32] = { 0 }, pk[32];

	buf_set_be64(nonce, seq);
	return ossl_chacha20(out, in, 4, key + 32, nonce, 0) &&
	    ossl_chacha20(pk, zero, 32, key, nonce, 0) &&
	    ossl_chacha20(out + 4, in + 4, (int)len, key, nonce, 1) &&
	    ossl_poly1305(out + 4 + len, out, 4 + (size_t)len, pk);
}

static void
t_chachapoly_seal(void)
{
	static const uint32_t seqs[] = { 0, 7, 0x01020304, 0xffffffff };
	const struct cipher_alg *a = cipher_by_name(
	    "chacha20-poly1305@openssh.com");
	struct cipher_ctx *enc, *dec;
	unsigned char key[64], in[4 + CP_BODY], out[4 + CP_BODY + 16];
	unsigned char ref[sizeof(out)], ref2[sizeof(out)];
	uint32_t len;
	size_t i;

	cp_key(key);
	cp_plain(in, CP_BODY);
	CHECK_EQ(cipher_init(&enc, a, 1, key, NULL), 0);
	CHECK_EQ(cipher_init(&dec, a, 0, key, NULL), 0);
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		CHECK_EQ(cipher_crypt(enc, seqs[i], out, in, CP_BODY), 0);
		cp_ref_sodium(ref, key, seqs[i], in, CP_BODY);
		CHECK(memcmp(out, ref, sizeof(out)) == 0);
		CHECK(cp_ref_openssl(ref2, key, seqs[i], in, CP_BODY));
		CHECK(memcmp(out, ref2, sizeof(out)) == 0);
		CHECK(memcmp(out, in, 4) != 0);	/* length is encrypted */
		CHECK_EQ(cipher_get_length(dec, seqs[i], out, &len), 0);
		CHECK_EQ(len, CP_BODY);
	}
	/* In place gives the same bytes. */
	memcpy(ref, in, sizeof(in));
	CHECK_EQ(cipher_crypt(enc, 7, ref, ref, CP_BODY), 0);
	cp_ref_sodium(ref2, key, 7, in, CP_BODY);
	CHECK(memcmp(ref, ref2, sizeof(ref)) == 0);
	cipher_free(enc);
	cipher_free(dec);
}

/* Open a sealed packet; tampering anywhere is ERR_MAC, dst untouched. */
static void
t_chachapoly_open(void)
{
	const struct cipher_alg *a = cipher_by_name(
	    "chacha20-poly1305@openssh.com");
	struct cipher_ctx *enc, *dec;
	unsigned char key[64], in[4 + CP_BODY], ct[4 + CP_BODY + 16];
	unsigned char pt[sizeof(ct)], save[sizeof(ct)];
	size_t i;

	cp_key(key);
	cp_plain(in, CP_BODY);
	CHECK_EQ(cipher_init(&enc, a, 1, key, NULL), 0);
	CHECK_EQ(cipher_init(&dec, a, 0, key, NULL), 0);
	CHECK_EQ(cipher_crypt(enc, 42, ct, in, CP_BODY), 0);
	CHECK_EQ(cipher_crypt(dec, 42, pt, ct, CP_BODY), 0);
	CHECK(memcmp(pt, in, sizeof(in)) == 0);
	CHECK_EQ(cipher_crypt(dec, 43, pt, ct, CP_BODY), ERR_MAC);
	for (i = 0; i < sizeof(ct); i += 9) {	/* length, body, tag */
		ct[i] ^= 0x01;
		memset(pt, 0x5a, sizeof(pt));
		memcpy(save, ct, sizeof(ct));
		CHECK_EQ(cipher_crypt(dec, 42, pt, ct, CP_BODY), ERR_MAC);
		CHECK(pt[0] == 0x5a && memcmp(pt, pt + 1, 4 + CP_BODY - 1)
		    == 0);
		CHECK_EQ(cipher_crypt(dec, 42, save, save, CP_BODY), ERR_MAC);
		CHECK(memcmp(save, ct, sizeof(ct)) == 0);
		ct[i] ^= 0x01;
	}
	CHECK_EQ(cipher_crypt(dec, 42, ct, ct, CP_BODY), 0);	/* in place */
	CHECK(memcmp(ct, in, sizeof(in)) == 0);
	cipher_free(enc);
	cipher_free(dec);
}

/* ---- AES-GCM ---- */

/* One GCM encryption by EVP, arbitrary AAD; 1 if it worked. */
static int
ref_gcm(unsigned char *ct, unsigned char tag[16], const unsigned char *key,
    size_t klen, const unsigned char iv[12], const unsigned char *aad,
    int alen, const unsigned char *pt, int plen)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *e = klen == 16 ? EVP_aes_128_gcm() :
	    EVP_aes_256_gcm();
	unsigned char fin[16];
	int n, ok;

	ok = c != NULL && EVP_EncryptInit_ex(c, e, NULL, key, iv) == 1 &&
	    (alen == 0 || EVP_EncryptUpdate(c, NULL, &n, aad, alen) == 1) &&
	    EVP_EncryptUpdate(c, ct, &n, pt, plen) == 1 && n == plen &&
	    EVP_EncryptFinal_ex(c, fin, &n) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok;
}

/* One GCM decryption by EVP; 1 if the tag verified. */
static int
ref_gcm_open(unsigned char *pt, const unsigned char *key, size_t klen,
    const unsigned char iv[12], const unsigned char *aad, int alen,
    const unsigned char *ct, int clen, const unsigned char tag[16])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *e = klen == 16 ? EVP_aes_128_gcm() :
	    EVP_aes_256_gcm();
	unsigned char t[16], fin[16];
	int n, ok;

	memcpy(t, tag, 16);
	ok = c != NULL && EVP_DecryptInit_ex(c, e, NULL, key, iv) == 1 &&
	    (alen == 0 || EVP_DecryptUpdate(c, NULL, &n, aad, alen) == 1) &&
	    EVP_DecryptUpdate(c, pt, &n, ct, clen) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, t) == 1 &&
	    EVP_DecryptFinal_ex(c, fin, &n) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok;
}

struct gcm_kat {
	const char *name, *key, *iv, *aad, *pt, *ct, *tag;
};

#define GCM_K128	"feffe9928665731c6d6a8f9467308308"
#define GCM_IV		"cafebabefacedbaddecaf888"
#define GCM_AAD		"feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_P60		"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da" \
			"2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525" \
			"b16aedf5aa0de657ba637b39"

/* McGrew & Viega, "The Galois/Counter Mode of Operation", appendix B. */
static const struct gcm_kat gcm_kats[] = {
	{ "3", GCM_K128, GCM_IV, "", GCM_P60 "1aafd255",
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ "4", GCM_K128, GCM_IV, GCM_AAD, GCM_P60,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "15", GCM_K128 GCM_K128, GCM_IV, "", GCM_P60 "1aafd255",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "16", GCM_K128 GCM_K128, GCM_IV, GCM_AAD, GCM_P60,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

static void
t_gcm_kat(void)
{
	unsigned char key[32], iv[12], aad[32], pt[64], ct[64], tag[16];
	unsigned char got[64], gtag[16];
	size_t i, klen, alen, plen;

	for (i = 0; i < sizeof(gcm_kats) / sizeof(gcm_kats[0]); i++) {
		const struct gcm_kat *k = &gcm_kats[i];

		klen = ut_unhex(k->key, key, sizeof(key));
		ut_unhex(k->iv, iv, sizeof(iv));
		alen = ut_unhex(k->aad, aad, sizeof(aad));
		plen = ut_unhex(k->pt, pt, sizeof(pt));
		CHECK_EQ(ut_unhex(k->ct, ct, sizeof(ct)), plen);
		ut_unhex(k->tag, tag, sizeof(tag));
		CHECK(ref_gcm(got, gtag, key, klen, iv, aad, (int)alen, pt,
		    (int)plen));
		if (!CHECK(memcmp(got, ct, plen) == 0 &&
		    memcmp(gtag, tag, 16) == 0))
			printf("#   gcm test case %s\n", k->name);
		memset(got, 0, sizeof(got));
		CHECK(ref_gcm_open(got, key, klen, iv, aad, (int)alen, ct,
		    (int)plen, tag));
		CHECK(memcmp(got, pt, plen) == 0);
		tag[0] ^= 1;
		CHECK(!ref_gcm_open(got, key, klen, iv, aad, (int)alen, ct,
		    (int)plen, tag));
	}
}

#define GCM_BODY	48	/* a multiple of 16, as packets are */

static void
gcm_keys(unsigned char key[32], unsigned char iv[12], uint64_t counter)
{
	size_t i;

	for (i = 0; i < 32; i++)
		key[i] = (unsigned char)(0x11 * i + 5);
	memcpy(iv, "\xde\xad\xbe\xef", 4);
	buf_set_be64(iv + 4, counter);
}

/* Three packets; each must be GCM(K, fixed | counter + i, AAD = length). */
static void
gcm_seal_one(const char *name, uint64_t counter)
{
	const struct cipher_alg *a = cipher_by_name(name);
	struct cipher_ctx *enc;
	unsigned char key[32], iv[12], in[4 + GCM_BODY];
	unsigned char out[4 + GCM_BODY + 16], ref[GCM_BODY], rtag[16];
	int i;

	gcm_keys(key, iv, counter);
	cp_plain(in, GCM_BODY);
	CHECK_EQ(cipher_init(&enc, a, 1, key, iv), 0);
	for (i = 0; i < 3; i++) {
		in[4] = (unsigned char)i;
		CHECK_EQ(cipher_crypt(enc, 99, out, in, GCM_BODY), 0);
		buf_set_be64(iv + 4, counter + (uint64_t)i);	/* wraps */
		CHECK(ref_gcm(ref, rtag, key, a->key_len, iv, in, 4, in + 4,
		    GCM_BODY));
		CHECK(memcmp(out, in, 4) == 0);		/* length in clear */
		if (!CHECK(memcmp(out + 4, ref, GCM_BODY) == 0 &&
		    memcmp(out + 4 + GCM_BODY, rtag, 16) == 0))
			printf("#   %s packet %d\n", name, i);
	}
	cipher_free(enc);
}

static void
t_gcm_seal(void)
{
	gcm_seal_one("aes128-gcm@openssh.com", 1);
	gcm_seal_one("aes256-gcm@openssh.com", 0x1234);
	gcm_seal_one("aes128-gcm@openssh.com", UINT64_MAX - 1);
	gcm_seal_one("aes256-gcm@openssh.com", UINT64_MAX);
}

static void
gcm_open_one(const char *name)
{
	const struct cipher_alg *a = cipher_by_name(name);
	struct cipher_ctx *enc, *dec;
	unsigned char key[32], iv[12], in[4 + GCM_BODY];
	unsigned char ct[4][4 + GCM_BODY + 16], pt[sizeof(ct[0])];
	unsigned char save[sizeof(ct[0])];
	uint32_t len;
	int i;

	gcm_keys(key, iv, 7);
	cp_plain(in, GCM_BODY);
	CHECK_EQ(cipher_init(&enc, a, 1, key, iv), 0);
	CHECK_EQ(cipher_init(&dec, a, 0, key, iv), 0);
	for (i = 0; i < 4; i++)
		CHECK_EQ(cipher_crypt(enc, 0, ct[i], in, GCM_BODY), 0);
	CHECK_EQ(cipher_get_length(dec, 0, ct[0], &len), 0);
	CHECK_EQ(len, GCM_BODY);
	/* 0: into another buffer */
	CHECK_EQ(cipher_crypt(dec, 0, pt, ct[0], GCM_BODY), 0);
	CHECK(memcmp(pt, in, sizeof(in)) == 0);
	/* 1: in place */
	CHECK_EQ(cipher_crypt(dec, 0, ct[1], ct[1], GCM_BODY), 0);
	CHECK(memcmp(ct[1], in, sizeof(in)) == 0);
	/* 2: tampered tag: ERR_MAC, dst untouched; the counter still moves */
	ct[2][4 + GCM_BODY + 15] ^= 0x40;
	memcpy(save, ct[2], sizeof(save));
	memset(pt, 0x33, sizeof(pt));
	CHECK_EQ(cipher_crypt(dec, 0, pt, ct[2], GCM_BODY), ERR_MAC);
	CHECK(pt[0] == 0x33 && memcmp(pt, pt + 1, sizeof(pt) - 1) == 0);
	CHECK(memcmp(save, ct[2], sizeof(save)) == 0);
	/* 3: sealed with counter 10, which dec has reached */
	CHECK_EQ(cipher_crypt(dec, 0, pt, ct[3], GCM_BODY), 0);
	CHECK(memcmp(pt, in, sizeof(in)) == 0);
	cipher_free(dec);
	/* in place at the right counter (9): the ciphertext is restored */
	gcm_keys(key, iv, 9);
	CHECK_EQ(cipher_init(&dec, a, 0, key, iv), 0);
	CHECK_EQ(cipher_crypt(dec, 0, ct[2], ct[2], GCM_BODY), ERR_MAC);
	CHECK(memcmp(save, ct[2], sizeof(save)) == 0);
	cipher_free(dec);
	/* tampered AAD (the clear length) fails too */
	gcm_keys(key, iv, 10);
	CHECK_EQ(cipher_init(&dec, a, 0, key, iv), 0);
	ct[3][3] ^= 0x10;
	CHECK_EQ(cipher_crypt(dec, 0, ct[3], ct[3], GCM_BODY), ERR_MAC);
	ct[3][3] ^= 0x10;
	cipher_free(enc);
	cipher_free(dec);
}

static void
t_gcm_open(void)
{
	gcm_open_one("aes128-gcm@openssh.com");
	gcm_open_one("aes256-gcm@openssh.com");
}

/* ---- AES-CTR ---- */

struct ctr_kat {
	const char *name, *key, *ct;
};

#define CTR_IV		"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define CTR_PT		"6bc1bee22e409f96e93d7e117393172a" \
			"ae2d8a571e03ac9c9eb76fac45af8e51" \
			"30c81c46a35ce411e5fbc1191a0a52ef" \
			"f69f2445df4f9b17ad2b417be66c3710"

/* NIST SP 800-38A, F.5.1, F.5.3, F.5.5 (CTR-AESxxx.Encrypt). */
static const struct ctr_kat ctr_kats[] = {
	{ "aes128-ctr", "2b7e151628aed2a6abf7158809cf4f3c",
	  "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
	  "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee" },
	{ "aes192-ctr", "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
	  "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
	  "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050" },
	{ "aes256-ctr",
	  "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
	  "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6" },
};

/*
 * The vectors through cipher_stream, as two "packets" of two blocks (the
 * counter runs on), both directions; a length peek before each half
 * decrypts the first 4 bytes without moving the position.
 */
static void
t_ctr_kat(void)
{
	unsigned char key[32], iv[16], pt[64], ct[64], got[64], back[64];
	struct cipher_ctx *enc, *dec;
	uint32_t len;
	size_t i, h;

	ut_unhex(CTR_IV, iv, sizeof(iv));
	ut_unhex(CTR_PT, pt, sizeof(pt));
	for (i = 0; i < sizeof(ctr_kats) / sizeof(ctr_kats[0]); i++) {
		const struct cipher_alg *a = cipher_by_name(ctr_kats[i].name);

		CHECK_EQ(ut_unhex(ctr_kats[i].key, key, sizeof(key)),
		    a->key_len);
		ut_unhex(ctr_kats[i].ct, ct, sizeof(ct));
		CHECK_EQ(cipher_init(&enc, a, 1, key, iv), 0);
		CHECK_EQ(cipher_init(&dec, a, 0, key, iv), 0);
		memcpy(back, ct, 64);
		for (h = 0; h < 64; h += 32) {
			CHECK_EQ(cipher_stream(enc, got + h, pt + h, 32), 0);
			CHECK_EQ(cipher_get_length(dec, 0, ct + h, &len), 0);
			CHECK_EQ(len, buf_be32(pt + h));
			CHECK_EQ(cipher_get_length(dec, 0, ct + h, &len), 0);
			CHECK_EQ(len, buf_be32(pt + h));
			/* in place */
			CHECK_EQ(cipher_stream(dec, back + h, back + h, 32), 0);
		}
		if (!CHECK(memcmp(got, ct, 64) == 0))
			printf("#   %s\n", ctr_kats[i].name);
		CHECK(memcmp(back, pt, 64) == 0);
		cipher_free(enc);
		cipher_free(dec);
	}
}

/* Reference keystream: AES-ECB over counter blocks ctr, ctr + 1, ... */
static void
ctr_ref(unsigned char *ks, size_t nblocks, const unsigned char *key,
    size_t klen, const unsigned char iv[16])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *e = klen == 16 ? EVP_aes_128_ecb() : klen == 24 ?
	    EVP_aes_192_ecb() : EVP_aes_256_ecb();
	unsigned char ctr[16];
	size_t b;
	int i, n, ok;

	memcpy(ctr, iv, 16);
	ok = c != NULL && EVP_EncryptInit_ex(c, e, NULL, key, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(c, 0) == 1;
	for (b = 0; ok && b < nblocks; b++) {
		ok = EVP_EncryptUpdate(c, ks + 16 * b, &n, ctr, 16) == 1 &&
		    n == 16;
		for (i = 15; i >= 0 && ++ctr[i] == 0; i--)
			;
	}
	CHECK(ok);
	EVP_CIPHER_CTX_free(c);
}

/*
 * The 128-bit counter carries through all 16 bytes and wraps at 2^128;
 * rewind steps back (across the wrap too), and a peek after a rewind
 * sees the rewound position.
 */
static void
ctr_wrap_one(const char *name, const char *ivhex)
{
	const struct cipher_alg *a = cipher_by_name(name);
	unsigned char key[32], iv[16], ks[8 * 16], zero[8 * 16] = { 0 };
	unsigned char out[8 * 16];
	struct cipher_ctx *ctx;
	uint32_t len;
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(7 * i + 3);
	ut_unhex(ivhex, iv, sizeof(iv));
	ctr_ref(ks, 8, key, a->key_len, iv);
	CHECK_EQ(cipher_init(&ctx, a, 1, key, iv), 0);
	CHECK_EQ(cipher_stream(ctx, out, zero, 48), 0);
	CHECK_EQ(cipher_stream(ctx, out + 48, zero, 32), 0);
	CHECK(memcmp(out, ks, 80) == 0);
	CHECK_EQ(cipher_rewind(ctx, 64), 0);		/* back to block 1 */
	CHECK_EQ(cipher_get_length(ctx, 0, zero, &len), 0);
	CHECK_EQ(len, buf_be32(ks + 16));
	CHECK_EQ(cipher_stream(ctx, out, zero, 64), 0);
	CHECK(memcmp(out, ks + 16, 64) == 0);
	CHECK_EQ(cipher_stream(ctx, out, zero, 48), 0);	/* blocks 5..7 */
	if (!CHECK(memcmp(out, ks + 80, 48) == 0))
		printf("#   %s iv %s\n", name, ivhex);
	cipher_free(ctx);
}

static void
t_ctr_counter(void)
{
	ctr_wrap_one("aes128-ctr", "fffffffffffffffffffffffffffffffd");
	ctr_wrap_one("aes192-ctr", "000102030405060708090a0bfffffffe");
	ctr_wrap_one("aes256-ctr", "0001020304050607fffffffffffffffe");
	ctr_wrap_one("aes256-ctr", "00000000000000000000000000000000");
}

/* Each kind refuses the other kind's calls; lengths off the block. */
static void
t_ctr_kind(void)
{
	unsigned char key[64] = { 0 }, iv[16] = { 0 }, buf[64] = { 0 };
	struct cipher_ctx *ctr, *gcm;

	CHECK_EQ(cipher_init(&ctr, cipher_by_name("aes128-ctr"), 1, key, iv),
	    0);
	CHECK_EQ(cipher_init(&gcm, cipher_by_name("aes128-gcm@openssh.com"),
	    1, key, iv), 0);
	CHECK_EQ(cipher_crypt(ctr, 0, buf, buf, 16), ERR_INTERNAL);
	CHECK_EQ(cipher_stream(gcm, buf, buf, 16), ERR_INTERNAL);
	CHECK_EQ(cipher_rewind(gcm, 16), ERR_INTERNAL);
	CHECK_EQ(cipher_stream(ctr, buf, buf, 20), ERR_INTERNAL);
	CHECK_EQ(cipher_rewind(ctr, 4), ERR_INTERNAL);
	CHECK_EQ(cipher_stream(ctr, buf, buf, 0), 0);
	cipher_free(ctr);
	CHECK(cipher_init(&ctr, cipher_by_name("aes128-ctr"), 1, key, NULL)
	    == ERR_INTERNAL && ctr == NULL);
	cipher_free(gcm);
}

const struct ut_case cipher_cases[] = {
	{ "table", t_table },
	{ "chacha20_rfc8439", t_chacha20_rfc8439 },
	{ "poly1305_rfc8439", t_poly1305_rfc8439 },
	{ "chachapoly_seal", t_chachapoly_seal },
	{ "chachapoly_open", t_chachapoly_open },
	{ "gcm_kat", t_gcm_kat },
	{ "gcm_seal", t_gcm_seal },
	{ "gcm_open", t_gcm_open },
	{ "ctr_kat", t_ctr_kat },
	{ "ctr_counter", t_ctr_counter },
	{ "ctr_kind", t_ctr_kind },
	{ NULL, NULL },
};
