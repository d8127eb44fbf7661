/*
 * packet.c - the SSH binary packet protocol (RFC 4253 section 6) as a pure
 * state machine over ps->in and ps->out; see packet.h for the contract.
 *
 * Framing follows what OpenSSH 9.2 sends and accepts (its packet.c):
 *  - in clear (no keys yet) the block size is 8 and the whole packet,
 *    4 + packet_length, is a multiple of it;
 *  - under our ciphers, all AEAD, the 4-byte length is outside the blocks:
 *    packet_length (1 + payload + padding) alone is a multiple of the
 *    cipher's block_len (8 chacha, 16 gcm).  That holds for chacha too:
 *    its length is encrypted, but by a separate stream, so OpenSSH treats
 *    it as additional data like gcm's;
 *  - we send the least padding that is at least 4 bytes and meets the
 *    rule, filled with random bytes;
 *  - we accept packet_length from PACKET_MIN_LEN to PACKET_MAX_LEN that
 *    meets the rule, padding_length of at least 4 that leaves a payload of
 *    at least one byte (the message type); anything else drops the
 *    connection, as it does in OpenSSH.
 *
 * Received packets are opened in place in ps->in; the payload is copied
 * out and the plaintext in ps->in wiped before the packet is consumed.
 * The length of the packet being read is cached in rx_need, so a partial
 * packet decrypts its length once.  Byte counters count wire bytes
 * (length, body and tag).
 */
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "proto/buf.h"
#include "proto/packet.h"

#define PACKET_CLEAR_BLOCK	8
#define PACKET_MIN_PAD		4
/* padding_length byte, message type byte, least padding */
#define PACKET_MIN_LEN		(1 + 1 + PACKET_MIN_PAD)

void
packet_init(struct packet_state *ps)
{
	memset(ps, 0, sizeof(*ps));
	buf_init(&ps->in, 0);
	buf_init(&ps->out, PACKET_OUT_MAX);
}

void
packet_free(struct packet_state *ps)
{
	cipher_free(ps->rx.ctx);
	cipher_free(ps->tx.ctx);
	buf_free(&ps->in);
	buf_free(&ps->out);
	packet_init(ps);
}

int
packet_set_cipher(struct packet_state *ps, int out,
    const struct cipher_alg *alg, const unsigned char *key,
    const unsigned char *iv)
{
	struct packet_dir *d = out ? &ps->tx : &ps->rx;
	struct cipher_ctx *ctx;
	int r;

	if ((r = cipher_init(&ctx, alg, out != 0, key, iv)) != 0)
		return r;
	cipher_free(d->ctx);
	d->ctx = ctx;
	d->alg = alg;
	d->bytes = 0;
	d->packets = 0;
	if (!out)
		ps->rx_need = 0;	/* a cached length used the old keys */
	return 0;
}

void
packet_reset_seq(struct packet_state *ps, int out)
{
	(out ? &ps->tx : &ps->rx)->seq = 0;
}

/* Padding block size of a direction. */
static size_t
dir_block(const struct packet_dir *d)
{
	return d->ctx != NULL ? d->alg->block_len : PACKET_CLEAR_BLOCK;
}

/* Bytes of the packet outside the blocks: the length under AEAD. */
static size_t
dir_aad(const struct packet_dir *d)
{
	return d->ctx != NULL ? 4 : 0;
}

static size_t
dir_tag(const struct packet_dir *d)
{
	return d->ctx != NULL ? d->alg->tag_len : 0;
}

/* Count one packet of wire bytes in a direction; seq wraps at 2^32. */
static void
dir_count(struct packet_dir *d, size_t wire)
{
	d->seq++;
	d->packets++;
	d->bytes += wire;
}

/*
 * packet_put - see packet.h.  payload MUST NOT point into ps->out (the
 * buffer may move).  An empty payload is a caller bug: ERR_INTERNAL.  On
 * failure ps->out and the counters are unchanged.
 */
int
packet_put(struct packet_state *ps, const unsigned char *payload, size_t len)
{
	struct packet_dir *d = &ps->tx;
	size_t block = dir_block(d), padlen, plen, total;
	unsigned char *p;
	int r;

	if (len == 0)
		return ERR_INTERNAL;
	if (len > PACKET_MAX_LEN)
		return ERR_LENGTH;
	padlen = block - (4 - dir_aad(d) + 1 + len) % block;
	if (padlen < PACKET_MIN_PAD)
		padlen += block;
	plen = 1 + len + padlen;
	if (plen > PACKET_MAX_LEN)
		return ERR_LENGTH;
	total = 4 + plen + dir_tag(d);
	if ((r = buf_reserve(&ps->out, total, &p)) != 0)
		return r;
	buf_set_be32(p, (uint32_t)plen);
	p[4] = (unsigned char)padlen;
	memcpy(p + 5, payload, len);
	randombytes_buf(p + 5 + len, padlen);
	if (d->ctx != NULL &&
	    (r = cipher_crypt(d->ctx, d->seq, p, p, (uint32_t)plen)) != 0) {
		wipe(p, total);
		buf_consume_end(&ps->out, total);
		return r;
	}
	dir_count(d, total);
	return 0;
}

/* A received packet_length that the framing rules allow: 0 or ERR_LENGTH. */
static int
rx_check_length(const struct packet_dir *d, uint32_t len)
{
	if (len < PACKET_MIN_LEN || len > PACKET_MAX_LEN)
		return ERR_LENGTH;
	if ((4 - dir_aad(d) + (size_t)len) % dir_block(d) != 0)
		return ERR_LENGTH;
	return 0;
}

/* Make sure rx_need holds the checked length of the next packet. */
static int
rx_read_length(struct packet_state *ps)
{
	uint32_t len;
	int r;

	if (ps->rx_need != 0)
		return 0;
	if (buf_len(&ps->in) < 4)
		return ERR_AGAIN;
	if (ps->rx.ctx != NULL) {
		if ((r = cipher_get_length(ps->rx.ctx, ps->rx.seq,
		    buf_ptr(&ps->in), &len)) != 0)
			return r;
	} else
		len = buf_be32(buf_ptr(&ps->in));
	if ((r = rx_check_length(&ps->rx, len)) != 0)
		return r;
	ps->rx_need = len;
	return 0;
}

/*
 * Open the complete packet at the front of ps->in, in place: *pkt points at
 * its 4 + rx_need plaintext bytes.  On ERR_MAC ps->in is unchanged.
 */
static int
rx_open(struct packet_state *ps, const unsigned char **pkt)
{
	unsigned char *p;
	int r;

	*pkt = NULL;
	if (ps->rx.ctx == NULL) {
		*pkt = buf_ptr(&ps->in);
		return 0;
	}
	if ((p = buf_mptr(&ps->in)) == NULL)
		return ERR_INTERNAL;
	if ((r = cipher_crypt(ps->rx.ctx, ps->rx.seq, p, p, ps->rx_need)) != 0)
		return r;
	*pkt = p;
	return 0;
}

/* Check the padding of a plaintext packet and copy its payload out. */
static int
rx_payload(const unsigned char *pkt, uint32_t len, struct buf *payload)
{
	struct buf v;
	uint8_t padlen;

	buf_view(&v, pkt + 4, len);
	if (buf_get_u8(&v, &padlen) != 0 || padlen < PACKET_MIN_PAD ||
	    buf_consume_end(&v, padlen) != 0)
		return ERR_LENGTH;
	if (buf_len(&v) == 0)
		return ERR_FORMAT;	/* no message type */
	return buf_put(payload, buf_ptr(&v), buf_len(&v));
}

/*
 * packet_get - see packet.h.  payload MUST NOT be ps->in or ps->out.  On
 * ERR_AGAIN ps->in is unchanged (rx_need may now cache the length); on
 * ERR_MAC too.  After other errors ps->in is unspecified.
 */
int
packet_get(struct packet_state *ps, struct buf *payload)
{
	const unsigned char *pkt;
	size_t total;
	int r;

	buf_reset(payload);
	if ((r = rx_read_length(ps)) != 0)
		return r;
	total = 4 + (size_t)ps->rx_need + dir_tag(&ps->rx);
	if (buf_len(&ps->in) < total)
		return ERR_AGAIN;
	if ((r = rx_open(ps, &pkt)) != 0)
		return r;
	r = rx_payload(pkt, ps->rx_need, payload);
	if (ps->rx.ctx != NULL)
		wipe(buf_mptr(&ps->in), 4 + (size_t)ps->rx_need);
	if (r != 0) {
		buf_reset(payload);
		return r;
	}
	if ((r = buf_consume(&ps->in, total)) != 0)
		return r;
	ps->rx_need = 0;
	dir_count(&ps->rx, total);
	return 0;
}
