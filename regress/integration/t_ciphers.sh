#!/bin/bash
# t_ciphers.sh - each cipher, forced with ssh -c, runs `echo ok` and carries 1 MiB through cat
# intact (so that many packets, not just the handshake, go through it).
. "$(dirname "$0")/lib.sh"

setup
U=nsshd-t1
DATA=$T/data.bin
head -c $((1024 * 1024)) /dev/urandom >"$DATA"
want=$(sha256sum <"$DATA" | cut -d' ' -f1)

for c in chacha20-poly1305@openssh.com aes128-gcm@openssh.com aes256-gcm@openssh.com; do
	name=cipher_${c%@openssh.com}
	out=$(ssh_to -c "$c" "$U" echo ok </dev/null)
	rc=$?
	if [ "$rc" != 0 ] || [ "$out" != ok ]; then
		fail "$name" "ssh -c $c echo ok: rc=$rc output '$out'"
		continue
	fi
	got=$(ssh_to -c "$c" "$U" cat <"$DATA" | sha256sum | cut -d' ' -f1)
	rc=${PIPESTATUS[0]}
	if [ "$rc" = 0 ] && [ "$got" = "$want" ]; then ok "$name"
	else fail "$name" "ssh -c $c cat: rc=$rc sha256 $got, want $want"; fi
done

finish
