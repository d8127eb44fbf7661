/*
 * test_packet.c - the binary packet layer: framing in clear and under each
 * cipher, partial input, several packets in one read, bad lengths and
 * padding, bad tags, sequence numbers and counters.
 */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "proto/buf.h"
#include "proto/packet.h"
#include "regress/unit/unittest.h"

static const char *ciphers[] = { NULL, "chacha20-poly1305@openssh.com",
    "aes128-gcm@openssh.com", "aes256-gcm@openssh.com" };
#define NCIPHERS	(sizeof(ciphers) / sizeof(ciphers[0]))

/* A sender and a receiver sharing keys for NAME (NULL: clear). */
static void
pair_init(struct packet_state *tx, struct packet_state *rx, const char *name)
{
	const struct cipher_alg *a;
	unsigned char key[64], iv[12];
	size_t i;

	packet_init(tx);
	packet_init(rx);
	if (name == NULL)
		return;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 13 + 1);
	for (i = 0; i < sizeof(iv); i++)
		iv[i] = (unsigned char)(0xf0 + i);
	a = cipher_by_name(name);
	CHECK(a != NULL);
	CHECK_EQ(packet_set_cipher(tx, 1, a, key, iv), 0);
	CHECK_EQ(packet_set_cipher(rx, 0, a, key, iv), 0);
}

static void
pair_free(struct packet_state *tx, struct packet_state *rx)
{
	packet_free(tx);
	packet_free(rx);
}

/* Move everything tx has to send into rx's input. */
static void
transfer(struct packet_state *tx, struct packet_state *rx)
{
	CHECK_EQ(buf_put(&rx->in, buf_ptr(&tx->out), buf_len(&tx->out)), 0);
	CHECK_EQ(buf_consume(&tx->out, buf_len(&tx->out)), 0);
}

static void
fill(unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 31);
}

/* Does the wire form of one lone packet follow the framing rules? */
static void
check_frame(const struct packet_state *tx, const char *name, size_t plen)
{
	const struct cipher_alg *a = cipher_by_name(name != NULL ? name : "");
	size_t wire = buf_len(&tx->out), tag = a != NULL ? a->tag_len : 0;
	size_t block = a != NULL ? a->block_len : 8, body;

	CHECK(wire > 4 + tag);
	body = wire - 4 - tag;		/* packet_length */
	CHECK(body >= 1 + plen + 4 && body <= 1 + plen + 4 + block - 1);
	if (a != NULL)
		CHECK_EQ(body % block, 0);	/* length outside the blocks */
	else
		CHECK_EQ((4 + body) % block, 0);
	if (a == NULL || !a->len_encrypted)
		CHECK_EQ(buf_be32(buf_ptr(&tx->out)), body);
}

static void
t_roundtrip(void)
{
	static const size_t lens[] = { 1, 2, 3, 4, 7, 11, 12, 15, 16, 17,
	    31, 100, 255, 256, 1000, 32768 };
	struct packet_state tx, rx;
	unsigned char p[32768];
	struct buf got;
	size_t c, i;

	buf_init(&got, 0);
	for (c = 0; c < NCIPHERS; c++) {
		pair_init(&tx, &rx, ciphers[c]);
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			fill(p, lens[i], (unsigned)i);
			CHECK_EQ(packet_put(&tx, p, lens[i]), 0);
			check_frame(&tx, ciphers[c], lens[i]);
			transfer(&tx, &rx);
			CHECK_EQ(packet_get(&rx, &got), 0);
			CHECK(buf_len(&got) == lens[i] &&
			    memcmp(buf_ptr(&got), p, lens[i]) == 0);
			CHECK_EQ(buf_len(&rx.in), 0);
			CHECK_EQ(packet_get(&rx, &got), ERR_AGAIN);
			CHECK_EQ(buf_len(&got), 0);
		}
		CHECK_EQ(tx.tx.seq, i);
		CHECK_EQ(rx.rx.seq, i);
		CHECK_EQ(tx.tx.packets, i);
		CHECK_EQ(rx.rx.packets, i);
		CHECK(tx.tx.bytes == rx.rx.bytes && tx.tx.bytes > 32768);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

/* One byte at a time: ERR_AGAIN, input untouched, until the last byte. */
static void
t_bytewise(void)
{
	struct packet_state tx, rx;
	unsigned char p[300], wire[400];
	struct buf got;
	size_t c, k, n1, n, base, tag;
	int r;

	buf_init(&got, 0);
	fill(p, sizeof(p), 3);
	for (c = 0; c < NCIPHERS; c++) {
		pair_init(&tx, &rx, ciphers[c]);
		tag = tx.tx.alg != NULL ? tx.tx.alg->tag_len : 0;
		CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
		n1 = buf_len(&tx.out);
		CHECK_EQ(packet_put(&tx, p, 5), 0);
		n = buf_len(&tx.out);
		CHECK(n <= sizeof(wire));
		memcpy(wire, buf_ptr(&tx.out), n);
		for (k = 1; k <= n; k++) {
			base = k <= n1 ? 0 : n1;
			CHECK_EQ(buf_put(&rx.in, wire + k - 1, 1), 0);
			r = packet_get(&rx, &got);
			if (k == n1 || k == n) {
				CHECK_EQ(r, 0);
				CHECK_EQ(buf_len(&got), k == n ? 5 : sizeof(p));
				CHECK(memcmp(buf_ptr(&got), p, buf_len(&got))
				    == 0);
				CHECK_EQ(buf_len(&rx.in), 0);
			} else {
				CHECK_EQ(r, ERR_AGAIN);
				CHECK_EQ(buf_len(&rx.in), k - base);
				CHECK(memcmp(buf_ptr(&rx.in), wire + base,
				    k - base) == 0);
				/* from 4 bytes on, the length is cached */
				CHECK_EQ(rx.rx_need, k - base < 4 ? 0 :
				    (k <= n1 ? n1 : n - n1) - 4 - tag);
			}
		}
		CHECK_EQ(rx.rx.seq, 2);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

/* Several packets in one read come out one per call, in order. */
static void
t_multi(void)
{
	struct packet_state tx, rx;
	unsigned char p[200];
	struct buf got;
	size_t c, i;

	buf_init(&got, 0);
	fill(p, sizeof(p), 9);
	for (c = 0; c < NCIPHERS; c++) {
		pair_init(&tx, &rx, ciphers[c]);
		for (i = 1; i <= 10; i++)
			CHECK_EQ(packet_put(&tx, p + i, i * 17), 0);
		transfer(&tx, &rx);
		CHECK_EQ(buf_put(&rx.in, "\0\0", 2), 0);	/* next, partial */
		for (i = 1; i <= 10; i++) {
			CHECK_EQ(packet_get(&rx, &got), 0);
			CHECK(buf_len(&got) == i * 17 &&
			    memcmp(buf_ptr(&got), p + i, i * 17) == 0);
		}
		CHECK_EQ(packet_get(&rx, &got), ERR_AGAIN);
		CHECK_EQ(buf_len(&rx.in), 2);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

/* Feed raw bytes to a fresh clear receiver; return packet_get's code. */
static int
get_clear(const char *hex)
{
	struct packet_state rx;
	unsigned char raw[64];
	struct buf got;
	size_t n;
	int r;

	packet_init(&rx);
	buf_init(&got, 0);
	n = ut_unhex(hex, raw, sizeof(raw));
	CHECK_EQ(buf_put(&rx.in, raw, n), 0);
	r = packet_get(&rx, &got);
	if (r != 0)
		CHECK_EQ(buf_len(&got), 0);
	packet_free(&rx);
	buf_free(&got);
	return r;
}

static void
t_bad_clear(void)
{
	/* well-formed: length 12, padding 4, payload 7 bytes */
	CHECK_EQ(get_clear("0000000c04" "01020304050607" "00000000"), 0);
	/* lengths refused as soon as the 4 bytes are there */
	CHECK_EQ(get_clear("00040001"), ERR_LENGTH);	/* > max */
	CHECK_EQ(get_clear("ffffffff"), ERR_LENGTH);
	CHECK_EQ(get_clear("00000000"), ERR_LENGTH);	/* too short */
	CHECK_EQ(get_clear("00000004"), ERR_LENGTH);
	CHECK_EQ(get_clear("0000000d"), ERR_LENGTH);	/* 4+13 not % 8 */
	CHECK_EQ(get_clear("00040004"), ERR_LENGTH);	/* max + 4 */
	/* the largest allowed length just waits for more */
	CHECK_EQ(get_clear("0003fffc"), ERR_AGAIN);
	/* padding: < 4, longer than the packet, nothing left for a type */
	CHECK_EQ(get_clear("0000000c03" "0102030405060708" "000000"),
	    ERR_LENGTH);
	CHECK_EQ(get_clear("0000000c0c" "01020304050607" "00000000"),
	    ERR_LENGTH);
	CHECK_EQ(get_clear("0000000cff" "01020304050607" "00000000"),
	    ERR_LENGTH);
	CHECK_EQ(get_clear("0000000c0b" "01020304050607" "00000000"),
	    ERR_FORMAT);
	/* 8-byte packet_length: 4 + 8 is no multiple of 8 in clear */
	CHECK_EQ(get_clear("0000000804" "010203" "00000000"), ERR_LENGTH);
}

/* Seal LEN bytes of PLAIN (length filled in) with tx's own keys. */
static void
seal_raw(struct packet_state *tx, struct packet_state *rx,
    unsigned char *plain, uint32_t len)
{
	unsigned char out[4 + 64 + 16];
	size_t tag = tx->tx.alg->tag_len;

	CHECK(len <= 64);
	buf_set_be32(plain, len);
	CHECK_EQ(cipher_crypt(tx->tx.ctx, tx->tx.seq, out, plain, len), 0);
	CHECK_EQ(buf_put(&rx->in, out, 4 + len + tag), 0);
}

/* Under each cipher: lengths out of range or off the block are refused. */
static void
t_bad_length_cipher(void)
{
	static const uint32_t bad[] = { PACKET_MAX_LEN + 16, 0xfffffff0, 0,
	    4, 12, 20 };
	struct packet_state tx, rx;
	unsigned char pkt[4 + 64];
	struct buf got;
	size_t c, i;
	uint32_t ok_small;

	buf_init(&got, 0);
	for (c = 1; c < NCIPHERS; c++) {
		const struct cipher_alg *a = cipher_by_name(ciphers[c]);

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			pair_init(&tx, &rx, ciphers[c]);
			buf_set_be32(pkt, bad[i]);
			/* only the 4 length bytes go over */
			CHECK_EQ(cipher_crypt(tx.tx.ctx, 0, pkt, pkt, 0), 0);
			CHECK_EQ(buf_put(&rx.in, pkt, 4), 0);
			if (!CHECK_EQ(packet_get(&rx, &got), ERR_LENGTH))
				printf("#   %s length %u\n", ciphers[c],
				    (unsigned)bad[i]);
			pair_free(&tx, &rx);
		}
		/* the smallest aligned length and the largest just wait */
		ok_small = a->block_len == 8 ? 8 : 16;
		pair_init(&tx, &rx, ciphers[c]);
		buf_set_be32(pkt, ok_small);
		CHECK_EQ(cipher_crypt(tx.tx.ctx, 0, pkt, pkt, 0), 0);
		CHECK_EQ(buf_put(&rx.in, pkt, 4), 0);
		CHECK_EQ(packet_get(&rx, &got), ERR_AGAIN);
		CHECK_EQ(rx.rx_need, ok_small);
		pair_free(&tx, &rx);
		pair_init(&tx, &rx, ciphers[c]);
		buf_set_be32(pkt, PACKET_MAX_LEN);
		CHECK_EQ(cipher_crypt(tx.tx.ctx, 0, pkt, pkt, 0), 0);
		CHECK_EQ(buf_put(&rx.in, pkt, 4), 0);
		CHECK_EQ(packet_get(&rx, &got), ERR_AGAIN);
		pair_free(&tx, &rx);
		/* gcm: 8 and 24 are off its 16-byte block */
		if (a->block_len != 16)
			continue;
		pair_init(&tx, &rx, ciphers[c]);
		CHECK_EQ(buf_put(&rx.in, "\0\0\0\x08", 4), 0);
		CHECK_EQ(packet_get(&rx, &got), ERR_LENGTH);
		pair_free(&tx, &rx);
		pair_init(&tx, &rx, ciphers[c]);
		CHECK_EQ(buf_put(&rx.in, "\0\0\0\x18", 4), 0);
		CHECK_EQ(packet_get(&rx, &got), ERR_LENGTH);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

/* Authenticated but badly padded packets: ERR_LENGTH / ERR_FORMAT. */
static void
t_bad_padding_cipher(void)
{
	unsigned char plain[4 + 16];
	struct packet_state tx, rx;
	struct buf got;
	size_t c;

	buf_init(&got, 0);
	for (c = 1; c < NCIPHERS; c++) {
		fill(plain, sizeof(plain), 1);
		pair_init(&tx, &rx, ciphers[c]);
		plain[4] = 3;			/* padding below 4 */
		seal_raw(&tx, &rx, plain, 16);
		CHECK_EQ(packet_get(&rx, &got), ERR_LENGTH);
		pair_free(&tx, &rx);
		pair_init(&tx, &rx, ciphers[c]);
		plain[4] = 16;			/* more than the packet */
		seal_raw(&tx, &rx, plain, 16);
		CHECK_EQ(packet_get(&rx, &got), ERR_LENGTH);
		pair_free(&tx, &rx);
		pair_init(&tx, &rx, ciphers[c]);
		plain[4] = 15;			/* no message type left */
		seal_raw(&tx, &rx, plain, 16);
		CHECK_EQ(packet_get(&rx, &got), ERR_FORMAT);
		CHECK_EQ(buf_len(&got), 0);
		pair_free(&tx, &rx);
		pair_init(&tx, &rx, ciphers[c]);
		plain[4] = 14;			/* one byte payload: fine */
		seal_raw(&tx, &rx, plain, 16);
		CHECK_EQ(packet_get(&rx, &got), 0);
		CHECK(buf_len(&got) == 1 && buf_ptr(&got)[0] == plain[5]);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

/* A flipped bit in body or tag is ERR_MAC; input and seq stay. */
static void
t_bad_tag(void)
{
	unsigned char p[40], save[100];
	struct packet_state tx, rx;
	struct buf got;
	size_t c, pos, n, where[3];
	int w;

	buf_init(&got, 0);
	fill(p, sizeof(p), 77);
	for (c = 1; c < NCIPHERS; c++) {
		for (w = 0; w < 3; w++) {
			pair_init(&tx, &rx, ciphers[c]);
			CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
			transfer(&tx, &rx);
			n = buf_len(&rx.in);
			where[0] = 4;			/* padding_length */
			where[1] = n / 2;		/* body */
			where[2] = n - 1;		/* tag */
			pos = where[w];
			buf_mptr(&rx.in)[pos] ^= 0x04;
			memcpy(save, buf_ptr(&rx.in), n);
			CHECK_EQ(packet_get(&rx, &got), ERR_MAC);
			CHECK_EQ(buf_len(&got), 0);
			CHECK(buf_len(&rx.in) == n &&
			    memcmp(buf_ptr(&rx.in), save, n) == 0);
			CHECK_EQ(rx.rx.seq, 0);
			pair_free(&tx, &rx);
		}
		/* chacha's nonce is the sequence number: a mismatch fails */
		pair_init(&tx, &rx, ciphers[c]);
		CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
		transfer(&tx, &rx);
		rx.rx.seq = 1;
		if (cipher_by_name(ciphers[c])->len_encrypted)
			CHECK(packet_get(&rx, &got) != 0);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

/* Sequence numbers count every packet, wrap at 2^32, reset on request. */
static void
t_seq(void)
{
	unsigned char p[20];
	struct packet_state tx, rx;
	struct buf got;
	size_t c;
	int i;

	buf_init(&got, 0);
	fill(p, sizeof(p), 5);
	for (c = 0; c < NCIPHERS; c++) {
		pair_init(&tx, &rx, ciphers[c]);
		tx.tx.seq = rx.rx.seq = 0xfffffffe;
		for (i = 0; i < 3; i++) {
			CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
			transfer(&tx, &rx);
			CHECK_EQ(packet_get(&rx, &got), 0);
			CHECK_EQ(tx.tx.seq, (uint32_t)(0xffffffffu + i));
			CHECK_EQ(rx.rx.seq, tx.tx.seq);
		}
		CHECK_EQ(rx.tx.seq, 0);		/* other direction untouched */
		packet_reset_seq(&tx, 1);
		CHECK_EQ(tx.tx.seq, 0);
		CHECK_EQ(rx.rx.seq, 1);
		packet_reset_seq(&rx, 0);
		CHECK_EQ(rx.rx.seq, 0);
		CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
		transfer(&tx, &rx);
		CHECK_EQ(packet_get(&rx, &got), 0);
		CHECK_EQ(tx.tx.packets, 4);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

/* New keys restart the counters but not seq; old-key traffic fails. */
static void
t_set_cipher(void)
{
	const struct cipher_alg *a = cipher_by_name(ciphers[1]);
	unsigned char key[64] = { 1 }, p[10] = { 94 };
	struct packet_state tx, rx;
	struct buf got;

	buf_init(&got, 0);
	pair_init(&tx, &rx, NULL);
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	transfer(&tx, &rx);
	CHECK_EQ(packet_get(&rx, &got), 0);
	CHECK_EQ(packet_get(&rx, &got), 0);
	CHECK(tx.tx.bytes == 48 && tx.tx.packets == 2 && rx.rx.bytes == 48);
	CHECK_EQ(packet_set_cipher(&tx, 1, a, key, NULL), 0);
	CHECK_EQ(packet_set_cipher(&rx, 0, a, key, NULL), 0);
	CHECK(tx.tx.bytes == 0 && tx.tx.packets == 0 && tx.tx.seq == 2);
	CHECK(rx.rx.bytes == 0 && rx.rx.packets == 0 && rx.rx.seq == 2);
	CHECK(tx.rx.ctx == NULL && rx.tx.ctx == NULL);
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	transfer(&tx, &rx);
	CHECK_EQ(packet_get(&rx, &got), 0);
	CHECK_EQ(buf_len(&got), sizeof(p));
	CHECK_EQ(tx.tx.bytes, 4 + 16 + 16);
	/* rekey the receiver only: the sender's packet no longer opens */
	key[0] = 2;
	CHECK_EQ(packet_set_cipher(&rx, 0, a, key, NULL), 0);
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	transfer(&tx, &rx);
	CHECK(packet_get(&rx, &got) != 0);
	/* a row not from the table is refused; the old keys stay */
	CHECK_EQ(packet_set_cipher(&tx, 1, NULL, key, NULL), ERR_INTERNAL);
	CHECK(tx.tx.ctx != NULL && tx.tx.alg == a);
	pair_free(&tx, &rx);
	buf_free(&got);
}

/* Sizes on the wire of the smallest packets, and the upper limit. */
static void
t_sizes(void)
{
	static const size_t smallest[] = { 16, 4 + 8 + 16, 4 + 16 + 16,
	    4 + 16 + 16 };
	static unsigned char big[PACKET_MAX_LEN + 1];
	struct packet_state tx, rx;
	struct buf got;
	size_t c;

	buf_init(&got, 0);
	for (c = 0; c < NCIPHERS; c++) {
		pair_init(&tx, &rx, ciphers[c]);
		CHECK_EQ(packet_put(&tx, big, 1), 0);
		CHECK_EQ(buf_len(&tx.out), smallest[c]);
		CHECK_EQ(packet_put(&tx, big, 0), ERR_INTERNAL);
		CHECK_EQ(packet_put(&tx, big, PACKET_MAX_LEN), ERR_LENGTH);
		CHECK_EQ(packet_put(&tx, big, PACKET_MAX_LEN - 4), ERR_LENGTH);
		CHECK_EQ(buf_len(&tx.out), smallest[c]);
		CHECK_EQ(tx.tx.seq, 1);
		fill(big, PACKET_MAX_LEN - 32, 1);
		CHECK_EQ(packet_put(&tx, big, PACKET_MAX_LEN - 32), 0);
		transfer(&tx, &rx);
		CHECK_EQ(packet_get(&rx, &got), 0);
		CHECK_EQ(packet_get(&rx, &got), 0);
		CHECK(buf_len(&got) == PACKET_MAX_LEN - 32 &&
		    memcmp(buf_ptr(&got), big, buf_len(&got)) == 0);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

const struct ut_case packet_cases[] = {
	{ "roundtrip", t_roundtrip },
	{ "bytewise", t_bytewise },
	{ "multi", t_multi },
	{ "bad_clear", t_bad_clear },
	{ "bad_length_cipher", t_bad_length_cipher },
	{ "bad_padding_cipher", t_bad_padding_cipher },
	{ "bad_tag", t_bad_tag },
	{ "seq", t_seq },
	{ "set_cipher", t_set_cipher },
	{ "sizes", t_sizes },
	{ NULL, NULL },
};
