/* test_kex.c - KEXINIT codec, negotiation, key derivation. */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "proto/kex.h"
#include "regress/unit/unittest.h"

static void
t_build_parse(void)
{
	struct buf b;
	struct kexinit k;

	buf_init(&b, 0);
	CHECK_EQ(kex_build_kexinit(&b, "curve25519-sha256", "ssh-ed25519",
	    "aes128-gcm@openssh.com", 1), 0);
	CHECK_EQ(kex_parse_kexinit(buf_ptr(&b), buf_len(&b), &k), 0);
	CHECK(strcmp(k.lists[KEX_ALGS], "curve25519-sha256,ext-info-s,"
	    "kex-strict-s-v00@openssh.com") == 0);
	CHECK(strcmp(k.lists[KEX_ENC_S2C], "aes128-gcm@openssh.com") == 0);
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
	    "aes128-gcm@openssh.com", 0), 0);
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
	{ "derive", t_derive },
	{ "list_has", t_list_has },
	{ NULL, NULL },
};
