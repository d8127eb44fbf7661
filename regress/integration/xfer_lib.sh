# regress/integration/xfer_lib.sh - helpers for the file-transfer tests (issue #5): t_sftp.sh,
# t_scp.sh, t_xfer_container.sh. Sourced after lib.sh (and after container_lib.sh when used):
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/xfer_lib.sh"
#   xfer_need sftp scp ...           FAIL NAME_setup and finish when a client program is missing
#   xfer_init                        $XW: a work directory on disk for big files (removed at the end)
#   xfer_client USER KEY [SSH-OPT...] the client side: $XWRAP (an ssh with the test options, for
#                                    sftp -S, scp -S, rsync -e, sshfs, git), $XDEST (USER@127.0.0.1)
#   xsftp [SFTP-OPT...] < BATCH      sftp -b - to $XDEST (port $XPORT); output in $T/xout,
#                                    stderr in $T/last.err
#   xrun SECONDS COMMAND...          COMMAND under timeout; stdout $T/xout, stderr $T/last.err
#   report NAME WHY                  ok NAME when WHY is empty, else FAIL NAME: WHY
#   sha FILE                         its SHA-256
#   xfer_mount DIR [SSHFS-OPT...]    sshfs $XDEST:$XRDIR on DIR (foreground sshfs in the background,
#                                    unmounted and ended by the cleanup if still there)
#   xfer_umount DIR
#   xfer_syslog_start                receive syslog at /dev/log when nothing is there (OpenSSH's
#                                    internal-sftp logs through syslog(3), not sshd's stderr);
#                                    the messages go to $XFER_SYSLOG; /dev/log is removed at the end
#   xfer_remove_later PATH...        removed (rm -rf --one-file-system) by the cleanup
#   start_second_server              a second server with the same configuration on another port:
#                                    PORT2, SERVER2_PID, SERVER2_LOG
#   putty_key USER                   $T/id_USER as a PuTTY .ppk ($T/id_USER.ppk)
#   putty_hostkey PUBFILE            the host key's SHA256 fingerprint, for -hostkey
#
# The cleanup (added in front of lib.sh's, and container_lib.sh's if sourced) unmounts every
# sshfs mount first, so that removing $T or $XW never reaches through a live mount.

XFER_TOOL=$SRCDIR/regress/integration/xfer_tool.py
XW=
XFER_MOUNTS=
XFER_REMOVE=
XFER_DEVLOG_INODE=
XFER_SYSLOG=
XFER_SYSLOG_PID=
XWRAP=
XDEST=
XPORT=
MiB=$((1024 * 1024))

report() {
	if [ -z "$2" ]; then ok "$1"; else fail "$1" "$2"; fi
}

sha() {
	sha256sum <"$1" | cut -d' ' -f1
}

# xfer_need NAME PROGRAM...: every PROGRAM is on PATH, or FAIL NAME_setup (with the packages
# that have them) and finish.
xfer_need() {
	local name=$1 p missing=
	shift
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	fail "${name}_setup" "missing:$missing (apt-get install openssh-client openssh-sftp-server sshfs fuse3 putty-tools rsync git python3-paramiko)"
	finish
}

# xfer_init: $XW, a private directory on a disk file system (not /run, which is a small tmpfs on
# most machines) for the big files.
xfer_init() {
	XW=$(mktemp -d /var/tmp/nsshd-xfer.XXXXXX) || die "mktemp in /var/tmp failed"
	chmod 755 "$XW"
}

xfer_remove_later() {
	local p
	for p in "$@"; do
		XFER_REMOVE="$XFER_REMOVE $p"
	done
}

# xfer_client USER KEY [SSH-OPTION...]: write $T/ssh-USER, a wrapper around ssh with the options
# ssh_to uses (and these), and set XWRAP, XDEST, XPORT (=$PORT) for the helpers below.
xfer_client() {
	local user=$1 key=$2 f=$T/ssh-$1
	shift 2
	{
		echo '#!/bin/bash'
		printf 'exec env -u SSH_AUTH_SOCK %q' "$SSH_BIN"
		printf ' %q' -F /dev/null -i "$key" -o IdentitiesOnly=yes -o IdentityAgent=none \
			-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes \
			-o LogLevel=ERROR -o ConnectTimeout=10 -o ServerAliveInterval=15 "$@"
		echo ' "$@"'
	} >"$f"
	chmod 755 "$f"
	XWRAP=$f
	XDEST=$user@127.0.0.1
	XPORT=$PORT
}

# xrun SECONDS COMMAND...: COMMAND under timeout(1); stdout in $T/xout, stderr in $T/last.err
# without CRs (and appended to $T/client.err). Returns COMMAND's status (124 on timeout).
xrun() {
	local secs=$1 rc
	shift
	timeout -k 5 "$secs" "$@" >"$T/xout" 2>"$T/last.err"
	rc=$?
	sed -i 's/\r$//' "$T/last.err"	# OpenSSH's clients end their messages with CR LF
	cat "$T/last.err" >>"$T/client.err" 2>/dev/null
	return "$rc"
}

# xsftp [SFTP-OPTION...]: sftp in batch mode (commands on stdin) to $XDEST; XSFTP_TIMEOUT
# seconds at most (default CLIENT_TIMEOUT).
xsftp() {
	cat >"$T/batch"
	xrun "${XSFTP_TIMEOUT:-$CLIENT_TIMEOUT}" sftp -S "$XWRAP" -P "$XPORT" -b "$T/batch" "$@" "$XDEST"
}

# errline: the client's stderr as one line.
errline() {
	one_line "$(cat "$T/last.err" 2>/dev/null)"
}

# xfer_syslog_start: a syslog receiver at /dev/log when there is none (this test machine has
# no syslog daemon). XFER_SYSLOG is empty when /dev/log was already there.
xfer_syslog_start() {
	XFER_SYSLOG=
	[ -e /dev/log ] && return 0
	"$PYTHON" "$XFER_TOOL" syslog /dev/log "$T/syslog.txt" </dev/null >/dev/null 2>"$T/syslog.err" &
	XFER_SYSLOG_PID=$!
	bg_track "$XFER_SYSLOG_PID"
	if wait_for 10 grep -qx ready "$T/syslog.txt" 2>/dev/null; then
		XFER_SYSLOG=$T/syslog.txt
		XFER_DEVLOG_INODE=$(stat -c %i /dev/log)
	fi
}

# xfer_mount DIR [SSHFS-OPTION...]: sshfs $XDEST:$XRDIR (default: the login directory) on DIR;
# waits (15 s) until it is mounted. Sets XFER_MOUNT_PID.
xfer_mount() {
	local dir=$1 i
	shift
	mkdir -p "$dir"
	sshfs -f -o "ssh_command=$XWRAP" -p "$XPORT" "$@" "$XDEST:${XRDIR:-}" "$dir" \
		</dev/null >"$T/sshfs.out" 2>"$T/sshfs.err" &
	XFER_MOUNT_PID=$!
	bg_track "$XFER_MOUNT_PID"
	XFER_MOUNTS="$XFER_MOUNTS $dir"
	for i in $(seq 1 75); do
		mountpoint -q "$dir" && return 0
		kill -0 "$XFER_MOUNT_PID" 2>/dev/null || break
		sleep 0.2
	done
	mountpoint -q "$dir"
}

xfer_umount() {
	local i
	mountpoint -q "$1" || return 0
	timeout -k 5 30 fusermount -u "$1" 2>/dev/null || timeout -k 5 30 fusermount -u -z "$1" 2>/dev/null
	for i in $(seq 1 50); do
		kill -0 "$XFER_MOUNT_PID" 2>/dev/null || break
		sleep 0.1
	done
	! mountpoint -q "$1"
}

# putty_key USER: $T/id_USER.ppk
putty_key() {
	[ -f "$T/id_$1.ppk" ] || puttygen "$T/id_$1" -O private -o "$T/id_$1.ppk" >/dev/null 2>&1
}

# putty_hostkey PUBFILE: SHA256:... of that public key
putty_hostkey() {
	ssh-keygen -l -E sha256 -f "$1" | awk '{ print $2 }'
}

# start_second_server: the same server binary on a second free port with a copy of
# $T/sshd_config (Port and PidFile changed). Sets PORT2, SERVER2_PID, SERVER2_LOG.
start_second_server() {
	local bin i cfg=$T/sshd_config2
	case $SERVER in
	nsshd) bin=$NSSHD_BUILD/nsshd ;;
	openssh) bin=/usr/sbin/sshd ;;
	esac
	PORT2=$(free_port) || return 1
	sed -e "s/^Port .*/Port $PORT2/" -e "s|^PidFile .*|PidFile $T/server2.pid|" \
		"$T/sshd_config" >"$cfg"
	chmod 600 "$cfg"
	SERVER2_LOG=$T/server2.log
	"$bin" -D -e -f "$cfg" </dev/null >>"$SERVER2_LOG" 2>&1 &
	SERVER2_PID=$!
	bg_track "$SERVER2_PID"
	for i in $(seq 1 100); do
		kill -0 "$SERVER2_PID" 2>/dev/null || return 1
		port_listening "$PORT2" && return 0
		sleep 0.2
	done
	return 1
}

xfer_cleanup() {
	local m p
	for m in $XFER_MOUNTS; do
		if mountpoint -q "$m" 2>/dev/null; then
			timeout -k 5 30 fusermount -u "$m" 2>/dev/null ||
				timeout -k 5 30 fusermount -u -z "$m" 2>/dev/null
		fi
	done
	XFER_MOUNTS=
	if [ -n "$XFER_SYSLOG_PID" ]; then
		kill_tree "$XFER_SYSLOG_PID"
		XFER_SYSLOG_PID=
	fi
	if [ -n "$XFER_DEVLOG_INODE" ] && [ -S /dev/log ] &&
		[ "$(stat -c %i /dev/log 2>/dev/null)" = "$XFER_DEVLOG_INODE" ]; then
		rm -f /dev/log
	fi
	XFER_DEVLOG_INODE=
	for p in $XFER_REMOVE; do
		[ -e "$p" ] || [ -L "$p" ] || continue
		mountpoint -q "$p" 2>/dev/null && continue
		rm -rf --one-file-system "$p"
	done
	XFER_REMOVE=
	# containers (container_lib.sh) may have their root under $XW: stop them first
	declare -F container_cleanup >/dev/null && container_cleanup
	if [ -n "$XW" ] && [ -d "$XW" ]; then
		if [ "${KEEP_TMP:-0}" = 1 ]; then
			echo "# $SCRIPT_NAME: kept $XW" >&2
		else
			rm -rf --one-file-system "$XW"
		fi
	fi
	XW=
}

# Chain in front of whatever finish and EXIT trap are in place (lib.sh's, or container_lib.sh's).
eval "xfer_prev_finish() $(declare -f finish | sed 1d)"
finish() {
	xfer_cleanup
	xfer_prev_finish
}
XFER_PREV_TRAP=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
trap "xfer_cleanup; $XFER_PREV_TRAP" EXIT
