/*
 * sshkey.h - host and user keys: Ed25519 over libsodium.
 *
 * Public key blob: string "ssh-ed25519", string pk[32].  Signature blob:
 * string "ssh-ed25519", string sig[64] (RFC 8709).  Private key files are
 * OpenSSH's "openssh-key-v1" format (PROTOCOL.key), unencrypted, in the
 * "-----BEGIN OPENSSH PRIVATE KEY-----" armour; public lines are
 * "ssh-ed25519 BASE64 comment".  A struct sshkey made by sshkey_new() lives
 * in locked, guarded memory (sodium_malloc); sshkey_free() wipes it.  Every
 * parser here is pure (bytes in, struct out) and has a fuzz target.
 */
#ifndef NSSHD_SSHKEY_H
#define NSSHD_SSHKEY_H

#include <stddef.h>

#include "proto/buf.h"

enum sshkey_type {
	KEY_UNSPEC = 0,
	KEY_ED25519,
};

struct sshkey {
	enum sshkey_type type;
	int has_private;
	unsigned char pk[32];
	unsigned char sk[64];		/* libsodium layout: seed || pk */
	char comment[256];
};

struct sshkey *sshkey_new(void);		/* NULL on failure */
void sshkey_free(struct sshkey *k);		/* NULL ok; wipes */
/* "ssh-ed25519" for KEY_ED25519; NULL otherwise. */
const char *sshkey_type_name(const struct sshkey *k);
enum sshkey_type sshkey_type_from_name(const char *name);

int sshkey_generate(struct sshkey *k, enum sshkey_type type);
/* Public blob <-> key.  from_blob rejects trailing bytes, wrong sizes. */
int sshkey_from_blob(const unsigned char *blob, size_t len, struct sshkey *k);
int sshkey_to_blob(const struct sshkey *k, struct buf *out);
/* 1 if both keys have the same public part, else 0 (constant time). */
int sshkey_equal_public(const struct sshkey *a, const struct sshkey *b);

/* Sign data into a signature blob appended to out; needs the private key. */
int sshkey_sign(const struct sshkey *k, const unsigned char *data,
    size_t dlen, struct buf *out);
/* 0 if sig (a signature blob) is k's valid signature over data, ERR_SIG. */
int sshkey_verify(const struct sshkey *k, const unsigned char *sig,
    size_t siglen, const unsigned char *data, size_t dlen);

/* openssh-key-v1 text <-> key.  Encrypted keys give ERR_KEYTYPE. */
int sshkey_parse_private(const char *text, size_t len, struct sshkey *k);
int sshkey_format_private(const struct sshkey *k, struct buf *out);
/* "ssh-ed25519 BASE64 comment\n" appended to out. */
int sshkey_format_public(const struct sshkey *k, struct buf *out);
/* "SHA256:" + unpadded base64 of SHA-256(blob), NUL-terminated. */
int sshkey_fingerprint(const struct sshkey *k, char *out, size_t outlen);

/* Base64 (standard alphabet, padded) helpers used by key formats. */
int b64_encode(const unsigned char *in, size_t len, struct buf *out);
int b64_decode(const char *in, size_t len, struct buf *out);

#endif
