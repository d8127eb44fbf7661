/*
 * config_unimpl.c - handlers of the keywords sshd knows and nsshd does not
 * implement.
 *
 * Those whose absence could widen access (ChrootDirectory, RevokedKeys,
 * RDomain) are refused unless set to their "off" value; the rest have their
 * value checked as sshd would and are ignored with a note through c->note;
 * keywords sshd itself deprecated get sshd's "Deprecated option" note.
 */
#include "autoconf.h"

#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "monitor/config.h"
#include "monitor/config_int.h"

/* Accepted only with the value that means "off" (aux). */
int
h_offonly(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (strcasecmp(a, (const char *)k->aux) != 0)
		return perr(p, "%s is not supported by nsshd (only \"%s\")",
		    p->kwtext, (const char *)k->aux);
	return 0;
}

int
h_rdomain(struct pctx *p, const struct kw *k)
{
	p->ai = p->ac;
	return perr(p, "setting RDomain not supported on this platform.");
}

/* AuthorizedKeysCommand & co: absolute path or none; not implemented. */
int
h_command(struct pctx *p, const struct kw *k)
{
	const char *s = p->raw + strspn(p->raw, WS);

	p->ai = p->ac;
	if (*s != '/' && strcasecmp(s, "none") != 0)
		return perr(p, "%s must be an absolute path", p->kwtext);
	if (strcasecmp(s, "none") != 0 && p->active)
		pnote(p, LOG_LVL_INFO, "%s is not supported by nsshd; "
		    "ignored", p->kwtext);
	return 0;
}

/* Known, not implemented, harmless to ignore. */
int
h_ignore(struct pctx *p, const struct kw *k)
{
	p->ai = p->ac;
	if (p->active)
		pnote(p, LOG_LVL_DEBUG1, "%s is not implemented by nsshd; "
		    "ignored", p->kwtext);
	return 0;
}

/* The same, with the value checked against an enum table. */
int
h_ignenum(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);
	int v;

	if (a == NULL || *a == '\0')
		return perr(p, "missing argument.");
	if (enum_lookup(k->aux, a, &v) != 0)
		return perr(p, "unsupported option \"%s\".", a);
	return h_ignore(p, k);
}

int
h_ignint(struct pctx *p, const struct kw *k)
{
	const char *e;
	int v;

	if ((e = parse_int(arg_next(p), &v)) != NULL)
		return perr(p, "%s integer value %s.", p->kwtext, e);
	return h_ignore(p, k);
}

int
h_pkopts(struct pctx *p, const struct kw *k)
{
	const char *a;

	while ((a = arg_next(p)) != NULL)
		if (strcasecmp(a, "none") != 0 &&
		    strcasecmp(a, "touch-required") != 0 &&
		    strcasecmp(a, "verify-required") != 0)
			return perr(p, "unsupported %s option %s", p->kwtext,
			    a);
	return h_ignore(p, k);
}

int
h_tunnel(struct pctx *p, const struct kw *k)
{
	static const char *const modes[] = { "no", "point-to-point",
	    "ethernet", "yes", NULL };
	const char *a = arg_next(p);
	int i;

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	for (i = 0; modes[i] != NULL && strcmp(modes[i], a) != 0; i++)
		;
	if (modes[i] == NULL)
		return perr(p, "bad %s argument %s", p->kwtext, a);
	return h_ignore(p, k);
}

int
h_deprecated(struct pctx *p, const struct kw *k)
{
	p->ai = p->ac;
	pnote(p, LOG_LVL_INFO, "Deprecated option %s", p->kwtext);
	return 0;
}

int
h_unsupported(struct pctx *p, const struct kw *k)
{
	p->ai = p->ac;
	pnote(p, LOG_LVL_INFO, "Unsupported option %s", p->kwtext);
	return 0;
}

int
h_silent(struct pctx *p, const struct kw *k)
{
	p->ai = p->ac;
	pnote(p, LOG_LVL_DEBUG2, "Deprecated option %s", p->kwtext);
	return 0;
}
