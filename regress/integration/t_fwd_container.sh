#!/bin/bash
# t_fwd_container.sh - port, Unix socket, agent and X11 forwarding for a login that lands in a
# container (issue #4). Every server-side endpoint must be inside the container: listeners in
# its network namespace, names resolved with its /etc/hosts, Unix sockets, the agent socket and
# the X11 cookie in its filesystem and owned by the container's user.
#
# One pivot_root container (container_lib.sh) around a private copy of the busybox rootfs with:
#   /etc/hosts         "127.0.0.1 localhost" and "127.0.0.1 only-in-container" (a name the host
#                      does not know)
#   /usr/bin/ssh-add   the host's, with the libraries ldd lists and the dynamic loader
#   /usr/bin/xdpyinfo  the same; the image has NO xauth, so nsshd must write ~/.Xauthority itself
# nsshd-t1 -> ContainerTarget pid:PID, ContainerUser cuser (uid 2345 in the container only).
#
# Servers "inside" are the host's python3 (fwdc_util.py) run under `nsenter -t PID -n`, i.e. in
# the container's network namespace, and for Unix sockets bound to a path under /proc/PID/root
# (the container's filesystem). Client-side endpoints (the -R target, Xvfb, ssh-agent) are on
# the host.
#
# Checked:
#   fwd_container_image          the copied ssh-add and xdpyinfo run inside (xdpyinfo against
#                                Xvfb through a relay in the container netns), no xauth in it
#   fwd_container_isolated       the in-container TCP servers are not reachable from the host,
#                                the host cannot resolve only-in-container (so what follows means
#                                something)
#   fwd_container_local_tcp      ssh -L LP:127.0.0.1:P reaches the echo server in the netns;
#                                _100mib: 100 MiB through it intact; _concurrent: 20 at once
#   fwd_container_dynamic_name   ssh -D + curl --socks5-hostname http://only-in-container:P/
#                                (resolved with the container's /etc/hosts) fetches the file
#   fwd_container_remote_tcp     ssh -R RP:127.0.0.1:ECHO: 127.0.0.1:RP in the container netns
#                                reaches the client's echo server; the host has no RP listener
#   fwd_container_local_unix     ssh -L LOCAL.sock:/tmp/X.sock to a Unix echo server in the
#                                container's /tmp
#   fwd_container_remote_unix    ssh -R /tmp/Y.sock:127.0.0.1:ECHO makes Y.sock in the container's
#                                /tmp, owned by uid 2345, that reaches the client's echo server
#   fwd_container_agent          agent forwarding: SSH_AUTH_SOCK is a socket in the container's
#                                /tmp owned by 2345, `ssh-add -l` inside lists the client's key;
#                                _cleanup: the socket is gone after logout
#   fwd_container_x11            ssh -X: $DISPLAY is set, xdpyinfo inside talks to the client's
#                                Xvfb; _cookie: ~/.Xauthority in the container's home belongs to
#                                the container user
#   fwd_container_still_serving  the listener still serves a normal login
#
# SERVER=openssh is a reference run of the same checks: Debian's sshd (with its libraries, and
# xauth, which it needs for X11) is copied into the image and run INSIDE the container (all its
# namespaces, `sshd -i` started per connection by a ProxyCommand with nsenter), logging in as
# cuser with nsshd-t1's key. The host's sshd is started too, only for still_serving.
#
# Needs (client side): python3, curl, ssh-agent/ssh-add, Xvfb (xvfb), xdpyinfo (x11-utils),
# xauth (ssh -X runs it on the client), nsenter, ss.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/container_lib.sh"

UTIL=$SRCDIR/regress/integration/fwdc_util.py
CUID=2345
CNAME=nsshd-fwd
HOSTNAME_ONLY_INSIDE=only-in-container

missing=
for b in curl ssh-agent ssh-add ssh-keygen Xvfb xdpyinfo xauth nsenter ss ldd; do
	command -v "$b" >/dev/null 2>&1 || missing="$missing $b"
done
[ -x "$PYTHON" ] || missing="$missing $PYTHON"
if [ -n "$missing" ]; then
	fail fwd_container_setup "missing:$missing (apt-get install curl openssh-client xvfb x11-utils xauth util-linux iproute2 python3)"
	finish
fi
ensure_rootfs || { fail fwd_container_setup "could not build the busybox rootfs in $ROOTFS"; finish; }

# ---------------------------------------------------------------------------- the image

# copy_binary DIR BIN: BIN, every library ldd lists for it and the dynamic loader, at the same
# paths under DIR (the loader then finds the libraries in its default directories).
copy_binary() {
	local d=$1 bin=$2 lib libs
	libs=$(ldd "$bin" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
	[ -n "$libs" ] || { echo "# ldd $bin listed nothing" >&2; return 1; }
	install -D -m 755 "$bin" "$d$bin" || return 1
	for lib in $libs; do
		[ -e "$d$lib" ] || install -D -m 755 "$(readlink -f "$lib")" "$d$lib" || return 1
	done
}

CROOT=$T/rootfs-fwd
copy_rootfs "$CROOT" || { fail fwd_container_setup "could not copy the rootfs"; finish; }
printf '127.0.0.1\tlocalhost\n127.0.0.1\t%s\n' "$HOSTNAME_ONLY_INSIDE" >"$CROOT/etc/hosts"
copy_binary "$CROOT" /usr/bin/ssh-add && copy_binary "$CROOT" /usr/bin/xdpyinfo ||
	{ fail fwd_container_setup "could not copy ssh-add or xdpyinfo into the image"; finish; }
rm -f "$CROOT/home/cuser/.Xauthority"

if [ "$SERVER" = openssh ]; then
	# The reference: OpenSSH's sshd inside the container (it needs xauth there for X11).
	copy_binary "$CROOT" /usr/sbin/sshd && copy_binary "$CROOT" /usr/bin/xauth ||
		{ fail fwd_container_setup "could not copy sshd or xauth into the image"; finish; }
	echo 'sshd:x:101:65534:sshd privsep:/run/sshd:/bin/false' >>"$CROOT/etc/passwd"
	install -d -m 755 "$CROOT/run/sshd" "$CROOT/etc/fwdc"
	ssh-keygen -q -t ed25519 -N '' -C "$TEST_ID-ctr-host" -f "$CROOT/etc/fwdc/host_ed25519" ||
		{ fail fwd_container_setup "ssh-keygen failed"; finish; }
	cat >"$CROOT/etc/fwdc/sshd_config" <<-'EOF'
	HostKey /etc/fwdc/host_ed25519
	AuthorizedKeysFile .ssh/authorized_keys
	UsePAM no
	StrictModes yes
	LogLevel DEBUG1
	PidFile none
	X11Forwarding yes
	AllowTcpForwarding yes
	AllowStreamLocalForwarding yes
	AllowAgentForwarding yes
	EOF
fi

C=$(start_container "$CNAME" --rootfs "$CROOT") ||
	{ fail fwd_container_setup "could not start the test container"; finish; }
CFS=/proc/$C/root	# the container's filesystem, seen from the host

if [ "$SERVER" = openssh ]; then
	setup
	install -d -m 700 -o "$CUID" -g "$CUID" "$CROOT/home/cuser/.ssh"
	install -m 600 -o "$CUID" -g "$CUID" "$T/id_nsshd-t1.pub" "$CROOT/home/cuser/.ssh/authorized_keys"
	PROXY="/usr/bin/nsenter -t $C -a -r -w /usr/sbin/sshd -i -f /etc/fwdc/sshd_config -E /tmp/fwdc-sshd.log"
	SERVER_LOG=$CROOT/tmp/fwdc-sshd.log	# what fail() shows: the sshd inside
else
	setup "X11Forwarding yes" "AllowTcpForwarding yes" "AllowStreamLocalForwarding yes" \
		"AllowAgentForwarding yes" \
		"Match User nsshd-t1" "ContainerTarget pid:$C" "ContainerUser cuser"
fi

# ---------------------------------------------------------------------------- helpers

# c_ssh [SSH-OPTION...] [COMMAND...]: ssh_to into the container (nsshd: nsshd-t1, whose
# ContainerTarget is the container; openssh: cuser on the sshd inside, with nsshd-t1's key).
c_ssh() {
	local opts=()
	while [ $# -gt 0 ]; do
		case $1 in
		-[bcDEeFIiJLlmOopQRSWw]) opts+=("$1" "$2"); shift 2 ;;
		-*) opts+=("$1"); shift ;;
		*) break ;;
		esac
	done
	if [ "$SERVER" = openssh ]; then
		SSH_KEY=$T/id_nsshd-t1 ssh_to "${opts[@]}" -o "ProxyCommand=$PROXY" cuser "$@"
	else
		ssh_to "${opts[@]}" nsshd-t1 "$@"
	fi
}

# util ARGS...: fwdc_util.py on the host, bounded in time.
util() {
	timeout -k 5 180 "$PYTHON" "$UTIL" "$@"
}

# in_netns COMMAND...: COMMAND in the container's network namespace only (host filesystem).
in_netns() {
	timeout -k 5 180 nsenter -t "$C" -n "$@"
}

# in_ctr COMMAND...: COMMAND in all the container's namespaces, as its root.
in_ctr() {
	timeout -k 5 60 nsenter -t "$C" -a -r -w "$@"
}

netns_listening() {
	[ -n "$(nsenter -t "$C" -n ss -Hltn "sport = :$1" 2>/dev/null)" ]
}

# serve NAME ctr|host UTIL-ARGS...: a fwdc_util.py server in the background, in the container's
# network namespace or on the host; waits (10 s) until it says ready. Output in $T/NAME.*.
serve() {
	local name=$1 where=$2 pid
	shift 2
	if [ "$where" = ctr ]; then
		nsenter -t "$C" -n "$PYTHON" "$UTIL" "$@" </dev/null >"$T/$name.out" 2>"$T/$name.err" &
	else
		"$PYTHON" "$UTIL" "$@" </dev/null >"$T/$name.out" 2>"$T/$name.err" &
	fi
	pid=$!
	bg_track "$pid"
	wait_for 10 grep -qx ready "$T/$name.out" && return 0
	echo "# server $name ($*) did not start: $(cat "$T/$name.err")" >&2
	return 1
}

# fwd_start NAME SSH-OPTION...: `ssh -N` with these forwardings in the background
# (ExitOnForwardFailure; stderr in $T/NAME.err). Sets FWD_PID and FWD_ERR.
fwd_start() {
	local name=$1
	shift
	FWD_ERR=$T/$name.err
	CLIENT_TIMEOUT=300 SSH_ERR=$FWD_ERR c_ssh -N -o ExitOnForwardFailure=yes "$@" </dev/null >/dev/null &
	FWD_PID=$!
	bg_track "$FWD_PID"
}

# fwd_ready COMMAND...: wait (15 s at most) until COMMAND succeeds while the forwarding ssh
# runs. 1 with FWD_WHY set if ssh exited first or time ran out.
fwd_ready() {
	local rc
	FWD_WHY=
	for _ in $(seq 1 75); do
		"$@" && return 0
		if ! kill -0 "$FWD_PID" 2>/dev/null; then
			wait "$FWD_PID"
			rc=$?
			FWD_WHY="the forwarding ssh exited (status $rc): $(one_line "$(cat "$FWD_ERR" 2>/dev/null)")"
			return 1
		fi
		sleep 0.2
	done
	FWD_WHY="not ready after 15 s ($*); ssh said: $(one_line "$(cat "$FWD_ERR" 2>/dev/null)")"
	return 1
}

fwd_stop() {
	kill_tree "$FWD_PID"
	wait "$FWD_PID" 2>/dev/null
}

# fail_fwd NAME REASON: fail with REASON plus the forwarding ssh's stderr, if any.
fail_fwd() {
	local why=$2
	[ -s "$FWD_ERR" ] && why="$why; ssh said: $(tail -n 3 "$FWD_ERR")"
	fail "$1" "$why"
}

# held_session NAME [SSH-OPTION...] COMMAND: c_ssh running COMMAND in the background, then
# "held", then waiting (30 s at most) for the file /tmp/fwdc-NAME.go in the container; output in
# $T/NAME.out, stderr in $T/NAME.err. Returns once "held" is out (0) or the ssh ended (1).
held_session() {
	local name=$1 cmd=${!#}
	local opts=("${@:2:$#-2}")
	rm -f "$CFS/tmp/fwdc-$name.go"
	SSH_ERR=$T/$name.err c_ssh "${opts[@]}" "$cmd
echo held; i=0; while [ ! -e /tmp/fwdc-$name.go ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done" \
		</dev/null >"$T/$name.out" &
	HELD_PID=$!
	bg_track "$HELD_PID"
	for _ in $(seq 1 150); do
		grep -qx held "$T/$name.out" && return 0
		kill -0 "$HELD_PID" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

# release NAME: let the held session end; HELD_RC is its ssh's exit status.
release() {
	touch "$CFS/tmp/fwdc-$1.go"
	wait "$HELD_PID"
	HELD_RC=$?
	rm -f "$CFS/tmp/fwdc-$1.go"
}

# ---------------------------------------------------------------------------- servers inside

P=$(free_port)		# TCP echo server in the container netns (not on the host)
HP=$(free_port)		# HTTP server in the container netns
CE=$(free_port)		# the client's echo server, on the host
mkdir -p "$T/www"
head -c 65536 /dev/urandom | base64 >"$T/www/fwdc.txt"
serve echo ctr echo-server tcp 127.0.0.1 "$P" &&
	serve http ctr http-server 127.0.0.1 "$HP" "$T/www" &&
	serve cecho host echo-server tcp 127.0.0.1 "$CE" ||
	{ fail fwd_container_setup "could not start the echo and HTTP servers"; finish; }

# the client's X server (no TCP, no access control: the cookie check is the ssh client's)
Xvfb -displayfd 3 -nolisten tcp -noreset -screen 0 640x480x24 </dev/null >"$T/xvfb.log" 2>&1 3>"$T/xvfb.display" &
bg_track $!
wait_for 15 test -s "$T/xvfb.display"
XDISP=:$(head -n 1 "$T/xvfb.display")
[ "$XDISP" != : ] || { fail fwd_container_setup "Xvfb did not start: $(tail -n 3 "$T/xvfb.log")"; finish; }

# ---------------------------------------------------------------------------- checks

# fwd_container_image: the copied tools run inside the container; xdpyinfo reaches the host's
# Xvfb through a relay in the container netns, ssh-add lists a key of an agent whose socket is
# in the container's /tmp; and there is no xauth in the nsshd image.
why=
if [ "$SERVER" = nsshd ] && [ -n "$(find "$CROOT" -name 'xauth*' 2>/dev/null)" ]; then
	why="the image has an xauth: $(find "$CROOT" -name 'xauth*')"
fi
serve xrelay ctr relay tcp 127.0.0.1 6050 unix "/tmp/.X11-unix/X${XDISP#:}" || why="$why; no X relay"
xout=$(timeout -k 5 60 env -u XAUTHORITY -u DISPLAY nsenter -t "$C" -a -r -w /usr/bin/xdpyinfo -display 127.0.0.1:50 2>&1)
grep -q 'dimensions: *640x480 pixels' <<<"$xout" || why="$why; xdpyinfo inside: $(head -n 3 <<<"$xout")"
ssh-keygen -q -t ed25519 -N '' -C "fwdc-agent-$TEST_ID" -f "$T/id_agent" || why="$why; ssh-keygen failed"
AGENT_FP=$(ssh-keygen -lf "$T/id_agent.pub" | awk '{ print $2 }')
ssh-agent -D -a "$CROOT/tmp/fwdc-img-agent.sock" </dev/null >/dev/null 2>&1 &
img_agent=$!
bg_track "$img_agent"
wait_for 10 test -S "$CROOT/tmp/fwdc-img-agent.sock"
SSH_AUTH_SOCK=$CROOT/tmp/fwdc-img-agent.sock timeout 30 ssh-add -q "$T/id_agent" </dev/null 2>/dev/null ||
	why="$why; ssh-add on the host failed"
aout=$(in_ctr env SSH_AUTH_SOCK=/tmp/fwdc-img-agent.sock /usr/bin/ssh-add -l 2>&1)
grep -qF "$AGENT_FP" <<<"$aout" || why="$why; ssh-add -l inside: '$aout'"
kill_tree "$img_agent"
rm -f "$CROOT/tmp/fwdc-img-agent.sock"
if [ -z "$why" ]; then ok fwd_container_image
else fail fwd_container_image "${why#; }"; fi

# fwd_container_isolated: the servers are in the container netns only; the name is the
# container's only.
why=
in_netns "$PYTHON" "$UTIL" probe tcp 127.0.0.1 "$P" || why="$why; echo server not reachable in the netns"
in_netns "$PYTHON" "$UTIL" probe tcp 127.0.0.1 "$HP" || why="$why; HTTP server not reachable in the netns"
util probe tcp 127.0.0.1 "$P" && why="$why; the host reaches 127.0.0.1:$P"
util probe tcp 127.0.0.1 "$HP" && why="$why; the host reaches 127.0.0.1:$HP"
util probe tcp 127.0.0.1 6050 && why="$why; the host reaches 127.0.0.1:6050"
timeout 10 getent hosts "$HOSTNAME_ONLY_INSIDE" >/dev/null && why="$why; the host resolves $HOSTNAME_ONLY_INSIDE"
if [ -z "$why" ]; then ok fwd_container_isolated
else fail fwd_container_isolated "${why#; }"; fi

# fwd_container_local_tcp*: -L to the echo server inside.
LP=$(free_port)
fwd_start fwd-L -L "127.0.0.1:$LP:127.0.0.1:$P"
if fwd_ready port_listening "$LP"; then
	out=$(util echo-check tcp 127.0.0.1 "$LP" --bytes 4096 --timeout 20)
	if [ $? = 0 ]; then ok fwd_container_local_tcp
	else fail_fwd fwd_container_local_tcp "$out"; fi
	out=$(util echo-check tcp 127.0.0.1 "$LP" --bytes $((100 * 1048576)) --timeout 60)
	if [ $? = 0 ]; then ok fwd_container_local_tcp_100mib
	else fail_fwd fwd_container_local_tcp_100mib "$out"; fi
	out=$(util echo-check tcp 127.0.0.1 "$LP" --conns 20 --bytes 262144 --timeout 60)
	if [ $? = 0 ]; then ok fwd_container_local_tcp_concurrent
	else fail_fwd fwd_container_local_tcp_concurrent "$out"; fi
else
	for t in fwd_container_local_tcp fwd_container_local_tcp_100mib fwd_container_local_tcp_concurrent; do
		fail "$t" "$FWD_WHY"
	done
fi
fwd_stop

# fwd_container_dynamic_name: -D, the name resolved inside the container.
DP=$(free_port)
fwd_start fwd-D -D "127.0.0.1:$DP"
if fwd_ready port_listening "$DP"; then
	rm -f "$T/curl.out"
	cerr=$(timeout -k 5 60 curl -sS --max-time 30 --socks5-hostname "127.0.0.1:$DP" \
		-o "$T/curl.out" "http://$HOSTNAME_ONLY_INSIDE:$HP/fwdc.txt" 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && cmp -s "$T/curl.out" "$T/www/fwdc.txt"; then ok fwd_container_dynamic_name
	else fail_fwd fwd_container_dynamic_name "curl rc=$rc: $cerr; got $(cat "$T/curl.out" 2>/dev/null | wc -c) bytes"; fi
else
	fail fwd_container_dynamic_name "$FWD_WHY"
fi
fwd_stop

# fwd_container_remote_tcp: -R; the listener is in the container netns, not on the host.
RP=$(free_port)
fwd_start fwd-R -R "$RP:127.0.0.1:$CE"
if fwd_ready netns_listening "$RP"; then
	out=$(in_netns "$PYTHON" "$UTIL" echo-check tcp 127.0.0.1 "$RP" --bytes 1048576 --timeout 30)
	rc=$?
	if [ "$rc" != 0 ]; then fail_fwd fwd_container_remote_tcp "inside: $out"
	elif port_listening "$RP" || util probe tcp 127.0.0.1 "$RP"; then
		fail fwd_container_remote_tcp "127.0.0.1:$RP is open on the host too: $(ss -Hltnp "sport = :$RP")"
	else ok fwd_container_remote_tcp; fi
else
	fail fwd_container_remote_tcp "$FWD_WHY"
fi
fwd_stop

# fwd_container_local_unix: -L LOCAL.sock:/tmp/X.sock, X.sock being a Unix echo server in the
# container's /tmp (the host has no such path).
USOCK=/tmp/fwdc-uecho-$TEST_ID.sock
if serve uecho ctr echo-server unix "$CFS$USOCK" --mode 0666; then
	fwd_start fwd-LU -L "$T/lu.sock:$USOCK"
	if [ -e "$USOCK" ]; then fail fwd_container_local_unix "the host has $USOCK"
	elif fwd_ready test -S "$T/lu.sock"; then
		out=$(util echo-check unix "$T/lu.sock" --bytes 1048576 --timeout 30)
		if [ $? = 0 ]; then ok fwd_container_local_unix
		else fail_fwd fwd_container_local_unix "$out"; fi
	else
		fail fwd_container_local_unix "$FWD_WHY"
	fi
	fwd_stop
else
	fail fwd_container_local_unix "could not start the Unix echo server in the container"
fi

# fwd_container_remote_unix: -R /tmp/Y.sock:127.0.0.1:ECHO; Y.sock appears in the container's
# /tmp, owned by the container user, and leads to the client's echo server.
RSOCK=/tmp/fwdc-r-$TEST_ID.sock
fwd_start fwd-RU -R "$RSOCK:127.0.0.1:$CE"
if fwd_ready test -S "$CFS$RSOCK"; then
	owner=$(stat -c %u "$CFS$RSOCK")
	out=$(in_netns "$PYTHON" "$UTIL" echo-check unix "$CFS$RSOCK" --bytes 1048576 --timeout 30)
	rc=$?
	if [ "$rc" != 0 ]; then fail_fwd fwd_container_remote_unix "inside: $out"
	elif [ "$owner" != "$CUID" ]; then fail fwd_container_remote_unix "$RSOCK is owned by uid $owner, not $CUID"
	elif [ -e "$RSOCK" ]; then fail fwd_container_remote_unix "the host has $RSOCK too"
	else ok fwd_container_remote_unix; fi
else
	fail fwd_container_remote_unix "$FWD_WHY$([ -S "$RSOCK" ] && echo "; it is on the host instead")"
fi
fwd_stop
rm -f "$CFS$RSOCK" "$CFS$USOCK"
[ -S "$RSOCK" ] && rm -f "$RSOCK"	# a misplaced one (unique name)

# fwd_container_agent: ssh -A. ssh_to clears SSH_AUTH_SOCK and says IdentityAgent=none, which
# turns -A off (so does ForwardAgent=PATH without an agent for ssh itself, OpenSSH 9.2), hence
# IdentityAgent=SOCKET before it. While the session is held open, SSH_AUTH_SOCK is a socket in the
# container's /tmp (seen from the host through /proc/PID/root), the container user's, and
# `ssh-add -l` inside lists the client's key.
ssh-agent -D -a "$T/agent.sock" </dev/null >/dev/null 2>&1 &
bg_track $!
wait_for 10 test -S "$T/agent.sock"
SSH_AUTH_SOCK=$T/agent.sock timeout 30 ssh-add -q "$T/id_agent" </dev/null 2>/dev/null
sock=
if held_session agent -A -o IdentityAgent="$T/agent.sock" \
	'echo "sock=$SSH_AUTH_SOCK"; /usr/bin/ssh-add -l; echo "rc=$?"'; then
	out=$(cat "$T/agent.out")
	sock=$(sed -n 's/^sock=//p' <<<"$out")
	if [ -n "$sock" ] && [ -S "$CFS$sock" ]; then seen=$(stat -c '%u %a' "$CFS$sock"); else seen="no socket at $CFS$sock"; fi
	on_host=$([ -n "$sock" ] && [ -e "$sock" ] && echo "the host has $sock too")
	release agent
	if [ "$HELD_RC" = 0 ] && [ "${sock#/tmp/}" != "$sock" ] && [ "${seen%% *}" = "$CUID" ] &&
		[ -z "$on_host" ] && grep -qF "$AGENT_FP" <<<"$out" && grep -qx 'rc=0' <<<"$out"; then
		ok fwd_container_agent
	else fail fwd_container_agent "rc=$HELD_RC output '$(cat "$T/agent.out")' socket in the container: $seen $on_host (want SSH_AUTH_SOCK under /tmp, owned by $CUID, $AGENT_FP listed); ssh said: $(cat "$T/agent.err")"; fi
else
	release agent
	fail fwd_container_agent "the session did not run: rc=$HELD_RC output '$(cat "$T/agent.out")' ssh said: $(cat "$T/agent.err")"
fi
# fwd_container_agent_cleanup: after logout the socket (and its directory, unless that is /tmp)
# is gone from the container.
if [ -z "$sock" ] || [ "${seen%% *}" != "$CUID" ]; then
	fail fwd_container_agent_cleanup "no agent socket in the container to begin with"
else
	d=$(dirname "$sock")
	gone() { [ ! -e "$CFS$sock" ] && { [ "$d" = /tmp ] || [ ! -e "$CFS$d" ]; }; }
	if wait_for 10 gone; then ok fwd_container_agent_cleanup
	else fail fwd_container_agent_cleanup "still there after logout: $(ls -ld "$CFS$sock" "$CFS$d" 2>&1 | tr '\n' ' ')"; fi
fi

# fwd_container_x11: ssh -X into an image without xauth: $DISPLAY is set, its listener is in the
# container (TCP port 6000+N in its netns for localhost:N, else /tmp/.X11-unix/XN in its
# filesystem), and xdpyinfo inside reaches the client's Xvfb (640x480) — which needs a cookie in
# ~/.Xauthority that nsshd wrote (the ssh client rejects X11 connections without it).
rm -f "$CROOT/home/cuser/.Xauthority" "$CROOT/tmp/fwdc-xdpyinfo.out"
x11_in=
if DISPLAY=$XDISP held_session x11 -X \
	'echo "display=$DISPLAY"; /usr/bin/xdpyinfo >/tmp/fwdc-xdpyinfo.out 2>&1; echo "rc=$?"
	 grep -E "^name of display:|dimensions:" /tmp/fwdc-xdpyinfo.out'; then
	disp=$(sed -n 's/^display=//p' "$T/x11.out")
	num=${disp##*:}
	num=${num%%.*}
	case $disp in
	localhost:*|127.0.0.1:*) netns_listening $((6000 + num)) && x11_in=yes ;;
	:*|unix:*) [ -S "$CFS/tmp/.X11-unix/X$num" ] && x11_in=yes ;;
	esac
fi
release x11
out=$(cat "$T/x11.out")
if [ "$HELD_RC" = 0 ] && [ -n "$disp" ] && [ "$x11_in" = yes ] && grep -qx 'rc=0' <<<"$out" &&
	grep -q 'dimensions: *640x480 pixels' <<<"$out"; then
	ok fwd_container_x11
else fail fwd_container_x11 "rc=$HELD_RC output '$out' listener for '$disp' in the container: ${x11_in:-no}; xdpyinfo said: $(head -n 3 "$CROOT/tmp/fwdc-xdpyinfo.out" 2>/dev/null); ssh said: $(cat "$T/x11.err")"; fi
# fwd_container_x11_cookie: the cookie file is in the container's home, the container user's.
xa=$CROOT/home/cuser/.Xauthority
if [ -f "$xa" ] && [ "$(stat -c %u:%g "$xa")" = "$CUID:$CUID" ]; then ok fwd_container_x11_cookie
else fail fwd_container_x11_cookie "$(ls -ln "$xa" 2>&1) (want a file owned by $CUID:$CUID)"; fi

# fwd_container_still_serving
if still_serving; then ok fwd_container_still_serving
else fail fwd_container_still_serving "$SERVING_WHY"; fi

finish
