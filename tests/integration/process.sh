#!/bin/sh
# process.sh — the payload process: exit status passthrough and 128+N for
# signals, setup failures, cwd (--chdir and the default rule) and PWD,
# environment (--setenv/--unsetenv/--clearenv in order), --argv0,
# --new-session, --die-with-parent, capabilities (--cap-add/--cap-drop),
# no_new_privs, and which file descriptors the payload inherits.
. "$(dirname "$0")/lib.sh"
umask 022
cd /

CAPS='grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):" /proc/self/status'

# capsh_name N — the CAP_ name of capability number N (linux/capability.h).
capsh_name() {
	set -- "$1" CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID \
		CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_ADMIN \
		CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE \
		CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME \
		CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE CAP_AUDIT_CONTROL CAP_SETFCAP \
		CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ \
		CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE
	_n=$1
	shift
	shift "$_n"
	echo "$1"
}

# capval NAME — the value of one /proc/self/status field from $out.
capval() {
	printf '%s\n' "$out" | awk -v k="$1:" '$1 == k { print $2 }'
}

# ---------------------------------------------------------------- exit status

case_exit_codes() {
	_bad=
	for _pid in "" --unshare-pid; do
		for _code in 0 3 255; do
			# shellcheck disable=SC2086
			hutch --ro-bind / / $_pid sh -c "exit $_code"
			[ "$rc" = "$_code" ] || _bad="$_bad [exit $_code ${_pid:-(no pid ns)}: got $rc, stderr '$err']"
		done
	done
	assert_eq "" "$_bad" "exit statuses not passed through"
}
tcase "the payload's exit status is hutch's (0, 3, 255; with and without --unshare-pid)" case_exit_codes

case_exit_as_pid1() {
	hutch --ro-bind / / --unshare-pid --as-pid-1 sh -c 'exit 42'
	assert_rc 42
}
tcase "exit status with --as-pid-1" case_exit_as_pid1

case_signal_status() {
	_bad=
	for _pid in "" --unshare-pid; do
		for _sig in TERM:143 KILL:137 USR1:138; do
			# shellcheck disable=SC2086
			hutch --ro-bind / / $_pid sh -c "kill -${_sig%%:*} \$\$; sleep 5"
			[ "$rc" = "${_sig#*:}" ] || _bad="$_bad [SIG${_sig%%:*} ${_pid:-(no pid ns)}: got $rc, want ${_sig#*:}]"
		done
	done
	assert_eq "" "$_bad" "statuses of payloads killed by a signal"
}
tcase "a payload killed by signal N gives 128+N (with and without --unshare-pid)" case_signal_status


# Payloads that must be found from outside run
#   sh -c 'exec sh -c "sleep 60; : hutch-token-$1" sh' sh TOKEN
# so that only the final process (the inner sh) has "hutch-token-TOKEN" in
# its command line; hutch's own command line (and its parent's) has the
# pieces only. find_token TOKEN prints that process's pid (the pattern is
# written so that grep does not match itself).
find_token() {
	_f=${1%"${1#?}"}
	grep -l -- "hutch-token-[$_f]${1#?}" /proc/[0-9]*/cmdline 2>/dev/null | head -n 1 | cut -d/ -f3
}

wait_token() {
	_i=0
	while [ $_i -lt 100 ]; do
		_p=$(find_token "$1")
		if [ -n "$_p" ]; then
			echo "$_p"
			return 0
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

wait_token_gone() {
	_i=0
	while [ $_i -lt 100 ]; do
		[ -z "$(find_token "$1")" ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

case_signal_from_outside() {
	_bad=
	for _pid in "" --unshare-pid; do
		_tok=sig$$x$(date +%s%N)
		# shellcheck disable=SC2086
		"$HUTCH" --ro-bind / / $_pid sh -c 'exec sh -c "sleep 60; : hutch-token-$1" sh' sh "$_tok" </dev/null >/dev/null 2>&1 &
		_hp=$!
		if ! _pp=$(wait_token "$_tok"); then
			kill "$_hp" 2>/dev/null
			wait "$_hp"
			_bad="$_bad [${_pid:-no pid ns}: the payload never showed up in /proc]"
			continue
		fi
		kill -HUP "$_pp"
		{ wait "$_hp"; } 2>/dev/null
		_st=$?
		[ "$_st" = 129 ] || _bad="$_bad [${_pid:-no pid ns}: status $_st, want 129]"
	done
	assert_eq "" "$_bad" "hutch's status after SIGHUP to the payload"
}
tcase "a payload killed from outside by SIGHUP gives 129 (with and without --unshare-pid)" case_signal_from_outside

case_reaper_returns_early() {
	# With a pid-1 reaper, hutch returns when the payload exits, even if
	# the payload left a child behind.
	HUTCH_TEST_TIMEOUT=20 hutch --ro-bind / / --unshare-pid sh -c 'sleep 60 & exit 7'
	assert_rc 7
}
tcase "--unshare-pid: the status comes as soon as the payload exits" case_reaper_returns_early

case_setup_failure() {
	hutch --ro-bind / / --chdir /no/such/dir sh -c 'echo RAN'
	assert_rc 1 || return
	assert_eq "" "$out" "stdout (payload must not run)"
	assert_contains "$err" "Can't chdir to /no/such/dir: No such file or directory" "stderr"
}
tcase "a setup failure exits 1 and the payload does not run" case_setup_failure

case_exec_failure() {
	hutch --ro-bind / / /etc
	assert_rc 1 || return
	assert_contains "$err" "execvp /etc: Permission denied" "stderr"
}
tcase "a command that cannot be executed exits 1 with 'execvp X: reason'" case_exec_failure

# The command is found as glibc's execvp (and so bwrap) finds it,
# whichever C library hutch is linked with.
case_exec_search_default_path() {
	# With PATH unset, /bin:/usr/bin and nothing else: a `true` that
	# fails, put first in /usr/local/bin (which musl's execvp would try
	# first), must not be the one that runs.
	printf '#!/bin/sh\nexit 7\n' >"$T/fake-true"
	hutch_in --ro-bind / / --tmpfs /usr/local/bin --perms 0755 --file 3 /usr/local/bin/true \
		--clearenv true 3<"$T/fake-true"
	assert_rc 0 || return
	hutch_in --ro-bind / / --tmpfs /usr/local/bin --perms 0755 --file 3 /usr/local/bin/true \
		--setenv PATH /usr/local/bin:/bin true 3<"$T/fake-true"
	assert_rc 7 "with PATH set, its first directory wins"
}
tcase "PATH unset: the command is looked up in /bin:/usr/bin only" case_exec_search_default_path

case_exec_script_without_shebang() {
	printf 'echo "script $0 $1"\n' >"$T/noshebang"
	chmod 0755 "$T/noshebang"
	hutch --ro-bind / / "$T/noshebang" one
	assert_rc 0 || return
	assert_eq "script $T/noshebang one" "$out" "output of a script without #!"
	# Found through PATH, too.
	hutch --ro-bind / / --setenv PATH "$T" noshebang two
	assert_eq "script $T/noshebang two" "$out" "found through PATH"
}
tcase "a file without #! that the kernel cannot run is run by /bin/sh (as execvp does)" case_exec_script_without_shebang

case_exec_search_eacces() {
	# A non-executable match earlier in PATH: EACCES only when no
	# later directory has an executable one.
	: >"$T/true"
	chmod 0644 "$T/true"
	hutch --ro-bind / / --setenv PATH "$T:/bin" true
	assert_rc 0 "an executable later in PATH is found" || return
	hutch --ro-bind / / --setenv PATH "$T" true
	assert_rc 1 || return
	assert_contains "$err" "execvp true: Permission denied" "stderr"
}
tcase "PATH search: a non-executable match gives EACCES only if nothing else is found" case_exec_search_eacces

# ---------------------------------------------------------------- cwd / PWD

case_chdir() {
	hutch --ro-bind / / --chdir /usr/share sh -c 'pwd; echo "$PWD"'
	assert_ok || return
	assert_eq "/usr/share
/usr/share" "$out" "pwd and PWD"
}
tcase "--chdir sets the cwd and PWD" case_chdir

case_chdir_literal_pwd() {
	hutch --ro-bind / / --chdir /usr/../etc sh -c 'pwd -P; echo "$PWD"'
	assert_ok || return
	assert_eq "/etc
/usr/../etc" "$out" "physical cwd and PWD (as given)"
}
tcase "--chdir: PWD is the argument as given" case_chdir_literal_pwd

# in_dir DIR CMD... — run CMD with DIR as cwd, keeping $out/$err/$rc.
in_dir() {
	_save_dir=$(pwd)
	cd "$1" || return 1
	shift
	"$@"
	cd "$_save_dir" || return 1
}

case_cwd_kept() {
	mkdir -p "$T/cwd"
	PWD=/bogus in_dir "$T/cwd" hutch --ro-bind / / sh -c 'pwd; echo "$PWD"'
	assert_ok || return
	assert_eq "$T/cwd
$T/cwd" "$out" "pwd and PWD"
}
tcase "default cwd: the caller's cwd when it exists in the sandbox" case_cwd_kept

case_cwd_home() {
	mkdir -p "$T/cwd2"
	HOME=/usr in_dir "$T/cwd2" hutch --ro-bind / / --tmpfs "$T" sh -c 'pwd; echo "$PWD"'
	assert_ok || return
	assert_eq "/usr
/usr" "$out" "pwd and PWD"
}
tcase "default cwd: \$HOME when the caller's cwd is not in the sandbox" case_cwd_home

case_cwd_home_setenv() {
	mkdir -p "$T/cwd3"
	HOME=/usr in_dir "$T/cwd3" hutch --ro-bind / / --tmpfs "$T" --setenv HOME /etc sh -c 'pwd; echo "$PWD"; echo "$HOME"'
	assert_ok || return
	assert_eq "/etc
/etc
/etc" "$out" "pwd, PWD, HOME"
}
tcase "default cwd: \$HOME as set by --setenv" case_cwd_home_setenv

case_cwd_root() {
	mkdir -p "$T/cwd4"
	HOME=/no/such/home in_dir "$T/cwd4" hutch --ro-bind / / --tmpfs "$T" sh -c 'pwd; echo "$PWD"'
	assert_ok || return
	assert_eq "/
/" "$out" "pwd and PWD"
}
tcase "default cwd: / when neither the cwd nor \$HOME exists in the sandbox" case_cwd_root

case_cwd_clearenv() {
	mkdir -p "$T/cwd5"
	in_dir "$T/cwd5" hutch --ro-bind / / --tmpfs "$T" --clearenv /usr/bin/env
	assert_ok || return
	assert_eq "PWD=/" "$out" "environment after --clearenv"
}
tcase "--clearenv: only PWD is set (here /: no cwd, no HOME)" case_cwd_clearenv

# ---------------------------------------------------------------- environment

case_env_inherited() {
	HUTCH_T_VAR="some value" hutch --ro-bind / / sh -c 'echo "$HUTCH_T_VAR"'
	assert_ok || return
	assert_eq "some value" "$out" "inherited variable"
}
tcase "the caller's environment reaches the payload" case_env_inherited

case_env_order() {
	HUTCH_T_OLD=old hutch --ro-bind / / --setenv HUTCH_T_A 1 --clearenv --setenv HUTCH_T_B "two words" --setenv HUTCH_T_C 3 --unsetenv HUTCH_T_C /usr/bin/env
	assert_ok || return
	assert_eq "HUTCH_T_B=two words
PWD=/" "$(printf '%s\n' "$out" | sort)" "environment"
}
tcase "--setenv/--clearenv/--unsetenv apply in command-line order" case_env_order

case_env_override() {
	HUTCH_T_X=outer hutch --ro-bind / / --setenv HUTCH_T_X inner --unsetenv HOME sh -c 'echo "$HUTCH_T_X ${HOME-unset}"'
	assert_ok || return
	assert_eq "inner unset" "$out" "values"
}
tcase "--setenv overrides an inherited variable, --unsetenv removes one" case_env_override

case_env_special_values() {
	hutch --ro-bind / / --setenv HUTCH_T_E "" --setenv HUTCH_T_Q "a=b;c 'd'" sh -c 'echo "[${HUTCH_T_E-unset}] [$HUTCH_T_Q]"'
	assert_ok || return
	assert_eq "[] [a=b;c 'd']" "$out" "values"
}
tcase "--setenv with an empty value and with = and quotes" case_env_special_values

# ---------------------------------------------------------------- argv0

case_argv0() {
	need_bwrap 0.9.0 "--argv0" || return
	hutch --ro-bind / / --argv0 my-shell sh -c 'tr "\0" " " </proc/$$/cmdline; echo'
	assert_ok || return
	assert_match "$out" '^my-shell -c ' "payload's command line"
}
tcase "--argv0 sets argv[0]; the program is still found by COMMAND" case_argv0

case_argv0_twice() {
	need_bwrap 0.9.0 "--argv0" || return
	hutch --argv0 a --argv0 b --ro-bind / / true
	assert_rc 1 || return
	assert_eq "$(basename "$HUTCH"): --argv0 used multiple times" "$err" "stderr"
}
tcase "--argv0 twice is an error" case_argv0_twice

# ---------------------------------------------------------------- session

case_same_session() {
	_outer=$(sh -c 'awk "{ print \$6 }" /proc/$$/stat')
	hutch --ro-bind / / sh -c 'awk "{ print \$6 }" /proc/$$/stat'
	assert_ok || return
	assert_eq "$_outer" "$out" "payload's session id"
}
tcase "without --new-session the payload stays in the caller's session" case_same_session

case_new_session() {
	_outer=$(sh -c 'awk "{ print \$6 }" /proc/$$/stat')
	hutch --ro-bind / / --new-session sh -c 'echo $$; awk "{ print \$6 }" /proc/$$/stat'
	assert_ok || return
	_pid=$(printf '%s\n' "$out" | sed -n 1p)
	_sid=$(printf '%s\n' "$out" | sed -n 2p)
	assert_ne "$_outer" "$_sid" "payload's session id"
	assert_eq "$_pid" "$_sid" "payload's session id (it leads its session)"
}
tcase "--new-session: the payload leads a new session" case_new_session

case_new_session_reaper() {
	# With a pid 1 (--unshare-pid), pid 1 leads the new session and the
	# payload is a member of it: its session id is 1, as under bwrap.
	hutch --ro-bind / / --unshare-pid --proc /proc --new-session sh -c 'echo $$; awk "{ print \$6 }" /proc/$$/stat'
	assert_ok || return
	assert_eq "2" "$(printf '%s\n' "$out" | sed -n 1p)" "payload's pid"
	assert_eq "1" "$(printf '%s\n' "$out" | sed -n 2p)" "payload's session id"
}
tcase "--new-session --unshare-pid: pid 1 leads the session, the payload is in it" case_new_session_reaper

case_reaper_dumpable() {
	# pid 1 holds no capability once the payload runs, and is dumpable so
	# that tools joining the sandbox (flatpak enter) can open its
	# /proc/1/ns files; the payload itself is a normal process.
	# pid 1 drops its capabilities and becomes dumpable once the
	# payload's exec succeeded: wait for that, a bounded number of times.
	hutch --ro-bind / / --unshare-pid --proc /proc sh -c 'i=0; while [ $i -lt 200 ] && ! readlink /proc/1/ns/mnt >/dev/null 2>&1; do
		i=$((i + 1)); sleep 0.05; done
		readlink /proc/1/ns/mnt && grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs)" /proc/1/status'
	assert_ok || return
	assert_match "$out" '^mnt:\[[0-9]+\]$' "pid 1's mount namespace, read from inside"
	assert_match "$out" '^CapEff:[[:space:]]+0+$' "pid 1's effective capabilities"
	assert_match "$out" '^CapPrm:[[:space:]]+0+$' "pid 1's permitted capabilities"
	assert_match "$out" '^CapInh:[[:space:]]+0+$' "pid 1's inheritable capabilities"
	assert_match "$out" '^CapAmb:[[:space:]]+0+$' "pid 1's ambient capabilities"
	# The payload may ptrace pid 1 (same ids, dumpable): as uid 0 an
	# exec of pid 1 would get the bounding set's capabilities back were
	# it not for no_new_privs.
	assert_match "$out" '^NoNewPrivs:[[:space:]]+1$' "pid 1's no_new_privs"
}
tcase "pid 1 is dumpable, holds no capability and cannot regain any by exec" case_reaper_dumpable

# ---------------------------------------------------------------- die-with-parent

# dwp_run PIDFLAG DWPFLAG — start `sh -c 'hutch ... &; wait'` as a parent,
# wait for the payload, SIGKILL the parent; sets $_tok and $_parent.
dwp_run() {
	_tok=dwp$$x$(date +%s%N)
	sh -c '"$@" </dev/null >/dev/null 2>&1 & wait' dwp-parent \
		"$HUTCH" --ro-bind / / $1 $2 sh -c 'exec sh -c "sleep 60; : hutch-token-$1" sh' sh "$_tok" &
	_parent=$!
	if ! wait_token "$_tok" >/dev/null; then
		kill -KILL "$_parent" 2>/dev/null
		fail "the payload never started"
		return 1
	fi
	kill -KILL "$_parent"
	wait "$_parent" 2>/dev/null
	return 0
}

case_die_with_parent() {
	_bad=
	for _pid in "" --unshare-pid; do
		dwp_run "$_pid" --die-with-parent || return
		if ! wait_token_gone "$_tok"; then
			_bad="$_bad [${_pid:-no pid ns}: payload still alive]"
			kill -KILL "$(find_token "$_tok")" 2>/dev/null
		fi
	done
	assert_eq "" "$_bad" "payloads that outlived hutch's parent"
}
tcase "--die-with-parent: killing hutch's parent kills the payload" case_die_with_parent

case_no_die_with_parent() {
	# The control: without the option the payload survives its grandparent.
	dwp_run "" "" || return
	sleep 0.5
	_p=$(find_token "$_tok")
	if [ -z "$_p" ]; then
		fail "the payload died with hutch's parent without --die-with-parent"
		return
	fi
	kill -KILL "$_p" 2>/dev/null
}
tcase "without --die-with-parent the payload outlives hutch's parent" case_no_die_with_parent

# ---------------------------------------------------------------- caps

ZERO=0000000000000000
NET_RAW=0000000000002000

case_caps_default() {
	if [ "$IS_ROOT" -eq 1 ] && [ "$HUTCH_IS_BWRAP" -eq 1 ]; then
		skip "bwrap keeps real root's capabilities; hutch drops them"
		return
	fi
	hutch --ro-bind / / sh -c "$CAPS"
	assert_ok || return
	assert_eq "CapInh: $ZERO
CapPrm: $ZERO
CapEff: $ZERO
CapBnd: $ZERO
CapAmb: $ZERO
NoNewPrivs: 1" "$(printf '%s\n' "$out" | awk '{ print $1, $2 }')" "capabilities and NoNewPrivs"
}
tcase "default: no capabilities in any set, NoNewPrivs 1" case_caps_default

case_caps_uid0_userns() {
	# Even as uid 0 inside its own user namespace the payload has nothing
	# (as an unprivileged caller; as root bwrap keeps root's caps).
	if [ "$IS_ROOT" -eq 1 ] && [ "$HUTCH_IS_BWRAP" -eq 1 ]; then
		skip "bwrap keeps real root's capabilities; hutch drops them"
		return
	fi
	hutch --ro-bind / / --unshare-user --uid 0 --gid 0 sh -c "id -u; $CAPS"
	assert_ok || return
	assert_eq 0 "$(printf '%s\n' "$out" | head -n 1)" "uid"
	assert_eq "$ZERO $ZERO $ZERO $ZERO" "$(capval CapEff) $(capval CapPrm) $(capval CapBnd) $(capval CapAmb)" "CapEff CapPrm CapBnd CapAmb"
}
tcase "--uid 0 in a user namespace: still no capabilities" case_caps_uid0_userns

case_caps_no_new_privs() {
	hutch --ro-bind / / --unshare-all sh -c "$CAPS"
	assert_ok || return
	assert_eq 1 "$(capval NoNewPrivs)" "NoNewPrivs"
}
tcase "NoNewPrivs is 1 (with --unshare-all too)" case_caps_no_new_privs

case_cap_add_root() {
	need_root || return
	hutch --ro-bind / / --cap-drop ALL --cap-add CAP_NET_RAW sh -c "$CAPS"
	assert_ok || return
	assert_eq "$NET_RAW $NET_RAW" "$(capval CapEff) $(capval CapPrm)" "CapEff CapPrm"
	[ "$HUTCH_IS_BWRAP" -eq 1 ] || assert_eq "$NET_RAW" "$(capval CapBnd)" "CapBnd"
}
tcase "as root: --cap-drop ALL --cap-add CAP_NET_RAW keeps exactly CAP_NET_RAW" case_cap_add_root

case_cap_add_root_only_add() {
	need_root || return
	[ "$HUTCH_IS_BWRAP" -eq 0 ] || { skip "bwrap starts from root's full set"; return; }
	hutch --ro-bind / / --cap-add CAP_NET_RAW sh -c "$CAPS"
	assert_ok || return
	assert_eq "$NET_RAW $NET_RAW $NET_RAW" "$(capval CapEff) $(capval CapPrm) $(capval CapBnd)" "CapEff CapPrm CapBnd"
}
tcase "as root: --cap-add CAP_NET_RAW alone keeps exactly it" case_cap_add_root_only_add

case_cap_add_all_root() {
	# ALL means every capability hutch holds: a root whose bounding set
	# lacks some (containers, systemd units) still starts.
	need_root || return
	_prm=$(awk '$1 == "CapPrm:" { print $2 }' /proc/self/status)
	hutch --ro-bind / / --cap-add ALL sh -c "$CAPS"
	assert_ok || return
	assert_eq "$_prm $_prm" "$(capval CapEff) $(capval CapPrm)" "CapEff CapPrm (the caller's permitted set)"
	# A capability named alone that hutch does not hold is an error.
	_missing=$(printf '%d' "0x$_prm" 2>/dev/null)
	for _c in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40; do
		if [ $(( (_missing >> _c) & 1 )) -eq 0 ] && [ "$_c" -le "$(cat /proc/sys/kernel/cap_last_cap)" ]; then
			hutch --ro-bind / / --cap-add "$(capsh_name "$_c")" true
			assert_rc 1 || return
			assert_contains "$err" "Can't keep capability $_c" "stderr"
			return
		fi
	done
}
tcase "as root: --cap-add ALL keeps what hutch holds; a missing named cap is an error" case_cap_add_all_root

case_cap_add_all_narrow_bounding() {
	# Real root in a container whose bounding set lacks a capability:
	# --cap-add ALL must still run the payload (with what root has),
	# not fail in capset.
	need_root || return
	command -v setpriv >/dev/null 2>&1 || { skip "setpriv is not installed"; return; }
	run_cmd_in setpriv --bounding-set -net_raw "$HUTCH" --ro-bind / / --cap-add ALL sh -c "$CAPS" </dev/null
	assert_ok || return
	_eff=$(capval CapEff)
	assert_eq 0 "$(( (0x$_eff >> 13) & 1 ))" "CAP_NET_RAW (bit 13) in CapEff $_eff" || return
	assert_eq 1 "$(( 0x$_eff & 1 ))" "CAP_CHOWN (bit 0) in CapEff $_eff"
}
tcase "as root with CAP_NET_RAW out of the bounding set: --cap-add ALL keeps the rest" case_cap_add_all_narrow_bounding

case_sigchld_ignored_by_caller() {
	# A caller that ignores SIGCHLD hands that on through execve (bash's
	# `trap '' CHLD` does; dash's does not). The exit status must still
	# be the payload's, and the payload must not inherit the ignore.
	command -v bash >/dev/null 2>&1 || { skip "bash is not installed"; return; }
	for _pid in "" --unshare-pid; do
		run_cmd_in bash -c 'trap "" CHLD; exec "$@"' bash "$HUTCH" --ro-bind / / $_pid \
			sh -c 'sh -c "exit 4"; echo "inner=$?"; grep "^SigIgn:" /proc/self/status; exit 3' </dev/null
		assert_rc 3 "exit status (${_pid:-no pid ns})" || return
		assert_contains "$out" "inner=4" "a child's status seen by the payload (${_pid:-no pid ns})" || return
		_ign=$(printf '%s\n' "$out" | awk '$1 == "SigIgn:" { print $2 }')
		assert_eq 0 "$(( (0x$_ign >> 16) & 1 ))" "SIGCHLD (bit 16) in the payload's SigIgn $_ign" || return
	done
}
tcase "a caller ignoring SIGCHLD: the payload's status still comes back, SIGCHLD is default" case_sigchld_ignored_by_caller

case_signal_mask_passed_on() {
	# hutch blocks the signals it relays before it clones the sandbox;
	# the payload must start with the caller's mask all the same (none
	# blocked, or exactly what the caller blocked: SIGUSR2, or signal 34,
	# which glibc calls SIGRTMIN and musl hides when it reports a mask), and
	# without SIGPIPE ignored, which hutch itself does. (grep shows its
	# own status: a shell would reset the mask.)
	command -v python3 >/dev/null 2>&1 || { skip "python3 is not installed"; return; }
	for _opts in "" "--unshare-pid" "--new-session" "--unshare-pid --as-pid-1" "--json-status-fd 5"; do
		for _block in "" USR2 RTMIN; do
			# shellcheck disable=SC2086
			run_cmd_in python3 -c 'import os, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # python ignores it itself
if sys.argv[1]:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.Signals["SIG" + sys.argv[1]]})
os.execv(sys.argv[2], sys.argv[2:])' "$_block" "$HUTCH" --ro-bind / / $_opts \
				grep -E '^Sig(Blk|Ign):' /proc/self/status </dev/null 5>/dev/null
			assert_ok || return
			_blk=$(printf '%s\n' "$out" | awk '$1 == "SigBlk:" { print $2 }')
			_ign=$(printf '%s\n' "$out" | awk '$1 == "SigIgn:" { print $2 }')
			_want=0
			[ "$_block" = USR2 ] && _want=$((1 << 11))
			[ "$_block" = RTMIN ] && _want=$((1 << 33))
			assert_eq "$_want" "$((0x$_blk))" "the payload's SigBlk $_blk (${_opts:-no options}, caller blocks: ${_block:-nothing})" || return
			assert_eq 0 "$(( (0x$_ign >> 12) & 1 ))" "SIGPIPE (bit 12) in the payload's SigIgn $_ign (${_opts:-no options})" || return
		done
	done
}
tcase "the payload starts with the caller's signal mask and SIGPIPE at its default" case_signal_mask_passed_on

case_cap_add_userns() {
	hutch --ro-bind / / --unshare-user --cap-drop ALL --cap-add cap_net_raw sh -c "$CAPS"
	assert_ok || return
	assert_eq "$NET_RAW $NET_RAW $NET_RAW" "$(capval CapEff) $(capval CapPrm) $(capval CapAmb)" "CapEff CapPrm CapAmb"
	if [ "$IS_ROOT" -eq 0 ] || [ "$HUTCH_IS_BWRAP" -eq 0 ]; then
		assert_eq "$NET_RAW" "$(capval CapBnd)" "CapBnd"
	fi
}
tcase "with --unshare-user: --cap-add (lower-case name) keeps exactly that cap" case_cap_add_userns

case_cap_add_nonroot_plain() {
	need_nonroot || return
	hutch --ro-bind / / --cap-add CAP_NET_RAW sh -c "$CAPS"
	assert_ok || return
	assert_eq "$NET_RAW $NET_RAW $NET_RAW $NET_RAW" "$(capval CapEff) $(capval CapPrm) $(capval CapBnd) $(capval CapAmb)" "CapEff CapPrm CapBnd CapAmb"
}
tcase "unprivileged: --cap-add CAP_NET_RAW (user ns implied) keeps exactly it" case_cap_add_nonroot_plain

case_cap_drop_all() {
	hutch --ro-bind / / --unshare-user --cap-drop ALL sh -c "$CAPS"
	assert_ok || return
	assert_eq "$ZERO $ZERO $ZERO $ZERO $ZERO" "$(capval CapInh) $(capval CapEff) $(capval CapPrm) $(capval CapAmb) $(capval CapBnd)" "CapInh CapEff CapPrm CapAmb CapBnd" ||
		{ [ "$IS_ROOT" -eq 1 ] && [ "$HUTCH_IS_BWRAP" -eq 1 ] && diag "(bwrap as root leaves the bounding set alone)"; }
}
tcase "--cap-drop ALL: nothing left" case_cap_drop_all

case_cap_order() {
	hutch --ro-bind / / --unshare-user --cap-add CAP_NET_RAW --cap-drop ALL sh -c "$CAPS"
	assert_ok || return
	assert_eq "$ZERO $ZERO" "$(capval CapEff) $(capval CapPrm)" "CapEff CapPrm"
}
tcase "--cap-add then --cap-drop ALL: order matters, nothing left" case_cap_order

case_cap_works() {
	# A mode-000 file owned by the sandbox uid is unreadable without
	# CAP_DAC_OVERRIDE and readable with it.
	printf 'secret' >"$T/secret"
	run_cmd_in "$HUTCH" --ro-bind / / --unshare-user --uid 0 --gid 0 --cap-drop ALL --tmpfs /tmp --perms 0000 --file 3 /tmp/s cat /tmp/s 3<"$T/secret" </dev/null
	assert_rc 1 "status of cat without the cap" || return
	assert_contains "$err" "Permission denied" "cat without the cap"
	run_cmd_in "$HUTCH" --ro-bind / / --unshare-user --uid 0 --gid 0 --cap-drop ALL --cap-add CAP_DAC_OVERRIDE --tmpfs /tmp --perms 0000 --file 3 /tmp/s cat /tmp/s 3<"$T/secret" </dev/null
	assert_ok "status of cat with CAP_DAC_OVERRIDE" || return
	assert_eq secret "$out" "what cat read"
}
tcase "a kept capability works (CAP_DAC_OVERRIDE reads a mode-000 file)" case_cap_works

# ---------------------------------------------------------------- fds

# The payload lists its own open fds without opening any (a shell glob).
# (The glob's directory fd and the command substitution's pipe take the
# lowest free fd; that is the same number whenever the sets agree.)
FD_LIST='cd /proc/self/fd && for f in *; do printf "%s:%s\n" "$f" "$(readlink "$f")"; done'

case_fd_passthrough() {
	printf 'fd three\n' >"$T/fd3"
	printf 'fd seven\n' >"$T/fd7"
	run_cmd_in "$HUTCH" --ro-bind / / sh -c 'cat <&3; cat <&7' 3<"$T/fd3" 7<"$T/fd7" </dev/null
	assert_ok || return
	assert_eq "fd three
fd seven" "$out" "read from inherited fds 3 and 7"
}
tcase "inherited fds (3<file, 7<file) are readable by the payload" case_fd_passthrough

case_fd_write_passthrough() {
	run_cmd_in "$HUTCH" --ro-bind / / --unshare-pid sh -c 'echo to-fd-5 >&5' 5>"$T/fd5" </dev/null
	assert_ok || return
	assert_eq to-fd-5 "$(cat "$T/fd5")" "host file written through fd 5"
}
tcase "an inherited writable fd works (with --unshare-pid)" case_fd_write_passthrough

fd_set() {
	# "fd:target" lines minus the entry the listing itself may use, and
	# with the payload's own stdout/stderr (different files) masked.
	printf '%s\n' "$1" | grep -v '^[012]:' | sed 's/pipe:\[[0-9]*\]/pipe/' | sort
}

case_fd_nothing_extra() {
	printf x >"$T/fdx"
	_base=$(sh -c "$FD_LIST" 3<"$T/fdx" </dev/null 2>/dev/null)
	_bad=
	for _pid in "" --unshare-pid; do
		# shellcheck disable=SC2086
		run_cmd_in "$HUTCH" --ro-bind / / $_pid sh -c "$FD_LIST" 3<"$T/fdx" </dev/null
		if [ "$rc" != 0 ]; then
			_bad="$_bad [${_pid:-no pid ns}: rc=$rc $err]"
			continue
		fi
		if [ "$(fd_set "$_base")" != "$(fd_set "$out")" ]; then
			_bad="$_bad
[${_pid:-no pid ns}] caller's fds: $(fd_set "$_base" | tr '\n' ' ')
   payload's fds: $(fd_set "$out" | tr '\n' ' ')"
		fi
	done
	assert_eq "" "$_bad" "fd sets that differ from the caller's"
}
tcase "the payload has exactly the caller's fds (no sync socket or other leak)" case_fd_nothing_extra

case_fd_no_socket() {
	run_cmd_in "$HUTCH" --ro-bind / / --unshare-all --proc /proc --dev /dev sh -c "$FD_LIST" </dev/null
	assert_ok || return
	_sock=$(printf '%s\n' "$out" | grep -E ':(socket|anon_inode):')
	# Sockets the caller itself passed would be legitimate; compare.
	_outer=$(sh -c "$FD_LIST" </dev/null 2>/dev/null | grep -E ':(socket|anon_inode):')
	assert_eq "$(printf '%s\n' "$_outer" | cut -d: -f1 | sort)" "$(printf '%s\n' "$_sock" | cut -d: -f1 | sort)" "socket/anon-inode fds in the payload vs the caller"
}
tcase "no socket or eventfd of hutch's leaks into the payload (--unshare-all)" case_fd_no_socket

case_fd_low_named() {
	# A status fd that is 1 or 2 is hutch's, not the payload's: the
	# payload must not write into the caller's JSON stream.
	printf 'data' >"$T/low-data"
	run_cmd_in "$HUTCH" --ro-bind / / --tmpfs /tmp --file 0 /tmp/f sh -c 'cat /tmp/f; if [ -e /proc/self/fd/0 ]; then echo " stdin-open"; else echo " stdin-closed"; fi' <"$T/low-data"
	assert_ok || return
	assert_eq "data stdin-closed" "$out" "--file 0: data copied, fd 0 not passed on"
}
tcase "named fds 0-2 that hutch consumes are not passed to the payload" case_fd_low_named

finish
