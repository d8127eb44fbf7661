#!/bin/bash
# t_logs.sh - the log lines fail2ban and auditors parse, in sshd's wording.
# The same client actions run against nsshd and (SERVER=openssh) Debian's
# sshd, and the same patterns must match both servers' logs.
. "$(dirname "$0")/lib.sh"

setup "LogLevel INFO" "MaxAuthTries 2"
U=nsshd-t1
P='127\.0\.0\.1 port [0-9]+'
ssh-keygen -q -t ed25519 -N '' -f "$T/id_stranger"

# log_has REGEX: a line of the server log (CR LF or LF) matches REGEX.
log_has() { tr -d '\r' <"$SERVER_LOG" | grep -qE "$1"; }

# expect NAME REGEX: the server log has a line matching REGEX.
expect() {
	if wait_for 5 log_has "$2"; then ok "$1"
	else fail "$1" "no log line matching /$2/"; fi
}

ssh_to "$U" true </dev/null
expect logs_accepted "Accepted publickey for $U from $P ssh2: ED25519 SHA256:[A-Za-z0-9+/]{43}$"
expect logs_received_disconnect "Received disconnect from $P:11: disconnected by user"
expect logs_disconnected_user "Disconnected from user $U $P$"

ssh_to nosuchuser true </dev/null
expect logs_invalid_user "Invalid user nosuchuser from $P$"
expect logs_closed_invalid "Connection closed by invalid user nosuchuser $P \[preauth\]$"

SSH_KEY=$T/id_stranger ssh_to "$U" true </dev/null
expect logs_closed_authenticating "Connection closed by authenticating user $U $P \[preauth\]$"

# Three unknown keys against MaxAuthTries 2.
ssh-keygen -q -t ed25519 -N '' -f "$T/id_s2"
ssh-keygen -q -t ed25519 -N '' -f "$T/id_s3"
ssh_to -i "$T/id_s2" -i "$T/id_s3" -o IdentitiesOnly=yes \
    -o IdentityFile="$T/id_stranger" "$U" true </dev/null
expect logs_max_tries "maximum authentication attempts exceeded for $U from $P ssh2 \[preauth\]$"
expect logs_too_many "Disconnecting authenticating user $U $P: Too many authentication failures \[preauth\]$"

ssh_to -o KexAlgorithms=diffie-hellman-group14-sha1 "$U" true </dev/null
expect logs_no_kex "Unable to negotiate with $P: no matching key exchange method found. Their offer: diffie-hellman-group14-sha1[^ ]* \[preauth\]$"

finish
