/*
 * config_int.h - what the files of the sshd_config parser share; not for
 * the rest of nsshd, which uses config.h.
 *
 * A line being parsed is a struct pctx; each keyword is a row of the table
 * in config_keywords.c, whose handler (kw_fn) takes the line's arguments
 * from the pctx, checks them and stores the value through the row.  Stored
 * Match blocks are struct config_match.  Handlers return 0, ERR_ALLOC, or
 * ERR_CONFIG through perr(), which writes "FILE line N: message" to the
 * caller's errbuf.  Prototypes are grouped under the file that defines them.
 */
#ifndef NSSHD_CONFIG_INT_H
#define NSSHD_CONFIG_INT_H

#include <stddef.h>

#include "monitor/config.h"

#define WS " \t\r\n"

enum match_type {
	MC_ALL, MC_USER, MC_GROUP, MC_HOST, MC_ADDRESS, MC_LADDRESS,
	MC_LPORT, MC_RDOMAIN,
};

struct match_crit {
	int type;
	char *arg;
};

struct match_line {
	char *text;		/* the whole line as written */
	char *file;
	int line;
};

struct config_match {
	struct match_crit *crit;
	int ncrit;
	struct match_line *lines;
	int nlines;
};

/* One line being parsed. */
struct pctx {
	struct config *c;	/* values go here */
	const char *file;
	int line;
	int depth;		/* Include nesting */
	int cmdline;		/* a -o option */
	int active;		/* store values (0: check syntax only) */
	int in_match;		/* inside a Match block */
	int block;		/* index of the block lines are recorded in */
	int inc_parent;		/* block that included this file, or -1 */
	int inc_active;		/* was the including context active? */
	char *err;
	size_t errlen;
	const char *kwtext;	/* the keyword as written */
	char *raw;		/* the text after the keyword */
	char **av;
	int ac, ai;
};

struct kw;
typedef int (*kw_fn)(struct pctx *, const struct kw *);

enum { ST_NONE, ST_INT, ST_STR, ST_LIST };
#define KWF_MATCH	1	/* allowed in a Match block */

struct kenum {
	const char *name;
	int val;
};

struct kw {
	const char *name;	/* lower-case */
	kw_fn fn;		/* NULL: alias of canon */
	unsigned char store;
	unsigned char flags;
	size_t off, noff;	/* value / count offsets in struct config */
	int max;		/* list capacity */
	const void *aux;	/* enum table, algorithm list, ... */
	const char *canon;	/* aliases: the row they stand for */
};

struct alginfo {
	const char *const *names;
	int wildcard;		/* patterns allowed (key type lists) */
	const char *what;	/* error text before the quoted value */
	/* Ciphers, MACs: the built-in list a value modifies (the value must
	 * leave something nsshd implements); NULL: not checked so */
	const char *(*deflist)(void);
};

/* Authentication method bits (method_bit()). */
#define AUTHM_PUBKEY	1
#define AUTHM_PASSWORD	2
#define AUTHM_KBDINT	4
#define AUTHM_OTHER	8

/* config_parse.c: lines, files, Include */
int perr(struct pctx *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pnote(struct pctx *p, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *arg_next(struct pctx *p);
char *strdelim(char **s);
int process_line(struct pctx *p, char *line);
void pctx_init(struct pctx *p, struct config *c, const char *file, char *err,
    size_t errlen);
int h_include(struct pctx *p, const struct kw *k);

/* config_keywords.c: the table, value vocabularies, storing by row */
extern const struct kenum ms_family[], ms_permitroot[], ms_gateway[],
    ms_tcpfwd[], ms_facility[], ms_legacyscp[];
int enum_lookup(const struct kenum *t, const char *s, int *out);
const char *enum_name(const struct kenum *t, int v);
const struct kw *kw_find(const char *name);
const struct kw *kw_lookup(const char *name, int *flags);
void *field(struct config *c, size_t off);
int kw_isset(const struct config *c, const struct kw *k);
void kw_mark(struct config *c, const struct kw *k);
int set_int(struct pctx *p, const struct kw *k, int v);
int set_str(struct pctx *p, const struct kw *k, const char *v);
void list_clear(char **v, int *n);
void list_begin(struct pctx *p, const struct kw *k, char **v, int *n);
int list_add(struct pctx *p, char **v, int *n, int max, const char *s);
void overlay_copy(struct config *dst, struct config *src);

/* config_values.c: one-value keywords, number parsers */
const char *parse_int(const char *s, int *out);
int a2port(const char *s, int zero_ok);
int h_enum(struct pctx *p, const struct kw *k);
int h_int(struct pctx *p, const struct kw *k);
int h_time(struct pctx *p, const struct kw *k);
int h_path(struct pctx *p, const struct kw *k);
int h_loglevel(struct pctx *p, const struct kw *k);
int h_facility(struct pctx *p, const struct kw *k);
int h_algs(struct pctx *p, const struct kw *k);
int h_permituserenv(struct pctx *p, const struct kw *k);
int h_maxstartups(struct pctx *p, const struct kw *k);
int h_forcecommand(struct pctx *p, const struct kw *k);
int h_versionaddendum(struct pctx *p, const struct kw *k);
int h_octal(struct pctx *p, const struct kw *k);

/* config_lists.c: list keywords, authentication methods */
int hostkey_add(struct config *c, const char *path, int user);
int list_firstline(struct pctx *p, const struct kw *k, int *fresh);
int list_put(struct pctx *p, const struct kw *k, const char *a);
int method_bit(const char *m);
int h_port(struct pctx *p, const struct kw *k);
int h_listen(struct pctx *p, const struct kw *k);
int h_hostkey(struct pctx *p, const struct kw *k);
int h_subsystem(struct pctx *p, const struct kw *k);
int h_acceptenv(struct pctx *p, const struct kw *k);
int h_users(struct pctx *p, const struct kw *k);
int h_groups(struct pctx *p, const struct kw *k);
int h_authkeysfile(struct pctx *p, const struct kw *k);
int h_setenv(struct pctx *p, const struct kw *k);
int h_permitopen(struct pctx *p, const struct kw *k);
int h_authmethods(struct pctx *p, const struct kw *k);

/* config_unimpl.c: keywords nsshd does not implement */
int h_offonly(struct pctx *p, const struct kw *k);
int h_rdomain(struct pctx *p, const struct kw *k);
int h_command(struct pctx *p, const struct kw *k);
int h_ignore(struct pctx *p, const struct kw *k);
int h_ignenum(struct pctx *p, const struct kw *k);
int h_ignint(struct pctx *p, const struct kw *k);
int h_pkopts(struct pctx *p, const struct kw *k);
int h_tunnel(struct pctx *p, const struct kw *k);
int h_deprecated(struct pctx *p, const struct kw *k);
int h_unsupported(struct pctx *p, const struct kw *k);
int h_silent(struct pctx *p, const struct kw *k);

/* config_container.c: the Container* keywords */
extern const struct kenum ms_containerenv[], ms_namespaces[];
int h_ctarget(struct pctx *p, const struct kw *k);
int h_enginesock(struct pctx *p, const struct kw *k);
int h_cuser(struct pctx *p, const struct kw *k);
int h_cns(struct pctx *p, const struct kw *k);
int h_cworkdir(struct pctx *p, const struct kw *k);

/* config_match.c: Match blocks */
int h_match(struct pctx *p, const struct kw *k);
int block_new(struct config *c, int from, struct match_crit *own, int nown);
int block_record(struct pctx *p, const char *text);
void blocks_free(struct config *c);

/*
 * config_query.c: sshd's kex_assemble_names() over a built-in list def:
 * "+names" appends to def, "-patterns" removes the names matching them
 * (wildcards, see match_pattern_list), "^names" puts names first, anything
 * else replaces def; conf NULL or "" is def.  Then names not in def (not
 * implemented by nsshd) and repeats are dropped.  A malloc'd list, "" if
 * nothing is left, NULL on no memory.
 */
char *config_algs_assemble(const char *conf, const char *def);

#endif
