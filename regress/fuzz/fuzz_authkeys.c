/*
 * fuzz_authkeys.c - libFuzzer target for the authorized_keys parser: the
 * input is searched by authkeys_find_ex for a fixed Ed25519 key (every
 * "@K" in the input is first replaced by that key's base64, so that the
 * fuzzer reaches the option parser of matching lines), from a fixed
 * address, and the whole input is also parsed as an options string.  A
 * match must carry a line number inside the input.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/sshkey.h"
#include "monitor/authkeys.h"
#include "proto/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct buf blob, b64;

static void
make_key(void)
{
	unsigned char pk[32];

	memset(pk, 0x5a, sizeof(pk));
	buf_init(&blob, 0);
	buf_init(&b64, 0);
	if (buf_put_cstring(&blob, "ssh-ed25519") != 0 ||
	    buf_put_string(&blob, pk, sizeof(pk)) != 0 ||
	    b64_encode(buf_ptr(&blob), buf_len(&blob), &b64) != 0)
		abort();
}

/* data with "@K" replaced by the key's base64; caller frees. */
static char *
expand(const uint8_t *data, size_t size, size_t *outlen)
{
	size_t i, n = 0, kl = buf_len(&b64);
	char *out = malloc(size / 2 * kl + size + 1);

	if (out == NULL)
		abort();
	for (i = 0; i < size; i++) {
		if (data[i] == '@' && i + 1 < size && data[i + 1] == 'K') {
			memcpy(out + n, buf_ptr(&b64), kl);
			n += kl;
			i++;
		} else
			out[n++] = (char)data[i];
	}
	*outlen = n;
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct authkey_opts o;
	const char *e;
	char *text, why[256];
	size_t len;
	int lines = 1;

	if (buf_len(&blob) == 0)
		make_key();
	text = expand(data, size, &len);
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (authkeys_find_ex(text, len, buf_ptr(&blob), buf_len(&blob),
	    "10.1.2.3", 1700000000LL, &o, why, sizeof(why)) == 0 &&
	    (o.line < 1 || o.line > lines))
		abort();
	authkey_opts_free(&o);
	authkey_opts_init(&o);
	(void)authkeys_parse_options(text, len, &o, &e);
	authkey_opts_free(&o);
	free(text);
	return 0;
}
