/* test_env.c - the session environment: names, order, values, overrides. */
#include <stdio.h>
#include <string.h>

#include "defaults.h"
#include "session/session.h"
#include "regress/unit/unittest.h"

static struct user_info alice = {
	.name = "alice", .uid = 1000, .gid = 1000,
	.home = "/home/alice", .shell = "/bin/bash",
};

static struct user_info root = {
	.name = "root", .uid = 0, .gid = 0,
	.home = "/root", .shell = "/bin/sh",
};

static void
params(struct session_params *p, const struct user_info *u, int pty)
{
	memset(p, 0, sizeof(*p));
	p->user = u;
	p->want_pty = pty;
	p->term = "xterm-256color";
	p->client_addr = "192.0.2.1";
	p->client_port = 50022;
	p->server_addr = "198.51.100.2";
	p->server_port = 22;
	p->tty_gid = (gid_t)-1;
}

/* env equals want (NULL-ended) exactly, in order. */
static void
check_env(char **env, const char *const *want)
{
	size_t i;

	if (!CHECK(env != NULL))
		return;
	for (i = 0; want[i] != NULL; i++) {
		if (!CHECK(env[i] != NULL))
			return;
		if (!CHECK(strcmp(env[i], want[i]) == 0))
			printf("#   got %s, want %s\n", env[i], want[i]);
	}
	CHECK(env[i] == NULL);
}

static void
t_pty(void)
{
	static const char *const want[] = {
		"USER=alice", "LOGNAME=alice", "HOME=/home/alice",
		"PATH=" NSSHD_PATH_DEFAULT, "MAIL=" NSSHD_MAIL_DIR "/alice",
		"SHELL=/bin/bash", "TERM=xterm-256color",
		"SSH_CLIENT=192.0.2.1 50022 22",
		"SSH_CONNECTION=192.0.2.1 50022 198.51.100.2 22",
		"SSH_TTY=/dev/pts/3", NULL,
	};
	struct session_params p;
	char **env;

	params(&p, &alice, 1);
	env = session_env_build(&p, "/dev/pts/3");
	check_env(env, want);
	session_env_free(env);
}

static void
t_nopty(void)
{
	static const char *const want[] = {
		"USER=alice", "LOGNAME=alice", "HOME=/home/alice",
		"PATH=" NSSHD_PATH_DEFAULT, "MAIL=" NSSHD_MAIL_DIR "/alice",
		"SHELL=/bin/bash", "SSH_CLIENT=192.0.2.1 50022 22",
		"SSH_CONNECTION=192.0.2.1 50022 198.51.100.2 22", NULL,
	};
	struct session_params p;
	char **env;

	params(&p, &alice, 0);	/* term set but no pty: no TERM */
	env = session_env_build(&p, "");
	check_env(env, want);
	session_env_free(env);
	env = session_env_build(&p, NULL);
	check_env(env, want);
	session_env_free(env);
}

static void
t_root_path(void)
{
	struct session_params p;
	char **env;

	params(&p, &root, 0);
	env = session_env_build(&p, NULL);
	if (CHECK(env != NULL && env[3] != NULL))
		CHECK(strcmp(env[3], "PATH=" NSSHD_PATH_ROOT) == 0);
	session_env_free(env);
}

static void
t_extra(void)
{
	static char *const extra[] = {
		"LANG=C.UTF-8", "PATH=/opt/bin", "NOEQUALS", "TERM=vt100",
		"LC_ALL=", "LANG=en_US.UTF-8", NULL,
	};
	static const char *const want[] = {
		"USER=alice", "LOGNAME=alice", "HOME=/home/alice",
		"PATH=/opt/bin", "MAIL=" NSSHD_MAIL_DIR "/alice",
		"SHELL=/bin/bash", "TERM=vt100",
		"SSH_CLIENT=192.0.2.1 50022 22",
		"SSH_CONNECTION=192.0.2.1 50022 198.51.100.2 22",
		"SSH_TTY=/dev/pts/0", "LANG=en_US.UTF-8", "LC_ALL=", NULL,
	};
	struct session_params p;
	char **env;

	params(&p, &alice, 1);
	p.env_extra = extra;
	env = session_env_build(&p, "/dev/pts/0");
	check_env(env, want);
	session_env_free(env);
	session_env_free(NULL);
}

static void
t_unknown_addr(void)
{
	struct session_params p;
	char **env;

	params(&p, &alice, 0);
	p.client_addr = p.server_addr = NULL;
	env = session_env_build(&p, NULL);
	if (CHECK(env != NULL && env[6] != NULL && env[7] != NULL)) {
		CHECK(strcmp(env[6], "SSH_CLIENT=UNKNOWN 50022 22") == 0);
		CHECK(strcmp(env[7],
		    "SSH_CONNECTION=UNKNOWN 50022 UNKNOWN 22") == 0);
	}
	session_env_free(env);
}

const struct ut_case env_cases[] = {
	{ "pty", t_pty },
	{ "nopty", t_nopty },
	{ "root_path", t_root_path },
	{ "extra", t_extra },
	{ "unknown_addr", t_unknown_addr },
	{ NULL, NULL },
};
