/* fuzz_monmsg.c - libFuzzer target for the monitor message decoder. */
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/monmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mon_msg m;
	struct buf out;

	if (mon_decode(data, size, &m) == 0) {
		/* Whatever decodes must encode back to the same bytes. */
		buf_init(&out, 0);
		if (mon_encode(&m, &out) != 0 || buf_len(&out) != size)
			__builtin_trap();
		buf_free(&out);
	}
	return 0;
}
