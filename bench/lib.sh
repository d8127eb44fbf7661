# bench/lib.sh - pieces the benchmark scripts (run.sh, forward.sh, sftp.sh, container.sh) share.
# Sourced right after the script sets SELF_DIR; the caller defines log() and die().
#
# Sourcing it sets the defaults every script shares (each may be changed by the options that
# bench_common_opt parses): SRC_ROOT, RESULTS (env BENCH_RESULTS), QUICK=0, NSSHD_BIN (env
# NSSHD), BUILD_DIR (env NSSHD_BUILD_DIR), RECORD=1, KEEP=0, PRIVSEP_USER=nsshd,
# CREATED_USERS=() (the users bench_user created, for bench_remove_users).

# the variables set here are the callers' to use
# shellcheck disable=SC2034

SRC_ROOT=$(cd "$SELF_DIR/.." && pwd)
RESULTS=${BENCH_RESULTS:-$SELF_DIR/RESULTS.md}

QUICK=0
NSSHD_BIN=${NSSHD:-}
BUILD_DIR=${NSSHD_BUILD_DIR:-/tmp/build-bench}
RECORD=1
KEEP=0
PRIVSEP_USER=nsshd
CREATED_USERS=()

# ---------------------------------------------------------------- options

# bench_common_opt ARGS... : parse one of the options all scripts take (--quick, --nsshd,
# --build-dir, --no-record, --keep, and --servers in the scripts that set SERVERS) from the
# front of ARGS; sets BENCH_SHIFT to the number of words it took, or returns 1 if ARGS starts
# with something else.
bench_common_opt() {
	BENCH_SHIFT=1
	case $1 in
	--servers|--servers=*) [ -n "${SERVERS+set}" ] || return 1 ;;
	esac
	case $1 in
	--quick) QUICK=1 ;;
	--servers) SERVERS=${2:?--servers needs an argument}; BENCH_SHIFT=2 ;;
	--servers=*) SERVERS=${1#*=} ;;
	--nsshd) NSSHD_BIN=${2:?--nsshd needs an argument}; BENCH_SHIFT=2 ;;
	--nsshd=*) NSSHD_BIN=${1#*=} ;;
	--build-dir) BUILD_DIR=${2:?--build-dir needs an argument}; BENCH_SHIFT=2 ;;
	--build-dir=*) BUILD_DIR=${1#*=} ;;
	--no-record) RECORD=0 ;;
	--keep) KEEP=1 ;;
	*) return 1 ;;
	esac
}

# bench_parse_args PROG ARGS... : the command line: each word goes first to the caller's
# `script_opt ARGS...` (its own options: sets BENCH_SHIFT when a value follows, returns 1 for
# what it does not know), then to bench_common_opt; -h/--help runs the caller's usage and
# exits 0; anything else exits 2 naming PROG
bench_parse_args() {
	local prog=$1
	shift
	while [ $# -gt 0 ]; do
		BENCH_SHIFT=1
		case $1 in
		-h|--help) usage; exit 0 ;;
		esac
		script_opt "$@" || bench_common_opt "$@" ||
			{ echo "$prog: unknown argument: $1 (try --help)" >&2; exit 2; }
		shift "$BENCH_SHIFT"
	done
}

# bench_mode : from QUICK, MODE (quick or full), BYTES per transfer (256 MiB or 1 GiB) and REPS
# (1 or 3 repetitions)
bench_mode() {
	if [ "$QUICK" = 1 ]; then
		BYTES=$((256 * 1024 * 1024)); REPS=1; MODE=quick
	else
		BYTES=$((1024 * 1024 * 1024)); REPS=3; MODE=full
	fi
}

has_server() { [[ ",$SERVERS," == *",$1,"* ]]; }	# has_server NAME : NAME is in $SERVERS

# bench_usage_nsshd WIDTH : the --help lines of --nsshd and --build-dir, the option names
# padded to WIDTH columns
bench_usage_nsshd() {
	local w=$1
	printf '  %-*s%s\n' "$w" "--nsshd PATH" "use this nsshd binary (nsshd-session must sit next to it);" \
		"$w" "" "default: build the source tree into --build-dir (env NSSHD)" \
		"$w" "--build-dir DIR" "out-of-tree build used when --nsshd is not given" \
		"$w" "" "(default /tmp/build-bench; env NSSHD_BUILD_DIR)"
}

# bench_usage_servers WIDTH : the --help lines of --servers (nsshd,openssh), --no-record and
# --keep, the option names padded to WIDTH columns
bench_usage_servers() {
	local w=$1
	printf '  %-*s%s\n' "$w" "--servers LIST" "nsshd,openssh (default); one alone for debugging (nothing recorded)" \
		"$w" "--no-record" "do not append to bench/RESULTS.md" \
		"$w" "--keep" "keep the temporary directory (configs, server logs)"
}

# bench_server_list PROG : split $SERVERS (nsshd,openssh) into SERVER_LIST, or exit 2 naming
# PROG; with only one server nothing is recorded (RECORD=0)
bench_server_list() {
	local s
	IFS=, read -r -a SERVER_LIST <<<"$SERVERS"
	for s in "${SERVER_LIST[@]}"; do
		case $s in nsshd|openssh) ;; *) echo "$1: unknown server '$s'" >&2; exit 2 ;; esac
	done
	[ "${#SERVER_LIST[@]}" -eq 2 ] || RECORD=0
}

# ---------------------------------------------------------------- processes

kill_pids_within() {	# kill_pids_within SECONDS PID... : TERM, wait up to SECONDS, then KILL
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

kill_pids() {	# kill_pids PID... : TERM, wait up to 5 s, then KILL
	kill_pids_within 5 "$@"
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

stop_tree() {	# stop_tree PID : PID and everything below it
	local kids
	[ -n "$1" ] || return 0
	kids=$(descendants "$1")
	# shellcheck disable=SC2086
	kill_pids "$1" $kids
	wait "$1" 2>/dev/null
}

# ---------------------------------------------------------------- set-up

# bench_prereqs [PKG...] : apt-get install what is missing of openssh-server (/usr/sbin/sshd),
# openssh-client (ssh), iproute2 (ss) and the packages given; makes sshd's /run/sshd
bench_prereqs() {
	local pkgs=() p
	[ -x /usr/sbin/sshd ] || pkgs+=(openssh-server)
	command -v ssh >/dev/null || pkgs+=(openssh-client)
	command -v ss >/dev/null || pkgs+=(iproute2)
	for p in "$@"; do [[ " ${pkgs[*]} " == *" $p "* ]] || pkgs+=("$p"); done
	if [ ${#pkgs[@]} -gt 0 ]; then
		log "installing ${pkgs[*]}"
		# policy-rc.d keeps the package from starting its own sshd service
		DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 timeout 600 apt-get install -y -q \
			"${pkgs[@]}" >/dev/null || die "apt-get install ${pkgs[*]} failed"
	fi
	[ -d /run/sshd ] || mkdir -m 0755 /run/sshd	# sshd's privilege separation directory
}

bench_tmpdir() {	# bench_tmpdir NAME : TMP=/tmp/NAME.XXXXXX, made here, mode 0755
	TMP=$(mktemp -d "/tmp/$1.XXXXXX") || die "mktemp failed"
	chmod 0755 "$TMP"
}

# bench_nsshd: use $NSSHD_BIN if given, else build nsshd and nsshd-session out
# of tree in $BUILD_DIR (make is incremental, so a re-run picks up source
# changes).  Leaves an absolute NSSHD_BIN with nsshd-session beside it, and
# creates nsshd's privilege separation user $PRIVSEP_USER if missing.
bench_nsshd() {
	if [ -z "$NSSHD_BIN" ]; then
		log "building nsshd in $BUILD_DIR"
		if [ ! -x "$SRC_ROOT/configure" ]; then
			(cd "$SRC_ROOT" && timeout 600 autoreconf -fi) >"$TMP/build.log" 2>&1 ||
				{ tail -20 "$TMP/build.log" >&2; die "autoreconf failed"; }
		fi
		mkdir -p "$BUILD_DIR"
		if [ ! -f "$BUILD_DIR/Makefile" ]; then
			(cd "$BUILD_DIR" && timeout 600 "$SRC_ROOT/configure" -q) >>"$TMP/build.log" 2>&1 ||
				{ tail -20 "$TMP/build.log" >&2; die "configure failed (see above)"; }
		fi
		(cd "$BUILD_DIR" && timeout 1200 make -j"$(nproc)" nsshd nsshd-session) >>"$TMP/build.log" 2>&1 ||
			{ tail -30 "$TMP/build.log" >&2; die "make failed (see above)"; }
		NSSHD_BIN=$BUILD_DIR/nsshd
	fi
	[ -x "$NSSHD_BIN" ] || die "no nsshd binary at $NSSHD_BIN"
	NSSHD_BIN=$(cd "$(dirname "$NSSHD_BIN")" && pwd)/$(basename "$NSSHD_BIN")
	[ -x "$(dirname "$NSSHD_BIN")/nsshd-session" ] || die "no nsshd-session next to $NSSHD_BIN"
	id "$PRIVSEP_USER" >/dev/null 2>&1 ||
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$PRIVSEP_USER" || die "cannot create user $PRIVSEP_USER"
}

bench_client_key() {	# bench_client_key COMMENT : a fresh Ed25519 key in $TMP/client_key
	ssh-keygen -q -t ed25519 -N '' -C "$1" -f "$TMP/client_key" || die "ssh-keygen failed"
}

# bench_user USER : a bench user, a plain account with /bin/sh as its shell (created if missing,
# and then listed in CREATED_USERS), no password ('*' is "no password", not "locked", so sshd
# with UsePAM no lets it in), $TMP/client_key.pub in its ~/.ssh/authorized_keys
bench_user() {
	local u=$1 home grp
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
}

bench_remove_users() {	# bench_remove_users : userdel the users bench_user created
	local u
	for u in "${CREATED_USERS[@]}"; do
		userdel --remove "$u" 2>/dev/null || log "could not remove user $u"
	done
}

bench_remove_tmp() {	# bench_remove_tmp [NOTE] : rm -rf $TMP, or with --keep say it is kept
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		if [ "$KEEP" = 1 ]; then log "kept $TMP${1:+ $1}"; else rm -rf "$TMP"; fi
	fi
}

# ---------------------------------------------------------------- servers

listening() {	# listening PORT : something listens on TCP port PORT
	[ -n "$(ss -Htln "sport = :$1")" ]
}

free_port() {	# free_port [TAKEN...] : a TCP port in 20000-59999 nothing uses and not TAKEN
	local p used
	used=$(ss -Htan | awk '{ n = split($4, a, ":"); print a[n] }')
	for _ in $(seq 200); do
		p=$((20000 + RANDOM % 40000))
		grep -qx "$p" <<<"$used" && continue
		[[ " $* " == *" $p "* ]] && continue
		echo "$p"; return 0
	done
	return 1
}

# bench_sshd_config DIR PORT PIDFILE HEADER KEYCOMMENT [LINE...] : a fresh Ed25519 host key
# DIR/host_ed25519_key (comment KEYCOMMENT) and DIR/sshd_config, the same for every server:
# only the port, host key and pid file differ.  UsePAM no for all (nsshd accepts UsePAM but
# a PAM session would cost OpenSSH extra work that nsshd does not do yet).  Algorithms are
# pinned on the client side (see bench_ssh_opts).  HEADER is its first line (a comment), the
# LINEs go at the end.  The host key is added to $TMP/known_hosts for [127.0.0.1]:PORT.
bench_sshd_config() {
	local dir=$1 port=$2 pidfile=$3 header=$4 comment=$5
	shift 5
	mkdir -p "$dir"
	ssh-keygen -q -t ed25519 -N '' -C "$comment" -f "$dir/host_ed25519_key" ||
		die "ssh-keygen failed"
	cat >"$dir/sshd_config" <<EOF
$header
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519_key
PidFile $pidfile
AuthorizedKeysFile .ssh/authorized_keys
LogLevel INFO
UsePAM no
StrictModes yes
PermitRootLogin no
EOF
	[ $# -eq 0 ] || printf '%s\n' "$@" >>"$dir/sshd_config"
	printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/host_ed25519_key.pub")" \
		>>"$TMP/known_hosts"
}

# bench_ssh_opts : BENCH_SSH_OPTS, the client options of every script: no config file, the key
# $TMP/client_key, $TMP/known_hosts, no agent, no ControlMaster, pinned to curve25519-sha256
# and ssh-ed25519 (what nsshd implements), no compression.  The caller adds the user (-l or
# -o User=) and, where it pins one, the cipher.
bench_ssh_opts() {
	BENCH_SSH_OPTS=(-F /dev/null -i "$TMP/client_key"
		-o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes
		-o UserKnownHostsFile="$TMP/known_hosts" -o GlobalKnownHostsFile=/dev/null
		-o StrictHostKeyChecking=yes -o UpdateHostKeys=no -o CheckHostIP=no
		-o ControlMaster=no -o ControlPath=none
		-o KexAlgorithms=curve25519-sha256 -o HostKeyAlgorithms=ssh-ed25519
		-o PubkeyAcceptedAlgorithms=ssh-ed25519 -o Compression=no
		-o ConnectTimeout=10 -o ServerAliveInterval=0 -o LogLevel=ERROR)
}

sshc() {	# sshc SERVER TIMEOUT ARGS... : a bounded client call against SERVER (SSH_OPTS)
	local s=$1 to=$2; shift 2
	timeout -k 5 "$to" ssh "${SSH_OPTS[@]}" -p "${PORT[$s]}" "$@"
}

# bench_wait_listen NAME PID PORT LOG : wait up to 10 s for PID to listen on 127.0.0.1:PORT;
# returns 1 (after showing the end of LOG) if PID ends first, dies if it does not listen
bench_wait_listen() {
	for _ in $(seq 100); do
		kill -0 "$2" 2>/dev/null || { tail -20 "$4" >&2; return 1; }
		listening "$3" && return 0
		sleep 0.1
	done
	listening "$3" || { tail -20 "$4" >&2; die "$1 does not listen on 127.0.0.1:$3"; }
}

# bench_start_server NAME : start NAME (nsshd: $NSSHD_BIN, else /usr/sbin/sshd) on a free port
# (none of PORT[*] and $TAKEN_PORTS) with the configuration the caller's `write_config NAME
# PORT` writes to $TMP/NAME/sshd_config, its log in $TMP/NAME/log; sets PORT[NAME] and
# SERVER_PID[NAME], waits until it listens and a login (sshc) works.  Optional hooks of the caller: `server_exited NAME` runs (and may die
# with a better message) when the server ends at start; `server_note NAME` adds to the log line.
bench_start_server() {
	local name=$1 bin dir=$TMP/$1 out
	# shellcheck disable=SC2086
	PORT[$name]=$(free_port "${PORT[@]}" ${TAKEN_PORTS:-}) || die "no free port"
	write_config "$name" "${PORT[$name]}"
	if [ "$name" = nsshd ]; then bin=$NSSHD_BIN; else bin=/usr/sbin/sshd; fi
	"$bin" -D -e -f "$dir/sshd_config" >"$dir/log" 2>&1 </dev/null &
	SERVER_PID[$name]=$!
	if ! bench_wait_listen "$name" "${SERVER_PID[$name]}" "${PORT[$name]}" "$dir/log"; then
		unset "SERVER_PID[$name]"
		declare -F server_exited >/dev/null && server_exited "$name"
		die "$name exited at start"
	fi
	if ! out=$(sshc "$name" 30 127.0.0.1 'echo bench-ok' </dev/null 2>&1) ||
		[ "$(tail -1 <<<"$out")" != bench-ok ]; then
		log "$name: login test failed: $out"
		tail -20 "$dir/log" >&2
		die "cannot log into $name on port ${PORT[$name]}"
	fi
	log "$name: pid ${SERVER_PID[$name]}, 127.0.0.1:${PORT[$name]}, login ok ($bin$(declare -F server_note >/dev/null && server_note "$name"))"
}

# ---------------------------------------------------------------- figures

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pct() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { if (NR == 0) exit; i = int(NR * q); if (i < NR * q) i++; if (i < 1) i = 1; print v[i] }'; }
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# time_us COMMAND... : run COMMAND, its wall time in microseconds in TIME_US; returns its status
time_us() {
	local t0 t1 rc
	t0=$(now_us)
	"$@"
	rc=$?
	t1=$(now_us)
	TIME_US=$((t1 - t0))
	return $rc
}

# ms_median FILE, ms_p90 FILE : median / p90 (nearest rank) of FILE's microseconds, in ms, 1 decimal
ms_median() { median <"$1" | awk '{ printf "%.1f", $1 / 1000 }'; }
ms_p90() { pct 0.9 <"$1" | awk '{ printf "%.1f", $1 / 1000 }'; }

ratio() {	# ratio A B : A/B with 2 decimals, or -
	awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'
}

# bench_table : the table of ROWS ("key|label|unit|better", better: low or high) with FIG[nsshd,key],
# FIG[openssh,key] and their ratio; a ratio on the wrong side of 1 is marked (worse)
bench_table() {
	local row key label unit better a b r verdict
	echo "| figure | unit | nsshd | OpenSSH | nsshd/OpenSSH | better if |"
	echo "| --- | --- | ---: | ---: | ---: | --- |"
	for row in "${ROWS[@]}"; do
		IFS='|' read -r key label unit better <<<"$row"
		a=${FIG[nsshd,$key]:-}; b=${FIG[openssh,$key]:-}
		r=$(ratio "$a" "$b"); verdict=
		if [ "$r" != - ]; then
			if [ "$better" = low ]; then
				awk -v r="$r" 'BEGIN { exit !(r > 1) }' && verdict=" (worse)"
			else
				awk -v r="$r" 'BEGIN { exit !(r < 1) }' && verdict=" (worse)"
			fi
		fi
		if [ "$better" = low ]; then better="<= 1"; else better=">= 1"; fi
		printf '| %s | %s | %s | %s | %s%s | %s |\n' "$label" "$unit" "${a:-n/a}" "${b:-n/a}" \
			"$r" "$verdict" "$better"
	done
}

# ---------------------------------------------------------------- RESULTS.md

# bench_command SCRIPT : the command line of this run, as recorded ("cd SRC_ROOT && bench/SCRIPT ARGS")
bench_command() {
	local cmd="cd $SRC_ROOT && bench/$1"
	[ ${#ORIG_ARGS[@]} -gt 0 ] && cmd+=" $(printf '%q ' "${ORIG_ARGS[@]}")"
	echo "${cmd% }"
}

# bench_machine : "N CPUs (model), kernel K, OS"
bench_machine() {
	echo "$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME")"
}

bench_pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }	# bench_pkg_version PKG

# bench_openssh [MORE] : "SSHD_VERSION (openssh-server V[, MORE]); client SSH_VERSION"
bench_openssh() {
	echo "$(/usr/sbin/sshd -V 2>&1 | head -1) (openssh-server $(bench_pkg_version openssh-server)${1:+, $1}); client $(ssh -V 2>&1)"
}

# bench_nsshd_desc : "$NSSHD_BIN, source tree at commit C (plus any uncommitted changes), CFLAGS `...`"
bench_nsshd_desc() {
	local commit cflags
	commit=$(git -C "$SRC_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
	cflags=$(sed -n 's/^CFLAGS = //p' "$(dirname "$NSSHD_BIN")/Makefile" 2>/dev/null)
	echo "$NSSHD_BIN, source tree at commit $commit (plus any uncommitted changes), CFLAGS \`${cflags:-?}\`"
}
