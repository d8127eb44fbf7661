/*
 * fuzz_packet.c - libFuzzer target for the packet layer (proto/packet.c).
 *
 * The first input byte picks a mode, the rest is the data:
 *   0  raw bytes into a receiver in clear;
 *   1  raw bytes into a receiver under chacha20-poly1305 with a fixed key
 *      (reaches the length decryption and checks, and the tag check);
 *   2  the data as a plaintext packet (its own 4 length bytes first),
 *      sealed with the same fixed key, then received, so that padding and
 *      payload checks behind the tag are reached too;
 *   3  the data as a payload through packet_put and back through
 *      packet_get, in clear and under chacha; it must come back unchanged.
 * Input arrives in two pieces split at a data-chosen point, so ERR_AGAIN
 * and the cached length are exercised.  Build (later wired into make):
 *   clang -fsanitize=fuzzer,address,undefined -I. -IBUILD
 *       regress/fuzz/fuzz_packet.c proto/packet.c proto/buf.c
 *       crypto/cipher.c crypto/cipher_chachapoly.c crypto/cipher_aesgcm.c
 *       common/err.c -lcrypto -lsodium
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "proto/buf.h"
#include "proto/packet.h"

#define FUZZ_CIPHER	"chacha20-poly1305@openssh.com"
#define FUZZ_MAXSEAL	(64u * 1024)

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

/* Take packets out of ps->in until it wants more or fails. */
static int
drain(struct packet_state *ps, struct buf *payload)
{
	int r;

	while ((r = packet_get(ps, payload)) == 0)
		;
	return r;
}

/* Feed data to a receiver in two pieces; stop at the first real error. */
static void
feed(int keyed, const uint8_t *data, size_t size)
{
	struct packet_state ps;
	struct buf payload;
	size_t cut = size > 0 ? data[0] % (size + 1) : 0;

	packet_init(&ps);
	buf_init(&payload, 0);
	if (keyed && packet_set_cipher(&ps, 0, cipher_by_name(FUZZ_CIPHER),
	    fuzz_key, NULL) != 0)
		abort();
	if (buf_put(&ps.in, data, cut) == 0 &&
	    drain(&ps, &payload) == ERR_AGAIN &&
	    buf_put(&ps.in, data + cut, size - cut) == 0)
		drain(&ps, &payload);
	buf_free(&payload);
	packet_free(&ps);
}

/* Seal the data as a whole plaintext packet at seq 0, then receive it. */
static void
seal_and_feed(const uint8_t *data, size_t size)
{
	struct cipher_ctx *enc;
	unsigned char *wire;
	uint32_t len;

	if (size < 4 || size - 4 > FUZZ_MAXSEAL)
		return;
	len = (uint32_t)(size - 4);
	if (cipher_init(&enc, cipher_by_name(FUZZ_CIPHER), 1, fuzz_key,
	    NULL) != 0 || (wire = malloc(size + 16)) == NULL)
		abort();
	if (cipher_crypt(enc, 0, wire, data, len) != 0)
		abort();
	feed(1, wire, size + 16);
	free(wire);
	cipher_free(enc);
}

/* packet_put then packet_get must give the payload back. */
static void
roundtrip(int keyed, const uint8_t *data, size_t size)
{
	struct packet_state tx, rx;
	struct buf payload;
	int r;

	packet_init(&tx);
	packet_init(&rx);
	buf_init(&payload, 0);
	if (keyed && (packet_set_cipher(&tx, 1, cipher_by_name(FUZZ_CIPHER),
	    fuzz_key, NULL) != 0 || packet_set_cipher(&rx, 0,
	    cipher_by_name(FUZZ_CIPHER), fuzz_key, NULL) != 0))
		abort();
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
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		feed(0, data + 1, size - 1);
		break;
	case 1:
		feed(1, data + 1, size - 1);
		break;
	case 2:
		seal_and_feed(data + 1, size - 1);
		break;
	default:
		roundtrip(0, data + 1, size - 1);
		roundtrip(1, data + 1, size - 1);
		break;
	}
	return 0;
}
