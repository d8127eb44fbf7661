/*
 * packet.h - the SSH binary packet protocol (RFC 4253 section 6), as a pure
 * state machine: received bytes in, payloads out; payloads in, bytes to send
 * out.  It does no I/O: the event loop appends what it reads to ps->in and
 * writes out what ps->out holds.
 *
 * Before keys are set a direction is in clear (block size 8, no MAC).
 * packet_set_cipher() switches one direction to new keys; the caller does so
 * right after sending (out) or receiving (in) SSH_MSG_NEWKEYS.  A direction
 * is then in one of three layouts: AEAD (chacha20-poly1305, aes-gcm: the
 * cipher's own tag, the negotiated MAC ignored), encrypt-then-MAC (a stream
 * cipher with an -etm@openssh.com MAC: length in clear, MAC over
 * seq || length || ciphertext, checked before decrypting) or classic
 * (RFC 4253 6.4: length encrypted, MAC over seq || plaintext packet,
 * checked after decrypting).  Sequence numbers count every packet and wrap
 * at 2^32; packet_reset_seq() is for strict KEX.  Byte and packet counters
 * tell the caller when to rekey.
 */
#ifndef NSSHD_PACKET_H
#define NSSHD_PACKET_H

#include <stdint.h>

#include "crypto/cipher.h"
#include "crypto/mac.h"
#include "proto/buf.h"

#define PACKET_MAX_LEN	(256u * 1024)	/* largest packet_length accepted */
/* Room for output not yet written to the socket: the caller stops
 * producing well below this (the transport at 1 MiB); one loop round of
 * many channels may go past its own mark, never past this. */
#define PACKET_OUT_MAX	(16u * 1024 * 1024)

struct packet_dir {
	struct cipher_ctx *ctx;		/* NULL: no cipher yet */
	const struct cipher_alg *alg;
	struct mac_ctx *mac;		/* NULL: clear, or an AEAD cipher */
	const struct mac_alg *mac_alg;
	uint32_t seq;
	uint64_t bytes;			/* since keys were set */
	uint64_t packets;
};

struct packet_state {
	struct buf in;			/* raw received bytes */
	struct buf out;			/* encoded bytes to send */
	struct packet_dir rx, tx;
	uint32_t rx_need;		/* length of the packet being read, 0 */
};

void packet_init(struct packet_state *ps);
void packet_free(struct packet_state *ps);	/* wipes keys and buffers */

/*
 * packet_set_cipher - new keys for one direction (tx if out != 0): the
 * cipher alg with key/iv, and for a stream cipher (alg->aead == 0) the MAC
 * mac with mac_key.  With an AEAD cipher mac and mac_key are ignored (may
 * be NULL).  Copies the keys; the old contexts are freed (wiped).  Counters
 * restart, seq does not.  Returns 0, ERR_INTERNAL (a row not from the
 * tables, a stream cipher without a MAC), ERR_ALLOC or ERR_CRYPTO; on
 * failure the direction keeps its old keys.
 */
int packet_set_cipher(struct packet_state *ps, int out,
    const struct cipher_alg *alg, const unsigned char *key,
    const unsigned char *iv, const struct mac_alg *mac,
    const unsigned char *mac_key);
void packet_reset_seq(struct packet_state *ps, int out);

/*
 * packet_put - encode one payload (message type byte first) into ps->out
 * with random padding.  ERR_LENGTH if it would exceed PACKET_MAX_LEN.
 */
int packet_put(struct packet_state *ps, const unsigned char *payload,
    size_t len);

/*
 * packet_get - decode the next complete packet from ps->in into payload
 * (reset first; its previous contents are wiped).  Returns 0, ERR_AGAIN when
 * more bytes are needed, ERR_LENGTH for a bad packet_length or padding,
 * ERR_MAC for a failed tag or MAC, ERR_FORMAT for other framing errors.
 * After any error other than ERR_AGAIN the connection must be dropped.
 */
int packet_get(struct packet_state *ps, struct buf *payload);

#endif
