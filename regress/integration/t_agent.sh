#!/bin/bash
# t_agent.sh - agent forwarding (issue #4), checked against what Debian's sshd does:
#   ssh -A: in the session `ssh-add -l` lists the client's agent key; SSH_AUTH_SOCK is a socket
#           of the user's in a directory of the user's (mode 0700); a nested ssh from the session
#           back to the same server logs in with that key through the forwarded agent (and
#           forwards it again); after the session the socket and its directory are gone;
#   refused: AllowAgentForwarding no, DisableForwarding yes, and authorized_keys
#           no-agent-forwarding and restrict: SSH_AUTH_SOCK is unset and ssh-add cannot connect.
# The client's agent is an ssh-agent of this script's on a socket in $T. ssh_to unsets
# SSH_AUTH_SOCK and says IdentityAgent=none, after its caller's options: `-A -o
# IdentityAgent=SOCKET` comes first and wins (ForwardAgent=SOCKET alone is not enough: ssh 9.2
# drops agent forwarding when SSH_AUTH_SOCK is unset). IdentitiesOnly=yes (ssh_to's) keeps the
# session's own login to the -i key.
. "$(dirname "$0")/lib.sh"

U=nsshd-t1

restart() {
	stop_server
	start_server "$@" || { fail agent_restart "server ($SERVER) did not start with: $*"; finish; }
}

setup
grp=$(id -gn "$U")
home=$(user_home "$U")

# The user's own ~/.ssh must hold no private key: the nested login may only succeed through
# the forwarded agent. (The server log's "Accepted publickey" line is checked for the agent
# key's fingerprint as well.)
own=$(ls "$home/.ssh" 2>/dev/null | grep -E '^id_' | grep -v '\.pub$' | tr '\n' ' ')
if [ -n "$own" ]; then
	fail agent_setup "$home/.ssh has private keys ($own): the nested login would not prove agent forwarding"
	finish
fi

# The key the agent holds, authorized for the user; the session itself logs in with
# $T/id_nsshd-t1.
ssh-keygen -q -t ed25519 -N '' -C "$TEST_ID" -f "$T/id_agent" || { fail agent_setup "ssh-keygen"; finish; }
authorize "$U" "$T/id_agent.pub" || { fail agent_setup "authorize"; finish; }
FP=$(ssh-keygen -lf "$T/id_agent.pub" | awk '{ print $2 }')

AGENT=$T/agent.sock
timeout -k 5 600 ssh-agent -D -a "$AGENT" >"$T/agent.out" 2>&1 &
bg_track $!
if ! wait_for 10 test -S "$AGENT"; then
	fail agent_setup "ssh-agent did not start: $(cat "$T/agent.out")"
	finish
fi
if ! SSH_AUTH_SOCK=$AGENT timeout 20 ssh-add -q "$T/id_agent" 2>"$T/ssh-add.err" ||
	! SSH_AUTH_SOCK=$AGENT timeout 20 ssh-add -l | grep -q "$FP"; then
	fail agent_setup "ssh-add: $(cat "$T/ssh-add.err")"
	finish
fi

# ---------------------------------------------------------------- forwarded
out=$(ssh_to -A -o IdentityAgent="$AGENT" "$U" 'ssh-add -l' </dev/null)
if echo "$out" | grep -q "$FP"; then ok agent_list
else fail agent_list "ssh-add -l in the session printed '$out', not $FP"; fi

# SSH_AUTH_SOCK: a socket of the user's, in a directory of the user's that nobody else may enter.
out=$(ssh_to -A -o IdentityAgent="$AGENT" "$U" \
	'echo "$SSH_AUTH_SOCK"; stat -c "%U %F" "$SSH_AUTH_SOCK"; stat -c "%U %a" "$(dirname "$SSH_AUTH_SOCK")"' </dev/null)
SOCK=$(echo "$out" | sed -n 1p)
sock_stat=$(echo "$out" | sed -n 2p)
dir_stat=$(echo "$out" | sed -n 3p)
case $SOCK in
/*) ;;
*) SOCK= ;;
esac
if [ -z "$SOCK" ]; then fail agent_socket "SSH_AUTH_SOCK in the session is '$(echo "$out" | head -n 1)'"
elif [ "$sock_stat" != "$U socket" ]; then fail agent_socket "$SOCK is '$sock_stat', want '$U socket'"
elif [ "$dir_stat" != "$U 700" ]; then fail agent_socket "$(dirname "$SOCK") is '$dir_stat', want '$U 700'"
else ok agent_socket; fi

# After that session, its socket and directory are gone.
if [ -n "$SOCK" ]; then
	gone() { [ ! -e "$SOCK" ] && [ ! -e "$(dirname "$SOCK")" ]; }
	if wait_for 5 gone; then ok agent_socket_removed
	else fail agent_socket_removed "$SOCK or its directory is still there after the session"; fi
fi

# A nested ssh from the session back to this server, with the forwarded agent only; it forwards
# the agent again (-A inside the session uses SSH_AUTH_SOCK).
nested="ssh -F /dev/null -A -p $PORT -o BatchMode=yes -o StrictHostKeyChecking=no"
nested="$nested -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=10"
nested="$nested $U@127.0.0.1 'echo nested-ok; ssh-add -l'"
SSH_ERR=$T/nested.err
out=$(ssh_to -A -o IdentityAgent="$AGENT" "$U" "timeout 30 $nested" </dev/null)
rc=$?
if [ "$rc" != 0 ] || [ "$(echo "$out" | head -n 1)" != nested-ok ]; then
	fail agent_nested "rc=$rc output '$out': $(tail -n 2 "$T/last.err")"
elif ! echo "$out" | grep -q "$FP"; then
	fail agent_nested "the second hop's ssh-add -l printed '$out', not $FP"
elif ! tr -d '\r' <"$SERVER_LOG" | grep -E "Accepted publickey for $U from 127\.0\.0\.1 port [0-9]+ ssh2: ED25519 " |
	grep -qF " $FP"; then  # (a fingerprint has + and /: matched as a fixed string)
	fail agent_nested "no 'Accepted publickey ... $FP' in the server log: not the agent's key?"
else
	ok agent_nested
fi

# ---------------------------------------------------------------- refused
# check_refused NAME [SSH-OPTION...] USER: agent forwarding was asked for and refused: no
# SSH_AUTH_SOCK in the session, and ssh-add -l cannot reach an agent (exit status 2).
check_refused() {
	local name=$1 out
	shift
	out=$(ssh_to -A -o IdentityAgent="$AGENT" "$@" 'echo "sock=[$SSH_AUTH_SOCK]"; ssh-add -l 2>&1; echo "rc=$?"' </dev/null)
	if ! echo "$out" | grep -qx 'sock=\[\]'; then fail "$name" "SSH_AUTH_SOCK is set: $out"
	elif ! echo "$out" | grep -q "Could not open a connection to your authentication agent"; then
		fail "$name" "ssh-add -l said: $out"
	elif ! echo "$out" | grep -qx 'rc=2'; then fail "$name" "ssh-add -l: $out"
	else ok "$name"; fi
}

# authorized_keys options, each on a key of its own that the session logs in with.
for opt in no-agent-forwarding restrict; do
	ssh-keygen -q -t ed25519 -N '' -C "$TEST_ID" -f "$T/id_$opt" || { fail agent_setup "ssh-keygen"; finish; }
	printf '%s %s\n' "$opt" "$(cat "$T/id_$opt.pub")" >"$T/id_$opt.authline"
	authorize "$U" "$T/id_$opt.authline" || { fail agent_setup "authorize"; finish; }
	SSH_KEY=$T/id_$opt check_refused "agent_keyopt_${opt//-/_}" "$U"
done

restart "AllowAgentForwarding no"
check_refused agent_allowagentforwarding_no "$U"
restart "DisableForwarding yes"
check_refused agent_disableforwarding "$U"

if still_serving; then ok agent_still_serving
else fail agent_still_serving "$SERVING_WHY"; fi
finish
