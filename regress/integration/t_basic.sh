#!/bin/bash
# t_basic.sh - commands, exit status, bulk data both ways, the login environment, AcceptEnv.
. "$(dirname "$0")/lib.sh"

setup "AcceptEnv LANG"
U=nsshd-t1
UHOME=$(user_home "$U")

# echo_ok
out=$(ssh_to "$U" echo ok </dev/null)
rc=$?
if [ "$rc" = 0 ] && [ "$out" = ok ]; then ok echo_ok; else fail echo_ok "rc=$rc output '$out'"; fi

# exit_status: `exit 7` gives 7
ssh_to "$U" 'exit 7' </dev/null
rc=$?
if [ "$rc" = 7 ]; then ok exit_status; else fail exit_status "expected exit status 7, got $rc"; fi

# 20 MiB of random data: stdin -> cat -> stdout, upload to a file, download of that file.
DATA=$T/data.bin
head -c $((20 * 1024 * 1024)) /dev/urandom >"$DATA"
want=$(sha256sum <"$DATA" | cut -d' ' -f1)
REMOTE=.nsshd-test-upload.$TEST_ID

got=$(ssh_to "$U" cat <"$DATA" | sha256sum | cut -d' ' -f1)
rc=${PIPESTATUS[0]}
if [ "$rc" = 0 ] && [ "$got" = "$want" ]; then ok data_roundtrip
else fail data_roundtrip "20 MiB through cat: rc=$rc sha256 $got, want $want"; fi

ssh_to "$U" "cat > $REMOTE" <"$DATA"
rc=$?
got=$(ssh_to "$U" "sha256sum < $REMOTE" </dev/null | cut -d' ' -f1)
local_got=$(sha256sum <"$UHOME/$REMOTE" 2>/dev/null | cut -d' ' -f1)
if [ "$rc" = 0 ] && [ "$got" = "$want" ] && [ "$local_got" = "$want" ]; then ok data_upload
else fail data_upload "cat > file: rc=$rc remote sha256sum '$got', file on disk $local_got, want $want"; fi

got=$(ssh_to "$U" "cat $REMOTE" </dev/null | sha256sum | cut -d' ' -f1)
rc=${PIPESTATUS[0]}
if [ "$rc" = 0 ] && [ "$got" = "$want" ]; then ok data_download
else fail data_download "cat file: rc=$rc sha256 $got, want $want"; fi
rm -f "$UHOME/$REMOTE" "$DATA"

# env_exec: the environment of a command without a pty, as OpenSSH sets it.
# check_env NAME ENVTEXT: compare the variables; sets ENV_WHY.
check_env() {
	local envtext=$1 tty=$2 v val why=""
	getv() { printf '%s\n' "$envtext" | tr -d '\r' | sed -n "s/^$1=//p" | head -n 1; }
	for v in USER LOGNAME; do
		val=$(getv $v)
		[ "$val" = "$U" ] || why="$why $v='$val'"
	done
	val=$(getv HOME); [ "$val" = "$UHOME" ] || why="$why HOME='$val'"
	val=$(getv SHELL); [ "$val" = /bin/bash ] || why="$why SHELL='$val'"
	val=$(getv MAIL); [ "$val" = "/var/mail/$U" ] || why="$why MAIL='$val' (want /var/mail/$U)"
	val=$(getv PATH)
	case ":$val:" in *:/usr/bin:*) ;; *) why="$why PATH='$val' (no /usr/bin)" ;; esac
	val=$(getv SSH_CLIENT)
	[[ $val =~ ^127\.0\.0\.1\ [0-9]+\ $PORT$ ]] || why="$why SSH_CLIENT='$val'"
	local cport=${val#127.0.0.1 }
	cport=${cport%% *}
	val=$(getv SSH_CONNECTION)
	[ "$val" = "127.0.0.1 $cport 127.0.0.1 $PORT" ] || why="$why SSH_CONNECTION='$val'"
	if [ "$tty" = yes ]; then
		val=$(getv SSH_TTY); [[ $val =~ ^/dev/pts/[0-9]+$ ]] || why="$why SSH_TTY='$val'"
		val=$(getv TERM); [ "$val" = xterm-256color ] || why="$why TERM='$val' (client has xterm-256color)"
	else
		printf '%s\n' "$envtext" | grep -q '^SSH_TTY=' && why="$why SSH_TTY set without a pty"
	fi
	ENV_WHY=$why
	[ -z "$why" ]
}

envtext=$(TERM=xterm-256color ssh_to "$U" env </dev/null)
rc=$?
if [ "$rc" != 0 ]; then fail env_exec "env: rc=$rc"
elif check_env "$envtext" no; then ok env_exec
else fail env_exec "wrong:$ENV_WHY"; fi

# env_pty: with -t (-tt: our stdin is not a terminal) SSH_TTY and TERM are set too.
envtext=$(TERM=xterm-256color ssh_to -tt "$U" env </dev/null)
rc=$?
if [ "$rc" != 0 ]; then fail env_pty "env with -tt: rc=$rc"
elif check_env "$envtext" yes; then ok env_pty
else fail env_pty "wrong:$ENV_WHY"; fi

# acceptenv: LANG is accepted (AcceptEnv LANG), a variable not listed is not.
out=$(LANG=C.UTF-8 NSSHD_TEST_NOT_ACCEPTED=leak ssh_to -o SendEnv=LANG -o SendEnv=NSSHD_TEST_NOT_ACCEPTED \
	"$U" 'echo "LANG=${LANG-unset} OTHER=${NSSHD_TEST_NOT_ACCEPTED-unset}"' </dev/null)
rc=$?
if [ "$rc" = 0 ] && [ "$out" = "LANG=C.UTF-8 OTHER=unset" ]; then ok acceptenv
else fail acceptenv "rc=$rc, got '$out', want 'LANG=C.UTF-8 OTHER=unset'"; fi

finish
