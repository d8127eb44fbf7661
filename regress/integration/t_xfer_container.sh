#!/bin/bash
# t_xfer_container.sh - file transfer into a container whose image has no sftp-server and no scp
# (issue #5): every file lands in the container's filesystem, owned by the container user.
#
# One pivot_root container (container_lib.sh) around a copy of the busybox rootfs, with
#   /usr/bin/rsync, /usr/bin/git (+ git-upload-pack, git-receive-pack, /usr/lib/git-core/git)
#                    the host's, with the libraries ldd lists and the loader
# and NO sftp-server and NO scp. nsshd-t1 -> ContainerTarget pid:PID, ContainerUser cuser
# (uid 2345, a user only the container has), `Subsystem sftp internal-sftp`, LegacyScp left at
# its default (auto: nsshd's own scp, since the image has none). Everything happens under
# ~cuser/xfer-ID in the container, seen from the host at ROOTFS/home/cuser/xfer-ID.
#
# Checked:
#   xferc_image              no sftp-server or scp in the image; rsync and git run inside
#                            (chroot ROOTFS and nsenter into the container)
#   xferc_sftp_put_get       sftp -b put/get of 3 MiB: SHA-256 equal, the file in the rootfs owned
#                            by 2345:2345
#   xferc_sftp_ls_names      `ls -l` names the owner cuser and group cuser (users-groups-by-id
#                            answered from the container's /etc/passwd and /etc/group)
#   xferc_sftp_ops           mkdir (dir owned by 2345), rename, symlink, chmod, rm, rmdir
#   xferc_sftp_home          the starting directory is the container user's home, /home/cuser
#   xferc_1gib_put, _get     1 GiB each way
#   xferc_scp_sftp_put_get, xferc_scp_legacy_put_get
#                            scp and scp -O both ways (legacy: nsshd's internal scp)
#   xferc_scp_sftp_recursive_preserve, xferc_scp_legacy_recursive_preserve
#                            -r -p: contents, modes and mtimes kept both ways; owned by 2345
#   xferc_scp_legacy_missing "scp: PATH: No such file or directory", exit 1
#   xferc_rsync_initial, xferc_rsync_incremental
#                            rsync -av (the image's rsync runs inside); the second run lists only
#                            the changed and the added file
#   xferc_sshfs              sshfs: cp -r, mv, rm -r inside the mount; the rootfs has the result
#   xferc_psftp, xferc_pscp_scp, xferc_pscp_sftp
#   xferc_paramiko           (needs ciphers paramiko has)
#   xferc_git_push, xferc_git_clone, xferc_git_push_again
#                            git over ssh:// to a bare repository in the container user's home
#   xferc_raw_pipeline, xferc_raw_errors, xferc_raw_hugelen
#                            (xfer_tool.py sftp-raw, as in t_sftp.sh)
#   xferc_legacyscp_*        (nsshd only) a second container whose image HAS scp: a wrapper
#                            /usr/bin/scp that touches /tmp/xferc-scp-ran, then runs the real scp:
#                            _auto_external: LegacyScp auto (default) runs the image's scp;
#                            _internal: LegacyScp internal does not run it, the copy works;
#                            _external: LegacyScp external runs it;
#                            _external_missing: LegacyScp external into the image without scp
#                            fails (exit status not 0) and creates nothing
#   xferc_still_serving
#
# SERVER=openssh is a reference run of the same checks (but the LegacyScp ones): Debian's sshd
# with `Subsystem sftp internal-sftp`, plus scp (which its legacy protocol needs), is copied into
# the image and run INSIDE the container (`sshd -i` per connection through a ProxyCommand with
# nsenter), logging in as cuser with nsshd-t1's key.
#
# Needs: sftp, scp, sshfs + fuse3, putty-tools, rsync, git, python3-paramiko, nsenter, ldd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/container_lib.sh"
. "$(dirname "$0")/xfer_lib.sh"

CUID=2345
CNAME=nsshd-xfer
xfer_need xferc sftp scp sshfs fusermount psftp pscp puttygen rsync git nsenter ldd mountpoint
[ -x "$PYTHON" ] || { fail xferc_setup "no $PYTHON"; finish; }
ensure_rootfs || { fail xferc_setup "could not build the busybox rootfs in $ROOTFS"; finish; }
xfer_init

# copy_binary DIR BIN [AS]: BIN (at path AS in the image, default the same path), every library
# ldd lists for it and the dynamic loader, at the same paths under DIR.
copy_binary() {
	local d=$1 bin=$2 as=${3:-$2} lib libs
	libs=$(ldd "$bin" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
	[ -n "$libs" ] || { echo "# ldd $bin listed nothing" >&2; return 1; }
	install -D -m 755 "$bin" "$d$as" || return 1
	for lib in $libs; do
		[ -e "$d$lib" ] || install -D -m 755 "$(readlink -f "$lib")" "$d$lib" || return 1
	done
}

# add_tools DIR: rsync and git into an image.
add_tools() {
	local d=$1
	copy_binary "$d" /usr/bin/rsync && copy_binary "$d" "$(readlink -f /usr/bin/git)" /usr/bin/git || return 1
	ln -sfn git "$d/usr/bin/git-upload-pack" && ln -sfn git "$d/usr/bin/git-receive-pack" &&
		install -d "$d/usr/lib/git-core" && ln -sfn ../../bin/git "$d/usr/lib/git-core/git" &&
		ln -sfn git "$d/usr/lib/git-core/git-upload-pack" && ln -sfn git "$d/usr/lib/git-core/git-receive-pack"
}

CROOT=$XW/rootfs-xfer
copy_rootfs "$CROOT" || { fail xferc_setup "could not copy the rootfs"; finish; }
add_tools "$CROOT" || { fail xferc_setup "could not copy rsync and git into the image"; finish; }

if [ "$SERVER" = openssh ]; then
	# The reference: OpenSSH's sshd inside the container, and scp for its legacy protocol.
	copy_binary "$CROOT" /usr/sbin/sshd && copy_binary "$CROOT" /usr/bin/scp ||
		{ fail xferc_setup "could not copy sshd or scp into the image"; finish; }
	echo 'sshd:x:101:65534:sshd privsep:/run/sshd:/bin/false' >>"$CROOT/etc/passwd"
	install -d -m 755 "$CROOT/run/sshd" "$CROOT/etc/xferc"
	ssh-keygen -q -t ed25519 -N '' -C "$TEST_ID-ctr-host" -f "$CROOT/etc/xferc/host_ed25519" ||
		{ fail xferc_setup "ssh-keygen failed"; finish; }
	cat >"$CROOT/etc/xferc/sshd_config" <<-'EOF'
	HostKey /etc/xferc/host_ed25519
	AuthorizedKeysFile .ssh/authorized_keys
	UsePAM no
	StrictModes yes
	LogLevel DEBUG1
	PidFile none
	Subsystem sftp internal-sftp
	EOF
fi

C=$(start_container "$CNAME" --rootfs "$CROOT") ||
	{ fail xferc_setup "could not start the test container"; finish; }

if [ "$SERVER" = openssh ]; then
	setup
	install -d -m 700 -o "$CUID" -g "$CUID" "$CROOT/home/cuser/.ssh"
	install -m 600 -o "$CUID" -g "$CUID" "$T/id_nsshd-t1.pub" "$CROOT/home/cuser/.ssh/authorized_keys"
	PROXY="/usr/bin/nsenter -t $C -a -r -w /usr/sbin/sshd -i -f /etc/xferc/sshd_config -E /tmp/xferc-sshd.log"
	SERVER_LOG=$CROOT/tmp/xferc-sshd.log	# what fail() shows: the sshd inside
	LOGIN=cuser
	HOSTKEY_PUB=$CROOT/etc/xferc/host_ed25519.pub
	xfer_client cuser "$T/id_nsshd-t1" -o "ProxyCommand=$PROXY"
	PUTTY_PROXY=(-proxycmd "$PROXY")
	PHOST=xferc-container.invalid	# PuTTY does not proxy connections to 127.0.0.1
	PARAMIKO_PROXY=(--proxy "$PROXY")
else
	setup "Subsystem sftp internal-sftp" \
		"Match User nsshd-t1" "ContainerTarget pid:$C" "ContainerUser cuser"
	LOGIN=nsshd-t1
	HOSTKEY_PUB=$T/host_ed25519.pub
	xfer_client nsshd-t1 "$T/id_nsshd-t1"
	PUTTY_PROXY=()
	PHOST=127.0.0.1
	PARAMIKO_PROXY=()
fi

CHOME=$CROOT/home/cuser
RD=xfer-$TEST_ID
HD=$CHOME/$RD
install -d -o "$CUID" -g "$CUID" -m 755 "$HD" || { fail xferc_setup "cannot make $HD"; finish; }

# in_ctr COMMAND...: COMMAND in all the container's namespaces, as its root.
in_ctr() {
	timeout -k 5 60 nsenter -t "$C" -a -r -w "$@"
}

# owned_by_cuser PATH...: every PATH (and everything under it) belongs to 2345:2345.
owned_by_cuser() {
	local bad
	bad=$(find "$@" \( ! -uid "$CUID" -o ! -gid "$CUID" \) -printf '%p %U:%G\n' 2>&1 | head -n 3)
	[ -z "$bad" ] || { OWN_WHY="not owned by $CUID:$CUID: $bad"; return 1; }
}

# ---------------------------------------------------------------------------- the image

why=
if [ "$SERVER" = nsshd ]; then
	found=$(find "$CROOT" \( -name 'sftp-server*' -o -name 'scp' -o -name 'sshd' \) 2>/dev/null)
	[ -z "$found" ] || why="the image has: $found"
fi
out=$(timeout -k 5 30 chroot "$CROOT" /usr/bin/rsync --version 2>&1 | head -n 1)
grep -q '^rsync  *version' <<<"$out" || why="$why; chroot: rsync --version said '$out'"
out=$(in_ctr /usr/bin/git --version 2>&1)
grep -q '^git version' <<<"$out" || why="$why; inside: git --version said '$out'"
# git ls-remote runs git-upload-pack through PATH, as a login's command would
out=$(in_ctr /bin/sh -c 'cd /tmp && rm -rf xferc-g.git && git init -q --bare xferc-g.git 2>/dev/null &&
	git ls-remote xferc-g.git; echo "rc=$?"; rm -rf xferc-g.git' 2>&1)
grep -qx 'rc=0' <<<"$out" || why="$why; inside: git ls-remote (git-upload-pack) said '$(one_line "$out")'"
report xferc_image "${why#; }"

# ---------------------------------------------------------------------------- sftp

head -c $((3 * MiB)) /dev/urandom >"$XW/a.bin"
chmod 644 "$XW/a.bin"
A_SHA=$(sha "$XW/a.bin")
echo "another file" >"$XW/other.txt"

xsftp <<EOF
pwd
cd $RD
put $XW/a.bin a.bin
get a.bin $XW/a.back
ls -l
EOF
rc=$?
why=
[ "$rc" = 0 ] || why="rc=$rc $(errline)"
[ -z "$why" ] && [ "$(sha "$HD/a.bin" 2>/dev/null)" != "$A_SHA" ] && why="the file in the container's rootfs differs (or is missing: $(ls "$HD" | tr '\n' ' '))"
[ -z "$why" ] && [ "$(sha "$XW/a.back" 2>/dev/null)" != "$A_SHA" ] && why="the copy got back differs"
[ -z "$why" ] && ! owned_by_cuser "$HD/a.bin" && why=$OWN_WHY
report xferc_sftp_put_get "$why"
if grep -qxF "Remote working directory: /home/cuser" "$T/xout"; then ok xferc_sftp_home
else fail xferc_sftp_home "pwd said '$(grep -i 'working directory' "$T/xout")' (want /home/cuser)"; fi
if [ "$rc" = 0 ] && grep -qE "^-rw-r--r-- +[0-9?]+ +cuser +cuser +$((3 * MiB)) .* a\.bin\$" "$T/xout"; then ok xferc_sftp_ls_names
else fail xferc_sftp_ls_names "rc=$rc listing: $(one_line "$(grep -v '^sftp>' "$T/xout")") (want owner and group cuser)"; fi

xsftp <<EOF
cd $RD
mkdir sub
put $XW/other.txt sub/o.txt
rename sub/o.txt sub/p.txt
symlink a.bin l.bin
chmod 600 a.bin
EOF
rc=$?
why=
[ "$rc" = 0 ] || why="rc=$rc $(errline)"
[ -z "$why" ] && { cmp -s "$HD/sub/p.txt" "$XW/other.txt" && [ ! -e "$HD/sub/o.txt" ] || why="rename: $(ls "$HD/sub" | tr '\n' ' ')"; }
[ -z "$why" ] && { [ "$(readlink "$HD/l.bin")" = a.bin ] || why="symlink: $(ls -l "$HD" | tr '\n' ' ')"; }
[ -z "$why" ] && { [ "$(stat -c %a "$HD/a.bin")" = 600 ] || why="chmod: mode $(stat -c %a "$HD/a.bin")"; }
[ -z "$why" ] && ! owned_by_cuser "$HD/sub" && why=$OWN_WHY
if [ -z "$why" ]; then
	xsftp <<-EOF
	cd $RD
	rm sub/p.txt
	rmdir sub
	rm l.bin
	EOF
	rc=$?
	[ "$rc" = 0 ] && [ ! -e "$HD/sub" ] && [ ! -L "$HD/l.bin" ] || why="rm/rmdir: rc=$rc $(errline)"
fi
report xferc_sftp_ops "$why"

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
if [ "$rc" = 0 ] && [ "$REMOTE_SHA" = "$BIG_SHA" ] && owned_by_cuser "$HD/big.bin"; then ok xferc_1gib_put
else fail xferc_1gib_put "rc=$rc $(errline) ${OWN_WHY:-}"; fi
rm -f "$XW/big.bin"
if [ -f "$HD/big.bin" ]; then
	XSFTP_TIMEOUT=600 xsftp <<-EOF
	cd $RD
	get big.bin $XW/big.back
	EOF
	rc=$?
	if [ "$rc" = 0 ] && [ "$(sha "$XW/big.back" 2>/dev/null)" = "$REMOTE_SHA" ]; then ok xferc_1gib_get
	else fail xferc_1gib_get "rc=$rc $(errline)"; fi
else
	fail xferc_1gib_get "no 1 GiB file in the container to get"
fi
rm -f "$XW/big.back" "$HD/big.bin"
echo "# 1 GiB each way (with hashing) took $(($(date +%s) - t0)) s" >&2

# ---------------------------------------------------------------------------- scp

# mk_ptree DIR: a tree with old mtimes and various modes (and a name with a space).
mk_ptree() {
	local d=$1
	rm -rf "$d"
	mkdir -p "$d/sub" "$d/dir two"
	echo one >"$d/f644" && chmod 644 "$d/f644" && touch -d '2001-02-03 04:05:06' "$d/f644"
	echo two >"$d/f600" && chmod 600 "$d/f600" && touch -d '2010-02-03 04:05:06' "$d/f600"
	head -c 100000 /dev/urandom >"$d/dir two/sp ace" && chmod 640 "$d/dir two/sp ace" &&
		touch -d '2013-02-03 04:05:06' "$d/dir two/sp ace"
	echo five >"$d/sub/x755" && chmod 755 "$d/sub/x755" && touch -d '2014-02-03 04:05:06' "$d/sub/x755"
	chmod 750 "$d/sub" && touch -d '2015-02-03 04:05:06' "$d/sub"
	chmod 700 "$d/dir two" && touch -d '2016-02-03 04:05:06' "$d/dir two"
	chmod 751 "$d" && touch -d '2017-02-03 04:05:06' "$d"
}
tree_list() {
	(cd "$1" && find . -printf '%p %y %m %T@\n' | sed 's/\.[0-9]*$//' | sort)
}
mk_ptree "$XW/ptree"
xscp() {
	local secs=$1
	shift
	xrun "$secs" scp -S "$XWRAP" -P "$XPORT" "$@"
}

for mode in sftp legacy; do
	opt=()
	[ "$mode" = legacy ] && opt=(-O)
	rm -f "$XW/back"
	xscp 120 "${opt[@]}" "$XW/a.bin" "$XDEST:$RD/scp-$mode.bin"
	rc=$?
	why=
	[ "$rc" = 0 ] && [ "$(sha "$HD/scp-$mode.bin" 2>/dev/null)" = "$A_SHA" ] || why="upload: rc=$rc $(errline)"
	[ -z "$why" ] && ! owned_by_cuser "$HD/scp-$mode.bin" && why=$OWN_WHY
	if [ -z "$why" ]; then
		xscp 120 "${opt[@]}" "$XDEST:$RD/scp-$mode.bin" "$XW/back"
		rc=$?
		[ "$rc" = 0 ] && [ "$(sha "$XW/back" 2>/dev/null)" = "$A_SHA" ] || why="download: rc=$rc $(errline)"
	fi
	report "xferc_scp_${mode}_put_get" "$why"

	rm -rf "$XW/ptree.back"
	xscp 120 "${opt[@]}" -r -p "$XW/ptree" "$XDEST:$RD/ptree-$mode"
	rc=$?
	why=
	if [ "$rc" != 0 ]; then why="upload: rc=$rc $(errline)"
	elif [ "$(tree_list "$XW/ptree")" != "$(tree_list "$HD/ptree-$mode")" ] || ! diff -r "$XW/ptree" "$HD/ptree-$mode" >/dev/null 2>&1; then
		why="upload: differs: $(diff <(tree_list "$XW/ptree") <(tree_list "$HD/ptree-$mode") 2>&1 | grep '^[<>]' | head -n 4)"
	elif ! owned_by_cuser "$HD/ptree-$mode"; then why=$OWN_WHY
	else
		xscp 120 "${opt[@]}" -r -p "$XDEST:$RD/ptree-$mode" "$XW/ptree.back"
		rc=$?
		if [ "$rc" != 0 ]; then why="download: rc=$rc $(errline)"
		elif [ "$(tree_list "$XW/ptree")" != "$(tree_list "$XW/ptree.back")" ] || ! diff -r "$XW/ptree" "$XW/ptree.back" >/dev/null 2>&1; then
			why="download: differs: $(diff <(tree_list "$XW/ptree") <(tree_list "$XW/ptree.back") 2>&1 | grep '^[<>]' | head -n 4)"
		fi
	fi
	report "xferc_scp_${mode}_recursive_preserve" "$why"
done
xscp 60 -O "$XDEST:$RD/no-such-file" "$XW/nothing"
rc=$?
if [ "$rc" = 1 ] && grep -qxF "scp: $RD/no-such-file: No such file or directory" "$T/last.err"; then ok xferc_scp_legacy_missing
else fail xferc_scp_legacy_missing "rc=$rc stderr '$(errline)' (want exit 1 and 'scp: $RD/no-such-file: No such file or directory')"; fi

# ---------------------------------------------------------------------------- rsync

"$PYTHON" "$XFER_TOOL" mktree "$XW/rtree" 40
touch -d '2020-01-01 00:00:00' "$XW/rtree" "$XW/rtree"/*
xrun 120 rsync -av -e "$XWRAP -p $XPORT" "$XW/rtree/" "$XDEST:$RD/rtree/"
rc=$?
listed=$(grep -vE '/$|^(sending|sent|total|created) |^$' "$T/xout" | sort)
want=$(cd "$XW/rtree" && find . -type f | sed 's|^\./||' | sort)
why=
if [ "$rc" != 0 ]; then why="rc=$rc $(errline)"
elif [ "$listed" != "$want" ]; then why="listed $(wc -l <<<"$listed") files, want $(wc -l <<<"$want")"
elif ! d=$(diff -r "$XW/rtree" "$HD/rtree" 2>&1); then why="trees differ: $(head -n 3 <<<"$d")"
elif ! owned_by_cuser "$HD/rtree"; then why=$OWN_WHY; fi
report xferc_rsync_initial "$why"
echo "changed content" >>"$XW/rtree/d03/f0003.bin"
touch -d '2021-01-01 00:00:00' "$XW/rtree/d03/f0003.bin"
echo "a new file" >"$XW/rtree/d05/new file.txt"
xrun 120 rsync -av -e "$XWRAP -p $XPORT" "$XW/rtree/" "$XDEST:$RD/rtree/"
rc=$?
listed=$(grep -vE '/$|^(sending|sent|total|created) |^$' "$T/xout" | sort | tr '\n' '|')
why=
if [ "$rc" != 0 ]; then why="rc=$rc $(errline)"
elif [ "$listed" != "d03/f0003.bin|d05/new file.txt|" ]; then why="the second run listed '$listed' (want only d03/f0003.bin and 'd05/new file.txt')"
elif ! d=$(diff -r "$XW/rtree" "$HD/rtree" 2>&1); then why="trees differ: $(head -n 3 <<<"$d")"; fi
report xferc_rsync_incremental "$why"

# ---------------------------------------------------------------------------- sshfs

MNT=$XW/mnt
why=
if [ ! -c /dev/fuse ]; then
	skip xferc_sshfs "no /dev/fuse here"
elif XRDIR=/home/cuser/$RD xfer_mount "$MNT"; then
	rm -rf "$XW/expect"
	cp -r "$XW/rtree" "$XW/expect"
	mv "$XW/expect/d00" "$XW/expect/moved"
	rm -r "$XW/expect/d01"
	timeout -k 5 120 cp -r "$XW/rtree" "$MNT/stree" 2>"$T/last.err" || why="cp -r into the mount failed: $(errline)"
	[ -z "$why" ] && { timeout -k 5 60 mv "$MNT/stree/d00" "$MNT/stree/moved" 2>"$T/last.err" || why="mv failed: $(errline)"; }
	[ -z "$why" ] && { timeout -k 5 60 rm -r "$MNT/stree/d01" 2>"$T/last.err" || why="rm -r failed: $(errline)"; }
	[ -z "$why" ] && { d=$(diff -r "$XW/expect" "$HD/stree" 2>&1) || why="the rootfs differs: $(head -n 3 <<<"$d")"; }
	[ -z "$why" ] && ! owned_by_cuser "$HD/stree" && why=$OWN_WHY
	xfer_umount "$MNT" || why="${why:+$why; }still mounted after fusermount -u"
	report xferc_sshfs "$why"
else
	fail xferc_sshfs "sshfs did not mount: $(one_line "$(cat "$T/sshfs.err")")"
fi

# ---------------------------------------------------------------------------- PuTTY

putty_key nsshd-t1
HOSTFP=$(putty_hostkey "$HOSTKEY_PUB")
mkdir -p "$T/puttyhome"
cat >"$T/psftp.batch" <<EOF
cd $RD
put $XW/other.txt ps.txt
get ps.txt $XW/ps.back
ls
EOF
HOME=$T/puttyhome xrun 120 psftp -batch -b "$T/psftp.batch" -i "$T/id_nsshd-t1.ppk" -P "$XPORT" \
	-hostkey "$HOSTFP" "${PUTTY_PROXY[@]}" "$LOGIN@$PHOST"
rc=$?
if [ "$rc" = 0 ] && cmp -s "$XW/ps.back" "$XW/other.txt" && cmp -s "$HD/ps.txt" "$XW/other.txt" &&
	owned_by_cuser "$HD/ps.txt"; then ok xferc_psftp
else fail xferc_psftp "rc=$rc $(errline) ${OWN_WHY:-}"; fi
for proto in scp sftp; do
	rm -f "$XW/back"
	HOME=$T/puttyhome xrun 120 pscp "-$proto" -batch -i "$T/id_nsshd-t1.ppk" -P "$XPORT" -hostkey "$HOSTFP" \
		"${PUTTY_PROXY[@]}" "$XW/a.bin" "$LOGIN@$PHOST:$RD/pscp-$proto.bin"
	rc=$?
	why=
	[ "$rc" = 0 ] && [ "$(sha "$HD/pscp-$proto.bin" 2>/dev/null)" = "$A_SHA" ] || why="upload: rc=$rc $(errline)"
	[ -z "$why" ] && ! owned_by_cuser "$HD/pscp-$proto.bin" && why=$OWN_WHY
	if [ -z "$why" ]; then
		HOME=$T/puttyhome xrun 120 pscp "-$proto" -batch -i "$T/id_nsshd-t1.ppk" -P "$XPORT" -hostkey "$HOSTFP" \
			"${PUTTY_PROXY[@]}" "$LOGIN@$PHOST:$RD/pscp-$proto.bin" "$XW/back"
		rc=$?
		[ "$rc" = 0 ] && [ "$(sha "$XW/back" 2>/dev/null)" = "$A_SHA" ] || why="download: rc=$rc $(errline)"
	fi
	report "xferc_pscp_$proto" "$why"
done

# ---------------------------------------------------------------------------- paramiko

out=$(PYTHONWARNINGS=ignore timeout -k 5 120 "$PYTHON" "$XFER_TOOL" paramiko --host 127.0.0.1 --port "$XPORT" --user "$LOGIN" \
	--key "$T/id_nsshd-t1" "${PARAMIKO_PROXY[@]}" --file "$XW/other.txt" --dir "$RD" 2>&1)
rc=$?
if [ "$rc" = 0 ] && grep -q '^ok ' <<<"$out"; then ok xferc_paramiko
else fail xferc_paramiko "rc=$rc $(one_line "$out")"; fi

# ---------------------------------------------------------------------------- git

export GIT_SSH_COMMAND=$XWRAP GIT_SSH_VARIANT=ssh GIT_CONFIG_NOSYSTEM=1 HOME=$XW
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
REPO_URL=ssh://$XDEST:$XPORT/home/cuser/$RD/repo.git
git init -q --bare -b main "$HD/repo.git" && chown -R "$CUID:$CUID" "$HD/repo.git" ||
	fail xferc_git_setup "git init --bare failed"
rgit() { git -c safe.directory='*' --git-dir="$HD/repo.git" "$@"; }
mkdir -p "$XW/work"
(cd "$XW/work" && git init -q -b main . && cp -r "$XW/ptree" tree && echo first >README &&
	git add -A && git commit -q -m first) >/dev/null 2>&1
FIRST=$(cd "$XW/work" && git rev-parse HEAD)
(cd "$XW/work" && xrun 120 git push "$REPO_URL" main)
rc=$?
if [ "$rc" = 0 ] && [ "$(rgit rev-parse main 2>/dev/null)" = "$FIRST" ] && owned_by_cuser "$HD/repo.git"; then ok xferc_git_push
else fail xferc_git_push "rc=$rc $(errline) ${OWN_WHY:-}"; fi
(cd "$XW" && xrun 120 git clone -q "$REPO_URL" clone)
rc=$?
if [ "$rc" = 0 ] && [ "$(cd "$XW/clone" 2>/dev/null && git rev-parse HEAD)" = "$FIRST" ] &&
	diff -r -x .git "$XW/work" "$XW/clone" >/dev/null 2>&1; then ok xferc_git_clone
else fail xferc_git_clone "rc=$rc $(errline)"; fi
(cd "$XW/clone" 2>/dev/null && echo second >>README && git commit -q -am second) >/dev/null 2>&1
SECOND=$(cd "$XW/clone" 2>/dev/null && git rev-parse HEAD)
(cd "$XW/clone" 2>/dev/null && xrun 120 git push -q origin main)
rc=$?
if [ "$rc" = 0 ] && [ -n "$SECOND" ] && [ "$SECOND" != "$FIRST" ] && [ "$(rgit rev-parse main 2>/dev/null)" = "$SECOND" ]; then
	ok xferc_git_push_again
else fail xferc_git_push_again "rc=$rc $(errline)"; fi
unset GIT_SSH_COMMAND GIT_SSH_VARIANT

# ---------------------------------------------------------------------------- raw SFTP

for c in pipeline errors hugelen; do
	out=$(cd "$T" && timeout -k 5 90 "$PYTHON" "$XFER_TOOL" sftp-raw "$c" --dir "$RD" -- \
		"$XWRAP" -p "$XPORT" -s "$XDEST" sftp 2>&1)
	rc=$?
	if [ "$rc" = 0 ]; then ok "xferc_raw_$c"
	else fail "xferc_raw_$c" "rc=$rc $(one_line "$out")"; fi
done

# ---------------------------------------------------------------------------- LegacyScp

if [ "$SERVER" = nsshd ]; then
	# A second image that has scp: a wrapper that leaves a mark, then the real one.
	CROOT2=$XW/rootfs-scp
	copy_rootfs "$CROOT2" && copy_binary "$CROOT2" /usr/bin/scp /usr/bin/scp.real &&
		printf '#!/bin/sh\necho "$*" >>/tmp/xferc-scp-ran\nexec /usr/bin/scp.real "$@"\n' >"$CROOT2/usr/bin/scp" &&
		chmod 755 "$CROOT2/usr/bin/scp" || { fail xferc_legacyscp_setup "could not make the image with scp"; finish; }
	C2=$(start_container nsshd-xfer-scp --rootfs "$CROOT2") ||
		{ fail xferc_legacyscp_setup "could not start the second container"; finish; }
	install -d -o "$CUID" -g "$CUID" -m 755 "$CROOT2/home/cuser/$RD"
	MARK=$CROOT2/tmp/xferc-scp-ran
	out=$(timeout -k 5 30 nsenter -t "$C2" -a -r -w /usr/bin/scp 2>&1)
	grep -q 'usage: scp' <<<"$out" && [ -f "$MARK" ] ||
		fail xferc_legacyscp_setup "the wrapper scp does not run inside: '$(one_line "$out")'"
	rm -f "$MARK"

	# legacy_to NAME USER: scp -O of other.txt to USER's container as NAME; sets LRC.
	legacy_to() {
		xfer_client "$2" "$T/id_$2"
		xscp 60 -O "$XW/other.txt" "$XDEST:$RD/$1"
		LRC=$?
	}
	# legacyscp_config NAME... -- LINE...: restart with the two Match blocks and these lines.
	legacyscp_config() {
		local names=()
		while [ "$1" != -- ]; do names+=("$1"); shift; done
		shift
		stop_server
		if start_server "Subsystem sftp internal-sftp" "$@" \
			"Match User nsshd-t1" "ContainerTarget pid:$C" "ContainerUser cuser" \
			"Match User nsshd-t2" "ContainerTarget pid:$C2" "ContainerUser cuser"; then
			XPORT=$PORT
			return 0
		fi
		for n in "${names[@]}"; do
			fail "$n" "the server did not start with: $*; it said: $(grep -v '^#' "$SERVER_LOG" | tail -n 1)"
		done
		return 1
	}

	if legacyscp_config xferc_legacyscp_auto_external --; then
		rm -f "$MARK"
		legacy_to auto.txt nsshd-t2
		if [ "$LRC" = 0 ] && cmp -s "$CROOT2/home/cuser/$RD/auto.txt" "$XW/other.txt" && [ -f "$MARK" ]; then
			ok xferc_legacyscp_auto_external
		else fail xferc_legacyscp_auto_external "rc=$LRC $(errline); the image's scp ran: $([ -f "$MARK" ] && echo yes || echo no)"; fi
	fi
	if legacyscp_config xferc_legacyscp_internal -- "LegacyScp internal"; then
		rm -f "$MARK"
		legacy_to internal.txt nsshd-t2
		if [ "$LRC" = 0 ] && cmp -s "$CROOT2/home/cuser/$RD/internal.txt" "$XW/other.txt" && [ ! -f "$MARK" ] &&
			[ "$(stat -c %u "$CROOT2/home/cuser/$RD/internal.txt")" = "$CUID" ]; then ok xferc_legacyscp_internal
		else fail xferc_legacyscp_internal "rc=$LRC $(errline); the image's scp ran: $([ -f "$MARK" ] && echo yes || echo no)"; fi
	fi
	if legacyscp_config xferc_legacyscp_external xferc_legacyscp_external_missing -- "LegacyScp external"; then
		rm -f "$MARK"
		legacy_to external.txt nsshd-t2
		if [ "$LRC" = 0 ] && cmp -s "$CROOT2/home/cuser/$RD/external.txt" "$XW/other.txt" && [ -f "$MARK" ]; then
			ok xferc_legacyscp_external
		else fail xferc_legacyscp_external "rc=$LRC $(errline); the image's scp ran: $([ -f "$MARK" ] && echo yes || echo no)"; fi
		legacy_to missing.txt nsshd-t1
		if [ "$LRC" != 0 ] && [ ! -e "$HD/missing.txt" ]; then ok xferc_legacyscp_external_missing
		else fail xferc_legacyscp_external_missing "rc=$LRC (want a failure: the image has no scp) $(errline)"; fi
		echo "# LegacyScp external, image without scp: rc=$LRC, client said: $(errline)" >&2
	fi
	xfer_client nsshd-t1 "$T/id_nsshd-t1"
	server_alive || start_server "Subsystem sftp internal-sftp" "Match User nsshd-t1" "ContainerTarget pid:$C" \
		"ContainerUser cuser" || { fail xferc_restart "the server did not start again"; finish; }
else
	skip xferc_legacyscp "LegacyScp is nsshd's keyword"
fi

if still_serving; then ok xferc_still_serving
else fail xferc_still_serving "$SERVING_WHY"; fi

finish
