#!/bin/bash
# t_refuse.sh - a wrong key, an unknown user and root under PermitRootLogin no are refused
# (ssh exits 255) and the server keeps serving. Root's key IS authorized (in a second
# AuthorizedKeysFile), so the refusal is the policy's doing; root_control shows that the same
# key logs in when PermitRootLogin allows it.
. "$(dirname "$0")/lib.sh"

KEYS="AuthorizedKeysFile .ssh/authorized_keys $T/authkeys/%u"
setup "PermitRootLogin no" "$KEYS"
authorize_root
U=nsshd-t1

# refused NAME USER KEY: ssh as USER with KEY must exit 255, and the server must still serve.
refused() {
	local name=$1 user=$2 key=$3 out rc
	out=$(SSH_KEY=$key ssh_to "$user" echo SHOULD-NOT-RUN </dev/null)
	rc=$?
	if [ "$rc" != 255 ]; then
		fail "$name" "ssh as $user with $(basename "$key"): rc=$rc output '$out' (want refusal, rc 255)"
	elif [ -n "$out" ]; then
		fail "$name" "refused but the command ran: '$out'"
	elif ! still_serving; then
		fail "$name" "$SERVING_WHY"
	else
		ok "$name"
	fi
}

refused refuse_wrong_key "$U" "$T/id_nsshd-t2"
refused refuse_unknown_user nsshd-nosuchuser "$T/id_$U"
refused refuse_root root "$T/id_root"

# root_control: with PermitRootLogin yes the same key is accepted.
stop_server
if ! start_server "PermitRootLogin yes" "$KEYS"; then
	fail root_control "server did not start"
else
	out=$(SSH_KEY=$T/id_root ssh_to root 'id -u' </dev/null)
	rc=$?
	if [ "$rc" = 0 ] && [ "$out" = 0 ]; then ok root_control
	else fail root_control "PermitRootLogin yes, root's authorized key: rc=$rc output '$out'"; fi
fi

finish
