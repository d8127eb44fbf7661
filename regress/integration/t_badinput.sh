#!/bin/bash
# t_badinput.sh - hostile or broken clients; after each one the listener is alive and a normal
# `ssh echo ok` works. LoginGraceTime is 3 s; MaxStartups 100 so that 50 silent connections
# are within limits.
. "$(dirname "$0")/lib.sh"

setup "LoginGraceTime 3" "MaxStartups 100"
U=nsshd-t1

# after NAME WHY: report NAME as failed with WHY if WHY is set, else check the server still
# serves, then report.
after() {
	if [ -n "$2" ]; then fail "$1" "$2"
	elif ! still_serving; then fail "$1" "$SERVING_WHY"
	else ok "$1"; fi
}
field() {  # field KEY "k=v k=v ...": the value of KEY
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

# badinput_garbage_version: garbage instead of a version line; the server closes.
res=$(badclient --timeout 10 garbage "$PORT")
rc=$?
why=""
[ "$rc" = 0 ] || why="connection not closed within 10 s after garbage: $res"
after badinput_garbage_version "$why"

# badinput_huge_length: a valid version line, then packet length 0xfffffff0; the server closes
# at once (well before LoginGraceTime would).
res=$(badclient --timeout 10 hugelen "$PORT")
rc=$?
why=""
if [ "$rc" != 0 ]; then why="connection not closed within 10 s: $res"
else
	s=$(field seconds "$res")
	[ "${s%.*}" -lt 2 ] || why="closed only after $s s (LoginGraceTime 3?), not on the bad length: $res"
fi
after badinput_huge_length "$why"

# badinput_corrupt_mac: a proxy flips one client-to-server byte 4 MiB into a 20 MiB upload;
# ssh must fail. A control run through the same proxy without the flip must succeed.
DATA=$T/data.bin
head -c $((20 * 1024 * 1024)) /dev/urandom >"$DATA"
# through_proxy FLIP_AT: upload $DATA through a fresh proxy to `cat > /dev/null`; sets PROXY_RES.
through_proxy() {
	local rc
	rm -f "$T/proxy.port"
	badclient --timeout 60 proxy "$PORT" "$1" "$T/proxy.port" >"$T/proxy.out" 2>&1 &
	local ppid=$!
	bg_track "$ppid"
	wait_for 10 test -s "$T/proxy.port" || { PROXY_RES="proxy did not start"; return 99; }
	SSH_PORT=$(cat "$T/proxy.port") ssh_to "$U" 'cat > /dev/null' <"$DATA"
	rc=$?
	wait "$ppid" 2>/dev/null
	PROXY_RES=$(cat "$T/proxy.out")
	return "$rc"
}
why=""
through_proxy -1
rc=$?
if [ "$rc" != 0 ]; then
	why="control upload through the proxy (no flip) failed: rc=$rc $PROXY_RES $(tail -n 1 "$T/last.err")"
else
	through_proxy $((4 * 1024 * 1024))
	rc=$?
	if [ "$rc" = 0 ]; then why="upload with a flipped byte succeeded ($PROXY_RES)"
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then why="ssh hung after the flipped byte (timeout) ($PROXY_RES)"
	elif [ "$(field flipped "$PROXY_RES")" != 1 ]; then why="proxy did not flip a byte: $PROXY_RES"
	fi
fi
rm -f "$DATA"
after badinput_corrupt_mac "$why"

# badinput_no_common_kex: the client offers only diffie-hellman-group14-sha1.
out=$(ssh_to -o KexAlgorithms=diffie-hellman-group14-sha1 "$U" echo ok </dev/null)
rc=$?
why=""
[ "$rc" = 255 ] || why="ssh -o KexAlgorithms=diffie-hellman-group14-sha1: rc=$rc output '$out' (want 255)"
after badinput_no_common_kex "$why"

# badinput_login_grace: a client that never speaks is dropped after LoginGraceTime (3 s).
res=$(badclient --timeout 15 silent "$PORT")
rc=$?
why=""
if [ "$rc" != 0 ]; then why="silent connection still open after 15 s: $res"
else
	s=$(field seconds "$res")
	{ [ "${s%.*}" -ge 2 ] && [ "${s%.*}" -lt 10 ]; } || why="closed after $s s, want about 3 (LoginGraceTime 3): $res"
fi
after badinput_login_grace "$why"

# badinput_50_silent: 50 connections opened at once that never speak. While they are open a
# normal client still gets in; all 50 are closed by LoginGraceTime.
badclient --timeout 40 many "$PORT" 50 >"$T/many.out" 2>&1 &
MANY=$!
bg_track "$MANY"
why=""
if ! wait_for 20 grep -q '^opened=50' "$T/many.out"; then
	why="could not open 50 connections: $(cat "$T/many.out")"
else
	out=$(ssh_to "$U" echo ok </dev/null)
	rc=$?
	[ "$rc" = 0 ] && [ "$out" = ok ] ||
		why="with 50 silent connections open, ssh echo ok gave rc=$rc '$out': $(tail -n 1 "$T/last.err")"
fi
wait "$MANY"
rc=$?
res=$(tail -n 1 "$T/many.out")
if [ -z "$why" ]; then
	if [ "$rc" != 0 ]; then why="not all 50 closed by the server within 40 s: $res"
	elif [ "$(field banners "$res")" != 50 ]; then why="not every connection got a version line: $res"
	fi
fi
after badinput_50_silent "$why"

finish
