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
. "$SELF_DIR/lib.sh"	# SRC_ROOT, RESULTS and the shared defaults (QUICK, NSSHD_BIN, ...)

ONLY=all
RUNS=
SERVERS="nsshd,openssh"

BENCH_USER=nsshbench
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
EOF
	bench_usage_nsshd 17
	bench_usage_servers 17
}

script_opt() {	# this script's own options (bench_parse_args)
	case $1 in
	--only) ONLY=${2:?--only needs an argument}; BENCH_SHIFT=2 ;;
	--only=*) ONLY=${1#*=} ;;
	--runs) RUNS=${2:?--runs needs an argument}; BENCH_SHIFT=2 ;;
	--runs=*) RUNS=${1#*=} ;;
	*) return 1 ;;
	esac
}
bench_parse_args run.sh "$@"

case $ONLY in all|latency|throughput|memory) ;; *)
	echo "run.sh: --only takes latency, throughput or memory" >&2; exit 2 ;; esac
bench_mode
if [ "$QUICK" = 1 ]; then : "${RUNS:=10}"; else : "${RUNS:=50}"; fi
case $RUNS in ''|*[!0-9]*|0) echo "run.sh: --runs takes a positive number" >&2; exit 2 ;; esac
bench_server_list run.sh

want() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (starts sshd and nsshd, creates the user $BENCH_USER)"

# ---------------------------------------------------------------- cleanup

TMP=
CLIENT_PIDS=()
EXTRA_PIDS=()
declare -A SERVER_PID=() PORT=()

stop_server() {	# stop_server NAME : the listener and everything below it, by PID
	stop_tree "${SERVER_PID[$1]:-}"
	unset "SERVER_PID[$1]"
}

cleanup() {
	local rc=$? s
	trap - EXIT INT TERM
	[ ${#CLIENT_PIDS[@]} -gt 0 ] && kill_pids "${CLIENT_PIDS[@]}"
	[ ${#EXTRA_PIDS[@]} -gt 0 ] && kill_pids "${EXTRA_PIDS[@]}"
	for s in "${!SERVER_PID[@]}"; do stop_server "$s"; done
	bench_remove_users
	bench_remove_tmp
	exit $rc
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

# ---------------------------------------------------------------- prerequisites

bench_prereqs
bench_tmpdir nsshd-bench

# nsshd binary: given, or built out of tree, and its privsep user (bench/lib.sh)
has_server nsshd && bench_nsshd

# the bench user (bench/lib.sh), with an Ed25519 key made for this run
bench_client_key nsshd-bench
bench_user "$BENCH_USER"
BENCH_UID=$(id -u "$BENCH_USER")

# ---------------------------------------------------------------- servers

# the configuration of bench/lib.sh, the same for both servers
write_config() {	# write_config NAME PORT
	bench_sshd_config "$TMP/$1" "$2" "$TMP/$1/pid" "# $1, written by bench/run.sh" "$1-bench-host"
}

bench_ssh_opts
SSH_OPTS=(-l "$BENCH_USER" "${BENCH_SSH_OPTS[@]}")

for s in "${SERVER_LIST[@]}"; do bench_start_server "$s"; done

# ---------------------------------------------------------------- figures

declare -A FIG=()	# FIG[server,key] = value
ROWS=()	# "key|label|unit|better"  better: low or high

# 1. latency: interleaved (nsshd, openssh, nsshd, ...) so that drift hits both alike
bench_latency() {
	local s i fails
	ROWS+=("lat_med|latency \`ssh host true\`, median|ms|low" "lat_p90|latency \`ssh host true\`, p90|ms|low")
	log "latency: $RUNS runs per server (+3 warm-up), cipher $LAT_CIPHER"
	for s in "${SERVER_LIST[@]}"; do
		: >"$TMP/lat.$s"
		for i in 1 2 3; do sshc "$s" 30 -c "$LAT_CIPHER" 127.0.0.1 true </dev/null >/dev/null 2>&1; done
	done
	declare -A fails=()
	for i in $(seq "$RUNS"); do
		for s in "${SERVER_LIST[@]}"; do
			if time_us sshc "$s" 30 -c "$LAT_CIPHER" 127.0.0.1 true </dev/null >/dev/null 2>>"$TMP/lat.$s.err"; then
				echo "$TIME_US" >>"$TMP/lat.$s"
			else
				fails[$s]=$((${fails[$s]:-0} + 1))
			fi
		done
	done
	for s in "${SERVER_LIST[@]}"; do
		[ -n "${fails[$s]:-}" ] && log "latency: $s: ${fails[$s]} of $RUNS runs failed: $(tail -1 "$TMP/lat.$s.err")"
		[ -s "$TMP/lat.$s" ] || continue
		FIG[$s,lat_med]=$(ms_median "$TMP/lat.$s")
		FIG[$s,lat_p90]=$(ms_p90 "$TMP/lat.$s")
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

TABLE=$(bench_table)
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
	{
		[ -s "$RESULTS" ] || printf '# nsshd benchmark results\n\nAppended by `bench/run.sh`; see `bench/README.md` for what is measured and how.\n'
		echo
		echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $MODE run${ONLY:+ ($ONLY)}" | sed 's/ (all)//'
		echo
		echo "- command: \`$(bench_command run.sh)\`"
		echo "- machine: $(bench_machine)"
		echo "- OpenSSH: $(bench_openssh)"
		echo "- nsshd: $(bench_nsshd_desc)"
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
