/*
 * seccomp.c - the transport's system-call allow-list (libseccomp).
 *
 * The transport is a single-threaded relay: it reads and writes descriptors
 * it was given, polls, keeps time, draws random bytes and manages memory.
 * Everything else kills the whole process (SCMP_ACT_KILL_PROCESS), and so
 * does a call made with a foreign architecture or ABI (x32 on x86_64).
 * open/openat, which libc and crypto libraries merely probe, fail with
 * EACCES instead.  Some calls are allowed only with particular arguments:
 * fcntl (get/set the status and descriptor flags), mmap/mprotect (never
 * PROT_EXEC), setsockopt/getsockopt (a few socket and TCP/IP options) and
 * tgkill (SIGABRT to itself, so that abort() still dumps an honest signal).
 *
 * With NSSHD_SANITIZERS the filter also lets the ASan/UBSan runtime write
 * its report (see san_rules); that build is for tests only.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/err.h"
#include "sandbox/sandbox.h"

/* One rule: a syscall (negative: absent on this architecture), an action
 * and up to two argument comparisons. */
struct sc_rule {
	int nr;
	uint32_t action;
	unsigned int nargs;
	struct scmp_arg_cmp arg[2];
};

#define ALLOW(name)	{ SCMP_SYS(name), SCMP_ACT_ALLOW, 0, { { 0 } } }
#define DENY(name, e)	{ SCMP_SYS(name), SCMP_ACT_ERRNO(e), 0, { { 0 } } }
#define ALLOW_ARG(name, a)	{ SCMP_SYS(name), SCMP_ACT_ALLOW, 1, { a } }
#define ALLOW_ARG2(name, a, b)	{ SCMP_SYS(name), SCMP_ACT_ALLOW, 2, { a, b } }
/* Argument i equals v in its low 32 bits (int arguments). */
#define EQ32(i, v)	{ .arg = (i), .op = SCMP_CMP_MASKED_EQ, \
			  .datum_a = 0xffffffffu, .datum_b = (v) }
/* Argument i (a prot value) lacks PROT_EXEC. */
#define NOEXEC(i)	{ .arg = (i), .op = SCMP_CMP_MASKED_EQ, \
			  .datum_a = PROT_EXEC, .datum_b = 0 }

/* Calls allowed whatever their arguments. */
static const struct sc_rule base_rules[] = {
	/* I/O on descriptors the transport was handed */
	ALLOW(read), ALLOW(write), ALLOW(readv), ALLOW(writev),
	ALLOW(recvmsg), ALLOW(sendmsg), ALLOW(recvfrom), ALLOW(sendto),
	ALLOW(accept), ALLOW(accept4), ALLOW(shutdown), ALLOW(close),
	/* waiting */
	ALLOW(poll), ALLOW(ppoll), ALLOW(select), ALLOW(_newselect),
	ALLOW(pselect6), ALLOW(epoll_create), ALLOW(epoll_create1),
	ALLOW(epoll_ctl), ALLOW(epoll_wait), ALLOW(epoll_pwait),
	ALLOW(epoll_pwait2),
	/* time, randomness */
	ALLOW(clock_gettime), ALLOW(clock_nanosleep), ALLOW(nanosleep),
	ALLOW(gettimeofday), ALLOW(getrandom),
	/* memory (mmap/mprotect below, without PROT_EXEC) */
	ALLOW(brk), ALLOW(munmap), ALLOW(mremap), ALLOW(madvise),
	ALLOW(mlock), ALLOW(munlock), ALLOW(futex),
	/* process */
	ALLOW(exit), ALLOW(exit_group), ALLOW(rt_sigreturn),
	ALLOW(rt_sigprocmask), ALLOW(restart_syscall), ALLOW(sched_yield),
	ALLOW(getpid), ALLOW(gettid), ALLOW(getuid), ALLOW(geteuid),
	ALLOW(getgid), ALLOW(getegid),
	/* what stdio asks about its descriptors */
	ALLOW(fstat), ALLOW(newfstatat), ALLOW(lseek),
	/* probes: fail, do not kill */
	DENY(open, EACCES), DENY(openat, EACCES),
};

/* Calls allowed only with the arguments named. */
static const struct sc_rule arg_rules[] = {
	ALLOW_ARG(fcntl, EQ32(1, F_GETFL)),
	ALLOW_ARG(fcntl, EQ32(1, F_SETFL)),
	ALLOW_ARG(fcntl, EQ32(1, F_GETFD)),
	ALLOW_ARG(fcntl, EQ32(1, F_SETFD)),
	ALLOW_ARG(fcntl64, EQ32(1, F_GETFL)),
	ALLOW_ARG(fcntl64, EQ32(1, F_SETFL)),
	ALLOW_ARG(fcntl64, EQ32(1, F_GETFD)),
	ALLOW_ARG(fcntl64, EQ32(1, F_SETFD)),
	ALLOW_ARG(mmap, NOEXEC(2)),
	ALLOW_ARG(mmap2, NOEXEC(2)),
	ALLOW_ARG(mprotect, NOEXEC(2)),
	ALLOW_ARG(getsockopt, EQ32(1, SOL_SOCKET)),
	ALLOW_ARG2(getsockopt, EQ32(1, IPPROTO_TCP), EQ32(2, TCP_NODELAY)),
	ALLOW_ARG2(setsockopt, EQ32(1, SOL_SOCKET), EQ32(2, SO_KEEPALIVE)),
	ALLOW_ARG2(setsockopt, EQ32(1, SOL_SOCKET), EQ32(2, SO_SNDBUF)),
	ALLOW_ARG2(setsockopt, EQ32(1, SOL_SOCKET), EQ32(2, SO_RCVBUF)),
	ALLOW_ARG2(setsockopt, EQ32(1, IPPROTO_TCP), EQ32(2, TCP_NODELAY)),
	/* re-armed after reads during the handshake (transport/main.c) */
	ALLOW_ARG2(setsockopt, EQ32(1, IPPROTO_TCP), EQ32(2, TCP_QUICKACK)),
	ALLOW_ARG2(setsockopt, EQ32(1, IPPROTO_IP), EQ32(2, IP_TOS)),
	ALLOW_ARG2(setsockopt, EQ32(1, IPPROTO_IPV6), EQ32(2, IPV6_TCLASS)),
};

#ifdef NSSHD_SANITIZERS
/*
 * What the ASan/UBSan runtime does while reporting an error: an alternate
 * signal stack, prctl and rlimit queries, CPU affinity, reading
 * /proc/self/exe, signal handlers.  Spawning a symbolizer or the
 * LeakSanitizer tracer must fail rather than kill, so clone/fork/pipe/ioctl
 * and file probes get an errno.  socket() still kills, as in production.
 */
static const struct sc_rule san_rules[] = {
	ALLOW(sigaltstack), ALLOW(prctl), ALLOW(readlink), ALLOW(readlinkat),
	ALLOW(sched_getaffinity), ALLOW(rt_sigaction), ALLOW(getrlimit),
	ALLOW(prlimit64), ALLOW(getppid), ALLOW(uname), ALLOW(sysinfo),
	ALLOW(getrusage),
	DENY(clone, EPERM), DENY(clone3, ENOSYS), DENY(fork, EPERM),
	DENY(vfork, EPERM), DENY(pipe, EMFILE), DENY(pipe2, EMFILE),
	DENY(ioctl, ENOTTY), DENY(access, EACCES),
	DENY(faccessat, EACCES), DENY(stat, EACCES), DENY(lstat, EACCES),
	DENY(ptrace, EPERM), DENY(execve, EACCES), DENY(wait4, ECHILD),
	DENY(unlink, EACCES), DENY(mkdir, EACCES),
};
#endif

/* Add one rule; a syscall this architecture lacks is skipped. */
static int
add_rule(scmp_filter_ctx ctx, const struct sc_rule *r)
{
	if (r->nr < 0)
		return 0;
	if (r->nargs == 0)
		return seccomp_rule_add(ctx, r->action, r->nr, 0);
	return seccomp_rule_add_array(ctx, r->action, r->nr, r->nargs, r->arg);
}

static int
add_rules(scmp_filter_ctx ctx, const struct sc_rule *r, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = add_rule(ctx, &r[i])) < 0)
			return rc;
	return 0;
}

/* tgkill(self, self, SIGABRT): what abort() does in a single thread. */
static int
add_abort_rule(scmp_filter_ctx ctx)
{
	scmp_datum_t self = (scmp_datum_t)getpid();
	const struct scmp_arg_cmp a[3] = {
		EQ32(0, self), EQ32(1, self), EQ32(2, SIGABRT),
	};

	return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill),
	    3, a);
}

/* Every rule of the transport filter. */
static int
build_transport(scmp_filter_ctx ctx)
{
	int rc;

	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) < 0)
		return rc;
	if (seccomp_arch_exist(ctx, SCMP_ARCH_NATIVE) != 0)
		return -EINVAL;
	if ((rc = add_rules(ctx, base_rules,
	    sizeof(base_rules) / sizeof(base_rules[0]))) < 0 ||
	    (rc = add_rules(ctx, arg_rules,
	    sizeof(arg_rules) / sizeof(arg_rules[0]))) < 0)
		return rc;
#ifdef NSSHD_SANITIZERS
	if ((rc = add_rules(ctx, san_rules,
	    sizeof(san_rules) / sizeof(san_rules[0]))) < 0)
		return rc;
#endif
	return add_abort_rule(ctx);
}

int
sandbox_seccomp_transport(void)
{
	scmp_filter_ctx ctx;
	int rc;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL) {
		errno = ENOMEM;
		return ERR_SYS;
	}
	rc = build_transport(ctx);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		errno = -rc;
		return ERR_SYS;
	}
	return 0;
}
