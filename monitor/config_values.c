/*
 * config_values.c - handlers of the keywords that take one value.
 *
 * Numbers, times, yes/no and other enum values, file names, algorithm
 * lists, MaxStartups, ForceCommand, VersionAddendum: each handler checks
 * the value as sshd does (same error texts) and stores it through the
 * keyword's row unless the keyword was set already (first value wins).
 * Also sshd's number parsers (atoi_err, a2port, convtime) the other
 * handlers and Match criteria share.
 */
#include "autoconf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "common/log.h"
#include "monitor/config.h"
#include "monitor/config_int.h"

/* -------------------------------------------------------------- numbers */

/* Parse a decimal integer 0..INT_MAX; NULL or sshd's atoi_err() text. */
const char *
parse_int(const char *s, int *out)
{
	long long v = 0;

	*out = 0;
	if (s == NULL || *s == '\0')
		return "missing";
	if (*s == '-' && s[1] >= '0' && s[1] <= '9' &&
	    strspn(s + 1, "0123456789") == strlen(s + 1))
		return "too small";
	if (*s == '+')
		s++;
	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return "invalid";
	for (; *s != '\0'; s++) {
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return "too large";
	}
	*out = (int)v;
	return NULL;
}

/* A port number 1..65535 (0 allowed when zero_ok); -1 if invalid. */
int
a2port(const char *s, int zero_ok)
{
	int v;

	if (parse_int(s, &v) != NULL || v > 65535 || (v == 0 && !zero_ok))
		return -1;
	return v;
}

/* sshd's convtime(): "90", "1h30m", "2W"; -1 if invalid. */
static int
convtime(const char *s)
{
	long long total = 0, secs, mult;

	if (s == NULL || *s == '\0')
		return -1;
	while (*s != '\0') {
		if (*s < '0' || *s > '9')
			return -1;
		for (secs = 0; *s >= '0' && *s <= '9'; s++)
			if ((secs = secs * 10 + (*s - '0')) > INT_MAX)
				return -1;
		switch (*s) {
		case '\0': mult = 1; break;
		case 's': case 'S': mult = 1; s++; break;
		case 'm': case 'M': mult = 60; s++; break;
		case 'h': case 'H': mult = 3600; s++; break;
		case 'd': case 'D': mult = 86400; s++; break;
		case 'w': case 'W': mult = 604800; s++; break;
		default: return -1;
		}
		total += secs * mult;
		if (total > INT_MAX)
			return -1;
	}
	return (int)total;
}

/* ------------------------------------------------------------- handlers */

int
h_enum(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int v;

	if (a == NULL || *a == '\0')
		return perr(p, "missing argument.");
	if (enum_lookup(k->aux, a, &v) != 0)
		return perr(p, "unsupported option \"%s\".", a);
	return set_int(p, k, v);
}

int
h_int(struct pctx *p, const struct kw *k)
{
	const char *e;
	int v;

	if ((e = parse_int(arg_next(p), &v)) != NULL)
		return perr(p, "%s integer value %s.", p->kwtext, e);
	return set_int(p, k, v);
}

int
h_time(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int v;

	if (a == NULL || *a == '\0')
		return perr(p, "missing time value.");
	if ((v = convtime(a)) < 0)
		return perr(p, "invalid time value.");
	return set_int(p, k, v);
}

/* A file name; "none" stores NULL.  Made absolute by config_finish(). */
int
h_path(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);

	if (a == NULL || *a == '\0')
		return perr(p, "missing file name.");
	return set_str(p, k, strcasecmp(a, "none") == 0 ? NULL : a);
}

int
h_loglevel(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	enum log_level l;

	if (a == NULL || log_level_parse(a, &l) != 0)
		return perr(p, "unsupported log level '%s'", a ? a : "<NONE>");
	return set_int(p, k, (int)l);
}

int
h_facility(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int v;

	if (a == NULL || enum_lookup(ms_facility, a, &v) != 0)
		return perr(p, "unsupported log facility '%s'",
		    a ? a : "<NONE>");
	return set_int(p, k, v);
}

static int
name_known(const struct alginfo *ai, const char *name)
{
	const char *const *n;
	int wild = strpbrk(name, "*?") != NULL;

	for (n = ai->names; *n != NULL; n++) {
		if (!wild && strcmp(*n, name) == 0)
			return 1;
		if (wild && ai->wildcard && match_pattern(*n, name))
			return 1;
	}
	return 0;
}

/* Every comma-separated name known?  (A leading '-' list is not checked.) */
static int
algs_valid(const struct alginfo *ai, const char *list)
{
	char *copy, *cp, *name;
	int ok = 1;

	if (*list == '-')
		return 1;
	if (*list == '+' || *list == '^')
		list++;
	if (*list == '\0' || (copy = strdup(list)) == NULL)
		return 0;
	for (cp = copy; ok && (name = strsep(&cp, ",")) != NULL;)
		ok = *name != '\0' && name_known(ai, name);
	free(copy);
	return ok;
}

int
h_algs(struct pctx *p, const struct kw *k)
{
	const struct alginfo *ai = k->aux;
	const char *a = arg_next(p);

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (!algs_valid(ai, a))
		return perr(p, "%s '%s'.", ai->what, a);
	if (ai->deflist != NULL) {
		/* Ciphers, MACs: something nsshd implements must be left */
		char *l = config_algs_assemble(a, ai->deflist());
		int oom = l == NULL, empty = oom || *l == '\0';

		free(l);
		if (oom)
			return ERR_ALLOC;
		if (empty)
			return perr(p, "%s '%s'.", ai->what, a);
	}
	return set_str(p, k, a);
}

int
h_permituserenv(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int v = 1, r;

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (strcmp(a, "no") == 0)
		v = 0;
	if (!p->active || kw_isset(p->c, k))
		return 0;
	if ((r = set_int(p, k, v)) != 0)
		return r;
	free(p->c->permit_user_env_allowlist);
	p->c->permit_user_env_allowlist = NULL;
	if (strcmp(a, "yes") != 0 && strcmp(a, "no") != 0 &&
	    (p->c->permit_user_env_allowlist = strdup(a)) == NULL)
		return ERR_ALLOC;
	return 0;
}

/* "N" or "start:rate:full" (sshd's checks). */
static int
parse_maxstartups(const char *a, int *b, int *r, int *f)
{
	char buf[64], *s1, *s2;

	snprintf(buf, sizeof(buf), "%s", a);
	*r = 30;
	if ((s1 = strchr(buf, ':')) == NULL) {
		if (parse_int(buf, b) != NULL)
			return -1;
		*f = *b;
		return *b > 0 ? 0 : -1;
	}
	*s1++ = '\0';
	if ((s2 = strchr(s1, ':')) == NULL)
		return -1;
	*s2++ = '\0';
	if (parse_int(buf, b) != NULL || parse_int(s1, r) != NULL ||
	    parse_int(s2, f) != NULL)
		return -1;
	if (*b > *f || *r > 100 || *r < 1 || *b <= 0 || *f <= 0)
		return -1;
	return 0;
}

int
h_maxstartups(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int b, r, f;

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (parse_maxstartups(a, &b, &r, &f) != 0)
		return perr(p, "Invalid %s spec.", p->kwtext);
	if (!p->active || kw_isset(p->c, k))
		return 0;
	kw_mark(p->c, k);
	p->c->max_startups_begin = b;
	p->c->max_startups_rate = r;
	p->c->max_startups = f;
	return 0;
}

/* ForceCommand: the rest of the line as written; "none" = no command. */
int
h_forcecommand(struct pctx *p, const struct kw *k)
{
	const char *s = p->raw + strspn(p->raw, WS);

	p->ai = p->ac;
	if (*s == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	return set_str(p, k, strcasecmp(s, "none") == 0 ? NULL : s);
}

int
h_versionaddendum(struct pctx *p, const struct kw *k)
{
	char buf[1024], *s, *hash;
	size_t n;

	p->ai = p->ac;
	snprintf(buf, sizeof(buf), "%s", p->raw + strspn(p->raw, WS));
	if (strchr(buf, '\r') != NULL)
		return perr(p, "Invalid %s argument", p->kwtext);
	if ((hash = strchr(buf, '#')) != NULL)
		*hash = '\0';
	for (n = strlen(buf); n > 0 && strchr(WS, buf[n - 1]) != NULL; n--)
		buf[n - 1] = '\0';
	s = buf;
	if (*s == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	return set_str(p, k, strcasecmp(s, "none") == 0 ? NULL : s);
}

int
h_octal(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	char *end;
	long v;

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	v = strtol(a, &end, 8);
	if (end == a || *end != '\0' || v < 0 || v > 0777)
		return perr(p, "Invalid %s.", p->kwtext);
	return set_int(p, k, (int)v);
}
