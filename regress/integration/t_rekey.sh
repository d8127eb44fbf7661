#!/bin/bash
# t_rekey.sh - client-initiated rekeying: with RekeyLimit=256K the client
# re-runs the key exchange many times during a 4 MiB transfer each way;
# the data must arrive intact and the server must have installed new keys
# more than once per connection.
. "$(dirname "$0")/lib.sh"

setup
U=nsshd-t1
DATA=$T/data.bin
head -c $((4 * 1024 * 1024)) /dev/urandom >"$DATA"
want=$(sha256sum <"$DATA" | cut -d' ' -f1)

for c in chacha20-poly1305@openssh.com aes256-gcm@openssh.com; do
	name=rekey_${c%@openssh.com}
	got=$(ssh_to -c "$c" -o RekeyLimit=256K "$U" \
	    "cat > \$HOME/rekey.bin && sha256sum < \$HOME/rekey.bin" \
	    <"$DATA" | cut -d' ' -f1)
	if [ "$got" != "$want" ]; then
		fail "${name}_upload" "sha256 $got, want $want"
	else
		ok "${name}_upload"
	fi
	got=$(ssh_to -c "$c" -o RekeyLimit=256K "$U" "cat \$HOME/rekey.bin" \
	    </dev/null | sha256sum | cut -d' ' -f1)
	if [ "$got" != "$want" ]; then
		fail "${name}_download" "sha256 $got, want $want"
	else
		ok "${name}_download"
	fi
done
if [ "$SERVER" = nsshd ]; then
	n=$(grep -c "keys installed" "$SERVER_LOG")
	# 4 connections; each rekeys about 16 times or more.
	if [ "$n" -gt 20 ]; then ok rekey_count
	else fail rekey_count "only $n key installations logged"; fi
fi
ssh_to "$U" rm -f '$HOME/rekey.bin' </dev/null
finish
