/*
 * test_packet.c - the binary packet layer: framing in clear, under each
 * AEAD cipher and in both MAC layouts (encrypt-then-MAC and classic),
 * partial input, several packets in one read, bad lengths and padding,
 * bad and truncated tags and MACs, the wire layouts against references
 * composed here, sequence numbers and counters.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/err.h"
#include "crypto/cipher.h"
#include "crypto/mac.h"
#include "proto/buf.h"
#include "proto/packet.h"
#include "regress/unit/unittest.h"

/*
 * A cipher and MAC pair, with the wire size of a one-byte payload (the
 * smallest packet).  With an AEAD cipher the MAC is ignored.
 */
struct suite {
	const char *cipher, *mac;	/* cipher NULL: clear */
	size_t smallest;
};

static const struct suite suites[] = {
	{ NULL, NULL, 16 },
	{ "chacha20-poly1305@openssh.com", NULL, 4 + 8 + 16 },
	{ "aes128-gcm@openssh.com", NULL, 4 + 16 + 16 },
	{ "aes256-gcm@openssh.com", "hmac-sha2-512", 4 + 16 + 16 },
	/* encrypt-then-MAC: the length outside the blocks */
	{ "aes128-ctr", "hmac-sha2-256-etm@openssh.com", 4 + 16 + 32 },
	{ "aes192-ctr", "hmac-sha2-512-etm@openssh.com", 4 + 16 + 64 },
	{ "aes256-ctr", "hmac-sha1-etm@openssh.com", 4 + 16 + 20 },
	/* classic: the length in the first block */
	{ "aes128-ctr", "hmac-sha2-256", 16 + 32 },
	{ "aes192-ctr", "hmac-sha2-512", 16 + 64 },
	{ "aes256-ctr", "hmac-sha1", 16 + 20 },
};
#define NSUITES		(sizeof(suites) / sizeof(suites[0]))

enum layout { L_CLEAR, L_AEAD, L_ETM, L_CLASSIC };

static enum layout
suite_layout(const struct suite *s)
{
	if (s->cipher == NULL)
		return L_CLEAR;
	if (cipher_by_name(s->cipher)->aead)
		return L_AEAD;
	return mac_by_name(s->mac)->etm ? L_ETM : L_CLASSIC;
}

static size_t
suite_block(const struct suite *s)
{
	return s->cipher == NULL ? 8 : cipher_by_name(s->cipher)->block_len;
}

/* Bytes after the packet: the AEAD tag or the MAC. */
static size_t
suite_tag(const struct suite *s)
{
	switch (suite_layout(s)) {
	case L_AEAD: return cipher_by_name(s->cipher)->tag_len;
	case L_ETM:
	case L_CLASSIC: return mac_by_name(s->mac)->mac_len;
	default: return 0;
	}
}

/* The framing rule, stated again here: may packet_length be len? */
static int
suite_len_ok(const struct suite *s, uint32_t len)
{
	enum layout l = suite_layout(s);
	size_t outside = l == L_AEAD || l == L_ETM ? 4 : 0;

	return len >= 6 && len <= PACKET_MAX_LEN &&
	    (4 - outside + (size_t)len) % suite_block(s) == 0;
}

static void
suite_name(const struct suite *s, char *out, size_t n)
{
	snprintf(out, n, "%s+%s", s->cipher ? s->cipher : "clear",
	    s->mac ? s->mac : "-");
}

/* Keys of one direction: the same bytes on both ends. */
static void
test_keys(unsigned char key[64], unsigned char iv[16],
    unsigned char mkey[64])
{
	size_t i;

	for (i = 0; i < 64; i++) {
		key[i] = (unsigned char)(i * 13 + 1);
		mkey[i] = (unsigned char)(i * 7 + 0x40);
	}
	for (i = 0; i < 16; i++)
		iv[i] = (unsigned char)(0xf0 + i);
}

/* A sender and a receiver sharing keys for suite s. */
static void
pair_init(struct packet_state *tx, struct packet_state *rx,
    const struct suite *s)
{
	const struct cipher_alg *a;
	const struct mac_alg *m;
	unsigned char key[64], iv[16], mkey[64];

	packet_init(tx);
	packet_init(rx);
	if (s->cipher == NULL)
		return;
	test_keys(key, iv, mkey);
	a = cipher_by_name(s->cipher);
	m = s->mac != NULL ? mac_by_name(s->mac) : NULL;
	CHECK(a != NULL && (s->mac == NULL || m != NULL));
	CHECK_EQ(packet_set_cipher(tx, 1, a, key, iv, m, mkey), 0);
	CHECK_EQ(packet_set_cipher(rx, 0, a, key, iv, m, mkey), 0);
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
check_frame(const struct packet_state *tx, const struct suite *s,
    size_t plen)
{
	size_t wire = buf_len(&tx->out), tag = suite_tag(s), body;
	size_t block = suite_block(s);
	enum layout l = suite_layout(s);

	CHECK(wire > 4 + tag);
	body = wire - 4 - tag;		/* packet_length */
	CHECK(body >= 1 + plen + 4 && body <= 1 + plen + 4 + block - 1);
	CHECK(suite_len_ok(s, (uint32_t)body));
	if (l == L_AEAD || l == L_ETM)
		CHECK_EQ(body % block, 0);	/* length outside the blocks */
	else
		CHECK_EQ((4 + body) % block, 0);
	/* the length is in clear in clear, under gcm and EtM */
	if (l == L_CLEAR || l == L_ETM ||
	    (l == L_AEAD && !cipher_by_name(s->cipher)->len_encrypted))
		CHECK_EQ(buf_be32(buf_ptr(&tx->out)), body);
	else
		CHECK(buf_be32(buf_ptr(&tx->out)) != body);
}

static void
roundtrip_one(const struct suite *s)
{
	static const size_t lens[] = { 1, 2, 3, 4, 7, 11, 12, 15, 16, 17,
	    31, 100, 255, 256, 1000, 32768 };
	static unsigned char p[32768];
	struct packet_state tx, rx;
	struct buf got;
	char name[96];
	size_t i;

	buf_init(&got, 0);
	suite_name(s, name, sizeof(name));
	pair_init(&tx, &rx, s);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		fill(p, lens[i], (unsigned)i);
		CHECK_EQ(packet_put(&tx, p, lens[i]), 0);
		check_frame(&tx, s, lens[i]);
		transfer(&tx, &rx);
		if (!CHECK_EQ(packet_get(&rx, &got), 0))
			printf("#   %s length %zu\n", name, lens[i]);
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
	buf_free(&got);
}

static void
t_roundtrip(void)
{
	size_t c;

	for (c = 0; c < NSUITES; c++)
		roundtrip_one(&suites[c]);
}

/* Every cipher with every MAC (ignored under AEAD), both layouts. */
static void
t_roundtrip_matrix(void)
{
	static const char *ciphers[] = { "chacha20-poly1305@openssh.com",
	    "aes128-ctr", "aes192-ctr", "aes256-ctr",
	    "aes128-gcm@openssh.com", "aes256-gcm@openssh.com" };
	static const char *macs[] = { "hmac-sha2-256-etm@openssh.com",
	    "hmac-sha2-512-etm@openssh.com", "hmac-sha1-etm@openssh.com",
	    "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1" };
	struct suite s;
	size_t c, m;

	for (c = 0; c < sizeof(ciphers) / sizeof(ciphers[0]); c++)
		for (m = 0; m < sizeof(macs) / sizeof(macs[0]); m++) {
			s.cipher = ciphers[c];
			s.mac = macs[m];
			s.smallest = 0;
			roundtrip_one(&s);
		}
}

/* One byte at a time: ERR_AGAIN, input untouched, until the last byte. */
static void
t_bytewise(void)
{
	struct packet_state tx, rx;
	unsigned char p[300], wire[600];
	struct buf got;
	size_t c, k, n1, n, base, tag;
	int r;

	buf_init(&got, 0);
	fill(p, sizeof(p), 3);
	for (c = 0; c < NSUITES; c++) {
		pair_init(&tx, &rx, &suites[c]);
		tag = suite_tag(&suites[c]);
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
	for (c = 0; c < NSUITES; c++) {
		pair_init(&tx, &rx, &suites[c]);
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

/*
 * Protect LEN bytes of PLAIN (4 length bytes first, filled in here) as
 * tx's keys would, by hand through the crypto interfaces, and append the
 * wire bytes (wire MUST hold 4 + len + tag) to rx's input.  Advances
 * nothing in tx but its cipher position.
 */
static void
seal_raw(struct packet_state *tx, struct packet_state *rx,
    unsigned char *plain, uint32_t len)
{
	struct packet_dir *d = &tx->tx;
	unsigned char out[4 + 64 + 64];

	CHECK(len <= 64);
	buf_set_be32(plain, len);
	memcpy(out, plain, 4 + len);
	if (d->alg->aead)
		CHECK_EQ(cipher_crypt(d->ctx, d->seq, out, plain, len), 0);
	else if (d->mac_alg->etm) {
		CHECK_EQ(cipher_stream(d->ctx, out + 4, out + 4, len), 0);
		CHECK_EQ(mac_compute(d->mac, d->seq, out, 4 + len,
		    out + 4 + len), 0);
	} else {
		CHECK_EQ(mac_compute(d->mac, d->seq, out, 4 + len,
		    out + 4 + len), 0);
		CHECK_EQ(cipher_stream(d->ctx, out, out, 4 + len), 0);
	}
	CHECK_EQ(buf_put(&rx->in, out, 4 + len + (d->alg->aead ?
	    d->alg->tag_len : d->mac_alg->mac_len)), 0);
}

/*
 * The first wire bytes of a packet whose length field is len, as the
 * receiver needs them to read the length: 4 bytes, except classic, where
 * the whole first block (the stream only moves by blocks).  out MUST hold
 * 32 bytes (an AEAD seal writes its tag after the 4 bytes).
 */
static size_t
wire_length(struct packet_state *tx, const struct suite *s, uint32_t len,
    unsigned char out[32])
{
	memset(out, 0, 32);
	buf_set_be32(out, len);
	switch (suite_layout(s)) {
	case L_AEAD:
		CHECK_EQ(cipher_crypt(tx->tx.ctx, 0, out, out, 0), 0);
		return 4;
	case L_CLASSIC:
		CHECK_EQ(cipher_stream(tx->tx.ctx, out, out, 16), 0);
		return 16;
	default:
		return 4;
	}
}

/* Under each suite: lengths out of range or off the block are refused. */
static void
t_bad_length_cipher(void)
{
	static const uint32_t lens[] = { PACKET_MAX_LEN + 16, 0xfffffff0, 0,
	    4, 5, 6, 8, 12, 16, 20, 24, 28, 32, PACKET_MAX_LEN - 4,
	    PACKET_MAX_LEN, PACKET_MAX_LEN + 12 };
	struct packet_state tx, rx;
	unsigned char pkt[32];
	struct buf got;
	char name[96];
	size_t c, i, n;
	int want;

	buf_init(&got, 0);
	for (c = 1; c < NSUITES; c++) {
		suite_name(&suites[c], name, sizeof(name));
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			pair_init(&tx, &rx, &suites[c]);
			n = wire_length(&tx, &suites[c], lens[i], pkt);
			CHECK_EQ(buf_put(&rx.in, pkt, n), 0);
			want = suite_len_ok(&suites[c], lens[i]) ? ERR_AGAIN :
			    ERR_LENGTH;
			if (!CHECK_EQ(packet_get(&rx, &got), want))
				printf("#   %s length %u\n", name,
				    (unsigned)lens[i]);
			if (want == ERR_AGAIN)
				CHECK_EQ(rx.rx_need, lens[i]);
			pair_free(&tx, &rx);
		}
	}
	buf_free(&got);
}

/* Authenticated but badly padded packets: ERR_LENGTH / ERR_FORMAT. */
static void
t_bad_padding_cipher(void)
{
	unsigned char plain[4 + 64];
	struct packet_state tx, rx;
	struct buf got;
	uint32_t len;
	size_t c;

	buf_init(&got, 0);
	for (c = 1; c < NSUITES; c++) {
		len = suite_len_ok(&suites[c], 16) ? 16 : 28;
		CHECK(suite_len_ok(&suites[c], len));
		fill(plain, sizeof(plain), 1);
		pair_init(&tx, &rx, &suites[c]);
		plain[4] = 3;			/* padding below 4 */
		seal_raw(&tx, &rx, plain, len);
		CHECK_EQ(packet_get(&rx, &got), ERR_LENGTH);
		pair_free(&tx, &rx);
		pair_init(&tx, &rx, &suites[c]);
		plain[4] = (unsigned char)len;	/* more than the packet */
		seal_raw(&tx, &rx, plain, len);
		CHECK_EQ(packet_get(&rx, &got), ERR_LENGTH);
		pair_free(&tx, &rx);
		pair_init(&tx, &rx, &suites[c]);
		plain[4] = (unsigned char)(len - 1);	/* no message type */
		seal_raw(&tx, &rx, plain, len);
		CHECK_EQ(packet_get(&rx, &got), ERR_FORMAT);
		CHECK_EQ(buf_len(&got), 0);
		pair_free(&tx, &rx);
		pair_init(&tx, &rx, &suites[c]);
		plain[4] = (unsigned char)(len - 2);	/* one byte: fine */
		seal_raw(&tx, &rx, plain, len);
		CHECK_EQ(packet_get(&rx, &got), 0);
		CHECK(buf_len(&got) == 1 && buf_ptr(&got)[0] == plain[5]);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

/*
 * A flipped bit in body, tag or MAC is ERR_MAC; input and seq stay.  With a
 * stream cipher the keystream position stays too: the repaired packet then
 * opens (classic decrypts before it can check, and must undo that).
 */
static void
t_bad_tag(void)
{
	unsigned char p[40], save[200];
	struct packet_state tx, rx;
	struct buf got;
	size_t c, pos, n, where[3];
	int w;

	buf_init(&got, 0);
	fill(p, sizeof(p), 77);
	for (c = 1; c < NSUITES; c++) {
		enum layout l = suite_layout(&suites[c]);

		for (w = 0; w < 3; w++) {
			pair_init(&tx, &rx, &suites[c]);
			CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
			transfer(&tx, &rx);
			n = buf_len(&rx.in);
			CHECK(n <= sizeof(save));
			where[0] = 4;			/* padding_length */
			where[1] = n / 2;		/* body or MAC */
			where[2] = n - 1;		/* tag / MAC */
			pos = where[w];
			buf_mptr(&rx.in)[pos] ^= 0x04;
			memcpy(save, buf_ptr(&rx.in), n);
			CHECK_EQ(packet_get(&rx, &got), ERR_MAC);
			CHECK_EQ(buf_len(&got), 0);
			CHECK(buf_len(&rx.in) == n &&
			    memcmp(buf_ptr(&rx.in), save, n) == 0);
			CHECK_EQ(rx.rx.seq, 0);
			if (l == L_ETM || l == L_CLASSIC) {
				buf_mptr(&rx.in)[pos] ^= 0x04;
				CHECK_EQ(packet_get(&rx, &got), 0);
				CHECK(buf_len(&got) == sizeof(p) &&
				    memcmp(buf_ptr(&got), p, sizeof(p)) == 0);
			}
			pair_free(&tx, &rx);
		}
		/* the nonce (chacha) or the MAC covers seq: a mismatch fails */
		pair_init(&tx, &rx, &suites[c]);
		CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
		transfer(&tx, &rx);
		rx.rx.seq = 1;
		if (l != L_AEAD || cipher_by_name(suites[c].cipher)->
		    len_encrypted)
			CHECK(packet_get(&rx, &got) != 0);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

/*
 * A tag or MAC cut short (by 4 bytes, so that the bytes taken from the
 * next packet in their place match by chance only once in 2^32): the
 * receiver waits for the rest; followed by the next packet, the MAC it
 * reads is wrong.  Either way nothing is taken as a payload.
 */
static void
t_truncated_mac(void)
{
	unsigned char p[40], wire[600];
	struct packet_state tx, rx;
	struct buf got;
	size_t c, n1, n;

	buf_init(&got, 0);
	fill(p, sizeof(p), 12);
	for (c = 1; c < NSUITES; c++) {
		pair_init(&tx, &rx, &suites[c]);
		CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
		n1 = buf_len(&tx.out);
		CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
		n = buf_len(&tx.out);
		CHECK(n <= sizeof(wire));
		memcpy(wire, buf_ptr(&tx.out), n);
		CHECK_EQ(buf_put(&rx.in, wire, n1 - 4), 0);
		CHECK_EQ(packet_get(&rx, &got), ERR_AGAIN);
		CHECK_EQ(buf_put(&rx.in, wire + n1, n - n1), 0);
		CHECK_EQ(packet_get(&rx, &got), ERR_MAC);
		CHECK_EQ(buf_len(&got), 0);
		CHECK_EQ(rx.rx.seq, 0);
		pair_free(&tx, &rx);
	}
	buf_free(&got);
}

/*
 * Encrypt-then-MAC checks the MAC before it decrypts anything: with the
 * receiver's cipher context swapped for one that refuses cipher_stream
 * (an AEAD context), a bad MAC still gives ERR_MAC, a good one reaches
 * the decryption and fails there.
 */
static void
t_etm_mac_first(void)
{
	const struct suite *s = &suites[4];
	unsigned char key[64], iv[16], mkey[64], p[20];
	struct packet_state tx, rx;
	struct cipher_ctx *ctr, *aead;
	struct buf got;

	CHECK(suite_layout(s) == L_ETM);
	buf_init(&got, 0);
	fill(p, sizeof(p), 4);
	test_keys(key, iv, mkey);
	pair_init(&tx, &rx, s);
	CHECK_EQ(cipher_init(&aead, cipher_by_name("aes128-gcm@openssh.com"),
	    0, key, iv), 0);
	ctr = rx.rx.ctx;
	rx.rx.ctx = aead;
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	transfer(&tx, &rx);
	buf_mptr(&rx.in)[buf_len(&rx.in) - 1] ^= 1;
	CHECK_EQ(packet_get(&rx, &got), ERR_MAC);
	buf_mptr(&rx.in)[buf_len(&rx.in) - 1] ^= 1;
	CHECK_EQ(packet_get(&rx, &got), ERR_INTERNAL);
	rx.rx.ctx = ctr;
	cipher_free(aead);
	pair_free(&tx, &rx);
	buf_free(&got);
}

/*
 * The layouts on the wire, checked against references composed here from
 * OpenSSL's one-shot HMAC and an AES-CTR context of our own (its counter
 * running across packets): EtM is length || CTR(body) || HMAC(seq ||
 * length || CTR(body)); classic is CTR(length || body) ||
 * HMAC(seq || length || body).
 */
static void
wire_one(const struct suite *s)
{
	const struct cipher_alg *a = cipher_by_name(s->cipher);
	const struct mac_alg *m = mac_by_name(s->mac);
	unsigned char key[64], iv[16], mkey[64], p[50], plain[4 + 96];
	unsigned char mac[64], seqbuf[4 + 4 + 96];
	const unsigned char *w;
	struct packet_state tx, rx;
	EVP_CIPHER_CTX *ref = EVP_CIPHER_CTX_new();
	unsigned int maclen;
	uint32_t seq, len;
	int outl;

	test_keys(key, iv, mkey);
	pair_init(&tx, &rx, s);
	CHECK(ref != NULL && EVP_EncryptInit_ex(ref, a->key_len == 16 ?
	    EVP_aes_128_ctr() : a->key_len == 24 ? EVP_aes_192_ctr() :
	    EVP_aes_256_ctr(), NULL, key, iv) == 1);
	for (seq = 0; seq < 3; seq++) {
		fill(p, sizeof(p), seq);
		CHECK_EQ(packet_put(&tx, p, sizeof(p) - seq * 7), 0);
		w = buf_ptr(&tx.out);
		if (m->etm) {
			len = buf_be32(w);
			CHECK(len <= 96);
			memcpy(plain, w, 4);
			CHECK(EVP_EncryptUpdate(ref, plain + 4, &outl, w + 4,
			    (int)len) == 1);
		} else {
			CHECK(EVP_EncryptUpdate(ref, plain, &outl, w, 16) == 1);
			len = buf_be32(plain);
			CHECK(len <= 96 && (4 + len) % 16 == 0);
			CHECK(EVP_EncryptUpdate(ref, plain + 16, &outl, w + 16,
			    (int)len - 12) == 1);
		}
		CHECK(buf_len(&tx.out) == 4 + len + m->mac_len);
		CHECK(plain[4] >= 4 && len == 1 + sizeof(p) - seq * 7 +
		    plain[4] && memcmp(plain + 5, p, sizeof(p) - seq * 7) == 0);
		buf_set_be32(seqbuf, seq);
		memcpy(seqbuf + 4, m->etm ? w : plain, 4 + len);
		CHECK(HMAC(m->mac_len == 32 ? EVP_sha256() : m->mac_len == 64 ?
		    EVP_sha512() : EVP_sha1(), mkey, (int)m->key_len, seqbuf,
		    8 + len, mac, &maclen) != NULL && maclen == m->mac_len);
		if (!CHECK(memcmp(w + 4 + len, mac, m->mac_len) == 0))
			printf("#   %s+%s packet %u\n", s->cipher, s->mac,
			    (unsigned)seq);
		buf_consume(&tx.out, buf_len(&tx.out));
	}
	EVP_CIPHER_CTX_free(ref);
	pair_free(&tx, &rx);
}

static void
t_wire(void)
{
	size_t c;

	for (c = 0; c < NSUITES; c++)
		if (suite_layout(&suites[c]) == L_ETM ||
		    suite_layout(&suites[c]) == L_CLASSIC)
			wire_one(&suites[c]);
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
	for (c = 0; c < NSUITES; c++) {
		pair_init(&tx, &rx, &suites[c]);
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
	const struct cipher_alg *a = cipher_by_name(suites[1].cipher);
	const struct cipher_alg *ctr = cipher_by_name("aes256-ctr");
	const struct mac_alg *m = mac_by_name("hmac-sha2-512");
	unsigned char key[64] = { 1 }, iv[16] = { 2 }, mkey[64] = { 3 };
	unsigned char p[10] = { 94 };
	struct packet_state tx, rx;
	struct buf got;

	buf_init(&got, 0);
	pair_init(&tx, &rx, &suites[0]);
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	transfer(&tx, &rx);
	CHECK_EQ(packet_get(&rx, &got), 0);
	CHECK_EQ(packet_get(&rx, &got), 0);
	CHECK(tx.tx.bytes == 48 && tx.tx.packets == 2 && rx.rx.bytes == 48);
	CHECK_EQ(packet_set_cipher(&tx, 1, a, key, NULL, NULL, NULL), 0);
	CHECK_EQ(packet_set_cipher(&rx, 0, a, key, NULL, m, NULL), 0);
	CHECK(tx.tx.bytes == 0 && tx.tx.packets == 0 && tx.tx.seq == 2);
	CHECK(rx.rx.bytes == 0 && rx.rx.packets == 0 && rx.rx.seq == 2);
	CHECK(tx.rx.ctx == NULL && rx.tx.ctx == NULL);
	CHECK(rx.rx.mac == NULL && rx.rx.mac_alg == NULL);  /* AEAD */
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	transfer(&tx, &rx);
	CHECK_EQ(packet_get(&rx, &got), 0);
	CHECK_EQ(buf_len(&got), sizeof(p));
	CHECK_EQ(tx.tx.bytes, 4 + 16 + 16);
	/* rekey the receiver only: the sender's packet no longer opens */
	key[0] = 2;
	CHECK_EQ(packet_set_cipher(&rx, 0, a, key, NULL, NULL, NULL), 0);
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	transfer(&tx, &rx);
	CHECK(packet_get(&rx, &got) != 0);
	/* a row not from the table, a stream cipher without a MAC: refused,
	 * the old keys stay */
	CHECK_EQ(packet_set_cipher(&tx, 1, NULL, key, NULL, NULL, NULL),
	    ERR_INTERNAL);
	CHECK_EQ(packet_set_cipher(&tx, 1, ctr, key, iv, NULL, mkey),
	    ERR_INTERNAL);
	CHECK(tx.tx.ctx != NULL && tx.tx.alg == a && tx.tx.mac == NULL);
	/* AEAD to ctr + MAC and back, on both sides */
	CHECK_EQ(packet_set_cipher(&tx, 1, ctr, key, iv, m, mkey), 0);
	CHECK_EQ(packet_set_cipher(&rx, 0, ctr, key, iv, m, mkey), 0);
	buf_reset(&rx.in);
	rx.rx.seq = tx.tx.seq;
	CHECK(tx.tx.mac != NULL && tx.tx.mac_alg == m);
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	CHECK_EQ(buf_len(&tx.out), 32 + 64);	/* 4 + 1 + 10 + 17 */
	transfer(&tx, &rx);
	CHECK_EQ(packet_get(&rx, &got), 0);
	CHECK_EQ(packet_set_cipher(&tx, 1, a, key, NULL, m, mkey), 0);
	CHECK_EQ(packet_set_cipher(&rx, 0, a, key, NULL, m, mkey), 0);
	CHECK(tx.tx.mac == NULL && rx.rx.mac == NULL);
	CHECK_EQ(packet_put(&tx, p, sizeof(p)), 0);
	transfer(&tx, &rx);
	CHECK_EQ(packet_get(&rx, &got), 0);
	pair_free(&tx, &rx);
	buf_free(&got);
}

/* Sizes on the wire of the smallest packets, and the upper limit. */
static void
t_sizes(void)
{
	static unsigned char big[PACKET_MAX_LEN + 1];
	struct packet_state tx, rx;
	struct buf got;
	size_t c;

	buf_init(&got, 0);
	for (c = 0; c < NSUITES; c++) {
		pair_init(&tx, &rx, &suites[c]);
		CHECK_EQ(packet_put(&tx, big, 1), 0);
		CHECK_EQ(buf_len(&tx.out), suites[c].smallest);
		CHECK_EQ(packet_put(&tx, big, 0), ERR_INTERNAL);
		CHECK_EQ(packet_put(&tx, big, PACKET_MAX_LEN), ERR_LENGTH);
		CHECK_EQ(packet_put(&tx, big, PACKET_MAX_LEN - 4), ERR_LENGTH);
		CHECK_EQ(buf_len(&tx.out), suites[c].smallest);
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
	{ "roundtrip_matrix", t_roundtrip_matrix },
	{ "bytewise", t_bytewise },
	{ "multi", t_multi },
	{ "bad_clear", t_bad_clear },
	{ "bad_length_cipher", t_bad_length_cipher },
	{ "bad_padding_cipher", t_bad_padding_cipher },
	{ "bad_tag", t_bad_tag },
	{ "truncated_mac", t_truncated_mac },
	{ "etm_mac_first", t_etm_mac_first },
	{ "wire", t_wire },
	{ "seq", t_seq },
	{ "set_cipher", t_set_cipher },
	{ "sizes", t_sizes },
	{ NULL, NULL },
};
