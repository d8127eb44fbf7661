#!/usr/bin/env bash
#
# bench/forward.sh - TCP port forwarding (ssh -L) through nsshd and through Debian's OpenSSH
# sshd, side by side, in one run, on loopback.
#
# Starts both servers with the same temporary configuration as bench/run.sh, a small
# server-side service on 127.0.0.1 (sink, source, request/reply), and per server ONE
# `ssh -N -L LPORT:127.0.0.1:SERVICE` (no ControlMaster), then measures through it:
#   1. throughput   1 GiB client -> server-side sink (upload) and server-side source -> client
#                   (download) over one forwarded connection, MB/s, median of 3
#   2. connections  N short connections (a 64-byte request, a 64-byte reply, close) through
#                   the forward, one at a time and C at a time, connections per second
# prints a table (nsshd, OpenSSH, ratio nsshd/OpenSSH) and appends it, with the machine and
# the command line, to bench/RESULTS.md.  See bench/README.md.
#
# Usage: bench/forward.sh [--quick] [--only throughput|connections] [--conns N]
#                         [--concurrency C] [--nsshd PATH] [--build-dir DIR]
#                         [--servers nsshd,openssh] [--no-record] [--keep]
# Must run as root (it starts both servers and creates a bench user).

set -uo pipefail
export LC_ALL=C

ORIG_ARGS=("$@")
SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$SELF_DIR/lib.sh"	# SRC_ROOT, RESULTS and the shared defaults (QUICK, NSSHD_BIN, ...)

ONLY=all
CONNS=
CONC=8
SERVERS="nsshd,openssh"

BENCH_USER=nsshbench
CIPHER=chacha20-poly1305@openssh.com	# OpenSSH's default, pinned so both use the same
PYTHON=${PYTHON:-/usr/bin/python3}

usage() {
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0" | sed '/^$/q'
	cat <<'EOF'
Options:
  --quick           256 MiB per transfer, 100 connections, one repetition
  --only WHAT       throughput or connections (default: both)
  --conns N         connections per connection-rate run (default 500, --quick 100)
  --concurrency C   connections at a time in the concurrent run (default 8)
EOF
	bench_usage_nsshd 18
	bench_usage_servers 18
}

script_opt() {	# this script's own options (bench_parse_args)
	case $1 in
	--only) ONLY=${2:?--only needs an argument}; BENCH_SHIFT=2 ;;
	--only=*) ONLY=${1#*=} ;;
	--conns) CONNS=${2:?--conns needs an argument}; BENCH_SHIFT=2 ;;
	--conns=*) CONNS=${1#*=} ;;
	--concurrency) CONC=${2:?--concurrency needs an argument}; BENCH_SHIFT=2 ;;
	--concurrency=*) CONC=${1#*=} ;;
	*) return 1 ;;
	esac
}
bench_parse_args forward.sh "$@"

case $ONLY in all|throughput|connections) ;; *)
	echo "forward.sh: --only takes throughput or connections" >&2; exit 2 ;; esac
bench_mode
if [ "$QUICK" = 1 ]; then : "${CONNS:=100}"; else : "${CONNS:=500}"; fi
case $CONNS in ''|*[!0-9]*|0) echo "forward.sh: --conns takes a positive number" >&2; exit 2 ;; esac
case $CONC in ''|*[!0-9]*|0|1) echo "forward.sh: --concurrency takes a number >= 2" >&2; exit 2 ;; esac
bench_server_list forward.sh

want() { [ "$ONLY" = all ] || [ "$ONLY" = "$1" ]; }
log() { printf '[bench-fwd %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (starts sshd and nsshd, creates the user $BENCH_USER)"

# ---------------------------------------------------------------- cleanup

TMP=
SERVICE_PID=
CLIENT_PID=
declare -A SERVER_PID=() PORT=() FWD_PID=() LPORT=()

cleanup() {
	local rc=$? s
	trap - EXIT INT TERM
	[ -n "$CLIENT_PID" ] && stop_tree "$CLIENT_PID"
	for s in "${!FWD_PID[@]}"; do stop_tree "${FWD_PID[$s]}"; done
	for s in "${!SERVER_PID[@]}"; do stop_tree "${SERVER_PID[$s]}"; done
	[ -n "$SERVICE_PID" ] && stop_tree "$SERVICE_PID"
	bench_remove_users
	bench_remove_tmp
	exit $rc
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

# ---------------------------------------------------------------- prerequisites

extra_pkgs=()
[ -x "$PYTHON" ] || extra_pkgs+=(python3)
bench_prereqs "${extra_pkgs[@]}"
bench_tmpdir nsshd-bench-fwd

has_server nsshd && bench_nsshd

# the bench user, as in run.sh
bench_client_key nsshd-bench-fwd
bench_user "$BENCH_USER"

# ---------------------------------------------------------------- the service and client

# One program for both ends.  `serve PORT`: the server-side service on 127.0.0.1:PORT; the first
# line of a connection says what it wants:
#   "sink"      read to EOF, then answer the byte count
#   "source N"  send N bytes (zeros; Compression=no), then close
#   "ping ..."  answer 64 bytes, then close
# `up PORT BYTES`, `down PORT BYTES`: one transfer, prints MB/s (10^6 bytes/s) measured from
# connect() to the sink's count (up) or to the source's EOF (down), checks the byte count.
# `conns PORT N C`: N connections, C at a time, each a 64-byte request and a 64-byte reply;
# prints "CONNS_PER_S MEDIAN_MS P90_MS".  Every socket has a 60 s timeout.
cat >"$TMP/fwdbench.py" <<'PY'
import socket, sys, threading, time

TIMEOUT = 60
BLOCK = 1 << 20

def readline(c):
    buf = b""
    while b"\n" not in buf:
        b = c.recv(4096)
        if not b:
            return None, b""
        buf += b
    line, rest = buf.split(b"\n", 1)
    return line.decode(), rest

def handle(c):
    try:
        c.settimeout(TIMEOUT)
        line, rest = readline(c)
        if line is None:
            return
        words = line.split()
        if words[0] == "sink":
            n, buf = len(rest), bytearray(BLOCK)
            while True:
                k = c.recv_into(buf)
                if k == 0:
                    break
                n += k
            c.sendall(b"%d\n" % n)
        elif words[0] == "source":
            n, mv = int(words[1]), memoryview(bytes(BLOCK))
            while n > 0:
                k = min(n, BLOCK)
                c.sendall(mv[:k])
                n -= k
        elif words[0] == "ping":
            c.sendall(b"pong".ljust(63, b".") + b"\n")
        c.shutdown(socket.SHUT_WR)
        while c.recv(4096):
            pass
    except OSError:
        pass
    finally:
        c.close()

def serve(port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(1024)
    print("ready", flush=True)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()

def connect(port):
    c = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return c

def up(port, nbytes):
    t0 = time.monotonic()
    c = connect(port)
    c.sendall(b"sink\n")
    n, mv = nbytes, memoryview(bytes(BLOCK))
    while n > 0:
        k = min(n, BLOCK)
        c.sendall(mv[:k])
        n -= k
    c.shutdown(socket.SHUT_WR)
    line, _ = readline(c)
    t1 = time.monotonic()
    c.close()
    if line is None or int(line) != nbytes:
        sys.exit("upload: the sink got %s of %d bytes" % (line or "none (connection closed)", nbytes))
    print("%.1f" % (nbytes / (t1 - t0) / 1e6))

def down(port, nbytes):
    t0 = time.monotonic()
    c = connect(port)
    c.sendall(b"source %d\n" % nbytes)
    n, buf = 0, bytearray(BLOCK)
    while True:
        k = c.recv_into(buf)
        if k == 0:
            break
        n += k
    t1 = time.monotonic()
    c.close()
    if n != nbytes:
        sys.exit("download: got %d of %d bytes" % (n, nbytes))
    print("%.1f" % (nbytes / (t1 - t0) / 1e6))

def conns(port, total, conc):
    times, errors, lock = [], [], threading.Lock()
    left = [total]

    def worker():
        while True:
            with lock:
                if left[0] == 0 or errors:
                    return
                left[0] -= 1
            t0 = time.monotonic()
            try:
                c = connect(port)
                c.sendall(b"ping ".ljust(63, b"x") + b"\n")
                got = b""
                while True:
                    b = c.recv(4096)
                    if not b:
                        break
                    got += b
                c.close()
                if len(got) != 64 or not got.startswith(b"pong"):
                    raise OSError("reply of %d bytes %r" % (len(got), got[:16]))
            except OSError as e:
                with lock:
                    errors.append(str(e))
                return
            with lock:
                times.append(time.monotonic() - t0)

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(conc)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    if errors:
        sys.exit("connections: %d of %d done, then: %s" % (len(times), total, errors[0]))
    times.sort()
    med = times[len(times) // 2] if len(times) % 2 else (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
    p90 = times[max(0, -(-len(times) * 9 // 10) - 1)]
    print("%.1f %.2f %.2f" % (total / wall, med * 1000, p90 * 1000))

if __name__ == "__main__":
    cmd, args = sys.argv[1], [int(a) for a in sys.argv[2:]]
    try:
        {"serve": serve, "up": up, "down": down, "conns": conns}[cmd](*args)
    except OSError as e:
        sys.exit("%s: %s" % (cmd, e))
PY

# ---------------------------------------------------------------- servers

# the configuration of run.sh, plus AllowTcpForwarding yes (the default of both, said aloud)
write_config() {	# write_config NAME PORT
	bench_sshd_config "$TMP/$1" "$2" "$TMP/$1/pid" "# $1, written by bench/forward.sh" "$1-bench-host" \
		"AllowTcpForwarding yes"
}

bench_ssh_opts
SSH_OPTS=(-l "$BENCH_USER" "${BENCH_SSH_OPTS[@]}" -c "$CIPHER")

# the server-side service, shared by both servers' forwards (one measurement at a time)
SVC_PORT=$(free_port) || die "no free port"
TAKEN_PORTS=$SVC_PORT	# not for a server (bench_start_server)
"$PYTHON" "$TMP/fwdbench.py" serve "$SVC_PORT" </dev/null >"$TMP/service.out" 2>"$TMP/service.err" &
SERVICE_PID=$!
for _ in $(seq 100); do
	grep -qx ready "$TMP/service.out" 2>/dev/null && break
	kill -0 "$SERVICE_PID" 2>/dev/null || break
	sleep 0.1
done
grep -qx ready "$TMP/service.out" 2>/dev/null ||
	die "the server-side service did not start: $(tail -3 "$TMP/service.err")"

for s in "${SERVER_LIST[@]}"; do bench_start_server "$s"; done

# start_forward NAME: one `ssh -N -L LPORT:127.0.0.1:SVC_PORT` to NAME, kept for the whole run
start_forward() {
	local s=$1
	LPORT[$s]=$(free_port "${PORT[@]}" "${LPORT[@]}" "$SVC_PORT") || die "no free port"
	# LogLevel INFO (the first value wins) so that a refused channel ("open failed") is logged
	timeout -k 5 7200 ssh -o LogLevel=INFO "${SSH_OPTS[@]}" -p "${PORT[$s]}" -N \
		-o ExitOnForwardFailure=yes -L "127.0.0.1:${LPORT[$s]}:127.0.0.1:$SVC_PORT" \
		127.0.0.1 </dev/null >/dev/null 2>"$TMP/fwd.$s.err" &
	FWD_PID[$s]=$!
	for _ in $(seq 150); do
		listening "${LPORT[$s]}" && break
		kill -0 "${FWD_PID[$s]}" 2>/dev/null || break
		sleep 0.1
	done
	listening "${LPORT[$s]}" ||
		die "$s: \`ssh -N -L\` did not come up: $(tail -3 "$TMP/fwd.$s.err")"
}

# client TIMEOUT ARGS... : the measuring client, bounded; its output in $TMP/client.out and
# $TMP/client.err.  Started in the background and waited for, so that Ctrl-C or TERM reach the
# trap at once (bash runs a trap only after the foreground command ends).
client() {
	local to=$1 rc
	shift
	timeout -k 5 "$to" "$PYTHON" "$TMP/fwdbench.py" "$@" </dev/null >"$TMP/client.out" 2>"$TMP/client.err" &
	CLIENT_PID=$!
	wait "$CLIENT_PID"
	rc=$?
	CLIENT_PID=
	return $rc
}
client_err() { tail -1 "$TMP/client.err"; }

# check_forward NAME: 16 MiB each way and 5 request/replies through the forward, or a clear
# error (a server that refuses forwarding shows here: the client's ssh logs "open failed")
check_forward() {
	local s=$1 lp=${LPORT[$1]} why=
	client 120 up "$lp" $((16 * 1048576)) || why=$(client_err)
	[ -z "$why" ] && { client 120 down "$lp" $((16 * 1048576)) || why=$(client_err); }
	[ -z "$why" ] && { client 120 conns "$lp" 5 2 || why=$(client_err); }
	[ -z "$why" ] && return 0
	log "$s: forwarding through \`ssh -L\` does not work: $(tail -1 <<<"$why")"
	[ -s "$TMP/fwd.$s.err" ] && log "$s: the forwarding ssh said: $(tail -3 "$TMP/fwd.$s.err" | tr '\n' ' ')"
	log "$s: last lines of its log:"
	tail -5 "$TMP/$s/log" | sed 's/^/    /' >&2
	die "$s refuses or breaks TCP forwarding; nothing measured"
}

for s in "${SERVER_LIST[@]}"; do
	start_forward "$s"
	check_forward "$s"
	log "$s: ssh -N -L 127.0.0.1:${LPORT[$s]} -> 127.0.0.1:$SVC_PORT (pid ${FWD_PID[$s]}), 16 MiB each way and 5 connections ok"
done

# ---------------------------------------------------------------- figures

declare -A FIG=()	# FIG[server,key] = value
ROWS=()	# "key|label|unit|better"  better: low or high

# repeat OUT PART DETAIL ARGS... : REPS times, the servers alternating, the client (900 s at
# most) with ARGS, @LPORT standing for the server's forwarded port; its output appended to
# $TMP/OUT.SERVER, a failure logged as "PART: SERVER DETAIL failed: ..."
repeat() {
	local out=$1 part=$2 detail=$3 s a args
	shift 3
	for _ in $(seq "$REPS"); do
		for s in "${SERVER_LIST[@]}"; do
			args=()
			for a in "$@"; do [ "$a" = @LPORT ] && a=${LPORT[$s]}; args+=("$a"); done
			if client 900 "${args[@]}"; then
				cat "$TMP/client.out" >>"$TMP/$out.$s"
			else
				log "$part: $s $detail failed: $(client_err); ssh: $(tail -1 "$TMP/fwd.$s.err" 2>/dev/null)"
			fi
		done
	done
}

# 1. throughput: BYTES each way over one forwarded connection, REPS times, interleaved
bench_throughput() {
	local dir s key
	log "throughput: $((BYTES / 1048576)) MiB each way, $REPS repetition(s), cipher $CIPHER"
	for dir in up down; do
		key=tp_$dir
		if [ $dir = up ]; then
			ROWS+=("$key|-L upload, client -> server-side sink|MB/s|high")
		else
			ROWS+=("$key|-L download, server-side source -> client|MB/s|high")
		fi
		for s in "${SERVER_LIST[@]}"; do : >"$TMP/$key.$s"; done
		repeat "$key" throughput "$dir" "$dir" @LPORT "$BYTES"
		for s in "${SERVER_LIST[@]}"; do
			[ -s "$TMP/$key.$s" ] || continue
			FIG[$s,$key]=$(median <"$TMP/$key.$s" | awk '{ printf "%.0f", $1 }')
		done
		log "throughput: $dir: $(for s in "${SERVER_LIST[@]}"; do printf '%s %s MB/s  ' "$s" "${FIG[$s,$key]:-FAIL}"; done)"
	done
}

# 2. connection rate: CONNS connections one at a time, then CONC at a time; REPS times each,
# interleaved; the median run's rate (and, one at a time, the median per-connection time)
bench_connections() {
	local c s key
	log "connections: $CONNS per run, one at a time and $CONC at a time, $REPS repetition(s)"
	ROWS+=("cr_seq|-L connections, one at a time|conn/s|high"
		"cr_seq_ms|-L connection (connect, 64 B each way, close), median|ms|low"
		"cr_conc|-L connections, $CONC at a time|conn/s|high")
	for c in 1 "$CONC"; do
		for s in "${SERVER_LIST[@]}"; do
			: >"$TMP/cr.$c.$s"
			client 120 conns "${LPORT[$s]}" 20 "$c"	# warm-up
		done
		repeat "cr.$c" connections "($c at a time)" conns @LPORT "$CONNS" "$c"
		for s in "${SERVER_LIST[@]}"; do
			[ -s "$TMP/cr.$c.$s" ] || continue
			if [ "$c" = 1 ]; then
				FIG[$s,cr_seq]=$(awk '{ print $1 }' "$TMP/cr.$c.$s" | median | awk '{ printf "%.0f", $1 }')
				FIG[$s,cr_seq_ms]=$(awk '{ print $2 }' "$TMP/cr.$c.$s" | median | awk '{ printf "%.2f", $1 }')
			else
				FIG[$s,cr_conc]=$(awk '{ print $1 }' "$TMP/cr.$c.$s" | median | awk '{ printf "%.0f", $1 }')
			fi
		done
		if [ "$c" = 1 ]; then key=cr_seq; else key=cr_conc; fi
		log "connections: $c at a time: $(for s in "${SERVER_LIST[@]}"; do printf '%s %s conn/s  ' "$s" "${FIG[$s,$key]:-FAIL}"; done)"
	done
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
want throughput && bench_throughput
want connections && bench_connections
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# the forwarding ssh processes must have lasted the whole run
for s in "${SERVER_LIST[@]}"; do
	kill -0 "${FWD_PID[$s]}" 2>/dev/null ||
		log "WARNING: $s: the forwarding ssh ended during the run: $(tail -2 "$TMP/fwd.$s.err" | tr '\n' ' ')"
done

# ---------------------------------------------------------------- report

TABLE=$(bench_table)
echo
echo "$TABLE"
echo

if [ "$RECORD" = 1 ]; then
	{
		[ -s "$RESULTS" ] || printf '# nsshd benchmark results\n\nAppended by the scripts in `bench/`; see `bench/README.md` for what is measured and how.\n'
		echo
		echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — port forwarding (bench/forward.sh), $MODE run${ONLY:+ ($ONLY)}" | sed 's/ (all)//'
		echo
		echo "- command: \`$(bench_command forward.sh)\`"
		echo "- machine: $(bench_machine), load average $LOAD_BEFORE before, $LOAD_AFTER after"
		echo "- OpenSSH: $(bench_openssh)"
		echo "- nsshd: $(bench_nsshd_desc)"
		echo "- both servers: the configuration of bench/run.sh plus AllowTcpForwarding yes; client pinned to curve25519-sha256, ssh-ed25519, $CIPHER, ControlMaster off; one \`ssh -N -L\` per server for the whole run"
		echo "- server side: a python3 service on 127.0.0.1 (sink, source of zeros, 64-byte request/reply); the measuring client is python3 too, through the forwarded local port"
		want throughput && echo "- throughput: $((BYTES / 1048576)) MiB each way over one forwarded connection, median of $REPS, timed from connect() to the sink's byte count (upload) or the source's EOF (download)"
		want connections && echo "- connections: $CONNS connections per run (connect, 64 bytes each way, close), one at a time and $CONC at a time, median of $REPS runs, after 20 warm-up connections"
		echo
		echo "$TABLE"
	} >>"$RESULTS"
	log "appended to $RESULTS"
fi
exit 0
