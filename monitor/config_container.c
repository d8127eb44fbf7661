/*
 * config_container.c - handlers of nsshd's own Container* keywords (see
 * config.h): ContainerTarget, ContainerEngineSocket, ContainerUser,
 * ContainerNamespaces, ContainerEnvironment's values and ContainerWorkdir.
 *
 * Values are only checked here (schemes, %-tokens, absolute paths,
 * lengths); they are resolved per connection by monitor/target_resolve.h.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "monitor/config.h"
#include "monitor/config_int.h"
#include "session/target.h"

const struct kenum ms_containerenv[] = {
	{ "inherit", TARGET_ENV_INHERIT }, { "none", TARGET_ENV_NONE },
	{ NULL, 0 },
};

const struct kenum ms_namespaces[] = {
	{ "user", TARGET_NS_USER }, { "mnt", TARGET_NS_MNT },
	{ "uts", TARGET_NS_UTS }, { "ipc", TARGET_NS_IPC },
	{ "net", TARGET_NS_NET }, { "cgroup", TARGET_NS_CGROUP },
	{ "pid", TARGET_NS_PID }, { NULL, 0 },
};

/* Is every %-token of s one of the letters in allowed (or "%%")? */
static int
tokens_ok(const char *s, const char *allowed)
{
	for (; (s = strchr(s, '%')) != NULL; s += 2)
		if (s[1] != '%' && (s[1] == '\0' || strchr(allowed, s[1]) == NULL))
			return 0;
	return 1;
}

enum { CT_PID = 1, CT_PIDFILE, CT_ENGINE };

static const struct kenum ct_schemes[] = {
	{ "pid:", CT_PID }, { "pidfile:", CT_PIDFILE },
	{ "docker:", CT_ENGINE }, { "podman:", CT_ENGINE }, { NULL, 0 },
};

/* The CT_* kind of a ContainerTarget value, *rest after "kind:"; 0 if none. */
static int
ct_scheme(const char *a, const char **rest)
{
	const struct kenum *t;

	for (t = ct_schemes; t->name != NULL; t++)
		if (strncasecmp(a, t->name, strlen(t->name)) == 0) {
			*rest = a + strlen(t->name);
			return t->val;
		}
	return 0;
}

/* ContainerTarget: none | pid:N | pidfile:PATH | docker:NAME | podman:NAME */
int
h_ctarget(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p), *v = NULL;
	int kind;

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (strcasecmp(a, "none") == 0)
		return set_str(p, k, NULL);
	if ((kind = ct_scheme(a, &v)) == 0)
		return perr(p, "%s \"%s\": expected none, pid:N, pidfile:PATH, "
		    "docker:NAME or podman:NAME", p->kwtext, a);
	if (*v == '\0')
		return perr(p, "%s \"%s\": empty target", p->kwtext, a);
	if (!tokens_ok(v, "uh"))
		return perr(p, "%s \"%s\": unknown %%-token (only %%u %%h %%%%)",
		    p->kwtext, a);
	if (kind == CT_PID && strchr(v, '%') == NULL &&
	    strspn(v, "0123456789") != strlen(v))
		return perr(p, "%s \"%s\": not a process id", p->kwtext, a);
	if (kind == CT_PIDFILE && *v != '/' && strncmp(v, "%h", 2) != 0)
		return perr(p, "%s \"%s\": the pid file must be an absolute "
		    "path", p->kwtext, a);
	return set_str(p, k, a);
}

/*
 * One "ENGINE:/path" of ContainerEngineSocket: a known engine not in *seen
 * yet (a bit per engine), an absolute path that fits in sun_path.
 */
static int
enginesock_check(struct pctx *p, const char *a, int *seen)
{
	size_t elen = strcspn(a, ":");
	int bit;

	if (a[elen] == ':' && elen == 6 && strncmp(a, "docker", 6) == 0)
		bit = 1;
	else if (a[elen] == ':' && elen == 6 && strncmp(a, "podman", 6) == 0)
		bit = 2;
	else
		return perr(p, "%s \"%s\": expected docker:PATH or podman:PATH",
		    p->kwtext, a);
	if (*seen & bit)
		return perr(p, "%s names %.6s twice", p->kwtext, a);
	*seen |= bit;
	if (a[elen + 1] != '/' || strlen(a + elen + 1) >= 108)
		return perr(p, "%s \"%s\": the socket must be an absolute path "
		    "shorter than 108 bytes", p->kwtext, a);
	return 0;
}

/* ContainerEngineSocket docker:PATH [podman:PATH]: first line wins. */
int
h_enginesock(struct pctx *p, const struct kw *k)
{
	const char *a;
	int fresh, r, seen = 0;

	list_firstline(p, k, &fresh);
	while ((a = arg_next(p)) != NULL) {
		if ((r = enginesock_check(p, a, &seen)) != 0)
			return r;
		if (fresh && (r = list_put(p, k, a)) != 0)
			return r;
	}
	if (seen == 0)
		return perr(p, "%s missing argument.", p->kwtext);
	return 0;
}

/* ContainerUser NAME: a user name, tokens %u %%. */
int
h_cuser(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (strlen(a) >= 64 || strpbrk(a, ":/,") != NULL || *a == '-' ||
	    !tokens_ok(a, "u"))
		return perr(p, "%s \"%s\": not a user name (tokens: %%u %%%%)",
		    p->kwtext, a);
	return set_str(p, k, a);
}

/* ContainerNamespaces all | NAME... (space- or comma-separated). */
int
h_cns(struct pctx *p, const struct kw *k)
{
	char buf[256], *tok, *save = NULL;
	const char *a;
	int mask = 0, bit;

	while ((a = arg_next(p)) != NULL) {
		if (strlen(a) >= sizeof(buf))
			return perr(p, "%s: argument too long", p->kwtext);
		snprintf(buf, sizeof(buf), "%s", a);
		for (tok = strtok_r(buf, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (strcasecmp(tok, "all") == 0)
				bit = TARGET_NS_ALL;
			else if (enum_lookup(ms_namespaces, tok, &bit) != 0)
				return perr(p, "%s: unknown namespace \"%s\" "
				    "(user mnt uts ipc net cgroup pid, all)",
				    p->kwtext, tok);
			mask |= bit;
		}
	}
	if (mask == 0)
		return perr(p, "%s missing argument.", p->kwtext);
	return set_int(p, k, mask);
}

/* ContainerWorkdir PATH | none: absolute, tokens %u %%. */
int
h_cworkdir(struct pctx *p, const struct kw *k)
{
	const char *a = arg_next(p);

	if (a == NULL || *a == '\0')
		return perr(p, "%s missing argument.", p->kwtext);
	if (strcasecmp(a, "none") == 0)
		return set_str(p, k, NULL);
	if (*a != '/' || strlen(a) >= 256 || !tokens_ok(a, "u"))
		return perr(p, "%s \"%s\": expected an absolute path shorter "
		    "than 256 bytes (tokens: %%u %%%%) or none", p->kwtext, a);
	return set_str(p, k, a);
}
