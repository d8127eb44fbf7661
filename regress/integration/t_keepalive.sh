#!/bin/bash
# t_keepalive.sh - server keepalives (ClientAliveInterval / ClientAliveCountMax):
# a live client answers them and stays connected; a client that stops
# answering (SIGSTOP) is dropped after interval x count, with sshd's log
# line.  Also: ping@openssh.com is advertised in EXT_INFO.
. "$(dirname "$0")/lib.sh"

setup "ClientAliveInterval 1" "ClientAliveCountMax 2"
U=nsshd-t1

out=$(ssh_to "$U" 'sleep 4; echo alive' </dev/null)
if [ "$out" = alive ]; then ok keepalive_live_client
else fail keepalive_live_client "output '$out': $(tail -n1 "$T/last.err")"; fi

ssh_to "$U" 'sleep 60' </dev/null >/dev/null 2>&1 &
bg=$!
bg_track "$bg"
sleep 2
client=$(pgrep -P "$(pgrep -P "$bg" | head -n1)" ssh 2>/dev/null | head -n1)
[ -n "$client" ] || client=$(pgrep -f "ssh.*-p $PORT .*sleep 60" | head -n1)
if [ -z "$client" ]; then
	fail keepalive_timeout "could not find the ssh client"
else
	kill -STOP "$client"
	dropped() { tr -d '\r' <"$SERVER_LOG" | grep -q "Timeout, client not responding"; }
	if wait_for 10 dropped; then ok keepalive_timeout
	else fail keepalive_timeout "no 'Timeout, client not responding' within 10 s"; fi
	kill -CONT "$client" 2>/dev/null
fi
kill_tree "$bg"

# Client keepalives (ServerAliveInterval): keepalive@openssh.com is answered, so a quiet
# session stays up; a server that stops answering is given up by the client.
out=$(ssh_to -o ServerAliveInterval=1 -o ServerAliveCountMax=2 "$U" 'sleep 4; echo alive' </dev/null)
if [ "$out" = alive ]; then ok keepalive_client_answered
else fail keepalive_client_answered "output '$out': $(tail -n1 "$T/last.err")"; fi

if [ "$SERVER" = nsshd ]; then
	SSH_ERR=$T/sa.err ssh_to -o LogLevel=INFO -o ServerAliveInterval=1 -o ServerAliveCountMax=2 "$U" 'sleep 30' \
		</dev/null >/dev/null &
	bg=$!
	bg_track "$bg"
	sleep 2
	net=$(pgrep -n '^nsshd \[net\]$')
	if [ -z "$net" ]; then
		fail keepalive_client_timeout "no 'nsshd [net]' process"
	else
		kill -STOP "$net"
		gone() { ! kill -0 "$bg" 2>/dev/null; }
		if wait_for 15 gone && grep -q "Timeout, server 127.0.0.1 not responding" "$T/sa.err"
		then ok keepalive_client_timeout
		else fail keepalive_client_timeout "client still running or no timeout message: $(cat "$T/sa.err")"; fi
		kill -CONT "$net" 2>/dev/null
	fi
	kill_tree "$bg"
fi

if [ "$SERVER" = nsshd ]; then
	SSH_ERR=$T/v.err ssh_to -vv "$U" true </dev/null
	if grep -q "ping@openssh.com" "$T/v.err"; then ok keepalive_ping_advertised
	else fail keepalive_ping_advertised "no ping@openssh.com in the client's -vv output"; fi
fi

if still_serving; then ok keepalive_still_serving
else fail keepalive_still_serving "$SERVING_WHY"; fi
finish
