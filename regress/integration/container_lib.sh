# regress/integration/container_lib.sh - test containers, sourced after lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/container_lib.sh"
#   ensure_rootfs || { fail x_setup "no rootfs"; finish; }
#   pid=$(start_container web)            # pivot_root container; prints its init's host PID
#   pid=$(start_container web --userns)    # the same in a user namespace (ids 0..65535 mapped 1:1)
#   pid=$(start_container web --chroot)    # chroot-style: unshare --root, the mount ns root stays
#   pid=$(start_container web --rootfs DIR)  # around a copy made with copy_rootfs DIR
#   stop_container "$pid"                   # SIGKILL its init: the namespaces go with it
#
# The rootfs is made once from Debian's busybox-static (installed if missing) under
# /var/cache/nsshd-test/rootfs: busybox and its applets in /bin, an /etc/passwd with root and
# `cuser` (uid 2345, a user the host does not have), /etc/group with tty (5), cuser (2345) and
# ctrextra (3000, cuser a member), /home/cuser owned by cuser, /tmp, and the marker file
# /$ROOTFS_MARKER so that `ls /` shows which root a session sees. A container's init is PID 1 of
# new pid, mount, net (only lo, up), uts (hostname NAME), ipc and cgroup namespaces, has /proc,
# a /dev with null zero full random urandom tty and a private devpts (/dev/ptmx -> pts/ptmx),
# and sleeps. Containers still running when the script ends are stopped by finish/cleanup.
#
# Everything runs as root (see MACHINE-NOTES.md: `unshare ... --fork` + pivot_root; SIGKILL,
# since a pid namespace's init ignores SIGTERM from outside).

ROOTFS_CACHE=${NSSHD_ROOTFS_CACHE:-/var/cache/nsshd-test}
ROOTFS=$ROOTFS_CACHE/rootfs
ROOTFS_MARKER=nsshd-test-rootfs
ROOTFS_VERSION=1
CONTAINERS_FILE=$T/containers	# "INIT-PID UNSHARE-PID" per line

# build_rootfs DIR: a fresh busybox rootfs in DIR (which must not exist).
build_rootfs() {
	local d=$1 bb
	bb=$(command -v busybox) || return 1
	mkdir -p "$d"/{bin,etc,home/cuser,tmp,dev,proc,root,.oldroot} || return 1
	cp "$bb" "$d/bin/busybox" || return 1
	"$d/bin/busybox" --install -s "$d/bin" || return 1
	# --install -s links to the running busybox's absolute path; make them relative.
	find "$d/bin" -type l -exec ln -sfn busybox {} \; || return 1
	cat >"$d/etc/passwd" <<-'EOF'
	root:x:0:0:root:/root:/bin/sh
	cuser:x:2345:2345:Container User:/home/cuser:/bin/sh
	EOF
	cat >"$d/etc/group" <<-'EOF'
	root:x:0:
	tty:x:5:
	cuser:x:2345:
	ctrextra:x:3000:cuser
	EOF
	chown 2345:2345 "$d/home/cuser" && chmod 755 "$d/home/cuser" &&
		chmod 1777 "$d/tmp" && chmod 700 "$d/root" || return 1
	echo "$ROOTFS_VERSION" >"$d/$ROOTFS_MARKER"
}

# ensure_rootfs: make $ROOTFS once (locked against parallel runs). 0 or 1.
ensure_rootfs() {
	if ! command -v busybox >/dev/null 2>&1 || ! busybox --list 2>/dev/null | grep -qx ip; then
		echo "# installing busybox-static" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			busybox-static >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
					--no-install-recommends busybox-static >/dev/null 2>&1; } ||
			return 1
	fi
	mkdir -p "$ROOTFS_CACHE" || return 1
	(
		flock -w 120 9 || exit 1
		[ "$(cat "$ROOTFS/$ROOTFS_MARKER" 2>/dev/null)" = "$ROOTFS_VERSION" ] && exit 0
		rm -rf "$ROOTFS" "$ROOTFS.new"
		build_rootfs "$ROOTFS.new" && mv "$ROOTFS.new" "$ROOTFS"
	) 9>"$ROOTFS_CACHE/rootfs.lock"
}

# copy_rootfs DIR: a private copy of the rootfs to change (bad /etc/passwd ...).
copy_rootfs() {
	rm -rf "$1" && cp -a "$ROOTFS" "$1"
}

# The script a pivot_root container's init runs, with host tools, until pivot_root; then the
# container's busybox. $1 root, $2 hostname; fd 3 is told "ready".
CONTAINER_PIVOT_SCRIPT='
set -e
root=$1
mount --make-rprivate /
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=755,size=1m tmpfs "$root/dev"
for d in null zero full random urandom tty; do
	touch "$root/dev/$d"
	mount --bind "/dev/$d" "$root/dev/$d"
done
mkdir "$root/dev/pts"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
hostname "$2"
ip link set lo up
cd "$root"
pivot_root . .oldroot
exec /bin/sh -c "umount -l /.oldroot && echo ready >&3 && exec 3>&- && exec sleep 2147483647"
'

# The same for a chroot-style container: the mounts go into the root from outside, then
# `unshare --root` (a chroot) runs the rest inside.
CONTAINER_CHROOT_SCRIPT='
set -e
root=$1
mount --make-rprivate /
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=755,size=1m tmpfs "$root/dev"
for d in null zero full random urandom tty; do
	touch "$root/dev/$d"
	mount --bind "/dev/$d" "$root/dev/$d"
done
mkdir "$root/dev/pts"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
hostname "$2"
ip link set lo up
exec unshare --root="$root" /bin/sh -c "echo ready >&3 && exec 3>&- && exec sleep 2147483647"
'

# For --userns: wait until the host has written our uid/gid maps, then go on.
CONTAINER_USERNS_WAIT='
while [ -z "$(cat /proc/self/uid_map)" ]; do sleep 0.05; done
exec "$@"
'

# start_container NAME [--userns] [--chroot] [--rootfs DIR]: start a container, wait until it
# is ready (10 s at most), print its init's host PID. 1 (and a note on stderr) on failure.
start_container() {
	local name=$1 userns=0 script=$CONTAINER_PIVOT_SCRIPT root=$ROOTFS
	local ready=$T/ctr-$name.ready log=$T/ctr-$name.log u init i
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--userns) userns=1 ;;
		--chroot) script=$CONTAINER_CHROOT_SCRIPT ;;
		--rootfs) root=$2; shift ;;
		*) echo "# start_container: unknown option $1" >&2; return 1 ;;
		esac
		shift
	done
	: >"$ready"
	local cmd=(unshare --fork --pid --mount --net --uts --ipc --cgroup --kill-child
		/bin/sh -c "$script" ctr-init "$root" "$name")
	if [ "$userns" = 1 ]; then
		setsid unshare --user /bin/sh -c "$CONTAINER_USERNS_WAIT" ctr-userns "${cmd[@]}" \
			</dev/null >"$log" 2>&1 3>"$ready" &
		u=$!
		for i in $(seq 1 50); do
			[ "$(readlink "/proc/$u/ns/user")" != "$(readlink /proc/self/ns/user)" ] && break
			sleep 0.1
		done
		echo "0 0 65536" >"/proc/$u/uid_map" && echo "0 0 65536" >"/proc/$u/gid_map" ||
			{ echo "# start_container $name: cannot map ids" >&2; kill -KILL "$u"; return 1; }
	else
		setsid "${cmd[@]}" </dev/null >"$log" 2>&1 3>"$ready" &
		u=$!
	fi
	for i in $(seq 1 100); do
		[ -s "$ready" ] && break
		kill -0 "$u" 2>/dev/null || break
		sleep 0.1
	done
	init=$(pgrep -P "$u" | head -n 1)
	if [ ! -s "$ready" ] || [ -z "$init" ]; then
		echo "# start_container $name failed; its log:" >&2
		sed 's/^/#   /' "$log" >&2
		kill -KILL "$u" $init 2>/dev/null
		return 1
	fi
	echo "$init $u" >>"$CONTAINERS_FILE"
	echo "$init"
}

# proc_running PID: PID exists and is not a zombie.
proc_running() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st%% *}" != Z ]
}

# stop_container PID: SIGKILL the init (the whole pid namespace ends) and wait for it.
stop_container() {
	local pid=$1 u i
	u=$(awk -v p="$pid" '$1 == p { print $2 }' "$CONTAINERS_FILE" 2>/dev/null)
	kill -KILL "$pid" 2>/dev/null
	for i in $(seq 1 50); do
		proc_running "$pid" || { [ -n "$u" ] && proc_running "$u"; } || break
		sleep 0.1
	done
	[ -n "$u" ] && kill -KILL "$u" 2>/dev/null
	return 0
}

# container_cleanup: stop every container this script started.
container_cleanup() {
	local init u
	[ -f "$CONTAINERS_FILE" ] || return 0
	while read -r init u; do
		kill -KILL "$init" "$u" 2>/dev/null
	done <"$CONTAINERS_FILE"
	rm -f "$CONTAINERS_FILE"
}

# lib.sh's finish and EXIT trap, with the containers stopped first.
finish() {
	container_cleanup
	cleanup
	trap - EXIT
	exit "$FAILED"
}
trap 'container_cleanup; cleanup' EXIT
