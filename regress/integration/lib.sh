# regress/integration/lib.sh - helpers sourced by every integration test.
#
# A test script does:
#
#   . "$(dirname "$0")/lib.sh"
#   setup "AcceptEnv LANG"           # test users, client keys, server with these extra lines
#   out=$(ssh_to nsshd-t1 echo ok </dev/null)
#   if [ "$out" = ok ]; then ok echo_ok; else fail echo_ok "output '$out'"; fi
#   finish                           # clean up; exit 1 if any test failed
#
# Helpers: setup, start_server, stop_server, server_alive, still_serving, ssh_to, ssh_cmdline,
# ok, fail, skip, finish, wait_for, badclient, descendants, kill_tree, bg_track, authorize_root.
#
# It prints one line per test, `ok integration/NAME` or `FAIL integration/NAME: REASON`,
# and `# skip integration/NAME: REASON` for a test that does not apply (not counted).
# Diagnostics go to stderr, each line starting with `#`.
#
# Environment:
#   SERVER             nsshd (default) or openssh (Debian's /usr/sbin/sshd)
#   NSSHD_BUILD        build directory holding nsshd and nsshd-session (default <repo>/build)
#   NSSHD_TEST_HOOKS   1 when that build was configured with --enable-test-hooks
#   NSSHD_TEST_PREFIX  prefix for test names (./check sets "asan/" for the ASan build)
#   NSSHD_TEST_TMPBASE where the per-script temporary directory goes (default /run, which is
#                      root-owned and not world-writable, as StrictModes wants for root's keys)
#   CLIENT_TIMEOUT     seconds allowed for one client call (default 60)
#   KEEP_TMP=1         keep the temporary directory (config, keys, logs) for inspection
#
# Needs root: it creates the test users nsshd-t1 and nsshd-t2 (left in place; ./check removes
# the ones it created) and writes their ~/.ssh/authorized_keys.

set -u

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SERVER=${SERVER:-nsshd}
NSSHD_BUILD=${NSSHD_BUILD:-$SRCDIR/build}
NSSHD_TEST_HOOKS=${NSSHD_TEST_HOOKS:-0}
NSSHD_TEST_PREFIX=${NSSHD_TEST_PREFIX:-}
CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-60}
PYTHON=${PYTHON:-/usr/bin/python3}
SCRIPT_NAME=$(basename "$0" .sh)
SCRIPT_NAME=${SCRIPT_NAME#t_}
TEST_USERS="nsshd-t1 nsshd-t2"
SSH_BIN=/usr/bin/ssh

FAILED=0
PORT=
SERVER_PID=
SERVER_LOG=
T=
BG_PIDS=
TMUX_SOCKET=

die() {
	echo "# $SCRIPT_NAME: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "integration tests need root (users, chroot, seccomp, ptys)"
case $SERVER in
nsshd|openssh) ;;
*) die "SERVER must be nsshd or openssh, not '$SERVER'" ;;
esac

T=$(mktemp -d "${NSSHD_TEST_TMPBASE:-/run}/nsshd-test.XXXXXX") || die "mktemp failed"
chmod 700 "$T"
TEST_ID=$(basename "$T")
SERVER_LOG=$T/server.log
: >"$T/client.err"

# ---------------------------------------------------------------------------- reporting

# one_line TEXT: TEXT with newlines and carriage returns folded into spaces.
one_line() {
	printf '%s' "$*" | tr '\r\n' '  ' | cut -c1-400
}

ok() {
	echo "ok ${NSSHD_TEST_PREFIX}integration/$1"
}

# fail NAME REASON: report a failed test and show the end of the server log on stderr.
fail() {
	echo "FAIL ${NSSHD_TEST_PREFIX}integration/$1: $(one_line "${2:-failed}")"
	FAILED=1
	if [ -s "$T/last.err" ]; then
		sed 's/^/#   client: /' "$T/last.err" | tail -n 5 >&2
	fi
	if [ -n "$SERVER_LOG" ] && [ -s "$SERVER_LOG" ]; then
		echo "#   last lines of the server log ($SERVER):" >&2
		tail -n 15 "$SERVER_LOG" | sed 's/^/#   /' >&2
	fi
}

# skip NAME REASON: a test that does not apply here; printed, not counted.
skip() {
	echo "# skip ${NSSHD_TEST_PREFIX}integration/$1: $(one_line "$2")"
}

# finish: clean up and exit, with status 1 if any test failed.
finish() {
	cleanup
	trap - EXIT
	exit "$FAILED"
}

# ---------------------------------------------------------------------------- processes

# descendants PID: all descendants of PID, parents before their children (one ps call).
descendants() {
	ps -e -o pid=,ppid= 2>/dev/null | awk -v root="$1" '
		{ kids[$2] = kids[$2] " " $1 }
		END {
			n = split(kids[root], queue, " ")
			for (i = 1; i <= n; i++) {
				print queue[i]
				m = split(kids[queue[i]], more, " ")
				for (j = 1; j <= m; j++) queue[++n] = more[j]
			}
		}'
}

# proc_uid PID: the real uid of PID (empty if it is gone).
proc_uid() {
	awk '/^Uid:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# kill_tree PID...: SIGTERM then SIGKILL each PID and its descendants, by id.
kill_tree() {
	local p pids=""
	for p in "$@"; do
		[ -n "$p" ] || continue
		pids="$pids $p $(descendants "$p")"
	done
	[ -n "${pids// /}" ] || return 0
	kill -TERM $pids 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		local alive=""
		for p in $pids; do
			kill -0 "$p" 2>/dev/null && alive="$alive $p"
		done
		[ -z "$alive" ] && return 0
		sleep 0.2
	done
	kill -KILL $pids 2>/dev/null
	return 0
}

# bg_track PID: remember a background process so that cleanup ends it.
bg_track() {
	BG_PIDS="$BG_PIDS $1"
}

cleanup() {
	local rc=$?
	[ -n "$TMUX_SOCKET" ] && tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null
	TMUX_SOCKET=
	[ -n "${BG_PIDS// /}" ] && kill_tree $BG_PIDS
	BG_PIDS=
	stop_server
	unauthorize_all
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "${KEEP_TMP:-0}" = 1 ]; then
			echo "# $SCRIPT_NAME: kept $T" >&2
		else
			rm -rf "$T"
		fi
	fi
	T=
	return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---------------------------------------------------------------------------- users and keys

# ensure_users: create nsshd-t1 and nsshd-t2 if missing (home under /home, bash, password
# field '*': a '!' account is locked and sshd refuses it even for key logins).
ensure_users() {
	local u
	(
		flock -w 60 9 || exit 1
		for u in $TEST_USERS; do
			if ! id "$u" >/dev/null 2>&1; then
				useradd --create-home --home-dir "/home/$u" --shell /bin/bash "$u" || exit 1
			fi
			if [ "$(getent shadow "$u" | cut -d: -f2)" != "*" ]; then
				usermod -p '*' "$u" || exit 1
			fi
		done
	) 9<"$SRCDIR/regress/integration"  # lock a directory: nothing left behind
}

# user_home USER
user_home() {
	getent passwd "$1" | cut -d: -f6
}

# authorize USER PUBKEYFILE: append the key to ~USER/.ssh/authorized_keys (user-owned, 0600,
# ~/.ssh 0700), tagged with this script's id so that cleanup removes exactly that line.
authorize() {
	local u=$1 pub=$2 home grp
	home=$(user_home "$u")
	grp=$(id -gn "$u")
	install -d -m 700 -o "$u" -g "$grp" "$home/.ssh" || return 1
	(
		flock -w 30 9 || exit 1
		[ -f "$home/.ssh/authorized_keys" ] || install -m 600 -o "$u" -g "$grp" /dev/null "$home/.ssh/authorized_keys"
		chown "$u:$grp" "$home/.ssh/authorized_keys"
		chmod 600 "$home/.ssh/authorized_keys"
		cat "$pub" >>"$home/.ssh/authorized_keys"
	) 9<"$home/.ssh"
}

unauthorize_all() {
	local u home f
	[ -n "${TEST_ID:-}" ] || return 0
	for u in $TEST_USERS; do
		home=$(user_home "$u") || continue
		f=$home/.ssh/authorized_keys
		[ -f "$f" ] || continue
		(
			flock -w 30 9 || exit 1
			grep -v " $TEST_ID\$" "$f" >"$f.nsshd-test.$$"
			cat "$f.nsshd-test.$$" >"$f"  # same inode, owner and mode
			rm -f "$f.nsshd-test.$$"
		) 9<"$home/.ssh"
	done
}

# make_keys: an Ed25519 client key per test user ($T/id_USER), authorized for that user, and
# one for root ($T/id_root) that authorize_root puts in $T/authkeys/root.
make_keys() {
	local u
	for u in $TEST_USERS root; do
		ssh-keygen -q -t ed25519 -N '' -C "$TEST_ID" -f "$T/id_$u" || return 1
	done
	for u in $TEST_USERS; do
		authorize "$u" "$T/id_$u.pub" || return 1
	done
}

# authorize_root: root's key goes to $T/authkeys/root, for a server whose config says
# "AuthorizedKeysFile .ssh/authorized_keys $T/authkeys/%u". The path is root-owned and not
# group- or world-writable all the way up, so StrictModes accepts it.
authorize_root() {
	install -d -m 755 "$T/authkeys"
	install -m 644 "$T/id_root.pub" "$T/authkeys/root"
}

# ---------------------------------------------------------------------------- server

free_port() {
	"$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_listening() {
	[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
}

server_alive() {
	[ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null
}

# start_server [LINE...]: write $T/sshd_config (the defaults below, then LINE... — a default
# whose keyword a LINE sets is left out, so every keyword appears once), start the server on a
# free loopback port, and wait until it listens. Sets PORT, SERVER_PID, SERVER_LOG.
start_server() {
	local line kw bin i cfg=$T/sshd_config
	local defaults=(
		"Port PORT_PLACEHOLDER"
		"ListenAddress 127.0.0.1"
		"HostKey $T/host_ed25519"
		"AuthorizedKeysFile .ssh/authorized_keys"
		"PidFile $T/server.pid"
		"LogLevel DEBUG1"
		"StrictModes yes"
		"LoginGraceTime 30"
		"UsePAM no"
	)
	[ -f "$T/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "$TEST_ID-host" -f "$T/host_ed25519" || return 1
	PORT=$(free_port) || return 1
	: >"$cfg"
	for line in "${defaults[@]}"; do
		kw=${line%% *}
		for i in "$@"; do
			i=${i%% *}
			[ "${i,,}" = "${kw,,}" ] && continue 2
		done
		echo "${line/PORT_PLACEHOLDER/$PORT}" >>"$cfg"
	done
	for line in "$@"; do
		echo "$line" >>"$cfg"
	done
	chmod 600 "$cfg"

	case $SERVER in
	nsshd)
		bin=$NSSHD_BUILD/nsshd
		[ -x "$bin" ] || { echo "# no executable $bin (build first, or set NSSHD_BUILD)" >&2; return 1; }
		id nsshd >/dev/null 2>&1 ||
			useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nsshd || return 1
		;;
	openssh)
		bin=/usr/sbin/sshd
		[ -x "$bin" ] || { echo "# $bin missing: apt-get install openssh-server" >&2; return 1; }
		[ -d /run/sshd ] || install -d -m 755 /run/sshd  # sshd's privsep dir
		;;
	esac

	echo "# $(date '+%T') starting $bin -D -e -f $cfg (port $PORT)" >>"$SERVER_LOG"
	"$bin" -D -e -f "$cfg" </dev/null >>"$SERVER_LOG" 2>&1 &
	SERVER_PID=$!
	for i in $(seq 1 100); do
		if ! server_alive; then
			echo "# server exited during start-up; log:" >&2
			tail -n 20 "$SERVER_LOG" | sed 's/^/#   /' >&2
			SERVER_PID=
			return 1
		fi
		port_listening "$PORT" && return 0
		sleep 0.2
	done
	echo "# server not listening on port $PORT after 20 s; log:" >&2
	tail -n 20 "$SERVER_LOG" | sed 's/^/#   /' >&2
	return 1
}

# stop_server: end the listener and every process under it (per-connection processes included:
# sshd's outlive their listener), by id. Reports sanitizer findings in the server log as a FAIL.
stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill_tree "$SERVER_PID"
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=
	fi
	if [ -n "$SERVER_LOG" ] && [ -f "$SERVER_LOG" ] &&
		grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$SERVER_LOG"; then
		fail "${SCRIPT_NAME}_sanitizers" "$(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$SERVER_LOG")"
		echo "#   sanitizer report:" >&2
		grep -A 30 -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$SERVER_LOG" | sed 's/^/#   /' >&2
		: >"$SERVER_LOG"
	fi
}

# setup [LINE...]: users, keys and a running server; exits the script with a FAIL line if that
# cannot be done (named SCRIPT_setup, so a broken server still shows in the count).
setup() {
	ensure_users || { fail "${SCRIPT_NAME}_setup" "could not create test users"; finish; }
	make_keys || { fail "${SCRIPT_NAME}_setup" "could not make client keys"; finish; }
	start_server "$@" || { fail "${SCRIPT_NAME}_setup" "server ($SERVER) did not start"; finish; }
}

# ---------------------------------------------------------------------------- client

# ssh_to [SSH-OPTION...] USER [COMMAND...]: /usr/bin/ssh to the test server as USER with
# $T/id_USER (or $SSH_KEY), bounded by timeout(1). Options come first so that they win over
# the defaults (ssh takes the first value it sees). stderr goes to ${SSH_ERR:-$T/last.err}
# and is appended to $T/client.err.
ssh_to() {
	local opts=() user key rc err
	while [ $# -gt 0 ]; do
		case $1 in
		-[bcDEeFIiJLlmOopQRSWw]) opts+=("$1" "$2"); shift 2 ;;
		-*) opts+=("$1"); shift ;;
		*) break ;;
		esac
	done
	user=$1
	shift
	key=${SSH_KEY:-$T/id_$user}
	err=${SSH_ERR:-$T/last.err}
	env -u SSH_AUTH_SOCK timeout -k 5 "$CLIENT_TIMEOUT" "$SSH_BIN" "${opts[@]}" \
		-F /dev/null -i "$key" -p "${SSH_PORT:-$PORT}" \
		-o IdentitiesOnly=yes -o IdentityAgent=none \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=10 \
		"$user@127.0.0.1" "$@" 2>"$err"
	rc=$?
	cat "$err" >>"$T/client.err" 2>/dev/null
	return "$rc"
}

# ssh_cmdline USER [SSH-OPTION...]: the same ssh invocation as one shell-quoted string, for a
# terminal (tmux). timeout --foreground keeps ssh in the foreground process group of the tty.
ssh_cmdline() {
	local user=$1
	shift
	printf '%q ' env -u SSH_AUTH_SOCK timeout --foreground -k 5 600 "$SSH_BIN" "$@" -F /dev/null -i "$T/id_$user" \
		-p "$PORT" -o IdentitiesOnly=yes -o IdentityAgent=none \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=10 "$user@127.0.0.1"
}

# still_serving: the listener is alive and a normal client runs `echo ok`. On failure, sets
# SERVING_WHY.
still_serving() {
	local out
	SERVING_WHY=
	if ! server_alive; then
		SERVING_WHY="listener (pid ${SERVER_PID:-?}) is gone"
		return 1
	fi
	out=$(ssh_to nsshd-t1 echo ok </dev/null)
	local rc=$?
	if [ "$rc" != 0 ] || [ "$out" != ok ]; then
		SERVING_WHY="a normal 'ssh echo ok' afterwards gave rc=$rc output '$out': $(tail -n 1 "$T/last.err" 2>/dev/null)"
		return 1
	fi
	return 0
}

# wait_for SECONDS COMMAND...: poll COMMAND every 0.2 s until it succeeds or time runs out.
wait_for() {
	local limit=$1 i
	shift
	for i in $(seq 1 $((limit * 5))); do
		"$@" && return 0
		sleep 0.2
	done
	"$@"
}

# badclient MODE ARGS...: run regress/integration/badclient.py, bounded in time.
badclient() {
	timeout -k 5 120 "$PYTHON" "$SRCDIR/regress/integration/badclient.py" "$@"
}
