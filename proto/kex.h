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
#include "proto/buf.h"

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
	int strict;		/* both sides offered kex-strict */
	int ext_info_c;		/* client wants SSH_MSG_EXT_INFO */
	int guess_ok;		/* client's first_kex_packet guess was right */
};

/* Build our KEXINIT payload (message byte first) into out. */
int kex_build_kexinit(struct buf *out, const char *kex_list,
    const char *hostkey_list, const char *cipher_list, int first_kex);
/* Parse a KEXINIT payload (message byte first).  Pure; rejects trailing. */
int kex_parse_kexinit(const unsigned char *p, size_t n, struct kexinit *k);
void kexinit_free(struct kexinit *k);

/*
 * kex_negotiate - the first client algorithm the server also has, per list.
 * client/server are parsed KEXINITs.  ERR_NOALG with *which set to the list
 * (enum kex_list) that had nothing in common.
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

/* Name of a kex_list index for error messages ("key exchange", ...). */
const char *kex_list_name(int which);

#endif
