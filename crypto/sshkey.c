/*
 * sshkey.c - Ed25519 keys over libsodium: public and signature blobs,
 * openssh-key-v1 private key files, public key lines, fingerprints and the
 * base64 helpers they need (formats in sshkey.h and PROTOCOL.key).
 *
 * Parsers take bytes and a length and fill a caller-owned struct sshkey.  On
 * failure that struct is wiped to all zero (type KEY_UNSPEC), so no half-
 * parsed secret is left behind.  Writers append to a struct buf; on failure
 * whatever they appended is wiped and dropped again.  Temporaries that held
 * private key bytes are struct bufs, which wipe on free, or are wiped here.
 * Nothing in this file logs, exits or keeps state between calls.
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "crypto/sshkey.h"
#include "proto/buf.h"

#define ED25519_NAME	"ssh-ed25519"
#define ED25519_PK_LEN	32
#define ED25519_SK_LEN	64
#define ED25519_SIG_LEN	64

#define AUTH_MAGIC	"openssh-key-v1"	/* sizeof() counts its NUL */
#define MARK_BEGIN	"-----BEGIN OPENSSH PRIVATE KEY-----"
#define MARK_END	"-----END OPENSSH PRIVATE KEY-----"
#define PRIV_BLOCK	8		/* block size of cipher "none" */
#define B64_LINE	70		/* base64 characters per armour line */
#define KEYFILE_MAX	(64u * 1024)	/* bound on a decoded key file */

#define FP_PREFIX	"SHA256:"
#define B64_ORIG	sodium_base64_VARIANT_ORIGINAL
#define B64_NOPAD	sodium_base64_VARIANT_ORIGINAL_NO_PADDING
#define B64_IGNORE	" \t\r\n"

_Static_assert(sizeof(((struct sshkey *)0)->pk) == ED25519_PK_LEN, "pk");
_Static_assert(sizeof(((struct sshkey *)0)->sk) == ED25519_SK_LEN, "sk");
_Static_assert(crypto_sign_PUBLICKEYBYTES == ED25519_PK_LEN, "sodium pk");
_Static_assert(crypto_sign_SECRETKEYBYTES == ED25519_SK_LEN, "sodium sk");
_Static_assert(crypto_sign_BYTES == ED25519_SIG_LEN, "sodium sig");

/* ---- small helpers ---- */

static int
sodium_ready(void)
{
	return sodium_init() < 0 ? ERR_CRYPTO : 0;
}

static void
key_clear(struct sshkey *k)
{
	wipe(k, sizeof(*k));
}

/* 1 if the n bytes at p are exactly the C string s. */
static int
str_eq(const unsigned char *p, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(p, s, n) == 0;
}

/* Wipe and drop what was appended to out after its first keep bytes. */
static int
undo_append(struct buf *out, size_t keep, int r)
{
	unsigned char *p = buf_mptr(out);
	size_t extra = buf_len(out) - keep;

	if (p != NULL && extra > 0) {
		wipe(p + keep, extra);
		buf_consume_end(out, extra);
	}
	return r;
}

/* Length of k's comment; ERR_FORMAT if it is not NUL-terminated. */
static int
comment_len(const struct sshkey *k, size_t *n)
{
	*n = strnlen(k->comment, sizeof(k->comment));
	return *n < sizeof(k->comment) ? 0 : ERR_FORMAT;
}

/* ---- key objects ---- */

struct sshkey *
sshkey_new(void)
{
	struct sshkey *k;

	if (sodium_ready() != 0 || (k = sodium_malloc(sizeof(*k))) == NULL)
		return NULL;
	key_clear(k);
	return k;
}

void
sshkey_free(struct sshkey *k)
{
	if (k == NULL)
		return;
	key_clear(k);
	sodium_free(k);
}

const char *
sshkey_type_name(const struct sshkey *k)
{
	return k != NULL && k->type == KEY_ED25519 ? ED25519_NAME : NULL;
}

enum sshkey_type
sshkey_type_from_name(const char *name)
{
	if (name != NULL && strcmp(name, ED25519_NAME) == 0)
		return KEY_ED25519;
	return KEY_UNSPEC;
}

/*
 * sshkey_generate - a fresh random key pair with an empty comment in k.
 * ERR_KEYTYPE for any type but KEY_ED25519, ERR_CRYPTO if libsodium fails
 * (k is wiped then).
 */
int
sshkey_generate(struct sshkey *k, enum sshkey_type type)
{
	if (type != KEY_ED25519)
		return ERR_KEYTYPE;
	key_clear(k);
	if (sodium_ready() != 0 || crypto_sign_keypair(k->pk, k->sk) != 0) {
		key_clear(k);
		return ERR_CRYPTO;
	}
	k->type = KEY_ED25519;
	k->has_private = 1;
	return 0;
}

/* ---- public blobs ---- */

/* Read string "ssh-ed25519", string pk[32] from b. */
static int
get_ed25519_public(struct buf *b, unsigned char pk[ED25519_PK_LEN])
{
	const unsigned char *p;
	size_t n;
	int r;

	if ((r = buf_get_sview(b, &p, &n)) != 0)
		return r;
	if (!str_eq(p, n, ED25519_NAME))
		return ERR_KEYTYPE;
	if ((r = buf_get_sview(b, &p, &n)) != 0)
		return r;
	if (n != ED25519_PK_LEN)
		return ERR_FORMAT;
	memcpy(pk, p, ED25519_PK_LEN);
	return 0;
}

/* Append the public blob of k (an Ed25519 key) to b. */
static int
put_blob(const struct sshkey *k, struct buf *b)
{
	int r;

	if ((r = buf_put_cstring(b, ED25519_NAME)) != 0)
		return r;
	return buf_put_string(b, k->pk, ED25519_PK_LEN);
}

/*
 * sshkey_from_blob - k becomes the public key in blob (no private part, no
 * comment).  ERR_KEYTYPE for another algorithm name, ERR_FORMAT for a wrong
 * key size, ERR_TRAILING for bytes after it, ERR_SHORT / ERR_LENGTH for a
 * truncated blob.  On failure k is wiped.
 */
int
sshkey_from_blob(const unsigned char *blob, size_t len, struct sshkey *k)
{
	struct buf b;
	int r;

	key_clear(k);
	buf_view(&b, blob, len);
	if ((r = get_ed25519_public(&b, k->pk)) == 0 && buf_len(&b) != 0)
		r = ERR_TRAILING;
	if (r != 0) {
		key_clear(k);
		return r;
	}
	k->type = KEY_ED25519;
	return 0;
}

/* sshkey_to_blob - append k's public blob; ERR_KEYTYPE if k is no key. */
int
sshkey_to_blob(const struct sshkey *k, struct buf *out)
{
	size_t keep = buf_len(out);
	int r;

	if (k->type != KEY_ED25519)
		return ERR_KEYTYPE;
	if ((r = put_blob(k, out)) != 0)
		return undo_append(out, keep, r);
	return 0;
}

int
sshkey_equal_public(const struct sshkey *a, const struct sshkey *b)
{
	if (a->type != KEY_ED25519 || b->type != KEY_ED25519)
		return 0;
	return sodium_memcmp(a->pk, b->pk, ED25519_PK_LEN) == 0;
}

/* ---- signatures ---- */

/*
 * sshkey_sign - append string "ssh-ed25519", string sig[64] to out.
 * ERR_KEYTYPE if k is no Ed25519 key, ERR_INTERNAL if it has no private
 * part (a caller bug), ERR_CRYPTO, or a buffer error (out unchanged).
 */
int
sshkey_sign(const struct sshkey *k, const unsigned char *data, size_t dlen,
    struct buf *out)
{
	unsigned char sig[ED25519_SIG_LEN];
	size_t keep = buf_len(out);
	int r;

	if (k->type != KEY_ED25519)
		return ERR_KEYTYPE;
	if (!k->has_private)
		return ERR_INTERNAL;
	if (crypto_sign_detached(sig, NULL, data, dlen, k->sk) != 0)
		return ERR_CRYPTO;
	if ((r = buf_put_cstring(out, ED25519_NAME)) != 0 ||
	    (r = buf_put_string(out, sig, sizeof(sig))) != 0)
		undo_append(out, keep, r);
	wipe(sig, sizeof(sig));
	return r;
}

/*
 * sshkey_verify - 0 only for exactly string "ssh-ed25519", string sig[64]
 * and nothing more, with sig valid for data under k (libsodium's strict
 * checks: canonical S, no small-order R or key).  ERR_SIG otherwise;
 * ERR_KEYTYPE if k is no Ed25519 key.
 */
int
sshkey_verify(const struct sshkey *k, const unsigned char *sig,
    size_t siglen, const unsigned char *data, size_t dlen)
{
	struct buf b;
	const unsigned char *name, *s;
	size_t nlen, slen;

	if (k->type != KEY_ED25519)
		return ERR_KEYTYPE;
	buf_view(&b, sig, siglen);
	if (buf_get_sview(&b, &name, &nlen) != 0 ||
	    !str_eq(name, nlen, ED25519_NAME) ||
	    buf_get_sview(&b, &s, &slen) != 0 || slen != ED25519_SIG_LEN ||
	    buf_len(&b) != 0)
		return ERR_SIG;
	if (crypto_sign_verify_detached(s, data, dlen, k->pk) != 0)
		return ERR_SIG;
	return 0;
}

/* ---- base64 ---- */

/* Append base64 of in (no NUL) in the given libsodium variant. */
static int
b64_put(const unsigned char *in, size_t len, struct buf *out, int variant)
{
	unsigned char *dst;
	size_t elen;
	int r;

	if (len > SIZE_MAX / 2)
		return ERR_LENGTH;
	elen = sodium_base64_ENCODED_LEN(len, variant);	/* counts the NUL */
	if ((r = buf_reserve(out, elen, &dst)) != 0)
		return r;
	sodium_bin2base64((char *)dst, elen, in, len, variant);
	return buf_consume_end(out, 1);
}

/*
 * b64_encode - append the padded base64 text of in (no NUL, no line
 * breaks) to out.  ERR_LENGTH if it does not fit; out unchanged then.
 */
int
b64_encode(const unsigned char *in, size_t len, struct buf *out)
{
	return b64_put(in, len, out, B64_ORIG);
}

/*
 * b64_decode - append the bytes that the padded base64 text in[0..len)
 * encodes to out.  Spaces, tabs, CR and LF anywhere are skipped; any other
 * character outside the alphabet, a NUL, wrong padding or non-zero spare
 * bits give ERR_FORMAT; ERR_LENGTH if out cannot grow.  On failure out is
 * unchanged (the partial output is wiped).
 */
int
b64_decode(const char *in, size_t len, struct buf *out)
{
	unsigned char *dst;
	size_t max = len / 4 * 3 + 3, n = 0;
	int r;

	if (len == 0)
		return 0;
	/* libsodium treats NUL as one of the ignored characters. */
	if (memchr(in, '\0', len) != NULL)
		return ERR_FORMAT;
	if ((r = buf_reserve(out, max, &dst)) != 0)
		return r;
	if (sodium_base642bin(dst, max, in, len, B64_IGNORE, &n, NULL,
	    B64_ORIG) != 0) {
		wipe(dst, max);
		buf_consume_end(out, max);
		return ERR_FORMAT;
	}
	wipe(dst + n, max - n);
	return buf_consume_end(out, max - n);
}

/* ---- openssh-key-v1 parsing ---- */

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* First occurrence of the C string mark in p[0..len), or NULL. */
static const char *
find_mark(const char *p, size_t len, const char *mark)
{
	size_t m = strlen(mark), i;

	for (i = 0; len >= m && i <= len - m; i++)
		if (memcmp(p + i, mark, m) == 0)
			return p + i;
	return NULL;
}

/*
 * Decode the body of "BEGIN\n base64 lines \nEND" into raw.  The text must
 * start with the BEGIN line; only whitespace may follow the END line.
 */
static int
dearmour(const char *text, size_t len, struct buf *raw)
{
	const size_t blen = strlen(MARK_BEGIN), elen = strlen(MARK_END);
	const char *body, *end, *p;

	if (len < blen || memcmp(text, MARK_BEGIN, blen) != 0)
		return ERR_FORMAT;
	body = text + blen;
	if ((end = find_mark(body, len - blen, MARK_END)) == NULL)
		return ERR_FORMAT;
	if (end == body || (body[0] != '\n' && body[0] != '\r') ||
	    end[-1] != '\n')
		return ERR_FORMAT;
	for (p = end + elen; p < text + len; p++)
		if (!is_space(*p))
			return ERR_FORMAT;
	return b64_decode(body, (size_t)(end - body), raw);
}

/* The seed half of sk must derive pk, and the pk half must be pk. */
static int
check_secret(const unsigned char *sk, const unsigned char *pk)
{
	unsigned char dpk[ED25519_PK_LEN], dsk[ED25519_SK_LEN];
	int r = 0;

	if (crypto_sign_seed_keypair(dpk, dsk, sk) != 0)
		r = ERR_CRYPTO;
	else if (sodium_memcmp(dpk, pk, ED25519_PK_LEN) != 0 ||
	    sodium_memcmp(sk + 32, pk, ED25519_PK_LEN) != 0)
		r = ERR_FORMAT;
	wipe(dsk, sizeof(dsk));
	wipe(dpk, sizeof(dpk));
	return r;
}

/* string comment: at most sizeof(k->comment) - 1 bytes, no NUL. */
static int
get_comment(struct buf *b, struct sshkey *k)
{
	const unsigned char *p;
	size_t n;
	int r;

	if ((r = buf_get_sview(b, &p, &n)) != 0)
		return r;
	if (n >= sizeof(k->comment))
		return ERR_LENGTH;
	if (n > 0 && memchr(p, '\0', n) != NULL)
		return ERR_NUL;
	memcpy(k->comment, p, n);
	k->comment[n] = '\0';
	return 0;
}

/* The rest of b must be the padding bytes 1, 2, 3, ... */
static int
check_padding(struct buf *b)
{
	uint8_t c, i;
	int r;

	for (i = 1; buf_len(b) > 0; i++) {
		if ((r = buf_get_u8(b, &c)) != 0)
			return r;
		if (c != i)
			return ERR_FORMAT;
	}
	return 0;
}

/* The unencrypted private section; k->pk is already set from the header. */
static int
parse_private_section(struct buf *b, struct sshkey *k)
{
	unsigned char pk[ED25519_PK_LEN];
	const unsigned char *sk;
	uint32_t check1, check2;
	size_t n;
	int r;

	if (buf_len(b) % PRIV_BLOCK != 0)
		return ERR_FORMAT;
	if ((r = buf_get_u32(b, &check1)) != 0 ||
	    (r = buf_get_u32(b, &check2)) != 0)
		return r;
	if (check1 != check2)
		return ERR_FORMAT;
	if ((r = get_ed25519_public(b, pk)) != 0)
		return r;
	if (sodium_memcmp(pk, k->pk, ED25519_PK_LEN) != 0)
		return ERR_FORMAT;
	if ((r = buf_get_sview(b, &sk, &n)) != 0)
		return r;
	if (n != ED25519_SK_LEN)
		return ERR_FORMAT;
	if ((r = check_secret(sk, k->pk)) != 0)
		return r;
	memcpy(k->sk, sk, ED25519_SK_LEN);
	if ((r = get_comment(b, k)) != 0 || (r = check_padding(b)) != 0)
		return r;
	k->has_private = 1;
	return 0;
}

/* string s that must equal the C string want, else error bad. */
static int
expect_string(struct buf *b, const char *want, int bad)
{
	const unsigned char *p;
	size_t n;
	int r;

	if ((r = buf_get_sview(b, &p, &n)) != 0)
		return r;
	return str_eq(p, n, want) ? 0 : bad;
}

/* The decoded key file: header, one public key, the private section. */
static int
parse_keyfile(struct buf *b, struct sshkey *k)
{
	unsigned char magic[sizeof(AUTH_MAGIC)];
	const unsigned char *p;
	size_t n;
	uint32_t nkeys;
	struct buf priv;
	int r;

	if ((r = buf_get(b, magic, sizeof(magic))) != 0)
		return r;
	if (memcmp(magic, AUTH_MAGIC, sizeof(magic)) != 0)
		return ERR_FORMAT;
	if ((r = expect_string(b, "none", ERR_KEYTYPE)) != 0 ||	/* cipher */
	    (r = expect_string(b, "none", ERR_KEYTYPE)) != 0 ||	/* kdf */
	    (r = expect_string(b, "", ERR_FORMAT)) != 0 ||	/* kdf opts */
	    (r = buf_get_u32(b, &nkeys)) != 0)
		return r;
	if (nkeys != 1)
		return ERR_FORMAT;
	if ((r = buf_get_sview(b, &p, &n)) != 0 ||
	    (r = sshkey_from_blob(p, n, k)) != 0 ||
	    (r = buf_get_subbuf(b, &priv)) != 0)
		return r;
	if (buf_len(b) != 0)
		return ERR_TRAILING;
	return parse_private_section(&priv, k);
}

/*
 * sshkey_parse_private - k becomes the key in the openssh-key-v1 text.
 * ERR_KEYTYPE for an encrypted file or another key type; ERR_FORMAT for bad
 * armour, base64, magic, check-ints, padding or a secret half that does not
 * match the public key; ERR_SHORT / ERR_LENGTH / ERR_TRAILING / ERR_NUL for
 * bad framing.  On failure k is wiped.
 */
int
sshkey_parse_private(const char *text, size_t len, struct sshkey *k)
{
	struct buf raw;
	int r;

	key_clear(k);
	if ((r = sodium_ready()) != 0)
		return r;
	buf_init(&raw, KEYFILE_MAX);
	if ((r = dearmour(text, len, &raw)) == 0)
		r = parse_keyfile(&raw, k);
	buf_free(&raw);
	if (r != 0)
		key_clear(k);
	return r;
}

/* ---- openssh-key-v1 writing ---- */

/* check-ints, key, comment, padding to PRIV_BLOCK. */
static int
put_private_section(const struct sshkey *k, size_t clen, struct buf *b)
{
	uint32_t check = randombytes_random();
	uint8_t pad;
	int r;

	if ((r = buf_put_u32(b, check)) != 0 ||
	    (r = buf_put_u32(b, check)) != 0 ||
	    (r = put_blob(k, b)) != 0 ||
	    (r = buf_put_string(b, k->sk, ED25519_SK_LEN)) != 0 ||
	    (r = buf_put_string(b, k->comment, clen)) != 0)
		return r;
	for (pad = 1; buf_len(b) % PRIV_BLOCK != 0; pad++)
		if ((r = buf_put_u8(b, pad)) != 0)
			return r;
	return 0;
}

/* magic, cipher and kdf "none", one key: blob, then the private section. */
static int
put_keyfile_parts(struct buf *b, const struct buf *blob,
    const struct buf *priv)
{
	int r;

	if ((r = buf_put(b, AUTH_MAGIC, sizeof(AUTH_MAGIC))) != 0 ||
	    (r = buf_put_cstring(b, "none")) != 0 ||
	    (r = buf_put_cstring(b, "none")) != 0 ||
	    (r = buf_put_cstring(b, "")) != 0 ||
	    (r = buf_put_u32(b, 1)) != 0 ||
	    (r = buf_put_stringb(b, blob)) != 0)
		return r;
	return buf_put_stringb(b, priv);
}

/* The binary openssh-key-v1 file for k, appended to b. */
static int
put_keyfile(const struct sshkey *k, size_t clen, struct buf *b)
{
	struct buf blob, priv;
	int r;

	buf_init(&blob, 0);
	buf_init(&priv, KEYFILE_MAX);
	if ((r = put_blob(k, &blob)) == 0 &&
	    (r = put_private_section(k, clen, &priv)) == 0)
		r = put_keyfile_parts(b, &blob, &priv);
	buf_free(&blob);
	buf_free(&priv);
	return r;
}

/* Armour raw: BEGIN line, base64 in lines of B64_LINE, END line. */
static int
put_armoured(const struct buf *raw, struct buf *out)
{
	struct buf b64;
	size_t off, n, total;
	int r;

	buf_init(&b64, 0);
	if ((r = b64_encode(buf_ptr(raw), buf_len(raw), &b64)) != 0 ||
	    (r = buf_put(out, MARK_BEGIN "\n", strlen(MARK_BEGIN) + 1)) != 0)
		goto out;
	total = buf_len(&b64);
	for (off = 0; off < total; off += n) {
		n = total - off < B64_LINE ? total - off : B64_LINE;
		if ((r = buf_put(out, buf_ptr(&b64) + off, n)) != 0 ||
		    (r = buf_put_u8(out, '\n')) != 0)
			goto out;
	}
	r = buf_put(out, MARK_END "\n", strlen(MARK_END) + 1);
out:
	buf_free(&b64);
	return r;
}

/*
 * sshkey_format_private - append k as an unencrypted openssh-key-v1 file,
 * the bytes `ssh-keygen -t ed25519 -N ''` writes (random check-int).
 * ERR_KEYTYPE if k is no Ed25519 key, ERR_INTERNAL without a private part,
 * ERR_FORMAT for an unterminated comment, buffer errors (out unchanged).
 */
int
sshkey_format_private(const struct sshkey *k, struct buf *out)
{
	struct buf raw;
	size_t keep = buf_len(out), clen;
	int r;

	if (k->type != KEY_ED25519)
		return ERR_KEYTYPE;
	if (!k->has_private)
		return ERR_INTERNAL;
	if ((r = comment_len(k, &clen)) != 0)
		return r;
	buf_init(&raw, KEYFILE_MAX);
	if ((r = put_keyfile(k, clen, &raw)) == 0)
		r = put_armoured(&raw, out);
	buf_free(&raw);
	return r != 0 ? undo_append(out, keep, r) : 0;
}

/* ---- public lines and fingerprints ---- */

/*
 * sshkey_format_public - append "ssh-ed25519 BASE64[ comment]\n".
 * ERR_KEYTYPE, ERR_FORMAT (unterminated comment) or a buffer error (out
 * unchanged).
 */
int
sshkey_format_public(const struct sshkey *k, struct buf *out)
{
	struct buf blob;
	size_t keep = buf_len(out), clen;
	int r;

	if (k->type != KEY_ED25519)
		return ERR_KEYTYPE;
	if ((r = comment_len(k, &clen)) != 0)
		return r;
	buf_init(&blob, 0);
	if ((r = put_blob(k, &blob)) != 0 ||
	    (r = buf_put(out, ED25519_NAME " ", strlen(ED25519_NAME) + 1)) != 0 ||
	    (r = b64_encode(buf_ptr(&blob), buf_len(&blob), out)) != 0)
		goto out;
	if (clen > 0 && ((r = buf_put_u8(out, ' ')) != 0 ||
	    (r = buf_put(out, k->comment, clen)) != 0))
		goto out;
	r = buf_put_u8(out, '\n');
out:
	buf_free(&blob);
	return r != 0 ? undo_append(out, keep, r) : 0;
}

/*
 * sshkey_fingerprint - "SHA256:" + unpadded base64 of SHA-256(blob) with a
 * NUL into out (51 bytes needed).  ERR_KEYTYPE, ERR_LENGTH if outlen is too
 * small; out is "" on failure when outlen > 0.
 */
int
sshkey_fingerprint(const struct sshkey *k, char *out, size_t outlen)
{
	const size_t plen = strlen(FP_PREFIX);
	unsigned char h[crypto_hash_sha256_BYTES];
	struct buf blob;
	int r;

	if (outlen > 0)
		out[0] = '\0';
	if (k->type != KEY_ED25519)
		return ERR_KEYTYPE;
	if (outlen < plen + sodium_base64_ENCODED_LEN(sizeof(h), B64_NOPAD))
		return ERR_LENGTH;
	buf_init(&blob, 0);
	if ((r = put_blob(k, &blob)) == 0) {
		crypto_hash_sha256(h, buf_ptr(&blob), buf_len(&blob));
		memcpy(out, FP_PREFIX, plen);
		sodium_bin2base64(out + plen, outlen - plen, h, sizeof(h),
		    B64_NOPAD);
	}
	buf_free(&blob);
	return r;
}
