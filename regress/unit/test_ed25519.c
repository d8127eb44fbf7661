/*
 * test_ed25519.c - crypto/sshkey.c: RFC 8032 and Wycheproof vectors through
 * the blob API, public and signature blob round trips and rejections, the
 * openssh-key-v1 format against a key written by ssh-keygen, public lines,
 * fingerprints and the base64 helpers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "crypto/sshkey.h"
#include "proto/buf.h"
#include "regress/unit/unittest.h"

/*
 * Written by `ssh-keygen -t ed25519 -N '' -C test` (OpenSSH 9.2p1); its
 * public line and `ssh-keygen -lf` fingerprint follow.
 */
static const char keygen_priv[] =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACCTjkfvMUqt/wgvp+muwhxJVCzmwkxlobrKO0Hu6leL6wAAAIjjFlTH4xZU\n"
    "xwAAAAtzc2gtZWQyNTUxOQAAACCTjkfvMUqt/wgvp+muwhxJVCzmwkxlobrKO0Hu6leL6w\n"
    "AAAEDjcd5owPnEJvrPg/Rfkz2lOcVnE5cPkg6cJlgikUm6BpOOR+8xSq3/CC+n6a7CHElU\n"
    "LObCTGWhuso7Qe7qV4vrAAAABHRlc3QB\n"
    "-----END OPENSSH PRIVATE KEY-----\n";
static const char keygen_pub[] =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJOOR+8xSq3/CC+n6a7CHElULObCTGWhuso7"
    "Qe7qV4vr test\n";
static const char keygen_fp[] =
    "SHA256:vzb9VMiHWYBvTwYOYKQuYq4eFb21UOs7eVF24AkizKo";
/* Offset of the check-ints in the decoded file (magic .. string priv). */
#define KEYGEN_CHECK_OFF	(15 + 8 + 8 + 4 + 4 + 4 + 51 + 4)

#define LINE_MAX_LEN	8192

/* ---- helpers ---- */

static FILE *
open_spec(const char *rel)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", ut_specs_dir(), rel);
	if ((f = fopen(path, "r")) == NULL)
		printf("#   cannot open %s\n", path);
	return f;
}

/* A key with secret sk (seed || pk) in sodium memory. */
static struct sshkey *
key_from_sk(const unsigned char sk[64])
{
	struct sshkey *k = sshkey_new();

	if (k == NULL)
		abort();
	k->type = KEY_ED25519;
	k->has_private = 1;
	memcpy(k->sk, sk, 64);
	memcpy(k->pk, sk + 32, 32);
	return k;
}

static void
put_sigblob(struct buf *b, const char *name, const unsigned char *sig,
    size_t n)
{
	CHECK_EQ(buf_put_cstring(b, name), 0);
	CHECK_EQ(buf_put_string(b, sig, n), 0);
}

static int
key_wiped(const struct sshkey *k)
{
	return k->type == KEY_UNSPEC && !k->has_private &&
	    sodium_is_zero(k->sk, sizeof(k->sk)) && k->comment[0] == '\0';
}

/* ---- RFC 8032 section 7.1, read from the RFC text ---- */

struct rfc_vec {
	unsigned char seed[32], pk[32], sig[64], msg[1024];
	size_t seedlen, pklen, siglen, msglen;
};

static void
rfc_check(const struct rfc_vec *v)
{
	unsigned char pk[32], sk[64];
	struct sshkey *k, *pub;
	struct buf sig, want;

	CHECK(v->seedlen == 32 && v->pklen == 32 && v->siglen == 64);
	crypto_sign_seed_keypair(pk, sk, v->seed);
	CHECK(memcmp(pk, v->pk, 32) == 0);
	k = key_from_sk(sk);
	pub = sshkey_new();
	buf_init(&sig, 0);
	buf_init(&want, 0);
	put_sigblob(&want, "ssh-ed25519", v->sig, 64);
	CHECK_EQ(sshkey_sign(k, v->msg, v->msglen, &sig), 0);
	CHECK(buf_len(&sig) == buf_len(&want) &&
	    memcmp(buf_ptr(&sig), buf_ptr(&want), buf_len(&want)) == 0);
	CHECK_EQ(buf_len(&want), 4 + 11 + 4 + 64);
	buf_reset(&sig);
	CHECK_EQ(sshkey_to_blob(k, &sig), 0);
	CHECK_EQ(sshkey_from_blob(buf_ptr(&sig), buf_len(&sig), pub), 0);
	CHECK_EQ(sshkey_verify(pub, buf_ptr(&want), buf_len(&want), v->msg,
	    v->msglen), 0);
	if (v->msglen > 0)
		CHECK_EQ(sshkey_verify(pub, buf_ptr(&want), buf_len(&want),
		    v->msg, v->msglen - 1), ERR_SIG);
	buf_free(&sig);
	buf_free(&want);
	sshkey_free(k);
	sshkey_free(pub);
	sodium_memzero(sk, sizeof(sk));
}

/* Append the hex on line to the field being read, if it is hex. */
static void
rfc_hex(const char *s, unsigned char *out, size_t *len, size_t max)
{
	size_t n = strspn(s, "0123456789abcdef");

	if (n == 0 || n % 2 != 0 || (s[n] != '\0' && s[n] != '\n'))
		return;
	if (*len + n / 2 > max) {
		CHECK(!"RFC 8032 field too long");
		return;
	}
	*len += ut_unhex(s, out + *len, max - *len);
}

static void
t_rfc8032(void)
{
	FILE *f = open_spec("rfc/rfc8032.txt");
	char line[LINE_MAX_LEN], *s;
	struct rfc_vec v;
	unsigned char *fo = NULL;
	size_t *fl = NULL, fmax = 0, nvec = 0, lens[8];
	int on = 0;

	if (!CHECK(f != NULL))
		return;
	memset(&v, 0, sizeof(v));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "7.2.", 4) == 0 && on)
			break;
		s = line + strspn(line, " ");
		if (strncmp(s, "-----", 5) == 0) {
			if (on && nvec < 8) {
				rfc_check(&v);
				lens[nvec++] = v.msglen;
			}
			on = strncmp(s, "-----TEST", 9) == 0 || on;
			memset(&v, 0, sizeof(v));
			fo = NULL;
		} else if (strncmp(s, "SECRET KEY:", 11) == 0) {
			fo = v.seed; fl = &v.seedlen; fmax = sizeof(v.seed);
		} else if (strncmp(s, "PUBLIC KEY:", 11) == 0) {
			fo = v.pk; fl = &v.pklen; fmax = sizeof(v.pk);
		} else if (strncmp(s, "MESSAGE", 7) == 0) {
			fo = v.msg; fl = &v.msglen; fmax = sizeof(v.msg);
		} else if (strncmp(s, "SIGNATURE:", 10) == 0) {
			fo = v.sig; fl = &v.siglen; fmax = sizeof(v.sig);
		} else if (strncmp(s, "ALGORITHM:", 10) == 0) {
			fo = NULL;
		} else if (fo != NULL && on)
			rfc_hex(s, fo, fl, fmax);
	}
	fclose(f);
	/* TEST 1, 2, 3, 1024 and SHA(abc), each checked at the next "-----". */
	CHECK_EQ(nvec, 5);
	CHECK(nvec == 5 && lens[0] == 0 && lens[1] == 1 && lens[2] == 2 &&
	    lens[3] == 1023 && lens[4] == 64);
}

/* ---- Wycheproof ed25519_test.json ---- */

struct wp_state {
	char pk[128], msg[LINE_MAX_LEN], sig[LINE_MAX_LEN], result[32];
	int ntests, nvalid, bad;
};

static void
wp_case(struct wp_state *w)
{
	unsigned char pk[64], *msg, *sig;
	size_t pklen, mlen, slen;
	struct sshkey k;
	struct buf blob;
	int valid = strcmp(w->result, "valid") == 0, ok;

	msg = malloc(sizeof(w->msg) / 2 + 1);
	sig = malloc(sizeof(w->sig) / 2 + 1);
	if (msg == NULL || sig == NULL)
		abort();
	pklen = ut_unhex(w->pk, pk, sizeof(pk));
	mlen = ut_unhex(w->msg, msg, sizeof(w->msg) / 2);
	slen = ut_unhex(w->sig, sig, sizeof(w->sig) / 2);
	buf_init(&blob, 0);
	CHECK_EQ(buf_put_cstring(&blob, "ssh-ed25519"), 0);
	CHECK_EQ(buf_put_string(&blob, pk, pklen), 0);
	ok = sshkey_from_blob(buf_ptr(&blob), buf_len(&blob), &k) == 0;
	buf_reset(&blob);
	put_sigblob(&blob, "ssh-ed25519", sig, slen);
	ok = ok && sshkey_verify(&k, buf_ptr(&blob), buf_len(&blob), msg,
	    mlen) == 0;
	if (ok != valid) {
		printf("#   wycheproof ed25519 test %d: expected %s\n",
		    w->ntests + 1, w->result);
		w->bad++;
	}
	w->ntests++;
	w->nvalid += valid;
	buf_free(&blob);
	free(msg);
	free(sig);
}

static void
t_wycheproof(void)
{
	FILE *f = open_spec("kat/wycheproof/ed25519_test.json");
	static struct wp_state w;
	static char line[2 * LINE_MAX_LEN];

	if (!CHECK(f != NULL))
		return;
	memset(&w, 0, sizeof(w));
	while (fgets(line, sizeof(line), f) != NULL) {
		CHECK(strlen(line) < sizeof(line) - 1);
		if (ut_json_str(line, "pk", w.pk, sizeof(w.pk)) ||
		    ut_json_str(line, "msg", w.msg, sizeof(w.msg)) ||
		    ut_json_str(line, "sig", w.sig, sizeof(w.sig)))
			continue;
		if (ut_json_str(line, "result", w.result, sizeof(w.result))) {
			wp_case(&w);
			w.msg[0] = w.sig[0] = '\0';
		}
	}
	fclose(f);
	CHECK_EQ(w.ntests, 151);	/* numberOfTests in the file */
	CHECK_EQ(w.nvalid, 88);
	CHECK_EQ(w.bad, 0);
}

/* ---- public blobs ---- */

static void
t_blob(void)
{
	static const char *names[] = { "ssh-ed25518", "ssh-rsa", "",
	    "ssh-ed25519 ", "SSH-ED25519" };
	struct sshkey *k = sshkey_new(), *p = sshkey_new(), *q = sshkey_new();
	unsigned char pk[40];
	struct buf b;
	size_t i, n;

	buf_init(&b, 0);
	CHECK_EQ(sshkey_generate(k, KEY_ED25519), 0);
	CHECK_EQ(sshkey_generate(q, KEY_ED25519), 0);
	CHECK_EQ(sshkey_generate(p, KEY_UNSPEC), ERR_KEYTYPE);
	CHECK_EQ(sshkey_to_blob(k, &b), 0);
	CHECK_EQ(buf_len(&b), 51);
	CHECK_EQ(sshkey_from_blob(buf_ptr(&b), buf_len(&b), p), 0);
	CHECK(p->type == KEY_ED25519 && !p->has_private);
	CHECK(sshkey_equal_public(k, p) == 1 && sshkey_equal_public(k, q) == 0);
	CHECK(strcmp(sshkey_type_name(p), "ssh-ed25519") == 0);
	CHECK(sshkey_type_from_name("ssh-ed25519") == KEY_ED25519);
	CHECK(sshkey_type_from_name("ssh-rsa") == KEY_UNSPEC);
	/* Every truncation and one trailing byte fail and wipe the key. */
	for (n = 0; n < buf_len(&b); n++) {
		*p = *k;
		CHECK(sshkey_from_blob(buf_ptr(&b), n, p) < 0 && key_wiped(p));
	}
	CHECK_EQ(buf_put_u8(&b, 0), 0);
	CHECK_EQ(sshkey_from_blob(buf_ptr(&b), buf_len(&b), p), ERR_TRAILING);
	CHECK(sshkey_equal_public(k, p) == 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		buf_reset(&b);
		CHECK_EQ(buf_put_cstring(&b, names[i]), 0);
		CHECK_EQ(buf_put_string(&b, k->pk, 32), 0);
		CHECK_EQ(sshkey_from_blob(buf_ptr(&b), buf_len(&b), p),
		    ERR_KEYTYPE);
	}
	memset(pk, 7, sizeof(pk));
	for (n = 30; n <= 34; n++) {
		buf_reset(&b);
		CHECK_EQ(buf_put_cstring(&b, "ssh-ed25519"), 0);
		CHECK_EQ(buf_put_string(&b, pk, n), 0);
		CHECK_EQ(sshkey_from_blob(buf_ptr(&b), buf_len(&b), p),
		    n == 32 ? 0 : ERR_FORMAT);
	}
	buf_free(&b);
	sshkey_free(k);
	sshkey_free(p);
	sshkey_free(q);
	sshkey_free(NULL);
}

/* ---- signature blobs ---- */

static void
t_sigblob(void)
{
	static const unsigned char msg[] = "exchange hash";
	struct sshkey *k = sshkey_new(), *o = sshkey_new(), pub;
	unsigned char sig[66];
	struct buf s, b;
	size_t n;

	buf_init(&s, 0);
	buf_init(&b, 0);
	CHECK_EQ(sshkey_generate(k, KEY_ED25519), 0);
	CHECK_EQ(sshkey_generate(o, KEY_ED25519), 0);
	CHECK_EQ(buf_put_u8(&s, 0xee), 0);	/* sign appends */
	CHECK_EQ(sshkey_sign(k, msg, sizeof(msg), &s), 0);
	CHECK_EQ(buf_consume(&s, 1), 0);
	CHECK_EQ(buf_len(&s), 83);
	CHECK_EQ(sshkey_verify(k, buf_ptr(&s), buf_len(&s), msg, sizeof(msg)),
	    0);
	CHECK_EQ(sshkey_verify(o, buf_ptr(&s), buf_len(&s), msg, sizeof(msg)),
	    ERR_SIG);
	CHECK_EQ(sshkey_verify(k, buf_ptr(&s), buf_len(&s), msg,
	    sizeof(msg) - 1), ERR_SIG);
	for (n = 0; n < buf_len(&s); n++)
		CHECK_EQ(sshkey_verify(k, buf_ptr(&s), n, msg, sizeof(msg)),
		    ERR_SIG);
	memcpy(sig, buf_ptr(&s) + 19, 64);
	sig[64] = sig[65] = 0;
	put_sigblob(&b, "ssh-ed25518", sig, 64);
	CHECK_EQ(sshkey_verify(k, buf_ptr(&b), buf_len(&b), msg, sizeof(msg)),
	    ERR_SIG);
	for (n = 62; n <= 66; n++) {
		buf_reset(&b);
		put_sigblob(&b, "ssh-ed25519", sig, n);
		CHECK_EQ(sshkey_verify(k, buf_ptr(&b), buf_len(&b), msg,
		    sizeof(msg)), n == 64 ? 0 : ERR_SIG);
	}
	buf_reset(&b);
	put_sigblob(&b, "ssh-ed25519", sig, 64);
	CHECK_EQ(buf_put_u8(&b, 0), 0);			/* trailing byte */
	CHECK_EQ(sshkey_verify(k, buf_ptr(&b), buf_len(&b), msg, sizeof(msg)),
	    ERR_SIG);
	sig[10] ^= 1;
	buf_reset(&b);
	put_sigblob(&b, "ssh-ed25519", sig, 64);
	CHECK_EQ(sshkey_verify(k, buf_ptr(&b), buf_len(&b), msg, sizeof(msg)),
	    ERR_SIG);
	/* A public-only key cannot sign; signing leaves out unchanged. */
	buf_reset(&b);
	CHECK_EQ(sshkey_to_blob(k, &b), 0);
	CHECK_EQ(sshkey_from_blob(buf_ptr(&b), buf_len(&b), &pub), 0);
	buf_reset(&b);
	CHECK_EQ(sshkey_sign(&pub, msg, sizeof(msg), &b), ERR_INTERNAL);
	CHECK_EQ(buf_len(&b), 0);
	CHECK_EQ(sshkey_verify(&pub, buf_ptr(&s), buf_len(&s), msg,
	    sizeof(msg)), 0);
	buf_free(&s);
	buf_free(&b);
	sshkey_free(k);
	sshkey_free(o);
}

/* ---- private key files ---- */

/* Decode the body of an armoured key file. */
static int
decode_file(const char *text, struct buf *raw)
{
	const char *b = strchr(text, '\n'), *e = strstr(text, "-----END");

	if (b == NULL || e == NULL)
		return ERR_FORMAT;
	return b64_decode(b, (size_t)(e - b), raw);
}

/* 1 if text has its line breaks where ref has them. */
static int
same_lines(const char *text, size_t len, const char *ref)
{
	size_t i;

	if (len != strlen(ref))
		return 0;
	for (i = 0; i < len; i++)
		if ((text[i] == '\n') != (ref[i] == '\n'))
			return 0;
	return 1;
}

static void
t_keygen_file(void)
{
	struct sshkey *k = sshkey_new(), *k2 = sshkey_new();
	char fp[64];
	unsigned char sk2[64], pk2[32];
	struct buf b, raw1, raw2;

	buf_init(&b, 0);
	buf_init(&raw1, 0);
	buf_init(&raw2, 0);
	CHECK_EQ(sshkey_parse_private(keygen_priv, strlen(keygen_priv), k), 0);
	CHECK(k->type == KEY_ED25519 && k->has_private);
	CHECK(strcmp(k->comment, "test") == 0);
	CHECK_EQ(sshkey_format_public(k, &b), 0);
	CHECK(buf_len(&b) == strlen(keygen_pub) &&
	    memcmp(buf_ptr(&b), keygen_pub, strlen(keygen_pub)) == 0);
	CHECK_EQ(sshkey_fingerprint(k, fp, sizeof(fp)), 0);
	CHECK(strcmp(fp, keygen_fp) == 0);
	/* The seed derives the key pair. */
	crypto_sign_seed_keypair(pk2, sk2, k->sk);
	CHECK(memcmp(pk2, k->pk, 32) == 0 && memcmp(sk2, k->sk, 64) == 0);
	/* Our file is ssh-keygen's, byte for byte, but for the check-ints. */
	buf_reset(&b);
	CHECK_EQ(sshkey_format_private(k, &b), 0);
	CHECK_EQ(buf_len(&b), strlen(keygen_priv));
	CHECK(same_lines((const char *)buf_ptr(&b), buf_len(&b), keygen_priv));
	CHECK_EQ(decode_file(keygen_priv, &raw1), 0);
	CHECK_EQ(buf_put_u8(&b, '\0'), 0);
	CHECK_EQ(decode_file((const char *)buf_ptr(&b), &raw2), 0);
	CHECK_EQ(buf_len(&raw1), buf_len(&raw2));
	if (CHECK(buf_len(&raw1) == 234 && buf_len(&raw2) == 234)) {
		CHECK(memcmp(buf_mptr(&raw1) + KEYGEN_CHECK_OFF,
		    buf_mptr(&raw1) + KEYGEN_CHECK_OFF + 4, 4) == 0);
		memset(buf_mptr(&raw1) + KEYGEN_CHECK_OFF, 0, 8);
		memset(buf_mptr(&raw2) + KEYGEN_CHECK_OFF, 0, 8);
		CHECK(memcmp(buf_ptr(&raw1), buf_ptr(&raw2), 234) == 0);
	}
	CHECK_EQ(sshkey_parse_private((const char *)buf_ptr(&b),
	    buf_len(&b) - 1, k2), 0);
	CHECK(memcmp(k, k2, sizeof(*k)) == 0);
	buf_free(&b);
	buf_free(&raw1);
	buf_free(&raw2);
	sodium_memzero(sk2, sizeof(sk2));
	sshkey_free(k);
	sshkey_free(k2);
}

/* A fresh key with every comment length around the limit. */
static void
t_roundtrip(void)
{
	struct sshkey *k = sshkey_new(), *k2 = sshkey_new();
	static const size_t clens[] = { 0, 1, 7, 8, 100, 255 };
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	CHECK_EQ(sshkey_generate(k, KEY_ED25519), 0);
	for (i = 0; i < sizeof(clens) / sizeof(clens[0]); i++) {
		memset(k->comment, 'c', clens[i]);
		k->comment[clens[i]] = '\0';
		buf_reset(&b);
		CHECK_EQ(sshkey_format_private(k, &b), 0);
		CHECK_EQ(sshkey_parse_private((const char *)buf_ptr(&b),
		    buf_len(&b), k2), 0);
		CHECK(memcmp(k, k2, sizeof(*k)) == 0);
	}
	memset(k->comment, 'c', sizeof(k->comment));	/* unterminated */
	buf_reset(&b);
	CHECK_EQ(sshkey_format_private(k, &b), ERR_FORMAT);
	CHECK_EQ(sshkey_format_public(k, &b), ERR_FORMAT);
	CHECK_EQ(buf_len(&b), 0);
	k->comment[0] = '\0';
	CHECK_EQ(sshkey_format_public(k, &b), 0);
	CHECK(buf_len(&b) == 12 + 68 + 1 && buf_ptr(&b)[80] == '\n' &&
	    buf_ptr(&b)[79] != ' ');
	k->has_private = 0;
	CHECK_EQ(sshkey_format_private(k, &b), ERR_INTERNAL);
	CHECK_EQ(buf_len(&b), 81);
	buf_free(&b);
	sshkey_free(k);
	sshkey_free(k2);
}

/* Variations of a hand-built key file and the code each must give. */
struct kf {
	const char *name;
	int want;
	const char *cipher, *kdf, *kdfopts, *pubname, *privname;
	uint32_t nkeys;
	int check_xor, sk_pk_flip, seed_flip, pk_flip, pad_bad, pad_none;
	int trailing, comment_len, comment_nul, priv_pklen;
};

static const struct kf kfs[] = {
	{ "good", 0, NULL, NULL, NULL, NULL, NULL, 1, 0,0,0,0,0,0,0,4,0,32 },
	{ "cipher", ERR_KEYTYPE, "aes256-ctr", "bcrypt", NULL, NULL, NULL,
	    1, 0,0,0,0,0,0,0,4,0,32 },
	{ "kdf", ERR_KEYTYPE, NULL, "bcrypt", NULL, NULL, NULL,
	    1, 0,0,0,0,0,0,0,4,0,32 },
	{ "kdfopts", ERR_FORMAT, NULL, NULL, "x", NULL, NULL,
	    1, 0,0,0,0,0,0,0,4,0,32 },
	{ "nkeys0", ERR_FORMAT, NULL, NULL, NULL, NULL, NULL,
	    0, 0,0,0,0,0,0,0,4,0,32 },
	{ "nkeys2", ERR_FORMAT, NULL, NULL, NULL, NULL, NULL,
	    2, 0,0,0,0,0,0,0,4,0,32 },
	{ "pubname", ERR_KEYTYPE, NULL, NULL, NULL, "ssh-rsa", NULL,
	    1, 0,0,0,0,0,0,0,4,0,32 },
	{ "privname", ERR_KEYTYPE, NULL, NULL, NULL, NULL, "ssh-dss",
	    1, 0,0,0,0,0,0,0,4,0,32 },
	{ "checkint", ERR_FORMAT, NULL, NULL, NULL, NULL, NULL,
	    1, 1,0,0,0,0,0,0,4,0,32 },
	{ "skpk", ERR_FORMAT, NULL, NULL, NULL, NULL, NULL,
	    1, 0,1,0,0,0,0,0,4,0,32 },
	{ "seed", ERR_FORMAT, NULL, NULL, NULL, NULL, NULL,
	    1, 0,0,1,0,0,0,0,4,0,32 },
	{ "pkmismatch", ERR_FORMAT, NULL, NULL, NULL, NULL, NULL,
	    1, 0,0,0,1,0,0,0,4,0,32 },
	{ "privpklen", ERR_FORMAT, NULL, NULL, NULL, NULL, NULL,
	    1, 0,0,0,0,0,0,0,4,0,31 },
	{ "padbad", ERR_FORMAT, NULL, NULL, NULL, NULL, NULL,
	    1, 0,0,0,0,1,0,0,4,0,32 },
	{ "padnone", ERR_FORMAT, NULL, NULL, NULL, NULL, NULL,
	    1, 0,0,0,0,0,1,0,4,0,32 },
	{ "trailing", ERR_TRAILING, NULL, NULL, NULL, NULL, NULL,
	    1, 0,0,0,0,0,0,1,4,0,32 },
	{ "comment255", 0, NULL, NULL, NULL, NULL, NULL,
	    1, 0,0,0,0,0,0,0,255,0,32 },
	{ "comment256", ERR_LENGTH, NULL, NULL, NULL, NULL, NULL,
	    1, 0,0,0,0,0,0,0,256,0,32 },
	{ "commentnul", ERR_NUL, NULL, NULL, NULL, NULL, NULL,
	    1, 0,0,0,0,0,0,0,4,1,32 },
};

static void
kf_private(const struct kf *v, const struct sshkey *k, struct buf *p)
{
	unsigned char sk[64], pk[32], comment[300];
	uint8_t i;

	memcpy(sk, k->sk, 64);
	memcpy(pk, k->pk, 32);
	sk[40] ^= v->sk_pk_flip;
	sk[3] ^= v->seed_flip;
	pk[0] ^= v->pk_flip;
	memset(comment, 'x', sizeof(comment));
	comment[1] = v->comment_nul ? '\0' : 'x';
	CHECK_EQ(buf_put_u32(p, 0x11223344), 0);
	CHECK_EQ(buf_put_u32(p, 0x11223344 ^ v->check_xor), 0);
	CHECK_EQ(buf_put_cstring(p, v->privname ? v->privname : "ssh-ed25519"),
	    0);
	CHECK_EQ(buf_put_string(p, pk, v->priv_pklen), 0);
	CHECK_EQ(buf_put_string(p, sk, 64), 0);
	CHECK_EQ(buf_put_string(p, comment, v->comment_len), 0);
	for (i = 1; buf_len(p) % 8 != 0; i++)
		CHECK_EQ(buf_put_u8(p, v->pad_bad && i == 1 ? 9 : i), 0);
	if (v->pad_none)
		CHECK_EQ(buf_consume_end(p, 1), 0);	/* length % 8 != 0 */
	sodium_memzero(sk, sizeof(sk));
}

/* The armoured key file of variation v for key k into text. */
static void
kf_build(const struct kf *v, const struct sshkey *k, struct buf *text)
{
	struct buf raw, priv, b64;
	size_t off, n;

	buf_init(&raw, 0);
	buf_init(&priv, 0);
	buf_init(&b64, 0);
	kf_private(v, k, &priv);
	CHECK_EQ(buf_put(&raw, "openssh-key-v1", 15), 0);
	CHECK_EQ(buf_put_cstring(&raw, v->cipher ? v->cipher : "none"), 0);
	CHECK_EQ(buf_put_cstring(&raw, v->kdf ? v->kdf : "none"), 0);
	CHECK_EQ(buf_put_cstring(&raw, v->kdfopts ? v->kdfopts : ""), 0);
	CHECK_EQ(buf_put_u32(&raw, v->nkeys), 0);
	CHECK_EQ(buf_put_u32(&raw, 51), 0);
	CHECK_EQ(buf_put_cstring(&raw, v->pubname ? v->pubname : "ssh-ed25519"),
	    0);
	CHECK_EQ(buf_put_string(&raw, k->pk, 32), 0);
	CHECK_EQ(buf_put_stringb(&raw, &priv), 0);
	if (v->trailing)
		CHECK_EQ(buf_put_u8(&raw, 0), 0);
	CHECK_EQ(b64_encode(buf_ptr(&raw), buf_len(&raw), &b64), 0);
	CHECK_EQ(buf_put(text, "-----BEGIN OPENSSH PRIVATE KEY-----\r\n", 37), 0);
	for (off = 0; off < buf_len(&b64); off += n) {
		n = buf_len(&b64) - off < 64 ? buf_len(&b64) - off : 64;
		CHECK_EQ(buf_put(text, buf_ptr(&b64) + off, n), 0);
		CHECK_EQ(buf_put(text, "\r\n", 2), 0);
	}
	CHECK_EQ(buf_put(text, "-----END OPENSSH PRIVATE KEY-----\r\n\n", 36), 0);
	buf_free(&raw);
	buf_free(&priv);
	buf_free(&b64);
}

static void
t_file_variants(void)
{
	struct sshkey *k = sshkey_new(), *k2 = sshkey_new();
	struct buf text;
	size_t i;
	int r;

	buf_init(&text, 0);
	CHECK_EQ(sshkey_generate(k, KEY_ED25519), 0);
	for (i = 0; i < sizeof(kfs) / sizeof(kfs[0]); i++) {
		buf_reset(&text);
		kf_build(&kfs[i], k, &text);
		r = sshkey_parse_private((const char *)buf_ptr(&text),
		    buf_len(&text), k2);
		if (!CHECK_EQ(r, kfs[i].want))
			printf("#   variant %s gave %d\n", kfs[i].name, r);
		CHECK(r != 0 ? key_wiped(k2) : memcmp(k->sk, k2->sk, 64) == 0);
	}
	buf_free(&text);
	sshkey_free(k);
	sshkey_free(k2);
}

/* Damaged armour and text: every prefix, bad characters, extra text. */
static void
t_file_text(void)
{
	struct sshkey *k = sshkey_new();
	size_t len = strlen(keygen_priv), n;
	char *t = malloc(len + 16);

	if (t == NULL)
		abort();
	for (n = 0; n + 1 < len; n++)
		CHECK(sshkey_parse_private(keygen_priv, n, k) < 0 &&
		    key_wiped(k));
	CHECK_EQ(sshkey_parse_private(keygen_priv, len - 1, k), 0);
	memcpy(t, keygen_priv, len + 1);
	t[50] = '*';
	CHECK_EQ(sshkey_parse_private(t, len, k), ERR_FORMAT);
	t[50] = '\0';
	CHECK_EQ(sshkey_parse_private(t, len, k), ERR_FORMAT);
	memcpy(t + 50, " \t", 2);	/* whitespace inside the base64 is fine */
	memcpy(t + 52, keygen_priv + 50, len - 50);
	CHECK_EQ(sshkey_parse_private(t, len + 2, k), 0);
	memcpy(t, keygen_priv, len);
	memcpy(t + len, "junk\n", 6);
	CHECK_EQ(sshkey_parse_private(t, len + 5, k), ERR_FORMAT);
	memcpy(t, keygen_priv, len);
	t[3] = 'b';
	CHECK_EQ(sshkey_parse_private(t, len, k), ERR_FORMAT);
	memcpy(t, keygen_priv, len);
	t[35] = ' ';		/* BEGIN line must end there */
	CHECK_EQ(sshkey_parse_private(t, len, k), ERR_FORMAT);
	CHECK_EQ(sshkey_parse_private(keygen_pub, strlen(keygen_pub), k),
	    ERR_FORMAT);
	free(t);
	sshkey_free(k);
}

/* ---- public lines, fingerprints, base64 ---- */

static void
t_fingerprint(void)
{
	struct sshkey *k = sshkey_new();
	char fp[51];

	CHECK_EQ(sshkey_fingerprint(k, fp, sizeof(fp)), ERR_KEYTYPE);
	CHECK_EQ(sshkey_parse_private(keygen_priv, strlen(keygen_priv), k), 0);
	CHECK_EQ(sshkey_fingerprint(k, fp, 50), ERR_LENGTH);
	CHECK_EQ(fp[0], '\0');
	CHECK_EQ(sshkey_fingerprint(k, fp, sizeof(fp)), 0);
	CHECK(strcmp(fp, keygen_fp) == 0);
	sshkey_free(k);
}

static void
t_base64(void)
{
	static const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba",
	    "foobar" };
	static const char *enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
	    "Zm9vYmE=", "Zm9vYmFy" };
	static const char *bad[] = { "Zg=", "Zg===", "Zh==", "Zm9v*", "Zm9v-_",
	    "Z", "Zm9vY", "=Zg=", "Zm8=Zm8=", "Zm\0v" };
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		buf_reset(&b);
		CHECK_EQ(b64_encode((const unsigned char *)plain[i],
		    strlen(plain[i]), &b), 0);
		CHECK(buf_len(&b) == strlen(enc[i]) &&
		    memcmp(buf_ptr(&b), enc[i], buf_len(&b)) == 0);
		buf_reset(&b);
		CHECK_EQ(b64_decode(enc[i], strlen(enc[i]), &b), 0);
		CHECK(buf_len(&b) == strlen(plain[i]) &&
		    memcmp(buf_ptr(&b), plain[i], buf_len(&b)) == 0);
	}
	buf_reset(&b);
	CHECK_EQ(b64_decode(" Zm9v\r\nYmF\ty \n", 14, &b), 0);
	CHECK(buf_len(&b) == 6 && memcmp(buf_ptr(&b), "foobar", 6) == 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&b);
		CHECK_EQ(buf_put_u8(&b, 'x'), 0);
		CHECK_EQ(b64_decode(bad[i], i == 9 ? 4 : strlen(bad[i]), &b),
		    ERR_FORMAT);
		CHECK_EQ(buf_len(&b), 1);	/* unchanged on failure */
	}
	buf_free(&b);
}

const struct ut_case ed25519_cases[] = {
	{ "rfc8032", t_rfc8032 },
	{ "wycheproof", t_wycheproof },
	{ "blob", t_blob },
	{ "sigblob", t_sigblob },
	{ "keygen_file", t_keygen_file },
	{ "roundtrip", t_roundtrip },
	{ "file_variants", t_file_variants },
	{ "file_text", t_file_text },
	{ "fingerprint", t_fingerprint },
	{ "base64", t_base64 },
	{ NULL, NULL },
};
