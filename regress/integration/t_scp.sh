#!/bin/bash
# t_scp.sh - scp (SFTP mode and the legacy protocol), PuTTY's pscp, rsync and git over the server
# on the host (issue #5), checked against Debian's OpenSSH sshd (SERVER=openssh runs the same).
#
# Every scp check runs for each protocol: scp_sftp_* (scp's default, over the SFTP subsystem) and
# scp_legacy_* (scp -O: the exec of `scp -t`/`scp -f`, served by the host's /usr/bin/scp, which
# LegacyScp auto picks on a host that has one). With SERVER=nsshd the legacy checks run once more
# as scp_internal_* under `LegacyScp internal`, nsshd's own scp server, which must answer as
# OpenSSH's scp does.
#   *_put_get               4 MiB up and down, SHA-256 equal, owned by the user
#   *_recursive             -r of a tree (modes 0751/0700/0750 dirs, 0644/0600/0755/0640 files, a
#                           directory and a file with spaces in their names): contents and modes
#                           arrive; mtimes are new
#   *_recursive_preserve    -r -p: modes and mtimes of every file and directory kept, both ways
#   *_spaces                a file name with a space: SFTP mode takes `host:dir/sp ace.txt` as it
#                           is; the legacy protocol needs it escaped for the remote shell
#                           (`host:dir/sp\ ace.txt`), both ways
#   scp_legacy_*_ambiguous  unescaped `host:dir/sp ace.txt` with -O: "scp: ambiguous target", exit 1
#   *_missing               a missing remote source: "scp: PATH: No such file or directory", exit 1
#   *_no_dir                upload into a missing directory: SFTP mode `scp: dest open "PATH":
#                           No such file or directory`, legacy "scp: PATH: No such file or
#                           directory"; exit 1
#   *_denied                upload to /root/x: SFTP `scp: dest open "/root/x": Permission denied`,
#                           legacy "scp: /root/x: Permission denied"; exit 1
#   scp_3_sftp, scp_3_legacy (and scp_internal_3)
#                           scp -3 from this server to a second one (same binary and config, another
#                           port): the file arrives intact, the second server logged the login
#   pscp_scp_put_get, pscp_scp_recursive, pscp_scp_missing ("scp: PATH: No such file or
#                           directory", exit 1), pscp_sftp_put_get, pscp_sftp_missing
#   rsync_initial           rsync -av -e ssh of a tree: every file listed, trees equal
#   rsync_incremental       after changing one file and adding one: only those two are listed
#   git_push, git_clone, git_push_again
#                           git over ssh:// to a bare repository in the user's home (git-upload-pack
#                           and git-receive-pack run on the server)
#   scp_still_serving
#
# Needs: scp, putty-tools (pscp, puttygen), rsync, git, python3.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/xfer_lib.sh"

U=nsshd-t1
xfer_need scp scp pscp puttygen rsync git sha256sum
xfer_init

setup "Subsystem sftp internal-sftp"
UHOME=$(user_home "$U")
UGRP=$(id -gn "$U")
RD=xfer-$TEST_ID
HD=$UHOME/$RD
install -d -o "$U" -g "$UGRP" -m 755 "$HD" || { fail scp_setup "cannot make $HD"; finish; }
xfer_remove_later "$HD"
xfer_client "$U" "$T/id_$U"
start_second_server || { fail scp_setup "the second server did not start: $(tail -n 5 "$SERVER2_LOG")"; finish; }

# xscp SECONDS SCP-ARGS...: scp with the wrapper; output in $T/xout, stderr in $T/last.err.
xscp() {
	local secs=$1
	shift
	xrun "$secs" scp -S "$XWRAP" -P "$XPORT" "$@"
}

# mk_ptree DIR: the tree for the recursive checks (old mtimes, various modes, spaces).
mk_ptree() {
	local d=$1
	rm -rf "$d"
	mkdir -p "$d/sub" "$d/dir two"
	echo one >"$d/f644" && chmod 644 "$d/f644" && touch -d '2001-02-03 04:05:06' "$d/f644"
	echo two >"$d/f600" && chmod 600 "$d/f600" && touch -d '2010-02-03 04:05:06' "$d/f600"
	printf '#!/bin/sh\necho three\n' >"$d/x755" && chmod 755 "$d/x755" && touch -d '2012-02-03 04:05:06' "$d/x755"
	head -c 100000 /dev/urandom >"$d/dir two/sp ace" && chmod 640 "$d/dir two/sp ace" &&
		touch -d '2013-02-03 04:05:06' "$d/dir two/sp ace"
	echo five >"$d/sub/g640" && chmod 640 "$d/sub/g640" && touch -d '2014-02-03 04:05:06' "$d/sub/g640"
	chmod 750 "$d/sub" && touch -d '2015-02-03 04:05:06' "$d/sub"
	chmod 700 "$d/dir two" && touch -d '2016-02-03 04:05:06' "$d/dir two"
	chmod 751 "$d" && touch -d '2017-02-03 04:05:06' "$d"
}

# tree_list DIR [mtimes]: "path type mode [mtime]" for everything under DIR, sorted.
tree_list() {
	local fmt='%p %y %m\n'
	[ "${2:-}" = mtimes ] && fmt='%p %y %m %T@\n'
	(cd "$1" && find . -printf "$fmt" | sed 's/\.[0-9]*$//' | sort)
}

head -c $((4 * MiB)) /dev/urandom >"$XW/a.bin"
chmod 644 "$XW/a.bin"
A_SHA=$(sha "$XW/a.bin")
echo "spaced name" >"$XW/sp ace.txt"
mk_ptree "$XW/ptree"

# scp_suite PREFIX SCP-OPTION...: the scp checks, named PREFIX_*, with these options (-O or none).
scp_suite() {
	local p=$1 legacy=0 rc why o
	shift
	for o in "$@"; do [ "$o" = -O ] && legacy=1; done
	rm -rf "${HD:?}"/* "$XW/back" "$XW/ptree.back"

	# put_get
	xscp 120 "$@" "$XW/a.bin" "$XDEST:$RD/a.bin"
	rc=$?
	why=
	[ "$rc" = 0 ] || why="upload: rc=$rc $(errline)"
	[ -z "$why" ] && [ "$(sha "$HD/a.bin" 2>/dev/null)" != "$A_SHA" ] && why="the uploaded file differs"
	[ -z "$why" ] && [ "$(stat -c %U:%G "$HD/a.bin")" != "$U:$UGRP" ] && why="owned by $(stat -c %U:%G "$HD/a.bin")"
	if [ -z "$why" ]; then
		xscp 120 "$@" "$XDEST:$RD/a.bin" "$XW/back"
		rc=$?
		[ "$rc" = 0 ] && [ "$(sha "$XW/back" 2>/dev/null)" = "$A_SHA" ] || why="download: rc=$rc $(errline)"
	fi
	report "${p}_put_get" "$why"

	# recursive (no -p): contents and modes, new mtimes
	xscp 120 "$@" -r "$XW/ptree" "$XDEST:$RD/ptree"
	rc=$?
	why=
	if [ "$rc" != 0 ]; then why="rc=$rc $(errline)"
	elif ! d=$(diff -r "$XW/ptree" "$HD/ptree" 2>&1); then why="contents differ: $(head -n 3 <<<"$d")"
	elif [ "$(tree_list "$XW/ptree")" != "$(tree_list "$HD/ptree")" ]; then
		why="modes differ: $(diff <(tree_list "$XW/ptree") <(tree_list "$HD/ptree") | grep '^[<>]' | head -n 4)"
	elif [ "$(stat -c %Y "$HD/ptree/f644")" -lt $(($(date +%s) - 600)) ]; then
		why="without -p the mtime was kept: $(stat -c %y "$HD/ptree/f644")"
	fi
	report "${p}_recursive" "$why"
	rm -rf "$HD/ptree"

	# recursive_preserve: -r -p both ways
	xscp 120 "$@" -r -p "$XW/ptree" "$XDEST:$RD/ptree"
	rc=$?
	why=
	if [ "$rc" != 0 ]; then why="upload: rc=$rc $(errline)"
	elif ! d=$(diff -r "$XW/ptree" "$HD/ptree" 2>&1); then why="upload: contents differ: $(head -n 3 <<<"$d")"
	elif [ "$(tree_list "$XW/ptree" mtimes)" != "$(tree_list "$HD/ptree" mtimes)" ]; then
		why="upload: modes or mtimes differ: $(diff <(tree_list "$XW/ptree" mtimes) <(tree_list "$HD/ptree" mtimes) | grep '^[<>]' | head -n 4)"
	else
		xscp 120 "$@" -r -p "$XDEST:$RD/ptree" "$XW/ptree.back"
		rc=$?
		if [ "$rc" != 0 ]; then why="download: rc=$rc $(errline)"
		elif ! d=$(diff -r "$XW/ptree" "$XW/ptree.back" 2>&1); then why="download: contents differ: $(head -n 3 <<<"$d")"
		elif [ "$(tree_list "$XW/ptree" mtimes)" != "$(tree_list "$XW/ptree.back" mtimes)" ]; then
			why="download: modes or mtimes differ: $(diff <(tree_list "$XW/ptree" mtimes) <(tree_list "$XW/ptree.back" mtimes) | grep '^[<>]' | head -n 4)"
		fi
	fi
	report "${p}_recursive_preserve" "$why"
	rm -rf "$HD/ptree" "$XW/ptree.back"

	# spaces
	local rname="$RD/sp ace.txt"
	[ "$legacy" = 1 ] && rname="$RD/sp\\ ace.txt"
	xscp 60 "$@" "$XW/sp ace.txt" "$XDEST:$rname"
	rc=$?
	why=
	if [ "$rc" != 0 ] || ! cmp -s "$HD/sp ace.txt" "$XW/sp ace.txt"; then
		why="upload to '$rname': rc=$rc $(errline); in the directory: $(ls "$HD" | tr '\n' '|')"
	else
		rm -f "$XW/back"
		xscp 60 "$@" "$XDEST:$rname" "$XW/back"
		rc=$?
		[ "$rc" = 0 ] && cmp -s "$XW/back" "$XW/sp ace.txt" || why="download of '$rname': rc=$rc $(errline)"
	fi
	report "${p}_spaces" "$why"
	if [ "$legacy" = 1 ]; then
		xscp 60 "$@" "$XW/sp ace.txt" "$XDEST:$RD/amb ig.txt"
		rc=$?
		if [ "$rc" = 1 ] && grep -qxF "scp: ambiguous target" "$T/last.err" && [ ! -e "$HD/amb ig.txt" ]; then
			ok "${p}_ambiguous"
		else fail "${p}_ambiguous" "rc=$rc stderr '$(errline)' (want exit 1 and 'scp: ambiguous target')"; fi
	fi

	# missing source
	xscp 60 "$@" "$XDEST:$RD/no-such-file" "$XW/nothing"
	rc=$?
	if [ "$rc" = 1 ] && grep -qxF "scp: $RD/no-such-file: No such file or directory" "$T/last.err" &&
		[ ! -e "$XW/nothing" ]; then ok "${p}_missing"
	else fail "${p}_missing" "rc=$rc stderr '$(errline)' (want exit 1 and 'scp: $RD/no-such-file: No such file or directory')"; fi

	# no_dir: into a directory that is not there
	local nd=/nonexistent-$TEST_ID/dir/ want
	if [ "$legacy" = 1 ]; then want="scp: $nd: No such file or directory"
	else want="scp: dest open \"$nd\": No such file or directory"; fi
	xscp 60 "$@" "$XW/sp ace.txt" "$XDEST:$nd"
	rc=$?
	if [ "$rc" = 1 ] && grep -qxF "$want" "$T/last.err"; then ok "${p}_no_dir"
	else fail "${p}_no_dir" "rc=$rc stderr '$(errline)' (want exit 1 and '$want')"; fi

	# denied
	if [ "$legacy" = 1 ]; then want="scp: /root/x-$TEST_ID: Permission denied"
	else want="scp: dest open \"/root/x-$TEST_ID\": Permission denied"; fi
	xscp 60 "$@" "$XW/sp ace.txt" "$XDEST:/root/x-$TEST_ID"
	rc=$?
	if [ "$rc" = 1 ] && grep -qxF "$want" "$T/last.err" && [ ! -e "/root/x-$TEST_ID" ]; then ok "${p}_denied"
	else fail "${p}_denied" "rc=$rc stderr '$(errline)' (want exit 1 and '$want')"; fi
	rm -f "/root/x-$TEST_ID"

	# scp -3 to the second server
	local p3=scp_3_sftp
	[ "$legacy" = 1 ] && p3=scp_3_legacy
	[ "$p" = scp_internal ] && p3=scp_internal_3
	rm -f "$HD/three.bin"
	xrun 120 scp -3 -S "$XWRAP" "$@" "scp://$XDEST:$PORT/$RD/a.bin" "scp://$XDEST:$PORT2/$RD/three.bin"
	rc=$?
	if [ "$rc" != 0 ] || [ "$(sha "$HD/three.bin" 2>/dev/null)" != "$A_SHA" ]; then fail "$p3" "rc=$rc $(errline)"
	elif ! grep -q "Accepted publickey for $U " "$SERVER2_LOG"; then fail "$p3" "the second server's log has no login"
	else ok "$p3"; fi
}

scp_suite scp_sftp
scp_suite scp_legacy -O

# ---------------------------------------------------------------------------- PuTTY pscp

putty_key "$U"
HOSTFP=$(putty_hostkey "$T/host_ed25519.pub")
mkdir -p "$T/puttyhome"
# xpscp SECONDS PSCP-ARGS...
xpscp() {
	local secs=$1
	shift
	HOME=$T/puttyhome xrun "$secs" pscp -batch -i "$T/id_$U.ppk" -P "$PORT" -hostkey "$HOSTFP" "$@"
}
rm -rf "${HD:?}"/* "$XW/back"
for proto in scp sftp; do
	rm -f "$XW/back"
	xpscp 120 "-$proto" "$XW/a.bin" "$U@127.0.0.1:$RD/pscp-$proto.bin"
	rc=$?
	why=
	[ "$rc" = 0 ] && [ "$(sha "$HD/pscp-$proto.bin" 2>/dev/null)" = "$A_SHA" ] || why="upload: rc=$rc $(errline)"
	if [ -z "$why" ]; then
		xpscp 120 "-$proto" "$U@127.0.0.1:$RD/pscp-$proto.bin" "$XW/back"
		rc=$?
		[ "$rc" = 0 ] && [ "$(sha "$XW/back" 2>/dev/null)" = "$A_SHA" ] || why="download: rc=$rc $(errline)"
	fi
	report "pscp_${proto}_put_get" "$why"
done
xpscp 120 -scp -r "$XW/ptree" "$U@127.0.0.1:$RD/pptree"
rc=$?
why=
if [ "$rc" != 0 ]; then why="upload: rc=$rc $(errline)"
elif ! d=$(diff -r "$XW/ptree" "$HD/pptree" 2>&1); then why="upload: $(head -n 3 <<<"$d")"
else
	rm -rf "$XW/pptree.back"
	xpscp 120 -scp -r "$U@127.0.0.1:$RD/pptree" "$XW/pptree.back"
	rc=$?
	if [ "$rc" != 0 ]; then why="download: rc=$rc $(errline)"
	elif ! d=$(diff -r "$XW/ptree" "$XW/pptree.back" 2>&1); then why="download: $(head -n 3 <<<"$d")"; fi
fi
report pscp_scp_recursive "$why"
xpscp 60 -scp "$U@127.0.0.1:$RD/no-such-file" "$XW/nothing"
rc=$?
if [ "$rc" = 1 ] && grep -qxF "scp: $RD/no-such-file: No such file or directory" "$T/last.err"; then ok pscp_scp_missing
else fail pscp_scp_missing "rc=$rc stderr '$(errline)' (want exit 1 and 'scp: $RD/no-such-file: No such file or directory')"; fi
xpscp 60 -sftp "$U@127.0.0.1:$RD/no-such-file" "$XW/nothing"
rc=$?
if [ "$rc" = 1 ] && grep -qxF "unable to identify $RD/no-such-file: no such file or directory" "$T/last.err"; then ok pscp_sftp_missing
else fail pscp_sftp_missing "rc=$rc stderr '$(errline)' (want exit 1 and 'unable to identify $RD/no-such-file: no such file or directory')"; fi

# ---------------------------------------------------------------------------- rsync

"$PYTHON" "$XFER_TOOL" mktree "$XW/rtree" 40
touch -d '2020-01-01 00:00:00' "$XW/rtree" "$XW/rtree"/*
xrun 120 rsync -av -e "$XWRAP -p $PORT" "$XW/rtree/" "$XDEST:$RD/rtree/"
rc=$?
listed=$(grep -vE '/$|^(sending|sent|total|created) |^$' "$T/xout" | sort)
want=$(cd "$XW/rtree" && find . -type f | sed 's|^\./||' | sort)
why=
if [ "$rc" != 0 ]; then why="rc=$rc $(errline)"
elif [ "$listed" != "$want" ]; then why="listed $(wc -l <<<"$listed") files, want $(wc -l <<<"$want"): $(diff <(echo "$listed") <(echo "$want") | head -n 4 | tr '\n' ' ')"
elif ! d=$(diff -r "$XW/rtree" "$HD/rtree" 2>&1); then why="trees differ: $(head -n 3 <<<"$d")"; fi
report rsync_initial "$why"
echo "changed content" >>"$XW/rtree/d03/f0003.bin"
touch -d '2021-01-01 00:00:00' "$XW/rtree/d03/f0003.bin"
echo "a new file" >"$XW/rtree/d05/new file.txt"
xrun 120 rsync -av -e "$XWRAP -p $PORT" "$XW/rtree/" "$XDEST:$RD/rtree/"
rc=$?
listed=$(grep -vE '/$|^(sending|sent|total|created) |^$' "$T/xout" | sort | tr '\n' '|')
why=
if [ "$rc" != 0 ]; then why="rc=$rc $(errline)"
elif [ "$listed" != "d03/f0003.bin|d05/new file.txt|" ]; then why="the second run listed '$listed' (want only d03/f0003.bin and 'd05/new file.txt')"
elif ! d=$(diff -r "$XW/rtree" "$HD/rtree" 2>&1); then why="trees differ: $(head -n 3 <<<"$d")"; fi
report rsync_incremental "$why"

# ---------------------------------------------------------------------------- git

export GIT_SSH_COMMAND=$XWRAP GIT_SSH_VARIANT=ssh GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
REPO_URL=ssh://$XDEST:$PORT$HD/repo.git
runuser -u "$U" -- git init -q --bare -b main "$HD/repo.git" 2>"$T/last.err" ||
	fail git_setup "git init --bare as $U: $(errline)"
rgit() { git -c safe.directory='*' --git-dir="$HD/repo.git" "$@"; }
mkdir -p "$XW/work"
(cd "$XW/work" && HOME=$XW git init -q -b main . && cp -r "$XW/ptree" tree && echo "first" >README &&
	HOME=$XW git add -A && HOME=$XW git commit -q -m first) >/dev/null 2>&1
FIRST=$(cd "$XW/work" && git rev-parse HEAD)
(cd "$XW/work" && HOME=$XW xrun 120 git push "$REPO_URL" main)
rc=$?
if [ "$rc" = 0 ] && [ "$(rgit rev-parse main 2>/dev/null)" = "$FIRST" ]; then ok git_push
else fail git_push "rc=$rc $(errline)"; fi
(cd "$XW" && HOME=$XW xrun 120 git clone -q "$REPO_URL" clone)
rc=$?
if [ "$rc" = 0 ] && [ "$(cd "$XW/clone" 2>/dev/null && git rev-parse HEAD)" = "$FIRST" ] &&
	diff -r -x .git "$XW/work" "$XW/clone" >/dev/null 2>&1; then ok git_clone
else fail git_clone "rc=$rc $(errline)"; fi
(cd "$XW/clone" 2>/dev/null && echo second >>README && HOME=$XW git commit -q -am second) >/dev/null 2>&1
SECOND=$(cd "$XW/clone" 2>/dev/null && git rev-parse HEAD)
(cd "$XW/clone" 2>/dev/null && HOME=$XW xrun 120 git push -q origin main)
rc=$?
if [ "$rc" = 0 ] && [ -n "$SECOND" ] && [ "$SECOND" != "$FIRST" ] && [ "$(rgit rev-parse main 2>/dev/null)" = "$SECOND" ] &&
	[ "$(stat -c %U "$HD/repo.git/objects/${SECOND:0:2}")" = "$U" ]; then ok git_push_again
else fail git_push_again "rc=$rc $(errline)"; fi
unset GIT_SSH_COMMAND GIT_SSH_VARIANT

# ---------------------------------------------------------------------------- nsshd's own scp

if [ "$SERVER" = nsshd ]; then
	stop_server
	kill_tree "$SERVER2_PID"
	if start_server "Subsystem sftp internal-sftp" "LegacyScp internal" && start_second_server; then
		XPORT=$PORT
		scp_suite scp_internal -O
	else
		fail scp_internal_setup "the server did not start with LegacyScp internal: $(grep -v '^#' "$SERVER_LOG" | tail -n 2)"
		server_alive || start_server "Subsystem sftp internal-sftp" || { fail scp_restart "server did not start"; finish; }
	fi
fi

if still_serving; then ok scp_still_serving
else fail scp_still_serving "$SERVING_WHY"; fi

finish
