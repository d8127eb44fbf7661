#!/bin/bash
# t_mux.sh - OpenSSH connection multiplexing: a ControlMaster connection carries three
# concurrent sessions (they overlap in time and share the master's TCP connection), then
# `ssh -O exit` ends the master.
. "$(dirname "$0")/lib.sh"

setup
U=nsshd-t1
CTL=$T/ctl

# The master: no command (-N), in the background, bounded by timeout(1) like every client.
ssh_to -M -S "$CTL" -N -o ControlPersist=no "$U" </dev/null &
MASTER=$!
bg_track "$MASTER"
mux_check() { ssh_to -S "$CTL" -O check "$U" </dev/null; }
if ! wait_for 15 mux_check; then
	fail mux_sessions "control master did not come up: $(tail -n 1 "$T/last.err")"
	finish
fi

start=${EPOCHREALTIME/./}
pids=""
for n in 1 2 3; do
	SSH_ERR=$T/mux$n.err ssh_to -S "$CTL" -o ControlMaster=no "$U" \
		"sleep 3; echo \"s$n \$SSH_CONNECTION\"" </dev/null >"$T/mux$n.out" &
	pids="$pids $!"
	bg_track $!
done
rcs=""
for p in $pids; do
	wait "$p"
	rcs="$rcs $?"
done
elapsed=$(((${EPOCHREALTIME/./} - start) / 1000000))

why=""
conns=""
for n in 1 2 3; do
	line=$(cat "$T/mux$n.out")
	case $line in
	"s$n 127.0.0.1 "*) conns="$conns|${line#s$n }" ;;
	*) why="$why session $n printed '$line' ($(tail -n 1 "$T/mux$n.err"));" ;;
	esac
done
[ "$rcs" = " 0 0 0" ] || why="$why exit statuses$rcs;"
# One TCP connection: SSH_CONNECTION (client port included) is the same for all three.
[ -z "$why" ] && [ "$(echo "$conns" | tr '|' '\n' | sed '/^$/d' | sort -u | wc -l)" != 1 ] &&
	why="$why sessions on different connections:$conns;"
# Concurrent: three 3-second sessions took well under 9 s.
[ "$elapsed" -ge 8 ] && why="$why took ${elapsed}s, not concurrent;"
if [ -z "$why" ]; then ok mux_sessions; else fail mux_sessions "$why"; fi

# mux_status_after_eof: a command that closes its output, then exits later.  The master
# sees EOF both ways and closes the channel before the exit is known; the exit status must
# still reach the mux client (the server's CLOSE waits for it, as sshd's does).
ssh_to -S "$CTL" -o ControlMaster=no "$U" 'exec >&- 2>&-; sleep 1; exit 5' </dev/null
rc=$?
if [ "$rc" = 5 ]; then ok mux_status_after_eof
else fail mux_status_after_eof "exit status $rc, want 5"; fi

# mux_exit: -O exit stops the master.
ssh_to -S "$CTL" -O exit "$U" </dev/null
rc=$?
gone() { ! kill -0 "$MASTER" 2>/dev/null; }
if [ "$rc" != 0 ] || ! wait_for 10 gone; then
	fail mux_exit "ssh -O exit: rc=$rc, master still running: $(gone && echo no || echo yes)"
elif ! still_serving; then
	fail mux_exit "$SERVING_WHY"
else
	ok mux_exit
fi

finish
