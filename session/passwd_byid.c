/*
 * passwd_byid.c - names by uid/gid from the current root's /etc/passwd and
 * /etc/group, with a plain parser and a small cache (see passwd_byid.h).
 * The line rules are those of passwd.c, and the files are read by its
 * target_read_db() (no final symlink, no magic links, regular files only,
 * bounded, never blocking on a FIFO).
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "session/passwd_byid.h"
#include "session/target.h"

#define CACHE_SLOTS	64

/* ---- pure parsing --------------------------------------------------- */

/*
 * Fields 0 (name) and 2 (id) of a line with exactly nfields ':'-separated
 * fields that is not a comment, blank, NIS or NUL-holding line.  1 if the
 * line is usable.
 */
static int
line_fields(const char *line, size_t n, int nfields, const char **name,
    size_t *name_len, unsigned int *id)
{
	const char *end = line + n, *p = line, *c, *f2 = NULL;
	unsigned long long v = 0;
	size_t f2n = 0, i;
	int k;

	if (n == 0 || line[0] == '#' || line[0] == '+' || line[0] == '-' ||
	    memchr(line, '\0', n) != NULL)
		return 0;
	for (k = 0; k < nfields; k++) {
		c = memchr(p, ':', (size_t)(end - p));
		if ((c == NULL) != (k == nfields - 1))
			return 0;
		if (k == 0) {
			*name = p;
			*name_len = (size_t)((c != NULL ? c : end) - p);
		} else if (k == 2) {
			f2 = p;
			f2n = (size_t)((c != NULL ? c : end) - p);
		}
		p = c != NULL ? c + 1 : end;
	}
	if (*name_len == 0 || f2n == 0 || f2n > 10)
		return 0;
	for (i = 0; i < f2n; i++) {
		if (f2[i] < '0' || f2[i] > '9')
			return 0;
		v = v * 10 + (unsigned long long)(f2[i] - '0');
	}
	if (v >= 0xffffffffULL)
		return 0;
	*id = (unsigned int)v;
	return 1;
}

static int
parse_name_byid(const char *text, size_t len, int nfields, unsigned int id,
    char *name, size_t max)
{
	const char *cur = text, *end = text + len, *nl, *nm;
	size_t n, nmlen;
	unsigned int got;

	name[0] = '\0';
	while (cur < end) {
		nl = memchr(cur, '\n', (size_t)(end - cur));
		n = (size_t)((nl != NULL ? nl : end) - cur);
		if (line_fields(cur, n, nfields, &nm, &nmlen, &got) &&
		    got == id) {
			if (nmlen >= max)
				return ERR_LENGTH;
			memcpy(name, nm, nmlen);
			name[nmlen] = '\0';
			return 0;
		}
		cur = nl != NULL ? nl + 1 : end;
	}
	return ERR_NOTFOUND;
}

int
passwd_parse_name_byuid(const char *text, size_t len, uid_t uid,
    char *name, size_t max)
{
	return parse_name_byid(text, len, 7, (unsigned int)uid, name, max);
}

int
group_parse_name_bygid(const char *text, size_t len, gid_t gid, char *name,
    size_t max)
{
	return parse_name_byid(text, len, 4, (unsigned int)gid, name, max);
}

/* ---- the files ------------------------------------------------------ */

/* ---- the cache ------------------------------------------------------ */

struct idname_slot {
	unsigned int id;
	int used, found;
	char name[IDNAME_MAX + 1];
};

struct idname_kind {
	const char *path;
	int nfields;
	int loaded;
	char *text;		/* NULL: no file, no names */
	size_t len;
	struct idname_slot slot[CACHE_SLOTS];
	unsigned int next;	/* round-robin replacement */
};

struct idname_cache {
	struct idname_kind users, groups;
};

struct idname_cache *
idname_new(void)
{
	struct idname_cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->users.path = "/etc/passwd";
	c->users.nfields = 7;
	c->groups.path = "/etc/group";
	c->groups.nfields = 4;
	return c;
}

void
idname_free(struct idname_cache *c)
{
	if (c == NULL)
		return;
	free(c->users.text);
	free(c->groups.text);
	free(c);
}

static const char *
lookup(struct idname_kind *k, unsigned int id)
{
	struct idname_slot *s;
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		s = &k->slot[i];
		if (s->used && s->id == id)
			return s->found ? s->name : NULL;
	}
	if (!k->loaded) {
		if (target_read_db(k->path, &k->text, &k->len) != 0)
			k->text = NULL;
		k->loaded = 1;
	}
	s = &k->slot[k->next];
	k->next = (k->next + 1) % CACHE_SLOTS;
	s->used = 1;
	s->id = id;
	s->found = k->text != NULL && parse_name_byid(k->text, k->len,
	    k->nfields, id, s->name, sizeof(s->name)) == 0;
	return s->found ? s->name : NULL;
}

const char *
idname_user(struct idname_cache *c, uid_t uid)
{
	return lookup(&c->users, (unsigned int)uid);
}

const char *
idname_group(struct idname_cache *c, gid_t gid)
{
	return lookup(&c->groups, (unsigned int)gid);
}
