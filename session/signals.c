/*
 * signals.c - the signal names of RFC 4254 section 6.9 ("signal" requests
 * and "exit-signal" replies) and their numbers on this system.
 */
#include "autoconf.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "session/session.h"

static const struct {
	const char *name;
	int sig;
} sig_names[] = {
	{ "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "FPE", SIGFPE },
	{ "HUP", SIGHUP }, { "ILL", SIGILL }, { "INT", SIGINT },
	{ "KILL", SIGKILL }, { "PIPE", SIGPIPE }, { "QUIT", SIGQUIT },
	{ "SEGV", SIGSEGV }, { "TERM", SIGTERM }, { "USR1", SIGUSR1 },
	{ "USR2", SIGUSR2 },
};

#define NSIG_NAMES (sizeof(sig_names) / sizeof(sig_names[0]))

int
session_signal_number(const char *name)
{
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < NSIG_NAMES; i++)
		if (strcmp(sig_names[i].name, name) == 0)
			return sig_names[i].sig;
	return -1;
}

const char *
session_signal_name(int sig)
{
	size_t i;

	for (i = 0; i < NSIG_NAMES; i++)
		if (sig_names[i].sig == sig)
			return sig_names[i].name;
	return NULL;
}
