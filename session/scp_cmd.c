/*
 * scp_cmd.c - the exec command of an scp server: split it as sh would
 * (scp_cmd_tokenize, pure), then expand "~" and patterns
 * (scp_split_command).  See scp.h.
 */
#include "autoconf.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "session/scp.h"

/* A growing string. */
struct str {
	char *p;
	size_t n, cap;
};

static int
str_add(struct str *s, char ch)
{
	char *np;
	size_t ncap;

	if (s->n + 2 > s->cap) {
		ncap = s->cap ? s->cap * 2 : 32;
		if ((np = realloc(s->p, ncap)) == NULL)
			return ERR_ALLOC;
		s->p = np;
		s->cap = ncap;
	}
	s->p[s->n++] = ch;
	s->p[s->n] = '\0';
	return 0;
}

static int
str_adds(struct str *s, const char *t)
{
	int r;

	for (; *t != '\0'; t++)
		if ((r = str_add(s, *t)) != 0)
			return r;
	return 0;
}

/* Take the string (never NULL on success: "" for an empty one). */
static char *
str_take(struct str *s)
{
	char *p = s->p;

	if (p == NULL)
		p = strdup("");
	memset(s, 0, sizeof(*s));
	return p;
}

void
scp_argv_free(char **argv)
{
	char **a;

	if (argv == NULL)
		return;
	for (a = argv; *a != NULL; a++)
		free(*a);
	free(argv);
}

void
scp_cmd_free(struct scp_cmd *c)
{
	int i;

	if (c->pat != NULL)
		for (i = 0; i < c->argc; i++)
			free(c->pat[i]);
	scp_argv_free(c->argv);
	free(c->pat);
	free(c->tilde);
	memset(c, 0, sizeof(*c));
}

/* The word being built: its literal text and its glob(3) pattern. */
struct word {
	struct str lit, pat;
	int started;		/* quotes make an empty word a word */
	int magic;		/* an unquoted * ? [ */
	int tilde;		/* began with an unquoted ~ or ~/ */
};

static int
word_char(struct word *w, char ch, int quoted)
{
	int r;

	w->started = 1;
	if ((r = str_add(&w->lit, ch)) != 0)
		return r;
	if (!quoted && (ch == '*' || ch == '?' || ch == '['))
		w->magic = 1;
	else if (quoted && strchr("*?[\\", ch) != NULL &&
	    (r = str_add(&w->pat, '\\')) != 0)
		return r;
	return str_add(&w->pat, ch);
}

static int
cmd_push(struct scp_cmd *c, struct word *w)
{
	char **na, **np;
	unsigned char *nt;
	size_t n = (size_t)c->argc;
	int magic;

	if (c->argc >= SCP_ARGS_MAX)
		return ERR_TOOMANY;
	if ((na = realloc(c->argv, (n + 2) * sizeof(*na))) == NULL)
		return ERR_ALLOC;
	c->argv = na;
	if ((np = realloc(c->pat, (n + 1) * sizeof(*np))) == NULL)
		return ERR_ALLOC;
	c->pat = np;
	if ((nt = realloc(c->tilde, n + 1)) == NULL)
		return ERR_ALLOC;
	c->tilde = nt;
	c->argv[n] = str_take(&w->lit);
	c->argv[n + 1] = NULL;
	c->pat[n] = NULL;
	if (w->magic)
		c->pat[n] = str_take(&w->pat);
	c->tilde[n] = (unsigned char)w->tilde;
	c->argc++;
	magic = w->magic;
	free(w->pat.p);
	memset(w, 0, sizeof(*w));
	if (c->argv[n] == NULL || (magic && c->pat[n] == NULL))
		return ERR_ALLOC;
	return 0;
}

/* Inside "...": returns the index after the closing quote, or < 0. */
static long
dquote(const char *s, size_t i, struct word *w)
{
	int r;

	w->started = 1;
	for (;;) {
		switch (s[i]) {
		case '\0':
		case '$':
		case '`':
			return ERR_FORMAT;
		case '"':
			return (long)i + 1;
		case '\\':
			if (s[i + 1] == '\n') {
				i += 2;
				continue;
			}
			if (s[i + 1] != '\0' &&
			    strchr("$`\"\\", s[i + 1]) != NULL)
				i++;
			break;
		default:
			break;
		}
		if ((r = word_char(w, s[i], 1)) != 0)
			return r;
		i++;
	}
}

/* Inside '...'. */
static long
squote(const char *s, size_t i, struct word *w)
{
	int r;

	w->started = 1;
	for (; s[i] != '\''; i++) {
		if (s[i] == '\0')
			return ERR_FORMAT;
		if ((r = word_char(w, s[i], 1)) != 0)
			return r;
	}
	return (long)i + 1;
}

/* At the start of a word: an unquoted "~" ending the word or before '/'. */
static int
tilde_prefix(const char *s, size_t i)
{
	return s[i] == '~' && (s[i + 1] == '\0' || s[i + 1] == '/' ||
	    s[i + 1] == ' ' || s[i + 1] == '\t');
}

/* One step of the scanner at s[i]; returns the next index or < 0. */
static long
scan(const char *s, size_t i, struct word *w, struct scp_cmd *c)
{
	char ch = s[i];
	int r;

	if (ch == ' ' || ch == '\t') {
		if (w->started && (r = cmd_push(c, w)) != 0)
			return r;
		return (long)i + 1;
	}
	if (strchr("|&;<>()$`{\n", ch) != NULL)
		return ERR_FORMAT;
	if (!w->started && ch == '#')
		return ERR_FORMAT;
	if (!w->started && tilde_prefix(s, i)) {
		w->started = w->tilde = 1;
		return (long)i + 1;
	}
	/* "~user", "~+", "~-": expansions we do not do. */
	if (!w->started && ch == '~' && strchr("'\"\\", s[i + 1]) == NULL)
		return ERR_FORMAT;
	if (ch == '\'')
		return squote(s, i + 1, w);
	if (ch == '"')
		return dquote(s, i + 1, w);
	if (ch == '\\') {
		if (s[i + 1] == '\n')
			return (long)i + 2;
		if (s[i + 1] == '\0')
			return ERR_FORMAT;
		return (r = word_char(w, s[i + 1], 1)) != 0 ? r : (long)i + 2;
	}
	return (r = word_char(w, ch, 0)) != 0 ? r : (long)i + 1;
}

int
scp_cmd_tokenize(const char *cmd, struct scp_cmd *out)
{
	struct word w;
	size_t n = strlen(cmd);
	long i = 0;
	int r = 0;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	if (n > SCP_CMD_MAX)
		return ERR_LENGTH;
	while ((size_t)i < n && (i = scan(cmd, (size_t)i, &w, out)) >= 0)
		;
	if (i < 0)
		r = (int)i;
	else if (w.started)
		r = cmd_push(out, &w);
	if (r == 0 && out->argv == NULL &&
	    (out->argv = calloc(1, sizeof(char *))) == NULL)
		r = ERR_ALLOC;
	free(w.lit.p);
	free(w.pat.p);
	if (r != 0)
		scp_cmd_free(out);
	return r;
}

/* --- expansion --- */

struct vec {
	char **v;
	int n;
};

static int
vec_push(struct vec *a, char *s)
{
	char **nv;

	if (s == NULL)
		return ERR_ALLOC;
	if (a->n >= SCP_ARGS_MAX) {
		free(s);
		return ERR_TOOMANY;
	}
	if ((nv = realloc(a->v, ((size_t)a->n + 2) * sizeof(*nv))) == NULL) {
		free(s);
		return ERR_ALLOC;
	}
	a->v = nv;
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

/* "~": the literal and the pattern with $HOME in front. */
static int
expand_tilde(struct scp_cmd *c, int i)
{
	const char *home = getenv("HOME");
	struct str lit, pat;
	int r;

	if (home == NULL || *home == '\0')
		return ERR_FORMAT;
	memset(&lit, 0, sizeof(lit));
	memset(&pat, 0, sizeof(pat));
	if ((r = str_adds(&lit, home)) == 0 && (r = str_adds(&lit,
	    c->argv[i])) == 0 && c->pat[i] != NULL) {
		for (; *home != '\0' && r == 0; home++)
			if (strchr("*?[\\", *home) == NULL ||
			    (r = str_add(&pat, '\\')) == 0)
				r = str_add(&pat, *home);
		if (r == 0)
			r = str_adds(&pat, c->pat[i]);
	}
	if (r != 0) {
		free(lit.p);
		free(pat.p);
		return r;
	}
	free(c->argv[i]);
	c->argv[i] = str_take(&lit);
	if (c->pat[i] != NULL) {
		free(c->pat[i]);
		c->pat[i] = str_take(&pat);
	}
	return c->argv[i] == NULL ? ERR_ALLOC : 0;
}

/* Pathname expansion of word i into a, or the literal word. */
static int
expand_word(struct scp_cmd *c, int i, struct vec *a)
{
	glob_t g;
	size_t k;
	int r, gr;

	if (c->tilde[i] && (r = expand_tilde(c, i)) != 0)
		return r;
	if (c->pat[i] == NULL)
		return vec_push(a, strdup(c->argv[i]));
	memset(&g, 0, sizeof(g));
	gr = glob(c->pat[i], 0, NULL, &g);
	if (gr == GLOB_NOSPACE) {
		globfree(&g);
		return ERR_ALLOC;
	}
	if (gr != 0 || g.gl_pathc == 0) {
		globfree(&g);
		return vec_push(a, strdup(c->argv[i]));
	}
	for (k = 0, r = 0; k < g.gl_pathc && r == 0; k++)
		r = vec_push(a, strdup(g.gl_pathv[k]));
	globfree(&g);
	return r;
}

int
scp_split_command(const char *cmd, char ***argvp, int *argcp)
{
	struct scp_cmd c;
	struct vec a;
	int i, r;

	*argvp = NULL;
	*argcp = 0;
	if ((r = scp_cmd_tokenize(cmd, &c)) != 0)
		return r;
	memset(&a, 0, sizeof(a));
	for (i = 0, r = 0; i < c.argc && r == 0; i++)
		r = expand_word(&c, i, &a);
	if (r == 0 && a.v == NULL && (a.v = calloc(1, sizeof(char *))) == NULL)
		r = ERR_ALLOC;
	scp_cmd_free(&c);
	if (r != 0) {
		scp_argv_free(a.v);
		return r;
	}
	*argvp = a.v;
	*argcp = a.n;
	return 0;
}
