/*
 * log.c - stderr / syslog logger (see log.h).
 *
 * Process-wide settings only: ident, level, destination and a suffix such
 * as " [preauth]".  Syslog is opened lazily with LOG_NDELAY before any
 * sandbox is entered (log_init), so a sandboxed process keeps its socket.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "common/log.h"

static const char *log_ident = "nsshd";
static enum log_level log_level = LOG_LVL_INFO;
static int log_stderr = 1;
static int log_errfd = STDERR_FILENO;	/* where "stderr" lines go */
static const char *log_suffix;

static const struct {
	const char *name;
	enum log_level level;
} log_names[] = {
	{ "QUIET", LOG_LVL_QUIET }, { "FATAL", LOG_LVL_FATAL },
	{ "ERROR", LOG_LVL_ERROR }, { "INFO", LOG_LVL_INFO },
	{ "VERBOSE", LOG_LVL_VERBOSE }, { "DEBUG", LOG_LVL_DEBUG1 },
	{ "DEBUG1", LOG_LVL_DEBUG1 }, { "DEBUG2", LOG_LVL_DEBUG2 },
	{ "DEBUG3", LOG_LVL_DEBUG3 },
};

void
log_init(const char *ident, enum log_level level, int to_stderr)
{
	log_ident = ident;
	log_level = level;
	log_stderr = to_stderr;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_AUTH);
}

void
log_close(void)
{
	if (!log_stderr) {
		closelog();
		log_level = LOG_LVL_QUIET;
	}
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

void
log_set_suffix(const char *suffix)
{
	log_suffix = suffix;
}

int
log_level_parse(const char *name, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(log_names) / sizeof(log_names[0]); i++) {
		if (strcasecmp(name, log_names[i].name) == 0) {
			*out = log_names[i].level;
			return 0;
		}
	}
	return -1;
}

const char *
log_level_name(enum log_level level)
{
	size_t i;

	for (i = 0; i < sizeof(log_names) / sizeof(log_names[0]); i++)
		if (log_names[i].level == level)
			return log_names[i].name;
	return "INFO";
}

static int
syslog_prio(enum log_level level)
{
	switch (level) {
	case LOG_LVL_FATAL: return LOG_CRIT;
	case LOG_LVL_ERROR: return LOG_ERR;
	case LOG_LVL_INFO:
	case LOG_LVL_VERBOSE: return LOG_INFO;
	default: return LOG_DEBUG;
	}
}

void
log_msg(enum log_level level, const char *fmt, va_list ap)
{
	char msg[1024], line[1102];
	const char *pfx = "";
	size_t i;

	if (level > log_level)
		return;
	if (level >= LOG_LVL_DEBUG1)
		pfx = level == LOG_LVL_DEBUG1 ? "debug1: " :
		    level == LOG_LVL_DEBUG2 ? "debug2: " : "debug3: ";
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Never let peer-supplied bytes forge log lines or terminal codes. */
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	snprintf(line, sizeof(line) - 2, "%s%s%s%s%s", pfx, msg,
	    log_suffix ? " [" : "", log_suffix ? log_suffix : "",
	    log_suffix ? "]" : "");
	if (log_stderr) {
		/* CR LF, as sshd writes its stderr lines. */
		size_t n = strlen(line);
		line[n] = '\r';
		line[n + 1] = '\n';
		(void)!write(log_errfd, line, n + 2);
	} else
		syslog(syslog_prio(level), "%s", line);
}

void
log_set_stderr_fd(int fd)
{
	log_errfd = fd;
}

#define LOG_FN(name, lvl) \
void name(const char *fmt, ...) \
{ \
	va_list ap; \
	va_start(ap, fmt); \
	log_msg(lvl, fmt, ap); \
	va_end(ap); \
}
LOG_FN(logit, LOG_LVL_INFO)
LOG_FN(verbose, LOG_LVL_VERBOSE)
LOG_FN(error, LOG_LVL_ERROR)
LOG_FN(debug, LOG_LVL_DEBUG1)
LOG_FN(debug2, LOG_LVL_DEBUG2)
LOG_FN(debug3, LOG_LVL_DEBUG3)

void
log_at(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_msg(level, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_msg(LOG_LVL_FATAL, fmt, ap);
	va_end(ap);
	exit(255);
}

void
log_abort(const char *file, int line, const char *what)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s:%d: assertion failed: %s\n", file,
	    line, what);
	(void)!write(STDERR_FILENO, msg, strlen(msg));
	if (!log_stderr)
		syslog(LOG_CRIT, "%s", msg);
	abort();
}
