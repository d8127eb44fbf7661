#!/bin/bash
# t_x11.sh - X11 forwarding (issue #4), checked against what Debian's sshd does. The client's X
# server is an Xvfb of this script's (its own display, cookie and XAUTHORITY in $T, no TCP).
#   ssh -X (untrusted) and -Y (trusted), X11Forwarding yes: DISPLAY in the session is
#           localhost:10.0 (the first free display from X11DisplayOffset, 10 by default);
#           xdpyinfo shows Xvfb's screen; xwd -root gives a whole screen's worth of bytes;
#           `xauth list` has the session's cookie for HOST/unix:10; the listener is on loopback
#           only (X11UseLocalhost yes) and is gone after the session;
#   X11DisplayOffset 20: localhost:20.0;
#   refused: X11Forwarding no (the default), DisableForwarding yes, authorized_keys
#           no-X11-forwarding and restrict: the client logs "X11 forwarding request failed on
#           channel 0" and DISPLAY is unset.
#   single connection (x11-req's flag, which the OpenSSH client never sets): paramiko asks for
#           it (x11_single.py); the first X client gets through, the second is refused.
. "$(dirname "$0")/lib.sh"

U=nsshd-t1
XW=1024
XH=768

restart() {
	stop_server
	start_server "$@" || { fail x11_restart "server ($SERVER) did not start with: $*"; finish; }
}

for b in Xvfb xauth xdpyinfo xwd; do
	command -v "$b" >/dev/null || die "$b missing: apt-get install xvfb xauth x11-utils x11-apps"
done

setup "X11Forwarding yes"

# ---------------------------------------------------------------- the client's X server
# Xvfb picks a free display (-displayfd) and accepts the cookie in $T/xserver.auth; clients
# (ssh, for its own xauth calls too) find it in $T/Xauthority.
COOKIE=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
xauth -q -f "$T/xserver.auth" add :0 MIT-MAGIC-COOKIE-1 "$COOKIE" 2>/dev/null
Xvfb -displayfd 3 -nolisten tcp -auth "$T/xserver.auth" -screen 0 "${XW}x${XH}x24" \
	3>"$T/xvfb.display" </dev/null >"$T/xvfb.log" 2>&1 &
XVFB=$!
bg_track "$XVFB"
if ! wait_for 15 test -s "$T/xvfb.display"; then
	fail x11_setup "Xvfb did not start: $(tail -n 3 "$T/xvfb.log")"
	finish
fi
export DISPLAY=:$(cat "$T/xvfb.display")
export XAUTHORITY=$T/Xauthority
xauth -q add "$DISPLAY" MIT-MAGIC-COOKIE-1 "$COOKIE" 2>/dev/null
if ! timeout 10 xdpyinfo >/dev/null 2>&1; then
	fail x11_setup "xdpyinfo cannot reach Xvfb on $DISPLAY"
	finish
fi

# first_free_display N: the first display >= N whose TCP port (6000 + display) nothing
# listens on: what the server will pick.
first_free_display() {
	local n=$1
	while port_listening $((6000 + n)); do n=$((n + 1)); done
	echo "$n"
}

# The session's report: DISPLAY, xdpyinfo's dimensions, xwd's byte count, the xauth entry.
REPORT='echo "display=$DISPLAY"
echo "dims=$(xdpyinfo 2>&1 | sed -n "s/^ *dimensions: *\([0-9x]*\) pixels.*/\1/p")"
echo "xwd=$(xwd -root -silent 2>/dev/null | wc -c)"
echo "xauth=$(xauth list "$DISPLAY" 2>/dev/null | head -n 1)"'

# x11_session NAME WANTDISPLAY SSH-OPTION...: a forwarded session runs $REPORT; checks each line.
x11_session() {
	local name=$1 want=$2 out display dims xwd xauth
	shift 2
	out=$(SSH_ERR=$T/$name.err ssh_to "$@" "$U" "$REPORT" </dev/null)
	display=$(echo "$out" | sed -n 's/^display=//p')
	dims=$(echo "$out" | sed -n 's/^dims=//p')
	xwd=$(echo "$out" | sed -n 's/^xwd=//p')
	xauth=$(echo "$out" | sed -n 's/^xauth=//p')
	if [ "$display" = "localhost:$want.0" ]; then ok "${name}_display"
	else fail "${name}_display" "DISPLAY is '$display', want localhost:$want.0: $(tail -n 2 "$T/$name.err")"; fi
	if [ "$dims" = "${XW}x${XH}" ]; then ok "${name}_xdpyinfo"
	else fail "${name}_xdpyinfo" "xdpyinfo dimensions '$dims', want ${XW}x${XH}"; fi
	# A ZPixmap of the root window: at least 3 bytes a pixel (Xvfb's depth 24 has 4) + header.
	if [ "${xwd:-0}" -ge $((XW * XH * 3)) ] 2>/dev/null; then ok "${name}_xwd"
	else fail "${name}_xwd" "xwd -root gave '$xwd' bytes"; fi
	# The entry the server wrote with xauth: HOST/unix:N, the protocol the client asked for, and
	# a 16-byte cookie.
	if echo "$xauth" | grep -qE "^[^ ]*/unix:$want +MIT-MAGIC-COOKIE-1 +[0-9a-f]{32}$"; then ok "${name}_xauth"
	else fail "${name}_xauth" "xauth list in the session: '$xauth'"; fi
}

D=$(first_free_display 10)
x11_session x11_untrusted "$D" -X
D=$(first_free_display 10)
x11_session x11_trusted "$D" -Y

# The listener while a session runs (loopback only: X11UseLocalhost yes), and after it.
D=$(first_free_display 10)
SSH_ERR=$T/listener.err ssh_to -X "$U" 'echo "display=$DISPLAY"; sleep 4' </dev/null >"$T/listener.out" &
pid=$!
bg_track "$pid"
have_display() { grep -q '^display=' "$T/listener.out"; }
if ! wait_for 15 have_display; then
	fail x11_listener_loopback "the session printed no DISPLAY: $(tail -n 2 "$T/listener.err")"
else
	LP=$((6000 + D))
	addrs=$(ss -Hltn "sport = :$LP" | awk '{ print $4 }' | sort -u | tr '\n' ' ')
	bad=$(echo "$addrs" | tr ' ' '\n' | grep -vE "^(127\.0\.0\.1|\[::1\]):$LP$" | sed '/^$/d')
	if [ "$(sed -n 's/^display=//p' "$T/listener.out")" != "localhost:$D.0" ]; then
		fail x11_listener_loopback "DISPLAY $(cat "$T/listener.out"), want localhost:$D.0"
	elif [ -z "$addrs" ] || [ -n "$bad" ]; then
		fail x11_listener_loopback "port $LP: listeners '$addrs'"
	else
		ok x11_listener_loopback
	fi
	wait "$pid"
	closed() { ! port_listening "$LP"; }
	if wait_for 5 closed; then ok x11_listener_closed
	else fail x11_listener_closed "port $LP still listens after the session: $(ss -Hltn "sport = :$LP" | tr '\n' ' ')"; fi
fi

restart "X11Forwarding yes" "X11DisplayOffset 20"
D=$(first_free_display 20)
out=$(ssh_to -X "$U" 'echo "$DISPLAY"' </dev/null)
if [ "$out" = "localhost:$D.0" ]; then ok x11_display_offset
else fail x11_display_offset "DISPLAY '$out' with X11DisplayOffset 20, want localhost:$D.0"; fi

# Single connection: the display takes one X client, then its listener is closed.
XSOCK=/tmp/.X11-unix/X${DISPLAY#:}
out=$(timeout -k 5 60 "$PYTHON" "$SRCDIR/regress/integration/x11_single.py" "$PORT" "$U" \
	"$T/id_$U" "$XSOCK" "$COOKIE" 2>"$T/single.err")
if [ "$out" = "first=0 second=1" ]; then ok x11_single_connection
else fail x11_single_connection "session said '$out': $(tail -n 2 "$T/single.err")"; fi

# Without the xauth program (XAuthLocation names none) nsshd writes ~/.Xauthority itself; sshd
# then has no way to add the cookie, so this is nsshd's alone.
if [ "$SERVER" = nsshd ]; then
	restart "X11Forwarding yes" "XAuthLocation /nonexistent/xauth"
	rm -f "$(user_home "$U")/.Xauthority"
	D=$(first_free_display 10)
	x11_session x11_no_xauth_program "$D" -X
fi

# ---------------------------------------------------------------- refused
# x11_refused NAME [SSH-OPTION...] USER: ssh -X logs "X11 forwarding request failed on channel 0"
# (INFO) and the session has no DISPLAY; the command still runs.
x11_refused() {
	local name=$1 out
	shift
	out=$(SSH_ERR=$T/$name.err ssh_to -X -o LogLevel=INFO "$@" 'echo "display=[$DISPLAY]"' </dev/null)
	if [ "$out" != "display=[]" ]; then fail "$name" "the session printed '$out', want an empty DISPLAY"
	elif ! grep -q "X11 forwarding request failed on channel 0" "$T/$name.err"; then
		fail "$name" "no 'X11 forwarding request failed on channel 0' from the client: $(tail -n 2 "$T/$name.err")"
	else ok "$name"; fi
}

for opt in no-X11-forwarding restrict; do
	ssh-keygen -q -t ed25519 -N '' -C "$TEST_ID" -f "$T/id_$opt" || { fail x11_setup "ssh-keygen"; finish; }
	printf '%s %s\n' "$opt" "$(cat "$T/id_$opt.pub")" >"$T/id_$opt.authline"
	authorize "$U" "$T/id_$opt.authline" || { fail x11_setup "authorize"; finish; }
	name=$(echo "x11_keyopt_$opt" | tr 'A-Z-' 'a-z_')
	SSH_KEY=$T/id_$opt x11_refused "$name" "$U"
done

restart "X11Forwarding no"
x11_refused x11_forwarding_no "$U"
restart "X11Forwarding yes" "DisableForwarding yes"
x11_refused x11_disableforwarding "$U"

if still_serving; then ok x11_still_serving
else fail x11_still_serving "$SERVING_WHY"; fi
finish
