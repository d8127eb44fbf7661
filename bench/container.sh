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
SRC_ROOT=$(cd "$SELF_DIR/.." && pwd)
. "$SELF_DIR/lib.sh"
RESULTS=${BENCH_RESULTS:-$SELF_DIR/RESULTS.md}

QUICK=0
RUNS=
WARMUP=3
NSSHD_BIN=${NSSHD:-}
BUILD_DIR=${NSSHD_BUILD_DIR:-/tmp/build-bench}
RECORD=1
KEEP=0

PRIVSEP_USER=nsshd
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
  --nsshd PATH     use this nsshd binary (nsshd-session must sit next to it);
                   default: build the source tree into --build-dir (env NSSHD)
  --build-dir DIR  out-of-tree build used when --nsshd is not given
                   (default /tmp/build-bench; env NSSHD_BUILD_DIR)
  --no-record      do not append to bench/RESULTS.md
  --keep           keep the temporary directory (configs, logs; the engines' state is
                   removed all the same)
EOF
}

while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--runs) RUNS=${2:?--runs needs an argument}; shift ;;
	--runs=*) RUNS=${1#*=} ;;
	--nsshd) NSSHD_BIN=${2:?--nsshd needs an argument}; shift ;;
	--nsshd=*) NSSHD_BIN=${1#*=} ;;
	--build-dir) BUILD_DIR=${2:?--build-dir needs an argument}; shift ;;
	--build-dir=*) BUILD_DIR=${1#*=} ;;
	--no-record) RECORD=0 ;;
	--keep) KEEP=1 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "container.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
	esac
	shift
done

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
CREATED_USERS=()

descendants() {	# descendants PID : every process below PID (not PID itself)
	ps -e -o pid=,ppid= | awk -v root="$1" '
		{ par[$1] = $2 }
		END {
			d[root] = 1
			do { changed = 0
				for (p in par) if (!(p in d) && (par[p] in d)) { d[p] = 1; changed = 1 }
			} while (changed)
			for (p in d) if (p != root) print p
		}'
}

kill_pids() {	# kill_pids SECONDS PID... : TERM, wait up to SECONDS, then KILL
	local limit=$1 p alive
	shift
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null
	for _ in $(seq $((limit * 10))); do
		alive=0
		for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && return 0
		sleep 0.1
	done
	kill -KILL "$@" 2>/dev/null
	return 0
}

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
	if [ -n "$NSSHD_PID" ]; then
		# shellcheck disable=SC2046
		kill_pids 5 "$NSSHD_PID" $(descendants "$NSSHD_PID")
		wait "$NSSHD_PID" 2>/dev/null
	fi
	if [ -n "$DOCKERD_PID" ]; then
		docker_cli 30 rm -f "$DOCKER_CT" >/dev/null 2>&1
		docker_cli 30 rmi -f "$IMAGE" >/dev/null 2>&1
		kill_pids 20 "$DOCKERD_PID"	# takes its own containerd with it
		wait "$DOCKERD_PID" 2>/dev/null
	fi
	if [ -n "$PODMAN_PID" ]; then
		podman_local 30 rm -f -t 0 "$PODMAN_CT" >/dev/null 2>&1
		podman_local 30 rmi -f "$IMAGE" >/dev/null 2>&1
		kill_pids 20 "$PODMAN_PID"
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
			kill_pids 5 $left
		fi
	fi
	for d in "$DOCKER_ROOT" "$PODMAN_ROOT"; do
		umount_under "$d"
		rm -rf --one-file-system "$d" 2>/dev/null || log "could not remove $d"
	done
	for u in "${CREATED_USERS[@]}"; do
		userdel --remove "$u" 2>/dev/null || log "could not remove user $u"
	done
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

TMP=$(mktemp -d /tmp/nsshd-bench-ct.XXXXXX) || die "mktemp failed"
chmod 0755 "$TMP"

bench_nsshd
id "$PRIVSEP_USER" >/dev/null 2>&1 ||
	useradd --system --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin "$PRIVSEP_USER" || die "cannot create user $PRIVSEP_USER"

# the bench users: plain accounts with /bin/sh, no password ('*', not locked), one Ed25519 key
# made for this run in each ~/.ssh/authorized_keys.  The container users authenticate on the
# host like any other; their sessions then run as cuser inside the container.
ssh-keygen -q -t ed25519 -N '' -C nsshd-bench-ct -f "$TMP/client_key" || die "ssh-keygen failed"
for u in "${BENCH_USERS[@]}"; do
	if ! id "$u" >/dev/null 2>&1; then
		useradd --create-home --home-dir "/home/$u" --shell /bin/sh "$u" || die "cannot create user $u"
		CREATED_USERS+=("$u")
	fi
	usermod -p '*' "$u"
	home=$(getent passwd "$u" | cut -d: -f6)
	grp=$(id -g "$u")
	install -d -m 0700 -o "$u" -g "$grp" "$home/.ssh"
	install -m 0600 -o "$u" -g "$grp" "$TMP/client_key.pub" "$home/.ssh/authorized_keys"
	chown "$u" "$home"
	chmod go-w "$home"
done

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

free_port() {
	local p used
	used=$(ss -Htan | awk '{ n = split($4, a, ":"); print a[n] }')
	for _ in $(seq 200); do
		p=$((20000 + RANDOM % 40000))
		grep -qx "$p" <<<"$used" && continue
		echo "$p"; return 0
	done
	return 1
}

PORT=$(free_port) || die "no free port"
ssh-keygen -q -t ed25519 -N '' -C nsshd-bench-ct-host -f "$TMP/host_ed25519_key" || die "ssh-keygen failed"
# the same settings as bench/run.sh, plus the container targets
cat >"$TMP/sshd_config" <<EOF
# written by bench/container.sh
Port $PORT
ListenAddress 127.0.0.1
HostKey $TMP/host_ed25519_key
PidFile $TMP/nsshd.pid
AuthorizedKeysFile .ssh/authorized_keys
LogLevel INFO
UsePAM no
StrictModes yes
PermitRootLogin no
ContainerEngineSocket docker:$TMP/docker.sock podman:$TMP/podman.sock
Match User $DOCKER_USER
	ContainerTarget docker:$DOCKER_CT
	ContainerUser cuser
Match User $PODMAN_USER
	ContainerTarget podman:$PODMAN_CT
	ContainerUser cuser
EOF
chmod 0600 "$TMP/sshd_config"
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$TMP/host_ed25519_key.pub")" >"$TMP/known_hosts"

"$NSSHD_BIN" -D -e -f "$TMP/sshd_config" >"$TMP/nsshd.log" 2>&1 </dev/null 9>&- &
NSSHD_PID=$!
for _ in $(seq 100); do
	kill -0 "$NSSHD_PID" 2>/dev/null ||
		{ tail -20 "$TMP/nsshd.log" >&2; NSSHD_PID=; die "nsshd exited at start"; }
	[ -n "$(ss -Htln "sport = :$PORT")" ] && break
	sleep 0.1
done
[ -n "$(ss -Htln "sport = :$PORT")" ] ||
	{ tail -20 "$TMP/nsshd.log" >&2; die "nsshd does not listen on 127.0.0.1:$PORT"; }

SSH_OPTS=(-F /dev/null -i "$TMP/client_key" -p "$PORT"
	-o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes
	-o UserKnownHostsFile="$TMP/known_hosts" -o GlobalKnownHostsFile=/dev/null
	-o StrictHostKeyChecking=yes -o UpdateHostKeys=no -o CheckHostIP=no
	-o ControlMaster=no -o ControlPath=none
	-o KexAlgorithms=curve25519-sha256 -o HostKeyAlgorithms=ssh-ed25519
	-o PubkeyAcceptedAlgorithms=ssh-ed25519 -o Compression=no -c "$LAT_CIPHER"
	-o ConnectTimeout=10 -o ServerAliveInterval=0 -o LogLevel=ERROR)

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

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pct() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { if (NR == 0) exit; i = int(NR * q); if (i < NR * q) i++; if (i < 1) i = 1; print v[i] }'; }
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

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
		t0=$(now_us)
		run_one "$k"
		rc=$?
		t1=$(now_us)
		if [ $rc = 0 ]; then echo $((t1 - t0)) >>"$TMP/lat.$k"; else FAILS[$k]=$((${FAILS[$k]:-0} + 1)); fi
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

declare -A MED=() P90=()
for k in "${KEYS[@]}"; do
	[ -n "${FAILS[$k]:-}" ] &&
		log "$k: ${FAILS[$k]} of $RUNS calls failed: $(tail -1 "$TMP/lat.$k.err" 2>/dev/null)"
	[ -s "$TMP/lat.$k" ] || continue
	MED[$k]=$(median <"$TMP/lat.$k" | awk '{ printf "%.1f", $1 / 1000 }')
	P90[$k]=$(pct 0.9 <"$TMP/lat.$k" | awk '{ printf "%.1f", $1 / 1000 }')
done

# ---------------------------------------------------------------- report

ratio() {	# ratio A B : A/B with 2 decimals, or -
	awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'
}
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
	cmd="cd $SRC_ROOT && bench/container.sh"
	[ ${#ORIG_ARGS[@]} -gt 0 ] && cmd+=" $(printf '%q ' "${ORIG_ARGS[@]}")"
	cmd=${cmd% }
	commit=$(git -C "$SRC_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
	cflags=$(sed -n 's/^CFLAGS = //p' "$(dirname "$NSSHD_BIN")/Makefile" 2>/dev/null)
	dver=$(docker_cli 30 version --format 'client {{.Client.Version}} (API {{.Client.APIVersion}}), server {{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null)
	pver=$(podman_remote 30 version --format 'client {{.Client.Version}}, server {{.Server.Version}}' 2>/dev/null)
	{
		[ -s "$RESULTS" ] || printf '# nsshd benchmark results\n\nAppended by `bench/run.sh` and `bench/container.sh`; see `bench/README.md` for what is measured and how.\n'
		echo
		echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — container targets (bench/container.sh), $MODE run"
		echo
		echo "- command: \`$cmd\`"
		echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"), load average $LOAD_BEFORE before the timed runs, $LOAD_AFTER after"
		echo "- docker: ${dver:-?} (docker.io $(dpkg-query -W -f='${Version}' docker.io 2>/dev/null)), $(containerd --version 2>/dev/null | awk '{ print "containerd " $3 }'), $(runc --version 2>/dev/null | head -1); dockerd with --iptables=false --bridge=none, private data root and socket"
		echo "- podman: ${pver:-?} (podman $(dpkg-query -W -f='${Version}' podman 2>/dev/null)), $(conmon --version 2>/dev/null | head -1), runtime runc, cgroupfs, \`podman system service --time=0\` on a private socket and storage"
		echo "- OpenSSH client: $(ssh -V 2>&1), pinned to curve25519-sha256, ssh-ed25519, $LAT_CIPHER, ControlMaster off"
		echo "- nsshd: $NSSHD_BIN, source tree at commit $commit (plus any uncommitted changes), CFLAGS \`${cflags:-?}\`; UsePAM no, LogLevel INFO, Ed25519 host key"
		echo "- image: busybox-static rootfs imported with \`import\` (no registry), user cuser (uid $CUSER_UID, /bin/sh); containers \`--network none\`, init \`/bin/sh -c 'while :; do sleep 1; done'\`; ContainerUser cuser, the engine's PID looked up on every login through the engine's API socket"
		echo "- $RUNS timed calls per row after $WARMUP warm-ups, the six calls interleaved in a rotating order; wall time around the client command (\`\$EPOCHREALTIME\`); p90 nearest rank"
		echo
		echo "$TABLE"
	} >>"$RESULTS"
	log "appended to $RESULTS"
fi
exit 0
