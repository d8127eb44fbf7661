/*
 * fuzz_config.c - libFuzzer target for the sshd_config parser: the input
 * is parsed by config_parse_text (Include disabled), and a parse that
 * succeeds is finished, copied, dumped, and its Match blocks applied for a
 * fixed connection, which must not fail: stored Match lines were checked
 * when they were parsed.  Any failure aborts.
 */
#include "autoconf.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "monitor/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int devnull = -1;
	struct config c, d;
	char err[512];

	if (devnull < 0 && (devnull = open("/dev/null", O_WRONLY)) < 0)
		abort();
	config_defaults(&c);
	c.no_include = 1;
	if (config_parse_text(&c, "fuzz", (const char *)data, size, err,
	    sizeof(err)) == 0) {
		config_finish(&c);
		config_dump(&c, devnull);
		if (config_dup(&d, &c) != 0)
			abort();
		if (config_apply_match(&d, "bob", "users,wheel", "10.1.2.3",
		    "192.168.0.1", 22) != 0)
			abort();
		config_dump(&d, devnull);
		config_free(&d);
	}
	config_free(&c);
	return 0;
}
