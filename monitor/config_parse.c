/*
 * config_parse.c - sshd_config text to keyword handler calls (see
 * config.h, config_int.h).
 *
 * A line is split as sshd does: strdelim() for the keyword, argv_split()
 * with quotes and comments for the arguments; the keyword's row of the table
 * (config_keywords.c) names the handler that checks and stores the value.
 * Lines inside a Match block that may appear there are recorded in the block
 * (config_match.c).  Also here: reading a file, Include, and the three
 * parse entry points.  Nothing here logs: errors go to the caller's errbuf,
 * notes through c->note when the caller installed one.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "monitor/config.h"
#include "monitor/config_int.h"

#define CONFIG_FILE_MAX	(16u << 20)

/* ------------------------------------------------- errors and arguments */

int
perr(struct pctx *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err != NULL && p->errlen > 0)
		snprintf(p->err, p->errlen, "%s line %d: %s", p->file, p->line,
		    msg);
	return ERR_CONFIG;
}

void
pnote(struct pctx *p, int level, const char *fmt, ...)
{
	char msg[512], line[600];
	va_list ap;

	if (p->c->note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s line %d: %s", p->file, p->line, msg);
	p->c->note(level, line);
}

const char *
arg_next(struct pctx *p)
{
	if (p->ai >= p->ac)
		return NULL;
	return p->av[p->ai++];
}

/* ------------------------------------------------------------ tokenizer */

/*
 * sshd's strdelim(): the next token of *s, ended by whitespace or one '='
 * (an '=' after whitespace is skipped too); "..." quotes a token.  NULL
 * when nothing is left or a quote is not closed.
 */
char *
strdelim(char **s)
{
	char *old = *s, *q;
	int eq;

	if (old == NULL)
		return NULL;
	if ((q = strpbrk(old, WS "\"=")) == NULL) {
		*s = NULL;
		return old;
	}
	if (*q == '"') {
		memmove(q, q + 1, strlen(q));
		if ((q = strchr(q, '"')) == NULL)
			return NULL;
		*q++ = '\0';
		*s = q + strspn(q, WS);
		return old;
	}
	eq = *q == '=';
	*q++ = '\0';
	q += strspn(q, WS);
	if (!eq && *q == '=') {
		q++;
		q += strspn(q, WS);
	}
	*s = q;
	return old;
}

static void
argv_free(char **av, int ac)
{
	int i;

	for (i = 0; i < ac; i++)
		free(av[i]);
	free(av);
}

/* Copy one token of s starting at *i (quotes, \-escapes); ERR_FORMAT. */
static int
argv_token(const char *s, size_t *i, char *out)
{
	size_t j = 0;
	char quote = 0;

	for (; s[*i] != '\0'; (*i)++) {
		char ch = s[*i], nx = s[*i + 1];

		if (ch == '\\' && (nx == '\'' || nx == '"' || nx == '\\' ||
		    (quote == 0 && nx == ' '))) {
			out[j++] = nx;
			(*i)++;
		} else if (quote == 0 && (ch == ' ' || ch == '\t'))
			break;
		else if (quote == 0 && (ch == '"' || ch == '\''))
			quote = ch;
		else if (quote != 0 && ch == quote)
			quote = 0;
		else
			out[j++] = ch;
	}
	out[j] = '\0';
	return quote != 0 ? ERR_FORMAT : 0;
}

/*
 * sshd's argv_split(s, terminate_on_comment=1): whitespace-separated
 * tokens, '' and "" quotes, \' \" \\ and "\ " escapes; '#' at the start of
 * a token ends the line.  ERR_FORMAT on an unclosed quote.
 */
static int
argv_split(const char *s, char ***avp, int *acp)
{
	char **av = NULL, **nav, *tok;
	int ac = 0, r;
	size_t i = 0;

	*avp = NULL;
	*acp = 0;
	while (s[i] != '\0') {
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		if (s[i] == '#')
			break;
		if ((nav = realloc(av, (ac + 2) * sizeof(*av))) == NULL ||
		    (av = nav, tok = malloc(strlen(s + i) + 1)) == NULL) {
			argv_free(av, ac);
			return ERR_ALLOC;
		}
		av[ac++] = tok;
		av[ac] = NULL;
		if ((r = argv_token(s, &i, tok)) != 0) {
			argv_free(av, ac);
			return r;
		}
	}
	*avp = av;
	*acp = ac;
	return 0;
}

/* ----------------------------------------------------- lines and files */

static int
parse_lines(struct pctx *p, const char *text, size_t len)
{
	const char *nl, *end = text + len;
	char *line;
	size_t n;
	int r = 0;

	while (r == 0 && text < end) {
		p->line++;
		nl = memchr(text, '\n', (size_t)(end - text));
		n = nl ? (size_t)(nl - text) : (size_t)(end - text);
		if (memchr(text, '\0', n) != NULL)
			return perr(p, "NUL byte in line");
		if ((line = malloc(n + 1)) == NULL)
			return ERR_ALLOC;
		memcpy(line, text, n);
		line[n] = '\0';
		r = process_line(p, line);
		free(line);
		text += n + (nl ? 1 : 0);
	}
	return r;
}

/* Read a whole file (not a directory; at most CONFIG_FILE_MAX bytes). */
static int
read_file(const char *path, char **out, size_t *outlen, char *err,
    size_t errlen)
{
	struct stat st;
	size_t len = 0, cap = 8192;
	ssize_t got = 0;
	char *buf = NULL, *nb;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? ERR_NOTFOUND : ERR_CONFIG;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", path, strerror(EISDIR));
		close(fd);
		return ERR_CONFIG;
	}
	for (;;) {
		if (len + 1 >= cap || buf == NULL) {
			if (cap >= CONFIG_FILE_MAX ||
			    (nb = realloc(buf, cap *= 2)) == NULL)
				break;
			buf = nb;
		}
		if ((got = read(fd, buf + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (buf == NULL || got != 0) {
		snprintf(err, errlen, "%s: %s", path, buf == NULL ||
		    got > 0 ? "file too large" : strerror(errno));
		free(buf);
		return ERR_CONFIG;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

/* Parse an included file in the context of the including line. */
static int
include_file(struct pctx *p, const char *path)
{
	struct pctx q;
	char *text;
	size_t len;
	int r;

	if ((r = read_file(path, &text, &len, p->err, p->errlen)) != 0)
		return r == ERR_NOTFOUND ? ERR_CONFIG : r;
	q = *p;
	q.file = path;
	q.line = 0;
	q.depth = p->depth + 1;
	q.inc_parent = p->block;
	q.inc_active = p->active;
	r = parse_lines(&q, text, len);
	free(text);
	return r;
}

static int
include_glob(struct pctx *p, const char *arg)
{
	char path[PATH_MAX];
	glob_t g;
	size_t i;
	int r = 0, gr;

	if (*arg == '/' || *arg == '~')
		snprintf(path, sizeof(path), "%s", arg);
	else
		snprintf(path, sizeof(path), "%s/%s", CONFIG_SSHDIR, arg);
	if ((gr = glob(path, 0, NULL, &g)) != 0) {
		if (gr != GLOB_NOMATCH)
			return perr(p, "include \"%s\" glob failed", path);
		pnote(p, LOG_LVL_DEBUG2, "no match for %s", path);
		return 0;
	}
	for (i = 0; r == 0 && i < g.gl_pathc; i++)
		r = include_file(p, g.gl_pathv[i]);
	globfree(&g);
	return r;
}

int
h_include(struct pctx *p, const struct kw *k)
{
	const char *a;
	int n = 0, r, before = p->c->nmatches;

	if (p->cmdline)
		return perr(p, "Include directive not supported as a "
		    "command-line option");
	if (p->c->no_include)
		return perr(p, "Include is not allowed here");
	if (p->depth + 1 > CONFIG_MAX_DEPTH)
		return perr(p, "Too many recursive configuration includes");
	while ((a = arg_next(p)) != NULL) {
		if (*a == '\0')
			return perr(p, "keyword %s empty argument", p->kwtext);
		n++;
		if ((r = include_glob(p, a)) != 0)
			return r;
	}
	if (n == 0)
		return perr(p, "%s missing filename argument", p->kwtext);
	/* Keep file order: continue the current block after the new ones. */
	if (p->block >= 0 && p->c->nmatches != before) {
		if ((r = block_new(p->c, p->block, NULL, 0)) != 0)
			return r;
		p->block = p->c->nmatches - 1;
	}
	return 0;
}

static void
rtrim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && strchr(WS "\f", s[n - 1]) != NULL)
		s[--n] = '\0';
}

/* Handle one keyword once the line is split. */
static int
process_keyword(struct pctx *p, const struct kw *k, int flags,
    const char *orig)
{
	int r;

	if (p->in_match && !p->active && !(flags & KWF_MATCH))
		return perr(p, "Directive '%s' is not allowed within a Match "
		    "block", p->kwtext);
	if ((r = k->fn(p, k)) != 0)
		return r;
	if (p->ai < p->ac)
		return perr(p, "keyword %s extra arguments at end of line",
		    p->kwtext);
	if (p->block >= 0 && (flags & KWF_MATCH) && k->fn != h_match &&
	    k->fn != h_include)
		return block_record(p, orig);
	return 0;
}

int
process_line(struct pctx *p, char *line)
{
	char *orig, *str = line, *kwd;
	const struct kw *k;
	int flags = 0, r;

	rtrim(line);
	if ((orig = strdup(line)) == NULL)
		return ERR_ALLOC;
	if ((kwd = strdelim(&str)) != NULL && *kwd == '\0')
		kwd = strdelim(&str);
	if (kwd == NULL || *kwd == '\0' || *kwd == '#')
		r = 0;
	else if (str == NULL || *str == '\0')
		r = perr(p, "no argument after keyword \"%s\"", kwd);
	else if ((k = kw_lookup(kwd, &flags)) == NULL) {
		snprintf(p->err, p->errlen, "%s: line %d: Bad configuration "
		    "option: %s", p->file, p->line, kwd);
		r = ERR_CONFIG;
	} else {
		p->kwtext = kwd;
		p->raw = str;
		p->ai = 0;
		if ((r = argv_split(str, &p->av, &p->ac)) == ERR_FORMAT)
			r = perr(p, "invalid quotes");
		else if (r == 0)
			r = process_keyword(p, k, flags, orig);
		argv_free(p->av, p->ac);
		p->av = NULL;
		p->ac = 0;
	}
	free(orig);
	return r;
}

void
pctx_init(struct pctx *p, struct config *c, const char *file, char *err,
    size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->c = c;
	p->file = file;
	p->active = 1;
	p->block = -1;
	p->inc_parent = -1;
	p->inc_active = 1;
	p->err = err;
	p->errlen = errlen;
}

int
config_parse_text(struct config *c, const char *name, const char *text,
    size_t len, char *errbuf, size_t errlen)
{
	struct pctx p;

	pctx_init(&p, c, name, errbuf, errlen);
	return parse_lines(&p, text, len);
}

int
config_parse_option(struct config *c, const char *opt, char *errbuf,
    size_t errlen)
{
	struct pctx p;
	char *line;
	int r;

	if ((line = strdup(opt)) == NULL)
		return ERR_ALLOC;
	pctx_init(&p, c, "command-line", errbuf, errlen);
	p.cmdline = 1;
	r = strchr(line, '\n') ? perr(&p, "newline in option") :
	    process_line(&p, line);
	free(line);
	return r;
}

int
config_load_file(struct config *c, const char *path, char *errbuf,
    size_t errlen)
{
	char *text;
	size_t len;
	int r;

	if ((r = read_file(path, &text, &len, errbuf, errlen)) != 0)
		return r;
	r = config_parse_text(c, path, text, len, errbuf, errlen);
	free(text);
	return r;
}
