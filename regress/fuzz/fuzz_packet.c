/*
 * fuzz_packet.c - libFuzzer target for the packet layer (proto/packet.c).
 *
 * The first input byte picks a mode and a suite (cipher and MAC: clear,
 * chacha20-poly1305, aes-gcm, aes-ctr with an encrypt-then-MAC MAC, aes-ctr
 * with a classic MAC), the rest is the data:
 *   0  raw bytes into a receiver in clear;
 *   1  raw bytes into a keyed receiver (reaches the length decryption and
 *      checks, and the tag or MAC check);
 *   2  the data as a plaintext packet (its own 4 length bytes first),
 *      sealed with the same fixed keys by hand, then received, so that
 *      padding and payload checks behind the tag or MAC are reached too;
 *      then the same packet with one bit of its tag or MAC flipped, which
 *      must fail with ERR_MAC (or the length check) and leave the input
 *      as it was;
 *   3  the data as a payload through packet_put and back through
 *      packet_get, in clear and under the suite; it must come back
 *      unchanged.
 * Input arrives in two pieces split at a data-chosen point, so ERR_AGAIN
 * and the cached length are exercised.  Built by `make fuzzers` in a clang
 * tree (see Makefile.am).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "crypto/mac.h"
#include "proto/buf.h"
#include "proto/packet.h"

#define FUZZ_MAXSEAL	(64u * 1024)

static const struct {
	const char *cipher, *mac;
} suites[] = {
	{ "chacha20-poly1305@openssh.com", NULL },
	{ "aes128-gcm@openssh.com", NULL },
	{ "aes128-ctr", "hmac-sha2-256-etm@openssh.com" },
	{ "aes256-ctr", "hmac-sha1-etm@openssh.com" },
	{ "aes192-ctr", "hmac-sha2-256" },
	{ "aes256-ctr", "hmac-sha2-512" },
};
#define NSUITES		(sizeof(suites) / sizeof(suites[0]))

static const unsigned char fuzz_key[64] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
	0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
	0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
	0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11,
	0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
	0x13, 0x57, 0x9b, 0xdf, 0x24, 0x68, 0xac, 0xe0,
	0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
};
static const unsigned char fuzz_iv[16] = {
	0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
	0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f,
};
static const unsigned char fuzz_mac_key[64] = {
	0x5a, 0x5a, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
	0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
	0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
	0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e,
	0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26,
	0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e,
	0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36,
	0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e,
};

/* Give one direction of ps the fixed keys of suite s; aborts on failure. */
static void
set_keys(struct packet_state *ps, int out, size_t s)
{
	if (packet_set_cipher(ps, out, cipher_by_name(suites[s].cipher),
	    fuzz_key, fuzz_iv, mac_by_name(suites[s].mac),
	    fuzz_mac_key) != 0)
		abort();
}

/* Take packets out of ps->in until it wants more or fails. */
static int
drain(struct packet_state *ps, struct buf *payload)
{
	int r;

	while ((r = packet_get(ps, payload)) == 0)
		;
	return r;
}

/* Feed data to a receiver (keyed with suite s, or in clear if s < 0) in
 * two pieces; stop at the first real error. */
static void
feed(int s, const uint8_t *data, size_t size)
{
	struct packet_state ps;
	struct buf payload;
	size_t cut = size > 0 ? data[0] % (size + 1) : 0;

	packet_init(&ps);
	buf_init(&payload, 0);
	if (s >= 0)
		set_keys(&ps, 0, (size_t)s);
	if (buf_put(&ps.in, data, cut) == 0 &&
	    drain(&ps, &payload) == ERR_AGAIN &&
	    buf_put(&ps.in, data + cut, size - cut) == 0)
		drain(&ps, &payload);
	buf_free(&payload);
	packet_free(&ps);
}

/*
 * Protect the plaintext packet p (4 + len bytes) at seq 0 with fresh keys
 * of suite s, as a sender would, into wire (4 + len + tag bytes); returns
 * the wire length.
 */
static size_t
seal(size_t s, unsigned char *wire, const unsigned char *p, uint32_t len)
{
	struct packet_state tx;
	struct packet_dir *d = &tx.tx;
	size_t tag;
	int r;

	packet_init(&tx);
	set_keys(&tx, 1, s);
	memcpy(wire, p, 4 + (size_t)len);
	if (d->alg->aead) {
		r = cipher_crypt(d->ctx, 0, wire, p, len);
		tag = d->alg->tag_len;
	} else if (d->mac_alg->etm) {
		r = cipher_stream(d->ctx, wire + 4, wire + 4, len) != 0 ||
		    mac_compute(d->mac, 0, wire, 4 + (size_t)len,
		    wire + 4 + len) != 0;
		tag = d->mac_alg->mac_len;
	} else {
		r = mac_compute(d->mac, 0, wire, 4 + (size_t)len,
		    wire + 4 + len) != 0 ||
		    cipher_stream(d->ctx, wire, wire, 4 + len) != 0;
		tag = d->mac_alg->mac_len;
	}
	packet_free(&tx);
	if (r != 0)
		abort();
	return 4 + (size_t)len + tag;
}

/*
 * The body length to seal out of n available bytes: a stream cipher only
 * moves by whole blocks (EtM: the body; classic: length and body).
 * SIZE_MAX when too short.
 */
static size_t
seal_len(size_t s, size_t n)
{
	const struct mac_alg *m = mac_by_name(suites[s].mac);

	if (cipher_by_name(suites[s].cipher)->aead)
		return n;
	if (m->etm)
		return n & ~(size_t)15;
	return n + 4 < 16 ? SIZE_MAX : ((n + 4) & ~(size_t)15) - 4;
}

/*
 * The packet with one bit of its tag or MAC flipped must never open; if
 * the MAC check is what refuses it, the input stays as it was.
 */
static void
feed_corrupt(size_t s, unsigned char *wire, size_t n, size_t taglen,
    uint8_t bit)
{
	struct packet_state ps;
	struct buf payload;
	int r;

	wire[n - 1 - (bit >> 3) % taglen] ^= (unsigned char)(1 << (bit & 7));
	packet_init(&ps);
	buf_init(&payload, 0);
	set_keys(&ps, 0, s);
	if (buf_put(&ps.in, wire, n) != 0)
		abort();
	r = packet_get(&ps, &payload);
	if (r == 0 || buf_len(&payload) != 0)
		abort();
	if (r == ERR_MAC && (buf_len(&ps.in) != n ||
	    memcmp(buf_ptr(&ps.in), wire, n) != 0))
		abort();
	buf_free(&payload);
	packet_free(&ps);
}

/*
 * data[0] picks a bit, data + 1 is a plaintext packet (its own length
 * field first).  Seal it and receive it; then, with the length field set
 * to the real body length, seal it again and receive a corrupted copy.
 */
static void
seal_and_feed(size_t s, const uint8_t *data, size_t size)
{
	unsigned char *plain, *wire;
	size_t n, wn, tag;

	if (size < 5 || size - 5 > FUZZ_MAXSEAL ||
	    (n = seal_len(s, size - 5)) == SIZE_MAX)
		return;
	if ((plain = malloc(4 + n)) == NULL ||
	    (wire = malloc(4 + n + MAC_MAX_LEN)) == NULL)
		abort();
	memcpy(plain, data + 1, 4 + n);
	wn = seal(s, wire, plain, (uint32_t)n);
	feed((int)s, wire, wn);
	tag = wn - 4 - n;
	buf_set_be32(plain, (uint32_t)n);
	if (seal(s, wire, plain, (uint32_t)n) != wn)
		abort();
	feed_corrupt(s, wire, wn, tag, data[0]);
	free(plain);
	free(wire);
}

/* packet_put then packet_get must give the payload back. */
static void
roundtrip(int s, const uint8_t *data, size_t size)
{
	struct packet_state tx, rx;
	struct buf payload;
	int r;

	packet_init(&tx);
	packet_init(&rx);
	buf_init(&payload, 0);
	if (s >= 0) {
		set_keys(&tx, 1, (size_t)s);
		set_keys(&rx, 0, (size_t)s);
	}
	r = packet_put(&tx, data, size);
	if ((size == 0 && r != ERR_INTERNAL) ||
	    (size > 0 && size <= PACKET_MAX_LEN - 32 && r != 0))
		abort();
	if (r == 0) {
		if (buf_put(&rx.in, buf_ptr(&tx.out), buf_len(&tx.out)) != 0 ||
		    packet_get(&rx, &payload) != 0 ||
		    buf_len(&payload) != size ||
		    memcmp(buf_ptr(&payload), data, size) != 0 ||
		    packet_get(&rx, &payload) != ERR_AGAIN)
			abort();
	}
	buf_free(&payload);
	packet_free(&tx);
	packet_free(&rx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t s;

	if (size < 1)
		return 0;
	s = (data[0] / 4) % NSUITES;
	switch (data[0] % 4) {
	case 0:
		feed(-1, data + 1, size - 1);
		break;
	case 1:
		feed((int)s, data + 1, size - 1);
		break;
	case 2:
		seal_and_feed(s, data + 1, size - 1);
		break;
	default:
		roundtrip(-1, data + 1, size - 1);
		roundtrip((int)s, data + 1, size - 1);
		break;
	}
	return 0;
}
