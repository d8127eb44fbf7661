#!/bin/bash
# t_sftp.sh - the SFTP server on the host (issue #5), checked against Debian's OpenSSH sshd with
# `Subsystem sftp internal-sftp` (SERVER=openssh runs every check the same way).
#
# Checked (nsshd-t1 unless said; everything under ~/xfer-ID, removed at the end):
#   sftp_put_get             sftp -b put and get of 3 MiB: SHA-256 of the file in the home and of
#                            the copy back equal the source's; owned by the user, mode 0644 kept
#   sftp_ls_long             `ls -l` shows the file with the user's name, group and size
#   sftp_rename              rename (posix-rename@openssh.com); _overwrite: onto an existing file
#   sftp_mkdir_rmdir         mkdir, put into it, rmdir of the non-empty directory fails, rm, rmdir
#   sftp_symlink             `symlink b.bin l.bin`: the host sees l.bin -> b.bin (OpenSSH's
#                            argument order on the wire); get through it gives b.bin's content
#   sftp_hardlink            `ln` (hardlink@openssh.com): the same inode
#   sftp_chmod               chmod 640 lands
#   sftp_chgrp               chgrp to the user's own gid works; _refused: chgrp 0 gives
#                            `remote setstat "PATH": Permission denied`
#   sftp_missing_file        get of a missing file: `File "PATH" not found.`, exit 1
#   sftp_rm                  rm removes
#   sftp_df                  df (statvfs@openssh.com) prints sizes
#   sftp_log_info            internal-sftp -l INFO logs each operation in OpenSSH's words
#                            ("session opened for local user U from [127.0.0.1]",
#                            `open "PATH" flags WRITE,CREATE,TRUNCATE mode 0644`,
#                            `close "PATH" bytes read 0 written N`, `posix-rename old "A" new "B"`,
#                            `mkdir name "P" mode 0777`, `rmdir name "P"`, `remove name "P"`,
#                            `symlink old "A" new "B"`, `set "P" mode 0640`): in the server's log,
#                            or for OpenSSH (which logs this through syslog) in what /dev/log got
#   sftp_1gib_put, _get      1 GiB each way, SHA-256 equal
#   sftp_many_files          2,000 small files (some names with spaces) put -r and get -r, diff -r
#   sftp_sshfs               sshfs mount: cp -r of 200 files in, mv, rm -r, a 20 MiB file written
#                            and read back through the mount; the home has exactly the result;
#                            _umount: fusermount -u
#   sftp_paramiko            paramiko SFTPClient put/stat/listdir/get/rename/mkdir/rmdir/open/remove
#                            (needs ciphers paramiko 2.12 has: aes*-ctr, aes*-cbc)
#   sftp_psftp               PuTTY psftp -b -batch with a puttygen key: put, get, ls, mkdir, rm
#   sftp_raw_*               a raw SFTP client on `ssh -s ... sftp` (xfer_tool.py sftp-raw):
#                            bad length, truncated packet, half a packet then EOF, length 0,
#                            unknown type, unknown extension (SSH_FX_OP_UNSUPPORTED), bogus handles,
#                            a request before INIT: a STATUS error or a closed channel, never a hang;
#                            _errors: OpenSSH's status codes and messages for ENOENT, ENOTDIR, EACCES,
#                            EEXIST, ENOTEMPTY, EOF, unknown extension; _pipeline: 256 requests in
#                            flight; _limits: reads and writes of the sizes limits@openssh.com
#                            advertises; _still_serving afterwards
#   sftp_ext_*               the extensions no sftp(1) command reaches, on a raw client
#                            (xfer_tool.py extensions), each advertised with OpenSSH's version:
#                            _fstatvfs: sane numbers, the same file system as statvfs; _fsync:
#                            OK on a written handle; _lsetstat: times and owner set on a symlink
#                            itself (not its target), a mode on a symlink FAILURE (Linux has
#                            none) with the target unchanged, a mode on a file set, a size
#                            BAD_MESSAGE; _expand_path: "~", "~/x", "." are the home, home/x, the
#                            home; _copy_data: a range, and a range to EOF (length 0), copied
#                            between two handles, bytes checked; _home_directory: the user's
#                            home, FAILURE for an unknown user; _users_groups_by_id: the names
#                            of the user's uid and gid and of 0, "" for an unknown id
#   sftp_readonly_*          internal-sftp -R: put (`dest open "P": Permission denied`), rm
#                            (`remote delete P: Permission denied`), mkdir (`remote mkdir "P":
#                            Permission denied`) refused and nothing changed; get works;
#                            _no_hardlink: write extensions are not advertised (the client says
#                            "Server does not support hardlink@openssh.com extension")
#   sftp_denylist            -P remove,rmdir: rm and rmdir refused with Permission denied, put and
#                            mkdir work; _start_dir: -d %d/xfer-ID is the starting directory
#   sftp_allowlist           -p (no remove/mkdir/setstat): get and ls work, rm, mkdir, chmod refused
#   sftp_start_dir_umask     -d /tmp -u 077: `pwd` is /tmp, a put file gets mode 0600
#   sftp_external_server     Subsystem sftp /usr/lib/openssh/sftp-server: put/get
#   sftp_forcecommand_*      ForceCommand internal-sftp: `ssh U echo hi` prints "This service
#                            allows sftp connections only." and exits 1 (_shell_refused); sftp works
#   sftp_chroot_*            ChrootDirectory /srv/chroot-%u-ID + ForceCommand internal-sftp (nsshd-t2):
#                            `ls /` lists only the chroot's readme and upload, pwd is /, a put into
#                            upload lands in /srv/chroot-nsshd-t2-ID/upload owned by nsshd-t2, /etc/passwd
#                            is not there; a shell is refused as above
#   sftp_chroot_bad_owner    ChrootDirectory %h (a home owned by the user): the login fails and the
#                            log says `bad ownership or modes for chroot directory "/home/nsshd-t1"`
#
# Needs: sftp (openssh-client), sshfs + fuse3, putty-tools, python3-paramiko, openssh-sftp-server
# (for sftp_external_server), python3. Big files go to a directory under /var/tmp.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/xfer_lib.sh"

U=nsshd-t1
U2=nsshd-t2
xfer_need sftp sftp ssh-keygen sha256sum sshfs fusermount psftp puttygen mountpoint
[ -x "$PYTHON" ] || { fail sftp_setup "no $PYTHON"; finish; }
xfer_init
xfer_syslog_start

CHROOT=/srv/chroot-$U2-$TEST_ID	# ChrootDirectory /srv/chroot-%u-ID (unique: runs may overlap)
setup "Subsystem sftp internal-sftp -l INFO"
UHOME=$(user_home "$U")
UGRP=$(id -gn "$U")
UGID=$(id -g "$U")
RD=xfer-$TEST_ID	# the test's directory, relative to the home
HD=$UHOME/$RD		# the same on the host
install -d -o "$U" -g "$UGRP" -m 755 "$HD" || { fail sftp_setup "cannot make $HD"; finish; }
xfer_remove_later "$HD"
xfer_client "$U" "$T/id_$U"

# restart LINE...: the server again with these lines (new port).
restart() {
	stop_server
	start_server "$@" || { fail sftp_restart "server ($SERVER) did not start with: $*"; finish; }
	XPORT=$PORT
}

# restart_or_fail "NAME..." LINE...: restart with these lines; if the server does not start,
# every NAME fails (with the server's complaint) and the status is 1.
restart_or_fail() {
	local names=$1 n why
	shift
	stop_server
	if start_server "$@"; then
		XPORT=$PORT
		return 0
	fi
	why="the server did not start with: $*; it said: $(grep -v '^#' "$SERVER_LOG" | tail -n 1)"
	for n in $names; do
		fail "$n" "$why"
	done
	return 1
}

# log_has TEXT: the server log (or, for OpenSSH's internal-sftp, syslog) has a line with TEXT.
log_has() {
	tr -d '\r' <"$SERVER_LOG" | grep -qF -- "$1" && return 0
	[ -n "$XFER_SYSLOG" ] && grep -qF -- "$1" "$XFER_SYSLOG"
}

# host_mode PATH / host_owner PATH
host_mode() { stat -c %a "$1" 2>/dev/null; }
host_owner() { stat -c %U:%G "$1" 2>/dev/null; }

# ---------------------------------------------------------------------------- basic operations

head -c $((3 * MiB)) /dev/urandom >"$XW/a.bin"
chmod 644 "$XW/a.bin"
A_SHA=$(sha "$XW/a.bin")

# sftp_put_get
xsftp <<EOF
cd $RD
put $XW/a.bin a.bin
get a.bin $XW/a.back
EOF
rc=$?
why=
[ "$rc" = 0 ] || why="sftp rc=$rc: $(errline)"
[ -z "$why" ] && [ "$(sha "$HD/a.bin" 2>/dev/null)" != "$A_SHA" ] && why="the file in the home differs from the source"
[ -z "$why" ] && [ "$(sha "$XW/a.back" 2>/dev/null)" != "$A_SHA" ] && why="the copy got back differs from the source"
[ -z "$why" ] && [ "$(host_owner "$HD/a.bin")" != "$U:$UGRP" ] && why="owned by $(host_owner "$HD/a.bin"), not $U:$UGRP"
[ -z "$why" ] && [ "$(host_mode "$HD/a.bin")" != 644 ] && why="mode $(host_mode "$HD/a.bin"), not 644"
report sftp_put_get "$why"

# sftp_ls_long
xsftp <<EOF
cd $RD
ls -l
EOF
rc=$?
if [ "$rc" = 0 ] && grep -qE "^-rw-r--r-- +[0-9?]+ +$U +$UGRP +$((3 * MiB)) .* a\.bin\$" "$T/xout"; then
	ok sftp_ls_long
else fail sftp_ls_long "rc=$rc output: $(one_line "$(cat "$T/xout")") $(errline)"; fi

# sftp_rename, sftp_rename_overwrite
cp "$XW/a.bin" "$XW/c.bin"
echo "another file" >"$XW/other.txt"
xsftp <<EOF
cd $RD
rename a.bin b.bin
put $XW/other.txt c.txt
EOF
rc=$?
if [ "$rc" = 0 ] && [ ! -e "$HD/a.bin" ] && [ "$(sha "$HD/b.bin" 2>/dev/null)" = "$A_SHA" ]; then ok sftp_rename
else fail sftp_rename "rc=$rc $(errline); now: $(ls "$HD" | tr '\n' ' ')"; fi
xsftp <<EOF
cd $RD
rename c.txt b2.bin
EOF
rc=$?
if [ "$rc" = 0 ] && [ ! -e "$HD/c.txt" ] && cmp -s "$HD/b2.bin" "$XW/other.txt"; then
	# onto an existing file (posix-rename replaces it)
	cp "$HD/b.bin" "$HD/b3.bin" && chown "$U:$UGRP" "$HD/b3.bin"
	xsftp <<-EOF
	cd $RD
	rename b2.bin b3.bin
	EOF
	rc=$?
	if [ "$rc" = 0 ] && [ ! -e "$HD/b2.bin" ] && cmp -s "$HD/b3.bin" "$XW/other.txt"; then ok sftp_rename_overwrite
	else fail sftp_rename_overwrite "rename onto an existing file: rc=$rc $(errline)"; fi
	rm -f "$HD/b3.bin"
else
	fail sftp_rename_overwrite "rename c.txt b2.bin: rc=$rc $(errline)"
fi

# sftp_mkdir_rmdir
why=
xsftp <<EOF
cd $RD
mkdir sub
put $XW/other.txt sub/o.txt
EOF
rc=$?
[ "$rc" = 0 ] || why="mkdir+put: rc=$rc $(errline)"
[ -z "$why" ] && { [ -d "$HD/sub" ] && [ "$(host_owner "$HD/sub")" = "$U:$UGRP" ] || why="no directory $HD/sub owned by $U: $(ls -ld "$HD/sub" 2>&1)"; }
if [ -z "$why" ]; then
	xsftp <<-EOF
	cd $RD
	rmdir sub
	EOF
	rc=$?
	[ "$rc" != 0 ] && [ -f "$HD/sub/o.txt" ] || why="rmdir of a non-empty directory: rc=$rc (want failure)"
fi
if [ -z "$why" ]; then
	xsftp <<-EOF
	cd $RD
	rm sub/o.txt
	rmdir sub
	EOF
	rc=$?
	[ "$rc" = 0 ] && [ ! -e "$HD/sub" ] || why="rm + rmdir: rc=$rc $(errline)"
fi
report sftp_mkdir_rmdir "$why"

# sftp_symlink: the link is l.bin, pointing to b.bin
xsftp <<EOF
cd $RD
symlink b.bin l.bin
get l.bin $XW/l.back
EOF
rc=$?
if [ "$rc" = 0 ] && [ -L "$HD/l.bin" ] && [ "$(readlink "$HD/l.bin")" = b.bin ] &&
	[ "$(sha "$XW/l.back")" = "$A_SHA" ]; then ok sftp_symlink
else fail sftp_symlink "rc=$rc $(errline); host: $(ls -l "$HD" | tr '\n' ' ')"; fi

# sftp_hardlink
xsftp <<EOF
cd $RD
ln b.bin h.bin
EOF
rc=$?
if [ "$rc" = 0 ] && [ "$(stat -c %i "$HD/h.bin" 2>/dev/null)" = "$(stat -c %i "$HD/b.bin")" ]; then ok sftp_hardlink
else fail sftp_hardlink "rc=$rc $(errline); host: $(ls -li "$HD" | tr '\n' ' ')"; fi

# sftp_chmod
xsftp <<EOF
cd $RD
chmod 640 b.bin
EOF
rc=$?
if [ "$rc" = 0 ] && [ "$(host_mode "$HD/b.bin")" = 640 ]; then ok sftp_chmod
else fail sftp_chmod "rc=$rc $(errline); mode $(host_mode "$HD/b.bin")"; fi

# sftp_chgrp, sftp_chgrp_refused
xsftp <<EOF
cd $RD
chgrp $UGID b.bin
EOF
rc=$?
if [ "$rc" = 0 ] && [ "$(stat -c %g "$HD/b.bin")" = "$UGID" ]; then ok sftp_chgrp
else fail sftp_chgrp "rc=$rc $(errline)"; fi
xsftp <<EOF
cd $RD
chgrp 0 b.bin
EOF
rc=$?
if [ "$rc" = 1 ] && grep -qF "remote setstat \"$HD/b.bin\": Permission denied" "$T/last.err" &&
	[ "$(stat -c %g "$HD/b.bin")" = "$UGID" ]; then ok sftp_chgrp_refused
else fail sftp_chgrp_refused "rc=$rc (want 1) stderr '$(errline)' (want 'remote setstat \"$HD/b.bin\": Permission denied')"; fi

# sftp_missing_file
xsftp <<EOF
cd $RD
get no-such-file $XW/nothing
EOF
rc=$?
if [ "$rc" = 1 ] && grep -qxF "File \"$HD/no-such-file\" not found." "$T/last.err" && [ ! -e "$XW/nothing" ]; then
	ok sftp_missing_file
else fail sftp_missing_file "rc=$rc stderr '$(errline)' (want 'File \"$HD/no-such-file\" not found.')"; fi

# sftp_rm
xsftp <<EOF
cd $RD
rm h.bin
rm l.bin
EOF
rc=$?
if [ "$rc" = 0 ] && [ ! -e "$HD/h.bin" ] && [ ! -L "$HD/l.bin" ] && [ -f "$HD/b.bin" ]; then ok sftp_rm
else fail sftp_rm "rc=$rc $(errline); host: $(ls "$HD" | tr '\n' ' ')"; fi

# sftp_df
xsftp <<EOF
cd $RD
df
EOF
rc=$?
if [ "$rc" = 0 ] && grep -qE 'Size +Used +Avail +\(root\) +%Capacity' "$T/xout" &&
	grep -qE '^ *[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+%' "$T/xout"; then ok sftp_df
else fail sftp_df "rc=$rc output $(one_line "$(cat "$T/xout")") $(errline)"; fi

# sftp_log_info: what the operations above logged (-l INFO)
want=(
	"session opened for local user $U from [127.0.0.1]"
	"open \"$HD/a.bin\" flags WRITE,CREATE,TRUNCATE mode 0644"
	"close \"$HD/a.bin\" bytes read 0 written $((3 * MiB))"
	"open \"$HD/a.bin\" flags READ mode 0666"
	"close \"$HD/a.bin\" bytes read $((3 * MiB)) written 0"
	"posix-rename old \"$HD/a.bin\" new \"$HD/b.bin\""
	"mkdir name \"$HD/sub\" mode 0777"
	"rmdir name \"$HD/sub\""
	"remove name \"$HD/sub/o.txt\""
	"symlink old \"b.bin\" new \"$HD/l.bin\""
	"set \"$HD/b.bin\" mode 0640"
	"session closed for local user $U from [127.0.0.1]"
)
missing=
wait_for 5 log_has "${want[-1]}"
for w in "${want[@]}"; do
	log_has "$w" || missing="$missing; '$w'"
done
if [ -z "$missing" ]; then ok sftp_log_info
elif [ "$SERVER" = openssh ] && [ -z "$XFER_SYSLOG" ]; then
	skip sftp_log_info "OpenSSH's internal-sftp logs through syslog, and /dev/log belongs to something else here"
else fail sftp_log_info "not logged:${missing#;}"; fi

# ---------------------------------------------------------------------------- 1 GiB each way

t0=$(date +%s)
head -c $((1024 * MiB)) /dev/urandom >"$XW/big.bin"
BIG_SHA=$(sha "$XW/big.bin")
XSFTP_TIMEOUT=600 xsftp <<EOF
cd $RD
put $XW/big.bin big.bin
EOF
rc=$?
REMOTE_SHA=$(sha "$HD/big.bin" 2>/dev/null)
if [ "$rc" = 0 ] && [ "$REMOTE_SHA" = "$BIG_SHA" ]; then ok sftp_1gib_put
else fail sftp_1gib_put "rc=$rc $(errline); size in the home $(stat -c %s "$HD/big.bin" 2>&1)"; fi
rm -f "$XW/big.bin"
if [ -f "$HD/big.bin" ]; then
	XSFTP_TIMEOUT=600 xsftp <<-EOF
	cd $RD
	get big.bin $XW/big.back
	EOF
	rc=$?
	if [ "$rc" = 0 ] && [ "$(sha "$XW/big.back" 2>/dev/null)" = "$REMOTE_SHA" ]; then ok sftp_1gib_get
	else fail sftp_1gib_get "rc=$rc $(errline); size got $(stat -c %s "$XW/big.back" 2>&1)"; fi
else
	fail sftp_1gib_get "no 1 GiB file on the server to get"
fi
rm -f "$XW/big.back" "$HD/big.bin"
echo "# 1 GiB each way (with hashing) took $(($(date +%s) - t0)) s" >&2

# ---------------------------------------------------------------------------- 2,000 files

"$PYTHON" "$XFER_TOOL" mktree "$XW/tree" 2000
XSFTP_TIMEOUT=300 xsftp <<EOF
cd $RD
put -r $XW/tree tree
get -r tree $XW/tree.back
EOF
rc=$?
why=
[ "$rc" = 0 ] || why="rc=$rc $(errline)"
n=$(find "$HD/tree" -type f 2>/dev/null | wc -l)
[ -z "$why" ] && [ "$n" != 2000 ] && why="$n files arrived, not 2000"
[ -z "$why" ] && { d=$(diff -r "$XW/tree" "$HD/tree" 2>&1) || why="put -r: $(head -n 3 <<<"$d")"; }
[ -z "$why" ] && { d=$(diff -r "$XW/tree" "$XW/tree.back" 2>&1) || why="get -r: $(head -n 3 <<<"$d")"; }
report sftp_many_files "$why"
rm -rf "$XW/tree.back" "$HD/tree"

# ---------------------------------------------------------------------------- sshfs

MNT=$XW/mnt
why=
if [ ! -c /dev/fuse ]; then
	skip sftp_sshfs "no /dev/fuse here"
elif XRDIR=$HD xfer_mount "$MNT"; then
	mkdir -p "$XW/small"
	for d in d00 d01 d02 d03; do
		cp -r "$XW/tree/$d" "$XW/small/"
	done
	# the expected result, built locally the same way
	cp -r "$XW/small" "$XW/expect"
	mv "$XW/expect/d00" "$XW/expect/moved"
	rm -r "$XW/expect/d01"
	head -c $((20 * MiB)) /dev/urandom >"$XW/expect/big20.bin"
	timeout -k 5 120 cp -r "$XW/small" "$MNT/small" 2>"$T/last.err" || why="cp -r into the mount failed: $(errline)"
	[ -z "$why" ] && { timeout -k 5 60 mv "$MNT/small/d00" "$MNT/small/moved" 2>"$T/last.err" || why="mv failed: $(errline)"; }
	[ -z "$why" ] && { timeout -k 5 60 rm -r "$MNT/small/d01" 2>"$T/last.err" || why="rm -r failed: $(errline)"; }
	[ -z "$why" ] && { timeout -k 5 120 cp "$XW/expect/big20.bin" "$MNT/small/big20.bin" 2>"$T/last.err" || why="cp of 20 MiB failed: $(errline)"; }
	[ -z "$why" ] && { d=$(diff -r "$XW/expect" "$HD/small" 2>&1) || why="the home differs: $(head -n 3 <<<"$d")"; }
	[ -z "$why" ] && { [ "$(timeout -k 5 60 sha256sum <"$MNT/small/big20.bin" | cut -d' ' -f1)" = "$(sha "$XW/expect/big20.bin")" ] || why="reading the 20 MiB file back through the mount gave other bytes"; }
	report sftp_sshfs "$why"
	if xfer_umount "$MNT"; then ok sftp_sshfs_umount
	else fail sftp_sshfs_umount "still mounted after fusermount -u"; fi
else
	fail sftp_sshfs "sshfs did not mount: $(one_line "$(cat "$T/sshfs.err")")"
fi
rm -rf "$HD/small" "$XW/small" "$XW/expect"

# ---------------------------------------------------------------------------- paramiko

head -c $((2 * MiB)) /dev/urandom >"$XW/p.bin"
out=$(PYTHONWARNINGS=ignore timeout -k 5 120 "$PYTHON" "$XFER_TOOL" paramiko --host 127.0.0.1 --port "$PORT" --user "$U" \
	--key "$T/id_$U" --file "$XW/p.bin" --dir "$RD" 2>&1)
rc=$?
if [ "$rc" = 0 ] && grep -q '^ok ' <<<"$out"; then ok sftp_paramiko
else fail sftp_paramiko "rc=$rc $(one_line "$out")"; fi

# ---------------------------------------------------------------------------- PuTTY psftp

putty_key "$U"
HOSTFP=$(putty_hostkey "$T/host_ed25519.pub")
mkdir -p "$T/puttyhome"
cat >"$T/psftp.batch" <<EOF
cd $RD
put $XW/p.bin ps.bin
get ps.bin $XW/ps.back
mkdir psdir
ls
rmdir psdir
rm ps.bin
EOF
HOME=$T/puttyhome xrun 120 psftp -batch -b "$T/psftp.batch" -i "$T/id_$U.ppk" -P "$PORT" \
	-hostkey "$HOSTFP" "$U@127.0.0.1"
rc=$?
why=
[ "$rc" = 0 ] || why="rc=$rc $(errline) $(one_line "$(tail -n 3 "$T/xout")")"
[ -z "$why" ] && [ "$(sha "$XW/ps.back" 2>/dev/null)" != "$(sha "$XW/p.bin")" ] && why="the file got back differs"
[ -z "$why" ] && { grep -qE ' psdir$' "$T/xout" || why="ls did not list psdir: $(one_line "$(cat "$T/xout")")"; }
[ -z "$why" ] && [ -e "$HD/ps.bin" ] && why="rm left ps.bin"
report sftp_psftp "$why"

# ---------------------------------------------------------------------------- malformed packets

for c in hugelen truncated partial-eof zero-length unknown-type unknown-ext bad-handle before-init \
	errors pipeline limits; do
	out=$(cd "$T" && timeout -k 5 90 "$PYTHON" "$XFER_TOOL" sftp-raw "$c" --dir "$RD" -- \
		"$XWRAP" -p "$PORT" -s "$XDEST" sftp 2>&1)
	rc=$?
	if [ "$rc" = 0 ]; then ok "sftp_raw_${c//-/_}"
	else fail "sftp_raw_${c//-/_}" "rc=$rc $(one_line "$out")"; fi
done
if still_serving; then ok sftp_raw_still_serving
else fail sftp_raw_still_serving "$SERVING_WHY"; fi

# ---------------------------------------------------------------------------- extensions

# sftp_ext_*: xfer_tool.py extensions prints "NAME ok ..." or "NAME FAIL why" for each
out=$(cd "$T" && timeout -k 5 90 "$PYTHON" "$XFER_TOOL" extensions --user "$U" --dir "$RD" -- \
	"$XWRAP" -p "$PORT" -s "$XDEST" sftp 2>&1)
for e in fstatvfs fsync lsetstat expand-path copy-data home-directory users-groups-by-id; do
	line=$(grep -m1 "^$e " <<<"$out")
	case ${line#"$e "} in
	ok*) ok "sftp_ext_${e//-/_}" ;;
	FAIL*) fail "sftp_ext_${e//-/_}" "${line#"$e FAIL "}" ;;
	*) fail "sftp_ext_${e//-/_}" "no line for $e from xfer_tool.py extensions: $(one_line "$out")" ;;
	esac
done

# ---------------------------------------------------------------------------- -R read-only

echo "read-only test file" >"$HD/ro.txt"
chown "$U:$UGRP" "$HD/ro.txt"
restart "Subsystem sftp internal-sftp -R"
xsftp <<EOF
cd $RD
put $XW/other.txt new.txt
EOF
rc=$?
if [ "$rc" = 1 ] && grep -qxF "dest open \"$HD/new.txt\": Permission denied" "$T/last.err" && [ ! -e "$HD/new.txt" ]; then
	ok sftp_readonly_put
else fail sftp_readonly_put "rc=$rc stderr '$(errline)' (want 'dest open \"$HD/new.txt\": Permission denied')"; fi
xsftp <<EOF
cd $RD
rm ro.txt
EOF
rc=$?
if [ "$rc" = 1 ] && grep -qxF "remote delete $HD/ro.txt: Permission denied" "$T/last.err" && [ -f "$HD/ro.txt" ]; then
	ok sftp_readonly_rm
else fail sftp_readonly_rm "rc=$rc stderr '$(errline)' (want 'remote delete $HD/ro.txt: Permission denied')"; fi
xsftp <<EOF
cd $RD
mkdir newdir
EOF
rc=$?
if [ "$rc" = 1 ] && grep -qxF "remote mkdir \"$HD/newdir\": Permission denied" "$T/last.err" && [ ! -e "$HD/newdir" ]; then
	ok sftp_readonly_mkdir
else fail sftp_readonly_mkdir "rc=$rc stderr '$(errline)' (want 'remote mkdir \"$HD/newdir\": Permission denied')"; fi
xsftp <<EOF
cd $RD
get ro.txt $XW/ro.back
EOF
rc=$?
if [ "$rc" = 0 ] && cmp -s "$XW/ro.back" "$HD/ro.txt"; then ok sftp_readonly_get
else fail sftp_readonly_get "rc=$rc $(errline)"; fi
xsftp <<EOF
cd $RD
ln ro.txt ro-hard.txt
EOF
rc=$?
if [ "$rc" = 1 ] && grep -qxF "Server does not support hardlink@openssh.com extension" "$T/last.err" &&
	[ ! -e "$HD/ro-hard.txt" ]; then ok sftp_readonly_no_hardlink
else fail sftp_readonly_no_hardlink "rc=$rc stderr '$(errline)' (want 'Server does not support hardlink@openssh.com extension': -R does not advertise write extensions)"; fi

# ---------------------------------------------------------------------------- -P deny list

restart "Subsystem sftp internal-sftp -P remove,rmdir -d %d/$RD"
xsftp <<EOF
pwd
put $XW/other.txt deny.txt
mkdir denydir
EOF
rc=$?
why=
[ "$rc" = 0 ] || why="put+mkdir: rc=$rc $(errline)"
[ -z "$why" ] && { cmp -s "$HD/deny.txt" "$XW/other.txt" && [ -d "$HD/denydir" ] || why="put or mkdir did not land"; }
if grep -qxF "Remote working directory: $HD" "$T/xout"; then ok sftp_denylist_start_dir
else fail sftp_denylist_start_dir "-d %d/$RD: pwd said $(one_line "$(grep -i 'working directory' "$T/xout")")"; fi
if [ -z "$why" ]; then
	xsftp <<-EOF
	-rm deny.txt
	-rmdir denydir
	EOF
	grep -qxF "remote delete $HD/deny.txt: Permission denied" "$T/last.err" ||
		why="rm: stderr '$(errline)' (want 'remote delete $HD/deny.txt: Permission denied')"
	grep -qxF "remote rmdir \"$HD/denydir\": Permission denied" "$T/last.err" ||
		why="$why; rmdir: want 'remote rmdir \"$HD/denydir\": Permission denied'"
	[ -f "$HD/deny.txt" ] && [ -d "$HD/denydir" ] || why="$why; removed all the same"
fi
report sftp_denylist "${why#; }"
rm -rf "$HD/deny.txt" "$HD/denydir"

# ---------------------------------------------------------------------------- -p allow list

restart "Subsystem sftp internal-sftp -p open,close,read,write,lstat,fstat,stat,realpath,opendir,readdir"
xsftp <<EOF
cd $RD
get ro.txt $XW/allow.back
ls
-rm ro.txt
-mkdir allowdir
-chmod 600 ro.txt
EOF
rc=$?
why=
[ "$rc" = 0 ] && cmp -s "$XW/allow.back" "$HD/ro.txt" || why="get: rc=$rc $(errline)"
grep -qE '(^| )ro\.txt( |$)' "$T/xout" || why="$why; ls did not list ro.txt"
for w in "remote delete $HD/ro.txt: Permission denied" "remote mkdir \"$HD/allowdir\": Permission denied" \
	"remote setstat \"$HD/ro.txt\": Permission denied"; do
	grep -qxF "$w" "$T/last.err" || why="$why; no '$w'"
done
[ -f "$HD/ro.txt" ] && [ ! -e "$HD/allowdir" ] || why="$why; the refused operations happened"
report sftp_allowlist "${why#; }"

# ---------------------------------------------------------------------------- -d /tmp -u 077

restart "Subsystem sftp internal-sftp -d /tmp -u 077"
xsftp <<EOF
pwd
put $XW/other.txt $HD/umask.txt
EOF
rc=$?
why=
[ "$rc" = 0 ] || why="rc=$rc $(errline)"
grep -qxF "Remote working directory: /tmp" "$T/xout" || why="$why; pwd said '$(grep -i 'working directory' "$T/xout")' (want /tmp)"
[ "$(host_mode "$HD/umask.txt")" = 600 ] || why="$why; mode of the file put: $(host_mode "$HD/umask.txt") (want 600 with -u 077)"
report sftp_start_dir_umask "${why#; }"

# ---------------------------------------------------------------------------- external program

if [ -x /usr/lib/openssh/sftp-server ]; then
	restart "Subsystem sftp /usr/lib/openssh/sftp-server"
	xsftp <<-EOF
	cd $RD
	put $XW/p.bin ext.bin
	get ext.bin $XW/ext.back
	EOF
	rc=$?
	if [ "$rc" = 0 ] && [ "$(sha "$HD/ext.bin" 2>/dev/null)" = "$(sha "$XW/p.bin")" ] &&
		[ "$(sha "$XW/ext.back" 2>/dev/null)" = "$(sha "$XW/p.bin")" ]; then ok sftp_external_server
	else fail sftp_external_server "rc=$rc $(errline)"; fi
else
	skip sftp_external_server "no /usr/lib/openssh/sftp-server (openssh-sftp-server)"
fi

# ---------------------------------------------------------------------------- ForceCommand

if restart_or_fail "sftp_forcecommand_shell_refused sftp_forcecommand_sftp" "Subsystem sftp internal-sftp" \
	"Match User $U" "ForceCommand internal-sftp"; then
	# sftp_forcecommand_shell_refused
	out=$(ssh_to "$U" echo hi </dev/null)
	rc=$?
	if [ "$rc" = 1 ] && [ "$out" = "This service allows sftp connections only." ]; then ok sftp_forcecommand_shell_refused
	else fail sftp_forcecommand_shell_refused "rc=$rc output '$out' (want exit 1 and 'This service allows sftp connections only.')"; fi

	# sftp_forcecommand_sftp
	xsftp <<-EOF
	cd $RD
	put $XW/other.txt forced.txt
	EOF
	rc=$?
	if [ "$rc" = 0 ] && cmp -s "$HD/forced.txt" "$XW/other.txt"; then ok sftp_forcecommand_sftp
	else fail sftp_forcecommand_sftp "rc=$rc $(errline)"; fi
fi

# ---------------------------------------------------------------------------- ChrootDirectory

rm -rf "$CHROOT"
install -d -m 755 -o root -g root "$CHROOT" && install -d -m 755 -o "$U2" -g "$(id -gn "$U2")" "$CHROOT/upload" &&
	echo "chroot of $U2" >"$CHROOT/readme" || { fail sftp_chroot_setup "cannot make $CHROOT"; finish; }
xfer_remove_later "$CHROOT"
if restart_or_fail "sftp_chroot_ls sftp_chroot_pwd sftp_chroot_put sftp_chroot_shell_refused" \
	"Subsystem sftp internal-sftp" "Match User $U2" "ChrootDirectory /srv/chroot-%u-$TEST_ID" "ForceCommand internal-sftp"; then
	xfer_client "$U2" "$T/id_$U2"
	xsftp <<-EOF
	pwd
	ls -1 /
	cd /upload
	put $XW/other.txt in-chroot.txt
	-get /etc/passwd $XW/passwd.got
	EOF
	rc=$?
	if [ "$rc" = 0 ]; then
		listing=$(sed -n '/^sftp> ls -1 \//,/^sftp> /p' "$T/xout" | grep -v '^sftp> ' | sort | tr '\n' ' ')
		if [ "$listing" = "/readme /upload " ]; then ok sftp_chroot_ls
		else fail sftp_chroot_ls "ls -1 / listed '$listing' (want '/readme /upload ')"; fi
		if grep -qxF "Remote working directory: /" "$T/xout"; then ok sftp_chroot_pwd
		else fail sftp_chroot_pwd "$(grep -i 'working directory' "$T/xout")"; fi
		if cmp -s "$CHROOT/upload/in-chroot.txt" "$XW/other.txt" &&
			[ "$(stat -c %U "$CHROOT/upload/in-chroot.txt")" = "$U2" ] && [ ! -e "$XW/passwd.got" ] &&
			grep -qxF 'File "/etc/passwd" not found.' "$T/last.err"; then ok sftp_chroot_put
		else fail sftp_chroot_put "$(ls -l "$CHROOT/upload" | tr '\n' ' ') stderr '$(errline)'"; fi
	else
		for t in sftp_chroot_ls sftp_chroot_pwd sftp_chroot_put; do
			fail "$t" "sftp into the chroot: rc=$rc $(errline)"
		done
	fi
	out=$(ssh_to "$U2" echo hi </dev/null)
	rc=$?
	if [ "$rc" = 1 ] && [ "$out" = "This service allows sftp connections only." ]; then ok sftp_chroot_shell_refused
	else fail sftp_chroot_shell_refused "rc=$rc output '$out'"; fi
	xfer_client "$U" "$T/id_$U"
fi

# sftp_chroot_bad_owner: %h is the user's own home, which it owns: refused
if restart_or_fail sftp_chroot_bad_owner "Subsystem sftp internal-sftp" "Match User $U" "ChrootDirectory %h"; then
	xsftp <<-EOF
	pwd
	EOF
	rc=$?
	msg="bad ownership or modes for chroot directory \"$UHOME\""
	wait_for 5 log_has "$msg"
	if [ "$rc" != 0 ] && ! grep -q 'Remote working directory' "$T/xout" && log_has "$msg"; then
		ok sftp_chroot_bad_owner
	else fail sftp_chroot_bad_owner "rc=$rc output '$(one_line "$(cat "$T/xout")")' (want a failed login and the log line '$msg')"; fi
fi

finish
