#!/usr/bin/env bash
#
# bench/sftp.sh - file transfer (sftp, scp -O) through nsshd and through Debian's OpenSSH sshd,
# side by side, in one run, on loopback.
#
# Starts nsshd (Subsystem sftp internal-sftp), OpenSSH's sshd (Subsystem sftp
# /usr/lib/openssh/sftp-server, Debian's default) and, as a second reference, a second sshd
# with Subsystem sftp internal-sftp, all with bench/run.sh's configuration, then measures
# with the stock clients, alternating the servers:
#   1. big     `sftp` put and get of one 1 GiB file, MB/s, median of 3
#   2. small   `sftp` put -r and get -r of 2,000 files of 4 KiB, files/s, median of 3
#   3. scp     `scp -O` (legacy protocol) of one 1 GiB file each way, MB/s, median of 3
#              (nsshd and OpenSSH only; both run /usr/bin/scp on the server side)
# Every transfer is checked byte for byte.  Prints a table (nsshd, OpenSSH, ratio
# nsshd/OpenSSH, and the internal-sftp reference) and appends it, with the machine and the
# command line, to bench/RESULTS.md.  See bench/README.md.
#
# Usage: bench/sftp.sh [--quick] [--only big,small,scp] [--files N] [--cipher C]
#                      [--nsshd PATH] [--build-dir DIR] [--nsshd-scp auto|internal]
#                      [--servers nsshd,openssh,openssh-internal] [--no-record] [--keep]
# Must run as root (it starts the servers and creates a bench user).

set -uo pipefail
export LC_ALL=C

ORIG_ARGS=("$@")
SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$SELF_DIR/lib.sh"	# SRC_ROOT, RESULTS and the shared defaults (QUICK, NSSHD_BIN, ...)

ONLY=big,small,scp
NFILES=2000
SMALL_SIZE=4096			# bytes per small file
PER_DIR=100			# small files per directory
SERVERS="nsshd,openssh,openssh-internal"
NSSHD_SCP=auto

BENCH_USER=nsshbench
CIPHER=chacha20-poly1305@openssh.com	# OpenSSH's default, pinned so that all use the same
SFTP_SERVER=/usr/lib/openssh/sftp-server
CHECK_BYTES=$((16 * 1048576))	# the byte-for-byte check before anything is timed

usage() {
	sed -n '3,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
	echo
	cat <<'EOF'
Options:
  --quick            256 MiB files, one repetition (the 2,000 small files stay)
  --only LIST        some of big, small, scp, comma-separated (default: all three)
  --files N          number of small files (default 2000), 4 KiB each, 100 per directory
  --cipher C         cipher for every client (default chacha20-poly1305@openssh.com)
EOF
	bench_usage_nsshd 19
	cat <<'EOF'
  --nsshd-scp MODE   auto (default): nsshd's configuration says nothing, so with
                     /usr/bin/scp present nsshd runs it, as sshd does;
                     internal: add `LegacyScp internal` to nsshd's configuration
                     (nsshd's own scp -t/-f server; needs an nsshd that knows LegacyScp)
  --servers LIST     nsshd,openssh,openssh-internal (default); openssh-internal is the
                     reference column (sshd with internal-sftp) and may be left out;
                     without nsshd and openssh both, nothing is recorded
  --no-record        do not append to bench/RESULTS.md
  --keep             keep the temporary directory (configs, server logs; the transferred
                     files are removed anyway)
EOF
}

script_opt() {	# this script's own options (bench_parse_args)
	case $1 in
	--only) ONLY=${2:?--only needs an argument}; BENCH_SHIFT=2 ;;
	--only=*) ONLY=${1#*=} ;;
	--files) NFILES=${2:?--files needs an argument}; BENCH_SHIFT=2 ;;
	--files=*) NFILES=${1#*=} ;;
	--cipher) CIPHER=${2:?--cipher needs an argument}; BENCH_SHIFT=2 ;;
	--cipher=*) CIPHER=${1#*=} ;;
	--nsshd-scp) NSSHD_SCP=${2:?--nsshd-scp needs an argument}; BENCH_SHIFT=2 ;;
	--nsshd-scp=*) NSSHD_SCP=${1#*=} ;;
	*) return 1 ;;
	esac
}
bench_parse_args sftp.sh "$@"

IFS=, read -r -a ONLY_LIST <<<"$ONLY"
[ ${#ONLY_LIST[@]} -gt 0 ] || { echo "sftp.sh: --only takes big, small and/or scp" >&2; exit 2; }
for w in "${ONLY_LIST[@]}"; do
	case $w in big|small|scp) ;; *)
		echo "sftp.sh: --only takes big, small and/or scp (comma-separated), not '$w'" >&2; exit 2 ;;
	esac
done
case $NFILES in ''|*[!0-9]*|0) echo "sftp.sh: --files takes a positive number" >&2; exit 2 ;; esac
case $NSSHD_SCP in auto|internal) ;; *)
	echo "sftp.sh: --nsshd-scp takes auto or internal" >&2; exit 2 ;; esac
bench_mode
IFS=, read -r -a SERVER_LIST <<<"$SERVERS"
[ ${#SERVER_LIST[@]} -gt 0 ] || { echo "sftp.sh: --servers needs at least one server" >&2; exit 2; }
for s in "${SERVER_LIST[@]}"; do
	case $s in nsshd|openssh|openssh-internal) ;; *)
		echo "sftp.sh: unknown server '$s' (nsshd, openssh, openssh-internal)" >&2; exit 2 ;;
	esac
done

want() { [[ ",$ONLY," == *",$1,"* ]]; }
log() { printf '[bench-sftp %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

uses_sftp() { want big || want small; }
has_server nsshd && has_server openssh || RECORD=0
# the reference sshd (internal-sftp) serves only the SFTP rows
if ! uses_sftp && has_server openssh-internal; then
	list=()
	for s in "${SERVER_LIST[@]}"; do [ "$s" = openssh-internal ] || list+=("$s"); done
	[ ${#list[@]} -gt 0 ] || { echo "sftp.sh: openssh-internal takes part in big and small only" >&2; exit 2; }
	SERVER_LIST=("${list[@]}")
	SERVERS=$(IFS=,; echo "${SERVER_LIST[*]}")
fi

[ "$(id -u)" = 0 ] || die "run as root (starts sshd and nsshd, creates the user $BENCH_USER)"

if [ $BYTES -ge 1073741824 ]; then BIG_LABEL="$((BYTES / 1073741824)) GiB"; else BIG_LABEL="$((BYTES / 1048576)) MiB"; fi
SMALL_LABEL="$NFILES files of $((SMALL_SIZE / 1024)) KiB"

# ---------------------------------------------------------------- cleanup

TMP=
DATA=
CLIENT_PID=
declare -A SERVER_PID=() PORT=()

cleanup() {
	local rc=$? s leftover
	trap - EXIT INT TERM
	[ -n "$CLIENT_PID" ] && stop_tree "$CLIENT_PID"
	for s in "${!SERVER_PID[@]}"; do stop_tree "${SERVER_PID[$s]}"; done
	if [ ${#CREATED_USERS[@]} -gt 0 ]; then
		# a server-side program whose connection was cut (a client ended by `timeout`) may
		# outlive its server's per-connection processes; the user is this run's, so are they
		mapfile -t leftover < <(ps -u "$BENCH_USER" -o pid=,stat= 2>/dev/null | awk '$2 !~ /^Z/ { print $1 }')
		if [ ${#leftover[@]} -gt 0 ]; then
			log "ending ${#leftover[@]} leftover process(es) of $BENCH_USER: $(ps -o pid=,args= -p "$(IFS=,; echo "${leftover[*]}")" | tr -s ' ' | paste -sd ';')"
			kill_pids "${leftover[@]}"
		fi
	fi
	bench_remove_users
	# the transferred files go in any case (several GiB), --keep or not
	[ -n "$DATA" ] && [ -d "$DATA" ] && rm -rf "$DATA"
	bench_remove_tmp "(without the transferred files)"
	exit $rc
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

# ---------------------------------------------------------------- prerequisites

extra_pkgs=()
[ -x "$SFTP_SERVER" ] || extra_pkgs+=(openssh-sftp-server)
command -v sftp >/dev/null && command -v scp >/dev/null || extra_pkgs+=(openssh-client)
bench_prereqs "${extra_pkgs[@]}"
# scp -O runs `scp -t` / `scp -f` on the server side: /usr/bin/scp (openssh-client)
[ -x /usr/bin/scp ] || die "no /usr/bin/scp (the server side of scp -O)"

bench_tmpdir nsshd-bench-sftp
DATA=$TMP/data

# room for the source file, one copy in flight and the check files, with some margin
need=$((2 * BYTES + NFILES * SMALL_SIZE * 3 + 512 * 1048576))
avail=$(df --output=avail -B1 "$TMP" | tail -1 | tr -d ' ')
[ "${avail:-0}" -ge "$need" ] ||
	die "not enough space in $(dirname "$TMP"): $((avail / 1048576)) MiB free, $((need / 1048576)) MiB needed"

# nsshd binary: given, or built out of tree, and its privsep user (bench/lib.sh)
has_server nsshd && bench_nsshd

# the bench user, as in run.sh
bench_client_key nsshd-bench-sftp
bench_user "$BENCH_USER"
BENCH_GID=$(id -g "$BENCH_USER")

# ---------------------------------------------------------------- the files

# $DATA/src: what is sent (put, scp upload) and what is fetched (get, scp download), made
# here as root and readable by all; $DATA/up/SERVER: where uploads land (owned by the bench
# user); $DATA/dl/SERVER: where downloads land (the client runs as root).  Absolute paths,
# the same on both ends (loopback), so every result is checked with cmp / diff -r.
log "making the files: one of $BIG_LABEL, one of $((CHECK_BYTES / 1048576)) MiB$(want small && echo ", $SMALL_LABEL")"
mkdir -p "$DATA/src/small" && chmod -R 0755 "$DATA" || die "cannot make $DATA"
head -c "$BYTES" /dev/urandom >"$DATA/src/big.bin" || die "cannot write $DATA/src/big.bin"
head -c "$CHECK_BYTES" /dev/urandom >"$DATA/src/check.bin" || die "cannot write $DATA/src/check.bin"
left=$NFILES
d=0
want small || left=0
while [ $left -gt 0 ]; do
	n=$((left < PER_DIR ? left : PER_DIR))
	dir=$(printf '%s/src/small/d%03d' "$DATA" $d)
	mkdir "$dir" || die "cannot make $dir"
	head -c $((n * SMALL_SIZE)) /dev/urandom | (cd "$dir" && split -b "$SMALL_SIZE" -a 3 -d - f) ||
		die "cannot make the small files in $dir"
	left=$((left - n)); d=$((d + 1))
done
NDIRS=$d
chmod -R a+rX "$DATA/src"
want small && { [ "$(find "$DATA/src/small" -type f | wc -l)" = "$NFILES" ] || die "made the wrong number of small files"; }
for s in "${SERVER_LIST[@]}"; do
	install -d -m 0755 -o "$BENCH_USER" -g "$BENCH_GID" "$DATA/up/$s"
	install -d -m 0755 "$DATA/dl/$s"
done
sync

# ---------------------------------------------------------------- servers

# the configuration of run.sh, plus the SFTP subsystem: Debian's sftp-server for OpenSSH
# (its default sshd_config), internal-sftp for nsshd and for the reference sshd
write_config() {	# write_config NAME PORT
	local subsys extra=()
	if [ "$1" = openssh ]; then subsys=$SFTP_SERVER; else subsys=internal-sftp; fi
	# ---- nsshd's legacy scp server (issue 5) -------------------------------------------
	# --nsshd-scp internal: nsshd serves `scp -t` / `scp -f` itself even though /usr/bin/scp
	# exists.  Needs an nsshd that knows the LegacyScp keyword (an older one refuses to
	# start, which is reported below).  Without it (auto), nsshd runs /usr/bin/scp, as sshd.
	if [ "$1" = nsshd ] && [ "$NSSHD_SCP" = internal ]; then
		extra+=("LegacyScp internal")
	fi
	# -------------------------------------------------------------------------------------
	bench_sshd_config "$TMP/$1" "$2" "$TMP/$1/pid" "# $1, written by bench/sftp.sh" "$1-bench-host" \
		"Subsystem sftp $subsys" "${extra[@]}"
}

# the client options for ssh, sftp and scp alike (sftp's and scp's -l is a bandwidth limit,
# so the user goes in -o User=; the port is -p for ssh, -P for sftp and scp)
bench_ssh_opts
XFER_OPTS=(-o User="$BENCH_USER" "${BENCH_SSH_OPTS[@]}" -c "$CIPHER")
SSH_OPTS=("${XFER_OPTS[@]}")	# for sshc (bench/lib.sh)

# bench_start_server's hooks: a clear word when nsshd does not know LegacyScp, and the subsystem
server_exited() {	# server_exited NAME
	[ "$1" = nsshd ] && [ "$NSSHD_SCP" = internal ] && grep -qi legacyscp "$TMP/$1/log" &&
		die "this nsshd does not know 'LegacyScp internal' (--nsshd-scp internal); build one that does, or leave the option out"
}
server_note() {	# server_note NAME
	echo ", Subsystem sftp $(awk '$1 == "Subsystem" { print $3 }' "$TMP/$1/sshd_config")"
}

for s in "${SERVER_LIST[@]}"; do bench_start_server "$s"; done

# ---------------------------------------------------------------- clients

# client TIMEOUT COMMAND... : one bounded client call; output in $TMP/client.out and
# $TMP/client.err.  Started in the background and waited for, so that Ctrl-C or TERM reach
# the trap at once (bash runs a trap only after the foreground command ends).
client() {
	local to=$1 rc
	shift
	timeout -k 5 "$to" "$@" </dev/null >"$TMP/client.out" 2>"$TMP/client.err" &
	CLIENT_PID=$!
	wait "$CLIENT_PID"
	rc=$?
	CLIENT_PID=
	return $rc
}
client_err() {	# the client's last words, or its exit status
	local rc=$1 why
	why=$(grep -v '^sftp>' "$TMP/client.err" | tail -2 | paste -sd '|' | sed 's/|/; /g')
	[ "$rc" = 124 ] && why="no end within the time limit (timeout)${why:+; $why}"
	echo "${why:-exit status $rc}"
}

sftp_batch() {	# sftp_batch SERVER TIMEOUT COMMAND... : one sftp connection running the commands
	local s=$1 to=$2
	shift 2
	printf '%s\n' "$@" >"$TMP/batch"
	client "$to" sftp -b "$TMP/batch" "${XFER_OPTS[@]}" -P "${PORT[$s]}" 127.0.0.1
}

scp_legacy() {	# scp_legacy SERVER TIMEOUT FROM TO : one scp -O (host 127.0.0.1 written in FROM/TO)
	local s=$1 to=$2
	client "$to" scp -O "${XFER_OPTS[@]}" -P "${PORT[$s]}" "$3" "$4"
}

# op SERVER OP FILE : one transfer, untimed parts (clean-up, sync, the byte-for-byte check)
# around it; sets OP_US to its wall time in microseconds, or returns 1 with OP_WHY.
#   OP: put get (sftp, FILE), put_r get_r (sftp, the small tree), scp_up scp_down (FILE)
op() {
	local s=$1 what=$2 file=${3:-big.bin} src got rc
	OP_US=; OP_WHY=
	rm -rf "${DATA:?}/up/$s/"* "${DATA:?}/dl/$s/"*
	sync	# the previous transfer's dirty pages are not this one's to write
	case $what in
	put|scp_up) src=$DATA/src/$file; got=$DATA/up/$s/$file ;;
	get|scp_down) src=$DATA/src/$file; got=$DATA/dl/$s/$file ;;
	put_r) src=$DATA/src/small; got=$DATA/up/$s/small ;;
	get_r) src=$DATA/src/small; got=$DATA/dl/$s/small ;;
	esac
	case $what in
	put) time_us sftp_batch "$s" 900 "put $src $got" ;;
	get) time_us sftp_batch "$s" 900 "get $src $got" ;;
	put_r) time_us sftp_batch "$s" 600 "put -r $src $DATA/up/$s" ;;
	get_r) time_us sftp_batch "$s" 600 "get -r $src $DATA/dl/$s" ;;
	scp_up) time_us scp_legacy "$s" 900 "$src" "127.0.0.1:$got" ;;
	scp_down) time_us scp_legacy "$s" 900 "127.0.0.1:$src" "$got" ;;
	esac
	rc=$?
	if [ $rc != 0 ]; then
		OP_WHY=$(client_err $rc)
	elif [ -d "$src" ]; then
		if [ ! -d "$got" ]; then
			OP_WHY="no $got after the transfer"
		elif ! diff -r -q "$src" "$got" >"$TMP/diff.out" 2>&1; then
			OP_WHY="the copied tree differs: $(head -2 "$TMP/diff.out" | paste -sd ';')"
		fi
	elif [ ! -f "$got" ]; then
		OP_WHY="no $got after the transfer"
	elif ! cmp -s "$src" "$got"; then
		OP_WHY="$got differs from $src ($(stat -c %s "$got") of $(stat -c %s "$src") bytes)"
	fi
	rm -rf "${DATA:?}/up/$s/"* "${DATA:?}/dl/$s/"*
	[ -z "$OP_WHY" ] || return 1
	OP_US=$TIME_US
}

# ---------------------------------------------------------------- checks before timing

# Which parts each server can take: SFTP (big, small) and scp -O.  OpenSSH failing a check
# stops the run; nsshd failing one (for now: internal-sftp not there yet) makes its figures
# n/a and the run goes on with the rest, recording nothing.
declare -A OK=() NOTREADY=()

server_log_tail() { tail -"${2:-4}" "$TMP/$1/log" | sed 's/^/    /' >&2; }

not_ready() {	# not_ready SERVER PART MESSAGE
	local s=$1 part=$2
	shift 2
	if [ "$s" = nsshd ]; then
		log "nsshd: NOT READY for $part: $*"
		log "nsshd: last lines of its log:"
		server_log_tail nsshd 6
		NOTREADY[$part]="$*"
	else
		log "$s: $part does not work: $*"
		server_log_tail "$s" 6
		die "$s fails the $part check; nothing measured"
	fi
}

check_sftp() {	# check_sftp SERVER
	local s=$1 w rc checks=("put check.bin" "get check.bin")
	want small && checks+=(put_r get_r)
	# 1. does the subsystem answer at all (30 s at most: a server that accepts the subsystem
	#    and then never answers must not hang the run)
	sftp_batch "$s" 30 pwd
	rc=$?
	if [ $rc != 0 ] || ! grep -q '^Remote working directory: /' "$TMP/client.out"; then
		if [ "$s" = nsshd ]; then
			not_ready nsshd SFTP "\`sftp\` gets no SFTP session from \`Subsystem sftp internal-sftp\` ($(client_err $rc)); nsshd's internal SFTP server is missing or refuses the subsystem, so its SFTP rows are n/a"
		else
			not_ready "$s" SFTP "\`sftp ... pwd\`: $(client_err $rc)"
		fi
		return 1
	fi
	# 2. every byte arrives, both ways; the small tree both ways (also a warm-up)
	for w in "${checks[@]}"; do
		# shellcheck disable=SC2086
		op "$s" $w || { not_ready "$s" SFTP "sftp ${w%% *}: $OP_WHY"; return 1; }
	done
	OK[$s,sftp]=1
}

check_scp() {	# check_scp SERVER
	local s=$1 w
	for w in scp_up scp_down; do
		op "$s" $w check.bin || { not_ready "$s" "scp -O" "scp -O ${w#scp_}load: $OP_WHY"; return 1; }
	done
	OK[$s,scp]=1
}

for s in "${SERVER_LIST[@]}"; do
	if uses_sftp; then
		check_sftp "$s" &&
			log "$s: sftp ok ($((CHECK_BYTES / 1048576)) MiB put and get$(want small && echo ", $SMALL_LABEL put -r and get -r"), byte for byte)"
	fi
	if want scp && [ "$s" != openssh-internal ]; then
		check_scp "$s" &&
			log "$s: scp -O ok ($((CHECK_BYTES / 1048576)) MiB each way, byte for byte)"
	fi
done

# ---------------------------------------------------------------- figures

declare -A FIG=()	# FIG[server,key] = value
ROWS=()	# "key|label|unit|part"

# measure KEY OP PART UNIT FILE : REPS repetitions, the servers alternating; MB/s (10^6
# bytes/s) of FILE, or files/s of the small tree; wall time of the whole client command,
# connection set-up included (about 35 ms, well under 1 % of a 1 GiB transfer)
measure() {
	local key=$1 what=$2 part=$3 unit=$4 file=${5:-big.bin} s list=() amount
	for s in "${SERVER_LIST[@]}"; do
		[ -n "${OK[$s,$part]:-}" ] && list+=("$s")
		: >"$TMP/$key.$s"
	done
	[ ${#list[@]} -gt 0 ] || return 0
	if [ "$unit" = files/s ]; then amount=$NFILES; else amount=$(stat -c %s "$DATA/src/$file"); fi
	for _ in $(seq "$REPS"); do
		for s in "${list[@]}"; do
			if op "$s" "$what" "$file"; then
				# MB/s: bytes per microsecond; files/s: files per microsecond * 10^6
				awk -v a="$amount" -v us="$OP_US" -v u="$unit" \
					'BEGIN { printf "%.1f\n", (u == "files/s" ? a * 1e6 : a) / us }' >>"$TMP/$key.$s"
			else
				log "$key: $s failed: $OP_WHY"
			fi
		done
	done
	for s in "${list[@]}"; do
		[ -s "$TMP/$key.$s" ] || continue
		FIG[$s,$key]=$(median <"$TMP/$key.$s" | awk '{ printf "%.0f", $1 }')
	done
	log "$key: $(for s in "${list[@]}"; do printf '%s %s %s  ' "$s" "${FIG[$s,$key]:-FAIL}" "$unit"; done)"
}

if [ "$NSSHD_SCP" = internal ]; then SCP_NOTE=" (nsshd: its internal scp; OpenSSH: /usr/bin/scp)"; else SCP_NOTE=; fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$SECONDS
if want big; then
	log "big: sftp put and get of $BIG_LABEL, $REPS repetition(s), cipher $CIPHER"
	ROWS+=("sftp_put|\`sftp\` put, one $BIG_LABEL file|MB/s|sftp" "sftp_get|\`sftp\` get, one $BIG_LABEL file|MB/s|sftp")
	measure sftp_put put sftp MB/s
	measure sftp_get get sftp MB/s
fi
if want small; then
	log "small: sftp put -r and get -r of $SMALL_LABEL in $NDIRS directories, $REPS repetition(s)"
	ROWS+=("sftp_put_r|\`sftp\` put -r, $SMALL_LABEL|files/s|sftp" "sftp_get_r|\`sftp\` get -r, $SMALL_LABEL|files/s|sftp")
	measure sftp_put_r put_r sftp files/s
	measure sftp_get_r get_r sftp files/s
fi
if want scp; then
	log "scp: scp -O of $BIG_LABEL each way, $REPS repetition(s)"
	ROWS+=("scp_up|\`scp -O\` upload, one $BIG_LABEL file$SCP_NOTE|MB/s|scp" "scp_down|\`scp -O\` download, one $BIG_LABEL file$SCP_NOTE|MB/s|scp")
	measure scp_up scp_up scp MB/s
	measure scp_down scp_down scp MB/s
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
log "timed part took $((SECONDS - T_START)) s"

# ---------------------------------------------------------------- report

MISSING=()	# rows without an nsshd or OpenSSH figure
table() {
	local row key label unit part a b c r verdict ref=0
	has_server openssh-internal && uses_sftp && ref=1
	if [ $ref = 1 ]; then
		echo "| figure | unit | nsshd | OpenSSH | nsshd/OpenSSH | better if | OpenSSH internal-sftp (reference) | nsshd/internal-sftp |"
		echo "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |"
	else
		echo "| figure | unit | nsshd | OpenSSH | nsshd/OpenSSH | better if |"
		echo "| --- | --- | ---: | ---: | ---: | --- |"
	fi
	for row in "${ROWS[@]}"; do
		IFS='|' read -r key label unit part <<<"$row"
		a=${FIG[nsshd,$key]:-}; b=${FIG[openssh,$key]:-}; c=${FIG[openssh-internal,$key]:-}
		r=$(ratio "$a" "$b")
		verdict=
		[ "$r" != - ] && awk -v r="$r" 'BEGIN { exit !(r < 1) }' && verdict=" (worse)"
		printf '| %s | %s | %s | %s | %s%s | >= 1 |' "$label" "$unit" "${a:-n/a}" "${b:-n/a}" "$r" "$verdict"
		if [ $ref = 1 ]; then
			if [ "$part" = sftp ]; then
				printf ' %s | %s |' "${c:-n/a}" "$(ratio "$a" "$c")"
			else
				printf ' - | - |'
			fi
		fi
		echo
	done
}

TABLE=$(table)
echo
echo "$TABLE"
echo

# nothing goes into RESULTS.md unless every row has both an nsshd and an OpenSSH figure
for row in "${ROWS[@]}"; do
	IFS='|' read -r key label _ _ <<<"$row"
	{ has_server nsshd && [ -z "${FIG[nsshd,$key]:-}" ]; } ||
		{ has_server openssh && [ -z "${FIG[openssh,$key]:-}" ]; } && MISSING+=("$key")
done
for part in "${!NOTREADY[@]}"; do
	log "nsshd: NOT READY for $part: ${NOTREADY[$part]}"
done

if [ "$RECORD" = 1 ] && [ ${#MISSING[@]} -gt 0 ]; then
	log "not recorded in $RESULTS: no figure for ${MISSING[*]}"
	RECORD=0
	RC=1
elif [ ${#MISSING[@]} -gt 0 ]; then
	RC=1
else
	RC=0
fi

if [ "$RECORD" = 1 ]; then
	if [ "$NSSHD_SCP" = internal ]; then scpwho="nsshd its internal scp (\`LegacyScp internal\`), OpenSSH /usr/bin/scp"; else scpwho="both run /usr/bin/scp (\`scp -t\` / \`scp -f\` through the user's shell)"; fi
	{
		[ -s "$RESULTS" ] || printf '# nsshd benchmark results\n\nAppended by the scripts in `bench/`; see `bench/README.md` for what is measured and how.\n'
		echo
		echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — file transfer (bench/sftp.sh), $MODE run$( [ "$ONLY" = big,small,scp ] || echo " ($ONLY)")"
		echo
		echo "- command: \`$(bench_command sftp.sh)\`"
		echo "- machine: $(bench_machine), load average $LOAD_BEFORE before, $LOAD_AFTER after; files in $(df --output=fstype "$TMP" | tail -1) ($(dirname "$TMP"))"
		echo "- OpenSSH: $(bench_openssh "openssh-sftp-server $(bench_pkg_version openssh-sftp-server)")"
		echo "- nsshd: $(bench_nsshd_desc)"
		echo "- servers: the configuration of bench/run.sh plus \`Subsystem sftp internal-sftp\` (nsshd$(has_server openssh-internal && echo ', and the reference sshd')) or \`Subsystem sftp $SFTP_SERVER\` (OpenSSH, Debian's default); scp -O: $scpwho"
		echo "- clients: stock \`sftp\` (defaults: its buffer and request sizes, 64 requests in flight) and \`scp -O\`, pinned to curve25519-sha256, ssh-ed25519, $CIPHER, ControlMaster off; wall time of the whole client command (connection included), median of $REPS, servers alternating; every transfer checked with cmp / diff -r (untimed), \`sync\` before each"
		want big || want scp && echo "- big file: $BIG_LABEL of random data; MB/s = 10^6 bytes/s"
		want small && echo "- small files: $NFILES files of $SMALL_SIZE bytes of random data in $NDIRS directories, one \`put -r\` / \`get -r\` of the tree"
		echo
		echo "$TABLE"
	} >>"$RESULTS"
	log "appended to $RESULTS"
fi
exit $RC
