/*
 * fuzz_scp.c - libFuzzer target for the legacy scp records and commands:
 * the input is parsed as one record line (a record that parses must keep
 * the parser's promises and, for C and D, survive formatting and parsing
 * again), vis-encoded as a name, and split as an exec command (words that
 * need no expansion must come out the same from scp_split_command, whose
 * options and classification are then parsed too).
 */
#include "autoconf.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "proto/buf.h"
#include "proto/scp_msg.h"
#include "session/scp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_record(const uint8_t *data, size_t size)
{
	struct scp_rec r, again;
	struct buf b;
	char *name;
	int rc;

	if (scp_msg_parse(data, size, &r, NULL) != 0)
		return;
	if (r.type != SCP_REC_FILE && r.type != SCP_REC_DIR)
		return;
	if (r.mode > 07777 || r.size > INT64_MAX || r.name.n == 0 ||
	    memchr(r.name.p, '/', r.name.n) != NULL ||
	    memchr(r.name.p, '\0', r.name.n) != NULL)
		__builtin_trap();
	if ((name = strndup((const char *)r.name.p, r.name.n)) == NULL)
		return;
	buf_init(&b, 0);
	if (r.type == SCP_REC_FILE)
		rc = scp_msg_put_file(&b, r.mode, (int64_t)r.size, name);
	else
		rc = scp_msg_put_dir(&b, r.mode, name);
	if (rc == 0) {
		if (scp_msg_parse(buf_ptr(&b), buf_len(&b) - 1, &again,
		    NULL) != 0 || again.type != r.type ||
		    again.mode != (r.mode & SCP_MODE_SEND_MASK) ||
		    (r.type == SCP_REC_FILE && again.size != r.size))
			__builtin_trap();
	}
	buf_free(&b);
	free(name);
}

static void
check_command(const char *s)
{
	struct scp_cmd c;
	char **av;
	int ac, i, plain = 1;

	(void)scp_command_kind(s);
	if (scp_cmd_tokenize(s, &c) != 0)
		return;
	for (i = 0; i < c.argc; i++)
		if (c.pat[i] != NULL || c.tilde[i])
			plain = 0;
	if (plain) {
		/* Nothing to expand: pure, and the same words. */
		if (scp_split_command(s, &av, &ac) != 0 || ac != c.argc)
			__builtin_trap();
		for (i = 0; i < ac; i++)
			if (strcmp(av[i], c.argv[i]) != 0)
				__builtin_trap();
		if (av[ac] != NULL)
			__builtin_trap();
		scp_argv_free(av);
	}
	scp_cmd_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, vis[512];

	check_record(data, size);
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	scp_vis_name(s, vis, sizeof(vis));
	if (strchr(vis, '\n') != NULL)
		__builtin_trap();
	check_command(s);
	free(s);
	return 0;
}
