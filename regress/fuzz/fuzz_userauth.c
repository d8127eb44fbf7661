/*
 * fuzz_userauth.c - libFuzzer target for the userauth and connection
 * message parsers; the first byte picks the parser.
 */
#include "autoconf.h"

#include <stddef.h>
#include <stdint.h>

#include "proto/connmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ua_request ua;
	struct chan_open_msg co;
	struct chan_req_msg cr;
	struct glob_req_msg gr;
	struct chan_open_direct od;

	if (size < 1)
		return 0;
	switch (data[0] % 6) {
	case 0:
		(void)msg_parse_userauth(data + 1, size - 1, &ua);
		break;
	case 1:
		(void)msg_parse_chan_open(data + 1, size - 1, &co);
		break;
	case 2:
		(void)msg_parse_chan_request(data + 1, size - 1, &cr);
		break;
	case 3:
		(void)msg_parse_global_request(data + 1, size - 1, &gr);
		break;
	case 4:
		(void)msg_parse_open_direct_tcpip(data + 1, size - 1, &od);
		break;
	default:
		(void)msg_parse_open_direct_streamlocal(data + 1, size - 1,
		    &od);
		break;
	}
	return 0;
}
