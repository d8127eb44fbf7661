/* fuzz_kexinit.c - libFuzzer target for KEXINIT parsing and negotiation. */
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/kex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kexinit peer, mine;
	struct kex_result res;
	struct buf b;
	int which;

	if (kex_parse_kexinit(data, size, &peer) != 0)
		return 0;
	buf_init(&b, 0);
	if (kex_build_kexinit(&b, "curve25519-sha256", "ssh-ed25519",
	    "chacha20-poly1305@openssh.com,aes128-ctr,aes128-gcm@openssh.com",
	    "hmac-sha2-256-etm@openssh.com,hmac-sha2-256", 1) == 0 &&
	    kex_parse_kexinit(buf_ptr(&b), buf_len(&b), &mine) == 0) {
		(void)kex_negotiate(&peer, &mine, 1, &res, &which);
		kexinit_free(&mine);
	}
	buf_free(&b);
	kexinit_free(&peer);
	return 0;
}
