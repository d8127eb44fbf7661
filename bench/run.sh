#!/usr/bin/env bash
#
# bench/run.sh - nsshd side by side with Debian's OpenSSH sshd, in one run, on loopback.
#
# Measures, for both servers started here with equivalent temporary configurations:
#   1. latency     median and p90 wall time of `ssh host true` (one full connection each)
#   2. throughput  1 GiB each way through `cat`, per cipher, in MB/s
#   3. memory      PSS of the server-side processes of one idle session, and the cost of
#                  each extra idle session measured with 20 of them
# prints a table (nsshd, OpenSSH, ratio nsshd/OpenSSH) and appends it, with the machine and
# the command line, to bench/RESULTS.md.  See bench/README.md.
#
# Usage: bench/run.sh [--quick] [--only latency|throughput|memory] [--runs N]
#                     [--nsshd PATH] [--build-dir DIR] [--servers nsshd,openssh]
#                     [--no-record] [--keep]
# Must run as root (it starts both servers and creates a bench user).

set -uo pipefail
export LC_ALL=C

ORIG_ARGS=("$@")
SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_ROOT=$(cd "$SELF_DIR/.." && pwd)
. "$SELF_DIR/lib.sh"
RESULTS=${BENCH_RESULTS:-$SELF_DIR/RESULTS.md}

QUICK=0
ONLY=all
RUNS=
NSSHD_BIN=${NSSHD:-}
BUILD_DIR=${NSSHD_BUILD_DIR:-/tmp/build-bench}
SERVERS="nsshd,openssh"
RECORD=1
KEEP=0

BENCH_USER=nsshbench
BENCH_HOME=/home/$BENCH_USER
PRIVSEP_USER=nsshd
CIPHERS=(chacha20-poly1305@openssh.com aes128-gcm@openssh.com aes256-gcm@openssh.com)
LAT_CIPHER=chacha20-poly1305@openssh.com
SESSIONS=20

usage() {
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0" | sed '/^$/q'
	cat <<'EOF'
Options:
  --quick          10 latency runs, 256 MiB per transfer, one repetition
  --only WHAT      latency, throughput or memory (default: all three)
  --runs N         latency runs per server (default 50, --quick 10)
  --nsshd PATH     use this nsshd binary (nsshd-session must sit next to it);
                   default: build the source tree into --build-dir (env NSSHD)
  --build-dir DIR  out-of-tree build used when --nsshd is not given
                   (default /tmp/build-bench; env NSSHD_BUILD_DIR)
  --servers LIST   nsshd,openssh (default); one alone for debugging (nothing recorded)
  --no-record      do not append to bench/RESULTS.md
  --keep           keep the temporary directory (configs, server logs)
EOF
}

while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--only) ONLY=${2:?--only needs an argument}; shift ;;
	--only=*) ONLY=${1#*=} ;;
	--runs) RUNS=${2:?--runs needs an argument}; shift ;;
	--runs=*) RUNS=${1#*=} ;;
	--nsshd) NSSHD_BIN=${2:?--nsshd needs an argument}; shift ;;
	--nsshd=*) NSSHD_BIN=${1#*=} ;;
	--build-dir) BUILD_DIR=${2:?--build-dir needs an argument}; shift ;;
	--build-dir=*) BUILD_DIR=${1#*=} ;;
	--servers) SERVERS=${2:?--servers needs an argument}; shift ;;
	--servers=*) SERVERS=${1#*=} ;;
	--no-record) RECORD=0 ;;
	--keep) KEEP=1 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "run.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
	esac
	shift
done

case $ONLY in all|latency|throughput|memory) ;; *)
	echo "run.sh: --only takes latency, throughput or memory" >&2; exit 2 ;; esac
if [ "$QUICK" = 1 ]; then
	: "${RUNS:=10}"; BYTES=$((256 * 1024 * 1024)); REPS=1; MODE=quick
else
	: "${RUNS:=50}"; BYTES=$((1024 * 1024 * 1024)); REPS=3; MODE=full
fi
case $RUNS in ''|*[!0-9]*|0) echo "run.sh: --runs takes a positive number" >&2; exit 2 ;; esac
IFS=, read -r -a SERVER_LIST <<<"$SERVERS"
for s in "${SERVER_LIST[@]}"; do
	case $s in nsshd|openssh) ;; *) echo "run.sh: unknown server '$s'" >&2; exit 2 ;; esac
done
[ "${#SERVER_LIST[@]}" -eq 2 ] || RECORD=0

want() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }
has_server() { [[ ",$SERVERS," == *",$1,"* ]]; }
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (starts sshd and nsshd, creates the user $BENCH_USER)"

# ---------------------------------------------------------------- cleanup

TMP=
CLIENT_PIDS=()
EXTRA_PIDS=()
declare -A SERVER_PID=() PORT=()
CREATED_USER=0

kill_pids() {	# kill_pids PID... : TERM, wait up to 5 s, then KILL
	local p alive i
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null
	for i in $(seq 50); do
		alive=0
		for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && return 0
		sleep 0.1
	done
	kill -KILL "$@" 2>/dev/null
	return 0
}

descendants() {	# descendants PID [full] : every process below PID (not PID itself);
		# with "full", lines "PID UID COMM"
	ps -e -o pid=,ppid=,uid=,comm= | awk -v root="$1" -v full="${2:-}" '
		{ par[$1] = $2; info[$1] = $1 " " $3 " " $4 }
		END {
			d[root] = 1
			do { changed = 0
				for (p in par) if (!(p in d) && (par[p] in d)) { d[p] = 1; changed = 1 }
			} while (changed)
			for (p in d) if (p != root) print (full ? info[p] : p)
		}'
}

stop_server() {	# stop_server NAME : the listener and everything below it, by PID
	local name=$1 pid=${SERVER_PID[$1]:-} kids
	[ -n "$pid" ] || return 0
	kids=$(descendants "$pid")
	# shellcheck disable=SC2086
	kill_pids "$pid" $kids
	wait "$pid" 2>/dev/null
	unset "SERVER_PID[$name]"
}

cleanup() {
	local rc=$? s
	trap - EXIT INT TERM
	[ ${#CLIENT_PIDS[@]} -gt 0 ] && kill_pids "${CLIENT_PIDS[@]}"
	[ ${#EXTRA_PIDS[@]} -gt 0 ] && kill_pids "${EXTRA_PIDS[@]}"
	for s in "${!SERVER_PID[@]}"; do stop_server "$s"; done
	if [ "$CREATED_USER" = 1 ]; then
		userdel --remove "$BENCH_USER" 2>/dev/null || log "could not remove user $BENCH_USER"
	fi
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		if [ "$KEEP" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
	fi
	exit $rc
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

# ---------------------------------------------------------------- prerequisites

need_pkgs=()
[ -x /usr/sbin/sshd ] || need_pkgs+=(openssh-server)
command -v ssh >/dev/null || need_pkgs+=(openssh-client)
command -v ss >/dev/null || need_pkgs+=(iproute2)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	log "installing ${need_pkgs[*]}"
	# policy-rc.d keeps the package from starting its own sshd service
	DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 timeout 600 apt-get install -y -q \
		"${need_pkgs[@]}" >/dev/null || die "apt-get install ${need_pkgs[*]} failed"
fi
[ -d /run/sshd ] || mkdir -m 0755 /run/sshd	# sshd's privilege separation directory

TMP=$(mktemp -d /tmp/nsshd-bench.XXXXXX) || die "mktemp failed"
chmod 0755 "$TMP"

# nsshd binary: given, or built out of tree (bench/lib.sh)
if has_server nsshd; then
	bench_nsshd
	id "$PRIVSEP_USER" >/dev/null 2>&1 ||
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$PRIVSEP_USER" || die "cannot create user $PRIVSEP_USER"
fi

# the bench user: a plain account, /bin/sh as its shell, no password ('*' is "no password",
# not "locked", so sshd with UsePAM no lets it in), an Ed25519 key made for this run
if ! id "$BENCH_USER" >/dev/null 2>&1; then
	useradd --create-home --home-dir "$BENCH_HOME" --shell /bin/sh "$BENCH_USER" ||
		die "cannot create user $BENCH_USER"
	CREATED_USER=1
fi
usermod -p '*' "$BENCH_USER"
BENCH_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6)
BENCH_UID=$(id -u "$BENCH_USER")
ssh-keygen -q -t ed25519 -N '' -C "nsshd-bench" -f "$TMP/client_key" || die "ssh-keygen failed"
install -d -m 0700 -o "$BENCH_USER" -g "$(id -g "$BENCH_USER")" "$BENCH_HOME/.ssh"
install -m 0600 -o "$BENCH_USER" -g "$(id -g "$BENCH_USER")" "$TMP/client_key.pub" \
	"$BENCH_HOME/.ssh/authorized_keys"
chown "$BENCH_USER" "$BENCH_HOME"
chmod go-w "$BENCH_HOME"

# ---------------------------------------------------------------- servers

free_port() {
	local p used
	used=$(ss -Htan | awk '{ n = split($4, a, ":"); print a[n] }')
	for _ in $(seq 200); do
		p=$((20000 + RANDOM % 40000))
		grep -qx "$p" <<<"$used" && continue
		[[ " ${PORT[*]} " == *" $p "* ]] && continue
		echo "$p"; return 0
	done
	return 1
}

# the same configuration for both; only the port, host key and pid file differ.  UsePAM no
# for both (nsshd accepts UsePAM but a PAM session would cost OpenSSH extra work that nsshd
# does not do yet).  Algorithms are pinned on the client side (see SSH_OPTS), because
# nsshd supports only the set we benchmark anyway.
write_config() {	# write_config NAME PORT
	local dir=$TMP/$1
	mkdir -p "$dir"
	ssh-keygen -q -t ed25519 -N '' -C "$1-bench-host" -f "$dir/host_ed25519_key" ||
		die "ssh-keygen failed"
	cat >"$dir/sshd_config" <<EOF
# $1, written by bench/run.sh
Port $2
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519_key
PidFile $dir/pid
AuthorizedKeysFile .ssh/authorized_keys
LogLevel INFO
UsePAM no
StrictModes yes
PermitRootLogin no
EOF
	printf '[127.0.0.1]:%s %s\n' "$2" "$(cut -d' ' -f1,2 "$dir/host_ed25519_key.pub")" \
		>>"$TMP/known_hosts"
}

SSH_OPTS=(-F /dev/null -l "$BENCH_USER" -i "$TMP/client_key"
	-o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes
	-o UserKnownHostsFile="$TMP/known_hosts" -o GlobalKnownHostsFile=/dev/null
	-o StrictHostKeyChecking=yes -o UpdateHostKeys=no -o CheckHostIP=no
	-o ControlMaster=no -o ControlPath=none
	-o KexAlgorithms=curve25519-sha256 -o HostKeyAlgorithms=ssh-ed25519
	-o PubkeyAcceptedAlgorithms=ssh-ed25519 -o Compression=no
	-o ConnectTimeout=10 -o ServerAliveInterval=0 -o LogLevel=ERROR)

sshc() {	# sshc SERVER TIMEOUT ARGS... : a bounded client call against SERVER
	local s=$1 to=$2; shift 2
	timeout -k 5 "$to" ssh "${SSH_OPTS[@]}" -p "${PORT[$s]}" "$@"
}

start_server() {	# start_server NAME
	local name=$1 bin dir=$TMP/$1 i
	PORT[$name]=$(free_port) || die "no free port"
	write_config "$name" "${PORT[$name]}"
	if [ "$name" = nsshd ]; then bin=$NSSHD_BIN; else bin=/usr/sbin/sshd; fi
	"$bin" -D -e -f "$dir/sshd_config" >"$dir/log" 2>&1 </dev/null &
	SERVER_PID[$name]=$!
	for i in $(seq 100); do
		kill -0 "${SERVER_PID[$name]}" 2>/dev/null ||
			{ tail -20 "$dir/log" >&2; unset "SERVER_PID[$name]"; die "$name exited at start"; }
		[ -n "$(ss -Htln "sport = :${PORT[$name]}")" ] && break
		sleep 0.1
	done
	[ -n "$(ss -Htln "sport = :${PORT[$name]}")" ] ||
		{ tail -20 "$dir/log" >&2; die "$name does not listen on 127.0.0.1:${PORT[$name]}"; }
	if ! out=$(sshc "$name" 30 127.0.0.1 'echo bench-ok' </dev/null 2>&1) ||
		[ "$(tail -1 <<<"$out")" != bench-ok ]; then
		log "$name: login test failed: $out"
		tail -20 "$dir/log" >&2
		die "cannot log into $name on port ${PORT[$name]}"
	fi
	log "$name: pid ${SERVER_PID[$name]}, 127.0.0.1:${PORT[$name]}, login ok ($bin)"
}

for s in "${SERVER_LIST[@]}"; do start_server "$s"; done

# ---------------------------------------------------------------- figures

declare -A FIG=()	# FIG[server,key] = value
ROWS=()	# "key|label|unit|better"  better: low or high

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pct() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { if (NR == 0) exit; i = int(NR * q); if (i < NR * q) i++; if (i < 1) i = 1; print v[i] }'; }
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# 1. latency: interleaved (nsshd, openssh, nsshd, ...) so that drift hits both alike
bench_latency() {
	local s i t0 t1 rc fails
	ROWS+=("lat_med|latency \`ssh host true\`, median|ms|low" "lat_p90|latency \`ssh host true\`, p90|ms|low")
	log "latency: $RUNS runs per server (+3 warm-up), cipher $LAT_CIPHER"
	for s in "${SERVER_LIST[@]}"; do
		: >"$TMP/lat.$s"
		for i in 1 2 3; do sshc "$s" 30 -c "$LAT_CIPHER" 127.0.0.1 true </dev/null >/dev/null 2>&1; done
	done
	declare -A fails=()
	for i in $(seq "$RUNS"); do
		for s in "${SERVER_LIST[@]}"; do
			t0=$(now_us)
			sshc "$s" 30 -c "$LAT_CIPHER" 127.0.0.1 true </dev/null >/dev/null 2>>"$TMP/lat.$s.err"
			rc=$?
			t1=$(now_us)
			if [ $rc = 0 ]; then echo $((t1 - t0)) >>"$TMP/lat.$s"; else fails[$s]=$((${fails[$s]:-0} + 1)); fi
		done
	done
	for s in "${SERVER_LIST[@]}"; do
		[ -n "${fails[$s]:-}" ] && log "latency: $s: ${fails[$s]} of $RUNS runs failed: $(tail -1 "$TMP/lat.$s.err")"
		[ -s "$TMP/lat.$s" ] || continue
		FIG[$s,lat_med]=$(median <"$TMP/lat.$s" | awk '{ printf "%.1f", $1 / 1000 }')
		FIG[$s,lat_p90]=$(pct 0.9 <"$TMP/lat.$s" | awk '{ printf "%.1f", $1 / 1000 }')
		log "latency: $s median ${FIG[$s,lat_med]} ms, p90 ${FIG[$s,lat_p90]} ms"
	done
}

# 2. throughput: BYTES each way per cipher; wall time of the whole ssh command, including
# its connection set-up (about one latency figure, well under 1% of a 1 GiB transfer at
# these rates).  Median of REPS repetitions, interleaved between the servers.
bench_throughput() {
	local c dir s t0 t1 rc key short
	log "throughput: $((BYTES / 1048576)) MiB each way per cipher, $REPS repetition(s)"
	# sanity check first: every byte arrives, both ways, on each server and cipher
	for s in "${SERVER_LIST[@]}"; do
		for c in "${CIPHERS[@]}"; do
			local n1 n2 want=$((16 * 1048576))
			n1=$(head -c $want /dev/zero | sshc "$s" 120 -c "$c" 127.0.0.1 'wc -c' 2>/dev/null | tr -d ' ')
			n2=$(sshc "$s" 120 -c "$c" 127.0.0.1 "head -c $want /dev/zero" </dev/null 2>/dev/null | wc -c)
			[ "$n1" = $want ] && [ "$n2" = $want ] ||
				die "throughput: $s with $c moved ${n1:-0} bytes up and ${n2:-0} down instead of $want each"
		done
	done
	for c in "${CIPHERS[@]}"; do
		short=${c%%@*}
		for dir in up down; do
			key="tp_${dir}_$short"
			if [ $dir = up ]; then
				ROWS+=("$key|upload $short|MB/s|high")
			else
				ROWS+=("$key|download $short|MB/s|high")
			fi
			for s in "${SERVER_LIST[@]}"; do : >"$TMP/$key.$s"; done
			for _ in $(seq "$REPS"); do
				for s in "${SERVER_LIST[@]}"; do
					t0=$(now_us)
					if [ $dir = up ]; then
						head -c "$BYTES" /dev/zero |
							sshc "$s" 600 -c "$c" 127.0.0.1 'cat > /dev/null' 2>"$TMP/tp.err"
					else
						sshc "$s" 600 -c "$c" 127.0.0.1 "head -c $BYTES /dev/zero" \
							</dev/null >/dev/null 2>"$TMP/tp.err"
					fi
					rc=$?
					t1=$(now_us)
					if [ $rc = 0 ]; then
						# bytes per microsecond = MB/s (10^6 bytes per second)
						awk -v b="$BYTES" -v us=$((t1 - t0)) 'BEGIN { printf "%.1f\n", b / us }' >>"$TMP/$key.$s"
					else
						log "throughput: $s $dir $c failed (rc $rc): $(tail -1 "$TMP/tp.err")"
					fi
				done
			done
			for s in "${SERVER_LIST[@]}"; do
				[ -s "$TMP/$key.$s" ] || continue
				FIG[$s,$key]=$(median <"$TMP/$key.$s" | awk '{ printf "%.0f", $1 }')
			done
			log "throughput: $dir $short: $(for s in "${SERVER_LIST[@]}"; do printf '%s %s MB/s  ' "$s" "${FIG[$s,$key]:-FAIL}"; done)"
		done
	done
}

# 3. memory.  Counted the same way for both servers: every process below the listener, i.e.
# for OpenSSH the per-connection "sshd: user [priv]" (root) and "sshd: user@notty" (user)
# processes, for nsshd the nsshd-session monitor (root) and its transport (user nsshd), and
# for both the user's processes (the shell, or the `sleep` it became).  PSS = sum of the
# Pss lines of /proc/PID/smaps_rollup.  The listener itself is not counted.  One server at a
# time, the other one idle, so that the sessions of one do not share pages with the other's.
pss_of() {	# pss_of PID... : summed Pss in KiB
	local p sum=0 v
	for p in "$@"; do
		v=$(awk '/^Pss:/ { s += $2 } END { print s + 0 }' "/proc/$p/smaps_rollup" 2>/dev/null) || v=0
		sum=$((sum + ${v:-0}))
	done
	echo $sum
}

count_user_sleeps() {	# count_user_sleeps SERVER : bench-user `sleep` processes below the listener
	descendants "${SERVER_PID[$1]}" full | awk -v u="$BENCH_UID" '$2 == u && $3 == "sleep" { n++ } END { print n + 0 }'
}

open_sessions() {	# open_sessions SERVER UPTO : start sessions one by one until UPTO are up
	local s=$1 upto=$2 have i
	have=$(count_user_sleeps "$s")
	while [ "$have" -lt "$upto" ]; do
		sshc "$s" 420 -n 127.0.0.1 'sleep 300' >/dev/null 2>>"$TMP/mem.$s.err" &
		CLIENT_PIDS+=($!)
		# one at a time: never more than one unauthenticated connection (MaxStartups)
		for i in $(seq 200); do
			[ "$(count_user_sleeps "$s")" -gt "$have" ] && break
			sleep 0.05
		done
		i=$(count_user_sleeps "$s")
		[ "$i" -gt "$have" ] || { log "memory: $s: session $((have + 1)) did not start: $(tail -1 "$TMP/mem.$s.err" 2>/dev/null)"; return 1; }
		have=$i
	done
}

measure_pss() {	# measure_pss SERVER TAG : sets FIG (median of 3 samples 1 s apart), writes a
		# per-process breakdown of the last sample
	local s=$1 tag=$2 pids i samples=()
	sleep 2	# let the sessions settle
	for i in 1 2 3; do
		[ $i = 1 ] || sleep 1
		pids=$(descendants "${SERVER_PID[$s]}" | sort -n)
		# shellcheck disable=SC2086
		samples+=("$(pss_of $pids)")
	done
	FIG[$s,$tag]=$(printf '%s\n' "${samples[@]}" | median)
	FIG[$s,${tag}_n]=$(wc -w <<<"$pids")
	{
		echo "# $s, $tag: ${FIG[$s,$tag]} KiB in ${FIG[$s,${tag}_n]} processes (samples: ${samples[*]})"
		for p in $pids; do
			printf '%8s %6s KiB  %s\n' "$p" "$(pss_of "$p")" "$(ps -o user:12=,args= -p "$p" 2>/dev/null)"
		done
	} >"$TMP/mem.$s.$tag"
}

close_sessions() {	# close_sessions SERVER : end the remote sleeps, then the clients, by PID
	local s=$1 p users=() i
	mapfile -t users < <(descendants "${SERVER_PID[$s]}" full | awk -v u="$BENCH_UID" '$2 == u { print $1 }')
	[ ${#users[@]} -gt 0 ] && kill_pids "${users[@]}"
	[ ${#CLIENT_PIDS[@]} -gt 0 ] && kill_pids "${CLIENT_PIDS[@]}"
	for p in "${CLIENT_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	CLIENT_PIDS=()
	# wait for the per-connection processes to go away
	for i in $(seq 100); do
		[ -z "$(descendants "${SERVER_PID[$s]}")" ] && return 0
		sleep 0.1
	done
	log "memory: $s: per-connection processes still there after the clients ended:"
	ps -o pid=,user=,args= -p "$(descendants "${SERVER_PID[$s]}" | paste -sd,)" >&2
}

bench_memory() {
	local s
	ROWS+=("pss1|PSS, 1 idle session|KiB|low" "pss_n|PSS, $SESSIONS idle sessions|KiB|low"
		"pss_extra|PSS per extra session, (PSS($SESSIONS) - PSS(1)) / $((SESSIONS - 1))|KiB|low")
	for s in "${SERVER_LIST[@]}"; do
		log "memory: $s: 1 idle session, then $SESSIONS"
		if open_sessions "$s" 1; then
			measure_pss "$s" pss1
			if open_sessions "$s" "$SESSIONS"; then
				measure_pss "$s" pss_n
				FIG[$s,pss_extra]=$(((FIG[$s,pss_n] - FIG[$s,pss1]) / (SESSIONS - 1)))
			fi
		fi
		close_sessions "$s"
		log "memory: $s: 1 session ${FIG[$s,pss1]:-?} KiB (${FIG[$s,pss1_n]:-?} processes), $SESSIONS sessions ${FIG[$s,pss_n]:-?} KiB (${FIG[$s,pss_n_n]:-?} processes), per extra session ${FIG[$s,pss_extra]:-?} KiB"
	done
}

want latency && bench_latency
want throughput && bench_throughput
want memory && bench_memory

# ---------------------------------------------------------------- report

table() {
	local row key label unit better a b ratio verdict
	echo "| figure | unit | nsshd | OpenSSH | nsshd/OpenSSH | better if |"
	echo "| --- | --- | ---: | ---: | ---: | --- |"
	for row in "${ROWS[@]}"; do
		IFS='|' read -r key label unit better <<<"$row"
		a=${FIG[nsshd,$key]:-}; b=${FIG[openssh,$key]:-}
		ratio=-; verdict=
		if [ -n "$a" ] && [ -n "$b" ]; then
			ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }')
			if [ "$ratio" != - ]; then
				if [ "$better" = low ]; then
					awk -v r="$ratio" 'BEGIN { exit !(r > 1) }' && verdict=" (worse)"
				else
					awk -v r="$ratio" 'BEGIN { exit !(r < 1) }' && verdict=" (worse)"
				fi
			fi
		fi
		if [ "$better" = low ]; then better="<= 1"; else better=">= 1"; fi
		printf '| %s | %s | %s | %s | %s%s | %s |\n' "$label" "$unit" "${a:-n/a}" "${b:-n/a}" \
			"$ratio" "$verdict" "$better"
	done
}

TABLE=$(table)
echo
echo "$TABLE"
echo
if want memory; then
	for s in "${SERVER_LIST[@]}"; do
		[ -f "$TMP/mem.$s.pss1" ] && cat "$TMP/mem.$s.pss1"
	done
	echo
fi

if [ "$RECORD" = 1 ]; then
	cmd="cd $SRC_ROOT && bench/run.sh"
	[ ${#ORIG_ARGS[@]} -gt 0 ] && cmd+=" $(printf '%q ' "${ORIG_ARGS[@]}")"
	cmd=${cmd% }
	commit=$(git -C "$SRC_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
	cflags=$(sed -n 's/^CFLAGS = //p' "$(dirname "$NSSHD_BIN")/Makefile" 2>/dev/null)
	{
		[ -s "$RESULTS" ] || printf '# nsshd benchmark results\n\nAppended by `bench/run.sh`; see `bench/README.md` for what is measured and how.\n'
		echo
		echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $MODE run${ONLY:+ ($ONLY)}" | sed 's/ (all)//'
		echo
		echo "- command: \`$cmd\`"
		echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME")"
		echo "- OpenSSH: $(/usr/sbin/sshd -V 2>&1 | head -1) (openssh-server $(dpkg-query -W -f='${Version}' openssh-server 2>/dev/null)); client $(ssh -V 2>&1)"
		echo "- nsshd: $NSSHD_BIN, source tree at commit $commit (plus any uncommitted changes), CFLAGS \`${cflags:-?}\`"
		echo "- both servers: UsePAM no, LogLevel INFO, Ed25519 host key, StrictModes yes; client pinned to curve25519-sha256, ssh-ed25519, ControlMaster off; bench user $BENCH_USER with /bin/sh"
		want latency && echo "- latency: $RUNS connections per server, interleaved, cipher $LAT_CIPHER"
		want throughput && echo "- throughput: $((BYTES / 1048576)) MiB each way per cipher, median of $REPS, wall time of the whole ssh command"
		want memory && echo "- memory: all processes below the listener (per-connection server processes + the user's \`sleep\`), Pss from smaps_rollup, sessions \`ssh host sleep 300\`"
		echo
		echo "$TABLE"
		if want memory; then
			echo
			echo "Processes of one idle session (PID, PSS, user, command):"
			echo
			echo '```'
			for s in "${SERVER_LIST[@]}"; do
				[ -f "$TMP/mem.$s.pss1" ] && cat "$TMP/mem.$s.pss1"
			done
			echo '```'
		fi
	} >>"$RESULTS"
	log "appended to $RESULTS"
fi
exit 0
