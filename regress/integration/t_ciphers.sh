#!/bin/bash
# t_ciphers.sh - the ciphers and MACs.
#  - each cipher, forced with ssh -c, runs `echo ok` and carries 1 MiB through cat intact (so that
#    many packets, not just the handshake, go through it); under CTR the client's default MAC
#    (hmac-sha2-256-etm) comes with it;
#  - each MAC, forced with ssh -m under a CTR cipher, does the same, and the client logs that exactly
#    that cipher and MAC were agreed (the AEAD ciphers show "MAC: <implicit>");
#  - CTR with an encrypt-then-MAC MAC and CTR with a classic MAC rekey during a 4 MiB transfer each
#    way (RekeyLimit=1M): the data arrives intact and (nsshd) new keys were installed several times;
#  - the server's KEXINIT lists the ciphers and MACs in OpenSSH's default order (nsshd: umac aside);
#  - paramiko (Debian's python3-paramiko 2.12, which has neither chacha20-poly1305 nor aes-gcm) logs
#    in and runs `echo ok`: with its own choice (aes128-ctr, hmac-sha2-256) and with an EtM MAC;
#    with a wrong MAC (classic and EtM) it is disconnected and "Corrupted MAC on input" logged;
#  - the Ciphers and MACs keywords with the - and ^ modifiers: -T shows the resulting lists (the same
#    for sshd), and a cipher or MAC taken out is refused while the others still work.
# Runs against Debian's sshd too (SERVER=openssh); the checks of nsshd's own log are skipped there.
. "$(dirname "$0")/lib.sh"

setup
U=nsshd-t1
DATA=$T/data.bin
head -c $((1024 * 1024)) /dev/urandom >"$DATA"
want=$(sha256sum <"$DATA" | cut -d' ' -f1)
CTR_CIPHERS="aes128-ctr aes192-ctr aes256-ctr"
ALL_CIPHERS="chacha20-poly1305@openssh.com $CTR_CIPHERS aes128-gcm@openssh.com aes256-gcm@openssh.com"
ALL_MACS="hmac-sha2-256-etm@openssh.com hmac-sha2-512-etm@openssh.com hmac-sha1-etm@openssh.com
hmac-sha2-256 hmac-sha2-512 hmac-sha1"

# echo_and_cat NAME SSH-OPTION...: `echo ok`, then 1 MiB through cat, with these options.
echo_and_cat() {
	local name=$1 out rc got
	shift
	out=$(ssh_to "$@" "$U" echo ok </dev/null)
	rc=$?
	if [ "$rc" != 0 ] || [ "$out" != ok ]; then
		fail "$name" "ssh $* echo ok: rc=$rc output '$out'"
		return 1
	fi
	got=$(ssh_to "$@" "$U" cat <"$DATA" | sha256sum | cut -d' ' -f1)
	rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ] || [ "$got" != "$want" ]; then
		fail "$name" "ssh $* cat: rc=$rc sha256 $got, want $want"
		return 1
	fi
	return 0
}

# agreed FILE DIRECTION: "CIPHER MAC" from the client's "kex: DIRECTION cipher: C MAC: M" line.
agreed() {
	tr -d "\r" <"$1" | sed -n "s/^debug1: kex: $2 cipher: \([^ ]*\) MAC: \([^ ]*\) .*/\1 \2/p" | tail -n 1
}

for c in $ALL_CIPHERS; do
	name=cipher_${c%@openssh.com}
	echo_and_cat "$name" -c "$c" && ok "$name"
done

# Each MAC with one of the CTR ciphers (turn about); the client's log shows what was agreed.
set -- $CTR_CIPHERS
for m in $ALL_MACS; do
	c=$1
	shift
	set -- "$@" "$c"
	name=mac_${m%@openssh.com}
	echo_and_cat "$name" -c "$c" -m "$m" || continue
	SSH_ERR=$T/kex.err ssh_to -o LogLevel=DEBUG1 -c "$c" -m "$m" "$U" true </dev/null
	rc=$?
	c2s=$(agreed "$T/kex.err" "client->server")
	s2c=$(agreed "$T/kex.err" "server->client")
	if [ "$rc" = 0 ] && [ "$c2s" = "$c $m" ] && [ "$s2c" = "$c $m" ]; then ok "$name"
	else fail "$name" "ssh -c $c -m $m: rc=$rc, agreed c2s '$c2s' s2c '$s2c'"; fi
done

# An AEAD cipher brings its own MAC, whatever -m says.
SSH_ERR=$T/kex.err ssh_to -o LogLevel=DEBUG1 -c aes256-gcm@openssh.com -m hmac-sha1 "$U" true </dev/null
rc=$?
s2c=$(agreed "$T/kex.err" "server->client")
if [ "$rc" = 0 ] && [ "$s2c" = "aes256-gcm@openssh.com <implicit>" ]; then ok mac_implicit_aead
else fail mac_implicit_aead "ssh -c aes256-gcm -m hmac-sha1: rc=$rc, agreed s2c '$s2c'"; fi

# Rekeying during transfers: CTR with EtM, CTR with a classic MAC.
RDATA=$T/rekey.bin
head -c $((4 * 1024 * 1024)) /dev/urandom >"$RDATA"
rwant=$(sha256sum <"$RDATA" | cut -d' ' -f1)
before=$(grep -c "keys installed" "$SERVER_LOG")
for cm in "aes128-ctr hmac-sha2-256-etm@openssh.com" "aes256-ctr hmac-sha2-512"; do
	set -- $cm
	name=rekey_$1_${2%@openssh.com}
	got=$(ssh_to -c "$1" -m "$2" -o RekeyLimit=1M "$U" \
	    "cat > \$HOME/rekey.bin && sha256sum < \$HOME/rekey.bin" <"$RDATA" | cut -d' ' -f1)
	if [ "$got" = "$rwant" ]; then ok "${name}_upload"
	else fail "${name}_upload" "sha256 $got, want $rwant"; fi
	got=$(ssh_to -c "$1" -m "$2" -o RekeyLimit=1M "$U" "cat \$HOME/rekey.bin" </dev/null |
	    sha256sum | cut -d' ' -f1)
	if [ "$got" = "$rwant" ]; then ok "${name}_download"
	else fail "${name}_download" "sha256 $got, want $rwant"; fi
done
ssh_to "$U" rm -f '$HOME/rekey.bin' </dev/null
if [ "$SERVER" = nsshd ]; then
	n=$(($(grep -c "keys installed" "$SERVER_LOG") - before))
	# 4 connections, 4 MiB each at 1 MiB a key: at least 3 rekeys each.
	if [ "$n" -ge 12 ]; then ok rekey_ctr_count
	else fail rekey_ctr_count "only $n key installations logged for 4 connections"; fi
fi

# The server's KEXINIT, as the client logs it (ssh -vv: "peer server KEXINIT proposal").
SSH_ERR=$T/kexinit.err ssh_to -o LogLevel=DEBUG2 "$U" true </dev/null
peer_list() {
	tr -d '\r' <"$T/kexinit.err" | sed -n '/peer server KEXINIT proposal/,$p' |
		sed -n "s/^debug2: $1: //p" | head -n 1
}
if [ "$SERVER" = nsshd ]; then
	got=$(peer_list "ciphers stoc")
	exp="chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com"
	if [ "$got" = "$exp" ]; then ok kexinit_ciphers
	else fail kexinit_ciphers "server offers '$got', want '$exp'"; fi
	got=$(peer_list "MACs ctos")
	exp="hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1"
	if [ "$got" = "$exp" ]; then ok kexinit_macs
	else fail kexinit_macs "server offers '$got', want '$exp'"; fi
fi

# paramiko: its own choice (aes128-ctr with the classic hmac-sha2-256), then EtM.
paramiko() {
	timeout -k 5 "$CLIENT_TIMEOUT" "$PYTHON" "$SRCDIR/regress/integration/paramiko_exec.py" \
		--show-algs "$@" 127.0.0.1 "$PORT" "$U" "$T/id_$U" "echo ok" 2>"$T/paramiko.err"
}
out=$(paramiko </dev/null)
rc=$?
algs=$(grep '^algs ' "$T/paramiko.err")
if [ "$rc" = 0 ] && [ "$out" = ok ] && [ "$algs" = "algs aes128-ctr hmac-sha2-256" ]; then ok paramiko_echo
else fail paramiko_echo "rc=$rc output '$out' $algs: $(tail -n 3 "$T/paramiko.err")"; fi
out=$(paramiko --cipher aes256-ctr --mac hmac-sha2-512-etm@openssh.com </dev/null)
rc=$?
algs=$(grep '^algs ' "$T/paramiko.err")
if [ "$rc" = 0 ] && [ "$out" = ok ] && [ "$algs" = "algs aes256-ctr hmac-sha2-512-etm@openssh.com" ]
then ok paramiko_etm
else fail paramiko_etm "rc=$rc output '$out' $algs: $(tail -n 3 "$T/paramiko.err")"; fi

# A wrong MAC from the client (paramiko, its outgoing MAC key changed after login): the server
# logs "Corrupted MAC on input" and drops the connection, in the classic and the EtM layout.
n_corrupt() {
	grep -c "Corrupted MAC on input" "$SERVER_LOG"
}
for m in hmac-sha2-256 hmac-sha2-512-etm@openssh.com; do
	name=bad_mac_${m%@openssh.com}
	before=$(n_corrupt)
	paramiko --mac "$m" --corrupt-mac </dev/null >/dev/null
	rc=$?
	wait_for 5 test "$(n_corrupt)" -gt "$before"
	n=$(($(n_corrupt) - before))
	if [ "$rc" = 255 ] && [ "$n" -ge 1 ] && still_serving; then ok "$name"
	else fail "$name" "paramiko rc=$rc (want 255), $n new 'Corrupted MAC' lines ${SERVING_WHY:-}: $(tail -n 2 "$T/paramiko.err")"; fi
done

# Ciphers / MACs with modifiers.  -T first (both servers assemble the same lists), then what the
# running server accepts.
dump_T() {
	if [ "$SERVER" = nsshd ]; then "$NSSHD_BUILD/nsshd" -T -f "$T/sshd_config" 2>&1
	else /usr/sbin/sshd -T -f "$T/sshd_config" 2>&1; fi
}
stop_server
if ! start_server "Ciphers -aes128-ctr,*gcm*" "MACs -umac*,*sha1*,hmac-sha2-512"; then
	fail config_setup "server did not start with Ciphers/MACs modifiers"
	finish
fi
dump=$(dump_T)
got="$(grep '^ciphers ' <<<"$dump") | $(grep '^macs ' <<<"$dump")"
exp="ciphers chacha20-poly1305@openssh.com,aes192-ctr,aes256-ctr | macs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256"
if [ "$got" = "$exp" ]; then ok config_dump_remove
else fail config_dump_remove "-T shows '$got', want '$exp'"; fi
bad=
for o in "-c aes128-ctr" "-c aes128-gcm@openssh.com" "-c aes256-ctr -m hmac-sha2-512" \
	"-c aes192-ctr -m hmac-sha1-etm@openssh.com"; do
	# shellcheck disable=SC2086
	out=$(ssh_to $o "$U" echo ok </dev/null)
	rc=$?
	[ "$rc" = 255 ] && [ -z "$out" ] || bad="$bad [$o: rc=$rc '$out']"
done
for o in "-c aes192-ctr -m hmac-sha2-256" "-c aes256-ctr -m hmac-sha2-512-etm@openssh.com" \
	"-c chacha20-poly1305@openssh.com -m hmac-sha1"; do
	# shellcheck disable=SC2086
	out=$(ssh_to $o "$U" echo ok </dev/null)
	rc=$?
	[ "$rc" = 0 ] && [ "$out" = ok ] || bad="$bad [$o: rc=$rc '$out' (want ok)]"
done
if [ -z "$bad" ]; then ok config_remove_enforced; else fail config_remove_enforced "$bad"; fi
if [ "$SERVER" = nsshd ] && grep -q "no matching cipher found" "$SERVER_LOG" &&
	grep -q "no matching MAC found" "$SERVER_LOG"; then ok config_remove_logged
elif [ "$SERVER" = nsshd ]; then fail config_remove_logged "no 'no matching cipher/MAC found' lines"; fi

stop_server
if ! start_server "Ciphers ^aes256-ctr" "MACs ^hmac-sha2-512"; then
	fail config_setup "server did not start with Ciphers/MACs ^"
	finish
fi
dump=$(dump_T)
got="$(grep '^ciphers ' <<<"$dump")"
exp="ciphers aes256-ctr,chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com"
if [ "$got" = "$exp" ]; then ok config_dump_prepend
else fail config_dump_prepend "-T shows '$got', want '$exp'"; fi
if [ "$SERVER" = nsshd ]; then
	SSH_ERR=$T/kexinit.err ssh_to -o LogLevel=DEBUG2 "$U" true </dev/null
	got="$(peer_list "ciphers ctos") | $(peer_list "MACs stoc")"
	exp="${exp#ciphers } | hmac-sha2-512,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,hmac-sha2-256,hmac-sha1"
	if [ "$got" = "$exp" ]; then ok config_kexinit_prepend
	else fail config_kexinit_prepend "server offers '$got', want '$exp'"; fi
	# A list that leaves nothing nsshd has is a configuration error.
	printf 'HostKey %s\nCiphers 3des-cbc,aes128-cbc\n' "$T/host_ed25519" >"$T/bad_config"
	out=$("$NSSHD_BUILD/nsshd" -t -f "$T/bad_config" 2>&1)
	rc=$?
	if [ "$rc" != 0 ] && grep -q "Bad SSH2 cipher spec '3des-cbc,aes128-cbc'" <<<"$out"; then ok config_no_cipher_left
	else fail config_no_cipher_left "nsshd -t: rc=$rc '$out'"; fi
fi

finish
