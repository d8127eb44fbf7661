/*
 * fuzz_enginejson.c - libFuzzer target for the container engine reply
 * parser: the input is the body of GET /containers/NAME/json, given to
 * target_parse_engine_json.  A success must give a PID in 0..INT_MAX and
 * a running flag of 0 or 1 (a running container with PID 0 is refused); a
 * failure must leave both outputs zero.  Anything else aborts.
 */
#include "autoconf.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "monitor/target_resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pid_t pid = -1;
	int running = -1;

	if (target_parse_engine_json((const char *)data, size, &pid,
	    &running) == 0) {
		if (pid < 0 || (running != 0 && running != 1) ||
		    (running && pid == 0))
			abort();
	} else if (pid != 0 || running != 0)
		abort();
	return 0;
}
