/*
 * log.h - logging for every nsshd process.
 *
 * Lines go to stderr (sshd -e, -d) or to syslog with facility LOG_AUTH, in
 * the form sshd writes, so that fail2ban and auditors keep working.  The
 * logger is set up once per process with log_init(); it keeps only constant
 * process-wide settings (ident, level, destination), never connection state.
 * fatal() logs and exits with status 255.  Nothing here may be called from a
 * signal handler.
 */
#ifndef NSSHD_LOG_H
#define NSSHD_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LVL_QUIET = 0,
	LOG_LVL_FATAL,
	LOG_LVL_ERROR,
	LOG_LVL_INFO,
	LOG_LVL_VERBOSE,
	LOG_LVL_DEBUG1,
	LOG_LVL_DEBUG2,
	LOG_LVL_DEBUG3,
};

/* ident: program name ("sshd" style prefix); to_stderr: 1 = stderr. */
void log_init(const char *ident, enum log_level level, int to_stderr);
void log_set_level(enum log_level level);
/*
 * Stop logging to syslog for good in this process (a worker about to enter
 * a container must not reconnect to a /dev/log there); stderr logging
 * goes on.
 */
void log_close(void);
/* Write stderr lines to fd instead of 2 (a session worker keeps the
 * server's stderr there once fd 2 is the session's). */
void log_set_stderr_fd(int fd);
enum log_level log_get_level(void);
/* Prefix added to every line, e.g. "preauth" for the transport; NULL = none. */
void log_set_suffix(const char *suffix);
/* Parse an sshd LogLevel name (QUIET FATAL ERROR INFO VERBOSE DEBUG DEBUG1-3). */
int log_level_parse(const char *name, enum log_level *out);
const char *log_level_name(enum log_level level);

void logit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void debug2(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void debug3(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void log_msg(enum log_level level, const char *fmt, va_list ap);
void log_at(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Programmer error: log file:line and abort. */
#define ASSERT(x) do { if (!(x)) log_abort(__FILE__, __LINE__, #x); } while (0)
void log_abort(const char *file, int line, const char *what)
    __attribute__((noreturn));

#endif
