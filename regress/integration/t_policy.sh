#!/bin/bash
# t_policy.sh - per-user policy the monitor applies after authentication:
# Match blocks (ForceCommand for one user only), authorized_keys command=,
# and PermitRootLogin forced-commands-only (root needs a key with command=).
. "$(dirname "$0")/lib.sh"

setup "AuthorizedKeysFile .ssh/authorized_keys $T/authkeys/%u" \
    "PermitRootLogin forced-commands-only" \
    "Match User nsshd-t2" "	ForceCommand echo forced-by-match"
install -d -m 755 "$T/authkeys"

# Match applies to nsshd-t2 only.
out=$(ssh_to nsshd-t2 echo hello </dev/null)
if [ "$out" = forced-by-match ]; then ok policy_match_forcecommand
else fail policy_match_forcecommand "nsshd-t2 got '$out'"; fi
out=$(ssh_to nsshd-t1 echo hello </dev/null)
if [ "$out" = hello ]; then ok policy_match_other_user
else fail policy_match_other_user "nsshd-t1 got '$out'"; fi

# Root with a plain key: refused under forced-commands-only.
install -m 644 "$T/id_root.pub" "$T/authkeys/root"
out=$(ssh_to root echo hello </dev/null)
rc=$?
if [ "$rc" = 255 ] && [ -z "$out" ]; then ok policy_root_plain_key_refused
else fail policy_root_plain_key_refused "rc=$rc output '$out'"; fi

# Root with command=: the forced command runs, SSH_ORIGINAL_COMMAND set.
{ printf 'command="echo root-forced:$SSH_ORIGINAL_COMMAND" '; cat "$T/id_root.pub"; } \
    >"$T/authkeys/root"
out=$(ssh_to root echo hello </dev/null)
if [ "$out" = "root-forced:echo hello" ]; then ok policy_root_forced_command
else fail policy_root_forced_command "got '$out'"; fi

# no-pty in authorized_keys: the pty request is refused (ssh -tt gives up
# with "PTY allocation request failed"); without -tt the command runs.
# (Root's file is used: $T is readable by root only, and sshd reads
# authorized_keys as the user.)
{ printf 'no-pty,command="tty || true" '; cat "$T/id_root.pub"; } \
    >"$T/authkeys/root"
ssh_to -tt root true </dev/null >/dev/null
rc=$?
if [ "$rc" = 255 ] && grep -q "PTY allocation request failed" "$T/last.err"
then ok policy_no_pty_refused
else fail policy_no_pty_refused "rc=$rc: $(tail -n1 "$T/last.err")"; fi
out=$(ssh_to root true </dev/null)
if [ "$out" = "not a tty" ]; then ok policy_no_pty_command
else fail policy_no_pty_command "tty printed '$out'"; fi

if still_serving; then ok policy_still_serving
else fail policy_still_serving "$SERVING_WHY"; fi
finish
