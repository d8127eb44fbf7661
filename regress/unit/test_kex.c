/* test_kex.c - KEXINIT codec, negotiation (MACs too), key derivation. */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "crypto/mac.h"
#include "proto/kex.h"
#include "regress/unit/unittest.h"

static void
t_build_parse(void)
{
	struct buf b;
	struct kexinit k;

	buf_init(&b, 0);
	CHECK_EQ(kex_build_kexinit(&b, "curve25519-sha256", "ssh-ed25519",
	    "aes128-gcm@openssh.com,aes128-ctr", "hmac-sha2-256,hmac-sha1", 1),
	    0);
	CHECK_EQ(kex_parse_kexinit(buf_ptr(&b), buf_len(&b), &k), 0);
	CHECK(strcmp(k.lists[KEX_ALGS], "curve25519-sha256,ext-info-s,"
	    "kex-strict-s-v00@openssh.com") == 0);
	CHECK(strcmp(k.lists[KEX_ENC_C2S], "aes128-gcm@openssh.com,"
	    "aes128-ctr") == 0);
	CHECK(strcmp(k.lists[KEX_ENC_S2C], "aes128-gcm@openssh.com,"
	    "aes128-ctr") == 0);
	CHECK(strcmp(k.lists[KEX_MAC_C2S], "hmac-sha2-256,hmac-sha1") == 0);
	CHECK(strcmp(k.lists[KEX_MAC_S2C], "hmac-sha2-256,hmac-sha1") == 0);
	CHECK(strcmp(k.lists[KEX_COMP_C2S], "none") == 0);
	CHECK_EQ(k.first_follows, 0);
	kexinit_free(&k);
	/* One byte short, one byte long. */
	CHECK(kex_parse_kexinit(buf_ptr(&b), buf_len(&b) - 1, &k) != 0);
	CHECK(buf_put_u8(&b, 0) == 0);
	CHECK_EQ(kex_parse_kexinit(buf_ptr(&b), buf_len(&b), &k),
	    ERR_TRAILING);
	buf_free(&b);
	buf_init(&b, 0);
	CHECK_EQ(kex_build_kexinit(&b, "curve25519-sha256", "ssh-ed25519",
	    "aes128-gcm@openssh.com", "hmac-sha2-256", 0), 0);
	CHECK_EQ(kex_parse_kexinit(buf_ptr(&b), buf_len(&b), &k), 0);
	CHECK(strcmp(k.lists[KEX_ALGS], "curve25519-sha256") == 0);
	kexinit_free(&k);
	buf_free(&b);
}

static void
mk(struct kexinit *k, const char *kex, const char *hk, const char *enc)
{
	int i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < KEX_NLISTS; i++)
		k->lists[i] = strdup("");
	free(k->lists[KEX_ALGS]);
	k->lists[KEX_ALGS] = strdup(kex);
	free(k->lists[KEX_HOSTKEY]);
	k->lists[KEX_HOSTKEY] = strdup(hk);
	free(k->lists[KEX_ENC_C2S]);
	k->lists[KEX_ENC_C2S] = strdup(enc);
	free(k->lists[KEX_ENC_S2C]);
	k->lists[KEX_ENC_S2C] = strdup(enc);
	free(k->lists[KEX_COMP_C2S]);
	k->lists[KEX_COMP_C2S] = strdup("none,zlib@openssh.com");
	free(k->lists[KEX_COMP_S2C]);
	k->lists[KEX_COMP_S2C] = strdup("none");
}

static void
t_negotiate(void)
{
	struct kexinit c, s;
	struct kex_result r;
	int which;

	mk(&c, "sntrup761x25519-sha512@openssh.com,curve25519-sha256,"
	    "ext-info-c,kex-strict-c-v00@openssh.com", "ssh-ed25519",
	    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com");
	mk(&s, "curve25519-sha256,curve25519-sha256@libssh.org,ext-info-s",
	    "ssh-ed25519", "aes256-gcm@openssh.com,"
	    "chacha20-poly1305@openssh.com");
	CHECK_EQ(kex_negotiate(&c, &s, 1, &r, &which), 0);
	CHECK(strcmp(r.kex, "curve25519-sha256") == 0);
	CHECK(r.enc_c2s != NULL &&
	    strcmp(r.enc_c2s->name, "chacha20-poly1305@openssh.com") == 0);
	CHECK_EQ(r.strict, 1);
	CHECK_EQ(r.ext_info_c, 1);
	CHECK_EQ(r.guess_ok, 1);
	/* Not in a rekey. */
	CHECK_EQ(kex_negotiate(&c, &s, 0, &r, &which), 0);
	CHECK_EQ(r.strict, 0);
	kexinit_free(&c);
	mk(&c, "diffie-hellman-group14-sha1", "ssh-ed25519",
	    "aes256-gcm@openssh.com");
	CHECK_EQ(kex_negotiate(&c, &s, 1, &r, &which), ERR_NOALG);
	CHECK_EQ(which, KEX_ALGS);
	kexinit_free(&c);
	/* A pseudo-algorithm is never the result. */
	mk(&c, "ext-info-s", "ssh-ed25519", "aes256-gcm@openssh.com");
	CHECK_EQ(kex_negotiate(&c, &s, 1, &r, &which), ERR_NOALG);
	kexinit_free(&c);
	mk(&c, "curve25519-sha256", "ssh-rsa", "aes256-gcm@openssh.com");
	CHECK_EQ(kex_negotiate(&c, &s, 1, &r, &which), ERR_NOALG);
	CHECK_EQ(which, KEX_HOSTKEY);
	kexinit_free(&c);
	kexinit_free(&s);
}

static void
set_list(struct kexinit *k, int i, const char *v)
{
	free(k->lists[i]);
	k->lists[i] = strdup(v);
}

/*
 * MACs: chosen per direction for a non-AEAD cipher (the client's first
 * that we have), ignored (NULL, lists need not meet) for an AEAD one.
 */
static void
t_negotiate_mac(void)
{
	static const char *srv_enc = "chacha20-poly1305@openssh.com,"
	    "aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
	    "aes256-gcm@openssh.com";
	struct kexinit c, s;
	struct kex_result r;
	int which;

	mk(&s, "curve25519-sha256", "ssh-ed25519", srv_enc);
	set_list(&s, KEX_MAC_C2S, mac_default_list());
	set_list(&s, KEX_MAC_S2C, mac_default_list());
	/* ctr both ways; the client's MAC order wins, per direction */
	mk(&c, "curve25519-sha256", "ssh-ed25519", "aes256-ctr,aes128-ctr");
	set_list(&c, KEX_ENC_S2C, "aes192-ctr");
	set_list(&c, KEX_MAC_C2S, "umac-64@openssh.com,hmac-sha2-512,"
	    "hmac-sha2-256-etm@openssh.com");
	set_list(&c, KEX_MAC_S2C, "hmac-sha1-etm@openssh.com,hmac-sha1");
	CHECK_EQ(kex_negotiate(&c, &s, 1, &r, &which), 0);
	CHECK(strcmp(r.enc_c2s->name, "aes256-ctr") == 0 &&
	    strcmp(r.enc_s2c->name, "aes192-ctr") == 0);
	CHECK(r.mac_c2s == mac_by_name("hmac-sha2-512"));
	CHECK(r.mac_s2c == mac_by_name("hmac-sha1-etm@openssh.com"));
	CHECK_EQ(which, -1);
	/* AEAD one way: that MAC is implicit even with nothing in common */
	set_list(&c, KEX_ENC_S2C, "aes128-gcm@openssh.com");
	set_list(&c, KEX_MAC_S2C, "hmac-md5");
	CHECK_EQ(kex_negotiate(&c, &s, 1, &r, &which), 0);
	CHECK(r.mac_c2s == mac_by_name("hmac-sha2-512") && r.mac_s2c == NULL);
	/* ctr with no MAC in common: which names the MAC list */
	set_list(&c, KEX_ENC_S2C, "aes128-ctr");
	CHECK_EQ(kex_negotiate(&c, &s, 1, &r, &which), ERR_NOALG);
	CHECK_EQ(which, KEX_MAC_S2C);
	set_list(&c, KEX_MAC_S2C, "hmac-sha2-256");
	set_list(&c, KEX_MAC_C2S, "");
	CHECK_EQ(kex_negotiate(&c, &s, 1, &r, &which), ERR_NOALG);
	CHECK_EQ(which, KEX_MAC_C2S);
	CHECK(strcmp(kex_list_name(which), "MAC") == 0);
	/* chacha both ways: empty MAC lists are fine */
	kexinit_free(&c);
	mk(&c, "curve25519-sha256", "ssh-ed25519",
	    "chacha20-poly1305@openssh.com");
	CHECK_EQ(kex_negotiate(&c, &s, 1, &r, &which), 0);
	CHECK(r.mac_c2s == NULL && r.mac_s2c == NULL);
	/* a server that offers ctr but no MAC cannot agree on ctr */
	kexinit_free(&c);
	mk(&c, "curve25519-sha256", "ssh-ed25519", "aes128-ctr");
	set_list(&c, KEX_MAC_C2S, "hmac-sha2-256");
	set_list(&c, KEX_MAC_S2C, "hmac-sha2-256");
	set_list(&s, KEX_MAC_C2S, "");
	CHECK_EQ(kex_negotiate(&c, &s, 1, &r, &which), ERR_NOALG);
	kexinit_free(&c);
	kexinit_free(&s);
}

static void
t_derive(void)
{
	unsigned char k[37], h[32], sid[32], out[48], want[48];
	int i;

	k[0] = k[1] = k[2] = 0;
	k[3] = 33;
	k[4] = 0;
	for (i = 0; i < 32; i++)
		k[5 + i] = (unsigned char)(0x80 + i);
	memset(h, 0x11, sizeof(h));
	memset(sid, 0x22, sizeof(sid));
	/* Computed independently with Python's hashlib (RFC 4253 7.2). */
	ut_unhex("654c8c287ba5960b8613141802dd4bcf6964ecfb3fbd10ea7297102e"
	    "c057b1a551655155c7fc6b6a15b5f4cd81963c6e", want, sizeof(want));
	CHECK_EQ(kex_derive(k, sizeof(k), h, 32, 'C', sid, 32, out, 48), 0);
	CHECK(memcmp(out, want, 48) == 0);
}

/*
 * Both directions' keys; letters A..F of RFC 4253 7.2.  Expected values
 * computed independently with Python's hashlib.
 */
static void
t_derive_dir(void)
{
	unsigned char k[37], h[32], sid[32], want[64];
	struct kex_dirkeys d;
	struct cipher_alg big;
	int i;

	k[0] = k[1] = k[2] = 0;
	k[3] = 33;
	k[4] = 0;
	for (i = 0; i < 32; i++)
		k[5 + i] = (unsigned char)(0x80 + i);
	memset(h, 0x11, sizeof(h));
	memset(sid, 0x22, sizeof(sid));
	/* client to server: aes128-ctr + hmac-sha2-256-etm */
	CHECK_EQ(kex_derive_dir(k, sizeof(k), h, 32, sid, 32, 0,
	    cipher_by_name("aes128-ctr"),
	    mac_by_name("hmac-sha2-256-etm@openssh.com"), &d), 0);
	ut_unhex("6830107d92bb72156f074f8726dc9394", want, sizeof(want));
	CHECK(memcmp(d.iv, want, 16) == 0);		/* A */
	ut_unhex("654c8c287ba5960b8613141802dd4bcf", want, sizeof(want));
	CHECK(memcmp(d.key, want, 16) == 0);		/* C */
	ut_unhex("d57ff78c023adf6707f1a46887749648ee4344b2099887776fff3541"
	    "bf061da6", want, sizeof(want));
	CHECK(memcmp(d.mac_key, want, 32) == 0);	/* E */
	/* server to client: aes256-ctr + hmac-sha2-512 (F takes 2 rounds) */
	CHECK_EQ(kex_derive_dir(k, sizeof(k), h, 32, sid, 32, 1,
	    cipher_by_name("aes256-ctr"), mac_by_name("hmac-sha2-512"), &d),
	    0);
	ut_unhex("ca7c752b3e6ec82d23fd8ab0949cdedf", want, sizeof(want));
	CHECK(memcmp(d.iv, want, 16) == 0);		/* B */
	ut_unhex("73ea5fead05e33e4d71c6a87dfa76cf5244cabc02add020520ba3457"
	    "2aebb8e1", want, sizeof(want));
	CHECK(memcmp(d.key, want, 32) == 0);		/* D */
	ut_unhex("87e6f6eaaffd0a4dbfbeefe090f86fea312fec9d77c45bdc79b521f9"
	    "b4b013e7b145937dfadd53a145ce00ac75fa14f0e0c49e415bbeebe28020"
	    "6af203498db6", want, sizeof(want));
	CHECK(memcmp(d.mac_key, want, 64) == 0);	/* F */
	/* AEAD: no MAC key (left zero) */
	CHECK_EQ(kex_derive_dir(k, sizeof(k), h, 32, sid, 32, 1,
	    cipher_by_name("chacha20-poly1305@openssh.com"), NULL, &d), 0);
	memset(want, 0, sizeof(want));
	CHECK(memcmp(d.mac_key, want, 64) == 0);
	/* sizes beyond the struct are a caller bug; the output is wiped */
	big = *cipher_by_name("aes256-ctr");
	big.iv_len = 17;
	CHECK_EQ(kex_derive_dir(k, sizeof(k), h, 32, sid, 32, 0, &big, NULL,
	    &d), ERR_INTERNAL);
	CHECK(memcmp(d.key, want, sizeof(d.key)) == 0);
}

static void
t_list_has(void)
{
	CHECK(kex_list_has("a,bb,ccc", "bb"));
	CHECK(!kex_list_has("a,bb,ccc", "b"));
	CHECK(!kex_list_has("", "a"));
	CHECK(kex_list_has("ccc", "ccc"));
}

const struct ut_case kex_cases[] = {
	{ "build_parse", t_build_parse },
	{ "negotiate", t_negotiate },
	{ "negotiate_mac", t_negotiate_mac },
	{ "derive", t_derive },
	{ "derive_dir", t_derive_dir },
	{ "list_has", t_list_has },
	{ NULL, NULL },
};
