/*
 * scp_opts.c - the options of an scp server command as OpenSSH's scp
 * parses them with getopt (scp_parse_opts), and the classification of an
 * exec command as an scp sink or source (scp_command_kind).  Pure.  See
 * scp.h.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "session/scp.h"

#define SCP_OPTSTRING	"12346ABCTdfOpqRrstvD:F:J:M:P:S:c:i:l:o:X:"

/* One option letter; *takes set if it takes an argument.  0 or ERR_FORMAT. */
static int
opt_letter(char ch, struct scp_opts *o, int *takes)
{
	const char *p;

	*takes = 0;
	if (ch == ':' || (p = strchr(SCP_OPTSTRING, ch)) == NULL)
		return ERR_FORMAT;
	*takes = p[1] == ':';
	switch (ch) {
	case '1':
		return ERR_PROTO;
	case 't':
		o->sink = 1;
		break;
	case 'f':
		o->source = 1;
		break;
	case 'r':
		o->recursive = 1;
		break;
	case 'p':
		o->preserve = 1;
		break;
	case 'd':
		o->targetdir = 1;
		break;
	case 'v':
		o->verbose = 1;
		break;
	default:
		break;
	}
	return 0;
}

/* One "-abc" word at argv[*i] (and maybe the argument after it). */
static int
opt_word(int argc, char **argv, int *i, struct scp_opts *o, char *msg,
    unsigned long msglen)
{
	const char *w = argv[*i];
	int k, r, takes;

	for (k = 1; w[k] != '\0'; k++) {
		if ((r = opt_letter(w[k], o, &takes)) == ERR_PROTO) {
			snprintf(msg, msglen,
			    "SSH protocol v.1 is no longer supported");
			return r;
		}
		if (r != 0) {
			snprintf(msg, msglen, "invalid option -- '%c'", w[k]);
			return r;
		}
		if (!takes)
			continue;
		if (w[k + 1] == '\0') {		/* the next word */
			if (*i + 1 >= argc) {
				snprintf(msg, msglen, "option requires an "
				    "argument -- '%c'", w[k]);
				return ERR_FORMAT;
			}
			(*i)++;
		}
		break;
	}
	return 0;
}

int
scp_parse_opts(int argc, char **argv, struct scp_opts *o, char *msg,
    unsigned long msglen)
{
	char **opt, **ops;
	int i, start, nopt = 1, nops = 0, dashdash = 0, r = 0;

	memset(o, 0, sizeof(*o));
	if (msglen > 0)
		msg[0] = '\0';
	if (argc < 1)
		return ERR_FORMAT;
	opt = calloc((size_t)argc, sizeof(*opt));
	ops = calloc((size_t)argc, sizeof(*ops));
	if (opt == NULL || ops == NULL) {
		free(opt);
		free(ops);
		return ERR_ALLOC;
	}
	opt[0] = argv[0];
	/* Options anywhere until "--" (glibc's getopt permutes). */
	for (i = 1; i < argc && r == 0; i++) {
		if (!dashdash && strcmp(argv[i], "--") == 0) {
			opt[nopt++] = argv[i];
			dashdash = 1;
		} else if (!dashdash && argv[i][0] == '-' &&
		    argv[i][1] != '\0') {
			start = i;
			if ((r = opt_word(argc, argv, &i, o, msg, msglen)) == 0)
				while (start <= i)
					opt[nopt++] = argv[start++];
		} else
			ops[nops++] = argv[i];
	}
	if (r == 0) {
		/* Options first, then the operands in their order. */
		memcpy(argv, opt, (size_t)nopt * sizeof(*argv));
		memcpy(argv + nopt, ops, (size_t)nops * sizeof(*argv));
		o->first_operand = nopt;
	}
	free(opt);
	free(ops);
	return r;
}

int
scp_command_kind(const char *cmd)
{
	struct scp_cmd c;
	struct scp_opts o;
	const char *base;
	char msg[128];
	int r;

	if ((r = scp_cmd_tokenize(cmd, &c)) != 0)
		return r;
	if (c.argc < 1 || c.pat[0] != NULL || c.tilde[0]) {
		scp_cmd_free(&c);
		return 0;
	}
	base = strrchr(c.argv[0], '/');
	base = base != NULL ? base + 1 : c.argv[0];
	if (strcmp(base, "scp") != 0) {
		scp_cmd_free(&c);
		return 0;
	}
	r = scp_parse_opts(c.argc, c.argv, &o, msg, sizeof(msg));
	scp_cmd_free(&c);
	if (r != 0)
		return r == ERR_ALLOC ? r : ERR_FORMAT;
	if (o.source)
		return SCP_CMD_SOURCE;
	return o.sink ? SCP_CMD_SINK : 0;
}
