/*
 * fuzz_xauth.c - libFuzzer target for the X authority file functions:
 * the input is the old file for xauth_merge and xauth_remove (the first
 * byte picks the display number of the entry, so that some inputs hold
 * matching entries) and hex text for xauth_hex_decode.
 */
#include "autoconf.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "proto/buf.h"
#include "session/xauth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xauth_entry e;
	struct buf out, again, rm;
	unsigned char cookie[64];
	char number[8];
	size_t n;

	memset(&e, 0, sizeof(e));
	snprintf(number, sizeof(number), "%u", size > 0 ? data[0] % 4 : 0);
	e.family = 256;
	e.addr.p = (const unsigned char *)"h";
	e.addr.n = 1;
	e.number.p = (const unsigned char *)number;
	e.number.n = strlen(number);
	e.name.p = (const unsigned char *)"MIT-MAGIC-COOKIE-1";
	e.name.n = 18;
	e.data.p = cookie;
	e.data.n = 16;
	memset(cookie, 0x5a, sizeof(cookie));

	buf_init(&out, size + 256);
	buf_init(&again, size + 256);
	buf_init(&rm, size + 256);
	if (xauth_merge(data, size, &e, &out) == 0) {
		/* The result parses, holds e once, merging is idempotent. */
		if (xauth_remove(buf_ptr(&out), buf_len(&out), &e, &rm) != 0 ||
		    xauth_merge(buf_ptr(&rm), buf_len(&rm), &e, &again) != 0 ||
		    buf_len(&again) != buf_len(&out) ||
		    memcmp(buf_ptr(&again), buf_ptr(&out), buf_len(&out)) != 0)
			__builtin_trap();
		buf_reset(&rm);
		if (xauth_remove(data, size, &e, &rm) != 0 ||
		    buf_len(&rm) > size)
			__builtin_trap();
	} else if (xauth_remove(data, size, &e, &rm) == 0)
		__builtin_trap();	/* both parse the same input */
	buf_free(&out);
	buf_free(&again);
	buf_free(&rm);
	(void)xauth_hex_decode((const char *)data, size, cookie,
	    sizeof(cookie), &n);
	return 0;
}
