#!/bin/bash
# t_forward.sh - TCP and Unix-socket forwarding (issue #4), checked against what Debian's sshd does:
#   ssh -L: a line, 100 MiB (sha256 both ways) and 20 concurrent connections through one forward,
#           a target that refuses ("open failed: connect failed");
#   ssh -D: SOCKS5 with a host name the server resolves (curl to a python http.server);
#   ssh -R: a fixed port, port 0 ("Allocated port N"), ssh -O forward/cancel through a master,
#           GatewayPorts no binding loopback only whatever address the client asks for;
#   Unix sockets: -L to a socket, -R to a socket (made as the user), a stale socket file refused
#           unless StreamLocalBindUnlink yes;
#   policy: authorized_keys permitopen=, permitlisten=, no-port-forwarding, restrict (and
#           restrict,port-forwarding); sshd_config PermitOpen, PermitListen, AllowTcpForwarding
#           local/remote/no (which covers Unix sockets too, as in sshd), DisableForwarding,
#           AllowStreamLocalForwarding no; sshd's log lines for refused -L and -R, TCP and Unix.
# Every endpoint is on 127.0.0.1 or a Unix socket under $T; the test server runs on this host, so
# "the server side" of a -R forward is reached from this script directly.
. "$(dirname "$0")/lib.sh"

FWD=$SRCDIR/regress/integration/fwd_tool.py
U=nsshd-t1
MiB=$((1024 * 1024))

# fwd ARGS...: fwd_tool.py, bounded in time.
fwd() { timeout -k 5 60 "$PYTHON" "$FWD" "$@"; }

# log_has REGEX: a line of the server log (CR LF or LF) matches REGEX.
log_has() { tr -d '\r' <"$SERVER_LOG" | grep -qE "$1"; }

# restart LINE...: the server again with these sshd_config lines (a new port).
restart() {
	stop_server
	start_server "$@" || { fail fwd_restart "server ($SERVER) did not start with: $*"; finish; }
}

# serve_echo NAME ADDR: an echo server in the background; sets SERVED to its port (or path).
serve_echo() {
	SERVED=
	"$PYTHON" "$FWD" serve echo "$2" --ready "$T/$1.ready" 2>"$T/$1.log" &
	bg_track $!
	wait_for 10 test -s "$T/$1.ready" || { fail fwd_setup "echo server $1 ($2) did not start"; finish; }
	SERVED=$(cat "$T/$1.ready")
}

# stop_bg PID: end a background client started here: SIGTERM to its descendants (ssh, under
# timeout(1)) first, so that each parent reaps its child and PID exits by itself, then reap PID;
# kill_tree for anything left. (kill_tree on PID first orphans timeout(1), and kill -0 keeps
# finding the orphan's zombie until init reaps it: seconds per client here.)
stop_bg() {
	local kids i
	kids=$(descendants "$1")
	[ -n "$kids" ] && kill -TERM $kids 2>/dev/null
	for i in $(seq 1 25); do
		case $(ps -o stat= -p "$1" 2>/dev/null) in ''|Z*) break ;; esac
		sleep 0.2
	done
	kill_tree "$1"
	wait "$1" 2>/dev/null
}

# is_listening ADDR: something listens at tcp:127.0.0.1:PORT or unix:PATH (looked up with ss,
# without connecting: a connection to a -L listener would open a channel).
is_listening() {
	case $1 in
	unix:*) [ -n "$(ss -Hlx src "${1#unix:}" 2>/dev/null)" ] ;;
	tcp:*) port_listening "${1##*:}" ;;
	esac
}

# wait_up PID ADDR: until ADDR listens (0) or PID has exited (1); 15 s at most.
wait_up() {
	local i
	for i in $(seq 1 75); do
		is_listening "$2" && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

# to_addr LISTEN: unix:PATH for a path, tcp:HOST:PORT for HOST:PORT, tcp:127.0.0.1:PORT for a port.
to_addr() {
	case $1 in
	/*) echo "unix:$1" ;;
	*:*) echo "tcp:$1" ;;
	*) echo "tcp:127.0.0.1:$1" ;;
	esac
}

# via NAME -L|-R LISTEN TARGET [SSH-OPTION...] USER: `ssh -N -o ExitOnForwardFailure=yes
# -L|-R LISTEN:TARGET` in the background (stderr in $T/NAME.err, LogLevel INFO so that channel
# open failures show), waits until LISTEN accepts (on this host either way), sends one line
# through it and ends ssh. Sets GOT to the line echoed back (empty when the forward closed the
# connection) and VIA_RC to ssh's exit status when it ended by itself (empty when it was killed).
via() {
	local name=$1 flag=$2 listen=$3 target=$4 pid addr
	shift 4
	addr=$(to_addr "$listen")
	SSH_ERR=$T/$name.err ssh_to -N -o LogLevel=INFO -o ExitOnForwardFailure=yes \
		"$flag" "$listen:$target" "$@" </dev/null >/dev/null &
	pid=$!
	bg_track "$pid"
	GOT=
	VIA_RC=
	if wait_up "$pid" "$addr"; then
		GOT=$(fwd line "$addr" "hello-$name" 2>>"$T/$name.err")
		sleep 0.2  # let a client-side "open failed" line reach $T/NAME.err
	fi
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		VIA_RC=$?
	fi
	stop_bg "$pid"
}

# err_of NAME: the last lines of $T/NAME.err on one line, for a FAIL reason.
err_of() { tail -n 3 "$T/$1.err" 2>/dev/null | tr -d '\r' | tr '\n' ' '; }

# expect_through NAME -L|-R LISTEN TARGET [SSH-OPTION...] USER: the line makes the round trip.
expect_through() {
	local name=$1
	via "$@"
	if [ "$GOT" = "hello-$name" ]; then ok "$name"
	else fail "$name" "got '$GOT' back (ssh rc ${VIA_RC:-running}): $(err_of "$name")"; fi
}

# expect_L_refused NAME LISTEN TARGET [SSH-OPTION...] USER: ssh -L listens, but the server refuses
# the channel: the connection through it closes with nothing echoed, and the client logs
# "open failed: administratively prohibited" (direct-tcpip). For a Unix-socket TARGET either
# reason will do: OpenSSH refuses direct-streamlocal with reason 2, "connect failed: open failed"
# (channel_connect_to_path() returns NULL and server_input_channel_open() sends its default).
expect_L_refused() {
	local name=$1 want="administratively prohibited"
	case $3 in /*) want="(administratively prohibited|connect failed)" ;; esac
	via "$name" -L "${@:2}"
	if [ -n "$VIA_RC" ]; then
		fail "$name" "ssh exited ($VIA_RC) before the forward was used: $(err_of "$name")"
	elif [ -n "$GOT" ]; then
		fail "$name" "the connection went through (got '$GOT')"
	elif ! grep -qE "open failed: $want" "$T/$name.err"; then
		fail "$name" "no 'open failed: $want' from the client: $(err_of "$name")"
	else
		ok "$name"
	fi
}

# expect_R_refused NAME LISTEN TARGET [SSH-OPTION...] USER: the server refuses the remote forward:
# with ExitOnForwardFailure ssh exits non-zero, saying "remote port forwarding failed".
expect_R_refused() {
	local name=$1
	via "$name" -R "${@:2}"
	if [ -z "$VIA_RC" ]; then
		fail "$name" "ssh kept running$([ -n "$GOT" ] && echo " and the forward worked")"
	elif [ "$VIA_RC" = 0 ] || ! grep -q "remote port forwarding failed" "$T/$name.err"; then
		fail "$name" "rc=$VIA_RC, want non-zero and 'remote port forwarding failed': $(err_of "$name")"
	else
		ok "$name"
	fi
}

# key_with NAME OPTIONS: a new client key $T/id_NAME, authorized for $U with these
# authorized_keys options.
key_with() {
	ssh-keygen -q -t ed25519 -N '' -C "$TEST_ID" -f "$T/id_$1" || return 1
	printf '%s %s\n' "$2" "$(cat "$T/id_$1.pub")" >"$T/id_$1.authline"
	authorize "$U" "$T/id_$1.authline"
}

# loopback_only PORT: every listener on PORT is on 127.0.0.1 or ::1, and there is one.
loopback_only() {
	local addrs a
	addrs=$(ss -Hltn "sport = :$1" | awk '{ print $4 }')
	[ -n "$addrs" ] || { LISTENERS="none"; return 1; }
	LISTENERS=$(echo $addrs)
	for a in $addrs; do
		case $a in
		"127.0.0.1:$1"|"[::1]:$1") ;;
		*) return 1 ;;
		esac
	done
}

setup
grp=$(id -gn "$U")
# Unix sockets the user's session creates or connects to live in $T/u, the user's own
# directory. $T is root's 0700; 0711 lets the session through (its files stay root's).
chmod 711 "$T"
install -d -m 700 -o "$U" -g "$grp" "$T/u"

serve_echo echo tcp:127.0.0.1:0
ECHO=$SERVED
serve_echo echo2 tcp:127.0.0.1:0
ECHO2=$SERVED
serve_echo uecho "unix:$T/u/echo.sock"
UECHO=$SERVED
CLOSED=$(free_port)  # nothing listens there

# ---------------------------------------------------------------- ssh -L
expect_through fwd_L_line -L "$(free_port)" "127.0.0.1:$ECHO" "$U"

# One ssh -L for the bulk transfer and the 20 concurrent connections.
LP=$(free_port)
SSH_ERR=$T/bulk.err ssh_to -N -o ExitOnForwardFailure=yes -L "$LP:127.0.0.1:$ECHO" "$U" </dev/null &
BULK=$!
bg_track "$BULK"
if ! wait_up "$BULK" "tcp:127.0.0.1:$LP"; then
	fail fwd_L_bulk "ssh -L did not listen: $(err_of bulk)"
	fail fwd_L_concurrent "ssh -L did not listen"
else
	start=$SECONDS
	read -r sent got n < <(fwd bulk "tcp:127.0.0.1:$LP" $((100 * MiB)) 2>"$T/bulk.py.err")
	took=$((SECONDS - start))
	echo "# fwd_L_bulk: 100 MiB each way in ${took}s" >&2
	if [ "${n:-}" = $((100 * MiB)) ] && [ -n "$sent" ] && [ "$sent" = "$got" ]; then ok fwd_L_bulk
	else fail fwd_L_bulk "sent sha256 ${sent:-?}, got ${n:-?} bytes sha256 ${got:-?}: $(cat "$T/bulk.py.err")"; fi

	out=$(fwd para "tcp:127.0.0.1:$LP" 20 $MiB)
	if [ "$out" = "20 ok" ]; then ok fwd_L_concurrent
	else fail fwd_L_concurrent "$out"; fi
fi
stop_bg "$BULK"

# A target that refuses the connection: the channel open fails with "connect failed".
via fwd_L_connect_refused -L "$(free_port)" "127.0.0.1:$CLOSED" "$U"
if [ -z "$GOT" ] && [ -z "$VIA_RC" ] &&
	grep -q "open failed: connect failed: Connection refused" "$T/fwd_L_connect_refused.err"; then
	ok fwd_L_connect_refused
else
	fail fwd_L_connect_refused "got '$GOT', rc ${VIA_RC:-running}, want 'open failed: connect failed: Connection refused': $(err_of fwd_L_connect_refused)"
fi

# ---------------------------------------------------------------- ssh -D (SOCKS)
# curl --socks5-hostname passes the name "localhost" on: the server resolves it. (Where
# localhost is also ::1, the server must try the next address when ::1 refuses: the http
# server is on 127.0.0.1 only.)
install -d -m 755 "$T/www"
head -c $MiB /dev/urandom >"$T/www/file"
HP=$(free_port)
"$PYTHON" -m http.server --bind 127.0.0.1 --directory "$T/www" "$HP" >"$T/http.log" 2>&1 &
bg_track $!
SP=$(free_port)
SSH_ERR=$T/socks.err ssh_to -N -o ExitOnForwardFailure=yes -D "127.0.0.1:$SP" "$U" </dev/null &
SOCKS=$!
bg_track "$SOCKS"
if ! wait_for 10 port_listening "$HP"; then
	fail fwd_D_socks "python3 http.server did not start: $(tail -n 2 "$T/http.log")"
elif ! wait_up "$SOCKS" "tcp:127.0.0.1:$SP"; then
	fail fwd_D_socks "ssh -D did not listen: $(err_of socks)"
else
	timeout -k 5 30 curl -sS --noproxy '' --socks5-hostname "127.0.0.1:$SP" -o "$T/www.got" \
		"http://localhost:$HP/file" 2>"$T/curl.err"
	rc=$?
	if [ "$rc" = 0 ] && cmp -s "$T/www/file" "$T/www.got"; then ok fwd_D_socks
	else fail fwd_D_socks "curl rc=$rc $(cat "$T/curl.err"), $(stat -c %s "$T/www.got" 2>/dev/null) bytes"; fi
fi
stop_bg "$SOCKS"

# ---------------------------------------------------------------- ssh -R
expect_through fwd_R_fixed -R "$(free_port)" "127.0.0.1:$ECHO" "$U"

# 20 MiB each way through -R: the client sends the echo's last data, EOF and CLOSE back to back,
# and the tail must still reach the server side (nsshd once dropped it).
RP=$(free_port)
SSH_ERR=$T/rbulk.err ssh_to -N -o ExitOnForwardFailure=yes -R "$RP:127.0.0.1:$ECHO" "$U" </dev/null &
RBULK=$!
bg_track "$RBULK"
if ! wait_up "$RBULK" "tcp:127.0.0.1:$RP"; then
	fail fwd_R_bulk "ssh -R did not listen: $(err_of rbulk)"
else
	rb_ok=1
	for i in 1 2 3; do
		read -r sent got n < <(fwd bulk "tcp:127.0.0.1:$RP" $((20 * MiB)) 2>"$T/rbulk.py.err")
		[ "${n:-}" = $((20 * MiB)) ] && [ -n "$sent" ] && [ "$sent" = "$got" ] && continue
		rb_ok=0
		fail fwd_R_bulk "round $i: got ${n:-?} of $((20 * MiB)) bytes: $(cat "$T/rbulk.py.err")"
		break
	done
	[ "$rb_ok" = 1 ] && ok fwd_R_bulk
fi
stop_bg "$RBULK"

# -R 0: the server picks the port and tells the client, which logs "Allocated port N ...".
SSH_ERR=$T/r0.err ssh_to -N -o LogLevel=INFO -o ExitOnForwardFailure=yes -R "0:127.0.0.1:$ECHO" "$U" </dev/null &
R0=$!
bg_track "$R0"
allocated() { grep -q "Allocated port [0-9]* for remote forward" "$T/r0.err"; }
if ! wait_for 15 allocated; then
	fail fwd_R_allocated "no 'Allocated port N' from ssh -R 0: $(err_of r0)"
else
	RP=$(sed -n 's/.*Allocated port \([0-9]*\) for remote forward.*/\1/p' "$T/r0.err" | head -n 1)
	out=$(fwd line "tcp:127.0.0.1:$RP" hello-r0)
	if [ "$out" = hello-r0 ]; then ok fwd_R_allocated
	else fail fwd_R_allocated "port $RP: got '$out'"; fi
fi
stop_bg "$R0"

# ssh -O forward / -O cancel through a control master: tcpip-forward, then
# cancel-tcpip-forward closes the listener while the connection stays.
CTL=$T/ctl
ssh_to -M -S "$CTL" -N -o ControlPersist=no "$U" </dev/null &
MASTER=$!
bg_track "$MASTER"
mux_check() { ssh_to -S "$CTL" -O check "$U" </dev/null; }
P=$(free_port)
if ! wait_for 15 mux_check; then
	fail fwd_R_cancel "control master did not come up: $(tail -n 1 "$T/last.err")"
elif ! ssh_to -S "$CTL" -O forward -R "$P:127.0.0.1:$ECHO" "$U" </dev/null >/dev/null; then
	fail fwd_R_cancel "ssh -O forward -R failed: $(tail -n 1 "$T/last.err")"
elif ! wait_for 10 port_listening "$P" || [ "$(fwd line "tcp:127.0.0.1:$P" hello-mux)" != hello-mux ]; then
	fail fwd_R_cancel "the forward added with -O forward does not work"
elif ! ssh_to -S "$CTL" -O cancel -R "$P:127.0.0.1:$ECHO" "$U" </dev/null >/dev/null; then
	fail fwd_R_cancel "ssh -O cancel failed: $(tail -n 1 "$T/last.err")"
else
	not_listening() { ! port_listening "$P"; }
	if ! wait_for 10 not_listening; then fail fwd_R_cancel "port $P still listens after -O cancel"
	elif ! mux_check; then fail fwd_R_cancel "the master went away with the forward"
	else ok fwd_R_cancel; fi
fi
ssh_to -S "$CTL" -O exit "$U" </dev/null >/dev/null 2>&1
stop_bg "$MASTER"

# GatewayPorts no (the default): whatever the client asks for, the listener is on loopback.
for spec in 0.0.0.0 '*'; do
	name=fwd_R_gatewayports_no_$([ "$spec" = '*' ] && echo star || echo any)
	P=$(free_port)
	SSH_ERR=$T/$name.err ssh_to -N -o ExitOnForwardFailure=yes -R "$spec:$P:127.0.0.1:$ECHO" "$U" </dev/null &
	pid=$!
	bg_track "$pid"
	if ! wait_up "$pid" "tcp:127.0.0.1:$P"; then
		fail "$name" "-R $spec:$P did not listen: $(err_of "$name")"
	elif ! loopback_only "$P"; then
		fail "$name" "-R $spec:$P listens on: $LISTENERS"
	elif [ "$(fwd line "tcp:127.0.0.1:$P" hello)" != hello ]; then
		fail "$name" "no echo through -R $spec:$P"
	else
		ok "$name"
	fi
	stop_bg "$pid"
done
# An explicit 127.0.0.1 is kept even under GatewayPorts no: only 127.0.0.1, not ::1.
P=$(free_port)
SSH_ERR=$T/gw_v4.err ssh_to -N -o ExitOnForwardFailure=yes -R "127.0.0.1:$P:127.0.0.1:$ECHO" "$U" </dev/null &
pid=$!
bg_track "$pid"
if ! wait_up "$pid" "tcp:127.0.0.1:$P"; then
	fail fwd_R_explicit_loopback "-R 127.0.0.1:$P did not listen: $(err_of gw_v4)"
else
	l=$(ss -Hltn "sport = :$P" | awk '{ print $4 }' | sort -u | tr '\n' ' ')
	if [ "$l" = "127.0.0.1:$P " ]; then ok fwd_R_explicit_loopback
	else fail fwd_R_explicit_loopback "-R 127.0.0.1:$P listens on: $l"; fi
fi
stop_bg "$pid"

# ---------------------------------------------------------------- Unix sockets
expect_through fwd_unix_L -L "$T/local.sock" "$UECHO" "$U"
expect_through fwd_unix_L_to_tcp -L "$T/local2.sock" "127.0.0.1:$ECHO" "$U"

# -R to a socket path: the server creates it as the user.
RS=$T/u/rsock
SSH_ERR=$T/fwd_unix_R.err ssh_to -N -o ExitOnForwardFailure=yes -R "$RS:127.0.0.1:$ECHO" "$U" </dev/null &
pid=$!
bg_track "$pid"
if ! wait_up "$pid" "unix:$RS"; then
	fail fwd_unix_R "-R $RS did not listen: $(err_of fwd_unix_R)"
else
	owner=$(stat -c %U "$RS")
	out=$(fwd line "unix:$RS" hello-unix-r)
	if [ "$out" != hello-unix-r ]; then fail fwd_unix_R "got '$out'"
	elif [ "$owner" != "$U" ]; then fail fwd_unix_R "the socket belongs to '$owner', not $U"
	else ok fwd_unix_R; fi
fi
stop_bg "$pid"

# A stale socket file where -R wants to listen: refused by default (StreamLocalBindUnlink no).
STALE=$T/u/stale.sock
fwd stale "$STALE"
chown "$U:$grp" "$STALE"
expect_R_refused fwd_unix_R_stale_refused "$STALE" "127.0.0.1:$ECHO" "$U"

# ---------------------------------------------------------------- authorized_keys options
PL=$(free_port)  # the port permitlisten= names
key_with permitopen "permitopen=\"127.0.0.1:$ECHO2\"" &&
key_with permitlisten "permitlisten=\"127.0.0.1:$PL\"" &&
key_with nopf no-port-forwarding &&
key_with restrict restrict &&
key_with restrictpf restrict,port-forwarding ||
	{ fail fwd_setup "could not make the keys with options"; finish; }

SSH_KEY=$T/id_permitopen expect_L_refused fwd_keyopt_permitopen_other "$(free_port)" "127.0.0.1:$ECHO" "$U"
SSH_KEY=$T/id_permitopen expect_through fwd_keyopt_permitopen_listed -L "$(free_port)" "127.0.0.1:$ECHO2" "$U"
# permitlisten: only the listed port.
SSH_KEY=$T/id_permitlisten expect_through fwd_keyopt_permitlisten_listed -R "127.0.0.1:$PL" "127.0.0.1:$ECHO" "$U"
SSH_KEY=$T/id_permitlisten expect_R_refused fwd_keyopt_permitlisten_other "127.0.0.1:$(free_port)" "127.0.0.1:$ECHO" "$U"
SSH_KEY=$T/id_nopf expect_L_refused fwd_keyopt_no_port_forwarding_L "$(free_port)" "127.0.0.1:$ECHO" "$U"
SSH_KEY=$T/id_nopf expect_R_refused fwd_keyopt_no_port_forwarding_R "$(free_port)" "127.0.0.1:$ECHO" "$U"
SSH_KEY=$T/id_nopf expect_L_refused fwd_keyopt_no_port_forwarding_unix_L "$T/nopf.sock" "$UECHO" "$U"
SSH_KEY=$T/id_restrict expect_L_refused fwd_keyopt_restrict_L "$(free_port)" "127.0.0.1:$ECHO" "$U"
SSH_KEY=$T/id_restrict expect_R_refused fwd_keyopt_restrict_R "$(free_port)" "127.0.0.1:$ECHO" "$U"
SSH_KEY=$T/id_restrictpf expect_through fwd_keyopt_restrict_port_forwarding_L -L "$(free_port)" "127.0.0.1:$ECHO" "$U"
SSH_KEY=$T/id_restrictpf expect_through fwd_keyopt_restrict_port_forwarding_R -R "$(free_port)" "127.0.0.1:$ECHO" "$U"

# ---------------------------------------------------------------- sshd_config policy
# PermitOpen: only the listed destination. sshd logs the refusal.
restart "PermitOpen 127.0.0.1:$ECHO2"
expect_L_refused fwd_permitopen_other "$(free_port)" "127.0.0.1:$ECHO" "$U"
if wait_for 5 log_has "Received request from 127\.0\.0\.1 port [0-9]+ to connect to host 127\.0\.0\.1 port $ECHO, but the request was denied\.$"; then
	ok fwd_permitopen_log
else
	fail fwd_permitopen_log "no 'Received request from 127.0.0.1 port N to connect to host 127.0.0.1 port $ECHO, but the request was denied.'"
fi
expect_through fwd_permitopen_listed -L "$(free_port)" "127.0.0.1:$ECHO2" "$U"

# PermitListen: only the listed port; "none" refuses every -R.
P=$(free_port)
restart "PermitListen $P"
expect_through fwd_permitlisten_listed -R "$P" "127.0.0.1:$ECHO" "$U"
P=$(free_port)
expect_R_refused fwd_permitlisten_other "$P" "127.0.0.1:$ECHO" "$U"
# ssh sends "localhost" as the address of a -R without one.
if wait_for 5 log_has "Received request from 127\.0\.0\.1 port [0-9]+ to remote forward to host localhost port $P, but the request was denied\.$"; then
	ok fwd_permitlisten_log
else
	fail fwd_permitlisten_log "no 'Received request from 127.0.0.1 port N to remote forward to host localhost port $P, but the request was denied.'"
fi
restart "PermitListen none"
expect_R_refused fwd_permitlisten_none "$(free_port)" "127.0.0.1:$ECHO" "$U"

restart "AllowTcpForwarding local"
expect_through fwd_allowtcp_local_L -L "$(free_port)" "127.0.0.1:$ECHO" "$U"
expect_R_refused fwd_allowtcp_local_R "$(free_port)" "127.0.0.1:$ECHO" "$U"

restart "AllowTcpForwarding remote"
expect_L_refused fwd_allowtcp_remote_L "$(free_port)" "127.0.0.1:$ECHO" "$U"
if wait_for 5 log_has "refused local port forward: originator 127\.0\.0\.1 port [0-9]+, target 127\.0\.0\.1 port $ECHO$"; then
	ok fwd_allowtcp_remote_log
else
	fail fwd_allowtcp_remote_log "no 'refused local port forward: originator 127.0.0.1 port N, target 127.0.0.1 port $ECHO'"
fi
expect_through fwd_allowtcp_remote_R -R "$(free_port)" "127.0.0.1:$ECHO" "$U"

restart "AllowTcpForwarding no"
expect_L_refused fwd_allowtcp_no_L "$(free_port)" "127.0.0.1:$ECHO" "$U"
expect_R_refused fwd_allowtcp_no_R "$(free_port)" "127.0.0.1:$ECHO" "$U"
# OpenSSH applies AllowTcpForwarding to Unix sockets too, although AllowStreamLocalForwarding
# is yes: do_authenticated() grants "all permitted" for a direction only when AllowTcpForwarding
# allows it, and channel_connect_to_path() (-L) and check_rfwd_permission() (-R, paths
# included) check that. Both log "... but the request was denied."
expect_L_refused fwd_allowtcp_no_unix_L "$T/atno.sock" "$UECHO" "$U"
if wait_for 5 log_has "Received request to connect to path $UECHO, but the request was denied\.$"; then
	ok fwd_allowtcp_no_unix_L_log
else
	fail fwd_allowtcp_no_unix_L_log "no 'Received request to connect to path $UECHO, but the request was denied.'"
fi
expect_R_refused fwd_allowtcp_no_unix_R "$T/u/atno-r.sock" "127.0.0.1:$ECHO" "$U"
if wait_for 5 log_has "Received request from 127\.0\.0\.1 port [0-9]+ to remote forward to path \"$T/u/atno-r\.sock\", but the request was denied\.$"; then
	ok fwd_allowtcp_no_unix_R_log
else
	fail fwd_allowtcp_no_unix_R_log "no 'Received request from 127.0.0.1 port N to remote forward to path \"$T/u/atno-r.sock\", but the request was denied.'"
fi

restart "DisableForwarding yes"
expect_L_refused fwd_disableforwarding_L "$(free_port)" "127.0.0.1:$ECHO" "$U"
expect_R_refused fwd_disableforwarding_R "$(free_port)" "127.0.0.1:$ECHO" "$U"
expect_L_refused fwd_disableforwarding_unix_L "$T/df.sock" "$UECHO" "$U"
expect_R_refused fwd_disableforwarding_unix_R "$T/u/df-r.sock" "127.0.0.1:$ECHO" "$U"

restart "AllowStreamLocalForwarding no"
expect_L_refused fwd_allowstreamlocal_no_L "$T/asl.sock" "$UECHO" "$U"
# (The originator is empty, port 0: what ssh sends in a direct-streamlocal open.)
if wait_for 5 log_has "refused streamlocal port forward: originator  port 0, target $UECHO$"; then
	ok fwd_allowstreamlocal_no_log
else
	fail fwd_allowstreamlocal_no_log "no 'refused streamlocal port forward: ... target $UECHO'"
fi
expect_R_refused fwd_allowstreamlocal_no_R "$T/u/asl-r.sock" "127.0.0.1:$ECHO" "$U"
expect_through fwd_allowstreamlocal_no_tcp_L -L "$(free_port)" "127.0.0.1:$ECHO" "$U"

# StreamLocalBindUnlink yes: the stale file is replaced by the listener.
restart "StreamLocalBindUnlink yes"
expect_through fwd_unix_R_stale_unlinked -R "$STALE" "127.0.0.1:$ECHO" "$U"

if still_serving; then ok fwd_still_serving
else fail fwd_still_serving "$SERVING_WHY"; fi
finish
