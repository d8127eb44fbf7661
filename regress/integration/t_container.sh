#!/bin/bash
# t_container.sh - logins that land inside containers (ContainerTarget). Test containers are
# made here with unshare around a busybox rootfs (container_lib.sh) whose /etc/passwd has a
# user `cuser` (uid 2345) that the host does not have.
#
# nsshd-t1 -> ContainerTarget pid:PID of a pivot_root container;
# nsshd-t2 -> ContainerTarget pidfile:$T/t2.pid, pointed at other containers in turn
#             (restarted, chroot-style, user namespace, a bad /etc/passwd, ...).
# Both log in as ContainerUser cuser.
#
# Checked: the session is inside (hostname, `ls /`, `ps`, `id`, /proc/net/dev, the namespace
# links, a written file lands in the container's rootfs), exit codes, a pty from the container's
# devpts, a stopped container gives a clear "not running" error, a restarted one is found again,
# a recycled PID is refused (test hook), a hostile /etc/passwd (symlink, FIFO) fails cleanly and
# quickly, a bogus nsswitch.conf has no effect, and root inside cannot look at the relay process
# nsshd leaves on the host.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/container_lib.sh"

if [ "$SERVER" != nsshd ]; then
	skip container "ContainerTarget is nsshd's own"
	finish
fi
# Until the monitor hands the resolved target to sessions there is nothing to test.
if ! grep -qE '(\.|->)target[[:space:]]*=' "$SRCDIR"/monitor/*.c; then
	skip container "the monitor does not pass ContainerTarget to sessions yet"
	finish
fi
ensure_rootfs || { fail container_setup "could not build the busybox rootfs in $ROOTFS"; finish; }

C1=$(start_container nsshd-c1) || { fail container_setup "could not start a test container"; finish; }
C1ROOT=$ROOTFS
: >"$T/t2.pid"
chmod 644 "$T/t2.pid"

setup "AcceptEnv NSSHD_TEST_HOOK" \
	"Match User nsshd-t1" "ContainerTarget pid:$C1" "ContainerUser cuser" \
	"Match User nsshd-t2" "ContainerTarget pidfile:$T/t2.pid" "ContainerUser cuser"

# says TEXT: the client's stderr (last.err) has TEXT. On failure also prints the matching
# server log line, which tells whether only the delivery to the client is missing.
says() {
	grep -q "$1" "$T/last.err" && return 0
	echo "# the client did not show '$1'; server log: $(grep -m1 "$1" "$SERVER_LOG")" >&2
	return 1
}

# in_c1 COMMAND...: run COMMAND in container 1 as nsshd-t1; stdout in $OUT, status in $RC.
in_c1() {
	OUT=$(ssh_to nsshd-t1 "$@" </dev/null)
	RC=$?
}

# in_t2 COMMAND...: the same as nsshd-t2 (whatever $T/t2.pid names).
in_t2() {
	OUT=$(ssh_to nsshd-t2 "$@" </dev/null)
	RC=$?
}

# point_t2 PID: make nsshd-t2's pid file name PID.
point_t2() {
	echo "$1" >"$T/t2.pid.new" && chmod 644 "$T/t2.pid.new" && mv "$T/t2.pid.new" "$T/t2.pid"
}

# ns_links PID: "mnt:[...] uts:[...] ..." of a host process.
ns_links() {
	local n
	for n in mnt uts ipc net pid cgroup; do
		printf '%s ' "$(readlink "/proc/$1/ns/$n")"
	done
}

# container_hostname: the session's hostname is the container's.
in_c1 hostname
out=$OUT
if [ "$RC" = 0 ] && [ "$out" = nsshd-c1 ]; then ok container_hostname
else fail container_hostname "rc=$RC hostname '$out', want nsshd-c1"; fi

# container_rootfs: `ls /` shows the container's root (its marker file), not the host's.
in_c1 ls /
out=$OUT
if [ "$RC" = 0 ] && grep -qx "$ROOTFS_MARKER" <<<"$out" && ! grep -qx usr <<<"$out"; then
	ok container_rootfs
else fail container_rootfs "rc=$RC ls / gave '$out'"; fi

# container_ps: only the container's processes: its init (sleep) is PID 1, no nsshd anywhere.
in_c1 ps -o pid,comm
out=$OUT
n=$(grep -c . <<<"$out")
if [ "$RC" = 0 ] && grep -qE '^ *1 +sleep$' <<<"$out" && ! grep -qiE 'nsshd|sshd|systemd|init$' <<<"$out" &&
	[ "$n" -le 6 ]; then
	ok container_ps
else fail container_ps "rc=$RC ps gave '$out'"; fi

# container_user: the container's own user, uid 2345, its groups from the container's /etc/group.
in_c1 'id -u; id -un; id -G; echo "$USER $HOME $SHELL"; pwd'
out=$OUT
want=$(printf '2345\ncuser\n2345 3000\ncuser /home/cuser /bin/sh\n/home/cuser')
if [ "$RC" = 0 ] && [ "$out" = "$want" ]; then ok container_user
else fail container_user "rc=$RC got '$out', want '$want'"; fi

# container_net: the container's network namespace has only lo.
in_c1 cat /proc/net/dev
out=$OUT
ifs=$(tail -n +3 <<<"$out" | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')
if [ "$RC" = 0 ] && [ "$ifs" = "lo " ]; then ok container_net
else fail container_net "rc=$RC interfaces '$ifs'"; fi

# container_namespaces: every namespace link equals the container init's.
in_c1 'for n in mnt uts ipc net pid cgroup; do printf "%s " "$(readlink /proc/self/ns/$n)"; done'
out=$OUT
want=$(ns_links "$C1")
if [ "$RC" = 0 ] && [ "$out" = "$want" ] && [ "$want" != "$(ns_links $$)" ]; then ok container_namespaces
else fail container_namespaces "rc=$RC session '$out', container '$want'"; fi

# container_write: a file written in the session is in the container's rootfs, not on the host.
f=/tmp/nsshd-ctr-$TEST_ID
rm -f "$f" "$C1ROOT$f"
in_c1 "echo written-inside >$f"
out=$OUT
if [ "$RC" = 0 ] && [ "$(cat "$C1ROOT$f" 2>/dev/null)" = written-inside ] && [ ! -e "$f" ] &&
	[ "$(stat -c %u "$C1ROOT$f")" = 2345 ]; then
	ok container_write
else fail container_write "rc=$RC; in the rootfs: '$(cat "$C1ROOT$f" 2>&1)'; on the host: $(ls -l "$f" 2>&1)"; fi
rm -f "$f" "$C1ROOT$f"

# container_exit: exit codes come back through the relay.
in_c1 'exit 7'
rc1=$RC
in_c1 'true'
rc2=$RC
if [ "$rc1" = 7 ] && [ "$rc2" = 0 ]; then ok container_exit
else fail container_exit "exit 7 gave $rc1, true gave $rc2"; fi

# container_pty: with -tt the pty comes from the container's own devpts (/dev/pts/0 there).
out=$(ssh_to -tt nsshd-t1 'tty; ls -1 /dev/pts' </dev/null | tr -d '\r')
RC=$?
first=$(head -n 1 <<<"$out")
if [ "$RC" = 0 ] && [ "$first" = /dev/pts/0 ] && [ "$(tail -n +2 <<<"$out" | tr '\n' ' ')" = "0 ptmx " ]; then
	ok container_pty
else fail container_pty "rc=$RC output '$out' (want /dev/pts/0 and a devpts holding only 0 and ptmx)"; fi

# container_relay_hidden: while a session runs, root inside the container cannot see or read
# the relay that nsshd leaves on the host (it is outside the pid namespace and not dumpable).
ssh_to nsshd-t1 'echo $$ >/tmp/nsshd-ctr-sess; exec sleep 30' </dev/null >/dev/null &
sess_ssh=$!
bg_track "$sess_ssh"
wait_for 10 test -s "$C1ROOT/tmp/nsshd-ctr-sess"
inner=$(cat "$C1ROOT/tmp/nsshd-ctr-sess" 2>/dev/null)
shell=
for s in /proc/[0-9]*/status; do
	if [ "$(awk '/^NSpid:/ { print $NF }' "$s" 2>/dev/null)" = "$inner" ] &&
		[ "$(readlink "${s%/status}/ns/pid")" = "$(readlink "/proc/$C1/ns/pid")" ]; then
		shell=$(basename "${s%/status}")
		break
	fi
done
relay=$(awk '/^PPid:/ { print $2 }' "/proc/$shell/status" 2>/dev/null)
if [ -z "$inner" ] || [ -z "$shell" ] || [ -z "$relay" ]; then
	fail container_relay_hidden "could not find the session (inner pid '$inner', host pid '$shell', relay '$relay')"
else
	exe=$(nsenter -t "$C1" -a -r -w readlink "/proc/$relay/exe" 2>/dev/null)
	env_ok=$(nsenter -t "$C1" -a -r -w cat "/proc/$relay/environ" 2>/dev/null | wc -c)
	host_exe=$(readlink "/proc/$relay/exe")
	if [ -z "$exe" ] && [ "$env_ok" = 0 ] && [ -n "$host_exe" ]; then ok container_relay_hidden
	else fail container_relay_hidden "root inside read /proc/$relay/exe as '$exe' (host: '$host_exe'), environ $env_ok bytes"; fi	# ptrace (and kill) need the PID in the caller's pid namespace: from inside, the relay's
	# PID names nothing (busybox kill -0 fails), so root there cannot attach to it.
	# (Container PIDs here are small; the relay's host PID is not one of them.)
	if nsenter -t "$C1" -a -r -w kill -0 "$relay" 2>/dev/null; then
		fail container_relay_untraceable "root inside can signal the relay (host pid $relay)"
	else ok container_relay_untraceable; fi
fi
rm -f "$C1ROOT/tmp/nsshd-ctr-sess"
kill_tree "$sess_ssh"

# container_stopped: a stopped container gives a clear error and a non-zero exit.
stop_container "$C1"
t0=$(date +%s)
in_c1 true
if [ "$RC" != 0 ] && says 'not running' && [ $(($(date +%s) - t0)) -lt 20 ]; then
	ok container_stopped
else fail container_stopped "rc=$RC stderr '$(cat "$T/last.err")'"; fi

# container_restarted: pidfile: target; a container restarted with a new PID is found again.
C2=$(start_container nsshd-c2) || fail container_restarted "could not start container 2"
point_t2 "$C2"
in_t2 hostname
out1=$OUT
rc1=$RC
stop_container "$C2"
C2B=$(start_container nsshd-c2) || fail container_restarted "could not restart container 2"
point_t2 "$C2B"
in_t2 'hostname; readlink /proc/self/ns/pid'
out2=$OUT
if [ "$rc1" = 0 ] && [ "$out1" = nsshd-c2 ] && [ "$RC" = 0 ] && [ "$C2B" != "$C2" ] &&
	[ "$out2" = "$(printf 'nsshd-c2\n%s' "$(readlink "/proc/$C2B/ns/pid")")" ]; then
	ok container_restarted
else fail container_restarted "first '$out1' rc=$rc1, after the restart '$out2' rc=$RC"; fi

# container_pid_reused: a target whose PID now belongs to another process (start time changed)
# is refused. The test hook makes the worker see a changed start time.
if [ "$NSSHD_TEST_HOOKS" = 1 ]; then
	out=$(ssh_to -o SetEnv=NSSHD_TEST_HOOK=stale-target nsshd-t2 hostname </dev/null)
	RC=$?
	if [ "$RC" != 0 ] && [ -z "$out" ] && says 'changed (PID reused)'; then
		ok container_pid_reused
	else fail container_pid_reused "rc=$RC output '$out' stderr '$(cat "$T/last.err")'"; fi
else
	skip container_pid_reused "needs a build with --enable-test-hooks"
fi
stop_container "$C2B"

# container_chroot: a chroot-style container (its mount namespace's root is the host's /):
# the session still lands in the container's root.
C3=$(start_container nsshd-c3 --chroot) || fail container_chroot "could not start it"
point_t2 "$C3"
in_t2 'hostname; ls /'
out=$OUT
if [ "$RC" = 0 ] && [ "$(head -n 1 <<<"$out")" = nsshd-c3 ] && grep -qx "$ROOTFS_MARKER" <<<"$out" &&
	[ "$(readlink "/proc/$C3/root")" = "$ROOTFS" ]; then
	ok container_chroot
else fail container_chroot "rc=$RC got '$out'"; fi
stop_container "$C3"

# container_userns: a container with its own user namespace.
C4=$(start_container nsshd-c4 --userns) || fail container_userns "could not start it"
point_t2 "$C4"
in_t2 'id -u; readlink /proc/self/ns/user; hostname'
out=$OUT
want=$(printf '2345\n%s\nnsshd-c4' "$(readlink "/proc/$C4/ns/user")")
if [ "$RC" = 0 ] && [ "$out" = "$want" ]; then ok container_userns
else fail container_userns "rc=$RC got '$out', want '$want'"; fi
stop_container "$C4"

# bad_passwd NAME SETUP-COMMAND: a container whose rootfs copy was changed by SETUP-COMMAND
# (run with the copy as $1); the login must fail within seconds with REASON in its message.
bad_passwd() {
	local name=$1 setup=$2 reason=$3 root=$T/rootfs-$1 pid t0 took
	copy_rootfs "$root" && bash -c "$setup" setup "$root" ||
		{ fail "$name" "could not prepare the rootfs"; return; }
	pid=$(start_container "nsshd-bad" --rootfs "$root") || { fail "$name" "could not start it"; return; }
	point_t2 "$pid"
	t0=$(date +%s)
	in_t2 id -u
	out=$OUT
	took=$(($(date +%s) - t0))
	if [ "$RC" != 0 ] && [ -z "$out" ] && says "$reason" && [ "$took" -lt 15 ] &&
		proc_running "$pid"; then
		ok "$name"
	else fail "$name" "rc=$RC in ${took}s, output '$out', stderr '$(cat "$T/last.err")'"; fi
	stop_container "$pid"
	rm -rf "$root"
}

# container_passwd_symlink: /etc/passwd is a symlink (to /etc/shadow): refused, not followed.
bad_passwd container_passwd_symlink \
	'cp /etc/shadow "$1/etc/shadow" 2>/dev/null || echo "cuser:x:2345:2345::/:/bin/sh" >"$1/etc/shadow";
	 rm "$1/etc/passwd" && ln -s /etc/shadow "$1/etc/passwd"' 'not a regular file'
# container_passwd_fifo: /etc/passwd is a FIFO nobody writes to: refused at once, no hang.
bad_passwd container_passwd_fifo 'rm "$1/etc/passwd" && mkfifo "$1/etc/passwd"' 'not a regular file'

# container_nsswitch: a container nsswitch.conf naming a module that would run code if loaded
# has no effect: the user is still found and the module never runs.
root5=$T/rootfs-nss
if copy_rootfs "$root5"; then
	printf 'passwd: nsshdbogus\ngroup: nsshdbogus\nshadow: nsshdbogus\n' >"$root5/etc/nsswitch.conf"
	loaded=$T/nss-loaded
	if command -v gcc >/dev/null; then
		mkdir -p "$root5/lib/x86_64-linux-gnu" "$root5/lib64"
		printf '#include <fcntl.h>\n__attribute__((constructor)) static void c(void) { open("%s", O_CREAT|O_WRONLY, 0600); }\n' \
			"$loaded" >"$T/nss.c"
		for d in lib/x86_64-linux-gnu lib64 lib; do
			gcc -shared -fPIC -o "$root5/$d/libnss_nsshdbogus.so.2" "$T/nss.c" 2>/dev/null
		done
	fi
	C5=$(start_container nsshd-c5 --rootfs "$root5") || fail container_nsswitch "could not start it"
	point_t2 "$C5"
	in_t2 'id -u'
	out=$OUT
	if [ "$RC" = 0 ] && [ "$out" = 2345 ] && [ ! -e "$loaded" ] && [ ! -e "$root5$loaded" ]; then
		ok container_nsswitch
	else fail container_nsswitch "rc=$RC id -u '$out'; module loaded: $(ls "$loaded" "$root5$loaded" 2>/dev/null)"; fi
	stop_container "$C5"
	rm -rf "$root5"
else
	fail container_nsswitch "could not copy the rootfs"
fi

# The per-user options, with a fresh server and container: nsshd-t1 gets
# ContainerNamespaces without net, ContainerEnvironment none and ContainerWorkdir /tmp;
# nsshd-t2 the defaults (inherit the init's environment, all namespaces, the home).
export NSSHD_CTR_ENV=from-the-container-init
C6=$(start_container nsshd-c6) || fail container_options "could not start it"
unset NSSHD_CTR_ENV
stop_server
authorize_root
start_server "PermitRootLogin yes" "AuthorizedKeysFile .ssh/authorized_keys $T/authkeys/%u" \
	"Match User root" "ContainerTarget pid:$C6" \
	"Match User nsshd-t1" "ContainerTarget pid:$C6" "ContainerUser cuser" \
	"ContainerNamespaces mnt uts ipc pid cgroup" "ContainerEnvironment none" \
	"ContainerWorkdir /tmp" \
	"Match User nsshd-t2" "ContainerTarget pid:$C6" "ContainerUser cuser" ||
	fail container_options "server did not start again"
probe='hostname; readlink /proc/self/ns/net; echo "env=${NSSHD_CTR_ENV:-unset} user=$USER"; pwd'
in_t2 "$probe"
want="nsshd-c6
$(readlink "/proc/$C6/ns/net")
env=from-the-container-init user=cuser
/home/cuser"
if [ "$RC" = 0 ] && [ "$OUT" = "$want" ]; then ok container_env_inherit
else fail container_env_inherit "rc=$RC got '$(tr '\n' '|' <<<"$OUT")' want '$(tr '\n' '|' <<<"$want")'"; fi
in_c1 "$probe"
want="nsshd-c6
$(readlink /proc/self/ns/net)
env=unset user=cuser
/tmp"
if [ "$RC" = 0 ] && [ "$OUT" = "$want" ]; then ok container_options
else fail container_options "rc=$RC got '$(tr '\n' '|' <<<"$OUT")' want '$(tr '\n' '|' <<<"$want")'"; fi

# container_root_default: root (uid 0 in the container's passwd too) is not made root inside
# unless ContainerUser says so.
OUT=$(ssh_to root id -u </dev/null)
RC=$?
if [ "$RC" != 0 ] && [ -z "$OUT" ] && says 'ContainerUser'; then ok container_root_default
else fail container_root_default "rc=$RC output '$OUT' stderr '$(cat "$T/last.err")'"; fi
stop_container "$C6"

# container_server_alive: after all that the listener still serves.
if server_alive; then ok container_server_alive
else fail container_server_alive "the listener is gone"; fi

finish
