#!/bin/sh
# seccomp-policy.sh — --seccomp-policy, --seccomp-preset and
# --seccomp-export: each action, each comparison, first-match order,
# includes, the error messages, the desktop and build presets against the
# known attacks (TIOCSTI and its high-bits bypass, TIOCLINUX, clone3, the
# new mount API, user namespaces, socket families, and the same calls
# through the i386 ABI), stacking with --seccomp/--add-seccomp-fd in
# command-line order, and the export round trip.
#
# Every verdict is what tests/helpers/syscall-probe saw from inside the
# sandbox: "ok" or the errno's name.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
umask 022
cd /
LC_ALL=C
export LC_ALL

PROBE=${HELPERS:+$HELPERS/syscall-probe}
SECCOMP_COMPILE=${HELPERS:+$HELPERS/seccomp-compile}

need_probe() {
	need_helper "$PROBE" || return 1
	if [ "$HUTCH_IS_BWRAP" -eq 1 ]; then
		skip "seccomp policies are hutch's own"
		return 1
	fi
	return 0
}

# pol NAME — the policy text on stdin becomes $T/NAME.policy.
pol() {
	cat >"$T/$1.policy"
}

# under POLICY-NAME PROBE-ARGS... — run the probe under $T/POLICY-NAME.policy.
under() {
	_p=$1
	shift
	hutch --ro-bind / / --seccomp-policy "$T/$_p.policy" "$PROBE" "$@"
}

# expect POLICY-NAME VERDICT PROBE-ARGS... — the probe prints VERDICT.
expect() {
	_p=$1
	_v=$2
	shift 2
	under "$_p" "$@"
	assert_ok "exit status of probe $*" || return 1
	assert_eq "$_v" "$out" "verdict of '$*' under $_p.policy"
}

# preset NAME VERDICT PROBE-ARGS...
expect_preset() {
	_n=$1
	_v=$2
	shift 2
	hutch --ro-bind / / --seccomp-preset "$_n" "$PROBE" "$@"
	assert_ok "exit status of probe $*" || return 1
	assert_eq "$_v" "$out" "verdict of '$*' under the $_n preset"
}

# ---------------------------------------------------------------- actions

case_errno_actions() {
	need_probe || return
	pol e1 <<'EOF'
errno EPERM getppid
EOF
	expect e1 EPERM raw getppid || return
	pol e2 <<'EOF'
errno 38 getppid   # a number works too (38 is ENOSYS on Linux)
EOF
	expect e2 ENOSYS raw getppid
}
tcase "errno by name and by number" case_errno_actions

case_kill_actions() {
	need_probe || return
	pol k1 <<'EOF'
kill-process getppid
EOF
	under k1 raw getppid
	assert_rc 159 "kill-process: 128 + SIGSYS" || return
	assert_eq "" "$out" "nothing printed"
	pol k2 <<'EOF'
kill-thread getppid
EOF
	under k2 raw getppid
	assert_rc 159 "kill-thread of the only thread: 128 + SIGSYS"
}
tcase "kill-process and kill-thread end the payload with SIGSYS" case_kill_actions

case_trap_action() {
	need_probe || return
	pol t1 <<'EOF'
trap getppid
EOF
	expect t1 SIGSYS --catch-sigsys raw getppid || return
	# kill-process cannot be caught
	pol t2 <<'EOF'
kill-process getppid
EOF
	under t2 --catch-sigsys raw getppid
	assert_rc 159 "kill-process ignores the handler"
}
tcase "trap raises a catchable SIGSYS" case_trap_action

case_log_allow_default() {
	need_probe || return
	# The payload (the dynamic loader, libc and the probe) needs these.
	pol d1 <<'EOF'
default errno EACCES
allow execve brk mmap munmap mprotect openat read write close fstat newfstatat pread64 ?stat
allow arch_prctl set_tid_address set_robust_list ?rseq prlimit64 getrandom access faccessat
allow faccessat2 exit_group exit futex rt_sigaction rt_sigprocmask lseek readlink ioctl getpid
allow uname ?mseal
log getppid
EOF
	expect d1 EACCES raw gettid || return
	under d1 raw getppid
	assert_ok "exit status" || return
	assert_match "$out" '^ok [0-9]+$' "log lets the call through"
	under d1 raw getpid
	assert_match "$out" '^ok [0-9]+$' "allowed call"
}
tcase "default errno, allow and log" case_log_allow_default

# ---------------------------------------------------------------- conditions

case_operators() {
	need_probe || return
	# getppid ignores its arguments, but seccomp sees the registers.
	for spec in "== 5:5=EPERM:6=ok" "!= 5:5=ok:6=EPERM" "< 5:4=EPERM:5=ok" "<= 5:5=EPERM:6=ok" \
		"> 5:6=EPERM:5=ok" ">= 5:5=EPERM:4=ok" "& 0xf0 == 0x50:0x5a=EPERM:0x6a=ok" \
		"& 0xf0 != 0x50:0x5a=ok:0x6a=EPERM" \
		"== 1|4:5=EPERM:4=ok" ">= 0xffffffff00000000:0xffffffff00000001=EPERM:0xfffffffe00000000=ok"; do
		cond=${spec%%:*}
		rest=${spec#*:}
		printf 'errno EPERM getppid if arg0 %s\n' "$cond" | pol op
		for check in ${rest%%:*} ${rest#*:}; do
			v=${check%%=*}
			want=${check#*=}
			under op raw getppid "$v"
			case $out in "ok "*) got=ok ;; *) got=$out ;; esac
			assert_eq "$want" "$got" "arg0 $cond with arg0=$v" || return
		done
	done
}
tcase "each comparison operator (==, !=, <, <=, >, >=, & ==, & !=, |)" case_operators

case_two_conditions() {
	need_probe || return
	pol two <<'EOF'
errno EPERM getppid if arg0 >= 5 and arg0 <= 10 and arg1 != 0
EOF
	for check in 4,1=ok 5,1=EPERM 10,1=EPERM 11,1=ok 7,0=ok; do
		under two raw getppid "${check%%,*}" "$(echo "${check#*,}" | cut -d= -f1)"
		case $out in "ok "*) got=ok ;; *) got=$out ;; esac
		assert_eq "${check#*=}" "$got" "arg0,arg1=${check%%=*}" || return
	done
}
tcase "conditions joined with 'and', two on one argument" case_two_conditions

case_not_equal_list() {
	need_probe || return
	# What a user writes to keep only some socket families.
	pol ne <<'EOF'
errno EAFNOSUPPORT socket if arg0 != AF_UNIX and arg0 != AF_INET and arg0 != AF_INET6
EOF
	expect ne ok socket AF_UNIX || return
	expect ne ok socket AF_INET6 || return
	expect ne EAFNOSUPPORT socket AF_NETLINK || return
	expect ne EAFNOSUPPORT socket AF_PACKET
}
tcase "several != conditions on one argument" case_not_equal_list

case_width() {
	need_probe || return
	# getppid's argument is 64 bits: bit 32 makes it a different value.
	pol w64 <<'EOF'
errno EPERM getppid if arg0 == 5
EOF
	under w64 raw getppid 0x100000005
	assert_match "$out" '^ok ' "64-bit argument, bit 32 set" || return
	# :32 compares the low 32 bits only.
	pol w32 <<'EOF'
errno EPERM getppid if arg0:32 == 5
EOF
	expect w32 EPERM raw getppid 0x100000005 || return
	# ioctl's request is 32 bits to the kernel: hutch knows, for every
	# operator (fd -1: EBADF when the call gets through).
	for spec in "== 0x5413:0x100005413=EPERM" "!= 0x5413:0x100005413=EBADF" "< 0x100:0xff00000005=EPERM" \
		"> 0x100:0x100000005=EBADF" "& 0xff == 0x13:0x7700000113=EPERM"; do
		printf 'errno EPERM ioctl if arg1 %s\n' "${spec%%:*}" | pol io
		check=${spec#*:}
		expect io "${check#*=}" raw ioctl -1 "${check%%=*}" || return
	done
}
tcase "32-bit arguments compare their low 32 bits (ioctl request, :32)" case_width

case_first_match() {
	need_probe || return
	pol fm <<'EOF'
allow getppid if arg0 == 1
errno ENOSYS getppid if arg0 == 2
errno EPERM getppid
errno ENOSYS getppid   # never reached
EOF
	under fm raw getppid 1
	assert_match "$out" '^ok ' "the exception comes first" || return
	expect fm ENOSYS raw getppid 2 || return
	expect fm EPERM raw getppid 3
}
tcase "the first rule that matches decides" case_first_match

case_include() {
	need_probe || return
	mkdir -p "$T/inc/sub"
	cat >"$T/inc/sub/deny.policy" <<'EOF'
errno EPERM getppid
EOF
	cat >"$T/inc/top.policy" <<'EOF'
allow getppid if arg0 == 7
include sub/deny.policy
include preset:desktop
EOF
	hutch --ro-bind / / --seccomp-policy "$T/inc/top.policy" "$PROBE" raw getppid 7
	assert_match "$out" '^ok ' "rule before the include" || return
	hutch --ro-bind / / --seccomp-policy "$T/inc/top.policy" "$PROBE" raw getppid 1
	assert_eq EPERM "$out" "rule from the included file (relative to the including one)" || return
	hutch --ro-bind / / --seccomp-policy "$T/inc/top.policy" "$PROBE" ioctl-tiocsti
	assert_eq EPERM "$out" "rule from the included preset"
}
tcase "include of a file (relative path) and of a preset" case_include

case_optional_names() {
	need_probe || return
	pol opt <<'EOF'
errno EPERM ?no_such_call_hutch getppid
EOF
	under opt raw getppid
	assert_ok || return
	assert_eq EPERM "$out" "the rest of the rule applies" || return
	assert_contains "$err" "opt.policy:1:13: unknown system call 'no_such_call_hutch', rule skipped" "warning"
}
tcase "?name: an unknown optional system call is a warning" case_optional_names

# ---------------------------------------------------------------- errors

case_errors() {
	need_probe || return
	printf 'errno EPERM getppid\nerrno EPRM getppid\n' | pol bad1
	under bad1 raw getppid
	assert_rc 1 || return
	assert_eq "" "$out" "the payload must not run" || return
	assert_contains "$err" "$T/bad1.policy:2:7: unknown errno 'EPRM'" "message" || return
	printf '# comment\n\nallow no_such_call_hutch\n' | pol bad2
	under bad2 raw getppid
	assert_rc 1 || return
	assert_contains "$err" "$T/bad2.policy:3:7: unknown system call 'no_such_call_hutch' (write '?no_such_call_hutch' if it may be missing)" "message" || return
	printf 'errno EPERM ioctl if arg1 == 0x100005412\n' | pol bad3
	under bad3 raw getppid
	assert_rc 1 || return
	assert_contains "$err" "bad3.policy:1:30: '0x100005412' does not fit in 32 bits" "message" || return
	hutch --ro-bind / / --seccomp-policy "$T/missing.policy" true
	assert_error_run "Can't read seccomp policy '$T/missing.policy': No such file or directory" || return
	hutch --ro-bind / / --seccomp-preset nope true
	assert_error_run "Unknown seccomp preset 'nope': no such preset (hutch has: build, desktop)" || return
	printf 'include loop.policy\n' | pol loop
	under loop raw getppid
	assert_rc 1 || return
	assert_contains "$err" "loop.policy:1:9: '$T/loop.policy' includes itself" "message"
}
tcase "errors name file:line:column, exit 1 and run nothing" case_errors

# ---------------------------------------------------------------- presets

case_desktop_terminal() {
	need_probe || return
	expect_preset desktop EPERM ioctl-tiocsti || return
	expect_preset desktop EPERM ioctl-tiocsti-highbits || return
	expect_preset desktop EPERM ioctl-tioclinux || return
	expect_preset desktop ok ioctl-fionread
}
tcase "desktop: TIOCSTI (also with high bits set) and TIOCLINUX refused, other ioctls pass" case_desktop_terminal

case_desktop_clone() {
	need_probe || return
	"$PROBE" clone3 >"$T/c3" 2>&1
	expect_preset desktop ENOSYS clone3 || return
	expect_preset desktop ok fork || return
	# a program that falls back: glibc's posix_spawn/fork use clone3
	# first on recent versions; sh spawning a child must still work
	hutch --ro-bind / / --seccomp-preset desktop sh -c '/bin/true && echo spawned'
	assert_ok || return
	assert_eq spawned "$out" "a shell still runs children"
}
tcase "desktop: clone3 is ENOSYS and fork still works" case_desktop_clone

case_desktop_mount_api() {
	need_probe || return
	for call in open_tree move_mount fsopen fsconfig fsmount fspick mount_setattr; do
		expect_preset desktop ENOSYS mount-api "$call" || return
	done
	expect_preset desktop EPERM raw mount 0 0 0 0 0 || return
	expect_preset desktop EPERM raw umount2 0 0 || return
	expect_preset desktop EPERM raw pivot_root 0 0 || return
	expect_preset desktop EPERM raw chroot 0
}
tcase "desktop: the new mount API is ENOSYS; mount, umount2, pivot_root, chroot EPERM" case_desktop_mount_api

case_desktop_userns() {
	need_probe || return
	expect_preset desktop EPERM unshare-user || return
	expect_preset desktop EPERM clone-newuser || return
	expect_preset desktop EPERM raw setns -1 0
}
tcase "desktop: user namespaces, unshare and setns refused" case_desktop_userns

case_desktop_misc() {
	need_probe || return
	for call in syslog uselib acct quotactl add_key keyctl request_key move_pages mbind \
		get_mempolicy set_mempolicy migrate_pages userfaultfd perf_event_open kexec_load \
		init_module finit_module delete_module; do
		expect_preset desktop EPERM raw "$call" || return
	done
	expect_preset desktop EPERM personality 8 || return
	expect_preset desktop ok personality 0 || return
	expect_preset desktop ok personality 0xffffffff
}
tcase "desktop: the known-dangerous calls, and personality() only for PER_LINUX" case_desktop_misc

case_desktop_sockets() {
	need_probe || return
	for fam in AF_UNIX AF_INET AF_INET6 AF_NETLINK; do
		expect_preset desktop ok socket "$fam" || return
	done
	for fam in AF_PACKET AF_BLUETOOTH AF_ALG AF_VSOCK AF_KEY AF_APPLETALK; do
		expect_preset desktop EAFNOSUPPORT socket "$fam" || return
	done
	# the filter is what refused: some family works without it
	hutch --ro-bind / / "$PROBE" socket AF_PACKET
	[ "$out" = EAFNOSUPPORT ] && diag "note: AF_PACKET is unavailable here even without a filter"
	return 0
}
tcase "desktop: sockets of other families than unix, inet, inet6, netlink get EAFNOSUPPORT" case_desktop_sockets

have_i386_abi() {
	[ "$(uname -m)" = x86_64 ] || return 1
	case $("$PROBE" -32 raw getpid 2>/dev/null) in
	"ok "*) return 0 ;;
	esac
	return 1
}

case_desktop_i386() {
	need_probe || return
	if ! have_i386_abi; then
		skip "no i386 system call ABI here (needs x86_64 with IA32 emulation)"
		return
	fi
	expect_preset desktop EPERM -32 ioctl-tiocsti || return
	expect_preset desktop EPERM -32 ioctl-tioclinux || return
	expect_preset desktop ok -32 ioctl-fionread || return
	expect_preset desktop EPERM -32 unshare-user || return
	expect_preset desktop EPERM -32 personality 8 || return
	expect_preset desktop ENOSYS -32 raw clone3 || return
	expect_preset desktop EAFNOSUPPORT -32 socket AF_PACKET || return
	expect_preset desktop ok -32 socket AF_INET || return
	expect_preset desktop ENOSYS -32 raw open_tree -1 0 0
}
tcase "desktop: the same calls through the i386 ABI (int 0x80) are refused too" case_desktop_i386

case_desktop_x32() {
	need_probe || return
	[ "$(uname -m)" = x86_64 ] || { skip "x32 is an x86_64 ABI"; return; }
	case $("$PROBE" -x32 raw getpid 2>/dev/null) in
	"ok "*) ;;
	*) skip "the kernel has no x32 ABI (CONFIG_X86_X32_ABI), so no x32 call reaches it"; return ;;
	esac
	expect_preset desktop EPERM -x32 ioctl-tiocsti || return
	expect_preset desktop EPERM -x32 unshare-user
}
tcase "desktop: the same calls through the x32 ABI are refused too" case_desktop_x32

case_build_preset() {
	need_probe || return
	expect_preset build EPERM ioctl-tiocsti || return
	expect_preset build EPERM ioctl-tiocsti-highbits || return
	expect_preset build EPERM ioctl-tioclinux || return
	expect_preset build ENOSYS clone3 || return
	expect_preset build ENOSYS mount-api fsopen || return
	expect_preset build EPERM unshare-user || return
	expect_preset build ok personality 8 || return
	expect_preset build ok fork || return
	hutch --ro-bind / / "$PROBE" socket AF_PACKET
	_host=$out
	hutch --ro-bind / / --seccomp-preset build "$PROBE" socket AF_PACKET
	assert_eq "$_host" "$out" "AF_PACKET as without a filter"
}
tcase "build: desktop's hardening, but personality and every socket family allowed" case_build_preset

case_presets_are_the_files() {
	need_probe || return
	for name in desktop build; do
		"$HUTCH" --seccomp-export "preset:$name" >"$T/$name-embedded.bpf" || { fail "export preset:$name"; return; }
		(cd "$HELPERS" && "$HUTCH" --seccomp-export "preset-$name.policy") >"$T/$name-file.bpf" 2>"$T/err" ||
			{ fail "export of the shipped file: $(cat "$T/err")"; return; }
		assert_true "preset:$name and data/seccomp/$name.policy compile the same" \
			cmp -s "$T/$name-embedded.bpf" "$T/$name-file.bpf" || return
	done
}
tcase "the embedded presets are the shipped data/seccomp/*.policy files" case_presets_are_the_files

case_pid1_filtered() {
	need_probe || return
	# pid 1 installs its copy once the payload has started (it waits for
	# the exec): poll a bounded number of times.
	hutch --ro-bind / / --unshare-pid --proc /proc --seccomp-preset desktop \
		sh -c 'i=0; while [ $i -lt 200 ] && ! grep -q "^Seccomp:[[:space:]]*2" /proc/1/status; do
			i=$((i + 1)); sleep 0.05; done; grep "^Seccomp:" /proc/1/status'
	assert_ok || return
	assert_match "$out" '^Seccomp:[[:space:]]+2$' "pid 1's seccomp mode"
}
tcase "with --unshare-pid, pid 1 gets the policy too" case_pid1_filtered

case_setup_unaffected() {
	need_probe || return
	# Setup mounts, makes dirs and pivots; the filter comes last.
	hutch --ro-bind / / --tmpfs /tmp --dir /tmp/d --unshare-pid --proc /proc --seccomp-preset desktop \
		sh -c 'test -d /tmp/d && echo setup-ok'
	assert_ok || return
	assert_eq setup-ok "$out" "payload's stdout"
}
tcase "setup (mounts, pivot_root) happens before the policy applies" case_setup_unaffected

# ---------------------------------------------------------------- stacking and export

case_stacking_order() {
	need_probe || return
	pol sa <<'EOF'
errno EPERM getppid
EOF
	pol sb <<'EOF'
errno ENOSYS getppid
EOF
	# Between programs the kernel takes the strictest action, and for two
	# errno answers the one of the program installed last: command-line
	# order decides.
	hutch --ro-bind / / --seccomp-policy "$T/sa.policy" --seccomp-policy "$T/sb.policy" "$PROBE" raw getppid
	assert_eq ENOSYS "$out" "sa then sb" || return
	hutch --ro-bind / / --seccomp-policy "$T/sb.policy" --seccomp-policy "$T/sa.policy" "$PROBE" raw getppid
	assert_eq EPERM "$out" "sb then sa" || return
	"$HUTCH" --seccomp-export "$T/sa.policy" >"$T/sa.bpf" || { fail "export"; return; }
	run_cmd_in "$HUTCH" --ro-bind / / --seccomp-policy "$T/sb.policy" --add-seccomp-fd 5 "$PROBE" raw getppid \
		5<"$T/sa.bpf" </dev/null
	assert_eq EPERM "$out" "policy then --add-seccomp-fd" || return
	run_cmd_in "$HUTCH" --ro-bind / / --add-seccomp-fd 5 --seccomp-preset desktop --seccomp-policy "$T/sb.policy" \
		"$PROBE" raw getppid 5<"$T/sa.bpf" </dev/null
	assert_eq ENOSYS "$out" "--add-seccomp-fd, preset, then policy" || return
	# A stricter action wins whatever the order.
	pol sk <<'EOF'
kill-process getppid
EOF
	hutch --ro-bind / / --seccomp-policy "$T/sk.policy" --seccomp-policy "$T/sa.policy" "$PROBE" raw getppid
	assert_rc 159 "kill-process in the first program"
}
tcase "policies stack with each other and with --add-seccomp-fd in command-line order" case_stacking_order

case_export_round_trip() {
	need_probe || return
	"$HUTCH" --seccomp-export preset:desktop >"$T/desktop.bpf"
	assert_true "export exits 0" test $? -eq 0 || return
	size=$(wc -c <"$T/desktop.bpf")
	assert_true "a whole number of 8-byte instructions ($size bytes)" test $((size % 8)) -eq 0 -a "$size" -gt 0 || return
	run_cmd_in "$HUTCH" --ro-bind / / --seccomp 5 "$PROBE" ioctl-tiocsti-highbits 5<"$T/desktop.bpf" </dev/null
	assert_ok || return
	assert_eq EPERM "$out" "the exported preset through --seccomp FD" || return
	run_cmd_in "$HUTCH" --ro-bind / / --seccomp 5 "$PROBE" clone3 5<"$T/desktop.bpf" </dev/null
	assert_eq ENOSYS "$out" "clone3 through --seccomp FD" || return
	pol ex <<'EOF'
errno ENOTSUP getppid if arg0 > 3
EOF
	"$HUTCH" --seccomp-export "$T/ex.policy" >"$T/ex.bpf"
	run_cmd_in "$HUTCH" --ro-bind / / --add-seccomp-fd 5 "$PROBE" raw getppid 4 5<"$T/ex.bpf" </dev/null
	assert_eq EOPNOTSUPP "$out" "a policy file exported" || return
	hutch --seccomp-export "$T/nonexistent.policy"
	assert_error_run "Can't read seccomp policy '$T/nonexistent.policy'"
}
tcase "--seccomp-export writes the program; --seccomp FD applies it the same" case_export_round_trip

case_export_to_bwrap() {
	need_probe || return
	need_cmd bwrap || return
	"$HUTCH" --seccomp-export preset:desktop >"$T/d.bpf" || { fail export; return; }
	run_cmd_in bwrap --ro-bind / / --seccomp 5 "$PROBE" ioctl-tiocsti-highbits 5<"$T/d.bpf" </dev/null
	if [ "$rc" -ne 0 ] && [ -z "$out" ]; then
		skip "bwrap cannot start here: $err"
		return
	fi
	assert_eq EPERM "$out" "bwrap applying hutch's exported preset"
}
tcase "bwrap applies an exported preset as it is" case_export_to_bwrap

finish
