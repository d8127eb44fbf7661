/*
 * packet.c - the SSH binary packet protocol (RFC 4253 section 6) as a pure
 * state machine over ps->in and ps->out; see packet.h for the contract.
 *
 * Framing follows what OpenSSH 9.2 sends and accepts (its packet.c):
 *  - in clear (no keys yet) the block size is 8 and the whole packet,
 *    4 + packet_length, is a multiple of it;
 *  - under an AEAD cipher and in the encrypt-then-MAC layout the 4-byte
 *    length is outside the blocks: packet_length (1 + payload + padding)
 *    alone is a multiple of the cipher's block_len (8 chacha, 16 aes).
 *    That holds for chacha too: its length is encrypted, but by a separate
 *    stream, so OpenSSH treats it as additional data like gcm's;
 *  - in the classic layout (a stream cipher with a non-etm MAC) the length
 *    is the start of the first block, and 4 + packet_length is a multiple
 *    of block_len, as in clear;
 *  - we send the least padding that is at least 4 bytes and meets the
 *    rule, filled with random bytes;
 *  - we accept packet_length from PACKET_MIN_LEN to PACKET_MAX_LEN that
 *    meets the rule, padding_length of at least 4 that leaves a payload of
 *    at least one byte (the message type); anything else drops the
 *    connection, as it does in OpenSSH.
 *
 * What follows the packet is the AEAD tag or the MAC (mac_len bytes).
 * Encrypt-then-MAC: MAC(seq || length || ciphertext), checked before
 * anything is decrypted.  Classic: MAC(seq || length || plaintext body),
 * computed before encrypting and checked after decrypting.
 *
 * Received packets are opened in place in ps->in; the payload is copied
 * out and the plaintext in ps->in wiped before the packet is consumed.  A
 * classic packet whose MAC fails is encrypted again in place (the stream
 * rewound), so that on ERR_MAC ps->in is unchanged in every layout.  The
 * length of the packet being read is cached in rx_need, so a partial
 * packet decrypts its length once.  Byte counters count wire bytes
 * (length, body and tag or MAC).
 */
#include <string.h>

#include <sodium.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "crypto/mac.h"
#include "proto/buf.h"
#include "proto/packet.h"

#define PACKET_CLEAR_BLOCK	8
#define PACKET_MIN_PAD		4
/* padding_length byte, message type byte, least padding */
#define PACKET_MIN_LEN		(1 + 1 + PACKET_MIN_PAD)

/* The layout of a direction (see the top of the file). */
enum dir_mode { DM_CLEAR, DM_AEAD, DM_ETM, DM_CLASSIC };

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
	mac_free(ps->rx.mac);
	mac_free(ps->tx.mac);
	buf_free(&ps->in);
	buf_free(&ps->out);
	packet_init(ps);
}

int
packet_set_cipher(struct packet_state *ps, int out,
    const struct cipher_alg *alg, const unsigned char *key,
    const unsigned char *iv, const struct mac_alg *mac,
    const unsigned char *mac_key)
{
	struct packet_dir *d = out ? &ps->tx : &ps->rx;
	struct cipher_ctx *ctx;
	struct mac_ctx *mctx = NULL;
	int r;

	if (alg == NULL || (!alg->aead && mac == NULL))
		return ERR_INTERNAL;
	if (!alg->aead && (r = mac_init(&mctx, mac, mac_key)) != 0)
		return r;
	if ((r = cipher_init(&ctx, alg, out != 0, key, iv)) != 0) {
		mac_free(mctx);
		return r;
	}
	cipher_free(d->ctx);
	mac_free(d->mac);
	d->ctx = ctx;
	d->alg = alg;
	d->mac = mctx;
	d->mac_alg = alg->aead ? NULL : mac;
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

static enum dir_mode
dir_mode(const struct packet_dir *d)
{
	if (d->ctx == NULL)
		return DM_CLEAR;
	if (d->alg->aead)
		return DM_AEAD;
	return d->mac_alg->etm ? DM_ETM : DM_CLASSIC;
}

/* Padding block size of a direction. */
static size_t
dir_block(const struct packet_dir *d)
{
	return d->ctx != NULL ? d->alg->block_len : PACKET_CLEAR_BLOCK;
}

/* Bytes of the packet outside the blocks: the length, AEAD and EtM. */
static size_t
dir_aad(const struct packet_dir *d)
{
	enum dir_mode m = dir_mode(d);

	return m == DM_AEAD || m == DM_ETM ? 4 : 0;
}

/* Bytes after the packet: the AEAD tag or the MAC. */
static size_t
dir_tag(const struct packet_dir *d)
{
	switch (dir_mode(d)) {
	case DM_AEAD:
		return d->alg->tag_len;
	case DM_ETM:
	case DM_CLASSIC:
		return d->mac_alg->mac_len;
	default:
		return 0;
	}
}

/*
 * Protect the plaintext packet at p (4 length bytes, plen more) in place,
 * the tag or MAC going to p + 4 + plen.
 */
static int
dir_seal(struct packet_dir *d, unsigned char *p, uint32_t plen)
{
	int r;

	switch (dir_mode(d)) {
	case DM_AEAD:
		return cipher_crypt(d->ctx, d->seq, p, p, plen);
	case DM_ETM:
		if ((r = cipher_stream(d->ctx, p + 4, p + 4, plen)) != 0)
			return r;
		return mac_compute(d->mac, d->seq, p, 4 + (size_t)plen,
		    p + 4 + plen);
	case DM_CLASSIC:
		if ((r = mac_compute(d->mac, d->seq, p, 4 + (size_t)plen,
		    p + 4 + plen)) != 0)
			return r;
		return cipher_stream(d->ctx, p, p, 4 + plen);
	default:
		return 0;
	}
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
	if ((r = dir_seal(d, p, (uint32_t)plen)) != 0) {
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
	if (dir_mode(&ps->rx) == DM_AEAD || dir_mode(&ps->rx) == DM_CLASSIC) {
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

/* Encrypt-then-MAC: check the MAC over the ciphertext, then decrypt. */
static int
rx_open_etm(struct packet_dir *d, unsigned char *p, uint32_t len)
{
	int r;

	if ((r = mac_verify(d->mac, d->seq, p, 4 + (size_t)len,
	    p + 4 + len)) != 0)
		return r;
	return cipher_stream(d->ctx, p + 4, p + 4, len);
}

/*
 * Classic: decrypt (the whole packet, length included), then check the MAC
 * over the plaintext.  On a bad MAC the stream is rewound and run over the
 * bytes again, which restores the ciphertext and leaves the position where
 * it was.
 */
static int
rx_open_classic(struct packet_dir *d, unsigned char *p, uint32_t len)
{
	uint32_t n = 4 + len;
	int r;

	if ((r = cipher_stream(d->ctx, p, p, n)) != 0)
		return r;
	if ((r = mac_verify(d->mac, d->seq, p, n, p + n)) != ERR_MAC)
		return r;
	if (cipher_rewind(d->ctx, n) != 0 ||
	    cipher_stream(d->ctx, p, p, n) != 0 ||
	    cipher_rewind(d->ctx, n) != 0)
		return ERR_CRYPTO;
	return ERR_MAC;
}

/*
 * Open the complete packet at the front of ps->in, in place: *pkt points at
 * its 4 + rx_need plaintext bytes.  On ERR_MAC ps->in is unchanged.
 */
static int
rx_open(struct packet_state *ps, const unsigned char **pkt)
{
	enum dir_mode m = dir_mode(&ps->rx);
	unsigned char *p;
	int r;

	*pkt = NULL;
	if (m == DM_CLEAR) {
		*pkt = buf_ptr(&ps->in);
		return 0;
	}
	if ((p = buf_mptr(&ps->in)) == NULL)
		return ERR_INTERNAL;
	if (m == DM_AEAD)
		r = cipher_crypt(ps->rx.ctx, ps->rx.seq, p, p, ps->rx_need);
	else if (m == DM_ETM)
		r = rx_open_etm(&ps->rx, p, ps->rx_need);
	else
		r = rx_open_classic(&ps->rx, p, ps->rx_need);
	if (r != 0)
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
