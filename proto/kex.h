/*
 * kex.h - key exchange pieces that are pure functions: KEXINIT encoding and
 * parsing, algorithm negotiation (RFC 4253 7.1, with OpenSSH's strict-KEX
 * and ext-info pseudo-algorithms), the curve25519-sha256 exchange hash
 * (RFC 8731) and key derivation (RFC 4253 7.2).  The transport's KEX driver
 * (transport/kex_drv.c) strings them together with the monitor's signature.
 */
#ifndef NSSHD_KEX_H
#define NSSHD_KEX_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/cipher.h"
#include "crypto/mac.h"
#include "proto/buf.h"

/* The key exchange methods nsshd has, in its order of preference. */
#define KEX_DEFAULT_LIST	"curve25519-sha256,curve25519-sha256@libssh.org"
#define KEX_COOKIE_LEN	16
#define KEX_HASH_MAX	64

enum kex_list {
	KEX_ALGS = 0, KEX_HOSTKEY, KEX_ENC_C2S, KEX_ENC_S2C, KEX_MAC_C2S,
	KEX_MAC_S2C, KEX_COMP_C2S, KEX_COMP_S2C, KEX_LANG_C2S, KEX_LANG_S2C,
	KEX_NLISTS
};

struct kexinit {
	char *lists[KEX_NLISTS];	/* malloc'd name-lists */
	int first_follows;
};

struct kex_result {
	char kex[64];
	char hostkey[64];
	const struct cipher_alg *enc_c2s, *enc_s2c;
	/* NULL when that direction's cipher is AEAD (the MAC is implicit) */
	const struct mac_alg *mac_c2s, *mac_s2c;
	int strict;		/* both sides offered kex-strict */
	int ext_info_c;		/* client wants SSH_MSG_EXT_INFO */
	int guess_ok;		/* client's first_kex_packet guess was right */
};

/* The key material of one direction (RFC 4253 7.2). */
struct kex_dirkeys {
	unsigned char iv[CIPHER_MAX_IVLEN];
	unsigned char key[CIPHER_MAX_KEYLEN];
	unsigned char mac_key[MAC_MAX_KEYLEN];
};

/*
 * kex_build_kexinit - our KEXINIT payload (message byte first), appended to
 * out.  The lists are comma-separated name-lists; cipher_list and mac_list
 * serve both directions.  In the first KEX (first_kex) ext-info-s and
 * kex-strict-s-v00@openssh.com are added to the kex list.
 */
int kex_build_kexinit(struct buf *out, const char *kex_list,
    const char *hostkey_list, const char *cipher_list, const char *mac_list,
    int first_kex);
/* Parse a KEXINIT payload (message byte first).  Pure; rejects trailing. */
int kex_parse_kexinit(const unsigned char *p, size_t n, struct kexinit *k);
void kexinit_free(struct kexinit *k);

/*
 * kex_negotiate - the first client algorithm the server also has, per list.
 * client/server are parsed KEXINITs.  A MAC is chosen only for a direction
 * whose cipher is not AEAD, as OpenSSH does (RFC 5647 section 5.1's rule
 * that an AEAD cipher implies its own MAC); for an AEAD direction the MAC
 * lists need not meet and mac_c2s/mac_s2c stay NULL.  ERR_NOALG with
 * *which set to the list (enum kex_list) that had nothing in common.
 */
int kex_negotiate(const struct kexinit *client, const struct kexinit *server,
    int first_kex, struct kex_result *res, int *which);
/* 1 if NAME is in the comma-separated list. */
int kex_list_has(const char *list, const char *name);

/*
 * kex_c25519_hash - H = SHA-256(V_C, V_S, I_C, I_S, K_S, Q_C, Q_S, K) with
 * K the shared secret as an mpint.  out gets 32 bytes.
 */
int kex_c25519_hash(const char *v_c, const char *v_s,
    const unsigned char *i_c, size_t i_c_len,
    const unsigned char *i_s, size_t i_s_len,
    const unsigned char *k_s, size_t k_s_len,
    const unsigned char q_c[32], const unsigned char q_s[32],
    const unsigned char shared[32], unsigned char out[32]);

/*
 * kex_derive - RFC 4253 7.2: HASH(K || H || letter || session_id), extended
 * by HASH(K || H || K1 ...) until need bytes.  k_mpint is K already encoded
 * as an mpint string.  SHA-256 only (hash_len 32).
 */
int kex_derive(const unsigned char *k_mpint, size_t k_len,
    const unsigned char *h, size_t h_len, char letter,
    const unsigned char *sid, size_t sid_len, unsigned char *out, size_t need);

/*
 * kex_derive_dir - the keys of one direction with kex_derive: the IV
 * (letter A client to server, B server to client), the encryption key
 * (C, D) and, when mac is not NULL, the integrity key (E, F), each as long
 * as enc / mac need.  s2c selects the direction.  Returns 0, ERR_INTERNAL
 * (sizes beyond struct kex_dirkeys), ERR_ALLOC or ERR_CRYPTO; out is wiped
 * on failure.
 */
int kex_derive_dir(const unsigned char *k_mpint, size_t k_len,
    const unsigned char *h, size_t h_len,
    const unsigned char *sid, size_t sid_len, int s2c,
    const struct cipher_alg *enc, const struct mac_alg *mac,
    struct kex_dirkeys *out);

/* Name of a kex_list index for error messages ("key exchange", ...). */
const char *kex_list_name(int which);

#endif
