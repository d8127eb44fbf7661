#!/bin/bash
# t_engines.sh - ContainerTarget docker: and podman: against the real engines from Debian
# (docker.io 20.10 and podman 4.3), end to end.
#
# The script starts each engine itself (no systemd here), privately: its own socket under $T,
# its own state (/var/lib/nsshd-test-docker, /var/lib/nsshd-test-podman, removed at the end)
# and, for Podman, its own containers.conf choosing runc (crun refuses this machine's hybrid
# cgroup v1) with modest ulimits (no process may raise a hard limit here). The image is a
# busybox-static rootfs imported without a registry, with a user cuser (uid 2345) that does
# not exist on the host. nsshd-t1 maps to docker:%u-ws, nsshd-t2 to podman:%u-ws, both with
# ContainerUser cuser; root logs in to the host to show that the server still serves.
#
# For each engine: the target resolves to the engine's PID (target_probe, as the monitor
# resolves it), a login lands in the container (hostname, id -u), a stopped container gives a
# clear 'not running' error and a failed login, and a restarted one (new PID) is found again.
. "$(dirname "$0")/lib.sh"

DOCKER_ROOT=/var/lib/nsshd-test-docker
PODMAN_ROOT=/var/lib/nsshd-test-podman
DOCKER_SOCK=$T/docker.sock
PODMAN_SOCK=$T/podman.sock
DOCKERD_PID=
PODMAN_PID=
PROBE=$NSSHD_BUILD/regress/integration/target_probe
IMAGE=local/nsshd-test

# ---------------------------------------------------------------------------- engines

docker_cli() {
	DOCKER_HOST=unix://$DOCKER_SOCK timeout -k 5 120 /usr/bin/docker "$@"
}

podman_cli() {
	CONTAINERS_CONF=$T/containers.conf timeout -k 5 120 /usr/bin/podman \
		--root "$PODMAN_ROOT" --runroot "$T/podman-run" "$@"
}

# ping SOCKET: the engine on SOCKET answers GET /_ping.
ping() {
	[ "$(curl -s --max-time 2 --unix-socket "$1" http://localhost/_ping 2>/dev/null)" = OK ]
}

# umount_under DIR: lazily unmount everything mounted at or below DIR, deepest first.
umount_under() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts |
		sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
}

# stop_pid PID: SIGTERM, up to 20 s, then SIGKILL; by id.
stop_pid() {
	local i
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

start_dockerd() {
	umount_under "$DOCKER_ROOT"
	rm -rf --one-file-system "$DOCKER_ROOT"
	echo '{}' >"$T/daemon.json"
	setsid /usr/sbin/dockerd --config-file "$T/daemon.json" --iptables=false --bridge=none \
		--data-root "$DOCKER_ROOT" --exec-root "$T/docker-exec" \
		--pidfile "$T/docker.pid" -H "unix://$DOCKER_SOCK" </dev/null >"$T/dockerd.log" 2>&1 &
	DOCKERD_PID=$!
	wait_for 60 ping "$DOCKER_SOCK"
}

start_podman() {
	umount_under "$PODMAN_ROOT"
	rm -rf --one-file-system "$PODMAN_ROOT"
	mkdir -p "$T/podman-tmp"
	cat >"$T/containers.conf" <<-EOF
	[containers]
	default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
	[engine]
	runtime = "runc"
	cgroup_manager = "cgroupfs"
	events_logger = "file"
	tmp_dir = "$T/podman-tmp"
	EOF
	CONTAINERS_CONF=$T/containers.conf setsid /usr/bin/podman --root "$PODMAN_ROOT" \
		--runroot "$T/podman-run" system service --time=0 "unix://$PODMAN_SOCK" \
		</dev/null >"$T/podman.log" 2>&1 &
	PODMAN_PID=$!
	wait_for 60 ping "$PODMAN_SOCK"
}

# engines_stop: remove the containers and images, stop both engines, remove their state.
engines_stop() {
	if [ -n "$DOCKERD_PID" ]; then
		docker_cli rm -f nsshd-t1-ws >/dev/null 2>&1
		docker_cli rmi -f "$IMAGE" >/dev/null 2>&1
		stop_pid "$DOCKERD_PID"
		DOCKERD_PID=
	fi
	if [ -n "$PODMAN_PID" ]; then
		podman_cli rm -f -t 0 nsshd-t2-ws >/dev/null 2>&1
		podman_cli rmi -f "$IMAGE" >/dev/null 2>&1
		stop_pid "$PODMAN_PID"
		PODMAN_PID=
	fi
	for d in "$DOCKER_ROOT" "$PODMAN_ROOT" "${T:-/nonexistent}/docker-exec" \
		"${T:-/nonexistent}/podman-run" "${T:-/nonexistent}/podman-tmp"; do
		umount_under "$d"
		rm -rf --one-file-system "$d"
	done
}
trap 'rc=$?; engines_stop; (exit $rc); cleanup' EXIT

# show_engine_log NAME: the end of an engine's log on stderr.
show_engine_log() {
	[ -s "$T/$1.log" ] || return 0
	echo "#   last lines of $1.log:" >&2
	tail -n 10 "$T/$1.log" | sed 's/^/#   /' >&2
}

# make_rootfs DIR: busybox-static, /etc/passwd and /etc/group with cuser (uid 2345).
make_rootfs() {
	local r=$1 a
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/root" "$r/home/cuser"
	cp /bin/busybox "$r/bin/busybox" || return 1
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\ncuser:x:2345:2345:container user:/home/cuser:/bin/sh\n' \
		>"$r/etc/passwd"
	printf 'root:x:0:\ncuser:x:2345:\n' >"$r/etc/group"
	chown 2345:2345 "$r/home/cuser"
	chmod 1777 "$r/tmp"
}

# ---------------------------------------------------------------------------- preconditions

if [ "$SERVER" != nsshd ]; then
	skip engines "container targets are nsshd's own"
	finish
fi
missing=
for f in /usr/sbin/dockerd /usr/bin/docker /usr/bin/podman /usr/sbin/runc /bin/busybox /usr/bin/curl; do
	[ -x "$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then
	fail engines_setup "missing:$missing (apt-get install docker.io podman runc uidmap busybox-static curl)"
	finish
fi
if [ ! -x "$PROBE" ]; then
	fail engines_setup "no $PROBE (build first)"
	finish
fi

# ---------------------------------------------------------------------------- set-up

make_rootfs "$T/rootfs" || { fail engines_setup "could not make the rootfs"; finish; }

setup "AuthorizedKeysFile .ssh/authorized_keys $T/authkeys/%u" \
	"ContainerEngineSocket docker:$DOCKER_SOCK podman:$PODMAN_SOCK" \
	"Match User nsshd-t1" "	ContainerTarget docker:%u-ws" "	ContainerUser cuser" \
	"Match User nsshd-t2" "	ContainerTarget podman:%u-ws" "	ContainerUser cuser"
authorize_root

# host_serves: root still logs in to the host and runs a command.
host_serves() {
	local out
	SERVING_WHY=
	if ! server_alive; then
		SERVING_WHY="listener (pid ${SERVER_PID:-?}) is gone"
		return 1
	fi
	out=$(ssh_to root echo ok </dev/null)
	[ "$out" = ok ] && return 0
	SERVING_WHY="root 'echo ok' gave '$out': $(tail -n 1 "$T/last.err" 2>/dev/null)"
	return 1
}

# -T -C shows what Match gives a connection.
out=$("$NSSHD_BUILD/nsshd" -T -f "$T/sshd_config" -C user=nsshd-t1,addr=127.0.0.1 2>&1)
if grep -qx 'containertarget docker:%u-ws' <<<"$out" && grep -qx 'containeruser cuser' <<<"$out"
then ok engines_dump_match
else fail engines_dump_match "nsshd -T -C user=nsshd-t1 gave: $(grep -i container <<<"$out")"; fi

# ---------------------------------------------------------------------------- one engine

# engine_suite ENGINE USER CLI: the whole sequence against one engine.
engine_suite() {
	local e=$1 u=$2 cli=$3 name=$2-ws pid pid2 host out rc
	if ! tar -C "$T/rootfs" -c . | $cli import - "$IMAGE" >"$T/$e-import.log" 2>&1; then
		fail "engines_${e}_setup" "$e import failed: $(tail -n 1 "$T/$e-import.log")"
		return
	fi
	if ! $cli run -d --network none --name "$name" "$IMAGE" \
		/bin/sh -c 'while :; do sleep 1; done' >"$T/$e-run.log" 2>&1; then
		fail "engines_${e}_setup" "$e run failed: $(tail -n 1 "$T/$e-run.log")"
		return
	fi
	pid=$($cli inspect -f '{{.State.Pid}}' "$name")
	host=$($cli inspect -f '{{.Config.Hostname}}' "$name")

	# Resolution, as the monitor does it.
	out=$("$PROBE" "$T/sshd_config" "$u" 2>&1)
	if [ "$out" = "container $pid $(awk '{ print $22 }' "/proc/$pid/stat") $name cuser" ]
	then ok "engines_${e}_resolve"
	else fail "engines_${e}_resolve" "target_probe said '$out', $e says pid $pid"; fi

	# A login lands in the container as cuser.
	out=$(ssh_to "$u" hostname </dev/null)
	if [ -n "$host" ] && [ "$out" = "$host" ] &&
		[ "$host" = "$($cli inspect -f '{{.Id}}' "$name" | cut -c1-12)" ]
	then ok "engines_${e}_hostname"
	else fail "engines_${e}_hostname" "hostname '$out', the container's is '$host'"; fi
	out=$(ssh_to "$u" id -u </dev/null)
	if [ "$out" = 2345 ]; then ok "engines_${e}_uid"
	else fail "engines_${e}_uid" "id -u gave '$out', want 2345"; fi

	# Stopped: a clear error, a failed login, the server serves on.
	$cli stop -t 1 "$name" >/dev/null 2>&1
	out=$("$PROBE" "$T/sshd_config" "$u" 2>&1)
	rc=$?
	if [ "$rc" = 1 ] && [ "$out" = "container \"$name\" is not running" ]
	then ok "engines_${e}_stopped_resolve"
	else fail "engines_${e}_stopped_resolve" "rc=$rc '$out'"; fi
	out=$(ssh_to "$u" hostname </dev/null)
	rc=$?
	if [ "$rc" != 0 ] && grep -q 'not running' "$T/last.err"
	then ok "engines_${e}_stopped_login"
	else fail "engines_${e}_stopped_login" "rc=$rc output '$out' stderr '$(tail -n 1 "$T/last.err")'"; fi
	if host_serves; then ok "engines_${e}_still_serving"
	else fail "engines_${e}_still_serving" "$SERVING_WHY"; fi

	# Restarted: a new PID, found again.
	$cli start "$name" >/dev/null 2>&1
	pid2=$($cli inspect -f '{{.State.Pid}}' "$name")
	out=$("$PROBE" "$T/sshd_config" "$u" 2>&1)
	if [ "$pid2" != "$pid" ] && [ "$pid2" != 0 ] && [ "${out#container $pid2 }" != "$out" ]
	then ok "engines_${e}_restarted_resolve"
	else fail "engines_${e}_restarted_resolve" "target_probe said '$out', $e says pid $pid2 (was $pid)"; fi
	out=$(ssh_to "$u" hostname </dev/null)
	if [ "$out" = "$host" ]; then ok "engines_${e}_restarted_login"
	else fail "engines_${e}_restarted_login" "hostname '$out', want '$host'"; fi
}

if start_dockerd; then
	engine_suite docker nsshd-t1 docker_cli
else
	show_engine_log dockerd
	fail engines_docker_setup "dockerd did not answer /_ping on $DOCKER_SOCK within 60 s"
fi
if start_podman; then
	engine_suite podman nsshd-t2 podman_cli
else
	show_engine_log podman
	fail engines_podman_setup "podman system service did not answer /_ping on $PODMAN_SOCK within 60 s"
fi

if host_serves; then ok engines_still_serving
else fail engines_still_serving "$SERVING_WHY"; fi
engines_stop
finish
