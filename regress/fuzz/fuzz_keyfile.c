/*
 * fuzz_keyfile.c - libFuzzer target for the key parsers in crypto/sshkey.c:
 * the input goes whole to sshkey_parse_private (openssh-key-v1 text),
 * sshkey_from_blob (public blob) and b64_decode.  A parse that succeeds
 * must survive re-encoding: a parsed private key formats and parses back
 * to the same key, a parsed blob re-encodes to the same bytes.  Any
 * failure to do so aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "crypto/sshkey.h"
#include "proto/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_private(const uint8_t *data, size_t size, struct sshkey *k,
    struct sshkey *k2)
{
	struct buf out;

	if (sshkey_parse_private((const char *)data, size, k) != 0)
		return;
	buf_init(&out, 0);
	if (sshkey_format_private(k, &out) != 0 ||
	    sshkey_parse_private((const char *)buf_ptr(&out), buf_len(&out),
	    k2) != 0 || memcmp(k, k2, sizeof(*k)) != 0)
		abort();
	buf_free(&out);
}

static void
fuzz_blob(const uint8_t *data, size_t size, struct sshkey *k)
{
	struct buf out;

	if (sshkey_from_blob(data, size, k) != 0)
		return;
	buf_init(&out, 0);
	if (sshkey_to_blob(k, &out) != 0 || buf_len(&out) != size ||
	    memcmp(buf_ptr(&out), data, size) != 0)
		abort();
	buf_free(&out);
}

static void
fuzz_b64(const uint8_t *data, size_t size)
{
	struct buf out, again;

	buf_init(&out, 0);
	buf_init(&again, 0);
	if (b64_decode((const char *)data, size, &out) == 0 &&
	    (b64_encode(buf_ptr(&out), buf_len(&out), &again) != 0 ||
	    buf_len(&again) > size))
		abort();
	buf_free(&out);
	buf_free(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sshkey *k, *k2;

	if (k == NULL && ((k = sshkey_new()) == NULL ||
	    (k2 = sshkey_new()) == NULL))
		abort();
	fuzz_private(data, size, k, k2);
	fuzz_blob(data, size, k);
	fuzz_b64(data, size);
	return 0;
}
