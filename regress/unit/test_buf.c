/* test_buf.c - bounds and encodings of the buffer API. */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "proto/buf.h"
#include "regress/unit/unittest.h"

static void
t_roundtrip(void)
{
	struct buf b;
	uint8_t c;
	uint32_t v;
	uint64_t w;
	int bo;
	char *s;
	size_t n;

	buf_init(&b, 0);
	CHECK_EQ(buf_put_u8(&b, 7), 0);
	CHECK_EQ(buf_put_u32(&b, 0xdeadbeef), 0);
	CHECK_EQ(buf_put_u64(&b, 0x0102030405060708ull), 0);
	CHECK_EQ(buf_put_bool(&b, 5), 0);
	CHECK_EQ(buf_put_cstring(&b, "hello"), 0);
	CHECK_EQ(buf_len(&b), 1 + 4 + 8 + 1 + 4 + 5);
	CHECK_EQ(buf_get_u8(&b, &c), 0);
	CHECK_EQ(c, 7);
	CHECK_EQ(buf_get_u32(&b, &v), 0);
	CHECK_EQ(v, 0xdeadbeef);
	CHECK_EQ(buf_get_u64(&b, &w), 0);
	CHECK_EQ(w, 0x0102030405060708ull);
	CHECK_EQ(buf_get_bool(&b, &bo), 0);
	CHECK_EQ(bo, 1);
	CHECK_EQ(buf_get_cstring(&b, &s, &n), 0);
	CHECK(s != NULL && strcmp(s, "hello") == 0 && n == 5);
	free(s);
	CHECK_EQ(buf_len(&b), 0);
	CHECK_EQ(buf_get_u8(&b, &c), ERR_SHORT);
	buf_free(&b);
}

static void
t_short_clears(void)
{
	static const unsigned char two[] = { 1, 2 };
	static const unsigned char badlen[] = { 0, 0, 0, 9, 'a', 'b' };
	struct buf b;
	uint32_t v = 99;
	const unsigned char *p = two;
	size_t n = 5;

	buf_view(&b, two, sizeof(two));
	CHECK_EQ(buf_get_u32(&b, &v), ERR_SHORT);
	CHECK_EQ(v, 0);
	CHECK_EQ(buf_len(&b), 2);	/* nothing consumed */
	buf_view(&b, badlen, sizeof(badlen));
	CHECK_EQ(buf_get_sview(&b, &p, &n), ERR_SHORT);
	CHECK(p == NULL && n == 0);
	CHECK_EQ(buf_len(&b), sizeof(badlen));
	CHECK_EQ(buf_put_u8(&b, 1), ERR_INTERNAL);	/* views are read-only */
}

static void
t_inner_nul(void)
{
	static const unsigned char s[] = { 0, 0, 0, 3, 'a', 0, 'b' };
	struct buf b;
	char *out = (char *)1;

	buf_view(&b, s, sizeof(s));
	CHECK_EQ(buf_get_cstring(&b, &out, NULL), ERR_NUL);
	CHECK(out == NULL);
	CHECK_EQ(buf_len(&b), sizeof(s));
}

static void
t_cview(void)
{
	static const unsigned char bad[] = { 0, 0, 0, 3, 'a', 0, 'b' };
	static const unsigned char good[] = { 0, 0, 0, 2, 'h', 'i' };
	struct buf b;
	struct sview v;

	buf_view(&b, bad, sizeof(bad));
	CHECK_EQ(buf_get_cview(&b, &v), ERR_NUL);
	CHECK(v.p == NULL && v.n == 0);
	buf_view(&b, good, sizeof(good));
	CHECK_EQ(buf_get_cview(&b, &v), 0);
	CHECK(sview_eq(&v, "hi"));
	CHECK_EQ(buf_len(&b), 0);
}

static void
t_max(void)
{
	struct buf b;
	unsigned char big[100] = { 0 };
	unsigned char *d;

	buf_init(&b, 64);
	CHECK_EQ(buf_put(&b, big, 64), 0);
	CHECK_EQ(buf_put_u8(&b, 1), ERR_LENGTH);
	CHECK_EQ(buf_consume(&b, 60), 0);
	CHECK_EQ(buf_put(&b, big, 60), 0);	/* compaction makes room */
	CHECK_EQ(buf_len(&b), 64);
	CHECK_EQ(buf_reserve(&b, 1, &d), ERR_LENGTH);
	CHECK(d == NULL);
	CHECK_EQ(buf_consume(&b, 65), ERR_SHORT);
	buf_free(&b);
	buf_init(&b, 0);
	CHECK_EQ(buf_put_string(&b, big, BUF_STRING_MAX + 1), ERR_LENGTH);
	buf_free(&b);
}

static void
t_mpint(void)
{
	static const unsigned char v1[] = { 0, 0, 0x80, 1 };
	static const unsigned char want1[] = { 0, 0, 0, 3, 0, 0x80, 1 };
	static const unsigned char v2[] = { 0, 0 };
	static const unsigned char want2[] = { 0, 0, 0, 0 };
	struct buf b;

	buf_init(&b, 0);
	CHECK_EQ(buf_put_mpint_unsigned(&b, v1, sizeof(v1)), 0);
	CHECK(buf_len(&b) == sizeof(want1) &&
	    memcmp(buf_ptr(&b), want1, sizeof(want1)) == 0);
	buf_reset(&b);
	CHECK_EQ(buf_put_mpint_unsigned(&b, v2, sizeof(v2)), 0);
	CHECK(buf_len(&b) == sizeof(want2) &&
	    memcmp(buf_ptr(&b), want2, sizeof(want2)) == 0);
	buf_free(&b);
}

static void
t_subbuf(void)
{
	static const unsigned char s[] = { 0, 0, 0, 5, 0, 0, 0, 1, 9, 0xff };
	struct buf b, sub;
	uint32_t v;
	uint8_t c;

	buf_view(&b, s, sizeof(s));
	CHECK_EQ(buf_get_subbuf(&b, &sub), 0);
	CHECK_EQ(buf_get_u32(&sub, &v), 0);
	CHECK_EQ(v, 1);
	CHECK_EQ(buf_get_u8(&sub, &c), 0);
	CHECK_EQ(c, 9);
	CHECK_EQ(buf_len(&sub), 0);
	CHECK_EQ(buf_len(&b), 1);
}

const struct ut_case buf_cases[] = {
	{ "roundtrip", t_roundtrip },
	{ "short_clears", t_short_clears },
	{ "inner_nul", t_inner_nul },
	{ "cview", t_cview },
	{ "max", t_max },
	{ "mpint", t_mpint },
	{ "subbuf", t_subbuf },
	{ NULL, NULL },
};
