#!/bin/bash
# t_pty.sh - an interactive login shell on a pty, driven through tmux: type a command and read
# its output, `stty size` matches the terminal and follows a resize, `exit 3` ends the session
# with status 3.
. "$(dirname "$0")/lib.sh"

command -v tmux >/dev/null || { fail pty_setup "tmux not installed (apt-get install tmux)"; finish; }
setup
U=nsshd-t1

TMUX_SOCKET=nsshd-test-$$
cat >"$T/tmux.conf" <<'EOF'
set -g status off
set -g remain-on-exit on
set -g history-limit 2000
EOF
tmx() {
	timeout -k 2 10 tmux -L "$TMUX_SOCKET" -f "$T/tmux.conf" "$@"
}
pane() {
	tmx capture-pane -p -J -S - -t pty 2>/dev/null | tr -d '\r'
}
pane_size() {
	tmx display-message -p -t pty '#{pane_height} #{pane_width}'
}
# type_line TEXT: type TEXT and Enter into the shell.
type_line() {
	tmx send-keys -t pty -l "$1" && tmx send-keys -t pty Enter
}
# wait_line REGEX SECONDS: wait until a line of the pane matches REGEX; print that line.
wait_line() {
	local i
	for i in $(seq 1 $(($2 * 5))); do
		if pane | grep -E -m1 "$1"; then return 0; fi
		sleep 0.2
	done
	return 1
}
pane_dump() {
	echo "#   pane contents:" >&2
	pane | grep -v '^$' | tail -n 15 | sed 's/^/#   | /' >&2
}

# The pane runs ssh and records ssh's exit status itself: tmux 3.3 now and then never reaps a
# pane's process, which leaves #{pane_dead_status} empty.
if ! tmx new-session -d -s pty -x 100 -y 30 "$(ssh_cmdline "$U" -tt); echo \$? > $T/pty.status"; then
	fail pty_shell "could not start tmux"
	finish
fi

# pty_shell: a prompt appears, a typed command runs and its output comes back.
if ! wait_line '[$#] ?$' 20 >/dev/null; then
	echo "# no shell prompt seen; typing anyway" >&2
fi
type_line 'echo "M=$((6*7))"'
if wait_line '^M=42$' 15 >/dev/null; then ok pty_shell
else pane_dump; fail pty_shell "typed 'echo \"M=\$((6*7))\"', no line 'M=42' in the pane"; fi

# pty_size: stty size inside equals the tmux pane size.
want=$(pane_size)
type_line 'echo "SZ1=$(stty size)"'
line=$(wait_line '^SZ1=[0-9]+ [0-9]+$' 15)
if [ "$line" = "SZ1=$want" ] && [ "$want" = "30 100" ]; then ok pty_size
else pane_dump; fail pty_size "stty size printed '${line#SZ1=}', pane is '$want' (want 30 100)"; fi

# pty_resize: after tmux resizes the window, stty size follows (window-change).
tmx resize-window -t pty -x 120 -y 40
wait_for 5 test "$(pane_size)" = "40 120"
want=$(pane_size)
got=
for n in 2 3 4 5 6; do
	type_line "echo \"SZ$n=\$(stty size)\""
	line=$(wait_line "^SZ$n=[0-9]+ [0-9]+\$" 15)
	got=${line#SZ$n=}
	[ "$got" = "$want" ] && break
	sleep 1
done
if [ "$got" = "$want" ] && [ "$want" = "40 120" ]; then ok pty_resize
else pane_dump; fail pty_resize "after resize-window to 120x40 stty size says '$got', pane is '$want'"; fi

# pty_exit: `exit 3` in the shell ends ssh with status 3.
type_line 'exit 3'
wait_for 15 test -s "$T/pty.status"
st=$(cat "$T/pty.status" 2>/dev/null)
if [ "$st" = 3 ]; then ok pty_exit
else pane_dump; fail pty_exit "after 'exit 3' in the shell, ssh exit status is '$st', want 3"; fi

finish
