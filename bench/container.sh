#!/usr/bin/env bash
#
# bench/container.sh - login latency into a container target, against the host target and
# against the engines' own `exec`, in one run, on loopback.
#
# Starts, privately (own data roots, own API sockets, no systemd), dockerd and Podman's API
# service (`podman system service`), imports a busybox rootfs as an image without any
# registry, runs one container per engine (a `sleep` loop as init, --network none), starts
# nsshd with
#     Match User nsshbench-c   ContainerTarget docker:nsshbench-docker  ContainerUser cuser
#     Match User nsshbench-p   ContainerTarget podman:nsshbench-podman  ContainerUser cuser
# and measures, interleaved, the wall time of
#     a. ssh nsshbench-h@host true       (host target)
#     b. ssh nsshbench-c@host true       (into the docker container)
#     c. ssh nsshbench-p@host true       (into the podman container)
#     d. docker exec NAME true           (through dockerd's private socket)
#     e. podman --url unix://... exec NAME true   (through the API service's socket)
#     f. podman exec NAME true           (local podman, no API service; for reference)
# prints a table with median and p90 and the ratios, and appends it, with the machine, the
# engine versions and the command line, to bench/RESULTS.md.  See bench/README.md.
#
# Usage: bench/container.sh [--quick] [--runs N] [--nsshd PATH] [--build-dir DIR]
#                           [--no-record] [--keep]
# Must run as root (starts the engines and nsshd, creates the bench users).

set -uo pipefail
export LC_ALL=C

ORIG_ARGS=("$@")
SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$SELF_DIR/lib.sh"	# SRC_ROOT, RESULTS and the shared defaults (QUICK, NSSHD_BIN, ...)

RUNS=
WARMUP=3

HOST_USER=nsshbench-h		# no ContainerTarget: lands on the host
DOCKER_USER=nsshbench-c		# ContainerTarget docker:$DOCKER_CT
PODMAN_USER=nsshbench-p		# ContainerTarget podman:$PODMAN_CT
BENCH_USERS=("$HOST_USER" "$DOCKER_USER" "$PODMAN_USER")
DOCKER_CT=nsshbench-docker
PODMAN_CT=nsshbench-podman
IMAGE=local/nsshd-bench
CUSER_UID=2345			# cuser in the image; does not exist on the host
DOCKER_ROOT=/var/lib/nsshd-bench-docker
PODMAN_ROOT=/var/lib/nsshd-bench-podman
LAT_CIPHER=chacha20-poly1305@openssh.com
CALL_TIMEOUT=60			# seconds for one timed call

usage() {
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0" | sed '/^$/q'
	cat <<'EOF'
Options:
  --quick          10 runs per figure instead of 30
  --runs N         timed runs per figure (default 30, --quick 10), after 3 warm-ups each
EOF
	bench_usage_nsshd 17
	cat <<'EOF'
  --no-record      do not append to bench/RESULTS.md
  --keep           keep the temporary directory (configs, logs; the engines' state is
                   removed all the same)
EOF
}

script_opt() {	# this script's own options (bench_parse_args)
	case $1 in
	--runs) RUNS=${2:?--runs needs an argument}; BENCH_SHIFT=2 ;;
	--runs=*) RUNS=${1#*=} ;;
	*) return 1 ;;
	esac
}
bench_parse_args container.sh "$@"

if [ "$QUICK" = 1 ]; then : "${RUNS:=10}"; MODE=quick; else : "${RUNS:=30}"; MODE=full; fi
case $RUNS in ''|*[!0-9]*|0) echo "container.sh: --runs takes a positive number" >&2; exit 2 ;; esac

# log goes to the script's own stderr, saved as fd 9: a trap can run while a timed call has
# fd 2 redirected to its error file (fd 9 is closed for the daemons started below)
exec 9>&2
log() { printf '[bench-ct %s] %s\n' "$(date +%H:%M:%S)" "$*" >&9; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (starts dockerd, podman and nsshd, creates bench users)"

# ---------------------------------------------------------------- cleanup

TMP=
NSSHD_PID=
DOCKERD_PID=
PODMAN_PID=

# umount_under DIR: lazily unmount everything mounted at or below DIR, deepest first.
umount_under() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts |
		sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
}

# leftovers: PIDs of processes whose command line names our private paths (a container shim
# or conmon that outlived its engine), with their descendants.
leftovers() {
	local f p c pids=() args=()
	for f in /proc/[0-9]*/cmdline; do
		p=${f#/proc/}; p=${p%/cmdline}
		[ "$p" = $$ ] && continue
		mapfile -d '' args 2>/dev/null <"$f" || continue	# no child processes here
		c=" ${args[*]} "
		case $c in
		*"$DOCKER_ROOT"*|*"$PODMAN_ROOT"*|*"${TMP:-/nonexistent-nsshd-bench}/"*) pids+=("$p") ;;
		esac
	done
	for p in "${pids[@]}"; do echo "$p"; descendants "$p"; done | sort -un
}

docker_cli() {	# docker_cli SECONDS ARGS... : the docker client on our private socket
	local to=$1; shift
	timeout -k 5 "$to" /usr/bin/docker -H "unix://$TMP/docker.sock" "$@"
}
podman_local() {	# podman_local SECONDS ARGS... : local podman on our private storage
	local to=$1; shift
	CONTAINERS_CONF=$TMP/containers.conf timeout -k 5 "$to" /usr/bin/podman \
		--root "$PODMAN_ROOT" --runroot "$TMP/podman-run" "$@"
}
podman_remote() {	# podman_remote SECONDS ARGS... : podman client through the API socket
	local to=$1; shift
	timeout -k 5 "$to" /usr/bin/podman --url "unix://$TMP/podman.sock" "$@"
}

cleanup() {
	local rc=$? u d left
	trap - EXIT
	trap '' INT TERM HUP	# the clean-up is bounded; a second Ctrl-C must not cut it short
	[ -n "$NSSHD_PID" ] && stop_tree "$NSSHD_PID"
	if [ -n "$DOCKERD_PID" ]; then
		docker_cli 30 rm -f "$DOCKER_CT" >/dev/null 2>&1
		docker_cli 30 rmi -f "$IMAGE" >/dev/null 2>&1
		kill_pids_within 20 "$DOCKERD_PID"	# takes its own containerd with it
		wait "$DOCKERD_PID" 2>/dev/null
	fi
	if [ -n "$PODMAN_PID" ]; then
		podman_local 30 rm -f -t 0 "$PODMAN_CT" >/dev/null 2>&1
		podman_local 30 rmi -f "$IMAGE" >/dev/null 2>&1
		kill_pids_within 20 "$PODMAN_PID"
		wait "$PODMAN_PID" 2>/dev/null
	fi
	if [ -n "$TMP" ]; then
		left=$(leftovers)
		if [ -n "$left" ]; then
			# expected: the conmon pairs of the API service's exec sessions, which podman
			# keeps for 300 s (--exit-delay 300) before running their cleanup command
			# shellcheck disable=SC2086
			log "ending $(wc -w <<<"$left") leftover processes by PID ($(ps -o comm= -p "$(echo $left | tr ' ' ,)" 2>/dev/null | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }'))"
			# shellcheck disable=SC2086
			kill_pids $left
		fi
	fi
	for d in "$DOCKER_ROOT" "$PODMAN_ROOT"; do
		umount_under "$d"
		rm -rf --one-file-system "$d" 2>/dev/null || log "could not remove $d"
	done
	bench_remove_users
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		umount_under "$TMP"
		if [ "$KEEP" = 1 ]; then
			rm -rf --one-file-system "$TMP/rootfs" "$TMP/docker-exec" "$TMP/podman-run" "$TMP/podman-tmp"
			log "kept $TMP"
		else
			rm -rf --one-file-system "$TMP"
		fi
	fi
	exit $rc
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM HUP

# ---------------------------------------------------------------- prerequisites

missing=
for f in /usr/sbin/dockerd /usr/bin/docker /usr/bin/podman /usr/sbin/runc /bin/busybox \
	/usr/bin/curl /usr/bin/ssh /usr/bin/ssh-keygen; do
	[ -x "$f" ] || missing="$missing $f"
done
[ -z "$missing" ] ||
	die "missing:$missing (apt-get install docker.io podman runc uidmap busybox-static curl openssh-client)"
command -v ss >/dev/null || die "missing ss (apt-get install iproute2)"

bench_tmpdir nsshd-bench-ct

bench_nsshd	# and its privsep user (bench/lib.sh)

# the bench users (bench/lib.sh), one Ed25519 key made for this run in each
# ~/.ssh/authorized_keys.  The container users authenticate on the host like any other; their
# sessions then run as cuser inside the container.
bench_client_key nsshd-bench-ct
for u in "${BENCH_USERS[@]}"; do bench_user "$u"; done

# ---------------------------------------------------------------- engines

ping_sock() {	# ping_sock SOCKET : the engine on SOCKET answers GET /_ping
	[ "$(curl -s --max-time 2 --unix-socket "$1" http://localhost/_ping 2>/dev/null)" = OK ]
}

wait_for() {	# wait_for SECONDS COMMAND... : poll every 0.2 s
	local limit=$1
	shift
	for _ in $(seq $((limit * 5))); do
		"$@" && return 0
		sleep 0.2
	done
	"$@"
}

# make_rootfs DIR: busybox-static, /etc/passwd and /etc/group with cuser (uid 2345), as
# regress/integration/t_engines.sh makes it.
make_rootfs() {
	local r=$1 a
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/root" "$r/home/cuser"
	cp /bin/busybox "$r/bin/busybox" || return 1
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\ncuser:x:%s:%s:container user:/home/cuser:/bin/sh\n' \
		"$CUSER_UID" "$CUSER_UID" >"$r/etc/passwd"
	printf 'root:x:0:\ncuser:x:%s:\n' "$CUSER_UID" >"$r/etc/group"
	chown "$CUSER_UID:$CUSER_UID" "$r/home/cuser"
	chmod 1777 "$r/tmp"
}

for d in "$DOCKER_ROOT" "$PODMAN_ROOT"; do
	if [ -e "$d" ]; then
		log "removing the state of an earlier run: $d"
		umount_under "$d"
		rm -rf --one-file-system "$d" || die "cannot remove $d"
	fi
done
make_rootfs "$TMP/rootfs" || die "could not make the rootfs"
tar -C "$TMP/rootfs" -c . >"$TMP/rootfs.tar" || die "tar of the rootfs failed"

log "starting dockerd (data root $DOCKER_ROOT, socket $TMP/docker.sock)"
echo '{}' >"$TMP/daemon.json"
setsid /usr/sbin/dockerd --config-file "$TMP/daemon.json" --iptables=false --bridge=none \
	--data-root "$DOCKER_ROOT" --exec-root "$TMP/docker-exec" \
	--pidfile "$TMP/docker.pid" -H "unix://$TMP/docker.sock" </dev/null >"$TMP/dockerd.log" 2>&1 9>&- &
DOCKERD_PID=$!

# Podman: its own containers.conf choosing runc (crun refuses this machine's hybrid cgroup v1)
# with modest ulimits (no process may raise a hard limit here), as t_engines.sh does
log "starting podman system service (root $PODMAN_ROOT, socket $TMP/podman.sock)"
mkdir -p "$TMP/podman-tmp"
cat >"$TMP/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$TMP/podman-tmp"
EOF
CONTAINERS_CONF=$TMP/containers.conf setsid /usr/bin/podman --root "$PODMAN_ROOT" \
	--runroot "$TMP/podman-run" system service --time=0 "unix://$TMP/podman.sock" \
	</dev/null >"$TMP/podman.log" 2>&1 9>&- &
PODMAN_PID=$!

wait_for 60 ping_sock "$TMP/docker.sock" ||
	{ tail -10 "$TMP/dockerd.log" >&2; die "dockerd did not answer /_ping within 60 s"; }
wait_for 60 ping_sock "$TMP/podman.sock" ||
	{ tail -10 "$TMP/podman.log" >&2; die "podman system service did not answer /_ping within 60 s"; }

docker_cli 120 import - "$IMAGE" <"$TMP/rootfs.tar" >"$TMP/docker-import.log" 2>&1 ||
	{ tail -3 "$TMP/docker-import.log" >&2; die "docker import failed"; }
podman_local 120 import - "$IMAGE" <"$TMP/rootfs.tar" >"$TMP/podman-import.log" 2>&1 ||
	{ tail -3 "$TMP/podman-import.log" >&2; die "podman import failed"; }
docker_cli 120 run -d --network none --name "$DOCKER_CT" "$IMAGE" \
	/bin/sh -c 'while :; do sleep 1; done' >"$TMP/docker-run.log" 2>&1 ||
	{ tail -3 "$TMP/docker-run.log" >&2; die "docker run failed"; }
podman_local 120 run -d --network none --name "$PODMAN_CT" "$IMAGE" \
	/bin/sh -c 'while :; do sleep 1; done' >"$TMP/podman-run.log" 2>&1 ||
	{ tail -3 "$TMP/podman-run.log" >&2; die "podman run failed"; }
DOCKER_HOSTNAME=$(docker_cli 30 inspect -f '{{.Config.Hostname}}' "$DOCKER_CT")
PODMAN_HOSTNAME=$(podman_local 30 inspect -f '{{.Config.Hostname}}' "$PODMAN_CT")
log "containers: $DOCKER_CT (pid $(docker_cli 30 inspect -f '{{.State.Pid}}' "$DOCKER_CT"), hostname $DOCKER_HOSTNAME), $PODMAN_CT (pid $(podman_local 30 inspect -f '{{.State.Pid}}' "$PODMAN_CT"), hostname $PODMAN_HOSTNAME)"

# ---------------------------------------------------------------- nsshd

PORT=$(free_port) || die "no free port"
# the configuration of bench/lib.sh (that of bench/run.sh), plus the container targets
bench_sshd_config "$TMP" "$PORT" "$TMP/nsshd.pid" "# written by bench/container.sh" nsshd-bench-ct-host \
	"ContainerEngineSocket docker:$TMP/docker.sock podman:$TMP/podman.sock" \
	"Match User $DOCKER_USER" \
	"	ContainerTarget docker:$DOCKER_CT" \
	"	ContainerUser cuser" \
	"Match User $PODMAN_USER" \
	"	ContainerTarget podman:$PODMAN_CT" \
	"	ContainerUser cuser"
chmod 0600 "$TMP/sshd_config"

"$NSSHD_BIN" -D -e -f "$TMP/sshd_config" >"$TMP/nsshd.log" 2>&1 </dev/null 9>&- &
NSSHD_PID=$!
bench_wait_listen nsshd "$NSSHD_PID" "$PORT" "$TMP/nsshd.log" || { NSSHD_PID=; die "nsshd exited at start"; }

bench_ssh_opts
SSH_OPTS=("${BENCH_SSH_OPTS[@]}" -p "$PORT" -c "$LAT_CIPHER")

# (replaces bench/lib.sh's sshc, which takes a server name: here one server, several users)
sshc() {	# sshc USER TIMEOUT COMMAND... : a bounded client call
	local u=$1 to=$2; shift 2
	env -u SSH_AUTH_SOCK timeout -k 5 "$to" /usr/bin/ssh "${SSH_OPTS[@]}" -l "$u" 127.0.0.1 "$@"
}

# every path lands where it should before anything is timed
check() {	# check WHAT GOT WANT
	[ "$2" = "$3" ] || { tail -10 "$TMP/nsshd.log" >&2; die "$1: got '$2', want '$3'"; }
}
check "host login (hostname)" "$(sshc "$HOST_USER" 30 hostname </dev/null 2>&1)" "$(hostname)"
check "host login (id -un)" "$(sshc "$HOST_USER" 30 id -un </dev/null 2>&1)" "$HOST_USER"
check "docker login (hostname)" "$(sshc "$DOCKER_USER" 30 hostname </dev/null 2>&1)" "$DOCKER_HOSTNAME"
check "docker login (id -u)" "$(sshc "$DOCKER_USER" 30 id -u </dev/null 2>&1)" "$CUSER_UID"
check "podman login (hostname)" "$(sshc "$PODMAN_USER" 30 hostname </dev/null 2>&1)" "$PODMAN_HOSTNAME"
check "podman login (id -u)" "$(sshc "$PODMAN_USER" 30 id -u </dev/null 2>&1)" "$CUSER_UID"
check "docker exec (hostname)" "$(docker_cli 30 exec "$DOCKER_CT" hostname </dev/null 2>&1)" "$DOCKER_HOSTNAME"
check "podman --url exec (hostname)" "$(podman_remote 30 exec "$PODMAN_CT" hostname </dev/null 2>&1)" "$PODMAN_HOSTNAME"
check "podman local exec (hostname)" "$(podman_local 30 exec "$PODMAN_CT" hostname </dev/null 2>&1)" "$PODMAN_HOSTNAME"
log "nsshd: pid $NSSHD_PID, 127.0.0.1:$PORT; host, docker and podman logins and execs land where they should"

# ---------------------------------------------------------------- measurement

KEYS=(ssh_host ssh_docker ssh_podman docker_exec podman_exec podman_local)
declare -A LABEL=(
	[ssh_host]="nsshd: \`ssh host true\`, host target ($HOST_USER)"
	[ssh_docker]="nsshd: \`ssh host true\` into the docker container ($DOCKER_USER)"
	[ssh_podman]="nsshd: \`ssh host true\` into the podman container ($PODMAN_USER)"
	[docker_exec]="\`docker -H unix://... exec $DOCKER_CT true\`"
	[podman_exec]="\`podman --url unix://... exec $PODMAN_CT true\` (API service)"
	[podman_local]="\`podman exec $PODMAN_CT true\` (local, no service; reference)"
)
declare -A TAG=([ssh_host]=a [ssh_docker]=b [ssh_podman]=c [docker_exec]=d [podman_exec]=e [podman_local]=f)

run_one() {	# run_one KEY : one call, output discarded
	case $1 in
	ssh_host) sshc "$HOST_USER" "$CALL_TIMEOUT" true ;;
	ssh_docker) sshc "$DOCKER_USER" "$CALL_TIMEOUT" true ;;
	ssh_podman) sshc "$PODMAN_USER" "$CALL_TIMEOUT" true ;;
	docker_exec) docker_cli "$CALL_TIMEOUT" exec "$DOCKER_CT" true ;;
	podman_exec) podman_remote "$CALL_TIMEOUT" exec "$PODMAN_CT" true ;;
	podman_local) podman_local "$CALL_TIMEOUT" exec "$PODMAN_CT" true ;;
	esac </dev/null >/dev/null 2>>"$TMP/lat.$1.err"
}

log "warm-up: $WARMUP calls each"
for k in "${KEYS[@]}"; do
	: >"$TMP/lat.$k"
	for _ in $(seq "$WARMUP"); do run_one "$k"; done
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "timing: $RUNS rounds of all ${#KEYS[@]} calls, interleaved, the order rotated each round"
declare -A FAILS=()
n=${#KEYS[@]}
for r in $(seq 0 $((RUNS - 1))); do
	for j in $(seq 0 $((n - 1))); do
		k=${KEYS[$(((r + j) % n))]}
		if time_us run_one "$k"; then
			echo "$TIME_US" >>"$TMP/lat.$k"
		else
			FAILS[$k]=$((${FAILS[$k]:-0} + 1))
		fi
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

declare -A MED=() P90=()
for k in "${KEYS[@]}"; do
	[ -n "${FAILS[$k]:-}" ] &&
		log "$k: ${FAILS[$k]} of $RUNS calls failed: $(tail -1 "$TMP/lat.$k.err" 2>/dev/null)"
	[ -s "$TMP/lat.$k" ] || continue
	MED[$k]=$(ms_median "$TMP/lat.$k")
	P90[$k]=$(ms_p90 "$TMP/lat.$k")
done

# ---------------------------------------------------------------- report

ratio_row() {	# ratio_row LABEL KEY_A KEY_B AIM : one row (median and p90 ratios)
	local m p v=
	m=$(ratio "${MED[$2]:-}" "${MED[$3]:-}")
	p=$(ratio "${P90[$2]:-}" "${P90[$3]:-}")
	if [ "$4" = "< 1" ] && [ "$m" != - ]; then
		awk -v r="$m" 'BEGIN { exit !(r >= 1) }' && v=" (missed)"
	fi
	printf '| %s | %s%s | %s | %s |\n' "$1" "$m" "$v" "$p" "$4"
}

table() {
	local k
	echo "| | call | median ms | p90 ms | ok runs |"
	echo "| --- | --- | ---: | ---: | ---: |"
	for k in "${KEYS[@]}"; do
		printf '| %s | %s | %s | %s | %s/%s |\n' "${TAG[$k]}" "${LABEL[$k]}" "${MED[$k]:-n/a}" \
			"${P90[$k]:-n/a}" "$(wc -l <"$TMP/lat.$k")" "$RUNS"
	done
	echo
	echo "| ratio | median | p90 | aim |"
	echo "| --- | ---: | ---: | --- |"
	ratio_row "b/a: nsshd into docker container / host target" ssh_docker ssh_host "(cost of the container)"
	ratio_row "c/a: nsshd into podman container / host target" ssh_podman ssh_host "(cost of the container)"
	ratio_row "b/d: nsshd into docker container / \`docker exec\`" ssh_docker docker_exec "< 1"
	ratio_row "c/e: nsshd into podman container / \`podman --url exec\`" ssh_podman podman_exec "< 1"
	ratio_row "c/f: nsshd into podman container / local \`podman exec\`" ssh_podman podman_local "< 1"
}

TABLE=$(table)
echo
echo "$TABLE"
echo

if [ "$RECORD" = 1 ]; then
	dver=$(docker_cli 30 version --format 'client {{.Client.Version}} (API {{.Client.APIVersion}}), server {{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null)
	pver=$(podman_remote 30 version --format 'client {{.Client.Version}}, server {{.Server.Version}}' 2>/dev/null)
	{
		[ -s "$RESULTS" ] || printf '# nsshd benchmark results\n\nAppended by `bench/run.sh` and `bench/container.sh`; see `bench/README.md` for what is measured and how.\n'
		echo
		echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — container targets (bench/container.sh), $MODE run"
		echo
		echo "- command: \`$(bench_command container.sh)\`"
		echo "- machine: $(bench_machine), load average $LOAD_BEFORE before the timed runs, $LOAD_AFTER after"
		echo "- docker: ${dver:-?} (docker.io $(bench_pkg_version docker.io)), $(containerd --version 2>/dev/null | awk '{ print "containerd " $3 }'), $(runc --version 2>/dev/null | head -1); dockerd with --iptables=false --bridge=none, private data root and socket"
		echo "- podman: ${pver:-?} (podman $(bench_pkg_version podman)), $(conmon --version 2>/dev/null | head -1), runtime runc, cgroupfs, \`podman system service --time=0\` on a private socket and storage"
		echo "- OpenSSH client: $(ssh -V 2>&1), pinned to curve25519-sha256, ssh-ed25519, $LAT_CIPHER, ControlMaster off"
		echo "- nsshd: $(bench_nsshd_desc); UsePAM no, LogLevel INFO, Ed25519 host key"
		echo "- image: busybox-static rootfs imported with \`import\` (no registry), user cuser (uid $CUSER_UID, /bin/sh); containers \`--network none\`, init \`/bin/sh -c 'while :; do sleep 1; done'\`; ContainerUser cuser, the engine's PID looked up on every login through the engine's API socket"
		echo "- $RUNS timed calls per row after $WARMUP warm-ups, the six calls interleaved in a rotating order; wall time around the client command (\`\$EPOCHREALTIME\`); p90 nearest rank"
		echo
		echo "$TABLE"
	} >>"$RESULTS"
	log "appended to $RESULTS"
fi
exit 0
