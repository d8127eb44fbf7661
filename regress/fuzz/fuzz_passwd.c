/*
 * fuzz_passwd.c - libFuzzer target for the parsers of container files:
 * passwd_parse_user(), group_parse_member(), group_parse_gid(),
 * target_parse_environ() and target_parse_stat().  Any input must parse or
 * fail with the documented codes, never read out of bounds, and results
 * must keep their invariants (groups[0] is the primary gid, no duplicate
 * groups, every environment entry has a name and '=').
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "session/session.h"
#include "session/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first input line (up to 32 bytes, no NUL) names the user to find. */
static void
pick_name(const char *text, size_t len, char *name, size_t max)
{
	size_t n = 0;

	while (n < len && n + 1 < max && text[n] != '\n' && text[n] != '\0')
		n++;
	memcpy(name, text, n);
	name[n] = '\0';
}

static void
fuzz_users(const char *text, size_t len, const char *name)
{
	struct user_info u;
	gid_t groups[8], g;
	int rc, n, i, j;

	rc = passwd_parse_user(text, len, name, &u);
	if (rc == 0) {
		if (strcmp(u.name, name) != 0 || u.shell[0] == '\0' ||
		    u.ngroups != 1 || u.groups[0] != u.gid ||
		    u.uid == (uid_t)-1 || u.gid == (gid_t)-1)
			abort();
		user_info_free(&u);
	} else if (rc != ERR_NOTFOUND && rc != ERR_ALLOC)
		abort();
	if (group_parse_member(text, len, name, 77, groups, 8, &n) != 0 ||
	    n < 1 || n > 8 || groups[0] != 77)
		abort();
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (groups[i] == groups[j])
				abort();
	rc = group_parse_gid(text, len, name, &g);
	if (rc != 0 && rc != ERR_NOTFOUND)
		abort();
}

static void
fuzz_environ(const char *text, size_t len)
{
	char **env = target_parse_environ(text, len), *eq;
	size_t i;

	if (env == NULL)
		return;		/* ENOMEM */
	for (i = 0; env[i] != NULL; i++) {
		eq = strchr(env[i], '=');
		if (eq == NULL || eq == env[i] || i >= TARGET_ENV_MAX)
			abort();
	}
	session_env_free(env);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	unsigned long long st = 12345;
	char name[33];
	int rc;

	pick_name(text, size, name, sizeof(name));
	fuzz_users(text, size, name);
	fuzz_environ(text, size);
	rc = target_parse_stat(text, size, &st);
	if ((rc != 0 && rc != ERR_FORMAT) || (rc != 0 && st != 12345))
		abort();
	return 0;
}
