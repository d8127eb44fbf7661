/*
 * packet.h - the SSH binary packet protocol (RFC 4253 section 6), as a pure
 * state machine: received bytes in, payloads out; payloads in, bytes to send
 * out.  It does no I/O: the event loop appends what it reads to ps->in and
 * writes out what ps->out holds.
 *
 * Before keys are set a direction is in clear (block size 8, no MAC).
 * packet_set_cipher() switches one direction to new keys; the caller does so
 * right after sending (out) or receiving (in) SSH_MSG_NEWKEYS.  Sequence
 * numbers count every packet and wrap at 2^32; packet_reset_seq() is for
 * strict KEX.  Byte and packet counters tell the caller when to rekey.
 */
#ifndef NSSHD_PACKET_H
#define NSSHD_PACKET_H

#include <stdint.h>

#include "crypto/cipher.h"
#include "proto/buf.h"

#define PACKET_MAX_LEN	(256u * 1024)	/* largest packet_length accepted */
/* Room for output not yet written to the socket: the caller stops
 * producing well below this (the transport at 1 MiB); one loop round of
 * many channels may go past its own mark, never past this. */
#define PACKET_OUT_MAX	(16u * 1024 * 1024)

struct packet_dir {
	struct cipher_ctx *ctx;		/* NULL: no cipher yet */
	const struct cipher_alg *alg;
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
 * packet_set_cipher - new keys for one direction (tx if out != 0).  Copies
 * key/iv; the old context is freed.  Counters restart, seq does not.
 */
int packet_set_cipher(struct packet_state *ps, int out,
    const struct cipher_alg *alg, const unsigned char *key,
    const unsigned char *iv);
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
 * ERR_MAC for a failed tag, ERR_FORMAT for other framing errors.  After any
 * error other than ERR_AGAIN the connection must be dropped.
 */
int packet_get(struct packet_state *ps, struct buf *payload);

#endif
