#!/bin/sh
# signals.sh — process control: signals sent to hutch reach the payload
# (and terminal ones are not doubled), --no-forward-signals, --kill-on-exit
# with and without a PID namespace, --rlimit as the payload sees it
# (/proc/self/limits) and its validation, --timeout (exit 124, nothing
# left behind), and the --json-status-fd lines for these events.
#
# Ordering is by handshake: the payload creates a marker (or prints a
# line) once its traps are installed, and tests/helpers/proc-drive waits
# for it before it signals hutch or types ^C on a pseudo-terminal.
# This script's directory, found before lib.sh (which finds the helpers
# through it) and `cd /` run.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
umask 022
cd /
DRIVE=${HELPERS:+$HELPERS/proc-drive}

need_drive() {
	need_helper "$DRIVE"
}

need_hutch() {
	if [ "$HUTCH_IS_BWRAP" -eq 1 ]; then
		skip "hutch's own option (bwrap has none)"
		return 1
	fi
	return 0
}

# The sandbox every case uses: the host read-only, a /dev (background
# jobs of sh open /dev/null), and the scratch dir writable for markers.
SB="--ro-bind / / --dev /dev --bind $T $T"

# A payload that traps SIG, says so by creating $T/ready, and exits 42
# when the signal comes (printing got-SIG). Its sleeps are background
# jobs so that `wait` returns the moment a trapped signal arrives.
trap_payload() {
	printf '%s' "trap 'echo got-$1; kill \$! 2>/dev/null; exit 42' $1; : > $T/ready; while :; do sleep 1 & wait \$!; done"
}

# json_line N — line N of $T/json.
json_line() {
	sed -n "${1}p" "$T/json"
}

# find_token TOKEN — pids of host processes whose command line holds
# "tok-TOKEN" (the bracket keeps grep from matching itself).
find_token() {
	_f=${1%"${1#?}"}
	grep -l -- "tok-[$_f]${1#?}" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3
}

kill_token() {
	for _p in $(find_token "$1"); do
		kill -KILL "$_p" 2>/dev/null
	done
}

# ---------------------------------------------------------------- relaying

case_relay() {
	need_drive || return
	need_hutch || return
	_bad=
	for _pidns in "" --unshare-pid; do
		for _sig in TERM:15 INT:2 HUP:1; do
			rm -f "$T/ready"
			# shellcheck disable=SC2086
			run_cmd_in "$DRIVE" "wait-file:$T/ready" "signal:${_sig%:*}" -- \
				"$HUTCH" $SB $_pidns --json-status-fd 3 sh -c "$(trap_payload "${_sig%:*}")" \
				3>"$T/json" </dev/null
			_what="SIG${_sig%:*} ${_pidns:-(no pid ns)}"
			[ "$rc" = 42 ] || _bad="$_bad [$_what: status $rc, want 42; stderr: $err]"
			[ "$out" = "got-${_sig%:*}" ] || _bad="$_bad [$_what: payload said '$out']"
			[ "$(json_line 2)" = "{ \"signal-relayed\": ${_sig#*:} }" ] ||
				_bad="$_bad [$_what: json line 2 '$(json_line 2)']"
			[ "$(json_line 3)" = '{ "exit-code": 42 }' ] ||
				_bad="$_bad [$_what: json line 3 '$(json_line 3)']"
		done
	done
	assert_eq "" "$_bad" "signals sent to hutch, as the payload saw them"
}
tcase "kill -TERM/-INT/-HUP to hutch reaches the payload, whose status comes back (with and without --unshare-pid)" case_relay

case_relay_other_signals() {
	need_drive || return
	need_hutch || return
	_bad=
	for _sig in QUIT USR1 USR2 WINCH; do
		rm -f "$T/ready"
		run_cmd_in "$DRIVE" "wait-file:$T/ready" "signal:$_sig" -- \
			"$HUTCH" $SB --unshare-pid sh -c "$(trap_payload "$_sig")" </dev/null
		[ "$rc:$out" = "42:got-$_sig" ] || _bad="$_bad [SIG$_sig: status $rc, output '$out']"
	done
	assert_eq "" "$_bad" "relayed signals"
}
tcase "SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH are relayed too" case_relay_other_signals

case_relay_seccomp() {
	need_drive || return
	need_hutch || return
	# The payload's seccomp programs bind pid 1 too; the pidfd hutch
	# relays through was handed over before that.
	rm -f "$T/ready"
	run_cmd_in "$DRIVE" "wait-file:$T/ready" signal:TERM -- \
		"$HUTCH" $SB --unshare-pid --seccomp-preset desktop sh -c "$(trap_payload TERM)" </dev/null
	assert_rc 42 || return
	assert_eq "got-TERM" "$out" "payload output"
}
tcase "relaying works under a seccomp preset (which pid 1 runs under too)" case_relay_seccomp

case_relay_untrapped() {
	need_drive || return
	need_hutch || return
	# A payload that does not trap SIGTERM dies of it: 143, as a shell
	# reports it; hutch itself is not killed.
	rm -f "$T/ready"
	run_cmd_in "$DRIVE" "wait-file:$T/ready" signal:TERM -- \
		"$HUTCH" $SB --unshare-pid --json-status-fd 3 sh -c ": > $T/ready; exec sleep 60" 3>"$T/json" </dev/null
	assert_rc 143 || return
	# 143 is also what a hutch that died of SIGTERM itself would give.
	assert_eq '{ "signal-relayed": 15 }
{ "exit-code": 143 }' "$(sed 1d "$T/json")" "--json-status-fd after the start line"
}
tcase "a payload that does not trap the relayed SIGTERM dies of it: 143" case_relay_untrapped

case_relay_as_pid_1() {
	need_drive || return
	need_hutch || return
	# The payload is pid 1 of its namespace: it gets the signals it has a
	# handler for, like any init.
	rm -f "$T/ready"
	run_cmd_in "$DRIVE" "wait-file:$T/ready" signal:TERM -- \
		"$HUTCH" $SB --unshare-pid --as-pid-1 sh -c "$(trap_payload TERM)" </dev/null
	assert_rc 42 || return
	assert_eq "got-TERM" "$out" "payload output"
}
tcase "--as-pid-1: a payload that traps SIGTERM gets it from hutch" case_relay_as_pid_1

case_relay_during_setup() {
	need_hutch || return
	# SIGTERM while setup waits on --block-fd: it is kept, and relayed
	# the moment the payload starts (which dies of it, or, if its trap
	# was quicker, exits 42).
	mkdir "$T/m" && mkfifo "$T/block" || { fail "can't make the fifo"; return; }
	exec 8<>"$T/block"
	"$HUTCH" $SB --dir "$T/m/setup-done" --block-fd 6 --json-status-fd 3 \
		sh -c "$(trap_payload TERM)" 6<"$T/block" 3>"$T/json" </dev/null >"$T/bg.out" 2>&1 &
	_hp=$!
	_i=0
	while [ ! -d "$T/m/setup-done" ] && [ $_i -lt 600 ] && kill -0 "$_hp" 2>/dev/null; do
		sleep 0.05
		_i=$((_i + 1))
	done
	kill -TERM "$_hp"
	# hutch must still be there, waiting for its payload to start.
	if ! kill -0 "$_hp" 2>/dev/null; then
		wait "$_hp"
		exec 8>&-
		fail "hutch ended when signalled during setup (status $?)"
		return
	fi
	echo go >&8
	wait "$_hp"
	rc=$?
	exec 8>&-
	case $rc in
	143 | 42) ;;
	*) fail "status $rc, want 143 or 42; output: $(cat "$T/bg.out")" ;;
	esac
	# A hutch that died of the signal itself would exit 143 too, but
	# write neither of these.
	assert_eq '{ "signal-relayed": 15 }' "$(json_line 2)" "json line 2" || return
	assert_eq "{ \"exit-code\": $rc }" "$(json_line 3)" "json line 3"
}
tcase "a signal that arrives during setup is relayed once the payload starts" case_relay_during_setup

case_no_forward() {
	need_drive || return
	need_hutch || return
	# bwrap's behaviour: hutch itself dies of the signal, the payload
	# never sees it (--die-with-parent then SIGKILLs it, quietly).
	rm -f "$T/ready" "$T/got"
	run_cmd_in "$DRIVE" "wait-file:$T/ready" signal:TERM -- \
		"$HUTCH" $SB --no-forward-signals --die-with-parent \
		sh -c "trap ': > $T/got; exit 42' TERM; : > $T/ready; while :; do sleep 1 & wait \$!; done" </dev/null
	assert_rc 143 "hutch's status (killed by SIGTERM itself)" || return
	assert_true "the payload got no SIGTERM" test ! -e "$T/got"
}
tcase "--no-forward-signals: hutch dies of SIGTERM, the payload is not sent it" case_no_forward

case_signal_from_inside() {
	need_drive || return
	need_hutch || return
	# The payload shares hutch's process group; its `kill -USR1 0`
	# reaches hutch too, which must not send it back.
	run_cmd_in "$DRIVE" -- "$HUTCH" $SB --json-status-fd 3 \
		sh -c 'n=0; trap "n=\$((n+1))" USR1; kill -USR1 0; echo "count=$n"' 3>"$T/json" </dev/null
	assert_ok || return
	assert_eq "count=1" "$out" "USR1 deliveries the payload counted" || return
	assert_no_match "$(cat "$T/json")" 'signal-relayed' "--json-status-fd lines"
}
tcase "a signal sent from inside the sandbox to hutch's group is not relayed back" case_signal_from_inside

# ---------------------------------------------------------------- terminal

# A payload on a terminal that counts SIGINTs, says READY, and on SIGTERM
# prints the count and exits 7.
COUNT_INT='n=0; trap "n=\$((n+1)); echo INT-\$n" INT; trap "echo TERM-count=\$n; exit 7" TERM; echo READY; while :; do sleep 1 & wait $!; done'

# pty_rounds ARGS... — type ^C three times on the payload's terminal,
# each after the payload reported the previous one, then SIGTERM hutch.
pty_rounds() {
	run_cmd_in "$DRIVE" --pty wait-out:READY intr wait-out:INT-1 intr wait-out:INT-2 intr wait-out:INT-3 \
		signal:TERM -- "$HUTCH" $SB "$@" sh -c "$COUNT_INT" </dev/null
}

case_pty_no_double() {
	need_drive || return
	need_hutch || return
	_bad=
	for _pidns in "" --unshare-pid; do
		# shellcheck disable=SC2086
		pty_rounds $_pidns
		[ "$rc" = 7 ] || _bad="$_bad [${_pidns:-no pid ns}: status $rc; $err]"
		case $out in
		*TERM-count=3*) ;;
		*) _bad="$_bad [${_pidns:-no pid ns}: output '$out', want TERM-count=3]" ;;
		esac
	done
	assert_eq "" "$_bad" "SIGINTs from the terminal (each must arrive once)"
}
tcase "a terminal's ^C reaches the payload once, not again through hutch (with and without --unshare-pid)" case_pty_no_double

case_pty_new_session() {
	need_drive || return
	need_hutch || return
	_bad=
	for _pidns in "" --unshare-pid; do
		# shellcheck disable=SC2086
		pty_rounds --new-session $_pidns
		[ "$rc" = 7 ] || _bad="$_bad [${_pidns:-no pid ns}: status $rc; $err]"
		case $out in
		*TERM-count=3*) ;;
		*) _bad="$_bad [${_pidns:-no pid ns}: output '$out', want TERM-count=3]" ;;
		esac
	done
	assert_eq "" "$_bad" "SIGINTs relayed to a payload in its own session"
}
tcase "--new-session: ^C on the terminal is relayed to the payload (with and without --unshare-pid)" case_pty_new_session

case_pty_new_session_group() {
	need_drive || return
	need_hutch || return
	# As a terminal does, hutch sends ^C to the payload's whole process
	# group: the payload's foreground child gets it too.
	_bad=
	for _pidns in "" --unshare-pid; do
		# shellcheck disable=SC2086
		run_cmd_in "$DRIVE" --pty wait-out:CHILD-READY intr wait-out:INT-child -- \
			"$HUTCH" $SB --new-session $_pidns sh -c \
			'trap "echo OUTER-INT" INT; sh -c "trap \"echo INT-child; exit 0\" INT; echo CHILD-READY; while :; do sleep 1 & wait \$!; done"; echo OUTER-DONE; exit 5' \
			</dev/null
		[ "$rc" = 5 ] || _bad="$_bad [${_pidns:-no pid ns}: status $rc; $err]"
		case $out in
		*INT-child*OUTER-DONE*) ;;
		*) _bad="$_bad [${_pidns:-no pid ns}: output '$out']" ;;
		esac
	done
	assert_eq "" "$_bad" "^C to a payload in its own session, and its foreground child"
}
tcase "--new-session: ^C reaches the payload's process group, as from a terminal" case_pty_new_session_group

case_pty_new_session_tstp() {
	need_drive || return
	need_hutch || return
	# ^Z: relayed to the payload (which traps it here), and hutch stops;
	# the SIGCONT that continues hutch goes on to the payload. Like a
	# shell's `fg`, the SIGCONT is sent once hutch has stopped.
	run_cmd_in "$DRIVE" --pty wait-out:READY susp wait-out:GOT-TSTP wait-stopped signal:CONT -- \
		"$HUTCH" $SB --new-session sh -c \
		'trap "echo GOT-TSTP" TSTP; trap "echo GOT-CONT; exit 9" CONT; echo READY; while :; do sleep 1 & wait $!; done' \
		</dev/null
	assert_rc 9 || return
	assert_contains "$out" "GOT-CONT" "payload output"
}
tcase "--new-session: ^Z is relayed, and so is the SIGCONT that resumes hutch" case_pty_new_session_tstp

# ---------------------------------------------------------------- --kill-on-exit

# orphan_run TOKEN ARGS... — a payload that leaves a double-forked
# background process (command line holding tok-TOKEN) and exits 3 once it
# runs.
orphan_run() {
	_tok=$1
	shift
	rm -f "$T/bg.ready"
	hutch $SB "$@" sh -c \
		'(sh -c ": > $0.ready; sleep 60; true" "$1" </dev/null >/dev/null 2>&1 &); while [ ! -e "$0.ready" ]; do sleep 0.05; done; exit 3' \
		"$T/bg" "tok-$_tok"
}

case_kill_on_exit() {
	need_hutch || return
	_bad=
	for _pidns in "" --unshare-pid; do
		_tok=koe$$x$(date +%s%N)
		# shellcheck disable=SC2086
		orphan_run "$_tok" $_pidns --kill-on-exit
		[ "$rc" = 3 ] || _bad="$_bad [${_pidns:-no pid ns}: status $rc; $err]"
		_left=$(find_token "$_tok")
		[ -z "$_left" ] || _bad="$_bad [${_pidns:-no pid ns}: still running: $_left]"
		kill_token "$_tok"
	done
	assert_eq "" "$_bad" "processes left after hutch returned"
}
tcase "--kill-on-exit: nothing the payload started outlives it (with and without --unshare-pid)" case_kill_on_exit

case_no_kill_on_exit() {
	need_hutch || return
	# The control (bwrap's behaviour): without the option the orphan
	# lives on.
	_bad=
	for _pidns in "" --unshare-pid; do
		_tok=nokoe$$x$(date +%s%N)
		# shellcheck disable=SC2086
		orphan_run "$_tok" $_pidns
		[ "$rc" = 3 ] || _bad="$_bad [${_pidns:-no pid ns}: status $rc; $err]"
		[ -n "$(find_token "$_tok")" ] || _bad="$_bad [${_pidns:-no pid ns}: the orphan is gone]"
		kill_token "$_tok"
	done
	assert_eq "" "$_bad" "background processes without --kill-on-exit"
}
tcase "without --kill-on-exit background processes outlive the payload (bwrap's behaviour)" case_no_kill_on_exit

case_kill_on_exit_reaper() {
	need_hutch || return
	# A reaper without a PID namespace (it holds --sync-fd).
	_tok=koer$$x$(date +%s%N)
	orphan_run "$_tok" --kill-on-exit --sync-fd 0
	assert_rc 3 || { kill_token "$_tok"; return; }
	_left=$(find_token "$_tok")
	kill_token "$_tok"
	assert_eq "" "$_left" "processes left after hutch returned"
}
tcase "--kill-on-exit with a reaper but no PID namespace (--sync-fd)" case_kill_on_exit_reaper

# ---------------------------------------------------------------- --rlimit

RLIMIT_ROWS='as:Max address space:8589934592
core:Max core file size:4096
cpu:Max cpu time:3600
data:Max data size:8589934592
fsize:Max file size:1073741824
locks:Max file locks:1000
memlock:Max locked memory:65536
msgqueue:Max msgqueue size:8192
nice:Max nice priority:0
nofile:Max open files:256
nproc:Max processes:4096
rss:Max resident set:1073741824
rtprio:Max realtime priority:0
rttime:Max realtime timeout:1000000
sigpending:Max pending signals:1000
stack:Max stack size:8388608'

# limit_col LIMITS LABEL COLUMN — soft (1) or hard (2) value of a row of
# a /proc/PID/limits text.
limit_col() {
	printf '%s\n' "$1" | awk -v l="$2" -v c="$3" '
		{ label = substr($0, 1, 26); sub(/ +$/, "", label) }
		label == l { v = substr($0, c == 1 ? 27 : 48, 21); gsub(/ /, "", v); print v }'
}

case_rlimits() {
	need_hutch || return
	_host=$(cat /proc/self/limits)
	_args=
	_want=
	for _row in $(printf '%s\n' "$RLIMIT_ROWS" | tr ' ' '_'); do
		_name=${_row%%:*}
		_label=$(printf '%s' "$_row" | cut -d: -f2 | tr '_' ' ')
		_pref=${_row##*:}
		_hard=$(limit_col "$_host" "$_label" 2)
		# Never above what we have: only real root may raise it.
		_v=$_pref
		[ "$_hard" != unlimited ] && [ "$_hard" -lt "$_pref" ] && _v=$_hard
		_args="$_args --rlimit $_name=$_v"
		_want="$_want$_label=$_v/$_v
"
	done
	# shellcheck disable=SC2086
	hutch $SB $_args cat /proc/self/limits
	assert_ok || return
	_got=
	for _row in $(printf '%s\n' "$RLIMIT_ROWS" | tr ' ' '_'); do
		_label=$(printf '%s' "$_row" | cut -d: -f2 | tr '_' ' ')
		_got="$_got$_label=$(limit_col "$out" "$_label" 1)/$(limit_col "$out" "$_label" 2)
"
	done
	assert_eq "$_want" "$_got" "limits in the payload's /proc/self/limits (soft/hard)"
}
tcase "--rlimit: each of the 16 limits is what the payload sees in /proc/self/limits" case_rlimits

case_rlimit_forms() {
	need_hutch || return
	_hard=$(limit_col "$(cat /proc/self/limits)" "Max open files" 2)
	hutch $SB --rlimit nofile=64:128 --rlimit NOFILE=32:100 cat /proc/self/limits
	assert_ok || return
	assert_eq "32/100" "$(limit_col "$out" "Max open files" 1)/$(limit_col "$out" "Max open files" 2)" \
		"nofile (the last --rlimit nofile counts)" || return
	# "SOFT:" keeps the hard limit hutch has; the soft one is set.
	hutch $SB --rlimit nofile=50: sh -c 'cat /proc/self/limits'
	assert_ok || return
	assert_eq "50/$_hard" "$(limit_col "$out" "Max open files" 1)/$(limit_col "$out" "Max open files" 2)" \
		"nofile=50: (hard kept)"
}
tcase "--rlimit forms: SOFT:HARD, SOFT:, names in any case, the last one counts" case_rlimit_forms

case_rlimit_setup_unlimited() {
	need_hutch || return
	# The limits are the payload's only: with nofile=4 (stdin, stdout,
	# stderr and one more, enough for cat) setup, which holds many more
	# files open at once, still works.
	hutch $SB --unshare-pid --rlimit nofile=4 cat /proc/self/limits
	assert_ok || return
	assert_eq "4" "$(limit_col "$out" "Max open files" 1)" "nofile in the payload"
}
tcase "--rlimit does not limit setup (nofile=4 still builds the sandbox)" case_rlimit_setup_unlimited

case_rlimit_invalid() {
	need_hutch || return
	_bad=
	for _case in \
		"bogus=1|unknown resource \"bogus\"" \
		"nofile|--rlimit takes NAME=SOFT[:HARD]" \
		"=5|--rlimit takes NAME=SOFT[:HARD]" \
		"nofile=|no value given" \
		"nofile=abc|\"abc\" is not a number" \
		"nofile=-1|is not a number" \
		"nofile=12x|is not a number" \
		"nofile=5:3|the soft limit 5 is above the hard limit 3" \
		"nofile=99999999999999999999999|out of range" \
		"cpu=18446744073709551615|out of range" \
		"nofile=1:2:3|is not a number"; do
		rm -f "$T/ran"
		hutch $SB --rlimit "${_case%%|*}" sh -c ": > $T/ran"
		if [ "$rc" != 1 ] || [ -e "$T/ran" ]; then
			_bad="$_bad [${_case%%|*}: status $rc, payload ran: $([ -e "$T/ran" ] && echo yes || echo no)]"
			continue
		fi
		case $err in
		*"${_case#*|}"*) ;;
		*) _bad="$_bad [${_case%%|*}: message '$err']" ;;
		esac
	done
	assert_eq "" "$_bad" "bad --rlimit values"
}
tcase "--rlimit: unknown names, garbage, soft > hard and overflow exit 1 with a message" case_rlimit_invalid

case_rlimit_raise_hard() {
	need_nonroot || return
	need_hutch || return
	_hard=$(limit_col "$(cat /proc/self/limits)" "Max open files" 2)
	if [ "$_hard" = unlimited ]; then
		skip "the hard nofile limit is already unlimited"
		return
	fi
	hutch $SB --rlimit "nofile=1:$((_hard + 1))" true
	assert_error_run "can't raise the hard limit above $_hard without privileges"
}
tcase "--rlimit: raising a hard limit without privileges is refused up front" case_rlimit_raise_hard

case_rlimit_json() {
	need_hutch || return
	_bad=
	for _pidns in "" --unshare-pid; do
		# shellcheck disable=SC2086
		run_cmd_in "$HUTCH" $SB $_pidns --rlimit fsize=1000 --json-status-fd 3 \
			sh -c "exec head -c 5000 /dev/zero > $T/big" 3>"$T/json" </dev/null
		[ "$rc" = 153 ] || _bad="$_bad [${_pidns:-no pid ns}: status $rc, want 153 (SIGXFSZ)]"
		[ "$(json_line 2)" = '{ "rlimit-exceeded": "fsize" }' ] || _bad="$_bad [json line 2: '$(json_line 2)']"
		[ "$(json_line 3)" = '{ "exit-code": 153 }' ] || _bad="$_bad [json line 3: '$(json_line 3)']"
		[ "$(wc -c <"$T/big")" -eq 1000 ] || _bad="$_bad [file size $(wc -c <"$T/big")]"
	done
	# The soft cpu limit (below the hard one): SIGXCPU.
	run_cmd_in "$HUTCH" $SB --rlimit cpu=1:5 --json-status-fd 3 sh -c 'while :; do :; done' 3>"$T/json" </dev/null
	[ "$rc" = 152 ] || _bad="$_bad [cpu: status $rc, want 152 (SIGXCPU)]"
	[ "$(json_line 2)" = '{ "rlimit-exceeded": "cpu" }' ] || _bad="$_bad [cpu json line 2: '$(json_line 2)']"
	assert_eq "" "$_bad" "payloads stopped by a limit"
}
tcase "--json-status-fd reports a limit the kernel enforced (fsize, cpu)" case_rlimit_json

# ---------------------------------------------------------------- --timeout

case_timeout() {
	need_hutch || return
	_bad=
	for _pidns in "" --unshare-pid; do
		# shellcheck disable=SC2086
		run_cmd_in "$HUTCH" $SB $_pidns --timeout 1.5 --json-status-fd 3 sleep 60 3>"$T/json" </dev/null
		[ "$rc" = 124 ] || _bad="$_bad [${_pidns:-no pid ns}: status $rc, want 124]"
		[ "$(json_line 2)" = '{ "timed-out": true }' ] || _bad="$_bad [json line 2: '$(json_line 2)']"
		# sleep was ended by the SIGTERM: its own status is 143.
		[ "$(json_line 3)" = '{ "exit-code": 143 }' ] || _bad="$_bad [json line 3: '$(json_line 3)']"
	done
	assert_eq "" "$_bad" "--timeout"
}
tcase "--timeout: SIGTERM after the time, exit 124, json timed-out (with and without --unshare-pid)" case_timeout

case_timeout_survivors() {
	need_hutch || return
	_bad=
	for _pidns in "" --unshare-pid; do
		_tok=to$$x$(date +%s%N)
		rm -f "$T/bg.ready"
		# The payload ignores SIGTERM (so SIGKILL is needed) and leaves a
		# double-forked process behind.
		# shellcheck disable=SC2086
		hutch $SB $_pidns --timeout 2 --timeout-kill-after 0.5 sh -c \
			'trap "" TERM; (sh -c ": > $0.ready; sleep 60; true" "$1" </dev/null >/dev/null 2>&1 &); while :; do sleep 1; done' \
			"$T/bg" "tok-$_tok"
		[ "$rc" = 124 ] || _bad="$_bad [${_pidns:-no pid ns}: status $rc, want 124; $err]"
		[ -e "$T/bg.ready" ] || _bad="$_bad [${_pidns:-no pid ns}: the background process never ran]"
		_left=$(find_token "$_tok")
		[ -z "$_left" ] || _bad="$_bad [${_pidns:-no pid ns}: still running: $_left]"
		kill_token "$_tok"
	done
	assert_eq "" "$_bad" "processes left after a timeout"
}
tcase "--timeout: a payload ignoring SIGTERM is killed, nothing survives, exit 124" case_timeout_survivors

case_timeout_not_reached() {
	need_hutch || return
	run_cmd_in "$HUTCH" $SB --timeout 60 --json-status-fd 3 sh -c 'exit 5' 3>"$T/json" </dev/null
	assert_rc 5 || return
	assert_no_match "$(cat "$T/json")" 'timed-out' "--json-status-fd lines" || return
	assert_eq '{ "exit-code": 5 }' "$(json_line 2)" "json line 2"
}
tcase "--timeout not reached: the payload's status, no timed-out line" case_timeout_not_reached

case_timeout_during_setup() {
	# The clock runs from the start, setup included: a --file read from a
	# pipe whose writer never finishes must not outlast --timeout.
	need_hutch || return
	mkfifo "$T/slow-file" || { fail "mkfifo failed"; return; }
	for _pidns in "" --unshare-pid; do
		(sleep 30 >"$T/slow-file") &
		_writer=$!
		# shellcheck disable=SC2086
		run_cmd_in timeout -s KILL 15 "$HUTCH" $SB $_pidns --tmpfs /tmp --timeout 1 --file 5 /tmp/data true \
			5<"$T/slow-file" </dev/null
		kill "$_writer" 2>/dev/null
		wait "$_writer" 2>/dev/null
		# 124 from hutch's own --timeout; a hutch that hangs is killed by
		# timeout(1) after 15 s: 137.
		assert_rc 124 "exit status (${_pidns:-no pid ns})" || return
	done
}
tcase "--timeout counts during setup: a --file from a pipe that never ends" case_timeout_during_setup

case_timeout_invalid() {
	need_hutch || return
	_bad=
	for _case in \
		"--timeout x|--timeout takes a number of seconds" \
		"--timeout -1|--timeout takes a number of seconds" \
		"--timeout 1.|--timeout takes a number of seconds" \
		"--timeout 5y|--timeout takes a number of seconds" \
		"--timeout 999999999999|too long" \
		"--timeout-kill-after 1|--timeout-kill-after requires --timeout"; do
		# shellcheck disable=SC2086
		hutch $SB ${_case%%|*} true
		[ "$rc" = 1 ] || _bad="$_bad [${_case%%|*}: status $rc]"
		case $err in
		*"${_case#*|}"*) ;;
		*) _bad="$_bad [${_case%%|*}: message '$err']" ;;
		esac
	done
	assert_eq "" "$_bad" "bad --timeout values"
}
tcase "--timeout and --timeout-kill-after: bad values exit 1 with a message" case_timeout_invalid

finish
