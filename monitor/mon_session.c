/*
 * mon_session.c - the monitor's post-authentication handlers: session
 * channels, their pty and environment, starting the session worker, window
 * changes, signals and close; and the exit notes sent when a session's
 * process ends.
 */
#include "autoconf.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "monitor/monitor.h"
#include "monitor/target_resolve.h"
#include "session/target.h"

static struct mon_session *
mon_sess(struct monitor *m, uint32_t chan, int want_used)
{
	if (chan >= NSSHD_MAX_CHANNELS ||
	    m->sess[chan].used != want_used)
		mon_fatal(m, "bad session channel %u", chan);
	return &m->sess[chan];
}

struct mon_session *
mon_sess_get(struct monitor *m, uint32_t chan)
{
	return mon_sess(m, chan, 1);
}

static void
mon_sess_free(struct monitor *m, struct mon_session *s)
{
	int i;

	if (s->master >= 0)
		close(s->master);
	if (s->x11_on)
		mon_fwd_remove(m, &s->x11_target, s->x11_unix, 0);
	free(s->x11_proto);
	free(s->x11_cookie);
	free(s->term);
	free(s->modes);
	for (i = 0; i < s->nenv; i++)
		free(s->env[i]);
	memset(s, 0, sizeof(*s));
	s->master = -1;
}

void
mon_h_session(struct monitor *m, const struct mon_msg *req)
{
	struct mon_session *s = mon_sess(m, req->u[0], 0);
	int i, n = 0;

	for (i = 0; i < NSSHD_MAX_CHANNELS; i++)
		n += m->sess[i].used;
	if (n >= m->cfg->max_sessions) {
		mon_reply_status(m, 0, "too many sessions");
		return;
	}
	s->used = 1;
	s->chan = req->u[0];
	s->master = -1;
	mon_reply_status(m, 1, "");
}

void
mon_h_pty(struct monitor *m, const struct mon_msg *req)
{
	struct mon_session *s = mon_sess(m, req->u[0], 1);

	if (s->started || s->want_pty || !m->cfg->permit_tty ||
	    m->key_opts.no_pty) {
		mon_reply_status(m, 0, "pty not permitted");
		return;
	}
	if ((s->term = mon_dup_cstr(req, 0)) == NULL ||
	    (s->modes = malloc(req->s[1].n + 1)) == NULL)
		mon_fatal(m, "bad pty request");
	memcpy(s->modes, req->s[1].p, req->s[1].n);
	s->modes_len = req->s[1].n;
	s->cols = req->u[1];
	s->rows = req->u[2];
	s->xpix = req->u[3];
	s->ypix = req->u[4];
	s->want_pty = 1;
	mon_reply_status(m, 1, "");
}

/* Add or replace NAME=value in the session's accepted environment. */
static int
mon_env_set(struct mon_session *s, const char *name, const char *value)
{
	size_t nl = strlen(name);
	char *e;
	int i;

	if ((e = malloc(nl + strlen(value) + 2)) == NULL)
		return -1;
	sprintf(e, "%s=%s", name, value);
	for (i = 0; i < s->nenv; i++)
		if (strncmp(s->env[i], name, nl) == 0 && s->env[i][nl] == '=') {
			free(s->env[i]);
			s->env[i] = e;
			return 0;
		}
	if (s->nenv >= MON_MAX_ENV) {
		free(e);
		return -1;
	}
	s->env[s->nenv++] = e;
	s->env[s->nenv] = NULL;
	return 0;
}

void
mon_h_env(struct monitor *m, const struct mon_msg *req)
{
	struct mon_session *s = mon_sess(m, req->u[0], 1);
	char *name = mon_dup_cstr(req, 0), *value = mon_dup_cstr(req, 1);
	int ok = 0;

	if (name != NULL && value != NULL && !s->started && *name != '\0' &&
	    strchr(name, '=') == NULL && config_env_accepted(m->cfg, name))
		ok = mon_env_set(s, name, value) == 0;
	if (ok)
		debug("session %u: accepted env %s", s->chan, name);
	else if (name != NULL)
		debug("session %u: ignored env %.64s", s->chan, name);
	free(name);
	free(value);
	mon_reply_status(m, ok, "");
}

static void
mon_exec_reply(struct monitor *m, int ok, int pty, const char *msg,
    const int *fds, int nfds)
{
	struct mon_msg rep;

	mon_init(&rep, MON_EXEC_REP);
	rep.u[0] = ok;
	rep.u[1] = pty;
	mon_set_cstr(&rep, 0, msg);
	mon_reply(m, &rep, fds, nfds);
}

/* The command to run: forced, subsystem, requested, or NULL (shell). */
static int
mon_exec_command(struct monitor *m, struct mon_session *s, uint32_t kind,
    char *req_cmd, const char **cmd, char *err, size_t errlen)
{
	const char *forced = m->cfg->force_command ? m->cfg->force_command :
	    m->key_opts.command;
	int i;

	*cmd = kind == 0 ? NULL : req_cmd;
	if (kind == MON_EXEC_SUBSYSTEM) {
		*cmd = NULL;
		for (i = 0; i < m->cfg->nsubsystems; i++)
			if (strcmp(m->cfg->subsystems[i].name, req_cmd) == 0)
				*cmd = m->cfg->subsystems[i].command;
		if (*cmd == NULL) {
			snprintf(err, errlen, "subsystem request for %.64s "
			    "failed, subsystem not found", req_cmd);
			return -1;
		}
	}
	if (forced != NULL) {
		if (req_cmd != NULL && *req_cmd != '\0')
			(void)mon_env_set(s, "SSH_ORIGINAL_COMMAND", req_cmd);
		*cmd = forced;
	}
	return 0;
}

static void
mon_fill_params(struct monitor *m, struct mon_session *s, const char *cmd,
    struct session_params *p)
{
	memset(p, 0, sizeof(*p));
	p->user = &m->pw;
	p->want_pty = s->want_pty;
	p->term = s->term;
	p->cols = s->cols;
	p->rows = s->rows;
	p->xpix = s->xpix;
	p->ypix = s->ypix;
	p->modes = s->modes;
	p->modes_len = s->modes_len;
	p->command = cmd;
	p->env_extra = s->env;
	p->client_addr = m->peer_addr;
	p->client_port = m->peer_port;
	p->server_addr = m->local_addr;
	p->server_port = m->local_port;
	p->log_to_stderr = m->log_stderr;
	p->tty_gid = user_tty_group_host();
	p->auth_sock = m->agent_path[0] != '\0' ? m->agent_path : NULL;
	if (s->x11_on) {
		p->x11_on = 1;
		p->x11_display = s->x11_display;
		p->x11_screen = s->x11_screen;
		p->x11_localhost = m->cfg->x11_use_localhost;
		p->x11_proto = s->x11_proto;
		p->x11_cookie = s->x11_cookie;
		p->xauth_location = m->cfg->xauth_location;
	}
}

/*
 * Where this session runs: ContainerTarget, resolved now (after Match), so
 * that a restarted container is found again.  0, or -1 with a message for
 * the client in err.  *env gets the container's environment to inherit.
 */
static int
mon_session_target(struct monitor *m, struct target *t, char ***env,
    char *err, size_t errlen)
{
	char why[512];

	*env = NULL;
	if (target_resolve(m->cfg, m->user, m->pw.home, t, why,
	    sizeof(why)) != 0) {
		error("Cannot start a session for %s from %s port %d: %s",
		    m->user, m->peer_addr, m->peer_port, why);
		snprintf(err, errlen, "nsshd: %s", why);
		return -1;
	}
	if (t->is_container) {
		verbose("User %s: target container \"%s\" (pid %ld)",
		    m->user, t->name, (long)t->pid);
		if (t->env_mode == TARGET_ENV_INHERIT &&
		    (*env = target_read_environ(t->pid)) == NULL) {
			snprintf(err, errlen, "nsshd: cannot read the "
			    "environment of container \"%s\"", t->name);
			return -1;
		}
	}
	return 0;
}

/* sshd's "Starting session" line: what runs, where, for whom. */
static void
mon_log_start(struct monitor *m, const struct mon_session *s, uint32_t kind,
    const char *req_cmd, const char *cmd, const char *tty)
{
	const char *origin = m->cfg->force_command != NULL ? "(config)" :
	    m->key_opts.command != NULL ? "(key-option)" : NULL;
	char what[1024];

	if (origin != NULL)
		snprintf(what, sizeof(what), "forced-command %s '%.900s'",
		    origin, cmd);
	else if (kind == MON_EXEC_SUBSYSTEM)
		snprintf(what, sizeof(what), "subsystem '%.900s'", req_cmd);
	else
		snprintf(what, sizeof(what), "%s", cmd == NULL ? "shell" :
		    "command");
	verbose("Starting session: %s%s%s for %s from %s port %d id %u", what,
	    s->want_pty ? " on " : "", s->want_pty ?
	    tty + (strncmp(tty, "/dev/", 5) ? 0 : 5) : "", m->user,
	    m->peer_addr, m->peer_port, s->chan);
}

/*
 * File transfer settings of the session: ForceCommand internal-sftp
 * takes only the sftp subsystem (sshd's message otherwise),
 * ChrootDirectory expanded (hosts only), LegacyScp.  0, or -1 with a
 * message for the client in err.
 */
static int
mon_exec_files(struct monitor *m, uint32_t kind, const char *cmd,
    const struct target *t, struct session_params *p, char *chroot,
    size_t chrootlen, char *err, size_t errlen)
{
	if (session_is_internal_sftp(cmd) && kind != MON_EXEC_SUBSYSTEM) {
		logit("Connection from user %s %s port %d: refusing non-sftp "
		    "session", m->user, m->peer_addr, m->peer_port);
		p->sftp_only = 1;	/* the worker says so, as sshd's does */
	}
	p->legacy_scp = m->cfg->legacy_scp == LEGACY_SCP_INTERNAL ?
	    SESSION_SCP_INTERNAL : m->cfg->legacy_scp == LEGACY_SCP_EXTERNAL ?
	    SESSION_SCP_EXTERNAL : SESSION_SCP_AUTO;
	if (m->cfg->chroot_directory == NULL)
		return 0;
	if (t->is_container) {
		snprintf(err, errlen, "nsshd: ChrootDirectory is not supported "
		    "with a container target");
		error("%s for %s", err + 7, m->user);
		return -1;
	}
	if (target_expand(m->cfg->chroot_directory, m->user, m->pw.home,
	    chroot, chrootlen) != 0) {
		snprintf(err, errlen, "nsshd: ChrootDirectory %s cannot be "
		    "expanded", m->cfg->chroot_directory);
		error("%s for %s", err + 7, m->user);
		return -1;
	}
	p->chroot_dir = chroot;
	return 0;
}

/* Start the session's worker: 0 and *proc, or -1 with err for the client. */
static int
mon_exec_start(struct monitor *m, struct mon_session *s, uint32_t kind,
    const char *cmd, struct session_proc *proc, char *err, size_t errlen)
{
	struct session_params p;
	struct target t;
	char **tenv, chroot[1024];
	int r;

	if (mon_session_target(m, &t, &tenv, err, errlen) != 0)
		return -1;
	mon_fill_params(m, s, cmd, &p);
	p.target = &t;
	p.target_env = tenv;
	r = mon_exec_files(m, kind, cmd, &t, &p, chroot, sizeof(chroot), err,
	    errlen);
	if (r == 0) {
		memset(proc, 0, sizeof(*proc));
		if ((r = session_start(&p, proc)) != 0) {
			error("session for %s failed: %s", m->user,
			    proc->errmsg);
			snprintf(err, errlen, "nsshd: %s", proc->errmsg);
		}
	}
	session_env_free(tenv);
	return r == 0 ? 0 : -1;
}

void
mon_h_exec(struct monitor *m, const struct mon_msg *req)
{
	struct mon_session *s = mon_sess(m, req->u[0], 1);
	struct session_proc proc;
	char *req_cmd = mon_dup_cstr(req, 0), err[600];
	const char *cmd;
	int i;

	if (req_cmd == NULL || req->u[1] > MON_EXEC_SUBSYSTEM || s->started)
		mon_fatal(m, "bad exec request");
	if (mon_exec_command(m, s, req->u[1], req_cmd, &cmd, err,
	    sizeof(err)) != 0) {
		logit("%s", err);
		mon_exec_reply(m, MON_EXEC_REFUSED, 0, err, NULL, 0);
	} else if (mon_exec_start(m, s, req->u[1], cmd, &proc, err,
	    sizeof(err)) != 0)
		mon_exec_reply(m, MON_EXEC_ERROR, 0, err, NULL, 0);
	else {
		mon_log_start(m, s, req->u[1], req_cmd, cmd, proc.tty);
		s->started = 1;
		s->pid = proc.pid;
		snprintf(s->tty, sizeof(s->tty), "%s", proc.tty);
		mon_exec_reply(m, MON_EXEC_STARTED, s->want_pty, "", proc.fds,
		    proc.nfds);
		if (s->want_pty)
			s->master = proc.fds[0];
		else
			for (i = 0; i < proc.nfds; i++)
				close(proc.fds[i]);
	}
	free(req_cmd);
}

void
mon_h_winch(struct monitor *m, const struct mon_msg *req)
{
	struct mon_session *s = mon_sess(m, req->u[0], 1);

	if (s->master >= 0)
		(void)session_window_change(s->master, req->u[1], req->u[2],
		    req->u[3], req->u[4]);
	else if (s->want_pty && !s->started) {
		s->cols = req->u[1];
		s->rows = req->u[2];
		s->xpix = req->u[3];
		s->ypix = req->u[4];
	}
	mon_reply_status(m, 1, "");
}

void
mon_h_signal(struct monitor *m, const struct mon_msg *req)
{
	struct mon_session *s = mon_sess(m, req->u[0], 1);
	char *name = mon_dup_cstr(req, 0);
	int sig = name ? session_signal_number(name) : -1, ok = 0;

	if (sig > 0 && s->pid > 0) {
		debug("session %u: signal %s to pid %ld", s->chan, name,
		    (long)s->pid);
		ok = kill(s->pid, sig) == 0;
	}
	free(name);
	mon_reply_status(m, ok, "");
}

void
mon_h_close(struct monitor *m, const struct mon_msg *req)
{
	struct mon_session *s = mon_sess(m, req->u[0], 1);
	int i;

	if (s->pid > 0) {
		for (i = 0; i < MON_MAX_ORPHANS && m->orphans[i] != 0; i++)
			;
		if (i < MON_MAX_ORPHANS)
			m->orphans[i] = s->pid;
	}
	mon_sess_free(m, s);
	mon_reply_status(m, 1, "");
}

void
mon_session_reaped(struct monitor *m, pid_t pid, int status)
{
	struct mon_msg note;
	int i;

	for (i = 0; i < MON_MAX_ORPHANS; i++)
		if (m->orphans[i] == pid) {
			m->orphans[i] = 0;
			return;
		}
	for (i = 0; i < NSSHD_MAX_CHANNELS; i++) {
		if (!m->sess[i].used || m->sess[i].pid != pid)
			continue;
		m->sess[i].pid = 0;
		mon_init(&note, MON_EXIT_NOTE);
		note.u[0] = m->sess[i].chan;
		note.u[1] = WIFSIGNALED(status);
		note.u[2] = WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status);
		note.u[3] = WIFSIGNALED(status) && WCOREDUMP(status);
		mon_reply(m, &note, NULL, 0);
		return;
	}
}

void
mon_sessions_cleanup(struct monitor *m)
{
	int i;

	for (i = 0; i < NSSHD_MAX_CHANNELS; i++)
		if (m->sess[i].used)
			mon_sess_free(m, &m->sess[i]);
	mon_forward_cleanup(m);
}
