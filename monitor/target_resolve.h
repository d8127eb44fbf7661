/*
 * target_resolve.h - the monitor's side of container targets: turn the
 * ContainerTarget of a connection's configuration (after Match) into a
 * struct target (session/target.h) that a worker can enter.
 *
 * Resolution runs on the host, as root, in the monitor, after
 * authentication.  It expands the tokens (%u %h %% in ContainerTarget,
 * %u %% in ContainerUser and ContainerWorkdir), finds the target's init
 * PID (a number, a root-owned pid file, or the Docker-compatible Engine API
 * of Docker or Podman over its Unix socket, asked with libcurl and read with
 * json-c) and records its start time, so that the worker can refuse a PID
 * that was recycled in between.  The parsers are pure functions with unit
 * tests and a fuzz target (regress/fuzz/fuzz_enginejson.c).
 */
#ifndef NSSHD_TARGET_RESOLVE_H
#define NSSHD_TARGET_RESOLVE_H

#include <stddef.h>
#include <sys/types.h>

#include "monitor/config.h"
#include "session/target.h"

/* Engine API path prefix: the newest Docker 20.10 speaks, Podman 4.3 too. */
#define TARGET_ENGINE_API	"/v1.41"
#define TARGET_ENGINE_CONNECT_MS	2000	/* connect timeout */
#define TARGET_ENGINE_TOTAL_MS		5000	/* whole request */
#define TARGET_ENGINE_MAX_REPLY	(4u << 20)	/* bigger is refused */
#define TARGET_PIDFILE_MAX	64		/* bytes read of a pid file */

/*
 * target_resolve - resolve c->container_target for login user USER (home
 * directory HOME, for %h) into *t.
 *   none (NULL)   t->is_container = 0, everything else zero.
 *   pid:N         /proc/N must exist.
 *   pidfile:PATH  PATH must be a regular file owned by root, not writable
 *                 by group or others, not a symlink; it holds one decimal
 *                 PID (target_parse_pidfile).
 *   docker:NAME, podman:NAME
 *                 GET TARGET_ENGINE_API/containers/NAME/json on the engine's
 *                 socket (config_engine_socket); NAME is URL-escaped, and
 *                 must be a valid container name or id ([A-Za-z0-9_.-]).
 * Then the start time of the PID (target_proc_starttime), ns_mask,
 * env_mode, user (ContainerUser expanded, default USER), workdir
 * (ContainerWorkdir expanded, "" = home) and name (the target as the client
 * is told about it: NAME, the pid or the pid file) are filled in.
 * c, user, home: read only, kept by the caller; user MUST NOT be NULL
 * (ERR_INTERNAL), home may be NULL when no %h is used.  err gets one line for the
 * client, e.g. 'container "alice-ws" is not running', 'container "x" not
 * found', 'cannot reach the container engine at /var/run/docker.sock'.
 * Returns 0; ERR_NOTFOUND (no such container, process or pid file, or it
 * is not running); ERR_CONFIG (a bad value after expansion); ERR_DENIED
 * (an unsafe pid file); ERR_SYS (the engine cannot be reached or answered
 * an error); ERR_FORMAT (an engine reply we cannot read); ERR_ALLOC.  On
 * failure *t is zeroed (is_container 0 is NOT a usable result then: the
 * caller must refuse the session).
 */
int target_resolve(const struct config *c, const char *user,
    const char *home, struct target *t, char *err, size_t errlen);

/*
 * target_parse_engine_json - read .State.Pid and .State.Running from the
 * body of GET /containers/NAME/json (TEXT, LEN bytes; no NUL needed).
 * *running is 1 only when State.Running is true and State.Paused (if
 * present) is not; *pid is State.Pid (0 for a stopped container).  The
 * body must be one JSON object (whitespace may follow); Pid must be an
 * integer 0..INT_MAX and Running a boolean; a running container must have
 * a Pid > 0.  Pure.  Returns 0 or ERR_FORMAT; on failure *pid = 0 and
 * *running = 0.
 */
int target_parse_engine_json(const char *text, size_t len, pid_t *pid,
    int *running);

/*
 * target_parse_pidfile - one decimal PID 1..INT_MAX in TEXT (LEN bytes),
 * optionally surrounded by blanks and ended by a newline, as daemons write
 * it.  Pure.  0, or ERR_FORMAT with *pid = 0.
 */
int target_parse_pidfile(const char *text, size_t len, pid_t *pid);

/*
 * target_expand - expand the %-tokens of TMPL into OUT (OUTLEN bytes):
 * %u = user, %h = home (NULL: %h is refused), %% = '%'.  Pure.  0, or
 * ERR_FORMAT (unknown token, a lone '%') or ERR_LENGTH (does not fit);
 * OUT is "" on failure.
 */
int target_expand(const char *tmpl, const char *user, const char *home,
    char *out, size_t outlen);

#endif
