/*
 * fuzz_ptymodes.c - libFuzzer target for ptymodes_apply(): any input must
 * parse or fail with ERR_FORMAT, never read out of bounds, and a failure
 * must leave the termios untouched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include "common/err.h"
#include "session/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct termios t, before;
	int rc;

	memset(&t, 0x5a, sizeof(t));
	before = t;
	rc = ptymodes_apply(&t, data, size);
	if (rc != 0 && rc != ERR_FORMAT)
		abort();
	if (rc != 0 && memcmp(&t, &before, sizeof(t)) != 0)
		abort();
	return 0;
}
