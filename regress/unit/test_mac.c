/*
 * test_mac.c - the transport MACs (crypto/mac.c): the table, known answers
 * from RFC 4231 (HMAC-SHA-256/512) and RFC 2202 (HMAC-SHA-1) through the
 * SSH interface, and constant-time verification.
 *
 * mac_compute() is HMAC(key, uint32 seq || data).  A test vector's message
 * M of at least 4 bytes goes through it as seq = the first 4 bytes of M
 * (big-endian) and data = the rest.  The key is always alg->key_len bytes
 * long; HMAC pads a shorter key with zero bytes up to the hash's block
 * size, so a vector's key of up to key_len bytes is the same key with
 * zeros appended.  RFC 4231 test cases 6 and 7 (a key longer than the
 * block, which HMAC hashes first) cannot be expressed so and are left out;
 * case 5 (truncated output) does not apply.
 */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "crypto/mac.h"
#include "proto/buf.h"
#include "regress/unit/unittest.h"

static void
t_table(void)
{
	static const struct {
		const char *name;
		size_t key_len, mac_len;
		int etm;
	} rows[] = {
		{ "hmac-sha2-256-etm@openssh.com", 32, 32, 1 },
		{ "hmac-sha2-512-etm@openssh.com", 64, 64, 1 },
		{ "hmac-sha1-etm@openssh.com", 20, 20, 1 },
		{ "hmac-sha2-256", 32, 32, 0 },
		{ "hmac-sha2-512", 64, 64, 0 },
		{ "hmac-sha1", 20, 20, 0 },
	};
	const struct mac_alg *a;
	struct mac_alg fake;
	struct mac_ctx *ctx;
	unsigned char key[MAC_MAX_KEYLEN] = { 0 };
	size_t i;

	/* OpenSSH's default order, without umac. */
	CHECK(strcmp(mac_default_list(), "hmac-sha2-256-etm@openssh.com,"
	    "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,"
	    "hmac-sha2-256,hmac-sha2-512,hmac-sha1") == 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		a = mac_by_name(rows[i].name);
		if (!CHECK(a != NULL && a->key_len == rows[i].key_len &&
		    a->mac_len == rows[i].mac_len && a->etm == rows[i].etm &&
		    a->mac_len <= MAC_MAX_LEN && a->key_len <= MAC_MAX_KEYLEN))
			printf("#   %s\n", rows[i].name);
	}
	CHECK(mac_by_name("hmac-md5") == NULL);
	CHECK(mac_by_name("umac-64-etm@openssh.com") == NULL);
	CHECK(mac_by_name("") == NULL && mac_by_name(NULL) == NULL);
	fake = *mac_by_name("hmac-sha2-256");
	ctx = (struct mac_ctx *)&fake;
	CHECK(mac_init(&ctx, &fake, key) == ERR_INTERNAL && ctx == NULL);
	ctx = (struct mac_ctx *)&fake;
	CHECK(mac_init(&ctx, mac_by_name("hmac-sha1"), NULL) == ERR_INTERNAL &&
	    ctx == NULL);
	mac_free(NULL);
}

struct hmac_kat {
	const char *name, *key, *msg, *mac;
};

#define KEY_0B20	"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define KEY_AA20	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define KEY_0119	"0102030405060708090a0b0c0d0e0f10111213141516171819"
#define MSG_HI		"4869205468657265"		/* "Hi There" */
#define KEY_JEFE	"4a656665"			/* "Jefe" */
#define MSG_JEFE	"7768617420646f2079612077616e7420666f72206e6f74686" \
			"96e673f"	/* "what do ya want for nothing?" */
#define MSG_DD50	"dddddddddddddddddddddddddddddddddddddddddddddddddd" \
			"dddddddddddddddddddddddddddddddddddddddddddddddddd"
#define MSG_CD50	"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd" \
			"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"

static const struct hmac_kat kats[] = {
	/* RFC 4231 4.2 - 4.5 */
	{ "hmac-sha2-256", KEY_0B20, MSG_HI,
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "hmac-sha2-512", KEY_0B20, MSG_HI,
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	{ "hmac-sha2-256", KEY_JEFE, MSG_JEFE,
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "hmac-sha2-512", KEY_JEFE, MSG_JEFE,
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	{ "hmac-sha2-256", KEY_AA20, MSG_DD50,
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ "hmac-sha2-512", KEY_AA20, MSG_DD50,
	  "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	  "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
	{ "hmac-sha2-256", KEY_0119, MSG_CD50,
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ "hmac-sha2-512", KEY_0119, MSG_CD50,
	  "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	  "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd" },
	/* RFC 2202 3, test cases 1 and 2 */
	{ "hmac-sha1", KEY_0B20, MSG_HI,
	  "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ "hmac-sha1", KEY_JEFE, MSG_JEFE,
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
};

/* One vector under both layouts' names (the MAC is the same). */
static void
kat_one(const struct hmac_kat *k, const char *name)
{
	const struct mac_alg *a = mac_by_name(name);
	unsigned char key[MAC_MAX_KEYLEN] = { 0 }, msg[64], want[MAC_MAX_LEN];
	unsigned char got[MAC_MAX_LEN];
	struct mac_ctx *ctx;
	size_t n, i;

	CHECK(ut_unhex(k->key, key, sizeof(key)) <= a->key_len);
	n = ut_unhex(k->msg, msg, sizeof(msg));
	CHECK(n >= 4);
	CHECK_EQ(ut_unhex(k->mac, want, sizeof(want)), a->mac_len);
	CHECK_EQ(mac_init(&ctx, a, key), 0);
	for (i = 0; i < 2; i++) {	/* the context is reused per packet */
		memset(got, 0, sizeof(got));
		CHECK_EQ(mac_compute(ctx, buf_be32(msg), msg + 4, n - 4, got),
		    0);
		if (!CHECK(memcmp(got, want, a->mac_len) == 0))
			printf("#   %s key %s\n", name, k->key);
		CHECK_EQ(mac_verify(ctx, buf_be32(msg), msg + 4, n - 4, want),
		    0);
	}
	mac_free(ctx);
}

static void
t_kat(void)
{
	char etm[64];
	size_t i;

	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		kat_one(&kats[i], kats[i].name);
		snprintf(etm, sizeof(etm), "%s-etm@openssh.com", kats[i].name);
		kat_one(&kats[i], etm);
	}
}

/* Any flipped bit, another seq, other data or key: ERR_MAC. */
static void
t_verify(void)
{
	const struct mac_alg *a = mac_by_name("hmac-sha2-512-etm@openssh.com");
	unsigned char key[MAC_MAX_KEYLEN], data[100], tag[MAC_MAX_LEN];
	struct mac_ctx *ctx, *other;
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 5 + 1);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 3);
	CHECK_EQ(mac_init(&ctx, a, key), 0);
	key[0] ^= 1;
	CHECK_EQ(mac_init(&other, a, key), 0);
	CHECK_EQ(mac_compute(ctx, 7, data, sizeof(data), tag), 0);
	CHECK_EQ(mac_verify(ctx, 7, data, sizeof(data), tag), 0);
	CHECK_EQ(mac_verify(ctx, 8, data, sizeof(data), tag), ERR_MAC);
	CHECK_EQ(mac_verify(ctx, 7, data, sizeof(data) - 1, tag), ERR_MAC);
	CHECK_EQ(mac_verify(other, 7, data, sizeof(data), tag), ERR_MAC);
	for (i = 0; i < a->mac_len * 8; i += 13) {
		tag[i / 8] ^= (unsigned char)(1 << (i % 8));
		CHECK_EQ(mac_verify(ctx, 7, data, sizeof(data), tag), ERR_MAC);
		tag[i / 8] ^= (unsigned char)(1 << (i % 8));
	}
	data[99] ^= 0x80;
	CHECK_EQ(mac_verify(ctx, 7, data, sizeof(data), tag), ERR_MAC);
	data[99] ^= 0x80;
	CHECK_EQ(mac_verify(ctx, 7, data, sizeof(data), tag), 0);
	/* empty data: the MAC covers the sequence number alone */
	CHECK_EQ(mac_compute(ctx, 0, NULL, 0, tag), 0);
	CHECK_EQ(mac_verify(ctx, 0, NULL, 0, tag), 0);
	CHECK_EQ(mac_verify(ctx, 1, NULL, 0, tag), ERR_MAC);
	mac_free(ctx);
	mac_free(other);
}

const struct ut_case mac_cases[] = {
	{ "table", t_table },
	{ "kat", t_kat },
	{ "verify", t_verify },
	{ NULL, NULL },
};
