/*
 * config_match.c - Match blocks: parsing, storing and applying them.
 *
 * A Match line's criteria are checked when it is parsed (sshd's
 * match_cfg_line syntax); the lines of the block are kept as text, with
 * their file and line number.  config_apply_match() evaluates the criteria
 * for one connection, parses the lines of every matching block into an
 * empty overlay (first value wins across blocks) and copies what the
 * overlay set over the configuration.
 */
#include "autoconf.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "common/log.h"
#include "monitor/config.h"
#include "monitor/config_int.h"

/* ---------------------------------------------------------- Match blocks */

static const struct kenum match_types[] = {
	{ "user", MC_USER }, { "group", MC_GROUP }, { "host", MC_HOST },
	{ "address", MC_ADDRESS }, { "localaddress", MC_LADDRESS },
	{ "localport", MC_LPORT }, { "rdomain", MC_RDOMAIN }, { NULL, 0 },
};

static char *
xstrdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

static void
crit_free(struct match_crit *cr, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(cr[i].arg);
	free(cr);
}

static int
crit_add(struct match_crit **cr, int *n, int type, const char *arg)
{
	struct match_crit *ncr;

	if ((ncr = realloc(*cr, (*n + 1) * sizeof(**cr))) == NULL)
		return ERR_ALLOC;
	*cr = ncr;
	ncr[*n].type = type;
	if ((ncr[*n].arg = xstrdup(arg)) == NULL && arg != NULL)
		return ERR_ALLOC;
	(*n)++;
	return 0;
}

/* Check one "attribute argument" pair; a message in why on error. */
static int
crit_check(const char *attr, const char *arg, int *type, char *why,
    size_t wl)
{
	if (enum_lookup(match_types, attr, type) != 0) {
		snprintf(why, wl, "Unsupported Match attribute %s", attr);
		return -1;
	}
	if ((*type == MC_ADDRESS || *type == MC_LADDRESS) &&
	    addr_match_list(NULL, arg) != 0) {
		snprintf(why, wl, "Invalid Match %s argument '%s'",
		    *type == MC_ADDRESS ? "address" : "localaddress", arg);
		return -1;
	}
	if (*type == MC_LPORT && a2port(arg, 1) < 0) {
		snprintf(why, wl, "Invalid LocalPort '%s' on Match line", arg);
		return -1;
	}
	return 0;
}

/* Parse the criteria of a Match line (sshd's match_cfg_line syntax). */
static int
match_parse(char *cp, struct match_crit **cr, int *n, char *why, size_t wl)
{
	char *attr, *arg;
	int type, nattr = 0;

	while ((attr = strdelim(&cp)) != NULL && *attr != '\0' &&
	    *attr != '#') {
		nattr++;
		if (strcasecmp(attr, "all") == 0) {
			arg = strdelim(&cp);
			if (nattr > 1 || (arg != NULL && *arg != '\0' &&
			    *arg != '#')) {
				snprintf(why, wl, "'all' cannot be combined "
				    "with other Match attributes");
				return -1;
			}
			return crit_add(cr, n, MC_ALL, NULL) == 0 ? 0 : -1;
		}
		if ((arg = strdelim(&cp)) == NULL || *arg == '\0' ||
		    *arg == '#') {
			snprintf(why, wl, "Missing Match criteria for %s", attr);
			return -1;
		}
		if (crit_check(attr, arg, &type, why, wl) != 0 ||
		    crit_add(cr, n, type, arg) != 0)
			return -1;
	}
	if (nattr == 0) {
		snprintf(why, wl, "One or more attributes required for Match");
		return -1;
	}
	return 0;
}

/* Append an empty block with a copy of the criteria of block `from`. */
int
block_new(struct config *c, int from, struct match_crit *own, int nown)
{
	struct config_match *nm, *b;
	int i, r = 0;

	if ((nm = realloc(c->matches, (c->nmatches + 1) * sizeof(*nm))) ==
	    NULL)
		return ERR_ALLOC;
	c->matches = nm;
	b = &nm[c->nmatches++];
	memset(b, 0, sizeof(*b));
	for (i = 0; from >= 0 && r == 0 && i < nm[from].ncrit; i++)
		r = crit_add(&b->crit, &b->ncrit, nm[from].crit[i].type,
		    nm[from].crit[i].arg);
	for (i = 0; r == 0 && i < nown; i++)
		r = crit_add(&b->crit, &b->ncrit, own[i].type, own[i].arg);
	return r;
}

int
h_match(struct pctx *p, const struct kw *k)
{
	struct match_crit *cr = NULL;
	char why[300] = "", *copy;
	int n = 0, r, all;

	p->ai = p->ac;
	if (p->cmdline)
		return perr(p, "Match directive not supported as a "
		    "command-line option");
	if ((copy = strdup(p->raw)) == NULL)
		return ERR_ALLOC;
	r = match_parse(copy, &cr, &n, why, sizeof(why));
	free(copy);
	if (r != 0) {
		crit_free(cr, n);
		return perr(p, "Bad Match condition%s%s", *why ? ": " : "",
		    why);
	}
	all = n == 1 && cr[0].type == MC_ALL;
	r = block_new(p->c, p->inc_parent, cr, n);
	crit_free(cr, n);
	if (r != 0)
		return r;
	p->block = p->c->nmatches - 1;
	p->in_match = 1;
	p->active = p->inc_active && all;
	return 0;
}

int
block_record(struct pctx *p, const char *text)
{
	struct config_match *b = &p->c->matches[p->block];
	struct match_line *nl;

	if ((nl = realloc(b->lines, (b->nlines + 1) * sizeof(*nl))) == NULL)
		return ERR_ALLOC;
	b->lines = nl;
	nl += b->nlines;
	nl->line = p->line;
	nl->text = strdup(text);
	nl->file = strdup(p->file);
	if (nl->text == NULL || nl->file == NULL) {
		free(nl->text);
		free(nl->file);
		return ERR_ALLOC;
	}
	b->nlines++;
	return 0;
}

void
blocks_free(struct config *c)
{
	int i, j;

	for (i = 0; i < c->nmatches; i++) {
		crit_free(c->matches[i].crit, c->matches[i].ncrit);
		for (j = 0; j < c->matches[i].nlines; j++) {
			free(c->matches[i].lines[j].text);
			free(c->matches[i].lines[j].file);
		}
		free(c->matches[i].lines);
	}
	free(c->matches);
	c->matches = NULL;
	c->nmatches = 0;
}

/* ------------------------------------------------------ Match applying */

/* The user's group names, comma-separated (host database); NULL if none. */
static char *
user_groups_csv(const char *user)
{
	gid_t gids[256];
	int n = 256, i;
	struct passwd *pw;
	struct group *gr;
	char *out = NULL, *t;
	size_t len = 0;

	if ((pw = getpwnam(user)) == NULL ||
	    getgrouplist(user, pw->pw_gid, gids, &n) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((gr = getgrgid(gids[i])) == NULL)
			continue;
		if ((t = realloc(out, len + strlen(gr->gr_name) + 2)) == NULL)
			break;
		out = t;
		len += (size_t)sprintf(out + len, "%s%s", len ? "," : "",
		    gr->gr_name);
	}
	return out;
}

/* sshd's ga_match_pattern_list() over a comma-separated group list. */
static int
groups_match(const char *groups, const char *patterns)
{
	char *copy, *cp, *g;
	int found = 0, r = 0;

	if (groups == NULL || (copy = strdup(groups)) == NULL)
		return 0;
	for (cp = copy; (g = strsep(&cp, ",")) != NULL;) {
		if (*g == '\0')
			continue;
		if ((r = match_pattern_list(g, patterns, 0)) == -1)
			break;
		if (r == 1)
			found = 1;
	}
	free(copy);
	return r == -1 ? 0 : found;
}

struct conninfo {
	const char *user, *groups, *addr, *laddr;
	int lport;
};

static int
crit_eval(const struct match_crit *cr, const struct conninfo *ci)
{
	switch (cr->type) {
	case MC_ALL:
		return 1;
	case MC_USER:
		return ci->user != NULL &&
		    match_pattern_list(ci->user, cr->arg, 0) == 1;
	case MC_GROUP:
		return ci->user != NULL && groups_match(ci->groups, cr->arg);
	case MC_HOST:
		return host_match(ci->addr, cr->arg);
	case MC_ADDRESS:
		return ci->addr != NULL && addr_match_list(ci->addr, cr->arg)
		    == 1;
	case MC_LADDRESS:
		return ci->laddr != NULL &&
		    addr_match_list(ci->laddr, cr->arg) == 1;
	case MC_LPORT:
		return ci->lport > 0 && a2port(cr->arg, 1) == ci->lport;
	}
	return 0;			/* RDomain: never on Linux */
}

static int
block_matches(const struct config_match *b, const struct conninfo *ci)
{
	int i;

	for (i = 0; i < b->ncrit; i++)
		if (!crit_eval(&b->crit[i], ci))
			return 0;
	return 1;
}

static int
overlay_lines(struct config *mo, const struct config_match *b)
{
	char err[600], *line;
	struct pctx p;
	int j, r = 0;

	for (j = 0; r == 0 && j < b->nlines; j++) {
		pctx_init(&p, mo, b->lines[j].file, err, sizeof(err));
		p.line = b->lines[j].line;
		if ((line = strdup(b->lines[j].text)) == NULL)
			return ERR_ALLOC;
		if ((r = process_line(&p, line)) != 0 && mo->note != NULL)
			mo->note(LOG_LVL_ERROR, err);
		free(line);
	}
	return r;
}

int
config_apply_match(struct config *c, const char *user,
    const char *group_list_csv_or_NULL, const char *addr, const char *laddr,
    int lport)
{
	struct conninfo ci = { user, group_list_csv_or_NULL, addr, laddr,
	    lport };
	struct config *mo;
	char *groups = NULL;
	int i, r = 0;

	if (c->nmatches == 0)
		return 0;
	if ((mo = malloc(sizeof(*mo))) == NULL)
		return ERR_ALLOC;
	config_defaults(mo);
	mo->note = c->note;
	mo->no_include = 1;
	if (user != NULL && ci.groups == NULL)
		ci.groups = groups = user_groups_csv(user);
	for (i = 0; r == 0 && i < c->nmatches; i++)
		if (block_matches(&c->matches[i], &ci))
			r = overlay_lines(mo, &c->matches[i]);
	if (r == 0)
		overlay_copy(c, mo);
	free(groups);
	config_free(mo);
	free(mo);
	return r == 0 ? 0 : ERR_CONFIG;
}
