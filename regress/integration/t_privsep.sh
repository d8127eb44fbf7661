#!/bin/bash
# t_privsep.sh - privilege separation checked, not assumed. During a session: the monitor runs
# as root (a fresh exec of nsshd-session), the transport as the privsep user nsshd with a
# seccomp filter (Seccomp: 2, NoNewPrivs: 1), chrooted to the empty root-owned /run/nsshd/empty,
# and the user's command runs as the user outside the transport. With a test-hooks build
# (NSSHD_TEST_HOOKS=1) the transport makes a forbidden system call on request: it is killed,
# the monitor logs the signal, the connection closes and the listener keeps serving.
. "$(dirname "$0")/lib.sh"

TESTS="privsep_monitor_root privsep_transport_user privsep_transport_seccomp privsep_transport_chroot privsep_worker_user privsep_forbidden_syscall"
if [ "$SERVER" != nsshd ]; then
	for t in $TESTS; do
		skip "$t" "checks nsshd's own process model (monitor/transport/worker); SERVER=$SERVER"
	done
	finish
fi

PRIVSEP_USER=nsshd
EMPTY=/run/nsshd/empty
setup
U=nsshd-t1
PUID=$(id -u "$PRIVSEP_USER")
PGID=$(id -g "$PRIVSEP_USER")
UUID=$(id -u "$U")

status_field() {  # status_field PID FIELD: the value(s) of FIELD: in /proc/PID/status
	awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print }' "/proc/$1/status" 2>/dev/null
}
is_descendant() {  # is_descendant PID ANCESTOR
	local p=$1
	while [ -n "$p" ] && [ "$p" -gt 1 ]; do
		[ "$p" = "$2" ] && return 0
		p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
	done
	return 1
}

# A session that stays open: prints "ready", then runs cat on stdin, which this script holds
# open through a fifo; closing the fifo ends cat and the session (nothing is left running).
mkfifo "$T/session.in"
ssh_to "$U" "echo ready; exec cat" <"$T/session.in" >"$T/session.out" &
SESSION=$!
bg_track "$SESSION"
exec 8>"$T/session.in"
session_ready() { grep -q ready "$T/session.out"; }
if ! wait_for 20 session_ready; then
	for t in privsep_monitor_root privsep_transport_user privsep_transport_seccomp privsep_transport_chroot privsep_worker_user; do
		fail "$t" "could not open a session: $(tail -n 1 "$T/last.err")"
	done
else
	transports=""
	for p in $(descendants "$SERVER_PID"); do
		[ "$(proc_uid "$p")" = "$PUID" ] && transports="$transports $p"
	done
	set -- $transports
	if [ $# != 1 ]; then
		for t in privsep_monitor_root privsep_transport_user privsep_transport_seccomp privsep_transport_chroot privsep_worker_user; do
			fail "$t" "want exactly one process of user $PRIVSEP_USER under the listener (pid $SERVER_PID), found $#:$transports"
		done
	else
		TR=$1
		MON=$(awk '/^PPid:/ { print $2 }' "/proc/$TR/status")

		# privsep_monitor_root: the transport's parent is root and a fresh exec of nsshd-session.
		why=""
		[ "$(status_field "$MON" Uid)" = "0 0 0 0" ] || why="$why Uid '$(status_field "$MON" Uid)';"
		exe=$(readlink "/proc/$MON/exe")
		[ "$(basename "$exe")" = nsshd-session ] || why="$why exe '$exe' is not nsshd-session;"
		[ "$MON" != "$SERVER_PID" ] || why="$why the transport's parent is the listener itself;"
		if [ -z "$why" ]; then ok privsep_monitor_root; else fail privsep_monitor_root "monitor pid $MON:$why"; fi

		# privsep_transport_user: every uid and gid is the privsep user's, no other groups.
		why=""
		[ "$(status_field "$TR" Uid)" = "$(printf '%s %s %s %s' $PUID $PUID $PUID $PUID)" ] ||
			why="$why Uid '$(status_field "$TR" Uid)';"
		[ "$(status_field "$TR" Gid)" = "$(printf '%s %s %s %s' $PGID $PGID $PGID $PGID)" ] ||
			why="$why Gid '$(status_field "$TR" Gid)';"
		groups=$(status_field "$TR" Groups)
		[ -z "$groups" ] || [ "$groups" = "$PGID" ] || why="$why Groups '$groups';"
		if [ -z "$why" ]; then ok privsep_transport_user
		else fail privsep_transport_user "transport pid $TR (user $PRIVSEP_USER = $PUID:$PGID):$why"; fi

		# privsep_transport_seccomp: a filter is installed, no_new_privs is set.
		sc=$(status_field "$TR" Seccomp)
		nnp=$(status_field "$TR" NoNewPrivs)
		if [ "$sc" = 2 ] && [ "$nnp" = 1 ]; then ok privsep_transport_seccomp
		else fail privsep_transport_seccomp "transport pid $TR: Seccomp '$sc' (want 2), NoNewPrivs '$nnp' (want 1)"; fi

		# privsep_transport_chroot: its root is the empty, root-owned, not group/world-writable dir.
		why=""
		root=$(readlink "/proc/$TR/root")
		[ "$root" = "$EMPTY" ] || why="$why root is '$root';"
		if [ -d "$EMPTY" ]; then
			[ -z "$(ls -A "$EMPTY")" ] || why="$why $EMPTY is not empty: $(ls -A "$EMPTY" | head -n 5 | tr '\n' ' ');"
			[ "$(stat -c %u "$EMPTY")" = 0 ] || why="$why $EMPTY owned by uid $(stat -c %u "$EMPTY");"
			[ $((0$(stat -c %a "$EMPTY") & 022)) = 0 ] || why="$why $EMPTY has mode $(stat -c %a "$EMPTY");"
		else
			why="$why $EMPTY does not exist;"
		fi
		if [ -z "$why" ]; then ok privsep_transport_chroot; else fail privsep_transport_chroot "transport pid $TR:$why"; fi

		# privsep_worker_user: the user's command (cat) runs as the user, under the monitor,
		# not under the transport.
		why=""
		w=""
		for p in $(descendants "$MON"); do
			[ "$(cat "/proc/$p/comm" 2>/dev/null)" = cat ] && w=$p
		done
		if [ -z "$w" ]; then
			why=" no 'cat' process under the monitor"
		else
			[ "$(status_field "$w" Uid)" = "$(printf '%s %s %s %s' $UUID $UUID $UUID $UUID)" ] ||
				why="$why Uid '$(status_field "$w" Uid)' (want $UUID);"
			is_descendant "$w" "$TR" && why="$why it runs under the transport;"
		fi
		if [ -z "$why" ]; then ok privsep_worker_user; else fail privsep_worker_user "user command pid ${w:-?}:$why"; fi
	fi
fi
exec 8>&-  # EOF for cat: the session ends by itself
gone() { ! kill -0 "$SESSION" 2>/dev/null; }
wait_for 10 gone || kill_tree "$SESSION"
wait "$SESSION" 2>/dev/null

# privsep_forbidden_syscall: the test hook.
if [ "$NSSHD_TEST_HOOKS" != 1 ]; then
	skip privsep_forbidden_syscall "needs a --enable-test-hooks build and NSSHD_TEST_HOOKS=1"
else
	res=$(badclient --timeout 10 version "$PORT" SSH-2.0-NSSHD_TEST_FORBIDDEN_SYSCALL)
	rc=$?
	logged() { grep -qiE 'signal 31|SIGSYS|bad system call' "$SERVER_LOG"; }
	if [ "$rc" != 0 ]; then
		fail privsep_forbidden_syscall "connection not closed within 10 s: $res"
	elif ! wait_for 5 logged; then
		fail privsep_forbidden_syscall "connection closed ($res) but the log does not mention signal 31 / SIGSYS"
	elif ! still_serving; then
		fail privsep_forbidden_syscall "$SERVING_WHY"
	else
		ok privsep_forbidden_syscall
	fi
	# privsep_postauth_early: a transport that asks for a session before
	# authenticating is cut off by the monitor.
	res=$(badclient --timeout 10 version "$PORT" SSH-2.0-NSSHD_TEST_POSTAUTH_EARLY)
	rc=$?
	refused() { grep -q 'not allowed before authentication' "$SERVER_LOG"; }
	if [ "$rc" != 0 ]; then
		fail privsep_postauth_early "connection not closed within 10 s: $res"
	elif ! wait_for 5 refused; then
		fail privsep_postauth_early "the monitor did not log the refusal"
	elif grep -q 'ANSWERED a pre-auth' "$SERVER_LOG"; then
		fail privsep_postauth_early "the monitor answered the request"
	elif ! still_serving; then
		fail privsep_postauth_early "$SERVING_WHY"
	else
		ok privsep_postauth_early
	fi
fi

finish
