#!/bin/bash
# t_protocol.sh - protocol details a client notices: lines before the
# version line, curve25519-sha256@libssh.org, strict KEX and ext-info as
# offered to OpenSSH, exit-signal for a command killed by a signal.
. "$(dirname "$0")/lib.sh"

setup
U=nsshd-t1

# Issue #2 asks for lines a client sends before its version line to be
# skipped; OpenSSH's sshd refuses them ("Invalid SSH identification
# string"), so this one is nsshd's own behaviour.
if [ "$SERVER" = openssh ]; then
	skip protocol_lines_before_version "sshd refuses lines before the client's version"
else
	res=$(badclient --timeout 10 prelines "$PORT")
	if [ $? = 0 ]; then ok protocol_lines_before_version
	else fail protocol_lines_before_version "$res"; fi
fi

out=$(ssh_to -o KexAlgorithms=curve25519-sha256@libssh.org "$U" echo ok </dev/null)
if [ "$out" = ok ]; then ok protocol_kex_libssh
else fail protocol_kex_libssh "output '$out': $(tail -n1 "$T/last.err")"; fi

# The client reports what the server offered at -vv.
SSH_ERR=$T/v.err ssh_to -vv "$U" true </dev/null
if grep -q "kex: server.*strict\|kex_exchange.*strict\|strict KEX\|kex-strict-s-v00@openssh.com" "$T/v.err"
then ok protocol_strict_kex
else fail protocol_strict_kex "no strict KEX in ssh -vv output"; fi
if grep -q "server-sig-algs" "$T/v.err"; then ok protocol_ext_info
else fail protocol_ext_info "no server-sig-algs in ssh -vv output"; fi

# A command killed by a signal: exit-signal, so ssh exits 255.
ssh_to "$U" 'kill -TERM $$' </dev/null
rc=$?
if [ "$rc" = 255 ]; then ok protocol_exit_signal
else fail protocol_exit_signal "ssh exit status $rc, want 255"; fi

if still_serving; then ok protocol_still_serving
else fail protocol_still_serving "$SERVING_WHY"; fi
finish
